"""Full downloads through the production server (`gunicorn.conf.py`): they arrive whole
however long the client takes, or the client sees them fail (issue 19).

Each test starts gunicorn with the repository's configuration, its worker timeout cut to
`TIMEOUT` seconds, over a register of `DOCUMENTS` documents, and reads the CSV download
through a small receive window at `RATE` bytes a second, so the download lasts several
timeouts and the server waits on the client the whole time, as it does for a slow phone.

Run with gunicorn's default sync worker instead (`--worker-class sync --threads 1`), the
first test fails as issue 19 describes: the worker is killed at the timeout, mid-stream.
That variant is not kept as a test: on a busy machine a sync worker's cold first request
alone outlasts a short timeout, so it failed for the wrong reason too.
"""

import csv
import datetime
import http.client
import io
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection
from django.utils import timezone

from documents.exports import COLUMNS
from documents.models import Document, Visibility
from portal.models import Organization, OrganizationKind
from portal.publication import PublicationStatus
from portal.text import fold

# The register is committed once for the module (`server_database`); the marker has the
# test database set up, and its transaction holds nothing the server needs.
pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parents[2]
TIMEOUT = 2
# About 10 MB of CSV, read in 5 s at least. The kernel's socket buffers take 4 MB off the
# server's hands: it still writes for 3 s after the client starts, past its TIMEOUT.
DOCUMENTS = 12_000
RATE = 2_000_000
READ = 64 * 1024
TITLE = (
    "Kế hoạch thực hiện Nghị quyết của Ban Chấp hành Đảng bộ thành phố về "
    "chỉnh trang đô thị, cải tạo hệ thống thoát nước, xử lý ô nhiễm sông Tô Lịch, sông "
    "Nhuệ, sông Đáy và các hồ điều hòa trên địa bàn các quận nội thành; đầu tư xây dựng "
    "đường Vành đai 4 – Vùng Thủ đô, các tuyến đường sắt đô thị số 2, số 3 và số 5; phát "
    "triển nhà ở xã hội, cải tạo chung cư cũ; chuyển đổi số trong hoạt động của các cơ quan "
    "Đảng, chính quyền, Mặt trận Tổ quốc và các đoàn thể chính trị – xã hội thành phố giai "
    "đoạn 2025–2030, tầm nhìn đến năm 2045"
)
ISSUER = "HNTU-DL"
CSV_PATH = "/documents/?format=csv"


@pytest.fixture(scope="module")
def server_database(django_db_setup, django_db_blocker, tmp_path_factory):
    """The DATABASE_URL of a register of DOCUMENTS published public documents (and two
    that no download may show), committed where the server reads it: the test database
    itself on PostgreSQL, a file copy of the in-memory one on SQLite."""
    with django_db_blocker.unblock():
        issuer = Organization.objects.create(
            code=ISSUER, name="Thành ủy Hà Nội", kind=OrganizationKind.PARTY
        )
        add_register(issuer)
        if connection.vendor == "postgresql":
            address = urlsplit(os.environ["DATABASE_URL"])
            yield urlunsplit(address._replace(path="/" + connection.settings_dict["NAME"]))
        else:
            copy = tmp_path_factory.mktemp("server") / "db.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(copy)
            connection.connection.backup(target)
            target.close()
            yield f"sqlite:///{copy}"
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM documents_document WHERE issuer_id = %s", [issuer.pk])
        issuer.delete()


def add_register(issuer) -> None:
    first_day = datetime.date(2016, 1, 1)
    published_at = timezone.now()
    folded_title = fold(TITLE)
    documents = []
    for n in range(1, DOCUMENTS + 3):
        document = Document(
            number=f"{n}-KH/TU",
            issuer=issuer,
            issued_on=first_day + datetime.timedelta(days=n * 3650 // DOCUMENTS),
            status=PublicationStatus.PUBLISHED,
            published_at=published_at,
            slug=f"{n}-kh-tu",
        )
        document.fill_derived()
        # The title is folded into the search text once for all (12,000 times: 10 s).
        document.title = TITLE
        document.search_text = f"{document.search_text} {folded_title}"
        documents.append(document)
    documents[-2].status = PublicationStatus.DRAFT
    documents[-1].visibility = Visibility.INTERNAL
    Document.objects.bulk_create(documents, batch_size=1000)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(database_url: str):
    """gunicorn run as the README says, with `gunicorn.conf.py`, on a port of its own;
    yields the port. Its log is printed: pytest shows it when a test fails."""
    port = free_port()
    environment = os.environ | {
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "test-only-key",
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "DJANGO_SECURE_HTTPS": "false",
        "PORTAL_RATE_DOWNLOAD": "",
    }
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", str(TIMEOUT)]
    # The site is loaded before the worker starts: on a busy machine, loading it inside
    # the worker can take longer than TIMEOUT, and the worker would be killed at boot.
    command += ["--preload"]
    with tempfile.TemporaryFile(mode="w+") as log:
        server = subprocess.Popen(command, cwd=BASE_DIR, env=environment, stdout=log, stderr=log)
        try:
            wait_until_serving(server, port)
            yield port
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            log.seek(0)
            print(log.read())


def wait_until_serving(server: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail("gunicorn stopped")
        try:
            answer = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            answer.request("GET", "/robots.txt", headers={"Host": "localhost"})
            if answer.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail("gunicorn did not answer within 30 s")


def open_download(port: int, path: str) -> http.client.HTTPResponse:
    """A GET over HTTP/1.1 through a small receive window: the server can run ahead of
    the reader by a few hundred kilobytes of socket buffers, no more."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 * 1024)
    sock.settimeout(30)
    sock.connect(("127.0.0.1", port))
    client = http.client.HTTPConnection("127.0.0.1", port)
    client.sock = sock
    client.request("GET", path, headers={"Host": "localhost"})
    return client.getresponse()


def read_slowly(response: http.client.HTTPResponse, body=None, on_progress=None) -> bytes:
    """The body read at RATE bytes a second into `body`; `on_progress(received)` after
    each read. Raises http.client.IncompleteRead when the stream ends before its final
    chunk."""
    body = bytearray() if body is None else body
    while chunk := response.read(READ):
        body += chunk
        if on_progress is not None:
            on_progress(len(body))
        time.sleep(len(chunk) / RATE)
    return bytes(body)


def csv_rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8").removeprefix("\ufeff"))))


def test_a_download_longer_than_the_worker_timeout_arrives_whole(server_database):
    with gunicorn(server_database) as port:
        response = open_download(port, CSV_PATH)
        started = time.monotonic()
        body = read_slowly(response)
        took = time.monotonic() - started

    assert response.status == 200
    assert took > 2 * TIMEOUT, "the download must outlive the worker timeout to test it"
    rows = csv_rows(body)
    assert rows[0] == [column.name for column in COLUMNS]
    assert len(rows) - 1 == DOCUMENTS
    assert rows[1][0] == f"{DOCUMENTS}-KH/TU"
    assert rows[-1][0] == "1-KH/TU"


def test_a_stream_broken_by_the_database_is_seen_as_broken(server_database, tmp_path):
    """The database fails mid-download: the client gets an error, never a short file
    that ends like a whole one.

    On PostgreSQL the worker's connection is terminated (a restart or a failover does
    this). SQLite sorts every row before sending the first, so nothing read from the
    database can fail later on it: there, one row in the middle holds a date that no
    date can be (as an import by another tool could write), which fails as it is read.
    """
    if connection.vendor == "postgresql":
        database_url = server_database
        terminated = []

        def break_database(received):
            if received >= 1_000_000 and not terminated:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                    terminated.append(cursor.fetchall())
    else:
        damaged = tmp_path / "damaged.sqlite3"
        shutil.copy(urlsplit(server_database).path, damaged)
        with closing(sqlite3.connect(damaged)) as server_copy, server_copy:
            server_copy.execute(
                "UPDATE documents_document SET issued_on = '2020-13-01' WHERE number = ?",
                [f"{DOCUMENTS // 2}-KH/TU"],
            )
        database_url = f"sqlite:///{damaged}"
        break_database = None

    body = bytearray()
    with gunicorn(database_url) as port:
        response = open_download(port, CSV_PATH)
        with pytest.raises(http.client.IncompleteRead):
            read_slowly(response, body, on_progress=break_database)

    assert response.status == 200
    assert connection.vendor != "postgresql" or terminated == [[(True,)]]
    # The header and some rows arrived, not all of them.
    assert 1 < body.count(b"\r\n") < DOCUMENTS
