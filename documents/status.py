"""Status in force (tình trạng hiệu lực), derived — never typed by hand.

`status_in_force()` is the one definition. `DocumentQuerySet.with_status_in_force()`
translates it into SQL for the list filter, and a test checks that both agree on every case.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class InForce(models.TextChoices):
    IN_FORCE = "in_force", _("Còn hiệu lực")
    PARTLY_AMENDED = "amended", _("Được sửa đổi, bổ sung một phần")
    REPLACED = "replaced", _("Đã được thay thế")
    CANCELLED = "cancelled", _("Đã bị bãi bỏ")
    EXPIRED = "expired", _("Hết hiệu lực")
    NOT_YET = "not_yet", _("Chưa có hiệu lực")
    NOT_ISSUED = "not_issued", _("Chưa ban hành")


class RelationKind(models.TextChoices):
    """How the `from` document acts on the `to` document."""

    AMENDS = "amends", _("sửa đổi, bổ sung")
    REPLACES = "replaces", _("thay thế")
    IMPLEMENTS = "implements", _("triển khai thực hiện")
    GUIDES = "guides", _("hướng dẫn")
    BASED_ON = "based_on", _("căn cứ")
    CANCELS = "cancels", _("bãi bỏ")


# Inverse wording, as read on the page of the `to` document.
INVERSE_WORDING = {
    RelationKind.AMENDS: _("được sửa đổi, bổ sung bởi"),
    RelationKind.REPLACES: _("được thay thế bởi"),
    RelationKind.IMPLEMENTS: _("được triển khai bởi"),
    RelationKind.GUIDES: _("được hướng dẫn bởi"),
    RelationKind.BASED_ON: _("là căn cứ của"),
    RelationKind.CANCELS: _("bị bãi bỏ bởi"),
}


@dataclass(frozen=True)
class Incoming:
    """A relation pointing at the document, with the facts of the acting document."""

    kind: str
    published: bool
    issued_on: datetime.date | None
    effective_on: datetime.date | None


@dataclass(frozen=True)
class Standing:
    status: InForce
    # A published but not yet issued paper (a draft) amends, replaces or cancels this one:
    # shown as "being amended", without changing the status.
    pending_change: bool


def takes_effect(act: Incoming, today: datetime.date) -> bool:
    """An acting document counts once it is published, issued and in effect."""
    if not act.published or act.issued_on is None or act.issued_on > today:
        return False
    return act.effective_on is None or act.effective_on <= today


ACTING_KINDS = (RelationKind.AMENDS, RelationKind.REPLACES, RelationKind.CANCELS)


def status_in_force(
    *,
    today: datetime.date,
    issued_on: datetime.date | None,
    effective_on: datetime.date | None,
    expires_on: datetime.date | None,
    incoming: Iterable[Incoming] = (),
) -> Standing:
    """Derive the status in force. Precedence: not issued (no issue date: a submission or
    draft paper), replaced, cancelled, expired, not yet in force, partly amended, in force.
    `expires_on` is the first day no longer in force."""
    acting = [act for act in incoming if act.kind in ACTING_KINDS]
    effective = {act.kind for act in acting if takes_effect(act, today)}
    pending = any(act.published and not takes_effect(act, today) for act in acting)
    if issued_on is None:
        status = InForce.NOT_ISSUED
    elif RelationKind.REPLACES in effective:
        status = InForce.REPLACED
    elif RelationKind.CANCELS in effective:
        status = InForce.CANCELLED
    elif expires_on is not None and expires_on <= today:
        status = InForce.EXPIRED
    elif effective_on is not None and effective_on > today:
        status = InForce.NOT_YET
    elif RelationKind.AMENDS in effective:
        status = InForce.PARTLY_AMENDED
    else:
        status = InForce.IN_FORCE
    return Standing(status=status, pending_change=pending)
