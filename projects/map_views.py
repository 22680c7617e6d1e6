"""`/projects/map/`: the projects of the filtered list on one map (projects/maps.py)."""

from django.shortcuts import render
from django.urls import reverse

from portal.lists import html_filterset, without_nul, without_page
from portal.rate_limits import SEARCH, is_search, rate_limited

from .filters import ProjectFilter
from .maps import feature_collection, map_data, place_of
from .models import Project


@rate_limited(SEARCH, when=is_search)
def project_map(request):
    """Every published project the filters select that has a map shape (not paged: a
    city follows hundreds of projects), drawn and listed; the others are counted."""
    params = without_nul(request.GET)
    filterset = html_filterset(
        request,
        ProjectFilter,
        params,
        queryset=Project.objects.published().for_list(),
        request=request,
    )
    projects = list(filterset.qs)
    places = [place for place in map(place_of, projects) if place is not None]
    collection = feature_collection(projects, lambda project: project.get_absolute_url())
    querystring = without_page(params)
    return render(
        request,
        "projects/map.html",
        {
            "filter": filterset,
            "places": places,
            "without_place": len(projects) - len(places),
            "map": map_data(collection),
            "querystring": querystring,
            "geojson_url": _with_query(reverse("api:projects-geojson"), querystring),
            "list_url": _with_query(reverse("projects:list"), querystring),
        },
    )


def _with_query(url: str, querystring: str) -> str:
    return f"{url}?{querystring}" if querystring else url
