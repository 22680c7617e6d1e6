"""The whole public register as files, written every night and served at stable addresses:
`/documents/open-data/documents.csv`, `documents.json` and `manifest.json`.

A full download of a large register takes minutes for a slow client; served from a file
it costs the server no query, and every user gets the same snapshot, with a manifest
giving its row counts and SHA-256 checksums to check it by. The rows are the list's
download (`documents/exports.py`: the same columns and formats) of every published public
document, the publication rule's public side; nothing internal, draft or archived.

Each run (`manage.py export_register`) writes a new folder `documents/<time>/` in the
`open_data` storage (PORTAL_OPEN_DATA_DIR, or `open-data/` in the bucket: not among the
attachments, which are backed up every night): both files first, the manifest last.
The addresses serve the newest folder whose manifest is readable and whose files have the
sizes it gives, so a run that is still writing, or died half-way, is never served: the
previous export is, until the next one is whole. The newest `KEEP` folders are kept: a
download that started from the one before still finishes.
"""

import contextlib
import datetime
import hashlib
import itertools
import json
import tempfile
from pathlib import Path

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from portal import downloads
from portal.rate_limits import DOWNLOAD, rate_limited

from .exports import COLUMNS
from .models import Document

FOLDER = "documents"
MANIFEST = "manifest.json"
# Bump when a column or the manifest changes meaning, so scripts can tell.
FORMAT_VERSION = 1
FILES = {"documents.csv": downloads.CSV, "documents.json": downloads.JSON}
CONTENT_TYPES = {
    downloads.CSV: "text/csv; charset=utf-8",
    downloads.JSON: "application/json; charset=utf-8",
}
KEEP = 2


def public_documents():
    """What the export holds: every published public document."""
    return Document.objects.published().public()


class _Counted:
    """`records`, counted as they pass."""

    def __init__(self, records):
        self.records = records
        self.count = 0

    def __iter__(self):
        for record in self.records:
            self.count += 1
            yield record


def storage() -> Storage:
    return storages["open_data"]


def write_export(*, origin: str) -> dict:
    """Write a new export of the register and return its manifest.

    One query feeds both files, so they hold the same rows. They are written to local
    temporary files (hashed on the way), copied to the storage, and the manifest is saved
    last: until then the new folder is not served.
    """
    files_storage = storage()
    generated_at = timezone.now()
    folder = f"{FOLDER}/{generated_at.strftime('%Y%m%dT%H%M%S%fZ')}"
    rows = public_documents().for_list().iterator(chunk_size=downloads.CHUNK_SIZE)
    counted = _Counted(downloads.records_at(origin, COLUMNS, rows))
    for_csv, for_json = itertools.tee(counted)
    formats = {
        "documents.csv": downloads.csv_lines(COLUMNS, for_csv),
        "documents.json": downloads.json_chunks(for_json),
    }
    files = {}
    with tempfile.TemporaryDirectory() as scratch:
        with contextlib.ExitStack() as stack:
            outputs = {
                name: stack.enter_context(_HashedFile(Path(scratch) / name)) for name in FILES
            }
            # Both advance a batch at a time (`downloads.BATCH` rows): `tee` holds one.
            for chunks in itertools.zip_longest(*formats.values()):
                for name, chunk in zip(formats, chunks, strict=True):
                    if chunk is not None:
                        outputs[name].write(chunk)
        for name, output in outputs.items():
            with output.path.open("rb") as written:
                stored = files_storage.save(f"{folder}/{name}", File(written))
            if stored != f"{folder}/{name}":
                raise RuntimeError(f"{folder}/{name} exists already; stored as {stored}")
            files[name] = {
                "format": FILES[name],
                "rows": counted.count,
                "bytes": output.size,
                "sha256": output.sha256.hexdigest(),
                "url": origin + reverse("documents:open_data", args=[name]),
            }
    manifest = {
        "format_version": FORMAT_VERSION,
        "generated_at": generated_at.isoformat(),
        "selection": "published public documents",
        "documents": counted.count,
        "columns": [column.name for column in COLUMNS],
        "files": files,
    }
    manifest_file = ContentFile(json.dumps(manifest, indent=2).encode())
    files_storage.save(f"{folder}/{MANIFEST}", manifest_file)
    _prune(files_storage)
    return manifest


class _HashedFile:
    """A local file written from text as UTF-8, measured and hashed on the way."""

    def __init__(self, path: Path):
        self.path = path
        self.size = 0
        self.sha256 = hashlib.sha256()

    def __enter__(self):
        self.file = self.path.open("wb")
        return self

    def __exit__(self, *exc):
        self.file.close()

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        self.sha256.update(data)
        self.size += len(data)
        self.file.write(data)


def _folders(files_storage: Storage) -> list[str]:
    """The export folders, newest first."""
    try:
        folders, _files = files_storage.listdir(FOLDER)
    except FileNotFoundError:
        return []
    return sorted(folders, reverse=True)


def _prune(files_storage: Storage) -> None:
    """Keep the newest KEEP whole exports and any folder newer than them all (a run still
    writing); delete the files of the others, a run that died half-way included."""
    whole = 0
    for folder in _folders(files_storage):
        is_whole = _complete(files_storage, folder) is not None
        if whole < KEEP and (is_whole or whole == 0):
            whole += is_whole
            continue
        _subfolders, names = files_storage.listdir(f"{FOLDER}/{folder}")
        for name in names:
            files_storage.delete(f"{FOLDER}/{folder}/{name}")


def _complete(files_storage: Storage, folder: str) -> dict | None:
    """The manifest of `folder` when the export there is whole, else None."""
    try:
        with files_storage.open(f"{FOLDER}/{folder}/{MANIFEST}", "rb") as stored:
            manifest = json.load(stored)
        files = manifest["files"]
        for name in FILES:
            if files_storage.size(f"{FOLDER}/{folder}/{name}") != files[name]["bytes"]:
                return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return manifest


def latest() -> tuple[str, dict] | None:
    """(folder path, manifest) of the newest whole export; None before the first."""
    files_storage = storage()
    for folder in _folders(files_storage):
        manifest = _complete(files_storage, folder)
        if manifest is not None:
            return f"{FOLDER}/{folder}", manifest
    return None


def _open(files_storage: Storage, name: str):
    """The stored file, read as it is sent. From a bucket, the object's body is streamed:
    django-storages' S3File would first copy the whole object into memory."""
    bucket = getattr(files_storage, "bucket", None)
    if bucket is None:
        return files_storage.open(name, "rb")
    return bucket.Object(files_storage._normalize_name(name)).get()["Body"]


@require_safe
@rate_limited(DOWNLOAD)
def open_data(request, name):
    """One file of the newest whole export, with its size, an ETag (the file's SHA-256)
    and Last-Modified (when the export was made), so clients can check and skip it."""
    if name not in FILES and name != MANIFEST:
        raise Http404
    found = latest()
    if found is None:
        raise Http404
    folder, manifest = found
    generated_at = datetime.datetime.fromisoformat(manifest["generated_at"])
    if name == MANIFEST:
        etag = folder.rsplit("/", 1)[-1]
        content_type = "application/json; charset=utf-8"
    else:
        etag = manifest["files"][name]["sha256"]
        content_type = CONTENT_TYPES[FILES[name]]
    response = get_conditional_response(
        request, etag=f'"{etag}"', last_modified=int(generated_at.timestamp())
    )
    if response is None:
        files_storage = storage()
        response = FileResponse(
            _open(files_storage, f"{folder}/{name}"),
            as_attachment=name != MANIFEST,
            filename=name,
            content_type=content_type,
        )
        response["Content-Length"] = files_storage.size(f"{folder}/{name}")
    response["ETag"] = f'"{etag}"'
    response["Last-Modified"] = http_date(generated_at.timestamp())
    response["X-Content-Type-Options"] = "nosniff"
    return response
