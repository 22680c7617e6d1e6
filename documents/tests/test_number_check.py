"""Checking many numbers at once: the citations of a report, each found or not."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from documents.models import RelationKind, Visibility
from documents.number_check import MAX_NUMBERS, Typed, Verdict, check, numbers_in

from .factories import make_document, make_relation, make_state_document, organization

REPORT = """Thực hiện Kế hoạch số 341-KH/TU ngày 15/11/2025 của Ban Thường vụ Thành ủy
và Quyết định số 2237/QĐ-UBND của Ủy ban nhân dân Thành phố về chuyển đổi số,
Sở đã triển khai các nội dung theo Chỉ thị số 15-CT/TU và Kế hoạch số 341-KH/TU ngày 15/11/2025.
04 CTr UBND
xyz
Báo cáo này không trích dẫn văn bản nào khác ngoài các văn bản đã nêu ở trên, và dài hơn một số.
"""


def test_numbers_in_reads_citations_with_their_dates_and_typed_lines_once():
    assert numbers_in(REPORT) == [
        Typed("341-KH/TU", datetime.date(2025, 11, 15)),
        Typed("2237/QĐ-UBND"),
        Typed("15-CT/TU"),
        Typed("04 CTr UBND"),
        Typed("xyz"),
    ]


@pytest.fixture
def register(db):
    """The same Party number in two terms, a replaced State decision, an internal
    directive, a draft, and many other plans."""
    tu = organization("TU", name="Ban Thường vụ Thành ủy Hà Nội khóa XVIII")
    for n in range(1, 40):
        make_document(
            number=f"{300 + n}-KH/TU", issuer=tu, issued_on=datetime.date(2024, 3, n % 28 + 1)
        )
    documents = {
        "341 (2025)": make_document(
            number="341-KH/TU",
            issuer=tu,
            issued_on=datetime.date(2025, 11, 15),
            title="Kế hoạch thực hiện Nghị quyết về chuyển đổi số, phát triển chính quyền số "
            "và xây dựng thành phố thông minh giai đoạn 2025–2030",
        ),
        "341 (2019)": make_document(
            number="341-KH/TU", issuer=tu, issued_on=datetime.date(2019, 4, 2)
        ),
        "2237": make_state_document(number="2237/QĐ-UBND", issued_on=datetime.date(2023, 5, 4)),
        "internal": make_document(number="15-CT/TU", issuer=tu, visibility=Visibility.INTERNAL),
        "draft": make_state_document(number="04/CTr-UBND", status="draft"),
    }
    replacement = make_state_document(number="3001/QĐ-UBND", issued_on=datetime.date(2024, 1, 2))
    make_relation(replacement, RelationKind.REPLACES, documents["2237"])
    return documents


def test_each_number_found_missing_or_shared_as_the_public_sees_it(register, client):
    from documents.models import Document

    results = check(Document.objects.visible_to(None), numbers_in(REPORT))
    verdicts = {result.typed.text: result.verdict for result in results}
    assert verdicts == {
        "341-KH/TU": Verdict.FOUND,  # the date picks the 2025 plan among the two terms
        "2237/QĐ-UBND": Verdict.FOUND,
        "15-CT/TU": Verdict.MISSING,  # internal: not for the public
        "04 CTr UBND": Verdict.MISSING,  # a draft
        "xyz": Verdict.UNREAD,
    }
    assert results[0].documents == [register["341 (2025)"]]
    undated = check(Document.objects.visible_to(None), [Typed("341 KH TU")])
    assert undated[0].verdict == Verdict.SEVERAL
    assert set(undated[0].documents) == {register["341 (2025)"], register["341 (2019)"]}


def test_the_page_shows_each_verdict_and_the_status_in_force(register, client):
    response = client.post(reverse("documents:lookup"), {"numbers": REPORT})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kết quả: 5 số" in page
    assert register["341 (2025)"].get_absolute_url() in page
    assert register["341 (2019)"].get_absolute_url() not in page
    assert "Đã được thay thế" in page  # 2237/QĐ-UBND was replaced
    assert "Không có văn bản mang số này" in page
    assert "Không đọc được số" in page
    assert "15-CT/TU" in page and register["internal"].get_absolute_url() not in page


def test_the_result_downloads_as_a_safe_csv(register, client):
    register["341 (2019)"].title = '=HYPERLINK("http://evil.example")'
    register["341 (2019)"].save()
    response = client.post(
        reverse("documents:lookup"), {"numbers": "341 KH TU\nabc", "format": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Số đã nhập"
    assert [row[3] for row in rows[1:]] == ["341-KH/TU", "341-KH/TU", ""]
    assert '\'=HYPERLINK("http://evil.example")' in [row[4] for row in rows]
    assert rows[3][2] == "Không đọc được số"


@pytest.mark.parametrize(
    ("numbers", "message"),
    [
        ("", "This field is required"),
        (
            "Một đoạn văn dài không có số văn bản nào, chỉ để thử xem cổng trả lời thế nào.",
            "Không tìm thấy số văn bản nào",
        ),
        ("\n".join(f"{n}-KH/TU" for n in range(1, MAX_NUMBERS + 2)), "tối đa 100 số"),
        ("341-KH/TU\x00", "Null characters are not allowed"),
    ],
)
def test_bad_input_is_a_form_error_and_keeps_the_text(register, client, numbers, message):
    response = client.post(reverse("documents:lookup"), {"numbers": numbers})
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        message in page
        or message.replace("This field is required", "Trường này là bắt buộc") in page
    )
    assert "Kết quả:" not in page


def test_the_form_page_and_its_link_from_the_list(client, register):
    assert client.get(reverse("documents:lookup")).status_code == 200
    assert reverse("documents:lookup") in client.get(reverse("documents:list")).content.decode()


def test_queries_grow_with_the_numbers_checked_not_with_the_register(
    register, client, django_assert_max_num_queries
):
    numbers = "\n".join(f"{300 + n}-KH/TU" for n in range(1, 21))
    with django_assert_max_num_queries(4 + 3 * 20):
        response = client.post(reverse("documents:lookup"), {"numbers": numbers})
    assert response.content.decode().count("Có trong hệ thống") == 20


def test_a_short_list_by_get_is_a_link_to_share(register, client):
    response = client.get(reverse("documents:lookup"), {"numbers": "2237/QĐ-UBND\n341-KH/TU 2019"})
    assert "Kết quả: 2 số" in response.text
    assert register["2237"].get_absolute_url() in response.text
    csv_response = client.get(
        reverse("documents:lookup"), {"numbers": "2237/QĐ-UBND", "format": "csv"}
    )
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "2237/QĐ-UBND" in csv_response.content.decode("utf-8-sig")
