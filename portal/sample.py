"""The sample year (`manage.py load_sample`): invented records of every kind, so that a
newcomer, the browser tests and the benchmarks see a portal in use. Never the demo, which
holds only what the seed article says (`portal/demo.py`).

Every row the sample adds is marked like the demo's: the reason on its first history entry
(`SAMPLE`). `remove()` deletes exactly those rows, and keeps one whose deletion would take
or change a row the sample did not add (a progress update staff added to a sample project,
a staff document citing a sample one): staff work is never lost to it. The public change
log's rows about a removed record go with it (`changes.sample` writes the sample's).

While sample rows exist every page says so ("Dữ liệu mẫu", the context processor `context`):
`is_loaded()` reads a flag kept in the cache, written by `load` and `remove` and read from
the database once per process (or per cache) when missing, so pages pay no query for it.
"""

import hashlib
import logging
from collections import defaultdict
from typing import TypeVar

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, models, router
from django.db.models.deletion import Collector, ProtectedError, RestrictedError

from .models import Organization, Person, Position

M = TypeVar("M", bound=models.Model)
logger = logging.getLogger(__name__)

# The history's change reason on the creation of every row the sample adds.
SAMPLE = "load_sample"
FLAG_KEY = "portal.sample.loaded:{}"


# Marking -------------------------------------------------------------------------------


def made_by_sample(queryset: models.QuerySet) -> models.QuerySet:
    """The rows of `queryset` that the sample added."""
    model = queryset.model
    created = model.history.filter(history_type="+", history_change_reason=SAMPLE)
    return queryset.filter(pk__in=created.values(model._meta.pk.attname))


def create(model: type[M], **values) -> M:
    """A new row of `model`, marked as the sample's."""
    row = model(**values)
    row._change_reason = SAMPLE  # read by django-simple-history: see `made_by_sample`
    row.save()
    return row


def ensure(model: type[M], lookup: dict, values: dict | None = None) -> M:
    """The row matching `lookup` (whoever added it), else a new sample row. Unlike the demo's
    `ensure`, never updates: a second run of the loader writes nothing."""
    found = model._default_manager.filter(**lookup).first()
    return found if found is not None else create(model, **lookup, **(values or {}))


# The banner's flag ---------------------------------------------------------------------


def _flag_key(using: str = DEFAULT_DB_ALIAS) -> str:
    """The database (host, port, name) is in the key: two databases behind one Redis, or the
    test database, never share the flag."""
    settings = connections[using].settings_dict
    database = f"{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    return FLAG_KEY.format(hashlib.blake2b(database.encode(), digest_size=8).hexdigest())


def is_loaded() -> bool:
    """Whether sample rows exist: kept in the cache, read from the database when missing or
    when the cache is unreachable (a page never fails for want of it)."""
    try:
        loaded = cache.get(_flag_key())
    except Exception:
        logger.warning("Sample flag not cached: cache unavailable", exc_info=True)
        return in_database()
    if loaded is None:
        loaded = in_database()
        remember(loaded)
    return loaded


def in_database() -> bool:
    """Whether any top-level record (document, meeting, indicator, project) is the sample's:
    one query."""
    labels = ["documents.Document", "meetings.Meeting", "indicators.Indicator", "projects.Project"]
    first, *others = [
        made_by_sample(apps.get_model(label).objects.all()).values_list("pk", flat=True)
        for label in labels
    ]
    return first.union(*others).exists()


def remember(loaded: bool) -> None:
    try:
        cache.set(_flag_key(), loaded, None)
    except Exception:
        logger.warning("Sample flag not cached: cache unavailable", exc_info=True)


# Shared records ------------------------------------------------------------------------

# (code, name, short name, kind, parent code): the bodies the sample's documents, meetings
# and projects name; a body the register holds already is used as it is.
ORGANIZATIONS = [
    # The demo's bodies, added only when the register lacks them.
    ("TU", "Thành ủy Hà Nội", "Thành ủy", "party", None),
    ("BCHTU", "Ban Chấp hành Đảng bộ Thành phố Hà Nội", "Ban Chấp hành Đảng bộ", "party", "TU"),
    ("BTVTU", "Ban Thường vụ Thành ủy Hà Nội", "Ban Thường vụ Thành ủy", "party", "TU"),
    ("TTTU", "Thường trực Thành ủy Hà Nội", "Thường trực Thành ủy", "party", "TU"),
    ("UBND", "Ủy ban nhân dân Thành phố Hà Nội", "UBND Thành phố", "state", None),
    ("HĐND", "Hội đồng nhân dân Thành phố Hà Nội", "HĐND Thành phố", "assembly", None),
    # Its own.
    ("BTCTU", "Ban Tổ chức Thành ủy Hà Nội", "Ban Tổ chức Thành ủy", "party", "TU"),
    ("BTGTU", "Ban Tuyên giáo và Dân vận Thành ủy Hà Nội", "Ban Tuyên giáo", "party", "TU"),
    ("SXD", "Sở Xây dựng Thành phố Hà Nội", "Sở Xây dựng", "state", "UBND"),
    ("STC", "Sở Tài chính Thành phố Hà Nội", "Sở Tài chính", "state", "UBND"),
    (
        "BQLGT",
        "Ban Quản lý dự án đầu tư xây dựng công trình giao thông Thành phố",
        "Ban QLDA Giao thông",
        "state",
        "UBND",
    ),
    (
        "BQLDD",
        "Ban Quản lý dự án đầu tư xây dựng công trình dân dụng Thành phố",
        "Ban QLDA Dân dụng",
        "state",
        "UBND",
    ),
    (
        "MRB",
        "Ban Quản lý đường sắt đô thị Hà Nội",
        "Ban Quản lý đường sắt đô thị",
        "state",
        "UBND",
    ),
]

# Invented people, with the titles the sample's meetings and documents give them.
PEOPLE = {
    "Nguyễn Thị Phương Thảo": [("Phó Chủ tịch UBND Thành phố", "UBND")],
    "Lê Hoàng Minh Khôi": [("Phó Chủ tịch HĐND Thành phố", "HĐND")],
    "Trương Công Nghĩa": [("Ủy viên Ban Thường vụ, Trưởng Ban Tổ chức Thành ủy", "BTCTU")],
    "Đặng Vũ Quỳnh Anh": [("Giám đốc Sở Tài chính", "STC")],
    "Phạm Đức Trọng Hiếu": [("Giám đốc Sở Xây dựng", "SXD")],
}


def organizations() -> dict[str, Organization]:
    """Every body by code: the demo's as they are, the sample's own added when missing."""
    found = {o.code: o for o in Organization.objects.all()}
    for code, name, short_name, kind, parent_code in ORGANIZATIONS:
        if code not in found:
            found[code] = create(
                Organization,
                code=code,
                name=name,
                short_name=short_name,
                kind=kind,
                parent=found.get(parent_code),
            )
    return found


def people() -> dict[str, Person]:
    bodies = organizations()
    found = {}
    for full_name, titles in PEOPLE.items():
        person = ensure(Person, {"full_name": full_name})
        for order, (title, code) in enumerate(titles):
            ensure(
                Position,
                {"person": person, "organization": bodies[code], "title": title},
                {"order": order},
            )
        found[full_name] = person
    return found


def load() -> dict:
    return {"organizations": len(organizations()), "people": len(people())}


# Removal -------------------------------------------------------------------------------

# Every kind of row the sample adds, most dependent first: each is deleted before the rows
# it points to, so a row that only sample rows need is free to go.
REMOVED = [
    "projects.ProjectChange",
    "projects.Milestone",
    "projects.ProgressUpdate",
    "projects.Project",
    "indicators.Value",
    "indicators.Indicator",
    "indicators.Period",
    "meetings.PersonVote",
    "meetings.Vote",
    "meetings.AgendaItem",
    "meetings.MeetingParticipant",
    "meetings.Meeting",
    "meetings.Term",
    "documents.DocumentRelation",
    "documents.Document",
    "documents.Topic",
    "portal.Position",
    "portal.Person",
    "portal.Organization",
]


def _models() -> list[type[models.Model]]:
    return [apps.get_model(label) for label in REMOVED]


def _manager(model: type[models.Model]) -> models.Manager:
    """Pending children too (`ReviewedChild.all_objects`)."""
    return getattr(model, "all_objects", model._base_manager)


class _Marked:
    """The primary keys of the sample's rows, per model, read once each."""

    def __init__(self):
        self._pks: dict[type, set] = {}

    def pks(self, model: type[models.Model]) -> set:
        model = model._meta.concrete_model
        if model not in self._pks:
            if hasattr(model, "history"):
                rows = made_by_sample(_manager(model).all())
                self._pks[model] = set(rows.values_list("pk", flat=True))
            else:
                self._pks[model] = set()
        return self._pks[model]

    def is_sample(self, row: models.Model) -> bool:
        model = row._meta.concrete_model
        if model._meta.auto_created:  # a many-to-many link: the sample's if both ends are
            return all(
                getattr(row, field.attname) in self.pks(field.related_model)
                for field in model._meta.concrete_fields
                if field.is_relation
            )
        return row.pk in self.pks(model)


def _foreign(collector: Collector, marked: _Marked) -> list[models.Model]:
    """The rows not added by the sample that deleting the collected rows would delete or
    change (history rows aside)."""
    batches = [*collector.data.values(), *collector.fast_deletes]
    for updated in collector.field_updates.values():
        batches += updated  # lists of rows or querysets
    found = []
    for batch in batches:
        rows = [batch] if isinstance(batch, models.Model) else list(batch)
        found += [
            row
            for row in rows
            if not type(row).__name__.startswith("Historical") and not marked.is_sample(row)
        ]
    return found


def _collector(rows: list[models.Model], marked: _Marked) -> Collector | None:
    """What deleting `rows` takes with it; None when that includes a row staff added."""
    collector = Collector(using=router.db_for_write(type(rows[0])))
    try:
        collector.collect(rows)
    except (ProtectedError, RestrictedError):
        return None
    return None if _foreign(collector, marked) else collector


def _forget(model: type[models.Model], pks: list) -> int:
    """Delete the change log's rows about removed records (`changes.sample` writes them):
    the log points at a record by a generic key, which no deletion follows."""
    from changes.models import PublicChange  # the change log reads this app's models
    from changes.records import followed

    if followed(model) is None:
        return 0
    content_type = ContentType.objects.get_for_model(model)
    rows = PublicChange.objects.filter(content_type=content_type, object_id__in=pks)
    return rows.delete()[1].get(PublicChange._meta.label, 0)


def remove() -> dict:
    """Delete the sample's rows; returns counts per model and the rows kept because rows
    staff added depend on them."""
    marked = _Marked()
    removed, kept, forgotten = defaultdict(int), [], 0
    for model in _models():
        rows = list(made_by_sample(_manager(model).all()))
        if not rows:
            continue
        collector = _collector(rows, marked)
        if collector is not None:
            pks = [row.pk for row in rows]  # the deletion clears them
            collector.delete()
            removed[model._meta.label] += len(rows)
            forgotten += _forget(model, pks)
            continue
        for row in rows:  # one at a time: keep only the rows staff records need
            collector = _collector([row], marked)
            if collector is None:
                kept.append(f"{model._meta.verbose_name}: {row}")
            else:
                pk = row.pk
                collector.delete()
                removed[model._meta.label] += 1
                forgotten += _forget(model, [pk])
    if forgotten:
        removed["changes.PublicChange"] = forgotten
    remember(in_database())
    return {"removed": dict(removed), "kept": kept}


def context(request) -> dict:
    """The banner's flag for every template (a context processor: no query once cached).
    Passed uncalled, so it is read only by a page that shows the banner: a refused request
    (429) reads nothing, not even the cache."""
    return {"sample_data": is_loaded}
