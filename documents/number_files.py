"""The text of a file a reviewer uploads to the number check (`/documents/lookup/`): a
report as plain text, a Word document (.docx) or a PDF with a text layer.

Every way a file can be unreadable (too big, corrupt, protected, a scan without text, an
unknown kind) ends in `UnreadableFile`, whose message the form shows: a file never causes
a server error.
"""

import codecs
import io
import logging
import unicodedata
import zipfile
from xml.etree import ElementTree

from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
SUFFIXES = (".txt", ".docx", ".pdf")
# A .docx part inflated beyond this is refused before it is read (a "zip bomb").
MAX_DOCX_PART_BYTES = 50 * 1024 * 1024
MAX_PDF_PAGES = 300
# The parts of a Word document that hold text a report cites numbers in.
DOCX_PARTS = ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class UnreadableFile(ValueError):
    """str(error) says, in the UI language, why the file cannot be read."""


def text_of(upload) -> str:
    """The text of an uploaded file (a Django `UploadedFile`), NFC-normalised."""
    if upload.size > MAX_BYTES:
        raise UnreadableFile(
            _("Tệp lớn hơn %(mb)d MB; hãy tách tệp hoặc dán phần có số văn bản.")
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    readers = {".txt": decoded_text, ".docx": docx_text, ".pdf": pdf_text}
    if suffix not in readers:
        raise UnreadableFile(_("Chỉ đọc được tệp .txt, .docx hoặc .pdf."))
    text = readers[suffix](upload.read())
    return unicodedata.normalize("NFC", text)


def decoded_text(data: bytes) -> str:
    """Plain text in the encodings Vietnamese files come in: UTF-8, UTF-16 (with or without
    its byte-order mark, as Windows Notepad saves "Unicode"), else Windows-1258."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):  # fmt: skip
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # UTF-16 without a mark: text that is mostly ASCII has a NUL in every other byte.
    sample = data[:4000]
    if len(sample) >= 4:
        odd_nuls = sample[1::2].count(0) / (len(sample) // 2)
        even_nuls = sample[0::2].count(0) / ((len(sample) + 1) // 2)
        if odd_nuls > 0.3 and even_nuls < 0.05:
            return data.decode("utf-16-le", errors="replace")
        if even_nuls > 0.3 and odd_nuls < 0.05:
            return data.decode("utf-16-be", errors="replace")
    return data.decode("cp1258", errors="replace")


def docx_text(data: bytes) -> str:
    """The paragraphs of a Word document, one per line (a table cell's paragraphs too),
    with the body's footnotes and endnotes."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if DOCX_PARTS[0] not in names:
            raise UnreadableFile(_("Tệp không phải là văn bản Word (.docx) hợp lệ."))
        lines = []
        for name in DOCX_PARTS:
            if name not in names:
                continue
            if archive.getinfo(name).file_size > MAX_DOCX_PART_BYTES:
                raise UnreadableFile(_("Văn bản Word quá lớn để đọc."))
            root = ElementTree.fromstring(archive.read(name))
            lines += [_paragraph_text(paragraph) for paragraph in root.iter(f"{_W}p")]
    except (zipfile.BadZipFile, ElementTree.ParseError, EOFError, OSError, KeyError) as error:
        logger.info("Unreadable .docx upload: %s", error)
        raise UnreadableFile(_("Tệp không phải là văn bản Word (.docx) hợp lệ.")) from error
    return "\n".join(lines)


def _paragraph_text(paragraph) -> str:
    parts = []
    for element in paragraph.iter():
        if element.tag == f"{_W}t":
            parts.append(element.text or "")
        elif element.tag == f"{_W}tab":
            parts.append("\t")
        elif element.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    return "".join(parts)


def pdf_text(data: bytes) -> str:
    """The text layer of a PDF, page after page."""
    from pypdf import PdfReader  # loaded when a PDF is uploaded, not by every worker

    if b"%PDF-" not in data[:1024]:
        raise UnreadableFile(_("Tệp không phải là PDF hợp lệ."))
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableFile(_("Tệp PDF được đặt mật khẩu; hãy gửi bản không khóa."))
        if len(reader.pages) > MAX_PDF_PAGES:
            raise UnreadableFile(
                _("Tệp PDF dài hơn %(pages)d trang; hãy tách tệp.") % {"pages": MAX_PDF_PAGES}
            )
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except UnreadableFile:
        raise
    except Exception as error:  # noqa: BLE001
        # pypdf reports a damaged file with errors of many kinds (its own, ValueError,
        # KeyError, zlib's…): all mean the same to the reviewer.
        logger.info("Unreadable PDF upload: %r", error)
        raise UnreadableFile(_("Tệp PDF bị hỏng, không đọc được.")) from error
    if not text.strip():
        raise UnreadableFile(
            _("Tệp PDF không có lớp chữ (bản scan?); hãy dán nội dung vào ô trên.")
        )
    return text
