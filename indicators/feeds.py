"""RSS and Atom feeds of the new figures of published indicators, filtered like the
dashboard (`?period=` keeps that period's figures).

A figure shows once it is public: approved by a publisher (pending ones are hidden by
`Value.objects`) on a published indicator.
"""

from django.utils.translation import gettext as _

from portal.feeds import FilteredFeed, atom

from .filters import IndicatorFilter
from .models import Indicator, Period, Value
from .templatetags.indicators_format import figure


class FigureFeed(FilteredFeed):
    filterset_class = IndicatorFilter
    list_url_name = "indicators:list"
    shown_models = (Value, Indicator, Period)

    def public_items(self):
        return Indicator.objects.published()

    def select(self, filterset, params):
        """The approved figures of the indicators the dashboard shows; of the chosen
        period only, as the dashboard."""
        values = Value.objects.filter(indicator__in=filterset.qs)
        if period := filterset.form.cleaned_data.get("period"):
            values = values.filter(period=period)
        return values.select_related("indicator", "period")

    def order(self, queryset):
        """The newest entered first (the primary key's order)."""
        return queryset.order_by("-pk")

    def feed_title(self):
        return _("Số liệu chỉ tiêu mới cập nhật")

    def description(self, selection):
        return _("Các số liệu mới của các chỉ tiêu kinh tế – xã hội đã công bố.")

    def item_title(self, value):
        return _("%(indicator)s – %(period)s: %(kind)s %(figure)s") % {
            "indicator": value.indicator.name,
            "period": value.period.label,
            "kind": value.get_kind_display(),
            "figure": figure(value),
        }

    def item_link(self, value):
        # One address per figure (the entry's id), on the indicator's page.
        return f"{value.indicator.get_absolute_url()}#value-{value.pk}"

    def item_pubdate(self, value):
        """When the figure became public: approved, on a published indicator."""
        return max(d for d in (value.changed_at, value.indicator.published_at) if d)

    def item_lines(self, value):
        lines = []
        if value.vintage:
            line = _("Lần công bố: %(vintage)s") % {"vintage": value.get_vintage_display()}
            if value.released_on:
                line += _(", ngày %(date)s") % {"date": f"{value.released_on:%d/%m/%Y}"}
            lines.append(line)
        if value.source_text:
            lines.append(_("Nguồn: %(source)s") % {"source": value.source_text})
        return lines

    def item_text(self, value):
        return value.note

    def item_categories(self, value):
        return [value.indicator.get_category_display()]


FigureAtomFeed = atom(FigureFeed)
