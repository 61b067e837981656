"""What ``n`` and ``p`` step through, and the status line that says where you are.

A :class:`Track` is an ordered list of spans (all quotes, one speaker's quotes, one
place's mentions, or search matches) with a position in it. Tracks are immutable
values: stepping returns a new track, which keeps the app's state easy to follow.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, replace
from typing import Literal

from newsreader.model import Quote, Reading

TrackKind = Literal["quotes", "speaker", "place", "search"]


@dataclass(frozen=True)
class Track:
    """Spans to step through in order, and which one is current (``None``: none yet)."""

    kind: TrackKind
    spans: tuple[tuple[int, int], ...]
    label: str = ""  # the speaker, the place or the search query
    quotes: tuple[int, ...] = ()  # for quote tracks: the index in Reading.quotes of each span
    index: int | None = None

    @property
    def current(self) -> tuple[int, int] | None:
        """The current span, if any."""
        return None if self.index is None else self.spans[self.index]

    @property
    def current_quote(self) -> int | None:
        """The index into ``Reading.quotes`` of the current span, for quote tracks."""
        return None if self.index is None or not self.quotes else self.quotes[self.index]

    def step(self, forward: bool, anchor: int = 0) -> Track:
        """Move to the next (or previous) span, wrapping around at either end.

        With no current span, start from ``anchor`` (the offset at the top of the
        screen) so that ``n`` finds the first span the reader has not scrolled past.
        """
        if not self.spans:
            return self
        count = len(self.spans)
        if self.index is not None:
            index = (self.index + (1 if forward else -1)) % count
        else:
            first_after = bisect_left([s for s, _ in self.spans], anchor)
            index = (first_after if forward else first_after - 1) % count
        return replace(self, index=index)

    def at(self, index: int) -> Track:
        """This track positioned on span ``index``."""
        return replace(self, index=index if self.spans else None)


def quote_track(reading: Reading, current_quote: int | None = None) -> Track:
    """All quotes, optionally positioned on quote ``current_quote``."""
    spans = tuple((q.start, q.end) for q in reading.quotes)
    indices = tuple(range(len(spans)))
    return Track("quotes", spans, quotes=indices, index=current_quote if spans else None)


def speaker_track(reading: Reading, name: str) -> Track:
    """One speaker's quotes, in text order."""
    indices = tuple(sorted(
        (i for i, q in enumerate(reading.quotes) if q.speaker == name),
        key=lambda i: reading.quotes[i].start,
    ))
    spans = tuple((reading.quotes[i].start, reading.quotes[i].end) for i in indices)
    return Track("speaker", spans, label=name, quotes=indices)


def place_track(reading: Reading, name: str) -> Track:
    """The mentions of one place: entities whose ``ref`` is the place's name."""
    spans = tuple(sorted((e.start, e.end) for e in reading.entities if e.ref == name))
    return Track("place", spans, label=name)


def who_said(quote: Quote) -> str:
    """The speaker as the status line gives it: "probably NAME" when unsure, and a
    corrected attribution says so."""
    if quote.corrected:
        return f"{quote.speaker or 'unnamed source'} · corrected"
    name = quote.speaker or "unattributed"
    return name if quote.sure else f"probably {name}"


def status_text(track: Track, reading: Reading | None) -> str:
    """One line saying where the reader is, e.g. "Quote 3 of 12 · Rex Tillerson"."""
    total = len(track.spans)
    position = None if track.index is None else track.index + 1
    quote = reading.quotes[track.current_quote] if reading and track.current_quote is not None else None
    if track.kind == "search":
        if not total:
            return f"Search {track.label!r}: no matches"
        where = f"{position} of {total}" if position else f"{total} matches"
        return f"Search {track.label!r}: {where}"
    if track.kind == "speaker":
        noun = "quote" if total == 1 else "quotes"
        if not position:
            return f"{track.label}: {total} {noun}"
        line = f"{track.label}: quote {position} of {total}"
        if quote is not None and quote.corrected:
            return f"{line} · corrected"
        return line if quote is None or quote.sure else f"probably {line}"
    if track.kind == "place":
        noun = "mention" if total == 1 else "mentions"
        return f"{track.label}: mention {position} of {total}" if position else f"{track.label}: {total} {noun}"
    if not total:
        if reading is not None and not reading.article.english:
            return "Not annotated: the text is not English"
        return "No quotes found" if reading is not None else ""
    if position is None:
        return f"{total} quote{'s' if total != 1 else ''} · n next, p previous"
    return f"Quote {position} of {total} · {who_said(quote) if quote else 'unattributed'}"
