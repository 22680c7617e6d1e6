"""One record of every kind, linked as staff would link them, and the URL of every page
type built on them: the header test and the CSP browser test walk the same list.

Not a test module: `test_headers.py` and `test_csp_browser.py` import it.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.urls import reverse

from documents.status import RelationKind
from documents.tests.factories import (
    PDF_BYTES,
    make_attachment,
    make_document,
    make_relation,
    make_state_document,
    make_topic,
)
from indicators.models import ValueKind
from indicators.tests.factories import make_indicator, make_value, quarter
from meetings.tests.factories import make_item, make_meeting, make_participant, make_vote
from portal.tests.factories import make_page, make_person, make_position
from projects.tests.factories import make_milestone, make_project, make_updates

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Records:
    plan: object
    decision: object
    pdf: object
    docx: object
    meeting: object
    vote: object
    indicator: object
    project: object
    person: object
    page: object


def make_records(*, pdf: bytes = PDF_BYTES) -> Records:
    """A plan implementing a decision, with topics and two attachments; a meeting that
    discussed the plan, with a chair, an agenda item and a vote; an indicator with a year
    of actual and target figures; a project approved by the decision, with progress and a
    milestone; a person holding a title; an "about" page."""
    topic = make_topic(name="Đô thị")
    decision = make_state_document(title="Quyết định phê duyệt quy hoạch chung")
    plan = make_document(
        title="Kế hoạch thực hiện Nghị quyết Hội nghị lần thứ 23",
        summary="Triển khai các nhiệm vụ trọng tâm năm 2025.",
        issued_on=datetime.date(2025, 6, 12),
    )
    plan.topics.add(topic)
    make_relation(plan, RelationKind.IMPLEMENTS, decision)
    pdf_file = make_attachment(plan, name="Kế hoạch số 341.pdf", content=pdf)
    docx = make_attachment(
        plan, name="Phụ lục.docx", content=b"PK\x03\x04 phu luc", content_type=DOCX
    )

    person = make_person(full_name="Nguyễn Văn Phong")
    make_position(person=person, title="Phó Bí thư Thường trực Thành ủy")
    meeting = make_meeting(title="Hội nghị lần thứ 23 Ban Chấp hành Đảng bộ Thành phố")
    make_participant(meeting, person)
    item = make_item(meeting, title="Kế hoạch thực hiện Nghị quyết", outcome="Thông qua.")
    item.documents.add(plan)
    vote = make_vote(meeting, question="Thông qua Kế hoạch", votes_for=52, total=55)

    indicator = make_indicator(code="grdp-growth", name="Tốc độ tăng trưởng GRDP")
    for number in range(1, 5):
        period = quarter(2025, number)
        make_value(indicator=indicator, period=period, value=Decimal(f"7.{number}"))
        make_value(indicator=indicator, period=period, kind=ValueKind.TARGET, value=Decimal(8))

    project = make_project(
        name="Đường Vành đai 4 – Vùng Thủ đô",
        slug="vanh-dai-4",
        is_key=True,
        approval_document=decision,
        planned_start=datetime.date(2024, 1, 1),
        planned_finish=datetime.date(2027, 12, 31),
        geometry={"type": "LineString", "coordinates": [[105.70, 21.05], [105.85, 21.10]]},
    )
    make_updates(project, 6)
    make_milestone(project, name="Khởi công", planned_on=datetime.date(2024, 1, 1))

    return Records(
        plan=plan,
        decision=decision,
        pdf=pdf_file,
        docx=docx,
        meeting=meeting,
        vote=vote,
        indicator=indicator,
        project=project,
        person=person,
        page=make_page(title="Giới thiệu", slug="gioi-thieu"),
    )


def public_pages(records: Records) -> dict[str, str]:
    """Every public page type that a browser renders as a page, by name."""
    return {
        "home": reverse("portal:home"),
        "documents": reverse("documents:list"),
        "documents, filtered": reverse("documents:list") + "?q=k%E1%BA%BF+ho%E1%BA%A1ch",
        "document": records.plan.get_absolute_url(),
        "meetings": reverse("meetings:list"),
        "meeting": records.meeting.get_absolute_url(),
        "indicators": reverse("indicators:list"),
        "indicator": records.indicator.get_absolute_url(),
        "projects": reverse("projects:list"),
        "project": records.project.get_absolute_url(),
        "changes": reverse("changes:list"),
        "projects map": reverse("projects:map"),
        "person": records.person.get_absolute_url(),
        "page": records.page.get_absolute_url(),
        "search": reverse("portal:search") + "?q=vanh+dai",
        "follow by email, a list": reverse("alerts:follow", args=["documents"]) + "?year=2025",
        "follow by email, a record": reverse(
            "alerts:follow_record", args=["meetings", records.meeting.pk]
        ),
        "not found": "/khong-co-trang-nay/",
        "browsable API": reverse("api:documents-list"),
        "API docs": reverse("api:docs"),
    }


def other_responses(records: Records) -> dict[str, str]:
    """Every other kind of answer: feeds, files, downloads, the API's JSON, crawlers'."""
    api_detail = reverse(
        "api:documents-detail",
        kwargs={"year": records.plan.issued_on.year, "slug": records.plan.slug},
    )
    return {
        "documents RSS": reverse("documents:feed_rss"),
        "documents Atom": reverse("documents:feed_atom"),
        "meetings RSS": reverse("meetings:feed_rss"),
        "meetings Atom": reverse("meetings:feed_atom"),
        "projects RSS": reverse("projects:feed_rss"),
        "indicators Atom": reverse("indicators:feed_atom"),
        "changes Atom": reverse("changes:feed_atom"),
        "calendar": reverse("meetings:calendar"),
        "indicator CSV": reverse("indicators:csv", kwargs={"code": records.indicator.code}),
        "documents CSV": reverse("documents:list") + "?format=csv",
        "projects JSON": reverse("projects:list") + "?format=json",
        "sitemap": reverse("sitemap"),
        "robots": reverse("robots"),
        "security.txt": reverse("security_txt"),
        "API list": reverse("api:documents-list") + "?format=json",
        "API detail": api_detail + "?format=json",
        "API schema": reverse("api:schema"),
        "API docs script": reverse("api:docs") + "?script=",
        "PDF attachment": records.pdf.get_absolute_url(),
        "office attachment": records.docx.get_absolute_url(),
        "static file": "/static/css/portal.css",
        "admin login": reverse("admin:login"),
    }


def admin_pages(records: Records) -> dict[str, str]:
    """The admin screens staff use: lists, imports, and the change form of every model
    with inlines (add and change), where the admin's own scripts do the most."""

    def change(model, record):
        return reverse(f"admin:{model}_change", args=[record.pk])

    return {
        "index": reverse("admin:index"),
        "documents list": reverse("admin:documents_document_changelist"),
        "document": change("documents_document", records.plan),
        "document history": reverse("admin:documents_document_history", args=[records.plan.pk]),
        "new document": reverse("admin:documents_document_add"),
        "document import": reverse("admin:documents_document_import"),
        "meetings list": reverse("admin:meetings_meeting_changelist"),
        "meeting": change("meetings_meeting", records.meeting),
        "vote": change("meetings_vote", records.vote),
        "indicator": change("indicators_indicator", records.indicator),
        "values list": reverse("admin:indicators_value_changelist"),
        "value grid": reverse("admin:indicators_value_grid"),
        "value grid, a period": reverse("admin:indicators_value_grid")
        + f"?period={records.indicator.values.first().period_id}",
        "value import": reverse("admin:indicators_value_import"),
        "projects list": reverse("admin:projects_project_changelist"),
        "project": change("projects_project", records.project),
        "new project": reverse("admin:projects_project_add"),
        "person": change("portal_person", records.person),
        "page": change("portal_page", records.page),
    }


def make_superuser():
    return get_user_model().objects.create_superuser(
        username="quantri", email="quantri@example.gov.vn", password="x"
    )
