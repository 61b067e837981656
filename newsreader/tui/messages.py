"""The messages the reader's widgets post to their screens, in one place.

A child says what happened; the screen that owns the state decides what it means.
"""
from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class StylesChanged(Message):
    """The theme (or other CSS) changed the article view's highlight styles."""


@dataclass
class ArticleClicked(Message):
    """A click on the article's body text, at ``offset`` in ``Article.text``."""

    offset: int


@dataclass
class FeedsChosen(Message):
    """Feeds picked in the library's feed panel: read their items."""

    addresses: tuple[str, ...]


@dataclass
class FilterLeft(Message):
    """Escape or Down in a screen's filter box: the list or table it filters takes the focus."""


@dataclass
class PreviousMatchAsked(Message):
    """Shift+Enter in the search box: step to the previous match."""
