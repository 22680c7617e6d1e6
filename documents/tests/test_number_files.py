"""Uploading a report to the number check: plain text in the encodings Vietnamese files
come in, a Word document and a PDF, all made here as real files; bad files are a form
error on the page, never a server error."""

import csv
import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents import number_files
from documents.number_check import Typed, numbers_in

from . import files
from .factories import make_document, make_state_document, organization

URL = reverse("documents:lookup")
REPORT = [
    "BÁO CÁO kết quả thực hiện chuyển đổi số năm 2025",
    "Thực hiện Kế hoạch số 341-KH/TU ngày 15/11/2025 của Ban Thường vụ Thành ủy Hà Nội và "
    "Quyết định số 2237/QĐ-UBND của Ủy ban nhân dân Thành phố, Sở Thông tin và Truyền thông "
    "đã triển khai các nội dung sau.",
]


@pytest.fixture
def register(db):
    tu = organization("TU", name="Thành ủy Hà Nội")
    return {
        "341": make_document(number="341-KH/TU", issuer=tu, issued_on=datetime.date(2025, 11, 15)),
        "341 (2019)": make_document(
            number="341-KH/TU", issuer=tu, issued_on=datetime.date(2019, 4, 2)
        ),
        "2237": make_state_document(number="2237/QĐ-UBND", issued_on=datetime.date(2023, 5, 4)),
        "15": make_document(number="15-CT/TU", issuer=tu, issued_on=datetime.date(2024, 2, 1)),
    }


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


# Reading the files -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: text.encode("utf-8-sig"),  # Notepad's "UTF-8 with BOM"
        lambda text: text.encode("utf-16"),  # Notepad's "Unicode": a BOM, little-endian
        lambda text: text.encode("utf-16-le"),  # the same without its BOM
        lambda text: text.encode("utf-16-be"),
        files.cp1258,  # Windows' Vietnamese code page, tones as combining marks
    ],
    ids=["utf-8", "utf-8-bom", "utf-16", "utf-16-le", "utf-16-be", "cp1258"],
)
def test_plain_text_in_each_encoding_reads_the_same(encode):
    text = "\n".join(REPORT)
    read = number_files.text_of(_upload("bao-cao.txt", encode(text)))
    assert read.replace("\r\n", "\n") == text
    assert numbers_in(read, unread_too=False) == [
        Typed("341-KH/TU", datetime.date(2025, 11, 15)),
        Typed("2237/QĐ-UBND"),
    ]


def test_a_word_document_gives_its_paragraphs_table_cells_and_footnotes():
    content = files.docx(
        REPORT,
        table=[["STT", "Số, ký hiệu", "Trích yếu"], ["1", "15-CT/TU", "Chỉ thị về phòng cháy"]],
        footnotes=["Xem thêm Kế hoạch số 90-KH/TU năm 2019."],
    )
    read = number_files.text_of(_upload("Báo cáo.DOCX", content))
    assert REPORT[1] in read
    found = numbers_in(read, unread_too=False)  # headings and "STT" are not numbers
    assert [typed.text for typed in found] == ["341-KH/TU", "2237/QĐ-UBND", "15-CT/TU", "90-KH/TU"]
    assert found[-1].year == 2019


def test_a_pdf_gives_its_text_layer():
    read = number_files.text_of(_upload("bao-cao.pdf", files.pdf(REPORT)))
    assert "Ban Thường vụ Thành ủy Hà Nội" in read
    assert [typed.text for typed in numbers_in(read, unread_too=False)] == [
        "341-KH/TU",
        "2237/QĐ-UBND",
    ]


def _encrypted_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("mat-khau")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


BAD_FILES = [
    (
        "bao-cao.doc",
        b"\xd0\xcf\x11\xe0 an old Word file",
        "Chỉ đọc được tệp .txt, .docx hoặc .pdf",
    ),
    ("bao-cao", b"341-KH/TU", "Chỉ đọc được tệp .txt, .docx hoặc .pdf"),
    ("bao-cao.docx", b"PK\x03\x04 cut short", "không phải là văn bản Word (.docx) hợp lệ"),
    ("bao-cao.docx", files.docx(REPORT)[:300], "không phải là văn bản Word (.docx) hợp lệ"),
    ("bao-cao.docx", b"341-KH/TU", "không phải là văn bản Word (.docx) hợp lệ"),
    ("bao-cao.pdf", b"341-KH/TU", "Tệp không phải là PDF hợp lệ."),
    ("bao-cao.pdf", files.pdf(REPORT)[:400], "Tệp PDF bị hỏng"),
    ("bao-cao.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 20, "Tệp PDF bị hỏng"),
    ("bao-cao.pdf", _encrypted_pdf(), "được đặt mật khẩu"),
    ("bao-cao.pdf", _blank_pdf(), "không có lớp chữ"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES)
def test_a_bad_file_says_why(name, content, message):
    with pytest.raises(number_files.UnreadableFile, match=re.escape(message)):
        number_files.text_of(_upload(name, content))


def test_a_word_document_that_inflates_too_far_is_refused(settings, monkeypatch):
    monkeypatch.setattr(number_files, "MAX_DOCX_PART_BYTES", 1000)
    content = files.docx(REPORT * 20)
    with pytest.raises(number_files.UnreadableFile, match="quá lớn"):
        number_files.text_of(_upload("bao-cao.docx", content))


# Through the page ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bao-cao.txt", files.cp1258("\n".join(REPORT))),
        ("bao-cao.docx", files.docx(REPORT)),
        ("bao-cao.pdf", files.pdf(REPORT)),
    ],
)
def test_an_uploaded_report_is_checked(register, client, name, content):
    response = client.post(URL, {"numbers": "", "file": _upload(name, content)})
    assert response.status_code == 200
    page = response.text
    assert "Kết quả: 2 số" in page
    assert register["341"].get_absolute_url() in page
    assert register["341 (2019)"].get_absolute_url() not in page  # the date picked 2025's
    assert register["2237"].get_absolute_url() in page
    # The box now holds what was found, so the CSV needs no second upload.
    assert "341-KH/TU ngày 15/11/2025\n2237/QĐ-UBND</textarea>" in page
    download = client.post(
        URL, {"numbers": "341-KH/TU ngày 15/11/2025\n2237/QĐ-UBND", "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert [row[3] for row in rows[1:]] == ["341-KH/TU", "2237/QĐ-UBND"]


def test_typed_numbers_and_a_file_are_checked_together(register, client):
    upload = _upload("bao-cao.docx", files.docx(REPORT))
    response = client.post(URL, {"numbers": "15 CT TU", "file": upload})
    assert "Kết quả: 3 số" in response.text
    assert register["15"].get_absolute_url() in response.text


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES)
def test_a_bad_upload_is_a_form_error_and_the_typed_text_is_kept(
    register, client, name, content, message
):
    response = client.post(URL, {"numbers": "341 KH TU", "file": _upload(name, content)})
    assert response.status_code == 200
    assert message in response.text
    assert 'id="file-errors"' in response.text
    assert ">341 KH TU</textarea>" in response.text
    assert "Kết quả:" not in response.text


def test_a_file_over_the_size_limit_is_refused(register, client):
    big = _upload("bao-cao.txt", b"341-KH/TU\n" * (number_files.MAX_BYTES // 10 + 1))
    response = client.post(URL, {"numbers": "", "file": big})
    assert "Tệp lớn hơn 5 MB" in response.text
    assert "Kết quả:" not in response.text


def test_a_file_without_numbers_says_so_on_the_file(register, client):
    upload = _upload("thu.txt", "Kính gửi các sở, ban, ngành.\n".encode() * 3)
    response = client.post(URL, {"numbers": "", "file": upload})
    assert 'id="file-errors"' in response.text
    assert "Không tìm thấy số văn bản nào" in response.text
