"""RSS and Atom feeds of the public change log, filtered like `/changes/`."""

from django.db.models import Max
from django.utils.translation import gettext as _

from portal.conditional import last_change
from portal.feeds import FEED_ITEMS, FilteredFeed, atom
from portal.models import Organization

from .filters import ChangeFilter
from .models import PublicChange
from .records import FOLLOWED


class ChangeFeed(FilteredFeed):
    filterset_class = ChangeFilter
    list_url_name = "changes:list"

    def changed_at(self, request, *args, **kwargs):
        """The newest change logged, or of a record or body the feed names (a withdrawal
        takes a record's changes out): two queries."""
        models = [followed.model for followed in FOLLOWED.values()]
        dates = [
            last_change(*models, Organization),
            PublicChange.objects.aggregate(newest=Max("at"))["newest"],
        ]
        return max((date for date in dates if date is not None), default=None)

    def public_items(self):
        return PublicChange.objects.for_list()

    def order(self, queryset):
        return queryset.order_by("-at", "-pk")

    def items(self, selection):
        return self.order(selection.items)[:FEED_ITEMS]

    def feed_title(self):
        return _("Thay đổi gần đây trên cổng thông tin")

    def description(self, selection):
        return _(
            "Hồ sơ mới công bố và các thay đổi đối với hồ sơ đã công bố: văn bản, hội nghị, "
            "chỉ tiêu, dự án."
        )

    def item_title(self, change):
        return f"{change.get_action_display()}: {change.record_title()}"

    def item_link(self, change):
        return change.get_absolute_url()

    def item_pubdate(self, change):
        return change.at

    def item_updateddate(self, change):
        return change.at

    def item_lines(self, change):
        labels = change.field_labels()
        changed = _("Nội dung thay đổi: %(fields)s") % {"fields": ", ".join(labels)}
        return [f"{change.get_kind_display()} · {change.body_name()}", changed if labels else ""]

    def item_text(self, change):
        return change.note

    def item_author_name(self, change):
        """The issuing body (RFC 4287 §4.2.1), else the portal; never a staff member."""
        return change.body_name()

    def item_categories(self, change):
        return [change.get_kind_display()]


ChangeAtomFeed = atom(ChangeFeed)
