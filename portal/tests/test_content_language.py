"""Records are written in Vietnamese: in the English interface their titles, names and
summaries carry `lang="vi"` (WCAG 3.1.2), so a screen reader reads them with Vietnamese
rules, while the interface's own words stay English."""

from html.parser import HTMLParser

import pytest
from django.utils import translation

from .every_page import make_records, public_pages

pytestmark = pytest.mark.django_db

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class LanguageReader(HTMLParser):
    """The text of the page's body, each run with the language it is marked in.

    Charts are left out: an SVG's title mixes the interface's words with the record's
    (indicators/charts.py) and is read as one label."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []
        self.runs: list[tuple[str, str]] = []
        self.in_body = False

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.in_body = True
        if tag in VOID:
            return
        language = dict(attrs).get("lang") or (self.stack[-1][1] if self.stack else "")
        self.stack.append((tag, language))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        tags = {tag for tag, _ in self.stack}
        if self.in_body and data.strip() and self.stack and not tags & {"script", "svg"}:
            self.runs.append((self.stack[-1][1], " ".join(data.split())))


def runs_of(client, url) -> list[tuple[str, str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    reader = LanguageReader()
    reader.feed(response.content.decode())
    return reader.runs


def languages_of(runs, text) -> set[str]:
    found = {language for language, run in runs if text in run}
    assert found, f"{text!r} is not on the page"
    return found


@pytest.fixture
def records():
    return make_records()


@pytest.fixture
def english_pages(records) -> dict[str, str]:
    """Every public page's English address (`/en/…`)."""
    with translation.override("en"):
        pages = public_pages(records)
    assert pages["document"].startswith("/en/documents/")
    return pages


def content_by_page(records) -> dict[str, list[str]]:
    """What each page shows of the records: their own words, in Vietnamese."""
    plan, meeting, project = records.plan, records.meeting, records.project
    item = meeting.agenda_items.get()
    return {
        "home": [meeting.title, plan.title, project.name],
        "documents": [plan.title],
        "document": [plan.title, plan.summary, plan.issuer.name, meeting.title],
        "meetings": [meeting.title],
        "meeting": [
            meeting.title,
            item.title,
            item.outcome,
            plan.title,
            records.vote.question,
            records.person.full_name,
        ],
        "indicators": [records.indicator.name],
        "indicator": [records.indicator.name],
        "projects": [project.name],
        "project": [project.name, "Khởi công", records.decision.title],
        "person": [records.person.full_name, "Phó Bí thư Thường trực Thành ủy"],
        "page": [records.page.title],
        "search": [project.name],
    }


def test_vietnamese_content_is_marked_in_the_english_interface(client, records, english_pages):
    for name, texts in content_by_page(records).items():
        runs = runs_of(client, english_pages[name])
        for text in texts:
            assert languages_of(runs, text) == {"vi"}, (name, text)


@pytest.mark.parametrize(
    ("name", "interface_text"),
    [
        ("meeting", "Agenda"),
        ("indicator", "Figures by period"),
        ("project", "Milestones"),
        ("document", "Related documents"),
    ],
)
def test_the_interface_around_it_stays_english(client, english_pages, name, interface_text):
    runs = runs_of(client, english_pages[name])
    assert languages_of(runs, interface_text) == {"en"}
