"""The maps in a real browser: a project's features drawn with no tiles configured (a
plain background, the district names, a scale bar), the places listed without JavaScript,
a 360 px phone, and staff drawing a line in the admin that the form then saves. Not one
Content-Security-Policy refusal on the way."""

import json

import pytest
from django.conf import settings
from django.test import Client

from portal.publication import PublicationStatus
from portal.tests.axe import axe_context, report
from portal.tests.axe import violations as axe_violations
from portal.tests.every_page import make_superuser
from portal.tests.test_csp_browser import COLLECT_VIOLATIONS
from projects.models import Project

from .factories import make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RING_NAME = "Dự án đầu tư xây dựng đường Vành đai 4 – Vùng Thủ đô Hà Nội, đoạn qua Hà Nội"
RING = {
    "type": "MultiLineString",
    "coordinates": [
        [[105.7030, 21.0300], [105.7140, 21.1840]],
        [[105.8480, 21.1370], [105.9450, 21.0210]],
    ],
}
BRIDGE = {"type": "Point", "coordinates": [105.8941, 21.0471]}


@pytest.fixture
def shapes(settings):
    settings.PORTAL_MAP_TILES = ""
    ring = make_project(
        name=RING_NAME,
        slug="vanh-dai-4",
        is_key=True,
        location="Các huyện Mê Linh, Đông Anh, Gia Lâm, Hoài Đức",
        geometry=RING,
    )
    make_project(name="Cầu Tứ Liên", slug="cau-tu-lien", geometry=BRIDGE)
    return ring


@pytest.fixture
def watched(browser):
    """A page that records every CSP refusal (see portal/tests/test_csp_browser.py)."""
    context = browser.new_context(locale="vi-VN")
    context.add_init_script(COLLECT_VIOLATIONS)
    yield context.new_page()
    context.close()


def violations(page) -> list[str]:
    return page.evaluate("window.__violations")


def inside(box, outer) -> bool:
    return (
        outer["x"] <= box["x"]
        and box["x"] + box["width"] <= outer["x"] + outer["width"] + 1
        and outer["y"] <= box["y"]
        and box["y"] + box["height"] <= outer["y"] + outer["height"] + 1
    )


def test_a_projects_features_are_drawn_without_tiles(live_server, shapes, watched):
    page = watched
    page.goto(live_server.url + shapes.get_absolute_url())
    area = page.locator(".project-map.leaflet-container")
    area.wait_for()

    assert "project-map--plain" in area.get_attribute("class")
    assert page.locator("img.leaflet-tile").count() == 0
    # The ring road is one feature of two sections: one path, moved to twice.
    line = area.locator("path.project-map__line")
    assert line.count() == 1
    assert line.get_attribute("d").count("M") == 2
    assert inside(line.bounding_box(), area.bounding_box())
    labels = area.locator(".project-map__district").all_text_contents()
    assert {"Mê Linh", "Đông Anh", "Gia Lâm", "Hoài Đức"} <= set(labels)
    scale = area.locator(".leaflet-control-scale-line")
    assert scale.is_visible() and scale.inner_text().endswith(("km", "m"))
    # A click on the line names the project and links to it. (Its box's middle falls
    # between the two sections: the event is sent to the line itself.)
    line.dispatch_event("click")
    popup = area.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator("a").inner_text() == RING_NAME
    assert violations(page) == []


def test_the_map_page_draws_every_project_and_fits_a_phone(live_server, shapes, watched):
    page = watched
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(live_server.url + "/projects/map/")
    area = page.locator(".project-map.leaflet-container")
    area.wait_for()

    assert area.locator("path.project-map__line").count() == 1
    assert area.locator("path.project-map__place").count() == 1
    for path in area.locator("path").all():
        assert inside(path.bounding_box(), area.bounding_box())
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    assert area.bounding_box()["width"] <= 360
    assert violations(page) == []


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_drawn_map_page_passes_axe_on_a_phone(live_server, shapes, browser, language):
    context = axe_context(browser, viewport={"width": 360, "height": 800}, locale="vi-VN")
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/projects/map/")
    page.locator(".project-map.leaflet-container").wait_for()
    try:
        assert page.locator("html").get_attribute("lang") == language
        found = axe_violations(page)
        assert found == [], report(found)
    finally:
        context.close()


def test_without_javascript_the_places_are_listed(live_server, shapes, browser):
    context = browser.new_context(locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(live_server.url + "/projects/map/")

    assert not page.locator(".project-map").is_visible()
    places = page.locator(".project-places li")
    assert places.count() == 2
    ring, bridge = places.all_inner_texts()
    assert RING_NAME in ring
    assert "Khu vực (gần đúng): Hoài Đức, Mê Linh, Đông Anh, Gia Lâm" in ring
    assert "Cầu Tứ Liên" in bridge and "Một điểm: vĩ độ 21,04710; kinh độ 105,89410." in bridge
    assert page.get_by_role("link", name=RING_NAME).is_visible()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    context.close()


def test_staff_draw_a_line_and_the_form_saves_it(live_server, watched, settings):
    settings.PORTAL_REQUIRE_2FA = False
    settings.PORTAL_MAP_TILES = ""
    project = make_project(
        name="Cầu Vân Phúc", slug="cau-van-phuc", status=PublicationStatus.DRAFT
    )
    client = Client()
    client.force_login(make_superuser())
    page = watched
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(f"{live_server.url}/admin/projects/project/{project.pk}/change/")
    area = page.locator(".geometry-widget .leaflet-container")
    area.wait_for()
    area.scroll_into_view_if_needed()
    assert page.locator("#id_geometry").input_value() == ""

    page.locator(".leaflet-pm-icon-polyline").click()
    box = area.bounding_box()
    for dx, dy in ((0.3, 0.4), (0.5, 0.6), (0.7, 0.5)):
        page.mouse.click(box["x"] + box["width"] * dx, box["y"] + box["height"] * dy)
    page.locator(".action-finish:visible").click()

    drawn = json.loads(page.locator("#id_geometry").input_value())
    assert drawn["type"] == "LineString"
    assert len(drawn["coordinates"]) == 3
    west, middle, east = drawn["coordinates"]
    assert west[0] < middle[0] < east[0]  # drawn left to right
    assert middle[1] < east[1] < west[1]  # down, then up a little
    page.locator("input[name=_continue]").click()
    page.wait_for_load_state("networkidle")

    project.refresh_from_db()
    assert project.geometry == drawn
    assert all(105 < lon < 107 and 20 < lat < 22 for lon, lat in drawn["coordinates"])
    # Back on the form, the saved line is drawn again.
    page.locator(".geometry-widget .leaflet-overlay-pane path").wait_for()
    assert violations(page) == []
    assert Project.objects.get(pk=project.pk).geometry["type"] == "LineString"
