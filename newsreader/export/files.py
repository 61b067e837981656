"""Writing exports to disk: safe file names for sources, and atomic writes.

Sources come from the user or the web, so a name made from one must never
climb out of its folder, hide itself, or hit a name the OS reserves; a file
is either written whole or not at all; and only a regular file is ever
replaced (never a device such as /dev/null, a FIFO, a link or a directory).
"""
from __future__ import annotations

import errno
import os
import re
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import IO, Any
from urllib.parse import unquote, urlsplit

from newsreader.safety import slug

MAX_STEM = 100
# File systems allow 255 bytes per name: leave room for "-N", the extension and
# write_atomic's temporary name, even when every character takes 3 or 4 bytes.
MAX_STEM_BYTES = 200
_WEB_SUFFIXES = {".html", ".htm", ".shtml", ".php", ".asp", ".aspx", ".jsp", ".cms", ".ece"}


def _safe(name: str) -> str:
    """A file stem for a source; one that is already safe stays exactly as it is."""
    return slug(name, max_len=MAX_STEM, max_bytes=MAX_STEM_BYTES)


def _url_slug(url: str) -> str:
    parts = urlsplit(url)
    path = PurePosixPath(unquote(parts.path))
    segments = [s for s in path.parts if s not in ("/", ".", "..")]
    if segments and PurePosixPath(segments[-1]).suffix.lower() in _WEB_SUFFIXES:
        segments[-1] = PurePosixPath(segments[-1]).stem
    return "-".join(segments) or parts.hostname or ""


def output_stem(source: str) -> str:
    """The file name (without extension) for a source: a path's stem, a URL's path as a slug."""
    if source == "-":
        return "stdin"
    if re.match(r"https?://", source, re.IGNORECASE):
        return _safe(_url_slug(source))
    return _safe(PurePosixPath(source.replace("\\", "/")).stem)


def unique_names(sources: list[str], extension: str) -> list[str]:
    """One file name per source; repeated names get -2, -3, … in the order given.

    Names are compared without case, as a case-insensitive file system would.
    """
    taken: set[str] = set()
    names = []
    for source in sources:
        stem = output_stem(source)
        name, n = f"{stem}.{extension}", 1
        while name.lower() in taken:
            n += 1
            name = f"{stem}-{n}.{extension}"
        taken.add(name.lower())
        names.append(name)
    return names


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class NotRegularFileError(OSError):
    """Where a file would be written, something else is: it is never replaced."""

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(errno.EEXIST, f"is {kind}, not a regular file", str(path))


def not_a_file(path: Path) -> str | None:
    """What is at ``path`` ("a FIFO", "a character device", …) when that is not a regular
    file; None for a regular file or nothing. A symbolic link is not followed."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:  # nothing there (or nothing reachable: writing will say why)
        return None
    if stat.S_ISREG(mode):
        return None
    return next((kind for test, kind in _KINDS if test(mode)), "a special file")


@contextmanager
def atomic_file(path: Path, *, overwrite: bool, binary: bool = False) -> Iterator[IO[Any]]:
    """A file to write that appears at ``path`` whole, or not at all: through a temporary
    file in the same folder, given the name only when the block ends without an error.

    With ``overwrite`` false an existing file is left alone and FileExistsError is
    raised, even if it appears meanwhile. Only a regular file is replaced: anything else
    at ``path`` (a device, a FIFO, a link, a directory) raises NotRegularFileError, with
    ``overwrite`` or without. Text is UTF-8.
    """
    kind = not_a_file(path)
    if kind is not None:
        raise NotRegularFileError(path, kind)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            _link_new(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_atomic(path: Path, text: str, *, overwrite: bool) -> None:
    """Write ``text`` (UTF-8) to ``path`` whole or not at all (:func:`atomic_file`)."""
    with atomic_file(path, overwrite=overwrite) as f:
        f.write(text)


def _link_new(tmp: Path, path: Path) -> None:
    """Give ``tmp`` the name ``path`` only if that name is free (a hard link cannot clobber)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: check, then rename
        if path.exists():
            raise FileExistsError(17, "File exists", str(path)) from None
        os.replace(tmp, path)
