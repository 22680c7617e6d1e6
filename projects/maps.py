"""Projects on a map: their GeoJSON, what the page's script draws, and what a visitor reads
without JavaScript.

The one owner of a project's map shape in public: the project's page, `/projects/map/` and
the API build their features here, from public fields of published projects only (the
callers pass published rows). Distances are great-circle distances on a sphere of the
Earth's mean radius: a few metres off on a city's scale, which the pages round away.
"""

import math
from dataclasses import dataclass, field

from django.conf import settings

from .map_config import District

EARTH_RADIUS_KM = 6371.0088
# A place is said to be in the area of the nearest district name, if one is this near.
DISTRICT_REACH_KM = 15
SAMPLE_KM = 1


def lines_of(geometry: dict | None) -> list[list]:
    """The geometry's lines (a point is a line of one position), in order."""
    if not geometry:
        return []
    coordinates = geometry["coordinates"]
    match geometry["type"]:
        case "Point":
            return [[coordinates]]
        case "LineString":
            return [coordinates]
        case _:
            return list(coordinates)


def distance_km(a, b) -> float:
    """Great-circle distance between two [longitude, latitude] positions (haversine)."""
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def length_km(geometry: dict | None) -> float:
    return sum(
        distance_km(a, b)
        for line in lines_of(geometry)
        for a, b in zip(line, line[1:], strict=False)
    )


def districts_near(geometry: dict | None, districts: tuple[District, ...]) -> list[str]:
    """The districts a geometry lies in, roughly: for each position, the nearest district
    name within DISTRICT_REACH_KM, in the order the line passes them. Names stand at
    points, not boundaries: a place near a border may be given its neighbour."""
    names: list[str] = []
    last = None
    for line in lines_of(geometry):
        for position in line:
            # A surveyed line may have thousands of positions: one a kilometre is enough.
            if last is not None and distance_km(last, position) < SAMPLE_KM:
                continue
            last = position
            nearest = min(
                districts,
                key=lambda d: distance_km(position, (d.longitude, d.latitude)),
                default=None,
            )
            if nearest is None:
                return []
            near = distance_km(position, (nearest.longitude, nearest.latitude))
            if near <= DISTRICT_REACH_KM and nearest.name not in names:
                names.append(nearest.name)
    return names


@dataclass
class Place:
    """What a visitor reads of one project's map shape, with or without the map."""

    project: object
    kind: str  # "Point", "LineString" or "MultiLineString"
    start: list
    end: list
    sections: int
    length_km: float
    districts: list[str] = field(default_factory=list)

    @property
    def is_point(self) -> bool:
        return self.kind == "Point"


def place_of(project) -> Place | None:
    geometry = project.geometry
    lines = lines_of(geometry)
    if not lines:
        return None
    return Place(
        project=project,
        kind=geometry["type"],
        start=lines[0][0],
        end=lines[-1][-1],
        sections=len(lines),
        length_km=length_km(geometry),
        districts=districts_near(geometry, settings.PORTAL_MAP_DISTRICTS),
    )


def feature(project, url: str) -> dict:
    """A project as a GeoJSON Feature (RFC 7946) with its public fields; its geometry is
    null when it has no map shape."""
    return {
        "type": "Feature",
        "id": project.slug,
        "geometry": project.geometry or None,
        "properties": {
            "name": project.name,
            "url": url,
            "sector": project.sector,
            "stage": project.stage,
            "is_key": project.is_key,
            "location": project.location,
        },
    }


def feature_collection(projects, url_of) -> dict:
    """The projects that have a map shape, as a FeatureCollection; `url_of(project)` gives
    each one's address (relative on a page, absolute in the API)."""
    features = [feature(project, url_of(project)) for project in projects if project.geometry]
    return {"type": "FeatureCollection", "features": features}


def map_data(collection: dict) -> dict:
    """What static/js/project-map.js draws, for a `json_script` element: the features,
    the tiles if the city has a tile server, else the district names to draw instead."""
    tiles = settings.PORTAL_MAP_TILES
    districts = [] if tiles else settings.PORTAL_MAP_DISTRICTS
    return {
        "features": collection,
        "tiles": tiles,
        "attribution": settings.PORTAL_MAP_ATTRIBUTION,
        "districts": [{"name": d.name, "position": [d.longitude, d.latitude]} for d in districts],
    }
