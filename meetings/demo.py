"""Demo facts: the 23rd conference of the Hanoi City Party Executive Committee, term XVII.

Only what the news report states. It gives no calendar date, place, meeting kind, member
count or vote tallies, so those stay empty; it says the conference took one morning.
Documents are linked when the documents demo has created them (looked up by exact title
or printed number), and silently skipped otherwise. On a register that already holds this
meeting (its term and number) as a record the demo did not create, the demo adds nothing
to it and says so (`portal.demo`).
"""

from documents.demo import demo_document
from documents.models import Document
from portal.demo import ensure, is_demo
from portal.models import Organization, Person
from portal.publication import PublicationStatus

from .models import (
    AgendaItem,
    AgendaItemKind,
    Meeting,
    MeetingParticipant,
    ParticipantRole,
    PartOfDay,
    Term,
    Vote,
)
from .voting import VoteResult

TITLE = "Hội nghị lần thứ 23 Ban Chấp hành Đảng bộ Thành phố khóa XVII"

SUMMARY = """\
Hội nghị họp trong một buổi sáng để bàn và cho ý kiến về bảy nội dung: công tác nhân sự \
và việc phân bổ số lượng đại biểu dự Đại hội Đảng bộ Thành phố lần thứ XVIII; sửa đổi, \
bổ sung quy chế làm việc của Thành ủy và của Ủy ban Kiểm tra Thành ủy; điều chỉnh kế hoạch \
kiểm tra, giám sát năm 2025; cùng hai báo cáo 6 tháng đầu năm 2025, về kinh tế - xã hội \
và về công tác xây dựng Đảng.

Các đại biểu biểu quyết thông qua chương trình hội nghị và phương hướng công tác nhân sự \
Đại hội XVIII; hội nghị cũng xem xét, thông qua báo cáo công tác xây dựng Đảng, xây dựng hệ \
thống chính trị 6 tháng đầu năm."""

CHAIRS = ["Bùi Thị Minh Hoài", "Trần Sỹ Thanh", "Nguyễn Văn Phong", "Nguyễn Ngọc Tuấn"]
OPENING_SPEAKER = "Nguyễn Văn Phong"

PERSONNEL_QUESTION = (
    "Thông qua phương hướng công tác nhân sự Đại hội Đảng bộ Thành phố lần thứ XVIII"
)
PARTY_REPORT_TITLE = (
    "Báo cáo kết quả thực hiện công tác xây dựng Đảng, xây dựng hệ thống chính trị 6 tháng "
    "đầu năm, phương hướng, nhiệm vụ trọng tâm 6 tháng cuối năm 2025"
)

# (order, title as listed in the opening speech, kind, presenter, document titles,
#  document numbers, outcome) in the report's order.
AGENDA = [
    (
        "1",
        "Phương hướng công tác nhân sự Đại hội Đảng bộ Thành phố lần thứ XVIII",
        AgendaItemKind.PERSONNEL,
        "Nguyễn Văn Phong",
        [
            "Tờ trình của Ban Thường vụ Thành ủy về phương hướng công tác nhân sự Đại hội "
            "Đảng bộ Thành phố lần thứ XVIII"
        ],
        [],
        "Hội nghị biểu quyết thông qua.",
    ),
    (
        "2",
        "Đề án phân bổ số lượng đại biểu dự Đại hội Đảng bộ Thành phố lần thứ XVIII",
        AgendaItemKind.OTHER,
        None,
        ["Đề án phân bổ số lượng đại biểu dự Đại hội Đảng bộ Thành phố lần thứ XVIII"],
        [],
        "",
    ),
    (
        "3",
        "Sửa đổi, bổ sung Quy chế làm việc số 09-QC/TU ngày 22/6/2023 và Quyết định số "
        "7799-QĐ/TU ngày 14/11/2024 của Thành ủy",
        AgendaItemKind.REGULATION,
        None,
        [
            "Sửa đổi, bổ sung Quy chế làm việc số 09-QC/TU ngày 22/6/2023 và Quyết định số "
            "7799-QĐ/TU ngày 14/11/2024 của Thành ủy"
        ],
        ["09-QC/TU", "7799-QĐ/TU"],
        "",
    ),
    (
        "4",
        "Sửa đổi, bổ sung Quy chế làm việc của Ủy ban Kiểm tra Thành ủy nhiệm kỳ 2020-2025",
        AgendaItemKind.REGULATION,
        None,
        ["Sửa đổi, bổ sung Quy chế làm việc của Ủy ban Kiểm tra Thành ủy nhiệm kỳ 2020-2025"],
        [],
        "",
    ),
    (
        "5",
        "Điều chỉnh Kế hoạch kiểm tra, giám sát của Ban Chấp hành Đảng bộ Thành phố năm 2025",
        AgendaItemKind.INSPECTION,
        None,
        ["Điều chỉnh Kế hoạch kiểm tra, giám sát của Ban Chấp hành Đảng bộ Thành phố năm 2025"],
        [],
        "",
    ),
    (
        "6",
        "Báo cáo tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội, an ninh - quốc "
        "phòng 6 tháng đầu năm, nhiệm vụ trọng tâm 6 tháng cuối năm 2025 của Thành phố",
        AgendaItemKind.REPORT,
        None,
        [
            "Báo cáo tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội, an ninh - quốc "
            "phòng 6 tháng đầu năm, nhiệm vụ trọng tâm 6 tháng cuối năm 2025 của Thành phố"
        ],
        [],
        "",
    ),
    (
        "7",
        "Báo cáo công tác xây dựng Đảng 6 tháng đầu năm 2025; phương hướng, nhiệm vụ 6 tháng "
        "cuối năm 2025 của Thành ủy",
        AgendaItemKind.REPORT,
        None,
        [PARTY_REPORT_TITLE],
        [],
        "Hội nghị xem xét, thông qua.",
    ),
]

# (agenda order or None for the meeting itself, question as put): all adopted, no tallies.
VOTES = [
    (None, "Thông qua chương trình Hội nghị lần thứ 23"),
    ("1", PERSONNEL_QUESTION),
    ("7", f"Thông qua {PARTY_REPORT_TITLE}"),
]


def _documents(titles: list[str], numbers: list[str]) -> list[Document]:
    found = [demo_document(title=title) for title in titles]
    found += [demo_document(number=number) for number in numbers]
    return [document for document in found if document is not None]


def load() -> dict:
    body = Organization.objects.get(code="BCHTU")
    term = ensure(
        Term,
        {"body": body, "ordinal": "XVII"},
        {"start_year": 2020, "end_year": 2025, "members_count": None},
    )
    meeting = ensure(
        Meeting,
        {"term": term, "number": 23},
        {
            "title": TITLE,
            "kind": "",
            "date": None,
            "part_of_day": PartOfDay.MORNING,
            "place": "",
            "members_present": None,
            "summary": SUMMARY,
            "status": PublicationStatus.PUBLISHED,
        },
    )
    if not is_demo(meeting):
        return {"meetings": 0, "skipped": [f"{meeting.title} ({term})"]}
    people = {p.full_name: p for p in Person.objects.filter(full_name__in=CHAIRS)}
    for order, name in enumerate(CHAIRS):
        ensure(
            MeetingParticipant,
            {"meeting": meeting, "person": people[name], "role": ParticipantRole.CHAIR},
            {"order": order},
        )
    ensure(
        MeetingParticipant,
        {"meeting": meeting, "person": people[OPENING_SPEAKER], "role": ParticipantRole.OPENING},
        {"order": 0},
    )
    items = {}
    links = 0
    for order, title, kind, presenter, doc_titles, doc_numbers, outcome in AGENDA:
        item = ensure(
            AgendaItem,
            {"meeting": meeting, "order": order},
            {
                "title": title,
                "kind": kind,
                "presenter": people[presenter] if presenter else None,
                "outcome": outcome,
            },
        )
        documents = _documents(doc_titles, doc_numbers)
        missing = [d for d in documents if not item.documents.filter(pk=d.pk).exists()]
        if missing:
            item.documents.add(*missing)
        links += len(documents)
        items[order] = item
    for position, (item_order, question) in enumerate(VOTES):
        ensure(
            Vote,
            {"meeting": meeting, "agenda_item": items.get(item_order), "question": question},
            {"result": VoteResult.ADOPTED, "order": position},
        )
    return {
        "terms": 1,
        "meetings": 1,
        "agenda items": len(items),
        "votes": len(VOTES),
        "document links": links,
    }
