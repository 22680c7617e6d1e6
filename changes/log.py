"""Writing the public change log: the publication flow calls these after each write that
changes what the public sees (`portal.publication`, `portal.admin`, the imports).

Nothing is logged for a record the public does not see at that moment (a draft, an
internal document), so the log never holds a record's state before it was first public.
"""

from collections.abc import Iterable

from .models import Action, PublicChange
from .records import followed, is_public

# Stored as written, in Vietnamese like the publishers' own notes.
IMPORT_NOTE = "Nhập dữ liệu"


def published(record) -> PublicChange | None:
    """`record` became public (published, or a published document made public)."""
    if not is_public(record):
        return None
    return PublicChange.objects.create(
        record=record, kind=followed(record).kind, action=Action.PUBLISHED
    )


def changed(record, fields: Iterable[str], note: str = "") -> PublicChange | None:
    """Public fields of `record` changed (names, or child model labels); other names are
    dropped, and nothing is logged when none is left or the record is not public."""
    if not is_public(record):
        return None
    entry = followed(record)
    known = {*entry.public_fields, *entry.child_labels()}
    names = list(dict.fromkeys(name for name in fields if name in known))
    if not names:
        return None
    return PublicChange.objects.create(
        record=record,
        kind=entry.kind,
        action=Action.CHANGED,
        fields=names,
        note=note.strip(),
    )


def children_changed(record, child_models) -> PublicChange | None:
    """A publisher approved, saved or deleted child records shown on `record`'s page: the
    log names their kinds; no note is asked for them."""
    return changed(record, [model._meta.label_lower for model in child_models])


def imported(record, fields: Iterable[str]) -> PublicChange | None:
    """An import changed a published record."""
    return changed(record, fields, note=IMPORT_NOTE)


def published_in_bulk(records) -> None:
    """Many records imported as published at once (one insert per thousand)."""
    rows = [
        PublicChange(record=record, kind=followed(record).kind, action=Action.PUBLISHED)
        for record in records
        if is_public(record)
    ]
    PublicChange.objects.bulk_create(rows, batch_size=1000)


def imported_in_bulk(records, fields: Iterable[str]) -> None:
    """An import changed `fields` (child model labels) of many published records."""
    for record in records:
        imported(record, fields)
