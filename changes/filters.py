import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Action, PublicChange, RecordKind


class ChangeFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Loại hồ sơ"), choices=RecordKind.choices, empty_label=_("Tất cả")
    )
    action = django_filters.ChoiceFilter(
        label=_("Loại thay đổi"), choices=Action.choices, empty_label=_("Tất cả")
    )

    class Meta:
        model = PublicChange
        fields = ["kind", "action"]
