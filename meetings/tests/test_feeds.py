"""RSS and Atom feeds of meetings (parsed by feedparser), filtered like the list, and the
calendar and feed links wherever meetings are listed."""

import calendar
import datetime
import zoneinfo

import feedparser
import pytest
from django.urls import reverse

from portal.publication import PublicationStatus
from portal.tests.factories import make_staff

from .factories import make_item, make_meeting, make_organization, make_term

pytestmark = pytest.mark.django_db

RSS = reverse("meetings:feed_rss")
ATOM = reverse("meetings:feed_atom")
HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def _parse(response):
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


@pytest.mark.parametrize(("url", "version"), [(RSS, "rss20"), (ATOM, "atom10")])
def test_feed_is_valid_and_lists_published_meetings(client, url, version):
    published_at = datetime.datetime(2025, 7, 2, 8, 0, tzinfo=HANOI)
    meeting = make_meeting(
        title="Hội nghị lần thứ 23 Ban Chấp hành Đảng bộ Thành phố",
        date=datetime.date(2025, 7, 1),
        place="Trung tâm Hội nghị Thành phố",
        published_at=published_at,
    )
    make_meeting(title="Hội nghị nháp", status=PublicationStatus.DRAFT)
    make_meeting(title="Hội nghị lưu trữ", status=PublicationStatus.ARCHIVED)

    feed = _parse(client.get(url))

    assert feed.version == version
    assert feed.feed.title == "Hội nghị mới công bố"
    assert [entry.title for entry in feed.entries] == [meeting.title]
    entry = feed.entries[0]
    assert entry.link == "http://testserver" + meeting.get_absolute_url()
    assert calendar.timegm(entry.published_parsed) == int(published_at.timestamp())
    assert "Ngày họp: 01/07/2025" in entry.summary
    assert "Trung tâm Hội nghị Thành phố" in entry.summary


def test_signed_in_users_get_the_public_feed(client):
    client.force_login(make_staff("meetings.publish_meeting"))
    make_meeting(title="Công bố")
    make_meeting(title="Nháp", status=PublicationStatus.DRAFT)

    assert [e.title for e in _parse(client.get(RSS)).entries] == ["Công bố"]


def test_feed_honours_the_list_filters(client):
    party = make_term(body=make_organization(code="BCHTU", name="Ban Chấp hành"))
    council = make_term(body=make_organization(code="HĐND", name="Hội đồng nhân dân"))
    wanted = make_meeting(term=party, title="Hội nghị 2025", date=datetime.date(2025, 7, 1))
    make_meeting(term=party, title="Hội nghị 2024", date=datetime.date(2024, 7, 1))
    make_meeting(term=council, title="Kỳ họp 2025", date=datetime.date(2025, 7, 9))

    for url in (RSS, ATOM):
        feed = _parse(client.get(url, {"body": "bchtu", "year": "2025", "page": "2"}))
        assert [entry.title for entry in feed.entries] == [wanted.title]
        assert "Cơ quan: Ban Chấp hành" in feed.feed.title


def test_feed_honours_the_text_query_through_agenda_items(client):
    meeting = make_meeting(title="Hội nghị thường kỳ")
    make_item(meeting, title="Xử lý ô nhiễm sông Tô Lịch")
    make_meeting(title="Hội nghị khác")

    feed = _parse(client.get(RSS, {"q": "TO LICH"}))

    assert [entry.title for entry in feed.entries] == ["Hội nghị thường kỳ"]


@pytest.mark.parametrize(
    "query",
    [{"body": "KHONGCO"}, {"year": "abc"}, {"kind": "x" * 10_000}, {"term": "MMMMXVII"}],
)
def test_invalid_filter_is_a_400_with_a_message(client, query):
    make_meeting()
    for url in (RSS, ATOM):
        response = client.get(url, query)
        assert response.status_code == 400
        assert "Bộ lọc không hợp lệ" in response.content.decode()


def test_null_bytes_do_not_fail(client):
    make_meeting(title="Hội nghị công khai")

    feed = _parse(client.get(RSS, {"q": "công\x00khai", "other": "\x00"}))

    assert [entry.title for entry in feed.entries] == ["Hội nghị công khai"]


def test_list_page_offers_the_feed_of_the_same_filter(client):
    make_meeting()

    html = client.get(reverse("meetings:list"), {"body": "BCHTU", "page": "1"}).content.decode()

    assert (
        f'<link rel="alternate" type="application/rss+xml" title="Hội nghị mới công bố (RSS)" '
        f'href="{RSS}?body=BCHTU">'
    ) in html
    assert f'<a href="{RSS}?body=BCHTU">Theo dõi (RSS)</a>' in html
    assert f'href="{ATOM}?body=BCHTU"' in html


def test_home_page_links_the_calendar(client):
    make_meeting()

    html = client.get(reverse("portal:home")).content.decode()

    assert f'href="{reverse("meetings:calendar")}"' in html


def test_feed_query_count_is_bounded(client, django_assert_max_num_queries):
    for n in range(5):
        make_item(make_meeting(title=f"Hội nghị {n}"), title="Nội dung")
    with django_assert_max_num_queries(8):
        feed = _parse(client.get(RSS, {"body": "BCHTU"}))
    assert len(feed.entries) == 5


def test_list_filters_by_words_without_diacritics(client):
    river = make_meeting(title="Hội nghị về sông Tô Lịch")
    through_item = make_meeting(title="Hội nghị thường kỳ")
    make_item(through_item, title="Cải tạo sông TÔ LỊCH")
    make_meeting(title="Hội nghị khác")
    make_meeting(title="Nháp Tô Lịch", status=PublicationStatus.DRAFT)

    response = client.get(reverse("meetings:list"), {"q": "to lich"})

    assert set(response.context["meetings"]) == {river, through_item}


def test_summary_paragraphs_are_kept_and_the_body_is_the_author(client):
    make_meeting(
        term=make_term(body=make_organization(code="HĐND", name="Hội đồng nhân dân Thành phố")),
        title="Kỳ họp thứ 22 Hội đồng nhân dân Thành phố Hà Nội khóa XVI",
        summary="Khai mạc kỳ họp.\n\nThông qua 15 nghị quyết <quan trọng>.",
    )

    for url in (RSS, ATOM):
        entry = _parse(client.get(url)).entries[0]
        assert "<p>Khai mạc kỳ họp.</p>" in entry.summary
        assert "<p>Thông qua 15 nghị quyết &lt;quan trọng&gt;.</p>" in entry.summary
        assert entry.author == "Hội đồng nhân dân Thành phố"


def test_self_link_keeps_the_filters(client):
    make_meeting()

    for url in (RSS, ATOM):
        feed = _parse(client.get(url, {"body": "BCHTU", "page": "2", "utm": "x"}))
        links = {link.rel: link.href for link in feed.feed.links}
        assert links["self"] == f"http://testserver{url}?body=BCHTU"
