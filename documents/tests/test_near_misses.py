""" "Did you mean": a number nobody bears is offered the numbers one slip away."""

import datetime

import pytest

from documents.models import Document, Visibility
from documents.near_misses import near_misses, one_slip

from .factories import make_document

LIST = "/documents/"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("KHTU", "KHTW", True),  # one letter changed
        ("KHTU", "HKTU", True),  # two neighbours swapped
        ("KHTU", "KHTTU", True),  # one added
        ("CTRUBND", "CTUBND", True),  # one dropped
        ("KHTU", "KHTU", False),
        ("KHTU", "CTTU", False),  # two changed
        ("KHTU", "UTKH", False),
    ],
)
def test_one_slip(a, b, expected):
    assert one_slip(a, b) is expected
    assert one_slip(b, a) is expected


@pytest.fixture
def register(db):
    plans = {
        n: make_document(
            number=f"{n}-KH/TU",
            issued_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=n - 300),
            title=f"Kế hoạch số {n} về chỉnh trang đô thị và cải tạo hạ tầng khu phố cổ Hà Nội",
        )
        for n in (300, 339, 341, 343, 360)
    }
    plans["directive"] = make_document(number="341-CT/TU", title="Chỉ thị về công tác cán bộ")
    plans["internal"] = make_document(number="342-KH/TW", visibility=Visibility.INTERNAL)
    return plans


def test_a_slip_in_the_serial_offers_the_nearest_serials_one_digit_away(register):
    found = near_misses(Document.objects.visible_to(None), "342-KH/TU")
    assert found == ["341-KH/TU", "343-KH/TU"]


@pytest.mark.parametrize("typed", ["341-KH/TW", "341 HK TU", "341-KHH/TU"])
def test_a_slip_in_the_symbol_offers_the_same_serial(register, typed):
    assert near_misses(Document.objects.visible_to(None), typed)[0] == "341-KH/TU"


def test_nothing_hidden_and_nothing_for_prose(register):
    visible = Document.objects.visible_to(None)
    assert "342-KH/TW" not in near_misses(visible, "342-KH/TU")  # internal
    assert near_misses(visible, "chỉnh trang đô thị") == []
    assert near_misses(visible, "341") == []


def test_the_list_asks_did_you_mean(client, register, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        response = client.get(LIST, {"q": "341-KH/TW"})
    assert response.status_code == 200
    assert "Gợi ý — có phải bạn muốn tìm:" in response.text
    assert 'href="/documents/?q=341-KH%2FTU"' in response.text
    assert client.get("/documents/?q=341-KH%2FTU")["Location"] == register[341].get_absolute_url()
    # A number that exists is opened, with no question.
    assert client.get(LIST, {"q": "341-KH/TU"}).status_code == 302


def test_the_number_check_offers_near_misses_for_a_missing_number(client, register):
    response = client.post("/documents/lookup/", {"numbers": "342-KH/TU\n341-KH/TU"})
    assert "Có phải:" in response.text
    assert 'href="/documents/?q=343-KH%2FTU"' in response.text
