"""The library screen: saved articles, newest first, with search as you type.

``newsreader`` alone opens here; ``L`` in the reader comes here too. Enter reopens
an article from its saved copy (no network, no re-annotation), ``d`` removes one
after asking. Every library call runs in a worker, so a slow disk or a locked
index never freezes the screen, and a library that cannot be read (a corrupt
index) is a message on the screen rather than a traceback.
"""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len, set_cell_size
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Input, OptionList, Static
from textual.widgets.option_list import Option

from newsreader.safety import one_line
from newsreader.tui.feed_screen import FeedsPanel
from newsreader.tui.footer import FittedFooter
from newsreader.tui.handoff import FeedChoice, LibraryChoice, LibraryPlace, QuoteChoice
from newsreader.tui.keymap import key
from newsreader.tui.messages import FeedsChosen, FilterLeft
from newsreader.tui.screens import ConfirmScreen, HelpScreen, OpenScreen, applying
from newsreader.tui.visibility import hide, is_shown, show
from newsreader.tui.workers import FailuresReported, describe, post, with_library, written

if TYPE_CHECKING:
    from newsreader.library import Entry

DEBOUNCE_S = 0.15  # search once typing pauses, not on every key
SITE_WIDTH = 24  # the site column's widest, in terminal cells
MAX_SHOWN = 300  # characters of a title or site shown (they come from the web)
UNTITLED = "(untitled)"



def saved_day(entry: Entry) -> str:
    """The local date an entry was saved (the index keeps UTC; a date it cannot parse is shown as it is)."""
    try:
        return f"{datetime.fromisoformat(entry.saved).astimezone():%Y-%m-%d}"
    except ValueError:
        return one_line(entry.saved, MAX_SHOWN)[:10].ljust(10)


def site_width(entries: list[Entry]) -> int:
    """The site column's width: the widest site shown, at most :data:`SITE_WIDTH`."""
    return min(max((cell_len(one_line(e.site, MAX_SHOWN)) for e in entries), default=0), SITE_WIDTH)


def columns(saved: str, site: str, title: str, width: int, *, muted: str = "", accent: str = "") -> Content:
    """``date  site  title`` in columns; the site column is left out when no entry has a site."""
    site_cell: list[str | tuple[str, str]] = [(set_cell_size(site, width), accent), "  "] if width else []
    return Content.assemble((saved, muted), "  ", *site_cell, title)


def entry_row(entry: Entry, width: int) -> Content:
    """One entry as plain text in columns (never parsed as markup)."""
    title = one_line(entry.title, MAX_SHOWN) or UNTITLED
    return columns(saved_day(entry), one_line(entry.site, MAX_SHOWN), title, width, muted="$text-muted", accent="$text-secondary")


def prefix_query(words: str) -> str:
    """Search as you type: every word also matches longer words (``port`` finds Portmere)."""
    return " ".join(f"{word.rstrip('*')}*" for word in words.split() if word.rstrip("*"))


class LibrarySearch(Input):
    """The search box; Escape or Down goes back to the list (the filter stays)."""

    BINDINGS = [
        Binding("escape,down", "leave", "Back to the list", show=False,
                tooltip="Leave the search box (the list stays filtered)", id="library_leave_search"),
    ]

    def action_leave(self) -> None:
        self.post_message(FilterLeft())


class LibraryList(OptionList):
    """The saved articles, one per line; Enter reads one. Vim keys move the cursor."""

    BINDINGS = [
        Binding("enter", "select", "Read", tooltip="Read the selected article", id="library_read"),
        Binding("j", "cursor_down", "Next article", show=False, id="library_down"),
        Binding("k", "cursor_up", "Previous article", show=False, id="library_up"),
        Binding("g", "first", "First article", show=False, id="library_first"),
        Binding("G", "last", "Last article", show=False, id="library_last"),
    ]


class LibraryScreen(FailuresReported, Screen[LibraryChoice]):
    """Saved articles: search, read, remove; or open a new source."""

    BINDINGS = [
        Binding("slash", "search", "Search", tooltip="Search saved articles (titles, sites, text, speakers)",
                id="library_search"),
        Binding("d", "remove", "Remove", tooltip="Remove the selected article from the library (asks first)",
                id="library_remove"),
        Binding("v", "voices", "Voices", tooltip="Who is quoted across the library: quotes and words per speaker",
                id="library_voices"),
        Binding("o", "open", "Open", tooltip="Open another article (URL or file)", id="open"),
        Binding("escape", "back", "Back", tooltip="Back to the article you were reading", id="library_back"),
        Binding("question_mark", "help", "Help", tooltip="Show all keys", id="help"),
        Binding("q", "app.quit", "Quit", tooltip="Quit", id="quit"),
    ]

    def __init__(self, can_go_back: Callable[[], bool] = lambda: False, place: LibraryPlace | None = None) -> None:
        super().__init__()
        self.can_go_back = can_go_back  # whether the reader below has an article to go back to
        self.place = place or LibraryPlace()  # kept by the reader between visits
        self.entries: list[Entry] = []
        self.words = ""  # the search the list shows

    def compose(self) -> ComposeResult:
        with Horizontal(id="library-home"):
            yield FeedsPanel(id="library-feeds")
            yield from self._library_body()
        yield FittedFooter(compact=True)

    def on_feeds_chosen(self, event: FeedsChosen) -> None:
        self._hand_over(FeedChoice(event.addresses))

    def _library_body(self) -> ComposeResult:
        with Vertical(id="library-body"):
            yield LibrarySearch(self.place.words, placeholder=f"Search saved articles  ( {key(self.app, 'library_search')} )",
                                id="library-search")
            with ContentSwitcher(initial="library-panel", id="library-switcher"):
                with Vertical(id="library-panel") as panel:
                    panel.border_title = "Library"
                    yield Static(id="library-columns")
                    yield LibraryList(id="library-list")
                yield Static(id="library-message")

    def on_mount(self) -> None:
        self.focus_list()
        self._refresh(self.place.words)
        if self.place.voices:  # back from an article opened there
            self.action_voices()

    @property
    def list_view(self) -> LibraryList:
        return self.query_one(LibraryList)

    def focus_list(self) -> None:
        self.list_view.focus()

    def on_filter_left(self, _: FilterLeft) -> None:
        self.focus_list()

    # -- listing and searching ---------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        self._refresh(event.value, delay=DEBOUNCE_S)

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self.focus_list()

    @work(exclusive=True, group="library_list", exit_on_error=False)
    async def _refresh(self, words: str, delay: float = 0.0, keep_place: bool = False) -> None:
        """List (or search) in a thread; a newer keystroke cancels this one while it waits."""
        await asyncio.sleep(delay)
        try:
            entries = await asyncio.to_thread(_query, prefix_query(words))
        except Exception as error:  # a corrupt or unreadable index: say so, stay usable
            self.show_failure(describe(error))
            return
        self.show_entries(entries, words.strip(), keep_place)

    def show_entries(self, entries: list[Entry], words: str, keep_place: bool = False) -> None:
        """Fill the list, cursor on the first row, or on the same row (after a removal)."""
        keep = (self.list_view.highlighted or 0) if keep_place else next(
            (i for i, e in enumerate(entries) if e.id == self.place.entry), 0)
        self.entries, self.words = entries, words
        if not entries and not words:
            self._show_message(_empty(self))
            return
        self.query_one(ContentSwitcher).current = "library-panel"
        show(self.query_one(LibrarySearch))
        width = site_width(entries)
        self.query_one("#library-columns", Static).update(columns("Saved".ljust(10), "Site", "Title", width))
        panel = self.query_one("#library-panel")
        if entries:
            self.list_view.set_options(Option(entry_row(e, width), id=str(e.id)) for e in entries)
            self.list_view.highlighted = min(keep, len(entries) - 1)
            panel.border_subtitle = _count(len(entries), words)
        else:
            self.list_view.set_options([Option(Content.assemble(
                ("No saved article matches ", "italic $text-muted"), (f"“{words}”", "italic"),
            ), disabled=True)])
            panel.border_subtitle = ""
        self.refresh_bindings()

    def show_failure(self, message: str) -> None:
        self.entries = []
        self.app.notify(message, title="Could not read the library", severity="error", markup=False, timeout=8)
        self._show_message(Content.assemble(
            ("Could not read the library", "bold $text-error"), "\n\n", message, "\n\n", _keys(self),
        ))

    def _show_message(self, content: Content) -> None:
        self.query_one("#library-message", Static).update(content)
        self.query_one(ContentSwitcher).current = "library-message"
        hide(self.query_one(LibrarySearch))  # nothing to search
        self.refresh_bindings()

    @property
    def selected(self) -> Entry | None:
        """The entry under the cursor, if the list shows any."""
        index = self.list_view.highlighted
        if index is None or not self.entries or self.query_one(ContentSwitcher).current != "library-panel":
            return None
        return self.entries[index]

    # -- reading, removing -------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.place.words, self.place.entry = self.words, int(event.option.id)
            self._read(int(event.option.id))

    @work(thread=True, exclusive=True, group="library_read", exit_on_error=False)
    def _read(self, entry_id: int) -> None:
        """Rebuild the saved Reading from its JSON (no pipeline) and hand it to the reader."""
        reading = with_library(self.app, lambda library: library.get(entry_id), "Could not open the saved article")
        if reading is not None:
            post(self.app, self._hand_over, reading)

    def _hand_over(self, choice: LibraryChoice) -> None:
        """Give the reader what to show, unless a dialog came up over this screen meanwhile."""
        if self.is_current:
            self.dismiss(choice)

    def action_remove(self) -> None:
        entry = self.selected
        if entry is None:
            self.app.notify("Nothing selected to remove.", timeout=3)
            return
        title = one_line(entry.title, MAX_SHOWN) or UNTITLED
        question = f"Remove “{title}” from the library? Its saved copy is deleted."

        def answered(yes: bool | None) -> None:
            if yes:
                self._remove(entry.id)

        self.app.push_screen(ConfirmScreen(question, yes="Yes, remove"), answered)

    @work(thread=True, group="library_remove", exit_on_error=False)
    def _remove(self, entry_id: int) -> None:
        entry = with_library(self.app, lambda library: written(library.remove, entry_id), "Could not remove")
        if entry is None:
            return
        title = one_line(entry.title, MAX_SHOWN) or UNTITLED
        post(self.app, self.app.notify, f"Removed “{title}”.", markup=False, timeout=4)
        post(self.app, self._refresh, self.words, keep_place=True)

    # -- other keys --------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide Back when there is nothing to go back to, Remove and Search when nothing is listed."""
        if action == "back":
            return self.can_go_back()
        if action in ("remove", "voices"):
            return bool(self.entries)
        if action == "search":
            return is_shown(self.query_one(LibrarySearch))
        return True

    def action_search(self) -> None:
        self.query_one(LibrarySearch).focus()

    def action_back(self) -> None:
        if self.can_go_back():
            self.dismiss()

    def action_voices(self) -> None:
        from newsreader.tui.voices_screen import VoicesScreen  # only when it opens

        def chosen(choice: QuoteChoice | None) -> None:
            self.place.voices = choice is not None  # Escape in the article comes back to the voices
            if choice is not None:
                self._hand_over(choice)

        self.app.push_screen(VoicesScreen(), chosen)

    def action_open(self) -> None:
        def opened(source: str | None) -> None:
            if source:
                self._hand_over(source)

        self.app.push_screen(OpenScreen(), opened)

    def action_help(self) -> None:
        from newsreader.library import default_root

        moving = [b for b in LibraryList.BINDINGS if isinstance(b, Binding)]
        keys = {b.id: b for b in self.BINDINGS if isinstance(b, Binding)}
        leave = [b for b in LibrarySearch.BINDINGS if isinstance(b, Binding)]
        searching = [keys["library_search"], *leave] if is_shown(self.query_one(LibrarySearch)) else []
        listed = [*(moving if self.entries else []), *searching, keys["library_remove"], keys["library_voices"]]
        sections = applying(self, [
            ("Saved articles", listed),
            ("App", [keys["open"], keys["library_back"],
                     Binding(self.app.COMMAND_PALETTE_BINDING, "", "Commands (themes…)", id="command_palette"),
                     keys["help"], keys["quit"]]),
        ])
        notes = [
            "Search finds words in titles, sites, bylines, the text and speakers' names.",
            f"To add an article: press {key(self.app, 'save')} in the reader and choose Save to library, "
            "or run newsreader save URL.",
            f"The library is kept in {default_root()}.",
        ]
        self.app.push_screen(HelpScreen(sections, notes))


def _query(words: str) -> list[Entry]:
    """Every entry newest first, or the entries matching ``words`` best first."""
    from newsreader.library import Library

    library = Library()
    return library.search(words) if words else library.list()


def _count(shown: int, words: str) -> str:
    if words:
        return "1 article matches" if shown == 1 else f"{shown} articles match"
    return "1 saved article" if shown == 1 else f"{shown} saved articles"


def _keys(screen: Screen[Any]) -> Content:
    """The keys that work with nothing listed, as they are bound now."""
    return Content.assemble(
        (key(screen.app, "open"), "bold"), "  open an article (a URL or a file)\n",
        (key(screen.app, "help"), "bold"), "  all keys\n",
        (key(screen.app, "quit"), "bold"), "  quit",
    )


def _empty(screen: Screen[Any]) -> Content:
    return Content.assemble(
        ("newsreader", "bold $text-accent"), "\n\n",
        "Read news articles in the terminal: clean text, quotes and who said them, places.\n\n",
        ("Your library is empty. ", "bold"),
        "To save an article, press ", (key(screen.app, "save"), "bold"), " in the reader and choose Save to library,\n",
        "or run ", ("newsreader save URL", "bold"), ".\n\n",
        _keys(screen),
    )
