"""The folded search column of indicators (site search)."""

import pytest

from indicators.models import Indicator

from .factories import make_indicator

pytestmark = pytest.mark.django_db


def test_search_text_is_folded_code_name_and_definition():
    indicator = make_indicator(code="grdp", name="Tăng trưởng GRDP", definition="Tổng sản phẩm")

    stored = Indicator.objects.get(pk=indicator.pk)
    assert stored.search_text == "grdp tang truong grdp tong san pham"
    assert list(Indicator.objects.matching(["tang", "grdp"])) == [stored]


def test_save_with_update_fields_refreshes_the_search_text():
    indicator = make_indicator(name="Cũ")
    indicator.name = "Thu ngân sách"
    indicator.save(update_fields=["name"])

    assert "thu ngan sach" in Indicator.objects.get(pk=indicator.pk).search_text
