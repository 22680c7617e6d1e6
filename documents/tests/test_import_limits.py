"""The documents import at its limits: malformed files refused with their line numbers,
issuers by code or name, over-long values, 20,000 rows through the admin in the
background with progress, and all or nothing throughout."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portal import imports
from portal.csvimport import MAX_ROWS
from portal.models import ImportJob, ImportStatus, Organization
from portal.tests.factories import make_staff

from ..models import Document
from ..services import import_documents
from .factories import organization

IMPORT = reverse("admin:documents_document_import")
HEADER = "number,issued_on,title,issuer\n"


def register(rows: int, *, first: int = 1) -> str:
    return HEADER + "".join(
        f"{n}-KH/TU,2025-06-12,Kế hoạch số {n} về chuyển đổi số,TU\n"
        for n in range(first, first + rows)
    )


def job_of(response) -> ImportJob:
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.get()
    assert response["Location"] == reverse(
        "admin:documents_document_import_job", kwargs={"job_id": job.pk}
    )
    return job


@pytest.fixture
def tu(db):
    return organization("TU", name="Thành ủy Hà Nội")


@pytest.fixture
def editor(client):
    user = make_staff("documents.add_document", "documents.view_document")
    client.force_login(user)
    return user


# Malformed files: refused whole, with the line, never a traceback ----------------------


@pytest.mark.django_db
def test_an_unterminated_quote_is_refused_not_merged(tu):
    data = (
        HEADER
        + '1-KH/TU,2025-06-12,"Kế hoạch một,TU\n'  # line 2: the quote is never closed
        + "2-KH/TU,2025-06-13,Kế hoạch hai,TU\n"
    )
    report = import_documents(data=data)
    assert [line for line, _message in report.errors] == [2]
    assert "không bao giờ được đóng" in report.errors[0][1]
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_a_missing_quote_that_swallows_the_next_row_is_refused(tu):
    """Quotes that balance again further down: strict reading alone would accept one
    document titled with two rows; a line break where none is allowed says otherwise."""
    data = (
        HEADER
        + '1-KH/TU,2025-06-12,"Kế hoạch một,TU\n'  # line 2
        + '2-KH/TU,2025-06-13,Kế hoạch hai",TU\n'  # line 3
    )
    report = import_documents(data=data)
    assert len(report.errors) == 1
    line, message = report.errors[0]
    assert line == 2
    assert "“title” xuống dòng" in message and "dòng 3" in message
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_text_after_a_closing_quote_is_refused(tu):
    data = HEADER + '1-KH/TU,2025-06-12,"Kế hoạch" một,TU\n'
    report = import_documents(data=data)
    assert [line for line, _message in report.errors] == [2]
    assert "dấu ngoặc kép đặt sai chỗ" in report.errors[0][1]


@pytest.mark.django_db
def test_a_line_break_inside_the_summary_is_allowed(tu):
    data = 'number,issued_on,title,summary\n1-KH/TU,2025-06-12,Kế hoạch,"Dòng 1\nDòng 2"\n'
    report = import_documents(data=data)
    assert report.ok, report.errors
    assert Document.objects.get().summary == "Dòng 1\nDòng 2"


@pytest.mark.django_db
def test_ragged_rows_are_each_refused_with_their_line(tu):
    data = (
        HEADER
        + "1-KH/TU,2025-06-12,Kế hoạch một,TU\n"
        + "2-KH/TU,2025-06-12,Kế hoạch, hai,TU\n"  # line 3: an unquoted comma
        + "3-KH/TU,2025-06-12\n"  # line 4
        + "\n"  # a blank line is skipped
        + "4-KH/TU,2025-06-12,Kế hoạch bốn,TU\n"
    )
    report = import_documents(data=data)
    assert report.errors == [
        (3, "có 5 ô, dòng tiêu đề có 4 cột."),
        (4, "có 2 ô, dòng tiêu đề có 4 cột."),
    ]
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_more_than_the_row_limit_is_refused_before_reading_on(tu):
    report = import_documents(data=register(MAX_ROWS + 1))
    assert report.errors == [
        (
            MAX_ROWS + 2,
            "Tệp có hơn 20.000 dòng số liệu: chia thành nhiều tệp, mỗi tệp tối đa 20.000 dòng.",
        )
    ]
    assert not Document.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b"number,issued_on,title\n1-KH/TU,2025-06-12,K\xe9 ho\xe1ch\n", 2, "UTF-8"),
        (b"number,issued_on,title\n1-KH/TU,2025-06-12,A\x00\n", 2, "NUL"),
        (b"", 0, "Tệp trống."),
        (b"number,issued_on,title\n", 0, "Tệp không có dòng số liệu nào."),
        (b"number,issued_on,title,title\n1-KH/TU,2025-06-12,A,B\n", 1, "Cột trùng tên: title."),
    ],
)
def test_unreadable_files_say_why(tu, data, line, message):
    report = import_documents(data=data)
    assert len(report.errors) == 1
    assert report.errors[0][0] == line and message in report.errors[0][1]


# Values checked against what the database can hold -------------------------------------


@pytest.mark.django_db
def test_an_over_long_issuer_code_is_a_row_error_not_a_database_error(tu):
    code = "BANTUYENGIAOTHANHUYHANOI"  # 24 characters; the column holds 20
    data = HEADER + f"1-KH/TU,2025-06-12,Kế hoạch,{code}\n5-KH/{code},2025-06-12,Kế hoạch,\n"
    report = import_documents(data=data)
    assert [line for line, _message in report.errors] == [2, 3]
    assert all(f"Mã cơ quan “{code}” dài 24 ký tự, tối đa 20" in m for _l, m in report.errors)
    assert not Organization.objects.filter(code=code).exists()


@pytest.mark.django_db
def test_over_long_cells_are_refused_before_anything_else(tu):
    data = HEADER + f"{'1' * 101}-KH/TU,2025-06-12,Kế hoạch,TU\n"
    report = import_documents(data=data)
    assert report.errors == [(2, "“number” dài 107 ký tự, tối đa 100.")]


@pytest.mark.django_db
def test_the_issuer_by_code_by_name_or_by_short_name(tu):
    Organization.objects.create(
        code="UBND", name="Ủy ban nhân dân thành phố Hà Nội", short_name="UBND TP", kind="state"
    )
    data = (
        "number,issued_on,title,issuer\n"
        "1-KH/TU,2025-06-12,Theo mã,tu\n"
        "2-KH/TU,2025-06-12,Theo tên đầy đủ,Thành ủy Hà Nội\n"
        "3/KH-UBND,2025-06-12,Theo tên không dấu,uy ban nhan dan thanh pho ha noi\n"
        "4/KH-UBND,2025-06-12,Theo tên ngắn,UBND TP\n"
        "5/KH-UBND,2025-06-12,Không có,Sở Không Có\n"
    )
    report = import_documents(data=data)
    assert report.errors == [(6, "Không có cơ quan nào có mã hoặc tên “Sở Không Có”.")]
    report = import_documents(data=data.rsplit("5/KH", 1)[0])
    assert report.ok, report.errors
    assert [d.issuer.code for d in Document.objects.order_by("serial")] == [
        "TU",
        "TU",
        "UBND",
        "UBND",
    ]


@pytest.mark.django_db
def test_a_cell_a_download_made_spreadsheet_safe_reads_back(tu):
    data = HEADER + '1-KH/TU,2025-06-12,\'=HYPERLINK("http://x"),TU\n'
    assert import_documents(data=data).ok
    assert Document.objects.get().title == '=HYPERLINK("http://x")'


# Through the admin ---------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_refuses_a_malformed_file_with_its_line(client, editor, tu):
    upload = SimpleUploadedFile("bad.csv", (HEADER + '1-KH/TU,2025-06-12,"A,TU\n').encode())
    response = client.post(IMPORT, {"file": upload})
    assert response.status_code == 400
    assert "không bao giờ được đóng" in response.text
    assert not ImportJob.objects.exists()  # refused at once, no preview
    code = "X" * 25
    upload = SimpleUploadedFile("bad.csv", (HEADER + f"1-KH/TU,2025-06-12,A,{code}\n").encode())
    response = client.post(IMPORT, {"file": upload})
    page = client.get(response["Location"]).text  # a bad row: in the preview
    assert "Mã cơ quan" in page and "tối đa 20" in page
    assert "<td>2</td>" in page
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_admin_refuses_an_upload_over_the_size_limit(client, editor, tu, settings):
    from portal import csvimport

    big = SimpleUploadedFile("big.csv", b"x" * (csvimport.MAX_BYTES + 1))
    response = client.post(IMPORT, {"file": big})
    assert "Tệp lớn hơn 20 MB." in response.text


def _job(user, **overrides) -> ImportJob:
    values = {
        "kind": "documents.document",
        "user": user,
        "file_name": "so-van-ban.csv",
        "rows_total": 20_000,
        "rows_checked": 4_000,
        "options": {"publish": False, "dry_run": False},
    }
    return ImportJob.objects.create(**(values | overrides))


@pytest.mark.django_db
def test_a_running_job_shows_its_progress_and_reloads_itself(client, editor):
    job = _job(editor)
    url = reverse("admin:documents_document_import_job", kwargs={"job_id": job.pk})
    html = client.get(url).text
    assert "Đã kiểm tra 4.000 / 20.000 dòng (20%)" in html
    assert '<progress max="20000" value="4000">' in html
    assert '<meta http-equiv="refresh" content="2">' in html
    job.status = ImportStatus.WRITING
    job.save()
    assert "Đang ghi 20.000 dòng" in client.get(url).text


@pytest.mark.django_db
def test_a_job_stopped_with_its_worker_says_nothing_was_written(client, editor):
    job = _job(editor)
    ImportJob.objects.filter(pk=job.pk).update(
        updated_at=timezone.now() - imports.STALE_AFTER - datetime.timedelta(seconds=1)
    )
    url = reverse("admin:documents_document_import_job", kwargs={"job_id": job.pk})
    html = client.get(url).text
    assert "không dòng nào được ghi" in html and "http-equiv" not in html
    assert ImportJob.objects.get().status == ImportStatus.INTERRUPTED


@pytest.mark.django_db
def test_staff_see_only_their_own_jobs(client, editor):
    job = _job(make_staff("documents.add_document"))
    url = reverse("admin:documents_document_import_job", kwargs={"job_id": job.pk})
    assert client.get(url).status_code == 404


def _run_in_background(client, data: str, *, confirm: bool = True, **options):
    """Upload `data`, wait for its preview, then (when the preview is good and `confirm`)
    press "Nhập thật" and wait for the write; the last job and its page."""
    upload = SimpleUploadedFile("so-van-ban.csv", data.encode())
    response = client.post(IMPORT, {"file": upload, **options})
    job = job_of(response)
    imports.wait(job, timeout=300)
    job.refresh_from_db()
    if confirm and imports.confirmable(job):
        response = client.post(response["Location"])
        job = ImportJob.objects.exclude(pk=job.pk).get()
        imports.wait(job, timeout=300)
        job.refresh_from_db()
    return job, client.get(response["Location"])


@pytest.mark.django_db(transaction=True)
def test_twenty_thousand_rows_through_the_admin(client, editor, tu):
    job, page = _run_in_background(client, register(MAX_ROWS))
    assert (job.status, job.rows_checked, job.errors) == (ImportStatus.DONE, MAX_ROWS, [])
    assert "Đã nhập 20.000 văn bản." in page.text
    assert "http-equiv" not in page.text  # done: the page stops reloading
    assert Document.objects.count() == MAX_ROWS
    assert Document.objects.filter(status="draft").count() == MAX_ROWS
    last = Document.objects.get(display=f"{MAX_ROWS}-KH/TU")
    assert last.slug == f"{MAX_ROWS}-kh-tu" and last.issuer == tu
    assert last.search_text.startswith(f"{MAX_ROWS}-kh/tu ke hoach so")
    assert last.search_text.endswith(" thanh uy ha noi")
    history = Document.history.filter(id=last.pk).get()
    assert (history.history_type, history.history_user) == ("+", editor)
    assert job.content == ""  # the uploaded file is not kept


@pytest.mark.django_db(transaction=True)
def test_a_large_file_with_one_bad_row_writes_nothing(client, editor, tu):
    data = (
        register(3000)
        + "3001-KH/TU,31/02/2025,Ngày sai,TU\n"
        + register(10, first=3002)[len(HEADER) :]
    )
    job, page = _run_in_background(client, data)
    assert job.status == ImportStatus.REFUSED
    assert job.errors == [
        [3002, "Ngày “31/02/2025” không hợp lệ (dùng YYYY-MM-DD hoặc dd/mm/yyyy)."]
    ]
    assert "Tệp có 1 lỗi; không dòng nào được ghi." in page.text
    assert "<td>3002</td>" in page.text
    assert not Document.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_large_dry_run_writes_nothing(client, editor, tu):
    job, page = _run_in_background(client, register(1500), confirm=False)
    assert job.status == ImportStatus.DONE
    assert "Tệp hợp lệ: 1.500 văn bản sẽ được nhập. Chưa ghi gì." in page.text
    assert not Document.objects.exists()
