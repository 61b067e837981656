"""The Voices screen, driven by key presses: the table, the filter, a speaker's quotes, the jump into an article."""
from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import ContentSwitcher, Sparkline
from tui_support import fill_library, no_pipeline, settle

from newsreader.library import Library
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.library_screen import LibraryScreen
from newsreader.tui.reader import ReaderScreen
from newsreader.tui.screens import HelpScreen
from newsreader.tui.visibility import is_shown
from newsreader.tui.voices_screen import VoicesScreen
from newsreader.voices import count_rows

pytestmark = pytest.mark.anyio
SIZE = (120, 36)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def filled(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    fill_library(monkeypatch)
    return home


async def voices_screen(pilot) -> VoicesScreen:
    await pilot.pause()
    await settle(pilot.app)
    assert isinstance(pilot.app.screen, LibraryScreen)
    await pilot.press("v")
    await settle(pilot.app)
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, VoicesScreen)
    return screen


def names(screen: VoicesScreen) -> list[str]:
    table = screen.query_one("#voices-table")
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_v_lists_who_is_quoted_across_the_library(filled: Path) -> None:
    expected = count_rows(Library().quotes(Library().list()))
    async with NewsreaderApp(pipeline=no_pipeline()).run_test(size=SIZE) as pilot:
        screen = await voices_screen(pilot)
        assert names(screen) == [v.name + (" *" if v.partial_name else "") for v in expected.voices]
        assert len(names(screen)) >= 2
        top = expected.voices[0]
        assert top.articles == 3  # the same speakers in all three saved articles
        row = screen.query_one("#voices-table").get_row_at(0)
        assert (row[2], row[3], row[5]) == (str(top.articles), str(top.quotes), str(top.words))
        weekly = screen.query_one(Sparkline)
        assert weekly.data  # quotes per week, drawn when there are two weeks or more
        assert is_shown(weekly) == (len(weekly.data) > 1)
        assert f"{expected.articles} articles" in str(screen.query_one("#voices-summary").render())


async def test_typing_filters_the_speakers_by_name(filled: Path) -> None:
    async with NewsreaderApp(pipeline=no_pipeline()).run_test(size=SIZE) as pilot:
        screen = await voices_screen(pilot)
        everyone = names(screen)
        wanted = everyone[1].split()[0]
        await pilot.press("slash", *wanted.lower())
        narrowed = names(screen)
        assert narrowed and all(wanted.lower() in n.lower() for n in narrowed) and len(narrowed) < len(everyone)
        await pilot.press("escape")  # out of the box: the table has the focus, the filter stays
        assert screen.focused is screen.query_one("#voices-table") and names(screen) == narrowed


async def test_enter_lists_a_speakers_quotes_and_opens_one_in_its_article(filled: Path) -> None:
    app = NewsreaderApp(pipeline=no_pipeline())
    async with app.run_test(size=(100, 16)) as pilot:  # short: the article runs past the first screen
        screen = await voices_screen(pilot)
        speaker = names(screen)[0]
        await pilot.press("enter")
        await settle(app)
        await pilot.pause()
        assert screen.query_one(ContentSwitcher).current == "voices-quotes"
        quotes = screen.query_one("#voices-quotes")
        expected = sum(1 for e in Library().list() for q in Library().get(e.id).quotes if q.speaker == speaker)
        assert quotes.option_count == expected == len(screen.quotes)
        await pilot.press("escape")  # back to the table
        assert screen.query_one(ContentSwitcher).current == "voices-table"
        await pilot.press("enter")
        await settle(app)
        await pilot.pause()
        starts = [Library().get(id).quotes[i].start for id, i in screen.quotes]
        last = starts.index(max(starts))  # the quote furthest down its article: off the first screen
        await pilot.press(*["down"] * last, "enter")
        await settle(app)
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        entry_id, index = screen.quotes[last]
        assert reader.article is not None and reader.article.title == Library().get(entry_id).article.title
        assert reader.current_quote == index
        quote = reader.reading.quotes[index]
        assert reader.view.shows((quote.start, quote.end))  # on screen, wherever it is in the article
        assert reader.view.scroll_y > 0, "the quote is further down than the first screen"
        assert reader.status.position.endswith(f"· {speaker}")


async def test_escape_goes_back_to_the_library_and_help_lists_the_keys(filled: Path) -> None:
    app = NewsreaderApp(pipeline=no_pipeline())
    async with app.run_test(size=SIZE) as pilot:
        await voices_screen(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = {b.id for _, bindings in app.screen.sections for b in bindings}
        assert shown >= {"voices_quotes", "voices_read", "voices_filter", "voices_back", "help", "quit"}
        assert any("voices.toml" in note for note in app.screen.notes)
        await pilot.press("escape")  # closes the help
        await pilot.press("escape")  # leaves the voices
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)


async def test_escape_in_an_article_opened_there_comes_back_to_the_voices(filled: Path) -> None:
    app = NewsreaderApp(pipeline=no_pipeline())
    async with app.run_test(size=SIZE) as pilot:
        await voices_screen(pilot)
        await pilot.press("enter")
        await settle(app)
        await pilot.pause()
        await pilot.press("enter")
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("escape")
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, VoicesScreen)
        await pilot.press("escape")  # and from there, the library's list
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("j", "enter")  # an article read from the list goes back to the list
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("escape")
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)


async def test_an_empty_library_has_no_voices_key(home: Path) -> None:
    app = NewsreaderApp(pipeline=no_pipeline())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await settle(app)
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
