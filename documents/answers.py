"""How the documents answer a `q`: the one decision every surface shares.

A query that reads as a document number is answered by the number search
(`number_search`): the complete matches when there are any, else the candidates. Any
other query is answered by the text search (`word_search`): the documents holding every
word. `Document.objects.search(q)` is this selection as a queryset (filters, downloads,
feeds, the admin); the list page and the API read the same `Answer` ranked.
"""

from dataclasses import dataclass

from django.db.models import Q

from portal import lists

from .number_search import NumberHits
from .numbering import Match, parse_query, split_issue_year
from .word_search import TextMatches


@dataclass
class Answer:
    """The documents answering a query: `rows` ranked (number matches best first, text
    matches newest first, at most `limit`)."""

    rows: NumberHits | TextMatches
    # Number matches: the complete ones (LOOSE or better) and all of them.
    exact: NumberHits | None = None
    hits: NumberHits | None = None
    # The query read as a number, but no document carries it (the text search answers).
    no_number_match: bool = False
    # The issue year written after the number, when no document of that year bears it.
    missed_year: int | None = None

    @property
    def by_number(self) -> bool:
        return self.hits is not None


def answer(documents, query: str, limit: int | None = None) -> Answer:
    """How `documents` answer `query` (already read by `portal.text.search_query`); text
    matches are read up to `limit` (one past the lists' cap unless told).

    A number followed by an issue year ("341-KH/TU 2019", docs/numbering.md §5.5) is
    searched among that year's documents; when none bears it, those of other years are
    the candidates, never the answer."""
    if limit is None:
        limit = lists.MAX_LISTED + 1
    number, year = split_issue_year(query)
    if year is not None:
        in_year = documents.filter(Q(issued_on__year=year) | Q(number_year=year))
        found = _by_number(in_year, number)
        if found is not None and found.exact:
            return found
        elsewhere = _by_number(documents, number)
        if elsewhere is not None:
            none = NumberHits(documents, [])
            return Answer(rows=elsewhere.hits, exact=none, hits=elsewhere.hits, missed_year=year)
    found = _by_number(documents, query)
    if found is not None:
        return found
    return Answer(
        rows=TextMatches(documents, query, limit=limit),
        no_number_match=parse_query(query) is not None,
    )


def _by_number(documents, query: str) -> Answer | None:
    """The number search's answer, or None when it finds nothing or `query` is no number."""
    hits = documents.search_number(query, partial_too=False)
    if not hits:
        return None
    exact = hits.at_least(Match.LOOSE)
    return Answer(rows=exact or hits, exact=exact, hits=hits)


def search(documents, query: str):
    """The documents answering `query`, as a queryset (every match, not only `limit`)."""
    if not query:
        return documents
    found = answer(documents, query)
    if found.by_number:
        return documents.filter(pk__in=found.rows.pks)
    return documents.search_text(query)
