"""The feed screen: a feed's items in a table, a preview of the one under the cursor, and
the way from an item to its full, annotated article in the reader.

Items paint at once from the library (what the last visit stored), then the feeds are
fetched again in a worker (a conditional GET: an unchanged feed costs one short answer).
Everything from the web is shown as plain text, never as markup. ``a`` annotates every
item shown in a worker, one at a time, with a progress bar; Escape stops it.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Input, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from newsreader.export.annotations import plural
from newsreader.feeds.model import Feed, FeedError, Item, Refresh
from newsreader.model import Reading
from newsreader.safety import one_line
from newsreader.tui.browser import open_in_browser
from newsreader.tui.footer import FittedFooter
from newsreader.tui.handoff import ITEM_BINDINGS, LIBRARY, FeedAnswer, FeedCursor, ItemChosen
from newsreader.tui.keymap import key
from newsreader.tui.messages import FeedsChosen, FilterLeft
from newsreader.tui.screens import HelpScreen
from newsreader.tui.visibility import hide, is_shown, show
from newsreader.tui.workers import FailuresReported, describe, in_thread, post, written

if TYPE_CHECKING:
    from newsreader.feeds.store import FeedStore
    from newsreader.pipeline import Pipeline
    from newsreader.tui.reader import OpenRequest

SCREEN_NAME = "feeds"
MAX_READINGS = 100  # annotated articles kept in memory, so reopening one is instant
MAX_SHOWN = 300  # characters of a title or site shown
PREVIEW_CHARS = 1500
COLUMNS = (("mark", "", 1), ("age", "Age", 4), ("title", "Title", 0), ("site", "Site", 16),
           ("quotes", "Quotes", 6), ("speakers", "Top speakers", 24))
UNREAD_MARK = "●"


def now() -> datetime:
    """The clock ages are measured against (tests fix it)."""
    return datetime.now(timezone.utc)


def age(item: Item, moment: datetime) -> str:
    """How old an item is, in the fewest characters: 5m, 3h, 6d, 9w, 2y."""
    stamp = item.published or item.seen
    try:
        when = datetime.fromisoformat(stamp) if stamp else None
    except ValueError:
        when = None
    if when is None:
        return "—"
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    seconds = max(0.0, (moment - when).total_seconds())
    for unit, size in (("y", 365 * 86400), ("w", 7 * 86400), ("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size or unit == "m":
            return f"{int(seconds // size)}{unit}"
    return "0m"  # pragma: no cover - the loop always returns


def matches(item: Item, words: str) -> bool:
    """Whether every word of the filter is in the item's title, site, author or summary."""
    haystack = " ".join(filter(None, (item.title, item.feed_title, item.author, item.summary))).casefold()
    return all(word in haystack for word in words.casefold().split())


class FeedFilter(Input):
    """The filter box; Escape or Down goes back to the list (the filter stays)."""

    BINDINGS = [Binding("escape,down", "leave", "Back to the list", show=False, id="feed_leave_filter")]

    def action_leave(self) -> None:
        self.post_message(FilterLeft())


class FeedTable(DataTable[Text]):
    """The items; Vim keys move the cursor."""

    BINDINGS = [
        Binding("j", "cursor_down", "Next item", show=False, id="feed_down"),
        Binding("k", "cursor_up", "Previous item", show=False, id="feed_up"),
        Binding("g", "scroll_top", "First item", show=False, id="feed_first"),
        Binding("G", "scroll_bottom", "Last item", show=False, id="feed_last"),
    ]


class FeedScreen(FailuresReported, Screen[FeedAnswer]):
    """The items of one or more feeds, newest first; dismissed with the item to read
    (:class:`~newsreader.tui.handoff.ItemChosen`), the library, or None (back to the article)."""

    DEFAULT_CSS = """
    FeedScreen { layout: vertical; }
    #feed-body { height: 1fr; padding: 0 1; }
    #feed-filter { margin-bottom: 1; }
    FeedTable { height: 2fr; background: $background; }
    #feed-preview {
        height: 1fr; min-height: 4; border: round $panel-lighten-2; border-title-color: $text-muted;
        padding: 0 1; overflow-y: auto;
    }
    #feed-progress { height: 1; margin: 0 1; }
    #feed-status { height: 1; background: $panel; padding: 0 1; color: $text-muted; }
    """

    BINDINGS = [
        Binding("enter", "read", "Read", tooltip="Read the full, annotated article", id="feed_read"),
        Binding("r", "refresh", "Refresh", tooltip="Fetch the feeds again (only what changed)", id="feed_refresh"),
        Binding("slash", "filter", "Filter", tooltip="Show only the items with these words", id="feed_filter"),
        Binding("u", "unread_only", "Unread", tooltip="Show only unread items, or all again", id="feed_unread_only"),
        Binding("a", "annotate_all", "Annotate all",
                tooltip="Find the quotes and speakers of every item shown (Back stops it)", id="feed_annotate_all"),
        Binding("s", "save", "Save", tooltip="Save the item's article to the library", id="feed_save"),
        Binding("O", "browser", "Browser", tooltip="Open the item's page in the web browser ($BROWSER)",
                id="feed_browser"),
        Binding("m", "toggle_read", "Read/unread", show=False, tooltip="Mark the item read or unread",
                id="feed_toggle_read"),
        Binding("escape", "back", "Back", tooltip="Stop annotating, clear the filter, or back to the article",
                id="feed_back"),
        Binding("L", "library", "Library", tooltip="Saved articles: search, read, remove", id="library"),
        Binding("question_mark", "help", "Help", tooltip="Show all keys", id="help"),
        Binding("q", "app.quit", "Quit", tooltip="Quit", id="quit"),
    ]

    def __init__(self, addresses: Sequence[str], store: Callable[[], FeedStore] | None = None, *,
                 pipeline: Pipeline, model: str | None = None, can_go_back: Callable[[], bool] = lambda: False,
                 ) -> None:
        """``pipeline`` and ``model`` read the items; ``can_go_back`` says whether there is an
        article under this screen to go back to."""
        super().__init__()
        self.addresses = list(addresses)
        self.pipeline, self.model, self.can_go_back = pipeline, model, can_go_back
        self._store_factory = store
        self.feeds: dict[str, Feed] = {}  # by the address asked for
        self.items: list[Item] = []
        self.view: list[Item] = []  # what the table shows, in its order
        self.words = ""
        self.unread_only = False
        self.readings: OrderedDict[tuple[int | None, str], Reading] = OrderedDict()
        self.annotating: tuple[int, int] | None = None  # (done, total) while annotate-all runs

    def store(self) -> FeedStore:
        from newsreader.feeds.store import FeedStore

        return self._store_factory() if self._store_factory else FeedStore()

    # -- building ----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="feed-body"):
            yield FeedFilter(placeholder="Filter items  ( / )", id="feed-filter", compact=True)
            yield FeedTable(id="feed-table", cursor_type="row", zebra_stripes=False)
            preview = Static(id="feed-preview")
            preview.border_title = "Preview"
            yield preview
        yield ProgressBar(id="feed-progress", show_eta=False)
        yield Static(id="feed-status")
        yield FittedFooter(compact=True)

    def on_mount(self) -> None:
        hide(self.query_one(FeedFilter))
        hide(self.query_one(ProgressBar))
        table = self.query_one(FeedTable)
        for column, label, width in COLUMNS:
            table.add_column(Text(label), key=column, width=width or self._title_width())
        self.set_status("Loading…")
        self.focus_table()
        self._load()

    def _title_width(self) -> int:
        fixed = sum(w for _, _, w in COLUMNS) + 2 * len(COLUMNS) + 4
        return max(20, self.app.size.width - fixed)

    @property
    def table(self) -> FeedTable:
        return self.query_one(FeedTable)

    def focus_table(self) -> None:
        self.table.focus()

    def on_filter_left(self, _: FilterLeft) -> None:
        self.focus_table()

    def set_status(self, text: str) -> None:
        self.query_one("#feed-status", Static).update(Content(text))

    # -- loading and refreshing ------------------------------------------------------

    @work(exclusive=True, group="feed_load", exit_on_error=False)
    async def _load(self) -> None:
        """The stored items first (instant, offline), then every feed fetched again."""
        stored = await in_thread(self._stored)
        if stored:
            self.show_items(stored)
        await self._refresh_all()

    def _stored(self) -> list[Item]:
        from newsreader.feeds.fetch import normalise

        try:
            store = self.store()
            feeds = [store.find(normalise(a)) for a in self.addresses]
            return store.items([f.id for f in feeds if f is not None and f.id is not None])
        except Exception:  # noqa: BLE001 - nothing stored to show yet: the fetch decides
            return []

    async def _refresh_all(self) -> None:
        from newsreader.feeds.update import refresh

        problems: list[str] = []
        results: dict[str, Refresh] = {}
        for n, address in enumerate(self.addresses, 1):
            if len(self.addresses) > 1:
                self.set_status(f"Refreshing {n} of {len(self.addresses)}: {one_line(address, 80)}")
            else:
                self.set_status(f"Refreshing {one_line(address, 100)}…")
            try:
                results[address] = await in_thread(refresh, address, self.store())
            except Exception as error:  # any failure becomes a line, never a traceback
                problems.append(describe(error))
                continue
            if results[address].problem:
                problems.append(results[address].problem or "")
        self.feeds.update({a: r.feed for a, r in results.items()})
        items = [i for r in results.values() for i in r.items]
        if results:
            kept = [i for i in self.items if i.feed_id not in {r.feed.id for r in results.values()}]
            self.show_items(_newest_first(items + kept) if len(self.addresses) > 1 else items or kept)
        for line in problems:
            self.app.notify(line, title="Feed", severity="warning" if results else "error", markup=False, timeout=8)
        new = sum(r.new for r in results.values())
        if not results and not self.items:
            self.show_failure(problems[0] if problems else "nothing to show")
            return
        self.set_status(self._summary(f"{new} new" if any(r.changed for r in results.values()) else "unchanged"))

    def _summary(self, state: str = "") -> str:
        unread = sum(not i.read for i in self.items)
        names = ", ".join(one_line(f.name, 40) for f in self.feeds.values()) or ", ".join(self.addresses)
        shown = f"{len(self.view)} shown of {len(self.items)}" if len(self.view) != len(self.items) else \
            f"{len(self.items)} items"
        return "  ·  ".join(p for p in (names, shown, f"{unread} unread", state) if p)

    def show_failure(self, message: str) -> None:
        self.set_status(message)
        self.query_one("#feed-preview", Static).update(Content.assemble(
            ("Could not read the feed", "bold $text-error"), "\n\n", message, "\n\n",
            ("r", "bold"), " try again   ", ("q", "bold"), " quit"))

    # -- the table ---------------------------------------------------------------------

    def key_of(self, item: Item) -> tuple[int | None, str]:
        return (item.feed_id, item.key)

    def show_items(self, items: list[Item]) -> None:
        """Replace the items (keeping the cursor on the same item when it is still there)."""
        current = self.current
        self.items = items
        self._fill(self.key_of(current) if current else None)

    def _fill(self, keep: tuple[int | None, str] | None = None) -> None:
        self.view = [i for i in self.items if (not self.unread_only or not i.read)
                     and (not self.words or matches(i, self.words))]
        table = self.table
        table.clear()
        moment = now()
        width = self._title_width()
        for item in self.view:
            table.add_row(*self._cells(item, moment, width), key=self._row_key(item))
        if keep is not None:
            keys = [self.key_of(i) for i in self.view]
            if keep in keys:
                table.move_cursor(row=keys.index(keep), animate=False)
        self._preview()
        self.set_status(self._summary())
        self.refresh_bindings()

    def _row_key(self, item: Item) -> str:
        return f"{item.feed_id}\x00{item.key}"

    def _cells(self, item: Item, moment: datetime, width: int) -> list[Text]:
        reading = self.readings.get(self.key_of(item))
        quotes, speakers = item.quotes, list(item.speakers)
        if reading is not None:
            quotes, speakers = len(reading.quotes), top_speakers(reading)
        style = "bold" if not item.read else ""
        return [
            Text(UNREAD_MARK if not item.read else " ", style="bold"),
            Text(age(item, moment), style="dim"),
            _cell(item.title or "(untitled)", width, style),
            _cell(item.feed_title or "", 16, "dim"),
            Text("" if quotes is None else str(quotes), justify="right"),
            _cell(", ".join(speakers), 24, "italic"),
        ]

    def _update_row(self, item: Item) -> None:
        from textual.widgets.data_table import RowDoesNotExist

        for (column, _, _), cell in zip(COLUMNS, self._cells(item, now(), self._title_width())):
            try:
                self.table.update_cell(self._row_key(item), column, cell)
            except RowDoesNotExist:  # not shown (filtered out)
                return

    @property
    def current(self) -> Item | None:
        if not self.view or self.table.row_count == 0:
            return None
        row = self.table.cursor_row
        return self.view[row] if 0 <= row < len(self.view) else None

    def on_data_table_row_highlighted(self, _: DataTable.RowHighlighted) -> None:
        self._preview()

    def _preview(self) -> None:
        preview = self.query_one("#feed-preview", Static)
        item = self.current
        if item is None:
            words = f" match “{self.words}”" if self.words else ""
            preview.update(Content.styled(f"No items{words}." if self.items or self.words else "No items yet.",
                                          "italic $text-muted"))
            return
        meta = " · ".join(p for p in (one_line(item.feed_title, MAX_SHOWN), one_line(item.author, MAX_SHOWN),
                                      (item.published or "")[:16].replace("T", " ")) if p)
        speakers = self._speaker_line(item)
        preview.update(Content.assemble(
            (one_line(item.title, MAX_SHOWN) or "(untitled)", "bold"), "\n",
            (meta, "$text-muted"), "\n",
            (speakers + "\n" if speakers else "", "$text-secondary"), "\n",
            item.summary[:PREVIEW_CHARS] or "(the feed gives no summary)",
        ))

    def _speaker_line(self, item: Item) -> str:
        reading = self.readings.get(self.key_of(item))
        if reading is not None:
            count, speakers = len(reading.quotes), list(top_speakers(reading))
        elif item.quotes is not None:
            count, speakers = item.quotes, list(item.speakers)
        else:
            return ""
        return f"{plural(count, 'quote')} · " + ", ".join(speakers) if count else "no quotes"

    # -- keys --------------------------------------------------------------------------

    def on_data_table_row_selected(self, _: DataTable.RowSelected) -> None:
        self.action_read()

    def action_read(self) -> None:
        """Enter: the article in the reader (n/p-style N/P there move between items)."""
        item = self.current
        if item is None:
            return
        cursor = FeedCursor(self, self.key_of(item))
        shown = cursor.open(item)
        if shown is None:
            return
        self.dismiss(ItemChosen(cursor, shown))

    def open_item(self, item: Item) -> OpenRequest | Reading | None:
        """What the reader shows for ``item`` (an annotated copy when there is one), marking
        it read; None (after saying why) when there is nothing to read."""
        from newsreader.feeds.articles import source_for
        from newsreader.tui.reader import OpenRequest

        self._mark(item, True)
        keys = [self.key_of(i) for i in self.view]
        if self.key_of(item) in keys:
            self.table.move_cursor(row=keys.index(self.key_of(item)), animate=False)
        cached = self.readings.get(self.key_of(item))
        if cached is not None:
            return cached
        feed = self._feed_of(item)
        try:
            source = source_for(item, feed.full_text if feed else "auto", feed.url if feed else None)
        except FeedError as error:
            self.app.notify(str(error), title="Nothing to read", severity="warning", markup=False, timeout=6)
            return None
        label = one_line(item.title, 80) or (item.link or "item")
        if isinstance(source, str):
            return OpenRequest(label, source)
        return OpenRequest(label, source.source, page=source)

    def _feed_of(self, item: Item) -> Feed | None:
        return next((f for f in self.feeds.values() if f.id == item.feed_id), None)

    def _mark(self, item: Item, read: bool) -> None:
        if item.read == read:
            return
        updated = replace(item, read=read)
        self.items = [updated if self.key_of(i) == self.key_of(item) else i for i in self.items]
        self.view = [updated if self.key_of(i) == self.key_of(item) else i for i in self.view]
        self._update_row(updated)
        self.set_status(self._summary())
        if item.id is not None:
            self._store_read(item.id, read)

    @work(thread=True, group="feed_mark", exit_on_error=False)
    def _store_read(self, item_id: int, read: bool) -> None:
        try:
            self.store().mark_read([item_id], read)
        except Exception as error:  # noqa: BLE001 - the screen keeps the state; say it is not kept
            post(self.app, self.app.notify, f"Read state not kept: {describe(error)}", severity="warning",
                 markup=False, timeout=6)

    def action_toggle_read(self) -> None:
        item = self.current
        if item is not None:
            self._mark(item, not item.read)

    def action_refresh(self) -> None:
        self._refresh_worker()

    @work(exclusive=True, group="feed_load", exit_on_error=False)
    async def _refresh_worker(self) -> None:
        await self._refresh_all()

    def action_filter(self) -> None:
        box = self.query_one(FeedFilter)
        show(box)
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "feed-filter":
            self.words = event.value.strip()
            current = self.current
            self._fill(self.key_of(current) if current else None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "feed-filter":
            self.focus_table()

    def action_unread_only(self) -> None:
        self.unread_only = not self.unread_only
        current = self.current
        self._fill(self.key_of(current) if current else None)
        self.app.notify("Unread items only." if self.unread_only else "All items.", timeout=2)

    def action_back(self) -> None:
        """Escape: stop annotating, else clear the filter, else back to the article."""
        if self.annotating is not None:
            self.workers.cancel_group(self, "feed_annotate")
            done, total = self.annotating
            self._annotation_over(f"Stopped: annotated {done} of {total}.")
            return
        box = self.query_one(FeedFilter)
        if is_shown(box) or self.words:
            box.value = ""
            hide(box)
            self.words = ""
            self._fill(self.key_of(self.current) if self.current else None)
            self.focus_table()
            return
        if self.can_go_back():
            self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("read", "save", "browser", "toggle_read"):
            return self.current is not None
        if action == "back":
            return self.annotating is not None or bool(self.words) or self.can_go_back()
        return True

    def action_browser(self) -> None:
        item = self.current
        if item is None or not item.link:
            self.app.notify("This item has no web address.", timeout=3)
            return
        open_in_browser(self, item.link)
        self._mark(item, True)

    def action_library(self) -> None:
        self.dismiss(LIBRARY)

    def action_help(self) -> None:
        keys = {b.id: b for b in self.BINDINGS if isinstance(b, Binding)}
        sections = [
            ("Items", [keys["feed_read"], *FeedTable.BINDINGS, keys["feed_filter"], *FeedFilter.BINDINGS,
                       keys["feed_unread_only"], keys["feed_toggle_read"], keys["feed_refresh"]]),
            ("Articles", [keys["feed_annotate_all"], keys["feed_save"], keys["feed_browser"],
                          *ITEM_BINDINGS]),
            ("App", [keys["feed_back"], keys["library"], keys["help"], keys["quit"]]),
        ]
        notes = ["Full text: a feed's own text is read when it holds the whole article, the page at the link "
                 "otherwise ('newsreader feeds set ID --full-text auto|always|never').",
                 "Items marked ● are unread; opening one marks it read."]
        self.app.push_screen(HelpScreen(sections, notes))  # type: ignore[arg-type]

    # -- annotation ----------------------------------------------------------------------

    def annotated(self, key: tuple[int | None, str], reading: Reading) -> None:
        """An item's article was annotated (in the reader or here): show its quotes and speakers."""
        self.readings[key] = reading
        self.readings.move_to_end(key)
        while len(self.readings) > MAX_READINGS:
            self.readings.popitem(last=False)
        item = next((i for i in self.items if self.key_of(i) == key), None)
        if item is None:
            return
        updated = replace(item, quotes=len(reading.quotes), speakers=tuple(top_speakers(reading)))
        self.items = [updated if self.key_of(i) == key else i for i in self.items]
        self.view = [updated if self.key_of(i) == key else i for i in self.view]
        self._update_row(updated)
        if self.current is not None and self.key_of(self.current) == key:
            self._preview()
        if item.id is not None:
            self._store_annotation(item.id, updated.quotes or 0, updated.speakers)

    @work(thread=True, group="feed_store_annotation", exit_on_error=False)
    def _store_annotation(self, item_id: int, quotes: int, speakers: tuple[str, ...]) -> None:
        try:
            self.store().set_annotation(item_id, quotes, speakers)
        except Exception:  # noqa: BLE001 - shown on screen already; the count is only a convenience
            pass

    def action_annotate_all(self) -> None:
        if self.annotating is not None:
            return
        todo = [i for i in self.view if self.key_of(i) not in self.readings]
        if not todo:
            self.app.notify("Every item shown is annotated.", timeout=3)
            return
        bar = self.query_one(ProgressBar)
        bar.update(total=len(todo), progress=0)
        show(bar)
        self.annotating = (0, len(todo))
        self.refresh_bindings()
        self._annotate_all(todo)

    @work(exclusive=True, group="feed_annotate", exit_on_error=False)
    async def _annotate_all(self, todo: list[Item]) -> None:
        failed: list[str] = []
        for n, item in enumerate(todo):
            stop = key(self.app, "feed_back")
            self.set_status(f"Annotating {n + 1} of {len(todo)}: {one_line(item.title, 80)}  ({stop} stops)")
            try:
                reading = await self._read(item)
            except Exception as error:  # one failing item gets one line; the others go on
                failed.append(describe(error))
                reading = None
            if reading is not None:
                self.annotated(self.key_of(item), reading)
            self.annotating = (n + 1, len(todo))
            self.query_one(ProgressBar).advance(1)
        done = len(todo) - len(failed)
        note = f"Annotated {done} of {len(todo)}." + (f" {len(failed)} failed: {failed[0]}" if failed else "")
        self._annotation_over(note, warn=bool(failed))

    async def _read(self, item: Item) -> Reading:
        """Load (or take the feed's text), clean and annotate one item with the app's pipeline."""
        from newsreader.feeds.articles import source_for

        feed = self._feed_of(item)
        source = source_for(item, feed.full_text if feed else "auto", feed.url if feed else None)
        pipeline = self.pipeline
        page = source if not isinstance(source, str) else await in_thread(pipeline.load, source)
        article = await in_thread(pipeline.clean, page)
        return await in_thread(pipeline.annotate, article, model=self.model)

    def _annotation_over(self, note: str, warn: bool = False) -> None:
        self.annotating = None
        hide(self.query_one(ProgressBar))
        self.set_status(self._summary(note))
        self.app.notify(note, severity="warning" if warn else "information", markup=False, timeout=6)
        self.refresh_bindings()

    # -- saving --------------------------------------------------------------------------

    def action_save(self) -> None:
        item = self.current
        if item is not None:
            self._save(item)

    @work(group="feed_save", exit_on_error=False)
    async def _save(self, item: Item) -> None:
        reading = self.readings.get(self.key_of(item))
        if reading is None:
            self.set_status(f"Reading {one_line(item.title, 80)} to save it…")
            try:
                reading = await self._read(item)
            except Exception as error:  # noqa: BLE001
                self.app.notify(describe(error), title="Could not save", severity="error", markup=False, timeout=8)
                self.set_status(self._summary())
                return
            self.annotated(self.key_of(item), reading)
        self.set_status(self._summary())
        self._save_to_library(reading)

    @work(thread=True, group="feed_save_library", exit_on_error=False)
    def _save_to_library(self, reading: Reading) -> None:
        from newsreader.tui.workers import with_library

        entry = with_library(self.app, lambda library: written(library.save, reading), "Could not save to the library")
        if entry is not None:
            post(self.app, self.app.notify, f"Saved to library as #{entry.id}", title="Saved", markup=False)


def top_speakers(reading: Reading, n: int = 3) -> list[str]:
    """The speakers quoted most, most first."""
    ranked = sorted(reading.speakers, key=lambda s: (-len(s.quotes), s.name.casefold()))
    return [s.name for s in ranked[:n] if s.quotes]


def _cell(text: str, width: int, style: str = "") -> Text:
    cell = Text(one_line(text, MAX_SHOWN), style=style, no_wrap=True, overflow="ellipsis")
    cell.truncate(width, overflow="ellipsis")
    return cell


def _newest_first(items: list[Item]) -> list[Item]:
    return sorted(items, key=lambda i: i.published or i.seen or "", reverse=True)


class FeedsPanel(FailuresReported, OptionList):
    """The subscriptions beside the library (unread counts first); Enter shows a feed's
    items, or every feed's with the first line. Hidden while there are none."""

    DEFAULT_CSS = """
    FeedsPanel {
        width: 34; height: 1fr; margin: 1 0 0 1; border: round $panel-lighten-2;
        border-title-color: $text; background: $background; text-wrap: nowrap; text-overflow: ellipsis;
    }
    FeedsPanel:focus { border: round $accent; }
    """
    BINDINGS = [
        Binding("j", "cursor_down", "Next feed", show=False, id="feeds_down"),
        Binding("k", "cursor_up", "Previous feed", show=False, id="feeds_up"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Feeds"
        self.feeds: list[Feed] = []

    def on_mount(self) -> None:
        hide(self)
        self._load()

    @work(thread=True, exclusive=True, group="feeds_panel", exit_on_error=False)
    def _load(self) -> None:
        from newsreader.feeds.store import FeedStore

        try:
            feeds = FeedStore().feeds()
        except Exception:  # noqa: BLE001 - no panel rather than a broken library screen
            return
        post(self.app, self.show_feeds, feeds)

    def show_feeds(self, feeds: list[Feed]) -> None:
        self.feeds = feeds
        show(self, bool(feeds))
        if not feeds:
            return
        unread = sum(f.unread for f in feeds)
        options = [Option(Content.assemble((f"{unread:>4} ", "$text-muted"), ("All feeds", "bold")), id="*")]
        options += [Option(Content.assemble((f"{f.unread:>4} ", "$text-muted"), one_line(f.name, MAX_SHOWN)),
                           id=str(f.id)) for f in feeds]
        self.set_options(options)
        self.border_subtitle = f"{len(feeds)} subscribed"

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # the library screen's own list handles its own selections
        chosen = [f.url for f in self.feeds] if event.option.id == "*" else [
            f.url for f in self.feeds if str(f.id) == event.option.id]
        if chosen:
            self.post_message(FeedsChosen(tuple(chosen)))
