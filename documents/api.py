"""Documents in the read-only API: `/api/documents/` and `/api/documents/<year>/<slug>/`.

Only published public documents, whoever asks (the API has no authentication, see
`REST_FRAMEWORK` in portal/settings.py). The list takes the list page's filters and its
`q`: an official number however typed, or words of the text. A document is identified as
on the site: the year and slug of its public URL; the payload also carries its printed
and canonical number. The flat fields carry the same names as the download's columns
(`exports.COLUMNS`)."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, viewsets

from portal.api_rules import selects_anything
from portal.lists import without_nul
from portal.publication import PublicationStatus

from .exports import COLUMNS
from .filters import DocumentFilter
from .models import (
    LIST_ORDER,
    Attachment,
    Document,
    DocumentRelation,
    Visibility,
    discussed_at_prefetch,
)
from .status import RelationKind


def is_public(document) -> bool:
    """Whether anybody may see `document` (a related row fetched without that filter)."""
    return (
        document is not None
        and document.status == PublicationStatus.PUBLISHED
        and document.visibility == Visibility.PUBLIC
    )


class DocumentRefSerializer(serializers.ModelSerializer):
    """How other records point at a document: its number, year, slug and public URL."""

    year = serializers.IntegerField(source="url_year")
    slug = serializers.SlugField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = ["number", "display", "year", "slug", "title", "issued_on", "url"]

    def get_url(self, document) -> str:
        return self.context["request"].build_absolute_uri(document.get_absolute_url())


def public_document(document, context) -> dict | None:
    """The reference to `document` when it is public and published, else None."""
    if not is_public(document):
        return None
    return DocumentRefSerializer(document, context=context).data


class AttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["name", "content_type", "size", "url"]

    def get_url(self, attachment) -> str:
        return self.context["request"].build_absolute_uri(attachment.get_absolute_url())


class RelationSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RelationKind.choices)
    direction = serializers.ChoiceField(
        choices=[("out", "this document acts on the other"), ("in", "the other acts on it")]
    )
    document = DocumentRefSerializer()


MEETING_REF = inline_serializer(
    "DiscussedAt",
    fields={
        "body": serializers.CharField(),
        "term": serializers.CharField(),
        "number": serializers.IntegerField(),
        "title": serializers.CharField(),
        "date": serializers.DateField(allow_null=True),
        "url": serializers.URLField(),
    },
    many=True,
)


class DocumentSerializer(serializers.ModelSerializer):
    document_type = serializers.SerializerMethodField()
    issuer = serializers.CharField(source="issuer.code")
    issuer_name = serializers.CharField(source="issuer.name")
    year = serializers.IntegerField(source="url_year")
    # Declared: the model's default "" does not match a slug's pattern in the schema.
    slug = serializers.SlugField(read_only=True)
    url = serializers.SerializerMethodField()
    topics = serializers.SerializerMethodField()
    relations = serializers.SerializerMethodField()
    attachments = AttachmentSerializer(many=True, read_only=True, source="listed_attachments")
    discussed_at = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            *[column.name for column in COLUMNS],
            "topics",
            "relations",
            "attachments",
            "discussed_at",
        ]

    def get_document_type(self, document) -> str:
        return document.document_type.name if document.document_type else ""

    def get_url(self, document) -> str:
        return self.context["request"].build_absolute_uri(document.get_absolute_url())

    @extend_schema_field(serializers.ListField(child=serializers.SlugField()))
    def get_topics(self, document) -> list[str]:
        """The topics' slugs (prefetched into a list by `api_documents`)."""
        return [topic.slug for topic in document.listed_topics]

    @extend_schema_field(RelationSerializer(many=True))
    def get_relations(self, document):
        """Relations with other public documents (prefetched by `api_documents`)."""
        rows = [
            {"kind": r.kind, "direction": "out", "document": r.to_document}
            for r in document.public_relations_out
        ] + [
            {"kind": r.kind, "direction": "in", "document": r.from_document}
            for r in document.public_relations_in
        ]
        return RelationSerializer(rows, many=True, context=self.context).data

    @extend_schema_field(MEETING_REF)
    def get_discussed_at(self, document):
        """Published meetings whose agenda discussed the document, newest first."""
        seen, meetings = set(), []
        for item in getattr(document, "discussed_at", None) or []:
            meeting = item.meeting
            if meeting.pk in seen:
                continue
            seen.add(meeting.pk)
            meetings.append(
                {
                    "body": meeting.term.body.code,
                    "term": meeting.term.ordinal,
                    "number": meeting.number,
                    "title": meeting.title,
                    "date": meeting.date.isoformat() if meeting.date else None,
                    "url": self.context["request"].build_absolute_uri(meeting.get_absolute_url()),
                }
            )
        return meetings


class DocumentDetailSerializer(DocumentSerializer):
    signer = serializers.SerializerMethodField()

    class Meta(DocumentSerializer.Meta):
        fields = [*DocumentSerializer.Meta.fields, "signer", "signer_title", "summary", "body"]

    def get_signer(self, document) -> str:
        return document.signer.full_name if document.signer else ""


def api_documents():
    """Published public documents, newest first, with what the API shows: relations with
    other public documents, attachments, topics, meetings. Each prefetched into a list
    (`to_attr`): into a related manager, Django builds a queryset for every document and
    relation, which cost a third of a page of 20."""
    public = Document.objects.visible_to(None)
    relations = DocumentRelation.objects.all()
    return (
        public.select_related("document_type", "issuer", "signer")
        .prefetch_related(
            Prefetch(
                "relations_out",
                relations.filter(to_document__in=public.values("pk")).select_related(
                    "to_document"
                ),
                to_attr="public_relations_out",
            ),
            Prefetch(
                "relations_in",
                relations.filter(from_document__in=public.values("pk")).select_related(
                    "from_document"
                ),
                to_attr="public_relations_in",
            ),
            Prefetch("attachments", to_attr="listed_attachments"),
            Prefetch("topics", to_attr="listed_topics"),
            discussed_at_prefetch(),
        )
        .order_by(*LIST_ORDER)
    )


def matching_pks(filterset) -> list[int]:
    """The documents answering the filterset's `q` as on the documents list
    (`Document.objects.answer`): those whose number matches, best first (the complete
    matches alone when there are any), or else those whose text holds every word, newest
    first: the first MAX_LISTED, and one more when there are more, which the paginator
    reads as `capped`."""
    answer = filterset.without_q().answer(filterset.form.cleaned_data["q"])
    return answer.rows.pks


class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    """Published public documents, newest first; filters and `q` as on the documents list."""

    filterset_class = DocumentFilter

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                str,
                description=(
                    "An official number however it is typed (`341 KH TU`, `341/KH-TU`, "
                    "`kh 341`), best match first; otherwise words of the number, title or "
                    "text, ignoring case and diacritics, newest first (the first 1,000: see "
                    "`capped`)."
                ),
            )
        ]
    )
    def list(self, request, *args, **kwargs):
        # The filter backend's work, done once here: `q` is answered apart.
        documents = self.get_queryset()
        filterset = DocumentFilter(without_nul(request.query_params), queryset=documents)
        # A 400 for a bad filter; an empty answer for a choice nobody has.
        if not selects_anything(filterset):
            rows = self.paginate_queryset(documents.none())
        elif filterset.form.cleaned_data.get("q"):
            rows = documents.in_order(self.paginate_queryset(matching_pks(filterset)))
        else:
            rows = self.paginate_queryset(filterset.qs)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    def get_queryset(self):
        # Always the anonymous rules, whoever is signed in on the site.
        return api_documents()

    def get_serializer_class(self):
        return DocumentDetailSerializer if self.action == "retrieve" else DocumentSerializer

    def get_object(self):
        return get_object_or_404(
            self.get_queryset(), url_year=self.kwargs["year"], slug=self.kwargs["slug"]
        )
