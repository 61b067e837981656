"""Saved copies of articles: files on disk plus a SQLite index with full-text search.

Layout under the library root (``NEWSREADER_HOME``, else the platform's user data
directory)::

    library.sqlite3                 entries + an FTS5 index (title, byline, site, body, speakers)
    articles/<id>-<slug>-<token>/   article.json (every annotation) and article.md

Why it survives crashes and parallel savers:

* Every save happens inside one ``BEGIN IMMEDIATE`` transaction, so savers take
  turns (``busy_timeout`` makes them wait rather than fail) while readers keep
  reading the last committed state (WAL mode).
* A save writes a *new* folder (temporary name, fsync, rename) and only then
  commits the index row that points at it; the previous folder is deleted after
  the commit. A save killed at any point leaves the index on its previous state,
  and at worst an unreferenced folder, which the next save removes.
* Folder names come from the title through :func:`safe_name`, which only keeps
  word characters and dashes, so a title cannot reach outside ``articles/``.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import platformdirs

from newsreader import HOME_ENV
from newsreader.errors import NewsreaderError
from newsreader.export import render
from newsreader.export.jsonfmt import from_dict, render_json
from newsreader.model import Article, Reading
from newsreader.safety import slug
from newsreader.samples import DEMO_SOURCE

__all__ = ["HOME_ENV", "Entry", "Library", "LibraryError", "safe_name", "source_key"]

# Test hook: when set to a file path, save() creates that file after writing the
# article's files and waits, before committing the index, until the file is
# deleted. Tests use it to kill a save at exactly that point.
PAUSE_ENV = "NEWSREADER_TEST_PAUSE_AFTER_FILES"

_BUSY_TIMEOUT_S = 30.0  # parallel savers queue up; a save takes milliseconds
_SCHEMA_VERSION = 1
_FILES = {"json": "article.json", "md": "article.md"}
_PARTIAL = ".partial-"
# What save() creates under articles/; anything else there is left alone.
_OWNED = re.compile(r"\.partial-[0-9a-f]+|\d+-[\w-]*-[0-9a-f]{6}")
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
    f"PRAGMA user_version = {_SCHEMA_VERSION}",
)


class LibraryError(NewsreaderError):
    """A library operation failed in a way the user can act on (unknown id, missing copy)."""


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


def safe_name(text: str | None, *, max_len: int = 60, fallback: str = "article") -> str:
    """A folder-name fragment from untrusted text (a title): lower-case words and dashes.

    No dots, so the folder keeps the shape ``_OWNED`` recognises; see
    :func:`newsreader.safety.slug` for why nothing can reach outside ``articles/``.
    """
    return slug(text, max_len=max_len, lower=True, dots=False, fallback=fallback)


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
    if src in ("", "-"):
        return "stdin:" + hashlib.sha256(article.text.encode()).hexdigest()[:16]
    return str(Path(src).expanduser().resolve())


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


class Library:
    """The saved articles. Each call opens its own connection, so it is safe from threads and processes."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else default_root()
        self.articles = self.root / "articles"
        self.db_path = self.root / "library.sqlite3"
        try:  # private: what someone reads is their business
            self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
            self.articles.mkdir(exist_ok=True, mode=0o700)
        except OSError as exc:
            raise LibraryError(f"cannot create the library in {self.root}: {exc.strerror or exc}") from exc
        with self._connect() as db:
            _enable_wal(db)
            with _transaction(db):
                if db.execute("PRAGMA user_version").fetchone()[0] < _SCHEMA_VERSION:
                    for statement in _SCHEMA:
                        db.execute(statement)

    # -- reading ---------------------------------------------------------------

    def list(self) -> list[Entry]:
        """All entries, most recently saved first."""
        with self._connect() as db:
            rows = db.execute(f"SELECT {_COLUMNS} FROM entries e ORDER BY saved DESC, id DESC").fetchall()
        return [self._entry(row) for row in rows]

    def search(self, words: str) -> list[Entry]:
        """Entries matching all of ``words`` (title, byline, site, body, speakers), best first."""
        query = fts_query(words)
        if not query:
            return []
        with self._connect() as db:
            rows = db.execute(
                f"SELECT {_COLUMNS} FROM entries_fts JOIN entries e ON e.id = entries_fts.rowid"
                f" WHERE entries_fts MATCH ? ORDER BY {_BM25}, e.id DESC",
                (query,),
            ).fetchall()
        return [self._entry(row) for row in rows]

    def entry(self, id: int) -> Entry:
        """The entry with this id, or :class:`LibraryError`."""
        with self._connect() as db:
            row = db.execute(f"SELECT {_COLUMNS} FROM entries e WHERE id = ?", (id,)).fetchone()
        if row is None:
            raise LibraryError(f"no saved article with id {id}")
        return self._entry(row)

    def get(self, id: int) -> Reading:
        """The saved Reading, rebuilt from its JSON: no network, no re-annotation."""
        path = self.path_of(id, "json")
        try:
            return from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise LibraryError(f"saved article {id} cannot be read ({path}): {exc}") from exc

    def path_of(self, id: int, fmt: str) -> Path:
        """The stored file of entry ``id`` in ``fmt`` (``json`` or ``md``)."""
        if fmt not in _FILES:
            raise ValueError(f"the library stores {' and '.join(_FILES)}, not {fmt!r}")
        return self.entry(id).path / _FILES[fmt]

    # -- writing ---------------------------------------------------------------

    def save(self, reading: Reading) -> Entry:
        """Store ``reading`` (JSON and Markdown) and index it; the same source updates its entry."""
        key = source_key(reading.article)
        saved = datetime.now(timezone.utc).replace(microsecond=0)
        files = {
            _FILES["json"]: render_json(reading).encode("utf-8"),
            _FILES["md"]: render(reading, "md", saved=saved).encode("utf-8"),
        }
        a = reading.article
        meta = (a.title, a.site, a.byline, a.date, saved.isoformat())
        with self._connect() as db:
            with _transaction(db):
                self._remove_orphans(db)
                row = db.execute("SELECT id, folder FROM entries WHERE source = ?", (key,)).fetchone()
                if row is None:
                    entry_id = db.execute(
                        "INSERT INTO entries (source, title, site, byline, date, saved, folder)"
                        " VALUES (?, ?, ?, ?, ?, ?, '')",
                        (key, *meta),
                    ).lastrowid
                    old = None
                else:
                    entry_id, old = row
                folder = f"{entry_id}-{safe_name(a.title)}-{secrets.token_hex(3)}"
                self._write_folder(folder, files)
                _pause_for_tests()
                db.execute(
                    "UPDATE entries SET title = ?, site = ?, byline = ?, date = ?, saved = ?, folder = ?"
                    " WHERE id = ?",
                    (*meta, folder, entry_id),
                )
                db.execute("DELETE FROM entries_fts WHERE rowid = ?", (entry_id,))
                db.execute(
                    "INSERT INTO entries_fts (rowid, title, byline, site, body, speakers)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (entry_id, a.title, a.byline, a.site, a.text, _speaker_text(reading)),
                )
        if old:
            self._delete_folder(old)
        return self.entry(entry_id)

    def remove(self, id: int) -> Entry:
        """Delete entry ``id`` and its files; returns what was removed."""
        entry = self.entry(id)
        with self._connect() as db:
            with _transaction(db):
                if db.execute("DELETE FROM entries WHERE id = ?", (id,)).rowcount == 0:
                    raise LibraryError(f"no saved article with id {id}")
                db.execute("DELETE FROM entries_fts WHERE rowid = ?", (id,))
        self._delete_folder(entry.path.name)
        return entry

    # -- internals -------------------------------------------------------------

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A short-lived connection in autocommit mode (transactions are explicit).

        Database failures (a corrupt file, a lock held too long) become one-line LibraryErrors.
        """
        try:
            db = sqlite3.connect(self.db_path, timeout=_BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise LibraryError(f"cannot open the library index {self.db_path}: {exc}") from exc
        try:
            db.execute("PRAGMA synchronous = FULL")
            yield db
        except sqlite3.Error as exc:
            raise LibraryError(f"the library index {self.db_path} failed: {exc}") from exc
        finally:
            db.close()

    def _entry(self, row: tuple[Any, ...]) -> Entry:
        *fields, folder = row
        return Entry(*fields, path=self._folder(folder))

    def _folder(self, name: str) -> Path:
        """``articles/<name>``, refusing names that would leave ``articles/`` (a tampered index)."""
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

    def _remove_orphans(self, db: sqlite3.Connection) -> None:
        """Delete folders left by killed saves. Call inside the write transaction:
        only savers holding it write folders, so an unreferenced one is dead."""
        live = {folder for (folder,) in db.execute("SELECT folder FROM entries")}
        for child in self.articles.iterdir():
            if child.name not in live and _OWNED.fullmatch(child.name):
                self._delete_folder(child.name)

    def _delete_folder(self, name: str) -> None:
        shutil.rmtree(self._folder(name), ignore_errors=True)


_COLUMNS = "e.id, e.source, e.title, e.site, e.byline, e.date, e.saved, e.folder"


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
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            # "database is locked"; matched by text because Python 3.10 has no error codes
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


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


def _pause_for_tests() -> None:
    """See ``PAUSE_ENV``: signal that the files are written, then wait until released."""
    flag = os.environ.get(PAUSE_ENV)
    if not flag:
        return
    Path(flag).touch()
    while Path(flag).exists():
        time.sleep(0.02)
