"""Number search: the documents whose official number matches what a reviewer typed,
however it is typed (`numbering.parse_query`), best first (docs/benchmarks.md).

The database finds candidates from the stored words of each number (`search_key`), the
serial and the year; Python ranks them with `numbering.match`. `DocumentQuerySet`'s
`number_candidates()` and `search_number()` are the entry points.
"""

import datetime
import math
from collections.abc import Sequence

from django.contrib.postgres.fields import ArrayField
from django.db import connections, models
from django.db.models import Func, Max, Min, Q, Value
from django.db.models.expressions import RawSQL

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
# ... and each tagged with its issue year ("KHTU@2025"; "KHTU@" undated), as the GIN
# index of migration 0007 holds them.
DATED_WORDS = RawSQL(
    f"""string_to_array(replace(btrim("documents_document"."search_key"), ' ', """
    f"""{text_search.YEAR_TAG} || ' ') || {text_search.YEAR_TAG}, ' ')""",
    (),
    output_field=ArrayField(models.TextField()),
)


def candidates(documents, query: numbering.NumberQuery, indexed: bool = False, years=None):
    """Index-backed prefilter for a number query (a superset of the matches): the
    serial, the year, and every symbol token, or the tokens joined, among the words of
    `search_key` (`numbering._search_key`).

    On PostgreSQL the candidates are read from covering indexes (migration 0005): the
    serial's rows, or without a serial the list order, the words tested on the index
    tuples. `indexed` writes the words for their GIN index instead (migration 0006), and
    `years` (issue years, None for undated) for the GIN index of the words tagged with
    their year (migration 0007): both read a symbol's candidates at once (`_SymbolRows`).
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
    if years is not None:
        # A number's words all carry its one year, so "a word tagged with one of `years`"
        # for each word of an alternative is "every word, in one of `years`".
        for alternative in alternatives:
            holds = Q()
            for word in alternative:
                holds &= Q(_dated__overlap=[text_search.dated(word, year) for year in years])
            found |= holds
        return matching.alias(_dated=DATED_WORDS).filter(found)
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
    found = candidates(documents, query)
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
        rows = tier.for_list().values_list("pk", "number", "issued_on")
        if query.serial is None and connections[documents.db].vendor == "postgresql":
            rows = _SymbolRows(rows, documents, query, limit, batch=first_batch)
        # Hits that no unread candidate can outrank: above the ceiling, or at it and
        # newer than every unread candidate of this tier.
        settled = sum(hit[0] > ceiling for hit in ranked)
        read, asked = 0, min(limit - fetched, first_batch)
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


class _SymbolRows:
    """Candidates for a symbol typed without a serial ("KH/TU"), newest first, sliced like
    the ordered queryset they stand for (PostgreSQL).

    The ordered read tests the words on index tuples down the list order: quick for a
    symbol common among the newest numbers, slow for the others ("GM/QU", 2,100 of
    1,000,000 numbers: 5 ms to learn that the newest 30,000 hold too few). PostgreSQL
    estimates any symbol at 0.4 %, so it never picks a GIN index itself. The statistics
    of the words decide instead (docs/benchmarks.md):

    * a symbol in fewer than RARE_SYMBOL numbers: all its candidates at once, through the
      GIN index of the words;
    * one expected to fill two batches among the RECENT_NUMBERED newest: that walk, for
      the first batch;
    * otherwise, or when the walk falls short, a span of years at a time back from the
      newest year, through the GIN index of the words tagged with their year, which
      reads only those years' numbers; the undated ones come last.
    """

    def __init__(self, ordered, documents, query: numbering.NumberQuery, limit: int, batch):
        self.ordered, self.documents, self.query, self.limit = ordered, documents, query, limit
        self.found, self.windows = None, None
        frequency, numbers = text_search.element_frequencies(
            ordered.db, "documents_document_number_words", "string_to_array"
        )
        # A word absent from the statistics is rarer than every word in them.
        floor = min(frequency.values(), default=0.0)
        tokens = list(query.loose_tokens)
        joined = "".join(tokens)
        upper_bound = min(frequency.get(token, floor) for token in tokens)
        if len(tokens) > 1:  # numbers holding the tokens joined as one word
            upper_bound += frequency.get(joined, floor)
        self.rare = upper_bound * numbers < RARE_SYMBOL
        # The newest tenth at most: beyond that PostgreSQL reads the range as a bitmap.
        self.recent = min(RECENT_NUMBERED, int(numbers) // 10) if numbers else RECENT_NUMBERED
        self.dense = frequency.get(joined, 0.0) * self.recent >= 2 * batch
        # How many numbers hold the symbol, to size the first span of years.
        self.batch, self.expected = batch, frequency.get(joined, floor) * numbers

    def __getitem__(self, index: slice) -> list:
        if self.found is None and not index.start and self.dense and not self.rare:
            cutoff = _recent_cutoff(self.ordered.model, self.ordered.db, self.recent)
            newest = self.ordered if cutoff is None else self.ordered.filter(issued_on__gte=cutoff)
            rows = list(newest[index])
            if cutoff is None or len(rows) == index.stop:
                return rows
        if self.found is None:
            self.found = self._read(None, self.limit) if self.rare else []
            self.windows = iter(()) if self.rare else self._years()
        while len(self.found) < min(index.stop, self.limit):
            years = next(self.windows, None)
            if years is None:
                break
            self.found += self._read(years, self.limit - len(self.found))
        return self.found[index]

    def _years(self):
        """Lists of issue years to read, newest first (`text_search.date_window`): first as
        many years as should hold a batch, if the symbol's numbers are spread evenly, then
        twice as many each time; then [None], the undated numbers."""
        bounds = self.ordered.model.objects.using(self.ordered.db).exclude(display="")
        bounds = bounds.aggregate(oldest=Min("issued_on"), newest=Max("issued_on"))
        if bounds["newest"] is not None:
            top, bottom = (text_search.month_number(bounds[end]) for end in ("newest", "oldest"))
            year_count = top // 12 - bottom // 12 + 1
            per_year = self.expected / year_count
            first = math.ceil(self.batch / per_year) if per_year else year_count
            high, span = top, 12 * first
            while high >= bottom:
                years, _months, low = text_search.date_window(high, span, top, bottom)
                yield years
                high, span = low - 1, 2 * span
        yield [None]

    def _read(self, years: list[int | None] | None, count: int) -> list:
        """The newest `count` candidates issued in `years` (None among them for the
        undated), or in any year when `years` is None."""
        found = candidates(self.documents, self.query, indexed=years is None, years=years)
        rows = text_search.newest_rows(found, count, "number")
        return [(pk, number, issued_on) for pk, issued_on, number in rows]


def _recent_cutoff(model, alias: str, position: int) -> datetime.date | None:
    """The issue date of the `position`-th newest numbered document, or None when there are
    fewer; re-read every 10 minutes (`text_search.cached`). Documents added since only make
    it earlier than the true one, so the walk reads a few more rows: the hits are the same."""

    def read():
        dated = model.objects.using(alias).exclude(display="").exclude(issued_on=None)
        newest = dated.order_by("-issued_on").values_list("issued_on", flat=True)
        return next(iter(newest[position - 1 : position]), None) if position > 0 else None

    return text_search.cached(alias, f"recent:{position}", read)


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
