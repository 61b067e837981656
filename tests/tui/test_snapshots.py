"""What a person sees: SVG snapshots of the reader on the fixed Portmere Reading.

Regenerate after a deliberate change with ``pytest tests/test_snapshots.py --snapshot-update``
and look at the SVGs in tests/__snapshots__/ before committing them.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from structure_support import html, japanese_page, list_reading
from textual.pilot import Pilot
from tui_support import fill_library, fixture_app, no_pipeline, settle

from newsreader.errors import LoadError
from newsreader.pipeline import Pipeline
from newsreader.tui.app import NewsreaderApp

SIZE = (120, 36)
SAVE_DIR = Path("/home/reader/Documents/newsreader")  # shown in the dialog, never written


def test_main_screen_with_a_speaker_selected(snap_compare) -> None:
    # tab to the Speakers panel, second name (Tom Okafor), Enter, then his next quote
    assert snap_compare(fixture_app(SAVE_DIR), press=["tab", "j", "enter", "n"], terminal_size=SIZE)


def test_main_screen_narrow(snap_compare) -> None:
    assert snap_compare(fixture_app(SAVE_DIR), press=["n", "n", "n"], terminal_size=(80, 24))


def test_main_screen_at_40_columns(snap_compare) -> None:
    # the panels make way, the legend and the footer give way; search keeps the layout
    assert snap_compare(fixture_app(SAVE_DIR), press=["n", "n", "slash", *"quay"], terminal_size=(40, 24))


def test_main_screen_at_160_columns(snap_compare) -> None:
    # room beside the article: the panels widen so that no name is cut
    assert snap_compare(fixture_app(SAVE_DIR), press=["tab", "j", "j", "enter"], terminal_size=(160, 40))


def test_main_screen_in_a_light_theme(snap_compare) -> None:
    async def light(pilot: Pilot) -> None:
        pilot.app.theme = "solarized-light"
        await pilot.pause()

    assert snap_compare(fixture_app(SAVE_DIR), press=["n", "n", "n", "tab"], run_before=light, terminal_size=SIZE)


def test_help_screen(snap_compare) -> None:
    assert snap_compare(fixture_app(SAVE_DIR), press=["question_mark"], terminal_size=SIZE)


def test_save_dialog(snap_compare) -> None:
    assert snap_compare(fixture_app(SAVE_DIR), press=["s"], terminal_size=SIZE)


def test_correct_dialog(snap_compare) -> None:
    # the second quote, whose attribution is unsure, then "who said this?"
    assert snap_compare(fixture_app(SAVE_DIR), press=["n", "n", "c"], terminal_size=SIZE)


def test_error_view(snap_compare) -> None:
    def load(source: str):
        raise LoadError(f"{source}: no such file")

    def unused(*_: object, **__: object):
        raise AssertionError("not reached")

    app = NewsreaderApp("nowhere.html", pipeline=Pipeline(load, unused, unused))

    async def wait_for_worker(pilot: Pilot) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, run_before=wait_for_worker, terminal_size=SIZE)


def test_library_screen(snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSREADER_HOME", str(tmp_path / "home"))
    fill_library(monkeypatch)  # three articles saved on fixed days

    async def wait_for_the_list(pilot: Pilot) -> None:
        await settle(pilot.app)
        await pilot.pause()

    app = NewsreaderApp(pipeline=no_pipeline())
    assert snap_compare(app, press=["j"], run_before=wait_for_the_list, terminal_size=SIZE)


def test_voices_screen(snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # bars for quotes and words, quotes per week, persons by gender with the unknown counted
    monkeypatch.setenv("NEWSREADER_HOME", str(tmp_path / "home"))
    fill_library(monkeypatch)

    async def open_voices(pilot: Pilot) -> None:
        await settle(pilot.app)
        await pilot.press("v")
        await settle(pilot.app)
        await pilot.pause()

    app = NewsreaderApp(pipeline=no_pipeline())
    assert snap_compare(app, run_before=open_voices, terminal_size=SIZE)


def test_headings_lists_and_the_standfirst(snap_compare) -> None:
    # the deck in italics under the title, bold headings, bullets and numbers that hang
    app = NewsreaderApp(reading=list_reading(), pipeline=no_pipeline())
    assert snap_compare(app, terminal_size=(80, 40))


def test_a_body_in_another_language(snap_compare) -> None:
    from newsreader.clean import clean
    from newsreader.model import Reading

    reading = Reading(clean(html(japanese_page())), annotated_to=0)
    assert snap_compare(NewsreaderApp(reading=reading, pipeline=no_pipeline()), terminal_size=(80, 24))
