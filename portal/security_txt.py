"""`/.well-known/security.txt` (RFC 9116): where to report a vulnerability in the portal.

The contact comes from PORTAL_SECURITY_CONTACT; without one there is nothing true to say,
so the file is not served (and `check --deploy` warns, portal/checks.py).
"""

import datetime

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone

# RFC 9116 §2.5.5: Expires is required, and should be less than a year ahead. The file is
# written per request, so it never goes stale; the date moves once a day.
VALID_FOR = datetime.timedelta(days=364)


def expires_on(now: datetime.datetime) -> datetime.datetime:
    """Midnight UTC, VALID_FOR after the start of `now`'s day."""
    midnight = now.astimezone(datetime.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight + VALID_FOR


def security_txt(request):
    contacts = settings.PORTAL_SECURITY_CONTACT
    if not contacts:
        raise Http404("PORTAL_SECURITY_CONTACT is not set.")
    lines = [f"Contact: {contact}" for contact in contacts]
    lines += [
        f"Expires: {expires_on(timezone.now()):%Y-%m-%dT%H:%M:%SZ}",
        "Preferred-Languages: vi, en",
        f"Canonical: {request.build_absolute_uri(request.path)}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
