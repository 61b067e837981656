"""What the text formats list after the article: its quotes, who said them, and the places.

Format-free rows, so that Markdown and plain text list the same things in the same
order (the reader's panels order speakers and places the same way). Every string is
one line without control characters; each format escapes what its syntax needs.
"""
from __future__ import annotations

from dataclasses import dataclass

from newsreader.model import Reading
from newsreader.safety import one_line

UNSURE = 0.9  # below this estimated chance that the speaker is right, a quote is marked unsure
UNATTRIBUTED = "unattributed"


@dataclass(frozen=True)
class QuoteRow:
    speaker: str  # the speaker's name, or UNATTRIBUTED
    text: str
    marker: str | None  # "corrected" (set by hand) or "unsure" (a low confidence), else None


@dataclass(frozen=True)
class CountRow:
    name: str
    kind: str | None  # "organisation" for speakers that are; a place's kind (city, country…)
    count: int


def quote_rows(reading: Reading) -> list[QuoteRow]:
    """Every quote in the order of the text."""
    rows = []
    for quote in sorted(reading.quotes, key=lambda q: q.start):
        if quote.corrected:
            marker: str | None = "corrected"
        elif quote.speaker and quote.confidence is not None and quote.confidence < UNSURE:
            marker = "unsure"
        else:
            marker = None
        rows.append(QuoteRow(one_line(quote.speaker) or UNATTRIBUTED, one_line(quote.text), marker))
    return rows


def speaker_rows(reading: Reading) -> list[CountRow]:
    """Speakers with their number of quotes, most quoted first."""
    rows = [CountRow(one_line(s.name), "organisation" if s.kind == "organisation" else None, len(s.quotes))
            for s in reading.speakers]
    return sorted(rows, key=lambda r: (-r.count, r.name.casefold()))


def place_rows(reading: Reading) -> list[CountRow]:
    """Places with their number of mentions, most mentioned first."""
    rows = [CountRow(one_line(p.name), kind if (kind := one_line(p.kind)) not in ("", "place") else None, p.mentions)
            for p in reading.places]
    return sorted(rows, key=lambda r: (-r.count, r.name.casefold()))


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
