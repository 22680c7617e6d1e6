"""The filters of the indicators: the dashboard, its downloads and the API read the same."""

import django_filters
from django.utils.translation import gettext_lazy as _

from portal.lists import QueryFilter

from .models import Category, Indicator, Period, Value

INVALID_CHOICE = {"invalid_choice": _("Giá trị không có trong danh sách lựa chọn.")}


class IndicatorFilter(django_filters.FilterSet):
    """`q` (`Indicator.objects.search`), the category, headline indicators only, and a
    period (`?period=<slug>`: indicators with a figure in it; a period that exists but has
    no published figure selects none, an unknown slug is invalid)."""

    q = QueryFilter(label=_("Tên hoặc mã chỉ tiêu"))
    category = django_filters.ChoiceFilter(
        label=_("Nhóm"),
        choices=Category.choices,
        empty_label=_("Tất cả"),
        error_messages=INVALID_CHOICE,
    )
    period = django_filters.ModelChoiceFilter(
        label=_("Kỳ báo cáo"),
        queryset=Period.objects.all(),
        to_field_name="slug",
        method="filter_period",
        error_messages=INVALID_CHOICE,
    )
    headline = django_filters.BooleanFilter(label=_("Chỉ tiêu chính"), field_name="is_headline")

    class Meta:
        model = Indicator
        fields = ["q", "category", "period", "headline"]

    def filter_period(self, queryset, name, value: Period):
        return queryset.filter(pk__in=Value.objects.filter(period=value).values("indicator"))
