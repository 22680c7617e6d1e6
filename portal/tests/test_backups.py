"""The database backed up and restored with django-dbbackup, and `data_manifest`, which a
restore is checked with (README, "Backups and restore"). PostgreSQL has the full drill in CI
(ops/restore_drill.sh); here SQLite, the embedded default, in processes of its own."""

import hashlib
import os
import re
import sqlite3
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from documents.tests.factories import make_attachment, make_document

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_the_manifest_counts_every_tables_rows_and_hashes_every_stored_file(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    attachment = make_attachment(make_document(), content=b"%PDF-1.4 the plan\n")
    (tmp_path / "media" / "health_check_storage_test").mkdir()  # the probe's scratch folder

    out = StringIO()
    call_command("data_manifest", stdout=out)
    lines = out.getvalue().splitlines()

    assert "table documents_document 1" in lines
    assert "table documents_attachment 1" in lines
    assert re.search(r"^table django_migrations [1-9]", out.getvalue(), re.M)
    digest = hashlib.sha256(b"%PDF-1.4 the plan\n").hexdigest()
    assert [line for line in lines if line.startswith("file ")] == [
        f"file {attachment.file.name} 18 {digest}"
    ]


def test_a_sqlite_database_restored_from_its_backup_has_every_row(tmp_path):
    """dbbackup copies SQLite through its online-backup API. (A small database made here:
    migrating a whole portal schema in SQLite takes 20 s and proves nothing more.)"""
    with sqlite3.connect(tmp_path / "portal.sqlite3") as source:
        source.execute("CREATE TABLE documents_document (id INTEGER PRIMARY KEY, title TEXT)")
        source.executemany(
            "INSERT INTO documents_document (title) VALUES (?)",
            [(f"Kế hoạch số {n}-KH/TU",) for n in range(1, 501)],
        )
    source.close()

    def manage(*args: str, database: str) -> str:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE", "PORTAL_"))}
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env
            | {
                "DATABASE_URL": f"sqlite:///{tmp_path / database}",
                "PORTAL_BACKUP_DIR": str(tmp_path / "backups"),
                "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
            },
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    manage("dbbackup", "--noinput", "-q", "-o", "db.sqlite3", database="portal.sqlite3")
    manage("dbrestore", "--noinput", "-q", "-i", "db.sqlite3", database="copy.sqlite3")

    source_manifest = manage("data_manifest", database="portal.sqlite3")
    assert manage("data_manifest", database="copy.sqlite3") == source_manifest
    assert source_manifest == "table documents_document 500\n"
    with sqlite3.connect(tmp_path / "copy.sqlite3") as copy:
        assert copy.execute("SELECT title FROM documents_document WHERE id = 341").fetchone() == (
            "Kế hoạch số 341-KH/TU",
        )
    copy.close()
