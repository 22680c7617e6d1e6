"""The geometry field in the project's admin form: a map over the GeoJSON textarea, and
what the server says of a shape it refuses."""

import json

import pytest
from django.urls import reverse

from portal.tests.admin_forms import make_publisher, read_form
from projects.models import Project

from .factories import make_project

pytestmark = pytest.mark.django_db

LINE = {"type": "LineString", "coordinates": [[105.8, 21.0], [105.85, 21.05]]}


@pytest.fixture
def publisher_client(client, settings):
    settings.PORTAL_REQUIRE_2FA = False
    client.force_login(make_publisher())
    return client


@pytest.fixture
def bridge():
    return make_project(name="Cầu Tứ Liên", slug="cau-tu-lien", geometry=LINE)


def change_url(project) -> str:
    return reverse("admin:projects_project_change", args=[project.pk])


def test_the_form_has_the_map_over_the_textarea(publisher_client, bridge):
    response = publisher_client.get(change_url(bridge))
    html = response.content.decode()

    assert '<div class="geometry-widget" data-map="id_geometry-map-data"' in html
    assert '<textarea name="geometry"' in html  # what the form sends, script or not
    for script in (
        "vendor/leaflet/leaflet.js",
        "vendor/leaflet-geoman/leaflet-geoman.min.js",
        "js/project-map.js",
        "js/geometry-widget.js",
    ):
        assert f'<script src="/static/{script}">' in html
    form = read_form(publisher_client, change_url(bridge), Project)
    assert json.loads(form.data()["geometry"]) == LINE
    # Leaflet-Geoman's buttons are data: SVG images; only this form allows them.
    assert "img-src 'self' data:" in response["Content-Security-Policy"]
    listing = publisher_client.get(reverse("admin:projects_project_changelist"))
    assert "data:" not in listing["Content-Security-Policy"]


def test_the_map_speaks_vietnamese(publisher_client, bridge):
    response = publisher_client.get(change_url(bridge))
    html = response.content.decode()
    start = html.index('<script id="id_geometry-map-data" type="application/json">')
    words = json.loads(html[start:].split(">", 1)[1].split("</script>", 1)[0])
    assert words["geoman"]["buttonTitles"]["drawLineButton"] == "Vẽ một đường"
    assert len(words["districts"]) == 30


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ('{"type": "Point", "coordinates": [105.8, 21.0]', "Không đọc được GeoJSON"),
        ('{"type": "Polygon", "coordinates": []}', "Kiểu hình học phải là Point, LineString"),
        ('{"type": "Point", "coordinates": [21.0, 205.8]}', "vĩ độ 205.8 nằm ngoài khoảng"),
        (
            '{"type": "LineString", "coordinates": [[105.8, 21.0], [105.8, 21.0]]}',
            "mọi điểm của đường trùng nhau",
        ),
    ],
)
def test_a_bad_shape_is_refused_with_a_message_and_kept(publisher_client, bridge, typed, message):
    form = read_form(publisher_client, change_url(bridge), Project)
    response = publisher_client.post(change_url(bridge), form.data(geometry=typed))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["geometry"]
    assert any(message in error for error in errors), errors
    assert typed in response.content.decode().replace("&quot;", '"')  # nothing lost
    bridge.refresh_from_db()
    assert bridge.geometry == LINE


# A published record's change carries a note (the public change log, changes/).
NOTE = {"change_note": "Vẽ lại vị trí theo hồ sơ thiết kế."}


def test_a_drawn_shape_is_saved(publisher_client, bridge):
    drawn = {"type": "Point", "coordinates": [105.894123, 21.047456]}
    form = read_form(publisher_client, change_url(bridge), Project)
    response = publisher_client.post(
        change_url(bridge), form.data(geometry=json.dumps(drawn), **NOTE)
    )

    assert response.status_code == 302
    bridge.refresh_from_db()
    assert bridge.geometry == drawn
    form = read_form(publisher_client, change_url(bridge), Project)
    response = publisher_client.post(change_url(bridge), form.data(geometry="", **NOTE))
    assert response.status_code == 302
    bridge.refresh_from_db()
    assert bridge.geometry is None
