"""Sample meetings (`manage.py load_sample`, `portal/sample.py`): a year of dated meetings
of the City Party Executive Committee, its Standing Board, the People's Council and the
People's Committee, each with chairs, an agenda citing the sample's documents, and votes
with tallies. Invented, in the new terms (2025–2030/2026–2031), so they never take the
number of a demo or staff meeting: a meeting whose term and number exist is skipped.
"""

import datetime
import random

from documents.models import Document
from portal import sample
from portal.publication import PublicationStatus

from .models import (
    AgendaItem,
    AgendaItemKind,
    Meeting,
    MeetingKind,
    MeetingParticipant,
    ParticipantRole,
    PartOfDay,
    Term,
    Vote,
    VoteMethod,
)
from .voting import PassRule, VoteResult

YEAR = 2026

# (body code, term ordinal, start year, end year, members, title pattern, place, months,
#  chairs)
BODIES = [
    (
        "BCHTU",
        "XVIII",
        2025,
        2030,
        71,
        "Hội nghị lần thứ {n} Ban Chấp hành Đảng bộ Thành phố khóa XVIII",
        "Trụ sở Thành ủy, số 34 phố Lê Lai, phường Hoàn Kiếm",
        [1, 4, 7, 10, 12],
        ["Bùi Thị Minh Hoài", "Trương Công Nghĩa"],
    ),
    (
        "BTVTU",
        "XVIII",
        2025,
        2030,
        19,
        "Hội nghị Ban Thường vụ Thành ủy lần thứ {n}, khóa XVIII",
        "Trụ sở Thành ủy, số 34 phố Lê Lai, phường Hoàn Kiếm",
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
        ["Nguyễn Văn Phong", "Trương Công Nghĩa"],
    ),
    (
        "HĐND",
        "XVII",
        2026,
        2031,
        125,
        "Kỳ họp thứ {n} Hội đồng nhân dân Thành phố khóa XVII",
        "Hội trường Trung tâm Hội nghị Thành phố, số 7 phố Đinh Lễ",
        [3, 7, 12],
        ["Nguyễn Ngọc Tuấn", "Lê Hoàng Minh Khôi"],
    ),
    (
        "UBND",
        "XVII",
        2026,
        2031,
        17,
        "Phiên họp thường kỳ UBND Thành phố tháng {m}/{y}",
        "Trụ sở UBND Thành phố, số 79 phố Đinh Tiên Hoàng",
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
        ["Trần Sỹ Thanh", "Nguyễn Thị Phương Thảo"],
    ),
]

AGENDA = [
    (AgendaItemKind.REPORT, "Báo cáo tình hình kinh tế - xã hội, thu chi ngân sách {period}"),
    (AgendaItemKind.PLAN, "Cho ý kiến về {title}"),
    (AgendaItemKind.PERSONNEL, "Công tác cán bộ: kiện toàn, bổ sung nhân sự các sở, ban, ngành"),
    (AgendaItemKind.INSPECTION, "Kết quả kiểm tra, giám sát việc thực hiện {title}"),
    (AgendaItemKind.REGULATION, "Thông qua {title}"),
]

# The agenda items that concern a document, and what an item's vote led to.
CITING = {AgendaItemKind.PLAN, AgendaItemKind.INSPECTION, AgendaItemKind.REGULATION}
OUTCOMES = {
    VoteResult.ADOPTED: "Hội nghị biểu quyết thông qua.",
    VoteResult.REJECTED: "Không đủ số phiếu tán thành; giao cơ quan trình tiếp thu, hoàn thiện.",
}

PERIODS = {
    1: "năm 2025",
    2: "tháng 1/2026",
    3: "quý I/2026",
    4: "quý I/2026",
    5: "4 tháng đầu năm 2026",
    6: "5 tháng đầu năm 2026",
    7: "6 tháng đầu năm 2026",
    8: "7 tháng đầu năm 2026",
    9: "8 tháng đầu năm 2026",
    10: "9 tháng đầu năm 2026",
    11: "10 tháng đầu năm 2026",
    12: "năm 2026",
}


def _tally(rng: random.Random, members: int, present: int, contested: bool = True) -> dict:
    """Counts of the members `present`: nearly all for, now and then a few against or not
    voting; rarely (when `contested`) a question falls short of a majority of members."""
    against = rng.choice([0, 0, 0, 1, 2, members // 2]) if contested else 0
    abstentions = rng.choice([0, 0, 1]) if contested else 0
    return {
        "votes_for": max(0, present - against - abstentions),
        "votes_against": against,
        "abstentions": abstentions,
        "present": present,
        "total": members,
        "pass_rule": PassRule.MAJORITY_OF_MEMBERS,
        "method": rng.choice([VoteMethod.SHOW_OF_HANDS, VoteMethod.ELECTRONIC]),
    }


def load() -> dict:
    rng = random.Random(f"meetings-{YEAR}")
    bodies = sample.organizations()
    people = {p.full_name: p for p in sample.Person.objects.all()} | sample.people()
    documents = list(
        sample.made_by_sample(Document.objects.published().public())
        .filter(issued_on__year=YEAR)
        .order_by("issued_on", "pk")
    )
    added = votes = 0
    skipped = []
    for code, ordinal, start, end, members, pattern, place, months, chairs in BODIES:
        term = sample.ensure(
            Term,
            {"body": bodies[code], "ordinal": ordinal},
            {"start_year": start, "end_year": end, "members_count": members},
        )
        for n, month in enumerate(months, start=1):
            if Meeting.objects.filter(term=term, number=n).exists():
                if not sample.made_by_sample(Meeting.objects.filter(term=term, number=n)):
                    skipped.append(f"{pattern.format(n=n, m=month, y=YEAR)} ({term})")
                continue
            date = datetime.date(YEAR, month, rng.randint(3, 26))
            several_days = code == "HĐND"
            meeting = sample.create(
                Meeting,
                term=term,
                number=n,
                kind=MeetingKind.REGULAR if n % 4 else MeetingKind.THEMATIC,
                title=pattern.format(n=n, m=month, y=YEAR),
                date=date,
                end_date=date + datetime.timedelta(days=2) if several_days else None,
                part_of_day=PartOfDay.SEVERAL_DAYS if several_days else PartOfDay.MORNING,
                start_time=datetime.time(8, 0),
                end_time=None if several_days else datetime.time(11, 30),
                place=place,
                members_present=members - rng.randint(0, 6) if members else None,
                summary=(
                    f"{pattern.format(n=n, m=month, y=YEAR)} xem xét, cho ý kiến về tình hình "
                    f"kinh tế - xã hội {PERIODS[month]}, các kế hoạch, đề án trình tại hội nghị "
                    "và công tác cán bộ; biểu quyết thông qua các nội dung theo chương trình."
                ),
                status=PublicationStatus.PUBLISHED if date.month < 12 else PublicationStatus.DRAFT,
            )
            for order, name in enumerate(chairs):
                if name in people:
                    sample.create(
                        MeetingParticipant,
                        meeting=meeting,
                        person=people[name],
                        role=ParticipantRole.CHAIR,
                        order=order,
                    )
            earlier = [d for d in documents if d.issued_on <= date][-12:]
            votes += _agenda(rng, meeting, month, earlier, members)
            added += 1
    return {"meetings": added, "votes": votes} | ({"skipped": skipped} if skipped else {})


def _agenda(rng, meeting, month, documents, members) -> int:
    votes = 0
    if members:
        sample.create(
            Vote,
            meeting=meeting,
            question=f"Thông qua chương trình {meeting.title}",
            order=0,
            **_tally(rng, members, meeting.members_present, contested=False),
        )
        votes += 1
    for order, (kind, pattern) in enumerate(AGENDA, start=1):
        cites = kind in CITING and documents
        cited = rng.choice(documents) if cites else None
        title = pattern.format(
            period=PERIODS[month],
            title=cited.title[0].lower() + cited.title[1:] if cited else "các đề án của Thành phố",
        )
        item = sample.create(AgendaItem, meeting=meeting, order=str(order), title=title, kind=kind)
        if cited is not None:  # the link alone: `add` would write the item's history again
            AgendaItem.documents.through.objects.create(agendaitem=item, document=cited)
        if not members or kind == AgendaItemKind.REPORT:
            continue
        vote = sample.create(
            Vote,
            meeting=meeting,
            agenda_item=item,
            question=title,
            order=order,
            **_tally(rng, members, meeting.members_present),
        )
        item.outcome = OUTCOMES[vote.result]
        item.save(update_fields=["outcome"])
        votes += 1
    return votes
