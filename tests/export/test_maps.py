"""The places on a map in the exports: GeoJSON for GIS tools, inline SVG in the HTML page."""
from __future__ import annotations

import json
import re
from xml.etree import ElementTree

from newsreader.export import render
from newsreader.export.svgmap import svg_map
from newsreader.model import Article, Place, Reading

LONDON = Place("London", (), "city", 3, 51.5085, -0.1257, "GB", 2643743)
PARIS = Place("Paris", ("the French capital",), "city", 1, 48.8534, 2.3488, "FR", 2988507)
THAMES = Place("Thames", (), "river", 2)


def reading(*places: Place) -> Reading:
    return Reading(Article("test", "Two capitals", None, None, None, "London and Paris. The Thames."),
                   places=places)


def test_geojson_is_a_feature_collection_of_the_located_places() -> None:
    data = json.loads(render(reading(LONDON, PARIS, THAMES), "geojson"))
    assert data["type"] == "FeatureCollection"
    assert [f["properties"]["name"] for f in data["features"]] == ["London", "Paris"]  # no point for a river
    for feature in data["features"]:
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]  # RFC 7946: longitude first
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert set(feature["properties"]) >= {"name", "kind", "mentions", "aliases"}
    paris = data["features"][1]
    assert paris["geometry"]["coordinates"] == [2.3488, 48.8534]
    assert paris["properties"]["aliases"] == ["the French capital"] and paris["properties"]["mentions"] == 1


def test_geojson_of_an_article_without_places_is_an_empty_collection() -> None:
    assert json.loads(render(reading(THAMES), "geojson")) == {"type": "FeatureCollection", "features": []}


def dots(svg: str) -> dict[str, tuple[float, float, float]]:
    root = ElementTree.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    return {c.find(f"{ns}title").text.split(":")[0]: (float(c.get("cx")), float(c.get("cy")), float(c.get("r")))
            for c in root.iter(f"{ns}circle")}


def test_the_svg_map_fits_the_places_and_draws_their_countries() -> None:
    svg = svg_map([LONDON, PARIS, THAMES], width=640, height=360)
    placed = dots(svg)
    assert set(placed) == {"London", "Paris"}
    (lx, ly, lr), (px, py, pr) = placed["London"], placed["Paris"]
    assert 0 < lx < px < 640 and 0 < ly < py < 360  # Paris is east of and south of London
    assert lr > pr  # three mentions make a bigger dot than one
    assert re.search(r'<path class="land named" d="M[^"]+"><title>United Kingdom</title>', svg)
    assert re.search(r'<path class="land named" d="M[^"]+"><title>France</title>', svg)
    assert "<title>Brazil</title>" not in svg  # outside the view: not drawn at all
    assert re.findall(r">(London|Paris)</text>", svg) == ["London", "Paris"]


def test_labels_never_overlap_and_names_are_escaped() -> None:
    crowd = [Place(f"<Town {i}>", (), "city", 1, 50.0 + i * 0.01, 0.0 + i * 0.01, "GB") for i in range(12)]
    svg = svg_map(crowd)
    ElementTree.fromstring(svg)  # well formed: "<" in a name is escaped
    assert "<Town" not in svg and "&lt;Town 0&gt;" in svg
    assert 1 <= svg.count("<text") < 12  # twelve dots on one spot: most labels left out


def test_the_html_page_shows_the_map_and_lists_what_is_not_on_it() -> None:
    page = render(reading(LONDON, PARIS, THAMES), "html")
    assert page.count("<svg") == 1 and 'aria-label="Map of the places in the article"' in page
    assert "Not on the map: Thames" in page
    assert "<svg" not in render(reading(THAMES), "html")  # nothing to put on a map
