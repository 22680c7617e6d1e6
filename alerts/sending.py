"""`send_alerts`: mail each due subscription the new changes of what it follows.

How a change is never mailed twice to one subscription, even when a run is killed:

1. **Collect** (one transaction): the subscription's new rows of the change log (after its
   `cursor`) whose record is public and that its list or record selects become `Delivery`
   rows — unique per (subscription, change) — and the cursor moves past every row looked at.
2. **Claim** (one transaction, committed before any byte goes to the mail server): the
   subscription's unclaimed deliveries get `claimed_at`.
3. **Send** one mail with them; then mark them `sent_at`. If the mail server refuses or
   cannot be reached, the claim is released and the next run tries again.

A run killed between 2 and 3 leaves deliveries claimed but not marked sent: the mail may or
may not have been accepted, and nothing can tell which. They are never sent again. This is
the choice the issue asks for — at most once: a subscriber may, rarely, miss a change after a
crash, but never gets the same change twice. Concurrent runs cannot both send a delivery: a
claim is one `UPDATE … WHERE claimed_at IS NULL`, which only one of them wins.

Only changes at least `SETTLE` old are looked at: a change's row gets its id before its
transaction commits, so a row still being written when a run starts could otherwise end up
behind a cursor that moved past it. Records are re-read at sending time: one withdrawn,
archived or made internal since is left out (and its delivery dropped).
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import takewhile

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from changes.models import PublicChange

from . import mails
from .kinds import FOLLOWABLE, record_title
from .models import Delivery, Frequency, Subscription

logger = logging.getLogger(__name__)

# A change younger than this waits for the next run (see above).
SETTLE = datetime.timedelta(minutes=2)
# The daily digest goes out at the first run after this hour (the portal's time zone).
DIGEST_HOUR = 7
# Deliveries are kept this long after sending (the cursor, not they, keeps a change from
# being collected again), then deleted.
KEEP_DELIVERIES = datetime.timedelta(days=30)


@dataclass
class Item:
    """One record in a mail, with its changes oldest first."""

    title: str
    address: str
    changes: list = field(default_factory=list)


@dataclass
class Report:
    mailed: int = 0  # mails accepted by the mail server
    changes: int = 0  # changes in them
    failed: int = 0  # mails the server refused or could not take (tried again next run)
    purged: int = 0  # unconfirmed subscriptions deleted after their link expired


def last_digest_time(now: datetime.datetime) -> datetime.datetime:
    """The latest DIGEST_HOUR o'clock, local time, at or before `now`."""
    local = timezone.localtime(now)
    today = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    return today if local >= today else today - datetime.timedelta(days=1)


def is_due(subscription: Subscription, now: datetime.datetime) -> bool:
    if subscription.frequency == Frequency.IMMEDIATE:
        return True
    return subscription.digest_at is None or subscription.digest_at < last_digest_time(now)


def latest_change_id() -> int:
    return PublicChange.objects.aggregate(latest=Max("pk"))["latest"] or 0


class Matcher:
    """Which changes of one run each subscription follows, asking each list's FilterSet
    once per distinct list (not once per subscriber)."""

    def __init__(self, changes: list[PublicChange]):
        self.changes = changes
        self._ids = defaultdict(set)
        for change in changes:
            self._ids[change.kind].add(change.object_id)
        self._public: dict[str, set[int]] = {}
        self._lists: dict[tuple[str, str], set[int]] = {}

    def public(self, kind: str) -> set[int]:
        if kind not in self._public:
            records = FOLLOWABLE[kind].public_records().filter(pk__in=self._ids[kind])
            self._public[kind] = set(records.values_list("pk", flat=True))
        return self._public[kind]

    def in_list(self, kind: str, query: str) -> set[int]:
        if (kind, query) not in self._lists:
            self._lists[kind, query] = FOLLOWABLE[kind].matching(query, self.public(kind))
        return self._lists[kind, query]

    def followed_by(self, subscription: Subscription) -> list[PublicChange]:
        kind = subscription.kind
        new = [c for c in self.changes if c.pk > subscription.cursor and c.kind == kind]
        if not new:
            return []
        if subscription.follows_record:
            shown = self.public(kind) & {subscription.object_id}
        else:
            shown = self.in_list(kind, subscription.query)
        return [change for change in new if change.object_id in shown]


def send_alerts(*, origin: str, now: datetime.datetime | None = None) -> Report:
    """One run: purge expired unconfirmed subscriptions, then mail every due one."""
    now = now or timezone.now()
    report = Report()
    report.purged, _ = Subscription.objects.expired_pending(now).delete()
    Delivery.objects.filter(sent_at__lt=now - KEEP_DELIVERIES).delete()
    Delivery.objects.filter(claimed_at__lt=now - KEEP_DELIVERIES).delete()
    due = [s for s in Subscription.objects.confirmed().order_by("pk") if is_due(s, now)]
    if not due:
        return report
    oldest = min(subscription.cursor for subscription in due)
    # Up to the first row not yet SETTLE old, in id order (see the module's docstring).
    rows = PublicChange.objects.filter(pk__gt=oldest).order_by("pk")
    changes = list(takewhile(lambda change: change.at <= now - SETTLE, rows))
    matcher = Matcher(changes)
    last_seen = changes[-1].pk if changes else None
    for subscription in due:
        collect(subscription, matcher.followed_by(subscription), last_seen)
        deliver(subscription, origin=origin, now=now, report=report)
    return report


@transaction.atomic
def collect(subscription: Subscription, followed: list[PublicChange], last_seen: int | None):
    Delivery.objects.bulk_create(
        [Delivery(subscription=subscription, change=change) for change in followed],
        ignore_conflicts=True,
    )
    if last_seen is not None and last_seen > subscription.cursor:
        subscription.cursor = last_seen
        Subscription.objects.filter(pk=subscription.pk).update(cursor=last_seen)


def deliver(subscription: Subscription, *, origin: str, now: datetime.datetime, report: Report):
    """Claim, send and mark the subscription's unclaimed deliveries (module docstring)."""
    claim = timezone.now()
    items = _claimed_items(subscription, claim)
    if subscription.frequency == Frequency.DAILY:
        Subscription.objects.filter(pk=subscription.pk).update(digest_at=now)
    if not items:
        return
    claimed = Delivery.objects.filter(subscription=subscription, claimed_at=claim, sent_at=None)
    try:
        mails.alert(subscription, items, origin).send()
    except Exception:
        claimed.update(claimed_at=None)
        report.failed += 1
        logger.exception(
            "Alert for subscription %s not sent; tried again next run", subscription.pk
        )
        return
    report.changes += claimed.update(sent_at=timezone.now())
    report.mailed += 1


def _claimed_items(subscription: Subscription, claim: datetime.datetime) -> list[Item]:
    """Claim the unclaimed deliveries whose record is still public; drop the others."""
    followable = FOLLOWABLE[subscription.kind]
    waiting = Delivery.objects.filter(subscription=subscription, claimed_at=None)
    object_ids = set(waiting.values_list("change__object_id", flat=True))
    if not object_ids:
        return []
    records = followable.for_mail().in_bulk(list(object_ids))
    waiting.exclude(change__object_id__in=list(records)).delete()
    with transaction.atomic():
        waiting.filter(change__object_id__in=list(records)).update(claimed_at=claim)
    deliveries = (
        Delivery.objects.filter(subscription=subscription, claimed_at=claim, sent_at=None)
        .select_related("change")
        .order_by("change__at", "change__pk")
    )
    items: dict[int, Item] = {}
    for delivery in deliveries:
        record = records[delivery.change.object_id]
        if record.pk not in items:
            items[record.pk] = Item(record_title(record), record.get_absolute_url())
        items[record.pk].changes.append(delivery.change)
    return list(items.values())
