"""Indicators in the read-only API: `/api/indicators/`, `/api/indicators/<code>/` and the
reporting periods at `/api/periods/`.

Published indicators only, each with its figures: for each period and kind of figure the
latest approved vintage (`vintage`, `released_on`), with the verdict it gives (on the
actual) and the vintages it replaced (`earlier_vintages`, oldest first). A figure's source
document appears only when public and published, its source meeting only when published.
The list takes the dashboard's filters (`filters.IndicatorFilter`).
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from documents.api import DocumentRefSerializer, public_document
from meetings.api import MeetingRefSerializer, published_meeting

from .filters import IndicatorFilter
from .models import Indicator, Period, PeriodFigures, Value, ValueKind, figures_by_period
from .verdicts import Outcome


class PeriodSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = Period
        fields = ["slug", "kind", "start", "end", "label"]


class VintageSerializer(serializers.ModelSerializer):
    """One vintage of a figure: its number, how final it is, when and where it was given."""

    source_document = serializers.SerializerMethodField()
    source_meeting = serializers.SerializerMethodField()

    class Meta:
        model = Value
        fields = [
            "value",
            "vintage",
            "released_on",
            "source_text",
            "note",
            "source_document",
            "source_meeting",
        ]

    @extend_schema_field(DocumentRefSerializer(allow_null=True))
    def get_source_document(self, value):
        # Prefetched among public, published documents only (`_values_prefetch`).
        return public_document(value.source_document, self.context)

    @extend_schema_field(MeetingRefSerializer(allow_null=True))
    def get_source_meeting(self, value):
        return published_meeting(value.source_meeting, self.context)


class ValueSerializer(VintageSerializer):
    """A figure as it stands: its latest vintage, with the earlier ones it replaced."""

    period = PeriodSerializer()
    verdict = serializers.SerializerMethodField()
    earlier_vintages = serializers.SerializerMethodField()

    class Meta(VintageSerializer.Meta):
        fields = ["period", "kind", *VintageSerializer.Meta.fields, "verdict", "earlier_vintages"]

    @extend_schema_field(serializers.ChoiceField(choices=Outcome.choices, allow_null=True))
    def get_verdict(self, value) -> str | None:
        """The period's verdict ("met", "missed"), on the actual figure only."""
        figures: PeriodFigures = self.context["figures"][value.pk]
        if value.kind != ValueKind.ACTUAL or figures.verdict is None:
            return None
        return figures.verdict.outcome

    @extend_schema_field(VintageSerializer(many=True))
    def get_earlier_vintages(self, value):
        figures: PeriodFigures = self.context["figures"][value.pk]
        earlier = figures.vintages[value.kind][:-1]
        return VintageSerializer(earlier, many=True, context=self.context).data


class IndicatorSerializer(serializers.ModelSerializer):
    unit_label = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()
    csv_url = serializers.SerializerMethodField()
    values = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "unit",
            "unit_label",
            "category",
            "definition",
            "source",
            "direction",
            "decimals",
            "is_headline",
            "url",
            "csv_url",
            "values",
        ]

    @extend_schema_field(ValueSerializer(many=True))
    def get_values(self, indicator):
        """The latest vintage of each figure, oldest period first."""
        latest, figures_of = [], {}
        for figures in figures_by_period(indicator):
            for value in figures.values:
                latest.append(value)
                figures_of[value.pk] = figures
        context = {**self.context, "figures": figures_of}
        return ValueSerializer(latest, many=True, context=context).data

    def get_url(self, indicator) -> str:
        return self.context["request"].build_absolute_uri(indicator.get_absolute_url())

    def get_csv_url(self, indicator) -> str:
        return self.context["request"].build_absolute_uri(indicator.get_csv_url())


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """Published indicators in the dashboard's order, each with all its figures."""

    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter

    def get_queryset(self):
        return Indicator.objects.published().for_detail().order_by("order", "code")

    def get_object(self):
        return get_object_or_404(self.get_queryset(), code=self.kwargs["code"])


class PeriodViewSet(viewsets.ReadOnlyModelViewSet):
    """Reporting periods with at least one published figure, latest first."""

    serializer_class = PeriodSerializer
    filterset_class = None

    def get_queryset(self):
        return Period.objects.with_published_values()

    def get_object(self):
        return get_object_or_404(self.get_queryset(), slug=self.kwargs["slug"])
