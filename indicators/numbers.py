"""Reading numbers the way staff type them and writing them the way each language reads.

Vietnamese writes `7,63` and `16.765`; English writes `7.63` and `16,765`. Display uses
the active locale's separators and always groups thousands (whatever
USE_THOUSAND_SEPARATOR says), so a citizen never has to guess which mark is which.
"""

import re
from decimal import Decimal, InvalidOperation

from django.utils import formats, numberformat

_NUMBER = re.compile(r"^[+-]?[0-9][0-9.,]*$")


class NumberError(ValueError):
    """The text is not a number in any form the import accepts."""


def parse_number(text: str) -> Decimal:
    """Read `7.63`, `7,63`, `-1,5`, `16765`, `16.765.000`, `1.234,5` or `1,234.5`.

    Rules (documented for staff in docs and the import form):
    - a number with both `.` and `,` uses the last of them as the decimal mark and the
      other as thousands grouping (`1.234,5` = `1,234.5` = 1234.5);
    - a mark that occurs more than once is grouping (`16.765.000`, `16,765,000`);
    - a mark that occurs once, alone, is the decimal mark (`7,63` = `7.63` = 7.63), so
      write sixteen thousand as `16765`, never as `16.765`.
    Spaces (also non-breaking) are ignored; the Unicode minus sign is accepted.
    """
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text).replace("\u2212", "-")
    if not _NUMBER.match(cleaned):
        raise NumberError(text)
    sign = ""
    if cleaned[0] in "+-":
        sign, cleaned = ("-" if cleaned[0] == "-" else ""), cleaned[1:]
    dots, commas = cleaned.count("."), cleaned.count(",")
    if dots and commas:
        decimal_mark = "." if cleaned.rfind(".") > cleaned.rfind(",") else ","
        group_mark = "," if decimal_mark == "." else "."
        if cleaned.count(decimal_mark) > 1:
            raise NumberError(text)
        integer, fraction = cleaned.split(decimal_mark)
        integer = _ungroup(integer, group_mark, text)
    elif dots > 1 or commas > 1:
        integer, fraction = _ungroup(cleaned, "." if dots else ",", text), ""
    elif dots or commas:
        integer, fraction = cleaned.split("." if dots else ",")
    else:
        integer, fraction = cleaned, ""
    if not integer or (fraction == "" and cleaned[-1] in ".,"):
        raise NumberError(text)
    try:
        return Decimal(f"{sign}{integer}.{fraction}" if fraction else f"{sign}{integer}")
    except InvalidOperation as error:  # pragma: no cover - the pattern above prevents it
        raise NumberError(text) from error


def _ungroup(digits: str, mark: str, original: str) -> str:
    groups = digits.split(mark)
    if not groups[0] or len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
        raise NumberError(original)
    return "".join(groups)


def decimal_places(value: Decimal) -> int:
    """How many decimals the value needs, without trailing zeros (7.630 → 2, 16765 → 0)."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def format_number(value: Decimal | int | float, places: int | None = None) -> str:
    """The value in the active language's notation, thousands always grouped.

    `places` fixes the decimals; by default the value keeps exactly the decimals it has.
    """
    value = Decimal(str(value)) if not isinstance(value, Decimal) else value
    if places is None:
        places = decimal_places(value)
    return numberformat.format(
        value,
        formats.get_format("DECIMAL_SEPARATOR"),
        decimal_pos=places,
        grouping=3,
        thousand_sep=formats.get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )
