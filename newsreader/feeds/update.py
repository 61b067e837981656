"""Reading a feed and refreshing a stored one (with a conditional GET)."""
from __future__ import annotations

import contextlib
from dataclasses import replace

from newsreader.errors import LoadError
from newsreader.feeds.fetch import Raw, fetch, normalise
from newsreader.feeds.model import Feed, FeedError, ParsedFeed, Refresh
from newsreader.feeds.parse import NotAFeed, parse
from newsreader.feeds.store import FeedStore
from newsreader.library import LibraryError
from newsreader.safety import one_line

__all__ = ["read_feed", "refresh"]


def read_feed(address: str, *, etag: str | None = None, last_modified: str | None = None) -> ParsedFeed | None:
    """Fetch and parse the feed at ``address``, or at the first feed a web page there names.

    Returns None when the server says the feed has not changed since the validators
    ``etag``/``last_modified`` (a 304). Raises :class:`LoadError` (and its subclass
    :class:`FeedError`) with one line when there is no feed to read.
    """
    stored = normalise(address)
    raw = fetch(address, etag=etag, last_modified=last_modified)
    if raw.body is None:
        return None
    try:
        return _parsed(raw, stored)
    except NotAFeed as page:
        if not page.links:
            raise
        found = page.links[0]
        raw = fetch(found)
        assert raw.body is not None
        try:
            return replace(_parsed(raw, found), origin=stored)
        except NotAFeed:
            raise FeedError(f"{one_line(address)} names a feed at {one_line(found)}, "
                            "but that is a web page too") from None


def _parsed(raw: Raw, stored: str) -> ParsedFeed:
    assert raw.body is not None
    parsed = parse(raw.body, raw.url, content_type=raw.content_type, charset=raw.charset)
    return replace(parsed, url=stored, etag=raw.etag, last_modified=raw.last_modified)


def refresh(address: str, store: FeedStore | None = None) -> Refresh:
    """Open or refresh one feed: fetch it (conditionally, when it was fetched before), store
    its items and return them all, newest first.

    When the feed cannot be fetched now (offline, a server error) but was stored before,
    the stored items come back with a line saying so. When the library cannot be written
    (a read-only disk), the items come back unstored, with a line saying read state is not
    kept. Other failures raise :class:`LoadError` with one line.
    """
    key = normalise(address)
    feeds = store if store is not None else _store()
    known = None
    if feeds is not None:
        try:
            known = feeds.find(key)
        except LibraryError:
            known = None
    # Validators only when there is a stored copy to show for a 304.
    copy = known if known is not None and known.id is not None and known.total > 0 else None
    try:
        parsed = read_feed(known.url if known else address, etag=copy.etag if copy else None,
                           last_modified=copy.last_modified if copy else None)
    except LoadError as error:
        if copy is not None and feeds is not None and error.transient:
            when = (copy.fetched or "")[:16].replace("T", " ")
            return Refresh(copy, feeds.items([copy.id] if copy.id is not None else []), changed=False,
                           problem=f"{error}; showing the items fetched {when} UTC")
        raise
    if parsed is None:  # 304: nothing changed
        assert copy is not None and feeds is not None
        with contextlib.suppress(LibraryError):
            feeds.unchanged(copy, None, None)
        return Refresh(copy, feeds.items([copy.id] if copy.id is not None else []), changed=False)
    note = "read state is not kept (the library cannot be opened)"
    if feeds is not None:
        try:
            feed, items, new = feeds.record(parsed)
            return Refresh(feed, items, new, problem=parsed.problem)
        except LibraryError as error:
            note = f"read state is not kept ({error})"
    feed = Feed(url=parsed.url, title=parsed.title, site=parsed.site, origin=parsed.origin,
                total=len(parsed.items), unread=len(parsed.items))
    items = [replace(i, feed_title=parsed.title) for i in parsed.items]
    return Refresh(feed, items, len(items), problem="; ".join(p for p in (parsed.problem, note) if p))


def _store() -> FeedStore | None:
    try:
        return FeedStore()
    except LibraryError:
        return None
