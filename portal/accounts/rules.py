"""Who must confirm sign-in with a second factor."""

from django.conf import settings

# Whoever can add or change users or groups can hand out any other permission.
ACCOUNT_PERMISSIONS = frozenset(
    {"auth.add_user", "auth.change_user", "auth.add_group", "auth.change_group"}
)
# Internal documents are what a stolen password would be used to read.
INTERNAL_READING = "documents.view_internal_document"


def can_publish_anything(permissions: set[str]) -> bool:
    """Whether a set of `app.codename` permissions includes a `publish_<model>` one."""
    return any(name.partition(".")[2].startswith("publish_") for name in permissions)


def needs_second_factor(user) -> bool:
    """Whether `user` must confirm each sign-in with a second factor.

    Superusers, publishers (whoever holds a publish permission, through the "Người công
    bố" group or directly), readers of internal documents and account managers do, while
    two-factor sign-in is required (PORTAL_REQUIRE_2FA, on whenever debug is off).
    Editors sign in with their password.
    The permissions come from the user's own cache, which the admin fills anyway, so the
    check costs no query on an admin page.
    """
    if not settings.PORTAL_REQUIRE_2FA or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    permissions = user.get_all_permissions()
    return (
        can_publish_anything(permissions)
        or INTERNAL_READING in permissions
        or bool(permissions & ACCOUNT_PERMISSIONS)
    )
