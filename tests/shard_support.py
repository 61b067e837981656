"""Pipeline stages for the shard tests, importable by a child process (module level, by name).

Each load is recorded, one line per source, in the file named by $SHARD_LOG; a source
named ``die-…`` kills its process outright (SIGKILL, as the out-of-memory killer would).
"""
from __future__ import annotations

import os
import signal

from newsreader.errors import LoadError
from newsreader.model import Article, Page, Reading
from newsreader.pipeline import Pipeline


def load(source: str, fresh: bool = False) -> Page:
    log = os.environ.get("SHARD_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as f:
            f.write(source + "\n")
    if source.startswith("die-") and os.environ.get("SHARD_DIE"):
        os.kill(os.getpid(), signal.SIGKILL)
    if source.startswith("missing"):
        raise LoadError(f"{source}: no such file")
    return Page(source=source, text=f"Title of {source}\n\nThe body of {source}, " + "word " * 40, kind="text")


def clean(page: Page) -> Article:
    title, _, body = page.text.partition("\n\n")
    return Article(source=page.source, title=title, byline=None, site=None, date=None, text=body)


def annotate(article: Article, model: str | None = None) -> Reading:
    return Reading(article=article)


PIPELINE = Pipeline(load, clean, annotate)
