"""CSV and JSON downloads of the documents list (`?format=csv|json` on the list URL)."""

import csv
import datetime
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.lists import PER_PAGE
from portal.publication import PublicationStatus
from portal.tests.factories import make_staff

from ..exports import COLUMNS
from ..models import Visibility
from .factories import make_document, make_state_document

pytestmark = pytest.mark.django_db
LIST = reverse("documents:list")
HEADER = [column.name for column in COLUMNS]


def body(response) -> str:
    assert response.streaming is True
    return b"".join(response.streaming_content).decode("utf-8")


def read_csv(response) -> list[dict]:
    text = body(response)
    assert text.startswith("\ufeff"), "Excel needs the byte-order mark"
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    rows = list(reader)
    assert rows[0] == HEADER
    return [dict(zip(HEADER, row, strict=True)) for row in rows[1:]]


def read_json(response) -> list[dict]:
    assert response["Content-Type"].startswith("application/json")
    return json.loads(body(response))


@pytest.fixture
def register():
    return {
        "plan": make_document(number="341-KH/TU", title="Kế hoạch vận hành chính quyền 2 cấp"),
        "directive": make_state_document(
            number="04/CT-UBND",
            issued_on=datetime.date(2025, 3, 28),
            title="Chỉ thị về xử lý ô nhiễm sông Tô Lịch",
        ),
        "old": make_document(
            number="34-KH/TU", issued_on=datetime.date(2021, 1, 5), title="Kế hoạch năm 2021"
        ),
        "internal": make_document(
            number="35-KH/TU", title="Kế hoạch nội bộ mật", visibility=Visibility.INTERNAL
        ),
        "draft": make_document(
            number="36-KH/TU", title="Kế hoạch chưa công bố", status=PublicationStatus.DRAFT
        ),
    }


def test_csv_has_every_row_not_only_the_first_page(client):
    for n in range(PER_PAGE + 5):
        make_document(number=f"{100 + n}-KH/TU")
    response = client.get(LIST, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="documents-{today}.csv"'
    rows = read_csv(response)
    assert len(rows) == PER_PAGE + 5
    assert {row["display"] for row in rows} >= {"100-KH/TU", f"{100 + PER_PAGE + 4}-KH/TU"}


def test_csv_row_carries_number_parts_and_public_url(client, register):
    rows = read_csv(client.get(LIST, {"format": "csv", "issuer": "TU", "year": "2025"}))
    assert [row["display"] for row in rows] == ["341-KH/TU"]
    row = rows[0]
    assert row["serial"] == "341"
    assert row["type_code"] == "KH"
    assert row["issuer"] == "TU"
    assert row["issued_on"] == "2025-06-12"
    assert row["url"] == "http://testserver" + register["plan"].get_absolute_url()


def test_json_is_one_valid_array_with_the_same_rows(client, register):
    response = client.get(LIST, {"format": "json", "issuer": "TU"})
    records = read_json(response)
    assert [r["display"] for r in records] == ["341-KH/TU", "34-KH/TU"]
    assert records[0]["title"] == "Kế hoạch vận hành chính quyền 2 cấp"
    assert records[0]["serial"] == 341
    assert records[0]["effective_on"] is None
    assert response["Content-Disposition"].endswith('.json"')


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"system": "state"}, {"04/CT-UBND"}),
        ({"year": "2021"}, {"34-KH/TU"}),
        ({"q": "to lich"}, {"04/CT-UBND"}),
        ({"q": "341 KH TU"}, {"341-KH/TU"}),
        ({}, {"341-KH/TU", "04/CT-UBND", "34-KH/TU"}),
    ],
)
def test_downloads_honour_the_list_filters(client, register, params, expected):
    for fmt in ("csv", "json"):
        response = client.get(LIST, {**params, "format": fmt})
        rows = read_csv(response) if fmt == "csv" else read_json(response)
        assert {row["display"] for row in rows} == expected


def test_drafts_and_internal_documents_are_never_downloaded(client, register):
    client.force_login(make_staff())
    text = body(client.get(LIST, {"format": "csv"}))
    assert "35-KH/TU" not in text
    assert "36-KH/TU" not in text


def test_internal_documents_only_for_readers_with_the_permission(client, register):
    client.force_login(make_staff("documents.view_internal_document"))
    displays = {r["display"] for r in read_json(client.get(LIST, {"format": "json"}))}
    assert "35-KH/TU" in displays
    assert "36-KH/TU" not in displays


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year": "abc"}, "Năm ban hành"),
        ({"issuer": "NOPE"}, "Cơ quan ban hành"),
        ({"type": "x" * 10_000}, "Loại văn bản"),
        ({"in_force": "bad\x00"}, "Tình trạng hiệu lực"),
        ({"year": "2025.5"}, "Năm ban hành"),
    ],
)
def test_invalid_filters_are_a_clear_400(client, register, params, message):
    for fmt in ("csv", "json"):
        response = client.get(LIST, {**params, "format": fmt})
        assert response.status_code == 400
        text = response.content.decode()
        assert message in text
        assert "không hợp lệ" in text


def test_unknown_format_is_a_400(client, register):
    response = client.get(LIST, {"format": "xlsx"})
    assert response.status_code == 400
    assert "csv hoặc json" in response.content.decode()


def test_odd_queries_never_fail(client, register):
    for q in ("x" * 10_000, "\x00", "🙂", "'; DROP TABLE documents_document; --"):
        response = client.get(LIST, {"q": q, "format": "csv"})
        assert response.status_code == 200
        read_csv(response)


def test_download_query_count_does_not_grow(client, django_assert_max_num_queries):
    for n in range(30):
        make_document(number=f"{200 + n}-KH/TU")
    with django_assert_max_num_queries(3):
        rows = read_csv(client.get(LIST, {"format": "csv"}))
    assert len(rows) == 30


def test_list_page_links_to_downloads_of_the_same_filter(client, register):
    content = client.get(LIST, {"issuer": "TU", "page": "1"}).content.decode()
    assert "?issuer=TU&amp;format=csv" in content
    assert "?issuer=TU&amp;format=json" in content
    assert "Tải CSV" in content


def test_rows_are_read_while_streaming_not_before(client, register):
    with CaptureQueriesContext(connection) as before:
        response = client.get(LIST, {"format": "csv"})
    assert not any("documents_document" in query["sql"] for query in before.captured_queries)
    with CaptureQueriesContext(connection) as during:
        rows = read_csv(response)
    assert len(rows) == 3
    assert any("documents_document" in query["sql"] for query in during.captured_queries)
