from django import template

from ..models import Meeting

register = template.Library()

HOME_COUNT = 3


@register.inclusion_tag("meetings/_home.html")
def latest_meetings():
    """The latest published meetings for the home page, in one query."""
    return {"meetings": list(Meeting.objects.published().for_list()[:HOME_COUNT])}
