"""Plain factory functions for the shared records; every argument has a usable default."""

import itertools

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from portal.models import Organization, OrganizationKind, Page, Person, Position
from portal.publication import PublicationStatus

_sequence = itertools.count(1)


def make_organization(**overrides) -> Organization:
    n = next(_sequence)
    values = {"code": f"ORG{n}", "name": f"Cơ quan {n}", "kind": OrganizationKind.STATE}
    return Organization.objects.create(**(values | overrides))


def make_person(**overrides) -> Person:
    values = {"full_name": f"Nguyễn Văn Đức {next(_sequence)}"}
    return Person.objects.create(**(values | overrides))


def make_position(**overrides) -> Position:
    if "person" not in overrides:
        overrides["person"] = make_person()
    if "organization" not in overrides:
        overrides["organization"] = make_organization()
    return Position.objects.create(**({"title": "Chủ tịch"} | overrides))


def make_page(**overrides) -> Page:
    n = next(_sequence)
    values = {
        "title": f"Trang {n}",
        "slug": f"trang-{n}",
        "body": "Nội dung",
        "status": PublicationStatus.PUBLISHED,
    }
    return Page.objects.create(**(values | overrides))


def make_staff(*permissions: str, username: str | None = None):
    """A staff user holding `permissions` given as "app_label.codename"."""
    user = get_user_model().objects.create_user(
        username=username or f"staff{next(_sequence)}", password="x", is_staff=True
    )
    for permission in permissions:
        app_label, codename = permission.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


def row_counts() -> dict[str, int]:
    """Rows in every table of the portal's apps, history and many-to-many tables included:
    what a second `load_demo` must leave unchanged."""
    portal_apps = {"portal", "documents", "meetings", "indicators", "projects"}
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in portal_apps
    }
