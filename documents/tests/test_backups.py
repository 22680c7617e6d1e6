"""Attachments backed up and restored with django-dbbackup (`mediabackup`, `mediarestore`),
as the README's "Backups and restore" says, from the folder and from the bucket. The
commands run as an operator runs them: `manage.py` in its own process, configured by the
environment (PORTAL_BACKUP_DIR, DJANGO_MEDIA_ROOT or DJANGO_S3_BUCKET)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .factories import make_attachment, make_document
from .test_s3_storage import CREDENTIALS, bucket, s3_endpoint  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
CONTENT = b"%PDF-1.4\n% Ke hoach 341-KH/TU, ban goc\n" + bytes(range(256)) * 64 + b"\n%%EOF\n"


def manage(*args: str, **env: str) -> None:
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_S3_", "DJANGO_MEDIA_ROOT", "PORTAL_BACKUP_DIR"))
    }
    subprocess.run(
        [sys.executable, "manage.py", *args, "--noinput", "--quiet"],
        cwd=ROOT,
        env=inherited | env,
        check=True,
        capture_output=True,
    )


def served(client, attachment) -> bytes:
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_an_attachment_lost_from_the_folder_comes_back_from_the_backup(
    client, media_root, tmp_path
):
    attachment = make_attachment(make_document(number="341-KH/TU"), content=CONTENT)
    backups = tmp_path / "backups"
    env = {"DJANGO_MEDIA_ROOT": str(media_root), "PORTAL_BACKUP_DIR": str(backups)}

    manage("mediabackup", "--output-filename", "attachments.tar", **env)
    archive = backups / "attachments.tar"
    assert archive.stat().st_mode & 0o777 == 0o600, "backups hold internal documents"
    shutil.rmtree(media_root)
    manage("mediarestore", "--input-filename", "attachments.tar", **env)

    assert (media_root / attachment.file.name).read_bytes() == CONTENT
    assert served(client, attachment) == CONTENT


def test_an_attachment_lost_from_the_bucket_comes_back_from_the_backup(client, request, tmp_path):
    s3, name = request.getfixturevalue("bucket")  # moto's S3 server (test_s3_storage.py)
    attachment = make_attachment(make_document(number="341-KH/TU"), content=CONTENT)
    env = {
        "DJANGO_S3_BUCKET": name,
        "DJANGO_S3_ENDPOINT_URL": s3.meta.endpoint_url,
        "DJANGO_S3_REGION": CREDENTIALS["region_name"],
        "AWS_ACCESS_KEY_ID": CREDENTIALS["access_key"],
        "AWS_SECRET_ACCESS_KEY": CREDENTIALS["secret_key"],
        "PORTAL_BACKUP_DIR": str(tmp_path / "backups"),
    }

    manage("mediabackup", "--output-filename", "attachments.tar", **env)
    s3.delete_object(Bucket=name, Key=attachment.file.name)
    assert s3.list_objects_v2(Bucket=name).get("Contents", []) == []
    manage("mediarestore", "--input-filename", "attachments.tar", **env)

    restored = s3.get_object(Bucket=name, Key=attachment.file.name)["Body"].read()
    assert restored == CONTENT
    assert served(client, attachment) == CONTENT
