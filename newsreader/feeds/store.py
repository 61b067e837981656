"""Subscriptions, items and read state, in the library's SQLite index (tables ``feeds`` and
``feed_items``; see :mod:`newsreader.library`). Reads never wait for a writer and work on
a read-only library; every write is one transaction."""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from typing import Any

from newsreader.feeds.model import FULL_TEXT_MODES, Feed, FullText, Item, ParsedFeed
from newsreader.library import Library, LibraryError
from newsreader.safety import one_line

MAX_STORED = 1000  # items kept per feed, newest first (by date, else when first seen)
FORGET_DAYS = 30  # a feed opened once and not subscribed is forgotten after this long unopened
TOP_SPEAKERS = 3

_FEED_COLUMNS = ("f.id, f.url, f.origin, f.title, f.site, f.tags, f.full_text, f.subscribed, f.etag,"
                 " f.last_modified, f.fetched,"
                 " (SELECT count(*) FROM feed_items i WHERE i.feed_id = f.id AND i.read = 0),"
                 " (SELECT count(*) FROM feed_items i WHERE i.feed_id = f.id)")
_ITEM_COLUMNS = ("i.id, i.feed_id, i.key, i.title, i.link, i.summary, i.content, i.author, i.published, i.seen,"
                 " i.read, i.quotes, i.speakers, f.title")
_ORDER = "ORDER BY coalesce(i.published, i.seen) DESC, i.id"


def now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class FeedStore:
    """The feeds kept in ``library`` (the user's by default)."""

    def __init__(self, library: Library | None = None) -> None:
        self.library = library if library is not None else Library()

    # -- reading -------------------------------------------------------------------

    def feeds(self, *, subscribed: bool = True) -> list[Feed]:
        where = "WHERE f.subscribed = 1" if subscribed else ""
        return [_feed(r) for r in self._rows(f"SELECT {_FEED_COLUMNS} FROM feeds f {where} ORDER BY f.id")]

    def find(self, ref: str) -> Feed | None:
        """The stored feed with this id, address or discovery page, if any."""
        if ref.strip().isdigit():
            rows = self._rows(f"SELECT {_FEED_COLUMNS} FROM feeds f WHERE f.id = ?", (int(ref),))
        else:
            rows = self._rows(f"SELECT {_FEED_COLUMNS} FROM feeds f WHERE f.url = ? OR f.origin = ?"
                              " ORDER BY f.url = ? DESC LIMIT 1", (ref, ref, ref))
        return _feed(rows[0]) if rows else None

    def items(self, feed_ids: Sequence[int]) -> list[Item]:
        """The stored items of these feeds, newest first."""
        if not feed_ids:
            return []
        marks = ", ".join("?" * len(feed_ids))
        return [_item(r) for r in self._rows(
            f"SELECT {_ITEM_COLUMNS} FROM feed_items i JOIN feeds f ON f.id = i.feed_id"
            f" WHERE i.feed_id IN ({marks}) {_ORDER}", tuple(feed_ids))]

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """A query's rows; none from a library too old to have the feed tables (read-only ones
        are not upgraded)."""
        try:
            return self.library.query(sql, params)
        except LibraryError:
            tables = {name for (name,) in self.library.query("SELECT name FROM sqlite_master")}
            if {"feeds", "feed_items"} <= tables:
                raise
            return []

    # -- subscriptions -------------------------------------------------------------

    def subscribe(self, url: str, *, title: str | None = None, site: str | None = None, origin: str | None = None,
                  tags: Iterable[str] = (), full_text: FullText | None = None) -> tuple[Feed, bool]:
        """Subscribe to ``url`` (kept if already there: read state stays); (feed, whether new)."""
        tags = tuple(dict.fromkeys(one_line(t, 100) for t in tags if one_line(t)))
        with self.library.writing() as db:
            row = db.execute("SELECT id, subscribed, tags FROM feeds WHERE url = ?", (url,)).fetchone()
            if row is None:
                db.execute("INSERT INTO feeds (url, origin, title, site, tags, full_text, subscribed, added)"
                           " VALUES (?, ?, ?, ?, ?, ?, 1, ?)",
                           (url, origin, title, site, json.dumps(list(tags)), full_text or "auto", now()))
                new = True
            else:
                merged = tuple(dict.fromkeys([*_tags(row[2]), *tags]))
                db.execute("UPDATE feeds SET subscribed = 1, tags = ?, title = coalesce(title, ?),"
                           " site = coalesce(site, ?), origin = coalesce(origin, ?),"
                           " full_text = coalesce(?, full_text) WHERE id = ?",
                           (json.dumps(list(merged)), title, site, origin, full_text, row[0]))
                new = not row[1]
        feed = self.find(url)
        assert feed is not None
        return feed, new

    def remove(self, ref: str) -> Feed:
        """Unsubscribe: the feed and its items go (by id or address)."""
        feed = self.find(ref)
        if feed is None or feed.id is None or not feed.subscribed:
            raise LibraryError(f"no subscription {one_line(ref)!r} (see 'newsreader feeds list')")
        with self.library.writing() as db:
            db.execute("DELETE FROM feed_items WHERE feed_id = ?", (feed.id,))
            db.execute("DELETE FROM feeds WHERE id = ?", (feed.id,))
        return feed

    def set_full_text(self, ref: str, mode: FullText) -> Feed:
        if mode not in FULL_TEXT_MODES:
            raise ValueError(mode)
        feed = self.find(ref)
        if feed is None or feed.id is None:
            raise LibraryError(f"no subscription {one_line(ref)!r} (see 'newsreader feeds list')")
        with self.library.writing() as db:
            db.execute("UPDATE feeds SET full_text = ? WHERE id = ?", (mode, feed.id))
        return self.find(str(feed.id)) or feed

    # -- fetching --------------------------------------------------------------------

    def record(self, parsed: ParsedFeed) -> tuple[Feed, list[Item], int]:
        """Store a fetched feed's items (new ones unread, known ones keep their state) and its
        validators; (feed, all its items, how many were new)."""
        stamp = now()
        with self.library.writing() as db:
            db.execute("DELETE FROM feeds WHERE subscribed = 0 AND coalesce(fetched, added) < ?"
                       " AND url != ?", (_days_ago(FORGET_DAYS), parsed.url))
            db.execute("DELETE FROM feed_items WHERE feed_id NOT IN (SELECT id FROM feeds)")
            row = db.execute("SELECT id FROM feeds WHERE url = ?", (parsed.url,)).fetchone()
            if row is None:
                feed_id = db.execute(
                    "INSERT INTO feeds (url, origin, title, site, subscribed, etag, last_modified, fetched, added)"
                    " VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?)",
                    (parsed.url, parsed.origin, parsed.title, parsed.site, parsed.etag, parsed.last_modified,
                     stamp, stamp)).lastrowid
            else:
                feed_id = row[0]
                db.execute("UPDATE feeds SET title = coalesce(?, title), site = coalesce(?, site),"
                           " origin = coalesce(origin, ?), etag = ?, last_modified = ?, fetched = ? WHERE id = ?",
                           (parsed.title, parsed.site, parsed.origin, parsed.etag, parsed.last_modified, stamp,
                            feed_id))
            before = db.execute("SELECT count(*) FROM feed_items WHERE feed_id = ?", (feed_id,)).fetchone()[0]
            db.executemany(
                "INSERT INTO feed_items (feed_id, key, title, link, summary, content, author, published, seen)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (feed_id, key) DO UPDATE SET title = excluded.title, link = excluded.link,"
                " summary = excluded.summary, content = excluded.content, author = excluded.author,"
                " published = coalesce(excluded.published, published)",
                [(feed_id, i.key, i.title, i.link, i.summary, i.content, i.author, i.published, stamp)
                 for i in parsed.items])
            after = db.execute("SELECT count(*) FROM feed_items WHERE feed_id = ?", (feed_id,)).fetchone()[0]
            db.execute(f"DELETE FROM feed_items WHERE feed_id = ? AND id NOT IN (SELECT i.id FROM feed_items i"
                       f" WHERE i.feed_id = ? {_ORDER} LIMIT {MAX_STORED})", (feed_id, feed_id))
        feed = self.find(parsed.url)
        assert feed is not None and feed.id is not None
        return feed, self.items([feed.id]), after - before

    def unchanged(self, feed: Feed, etag: str | None, last_modified: str | None) -> None:
        """The server answered 304: note the time (and any new validators)."""
        with self.library.writing() as db:
            db.execute("UPDATE feeds SET fetched = ?, etag = coalesce(?, etag),"
                       " last_modified = coalesce(?, last_modified) WHERE id = ?",
                       (now(), etag, last_modified, feed.id))

    # -- items -------------------------------------------------------------------------

    def mark_read(self, item_ids: Iterable[int], read: bool = True) -> None:
        ids = [(int(read), i) for i in item_ids]
        if ids:
            with self.library.writing() as db:
                db.executemany("UPDATE feed_items SET read = ? WHERE id = ?", ids)

    def set_annotation(self, item_id: int, quotes: int, speakers: Sequence[str]) -> None:
        with self.library.writing() as db:
            db.execute("UPDATE feed_items SET quotes = ?, speakers = ? WHERE id = ?",
                       (quotes, json.dumps(list(speakers[:TOP_SPEAKERS])), item_id))


def _feed(r: tuple[Any, ...]) -> Feed:
    (id, url, origin, title, site, tags, full_text, subscribed, etag, last_modified, fetched, unread, total) = r
    mode: FullText = full_text if full_text in FULL_TEXT_MODES else "auto"
    return Feed(url=url, title=title, site=site, id=id, origin=origin, tags=_tags(tags), full_text=mode,
                subscribed=bool(subscribed), etag=etag, last_modified=last_modified, fetched=fetched,
                unread=unread, total=total)


def _item(r: tuple[Any, ...]) -> Item:
    (id, feed_id, key, title, link, summary, content, author, published, seen, read, quotes, speakers,
     feed_title) = r
    return Item(key=key, title=title, link=link, summary=summary or "", content=content, author=author,
                published=published, id=id, feed_id=feed_id, feed_title=feed_title, seen=seen, read=bool(read),
                quotes=quotes, speakers=_tags(speakers))


def _tags(value: object) -> tuple[str, ...]:
    try:
        data = json.loads(value) if isinstance(value, str) else []
    except ValueError:
        return ()
    return tuple(str(t) for t in data if isinstance(t, str)) if isinstance(data, list) else ()


def _days_ago(days: int) -> str:
    from datetime import timedelta

    return (datetime.now(timezone.utc) - timedelta(days=days)).replace(microsecond=0).isoformat()
