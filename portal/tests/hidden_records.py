"""Records the public may not see, beside published public records that point at them,
each hidden text carrying its own marker word: the data of the leak hunt
(`test_leak_hunt.py`) and of the request fuzzing (`test_fuzz_requests.py`).

Every kind is there: documents (draft, internal, archived, withdrawn; with attachments,
relations, a topic, a type and an issuer only they use), meetings with agenda items, votes,
members' votes and participants, indicators with values, projects with progress updates
and milestones, pages, and the people they name. Where the child models have the
`pending` flag, children waiting for a publisher are added under published records too.
Every record has a row in the public change log (`/changes/`, each record's history).
"""

import datetime
import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from changes.models import Action, PublicChange
from changes.records import followed
from documents.models import Attachment, Document, DocumentRelation, DocumentType, Topic
from documents.status import RelationKind
from indicators.models import Category, Indicator, Period, Unit, Value, ValueKind
from indicators.periods import PeriodKind
from meetings.models import (
    AgendaItem,
    AgendaItemKind,
    Meeting,
    MeetingParticipant,
    ParticipantRole,
    PersonVote,
    Term,
    Vote,
)
from meetings.voting import Choice, VoteResult
from portal.models import Organization, OrganizationKind, Page, Person, Position
from portal.publication import PublicationStatus
from projects.models import Milestone, ProgressUpdate, Project, ProjectChange, Sector, Stage

PREFIX = "zqleak"
MARKER = re.compile(PREFIX + r"[a-z0-9]*")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PUBLISHED, DRAFT, ARCHIVED = (
    PublicationStatus.PUBLISHED,
    PublicationStatus.DRAFT,
    PublicationStatus.ARCHIVED,
)
# The ways a record is hidden from the public; "withdrawn" was published, then unpublished.
HIDDEN_STATES = ("draft", "archived", "withdrawn")


@dataclass
class World:
    """What the hunt created: the markers and addresses that must never show, and the
    records whose URLs the fillers name (hidden and public alike)."""

    markers: dict[str, str] = field(default_factory=dict)  # marker -> which field of what
    search_markers: list[str] = field(default_factory=list)  # one per record: its title's
    paths: dict[str, str] = field(default_factory=dict)  # hidden record's path -> what
    # Query strings naming something only hidden records have (a topic, a body, a period).
    hidden_filters: list[dict] = field(default_factory=list)
    # Text that must not show on one record's own pages (a pending link to a public record).
    scoped: dict[str, list[str]] = field(default_factory=dict)
    documents: list = field(default_factory=list)
    attachments: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    indicators: list = field(default_factory=list)
    periods: list = field(default_factory=list)
    projects: list = field(default_factory=list)
    people: list = field(default_factory=list)
    pages: list = field(default_factory=list)
    _counter: itertools.count = field(default_factory=lambda: itertools.count(1))

    def marker(self, what: str, searched: bool = False) -> str:
        marker = f"{PREFIX}{next(self._counter):03d}"
        self.markers[marker] = what
        if searched:
            self.search_markers.append(marker)
        return marker

    def text(self, what: str, template: str, searched: bool = False) -> str:
        """`template` with its `{m}` replaced by a new marker for `what`."""
        return template.format(m=self.marker(what, searched))

    def hide_path(self, record, what: str) -> None:
        self.paths[record.get_absolute_url()] = what


def has_pending(model) -> bool:
    try:
        model._meta.get_field("pending")
    except FieldDoesNotExist:
        return False
    return True


def _status_fields(state: str) -> dict:
    """Columns of a record in `state`: published, draft, archived or withdrawn."""
    was_published = timezone.now() - datetime.timedelta(days=30)
    return {
        "published": {"status": PUBLISHED},
        "draft": {"status": DRAFT},
        "archived": {"status": ARCHIVED, "published_at": was_published},
        "withdrawn": {"status": DRAFT, "published_at": was_published},
    }[state]


def _attach(world: World, document, what: str, *, hidden: bool, pending: bool = False):
    name = (
        world.text(f"{what}: tên tệp đính kèm", "Phụ lục {m} kèm theo kế hoạch.pdf")
        if hidden
        else "Phụ lục kèm theo kế hoạch chỉnh trang đô thị.pdf"
    )
    content = PDF + (world.marker(f"{what}: nội dung tệp").encode() if hidden else b"")
    values = {"pending": True} if pending else {}
    attachment = Attachment(
        document=document,
        original_name=name,
        size=len(content),
        content_type="application/pdf",
        **values,
    )
    attachment.file.save("phu-luc.pdf", ContentFile(content), save=True)
    world.attachments.append(attachment)
    if hidden:
        world.hide_path(attachment, f"{what}: địa chỉ tệp đính kèm")
    return attachment


def _organizations(world: World) -> dict:
    tu = Organization.objects.create(
        code="TU", name="Thành ủy Hà Nội", short_name="Thành ủy", kind=OrganizationKind.PARTY
    )
    ubnd = Organization.objects.create(
        code="UBND",
        name="Ủy ban nhân dân thành phố Hà Nội",
        short_name="UBND Thành phố",
        kind=OrganizationKind.STATE,
    )
    bchtu = Organization.objects.create(
        code="BCHTU",
        name="Ban Chấp hành Đảng bộ thành phố Hà Nội",
        kind=OrganizationKind.PARTY,
        parent=tu,
    )
    # A body known only from hidden records: its name must not show either.
    secret_code = world.marker("cơ quan chỉ có hồ sơ ẩn: mã").upper()[:20]
    secret = Organization.objects.create(
        code=secret_code,
        name=world.text(
            "cơ quan chỉ có hồ sơ ẩn: tên",
            "Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở thành phố {m}",
        ),
        short_name=world.text("cơ quan chỉ có hồ sơ ẩn: tên ngắn", "Ban Chỉ đạo {m}"),
        kind=OrganizationKind.PARTY,
        parent=tu,
    )
    world.hidden_filters += [{"issuer": secret_code}, {"body": secret_code}]
    return {"TU": tu, "UBND": ubnd, "BCHTU": bchtu, "secret": secret}


def _people(world: World, orgs: dict) -> dict:
    names = {
        "secretary": "Nguyễn Đức Trung",
        "chair": "Trần Sỹ Thanh",
        "deputy": "Nguyễn Văn Phong",
        "presenter": "Nguyễn Thị Tuyến",
        "signer": "Đinh Tiến Dũng",
        "voter": "Lê Thị Thu Hằng",
    }
    people = {}
    for role, full_name in names.items():
        person = Person.objects.create(full_name=full_name)
        Position.objects.create(
            person=person,
            organization=orgs["TU"],
            title="Ủy viên Ban Thường vụ Thành ủy",
            start_date=datetime.date(2020, 10, 15),
        )
        people[role] = person
        world.people.append(person)
    return people


def _document(world: World, state: str, *, internal: bool, number: str, orgs, people, **extra):
    """A hidden document: every text field carries a marker, with an attachment."""
    what = f"văn bản {state}{' nội bộ' if internal else ''} {number or '(chưa số)'}"
    document = Document.objects.create(
        number=number,
        issuer=extra.pop("issuer", orgs["TU"]),
        document_type=extra.pop("document_type", DocumentType.objects.get(name="Kế hoạch")),
        signer=people["signer"],
        signer_title=world.text(f"{what}: chức vụ người ký", "Phó Bí thư Thường trực {m}"),
        issued_on=extra.pop("issued_on", datetime.date(2026, 11, 20)),
        title=world.text(
            f"{what}: trích yếu",
            "Kế hoạch thực hiện Nghị quyết về chỉnh trang đô thị, cải tạo sông Tô Lịch và "
            "các sông nội đô, giai đoạn 2026–2030 {m}",
            searched=True,
        ),
        summary=world.text(
            f"{what}: tóm tắt",
            "Tập trung giải phóng mặt bằng, di dời các hộ dân ven sông {m}, hoàn thành "
            "trước quý IV năm 2027.",
        ),
        body=world.text(
            f"{what}: toàn văn",
            "Căn cứ Điều lệ Đảng; căn cứ Quy chế làm việc của Ban Chấp hành Đảng bộ thành "
            "phố khóa XVII, Ban Thường vụ Thành ủy ban hành kế hoạch {m} như sau.",
        ),
        visibility="internal" if internal else "public",
        **_status_fields(state),
        **extra,
    )
    world.documents.append(document)
    world.hide_path(document, f"{what}: địa chỉ")
    world.paths[f"/documents/id/{document.pk}/"] = f"{what}: địa chỉ theo mã"
    _attach(world, document, what, hidden=True)
    return document


def _documents(world: World, orgs, people) -> dict:
    topic = Topic.objects.create(name="Chỉnh trang đô thị")
    # Its slug and its name carry different markers: a filter by the slug may echo the
    # slug, never say the name.
    secret_topic = Topic.objects.create(
        name=world.text("chủ đề chỉ có văn bản ẩn", "Công tác bảo vệ chính trị nội bộ {m}"),
        slug=f"bao-ve-chinh-tri-{world.marker('chủ đề chỉ có văn bản ẩn: đường dẫn')}",
    )
    world.hidden_filters.append({"topic": secret_topic.slug})
    secret_type = DocumentType.objects.create(
        name=world.text("loại văn bản chỉ có văn bản ẩn", "Quy định khung {m}"),
        slug=world.marker("loại văn bản chỉ có văn bản ẩn: đường dẫn"),
        in_state=False,
        in_party=True,
    )
    world.hidden_filters.append({"type": secret_type.slug})

    hidden = {
        "draft": _document(
            world, "draft", internal=False, number="8801-KH/TU", orgs=orgs, people=people
        ),
        "internal": _document(
            world,
            "published",
            internal=True,
            number="8802-QĐ/TU",
            orgs=orgs,
            people=people,
            document_type=DocumentType.objects.get(name="Quyết định"),
        ),
        "archived": _document(
            world, "archived", internal=False, number="8803-KH/TU", orgs=orgs, people=people
        ),
        "withdrawn": _document(
            world, "withdrawn", internal=False, number="8804-KH/TU", orgs=orgs, people=people
        ),
        "internal_draft": _document(
            world,
            "draft",
            internal=True,
            number="",
            orgs=orgs,
            people=people,
            issuer=orgs["secret"],
            document_type=secret_type,
            issued_on=None,
        ),
        "internal_archived": _document(
            world, "archived", internal=True, number="8805-KH/TU", orgs=orgs, people=people
        ),
    }
    for document in hidden.values():
        document.topics.add(secret_topic)

    plan = Document.objects.create(
        number="341-KH/TU",
        issuer=orgs["TU"],
        document_type=DocumentType.objects.get(name="Kế hoạch"),
        signer=people["secretary"],
        signer_title="Bí thư Thành ủy",
        issued_on=datetime.date(2025, 6, 12),
        title="Kế hoạch tổ chức Hội nghị lần thứ 23 Ban Chấp hành Đảng bộ thành phố khóa XVII",
        summary="Chuẩn bị nội dung, thành phần và điều kiện tổ chức hội nghị.",
        # Cites hidden numbers in its text: the text may show, a link to them may not.
        body="Thực hiện Quyết định số 8802-QĐ/TU và Kế hoạch số 8801-KH/TU của Thành ủy.",
        status=PUBLISHED,
    )
    plan.topics.add(topic)
    programme = Document.objects.create(
        number="04/CTr-UBND",
        issuer=orgs["UBND"],
        document_type=DocumentType.objects.get(name="Chương trình"),
        signer=people["chair"],
        signer_title="Chủ tịch UBND Thành phố",
        issued_on=datetime.date(2025, 2, 10),
        title="Chương trình công tác năm 2025 của Ủy ban nhân dân Thành phố",
        status=PUBLISHED,
    )
    _attach(world, plan, "văn bản công khai", hidden=False)
    world.documents += [plan, programme]

    # Public documents related to hidden ones, in both directions and every kind.
    for kind, source, target in [
        (RelationKind.IMPLEMENTS, plan, hidden["internal"]),
        (RelationKind.AMENDS, hidden["internal"], plan),
        (RelationKind.REPLACES, hidden["draft"], plan),
        (RelationKind.BASED_ON, plan, hidden["archived"]),
        (RelationKind.GUIDES, hidden["withdrawn"], programme),
        (RelationKind.CANCELS, hidden["internal_archived"], programme),
        (RelationKind.BASED_ON, programme, hidden["internal_draft"]),
    ]:
        DocumentRelation.objects.create(from_document=source, kind=kind, to_document=target)
    return {"hidden": hidden, "plan": plan, "programme": programme, "topic": topic}


def _meeting(world: World, state: str, number: int, term, people, documents) -> Meeting:
    what = f"hội nghị {state} số {number}"
    meeting = Meeting.objects.create(
        term=term,
        number=number,
        kind="regular",
        title=world.text(
            f"{what}: tên",
            "Hội nghị lần thứ {m} Ban Chấp hành Đảng bộ thành phố Hà Nội khóa XVII",
            searched=True,
        ),
        date=datetime.date(2026, 12, number % 28 + 1),
        place=world.text(f"{what}: địa điểm", "Trụ sở Thành ủy, số 16 Lê Lai {m}"),
        summary=world.text(
            f"{what}: tóm tắt",
            "Hội nghị cho ý kiến về công tác nhân sự và kế hoạch chỉnh trang đô thị {m}.",
        ),
        **_status_fields(state),
    )
    world.meetings.append(meeting)
    world.hide_path(meeting, f"{what}: địa chỉ")
    _meeting_children(world, meeting, what, people, documents)
    return meeting


def _meeting_children(world, meeting, what, people, documents, pending: bool = False):
    flag = {"pending": True} if pending else {}
    item = AgendaItem.objects.create(
        meeting=meeting,
        order="1" if not pending else "9",
        kind=AgendaItemKind.PERSONNEL,
        presenter=people["presenter"],
        title=world.text(
            f"{what}: nội dung",
            "Xem xét, cho ý kiến về công tác cán bộ và kiện toàn Ban Thường vụ {m}",
            searched=True,
        ),
        outcome=world.text(
            f"{what}: kết quả nội dung",
            "Hội nghị thống nhất giới thiệu nhân sự {m} để bầu bổ sung.",
        ),
        **flag,
    )
    item.documents.add(*documents)
    vote = Vote.objects.create(
        meeting=meeting,
        agenda_item=item,
        question=world.text(
            f"{what}: vấn đề biểu quyết",
            "Biểu quyết thông qua danh sách nhân sự {m} bầu bổ sung Ủy viên Ban Thường vụ",
        ),
        votes_for=45,
        votes_against=2,
        abstentions=1,
        present=48,
        total=52,
        result=VoteResult.ADOPTED,
        **flag,
    )
    if not pending:
        PersonVote.objects.create(vote=vote, person=people["voter"], choice=Choice.FOR)
        MeetingParticipant.objects.create(
            meeting=meeting, person=people["chair"], role=ParticipantRole.CHAIR
        )
    return item, vote


def _meetings(world: World, orgs, people, docs) -> dict:
    term = Term.objects.create(
        body=orgs["BCHTU"], ordinal="XVII", start_year=2020, end_year=2025, members_count=52
    )
    hidden_docs = [docs["hidden"]["draft"], docs["hidden"]["internal"]]
    hidden = {
        state: _meeting(world, state, 90 + i, term, people, hidden_docs)
        for i, state in enumerate(HIDDEN_STATES)
    }
    # A body whose only term and meeting are hidden.
    secret_term = Term.objects.create(body=orgs["secret"], ordinal="I", start_year=2025)
    hidden["secret_body"] = _meeting(world, "draft", 1, secret_term, people, hidden_docs)

    public = Meeting.objects.create(
        term=term,
        number=23,
        kind="regular",
        title="Hội nghị lần thứ 23 Ban Chấp hành Đảng bộ thành phố Hà Nội khóa XVII",
        date=datetime.date(2025, 7, 1),
        place="Trụ sở Thành ủy, số 16 Lê Lai, phường Hoàn Kiếm",
        summary="Hội nghị xem xét báo cáo tình hình kinh tế - xã hội 6 tháng đầu năm 2025.",
        status=PUBLISHED,
    )
    item = AgendaItem.objects.create(
        meeting=public,
        order="1",
        kind=AgendaItemKind.REPORT,
        presenter=people["presenter"],
        title="Báo cáo tình hình thực hiện nhiệm vụ chính trị 6 tháng đầu năm 2025",
        outcome="Hội nghị thống nhất thông qua báo cáo.",
    )
    # The public item cites a public plan, a draft and an internal document.
    item.documents.add(docs["plan"], *hidden_docs)
    vote = Vote.objects.create(
        meeting=public,
        agenda_item=item,
        question="Biểu quyết thông qua báo cáo",
        votes_for=50,
        votes_against=0,
        abstentions=0,
        present=50,
        total=52,
        result=VoteResult.ADOPTED,
    )
    PersonVote.objects.create(vote=vote, person=people["secretary"], choice=Choice.FOR)
    MeetingParticipant.objects.create(
        meeting=public, person=people["secretary"], role=ParticipantRole.CHAIR
    )
    world.meetings.append(public)
    return {"hidden": hidden, "public": public, "public_item": item, "term": term}


def _period(kind, start, end) -> Period:
    return Period.objects.get_or_create(kind=kind, start=start, end=end)[0]


def _indicator(world, state, code, period, docs, meetings) -> Indicator:
    what = f"chỉ tiêu {state}"
    indicator = Indicator.objects.create(
        code=f"tang-truong-{world.marker(f'{what}: mã')}",
        name=world.text(
            f"{what}: tên",
            "Tốc độ tăng trưởng tổng sản phẩm trên địa bàn (GRDP) {m}",
            searched=True,
        ),
        unit=Unit.PERCENT_CHANGE,
        category=Category.GROWTH,
        definition=world.text(f"{what}: định nghĩa", "Theo giá so sánh năm 2010 {m}."),
        source=world.text(f"{what}: nguồn", "Cục Thống kê thành phố Hà Nội {m}"),
        is_headline=True,
        **_status_fields(state),
    )
    world.indicators.append(indicator)
    world.hide_path(indicator, f"{what}: địa chỉ")
    world.paths[indicator.get_csv_url()] = f"{what}: địa chỉ CSV"
    for kind, number in [(ValueKind.ACTUAL, "7.63"), (ValueKind.TARGET, "8.0")]:
        Value.objects.create(
            indicator=indicator,
            period=period,
            kind=kind,
            value=Decimal(number),
            source_document=docs["hidden"]["internal"],
            source_meeting=meetings["hidden"]["draft"],
            source_text=world.text(f"{what}: nguồn số liệu", "Báo cáo số 112/BC-UBND {m}"),
            note=world.text(f"{what}: ghi chú", "Số ước tính, chờ số chính thức {m}."),
        )
    return indicator


def _indicators(world: World, docs, meetings) -> dict:
    half = _period(PeriodKind.HALF_YEAR, datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))
    hidden = {}
    for i, state in enumerate(HIDDEN_STATES):
        # Each hidden indicator alone has figures for its quarter of 2013: the quarter's
        # slug must not be offered anywhere either.
        quarter = _period(
            PeriodKind.QUARTER,
            datetime.date(2013, 3 * i + 1, 1),
            datetime.date(2013, 3 * i + 3, 30 if i in (1, 2) else 31),
        )
        world.paths[f"/api/periods/{quarter.slug}/"] = f"kỳ chỉ có số liệu ẩn {quarter.slug}"
        world.hidden_filters.append({"period": quarter.slug})
        world.periods.append(quarter)
        hidden[state] = _indicator(world, state, f"hidden-{i}", quarter, docs, meetings)
    public = Indicator.objects.create(
        code="tang-truong-grdp",
        name="Tốc độ tăng trưởng GRDP",
        unit=Unit.PERCENT_CHANGE,
        category=Category.GROWTH,
        definition="Theo giá so sánh.",
        source="Cục Thống kê thành phố Hà Nội",
        is_headline=True,
        status=PUBLISHED,
    )
    Value.objects.create(
        indicator=public,
        period=half,
        kind=ValueKind.ACTUAL,
        value=Decimal("7.63"),
        # Sources the public may not see: an internal document, a draft meeting.
        source_document=docs["hidden"]["internal"],
        source_meeting=meetings["hidden"]["draft"],
        note="Số ước tính.",
    )
    Value.objects.create(
        indicator=public, period=half, kind=ValueKind.TARGET, value=Decimal("8.0")
    )
    world.indicators.append(public)
    world.periods.append(half)
    return {"hidden": hidden, "public": public, "half": half}


def _project_children(world, project, what, docs, meetings, pending: bool = False):
    flag = {"pending": True} if pending else {}
    ProgressUpdate.objects.create(
        project=project,
        date=datetime.date(2026, 9, 30) if pending else datetime.date(2026, 6, 30),
        physical_percent=Decimal("42.5"),
        disbursed_amount=Decimal("1250000000000"),
        note=world.text(f"{what}: ghi chú tiến độ", "Đã giải phóng mặt bằng 87% {m}."),
        source_document=docs["hidden"]["internal"],
        meeting=meetings["hidden"]["draft"],
        source_text=world.text(f"{what}: nguồn tiến độ", "Báo cáo của chủ đầu tư {m}"),
        **flag,
    )
    Milestone.objects.create(
        project=project,
        name=world.text(f"{what}: mốc", "Thông xe kỹ thuật đoạn qua quận Long Biên {m}"),
        planned_on=datetime.date(2027, 4, 30),
        **flag,
    )
    ProjectChange.objects.create(
        project=project,
        decided_on=datetime.date(2026, 3, 1) if pending else datetime.date(2025, 3, 1),
        document=docs["hidden"]["internal"],
        reason=world.text(f"{what}: lý do điều chỉnh", "Vướng mắc giải phóng mặt bằng {m}"),
        new_planned_finish=datetime.date(2031, 12, 31),
        new_scope=world.text(f"{what}: quy mô điều chỉnh", "Bổ sung nút giao Pháp Vân {m}"),
        **flag,
    )


def _project(world, state, n, orgs, docs, meetings, **extra) -> Project:
    what = f"dự án {state} {n}"
    project = Project.objects.create(
        name=world.text(
            f"{what}: tên",
            "Dự án đầu tư xây dựng cầu Trần Hưng Đạo bắc qua sông Hồng {m}",
            searched=True,
        ),
        code=world.marker(f"{what}: mã dự án").upper(),
        sector=Sector.BRIDGE,
        is_key=True,
        owner=orgs["secret"],
        location=world.text(f"{what}: địa điểm", "Phường Hoàn Kiếm, phường Bồ Đề {m}"),
        description=world.text(
            f"{what}: mô tả", "Cầu dây văng dài 5,4 km, quy mô 6 làn xe cơ giới {m}."
        ),
        approval_document=docs["hidden"]["internal"],
        planned_start=datetime.date(2025, 10, 10),
        planned_finish=datetime.date(2029, 10, 10),
        total_investment=Decimal("15000000000000"),
        stage=Stage.UNDER_CONSTRUCTION,
        behind_stated=True,
        behind_statement=world.text(
            f"{what}: trích dẫn chậm tiến độ", "Công tác giải phóng mặt bằng còn chậm {m}."
        ),
        behind_stated_in=docs["hidden"]["draft"],
        **_status_fields(state),
        **extra,
    )
    project.documents.add(docs["hidden"]["internal"], docs["plan"])
    project.agenda_items.add(meetings["public_item"])
    world.projects.append(project)
    world.hide_path(project, f"{what}: địa chỉ")
    _project_children(world, project, what, docs, meetings)
    return project


def _projects(world: World, orgs, docs, meetings) -> dict:
    programme = _project(world, "draft", 0, orgs, docs, meetings)
    public = Project.objects.create(
        name="Đường Vành đai 4 – Vùng Thủ đô Hà Nội",
        slug="duong-vanh-dai-4",
        code="VD4-HN",
        sector=Sector.RING_ROAD,
        is_key=True,
        parent=programme,  # a draft programme: its name must not show
        owner=orgs["UBND"],
        location="Huyện Mê Linh, huyện Sóc Sơn, huyện Đông Anh",
        description="Tuyến vành đai dài 112,8 km đi qua Hà Nội, Hưng Yên và Bắc Ninh.",
        approval_document=docs["hidden"]["internal"],
        behind_stated=True,
        behind_statement="Một số gói thầu chậm bàn giao mặt bằng.",
        behind_stated_in=docs["hidden"]["draft"],
        planned_start=datetime.date(2023, 6, 25),
        planned_finish=datetime.date(2027, 12, 31),
        stage=Stage.UNDER_CONSTRUCTION,
        status=PUBLISHED,
    )
    public.documents.add(docs["hidden"]["internal"], docs["hidden"]["draft"], docs["plan"])
    hidden_items = [
        item for m in meetings["hidden"].values() for item in AgendaItem.objects.filter(meeting=m)
    ]
    public.agenda_items.add(meetings["public_item"], *hidden_items)
    ProgressUpdate.objects.create(
        project=public,
        date=datetime.date(2025, 6, 30),
        physical_percent=Decimal("35"),
        note="Thi công đồng loạt các gói thầu xây lắp.",
        source_document=docs["hidden"]["internal"],
        meeting=meetings["hidden"]["draft"],
    )
    Milestone.objects.create(
        project=public, name="Khởi công dự án thành phần 1", planned_on=datetime.date(2023, 6, 25)
    )
    for document in (docs["hidden"]["internal"], docs["hidden"]["draft"]):
        ProjectChange.objects.create(
            project=public,
            decided_on=datetime.date(2024, 5, 20),
            document=document,
            reason="Điều chỉnh tiến độ do vướng mắc mặt bằng.",
            new_planned_finish=datetime.date(2028, 12, 31),
        )
    world.projects.append(public)
    hidden = {"draft": programme}
    for n, state in enumerate(HIDDEN_STATES, start=1):
        # Children of the public project, which lists only published children.
        hidden[state] = _project(world, state, n, orgs, docs, meetings, parent=public)
    return {"hidden": hidden, "public": public}


def _pages(world: World) -> None:
    public = Page.objects.create(
        title="Giới thiệu cổng thông tin",
        slug="gioi-thieu",
        body="Cổng thông tin công khai của chính quyền thành phố.",
        status=PUBLISHED,
    )
    world.pages.append(public)
    for state in HIDDEN_STATES:
        what = f"trang {state}"
        page = Page.objects.create(
            title=world.text(f"{what}: tiêu đề", "Quy chế tiếp công dân {m}", searched=True),
            slug=f"quy-che-{world.marker(f'{what}: đường dẫn')}",
            body=world.text(f"{what}: nội dung", "Lịch tiếp công dân của lãnh đạo {m}."),
            **_status_fields(state),
        )
        world.pages.append(page)
        world.hide_path(page, f"{what}: địa chỉ")


def _pending_children(world: World, docs, meetings, indicators, projects, people) -> None:
    """Children waiting for a publisher under published public records (when the models
    have the `pending` flag): they must not show until a publisher approves them."""
    plan, programme = docs["plan"], docs["programme"]
    if has_pending(Attachment):
        _attach(world, plan, "tệp chờ duyệt của văn bản công khai", hidden=True, pending=True)
    if has_pending(DocumentRelation):
        DocumentRelation.objects.create(
            from_document=programme, kind=RelationKind.GUIDES, to_document=plan, pending=True
        )
        # Neither side may show the link yet: the other document's address.
        for source, target in [(programme, plan), (plan, programme)]:
            for url in (source.get_absolute_url(), _api_document(source)):
                world.scoped.setdefault(url, []).append(target.get_absolute_url())
    public = meetings["public"]
    if has_pending(AgendaItem) and has_pending(Vote):
        _meeting_children(
            world, public, "nội dung chờ duyệt của hội nghị công khai", people, [plan], True
        )
    if has_pending(Vote):
        Vote.objects.create(
            meeting=public,
            agenda_item=meetings["public_item"],
            question=world.text(
                "biểu quyết chờ duyệt", "Biểu quyết thông qua Nghị quyết chuyên đề {m}"
            ),
            result=VoteResult.REJECTED,
            pending=True,
        )
    newcomer = Person.objects.create(full_name="Hoàng Minh Khôi Nguyên")
    world.people.append(newcomer)
    meeting_urls = [public.get_absolute_url(), _api_meeting(public)]
    if has_pending(PersonVote):
        vote = Vote.objects.filter(meeting=public, question="Biểu quyết thông qua báo cáo").get()
        PersonVote.objects.create(vote=vote, person=newcomer, choice=Choice.AGAINST, pending=True)
        for url in meeting_urls:
            world.scoped.setdefault(url, []).append(newcomer.full_name)
    if has_pending(MeetingParticipant):
        MeetingParticipant.objects.create(
            meeting=public, person=newcomer, role=ParticipantRole.ATTENDEE, pending=True
        )
        for url in meeting_urls:
            world.scoped.setdefault(url, []).append(newcomer.full_name)
    if has_pending(Value):
        quarter = _period(
            PeriodKind.QUARTER, datetime.date(2014, 4, 1), datetime.date(2014, 6, 30)
        )
        world.periods.append(quarter)
        world.paths[f"/api/periods/{quarter.slug}/"] = "kỳ chỉ có số liệu chờ duyệt"
        world.hidden_filters.append({"period": quarter.slug})
        Value.objects.create(
            indicator=indicators["public"],
            period=quarter,
            kind=ValueKind.ACTUAL,
            value=Decimal("6.1"),
            note=world.text("số liệu chờ duyệt", "Số liệu sơ bộ, chưa được duyệt {m}."),
            pending=True,
        )
    if has_pending(ProgressUpdate) and has_pending(Milestone):
        _project_children(
            world,
            projects["public"],
            "tiến độ chờ duyệt của dự án công khai",
            docs,
            meetings,
            True,
        )


def _api_document(document) -> str:
    return reverse(
        "api:documents-detail", kwargs={"year": document.url_year, "slug": document.slug}
    )


def _api_meeting(meeting) -> str:
    return reverse("api:meetings-detail", kwargs=meeting.url_kwargs())


def _change_log(world: World) -> None:
    """Logged changes of every record: the hidden records' notes carry markers (a record
    withdrawn or made internal takes its history with it), and a public record's row also
    names a field the public may not read about."""
    for record in [*world.documents, *world.meetings, *world.indicators, *world.projects]:
        public = record.status == PUBLISHED and getattr(record, "visibility", "public") == (
            "public"
        )
        what = f"thay đổi của {record._meta.verbose_name} #{record.pk}"
        PublicChange.objects.create(
            record=record,
            kind=followed(record).kind,
            action=Action.CHANGED,
            fields=["title", "name", world.marker(f"{what}: trường không công khai")],
            note=(
                "Cập nhật theo văn bản gốc."
                if public
                else world.text(f"{what}: ghi chú thay đổi", "Sửa theo văn bản gốc {m}.")
            ),
        )


def build_world(settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    world = World()
    orgs = _organizations(world)
    people = _people(world, orgs)
    docs = _documents(world, orgs, people)
    meetings = _meetings(world, orgs, people, docs)
    indicators = _indicators(world, docs, meetings)
    projects = _projects(world, orgs, docs, meetings)
    _pages(world)
    _pending_children(world, docs, meetings, indicators, projects, people)
    _change_log(world)
    return world
