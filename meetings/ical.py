"""An iCalendar (RFC 5545) feed of meetings, written with the `icalendar` library.

The library escapes text, folds lines at 75 octets and writes CRLF; this module decides
what each event says:

* UID `meeting-<id>@<PORTAL_CALENDAR_DOMAIN>`: the same for the meeting's whole life and
  whichever host name the calendar was fetched from, so a client never shows it twice.
* SEQUENCE the meeting's `calendar_sequence`, raised whenever its date, times or place
  change, so a client replaces the old time instead of keeping it; DTSTAMP the meeting's
  latest recorded change.
* Timed meetings in UTC; one with a start time only lasts DEFAULT_DURATION; one with a
  date only is an all-day event (`VALUE=DATE`, with the exclusive end day).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

import icalendar
from django.conf import settings
from django.utils import timezone

from .models import Meeting

PRODID = "-//Civic portal//Meetings//VI"
# A meeting recorded with a start time only is shown this long: a calendar would draw a
# zero-length event as a line, or not at all.
DEFAULT_DURATION = datetime.timedelta(hours=2)


def uid(meeting: Meeting) -> str:
    """Stable for the meeting's lifetime and independent of the request's host."""
    return f"meeting-{meeting.pk}@{settings.PORTAL_CALENDAR_DOMAIN}"


def event(meeting: Meeting, *, url: str, description: str) -> icalendar.Event:
    """The VEVENT of a dated meeting. Reads `last_changed_at` when the queryset annotated
    it (`Meeting.objects.for_calendar()`)."""
    item = icalendar.Event()
    item.add("uid", uid(meeting))
    changed = getattr(meeting, "last_changed_at", None) or meeting.published_at
    item.add("dtstamp", (changed or timezone.now()).astimezone(datetime.UTC))
    item.add("sequence", meeting.calendar_sequence)
    last_day = meeting.end_date or meeting.date
    if meeting.start_time is not None:
        zone = timezone.get_default_timezone()
        start = datetime.datetime.combine(meeting.date, meeting.start_time, tzinfo=zone)
        if meeting.end_time is not None:
            end = datetime.datetime.combine(last_day, meeting.end_time, tzinfo=zone)
        else:
            end = datetime.datetime.combine(last_day, meeting.start_time, tzinfo=zone)
            end += DEFAULT_DURATION
        item.add("dtstart", start.astimezone(datetime.UTC))
        item.add("dtend", end.astimezone(datetime.UTC))
    else:
        item.add("dtstart", meeting.date)
        item.add("dtend", last_day + datetime.timedelta(days=1))
    item.add("summary", meeting.title)
    if meeting.place:
        item.add("location", meeting.place)
    if description:
        item.add("description", description)
    item.add("url", url)
    item.add("status", "CONFIRMED")
    return item


def calendar(
    meetings: Iterable[Meeting],
    *,
    name: str,
    url_for: Callable[[Meeting], str],
    describe: Callable[[Meeting], str],
) -> bytes:
    """The whole VCALENDAR, encoded as UTF-8. Meetings without a date are skipped."""
    result = icalendar.Calendar()
    result.add("version", "2.0")
    result.add("prodid", PRODID)
    result.add("calscale", "GREGORIAN")
    result.add("method", "PUBLISH")
    result.add("x-wr-calname", icalendar.vText(name))
    for meeting in meetings:
        if meeting.date is None:
            continue
        result.add_component(event(meeting, url=url_for(meeting), description=describe(meeting)))
    return result.to_ical()
