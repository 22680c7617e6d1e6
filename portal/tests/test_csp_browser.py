"""The Content-Security-Policy in a real browser: not one violation on any page type, in
the admin screens staff use (with their scripts doing what staff make them do), or in
Swagger UI.

Chromium reports each refusal as a `securitypolicyviolation` event, which a script added
before the page's own collects, and as a console error; both are read after every page.
The same console also says when it does not understand the Permissions-Policy header.
"""

import pytest
from django.test import Client
from django.urls import reverse

from .every_page import admin_pages, make_records, make_superuser, public_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COLLECT_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"}`
    + ` (${event.sourceFile || "?"}:${event.lineNumber}) ${event.sample}`
  );
}, true);
"""


class Watcher:
    """Everything the browser said against the portal's policies, page by page."""

    def __init__(self, context):
        self.context = context
        self.problems: dict[str, list[str]] = {}
        context.add_init_script(COLLECT_VIOLATIONS)
        self.page = context.new_page()
        self.page.on("console", self._console)

    def _console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Permissions-Policy" in text:
            self.problems.setdefault(f"console of {self.page.url}", []).append(text)

    def visit(self, name: str, url: str, then=None):
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        if then is not None:
            then(self.page)
            self.page.wait_for_load_state("networkidle")
        found = self.page.evaluate("window.__violations || []")
        if found:
            self.problems[name] = found


@pytest.fixture
def records():
    return make_records()


@pytest.fixture
def watcher(browser):
    context = browser.new_context(locale="vi-VN")
    yield Watcher(context)
    context.close()


def _switch_to_english(page):
    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/")


def _search_from_the_header(page):
    box = page.locator("#site-search-q")
    box.fill("341 KH TU")
    box.press("Enter")
    page.wait_for_load_state("networkidle")


def _filter_and_pick_a_format(page):
    """The browsable API's filter dialog, submitted; then its list of formats."""
    page.get_by_role("button", name="Filters").click()
    dialog = page.locator("#filtersModal")
    dialog.wait_for(state="visible")
    dialog.locator("[type=submit]").click()
    page.wait_for_load_state("networkidle")
    page.locator("#get-form .dropdown-toggle").click()
    page.locator("#get-form .dropdown-menu").wait_for(state="visible")


def _try_an_operation(page):
    """Open the documents list operation, "Try it out", "Execute": Swagger UI renders
    the answer it fetched."""
    operation = page.locator(".opblock").first
    operation.wait_for()
    operation.locator(".opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.locator(".execute").click()
    page.locator(".responses-wrapper .live-responses-table").wait_for()


def test_public_pages_and_api_docs_run_without_a_violation(live_server, watcher, records):
    after = {
        "home": _switch_to_english,
        "search": _search_from_the_header,
        "browsable API": _filter_and_pick_a_format,
        "API docs": _try_an_operation,
    }
    pages = public_pages(records)
    for name, path in pages.items():
        watcher.visit(name, live_server.url + path, then=after.get(name))

    assert watcher.problems == {}
    # The pages really ran: Swagger UI drew the API from its schema.
    watcher.visit("API docs", live_server.url + pages["API docs"])
    assert watcher.page.locator(".opblock").count() >= 5


def _exercise_the_form(page):
    """What staff do on a change form: add a row to each inline, open an autocomplete,
    the calendar and the two-list chooser."""
    for link in page.locator(".add-row a").all():
        if link.is_visible():
            link.click()
    chooser = page.locator(".select2-selection:visible").first
    if chooser.count():
        chooser.click()
        page.locator(".select2-results__option").first.wait_for()
        page.keyboard.press("Escape")
    calendar = page.locator(".date-icon:visible").first
    if calendar.count():
        calendar.click()
        page.locator(".calendarbox:visible").first.wait_for()
    move_all = page.locator(".selector-chooseall:enabled, .selector-clearall:enabled").first
    if move_all.count():
        move_all.click()


def _import_a_bad_file(page):
    page.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "so-dang-ky.csv",
                "mimeType": "text/csv",
                "buffer": "number,issued_on,title\n12-KH/TU,31/02/2025,Ngày không có\n".encode(),
            }
        ]
    )
    page.locator("input[type=submit]").last.click()
    page.wait_for_load_state("networkidle")


def test_admin_screens_run_without_a_violation(live_server, watcher, records, settings):
    # The superuser's session comes from the test: the second factor is not what is tested.
    settings.PORTAL_REQUIRE_2FA = False
    client = Client()
    client.force_login(make_superuser())
    watcher.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    pages = admin_pages(records)
    forms = {"document", "new document", "meeting", "vote", "indicator", "project"}
    forms |= {"new project", "person", "page", "value grid, a period"}
    for name, path in pages.items():
        if name in forms:
            then = _exercise_the_form
        elif name.endswith("import"):
            then = _import_a_bad_file
        else:
            then = None
        watcher.visit(name, live_server.url + path, then=then)

    assert watcher.problems == {}
    # Signed in, on the real screens: the document's form has its inlines and chooser.
    watcher.visit("document", live_server.url + pages["document"])
    assert watcher.page.locator(".inline-group").count() == 3
    assert watcher.page.locator(".selector").count() == 1


def test_admin_sign_in_page_runs_without_a_violation(live_server, watcher):
    watcher.visit("admin login", live_server.url + reverse("admin:login"))

    assert watcher.problems == {}
    assert watcher.page.locator("#login-form").is_visible()


def test_a_violation_is_caught_when_there_is_one(live_server, watcher, records):
    """The net has no hole: an inline style, as the progress bar once had, is reported."""
    watcher.visit("home", live_server.url + "/")
    watcher.page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')"
    )
    watcher.page.wait_for_timeout(100)

    found = watcher.page.evaluate("window.__violations")
    assert len(found) == 1
    assert found[0].startswith("style-src-attr refused inline")
