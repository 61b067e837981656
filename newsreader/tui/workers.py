"""What every screen's workers share: reporting back to the app's thread, running the
pipeline's stages in threads that never hold up quitting, and turning any failure into
one line a reader can act on (never a traceback on screen)."""
from __future__ import annotations

import asyncio
import logging
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

from textual.app import App
from textual.worker import Worker, WorkerState, get_current_worker

from newsreader.errors import NewsreaderError

if TYPE_CHECKING:
    from newsreader.library import Library

log = logging.getLogger(__name__)
T = TypeVar("T")

_stages: set[threading.Thread] = set()  # the pipeline threads started by in_thread, while they run
_writes = threading.Condition()  # guards _writing
_writing = 0  # writes the user asked for, under way (see writing())


@contextmanager
def writing() -> Iterator[None]:
    """Around a write the user asked for (a saved copy, the library, the settings file),
    in whatever thread it runs: the process waits for it before it ends
    (:func:`wait_for_writes`), where an unfinished pipeline stage is dropped."""
    global _writing
    with _writes:
        _writing += 1
    try:
        yield
    finally:
        with _writes:
            _writing -= 1
            _writes.notify_all()


def wait_for_writes(timeout: float = 60.0) -> bool:
    """Wait until no write started with :func:`writing` is under way; False if one still
    is after ``timeout`` seconds (a disk that hangs)."""
    with _writes:
        return _writes.wait_for(lambda: _writing == 0, timeout)


def written(write: Callable[..., T], *args: object, **kwargs: object) -> T:
    """``write(*args, **kwargs)`` as a write the process waits for (:func:`writing`)."""
    with writing():
        return write(*args, **kwargs)


async def in_thread(stage: Callable[..., T], *args: object, **kwargs: object) -> T:
    """Await ``stage(*args, **kwargs)`` run in a daemon thread of its own.

    Loading and annotating can take minutes (a silent server, a long text) and a thread
    cannot be interrupted, so the stage runs where it holds nothing up: cancelling the
    awaiting worker (a new article, quitting) returns at once and the result is dropped.
    A stage that writes what the user asked for runs as :func:`written`: the process
    waits for it at exit; see :func:`stages_running` and :func:`wait_for_writes`.
    """
    loop = asyncio.get_running_loop()
    done: asyncio.Future[T] = loop.create_future()

    def run() -> None:
        try:
            outcome: tuple[T | None, BaseException | None] = (stage(*args, **kwargs), None)
        except BaseException as error:  # noqa: BLE001 - handed to the awaiting worker
            outcome = (None, error)
        finally:
            _stages.discard(threading.current_thread())
        try:
            loop.call_soon_threadsafe(_settle, done, *outcome)  # type: ignore[arg-type]  # T | None: None only with an error
        except RuntimeError:  # the app has closed its loop: nobody is waiting
            pass

    thread = threading.Thread(target=run, name=f"newsreader-{getattr(stage, '__name__', 'stage')}", daemon=True)
    _stages.add(thread)
    thread.start()
    return await done


def _settle(done: asyncio.Future[T], result: T, error: BaseException | None) -> None:
    if done.cancelled():  # the worker gave up waiting
        return
    if error is None:
        done.set_result(result)
    else:
        done.set_exception(error)


def stages_running() -> bool:
    """Whether a pipeline stage started by :func:`in_thread` is still running (after the
    app has closed, its result is no longer wanted)."""
    return bool(_stages)


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


class FailuresReported:
    """A node whose workers' failures reach the user, in one line.

    Textual tells only the node that ran a worker how it ended (the message does not
    bubble), so every node that runs workers takes this in. A worker with a message of
    its own catches its errors; this catches whatever one did not expect.
    """

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        error = event.worker.error
        if event.state is WorkerState.ERROR and error is not None:
            event.worker.node.app.notify(describe(error), title="Something went wrong", severity="error",
                                         markup=False, timeout=8)
