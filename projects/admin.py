from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from meetings.models import AgendaItem
from portal.admin import ChildAdmin, ChildTabularInline, PublishableAdmin
from portal.lists import ListSearchAdmin

from .admin_changes import ProjectChangeInline
from .map_admin import GeometryMapAdmin
from .models import Milestone, ProgressUpdate, Project
from .schedule import ScheduleState, format_percent


class AgendaItemChoiceField(forms.ModelMultipleChoiceField):
    """Agenda items labelled with their meeting, since "6. Báo cáo …" alone is ambiguous."""

    def label_from_instance(self, obj):
        return f"{obj.meeting.title} — {obj}"


def agenda_item_field(db_field, **kwargs) -> AgendaItemChoiceField:
    """The "discussed at" picker: a filterable two-box select of every agenda item.

    Not an autocomplete: that needs a registered AgendaItem admin with search_fields, and
    the meetings app enters agenda items inline on the meeting's screen (no admin of their
    own). Not raw_id_fields either: without that admin there is no lookup popup, only ids.
    One query (items with their meeting), newest meeting first.
    """
    queryset = AgendaItem.all_objects.select_related("meeting").order_by(
        "-meeting__date", "-meeting__number", "sort_key", "pk"
    )
    return AgendaItemChoiceField(
        queryset=queryset,
        required=False,
        label=db_field.verbose_name,
        help_text=db_field.help_text,
        widget=FilteredSelectMultiple(db_field.verbose_name, is_stacked=False),
        **kwargs,
    )


class ScheduleStateFilter(admin.SimpleListFilter):
    """The same rule as the public pages (projects/schedule.py), never a typed-in state."""

    title = _("tiến độ")
    parameter_name = "schedule"

    def lookups(self, request, model_admin):
        return ScheduleState.choices

    def queryset(self, request, queryset):
        if self.value() not in ScheduleState.values:
            return queryset
        today = timezone.localdate()
        keep = [p.pk for p in queryset if p.schedule(today).state == self.value()]
        return queryset.filter(pk__in=keep)


class ProgressUpdateInline(ChildTabularInline):
    model = ProgressUpdate
    extra = 1
    fields = [
        "date",
        "physical_percent",
        "disbursed_amount",
        "disbursed_percent",
        "note",
        "source_document",
        "meeting",
        "source_text",
    ]
    # Documents are chosen in a search box: the documents admin searches by number and title.
    autocomplete_fields = ["source_document", "meeting"]
    ordering = ["-date"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source_document", "meeting")


class MilestoneInline(ChildTabularInline):
    model = Milestone
    extra = 1
    fields = ["name", "planned_on", "actual_on"]


@admin.register(Project)
class ProjectAdmin(GeometryMapAdmin, ListSearchAdmin, PublishableAdmin):
    list_display = [
        "name",
        "sector",
        "is_key",
        "stage",
        "parent",
        "latest_progress",
        "schedule_state",
        "last_update",
        "status",
    ]
    list_filter = [
        "status",
        ScheduleStateFilter,
        "sector",
        "is_key",
        "stage",
        "behind_stated",
        "owner",
    ]
    list_select_related = ["parent", "owner"]
    search_fields = ["name", "code", "location", "search_text"]
    autocomplete_fields = ["parent", "owner", "approval_document", "behind_stated_in", "documents"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ProgressUpdateInline, MilestoneInline, ProjectChangeInline]
    ordering = ["name"]
    fieldsets = [
        (None, {"fields": ["name", "code", "slug", "sector", "is_key", "parent", "status"]}),
        (
            _("Chủ đầu tư, địa điểm"),
            {"fields": ["owner", "location", "geometry", "description"]},
        ),
        (
            _("Kế hoạch và thực hiện"),
            {
                "fields": [
                    "stage",
                    ("planned_start", "planned_finish"),
                    ("actual_start", "actual_finish"),
                    "total_investment",
                    "approval_document",
                    "documents",
                ]
            },
        ),
        (_("Được bàn tại"), {"fields": ["agenda_items"]}),
        (
            _("Chậm tiến độ theo nguồn chính thức"),
            {
                "fields": ["behind_stated", "behind_statement", "behind_stated_in"],
                "description": _(
                    "Dùng khi một nguồn chính thức nói dự án chậm tiến độ mà không có số liệu. "
                    "Khi có số liệu, hệ thống tự đánh giá từ kế hoạch và các lần cập nhật."
                ),
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_progress().with_plan()

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "agenda_items":
            return agenda_item_field(db_field)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("khối lượng"), ordering="latest_percent")
    def latest_progress(self, obj):
        if obj.latest_percent is None:
            return "—"
        return format_percent(obj.latest_percent)

    @admin.display(description=_("tiến độ"))
    def schedule_state(self, obj):
        schedule = obj.schedule(timezone.localdate())
        return format_html('<span title="{}">{}</span>', schedule.reason, schedule.label)

    @admin.display(description=_("cập nhật gần nhất"), ordering="last_update_on")
    def last_update(self, obj):
        return obj.last_update_on


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ChildAdmin):
    list_display = [
        "project",
        "date",
        "physical_percent",
        "disbursed_amount",
        "disbursed_percent",
        "source_document",
        "meeting",
    ]
    list_filter = ["project__sector", "project__is_key"]
    list_select_related = ["project", "source_document", "meeting"]
    search_fields = ["project__name", "note", "source_text"]
    autocomplete_fields = ["project", "meeting", "source_document"]
    date_hierarchy = "date"


@admin.register(Milestone)
class MilestoneAdmin(ChildAdmin):
    list_display = ["name", "project", "planned_on", "actual_on"]
    list_select_related = ["project"]
    search_fields = ["name", "project__name"]
    autocomplete_fields = ["project"]
    date_hierarchy = "planned_on"
