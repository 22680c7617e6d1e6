import datetime

import icalendar
import pytest
from django.urls import reverse

from meetings.ical import escape_text, fold
from portal.publication import PublicationStatus

from .factories import make_meeting, make_organization, make_term

pytestmark = pytest.mark.django_db

URL = reverse("meetings:calendar")


def parse(response) -> icalendar.Calendar:
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content
    assert body.endswith(b"\r\n")
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    return icalendar.Calendar.from_ical(body)


def events(calendar):
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def test_calendar_has_published_dated_meetings_only(client):
    dated = make_meeting(
        title="Hội nghị lần thứ 22, khóa XVII; sáng",
        date=datetime.date(2025, 4, 10),
        place="Hội trường Thành ủy",
        summary="Bàn về nhân sự.\nDòng hai.",
    )
    make_meeting(title="Hội nghị chưa có ngày", date=None)
    make_meeting(title="Hội nghị nháp", date=datetime.date(2025, 5, 1), status="draft")
    make_meeting(
        title="Hội nghị lưu trữ", date=datetime.date(2025, 5, 2), status=PublicationStatus.ARCHIVED
    )
    calendar = parse(client.get(URL))
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    found = events(calendar)
    assert list(found) == ["Hội nghị lần thứ 22, khóa XVII; sáng"]
    event = found["Hội nghị lần thứ 22, khóa XVII; sáng"]
    assert event["UID"] == f"meeting-{dated.pk}@testserver"
    assert event.decoded("DTSTART") == datetime.date(2025, 4, 10)
    assert event.decoded("DTEND") == datetime.date(2025, 4, 11)
    assert str(event["LOCATION"]) == "Hội trường Thành ủy"
    assert "Dòng hai." in str(event["DESCRIPTION"])
    assert str(event["URL"]) == f"http://testserver{dated.get_absolute_url()}"
    assert event["DTSTAMP"]


def test_calendar_uids_are_stable_across_edits(client):
    meeting = make_meeting(date=datetime.date(2025, 4, 10))
    first = events(parse(client.get(URL)))
    meeting.title = "Tên đã sửa"
    meeting.date = datetime.date(2025, 4, 11)
    meeting.save()
    second = events(parse(client.get(URL)))
    assert [e["UID"] for e in first.values()] == [e["UID"] for e in second.values()]


def test_timed_meeting_is_given_in_utc(client):
    make_meeting(
        title="Phiên họp",
        date=datetime.date(2025, 4, 10),
        start_time=datetime.time(8, 0),
        end_time=datetime.time(11, 30),
    )
    event = events(parse(client.get(URL)))["Phiên họp"]
    # Hanoi is UTC+7.
    assert event.decoded("DTSTART") == datetime.datetime(2025, 4, 10, 1, 0, tzinfo=datetime.UTC)
    assert event.decoded("DTEND") == datetime.datetime(2025, 4, 10, 4, 30, tzinfo=datetime.UTC)


def test_calendar_per_body(client):
    hdnd = make_organization(code="HĐND", name="HĐND Thành phố")
    make_organization(code="UBND", name="UBND Thành phố")
    make_meeting(title="Hội nghị Thành ủy", date=datetime.date(2025, 4, 10))
    make_meeting(
        term=make_term(body=hdnd, ordinal="XVI"),
        title="Kỳ họp HĐND",
        date=datetime.date(2025, 4, 1),
    )
    assert list(events(parse(client.get(URL, {"body": "hđnd"})))) == ["Kỳ họp HĐND"]
    assert list(events(parse(client.get(URL, {"body": "BCHTU"})))) == ["Hội nghị Thành ủy"]
    # A real body without meetings: an empty, valid calendar.
    assert list(events(parse(client.get(URL, {"body": "UBND"})))) == []


@pytest.mark.parametrize("code", ["KHONGCO", "BCHTU\x00", "x" * 10_000, "%"])
def test_calendar_unknown_body_is_not_found(client, code):
    make_meeting(date=datetime.date(2025, 4, 10))
    assert client.get(URL, {"body": code}).status_code == 404


def test_calendar_linked_from_list_with_its_body_filter(client):
    make_meeting(date=datetime.date(2025, 4, 10))
    text = client.get(reverse("meetings:list"), {"body": "bchtu"}).content.decode()
    assert f'href="{URL}?body=BCHTU"' in text


def test_calendar_query_count_is_constant(client, django_assert_max_num_queries):
    term = make_term()
    for n in range(10):
        make_meeting(term=term, number=n + 1, date=datetime.date(2025, 1, 1 + n))
    with django_assert_max_num_queries(2):
        response = client.get(URL, {"body": "BCHTU"})
    assert len(parse(response).walk("VEVENT")) == 10


def test_escape_and_fold():
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "SUMMARY:" + "Hội nghị " * 20
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p.removeprefix(" ") if i else p for i, p in enumerate(parts)) == line


def test_calendar_link_encodes_body_codes(client):
    hdnd = make_organization(code="HĐND", name="HĐND Thành phố")
    make_meeting(term=make_term(body=hdnd, ordinal="XVI"), date=datetime.date(2025, 4, 1))
    text = client.get(reverse("meetings:list"), {"body": "hđnd"}).content.decode()
    assert f'href="{URL}?body=H%C4%90ND"' in text
    assert len(events(parse(client.get(f"{URL}?body=H%C4%90ND")))) == 1
