"""The home page in a real browser: phone and desktop widths, keyboard use, language."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_HORIZONTAL_SCROLL = (
    "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
)


@pytest.mark.parametrize("width", [360, 1280])
def test_home_has_no_horizontal_scroll(live_server, page, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + "/")
    assert page.locator("h1").is_visible()
    assert page.evaluate(NO_HORIZONTAL_SCROLL)


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(live_server, page):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert skip.is_visible()

    page.keyboard.press("Enter")

    # The jump and the focus follow the key press a moment later: wait for them.
    expect(page).to_have_url(re.compile(r"#main$"))
    expect(page.locator("#main")).to_be_focused()


def test_navigation_works_from_the_keyboard(live_server, page):
    page.goto(live_server.url + "/")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Văn bản":
            break
    else:
        pytest.fail("Tab never reached the 'Văn bản' link")

    page.keyboard.press("Enter")
    page.wait_for_url("**/documents/")


def test_language_switch_turns_the_page_into_english_and_back(live_server, page):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "vi"

    page.get_by_role("button", name="English").click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.url == live_server.url + "/en/"
    assert page.locator("h1").inner_text().startswith("What the city government decides")
    assert page.get_by_role("link", name="Documents", exact=True).is_visible()

    page.get_by_role("button", name="Tiếng Việt").click()
    page.wait_for_function("document.documentElement.lang === 'vi'")
    assert page.url == live_server.url + "/"
    assert page.locator("h1").inner_text().startswith("Chính quyền thành phố quyết định gì")
