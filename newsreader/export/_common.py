"""Small helpers the text formats share: untrusted strings made safe to print or save."""
from __future__ import annotations

from collections.abc import Iterator

from newsreader.model import Article, BlockKind
from newsreader.safety import one_line, strip_control

__all__ = ["blocks", "join_blocks", "meta_line", "one_line"]


def blocks(article: Article) -> Iterator[tuple[str, BlockKind]]:
    """The body's blocks and their kinds, without control characters (the output may go to
    a terminal)."""
    for block in article.structure:
        text = strip_control(article.text[block.start:block.end]).strip("\n")
        if text.strip():
            yield text, block.kind


def join_blocks(rendered: list[tuple[str, BlockKind]]) -> str:
    """Blocks one blank line apart, the items of one list on consecutive lines."""
    out: list[str] = []
    previous: str | None = None
    for text, kind in rendered:
        if out:
            out.append("\n" if previous == kind == "list_item" else "\n\n")
        out.append(text)
        previous = kind
    return "".join(out)


def meta_line(article: Article) -> str | None:
    """``site · byline · date``, leaving out what is missing."""
    parts = [one_line(v) for v in (article.site, article.byline, article.date)]
    return " · ".join(p for p in parts if p) or None
