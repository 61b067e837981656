"""Finding quoted stretches by their quotation marks, one paragraph at a time.

This layer knows only about characters: which marks open and close, how they pair,
and where a quote runs on into the next paragraph. Whether a stretch is someone's
words, and whose, is decided later with the parse.

Rules of English news typography it follows:
- curly marks say which way they face; a straight ``"`` faces by what stands beside it;
- a quote left open at the end of a paragraph goes on in the next one, which reopens it;
- a mark that cannot be paired is dropped, never the rest of the article;
- single marks quote too (headlines, British style), but an apostrophe is not a mark:
  ``it's``, ``the '90s``, ``Mattis' strong`` are not quotes;
- marks inside a double-quoted stretch are that quote's own business (nested quotes);
- in text quoted with curly marks, a paragraph that a straight ``"`` opens and nothing
  closes is an excerpt set off as plain text sets off a block quote (a passage of another
  paper, a transcript): a quote, whose narration still names the people it goes on about.
"""
from __future__ import annotations

from dataclasses import dataclass

DOUBLE_OPEN = "\u201c\u201e\u00ab"  # “ „ «
DOUBLE_CLOSE = "\u201d\u201f\u00bb"  # ” ‟ »
SINGLE_OPEN = "\u2018\u201a"  # ‘ ‚
SINGLE_CLOSE = "\u2019"  # ’
STRAIGHT_DOUBLE = '"\u2033'  # " ″
STRAIGHT_SINGLE = "'"
# Every character that can quote, for code that only needs to skip or strip marks.
ALL_MARKS = DOUBLE_OPEN + DOUBLE_CLOSE + SINGLE_OPEN + SINGLE_CLOSE + STRAIGHT_DOUBLE + STRAIGHT_SINGLE
OPENING_CONTEXT = " \t\n([{\u2014\u2013-/:"  # what may stand before an opening mark
MAX_SINGLE = 600  # a single-mark quote longer than this is taken for apostrophes


@dataclass(frozen=True)
class Marked:
    """A stretch of text between quotation marks.

    ``start``/``end`` bound the words inside the marks; ``open_end`` is true when the
    paragraph ended before a closing mark (the quote runs on), and ``reopened`` when
    the stretch begins a paragraph that continues a quote left open before it.
    """

    start: int
    end: int
    double: bool = True
    open_end: bool = False
    reopened: bool = False


def _faces(text: str, i: int) -> str:
    """'open', 'close' or '?' for the mark at ``text[i]``, judged by its neighbours."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before in OPENING_CONTEXT or before in DOUBLE_OPEN + SINGLE_OPEN:
        return "open" if not after.isspace() else "?"
    if after.isspace() or after in ".,;:!?)]}\u2014\u2013-" or after in DOUBLE_CLOSE + SINGLE_CLOSE + "'\"":
        return "close"
    return "?"


def _double_marks(text: str, lo: int, hi: int) -> list[tuple[int, str]]:
    """Every double mark in ``text[lo:hi]`` with the way it faces."""
    out = []
    for i in range(lo, hi):
        c = text[i]
        if c in DOUBLE_OPEN:
            # a misprinted opener used as a closer: “word“ followed by a space
            out.append((i, "close" if _faces(text, i) == "close" and text[i - 1:i].isalnum() else "open"))
        elif c in DOUBLE_CLOSE:
            out.append((i, "open" if _faces(text, i) == "open" else "close"))
        elif c in STRAIGHT_DOUBLE:
            out.append((i, _faces(text, i)))
    return out


def _pair_double(text: str, lo: int, hi: int) -> tuple[list[Marked], bool]:
    """Pair the double marks of one paragraph. Returns the stretches and whether the
    paragraph ends inside an open quote."""
    out: list[Marked] = []
    start: int | None = None
    for i, face in _double_marks(text, lo, hi):
        if start is None:
            if face in ("open", "?"):
                start = i + 1
            # a lone closer with nothing open is a stray mark: drop it
        elif face in ("close", "?"):
            out.append(Marked(start, i))
            start = None
        else:  # an opener while a quote is open: the closing mark was left out
            end = i
            while end > start and text[end - 1].isspace():
                end -= 1
            out.append(Marked(start, end))
            start = i + 1
    if start is not None:
        end = hi
        while end > start and text[end - 1].isspace():
            end -= 1
        out.append(Marked(start, end, open_end=True))
        return out, True
    return out, False


def _is_apostrophe(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before.isalnum() and after.isalnum()  # it's, don't, O'Brien


def _single_stretches(text: str, lo: int, hi: int) -> list[Marked]:
    """Single-mark quotes in ``text[lo:hi]`` (a stretch without double marks)."""
    out = []
    tail: Marked | None = None
    i = lo
    while i < hi:
        c = text[i]
        if c in SINGLE_OPEN or (c in STRAIGHT_SINGLE + SINGLE_CLOSE and not _is_apostrophe(text, i)):
            before = text[i - 1] if i > lo else " "
            after = text[i + 1] if i + 1 < hi else " "
            opens = (before in OPENING_CONTEXT or i == lo or before in DOUBLE_OPEN) and after.isalpha()
            if c in SINGLE_OPEN or opens:
                close = _single_closer(text, i + 1, min(hi, i + 1 + MAX_SINGLE))
                if close is not None:
                    out.append(Marked(i + 1, close, double=False))
                    i = close + 1
                    continue
                if len(text[i + 1 : hi].split()) >= 2 and text[hi - 1 : hi] in ".?!:":
                    # opened and never closed: the quote may run on into the next paragraph
                    # (kept only if no later quote pairs here and the next paragraph reopens)
                    tail = Marked(i + 1, hi, double=False, open_end=True)
        i += 1
    if tail is not None and (not out or tail.start > out[-1].end):
        out.append(tail)
    return out


def _single_closer(text: str, lo: int, hi: int) -> int | None:
    """The closing single mark for a quote opened just before ``lo``.

    A mark after an ``s`` that a lower-case word follows ("Mattis' strong") is a
    possessive; it closes only when no better closer follows.
    """
    possessive = None
    for j in range(lo, hi):
        c = text[j]
        if _opens_single(text, j):
            # another quote opens first: the earlier mark was a stray or an apostrophe,
            # unless a possessive-looking mark before it was this quote's closer
            return possessive
        if c in SINGLE_CLOSE + STRAIGHT_SINGLE and not _is_apostrophe(text, j):
            after = text[j + 1] if j + 1 < len(text) else " "
            if j == lo or text[j - 1].isspace():
                continue
            if after.isalnum():
                continue
            rest = text[j + 1 : j + 3]
            if text[j - 1] in "sS" and rest[:1] == " " and rest[1:2].islower():
                possessive = possessive if possessive is not None else j
                continue
            return j
    return possessive


def _opens_single(text: str, j: int) -> bool:
    """A single mark that opens a quote: ‘ anywhere, or ' after a space before a letter."""
    c = text[j]
    if c in SINGLE_OPEN:
        return True
    before = text[j - 1] if j > 0 else " "
    after = text[j + 1] if j + 1 < len(text) else " "
    return c == STRAIGHT_SINGLE and before.isspace() and after.isalpha()


def find_marked(text: str, paragraphs: list[tuple[int, int]]) -> list[Marked]:
    """Every quoted stretch of ``text``, in order, paragraph by paragraph."""
    out: list[Marked] = []
    carried = False  # the previous paragraph ended inside a quote
    for n, (lo, hi) in enumerate(paragraphs):
        stretches, still_open = _pair_double(text, lo, hi)
        if carried and stretches and stretches[0].start == _first_char(text, lo, hi) + 1:
            first = stretches[0]
            stretches[0] = Marked(first.start, first.end, True, first.open_end, reopened=True)
        # single marks count only outside double-quoted stretches (else they are nested)
        cursor = lo
        merged: list[Marked] = []
        for s in stretches:
            merged.extend(_single_stretches(text, cursor, max(cursor, s.start - 1)))
            merged.append(s)
            cursor = min(hi, s.end + 1)
        if not still_open:
            merged.extend(_single_stretches(text, cursor, hi))
            if merged and merged[-1].open_end and not merged[-1].double and not _reopens(text, paragraphs, n + 1):
                merged.pop()  # an unpaired single mark, not a quote running on
        if carried and merged and not merged[0].double and not merged[0].reopened \
                and merged[0].start == _first_char(text, lo, hi) + 1:
            first = merged[0]
            merged[0] = Marked(first.start, first.end, False, first.open_end, reopened=True)
        out.extend(m for m in merged if _has_words(text, m))
        carried = still_open or bool(merged) and merged[-1].open_end
    return out


def excerpt_narration(text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The stretches of excerpt paragraphs (see above) outside their own curly quotes:
    narration of the excerpted writer, whose "Melanie thought …" tells who "she" is next."""
    if sum(text.count(c) for c in DOUBLE_OPEN + DOUBLE_CLOSE) <= 2 * sum(text.count(c) for c in STRAIGHT_DOUBLE):
        return []  # the text quotes with straight marks: an open one is a quote running on
    out = []
    for lo, hi in paragraphs:
        i = _first_char(text, lo, hi)
        if i >= hi or text[i] not in STRAIGHT_DOUBLE:
            continue
        pieces, depth, start = [], 0, i + 1
        for j in range(i + 1, hi):
            c = text[j]
            if c in STRAIGHT_DOUBLE:
                break
            if c in DOUBLE_OPEN:
                if depth == 0:
                    pieces.append((start, j))
                depth += 1
            elif c in DOUBLE_CLOSE:
                depth -= 1
                if depth < 0:
                    break  # a curly mark closes the straight one: '"We went,” he said'
                start = j + 1
        else:
            if depth == 0:
                out.extend(pieces + [(start, hi)])
    return [(a, b) for a, b in out if b > a]


def _reopens(text: str, paragraphs: list[tuple[int, int]], n: int) -> bool:
    """Paragraph ``n`` begins with a single opening mark."""
    if n >= len(paragraphs):
        return False
    lo, hi = paragraphs[n]
    i = _first_char(text, lo, hi)
    return i < hi and (text[i] in SINGLE_OPEN or text[i] == STRAIGHT_SINGLE and text[i + 1 : i + 2].isalpha())


def _first_char(text: str, lo: int, hi: int) -> int:
    while lo < hi and text[lo].isspace():
        lo += 1
    return lo


def _has_words(text: str, m: Marked) -> bool:
    """Words, not an elision: single marks around one letter are "rock 'n' roll"."""
    alnum = sum(c.isalnum() for c in text[m.start : m.end])
    return alnum >= (1 if m.double else 2)
