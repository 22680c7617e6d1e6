"""Filters of the public meeting list: body (by its code), term, year and kind."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ChoiceField

from portal.lists import MenuFilter, PlainSelect, QueryFilter, YearFilter
from portal.models import Organization

from .models import Meeting, MeetingKind, Term


class CodeChoiceField(ChoiceField):
    """A choice of codes typed in any case: `bchtu` and `BCHTU` are the same body."""

    def to_python(self, value):
        return super().to_python(value).strip().upper()

    def prepare_value(self, value):
        """The menu shows `bchtu` typed in an address as the body chosen."""
        return value.strip().upper() if isinstance(value, str) else value


class CodeChoiceFilter(MenuFilter):
    field_class = CodeChoiceField


class YearSelect(PlainSelect):
    """A menu of years whose value is read as a number (`2026` is valid, if empty)."""

    def format_value(self, value):
        return [str(value)] if value not in (None, "") else [""]


# The value is not echoed back: it may be ten thousand characters of anything.
NOT_A_CHOICE = {"invalid_choice": _("Giá trị này không có trong danh sách, xin chọn lại.")}


class MeetingFilter(django_filters.FilterSet):
    q = QueryFilter(label=_("Từ khóa"))
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
    # Any real year is a question (an empty answer when no meeting was held then); the
    # menu offers the years that have meetings.
    year = YearFilter(
        label=_("Năm"),
        field_name="date__year",
        widget=YearSelect,
    )
    kind = MenuFilter(
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
        self.form.fields["year"].widget.choices = [("", _("Tất cả"))] + [
            (str(d.year), str(d.year)) for d in years
        ]
