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
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from operator import attrgetter
from pathlib import Path

from textual import work
from textual.app import App
from textual.command import CommandPalette
from textual.screen import Screen
from textual.theme import ThemeProvider

from newsreader import config as settings_file
from newsreader.config import Config, Settings
from newsreader.errors import NewsreaderError
from newsreader.model import Article, Reading
from newsreader.pipeline import Pipeline, default_pipeline
from newsreader.samples import demo_page
from newsreader.tui import palette
from newsreader.tui.reader import OpenRequest, ReaderOptions, ReaderScreen
from newsreader.tui.workers import FailuresReported, describe, stages_running, wait_for_writes, writing


class RememberedThemes(ThemeProvider):
    """The palette's themes; the one chosen is also written to the settings file."""

    @property
    def commands(self) -> list[tuple[str, Callable[[], None]]]:
        app = self.app
        choose = app.choose_theme if isinstance(app, NewsreaderApp) else partial(setattr, app, "theme")
        themes = sorted(app.available_themes.values(), key=attrgetter("name"))
        return [(theme.name, partial(choose, theme.name)) for theme in themes]


class NewsreaderApp(FailuresReported, App[None]):
    """Read one article: ``source`` to load, an ``article`` already cleaned, or a ready ``reading``.

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
        article: Article | None = None,
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
        self.initial_article = article
        self.initial_reading = reading
        self.model = model or settings.model
        self.pipeline = pipeline or default_pipeline()
        self.measure = measure or settings.width  # the body's width in columns
        self.save_dir = save_dir or settings.save_folder
        self.save_format: str | None = settings.save_format  # then the last format saved, proposed next time
        self.panels = settings.panels  # "auto", "shown" or "hidden" when the reader opens
        self.map_glyphs = settings.map_glyphs
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
            with writing():
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
        return ReaderScreen(self._first(), ReaderOptions(
            pipeline=self.pipeline, model=self.model, measure=self.measure, panels=self.panels,
            save_dir=self.save_dir, save_format=self.save_format, map_glyphs=self.map_glyphs,
            feeds=tuple(self.feeds),
        ))

    def _first(self) -> Reading | Article | OpenRequest | None:
        """What the reader opens first; ``None`` brings up the library."""
        if self.initial_reading is not None:
            return self.initial_reading
        if self.initial_article is not None:
            return self.initial_article
        if self.source is not None:
            return OpenRequest(self.source, self.source)
        return None

    @property
    def reader(self) -> ReaderScreen:
        """The reader screen (the app's base screen)."""
        return self.screen_stack[0]  # type: ignore[return-value]


def run(source: str | None, demo: bool = False, config: Config | None = None, feeds: Sequence[str] = ()) -> int:
    """Open the reader on ``source`` (URL, path or ``-``), the demo, the feed screen on
    ``feeds`` (feeds, pages naming one, feed files), or (with none) the library, with the
    settings in ``config`` (the defaults without one).

    Returns the process exit status.
    """
    article: Article | None = None
    if demo or source == "-":
        try:
            article = read_before_start(demo)
        except Exception as error:  # any failure is one line, never a traceback
            print(f"newsreader: {describe(error)}", file=sys.stderr)
            return 1
    if source == "-" and not demo and not _attach_terminal():
        print("newsreader: no terminal to show the reader on; try 'newsreader export -'", file=sys.stderr)
        return 1
    app = NewsreaderApp(source, article=article, config=config, feeds=feeds)
    app.run()
    status = app.return_code or 0
    if not wait_for_writes():  # a save asked for just before quitting is finished first
        print("newsreader: a save was still not done after a minute; it may be missing", file=sys.stderr)
        status = status or 1
    if stages_running():
        # A load or an annotation is still going (a silent server, a long text) and a
        # thread cannot be stopped: end the process now rather than wait for it at exit.
        # Nothing is lost: its result is no longer wanted, the writes the user asked for
        # are done (above), and every file is written atomically.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    return status


def read_before_start(demo: bool) -> Article:
    """The demo article, or the one on standard input, read and cleaned before the app starts.

    Standard input must be read before the app takes the terminal for keys. A page
    already in hand is cleaned here too: that takes less than the frame of "Loading…"
    a worker would first have to draw, so the reader's first frame shows the article.
    """
    pipeline = default_pipeline()
    return pipeline.clean(demo_page() if demo else pipeline.load("-"))


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
