import pytest
from django.core.exceptions import ValidationError

from projects.geometry import validate_geometry

from .factories import make_project

VALID = [
    None,
    {"type": "Point", "coordinates": [105.85, 21.03]},
    {"type": "Point", "coordinates": [105.85, 21.03, 12]},
    {"type": "LineString", "coordinates": [[105.8, 21.0], [105.9, 21.1]]},
    {
        "type": "MultiLineString",
        "coordinates": [[[105.8, 21.0], [105.9, 21.1]], [[106, 21], [106.1, 21.2]]],
    },
]

INVALID = [
    ("not a dict", "đối tượng GeoJSON"),
    ([105.85, 21.03], "đối tượng GeoJSON"),
    ({"type": "Polygon", "coordinates": []}, "Point, LineString hoặc MultiLineString"),
    ({"type": "Point"}, "Thiếu tọa độ"),
    ({"type": "Point", "coordinates": [105.85]}, "[kinh độ, vĩ độ]"),
    ({"type": "Point", "coordinates": "105.85,21.03"}, "[kinh độ, vĩ độ]"),
    ({"type": "Point", "coordinates": ["105.85", 21.03]}, "phải là số"),
    ({"type": "Point", "coordinates": [True, 21.03]}, "phải là số"),
    ({"type": "Point", "coordinates": [float("nan"), 21.03]}, "hữu hạn"),
    ({"type": "Point", "coordinates": [200, 21.03]}, "kinh độ 200"),
    # Latitude first by mistake (Hanoi is at 21°N, 105°E): 105 is not a latitude.
    ({"type": "Point", "coordinates": [21.03, 105.85]}, "vĩ độ 105.85"),
    ({"type": "LineString", "coordinates": [[105.8, 21.0]]}, "ít nhất 2 điểm"),
    ({"type": "LineString", "coordinates": [[105.8, 21.0], [105.9]]}, "điểm 2"),
    ({"type": "MultiLineString", "coordinates": []}, "ít nhất một đường"),
    ({"type": "MultiLineString", "coordinates": [[[105.8, 21.0]]]}, "đường 1"),
]


@pytest.mark.parametrize("value", VALID)
def test_valid_geometries_pass(value):
    validate_geometry(value)


@pytest.mark.parametrize(("value", "message"), INVALID)
def test_invalid_geometries_are_refused_with_a_reason(value, message):
    with pytest.raises(ValidationError) as error:
        validate_geometry(value)
    assert message in " ".join(error.value.messages)


@pytest.mark.django_db
def test_the_model_field_uses_the_validator():
    project = make_project()
    project.geometry = {"type": "Polygon", "coordinates": []}

    with pytest.raises(ValidationError) as error:
        project.full_clean()

    assert "geometry" in error.value.message_dict
