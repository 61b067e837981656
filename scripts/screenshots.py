"""Regenerate the SVG screenshots in screenshots/ from the app itself.

Run: python scripts/screenshots.py   (needs the spaCy model: it annotates the demo article)

The main screen shows the bundled demo article with a speaker selected; the help
screen and the save dialog are taken over the same article. The library screen
shows a temporary library holding the demo article (never the user's own).
"""
from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from unittest import mock

from newsreader.library import HOME_ENV, Library
from newsreader.model import Reading
from newsreader.pipeline import annotate, clean
from newsreader.tui.app import NewsreaderApp, demo_page

OUT = Path(__file__).resolve().parent.parent / "screenshots"
SIZE = (120, 36)
SAVE_DIR = Path("~/Documents/newsreader")  # shown in the dialog, nothing is saved
SHOTS: dict[str, Sequence[str]] = {
    # tab to the Speakers panel, Enter on the first speaker, then their second quote
    "main.svg": ("tab", "enter", "n"),
    "help.svg": ("question_mark",),
    "save.svg": ("s",),
}


async def shoot(name: str, keys: Sequence[str], app: NewsreaderApp) -> Path:
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause(0.5)  # let scrolling and dialogs settle
        return Path(app.save_screenshot(name, str(OUT)))


async def shoot_library(reading: Reading) -> Path:
    """``newsreader`` alone, over a library in a temporary folder holding ``reading``."""
    with tempfile.TemporaryDirectory() as home, mock.patch.dict(os.environ, {HOME_ENV: home}):
        Library(Path(home)).save(reading)
        return await shoot("library.svg", (), NewsreaderApp(save_dir=SAVE_DIR))


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    reading = annotate(clean(demo_page()))  # once, then every shot uses the same Reading
    for name, keys in SHOTS.items():
        app = NewsreaderApp(reading=reading, save_dir=SAVE_DIR)
        print(await shoot(name, keys, app))
    print(await shoot_library(reading))


if __name__ == "__main__":
    asyncio.run(main())
