"""A project's changes read together: the plan as first approved (the baseline), the plan in
force, the timeline of old → new, and how far the finish slipped against the baseline.

The baseline is stored, not derived: it is the project's own planned start, planned finish
and total investment, as its approval decision set them, and a change row holds only the
new values. Each old value is then the one in force just before the change, so a timeline
stays right when an older decision is entered late. The plan in force is the newest
approved change's value for each item, else the baseline; the pages' SQL reads the same
thing (`ProjectQuerySet.with_plan`), and the schedule rule judges against it.
"""

import datetime
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .schedule import format_percent


class Item(models.TextChoices):
    """What a decision may change."""

    PLANNED_START = "planned_start", _("Khởi công theo kế hoạch")
    PLANNED_FINISH = "planned_finish", _("Hoàn thành theo kế hoạch")
    TOTAL_INVESTMENT = "total_investment", _("Tổng mức đầu tư")
    SCOPE = "scope", _("Quy mô")


@dataclass(frozen=True)
class Plan:
    planned_start: datetime.date | None = None
    planned_finish: datetime.date | None = None
    total_investment: Decimal | None = None
    scope: str = ""


@dataclass(frozen=True)
class Shift:
    """One item a change moved, from the value in force before it to its new value."""

    item: Item
    old: datetime.date | Decimal | str | None
    new: datetime.date | Decimal | str

    @property
    def kind(self) -> str:
        """How a page writes the values: a date, an amount of money, or words."""
        return {Item.TOTAL_INVESTMENT: "money", Item.SCOPE: "text"}.get(self.item, "date")


@dataclass(frozen=True)
class Entry:
    """A change in the timeline with what it moved."""

    change: object  # a ProjectChange
    shifts: tuple[Shift, ...]


@dataclass(frozen=True)
class Slip:
    """How the finish compares with the baseline: the actual finish once finished, else
    the finish in force. Positive days: later than first planned."""

    baseline: datetime.date
    compared: datetime.date
    finished: bool

    @property
    def days(self) -> int:
        return (self.compared - self.baseline).days

    @property
    def is_late(self) -> bool:
        return self.days > 0

    @property
    def text(self) -> str:
        values = {
            "length": slip_length(self.baseline, self.compared),
            "baseline": _day(self.baseline),
            "compared": _day(self.compared),
        }
        if self.finished:
            if self.days > 0:
                message = gettext(
                    "Hoàn thành ngày %(compared)s, muộn %(length)s so với kế hoạch ban đầu "
                    "(%(baseline)s)."
                )
            elif self.days < 0:
                message = gettext(
                    "Hoàn thành ngày %(compared)s, sớm %(length)s so với kế hoạch ban đầu "
                    "(%(baseline)s)."
                )
            else:
                message = gettext("Hoàn thành đúng kế hoạch ban đầu (%(baseline)s).")
        elif self.days > 0:
            message = gettext(
                "Kế hoạch hiện hành hoàn thành ngày %(compared)s, muộn %(length)s so với kế "
                "hoạch ban đầu (%(baseline)s)."
            )
        elif self.days < 0:
            message = gettext(
                "Kế hoạch hiện hành hoàn thành ngày %(compared)s, sớm %(length)s so với kế "
                "hoạch ban đầu (%(baseline)s)."
            )
        else:
            message = gettext(
                "Kế hoạch hiện hành giữ ngày hoàn thành của kế hoạch ban đầu (%(baseline)s)."
            )
        return message % values


@dataclass(frozen=True)
class ChangeHistory:
    baseline: Plan
    in_force: Plan
    timeline: tuple[Entry, ...]
    slip: Slip | None
    investment_change_percent: Decimal | None

    @property
    def schedule_or_cost_changed(self) -> bool:
        return any(s.item != Item.SCOPE for entry in self.timeline for s in entry.shifts)

    @property
    def against_baseline(self) -> tuple[Shift, ...]:
        """Each planned date and the total investment that differ now from the baseline,
        as baseline → in force."""
        return tuple(
            Shift(item, getattr(self.baseline, item.value), getattr(self.in_force, item.value))
            for item in (Item.PLANNED_START, Item.PLANNED_FINISH, Item.TOTAL_INVESTMENT)
            if getattr(self.baseline, item.value) != getattr(self.in_force, item.value)
        )

    @property
    def investment_change_text(self) -> str:
        percent = self.investment_change_percent
        if not percent:
            return ""
        values = {"percent": format_percent(abs(percent))}
        if percent > 0:
            return gettext("Tổng mức đầu tư hiện hành tăng %(percent)s so với ban đầu.") % values
        return gettext("Tổng mức đầu tư hiện hành giảm %(percent)s so với ban đầu.") % values


def _day(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def whole_months(start: datetime.date, end: datetime.date) -> int:
    """Whole calendar months from `start` to `end` (never negative): 31/12/2025 →
    31/12/2027 is 24, 31/01/2025 → 28/02/2025 is 0."""
    if end < start:
        start, end = end, start
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def slip_length(start: datetime.date, end: datetime.date) -> str:
    """Whole months from a month on ("24 tháng"), else days ("12 ngày")."""
    months = whole_months(start, end)
    if months:
        return ngettext("%(n)d tháng", "%(n)d tháng", months) % {"n": months}
    days = abs((end - start).days)
    return ngettext("%(n)d ngày", "%(n)d ngày", days) % {"n": days}


def finish_slip(
    *,
    baseline_finish: datetime.date | None,
    finish_in_force: datetime.date | None,
    actual_finish: datetime.date | None,
) -> Slip | None:
    """The finish against the baseline's; None when the baseline has no finish date."""
    if baseline_finish is None:
        return None
    if actual_finish is not None:
        return Slip(baseline_finish, actual_finish, finished=True)
    if finish_in_force is None:
        return None
    return Slip(baseline_finish, finish_in_force, finished=False)


def investment_change_percent(baseline: Decimal | None, current: Decimal | None) -> Decimal | None:
    """How much the total investment grew (or shrank) against the baseline, in percent."""
    if baseline is None or current is None or baseline == 0:
        return None
    return ((current - baseline) * 100 / baseline).quantize(Decimal("0.1"))


def _shifts(change, before: Plan) -> tuple[list[Shift], Plan]:
    shifts, after = [], before
    if change.new_planned_start is not None:
        shifts.append(Shift(Item.PLANNED_START, before.planned_start, change.new_planned_start))
        after = replace(after, planned_start=change.new_planned_start)
    if change.new_planned_finish is not None:
        shifts.append(Shift(Item.PLANNED_FINISH, before.planned_finish, change.new_planned_finish))
        after = replace(after, planned_finish=change.new_planned_finish)
    if change.new_total_investment is not None:
        shifts.append(
            Shift(Item.TOTAL_INVESTMENT, before.total_investment, change.new_total_investment)
        )
        after = replace(after, total_investment=change.new_total_investment)
    if change.new_scope:
        shifts.append(Shift(Item.SCOPE, change.old_scope or before.scope, change.new_scope))
        after = replace(after, scope=change.new_scope)
    return shifts, after


def change_history(project, changes) -> ChangeHistory:
    """Read `changes` (the approved ones, in any order) against `project`'s baseline."""
    ordered = sorted(changes, key=lambda change: (change.decided_on, change.pk or 0))
    first_scope = next((c.old_scope for c in ordered if c.new_scope), "")
    baseline = Plan(
        planned_start=project.planned_start,
        planned_finish=project.planned_finish,
        total_investment=project.total_investment,
        scope=first_scope,
    )
    plan, timeline = baseline, []
    for change in ordered:
        shifts, plan = _shifts(change, plan)
        timeline.append(Entry(change, tuple(shifts)))
    return ChangeHistory(
        baseline=baseline,
        in_force=plan,
        timeline=tuple(timeline),
        slip=finish_slip(
            baseline_finish=baseline.planned_finish,
            finish_in_force=plan.planned_finish,
            actual_finish=project.actual_finish,
        ),
        investment_change_percent=investment_change_percent(
            baseline.total_investment, plan.total_investment
        ),
    )
