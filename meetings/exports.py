"""The meetings list as open data: one row per published meeting, as filtered on the list.

`COLUMNS` is the one definition of a downloaded row; the API's serializer uses the same
names for the same facts.
"""

from django.utils.translation import gettext as _

from portal import downloads
from portal.downloads import Column

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
    """Every published meeting the list's filters select; an invalid filter is a 400 with
    the list page's message (the list shows no meeting then either)."""
    if not fmt:
        return downloads.unknown_format()
    filterset = MeetingFilter(request.GET, queryset=Meeting.objects.published().for_list())
    if not filterset.is_valid():
        return downloads.refuse(
            [_("Bộ lọc không hợp lệ, xin chọn lại: chưa hiển thị hội nghị nào.")]
            + [
                f"{filterset.filters[name].label}: {errors[0]}"
                for name, errors in filterset.errors.items()
                if name in filterset.filters
            ]
        )
    rows = filterset.qs.iterator(chunk_size=downloads.CHUNK_SIZE)
    return downloads.stream(request, fmt, "meetings", COLUMNS, rows)
