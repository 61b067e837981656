"""Shared helpers for the reader's Pilot and snapshot tests: a fixed Reading, a long one."""
from __future__ import annotations

import json
from pathlib import Path

from newsreader.export.jsonfmt import from_dict
from newsreader.model import Article, Page, Quote, Reading, Speaker
from newsreader.tui.app import NewsreaderApp, Pipeline

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


async def settle(app: NewsreaderApp) -> None:
    """Wait until no worker runs (loading starts annotation, so one wait is not enough)."""
    while any(worker.is_running or worker.state.name == "PENDING" for worker in app.workers):
        await app.workers.wait_for_complete()


def page(text: str, source: str = "test.txt") -> Page:
    return Page(source=source, text=text, kind="text")
