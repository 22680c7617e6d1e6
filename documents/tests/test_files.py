"""Office uploads are judged without inflating them: a zip bomb is refused from its
directory, before any entry is read, and the check's memory stays flat."""

import io
import resource
import struct
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ..admin import AttachmentForm
from ..files import MAX_ZIP_ENTRIES, FileRejected, sniff

MB = 1024 * 1024
ODT_TYPE = b"application/vnd.oasis.opendocument.text"


def _package(members: dict[str, bytes], *, bomb: str = "", bomb_mb: int = 200) -> bytes:
    """A deflated ZIP package; `bomb` names an entry of `bomb_mb` MB of zeros, written
    a megabyte at a time so that building it costs no memory either."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
        if bomb:
            with archive.open(bomb, "w") as entry:
                zeros = bytes(MB)
                for _ in range(bomb_mb):
                    entry.write(zeros)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def docx_bomb() -> bytes:
    """A 200 KB .docx whose document.xml unpacks to 200 MB of zeros."""
    data = _package({"[Content_Types].xml": b"<Types/>"}, bomb="word/document.xml")
    assert len(data) < 300 * 1024
    return data


def _lying(data: bytes, member: str, size: int) -> bytes:
    """`data` with `member`'s sizes in its local header and in the central directory
    rewritten to `size`: a header that lies about how much the entry unpacks to."""
    data = bytearray(data)
    name = member.encode()
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<L", data, central + 24, size)
    local = struct.unpack_from("<L", data, central + 42)[0]
    struct.pack_into("<L", data, local + 22, size)
    return bytes(data)


def _measured(check) -> tuple[int, int, str]:
    """(peak bytes allocated by Python during `check`, growth of the process's peak RSS
    in bytes, the refusal's message); `check` must raise FileRejected."""
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    try:
        with pytest.raises(FileRejected) as refused:
            check()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    rss_growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) * 1024
    return peak, rss_growth, str(refused.value)


def test_a_zip_bomb_is_refused_without_inflating_it(docx_bomb):
    peak, rss_growth, message = _measured(lambda: sniff(io.BytesIO(docx_bomb), "ke-hoach.docx"))
    assert message == (
        "Tệp “ke-hoach.docx” giải nén ra 200 MB, quá giới hạn 100 MB (có thể là tệp nén độc "
        "hại): không nhận."
    )
    # Inflating it took a worker from 84 to 454 MB; the check reads only the directory.
    assert peak < 1 * MB
    assert rss_growth < 20 * MB


def test_a_bomb_in_the_one_entry_that_is_read_is_refused_before_reading(docx_bomb):
    """An OpenDocument's `mimetype` is the one entry sniff reads: 200 MB there used to be
    read whole."""
    data = _package({}, bomb="mimetype")
    peak, rss_growth, message = _measured(lambda: sniff(io.BytesIO(data), "van-ban.odt"))
    assert "giải nén ra 200 MB" in message
    assert peak < 1 * MB and rss_growth < 20 * MB


def test_a_header_that_lies_about_the_size_cannot_inflate_memory():
    """The directory says `mimetype` is 39 bytes; it holds 200 MB of zeros. The read is
    bounded, so the check still costs nothing and the file is refused."""
    data = _lying(_package({}, bomb="mimetype"), "mimetype", len(ODT_TYPE))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.getinfo("mimetype").file_size == len(ODT_TYPE)
    peak, rss_growth, message = _measured(lambda: sniff(io.BytesIO(data), "van-ban.odt"))
    assert message == "Nội dung tệp “van-ban.odt” không phải là tệp .odt hợp lệ."
    assert peak < 1 * MB and rss_growth < 20 * MB


def test_too_many_entries_are_refused_from_the_end_record():
    members = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}
    members |= {f"word/media/{n}.xml": b"" for n in range(MAX_ZIP_ENTRIES)}
    with pytest.raises(FileRejected, match="quá nhiều phần nén"):
        sniff(io.BytesIO(_package(members)), "nhieu-phan.docx")


def test_a_zip64_package_is_counted_from_its_zip64_record(monkeypatch):
    # zipfile writes ZIP64 end records above this many entries; lower it to write one.
    monkeypatch.setattr(zipfile, "ZIP_FILECOUNT_LIMIT", 1)
    small = _package({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
    assert b"PK\x06\x06" in small
    assert sniff(io.BytesIO(small), "nho.docx").extension == "docx"
    members = {"word/document.xml": b"<w/>"} | {
        f"word/{n}.xml": b"" for n in range(MAX_ZIP_ENTRIES)
    }
    with pytest.raises(FileRejected, match="quá nhiều phần nén"):
        sniff(io.BytesIO(_package(members)), "nhieu-phan.docx")


def test_a_real_office_file_under_the_caps_is_accepted():
    data = _package(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": "<w:p>Kế hoạch</w:p>".encode() * 1000,
        },
        bomb="word/media/image1.png",
        bomb_mb=20,
    )
    stream = io.BytesIO(data)
    assert sniff(stream, "ke-hoach.docx").extension == "docx"
    assert stream.tell() == 0
    odt = _package({"mimetype": ODT_TYPE, "content.xml": b"<x/>"})
    assert sniff(io.BytesIO(odt), "van-ban.odt").extension == "odt"


def test_the_attachment_form_shows_staff_why(docx_bomb):
    upload = SimpleUploadedFile("ke-hoach.docx", docx_bomb)
    form = AttachmentForm(data={"order": 0}, files={"file": upload})
    assert not form.is_valid()
    assert form.errors["file"] == [
        "Tệp “ke-hoach.docx” giải nén ra 200 MB, quá giới hạn 100 MB (có thể là tệp nén độc "
        "hại): không nhận."
    ]
