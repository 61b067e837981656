"""The bundled demo article, one way for every front end.

Its source is the fixed name ``DEMO_SOURCE`` rather than the install path, so an
export or a saved copy does not depend on where newsreader happens to be installed.
"""
from __future__ import annotations

from importlib import resources

from newsreader.errors import NewsreaderError
from newsreader.model import Page

DEMO_SOURCE = "newsreader demo"


def demo_page() -> Page:
    """The demo article as a Page (read from the package, so it works from a wheel)."""
    try:
        text = resources.files(__name__).joinpath("demo.txt").read_text(encoding="utf-8")
    except OSError:
        raise NewsreaderError("the bundled demo article is missing; reinstall newsreader") from None
    return Page(source=DEMO_SOURCE, text=text, kind="text")
