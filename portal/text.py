"""Vietnamese text folding and slugs, shared by every app.

`Đ`/`đ` have no Unicode decomposition, so the usual "NFKD then drop non-ASCII" recipe
(Django's `slugify`) deletes them: `QĐ-UBND` would become `q-ubnd`. These helpers map
them (and their look-alikes) to `D`/`d` first.
"""

import re
import unicodedata

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
