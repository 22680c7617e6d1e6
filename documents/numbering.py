"""Official document numbers ("số, ký hiệu"): parse, format and match them structurally.

The rules are written in docs/numbering.md, cited below by section (§N). In short:

* State documents (Nghị định 30/2020/NĐ-CP, §1.1, §1.3) print `number[/year]/TYPE-ISSUER[-SUB]`
  (`04/CTr-UBND`, `30/2020/NĐ-CP`), a công văn has no type code (`2237/UBND-KT`) and a law
  carries the National Assembly term instead (`80/2015/QH13`).
* Party documents (Quy định 66-QĐ/TW, now 399-QĐ/TW; Hướng dẫn 36-HD/VPTW; §1.2) print
  `number-TYPE/ISSUER` (`341-KH/TU`), never with a year; a công văn has the code `CV`.

Numbers are matched on their parts, never on substrings: `34` must not find `341`, `CT` must
not find `CTr`, and a typed `Đ` must not find `D` (docs/numbering.md §6).
Everything here is a pure function over strings, so it can run in admin forms, imports and
search alike.
"""

import enum
import functools
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from portal.text import clean, fold

PARTY = "party"
STATE = "state"

# (name, state_code, party_code). "" = the type exists but its numbers carry no type code;
# None = the type does not exist in that system. Sources: ND 30 Điều 7 and Phụ lục III,
# QĐ 399-QĐ/TW and HD 36-HD/VPTW, the VBQPPL rules; docs/numbering.md §2.1.
DOCUMENT_TYPES: tuple[tuple[str, str | None, str | None], ...] = (
    # The 29 administrative types of ND 30 with their Party counterparts. Party codes not
    # seen in real numbers (TC, PA, ĐA, DA, BB and the giấy/phiếu papers) follow the State
    # code (§2.1).
    ("Nghị quyết", "NQ", "NQ"),
    ("Quyết định", "QĐ", "QĐ"),
    ("Chỉ thị", "CT", "CT"),
    ("Quy chế", "QC", "QC"),
    ("Quy định", "QyĐ", "QĐ"),  # Party "Quy định" shares QĐ with "Quyết định" (§2.2).
    ("Thông cáo", "TC", "TC"),
    ("Thông báo", "TB", "TB"),
    ("Hướng dẫn", "HD", "HD"),
    ("Chương trình", "CTr", "CTr"),
    ("Kế hoạch", "KH", "KH"),
    ("Phương án", "PA", "PA"),
    ("Đề án", "ĐA", "ĐA"),
    ("Dự án", "DA", "DA"),
    ("Báo cáo", "BC", "BC"),
    ("Biên bản", "BB", "BB"),
    ("Tờ trình", "TTr", "TTr"),
    ("Hợp đồng", "HĐ", None),
    ("Công văn", "", "CV"),
    ("Công điện", "CĐ", None),
    ("Bản ghi nhớ", "BGN", None),
    ("Bản thỏa thuận", "BTT", None),
    ("Giấy ủy quyền", "GUQ", None),
    ("Giấy mời", "GM", "GM"),
    ("Giấy giới thiệu", "GGT", "GGT"),
    ("Giấy nghỉ phép", "GNP", "GNP"),
    ("Phiếu gửi", "PG", "PG"),
    ("Phiếu chuyển", "PC", "PC"),
    ("Phiếu báo", "PB", None),
    ("Thư công", "", ""),
    # Party-only types of QĐ 399. Thông tri `TT` is reported but unverified and clashes with
    # State Thông tư; Quy hoạch `QH`, Giấy chứng nhận and Giấy đi đường are expected codes.
    # The political texts (cương lĩnh, điều lệ, chiến lược, tuyên bố, lời kêu gọi) are not
    # seen with a type code.
    ("Kết luận", None, "KL"),
    ("Thông tri", None, "TT"),
    ("Quy hoạch", None, "QH"),
    ("Giấy chứng nhận", None, "GCN"),
    ("Giấy đi đường", None, "GĐĐ"),
    ("Cương lĩnh chính trị", None, ""),
    ("Điều lệ Đảng", None, ""),
    ("Chiến lược", None, ""),
    ("Tuyên bố", None, ""),
    ("Lời kêu gọi", None, ""),
    # Legal normative documents (§1.3) that plans cite as their basis. Laws, ordinances and
    # Quốc hội resolutions carry the issuer and term only (`80/2015/QH13`). Normative
    # Nghị quyết/Quyết định use the rows above; the year in the number tells them apart.
    ("Luật", "", None),
    ("Pháp lệnh", "", None),
    ("Nghị định", "NĐ", None),
    ("Thông tư", "TT", None),
    ("Thông tư liên tịch", "TTLT", None),
)

_TYPE_CODES = frozenset(code.upper() for _name, *codes in DOCUMENT_TYPES for code in codes if code)


def _loose(code: str) -> str:
    """A code token in capitals with Đ folded to D. Code tokens hold only ASCII letters,
    digits and Đ (`_CODE`), so this equals `fold(code).upper()` at a fraction of the cost."""
    return code.upper().replace("Đ", "D")


_LOOSE_TYPE_CODES = frozenset(_loose(code) for code in _TYPE_CODES)

# Codes whose official spelling keeps lower case (§2.3); everything else is
# printed in capitals. `TTg` (Thủ tướng) is an issuer, `TrS` a copy type.
_OFFICIAL_SPELLINGS = {
    code.upper(): code
    for code in [
        *(code for _name, *codes in DOCUMENT_TYPES for code in codes if code),
        "TTg",
        "TrS",
    ]
}


def _type_words() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Type names folded to ASCII words ("ke hoach"), each mapped to the codes it implies in
    either system, Party first ("quy dinh" → QĐ, QyĐ), for the hints of `parse_query`."""
    implied: dict[tuple[str, ...], tuple[str, ...]] = {}
    for name, state_code, party_code in DOCUMENT_TYPES:
        words = tuple(fold(name).split())
        codes = (*implied.get(words, ()), party_code or "", state_code or "")
        implied[words] = tuple(dict.fromkeys(code for code in codes if code))
    return implied


_TYPE_WORDS = _type_words()
_LONGEST_TYPE_WORDS = max(len(words) for words in _TYPE_WORDS)

# Words around a number that carry no part of it ("Số:", "số, ký hiệu", "văn bản số").
_FILLER_WORDS = frozenset({"so", "hieu", "ky", "van", "ban", "vb", "can", "cu"})
# Words that end the symbol in a query ("341-KH/TU của Thành ủy", §5.4).
_STOP_WORDS = frozenset(
    {"ngay", "cua", "ve", "nam", "thang", "tai", "theo", "va", "ban", "hanh", "trich", "kem"}
)

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_SLASHES = "\u2044\u2215\uff0f\\"
_SEPARATOR_MAP = str.maketrans({**dict.fromkeys(_DASHES, "-"), **dict.fromkeys(_SLASHES, "/")})
_SEPARATORS = ("-", "/", ".")

_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_YEAR = r"(?:19|20)\d\d"
# Dates are not part of a number (§3.3): "ngày 12/6/2025", "ngày 22/9",
# "ngày 25 tháng 9 năm 2023", and a bare d/m/yyyy that no symbol follows.
_DATE = re.compile(
    rf"\bng[aà]y\s*{_DAY}\s*(?:[-/.]\s*{_MONTH}(?:\s*[-/.]\s*{_YEAR})?"
    rf"|th[aá]ng\s*{_MONTH}(?:\s*n[aă]m\s*{_YEAR})?)"
    rf"|\b{_DAY}\s+th[aá]ng\s+{_MONTH}(?:\s+n[aă]m\s+{_YEAR})?"
    rf"|(?<![\w/.-]){_DAY}/{_MONTH}/{_YEAR}(?!\w|\s*[-/]\s*[^\W\d_])",
    re.IGNORECASE,
)
_ABOUT = re.compile(r"\bv/v\b", re.IGNORECASE)  # "v/v" (về việc) introduces the title.
# An issue year or date written after a number: "341-KH/TU 2019", "… năm 2019",
# "… ngày 02/4/2019" (§5.5).
_ISSUE_YEAR_AFTER = re.compile(
    rf"^(?P<number>.*?[^\s,])[\s,]+(?:ban\s+h[aà]nh\s+)?"
    rf"(?:(?:n[aă]m\s+)?(?P<year>{_YEAR})"
    rf"|(?:ng[aà]y\s*)?{_DAY}\s*[-/.]\s*{_MONTH}\s*[-/.]\s*(?P<dated>{_YEAR}))\s*$",
    re.IGNORECASE,
)
_THOUSAND_DOT = re.compile(r"(?<=\d)\.(?=\d{3}(?!\d))")  # "15.260" → "15260" (§3.3)
_WORD = re.compile(r"[^\W_]+")
_DIGITS_THEN_LETTERS = re.compile(r"(\d+)([^\W\d_]\w*)")  # "341KH"
_LETTERS_THEN_DIGITS = re.compile(r"([^\W\d_]+)(\d+)")  # "số31"
# A symbol group: ASCII letters, digits and Đ, with at least one letter ("QH13", "CTr").
_CODE = re.compile(r"[A-Za-z0-9Đđ]*[A-Za-zĐđ][A-Za-z0-9Đđ]*")
_MAX_SERIAL_DIGITS = 7  # the largest serials seen have 5 digits; more is not a number
_MAX_QUERY_LENGTH = 200  # a longer query is prose: leave it to text search


class NumberError(ValueError):
    """Raised by parse_number; str(error) is a clear Vietnamese message for staff."""


@dataclass(frozen=True)
class DocumentNumber:
    """A printed number split into its parts, with its canonical display and search keys
    (docs/numbering.md §4.5, §8)."""

    serial: int  # 341; leading zeros dropped
    year: int | None  # only when printed inside the number: 30/2020/NĐ-CP → 2020
    type_code: str  # official spelling ("KH", "CTr", "NĐ"); "" for a State công văn or a law
    issuer_code: str  # "TU", "UBND", "CP", "QH13"
    sub_unit: str  # further groups: "KT" in 2237/UBND-KT, "VPCP" in …/TTLT-BNV-VPCP
    system: str  # PARTY or STATE
    display: str  # canonical: "341-KH/TU", "04/CTr-UBND", "30/2020/NĐ-CP", "09-QC/TU"
    tokens: tuple[str, ...]  # symbol groups in capitals, Đ kept: ("NĐ", "CP")
    loose_tokens: tuple[str, ...]  # the same folded to ASCII: ("ND", "CP")
    search_key: str  # "30 2020 ND CP NDCP": the words a number search finds it by (`_search_key`)


@dataclass(frozen=True)
class NumberQuery:
    """What a reviewer typed, read as a number; parts left out are None or empty."""

    serial: int | None  # None for a symbol alone ("KH/TU")
    year: int | None  # a year typed inside the number ("30/2020")
    tokens: tuple[str, ...]  # symbol groups in capitals, Đ only where typed ("QD", "HĐ")
    type_hints: tuple[str, ...]  # codes implied by type words ("Kế hoạch" → "KH"); rank only
    loose_tokens: tuple[str, ...]  # tokens folded to ASCII, for a database prefilter


class Match(enum.IntEnum):
    """How well a number answers a query; higher is better."""

    PARTIAL = 1  # everything typed agrees, but the query leaves parts out ("341", "KH/TU")
    LOOSE = 2  # complete, and agrees once Đ is folded to D ("30/2020/ND-CP")
    EXACT = 3  # complete, and agrees as typed (case aside)


# A token with the separator printed before it: "", " ", "-", "/" or ".".
_Item = tuple[str, str]


@functools.lru_cache(maxsize=4096)
def parse_number(text: str) -> DocumentNumber:
    """Parse a printed number as staff paste it ("Số: 341 – KH / TU") into its parts.

    The system follows from the shape (docs/numbering.md §4.4): `n-TYPE/ISSUER` is Party,
    `n/[year/]TYPE-ISSUER` and `n/ISSUER-SUB` are State. Known wrong separators (§4.5:
    `72-NQ-TW`, `82/2005-QĐ-UBND`, `44 /2005/QĐ-UBND`) are rebuilt; forms with dots
    (`1759/QĐ.CT.UBT`) keep their cleaned raw form as display.

    Cached: a number search re-parses the same stored numbers for every query, and the
    result is immutable.
    """
    if not text.strip():
        raise NumberError(_("Chưa nhập số, ký hiệu."))
    items = _items(text)
    start = _serial_index(items)
    if start is None:
        message = (
            _("%(text)s chưa có số thứ tự (văn bản dự thảo chưa cấp số?).")
            if any(separator in ("-", "/") for separator, _token in items)
            else _("%(text)s không phải là số, ký hiệu văn bản.")
        )
        raise NumberError(message % {"text": _quoted(text)})
    serial = _serial(items[start][1])
    if serial is None:
        raise NumberError(_("Số thứ tự “%(serial)s” không hợp lệ.") % {"serial": items[start][1]})
    year, rest = _split_year(items[start + 1 :])
    symbol = _leading_codes(rest, stop_at_space=True)
    if not symbol:
        raise NumberError(
            _("Số %(serial)02d thiếu ký hiệu (ví dụ 341-KH/TU hoặc 04/CTr-UBND): %(text)s.")
            % {"serial": serial, "text": _quoted(text)}
        )
    if symbol[0][0] in ("", " ") and len(symbol) == 1:
        raise NumberError(
            _("Thiếu dấu “/” hoặc “-” giữa số và ký hiệu: %(text)s.") % {"text": _quoted(text)}
        )
    return _build(serial, year, symbol)


def parse_query(text: str) -> NumberQuery | None:
    """Read a reviewer's query as a number, or return None when it is not one.

    Follows docs/numbering.md §5: clean Unicode, drop dates, filler words and thousand
    dots (§3), then read an optional prefix (type words become ranking
    hints, type codes such as "kh 341" required tokens), the serial, a year directly
    after it and the symbol tokens up to a stop word. Words that are neither filler nor
    type words make the text prose ("tô lịch 2025" → None) unless a symbol with a
    separator follows the serial ("Quy chế làm việc số 09-QC/TU").
    """
    if len(text) > _MAX_QUERY_LENGTH:
        return None
    items = _items(text)
    start = _serial_index(items)
    if start is None:
        return _query_without_serial(items)
    serial = _serial(items[start][1])
    if serial is None:
        return None
    hints, prefix_tokens, has_prose = _read_prefix(items[:start])
    year, rest = _split_year(items[start + 1 :], allow_space=True)
    symbol = _leading_codes(rest, stop_at_space=False)
    if has_prose and (not symbol or symbol[0][0] not in ("-", "/")):
        return None
    after = tuple(token.upper() for _sep, token in symbol)
    # A type code before the serial is required unless the symbol repeats it ("QĐ 7799-QĐ/TU");
    # in prose it is just a word.
    typed_after = {_loose(token) for token in after}
    before = () if has_prose else tuple(t for t in prefix_tokens if _loose(t) not in typed_after)
    return _query(serial, year, (*before, *after), hints)


def split_issue_year(text: str) -> tuple[str, int | None]:
    """A number query and the issue year written after it, or (`text`, None) (§5.5).

    "341-KH/TU 2019" is the plan 341-KH/TU issued in 2019, since Party numbers are reused
    in every term. Only a year after a whole number (a serial and a symbol) counts:
    "7799 2024" stays a serial and a year that the number search reads (§5.3).
    """
    written = _ISSUE_YEAR_AFTER.match(text.strip())
    if written is None:
        return text, None
    query = parse_query(written["number"])
    if query is None or query.serial is None or not query.loose_tokens:
        return text, None
    return written["number"], int(written["year"] or written["dated"])


def match(query: NumberQuery, number: DocumentNumber) -> Match | None:
    """How `number` answers `query`, or None when it does not (docs/numbering.md §6).

    Serials compare as integers and years must agree when the query has one. Query tokens
    must appear whole and in order among the number's tokens (skipping allowed), or, as a
    fallback, their concatenation must equal consecutive number tokens ("UBKT TU" =
    "UBKTTU"). A complete query (serial, the year if the number has one, every token) is
    EXACT when every token agrees as typed and LOOSE when one needed Đ→D folding.
    """
    if query.serial is not None and query.serial != number.serial:
        return None
    if query.year is not None and query.year != number.year:
        return None
    alignment = _in_order(query, number) or _concatenated(query, number)
    if alignment is None:
        return None
    covers_all, strict = alignment
    if query.serial is None or query.year != number.year or not covers_all:
        return Match.PARTIAL
    return Match.EXACT if strict else Match.LOOSE


def complete_symbols(query: NumberQuery) -> frozenset[str]:
    """The symbols (loose tokens joined, a number's `symbol_compact`) of every number that
    `query` may match completely (EXACT or LOOSE; docs/numbering.md §6.4, §8): all its
    tokens joined, or without a leading "CV" (the virtual type of a State công văn). Empty
    when the query cannot be complete: without a serial or a symbol, every match is PARTIAL.

    A complete match pairs every number token with one query token in order, or the
    query's letters joined with all of them, so the joined loose forms are equal."""
    if query.serial is None or not query.tokens:
        return frozenset()
    symbols = {"".join(query.loose_tokens)}
    if query.loose_tokens[0] == "CV" and len(query.loose_tokens) > 1:
        symbols.add("".join(query.loose_tokens[1:]))
    return frozenset(symbols)


def rank_key(query: NumberQuery, number: DocumentNumber, match: Match) -> tuple[int, int]:
    """Sort key, higher first: match strength, then agreement with the type words typed.

    A type word that agrees ranks up and one that conflicts ranks down, but never filters
    (docs/numbering.md §7). Callers break ties by issue date, newest first.
    """
    return (int(match), _hint_agreement(query, number))


def _quoted(text: str, limit: int = 60) -> str:
    """`text` in quotes for an error message, shortened so a pasted paragraph stays readable."""
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


# Cleaning and tokenising (docs/numbering.md §3).


def _items(text: str) -> list[_Item]:
    """Clean `text` and split it into tokens, each with the separator printed before it.

    ASCII text skips `clean`: NFKC leaves it unchanged and it has no Cf or Đ look-alike
    characters, and most stored numbers and queries are ASCII.
    """
    text = (text if text.isascii() else clean(text)).translate(_SEPARATOR_MAP)
    text = _THOUSAND_DOT.sub("", _ABOUT.sub(" về ", _DATE.sub(" ", text)))
    items: list[_Item] = []
    end = 0
    for word in _WORD.finditer(text):
        separator = _separator(text[end : word.start()])
        end = word.end()
        for index, token in enumerate(_unglue(word.group())):
            items.append((separator if index == 0 else "", token))
    return items


def _separator(gap: str) -> str:
    """Reduce the text between two tokens to one separator; spaces around it do not count."""
    stripped = gap.strip()
    if stripped in _SEPARATORS:
        return stripped
    return " " if gap else ""


def _unglue(token: str) -> tuple[str, ...]:
    """Split a serial glued to letters ("341KH", "số31") but keep codes like "QH13" whole."""
    if glued := _DIGITS_THEN_LETTERS.fullmatch(token):
        return glued.groups()
    if (glued := _LETTERS_THEN_DIGITS.fullmatch(token)) and fold(glued[1]) == "so":
        return glued.groups()
    return (token,)


def _serial_index(items: list[_Item]) -> int | None:
    return next((i for i, (_sep, token) in enumerate(items) if _is_digits(token)), None)


def _is_digits(token: str) -> bool:
    return token.isascii() and token.isdigit()


def _serial(token: str) -> int | None:
    """The serial without leading zeros, or None when it cannot be one (0, too long)."""
    if len(token.lstrip("0")) > _MAX_SERIAL_DIGITS or int(token) == 0:
        return None
    return int(token)


def _split_year(items: list[_Item], allow_space: bool = False) -> tuple[int | None, list[_Item]]:
    """Take a 19xx/20xx year printed directly after the serial (`30/2020/NĐ-CP`, §4.2).

    In a query a space may stand for the slash ("30 2020 nd cp"), but only when a symbol
    follows: "7799 2024" is a serial and a stray year, not a normative number.
    """
    if not items or not _is_digits(items[0][1]) or not re.fullmatch(_YEAR, items[0][1]):
        return None, items
    separator = items[0][0]
    if separator in ("-", "/") or (
        allow_space and separator == " " and len(items) > 1 and _CODE.fullmatch(items[1][1])
    ):
        return int(items[0][1]), items[1:]
    return None, items


def _leading_codes(items: list[_Item], stop_at_space: bool) -> list[_Item]:
    """The symbol groups at the start of `items`: code tokens up to a stop word or digits.

    A printed number has no spaces inside its symbol (§4.3), so for
    `parse_number` a space after the first group ends it ("341-KH/TU ngay…").
    """
    symbol: list[_Item] = []
    for separator, token in items:
        if not _CODE.fullmatch(token) or token.lower() in _STOP_WORDS:
            break
        if symbol and stop_at_space and separator not in _SEPARATORS:
            break
        symbol.append((separator, token))
    return symbol


# Building a DocumentNumber.


def _build(serial: int, year: int | None, symbol: list[_Item]) -> DocumentNumber:
    """Assign the symbol groups to their parts and format the display for the system."""
    lead = symbol[0][0]
    separators = [separator for separator, _token in symbol[1:]]
    codes = [_official_spelling(token) for _separator, token in symbol]
    system = _system(year, lead, separators, codes[0])
    if system == PARTY:
        type_code, rest = codes[0], codes[1:]
    else:
        has_type = _loose(codes[0]) in _LOOSE_TYPE_CODES and len(codes) > 1
        type_code, rest = (codes[0], codes[1:]) if has_type else ("", codes)
    issuer_code, sub_unit = rest[0] if rest else "", "-".join(rest[1:])
    printed = [lead, *separators]
    if "." in printed or not issuer_code:
        display = _raw_display(serial, year, printed, codes)
    elif system == PARTY:
        display = f"{serial:02d}-{type_code}/{'-'.join(rest)}"
    else:
        display = f"{serial:02d}" + (f"/{year}" if year else "") + "/" + "-".join(codes)
    tokens = tuple(code.upper() for code in codes)
    loose_tokens = tuple(_loose(token) for token in tokens)
    return DocumentNumber(
        serial=serial,
        year=year,
        type_code=type_code,
        issuer_code=issuer_code,
        sub_unit=sub_unit,
        system=system,
        display=display,
        tokens=tokens,
        loose_tokens=loose_tokens,
        search_key=_search_key(
            serial,
            year,
            loose_tokens,
            state_letter=_state_letter(system, type_code, year),
        ),
    )


def _search_key(serial: int, year: int | None, loose: tuple[str, ...], state_letter: bool) -> str:
    """The words a number search finds a number by (docs/numbering.md §8), space-separated:
    the serial, the year, the symbol tokens with Đ folded, every run of consecutive tokens
    joined (`match` lets "UBKT TU" find UBKTTU and "UBKTTU" find UBKT-TU) and "CV" for a
    State công văn, which prints no type code. A query can match only a number holding all
    its tokens, or its tokens joined, among these words."""
    runs = ["".join(loose[i:j]) for i in range(len(loose)) for j in range(i + 2, len(loose) + 1)]
    dated = [str(year)] if year else []
    return " ".join([str(serial), *dated, *loose, *runs, *(["CV"] if state_letter else [])])


def _raw_display(serial: int, year: int | None, printed: list[str], codes: list[str]) -> str:
    """The cleaned raw form of a symbol that does not parse cleanly (§4.5): the printed
    separators kept, only the one after a year made a slash (`1759/QĐ.CT.UBT`, `12-QĐ`)."""
    if year:
        printed = ["/", *printed[1:]]
    symbol = "".join(separator + code for separator, code in zip(printed, codes, strict=True))
    return f"{serial:02d}" + (f"/{year}" if year else "") + symbol


def _system(year: int | None, lead: str, separators: list[str], first_code: str) -> str:
    """Party numbers are `n-TYPE/ISSUER` and never carry a year (§1.2, §4.4); the rest is State.

    A slash after the first group decides (`341-KH/TU`, `341 KH/TU`). With dashes only
    (`72-NQ-TW`) the first group must be a type code: a State công văn typed with
    dashes (`2237-UBND-KT`) starts with its issuer.
    """
    after_first = separators[0] if separators else ""
    if year is not None:
        return STATE
    if lead == "-":
        return PARTY if after_first != "-" or _loose(first_code) in _LOOSE_TYPE_CODES else STATE
    return PARTY if lead in ("", " ") and after_first == "/" else STATE


def _official_spelling(token: str) -> str:
    """`Ctr`/`CTR` → `CTr`, `QYĐ` → `QyĐ`, `TTG` → `TTg`; other codes in capitals (§2.3)."""
    upper = token.upper()
    return _OFFICIAL_SPELLINGS.get(upper, upper)


# Reading a query.


def _read_prefix(items: list[_Item]) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """Read the words before the serial: (type hints, required type codes, has prose)."""
    words = [fold(token) for _sep, token in items]
    hints: list[str] = []
    codes: list[str] = []
    has_prose = False
    index = 0
    while index < len(words):
        length, implied = _type_words_at(words, index)
        if length:
            hints.extend(implied)
            index += length
            continue
        token = items[index][1]
        if _is_type_code(token):
            codes.append(token.upper())
        elif words[index] not in _FILLER_WORDS:
            has_prose = True
        index += 1
    return tuple(dict.fromkeys(hints)), tuple(codes), has_prose


def _type_words_at(words: list[str], index: int) -> tuple[int, tuple[str, ...]]:
    """The longest type name starting at `words[index]`: (its length in words, its codes)."""
    for length in range(min(_LONGEST_TYPE_WORDS, len(words) - index), 0, -1):
        implied = _TYPE_WORDS.get(tuple(words[index : index + length]))
        if implied is not None:
            return length, implied
    return 0, ()


def _is_type_code(token: str) -> bool:
    return bool(_CODE.fullmatch(token)) and _loose(token) in _LOOSE_TYPE_CODES


def _query_without_serial(items: list[_Item]) -> NumberQuery | None:
    """A symbol alone ("KH/TU", "kh tu"): two to six code tokens led by a type code or
    joined by a slash, so that plain words ("ho tay") stay a text search."""
    tokens = [token for _sep, token in items]
    if not 2 <= len(tokens) <= 6 or not all(_CODE.fullmatch(token) for token in tokens):
        return None
    if any(token.lower() in _STOP_WORDS | _FILLER_WORDS for token in tokens):
        return None
    if not (_is_type_code(tokens[0]) or any(sep == "/" for sep, _token in items[1:])):
        return None
    return _query(None, None, tuple(token.upper() for token in tokens), ())


def _query(
    serial: int | None, year: int | None, tokens: tuple[str, ...], hints: tuple[str, ...]
) -> NumberQuery:
    return NumberQuery(
        serial=serial,
        year=year,
        tokens=tokens,
        type_hints=hints,
        loose_tokens=tuple(_loose(token) for token in tokens),
    )


# Matching.


def _is_state_letter(number: DocumentNumber) -> bool:
    return _state_letter(number.system, number.type_code, number.year)


def _state_letter(system: str, type_code: str, year: int | None) -> bool:
    """A State công văn: no type code and no year (a law has a year)."""
    return system == STATE and not type_code and year is None


def _agreement(typed: str, typed_loose: str, token: str, token_loose: str) -> bool | None:
    """True when a query token equals a number token as typed, False when only after
    Đ→D folding, None when they differ. A typed Đ must match strictly (`HĐ` ≠ `HD`)."""
    if typed == token:
        return True
    if "Đ" not in typed and typed_loose == token_loose:
        return False
    return None


def _in_order(query: NumberQuery, number: DocumentNumber) -> tuple[bool, bool] | None:
    """Query tokens as an in-order subsequence of the number's: (covers all, strict).

    A State công văn gets a virtual leading "CV" so that `cv 2237` finds `2237/UBND-KT`;
    it is never required for completeness (docs/numbering.md §6.2, §6.3).
    """
    candidates = [
        (token, loose, False)
        for token, loose in zip(number.tokens, number.loose_tokens, strict=True)
    ]
    if _is_state_letter(number):
        candidates.insert(0, ("CV", "CV", True))
    matched = 0
    strict = True
    position = 0
    for typed, typed_loose in zip(query.tokens, query.loose_tokens, strict=True):
        while position < len(candidates):
            token, token_loose, virtual = candidates[position]
            position += 1
            agreement = _agreement(typed, typed_loose, token, token_loose)
            if agreement is not None:
                matched += not virtual
                strict = strict and agreement
                break
        else:
            return None
    return matched == len(number.tokens), strict


def _concatenated(query: NumberQuery, number: DocumentNumber) -> tuple[bool, bool] | None:
    """Fallback (docs/numbering.md §6.3): the query letters joined equal consecutive number
    tokens joined ("UBKT TU" = "UBKTTU", "TB-MTTQ" = "TBMTTQ"). Returns (covers all, strict)."""
    typed = "".join(query.tokens)
    typed_loose = "".join(query.loose_tokens)
    count = len(number.tokens)
    for first in range(count):
        for last in range(first + 1, count + 1):
            agreement = _agreement(
                typed,
                typed_loose,
                "".join(number.tokens[first:last]),
                "".join(number.loose_tokens[first:last]),
            )
            if agreement is not None:
                return (first == 0 and last == count), agreement
    return None


def _hint_agreement(query: NumberQuery, number: DocumentNumber) -> int:
    """1 when a typed type word names the number's type, -1 when it names another, else 0."""
    if not query.type_hints:
        return 0
    code = "CV" if _is_state_letter(number) else number.type_code
    return 1 if code.upper() in {hint.upper() for hint in query.type_hints} else -1
