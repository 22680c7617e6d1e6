from decimal import Decimal

import pytest
from django.utils import translation

from indicators.models import Unit, Value, ValueKind
from indicators.templatetags.indicators_format import figure, num, with_unit
from indicators.tests.factories import make_indicator


@pytest.mark.parametrize(
    ("number", "unit", "places", "text"),
    [
        (Decimal("7.63"), Unit.PERCENT_CHANGE, None, "+7,63%"),
        (Decimal("-1.5"), Unit.PERCENT_CHANGE, None, "-1,5%"),
        (Decimal("0"), Unit.PERCENT_CHANGE, None, "0%"),
        (Decimal("11"), Unit.PERCENT_CHANGE, 1, "+11,0%"),
        (Decimal("98.7"), Unit.PERCENT, None, "98,7%"),
        (Decimal("16765"), Unit.COUNT, None, "16.765 đơn vị"),
        (Decimal("19"), Unit.PLACES, None, "19 bậc"),
        (Decimal("3"), Unit.RANK, None, "hạng 3"),
        (Decimal("2.1"), Unit.RATIO, None, "2,1 lần"),
        (Decimal("1234.5"), Unit.BILLION_VND, None, "1.234,5 tỷ đồng"),
        (None, Unit.RATIO, None, "không nêu số"),
    ],
)
def test_with_unit_in_vietnamese(number, unit, places, text):
    with translation.override("vi"):
        assert with_unit(number, unit, places) == text


def test_num_in_english_and_empty():
    with translation.override("en"):
        assert num(Decimal("16765.5")) == "16,765.5"
    assert num(None) == "—"


@pytest.mark.django_db
def test_share_of_estimate_is_always_a_percent():
    indicator = make_indicator(unit=Unit.BILLION_VND)
    value = Value(indicator=indicator, kind=ValueKind.PERCENT_OF_ESTIMATE, value=Decimal("77.6"))
    with translation.override("vi"):
        assert figure(value) == "77,6%"
        assert figure(None) == "—"
