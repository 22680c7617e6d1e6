"""Demo documents: every document the report of the 23rd conference of the Hanoi City Party
Executive Committee (term XVII) names, with only the facts it gives.

What the article does not give stays empty: signers, effective dates, the dates and numbers
of the conference papers, and the official trích yếu of the numbered documents (their
titles below only restate type, number and issuer as the article names them).

Issuers: Party documents are the Thành ủy's (TU), State ones the UBND's, as their numbers
print; plan 341-KH/TU and the submission are the Ban Thường vụ's (BTVTU), as the article
says (the Standing Board prints its numbers with TU). The other
conference papers were laid before the Thành ủy's conference, so they are recorded as TU.

The draft amendments "amend" 09-QC/TU and 7799-QĐ/TU: that is what they are about, but they
were only discussed at the conference and have no number or date, so under
`status.status_in_force()` they do not take effect: both documents stay in force and show
"being considered for amendment" until an issued amending document is recorded.

On a register that already holds one of these documents (the same number, issuer and
numbering cycle; or, unnumbered, the same title) that the demo did not create, the demo
skips its own, says so, and links nothing to the one found (`portal.demo`).
"""

import datetime

from portal.demo import ensure, ensure_row, made_by_demo
from portal.models import Organization
from portal.publication import PublicationStatus

from .models import Document, DocumentRelation, DocumentType, System
from .status import RelationKind

PUBLISHED = PublicationStatus.PUBLISHED
SUMMARY_341 = (
    "Kế hoạch của Ban Thường vụ Thành ủy về vận hành thử nghiệm mô hình chính quyền địa "
    "phương hai cấp: chạy thử từ ngày 20/6 đến 26/6/2025, họp rút kinh nghiệm ngày 27/6/2025 "
    "và khẩn trương chuẩn bị các điều kiện để mô hình vận hành chính thức từ ngày 1/7/2025."
)

# (number, type name, issuer code, issued on, title, summary)
NUMBERED = [
    (
        "09-QC/TU",
        "Quy chế",
        "TU",
        datetime.date(2023, 6, 22),
        "Quy chế làm việc số 09-QC/TU của Thành ủy",
        "",
    ),
    (
        "7799-QĐ/TU",
        "Quyết định",
        "TU",
        datetime.date(2024, 11, 14),
        "Quyết định số 7799-QĐ/TU của Thành ủy",
        "",
    ),
    (
        "341-KH/TU",
        "Kế hoạch",
        "BTVTU",
        datetime.date(2025, 6, 12),
        "Kế hoạch vận hành thử nghiệm mô hình chính quyền địa phương 2 cấp",
        SUMMARY_341,
    ),
    (
        "04/CTr-UBND",
        "Chương trình",
        "UBND",
        datetime.date(2025, 2, 14),
        "Chương trình hành động số 04/CTr-UBND của UBND Thành phố",
        "",
    ),
    (
        "03/CT-UBND",
        "Chỉ thị",
        "UBND",
        datetime.date(2025, 3, 14),
        "Chỉ thị số 03/CT-UBND của UBND Thành phố",
        "",
    ),
    (
        "04/CT-UBND",
        "Chỉ thị",
        "UBND",
        datetime.date(2025, 3, 28),
        "Chỉ thị số 04/CT-UBND của UBND Thành phố",
        "",
    ),
]

DRAFT_AMENDMENTS = (
    "Sửa đổi, bổ sung Quy chế làm việc số 09-QC/TU ngày 22/6/2023 và Quyết định số "
    "7799-QĐ/TU ngày 14/11/2024 của Thành ủy"
)

# (title, type name or None, issuer code): no number, no date in the article.
UNNUMBERED = [
    (
        "Báo cáo tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội, an ninh - quốc "
        "phòng 6 tháng đầu năm, nhiệm vụ trọng tâm 6 tháng cuối năm 2025 của Thành phố",
        "Báo cáo",
        "TU",
    ),
    (
        "Báo cáo kết quả thực hiện công tác xây dựng Đảng, xây dựng hệ thống chính trị 6 tháng "
        "đầu năm, phương hướng, nhiệm vụ trọng tâm 6 tháng cuối năm 2025",
        "Báo cáo",
        "TU",
    ),
    (
        "Tờ trình của Ban Thường vụ Thành ủy về phương hướng công tác nhân sự Đại hội Đảng bộ "
        "Thành phố lần thứ XVIII",
        "Tờ trình",
        "BTVTU",
    ),
    (
        "Đề án phân bổ số lượng đại biểu dự Đại hội Đảng bộ Thành phố lần thứ XVIII",
        "Đề án",
        "TU",
    ),
    (DRAFT_AMENDMENTS, None, "TU"),
    (
        "Sửa đổi, bổ sung Quy chế làm việc của Ủy ban Kiểm tra Thành ủy nhiệm kỳ 2020-2025",
        None,
        "TU",
    ),
    (
        "Điều chỉnh Kế hoạch kiểm tra, giám sát của Ban Chấp hành Đảng bộ Thành phố năm 2025",
        None,
        "TU",
    ),
]


def _type(name: str | None) -> DocumentType | None:
    if name is None:
        return None
    return DocumentType.objects.filter(name=name).first()


def demo_document(**lookup) -> Document | None:
    """The document the demo created matching `lookup` (its title or number), if any."""
    return made_by_demo(Document.objects.filter(**lookup)).order_by("pk").first()


def _ensure_document(lookup: dict, values: dict) -> Document | None:
    """The demo's document, created or brought up to date; None when the register already
    holds it as a record the demo did not create (the same number, issuer and cycle, or
    without a number the same title), which is left as it is."""
    own = made_by_demo(Document.objects.filter(**lookup)).first()
    if own is None:
        wanted = Document(**lookup, **values)
        wanted.fill_derived()
        if wanted.display:
            taken = wanted.duplicate() is not None
        else:
            taken = Document.objects.filter(**lookup).exists()
        if taken:
            return None
    return ensure_row(Document, own, {**lookup, **values})


def load() -> dict:
    organizations = {
        o.code: o for o in Organization.objects.filter(code__in=["TU", "UBND", "BTVTU"])
    }
    by_number, skipped = {}, []
    for number, type_name, issuer_code, issued_on, title, summary in NUMBERED:
        document = _ensure_document(
            {"number": number, "issuer": organizations[issuer_code]},
            {
                "document_type": _type(type_name),
                "issued_on": issued_on,
                "title": title,
                "summary": summary,
                "status": PUBLISHED,
            },
        )
        if document is None:
            skipped.append(f"{number} ({organizations[issuer_code]})")
        else:
            by_number[number] = document
    by_title = {}
    for title, type_name, issuer_code in UNNUMBERED:
        document = _ensure_document(
            {"title": title, "number": ""},
            {
                "issuer": organizations[issuer_code],
                "system": System.PARTY,
                "document_type": _type(type_name),
                "status": PUBLISHED,
            },
        )
        if document is None:
            skipped.append(title)
        else:
            by_title[title] = document
    relations = 0
    for number in ("09-QC/TU", "7799-QĐ/TU"):
        if DRAFT_AMENDMENTS not in by_title or number not in by_number:
            continue
        ensure(
            DocumentRelation,
            {
                "from_document": by_title[DRAFT_AMENDMENTS],
                "kind": RelationKind.AMENDS,
                "to_document": by_number[number],
            },
        )
        relations += 1
    return {
        "documents": len(by_number) + len(by_title),
        "relations": relations,
    } | ({"skipped": skipped} if skipped else {})
