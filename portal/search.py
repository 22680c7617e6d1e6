"""Site-wide search: one query over documents, meetings, agenda items, indicators and projects.

Every kind is matched the same way: the query's folded words (`portal.text.search_words`)
must all appear in the row's folded `search_text` column (diacritics and case ignored, on
SQLite and PostgreSQL alike; trigram GIN indexes serve it on PostgreSQL). Documents are
searched through their own `search_number()` and `TextMatches`, exactly as their list does.
Only published records are found, and documents only when `visible_to()` the user.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from documents.models import Document
from documents.number_search import NumberHits
from documents.numbering import Match
from documents.word_search import TextMatches
from indicators.models import Indicator
from meetings.models import AgendaItem, Meeting
from portal.text import MAX_QUERY_LENGTH as MAX_QUERY_LENGTH  # the tests read it here
from portal.text import search_query, search_words
from projects.models import Project

SHOWN_PER_GROUP = 5
# The indicators dashboard has no text filter to send the rest to; a city follows a few
# dozen indicators, so more of them are listed here.
SHOWN_INDICATORS = 20
# Counting stops here, so a common word never makes the database count a whole register.
MAX_COUNTED = 1_000


@dataclass
class Group:
    """The results of one kind: how many match, the first few, and where to see them all."""

    kind: str
    label: str
    count: int
    results: list
    see_all_url: str = ""
    see_all_label: str = ""
    capped: bool = False  # more than MAX_COUNTED match; `count` is MAX_COUNTED

    @property
    def more(self) -> int:
        return max(self.count - len(self.results), 0)


@dataclass
class Results:
    query: str
    words: list[str]
    exact: list = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.exact) + sum(group.count for group in self.groups)

    @property
    def capped(self) -> bool:
        return any(group.capped for group in self.groups)


def _capped_count(queryset) -> tuple[int, bool]:
    """How many rows match, counting at most `MAX_COUNTED` (unordered: no sort needed)."""
    found = queryset.order_by()[: MAX_COUNTED + 1].count()
    return min(found, MAX_COUNTED), found > MAX_COUNTED


def normalise_query(raw: str) -> tuple[str, bool]:
    """The query as searched, as every list reads its `q` (`portal.text.search_query`).
    Returns (query, whether it was cut)."""
    return search_query(raw)


def _list_url(name: str, query: str) -> str:
    return f"{reverse(name)}?{urlencode({'q': query})}"


def search(query: str, user) -> Results:
    """Search every kind for `query` (already normalised) as `user` may see it.

    A bounded number of queries: the number search's and `TextMatches`' reads, one read of
    the documents shown, two for every other kind.
    """
    words = search_words(query)
    results = Results(query=query, words=words)
    if not words:
        return results
    exact, documents = _documents(query, words, user)
    results.exact = exact
    results.groups = [documents, *_other_kinds(query, words)]
    return results


def _documents(query: str, words: list[str], user) -> tuple[list, Group]:
    """Documents whose number matches exactly (shown first, apart), then the other number
    matches, then those whose text holds every word, newest first."""
    visible = Document.objects.visible_to(user)
    hits = visible.search_number(query) or NumberHits(visible, [])
    exact = hits.at_least(Match.LOOSE).pks
    near = hits.below(Match.LOOSE)
    # A words query is answered as on the documents list (`Document.objects.answer`); a
    # number query also finds, after the numbers, the documents whose text cites it.
    by_text = TextMatches(visible.exclude(pk__in=hits.pks), query, limit=MAX_COUNTED + 1)
    text_count, capped = min(len(by_text), MAX_COUNTED), len(by_text) > MAX_COUNTED
    shown = near.pks[:SHOWN_PER_GROUP]
    shown += by_text.pks[: SHOWN_PER_GROUP - len(shown)]
    # Every document shown in one read, whichever of the three kinds there are.
    loaded = visible.for_list().order_by().in_bulk(exact + shown)
    group = Group(
        kind="documents",
        label=_("Văn bản"),
        count=len(near) + text_count,
        capped=capped,
        results=[loaded[pk] for pk in shown if pk in loaded],
        see_all_url=_list_url("documents:list", query),
        see_all_label=_("Xem tất cả trong danh sách văn bản"),
    )
    return [loaded[pk] for pk in exact if pk in loaded], group


def _counted(queryset) -> dict:
    count, capped = _capped_count(queryset)
    return {"count": count, "capped": capped}


def _other_kinds(query: str, words: list[str]) -> list[Group]:
    # Each kind's own rule, as its list's `q` reads it (`search`); a meetings list's `q`
    # (`MeetingQuerySet.search`) is split here in two groups: the meetings whose own text
    # matches, and the agenda items that do, each shown with its meeting.
    meetings = Meeting.objects.published().matching(words)
    items = AgendaItem.objects.of_published_meetings().matching(words)
    indicators = Indicator.objects.published().search(query)
    projects = Project.objects.published().search(query)
    meetings_url = _list_url("meetings:list", query)
    return [
        Group(
            kind="meetings",
            label=_("Hội nghị"),
            **_counted(meetings),
            results=list(meetings.select_related("term__body").newest_first()[:SHOWN_PER_GROUP]),
            see_all_url=meetings_url,
            see_all_label=_("Xem tất cả trong danh sách hội nghị"),
        ),
        Group(
            kind="agenda_items",
            label=_("Nội dung hội nghị"),
            **_counted(items),
            results=list(
                items.select_related("meeting__term__body").order_by(
                    F("meeting__date").desc(nulls_last=True), "-meeting__pk", "sort_key", "pk"
                )[:SHOWN_PER_GROUP]
            ),
            # The meetings list finds a meeting through its agenda items too.
            see_all_url=meetings_url,
            see_all_label=_("Xem các hội nghị có nội dung này"),
        ),
        Group(
            kind="indicators",
            label=_("Chỉ tiêu"),
            **_counted(indicators),
            results=_labelled(indicators.order_by("order", "code")[:SHOWN_INDICATORS], "category"),
        ),
        Group(
            kind="projects",
            label=_("Dự án"),
            **_counted(projects),
            results=_labelled(projects.order_by("-is_key", "name")[:SHOWN_PER_GROUP], "sector"),
            see_all_url=_list_url("projects:list", query),
            see_all_label=_("Xem tất cả trong danh sách dự án"),
        ),
    ]


def _labelled(records, field: str) -> list:
    """`records`, each with `choice_label`: its `field`'s choice label. (`get_<field>_display()`
    translates every choice of the field, for each record.)"""
    records = list(records)
    if records:
        labels = dict(records[0]._meta.get_field(field).flatchoices)
        for record in records:
            record.choice_label = labels.get(getattr(record, field), getattr(record, field))
    return records
