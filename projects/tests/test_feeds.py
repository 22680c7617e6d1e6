"""RSS and Atom feeds of progress updates (parsed by feedparser, as a reader does): the
project list's filters, approved updates of published projects only."""

import datetime
from decimal import Decimal

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import parse_http_date

from portal.publication import PublicationStatus

from ..models import ProgressUpdate, Project, Sector, Stage
from .factories import make_project, make_update

pytestmark = pytest.mark.django_db

RSS = reverse("projects:feed_rss")
ATOM = reverse("projects:feed_atom")


def _parse(response):
    assert response.status_code == 200, response.content[:300]
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def _titles(response) -> list[str]:
    return [entry.title for entry in _parse(response).entries]


@pytest.fixture
def ring_road():
    project = make_project(
        name="Dự án đầu tư xây dựng đường Vành đai 4 – Vùng Thủ đô Hà Nội",
        sector=Sector.RING_ROAD,
        is_key=True,
        stage=Stage.UNDER_CONSTRUCTION,
        planned_start=datetime.date(2023, 6, 1),
        planned_finish=datetime.date(2024, 1, 1),
    )
    make_update(
        project,
        date=datetime.date(2025, 6, 30),
        physical_percent=Decimal("45.5"),
        disbursed_amount=Decimal("12500000000"),
        disbursed_percent=Decimal("62"),
        note="Hoàn thành giải phóng mặt bằng đoạn qua huyện Mê Linh.\n\nĐang thi công cầu.",
        source_text="Báo cáo của Ban Quản lý dự án",
    )
    return project


@pytest.mark.parametrize(("url", "version"), [(RSS, "rss20"), (ATOM, "atom10")])
def test_feed_lists_the_approved_updates_of_published_projects(client, ring_road, url, version):
    make_update(ring_road, date=datetime.date(2025, 9, 30), note="Chờ duyệt", pending=True)
    draft = make_project(name="Cầu Trần Hưng Đạo", status=PublicationStatus.DRAFT)
    make_update(draft, note="Dự án chưa công bố")
    archived = make_project(name="Cầu Tứ Liên", status=PublicationStatus.ARCHIVED)
    make_update(archived, note="Dự án lưu trữ")

    response = client.get(url)
    feed = _parse(response)

    assert feed.version == version
    assert feed.feed.title == "Tiến độ dự án mới cập nhật"
    assert [entry.title for entry in feed.entries] == [
        "Dự án đầu tư xây dựng đường Vành đai 4 – Vùng Thủ đô Hà Nội – tiến độ đến ngày 30/06/2025"
    ]
    entry = feed.entries[0]
    assert entry.link.startswith("http://testserver" + ring_road.get_absolute_url())
    assert "Khối lượng hoàn thành: 45,5%" in entry.summary
    assert "Giải ngân: 12.500.000.000 đồng, 62% kế hoạch vốn" in entry.summary
    assert "<p>Đang thi công cầu.</p>" in entry.summary
    assert "Chờ duyệt" not in response.content.decode()
    assert "Trần Hưng Đạo" not in response.content.decode()
    assert "Tứ Liên" not in response.content.decode()


def test_each_update_has_its_own_id(client, ring_road):
    make_update(ring_road, date=datetime.date(2025, 9, 30), physical_percent=Decimal("50"))

    entries = _parse(client.get(ATOM)).entries

    assert len({entry.id for entry in entries}) == 2
    assert entries[0].title.endswith("30/09/2025")  # the newest entered first


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"sector": Sector.RING_ROAD}, ["Vành đai 4"]),
        ({"sector": Sector.BRIDGE}, ["Tứ Liên"]),
        ({"key": "yes"}, ["Vành đai 4"]),
        ({"key": "no"}, ["Tứ Liên"]),
        ({"stage": Stage.COMPLETED}, []),
        ({"schedule": "behind"}, ["Vành đai 4"]),
        ({"schedule": "on_schedule"}, []),
        ({"q": "vanh dai"}, ["Vành đai 4"]),
        ({"q": "to lich"}, []),
    ],
)
def test_feed_honours_the_list_filters(client, ring_road, query, expected):
    make_update(make_project(name="Cầu Tứ Liên", sector=Sector.BRIDGE), note="Cầu khác")

    for url in (RSS, ATOM):
        titles = _titles(client.get(url, query))
        assert [name for name in ("Vành đai 4", "Tứ Liên") if any(name in t for t in titles)] == (
            expected
        )


def test_feed_title_says_what_the_filters_select(client, ring_road):
    feed = _parse(client.get(RSS, {"sector": Sector.RING_ROAD, "key": "yes"}))

    assert feed.feed.title == (
        "Tiến độ dự án mới cập nhật – Lĩnh vực: Đường vành đai; "
        "Dự án trọng điểm: Chỉ dự án trọng điểm"
    )


def test_schedule_filter_is_judged_again_each_day(client, ring_road):
    """Behind schedule depends on today: with that filter, the feed's date is never before
    today's start, though no record changed for a year."""
    a_year_ago = datetime.datetime(2024, 1, 2, tzinfo=datetime.UTC)
    for model in (Project, ProgressUpdate):
        model.history.model.objects.update(history_date=a_year_ago)

    plain = client.get(RSS, {"sector": Sector.RING_ROAD})
    judged = client.get(RSS, {"schedule": "behind"})

    assert parse_http_date(plain.headers["Last-Modified"]) == a_year_ago.timestamp()
    today = datetime.datetime.combine(timezone.localdate(), datetime.time.min)
    assert parse_http_date(judged.headers["Last-Modified"]) == (
        timezone.make_aware(today).timestamp()
    )


@pytest.mark.parametrize("query", [{"sector": "khong-co"}, {"schedule": "late"}])
def test_invalid_filter_is_a_400_with_a_message(client, query):
    for url in (RSS, ATOM):
        response = client.get(url, query)
        assert response.status_code == 400
        assert "Bộ lọc không hợp lệ" in response.content.decode()


def test_feed_query_count_is_bounded(client, django_assert_max_num_queries):
    for n in range(5):
        project = make_project(name=f"Cầu số {n}", sector=Sector.BRIDGE)
        for month in (3, 6):
            make_update(project, date=datetime.date(2025, month, 30))
    # The last change, the updates with their projects (the schedule filter: one more).
    with django_assert_max_num_queries(3):
        feed = _parse(client.get(RSS, {"sector": Sector.BRIDGE, "schedule": "unknown"}))
    assert len(feed.entries) == 10


def test_list_page_offers_the_feed_of_the_same_filter(client, ring_road):
    html = client.get(reverse("projects:list"), {"sector": "ring_road", "page": "1"})

    text = html.content.decode()
    assert f'<a href="{RSS}?sector=ring_road">Theo dõi (RSS)</a>' in text
    assert f'title="Tiến độ dự án mới cập nhật (Atom)" href="{ATOM}?sector=ring_road"' in text
