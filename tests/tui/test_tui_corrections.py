"""Who said it, in the reader: unsure attributions marked, corrections made with ``c``
and taken back with ``u``, and kept when the article is saved to the library."""
from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, OptionList
from tui_support import fixture_app, fixture_reading, page, settle

from newsreader.library import Library
from newsreader.model import Article
from newsreader.pipeline import Pipeline
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.correct_screen import CorrectScreen
from newsreader.tui.reader import ReaderScreen
from newsreader.tui.screens import SaveScreen
from newsreader.tui.widgets import SpeakersPanel

pytestmark = pytest.mark.anyio
SIZE = (120, 40)
VASQUEZ, OKAFOR, ASSOCIATION = "Elena Vasquez", "Tom Okafor", "North Sea Fishermen’s Association"
# In the fixture, quote 2 ("We cannot afford…", Vasquez) and quote 8 ("We just want a say…",
# Okafor) are unsure: their attribution was carried over from the quote before.


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def panel_rows(screen: ReaderScreen) -> list[str]:
    panel = screen.query_one(SpeakersPanel)
    return [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]


def collect_notes(app: NewsreaderApp) -> list[str]:
    notes: list[str] = []
    app.notify = lambda message, **_: notes.append(message)  # type: ignore[method-assign]
    return notes


def quote_style(screen: ReaderScreen, words: str):
    """The style drawn on the first character of ``words`` (a quote's start)."""
    view = screen.view
    offset = view.article.text.index(words)
    row = view.text_layout.row_for_offset(offset)
    view.scroll_to(y=row, animate=False)
    strip = view.render_line(row - round(view.scroll_y))
    _, start, end, *_ = view.text_layout.lines[row]
    column = strip.text.index(view.article.text[start:end]) + offset - start
    for segment in strip:
        if column < len(segment.text):
            return segment.style
        column -= len(segment.text)
    raise AssertionError(words)


async def correct(pilot, *keys: str) -> None:
    """``c`` on the current quote, then ``keys`` in the dialog."""
    await pilot.press("c")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CorrectScreen)
    await pilot.press(*keys)
    await pilot.pause()
    assert isinstance(pilot.app.screen, ReaderScreen)


async def save_to_library(pilot) -> None:
    await pilot.press("s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SaveScreen)
    await pilot.click("#save-library")
    await settle(pilot.app)
    await pilot.pause()


# -- unsure attributions ---------------------------------------------------------------


async def test_unsure_attributions_are_counted_apart_dimmer_and_probable() -> None:
    app = fixture_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.reader
        assert panel_rows(screen) == ["  2 +1? Elena Vasquez", "  2 +1? Tom Okafor", "  2     org " + ASSOCIATION]
        sure, unsure = quote_style(screen, "This is the biggest"), quote_style(screen, "We cannot afford")
        assert sure.italic and unsure.italic and sure.color != unsure.color
        await pilot.press("n")
        assert screen.status.position == "Quote 1 of 8 · Elena Vasquez"
        await pilot.press("n")
        assert screen.status.position == "Quote 2 of 8 · probably Elena Vasquez"
        await pilot.press("tab", "j", "enter", "n", "n")  # Tom Okafor's quotes, to the third
        assert screen.status.position == "probably Tom Okafor: quote 3 of 3"
        await pilot.press("escape", "1")  # the quotes layer off: unsure quotes go with it
        assert quote_style(screen, "We cannot afford").color == quote_style(screen, "said the terminal").color


async def test_y_copies_an_unsure_speaker_as_probable() -> None:
    app = fixture_app()
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n", "n", "y")
        assert copied[0].splitlines()[1].startswith("— probably Elena Vasquez, ")


# -- corrections ---------------------------------------------------------------------


async def test_picking_another_speaker_updates_everything_and_u_undoes_it() -> None:
    app = fixture_app()
    notes = collect_notes(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.reader
        await pilot.press("n", "n")
        await pilot.press("c")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CorrectScreen)
        choices = dialog.query_one("#correct-choices", OptionList)
        assert [str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)] == [
            f"{VASQUEZ}  now", OKAFOR, ASSOCIATION, "An unnamed source", "Not a quote"]
        await pilot.press("down", "enter")  # Tom Okafor
        await pilot.pause()
        assert app.screen is screen
        assert screen.status.position == "Quote 2 of 8 · Tom Okafor · corrected"
        assert panel_rows(screen) == ["  3 +1? Tom Okafor", "  2     Elena Vasquez", "  2     org " + ASSOCIATION]
        assert notes[-1].startswith("Now said by Tom Okafor.")
        q = screen.reading.quotes[1]
        assert (q.speaker, q.corrected, q.confidence, q.rule) == (OKAFOR, True, 1.0, "corrected")
        await pilot.press("n")
        assert screen.status.position == "Quote 3 of 8 · " + ASSOCIATION
        assert quote_style(screen, "We cannot afford").color == quote_style(screen, "This is the biggest").color
        # Okafor's quotes now include it
        await pilot.press("tab", "enter")
        assert screen.status.position == "Tom Okafor: quote 1 of 4 · corrected"  # the first in the text
        await pilot.press("n")
        assert screen.status.position == "Tom Okafor: quote 2 of 4"
        await pilot.press("escape", "u")
        assert screen.status.position == "Quote 2 of 8 · probably Elena Vasquez"
        assert panel_rows(screen) == ["  2 +1? Elena Vasquez", "  2 +1? Tom Okafor", "  2     org " + ASSOCIATION]
        assert screen.reading == fixture_reading()
        await pilot.press("u")
        assert notes[-1] == "No correction to undo."


async def test_a_typed_name_becomes_a_new_speaker() -> None:
    app = fixture_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.reader
        await pilot.press("n", "n", "n", "n", "n", "n", "n", "n")  # quote 8, Okafor's unsure one
        await correct(pilot, *"Ines Duarte", "enter")  # typing on the list goes to the name box
        assert screen.status.position == "Quote 8 of 8 · Ines Duarte · corrected"
        assert "  1     Ines Duarte" in panel_rows(screen)
        assert "  2     Tom Okafor" in panel_rows(screen)
        assert [s.name for s in screen.reading.speakers][-1] == "Ines Duarte"


async def test_an_empty_name_is_refused_and_escape_changes_nothing() -> None:
    app = fixture_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.reader
        await pilot.press("n", "c")
        await pilot.pause()
        await pilot.press("tab", "space", "enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CorrectScreen)
        assert "Type a name" in str(dialog.query_one("#correct-error").content)
        assert dialog.query_one(Input).value == " "
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.corrections == []
        assert screen.reading == fixture_reading()


async def test_an_unnamed_source_and_not_a_quote_undone_one_after_the_other() -> None:
    app = fixture_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.reader
        await pilot.press("n", "n", "n")  # quote 3, the association's
        await correct(pilot, "up", "up", "enter")  # from the top, up wraps round: An unnamed source
        assert screen.status.position == "Quote 3 of 8 · unnamed source · corrected"
        assert panel_rows(screen)[2] == "  1     org " + ASSOCIATION
        await pilot.press("p")  # quote 2: not a quote
        await correct(pilot, "up", "enter")
        assert screen.status.position == "Quote 2 of 7 · unnamed source · corrected"  # the next quote is current
        assert len(screen.reading.quotes) == 7
        assert quote_style(screen, "We cannot afford").color == quote_style(screen, "said the terminal").color
        assert "  2     Elena Vasquez" in panel_rows(screen)
        await pilot.press("n")
        assert screen.status.position == "Quote 3 of 7 · Tom Okafor"
        await pilot.press("u")  # the quote is back, and current
        assert screen.status.position == "Quote 2 of 8 · probably Elena Vasquez"
        await pilot.press("u")
        assert screen.reading == fixture_reading() and screen.corrections == []
        assert screen.status.position == "Quote 3 of 8 · " + ASSOCIATION


async def test_c_needs_a_current_quote() -> None:
    app = fixture_app()
    notes = collect_notes(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert notes == ["No quote selected: press n to go to one."]


async def test_confirming_an_unsure_speaker_makes_it_sure_and_keeps_the_speakers_steps() -> None:
    app = fixture_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.reader
        await pilot.press("tab", "j", "enter", "n", "n", "shift+tab")  # Okafor's third quote, back to the text
        assert screen.status.position == "probably Tom Okafor: quote 3 of 3"
        await correct(pilot, "down", "enter")  # the dialog lists Okafor second, as the panel does
        assert screen.status.position == "Tom Okafor: quote 3 of 3 · corrected"
        assert panel_rows(screen)[1] == "  3     Tom Okafor"


# -- keeping corrections -------------------------------------------------------------


async def test_saving_an_article_opened_from_a_file_keeps_its_corrections(home: Path, tmp_path: Path) -> None:
    reading = fixture_reading()

    def clean(_: object) -> Article:
        return reading.article

    pipeline = Pipeline(lambda source: page(reading.article.text, source), clean,
                        lambda article, model=None: reading)
    app = NewsreaderApp("portmere.txt", pipeline=pipeline, save_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await pilot.pause()
        screen = app.reader
        await pilot.press("n", "n")
        await correct(pilot, "down", "enter")  # quote 2: Tom Okafor
        await save_to_library(pilot)
        (entry,) = Library().list()
        saved = Library().get(entry.id)
        assert (saved.quotes, saved.speakers) == (screen.reading.quotes, screen.reading.speakers)
        assert saved.article.source == str(Path(screen.reading.article.source).resolve())  # kept absolute
        assert saved.quotes[1].speaker == OKAFOR and saved.quotes[1].corrected
        # reopened from the library, the correction is there, and a new one adds to it
        await pilot.press("L")
        await settle(app)
        await pilot.pause()
        await pilot.press("enter")
        await settle(app)
        await pilot.pause()
        assert app.screen is screen and screen.corrections == []
        await pilot.press("n", "n")
        assert screen.status.position == "Quote 2 of 8 · Tom Okafor · corrected"
        await pilot.press("n")
        await correct(pilot, "up", "enter")  # quote 3: not a quote
        assert len(screen.reading.quotes) == 7
        await save_to_library(pilot)
    kept = Library().get(entry.id)
    assert len(kept.quotes) == 7 and kept.quotes[1].speaker == OKAFOR
    assert [c.action for c in Library().corrections(entry.id)] == ["speaker", "not_quote"]
