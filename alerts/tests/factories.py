"""Subscriptions and change-log rows for the tests; records come from each app's factories."""

import datetime
import itertools

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from changes.models import Action, PublicChange, RecordKind

from ..models import Frequency, Subscription
from ..sending import latest_change_id

_sequence = itertools.count(1)

KIND_OF_MODEL = {
    "document": RecordKind.DOCUMENT,
    "meeting": RecordKind.MEETING,
    "indicator": RecordKind.INDICATOR,
    "project": RecordKind.PROJECT,
}


def log_change(record, *, action=Action.PUBLISHED, minutes_ago=10, **overrides) -> PublicChange:
    """A change-log row for `record`, old enough for `send_alerts` to take it."""
    values = {
        "content_type": ContentType.objects.get_for_model(record),
        "object_id": record.pk,
        "kind": KIND_OF_MODEL[record._meta.model_name],
        "action": action,
        "at": timezone.now() - datetime.timedelta(minutes=minutes_ago),
    }
    return PublicChange.objects.create(**(values | overrides))


def make_subscription(**overrides) -> Subscription:
    """A confirmed subscription to the whole documents list, from now on."""
    now = timezone.now()
    values = {
        "email": f"nguoi.dan.{next(_sequence)}@example.vn",
        "kind": RecordKind.DOCUMENT,
        "frequency": Frequency.IMMEDIATE,
        "confirmed_at": now,
        "digest_at": now,
        "cursor": latest_change_id(),
    }
    return Subscription.objects.create(**(values | overrides))
