"""Leak hunt: no public surface shows a record the public may not see (issue 14).

The portal gets drafts, internal documents, archived and withdrawn records of every kind
(and, where the models have it, children waiting for a publisher under published records),
each text field carrying its own marker word (`zqleak…`), beside published public records
that point at them. Then every public URL the URLconf has — read from the URLconf, so a new
page is covered without anyone adding it here — is fetched anonymously and as a staff
member without `documents.view_internal_document`, in Vietnamese and in English (the
pages at their `/en/` addresses, the rest with the English cookie), in every
format (page, CSV, JSON, browsable API), filtered by the hidden records' topics and
bodies, and searched for each marker. No response may hold a marker, a hidden record's
address, or be a 5xx.

A pattern that takes arguments must have a filler in `FILLERS` (how to name each record
of its kind): a new public URL with arguments fails `test_every_public_pattern_is_filled`
until someone says how to fill it.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.test import Client
from django.urls import resolve, reverse
from django.utils import translation

from documents import open_data
from documents.models import Document
from meetings.models import AgendaItem
from portal.publication import PublicationStatus
from portal.roles import PORTAL_APPS
from portal.sitemaps import SECTION_SIZE
from projects.models import Project

from .factories import make_staff
from .hidden_records import MARKER, PREFIX, PUBLISHED, World, build_world, has_pending
from .urlconf import MAY_ANSWER_503, public_patterns

pytestmark = pytest.mark.django_db

# How to name each record in a pattern that takes arguments ------------------------------

Filler = Callable[[World], list[dict]]


def _documents_kwargs(world: World) -> list[dict]:
    return [{"year": d.url_year, "slug": d.slug} for d in world.documents]


def _meetings_kwargs(world: World) -> list[dict]:
    return [m.url_kwargs() for m in world.meetings]


def _indicators_kwargs(world: World) -> list[dict]:
    return [{"code": i.code} for i in world.indicators]


def _projects_kwargs(world: World) -> list[dict]:
    return [{"slug": p.slug} for p in world.projects]


def _periods_kwargs(world: World) -> list[dict]:
    return [{"slug": p.slug} for p in world.periods]


def _sitemap_sections_kwargs(world: World) -> list[dict]:
    """Every section that holds a record of the world, hidden ones included."""
    records = {
        "documents": world.documents,
        "meetings": world.meetings,
        "indicators": world.indicators,
        "projects": world.projects,
        "people": world.people,
        "pages": world.pages,
    }
    sections = {("lists", 0)}
    for kind, rows in records.items():
        sections |= {(kind, row.pk // SECTION_SIZE) for row in rows}
    return [{"kind": kind, "number": number} for kind, number in sorted(sections)]


FILLERS: dict[str, Filler] = {
    "portal:person": lambda world: [{"slug": p.slug} for p in world.people],
    "portal:page": lambda world: [{"slug": p.slug} for p in world.pages],
    "documents:detail": _documents_kwargs,
    "documents:by_id": lambda world: [{"pk": d.pk} for d in world.documents],
    "documents:attachment": lambda world: [{"key": a.key} for a in world.attachments],
    "meetings:detail": _meetings_kwargs,
    "indicators:detail": _indicators_kwargs,
    "indicators:csv": _indicators_kwargs,
    "projects:detail": _projects_kwargs,
    "api:documents-detail": _documents_kwargs,
    "api:meetings-detail": _meetings_kwargs,
    "api:indicators-detail": _indicators_kwargs,
    "api:periods-detail": _periods_kwargs,
    "api:projects-detail": _projects_kwargs,
    "api:projects-detail-geojson": _projects_kwargs,
    "sitemap_section": _sitemap_sections_kwargs,
    # The nightly export's files (404 until it has run; its content: test_open_data).
    "documents:open_data": lambda world: [{"name": name} for name in open_data.FILES],
    # A reset link that is not (or no longer) valid: the page anyone may open.
    "accounts:password_reset_confirm": lambda world: [
        {"uidb64": "MQ", "token": "cxyz12-0123456789abcdef0123456789abcdef"}
    ],
    # Following a list or any record (a hidden one is 404), and a mail's links (no token).
    "alerts:follow": lambda world: [
        {"kind": kind} for kind in ("documents", "meetings", "indicators", "projects")
    ],
    "alerts:follow_record": lambda world: [
        {"kind": kind, "pk": record.pk}
        for kind in ("documents", "meetings", "indicators", "projects")
        for record in getattr(world, kind)
    ],
    "alerts:confirm": lambda world: [{"token": "khong-co-ma-nay"}],
    "alerts:manage": lambda world: [{"token": "khong-co-ma-nay"}],
    "alerts:unsubscribe": lambda world: [{"token": "khong-co-ma-nay"}],
}

# Every public page, in each of these forms (an unknown format is a 400 or 404, not a 5xx).
FORMATS = ["", "format=csv", "format=json", "format=api"]


def _with_query(url: str, query: str) -> str:
    return f"{url}?{query}" if query else url


def survey(world: World) -> tuple[list[str], list[str]]:
    """(every URL to fetch as it is, the addresses of the pages without arguments)."""
    plain, lists = [], []
    for pattern in public_patterns():
        if pattern.takes_arguments:
            for kwargs in FILLERS[pattern.name](world):
                url = reverse(pattern.name, kwargs=kwargs)
                plain.append(url)
                if pattern.name.startswith("api:"):
                    plain.append(_with_query(url, "format=api"))  # the browsable page
            continue
        url = pattern.address()
        lists.append(url)
        plain += [_with_query(url, query) for query in FORMATS]
    return plain, lists


def _dummy(marker: str) -> str:
    """A marker-shaped word no record holds: what searching echoes back by itself."""
    return PREFIX + "z" * (len(marker) - len(PREFIX))


# Fetching and reading -------------------------------------------------------------------


def _read(response) -> str:
    # Not closed by hand: the test client closes it as a WSGI server would, without the
    # request_finished signal that would close the test's connection on PostgreSQL.
    content = b"".join(response.streaming_content) if response.streaming else response.content
    headers = "\n".join(f"{name}: {value}" for name, value in response.headers.items())
    text = headers + "\n" + content.decode("utf-8", errors="replace")
    # iCalendar folds long lines ("\r\n "); a marker may straddle a fold.
    return text.replace("\r\n ", "").replace("\r\n\t", "").lower()


# Per-request noise: the CSRF token of the language switcher, a CSP nonce, the time.
NOISE = re.compile(
    r'csrfmiddlewaretoken" value="[^"]*"|nonce(="|-)[^"; ]*|date: [^\n]*|expires: [^\n]*'
)


def _without_own_address(url: str, body: str) -> str:
    """`body` without the request's own address, which the language switcher's `next`
    field, a sign-in redirect's `next` and some error pages echo: it is what was asked,
    not what was found."""
    own = url.lower()
    quoted = [quote(url, safe=safe).lower() for safe in ("/", "")]
    for form in (own, own.replace("&", "&amp;"), *quoted, own.split("?")[0]):
        body = body.replace(form, "")
    return body


@dataclass
class Finding:
    url: str
    status: int
    found: list[str]

    def __str__(self):
        return f"{self.status} {self.url}: " + "; ".join(self.found)


class Hunter:
    def __init__(self, client: Client, world: World):
        self.client = client
        self.world = world
        self.findings: list[Finding] = []
        self.fetched = 0
        self.echo: dict[str, int] = {}

    def get(self, url: str) -> tuple[int, str, str]:
        """(status, content type, body with headers, lower-cased)."""
        response = self.client.get(url)
        self.fetched += 1
        body = _read(response)
        status = response.status_code
        probe = status == 503 and resolve(url.split("?")[0]).view_name in MAY_ANSWER_503
        if status >= 500 and not probe:
            self.findings.append(Finding(url, status, ["server error"]))
        return response.status_code, response.get("Content-Type", ""), body

    def leaks(self, url: str, body: str) -> list[str]:
        """Markers and hidden addresses in `body`; a marker the URL itself holds (a filter's
        value, a hidden record's slug) may be echoed: it is what was asked."""
        body = _without_own_address(url, body)
        found = []
        for marker in sorted(set(MARKER.findall(body)) - set(MARKER.findall(url.lower()))):
            found.append(f"{marker} ({self._describe(marker)})")
        for path, what in self.world.paths.items():
            if path.lower() in body:
                found.append(f"{path} ({what})")
        for text in self.world.scoped.get(url.split("?")[0], []):
            if text.lower() in body:
                found.append(f"{text} (chờ duyệt, trên trang của chính bản ghi)")
        return found

    def _describe(self, marker: str) -> str:
        if marker in self.world.markers:
            return self.world.markers[marker]
        cut = [m for m in self.world.markers if m.startswith(marker)]
        return f"cắt ngắn từ {cut[0]}: {self.world.markers[cut[0]]}" if cut else "?"

    def hunt(self, url: str) -> str:
        """Fetch `url`, note what it shows that it must not; returns its content type."""
        status, content_type, body = self.get(url)
        if found := self.leaks(url, body):
            self.findings.append(Finding(url, status, found))
        return content_type

    def reads(self, url: str, names) -> bool:
        """Whether `url` answers these parameters at all (robots.txt, the schema… do not)."""
        bodies = []
        dummies = urlencode({name: _dummy(PREFIX + "000") for name in names})
        for address in (url, _join(url, dummies)):
            _status, _type, body = self.get(address)
            bodies.append(NOISE.sub("", _without_own_address(address, body)))
        return bodies[0] != bodies[1]

    def hunt_search(self, url: str, marker: str) -> None:
        """Search `url` for `marker`: it may be echoed as often as a word nobody wrote is
        echoed; any more is a result showing a hidden record."""
        searched = _join(url, urlencode({"q": marker}))
        dummy_url = _join(url, urlencode({"q": _dummy(marker)}))
        if dummy_url not in self.echo:
            _status, _type, dummy_body = self.get(dummy_url)
            self.echo[dummy_url] = dummy_body.count(_dummy(marker))
        status, _type, body = self.get(searched)
        found = self.leaks(searched, body)
        extra = body.count(marker) - self.echo[dummy_url]
        if extra > 0:
            found.append(f"{marker} ×{extra} ({self._describe(marker)})")
        if found:
            self.findings.append(Finding(searched, status, found))


def _join(url: str, query: str) -> str:
    """`url` with `query` added to the query string it may already have."""
    return f"{url}&{query}" if "?" in url else f"{url}?{query}"


def _staff_without_internal_permission():
    """A staff member with every portal permission except reading internal documents."""
    user = make_staff(username="bien.tap.vien")
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=PORTAL_APPS).exclude(
            codename="view_internal_document"
        )
    )
    assert not user.has_perm("documents.view_internal_document")
    return user


# The tests ------------------------------------------------------------------------------


def test_every_public_pattern_is_filled():
    """A public URL that takes arguments needs a filler, or the hunt would not visit it."""
    unknown = [
        f"{p.name} ({p.route})"
        for p in public_patterns()
        if p.takes_arguments and p.name not in FILLERS
    ]
    assert not unknown, (
        "Public URL patterns the leak hunt does not know how to fill; add each to FILLERS "
        "in portal/tests/test_leak_hunt.py: " + ", ".join(unknown)
    )
    stale = set(FILLERS) - {p.name for p in public_patterns()}
    assert not stale, f"FILLERS names patterns that no longer exist: {sorted(stale)}"


LANGS = ("vi", "en")


def _shown_kept_and_hidden_again(settings, world: World, language: str) -> None:
    """With the response cache on: every hidden record shown to the public, every page and
    search read (and so kept), then each record hidden again as staff hide it (a save, as
    the admin and `set_status` make). The hunt that follows reads through the cache."""
    settings.PORTAL_RESPONSE_CACHE = True
    # Room for every page: a cache that culls would drop old copies by itself.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "leak-hunt",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }
    records = [*world.documents, *world.meetings, *world.indicators, *world.projects]
    hidden = [
        (record, record.status, record.published_at, getattr(record, "visibility", None))
        for record in [*records, *world.pages]
        if record.status != PUBLISHED or getattr(record, "visibility", "public") != "public"
    ]
    for record, *_before in hidden:
        record.status = PUBLISHED
        if hasattr(record, "visibility"):
            record.visibility = "public"
        record.save()
    client = Client()
    if language == "en":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        translation.activate("en")  # every page at its `/en/` address
    hunter = Hunter(client, world)
    plain, lists = survey(world)
    for url in plain:
        hunter.hunt(url)
    for url in lists:
        for marker in world.search_markers:
            hunter.hunt(_join(url, urlencode({"q": marker})))
    assert len(hunter.findings) > len(hidden)  # the pages kept showed them all
    assert len(cache._cache) > len(plain)
    for record, status, published_at, visibility in hidden:
        record.status, record.published_at = status, published_at
        if visibility is not None:
            record.visibility = visibility
        record.save()


@pytest.mark.parametrize(
    ("visitor", "language", "cached"),
    [
        *[(visitor, language, False) for visitor in ("anonymous", "staff") for language in LANGS],
        # Through the response cache, after a withdrawal.
        *[("anonymous", language, True) for language in LANGS],
    ],
)
def test_no_hidden_record_shows_on_any_public_surface(
    settings, tmp_path, visitor, cached, language
):
    world = build_world(settings, tmp_path)
    if cached:
        _shown_kept_and_hidden_again(settings, world, language)
    client = Client()
    if visitor == "staff":
        client.force_login(_staff_without_internal_permission())
    if language == "en":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        translation.activate("en")  # every page at its `/en/` address
    hunter = Hunter(client, world)
    plain, lists = survey(world)
    assert language == "vi" or "/en/documents/" in plain
    content_types = {url: hunter.hunt(url) for url in plain}

    searches = 0
    filters = {name for params in world.hidden_filters for name in params}
    for url in lists:
        # Filtered by what only hidden records have: a topic, a type, a body, a period.
        if hunter.reads(url, filters):
            for params in world.hidden_filters:
                hunter.hunt(_join(url, urlencode(params)))
        # The one search box gets every marker of every field; lists, feeds and the API
        # each record's title. Downloads too, where the page has them.
        markers = list(world.markers) if url == reverse("portal:search") else None
        markers = markers or world.search_markers
        forms = [url]
        if content_types[_with_query(url, "format=csv")].startswith("text/csv"):
            forms.append(_with_query(url, "format=csv"))
        for form in forms:
            if not hunter.reads(form, ["q"]):
                continue
            for marker in markers:
                hunter.hunt_search(form, marker)
                searches += 1

    # The hunt really looked: many hidden records, every page, and searches; and public
    # records do show to this visitor (a blanket redirect or 404 would find no leak).
    assert len(world.markers) > 100
    plan = Document.objects.get(number="341-KH/TU")
    response = client.get(plan.get_absolute_url())
    assert response.status_code == 200
    assert plan.title in response.content.decode()
    # The change log lists public records' changes (hidden ones' carry markers).
    assert "Cập nhật theo văn bản gốc." in client.get(reverse("changes:list")).content.decode()
    assert searches > 10 * len(world.search_markers)
    assert hunter.fetched >= len(plain) + searches
    report = "\n".join(str(finding) for finding in hunter.findings[:80])
    assert not hunter.findings, (
        f"{len(hunter.findings)} of {hunter.fetched} responses show hidden records "
        f"({visitor}, {language}):\n{report}"
    )


def test_the_hunt_would_see_a_leak(settings, tmp_path):
    """The detector itself: a hidden record published by mistake is found on its page and
    by a search for its title's marker."""
    world = build_world(settings, tmp_path)
    leaked = Project.objects.get(status=PublicationStatus.DRAFT, parent=None)
    leaked.status = PUBLISHED
    leaked.save()
    marker = next(m for m in world.search_markers if m in leaked.name)
    hunter = Hunter(Client(), world)
    hunter.hunt(leaked.get_absolute_url())
    hunter.hunt_search(reverse("portal:search"), marker)
    hunter.hunt_search(reverse("projects:list"), marker)
    assert [finding.url for finding in hunter.findings] == [
        leaked.get_absolute_url(),
        f"/search/?q={marker}",
        f"/projects/?q={marker}",
    ]


@pytest.mark.skipif(not has_pending(AgendaItem), reason="no pending children yet")
def test_the_hunt_sees_a_pending_child_once_approved(settings, tmp_path):
    """The pending children were really made: approving one shows it on its meeting."""
    world = build_world(settings, tmp_path)
    item = AgendaItem.all_objects.get(pending=True)
    meeting_url = item.meeting.get_absolute_url()
    hunter = Hunter(Client(), world)
    hunter.hunt(meeting_url)
    assert hunter.findings == []

    AgendaItem.all_objects.filter(pk=item.pk).update(pending=False)
    hunter.hunt(meeting_url)
    [finding] = hunter.findings
    assert any("nội dung chờ duyệt" in found for found in finding.found)
