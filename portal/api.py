"""The read-only JSON API, mounted at `/api/` (Django REST framework + drf-spectacular).

What it shows: exactly what an anonymous visitor sees on the site, whoever calls it — the
API has no authentication at all (`REST_FRAMEWORK` in portal/settings.py), so a signed-in
editor cannot see drafts or internal documents here.

URLs carry the site's stable identifiers, hence explicit paths rather than a router's
single `pk`: a document by year and slug, a meeting by body, term and number, an
indicator by code, a project by slug. `/api/` lists the endpoints (DRF's browsable page
in a browser, JSON otherwise); `/api/schema/` is the OpenAPI 3 schema and `/api/docs/`
Swagger UI, its files served locally by drf-spectacular-sidecar.
"""

from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.decorators import api_view
from rest_framework.response import Response
from rest_framework.reverse import reverse

from documents.api import DocumentViewSet
from indicators.api import IndicatorViewSet, PeriodViewSet
from meetings.api import MeetingViewSet
from projects.api import ProjectViewSet
from projects.map_api import ProjectGeoJSONDetail, ProjectGeoJSONList

LIST = {"get": "list"}
DETAIL = {"get": "retrieve"}
ENDPOINTS = ["documents", "meetings", "indicators", "periods", "projects"]


@extend_schema(exclude=True)
@api_view(["GET", "HEAD"])
def api_root(request, format=None):
    """Read-only open data of the portal: published, public records only."""
    links = {name: reverse(f"api:{name}-list", request=request) for name in ENDPOINTS}
    links["schema"] = reverse("api:schema", request=request)
    links["docs"] = reverse("api:docs", request=request)
    return Response(links)


app_name = "api"

urlpatterns = [
    path("", api_root, name="root"),
    path("documents/", DocumentViewSet.as_view(LIST), name="documents-list"),
    path(
        "documents/<int:year>/<slug:slug>/",
        DocumentViewSet.as_view(DETAIL),
        name="documents-detail",
    ),
    path("meetings/", MeetingViewSet.as_view(LIST), name="meetings-list"),
    path(
        "meetings/<str:body>/<str:term>/<int:number>/",
        MeetingViewSet.as_view(DETAIL),
        name="meetings-detail",
    ),
    path("indicators/", IndicatorViewSet.as_view(LIST), name="indicators-list"),
    path("indicators/<slug:code>/", IndicatorViewSet.as_view(DETAIL), name="indicators-detail"),
    path("periods/", PeriodViewSet.as_view(LIST), name="periods-list"),
    path("periods/<slug:slug>/", PeriodViewSet.as_view(DETAIL), name="periods-detail"),
    path("projects/", ProjectViewSet.as_view(LIST), name="projects-list"),
    path("projects/geojson/", ProjectGeoJSONList.as_view(), name="projects-geojson"),
    path("projects/<slug:slug>/", ProjectViewSet.as_view(DETAIL), name="projects-detail"),
    path(
        "projects/<slug:slug>/geojson/",
        ProjectGeoJSONDetail.as_view(),
        name="projects-detail-geojson",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI with its start-up script served as a file (`?script`), so the site's
    # Content-Security-Policy holds; its stylesheet draws icons from data: URIs.
    path(
        "docs/",
        csp_update({"img-src": ["data:"]})(
            SpectacularSwaggerSplitView.as_view(
                url_name="api:schema", template_name="portal/api_docs.html"
            )
        ),
        name="docs",
    ),
]
