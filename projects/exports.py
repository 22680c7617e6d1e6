"""The project list as open data: one row per published project, as filtered on the list.

`COLUMNS` is the one definition of a downloaded row; the API's serializer uses the same
names for the same facts. Planned dates and the total investment are the plan in force
(after the approved changes), `baseline_…` the plan as first approved. The schedule
verdict is the one rule (`Project.schedule()`), judged against the plan in force from the
row's own annotations, so it costs no query per row.
"""

from django.utils import timezone

from portal import downloads
from portal.downloads import Column
from portal.lists import without_nul

from .filters import ProjectFilter
from .models import Project


def _parent_slug(project) -> str:
    parent = project.parent
    return parent.slug if parent is not None and parent.is_published else ""


def columns(today) -> list[Column]:
    return [
        Column("slug", lambda p: p.slug),
        Column("name", lambda p: p.name),
        Column("code", lambda p: p.code),
        Column("sector", lambda p: p.sector),
        Column("is_key", lambda p: p.is_key),
        Column("stage", lambda p: p.stage),
        Column("parent", _parent_slug),
        Column("owner", lambda p: p.owner.code if p.owner else ""),
        Column("location", lambda p: p.location),
        # The plan in force; the plan as first approved follows under `baseline_`.
        Column("planned_start", lambda p: p.start_in_force),
        Column("planned_finish", lambda p: p.finish_in_force),
        Column("actual_start", lambda p: p.actual_start),
        Column("actual_finish", lambda p: p.actual_finish),
        Column("total_investment", lambda p: p.investment_in_force),
        Column("baseline_planned_start", lambda p: p.planned_start),
        Column("baseline_planned_finish", lambda p: p.planned_finish),
        Column("baseline_total_investment", lambda p: p.total_investment),
        Column("schedule_or_cost_changed", lambda p: p.schedule_or_cost_changed),
        Column("latest_percent", lambda p: p.latest_percent),
        Column("latest_percent_on", lambda p: p.latest_percent_on),
        Column("last_update_on", lambda p: p.last_update_on),
        Column("schedule", lambda p: p.schedule(today).state.value),
        Column("url", lambda p: p.get_absolute_url(), url=True),
    ]


COLUMN_NAMES = [column.name for column in columns(None)]


def download(request, fmt: str):
    """Every published project the list's filters select; an invalid filter is a 400 that
    names it (the list page drops it with a warning; a file must not hold more than asked)."""
    if not fmt:
        return downloads.unknown_format()
    filterset = ProjectFilter(
        without_nul(request.GET),
        queryset=Project.objects.published().for_list().select_related("owner"),
        request=request,
    )
    if not filterset.is_valid():
        return downloads.refuse(downloads.problems(filterset))
    rows = filterset.qs.iterator(chunk_size=downloads.CHUNK_SIZE)
    return downloads.stream(request, fmt, "projects", columns(timezone.localdate()), rows)
