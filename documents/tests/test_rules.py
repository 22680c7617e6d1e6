"""Plain rules: status in force, numbering cycles, file sniffing, citations."""

import datetime
import io
import zipfile

import pytest

from ..citations import find_citations, render_citations
from ..cycles import numbering_cycle, party_term
from ..files import FileRejected, sniff
from ..status import Incoming, InForce, RelationKind, status_in_force

TODAY = datetime.date(2025, 7, 1)
PAST = datetime.date(2025, 1, 1)
FUTURE = datetime.date(2025, 12, 1)


def act(kind, published=True, issued_on=PAST, effective_on=None):
    return Incoming(kind=kind, published=published, issued_on=issued_on, effective_on=effective_on)


STATUS_CASES = [
    ("plain", {}, [], InForce.IN_FORCE, False),
    ("not issued", {"issued_on": None}, [], InForce.NOT_ISSUED, False),
    (
        "not issued, amended by a draft",
        {"issued_on": None},
        [act(RelationKind.AMENDS, issued_on=None)],
        InForce.NOT_ISSUED,
        True,
    ),
    ("not yet", {"effective_on": FUTURE}, [], InForce.NOT_YET, False),
    ("expired", {"expires_on": PAST}, [], InForce.EXPIRED, False),
    ("expires today", {"expires_on": TODAY}, [], InForce.EXPIRED, False),
    ("expires later", {"expires_on": FUTURE}, [], InForce.IN_FORCE, False),
    ("amended", {}, [act(RelationKind.AMENDS)], InForce.PARTLY_AMENDED, False),
    ("replaced", {}, [act(RelationKind.REPLACES)], InForce.REPLACED, False),
    ("cancelled", {}, [act(RelationKind.CANCELS)], InForce.CANCELLED, False),
    (
        "replaced beats amended",
        {},
        [act(RelationKind.AMENDS), act(RelationKind.REPLACES)],
        InForce.REPLACED,
        False,
    ),
    (
        "draft replacement does not count",
        {},
        [act(RelationKind.REPLACES, published=False)],
        InForce.IN_FORCE,
        False,
    ),
    (
        "published but unissued amendment is pending",
        {},
        [act(RelationKind.AMENDS, issued_on=None)],
        InForce.IN_FORCE,
        True,
    ),
    (
        "amendment not yet effective is pending",
        {},
        [act(RelationKind.AMENDS, effective_on=FUTURE)],
        InForce.IN_FORCE,
        True,
    ),
    (
        "implementing does not change status",
        {},
        [act(RelationKind.IMPLEMENTS)],
        InForce.IN_FORCE,
        False,
    ),
    ("guides does not change", {}, [act(RelationKind.GUIDES)], InForce.IN_FORCE, False),
    (
        "replacement issued later",
        {},
        [act(RelationKind.REPLACES, issued_on=FUTURE)],
        InForce.IN_FORCE,
        True,
    ),
]


@pytest.mark.parametrize(
    ("facts", "incoming", "expected", "pending"),
    [case[1:] for case in STATUS_CASES],
    ids=[case[0] for case in STATUS_CASES],
)
def test_status_in_force(facts, incoming, expected, pending):
    standing = status_in_force(
        today=TODAY,
        issued_on=facts.get("issued_on", PAST),
        effective_on=facts.get("effective_on"),
        expires_on=facts.get("expires_on"),
        incoming=incoming,
    )
    assert standing.status == expected
    assert standing.pending_change is pending


@pytest.mark.parametrize(
    ("day", "term"),
    [
        (datetime.date(2020, 10, 12), ""),
        (datetime.date(2020, 10, 13), "XVII"),
        (datetime.date(2023, 6, 22), "XVII"),
        (datetime.date(2025, 10, 15), "XVII"),
        (datetime.date(2025, 10, 16), "XVIII"),
        (datetime.date(2026, 1, 12), "XVIII"),
        (None, ""),
    ],
)
def test_party_term(day, term):
    assert party_term(day) == term


def test_numbering_cycle():
    assert numbering_cycle("state", datetime.date(2025, 3, 14), None) == "2025"
    assert numbering_cycle("state", None, 2020) == "2020"
    assert numbering_cycle("state", None, None) == ""
    assert numbering_cycle("party", datetime.date(2021, 5, 1), None) == "term:XVII"
    assert numbering_cycle("party", datetime.date(2026, 1, 12), None) == "term:XVIII"


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


OLE2 = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 64
DOCX = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"})
XLSX = _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<w/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
ODS = _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("ke-hoach.pdf", b"%PDF-1.7\n...", "pdf"),
        ("KẾ HOẠCH.PDF", b"%PDF-1.4", "pdf"),
        ("cu.doc", OLE2, "doc"),
        ("bang.xls", OLE2, "xls"),
        ("moi.docx", DOCX, "docx"),
        ("bang.xlsx", XLSX, "xlsx"),
        ("van-ban.odt", ODT, "odt"),
        ("bang.ods", ODS, "ods"),
    ],
)
def test_sniff_accepts_real_files(name, content, kind):
    stream = io.BytesIO(content)
    assert sniff(stream, name).extension == kind
    assert stream.tell() == 0


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("trang.pdf", b"<html><script>alert(1)</script>"),
        ("chuong-trinh.exe", b"MZ\x90\x00"),
        ("bang.xlsx", DOCX),  # a Word package renamed
        ("moi.docx", _zip({"a.txt": b"x"})),  # a plain zip
        ("moi.docx", OLE2),
        ("anh.pdf", b"\x89PNG\r\n\x1a\n"),
        ("khong-duoi", b"%PDF-1.4"),
        ("van-ban.odt", ODS),
        ("hong.docx", b"PK\x03\x04broken"),
    ],
)
def test_sniff_refuses_wrong_content(name, content):
    with pytest.raises(FileRejected):
        sniff(io.BytesIO(content), name)


def test_find_citations_in_text():
    text = (
        "Sửa đổi Quy chế làm việc số 09-QC/TU ngày 22/6/2023 và Quyết định số 7799-QĐ/TU; "
        "căn cứ Chương trình 04/CTr-UBND, Nghị định 30/2020/NĐ-CP và Luật 80/2015/QH13."
    )
    assert [c.display for c in find_citations(text)] == [
        "09-QC/TU",
        "7799-QĐ/TU",
        "04/CTr-UBND",
        "30/2020/NĐ-CP",
        "80/2015/QH13",
    ]


def test_find_citations_ignores_dates_and_plain_numbers():
    assert find_citations("ngày 22/6/2023, 126 xã, 16.765/16.765 chi bộ, tỷ lệ 98,7%") == []


def test_render_citations_links_known_numbers_and_escapes_the_rest():
    html = render_citations(
        "<b>Sửa</b> Quy chế số 09-QC/TU và 12-QĐ/TU", {"09-QC/TU": "/documents/2023/09-qc-tu/"}
    )
    assert html == (
        "&lt;b&gt;Sửa&lt;/b&gt; Quy chế số "
        '<a href="/documents/2023/09-qc-tu/">09-QC/TU</a> và 12-QĐ/TU'
    )


def test_render_citations_never_links_the_document_to_itself():
    html = render_citations("Kế hoạch 341-KH/TU", {"341-KH/TU": "/x/"}, skip="341-KH/TU")
    assert "<a" not in html


def test_citation_followed_by_a_date_links_that_cycle():
    links = {
        "06-CTr/TU": "/documents/2026/06-ctr-tu/",
        ("06-CTr/TU", datetime.date(2021, 3, 17)): "/documents/2021/06-ctr-tu/",
    }
    html = render_citations(
        "Chương trình 06-CTr/TU ngày 17/3/2021; Chương trình 06-CTr/TU, ngày 31/2/2026; "
        "và 06-CTr/TU.",
        links,
    )
    assert html.count('href="/documents/2021/06-ctr-tu/"') == 1
    assert html.count('href="/documents/2026/06-ctr-tu/"') == 2
    citations = find_citations("số 09-QC/TU ngày 22/6/2023 của Thành ủy")
    assert citations[0].issued_on == datetime.date(2023, 6, 22)
