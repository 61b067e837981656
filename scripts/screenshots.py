"""Regenerate the SVG screenshots in screenshots/ from the app itself.

Run: python scripts/screenshots.py   (needs the spaCy model: it annotates the demo article)
     python scripts/screenshots.py --themes DIR   the main screen in every built-in theme, into DIR

The main screen shows the bundled demo article with a speaker selected; the help
screen, the save dialog and the map are taken over the same article. The library screen
shows a temporary library holding the demo article (never the user's own), and the
Voices screen one holding the demo and the tests' three library articles. The
feed screen shows a sample feed (tests/fixtures/feeds/rss2.xml, plus the demo
article as an item carrying its full text) after annotate-all, read from a file.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from unittest import mock

from textual.pilot import Pilot

from newsreader.library import HOME_ENV, Library
from newsreader.model import Reading
from newsreader.pipeline import annotate, clean
from newsreader.tui.app import NewsreaderApp, demo_page

OUT = Path(__file__).resolve().parent.parent / "screenshots"
sys.path.insert(0, str(OUT.parent / "tests"))
from tui_support import library_readings, settle  # noqa: E402 - the tests' own fixtures and wait

SIZE = (120, 36)
SAVE_DIR = Path("~/Documents/newsreader")  # shown in the dialog, nothing is saved
SHOTS: dict[str, Sequence[str]] = {
    # tab to the Speakers panel, Enter on the first speaker, then their second quote
    "main.svg": ("tab", "enter", "n"),
    "help.svg": ("question_mark",),
    "save.svg": ("s",),
    # to the Places panel, then the map: Worcester, the most mentioned, is highlighted
    "map.svg": ("tab", "tab", "m"),
}


async def steady(app: NewsreaderApp, pilot: Pilot) -> None:
    """Until the workers are done, the scrolling has ended and the screen is drawn."""
    await settle(app)
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


async def shoot(name: str, keys: Sequence[str], app: NewsreaderApp) -> Path:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*keys)
        await steady(app, pilot)
        return Path(app.save_screenshot(name, str(OUT)))


async def shoot_library(reading: Reading) -> Path:
    """``newsreader`` alone, over a library in a temporary folder holding ``reading``."""
    with tempfile.TemporaryDirectory() as home, mock.patch.dict(os.environ, {HOME_ENV: home}):
        Library(Path(home)).save(reading)
        return await shoot("library.svg", (), NewsreaderApp(save_dir=SAVE_DIR))


async def shoot_voices(readings: Sequence[Reading]) -> Path:
    """The Voices screen (``v`` in the library) over a temporary library holding ``readings``."""
    with tempfile.TemporaryDirectory() as home, mock.patch.dict(os.environ, {HOME_ENV: home}):
        library = Library(Path(home))
        for reading in readings:
            library.save(reading)
        return await shoot("voices.svg", ("v",), NewsreaderApp(save_dir=SAVE_DIR))


async def shoot_themes(reading: Reading, folder: Path) -> None:
    """The main screen with a panel focused, once per built-in theme, to check each is legible."""
    from textual.theme import BUILTIN_THEMES

    folder.mkdir(parents=True, exist_ok=True)
    for theme in BUILTIN_THEMES:
        app = NewsreaderApp(reading=reading, save_dir=SAVE_DIR)
        async with app.run_test(size=SIZE) as pilot:
            app.theme = theme
            await pilot.pause()
            await pilot.press("n", "n", "tab")
            await steady(app, pilot)
            print(app.save_screenshot(f"{theme}.svg", str(folder)))


async def shoot_feeds() -> Path:
    """``newsreader feed FILE`` on a sample feed whose items carry their full text, annotated."""
    from datetime import datetime, timedelta, timezone
    from email.utils import format_datetime
    from html import escape

    sample = (OUT.parent / "tests" / "fixtures" / "feeds" / "rss2.xml").read_text(encoding="utf-8")
    demo = demo_page()
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in clean(demo).text.split("\n\n"))
    moment = datetime.now(timezone.utc)
    extra = (f"<item><title>Harbour town divided over new ferry terminal</title><guid>demo</guid>"
             f"<pubDate>{format_datetime(moment - timedelta(hours=2))}</pubDate>"
             f"<description>The plan splits Portmere.</description>"
             f"<content:encoded><![CDATA[{paragraphs}]]></content:encoded></item>")
    # Every link relative, so none leads to the network from a file: items show the feed's own text.
    sample = sample.replace("<item>", extra + "<item>", 1).replace("https://harbour.example/", "/")
    for n, old in enumerate(("Tue, 05 Mar 2024 10:00:00 +0100", "Mon, 04 Mar 2024 08:30:00 GMT",
                             "Sun, 03 Mar 2024 18:00:00 GMT"), 1):
        sample = sample.replace(old, format_datetime(moment - timedelta(hours=5 * n)))
    with tempfile.TemporaryDirectory() as home, mock.patch.dict(os.environ, {HOME_ENV: home}):
        feed = Path(home) / "harbour-weekly.xml"
        feed.write_text(sample, encoding="utf-8")
        app = NewsreaderApp(save_dir=SAVE_DIR, feeds=[feed.as_uri()])
        async with app.run_test(size=SIZE) as pilot:
            await settle(app)  # the feed read and listed
            await pilot.press("a")
            await settle(app)  # every item annotated
            app.clear_notifications()
            await pilot.press("j", "k")
            await steady(app, pilot)
            return Path(app.save_screenshot("feeds.svg", str(OUT)))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--themes", type=Path, metavar="DIR", help="shoot every built-in theme into DIR instead")
    args = parser.parse_args()
    reading = annotate(clean(demo_page()))  # once, then every shot uses the same Reading
    if args.themes:
        await shoot_themes(reading, args.themes)
        return
    OUT.mkdir(exist_ok=True)
    for name, keys in SHOTS.items():
        app = NewsreaderApp(reading=reading, save_dir=SAVE_DIR)
        print(await shoot(name, keys, app))
    print(await shoot_library(reading))
    print(await shoot_voices([reading, *library_readings()]))
    print(await shoot_feeds())


if __name__ == "__main__":
    asyncio.run(main())
