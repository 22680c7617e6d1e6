"""The header search box in a real browser, at phone width, on the demo data."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RIVER_PROJECT = "Xử lý ô nhiễm nước các sông nội đô Kim Ngưu, Tô Lịch, Lừ, Sét, sông Nhuệ – Đáy"


def test_header_search_without_diacritics_finds_the_river_project(live_server, page):
    call_command("load_demo", verbosity=0)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/")

    box = page.get_by_placeholder("Số văn bản hoặc từ khóa")
    box.fill("to lich")
    box.press("Enter")
    page.wait_for_url("**/search/?q=to+lich")

    assert page.locator("h1").inner_text() == "Tìm kiếm"
    projects = page.locator("#search-projects")
    assert projects.get_by_role("link", name=RIVER_PROJECT).is_visible()
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
