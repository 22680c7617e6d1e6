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
    """Key projects (a programme stands for its key parts) and every project behind schedule.

    One query: published projects that are key or may be behind (stated, or past their
    planned finish, or with a figure), judged by the one schedule rule.
    """
    today = timezone.localdate()
    candidates = list(Project.objects.published().for_list().for_home(today))
    judged = [(project, project.schedule(today)) for project in candidates]
    key = [
        (project, schedule)
        for project, schedule in judged
        if project.is_key and not _shown_by_parent(project)
    ]
    behind = [(project, schedule) for project, schedule in judged if schedule.is_behind]
    return {"key": key[:HOME_LIMIT], "more_key": len(key) > HOME_LIMIT, "behind": behind}
