"""What can be followed: each kind's public records, its list's own FilterSet and address.

A followed list is kept as its query string; whether a changed record belongs to it is
asked of the very FilterSet the list page uses (`portal/lists.py`), over the public records
only, so a mail never disagrees with the page it links to.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

import django_filters
from django.db.models import Model, QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from changes.models import RecordKind
from documents.filters import DocumentFilter
from documents.models import Document
from indicators.filters import IndicatorFilter
from indicators.models import Indicator
from meetings.filters import MeetingFilter
from meetings.models import Meeting
from portal.lists import without_nul
from portal.text import search_query
from projects.filters import ProjectFilter
from projects.models import Project

# Parameters of a list address that are not filters.
NOT_FILTERS = {"page", "format"}


@dataclass(frozen=True)
class Followable:
    kind: RecordKind
    slug: str  # in addresses: /alerts/follow/documents/
    model: type[Model]
    filterset: type[django_filters.FilterSet]
    list_url: str
    name: str  # "Văn bản"
    related: tuple[str, ...] = ()  # what a record's address and title read

    def public_records(self) -> QuerySet:
        """Only these are ever mailed: published, and (documents) public."""
        if self.model is Document:
            return Document.objects.visible_to(None)
        return self.model.objects.published()

    def for_mail(self) -> QuerySet:
        return self.public_records().select_related(*self.related)

    def list_address(self, query: str = "") -> str:
        return reverse(self.list_url) + (f"?{query}" if query else "")

    def clean_query(self, params: QueryDict) -> str:
        """The list's valid filters as a canonical query string (sorted, `q` cleaned);
        invalid ones, pages and formats are dropped, as the list page drops them."""
        params = without_nul(params)
        data = {}
        for name in self.filterset.base_filters:
            value = params.get(name, "").strip()
            if name == "q":
                value = search_query(value)[0]
            if value:
                data[name] = value
        filterset = self.filterset(QueryDict(urlencode(data)), queryset=self.public_records())
        if not filterset.is_valid():
            data = {name: value for name, value in data.items() if name not in filterset.errors}
        return urlencode(sorted(data.items()))

    def describe(self, query: str) -> list[tuple[str, str]]:
        """The filters of `query` as (label, value shown) pairs, in the list's order."""
        filterset = self.filterset(QueryDict(query), queryset=self.public_records())
        if not filterset.is_valid():
            return []
        described = []
        for name, value in filterset.form.cleaned_data.items():
            if value in (None, ""):
                continue
            field = filterset.form.fields[name]
            if isinstance(value, Model):
                shown = str(value)
            elif isinstance(value, bool):
                shown = _("Có") if value else _("Không")
            else:
                shown = dict(getattr(field, "choices", ())).get(str(value), value)
            described.append((str(filterset.filters[name].label), str(shown)))
        return described

    def matching(self, query: str, ids) -> set[int]:
        """Which of the public records `ids` the list `query` shows (one filter run).

        A filter the list no longer accepts (a topic no public document has any more)
        matches nothing: better no mail than a mail about records outside the list.
        """
        records = self.public_records().filter(pk__in=list(ids))
        filterset = self.filterset(QueryDict(query), queryset=records)
        if not filterset.is_valid():
            return set()
        return set(filterset.qs.values_list("pk", flat=True))


FOLLOWABLE = {
    followable.kind: followable
    for followable in (
        Followable(
            kind=RecordKind.DOCUMENT,
            slug="documents",
            model=Document,
            filterset=DocumentFilter,
            list_url="documents:list",
            name=_("Văn bản"),
        ),
        Followable(
            kind=RecordKind.MEETING,
            slug="meetings",
            model=Meeting,
            filterset=MeetingFilter,
            list_url="meetings:list",
            name=_("Hội nghị"),
            related=("term__body",),
        ),
        Followable(
            kind=RecordKind.INDICATOR,
            slug="indicators",
            model=Indicator,
            filterset=IndicatorFilter,
            list_url="indicators:list",
            name=_("Chỉ tiêu"),
        ),
        Followable(
            kind=RecordKind.PROJECT,
            slug="projects",
            model=Project,
            filterset=ProjectFilter,
            list_url="projects:list",
            name=_("Dự án"),
        ),
    )
}
BY_SLUG = {followable.slug: followable for followable in FOLLOWABLE.values()}


def record_title(record) -> str:
    """How a mail names a record: a document by its number and title."""
    if isinstance(record, Document):
        return " – ".join(part for part in (record.display, record.title) if part)
    return str(record)
