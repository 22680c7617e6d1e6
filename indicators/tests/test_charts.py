import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils import translation

from indicators.charts import (
    HEIGHT,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    STYLES,
    Series,
    line_chart,
    nice_ticks,
)

SVG = "{http://www.w3.org/2000/svg}"


def _chart(**overrides):
    arguments = {
        "chart_id": "c1",
        "title": "Tăng trưởng GRDP",
        "description": "Thực hiện và kịch bản",
        "labels": ["Quý I/2025", "Quý II/2025", "Quý III/2025"],
        "series": [
            Series("Thực hiện", [Decimal("7.0"), Decimal("7.56"), None], key="actual"),
            Series("Kịch bản", [Decimal("7.2"), Decimal("7.93"), Decimal("8.1")], key="scenario"),
        ],
        "unit": "%",
    }
    return line_chart(**(arguments | overrides))


def test_nice_ticks_cover_the_data_and_zero():
    ticks = nice_ticks(0, 7.93)
    assert ticks[0] == 0
    assert ticks[-1] >= 7.93
    assert ticks == sorted(ticks)
    assert nice_ticks(-3, 5)[0] <= -3


def test_svg_is_accessible_and_well_formed():
    with translation.override("vi"):
        chart = _chart()
    root = ET.fromstring(str(chart.svg))
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "Tăng trưởng GRDP"
    assert desc.text == "Thực hiện và kịch bản"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    legend = [t.text for t in root.iter(f"{SVG}text") if t.text in ("Thực hiện", "Kịch bản")]
    assert legend == ["Thực hiện", "Kịch bản"]


def test_points_are_where_the_values_are():
    with translation.override("vi"):
        chart = _chart()
    root = ET.fromstring(str(chart.svg))
    points = root.findall(f".//{SVG}g[@class='point']")
    drawn = [(p.get("data-series"), p.get("data-label"), p.get("data-value")) for p in points]
    assert drawn == [
        ("actual", "Quý I/2025", "7"),
        ("actual", "Quý II/2025", "7.56"),
        ("scenario", "Quý I/2025", "7.2"),
        ("scenario", "Quý II/2025", "7.93"),
        ("scenario", "Quý III/2025", "8.1"),
    ]
    # Tooltips read in the active language's notation.
    assert points[1].find(f"{SVG}title").text == "Thực hiện, Quý II/2025: 7,56%"
    # Same label → same x; higher value → smaller y; y is linear in the value.
    by_key = {(p.series, p.label): p for p in chart.points}
    q2_actual, q2_scenario = (
        by_key[("Thực hiện", "Quý II/2025")],
        by_key[("Kịch bản", "Quý II/2025")],
    )
    assert q2_actual.x == q2_scenario.x
    assert q2_scenario.y < q2_actual.y
    assert MARGIN_TOP <= q2_scenario.y <= HEIGHT - MARGIN_BOTTOM
    q1, q3 = by_key[("Kịch bản", "Quý I/2025")], by_key[("Kịch bản", "Quý III/2025")]
    slope = (q3.y - q1.y) / float(Decimal("8.1") - Decimal("7.2"))
    expected_q2 = q1.y + slope * float(Decimal("7.93") - Decimal("7.2"))
    assert q2_scenario.y == pytest.approx(expected_q2, abs=0.02)
    # The markup carries the same coordinates.
    circle = points[1].find(f"{SVG}circle")
    assert float(circle.get("cx")) == pytest.approx(q2_actual.x, abs=0.01)
    assert float(circle.get("cy")) == pytest.approx(q2_actual.y, abs=0.01)


def test_series_differ_without_colour():
    root = ET.fromstring(str(_chart().svg))
    paths = {p.get("class"): p for p in root.iter(f"{SVG}path")}
    actual, reference = paths["line line--actual"], paths["line line--reference"]
    assert actual.get("stroke-dasharray") is None
    assert reference.get("stroke-dasharray") == STYLES[1].dash
    # Circles for the first series, squares for the second.
    assert root.findall(f".//{SVG}g[@data-series='actual']/{SVG}circle")
    assert root.findall(f".//{SVG}g[@data-series='scenario']/{SVG}rect")
    # A gap (None) breaks the actual line: 2 points, one segment.
    assert actual.get("d").count("L") == 1


def test_text_is_escaped():
    chart = _chart(title="<script>alert(1)</script>", labels=["<b>", "x", "y"])
    assert "<script>" not in str(chart.svg)
    ET.fromstring(str(chart.svg))


def test_no_numbers_no_chart():
    chart = _chart(series=[Series("Thực hiện", [None, None, None])])
    assert str(chart.svg) == ""
    assert chart.points == []


def test_single_point_and_flat_values():
    chart = _chart(labels=["Năm 2025"], series=[Series("Thực hiện", [Decimal("0")])])
    assert len(chart.points) == 1
    ET.fromstring(str(chart.svg))
