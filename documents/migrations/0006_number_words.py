"""The number search's words (docs/benchmarks.md, "Number search").

`search_key` now holds every word a number search finds a number by (serial, year, symbol
tokens, runs of tokens joined, "CV" for a State công văn; `numbering._search_key`), so
that the database alone decides which numbers can match, including "cv 2237" (a State
công văn) and "UBKT TU" (UBKTTU), which it used to leave to Python on up to 500 rows.
The words are tested on the covering indexes' tuples (0005), and on PostgreSQL a GIN
index of them finds every number of a rare symbol typed without a serial
(`number_search._SymbolRows`: "CTR/UBKTTU" read 546,000 index tuples, 154 ms, at 1,000,000).

The trigram indexes on `search_key` and `symbol_compact` are dropped: the number search
no longer uses them, and where PostgreSQL did (a serial's rows ANDed with the posting
lists of " KH " and " TU "), it was the slow plan. Filling the words takes about 55 s per
100,000 numbered documents.
"""

import re
import unicodedata

from django.db import migrations, models

WORDS_INDEX = "documents_document_number_words"
WORDS = "string_to_array(btrim(search_key), ' ')"  # as `number_search.WORDS`
TRIGRAM_INDEXES = {
    "documents_document_search_key_trgm": "search_key",
    "documents_document_symbol_compact_trgm": "symbol_compact",
}


# The words of a number as `documents/numbering.py` computed them when this migration was
# written (`parse_number(...).search_key`), frozen here and trimmed to what they need, so
# that a later change of the parser never changes what this migration writes. The table of
# cases in documents/tests/test_migrations.py holds them to what they wrote.

# Type codes in capitals with Đ folded to D, of both systems (`numbering.DOCUMENT_TYPES`).
_TYPE_CODES = frozenset(
    {
        "BB", "BC", "BGN", "BTT", "CD", "CT", "CTR", "CV", "DA", "GCN", "GDD", "GGT", "GM",
        "GNP", "GUQ", "HD", "KH", "KL", "ND", "NQ", "PA", "PB", "PC", "PG", "QC", "QD", "QH",
        "QYD", "TB", "TC", "TT", "TTLT", "TTR",
    }
)  # fmt: skip
_STOP_WORDS = frozenset(
    {"ngay", "cua", "ve", "nam", "thang", "tai", "theo", "va", "ban", "hanh", "trich", "kem"}
)
_D_LOOKALIKES = str.maketrans({"Ð": "Đ", "ð": "đ", "Ɖ": "Đ", "ɖ": "đ"})
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_SLASHES = "\u2044\u2215\uff0f\\"
_SEPARATOR_MAP = str.maketrans({**dict.fromkeys(_DASHES, "-"), **dict.fromkeys(_SLASHES, "/")})
_SEPARATORS = ("-", "/", ".")
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:19|20)\d\d"
_DATE = re.compile(
    rf"\bng[aà]y\s*{_DAY}\s*(?:[-/.]\s*{_MONTH}(?:\s*[-/.]\s*{_YEAR})?"
    rf"|th[aá]ng\s*{_MONTH}(?:\s*n[aă]m\s*{_YEAR})?)"
    rf"|\b{_DAY}\s+th[aá]ng\s+{_MONTH}(?:\s+n[aă]m\s+{_YEAR})?"
    rf"|(?<![\w/.-]){_DAY}/{_MONTH}/{_YEAR}(?!\w|\s*[-/]\s*[^\W\d_])",
    re.IGNORECASE,
)
_ABOUT = re.compile(r"\bv/v\b", re.IGNORECASE)
_THOUSAND_DOT = re.compile(r"(?<=\d)\.(?=\d{3}(?!\d))")
_WORD = re.compile(r"[^\W_]+")
_DIGITS_THEN_LETTERS = re.compile(r"(\d+)([^\W\d_]\w*)")
_LETTERS_THEN_DIGITS = re.compile(r"([^\W\d_]+)(\d+)")
_CODE = re.compile(r"[A-Za-z0-9Đđ]*[A-Za-zĐđ][A-Za-z0-9Đđ]*")
_MAX_SERIAL_DIGITS = 7


def _clean(text):
    text = unicodedata.normalize("NFKC", text).translate(_D_LOOKALIKES)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return unicodedata.normalize("NFC", text)


def _loose(code):
    return code.upper().replace("Đ", "D")


def _items(text):
    """`text` cleaned, dates dropped, as (separator printed before, token) pairs."""
    text = (text if text.isascii() else _clean(text)).translate(_SEPARATOR_MAP)
    text = _THOUSAND_DOT.sub("", _ABOUT.sub(" về ", _DATE.sub(" ", text)))
    items, end = [], 0
    for word in _WORD.finditer(text):
        gap = text[end : word.start()]
        separator = gap.strip() if gap.strip() in _SEPARATORS else (" " if gap else "")
        end = word.end()
        for index, token in enumerate(_unglue(word.group())):
            items.append((separator if index == 0 else "", token))
    return items


def _unglue(token):
    """A serial glued to letters ("341KH", "số31") split; codes like "QH13" kept whole."""
    if glued := _DIGITS_THEN_LETTERS.fullmatch(token):
        return glued.groups()
    if (glued := _LETTERS_THEN_DIGITS.fullmatch(token)) and _is_so(glued[1]):
        return glued.groups()
    return (token,)


def _is_so(word):
    decomposed = unicodedata.normalize("NFKD", _clean(word).replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower() == "so"


def _is_digits(token):
    return token.isascii() and token.isdigit()


def number_words(text):
    """The space-separated words a number search finds the printed number `text` by, or
    None when `text` is not a number (`numbering.parse_number` raised NumberError)."""
    items = _items(text)
    start = next((i for i, (_sep, token) in enumerate(items) if _is_digits(token)), None)
    if start is None:
        return None
    digits = items[start][1]
    if len(digits.lstrip("0")) > _MAX_SERIAL_DIGITS or int(digits) == 0:
        return None
    serial, rest = int(digits), items[start + 1 :]
    year = None
    separator, token = rest[0] if rest else ("", "")
    if separator in ("-", "/") and _is_digits(token) and re.fullmatch(_YEAR, token):
        year, rest = int(token), rest[1:]
    symbol = []
    for separator, token in rest:
        if not _CODE.fullmatch(token) or token.lower() in _STOP_WORDS:
            break
        if symbol and separator not in _SEPARATORS:
            break
        symbol.append((separator, token))
    if not symbol or (symbol[0][0] in ("", " ") and len(symbol) == 1):
        return None
    loose = tuple(_loose(token) for _separator, token in symbol)
    lead, after_first = symbol[0][0], symbol[1][0] if len(symbol) > 1 else ""
    if year is not None:
        party = False
    elif lead == "-":
        party = after_first != "-" or loose[0] in _TYPE_CODES
    else:
        party = lead in ("", " ") and after_first == "/"
    has_type = party or (loose[0] in _TYPE_CODES and len(loose) > 1)
    state_letter = not party and not has_type and year is None
    runs = ["".join(loose[i:j]) for i in range(len(loose)) for j in range(i + 2, len(loose) + 1)]
    dated = [str(year)] if year else []
    return " ".join([str(serial), *dated, *loose, *runs, *(["CV"] if state_letter else [])])


BATCH = 2000


def fill_words(apps, schema_editor):
    """Written a batch at a time, so that a large register is never held in memory."""
    document = apps.get_model("documents", "Document")
    changed = []
    for row in document.objects.exclude(display="").only("pk", "number").iterator(BATCH):
        words = number_words(row.number)
        if words is None:
            continue
        row.search_key = f" {words} "
        changed.append(row)
        if len(changed) == BATCH:
            document.objects.bulk_update(changed, ["search_key"])
            changed = []
    document.objects.bulk_update(changed, ["search_key"])


def index_words(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {WORDS_INDEX} ON documents_document "
        f"USING gin (({WORDS})) WHERE display <> ''"
    )


def unindex_words(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {WORDS_INDEX}")
    for name, column in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON documents_document "
            f"USING gin ({column} gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("documents", "0005_postgres_number_indexes")]

    operations = [
        migrations.AlterField(
            model_name="document",
            name="search_key",
            field=models.CharField(
                blank=True, default="", max_length=500, verbose_name="khóa tìm số"
            ),
        ),
        migrations.AlterField(
            model_name="historicaldocument",
            name="search_key",
            field=models.CharField(
                blank=True, default="", max_length=500, verbose_name="khóa tìm số"
            ),
        ),
        migrations.RunPython(fill_words, migrations.RunPython.noop),
        migrations.RunPython(index_words, unindex_words),
    ]
