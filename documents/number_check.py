"""Checking many numbers at once, as an inspector checks the citations of a report.

`numbers_in(text)` reads what was pasted or uploaded: each number a line cites ("theo Kế
hoạch số 341-KH/TU ngày 15/11/2025 …") as the detail page finds citations, with the date
or the issue year written after it ("341-KH/TU năm 2019", docs/numbering.md §5.5), or a
line that is a number however typed ("341 KH TU"), or a line whose cells (split at commas,
semicolons, tabs or bars) each are one ("341 KH TU, 04 CTr UBND"). `check(documents,
typed)` then says, for each, which documents of the register bear it and whether each is
in force today.

The check reads the register in a fixed number of queries whatever the count of numbers
(up to `MAX_NUMBERS`): every complete match of a number has one of the number's symbols
(`numbering.complete_symbols`) and its serial, so one read by serials and symbols finds
the candidates of a whole batch, and Python keeps those that match (`numbering.match`).
Only the "did you mean" suggestions are read number by number, for the first
`NEAR_MISSES_FOR` numbers none bears.
"""

import datetime
import re
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from . import numbering, word_search
from .citations import find_citations
from .models import incoming_relations_prefetch
from .near_misses import near_misses

MAX_NUMBERS = 500
# A line that cites no number and is not a number itself: up to this length it was meant
# as one and is reported as unread; a longer one is prose and skipped.
LONGEST_TYPED_NUMBER = 60
# Numbers read per query of the register (a bound on each query's parameters).
READ_BATCH = 250
# "Did you mean" costs a few queries per number: offered for this many missing numbers.
NEAR_MISSES_FOR = 10
# A year written after a cited number: "341-KH/TU 2019", "… năm 2019", "…, ban hành năm 2019".
FOLLOWING_YEAR = re.compile(
    r"[\s,]+(?:ban\s+h[aà]nh\s+)?(?:n[aă]m\s+)?(?:19|20)\d\d(?!\d|[/.-]\d)", re.IGNORECASE
)
CELL_SEPARATORS = re.compile(r"[,;\t|]")


class Verdict(StrEnum):
    FOUND = "found"
    SEVERAL = "several"
    OTHER_YEAR = "other-year"
    MISSING = "missing"
    UNREAD = "unread"


VERDICT_LABELS = {
    Verdict.FOUND: _("Có trong hệ thống"),
    Verdict.SEVERAL: _("Nhiều văn bản cùng số"),
    Verdict.OTHER_YEAR: _("Không có trong năm đã ghi; có văn bản cùng số ở năm khác"),
    Verdict.MISSING: _("Không có văn bản mang số này"),
    Verdict.UNREAD: _("Không đọc được số"),
}


@dataclass(frozen=True)
class Typed:
    """A number as written, with the issue date or issue year written right after it."""

    text: str
    issued_on: datetime.date | None = None
    year: int | None = None

    @property
    def line(self) -> str:
        """The number as a line that `numbers_in` reads back the same."""
        if self.issued_on is not None:
            return f"{self.text} ngày {self.issued_on:%d/%m/%Y}"
        return f"{self.text} năm {self.year}" if self.year else self.text

    @property
    def written_with(self) -> str:
        """The date or year written with it, as the CSV shows it."""
        if self.issued_on is not None:
            return f"{self.issued_on:%d/%m/%Y}"
        return str(self.year or "")


@dataclass
class Checked:
    typed: Typed
    documents: list = field(default_factory=list)
    readable: bool = True
    # When no document bears it: those whose number is one slip away (`near_misses`).
    near: list = field(default_factory=list)
    # When a year was written and no document of that year bears it: those of other years.
    other_years: list = field(default_factory=list)

    @property
    def verdict(self) -> Verdict:
        if not self.readable:
            return Verdict.UNREAD
        if self.other_years:
            return Verdict.OTHER_YEAR
        if not self.documents:
            return Verdict.MISSING
        return Verdict.FOUND if len(self.documents) == 1 else Verdict.SEVERAL

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    @property
    def suggestions(self) -> list[str]:
        """What the reviewer may have meant, as text: the numbers one slip away, or the
        documents of other years with their issue dates."""
        return self.near or [
            f"{d.display} ({d.issued_on:%d/%m/%Y})" if d.issued_on else d.display
            for d in self.other_years
        ]


def numbers_in(text: str, unread_too: bool = True) -> list[Typed]:
    """The numbers `text` names, each once, in the order written. Without `unread_too`
    (an uploaded report, whose headings and table cells are short lines), only whole
    numbers are kept: a line that is no number is skipped rather than reported unread."""
    found = []
    for line in text.splitlines():
        found += _line_numbers(line.strip())
    if not unread_too:
        found = [typed for typed in found if _is_whole(typed.text)]
    return list(dict.fromkeys(found))


def _is_whole(text: str) -> bool:
    """A serial and a symbol: not a heading, nor a table's row number ("1")."""
    query = numbering.parse_query(text)
    return query is not None and query.serial is not None and bool(query.tokens)


def _line_numbers(line: str) -> list[Typed]:
    cells = [cell.strip() for cell in CELL_SEPARATORS.split(line) if cell.strip()]
    if len(cells) > 1:
        typed = [_typed_cell(cell) for cell in cells]
        if all(cell is not None for cell in typed):
            return typed
    cited = find_citations(line)
    if cited:
        return [_cited(line, citation) for citation in cited]
    return _typed_line(line) if line else []


def _cited(line: str, citation) -> Typed:
    written = line[citation.start : citation.end]
    if citation.issued_on is not None:
        return Typed(written, citation.issued_on)
    following = FOLLOWING_YEAR.match(line, citation.end)
    if following is None:
        return Typed(written)
    _number, year = numbering.split_issue_year(line[citation.start : following.end()])
    return Typed(written, year=year) if year is not None else Typed(written)


def _typed_line(line: str) -> list[Typed]:
    """A line without a well-formed citation: a number however typed (with a year after
    it), or, when short, a number the reviewer meant and the parser cannot read."""
    typed = _typed_cell(line)
    if typed is not None:
        return [typed]
    return [Typed(line)] if len(line) <= LONGEST_TYPED_NUMBER else []


def _typed_cell(cell: str) -> Typed | None:
    """The one number `cell` is (cited, or typed however, with a year after it), if any."""
    cited = find_citations(cell)
    if len(cited) == 1 and cited[0].start == 0:
        return _cited(cell, cited[0])
    number, year = numbering.split_issue_year(cell)
    if year is None and numbering.parse_query(cell) is None:
        return None
    return Typed(number, year=year)


def check(documents, typed_numbers: list[Typed]) -> list[Checked]:
    """Each number's complete matches among `documents`, best first then newest (those
    issued on the date, or in the year, written after it), with `incoming_relations`
    prefetched for their status in force; for a number none bears, its near misses."""
    queries = [numbering.parse_query(typed.text) for typed in typed_numbers]
    bearing = _bearing(documents, [query for query in queries if query is not None])
    results, suggested = [], 0
    for typed, query in zip(typed_numbers, queries, strict=True):
        if query is None:
            results.append(Checked(typed, readable=False))
            continue
        found = bearing.get(query, [])
        result = _pick(typed, found)
        if not found and suggested < NEAR_MISSES_FOR:
            result.near = near_misses(documents, typed.text)
            suggested += 1
        results.append(result)
    return results


def _pick(typed: Typed, found: list) -> Checked:
    if typed.issued_on is not None:
        on_date = [d for d in found if d.issued_on == typed.issued_on]
        return Checked(typed, on_date or found)
    if typed.year is not None:
        in_year = [d for d in found if _of_year(d, typed.year)]
        return Checked(typed, in_year, other_years=[] if in_year else found)
    return Checked(typed, found)


def _of_year(document, year: int) -> bool:
    issued = document.issued_on is not None and document.issued_on.year == year
    return issued or document.number_year == year


def _bearing(documents, queries: list[numbering.NumberQuery]) -> dict:
    """query → the documents it matches completely (LOOSE or EXACT), best first then in
    list order: one read of the register per `READ_BATCH` queries, one prefetch."""
    complete = {query: numbering.complete_symbols(query) for query in queries}
    wanted = [query for query in dict.fromkeys(queries) if complete[query]]
    rows = []
    for start in range(0, len(wanted), READ_BATCH):
        batch = wanted[start : start + READ_BATCH]
        rows += documents.filter(
            word_search.NUMBERED,
            serial__in={query.serial for query in batch},
            symbol_compact__in=set().union(*(complete[query] for query in batch)),
        ).for_list()
    # Batches may read a document twice (its serial in one, its symbol in another).
    rows = sorted({document.pk: document for document in rows}.values(), key=_list_key)
    prefetch_related_objects(rows, incoming_relations_prefetch())
    by_serial: dict[int, list] = {}
    for document in rows:
        by_serial.setdefault(document.serial, []).append(document)
    bearing = {}
    for query in wanted:
        hits = []
        for document in by_serial.get(query.serial, []):
            if document.symbol_compact not in complete[query]:
                continue
            try:
                parsed = numbering.parse_number(document.number)
            except numbering.NumberError:
                continue
            strength = numbering.match(query, parsed)
            if strength is not None and strength >= numbering.Match.LOOSE:
                hits.append((numbering.rank_key(query, parsed, strength), document))
        hits.sort(key=lambda hit: hit[0], reverse=True)  # stable: list order within a rank
        bearing[query] = [document for _rank, document in hits]
    return bearing


def _list_key(document) -> tuple:
    """`models.LIST_ORDER` in Python: newest first, undated last, then the newest record."""
    issued = document.issued_on
    return (issued is None, -(issued.toordinal() if issued else 0), -document.pk)
