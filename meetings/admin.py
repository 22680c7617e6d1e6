"""Staff enter a whole meeting on one screen, in one submit: its fields, participants,
agenda and votes.

Django has no nested inlines, so votes are a third inline on the meeting (not inside each
agenda item). A vote names its agenda item by the item's order as printed on the
programme ("3", "II.1"), which staff type in the agenda rows of the same form: items and
their votes are saved together, items first. This keeps the admin free of another
dependency (django-nested-admin, whose JavaScript would have to pass the strict CSP) for
one field.
"""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from documents.url_years import refresh_url_years
from portal.admin import ChildAdmin, ChildStackedInline, ChildTabularInline, PublishableAdmin
from portal.lists import ListSearchAdmin

from .models import AgendaItem, Meeting, MeetingParticipant, PersonVote, Term, Vote
from .voting import roll_call_errors


@admin.register(Term)
class TermAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "body", "start_year", "end_year", "members_count"]
    list_filter = ["body"]
    list_select_related = ["body"]
    search_fields = ["ordinal", "body__code", "body__name"]
    autocomplete_fields = ["body"]

    def get_queryset(self, request):
        # Labels show the body's code (see Term.__str__), also in the autocomplete.
        return super().get_queryset(request).select_related("body")


class ParticipantInline(ChildTabularInline):
    model = MeetingParticipant
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "role", "order"]


class AgendaItemInline(ChildStackedInline):
    model = AgendaItem
    extra = 0
    fields = [("order", "kind"), "title", "presenter", "documents", "outcome"]
    # Needs the documents admin's search_fields (documents/admin.py has them).
    autocomplete_fields = ["presenter", "documents"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("title", "outcome"):
            field.widget.attrs["rows"] = 2
        return field


AGENDA_PREFIX = "agenda_items"


def submitted_agenda_orders(data, meeting) -> set[str]:
    """The orders the meeting's agenda will have once this submit is saved: the orders
    typed in the agenda inline's rows in `data` (less rows ticked for deletion), and those
    of the stored items that no row changes (read-only rows post no order)."""
    orders, overridden = set(), set()
    try:
        total = int(data.get(f"{AGENDA_PREFIX}-TOTAL_FORMS", 0))
    except ValueError:
        total = 0
    for index in range(min(total, 1000)):
        row = f"{AGENDA_PREFIX}-{index}-"
        order, deleted = data.get(row + "order"), bool(data.get(row + "DELETE"))
        if (order is not None or deleted) and (item_id := data.get(row + "id")):
            overridden.add(item_id)
        if order is not None and not deleted:
            orders.add(order.strip())
    if meeting.pk:
        stored = AgendaItem.all_objects.filter(meeting=meeting).values_list("pk", "order")
        orders |= {order for pk, order in stored if str(pk) not in overridden}
    orders.discard("")
    return orders


class VoteForm(forms.ModelForm):
    """A vote whose agenda item is given by its order, so that an item typed in the same
    submit can carry a vote."""

    agenda_order = forms.CharField(
        label=_("Nội dung số"),
        max_length=20,
        required=False,
        help_text=_(
            "Thứ tự của nội dung trong chương trình ở trên (ví dụ 3), kể cả nội dung vừa "
            "nhập; để trống nếu biểu quyết về cả hội nghị."
        ),
        widget=forms.TextInput(attrs={"size": 6}),
    )

    class Meta:
        model = Vote
        fields = [
            "question",
            "method",
            "pass_rule",
            "votes_for",
            "votes_against",
            "abstentions",
            "present",
            "total",
            "result",
            "order",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.agenda_item_id:
            self.initial["agenda_order"] = self.instance.agenda_item.order

    def clean_agenda_order(self):
        return self.cleaned_data["agenda_order"].strip()

    def save(self, commit=True):
        """Links the vote to its item, saved just before by the agenda inline."""
        order = self.cleaned_data.get("agenda_order", "")
        self.instance.agenda_item = (
            AgendaItem.all_objects.get(meeting=self.instance.meeting, order=order)
            if order
            else None
        )
        return super().save(commit)


class VoteInlineFormSet(forms.BaseInlineFormSet):
    """Refuses a vote on an agenda item that the meeting will not have."""

    def clean(self):
        super().clean()
        orders = submitted_agenda_orders(self.data, self.instance)
        for form in self.forms:
            if self._should_delete_form(form) or not hasattr(form, "cleaned_data"):
                continue
            order = form.cleaned_data.get("agenda_order")
            if order and order not in orders:
                form.add_error(
                    "agenda_order",
                    _("Chương trình không có nội dung số “%(order)s”.") % {"order": order},
                )


class VoteInline(ChildStackedInline):
    model = Vote
    form = VoteForm
    formset = VoteInlineFormSet
    extra = 0
    show_change_link = True
    fields = [
        "agenda_order",
        "question",
        ("method", "pass_rule"),
        ("votes_for", "votes_against", "abstentions"),
        ("present", "total"),
        ("result", "order"),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agenda_item")

    @admin.display(description=_("Nội dung số"))
    def agenda_order(self, vote):
        """The item's order where the row is read-only (a published meeting, for an
        editor); editable rows show the form's field of the same name."""
        return vote.agenda_item.order if vote.agenda_item_id else _("— Cả hội nghị —")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "question":
            field.widget.attrs["rows"] = 2
        return field


class YearListFilter(admin.SimpleListFilter):
    title = _("năm")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Meeting.objects.dates("date", "year", order="DESC")
        choices = [(str(d.year), str(d.year)) for d in years]
        return [*choices, ("none", _("Chưa có ngày"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.filter(date__isnull=True)
        if value and value.isdigit():
            return queryset.filter(date__year=int(value))
        return queryset


@admin.register(Meeting)
class MeetingAdmin(ListSearchAdmin, PublishableAdmin):
    list_display = [
        "title",
        "number",
        "term",
        "date",
        "part_of_day",
        "status",
        "items",
        "decisions",
    ]
    list_filter = [
        ("term__body", admin.RelatedOnlyFieldListFilter),
        "term",
        YearListFilter,
        "status",
    ]
    list_select_related = ["term__body"]
    search_fields = ["title", "number__exact", "place"]
    autocomplete_fields = ["term"]
    ordering = ["-date", "-number"]
    inlines = [ParticipantInline, AgendaItemInline, VoteInline]
    fieldsets = [
        (None, {"fields": ["term", "number", "kind", "title", "status", "published_at"]}),
        (
            _("Thời gian, địa điểm"),
            {"fields": [("date", "end_date"), "part_of_day", ("start_time", "end_time"), "place"]},
        ),
        (None, {"fields": ["members_present", "summary"]}),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "title":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 80})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                item_count=Count("agenda_items", distinct=True),
                vote_count=Count("votes", distinct=True),
            )
        )

    def save_related(self, request, form, formsets, change):
        # An undated document is filed under the year of the first meeting that considered
        # it (documents/url_years.py): those on the agenda before this save and after it.
        before = _agenda_documents(form.instance)
        super().save_related(request, form, formsets, change)
        refresh_url_years(before | _agenda_documents(form.instance))

    @admin.display(description=_("số nội dung"), ordering="item_count")
    def items(self, obj):
        return obj.item_count

    @admin.display(description=_("số biểu quyết"), ordering="vote_count")
    def decisions(self, obj):
        return obj.vote_count


def _agenda_documents(meeting) -> set[int]:
    """The ids of the documents on `meeting`'s agenda, pending items included."""
    links = AgendaItem.documents.through.objects.filter(agendaitem__meeting=meeting)
    return set(links.values_list("document_id", flat=True))


class PersonVoteInlineFormSet(forms.BaseInlineFormSet):
    """Refuses members' votes that contradict the vote's published figures
    (`voting.roll_call_errors`), as edited on the same page."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        choices = [
            form.cleaned_data["choice"]
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]
        if errors := roll_call_errors(self.instance.tally, choices):
            raise forms.ValidationError(errors)


class PersonVoteInline(ChildTabularInline):
    model = PersonVote
    formset = PersonVoteInlineFormSet
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Vote)
class VoteAdmin(ChildAdmin):
    """Per-person votes, where published, are entered on the vote's own page."""

    list_display = ["__str__", "meeting", "agenda_item", "result"]
    list_filter = ["result", "method"]
    list_select_related = ["meeting", "agenda_item"]
    search_fields = ["question", "meeting__title"]
    readonly_fields = ["meeting", "agenda_item"]
    inlines = [PersonVoteInline]

    def has_add_permission(self, request):
        # Votes are added on their meeting's screen, where the agenda item is chosen.
        return False
