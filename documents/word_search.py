"""Searching the register by words: the newest documents whose words hold every word sought,
read by the cheapest of three plans (docs/benchmarks.md). Two searches use it: the text
search (the words of `search_text`: `TextMatches`) and the number search for a symbol typed
without a serial (the words of `search_key`: `number_search`).

A word is a run of letters and digits of the folded text, so `341-kh/tu` holds `341`, `kh`
and `tu`, and a query's words match whole words only: `vanh dai 4` is not `vành đai 40`,
and `ich` is not `lịch`. On PostgreSQL the words of `search_text` are the stored tsvector
`search_words` (migration 0004); other databases use a regular expression with the same
meaning, and read the matches in list order without any of what follows.

The strategy. A list needs the first N matches in list order (newest first, undated last).
Three reads can give them, each ruinous where another is cheap:

* the **walk** reads the register newest first and keeps the rows holding every word: the
  first 1,001 matches of "to lich" are within ~6,000 rows, but a phrase in one document of
  25 needs 25,000 rows, and a rare one reads the whole register;
* **all at once**, a GIN index of the words intersects their posting lists: cheap for few
  matches, but it has no order, so the first 1,001 of 40,000 cost fetching them all;
* **by date**, a GIN index of each word tagged with its document's issue year (and, for
  the text, a marker of its issue month: `DATED_TEXT_WORDS`) reads the newest months, then
  twice as many, then years …, each fetching only its own matches, until N are found.

PostgreSQL's planner cannot choose: it multiplies the words' shares as if they were
independent, while the words of a phrase, or of a symbol, come together ("chinh quyen hai
cap": 4.8 % of documents, estimated 0.01 %; any symbol: 0.4 %). So the search measures
instead: a walk over the PROBE_ROWS newest documents tells how dense the matches are. Dense
ones are walked, a bounded number of rows; if the register, like its newest documents,
should hold few, they are read all at once and sorted here; otherwise, or when either
falls short, they are read by date. Every threshold below says why it has its value.

The index expressions are declared once, here, as Django expressions; `Document.Meta.indexes`
builds the GIN indexes from them and the reads filter on the same objects, so the query
and the index cannot drift apart (the planner uses an expression index only for the same
expression).
"""

import datetime
import hashlib
import logging
import math
import re
from dataclasses import dataclass
from functools import cached_property

from django.contrib.postgres.fields import ArrayField
from django.core.cache import cache
from django.db import connections, models
from django.db.models import Func, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, ExtractMonth, ExtractYear
from django.db.models.sql import Query

from portal.text import fold

logger = logging.getLogger(__name__)

# A query's words: at most this many are looked for (a pasted paragraph is not a query).
MAX_SEARCH_WORDS = 10
# The probe walks this many of the newest documents: about 1 ms, and enough to tell a word
# in one document of 50 (20 matches) from one in a thousand (one or none).
PROBE_ROWS = 1_000
# A walk goes on for twice the rows that should fill the list, at most this many (about
# 1 µs a row when cached: 20 ms) ...
WALK_ROWS = 20_000
# ... or this many for a symbol, whose read by date costs 1–2 ms (each year's posting lists
# of two or three words): longer walks lost to it. The bench's 65 symbols typed alone at
# 1M, interleaved: p95 16.6 ms with 20,000, 13.1 with 5,000, 15.6 with 2,000 (p50 alike).
SYMBOL_WALK_ROWS = 5_000
# ... nor more than this share of the register: asked for the newest tenth or more,
# PostgreSQL sorts the whole register instead of walking it (120 ms at 100,000), and
# reading every match through the index costs little in a register that small.
WALK_SHARE = 0.1
# When the probe promises no more than this many matches per match wanted in the whole
# register, they are all read at once, unordered, and sorted here (about 2 µs a row: 4 ms
# for a list's 1,001, twice as many read). More cost more than reading them by date, which
# fetches little beyond the wanted ones: a symbol's 61 newest of 1,700 numbers cost 2,000
# blocks at once, 270 by date.
ALL_AT_ONCE = 2
# A read by date spans at most this many years: GIN tests every tag of a word on each of
# its entries, so one read of all years costs twice the words' own index.
WIDEST_WINDOW = 8
# A word longer than this (as only pasted garbage is) is left out of the index by date: an
# index key has a size limit, a regular expression a repetition limit of 255.
LONGEST_DATED_WORD = 255
# PostgreSQL's statistics of the words (the rarest word of a query, the register's size)
# are read at most once per this many seconds, and kept in Django's cache (Redis when
# REDIS_URL is set) so that every worker and machine chooses alike: keys
# "search:<what>:<database>" (`cached`). A stale figure only makes a plan slower, never a
# result different, so it simply expires.
STATISTICS_SECONDS = 600
CACHE_PREFIX = "search"

# The words as the GIN indexes hold them (`Document.Meta.indexes`).


def _concat(*parts, output_field=None):
    """PostgreSQL's `a || b || …`."""
    return Func(
        *parts,
        template="(%(expressions)s)",
        arg_joiner=" || ",
        output_field=output_field or models.TextField(),
    )


_YEAR = Cast(ExtractYear("issued_on"), models.IntegerField())
_MONTH = Cast(ExtractMonth("issued_on"), models.IntegerField())
_NONE = Value("")
_YEAR_TAG = (Value("@"), Coalesce(Cast(_YEAR, models.TextField()), _NONE))  # "@2025", "@"
_WORD_LIST = ArrayField(models.TextField())


def _tagged(words):
    """The space-separated `words`, each tagged with the issue year ("lich@2025")."""
    spaced = Func(
        Func(words, function="btrim"),
        Value(" "),
        _concat(*_YEAR_TAG, Value(" ")),
        function="replace",
    )
    return Func(
        _concat(spaced, *_YEAR_TAG),
        Value(" "),
        function="string_to_array",
        output_field=_WORD_LIST,
    )


def _regexp_replace(text, pattern: str, replacement: str):
    return Func(text, Value(pattern), Value(replacement), Value("g"), function="regexp_replace")


# The words of a number (`numbering`'s search key " 341 KH TU KHTU ").
NUMBER_WORDS = Func(
    Func("search_key", function="btrim"), Value(" "), function="string_to_array",
    output_field=_WORD_LIST,
)  # fmt: skip
# ... each tagged with the issue year ("KHTU@2025"; "KHTU@" undated).
DATED_NUMBER_WORDS = _tagged("search_key")
# The words of `search_text` tagged with the issue year, longer ones left out, and a
# marker of the issue month ("@m202511"; "@m" undated).
DATED_TEXT_WORDS = _concat(
    _tagged(
        _regexp_replace(
            _regexp_replace("search_text", "[^a-z0-9]+", " "),
            f"[a-z0-9]{{{LONGEST_DATED_WORD}}}[a-z0-9]+",
            "",
        )
    ),
    _concat(Value("@m"), Coalesce(Cast(_YEAR * 100 + _MONTH, models.TextField()), _NONE)),
    output_field=_WORD_LIST,
)
NUMBERED = ~Q(display="")  # the number indexes hold numbered documents only


_COMPILED: dict[tuple[int, str], RawSQL] = {}


def compiled(expression, documents) -> RawSQL:
    """`expression` compiled to SQL once per database. A read names the words once per word
    sought, and Django compiles the whole tree each time: a third of a search's Python time.
    The SQL names the table itself, as the index does."""
    key = (id(expression), documents.db)
    if key not in _COMPILED:
        query = Query(documents.model)
        sql, params = query.get_compiler(documents.db).compile(
            expression.resolve_expression(query)
        )
        _COMPILED[key] = RawSQL(sql, tuple(params), output_field=expression.output_field)
    return _COMPILED[key]


@dataclass
class Sought:
    """What a search looks for: every word of one of `alternatives`, in the form each read
    needs; all select the same rows."""

    alternatives: list[list[str]]
    row: Q  # tested on each row of a walk
    indexed: Q  # read through a GIN index of the words
    # The same words tagged by date (`DATED_TEXT_WORDS`, `DATED_NUMBER_WORDS`), None when
    # a word is too long to be there.
    dated_words: Func | None
    walk_rows: int  # the longest walk worth trying

    def in_span(self, years: list, months: list | None) -> Q:
        """`_dated` holds the words in one of `years` (None: undated), and `months` if
        given. A document's words all carry its one date, so "each word tagged with one of
        `years`" is "every word, in one of `years`"."""
        condition = Q()
        for words in self.alternatives:
            holds = Q()
            for word in words:
                tags = [f"{word}@{'' if year is None else year}" for year in years]
                holds &= Q(_dated__overlap=tags)
            condition |= holds
        if months is not None:
            condition &= Q(_dated__overlap=[f"@m{year * 100 + month}" for year, month in months])
        return condition


def query_words(text: str) -> list[str] | None:
    """The folded words of a query (at most `MAX_SEARCH_WORDS`), or None for a blank one."""
    folded = fold(text)
    if not folded:
        return None
    return re.findall(r"[a-z0-9]+", folded)[:MAX_SEARCH_WORDS]


def regex_condition(words: list[str]) -> Q:
    """Other databases: every word, whole, in `search_text`."""
    condition = Q()
    for word in words:
        condition &= Q(search_text__regex=rf"(^|[^a-z0-9]){word}($|[^a-z0-9])")
    return condition


def text_match(words: list[str], alias: str) -> "WordsMatch":
    """PostgreSQL: `search_words` holds every one of `words`."""
    frequency, _rows = word_frequencies(alias)
    # The least frequent word, per the statistics (a word absent from them is rare).
    rarest = min(words, key=lambda word: (frequency.get(word, 0), -len(word)))
    return WordsMatch(words, rarest)


def text_sought(words: list[str]) -> Sought:
    """The words of a text query, in the words of `search_text`."""
    match = Q(WordsMatch(words))  # read unordered: all the words in one condition
    short = max(map(len, words)) <= LONGEST_DATED_WORD
    return Sought([words], match, match, DATED_TEXT_WORDS if short else None, WALK_ROWS)


def symbol_sought(alternatives: list[list[str]]) -> Sought:
    """A number's symbol: every word of one of `alternatives` in the words of `search_key`."""
    row = Q()
    for words in alternatives:
        row |= Q(*(Q(search_key__contains=f" {word} ") for word in words))
    indexed = Q(*(Q(_words__contains=words) for words in alternatives), _connector=Q.OR)
    walk_rows = min(WALK_ROWS, SYMBOL_WALK_ROWS)
    return Sought(alternatives, row, indexed, DATED_NUMBER_WORDS, walk_rows)


class WordsMatch(models.Expression):
    """PostgreSQL: `search_words` holds every one of `terms`, written for the planner
    according to the query it is compiled in. Both forms select the same rows.

    * Ordered (a page in list order): the GIN condition is the rarest term only and all
      the terms are checked by `ts_match_vq`, which the planner does not try to estimate:
      a common phrase is read down the list order, a rare one through the index.
    * Unordered (a read all at once, a count), or without `rarest`: all the words in one
      condition, whose GIN index scan intersects their posting lists.
    """

    output_field = models.BooleanField()
    conditional = True

    def __init__(self, terms: list[str], rarest: str | None = None):
        super().__init__()
        self.terms, self.rarest = list(terms), rarest

    def as_sql(self, compiler, connection):
        query = compiler.query
        column = f"{compiler.quote_name_unless_alias(query.get_initial_alias())}.search_words"
        ordered = bool(query.order_by or query.extra_order_by) or (
            query.default_ordering and bool(query.get_meta().ordering)
        )
        match = f"{column} @@ to_tsquery('simple'::regconfig, %s)"
        if not ordered or self.rarest is None or self.terms == [self.rarest]:
            return match, [" & ".join(self.terms)]
        check = f"ts_match_vq({column}, to_tsquery('simple'::regconfig, %s))"
        return f"({match} AND {check})", [self.rarest, " & ".join(self.terms)]


class NewestMatches:
    """The documents of `documents` holding what is `sought`, in list order, as rows
    (pk, issued_on, *fields); sliced like the ordered queryset they stand for (PostgreSQL).

    A slice reads the newest `stop` matches (the strategy of the module's docstring); a
    later slice reaching further reads again, for as many."""

    def __init__(self, documents, sought: Sought, fields=()):
        self.documents, self.sought, self.fields = documents, sought, fields
        self.rows = word_frequencies(documents.db)[1]  # documents in the register
        self.found, self.complete = [], False

    def __getitem__(self, index: slice) -> list[tuple]:
        if index.stop > len(self.found) and not self.complete:
            self.found = self._read(index.stop)
            self.complete = len(self.found) < index.stop
        return self.found[index]

    def _read(self, count: int) -> list[tuple]:
        probe, every = self._walk(PROBE_ROWS, count)
        if len(probe) == count or every:
            return probe
        needed = count * PROBE_ROWS / max(len(probe), 1)  # rows expected to fill it
        walkable = self.sought.walk_rows
        walkable = min(walkable, self.rows * WALK_SHARE) if self.rows else walkable
        if 2 * needed <= walkable:
            walked, every = self._walk(int(2 * needed), count)
            if len(walked) == count or every:
                return walked
        # Few matches in the whole register, if it is like its newest documents: all of
        # them at once through the words' index, sorted here, as long as they are few. The
        # probe counts one more than it found: two matches in it may well be four (a symbol
        # in 0.5 % of numbers, 5,000 at 1M, read at once in vain).
        expected = (len(probe) + 1) / PROBE_ROWS * self.rows
        matching = self.documents.alias(_words=compiled(NUMBER_WORDS, self.documents))
        matching = matching.filter(self.sought.indexed)
        at_once = int(ALL_AT_ONCE * count)
        if expected <= at_once:
            found = matching.order_by().values_list("pk", "issued_on", *self.fields)
            found = list(found[: at_once + 1])
            if len(found) <= at_once:
                found.sort(key=_list_key, reverse=True)
                return found[:count]
        if self.sought.dated_words is None:  # not in the index by date
            return newest_rows(matching, count, *self.fields)
        return self._by_date(count, expected)

    def _walk(self, budget: int, count: int) -> tuple[list[tuple], bool]:
        """The matches among the newest `budget` documents, in list order, up to `count`,
        and whether those were every document (numbered as read: the `budget`-th is kept)."""
        hit = models.ExpressionWrapper(self.sought.row, output_field=models.BooleanField())
        newest = self.documents.for_list().annotate(_hit=hit)
        newest = newest.values_list("pk", "issued_on", *self.fields, "_hit")[:budget]
        sql, params = newest.query.sql_with_params()
        with connections[self.documents.db].cursor() as cursor:
            cursor.execute(
                f"SELECT * FROM (SELECT *, row_number() OVER () AS _n FROM ({sql}) AS newest) "
                "AS read WHERE read._hit OR read._n = %s LIMIT %s",
                [*params, budget, count + 1],
            )
            rows = cursor.fetchall()
        found = [row[:-2] for row in rows if row[-2]][:count]
        return found, all(row[-1] < budget for row in rows)

    def _by_date(self, count: int, expected: float) -> list[tuple]:
        """The first `count` matches read a span of dates at a time, newest first
        (`date_window`), through the GIN index by date: each read fetches only the matches
        of its span, the undated last.

        The first span is as many months as should hold `count` of the `expected` matches,
        if they are spread evenly; each next one as many as should hold half as many again
        as are missing, at the rate found so far (twice the last span when none were), at
        most WIDEST_WINDOW years, and whole years where the index holds no months."""
        bounds = self.documents.model.objects.using(self.documents.db).aggregate(
            oldest=models.Min("issued_on"), newest=models.Max("issued_on")
        )
        found, widest = [], 12 * WIDEST_WINDOW
        shortest = 1 if self.sought.dated_words is DATED_TEXT_WORDS else 12  # months held
        if bounds["newest"] is not None:
            top, bottom = month_number(bounds["newest"]), month_number(bounds["oldest"])
            high, span = top, widest
            if expected:
                span = math.ceil(count * (top - bottom + 1) / expected)
            while high >= bottom and len(found) < count:
                span = min(max(span, shortest), widest)
                years, months, low = date_window(high, span, top, bottom)
                found += self._read_span(years, months, count - len(found))
                missing, rate = count - len(found), len(found) / (top - low + 1)
                span = math.ceil(1.5 * missing / rate) if rate else 2 * span
                high = low - 1
        if len(found) < count:
            found += self._read_span([None], None, count - len(found))
        return found

    def _read_span(self, years, months, count: int) -> list[tuple]:
        """The newest `count` matches issued in `years`, and in `months` when given (None
        among `years` for the undated)."""
        in_span = self.documents.alias(_dated=compiled(self.sought.dated_words, self.documents))
        in_span = in_span.filter(self.sought.in_span(years, months))
        return newest_rows(in_span, count, *self.fields)


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
        found = NewestMatches(self.documents, text_sought(words))
        return [pk for pk, _issued_on in found[: self.limit]]


def _list_key(row: tuple):
    """Sort key of (pk, issued_on, …) for the list order (newest first, undated last),
    with `reverse=True`."""
    pk, issued_on = row[:2]
    return (issued_on is not None, issued_on or datetime.date.min, pk)


def newest_rows(queryset, count: int, *fields: str) -> list[tuple]:
    """The first `count` rows of `queryset` in list order, as (pk, issued_on, *fields),
    PostgreSQL reading the rows as it plans `queryset` alone (through a GIN index) and
    sorting only them.

    An OFFSET 0 keeps the ORDER BY and LIMIT outside: planned with them, PostgreSQL would
    walk the list order instead. Its estimate of a read by date is far off either way:
    without statistics of the tagged words it guesses 0.5 % of the rows per word, so a span
    of years looks large enough for parallel workers, whose start costs more than the read
    (7 of 8 ms for four years of NQ/STP); with them, a common word over eight years looks
    like a third of the register, worth compiling the query (JIT) or, more yet, reading the
    table and running the regular expressions on every row. The three are turned off for
    the read alone (`_read_alone`).
    """
    rows = queryset.order_by().values_list("pk", "issued_on", *fields)
    sql, params = rows.query.sql_with_params()
    return _read_alone(
        queryset.db,
        f"SELECT * FROM ({sql} OFFSET 0) AS found ORDER BY 2 DESC NULLS LAST, 1 DESC LIMIT %s",
        [*params, count],
    )


READ_SETTINGS = (
    "SELECT set_config('max_parallel_workers_per_gather', '0', true), "
    "set_config('jit', 'off', true), set_config('enable_seqscan', 'off', true)"
)


def _read_alone(alias: str, sql: str, params: list) -> list[tuple]:
    """The rows of `sql` read under READ_SETTINGS, which end with the read: one round trip.

    The settings and the read go in one message of several statements (Django's psycopg
    cursors bind parameters on the client, which allows it). PostgreSQL runs such a message
    as one transaction, and settings local to a transaction end with it; inside a longer
    transaction, a savepoint rolled back in the same message ends them. Three round trips
    fewer per read than a transaction of its own: a read by date is 1–2 ms, and a round
    trip costs most on a busy machine."""
    connection = connections[alias]
    statements = [READ_SETTINGS, sql]
    inside = connection.in_atomic_block
    if inside:
        savepoint = "newest_rows"
        statements = [
            f"SAVEPOINT {savepoint}",
            *statements,
            f"ROLLBACK TO SAVEPOINT {savepoint}",
            f"RELEASE SAVEPOINT {savepoint}",
        ]
    with connection.cursor() as cursor:
        cursor.execute("; ".join(statements), params)
        for _skipped in range(2 if inside else 1):  # to the read's rows
            cursor.nextset()
        return cursor.fetchall()


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


def word_frequencies(alias: str) -> tuple[dict[str, float], float]:
    """The share of documents holding each common word (PostgreSQL's statistics of
    `search_words`; a rarer word is absent) and the estimated number of documents."""

    def read():
        with connections[alias].cursor() as cursor:
            cursor.execute(
                "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, "
                "c.reltuples FROM pg_class c LEFT JOIN pg_stats s ON s.tablename = c.relname "
                "AND s.attname = 'search_words' WHERE c.relname = 'documents_document'"
            )
            row = cursor.fetchone()
        frequencies = dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}
        return (frequencies, max(float(row[2]), 0.0) if row else 0.0)

    return cached(alias, "stats:words", read)


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
