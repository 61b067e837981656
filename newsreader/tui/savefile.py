"""Where the save dialog proposes to put a copy, and what it proposes to call it.

Default location: ``platformdirs.user_documents_dir()/newsreader`` (e.g.
``~/Documents/newsreader``), so copies land where a person looks for documents
rather than wherever the terminal happened to be. Writing goes through
:func:`newsreader.export.files.write_atomic`, which never clobbers unless asked.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from platformdirs import user_documents_dir

from newsreader.safety import reserved_name

MAX_STEM = 80
_UNSAFE = re.compile(r"[^a-z0-9]+")


def default_save_dir() -> Path:
    """The folder the save dialog proposes."""
    return Path(user_documents_dir()) / "newsreader"


def safe_stem(title: str | None, fallback: str = "article") -> str:
    """A file name stem from a title: lower-case ASCII letters, digits and dashes, ≤ 80 long;
    a Windows device name (``con``) gets a ``_`` prefix."""
    ascii_title = unicodedata.normalize("NFKD", title or "").encode("ascii", "ignore").decode().lower()
    stem = _UNSAFE.sub("-", ascii_title).strip("-")
    stem = stem[:MAX_STEM].rstrip("-") or fallback
    return f"_{stem}" if reserved_name(stem) else stem
