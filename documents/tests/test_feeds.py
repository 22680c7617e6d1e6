"""RSS and Atom feeds of documents: valid feeds (parsed by feedparser, as a reader does),
the list's filters, public and published records only, dates with their time zone."""

import calendar
import datetime
import zoneinfo

import feedparser
import pytest
from django.urls import reverse

from portal.publication import PublicationStatus
from portal.tests.factories import make_staff

from ..models import DocumentType, Visibility
from .factories import make_document, make_state_document, organization

pytestmark = pytest.mark.django_db

RSS = reverse("documents:feed_rss")
ATOM = reverse("documents:feed_atom")
HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def _parse(response):
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


@pytest.mark.parametrize(("url", "version"), [(RSS, "rss20"), (ATOM, "atom10")])
def test_feed_is_valid_and_lists_published_public_documents(client, url, version):
    published_at = datetime.datetime(2025, 6, 12, 9, 30, tzinfo=HANOI)
    plan = make_document(
        number="341-KH/TU",
        title="Kế hoạch thực hiện Nghị quyết",
        summary="Tóm tắt <b>có thẻ</b>",
        published_at=published_at,
    )
    make_document(title="Bản nháp", status=PublicationStatus.DRAFT)
    make_document(title="Văn bản nội bộ", visibility=Visibility.INTERNAL)

    feed = _parse(client.get(url))

    assert feed.version == version
    assert feed.feed.title == "Văn bản mới công bố"
    assert [entry.title for entry in feed.entries] == ["341-KH/TU – Kế hoạch thực hiện Nghị quyết"]
    entry = feed.entries[0]
    assert entry.link == "http://testserver" + plan.get_absolute_url()
    assert calendar.timegm(entry.published_parsed) == int(published_at.timestamp())
    assert "Ngày ban hành: 12/06/2025" in entry.summary
    assert "<b>" not in entry.summary


def test_internal_and_drafts_stay_out_even_for_staff(client):
    """Feeds are cached by shared readers: a signed-in user gets the anonymous feed."""
    client.force_login(make_staff("documents.view_internal_document"))
    make_document(title="Công khai")
    make_document(title="Nội bộ", visibility=Visibility.INTERNAL)
    make_document(title="Nháp", status=PublicationStatus.DRAFT)

    feed = _parse(client.get(RSS))

    assert [entry.title.split(" – ")[-1] for entry in feed.entries] == ["Công khai"]


def test_feed_honours_the_list_filters(client):
    plan_type = DocumentType.objects.get(slug="ke-hoach")
    wanted = make_document(title="Kế hoạch của Thành ủy", document_type=plan_type)
    make_document(title="Chương trình của Thành ủy", number="")
    make_state_document(title="Kế hoạch của UBND", document_type=plan_type)

    for url in (RSS, ATOM):
        feed = _parse(client.get(url, {"issuer": "TU", "type": "ke-hoach", "page": "3"}))
        assert [entry.link for entry in feed.entries] == [
            "http://testserver" + wanted.get_absolute_url()
        ]
        assert "Cơ quan ban hành" in feed.feed.title
        assert "Loại văn bản: Kế hoạch" in feed.feed.title


def test_feed_honours_the_text_query(client):
    make_document(title="Cải tạo sông Tô Lịch")
    make_document(title="Đường vành đai 4")

    feed = _parse(client.get(RSS, {"q": "to lich"}))

    assert [entry.title.split(" – ")[-1] for entry in feed.entries] == ["Cải tạo sông Tô Lịch"]


@pytest.mark.parametrize(
    "query",
    [
        {"issuer": "KHONG-CO"},
        {"type": "khong-co"},
        {"year": "abc"},
        {"year": "2025.5"},
        {"in_force": "x" * 10_000},
    ],
)
def test_invalid_filter_is_a_400_with_a_message(client, query):
    organization("TU")
    for url in (RSS, ATOM):
        response = client.get(url, query)
        assert response.status_code == 400
        assert "Bộ lọc không hợp lệ" in response.content.decode()


def test_null_bytes_and_unknown_parameters_do_not_fail(client):
    make_document(title="Công khai")

    feed = _parse(client.get(RSS, {"q": "công\x00khai", "other": "\x00" * 10}))

    assert len(feed.entries) == 1


def test_list_page_offers_the_feed_of_the_same_filter(client):
    organization("TU")
    make_document()

    html = client.get(reverse("documents:list"), {"issuer": "TU", "page": "1"}).content.decode()

    assert (
        f'<link rel="alternate" type="application/rss+xml" title="Văn bản mới công bố (RSS)" '
        f'href="{RSS}?issuer=TU">'
    ) in html
    assert f'<a href="{RSS}?issuer=TU">Theo dõi (RSS)</a>' in html
    assert f'href="{ATOM}?issuer=TU"' in html


def test_unfiltered_list_offers_the_whole_feed(client):
    html = client.get(reverse("documents:list")).content.decode()

    assert f'<a href="{RSS}">Theo dõi (RSS)</a>' in html


def test_feed_query_count_is_bounded(client, django_assert_max_num_queries):
    for n in range(5):
        make_document(title=f"Văn bản {n}", summary="Tóm tắt")
    with django_assert_max_num_queries(6):
        feed = _parse(client.get(RSS, {"issuer": "TU"}))
    assert len(feed.entries) == 5


def test_self_link_keeps_the_filters(client):
    """`/documents/feed/rss/?issuer=TU` names itself, not the unfiltered feed."""
    make_document()

    for url in (RSS, ATOM):
        feed = _parse(client.get(url, {"issuer": "TU", "page": "2", "year": ""}))
        links = {link.rel: link.href for link in feed.feed.links}
        assert links["self"] == f"http://testserver{url}?issuer=TU"


def test_entries_name_the_issuing_body_and_keep_paragraphs(client):
    """The author is the body that issued the document (RFC 4287), never a staff member."""
    issuer = organization("TU", name="Ban Thường vụ Thành ủy Hà Nội")
    make_document(
        issuer=issuer,
        summary="Mục đích, yêu cầu.\nBám sát Nghị quyết.\n\nNhiệm vụ & giải pháp <trọng tâm>.",
    )

    entry = _parse(client.get(ATOM)).entries[0]

    assert entry.author == "Ban Thường vụ Thành ủy Hà Nội"
    assert "<p>Mục đích, yêu cầu.<br />Bám sát Nghị quyết.</p>" in entry.summary
    assert "<p>Nhiệm vụ &amp; giải pháp &lt;trọng tâm&gt;.</p>" in entry.summary
    assert entry.updated_parsed is not None
