"""Article → Reading: entities, quotes, speakers and places, with spaCy."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsreader.model import Article, Reading

__all__ = ["annotate"]


def annotate(article: Article, model: str | None = None) -> Reading:
    """Annotate ``article``. spaCy is imported on the first call, not with the package,
    so the reader can paint the clean text before the model loads."""
    from newsreader.nlp.annotator import annotate as _annotate

    return _annotate(article, model=model)
