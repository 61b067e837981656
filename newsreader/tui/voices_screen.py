"""The Voices screen: who is quoted across the library, with bars, a filter, and their quotes.

``v`` on the library screen comes here. The table is ``newsreader voices`` over the whole
library (one query on its index), with bars for each speaker's quotes and quoted words,
and a line of quotes per week above it. Typing filters the speakers by name; Enter on a
speaker lists their quotes across the articles, and Enter on a quote opens its article
at that quote. Escape goes back: from the quotes to the table, from the table to the
library.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import ContentSwitcher, DataTable, Input, OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from newsreader.safety import one_line
from newsreader.tui import visibility
from newsreader.tui.footer import FittedFooter
from newsreader.tui.handoff import QuoteChoice
from newsreader.tui.messages import FilterLeft
from newsreader.tui.screens import HelpScreen, applying
from newsreader.tui.workers import FailuresReported, describe, post, with_library

if TYPE_CHECKING:
    from newsreader.library import Entry, Library
    from newsreader.model import Reading
    from newsreader.voices import Overrides, Summary, Voice

MAX_NAME = 60  # characters of a speaker's name shown
MAX_QUOTE = 160  # characters of a quote shown in the list
BAR_WIDTH = 12
_EIGHTHS = ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█")  # a bar's last cell, in eighths


@dataclass(frozen=True)
class Loaded:
    """What the screen shows: the count, the articles it counted, quotes per week."""

    summary: Summary
    entries: tuple[Entry, ...]
    weekly: tuple[int, ...]
    overrides: Overrides


def load(library: Library) -> Loaded:
    """The voices of the whole library, and its sure quotes per week (from the articles' dates)."""
    from newsreader.config import config_path
    from newsreader.voices import count_rows, load_overrides, overrides_path

    overrides = load_overrides(overrides_path(config_path()[0]))
    entries = tuple(library.list())
    quotes = library.quotes(entries)
    per_week: dict[date, int] = {}
    for entry, (_, rows) in zip(entries, quotes, strict=True):
        week = _week(entry.date)
        if week is not None:
            per_week[week] = per_week.get(week, 0) + sum(1 for q in rows if q.sure)
    return Loaded(count_rows(quotes, overrides), entries, _series(per_week), overrides)


def _week(day: str | None) -> date | None:
    try:
        d = date.fromisoformat((day or "")[:10])
    except ValueError:
        return None
    return d - timedelta(days=d.weekday())


def _series(per_week: dict[date, int]) -> tuple[int, ...]:
    """Quotes per week from the first week to the last, empty weeks included."""
    if not per_week:
        return ()
    first, last = min(per_week), max(per_week)
    weeks = (last - first).days // 7 + 1
    return tuple(per_week.get(first + timedelta(weeks=i), 0) for i in range(weeks))


def what(voice: Voice) -> str:
    """A row's kind, or for a person their gender and how it is known."""
    if voice.kind != "person":
        return voice.kind
    return f"{voice.gender} ({voice.gender_source})" if voice.gender else "unknown"


class VoicesFilter(Input):
    """Filters the speakers by name as you type; Down or Escape goes to the table."""

    BINDINGS = [Binding("escape,down", "leave", "Back to the table", show=False, id="voices_leave_filter")]

    def action_leave(self) -> None:
        self.post_message(FilterLeft())


class VoicesTable(DataTable[object]):
    """One row per speaker; Enter lists their quotes."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Quotes", tooltip="List the speaker's quotes", id="voices_quotes"),
        Binding("j", "cursor_down", "Down", show=False, id="voices_down"),
        Binding("k", "cursor_up", "Up", show=False, id="voices_up"),
    ]


class VoicesQuotes(OptionList):
    """A speaker's quotes across the articles; Enter opens one in the reader."""

    BINDINGS = [Binding("enter", "select", "Read", tooltip="Open the article at this quote", id="voices_read")]


class VoicesScreen(FailuresReported, Screen["QuoteChoice | None"]):
    """Who is quoted in the library; dismissed with the quote to open, or None."""

    BINDINGS = [
        Binding("slash", "filter", "Filter", tooltip="Filter the speakers by name", id="voices_filter"),
        Binding("escape", "back", "Back", tooltip="Back: from a speaker's quotes to the table, then to the library",
                id="voices_back"),
        Binding("question_mark", "help", "Help", tooltip="Show all keys", id="help"),
        Binding("q", "app.quit", "Quit", tooltip="Quit", id="quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.loaded: Loaded | None = None
        self.shown: list[Voice] = []  # the table's rows, in order
        self.quotes: list[tuple[int, int]] = []  # the quote list's (entry id, quote index)
        self._readings: dict[int, Reading] = {}

    def compose(self) -> ComposeResult:
        yield VoicesFilter(placeholder="Filter speakers by name  ( / )", id="voices-filter")
        with Vertical(id="voices-panel") as panel:
            panel.border_title = "Voices"
            yield Static("Quotes per week", id="voices-weekly-label")
            yield Sparkline([], id="voices-weekly")
            with ContentSwitcher(initial="voices-table", id="voices-switcher"):
                yield VoicesTable(id="voices-table", cursor_type="row", zebra_stripes=False)
                yield VoicesQuotes(id="voices-quotes")
        yield Static(id="voices-summary")
        yield FittedFooter(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(VoicesTable)
        for label, width in (("Speaker", 32), ("Kind, gender", 16), ("Art.", 5), ("Quotes", 6),
                             ("", BAR_WIDTH), ("Words", 7), ("", BAR_WIDTH), ("Unsure", 6)):
            table.add_column(label, width=width)
        table.focus()
        self._load()

    @work(exclusive=True, group="voices_load", exit_on_error=False)
    async def _load(self) -> None:
        try:
            loaded = await asyncio.to_thread(_load_library)
        except Exception as error:  # an index that cannot be read: say so, stay usable
            self.app.notify(describe(error), title="Could not read the library", severity="error",
                            markup=False, timeout=8)
            return
        self.show(loaded)

    def show(self, loaded: Loaded) -> None:
        self.loaded = loaded
        weekly = self.query_one(Sparkline)
        weekly.data = list(loaded.weekly)
        visibility.show(weekly, len(loaded.weekly) > 1)  # one week (or no dates) is no line
        total = sum(loaded.weekly)
        self.query_one("#voices-weekly-label", Static).update(
            f"Quotes per week, {len(loaded.weekly)} weeks" if len(loaded.weekly) > 1
            else f"Quotes per week: {total}, all in one week" if loaded.weekly else "Quotes per week: no dated articles")
        s = loaded.summary
        unsure = f" · {s.unsure_quotes} unsure counted apart" if s.unsure_quotes else ""
        genders = " · ".join(f"{g.gender} {g.sources} ({g.quotes} quotes, {g.words} words)" for g in s.by_gender)
        self.query_one("#voices-summary", Static).update(Text(
            f"{s.articles} articles · {s.quotes} quotes · {s.words} quoted words{unsure}\nPersons quoted: {genders}"))
        self._fill(self.query_one(VoicesFilter).value)

    def on_filter_left(self, _: FilterLeft) -> None:
        self.query_one(VoicesTable).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self.query_one(VoicesTable).focus()

    def _fill(self, words: str) -> None:
        """The table's rows: the speakers whose name holds every word typed."""
        if self.loaded is None:
            return
        from newsreader.voices import name_key

        wanted = name_key(words).split()
        self.shown = [v for v in self.loaded.summary.voices if all(w in name_key(v.name) for w in wanted)]
        most_quotes = max((v.quotes for v in self.shown), default=0) or 1
        most_words = max((v.words for v in self.shown), default=0) or 1
        table = self.query_one(VoicesTable)
        ink = self.app.get_css_variables().get("accent", "")  # the theme's; no background, so any row's shows

        def bar(most: int, value: int) -> Text:
            cells = BAR_WIDTH * value / most
            return Text("█" * int(cells) + _EIGHTHS[round(8 * (cells - int(cells)))], style=ink)

        table.clear()
        for v in self.shown:
            table.add_row(
                Text(one_line(v.name, MAX_NAME) + (" *" if v.partial_name else "")), what(v), str(v.articles),
                str(v.quotes), bar(most_quotes, v.quotes), str(v.words), bar(most_words, v.words),
                str(v.unsure_quotes) if v.unsure_quotes else "",
            )
        panel = self.query_one("#voices-panel")
        panel.border_subtitle = f"{len(self.shown)} of {len(self.loaded.summary.voices)} speakers"

    # -- a speaker's quotes ------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.shown):
            self._list_quotes(self.shown[event.cursor_row])

    @work(thread=True, exclusive=True, group="voices_quotes", exit_on_error=False)
    def _list_quotes(self, voice: Voice) -> None:
        """Read the speaker's articles (their saved copies) and list the quotes that are theirs."""
        assert self.loaded is not None
        loaded = self.loaded
        ids = {e.source: e.id for e in loaded.entries}
        found = with_library(self.app, lambda library: [
            (id, library.get(id)) for source in sorted(voice.sources) if (id := ids.get(source)) is not None
        ], "Could not read the saved articles")
        if found is not None:
            post(self.app, self._show_quotes, voice, found)

    def _show_quotes(self, voice: Voice, found: list[tuple[int, Reading]]) -> None:
        assert self.loaded is not None
        from newsreader.voices import UNNAMED, name_key

        overrides = self.loaded.overrides
        options, self.quotes = [], []
        for id, reading in found:
            self._readings[id] = reading
            title = one_line(reading.article.title, 80) or "(untitled)"
            for index, quote in enumerate(reading.quotes):
                said = overrides.canonical(quote.speaker) if quote.speaker else UNNAMED
                if name_key(said) != name_key(voice.name):
                    continue
                self.quotes.append((id, index))
                options.append(Option(Text.assemble(
                    f"“{one_line(quote.text, MAX_QUOTE)}”", ("" if quote.sure else "  (unsure)", "italic"),
                    "\n", (f"  {title}" + (f" · {reading.article.date}" if reading.article.date else ""), "dim"),
                )))
        quotes = self.query_one(VoicesQuotes)
        quotes.set_options(options or [Option(Text("No quotes found in the saved copies."), disabled=True)])
        quotes.border_title = one_line(voice.name, MAX_NAME)
        self.query_one(ContentSwitcher).current = "voices-quotes"
        quotes.focus()
        if options:
            quotes.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if isinstance(event.option_list, VoicesQuotes) and 0 <= event.option_index < len(self.quotes):
            id, index = self.quotes[event.option_index]
            self.dismiss(QuoteChoice(self._readings[id], index))

    # -- other keys --------------------------------------------------------------

    def action_filter(self) -> None:
        self.query_one(ContentSwitcher).current = "voices-table"
        self.query_one(VoicesFilter).focus()

    def action_back(self) -> None:
        if self.query_one(ContentSwitcher).current == "voices-quotes":
            self.query_one(ContentSwitcher).current = "voices-table"
            self.query_one(VoicesTable).focus()
        else:
            self.dismiss(None)

    def action_help(self) -> None:
        keys = {b.id: b for b in self.BINDINGS if isinstance(b, Binding)}
        table = [b for b in VoicesTable.BINDINGS if isinstance(b, Binding)]
        quotes = [b for b in VoicesQuotes.BINDINGS if isinstance(b, Binding)]
        sections = applying(self, [
            ("Speakers", [*table, keys["voices_filter"]]),
            ("A speaker's quotes", quotes),
            ("App", [keys["voices_back"], keys["help"], keys["quit"]]),
        ])
        notes = [
            "Bars compare each speaker's sure quotes and quoted words with the most in the list.",
            "Unsure quotes (confidence below 0.9, not corrected) are counted apart.",
            "A name marked * is known by one word only in its article, and is not merged across articles.",
            "voices.toml beside the settings file merges names and sets genders (see the README).",
        ]
        self.app.push_screen(HelpScreen(sections, notes))


def _load_library() -> Loaded:
    from newsreader.library import Library

    return load(Library())
