"""The indicator detail page in a real browser: a phone-width chart, and no JavaScript."""

from decimal import Decimal

import pytest

from indicators.models import Unit, ValueKind
from indicators.tests.factories import make_indicator, make_value, quarter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_HORIZONTAL_SCROLL = (
    "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
)


@pytest.fixture
def grdp():
    indicator = make_indicator(
        code="grdp-growth", name="Tăng trưởng GRDP", unit=Unit.PERCENT_CHANGE
    )
    for n, (actual, scenario) in enumerate((("7.0", "7.2"), ("7.56", "7.93"), ("7.8", "8.1"))):
        period = quarter(2025, n + 1)
        make_value(indicator=indicator, period=period, value=Decimal(actual))
        make_value(
            indicator=indicator, period=period, kind=ValueKind.SCENARIO, value=Decimal(scenario)
        )
    return indicator


def test_chart_fits_a_phone_and_works_without_javascript(live_server, browser, grdp):
    url = live_server.url + grdp.get_absolute_url()
    for javascript in (True, False):
        context = browser.new_context(
            locale="vi-VN",
            viewport={"width": 360, "height": 800},
            java_script_enabled=javascript,
        )
        page = context.new_page()
        page.goto(url)
        chart = page.locator("svg.indicator-chart[role=img]:visible")
        assert chart.count() == 1  # one of the chart's widths shows
        assert chart.is_visible()
        box = chart.bounding_box()
        assert box["width"] > 250 and box["x"] >= 0 and box["x"] + box["width"] <= 360
        assert chart.locator("g.point").count() == 6
        assert page.locator("table.indicator-table").is_visible()
        assert page.locator("table.indicator-table tbody tr").count() == 3
        assert "+7,56%" in page.locator("table.indicator-table").inner_text()
        assert page.evaluate(NO_HORIZONTAL_SCROLL)
        if javascript:
            # The dashboard too, with a long "no verdict" badge.
            make_value(
                indicator=make_indicator(name="Chỉ số sản xuất công nghiệp (IIP): mức tăng"),
                period=quarter(2025, 3),
            )
            page.goto(live_server.url + "/indicators/")
            assert page.locator(".verdict").count() == 2
            assert page.evaluate(NO_HORIZONTAL_SCROLL)
        context.close()


# The size of a chart's axis labels on screen: their font size times the chart's scale.
TEXT_SIZES = """() => [...document.querySelectorAll("svg.indicator-chart")]
    .filter((svg) => svg.getBoundingClientRect().width > 0)
    .map((svg) => {
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        const text = svg.querySelector("text.tick");
        return parseFloat(getComputedStyle(text).fontSize) * scale;
    })"""


@pytest.mark.parametrize("width", [360, 600, 1280])
def test_chart_text_keeps_its_size_at_any_width(live_server, browser, grdp, width):
    context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + grdp.get_absolute_url())
    [size] = page.evaluate(TEXT_SIZES)
    assert 11.5 <= size <= 14, size
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    context.close()
