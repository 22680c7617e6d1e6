"""What an uploaded attachment really is, judged by its content (magic bytes).

The extension alone proves nothing: a renamed executable or HTML page must not be served
as a PDF. PDF starts with `%PDF-`; legacy Word and Excel files are OLE2 compound files
(`D0 CF 11 E0 A1 B1 1A E1`, the extension then tells .doc from .xls, which share the
container); DOCX/XLSX are ZIP packages with `word/document.xml` or `xl/workbook.xml`;
ODT/ODS are ZIP packages whose `mimetype` member names the OpenDocument type.
"""

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


class FileRejected(ValueError):
    """The file is not an accepted attachment; str(error) is a message for staff."""


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _zip_kind(stream: BinaryIO) -> str | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                for kind in ("odt", "ods"):
                    if mimetype == KINDS[kind].content_type:
                        return kind
            for kind, part in _OOXML_PARTS.items():
                if part in names:
                    return kind
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
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
            found = _zip_kind(stream) or "zip"
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
