"""Saved copies of articles: files on disk plus a SQLite index with full-text search.

Layout under the library root (``NEWSREADER_HOME``, else the platform's user data
directory)::

    library.sqlite3                 entries + an FTS5 index (title, byline, site, body, speakers)
    articles/<id>-<slug>-<token>/   article.json (every annotation, corrections applied), article.md,
                                    corrections.json (when a person corrected a speaker), and
                                    entry.json (the index row: source key and time saved)
    quarantine/                     what repair set aside instead of deleting it

The folders are the truth and the index is derived from them: :meth:`Library.repair`
rebuilds it from the folders (ids come from the folder names), and a missing, empty
or damaged index is rebuilt that way when the library opens.

Why it survives crashes and parallel savers:

* Every save happens inside one ``BEGIN IMMEDIATE`` transaction, so savers take
  turns (``busy_timeout`` makes them wait rather than fail) while readers read the
  last committed state of the WAL without taking any lock a writer holds; readers
  open the index read-only, so a read-only library can still be read.
* A save writes a *new* folder (temporary name, fsync, rename) and only then
  commits the index row that points at it; the previous folder is deleted after
  the commit. A save killed at any point leaves the index on its previous state,
  and at worst an unreferenced folder.
* ``entry.json`` is written only after the commit, so it marks a folder the index
  has held. The next save deletes an unreferenced folder only when it has no mark
  (a killed save's) and the index passes SQLite's quick check; a marked folder the
  index does not know is indexed again, and anything that cannot be is moved to
  ``quarantine/``. A lost index never costs an article.
* Folder names come from the title through :func:`newsreader.safety.title_stem`, which only keeps
  word characters and dashes, so a title cannot reach outside ``articles/``; a
  row naming any other folder (a tampered index) is skipped and reported.

Corrections (:mod:`newsreader.corrections`) live in the article's folder, so they
are written with the rest of it, atomically, and a rebuilt index loses none. Saving
a source again applies the stored ones to the new annotation (and keeps them), after
re-aiming them at where their quotes now are; corrections passed to the save are
added, a later one replacing an earlier one about the same quote.

The index also holds tables that no folder derives: news feeds and their items'
read state (``newsreader.feeds``), read with :meth:`Library.query` and written in
:meth:`Library.writing`, under the same rules. A damaged index set aside keeps
them in its copy in ``quarantine/``; the rebuilt index starts them empty.
"""
from __future__ import annotations

import builtins  # Library.list shadows the builtin inside the class
import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import platformdirs

from newsreader import HOME_ENV
from newsreader.corrections import Correction, apply, from_json, merge, rebase, to_json
from newsreader.errors import NewsreaderError
from newsreader.export import render
from newsreader.export.files import write_atomic
from newsreader.export.jsonfmt import from_dict, render_json, to_dict
from newsreader.model import Article, Reading
from newsreader.safety import title_stem
from newsreader.samples import DEMO_SOURCE
from newsreader.voices import QuoteRow, quote_rows

__all__ = ["HOME_ENV", "Entry", "IndexDamaged", "Library", "LibraryError", "Removed", "Repair", "report_line",
           "source_key"]

_BUSY_TIMEOUT_S = 30.0  # parallel savers queue up; a save takes milliseconds
# 1: entries + FTS. 2: the same tables, and every indexed folder holds its mark (_MARK).
# 3: adds the feed tables (_FEED_SCHEMA). 4: adds the quotes (_QUOTE_SCHEMA), for voices.
_SCHEMA_VERSION = 4
_FILES = {"json": "article.json", "md": "article.md"}
_MARK = "entry.json"  # written after the commit: this folder has been in the index
_CORRECTIONS = "corrections.json"  # written with the article, only when there are corrections
_MAX_CORRECTIONS_BYTES = 16 * 1024 * 1024
_PARTIAL = ".partial-"
_PARTIAL_NAME = re.compile(r"\.partial-[0-9a-f]+")
# A saved copy's folder, <id>-<slug>-<token>; save() creates nothing else under articles/
# but partial folders, and anything else there is left alone.
_COPY_NAME = re.compile(r"(\d+)-[\w-]*-[0-9a-f]{6}")
_QUARANTINE = "quarantine"
# SQLite's result codes for a file that is not a database or is damaged.
_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26
# bm25 weights for title, byline, site, body, speakers: a hit in the title counts most.
_BM25 = "bm25(entries_fts, 10.0, 4.0, 2.0, 1.0, 4.0)"

# One statement each: executescript() would commit the transaction they run in.
_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS entries (
        id     INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused, so an old id never shows another article
        source TEXT NOT NULL UNIQUE,               -- see source_key()
        title  TEXT, site TEXT, byline TEXT, date TEXT,
        saved  TEXT NOT NULL,                      -- ISO 8601, UTC
        folder TEXT NOT NULL                       -- name under articles/
    )""",
    """CREATE VIRTUAL TABLE IF NOT EXISTS entries_fts USING fts5(
        title, byline, site, body, speakers, tokenize = 'unicode61 remove_diacritics 2'
    )""",
)
_TABLES = frozenset({"entries", "entries_fts"})
# One row per quote of each saved article, as newsreader.voices counts it (corrections
# applied): "who gets quoted" over the whole library is one query, not a read of every file.
_QUOTE_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS quotes (
        entry_id      INTEGER NOT NULL,  -- entries.id
        speaker       TEXT,              -- the article's canonical name; NULL: never named
        kind          TEXT NOT NULL,     -- person or organisation
        gender        TEXT, gender_source TEXT,
        words         INTEGER NOT NULL,
        sure          INTEGER NOT NULL   -- 1: confidence >= 0.9, or corrected by hand
    )""",
    "CREATE INDEX IF NOT EXISTS quotes_entry ON quotes (entry_id)",
)
# Subscriptions and what was read: no folder holds them, so their absence is no damage.
_FEED_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS feeds (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        url        TEXT NOT NULL UNIQUE,  -- the feed's own address (or file:// URL)
        origin     TEXT,                  -- the page it was discovered from, if any
        title      TEXT, site TEXT,       -- the feed's title and home page
        tags       TEXT NOT NULL DEFAULT '[]',  -- JSON list
        full_text  TEXT NOT NULL DEFAULT 'auto',  -- auto, always or never
        subscribed INTEGER NOT NULL DEFAULT 1,  -- 0: opened once, kept for its read state
        etag TEXT, last_modified TEXT,    -- validators for the next conditional GET
        fetched    TEXT,                  -- ISO 8601 UTC of the last successful fetch
        added      TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS feed_items (
        id        INTEGER PRIMARY KEY AUTOINCREMENT,
        feed_id   INTEGER NOT NULL,
        key       TEXT NOT NULL,          -- guid, else link, else a hash of the item
        title TEXT, link TEXT, summary TEXT, content TEXT, author TEXT,
        published TEXT,                   -- ISO 8601 UTC, when the feed gives a readable date
        seen      TEXT NOT NULL,          -- when it was first fetched
        read      INTEGER NOT NULL DEFAULT 0,
        quotes    INTEGER, speakers TEXT, -- once annotated: quote count, JSON list of top speakers
        UNIQUE (feed_id, key)
    )""",
)
_REPAIR_HINT = "'newsreader library repair' rebuilds the index from the saved articles"


class LibraryError(NewsreaderError):
    """A library operation failed in a way the user can act on (unknown id, missing copy)."""


class IndexDamaged(LibraryError):
    """The index file is not a database, or SQLite found it damaged."""


class _BadRow(LibraryError):
    """One index row that cannot be shown (a tampered folder or time)."""

    def __init__(self, id: int, reason: str) -> None:
        super().__init__(f"entry {id} of the library index {reason}")
        self.id, self.reason = id, reason


@dataclass(frozen=True)
class Entry:
    """One saved article as the index knows it (enough to list it without opening it)."""

    id: int
    source: str
    title: str | None
    site: str | None
    byline: str | None
    date: str | None
    saved: str  # ISO 8601 timestamp, UTC
    path: Path  # the folder holding article.json and article.md


@dataclass(frozen=True)
class Removed:
    """What :meth:`Library.remove` removed."""

    id: int
    title: str | None


@dataclass
class Repair:
    """What :meth:`Library.repair` (or the repair run on opening) found and did."""

    indexed: int = 0  # entries in the index afterwards
    added: int = 0  # saved folders the index did not know
    fixed: int = 0  # rows corrected from their folder (a tampered or stale row)
    dropped: int = 0  # rows whose saved copy is gone
    cleared: int = 0  # folders of killed saves, removed
    quarantined: list[str] = field(default_factory=list)  # names moved to quarantine/
    index_moved: Path | None = None  # where a damaged index file was set aside

    @property
    def changed(self) -> bool:
        return bool(self.added or self.fixed or self.dropped or self.quarantined or self.index_moved)


STDIN_PREFIX = "stdin: "  # the source of a saved copy of standard input: "stdin: its title"


def is_stdin(source: str) -> bool:
    """Whether ``source`` is standard input: ``-``, or the name a saved copy gives it."""
    return source.strip() in ("", "-") or source.startswith(STDIN_PREFIX)


def source_key(article: Article) -> str:
    """The identity of a saved article: saving the same source again updates its entry.

    URLs lose their fragment and get a lower-case scheme and host; files become
    absolute paths; stdin (``-``) is identified by its text; the bundled demo is
    one fixed key wherever it was opened from.
    """
    src = article.source.strip()
    if src == DEMO_SOURCE:
        return DEMO_SOURCE
    parts = urlsplit(src)
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))
    if is_stdin(article.source):
        return "stdin:" + hashlib.sha256(article.text.encode()).hexdigest()[:16]
    return str(Path(src).expanduser().resolve())


def stored_source(article: Article, saved: datetime) -> str:
    """The source a saved copy keeps: a file as an absolute path (it is opened again from
    anywhere), standard input by a name ("stdin: its title", or the time it was saved)."""
    src = article.source.strip()
    if src == DEMO_SOURCE or re.match(r"https?://", src, re.IGNORECASE) or src.startswith(STDIN_PREFIX):
        return article.source
    if is_stdin(src):
        name = " ".join((article.title or "").split()) or f"{saved.astimezone():%Y-%m-%d %H:%M}"
        return STDIN_PREFIX + name
    return source_key(article)


def fts_query(words: str) -> str:
    """The user's words as an FTS5 query that cannot be a syntax error.

    Each word becomes a quoted phrase (so ``OR``, ``-``, ``(`` and quotes are plain
    text) and all must match; a trailing ``*`` keeps its meaning of a prefix search.
    """
    phrases = []
    for word in words.split():
        core = word.rstrip("*")
        if core:
            star = "*" if core != word else ""
            phrases.append('"' + core.replace('"', '""') + '"' + star)
    return " ".join(phrases)


def default_root() -> Path:
    """``$NEWSREADER_HOME`` if set, else the platform's user data directory."""
    env = os.environ.get(HOME_ENV)
    return Path(env).expanduser() if env else platformdirs.user_data_path("newsreader")


@dataclass(frozen=True)
class _Copy:
    """A saved folder as repair reads it."""

    name: str
    id: int
    reading: Reading
    source: str | None  # from the mark, when there is one
    saved: str
    marked: bool


class Library:
    """The saved articles. Each call opens its own connection, so it is safe from threads and processes.

    ``warn`` receives one line for each thing the user should know that is not a
    failure (an index rebuilt on opening, damaged rows skipped); every such line is
    also kept in :attr:`notices`.
    """

    def __init__(self, root: Path | None = None, *, warn: Callable[[str], None] | None = None) -> None:
        self.root = Path(root) if root is not None else default_root()
        self.articles = self.root / "articles"
        self.quarantine = self.root / _QUARANTINE
        self.db_path = self.root / "library.sqlite3"
        self.notices: list[str] = []
        self._warn = warn
        try:  # private: what someone reads is their business
            self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
            self.articles.mkdir(exist_ok=True, mode=0o700)
        except OSError as exc:  # a read-only library whose folders exist raises nothing here
            raise LibraryError(f"cannot create the library in {self.root}: {exc.strerror or exc}") from exc
        state = self._probe()
        if state != "ok":
            self._set_up(state)

    # -- reading ---------------------------------------------------------------

    def list(self) -> list[Entry]:
        """All entries, most recently saved first (damaged rows are skipped and reported)."""
        return self._entries(self._read(f"SELECT {_COLUMNS} FROM entries e ORDER BY saved DESC, id DESC"))

    def search(self, words: str) -> builtins.list[Entry]:
        """Entries matching all of ``words`` (title, byline, site, body, speakers), best first."""
        query = fts_query(words)
        if not query:
            return []
        return self._entries(self._read(
            f"SELECT {_COLUMNS} FROM entries_fts JOIN entries e ON e.id = entries_fts.rowid"
            f" WHERE entries_fts MATCH ? ORDER BY {_BM25}, e.id DESC",
            (query,),
        ))

    def entry(self, id: int) -> Entry:
        """The entry with this id, or :class:`LibraryError` (also for a damaged row)."""
        rows = self._read(f"SELECT {_COLUMNS} FROM entries e WHERE id = ?", (id,))
        if not rows:
            raise LibraryError(f"no saved article with id {id}")
        row = rows[0]
        try:
            return self._entry(row)
        except _BadRow as bad:
            raise LibraryError(f"{bad}; {_REPAIR_HINT}") from None

    def quotes(self, entries: Sequence[Entry]) -> builtins.list[tuple[str, builtins.list[QuoteRow]]]:
        """Each of ``entries`` (its source) with its quotes as the index keeps them, for
        :func:`newsreader.voices.count_rows`: one query, no article read."""
        wanted = {e.id: e.source for e in entries}
        rows: dict[int, builtins.list[QuoteRow]] = {id: [] for id in wanted}
        for entry_id, speaker, kind, gender, how, words, sure in self._read(
                "SELECT entry_id, speaker, kind, gender, gender_source, words, sure FROM quotes ORDER BY entry_id, rowid"):
            if entry_id in rows:
                rows[entry_id].append(QuoteRow(speaker, kind, gender, how, int(words), bool(sure)))
        return [(wanted[id], quotes) for id, quotes in rows.items()]

    def title(self, id: int) -> str | None:
        """The title the index holds for ``id``, even when the row is otherwise damaged."""
        rows = self._read("SELECT title FROM entries WHERE id = ?", (id,))
        if not rows:
            raise LibraryError(f"no saved article with id {id}")
        return None if rows[0][0] is None else str(rows[0][0])

    def get(self, id: int) -> Reading:
        """The saved Reading, rebuilt from its JSON: no network, no re-annotation."""
        path = self.path_of(id, "json")
        try:
            return from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise LibraryError(f"saved article {id} cannot be read ({path}): {exc}") from exc

    def corrections(self, id: int) -> builtins.list[Correction]:
        """The corrections stored with entry ``id`` (already applied in :meth:`get`)."""
        return _read_corrections(self.entry(id).path)

    def path_of(self, id: int, fmt: str) -> Path:
        """The stored file of entry ``id`` in ``fmt`` (``json`` or ``md``)."""
        if fmt not in _FILES:
            raise ValueError(f"the library stores {' and '.join(_FILES)}, not {fmt!r}")
        return self.entry(id).path / _FILES[fmt]

    # -- writing ---------------------------------------------------------------

    def save(self, reading: Reading, corrections: Sequence[Correction] = ()) -> Entry:
        """Store ``reading`` (JSON and Markdown) and index it; the same source updates its entry.

        The corrections already stored for the source, then ``corrections``, are applied
        to ``reading`` and kept with it.
        """
        try:
            return self._save(reading, corrections)
        except IndexDamaged:  # found damaged mid-way: set it aside, rebuild from the folders, save again
            self._set_up("damaged")
            return self._save(reading, corrections)

    def remove(self, id: int) -> Removed:
        """Delete entry ``id`` and its files, or say why not (:class:`LibraryError`).

        The row goes only once the files can go: a folder that cannot be written
        leaves the entry as it was. Files that still fail to delete after the row is
        gone are reported too (and the next save retries, as their mark is gone).
        """
        with self._connect(write=True) as db:
            with _transaction(db):
                row = db.execute("SELECT title, folder FROM entries WHERE id = ?", (id,)).fetchone()
                if row is None:
                    raise LibraryError(f"no saved article with id {id}")
                title, folder = row
                copies = self._copies_of(id, folder)
                for path in copies:
                    self._unmark(path, id)
                db.execute("DELETE FROM entries WHERE id = ?", (id,))
                db.execute("DELETE FROM entries_fts WHERE rowid = ?", (id,))
                db.execute("DELETE FROM quotes WHERE entry_id = ?", (id,))
        for path in copies:
            try:
                shutil.rmtree(path)
            except FileNotFoundError:
                pass
            except OSError as exc:
                where = exc.filename or path
                raise LibraryError(f"saved article {id} is out of the index, but its files could not be "
                                   f"deleted: {where}: {exc.strerror or exc}") from exc
        return Removed(id, None if title is None else str(title))

    def repair(self) -> Repair:
        """Rebuild the index from the saved folders: every readable copy is indexed under
        the id its folder name carries, rows without a copy are dropped, damaged rows are
        rewritten, and what cannot be indexed is moved to ``quarantine/``, never deleted."""
        with self._exclusive():
            moved = self._quarantine_index() if self._damaged() else None
            with self._connect(write=True) as db:
                _enable_wal(db)
                with _transaction(db):
                    version = self._ensure_schema(db)
                    trusted = version >= _SCHEMA_VERSION and _quick_check(db)
                    report = self._rebuild(db, trust_marks=trusted)
        report.index_moved = moved
        return report

    # -- tables beside the articles (feeds) ------------------------------------------

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> builtins.list[tuple[Any, ...]]:
        """The rows of one read-only query on the index; like listing, it never waits for a writer."""
        return self._read(sql, params)

    @contextlib.contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """A write transaction on the index (``BEGIN IMMEDIATE``), committed when the block ends
        and rolled back if it raises; database failures become :class:`LibraryError`."""
        with self._connect(write=True) as db, _transaction(db):
            yield db

    # -- opening -----------------------------------------------------------------

    def _probe(self) -> str:
        """The index's state, read without any lock: ok, missing, empty, old or damaged."""
        try:
            if self.db_path.stat().st_size == 0:
                return "empty"
        except FileNotFoundError:
            return "missing"
        except OSError as exc:
            raise LibraryError(f"cannot read the library index {self.db_path}: {exc.strerror or exc}") from exc
        try:
            with self._connect() as db:
                version = db.execute("PRAGMA user_version").fetchone()[0]
                tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        except IndexDamaged:
            return "damaged"
        if not tables and version == 0:
            return "empty"  # a new file whose schema another process may be writing right now
        if not _TABLES <= tables:
            return "damaged"
        return "old" if version < _SCHEMA_VERSION else "ok"

    def _damaged(self) -> bool:
        """Whether the index file is there but damaged (not a database, or fails the quick check)."""
        state = self._probe()
        if state != "ok" and state != "old":
            return state == "damaged"
        try:
            with self._connect() as db:
                return not _quick_check(db)
        except IndexDamaged:
            return True

    def _set_up(self, state: str) -> None:
        """Create, upgrade or replace the index; the only time opening takes the write lock."""
        if state == "old" and not _writable(self.root):
            return  # the previous version's library on a read-only disk reads as it is
        moved = None
        if state == "damaged":
            with self._exclusive():  # one process sets the damaged file aside, the others see the new one
                if self._damaged():
                    moved = self._quarantine_index()
        try:
            with self._connect(write=True) as db:
                _enable_wal(db)
                with _transaction(db):
                    version = self._ensure_schema(db)
                    if version >= _SCHEMA_VERSION:
                        return  # another process got here first
                    report = self._rebuild(db, trust_marks=False)
                    db.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
        except IndexDamaged:
            if state == "damaged":
                raise
            self._set_up("damaged")
            return
        report.index_moved = moved
        if state == "damaged":
            kept = f" (kept as {moved})" if moved else ""
            self._notice(f"the library index was damaged{kept}; rebuilt it from "
                         f"{_count(report.indexed, 'saved article')}{_quarantined(report, self.quarantine)}")
        elif state in ("missing", "empty") and (report.indexed or report.quarantined):
            self._notice(f"the library index was {state}; rebuilt it from "
                         f"{_count(report.indexed, 'saved article')}{_quarantined(report, self.quarantine)}")
        elif report.changed:
            self._notice(f"the library index was upgraded: {report_line(report, self.quarantine)}")

    def _ensure_schema(self, db: sqlite3.Connection) -> int:
        """Inside the write transaction: create the tables if absent; the stored schema version."""
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        for statement in (*_FEED_SCHEMA, *_QUOTE_SCHEMA):
            db.execute(statement)
        if not _TABLES <= tables:
            for statement in _SCHEMA:
                db.execute(statement)
            return 0
        return version

    def _quarantine_index(self) -> Path:
        """Move the damaged index (and its WAL files, first, so a new index cannot replay them) aside."""
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        target = self.quarantine / f"library-{stamp}-{secrets.token_hex(3)}.sqlite3"
        try:
            self.quarantine.mkdir(exist_ok=True, mode=0o700)
            for suffix in ("-wal", "-shm", "-journal", ""):
                src = self.db_path.with_name(self.db_path.name + suffix)
                with contextlib.suppress(FileNotFoundError):
                    os.replace(src, target.with_name(target.name + suffix))
        except OSError as exc:
            raise LibraryError(f"the library index {self.db_path} is damaged and cannot be set aside: "
                               f"{exc.strerror or exc}") from exc
        return target

    @contextlib.contextmanager
    def _exclusive(self) -> Iterator[None]:
        """A lock between processes replacing the index file (flock on the library folder;
        where there is none, SQLite's own locking still keeps every article)."""
        try:
            import fcntl
        except ImportError:
            yield
            return
        fd = os.open(self.root, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # releases the lock

    # -- saving ------------------------------------------------------------------

    def _save(self, given: Reading, corrections: Sequence[Correction]) -> Entry:
        key = source_key(given.article)
        saved = datetime.now(timezone.utc).replace(microsecond=0)
        given = replace(given, article=replace(given.article, source=stored_source(given.article, saved)))
        fixes = merge(rebase(given, corrections))
        reading, files = _files(given, fixes, saved)  # before the lock, unless stored corrections change it
        a = reading.article
        meta = (a.title, a.site, a.byline, a.date, saved.isoformat())
        with self._connect(write=True) as db:
            with _transaction(db):
                self._clean_up(db)
                row = db.execute("SELECT id, folder FROM entries WHERE source = ?", (key,)).fetchone()
                if row is None:
                    inserted = db.execute(
                        "INSERT INTO entries (source, title, site, byline, date, saved, folder)"
                        " VALUES (?, ?, ?, ?, ?, ?, '')",
                        (key, *meta),
                    ).lastrowid
                    assert inserted is not None  # an INSERT's row id
                    entry_id, old = inserted, None
                else:
                    entry_id, old = row
                    stored = _read_corrections(self.articles / old) if self._is_copy_of(entry_id, old) else []
                    if stored:
                        fixes = merge(rebase(given, stored), fixes)
                        reading, files = _files(given, fixes, saved)
                folder = f"{entry_id}-{title_stem(a.title, max_len=60)}-{secrets.token_hex(3)}"
                self._write_folder(folder, files)
                _files_written()
                db.execute(
                    "UPDATE entries SET title = ?, site = ?, byline = ?, date = ?, saved = ?, folder = ?"
                    " WHERE id = ?",
                    (*meta, folder, entry_id),
                )
                _index_text(db, entry_id, reading)
        self._mark(self.articles / folder, entry_id, key, saved.isoformat())
        if old and old != folder:
            self._discard(old)
        return self.entry(entry_id)

    def _clean_up(self, db: sqlite3.Connection) -> None:
        """Inside the write transaction (only savers holding it write folders): remove
        what killed saves left, but delete nothing the index may have lost.

        A folder without its mark was never committed, so deleting it loses nothing;
        it is deleted only when the index also passes SQLite's quick check. A marked
        folder the index does not know means the index lost it: rebuild from the folders.
        """
        if not _quick_check(db):
            raise IndexDamaged(f"the library index {self.db_path} is damaged")
        rows = {id: (source, folder) for id, source, folder in db.execute("SELECT id, source, folder FROM entries")}
        live = {folder for _, folder in rows.values()}
        dead = []
        for child in self.articles.iterdir():
            if child.name in live or child.is_symlink() or not child.is_dir():
                continue
            match = _COPY_NAME.fullmatch(child.name)
            if match and (child / _MARK).exists():
                mark = _read_json(child / _MARK)
                id = int(match[1])
                if id in rows and mark.get("id") == id and mark.get("source") == rows[id][0]:
                    dead.append(child.name)  # the copy a re-save replaced, not deleted yet
                    continue
                report = self._rebuild(db, trust_marks=True)
                self._notice(f"the library index had lost saved articles: {report_line(report, self.quarantine)}")
                return
            if match or _PARTIAL_NAME.fullmatch(child.name):
                dead.append(child.name)
        for name in dead:
            self._discard(name)

    # -- rebuilding --------------------------------------------------------------

    def _rebuild(self, db: sqlite3.Connection, *, trust_marks: bool) -> Repair:
        """Inside the write transaction: make the index exactly the saved folders.

        With ``trust_marks`` (an index known good), an unreferenced folder without a
        mark is a killed save's and is removed; otherwise every readable copy counts.
        Two copies with one id or one source: the one the index pointed at wins, then a
        marked one, then the latest; the others go to quarantine.
        """
        report = Repair()
        old = {row[0]: row[1:] for row in db.execute(
            "SELECT id, source, title, site, byline, date, saved, folder FROM entries")}
        referenced = {row[-1] for row in old.values()}
        groups: dict[int, list[_Copy]] = {}
        highest = 0
        for child in sorted(self.articles.iterdir()):
            name = child.name
            if child.is_symlink() or not child.is_dir():
                continue
            if _PARTIAL_NAME.fullmatch(name):
                self._discard(name)
                report.cleared += 1
                continue
            match = _COPY_NAME.fullmatch(name)
            if not match:
                continue  # not ours: left alone
            id = int(match[1])
            highest = max(highest, id)
            marked = (child / _MARK).exists()
            if trust_marks and not marked and name not in referenced:
                self._discard(name)
                report.cleared += 1
                continue
            copy = self._read_copy(child, id, old.get(id))
            if copy is None:
                self._set_aside(name, report)
            else:
                groups.setdefault(id, []).append(copy)

        def rank(c: _Copy) -> tuple[bool, bool, str, str]:
            return (old.get(c.id, (None,) * 7)[-1] == c.name, c.marked, c.saved, c.name)

        winners: dict[str, _Copy] = {}  # by source key
        for id, group in sorted(groups.items()):
            best, *rest = sorted(group, key=rank, reverse=True)
            for loser in rest:
                self._set_aside(loser.name, report)
            known = old[id][0] if id in old and isinstance(old[id][0], str) else None
            key = best.source or known or source_key(best.reading.article)
            best = _Copy(best.name, id, best.reading, key, best.saved, best.marked)
            other = winners.get(key)
            if other is not None:
                keep, lose = (other, best) if rank(other) >= rank(best) else (best, other)
                self._set_aside(lose.name, report)
                best = keep
            winners[key] = best

        db.execute("DELETE FROM entries")
        db.execute("DELETE FROM entries_fts")
        db.execute("DELETE FROM quotes")
        for key, c in sorted(winners.items(), key=lambda kv: kv[1].id):
            a = c.reading.article
            row = (key, a.title, a.site, a.byline, a.date, c.saved, c.name)
            db.execute("INSERT INTO entries (id, source, title, site, byline, date, saved, folder)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (c.id, *row))
            _index_text(db, c.id, c.reading)
            if c.id not in old:
                report.added += 1
            elif old[c.id] != row:
                report.fixed += 1
            self._mark(self.articles / c.name, c.id, key, c.saved)
        kept = {c.id for c in winners.values()}
        report.dropped = len(old.keys() - kept)
        report.indexed = len(kept)
        # Ids are never reused, not even those of copies set aside.
        db.execute("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'entries'", (highest,))
        if highest and db.execute("SELECT changes()").fetchone()[0] == 0:
            db.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('entries', ?)", (highest,))
        return report

    def _read_copy(self, path: Path, id: int, row: tuple[Any, ...] | None) -> _Copy | None:
        """The folder's article and index fields, or None when its article.json cannot be read."""
        try:
            reading = from_dict(json.loads((path / _FILES["json"]).read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        mark = _read_json(path / _MARK)
        source = mark.get("source") if isinstance(mark.get("source"), str) else None
        same_row = row is not None and row[-1] == path.name
        saved = next((s for s in (mark.get("saved"), row[5] if row is not None and same_row else None, _md_saved(path))
                      if _iso(s)), None)
        if saved is None:
            try:
                mtime = path.stat().st_mtime
            except OSError:
                return None
            saved = datetime.fromtimestamp(mtime, timezone.utc).replace(microsecond=0).isoformat()
        return _Copy(path.name, id, reading, source, saved, bool(mark))

    def _set_aside(self, name: str, report: Repair) -> None:
        """Move ``articles/<name>`` to ``quarantine/`` (under a new name if that one is taken)."""
        target = self.quarantine / name
        try:
            self.quarantine.mkdir(exist_ok=True, mode=0o700)
            if target.exists():
                target = self.quarantine / f"{name}.{secrets.token_hex(4)}"
            os.replace(self.articles / name, target)
        except OSError as exc:
            raise LibraryError(f"cannot move {self.articles / name} to {self.quarantine}: "
                               f"{exc.strerror or exc}") from exc
        report.quarantined.append(name)

    # -- internals -------------------------------------------------------------

    @contextlib.contextmanager
    def _connect(self, *, write: bool = False) -> Iterator[sqlite3.Connection]:
        """A short-lived connection in autocommit mode (transactions are explicit).

        Readers open the index read-only; writers open it for writing. Database
        failures (a damaged file, a lock held too long) become one-line LibraryErrors.
        """
        try:
            db = self._open(write)
        except sqlite3.Error as exc:
            raise _library_error(exc, f"cannot open the library index {self.db_path}") from exc
        try:
            db.execute("PRAGMA synchronous = FULL")
            yield db
        except sqlite3.Error as exc:
            raise _library_error(exc, f"the library index {self.db_path} failed") from exc
        finally:
            db.close()

    def _open(self, write: bool) -> sqlite3.Connection:
        if write:
            return sqlite3.connect(self.db_path, timeout=_BUSY_TIMEOUT_S, isolation_level=None)
        uri = self.db_path.absolute().as_uri()
        db = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=_BUSY_TIMEOUT_S, isolation_level=None)
        try:
            db.execute("PRAGMA schema_version").fetchone()  # the first read opens the WAL's index (-shm)
            return db
        except sqlite3.OperationalError as exc:
            db.close()
            # On a read-only disk the -shm file cannot be created. With no pending WAL the
            # database file is the whole index, so reading it as immutable is exact.
            if "unable to open" not in str(exc) or _wal_pending(self.db_path):
                raise
        return sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None)

    def _read(self, sql: str, params: tuple[Any, ...] = ()) -> builtins.list[tuple[Any, ...]]:
        """The rows of one query, in a plain read transaction (no lock a writer holds).
        An index found damaged is set aside and rebuilt from the folders, then read again."""
        try:
            with self._connect() as db:
                return db.execute(sql, params).fetchall()
        except IndexDamaged:
            if not _writable(self.root):
                raise
        self._set_up("damaged")
        with self._connect() as db:
            return db.execute(sql, params).fetchall()

    def _entries(self, rows: builtins.list[tuple[Any, ...]]) -> builtins.list[Entry]:
        """Entries for ``rows``; a damaged row is left out and reported, the others are listed."""
        entries, bad = [], []
        for row in rows:
            try:
                entries.append(self._entry(row))
            except _BadRow as exc:
                bad.append(exc)
        if bad:
            ids = ", ".join(str(b.id) for b in bad)
            self._notice(f"skipped {_count(len(bad), 'damaged entry', 'damaged entries')} of the library index "
                         f"(id {ids}: {bad[0].reason}); 'newsreader library repair' fixes it")
        return entries

    def _entry(self, row: tuple[Any, ...]) -> Entry:
        id, source, title, site, byline, date, saved, folder = row
        if not isinstance(folder, str) or not self._is_copy_of(id, folder):
            raise _BadRow(id, f"names an unsafe folder: {folder!r}")
        if not _iso(saved):
            raise _BadRow(id, f"has an unreadable time saved: {saved!r}")
        if not all(v is None or isinstance(v, str) for v in (source, title, site, byline, date)):
            raise _BadRow(id, "has fields that are not text")
        return Entry(id, source, title, site, byline, date, saved, path=self.articles / folder)

    def _is_copy_of(self, id: int, name: str) -> bool:
        """Whether ``articles/<name>`` is the shape of entry ``id``'s folder and stays inside
        ``articles/``: the shape has no separator and no dot, so only a symlink could leave."""
        match = _COPY_NAME.fullmatch(name)
        return match is not None and int(match[1]) == id and not (self.articles / name).is_symlink()

    def _copies_of(self, id: int, folder: object) -> builtins.list[Path]:
        """Entry ``id``'s folders: the one its row names (if that is safe) and any other ``<id>-…``."""
        names = {folder} if isinstance(folder, str) and self._is_copy_of(id, folder) else set()
        with contextlib.suppress(FileNotFoundError):
            names |= {p.name for p in self.articles.iterdir()
                      if not p.is_symlink() and self._is_copy_of(id, p.name)}
        return [self.articles / name for name in sorted(names) if (self.articles / name).exists()]

    def _folder(self, name: str) -> Path:
        """``articles/<name>``, refusing names that would leave ``articles/``."""
        path = self.articles / name
        if not name or path.resolve().parent != self.articles.resolve():
            raise LibraryError(f"the library index names an unsafe folder: {name!r}")
        return path

    def _write_folder(self, name: str, files: dict[str, bytes]) -> None:
        """Write ``files`` into a temporary folder, fsync everything, then rename it to ``name``.

        A full disk or a folder without write permission is the user's to fix, so it
        becomes a LibraryError naming the path (and the transaction rolls back).
        """
        tmp = self.articles / f"{_PARTIAL}{secrets.token_hex(8)}"
        try:
            tmp.mkdir(mode=0o700)
            for file_name, data in files.items():
                with open(tmp / file_name, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
            _fsync_dir(tmp)
            os.replace(tmp, self._folder(name))
            _fsync_dir(self.articles)
        except OSError as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            where = exc.filename or tmp
            raise LibraryError(f"cannot write the saved copy to {where}: {exc.strerror or exc}") from exc

    def _mark(self, path: Path, id: int, source: str, saved: str) -> None:
        """Write the folder's mark (atomically). Best effort: without it the folder is still
        indexed; it only loses the protection the mark gives if the index loses its row."""
        data = {"id": id, "source": source, "saved": saved}
        if _read_json(path / _MARK) == data:
            return
        with contextlib.suppress(OSError):
            write_atomic(path / _MARK, json.dumps(data, ensure_ascii=False) + "\n", overwrite=True)

    def _unmark(self, path: Path, id: int) -> None:
        """Before a row goes: unmark its folder (so a killed remove leaves a folder the next
        save deletes), refusing when the folder cannot be deleted at all."""
        try:
            if not (os.access(path, os.W_OK) and os.access(self.articles, os.W_OK)):
                raise PermissionError(13, "no permission to delete it (or a read-only disk)", str(path))
            (path / _MARK).unlink(missing_ok=True)
        except OSError as exc:
            raise LibraryError(f"cannot remove saved article {id}: cannot delete {exc.filename or path}: "
                               f"{exc.strerror or exc}") from exc

    def _discard(self, name: str) -> None:
        """Delete a folder nobody needs (a killed save's, or the copy a save replaced); unmark first."""
        path = self._folder(name)
        with contextlib.suppress(OSError):
            (path / _MARK).unlink(missing_ok=True)
        shutil.rmtree(path, ignore_errors=True)

    def _notice(self, message: str) -> None:
        self.notices.append(message)
        if self._warn is not None:
            self._warn(message)


_COLUMNS = "e.id, e.source, e.title, e.site, e.byline, e.date, e.saved, e.folder"


def report_line(report: Repair, quarantine: Path) -> str:
    """What a repair did, in one line."""
    parts = [_count(report.indexed, "article") + " in the index"]
    if report.added:
        parts.append(f"{report.added} indexed again from their folders")
    if report.fixed:
        parts.append(_count(report.fixed, "bad row") + " fixed")
    if report.dropped:
        parts.append(_count(report.dropped, "row") + " dropped (no saved copy)")
    if report.cleared:
        parts.append(_count(report.cleared, "unfinished save") + " cleared")
    line = ", ".join(parts) + _quarantined(report, quarantine)
    if report.index_moved:
        line += f"; the damaged index was kept as {report.index_moved}"
    return line


def _quarantined(report: Repair, quarantine: Path) -> str:
    n = len(report.quarantined)
    return f"; {_count(n, 'folder')} moved to {quarantine}" if n else ""


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def _library_error(exc: sqlite3.Error, what: str) -> LibraryError:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        damaged = code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    else:  # Python 3.10 has no error codes
        damaged = any(m in str(exc) for m in ("file is not a database", "malformed"))
    if damaged:
        return IndexDamaged(f"{what}: {exc} ({_REPAIR_HINT})")
    return LibraryError(f"{what}: {exc}")


def _files(reading: Reading, corrections: Sequence[Correction], saved: datetime) -> tuple[Reading, dict[str, bytes]]:
    """The reading with ``corrections`` applied, and the files of its folder."""
    reading = apply(reading, corrections)
    files = {
        _FILES["json"]: render_json(reading).encode("utf-8"),
        _FILES["md"]: render(reading, "md", saved=saved).encode("utf-8"),
    }
    if corrections:
        files[_CORRECTIONS] = (json.dumps(to_json(corrections), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    return reading, files


def _read_corrections(folder: Path) -> list[Correction]:
    """The corrections stored in ``folder``: none when there is no file or it cannot be read."""
    try:
        with open(folder / _CORRECTIONS, encoding="utf-8") as fh:
            return from_json(json.loads(fh.read(_MAX_CORRECTIONS_BYTES)))
    except (OSError, ValueError):
        return []


def _index_text(db: sqlite3.Connection, id: int, reading: Reading) -> None:
    """The article's words for search, and its quotes for voices."""
    a = reading.article
    db.execute("DELETE FROM entries_fts WHERE rowid = ?", (id,))
    db.execute(
        "INSERT INTO entries_fts (rowid, title, byline, site, body, speakers) VALUES (?, ?, ?, ?, ?, ?)",
        (id, a.title, a.byline, a.site, a.text, _speaker_text(reading)),
    )
    db.execute("DELETE FROM quotes WHERE entry_id = ?", (id,))
    db.executemany(
        "INSERT INTO quotes (entry_id, speaker, kind, gender, gender_source, words, sure) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(id, q.speaker, q.kind, q.gender, q.gender_source, q.words, int(q.sure)) for q in quote_rows(to_dict(reading))],
    )


def _quick_check(db: sqlite3.Connection) -> bool:
    return db.execute("PRAGMA quick_check").fetchall() == [("ok",)]


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """``BEGIN IMMEDIATE`` takes the write lock up front, so two savers queue instead of deadlocking."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _enable_wal(db: sqlite3.Connection) -> None:
    """Switch a new database to WAL. The switch needs an exclusive lock that SQLite does
    not wait for (no busy handler), so two processes creating the library at once retry."""
    deadline = time.monotonic() + _BUSY_TIMEOUT_S
    while db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            # "database is locked"; matched by text because Python 3.10 has no error codes
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK)


def _wal_pending(db_path: Path) -> bool:
    try:
        return db_path.with_name(db_path.name + "-wal").stat().st_size > 0
    except FileNotFoundError:
        return False


def _iso(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _read_json(path: Path) -> dict[str, Any]:
    """A small JSON object file, or {} when it is missing or not one."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.loads(fh.read(64 * 1024))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _md_saved(path: Path) -> str | None:
    """The ``saved:`` value of article.md's front matter (the first few lines)."""
    try:
        with open(path / _FILES["md"], encoding="utf-8") as fh:
            head = [fh.readline(4096) for _ in range(12)]
    except OSError:
        return None
    if not head or head[0].strip() != "---":
        return None
    for line in head[1:]:
        if line.strip() == "---":
            break
        if line.startswith("saved: "):
            with contextlib.suppress(ValueError):
                value = json.loads(line[len("saved: "):])
                return value if isinstance(value, str) else None
    return None


def _speaker_text(reading: Reading) -> str:
    """Speaker names and aliases, so a search for "Tillerson" finds the articles quoting him."""
    return "\n".join(" ".join((s.name, *s.aliases)) for s in reading.speakers)


def _fsync_dir(path: Path) -> None:
    """Make a rename or a new file durable (POSIX; Windows cannot open directories)."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _files_written() -> None:
    """The point between writing a copy's files and indexing them, where a test stops a
    save to see what a crash there would leave; it does nothing."""
