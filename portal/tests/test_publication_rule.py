"""The publication rule on every kind of public record, through the real admin (issue 14).

A published or archived record changes only by a publisher: an editor sees its change form
read-only with a line saying why, and nothing an editor posts — the form, a bulk action, a
history "Revert" — changes it or what the public reads. Child records have their own
tests in each app's `tests/test_publication_rule.py`.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from documents.tests.factories import make_document
from indicators.tests.factories import make_indicator
from meetings.tests.factories import make_meeting
from portal.publication import PublicationStatus, set_status
from projects.models import ProgressUpdate
from projects.tests.factories import make_project, make_update

from .admin_forms import LOCKED, make_editor, make_publisher, messages_of, public_text, read_form
from .factories import make_page

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Kind:
    """A kind of public record: how to make one, and the text field staff would edit."""

    make: Callable
    field: str
    new_text: str


KINDS = {
    "document": Kind(
        lambda **kw: make_document(
            number="341-KH/TU",
            title="Kế hoạch thực hiện Nghị quyết về chuyển đổi số thành phố",
            **kw,
        ),
        "title",
        "Kế hoạch đã bị sửa bởi biên tập viên",
    ),
    "meeting": Kind(
        lambda **kw: make_meeting(
            title="Hội nghị lần thứ 23 Ban Chấp hành Đảng bộ Thành phố khóa XVII", **kw
        ),
        "title",
        "Hội nghị đã bị sửa bởi biên tập viên",
    ),
    "indicator": Kind(
        lambda **kw: make_indicator(code="tang-truong-grdp", name="Tốc độ tăng trưởng GRDP", **kw),
        "name",
        "Chỉ tiêu đã bị sửa bởi biên tập viên",
    ),
    "project": Kind(
        lambda **kw: make_project(
            name="Cầu Trần Hưng Đạo bắc qua sông Hồng", slug="cau-tran-hung-dao", **kw
        ),
        "name",
        "Dự án đã bị sửa bởi biên tập viên",
    ),
    "page": Kind(
        lambda **kw: make_page(title="Giới thiệu cổng thông tin", slug="gioi-thieu", **kw),
        "title",
        "Trang đã bị sửa bởi biên tập viên",
    ),
}

LOCKED_STATUSES = [PublicationStatus.PUBLISHED, PublicationStatus.ARCHIVED]


@pytest.fixture(params=list(KINDS))
def kind(request) -> Kind:
    return KINDS[request.param]


def change_url(record) -> str:
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def changelist_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def history_version_url(record, version) -> str:
    opts = record._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history",
        args=[record.pk, version.history_id],
    )


# An editor ---------------------------------------------------------------------------


def test_editor_changes_a_draft(client, kind):
    """The control for the tests below: the same form, posted on a draft, is saved."""
    record = kind.make(status=PublicationStatus.DRAFT)
    client.force_login(make_editor())
    form = read_form(client, change_url(record), type(record))
    assert form.has_input(kind.field)
    assert LOCKED not in form.html

    response = client.post(change_url(record), form.data(**{kind.field: kind.new_text}))

    assert response.status_code == 302, response.context["adminform"].form.errors
    record.refresh_from_db()
    assert getattr(record, kind.field) == kind.new_text
    assert record.status == PublicationStatus.DRAFT


@pytest.mark.parametrize("status", LOCKED_STATUSES)
def test_editor_sees_a_published_record_read_only(client, kind, status):
    record = kind.make(status=status)
    client.force_login(make_editor())

    form = read_form(client, change_url(record), type(record))

    assert LOCKED in form.html
    assert not form.has_input(kind.field)
    assert not form.has_input("status")
    assert getattr(record, kind.field) in form.html  # shown as text


def editor_who_may_delete(model):
    """An editor whose role was given the model's delete permission (a deployer's choice)."""
    editor = make_editor()
    opts = model._meta
    editor.user_permissions.add(
        Permission.objects.get(
            content_type__app_label=opts.app_label, codename=f"delete_{opts.model_name}"
        )
    )
    return editor


def delete_url(record) -> str:
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[record.pk])


@pytest.mark.parametrize("status", LOCKED_STATUSES)
def test_editor_with_a_delete_permission_deletes_no_published_record(client, kind, status):
    record = kind.make(status=status)
    model = type(record)
    client.force_login(editor_who_may_delete(model))

    refused = client.post(delete_url(record), {"post": "yes"})
    client.post(
        changelist_url(model),
        {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"},
    )
    assert refused.status_code == 403
    assert model.objects.filter(pk=record.pk).exists()

    model.objects.filter(pk=record.pk).update(status=PublicationStatus.DRAFT)
    client.post(delete_url(record), {"post": "yes"})  # a draft: the permission holds
    assert not model.objects.filter(pk=record.pk).exists()


def test_editor_with_a_delete_permission_deletes_no_approved_child(client):
    project = make_project(name="Cầu Trần Hưng Đạo bắc qua sông Hồng", slug="cau-tran-hung-dao")
    shown = make_update(project, date=datetime.date(2025, 6, 30))
    waiting = make_update(project, date=datetime.date(2025, 9, 30), pending=True)
    client.force_login(editor_who_may_delete(ProgressUpdate))

    refused = client.post(delete_url(shown), {"post": "yes"})
    client.post(delete_url(waiting), {"post": "yes"})

    assert refused.status_code == 403
    assert ProgressUpdate.objects.filter(pk=shown.pk).exists()
    assert not ProgressUpdate.all_objects.filter(pk=waiting.pk).exists()


@pytest.mark.parametrize("status", LOCKED_STATUSES)
def test_editor_post_of_a_published_record_changes_nothing(client, kind, status):
    record = kind.make(status=status)
    versions = record.history.count()
    client.force_login(make_editor())
    form = read_form(client, change_url(record), type(record))

    client.post(
        change_url(record),
        form.data(**{kind.field: kind.new_text, "status": PublicationStatus.DRAFT}),
    )

    stored = type(record).objects.get(pk=record.pk)
    assert getattr(stored, kind.field) == getattr(record, kind.field)
    assert stored.status == status
    assert record.history.count() == versions
    assert kind.new_text not in public_text(record)


def test_editor_is_not_offered_the_publication_actions(client, kind):
    record = kind.make(status=PublicationStatus.DRAFT)
    client.force_login(make_editor())

    response = client.get(changelist_url(type(record)))

    action_form = response.context["action_form"]
    offered = set() if action_form is None else dict(action_form.fields["action"].choices)
    assert not {"publish", "publish_pending", "unpublish", "archive"} & set(offered)


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (PublicationStatus.DRAFT, "publish"),
        (PublicationStatus.PUBLISHED, "unpublish"),
        (PublicationStatus.PUBLISHED, "archive"),
        (PublicationStatus.ARCHIVED, "publish"),
    ],
)
def test_editor_forged_publication_action_changes_nothing(client, kind, status, action):
    record = kind.make(status=status)
    shown = getattr(record, kind.field) in public_text(record)
    client.force_login(make_editor())

    response = client.post(
        changelist_url(type(record)),
        {"action": action, "_selected_action": [record.pk], "index": "0"},
        follow=True,
    )

    record.refresh_from_db()
    assert record.status == status
    assert (getattr(record, kind.field) in public_text(record)) == shown
    assert not any("Đã" in message for message in messages_of(response))


@pytest.mark.parametrize("status", LOCKED_STATUSES)
def test_editor_revert_of_a_published_record_changes_nothing(client, kind, status):
    """An older draft version exists; "Revert" to it is refused while the record is
    public (the button is hidden, and a forged POST is refused)."""
    record = kind.make(status=PublicationStatus.DRAFT)
    old = record.history.latest()
    setattr(record, kind.field, kind.new_text)
    record.save()
    set_status([record], status)
    versions = record.history.count()
    client.force_login(make_editor())
    url = history_version_url(record, old)

    page = client.get(url)
    response = client.post(url, read_form(client, url, type(record)).data())

    assert page.status_code == 200
    assert "Revert" not in page.context["title"]
    assert response.status_code == 403
    stored = type(record).objects.get(pk=record.pk)
    assert getattr(stored, kind.field) == kind.new_text
    assert stored.status == status
    assert record.history.count() == versions


def test_editor_views_an_older_version_of_a_published_record(client, kind):
    """History stays readable (no error page), read-only, with no "Revert"."""
    record = kind.make(status=PublicationStatus.PUBLISHED)
    first = record.history.latest()
    setattr(record, kind.field, kind.new_text)
    record.save()
    client.force_login(make_editor())

    response = client.get(history_version_url(record, first))

    assert response.status_code == 200
    assert "Revert" not in response.context["title"]
    form = read_form(client, history_version_url(record, first), type(record))
    assert not form.has_input(kind.field)
    assert getattr(first, kind.field) in form.html


def test_editor_revert_of_a_draft_to_a_published_version_keeps_it_a_draft(client, kind):
    """Withdrawn, then edited: restoring the text of the version that was online does not
    bring it back online."""
    record = kind.make(status=PublicationStatus.PUBLISHED)
    online = record.history.latest()
    set_status([record], PublicationStatus.DRAFT)
    setattr(record, kind.field, kind.new_text)
    record.save()
    client.force_login(make_editor())
    url = history_version_url(record, online)

    response = client.post(url, read_form(client, url, type(record)).data())

    assert response.status_code == 302
    record.refresh_from_db()
    assert getattr(record, kind.field) == getattr(online, kind.field)  # the text came back
    assert record.status == PublicationStatus.DRAFT
    assert public_text(record) == ""


# A publisher -------------------------------------------------------------------------


def test_publisher_change_goes_live_at_once(client, kind):
    record = kind.make(status=PublicationStatus.PUBLISHED)
    client.force_login(make_publisher())
    form = read_form(client, change_url(record), type(record))
    assert LOCKED not in form.html

    # A publisher's change of a public record is published with a note (changes/admin.py).
    data = form.data(**{kind.field: kind.new_text}, change_note="Sửa theo bản gốc.")
    response = client.post(change_url(record), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    record.refresh_from_db()
    assert getattr(record, kind.field) == kind.new_text
    assert kind.new_text in public_text(record)


def test_publisher_publishes_a_draft(client, kind):
    record = kind.make(status=PublicationStatus.DRAFT)
    assert public_text(record) == ""
    client.force_login(make_publisher())

    response = client.post(
        changelist_url(type(record)),
        {"action": "publish", "_selected_action": [record.pk], "index": "0"},
        follow=True,
    )

    assert messages_of(response) == ["Đã công bố 1 mục."]
    record.refresh_from_db()
    assert record.status == PublicationStatus.PUBLISHED
    assert getattr(record, kind.field) in public_text(record)
