"""Attachments in an S3-compatible bucket (`DJANGO_S3_BUCKET`), against a real S3 server
over HTTP: moto's standalone server, as the tests reach no cloud."""

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.tests.factories import make_staff

from ..models import Document, Visibility
from .factories import PDF_BYTES, make_attachment, make_document
from .test_admin import ADD, editor, form_data  # noqa: F401 - `editor` is a fixture

pytestmark = pytest.mark.django_db
CREDENTIALS = {"access_key": "portal", "secret_key": "portal-secret", "region_name": "us-east-1"}


@pytest.fixture(scope="module")
def s3_endpoint():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [Path(sys.executable).parent / "moto_server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("the S3 server did not start") from None
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def bucket(s3_endpoint, settings):
    """A new bucket, made the portal's storage as DJANGO_S3_BUCKET would make it."""
    name = f"portal-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=CREDENTIALS["access_key"],
        aws_secret_access_key=CREDENTIALS["secret_key"],
        region_name=CREDENTIALS["region_name"],
    )
    client.create_bucket(Bucket=name)
    options = {"bucket_name": name, "endpoint_url": s3_endpoint, "file_overwrite": False}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": options | CREDENTIALS,
        },
    }
    return client, name


def stored_keys(bucket) -> list[str]:
    client, name = bucket
    return [item["Key"] for item in client.list_objects_v2(Bucket=name).get("Contents", [])]


def test_the_bucket_setting_makes_attachments_go_to_s3():
    probe = "from django.conf import settings; print(settings.STORAGES['default'])"
    env = os.environ | {
        "DJANGO_S3_BUCKET": "portal-attachments",
        "DJANGO_S3_ENDPOINT_URL": "https://s3.example.gov.vn",
    }
    shown = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {probe}"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
    ).stdout
    assert "storages.backends.s3.S3Storage" in shown
    assert "'bucket_name': 'portal-attachments'" in shown
    assert "'endpoint_url': 'https://s3.example.gov.vn'" in shown


@pytest.mark.usefixtures("editor")
def test_an_upload_in_the_admin_lands_in_the_bucket_under_a_generated_name(client, bucket):
    data = form_data(**{"attachments-TOTAL_FORMS": "1", "attachments-0-order": "0"})
    upload = SimpleUploadedFile("Kế hoạch số 341.pdf", PDF_BYTES)
    response = client.post(ADD, {**data, "attachments-0-file": upload})
    assert response.status_code == 302
    attachment = Document.objects.get().attachments(manager="all_objects").get()
    assert stored_keys(bucket) == [f"documents/{attachment.key.hex}.pdf"]
    assert attachment.original_name == "Kế hoạch số 341.pdf"


def test_the_portal_serves_a_file_from_the_bucket_by_the_documents_rules(client, bucket):
    public = make_attachment(make_document(number="341-KH/TU"))
    internal = make_attachment(make_document(number="35-KH/TU", visibility=Visibility.INTERNAL))
    response = client.get(public.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert client.get(internal.get_absolute_url()).status_code == 404
    client.force_login(make_staff("documents.view_internal_document"))
    assert client.get(internal.get_absolute_url()).status_code == 200


def test_a_file_missing_from_the_bucket_is_404(client, bucket):
    attachment = make_attachment(make_document(number="341-KH/TU"))
    client_s3, name = bucket
    client_s3.delete_object(Bucket=name, Key=attachment.file.name)
    assert client.get(attachment.get_absolute_url()).status_code == 404
