"""The admin of project changes: inline on the project's screen, and a list of its own."""

from django.contrib import admin

from portal.admin import ChildAdmin, ChildStackedInline

from .models import ProjectChange

FIELDS = [
    ("decided_on", "document"),
    "reason",
    ("new_planned_start", "new_planned_finish"),
    "new_total_investment",
    ("old_scope", "new_scope"),
]


class ProjectChangeInline(ChildStackedInline):
    """Each row holds only the new values: the page works out the old ones."""

    model = ProjectChange
    extra = 0
    fields = FIELDS
    # The documents admin searches by number and title, and hides internal documents
    # from staff who may not read them.
    autocomplete_fields = ["document"]
    ordering = ["-decided_on", "-pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("document")


@admin.register(ProjectChange)
class ProjectChangeAdmin(ChildAdmin):
    list_display = [
        "project",
        "decided_on",
        "document",
        "new_planned_start",
        "new_planned_finish",
        "new_total_investment",
    ]
    list_filter = ["project__sector", "project__is_key"]
    list_select_related = ["project", "document"]
    search_fields = ["project__name", "reason", "old_scope", "new_scope"]
    autocomplete_fields = ["project", "document"]
    date_hierarchy = "decided_on"
    fields = ["project", *FIELDS]
