"""What every screen's thread workers share: reporting back to the app's thread, and
turning any failure into one line a reader can act on (never a traceback on screen)."""
from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from textual.app import App
from textual.worker import get_current_worker

from newsreader.errors import NewsreaderError

if TYPE_CHECKING:
    from newsreader.library import Library

log = logging.getLogger(__name__)
T = TypeVar("T")


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


def with_library(app: App[object], action: Callable[[Library], T], failed: str) -> T | None:
    """From a worker thread: ``action`` on the user's library, or None after telling the
    user why not, in an error notification titled ``failed`` (disk, lock, unknown id)."""
    from newsreader.library import Library

    try:
        return action(Library())
    except Exception as error:  # any failure becomes a message, never a traceback
        post(app, app.notify, describe(error), title=failed, severity="error", markup=False, timeout=8)
        return None
