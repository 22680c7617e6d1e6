"""RSS and Atom feeds of a filtered list: the list's query string selects the feed's items.

Feeds are read by shared, cached readers, so they show what an anonymous visitor sees,
whoever asks. An invalid filter is a 400 with a plain message (never an empty feed that
looks right, never a 500).

Every feed is valid RSS 2.0 and Atom (RFC 4287): the feed and each entry have an id (the
page's address), an `updated` date and an author (the body that issued or held the record,
else the portal; never a staff member), and the self link keeps the filters. A reader that
sends back the ETag or the date of its last copy gets 304 until a record the feed shows
changes (`portal.conditional`).
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db import models
from django.http import HttpResponseBadRequest, QueryDict
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, linebreaks
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .conditional import last_change, row_changed_at, unless_modified
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
    path: str = ""


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
        if isinstance(value, bool):
            shown = _("có") if value else _("không")
        elif isinstance(value, models.Model) or not hasattr(field, "choices"):
            shown = value  # a model's own name; reading a model field's choices would query
        else:
            shown = dict(field.choices).get(value, value)
        parts.append(f"{field.label}: {shown}")
    return parts


class FilteredFeed(Feed):
    """An RSS 2.0 feed of `filterset_class` over `public_items()`; see `atom()`."""

    filterset_class = None
    list_url_name = ""
    # The models whose rows the feed shows, or names in its title (filter choices): a
    # change to any of them changes the feed (`changed_at`).
    shown_models: tuple = ()

    def __call__(self, request, *args, **kwargs):
        # Feeds count as downloads (portal/rate_limits.py), answered 304 or not.
        if (refusal := refused(request, DOWNLOAD)) is not None:
            return refusal
        return unless_modified(self.changed_at)(self.answer)(request, *args, **kwargs)

    def answer(self, request, *args, **kwargs):
        try:
            response = super().__call__(request, *args, **kwargs)
        except InvalidFilter as error:
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
        # Django dates the feed by its newest entry; the date readers send back is compared
        # with `changed_at`, which also sees withdrawals and deletions: send that one.
        response.headers.pop("Last-Modified", None)
        return response

    def changed_at(self, request, *args, **kwargs):
        """When the feed's content last changed, at the latest (one query)."""
        return last_change(*self.shown_models)

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
        # The filters the FilterSet reads, in the order typed: the feed's own address and
        # its list's, without paging or unknown parameters.
        filters = QueryDict(mutable=True)
        for key, values in params.lists():
            if key in filterset.filters and any(values):
                filters.setlist(key, [value for value in values if value])
        return Selection(
            items=self.select(filterset, params),
            querystring=filters.urlencode(),
            described=describe(filterset) + self.describe_extra(params),
            path=request.path,
        )

    def title(self, selection):
        if selection.described:
            return f"{self.feed_title()} – {'; '.join(selection.described)}"
        return self.feed_title()

    def link(self, selection):
        url = reverse(self.list_url_name)
        return f"{url}?{selection.querystring}" if selection.querystring else url

    def feed_url(self, selection):
        """The self link: this feed with the same filters (RSS's atom:link, Atom's link)."""
        if selection.querystring:
            return f"{selection.path}?{selection.querystring}"
        return selection.path

    def author_name(self):
        """The feed's author (RFC 4287 §4.1.1): the portal, in the reader's language."""
        names = settings.PORTAL_SITE_NAMES
        return names.get(get_language(), names[settings.LANGUAGE_CODE])

    def items(self, selection):
        """The newest `FEED_ITEMS` rows only, each with when it last changed."""
        rows = self.order(selection.items)
        return rows.annotate(changed_at=row_changed_at(rows.model))[:FEED_ITEMS]

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        """The last change to the record as the public sees it: its publication, or a later
        edit by a publisher (Atom's entry `updated`)."""
        published = self.item_pubdate(item)
        if item.changed_at is None or (published and published > item.changed_at):
            return published
        return item.changed_at

    def item_description(self, item):
        """The record's facts on one line each, then its text in paragraphs. Readers treat
        the description as HTML: the record's own text is escaped."""
        facts = "<br>".join(escape(line) for line in self.item_lines(item) if line)
        text = self.item_text(item).strip()
        return (f"<p>{facts}</p>" if facts else "") + (
            linebreaks(text, autoescape=True) if text else ""
        )

    def item_lines(self, item) -> list[str]:
        raise NotImplementedError

    def item_text(self, item) -> str:
        """The record's own text (a summary, a note): blank lines start a paragraph."""
        return ""


def atom(feed_class):
    """The Atom 1.0 twin of an RSS feed class (Atom calls the description a subtitle)."""
    return type(
        f"{feed_class.__name__}Atom",
        (feed_class,),
        {"feed_type": Atom1Feed, "subtitle": feed_class.description},
    )
