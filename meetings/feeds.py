"""RSS and Atom feeds of newly published meetings, filtered like the list."""

from django.utils.translation import gettext as _

from portal.feeds import FilteredFeed, atom
from portal.models import Organization

from .filters import MeetingFilter
from .models import AgendaItem, Meeting, Term


class MeetingFeed(FilteredFeed):
    filterset_class = MeetingFilter
    list_url_name = "meetings:list"
    # Agenda items count: `q` finds a meeting by the words of its agenda.
    shown_models = (Meeting, Term, Organization, AgendaItem)

    def public_items(self):
        return Meeting.objects.published().select_related("term__body")

    def feed_title(self):
        return _("Hội nghị mới công bố")

    def description(self, selection):
        return _("Các hội nghị, kỳ họp của các cơ quan Thành phố mới được công bố.")

    def item_title(self, meeting):
        return meeting.title

    def item_lines(self, meeting):
        when = (
            _("Ngày họp: %(date)s") % {"date": meeting.date.strftime("%d/%m/%Y")}
            if meeting.date
            else _("Chưa có ngày họp")
        )
        place = _("Địa điểm: %(place)s") % {"place": meeting.place} if meeting.place else ""
        return [str(meeting.term.body), when, place]

    def item_text(self, meeting):
        return meeting.summary

    def item_author_name(self, meeting):
        """The body that held the meeting (RFC 4287 §4.2.1)."""
        return meeting.term.body.name

    def item_categories(self, meeting):
        return [meeting.term.body.code]


MeetingAtomFeed = atom(MeetingFeed)
