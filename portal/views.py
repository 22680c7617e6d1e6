import datetime

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import search as site_search
from .languages import in_each_language
from .lists import query_too_long
from .models import Page, Person
from .rate_limits import SEARCH, is_search, rate_limited


def home(request):
    """The portal's front page; each area fills its own section (see its `*_home` tags)."""
    return render(request, "portal/home.html")


def person_detail(request, slug):
    person = get_object_or_404(Person.objects.for_detail(), slug=slug)
    today = timezone.localdate()
    positions = list(person.positions.all())
    return render(
        request,
        "portal/person_detail.html",
        {
            "person": person,
            "current_positions": [p for p in positions if p.is_held_on(today)],
            "past_positions": [p for p in positions if _ended_before(p, today)],
        },
    )


def _ended_before(position, day: datetime.date) -> bool:
    return position.end_date is not None and position.end_date < day


def page_detail(request, slug):
    page = get_object_or_404(Page.objects.published(), slug=slug)
    return render(request, "portal/page_detail.html", {"page": page})


@rate_limited(SEARCH, when=is_search)
def search(request):
    """One box for everything: /search/?q=… (see `portal.search`)."""
    raw = request.GET.get("q", "")
    query, cut = site_search.normalise_query(raw)
    notices = []
    if cut:
        notices.append(query_too_long())
    results = site_search.search(query, request.user)
    if not query:
        notices.append(_("Hãy nhập số văn bản hoặc từ khóa cần tìm."))
    elif not results.words:
        notices.append(_("Từ khóa cần có ít nhất một chữ hoặc chữ số; hãy thử lại."))
    return render(
        request,
        "portal/search.html",
        {"query": query, "results": results, "notices": notices},
    )


def robots_txt(request):
    """Crawlers may read every public page; the sitemap lists them."""
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        *(f"Disallow: {search}" for search in in_each_language(reverse, "portal:search").values()),
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
