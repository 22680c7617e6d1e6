"""Sample indicators (`manage.py load_sample`, `portal/sample.py`): invented quarterly
series from 2024 to the third quarter of 2026, each with its target, a preliminary figure
released days after the quarter and, for the older quarters, the official one weeks
later (a revision the page shows; for one quarter it turns "missed" into "met",
`REVISED_TO_MET`); and yearly figures for 2024 and 2025. Codes end in `-mau` ("sample")
so they never take a staff indicator's code; one that exists already is skipped with its
figures.
"""

import datetime
import random
from decimal import Decimal

from portal import sample
from portal.publication import PublicationStatus

from .models import Category, Indicator, Period, Unit, Value, ValueKind, Vintage
from .periods import PeriodKind
from .verdicts import Direction

HIGHER, LOWER = Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER

# code: (name, unit, category, direction, headline, quarterly level, yearly target, spread)
INDICATORS = {
    "grdp-quy-mau": (
        "Tốc độ tăng tổng sản phẩm trên địa bàn (GRDP) theo quý",
        Unit.PERCENT_CHANGE, Category.GROWTH, HIGHER, True, 7.6, 8.0, 0.6,
    ),
    "thu-ngan-sach-quy-mau": (
        "Tổng thu ngân sách nhà nước trên địa bàn Thành phố theo quý",
        Unit.BILLION_VND, Category.BUDGET, HIGHER, True, 142_000, 560_000, 14_000,
    ),
    "giai-ngan-dau-tu-cong-mau": (
        "Tỷ lệ giải ngân vốn đầu tư công so với kế hoạch vốn Thành phố giao",
        Unit.PERCENT, Category.INVESTMENT, HIGHER, True, 21.0, 95.0, 6.0,
    ),
    "von-fdi-mau": (
        "Vốn đầu tư trực tiếp nước ngoài (FDI) thu hút mới và tăng thêm",
        Unit.MILLION_USD, Category.INVESTMENT, HIGHER, False, 820, 3_000, 260,
    ),
    "xuat-khau-quy-mau": (
        "Kim ngạch xuất khẩu hàng hóa trên địa bàn Thành phố theo quý",
        Unit.MILLION_USD, Category.TRADE, HIGHER, False, 4_300, 18_000, 500,
    ),
    "iip-quy-mau": (
        "Chỉ số sản xuất công nghiệp (IIP): mức tăng so với cùng kỳ, theo quý",
        Unit.PERCENT_CHANGE, Category.INDUSTRY, HIGHER, False, 7.9, 8.5, 1.4,
    ),
    "ho-so-truc-tuyen-mau": (
        "Tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận và giải quyết trực tuyến toàn trình",
        Unit.PERCENT, Category.DIGITAL, HIGHER, True, 78.0, 85.0, 5.0,
    ),
    "cpi-quy-mau": (
        "Chỉ số giá tiêu dùng (CPI) bình quân: mức tăng so với cùng kỳ, theo quý",
        Unit.PERCENT_CHANGE, Category.OTHER, LOWER, False, 3.4, 4.0, 0.7,
    ),
}  # fmt: skip

SOURCE_TEXT = "Cục Thống kê Thành phố; báo cáo của UBND Thành phố tại các phiên họp thường kỳ"
# A quarter whose preliminary figure missed the target and whose official figure, weeks
# later, met it: the page says the revision turned the verdict.
REVISED_TO_MET = {"grdp-quy-mau": (2025, 4)}
YEARS = [2024, 2025, 2026]
LAST_QUARTER = (2026, 3)


def _quarters():
    for year in YEARS:
        for q in range(1, 5):
            if (year, q) > LAST_QUARTER:
                return
            start = datetime.date(year, 3 * q - 2, 1)
            end = datetime.date(year + (q == 4), (3 * q) % 12 + 1, 1) - datetime.timedelta(1)
            yield start, end


def _periods() -> tuple[list[Period], list[Period]]:
    quarters = [
        sample.ensure(Period, {"kind": PeriodKind.QUARTER, "start": start, "end": end})
        for start, end in _quarters()
    ]
    years = [
        sample.ensure(
            Period,
            {
                "kind": PeriodKind.YEAR,
                "start": datetime.date(year, 1, 1),
                "end": datetime.date(year, 12, 31),
            },
        )
        for year in YEARS[:-1]
    ]
    return quarters, years


def _number(value: float, unit: str) -> Decimal:
    places = "1" if unit in (Unit.BILLION_VND, Unit.MILLION_USD) else "0.01"
    return Decimal(str(value)).quantize(Decimal(places))


def load() -> dict:
    rng = random.Random("indicators-2026")
    quarters, years = _periods()
    added, values, skipped = 0, 0, []
    for order, (code, spec) in enumerate(INDICATORS.items(), start=100):
        name, unit, category, direction, headline, level, yearly, spread = spec
        found = Indicator.objects.filter(code=code).first()
        if found is not None:
            if not sample.made_by_sample(Indicator.objects.filter(pk=found.pk)).exists():
                skipped.append(f"{name} ({code})")
            continue
        indicator = sample.create(
            Indicator,
            code=code,
            name=name,
            unit=unit,
            category=category,
            direction=direction,
            is_headline=headline,
            decimals=0 if unit in (Unit.BILLION_VND, Unit.MILLION_USD) else 2,
            definition=f"{name}. Số liệu mẫu, không phải số liệu thật.",
            source=SOURCE_TEXT,
            order=order,
            status=PublicationStatus.PUBLISHED,
        )
        added += 1
        values += _series(rng, indicator, quarters, years, level, yearly, spread, direction)
    return {"indicators": added, "periods": len(quarters) + len(years), "values": values} | (
        {"skipped": skipped} if skipped else {}
    )


def _planned(period: Period) -> datetime.date:
    """Targets are set in December for the year ahead (the People's Council's resolution)."""
    return datetime.date(period.start.year - 1, 12, 10)


def _series(rng, indicator, quarters, years, level, yearly, spread, direction) -> int:
    """Target, preliminary and (for quarters older than two) official figures per quarter;
    target and official figure per year."""
    better = 1 if direction == HIGHER else -1
    turned = REVISED_TO_MET.get(indicator.code)
    rows = []
    last = len(quarters) - 1
    for index, period in enumerate(quarters):
        target = level * (1 + 0.02 * (period.start.year - 2024))
        preliminary = target + rng.uniform(-spread, spread * 0.8)
        released = period.end + datetime.timedelta(days=rng.randint(4, 9))
        official = preliminary + rng.uniform(-spread, spread) * 0.15
        official_on = period.end + datetime.timedelta(days=rng.randint(40, 60))
        if (period.start.year, period.start.month // 3 + 1) == turned:
            preliminary, official = target - better * spread / 2, target + better * spread / 4
        rows.append((period, ValueKind.TARGET, "", target, _planned(period)))
        rows.append((period, ValueKind.ACTUAL, Vintage.PRELIMINARY, preliminary, released))
        if index <= last - 2:
            rows.append((period, ValueKind.ACTUAL, Vintage.OFFICIAL, official, official_on))
    for period in years:
        target = yearly * (1 + 0.02 * (period.start.year - 2024))
        actual = target + rng.uniform(-spread, spread * 0.7) * (4 if yearly > 100 else 1)
        official_on = period.end + datetime.timedelta(days=rng.randint(60, 80))
        rows.append((period, ValueKind.TARGET, "", target, _planned(period)))
        rows.append((period, ValueKind.ACTUAL, Vintage.OFFICIAL, actual, official_on))
    for period, kind, vintage, number, released_on in rows:
        sample.create(
            Value,
            indicator=indicator,
            period=period,
            kind=kind,
            vintage=vintage,
            value=_number(number, indicator.unit),
            released_on=released_on,
            source_text=SOURCE_TEXT,
        )
    return len(rows)
