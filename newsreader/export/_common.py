"""Small helpers the text formats share: untrusted strings made safe to print or save."""
from __future__ import annotations

from collections.abc import Iterator

from newsreader.model import Article
from newsreader.safety import one_line, strip_control

__all__ = ["meta_line", "one_line", "paragraphs"]


def paragraphs(article: Article) -> Iterator[str]:
    """The body's paragraphs, without control characters (the output may go to a terminal)."""
    for start, end in article.paragraphs:
        text = strip_control(article.text[start:end]).strip("\n")
        if text.strip():
            yield text


def meta_line(article: Article) -> str | None:
    """``site · byline · date``, leaving out what is missing."""
    parts = [one_line(v) for v in (article.site, article.byline, article.date)]
    return " · ".join(p for p in parts if p) or None
