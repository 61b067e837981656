"""Where the save dialog proposes to put a copy, and what it proposes to call it.

Default location: ``platformdirs.user_documents_dir()/newsreader`` (e.g.
``~/Documents/newsreader``), so copies land where a person looks for documents
rather than wherever the terminal happened to be. Writing goes through
:func:`newsreader.export.files.write_atomic`, which never clobbers unless asked.
"""
from __future__ import annotations

from pathlib import Path

from platformdirs import user_documents_dir

from newsreader.safety import slug

MAX_STEM = 80


def default_save_dir() -> Path:
    """The folder the save dialog proposes."""
    return Path(user_documents_dir()) / "newsreader"


def safe_stem(title: str | None, fallback: str = "article") -> str:
    """A lower-case file name stem from a title, in its own script (a Greek title stays
    Greek), at most 80 characters; see :func:`newsreader.safety.slug`."""
    return slug(title, max_len=MAX_STEM, lower=True, dots=False, fallback=fallback)
