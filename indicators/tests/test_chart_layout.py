"""Issue 16: one readable chart per indicator whose text keeps its size, and a dashboard of
each indicator's latest figures whatever the kind of their period."""

import datetime
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from ..charts import HEIGHT, WIDTHS, Series, responsive_chart
from ..models import Category, PeriodFigures, ValueKind, figures_by_period
from ..periods import PeriodKind
from ..views import chart_choices
from .factories import make_indicator, make_period, make_value, quarter

SVG = "{http://www.w3.org/2000/svg}"
QUARTERS = [
    f"Quý {roman}/{year}" for year in (2023, 2024, 2025) for roman in ["I", "II", "III", "IV"]
]


def _svgs(chart) -> list[ET.Element]:
    return list(ET.fromstring(f"<div>{chart.svg}</div>"))


def _chart(labels=QUARTERS, names=("Thực hiện", "Kế hoạch", "Kịch bản")):
    series = [
        Series(name, [Decimal(7) + Decimal(n) / 10 + i for i in range(len(labels))], key=key)
        for n, (name, key) in enumerate(zip(names, ("actual", "target", "scenario"), strict=False))
    ]
    return responsive_chart(
        chart_id="chart-quarter",
        title="Tăng trưởng GRDP theo quý",
        description="Thực hiện, kế hoạch, kịch bản",
        labels=labels,
        series=series,
        unit="%",
    )


def test_drawn_at_each_width_with_its_own_ids_and_no_scaling_in_the_layout():
    svgs = _svgs(_chart())
    assert [int(svg.get("width")) for svg in svgs] == list(WIDTHS)
    for svg, width in zip(svgs, WIDTHS, strict=True):
        assert svg.get("viewBox") == f"0 0 {width} {HEIGHT}"
        assert svg.get("class").endswith(f"indicator-chart--w{width}")
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert title.get("id") == f"chart-quarter-{width}-title"
    ids = [e.get("id") for svg in svgs for e in svg.iter() if e.get("id")]
    assert len(ids) == len(set(ids))


def _x_labels(svg) -> list[tuple[str, float, str]]:
    labels = []
    for text in svg.iter(f"{SVG}text"):
        if "tick--x" in (text.get("class") or ""):
            spans = list(text)
            labels.append(
                (
                    " ".join(s.text for s in spans),
                    float(spans[0].get("x")),
                    text.get("text-anchor"),
                )
            )
    return labels


@pytest.mark.parametrize("width", WIDTHS)
def test_axis_labels_fit_side_by_side_and_the_latest_is_always_labelled(width):
    svg = _svgs(_chart())[WIDTHS.index(width)]
    labels = _x_labels(svg)
    assert labels[-1][0] == "Quý IV/2025"
    # Each label ("Quý III/2024", ~12 characters of 13 px text) gets ~90 px of its own.
    middles = [x for _, x, anchor in labels if anchor == "middle"]
    assert all(b - a >= 80 for a, b in zip(middles, middles[1:], strict=False))
    for text, x, anchor in labels:
        half = len(text) * 7.5 / 2
        left = {"start": x, "middle": x - half, "end": x - 2 * half}[anchor]
        assert left >= 0 and left + 2 * half <= width + 1, text
    # Wider charts label more periods.
    if width == WIDTHS[-1]:
        assert len(labels) > len(_x_labels(_svgs(_chart())[0]))


def test_legend_wraps_on_a_narrow_chart_and_stays_inside():
    narrow, *_, wide = _svgs(_chart())

    def legend_rows(svg):
        return {
            float(g.find(f"{SVG}text").get("y"))
            for g in svg.iter(f"{SVG}g")
            if g.get("class") == "legend-item"
        }

    assert len(legend_rows(narrow)) == 2 and len(legend_rows(wide)) == 1


def test_unit_sits_above_the_top_tick_not_on_it():
    for svg in _svgs(_chart()):
        unit = svg.find(f"{SVG}g[@class='axis-unit']/{SVG}text")
        assert unit.text == "%"
        top_tick = min(
            float(t.get("y"))
            for t in svg.iter(f"{SVG}text")
            if "tick--y" in (t.get("class") or "")
        )
        assert float(unit.get("y")) <= top_tick - 14


def test_chart_text_is_sized_in_css_pixels_for_the_drawn_width():
    css = (Path(__file__).parents[2] / "static/css/indicators.css").read_text(encoding="utf-8")
    assert re.search(r"\.indicator-chart text \{[^}]*font-size: 1[234]px", css)
    for width in WIDTHS:
        assert f".indicator-chart--w{width} {{ max-width: {width}px;" in css


# --- which chart -------------------------------------------------------------------------


def _figures(kinds: dict[PeriodKind, int]) -> list[PeriodFigures]:
    indicator = make_indicator()
    for kind, count in kinds.items():
        for n in range(count):
            year = 2025 - n
            if kind == PeriodKind.QUARTER:
                period = quarter(year, 2)
            elif kind == PeriodKind.HALF_YEAR:
                period = make_period(kind, datetime.date(year, 1, 1), datetime.date(year, 6, 30))
            else:
                period = make_period(kind, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
            make_value(indicator=indicator, period=period)
    return figures_by_period(type(indicator).objects.for_detail().get(pk=indicator.pk))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kinds", "choices"),
    [
        # A series of quarters and one half-year: the quarters, no lone point, no choice.
        ({PeriodKind.QUARTER: 5, PeriodKind.HALF_YEAR: 1}, [(PeriodKind.QUARTER, 5)]),
        # Two series: the longer first, both offered.
        (
            {PeriodKind.QUARTER: 2, PeriodKind.YEAR: 3},
            [(PeriodKind.YEAR, 3), (PeriodKind.QUARTER, 2)],
        ),
        # Only lone points: the one that exists (the shortest kind on a tie).
        ({PeriodKind.YEAR: 1, PeriodKind.HALF_YEAR: 1}, [(PeriodKind.HALF_YEAR, 1)]),
        ({}, []),
    ],
)
def test_chart_choices(kinds, choices):
    assert chart_choices(_figures(kinds)) == choices


@pytest.mark.django_db
def test_detail_page_has_one_chart_and_links_to_the_other_kind(client):
    indicator = make_indicator(code="grdp-growth", name="Tăng trưởng GRDP")
    for year in (2023, 2024, 2025):
        period = make_period(
            PeriodKind.YEAR, datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        )
        make_value(indicator=indicator, period=period, value=Decimal("8"))
    for number in (1, 2):
        make_value(indicator=indicator, period=quarter(2025, number), value=Decimal("7.5"))
    response = client.get(indicator.get_absolute_url())
    html = response.content.decode()
    assert response.context["chart"]["kind"] == PeriodKind.YEAR
    assert html.count('<svg class="chart indicator-chart') == len(WIDTHS)  # one chart
    assert "Năm (3 kỳ)" in html and "?chart=quarter#chart" in html

    response = client.get(indicator.get_absolute_url(), {"chart": "quarter"})
    assert response.context["chart"]["kind"] == PeriodKind.QUARTER
    assert "?chart=year#chart" in response.content.decode()
    # An unknown kind falls back to the default chart.
    response = client.get(indicator.get_absolute_url(), {"chart": "<script>"})
    assert response.status_code == 200
    assert response.context["chart"]["kind"] == PeriodKind.YEAR


# --- the dashboard: each indicator's latest figures --------------------------------------


@pytest.mark.django_db
def test_dashboard_shows_every_indicator_whatever_the_kind_of_its_latest_period(
    client, django_assert_max_num_queries
):
    """Fourteen indicators reported for the first half; one of them also for the third
    quarter. Every one is on the dashboard, each with its own latest period."""
    h1 = make_period(PeriodKind.HALF_YEAR, datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))
    indicators = [
        make_indicator(
            name=f"Chỉ tiêu kinh tế - xã hội số {n} của Thành phố",
            category=list(Category)[n % 5],
        )
        for n in range(14)
    ]
    for indicator in indicators:
        make_value(indicator=indicator, period=h1, value=Decimal("7.63"))
    make_value(indicator=indicators[0], period=quarter(2025, 3), value=Decimal("8.2"))
    # A target for the fourth quarter, with no actual yet, is not "the latest figure".
    make_value(
        indicator=indicators[1], period=quarter(2025, 4), kind=ValueKind.TARGET, value=Decimal(8)
    )

    with django_assert_max_num_queries(4):
        response = client.get(reverse("indicators:list"))
    rows = {row.indicator.pk: row for group in response.context["groups"] for row in group["rows"]}
    assert len(rows) == 14
    assert rows[indicators[0].pk].period.label == "Quý III/2025"
    assert rows[indicators[1].pk].period.label == "6 tháng đầu năm 2025"
    html = response.content.decode()
    assert "Quý III/2025 · Đơn vị" in html and "6 tháng đầu năm 2025 · Đơn vị" in html

    # A period chosen: only that period's figures, as before.
    response = client.get(reverse("indicators:list"), {"period": "2025-q3"})
    rows = [row for group in response.context["groups"] for row in group["rows"]]
    assert [row.indicator for row in rows] == [indicators[0]]
