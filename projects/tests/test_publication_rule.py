"""The publication rule on a project's progress updates and milestones (issue 14), through
the real admin: the project's screen (inlines) and each child's own screen.

An editor cannot change what a published project's page shows; what an editor adds waits
(pending) and stays off the public page until a publisher approves it. A project linking
an internal document never shows that document to staff who may not read it.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from documents.models import Visibility
from portal.publication import PublicationStatus
from portal.tests.admin_forms import (
    INTERNAL_LABEL,
    LOCKED,
    make_editor,
    make_publisher,
    make_publisher_of,
    messages_of,
    public_text,
    read_form,
    run_action,
)

from ..models import Milestone, ProgressUpdate, Project
from .factories import make_document, make_milestone, make_project, make_update

pytestmark = pytest.mark.django_db

ADD_UPDATE = reverse("admin:projects_progressupdate_add")
ADD_MILESTONE = reverse("admin:projects_milestone_add")
INTERNAL_NUMBER = "4321-QĐ/TU"
INTERNAL_TITLE = "Quyết định mật về phương án giải phóng mặt bằng quận Hoàn Kiếm"


def change_url(record) -> str:
    opts = record._meta
    return reverse(f"admin:projects_{opts.model_name}_change", args=[record.pk])


@pytest.fixture
def project():
    """A published bridge project with an approved progress update and milestone."""
    project = make_project(
        name="Cầu Trần Hưng Đạo",
        slug="cau-tran-hung-dao",
        planned_start=datetime.date(2024, 10, 1),
        planned_finish=datetime.date(2027, 9, 30),
    )
    make_update(
        project,
        date=datetime.date(2025, 6, 30),
        physical_percent=Decimal("18.5"),
        note="Hoàn thành cọc khoan nhồi trụ T1",
    )
    make_milestone(project, name="Khởi công xây dựng", planned_on=datetime.date(2024, 10, 1))
    return project


# The project's screen, as an editor ---------------------------------------------------


def test_editor_cannot_alter_the_progress_of_a_published_project(client, project):
    update = project.progress_updates.get()
    milestone = project.milestones.get()
    client.force_login(make_editor())
    form = read_form(client, change_url(project), Project)
    assert LOCKED in form.html
    assert not form.has_input("progress_updates-0-physical_percent")
    assert not form.has_input("milestones-0-name")

    client.post(
        change_url(project),
        form.data(
            **{
                "progress_updates-0-id": str(update.pk),
                "progress_updates-0-physical_percent": "95",
                "progress_updates-0-note": "Tiến độ đã bị sửa",
                "progress_updates-0-DELETE": "on",
                "milestones-0-id": str(milestone.pk),
                "milestones-0-name": "Mốc đã bị sửa",
                "milestones-0-actual_on": "01/01/2025",
            }
        ),
    )

    update.refresh_from_db()
    milestone.refresh_from_db()
    assert (update.physical_percent, update.pending) == (Decimal("18.5"), False)
    assert (milestone.name, milestone.actual_on, milestone.pending) == (
        "Khởi công xây dựng",
        None,
        False,
    )
    page = public_text(project)
    assert "Hoàn thành cọc khoan nhồi trụ T1" in page
    assert "đã bị sửa" not in page


def test_editor_additions_to_a_published_project_wait_for_a_publisher(client, project):
    client.force_login(make_editor())
    form = read_form(client, change_url(project), Project)
    data = form.with_blank_row_filled(
        "progress_updates",
        date="30/09/2025",
        physical_percent="27",
        note="Thi công dầm hộp nhịp chính",
    )
    data = form.with_blank_row_filled(
        "milestones", data, name="Hợp long cầu chính", planned_on="30/06/2027"
    )

    response = client.post(change_url(project), data)

    assert response.status_code == 302
    assert ProgressUpdate.all_objects.get(date=datetime.date(2025, 9, 30)).pending
    assert Milestone.all_objects.get(name="Hợp long cầu chính").pending
    page = public_text(project)
    assert "Thi công dầm hộp nhịp chính" not in page
    assert "Hợp long cầu chính" not in page

    client.force_login(make_publisher())
    response = run_action(client, "publish_pending", project)

    assert "Đã công bố 2 thay đổi đang chờ." in messages_of(response)
    page = public_text(project)
    assert "Thi công dầm hộp nhịp chính" in page
    assert "Hợp long cầu chính" in page


# A child's own screen -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "field", "forged"),
    [
        (ProgressUpdate, "note", "Tiến độ đã bị sửa"),
        (Milestone, "name", "Mốc đã bị sửa"),
    ],
)
def test_editor_sees_an_approved_child_read_only_and_cannot_change_it(
    client, project, model, field, forged
):
    child = model.objects.get(project=project)
    versions = child.history.count()
    client.force_login(make_editor())
    form = read_form(client, change_url(child), model)
    assert LOCKED in form.html
    assert not form.has_input(field)

    client.post(change_url(child), form.data(**{field: forged, "pending": "on"}))

    stored = model.all_objects.get(pk=child.pk)
    assert getattr(stored, field) == getattr(child, field)
    assert not stored.pending
    assert child.history.count() == versions
    assert forged not in public_text(project)


@pytest.mark.parametrize(
    ("url", "fields", "shown"),
    [
        (
            ADD_UPDATE,
            {"date": "31/12/2025", "physical_percent": "35", "note": "Lắp dựng tháp cầu"},
            "Lắp dựng tháp cầu",
        ),
        (
            ADD_MILESTONE,
            {"name": "Thông xe kỹ thuật", "planned_on": "02/09/2027"},
            "Thông xe kỹ thuật",
        ),
    ],
)
def test_editor_adds_a_child_on_its_own_page_that_waits(client, project, url, fields, shown):
    client.force_login(make_editor())
    form = read_form(client, url, ProgressUpdate if url == ADD_UPDATE else Milestone)

    response = client.post(url, form.data(project=str(project.pk), **fields))

    assert response.status_code == 302, response.context["adminform"].form.errors
    model = ProgressUpdate if url == ADD_UPDATE else Milestone
    assert model.all_objects.get(pending=True).project == project
    assert shown not in public_text(project)


def test_editor_saves_a_draft_project_again_after_adding_progress(client):
    draft = make_project(name="Cầu Tứ Liên", slug="cau-tu-lien", status="draft")
    client.force_login(make_editor())
    form = read_form(client, change_url(draft), Project)
    client.post(
        change_url(draft),
        form.with_blank_row_filled(
            "progress_updates", date="30/06/2025", physical_percent="3", note="Khởi công"
        ),
    )
    form = read_form(client, change_url(draft), Project)

    response = client.post(change_url(draft), form.data(location="Quận Tây Hồ, Đông Anh"))

    assert response.status_code == 302, [
        inline.formset.errors for inline in response.context["inline_admin_formsets"]
    ]
    draft.refresh_from_db()
    assert draft.location == "Quận Tây Hồ, Đông Anh"
    assert ProgressUpdate.all_objects.get(project=draft).pending


# As a publisher ---------------------------------------------------------------------------


def test_publisher_publishes_a_draft_project_with_its_pending_progress(client):
    draft = make_project(name="Tuyến đường sắt đô thị số 3", slug="metro-3", status="draft")
    ProgressUpdate.all_objects.create(
        project=draft,
        date=datetime.date(2025, 6, 30),
        physical_percent=Decimal("76"),
        note="Đoạn trên cao vận hành thương mại",
        pending=True,
    )
    Milestone.all_objects.create(project=draft, name="Vận hành đoạn trên cao", pending=True)
    client.force_login(make_publisher())

    response = run_action(client, "publish", draft)

    assert "Đã công bố 1 mục." in messages_of(response)
    page = public_text(draft)
    assert "Đoạn trên cao vận hành thương mại" in page
    assert "Vận hành đoạn trên cao" in page


def test_publisher_progress_goes_live_at_once(client, project):
    client.force_login(make_publisher())
    form = read_form(client, change_url(project), Project)
    assert LOCKED not in form.html

    response = client.post(
        change_url(project),
        form.with_blank_row_filled(
            "progress_updates", date="30/09/2025", physical_percent="27", note="Thi công dầm hộp"
        ),
    )

    assert response.status_code == 302
    assert not ProgressUpdate.all_objects.get(date=datetime.date(2025, 9, 30)).pending
    assert "Thi công dầm hộp" in public_text(project)


# Internal documents linked from a project -------------------------------------------------


@pytest.fixture
def linked_internally(project):
    internal = make_document(
        number=INTERNAL_NUMBER, title=INTERNAL_TITLE, visibility=Visibility.INTERNAL
    )
    project.approval_document = internal
    project.save()
    project.documents.add(internal, make_document(number="1520/QĐ-UBND", title="Quyết định"))
    update = project.progress_updates.get()
    update.source_document = internal
    update.save()
    return project


@pytest.fixture(params=["editor", "publisher of projects"])
def blind(request):
    user = make_editor() if request.param == "editor" else make_publisher_of("projects")
    assert not user.has_perm("documents.view_internal_document")
    return user


def assert_hidden(page: str) -> None:
    assert INTERNAL_NUMBER not in page
    assert INTERNAL_TITLE not in page


@pytest.mark.parametrize("status", [PublicationStatus.PUBLISHED, PublicationStatus.DRAFT])
def test_project_pages_hide_an_internal_document(client, linked_internally, blind, status):
    """Read-only labels (published) and the choosers' labels (a draft)."""
    Project.objects.filter(pk=linked_internally.pk).update(status=status)
    update = linked_internally.progress_updates.get()
    client.force_login(blind)

    updates = reverse("admin:projects_progressupdate_changelist")
    for url in (change_url(linked_internally), change_url(update), updates):
        page = client.get(url).content.decode()
        assert INTERNAL_LABEL in page
        assert_hidden(page)
    assert "1520/QĐ-UBND" in client.get(change_url(linked_internally)).content.decode()


def test_project_pages_show_an_internal_document_to_who_may_read_it(client, linked_internally):
    update = linked_internally.progress_updates.get()
    client.force_login(make_editor(reads_internal=True))

    updates = reverse("admin:projects_progressupdate_changelist")
    for url in (change_url(linked_internally), change_url(update), updates):
        assert INTERNAL_NUMBER in client.get(url).content.decode()


def unlink_and_read_history(client, project) -> str:
    project.approval_document = None
    project.save()
    project.documents.clear()
    return client.get(
        reverse("admin:projects_project_history", args=[project.pk])
    ).content.decode()


def test_project_history_hides_an_internal_document(client, linked_internally, blind):
    client.force_login(blind)

    history = unlink_and_read_history(client, linked_internally)

    assert "1520/QĐ-UBND" in history
    assert INTERNAL_LABEL in history  # what the links were changed from
    assert_hidden(history)


def test_project_history_shows_an_internal_document_to_who_may_read_it(client, linked_internally):
    client.force_login(make_editor(reads_internal=True))

    assert INTERNAL_NUMBER in unlink_and_read_history(client, linked_internally)
