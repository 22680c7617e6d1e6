"""Text search of the register: which documents hold every word of a query, and the first
of them in list order, read through the cheaper of two plans (docs/benchmarks.md).

A word is a run of letters and digits of the folded text, so `341-kh/tu` holds `341`, `kh`
and `tu`, and a query's words match whole words only: `vanh dai 4` is not `vành đai 40`,
and `ich` is not `lịch`. (An earlier version took the last word as a prefix, as for
search-as-you-type, which the portal does not have; a prefix's index entries are all read,
never skipped through, which made common queries 2 to 5 times slower.) On PostgreSQL the
words are matched in `search_words`, a stored tsvector with a GIN index (migration 0004);
other databases use a regular expression with the same meaning.

The list needs how many documents match, up to its cap, and one page of them newest
first. On PostgreSQL two plans find them, and each is ruinous where the other is cheap:

* the **walk** reads the register newest first and keeps the rows holding every word: the
  first 1,001 matches of "to lich" are within ~8,000 rows, but a combination that is rare
  reads the whole register;
* the **index** intersects the words' posting lists: cheap for few matches, but it has no
  order, so the first thousand of 50,000 matches cost fetching and sorting all of them.

PostgreSQL's planner cannot choose well: it multiplies the words' shares as if they were
independent, while the words of a phrase come together ("chinh quyen hai cap": 4.8 % of
documents, estimated 0.01 %). So `TextMatches` measures instead: a short walk over the
newest documents tells how dense the matches are; when they promise to fill the list soon,
the walk goes on, a bounded number of rows. Otherwise the index gives the matches,
unordered, sorted here when they are fewer than the cap. Only when there are more than the
cap and they are sparse among the newest are pages read through the ordered queryset,
whose plan PostgreSQL chooses from the rarest word.
"""

import datetime
import re
import time
from functools import cached_property

from django.db import connections, models
from django.db.models.expressions import RawSQL

from portal.text import fold

# A text search matches words: runs of letters and digits of the folded text.
SEARCH_WORD = re.compile(r"[a-z0-9]+")
MAX_SEARCH_WORDS = 10
# The walk first reads this many of the newest documents; when their matches promise to
# fill the list soon, it goes on for twice the rows that should fill it, at most
# WALK_ROWS (about 1 µs a row when cached).
PROBE_ROWS = 2_000
WALK_ROWS = 50_000
# Nor more than this share of the register: asked for the newest tenth or more, PostgreSQL
# sorts the whole register instead of walking it (120 ms at 100,000), and reading every
# match through the index costs little in a register that small.
WALK_SHARE = 0.1
STATISTICS_SECONDS = 600


def query_words(text: str) -> list[str] | None:
    """The folded words of a query (at most `MAX_SEARCH_WORDS`), or None for a blank one."""
    folded = fold(text)
    if not folded:
        return None
    return SEARCH_WORD.findall(folded)[:MAX_SEARCH_WORDS]


def regex_condition(words: list[str]) -> models.Q:
    """Other databases: every word, whole, in `search_text`."""
    condition = models.Q()
    for word in words:
        condition &= models.Q(search_text__regex=rf"(^|[^a-z0-9]){word}($|[^a-z0-9])")
    return condition


class Words:
    """A query's words as a PostgreSQL full-text query, and the rarest of them."""

    def __init__(self, words: list[str], alias: str):
        self.terms = words
        frequency, self.rows = word_frequencies(alias)
        # The least frequent word, per the statistics (a word absent from them is rare).
        self.rarest = min(words, key=lambda word: (frequency.get(word, 0), -len(word)))

    @property
    def query(self) -> str:
        return " & ".join(self.terms)

    def match(self) -> "WordsMatch":
        return WordsMatch(self.terms, self.rarest)


_FREQUENCIES: dict[tuple, tuple[float, tuple[dict[str, float], float]]] = {}


def word_frequencies(alias: str) -> tuple[dict[str, float], float]:
    """The share of documents holding each common word (PostgreSQL's statistics of
    `search_words`) and the estimated number of documents, re-read every 10 minutes."""
    return element_frequencies(alias, "documents_document", "search_words")


def element_frequencies(alias: str, relation: str, column: str):
    """PostgreSQL's statistics of an array-like column (or of an index expression, whose
    statistics are filed under the index): the share of rows holding each common element
    (a rarer one is absent) and the estimated number of rows, re-read every 10 minutes."""
    now = time.monotonic()
    cached = _FREQUENCIES.get((alias, relation, column))
    if cached is not None and now - cached[0] < STATISTICS_SECONDS:
        return cached[1]
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples "
            "FROM pg_class c LEFT JOIN pg_stats s ON s.tablename = c.relname "
            "AND s.attname = %s WHERE c.relname = %s",
            [column, relation],
        )
        row = cursor.fetchone()
    frequencies = dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}
    found = (frequencies, max(float(row[2]), 0.0) if row else 0.0)
    _FREQUENCIES[(alias, relation, column)] = (now, found)
    return found


class WordsMatch(models.Expression):
    """PostgreSQL: `search_words` holds every one of `terms`, written for the planner
    according to the query it is compiled in. Both forms select the same rows.

    * Ordered (a page in list order): the GIN condition is the rarest term only and all
      the terms are checked by `ts_match_vq`, which the planner does not try to estimate:
      a common phrase is read down the list order, a rare one through the index.
    * Unordered (`TextMatches`' index read, a count): all the words in one GIN
      condition, whose index scan intersects their posting lists.
    """

    output_field = models.BooleanField()

    def __init__(self, terms: list[str], rarest: str):
        super().__init__()
        self.terms, self.rarest = list(terms), rarest

    def as_sql(self, compiler, connection):
        query = compiler.query
        column = f"{compiler.quote_name_unless_alias(query.get_initial_alias())}.search_words"
        ordered = bool(query.order_by or query.extra_order_by) or (
            query.default_ordering and bool(query.get_meta().ordering)
        )
        indexed = [self.rarest] if ordered else self.terms
        match = f"{column} @@ to_tsquery('simple'::regconfig, %s)"
        if len(indexed) == len(self.terms):
            return match, [" & ".join(self.terms)]
        check = f"ts_match_vq({column}, to_tsquery('simple'::regconfig, %s))"
        return f"({match} AND {check})", [" & ".join(indexed), " & ".join(self.terms)]


def _list_key(row: tuple[int, datetime.date | None]):
    """Sort key of (pk, issued_on) for the list order (newest first, undated last), with
    `reverse=True`."""
    pk, issued_on = row
    return (issued_on is not None, issued_on or datetime.date.min, pk)


class TextMatches:
    """The documents of `documents` holding every word of `text`, newest first, at most
    `limit` of them: a sequence for the paginator (`len()` and slices of documents)."""

    def __init__(self, documents, text: str, limit: int):
        self.documents, self.text, self.limit = documents, text, limit
        self.matching = documents.search_text(text)

    def __len__(self) -> int:
        first = self._first
        return self.limit if first is None else len(first)

    def __getitem__(self, index: slice) -> list:
        first = self._first
        if first is None:
            return list(self.matching.for_list()[index])
        pks = first[index]
        found = self.documents.for_list().in_bulk(pks)
        return [found[pk] for pk in pks if pk in found]

    @cached_property
    def _first(self) -> list[int] | None:
        """The pks of the first `limit` matches in list order, or None when there are more
        than `limit` whose order is unknown."""
        words = query_words(self.text)
        if connections[self.documents.db].vendor != "postgresql" or not words:
            rows = self.matching.for_list().values_list("pk", flat=True)[: self.limit]
            return list(rows)
        terms = Words(words, self.documents.db)
        # A short walk tells how dense the matches are among the newest documents.
        probe = self._walk(terms, PROBE_ROWS)
        if len(probe) == self.limit:
            return [pk for pk, _issued_on in probe]
        needed = self.limit * PROBE_ROWS / max(len(probe), 1)  # rows expected to fill it
        walkable = min(WALK_ROWS, terms.rows * WALK_SHARE) if terms.rows else WALK_ROWS
        if 2 * needed <= walkable:
            walked = self._walk(terms, int(2 * needed))
            if len(walked) == self.limit:
                return [pk for pk, _issued_on in walked]
        found = list(self.matching.order_by().values_list("pk", "issued_on")[: self.limit])
        if len(found) == self.limit:
            return None
        return [pk for pk, _issued_on in sorted(found, key=_list_key, reverse=True)]

    def _walk(self, terms: Words, budget: int) -> list[tuple[int, datetime.date | None]]:
        """The matches among the newest `budget` documents, in list order, up to `limit`."""
        newest = (
            self.documents.for_list()
            .annotate(
                _pk=models.F("pk"),
                _day=models.F("issued_on"),
                _words=RawSQL('"documents_document"."search_words"', ()),
            )
            .values_list("_pk", "_day", "_words")[:budget]
        )
        sql, params = newest.query.sql_with_params()
        with connections[self.documents.db].cursor() as cursor:
            cursor.execute(
                f"SELECT newest._pk, newest._day FROM ({sql}) AS newest "
                "WHERE newest._words @@ to_tsquery('simple'::regconfig, %s) LIMIT %s",
                [*params, terms.query, self.limit],
            )
            return cursor.fetchall()
