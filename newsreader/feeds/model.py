"""The values feeds are made of: a parsed feed, its items, a stored subscription."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from newsreader.errors import LoadError

FullText = Literal["auto", "always", "never"]
FULL_TEXT_MODES: tuple[FullText, ...] = ("auto", "always", "never")


class FeedError(LoadError):
    """The address was read but holds no feed newsreader can read (one line, as every error)."""


@dataclass(frozen=True)
class Item:
    """One entry of a feed, as text that is safe to show (no markup, no control characters).

    ``link`` is an absolute http(s) address or None (no link, or a ``javascript:`` one);
    ``content`` is the HTML of the full text when the feed carries one.
    """

    key: str  # the feed's guid, else the link, else a hash of the entry
    title: str | None
    link: str | None
    summary: str = ""
    content: str | None = None
    author: str | None = None
    published: str | None = None  # ISO 8601, UTC
    # Known once stored:
    id: int | None = None
    feed_id: int | None = None
    feed_title: str | None = None
    seen: str | None = None
    read: bool = False
    quotes: int | None = None  # once annotated
    speakers: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedFeed:
    """A feed document read into items; ``problem`` says why it was read only in part."""

    url: str  # the address the items came from (after redirects and discovery)
    title: str | None
    site: str | None  # the home page the feed names
    items: tuple[Item, ...] = ()
    problem: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    origin: str | None = None  # the page the feed was discovered from


@dataclass(frozen=True)
class Feed:
    """A feed as the library keeps it (``id`` None: not stored, e.g. a read-only library)."""

    url: str
    title: str | None = None
    site: str | None = None
    id: int | None = None
    origin: str | None = None
    tags: tuple[str, ...] = ()
    full_text: FullText = "auto"
    subscribed: bool = False
    etag: str | None = None
    last_modified: str | None = None
    fetched: str | None = None
    unread: int = 0
    total: int = 0

    @property
    def name(self) -> str:
        return self.title or self.url


@dataclass(frozen=True)
class Refresh:
    """What opening or refreshing a feed gave: its items, how many are new, and one line
    about anything the user should know (read in part, the stored copy shown, not kept)."""

    feed: Feed
    items: list[Item] = field(default_factory=list)
    new: int = 0
    changed: bool = True  # False: the server said 304, or could not be reached
    problem: str | None = None
