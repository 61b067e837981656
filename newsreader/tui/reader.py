"""The reader screen: the article, its panels, search, save and copy, the way to the library.

All reading keys live on this screen rather than on the app, so that a modal
dialog on top (save, open, help) does not also answer ``n``, ``s`` or ``q``.
Slow work (fetching, cleaning, the spaCy model) runs in threads that never hold
up quitting (:func:`~newsreader.tui.workers.in_thread`); the text is shown as soon
as it is clean and the highlights follow.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Input, OptionList

from newsreader.model import Article, Page, Reading
from newsreader.tui.article_view import LAYERS, ArticleView
from newsreader.tui.feed_screen import FeedChoice, FeedCursor
from newsreader.tui.library_screen import LibraryChoice, LibraryScreen
from newsreader.tui.navigation import Track, place_track, quote_track, speaker_track, status_text
from newsreader.tui.savefile import safe_stem
from newsreader.tui.screens import (
    ConfirmScreen,
    FormatChoice,
    HelpScreen,
    OpenScreen,
    SaveRequest,
    SaveScreen,
    SaveToLibrary,
)
from newsreader.tui.widgets import ErrorView, Legend, PlacesPanel, SpeakersPanel, StatusLine
from newsreader.tui.workers import describe, in_thread, post, with_library

if TYPE_CHECKING:
    from newsreader.tui.app import NewsreaderApp

MAX_MATCHES = 10_000  # a one-letter search in a long article should not stall the screen
WIDE = 100  # from this many columns the panels start shown


@dataclass(frozen=True)
class OpenRequest:
    """A source to open: ``page`` is set when it was read before the app started (stdin)."""

    label: str  # what the user asked for, as shown in messages
    source: str | None = None  # passed to load()
    page: Page | None = None


def find_all(text: str, query: str, limit: int = MAX_MATCHES) -> list[tuple[int, int]]:
    """Case-insensitive, literal matches of ``query`` in ``text`` (offsets stay exact)."""
    if not query:
        return []
    pattern = re.compile(re.escape(query), re.IGNORECASE)
    matches = []
    for match in pattern.finditer(text):
        matches.append(match.span())
        if len(matches) >= limit:
            break
    return matches


def quote_for_clipboard(reading: Reading, index: int) -> str:
    """A quote as someone would paste it: the words, who said them, and where."""
    quote, article = reading.quotes[index], reading.article
    attribution = quote.speaker or "unattributed"
    title = f", “{article.title}”" if article.title else ""
    return f"“{quote.text}”\n— {attribution}{title}\n{article.source}"


class SearchInput(Input):
    """The search box: Enter finds the next match, Shift+Enter the previous one."""

    BINDINGS = [Binding("shift+enter", "previous_match", "Previous match", show=False, id="previous_match")]

    def action_previous_match(self) -> None:
        self.screen.step_search(forward=False)  # type: ignore[attr-defined]


class ReaderScreen(Screen[None]):
    """One article at a time, with everything the keys in DESIGN.md promise."""

    BINDINGS = [
        Binding("n", "step(True)", "Next", tooltip="Next quote (or speaker quote, mention, match)", id="next_quote"),
        Binding("p", "step(False)", "Prev", tooltip="Previous quote (or speaker quote, mention, match)",
                id="previous_quote"),
        Binding("slash", "search", "Search", tooltip="Search the article", id="search"),
        Binding("s", "save", "Save", tooltip="Save a copy (json, md, txt, html) or save to the library", id="save"),
        Binding("o", "open", "Open", tooltip="Open another article (URL or file)", id="open"),
        Binding("L", "library", "Library", tooltip="Saved articles: search, read, remove", id="library"),
        Binding("y", "copy_quote", "Copy", tooltip="Copy the current quote with its speaker and source",
                id="copy_quote"),
        Binding("left_square_bracket", "toggle_panels", "Panels", show=False,
                tooltip="Show or hide the Speakers and Places panels", id="toggle_panels"),
        Binding("1", "toggle_layer('quotes')", "Quotes", show=False, tooltip="Quotes highlight on/off",
                id="toggle_quotes"),
        Binding("2", "toggle_layer('people')", "People", show=False, tooltip="People highlight on/off",
                id="toggle_people"),
        Binding("3", "toggle_layer('organisations')", "Organisations", show=False,
                tooltip="Organisations highlight on/off", id="toggle_organisations"),
        Binding("4", "toggle_layer('places')", "Places", show=False, tooltip="Places highlight on/off",
                id="toggle_places"),
        Binding("escape", "reset", "All quotes", show=False,
                tooltip="Leave search, or a speaker's or place's steps: back to all quotes", id="reset"),
        Binding("question_mark", "help", "Help", tooltip="Show all keys", id="help"),
        Binding("q", "app.quit", "Quit", tooltip="Quit", id="quit"),
        Binding("N", "item(True)", "Next item", tooltip="Next item of the feed", id="next_item"),
        Binding("P", "item(False)", "Prev item", tooltip="Previous item of the feed", id="previous_item"),
        Binding("F", "feed_items", "Items", tooltip="Back to the feed's items", id="feed_items"),
    ]

    def __init__(self, first: Reading | OpenRequest | None = None) -> None:
        """Open ``first`` at once; with nothing to open, the library comes up over the reader."""
        super().__init__()
        self.first = first
        self.reading: Reading | None = None
        self.track = Track("quotes", ())
        self.current_quote: int | None = None
        self.shown_layers: frozenset[str] = frozenset(LAYERS)
        self.feed_cursor: FeedCursor | None = None  # set when the article is a feed's item

    @property
    def nr_app(self) -> NewsreaderApp:
        return self.app  # type: ignore[return-value]

    # -- building ----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        view = ArticleView(measure=self.nr_app.measure, id="article")
        with Horizontal(id="main"):
            with ContentSwitcher(initial="article", id="switcher"):
                yield view
                yield ErrorView(id="error")
            with Vertical(id="sidebar"):
                yield SpeakersPanel("Speakers", id="speakers")
                yield PlacesPanel("Places", id="places")
        yield SearchInput(placeholder="Search (Enter next, Shift+Enter previous, Esc done)", id="search", compact=True)
        yield Legend(view, id="legend")
        yield StatusLine(id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#search").display = False
        self.query_one("#sidebar").display = self.app.size.width >= WIDE
        self.query_one(SpeakersPanel).show_placeholder("Nothing open")
        self.query_one(PlacesPanel).show_placeholder("Nothing open")
        if isinstance(self.first, Reading):
            self.show_reading(self.first)
        elif self.first is not None:
            self.open(self.first)
        elif self.nr_app.feeds:
            self.nr_app.show_feeds(self.nr_app.feeds)
        else:
            self.action_library()

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    @property
    def article(self) -> Article | None:
        return self.view.article

    # -- opening -----------------------------------------------------------------

    def open(self, request: OpenRequest) -> None:
        """Load and clean a source in a worker; the screen stays responsive meanwhile.

        Loading and annotating are separate workers, so a source that fails to
        load leaves the current article (and its annotation, if still running) alone.
        """
        self.status.set_busy("Loading…")
        self._load_worker(request)

    @work(exclusive=True, group="load", exit_on_error=False)
    async def _load_worker(self, request: OpenRequest) -> None:
        pipeline = self.nr_app.pipeline
        try:
            page = request.page or await in_thread(pipeline.load, request.source or request.label)
            self.status.set_busy("Cleaning…")
            article = await in_thread(pipeline.clean, page)
        except Exception as error:  # any failure becomes a message, never a traceback
            self.show_error(request.label, describe(error))
            return
        self.show_article(article)

    @work(exclusive=True, group="annotate", exit_on_error=False)
    async def _annotate_worker(self, article: Article) -> None:
        try:
            reading = await in_thread(self.nr_app.pipeline.annotate, article, model=self.nr_app.model)
        except Exception as error:
            self._annotation_failed(article, describe(error))
            return
        self._annotated(article, reading)

    def show_article(self, article: Article, annotate: bool = True) -> None:
        """Show the clean text at once and start annotating it; panels wait for the result."""
        self.reading = None
        self.current_quote = None
        self.track = Track("quotes", ())
        self._close_search()
        self.app.sub_title = article.title or ""
        self.query_one(ContentSwitcher).current = "article"
        self.view.show_article(article)
        self.view.focus()
        for panel in (self.query_one(SpeakersPanel), self.query_one(PlacesPanel)):
            panel.show_placeholder("Annotating…")
        self._update_status()
        if annotate:
            self.status.set_busy("Annotating…")
            # after the text is painted: importing spaCy in a thread would hold up the first paint
            self.call_after_refresh(self._annotate_worker, article)

    def _annotated(self, article: Article, reading: Reading) -> None:
        if self.feed_cursor is not None:
            self.feed_cursor.annotated(reading)
        if article is self.article:
            self.show_reading(reading)

    def show_reading(self, reading: Reading) -> None:
        """Show an annotated article: highlights, panels, quote navigation."""
        if self.article is not reading.article:
            self.show_article(reading.article, annotate=False)
        self.reading = reading
        self.view.show_reading(reading)
        self.view.set_layers(self.shown_layers)
        self.track = quote_track(reading)
        self.query_one(SpeakersPanel).show_reading(reading)
        self.query_one(PlacesPanel).show_reading(reading)
        self.status.set_busy(None)
        self._update_status()

    def show_error(self, label: str, message: str) -> None:
        """Say what went wrong; keep the current article if there is one."""
        annotating = self.article is not None and any(
            w.group == "annotate" and w.is_running for w in self.app.workers if w.node is self
        )
        self.status.set_busy("Annotating…" if annotating else None)
        self.app.notify(message, title=f"Could not open {label}", severity="error", markup=False, timeout=8)
        if self.article is None:
            self.query_one(ErrorView).show_error(label, message)
            self.query_one(ContentSwitcher).current = "error"

    def _annotation_failed(self, article: Article, message: str) -> None:
        if article is not self.article:
            return
        self.status.set_busy(None)
        self.app.notify(
            f"The text is shown without highlights. {message}",
            title="Could not find quotes and names", severity="warning", markup=False, timeout=8,
        )
        for panel in (self.query_one(SpeakersPanel), self.query_one(PlacesPanel)):
            panel.show_placeholder("Not available")

    # -- navigation --------------------------------------------------------------

    def _set_track(self, track: Track) -> None:
        self.track = track
        if track.current_quote is not None:
            self.current_quote = track.current_quote
        self.view.set_current(track.current)
        self._update_status()

    def _update_status(self) -> None:
        self.status.set_position(status_text(self.track, self.reading) if self.article else "")

    def action_step(self, forward: bool) -> None:
        """``n``/``p``: the next or previous quote, speaker quote, mention or match."""
        if self.article is None:
            return
        if self.reading is None and self.track.kind != "search":
            self.app.notify("Quotes appear when annotation finishes.", timeout=3)
            return
        self._set_track(self.track.step(forward, anchor=self.view.top_offset()))

    def action_reset(self) -> None:
        """Escape: leave search or a speaker's/place's track, back to all quotes."""
        if self.query_one("#search").display:
            self._close_search()
        if self.reading is None:
            self._set_track(Track("quotes", ()))
            return
        keep = self.current_quote if self.track.kind in ("quotes", "speaker") else None
        self._set_track(quote_track(self.reading, keep))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a speaker or a place: step through their quotes or mentions."""
        panel = event.option_list
        if self.reading is None or not isinstance(panel, (SpeakersPanel, PlacesPanel)):
            return
        name = panel.names[event.option_index]
        if isinstance(panel, SpeakersPanel):
            self.select_speaker(name)
        else:
            self.select_place(name)

    def select_speaker(self, name: str) -> None:
        """Jump to ``name``'s first quote; ``n``/``p`` then stay with this speaker."""
        if self.reading is not None:
            self._set_track(speaker_track(self.reading, name).at(0))

    def select_place(self, name: str) -> None:
        """Jump to the first mention of place ``name``; ``n``/``p`` then step its mentions."""
        if self.reading is not None:
            self._set_track(place_track(self.reading, name).at(0))

    # -- search ------------------------------------------------------------------

    def action_search(self) -> None:
        if self.article is None:
            return
        search = self.query_one("#search", Input)
        search.display = True
        search.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        """Highlight matches as the query is typed."""
        if event.input.id != "search" or not event.input.display or self.article is None:
            return
        if not event.value:
            self.view.set_matches(())
            self._set_track(quote_track(self.reading) if self.reading else Track("quotes", ()))
            return
        matches = find_all(self.article.text, event.value)
        self.view.set_matches(matches)
        self._set_track(Track("search", tuple(matches), label=event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "search":
            self.step_search(forward=True)

    def step_search(self, forward: bool) -> None:
        """Move to the next/previous match; the article takes focus so ``n``/``p`` go on."""
        if self.track.kind == "search" and self.track.spans:
            self._set_track(self.track.step(forward, anchor=self.view.top_offset()))
            self.view.focus()

    def _close_search(self) -> None:
        search = self.query_one("#search", Input)
        if search.display:
            search.display = False
            search.value = ""
            self.view.set_matches(())
            self.view.focus()

    # -- panels and layers -------------------------------------------------------

    def action_toggle_panels(self) -> None:
        sidebar = self.query_one("#sidebar")
        sidebar.display = not sidebar.display
        if not sidebar.display and self.focused is not None and sidebar in self.focused.ancestors:
            self.view.focus()

    def action_toggle_layer(self, layer: str) -> None:
        """Switch one highlight layer (quotes, people, organisations, places) on or off."""
        self.shown_layers = self.shown_layers ^ {layer}
        self.view.set_layers(self.shown_layers)
        self.query_one(Legend).refresh()

    def on_article_view_styles_changed(self, _: ArticleView.StylesChanged) -> None:
        self.query_one(Legend).refresh()

    # -- library ---------------------------------------------------------------

    def action_library(self) -> None:
        """``L``: the saved articles; Escape there comes back to this article."""
        self.app.push_screen(LibraryScreen(can_go_back=lambda: self.article is not None), self._from_library)

    def _from_library(self, choice: LibraryChoice | None) -> None:
        """Show a saved Reading as it was saved (no pipeline), or open the source typed there."""
        if isinstance(choice, Reading):
            self.workers.cancel_group(self, "load")  # a source still loading must not replace it
            self.workers.cancel_group(self, "annotate")
            self.show_reading(choice)
        elif isinstance(choice, FeedChoice):
            self.nr_app.show_feeds(choice.addresses)
        elif choice is not None:
            self.open(OpenRequest(choice, choice))

    @work(thread=True, group="library_save", exit_on_error=False)
    def _save_to_library(self, reading: Reading) -> None:
        entry = with_library(self.app, lambda library: library.save(reading), "Could not save to the library")
        if entry is not None:
            post(self.app, self.app.notify, f"Saved to library as #{entry.id}", title="Saved", markup=False)

    # -- feeds -------------------------------------------------------------------

    def show_feed_item(self, shown: OpenRequest | Reading) -> None:
        """Show a feed's item: its annotated article at once, or load it as any source."""
        if isinstance(shown, Reading):
            self.workers.cancel_group(self, "load")
            self.workers.cancel_group(self, "annotate")
            self.show_reading(shown)
        else:
            self.open(shown)

    def action_item(self, forward: bool) -> None:
        """``N``/``P``: the next or previous item of the feed, without going back to the list."""
        shown = self.feed_cursor.step(forward) if self.feed_cursor is not None else None
        if shown is None:
            self.app.notify("No more items this way.", timeout=3)
            return
        self.show_feed_item(shown)

    def action_feed_items(self) -> None:
        """``F``: back to the feed's items."""
        if self.feed_cursor is not None:
            self.nr_app.show_feeds(self.feed_cursor.screen.addresses)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The feed keys only for a feed's item."""
        if action in ("item", "feed_items"):
            return self.feed_cursor is not None
        return True

    # -- open, save, copy, help --------------------------------------------------

    def action_open(self) -> None:
        def opened(source: str | None) -> None:
            if source:
                self.open(OpenRequest(source, source))

        self.app.push_screen(OpenScreen(), opened)

    def action_save(self) -> None:
        """Choose a format and a path, then write a copy (never over a file without asking)."""
        if self.article is None:
            self.app.notify("Open an article first.", timeout=3)
            return
        from newsreader.export import FORMATS  # the export registry loads its renderers lazily

        choices = [FormatChoice(f.name, f.extension, f.description) for f in FORMATS.values()]
        stem = safe_stem(self.article.title)
        screen = SaveScreen(choices, self.nr_app.save_dir, stem, chosen=self.nr_app.save_format)
        self.app.push_screen(screen, self._save)

    def _save(self, request: SaveRequest | SaveToLibrary | None, overwrite: bool = False) -> None:
        from newsreader.export import render
        from newsreader.export.files import write_atomic

        if request is None or self.article is None:
            return
        if isinstance(request, SaveToLibrary):
            if self.reading is None:  # the library keeps annotated articles only
                self.app.notify("Annotation has not finished yet: save to the library once the highlights appear.",
                                title="Not saved", severity="warning", timeout=5)
            else:
                self._save_to_library(self.reading)
            return
        reading = self.reading or Reading(self.article)
        self.nr_app.save_format = request.format
        try:
            if request.path.parent == self.nr_app.save_dir:  # the proposed folder may not exist yet
                request.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(request.path, render(reading, request.format, saved=datetime.now().astimezone()), overwrite=overwrite)
        except FileExistsError:
            question = f"{request.path} already exists. Replace it?"
            self.app.push_screen(ConfirmScreen(question), lambda yes: yes and self._save(request, overwrite=True))
            return
        except OSError as error:
            self.app.notify(f"{request.path}: {error.strerror or error}", title="Could not save",
                            severity="error", markup=False)
            return
        note = "" if self.reading else " (without highlights: annotation had not finished)"
        self.app.notify(f"Saved {request.path}{note}", title="Saved", markup=False)

    def action_copy_quote(self) -> None:
        """``y``: copy the current quote with its speaker, title and source."""
        if self.reading is None or self.current_quote is None:
            self.app.notify("No quote selected: press n to go to one.", timeout=3)
            return
        self.app.copy_to_clipboard(quote_for_clipboard(self.reading, self.current_quote))
        self.app.notify("Copied the quote.", timeout=2)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.nr_app.help_sections(), self.nr_app.help_notes()))
