"""The library screen, driven by key presses: listing, searching, reading, removing, saving."""
from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import Button, Input, Static
from tui_support import fill_library, fixture_app, fixture_reading, no_pipeline, page, settle

from newsreader.library import Library
from newsreader.model import Article, Reading
from newsreader.pipeline import Pipeline
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.library_screen import LibraryList, LibraryScreen, LibrarySearch
from newsreader.tui.reader import ReaderScreen
from newsreader.tui.screens import ConfirmScreen, HelpScreen, OpenScreen, SaveScreen

pytestmark = pytest.mark.anyio
SIZE = (120, 36)
NEWEST_FIRST = [
    "Council [bold]row[/bold] over night buses",
    "Lighthouse keepers vote to strike",
    "Harbour town divided over new ferry terminal",
]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def filled(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    fill_library(monkeypatch)
    return home


def library_app(**kwargs: object) -> NewsreaderApp:
    """``newsreader`` alone: nothing to open, so the library comes up."""
    return NewsreaderApp(pipeline=no_pipeline(), **kwargs)  # type: ignore[arg-type]


async def library_screen(pilot) -> LibraryScreen:
    """The library screen, once pending messages are handled and its workers are done."""
    await pilot.pause()
    await settle(pilot.app)
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, LibraryScreen)
    return screen


def shown_rows(screen: LibraryScreen) -> list[str]:
    """The list's lines as drawn (plain text)."""
    rows = screen.list_view
    return [str(rows.get_option_at_index(i).prompt) for i in range(rows.option_count)]


def message(screen: LibraryScreen) -> str:
    return str(screen.query_one("#library-message", Static).content)


def collect_notes(app: NewsreaderApp) -> list[tuple[str, str]]:
    notes: list[tuple[str, str]] = []
    app.notify = lambda text, **kw: notes.append((text, kw.get("severity", "information")))  # type: ignore[method-assign]
    return notes


# -- listing --------------------------------------------------------------------------


async def test_lists_every_saved_article_newest_first_as_plain_text(filled: Path) -> None:
    app = library_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await library_screen(pilot)
        assert [e.title for e in screen.entries] == NEWEST_FIRST
        rows = shown_rows(screen)
        assert rows[0].startswith("2024-03-16") and rows[0].endswith(NEWEST_FIRST[0])  # markup shown as typed
        assert "Harbour Weekly" in rows[1] and rows[2].startswith("2024-03-14")
        assert rows[2].index("Harbour town") == rows[1].index("Lighthouse")  # titles in one column
        assert isinstance(app.focused, LibraryList)
        assert screen.query_one("#library-panel").border_subtitle == "3 saved articles"


async def test_vim_keys_move_through_the_list(filled: Path) -> None:
    app = library_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await library_screen(pilot)
        await pilot.press("G")
        assert screen.list_view.highlighted == 2
        await pilot.press("k")
        assert screen.list_view.highlighted == 1
        await pilot.press("g", "j")
        assert screen.list_view.highlighted == 1


async def test_an_empty_library_says_how_to_save(home: Path) -> None:
    app = library_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await library_screen(pilot)
        text = message(screen)
        assert "press s in the reader" in text and "newsreader save URL" in text
        assert "open an article" in text  # the start view's hint
        assert not screen.query_one(LibrarySearch).display
        await pilot.press("d", "escape", "slash")  # nothing to remove, nothing to go back to
        assert app.screen is screen


async def test_a_corrupt_index_is_a_message_not_a_crash(home: Path) -> None:
    home.mkdir()
    (home / "library.sqlite3").write_bytes(b"this is not a database" * 100)
    (home / "quarantine").write_text("")  # a file where the damaged index would be set aside
    app = library_app()
    notes = collect_notes(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await library_screen(pilot)
        assert "Could not read the library" in message(screen)
        assert notes and notes[0][1] == "error" and "library.sqlite3" in notes[0][0]
        await pilot.press("o")
        assert isinstance(app.screen, OpenScreen)


# -- searching ------------------------------------------------------------------------


async def test_search_narrows_the_list_as_you_type(filled: Path) -> None:
    app = library_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await library_screen(pilot)
        await pilot.press("slash", *"light")
        assert isinstance(app.focused, LibrarySearch)
        await library_screen(pilot)
        assert [e.title for e in screen.entries] == ["Lighthouse keepers vote to strike"]
        assert screen.query_one("#library-panel").border_subtitle == "1 article matches"
        screen.query_one(Input).value = "ferry"  # in every body
        await library_screen(pilot)
        assert len(screen.entries) == 3
        screen.query_one(Input).value = "ferry buses"  # every word must match
        await library_screen(pilot)
        assert [e.title for e in screen.entries] == [NEWEST_FIRST[0]]
        screen.query_one(Input).value = "zeppelin"
        await library_screen(pilot)
        assert screen.entries == [] and "No saved article matches “zeppelin”" in shown_rows(screen)[0]
        await pilot.press("escape")
        assert isinstance(app.focused, LibraryList)
        screen.query_one(Input).value = ""
        await library_screen(pilot)
        assert [e.title for e in screen.entries] == NEWEST_FIRST


# -- reading --------------------------------------------------------------------------


async def test_enter_opens_the_saved_article_without_the_pipeline(filled: Path) -> None:
    app = library_app()
    async with app.run_test(size=SIZE) as pilot:
        await library_screen(pilot)
        await pilot.press("j", "enter")  # the second article
        await settle(app)
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        assert reader.view.row_text(0) == "Lighthouse keepers vote to strike"
        await pilot.press("n")
        assert reader.status.position == "Quote 1 of 8 · Elena Vasquez"
        # L goes to the library, Escape comes back to the same place
        await pilot.press("L")
        await library_screen(pilot)
        await pilot.press("escape")
        assert app.screen is reader and reader.status.position == "Quote 1 of 8 · Elena Vasquez"


async def test_o_in_the_library_opens_a_source(home: Path) -> None:
    article = fixture_reading().article
    opened: list[str] = []

    def load(source: str):
        opened.append(source)
        return page(article.text, source)

    pipeline = Pipeline(load, lambda _: article, lambda a, model=None: Reading(a))
    app = NewsreaderApp(pipeline=pipeline)
    async with app.run_test(size=SIZE) as pilot:
        await library_screen(pilot)
        await pilot.press("o", *"story.txt", "enter")
        await settle(app)
        await pilot.pause()
        assert opened == ["story.txt"]
        assert isinstance(app.screen, ReaderScreen) and app.screen.view.row_text(0) == article.title


# -- removing -------------------------------------------------------------------------


async def test_d_removes_after_confirmation_and_no_keeps_it(filled: Path) -> None:
    app = library_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await library_screen(pilot)
        await pilot.press("j", "d")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Lighthouse keepers vote to strike" in str(app.screen.query_one("#confirm-question", Static).content)
        await pilot.press("n")
        await library_screen(pilot)
        assert len(Library().list()) == 3
        await pilot.press("d", "y")
        await library_screen(pilot)
        assert [e.title for e in Library().list()] == [NEWEST_FIRST[0], NEWEST_FIRST[2]]
        assert [e.title for e in screen.entries] == [NEWEST_FIRST[0], NEWEST_FIRST[2]]
        assert screen.list_view.highlighted == 1  # the cursor stays on the same row


async def test_help_lists_the_library_keys(filled: Path) -> None:
    app = library_app()
    async with app.run_test(size=SIZE) as pilot:
        await library_screen(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = {b.id for _, bindings in app.screen.sections for b in bindings}
        every = {b.id for b in (*LibraryScreen.BINDINGS, *LibraryList.BINDINGS, *LibrarySearch.BINDINGS)}
        assert shown >= every - {"library_back"}  # no article open: nothing to go back to
        assert "library_back" not in shown
        assert any(str(Path(filled)) in note for note in app.screen.notes)


async def test_help_lists_only_what_applies_on_the_screen(home: Path, tmp_path: Path) -> None:
    def shown(app: NewsreaderApp) -> set[str | None]:
        assert isinstance(app.screen, HelpScreen)
        return {b.id for _, bindings in app.screen.sections for b in bindings}

    app = fixture_app(tmp_path)  # an article open, an empty library
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("L")
        await library_screen(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        ids = shown(app)
        assert "library_back" in ids and "open" in ids  # back to the article; open another
        assert not ids & {"library_read", "library_down", "library_search", "library_remove"}  # nothing listed
        assert not any(b.id and b.id.startswith(("next_", "toggle_")) for b in ReaderScreen.BINDINGS if b.id in ids)


async def test_escape_goes_back_to_the_list_an_article_was_opened_from(filled: Path) -> None:
    app = library_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await library_screen(pilot)
        await pilot.press("slash", *"ferry")
        await library_screen(pilot)
        second = screen.entries[1].title
        await pilot.press("escape", "j", "enter")  # the second of the three matches
        await settle(app)
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.view.row_text(0) == second
        await pilot.press("tab", "enter")  # a speaker's quotes: Escape first goes back to all quotes
        await pilot.press("escape")
        assert app.screen is reader and reader.track.kind == "quotes"
        await pilot.press("escape")
        screen = await library_screen(pilot)
        assert screen.query_one(LibrarySearch).value == "ferry"  # the list as it was left
        assert screen.selected is not None and screen.selected.title == second
        await pilot.press("escape")  # and back to the article
        assert app.screen is reader
        await pilot.press("o", *"elsewhere.txt", "escape")
        assert app.screen is reader


# -- saving from the reader -----------------------------------------------------------


async def save_to_library(pilot) -> None:
    await pilot.press("s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SaveScreen)
    await pilot.click("#save-library")
    await settle(pilot.app)
    await pilot.pause()


async def test_save_to_library_from_the_reader(home: Path, tmp_path: Path) -> None:
    app = fixture_app(tmp_path)
    notes = collect_notes(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await save_to_library(pilot)
        entries = Library().list()
        assert [e.title for e in entries] == ["Harbour town divided over new ferry terminal"]
        assert notes == [(f"Saved to library as #{entries[0].id}", "information")]
        saved = Library().get(entries[0].id)
        assert saved.article.source == str(Path(fixture_reading().article.source).resolve())  # absolute
        assert replace(saved, article=fixture_reading().article) == fixture_reading()
        await pilot.press("L")
        screen = await library_screen(pilot)
        assert [e.id for e in screen.entries] == [entries[0].id]


async def test_save_to_library_waits_for_annotation(home: Path) -> None:
    article = fixture_reading().article
    release = threading.Event()

    def annotate(article: Article, model: str | None = None) -> Reading:
        release.wait(10)
        return Reading(article)

    app = NewsreaderApp("portmere.txt", pipeline=Pipeline(lambda s: page(article.text, s), lambda _: article,
                                                          annotate))
    notes = collect_notes(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, "load")  # the text is shown; annotation is held
        await pilot.pause()
        assert app.reader.article is not None and app.reader.reading is None
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one("#save-library", Button).press()
        await pilot.pause()
        assert notes and notes[0][1] == "warning" and "Annotation has not finished" in notes[0][0]
        release.set()
        await settle(app)
    assert Library().list() == []
