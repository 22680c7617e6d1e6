"""The contract every feed keeps (documents, meetings, projects' progress, indicators' new
figures), read as a feed reader reads it (feedparser) and as RFC 4287 and RSS 2.0 spell it;
and conditional GET on what readers poll: the feeds, the meetings calendar, the sitemap."""

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

import feedparser
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.http import http_date, parse_http_date

from documents.models import Visibility
from documents.tests.factories import make_document, organization
from indicators.tests.factories import make_indicator, make_value
from meetings.tests.factories import make_meeting, make_organization, make_term
from portal.publication import PublicationStatus
from projects.models import Sector
from projects.tests.factories import make_project, make_update

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
HIDDEN = "ẨN"  # in the name of every record the public must not see

# kind → (a filter that selects the visible record, a filter value that selects none)
KINDS = {
    "documents": ({"issuer": "TU"}, {"year": "1999"}),
    "meetings": ({"body": "BCHTU"}, {"year": "1999"}),
    "projects": ({"sector": Sector.RING_ROAD}, {"sector": Sector.BRIDGE}),
    "indicators": ({"category": "growth"}, {"category": "trade"}),
}
FEEDS = [(kind, fmt) for kind in KINDS for fmt in ("rss", "atom")]


@pytest.fixture
def records():
    """One public record of each kind with long Vietnamese names, and beside each the rows
    the public must never see: drafts, internal documents, pending children."""
    party = organization("TU", name="Ban Chấp hành Đảng bộ thành phố Hà Nội khóa XVII")
    make_document(
        number="341-KH/TU",
        issuer=party,
        title=(
            "Kế hoạch thực hiện Nghị quyết số 15-NQ/TW ngày 05/5/2022 của Bộ Chính trị về "
            "phương hướng, nhiệm vụ phát triển Thủ đô Hà Nội đến năm 2030, tầm nhìn 2045"
        ),
        summary="Mục đích, yêu cầu.\n\nNhiệm vụ, giải pháp trọng tâm.",
    )
    make_document(title=f"Bản nháp {HIDDEN}", status=PublicationStatus.DRAFT, issuer=party)
    make_document(title=f"Nội bộ {HIDDEN}", visibility=Visibility.INTERNAL, issuer=party)

    term = make_term(
        body=make_organization(code="BCHTU", name="Ban Chấp hành Đảng bộ Thành phố Hà Nội")
    )
    make_meeting(
        term=term,
        title="Hội nghị lần thứ 23 Ban Chấp hành Đảng bộ Thành phố Hà Nội khóa XVII",
        summary="Khai mạc hội nghị.\n\nThảo luận, cho ý kiến về các báo cáo.",
    )
    make_meeting(term=term, title=f"Hội nghị nháp {HIDDEN}", status=PublicationStatus.DRAFT)

    ring = make_project(
        name="Dự án đầu tư xây dựng đường Vành đai 4 – Vùng Thủ đô Hà Nội",
        sector=Sector.RING_ROAD,
    )
    make_update(ring, physical_percent=Decimal("45.5"), note="Đã giải phóng mặt bằng.")
    make_update(ring, date=datetime.date(2025, 9, 30), note=f"Chờ duyệt {HIDDEN}", pending=True)
    draft = make_project(name=f"Dự án nháp {HIDDEN}", status=PublicationStatus.DRAFT)
    make_update(draft, note=f"Cập nhật của dự án nháp {HIDDEN}")

    growth = make_indicator(
        name="Tốc độ tăng trưởng tổng sản phẩm trên địa bàn (GRDP) theo giá so sánh",
        category="growth",
    )
    make_value(indicator=growth, value=Decimal("7.63"), note="Ước tính của Cục Thống kê.")
    make_value(indicator=growth, kind="target", note=f"Chờ duyệt {HIDDEN}", pending=True)
    hidden = make_indicator(name=f"Chỉ tiêu nháp {HIDDEN}", status=PublicationStatus.DRAFT)
    make_value(indicator=hidden, note=f"Số liệu nháp {HIDDEN}")


def _url(kind: str, fmt: str) -> str:
    return reverse(f"{kind}:feed_{fmt}")


def _parsed(response):
    assert response.status_code == 200, response.content[:300]
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def _text(element, tag: str) -> str:
    found = element.find(tag)
    return (found.text or "").strip() if found is not None else ""


@pytest.mark.parametrize(("kind", "fmt"), FEEDS)
def test_every_feed_is_valid_and_shows_public_records_only(client, records, kind, fmt):
    response = client.get(_url(kind, fmt))
    feed = _parsed(response)

    assert feed.version == ("atom10" if fmt == "atom" else "rss20")
    assert len(feed.entries) == 1
    assert HIDDEN not in response.content.decode()
    root = ET.fromstring(response.content)
    if fmt == "atom":
        # RFC 4287 §4.1.1: a feed has an id, a title and `updated`; every entry an id, a
        # title, `updated` and an author, its own or the feed's.
        for tag in ("id", "title", "updated"):
            assert _text(root, ATOM + tag), tag
        feed_author = _text(root, f"{ATOM}author/{ATOM}name")
        assert feed_author == settings.PORTAL_SITE_NAMES["vi"]
        for entry in root.findall(ATOM + "entry"):
            for tag in ("id", "title", "updated"):
                assert _text(entry, ATOM + tag), tag
            assert _text(entry, f"{ATOM}author/{ATOM}name") or feed_author
        assert feed.entries[0].updated_parsed is not None
    else:
        channel = root.find("channel")
        for tag in ("title", "link", "description"):
            assert _text(channel, tag), tag
        for item in channel.findall("item"):
            for tag in ("title", "link", "guid", "pubDate", "description"):
                assert _text(item, tag), tag


@pytest.mark.parametrize(("kind", "fmt"), FEEDS)
def test_entry_text_keeps_its_paragraphs_escaped(client, records, kind, fmt):
    entry = _parsed(client.get(_url(kind, fmt))).entries[0]

    # The facts, then each paragraph of the record's own text (none for a bare figure).
    paragraphs = {"documents": 3, "meetings": 3, "projects": 2, "indicators": 1}[kind]
    assert entry.summary.count("<p>") == paragraphs


@pytest.mark.parametrize(("kind", "fmt"), FEEDS)
def test_filters_select_the_entries_and_stay_in_the_self_link(client, records, kind, fmt):
    selects, selects_none = KINDS[kind]
    url = _url(kind, fmt)
    (name, value) = next(iter(selects.items()))

    feed = _parsed(client.get(url, {**selects, "page": "2", "utm_source": "x", "format": ""}))

    links = {link.rel: link.href for link in feed.feed.links}
    assert links["self"] == f"http://testserver{url}?{name}={value}"
    assert links["alternate"] == f"http://testserver{reverse(f'{kind}:list')}?{name}={value}"
    assert len(feed.entries) == 1
    assert _parsed(client.get(url, selects_none)).entries == []


@pytest.mark.parametrize(("kind", "fmt"), FEEDS)
def test_a_feed_is_not_sent_again_until_it_changes(
    client, records, kind, fmt, django_assert_max_num_queries
):
    url = _url(kind, fmt)
    first = client.get(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]

    with django_assert_max_num_queries(1):  # the last change, one aggregate
        unchanged = client.get(url, headers={"if-none-match": etag})
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert client.get(url, headers={"if-modified-since": modified}).status_code == 304
    day_before = http_date(parse_http_date(modified) - 86_400)
    assert client.get(url, headers={"if-modified-since": day_before}).status_code == 200

    {
        "documents": lambda: make_document(title="Văn bản mới"),
        "meetings": lambda: make_meeting(title="Hội nghị mới"),
        "projects": lambda: make_update(
            make_project(sector=Sector.RING_ROAD), date=datetime.date(2025, 12, 31)
        ),
        "indicators": lambda: make_value(indicator=make_indicator(category="growth")),
    }[kind]()
    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert len(_parsed(changed).entries) == 2


@pytest.mark.parametrize(("kind", "fmt"), FEEDS)
def test_another_language_is_another_copy(client, records, kind, fmt):
    url = _url(kind, fmt)
    etag = client.get(url).headers["ETag"]

    response = client.get(f"/en{url}", headers={"if-none-match": etag})

    assert response.status_code == 200
    assert response.headers["ETag"] != etag


@pytest.mark.parametrize(("kind", "fmt"), FEEDS)
def test_a_bad_filter_is_never_confirmed_as_current(client, records, kind, fmt):
    response = client.get(_url(kind, fmt), {"page": "1", next(iter(KINDS[kind][0])): "x" * 300})

    assert response.status_code == 400
    assert "ETag" not in response.headers
    assert "Last-Modified" not in response.headers


@pytest.mark.parametrize(
    ("url_name", "query"),
    [("meetings:calendar", {}), ("meetings:calendar", {"body": "BCHTU"}), ("sitemap", {})],
)
def test_calendar_and_sitemap_answer_304_until_a_change(
    client, records, url_name, query, django_assert_max_num_queries
):
    url = reverse(url_name)
    first = client.get(url, query)
    assert first.status_code == 200
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]

    with django_assert_max_num_queries(1):
        assert client.get(url, query, headers={"if-none-match": etag}).status_code == 304
    assert client.get(url, query, headers={"if-modified-since": modified}).status_code == 304

    make_meeting(term=make_term(), title="Hội nghị bất thường", date=datetime.date(2025, 8, 1))
    changed = client.get(url, query, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert "Hội nghị bất thường" in changed.content.decode() or url_name == "sitemap"
    assert changed.headers["ETag"] != etag


def test_unknown_calendar_body_is_still_a_404_without_validators(client, records):
    response = client.get(reverse("meetings:calendar"), {"body": "KHONGCO"})

    assert response.status_code == 404
    assert "ETag" not in response.headers
