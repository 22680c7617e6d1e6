"""The records the change log follows, and what of each the public may read about.

This is the one place that says which fields of a record are public (`public_fields`):
a change to any other column (an internal note, a search key, the status, who typed it)
is never logged, and a logged name that is not listed here is never shown. The child
records shown on a record's page (`portal.publication.reviewed_children`) are public once
approved; the log names their kind only ("Tiến độ thực hiện"), never their fields.

Models are named by label, not imported: `portal.publication` calls the log while the
apps' models are still being loaded.
"""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import get_language

from portal.publication import PublicationStatus, reviewed_children

from .models import RecordKind


@dataclass(frozen=True)
class Followed:
    kind: RecordKind
    label: str  # "documents.document"
    public_fields: tuple[str, ...]
    # What the list and the feed read of each record: its address, title and issuing body.
    related: tuple[str, ...] = ()
    body: str = ""  # the attribute holding the issuing body (an Organization), if any

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)

    def public_records(self) -> models.QuerySet:
        """The records the public sees: published, and (documents) public."""
        if self.kind == RecordKind.DOCUMENT:
            return self.model.objects.visible_to(None)
        return self.model.objects.published()

    def for_change_list(self) -> models.QuerySet:
        return self.model.objects.select_related(*self.related)

    def child_labels(self) -> dict[str, str]:
        """Child kinds by model label: "projects.progressupdate" → "tiến độ thực hiện"."""
        return {
            child._meta.label_lower: child._meta.verbose_name_plural
            for child in reviewed_children(self.model)
        }


FOLLOWED = {
    followed.kind: followed
    for followed in (
        Followed(
            kind=RecordKind.DOCUMENT,
            label="documents.document",
            public_fields=(
                "number",
                "system",
                "document_type",
                "issuer",
                "signer",
                "signer_title",
                "issued_on",
                "effective_on",
                "expires_on",
                "title",
                "summary",
                "body",
                "topics",
            ),
            related=("issuer",),
            body="issuer",
        ),
        Followed(
            kind=RecordKind.MEETING,
            label="meetings.meeting",
            public_fields=(
                "term",
                "number",
                "kind",
                "title",
                "date",
                "end_date",
                "part_of_day",
                "start_time",
                "end_time",
                "place",
                "members_present",
                "summary",
            ),
            related=("term__body",),
            body="term.body",
        ),
        Followed(
            kind=RecordKind.INDICATOR,
            label="indicators.indicator",
            public_fields=(
                "code",
                "name",
                "unit",
                "category",
                "direction",
                "definition",
                "source",
            ),
        ),
        Followed(
            kind=RecordKind.PROJECT,
            label="projects.project",
            public_fields=(
                "name",
                "code",
                "sector",
                "is_key",
                "parent",
                "owner",
                "location",
                "geometry",
                "description",
                "approval_document",
                "documents",
                "agenda_items",
                "stage",
                "planned_start",
                "planned_finish",
                "actual_start",
                "actual_finish",
                "total_investment",
                "behind_stated",
                "behind_statement",
                "behind_stated_in",
            ),
            related=("owner",),
            body="owner",
        ),
    )
}


def followed(record_or_model) -> Followed | None:
    """How the log follows this record's model; None for models it does not follow."""
    label = record_or_model._meta.label_lower
    return next((f for f in FOLLOWED.values() if f.label == label), None)


def is_public(record) -> bool:
    """Whether the public sees `record` now (its row as loaded, no query)."""
    return (
        followed(record) is not None
        and record.status == PublicationStatus.PUBLISHED
        and getattr(record, "visibility", "public") == "public"
    )


def field_labels(kind: str, names) -> list[str]:
    """The public labels of logged names (own fields, then child kinds); anything else —
    a name no longer public, or never so — is left out."""
    entry = FOLLOWED.get(kind)
    if entry is None:
        return []
    children = entry.child_labels()
    labels = []
    for name in names:
        if name in entry.public_fields:
            labels.append(str(entry.model._meta.get_field(name).verbose_name))
        elif name in children:
            labels.append(str(children[name]))
    return labels


def title_of(record) -> str:
    """The record as its page names it."""
    if followed(record).kind == RecordKind.DOCUMENT and record.display:
        return f"{record.display} – {record.title}"
    return getattr(record, "title", None) or getattr(record, "name", "")


def body_name(record) -> str:
    """The issuing or holding body, else the portal (never a member of staff)."""
    body = record
    for name in followed(record).body.split(".") if followed(record).body else []:
        body = getattr(body, name, None)
    if body is None or body is record:
        names = settings.PORTAL_SITE_NAMES
        return names.get(get_language(), names[settings.LANGUAGE_CODE])
    return body.name
