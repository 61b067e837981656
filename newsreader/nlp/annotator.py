"""Article → Reading: parse once, then find entities, quotes, speakers and places."""
from __future__ import annotations

import bisect

from spacy.tokens import Doc

from newsreader.model import Article, Entity, Quote, Reading, Span, Speaker
from newsreader.nlp.confidence import confidence
from newsreader.nlp.lexicon import TITLES
from newsreader.nlp.marks import find_marked
from newsreader.nlp.model import get_nlp
from newsreader.nlp.places import find_places
from newsreader.nlp.quotes import attribute
from newsreader.nlp.speakers import Resolver, clean_name

CHUNK_CHARS = 10_000  # parse long articles in pieces: memory stays flat, cost linear, little padding
GENDERS = {"m": "male", "f": "female"}
ENTITY_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"}


def chunk_bounds(text: str, paragraphs: list[tuple[int, int]], size: int = CHUNK_CHARS) -> list[int]:
    """Where to cut ``text`` into pieces of about ``size`` characters: at paragraph
    ends, and inside a paragraph longer than ``size`` at a sentence end or a space.
    The pieces joined give the text back exactly."""
    cuts, lo = [], 0
    for start, end in [*paragraphs, (len(text), len(text))]:
        while start - lo > size:  # a long gap between paragraphs (blank lines)
            lo = _cut_inside(text, lo, lo + size)
            cuts.append(lo)
        if end - lo > size and start > lo:
            cuts.append(start)  # end the piece before this paragraph
            lo = start
        while end - lo > size:
            lo = _cut_inside(text, lo, lo + size)
            cuts.append(lo)
    return [c for c in cuts if 0 < c < len(text)]


def _cut_inside(text: str, lo: int, hi: int) -> int:
    """A cut in ``text[lo:hi]``: after the last sentence end, else the last space, else ``hi``."""
    for marks in ((". ", "? ", "! "), (" ",)):
        best = max(text.rfind(m, lo, hi) for m in marks)
        if best > lo:
            return best + len(marks[0])
    return hi


def parse(text: str, paragraphs: list[tuple[int, int]], model: str | None = None) -> Doc:
    """One Doc for the whole text, parsed in pieces so memory stays flat and the cost
    linear, whatever the length of the article or of one paragraph."""
    nlp = get_nlp(model)
    cuts = chunk_bounds(text, paragraphs)
    if not cuts:
        return nlp(text)
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)])]
    return Doc.from_docs(list(nlp.pipe(pieces)), ensure_whitespace=False)


def annotate(article: Article, model: str | None = None) -> Reading:
    text = article.text
    paragraphs = article.paragraphs
    doc = parse(text, paragraphs, model)
    marked = find_marked(text, paragraphs)
    attributions, inside = attribute(doc, marked, paragraphs, text)
    resolver = Resolver(doc, inside)

    quotes: list[Quote] = []
    speaker_of: list[int | None] = []
    rules: list[str] = []
    for a in attributions:
        idx = None
        mention = None
        resolved = "none"
        if a.mention is not None:
            mention = Span(a.mention.start_char, a.mention.end_char, a.mention.text)
            idx, resolved = resolver.resolve(a.mention)
            if idx is not None:
                resolver.note(idx, a.mention)
                resolver.learn_gender(idx, a.mention.root.lower_)
        elif a.inherit is not None:
            idx = speaker_of[a.inherit]
            mention = quotes[a.inherit].mention
            resolved = rules[a.inherit].partition("/")[2]
        speaker_of.append(idx)
        rules.append(f"{a.rule}/{resolved}")
        m = a.marked
        quotes.append(Quote(m.start, m.end, text[m.start : m.end], None, mention))

    same = resolver.merge_people()
    speaker_of = [same.get(i, i) if i is not None else None for i in speaker_of]
    names = {i: resolver.clusters[i].name for i in set(speaker_of) if i is not None}
    quotes = [Quote(q.start, q.end, q.text, names.get(i) if i is not None else None, q.mention,
                    confidence(rule), rule)
              for q, i, rule in zip(quotes, speaker_of, rules)]
    order: list[int] = []
    for i in speaker_of:
        if i is not None and i not in order:
            order.append(i)
    speakers = [
        Speaker(
            name=names[i],
            aliases=tuple(resolver.clusters[i].aliases()),
            kind=resolver.clusters[i].kind,
            quotes=tuple(k for k, s in enumerate(speaker_of) if s == i),
            gender=GENDERS.get(resolver.clusters[i].gender),
            gender_source=resolver.clusters[i].gender_source if resolver.clusters[i].gender else None,
        )
        for i in order
    ]

    places, place_mentions = find_places(doc)
    entities = _entities(doc, resolver, names, place_mentions)
    return Reading(article, tuple(entities), tuple(quotes), tuple(speakers), tuple(places))


def _entities(doc: Doc, resolver: Resolver, speaker_names: dict[int, str],
              place_mentions: list[tuple[int, int, str, str]]) -> list[Entity]:
    """Named entities with possessives, titles and stray punctuation trimmed, each linked
    to its speaker or place."""
    text = doc.text
    by_span = {(s, e): (name, label) for s, e, name, label in place_mentions}
    covered = sorted((s, e) for s, e, _, _ in place_mentions)
    starts = [s for s, _ in covered]
    out: list[Entity] = []
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        start, end = _trim(text, ent.start_char, ent.end_char, ent.label_)
        if start >= end:
            continue
        if ent.label_ in ("GPE", "LOC", "FAC"):
            if _overlaps(covered, starts, start, end):
                continue  # the place layer has it (with its canonical name)
        ref = None
        if ent.label_ in ("PERSON", "ORG"):
            name = clean_name(text[start:end])
            idx = (resolver._person_for(name, start, create=False) if ent.label_ == "PERSON"
                   else resolver._org_for(name)) if name else None
            ref = speaker_names.get(idx) if idx is not None else None
        out.append(Entity(start, end, text[start:end], ent.label_, ref))
    for (s, e), (name, label) in by_span.items():
        out.append(Entity(s, e, text[s:e], label, name))
    out.sort(key=lambda x: (x.start, -x.end))
    return out


def _overlaps(covered: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    """Whether a span nests with one of the sorted, non-overlapping ``covered`` spans."""
    i = bisect.bisect_right(starts, start) - 1
    for s, e in covered[max(0, i) : i + 3]:
        if s <= start and end <= e or start <= s and e <= end:
            return True
    return False


def _trim(text: str, start: int, end: int, label: str) -> tuple[int, int]:
    """Drop a leading "the", titles before a person, a possessive "'s" and punctuation."""
    def skip_word(s: int, words: set[str]) -> int:
        j = s
        while j < end and not text[j].isspace():
            j += 1
        return j + 1 if text[s:j].lower().rstrip(".") in words and j < end else s

    while start < end and not text[start].isalnum():
        start += 1
    start = skip_word(start, {"the"})
    if label == "PERSON":
        while True:
            nxt = skip_word(start, TITLES)
            if nxt == start:
                break
            start = nxt
    for suffix in ("'s", "\u2019s", "'", "\u2019"):
        if text[start:end].endswith(suffix) and end - len(suffix) > start:
            end -= len(suffix)
            break
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in ".)"):
        end -= 1
    if end > start and text[end - 1] == "." and label != "PERSON" and not text[start:end - 1].count("."):
        end -= 1
    return start, end
