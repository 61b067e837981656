"""The whole pipeline in one place: SOURCE → Page → Article → Reading.

The CLI, the reader and the library all call these functions; nothing here
imports the UI.
"""
from __future__ import annotations

from newsreader.clean import clean
from newsreader.load import load
from newsreader.model import Article, Page, Reading
from newsreader.nlp import annotate

__all__ = ["load", "clean", "annotate", "read", "Page", "Article", "Reading"]


def read(source: str, *, model: str | None = None) -> Reading:
    """Load, clean and annotate ``source`` (a URL, a path or ``-``)."""
    return annotate(clean(load(source)), model=model)
