"""What an uploaded attachment really is, judged by its content (magic bytes).

The extension alone proves nothing: a renamed executable or HTML page must not be served
as a PDF. PDF starts with `%PDF-`; legacy Word and Excel files are OLE2 compound files
(`D0 CF 11 E0 A1 B1 1A E1`, the extension then tells .doc from .xls, which share the
container); DOCX/XLSX are ZIP packages with `word/document.xml` or `xl/workbook.xml`;
ODT/ODS are ZIP packages whose `mimetype` member names the OpenDocument type.

A ZIP package is judged without inflating it (a 200 KB "zip bomb" can unpack to 200 MB
of zeros): first the end record's count and size of the central directory, then the
directory's entries, their number and their declared unpacked sizes, are checked against
caps, before any entry is read; the one entry read (`mimetype`) is read only up to a few
hundred bytes, however large its header says it is.
"""

import struct
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from django.utils.translation import gettext as _

PDF_MAGIC = b"%PDF-"
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str
    inline: bool = False


KINDS = {
    "pdf": FileKind("pdf", "application/pdf", inline=True),
    "doc": FileKind("doc", "application/msword"),
    "xls": FileKind("xls", "application/vnd.ms-excel"),
    "docx": FileKind(
        "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "xlsx": FileKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "odt": FileKind("odt", "application/vnd.oasis.opendocument.text"),
    "ods": FileKind("ods", "application/vnd.oasis.opendocument.spreadsheet"),
}

_OOXML_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}

# Caps for a ZIP package (DOCX, XLSX, ODT, ODS). Real office files have tens to a few
# hundred entries and unpack to a few times their size; attachments are at most
# PORTAL_ATTACHMENT_MAX_MB (25 MB) packed.
MAX_ZIP_ENTRIES = 5000
MAX_ZIP_DIRECTORY_BYTES = 1024 * 1024
MAX_ZIP_UNPACKED_BYTES = 100 * 1024 * 1024
# An OpenDocument `mimetype` entry is one short line; more is never read.
MIMETYPE_READ_BYTES = 256
# The end of central directory record: signature, disk numbers, entry counts, directory
# size and offset, comment length (APPNOTE.TXT 4.3.16); the comment is at most 64 KB.
_END_RECORD = struct.Struct("<4s4H2LH")
_END_SIGNATURE = b"PK\x05\x06"
# ZIP64 (4.3.14, 4.3.15): a locator just before the end record, and before it a larger
# end record, where Python's zipfile reads it.
_ZIP64_LOCATOR_SIZE = 20
_ZIP64_LOCATOR_SIGNATURE = b"PK\x06\x07"
_ZIP64_END_RECORD = struct.Struct("<4sQ2H2L4Q")
_ZIP64_END_SIGNATURE = b"PK\x06\x06"


class FileRejected(ValueError):
    """The file is not an accepted attachment; str(error) is a message for staff."""


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _too_many_entries(name: str) -> FileRejected:
    return FileRejected(
        _("Tệp “%(name)s” có quá nhiều phần nén (hơn %(n)d): không nhận.")
        % {"name": name, "n": MAX_ZIP_ENTRIES}
    )


def _too_large(name: str, unpacked: int) -> FileRejected:
    return FileRejected(
        _(
            "Tệp “%(name)s” giải nén ra %(size)d MB, quá giới hạn %(mb)d MB (có thể là tệp "
            "nén độc hại): không nhận."
        )
        % {
            "name": name,
            "size": unpacked // (1024 * 1024),
            "mb": MAX_ZIP_UNPACKED_BYTES // (1024 * 1024),
        }
    )


def _check_end_record(stream: BinaryIO, name: str) -> None:
    """Refuse a package whose central directory is too big to even list: read from the
    end record alone, before `zipfile` builds one object per entry."""
    stream.seek(0, 2)
    size = stream.tell()
    tail_start = max(0, size - _END_RECORD.size - 0xFFFF)
    stream.seek(tail_start)
    tail = stream.read()
    at = tail.rfind(_END_SIGNATURE)
    if at < 0 or at + _END_RECORD.size > len(tail):
        return  # not a readable package: zipfile says so below
    fields = _END_RECORD.unpack_from(tail, at)
    entries, directory_bytes = fields[4], fields[5]
    record_at = tail_start + at - _ZIP64_LOCATOR_SIZE - _ZIP64_END_RECORD.size
    if record_at >= 0:
        stream.seek(record_at)
        record = stream.read(_ZIP64_END_RECORD.size + _ZIP64_LOCATOR_SIZE)
        locator = record[_ZIP64_END_RECORD.size :]
        if locator.startswith(_ZIP64_LOCATOR_SIGNATURE):
            if not record.startswith(_ZIP64_END_SIGNATURE):
                return  # a broken ZIP64 package: zipfile refuses it below
            fields = _ZIP64_END_RECORD.unpack_from(record)
            entries, directory_bytes = fields[7], fields[8]
    if entries > MAX_ZIP_ENTRIES or directory_bytes > MAX_ZIP_DIRECTORY_BYTES:
        raise _too_many_entries(name)


def _zip_kind(stream: BinaryIO, name: str) -> str | None:
    """The office kind of a ZIP package, from its entry names (and the first bytes of
    `mimetype`). Raises FileRejected for a package over the caps."""
    _check_end_record(stream, name)
    try:
        with zipfile.ZipFile(stream) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise _too_many_entries(name)
            unpacked = sum(entry.file_size for entry in entries)
            if unpacked > MAX_ZIP_UNPACKED_BYTES:
                raise _too_large(name, unpacked)
            names = {entry.filename for entry in entries}
            if "mimetype" in names:
                # Bounded read: a header may lie about the size; the inflater stops here.
                with archive.open("mimetype") as member:
                    head = member.read(MIMETYPE_READ_BYTES)
                mimetype = head.decode("ascii", "replace").strip()
                for kind in ("odt", "ods"):
                    if mimetype == KINDS[kind].content_type:
                        return kind
            for kind, part in _OOXML_PARTS.items():
                if part in names:
                    return kind
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, EOFError, NotImplementedError):
        return None
    return None


def sniff(stream: BinaryIO, name: str) -> FileKind:
    """The kind of `stream` when its content agrees with the extension of `name`.

    Raises FileRejected otherwise. The stream position is restored.
    """
    extension = _extension(name)
    if extension not in KINDS:
        raise FileRejected(
            _("Chỉ nhận tệp PDF, DOC, DOCX, XLS, XLSX, ODT hoặc ODS (tệp “%(name)s”).")
            % {"name": name}
        )
    start = stream.tell()
    try:
        head = stream.read(8)
        stream.seek(start)
        if head.startswith(PDF_MAGIC):
            found = "pdf"
        elif head == OLE2_MAGIC:
            found = extension if extension in ("doc", "xls") else "ole2"
        elif head.startswith(ZIP_MAGIC):
            found = _zip_kind(stream, name) or "zip"
        else:
            found = "unknown"
    finally:
        stream.seek(start)
    if found != extension:
        raise FileRejected(
            _("Nội dung tệp “%(name)s” không phải là tệp .%(extension)s hợp lệ.")
            % {"name": name, "extension": extension}
        )
    return KINDS[found]
