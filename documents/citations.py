"""Numbers cited in a document's text ("Quy chế làm việc số 09-QC/TU"), turned into links.

`find_citations()` is pure; `render_citations()` builds the HTML with `format_html`, so
the text is always escaped and only the links we make are markup.
"""

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .numbering import NumberError, parse_number

_L = r"[^\W\d_]"  # a letter, Đ included
_G = rf"(?:{_L}|\d)+"  # a letters-and-digits group
CANDIDATE = re.compile(
    rf"(?<![\w/-])\d{{1,6}}"
    rf"(?:-{_L}+/{_G}(?:-{_G})*"  # Party: 341-KH/TU
    rf"|/(?:(?:19|20)\d\d/)?{_G}(?:-{_G})+"  # State: 04/CTr-UBND, 30/2020/NĐ-CP, 2237/UBND-KT
    rf"|/(?:19|20)\d\d/{_L}+\d+)"  # Law: 80/2015/QH13
    rf"(?![\w/])"
)
# "… số 09-QC/TU ngày 22/6/2023": the date tells apart numbers reused in another cycle.
FOLLOWING_DATE = re.compile(r"\s*,?\s*ngày\s+(\d{1,2})/(\d{1,2})/(\d{4})", re.IGNORECASE)


@dataclass(frozen=True)
class Citation:
    start: int
    end: int
    display: str  # canonical form, as stored in Document.display
    issued_on: datetime.date | None = None  # the date written right after it, if any


def find_citations(text: str) -> list[Citation]:
    """Every well-formed document number in `text`, with its canonical display form."""
    found = []
    for candidate in CANDIDATE.finditer(text):
        try:
            number = parse_number(candidate.group())
        except NumberError:
            continue
        found.append(
            Citation(
                candidate.start(),
                candidate.end(),
                number.display,
                _following_date(text, candidate.end()),
            )
        )
    return found


def _following_date(text: str, position: int) -> datetime.date | None:
    written = FOLLOWING_DATE.match(text, position)
    if written is None:
        return None
    day, month, year = (int(part) for part in written.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def render_citations(text: str, links: Mapping, *, skip: str = "") -> SafeString:
    """`text` escaped, with each cited number in `links` made a link.

    `links` maps a display form to a URL, and may also map (display, issue date) to the
    URL of that exact document, used when the text gives the date after the number.
    `skip` is the document's own display form, never linked to itself.
    """
    parts = []
    position = 0
    for citation in find_citations(text):
        url = links.get((citation.display, citation.issued_on)) or links.get(citation.display)
        if url is None or citation.display == skip:
            continue
        parts.append(escape(text[position : citation.start]))
        parts.append(format_html('<a href="{}">{}</a>', url, text[citation.start : citation.end]))
        position = citation.end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # every part above is escaped or built by format_html
