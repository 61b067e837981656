"""Shared helpers for the reader's Pilot and snapshot tests: a fixed Reading, a long one,
a small library of saved articles."""
from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest
from textual.worker import Worker, WorkerFailed, WorkerState

from newsreader import library
from newsreader.export.jsonfmt import from_dict
from newsreader.library import Entry, Library
from newsreader.model import Article, Page, Quote, Reading, Speaker
from newsreader.pipeline import Pipeline
from newsreader.tui.app import NewsreaderApp

FIXTURE = Path(__file__).parent / "fixtures" / "reading.json"


def fixture_reading() -> Reading:
    """The hand-made Portmere article (tests/fixtures/make_reading.py)."""
    return from_dict(json.loads(FIXTURE.read_text(encoding="utf-8")))


def no_pipeline() -> Pipeline:
    """A pipeline that must not be used: the app was given its Reading."""

    def fail(*_: object, **__: object) -> None:
        raise AssertionError("the pipeline should not run")

    return Pipeline(fail, fail, fail)  # type: ignore[arg-type]


def fixture_app(tmp_path: Path | None = None, **kwargs: object) -> NewsreaderApp:
    return NewsreaderApp(reading=fixture_reading(), pipeline=no_pipeline(), save_dir=tmp_path, **kwargs)  # type: ignore[arg-type]


def long_reading(words: int = 100_000, words_per_paragraph: int = 120) -> Reading:
    """A generated article of about ``words`` words with a quote in every fourth paragraph."""
    filler = "the council met again on tuesday to discuss the harbour plans and the budget".split()
    paragraphs: list[str] = []
    quotes: list[Quote] = []
    offset = 0
    for number in range(words // words_per_paragraph):
        body = " ".join(filler[(number + i) % len(filler)] for i in range(words_per_paragraph))
        if number % 4 == 1:
            said = f"this is quote number {len(quotes) + 1}"
            start = offset + len(body) + 2
            quotes.append(Quote(start, start + len(said), said, "Ann Lee" if len(quotes) % 2 else "Bo Chen"))
            body = f"{body} “{said}” she said."
        paragraphs.append(body)
        offset += len(body) + 2
    text = "\n\n".join(paragraphs)
    speakers = tuple(
        Speaker(name, (), "person", tuple(i for i, q in enumerate(quotes) if q.speaker == name))
        for name in ("Ann Lee", "Bo Chen")
    )
    article = Article("generated", "A very long article", None, None, None, text)
    return Reading(article, (), tuple(quotes), speakers, ())


async def settle(app: NewsreaderApp, *groups: str, timeout: float = 30) -> None:
    """Wait until no worker runs (only those of ``groups``, if named), counting the workers
    that start once the screen is painted (loading starts annotation after the next refresh,
    so one wait is not enough).

    Nothing is timed: each round awaits the workers and then one refresh. ``timeout`` is only
    a safety net, so that a worker that never ends fails the test instead of hanging it. (Not
    ``asyncio.wait_for``: cancelling ``Worker.wait`` marks the worker itself cancelled.)
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout

    def watched() -> list[Worker[object]]:
        return [worker for worker in app.workers if not groups or worker.group in groups]

    def busy() -> list[Worker[object]]:
        return [worker for worker in watched() if worker.state in (WorkerState.PENDING, WorkerState.RUNNING)]

    async def within_time(*awaitables: Awaitable[object]) -> set[asyncio.Future[object]]:
        futures = [asyncio.ensure_future(awaitable) for awaitable in awaitables]
        for future in futures:  # an outcome nobody asks for is not an error to report
            future.add_done_callback(lambda done: done.cancelled() or done.exception())
        done, pending = await asyncio.wait(futures, timeout=max(0.0, deadline - loop.time()))
        if pending:
            raise AssertionError(f"workers still running after {timeout} s: {[w.description for w in busy()]}")
        return done

    while True:
        started = [worker for worker in watched() if worker.state is not WorkerState.PENDING]
        if started:
            for done in await within_time(*(worker.wait() for worker in started)):
                if isinstance(done.exception(), WorkerFailed):  # cancelled (superseded) is done too
                    raise done.exception()  # type: ignore[misc]
        painted = asyncio.Event()
        app.call_after_refresh(painted.set)
        await within_time(painted.wait())
        if not busy():
            return


def page(text: str, source: str = "test.txt") -> Page:
    return Page(source=source, text=text, kind="text")


def library_readings() -> list[Reading]:
    """Three articles to save: the fixture as it is, and twice with another title, site and source.

    The third title looks like markup, to show that titles are displayed as plain text.
    """
    base = fixture_reading()

    def variant(title: str, site: str | None, source: str) -> Reading:
        return replace(base, article=replace(base.article, title=title, site=site, source=source))

    return [
        base,
        variant("Lighthouse keepers vote to strike", "Harbour Weekly", "https://example.org/news/lighthouse"),
        variant("Council [bold]row[/bold] over night buses", None, "https://example.org/news/buses"),
    ]


def fill_library(monkeypatch: pytest.MonkeyPatch) -> list[Entry]:
    """Save :func:`library_readings` into ``$NEWSREADER_HOME``, one day apart from 2024-03-14 noon UTC.

    The library's clock is fixed for each save, so the saved dates (and the order) never vary.
    """
    entries = []
    for day, reading in enumerate(library_readings()):
        monkeypatch.setattr(library, "datetime", _fixed_clock(datetime(2024, 3, 14 + day, 12, tzinfo=timezone.utc)))
        entries.append(Library().save(reading))
    monkeypatch.setattr(library, "datetime", datetime)
    return entries


def _fixed_clock(moment: datetime) -> type[datetime]:
    """A ``datetime`` class whose ``now()`` is always ``moment``."""

    class Clock(datetime):
        @classmethod
        def now(cls, tz: object = None) -> datetime:  # type: ignore[override]
            return moment

    return Clock
