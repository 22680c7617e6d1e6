"""The sitemap: `/sitemap.xml` is an index of sections, `/sitemap-<kind>-<number>.xml`, each
listing the public pages of one kind whose records' primary keys fall in one range of
`SECTION_SIZE` keys (documents' section 3: keys 1 500 to 1 999). So a section holds at most
`SECTION_SIZE` pages, keeps its address while records come and go, and is read by one
range scan of the primary key, however large the register; the index names every range
from the first public key of each kind to the last, read from the top and the bottom of
the key's index (docs/benchmarks.md).

Every page is listed at its Vietnamese and its English address (`/en/…`), each naming both
as `xhtml:link` alternates, with the Vietnamese one as `x-default` (Google's sitemap form of
hreflang; portal/languages.py): a section holds twice as many `<url>`s as records.

Only published records are listed, and only public documents (docs/publication.md). A
range whose records are all hidden still answers a valid sitemap, which the protocol wants
non-empty: it lists the home page. Finding the empty ranges to leave them out of the index
would read the register (a probe per range: 21–72 ms at a million documents).

Addresses are built from the columns a record's URL is made of, not with `reverse()`,
which costs ~45 µs an address (a test checks that they equal `get_absolute_url()`); dates
are read as text, since psycopg turns a `timestamptz` into a `datetime` in ~5 µs a row.
Each address is dated by its record's newest history row, else its publication. The index
and the sections answer 304 to a crawler that sends back the validators of its copy until
a record they cover changes (portal/conditional.py).
"""

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote
from xml.sax.saxutils import escape

from django.conf import settings
from django.db import connection
from django.db.models import CharField, Max, QuerySet, Value
from django.db.models.functions import Cast
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from documents.models import Document
from indicators.models import Indicator
from meetings.models import Meeting, Term
from projects.models import Project

from .conditional import history_of, unless_modified
from .languages import in_each_language
from .models import Organization, Page, Person
from .text import vietnamese_slug

# A section's addresses at most (the protocol allows 50 000): a section costs a few
# milliseconds, and a register of a million documents has two thousand.
SECTION_SIZE = 500

XML = '<?xml version="1.0" encoding="UTF-8"?>\n'
NAMESPACE = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
XHTML = 'xmlns:xhtml="http://www.w3.org/1999/xhtml"'


@dataclass(frozen=True)
class Kind:
    """One kind of public page: its records, the columns its address is made of, and the
    models whose changes change what its sections show (the record's own first)."""

    records: Callable[[], QuerySet]
    prefix: Callable[[], str]  # where its addresses start
    columns: tuple[str, ...]
    path: Callable[[str, tuple], str]  # (prefix, columns) → the record's address
    models: tuple

    def published_at(self):
        """The publication date as text, or NULL for records without one (people)."""
        has_date = any(f.name == "published_at" for f in self.models[0]._meta.fields)
        return Cast("published_at" if has_date else Value(None), CharField())


def _slug_path(prefix: str, columns: tuple) -> str:
    return f"{prefix}{columns[0]}/"


# A body's code in a meeting's address, once per body rather than once per meeting.
_body_slug = functools.lru_cache(maxsize=1024)(vietnamese_slug)


def _meeting_path(prefix: str, columns: tuple) -> str:
    body, ordinal, number = columns
    return f"{prefix}{_body_slug(body)}/{quote(ordinal.lower())}/{number}/"


KINDS = {
    "documents": Kind(
        records=lambda: Document.objects.published().public(),
        prefix=lambda: reverse("documents:list"),
        columns=("url_year", "slug"),
        path=lambda prefix, columns: f"{prefix}{columns[0]}/{columns[1]}/",
        models=(Document,),
    ),
    "meetings": Kind(
        records=lambda: Meeting.objects.published(),
        prefix=lambda: reverse("meetings:list"),
        columns=("term__body__code", "term__ordinal", "number"),
        path=_meeting_path,
        models=(Meeting, Term, Organization),
    ),
    "indicators": Kind(
        records=lambda: Indicator.objects.published(),
        prefix=lambda: reverse("indicators:list"),
        columns=("code",),
        path=_slug_path,
        models=(Indicator,),
    ),
    "projects": Kind(
        records=lambda: Project.objects.published(),
        prefix=lambda: reverse("projects:list"),
        columns=("slug",),
        path=_slug_path,
        models=(Project,),
    ),
    # Officials' pages are public as soon as they exist (people are not drafts).
    "people": Kind(
        records=lambda: Person.objects.all(),
        prefix=lambda: reverse("portal:person", kwargs={"slug": "x"})[:-2],
        columns=("slug",),
        path=_slug_path,
        models=(Person,),
    ),
    "pages": Kind(
        records=lambda: Page.objects.published(),
        prefix=lambda: reverse("portal:page", kwargs={"slug": "x"})[:-2],
        columns=("slug",),
        path=_slug_path,
        models=(Page,),
    ),
}

# The section of the home page and the list pages, with the kinds each one shows.
LISTS = {
    "portal:home": tuple(KINDS),
    "documents:list": ("documents",),
    "meetings:list": ("meetings",),
    "indicators:list": ("indicators",),
    "projects:list": ("projects",),
}


def w3c_datetime(text: str | None) -> str | None:
    """The W3C datetime of a UTC time the database wrote as text
    (`2026-12-06 05:06:46.333568+00` on PostgreSQL, without `+00` on SQLite)."""
    return f"{text[:10]}T{text[11:19]}+00:00" if text else None


def _as_datetime(text: str | None) -> datetime.datetime | None:
    """The exact instant of such a text, for `Last-Modified` and the ETag."""
    if not text:
        return None
    at = parse_datetime(text)
    return at if timezone.is_aware(at) else at.replace(tzinfo=datetime.UTC)


def _newest(texts) -> str | None:
    # UTC times written alike sort as text (`…:46+00` before `…:46.5+00` too).
    return max(filter(None, texts), default=None)


# What the index reads: two queries whatever the register's size -------------------------


def newest_changes(groups: dict[str, tuple]) -> dict[str, str | None]:
    """Name → when a row of any of its models was last added, changed or deleted (text), in
    one query over the history tables' indexed dates."""
    quote_name = connection.ops.quote_name
    date = quote_name("history_date")
    selects, params = [], []
    for name, models in groups.items():
        for model in models:
            table = quote_name(history_of(model)._meta.db_table)
            selects.append(f"SELECT %s, CAST(MAX({date}) AS TEXT) FROM {table}")
            params.append(name)
    changed: dict[str, str | None] = dict.fromkeys(groups)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        for name, at in cursor.fetchall():
            changed[name] = _newest([changed[name], at])
    return changed


def kinds_changed() -> dict[str, str | None]:
    """When a record of each kind, or a row its addresses are made of, last changed."""
    return newest_changes({name: kind.models for name, kind in KINDS.items()})


def key_ranges() -> dict[str, range]:
    """The numbers of the sections of each kind: from its first public key's range to its
    last's, each key found from one end of the primary key's index."""
    with connection.cursor() as cursor:
        cursor.execute(*_key_ranges_sql(connection.vendor))
        return {
            name: range(first // SECTION_SIZE, last // SECTION_SIZE + 1)
            if first is not None
            else range(0)
            for name, first, last in cursor.fetchall()
        }


@functools.cache
def _key_ranges_sql(vendor: str) -> tuple[str, list]:
    """`key_ranges`' query, which depends on nothing but the database: compiled once (six
    querysets compiled on every request were two thirds of the index's CPU)."""
    selects, params = [], []
    for name, kind in KINDS.items():
        public, public_params = kind.records().order_by().values("pk").query.sql_with_params()
        key = connection.ops.quote_name("pk")  # the column's name in `public`
        selects.append(f"SELECT %s, MIN(p.{key}), MAX(p.{key}) FROM ({public}) p")
        params += [name, *public_params]
    return " UNION ALL ".join(selects), params


def _changed_kinds(request) -> dict[str, str | None]:
    """`kinds_changed()`, read once per request: the validators and the answer share it."""
    if not hasattr(request, "_sitemap_kinds_changed"):
        request._sitemap_kinds_changed = kinds_changed()
    return request._sitemap_kinds_changed


def _site_changed(request, **kwargs):
    return _as_datetime(_newest(_changed_kinds(request).values()))


@unless_modified(_site_changed)
def index(request):
    """`/sitemap.xml`: the lists' section and the sections of every kind, each dated by the
    newest change of its kind."""
    changed = _changed_kinds(request)
    site = escape(request.build_absolute_uri("/")[:-1])
    entries = _index_entries(site, "lists", range(1), _newest(changed.values()))
    for name, numbers in key_ranges().items():
        entries += _index_entries(site, name, numbers, changed[name])
    body = f"{XML}<sitemapindex {NAMESPACE}>\n{''.join(entries)}</sitemapindex>\n"
    return HttpResponse(body, content_type="application/xml; charset=utf-8")


def _index_entries(site: str, kind: str, numbers: range, changed: str | None) -> list[str]:
    """The index's entries of the kind's sections `numbers`, all dated `changed`."""
    first = reverse("sitemap_section", kwargs={"kind": kind, "number": 0})
    address = f"{site}{first.removesuffix('0.xml')}"  # then the number, then ".xml"
    lastmod = f"<lastmod>{w3c_datetime(changed)}</lastmod>" if changed else ""
    return [f"<sitemap><loc>{address}{n}.xml</loc>{lastmod}</sitemap>\n" for n in numbers]


# The sections ----------------------------------------------------------------------------


def _bounds(number: int) -> tuple[int, int]:
    """The keys of section `number`: from the first, up to (not including) the second."""
    return number * SECTION_SIZE, (number + 1) * SECTION_SIZE


def _changed_in_range(request, kind: str, number: int) -> dict[int, str]:
    """Key → newest history date (text) of every record of the section's range, listed or
    not (a withdrawal changes the section): one range scan, read once per request."""
    if not hasattr(request, "_sitemap_range_changed"):
        model = KINDS[kind].models[0]
        pk = model._meta.pk.attname  # a history row's own key is `history_id`
        low, high = _bounds(number)
        request._sitemap_range_changed = dict(
            history_of(model)
            .objects.filter(**{f"{pk}__gte": low, f"{pk}__lt": high})
            .order_by()
            .values(pk)
            .annotate(at=Cast(Max("history_date"), CharField()))
            .values_list(pk, "at")
        )
    return request._sitemap_range_changed


def _section_changed(request, kind: str, number: int):
    """When a record of the section's range, or a row its addresses are made of (a
    meeting's term and body), last changed."""
    if kind == "lists":
        return _site_changed(request)
    if kind not in KINDS:
        return None
    changes = list(_changed_in_range(request, kind, number).values())
    if others := KINDS[kind].models[1:]:
        changes.append(newest_changes({"addresses": others})["addresses"])
    return _as_datetime(_newest(changes))


@unless_modified(_section_changed)
def section(request, kind: str, number: int):
    """`/sitemap-<kind>-<number>.xml`; 404 for what the index does not name."""
    site = escape(request.build_absolute_uri("/")[:-1])
    if kind == "lists" and number == 0:
        urls = _lists(request, site)
    elif kind in KINDS:
        urls = _records(request, site, kind, number)
    else:
        raise Http404
    body = f"{XML}<urlset {NAMESPACE} {XHTML}>\n{''.join(urls)}</urlset>\n"
    return HttpResponse(body, content_type="application/xml; charset=utf-8")


def _addresses(site: str, build: Callable[..., str], *args) -> dict[str, str]:
    """Language → the site followed by `build(*args)` in that language (a `reverse()`, a
    kind's prefix)."""
    return {code: f"{site}{path}" for code, path in in_each_language(build, *args).items()}


def _urls(addresses: dict[str, str], lastmod: str | None) -> str:
    """The page at each of its `addresses` (language → address), each naming them all.
    The addresses need no escaping: the site's escaped once, then slugs, digits, a quoted
    ordinal."""
    lastmod = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
    links = "".join(
        f'<xhtml:link rel="alternate" hreflang="{code}" href="{address}"/>'
        for code, address in [
            *addresses.items(),
            ("x-default", addresses[settings.LANGUAGE_CODE]),
        ]
    )
    return "".join(
        f"<url><loc>{address}</loc>{lastmod}{links}</url>\n" for address in addresses.values()
    )


def _lists(request, site: str) -> list[str]:
    changed = _changed_kinds(request)
    return [
        _urls(
            _addresses(site, reverse, name),
            w3c_datetime(_newest(changed[kind] for kind in kinds)),
        )
        for name, kinds in LISTS.items()
    ]


def _records(request, site: str, name: str, number: int) -> list[str]:
    """The section's records in key order, each dated by its newest history row (every
    save, publication and approval writes one), else by its publication."""
    kind = KINDS[name]
    low, high = _bounds(number)
    rows = (
        kind.records()
        .filter(pk__gte=low, pk__lt=high)
        .order_by("pk")
        .values_list("pk", *kind.columns, kind.published_at())
    )
    changed = _changed_in_range(request, name, number)
    prefixes = _addresses(site, kind.prefix)
    end = 1 + len(kind.columns)
    urls = [
        _urls(
            {code: kind.path(prefix, row[1:end]) for code, prefix in prefixes.items()},
            w3c_datetime(changed.get(row[0]) or row[end]),
        )
        for row in rows
    ]
    if not urls:
        if number not in key_ranges()[name]:
            raise Http404
        # A range of hidden records only, inside the ones the index names.
        home = w3c_datetime(_newest(_changed_kinds(request).values()))
        urls = [_urls(_addresses(site, reverse, "portal:home"), home)]
    return urls
