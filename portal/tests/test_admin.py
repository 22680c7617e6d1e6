import pytest
from django.urls import reverse

from portal.models import Page
from portal.publication import PublicationStatus

from .factories import make_page, make_staff

pytestmark = pytest.mark.django_db

EDITOR_PERMS = ("portal.view_page", "portal.change_page", "portal.add_page")


def publish_via_action(client, page):
    return client.post(
        reverse("admin:portal_page_changelist"),
        {"action": "publish", "_selected_action": [page.pk]},
        follow=True,
    )


def test_editor_without_publish_permission_cannot_publish(client):
    client.force_login(make_staff(*EDITOR_PERMS))
    page = make_page(status=PublicationStatus.DRAFT)

    response = publish_via_action(client, page)

    page.refresh_from_db()
    assert page.status == PublicationStatus.DRAFT
    action_form = response.context["action_form"]
    offered = [] if action_form is None else dict(action_form.fields["action"].choices)
    assert "publish" not in offered
    assert "Đã công bố 1 mục." not in response.content.decode()


def test_editor_cannot_publish_through_the_change_form(client):
    client.force_login(make_staff(*EDITOR_PERMS))
    page = make_page(status=PublicationStatus.DRAFT)
    url = reverse("admin:portal_page_change", args=[page.pk])

    client.post(url, {"title": page.title, "slug": page.slug, "body": "", "status": "published"})

    page.refresh_from_db()
    assert page.status == PublicationStatus.DRAFT


def test_publisher_publishes_with_the_action(client):
    client.force_login(make_staff(*EDITOR_PERMS, "portal.publish_page"))
    page = make_page(status=PublicationStatus.DRAFT)

    response = publish_via_action(client, page)

    page.refresh_from_db()
    assert page.status == PublicationStatus.PUBLISHED
    assert "Đã công bố 1 mục." in response.content.decode()


def test_history_shows_who_changed_what(client):
    editor = make_staff(*EDITOR_PERMS, username="bientap")
    client.force_login(editor)
    page = make_page(status=PublicationStatus.DRAFT)
    client.post(
        reverse("admin:portal_page_change", args=[page.pk]),
        {"title": "Tiêu đề mới", "slug": page.slug, "body": ""},
    )
    assert Page.objects.get(pk=page.pk).title == "Tiêu đề mới"

    html = client.get(reverse("admin:portal_page_history", args=[page.pk])).content.decode()
    assert "bientap" in html
    assert "Tiêu đề mới" in html


@pytest.mark.parametrize("model", ["organization", "person", "position", "page"], ids=lambda m: m)
def test_admin_lists_run_a_bounded_number_of_queries(
    admin_client, model, django_assert_max_num_queries
):
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse(f"admin:portal_{model}_changelist"))
    assert response.status_code == 200
