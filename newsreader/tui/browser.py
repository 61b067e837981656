"""The web page of an article or a feed item, opened in the user's browser ($BROWSER).

One way for every screen: ``webbrowser.open`` runs in a worker thread (a browser named
in $BROWSER runs until it is closed, and the screen must not wait for it), and what
happened comes back as a message.
"""
from __future__ import annotations

from functools import partial

from textual.app import App
from textual.dom import DOMNode

from newsreader.safety import source_label
from newsreader.tui.workers import describe, post


def open_in_browser(node: DOMNode, url: str) -> None:
    """Open ``url`` in the browser from a worker of ``node`` (a screen), without waiting."""
    node.run_worker(partial(_open, node.app, url), thread=True, group="browser", exit_on_error=False)


def _open(app: App[object], url: str) -> None:
    import webbrowser

    try:
        opened = webbrowser.open(url)
    except Exception as error:  # a broken $BROWSER is a message, never a traceback
        post(app, app.notify, describe(error), title="Could not open the browser", severity="error", markup=False)
        return
    if opened:
        post(app, app.notify, source_label(url), title="Opened in the browser", markup=False, timeout=3)
    else:
        post(app, app.notify, "No web browser was found: set BROWSER to one.",
             title="Could not open the browser", severity="warning", timeout=6)
