"""The maps' settings, read at start-up (plain Python: the settings import it before Django
is set up), so a wrong value stops the portal from starting instead of breaking a page.

- `PORTAL_MAP_TILES`: a city runs or buys its own tile server, so the portal only knows its
  URL template (`https://tiles.example.gov.vn/{z}/{x}/{y}.png`, Leaflet's form, `{s}` for
  the server's subdomains). The Content-Security-Policy lets images come from that host.
- `PORTAL_MAP_DISTRICTS`: a GeoJSON file of named points, the districts' names drawn on a
  map without tiles and the "area" the pages name for each place (projects/maps.py).
"""

import json
import math
from dataclasses import dataclass
from urllib.parse import urlsplit

PLACES = ("{z}", "{x}", "{y}")


def tile_source(template: str, *, allow_http: bool = False) -> str:
    """The CSP source (`https://tiles.example.gov.vn`, `https://*.tile.example.org` for
    `{s}`) of a tile URL template; ValueError saying what is wrong with it."""
    parts = urlsplit(template)
    schemes = ("https", "http") if allow_http else ("https",)
    if parts.scheme not in schemes or not parts.hostname:
        raise ValueError(f"PORTAL_MAP_TILES={template!r}: write an https:// URL template.")
    missing = [place for place in PLACES if place not in template]
    if missing:
        lacking = ", ".join(missing)
        raise ValueError(f"PORTAL_MAP_TILES={template!r}: the template lacks {lacking}.")
    host = parts.netloc.replace("{s}", "*")
    if "{" in host or "@" in host:
        raise ValueError(f"PORTAL_MAP_TILES={template!r}: only {{s}} may stand in the host name.")
    return f"{parts.scheme}://{host}"


@dataclass(frozen=True)
class District:
    name: str
    longitude: float
    latitude: float


def read_districts(path: str) -> tuple[District, ...]:
    """The named points of the GeoJSON file at `path` (none for an empty path); ValueError
    naming the file and the feature that is not a named [longitude, latitude] point."""
    if not path:
        return ()
    try:
        with open(path, encoding="utf-8") as file:
            features = json.load(file)["features"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ValueError(f"PORTAL_MAP_DISTRICTS={path!r}: not a GeoJSON file ({error}).") from None
    districts = []
    for number, feature in enumerate(features, start=1):
        try:
            name = feature["properties"]["name"].strip()
            geometry = feature["geometry"]
            longitude, latitude = (float(n) for n in geometry["coordinates"][:2])
            if geometry["type"] != "Point" or not name:
                raise ValueError
            if not (math.isfinite(longitude) and math.isfinite(latitude)):
                raise ValueError
            if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
                raise ValueError
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ValueError(
                f"PORTAL_MAP_DISTRICTS={path!r}: feature {number} is not a Point with a name."
            ) from None
        districts.append(District(name, longitude, latitude))
    return tuple(districts)
