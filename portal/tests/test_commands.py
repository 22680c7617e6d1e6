import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command

from portal.roles import EDITORS, INTERNAL_READERS, PUBLISHERS

from .factories import row_counts

pytestmark = pytest.mark.django_db


def test_load_demo_twice_changes_nothing():
    call_command("load_demo", verbosity=0)
    first = row_counts()
    call_command("load_demo", verbosity=0)
    assert row_counts() == first
    assert first["portal.Organization"] >= 9
    assert first["portal.Person"] == 4


def test_load_demo_dry_run_saves_nothing():
    before = row_counts()
    call_command("load_demo", "--dry-run", stdout=io.StringIO())
    assert row_counts() == before


def test_create_admin_prints_a_generated_password_once():
    first, second = io.StringIO(), io.StringIO()
    call_command("create_admin", stdout=first)
    call_command("create_admin", stdout=second)

    user = get_user_model().objects.get(username="admin")
    password = first.getvalue().split("password '")[1].split("'")[0]
    assert user.is_superuser and user.check_password(password)
    assert password not in second.getvalue()
    assert get_user_model().objects.count() == 1


def test_sync_roles_gives_publish_only_to_publishers():
    call_command("sync_roles", stdout=io.StringIO())

    def codenames(group: str) -> set[str]:
        return set(Group.objects.get(name=group).permissions.values_list("codename", flat=True))

    editor_codes, publisher_codes = codenames(EDITORS), codenames(PUBLISHERS)
    assert "change_page" in editor_codes and "publish_page" not in editor_codes
    assert {"publish_page", "delete_page"} <= publisher_codes
    # Reading internal documents is a role of its own, not every editor's.
    assert "view_internal_document" not in editor_codes
    assert codenames(INTERNAL_READERS) == {"view_internal_document"}
    assert "view_internal_document" in publisher_codes
