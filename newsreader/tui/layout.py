"""Wrap an article into display lines that remember their character offsets.

The reader draws one line at a time (Textual's Line API), so it needs the whole
article pre-wrapped into rows, and for every body row the span of
``Article.text`` it shows: that is what lets a quote's character offset map to
a row (to scroll it into view) and a row's characters map back to highlights.
Nothing here imports Textual; wrapping is plain Python so it can be tested and
timed on its own.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from rich.cells import cell_len, get_character_cell_size

from newsreader.model import Block
from newsreader.safety import CONTROL_RANGES

BODY, TITLE, META, BLANK, NOTE = 0, 1, 2, 3, 4
BULLET = "• "
_QUOTE_BAR = "│ "
# A numbered item keeps its number in the text ("2. "): later rows hang under its words.
_NUMBER = re.compile(r"\d{1,3}[.)] ")

_WORD = re.compile(r"\S+")
# Text in which every character takes one cell, so that cells are counted as characters:
# Latin, Greek, Cyrillic and Armenian letters, and the dashes, quotes and marks of general
# punctuation (not its zero-width spaces, joiners and direction marks).
_SINGLE_CELLS = re.compile("[\u0020-\u007e\u00a0-\u02ff\u0370-\u0482\u048a-\u0590\u2010-\u2027\u2030-\u205e]*")
# Characters that would move the cursor or reorder text if printed; each becomes one space,
# so offsets stay valid (the cleaner strips them already: this guards the screen, not the data).
# Safety's set, plus tab and newline (a row holds neither).
_UNPRINTABLE = {code: " " for lo, hi in (*CONTROL_RANGES, (0x09, 0x0A)) for code in range(lo, hi + 1)}


class Line(NamedTuple):
    """One display row: ``kind`` says which text ``[start, end)`` indexes."""

    kind: int  # BODY (offsets into Article.text), TITLE, META, NOTE, BLANK
    start: int
    end: int
    block: str = "paragraph"  # what the body row belongs to: a heading, a list item, the standfirst…
    prefix: str = ""  # drawn before the row's text: a bullet, a quote bar, or a hanging indent


def printable(text: str) -> str:
    """``text`` with control characters replaced by spaces (same length, same offsets)."""
    return text.translate(_UNPRINTABLE)


def wrap(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap of ``text[start:end]`` (one line, no newlines) into ``width`` cells.

    Returns ``(start, end)`` offsets per row; spaces at a break are dropped and a word
    wider than the row is split by cells.
    """
    width = max(1, width)
    ascii_only = text[start:end].isascii() or _SINGLE_CELLS.fullmatch(text, start, end) is not None
    if (end - start if ascii_only else cell_len(text[start:end])) <= width:
        return [(start, end)] if end > start else []
    if ascii_only:
        fast = _wrap_single_cells(text, start, end, width)
        if fast is not None:
            return fast
    return _wrap_words(text, start, end, width, ascii_only)


def _wrap_words(text: str, start: int, end: int, width: int, ascii_only: bool) -> list[tuple[int, int]]:
    """:func:`wrap` a word at a time, counting cells unless ``ascii_only`` (one cell a character)."""
    rows: list[tuple[int, int]] = []
    row_start = row_end = -1
    col = 0
    for match in _WORD.finditer(text, start, end):
        w_start, w_end = match.span()
        word_cells = w_end - w_start if ascii_only else cell_len(match.group())
        if row_start >= 0:
            gap = w_start - row_end if ascii_only else cell_len(text[row_end:w_start])
            if col + gap + word_cells <= width:
                row_end, col = w_end, col + gap + word_cells
                continue
            rows.append((row_start, row_end))
        if word_cells <= width:
            row_start, row_end, col = w_start, w_end, word_cells
            continue
        pieces = _split_cells(text, w_start, w_end, width)
        rows.extend(pieces[:-1])
        (row_start, row_end), col = pieces[-1], cell_len(text[pieces[-1][0]:pieces[-1][1]])
    if row_start >= 0:
        rows.append((row_start, row_end))
    return rows


def _wrap_single_cells(text: str, start: int, end: int, width: int) -> list[tuple[int, int]] | None:
    """:func:`wrap` for text whose characters take one cell each, a row per regular-expression
    match (the longest run of whole words that fits); None when a word is wider than the row."""
    row = _row_pattern(width)
    rows = []
    at = _NON_SPACE.search(text, start, end)
    while at is not None:
        match = row.match(text, at.start(), end)
        if match is None:
            return None  # a word longer than the row: the general way splits it
        rows.append(match.span())
        at = _NON_SPACE.search(text, match.end(), end)
    return rows


_NON_SPACE = re.compile(r"\S")


@lru_cache(maxsize=64)
def _row_pattern(width: int) -> re.Pattern[str]:
    """Up to ``width`` characters from a word's start to a word's end."""
    inner = rf"(?:.{{0,{width - 2}}}\S)?" if width >= 2 else ""
    return re.compile(rf"\S{inner}(?=\s|\Z)", re.DOTALL)


def _split_cells(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """Cut one over-long word (a URL, say) into pieces of at most ``width`` cells."""
    pieces: list[tuple[int, int]] = []
    piece_start, col = start, 0
    for index in range(start, end):
        cells = get_character_cell_size(text[index])
        if col + cells > width and index > piece_start:
            pieces.append((piece_start, index))
            piece_start, col = index, 0
        col += cells
    pieces.append((piece_start, end))
    return pieces


@dataclass(frozen=True)
class Layout:
    """An article wrapped to one width: the rows, and a way from offsets to rows."""

    width: int
    lines: tuple[Line, ...]
    body_starts: tuple[int, ...]  # start offset of each body row, ascending
    body_rows: tuple[int, ...]  # the display row of each of those

    def row_for_offset(self, offset: int) -> int:
        """The display row showing character ``offset`` of the body (or the nearest one)."""
        if not self.body_starts:
            return 0
        index = max(0, bisect_right(self.body_starts, offset) - 1)
        return self.body_rows[index]

    def offset_for_row(self, row: int) -> int:
        """The body offset shown at (or first after) display ``row``: keeps place on re-wrap."""
        index = bisect_right(self.body_rows, row - 1)
        if index >= len(self.body_starts):
            return self.body_starts[-1] if self.body_starts else 0
        return self.body_starts[index]


def build_layout(
    text: str,
    blocks: Sequence[Block],
    width: int,
    title: str = "",
    meta: str = "",
    *,
    standfirst: bool = False,
    note: str = "",
) -> Layout:
    """Wrap the title, the meta line, a note and every block of ``text`` to ``width`` cells.

    Blocks are separated by a blank row, except the items of one list; a single newline
    inside a block is kept as a line break.  A list item hangs under its bullet or its
    number, and a block quote is set off by a bar.  With ``standfirst`` the first block
    is the deck under the headline, and its rows say so.
    """
    lines: list[Line] = []
    for kind, header in ((TITLE, title), (META, meta), (NOTE, note)):
        lines.extend(Line(kind, s, e) for s, e in wrap(header, 0, len(header), width))
    if lines:
        lines.append(Line(BLANK, 0, 0))
    starts: list[int] = []
    rows: list[int] = []
    previous = None
    for index, block in enumerate(blocks):
        if previous is not None and not (previous == block.kind == "list_item"):
            lines.append(Line(BLANK, 0, 0))
        previous = block.kind
        first, rest = _prefixes(text, block)
        shown_as = "standfirst" if standfirst and index == 0 else block.kind
        for number, (s, e) in enumerate(_wrap_paragraph(text, block.start, block.end, width - len(rest))):
            starts.append(s)
            rows.append(len(lines))
            lines.append(Line(BODY, s, e, shown_as, rest if number else first))
    return Layout(width, tuple(lines), tuple(starts), tuple(rows))


def _prefixes(text: str, block: Block) -> tuple[str, str]:
    """What goes before a block's first row and before each of its other rows."""
    if block.kind == "blockquote":
        return _QUOTE_BAR, _QUOTE_BAR
    if block.kind != "list_item":
        return "", ""
    number = _NUMBER.match(text, block.start, block.end)
    if number:
        return "", " " * (number.end() - number.start())
    return BULLET, " " * len(BULLET)


def _wrap_paragraph(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """Wrap a paragraph, honouring the single line breaks inside it."""
    rows: list[tuple[int, int]] = []
    line_start = start
    while line_start <= end:
        newline = text.find("\n", line_start, end)
        line_end = end if newline < 0 else newline
        rows.extend(wrap(text, line_start, line_end, width) or [(line_start, line_start)])
        line_start = line_end + 1
    return rows
