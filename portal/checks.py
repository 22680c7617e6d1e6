"""Deployment checks of the portal's own settings (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def security_contact_set(app_configs, **kwargs):
    """RFC 9116 asks every site for a way to report a vulnerability: without
    PORTAL_SECURITY_CONTACT, /.well-known/security.txt is not served."""
    if settings.PORTAL_SECURITY_CONTACT:
        return []
    return [
        Warning(
            "PORTAL_SECURITY_CONTACT is not set, so /.well-known/security.txt is not served.",
            hint="Set it to the address that receives vulnerability reports, "
            "e.g. mailto:security@portal.example.gov.vn.",
            id="portal.W001",
        )
    ]
