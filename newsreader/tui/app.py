"""The newsreader app and ``run``, the entry point the CLI calls.

The app itself holds configuration (how to load and annotate, where to save,
the reading width) and chooses the first screen; everything about reading an
article lives on :class:`~newsreader.tui.reader.ReaderScreen`, and the saved
articles on :class:`~newsreader.tui.library_screen.LibraryScreen`, which comes
up over the reader when there is nothing to open.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from newsreader.errors import NewsreaderError
from newsreader.model import Article, Page, Reading
from newsreader.samples import demo_page
from newsreader.tui.article_view import ArticleView
from newsreader.tui.reader import OpenRequest, ReaderScreen
from newsreader.tui.savefile import default_save_dir
from newsreader.tui.widgets import EntityPanel
from newsreader.tui.workers import stages_running


@dataclass(frozen=True)
class Pipeline:
    """The three stages the reader runs in its worker; tests pass fakes or a fixed Reading."""

    load: Callable[[str], Page]
    clean: Callable[[Page], Article]
    annotate: Callable[..., Reading]  # annotate(article, model=None)


def default_pipeline() -> Pipeline:
    """The real pipeline, each stage imported on first use.

    Loading and cleaning do not import spaCy (only annotation does), so the clean
    text paints while the model is still loading.
    """

    def load(source: str) -> Page:
        from newsreader.pipeline import fetch

        return fetch(source)

    def clean(page: Page) -> Article:
        from newsreader.clean import clean as clean_page

        return clean_page(page)

    def annotate(article: Article, model: str | None = None) -> Reading:
        from newsreader.nlp import annotate as annotate_article

        return annotate_article(article, model=model)

    return Pipeline(load, clean, annotate)


class NewsreaderApp(App[None]):
    """Read one article: ``source`` to load, a ``page`` already read, or a ready ``reading``."""

    CSS_PATH = "newsreader.tcss"
    TITLE = "newsreader"

    def __init__(
        self,
        source: str | None = None,
        *,
        page: Page | None = None,
        reading: Reading | None = None,
        model: str | None = None,
        pipeline: Pipeline | None = None,
        measure: int = 80,
        save_dir: Path | None = None,
        feeds: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.feeds = list(feeds)  # feed addresses to show first (newsreader feed URL…)
        self.source = source
        self.page = page
        self.initial_reading = reading
        self.model = model
        self.pipeline = pipeline or default_pipeline()
        self.measure = measure  # the body's width in columns
        self.save_dir = save_dir or default_save_dir()
        self.save_format: str | None = None  # the last format saved, proposed next time

    def get_default_screen(self) -> Screen:
        return ReaderScreen(self._first())

    def _first(self) -> Reading | OpenRequest | None:
        """What the reader opens first; ``None`` brings up the library."""
        if self.initial_reading is not None:
            return self.initial_reading
        if self.page is not None:
            return OpenRequest(self.source or self.page.source, page=self.page)
        if self.source is not None:
            return OpenRequest(self.source, self.source)
        return None

    def show_feeds(self, addresses: Sequence[str]) -> None:
        """The feed screen for ``addresses`` over the reader: the same one (its filter, its
        annotations) when it shows those feeds already."""
        from newsreader.tui.feed_screen import SCREEN_NAME, FeedScreen

        if self.is_screen_installed(SCREEN_NAME):
            if list(addresses) == self.get_screen(SCREEN_NAME).addresses:  # type: ignore[attr-defined]
                self.push_screen(SCREEN_NAME)
                return
            self.uninstall_screen(SCREEN_NAME)
            self.reader.feed_cursor = None
        self.install_screen(FeedScreen(addresses), SCREEN_NAME)
        self.push_screen(SCREEN_NAME)

    @property
    def reader(self) -> ReaderScreen:
        """The reader screen (the app's base screen)."""
        return self.screen_stack[0]  # type: ignore[return-value]

    # -- help and commands -------------------------------------------------------

    def help_sections(self) -> list[tuple[str, list[Binding]]]:
        """Every key, grouped as the help screen shows them."""
        reader = [b for b in ReaderScreen.BINDINGS if isinstance(b, Binding)]
        by_id = {b.id: b for b in reader}
        general = [
            Binding("tab", "", "Next pane (article, speakers, places)", id="focus_next"),
            Binding(self.COMMAND_PALETTE_BINDING, "", "Commands (themes, layers…)", id="command_palette"),
        ]
        return [
            ("Quotes", [by_id[i] for i in ("next_quote", "previous_quote", "reset", "copy_quote")]),
            ("Moving", [b for b in ArticleView.BINDINGS if isinstance(b, Binding)]),
            ("Panels (Speakers, Places)", [by_id["toggle_panels"], *EntityPanel.BINDINGS,
                                           Binding("enter", "", "Step through this speaker or place")]),
            ("Highlights", [by_id[f"toggle_{layer}"] for layer in ("quotes", "people", "organisations", "places")]),
            ("Article", [by_id[i] for i in ("search", "save", "open", "library")]),
            ("Feed items", [by_id[i] for i in ("next_item", "previous_item", "feed_items")]),
            ("App", [*general, by_id["help"], by_id["quit"]]),
        ]  # type: ignore[list-item]

    def help_notes(self) -> list[str]:
        return [
            "Search: type, then Enter (next) or Shift+Enter (previous); n/p go on; Esc leaves search.",
            f"Saved copies go to {self.save_dir} unless you type another path.",
            "Colours follow the theme (ctrl+p, then Theme).",
        ]

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if not isinstance(screen, ReaderScreen):
            return
        for layer in ("quotes", "people", "organisations", "places"):
            yield SystemCommand(
                f"Toggle {layer}", f"Show or hide the {layer} highlights",
                lambda layer=layer: screen.action_toggle_layer(layer),
            )
        yield SystemCommand("Toggle panels", "Show or hide the Speakers and Places panels", screen.action_toggle_panels)
        yield SystemCommand("Open", "Open another article (URL or file)", screen.action_open)
        yield SystemCommand("Library", "Saved articles: search, read, remove", screen.action_library)
        yield SystemCommand("Save", "Save a copy (json, md, txt, html) or save to the library", screen.action_save)
        yield SystemCommand("Search", "Find words in the article", screen.action_search)
        yield SystemCommand("Copy quote", "Copy the current quote, its speaker and source", screen.action_copy_quote)
        yield SystemCommand("Help", "Show all keys", screen.action_help)


def run(source: str | None, demo: bool = False, model: str | None = None, measure: int = 80) -> int:
    """Open the reader on ``source`` (URL, path or ``-``), the demo, or (with neither) the library.

    ``model`` names the spaCy model; ``measure`` is the body's width in columns.

    Returns the process exit status. Standard input is read before the app starts,
    because the app then needs the terminal for keys.
    """
    page: Page | None = None
    if demo or source == "-":
        try:
            page = demo_page() if demo else default_pipeline().load("-")
        except NewsreaderError as error:
            print(f"newsreader: {error}", file=sys.stderr)
            return 1
    if source == "-" and not demo and not _attach_terminal():
        print("newsreader: no terminal to show the reader on; try 'newsreader export -'", file=sys.stderr)
        return 1
    app = NewsreaderApp(source, page=page, model=model, measure=measure)
    app.run()
    status = app.return_code or 0
    if stages_running():
        # A load or an annotation is still going (a silent server, a long text) and a
        # thread cannot be stopped: end the process now rather than wait for it at exit.
        # Nothing is lost: its result is no longer wanted, the app's own writes are done
        # (they run in workers that the app waits for), and every file is written atomically.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    return status


def run_feeds(addresses: Sequence[str], model: str | None = None, measure: int = 80) -> int:
    """Open the feed screen on ``addresses`` (feeds, pages naming one, feed files)."""
    app = NewsreaderApp(model=model, measure=measure, feeds=addresses)
    app.run()
    status = app.return_code or 0
    if stages_running():  # as in run(): a load still going must not hold up the exit
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    return status


def _attach_terminal() -> bool:
    """After reading a pipe, make the controlling terminal our standard input for keys."""
    if sys.stdin is not None and sys.stdin.isatty():
        return True
    try:
        fd = os.open("/dev/tty", os.O_RDONLY)
    except OSError:
        return False
    os.dup2(fd, 0)
    os.close(fd)
    return True
