"""Where an article's places are: the world's outlines, and a view of them fitted to a canvas.

Used by the reader's map and by the exports (GeoJSON, the HTML page's map); nothing here
draws or imports the UI. The outlines are Natural Earth's 1:110m countries (public domain),
shipped as package data (``data/world.json``, built by ``scripts/build_world.py``), so
nothing is fetched. The projection is equirectangular: longitude and latitude map to x and
y at one scale, which keeps any part of the world recognisable at the zoom a terminal has.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from newsreader.model import Place

__all__ = ["Country", "View", "WORLD", "world", "on_map", "fit", "geojson"]

MIN_SPAN = 4.0  # degrees: a view of one city still shows the land around it
MARGIN = 0.15  # of the places' span, on each side, so that no marker sits on the edge


@dataclass(frozen=True)
class Country:
    name: str
    iso_a2: str | None  # ISO 3166-1 alpha-2, as places give their country; None for a few
    continent: str
    rings: tuple[tuple[float, ...], ...]  # each a flat run of lon, lat pairs


@lru_cache(maxsize=1)
def world() -> tuple[Country, ...]:
    """Every country's outline (read from the package once)."""
    data = json.loads(resources.files("newsreader").joinpath("data", "world.json").read_text(encoding="utf-8"))
    return tuple(Country(c["name"], c["iso_a2"], c["continent"], tuple(tuple(r) for r in c["rings"]))
                 for c in data["countries"])


@dataclass(frozen=True)
class View:
    """A rectangle of the world in degrees: west, south, east, north."""

    west: float
    south: float
    east: float
    north: float

    @property
    def width(self) -> float:
        return self.east - self.west

    @property
    def height(self) -> float:
        return self.north - self.south

    @property
    def centre(self) -> tuple[float, float]:
        return (self.west + self.east) / 2, (self.south + self.north) / 2

    def zoomed(self, factor: float) -> View:
        """The view ``factor`` times closer (above 1: zoom in), about its centre, never
        wider than the world nor narrower than :data:`MIN_SPAN` / 4."""
        lon, lat = self.centre
        width = min(WORLD.width, max(MIN_SPAN / 4, self.width / factor))
        height = width * self.height / self.width
        return View(lon - width / 2, lat - height / 2, lon + width / 2, lat + height / 2).clamped()

    def panned(self, east: float, north: float) -> View:
        """Moved by the given fractions of its own width and height."""
        dx, dy = east * self.width, north * self.height
        return View(self.west + dx, self.south + dy, self.east + dx, self.north + dy).clamped()

    def clamped(self) -> View:
        """Kept over the world: shifted back inside it where it fits, centred where it does not."""
        def axis(low: float, high: float, lo: float, hi: float) -> tuple[float, float]:
            span = high - low
            if span >= hi - lo:
                middle = (lo + hi) / 2
                return middle - span / 2, middle + span / 2
            shift = max(0.0, lo - low) - max(0.0, high - hi)
            return low + shift, high + shift

        west, east = axis(self.west, self.east, WORLD.west, WORLD.east)
        south, north = axis(self.south, self.north, WORLD.south, WORLD.north)
        return View(west, south, east, north)

    def shaped(self, columns: float, rows: float) -> View:
        """Widened or heightened about its centre to the canvas's shape (``columns`` by
        ``rows`` square dots), so that a degree is as long across as it is up."""
        if columns <= 0 or rows <= 0:
            return self
        lon, lat = self.centre
        width, height = self.width, self.height
        if width / height < columns / rows:
            width = height * columns / rows
        else:
            height = width * rows / columns
        return View(lon - width / 2, lat - height / 2, lon + width / 2, lat + height / 2)

    def project(self, lon: float, lat: float, columns: float, rows: float) -> tuple[float, float]:
        """Where ``lon``, ``lat`` falls on a canvas of ``columns`` by ``rows`` (x right, y down)."""
        return ((lon - self.west) / self.width * columns, (self.north - lat) / self.height * rows)

    def contains(self, lon: float, lat: float) -> bool:
        return self.west <= lon <= self.east and self.south <= lat <= self.north


WORLD = View(-180.0, -90.0, 180.0, 90.0)


def on_map(places: Iterable[Place]) -> tuple[list[Place], list[Place]]:
    """The places with a point, and those without (rivers, unknown regions)."""
    located: list[Place] = []
    missing: list[Place] = []
    for place in places:
        (located if place.lat is not None and place.lon is not None else missing).append(place)
    return located, missing


def fit(places: Sequence[Place]) -> View:
    """The view that shows every located place, with a margin; the world when none is."""
    points = [(p.lon, p.lat) for p in places if p.lon is not None and p.lat is not None]
    if not points:
        return WORLD
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    width, height = max(east - west, MIN_SPAN), max(north - south, MIN_SPAN / 2)
    lon, lat = (west + east) / 2, (south + north) / 2
    width, height = width * (1 + 2 * MARGIN), height * (1 + 2 * MARGIN)
    return View(lon - width / 2, lat - height / 2, lon + width / 2, lat + height / 2).clamped()


def geojson(places: Iterable[Place]) -> dict[str, object]:
    """The located places as a GeoJSON FeatureCollection (RFC 7946: longitude first)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
                "properties": {"name": place.name, "kind": place.kind, "mentions": place.mentions,
                               "aliases": list(place.aliases), "country": place.country,
                               "geonameid": place.geonameid},
            }
            for place in on_map(places)[0]
        ],
    }
