"""The reader screen: the article, its panels, search, save and copy, the way to the library.

All reading keys live on this screen rather than on the app, so that a modal
dialog on top (save, open, help) does not also answer ``n``, ``s`` or ``q``.
Slow work (fetching, cleaning, the spaCy model) runs in threads that never hold
up quitting (:func:`~newsreader.tui.workers.in_thread`); the text is shown as soon
as it is clean and the highlights follow.

Corrections (``c``, undone with ``u``) are kept as a list on top of the Reading as
it was opened, and the Reading shown is always that one with the list applied
(:func:`newsreader.corrections.apply`); saving to the library hands over both.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Input, OptionList

from newsreader.corrections import Correction, apply, find
from newsreader.model import Article, Page, Reading
from newsreader.pipeline import Pipeline, default_pipeline
from newsreader.safety import source_label, title_stem
from newsreader.samples import DEMO_SOURCE, demo_page
from newsreader.tui.article_view import LAYERS, ArticleView
from newsreader.tui.browser import open_in_browser
from newsreader.tui.commands import ScreenCommands
from newsreader.tui.footer import FittedFooter
from newsreader.tui.handoff import (
    ITEM_BINDINGS,
    LIBRARY,
    FeedAnswer,
    FeedChoice,
    FeedCursor,
    ItemChosen,
    LibraryChoice,
    LibraryPlace,
    QuoteChoice,
)
from newsreader.tui.keymap import key
from newsreader.tui.messages import ArticleClicked, PreviousMatchAsked, StylesChanged
from newsreader.tui.navigation import Track, place_track, quote_track, speaker_track, status_text
from newsreader.tui.visibility import hide, is_shown, show
from newsreader.tui.widgets import EntityPanel, ErrorView, Legend, PlacesPanel, SpeakersPanel, StatusLine
from newsreader.tui.workers import FailuresReported, describe, in_thread, post, with_library, written

if TYPE_CHECKING:  # the dialogs load when first opened: the reader paints sooner
    from newsreader.tui.map_view import MapView
    from newsreader.tui.screens import SaveRequest, SaveToLibrary

MAX_MATCHES = 10_000  # a one-letter search in a long article should not stall the screen
MIN_ARTICLE = 60  # columns of text under which reading tires: the panels make way ("auto")
SIDEBAR = 34  # the panels' width beside a useful column of text; wider when there is room
ARTICLE_MARGINS = 4  # the article's indent, scroll bar and gutter around its column
PANEL_CHROME = 5  # a panel's borders, its options' padding and a scroll bar


def write_copy(reading: Reading, request: SaveRequest, overwrite: bool) -> None:
    """Write a clean copy as the save dialog asked, creating its folder as ``export
    --output-dir`` does (FileExistsError when the file is there and not to be replaced)."""
    from newsreader.export import render
    from newsreader.export.files import write_atomic

    request.path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(request.path, render(reading, request.format, saved=datetime.now().astimezone()), overwrite=overwrite)


@dataclass(frozen=True)
class ReaderOptions:
    """What the reader screen needs from the settings: it reaches into nothing else."""

    pipeline: Pipeline
    model: str | None = None  # the spaCy model; None: the default
    measure: int = 80  # the body's width in columns
    panels: str = "auto"  # "auto", "shown" or "hidden" when the reader opens
    save_dir: Path = field(default_factory=Path.cwd)  # where copies are proposed first
    save_format: str | None = None  # the format proposed first; None: the dialog's own
    map_glyphs: str = "braille"  # how the map draws: "braille", or "ascii" for fonts without those
    feeds: tuple[str, ...] = ()  # feed addresses to show first, over the reader


@dataclass(frozen=True)
class OpenRequest:
    """A source to open: ``page`` is set when it was read before the app started (stdin)."""

    label: str  # what the user asked for, as shown in messages
    source: str | None = None  # passed to load()
    page: Page | None = None
    fresh: bool = False  # a reload: ask the server even when the cache has a young copy


def sidebar_width(screen: int, measure: int, wanted: int, shown: bool | None) -> int:
    """How wide the Speakers and Places panels are (0: hidden) on a ``screen`` that many
    columns wide, beside an article ``measure`` columns wide, when their longest name
    needs ``wanted``. ``shown`` is the reader's choice (``[``, ``--panels``), ``None`` for auto:
    shown while the article keeps a useful width. There is room for whole names when
    the article's column leaves it; panels asked for on a narrow screen get half of it."""
    useful = min(measure, MIN_ARTICLE) + ARTICLE_MARGINS
    fits = screen - SIDEBAR >= useful
    if not (fits if shown is None else shown):
        return 0
    if not fits:
        return max(1, min(SIDEBAR, screen // 2))
    return max(SIDEBAR, min(wanted, screen - measure - ARTICLE_MARGINS, screen - useful))


def sentence(message: str) -> str:
    """A message as a sentence: a capital first letter and a full stop."""
    message = message.strip()
    if not message:
        return message
    return message[0].upper() + message[1:] + ("" if message[-1] in ".!?" else ".")


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
    if not quote.sure:
        attribution = f"probably {attribution}"
    title = f", “{article.title}”" if article.title else ""
    return f"“{quote.text}”\n— {attribution}{title}\n{article.source}"


class SearchInput(Input):
    """The search box: Enter finds the next match, Shift+Enter the previous one."""

    BINDINGS = [Binding("shift+enter", "previous_match", "Previous match", show=False, id="previous_match")]

    def action_previous_match(self) -> None:
        self.post_message(PreviousMatchAsked())


class ReaderCommands(ScreenCommands):
    """The reader's entries in the command palette."""

    def commands(self) -> Iterable[SystemCommand]:
        screen = self.screen
        return screen.palette_commands() if isinstance(screen, ReaderScreen) else ()


class ReaderScreen(FailuresReported, Screen[None]):
    """One article at a time, with everything the keys in DESIGN.md promise."""

    COMMANDS = {ReaderCommands}

    BINDINGS = [
        Binding("n", "step(True)", "Next", tooltip="Next quote (or speaker quote, mention, match)", id="next_quote"),
        Binding("p", "step(False)", "Prev", tooltip="Previous quote (or speaker quote, mention, match)",
                id="previous_quote"),
        Binding("slash", "search", "Search", tooltip="Search the article", id="search"),
        Binding("s", "save", "Save", tooltip="Save a copy (json, md, txt, html) or save to the library", id="save"),
        Binding("o", "open", "Open", tooltip="Open another article (URL or file)", id="open"),
        Binding("O", "open_original", "Browser", show=False, tooltip="Open the original page in the web browser",
                id="open_original"),
        Binding("r", "reload", "Reload", show=False, tooltip="Read the source again (the page, from the web)",
                id="reload"),
        Binding("L", "library", "Library", tooltip="Saved articles: search, read, remove", id="library"),
        Binding("y", "copy_quote", "Copy", tooltip="Copy the current quote with its speaker and source",
                id="copy_quote"),
        Binding("c", "correct_speaker", "Who said", show=False,
                tooltip="Correct who said the current quote (or: not a quote)", id="correct_speaker"),
        Binding("u", "undo_correction", "Undo", show=False, tooltip="Undo the last correction",
                id="undo_correction"),
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
                tooltip="Leave search, or a speaker's or place's steps: back to all quotes "
                        "(then to the library, for an article read from there)", id="reset"),
        Binding("question_mark", "help", "Help", tooltip="Show all keys", id="help"),
        Binding("q", "app.quit", "Quit", tooltip="Quit", id="quit"),
        # after help and quit, so that a narrow footer leaves the map out first
        Binding("m", "toggle_map", "Map", tooltip="Show the places on a map instead of the article (m or esc: back)",
                id="toggle_map"),
        *ITEM_BINDINGS,
    ]

    # The screen's state: each change is drawn by its watcher, whoever makes it.
    reading: reactive[Reading | None] = reactive[Reading | None](None, always_update=True, init=False)
    """What is shown: ``base`` with ``corrections`` applied (None: not annotated yet)."""
    track: reactive[Track] = reactive(Track("quotes", ()), always_update=True, init=False)
    """What ``n`` and ``p`` step through, and where they are (a step to the same span scrolls to it again)."""
    shown_layers: reactive[frozenset[str]] = reactive(frozenset(LAYERS), init=False)
    """The highlight layers drawn."""
    panels_shown: reactive[bool | None] = reactive[bool | None](None, init=False)
    """The reader's choice for the panels; None: shown when there is room."""

    def __init__(self, first: Reading | Article | OpenRequest | None = None, options: ReaderOptions | None = None) -> None:
        """Open ``first`` at once; with nothing to open, the library comes up over the reader."""
        super().__init__()
        self.first = first
        self.options = options or ReaderOptions(default_pipeline())
        self.save_dir, self.save_format = self.options.save_dir, self.options.save_format  # then the last used
        self.base: Reading | None = None  # the Reading as it was opened
        self.corrections: list[Correction] = []  # made here, oldest first; ``u`` takes back the last
        self.current_quote: int | None = None  # the quote ``y`` copies and ``c`` corrects; set with the track
        self.from_library = False  # the article was opened from the library: Escape goes back there
        self.library_place = LibraryPlace()  # where the library list was, to come back to it
        self.feed_cursor: FeedCursor | None = None  # set when the article is a feed's item

    # -- building ----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        view = ArticleView(measure=self.options.measure, id="article")
        with Horizontal(id="main"):
            with ContentSwitcher(initial="article", id="switcher"):
                yield view
                yield ErrorView(id="error")
            with Vertical(id="sidebar"):
                yield SpeakersPanel("Speakers", id="speakers")
                yield PlacesPanel("Places", id="places")
        enter = self.app.get_key_display(Binding("enter", ""))
        previous, done = key(self.app, "previous_match"), key(self.app, "reset")
        placeholder = f"Search ({enter} next, {previous} previous, {done} done)"
        yield SearchInput(placeholder=placeholder, id="search", compact=True)
        yield Legend(view, id="legend")
        yield StatusLine(id="status")
        yield FittedFooter(compact=True)

    def on_mount(self) -> None:
        hide(self.query_one("#search"))
        panels = self.options.panels
        self.panels_shown = None if panels == "auto" else panels == "shown"
        self._fit_panels()
        self.query_one(SpeakersPanel).show_placeholder("Nothing open")
        self.query_one(PlacesPanel).show_placeholder("Nothing open")
        if isinstance(self.first, Reading):
            self.show_reading(self.first)
        elif isinstance(self.first, Article):
            self.show_article(self.first)
        elif self.first is not None:
            self.open(self.first)
        elif self.options.feeds:
            self.show_feeds(self.options.feeds)
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
        pipeline = self.options.pipeline
        try:
            fresh = {"fresh": True} if request.fresh else {}
            page = request.page or await in_thread(pipeline.load, request.source or request.label, **fresh)
            self.status.set_busy("Cleaning…")
            article = await in_thread(pipeline.clean, page)
        except Exception as error:  # any failure becomes a message, never a traceback
            self.show_error(request.label, describe(error))
            return
        self.show_article(article)

    @work(exclusive=True, group="annotate", exit_on_error=False)
    async def _annotate_worker(self, article: Article) -> None:
        try:
            reading = await in_thread(self.options.pipeline.annotate, article, model=self.options.model)
        except Exception as error:
            self._annotation_failed(article, describe(error))
            return
        self._annotated(article, reading)

    def show_article(self, article: Article, annotate: bool = True) -> None:
        """Show the clean text at once and start annotating it; panels wait for the result."""
        self.reading = self.base = None
        self.corrections = []
        self.current_quote = None
        self.track = Track("quotes", ())
        self.from_library = False
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
        self.base = reading
        self.corrections = []
        self.reading = reading
        if self.track.kind != "search":  # a search typed while annotating goes on
            self.track = quote_track(reading)
        self.status.set_busy(None)
        self._update_status()
        note = reading.annotation_note() if reading.article.english else None  # else it heads the article
        if note:
            self.app.notify(note[:1].upper() + note[1:] + ".", title="A very long text", severity="warning",
                            markup=False, timeout=10)

    def watch_reading(self, reading: Reading | None) -> None:
        """Draw an annotated reading: highlights, panels (the speaker chosen stays chosen),
        the map; before annotation the article's own view says what is shown."""
        if reading is None:
            return
        self.view.show_reading(reading)
        self.view.set_layers(self.shown_layers)
        speakers = self.query_one(SpeakersPanel)
        keep = speakers.highlighted if speakers.names else None
        speakers.show_reading(reading)
        if keep is not None and speakers.names:
            speakers.highlighted = min(keep, len(speakers.names) - 1)
        self.query_one(PlacesPanel).show_reading(reading)
        if (shown := self.map) is not None:
            shown.show_places(reading.places)
        self._fit_panels()  # the longest name may want a wider sidebar
        self._update_status()

    def show_error(self, label: str, message: str) -> None:
        """Say what went wrong; keep the current article if there is one."""
        label = source_label(label)  # what the user typed may hold a password, or be very long
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
            f"The text is shown without highlights. {sentence(message)}",
            title="Could not find quotes and names", severity="warning", markup=False, timeout=8,
        )
        for panel in (self.query_one(SpeakersPanel), self.query_one(PlacesPanel)):
            panel.show_placeholder("Not available")

    # -- navigation --------------------------------------------------------------

    def watch_track(self, track: Track) -> None:
        if track.current_quote is not None:
            self.current_quote = track.current_quote
        self.view.set_current(track.current)
        self._update_status()

    def _update_status(self) -> None:
        self.status.set_position(status_text(self.track, self.reading) if self.article else "")

    def action_step(self, forward: bool) -> None:
        """``n``/``p``: the next or previous quote, speaker quote, mention or match (in the
        article: from the map too)."""
        if self.article is None:
            return
        self._leave_map()
        if self.reading is None and self.track.kind != "search":
            self.app.notify("Quotes appear when annotation finishes.", timeout=3)
            return
        self.track = self._step(self.track, forward)

    def _step(self, track: Track, forward: bool) -> Track:
        """The next or previous span: from the current one while it is on screen, else from
        where the reader is looking (:meth:`ArticleView.step_anchor`), as after ``G`` or ``space``."""
        if track.current is not None and self.view.shows(track.current):
            return track.step(forward)
        return replace(track, index=None).step(forward, anchor=self.view.step_anchor(forward))

    def action_reset(self) -> None:
        """Escape: leave search or a speaker's/place's track, back to all quotes; from all
        quotes, back to the library list when the article came from it."""
        if self.map_shown() and not is_shown(self.query_one("#search")):
            self._leave_map()
            return
        if is_shown(self.query_one("#search")):
            self._close_search()
        elif self.from_library and self.track.kind == "quotes":
            self.action_library()
            return
        if self.reading is None:
            self.track = Track("quotes", ())
            return
        keep = self.current_quote if self.track.kind in ("quotes", "speaker") else None
        self.track = quote_track(self.reading, keep)

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
        self.view.focus()  # so that n, p, j, k and G move in the article

    def select_speaker(self, name: str) -> None:
        """Jump to ``name``'s first quote; ``n``/``p`` then stay with this speaker."""
        if self.reading is not None:
            self.track = speaker_track(self.reading, name).at(0)

    def select_place(self, name: str) -> None:
        """Jump to the first mention of place ``name``; ``n``/``p`` then step its mentions
        (in the article: from the map too, which comes back with ``m``)."""
        if self.reading is not None:
            self._leave_map()
            self.track = place_track(self.reading, name).at(0)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Moving through the Places panel highlights each place (and its country) on the map."""
        panel = event.option_list
        if isinstance(panel, PlacesPanel) and (shown := self.map) is not None and event.option_index < len(panel.names):
            shown.select(panel.names[event.option_index])

    # -- the map -----------------------------------------------------------------

    @property
    def map(self) -> MapView | None:
        """The map, once it has been shown (it is made the first time ``m`` is pressed)."""
        found = self.query("#map")
        return found.first() if found else None  # type: ignore[return-value]

    def map_shown(self) -> bool:
        return self.query_one(ContentSwitcher).current == "map"

    def _leave_map(self) -> None:
        """The article again in place of the map (when it is shown), with focus."""
        if self.map_shown():
            self.query_one(ContentSwitcher).current = "article"
            self.view.focus()

    async def action_toggle_map(self) -> None:
        """``m``: the article's places on a map in place of the article, or the article again."""
        switcher = self.query_one(ContentSwitcher)
        if self.map_shown():
            self._leave_map()
            return
        if self.reading is None:
            self.app.notify("Open an article first." if self.article is None
                            else "The map appears when annotation finishes.", timeout=3)
            return
        shown = self.map
        if shown is None:
            from newsreader.tui.map_view import MapView

            shown = MapView(self.options.map_glyphs, id="map")
            await switcher.add_content(shown)
            shown.show_places(self.reading.places)
        panel = self.query_one(PlacesPanel)
        if panel.highlighted is not None and panel.highlighted < len(panel.names):
            shown.select(panel.names[panel.highlighted])
        switcher.current = "map"
        shown.focus()

    # -- search ------------------------------------------------------------------

    def action_search(self) -> None:
        if self.article is None:
            return
        self._leave_map()  # the matches are in the article
        search = self.query_one("#search", Input)
        hide(self.query_one(Legend))  # the box takes the legend's line: nothing moves
        show(search)
        search.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        """Highlight matches as the query is typed."""
        if event.input.id != "search" or not is_shown(event.input) or self.article is None:
            return
        if not event.value:
            self.view.set_matches(())
            self.track = quote_track(self.reading) if self.reading else Track("quotes", ())
            return
        self._search(event.value)

    def _search(self, query: str) -> None:
        """Highlight every match of ``query``, in the title and the text, and step through them."""
        assert self.article is not None
        shift = self.view.title_offset()
        in_title = [(start + shift, end + shift) for start, end in find_all(self.view.title_text, query)]
        matches = in_title + find_all(self.article.text, query, MAX_MATCHES - len(in_title))
        self.view.set_matches(matches)
        self.track = Track("search", tuple(matches), label=query)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "search":
            self.step_search(forward=True)

    def step_search(self, forward: bool) -> None:
        """Move to the next/previous match; the article takes focus so ``n``/``p`` go on."""
        query = self.query_one("#search", Input).value
        if self.article is None or not query:
            self._close_search()
            return
        if self.track.kind != "search" or self.track.label != query:
            self._search(query)
        if self.track.spans:
            self.track = self._step(self.track, forward)
        self.view.focus()

    def _close_search(self) -> None:
        search = self.query_one("#search", Input)
        if is_shown(search):
            hide(search)
            search.value = ""
            show(self.query_one(Legend))
            self.view.set_matches(())
            self.view.focus()

    # -- panels and layers -------------------------------------------------------

    def action_toggle_panels(self) -> None:
        self.panels_shown = not is_shown(self.query_one("#sidebar"))

    def watch_panels_shown(self) -> None:
        self._fit_panels()

    def on_resize(self) -> None:
        self._fit_panels()

    def _fit_panels(self) -> None:
        """Show the panels, as wide as their names need and the screen allows, or hide them."""
        sidebar = self.query_one("#sidebar")
        panels = (self.query_one(SpeakersPanel), self.query_one(PlacesPanel))
        wanted = max((option.prompt.cell_length for panel in panels for option in panel.options
                      if isinstance(option.prompt, Content)), default=0) + PANEL_CHROME
        width = sidebar_width(self.size.width or self.app.size.width, self.options.measure, wanted, self.panels_shown)
        if width:
            sidebar.styles.width = width
        show(sidebar, bool(width))
        if not width and self.focused is not None and sidebar in self.focused.ancestors:
            self.view.focus()

    def action_toggle_layer(self, layer: str) -> None:
        """Switch one highlight layer (quotes, people, organisations, places) on or off."""
        self.shown_layers = self.shown_layers ^ {layer}

    def watch_shown_layers(self, layers: frozenset[str]) -> None:
        self.view.set_layers(layers)
        self.query_one(Legend).refresh()

    def on_previous_match_asked(self, _: PreviousMatchAsked) -> None:
        self.step_search(forward=False)

    def on_styles_changed(self, _: StylesChanged) -> None:
        self.query_one(Legend).refresh()

    # -- library ---------------------------------------------------------------

    def action_library(self) -> None:
        """``L``: the saved articles; Escape there comes back to this article."""
        from newsreader.tui.library_screen import LibraryScreen  # with its feed panel, only when it opens

        self.app.push_screen(LibraryScreen(can_go_back=lambda: self.article is not None, place=self.library_place),
                             self._from_library)

    def _from_library(self, choice: LibraryChoice | None) -> None:
        """Show a saved Reading as it was saved (no pipeline), or open the source typed there."""
        if isinstance(choice, (Reading, QuoteChoice)):
            reading = choice.reading if isinstance(choice, QuoteChoice) else choice
            self.workers.cancel_group(self, "load")  # a source still loading must not replace it
            self.workers.cancel_group(self, "annotate")
            self.show_reading(reading)
            self.from_library = True
            if isinstance(choice, QuoteChoice) and self.reading is not None:
                # once this screen is back and laid out: only then can the quote be scrolled to
                self.call_after_refresh(self._go_to_quote, self.reading, choice.quote)
        elif isinstance(choice, FeedChoice):
            self.show_feeds(choice.addresses)
        elif choice is not None:
            self.open(OpenRequest(choice, choice))

    @work(thread=True, group="library_save", exit_on_error=False)
    def _save_to_library(self, reading: Reading, corrections: tuple[Correction, ...] = ()) -> None:
        entry = with_library(self.app, lambda library: written(library.save, reading, corrections),
                             "Could not save to the library")
        if entry is not None:
            post(self.app, self.app.notify, f"Saved to library as #{entry.id}", title="Saved", markup=False)

    # -- feeds -------------------------------------------------------------------

    def show_feeds(self, addresses: Sequence[str]) -> None:
        """The feed screen for ``addresses`` over the reader: the same one (its filter, its
        annotations) when it shows those feeds already."""
        from newsreader.tui.feed_screen import SCREEN_NAME, FeedScreen  # only when it opens

        app = self.app
        if app.is_screen_installed(SCREEN_NAME):
            installed = app.get_screen(SCREEN_NAME)
            if isinstance(installed, FeedScreen) and list(addresses) == installed.addresses:
                app.push_screen(SCREEN_NAME, self._from_feeds)
                return
            app.uninstall_screen(SCREEN_NAME)
            self.feed_cursor = None  # its items are gone
        app.install_screen(FeedScreen(addresses, pipeline=self.options.pipeline, model=self.options.model,
                                      can_go_back=lambda: self.article is not None), SCREEN_NAME)
        app.push_screen(SCREEN_NAME, self._from_feeds)

    def _from_feeds(self, answer: FeedAnswer) -> None:
        """An item to read (with the way back to the items), or the library."""
        if isinstance(answer, ItemChosen):
            self.feed_cursor = answer.cursor
            self.show_feed_item(answer.shown)
        elif answer == LIBRARY:
            self.action_library()

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
            self.show_feeds(self.feed_cursor.screen.addresses)

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

        from newsreader.tui.screens import OpenScreen

        self.app.push_screen(OpenScreen(), opened)

    def action_open_original(self) -> None:
        """``O``: the article's web page in the browser ($BROWSER), without waiting for it."""
        source = self.article.source if self.article is not None else ""
        if not re.match(r"https?://", source, re.IGNORECASE):
            what = "No article is open" if self.article is None else "This article was not read from the web"
            self.app.notify(f"{what}: there is no page to open in the browser.", timeout=4)
            return
        open_in_browser(self, source)

    def action_reload(self) -> None:
        """``r``: read the source again (the page from the server, not the cache's copy)."""
        from newsreader.library import is_stdin

        article = self.article
        if article is None:
            return
        if article.source == DEMO_SOURCE:
            self.open(OpenRequest(article.source, page=demo_page()))
        elif is_stdin(article.source):
            self.app.notify("Standard input cannot be read again.", timeout=4)
        else:
            self.open(OpenRequest(article.source, article.source, fresh=True))

    def action_save(self, again: SaveRequest | None = None) -> None:
        """Choose a format and a path, then write a copy (never over a file without asking).
        ``again``: the dialog comes back with it after "Replace it?" is declined."""
        if self.article is None:
            self.app.notify("Open an article first.", timeout=3)
            return
        from newsreader.export import copies  # the export registry loads its renderers lazily
        from newsreader.tui.screens import FormatChoice, SaveScreen

        choices = [FormatChoice(f.name, f.extension, f.description) for f in copies()]
        stem = title_stem(self.article.title)
        chosen, path = (again.format, again.path) if again else (self.save_format, None)
        screen = SaveScreen(choices, self.save_dir, stem, chosen=chosen, path=path)
        self.app.push_screen(screen, self._save)

    def _save(self, request: SaveRequest | SaveToLibrary | None, overwrite: bool = False) -> None:
        from newsreader.tui.screens import SaveToLibrary

        if request is None or self.article is None:
            return
        if isinstance(request, SaveToLibrary):
            if self.reading is None:  # the library keeps annotated articles only
                self.app.notify("Annotation has not finished yet: save to the library once the highlights appear.",
                                title="Not saved", severity="warning", timeout=5)
            elif self.base is not None:
                self._save_to_library(self.base, tuple(self.corrections))
            return
        self.save_format = request.format
        self._save_copy(self.reading or Reading(self.article), request, overwrite)

    @work(group="save", exit_on_error=False)
    async def _save_copy(self, reading: Reading, request: SaveRequest, overwrite: bool) -> None:
        """Render and write the copy in a thread (a slow disk must not freeze the screen)."""
        try:
            await in_thread(written, write_copy, reading, request, overwrite)
        except FileExistsError:
            def answered(yes: bool | None) -> None:  # no: back to the dialog, the path as typed
                if yes:
                    self._save(request, overwrite=True)
                else:
                    self.action_save(request)

            from newsreader.tui.screens import ConfirmScreen

            self.app.push_screen(ConfirmScreen(f"{request.path} already exists. Replace it?"), answered)
            return
        except OSError as error:
            self.app.notify(f"{request.path}: {error.strerror or error}", title="Could not save",
                            severity="error", markup=False)
            return
        self.save_dir = request.path.parent  # proposed next time
        note = "" if reading.article is self.article and self.reading else " (without highlights: annotation had not finished)"
        self.app.notify(f"Saved {request.path}{note}", title="Saved", markup=False)

    def action_copy_quote(self) -> None:
        """``y``: copy the current quote with its speaker, title and source."""
        if self.reading is not None and not self.reading.quotes:
            self.app.notify("This article has no quotes to copy.", timeout=3)
            return
        if self.reading is None or self.current_quote is None:
            self.app.notify(f"No quote selected: press {key(self.app, 'next_quote')} to go to one.", timeout=3)
            return
        self.app.copy_to_clipboard(quote_for_clipboard(self.reading, self.current_quote))
        self.app.notify("Copied the quote.", timeout=2)

    # -- corrections -------------------------------------------------------------

    def action_correct_speaker(self) -> None:
        """``c``: say who said the current quote (a speaker, a new name, unnamed, not a quote)."""
        index = self.track.current_quote
        if self.reading is None or index is None:
            self.app.notify(f"No quote selected: press {key(self.app, 'next_quote')} to go to one.", timeout=3)
            return
        from newsreader.tui.correct_screen import CorrectScreen

        self.app.push_screen(CorrectScreen(self.reading, index), self._correct)

    def _correct(self, correction: Correction | None) -> None:
        if correction is None or self.base is None:
            return
        self.corrections.append(correction)
        self._apply_corrections(correction)
        done = ("Marked as not a quote" if correction.action == "not_quote"
                else f"Now said by {correction.describe()}")
        undo = key(self.app, "undo_correction")
        self.app.notify(f"{done}. {undo} undoes it; save to the library to keep it.", title="Corrected",
                        markup=False, timeout=4)

    def action_undo_correction(self) -> None:
        """``u``: take back the last correction (again and again, to the Reading as opened)."""
        if not self.corrections:
            self.app.notify("No correction to undo.", timeout=3)
            return
        undone = self.corrections.pop()
        self._apply_corrections(undone)
        self.app.notify(f"Undone: {undone.describe()}.", title="Undone", markup=False, timeout=3)

    def _apply_corrections(self, changed: Correction) -> None:
        """Show ``base`` with the corrections, on the quote ``changed`` is about (or the
        next one, when it is no longer a quote); a speaker's steps stay with the speaker."""
        assert self.base is not None
        reading = apply(self.base, self.corrections)
        self.reading = reading
        at = find(reading, changed)
        if at is None:  # gone: the next quote in the text, else the last
            later = sorted((q.start, i) for i, q in enumerate(reading.quotes) if q.start >= changed.start)
            at = later[0][1] if later else (len(reading.quotes) - 1 if reading.quotes else None)
        self._go_to_quote(reading, at)

    def _go_to_quote(self, reading: Reading, at: int | None) -> None:
        """Make quote ``at`` current, on the speaker's track when it is one of theirs."""
        track = quote_track(reading, at)
        if self.track.kind == "speaker":
            steps = speaker_track(reading, self.track.label)
            if at in steps.quotes:
                track = steps.at(steps.quotes.index(at))
        self.current_quote = at
        self.track = track

    def on_article_clicked(self, event: ArticleClicked) -> None:
        """A click inside a quote makes it the current one: ``n`` and ``y`` go on from there."""
        if self.reading is None:
            return
        at = next((i for i, q in enumerate(self.reading.quotes) if q.start <= event.offset < q.end), None)
        if at is not None:
            self._go_to_quote(self.reading, at)

    # -- help and commands -------------------------------------------------------

    def help_sections(self) -> list[tuple[str, list[Binding]]]:
        """Every key, grouped as the help screen shows them."""
        from newsreader.tui.map_view import MapView

        reader = [b for b in type(self).BINDINGS if isinstance(b, Binding)]
        by_id = {b.id: b for b in reader}
        general = [
            Binding("tab", "", "Next pane (article or map, speakers, places)", id="focus_next"),
            Binding(self.app.COMMAND_PALETTE_BINDING, "", "Commands (themes, layers…)", id="command_palette"),
        ]
        return [
            ("Quotes", [by_id[i] for i in ("next_quote", "previous_quote", "reset", "copy_quote",
                                           "correct_speaker", "undo_correction")]),
            ("Moving", [b for b in ArticleView.BINDINGS if isinstance(b, Binding)]),
            ("Panels (Speakers, Places)", [by_id["toggle_panels"],
                                           *(b for b in EntityPanel.BINDINGS if isinstance(b, Binding)),
                                           Binding("enter", "", "Step through this speaker or place")]),
            ("Highlights", [by_id[f"toggle_{layer}"] for layer in ("quotes", "people", "organisations", "places")]),
            ("Article", [by_id[i] for i in ("search", "save", "open", "open_original", "reload", "library")]),
            ("Map", [by_id["toggle_map"], *(b for b in MapView.BINDINGS if isinstance(b, Binding))]),
            ("Feed items", [by_id[i] for i in ("next_item", "previous_item", "feed_items")]),
            ("App", [*general, by_id["help"], by_id["quit"]]),
        ]  # type: ignore[list-item]

    def help_notes(self) -> list[str]:
        enter = self.app.get_key_display(Binding("enter", ""))
        steps = f"{key(self.app, 'next_quote')}/{key(self.app, 'previous_quote')}"
        palette = self.app.get_key_display(Binding(self.app.COMMAND_PALETTE_BINDING, ""))
        tab = self.app.get_key_display(Binding("tab", ""))
        from newsreader.tui.map_view import GLYPH_SETS

        markers = GLYPH_SETS[self.options.map_glyphs].markers
        return [
            f"Search: type, then {enter} (next) or {key(self.app, 'previous_match')} (previous); {steps} go on; "
            f"{key(self.app, 'reset')} leaves search.",
            "Speakers: \"2 +1?\" is two sure quotes and one unsure. An unsure quote is dimmer,"
            f" and the status line says \"probably\". {key(self.app, 'correct_speaker')} corrects a speaker,"
            f" {key(self.app, 'undo_correction')} undoes.",
            f"Map: {' '.join(reversed(markers))} mark the most to the least mentioned places (a country at its"
            " capital); the line under it names the places it has no point for. Its keys work while it has focus"
            f" ({tab}).",
            f"Saved copies go to {self.save_dir} unless you type another path.",
            f"Colours follow the theme ({palette}, then Theme).",
        ]

    def palette_commands(self) -> Iterable[SystemCommand]:
        """The reader's entries in the command palette (:class:`ReaderCommands`), each naming
        its key as it is now."""
        screen = self
        def keyed(text: str, binding_id: str) -> str:  # the key it has now, keymap and all
            return f"{text} (key {key(self.app, binding_id)})"

        for layer in ("quotes", "people", "organisations", "places"):  # the palette matches titles only
            yield SystemCommand(
                f"Toggle {layer} highlight layer", keyed(f"Show or hide the {layer} highlights", f"toggle_{layer}"),
                lambda layer=layer: screen.action_toggle_layer(layer),
            )
        yield SystemCommand("Toggle panels", keyed("Show or hide the Speakers and Places panels", "toggle_panels"),
                            screen.action_toggle_panels)
        yield SystemCommand("Open", keyed("Open another article (URL or file)", "open"), screen.action_open)
        yield SystemCommand("Open in browser", keyed("The original page, in the web browser", "open_original"),
                            screen.action_open_original)
        yield SystemCommand("Reload", keyed("Read the source again", "reload"), screen.action_reload)
        yield SystemCommand("Map", keyed("The article's places on a map", "toggle_map"), screen.action_toggle_map)
        yield SystemCommand("Library", keyed("Saved articles: search, read, remove", "library"), screen.action_library)
        yield SystemCommand("Save", keyed("Save a copy (json, md, txt, html) or save to the library", "save"),
                            screen.action_save)
        yield SystemCommand("Search", keyed("Find words in the article", "search"), screen.action_search)
        yield SystemCommand("Copy quote", keyed("Copy the current quote, its speaker and source", "copy_quote"),
                            screen.action_copy_quote)
        yield SystemCommand("Correct speaker", keyed("Say who said the current quote, or that it is not a quote",
                                                     "correct_speaker"), screen.action_correct_speaker)
        yield SystemCommand("Undo correction", keyed("Take back the last correction", "undo_correction"),
                            screen.action_undo_correction)
        yield SystemCommand("Help", keyed("Show all keys", "help"), screen.action_help)

    def action_help(self) -> None:
        from newsreader.tui.screens import HelpScreen, applying

        self.app.push_screen(HelpScreen(applying(self, self.help_sections()), self.help_notes()))
