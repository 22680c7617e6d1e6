"""A `send_alerts` run killed (SIGKILL) while the mail server holds a mail, then run again:
no subscriber gets the same change twice, and the others still get theirs.

The command runs as it would from cron, in its own process with the production settings,
against the test's committed data (the test database itself on PostgreSQL, a file copy of
the in-memory one on SQLite) and the test's SMTP server (aiosmtpd).
"""

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

from documents.tests.factories import make_document

from .conftest import text_of
from .factories import log_change, make_subscription

BASE_DIR = Path(__file__).resolve().parents[2]
ORIGIN = "https://cong.example.gov.vn"
ADDRESSES = ["an@example.vn", "binh@example.vn", "chi@example.vn"]


def database_url(tmp_path: Path) -> str:
    if connection.vendor == "postgresql":
        address = urlsplit(os.environ["DATABASE_URL"])
        return urlunsplit(address._replace(path="/" + connection.settings_dict["NAME"]))
    copy = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{copy}"


def send_alerts_process(url: str, smtp_port: int) -> subprocess.Popen:
    environment = os.environ | {
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "DJANGO_SECRET_KEY": "alerts-test-only",
        "DJANGO_ALLOWED_HOSTS": "cong.example.gov.vn",
        "DJANGO_DEBUG": "false",
    }
    command = [sys.executable, "manage.py", "send_alerts", "--origin", ORIGIN]
    return subprocess.Popen(
        command, cwd=BASE_DIR, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


@pytest.mark.django_db(transaction=True)
def test_a_killed_and_rerun_send_alerts_mails_no_change_twice(inbox, tmp_path):
    for address in ADDRESSES:
        make_subscription(email=address)
    first = make_document(title="Kế hoạch chỉnh trang đô thị năm 2026", number="501-KH/TU")
    log_change(first)
    url = database_url(tmp_path)

    inbox.hold = threading.Event()
    killed = send_alerts_process(url, inbox.port)
    assert inbox.received.wait(60), killed.communicate(timeout=5)
    # The server has the first mail; the command waits for its "250": kill it there.
    killed.kill()
    killed.wait(10)
    inbox.hold.set()
    inbox.hold = None
    assert len(inbox.messages) == 1

    rerun = send_alerts_process(url, inbox.port)
    out, err = rerun.communicate(timeout=60)
    assert rerun.returncode == 0, err.decode()
    assert sorted(m["X-Envelope-To"] for m in inbox.messages) == ADDRESSES
    assert all("501-KH/TU" in text_of(m) for m in inbox.messages)

    # A third run has nothing left to send.
    again = send_alerts_process(url, inbox.port)
    again.communicate(timeout=60)
    assert again.returncode == 0
    assert len(inbox.messages) == 3
