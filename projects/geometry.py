"""The optional map shape of a project: a GeoJSON Point, LineString or MultiLineString.

Stored as plain JSON (no GIS database needed); a bridge or a plant is a point, a road or a
railway a line, a road built in sections a multi-line. Positions are `[longitude, latitude]`
in WGS 84 (RFC 7946), optionally with an altitude.
"""

import math

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

GEOMETRY_TYPES = ("Point", "LineString", "MultiLineString")


def _check_position(position, where: str) -> None:
    if not isinstance(position, list | tuple) or len(position) not in (2, 3):
        raise ValidationError(
            _("%(where)s: mỗi tọa độ phải là [kinh độ, vĩ độ]."),
            code="invalid_position",
            params={"where": where},
        )
    for number in position:
        # bool is an int in Python, but `true` is not a coordinate.
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise ValidationError(
                _("%(where)s: tọa độ phải là số."), code="invalid_number", params={"where": where}
            )
        if not math.isfinite(number):
            raise ValidationError(
                _("%(where)s: tọa độ phải là số hữu hạn."),
                code="invalid_number",
                params={"where": where},
            )
    longitude, latitude = position[0], position[1]
    if not -180 <= longitude <= 180:
        raise ValidationError(
            _("%(where)s: kinh độ %(value)s nằm ngoài khoảng −180 đến 180."),
            code="longitude_range",
            params={"where": where, "value": longitude},
        )
    if not -90 <= latitude <= 90:
        raise ValidationError(
            _("%(where)s: vĩ độ %(value)s nằm ngoài khoảng −90 đến 90."),
            code="latitude_range",
            params={"where": where, "value": latitude},
        )


def _check_line(line, where: str) -> None:
    if not isinstance(line, list | tuple) or len(line) < 2:
        raise ValidationError(
            _("%(where)s: một đường phải có ít nhất 2 điểm."),
            code="short_line",
            params={"where": where},
        )
    for index, position in enumerate(line, start=1):
        _check_position(position, f"{where}, {_('điểm')} {index}")
    if len({tuple(position[:2]) for position in line}) < 2:
        raise ValidationError(
            _("%(where)s: mọi điểm của đường trùng nhau; một đường cần hai điểm khác nhau."),
            code="zero_length",
            params={"where": where},
        )


def validate_geometry(value) -> None:
    """Refuse anything but a well-formed GeoJSON Point, LineString or MultiLineString."""
    if value in (None, "", {}):
        return
    if not isinstance(value, dict):
        raise ValidationError(_("Hình học phải là một đối tượng GeoJSON."), code="not_object")
    kind = value.get("type")
    if kind not in GEOMETRY_TYPES:
        raise ValidationError(
            _("Kiểu hình học phải là Point, LineString hoặc MultiLineString (đang là %(kind)s)."),
            code="invalid_type",
            params={"kind": kind},
        )
    if "coordinates" not in value:
        raise ValidationError(_("Thiếu tọa độ (coordinates)."), code="no_coordinates")
    coordinates = value["coordinates"]
    if kind == "Point":
        _check_position(coordinates, "Point")
    elif kind == "LineString":
        _check_line(coordinates, "LineString")
    else:
        if not isinstance(coordinates, list | tuple) or not coordinates:
            raise ValidationError(
                _("MultiLineString phải có ít nhất một đường."), code="empty_multiline"
            )
        for index, line in enumerate(coordinates, start=1):
            _check_line(line, f"MultiLineString, {_('đường')} {index}")
