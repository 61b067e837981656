"""What every screen's thread workers share: reporting back to the app's thread, and
turning any failure into one line a reader can act on (never a traceback on screen)."""
from __future__ import annotations

import logging
import traceback
from collections.abc import Callable

from textual.app import App
from textual.worker import get_current_worker

from newsreader.errors import NewsreaderError

log = logging.getLogger(__name__)


def post(app: App[object], callback: Callable[..., object], *args: object, **kwargs: object) -> None:
    """From a worker thread: run ``callback`` on the app's thread unless the worker was superseded."""
    if not get_current_worker().is_cancelled:
        app.call_from_thread(callback, *args, **kwargs)


def describe(error: BaseException) -> str:
    """One line for a message; unexpected errors keep their type and go to the log."""
    if isinstance(error, NewsreaderError):
        return str(error)
    log.error("unexpected error\n%s", "".join(traceback.format_exception(error)))
    return f"Unexpected error: {type(error).__name__}: {error}"
