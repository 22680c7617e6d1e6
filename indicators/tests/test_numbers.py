from decimal import Decimal

import pytest
from django.utils import translation

from indicators.numbers import NumberError, format_number, parse_number


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("7.63", "7.63"),
        ("7,63", "7.63"),
        ("-1,5", "-1.5"),
        ("\u22121,5", "-1.5"),
        ("+51,4", "51.4"),
        ("16765", "16765"),
        ("16.765.000", "16765000"),
        ("16,765,000", "16765000"),
        ("1.234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        (" 98,7 ", "98.7"),
        ("1\u00a0234,5", "1234.5"),
    ],
)
def test_parse_accepts_vietnamese_and_english_notation(text, number):
    assert parse_number(text) == Decimal(number)


@pytest.mark.parametrize(
    "text", ["", "abc", "7,6,3.1", "1.2.3,4,5", "7%", "1e5", "12.34.5", "7,", ".5", "--1", "1 2a"]
)
def test_parse_rejects_junk(text):
    with pytest.raises(NumberError):
        parse_number(text)


@pytest.mark.parametrize(
    ("language", "value", "text"),
    [
        ("vi", Decimal("7.63"), "7,63"),
        ("en", Decimal("7.63"), "7.63"),
        ("vi", Decimal("16765"), "16.765"),
        ("en", Decimal("16765"), "16,765"),
        ("vi", Decimal("7.6300"), "7,63"),
        ("vi", Decimal("11.0"), "11"),
        ("vi", Decimal("-1234567.5"), "-1.234.567,5"),
    ],
)
def test_format_uses_the_active_locale(settings, language, value, text):
    settings.USE_THOUSAND_SEPARATOR = False  # grouping must not depend on it
    with translation.override(language):
        assert format_number(value) == text


def test_format_with_fixed_places():
    with translation.override("vi"):
        assert format_number(Decimal("11"), places=1) == "11,0"
