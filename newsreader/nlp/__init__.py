"""Article → Reading: entities, quotes, speakers and places, with spaCy."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsreader.model import Article, Reading

__all__ = ["ANNOTATE_LIMIT", "annotate"]

# Annotation covers at most this many characters of an article's text (the rest is shown
# and exported unannotated, with a note): about 170,000 words, well over the longest
# articles, and spaCy's own default max_length. It bounds the time annotation takes;
# its memory is flat in the length of the text either way.
ANNOTATE_LIMIT = 1_000_000


def annotate(article: Article, model: str | None = None, *, limit: int | None = ANNOTATE_LIMIT) -> Reading:
    """Annotate ``article`` (its first ``limit`` characters; None: all of it). spaCy is
    imported on the first call, not with the package, so the reader can paint the clean
    text before the model loads."""
    from newsreader.nlp.annotator import annotate as _annotate

    return _annotate(article, model=model, limit=limit)
