import django_filters as filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Organization

from .models import Document, DocumentType, System, Topic
from .status import InForce


class YearFilter(filters.NumberFilter):
    """A whole year: "2025.5" is refused by the form instead of reaching the lookup."""

    field_class = forms.IntegerField


class DocumentFilter(filters.FilterSet):
    """The list page's filters; `q` (number or words) is handled by the view."""

    type = filters.ModelChoiceFilter(
        label=_("Loại văn bản"),
        field_name="document_type",
        queryset=DocumentType.objects.all(),
        to_field_name="slug",
        empty_label=_("Tất cả"),
    )
    issuer = filters.ModelChoiceFilter(
        label=_("Cơ quan ban hành"),
        field_name="issuer",
        queryset=Organization.objects.all(),
        to_field_name="code",
        empty_label=_("Tất cả"),
    )
    system = filters.ChoiceFilter(
        label=_("Hệ thống"), choices=System.choices, empty_label=_("Tất cả")
    )
    year = YearFilter(
        label=_("Năm ban hành"),
        field_name="issued_on__year",
        min_value=1945,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    in_force = filters.ChoiceFilter(
        label=_("Tình trạng hiệu lực"),
        choices=InForce.choices,
        method="filter_in_force",
        empty_label=_("Tất cả"),
    )
    topic = filters.ModelChoiceFilter(
        label=_("Chủ đề"),
        field_name="topics",
        queryset=Topic.objects.all(),
        to_field_name="slug",
        empty_label=_("Tất cả"),
    )

    class Meta:
        model = Document
        fields = []

    def filter_in_force(self, queryset, name, value):
        return queryset.with_status_in_force(value, timezone.localdate())
