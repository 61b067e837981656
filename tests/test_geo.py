"""The map's geometry: the shipped outlines, the projection, and views fitted and moved."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsreader.geo import MIN_SPAN, WORLD, View, fit, on_map, world
from newsreader.model import Place

LONDON = Place("London", (), "city", 3, 51.5, -0.13, "GB")
PARIS = Place("Paris", (), "city", 1, 48.86, 2.35, "FR")
RIVER = Place("Teme", (), "river", 2)


def test_the_outlines_cover_the_world() -> None:
    countries = {c.iso_a2: c for c in world()}
    assert len(countries) > 170
    for code in ("GB", "FR", "US", "AF", "BR"):
        assert countries[code].rings and all(len(r) % 2 == 0 and len(r) >= 6 for r in countries[code].rings)
    lons = [x for c in world() for r in c.rings for x in r[0::2]]
    lats = [y for c in world() for r in c.rings for y in r[1::2]]
    assert -180 <= min(lons) and max(lons) <= 180 and -90 <= min(lats) and max(lats) <= 90


def test_a_known_box_maps_to_the_expected_cells() -> None:
    view = View(-10.0, 40.0, 10.0, 60.0)
    assert view.project(-10, 60, 80, 40) == (0, 0)  # north-west corner: top left
    assert view.project(10, 40, 80, 40) == (80, 40)  # south-east: bottom right
    assert view.project(0, 50, 80, 40) == (40, 20)


@pytest.mark.parametrize("columns, rows", [(200, 100), (100, 200), (50, 50)])
def test_shaping_keeps_the_centre_and_takes_the_canvas_shape(columns: int, rows: int) -> None:
    view = View(-10.0, 40.0, 10.0, 60.0).shaped(columns, rows)
    assert view.centre == pytest.approx((0.0, 50.0))
    assert view.width / view.height == pytest.approx(columns / rows)
    assert view.width >= 20 and view.height >= 20  # widened or heightened, never cut


def test_fit_shows_every_located_place_with_a_margin() -> None:
    view = fit([LONDON, PARIS, RIVER])
    for place in (LONDON, PARIS):
        assert view.contains(place.lon, place.lat)
        x, y = view.project(place.lon, place.lat, 100, 100)
        assert 5 < x < 95 and 5 < y < 95
    assert view.width >= MIN_SPAN
    assert fit([RIVER]) == WORLD and fit([]) == WORLD
    assert on_map([LONDON, RIVER]) == ([LONDON], [RIVER])


views = st.builds(lambda lon, lat, w: View(lon - w / 2, lat - w / 4, lon + w / 2, lat + w / 4),
                  st.floats(-180, 180), st.floats(-90, 90), st.floats(0.5, 360))


@given(views, st.floats(0.1, 10), st.floats(-2, 2), st.floats(-2, 2))
def test_zooming_and_panning_stay_over_the_world(view: View, factor: float, east: float, north: float) -> None:
    for moved in (view.clamped().zoomed(factor), view.clamped().panned(east, north)):
        assert moved.width <= WORLD.width + 1e-9
        if moved.width < WORLD.width - 1e-9:
            assert WORLD.west - 1e-9 <= moved.west and moved.east <= WORLD.east + 1e-9
        if moved.height < WORLD.height - 1e-9:
            assert WORLD.south - 1e-9 <= moved.south and moved.north <= WORLD.north + 1e-9


def test_zoom_in_then_out_comes_back() -> None:
    view = View(-20.0, 30.0, 20.0, 50.0)
    closer = view.zoomed(2)
    assert closer.width == pytest.approx(20) and closer.centre == pytest.approx(view.centre)
    assert closer.zoomed(0.5).width == pytest.approx(40)
    assert View(-170.0, 0.0, -150.0, 10.0).panned(-1, 0).west == pytest.approx(-180)  # stops at the edge
