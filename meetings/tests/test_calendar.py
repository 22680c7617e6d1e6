import datetime

import icalendar
import pytest
from django.conf import settings
from django.urls import reverse

from meetings.ical import DEFAULT_DURATION
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
    assert event["UID"] == f"meeting-{dated.pk}@{settings.PORTAL_CALENDAR_DOMAIN}"
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
    # The last change (conditional GET, portal/conditional.py), the body, the meetings.
    with django_assert_max_num_queries(3):
        response = client.get(URL, {"body": "BCHTU"})
    assert len(parse(response).walk("VEVENT")) == 10


def test_vietnamese_text_survives_escaping_and_folding(client):
    title = "Hội nghị Ban Chấp hành Đảng bộ Thành phố, khóa XVII; lần thứ 23 " * 3
    make_meeting(
        title=title,
        date=datetime.date(2025, 4, 10),
        place="Hội trường Thành ủy, số 1 Đinh Lễ; Hoàn Kiếm",
        summary="Dòng một, có dấu phẩy.\nDòng hai; có \\ gạch chéo.",
    )
    body = client.get(URL).content
    assert "Hội nghị".encode() in body  # UTF-8 text, not escaped to ASCII
    event = events(parse(client.get(URL)))[title]
    assert str(event["LOCATION"]) == "Hội trường Thành ủy, số 1 Đinh Lễ; Hoàn Kiếm"
    assert str(event["DESCRIPTION"]) == "Dòng một, có dấu phẩy.\nDòng hai; có \\ gạch chéo."


def test_calendar_link_encodes_body_codes(client):
    hdnd = make_organization(code="HĐND", name="HĐND Thành phố")
    make_meeting(term=make_term(body=hdnd, ordinal="XVI"), date=datetime.date(2025, 4, 1))
    text = client.get(reverse("meetings:list"), {"body": "hđnd"}).content.decode()
    assert f'href="{URL}?body=H%C4%90ND"' in text
    assert len(events(parse(client.get(f"{URL}?body=H%C4%90ND")))) == 1


def test_meeting_with_start_time_only_lasts_the_default_duration(client):
    make_meeting(
        title="Phiên khai mạc", date=datetime.date(2025, 4, 10), start_time=datetime.time(8)
    )
    event = events(parse(client.get(URL)))["Phiên khai mạc"]
    start = datetime.datetime(2025, 4, 10, 1, 0, tzinfo=datetime.UTC)
    assert event.decoded("DTSTART") == start
    assert event.decoded("DTEND") == start + DEFAULT_DURATION


def test_multi_day_meeting_without_times_is_all_day_to_its_last_day(client):
    make_meeting(
        title="Kỳ họp",
        date=datetime.date(2025, 4, 10),
        end_date=datetime.date(2025, 4, 12),
        part_of_day="several_days",
    )
    event = events(parse(client.get(URL)))["Kỳ họp"]
    assert event.decoded("DTSTART") == datetime.date(2025, 4, 10)
    assert event.decoded("DTEND") == datetime.date(2025, 4, 13)
    assert str(event["DESCRIPTION"]) == "Nhiều ngày"


def test_moved_meeting_keeps_its_uid_on_any_host_and_raises_its_sequence(client, settings):
    settings.ALLOWED_HOSTS = ["portal.example.gov.vn", "congthongtin.example.vn"]
    meeting = make_meeting(
        title="Hội nghị",
        date=datetime.date(2025, 4, 10),
        start_time=datetime.time(8, 0),
        end_time=datetime.time(11, 0),
        place="Hội trường A",
    )
    created = datetime.datetime(2025, 3, 1, 2, 0, tzinfo=datetime.UTC)
    meeting.history.update(history_date=created)
    before = events(parse(client.get(URL, HTTP_HOST="portal.example.gov.vn")))["Hội nghị"]
    assert before.decoded("DTSTAMP") == created

    meeting = type(meeting).objects.get(pk=meeting.pk)  # as the admin loads it
    meeting.start_time = datetime.time(14, 0)
    meeting.end_time = datetime.time(17, 0)
    meeting.save()
    after = events(parse(client.get(URL, HTTP_HOST="congthongtin.example.vn")))["Hội nghị"]

    assert (
        after["UID"] == before["UID"] == f"meeting-{meeting.pk}@{settings.PORTAL_CALENDAR_DOMAIN}"
    )
    assert after.decoded("SEQUENCE") > before.decoded("SEQUENCE")
    assert after.decoded("DTSTART") == datetime.datetime(2025, 4, 10, 7, 0, tzinfo=datetime.UTC)
    # DTSTAMP: the meeting's last change, to the second.
    latest = meeting.history.latest().history_date
    assert after.decoded("DTSTAMP") == latest.replace(microsecond=0) > created


@pytest.mark.parametrize(
    ("field", "value", "moves"),
    [
        ("date", datetime.date(2025, 4, 11), True),
        ("end_date", datetime.date(2025, 4, 12), True),
        ("start_time", datetime.time(9, 0), True),
        ("end_time", datetime.time(12, 0), True),
        ("place", "Hội trường B", True),
        ("title", "Tên đã sửa", False),
        ("summary", "Tóm tắt mới", False),
    ],
)
def test_sequence_rises_only_when_time_or_place_changes(field, value, moves):
    meeting = make_meeting(
        date=datetime.date(2025, 4, 10),
        start_time=datetime.time(8, 0),
        end_time=datetime.time(11, 0),
        place="Hội trường A",
    )
    assert meeting.calendar_sequence == 0
    meeting = type(meeting).objects.get(pk=meeting.pk)
    setattr(meeting, field, value)
    meeting.save()
    meeting.save()  # saving again without a change does not count twice
    meeting.refresh_from_db()
    assert meeting.calendar_sequence == (1 if moves else 0)
    setattr(meeting, field, value)
    meeting.save(update_fields=[field])
    meeting.refresh_from_db()
    assert meeting.calendar_sequence == (1 if moves else 0)


def test_reverting_to_an_earlier_time_raises_the_sequence_again():
    meeting = make_meeting(date=datetime.date(2025, 4, 10), place="Hội trường A")
    meeting.place = "Hội trường B"
    meeting.save()
    # The admin's "Revert" saves an instance built from the history record.
    old_version = meeting.history.earliest().instance
    old_version.save()
    meeting.refresh_from_db()
    assert (meeting.place, meeting.calendar_sequence) == ("Hội trường A", 2)
