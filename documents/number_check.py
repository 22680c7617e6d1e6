"""Checking many numbers at once, as an inspector checks the citations of a report.

`numbers_in(text)` reads what was pasted: each number a line cites ("theo Kế hoạch số
341-KH/TU ngày 15/11/2025 …"), with the date written after it, or a line that is a number
however typed ("341 KH TU"). `check(documents, text)` then says, for each, which documents
of the register bear it and whether each is in force today.
"""

import datetime
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from .citations import find_citations
from .models import acting_relations_prefetch
from .near_misses import near_misses
from .numbering import Match, parse_query

# One check runs a number search per number: a report cites a few dozen.
MAX_NUMBERS = 100
# A line that cites no number and is not a number itself: up to this length it was meant
# as one and is reported as unread; a longer one is prose and skipped.
LONGEST_TYPED_NUMBER = 60


class Verdict(StrEnum):
    FOUND = "found"
    SEVERAL = "several"
    MISSING = "missing"
    UNREAD = "unread"


VERDICT_LABELS = {
    Verdict.FOUND: _("Có trong hệ thống"),
    Verdict.SEVERAL: _("Nhiều văn bản cùng số"),
    Verdict.MISSING: _("Không có văn bản mang số này"),
    Verdict.UNREAD: _("Không đọc được số"),
}


@dataclass(frozen=True)
class Typed:
    """A number as written, with the issue date written right after it, if any."""

    text: str
    issued_on: datetime.date | None = None


@dataclass
class Checked:
    typed: Typed
    documents: list = field(default_factory=list)
    readable: bool = True
    # When no document bears it: those whose number is one slip away (`near_misses`).
    near: list = field(default_factory=list)

    @property
    def verdict(self) -> Verdict:
        if not self.readable:
            return Verdict.UNREAD
        if not self.documents:
            return Verdict.MISSING
        return Verdict.FOUND if len(self.documents) == 1 else Verdict.SEVERAL

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict]


def numbers_in(text: str) -> list[Typed]:
    """The numbers `text` names, each once, in the order written."""
    found = []
    for line in text.splitlines():
        line = line.strip()
        cited = find_citations(line)
        if cited:
            found += [Typed(line[c.start : c.end], c.issued_on) for c in cited]
        elif line and (len(line) <= LONGEST_TYPED_NUMBER or parse_query(line) is not None):
            found.append(Typed(line))
    return list(dict.fromkeys(found))


def check(documents, typed_numbers: list[Typed]) -> list[Checked]:
    """Each number's complete matches among `documents` (those issued on the date written
    after it, when it has one and such a document exists), with `acting_relations`
    prefetched for their status in force; for a number none bears, its near misses."""
    results = []
    for typed in typed_numbers:
        hits = documents.search_number(typed.text, partial_too=False)
        if hits is None:
            results.append(Checked(typed, readable=False))
            continue
        bearing = list(hits.at_least(Match.LOOSE))
        on_date = [d for d in bearing if typed.issued_on and d.issued_on == typed.issued_on]
        near = [] if bearing else near_misses(documents, typed.text)
        results.append(Checked(typed, on_date or bearing, near=near))
    found = [document for result in results for document in result.documents]
    prefetch_related_objects(found, acting_relations_prefetch())
    return results
