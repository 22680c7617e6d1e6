import datetime

import pytest
from django.core.management import CommandError, call_command

from portal.tests.factories import make_person

from ..models import Document
from ..services import import_documents
from .factories import document_type, make_document, organization

pytestmark = pytest.mark.django_db

GOOD = """\
number,issued_on,title,type,issuer,signer,summary,effective_on,visibility
341-KH/TU,2025-06-12,Kế hoạch vận hành thử nghiệm,Kế hoạch,TU,Nguyễn Văn Phong,Chạy thử,,công khai
04/CTr-UBND,14/02/2025,Chương trình hành động,,,,,14/02/2025,
2237/UBND-KT,2025-05-05,Công văn về giao thông,,,,,,internal
15-KH/BTGTU,2025-03-01,Kế hoạch tuyên truyền,,,,,,
"""

BAD = """\
number,issued_on,title,type
341-KH/TU,2025-06-12,Đúng,
Số: /HC-TH,2025-06-12,Mẫu chưa có số,
7799-QĐ/TU,31/02/2024,Ngày sai,
12-KH/TU,2025-01-01,,Loại lạ
04/CTr-UBND,2025-02-14,Sai loại,Kế hoạch
341-KH/TU,2025-07-01,Trùng số trong cùng nhiệm kỳ,
"""


@pytest.fixture
def people():
    organization("TU")
    organization("UBND", "state")
    return make_person(full_name="Nguyễn Văn Phong")


def test_good_file(people):
    report = import_documents(data=GOOD.encode("utf-8-sig"), publish=True)
    assert report.ok, report.errors
    assert [d.display for d in report.created] == [
        "341-KH/TU",
        "04/CTr-UBND",
        "2237/UBND-KT",
        "15-KH/BTGTU",
    ]
    assert report.new_issuers == ["BTGTU"]
    plan = Document.objects.get(display="341-KH/TU")
    assert plan.signer == people and plan.document_type == document_type("Kế hoạch")
    assert plan.status == "published" and plan.summary == "Chạy thử"
    programme = Document.objects.get(display="04/CTr-UBND")
    assert programme.document_type == document_type("Chương trình")  # from the number
    assert programme.issuer.code == "UBND" and programme.system == "state"
    assert programme.effective_on == datetime.date(2025, 2, 14)
    assert Document.objects.get(display="2237/UBND-KT").visibility == "internal"
    assert Document.objects.get(display="15-KH/BTGTU").issuer.name == "BTGTU"


def test_bad_rows_are_all_reported_and_nothing_is_written(people):
    make_document(number="99-KH/TU")
    report = import_documents(data=BAD)
    assert not report.ok
    lines = [line for line, _message in report.errors]
    assert lines == [3, 4, 5, 5, 6, 7]
    messages = " ".join(message for _line, message in report.errors)
    assert "31/02/2024" in messages and "Loại lạ" in messages and "trích yếu" in messages
    assert "nhiệm kỳ XVII" in messages
    assert Document.objects.count() == 1


def test_missing_columns(people):
    report = import_documents(data="number,title\n1-KH/TU,X\n")
    assert report.errors == [(1, "Thiếu cột bắt buộc: issued_on.")]


def test_unknown_issuer_is_not_created_when_the_file_fails(people):
    data = GOOD + "bad,2025-01-01,X,,,,,,\n"
    report = import_documents(data=data)
    assert not report.ok and report.new_issuers == []
    assert not Document.objects.exists()
    from portal.models import Organization

    assert not Organization.objects.filter(code="BTGTU").exists()


def test_command(tmp_path, people, capsys):
    path = tmp_path / "register.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command("import_documents", str(path), "--dry-run")
    assert not Document.objects.exists()
    call_command("import_documents", str(path), "--publish")
    out = capsys.readouterr().out
    assert "Đã nhập 4 văn bản." in out and "BTGTU" in out
    assert Document.objects.published().count() == 4


def test_command_reports_lines_and_fails(tmp_path, people, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    with pytest.raises(CommandError, match="không văn bản nào được nhập"):
        call_command("import_documents", str(path))
    assert f"{path}:3:" in capsys.readouterr().err
    assert not Document.objects.exists()
