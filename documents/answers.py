"""How the documents answer a `q`: the one decision every surface shares.

A query that reads as a document number is answered by the number search
(`number_search`): the complete matches when there are any, else the candidates. Any
other query is answered by the text search (`text_search`): the documents holding every
word. `Document.objects.search(q)` is this selection as a queryset (filters, downloads,
feeds, the admin); the list page and the API read the same `Answer` ranked.
"""

from dataclasses import dataclass

from portal import lists

from .number_search import NumberHits
from .numbering import Match
from .text_search import TextMatches


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

    @property
    def by_number(self) -> bool:
        return self.hits is not None


def answer(documents, query: str, limit: int | None = None) -> Answer:
    """How `documents` answer `query` (already read by `portal.text.search_query`); text
    matches are read up to `limit` (one past the lists' cap unless told)."""
    if limit is None:
        limit = lists.MAX_LISTED + 1
    hits = documents.search_number(query, partial_too=False)
    if hits:
        exact = hits.at_least(Match.LOOSE)
        return Answer(rows=exact or hits, exact=exact, hits=hits)
    return Answer(
        rows=TextMatches(documents, query, limit=limit), no_number_match=hits is not None
    )


def search(documents, query: str):
    """The documents answering `query`, as a queryset (every match, not only `limit`)."""
    if not query:
        return documents
    found = answer(documents, query)
    if found.by_number:
        return documents.filter(pk__in=found.rows.pks)
    return documents.search_text(query)
