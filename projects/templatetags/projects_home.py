from django import template
from django.utils import timezone

from ..models import Project

register = template.Library()

# Enough for the city's key works; the rest are one click away on the list.
HOME_LIMIT = 8


def _shown_by_parent(project: Project) -> bool:
    """A key part of a published key programme is shown through its programme."""
    parent = project.parent
    return parent is not None and parent.is_key and parent.is_published


@register.inclusion_tag("projects/_home.html")
def key_projects():
    """Key projects (a programme stands for its key parts) and the first projects behind
    schedule; the list of projects links to all of them.

    One query: published projects that are key or may be behind (stated, or past their
    planned finish, or with a figure), key ones first, judged by the one schedule rule
    only until both lists are full, so the page's cost does not grow with the register.
    """
    today = timezone.localdate()
    key, behind = [], []
    rows = Project.objects.published().for_list().for_home(today)
    for project in rows.iterator(chunk_size=4 * HOME_LIMIT):
        if len(behind) == HOME_LIMIT and (len(key) > HOME_LIMIT or not project.is_key):
            break
        schedule = project.schedule(today)
        if project.is_key and not _shown_by_parent(project):
            key.append((project, schedule))
        if schedule.is_behind and len(behind) < HOME_LIMIT:
            behind.append((project, schedule))
    return {"key": key[:HOME_LIMIT], "more_key": len(key) > HOME_LIMIT, "behind": behind}
