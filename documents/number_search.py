"""Number search: the documents whose official number matches what a reviewer typed,
however it is typed (`numbering.parse_query`), best first (docs/benchmarks.md).

The database finds candidates from the stored words of each number (`search_key`), the
serial and the year; Python ranks them with `numbering.match`. `DocumentQuerySet`'s
`number_candidates()` and `search_number()` are the entry points.
"""

import datetime
from collections.abc import Sequence

from django.db import connections

from . import numbering, word_search

# How many candidates a search ranks at most, and how many hits it returns.
CANDIDATES = 500
SHOWN = 50


def candidates(documents, query: numbering.NumberQuery):
    """Index-backed prefilter for a number query (a superset of the matches): the
    serial, the year, and every symbol token, or the tokens joined, among the words of
    `search_key` (`numbering._search_key`).

    On PostgreSQL the candidates are read from covering indexes (migration 0005): the
    serial's rows, or without a serial the list order, the words tested on the index
    tuples; a symbol typed without a serial is read by `word_search.NewestMatches`."""
    matching = _numbered(documents, query)
    sought = _symbol(query)
    if sought is None:
        return matching if query.serial is not None else documents.none()
    return matching.filter(sought.row)


def _numbered(documents, query: numbering.NumberQuery):
    """The numbered documents of `documents` with the query's serial and year, if any."""
    matching = documents.filter(word_search.NUMBERED)
    if query.serial is not None:
        matching = matching.filter(serial=query.serial)
    if query.year is not None:
        matching = matching.filter(number_year=query.year)
    return matching


def _symbol(query: numbering.NumberQuery) -> "word_search.Sought | None":
    """The query's symbol tokens, or all of them joined, among the words of `search_key`."""
    tokens = list(query.loose_tokens)
    if not tokens:
        return None
    return word_search.symbol_sought([tokens, ["".join(tokens)]] if len(tokens) > 1 else [tokens])


def search(
    documents, text: str, limit: int = CANDIDATES, show: int = SHOWN, partial_too: bool = True
):
    """Documents whose number matches `text`, best first, as `NumberHits`.

    Returns None when `text` does not look like a number at all. Up to `limit`
    candidates are ranked from three columns; the best `show` are returned, ties going to
    the newest.

    Candidates are read in two tiers, each newest first: those with the query's symbol,
    the only ones that can match completely (`numbering.complete_symbols`), then the
    others, which match partially at best. A tier is read in batches until `show` hits
    reach the best rank left to find; older candidates cannot get in and are not read:
    "341 KH TU", "kh 341" and "KH/TU" read 60 candidates, not 500. Without `partial_too`
    the second tier is read only when the first holds no complete match: the list and the
    download show the complete ones alone then.
    """
    query = numbering.parse_query(text)
    if query is None:
        return None
    # A symbol typed without a serial is read by the cheapest of three plans (PostgreSQL).
    by_words = query.serial is None and bool(query.loose_tokens)
    by_words = by_words and connections[documents.db].vendor == "postgresql"
    found = _numbered(documents, query) if by_words else candidates(documents, query)
    hint = 1 if query.type_hints else 0
    tiers = [(found, (int(numbering.Match.PARTIAL), hint))]
    if complete := numbering.complete_symbols(query):
        tiers = [
            (found.filter(symbol_compact__in=complete), (numbering.Match.EXACT, hint)),
            (found.exclude(symbol_compact__in=complete), tiers[0][1]),
        ]
    ranked, fetched, first_batch = [], 0, show + 10
    for tier, ceiling in tiers:
        if not partial_too and any(hit[3] >= numbering.Match.LOOSE for hit in ranked):
            break
        if by_words:
            rows = word_search.NewestMatches(tier, _symbol(query), fields=("number",))
        else:
            rows = tier.for_list().values_list("pk", "issued_on", "number")
        # Hits that no unread candidate can outrank: above the ceiling, or at it and
        # newer than every unread candidate of this tier.
        settled = sum(hit[0] > ceiling for hit in ranked)
        read, asked = 0, min(limit - fetched, first_batch)
        while asked > 0 and settled < show:
            chunk = list(rows[read : read + asked])
            read += len(chunk)
            for pk, issued_on, number in chunk:
                hit = _hit(query, pk, number, issued_on)
                if hit is not None:
                    ranked.append(hit)
                    settled += hit[0] >= ceiling
            if len(chunk) < asked:
                break
            asked = min(limit - fetched - read, 2 * asked)  # 60, 120, 240 …
        fetched += read
        if settled >= show:
            break
    ranked.sort(key=lambda hit: hit[:3], reverse=True)  # rank, then the list order
    return NumberHits(documents, [(pk, strength) for _r, _d, pk, strength in ranked[:show]])


class NumberHits(Sequence):
    """The matches of a number search, best first: a sequence of documents, with their
    match strengths alongside (`strengths`).

    Ranking reads three columns; a document is loaded only when it is read, so a list page
    loads its 20 rather than all 50 hits (a fifth of a search's time), and the admin, which
    needs only `pks`, loads none.
    """

    def __init__(self, documents, ranked: list[tuple[int, numbering.Match]]):
        self._documents, self._ranked = documents, ranked
        self.pks = [pk for pk, _strength in ranked]
        self.strengths = [strength for _pk, strength in ranked]

    def __len__(self) -> int:
        return len(self.pks)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._load(self.pks[index])
        return self._load([self.pks[index]])[0]

    def __iter__(self):
        return iter(self._load(self.pks))

    def address(self, index: int) -> str | None:
        """The URL of the hit at `index`, or None when that document was unpublished since
        the ranking. Only what the URL is built from is read: a redirect needs no more."""
        found = self._documents.only("url_year", "slug").filter(pk=self.pks[index]).first()
        return found and found.get_absolute_url()

    def at_least(self, strength: numbering.Match) -> "NumberHits":
        """The hits matching at `strength` or better."""
        return self._where(lambda found: found >= strength)

    def below(self, strength: numbering.Match) -> "NumberHits":
        """The hits matching less than `strength`."""
        return self._where(lambda found: found < strength)

    def _where(self, keep) -> "NumberHits":
        return NumberHits(self._documents, [(pk, s) for pk, s in self._ranked if keep(s)])

    def _load(self, pks: list[int]) -> list:
        return self._documents.for_list().in_order(pks)


def _hit(query: numbering.NumberQuery, pk: int, number: str, issued_on):
    """(rank, day, pk, match) of a candidate that matches `query`, else None."""
    try:
        parsed = numbering.parse_number(number)
    except numbering.NumberError:
        return None
    strength = numbering.match(query, parsed)
    if strength is None:
        return None
    rank = numbering.rank_key(query, parsed, strength)
    return rank, issued_on or datetime.date.min, pk, strength
