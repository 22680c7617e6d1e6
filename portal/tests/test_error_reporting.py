"""Error reports to Sentry (sentry-sdk), only when SENTRY_DSN is set. Each case starts the
settings in a fresh process, as a worker would; reports go to a dummy Sentry on this
machine, never out."""

import gzip
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

REPORT = """
import json, django, sentry_sdk
django.setup()
client = sentry_sdk.get_client()
print(json.dumps({key: client.options[key] for key in
      ("send_default_pii", "environment", "release", "max_request_body_size")}))
sentry_sdk.capture_message("a test report")
sentry_sdk.flush(timeout=10)
"""


def run_settings(code: str, **env: str) -> str:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("SENTRY_")}
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=clean | {"DJANGO_SETTINGS_MODULE": "portal.settings"} | env,
    ).stdout


@pytest.fixture
def dummy_sentry():
    """An HTTP server on 127.0.0.1 that keeps every envelope posted to it."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if self.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            received.append((self.path, body.decode()))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], received
    server.shutdown()
    server.server_close()


def test_without_a_dsn_the_sdk_is_not_even_loaded():
    loaded = run_settings("import sys, django; django.setup(); print('sentry_sdk' in sys.modules)")
    assert loaded.strip() == "False"


def test_with_a_dsn_reports_go_there_without_personal_data(dummy_sentry):
    port, received = dummy_sentry
    shown = run_settings(
        REPORT,
        SENTRY_DSN=f"http://publickey@127.0.0.1:{port}/42",
        SENTRY_ENVIRONMENT="staging",
        SENTRY_RELEASE="portal@2025.11",
    )
    assert json.loads(shown) == {
        "send_default_pii": False,
        "environment": "staging",
        "release": "portal@2025.11",
        "max_request_body_size": "never",
    }
    [(path, envelope)] = received
    assert path == "/api/42/envelope/"
    event = next(
        item
        for item in map(json.loads, envelope.splitlines())
        if item.get("message") == "a test report"
    )
    assert event["environment"] == "staging"
    assert event["release"] == "portal@2025.11"
    assert "user" not in event
