"""The staff roles: editors draft records, publishers also publish and delete them, and
internal readers may read internal documents (a role of its own, given with either).

Editors do not read internal documents by default: most of them enter figures, projects
or meetings and never need to, and an internal document's number and title are exactly
what must not travel further than the staff who handle them (README, "Staff roles").
"""

from django.contrib.auth.models import Group, Permission

PORTAL_APPS = ["portal", "documents", "meetings", "indicators", "projects"]
EDITORS = "Biên tập viên"
PUBLISHERS = "Người công bố"
INTERNAL_READERS = "Đọc văn bản nội bộ"
EDITOR_ACTIONS = ("add_", "change_", "view_")
VIEW_INTERNAL = "view_internal_document"


def sync_roles() -> dict[str, int]:
    """Create or refresh the three groups with the permissions of every portal model.

    Returns the number of permissions each group now has.
    """
    permissions = Permission.objects.filter(content_type__app_label__in=PORTAL_APPS).exclude(
        content_type__model__startswith="historical"
    )
    editor_permissions = [
        p
        for p in permissions
        if p.codename.startswith(EDITOR_ACTIONS) and p.codename != VIEW_INTERNAL
    ]
    internal = [p for p in permissions if p.codename == VIEW_INTERNAL]
    roles = {
        EDITORS: editor_permissions,
        PUBLISHERS: list(permissions),
        INTERNAL_READERS: internal,
    }
    for name, granted in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(granted)
    return {name: len(granted) for name, granted in roles.items()}
