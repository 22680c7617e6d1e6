"""The mails: a confirmation, an "already following" notice, and the alerts themselves.

Each is text and HTML in the subscriber's language, and carries the links to manage and to
leave; alerts also carry RFC 8058's one-click unsubscribe headers, so a mail client's
"Unsubscribe" button ends the subscription with one POST and no page to read.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .describe import describe
from .models import PENDING_DAYS, Subscription


def _links(subscription: Subscription, origin: str) -> dict[str, str]:
    token = subscription.token
    return {
        "confirm_url": origin + reverse("alerts:confirm", args=[token]),
        "manage_url": origin + reverse("alerts:manage", args=[token]),
        "unsubscribe_url": origin + reverse("alerts:unsubscribe", args=[token]),
    }


def _mail(subscription: Subscription, name: str, origin: str, **context) -> EmailMultiAlternatives:
    """`alerts/email/<name>_subject.txt`, `<name>.txt` and `<name>.html`, rendered in the
    subscriber's language (addresses too, should they carry a language prefix)."""
    with translation.override(subscription.language):
        links = _links(subscription, origin)
        context |= links | {
            "subscription": subscription,
            "target": describe(subscription, origin),
            "site_name": settings.PORTAL_SITE_NAMES.get(subscription.language, ""),
            "origin": origin,
            "pending_days": PENDING_DAYS,
            "LANGUAGE_CODE": subscription.language,
        }
        subject = " ".join(render_to_string(f"alerts/email/{name}_subject.txt", context).split())
        text = render_to_string(f"alerts/email/{name}.txt", context)
        html = render_to_string(f"alerts/email/{name}.html", context)
    mail = EmailMultiAlternatives(
        subject,
        text,
        to=[subscription.email],
        headers={
            # RFC 3834: no out-of-office replies to an automatic mail.
            "Auto-Submitted": "auto-generated",
            "List-Unsubscribe": f"<{links['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Content-Language": subscription.language,
        },
    )
    mail.attach_alternative(html, "text/html")
    return mail


def confirmation(subscription: Subscription, origin: str) -> EmailMultiAlternatives:
    return _mail(subscription, "confirm", origin)


def already_following(subscription: Subscription, origin: str) -> EmailMultiAlternatives:
    return _mail(subscription, "already", origin)


def alert(subscription: Subscription, items: list, origin: str) -> EmailMultiAlternatives:
    """The changes `items` (`sending.Item`: a record and its changes, oldest first)."""
    return _mail(subscription, "alert", origin, items=items)
