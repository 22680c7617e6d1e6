"""The public change log (issue 17): what the publication flow logs, what a record's page,
`/changes/` and its feeds show, and what they never show (drafts, internal records,
non-public fields, staff names, a record's state before it was first published)."""

import datetime
import xml.etree.ElementTree as ET
from decimal import Decimal

import feedparser
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from changes import log
from changes.models import Action, PublicChange, RecordKind
from documents.models import Visibility
from documents.services import import_documents
from documents.tests.factories import document_type, make_document, organization
from indicators.services import import_values
from indicators.tests.factories import make_indicator
from meetings.tests.factories import make_meeting
from portal.publication import PublicationStatus, set_status
from portal.tests.admin_forms import make_editor, make_publisher, read_form, run_action
from projects.models import ProgressUpdate
from projects.tests.factories import make_project

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
DRAFT, PUBLISHED = PublicationStatus.DRAFT, PublicationStatus.PUBLISHED
PLAN_TITLE = (
    "Kế hoạch thực hiện Nghị quyết số 15-NQ/TW của Bộ Chính trị về phương hướng, nhiệm vụ "
    "phát triển Thủ đô Hà Nội đến năm 2030, tầm nhìn đến năm 2045"
)
NOTE = "Sửa trích yếu cho đúng bản gốc đã ký ngày 12/6/2025."
STAFF_NAME = "Phạm Thị Biên Tập"


def change_url(record) -> str:
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def named_publisher():
    """A publisher with a name the public must never read."""
    user = make_publisher()
    user.first_name, user.last_name = "Biên Tập", "Phạm Thị"
    user.username = "pham.thi.bien.tap"
    user.save()
    return user


def page_text(url: str) -> str:
    response = Client().get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def make_plan(**overrides):
    values = {
        "document_type": document_type("Kế hoạch"),
        "number": "341-KH/TU",
        "issuer": organization("TU", name="Thành ủy Hà Nội"),
        "title": PLAN_TITLE,
    }
    return make_document(**(values | overrides))


# The publication flow writes the log --------------------------------------------------


def test_publishing_logs_once_and_a_draft_state_never():
    plan = make_plan(status=DRAFT)
    plan.title = "Bản nháp đầu tiên, chưa ai được đọc"
    plan.save()

    set_status([plan], PUBLISHED)
    set_status([plan], PUBLISHED)  # already published: nothing new to say

    change = PublicChange.objects.get()
    assert (change.record, change.kind, change.action) == (plan, RecordKind.DOCUMENT, "published")
    assert change.fields == [] and change.note == ""


def test_an_internal_document_is_never_logged_until_it_is_made_public(client):
    plan = make_plan(status=DRAFT, visibility=Visibility.INTERNAL)
    set_status([plan], PUBLISHED)
    assert not PublicChange.objects.exists()

    client.force_login(named_publisher())
    form = read_form(client, change_url(plan), type(plan))
    response = client.post(change_url(plan), form.data(visibility=Visibility.PUBLIC))

    assert response.status_code == 302
    assert list(PublicChange.objects.values_list("action", flat=True)) == [Action.PUBLISHED]


def test_a_publisher_must_write_a_note_to_change_a_public_field(client):
    plan = make_plan()
    client.force_login(named_publisher())
    form = read_form(client, change_url(plan), type(plan))
    assert form.has_input("change_note")

    refused = client.post(change_url(plan), form.data(title="Trích yếu đã sửa"))

    assert refused.status_code == 200
    errors = refused.context["adminform"].form.errors
    assert "ghi chú thay đổi" in errors["change_note"][0]
    plan.refresh_from_db()
    assert plan.title == PLAN_TITLE
    assert not PublicChange.objects.exists()

    saved = client.post(
        change_url(plan), form.data(title="Trích yếu đã sửa", summary="Tóm tắt", change_note=NOTE)
    )

    assert saved.status_code == 302
    change = PublicChange.objects.get()
    assert (change.action, change.note) == (Action.CHANGED, NOTE)
    assert change.fields == ["title", "summary"]
    assert change.field_labels() == ["trích yếu", "tóm tắt"]


def test_a_change_no_public_field_shows_needs_no_note_and_is_not_logged(client):
    indicator = make_indicator(code="tang-truong-grdp", name="Tốc độ tăng trưởng GRDP")
    client.force_login(named_publisher())
    form = read_form(client, change_url(indicator), type(indicator))

    response = client.post(change_url(indicator), form.data(order="7", is_headline="on"))

    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.order == 7
    assert not PublicChange.objects.exists()


def test_an_editor_is_asked_no_note_and_logs_nothing(client):
    plan = make_plan(status=DRAFT)
    client.force_login(make_editor())
    form = read_form(client, change_url(plan), type(plan))
    assert not form.has_input("change_note")

    client.post(change_url(plan), form.data(title="Bản nháp của biên tập viên"))

    assert not PublicChange.objects.exists()


def test_approving_an_editors_progress_update_is_a_public_change(client):
    project = make_project(name="Đường Vành đai 4 – Vùng Thủ đô Hà Nội", slug="vanh-dai-4")
    ProgressUpdate.objects.create(
        project=project,
        date=datetime.date(2025, 9, 30),
        physical_percent=Decimal("45"),
        pending=True,
    )
    assert log.published(project) is not None

    client.force_login(named_publisher())
    run_action(client, "publish_pending", project)

    change = PublicChange.objects.filter(action=Action.CHANGED).get()
    assert change.fields == ["projects.progressupdate"]
    assert change.field_labels() == ["cập nhật tiến độ"]
    assert change.record == project
    text = page_text(project.get_absolute_url())
    assert "Thay đổi: cập nhật tiến độ" in text


def test_withdrawing_or_archiving_takes_the_history_out_of_public_view():
    plan, project = make_plan(), make_project()
    for record in (plan, project):
        log.changed(record, ["title", "name"], NOTE)
    assert set(PublicChange.objects.public()) == set(PublicChange.objects.all())

    set_status([plan], DRAFT)
    set_status([project], PublicationStatus.ARCHIVED)

    assert not PublicChange.objects.public().exists()


def test_names_that_are_not_public_fields_are_never_logged_nor_shown():
    plan = make_plan()
    assert log.changed(plan, ["search_text", "status", "visibility"], NOTE) is None
    change = log.changed(plan, ["title", "search_text"], NOTE)
    assert change.fields == ["title"]
    PublicChange.objects.filter(pk=change.pk).update(fields=["title", "signer_notes"])
    change.refresh_from_db()
    assert change.field_labels() == ["trích yếu"]


# What the public reads ------------------------------------------------------------------


def test_the_record_page_shows_its_history_with_the_note_and_the_last_update(client):
    plan = make_plan(status=DRAFT)
    publisher = named_publisher()
    set_status([plan], PUBLISHED)
    client.force_login(publisher)
    form = read_form(client, change_url(plan), type(plan))
    client.post(change_url(plan), form.data(title="Trích yếu đã sửa", change_note=NOTE))
    plan.refresh_from_db()

    text = page_text(plan.get_absolute_url())

    assert "Lịch sử thay đổi" in text
    assert NOTE in text
    assert "Thay đổi: trích yếu" in text
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert "Cập nhật lần cuối: <time datetime=" in text and today in text
    assert STAFF_NAME not in text and "pham.thi.bien.tap" not in text


@pytest.mark.parametrize(
    "make",
    [
        lambda: make_plan(),
        lambda: make_meeting(title="Hội nghị lần thứ 23 Ban Chấp hành Đảng bộ Thành phố"),
        lambda: make_indicator(code="grdp", name="Tốc độ tăng trưởng GRDP"),
        lambda: make_project(name="Cầu Trần Hưng Đạo", slug="cau-tran-hung-dao"),
    ],
    ids=["document", "meeting", "indicator", "project"],
)
def test_every_record_page_says_when_it_was_last_updated(make):
    record = make()
    record.published_at = timezone.make_aware(datetime.datetime(2025, 7, 1, 9, 0))
    record.save()

    text = page_text(record.get_absolute_url())
    assert "Cập nhật lần cuối:" in text and "01/07/2025" in text

    log.changed(record, ["title", "name", "summary"], NOTE)
    text = page_text(record.get_absolute_url())
    assert NOTE in text
    assert timezone.localdate().strftime("%d/%m/%Y") in text


def test_the_changes_page_lists_public_changes_only(client):
    plan = make_plan()
    log.changed(plan, ["title"], NOTE)
    draft = make_plan(status=DRAFT, number="342-KH/TU", title="Kế hoạch nháp bí mật")
    internal = make_document(
        number="343-KH/TU", title="Kế hoạch nội bộ bí mật", visibility=Visibility.INTERNAL
    )
    withdrawn = make_project(name="Dự án đã rút bí mật")
    for record in (draft, internal, withdrawn):
        PublicChange.objects.create(
            record=record,
            kind=RecordKind.PROJECT if record is withdrawn else RecordKind.DOCUMENT,
            action=Action.CHANGED,
            fields=["title"],
            note="Ghi chú bí mật",
        )
    set_status([withdrawn], DRAFT)
    client.force_login(named_publisher())  # staff see what the public sees here

    response = client.get(reverse("changes:list"))

    text = response.content.decode()
    assert [c.record for c in response.context["changes"]] == [plan]
    assert NOTE in text and "341-KH/TU" in text and plan.get_absolute_url() in text
    assert "bí mật" not in text
    assert STAFF_NAME not in text and "pham.thi.bien.tap" not in text.split("</header>")[-1]


def test_the_changes_page_filters_by_kind_and_survives_bad_input():
    plan, project = make_plan(), make_project(name="Cầu Tứ Liên", slug="cau-tu-lien")
    log.changed(plan, ["title"], NOTE)
    log.changed(project, ["name"], "Đổi tên theo quyết định phê duyệt.")
    client = Client()

    only_projects = client.get(reverse("changes:list"), {"kind": "project"})
    bad = client.get(reverse("changes:list"), {"kind": "không-có", "page": "99999"})

    assert [c.record for c in only_projects.context["changes"]] == [project]
    assert bad.status_code == 200
    assert len(bad.context["changes"]) == 2
    assert "Bỏ qua bộ lọc" in bad.content.decode()


def test_the_changes_page_and_record_page_keep_their_query_count(
    client, django_assert_max_num_queries
):
    def add(n):
        for i in range(n):
            for record in (
                make_plan(number=f"{400 + len(created)}-KH/TU"),
                make_meeting(title=f"Hội nghị chuyên đề số {len(created)}"),
                make_indicator(code=f"chi-tieu-{len(created)}", name=f"Chỉ tiêu {i}"),
                make_project(name=f"Dự án {len(created)}", slug=f"du-an-{len(created)}"),
            ):
                created.append(record)
                log.published(record)
                log.changed(record, ["title", "name", "summary"], f"{NOTE} ({i})")

    created = []
    add(1)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("changes:list"))
    add(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("changes:list"))
    assert len(response.context["changes"]) == 20

    record = created[0]
    for _ in range(30):
        log.changed(record, ["title"], NOTE)
    with django_assert_max_num_queries(len(few.captured_queries) + 20) as page:
        client.get(record.get_absolute_url())
    log.changed(record, ["title"], NOTE)
    with django_assert_max_num_queries(len(page.captured_queries)):
        client.get(record.get_absolute_url())


# The feeds -----------------------------------------------------------------------------


def test_the_atom_feed_is_valid_and_names_the_body_never_staff():
    plan = make_plan()
    log.published(plan)
    log.changed(plan, ["title"], NOTE)
    indicator = make_indicator(code="grdp", name="Tốc độ tăng trưởng GRDP")
    log.changed(indicator, ["name"], "Đổi tên theo Cục Thống kê.")
    make_plan(status=DRAFT, number="344-KH/TU", title="Kế hoạch nháp bí mật")

    response = Client().get(reverse("changes:feed_atom"))

    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.find(f"{ATOM}updated") is not None
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 3
    ids = [entry.find(f"{ATOM}id").text for entry in entries]
    assert len(set(ids)) == 3
    authors = [entry.find(f"{ATOM}author/{ATOM}name").text for entry in entries]
    assert authors[0] == "Cổng thông tin chính quyền Thành phố Hà Nội"  # the indicator's
    assert authors[1:] == ["Thành ủy Hà Nội", "Thành ủy Hà Nội"]
    assert all(entry.find(f"{ATOM}updated") is not None for entry in entries)
    text = response.content.decode()
    assert NOTE in text and "bí mật" not in text and "Phạm" not in text


def test_the_rss_feed_filters_by_kind_and_refuses_a_bad_filter():
    log.changed(make_plan(), ["title"], NOTE)
    log.changed(make_project(name="Cầu Tứ Liên", slug="cau-tu-lien"), ["name"], "Đổi tên.")
    client = Client()

    parsed = feedparser.parse(client.get(reverse("changes:feed_rss"), {"kind": "project"}).content)
    bad = client.get(reverse("changes:feed_rss"), {"kind": "không-có"})

    assert [entry.title for entry in parsed.entries] == ["Thay đổi: Cầu Tứ Liên"]
    assert parsed.entries[0].link.endswith(f"#thay-doi-{PublicChange.objects.first().pk}")
    assert bad.status_code == 400


def test_a_new_change_renews_the_kept_pages(settings):
    settings.PORTAL_RESPONSE_CACHE = True
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "cl"}
    }
    plan = make_plan()
    client = Client()
    assert NOTE not in client.get(reverse("changes:list")).content.decode()
    assert NOTE not in client.get(plan.get_absolute_url()).content.decode()

    log.changed(plan, ["title"], NOTE)

    assert NOTE in client.get(reverse("changes:list")).content.decode()
    assert NOTE in client.get(plan.get_absolute_url()).content.decode()


# Other ways a publisher changes what the public sees ----------------------------------


def test_a_progress_update_added_by_a_publisher_on_the_record_page_is_logged(client):
    project = make_project(name="Đường Vành đai 4 – Vùng Thủ đô Hà Nội", slug="vanh-dai-4")
    client.force_login(named_publisher())
    form = read_form(client, change_url(project), type(project))
    data = form.with_blank_row_filled(
        "progress_updates", date="2025-09-30", physical_percent="45", note="Thi công cầu."
    )

    response = client.post(change_url(project), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    change = PublicChange.objects.get()
    assert (change.action, change.fields, change.note) == (
        Action.CHANGED,
        ["projects.progressupdate"],
        "",
    )


def test_a_publisher_saving_a_figure_on_its_own_page_is_logged(client):
    project = make_project(name="Cầu Tứ Liên", slug="cau-tu-lien")
    update = ProgressUpdate.objects.create(
        project=project, date=datetime.date(2025, 6, 30), physical_percent=Decimal("10")
    )
    client.force_login(named_publisher())
    form = read_form(client, change_url(update), ProgressUpdate)

    client.post(change_url(update), form.data(physical_percent="12"))

    change = PublicChange.objects.get()
    assert (change.record, change.fields) == (project, ["projects.progressupdate"])


def test_a_publisher_deleting_shown_progress_updates_is_logged_on_each_project(client):
    ring_road = make_project(name="Đường Vành đai 4 – Vùng Thủ đô Hà Nội", slug="vanh-dai-4")
    bridge = make_project(name="Cầu Tứ Liên", slug="cau-tu-lien")
    shown = [
        ProgressUpdate.objects.create(
            project=project, date=datetime.date(2025, month, 30), physical_percent=Decimal("10")
        )
        for project, month in ((ring_road, 6), (bridge, 6), (ring_road, 9))
    ]
    waiting = ProgressUpdate.objects.create(
        project=make_project(name="Cải tạo chung cư cũ", slug="chung-cu-cu"),
        date=datetime.date(2025, 6, 30),
        physical_percent=Decimal("5"),
        pending=True,
    )
    client.force_login(named_publisher())

    client.post(
        reverse("admin:projects_progressupdate_delete", args=[shown[0].pk]), {"post": "yes"}
    )
    logged = PublicChange.objects.get()
    assert (logged.record, logged.fields) == (ring_road, ["projects.progressupdate"])
    assert "Thay đổi: cập nhật tiến độ" in page_text(ring_road.get_absolute_url())

    selected = [shown[1].pk, shown[2].pk, waiting.pk]
    client.post(
        reverse("admin:projects_progressupdate_changelist"),
        {"action": "delete_selected", "_selected_action": selected, "post": "yes"},
    )

    assert not ProgressUpdate.all_objects.exists()
    # One row per project that showed a deleted update; none for the one still waiting.
    logged = sorted(change.record.slug for change in PublicChange.objects.all())
    assert logged == ["cau-tu-lien", "vanh-dai-4", "vanh-dai-4"]


def test_imports_log_published_documents_and_changed_indicators():
    organization("TU")
    import_documents(
        data="number,issued_on,title\n341-KH/TU,2025-06-12,Kế hoạch vận hành thử nghiệm\n",
        publish=True,
    )
    indicator = make_indicator(code="grdp-growth")
    import_values(
        content="indicator_code,period_kind,period_start,period_end,value_kind,value\n"
        "grdp-growth,year,2025-01-01,2025-12-31,actual,7.6\n",
        publish=True,
    )
    import_values(  # waits for a publisher: not public yet
        content="indicator_code,period_kind,period_start,period_end,value_kind,value\n"
        "grdp-growth,year,2024-01-01,2024-12-31,actual,6.5\n",
    )

    rows = {(c.kind, c.action, c.note) for c in PublicChange.objects.all()}
    assert rows == {
        (RecordKind.DOCUMENT, Action.PUBLISHED, ""),
        (RecordKind.INDICATOR, Action.CHANGED, "Nhập dữ liệu"),
    }
    assert PublicChange.objects.get(kind=RecordKind.INDICATOR).record == indicator


def test_a_publishers_revert_of_a_public_record_is_logged(client):
    plan = make_plan()
    old = plan.history.latest()
    plan.title = "Trích yếu mới"
    plan.save()
    client.force_login(named_publisher())
    url = reverse("admin:documents_document_simple_history", args=[plan.pk, old.history_id])

    response = client.post(url, read_form(client, url, type(plan)).data())

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.title == PLAN_TITLE
    change = PublicChange.objects.get(action=Action.CHANGED)
    assert change.fields == ["title"]
