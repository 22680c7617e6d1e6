"""The meetings list as open data: one row per published meeting, as filtered on the list.

`COLUMNS` is the one definition of a downloaded row; the API's serializer uses the same
names for the same facts.
"""

from portal import downloads
from portal.downloads import Column
from portal.lists import without_nul

from .filters import MeetingFilter
from .models import Meeting

COLUMNS = [
    Column("body", lambda m: m.term.body.code),
    Column("body_name", lambda m: m.term.body.name),
    Column("term", lambda m: m.term.ordinal),
    Column("number", lambda m: m.number),
    Column("title", lambda m: m.title),
    Column("kind", lambda m: m.kind),
    Column("date", lambda m: m.date),
    Column("end_date", lambda m: m.end_date),
    Column("part_of_day", lambda m: m.part_of_day),
    Column("start_time", lambda m: m.start_time),
    Column("end_time", lambda m: m.end_time),
    Column("place", lambda m: m.place),
    Column("members_present", lambda m: m.members_present),
    Column("agenda_count", lambda m: m.agenda_count),
    Column("vote_count", lambda m: m.vote_count),
    Column("summary", lambda m: m.summary),
    Column("url", lambda m: m.get_absolute_url(), url=True),
]


def download(request, fmt: str):
    """Every published meeting the list's filters select; an invalid filter is a 400 that
    names it (the list page drops it with a warning; a file must not hold more than asked)."""
    if not fmt:
        return downloads.unknown_format()
    filterset = MeetingFilter(
        without_nul(request.GET), queryset=Meeting.objects.published().for_list()
    )
    if not filterset.is_valid():
        return downloads.refuse(downloads.problems(filterset))
    rows = filterset.qs.iterator(chunk_size=downloads.CHUNK_SIZE)
    return downloads.stream(request, fmt, "meetings", COLUMNS, rows)
