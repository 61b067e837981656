"""The article's places as GeoJSON: a FeatureCollection of points (RFC 7946), for GIS
tools and web maps. Places without a point (rivers, unknown regions) are left out."""
from __future__ import annotations

import json
from datetime import datetime

from newsreader.geo import geojson
from newsreader.model import Reading


def render_geojson(reading: Reading, *, saved: datetime | None = None) -> str:
    return json.dumps(geojson(reading.places), ensure_ascii=False, indent=2) + "\n"
