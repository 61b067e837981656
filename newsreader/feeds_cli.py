"""The feed commands: ``newsreader feed URL…`` (the feed screen), ``newsreader feeds …``
(subscriptions), ``newsreader bookmark …`` (newsboat's ``bookmark-cmd``) and the items
``export --feed URL`` writes. Argument parsing and reporting only, as in
:mod:`newsreader.cli`; the work is :mod:`newsreader.feeds`'."""
from __future__ import annotations

import argparse
import contextlib
import io
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from newsreader.cli import (
    EXIT_FAILED,
    EXIT_OK,
    PROG,
    _config,
    _config_option,
    _failure,
    _key_rules,
    _library,
    _say,
    _sub,
    _trace,
    _width,
    _write_stdout,
)
from newsreader.errors import NewsreaderError
from newsreader.feeds.model import FULL_TEXT_MODES, FullText
from newsreader.model import Page
from newsreader.safety import one_line

FEED_EPILOG = f"""\
examples:
  {PROG} feed https://example.org/news/rss.xml
  {PROG} feed https://example.org/             a home page: its feed is found
  {PROG} feed ~/feeds/saved.xml                a feed in a file
  {PROG} feed                                  every subscription

A URL can be RSS 2.0, RSS 1.0 (RDF), Atom or JSON Feed, or a web page that names
its feed with <link rel="alternate">. Items show at once from the last visit, and
the feed is fetched again (only when it changed: a conditional GET).

keys: enter read the article (N / P in the reader: next / previous item),
r refresh, / filter, u unread only, a annotate all (escape stops), s save to
the library, b open in the browser, m mark read or unread, ? all keys."""

FEEDS_EPILOG = f"""\
examples:
  {PROG} feeds add https://example.org/news/rss.xml --tag news
  {PROG} feeds add https://example.org/ --full-text always
  {PROG} feeds list
  {PROG} feeds import ~/.newsboat/urls
  {PROG} feeds import subscriptions.opml
  {PROG} feeds export > subscriptions.opml
  {PROG} feeds set 3 --full-text never
  {PROG} feeds refresh
  {PROG} feeds remove 3

full text (per feed): auto reads the feed's own text when it is long enough to
be the article and fetches the link otherwise; always fetches the link; never
reads only what the feed carries. Subscriptions and read state are kept in the
library (${{NEWSREADER_HOME}} when set)."""

BOOKMARK_EPILOG = f"""\
examples:
  {PROG} bookmark https://example.org/news/story
  {PROG} bookmark URL "Title" "Description" "Feed title"

newsboat: add to ~/.newsboat/config (or ~/.config/newsboat/config)
  bookmark-cmd "{PROG} bookmark"
  bookmark-autopilot yes

The article at URL is read, cleaned, annotated and saved in the library; TITLE
and FEED_TITLE stand in for a title and a site the page does not give. As
newsboat expects, nothing is printed on success; a failure prints one line on
standard output (newsboat shows it) and exits 1."""


# ---------------------------------------------------------------- feed (the screen)


def _run_feed(args: argparse.Namespace) -> int:
    from newsreader.feeds.store import FeedStore

    addresses = list(args.urls)
    if not addresses:
        addresses = [f.url for f in FeedStore(_library()).feeds()]
        if not addresses:
            _say("feed", f"no subscriptions yet: give a URL, or add one with '{PROG} feeds add URL'")
            return EXIT_FAILED
    try:
        from newsreader.tui.app import run
    except ImportError as exc:
        _say(f"the reader cannot start ({exc}); '{PROG} export --feed URL' still works")
        return EXIT_FAILED
    given = {"width": args.width, "model": args.model}
    return run(None, config=_config(args, _key_rules(), given), feeds=addresses)


# ---------------------------------------------------------------- feeds (subscriptions)


def _store():  # noqa: ANN202 - FeedStore, imported here so that --help stays instant
    from newsreader.feeds.store import FeedStore

    return FeedStore(_library())


def _run_add(args: argparse.Namespace) -> int:
    from newsreader.feeds.update import read_feed

    store = _store()
    failed = 0
    for url in args.urls:
        try:
            parsed = read_feed(url)
            assert parsed is not None
            feed, new = store.subscribe(parsed.url, title=parsed.title, site=parsed.site, origin=parsed.origin,
                                        tags=args.tag, full_text=args.full_text)
            store.record(parsed)
        except NewsreaderError as exc:
            _say(str(exc))
            failed += 1
            continue
        found = f" (found on {one_line(url)})" if parsed.origin else ""
        verb = "added" if new else "already subscribed:"
        print(f"{verb} {feed.id}  {one_line(feed.name)}  {one_line(feed.url)}{found}")
    return EXIT_FAILED if failed else EXIT_OK


def _run_list(args: argparse.Namespace) -> int:
    feeds = _store().feeds()
    if not feeds:
        _say(f"no subscriptions; add one with '{PROG} feeds add URL' or '{PROG} feeds import FILE'")
        return EXIT_OK
    width = max(len(str(f.id)) for f in feeds)
    for f in feeds:
        tags = f"  [{', '.join(one_line(t) for t in f.tags)}]" if f.tags else ""
        mode = f"  full text: {f.full_text}" if f.full_text != "auto" else ""
        print(f"{f.id:>{width}}  {f.unread:>4}/{f.total:<4}  {one_line(f.name, 60)}  {one_line(f.url)}{tags}{mode}")
    return EXIT_OK


def _run_remove(args: argparse.Namespace) -> int:
    feed = _store().remove(args.feed)
    print(f"removed {feed.id}  {one_line(feed.name)}")
    return EXIT_OK


def _run_set(args: argparse.Namespace) -> int:
    feed = _store().set_full_text(args.feed, args.full_text)
    print(f"{feed.id}  {one_line(feed.name)}  full text: {feed.full_text}")
    return EXIT_OK


def _run_import(args: argparse.Namespace) -> int:
    from newsreader.feeds.lists import MAX_LIST_BYTES, read_list

    path = Path(args.file).expanduser()
    try:
        with path.open("rb") as fh:
            body = fh.read(MAX_LIST_BYTES + 1)
    except OSError as exc:
        _say(f"{path}: {exc.strerror or exc}")
        return EXIT_FAILED
    if len(body) > MAX_LIST_BYTES:
        _say(f"{path}: larger than {MAX_LIST_BYTES // (1024 * 1024)} MB, not a subscription list")
        return EXIT_FAILED
    listed = read_list(body, str(path))
    for line in listed.skipped:
        _say(str(path), f"skipped {line}")
    store = _store()
    added = 0
    for sub in listed.subscriptions:
        _, new = store.subscribe(sub.url, title=sub.title, tags=sub.tags, full_text=args.full_text)
        added += new
    known = len(listed.subscriptions) - added
    print(f"imported {added} feed{'s' * (added != 1)} from {listed.kind} ({known} already subscribed,"
          f" {len(listed.skipped)} skipped)")
    return EXIT_OK


def _run_export_opml(args: argparse.Namespace) -> int:
    from newsreader.feeds.lists import write_opml

    _write_stdout(write_opml(_store().feeds()))
    return EXIT_OK


def _run_refresh(args: argparse.Namespace) -> int:
    from newsreader.feeds.update import refresh

    store = _store()
    feeds = store.feeds()
    if not feeds:
        _say(f"no subscriptions; add one with '{PROG} feeds add URL'")
        return EXIT_OK
    failed = 0
    for feed in feeds:
        try:
            done = refresh(feed.url, store)
        except NewsreaderError as exc:
            _say(str(exc))
            failed += 1
            continue
        if done.problem:
            _say(done.problem)
        state = f"{done.new} new" if done.changed else "unchanged"
        unread = sum(not i.read for i in done.items)
        print(f"{feed.id}  {state}, {unread} unread  {one_line(done.feed.name)}")
    return EXIT_FAILED if failed else EXIT_OK


# ---------------------------------------------------------------- export --feed


def feed_items(address: str) -> tuple[list[str | Page], list[str], list[str]]:
    """What ``export --feed`` reads for each item of the feed at ``address`` (links, or pages
    of the text the feed carries); one line for each item it cannot read; notes (a feed
    read only in part, a feed without items)."""
    from newsreader.feeds.articles import source_for
    from newsreader.feeds.model import FeedError
    from newsreader.feeds.store import FeedStore
    from newsreader.feeds.update import read_feed
    from newsreader.library import LibraryError

    parsed = read_feed(address)
    assert parsed is not None
    mode: FullText = "auto"
    with contextlib.suppress(LibraryError):
        known = FeedStore(_library()).find(parsed.url)
        mode = known.full_text if known is not None else "auto"
    sources: list[str | Page] = []
    failures = []
    notes = [parsed.problem] if parsed.problem else []
    for item in parsed.items:
        try:
            sources.append(source_for(replace(item, feed_title=parsed.title), mode, parsed.url))
        except FeedError as exc:
            failures.append(str(exc))
    if not parsed.items:
        notes.append(f"{one_line(address)}: the feed has no items")
    return sources, failures, notes


# ---------------------------------------------------------------- bookmark (newsboat)


def _run_bookmark(args: argparse.Namespace) -> int:
    """newsboat's bookmark-cmd: silent on success, one line on standard output on failure
    (newsboat reads that line; standard error would land on its screen)."""
    from newsreader import pipeline

    quiet = io.StringIO()
    try:
        with contextlib.redirect_stderr(quiet):
            reading = pipeline.read(args.url, model=args.model)
            article = reading.article
            reading = replace(reading, article=replace(
                article, title=article.title or one_line(args.title) or None,
                site=article.site or one_line(args.feed_title) or None))
            from newsreader.library import Library

            Library().save(reading)
    except Exception as exc:  # noqa: BLE001 - newsboat shows the one line
        print(f"{PROG}: {one_line(_failure(args.url, exc))}", flush=True)
        if trace := _trace(exc):
            sys.stderr.write(trace)
        return EXIT_FAILED
    return EXIT_OK


# ---------------------------------------------------------------- registration


def _mode(value: str) -> str:
    if value not in FULL_TEXT_MODES:
        raise argparse.ArgumentTypeError(f"choose from {', '.join(FULL_TEXT_MODES)}")
    return value


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``feed``, ``feeds`` and ``bookmark`` to the command line."""
    p = _sub(subparsers, "feed", "Read news feeds: items, then full, annotated articles.", FEED_EPILOG, _run_feed)
    p.add_argument("urls", nargs="*", metavar="URL", help="a feed, a web page naming one, or a feed file")
    p.add_argument("--width", type=_width, metavar="N",
                   help="width of the article text in columns (default: 80)")
    p.add_argument("--model", metavar="NAME", help="spaCy model to use (default: the installed English one)")
    _config_option(p)

    p = _sub(subparsers, "feeds", "Subscribe to feeds: add, list, remove, import, export.", FEEDS_EPILOG, _run_list)
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    add = _sub(actions, "add", "Subscribe to feeds (a web page's feed is found).", FEEDS_EPILOG, _run_add)
    add.add_argument("urls", nargs="+", metavar="URL")
    add.add_argument("-t", "--tag", action="append", default=[], metavar="TAG", help="a tag (repeat for more)")
    add.add_argument("--full-text", type=_mode, metavar="MODE", help="auto (default), always or never")
    _sub(actions, "list", "List subscriptions: id, unread/total, title, address.", FEEDS_EPILOG, _run_list)
    remove = _sub(actions, "remove", "Unsubscribe (its items and read state go too).", FEEDS_EPILOG, _run_remove)
    remove.add_argument("feed", metavar="ID|URL")
    imp = _sub(actions, "import", "Subscribe to the feeds of an OPML file or newsboat's urls file.", FEEDS_EPILOG,
               _run_import)
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--full-text", type=_mode, metavar="MODE", help="for every imported feed")
    _sub(actions, "export", "Print the subscriptions as OPML.", FEEDS_EPILOG, _run_export_opml)
    set_ = _sub(actions, "set", "Change a subscription's full-text setting.", FEEDS_EPILOG, _run_set)
    set_.add_argument("feed", metavar="ID|URL")
    set_.add_argument("--full-text", type=_mode, required=True, metavar="MODE", help="auto, always or never")
    _sub(actions, "refresh", "Fetch every subscription (only what changed).", FEEDS_EPILOG, _run_refresh)

    p = _sub(subparsers, "bookmark", "Save an article to the library, as newsboat's bookmark-cmd.",
             BOOKMARK_EPILOG, _run_bookmark)
    p.add_argument("url", metavar="URL")
    p.add_argument("title", nargs="?", default="", metavar="TITLE")
    p.add_argument("description", nargs="?", default="", metavar="DESCRIPTION")
    p.add_argument("feed_title", nargs="?", default="", metavar="FEED_TITLE")
    p.add_argument("--model", metavar="NAME", help="spaCy model to use (default: the installed English one)")


def with_feed_items(items: list, feeds: Sequence[str]) -> int:  # noqa: ANN001 - cli.Item
    """Append every item of ``feeds`` to ``items`` for ``export --feed``; the number of
    lines said about what could not be read (each counts as a failed source)."""
    failed = 0
    for address in feeds:
        try:
            sources, failures, notes = feed_items(address)
        except NewsreaderError as exc:
            _say(str(exc))
            failed += 1
            continue
        items.extend(sources)
        for line in (*notes, *failures):
            _say(line)
        failed += len(failures)
    return failed
