"""The filters of the public project list."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.lists import MenuFilter, QueryFilter

from .models import Sector, Stage
from .schedule import ScheduleState

STAGE_NOT_STATED = "none"
# The default message repeats the value, which may hold control characters; say it plainly.
INVALID_CHOICE = {"invalid_choice": _("Giá trị không có trong danh sách lựa chọn.")}


class ProjectFilter(django_filters.FilterSet):
    q = QueryFilter(label=_("Tên hoặc địa điểm"))
    sector = MenuFilter(
        label=_("Lĩnh vực"),
        choices=Sector.choices,
        empty_label=_("Tất cả"),
        error_messages=INVALID_CHOICE,
    )
    stage = MenuFilter(
        label=_("Tình trạng thực hiện"),
        choices=[*Stage.choices, (STAGE_NOT_STATED, _("Chưa có thông tin"))],
        empty_label=_("Tất cả"),
        error_messages=INVALID_CHOICE,
        method="filter_stage",
    )
    key = MenuFilter(
        label=_("Dự án trọng điểm"),
        choices=[("yes", _("Chỉ dự án trọng điểm")), ("no", _("Không phải trọng điểm"))],
        empty_label=_("Tất cả"),
        error_messages=INVALID_CHOICE,
        method="filter_key",
    )
    changed = MenuFilter(
        label=_("Điều chỉnh tiến độ, tổng mức đầu tư"),
        choices=[("yes", _("Đã điều chỉnh")), ("no", _("Chưa điều chỉnh"))],
        empty_label=_("Tất cả"),
        error_messages=INVALID_CHOICE,
        method="filter_changed",
    )
    # Last, so that it judges only the rows the other filters kept.
    schedule = MenuFilter(
        label=_("Tiến độ"),
        choices=ScheduleState.choices,
        empty_label=_("Tất cả"),
        error_messages=INVALID_CHOICE,
        method="filter_schedule",
    )

    def filter_stage(self, queryset, name, value):
        return queryset.filter(stage="" if value == STAGE_NOT_STATED else value)

    def filter_key(self, queryset, name, value):
        return queryset.filter(is_key=value == "yes")

    def filter_changed(self, queryset, name, value):
        return queryset.schedule_or_cost_changed(value == "yes")

    def filter_schedule(self, queryset, name, value):
        """Judged by the one schedule rule, in Python, on the annotated rows (one query).

        The rule (dates, straight-line plan, stated delays) is not repeated in SQL; a city
        follows hundreds of projects, not millions.
        """
        today = timezone.localdate()
        keep = [project.pk for project in queryset if project.schedule(today).state == value]
        return queryset.filter(pk__in=keep)
