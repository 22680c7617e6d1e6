"""Numbering cycles: the span within which an issuer's printed number is unique.

State documents (Nghị định 30/2020/NĐ-CP, Điều 15): numbers restart every 1 January, so the
cycle is the calendar year of issue (or the year printed in the number when the date is
unknown). Party documents (Quy định 66-QĐ/TW, 399-QĐ/TW): numbers restart with each
committee term (nhiệm kỳ), so the cycle is the term in force on the issue date.
"""

import datetime

from django.utils.translation import gettext as _

from .numbering import PARTY

# Terms of the Hà Nội City Party Committee, by the opening day of the congress that elected
# it. XVII: the 17th congress opened on 13/10/2020. XVIII: the 18th congress opened on
# 16/10/2025 (public press reports; the seed article does not give it, so a reviewer should
# confirm it). A date before the first entry has no known term: its cycle stays empty and no
# uniqueness is enforced for it rather than guessing. Add a row when a new term begins.
PARTY_TERMS: tuple[tuple[datetime.date, str], ...] = (
    (datetime.date(2020, 10, 13), "XVII"),
    (datetime.date(2025, 10, 16), "XVIII"),
)


def party_term(day: datetime.date | None) -> str:
    """The Party committee term (e.g. "XVII") in force on `day`, or "" when unknown."""
    if day is None:
        return ""
    label = ""
    for start, name in PARTY_TERMS:
        if start <= day:
            label = name
    return label


def numbering_cycle(system: str, issued_on: datetime.date | None, number_year: int | None) -> str:
    """The cycle label stored with a document: "2025" (State) or "XVII" (Party); "" unknown."""
    if system == PARTY:
        term = party_term(issued_on)
        return f"term:{term}" if term else ""
    if issued_on is not None:
        return str(issued_on.year)
    if number_year is not None:
        return str(number_year)
    return ""


def describe_cycle(cycle: str) -> str:
    """Human form for messages: "nhiệm kỳ XVII" or "năm 2025"."""
    if cycle.startswith("term:"):
        return _("nhiệm kỳ %(term)s") % {"term": cycle.removeprefix("term:")}
    return _("năm %(year)s") % {"year": cycle} if cycle else ""
