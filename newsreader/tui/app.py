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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from operator import attrgetter
from pathlib import Path

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen
from textual.theme import ThemeProvider

from newsreader import config as settings_file
from newsreader.config import Config, Settings
from newsreader.errors import NewsreaderError
from newsreader.model import Article, Page, Reading
from newsreader.samples import demo_page
from newsreader.tui import palette
from newsreader.tui.article_view import ArticleView
from newsreader.tui.keymap import key
from newsreader.tui.reader import OpenRequest, ReaderScreen
from newsreader.tui.widgets import EntityPanel
from newsreader.tui.workers import stages_running


@dataclass(frozen=True)
class Pipeline:
    """The three stages the reader runs in its worker; tests pass fakes or a fixed Reading."""

    load: Callable[..., Page]  # load(source, fresh=False); fresh: not from the cache (a reload)
    clean: Callable[[Page], Article]
    annotate: Callable[..., Reading]  # annotate(article, model=None)


def default_pipeline() -> Pipeline:
    """The real pipeline, each stage imported on first use.

    Loading and cleaning do not import spaCy (only annotation does), so the clean
    text paints while the model is still loading.
    """

    def load(source: str, fresh: bool = False) -> Page:
        from newsreader.pipeline import fetch

        return fetch(source, fresh=fresh)

    def clean(page: Page) -> Article:
        from newsreader.clean import clean as clean_page

        return clean_page(page)

    def annotate(article: Article, model: str | None = None) -> Reading:
        from newsreader.nlp import annotate as annotate_article

        return annotate_article(article, model=model)

    return Pipeline(load, clean, annotate)


class RememberedThemes(ThemeProvider):
    """The palette's themes; the one chosen is also written to the settings file."""

    @property
    def commands(self) -> list[tuple[str, Callable[[], None]]]:
        app = self.app
        choose = app.choose_theme if isinstance(app, NewsreaderApp) else partial(setattr, app, "theme")
        themes = sorted(app.available_themes.values(), key=attrgetter("name"))
        return [(theme.name, partial(choose, theme.name)) for theme in themes]


class NewsreaderApp(App[None]):
    """Read one article: ``source`` to load, a ``page`` already read, or a ready ``reading``.

    ``config`` holds the settings (theme, width, panels, model, save folder and format,
    keymap); arguments given here win over it. With a ``config``, a theme chosen in the
    command palette is remembered in its settings file.
    """

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
        measure: int | None = None,
        save_dir: Path | None = None,
        config: Config | None = None,
        feeds: Sequence[str] = (),
    ) -> None:
        super().__init__()
        settings = config.settings if config is not None else Settings()
        self.config = config
        self.feeds = list(feeds)  # feed addresses to show first (newsreader feed URL…)
        self.source = source
        self.page = page
        self.initial_reading = reading
        self.model = model or settings.model
        self.pipeline = pipeline or default_pipeline()
        self.measure = measure or settings.width  # the body's width in columns
        self.save_dir = save_dir or settings.save_folder
        self.save_format: str | None = settings.save_format  # then the last format saved, proposed next time
        self.panels = settings.panels  # "auto", "shown" or "hidden" when the reader opens
        self.keymap: Mapping[str, str] = {}
        if settings.theme in self.available_themes:
            self.theme = settings.theme
        if settings.keymap:
            self.set_keymap(settings.keymap)

    def on_mount(self) -> None:
        if self.config is not None and self.config.warnings:
            self.notify("\n".join(self.config.warnings), title="Settings", severity="warning",
                        markup=False, timeout=10)

    # -- keymap and theme ----------------------------------------------------------

    def set_keymap(self, keymap: Mapping[str, str]) -> None:
        """Textual's, keeping the keymap where the hints read it (:mod:`newsreader.tui.keymap`)."""
        self.keymap = dict(keymap)
        super().set_keymap(keymap)

    def update_keymap(self, keymap: Mapping[str, str]) -> None:
        self.keymap = {**self.keymap, **keymap}
        super().update_keymap(keymap)

    def search_themes(self) -> None:
        """The palette's "Theme" command: the theme chosen is remembered."""
        self.push_screen(CommandPalette(providers=[RememberedThemes], placeholder="Search for themes…"))

    def choose_theme(self, name: str) -> None:
        self.theme = name
        if self.config is not None:
            self._remember_theme(self.config, name)

    @work(thread=True, group="remember_theme", exit_on_error=False)
    def _remember_theme(self, config: Config, name: str) -> None:
        """Write the theme to the settings file, in a thread (a slow disk must not freeze the screen)."""
        try:
            settings_file.remember_theme(config.path, name)
        except NewsreaderError as error:
            self.call_from_thread(self.notify, str(error), title="Theme not remembered", severity="warning",
                                  markup=False, timeout=8)
            return
        stronger = config.origins.get("theme", "")
        note = f"; {stronger.removeprefix('env ')} still chooses the theme" if stronger.startswith("env ") else ""
        self.call_from_thread(self.notify, f"Saved in {config.path}{note}.", title=f"Theme {name}",
                              markup=False, timeout=4)

    def get_css_variables(self) -> dict[str, str]:
        """Textual's theme variables, and the reader's highlight and border colours chosen
        from them (:mod:`newsreader.tui.palette`) unless the theme sets its own."""
        variables = super().get_css_variables()
        own = self.current_theme.variables
        variables.update({k: v for k, v in palette.variables(variables).items() if k not in own})
        self.theme_variables = variables
        return variables

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
            ("Quotes", [by_id[i] for i in ("next_quote", "previous_quote", "reset", "copy_quote",
                                           "correct_speaker", "undo_correction")]),
            ("Moving", [b for b in ArticleView.BINDINGS if isinstance(b, Binding)]),
            ("Panels (Speakers, Places)", [by_id["toggle_panels"],
                                           *(b for b in EntityPanel.BINDINGS if isinstance(b, Binding)),
                                           Binding("enter", "", "Step through this speaker or place")]),
            ("Highlights", [by_id[f"toggle_{layer}"] for layer in ("quotes", "people", "organisations", "places")]),
            ("Article", [by_id[i] for i in ("search", "save", "open", "open_original", "reload", "library")]),
            ("Feed items", [by_id[i] for i in ("next_item", "previous_item", "feed_items")]),
            ("App", [*general, by_id["help"], by_id["quit"]]),
        ]  # type: ignore[list-item]

    def help_notes(self) -> list[str]:
        enter = self.get_key_display(Binding("enter", ""))
        steps = f"{key(self, 'next_quote')}/{key(self, 'previous_quote')}"
        palette = self.get_key_display(Binding(self.COMMAND_PALETTE_BINDING, ""))
        return [
            f"Search: type, then {enter} (next) or {key(self, 'previous_match')} (previous); {steps} go on; "
            f"{key(self, 'reset')} leaves search.",
            "Speakers: \"2 +1?\" is two sure quotes and one unsure. An unsure quote is dimmer,"
            f" and the status line says \"probably\". {key(self, 'correct_speaker')} corrects a speaker,"
            f" {key(self, 'undo_correction')} undoes.",
            f"Saved copies go to {self.save_dir} unless you type another path.",
            f"Colours follow the theme ({palette}, then Theme).",
        ]

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if not isinstance(screen, ReaderScreen):
            return

        def keyed(text: str, binding_id: str) -> str:  # the key it has now, keymap and all
            return f"{text} (key {key(self, binding_id)})"

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


def run(source: str | None, demo: bool = False, config: Config | None = None, feeds: Sequence[str] = ()) -> int:
    """Open the reader on ``source`` (URL, path or ``-``), the demo, the feed screen on
    ``feeds`` (feeds, pages naming one, feed files), or (with none) the library, with the
    settings in ``config`` (the defaults without one).

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
    app = NewsreaderApp(source, page=page, config=config, feeds=feeds)
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
