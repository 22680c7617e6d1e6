from dataclasses import dataclass, field

from django import template

from ..models import PublicChange
from ..records import is_public

register = template.Library()


@dataclass
class History:
    changes: list = field(default_factory=list)
    last_updated: object = None  # a datetime


@register.simple_tag
def public_history(record) -> History | None:
    """The public changes of `record`, newest first (one query), and when it last changed;
    None for a record the public does not see (a draft, an internal document)."""
    if not is_public(record):
        return None
    changes = list(PublicChange.objects.of_record(record))
    # A record published before the log began has no row: its publication date stands.
    last = changes[0].at if changes else record.published_at
    return History(changes=changes, last_updated=last)
