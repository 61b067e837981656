"""The map: drawing (dots, markers, labels) and the reader's map driven by key presses."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from tui_support import fixture_reading, no_pipeline

from newsreader.config import load
from newsreader.geo import WORLD, View, fit
from newsreader.model import Place, Reading
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.article_view import ArticleView
from newsreader.tui.keymap import key_rules
from newsreader.tui.map_view import GLYPH_SETS, MapView, draw, place_labels
from newsreader.tui.raster import dots
from newsreader.tui.widgets import PlacesPanel

pytestmark = pytest.mark.anyio
WIDE = (120, 40)
BRAILLE = range(0x2801, 0x2900)

# The fixture's places, with the points the places step gives them (Portmere is made up).
POINTS = {
    "Aberdeen": (57.14, -2.1, "GB"), "Bergen": (60.39, 5.32, "NO"), "Norway": (59.91, 10.75, "NO"),
    "Scotland": (56.5, -4.2, "GB"), "London": (51.51, -0.13, "GB"),
}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def located_reading() -> Reading:
    reading = fixture_reading()
    places = tuple(replace(p, lat=POINTS[p.name][0], lon=POINTS[p.name][1], country=POINTS[p.name][2])
                   if p.name in POINTS else p for p in reading.places)
    return replace(reading, places=places)


def map_app(**kwargs: object) -> NewsreaderApp:
    return NewsreaderApp(reading=located_reading(), pipeline=no_pipeline(), **kwargs)  # type: ignore[arg-type]


def shown_text(view: MapView) -> list[str]:
    return [view.render_line(y).text for y in range(view.size.height)]


# -- drawing ------------------------------------------------------------------------------


def test_an_edge_is_stepped_dot_by_dot_and_clipped_to_the_canvas() -> None:
    view = View(0.0, 0.0, 10.0, 10.0)
    assert set(dots(view, [(0.0, 5.0, 10.0, 5.0)], 10, 10)) == {(x, 5) for x in range(10)}
    across = set(dots(view, [(-50.0, 2.0, 50.0, 2.0)], 10, 10))  # from far outside to far outside
    assert across == {(x, 8) for x in range(10)}
    assert list(dots(view, [(20.0, 0.0, 30.0, 9.0)], 10, 10)) == []  # wholly east of the view


@given(st.lists(st.floats(-200, 200, allow_nan=False), min_size=4, max_size=20).filter(lambda r: len(r) % 2 == 0),
       st.integers(1, 60), st.integers(1, 40))
def test_no_dot_falls_outside_the_canvas(ring: list[float], across: int, down: int) -> None:
    for x, y in dots(View(-30.0, -20.0, 30.0, 20.0), [ring], across, down):
        assert 0 <= x < across and 0 <= y < down


def test_the_world_is_drawn_in_braille_and_in_ascii() -> None:
    braille = draw(WORLD, (), 80, 24, GLYPH_SETS["braille"])
    ascii_ = draw(WORLD, (), 80, 24, GLYPH_SETS["ascii"])
    assert sum(map(any, braille.outline)) > 12 and sum(map(any, ascii_.outline)) > 12  # most rows have land
    assert max(max(row) for row in braille.outline) > 3  # more than one dot a cell
    assert max(max(row) for row in ascii_.outline) == 3  # ' . and : only


def test_the_selected_places_country_is_drawn_apart() -> None:
    london = Place("London", (), "city", 2, 51.51, -0.13, "GB")
    frame = draw(fit([london]), [london], 60, 20, GLYPH_SETS["braille"], selected="London")
    assert any(map(any, frame.country)) and any(map(any, frame.outline))  # Britain, and the mainland
    plain = draw(fit([london]), [london], 60, 20, GLYPH_SETS["braille"])
    assert not any(map(any, plain.country))


def place(name: str, mentions: int = 1) -> Place:
    return Place(name, (), "city", mentions, 0.0, 0.0)


def test_labels_never_overlap_and_the_busiest_are_named_first() -> None:
    places = [place("Alpha", 1), place("Beta", 5), place("Gamma", 3)]
    cells = {"Alpha": (4, 3), "Beta": (8, 3), "Gamma": (30, 3)}
    labels = {label.place.name: label for label in place_labels(places, cells, 40, None)}
    assert labels["Beta"].text == "Beta" and labels["Beta"].text_column == 10  # right of its marker
    assert labels["Gamma"].text == "Gamma" and labels["Gamma"].text_column == 32
    assert labels["Alpha"].text == ""  # its right runs into Beta, its left is off the map
    used = [range(label.text_column, label.text_column + cell_len(label.text)) for label in labels.values()]
    for a in used:
        for b in used:
            assert a is b or not set(a) & set(b)


def test_a_label_goes_left_at_the_edge_and_the_selected_one_is_always_named() -> None:
    places = [place("Alpha", 1), place("Beta", 5)]
    cells = {"Alpha": (2, 3), "Beta": (14, 3)}
    labels = {label.place.name: label for label in place_labels(places, cells, 16, None)}
    assert labels["Beta"].text_column == 9  # no room on the right: "Beta" ends before its marker
    chosen = {label.place.name: label for label in place_labels(places, cells, 40, "Alpha")}
    assert chosen["Alpha"].text == "Alpha"


def test_two_places_on_one_dot_get_one_name() -> None:
    places = [place("Alpha", 1), place("Beta", 2)]
    labels = {label.place.name: label.text for label in place_labels(places, {"Alpha": (5, 1), "Beta": (5, 1)},
                                                                     40, None)}
    assert labels == {"Beta": "Beta", "Alpha": ""}


# -- in the reader ------------------------------------------------------------------------


async def test_m_shows_the_map_in_place_of_the_article_and_back() -> None:
    app = map_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert app.reader.map is None  # made when first asked for
        await pilot.press("m")
        await pilot.pause()
        view = app.reader.map
        assert isinstance(view, MapView) and app.focused is view and app.reader.map_shown()
        assert not app.reader.view.display
        text = "\n".join(shown_text(view))
        assert "London" in text and "Bergen" in text
        assert "Not on the map: Portmere." in text
        assert any(ord(c) in BRAILLE for c in text)
        await pilot.press("m")
        await pilot.pause()
        assert not app.reader.map_shown() and isinstance(app.focused, ArticleView)
        await pilot.press("m", "escape")
        await pilot.pause()
        assert not app.reader.map_shown() and isinstance(app.focused, ArticleView)


async def test_stepping_and_search_from_the_map_go_to_the_article() -> None:
    app = map_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("m", "n")  # a quote is shown where it can be read
        await pilot.pause()
        assert not app.reader.map_shown() and app.reader.current_quote == 0
        await pilot.press("m", "slash", "escape")  # escape closes the search, then the map is gone already
        await pilot.pause()
        assert not app.reader.map_shown() and not app.reader.query_one("#search").display
        await pilot.press("m")
        await pilot.pause()
        assert app.reader.map_shown()


async def test_the_map_is_fitted_to_the_places_and_zooms_and_shows_the_world() -> None:
    app = map_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        view = app.reader.map
        assert view is not None
        fitted = view.shown_view
        assert fitted.width < 60 and all(fitted.contains(lon, lat) for lat, lon, _ in POINTS.values())
        await pilot.press("plus")
        assert view.shown_view.width == pytest.approx(fitted.width / 1.5)
        assert view.shown_view.centre == pytest.approx(fitted.centre)
        await pilot.press("minus", "minus")
        assert view.shown_view.width == pytest.approx(fitted.width * 1.5)
        await pilot.press("w")
        assert view.view == WORLD
        assert view.shown_view.width >= 360
        await pilot.press("0")
        assert view.shown_view == fitted


@pytest.mark.parametrize(("keys", "east", "north"), [
    (("l",), 1, 0), (("right",), 1, 0), (("h",), -1, 0), (("left",), -1, 0),
    (("k",), 0, 1), (("up",), 0, 1), (("j",), 0, -1), (("down",), 0, -1),
])
async def test_arrows_and_hjkl_pan(keys: tuple[str, ...], east: int, north: int) -> None:
    app = map_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        view = app.reader.map
        assert view is not None
        before = view.shown_view
        await pilot.press(*keys)
        after = view.shown_view
        moved = (after.centre[0] - before.centre[0], after.centre[1] - before.centre[1])
        assert moved == pytest.approx((east * before.width / 4, north * before.height / 4))
        assert after.width == pytest.approx(before.width)
        before_text = shown_text(view)
        await pilot.pause()
        assert shown_text(view) == before_text  # what is drawn is the new view, from its cache


async def test_the_map_follows_the_places_panel() -> None:
    app = map_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        view = app.reader.map
        panel = app.reader.query_one(PlacesPanel)
        assert view is not None and view.selected == panel.names[0]  # the panel's highlighted place
        await pilot.press("w", "plus", "plus", "plus", "plus", "plus")  # somewhere else, zoomed in
        panel.focus()
        await pilot.pause()
        while panel.names[panel.highlighted or 0] != "Bergen":
            await pilot.press("j")
        await pilot.pause()
        assert view.selected == "Bergen"
        lat, lon, _ = POINTS["Bergen"]
        assert view.shown_view.contains(lon, lat)  # brought into view
        frame = view.frame
        assert any(map(any, frame.country))  # Norway drawn apart
        (label,) = [label for label in frame.labels if label.place.name == "Bergen"]
        assert label.text == "Bergen"
        strip = view.render_line(label.row)
        selected = view.get_component_rich_style("map--selected")
        assert any(seg.text.strip() and seg.style and seg.style.bgcolor == selected.bgcolor for seg in strip)
        await pilot.press("enter")  # stepping through its mentions, in the article, as ever
        await pilot.pause()
        assert not app.reader.map_shown() and app.reader.track.kind == "place"
        assert app.reader.track.label == "Bergen" and app.reader.track.index == 0


async def test_the_ascii_setting_draws_without_braille(tmp_path: Path) -> None:
    settings = tmp_path / "config.toml"
    settings.write_text('[map]\nglyphs = "ascii"\n', encoding="utf-8")
    loaded = load(config_file=settings, rules=key_rules())
    assert loaded.warnings == () and loaded.settings.map_glyphs == "ascii"
    app = map_app(config=loaded)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        view = app.reader.map
        assert view is not None
        text = "\n".join(shown_text(view))
        assert not any(ord(c) in BRAILLE for c in text) and ":" in text and "London" in text


async def test_a_place_name_is_drawn_as_it_is_never_as_markup() -> None:
    reading = located_reading()
    odd = Place("[bold red]Nowhere[/]", (), "city", 9, 55.0, 0.0, "GB")
    app = NewsreaderApp(reading=replace(reading, places=(*reading.places, odd)), pipeline=no_pipeline())
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        view = app.reader.map
        assert view is not None
        assert any("[bold red]Nowhere[/]" in line for line in shown_text(view))
