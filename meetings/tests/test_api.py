"""The meetings API: agenda items and votes nested, identified by body, term and number."""

import datetime
import re

import pytest
import yaml
from django.urls import reverse

from documents.models import Visibility
from portal.tests.factories import make_staff

from .factories import (
    make_document,
    make_item,
    make_meeting,
    make_participant,
    make_vote,
)

pytestmark = pytest.mark.django_db
LIST = reverse("api:meetings-list")


def detail_url(meeting) -> str:
    return reverse("api:meetings-detail", kwargs=meeting.url_kwargs())


@pytest.fixture
def conference():
    meeting = make_meeting(number=23, title="Hội nghị lần thứ 23")
    make_participant(meeting)
    item = make_item(meeting, order="1", title="Quy chế làm việc")
    item.documents.add(
        make_document(number="09-QC/TU", title="Quy chế làm việc"),
        make_document(number="10-QC/TU", title="Mật", visibility=Visibility.INTERNAL),
        make_document(number="11-QC/TU", title="Nháp", status="draft"),
    )
    make_vote(meeting, agenda_item=item, question="Thông qua quy chế", votes_for=50, total=53)
    make_vote(meeting, question="Thông qua chương trình")
    return meeting


def test_list_nests_agenda_items_and_their_votes(client, conference):
    make_meeting(number=99, title="Nháp", status="draft")
    response = client.get(LIST)
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    meeting = data["results"][0]
    assert (meeting["body"], meeting["term"], meeting["number"]) == ("BCHTU", "XVII", 23)
    assert meeting["url"] == "http://testserver" + conference.get_absolute_url()
    assert meeting["agenda_count"] == 1
    assert meeting["vote_count"] == 2
    [item] = meeting["agenda_items"]
    assert item["title"] == "Quy chế làm việc"
    assert [v["question"] for v in item["votes"]] == ["Thông qua quy chế"]
    assert item["votes"][0]["votes_for"] == 50
    assert [v["question"] for v in meeting["meeting_votes"]] == ["Thông qua chương trình"]
    assert len(meeting["participants"]) == 1


def test_only_public_documents_are_listed_on_items(client, conference):
    client.force_login(make_staff("documents.view_internal_document"))
    [item] = client.get(detail_url(conference)).json()["agenda_items"]
    assert [d["display"] for d in item["documents"]] == ["09-QC/TU"]


def test_detail_by_body_term_and_number(client, conference):
    response = client.get(detail_url(conference))
    assert response.status_code == 200
    assert response.json()["title"] == "Hội nghị lần thứ 23"
    url = reverse("api:meetings-detail", kwargs={"body": "bchtu", "term": "xvii", "number": 24})
    assert client.get(url).status_code == 404
    odd = reverse("api:meetings-detail", kwargs={"body": "x" * 50, "term": "abc", "number": 23})
    assert client.get(odd).status_code == 404


def test_draft_detail_is_404_even_for_staff(client):
    draft = make_meeting(number=7, status="draft")
    client.force_login(make_staff("meetings.view_meeting"))
    assert client.get(detail_url(draft)).status_code == 404


def test_filters_are_the_list_filters(client, conference):
    assert client.get(LIST, {"body": "bchtu"}).json()["count"] == 1
    assert client.get(LIST, {"year": "2025"}).json()["count"] == 1
    # A body that held no published meeting is a question with an empty answer.
    assert client.get(LIST, {"body": "NOPE"}).json()["results"] == []
    response = client.get(LIST, {"kind": "NOPE"})
    assert response.status_code == 400
    assert "kind" in response.json()
    assert client.get(LIST, {"page": "9"}).status_code == 404


def test_times_are_hanoi_wall_clock_times_as_the_schema_says(client):
    """Not RFC 3339 `time` (which needs an offset): a pattern, and the zone in words."""
    meeting = make_meeting(start_time=datetime.time(8, 0), end_time=datetime.time(11, 30, 0, 5))
    data = client.get(detail_url(meeting)).json()
    assert (data["start_time"], data["end_time"]) == ("08:00:00", "11:30:00")
    schema = yaml.safe_load(client.get(reverse("api:schema")).content)
    start = schema["components"]["schemas"]["Meeting"]["properties"]["start_time"]
    assert "format" not in start
    assert re.fullmatch(start["pattern"], "08:00:00")
    assert "Asia/Ho_Chi_Minh" in start["description"]


def test_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    for n in range(5):
        meeting = make_meeting(number=300 + n)
        make_participant(meeting)
        item = make_item(meeting)
        item.documents.add(make_document())
        make_vote(meeting, agenda_item=item)
        make_vote(meeting)
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert len(response.json()["results"]) == 5
