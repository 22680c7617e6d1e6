"""Staff enter a whole meeting on one screen: its fields, participants, agenda and votes.

Django has no nested inlines, so votes are a third inline on the meeting (not inside each
agenda item) with a select of the meeting's own agenda items. Items added with a new
meeting can be chosen once it is saved: saving a new meeting returns to its own screen
(not the list) for that. Votes on the meeting itself (the programme) can be entered
straight away. This keeps the admin free of another dependency
(django-nested-admin) for one select.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IS_POPUP_VAR
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

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


class VoteInlineFormSet(forms.BaseInlineFormSet):
    """Offers only the meeting's own agenda items for a vote."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        field = form.fields.get("agenda_item")
        if field is None:
            return
        if self.instance.pk:
            field.queryset = AgendaItem.all_objects.filter(meeting=self.instance)
        else:
            field.queryset = AgendaItem.objects.none()
            field.help_text = _(
                "Nội dung mới nhập chỉ chọn được sau khi bấm “Lưu và tiếp tục chỉnh sửa”; "
                "biểu quyết về cả hội nghị thì nhập ngay."
            )
        field.empty_label = _("— Cả hội nghị —")


class VoteInline(ChildStackedInline):
    model = Vote
    formset = VoteInlineFormSet
    extra = 0
    show_change_link = True
    fields = [
        "agenda_item",
        "question",
        ("method", "pass_rule"),
        ("votes_for", "votes_against", "abstentions"),
        ("present", "total"),
        ("result", "order"),
    ]

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

    def response_add(self, request, obj, post_url_continue=None):
        """After adding a meeting, stay on its screen: its new agenda items can now be
        chosen for votes (unless staff asked to add another meeting)."""
        if "_addanother" not in request.POST and IS_POPUP_VAR not in request.POST:
            request.POST = request.POST.copy()
            request.POST["_continue"] = "1"
        return super().response_add(request, obj, post_url_continue)

    @admin.display(description=_("số nội dung"), ordering="item_count")
    def items(self, obj):
        return obj.item_count

    @admin.display(description=_("số biểu quyết"), ordering="vote_count")
    def decisions(self, obj):
        return obj.vote_count


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
