"""Direct quotes: which quoted stretches are someone's words, and the words that say whose.

For each stretch found by :mod:`newsreader.nlp.marks` we look for its attribution in
the clause around it, the way a reader does:

- after the quote: ``"…," he said`` / ``"…," said Ms Lee`` / ``"…" — Jane Doe``;
- before it: ``Mr Tillerson said: "…"``, ``warned it would be "…"``, ``according to X, "…"``,
  also when the colon ends the previous paragraph;
- from its neighbours: the second half of a split quote, the next paragraph of a
  multi-paragraph quote, and a bare quote paragraph that continues the last speaker.

The result is the mention (a token span: "he", "Mr Tillerson", "the ministry"); the
speakers module turns mentions into people and organisations.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from newsreader.nlp.lexicon import (
    ADDRESSING_FORMS,
    CLAIM_NOUNS,
    CROWD_NOUNS,
    NAMING_CUES,
    NAMING_VERB_FORMS,
    SAY_FORMS,
    SPEECH_FORMS,
    SPEECH_NOUNS,
    TITLES,
    WORD_CARRIERS,
    WORK_NOUNS,
)
from newsreader.nlp.marks import ALL_MARKS, Marked

SENTENCE_END = {".", "?", "!"}
_SENTENCE_BREAK = re.compile(r"[.?!][\"'\u201d\u2019)]*\s+\S")
DASHES = {"\u2014", "\u2013", "\u2015", "-", "--"}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
# Children of a subject's head that belong to the name of who speaks ("Russia's foreign
# ministry", "the joint command centre for powers allied with …"); relative clauses and
# appositions ("…, who leads the party,") are asides and stay out.
NP_DEPS = {"det", "amod", "compound", "poss", "case", "nummod", "nmod", "prep", "pobj",
           "npadvmod", "quantmod", "cc", "conj", "flat", "advmod"}
MAX_FRAGMENT_WORDS = 3
# Work nouns whose quoted words are a term rather than a title: 'the word "sorry"'.
TERM_NOUNS = {"term", "phrase", "word", "words", "nickname", "moniker", "title", "headline"}


@dataclass(frozen=True)
class Attribution:
    """Who a quoted stretch is attributed to, as the text puts it."""

    marked: Marked
    mention: Span | None  # the words naming the speaker, or None
    inherit: int | None = None  # index of the earlier quote whose speaker this one shares
    rule: str = "none"  # the finding rule that decided it (a FINDING_RULES name, or
    # split / continued / ahead for a quote sharing a neighbour's speaker, title for a
    # quoted title that is no one's words, none for none)
    term: bool = False  # a term of the narrative inside what the mention said, or a crowd's words: no one's
    owner: Span | None = None  # who said the words, where the mention is only who reports them:
    # 'According to Yahoo News, spokesman Jesse Lehrich said "…"' (mention Yahoo News, owner Lehrich)


def _speech_verb(tok: Token, any_tag: bool = False) -> bool:
    """A verb that reports words; with ``any_tag``, also one the tagger took for a noun or
    an adjective, where the position after a quote makes it a verb ('“…,” the editorial read')."""
    if tok.lower_ not in SPEECH_FORMS or _in_compound_word(tok):
        return False
    if tok.tag_.startswith("VB"):
        return True
    if any_tag and tok.tag_ in ("NN", "NNS", "JJ") and _ends_clause(tok):
        return True  # '“…,” the editorial read.', 'the Saudis state in the paper', not '… call to residents drew'
    # "with Foreign Minister Ayman Safadi warning of …": the tagger often takes a
    # participle after a name for a noun
    return tok.tag_ == "NN" and tok.lower_.endswith("ing") and tok.i > 0 and tok.doc[tok.i - 1].tag_ == "NNP"


def _in_compound_word(tok: Token) -> bool:
    """The end of an adjective made with a hyphen ("so-called", "well-said", "long-promised"),
    which the tokenizer splits; "re-tweeted" and "co-wrote" are still verbs."""
    if tok.i < 2:
        return False
    hyphen, first = tok.doc[tok.i - 1], tok.doc[tok.i - 2]
    return hyphen.text == "-" and not hyphen.whitespace_ and not first.whitespace_ \
        and first.lower_ in ("so", "well", "long", "oft", "much", "ill", "self", "widely", "often")


def _ends_clause(tok: Token) -> bool:
    """Nothing but a prepositional phrase follows ``tok`` before the next punctuation:
    no other verb, which would be the clause's own."""
    doc = tok.doc
    i = tok.i + 1
    if i < len(doc) and not doc[i].is_punct and doc[i].tag_ != "IN":
        return False
    while i < len(doc) and not doc[i].is_punct:
        if doc[i].tag_.startswith("VB") or doc[i].tag_ == "MD":
            return False
        i += 1
    return True


def _subject(verb: Token) -> Token | None:
    """The subject of a speech verb, climbing through conjoined and auxiliary verbs."""
    if verb.lower_ in ADDRESSING_FORMS and verb.tag_ == "VBN":
        # "Sanders was asked by host Bill Maher, '…'": the one asking, not the one asked
        agent = next((g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
        if agent is not None:
            return agent
    for _ in range(4):
        for child in verb.children:
            if _may_be_subject(verb, child):
                return child
        if verb.dep_ in ("xcomp", "advcl") and verb.tag_ == "VBG" and verb.i > 0 and _object_person(verb.doc[verb.i - 1]):
            return verb.doc[verb.i - 1]  # "footage of Clinton asking", "showed him saying": the one shown
        if verb.dep_ in ("conj", "xcomp", "advcl", "ccomp") and verb.head.i != verb.i:
            participle = verb.dep_ == "advcl" and verb.tag_ == "VBG"
            verb = _outside_aside(verb) if participle else verb.head
            if participle and verb.dep_ == "ccomp" and _speech_verb(verb.head):
                # "Sanders said the process could be 'messy,' adding …": the one who
                # adds is the one who said, not the subject of what was said
                verb = verb.head
        elif verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.tag_.startswith("VB"):
            verb = verb.head.head  # "rallied supporters by warning that …": who rallied them
        elif verb.dep_ == "dep" and verb.tag_ in ("VBD", "VBZ") and verb.head.tag_ == verb.tag_:
            verb = verb.head  # "Trump gestured …, then leaned in and boomed": a run-on the parser left loose
        elif verb.dep_ == "acl" and verb.head.dep_ in ("ROOT", "nsubj") and verb.head.tag_ in ("NN", "NNS", "NNP", "NNPS"):
            return verb.head  # "The leader of the party, …, saying …": the one the participle describes
        elif verb.dep_ == "acl" and verb.head.head.tag_.startswith("VB"):
            verb = verb.head.head  # "issued a statement calling the test …": who issued it
        elif verb.dep_ == "acl" and verb.tag_ == "VBD" \
                and (clause := next((t for t in verb.ancestors if t.tag_.startswith("VB")), None)) is not None:
            verb = clause  # "he asked about the Brotherhood, called Omar a '…'": a finite verb the parser hung on a noun
        else:
            break
    # passive "was quoted as saying": the agent
    for child in verb.children:
        if child.dep_ == "agent":
            for g in child.children:
                if g.dep_ == "pobj":
                    return g
    return None


def _outside_aside(participle: Token) -> Token:
    """The verb a participle hangs from, past an aside between dashes that the parser
    hung it on: 'looping the streets - where the Panthers played - while chanting':
    the chanting is the looping ones', not the Panthers'."""
    head = participle.head
    dashes = [t.i for t in participle.doc[head.i : participle.i] if t.text in DASHES]
    if head.head.i != head.i and head.head.i < head.i and len(dashes) == 1 \
            and any(t.text in DASHES for t in participle.doc[head.head.i : head.i]):
        return head.head
    return head


def _object_person(tok: Token) -> bool:
    """A person named (or "him", "her", "them") as the object of a verb or a preposition."""
    return tok.dep_ in ("dobj", "pobj") and (tok.ent_type_ == "PERSON" or tok.lower_ in ("him", "her", "them"))


def _may_be_subject(verb: Token, child: Token) -> bool:
    """Whether ``child`` is a subject of ``verb`` that may be who speaks. Not a pronoun
    after the verb ("warned it would be …": the reported clause's subject, hung on the
    verb), nor a "subject" after it with a preposition between, a misparse of what the
    verb is said on or to ('Flynn said Thursday on Fox News's "Fox and Friends"')."""
    if child.dep_ not in SUBJECT_DEPS:
        return False
    if child.i > verb.i:
        return child.tag_ != "PRP" and not any(t.tag_ == "IN" for t in verb.doc[verb.i + 1 : child.i])
    return True


def entity_of(tok: Token) -> Span | None:
    """The named entity ``tok`` belongs to, found from its IOB tags (no scan of doc.ents)."""
    if tok.ent_iob_ in ("", "O"):
        return None
    doc = tok.doc
    lo = tok.i
    while lo > 0 and doc[lo].ent_iob_ == "I":
        lo -= 1
    hi = tok.i + 1
    while hi < len(doc) and doc[hi].ent_iob_ == "I":
        hi += 1
    return Span(doc, lo, hi, label=tok.ent_type_)


def noun_phrase(head: Token) -> Span:
    """The name-like phrase headed by ``head``: its entity, or its noun phrase without asides."""
    doc = head.doc
    conj = [c for c in head.children if c.dep_ == "conj"]
    if conj and head.ent_type_ and conj[-1].ent_type_:
        # "Russia and Iran told the US": both speak
        ent, first = entity_of(conj[-1]), entity_of(head)
        if ent is not None and first is not None:
            return doc[first.start : ent.end]
    if head.ent_type_ and head.ent_iob_ != "O":
        ent = entity_of(head)
        # (not an "entity" the model ran over a clause: 'Trump accused Holt of being a')
        if ent is not None and not any(t.tag_ in ("VBD", "VBZ", "VBP") for t in ent):
            return _with_title(ent)
    if head.tag_ in ("PRP", "WP"):
        return doc[head.i : head.i + 1]
    keep = {head.i}
    stack = [c for c in head.children if c.dep_ in NP_DEPS]
    while stack:
        t = stack.pop()
        keep.add(t.i)
        stack.extend(c for c in t.children if c.dep_ in NP_DEPS or c.dep_ in ("acl", "punct") and t.dep_ == "pobj")
    lo, hi = min(keep), max(keep) + 1
    # the phrase must be contiguous and free of punctuation at its edges
    while lo < head.i and doc[lo].is_punct:
        lo += 1
    while hi - 1 > head.i and (doc[hi - 1].is_punct or doc[hi - 1].dep_ == "cc"):
        hi -= 1
    return doc[lo:hi]


def _with_title(ent: Span) -> Span:
    """An entity with the title words right before it ("Mr", "Gen", "Secretary")."""
    doc = ent.doc
    lo = ent.start
    while lo > 0 and doc[lo - 1].lower_.rstrip(".") in TITLES and doc[lo - 1].is_title:
        lo -= 1
    return doc[lo : ent.end]


class _Context:
    """Token-level view of one article: which tokens are inside quotes, paragraph bounds."""

    def __init__(self, doc: Doc, marked: list[Marked], paragraphs: list[tuple[int, int]], text: str):
        self.doc = doc
        self.text = text  # the doc's text (spaCy would rebuild doc.text from every token)
        self._starts = [t.idx for t in doc]
        self.marked = marked
        self.paragraphs = paragraphs
        self.inside = bytearray(len(doc))
        for m in marked:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None:
                for i in range(span.start, span.end):
                    self.inside[i] = 1
        self._para_starts = [p[0] for p in paragraphs]

    def para_of(self, char: int) -> int:
        return max(0, bisect.bisect_right(self._para_starts, char) - 1)

    def token_at_or_after(self, char: int) -> int:
        """The token that holds ``char``, or the first one after it (in whitespace)."""
        i = bisect.bisect_right(self._starts, char) - 1
        if i >= 0 and char < self._starts[i] + len(self.doc[i].text):
            return i
        return i + 1

    def is_mark(self, t: Token) -> bool:
        return bool(t.text) and all(c in ALL_MARKS or c == "`" for c in t.text)

    def word_before(self, m: Marked) -> int:
        """Index of the token before the quote's opening mark, marks and spaces skipped (-1: none)."""
        i = self.token_at_or_after(m.start - 1) - 1
        while i >= 0 and (self.is_mark(self.doc[i]) or self.doc[i].is_space):
            i -= 1
        return i

    def window_before(self, m: Marked, prev_end: int) -> list[Token]:
        """Tokens of the clause before the quote: back to a sentence end, an earlier
        quote or the paragraph start."""
        doc = self.doc
        lo_char = max(self.paragraphs[self.para_of(m.start)][0], prev_end)
        i = self.token_at_or_after(m.start - 1) - 1  # token before the opening mark
        out: list[Token] = []
        while i >= 0 and doc[i].idx >= lo_char:
            t = doc[i]
            if self.inside[i]:
                break
            if t.text in SENTENCE_END and out:
                break
            out.append(t)
            i -= 1
        out.reverse()
        return [t for t in out if not self.is_mark(t) and not t.is_space]

    def window_after(self, m: Marked, next_start: int) -> list[Token]:
        """Tokens of the clause after the quote: to a sentence end, the next quote or
        the paragraph end."""
        doc = self.doc
        hi_char = min(self.paragraphs[self.para_of(m.start)][1], next_start)
        i = self.token_at_or_after(m.end)
        out: list[Token] = []
        depth = 0  # inside brackets a full stop ends nothing: "Rep. Jane Doe (D-Md.) said"
        while i < len(doc) and doc[i].idx < hi_char:
            t = doc[i]
            if not self.is_mark(t) and not t.is_space:
                if self.inside[i]:
                    break
                out.append(t)
                depth += (t.text == "(") - (t.text == ")" and depth > 0)
                if t.text in SENTENCE_END and depth == 0:
                    break
            i += 1
        return out


def _mention_from_verbs(ctx: _Context, window: list[Token], nearest_last: bool,
                        quote_tok: Token | None = None, any_tag: bool = False) -> Span | None:
    verbs = [t for t in window if _speech_verb(t, any_tag)]
    if nearest_last:
        verbs.reverse()
        if quote_tok is not None and verbs and not _introduces(verbs[0], window) \
                and not _names_it(verbs[0], quote_tok, ctx.inside):
            # "Pompeo said that … Washington had concluded … was '…'": the outermost
            # speech verb governing the quote is the one that reports it
            above = set(quote_tok.ancestors) | set(verbs[0].ancestors)
            governing = [v for v in verbs if v in above and v.lower_ in SAY_FORMS]
            if governing:
                outer = min(governing, key=lambda v: _depth(v))
                verbs = [outer] + [v for v in verbs if v is not outer]
    for v in verbs:
        subj = _subject(v)
        if subj is not None and ctx.inside[subj.i]:
            # the parser may give the verb a subject inside the quote as well as its own:
            # '"My reaction, that was outrageous," Obama's former strategist said'
            subj = next((c for c in v.children if _may_be_subject(v, c) and not ctx.inside[c.i]), subj)
        if subj is not None and subj.tag_ in ("WP", "WDT") and subj.head.dep_ == "relcl":
            subj = subj.head.head  # "Mr Lee, who chairs the trust, said": the one "who" stands for
        if subj is not None and not ctx.inside[subj.i] and ctx.para_of(subj.idx) == ctx.para_of(v.idx):
            return noun_phrase(subj)
        run = _adjacent_run(v, window)
        if run is not None:
            return run
    return None


def _names_it(verb: Token, quote_tok: Token, inside: bytearray) -> bool:
    """A verb of naming whose subject is a name takes the quoted label itself, as its
    object or after "as" ('Clinton once described the pact as "the gold standard"',
    'Obama and Clinton call them "lone wolves"'): the label is that subject's word, not
    that of whoever reports it."""
    if verb.lower_ not in NAMING_VERB_FORMS:
        return False
    subj = _subject(verb)
    if subj is None or not (subj.ent_type_ in ("PERSON", "ORG") or subj.tag_ in ("NNP", "NNPS")):
        return False
    tok = quote_tok
    for _ in range(6):
        if tok.head.i == tok.i:
            return False
        tok = tok.head
        if tok.i == verb.i:
            return True
        if not (inside[tok.i] or tok.lower_ == "as"):
            return False  # ('calling out Trump for his "lies"': the label is not what the verb gives)
    return False


def _near(verb: Token) -> set[int]:
    return set(range(max(0, verb.i - 12), verb.i + 6))


def _adjacent_run(verb: Token, window: list[Token]) -> Span | None:
    """When the parse gives a speech verb no usable subject, the words right beside it
    name the speaker: '“…” Tulsa police Chief Chuck Jordan said', '“…,” said Ms Lee',
    '“…” Flynn, a top aide, said'."""
    doc = verb.doc
    ids = {t.i for t in window}

    def nominal(t: Token) -> bool:
        return t.i in ids and (t.tag_ in ("NNP", "NNPS", "NN", "NNS", "PRP", "DT", "JJ", "POS", "CD")
                               or t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")) \
            and not t.is_punct and (t.ent_type_ not in ("DATE", "TIME") or t.tag_ == "CD")  # an age: 'Ramos, 58, told'

    lo = verb.i
    while lo - 1 >= 0 and (nominal(doc[lo - 1]) or doc[lo - 1].text == "," and lo - 1 in ids) and verb.i - lo < 10:
        lo -= 1
    before = [t for t in doc[lo : verb.i] if t.text != ","]
    named = next((t for t in before if t.ent_type_ in ("PERSON", "ORG")), None)
    if named is not None:
        return noun_phrase(named)
    lo = verb.i
    while lo - 1 >= 0 and nominal(doc[lo - 1]) and verb.i - lo < 8:
        lo -= 1
    if lo < verb.i and any(t.tag_ in ("NNP", "NNPS", "NN", "NNS", "PRP") for t in doc[lo : verb.i]):
        return doc[lo : verb.i]
    hi = verb.i + 1
    if hi < len(doc) and doc[hi].tag_ == "PRP" and hi + 1 < len(doc) and not doc[hi + 1].is_punct:
        return None  # "warned it would be": the reported clause's subject, not the speaker
    if verb.lower_ in ADDRESSING_FORMS and verb.tag_ != "VBN":
        return None  # "telling reporters, '…'": the ones told, not the speaker
    while hi < len(doc) and nominal(doc[hi]) and hi - verb.i < 8:
        hi += 1
    if hi > verb.i + 1 and any(t.tag_ in ("NNP", "NNPS", "NN", "NNS", "PRP") for t in doc[verb.i + 1 : hi]):
        return doc[verb.i + 1 : hi]
    return None


_CLAUSE_DEPS = {"ccomp", "conj", "xcomp", "advcl", "pcomp", "relcl", "acl"}


def _matrix_speaker(ctx: _Context, mention: Span) -> Span:
    """A pronoun in words reported by a named speaker is that speaker ("Kasich says he'd
    tell Putin '…'", "Djokovic told reporters that he felt '…'"): the reported clause's
    pronoun stands for the one reporting, so the name is the mention to keep."""
    if len(mention) != 1 or mention[0].lower_ not in ("he", "she", "they"):
        return mention
    plural = mention[0].lower_ == "they"
    verb = mention[0].head
    if verb.lower_ in SAY_FORMS:
        return mention  # "…, though he said, '…'": the pronoun is itself who says it
    # "Ban Ki-moon condemned what he called a '…'": after "what he called" any main verb's
    # subject is who the pronoun stands for
    naming = verb.lower_ in NAMING_CUES | {"call", "calls", "describes", "described", "terms"}
    for _ in range(6):
        if verb.dep_ not in _CLAUSE_DEPS or verb.head.i == verb.i:
            break
        verb = verb.head
        if not (_speech_verb(verb) or naming and verb.tag_.startswith("VB")):
            continue
        subj = _subject(verb)
        if subj is None or subj.i >= mention[0].i or ctx.inside[subj.i] or subj.tag_ in ("PRP", "WP", "WDT"):
            continue
        if (subj.ent_type_ == "PERSON" and not plural) or (subj.ent_type_ in ("ORG", "NORP") and plural):
            return noun_phrase(subj)
        return mention
    return mention


_NOT_REPORTING = {"is", "was", "are", "were", "be", "been", "has", "had", "have", "do", "does", "did",
                  "got", "gets", "made", "makes"}


def _reporting_clause(ctx: _Context, after: list[Token], comma: bool) -> Span | None:
    """A short clause of a name and a verb in the past or third-person present right
    after a quote that ends in a comma, question or exclamation mark is its attribution,
    whatever the verb ('“…,” remembered Roy Verley', '“…?” reacted Trump', '“…!” Mr Lee
    beamed.'): in that slot English news puts nothing else. After a question or an
    exclamation a new sentence may start instead, so there the clause must be just the
    name and the verb."""
    toks: list[Token] = []
    for t in after:
        if t.text in SENTENCE_END or t.text in (",", ";", ":") or t.text in DASHES:
            break
        toks.append(t)
    if not toks or len(toks) > 8:
        return None
    # (a participle the parser hangs on a noun modifies it: '"…," retired general Lloyd Newton said')
    verb = next((t for t in toks[:7] if t.tag_ in ("VBD", "VBZ") and t.dep_ not in ("amod", "compound")), None)
    if verb is None or verb.lower_ in _NOT_REPORTING or ctx.inside[verb.i]:
        return None
    rest = toks[toks.index(verb) + 1 :]
    if verb.i == toks[0].i:  # inverted: 'remembered Roy Verley'
        named = next((t for t in rest[:4] if t.ent_type_ in ("PERSON", "ORG") or t.tag_ in ("NNP", "NNPS")), None)
        return noun_phrase(named) if named is not None else None
    subj = _subject(verb)
    if subj is None or subj.i > verb.i or subj.i < toks[0].i or rest and rest[0].tag_ not in ("IN", "RB", "RP"):
        return None  # 'Mr Lee beamed', 'Mr Lee recalled in an interview'; not '… Mr Lee built a wall'
    if subj.ent_type_ in ("PERSON", "ORG", "NORP") or subj.tag_ in ("NNP", "NNPS", "PRP"):
        return noun_phrase(subj)
    if subj.is_title and subj.i == toks[0].i and subj.tag_ != "NNS" and (comma or not rest):
        return noun_phrase(subj)  # after a quote a capital is a name, whatever its tag ('Hannity pressed.')
    return None


def _sentence_final_report(ctx: _Context, after: list[Token]) -> Span | None:
    """'“…” while they were in power, Azzouz said.': a sentence that ends with a name and
    'said' reports the quote that opens it (and does not end inside it), whatever stands
    between."""
    if not after or after[-1].text not in SENTENCE_END:
        return None
    verbs = [t for t in after if t.tag_.startswith("VB")]
    if not verbs or verbs[-1].lower_ not in SAY_FORMS:
        return None
    verb = verbs[-1]
    if any(not (t.is_punct or t.tag_ in ("IN", "DT", "NN", "NNS", "NNP", "RB", "CD", "JJ", "PRP$"))
           for t in after[after.index(verb) + 1 : -1]):
        return None  # the verb must end the sentence, give or take 'in a statement'
    subj = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS and c.i < verb.i), None)
    if subj is None:
        # the parser gave 'said' no subject ("'…,' Sir Robert Ellery, who leads …, said."):
        # the name standing right after the quote is who says it
        subj = next((t for t in after[:4] if t.ent_type_ == "PERSON"), None)
    if subj is None or subj.i < after[0].i or ctx.inside[subj.i]:
        return None
    if subj.ent_type_ in ("PERSON", "ORG", "NORP") or subj.tag_ in ("NNP", "NNPS", "PRP"):
        return noun_phrase(subj)
    return None


def _governing_subject(ctx: _Context, quote_tok: Token) -> Span | None:
    """Words quoted inside someone's sentence with a verb that is not a speech verb
    ("likened the rules to 'burning the Constitution'", "admires Putin as a 'strong
    leader'"): the subject of the nearest verb above the quote is whose words they are."""
    tok = quote_tok
    for _ in range(8):
        if tok.head.i == tok.i:
            break
        tok = tok.head
        if ctx.inside[tok.i]:
            continue
        if tok.tag_.startswith("VB"):
            subj = _subject(tok)
            if subj is not None and not subj.ent_type_:  # "Another critic, Laurence H. Tribe, likened the rules to '…'"
                subj = next((c for c in subj.children if c.dep_ == "appos" and c.ent_type_ in ("PERSON", "ORG")), subj)
            if subj is not None and not ctx.inside[subj.i] and subj.tag_ not in ("EX",) \
                    and quote_tok not in subj.subtree \
                    and ctx.para_of(subj.idx) == ctx.para_of(quote_tok.idx) \
                    and (subj.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or subj.tag_ in ("PRP", "NNP", "NNPS")) \
                    and subj.lower_ not in ("it", "this", "that", "there", "i", "you", "we"):
                return noun_phrase(subj)
            return None
    return None


def _depth(tok: Token) -> int:
    d = 0
    while tok.head.i != tok.i and d < 50:
        tok, d = tok.head, d + 1
    return d


def _introduces(verb: Token, window: list[Token]) -> bool:
    """The verb stands right before the quote: 'said, "…', 'said: "…', 'saying "…'."""
    tail = [t for t in window if t.i > verb.i]
    return all(t.is_punct and t.text not in SENTENCE_END for t in tail) and len(tail) <= 2


def _according_to(ctx: _Context, window: list[Token]) -> Span | None:
    for a, b in zip(window, window[1:]):
        if a.lower_ == "according" and b.lower_ == "to":
            obj = next((c for c in b.children if c.dep_ == "pobj"), None)
            if obj is None and b.i + 1 < len(ctx.doc):
                obj = ctx.doc[b.i + 1]
            if obj is not None:
                return noun_phrase(obj)
    return None


def _colon_name(ctx: _Context, window: list[Token]) -> Span | None:
    """A clause ending in a colon introduces the quote after it even without a verb of
    saying: the name right before the colon ('… pollster Daron Shaw: "…"', also past a
    bracketed aside), else the named subject of the clause ('Obama's questioners
    ranged from skeptical to hostile: "…"')."""
    if len(window) < 2 or window[-1].text not in (":", "):"):
        return None
    ends = [i for i, t in enumerate(window[:-1]) if t.text in SENTENCE_END]
    if ends:  # a paragraph ending in a colon: only its last sentence introduces the quote
        window = window[ends[-1] + 1 :]
        if len(window) < 2:
            return None
    k = len(window) - 2
    if window[-1].text == "):" or window[k].text.endswith(")"):  # the tokenizer may glue "):" or "S.C.)"
        while k > 0 and not window[k].text.startswith("("):
            k -= 1
        k -= 1
    if k >= 0 and window[k].ent_type_ in ("PERSON", "ORG"):
        return noun_phrase(window[k])
    verbs = [t for t in window if t.tag_.startswith("VB")]
    if verbs:
        verb = min(verbs, key=_depth)  # the clause's main verb: 'Clinton apologized for what happened:'
        subj = _subject(verb)
        if subj is not None and not ctx.inside[subj.i] and ctx.para_of(subj.idx) == ctx.para_of(verb.idx) \
                and (subj.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or subj.tag_ in ("NNP", "NNPS")
                     or words_owner(subj) is not None):
            return noun_phrase(subj)
    return None


def words_owner(noun: Token) -> Token | None:
    """Whose words a text carries: 'Hoff' of "Hoff's letter", of "the NRA's statement"."""
    if noun.lower_ not in WORD_CARRIERS:
        return None
    return next((c for c in noun.children if c.dep_ == "poss"
                 and (c.ent_type_ in ("PERSON", "ORG", "NORP") or c.tag_ in ("NNP", "NNPS"))), None)


def _dash_mention(ctx: _Context, window: list[Token]) -> Span | None:
    """``"…" — Jane Doe, a resident``: a name right after a dash."""
    if not window or window[0].text.lstrip(ALL_MARKS)[:1] not in {d[0] for d in DASHES}:
        return None  # (the tokenizer may glue the closing mark to the dash: '”―')
    for t in window[1:4]:
        if t.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or t.tag_ in ("NNP", "NNPS"):
            return noun_phrase(t)
    return None


def _follows_quote_in_sentence(ctx: _Context, marked: list[Marked], k: int, out: list[Attribution]) -> bool:
    """The previous quote stands earlier in the same sentence and is attributed:
    'Trump tweeted that Machado was "disgusting" and "a con"' — the second shares the first's
    speaker rather than the subject of its own little clause."""
    if not k or not out or out[-1].marked is not marked[k - 1]:
        return False
    between = ctx.text[marked[k - 1].end + 1 : marked[k].start - 1]
    return ctx.para_of(marked[k - 1].start) == ctx.para_of(marked[k].start) and not any(c in between for c in ".?!")


def _speech_verb_last(window: list[Token]) -> bool:
    verbs = [t for t in window if _speech_verb(t)]
    return bool(verbs) and _introduces(verbs[-1], window)


def _attribution_follows(after: list[Token], loose: bool = False, any_tag: bool = False) -> bool:
    """The clause after a quote attributes it: ', he said', 'said Ms Lee', not ', and
    officials said' (a new clause with its own words)."""
    toks, depth = [], 0
    for t in after:  # asides in brackets ("Rep. Jane Doe (D-Md.) said") do not count
        depth += t.text == "("
        if depth == 0 and (not t.is_punct or t.text in DASHES):
            toks.append(t)
        depth -= t.text == ")" and depth > 0
    toks = toks[:6]
    if not toks or toks[0].lower_ in ("and", "but", "while", "as", "because", "although", "which", "who"):
        return loose and bool(toks) and toks[0].lower_ in ("as",)
    return any(_speech_verb(t, any_tag) for t in toks) or loose


def _naming_cue(ctx: _Context, m: Marked) -> bool:
    """The quoted words are a name, title or term: 'so-called "X"', 'the report "X"'."""
    i = ctx.word_before(m)
    doc = ctx.doc
    if i < 0:
        return False
    prev = doc[i].lower_
    if prev in NAMING_CUES and i > 0 and doc[i - 1].tag_ in ("PRP", "NNP", "NNPS") and doc[i - 1].dep_ == "nsubj":
        return False  # "what it called '…'", "Trump called him a '…'": someone speaking
    if prev in WORK_NOUNS and i > 1 and doc[i - 1].tag_ in ("DT", "PRP$") and _speech_verb(doc[i - 2]):
        return False  # "called the show 'the news show of record'": a description, spoken
    quoted = ctx.text[m.start : m.end].strip()
    if prev in NAMING_CUES:
        return True
    if prev in WORK_NOUNS:
        # titles are capitalised; 'the report "wasn't good"' (a verb, or closing punctuation)
        # is the report speaking, while 'the policy "zero tolerance for knife crime"' names it
        first = doc[ctx.token_at_or_after(m.start)]
        return not (quoted[:1].islower() and _word_count(quoted) >= 2 and prev not in TERM_NOUNS
                    and (first.tag_.startswith("VB") or first.tag_ == "MD" or quoted[-1:] in ",.?!"))
    j = ctx.token_at_or_after(m.end)
    while j < len(doc) and (ctx.is_mark(doc[j]) or doc[j].is_space):
        j += 1
    if doc[i].tag_ == "NNP" and doc[i].is_title and j < len(doc) and doc[j].is_title \
            and doc[j].tag_ in ("NNP", "NN", "NNPS") and len(quoted.split()) <= 2 \
            and quoted[:1].isupper() and quoted[-1:] not in ",.?!":
        return True  # a nickname between given name and surname: Marcia "Cia" Price
    if doc[i].tag_ in ("DT", "PRP$", "POS") and j + 1 < len(doc) and doc[j].ent_type_ == "PERSON" \
            and doc[j + 1].ent_type_ == "PERSON" \
            and len(ctx.text[m.start : m.end].split()) <= 4 and ctx.text[m.start : m.end].rstrip()[-1:] not in ",.?!":
        return True  # a quoted label before a name: its "national enterprise reporter" Jane Doe
    return i > 0 and prev == "as" and doc[i - 1].lower_ in ("known", "referred")


_SMALL_WORDS = {"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "with", "by",
                "from", "as", "vs", "is", "it", "its"}


def _title_key(text: str) -> str:
    return text.strip(" .,!?" + ALL_MARKS).lower()


def _title_case(text: str) -> bool:
    """Two or more words, every word of substance capitalised: the name of a show, a
    book, a campaign or a heading ("Face the Nation", "Rivers in Retreat") — not speech."""
    words = [w.strip(".,:;!?()" + ALL_MARKS) for w in text.split()]
    words = [w for w in words if any(c.isalpha() for c in w)]
    if len(words) < 2 or len(words) > 8:
        return False
    big = [w for w in words if w.lower() not in _SMALL_WORDS]
    return bool(big) and all(w[0].isupper() for w in big) and not any(w in ("I", "I'm", "I\u2019m") for w in words)


def _after_source_word(ctx: _Context, m: Marked) -> bool:
    """Right after a possessive or a preposition ("CBS's 'Face the Nation'", "on
    'Morning Joe'"), or standing alone as a paragraph (a subheading)."""
    i = ctx.word_before(m)
    doc = ctx.doc
    if i < 0 or doc[i].text in SENTENCE_END:
        para = ctx.paragraphs[ctx.para_of(m.start)]
        return ctx.text[para[0] : para[1]].strip(" ." + ALL_MARKS) == ctx.text[m.start : m.end].strip(" .")
    if doc[i].tag_ in ("DT", "PRP$", "CD") and doc[i].lower_ not in ("that", "this", "these", "those"):
        return True  # "his 'Keepin' It Real' radio show", "a 'Commander-in-Chief Forum'"
    return (doc[i].tag_ in ("POS", "IN") and doc[i].lower_ != "as") or doc[i].lower_ in ("'s", "\u2019s")


def _word_count(text: str) -> int:
    return sum(1 for w in text.split() if any(c.isalnum() for c in w))


def _looks_like_utterance(text: str) -> bool:
    """A whole spoken sentence or clause: starts with a capital, or ends with punctuation."""
    s = text.strip()
    return bool(s) and (s[-1] in ",.?!\u2026" or (s[0].isupper() and _word_count(s) >= 4))


def _fragment_is_term(ctx: _Context, m: Marked) -> bool:
    """A short quoted fragment used as someone's term ("their own 'red lines'")."""
    i = ctx.word_before(m)
    doc = ctx.doc
    return i >= 0 and doc[i].lower_ == "own"


def _fragment_root(ctx: _Context, m: Marked) -> Token | None:
    """The quoted word that the words in quotation marks hang from, when they hang from
    one word of the sentence around them ('his "average American" followers': American)."""
    span = ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
    words = [t for t in span or () if not ctx.is_mark(t) and not t.is_punct and not t.is_space]
    inside = {t.i for t in words}
    roots = [t for t in words if t.head.i not in inside or t.head.i == t.i]
    if not roots or len({t.head.i for t in roots}) != 1 or roots[0].head.i == roots[0].i:
        return None
    return roots[-1]


_WORDS_NOUNS = SPEECH_NOUNS | WORD_CARRIERS  # nouns of saying and of texts that carry words


def _used_as_term(ctx: _Context, m: Marked) -> bool:
    """A short quoted phrase that is part of a noun phrase of the sentence: a nationwide
    "walk-in", Clinton's "public option", "work-related" emails, the bank's drive to
    "cross-sell". It marks a term, not words someone is said to have used: not one that
    a verb of saying or naming takes ('calls people "losers"'), nor one after "as"
    ('described the pact as "the gold standard"', 'references to her as "Miss Piggy"'),
    nor one that a noun of words holds ('the words "Islamic terrorism"', 'his claim of "fraud"'),
    nor one inside reported words ('arguing that he will bring a "common-sense" approach',
    'what Turnbull called North Korea's "reckless" actions'): there the term is the speaker's."""
    root = _fragment_root(ctx, m)
    if root is None or root.tag_ in ("VBD", "VBZ", "VBP", "RB") \
            or any(_speech_verb(t) or t.lower_ in _WORDS_NOUNS for t in root.ancestors) \
            or any(c.dep_ in ("nsubj", "nsubjpass") for c in root.children):
        return False  # ('in which they "systematically looted" millions': a predicate, not a term)
    while root.dep_ == "conj" and root.head.i != root.i:  # 'as "criminals" and "rapists"'
        root = root.head
    head = root.head
    while head.tag_ in ("IN", "TO") and head.head.i != head.i:
        if head.lower_ == "as":
            return False
        head = head.head
    return head.tag_ in ("NN", "NNS") and head.lower_ not in SPEECH_FORMS | WORD_CARRIERS | WORK_NOUNS


def _crowd_voice(ctx: _Context, m: Marked) -> bool:
    """'greeted with chants of "Bobby!"': a crowd's words, which whoever reports them
    did not say and no one named did."""
    i = ctx.word_before(m)
    return i > 0 and ctx.doc[i].lower_ == "of" and ctx.doc[i - 1].lower_ in CROWD_NOUNS


def _quoted_name(ctx: _Context, m: Marked) -> bool:
    """A title-case phrase in quotation marks that is the subject of its clause: the name
    of a work or a paper ('"American Skin (41 Shots)" was written by Springsteen', 'as
    "The Wall Street Journal" wrote'), not anyone's words."""
    quoted = ctx.text[m.start : m.end].rstrip()
    if not _title_case(quoted) or quoted[-1:] in ",.?!\u2026":
        return False
    root = _fragment_root(ctx, m)
    if root is None or not root.tag_.startswith("NN"):
        return False
    if root.dep_ in ("nsubj", "nsubjpass"):
        return True
    # the parser may miss that the name is the subject of the verb right after it
    # ('as "The Wall Street Journal" wrote': "Journal" taken for the object of "as")
    j = ctx.token_at_or_after(m.end)
    while j < len(ctx.doc) and (ctx.is_mark(ctx.doc[j]) or ctx.doc[j].is_space):
        j += 1
    verb = ctx.doc[j] if j < len(ctx.doc) else None
    return verb is not None and verb.tag_ in ("VBD", "VBZ") and root.head.i != verb.i \
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


@dataclass(frozen=True)
class _Site:
    """One quoted stretch and the clause around it, as the finding rules read it."""

    k: int
    m: Marked
    before: list[Token]  # the clause before the opening mark
    after: list[Token]  # the clause after the closing mark
    ends_clause: bool  # the quote ends in a comma, question or exclamation mark
    comma: bool  # ... in a comma
    quote_tok: Token  # the first token of the quoted words
    para: int
    at_para_start: bool


def verb_introducing(ctx: _Context, s: _Site) -> Span | None:
    """'Mr Tillerson said: "…"', 'warned, "…"', 'saying during the debate last week, "…"':
    a speech verb and its adverbials, a colon or comma, then the quote, as news writing
    brings a quote in."""
    if s.before and s.before[-1].text in (":", ",") and (
            _speech_verb_last(s.before) or _introduces_with_adverbials(s.before)):
        return _mention_from_verbs(ctx, s.before, nearest_last=True)
    return None


_ADVERBIAL_DEPS = {"prep", "pobj", "npadvmod", "advmod", "det", "amod", "compound", "nummod", "poss", "punct"}


def _introduces_with_adverbials(window: list[Token]) -> bool:
    """The last speech verb before the quote is followed only by words that say when,
    where or how it was said ('said on Monday at the rally, "…"')."""
    verbs = [t for t in window if _speech_verb(t)]
    if not verbs:
        return False
    verb = verbs[-1]
    tail = [t for t in window if t.i > verb.i]
    if not 2 <= len(tail) <= 8 or any(t.text in SENTENCE_END for t in tail) \
            or any(c.dep_ == "mark" for c in verb.children):
        return False  # (not 'said that once the Senate goes on recess, "…"': a clause inside)
    for t in tail:
        if t.dep_ not in _ADVERBIAL_DEPS:
            return False
        if t.is_punct:
            continue
        up = t
        while up.i != verb.i and up.head.i != up.i and up.dep_ in _ADVERBIAL_DEPS:
            up = up.head
        if up.i != verb.i:
            return False
    return tail[0].dep_ in ("prep", "npadvmod", "advmod")


def verb_before(ctx: _Context, s: _Site) -> Span | None:
    """'Trump says "the whole game has become screwed up"': a speech verb that runs
    straight into the quote, which may then be words the subject of a clause in between
    said ('said the agreement goes "nowhere near far enough"')."""
    if s.before and _speech_verb_last(s.before):
        return _mention_from_verbs(ctx, s.before, nearest_last=True)
    return None


def verb_after(ctx: _Context, s: _Site) -> Span | None:
    """'"…," he said', '"…," said Ms Lee': a speech verb in the clause after the quote."""
    if s.ends_clause and _attribution_follows(s.after):
        return _mention_from_verbs(ctx, s.after[:8], nearest_last=False)
    return None


def reporting_clause(ctx: _Context, s: _Site) -> Span | None:
    """'"…," remembered Roy Verley': a name and a past-tense verb after the quote."""
    return _reporting_clause(ctx, s.after, s.comma) if s.ends_clause else None


def sentence_final(ctx: _Context, s: _Site) -> Span | None:
    """'"…" while they were in power, Azzouz said.': the sentence ends with its report."""
    if ctx.text[s.m.start : s.m.end].rstrip()[-1:] not in SENTENCE_END:
        return _sentence_final_report(ctx, s.after)
    return None


def verb_after_mistagged(ctx: _Context, s: _Site) -> Span | None:
    """'"…," the editorial read': a speech verb the tagger took for a noun."""
    if s.ends_clause and _attribution_follows(s.after[:6], any_tag=True):
        return _mention_from_verbs(ctx, s.after[:6], nearest_last=False, any_tag=True)
    return None


_POINTING_BACK = {"according", "that", "this", "those", "these", "it", "such"}


def according_to(ctx: _Context, s: _Site) -> Span | None:
    """'according to X, "…"', '"…," according to X'. Not '"… without delay." Clinton plans
    to visit on Sunday, according to an aide': after a quote that ends its sentence, a
    new sentence's source is that sentence's."""
    before = _according_to(ctx, s.before)
    if before is not None:
        return before
    ended = ctx.text[s.m.start : s.m.end].rstrip()[-1:] in SENTENCE_END
    if ended and s.after and s.after[0].is_title and s.after[0].lower_ not in _POINTING_BACK:
        return None  # (but '"…." That's according to Lena Park': the new sentence points back)
    return _according_to(ctx, s.after)


def _reported_speaker(ctx: _Context, s: _Site) -> Span | None:
    """The named person whose speech verb governs a quote that 'according to X' sources:
    X reports the words, the person said them."""
    sent = [t for t in s.quote_tok.sent if t.i < s.quote_tok.i and not ctx.inside[t.i]
            and not ctx.is_mark(t) and not t.is_space]
    said = _mention_from_verbs(ctx, sent, nearest_last=True, quote_tok=s.quote_tok)
    return said if said is not None and said.root.ent_type_ == "PERSON" else None


def claim_owner(ctx: _Context, s: _Site) -> Span | None:
    """'Trump's claim that there have been "thousands of shootings"', 'his remark about
    "…"': the quote sits in someone's claim, remark or statement, up through no verb of
    saying; the one it belongs to said it, whoever reports the claim."""
    tok = s.quote_tok
    for _ in range(8):
        if tok.head.i == tok.i or _speech_verb(tok.head):
            return None
        below, tok = tok, tok.head
        if ctx.inside[tok.i]:
            continue
        if tok.lower_ in CLAIM_NOUNS and tok.tag_ in ("NN", "NNS"):
            if not (below.dep_ in ("acl", "relcl", "ccomp")
                    or below.dep_ == "prep" and below.lower_ in ("about", "of", "on", "that")):
                return None  # 'Trump's "divisive" comments', 'denounced his remarks as "…"': a label, the describer's
            owner = next((c for c in tok.children if c.dep_ == "poss" and not ctx.inside[c.i]), None)
            if owner is None:
                return None
            if owner.tag_ == "PRP$":
                return ctx.doc[owner.i : owner.i + 1]
            return noun_phrase(owner)
    return None


def verb_governing(ctx: _Context, s: _Site) -> Span | None:
    """'Pompeo said that … was "…"': a speech verb earlier in the sentence governs the quote."""
    return _mention_from_verbs(ctx, s.before, nearest_last=True, quote_tok=s.quote_tok)


def verb_after_loose(ctx: _Context, s: _Site) -> Span | None:
    """'"…" he said.' without the comma: a speech verb opening the clause after."""
    if _attribution_follows(s.after, loose=True):
        return _mention_from_verbs(ctx, s.after, nearest_last=False)
    return None


def colon(ctx: _Context, s: _Site) -> Span | None:
    """'… pollster Daron Shaw: "…"': a clause ending in a colon introduces the quote."""
    return _colon_name(ctx, s.before)


def dash(ctx: _Context, s: _Site) -> Span | None:
    """'"…" — Jane Doe'."""
    return _dash_mention(ctx, s.after)


def pull_quote_credit(ctx: _Context, s: _Site) -> Span | None:
    """A pull quote credited on a line of its own: '"…" ¶ - Bernie Sanders.'"""
    paragraphs, text = ctx.paragraphs, ctx.text
    if s.at_para_start and s.para + 1 < len(paragraphs) \
            and not text[s.m.end : paragraphs[s.para][1]].strip(ALL_MARKS + " ."):
        lo, hi = paragraphs[s.para + 1]
        if _word_count(text[lo:hi]) <= 12:
            return _dash_mention(ctx, list(ctx.doc.char_span(lo, hi, alignment_mode="expand") or []))
    return None


def colon_paragraph(ctx: _Context, s: _Site) -> Span | None:
    """A quote paragraph after a paragraph that ends in a colon: 'He said: ¶ "…"'."""
    if s.at_para_start and s.para > 0:
        lo, hi = ctx.paragraphs[s.para - 1]
        if ctx.text[lo:hi].rstrip().endswith(":"):
            tail = [t for t in ctx.doc.char_span(lo, hi, alignment_mode="expand") or [] if not ctx.inside[t.i]]
            return _mention_from_verbs(ctx, tail, nearest_last=True) or _colon_name(ctx, tail)
    return None


def _narrative_subject(ctx: _Context, para: int) -> Span | None:
    """The person named as the subject of a paragraph of narrative with no quotation in
    it, which a bare quote paragraph follows ('Ash argued in his email that the rules
    should change. ¶ "…"'): news writing brings a speaker in, then quotes them."""
    if para < 0:
        return None
    span = ctx.doc.char_span(*ctx.paragraphs[para], alignment_mode="expand")
    if span is None or not len(span) or any(ctx.inside[t.i] or ctx.is_mark(t) for t in span):
        return None
    root = span[0].sent.root  # the paragraph's first sentence
    subj = _subject(root) if root.tag_.startswith("VB") else None
    if subj is not None and subj.ent_type_ == "PERSON" and subj.i >= span.start:
        return noun_phrase(subj)
    return None


def governed(ctx: _Context, s: _Site, out: list[Attribution]) -> Span | None:
    """'likened the rules to "burning the Constitution"': the subject of the verb above."""
    if not s.at_para_start and not _follows_quote_in_sentence(ctx, ctx.marked, s.k, out):
        return _governing_subject(ctx, s.quote_tok)
    return None


# The finding rules, in the order a reader tries them; the first that names a
# speaker wins and its name is the quote's rule. Then come the rules that share an
# earlier quote's speaker (split, continued: _inherit) or a later one's (ahead).
FINDING_RULES = (verb_introducing, verb_before, verb_after, reporting_clause, sentence_final, verb_after_mistagged,
                 according_to, claim_owner, verb_governing, verb_after_loose, colon, dash, pull_quote_credit,
                 colon_paragraph)


def attribute(doc: Doc, marked: list[Marked], paragraphs: list[tuple[int, int]],
              text: str) -> tuple[list[Attribution], bytearray]:
    """Decide which stretches are quotes and find the mention that attributes each.

    Also returns which tokens stand inside quotation marks (1) or not (0)."""
    # Names, titles and terms in quotation marks are part of the sentence around them
    # ('Ted Cruz says his "friend and colleague" Marco Rubio ran "…"'): drop them first,
    # so that the clause windows of the real quotes reach across them.
    first = _Context(doc, marked, paragraphs, text)
    marked = [m for m in marked if not (_naming_cue(first, m) or (
        _title_case(text[m.start : m.end]) and _after_source_word(first, m)))]
    # a work named once ('the documentary "13th."') keeps its name further on ('Davis talks
    # about mass incarceration in "13th."'), where nothing around it says so: no one's words
    kept = set(marked)
    works = {_title_key(text[m.start : m.end]) for m in first.marked
             if m not in kept and (i := first.word_before(m)) >= 0 and doc[i].lower_ in WORK_NOUNS - TERM_NOUNS}
    ctx = _Context(doc, marked, paragraphs, text)
    out: list[Attribution] = []
    pending: list[Attribution] = []
    unattributed: list[Attribution] = []  # quoted speech whose speaker the text does not give
    for k, m in enumerate(marked):
        prev_end = marked[k - 1].end + 1 if k else 0
        next_start = marked[k + 1].start - 1 if k + 1 < len(marked) else len(text)
        words = _word_count(text[m.start : m.end])
        after = ctx.window_after(m, next_start)
        para = ctx.para_of(m.start)
        last = text[m.start : m.end].rstrip()[-1:]
        s = _Site(k, m, ctx.window_before(m, prev_end), after,
                  ends_clause=last in (",", "?", "!") or bool(after and after[0].text == ","),
                  comma=last == "," or bool(after and after[0].text == ","),
                  quote_tok=doc[min(len(doc) - 1, ctx.token_at_or_after(m.start))], para=para,
                  at_para_start=not text[paragraphs[para][0] : m.start].strip().strip(ALL_MARKS))

        mention, how = None, "none"
        for rule in FINDING_RULES:
            mention = rule(ctx, s)
            if mention is not None:
                how = rule.__name__
                break
        if mention is None:
            mention = governed(ctx, s, out)
            how = "governed" if mention is not None else how
        if mention is not None:
            mention = _matrix_speaker(ctx, mention)
        inherit = None
        if mention is None:
            inherit, how = _inherit(out, m, ctx, para, s.at_para_start)
            if how in ("next_paragraph", "paragraph_after_next") and not m.reopened:
                named = _narrative_subject(ctx, para - 1)
                if named is not None:
                    mention, inherit, how = named, None, "subject_before"
            if how == "same_sentence" and inherit is not None and out[inherit].rule == "claim_owner":
                # 'ruled that Trump's claim about "…" is "true"': the claim was its owner's,
                # the words after it are those of whoever reports on the claim
                sent = [t for t in s.quote_tok.sent if t.i < s.quote_tok.i and not ctx.inside[t.i]
                        and not ctx.is_mark(t) and not t.is_space]
                reporter = _mention_from_verbs(ctx, sent, nearest_last=True, quote_tok=s.quote_tok)
                if reporter is not None:
                    mention, inherit, how = reporter, None, "verb_governing"

        # Is it a quote at all? Words nobody is said to have said are not quoted speech
        # (headlines, captions, titles, terms); short fragments need their own attribution.
        if how == "none":
            if m.open_end:
                pending.append(Attribution(m, None))  # its speaker may come later
            elif _reads_as_speech(text[m.start : m.end]):
                unattributed.append(Attribution(m, None))
            continue
        if words <= MAX_FRAGMENT_WORDS and not _looks_like_utterance(text[m.start : m.end]):
            if how in ("continued", "next_paragraph", "paragraph_after_next") or _fragment_is_term(ctx, m):
                continue
        if _quoted_name(ctx, m):
            mention, inherit, how = None, None, "title"  # quoted, but no one's words
        term = words <= MAX_FRAGMENT_WORDS and (
            # 'her "work-related" emails and her "personal messages."': the second half of
            # a pair of terms is a term too, whatever its punctuation
            (how in ("split", "same_sentence") and inherit is not None and out[inherit].term)
            or (how != "according_to" and not _looks_like_utterance(text[m.start : m.end])
                and _used_as_term(ctx, m))
            or _crowd_voice(ctx, m)) or _title_key(text[m.start : m.end]) in works
        out.append(Attribution(m, mention, inherit, how, term, _reported_speaker(ctx, s) if how == "according_to" else None))
    ahead = _attribute_ahead(out, pending)
    taken = {a.marked.start for a in ahead}
    unattributed += [p for p in pending if p.marked.start not in taken and _reads_as_speech(text[p.marked.start : p.marked.end])]
    return _merge(out, ahead + unattributed), ctx.inside


def _reads_as_speech(quoted: str) -> bool:
    """Quoted words with no attribution that still read as someone's speech, kept as a
    quote whose speaker is unknown: a clause of four words or more that is not shaped
    like a headline or a title (capitalised, no closing punctuation, under a dozen
    words), or a short lower-case phrase that ends like a sentence ('"ought to go."')."""
    s = quoted.strip()
    words = _word_count(s)
    ends = s[-1:] in ",.?!\u2026"
    if words >= 4:
        return ends or s[:1].islower() or words > 12
    return words >= 2 and ends and s[:1].islower()


def _attribute_ahead(out: list[Attribution], pending: list[Attribution]) -> list[Attribution]:
    """A quote that runs over paragraphs is often attributed only in its last one
    ("“… ¶ “…,” he said."): earlier paragraphs with no attribution of their own take
    the mention of the paragraph that continues them. Returns those earlier paragraphs."""
    by_start = {a.marked.start: a for a in out}
    starts = sorted(by_start)
    found: list[Attribution] = []
    for p in reversed(pending):
        k = bisect.bisect_right(starts, p.marked.end)
        nxt = by_start[starts[k]] if k < len(starts) else None
        if nxt is not None and nxt.marked.reopened and nxt.mention is not None:
            found.append(Attribution(p.marked, nxt.mention, rule="ahead"))
            by_start[p.marked.start] = found[-1]
            starts = sorted(by_start)
    return found


def _merge(out: list[Attribution], more: list[Attribution]) -> list[Attribution]:
    """``out`` with ``more`` put in text order; ``inherit`` indexes follow their quotes."""
    if not more:
        return out
    result = sorted(out + more, key=lambda a: a.marked.start)
    new_index = {id(a): i for i, a in enumerate(result)}
    moved = {old: new_index[id(a)] for old, a in enumerate(out)}  # earlier entries shift later ones
    return [a if a.inherit is None else replace(a, inherit=moved[a.inherit]) for a in result]


def _inherit(out: list[Attribution], m: Marked, ctx: _Context,
             para: int, at_para_start: bool) -> tuple[int | None, str]:
    """Share the speaker of an earlier quote: the first half of a split quote (split:
    '"…," she said, "…"'), an earlier quote of the sentence (same_sentence) or of the
    paragraph (same_paragraph), the
    previous paragraph of a multi-paragraph quote (continued), or the last speaker
    when a bare quote paragraph follows theirs (next_paragraph) or comes a paragraph
    later (paragraph_after_next)."""
    if not out:
        return None, "none"
    last = len(out) - 1
    last_para = ctx.para_of(out[last].marked.start)
    if m.reopened:
        return last, "continued"
    if last_para == para:
        k: int | None = last
        while k is not None and out[k].mention is None and out[k].inherit is not None:
            k = out[k].inherit
        k = last if k is None else k
        said = out[k].mention
        if said is not None and out[k].marked.end <= said.start_char < m.start:
            return last, "split"  # '"…," she said, "…"': the attribution stands between the halves
        prev = out[last].marked
        if ctx.text[prev.start : prev.end].rstrip()[-1:] in SENTENCE_END \
                or _SENTENCE_BREAK.search(ctx.text, prev.end, m.start):
            return last, "same_paragraph"
        return last, "same_sentence"  # 'said it was "distressing" not to have … "even in the face …"'

    if at_para_start and para - last_para == 1:
        return last, "next_paragraph"
    if at_para_start and para - last_para == 2:
        return last, "paragraph_after_next"
    return None, "none"
