"""What a person sees of the map: SVG snapshots on the bundled demo article.

Regenerate after a deliberate change with ``pytest tests/tui/test_map_snapshots.py --snapshot-update``
and look at the SVGs in tests/tui/__snapshots__/ before committing them.
"""
from __future__ import annotations

from functools import cache

from textual.pilot import Pilot
from tui_support import no_pipeline

from newsreader.config import load
from newsreader.model import Reading
from newsreader.pipeline import annotate, clean
from newsreader.samples import demo_page
from newsreader.tui.app import NewsreaderApp

SIZE = (120, 36)


@cache
def demo() -> Reading:
    """The demo article, annotated once (its places have points from the places step)."""
    return annotate(clean(demo_page()))


def demo_app(**kwargs: object) -> NewsreaderApp:
    return NewsreaderApp(reading=demo(), pipeline=no_pipeline(), **kwargs)  # type: ignore[arg-type]


def test_the_map_of_the_demo_article(snap_compare) -> None:
    # to the Places panel (Worcester, the most mentioned, is highlighted), then the map
    assert snap_compare(demo_app(), press=["tab", "tab", "m"], terminal_size=SIZE)


def test_the_map_of_the_world(snap_compare) -> None:
    assert snap_compare(demo_app(), press=["m", "w"], terminal_size=SIZE)


def test_the_map_in_ascii_in_a_light_theme(snap_compare, tmp_path) -> None:
    settings = tmp_path / "config.toml"
    settings.write_text('[map]\nglyphs = "ascii"\n', encoding="utf-8")

    async def light(pilot: Pilot) -> None:
        pilot.app.theme = "solarized-light"
        await pilot.pause()

    app = demo_app(config=load(config_file=settings))
    assert snap_compare(app, press=["m", "minus"], run_before=light, terminal_size=SIZE)
