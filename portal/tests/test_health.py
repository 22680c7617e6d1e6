"""The load balancer's probe, /health/ (portal/health.py): healthy only when the database,
the migrations, the cache and the attachments' storage all work; nothing else said."""

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import django
import health_check
import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from portal import health

ROOT = Path(__file__).resolve().parents[2]
CHECKS = {"database", "migrations", "cache", "storage"}


@pytest.fixture(autouse=True)
def _fresh_storage_probe(settings, tmp_path, monkeypatch):
    """Each test probes its own attachments folder, not skipping it after an earlier pass."""
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(health.Storage, "last_success", float("-inf"))


@pytest.mark.django_db
def test_a_healthy_instance_answers_200_with_every_check_ok(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": dict.fromkeys(CHECKS, "ok")}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_an_unapplied_migration_makes_the_instance_unhealthy(client):
    """As when new code starts before `migrate` has run. (The row is taken out of the
    migrations table for real, committed, then put back.)"""
    recorder = MigrationRecorder(connection)
    recorder.record_unapplied("documents", "0001_initial")
    try:
        response = client.get("/health/")
    finally:
        recorder.record_applied("documents", "0001_initial")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"] == {
        "database": "ok",
        "migrations": "failed",
        "cache": "ok",
        "storage": "ok",
    }
    assert client.get("/health/").status_code == 200


@pytest.mark.django_db
def test_an_attachments_storage_that_cannot_write_makes_the_instance_unhealthy(
    client, settings, tmp_path
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the attachments folder should be")
    settings.MEDIA_ROOT = blocker / "media"
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "failed"


@pytest.mark.django_db
def test_the_storage_probe_writes_at_most_once_a_minute_after_a_success(client, settings):
    """A flood of anonymous probes must not become a flood of writes to the bucket."""
    probe_folder = Path(settings.MEDIA_ROOT) / "health_check_storage_test"
    assert client.get("/health/").status_code == 200
    assert probe_folder.is_dir()
    probe_folder.rmdir()
    assert client.get("/health/").status_code == 200
    assert not probe_folder.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "query, accept",
    [
        ("", "text/html"),
        ("", "text/plain"),
        ("?format=text", "*/*"),
        ("?format=atom", "*/*"),
        ("?format=rss", "*/*"),
        ("?format=openmetrics", "*/*"),
        ("", "application/rss+xml"),
        ("", "application/openmetrics-text"),
        ("", "image/png"),
    ],
)
def test_every_format_gets_the_same_short_json_and_failing_stays_failing(client, query, accept):
    """The library's page, feeds and metrics would show check details and timings, and its
    feeds answer 200 even when a check fails: here every caller gets the same short JSON."""
    recorder = MigrationRecorder(connection)
    recorder.record_unapplied("documents", "0001_initial")
    try:
        response = client.get(f"/health/{query}", HTTP_ACCEPT=accept)
    finally:
        recorder.record_applied("documents", "0001_initial")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    body = response.content.decode()
    assert set(json.loads(body)) == {"status", "checks"}
    for secret in ("documents", "0001", "Unavailable", django.__version__):
        assert secret not in body
    assert health_check.__version__ not in body


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(port: int, path: str, headers=None) -> tuple[int, bytes]:
    connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection_.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
        response = connection_.getresponse()
        return response.status, response.read()
    finally:
        connection_.close()


def test_with_the_database_unreachable_gunicorn_answers_503_while_pages_still_answer(tmp_path):
    """The real server with production settings behind a proxy, its database on a port where
    nothing listens. /robots.txt still answers 200 — which is why a load balancer must probe
    /health/ — and /health/ is neither redirected to HTTPS nor healthy."""
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SENTRY_", "REDIS_", "PYTEST"))
    } | {
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_SECRET_KEY": "health-test-only",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_BEHIND_PROXY": "true",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DATABASE_URL": "postgres://portal@127.0.0.1:1/portal",
    }
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as log_file:
        server = subprocess.Popen(
            [Path(sys.executable).parent / "gunicorn", "portal.wsgi", "--workers", "1"]
            + ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail(f"gunicorn did not start:\n{log.read_text()}")
                time.sleep(0.1)

        status, body = fetch(port, "/robots.txt", {"X-Forwarded-Proto": "https"})
        assert status == 200
        assert b"User-agent: *" in body

        status, body = fetch(port, "/health/")
        assert status == 503
        assert json.loads(body) == {
            "status": "unavailable",
            "checks": {
                "database": "failed",
                "migrations": "failed",
                "cache": "ok",
                "storage": "ok",
            },
        }
    finally:
        server.terminate()
        server.wait(timeout=30)
