"""A map of an article's places as inline SVG, for the HTML export: readable offline, no
script, no tiles. The view fits the places (:func:`newsreader.geo.fit`); countries are
drawn from the outlines the package ships, places as dots sized by their mentions, and
labels go where they do not overlap another label (or are left out)."""
from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from newsreader.geo import View, fit, on_map, world
from newsreader.model import Place

WIDTH, HEIGHT = 640, 360
_LABEL_HEIGHT = 14
_CHAR_WIDTH = 6.5  # a rough average for the 12px sans-serif labels


def svg_map(places: Sequence[Place], width: int = WIDTH, height: int = HEIGHT) -> str:
    """An ``<svg>`` element showing ``places`` (an empty string when none has a point)."""
    located, _ = on_map(places)
    if not located:
        return ""
    view = fit(located).shaped(width, height)
    parts = [f'<svg class="map" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             'role="img" aria-label="Map of the places in the article" xmlns="http://www.w3.org/2000/svg">',
             f'<rect class="sea" width="{width}" height="{height}"/>']
    named = {p.country for p in located if p.country}
    for country in world():
        path = _path(country.rings, view, width, height)
        if path:
            cls = "land named" if country.iso_a2 in named else "land"
            parts.append(f'<path class="{cls}" d="{path}"><title>{escape(country.name)}</title></path>')
    dots = []
    for place in sorted(located, key=lambda p: -p.mentions):  # the most named drawn last, on top
        x, y = view.project(place.lon or 0.0, place.lat or 0.0, width, height)
        dots.append((place, x, y, 3 + 1.5 * math.log2(max(1, place.mentions))))
    taken = [(x - r, y - r, x + r, y + r) for _, x, y, r in dots]  # labels cover no dot
    labels = []
    for place, x, y, radius in dots:  # the most named labelled first
        label = _label(place.name, x, y, radius, width, height, taken)
        if label:
            labels.append(label)
    for place, x, y, radius in reversed(dots):
        noun = "mention" if place.mentions == 1 else "mentions"
        parts.append(f'<circle class="place" cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}">'
                     f"<title>{escape(place.name)}: {escape(place.kind)}, {place.mentions} {noun}</title></circle>")
    parts += labels
    parts.append("</svg>")
    return "".join(parts)


def _path(rings: Sequence[Sequence[float]], view: View, width: int, height: int) -> str:
    """SVG path data for the rings that reach into ``view``."""
    pieces = []
    for ring in rings:
        lons, lats = ring[0::2], ring[1::2]
        if max(lons) < view.west or min(lons) > view.east or max(lats) < view.south or min(lats) > view.north:
            continue
        points = [view.project(lon, lat, width, height) for lon, lat in zip(lons, lats)]
        pieces.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in points) + "Z")
    return "".join(pieces)


def _label(name: str, x: float, y: float, radius: float, width: int, height: int,
           taken: list[tuple[float, float, float, float]]) -> str:
    """A label right or left of the dot at ``x``, ``y``, where it overlaps nothing; else ''."""
    w = len(name) * _CHAR_WIDTH
    for left, anchor in ((x + radius + 3, "start"), (x - radius - 3 - w, "end")):
        box = (left, y - _LABEL_HEIGHT / 2, left + w, y + _LABEL_HEIGHT / 2)
        inside = box[0] >= 0 and box[2] <= width and box[1] >= 0 and box[3] <= height
        if inside and not any(_overlap(box, other) for other in taken):
            taken.append(box)
            at = box[0] if anchor == "start" else box[2]
            return (f'<text class="label" x="{at:.1f}" y="{y + 4:.1f}" text-anchor="{anchor}">'
                    f"{escape(name)}</text>")
    return ""


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
