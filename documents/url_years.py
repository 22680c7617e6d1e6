"""The year in a document's address (/documents/<year>/<slug>/).

A document is filed under the year it was issued: its issue date's, else the year printed
in its number (`30/2020/NĐ-CP`). One with neither (a submission, a draft put to a
meeting) takes the year of the first meeting that considered it, else the year it was
entered into the register. A meeting is linked after the document is saved, so the year
is moved by `refresh_url_years` when a meeting's agenda or date changes (meetings admin)
and when the document itself is saved (documents admin); the history keeps the old year,
and the old address redirects to the new one (`DocumentQuerySet.formerly_at`).
"""

import datetime
from collections.abc import Iterable

from django.db.models import Min
from django.utils import timezone


def url_year(
    *,
    issued_on: datetime.date | None,
    number_year: int | None,
    first_meeting: datetime.date | None,
    entered: datetime.date,
) -> int:
    """The year a document is filed under, by the rule above."""
    if issued_on is not None:
        return issued_on.year
    if number_year is not None:
        return number_year
    if first_meeting is not None:
        return first_meeting.year
    return entered.year


def refresh_url_years(pks: Iterable[int]) -> int:
    """Move the undated documents of `pks` to the year their meetings or their entry give;
    returns how many moved. Each move is saved with its history (the old address keeps
    redirecting). Three queries, plus a save for each document that moves."""
    from .models import Document

    pks = set(pks)
    if not pks:
        return 0
    undated = Document.objects.filter(
        pk__in=pks, issued_on__isnull=True, number_year__isnull=True
    ).annotate(first_meeting=Min("agenda_items__meeting__date"))
    undated = list(undated)
    if not undated:
        return 0
    entered = dict(
        Document.history.filter(id__in=[d.pk for d in undated])
        .values("id")
        .annotate(first=Min("history_date"))
        .values_list("id", "first")
    )
    moved = 0
    for document in undated:
        first = entered.get(document.pk)
        year = url_year(
            issued_on=None,
            number_year=None,
            first_meeting=document.first_meeting,
            entered=timezone.localdate(first) if first else timezone.localdate(),
        )
        if year != document.url_year:
            document.url_year = year
            document.save()
            moved += 1
    return moved
