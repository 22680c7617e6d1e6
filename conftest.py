"""Test-wide set-up: environment defaults, plain static storage, and the browser harness."""

import shutil

import pytest
from django.utils import translation

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Serve static files by name: the hashed manifest exists only after collectstatic."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in Vietnamese: a request in English leaves English active in the
    thread, and messages built outside a request would follow whichever test ran before."""
    translation.activate("vi")
    yield
    translation.deactivate()


def pytest_collection_modifyitems(items):
    """Every test that drives Chromium carries the `browser` mark, whether or not its module
    says so: CI runs them once, on SQLite (.ci/run)."""
    for item in items:
        if {"browser", "page"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium is not installed: `apt-get install chromium` (see README).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    yield page
    context.close()
