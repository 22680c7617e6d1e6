from django.shortcuts import render

from portal.lists import html_filterset, paginate, without_nul, without_page

from .filters import ChangeFilter
from .models import PublicChange


def change_list(request):
    """Recent public changes across the site, newest first, filtered by kind."""
    params = without_nul(request.GET)
    filterset = html_filterset(
        request, ChangeFilter, params, queryset=PublicChange.objects.for_list()
    )
    page = paginate(request, params, filterset.qs)
    context = {
        "filter": filterset,
        "page_obj": page,
        "changes": page.object_list,
        "querystring": without_page(params),
    }
    return render(request, "changes/list.html", context)
