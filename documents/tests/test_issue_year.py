"""A year typed after a number picks that year's document (docs/numbering.md §5.5)."""

import datetime

import pytest

from documents.models import Document
from documents.numbering import split_issue_year

from .factories import make_document, make_state_document

LIST = "/documents/"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("341-KH/TU 2019", ("341-KH/TU", 2019)),
        ("341 kh tu năm 2019", ("341 kh tu", 2019)),
        ("Kế hoạch số 341-KH/TU ngày 02/4/2019", ("Kế hoạch số 341-KH/TU", 2019)),
        ("2237/QĐ-UBND, ban hành ngày 4.5.2023", ("2237/QĐ-UBND", 2023)),
        ("15/2020/QĐ-UBND 2020", ("15/2020/QĐ-UBND", 2020)),
        # No whole number before the year: the year is the number's own, or prose.
        ("7799 2024", ("7799 2024", None)),
        ("KH/TU 2019", ("KH/TU 2019", None)),
        ("tô lịch 2025", ("tô lịch 2025", None)),
        ("341-KH/TU", ("341-KH/TU", None)),
    ],
)
def test_split_issue_year(typed, expected):
    assert split_issue_year(typed) == expected


@pytest.fixture
def plans(db):
    """341-KH/TU of two terms, and 512-KH/TU of 2025 alone."""
    return {
        2025: make_document(
            number="341-KH/TU",
            issued_on=datetime.date(2025, 11, 15),
            title="Kế hoạch thực hiện Kết luận của Bộ Chính trị về sắp xếp đơn vị hành chính",
        ),
        2019: make_document(
            number="341-KH/TU",
            issued_on=datetime.date(2019, 4, 2),
            title="Kế hoạch tổ chức Đại hội đại biểu Đảng bộ các cấp nhiệm kỳ 2020–2025",
        ),
        "alone": make_document(number="512-KH/TU", issued_on=datetime.date(2025, 3, 1)),
        "state": make_state_document(number="2237/QĐ-UBND", issued_on=datetime.date(2023, 5, 4)),
    }


@pytest.mark.parametrize(
    ("typed", "year"),
    [
        ("341-KH/TU 2019", 2019),
        ("341 kh tu năm 2019", 2019),
        ("341-KH/TU ngày 02/4/2019", 2019),
        ("341-KH/TU 2025", 2025),
    ],
)
def test_the_year_picks_that_terms_document(client, plans, typed, year):
    response = client.get(LIST, {"q": typed})
    assert response.status_code == 302
    assert response["Location"] == plans[year].get_absolute_url()
    # Without the year the reviewer chooses between the two.
    assert client.get(LIST, {"q": "341-KH/TU"}).context["mode"] == "choose"


def test_another_years_document_is_offered_not_opened(client, plans):
    response = client.get(LIST, {"q": "512-KH/TU 2019"})
    assert response.status_code == 200
    assert response.context["mode"] == "candidates"
    assert "Không có văn bản nào mang số này ban hành năm 2019" in response.text
    assert [row.pk for row in response.context["page_obj"].object_list] == [plans["alone"].pk]


def test_every_surface_selects_the_same_years_document(client, plans):
    assert list(Document.objects.search("341-KH/TU 2019")) == [plans[2019]]
    api = client.get("/api/documents/", {"q": "341-KH/TU 2019"}).json()
    assert [row["number"] for row in api["results"]] == ["341-KH/TU"]
    assert api["results"][0]["issued_on"] == "2019-04-02"
