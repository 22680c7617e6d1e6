"""Sorting agenda items by their order as printed: `1`, `2`, `3.a`, `3.b`, `10`, `II.1`."""

import re

from portal.text import fold

_PARTS = re.compile(r"[0-9]+|[^\W\d_]+")
_ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
WIDTH = 4


def roman_to_int(text: str) -> int | None:
    """`XVII` → 17; None when `text` is not an upper-case Roman numeral."""
    if not text or not _ROMAN.match(text):
        return None
    total = 0
    for char, following in zip(text, [*text[1:], ""], strict=True):
        value = _ROMAN_VALUES[char]
        total += -value if following and _ROMAN_VALUES[following] > value else value
    return total


def order_sort_key(order: str) -> str:
    """A key that sorts as people read agenda numbers, comparing plain strings.

    Numbers are zero-padded (`10` after `9`), letters compared without case or diacritics,
    and a leading upper-case Roman numeral of I, V and X (`II`, `IV`) counts as its
    number. A sub-item
    sorts right after its parent: `3` < `3.a` < `3.b` < `4`.
    """
    parts = []
    for index, part in enumerate(_PARTS.findall(order.strip())):
        # Only I, V and X count as Roman numerals here, so that "A, B, C, D" stay letters.
        roman = roman_to_int(part) if index == 0 and set(part) <= set("IVX") else None
        if part.isdigit() or roman is not None:
            number = int(part) if roman is None else roman
            parts.append(str(min(number, 10**WIDTH - 1)).zfill(WIDTH))
        else:
            parts.append(fold(part))
    return ".".join(parts)
