"""Checking many numbers at once: the citations of a report, each found or not."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from documents.models import RelationKind, Visibility
from documents.number_check import MAX_NUMBERS, Typed, Verdict, check, numbers_in
from portal.models import OrganizationKind

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
        ("\n".join(f"{n}-KH/TU" for n in range(1, MAX_NUMBERS + 2)), "tối đa 500 số"),
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


@pytest.mark.django_db
def test_500_numbers_in_one_request_within_a_fixed_query_budget(
    client, django_assert_max_num_queries
):
    """A register of several hundred documents of two issuers, some replaced; 500 numbers
    typed every way: 440 borne, 60 borne by none (near misses for the first of them)."""
    tu = organization("TU", name="Thành ủy Hà Nội")
    ubnd = organization("UBND", OrganizationKind.STATE, name="Ủy ban nhân dân Thành phố Hà Nội")
    party = [
        make_document(number=f"{n}-KH/TU", issuer=tu, issued_on=datetime.date(2025, 1 + n % 12, 1))
        for n in range(1, 301)
    ]
    state = [
        make_state_document(
            number=f"{n}/QĐ-UBND", issuer=ubnd, issued_on=datetime.date(2024, 5, 6)
        )
        for n in range(1, 151)
    ]
    for replaced, replacing in zip(state[:20], state[20:40], strict=True):
        make_relation(replacing, RelationKind.REPLACES, replaced)
    typed = [f"{n} KH TU" if n % 2 else f"Kế hoạch số {n}-KH/TU" for n in range(1, 301)]
    typed += [f"{n}/qđ-ubnd" for n in range(1, 141)]
    typed += [f"{n}-KH/TU" for n in range(1001, 1061)]
    assert len(typed) == MAX_NUMBERS
    with django_assert_max_num_queries(45):
        response = client.post(reverse("documents:lookup"), {"numbers": "\n".join(typed)})
    page = response.content.decode()
    assert "Kết quả: 500 số" in page
    assert page.count("badge--ok") == 440
    assert page.count("Không có văn bản mang số này") == 60
    assert page.count("Đã được thay thế") == 20
    for document in (party[0], party[-1], state[0], state[139]):
        assert f'href="{document.get_absolute_url()}"' in page
    assert state[140].get_absolute_url() not in page


def test_the_reads_do_not_grow_with_the_numbers(register, django_assert_num_queries):
    from documents.models import Document

    visible = Document.objects.visible_to(None)
    for count in (1, 30):
        numbers = [Typed(f"{300 + n}-KH/TU") for n in range(1, count + 1)]
        with django_assert_num_queries(2):  # the candidates, their acting relations
            results = check(visible, numbers)
        assert [result.verdict for result in results] == [Verdict.FOUND] * count


@pytest.mark.parametrize(
    ("line", "year", "verdict"),
    [
        ("341-KH/TU 2019", 2019, Verdict.FOUND),
        ("341-KH/TU năm 2019", 2019, Verdict.FOUND),
        ("Kế hoạch số 341-KH/TU, năm 2019 của Ban Thường vụ", 2019, Verdict.FOUND),
        ("341 KH TU 2025", 2025, Verdict.FOUND),
        ("341 kh tu năm 2025", 2025, Verdict.FOUND),
        ("341-KH/TU năm 2021", 2021, Verdict.OTHER_YEAR),
    ],
)
def test_a_year_written_after_a_number_picks_that_year(register, line, year, verdict):
    from documents.models import Document

    typed = numbers_in(line)
    assert [t.year for t in typed] == [year]
    [result] = check(Document.objects.visible_to(None), typed)
    assert result.verdict == verdict
    if verdict == Verdict.FOUND:
        assert result.documents == [register[f"341 ({year})"]]
    else:
        assert result.documents == []
        assert result.other_years == [register["341 (2025)"], register["341 (2019)"]]


def test_a_year_in_a_line_shows_on_the_page_and_in_the_csv(register, client):
    url = reverse("documents:lookup")
    page = client.get(url, {"numbers": "341-KH/TU năm 2021\n341 KH TU 2019"}).text
    assert "Không có trong năm đã ghi; có văn bản cùng số ở năm khác" in page
    assert register["341 (2019)"].get_absolute_url() in page
    assert "năm 2021" in page
    response = client.get(url, {"numbers": "341-KH/TU năm 2021", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][:3] == [
        "341-KH/TU",
        "2021",
        "Không có trong năm đã ghi; có văn bản cùng số ở năm khác",
    ]
    assert rows[1][-1] == "341-KH/TU (15/11/2025); 341-KH/TU (02/04/2019)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("341 KH TU, 04 CTr UBND; 2237/QĐ-UBND", ["341 KH TU", "04 CTr UBND", "2237/QĐ-UBND"]),
        ("1\t341-KH/TU\tKế hoạch chuyển đổi số", ["341-KH/TU"]),  # a row copied from a table
        ("STT\tSố, ký hiệu\tTrích yếu", ["STT\tSố, ký hiệu\tTrích yếu"]),  # its header: unread
    ],
)
def test_lists_and_copied_tables_give_each_number(text, expected):
    assert [typed.text for typed in numbers_in(text)] == expected


def test_a_short_list_by_get_is_a_link_to_share(register, client):
    response = client.get(reverse("documents:lookup"), {"numbers": "2237/QĐ-UBND\n341-KH/TU 2019"})
    assert "Kết quả: 2 số" in response.text
    assert register["2237"].get_absolute_url() in response.text
    csv_response = client.get(
        reverse("documents:lookup"), {"numbers": "2237/QĐ-UBND", "format": "csv"}
    )
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "2237/QĐ-UBND" in csv_response.content.decode("utf-8-sig")
