"""Number search: the documents whose official number matches what a reviewer typed,
however it is typed (`numbering.parse_query`), best first (docs/benchmarks.md).

The database finds candidates from the stored words of each number (`search_key`), the
serial and the year; Python ranks them with `numbering.match`. `DocumentQuerySet`'s
`number_candidates()` and `search_number()` are the entry points.
"""

import datetime
import time
from collections.abc import Sequence

from django.contrib.postgres.fields import ArrayField
from django.db import connections, models
from django.db.models import Func, Q, Value

from . import numbering, text_search

# How many candidates a search ranks at most, and how many hits it returns.
CANDIDATES = 500
SHOWN = 50
# A symbol typed without a serial is looked for among this many of the newest numbered
# documents first (`_SymbolRows`).
RECENT_NUMBERED = 30_000
# ... unless one of its tokens is in fewer numbers than this, per the statistics.
RARE_SYMBOL = 5_000
# The words of a number as PostgreSQL's GIN index holds them (migration 0006).
WORDS = Func(
    Func("search_key", function="btrim"),
    Value(" "),
    function="string_to_array",
    output_field=ArrayField(models.TextField()),
)


def candidates(documents, query: numbering.NumberQuery, indexed: bool = False):
    """Index-backed prefilter for a number query (a superset of the matches): the
    serial, the year, and every symbol token, or the tokens joined, among the words of
    `search_key` (`numbering._search_key`).

    On PostgreSQL the candidates are read from covering indexes (migration 0005): the
    serial's rows, or without a serial the list order, the words tested on the index
    tuples. `indexed` writes the words for their GIN index instead (migration 0006),
    for reading every candidate of a rare symbol (`_SymbolRows`).
    """
    matching = documents.exclude(display="")
    if query.serial is not None:
        matching = matching.filter(serial=query.serial)
    if query.year is not None:
        matching = matching.filter(number_year=query.year)
    tokens = list(query.loose_tokens)
    if not tokens:
        return matching if query.serial is not None else documents.none()
    alternatives = [tokens, ["".join(tokens)]] if len(tokens) > 1 else [tokens]
    found = Q()
    if indexed:
        for alternative in alternatives:
            found |= Q(_words__contains=alternative)
        return matching.alias(_words=WORDS).filter(found)
    for alternative in alternatives:
        holds = Q()
        for word in alternative:
            holds &= Q(search_key__contains=f" {word} ")
        found |= holds
    return matching.filter(found)


def search(documents, text: str, limit: int = CANDIDATES, show: int = SHOWN):
    """Documents whose number matches `text`, best first, as `NumberHits`.

    Returns None when `text` does not look like a number at all. Up to `limit`
    candidates are ranked from three columns; the best `show` are returned, ties going to
    the newest.

    Candidates are read in two tiers, each newest first: those with the query's symbol,
    the only ones that can match completely (`numbering.complete_symbols`), then the
    others, which match partially at best. A tier is read in batches until `show` hits
    reach the best rank left to find; older candidates cannot get in and are not read:
    "341 KH TU", "kh 341" and "KH/TU" read 60 candidates, not 500.
    """
    query = numbering.parse_query(text)
    if query is None:
        return None
    found = candidates(documents, query)
    hint = 1 if query.type_hints else 0
    tiers = [(found, (int(numbering.Match.PARTIAL), hint))]
    if complete := numbering.complete_symbols(query):
        tiers = [
            (found.filter(symbol_compact__in=complete), (numbering.Match.EXACT, hint)),
            (found.exclude(symbol_compact__in=complete), tiers[0][1]),
        ]
    ranked, fetched = [], 0
    for tier, ceiling in tiers:
        rows = tier.for_list().values_list("pk", "number", "issued_on")
        if query.serial is None and connections[documents.db].vendor == "postgresql":
            indexed = candidates(documents, query, indexed=True).order_by()
            indexed = indexed.values_list("pk", "number", "issued_on")
            rows = _SymbolRows(rows, indexed, limit, list(query.loose_tokens))
        # Hits that no unread candidate can outrank: above the ceiling, or at it and
        # newer than every unread candidate of this tier.
        settled = sum(hit[0] > ceiling for hit in ranked)
        read, asked = 0, min(limit - fetched, show + 10)
        while asked > 0 and settled < show:
            chunk = list(rows[read : read + asked])
            read += len(chunk)
            for pk, number, issued_on in chunk:
                hit = _hit(query, pk, number, issued_on)
                if hit is not None:
                    ranked.append(hit)
                    settled += hit[0] >= ceiling
            if len(chunk) < asked:
                break
            asked = limit - fetched - read
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

    def at_least(self, strength: numbering.Match) -> "NumberHits":
        """The hits matching at `strength` or better."""
        kept = [(pk, s) for pk, s in self._ranked if s >= strength]
        return NumberHits(self._documents, kept)

    def below(self, strength: numbering.Match) -> "NumberHits":
        """The hits matching less than `strength`."""
        kept = [(pk, s) for pk, s in self._ranked if s < strength]
        return NumberHits(self._documents, kept)

    def _load(self, pks: list[int]) -> list:
        if not pks:
            return []
        loaded = self._documents.for_list().order_by().in_bulk(pks)
        # A document unpublished since the ranking is left out rather than failing.
        return [loaded[pk] for pk in pks if pk in loaded]


class _SymbolRows:
    """Candidates for a symbol typed without a serial ("KH/TU"), newest first, sliced like
    the ordered queryset they stand for (PostgreSQL).

    The ordered read tests the words on every index tuple down the list order, which for a
    rare symbol is most of the register ("CTR/UBKTTU", 97 of 1,000,000 documents: 154 ms),
    and PostgreSQL estimates any symbol at 0.4 %, so it never takes the words' GIN index
    itself. So when the statistics show a token of the symbol in few numbers, or when the
    documents since `_recent_cutoff()` hold fewer than a first batch, the candidates come
    through the GIN index, the newest `limit` sorted by PostgreSQL (docs/benchmarks.md).
    """

    def __init__(self, ordered, indexed, limit: int, tokens: list[str]):
        self.ordered, self.indexed, self.limit, self.found = ordered, indexed, limit, None
        # A token rarer than the statistics' common ones, or common in fewer than
        # RARE_SYMBOL numbers, caps the candidates: read them through the index at once.
        frequency, numbers = text_search.element_frequencies(
            ordered.db, "documents_document_number_words", "string_to_array"
        )
        rarest = min(frequency.get(token, 0.0) for token in tokens)
        self.rare = rarest * numbers < RARE_SYMBOL
        # The newest tenth at most: beyond that PostgreSQL reads the range as a bitmap.
        self.recent = min(RECENT_NUMBERED, int(numbers) // 10) if numbers else RECENT_NUMBERED

    def __getitem__(self, index: slice) -> list:
        if self.found is not None:
            return self.found[index]
        if not index.start and not self.rare:
            cutoff = _recent_cutoff(self.ordered.model, self.ordered.db, self.recent)
            if cutoff is None:
                return list(self.ordered[index])
            newest = list(self.ordered.filter(issued_on__gte=cutoff)[index])
            if len(newest) == index.stop:
                return newest
        elif index.start:
            return list(self.ordered[index])
        # OFFSET 0 keeps the ORDER BY and LIMIT outside: planned alone, the inner read
        # takes the GIN index; with them, PostgreSQL would walk the list order again.
        sql, params = self.indexed.query.sql_with_params()
        with connections[self.indexed.db].cursor() as cursor:
            cursor.execute(
                f"SELECT * FROM ({sql} OFFSET 0) AS found "
                "ORDER BY 3 DESC NULLS LAST, 1 DESC LIMIT %s",
                [*params, self.limit],
            )
            self.found = cursor.fetchall()
        return self.found[index]


_CUTOFFS: dict[tuple, tuple[float, datetime.date | None]] = {}


def _recent_cutoff(model, alias: str, position: int) -> datetime.date | None:
    """The issue date of the `position`-th newest numbered document (re-read every 10
    minutes), or None when there are fewer."""
    now = time.monotonic()
    cached = _CUTOFFS.get((alias, position))
    if cached is None or now - cached[0] > text_search.STATISTICS_SECONDS:
        dated = model.objects.using(alias).exclude(display="").exclude(issued_on=None)
        newest = dated.order_by("-issued_on").values_list("issued_on", flat=True)
        cutoff = next(iter(newest[position - 1 : position]), None) if position > 0 else None
        cached = _CUTOFFS[(alias, position)] = (now, cutoff)
    return cached[1]


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
