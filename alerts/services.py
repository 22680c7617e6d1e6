"""Subscribing, confirming, changing and leaving: the writes with rules.

Whatever the state of an address, `subscribe` answers the same (the view shows one page),
so the form tells nobody whether an address already follows something. The mail it sends
differs — a confirmation link, or a note that the address already follows this — and only
the address's owner reads it.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from . import mails
from .models import Frequency, Subscription
from .sending import latest_change_id

# At most one mail about one subscription in this time, however often the form is sent
# (on top of the per-client rate limit): nobody can flood an address through the portal.
NOTICE_INTERVAL = datetime.timedelta(minutes=15)
# Unconfirmed subscriptions one address may have at once; past it, no new one is made.
MAX_PENDING_PER_ADDRESS = 10


def normalised_email(email: str) -> str:
    return email.strip().lower()


@transaction.atomic
def subscribe(
    *,
    email: str,
    kind: str,
    query: str = "",
    object_id: int | None = None,
    frequency: str,
    language: str,
    origin: str,
    now: datetime.datetime | None = None,
) -> None:
    """Ask the owner of `email` to confirm (or remind them that they already follow this).

    The mail is sent inside the transaction: if the mail server refuses it, nothing is
    saved and the error reaches the caller.
    """
    now = now or timezone.now()
    email = normalised_email(email)
    target = {"email": email, "kind": kind, "query": query, "object_id": object_id}
    subscription = Subscription.objects.select_for_update().filter(**target).first()
    if subscription is None:
        pending = Subscription.objects.of_address(email).filter(confirmed_at=None).count()
        if pending >= MAX_PENDING_PER_ADDRESS:
            return
        subscription, _ = Subscription.objects.get_or_create(
            **target, defaults={"frequency": frequency, "language": language, "created_at": now}
        )
    elif not subscription.is_confirmed:
        # The latest unconfirmed request wins; a confirmed one changes on its manage page.
        subscription.frequency, subscription.language = frequency, language
    last = subscription.notice_sent_at
    if last is not None and now - last < NOTICE_INTERVAL:
        subscription.save()
        return
    subscription.notice_sent_at = now
    subscription.save()
    if subscription.is_confirmed:
        mails.already_following(subscription, origin).send()
    else:
        mails.confirmation(subscription, origin).send()


def pending_or_confirmed(token: str, now: datetime.datetime | None = None) -> Subscription | None:
    """The subscription of a link's token; None when unknown, left or expired."""
    now = now or timezone.now()
    subscription = Subscription.objects.filter(token=token).first()
    if subscription is None:
        return None
    if Subscription.objects.expired_pending(now).filter(pk=subscription.pk).exists():
        subscription.delete()
        return None
    return subscription


@transaction.atomic
def confirm(token: str, now: datetime.datetime | None = None) -> Subscription | None:
    """Confirm the subscription (a second confirmation changes nothing): alerts start
    with the changes logged from now on, never the log's past."""
    now = now or timezone.now()
    subscription = pending_or_confirmed(token, now)
    if subscription is None or subscription.is_confirmed:
        return subscription
    subscription.confirmed_at = now
    subscription.cursor = latest_change_id()
    subscription.digest_at = now
    subscription.save(update_fields=["confirmed_at", "cursor", "digest_at"])
    return subscription


def unsubscribe(token: str) -> bool:
    """Delete the subscription, and with it its address; False when there was none."""
    deleted, _ = Subscription.objects.filter(token=token).delete()
    return bool(deleted)


def unsubscribe_all(token: str) -> None:
    """Delete every subscription of the token's address, and so the address."""
    subscription = Subscription.objects.filter(token=token).first()
    if subscription is not None:
        Subscription.objects.of_address(subscription.email).delete()


def set_frequency(subscription: Subscription, frequency: str, now=None) -> None:
    if frequency not in Frequency.values or frequency == subscription.frequency:
        return
    subscription.frequency = frequency
    # A digest starts from the changes after now; nothing waiting is lost (the cursor).
    subscription.digest_at = now or timezone.now()
    subscription.save(update_fields=["frequency", "digest_at"])
