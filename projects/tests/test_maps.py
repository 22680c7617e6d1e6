"""The map's rules in plain functions: distances, areas, features, the settings' checks."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from projects.geometry import validate_geometry
from projects.map_config import District, read_districts, tile_source
from projects.maps import (
    distance_km,
    districts_near,
    feature,
    feature_collection,
    length_km,
    lines_of,
    map_data,
    place_of,
)
from projects.models import Project, Sector

ROOT = Path(__file__).resolve().parents[2]
HOAN_KIEM = [105.852, 21.029]  # the label points of the bundled Hanoi file
LONG_BIEN = [105.894, 21.047]
RING_ROAD = {
    "type": "MultiLineString",
    "coordinates": [[[105.70, 21.05], [105.75, 21.07]], [[105.80, 21.10], [105.85, 21.12]]],
}


def project(geometry, **fields) -> Project:
    values = {"name": "Cầu Tứ Liên", "slug": "cau-tu-lien", "sector": Sector.BRIDGE}
    return Project(geometry=geometry, **(values | fields))


def test_lines_of_every_shape():
    assert lines_of(None) == []
    assert lines_of({"type": "Point", "coordinates": HOAN_KIEM}) == [[HOAN_KIEM]]
    assert lines_of({"type": "LineString", "coordinates": [HOAN_KIEM, LONG_BIEN]}) == [
        [HOAN_KIEM, LONG_BIEN]
    ]
    assert len(lines_of(RING_ROAD)) == 2


def test_distances_are_on_the_earth():
    # One degree of latitude is 111.2 km; Hoàn Kiếm to Long Biên about 4.8 km.
    assert distance_km([105.0, 20.0], [105.0, 21.0]) == pytest.approx(111.19, abs=0.01)
    assert distance_km(HOAN_KIEM, LONG_BIEN) == pytest.approx(4.76, abs=0.05)
    assert length_km({"type": "Point", "coordinates": HOAN_KIEM}) == 0
    two_sections = length_km(RING_ROAD)
    first = distance_km([105.70, 21.05], [105.75, 21.07])
    second = distance_km([105.80, 21.10], [105.85, 21.12])
    assert two_sections == pytest.approx(first + second)  # the gap between them is not counted


def test_districts_are_the_nearest_names_in_the_order_passed():
    districts = (
        District("Hoàn Kiếm", *HOAN_KIEM),
        District("Long Biên", *LONG_BIEN),
        District("Ba Vì", 105.397, 21.163),
    )
    bridge = {"type": "LineString", "coordinates": [[105.85, 21.03], [105.86, 21.04], LONG_BIEN]}
    assert districts_near(bridge, districts) == ["Hoàn Kiếm", "Long Biên"]
    # Farther than DISTRICT_REACH_KM from every name: no area is claimed.
    far_away = {"type": "Point", "coordinates": [106.68, 20.86]}  # Hải Phòng
    assert districts_near(far_away, districts) == []
    assert districts_near(bridge, ()) == []
    # A surveyed line of 4,000 positions is read a kilometre at a time, in the same order.
    surveyed = {
        "type": "LineString",
        "coordinates": [[105.85 + i / 100_000, 21.03 + i / 200_000] for i in range(4000)],
    }
    assert districts_near(surveyed, districts) == ["Hoàn Kiếm", "Long Biên"]


def test_a_place_in_words():
    place = place_of(project(RING_ROAD))
    assert (place.kind, place.sections, place.is_point) == ("MultiLineString", 2, False)
    assert place.start == [105.70, 21.05]
    assert place.end == [105.85, 21.12]
    assert place.length_km == pytest.approx(length_km(RING_ROAD))
    # The bundled Hanoi names: the west end is by Hoài Đức, the east end by Đông Anh.
    assert place.districts[0] in {"Hoài Đức", "Bắc Từ Liêm", "Đan Phượng"}
    assert place_of(project(None)) is None


def test_a_feature_has_public_fields_only():
    shape = {"type": "Point", "coordinates": HOAN_KIEM}
    ring = project(shape, location="Phường Hoàn Kiếm", is_key=True, behind_statement="nội bộ")
    found = feature(ring, "/projects/cau-tu-lien/")
    assert found == {
        "type": "Feature",
        "id": "cau-tu-lien",
        "geometry": shape,
        "properties": {
            "name": "Cầu Tứ Liên",
            "url": "/projects/cau-tu-lien/",
            "sector": "bridge",
            "stage": "",
            "is_key": True,
            "location": "Phường Hoàn Kiếm",
        },
    }
    assert feature(project(None), "/x/")["geometry"] is None


def test_a_collection_leaves_out_projects_without_a_shape():
    shaped = project(RING_ROAD, slug="vanh-dai-4")
    collection = feature_collection([project(None), shaped], lambda p: f"/{p.slug}/")
    assert collection["type"] == "FeatureCollection"
    assert [f["id"] for f in collection["features"]] == ["vanh-dai-4"]


def test_without_tiles_the_map_gets_the_district_names(settings):
    settings.PORTAL_MAP_TILES = ""
    data = map_data({"type": "FeatureCollection", "features": []})
    assert data["tiles"] == ""
    names = [d["name"] for d in data["districts"]]
    assert len(names) == 30 and "Hoàn Kiếm" in names and "Ba Vì" in names
    settings.PORTAL_MAP_TILES = "https://tiles.example.gov.vn/{z}/{x}/{y}.png"
    settings.PORTAL_MAP_ATTRIBUTION = "© Sở Xây dựng"
    data = map_data({"type": "FeatureCollection", "features": []})
    assert data["tiles"] == settings.PORTAL_MAP_TILES
    assert data["attribution"] == "© Sở Xây dựng"
    assert data["districts"] == []  # the tiles name the places


@pytest.mark.parametrize(
    ("template", "source"),
    [
        ("https://tiles.example.gov.vn/{z}/{x}/{y}.png", "https://tiles.example.gov.vn"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("https://maps.example.vn:8443/wmts/{z}/{y}/{x}?key=a", "https://maps.example.vn:8443"),
    ],
)
def test_the_tile_host_is_the_csp_source(template, source):
    assert tile_source(template) == source


@pytest.mark.parametrize(
    ("template", "says"),
    [
        ("http://tiles.example.gov.vn/{z}/{x}/{y}.png", "https://"),
        ("tiles.example.gov.vn/{z}/{x}/{y}.png", "https://"),
        ("https://tiles.example.gov.vn/{z}/{x}.png", "lacks {y}"),
        ("https://{a}.example.gov.vn/{z}/{x}/{y}.png", "only {s}"),
        ("https://user@tiles.example.gov.vn/{z}/{x}/{y}.png", "only {s}"),
    ],
)
def test_a_wrong_tile_template_is_refused(template, says):
    with pytest.raises(ValueError, match=says.replace("{", r"\{").replace("}", r"\}")):
        tile_source(template)


def test_plain_http_tiles_only_in_debug():
    assert tile_source("http://localhost:8080/{z}/{x}/{y}.png", allow_http=True) == (
        "http://localhost:8080"
    )


def test_the_bundled_districts_are_read(tmp_path):
    assert len(settings.PORTAL_MAP_DISTRICTS) == 30
    assert read_districts("") == ()
    bad = tmp_path / "places.geojson"
    bad.write_text(json.dumps({"features": [{"properties": {"name": "Ba Vì"}, "geometry": {}}]}))
    with pytest.raises(ValueError, match="feature 1 is not a Point with a name"):
        read_districts(str(bad))
    with pytest.raises(ValueError, match="not a GeoJSON file"):
        read_districts(str(tmp_path / "missing.geojson"))


def run_settings(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=os.environ | {"DJANGO_SETTINGS_MODULE": "portal.settings"} | env,
    )


PRINT_IMG_SRC = (
    "from django.conf import settings; "
    "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
)


def test_the_tile_host_and_no_other_joins_img_src():
    plain = run_settings(PRINT_IMG_SRC, PORTAL_MAP_TILES="")
    assert plain.stdout.strip() == "[\"'self'\"]"
    tiles = run_settings(
        PRINT_IMG_SRC, PORTAL_MAP_TILES="https://{s}.tiles.example.gov.vn/{z}/{x}/{y}.png"
    )
    assert tiles.stdout.strip() == "[\"'self'\", 'https://*.tiles.example.gov.vn']"


def test_a_wrong_map_setting_stops_the_start():
    started = run_settings(PRINT_IMG_SRC, PORTAL_MAP_TILES="https://tiles.example.gov.vn/")
    assert started.returncode != 0
    assert "ImproperlyConfigured" in started.stderr
    assert "the template lacks {z}, {x}, {y}" in started.stderr
    started = run_settings(PRINT_IMG_SRC, PORTAL_MAP_DISTRICTS="/nowhere.geojson")
    assert started.returncode != 0
    assert "PORTAL_MAP_DISTRICTS='/nowhere.geojson': not a GeoJSON file" in started.stderr


@pytest.mark.parametrize(
    "coordinates", [[[105.85, 21.03], [105.85, 21.03]], [[105.85, 21.03, 10], [105.85, 21.03, 12]]]
)
def test_a_line_of_one_repeated_point_is_refused(coordinates):
    with pytest.raises(ValidationError) as caught:
        validate_geometry({"type": "LineString", "coordinates": coordinates})
    assert caught.value.messages == [
        "LineString: mọi điểm của đường trùng nhau; một đường cần hai điểm khác nhau."
    ]
