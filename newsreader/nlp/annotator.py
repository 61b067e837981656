"""Article → Reading: parse once, then find entities, quotes, speakers and places."""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from typing import Literal, cast

import numpy
from spacy.tokens import Doc
from spacy.vocab import Vocab

from newsreader.model import Article, Entity, GenderSource, Quote, Reading, Span, Speaker, SpeakerKind
from newsreader.nlp import ANNOTATE_LIMIT
from newsreader.nlp.confidence import confidence
from newsreader.nlp.firstnames import is_first_name
from newsreader.nlp.lexicon import TITLES
from newsreader.nlp.marks import excerpt_narration, find_marked
from newsreader.nlp.model import get_nlp
from newsreader.nlp.places import find_places
from newsreader.nlp.quotes import attribute
from newsreader.nlp.speakers import Resolver, clean_name

CHUNK_CHARS = 10_000  # parse long articles in pieces: memory stays flat, cost linear, little padding
PIPE_BATCH = 2  # pieces the model holds at once: memory is bounded by this, not by the text
BARE_RUN = 64  # a stretch this long without a letter or a digit gets tokens but no model
_BARE = re.compile(rf"[\W_]{{{BARE_RUN},}}")
GENDERS: dict[str | None, Literal["female", "male"]] = {"m": "male", "f": "female"}
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
    linear, whatever the length of the article or of one paragraph.

    The model holds ``PIPE_BATCH`` pieces at a time, and each piece goes into the whole
    Doc as it comes (:func:`_joined`), with only what the annotators read. A stretch
    of ``BARE_RUN`` characters or more with no letter or digit (a wall of quotation
    marks or dashes) holds nothing to annotate; it gets one token per run of non-space
    characters and skips the model, whose cost is per token, and the tokenizer, whose
    cost grows with the square of a run of punctuation.
    """
    nlp = get_nlp(model)
    segments = list(_segments(text, paragraphs))
    if len(segments) <= 1 and all(parsed for _, _, parsed in segments):
        return nlp(text)
    pieces = nlp.pipe((text[a:b] for a, b, parsed in segments if parsed), batch_size=PIPE_BATCH)
    return _joined(nlp.vocab, (next(pieces) if parsed else _bare_doc(nlp.vocab, text[a:b])
                               for a, b, parsed in segments))


# What the annotators read of the parse: fine-grained tags, the dependency tree (and the
# sentences it gives), the named entities. Not the tok2vec tensor, lemmas or morphology.
_KEPT: list[int | str] = ["TAG", "HEAD", "DEP", "ENT_IOB", "ENT_TYPE", "SENT_START"]


def _joined(vocab: Vocab, docs: Iterable[Doc]) -> Doc:
    """The pieces as one Doc, the way ``Doc.from_docs(docs, ensure_whitespace=False)``
    joins them, but taken in as they come: no piece is kept once its annotations are
    copied (from_docs holds every piece, with its tensor, until the end: on 1 MB of
    text the parse then took 115 MiB over the model's own memory, not 81)."""
    words: list[str] = []
    spaces: list[bool] = []
    arrays = []
    for doc in docs:
        words += [t.text for t in doc]
        spaces += [bool(t.whitespace_) for t in doc]
        arrays.append(doc.to_array(_KEPT))
    joined = Doc(vocab, words=words, spaces=spaces)
    joined.from_array(_KEPT, numpy.concatenate(arrays))  # type: ignore[arg-type]  # spaCy's Ints2d is an ndarray
    return joined


def _segments(text: str, paragraphs: list[tuple[int, int]]) -> Iterator[tuple[int, int, bool]]:
    """(start, end, parsed): the pieces of ``text`` in order, each for the model (True)
    or a bare stretch without words (False)."""
    cuts = chunk_bounds(text, paragraphs)
    for lo, hi in zip([0, *cuts], [*cuts, len(text)]):
        pos = lo
        for bare in _BARE.finditer(text, lo, hi):
            if bare.start() > pos:
                yield pos, bare.start(), True
            yield bare.start(), bare.end(), False
            pos = bare.end()
        if pos < hi:
            yield pos, hi, True


def _bare_doc(vocab: Vocab, text: str) -> Doc:
    """Tokens for a stretch without words: its runs of non-space and of space characters."""
    words = _RUNS.findall(text)
    return Doc(vocab, words=words, spaces=[False] * len(words))


_RUNS = re.compile(r"\S+|\s+")


# A given name, a quoted nickname, a surname: Marcia "Cia" Price, Robert C. "Bobby" Scott
_NICKNAMED = re.compile(
    r"\b([A-Z][a-z]+)((?:[ \t]+[A-Z]\.)*)[ \t]+([\"\u201c\u2018'])[A-Z][\w.\u2019'-]*(?:[ \t][A-Z][\w.\u2019'-]*)?"
    r"([\"\u201d\u2019'])[ \t]+([A-Z][a-z][\w\u2019'-]*)\b")
# Capitalised words that are no name: "In May “Hamilton” Tickets", 'called Warren "Pocahontas" Thursday'
_NOT_NAMES = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
              "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
              "saturday", "sunday"}
_PAIRED = {'"': '"', "'": "'", "\u201c": "\u201d", "\u2018": "\u2019"}


def name_nicknamed(doc: Doc, text: str) -> None:
    """One person for a name with a nickname in quotes, which the model splits into
    pieces of other kinds ('Marcia "' a person, 'Cia" Price' a work of art), when the
    first word is a given name."""
    spans = []
    for m in _NICKNAMED.finditer(text):
        given, family = m.group(1), m.group(5)
        if _PAIRED[m.group(3)] != m.group(4) or not is_first_name(given) \
                or {given.lower(), family.lower()} & _NOT_NAMES:
            continue
        span = doc.char_span(m.start(), m.end(), label="PERSON", alignment_mode="expand")
        if span is not None and span[-1].tag_ in ("NNP", "NN"):  # (a surname: not "Tickets", not a verb)
            spans.append(span)
    if spans:
        kept = [e for e in doc.ents if not any(e.start < s.end and s.start < e.end for s in spans)]
        doc.ents = sorted([*kept, *spans], key=lambda e: e.start)


def relabel_by_context(doc: Doc) -> None:
    """Two readings of news English that the model misses. A given name before the surname
    of a person the article names is a person, though the model took it for a product or
    a work ("Ivanka Trump" where "Donald Trump" is named), or for an organisation when the
    given name is a listed one. And a "person"
    followed by ", which" is an organisation: people take "who" ("Hollin Marsh, which
    worked on river defences, ...")."""
    ents = list(doc.ents)
    surnames = {e[-1].lower_ for e in ents if e.label_ == "PERSON" and len(e) >= 2}
    relabelled = []
    for e in ents:
        label = e.label_
        if label in ("PRODUCT", "WORK_OF_ART", "ORG") and 2 <= len(e) <= 3 and all(t.is_title for t in e) \
                and e[-1].lower_ in surnames and not e[0].is_stop \
                and (is_first_name(e[0].text) or label != "ORG" and e[0].tag_ == "NNP"):
            label = "PERSON"  # (an unlisted given name only where a name is likelier than an organisation's)
        elif label == "PERSON" and e.end + 1 < len(doc) and doc[e.end].text == "," \
                and doc[e.end + 1].lower_ == "which" and not is_first_name(e[0].text):
            label = "ORG"  # (not "the prize went to Maria Lopez, which surprised no one": the clause)
        new = doc.char_span(e.start_char, e.end_char, label=label) if label != e.label_ else None
        relabelled.append(new or e)
    if any(new is not old for new, old in zip(relabelled, ents)):
        doc.ents = relabelled
    _join_courts(doc)


COURT_WORDS = {"court", "appeals"}


def _join_courts(doc: Doc) -> None:
    """A court's name runs on over "for" and the district or circuit it sits for, which
    the model tags apart: "the U.S. Court of Appeals for the Sixth Circuit" is one name."""
    ents = list(doc.ents)
    joined, i = [], 0
    while i < len(ents):
        e = ents[i]
        nxt = ents[i + 1] if i + 1 < len(ents) else None
        if e.label_ == "ORG" and e[-1].lower_ in COURT_WORDS and nxt is not None \
                and nxt.label_ in ("ORG", "GPE", "LOC", "FAC") and e.end < len(doc) \
                and doc[e.end].lower_ == "for" and nxt.start == e.end + 1 and nxt[-1].is_title:
            span = doc.char_span(e.start_char, nxt.end_char, label="ORG")
            if span is not None:
                joined.append(span)
                i += 2
                continue
        joined.append(e)
        i += 1
    if len(joined) < len(ents):
        doc.ents = joined


def annotated_end(text: str, paragraphs: list[tuple[int, int]], limit: int | None) -> int | None:
    """Where annotation of ``text`` stops for a ``limit`` in characters, or None when the
    whole text is within it: after the last paragraph that ends within the limit, or
    when that is more than a piece's length short of it, inside the paragraph that runs
    over it, after its last sentence end (else space) within the limit."""
    if limit is None or len(text) <= limit:
        return None
    ends = [end for _, end in paragraphs if end <= limit]
    if ends and ends[-1] > limit - CHUNK_CHARS:
        return ends[-1]
    return _cut_inside(text, ends[-1] if ends else 0, limit)


def _with_narration(doc: Doc, inside: bytearray, stretches: list[tuple[int, int]]) -> bytearray:
    """Which tokens the resolver takes for quoted words: the quotes, less the narration
    of excerpts, whose people are the ones the pronouns after them go on about."""
    if not stretches:
        return inside
    seen = bytearray(inside)
    for a, b in stretches:
        span = doc.char_span(a, b, alignment_mode="contract")
        for tok in span or ():
            seen[tok.i] = 0
    return seen


def annotate(article: Article, model: str | None = None, *, limit: int | None = ANNOTATE_LIMIT) -> Reading:
    """The article's entities, quotes, speakers and places, over its first ``limit``
    characters (None: the whole text); ``Reading.annotated_to`` says where it stopped."""
    if not article.english:  # the model reads English only: no entities rather than wrong ones
        return Reading(article, annotated_to=0)
    paragraphs = article.paragraphs
    stop = annotated_end(article.text, paragraphs, limit)
    text = article.text if stop is None else article.text[:stop]
    if stop is not None:
        paragraphs = [(start, min(end, stop)) for start, end in paragraphs if start < stop]
    doc = parse(text, paragraphs, model)
    name_nicknamed(doc, text)
    relabel_by_context(doc)
    marked = find_marked(text, paragraphs)
    attributions, inside = attribute(doc, marked, paragraphs, text)
    resolver = Resolver(doc, _with_narration(doc, inside, excerpt_narration(text, paragraphs)))

    quotes: list[Quote] = []
    speaker_of: list[int | None] = []
    rules: list[str] = []
    resolutions: list[str] = []
    for a in attributions:
        idx = None
        mention = None
        resolved = "none"
        if a.mention is not None:
            mention = Span(a.mention.start_char, a.mention.end_char, a.mention.text)
            said_by = a.owner or a.mention
            idx, resolved = resolver.resolve(said_by)
            if idx is not None:
                resolver.note(idx, said_by)
                resolver.learn_gender(idx, said_by.root.lower_)
        elif a.inherit is not None:
            idx = speaker_of[a.inherit]
            mention = quotes[a.inherit].mention
            resolved = resolutions[a.inherit]
        speaker_of.append(idx)
        resolutions.append(resolved)
        # a term inside what the mention said is their report, not their words: no one's
        rules.append(f"{a.rule}/{'term' if a.term else resolved}")
        m = a.marked
        quotes.append(Quote(m.start, m.end, text[m.start : m.end], None, mention))

    same = resolver.merge_people()
    speaker_of = [same.get(i, i) if i is not None and not a.term else None
                  for i, a in zip(speaker_of, attributions)]
    # Two clusters can end with one name (the model tagged "Ellery" an organisation in one
    # sentence and a person in another): one speaker each name, the first one met.
    first_named: dict[str, int] = {}
    for i in speaker_of:
        if i is not None:
            first_named.setdefault(resolver.clusters[i].name, i)
    speaker_of = [first_named[resolver.clusters[i].name] if i is not None else None for i in speaker_of]
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
            kind=cast(SpeakerKind, resolver.clusters[i].kind),
            quotes=tuple(k for k, s in enumerate(speaker_of) if s == i),
            gender=GENDERS.get(resolver.clusters[i].gender),
            gender_source=cast(GenderSource | None,
                               resolver.clusters[i].gender_source if resolver.clusters[i].gender else None),
        )
        for i in order
    ]

    places, place_mentions = find_places(doc, text)
    entities = _entities(doc, text, resolver, names, place_mentions)
    return Reading(article, tuple(entities), tuple(quotes), tuple(speakers), tuple(places), annotated_to=stop)


def _entities(doc: Doc, text: str, resolver: Resolver, speaker_names: dict[int, str],
              place_mentions: list[tuple[int, int, str, str]]) -> list[Entity]:
    """Named entities with possessives, titles and stray punctuation trimmed, each linked
    to its speaker or place (``text`` is the doc's)."""
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
            # the place layer has it (with its canonical name), or found it is no place
            # ("Burisma", "the Bidens"): either way the text marks no other place
            continue
        if _inside_any(covered, starts, start, end):
            continue  # a place the tagger misread ("in Worcester" as a person)
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


def _inside_any(covered: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    """Whether a span lies within one of the sorted, non-overlapping ``covered`` spans."""
    i = bisect.bisect_right(starts, start) - 1
    return i >= 0 and covered[i][0] <= start and end <= covered[i][1]


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
