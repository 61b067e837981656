"""What the save dialog proposes to call a copy.

It proposes the ``save.folder`` setting (:mod:`newsreader.config`; by default
``~/Documents/newsreader``, where a person looks for documents rather than wherever
the terminal happened to be). Writing goes through
:func:`newsreader.export.files.write_atomic`, which never clobbers unless asked.
"""
from __future__ import annotations

from newsreader.safety import slug

MAX_STEM = 80


def safe_stem(title: str | None, fallback: str = "article") -> str:
    """A lower-case file name stem from a title, in its own script (a Greek title stays
    Greek), at most 80 characters; see :func:`newsreader.safety.slug`."""
    return slug(title, max_len=MAX_STEM, lower=True, dots=False, fallback=fallback)
