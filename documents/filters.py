import django_filters as filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.lists import MenuFilter, QueryFilter, RecordFilter, YearFilter
from portal.models import Organization

from .models import Document, DocumentType, System, Topic
from .status import InForce


def used_by(model, documents, link: str):
    """The rows of `model` that at least one of `documents` points at through `link`.

    One query, an EXISTS probe per row (on PostgreSQL, partial indexes answer the probes of
    types and issuers: documents/migrations/0012), so a filter never offers, and a feed
    title never names, a topic, type or issuer that only drafts or internal documents use.
    """
    return model.objects.filter(Exists(documents.order_by().filter(**{link: OuterRef("pk")})))


class DocumentFilter(filters.FilterSet):
    """The documents list's filters and `q` (a number however typed, or words:
    `Document.objects.search`).

    The choices of type, issuer and topic come from the documents the filterset is given,
    which are the ones the viewer may see (`Document.objects.visible_to(user)`): a value
    only hidden documents use is not offered, and is refused as "not one of the choices"
    (the HTML list drops it with a warning, downloads and feeds answer 400; the API selects
    nothing, as for a value nobody has: `portal.api_rules.selects_anything`).
    """

    # Choice lists: filter name → (model, the documents' link to it).
    CHOICES_FROM_DOCUMENTS = {
        "type": (DocumentType, "document_type"),
        "issuer": (Organization, "issuer"),
        "topic": (Topic, "topics"),
    }

    q = QueryFilter(label=_("Số, ký hiệu hoặc từ khóa"))
    type = RecordFilter(
        label=_("Loại văn bản"),
        field_name="document_type",
        queryset=DocumentType.objects.none(),
        to_field_name="slug",
        empty_label=_("Tất cả"),
    )
    issuer = RecordFilter(
        label=_("Cơ quan ban hành"),
        field_name="issuer",
        queryset=Organization.objects.none(),
        to_field_name="code",
        empty_label=_("Tất cả"),
    )
    system = MenuFilter(label=_("Hệ thống"), choices=System.choices, empty_label=_("Tất cả"))
    year = YearFilter(
        label=_("Năm ban hành"),
        field_name="issued_on__year",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    in_force = MenuFilter(
        label=_("Tình trạng hiệu lực"),
        choices=InForce.choices,
        method="filter_in_force",
        empty_label=_("Tất cả"),
    )
    topic = RecordFilter(
        label=_("Chủ đề"),
        field_name="topics",
        queryset=Topic.objects.none(),
        to_field_name="slug",
        empty_label=_("Tất cả"),
    )

    class Meta:
        model = Document
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = Document.objects.visible_to(None)
        super().__init__(data, queryset, **kwargs)
        for name, (model, link) in self.CHOICES_FROM_DOCUMENTS.items():
            choice = self.filters[name]
            # A form field built on the class's filters (the API schema generator does
            # that) would be copied here with every row: drop it, build it anew.
            choice.__dict__.pop("_field", None)
            choice.queryset = used_by(model, self.queryset, link)

    def without_q(self):
        """The rows every filter but `q` selects: the list page and the API rank the
        answer to `q` themselves (`Document.objects.answer`)."""
        queryset = self.queryset.all()
        for name, value in self.form.cleaned_data.items():
            if name != "q":
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_in_force(self, queryset, name, value):
        return queryset.with_status_in_force(value, timezone.localdate())
