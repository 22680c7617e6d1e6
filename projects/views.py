from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from portal import downloads
from portal.lists import html_filterset, paginate, without_nul, without_page
from portal.rate_limits import DOWNLOAD, SEARCH, is_download, is_search, rate_limited

from . import exports
from .changes import change_history
from .charts import progress_chart
from .filters import ProjectFilter
from .models import Project
from .schedule import Freshness, stale_after_days


@rate_limited(DOWNLOAD, when=is_download)
@rate_limited(SEARCH, when=is_search)
def object_list(request):
    if (fmt := downloads.requested_format(request)) is not None:
        return exports.download(request, fmt)
    params = without_nul(request.GET)
    filterset = html_filterset(
        request,
        ProjectFilter,
        params,
        queryset=Project.objects.published().for_list(),
        request=request,
    )
    page = paginate(request, params, filterset.qs)
    today = timezone.localdate()
    rows = [(project, project.schedule(today)) for project in page.object_list]
    return render(
        request,
        "projects/list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "rows": rows,
            "querystring": without_page(params),
        },
    )


def object_detail(request, slug):
    project = get_object_or_404(Project.objects.published().for_detail(), slug=slug)
    today = timezone.localdate()
    documents = list(project.linked_documents())
    public_ids = {document.pk for document in documents}
    updates = list(project.progress_updates.all())
    chart = progress_chart(
        [(u.date, u.physical_percent) for u in updates if u.physical_percent is not None],
        planned_start=project.start_in_force,
        planned_finish=project.finish_in_force,
    )
    freshness = project.freshness(today)
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "schedule": project.schedule(today),
            "updates": updates,
            "chart": chart,
            "milestones": [(m, m.is_late(today)) for m in project.milestones.all()],
            "history": change_history(project, project.changes.all()),
            "children": [(child, child.schedule(today)) for child in project.published_children],
            "documents": documents,
            "public_document_ids": public_ids,
            "is_stale": project.is_stale(today),
            "never_updated": freshness == Freshness.NEVER,
            "stale_days": stale_after_days(),
        },
    )
