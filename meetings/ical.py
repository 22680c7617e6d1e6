"""An iCalendar (RFC 5545) feed of meetings, written by hand to avoid a runtime dependency.

Only the few properties a calendar application needs are written. Text is escaped
(RFC 5545 §3.3.11), lines end in CRLF and are folded at 75 octets without splitting a
UTF-8 character (§3.1). Timed meetings are given in UTC; meetings with only a date are
all-day events (`VALUE=DATE`, with the exclusive end day).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.utils import timezone

from .models import Meeting

PRODID = "-//Civic portal//Meetings//VI"


def escape_text(text: str) -> str:
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets, continuation lines indented."""
    chunks: list[str] = []
    current = ""
    limit = 75
    for char in line:
        if len((current + char).encode()) > limit:
            chunks.append(current)
            current = char
            limit = 74  # continuation lines start with a space, which counts
        else:
            current += char
    chunks.append(current)
    return "\r\n ".join(chunks)


def _utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _day(value: datetime.date) -> str:
    return value.strftime("%Y%m%d")


def uid(meeting: Meeting, host: str) -> str:
    """Stable for the meeting's lifetime: edits to its date, title or number keep it."""
    return f"meeting-{meeting.pk}@{host}"


def event_lines(
    meeting: Meeting, *, host: str, url: str, description: str
) -> list[tuple[str, str]]:
    lines = [
        ("UID", uid(meeting, host)),
        ("DTSTAMP", _utc(meeting.published_at or timezone.now())),
    ]
    if meeting.start_time is not None:
        zone = timezone.get_default_timezone()
        start = datetime.datetime.combine(meeting.date, meeting.start_time, tzinfo=zone)
        lines.append(("DTSTART", _utc(start)))
        if meeting.end_time is not None:
            end_day = meeting.end_date or meeting.date
            end = datetime.datetime.combine(end_day, meeting.end_time, tzinfo=zone)
            lines.append(("DTEND", _utc(end)))
    else:
        last_day = meeting.end_date or meeting.date
        lines.append(("DTSTART;VALUE=DATE", _day(meeting.date)))
        lines.append(("DTEND;VALUE=DATE", _day(last_day + datetime.timedelta(days=1))))
    lines.append(("SUMMARY", escape_text(meeting.title)))
    if meeting.place:
        lines.append(("LOCATION", escape_text(meeting.place)))
    if description:
        lines.append(("DESCRIPTION", escape_text(description)))
    lines.append(("URL", url))
    lines.append(("STATUS", "CONFIRMED"))
    return lines


def calendar(
    meetings: Iterable[Meeting],
    *,
    name: str,
    host: str,
    url_for: Callable[[Meeting], str],
    describe: Callable[[Meeting], str],
) -> str:
    """The whole VCALENDAR as text. Meetings without a date are skipped."""
    lines: list[tuple[str, str]] = [
        ("BEGIN", "VCALENDAR"),
        ("VERSION", "2.0"),
        ("PRODID", PRODID),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
        ("X-WR-CALNAME", escape_text(name)),
    ]
    for meeting in meetings:
        if meeting.date is None:
            continue
        lines.append(("BEGIN", "VEVENT"))
        lines.extend(
            event_lines(meeting, host=host, url=url_for(meeting), description=describe(meeting))
        )
        lines.append(("END", "VEVENT"))
    lines.append(("END", "VCALENDAR"))
    return "".join(fold(f"{key}:{value}") + "\r\n" for key, value in lines)
