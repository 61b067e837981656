"""The whole pipeline in one place: SOURCE → Page → Article → Reading.

The CLI, the reader and the library all call these functions; nothing here
imports the UI.
"""
from __future__ import annotations

import os

from newsreader.clean import clean
from newsreader.load import default_cache_dir, load
from newsreader.model import Article, Page, Reading
from newsreader.nlp import annotate

__all__ = ["load", "fetch", "clean", "annotate", "read", "Page", "Article", "Reading"]


def fetch(source: str) -> Page:
    """:func:`load` with the page cache that the reader and the commands share: a web
    page opens again instantly and offline. ``NEWSREADER_NO_CACHE=1`` turns it off."""
    cache = None if os.environ.get("NEWSREADER_NO_CACHE") else default_cache_dir()
    return load(source, cache_dir=cache)


def read(source: str, *, model: str | None = None) -> Reading:
    """Fetch, clean and annotate ``source`` (a URL, a path or ``-``)."""
    return annotate(clean(fetch(source)), model=model)
