"""Reporting periods: which date ranges each kind allows, and their labels in both languages.

Vietnamese reports name periods in fixed ways (`Quý II/2025`, `6 tháng đầu năm 2025`,
`9 tháng 2025`, `Năm 2025`); these functions are the single place that knows them.
"""

import calendar
import datetime
import functools

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")
    HALF_YEAR = "half_year", _("6 tháng")
    NINE_MONTHS = "nine_months", _("9 tháng")
    YEAR_TO_DATE = "year_to_date", _("Lũy kế từ đầu năm")
    YEAR = "year", _("Năm")


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
ENGLISH_MONTHS = [
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def period_problem(kind: str, start: datetime.date, end: datetime.date) -> str | None:
    """Why `start`..`end` is not a period of `kind`, in Vietnamese; None when it is one.

    Every kind starts on the first day of a month and ends on the last day of a month in
    the same year: a month is one month, a quarter one calendar quarter, a half-year the
    first or second half, nine months January to September, a year-to-date span starts on
    1 January, a year is a calendar year.
    """
    if kind not in PeriodKind.values:
        return gettext("loại kỳ không hợp lệ: %(kind)s") % {"kind": repr(kind)}
    if end < start:
        return gettext("ngày kết thúc trước ngày bắt đầu")
    if start.day != 1 or end != _month_end(end.year, end.month):
        return gettext("kỳ phải bắt đầu vào ngày đầu tháng và kết thúc vào ngày cuối tháng")
    if start.year != end.year:
        return gettext("kỳ phải nằm trong một năm")
    months = end.month - start.month + 1
    expected = {
        PeriodKind.MONTH: months == 1,
        PeriodKind.QUARTER: months == 3 and start.month in (1, 4, 7, 10),
        PeriodKind.HALF_YEAR: months == 6 and start.month in (1, 7),
        PeriodKind.NINE_MONTHS: months == 9 and start.month == 1,
        PeriodKind.YEAR_TO_DATE: start.month == 1,
        PeriodKind.YEAR: months == 12,
    }[PeriodKind(kind)]
    if not expected:
        return gettext("%(start)s–%(end)s không phải là một kỳ “%(kind)s”") % {
            "start": f"{start:%d/%m/%Y}",
            "end": f"{end:%d/%m/%Y}",
            "kind": PeriodKind(kind).label,
        }
    return None


@functools.lru_cache(maxsize=4096)  # a pure function, called for each card and option
def period_label(kind: str, start: datetime.date, end: datetime.date, language: str) -> str:
    """The period's name as a report writes it, in Vietnamese or (language "en…") English.

    >>> period_label("quarter", date(2025, 4, 1), date(2025, 6, 30), "vi")
    'Quý II/2025'
    """
    english = language.lower().startswith("en")
    if period_problem(kind, start, end) is not None:
        # Not a canonical period (only possible for rows written around validation):
        # say the dates rather than guess a name.
        return f"{start:%d/%m/%Y}–{end:%d/%m/%Y}"
    year = end.year
    if kind == PeriodKind.MONTH:
        return f"{ENGLISH_MONTHS[end.month]} {year}" if english else f"Tháng {end.month}/{year}"
    if kind == PeriodKind.QUARTER:
        quarter = (start.month - 1) // 3 + 1
        return f"Q{quarter} {year}" if english else f"Quý {ROMAN[quarter]}/{year}"
    if kind == PeriodKind.HALF_YEAR:
        first = start.month == 1
        if english:
            return f"{'First' if first else 'Second'} half of {year}"
        return f"6 tháng {'đầu' if first else 'cuối'} năm {year}"
    if kind == PeriodKind.NINE_MONTHS:
        return f"First nine months of {year}" if english else f"9 tháng {year}"
    if kind == PeriodKind.YEAR_TO_DATE:
        if english:
            return f"Year to date, January–{ENGLISH_MONTHS[end.month]} {year}"
        return f"Lũy kế đến hết tháng {end.month}/{year}"
    return f"Year {year}" if english else f"Năm {year}"


def period_slug(kind: str, start: datetime.date, end: datetime.date) -> str:
    """A short, unique, human-readable key for URLs: `2025-q2`, `2025-h1`, `2025-06`…"""
    if period_problem(kind, start, end) is not None:
        return f"{kind.replace('_', '-')}-{start:%Y%m%d}-{end:%Y%m%d}"
    year = end.year
    return {
        PeriodKind.MONTH: f"{year}-{end.month:02d}",
        PeriodKind.QUARTER: f"{year}-q{(start.month - 1) // 3 + 1}",
        PeriodKind.HALF_YEAR: f"{year}-h{1 if start.month == 1 else 2}",
        PeriodKind.NINE_MONTHS: f"{year}-9m",
        PeriodKind.YEAR_TO_DATE: f"{year}-ytd-{end.month:02d}",
        PeriodKind.YEAR: f"{year}",
    }[PeriodKind(kind)]
