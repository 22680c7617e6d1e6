import datetime

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from .models import Page, Person


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
