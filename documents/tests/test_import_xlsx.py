"""The documents import from an Excel workbook: the same rows, checks and limits as a
CSV file, Excel row numbers, date cells as dates, formulas refused; through the admin's
preview and the command."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from portal.models import ImportJob, ImportStatus
from portal.tests.factories import make_staff
from portal.tests.workbooks import xlsx

from ..models import Document
from ..services import import_documents
from .factories import organization

pytestmark = pytest.mark.django_db
IMPORT = reverse("admin:documents_document_import")
HEADER = ("number", "issued_on", "title", "issuer", "summary")
GOOD = (
    # The issuer by the name the portal shows, a real date cell, a datetime cell.
    ("341-KH/TU", datetime.date(2025, 6, 12), "Kế hoạch vận hành", "Thành ủy Hà Nội", None),
    (
        "04/CTr-UBND",
        datetime.datetime(2025, 2, 14),
        "Chương trình hành động",
        "UBND thành phố",
        "Dòng 1\nDòng 2",
    ),
)


@pytest.fixture
def issuers():
    organization("TU", name="Thành ủy Hà Nội")
    ubnd = organization("UBND", "state", name="Ủy ban nhân dân thành phố Hà Nội")
    ubnd.short_name = "UBND thành phố"  # what the portal shows for it
    ubnd.save()


@pytest.fixture
def editor(client):
    user = make_staff("documents.add_document", "documents.view_document")
    client.force_login(user)
    return user


def test_good_rows_with_date_cells_and_issuers_by_name(issuers):
    report = import_documents(data=xlsx(HEADER, *GOOD))
    assert report.ok, report.errors
    first, second = sorted(report.created, key=lambda d: d.issued_on, reverse=True)
    assert (first.display, first.issued_on, first.issuer.code) == (
        "341-KH/TU",
        datetime.date(2025, 6, 12),
        "TU",
    )
    assert (second.issued_on, second.issuer.code) == (datetime.date(2025, 2, 14), "UBND")
    assert second.summary == "Dòng 1\nDòng 2"  # summary may break lines, as in a CSV
    assert Document.objects.count() == 2


def test_bad_rows_with_their_excel_row_number_and_nothing_written(issuers):
    data = xlsx(
        HEADER,
        GOOD[0],
        (None,) * 5,  # a blank row 3 still counts in the numbering
        ("5-KH/TU", "hôm qua", "Ngày sai", "TU", None),  # row 4
        ("7-KH/TU", 20250612, "Một số, không phải ngày", "Cơ quan không có", None),  # row 5
    )
    report = import_documents(data=data)
    assert [line for line, _message in report.errors] == [4, 5, 5]
    assert "hôm qua" in report.errors[0][1] and "20250612" in report.errors[1][1]
    assert "Cơ quan không có" in report.errors[2][1]
    assert not Document.objects.exists()


def test_a_formula_refuses_the_file_naming_each_cell(issuers):
    """Like a ragged row in a CSV file, a formula is a problem of the file: refused before
    any row is checked, every formula listed with its cell."""
    data = xlsx(
        HEADER,
        GOOD[0],
        ("6-KH/TU", "=TODAY()", "Công thức", "TU", None),
        ("7-KH/TU", "2025-01-01", '=C2&" (bản sao)"', "TU", None),
    )
    report = import_documents(data=data)
    assert [line for line, _message in report.errors] == [3, 4]
    assert "ô B3 là công thức (=TODAY())" in report.errors[0][1]
    assert "ô C4 là công thức" in report.errors[1][1]
    assert not Document.objects.exists()


def test_the_same_limits_as_csv(issuers):
    too_long = xlsx(HEADER, ("1-KH/TU", "2025-06-12", "X", "T" * 300, None))
    report = import_documents(data=too_long)
    assert report.errors[0][0] == 2 and "tối đa" in report.errors[0][1]
    title_break = xlsx(HEADER, ("1-KH/TU", "2025-06-12", "Hai\ndòng", "TU", None))
    assert "xuống dòng" in import_documents(data=title_break).errors[0][1]
    missing = import_documents(data=xlsx(("number", "title"), ("1-KH/TU", "X")))
    assert missing.errors == [(1, "Thiếu cột bắt buộc: issued_on.")]


def test_preview_in_the_admin_then_import_for_real(client, editor, issuers):
    upload = SimpleUploadedFile("so-van-ban.xlsx", xlsx(HEADER, *GOOD))
    response = client.post(IMPORT, {"file": upload})
    assert response.status_code == 302
    preview_url = response["Location"]
    page = client.get(preview_url).text
    assert "Tệp hợp lệ: 2 văn bản sẽ được nhập. Chưa ghi gì." in page
    assert "Nhập thật" in page
    assert not Document.objects.exists()  # nothing written until confirmed
    response = client.post(preview_url)
    write = ImportJob.objects.get(options__dry_run=False)
    assert response["Location"] == reverse(
        "admin:documents_document_import_job", kwargs={"job_id": write.pk}
    )
    assert "Đã nhập 2 văn bản." in client.get(response["Location"]).text
    assert Document.objects.filter(status="draft").count() == 2
    assert write.status == ImportStatus.DONE or write.refresh_from_db() is None
    # The preview's file is gone with its confirmation: it cannot be written twice.
    client.post(preview_url)
    assert Document.objects.count() == 2 and ImportJob.objects.count() == 2


def test_preview_lists_bad_rows_and_offers_no_import(client, editor, issuers):
    data = xlsx(HEADER, GOOD[0], ("5-KH/TU", "31/02/2025", "Ngày sai", "TU", None))
    response = client.post(IMPORT, {"file": SimpleUploadedFile("sai.xlsx", data)})
    page = client.get(response["Location"]).text
    assert "Tệp có 1 lỗi; không dòng nào được ghi." in page
    assert "<td>3</td>" in page and "31/02/2025" in page
    assert "Nhập thật" not in page
    assert not Document.objects.exists()


def test_a_formula_is_refused_at_upload(client, editor, issuers):
    data = xlsx(HEADER, GOOD[0], ("5-KH/TU", "=A2", "Công thức", "TU", None))
    response = client.post(IMPORT, {"file": SimpleUploadedFile("sai.xlsx", data)})
    assert response.status_code == 400
    assert "<td>3</td>" in response.text and "ô B3 là công thức" in response.text
    assert not ImportJob.objects.exists() and not Document.objects.exists()


def test_an_old_xls_or_a_broken_workbook_is_refused_at_once(client, editor):
    old = SimpleUploadedFile("cu.xls", bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 100)
    response = client.post(IMPORT, {"file": old})
    assert response.status_code == 400 and "hãy lưu lại dạng .xlsx" in response.text
    broken = SimpleUploadedFile("hong.xlsx", b"PK\x03\x04" + b"x" * 100)
    response = client.post(IMPORT, {"file": broken})
    assert response.status_code == 400 and "Không đọc được tệp Excel" in response.text
    assert not ImportJob.objects.exists()


def test_the_command_reads_a_workbook(tmp_path, issuers, capsys):
    path = tmp_path / "so-van-ban.xlsx"
    path.write_bytes(xlsx(HEADER, *GOOD))
    call_command("import_documents", str(path), "--dry-run")
    assert "Sẽ nhập 2 văn bản." in capsys.readouterr().out
    assert not Document.objects.exists()
    call_command("import_documents", str(path))
    # Issuers by the names the portal shows: the full name, the short name.
    assert {d.issuer.code for d in Document.objects.select_related("issuer")} == {"TU", "UBND"}
    bad = tmp_path / "sai.xlsx"
    bad.write_bytes(xlsx(HEADER, ("9-KH/TU", "=NOW()", "X", "TU", None)))
    with pytest.raises(CommandError, match="1 lỗi"):
        call_command("import_documents", str(bad))
    assert f"{bad}:2: ô B2 là công thức" in capsys.readouterr().err


def test_a_preview_keeps_its_file_a_day(client, editor, issuers):
    from django.utils import timezone

    from portal import imports

    response = client.post(IMPORT, {"file": SimpleUploadedFile("a.xlsx", xlsx(HEADER, GOOD[0]))})
    stale = ImportJob.objects.get()
    ImportJob.objects.filter(pk=stale.pk).update(
        updated_at=timezone.now() - imports.PREVIEW_KEPT - datetime.timedelta(seconds=1)
    )
    client.post(IMPORT, {"file": SimpleUploadedFile("b.xlsx", xlsx(HEADER, GOOD[1]))})
    stale.refresh_from_db()
    assert stale.content == "" and not imports.confirmable(stale)
    page = client.get(client.post(response["Location"])["Location"]).text
    assert "Bản xem trước này không còn nhập được" in page
    assert not Document.objects.exists()
