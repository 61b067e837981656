"""Showing and hiding widgets with a class (``-hidden``, styled in newsreader.tcss), not ``.display``.

The style sheet says what hidden looks like; code says only whether a widget is shown,
and a test or a theme can see that state in the DOM.
"""
from __future__ import annotations

from textual.dom import DOMNode

HIDDEN = "-hidden"


def show(node: DOMNode, shown: bool = True) -> None:
    """Show ``node``, or hide it with ``shown=False``."""
    node.set_class(not shown, HIDDEN)


def hide(node: DOMNode) -> None:
    show(node, False)


def is_shown(node: DOMNode) -> bool:
    return not node.has_class(HIDDEN)
