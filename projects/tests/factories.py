"""Plain factory functions for projects; every argument has a usable default."""

import datetime
import itertools
from decimal import Decimal

from documents.models import Document
from portal.publication import PublicationStatus
from portal.tests.factories import make_organization
from projects.models import Milestone, ProgressUpdate, Project, Sector

_sequence = itertools.count(1)


def make_project(**overrides) -> Project:
    n = next(_sequence)
    values = {
        "name": f"Dự án cầu số {n}",
        "slug": f"du-an-{n}",
        "sector": Sector.BRIDGE,
        "status": PublicationStatus.PUBLISHED,
    }
    return Project.objects.create(**(values | overrides))


def make_update(project: Project, **overrides) -> ProgressUpdate:
    values = {"date": datetime.date(2025, 6, 30), "physical_percent": Decimal("40")}
    return ProgressUpdate.objects.create(project=project, **(values | overrides))


def make_updates(project: Project, count: int, *, start=datetime.date(2024, 1, 1)) -> None:
    """`count` monthly-ish updates rising to (at most) 100%."""
    for i in range(count):
        make_update(
            project,
            date=start + datetime.timedelta(days=30 * i),
            physical_percent=Decimal(min(100, 5 * (i + 1))),
        )


def make_milestone(project: Project, **overrides) -> Milestone:
    values = {"name": "Khởi công", "planned_on": datetime.date(2024, 1, 1)}
    return Milestone.objects.create(project=project, **(values | overrides))


def make_document(**overrides) -> Document:
    n = next(_sequence)
    if "issuer" not in overrides:
        overrides["issuer"] = make_organization()
    values = {
        "number": f"{n}/QĐ-UBND",
        "title": f"Quyết định phê duyệt dự án {n}",
        "issued_on": datetime.date(2024, 1, 15),
        "status": PublicationStatus.PUBLISHED,
    }
    return Document.objects.create(**(values | overrides))
