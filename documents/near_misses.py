""" "Did you mean": the numbers one slip away from a number nobody bears.

A reviewer copying a number by hand makes two kinds of slip: in the serial (`342-KH/TU`
for `341-KH/TU`) and in a code of the symbol (`341-KH/TW`, `341-HK/TU`). So a number that
finds nothing is offered the numbers with the same serial whose symbol is one slip away,
then those with the same symbol and the nearest serials whose digits are one slip away: a
slip is one letter or digit changed, added or dropped, or two neighbours swapped.

Numbers are offered, not documents: a number borne by several documents (one per term)
leads to the list's choice between them. Every read goes through an index and most read
it alone: the serial's, which holds the symbol, and the symbol's, which holds the serial
(`Document.Meta.indexes`).
"""

from .numbering import complete_symbols, parse_query

SUGGESTIONS = 4
# The nearest serials read on each side; several may be borne by one number.
NEIGHBOURS = 6
# Same-serial numbers compared letter by letter: in a register of a million, a common
# serial is borne by a few thousand; the newest of them are the likeliest.
SAME_SERIAL = 500


def near_misses(documents, text: str) -> list[str]:
    """The numbers (display forms) of `documents` one slip from `text`, closest first;
    empty when `text` is not a whole number (a serial and a symbol)."""
    query = parse_query(text)
    symbols = complete_symbols(query) if query is not None else frozenset()
    if not symbols:
        return []
    numbered = documents.exclude(display="")
    same_serial = numbered.filter(serial=query.serial).exclude(symbol_compact__in=symbols)
    seen = set(same_serial.values_list("symbol_compact", flat=True)[:SAME_SERIAL])
    close = [symbol for symbol in seen if any(one_slip(symbol, typed) for typed in symbols)]
    found = []
    if close:
        bearing = same_serial.filter(symbol_compact__in=close).order_by("-issued_on")
        found += bearing.values_list("display", flat=True)[:SUGGESTIONS]
    same_symbol = numbered.filter(symbol_compact__in=symbols)
    neighbours = []
    for side in (
        same_symbol.filter(serial__lt=query.serial).order_by("-serial"),
        same_symbol.filter(serial__gt=query.serial).order_by("serial"),
    ):
        neighbours += side.values_list("serial", "display")[:NEIGHBOURS]
    neighbours.sort(key=lambda row: abs(row[0] - query.serial))
    typed = str(query.serial)
    found += [display for serial, display in neighbours if one_slip(str(serial), typed)]
    return list(dict.fromkeys(found))[:SUGGESTIONS]


def one_slip(a: str, b: str) -> bool:
    """Whether `a` becomes `b` by one letter changed, added or dropped, or two neighbours
    swapped (the Damerau–Levenshtein distance is 1)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(differ) == 1 or (
            len(differ) == 2
            and differ[1] == differ[0] + 1
            and a[differ[0]] == b[differ[1]]
            and a[differ[1]] == b[differ[0]]
        )
    shorter, longer = sorted((a, b), key=len)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))
