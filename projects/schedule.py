"""Whether a project is on schedule, behind it, or cannot be judged; and whether its data is stale.

The rule, in one place (`assess_schedule`), used by the pages, the filters, the home page
and the admin:

1. A cancelled project is not judged (unknown).
2. A finished project (marked completed, given an actual finish date, or reported at 100%)
   is "completed"; the reason says whether it finished later than planned.
3. Otherwise it is behind when any of these holds, and every one that holds is a reason:
   - an official source states it is behind (the project's "stated behind" flag, which must
     quote the source: the seed report says the waste and wastewater plants are behind
     without giving any figure);
   - its planned finish date has passed;
   - its latest physical progress lags the straight-line plan between the planned start and
     the planned finish, on the date of that update, by more than `tolerance` points.
4. Otherwise it is on schedule only when there is a figure to compare with a plan; with no
   figure or no plan it is unknown. A project is never "on schedule" by default.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.template.defaultfilters import floatformat
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Percentage points of lag behind the straight-line plan that still count as on schedule.
DEFAULT_TOLERANCE = Decimal(10)


class ScheduleState(models.TextChoices):
    ON_SCHEDULE = "on_schedule", _("Đúng tiến độ")
    BEHIND = "behind", _("Chậm tiến độ")
    COMPLETED = "completed", _("Đã hoàn thành")
    UNKNOWN = "unknown", _("Chưa đủ thông tin để đánh giá")


class Freshness(models.TextChoices):
    FRESH = "fresh", _("Được cập nhật gần đây")
    STALE = "stale", _("Lâu chưa được cập nhật")
    NEVER = "never", _("Chưa có cập nhật tiến độ")


@dataclass(frozen=True)
class ScheduleFacts:
    """What the rule needs to know about a project, as plain values."""

    planned_start: datetime.date | None = None
    planned_finish: datetime.date | None = None
    actual_finish: datetime.date | None = None
    completed: bool = False
    cancelled: bool = False
    stated_behind: bool = False
    statement: str = ""
    latest_percent: Decimal | None = None
    latest_percent_on: datetime.date | None = None


@dataclass(frozen=True)
class Schedule:
    """The verdict with the reasons a reader can check."""

    state: ScheduleState
    reasons: tuple[str, ...]
    expected_percent: Decimal | None = None

    @property
    def reason(self) -> str:
        return " ".join(self.reasons)

    @property
    def label(self) -> str:
        return self.state.label

    @property
    def is_behind(self) -> bool:
        return self.state == ScheduleState.BEHIND

    @property
    def badge(self) -> str:
        """The house badge modifier: the colour repeats the text, never replaces it."""
        return {
            ScheduleState.ON_SCHEDULE: "ok",
            ScheduleState.COMPLETED: "ok",
            ScheduleState.BEHIND: "bad",
        }.get(self.state, "neutral")


def format_percent(value: Decimal) -> str:
    """`45.50` → `45,5%` in Vietnamese, `100.00` → `100%`."""
    return f"{floatformat(value, -1)}%"


def _day(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def expected_percent(
    planned_start: datetime.date, planned_finish: datetime.date, on: datetime.date
) -> Decimal:
    """The straight-line plan: 0% on the planned start, 100% on the planned finish."""
    if planned_finish <= planned_start:
        return Decimal(100) if on >= planned_finish else Decimal(0)
    elapsed = (on - planned_start).days / (planned_finish - planned_start).days
    share = min(max(Decimal(str(elapsed)), Decimal(0)), Decimal(1))
    return (share * 100).quantize(Decimal("0.1"))


def assess_schedule(
    facts: ScheduleFacts,
    *,
    today: datetime.date,
    tolerance: Decimal = DEFAULT_TOLERANCE,
) -> Schedule:
    """Judge a project's schedule on `today` (see the module docstring for the rule)."""
    if facts.cancelled:
        return Schedule(ScheduleState.UNKNOWN, (gettext("Dự án đã hủy, không đánh giá tiến độ."),))

    if facts.completed or facts.actual_finish is not None:
        reasons = [gettext("Dự án đã hoàn thành.")]
        if facts.actual_finish and facts.planned_finish:
            if facts.actual_finish > facts.planned_finish:
                reasons.append(
                    gettext("Hoàn thành ngày %(actual)s, muộn hơn kế hoạch (%(planned)s).")
                    % {"actual": _day(facts.actual_finish), "planned": _day(facts.planned_finish)}
                )
            else:
                reasons.append(
                    gettext("Hoàn thành ngày %(actual)s, đúng kế hoạch (%(planned)s).")
                    % {"actual": _day(facts.actual_finish), "planned": _day(facts.planned_finish)}
                )
        return Schedule(ScheduleState.COMPLETED, tuple(reasons))

    percent, percent_on = facts.latest_percent, facts.latest_percent_on
    if percent is not None and percent >= 100:
        reasons = [gettext("Đã đạt 100% khối lượng theo cập nhật gần nhất.")]
        return Schedule(ScheduleState.COMPLETED, tuple(reasons))

    behind: list[str] = []
    if facts.stated_behind:
        behind.append(
            gettext("Nguồn chính thức nêu dự án chậm tiến độ: “%(statement)s”")
            % {"statement": facts.statement}
            if facts.statement
            else gettext("Nguồn chính thức nêu dự án chậm tiến độ.")
        )
    if facts.planned_finish is not None and today > facts.planned_finish:
        behind.append(
            gettext("Đã quá ngày hoàn thành theo kế hoạch (%(planned)s) mà chưa hoàn thành.")
            % {"planned": _day(facts.planned_finish)}
        )

    expected = None
    has_plan = facts.planned_start is not None and facts.planned_finish is not None
    if percent is not None and percent_on is not None and has_plan:
        expected = expected_percent(facts.planned_start, facts.planned_finish, percent_on)
        if expected - percent > tolerance:
            behind.append(
                gettext(
                    "Ngày %(day)s đạt %(actual)s khối lượng, trong khi theo kế hoạch phải "
                    "đạt khoảng %(expected)s."
                )
                % {
                    "day": _day(percent_on),
                    "actual": format_percent(percent),
                    "expected": format_percent(expected),
                }
            )

    if behind:
        return Schedule(ScheduleState.BEHIND, tuple(behind), expected)
    if expected is not None:
        return Schedule(
            ScheduleState.ON_SCHEDULE,
            (
                gettext(
                    "Ngày %(day)s đạt %(actual)s khối lượng; theo kế hoạch khoảng %(expected)s."
                )
                % {
                    "day": _day(percent_on),
                    "actual": format_percent(percent),
                    "expected": format_percent(expected),
                },
            ),
            expected,
        )
    if percent is not None:
        return Schedule(
            ScheduleState.UNKNOWN,
            (
                gettext(
                    "Có số liệu tiến độ nhưng chưa có ngày khởi công và ngày hoàn thành theo "
                    "kế hoạch để so sánh."
                ),
            ),
        )
    return Schedule(ScheduleState.UNKNOWN, (gettext("Chưa có số liệu tiến độ."),))


def stale_after_days() -> int:
    """How many days without an update make a project's data stale (a setting)."""
    return int(getattr(settings, "PORTAL_PROJECT_STALE_DAYS", 90))


def assess_freshness(
    last_update_on: datetime.date | None, *, today: datetime.date, stale_days: int
) -> Freshness:
    """Stale when the latest update is more than `stale_days` days old; never when none."""
    if last_update_on is None:
        return Freshness.NEVER
    if (today - last_update_on).days > stale_days:
        return Freshness.STALE
    return Freshness.FRESH
