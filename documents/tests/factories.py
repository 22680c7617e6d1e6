"""Plain factory functions for documents; every argument has a usable default."""

import datetime
import itertools

from portal.models import Organization, OrganizationKind
from portal.publication import PublicationStatus

from ..models import Attachment, Document, DocumentRelation, DocumentType, Topic

_sequence = itertools.count(1)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def organization(code: str, kind: str = OrganizationKind.PARTY, **overrides) -> Organization:
    organization_, _created = Organization.objects.get_or_create(
        code=code, defaults={"name": overrides.pop("name", f"Cơ quan {code}"), "kind": kind}
    )
    return organization_


def document_type(name: str) -> DocumentType:
    return DocumentType.objects.get(name=name)


def make_document(**overrides) -> Document:
    """A published public Party document; pass number="" for one without a number."""
    n = next(_sequence)
    if "issuer" not in overrides:
        overrides["issuer"] = organization("TU")
    values = {
        "number": f"{n}-KH/TU",
        "title": f"Kế hoạch thử nghiệm số {n}",
        "issued_on": datetime.date(2025, 6, 12),
        "status": PublicationStatus.PUBLISHED,
    }
    return Document.objects.create(**(values | overrides))


def make_state_document(**overrides) -> Document:
    n = next(_sequence)
    values = {
        "number": f"{n}/QĐ-UBND",
        "issuer": organization("UBND", OrganizationKind.STATE),
        "title": f"Quyết định số {n}",
    }
    return make_document(**(values | overrides))


def make_relation(from_document, kind, to_document) -> DocumentRelation:
    return DocumentRelation.objects.create(
        from_document=from_document, kind=kind, to_document=to_document
    )


def make_topic(**overrides) -> Topic:
    n = next(_sequence)
    return Topic.objects.create(**({"name": f"Chủ đề {n}"} | overrides))


def make_attachment(document, *, name="Kế hoạch số 341.pdf", content=PDF_BYTES, **overrides):
    from django.core.files.base import ContentFile

    attachment = Attachment(
        document=document,
        original_name=name,
        size=len(content),
        content_type=overrides.pop("content_type", "application/pdf"),
        **overrides,
    )
    attachment.file.save(name, ContentFile(content), save=True)
    return attachment
