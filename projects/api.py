"""Projects in the read-only API: `/api/projects/` and `/api/projects/<slug>/`.

Published projects only, with progress updates, milestones and approved changes. Linked
documents appear only when public and published, meetings only when published, the parent
only when published. Flat fields carry the download's names (`exports.COLUMN_NAMES`): the
plan in force, and the plan as first approved under `baseline_…`.
"""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from documents.api import DocumentRefSerializer, is_public, public_document
from meetings.api import MeetingRefSerializer, published_meeting

from .changes import Item, change_history
from .exports import COLUMN_NAMES
from .filters import ProjectFilter
from .models import Milestone, ProgressUpdate, Project
from .schedule import ScheduleState


class ProgressUpdateSerializer(serializers.ModelSerializer):
    source_document = serializers.SerializerMethodField()
    meeting = serializers.SerializerMethodField()

    class Meta:
        model = ProgressUpdate
        fields = [
            "date",
            "physical_percent",
            "disbursed_amount",
            "disbursed_percent",
            "note",
            "source_text",
            "source_document",
            "meeting",
        ]

    @extend_schema_field(DocumentRefSerializer(allow_null=True))
    def get_source_document(self, update):
        return public_document(update.source_document, self.context)

    @extend_schema_field(MeetingRefSerializer(allow_null=True))
    def get_meeting(self, update):
        return published_meeting(update.meeting, self.context)


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["name", "planned_on", "actual_on"]


class ProjectChangeSerializer(serializers.Serializer):
    """An approved change, old → new for each item it changed (null for the others); the
    old value is the one in force before the change."""

    decided_on = serializers.DateField()
    document = DocumentRefSerializer(allow_null=True)
    reason = serializers.CharField()
    old_planned_start = serializers.DateField(allow_null=True)
    new_planned_start = serializers.DateField(allow_null=True)
    old_planned_finish = serializers.DateField(allow_null=True)
    new_planned_finish = serializers.DateField(allow_null=True)
    old_total_investment = serializers.DecimalField(
        max_digits=20, decimal_places=0, allow_null=True
    )
    new_total_investment = serializers.DecimalField(
        max_digits=20, decimal_places=0, allow_null=True
    )
    old_scope = serializers.CharField(allow_null=True)
    new_scope = serializers.CharField(allow_null=True)


def _change_row(entry) -> dict:
    change = entry.change
    row = {
        "decided_on": change.decided_on,
        "document": change.document if is_public(change.document) else None,
        "reason": change.reason,
    }
    for item in Item:
        row[f"old_{item.value}"] = row[f"new_{item.value}"] = None
    for shift in entry.shifts:
        row[f"old_{shift.item.value}"] = shift.old
        row[f"new_{shift.item.value}"] = shift.new
    return row


class ProjectSerializer(serializers.ModelSerializer):
    planned_start = serializers.DateField(source="start_in_force", allow_null=True)
    planned_finish = serializers.DateField(source="finish_in_force", allow_null=True)
    total_investment = serializers.DecimalField(
        source="investment_in_force", max_digits=20, decimal_places=0, allow_null=True
    )
    baseline_planned_start = serializers.DateField(source="planned_start", allow_null=True)
    baseline_planned_finish = serializers.DateField(source="planned_finish", allow_null=True)
    baseline_total_investment = serializers.DecimalField(
        source="total_investment", max_digits=20, decimal_places=0, allow_null=True
    )
    schedule_or_cost_changed = serializers.BooleanField()
    parent = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField()
    latest_percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    latest_percent_on = serializers.DateField(allow_null=True)
    last_update_on = serializers.DateField(allow_null=True)
    schedule = serializers.SerializerMethodField()
    schedule_reason = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    approval_document = serializers.SerializerMethodField()
    progress_updates = ProgressUpdateSerializer(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    changes = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            *COLUMN_NAMES,
            "schedule_reason",
            "geometry",
            "description",
            "approval_document",
            "progress_updates",
            "milestones",
            "changes",
        ]

    def _schedule(self, project):
        if not hasattr(project, "_api_schedule"):
            project._api_schedule = project.schedule(timezone.localdate())
        return project._api_schedule

    def get_parent(self, project) -> str:
        parent = project.parent
        return parent.slug if parent is not None and parent.is_published else ""

    def get_owner(self, project) -> str:
        return project.owner.code if project.owner else ""

    @extend_schema_field(serializers.ChoiceField(choices=ScheduleState.choices))
    def get_schedule(self, project):
        return self._schedule(project).state.value

    def get_schedule_reason(self, project) -> str:
        return self._schedule(project).reason

    def get_url(self, project) -> str:
        return self.context["request"].build_absolute_uri(project.get_absolute_url())

    @extend_schema_field(DocumentRefSerializer(allow_null=True))
    def get_approval_document(self, project):
        return public_document(project.approval_document, self.context)

    @extend_schema_field(ProjectChangeSerializer(many=True))
    def get_changes(self, project):
        timeline = change_history(project, project.changes.all()).timeline
        rows = [_change_row(entry) for entry in timeline]
        return ProjectChangeSerializer(rows, many=True, context=self.context).data


class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    """Published projects, key projects first; filters as on the projects list."""

    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter

    def get_queryset(self):
        return Project.objects.published().for_detail().order_by("-is_key", "name")

    def get_object(self):
        return get_object_or_404(self.get_queryset(), slug=self.kwargs["slug"])
