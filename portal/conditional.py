"""Conditional GET for what readers poll: the feeds, the meetings calendar and the sitemap.

A feed reader, a calendar application or a crawler that sends back the `ETag`
(`If-None-Match`) or the `Last-Modified` date (`If-Modified-Since`) of its last copy is
answered 304 Not Modified, without a body, until a record the answer shows changes.

When a record last changed is read from the history tables django-simple-history keeps for
every model: each save, publication, withdrawal, approval of an editor's change, import
(`bulk_create_with_history`) and deletion adds a dated row there, and `history_date` is
indexed. So the newest change of the few models an answer shows is one aggregate query
over indexes, however large the register. An edit of a draft counts too: it costs a poller
one full answer that did not change, which is cheaper than telling such edits apart.
"""

import datetime
from collections.abc import Callable
from functools import cache, wraps

from django.db import connection
from django.db.models import DateTimeField, OuterRef, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.views.decorators.http import condition

ChangedAt = Callable[..., datetime.datetime | None]


@cache
def history_of(model):
    """`model.history.model`, looked up once: each `model.history` makes django-simple-history
    build a manager class (about 0.15 ms, several times per feed)."""
    return model.history.model


def last_change(*models) -> datetime.datetime | None:
    """When a row of any of `models` was last added, changed or deleted (one query); None
    when none has a history yet."""
    quote = connection.ops.quote_name
    newest = " UNION ALL ".join(
        f"SELECT MAX({quote('history_date')}) AS changed "
        f"FROM {quote(history_of(model)._meta.db_table)}"
        for model in models
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(changed) FROM ({newest}) AS changes")
        (changed,) = cursor.fetchone()
    if isinstance(changed, str):  # SQLite returns the stored text (UTC)
        changed = parse_datetime(changed)
    if changed is not None and timezone.is_naive(changed):
        changed = timezone.make_aware(changed, datetime.UTC)
    return changed


def row_changed_at(model, pk: str = "pk") -> Subquery:
    """An annotation: when the row of `model` whose key is `pk` (an outer reference) was
    last saved, from its newest history row (one index probe per row shown)."""
    history = history_of(model)
    return Subquery(
        history.objects.filter(**{model._meta.pk.attname: OuterRef(pk)})
        .order_by("-history_date")
        .values("history_date")[:1],
        output_field=DateTimeField(),
    )


def start_of_today() -> datetime.datetime:
    """Midnight in the portal's time zone: when answers judged against today last changed."""
    return timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))


def unless_modified(changed_at: ChangedAt):
    """Django's `condition` around a view. `changed_at(request, *args, **kwargs)` gives the
    newest change the answer shows (see `last_change`); it is read once per request.

    `Last-Modified` has whole seconds; the ETag has the exact instant and the language (an
    answer's words follow the visitor's language cookie), so two changes in one second, or
    a switch of language, are never answered 304. Only a 200 carries the validators: an
    error (a bad filter, a limit) is never confirmed as current.
    """

    def changed(request, *args, **kwargs):
        if not hasattr(request, "_portal_changed_at"):
            request._portal_changed_at = changed_at(request, *args, **kwargs)
        return request._portal_changed_at

    def etag(request, *args, **kwargs):
        at = changed(request, *args, **kwargs)
        if at is None:
            return None
        return f'W/"{at.timestamp():.6f}-{get_language()}"'

    def decorator(view):
        conditional_view = condition(etag_func=etag, last_modified_func=changed)(view)

        @wraps(view)
        def answer(request, *args, **kwargs):
            response = conditional_view(request, *args, **kwargs)
            if response.status_code not in (200, 304):
                response.headers.pop("ETag", None)
                response.headers.pop("Last-Modified", None)
            return response

        return answer

    return decorator
