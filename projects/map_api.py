"""Projects as GeoJSON (RFC 7946) in the API: `/api/projects/geojson/` (the filtered list,
as on `/projects/map/`) and `/api/projects/<slug>/geojson/` (one project).

Published projects only, with their public fields (projects/maps.py builds the features,
as for the pages). Served as `application/geo+json`, or `application/json` to a client
that asks for it. The serializers below only describe the answer in the schema (the views send
the dictionaries `maps` builds).
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from .filters import ProjectFilter
from .geometry import GEOMETRY_TYPES
from .maps import feature, feature_collection
from .models import Project, Sector, Stage


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "description": "A GeoJSON Point, LineString or MultiLineString; positions are "
        "[longitude, latitude] in WGS 84. Null when the project has no map shape.",
        "properties": {
            "type": {"type": "string", "enum": list(GEOMETRY_TYPES)},
            "coordinates": {"type": "array", "items": {}},
        },
        "required": ["type", "coordinates"],
    }
)
class GeometryField(serializers.JSONField):
    pass


class ProjectFeatureProperties(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.URLField(help_text="The project's page.")
    sector = serializers.ChoiceField(choices=Sector.choices)
    stage = serializers.ChoiceField(choices=Stage.choices, allow_blank=True)
    is_key = serializers.BooleanField()
    location = serializers.CharField(allow_blank=True, help_text="The place, as sources write it.")


class ProjectFeature(serializers.Serializer):
    type = serializers.ChoiceField(choices=["Feature"])
    id = serializers.CharField(help_text="The project's slug.")
    geometry = GeometryField()
    properties = ProjectFeatureProperties()


class ProjectFeatureCollection(serializers.Serializer):
    type = serializers.ChoiceField(choices=["FeatureCollection"])
    features = ProjectFeature(many=True)


# `application/geo+json` unless asked otherwise; as every parameter, empty is as absent.
FORMAT = OpenApiParameter(
    "format",
    str,
    enum=["geojson", "json", ""],
    description="`json` answers as `application/json` (as `Accept: application/json` does).",
)


class GeoJSONView(GenericAPIView):
    # No browsable page: a browser following "Tải GeoJSON" gets the file itself.
    renderer_classes = [GeoJSONRenderer, JSONRenderer]
    pagination_class = None

    def url_of(self, project) -> str:
        return self.request.build_absolute_uri(project.get_absolute_url())


class ProjectGeoJSONList(GeoJSONView):
    """Published projects with a map shape, as one FeatureCollection, key projects first;
    filters as on the projects list. Not paged: a city follows hundreds of projects."""

    filterset_class = ProjectFilter
    serializer_class = ProjectFeatureCollection

    def get_queryset(self):
        return Project.objects.published().for_list().order_by("-is_key", "name")

    @extend_schema(filters=True, operation_id="projects_geojson", parameters=[FORMAT])
    def get(self, request, *args, **kwargs):
        projects = self.filter_queryset(self.get_queryset())
        return Response(feature_collection(projects, self.url_of))


class ProjectGeoJSONDetail(GeoJSONView):
    """One published project as a GeoJSON Feature (its geometry null without a map
    shape)."""

    serializer_class = ProjectFeature

    def get_queryset(self):
        return Project.objects.published()

    @extend_schema(operation_id="projects_geojson_retrieve", parameters=[FORMAT])
    def get(self, request, slug, *args, **kwargs):
        project = get_object_or_404(self.get_queryset(), slug=slug)
        return Response(feature(project, self.url_of(project)))
