"""The whole pipeline in one place: SOURCE → Page → Article → Reading.

The CLI, the reader and the library all go through here: the functions below, and
:class:`Pipeline`, the three stages as one object (the reader runs it in its workers,
``newsreader export`` in :mod:`newsreader.batch`). Nothing here imports the UI, and
importing this module is cheap: the loader, the cleaner (trafilatura, lxml) and spaCy
are imported when a stage first runs, so the reader paints before they load.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from newsreader.config import cache_folder
from newsreader.model import Article, Page, Reading
from newsreader.nlp import ANNOTATE_LIMIT

__all__ = ["load", "fetch", "clean", "annotate", "read", "Pipeline", "default_pipeline", "Page", "Article", "Reading"]


def load(source: str, **options: Any) -> Page:
    """:func:`newsreader.load.load`, without the page cache unless ``cache_dir`` is given."""
    from newsreader.load import load as load_source

    return load_source(source, **options)


def fetch(source: str, *, fresh: bool = False) -> Page:
    """:func:`load` with the page cache that the reader and the commands share: a web
    page opens again instantly and offline (``fresh`` asks the server all the same). The
    ``cache`` settings (``NEWSREADER_NO_CACHE=1``, ``NEWSREADER_CACHE``, config.toml) say
    where, or that there is none."""
    return load(source, cache_dir=cache_folder(), fresh=fresh)


def clean(page: Page) -> Article:
    """:func:`newsreader.clean.clean`: the article in a loaded page (CleanError if none)."""
    from newsreader.clean import clean as clean_page

    return clean_page(page)


def annotate(article: Article, model: str | None = None, *, limit: int | None = ANNOTATE_LIMIT) -> Reading:
    """:func:`newsreader.nlp.annotate`: quotes, speakers and places (spaCy loads on the first call)."""
    from newsreader import nlp

    return nlp.annotate(article, model=model, limit=limit)


def read(source: str, *, model: str | None = None) -> Reading:
    """Fetch, clean and annotate ``source`` (a URL, a path or ``-``)."""
    return default_pipeline().read(source, model=model)


@dataclass(frozen=True)
class Pipeline:
    """The three stages, as the reader and ``newsreader export`` run them; tests pass fakes.

    Loading and cleaning do not import spaCy (only annotation does), so a caller can
    show the clean text while the model is still loading.
    """

    load: Callable[..., Page]  # load(source, fresh=False); fresh: not from the cache (a reload)
    clean: Callable[[Page], Article]
    annotate: Callable[..., Reading]  # annotate(article, model=None)

    def read(self, source: str | Page, *, model: str | None = None) -> Reading:
        """Load ``source`` (unless it is a Page already read), clean and annotate it."""
        page = source if isinstance(source, Page) else self.load(source)
        return self.annotate(self.clean(page), model=model)


def default_pipeline() -> Pipeline:
    """The real pipeline: :func:`fetch` (with the page cache), :func:`clean`, :func:`annotate`.

    Each stage looks this module's function up when it runs, so one replaced here (as
    tests do) is the one every pipeline runs, and the stages pickle by name, for
    :mod:`newsreader.batch`'s worker processes.
    """
    return Pipeline(_load_stage, _clean_stage, _annotate_stage)


def _load_stage(source: str, fresh: bool = False) -> Page:
    return fetch(source, fresh=fresh)


def _clean_stage(page: Page) -> Article:
    return clean(page)


def _annotate_stage(article: Article, model: str | None = None) -> Reading:
    return annotate(article, model=model)
