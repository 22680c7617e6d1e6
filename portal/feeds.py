"""RSS and Atom feeds of a filtered list: the list's query string selects the feed's items.

Feeds are read by shared, cached readers, so they show what an anonymous visitor sees,
whoever asks. An invalid filter is a 400 with a plain message (never an empty feed that
looks right, never a 500).
"""

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.db import models
from django.http import HttpResponseBadRequest, QueryDict
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from .rate_limits import DOWNLOAD, refused
from .text import without_controls

FEED_ITEMS = 50
# Parameters of a list page that select nothing (paging, downloads).
NOT_FILTERS = ("page", "format")


class InvalidFilter(Exception):
    pass


@dataclass
class Selection:
    """What one request's feed shows: the selected rows, and the filters in words."""

    items: object
    querystring: str
    described: list[str]


def clean_params(params: QueryDict) -> QueryDict:
    """The list's filters without paging and without control characters."""
    cleaned = QueryDict(mutable=True)
    for key, values in params.lists():
        if key in NOT_FILTERS:
            continue
        cleaned.setlist(without_controls(key), [without_controls(v).strip() for v in values])
    return cleaned


def describe(filterset) -> list[str]:
    """What the valid filters select, as a reader reads it: `Cơ quan ban hành: Thành ủy`."""
    parts = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "", [], ()):
            continue
        field = filterset.form.fields[name]
        if isinstance(value, models.Model) or not hasattr(field, "choices"):
            shown = value  # a model's own name; reading a model field's choices would query
        else:
            shown = dict(field.choices).get(value, value)
        parts.append(f"{field.label}: {shown}")
    return parts


class FilteredFeed(Feed):
    """An RSS 2.0 feed of `filterset_class` over `public_items()`; see `atom()`."""

    filterset_class = None
    list_url_name = ""

    def __call__(self, request, *args, **kwargs):
        # Feeds count as downloads (portal/rate_limits.py).
        if (refusal := refused(request, DOWNLOAD)) is not None:
            return refusal
        try:
            return super().__call__(request, *args, **kwargs)
        except InvalidFilter as error:
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")

    def public_items(self):
        """Published, public records: the same for every visitor."""
        raise NotImplementedError

    def order(self, queryset):
        """Newest publication first: what a reader has not seen yet."""
        return queryset.order_by("-published_at", "-pk")

    def select(self, filterset, params):
        """Hook for filters the list applies outside its FilterSet (a text query)."""
        return filterset.qs

    def describe_extra(self, params) -> list[str]:
        return []

    def feed_title(self) -> str:
        raise NotImplementedError

    def get_object(self, request, *args, **kwargs):
        params = clean_params(request.GET)
        filterset = self.filterset_class(params, queryset=self.public_items())
        if not filterset.is_valid():
            names = ", ".join(
                str(filterset.form.fields[name].label)
                if name in filterset.form.fields
                else name[:40]
                for name in filterset.errors
            )
            raise InvalidFilter(
                _("Bộ lọc không hợp lệ: %(names)s. Hãy sao chép lại địa chỉ từ trang danh sách.")
                % {"names": names}
            )
        return Selection(
            items=self.select(filterset, params),
            querystring=params.urlencode(),
            described=describe(filterset) + self.describe_extra(params),
        )

    def title(self, selection):
        if selection.described:
            return f"{self.feed_title()} – {'; '.join(selection.described)}"
        return self.feed_title()

    def link(self, selection):
        url = reverse(self.list_url_name)
        return f"{url}?{selection.querystring}" if selection.querystring else url

    def items(self, selection):
        return self.order(selection.items)[:FEED_ITEMS]

    def item_pubdate(self, item):
        return item.published_at

    def item_description(self, item):
        # Readers treat the description as HTML: the record's own text is escaped.
        return "<br>".join(escape(line) for line in self.item_lines(item) if line)

    def item_lines(self, item) -> list[str]:
        raise NotImplementedError


def atom(feed_class):
    """The Atom 1.0 twin of an RSS feed class (Atom calls the description a subtitle)."""
    return type(
        f"{feed_class.__name__}Atom",
        (feed_class,),
        {"feed_type": Atom1Feed, "subtitle": feed_class.description},
    )
