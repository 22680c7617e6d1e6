"""CSV and JSON downloads of the meetings list (`?format=csv|json` on the list URL)."""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse

from portal.lists import PER_PAGE as PAGE_SIZE
from portal.publication import PublicationStatus

from ..exports import COLUMNS
from .factories import make_item, make_meeting, make_organization, make_term, make_vote

pytestmark = pytest.mark.django_db
LIST = reverse("meetings:list")
HEADER = [column.name for column in COLUMNS]


def body(response) -> str:
    assert response.status_code == 200
    assert response.streaming is True
    return b"".join(response.streaming_content).decode("utf-8")


def read_csv(response) -> list[dict]:
    text = body(response)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == HEADER
    return [dict(zip(HEADER, row, strict=True)) for row in rows[1:]]


def read_json(response) -> list[dict]:
    return json.loads(body(response))


@pytest.fixture
def meetings():
    hdnd = make_term(body=make_organization(code="HĐND", name="Hội đồng nhân dân"))
    conference = make_meeting(number=23, title="Hội nghị lần thứ 23")
    make_item(conference, title="Nhân sự")
    make_vote(conference)
    return {
        "conference": conference,
        "session": make_meeting(
            term=hdnd, number=5, title="Kỳ họp thứ năm", date=datetime.date(2024, 12, 10)
        ),
        "draft": make_meeting(number=99, title="Hội nghị chưa công bố", status="draft"),
        "archived": make_meeting(
            number=98, title="Hội nghị lưu trữ", status=PublicationStatus.ARCHIVED
        ),
    }


def test_csv_has_every_published_meeting_with_counts(client, meetings):
    response = client.get(LIST, {"format": "csv"})
    assert response["Content-Disposition"].startswith('attachment; filename="meetings-')
    rows = read_csv(response)
    assert [row["title"] for row in rows] == ["Hội nghị lần thứ 23", "Kỳ họp thứ năm"]
    first = rows[0]
    assert (first["body"], first["term"], first["number"]) == ("BCHTU", "XVII", "23")
    assert first["agenda_count"] == "1"
    assert first["vote_count"] == "1"
    assert first["url"] == "http://testserver" + meetings["conference"].get_absolute_url()


def test_all_pages_are_downloaded(client):
    for n in range(PAGE_SIZE + 3):
        make_meeting(number=100 + n)
    assert len(read_json(client.get(LIST, {"format": "json"}))) == PAGE_SIZE + 3


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"body": "hđnd"}, ["Kỳ họp thứ năm"]),
        ({"year": "2025"}, ["Hội nghị lần thứ 23"]),
        ({"term": "XVII", "body": "BCHTU"}, ["Hội nghị lần thứ 23"]),
    ],
)
def test_downloads_honour_the_list_filters(client, meetings, params, expected):
    assert [r["title"] for r in read_json(client.get(LIST, {**params, "format": "json"}))] == (
        expected
    )
    assert [r["title"] for r in read_csv(client.get(LIST, {**params, "format": "csv"}))] == (
        expected
    )


def test_drafts_are_never_downloaded(client, meetings):
    text = body(client.get(LIST, {"format": "csv"}))
    assert "chưa công bố" not in text
    assert "lưu trữ" not in text


@pytest.mark.parametrize(
    "params", [{"body": "NOPE"}, {"year": "abc"}, {"kind": "x" * 10_000}, {"term": "17"}]
)
def test_invalid_filters_are_a_400_naming_the_filter(client, meetings, params):
    response = client.get(LIST, {**params, "format": "csv"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "không hợp lệ" in text
    [name] = params
    label = {"body": "Cơ quan", "year": "Năm", "kind": "Loại hội nghị", "term": "Khóa"}[name]
    assert f"“{label}”" in text


def test_download_query_count_does_not_grow(client, django_assert_max_num_queries):
    for n in range(12):
        meeting = make_meeting(number=200 + n)
        make_item(meeting)
    # The filter's three choice lists, then the meetings in one query.
    with django_assert_max_num_queries(4):
        assert len(read_csv(client.get(LIST, {"format": "csv"}))) == 12


def test_list_page_links_to_downloads_of_the_same_filter(client, meetings):
    content = client.get(LIST, {"body": "BCHTU"}).content.decode()
    assert "?body=BCHTU&amp;format=csv" in content
    assert "?body=BCHTU&amp;format=json" in content
