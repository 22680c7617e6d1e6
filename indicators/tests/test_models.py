import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from indicators.models import Indicator, Period, PeriodFigures, Value, ValueKind
from indicators.periods import PeriodKind
from indicators.tests.factories import make_indicator, make_period, make_value
from indicators.verdicts import Direction

pytestmark = pytest.mark.django_db


def test_value_is_unique_per_indicator_period_and_kind():
    value = make_value()
    duplicate = Value(indicator=value.indicator, period=value.period, kind=value.kind, value=1)
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "__all__" in error.value.message_dict
    with pytest.raises(IntegrityError):
        duplicate.save()


def test_value_needs_a_number_or_a_note():
    value = Value(indicator=make_indicator(), period=make_period(), kind=ValueKind.ACTUAL)
    with pytest.raises(ValidationError) as error:
        value.full_clean()
    assert "ghi chú" in str(error.value)
    value.note = "Báo cáo không nêu số"
    value.full_clean()


def test_period_is_unique_by_kind_and_dates_and_checked():
    make_period()
    with pytest.raises(IntegrityError):
        Period.objects.create(
            kind=PeriodKind.HALF_YEAR,
            start=datetime.date(2025, 1, 1),
            end=datetime.date(2025, 6, 30),
        )


def test_period_clean_names_the_problem():
    period = Period(
        kind=PeriodKind.QUARTER, start=datetime.date(2025, 2, 1), end=datetime.date(2025, 4, 30)
    )
    with pytest.raises(ValidationError, match="không phải là một kỳ"):
        period.full_clean()


def test_choices_are_constrained_in_the_database():
    indicator = make_indicator()
    with pytest.raises(IntegrityError):
        Indicator.objects.filter(pk=indicator.pk).update(direction="sideways")


def test_period_figures_verdict_uses_the_indicator_direction():
    indicator = make_indicator(direction=Direction.LOWER_IS_BETTER)
    period = make_period()
    values = [
        make_value(indicator=indicator, period=period, value=Decimal("3")),
        make_value(indicator=indicator, period=period, kind=ValueKind.TARGET, value=Decimal("4")),
    ]
    figures = PeriodFigures(indicator, period, values)
    assert figures.verdict.met
    assert figures.verdict.text == "Đạt kế hoạch"
    assert figures.reference.kind == ValueKind.TARGET


def test_str_and_url():
    indicator = make_indicator(code="grdp-growth", name="Tăng trưởng GRDP")
    assert str(indicator) == "Tăng trưởng GRDP (grdp-growth)"
    assert indicator.get_absolute_url() == "/indicators/grdp-growth/"
    assert indicator.get_csv_url() == "/indicators/grdp-growth.csv"


@pytest.mark.parametrize("code", ["GRDP", "grdp growth", "grdp_growth", "-grdp", "tăng", ""])
def test_codes_are_lower_case_ascii_words(code):
    indicator = Indicator(code=code, name="x", unit="percent", category="growth")
    with pytest.raises(ValidationError) as error:
        indicator.full_clean()
    assert "code" in error.value.message_dict
    with pytest.raises(IntegrityError):
        Indicator.objects.create(code=code, name="x", unit="percent", category="growth")
