from django import template

from ..maps import feature_collection, map_data, place_of

register = template.Library()


@register.inclusion_tag("projects/_map.html")
def project_map(project):
    """One project's map and its place in words, on the project's page."""
    place = place_of(project)
    collection = feature_collection([project], lambda p: p.get_absolute_url())
    return {"places": [place] if place else [], "map": map_data(collection), "show_names": False}
