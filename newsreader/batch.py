"""Batch export: many sources read, annotated and rendered, here or in worker processes.

``newsreader export`` runs this; so can anything else::

    from newsreader.batch import Options, export_all

    with closing(export_all(["a.html", "https://example.org/b"], Options("json", jobs=2))) as outcomes:
        for index, outcome in outcomes:  # one per source
            ...

Each source becomes an :class:`Outcome`: the rendered text, or one line saying why
not. One source that fails never stops the others, and neither does one whose worker
process dies (killed, out of memory): see :func:`export_all`. Writing the texts
somewhere, and saying what happened, is the caller's part.

Importing this module is cheap (the command line does it for every command): the
pipeline, the exporters and the process pool are imported when a batch runs.
"""
from __future__ import annotations

import signal
import traceback
from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from newsreader.errors import CleanError, LoadError, NewsreaderError
from newsreader.model import Page
from newsreader.safety import redact_url, source_label

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from newsreader.pipeline import Pipeline

__all__ = ["DIED", "Options", "Outcome", "Source", "describe", "export_all", "failure", "label"]

# What a batch works on: a SOURCE to read (a URL, a path, - for stdin), or a Page already read.
Source = str | Page

DIED = "the worker processing it died (killed, or out of memory)"
CONNECT_TIMEOUT_S = 10  # to reach a cluster's scheduler


@dataclass(frozen=True)
class Options:
    """How a batch runs: the export format (a name in ``newsreader.export.FORMATS``),
    the spaCy model (None: the default), how many worker processes, whether a failure
    keeps its traceback, the time written in each export as when it was saved (None:
    when the batch starts), and the address of a Dask distributed scheduler to run on
    instead of local processes (None: here)."""

    format: str
    model: str | None = None
    jobs: int = 1
    traces: bool = False
    saved: datetime | None = None
    scheduler: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What became of one source; plain data so it can cross a process boundary.

    ``text`` is the export, or None and ``error`` says why (one line, ``trace`` the
    traceback when asked for). ``warning`` (one line) comes with a text that is still
    good: annotation stopped short of a very long article, say.
    """

    text: str | None = None
    error: str | None = None
    trace: str | None = None
    warning: str | None = None


# ---------------------------------------------------------------- naming sources and failures


def label(source: Source) -> str:
    """The name a source goes by in messages and output file names (a URL without its password)."""
    return redact_url(source) if isinstance(source, str) else source.source


def describe(exc: BaseException) -> str:
    """One line for an exception: the user's message for ours, type and message otherwise."""
    if isinstance(exc, NewsreaderError):
        return str(exc)
    return f"internal error: {type(exc).__name__}: {exc}"


def failure(source: str, exc: BaseException) -> str:
    """The line for a source that failed: load and clean errors name the source
    themselves; anything else gets it in front."""
    if isinstance(exc, (LoadError, CleanError)):
        return str(exc)
    return f"{source_label(source)}: {describe(exc)}"


def _failed(source: Source, exc: BaseException, traces: bool) -> Outcome:
    return Outcome(error=failure(label(source), exc),
                   trace="".join(traceback.format_exception(exc)) if traces else None)


# ---------------------------------------------------------------- the batch


def export_all(sources: Sequence[Source], options: Options, *,
               pipeline: Pipeline | None = None) -> Generator[tuple[int, Outcome], None, None]:
    """Export each of ``sources``: ``(index, outcome)`` for each, ``index`` its place in ``sources``.

    With one job (or one source) they come in order, each read in this process. With
    ``options.jobs`` > 1 they are shared among that many worker processes and come as
    they finish; ``-`` (stdin) is still read here. A worker that dies breaks its pool,
    and every source the pool still held fails with it: those are run again one at a
    time in a pool of one worker, so that only a source that kills its worker again
    fails (with :data:`DIED`), alone, and the others are still written.

    ``pipeline`` (default: :func:`newsreader.pipeline.default_pipeline`) does the
    reading; with several jobs it is sent to the workers, so its stages must pickle
    (module-level functions).

    To stop: Ctrl-C (KeyboardInterrupt) while this waits for a worker, or closing the
    generator (``close()``, or ``contextlib.closing``), ends the workers at once, without
    waiting for what they are doing; the interrupt then goes on to the caller.
    """
    saved = options.saved or datetime.now().astimezone()
    if options.scheduler:
        yield from _run_on_cluster(sources, options.scheduler, (pipeline, options, saved))
    elif options.jobs > 1 and len(sources) > 1:
        yield from _run_parallel(sources, min(options.jobs, len(sources)), (pipeline, options, saved))
    else:
        for i, source in enumerate(sources):
            yield i, _export_one(source, pipeline, options, saved)


def _export_one(source: Source, pipeline: Pipeline | None, options: Options, saved: datetime) -> Outcome:
    """Read, annotate and render one source; any failure becomes an outcome, never a crash.

    Runs in the main process or a worker; the spaCy model is cached per process
    (``newsreader.nlp.model.get_nlp``), so each process loads it once.
    """
    try:
        from newsreader.export import render

        if pipeline is None:
            from newsreader.pipeline import default_pipeline

            pipeline = default_pipeline()
        reading = pipeline.read(source, model=options.model)
        note = reading.annotation_note()
        return Outcome(text=render(reading, options.format, saved=saved),
                       warning=f"{label(source)}: warning: {note}" if note else None)
    except Exception as exc:  # noqa: BLE001 - one bad source must not stop a batch
        return _failed(source, exc, options.traces)


# ---------------------------------------------------------------- worker processes

# What each worker is given besides its source: (pipeline, options, saved), as _export_one takes them.
_Work = tuple["Pipeline | None", Options, datetime]


def _read_stdin_here(source: Source) -> Source | Outcome:
    """A worker's stdin is /dev/null, so ``-`` is read in the main process and the Page sent."""
    if source != "-":
        return source
    from newsreader.load import load

    try:
        return load("-")
    except LoadError as exc:
        return Outcome(error=str(exc))


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the main process, which reports it once, without tracebacks."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_parallel(sources: Sequence[Source], jobs: int, work: _Work) -> Iterator[tuple[int, Outcome]]:
    """(index, outcome) per source as workers finish them; a source lost with a dead worker
    is run again alone (see :func:`export_all`)."""
    ready = [_read_stdin_here(source) for source in sources]
    todo: dict[int, Source] = {}
    for i, source in enumerate(ready):
        if isinstance(source, Outcome):
            yield i, source
        else:
            todo[i] = source
    with _pool(jobs) as pool:
        lost = yield from _in_pool(pool, todo, work)
    while lost:
        with _pool(1) as pool:
            while lost:
                i = lost.pop(0)
                if (yield from _in_pool(pool, {i: todo[i]}, work)):
                    yield i, Outcome(error=f"{label(todo[i])}: {DIED}")
                    break  # that pool is broken: a new one for the rest


def _run_on_cluster(sources: Sequence[Source], address: str, work: _Work) -> Iterator[tuple[int, Outcome]]:
    """(index, outcome) per source as the cluster's workers finish them.

    ``distributed.Client(address).get_executor()`` is a ``concurrent.futures`` executor,
    so the sources go out as they do to local processes; the cluster itself retries a
    task whose worker died, and a source it gives up on fails alone.
    """
    try:
        from distributed import Client
    except ImportError:
        raise NewsreaderError("--scheduler needs Dask distributed: pip install 'newsreader[cluster]'") from None
    ready = [_read_stdin_here(source) for source in sources]
    todo: dict[int, Source] = {}
    for i, source in enumerate(ready):
        if isinstance(source, Outcome):
            yield i, source
        else:
            todo[i] = source
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except (OSError, ValueError) as exc:  # refused, timed out, or not an address
        raise NewsreaderError(f"cannot reach the Dask scheduler at {redact_url(address)}: {exc}") from exc
    with client:
        lost = yield from _in_pool(client.get_executor(pure=False), todo, work)  # type: ignore[arg-type]
        for i in lost:
            yield i, Outcome(error=f"{label(todo[i])}: {DIED}")


@contextmanager
def _pool(jobs: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``jobs`` worker processes, ended at once if its user is interrupted."""
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_ignore_interrupts)
    try:
        yield pool
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown()


def _in_pool(pool: ProcessPoolExecutor, todo: dict[int, Source],
             work: _Work) -> Generator[tuple[int, Outcome], None, list[int]]:
    """Export ``todo`` in ``pool``: (index, outcome) as each finishes. Returns the indexes
    of the sources lost because a worker died, in order."""
    from concurrent.futures import Future, as_completed
    from concurrent.futures.process import BrokenProcessPool

    futures: dict[Future[Outcome], int] = {}
    lost = []
    for i, source in todo.items():
        try:
            futures[pool.submit(_export_one, source, *work)] = i
        except BrokenProcessPool:  # a worker died before this source was handed over
            lost.append(i)
    for future in as_completed(futures):
        i = futures[future]
        try:
            outcome = future.result()
        except BrokenProcessPool:
            lost.append(i)
            continue
        except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be pickled
            outcome = _failed(todo[i], exc, work[1].traces)
        yield i, outcome
    return sorted(lost)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end the workers now, rather than wait for them at exit."""
    if hasattr(pool, "terminate_workers"):  # Python 3.14+
        pool.terminate_workers()
        return
    # Older Pythons have no public way; the list is gone after shutdown(), so take it first.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
