"""What the reader, the library and the feed screen hand each other.

Small values, so that the reader imports neither screen until it opens one.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.binding import Binding

from newsreader.model import Reading

if TYPE_CHECKING:
    from newsreader.feeds.model import Item
    from newsreader.tui.feed_screen import FeedScreen
    from newsreader.tui.reader import OpenRequest


@dataclass(frozen=True)
class FeedChoice:
    """What the library screen hands the reader for a subscription chosen there."""

    addresses: tuple[str, ...]


@dataclass
class FeedCursor:
    """The reader's way back into the feed: which item it shows, and the items around it."""

    screen: FeedScreen
    key: tuple[int | None, str]
    source: str | None = None  # the source the reader opened for it

    def open(self, item: Item) -> OpenRequest | Reading | None:
        shown = self.screen.open_item(item)
        if shown is not None:
            self.key = self.screen.key_of(item)
            self.source = shown.article.source if isinstance(shown, Reading) else shown.source
        return shown

    def step(self, forward: bool) -> OpenRequest | Reading | None:
        """The next (or previous) item in the feed screen's list, opened; None at the end."""
        view = self.screen.view
        keys = [self.screen.key_of(i) for i in view]
        if not keys:
            return None
        index = keys.index(self.key) if self.key in keys else (-1 if forward else len(keys))
        target = index + (1 if forward else -1)
        if not 0 <= target < len(view):
            return None
        return self.open(view[target])

    def annotated(self, reading: Reading) -> None:
        """The reader annotated an article: the item's, unless another source was opened since."""
        if reading.article.source == self.source:
            self.screen.annotated(self.key, reading)


@dataclass
class LibraryPlace:
    """Where the list was when an article was read from it, to come back to the same place."""

    words: str = ""  # the search
    entry: int | None = None  # the article read
    voices: bool = False  # the article was opened from the Voices screen: Escape goes back there


@dataclass(frozen=True)
class QuoteChoice:
    """What the Voices screen hands back: a saved article to show at one of its quotes."""

    reading: Reading
    quote: int  # the index of the quote in reading.quotes


@dataclass(frozen=True)
class ItemChosen:
    """What the feed screen hands the reader for an item to read: what to show, and the
    cursor that keeps the way back to the items."""

    cursor: FeedCursor
    shown: OpenRequest | Reading


LIBRARY = "library"  # what the feed screen hands back for L: the library, over the reader

# What the feed screen hands back: an item to read, the library, or None (back to the article).
FeedAnswer = ItemChosen | str | None

# The reader's keys for a feed's item, listed in the feed screen's help too.
ITEM_BINDINGS = [
    Binding("N", "item(True)", "Next item", tooltip="Next item of the feed", id="next_item"),
    Binding("P", "item(False)", "Prev item", tooltip="Previous item of the feed", id="previous_item"),
    Binding("F", "feed_items", "Items", tooltip="Back to the feed's items", id="feed_items"),
]

# What the library screen hands back to the reader: a saved Reading to show (at a
# quote, from the Voices screen), a source (URL or path) the user typed to open
# instead, or feeds to show.
LibraryChoice = Reading | QuoteChoice | str | FeedChoice
