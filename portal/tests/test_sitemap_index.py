"""The sitemap's index and sections: bounded sections at stable addresses, read by ranges of
primary keys, at a cost that does not grow with the register, and 304 until they change."""

import datetime
import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from documents.models import Visibility
from documents.tests.factories import make_document
from meetings.tests.factories import make_meeting
from portal import sitemaps
from portal.publication import PublicationStatus
from portal.sitemaps import w3c_datetime

from . import sitemap_reader
from .factories import make_person

pytestmark = pytest.mark.django_db

SIZE = 4
SECTION = re.compile(r"/sitemap-(\w+)-(\d+)\.xml")


@pytest.fixture
def small_sections(monkeypatch):
    monkeypatch.setattr(sitemaps, "SECTION_SIZE", SIZE)


def _register(count: int) -> tuple[list, list]:
    """`count` documents, about one in four hidden (draft, internal or archived), and a run
    of hidden ones long enough to leave a whole section empty."""
    public, hidden = [], []
    hiding = [
        {"status": PublicationStatus.DRAFT},
        {"visibility": Visibility.INTERNAL},
        {"status": PublicationStatus.ARCHIVED},
    ]
    for n in range(count):
        title = f"Kế hoạch thực hiện Chương trình hành động số {n} của Thành ủy"
        if n % 4 == 3:
            hidden.append(make_document(title=title, **hiding[n % 3]))
        else:
            public.append(make_document(title=title))
    hidden += [make_document(title=f"Dự thảo {n}", status="draft") for n in range(2 * SIZE)]
    public.append(make_document(title="Nghị quyết sau một loạt dự thảo"))
    return public, hidden


def _address(document) -> str:
    return f"http://testserver{document.get_absolute_url()}"


def test_sections_list_every_public_document_exactly_once_within_their_range(
    client, small_sections
):
    public, hidden = _register(20)

    sections = sitemap_reader.crawl(client)

    listed, fillers = [], []
    by_address = {_address(d): d for d in public + hidden}
    for path, urls in sections.items():
        kind, number = SECTION.fullmatch(path).groups()
        if kind != "documents":
            continue
        assert 0 < len(urls) <= SIZE
        if urls[0].location == "http://testserver/":
            fillers.append(int(number))
            continue
        for url in urls:
            assert by_address[url.location].pk // SIZE == int(number)
        listed += [url.location for url in urls]
    assert sorted(listed) == sorted(_address(d) for d in public)
    assert not set(listed) & {_address(d) for d in hidden}
    # The run of drafts fills whole ranges: their sections list the home page alone.
    empty = {d.pk // SIZE for d in hidden[-2 * SIZE :]} - {d.pk // SIZE for d in public}
    assert empty
    assert sorted(fillers) == sorted(empty)


def test_a_section_keeps_its_address_and_content_when_others_change(client, small_sections):
    public, _hidden = _register(8)
    path = f"/sitemap-documents-{public[0].pk // SIZE}.xml"
    first = sitemap_reader.section(client, path)

    more = [make_document(title=f"Thông báo kết luận số {n}") for n in range(2 * SIZE)]
    more[-1].status = PublicationStatus.ARCHIVED
    more[-1].save()

    assert sitemap_reader.section(client, path) == first
    index = sitemap_reader.index(client)
    assert f"/sitemap-documents-{more[0].pk // SIZE}.xml" in index


@pytest.mark.parametrize(
    "path",
    [
        "/sitemap-documents-999.xml",  # a range with no document
        "/sitemap-khong-co-0.xml",  # no such kind
        "/sitemap-lists-1.xml",  # the lists have one section
        "/sitemap-people-0.xml",  # nobody yet
    ],
)
def test_a_section_with_nothing_to_list_is_a_404(client, path):
    make_document(title="Chỉ thị về công tác phòng cháy")

    assert client.get(path).status_code == 404


def test_a_section_of_hidden_records_only_is_a_404(client, small_sections):
    draft = make_document(title="Dự thảo", status=PublicationStatus.DRAFT)

    assert client.get(f"/sitemap-documents-{draft.pk // SIZE}.xml").status_code == 404


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_queries_do_not_grow_with_the_register(client, small_sections):
    meeting = make_meeting(title="Hội nghị lần thứ 23 Ban Chấp hành Đảng bộ thành phố")
    meetings = f"/sitemap-meetings-{meeting.pk // SIZE}.xml"
    make_person(full_name="Nguyễn Thị Thanh Hương")
    public, _hidden = _register(12)
    counted = {
        "index": _queries(client, "/sitemap.xml"),
        "documents": _queries(client, f"/sitemap-documents-{public[-1].pk // SIZE}.xml"),
        "meetings": _queries(client, meetings),
        "lists": _queries(client, "/sitemap-lists-0.xml"),
    }
    sections = len(sitemap_reader.index(client))

    public, _hidden = _register(24)

    assert len(sitemap_reader.index(client)) > sections
    assert _queries(client, "/sitemap.xml") == counted["index"] <= 2
    documents = f"/sitemap-documents-{public[-1].pk // SIZE}.xml"
    assert _queries(client, documents) == counted["documents"] <= 2
    assert _queries(client, meetings) == counted["meetings"] <= 3
    assert _queries(client, "/sitemap-lists-0.xml") == counted["lists"] <= 1


def test_an_address_is_dated_by_its_last_change_not_only_its_publication(client):
    document = make_document(title="Kế hoạch tổ chức Ngày hội Văn hóa các dân tộc")
    published = document.published_at
    document.title = "Kế hoạch tổ chức Ngày hội Văn hóa các dân tộc (sửa đổi)"
    document.save()
    edited = document.history.latest().history_date
    assert edited > published

    path = f"/sitemap-documents-{document.pk // sitemaps.SECTION_SIZE}.xml"
    (url,) = sitemap_reader.section(client, path)

    assert url.lastmod == edited.astimezone(datetime.UTC).isoformat(timespec="seconds")


def test_a_section_answers_304_until_a_record_of_its_range_changes(client, small_sections):
    public, _hidden = _register(12)
    # A section with another public document left after the withdrawal (one left empty
    # at the low end of the keys is no longer in the index: 404).
    shared = Counter(d.pk // SIZE for d in public)
    target = next(d for d in public if shared[d.pk // SIZE] >= 2)
    path = f"/sitemap-documents-{target.pk // SIZE}.xml"
    other = next(d for d in public if d.pk // SIZE != target.pk // SIZE)
    first = client.get(path)
    etag = first.headers["ETag"]

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, headers={"if-none-match": etag}).status_code == 304
    assert len(captured) == 1
    other.title = "Kế hoạch ở một phần khác của sơ đồ"
    other.save()
    assert client.get(path, headers={"if-none-match": etag}).status_code == 304

    target.status = PublicationStatus.ARCHIVED
    target.save()

    changed = client.get(path, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert _address(target) not in changed.content.decode()


def test_the_index_answers_304_until_anything_changes(client):
    make_document(title="Báo cáo tình hình kinh tế - xã hội tháng 11")
    etag = client.get("/sitemap.xml").headers["ETag"]

    assert client.get("/sitemap.xml", headers={"if-none-match": etag}).status_code == 304
    make_person(full_name="Trần Sỹ Thanh")
    assert client.get("/sitemap.xml", headers={"if-none-match": etag}).status_code == 200


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("2026-12-06 05:06:46.333568+00", "2026-12-06T05:06:46+00:00"),  # PostgreSQL
        ("2026-12-06 05:06:46+00", "2026-12-06T05:06:46+00:00"),
        ("2026-12-06 05:06:46.333568", "2026-12-06T05:06:46+00:00"),  # SQLite
        (None, None),
    ],
)
def test_w3c_datetime_from_what_the_database_writes(stored, expected):
    assert w3c_datetime(stored) == expected


def test_the_index_dates_each_kind_by_its_last_change(client):
    make_document(title="Thông báo số 1")
    meeting = make_meeting(title="Hội nghị chuyên đề")
    before = timezone.now()
    document = make_document(title="Thông báo số 2")

    index = sitemap_reader.index(client)

    documents = index[f"/sitemap-documents-{document.pk // sitemaps.SECTION_SIZE}.xml"]
    meetings = index[f"/sitemap-meetings-{meeting.pk // sitemaps.SECTION_SIZE}.xml"]
    assert documents >= before.astimezone(datetime.UTC).isoformat(timespec="seconds")
    newest_meeting = meeting.history.latest().history_date
    assert meetings == newest_meeting.astimezone(datetime.UTC).isoformat(timespec="seconds")
