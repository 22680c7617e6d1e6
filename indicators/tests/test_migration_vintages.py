"""Migration 0005: each existing figure becomes one vintage, its old status its vintage."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("indicators", "0004_pending_values")]
AFTER = [("indicators", "0005_vintages")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_figures_become_one_vintage_each():
    old = _migrate(BEFORE)
    Indicator, Period, Value = (
        old.get_model("indicators", name) for name in ("Indicator", "Period", "Value")
    )
    indicator = Indicator.objects.create(
        code="grdp-growth",
        name="Tốc độ tăng trưởng GRDP",
        unit="pct_change",
        category="growth",
        status="published",
        published_at=timezone.now(),
    )
    period = Period.objects.create(
        kind="half_year",
        start=datetime.date(2025, 1, 1),
        end=datetime.date(2025, 6, 30),
        slug="2025-h1",
    )
    for kind, status, pending in (
        ("actual", "preliminary", False),
        ("target", "official", False),
        ("scenario", "", True),
    ):
        Value.objects.create(
            indicator=indicator,
            period=period,
            kind=kind,
            value=Decimal("7.63"),
            figure_status=status,
            pending=pending,
        )

    new = _migrate(AFTER)
    Value = new.get_model("indicators", "Value")
    vintages = {v.kind: (v.vintage, v.released_on, v.pending) for v in Value.objects.all()}
    assert vintages == {
        "actual": ("preliminary", None, False),
        "target": ("official", None, False),
        "scenario": ("", None, True),
    }
    # Back again, while each figure has one vintage.
    old = _migrate(BEFORE)
    Value = old.get_model("indicators", "Value")
    assert {v.kind: v.figure_status for v in Value.objects.all()} == {
        "actual": "preliminary",
        "target": "official",
        "scenario": "",
    }
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # every app as it was
