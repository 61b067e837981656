"""Corrections: a person says who said a quote, and the Reading follows.

A :class:`Correction` names a quote by its place and words (``start``, ``end``, ``text``)
and says what it is: the words of a named speaker, of an unnamed source, or not a
quote at all. :func:`apply` rebuilds a Reading with its corrections: the quotes
(``corrected``, confidence 1.0, rule ``"corrected"``), the speakers (their quotes,
a new speaker for a new name, none left for a name with no quote) and the entity
links to them, so that panels, counts and highlights agree.

Corrections outlive the annotation they were made on: saved with a library copy, they
are applied again to a fresh annotation of the same source, which may have moved the
text (the page changed) or the quote's edges (the annotator changed). So a correction
finds its quote by

1. the same place and words;
2. where the words are still at that place: the quote overlapping them most;
3. where they are not (the text moved): a quote with the same words (white space
   aside), or one holding them or held by them (at least half as long), nearest to
   the old place.

Applying corrections twice changes nothing: a correction whose words are still in
place but no longer a quote ("not a quote", done) finds nothing, and a speaker
correction sets the same speaker again.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal, cast, get_args

from newsreader.model import Entity, Quote, Reading, Speaker
from newsreader.safety import one_line

__all__ = ["Action", "Correction", "MAX_NAME", "RULE", "apply", "correction_for", "find", "from_json",
           "merge", "rebase", "to_json"]

Action = Literal["speaker", "unnamed", "not_quote"]
ACTIONS: tuple[str, ...] = get_args(Action)
RULE = "corrected"  # Quote.rule of a corrected quote
MAX_NAME = 200  # characters of a typed speaker name
SCHEMA = "newsreader-corrections/1"


@dataclass(frozen=True)
class Correction:
    """What a person said about one quote.

    ``action`` is ``"speaker"`` (the words are ``speaker``'s), ``"unnamed"`` (a source
    the article does not name) or ``"not_quote"`` (the marks do not quote anyone).
    """

    start: int
    end: int
    text: str  # the quote's words, as Quote.text
    action: Action
    speaker: str | None = None  # the name, for "speaker"

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"unknown correction {self.action!r}")
        if (self.action == "speaker") != bool(self.speaker):
            raise ValueError("a speaker correction needs a name, and only it has one")

    @property
    def key(self) -> tuple[int, int, str]:
        return (self.start, self.end, self.text)

    def describe(self) -> str:
        """What it sets, in a few words ("Tom Okafor", "an unnamed source", "not a quote")."""
        return {"speaker": self.speaker or "", "unnamed": "an unnamed source", "not_quote": "not a quote"}[self.action]


def correction_for(quote: Quote, action: Action, speaker: str | None = None) -> Correction:
    """A correction of ``quote``; a typed name is tidied into one line of at most MAX_NAME characters."""
    name = one_line(speaker, MAX_NAME).strip() if action == "speaker" else None
    if action == "speaker" and not name:
        raise ValueError("a speaker's name cannot be empty")
    return Correction(quote.start, quote.end, quote.text, action, name)


# -- finding the quote a correction is about -------------------------------------------


def _words(text: str) -> str:
    return " ".join(text.split())


def find(reading: Reading, correction: Correction) -> int | None:
    """The index in ``reading.quotes`` of the quote ``correction`` is about, or None."""
    c = correction
    quotes = reading.quotes
    for i, q in enumerate(quotes):
        if q.start == c.start and q.end == c.end and q.text == c.text:
            return i
    if reading.article.text[c.start:c.end] == c.text:  # the words did not move: the edges did
        overlaps = [(min(q.end, c.end) - max(q.start, c.start), i) for i, q in enumerate(quotes)]
        best = max((o for o in overlaps if o[0] > 0), default=None)
        return best[1] if best else None
    words = _words(c.text)
    if not words:
        return None

    def near(i: int) -> tuple[int, int]:
        return (abs(quotes[i].start - c.start), i)

    same = [i for i, q in enumerate(quotes) if _words(q.text) == words]
    if same:
        return min(same, key=near)
    nested = []
    for i, q in enumerate(quotes):
        other = _words(q.text)
        short, long = sorted((other, words), key=len)
        if short and short in long and 2 * len(short) >= len(long):
            nested.append(i)
    return min(nested, key=near) if nested else None


def rebase(reading: Reading, corrections: Iterable[Correction]) -> list[Correction]:
    """The corrections re-aimed at the place and words their quote has in ``reading``
    (those whose quote is not there are kept as they are)."""
    out = []
    for c in corrections:
        i = find(reading, c)
        if i is not None:
            q = reading.quotes[i]
            c = replace(c, start=q.start, end=q.end, text=q.text)
        out.append(c)
    return out


def merge(*lists: Iterable[Correction]) -> list[Correction]:
    """The corrections in order, one per quote: a later one replaces an earlier one
    about the same place and words."""
    latest: dict[tuple[int, int, str], Correction] = {}
    for corrections in lists:
        for c in corrections:
            latest.pop(c.key, None)
            latest[c.key] = c
    return list(latest.values())


# -- applying ---------------------------------------------------------------------------


def apply(reading: Reading, corrections: Sequence[Correction]) -> Reading:
    """``reading`` with ``corrections`` applied, in order (a later one about the same quote wins).

    Quotes keep their place, words and attributing words; a quote that is "not a quote"
    goes. Speakers keep their order and details; one left without quotes goes (and the
    entities naming it lose their link), and a new name becomes a new speaker at the end
    (an organisation when the article tags that name as one), linked to the mentions of
    that name that had no link.
    """
    chosen: dict[int, Correction] = {}
    for c in corrections:
        i = find(reading, c)
        if i is not None:
            chosen[i] = c
    if not chosen:
        return reading

    canonical: dict[str, str] = {}
    for s in reading.speakers:
        for name in (s.name, *s.aliases):
            canonical.setdefault(name.casefold(), s.name)

    quotes: list[Quote] = []
    for i, q in enumerate(reading.quotes):
        fix = chosen.get(i)
        if fix is None:
            quotes.append(q)
        elif fix.action != "not_quote":
            who = canonical.get(fix.speaker.casefold(), fix.speaker) if fix.speaker else None
            quotes.append(replace(q, speaker=who, confidence=1.0, rule=RULE, corrected=True))

    said: dict[str, list[int]] = {}
    for i, q in enumerate(quotes):
        if q.speaker is not None:
            said.setdefault(q.speaker, []).append(i)
    speakers = [replace(s, quotes=tuple(said.get(s.name, ())))
                for s in reading.speakers if s.name in said or not s.quotes]
    known = {s.name for s in reading.speakers}
    new = [name for name in said if name not in known]
    speakers += [Speaker(name, (), _kind(reading.entities, name), tuple(said[name])) for name in new]

    gone = known - said.keys() - {p.name for p in reading.places}
    new_names = {name.casefold(): name for name in new}
    entities = tuple(_relink(e, gone, new_names) for e in reading.entities)
    return replace(reading, quotes=tuple(quotes), speakers=tuple(speakers), entities=entities)


def _kind(entities: Iterable[Entity], name: str) -> Literal["person", "organisation"]:
    labels = {e.label for e in entities if e.text.casefold() == name.casefold()}
    return "organisation" if "ORG" in labels and "PERSON" not in labels else "person"


def _relink(entity: Entity, gone: set[str], new_names: dict[str, str]) -> Entity:
    if entity.ref is not None and entity.ref in gone:
        return replace(entity, ref=None)
    if entity.ref is None and entity.label in ("PERSON", "ORG"):
        name = new_names.get(entity.text.casefold())
        if name is not None:
            return replace(entity, ref=name)
    return entity


# -- storing ------------------------------------------------------------------------------


def to_json(corrections: Iterable[Correction]) -> dict[str, Any]:
    """The stored form: ``{"schema": ..., "corrections": [{start, end, text, action, speaker}]}``."""
    return {"schema": SCHEMA, "corrections": [
        {"start": c.start, "end": c.end, "text": c.text, "action": c.action, "speaker": c.speaker}
        for c in corrections
    ]}


def from_json(data: object) -> list[Correction]:
    """Corrections from their stored form; entries that are not well formed are skipped
    (a damaged file must not stop an article from opening)."""
    if not isinstance(data, dict) or data.get("schema") != SCHEMA or not isinstance(data.get("corrections"), list):
        return []
    out = []
    for item in data["corrections"]:
        if not isinstance(item, dict):
            continue
        start, end, text, action, speaker = (item.get(k) for k in ("start", "end", "text", "action", "speaker"))
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end and isinstance(text, str)):
            continue
        if speaker is not None and not isinstance(speaker, str):
            continue
        try:
            out.append(Correction(start, end, text, cast(Action, action), one_line(speaker, MAX_NAME) or None))
        except ValueError:
            continue
    return out
