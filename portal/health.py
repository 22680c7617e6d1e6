"""The load balancer's health probe, `/health/` (django-health-check).

Healthy means: the database answers, every migration this code ships is applied, the cache
stores and returns a value, and the attachments' storage (the folder, or the bucket) saves,
reads and deletes a file. Anything else answers 503, so a load balancer stops sending
traffic. Probe this URL, never a page: with the database down, `/robots.txt`, static files
and the admin's login form still answer 200.

Anyone may call it, so the answer names each check and says "ok" or "failed", nothing more:
no error text, timing or version (the reasons go to the log, logger `health_check`). So the
library's own view is not used: it shows error texts and timings, its page needs inline
styles, and its feeds and metrics answer 200 even when a check fails.
"""

import asyncio
import dataclasses
import functools
import math
import time
from concurrent.futures import ThreadPoolExecutor
from typing import ClassVar

import health_check
from django import db
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from health_check.base import HealthCheckResult
from health_check.exceptions import ServiceUnavailable


@functools.cache
def shipped_migrations() -> frozenset[tuple[str, str]]:
    """Every migration on disk, read once per process: the code cannot change under it."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


@dataclasses.dataclass
class Migrations(health_check.HealthCheck):
    """Every migration this code ships is recorded as applied: new code started before
    `migrate` would meet tables it does not expect."""

    alias: str = "default"

    def run(self):
        connection = connections[self.alias]
        try:
            with connection.temporary_connection():
                applied = set(MigrationRecorder(connection).applied_migrations())
        except db.Error as error:
            raise ServiceUnavailable("database unavailable") from error
        if missing := shipped_migrations() - applied:
            raise ServiceUnavailable(f"{len(missing)} migration(s) not applied")


@dataclasses.dataclass
class Storage(health_check.Storage):
    """The library's write-read-delete probe of the attachments' storage, at most once a
    minute per process after a success: on a bucket it costs six requests, which an
    anonymous caller should not be able to multiply. A failure is probed again each time."""

    interval: ClassVar[float] = 60.0
    last_success: ClassVar[float] = -math.inf

    def run(self):
        if time.monotonic() - Storage.last_success < self.interval:
            return
        super().run()
        Storage.last_success = time.monotonic()


def run_checks(checks) -> list[HealthCheckResult]:
    """The library's runner (checks at once, each within its timeout, failures logged) on an
    event loop of its own, in a thread of its own, so that the view stays synchronous: an
    async view fails in a thread that already runs a loop (as the browser tests' does)."""

    async def gather():
        return await asyncio.gather(*(check.get_result() for check in checks))

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, gather()).result()


@method_decorator(never_cache, name="dispatch")
class HealthView(View):
    """200 with every check "ok", else 503; always JSON, never cached."""

    checks = (health_check.Database, Migrations, health_check.Cache, Storage)

    def get(self, request):
        results = run_checks([check() for check in self.checks])
        report = {
            type(result.check).__name__.lower(): "failed" if result.error else "ok"
            for result in results
        }
        healthy = all(state == "ok" for state in report.values())
        return JsonResponse(
            {"status": "ok" if healthy else "unavailable", "checks": report},
            status=200 if healthy else 503,
        )
