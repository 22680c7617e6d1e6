"""Plain factory functions for indicators; every argument has a usable default."""

import datetime
import itertools
from decimal import Decimal

from indicators.models import Category, Indicator, Period, Unit, Value, ValueKind
from indicators.periods import PeriodKind
from portal.publication import PublicationStatus

_sequence = itertools.count(1)


def make_indicator(**overrides) -> Indicator:
    n = next(_sequence)
    values = {
        "code": f"indicator-{n}",
        "name": f"Chỉ tiêu số {n}",
        "unit": Unit.PERCENT,
        "category": Category.GROWTH,
        "status": PublicationStatus.PUBLISHED,
    }
    return Indicator.objects.create(**(values | overrides))


def make_period(
    kind: str = PeriodKind.HALF_YEAR,
    start: datetime.date = datetime.date(2025, 1, 1),
    end: datetime.date = datetime.date(2025, 6, 30),
) -> Period:
    period, _ = Period.objects.get_or_create(kind=kind, start=start, end=end)
    return period


def quarter(year: int, number: int) -> Period:
    start = datetime.date(year, 3 * number - 2, 1)
    end = (
        datetime.date(year, 3 * number + 1, 1) - datetime.timedelta(days=1)
        if number < 4
        else datetime.date(year, 12, 31)
    )
    return make_period(PeriodKind.QUARTER, start, end)


def make_value(**overrides) -> Value:
    if "indicator" not in overrides:
        overrides["indicator"] = make_indicator()
    if "period" not in overrides:
        overrides["period"] = make_period()
    values = {"kind": ValueKind.ACTUAL, "value": Decimal("7.5")}
    return Value.objects.create(**(values | overrides))
