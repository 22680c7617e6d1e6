"""The nightly export of the register (`manage.py export_register`) and its stable
addresses under /documents/open-data/ (documents/open_data.py)."""

import csv
import datetime
import hashlib
import io
import json
import uuid

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from portal.publication import PublicationStatus

from .. import open_data
from ..exports import COLUMNS
from ..models import Visibility
from .factories import make_document, make_state_document
from .test_s3_storage import CREDENTIALS, s3_endpoint  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db
ORIGIN = "https://portal.example.gov.vn"
S3_CREDENTIALS = {
    "aws_access_key_id": CREDENTIALS["access_key"],
    "aws_secret_access_key": CREDENTIALS["secret_key"],
    "region_name": CREDENTIALS["region_name"],
}
TITLE = "Kế hoạch chỉnh trang đô thị, cải tạo hệ thống thoát nước sông Tô Lịch, sông Nhuệ"


def address(name: str) -> str:
    return reverse("documents:open_data", args=[name])


def served(client, name: str, **headers):
    response = client.get(address(name), headers=headers)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response, content


@pytest.fixture
def open_data_dir(settings, tmp_path):
    """The exports go to a temporary folder."""
    settings.STORAGES = settings.STORAGES | {
        "open_data": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "open-data"},
        }
    }
    return tmp_path / "open-data"


@pytest.fixture
def register(open_data_dir):
    return {
        "plan": make_document(number="341-KH/TU", title=TITLE),
        "decision": make_state_document(
            number="04/QĐ-UBND", issued_on=datetime.date(2025, 3, 28), title="=HYPERLINK(1)"
        ),
        "internal": make_document(number="35-KH/TU", visibility=Visibility.INTERNAL),
        "draft": make_document(number="36-KH/TU", status=PublicationStatus.DRAFT),
        "archived": make_document(number="37-KH/TU", status=PublicationStatus.ARCHIVED),
    }


def test_the_export_holds_the_published_public_documents_in_both_formats(client, register):
    call_command("export_register", origin=ORIGIN, verbosity=0)

    csv_response, csv_bytes = served(client, "documents.csv")
    json_response, json_bytes = served(client, "documents.json")

    assert csv_response.status_code == json_response.status_code == 200
    rows = list(csv.reader(io.StringIO(csv_bytes.decode("utf-8").removeprefix("\ufeff"))))
    assert rows[0] == [column.name for column in COLUMNS]
    assert [row[0] for row in rows[1:]] == ["341-KH/TU", "04/QĐ-UBND"]
    assert rows[2][11] == "'=HYPERLINK(1)", "spreadsheet-safe, like the list's download"
    records = json.loads(json_bytes)
    assert [record["number"] for record in records] == ["341-KH/TU", "04/QĐ-UBND"]
    assert records[0]["title"] == TITLE
    assert records[0]["url"] == ORIGIN + register["plan"].get_absolute_url()
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_response["Content-Disposition"] == 'attachment; filename="documents.csv"'
    assert json_response["Content-Type"] == "application/json; charset=utf-8"


def test_the_manifest_gives_row_counts_and_checksums_of_the_files_served(client, register):
    call_command("export_register", origin=ORIGIN, verbosity=0)

    response, content = served(client, "manifest.json")

    assert response.status_code == 200
    manifest = json.loads(content)
    assert manifest["format_version"] == open_data.FORMAT_VERSION
    assert manifest["documents"] == 2
    assert manifest["columns"] == [column.name for column in COLUMNS]
    for name in ("documents.csv", "documents.json"):
        file_response, file_bytes = served(client, name)
        described = manifest["files"][name]
        assert described["rows"] == 2
        assert described["bytes"] == len(file_bytes) == int(file_response["Content-Length"])
        assert described["sha256"] == hashlib.sha256(file_bytes).hexdigest()
        assert described["url"] == ORIGIN + address(name)
        assert file_response["ETag"] == f'"{described["sha256"]}"'
        generated = datetime.datetime.fromisoformat(manifest["generated_at"])
        assert file_response["Last-Modified"] == generated.strftime("%a, %d %b %Y %H:%M:%S GMT")


def test_a_client_that_has_the_file_gets_304(client, register, django_assert_num_queries):
    call_command("export_register", origin=ORIGIN, verbosity=0)
    first, _content = served(client, "documents.csv")

    with django_assert_num_queries(0):
        again, content = served(client, "documents.csv", if_none_match=first["ETag"])
    since, _content = served(client, "documents.csv", if_modified_since=first["Last-Modified"])

    assert again.status_code == since.status_code == 304
    assert content == b""


def test_a_half_written_export_is_never_served(client, register):
    """A run that died (or is still writing) leaves a newer folder without a whole
    manifest or with a short file: the export before it is served."""
    call_command("export_register", origin=ORIGIN, verbosity=0)
    whole, whole_bytes = served(client, "documents.csv")
    unfinished = f"{open_data.FOLDER}/29991231T235959000000Z"
    open_data.storage().save(f"{unfinished}/documents.csv", ContentFile(b"number\r\n341"))
    _response, content = served(client, "documents.csv")
    assert content == whole_bytes

    manifest = json.loads(served(client, "manifest.json")[1])
    open_data.storage().save(
        f"{unfinished}/{open_data.MANIFEST}", ContentFile(json.dumps(manifest).encode())
    )
    open_data.storage().save(f"{unfinished}/documents.json", ContentFile(b"[\n"))

    response, content = served(client, "documents.csv")
    assert content == whole_bytes
    assert response["ETag"] == whole["ETag"]


def test_a_new_export_replaces_the_old_and_two_are_kept(client, register):
    call_command("export_register", origin=ORIGIN, verbosity=0)
    died = f"{open_data.FOLDER}/20000101T000000000000Z"
    open_data.storage().save(f"{died}/documents.csv", ContentFile(b"number\r\n"))
    make_document(number="342-KH/TU", issued_on=datetime.date(2025, 12, 1))
    call_command("export_register", origin=ORIGIN, verbosity=0)
    call_command("export_register", origin=ORIGIN, verbosity=0)

    manifest = json.loads(served(client, "manifest.json")[1])

    assert manifest["documents"] == 3
    assert json.loads(served(client, "documents.json")[1])[0]["number"] == "342-KH/TU"
    folders, _files = open_data.storage().listdir(open_data.FOLDER)
    kept = [
        folder
        for folder in folders
        if open_data.storage().listdir(f"{open_data.FOLDER}/{folder}")[1]
    ]
    assert len(kept) == open_data.KEEP
    assert not open_data.storage().exists(f"{died}/documents.csv")


@pytest.mark.parametrize("name", ["documents.csv", "manifest.json"])
def test_before_the_first_export_the_addresses_answer_404(client, open_data_dir, name):
    assert served(client, name)[0].status_code == 404


@pytest.mark.parametrize("name", ["documents.xlsx", "..%2Fsecret", "documents.csv.bak"])
def test_an_unknown_file_is_404(client, register, name):
    call_command("export_register", origin=ORIGIN, verbosity=0)
    assert client.get(address("x").replace("x", name)).status_code == 404


@pytest.mark.parametrize("origin", ["portal.example.gov.vn", "https://portal.example.gov.vn/a"])
def test_the_command_refuses_an_origin_that_is_not_one(open_data_dir, origin):
    with pytest.raises(CommandError, match="--origin"):
        call_command("export_register", origin=origin)


def test_a_dry_run_counts_and_writes_nothing(register, capsys):
    call_command("export_register", origin=ORIGIN, dry_run=True)

    assert "Sẽ xuất 2 văn bản." in capsys.readouterr().out
    assert open_data.latest() is None


def test_the_export_in_a_bucket_is_served_from_it(client, register, settings, s3_endpoint):  # noqa: F811
    """With DJANGO_S3_BUCKET, the export lives under `open-data/` in the bucket and is
    streamed from it."""
    name = f"portal-{uuid.uuid4().hex[:12]}"
    s3 = boto3.client("s3", endpoint_url=s3_endpoint, **S3_CREDENTIALS)
    s3.create_bucket(Bucket=name)
    options = {"bucket_name": name, "endpoint_url": s3_endpoint, "location": "open-data"}
    settings.STORAGES = settings.STORAGES | {
        "open_data": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": options | CREDENTIALS,
        }
    }
    call_command("export_register", origin=ORIGIN, verbosity=0)

    response, content = served(client, "documents.json")

    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=name)["Contents"]]
    assert sorted(key.rsplit("/", 1)[-1] for key in keys) == [
        "documents.csv",
        "documents.json",
        "manifest.json",
    ]
    assert all(key.startswith("open-data/documents/") for key in keys)
    assert response.status_code == 200
    assert int(response["Content-Length"]) == len(content)
    assert [record["number"] for record in json.loads(content)] == ["341-KH/TU", "04/QĐ-UBND"]
