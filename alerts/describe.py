"""What a subscription follows, in words a subscriber recognises, with its address."""

from dataclasses import dataclass

from .kinds import FOLLOWABLE, record_title
from .models import Subscription


@dataclass(frozen=True)
class Target:
    kind_name: str  # "Văn bản"
    title: str  # a record's title; "" for a list
    filters: list[tuple[str, str]]  # a list's filters as (label, value); [] for the whole list
    address: str  # absolute when an origin was given
    is_record: bool
    public: bool  # False: the record is no longer shown to the public


def describe(subscription: Subscription, origin: str = "") -> Target:
    followable = FOLLOWABLE[subscription.kind]
    if subscription.follows_record:
        record = followable.for_mail().filter(pk=subscription.object_id).first()
        return Target(
            kind_name=str(followable.name),
            title=record_title(record) if record else "",
            filters=[],
            address=origin + record.get_absolute_url() if record else "",
            is_record=True,
            public=record is not None,
        )
    return Target(
        kind_name=str(followable.name),
        title="",
        filters=followable.describe(subscription.query),
        address=origin + followable.list_address(subscription.query),
        is_record=False,
        public=True,
    )
