"""The English catalogue is complete and faithful, and the key pages read in English.

The catalogue is read with a small parser (no polib in the dependencies) and compared with
the compiled `.mo` through the standard library's `gettext`.
"""

import ast
import gettext
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

LOCALE_DIR = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO_PATH = LOCALE_DIR / "django.po"
MO_PATH = LOCALE_DIR / "django.mo"


# --- a small .po reader ---------------------------------------------------------------


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The key gettext uses in the `.mo` for this entry."""
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")


def _unquote(text: str) -> str:
    # A PO string is a C string; its escapes are a subset of Python's.
    return ast.literal_eval(text)


def parse_po(path: Path) -> list[Entry]:
    """The active entries of a .po file (obsolete `#~` and previous `#|` lines skipped)."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int | None] | None = None

    def finish():
        nonlocal current, target
        if current is not None:
            entries.append(current)
        current, target = None, None

    def append(text: str):
        name, index = target
        if name == "msgstr":
            current.msgstr[index] = current.msgstr.get(index, "") + text
        else:
            setattr(current, name, (getattr(current, name) or "") + text)

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
        elif line.startswith("#~") or line.startswith("#|"):
            continue
        elif line.startswith("#,"):
            if current is not None and target is not None:
                finish()
            current = current or Entry(line=number)
            current.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
        elif line.startswith("#"):
            if current is not None and target is not None:
                finish()
            current = current or Entry(line=number)
        elif line.startswith('"'):
            assert target is not None, f"{path}:{number}: string outside an entry"
            append(_unquote(line))
        else:
            match = KEYWORD.match(line)
            assert match, f"{path}:{number}: cannot read {line!r}"
            keyword, index, text = match.groups()
            if keyword in ("msgctxt", "msgid") and target is not None and target[0] == "msgstr":
                finish()
            current = current or Entry(line=number)
            if keyword.startswith("msgstr"):
                target = ("msgstr", int(index) if index is not None else 0)
                current.msgstr.setdefault(target[1], "")
            else:
                target = (keyword, None)
                setattr(current, keyword, "")
            append(_unquote(text))
    finish()
    return entries


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    parsed = parse_po(PO_PATH)
    header = [e for e in parsed if e.msgid == "" and e.msgctxt is None]
    assert header, "the catalogue has no header entry"
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header[0].msgstr[0]
    messages = [e for e in parsed if not (e.msgid == "" and e.msgctxt is None)]
    assert len(messages) > 100, "the parser read too few entries"
    return messages


def where(entry: Entry) -> str:
    return f"{PO_PATH.name}:{entry.line} {entry.msgid[:60]!r}"


# --- (a) complete, not fuzzy, and compiled -------------------------------------------


def test_the_catalogue_has_no_fuzzy_entry(entries):
    fuzzy = [where(e) for e in entries if "fuzzy" in e.flags]
    assert not fuzzy, "fuzzy entries (check, then drop the flag):\n" + "\n".join(fuzzy)


def test_every_entry_is_translated(entries):
    empty = []
    for entry in entries:
        forms = 2 if entry.msgid_plural is not None else 1
        strings = [entry.msgstr.get(n, "") for n in range(forms)]
        if not all(s.strip() for s in strings):
            empty.append(where(entry))
    assert not empty, "entries without an English translation:\n" + "\n".join(empty)


def test_the_compiled_catalogue_matches_the_po_file(entries):
    """`compilemessages` was run after the last change to the .po file."""
    with MO_PATH.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in entries:
        if entry.msgid_plural is None:
            if compiled.gettext(entry.key) != entry.msgstr[0]:
                stale.append(where(entry))
        else:
            one = compiled.ngettext(entry.key, entry.msgid_plural, 1)
            many = compiled.ngettext(entry.key, entry.msgid_plural, 5)
            if (one, many) != (entry.msgstr[0], entry.msgstr[1]):
                stale.append(where(entry))
    assert not stale, "run `manage.py compilemessages`; stale in the .mo:\n" + "\n".join(stale)


# --- (b) placeholders survive translation ------------------------------------------------

NAMED = re.compile(r"%\(\w+\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
# Bare directives as the code uses them; "% so với" (a percent sign before a word) is text.
POSITIONAL = re.compile(r"%[#0+-]*\d*(?:\.\d+)?[dsfir]")
BRACED = re.compile(r"\{\w*\}")


def placeholders(text: str, python_format: bool) -> list[str]:
    found = sorted(BRACED.findall(text))
    if python_format:
        rest = text.replace("%%", "")
        found += sorted(NAMED.findall(rest))
        found += sorted(POSITIONAL.findall(NAMED.sub("", rest)))
        found += ["%%"] * text.count("%%")
    return found


def test_placeholders_match_between_msgid_and_msgstr(entries):
    wrong = []
    for entry in entries:
        python_format = "python-format" in entry.flags
        sources = {0: entry.msgid}
        if entry.msgid_plural is not None:
            sources = {0: entry.msgid, 1: entry.msgid_plural}
        for index, source in sources.items():
            expected = placeholders(source, python_format)
            got = placeholders(entry.msgstr.get(index, ""), python_format)
            if expected != got:
                wrong.append(f"{where(entry)}[{index}]: {expected} != {got}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_html_tags_are_kept(entries):
    tag = re.compile(r"</?\w+[^>]*>")
    wrong = [
        where(e)
        for e in entries
        if sorted(tag.findall(e.msgid)) != sorted(tag.findall(e.msgstr.get(0, "")))
    ]
    assert not wrong, "HTML differs between msgid and msgstr:\n" + "\n".join(wrong)


def test_the_parser_reads_placeholders_it_should():
    assert placeholders("Trang %(n)s/%(total)s", True) == ["%(n)s", "%(total)s"]
    assert placeholders("Hoàn thành %(percent)s%%", True) == ["%(percent)s", "%%"]
    assert placeholders("Lỗi định dạng CSV: %s", True) == ["%s"]
    assert placeholders("% so với cùng kỳ năm trước", True) == []
    assert placeholders("{name} và {count}", False) == ["{count}", "{name}"]


# --- (c) key pages in English --------------------------------------------------------------

# Vietnamese UI words that must not remain once English is chosen. Each is checked on the
# Vietnamese page first, so a renamed string cannot make the check pass by accident. Staff
# content (titles, names, document summaries) stays Vietnamese and is not checked.
COMMON_VI = ["Trang chủ", "Tìm kiếm", "Bỏ qua, đến nội dung chính", "Dành cho cán bộ"]
COMMON_EN = ["Home", "Search", "Skip to main content", "Staff sign-in"]


def _document():
    from documents.models import Document

    return Document.objects.get(display="341-KH/TU")


def _visible_text(page: str) -> str:
    """Text a reader meets: element text and the attributes read aloud or shown."""
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    attributes = re.findall(r'(?:aria-label|placeholder|title|alt|value)="([^"]*)"', page)
    text = re.sub(r"<[^>]+>", "\n", page)
    return html.unescape("\n".join([text, *attributes]))


PAGES = [
    pytest.param(
        lambda: reverse("portal:home"),
        ["What the city government decides", "Latest documents", "Latest meetings"],
        ["Văn bản mới", "Hội nghị mới nhất", "Tất cả văn bản", "Chỉ tiêu chính"],
        id="home",
    ),
    pytest.param(
        lambda: reverse("documents:list"),
        ["<h1>Documents</h1>", "Number and symbol, or keywords", "Clear filters"],
        ["Số, ký hiệu hoặc từ khóa", "Xóa bộ lọc", "Loại văn bản", "Cơ quan ban hành"],
        id="documents",
    ),
    pytest.param(
        lambda: _document().get_absolute_url(),
        ["Document details", "Number and symbol", "Date issued", "In-force status"],
        ["Thông tin văn bản", "Ngày ban hành", "Tình trạng hiệu lực", "Còn hiệu lực"],
        id="document-detail",
    ),
    pytest.param(
        lambda: reverse("meetings:list"),
        ["<h1>Meetings</h1>", "Filter meetings", "agenda items"],
        ["Lọc hội nghị", "Loại hội nghị", "chưa có ngày", "Chỉ gồm các hội nghị đã có ngày."],
        id="meetings",
    ),
    pytest.param(
        lambda: reverse("indicators:list"),
        ["Socio-economic indicators", "Reporting period", "Scenario met"],
        ["Chỉ tiêu kinh tế - xã hội", "Kỳ báo cáo", "Đạt kịch bản", "Đơn vị:"],
        id="indicators",
    ),
    pytest.param(
        lambda: reverse("projects:list"),
        ["<h1>Infrastructure projects</h1>", "Sector", "Not enough information to assess"],
        ["Dự án hạ tầng", "Lĩnh vực", "Tình trạng thực hiện", "Bỏ lọc"],
        id="projects",
    ),
]


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "english", "vietnamese"), PAGES)
def test_key_pages_read_in_english(client, demo, url, english, vietnamese):
    address = url()
    vietnamese_page = client.get(address)
    assert vietnamese_page.status_code == 200
    vi_text = _visible_text(vietnamese_page.content.decode())
    for phrase in [*COMMON_VI, *vietnamese]:
        assert phrase in vi_text, f"{phrase!r} is no longer on the Vietnamese page"

    # The switch lands on the same page at its English address.
    response = client.post(
        reverse("set_language"), {"language": "en", "next": address}, follow=True
    )
    assert response.redirect_chain == [(f"/en{address}", 302)]
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en">' in page
    for heading in english:
        assert heading in page, f"{heading!r} missing from the English page {address}"
    text = _visible_text(page)
    for phrase in COMMON_EN:
        assert phrase in text
    left = [phrase for phrase in [*COMMON_VI, *vietnamese] if phrase in text]
    assert not left, f"Vietnamese UI text left on the English page {address}: {left}"
    # The search button ("Tìm") is a word of its own, not part of a staff-entered title.
    assert not re.search(r">\s*Tìm\s*<", page)
