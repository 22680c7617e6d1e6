"""Tables for documents.numbering, following the rules in docs/numbering.md (§N below).

No database: these are plain functions. Invisible and look-alike characters are written as
escapes so that the tables show what each case is about.
"""

import pytest

from documents.numbering import (
    DOCUMENT_TYPES,
    PARTY,
    STATE,
    Match,
    NumberError,
    match,
    parse_number,
    parse_query,
    rank_key,
)

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"
ZWSP = "\u200b"
BOM = "\ufeff"
SOFT_HYPHEN = "\u00ad"
ETH = "\u00d0"  # Ð, looks like Đ
ETH_LOWER = "\u00f0"  # ð

# (text, display, serial, year, type_code, issuer_code, sub_unit, system)
PARSED = [
    # Party: n-TYPE/ISSUER (§1.2).
    ("341-KH/TU", "341-KH/TU", 341, None, "KH", "TU", "", PARTY),
    ("Số 341-KH/TU", "341-KH/TU", 341, None, "KH", "TU", "", PARTY),
    ("Số: 341-KH/TU", "341-KH/TU", 341, None, "KH", "TU", "", PARTY),
    ("Kế hoạch số 341-KH/TU", "341-KH/TU", 341, None, "KH", "TU", "", PARTY),
    ("Kế hoạch số 341-KH/TU ngày 12/6/2025", "341-KH/TU", 341, None, "KH", "TU", "", PARTY),
    ("Quyết định số 7799-QĐ/TU", "7799-QĐ/TU", 7799, None, "QĐ", "TU", "", PARTY),
    ("9-QC/TU", "09-QC/TU", 9, None, "QC", "TU", "", PARTY),
    ("09-QC/TU", "09-QC/TU", 9, None, "QC", "TU", "", PARTY),
    ("0009-QC/TU", "09-QC/TU", 9, None, "QC", "TU", "", PARTY),
    ("59-CV/TU", "59-CV/TU", 59, None, "CV", "TU", "", PARTY),
    ("3398-CV/BTGTU", "3398-CV/BTGTU", 3398, None, "CV", "BTGTU", "", PARTY),
    ("134-CV/UBKTTU", "134-CV/UBKTTU", 134, None, "CV", "UBKTTU", "", PARTY),
    ("06-CTr/TU", "06-CTr/TU", 6, None, "CTr", "TU", "", PARTY),
    ("65-Ctr/TU", "65-CTr/TU", 65, None, "CTr", "TU", "", PARTY),
    ("17-TTR/ĐU", "17-TTr/ĐU", 17, None, "TTr", "ĐU", "", PARTY),
    ("36-HD/VPTW", "36-HD/VPTW", 36, None, "HD", "VPTW", "", PARTY),
    ("212-QĐ/ĐUK", "212-QĐ/ĐUK", 212, None, "QĐ", "ĐUK", "", PARTY),
    ("45-KL/TW", "45-KL/TW", 45, None, "KL", "TW", "", PARTY),
    ("341-kh/tu", "341-KH/TU", 341, None, "KH", "TU", "", PARTY),
    # State: n[/year]/TYPE-ISSUER, công văn n/ISSUER-SUB (§1.1, §1.3).
    ("04/CTr-UBND", "04/CTr-UBND", 4, None, "CTr", "UBND", "", STATE),
    ("Số: 04/CTr-UBND", "04/CTr-UBND", 4, None, "CTr", "UBND", "", STATE),
    ("04/CTR-UBND", "04/CTr-UBND", 4, None, "CTr", "UBND", "", STATE),
    ("03/CT-UBND", "03/CT-UBND", 3, None, "CT", "UBND", "", STATE),
    ("6438/QĐ-UBND", "6438/QĐ-UBND", 6438, None, "QĐ", "UBND", "", STATE),
    ("12/QYĐ-UBND", "12/QyĐ-UBND", 12, None, "QyĐ", "UBND", "", STATE),
    ("5/TTr-UBND", "05/TTr-UBND", 5, None, "TTr", "UBND", "", STATE),
    ("2099/QĐ-TTG", "2099/QĐ-TTg", 2099, None, "QĐ", "TTg", "", STATE),
    ("43/NQ-HĐND", "43/NQ-HĐND", 43, None, "NQ", "HĐND", "", STATE),
    ("2237/UBND-KT", "2237/UBND-KT", 2237, None, "", "UBND", "KT", STATE),
    ("3175/UBND-ĐT", "3175/UBND-ĐT", 3175, None, "", "UBND", "ĐT", STATE),
    ("15260/UBND-KGVX", "15260/UBND-KGVX", 15260, None, "", "UBND", "KGVX", STATE),
    ("15.260/UBND-KGVX", "15260/UBND-KGVX", 15260, None, "", "UBND", "KGVX", STATE),
    ("249/MTTQ-BTT", "249/MTTQ-BTT", 249, None, "", "MTTQ", "BTT", STATE),
    ("30/2020/NĐ-CP", "30/2020/NĐ-CP", 30, 2020, "NĐ", "CP", "", STATE),
    ("Nghị định 30/2020/NĐ-CP", "30/2020/NĐ-CP", 30, 2020, "NĐ", "CP", "", STATE),
    ("01/2011/TT-BNV", "01/2011/TT-BNV", 1, 2011, "TT", "BNV", "", STATE),
    ("05/2019/NQ-HĐND", "05/2019/NQ-HĐND", 5, 2019, "NQ", "HĐND", "", STATE),
    ("02/2026/QĐ-CTUBND", "02/2026/QĐ-CTUBND", 2, 2026, "QĐ", "CTUBND", "", STATE),
    ("36/2006/CT-TTG", "36/2006/CT-TTg", 36, 2006, "CT", "TTg", "", STATE),
    ("55/2005/TTLT-BNV-VPCP", "55/2005/TTLT-BNV-VPCP", 55, 2005, "TTLT", "BNV", "VPCP", STATE),
    ("80/2015/QH13", "80/2015/QH13", 80, 2015, "", "QH13", "", STATE),
    ("Luật số 64/2025/QH15", "64/2025/QH15", 64, 2025, "", "QH15", "", STATE),
    # Look-alikes, Unicode dashes, slashes, spaces and invisible characters (§3.1, §3.2).
    (f"7799-Q{ETH}/TU", "7799-QĐ/TU", 7799, None, "QĐ", "TU", "", PARTY),
    (f"7799-q{ETH_LOWER}/tu", "7799-QĐ/TU", 7799, None, "QĐ", "TU", "", PARTY),
    (f"43/NQ-H{ETH}ND", "43/NQ-HĐND", 43, None, "NQ", "HĐND", "", STATE),
    ("341 \u2013 KH / TU", "341-KH/TU", 341, None, "KH", "TU", "", PARTY),
    ("341\u2014KH/TU", "341-KH/TU", 341, None, "KH", "TU", "", PARTY),
    ("341\u2010KH/TU", "341-KH/TU", 341, None, "KH", "TU", "", PARTY),
    ("341\u2011KH/TU", "341-KH/TU", 341, None, "KH", "TU", "", PARTY),
    ("341\u2212KH/TU", "341-KH/TU", 341, None, "KH", "TU", "", PARTY),
    ("341\uff0dKH\uff0fTU", "341-KH/TU", 341, None, "KH", "TU", "", PARTY),
    ("04\u2044CTr-UBND", "04/CTr-UBND", 4, None, "CTr", "UBND", "", STATE),
    ("04\u2215CTr\u2013UBND", "04/CTr-UBND", 4, None, "CTr", "UBND", "", STATE),
    (f"Số:{NBSP}341-KH/TU", "341-KH/TU", 341, None, "KH", "TU", "", PARTY),
    (f"341{NARROW_NBSP}-{NARROW_NBSP}KH/TU", "341-KH/TU", 341, None, "KH", "TU", "", PARTY),
    (f"{BOM}341-KH/TU", "341-KH/TU", 341, None, "KH", "TU", "", PARTY),
    (f"34{ZWSP}1-KH/T{ZWSP}U", "341-KH/TU", 341, None, "KH", "TU", "", PARTY),
    (f"341-KH/{SOFT_HYPHEN}TU", "341-KH/TU", 341, None, "KH", "TU", "", PARTY),
    ("\uff13\uff14\uff11-KH/TU", "341-KH/TU", 341, None, "KH", "TU", "", PARTY),
    ("Quye\u0301t đi\u0323nh 7799-QĐ/TU", "7799-QĐ/TU", 7799, None, "QĐ", "TU", "", PARTY),
    # Wrong separators seen in real documents are rebuilt for the system (§4.5).
    ("72-NQ-TW", "72-NQ/TW", 72, None, "NQ", "TW", "", PARTY),
    ("82/2005-QĐ-UBND", "82/2005/QĐ-UBND", 82, 2005, "QĐ", "UBND", "", STATE),
    ("44 /2005/QĐ-UBND", "44/2005/QĐ-UBND", 44, 2005, "QĐ", "UBND", "", STATE),
    ("1206 /QĐ-HVTC", "1206/QĐ-HVTC", 1206, None, "QĐ", "HVTC", "", STATE),
    ("số31-QĐ/TW", "31-QĐ/TW", 31, None, "QĐ", "TW", "", PARTY),
    ("341 KH/TU", "341-KH/TU", 341, None, "KH", "TU", "", PARTY),
    ("04/CTr/UBND", "04/CTr-UBND", 4, None, "CTr", "UBND", "", STATE),
    # Historic oddities keep their cleaned raw form (§4.5).
    ("1759/QĐ.CT.UBT", "1759/QĐ.CT.UBT", 1759, None, "QĐ", "CT", "UBT", STATE),
    ("1759 / qđ.ct.ubt", "1759/QĐ.CT.UBT", 1759, None, "QĐ", "CT", "UBT", STATE),
    ("90/TBMTTQ-BTT", "90/TBMTTQ-BTT", 90, None, "", "TBMTTQ", "BTT", STATE),
    ("1759/2003.QĐ.UB", "1759/2003/QĐ.UB", 1759, 2003, "QĐ", "UB", "", STATE),
    ("12-QĐ", "12-QĐ", 12, None, "QĐ", "", "", PARTY),
    # A State công văn typed with dashes starts with its issuer, not a type code.
    ("2237-UBND-KT", "2237/UBND-KT", 2237, None, "", "UBND", "KT", STATE),
    ("7799-Q\u0189/TU", "7799-QĐ/TU", 7799, None, "QĐ", "TU", "", PARTY),
    ("341\u2007-\u2007KH/TU", "341-KH/TU", 341, None, "KH", "TU", "", PARTY),
    ("341-KH/TU\n", "341-KH/TU", 341, None, "KH", "TU", "", PARTY),
]


@pytest.mark.parametrize(
    ("text", "display", "serial", "year", "type_code", "issuer_code", "sub_unit", "system"),
    PARSED,
)
def test_parse_number(text, display, serial, year, type_code, issuer_code, sub_unit, system):
    number = parse_number(text)
    assert (
        number.display,
        number.serial,
        number.year,
        number.type_code,
        number.issuer_code,
        number.sub_unit,
        number.system,
    ) == (display, serial, year, type_code, issuer_code, sub_unit, system)


@pytest.mark.parametrize(
    ("text", "tokens", "loose_tokens", "search_key"),
    [
        ("341-KH/TU", ("KH", "TU"), ("KH", "TU"), "341 KH TU KHTU"),
        ("30/2020/NĐ-CP", ("NĐ", "CP"), ("ND", "CP"), "30 2020 ND CP NDCP"),
        ("2237/UBND-KT", ("UBND", "KT"), ("UBND", "KT"), "2237 UBND KT UBNDKT CV"),
        ("04/CTr-UBND", ("CTR", "UBND"), ("CTR", "UBND"), "4 CTR UBND CTRUBND"),
        ("12/QyĐ-UBND", ("QYĐ", "UBND"), ("QYD", "UBND"), "12 QYD UBND QYDUBND"),
        ("80/2015/QH13", ("QH13",), ("QH13",), "80 2015 QH13"),
        (
            "55/2005/TTLT-BNV-VPCP",
            ("TTLT", "BNV", "VPCP"),
            ("TTLT", "BNV", "VPCP"),
            "55 2005 TTLT BNV VPCP TTLTBNV TTLTBNVVPCP BNVVPCP",
        ),
        (
            "1759/QĐ.CT.UBT",
            ("QĐ", "CT", "UBT"),
            ("QD", "CT", "UBT"),
            "1759 QD CT UBT QDCT QDCTUBT CTUBT",
        ),
    ],
)
def test_parse_number_keys(text, tokens, loose_tokens, search_key):
    number = parse_number(text)
    assert number.tokens == tokens
    assert number.loose_tokens == loose_tokens
    assert number.search_key == search_key


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Chưa nhập số, ký hiệu"),
        ("   ", "Chưa nhập số, ký hiệu"),
        ("Số: /HC-TH", "chưa có số thứ tự"),
        ("Số: /HC-TH ngày 12/6/2025", "chưa có số thứ tự"),
        ("KH/TU", "chưa có số thứ tự"),
        ("Kế hoạch", "không phải là số, ký hiệu"),
        ("12/6/2025", "không phải là số, ký hiệu"),
        ("341", "thiếu ký hiệu"),
        ("Số 12", "thiếu ký hiệu"),
        ("341-", "thiếu ký hiệu"),
        ("12/2020", "thiếu ký hiệu"),
        ("341 KH", "Thiếu dấu"),
        ("0-KH/TU", "không hợp lệ"),
        ("00/UBND-KT", "không hợp lệ"),
        ("123456789-KH/TU", "không hợp lệ"),
    ],
)
def test_parse_number_refuses(text, message):
    with pytest.raises(NumberError, match=message):
        parse_number(text)


def test_number_error_is_a_value_error_with_a_short_message():
    with pytest.raises(ValueError) as error:
        parse_number("tô lịch " * 1000)
    assert len(str(error.value)) < 120


# (text, serial, year, tokens, type_hints)
QUERIES = [
    ("341", 341, None, (), ()),
    ("7799", 7799, None, (), ()),
    ("kh 341", 341, None, ("KH",), ()),
    ("KH 341 TU", 341, None, ("KH", "TU"), ()),
    ("341 KH TU", 341, None, ("KH", "TU"), ()),
    ("341 kh tu", 341, None, ("KH", "TU"), ()),
    ("341/KH-TU", 341, None, ("KH", "TU"), ()),
    ("341-KH/TU", 341, None, ("KH", "TU"), ()),
    ("341KH/TU", 341, None, ("KH", "TU"), ()),
    ("KH/TU", None, None, ("KH", "TU"), ()),
    ("kh tu", None, None, ("KH", "TU"), ()),
    ("CV/UBKTTU", None, None, ("CV", "UBKTTU"), ()),
    ("số 341", 341, None, (), ()),
    ("Số: 341", 341, None, (), ()),
    ("so 341", 341, None, (), ()),
    ("số341", 341, None, (), ()),
    ("Kế hoạch số 341-KH/TU", 341, None, ("KH", "TU"), ("KH",)),
    ("ke hoach so 341", 341, None, (), ("KH",)),
    ("Quyết định số 7799", 7799, None, (), ("QĐ",)),
    ("Quy định 66", 66, None, (), ("QĐ", "QyĐ")),
    ("Quy dinh 66", 66, None, (), ("QĐ", "QyĐ")),
    ("Chương trình 04", 4, None, (), ("CTr",)),
    ("Công văn 2237", 2237, None, (), ("CV",)),
    ("Thông tư liên tịch 55/2005", 55, 2005, (), ("TTLT",)),
    ("qd 7799", 7799, None, ("QD",), ()),
    ("QĐ 7799", 7799, None, ("QĐ",), ()),
    ("nđ 30/2020", 30, 2020, ("NĐ",), ()),
    ("cv 2237", 2237, None, ("CV",), ()),
    ("ctr 04", 4, None, ("CTR",), ()),
    ("TTR 5", 5, None, ("TTR",), ()),
    ("QYĐ 12", 12, None, ("QYĐ",), ()),
    ("30/2020/ND-CP", 30, 2020, ("ND", "CP"), ()),
    ("30/2020/NĐ-CP", 30, 2020, ("NĐ", "CP"), ()),
    ("30 2020 nd cp", 30, 2020, ("ND", "CP"), ()),
    ("30/2020", 30, 2020, (), ()),
    ("80/2015/QH13", 80, 2015, ("QH13",), ()),
    ("7799 2024", 7799, None, (), ()),
    ("2099-QD-TTg-2017", 2099, None, ("QD", "TTG"), ()),
    ("Quyet-dinh-2099-QD-TTg-2017", 2099, None, ("QD", "TTG"), ("QĐ",)),
    ("15.260", 15260, None, (), ()),
    ("15.260/UBND-KGVX", 15260, None, ("UBND", "KGVX"), ()),
    ("2237 UBND", 2237, None, ("UBND",), ()),
    (f"7799-Q{ETH}/TU", 7799, None, ("QĐ", "TU"), ()),
    (f"7799 q{ETH_LOWER}", 7799, None, ("QĐ",), ()),
    ("341 \u2013 KH \u2014 TU", 341, None, ("KH", "TU"), ()),
    ("341\uff0fKH\u2044TU", 341, None, ("KH", "TU"), ()),
    (f"{BOM}34{ZWSP}1{NBSP}KH{NARROW_NBSP}TU{SOFT_HYPHEN}", 341, None, ("KH", "TU"), ()),
    ("341-KH/TU ngày 12/6/2025", 341, None, ("KH", "TU"), ()),
    ("ngày 12/6/2025 số 341-KH/TU", 341, None, ("KH", "TU"), ()),
    ("341-KH/TU ngay 12.6.2025", 341, None, ("KH", "TU"), ()),
    ("341-KH/TU ngày 25 tháng 9 năm 2023", 341, None, ("KH", "TU"), ()),
    ("341 12/6/2025", 341, None, (), ()),
    ("Quyết định số 7799-QĐ/TU ngày 14/11/2024 của Thành ủy", 7799, None, ("QĐ", "TU"), ("QĐ",)),
    ("341-KH/TU v/v thí điểm", 341, None, ("KH", "TU"), ()),
    ("Quy chế làm việc số 09-QC/TU", 9, None, ("QC", "TU"), ("QC",)),
    ("134 UBKT TU", 134, None, ("UBKT", "TU"), ()),
    ("kh 341-KH/TU", 341, None, ("KH", "TU"), ()),
    ("qd 7799-QĐ/TU", 7799, None, ("QĐ", "TU"), ()),
    ("Ban hành kèm theo Quyết định số 7799-QĐ/TU", 7799, None, ("QĐ", "TU"), ("QĐ",)),
    ("sửa đổi Quy chế làm việc số 09-QC/TU ngày 22/6/2023", 9, None, ("QC", "TU"), ("QC",)),
]


@pytest.mark.parametrize(("text", "serial", "year", "tokens", "type_hints"), QUERIES)
def test_parse_query(text, serial, year, tokens, type_hints):
    query = parse_query(text)
    assert query is not None
    assert (query.serial, query.year, query.tokens, query.type_hints) == (
        serial,
        year,
        tokens,
        type_hints,
    )


@pytest.mark.parametrize(
    ("text", "loose_tokens"),
    [
        ("30/2020/NĐ-CP", ("ND", "CP")),
        ("qđ 7799", ("QD",)),
        ("12 QYĐ UBND", ("QYD", "UBND")),
        ("341 KH TU", ("KH", "TU")),
    ],
)
def test_parse_query_loose_tokens_fold_d(text, loose_tokens):
    assert parse_query(text).loose_tokens == loose_tokens


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "tô lịch",
        "to lich",
        "ho tay",
        "Hồ Tây",
        "thí điểm chính quyền địa phương hai cấp",
        "tô lịch 2025",
        "thí điểm 341",
        "ngày 12/6/2025",
        "12/6/2025",
        "Số: /HC-TH",
        "kh",
        "0",
        "123456789",
        "341" + "-KH" * 100,
        "x" * 10_000,
        "\x00",
    ],
)
def test_parse_query_plain_words_are_not_numbers(text):
    assert parse_query(text) is None


def _match(query_text: str, number_text: str) -> Match | None:
    return match(parse_query(query_text), parse_number(number_text))


MATCHES = [
    # Complete queries: strict when every token agrees as typed, loose after Đ→D.
    ("341-KH/TU", "341-KH/TU", Match.EXACT),
    ("341 kh tu", "341-KH/TU", Match.EXACT),
    ("Kế hoạch số 341-KH/TU", "341-KH/TU", Match.EXACT),
    ("341/KH-TU", "341-KH/TU", Match.EXACT),
    ("04/ctr-ubnd", "04/CTr-UBND", Match.EXACT),
    ("7799-QĐ/TU", "7799-QĐ/TU", Match.EXACT),
    ("7799 qd tu", "7799-QĐ/TU", Match.LOOSE),
    ("30/2020/ND-CP", "30/2020/NĐ-CP", Match.LOOSE),
    ("30/2020/NĐ-CP", "30/2020/NĐ-CP", Match.EXACT),
    ("80 2015 qh13", "80/2015/QH13", Match.EXACT),
    ("2237/UBND-KT", "2237/UBND-KT", Match.EXACT),
    ("cv 2237 ubnd kt", "2237/UBND-KT", Match.EXACT),
    ("15.260 ubnd kgvx", "15260/UBND-KGVX", Match.EXACT),
    ("12 qyđ ubnd", "12/QyĐ-UBND", Match.EXACT),
    ("12 qyd ubnd", "12/QyĐ-UBND", Match.LOOSE),
    ("1759 qđ ct ubt", "1759/QĐ.CT.UBT", Match.EXACT),
    ("134 cv ubkt tu", "134-CV/UBKTTU", Match.EXACT),
    ("90 TB-MTTQ-BTT", "90/TBMTTQ-BTT", Match.EXACT),
    # Incomplete queries match partially.
    ("341", "341-KH/TU", Match.PARTIAL),
    ("kh 341", "341-KH/TU", Match.PARTIAL),
    ("KH/TU", "341-KH/TU", Match.PARTIAL),
    ("kh tu", "341-KH/TU", Match.PARTIAL),
    ("341 TU", "341-KH/TU", Match.PARTIAL),
    ("qd 7799", "7799-QĐ/TU", Match.PARTIAL),
    ("cv 2237", "2237/UBND-KT", Match.PARTIAL),
    ("2237/UBND", "2237/UBND-KT", Match.PARTIAL),
    ("2237 kt", "2237/UBND-KT", Match.PARTIAL),
    ("59 cv", "59-CV/TU", Match.PARTIAL),
    ("134 UBKT TU", "134-CV/UBKTTU", Match.PARTIAL),
    ("30 nd cp", "30/2020/NĐ-CP", Match.PARTIAL),
    ("44/QĐ-UBND", "44/2005/QĐ-UBND", Match.PARTIAL),
    ("Quy định 66", "66-QĐ/TW", Match.PARTIAL),
    # Traps: the serial is an integer, codes are whole tokens, a typed Đ counts.
    ("34", "341-KH/TU", None),
    ("341", "34-KH/TU", None),
    ("41", "341-KH/TU", None),
    ("03/CT-UBND", "03/CTr-UBND", None),
    ("ct ubnd", "04/CTr-UBND", None),
    ("ctr 03", "03/CT-UBND", None),
    ("2237 KT", "2237/UBND-KTN", None),
    ("2237 ktn", "2237/UBND-KT", None),
    ("tt 5", "05/TTr-UBND", None),
    ("ttr 01/2011", "01/2011/TT-BNV", None),
    ("12/HĐ-UBND", "12/HD-UBND", None),
    ("12/HD-UBND", "12/HĐ-UBND", Match.LOOSE),
    ("12 đa", "12/DA-UBND", None),
    ("7799 TU KH", "7799-KH/TU", None),
    ("341 KH", "341-QĐ/TU", None),
    ("cv 30", "30/2020/NĐ-CP", None),
    ("cv 80", "80/2015/QH13", None),
    # A year in the query must agree and must exist on the number.
    ("30/2021/NĐ-CP", "30/2020/NĐ-CP", None),
    ("44/2005/QĐ-UBND", "44/QĐ-UBND", None),
    ("341/2025", "341-KH/TU", None),
    ("134 UBKT", "134-CV/UBKTTU", None),
    ("134 CVUBKTTU", "134-CV/UBKTTU", Match.EXACT),
]


@pytest.mark.parametrize(("query", "number", "expected"), MATCHES)
def test_match(query, number, expected):
    assert _match(query, number) == expected


def test_match_strengths_are_ordered():
    assert Match.EXACT > Match.LOOSE > Match.PARTIAL


def test_rank_orders_exact_loose_partial_and_drops_non_matches():
    query = parse_query("7799 qd tu")
    texts = ("7799-QĐ/TU-VP", "7799-QĐ/TU", "7799-QD/TU", "7799/QĐ-UBND", "779-QĐ/TU")
    numbers = [parse_number(text) for text in texts]
    ranked = sorted(
        (number for number in numbers if match(query, number)),
        key=lambda number: rank_key(query, number, match(query, number)),
        reverse=True,
    )
    assert [number.display for number in ranked] == ["7799-QD/TU", "7799-QĐ/TU", "7799-QĐ/TU-VP"]


def test_rank_strict_before_loose():
    query = parse_query("12/HD-UBND")
    strict, loose = parse_number("12/HD-UBND"), parse_number("12/HĐ-UBND")
    assert rank_key(query, strict, match(query, strict)) > rank_key(
        query, loose, match(query, loose)
    )


@pytest.mark.parametrize(
    ("query", "agreeing", "conflicting"),
    [
        ("Kế hoạch 341", "341-KH/TU", "341/QĐ-UBND"),
        ("Quy định 09", "09-QĐ/TU", "09-QC/TU"),
        ("Quy định 09", "09/QyĐ-UBND", "09/CT-UBND"),
        ("Công văn 59", "59/UBND-KT", "59-KH/TU"),
        ("Công văn 59", "59-CV/TU", "59/QĐ-UBND"),
    ],
)
def test_rank_type_words_rank_but_never_filter(query, agreeing, conflicting):
    parsed = parse_query(query)
    good, other = parse_number(agreeing), parse_number(conflicting)
    assert match(parsed, good) == match(parsed, other) == Match.PARTIAL
    assert rank_key(parsed, good, Match.PARTIAL) > rank_key(parsed, other, Match.PARTIAL)


def test_rank_without_type_words_is_neutral():
    query = parse_query("341")
    first, second = parse_number("341-KH/TU"), parse_number("341/QĐ-UBND")
    assert rank_key(query, first, Match.PARTIAL) == rank_key(query, second, Match.PARTIAL)


ADMINISTRATIVE_TYPES = [
    *("Nghị quyết", "Quyết định", "Chỉ thị", "Quy chế", "Quy định", "Thông cáo", "Thông báo"),
    *("Hướng dẫn", "Chương trình", "Kế hoạch", "Phương án", "Đề án", "Dự án", "Báo cáo"),
    *("Biên bản", "Tờ trình", "Hợp đồng", "Công văn", "Công điện", "Bản ghi nhớ"),
    *("Bản thỏa thuận", "Giấy ủy quyền", "Giấy mời", "Giấy giới thiệu", "Giấy nghỉ phép"),
    *("Phiếu gửi", "Phiếu chuyển", "Phiếu báo", "Thư công"),
]


def test_document_types_follow_the_rules():
    by_name = {name: (state, party) for name, state, party in DOCUMENT_TYPES}
    assert len(by_name) == len(DOCUMENT_TYPES)
    assert by_name["Quy định"] == ("QyĐ", "QĐ")
    assert by_name["Công văn"] == ("", "CV")
    assert by_name["Chương trình"] == ("CTr", "CTr")
    assert by_name["Tờ trình"] == ("TTr", "TTr")
    assert by_name["Kết luận"] == (None, "KL")
    assert by_name["Luật"] == ("", None)
    assert by_name["Nghị định"][0] == "NĐ"
    assert by_name["Thông tư liên tịch"][0] == "TTLT"

    # Điều 7 of ND 30 lists 29 administrative types (§2.1); all exist in the State
    # system, and only công văn and thư công have no code.
    assert len(set(ADMINISTRATIVE_TYPES)) == 29
    assert all(by_name[name][0] is not None for name in ADMINISTRATIVE_TYPES)
    without_code = [name for name in ADMINISTRATIVE_TYPES if by_name[name][0] == ""]
    assert without_code == ["Công văn", "Thư công"]


def test_state_codes_identify_one_type():
    codes = [state for _name, state, _party in DOCUMENT_TYPES if state]
    assert len(codes) == len(set(codes))
