"""Text search of the register: which documents hold every word of a query, and the first
of them in list order, read by the cheapest of three plans (docs/benchmarks.md).

A word is a run of letters and digits of the folded text, so `341-kh/tu` holds `341`, `kh`
and `tu`, and a query's words match whole words only: `vanh dai 4` is not `vành đai 40`,
and `ich` is not `lịch`. (An earlier version took the last word as a prefix, as for
search-as-you-type, which the portal does not have; a prefix's index entries are all read,
never skipped through, which made common queries 2 to 5 times slower.) On PostgreSQL the
words are matched in `search_words`, a stored tsvector with a GIN index (migration 0004);
other databases use a regular expression with the same meaning.

The list needs how many documents match, up to its cap of 1,001, and one page of them
newest first. On PostgreSQL, `TextMatches` finds the first 1,001 in list order by one of
three reads, each ruinous where another is cheap:

* the **walk** reads the register newest first and keeps the rows holding every word: the
  first 1,001 matches of "to lich" are within ~6,000 rows, but a phrase in one document of
  25 needs 25,000 rows, and a rare one reads the whole register;
* **all at once**, the words' GIN index intersects their posting lists: cheap for few
  matches, but it has no order, so the first 1,001 of 40,000 cost fetching them all;
* **by date**, a second GIN index holds each word tagged with its document's issue year
  and a marker of its issue month (migrations 0008, 0009), so the newest months, then
  twice as many, then years … are read newest first, each fetching only its own matches,
  until 1,001 are found.

PostgreSQL's planner cannot choose well: it multiplies the words' shares as if they were
independent, while the words of a phrase come together ("chinh quyen hai cap": 4.8 % of
documents, estimated 0.01 %). So `TextMatches` measures instead: a walk over the 1,000
newest documents tells how dense the matches are. Dense ones are walked, a bounded number
of rows; if the register, like its newest documents, should hold few, they are read all at
once and sorted here; otherwise, or when either falls short, they are read by date.
"""

import datetime
import hashlib
import logging
import math
import re
from functools import cached_property

from django.contrib.postgres.fields import ArrayField
from django.core.cache import cache
from django.db import connections, models, transaction
from django.db.models.expressions import RawSQL

from portal.text import fold

logger = logging.getLogger(__name__)

# A text search matches words: runs of letters and digits of the folded text.
SEARCH_WORD = re.compile(r"[a-z0-9]+")
MAX_SEARCH_WORDS = 10
# The walk first reads this many of the newest documents; when their matches promise to
# fill the list soon, it goes on for twice the rows that should fill it, at most
# WALK_ROWS (about 1 µs a row when cached).
PROBE_ROWS = 1_000
WALK_ROWS = 20_000
# Nor more than this share of the register: asked for the newest tenth or more, PostgreSQL
# sorts the whole register instead of walking it (120 ms at 100,000), and reading every
# match through the index costs little in a register that small.
WALK_SHARE = 0.1
# When the probe promises no more matches than this in the whole register, they are all
# read at once, unordered, and sorted here (about 2 µs a row).
ALL_AT_ONCE = 2_000
# What the plans are chosen by (PostgreSQL's statistics of the words, `number_search`'s
# cut-off date of the newest numbers) is read at most once per this many seconds, and
# kept in Django's cache (Redis when REDIS_URL is set) so that every worker and machine
# chooses alike: keys "search:<what>:<database>" (`cached`). A stale figure only makes a
# plan slower, never a result different, so it simply expires.
STATISTICS_SECONDS = 600
CACHE_PREFIX = "search"
# A read by date spans at most this many years: GIN tests every tag of a word on each of
# its entries, so one read of all years costs twice the words' own index.
WIDEST_WINDOW = 8

# A document's words tagged with its issue year ("lich@2025"; "lich@" undated), and a
# marker of its issue month ("@m202511"), as the GIN index of migrations 0008 and 0009
# holds them. A word longer than LONGEST_DATED_WORD letters (as only pasted garbage is) is
# left out: an index key has a size limit, a regular expression a repetition limit of 255.
LONGEST_DATED_WORD = 255
YEAR_TAG = (
    """'@' || coalesce(extract(year FROM "documents_document"."issued_on")::int::text, '')"""
)
_WORDS = (
    """regexp_replace(regexp_replace("documents_document"."search_text", """
    f"""'[^a-z0-9]+', ' ', 'g'), '[a-z0-9]{{{LONGEST_DATED_WORD}}}[a-z0-9]+', '', 'g')"""
)
_ISSUED_ON = '"documents_document"."issued_on"'
_MONTH_MARKER = (
    f"'@m' || coalesce((extract(year FROM {_ISSUED_ON})::int * 100 "
    f"+ extract(month FROM {_ISSUED_ON})::int)::text, '')"
)
DATED_WORDS = RawSQL(
    f"string_to_array(replace(btrim({_WORDS}), ' ', {YEAR_TAG} || ' ') || {YEAR_TAG}, ' ')"
    f" || ({_MONTH_MARKER})",
    (),
    output_field=ArrayField(models.TextField()),
)


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


def word_frequencies(alias: str) -> tuple[dict[str, float], float]:
    """The share of documents holding each common word (PostgreSQL's statistics of
    `search_words`) and the estimated number of documents, re-read every 10 minutes."""
    return element_frequencies(alias, "documents_document", "search_words")


def element_frequencies(alias: str, relation: str, column: str):
    """PostgreSQL's statistics of an array-like column (or of an index expression, whose
    statistics are filed under the index): the share of rows holding each common element
    (a rarer one is absent) and the estimated number of rows, re-read every 10 minutes."""

    def read():
        with connections[alias].cursor() as cursor:
            cursor.execute(
                "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, "
                "c.reltuples FROM pg_class c LEFT JOIN pg_stats s ON s.tablename = c.relname "
                "AND s.attname = %s WHERE c.relname = %s",
                [column, relation],
            )
            row = cursor.fetchone()
        frequencies = dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}
        return (frequencies, max(float(row[2]), 0.0) if row else 0.0)

    return cached(alias, f"stats:{relation}.{column}", read)


def cached(alias: str, what: str, read):
    """`read()`, kept STATISTICS_SECONDS in Django's cache: one cache get when it is there.

    `what` is a short name of the code's own (never typed input); the database (host,
    port, name) is hashed into the key, so that two databases behind one Redis, or the test
    database, never share a figure. When the cache is unreachable the figure is read from
    the database instead: a search must not fail for want of a cache."""
    settings = connections[alias].settings_dict
    database = f"{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    key = f"{CACHE_PREFIX}:{what}:{hashlib.blake2b(database.encode(), digest_size=8).hexdigest()}"
    try:
        kept = cache.get(key)
    except Exception:
        logger.warning("Search statistics not cached: cache unavailable", exc_info=True)
        return read()
    if kept is None:
        kept = (read(),)  # in a tuple: a figure of None is not a miss
        try:
            cache.set(key, kept, STATISTICS_SECONDS)
        except Exception:
            logger.warning("Search statistics not cached: cache unavailable", exc_info=True)
    return kept[0]


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


def dated(word: str, year: int | None) -> str:
    """`word` tagged with an issue year as the indexes by year hold it (`YEAR_TAG`)."""
    return f"{word}@{'' if year is None else year}"


def month_marker(year: int, month: int) -> str:
    """The marker of an issue month as the index by date holds it (`_MONTH_MARKER`)."""
    return f"@m{year * 100 + month}"


def date_window(high: int, span: int, top: int, bottom: int):
    """The `span` months back from month `high` (months numbered `year * 12 + month - 1`;
    none issued after `top` or before `bottom`), as (years, months, low): their issue years,
    newest first; their (year, month) pairs, or None when they are whole years; and the
    first month number they hold.

    A span of 12 months or more is whole years, rounded up, once it has finished the
    year it starts in; a shorter one lists its months, which a read matches against each
    document's month marker."""
    year_start = high - high % 12
    if span < 12:
        low = high - span + 1
    elif high % 12 == 11 or high == top:  # whole years
        low = year_start - 12 * (math.ceil(span / 12) - 1)
    else:  # the rest of `high`'s year
        low = year_start
    low = max(low, bottom)
    years = list(range(high // 12, low // 12 - 1, -1))
    whole = (low % 12 == 0 or low == bottom) and (high % 12 == 11 or high == top)
    months = None if whole else [(n // 12, n % 12 + 1) for n in range(high, low - 1, -1)]
    return years, months, low


def month_number(day: datetime.date) -> int:
    """Months counted from year 0, so that a span of months is a range of numbers."""
    return day.year * 12 + day.month - 1


def newest_rows(queryset, count: int, *fields: str) -> list[tuple]:
    """The first `count` rows of `queryset` in list order, as (pk, issued_on, *fields),
    PostgreSQL reading the rows as it plans `queryset` alone (through a GIN index) and
    sorting only them.

    An OFFSET 0 keeps the ORDER BY and LIMIT outside: planned with them, PostgreSQL would
    walk the list order instead. Its estimate of a read by year is far off either way:
    without statistics of the tagged words it guesses 0.5 % of the rows per word, so a span
    of years looks large enough for parallel workers, whose start costs more than the read
    (7 of 8 ms for four years of NQ/STP); with them, a common word over eight years looks
    like a third of the register, worth compiling the query (JIT) or, more yet, reading the
    table and running the regular expressions on every row. The three are turned off for
    the read alone.
    """
    rows = queryset.order_by().values_list("pk", "issued_on", *fields)
    sql, params = rows.query.sql_with_params()
    alias = queryset.db
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT set_config('max_parallel_workers_per_gather', '0', true), "
            "set_config('jit', 'off', true), set_config('enable_seqscan', 'off', true)"
        )
        cursor.execute(
            f"SELECT * FROM ({sql} OFFSET 0) AS found ORDER BY 2 DESC NULLS LAST, 1 DESC LIMIT %s",
            [*params, count],
        )
        newest = cursor.fetchall()
        # Only read: rolled back, the settings end with it, even where the block is a
        # savepoint of a longer transaction (which they would otherwise last as long as).
        transaction.set_rollback(True, using=alias)
        return newest


class TextMatches:
    """The documents of `documents` holding every word of `text`, newest first, at most
    `limit` of them: a sequence for the paginator (`len()` and slices of documents)."""

    def __init__(self, documents, text: str, limit: int):
        self.documents, self.text, self.limit = documents, text, limit
        self.matching = documents.search_text(text)

    def __len__(self) -> int:
        return len(self.pks)

    def __getitem__(self, index: slice) -> list:
        return self.documents.for_list().in_order(self.pks[index])

    @cached_property
    def pks(self) -> list[int]:
        """The primary keys of the first `limit` matches, in list order."""
        words = query_words(self.text)
        if connections[self.documents.db].vendor != "postgresql" or not words:
            return list(self.matching.for_list().values_list("pk", flat=True)[: self.limit])
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
        # Few matches in the whole register, if it is like its newest documents: all of
        # them at once through the words' index, sorted here, as long as they are few.
        expected = len(probe) / PROBE_ROWS * terms.rows
        if expected <= ALL_AT_ONCE:
            found = list(
                self.matching.order_by().values_list("pk", "issued_on")[: ALL_AT_ONCE + 1]
            )
            if len(found) <= ALL_AT_ONCE:
                found.sort(key=_list_key, reverse=True)
                return [pk for pk, _issued_on in found[: self.limit]]
        if max(map(len, words)) > LONGEST_DATED_WORD:  # not in the index by date
            return [pk for pk, _issued_on in newest_rows(self.matching, self.limit)]
        return self._by_date(words, expected)

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

    def _by_date(self, words: list[str], expected: float) -> list[int]:
        """The first `limit` matches read a span of dates at a time, newest first
        (`date_window`), through the GIN index of the words tagged with their year and the
        documents' month markers: each read fetches only the matches of its span, the
        undated last.

        The first span is as many months as should hold `limit` of the `expected` matches,
        if they are spread evenly; each next one as many as should hold half as many again
        as are missing, at the rate found so far (twice the last span when none were), at
        most WIDEST_WINDOW years."""
        bounds = self.documents.model.objects.using(self.documents.db).aggregate(
            oldest=models.Min("issued_on"), newest=models.Max("issued_on")
        )
        found, widest = [], 12 * WIDEST_WINDOW
        if bounds["newest"] is not None:
            top, bottom = month_number(bounds["newest"]), month_number(bounds["oldest"])
            high, span = top, widest
            if expected:
                span = min(max(1, math.ceil(self.limit * (top - bottom + 1) / expected)), widest)
            while high >= bottom and len(found) < self.limit:
                years, months, low = date_window(high, span, top, bottom)
                found += self._read_span(words, years, months, self.limit - len(found))
                missing, rate = self.limit - len(found), len(found) / (top - low + 1)
                span = math.ceil(1.5 * missing / rate) if rate else 2 * span
                high, span = low - 1, min(max(span, 1), widest)
        if len(found) < self.limit:
            found += self._read_span(words, [None], None, self.limit - len(found))
        return [pk for pk, _issued_on in found]

    def _read_span(self, words, years, months, count: int) -> list:
        """The newest `count` matches issued in `years`, and in `months` when given (None
        among `years` for the undated)."""
        in_span = self.documents.alias(_dated=DATED_WORDS)
        for word in words:
            in_span = in_span.filter(_dated__overlap=[dated(word, year) for year in years])
        if months is not None:
            in_span = in_span.filter(_dated__overlap=[month_marker(*month) for month in months])
        return newest_rows(in_span, count)
