"""Vietnamese text folding and slugs, shared by every app.

`Đ`/`đ` have no Unicode decomposition, so the usual "NFKD then drop non-ASCII" recipe
(Django's `slugify`) deletes them: `QĐ-UBND` would become `q-ubnd`. These helpers map
them (and their look-alikes) to `D`/`d` first.
"""

import re
import unicodedata

from django.db.models import Q
from django.utils.text import slugify

# Eth and African D look like Đ in most fonts and arrive from copy-paste.
_D_LOOKALIKES = str.maketrans({"Ð": "Đ", "ð": "đ", "Ɖ": "Đ", "ɖ": "đ"})
_D_TO_ASCII = str.maketrans({"Đ": "D", "đ": "d"})


def clean(text: str) -> str:
    """NFKC-normalise, map Đ look-alikes and drop invisible format characters (Cf)."""
    text = unicodedata.normalize("NFKC", text).translate(_D_LOOKALIKES)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower-case ASCII form for diacritic-insensitive matching: `Tô Lịch` → `to lich`."""
    text = clean(text).translate(_D_TO_ASCII)
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", ascii_text).strip().lower()


def vietnamese_slug(text: str) -> str:
    """A URL slug that keeps Đ as `d`: `Nguyễn Văn Đức` → `nguyen-van-duc`."""
    return slugify(clean(text).translate(_D_TO_ASCII))


def without_controls(text: str) -> str:
    """`text` with control characters (NUL, escape, …) turned into spaces: PostgreSQL
    refuses NUL in a query, and none of them belongs in a search."""
    return "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)


# Longer searches are cut, not refused: a pasted paragraph still finds something.
MAX_QUERY_LENGTH = 200


def typed_query(text: str) -> str:
    """A search as typed, as every search box and `q` parameter reads it: control
    characters and runs of blanks made one space, the ends trimmed (not yet cut to
    MAX_QUERY_LENGTH: see `search_query`)."""
    return " ".join(without_controls(text).split())


def search_query(text: str) -> tuple[str, bool]:
    """The one reading of a `q` parameter on every surface: `typed_query`, cut to
    MAX_QUERY_LENGTH. Returns (query, whether it was cut); HTML pages say so when it was
    (`portal.lists.QUERY_TOO_LONG`), machine surfaces search the same cut query."""
    query = typed_query(text)
    if len(query) > MAX_QUERY_LENGTH:
        return query[:MAX_QUERY_LENGTH].rstrip(), True
    return query, False


def every_word(words: list[str], field: str = "search_text") -> Q:
    """Rows whose folded `field` contains every word (already folded: `search_words`)."""
    condition = Q()
    for word in words:
        condition &= Q(**{f"{field}__contains": word})
    return condition


# Leading and trailing punctuation or symbols of a word ("lịch," → "lịch"); inner ones stay
# ("09-qc/tu").
_EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")
SEARCH_MAX_WORDS = 10


def search_words(text: str, limit: int = SEARCH_MAX_WORDS) -> list[str]:
    """The folded words of a search query, punctuation-only words dropped, at most `limit`:
    `“Tô Lịch”, 2025!` → `["to", "lich", "2025"]`. Match them with `__contains` on a
    column holding `fold()` of the searchable text."""
    words = []
    for word in fold(without_controls(text)).split():
        word = _EDGE_PUNCTUATION.sub("", word)
        if word and word not in words:
            words.append(word)
    return words[:limit]
