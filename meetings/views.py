from collections import defaultdict
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal import downloads
from portal.conditional import last_change, unless_modified
from portal.lists import html_filterset, paginate, without_nul, without_page
from portal.models import Organization
from portal.rate_limits import DOWNLOAD, SEARCH, is_download, is_search, rate_limited
from portal.text import vietnamese_slug

from . import exports, ical
from .filters import MeetingFilter
from .models import ROMAN_NUMERAL, Meeting, ParticipantRole, Term

# Longer values cannot be a body code; refusing them early keeps odd input out of queries.
MAX_CODE_LENGTH = 20


@rate_limited(DOWNLOAD, when=is_download)
@rate_limited(SEARCH, when=is_search)
def meeting_list(request):
    """Published meetings, newest first (undated ones last), with filters."""
    if (fmt := downloads.requested_format(request)) is not None:
        return exports.download(request, fmt)
    params = without_nul(request.GET)
    filterset = html_filterset(
        request, MeetingFilter, params, queryset=Meeting.objects.published().for_list()
    )
    page = paginate(request, params, filterset.qs)
    return render(
        request,
        "meetings/list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "meetings": page.object_list,
            "querystring": without_page(params),
            "calendar_query": _calendar_query(filterset),
        },
    )


def _calendar_query(filterset) -> str:
    """The list's body filter carried to the calendar link (the only filter it knows)."""
    if filterset.is_valid() and filterset.form.cleaned_data.get("body"):
        return "?" + urlencode({"body": filterset.form.cleaned_data["body"]})
    return ""


def meeting_detail(request, body, term, number):
    if not ROMAN_NUMERAL.match(term.upper()) or len(body) > MAX_CODE_LENGTH:
        raise Http404(_("Không tìm thấy hội nghị."))
    candidates = (
        Meeting.objects.published().for_detail().filter(term__ordinal=term.upper(), number=number)
    )
    meeting = next(
        (m for m in candidates if vietnamese_slug(m.term.body.code) == body.lower()), None
    )
    if meeting is None:
        raise Http404(_("Không tìm thấy hội nghị."))
    canonical = meeting.get_absolute_url()
    if request.path != canonical:
        return redirect(canonical, permanent=True)

    titles_day = meeting.date
    participants = [
        {"participant": p, "person": p.person, "titles": p.titles_on(titles_day)}
        for p in meeting.participants.all()
    ]
    votes_by_item = defaultdict(list)
    for vote in meeting.votes.all():
        votes_by_item[vote.agenda_item_id].append(vote)
    agenda = list(meeting.agenda_items.all())
    _prefetch_projects(agenda)
    items = [
        {
            "item": item,
            "documents": list(item.documents.all()),
            "votes": votes_by_item[item.pk],
            "projects": getattr(item, "public_projects", []),
        }
        for item in agenda
    ]
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "chairs": [p for p in participants if p["participant"].role == ParticipantRole.CHAIR],
            "others": [p for p in participants if p["participant"].role != ParticipantRole.CHAIR],
            "items": items,
            "meeting_votes": votes_by_item[None],
        },
    )


def _prefetch_projects(items) -> None:
    """Give each agenda item `public_projects`: the published projects discussed under it.

    One query for all items. The projects app links to agenda items (Project.agenda_items,
    reverse name `projects`) and its models import meetings' at module level, so Project is
    imported here, when a page is built: a dependency the import graph shows, not a circle.
    """
    from projects.models import Project

    if not items:
        return
    prefetch_related_objects(
        items,
        Prefetch(
            "projects",
            queryset=Project.objects.published().order_by("name", "pk"),
            to_attr="public_projects",
        ),
    )


def _calendar_changed(request):
    """The calendar shows meetings, their terms and bodies (portal.conditional)."""
    return last_change(Meeting, Term, Organization)


@rate_limited(DOWNLOAD)
@unless_modified(_calendar_changed)
def meeting_calendar(request):
    """iCalendar of published, dated meetings; `?body=<code>` keeps one body's.

    Rule for `body`: a code no body has is a 404 (a typo should not look like an empty
    calendar); a real body without published dated meetings gives an empty calendar, named
    after the body only when it has a published meeting (an organization that only hidden
    records use is never named in public).
    """
    meetings = Meeting.objects.published().for_calendar()
    name = _("Lịch hội nghị")
    code = request.GET.get("body", "").strip()
    if code:
        if len(code) > MAX_CODE_LENGTH or "\x00" in code:
            raise Http404(_("Không có cơ quan mang mã này."))
        organization = (
            Organization.objects.filter(code=code.upper())
            .annotate(
                holds_published=Exists(
                    Meeting.objects.published().filter(term__body=OuterRef("pk"))
                )
            )
            .first()
        )
        if organization is None:
            raise Http404(_("Không có cơ quan mang mã này."))
        meetings = meetings.of_body(organization.code)
        if organization.holds_published:
            name = f"{name} – {organization.name}"

    def describe(meeting):
        parts = []
        if meeting.part_of_day:
            parts.append(str(meeting.get_part_of_day_display()))
        if meeting.summary:
            parts.append(meeting.summary)
        return "\n\n".join(parts)

    body = ical.calendar(
        meetings,
        name=name,
        url_for=lambda m: request.build_absolute_uri(m.get_absolute_url()),
        describe=describe,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    return response
