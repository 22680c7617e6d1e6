import pytest

from portal.text import clean, fold, typed_query, vietnamese_slug


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Tô Lịch", "to lich"),
        ("TÔ LỊCH", "to lich"),
        ("to lich", "to lich"),
        ("Quyết định QĐ-UBND", "quyet dinh qd-ubnd"),
        ("Đảng bộ  Thành phố", "dang bo thanh pho"),
        ("ÐẢNG", "dang"),  # Latin capital eth, a look-alike of Đ
        ("Thành uỷ", "thanh uy"),  # old tone placement folds like the new one
        ("Thành ủy", "thanh uy"),
        ("Nhuệ\u00a0–\u00a0Đáy", "nhue – day"),
        ("Lừ\u200b", "lu"),
    ],
)
def test_fold_ignores_case_diacritics_and_keeps_d(text, folded):
    assert fold(text) == folded


def test_fold_of_decomposed_text_equals_fold_of_composed_text():
    assert fold("Quye\u0302\u0301t đi\u0323nh") == fold("Quyết định")


def test_clean_maps_d_lookalikes_and_drops_invisible_characters():
    assert clean("Q\u00d0-UBND\ufeff") == "QĐ-UBND"


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Nguyễn Văn Đức", "nguyen-van-duc"),
        ("QĐ-UBND", "qd-ubnd"),
        ("Bùi Thị Minh Hoài", "bui-thi-minh-hoai"),
    ],
)
def test_vietnamese_slug_keeps_d(text, slug):
    assert vietnamese_slug(text) == slug


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("  341 KH/TU  ", "341 KH/TU"),
        ("tô\x00lịch", "tô lịch"),  # PostgreSQL refuses NUL
        ("chuyển\t\n  đổi\x1b số", "chuyển đổi số"),
        ("\x00\x00 ", ""),
    ],
)
def test_typed_query_makes_controls_and_blanks_one_space(typed, read):
    assert typed_query(typed) == read
