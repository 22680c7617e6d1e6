"""RSS and Atom feeds of indicators' new figures (parsed by feedparser, as a reader does):
the dashboard's filters, approved figures of published indicators only."""

import datetime
from decimal import Decimal

import feedparser
import pytest
from django.urls import reverse

from portal.publication import PublicationStatus

from ..models import Category, ValueKind, Vintage
from ..periods import PeriodKind
from .factories import make_indicator, make_period, make_value, quarter

pytestmark = pytest.mark.django_db

RSS = reverse("indicators:feed_rss")
ATOM = reverse("indicators:feed_atom")


def _parse(response):
    assert response.status_code == 200, response.content[:300]
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def _titles(response) -> list[str]:
    return [entry.title for entry in _parse(response).entries]


@pytest.fixture
def grdp():
    return make_indicator(
        code="grdp-growth",
        name="Tốc độ tăng trưởng tổng sản phẩm trên địa bàn (GRDP)",
        category=Category.GROWTH,
        is_headline=True,
    )


@pytest.mark.parametrize(("url", "version"), [(RSS, "rss20"), (ATOM, "atom10")])
def test_feed_lists_approved_figures_of_published_indicators(client, grdp, url, version):
    make_value(
        indicator=grdp,
        value=Decimal("7.63"),
        vintage=Vintage.PRELIMINARY,
        source_text="Cục Thống kê thành phố Hà Nội",
        note="Cao nhất cùng kỳ giai đoạn 2020–2025.\n\nVượt kịch bản đề ra.",
    )
    make_value(indicator=grdp, kind=ValueKind.TARGET, value=Decimal("8"), pending=True)
    draft = make_indicator(name="Chỉ số cải cách hành chính", status=PublicationStatus.DRAFT)
    make_value(indicator=draft, value=Decimal("90"))

    response = client.get(url)
    feed = _parse(response)

    assert feed.version == version
    assert feed.feed.title == "Số liệu chỉ tiêu mới cập nhật"
    assert [entry.title for entry in feed.entries] == [
        "Tốc độ tăng trưởng tổng sản phẩm trên địa bàn (GRDP) – 6 tháng đầu năm 2025: "
        "Thực hiện 7,63%"
    ]
    entry = feed.entries[0]
    assert entry.link.startswith("http://testserver" + grdp.get_absolute_url())
    assert "Lần công bố: Sơ bộ" in entry.summary
    assert "Nguồn: Cục Thống kê thành phố Hà Nội" in entry.summary
    assert "<p>Vượt kịch bản đề ra.</p>" in entry.summary
    assert "Kế hoạch" not in response.content.decode()
    assert "cải cách hành chính" not in response.content.decode()


def test_each_figure_has_its_own_id(client, grdp):
    make_value(indicator=grdp, value=Decimal("7.63"))
    make_value(indicator=grdp, kind=ValueKind.TARGET, value=Decimal("8"))

    entries = _parse(client.get(ATOM)).entries

    assert len({entry.id for entry in entries}) == 2
    assert entries[0].title.endswith("Kế hoạch 8%")  # the newest entered first


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"category": Category.GROWTH}, ["GRDP"]),
        ({"category": Category.TRADE}, ["xuất khẩu"]),
        ({"headline": "true"}, ["GRDP"]),
        ({"q": "grdp"}, ["GRDP"]),
        ({"q": "xuat khau"}, ["xuất khẩu"]),
    ],
)
def test_feed_honours_the_dashboard_filters(client, grdp, query, expected):
    make_value(indicator=grdp)
    exports = make_indicator(name="Kim ngạch xuất khẩu", category=Category.TRADE)
    make_value(indicator=exports, value=Decimal("12.5"))

    for url in (RSS, ATOM):
        titles = _titles(client.get(url, query))
        assert [name for name in ("GRDP", "xuất khẩu") if any(name in t for t in titles)] == (
            expected
        )


def test_period_filter_keeps_that_periods_figures(client, grdp):
    make_value(indicator=grdp, period=quarter(2025, 1), value=Decimal("7.35"))
    make_value(indicator=grdp, period=quarter(2025, 2), value=Decimal("7.9"))

    feed = _parse(client.get(RSS, {"period": quarter(2025, 1).slug}))

    assert [entry.title.rsplit(": ", 1)[-1] for entry in feed.entries] == ["Thực hiện 7,35%"]
    assert "Kỳ báo cáo: Quý I/2025" in feed.feed.title


@pytest.mark.parametrize(
    "query", [{"category": "khong-co"}, {"period": "khong-co"}, {"category": "x" * 10_000}]
)
def test_invalid_filter_is_a_400_with_a_message(client, query):
    for url in (RSS, ATOM):
        response = client.get(url, query)
        assert response.status_code == 400
        assert "Bộ lọc không hợp lệ" in response.content.decode()


def test_feed_query_count_is_bounded(client, django_assert_max_num_queries):
    for n in range(5):
        indicator = make_indicator(name=f"Chỉ tiêu {n}")
        for kind in (ValueKind.ACTUAL, ValueKind.TARGET):
            make_value(indicator=indicator, kind=kind)
    make_period(PeriodKind.YEAR, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    # The last change, the period's row, the figures with their indicators and periods.
    with django_assert_max_num_queries(3):
        feed = _parse(client.get(RSS, {"period": "2025-h1"}))
    assert len(feed.entries) == 10


def test_dashboard_offers_the_feed_of_the_same_filter(client, grdp):
    make_value(indicator=grdp)

    html = client.get(reverse("indicators:list"), {"category": "growth"}).content.decode()

    assert f'<a href="{RSS}?category=growth">Theo dõi (RSS)</a>' in html
    assert f'title="Số liệu chỉ tiêu mới cập nhật (Atom)" href="{ATOM}?category=growth"' in html
