"""Migration 0006 wrote each number's words with the parser of its day, frozen inside it:
what it writes stays what it wrote whatever `numbering.py` becomes."""

import importlib

import pytest

number_words = importlib.import_module("documents.migrations.0006_number_words").number_words


@pytest.mark.parametrize(
    ("number", "words"),
    [
        ("341-KH/TU", "341 KH TU KHTU"),
        ("Số: 341 – KH / TU", "341 KH TU KHTU"),
        ("341KH/TU", "341 KH TU KHTU"),
        ("số31-KH/TU", "31 KH TU KHTU"),
        ("04/CTr-UBND", "4 CTR UBND CTRUBND"),
        ("30/2020/NĐ-CP", "30 2020 ND CP NDCP"),
        ("2237/UBND-KT", "2237 UBND KT UBNDKT CV"),
        ("15.260/UBND-KT ngày 12/6/2025", "15260 UBND KT UBNDKT CV"),
        ("80/2015/QH13", "80 2015 QH13"),
        ("134-CV/UBKTTU", "134 CV UBKTTU CVUBKTTU"),
        ("72-NQ-TW", "72 NQ TW NQTW"),
        ("1759/QĐ.CT.UBT", "1759 QD CT UBT QDCT QDCTUBT CTUBT"),
        ("12-QĐ/TU-VP", "12 QD TU VP QDTU QDTUVP TUVP"),
        # Not numbers: left without words.
        ("", None),
        ("KH/TU", None),
        ("341 KH", None),
        ("0-KH/TU", None),
        ("12345678-KH/TU", None),
    ],
)
def test_number_words_are_those_of_the_parser_of_the_day(number, words):
    assert number_words(number) == words
