"""RSS and Atom feeds of the progress updates of published projects, filtered like the list.

An update shows once it is public: approved by a publisher (pending ones are hidden by
`ProgressUpdate.objects`) on a published project.
"""

from django.utils.translation import gettext as _

from portal.conditional import last_change, start_of_today
from portal.feeds import FilteredFeed, atom

from .filters import ProjectFilter
from .models import ProgressUpdate, Project
from .schedule import format_percent
from .templatetags.projects_format import grouped


class ProgressFeed(FilteredFeed):
    filterset_class = ProjectFilter
    list_url_name = "projects:list"
    shown_models = (ProgressUpdate, Project)

    def changed_at(self, request, *args, **kwargs):
        """The schedule filter judges projects against today: its answer may change at
        midnight without any record changing."""
        changed = last_change(*self.shown_models)
        if request.GET.get("schedule") and changed is not None:
            return max(changed, start_of_today())
        return changed

    def public_items(self):
        return Project.objects.published().for_list()

    def select(self, filterset, params):
        """The approved updates of the projects the list shows."""
        return (
            ProgressUpdate.objects.filter(project__in=filterset.qs)
            .select_related("project")
            .defer("project__description", "project__geometry", "project__search_text")
        )

    def order(self, queryset):
        """The newest entered first (the primary key's order)."""
        return queryset.order_by("-pk")

    def feed_title(self):
        return _("Tiến độ dự án mới cập nhật")

    def description(self, selection):
        return _("Các lần cập nhật tiến độ mới của các dự án đã công bố trên cổng thông tin.")

    def item_title(self, update):
        return _("%(project)s – tiến độ đến ngày %(date)s") % {
            "project": update.project.name,
            "date": update.date.strftime("%d/%m/%Y"),
        }

    def item_link(self, update):
        # One address per update (the entry's id), on the project's page.
        return f"{update.project.get_absolute_url()}#progress-{update.pk}"

    def item_pubdate(self, update):
        """When the update became public: approved, on a published project."""
        return max(d for d in (update.changed_at, update.project.published_at) if d)

    def item_lines(self, update):
        lines = []
        if update.physical_percent is not None:
            lines.append(
                _("Khối lượng hoàn thành: %(percent)s")
                % {"percent": format_percent(update.physical_percent)}
            )
        disbursed = []
        if update.disbursed_amount is not None:
            disbursed.append(_("%(amount)s đồng") % {"amount": grouped(update.disbursed_amount)})
        if update.disbursed_percent is not None:
            disbursed.append(
                _("%(percent)s kế hoạch vốn")
                % {"percent": format_percent(update.disbursed_percent)}
            )
        if disbursed:
            lines.append(_("Giải ngân: %(disbursed)s") % {"disbursed": ", ".join(disbursed)})
        if update.source_text:
            lines.append(_("Nguồn: %(source)s") % {"source": update.source_text})
        return lines

    def item_text(self, update):
        return update.note

    def item_categories(self, update):
        return [update.project.get_sector_display()]


ProgressAtomFeed = atom(ProgressFeed)
