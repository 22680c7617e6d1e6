"""Filters of the public meeting list: body (by its code), term, year and kind."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ChoiceField

from portal.models import Organization
from portal.text import MAX_QUERY_LENGTH, search_words, typed_query

from .models import Meeting, MeetingKind, Term


class CodeChoiceField(ChoiceField):
    """A choice of codes typed in any case: `bchtu` and `BCHTU` are the same body."""

    def to_python(self, value):
        return super().to_python(value).strip().upper()


class CodeChoiceFilter(django_filters.ChoiceFilter):
    field_class = CodeChoiceField


class QueryField(forms.CharField):
    """A search box: control characters (NUL…) dropped, cut to `MAX_QUERY_LENGTH`."""

    def to_python(self, value):
        return typed_query(super().to_python(value))[:MAX_QUERY_LENGTH]


class QueryFilter(django_filters.CharFilter):
    field_class = QueryField


# The value is not echoed back: it may be ten thousand characters of anything.
NOT_A_CHOICE = {"invalid_choice": _("Giá trị này không có trong danh sách, xin chọn lại.")}


class MeetingFilter(django_filters.FilterSet):
    q = QueryFilter(
        label=_("Từ khóa"),
        method="filter_q",
        widget=forms.TextInput(attrs={"type": "search", "maxlength": MAX_QUERY_LENGTH}),
    )
    body = CodeChoiceFilter(
        label=_("Cơ quan"),
        field_name="term__body__code",
        empty_label=_("Tất cả"),
        choices=(),
        error_messages=NOT_A_CHOICE,
    )
    term = CodeChoiceFilter(
        label=_("Khóa"),
        field_name="term__ordinal",
        empty_label=_("Tất cả"),
        choices=(),
        error_messages=NOT_A_CHOICE,
    )
    year = django_filters.ChoiceFilter(
        label=_("Năm"),
        method="filter_year",
        empty_label=_("Tất cả"),
        choices=(),
        error_messages=NOT_A_CHOICE,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Loại hội nghị"),
        choices=[c for c in MeetingKind.choices if c[0]],
        empty_label=_("Tất cả"),
        error_messages=NOT_A_CHOICE,
    )

    class Meta:
        model = Meeting
        fields = ["q", "body", "term", "year", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A form field built on the class's filters (the API schema generator does that)
        # would be copied here with the choices of that moment: drop it, build it anew.
        for name in ("body", "term", "year"):
            self.filters[name].__dict__.pop("_field", None)
        # The choices are what the published meetings have: one query each, per request.
        published = Meeting.objects.published()
        bodies = Organization.objects.filter(terms__meetings__in=published).distinct()
        self.filters["body"].extra["choices"] = [
            (org.code, org.name) for org in bodies.order_by("name")
        ]
        ordinals = (
            Term.objects.filter(meetings__in=published)
            .order_by("-start_year")
            .values_list("ordinal", flat=True)
        )
        self.filters["term"].extra["choices"] = [(o, o) for o in dict.fromkeys(ordinals)]
        years = published.dates("date", "year", order="DESC")
        self.filters["year"].extra["choices"] = [(str(d.year), str(d.year)) for d in years]

    def filter_q(self, queryset, name, value: str):
        """Meetings whose title, place, summary or one of whose agenda items hold every
        word, ignoring case and diacritics."""
        words = search_words(value)
        return queryset.mentioning(words) if words else queryset

    def filter_year(self, queryset, name, value: str):
        return queryset.filter(date__year=int(value))
