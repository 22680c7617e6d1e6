import datetime

import pytest
from django.utils import translation

from indicators.periods import PeriodKind, period_label, period_problem, period_slug
from indicators.tests.factories import make_period

D = datetime.date


@pytest.mark.parametrize(
    ("kind", "start", "end", "vi", "en"),
    [
        (PeriodKind.QUARTER, D(2025, 4, 1), D(2025, 6, 30), "Quý II/2025", "Q2 2025"),
        (PeriodKind.QUARTER, D(2025, 10, 1), D(2025, 12, 31), "Quý IV/2025", "Q4 2025"),
        (
            PeriodKind.HALF_YEAR,
            D(2025, 1, 1),
            D(2025, 6, 30),
            "6 tháng đầu năm 2025",
            "First half of 2025",
        ),
        (
            PeriodKind.HALF_YEAR,
            D(2025, 7, 1),
            D(2025, 12, 31),
            "6 tháng cuối năm 2025",
            "Second half of 2025",
        ),
        (
            PeriodKind.NINE_MONTHS,
            D(2025, 1, 1),
            D(2025, 9, 30),
            "9 tháng 2025",
            "First nine months of 2025",
        ),
        (PeriodKind.YEAR, D(2025, 1, 1), D(2025, 12, 31), "Năm 2025", "Year 2025"),
        (PeriodKind.MONTH, D(2024, 2, 1), D(2024, 2, 29), "Tháng 2/2024", "February 2024"),
        (
            PeriodKind.YEAR_TO_DATE,
            D(2025, 1, 1),
            D(2025, 5, 31),
            "Lũy kế đến hết tháng 5/2025",
            "Year to date, January–May 2025",
        ),
    ],
)
def test_labels_in_both_languages(kind, start, end, vi, en):
    assert period_problem(kind, start, end) is None
    assert period_label(kind, start, end, "vi") == vi
    assert period_label(kind, start, end, "en") == en
    assert period_label(kind, start, end, "en-us") == en


@pytest.mark.parametrize(
    ("kind", "start", "end"),
    [
        (PeriodKind.QUARTER, D(2025, 2, 1), D(2025, 4, 30)),  # not a calendar quarter
        (PeriodKind.QUARTER, D(2025, 4, 1), D(2025, 6, 29)),  # not a month end
        (PeriodKind.HALF_YEAR, D(2025, 3, 1), D(2025, 8, 31)),
        (PeriodKind.YEAR, D(2025, 1, 1), D(2026, 12, 31)),
        (PeriodKind.NINE_MONTHS, D(2025, 4, 1), D(2025, 12, 31)),
        (PeriodKind.MONTH, D(2025, 6, 30), D(2025, 6, 1)),
        ("fortnight", D(2025, 1, 1), D(2025, 1, 31)),
    ],
)
def test_problems_are_named(kind, start, end):
    assert period_problem(kind, start, end)
    # Labels never guess a name for a non-canonical span: they give the dates.
    if kind in PeriodKind.values and end >= start:
        assert period_label(kind, start, end, "vi") == f"{start:%d/%m/%Y}–{end:%d/%m/%Y}"


def test_slugs_are_short_and_distinct():
    assert period_slug(PeriodKind.QUARTER, D(2025, 4, 1), D(2025, 6, 30)) == "2025-q2"
    assert period_slug(PeriodKind.HALF_YEAR, D(2025, 1, 1), D(2025, 6, 30)) == "2025-h1"
    assert period_slug(PeriodKind.YEAR, D(2025, 1, 1), D(2025, 12, 31)) == "2025"


@pytest.mark.django_db
def test_model_label_follows_the_active_language():
    period = make_period(PeriodKind.QUARTER, D(2025, 4, 1), D(2025, 6, 30))
    with translation.override("vi"):
        assert period.label == "Quý II/2025"
        assert str(period) == "Quý II/2025"
    with translation.override("en"):
        assert period.label == "Q2 2025"
    assert period.slug == "2025-q2"
