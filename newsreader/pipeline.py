"""The whole pipeline in one place: SOURCE → Page → Article → Reading.

The CLI, the reader and the library all call these functions; nothing here
imports the UI.
"""
from __future__ import annotations

from newsreader.clean import clean
from newsreader.config import cache_folder
from newsreader.load import load
from newsreader.model import Article, Page, Reading
from newsreader.nlp import annotate

__all__ = ["load", "fetch", "clean", "annotate", "read", "Page", "Article", "Reading"]


def fetch(source: str, *, fresh: bool = False) -> Page:
    """:func:`load` with the page cache that the reader and the commands share: a web
    page opens again instantly and offline (``fresh`` asks the server all the same). The
    ``cache`` settings (``NEWSREADER_NO_CACHE=1``, ``NEWSREADER_CACHE``, config.toml) say
    where, or that there is none."""
    return load(source, cache_dir=cache_folder(), fresh=fresh)


def read(source: str, *, model: str | None = None) -> Reading:
    """Fetch, clean and annotate ``source`` (a URL, a path or ``-``)."""
    return annotate(clean(fetch(source)), model=model)
