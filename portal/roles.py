"""The two staff roles: editors draft records, publishers also publish and delete them."""

from django.contrib.auth.models import Group, Permission

PORTAL_APPS = ["portal", "documents", "meetings", "indicators", "projects"]
EDITORS = "Biên tập viên"
PUBLISHERS = "Người công bố"
EDITOR_ACTIONS = ("add_", "change_", "view_")


def sync_roles() -> dict[str, int]:
    """Create or refresh both groups with the permissions of every portal model.

    Returns the number of permissions each group now has.
    """
    permissions = Permission.objects.filter(content_type__app_label__in=PORTAL_APPS).exclude(
        content_type__model__startswith="historical"
    )
    editor_permissions = [p for p in permissions if p.codename.startswith(EDITOR_ACTIONS)]
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.set(editor_permissions)
    publishers, _ = Group.objects.get_or_create(name=PUBLISHERS)
    publishers.permissions.set(permissions)
    return {EDITORS: len(editor_permissions), PUBLISHERS: len(permissions)}
