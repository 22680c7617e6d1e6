"""The values import at its limits: malformed files refused with their line numbers,
the shared 20,000-row limit, the background import through the admin, all or nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal import imports
from portal.csvimport import MAX_ROWS
from portal.models import ImportJob, ImportStatus
from portal.tests.factories import make_staff

from ..models import Period, Value, ValueKind
from ..periods import PeriodKind
from ..services import import_values
from .factories import make_indicator, make_period, make_value

HEADER = "indicator_code,period_kind,period_start,period_end,value_kind,value,status,source,note\n"
IMPORT = reverse("admin:indicators_value_import")


def months(count: int, *, code: str = "grdp-growth", start_year: int = 1900) -> str:
    """`count` monthly actual figures, one row each, from January of `start_year`."""
    rows = []
    for n in range(count):
        year, month = start_year + n // 12, n % 12 + 1
        last = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(1)).day
        dates = f"{year}-{month:02d}-01,{year}-{month:02d}-{last}"
        rows.append(f"{code},month,{dates},actual,{n % 97 - 48},,,\n")
    return HEADER + "".join(rows)


@pytest.fixture
def grdp(db):
    return make_indicator(code="grdp-growth")


@pytest.fixture
def editor(client):
    user = make_staff("indicators.add_value", "indicators.change_value", "indicators.view_value")
    client.force_login(user)
    return user


def lines(result) -> list[int]:
    return [error.line for error in result.errors]


def test_an_unterminated_quote_is_refused_not_merged(grdp):
    content = HEADER + (
        'grdp-growth,half_year,2025-01-01,2025-06-30,actual,"7,63,,,\n'  # line 2
        "grdp-growth,half_year,2025-01-01,2025-06-30,target,8,,,\n"
    )
    result = import_values(content=content)
    assert lines(result) == [2]
    assert "không bao giờ được đóng" in str(result.errors[0])
    assert not Value.all_objects.exists()


def test_a_line_break_is_allowed_in_the_note_only(grdp):
    content = HEADER + (
        'grdp-growth,half_year,2025-01-01,2025-06-30,actual,7.63,,,"Ước tính\nsơ bộ"\n'
        'grdp-growth,half_year,2025-01-01,2025-06-30,target,8,,"Nghị quyết\nsố 1",\n'  # line 4
    )
    result = import_values(content=content)
    assert lines(result) == [4]
    assert "“source” xuống dòng" in str(result.errors[0])


def test_ragged_rows_are_refused_with_their_line(grdp):
    content = HEADER + (
        "grdp-growth,half_year,2025-01-01,2025-06-30,actual,7,63,,,\n"  # an unquoted comma
        "grdp-growth,half_year,2025-01-01,2025-06-30,target,8,,,\n"
    )
    result = import_values(content=content)
    assert [str(error) for error in result.errors] == ["Dòng 2: có 10 ô, dòng tiêu đề có 9 cột."]


def test_over_long_cells_are_row_errors(grdp):
    code = "x" * 80
    content = HEADER + (
        f"{code},half_year,2025-01-01,2025-06-30,actual,7,,,\n"
        f"grdp-growth,half_year,2025-01-01,2025-06-30,actual,7,,{'n' * 501},\n"
    )
    result = import_values(content=content)
    assert lines(result) == [2, 3]
    assert "“indicator_code” dài 80 ký tự" in str(result.errors[0])
    assert "“source” dài 501 ký tự, tối đa 500." in str(result.errors[1])


def test_the_row_limit_is_the_same_twenty_thousand(grdp):
    result = import_values(content=months(MAX_ROWS + 1))
    assert [str(error) for error in result.errors] == [
        f"Dòng {MAX_ROWS + 2}: Tệp có hơn 20.000 dòng số liệu: chia thành nhiều tệp, mỗi tệp "
        "tối đa 20.000 dòng."
    ]


def test_a_download_with_formula_like_text_and_negative_figures_reimports(client, grdp):
    period = make_period(PeriodKind.QUARTER, datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))
    make_value(indicator=grdp, period=period, value=Decimal("-3.5"), note="=SUM(A1:A2)")
    make_value(
        indicator=grdp, period=period, kind=ValueKind.TARGET, value=Decimal("-1"), note="-2 điểm"
    )
    csv_bytes = client.get(grdp.get_csv_url()).content
    assert b"'=SUM(A1:A2)" in csv_bytes and b",-3.5," in csv_bytes
    result = import_values(content=csv_bytes)
    assert result.ok, result.errors
    assert (result.unchanged, result.updated) == (2, 0)


def test_twelve_hundred_figures_in_a_few_queries(grdp, django_assert_max_num_queries):
    """Checked and stored per batch, not per row (it was about ten queries a row): 1,200
    figures of 1,200 new periods, each with its history row."""
    with django_assert_max_num_queries(80):
        result = import_values(content=months(1200))
    assert result.ok, result.errors[:3]
    assert (result.created, result.periods_created) == (1200, 1200)
    assert Value.all_objects.count() == 1200


# Through the admin, in the background ---------------------------------------------------


def _run_in_background(client, content: str, **options):
    """Upload, wait for the preview, press "Nhập thật" when it is good, wait for the
    write; the last job and its page."""
    upload = SimpleUploadedFile("so-lieu.csv", content.encode())
    response = client.post(IMPORT, {"file": upload, **options})
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.get()
    assert response["Location"] == reverse(
        "admin:indicators_value_import_job", kwargs={"job_id": job.pk}
    )
    imports.wait(job, timeout=300)
    job.refresh_from_db()
    if imports.confirmable(job):
        assert "sẽ thêm" in client.get(response["Location"]).content.decode()
        assert not Value.all_objects.exists()
        response = client.post(response["Location"])
        job = ImportJob.objects.exclude(pk=job.pk).get()
        imports.wait(job, timeout=300)
        job.refresh_from_db()
    return job, client.get(response["Location"])


@pytest.mark.django_db(transaction=True)
def test_a_large_file_through_the_admin(client, editor, grdp):
    job, page = _run_in_background(client, months(2400))
    assert (job.status, job.rows_checked, job.errors) == (ImportStatus.DONE, 2400, [])
    assert "Đã nhập 2.400 dòng: 2.400 mới, 0 cập nhật, 0 không đổi; kỳ mới: 2.400." in page.text
    assert Value.all_objects.count() == 2400 and Period.objects.count() == 2400
    first = Value.all_objects.get(period__start=datetime.date(1900, 1, 1))
    assert first.value == Decimal("-48")
    assert first.history.get().history_user == editor


@pytest.mark.django_db(transaction=True)
def test_a_large_file_with_one_bad_row_stores_nothing(client, editor, grdp):
    content = months(1500) + "grdp-growth,month,2030-01-01,2030-01-31,actual,abc,,,\n"
    job, page = _run_in_background(client, content)
    assert job.status == ImportStatus.REFUSED
    assert job.errors == [[1502, "“abc” không phải là số"]]
    assert "<td>1502</td>" in page.text
    assert not Value.all_objects.exists() and not Period.objects.exists()
