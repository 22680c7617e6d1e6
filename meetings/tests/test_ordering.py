import pytest

from meetings.ordering import order_sort_key, roman_to_int


def test_agenda_orders_sort_as_read():
    printed = ["10", "3.b", "2", "3", "1", "3.a", "9", "3.10", "3.2"]
    assert sorted(printed, key=order_sort_key) == [
        "1", "2", "3", "3.2", "3.10", "3.a", "3.b", "9", "10",
    ]  # fmt: skip


def test_roman_top_level_orders():
    printed = ["IV", "II.1", "I", "II", "X", "IX"]
    assert sorted(printed, key=order_sort_key) == ["I", "II", "II.1", "IV", "IX", "X"]


@pytest.mark.parametrize(
    ("order", "key"),
    [("3.a", "0003.a"), (" 3) b ", "0003.b"), ("Đ", "d"), ("3.c", "0003.c"), ("", "")],
)
def test_order_sort_key(order, key):
    # A later "c" is a letter, not the Roman numeral 100.
    assert order_sort_key(order) == key


def test_roman_to_int():
    assert roman_to_int("XVII") == 17
    assert roman_to_int("XIV") == 14
    assert roman_to_int("IIII") is None
    assert roman_to_int("xvii") is None


def test_capital_letters_stay_letters():
    assert sorted(["D", "B", "C", "A"], key=order_sort_key) == ["A", "B", "C", "D"]
