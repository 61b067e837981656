"""Helpers for the annotation tests: hand-built articles in every quotation style.

Test sentences are written once with curly double marks (“…”) for the quote being
tested; :func:`styled` rewrites them into the other typographic styles, so one
sentence checks every way English news prints a quote.
"""
from __future__ import annotations

from newsreader.model import Article, Reading
from newsreader.nlp import annotate

# style name -> (opening mark, closing mark) that replace “ and ” in a template
STYLES: dict[str, tuple[str, str]] = {
    "curly": ("\u201c", "\u201d"),
    "straight": ('"', '"'),
    "single": ("\u2018", "\u2019"),
    "straight-single": ("'", "'"),
}


def styled(template: str, style: str) -> str:
    """The template with its “ ” marks printed in ``style``."""
    opening, closing = STYLES[style]
    return template.replace("\u201c", opening).replace("\u201d", closing)


def article(text: str) -> Article:
    return Article(source="t", title=None, byline=None, site=None, date=None, text=text)


def read(text: str) -> Reading:
    """Annotate ``text`` as an article (spaCy is loaded once and cached by annotate)."""
    return annotate(article(text))


def read_styled(template: str, style: str) -> Reading:
    return read(styled(template, style))


def found(reading: Reading) -> list[tuple[str, str | None]]:
    """Each quote as (words inside the marks, canonical speaker)."""
    return [(q.text, q.speaker) for q in reading.quotes]
