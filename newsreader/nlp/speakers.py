"""Who the mentions are: from "he", "Mr Tillerson" or "the ministry" to one canonical name.

News writing names a person in full once ("US Secretary of State Rex Tillerson") and
then by surname, title and surname, or pronoun. We group the article's PERSON
entities by surname, and its ORG entities by containment ("Tottenham" ⊂ "Tottenham
Hotspur"); the canonical name is the fullest form the article uses. Pronouns and
descriptions ("the 56-year-old") go to the most recent fitting person, preferring
one who was the subject of a clause (the one the story is about at that point).
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from newsreader.nlp.firstnames import gender_of_first_name, gender_of_given_name, is_first_name
from newsreader.nlp.lexicon import (
    ADDRESSING_FORMS,
    DOCUMENT_KINDS,
    DOCUMENTS,
    ENVOYS,
    FEMALE_NOUNS,
    FEMALE_PRONOUNS,
    FEMALE_TITLES,
    GROUP_NOUNS,
    MADE_BY_FORMS,
    MALE_NOUNS,
    MALE_PRONOUNS,
    MALE_TITLES,
    OFFICES,
    ORG_HEADS,
    ORG_KINDS,
    POSSESSIVE_PRONOUNS,
    TITLES,
)
from newsreader.nlp.marks import ALL_MARKS
from newsreader.nlp.places import gazetteer
from newsreader.nlp.quotes import _subject, entity_of, noun_phrase, words_owner

PERSON, ORG = "person", "organisation"
SALIENT_CHARS = 1200  # about two paragraphs: how long a clause's subject stays the one the story is about
_POSSESSIVE = re.compile(r"(?:['\u2019]s?)$")
_EDGE = " \t\n,.;:!?()[]{}-\u2013\u2014" + ALL_MARKS


_SUFFIXES = ("Jr.", "Sr.", "Jr", "Sr", "II", "III", "IV")


def clean_name(text: str, strip_titles: bool = True) -> str:
    """A name without possessive ending, stray punctuation, leading "the" or titles."""
    stripped = text.strip(_EDGE)
    if stripped.endswith((" Jr", " Sr")) and text.strip().rstrip(",;:").endswith("."):
        stripped += "."
    words = stripped.split()
    if words:
        words[-1] = _POSSESSIVE.sub("", words[-1]) or words[-1]
    while words and words[0].lower() == "the":
        words = words[1:]
    if strip_titles:
        while len(words) > 1 and words[0].lower().rstrip(".") in TITLES:
            words = words[1:]
    name = " ".join(words)
    return name if name.endswith(_SUFFIXES) else name.strip(_EDGE)


_NAME_PARTICLES = {"de", "da", "do", "dos", "du", "van", "von", "der", "den", "la", "le", "al", "el", "bin", "di"}


def _without_lead_words(name: str) -> str:
    """An organisation's name without the lower-case words the model took in before it:
    "federal Securities and Exchange Commission" is the Securities and Exchange Commission."""
    words = name.split()
    k = 0
    while k < len(words) - 1 and words[k].isalpha() and words[k].islower() and words[k] not in _NAME_PARTICLES:
        k += 1
    return " ".join(words[k:]) if k and words[k][:1].isupper() else name


def surname(name: str) -> str:
    """The family name of a person's name, lower-cased: the last word before Jr./Sr./III."""
    words = name.split()
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words = words[:-1]
    return words[-1].lower() if words else ""


@dataclass
class Cluster:
    """One person or organisation and every form the article uses for them."""

    kind: str
    forms: list[str] = field(default_factory=list)  # as written, titles included
    positions: list[int] = field(default_factory=list)  # char offsets of mentions, sorted
    subject_positions: list[int] = field(default_factory=list)  # sorted

    def mentioned(self, pos: int, subject: bool = False) -> None:
        if self.first_seen < 0 or pos < self.first_seen:
            self.first_seen = pos
        bisect.insort(self.positions, pos)
        if subject:
            bisect.insort(self.subject_positions, pos)

    def mentioned_at(self, pos: int) -> bool:
        i = bisect.bisect_left(self.positions, pos)
        return i < len(self.positions) and self.positions[i] == pos

    def last_before(self, pos: int, subject: bool = False) -> int | None:
        """The last mention (or subject mention) strictly before ``pos``."""
        ps = self.subject_positions if subject else self.positions
        i = bisect.bisect_left(ps, pos)
        return ps[i - 1] if i else None
    gender: str | None = None  # 'm', 'f' or None
    gender_source: str | None = None  # what said so: 'title', 'pronoun' or 'name'
    _name: tuple[int, str] = (0, "")  # (number of forms it was computed from, name)
    keys: set[str] = field(default_factory=set)  # " name " lower-cased, for containment tests

    quoted: set[str] = field(default_factory=set)  # forms seen only inside quotation marks
    first_seen: int = -1  # char offset of the first mention outside quotes

    def add_form(self, form: str, quoted: bool = False) -> None:
        """One more way the article writes this name. Each way is kept once: the name and
        the aliases depend only on which ways occur, in what order and whether only inside
        quotation marks; a list that grew with every mention made each recomputed name
        cost more (quadratic time)."""
        if quoted and form not in self.forms:
            self.quoted.add(form)
            self._name = (-1, "")
        elif not quoted and form in self.quoted:
            self.quoted.discard(form)
            self._name = (-1, "")
        if form not in self.forms:
            self.forms.append(form)
            self.keys.add(f" {clean_name(form).lower()} ")

    @property
    def name(self) -> str:
        """The fullest form the narrative uses: most words once titles are stripped,
        first used wins ties. Forms written only inside someone's quoted words
        ("Crooked Hillary Clinton") count only when there are no others."""
        if self._name[0] != len(self.forms):
            names = [clean_name(f) for f in self.forms if f not in self.quoted] or [clean_name(f) for f in self.forms]
            best = max(names, key=lambda n: (len(n.split()), -names.index(n))) if names else ""
            self._name = (len(self.forms), best)
        return self._name[1]

    def aliases(self) -> list[str]:
        seen, out = {self.name.lower()}, []
        for f in self.forms:
            for a in (clean_name(f, strip_titles=False), clean_name(f)):
                if a and a.lower() not in seen:
                    seen.add(a.lower())
                    out.append(a)
        return out


class Resolver:
    """Clusters of the article's people and organisations, and mention resolution."""

    def __init__(self, doc: Doc, inside: bytearray | None = None):
        self.doc = doc
        self.inside = inside or bytearray(len(doc))  # tokens within quotation marks
        self.clusters: list[Cluster] = []
        self._by_surname: dict[str, list[int]] = {}
        self._orgs: list[int] = []
        self._org_key: dict[str, int] = {}  # cache of _org_for answers that found a cluster
        self._gender_votes: dict[int, list[int]] = {}  # cluster -> [he/his/him, she/her] counts
        self._org_words = {t.lower_ for e in doc.ents if e.label_ in ("ORG", "GPE", "NORP", "FAC")
                           for t in e if t.is_alpha and t.lower_ not in ("the", "of", "and")}
        persons = [e for e in doc.ents if e.label_ == "PERSON"]
        self._person_ents = persons
        self._described_by: dict[str, list[Span]] | None = None
        self._role_words_of: dict[int, set[str]] = {}  # a name's offset -> its role words
        self._person_at = {e.start_char: e for e in persons}
        self._org_words -= {e[-1].lower_ for e in persons}
        surnames = {surname(clean_name(e.text)) for e in persons if clean_name(e.text)}
        for ent in doc.ents:
            name = clean_name(ent.text)
            personal = MALE_TITLES | FEMALE_TITLES | {"dr", "prof", "professor"}
            titled = self._title_before(ent) in personal or ent[0].lower_.rstrip(".") in personal
            if ent.label_ == "PERSON" or titled and ent.label_ == "ORG" and 1 < len(name.split()) <= 3 \
                    or (ent.label_ in ("ORG", "NORP", "GPE") and name
                                          and surname(name) in surnames
                                          and len(name.split()) <= 3 and not _org_head(ent)):
                idx = self._add_person(ent)
                if idx is not None and ent.label_ == "PERSON":
                    self._vote_gender(idx, ent)
                    self._gender_from_predicate(idx, ent)
            elif ent.label_ == "ORG" and _office_then_name(ent):
                self._add_person(ent[_office_place_words(ent):])  # "envoy to Ukraine Kurt Volker": Kurt Volker
            elif ent.label_ == "ORG":
                self._add_org(ent.text, ent.start_char, self._is_subject(ent.root))
        # organisations and groups that act as subjects: "the ministry said"
        for tok in doc:
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.lower_ in ORG_HEADS and not self.inside[tok.i] \
                    and tok.tag_ in ("NN", "NNS", "NNP", "NNPS") and not tok.ent_type_:
                np = noun_phrase(tok)
                if np[0].lower_ in ("a", "an", "another", "one") or _speaks_for_named(tok) or _people_unnamed(np):
                    continue
                if np[0].lower_ == "the" and len(np) <= 3 and self._recent_org_with(tok.lower_, np.start_char) is not None:
                    continue
                self._add_org(np.text, np.start_char, True)
        self._positions_of: dict[str, list[int]] = {}
        for tok in doc:
            if tok.is_title:
                self._positions_of.setdefault(tok.text, []).append(tok.i)
        for idx, (m, f) in self._gender_votes.items():
            c = self.clusters[idx]
            if c.gender is None and bool(m) != bool(f):
                c.gender, c.gender_source = ("m" if m else "f"), "pronoun"
        for c in self.clusters:
            if c.kind == PERSON:
                self._complete_name(c)
                if c.gender is None and " " not in c.name and gender_of_given_name(c.name):
                    # named by a first name alone all through ("Melanie", "Kevin"): the name says
                    c.gender, c.gender_source = gender_of_given_name(c.name), "name"

    def _gender_from_predicate(self, idx: int, ent: Span) -> None:
        """'Omar is one of the first two Muslim women elected to Congress', 'Lee is a
        father of three', 'Ivanka Trump, the nominee's eldest daughter,': a noun said of
        the person tells their sex, as a title would."""
        c, root = self.clusters[idx], ent.root
        if c.gender is not None or self.inside[root.i]:
            return
        said = [t for t in root.children if t.dep_ == "appos" and t.i > root.i and not t.ent_type_]
        if root.dep_ == "nsubj" and root.head.lower_ in ("is", "was", "be", "been", "\u2019s", "'s"):
            said += [t for t in root.head.children if t.dep_ == "attr"]
        for attr in said:
            if attr.lower_ == "one":  # "one of the first women"
                attr = next((g for p in attr.children if p.dep_ == "prep" and p.lower_ == "of"
                             for g in p.children if g.dep_ == "pobj"), attr)
            noun = _singular(attr.lower_)
            if noun.endswith(("man", "woman")) and noun not in ("man", "woman"):
                continue  # an office ("Mary Barra is chairman") says little of who holds it
            gender = _noun_gender(noun)
            if gender:
                c.gender, c.gender_source = gender, "title"
                return

    def _vote_gender(self, idx: int, ent: Span) -> None:
        """'Montoya-Lewis said she …', 'Grady and her union': a gendered pronoun later in
        the sentence where a person is the only one named, outside quotes, says their gender."""
        if not self.doc.has_annotation("SENT_START"):
            return
        sent = ent.sent
        if self.inside[ent.start] or any(t.ent_iob_ == "B" and t.ent_type_ == "PERSON" and t.i != ent.start
                                         for t in sent):  # (sent.ents would scan every entity of the doc)
            return
        votes = self._gender_votes.setdefault(idx, [0, 0])
        for tok in self.doc[ent.end : sent.end]:
            if not self.inside[tok.i]:
                votes[0] += tok.lower_ in ("he", "his", "him", "himself")
                votes[1] += tok.lower_ in ("she", "her", "hers", "herself")

    def _is_subject(self, tok) -> bool:
        """The subject of a main clause: who the story is about at that point ("Figgins
        declined to say whether Thomas slept on the night Epstein died": Figgins)."""
        if self.inside[tok.i]:
            return False
        if tok.dep_ == "compound" and tok.head.dep_ == "ROOT" and tok.head.tag_ in ("VBZ", "VBD") \
                and tok.head.i > tok.i:
            return True  # the parser took the verb for a noun the name qualifies: "Scott bristles at …"
        if tok.dep_ not in ("nsubj", "nsubjpass"):
            return False
        verb = tok.head
        while verb.dep_ == "conj" and verb.head.i != verb.i:
            verb = verb.head
        return verb.dep_ == "ROOT" or verb.dep_ == "ccomp" and verb.head.dep_ == "ROOT" and verb.head.i > verb.i

    def _complete_name(self, c: Cluster) -> None:
        """A person the model only found by surname: take the given names written
        before that surname elsewhere ("Zach Parise" where only "Parise" was tagged)."""
        words = c.name.split()
        if len(words) > 2 or len(words) == 2 and is_first_name(words[0]):
            return  # (a given name is there: a capital before it is a role, "Rival Hillary Clinton")
        for i in self._positions_of.get(words[0], ()):
            tok = self.doc[i]
            if tok.i == 0 or self.inside[tok.i] or self.doc[tok.i : tok.i + len(words)].text != c.name:
                continue  # (inside quotes a word before a name may be an epithet: "Crooked Hillary")
            lo = tok.i
            while lo > 0 and self.doc[lo - 1].tag_ == "NNP" and self.doc[lo - 1].is_title \
                    and self.doc[lo - 1].lower_.rstrip(".") not in TITLES \
                    and self.doc[lo - 1].lower_ not in self._org_words and tok.i - lo < (3 - len(words)):
                lo -= 1
            fuller = self.doc[lo : tok.i + len(words)].text
            if lo < tok.i and not _known_other_gender(c, gender_of_first_name(fuller)):
                c.add_form(fuller)  # (not "Michelle Obama" for "Mr. Obama")
                return

    # -- building -----------------------------------------------------------------
    def _title_before(self, ent: Span) -> str | None:
        i = ent.start - 1
        if i >= 0 and self.doc[i].lower_.rstrip(".") in TITLES:
            return self.doc[i].lower_.rstrip(".")
        return None

    def _add_person(self, ent: Span) -> int | None:
        if ent.end < len(self.doc) and self.doc[ent.end].text in _SUFFIXES:
            ent = self.doc[ent.start : ent.end + 1]
        name = self._without_office(clean_name(ent.text))
        if not name or not any(c.isalpha() for c in name):
            return None
        family = surname(name)
        title = self._title_before(ent)
        first_word = ent.text.split()[0].lower().rstrip(".")
        title = title or (first_word if first_word in TITLES else None)
        idx = self._person_for(name, ent.start_char, create=True, gender=_gender_of(title))
        assert idx is not None  # create=True always gives a cluster
        c = self.clusters[idx]
        c.add_form((title.capitalize() + " " if title and title in MALE_TITLES | FEMALE_TITLES else "") + name,
                   quoted=bool(self.inside[ent.start]))
        if not self.inside[ent.start]:
            c.mentioned(ent.start_char, subject=self._is_subject(ent.root))
        if c.gender is None and _gender_of(title):
            c.gender, c.gender_source = _gender_of(title), "title"
        elif c.gender is None and gender_of_first_name(name):
            c.gender, c.gender_source = gender_of_first_name(name), "name"
        self._by_surname.setdefault(family, [])
        if idx not in self._by_surname[family]:
            self._by_surname[family].append(idx)
        return idx

    def _person_for(self, name: str, pos: int, create: bool, gender: str | None = None) -> int | None:
        """The cluster for a person's name: same surname and compatible given names; a
        title's gender ("Mr Harrow") tells apart two people who share a surname."""
        words = name.split()
        family = surname(name)
        candidates = self._by_surname.get(family, [])
        gender = gender or gender_of_first_name(name)  # from a title ("Ms. Kovner") or a first name
        if gender:  # a man is not the woman who shares his surname ("Michelle Obama", "Mr. Obama")
            candidates = [i for i in candidates if not self._other_gender(i, gender)]
        best = None
        for idx in candidates:
            full = self.clusters[idx].name.split()
            if (len(words) == 1 or len(full) == 1 or _given_names(full) & _given_names(words)
                    or full[0][0].lower() == words[0][0].lower()):
                best = idx if best is None or self._owns_surname(idx, best, pos, len(words) == 1) else best
        if best is None and len(words) == 1:
            # "Obama" when the article said "Barack Obama" under another surname key? no:
            # a one-word name may be a first name of someone known ("Dan").
            for idx, c in enumerate(self.clusters):
                if c.kind == PERSON and c.name.split()[0].lower() == family and len(c.name.split()) > 1:
                    best = idx
        if best is None and create:
            self.clusters.append(Cluster(PERSON))
            best = len(self.clusters) - 1
        return best

    def _apart(self, a: int, b: int) -> bool:
        """Two people a title or a first name says are of different genders."""
        ca = self.clusters[a]
        return ca.gender is not None and ca.gender_source != "pronoun" and self._other_gender(b, ca.gender)

    def _other_gender(self, idx: int, gender: str) -> bool:
        return _known_other_gender(self.clusters[idx], gender)

    def _owns_surname(self, a: int, b: int, pos: int, bare: bool) -> bool:
        """Whether cluster ``a`` rather than ``b`` is meant by a name they both fit. A
        bare surname goes to the one who was lately the subject of a clause (the story
        is about them here), else to the one the article introduced first: news writing
        names the principal by surname and a relative by given name ("Ted Cruz … a
        photo of Heidi Cruz … Cruz said"). A fuller name goes to the latest mentioned."""
        if bare:
            ca, cb = self.clusters[a], self.clusters[b]
            if ca.mentioned_at(pos) != cb.mentioned_at(pos):
                return ca.mentioned_at(pos)  # the entity pass already placed this very mention
            sa, sb = ca.last_before(pos, subject=True), cb.last_before(pos, subject=True)
            ra, rb = sa is not None and pos - sa < SALIENT_CHARS, sb is not None and pos - sb < SALIENT_CHARS
            if ra != rb:
                return ra
            if sa is not None and sb is not None and ra and rb:
                return sa > sb
            if ca.first_seen >= 0 and cb.first_seen >= 0:
                return ca.first_seen < cb.first_seen
        return self._last_pos(a, pos) > self._last_pos(b, pos)

    def _without_office(self, name: str) -> str:
        """A name without the end of an office the model took into it: "Finance Brian
        Manning" (of "Ministry of Finance"), "Ukraine Kurt Volker" (of "envoy to Ukraine")."""
        words = name.split()
        while len(words) > 2 and words[0].lower() in self._org_words:
            words = words[1:]
        if len(words) == 2 and words[0].lower() in self._org_words and not is_first_name(words[0]) \
                and words[1].lower() in self._by_surname:
            words = words[1:]  # "(Washington) Post Trump said": the known surname alone
        while len(words) > 2 and not is_first_name(words[0]) and is_first_name(words[1]):
            words = words[1:]  # a role before a given name: "Rival Hillary Clinton", "Spokeswoman Jessica Ditto"
        return " ".join(words)

    def _person_mention(self, name: str, pos: int, gender: str | None = None) -> int | None:
        """The cluster for a person named in a speaker mention, remembering the form."""
        name = self._without_office(name)
        idx = self._person_for(name, pos, create=True, gender=gender)
        assert idx is not None  # create=True always gives a cluster
        c = self.clusters[idx]
        if name not in c.forms:
            c.add_form(name)
            self._by_surname.setdefault(surname(name), [])
            if idx not in self._by_surname[surname(name)]:
                self._by_surname[surname(name)].append(idx)
        return idx

    def _last_pos(self, idx: int, before: int) -> int:
        last = self.clusters[idx].last_before(before + 1)
        return -1 if last is None else last

    def _add_org(self, text: str, pos: int, subject: bool) -> int | None:
        name = _without_lead_words(clean_name(text))
        if not name or not any(c.isalpha() for c in name):
            return None
        idx = self._org_for(name)
        if idx is None:
            self.clusters.append(Cluster(ORG))
            idx = len(self.clusters) - 1
            self._orgs.append(idx)
        c = self.clusters[idx]
        c.add_form(name)
        tok = self.doc.char_span(pos, pos + 1, alignment_mode="expand")
        if tok is None or not self.inside[tok.start]:
            c.mentioned(pos, subject=subject)
        return idx

    def _org_for(self, name: str) -> int | None:
        """The organisation one of whose forms contains this name, or whose name is
        contained in it, word for word ("Tottenham" and "Tottenham Hotspur"). A shorter
        form alone inside a longer name is not enough: "Homeland Security" (of the
        Department of Homeland Security) is in "Homeland Security Investigations", another body."""
        low = f" {name.lower()} "
        if low in self._org_key:
            return self._org_key[low]
        for idx in self._orgs:
            c = self.clusters[idx]
            if f" {c.name.lower()} " in low or any(low in other for other in c.keys):
                self._org_key[low] = idx
                return idx
        return None

    # -- resolving ----------------------------------------------------------------
    def resolve(self, mention: Span, follow_appos: bool = True) -> tuple[int | None, str]:
        """The cluster a speaker mention refers to (creating one for a new name or
        group), or None, with the name of the resolution rule that decided it."""
        for rule in RESOLUTION_RULES:
            if not follow_appos and rule in _FOLLOWING:
                continue
            idx = getattr(self, rule)(mention)
            if idx is not None:
                return (None if idx == UNNAMED else idx), rule
        return None, "unresolved"

    # -- resolution rules: each returns a cluster, UNNAMED (decided: nobody named), or
    #    None (not for this rule) ----------------------------------------------------
    def relative_pronoun(self, mention: Span) -> int | None:
        """'the Chicago Police Department, which reported "…"', 'Smith, who said "…"': the
        noun phrase the relative clause belongs to."""
        head = mention.root
        if len(mention) != 1 or head.tag_ not in ("WP", "WDT"):
            return None
        if head.head.dep_ == "relcl":
            owner = head.head.head
        else:  # (the parser may hang the clause elsewhere: the noun right before is meant)
            i = head.i - 1 - (head.i > 0 and self.doc[head.i - 1].text == ",")
            owner = self.doc[i] if i >= 0 else head
        if owner.i == head.i or not owner.tag_.startswith("NN"):
            return None
        return _decided(self.resolve(noun_phrase(owner), follow_appos=False)[0])

    def pronoun(self, mention: Span) -> int | None:
        """'he', 'she': the most recent fitting person; 'they', 'it', 'we': a group."""
        head = mention.root
        if not (head.tag_ in ("PRP", "PRP$") or head.lower_ == "who"):
            return None
        # "his claim that …", "their letter": the owner, as the pronoun would be
        low, pos = POSSESSIVE_PRONOUNS.get(head.lower_, head.lower_), mention.start_char
        if low in MALE_PRONOUNS | FEMALE_PRONOUNS:
            gender = "m" if low in MALE_PRONOUNS else "f"
            found = self._subject_above(mention, gender)
            if found is None:
                found = self._introduced_before(mention, gender)
            if found is None:
                found = self._only_one_before(mention, gender)
            if found is None:
                found = self._recent(pos, PERSON, gender)
        elif low == "they" and (pair := self._people_named_together(mention)) is not None:
            found = pair
        elif low in ("they", "it", "we"):
            found = self._recent(pos, ORG, None)  # one named person is "he" or "she"
        else:
            found = None
        return UNNAMED if found is None else found

    def document_owner(self, mention: Span) -> int | None:
        """"Hoff's letter", "the NRA's statement": whose words the text carries."""
        owner = words_owner(mention.root)
        if owner is None:
            return None
        return _decided(self.resolve(noun_phrase(owner), follow_appos=False)[0])

    def apposition(self, mention: Span) -> int | None:
        """"The treasurer, Mr James Calder, warned …": the apposition names them."""
        head = mention.root
        if head.ent_type_:
            return None
        for child in _appositions(head):
            label = entity_of(child) if child.ent_type_ == "ORG" else None
            if label is not None and _PARTY_LABEL.match(label.text):
                # "state Del. Jane Roe (D-Newport)": the parser may hang the name on the party
                # label in brackets, which names no one; the person is the one before it
                person = next((t for t in child.subtree if t.ent_type_ == "PERSON" and t.i < child.i), None)
                if person is None:
                    continue
                child = person
            if child.ent_type_ in ("PERSON", "ORG"):
                return _decided(self.resolve(noun_phrase(child), follow_appos=False)[0])
        return None

    def spokesperson(self, mention: Span) -> int | None:
        """"a spokesperson for Sheffield University", "officials at Homeland Security
        Investigations": the organisation speaks; with none given, nobody is named."""
        head = mention.root
        if head.lower_ not in ENVOYS:
            return None
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("for", "of", "at", "from", "with"):
                obj = next((g for g in child.children if g.dep_ == "pobj"), None)
                if obj is not None:
                    return _decided(self._org_like(noun_phrase(obj), mention.start_char))
        return UNNAMED

    def document(self, mention: Span) -> int | None:
        """"the report", "FBI notes", "a filing": a writing speaks for whoever made it —
        an owner named in the phrase ("the IMF report", "a memo from the agency"), else
        the owner given where the article first spoke of it ("a Times article … the
        article read"). A writing whose owner the article does not give names nobody."""
        head = mention.root
        if head.lower_ not in DOCUMENTS or head.ent_type_ or head.tag_ not in ("NN", "NNS"):
            return None
        found = self._document_owner(head, mention.start)
        if found is None:
            found = self._made_by(head)  # "Clinton made a comment that described …"
        if found is not None:
            return found
        if mention[0].lower_ in ("the", "this", "that", "its", "their", "his", "her"):
            earlier = self._earlier_word(head)
            if earlier is not None:
                found = self._document_owner(earlier, earlier.left_edge.i)
                if found is None:
                    found = self._made_by(earlier)
                if found is not None:
                    return found
            if earlier is None:
                found = self._maker_before(head)
                if found is not None:
                    return found
        return UNNAMED

    def _maker_before(self, head) -> int | None:
        """Who last made a writing of this kind, in a narrative clause not far back: the
        subject of the verb the noun is named from ("The appeals court ruled … said the
        ruling") or of a verb taking another word for the same writing ("Mariano wrote a
        memoir … the book said")."""
        low = head.lower_
        kind = next((k for k in DOCUMENT_KINDS if low in k), frozenset({low}))
        for tok in reversed(self.doc[max(0, head.i - 400) : head.i]):
            if self.inside[tok.i]:
                continue
            if tok.tag_.startswith("VB") and tok.lower_ in MADE_BY_FORMS.get(low, ()):
                return self._subject_of(tok)
            if tok.lower_ in kind:
                return self._made_by(tok)
        return None

    def _made_by(self, writing) -> int | None:
        """Who made a writing that is the object of a verb ("Mariano wrote a memoir",
        "the letter was sent by …" aside): the verb's subject, if outside quotes."""
        if writing.dep_ not in ("dobj", "nsubjpass") or not writing.head.tag_.startswith("VB"):
            return None
        return self._subject_of(writing.head)

    def _subject_of(self, verb) -> int | None:
        subj = _subject(verb)
        if subj is None or self.inside[subj.i] or subj.lower_ in DOCUMENTS or subj.tag_ == "PRP":
            return None
        return _decided(self.resolve(noun_phrase(subj), follow_appos=False)[0])

    def _document_owner(self, head, lo: int) -> int | None:
        """The maker of a writing named in its own phrase: a possessor or a name before
        the noun ("the Trump campaign's website", "a Homeland Security memo"), or "by",
        "from", "of" a maker after it."""
        for child in head.children:
            if child.dep_ == "poss" and child.tag_ not in ("PRP$",):
                return _decided(self.resolve(noun_phrase(child), follow_appos=False)[0])
            if child.dep_ == "poss":  # "his letter": whoever "his" is
                return _decided(self.resolve(self.doc[child.i : child.i + 1], follow_appos=False)[0])
        for tok in self.doc[lo : head.i]:
            if tok.ent_type_ in ("ORG", "PERSON", "GPE", "NORP") and not self.inside[tok.i]:
                ent = entity_of(tok)
                if ent is not None and ent.end <= head.i:
                    return _decided(self.resolve(ent, follow_appos=False)[0])
        made = [g for c in head.children if c.dep_ == "acl" and c.tag_ == "VBN" for g in c.children]
        for child in [*head.children, *made]:  # "a complaint filed by the SEC"
            if child.dep_ in ("prep", "agent") and child.lower_ in ("by", "from", "of", "on"):
                obj = next((g for g in child.children if g.dep_ == "pobj"), None)
                if obj is not None and (obj.ent_type_ or obj.tag_ in ("NNP", "NNPS") or obj.lower_ in DOCUMENTS):
                    return _decided(self.resolve(noun_phrase(obj), follow_appos=False)[0])
        return None

    def _earlier_word(self, head):
        """The last use of the same noun before ``head``, outside quotes, not too far back."""
        for tok in reversed(self.doc[max(0, head.i - 800) : head.i]):
            if tok.lower_ == head.lower_ and not self.inside[tok.i]:
                return tok
        return None

    def unnamed_group(self, mention: Span) -> int | None:
        """People the article does not name: a group ("Democrats", "some Republicans",
        "their attorneys", "critics"), a share of people ("63 percent"), or one
        person brought in with an indefinite article ("a senior aide", "one voter")."""
        head = mention.root
        low = head.lower_
        if head.ent_type_ == "NORP" and head.tag_ in ("NNPS", "NNS", "NNP") and not _org_head(mention):
            return UNNAMED
        if head.ent_type_ in ("PERSON", "ORG", "GPE") or head.tag_ in ("NNP", "NNPS", "PRP"):
            return None
        if low in ("percent", "%") or head.like_num or any(c.dep_ == "nummod" for c in head.children):
            return UNNAMED
        if head.tag_ not in ("NN", "NNS"):
            return None
        if low in GROUP_NOUNS and not any(c.dep_ == "poss" for c in head.children):
            return UNNAMED  # "Clinton supporters", "Trump aides": a group named after someone, not them
        if self._named_in(mention):
            return None  # "the Ruritanian Ministry's officials": a name is there
        if mention[0].lower_ in ("a", "an", "one", "another", "some", "several", "many", "most", "few"):
            return UNNAMED
        if head.tag_ == "NNS" and low not in ORG_HEADS:
            return UNNAMED
        return None

    def possessed_description(self, mention: Span) -> int | None:
        """Someone described by their relation to a named one: "Scott's family" (a group:
        nobody named), "Obama's former campaign strategist" (the person the article
        described so, else the one the story was lately about, never the possessor)."""
        head = mention.root
        if head.ent_type_ or head.tag_ not in ("NN", "NNS"):
            return None
        poss = next((c for c in head.children if c.dep_ == "poss"), None)
        if poss is None or not (poss.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or poss.tag_ in ("NNP", "NNPS")):
            return None
        low = head.lower_
        if low in ORG_HEADS or low in DOCUMENTS:
            return None  # "Trump's campaign", "Hoff's letter": the organisation and document rules
        if head.tag_ == "NNS" or low in GROUP_NOUNS:
            return UNNAMED
        described = self._described(low, mention.start_char)
        if described is not None:
            return described
        name = clean_name(noun_phrase(poss).text)
        owner = self._person_for(name, mention.start_char, create=False) if name else None
        # an epithet of the one just spoken of, as subject of that sentence or of the one
        # before; after anything else (a time stamp in a live blog) someone new, unnamed
        sent = mention[0].sent
        before = self._narrative_sentence_before(sent) if self.doc.has_annotation("SENT_START") else None
        since = (before or sent).start_char
        return _decided(self._salient_person(mention.start_char, _noun_gender(low), exclude=owner, since=since))

    def _salient_person(self, pos: int, gender: str | None, exclude: int | None = None,
                        since: int = 0) -> int | None:
        """The person most lately the subject of a clause, not long before ``pos`` (nor
        before ``since``)."""
        best, best_pos = None, -1
        for idx, c in enumerate(self.clusters):
            if c.kind != PERSON or idx == exclude or (gender and c.gender and c.gender != gender):
                continue
            last = c.last_before(pos, subject=True)
            if last is not None and pos - last < SALIENT_CHARS and last >= since and last > best_pos:
                best, best_pos = idx, last
        return best

    def office_then_name(self, mention: Span) -> int | None:
        """"Minister in the Ministry of Finance Brian Manning": a name after an office."""
        ents = self._named_in(mention)
        if not ents or ents[-1].label_ == "PERSON":
            return None
        words = clean_name(ents[-1].text).split()
        if len(words) >= 4 and words[-2][:1].isupper() and words[-1][:1].isupper() \
                and (words[-1].lower() in self._by_surname or words[-3].lower() in ORG_HEADS | _MINISTRY_WORDS) \
                and not {w.lower() for w in words[-2:]} & ORG_HEADS:
            return self._person_mention(" ".join(words[-2:]), mention.start_char)
        return None

    def person_name(self, mention: Span) -> int | None:
        """A person's name, with or without a title: their cluster by surname."""
        head = mention.root
        ents = self._named_in(mention)
        person = next((e for e in ents if e.label_ == "PERSON"), None)
        if person is None and len(ents) == 1 and not _org_head(mention) and not _is_country_or_state(ents[0]):
            words = clean_name(ents[0].text).split()
            if words and surname(" ".join(words)) in self._by_surname and len(words) <= 3:
                person = ents[0]  # a known surname the model took for an organisation
        if person is None or not (head.ent_type_ == "PERSON" or len(ents) == 1 and not _org_head(mention)):
            return None
        title = mention[0].lower_.rstrip(".") if mention[0].i < person.start else self._title_before(person)
        if title is None and person[0].lower_.rstrip(".") in TITLES:
            title = person[0].lower_.rstrip(".")  # the model took the title in: "Ms Harrow"
        name = clean_name(person.text)
        return self._person_mention(name, mention.start_char, _gender_of(title)) if name else UNNAMED

    def org_name(self, mention: Span) -> int | None:
        """An organisation, a country or a group named by the model."""
        head = mention.root
        if head.ent_type_ not in ("ORG", "GPE", "NORP") or _org_head(mention):
            return None
        org = next((e for e in self._named_in(mention) if e.start <= head.i < e.end), None)
        if org is None:
            return None
        if org.label_ in ("GPE", "NORP"):
            return self._add_org(mention.text, mention.start_char, True)
        known = self._org_for(clean_name(org.text))
        return known if known is not None else self._add_org(org.text, mention.start_char, True)

    def proper_name(self, mention: Span) -> int | None:
        """A capitalised phrase the model did not tag: an office, or a person by surname."""
        head = mention.root
        if head.tag_ not in ("NNP", "NNPS") or _org_head(mention):
            return None
        pos = mention.start_char
        name = clean_name(mention.text)
        if len(name.split()) >= 4 and mention[0].lower_ == "the":
            # "The United Nations High Commissioner for Human Rights": an office speaks
            return self._add_org(mention.text, pos, True)
        known = self._person_for(name, pos, create=False)
        if known is not None:
            return known
        if 1 < len(name.split()) <= 3 and all(w[:1].isupper() for w in name.split()):
            return self._person_mention(name, pos)
        return None

    def org_description(self, mention: Span) -> int | None:
        """"the ministry", "the newspaper": the organisation of that kind named before;
        "a group", "officials" with none of their kind named: nobody is named."""
        if not _org_head(mention):
            return None
        determiner = mention[0].lower_
        head = mention.root
        if determiner in ("a", "an", "one", "another", "some", "several", "two", "three"):
            return UNNAMED
        if len(mention) <= 3:
            recent = self._recent_org_with(head.lower_, mention.start_char)
            if recent is not None:
                return recent
            if head.tag_ == "NNS" and determiner in ("their", "his", "her", "its", "our"):
                return UNNAMED  # "their attorneys": people not named (but "prosecutors" act for an office)
        elif _people_unnamed(mention):
            return UNNAMED  # "attorneys for the family": people described, none named
        return self._add_org(mention.text, mention.start_char, True)

    def role_description(self, mention: Span) -> int | None:
        """"the former mayor": the person the article described with that role."""
        head = mention.root
        if head.tag_ == "NN" and mention[0].lower_ not in ("a", "an", "one", "another"):
            qualifiers = {t.lower_ for t in mention if t.i != head.i and t.is_alpha and t.tag_ in _ROLE_TAGS
                          and t.tag_ not in ("DT", "IN", "POS")}
            return self._described(head.lower_, mention.start_char, qualifiers)
        return None

    def definite_description(self, mention: Span) -> int | None:
        """"the 56-year-old", "the senator": the most recent person."""
        head = mention.root
        if mention[0].lower_ in ("the", "this", "that") and head.tag_ in ("NN", "NNP") or head.like_num \
                or "-year-old" in mention.text:
            return _decided(self._recent(mention.start_char, PERSON, _noun_gender(head.lower_)))
        return None

    def surname_word(self, mention: Span) -> int | None:
        """One capitalised word the tagger did not take for a name, yet it says the
        words: a surname ('"…," Schwartzman said'), known or new."""
        head = mention.root
        if len(mention) == 1 and head.is_title and head.tag_ != "NNS" and head.lower_ not in ORG_HEADS | TITLES:
            known = self._person_for(head.text, mention.start_char, create=False)
            return known if known is not None else self._person_mention(head.text, mention.start_char)
        return None

    def _named_in(self, mention: Span) -> list[Span]:
        return [e for e in _entities_in(mention) if e.label_ in ("PERSON", "ORG", "NORP", "GPE")]

    def _org_like(self, np: Span, pos: int) -> int | None:
        name = clean_name(np.text)
        if not name:
            return None
        known = self._org_for(name)
        return known if known is not None else self._add_org(np.text, pos, True)

    def _described(self, role: str, pos: int, qualifiers: AbstractSet[str] = frozenset()) -> int | None:
        """The person an article described with this role word ("former New York Mayor
        Michael Bloomberg" for "the former mayor"). The words that qualify the role choose
        among those described with it: "the Republican nominee" is the one described as
        "Republican presidential nominee", not the nearer "Democratic vice presidential
        nominee"; with none shared, the one described before and nearest."""
        if self._described_by is None:  # role word -> the people it describes, in text order
            self._described_by = {}
            for ent in self._person_ents:
                words = _role_words(self.doc, ent)
                self._role_words_of[ent.start_char] = words
                for word in words:
                    self._described_by.setdefault(word, []).append(ent)
        best, best_key = None, None
        for ent in self._described_by.get(role, ()):
            if ent.start_char == pos:
                continue
            shared = len(qualifiers & self._role_words_of[ent.start_char])
            idx = self._person_for(clean_name(ent.text), ent.start_char, create=False) if clean_name(ent.text) else None
            key = (shared, ent.start_char < pos, -abs(pos - ent.start_char))  # most alike, before, nearest
            if idx is not None and (best_key is None or key > best_key):
                best, best_key = idx, key
        return best

    def _introduced_before(self, mention: Span, gender: str) -> int | None:
        """'he' or 'she' right after a sentence that brings a new person in is that
        person: news writing introduces a speaker, then quotes them ("… which concerns
        Henry Crespo, president of the caucus. ¶ '…,' he said"). Otherwise the one the
        story is about stays the speaker (None here)."""
        if not self.doc.has_annotation("SENT_START"):
            return None
        pos = mention.start_char
        sent = mention[0].sent
        lo = sent.start_char
        if not self._names_someone_before(mention):
            before = self._narrative_sentence_before(sent)
            if before is None:
                return None
            lo = before.start_char
        best, best_first = None, -1
        for idx, c in enumerate(self.clusters):
            if c.kind == PERSON and lo <= c.first_seen < pos and c.gender == gender \
                    and c.first_seen > best_first and self._introduced_with_role(c.first_seen):
                best, best_first = idx, c.first_seen
        for idx, c in enumerate(self.clusters):
            subj = c.last_before(pos, subject=True)
            if idx != best and c.kind == PERSON and subj is not None and subj >= lo and c.gender in (None, gender):
                return None  # someone else is the subject there: the story stays with them
        if best is not None:
            own = surname(self.clusters[best].name)
            at = self.doc.char_span(lo, lo + 1, alignment_mode="expand")
            for t in self.doc[at.start if at is not None else mention.start : mention.start]:
                if not t.ent_type_ and self._is_subject(t) and t.lower_ in self._by_surname and t.lower_ != own:
                    return None  # (a known surname the model did not tag, as subject: "Ham made it clear")
        return best

    def _subject_above(self, mention: Span, gender: str) -> int | None:
        """'Flynn said Trump was right when he said …': "he" in a clause that hangs from a
        clause of the same sentence whose subject is a person who fits is that person, the
        nearest such one up the sentence (the reporter, "Flynn", is further up)."""
        verb = mention.root.head
        for _ in range(6):
            if verb.dep_ not in ("advcl", "ccomp", "conj", "xcomp") or verb.head.i == verb.i:
                return None
            verb = verb.head
            subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is None or subj.i > mention.start or self.inside[subj.i]:
                continue
            if subj.ent_type_ != "PERSON":
                return None  # (a pronoun or a thing: the usual rules decide)
            ent = entity_of(subj)
            name = clean_name(ent.text) if ent is not None else ""
            idx = self._person_for(name, subj.idx, create=False) if name else None
            if idx is None or self.clusters[idx].gender not in (None, gender):
                return None
            return idx
        return None

    def _names_someone_before(self, mention: Span) -> bool:
        """Whether the mention's sentence names a person, outside quotes, before it."""
        sent = mention[0].sent
        return any(t.ent_type_ == "PERSON" and not self.inside[t.i] for t in self.doc[sent.start : mention.start])

    def _narrative_sentence_before(self, sent: Span) -> Span | None:
        """The last sentence before ``sent`` with words outside quotation marks (six back
        at most), else None."""
        for _ in range(6):
            if sent.start == 0:
                return None
            sent = self.doc[sent.start - 1].sent
            if any(not self.inside[t.i] and not t.is_punct for t in sent):
                return sent
        return None

    def _people_named_together(self, mention: Span) -> int | None:
        """'they' after a sentence that names two people joined ("Critics, like Senators
        Grassley and Leahy, see … They sent a letter … '…,' they wrote"): their joint
        words, credited to the first named, as a joint letter is. Back through sentences
        whose subject is "they" only; None where no such pair comes first."""
        if not self.doc.has_annotation("SENT_START"):
            return None
        sent = mention[0].sent
        for _ in range(3):
            before = self._narrative_sentence_before(sent)
            if before is None:
                return None
            for tok in before:
                # (the parser may hang the second on the first's apposition: "X, Republican of Y, and Z")
                joined = [*tok.children, *(g for c in tok.children if c.dep_ == "appos" for g in c.children)]
                if tok.ent_type_ == "PERSON" and not self.inside[tok.i] and any(
                        c.dep_ == "conj" and c.ent_type_ == "PERSON" for c in joined):
                    first = entity_of(tok)
                    return None if first is None else \
                        self._person_for(clean_name(first.text), first.start_char, create=False)
            if not any(t.lower_ == "they" and t.dep_ in ("nsubj", "nsubjpass") for t in before):
                return None
            sent = before
        return None

    def _only_one_before(self, mention: Span, gender: str) -> int | None:
        """'he' or 'she' in a sentence that names no one, after a sentence that names one
        person who fits and nobody else who could ("… with Hillary Clinton lambasting
        Trump's plan. ¶ '…,' she said"): that person, though someone else was the last
        subject ("… said Batchelder")."""
        if not self.doc.has_annotation("SENT_START"):
            return None
        if self._names_someone_before(mention):
            return None
        sent = self._narrative_sentence_before(mention[0].sent)
        if sent is None:
            return None
        fitting: set[int] = set()
        for idx, c in enumerate(self.clusters):
            if c.kind == PERSON and c.gender in (None, gender) and any(
                    sent.start_char <= p < sent.end_char for p in c.positions):
                fitting.add(idx)
        if len(fitting) != 1:
            return None
        [idx] = fitting
        c = self.clusters[idx]
        own = surname(c.name)
        for t in sent:
            if self.inside[t.i]:
                continue
            if t.is_title and t.lower_ != own and any(
                    self.clusters[other].gender in (None, gender) for other in self._by_surname.get(t.lower_, ())):
                return None  # another known person who could fit, whom the model did not tag here ("According to Ham")
            if t.lower_ == own and t.ent_type_ == "PERSON" and t.dep_ in ("poss", "compound") \
                    and t.head.ent_type_ != "PERSON":
                return None  # named only as someone's ("Obama's policies", "the Clinton campaign")
        return idx if c.gender == gender else None

    def _introduced_with_role(self, pos: int) -> bool:
        """The person named at ``pos`` is presented with who they are: an apposition
        ("Henry Crespo, president of …") or a role before the name ("pollster Daron Shaw")."""
        ent = self._person_at.get(pos)
        if ent is None:
            return False
        root = ent.root
        while root.dep_ in ("compound", "appos", "conj") and root.head.i != root.i:
            root = root.head
        verb = root.head.head if root.dep_ == "pobj" else root.head
        if root.dep_ in ("dobj", "dative", "pobj") and verb.lower_ in ADDRESSING_FORMS:
            return False  # who is spoken to ("told radio host Rusty Humphries") is not who speaks
        after = self.doc[ent.end : ent.end + 2]
        if len(after) == 2 and after[0].text == "," and after[1].tag_ in ("DT", "JJ", "NN", "PRP$", "NNP", "CD") \
                and not after[1].ent_type_ == "PERSON":
            return True
        return ent.start > 0 and self.doc[ent.start - 1].tag_ == "NN" and not self.inside[ent.start - 1]

    def _recent(self, pos: int, kind: str, gender: str | None, near: int = 4000) -> int | None:
        """The most recent fitting cluster before ``pos``; a clause subject wins over a
        mere mention when both are close."""
        best, best_key = None, None
        for idx, c in enumerate(self.clusters):
            if c.kind != kind or (gender and c.gender and c.gender != gender):
                continue
            last = c.last_before(pos)
            if last is None or pos - last > near:
                continue
            last_subj = c.last_before(pos, subject=True)
            last_subj = -1 if last_subj is None else last_subj
            key = (last_subj >= 0 and pos - last_subj < SALIENT_CHARS, last_subj if last_subj >= 0 else last, last)
            if best_key is None or key > best_key:
                best, best_key = idx, key
        return best

    def _recent_org_with(self, word: str, pos: int) -> int | None:
        """The organisation last mentioned before ``pos`` that ``word`` describes: one of
        its names holds the word ("the ministry": "Ministry of Fisheries"), or marks it
        as of that kind ("the newspaper": "The Washington Post")."""
        kind = ORG_KINDS.get(word, set())
        best, best_pos = None, -1
        for idx in self._orgs:
            c = self.clusters[idx]
            if any(word in f.lower().split() or kind & set(f.lower().replace(".", "").split()) for f in c.forms):
                last = c.last_before(pos)
                last = -1 if last is None else last
                if last > best_pos:
                    best, best_pos = idx, last
        return best

    def note(self, idx: int, mention: Span) -> None:
        """Record that cluster ``idx`` spoke through ``mention`` (it becomes the salient
        one); a definite description of an organisation is one of its names."""
        c = self.clusters[idx]
        c.mentioned(mention.start_char, subject=True)
        if c.kind == ORG and _org_head(mention) and mention.root.lower_ not in SPOKES \
                and mention[0].lower_ not in ("a", "an", "one", "another") and mention.text not in c.forms:
            c.add_form(mention.text)

    def merge_people(self) -> dict[int, int]:
        """Clusters that turned out to be one person ("Sasse" found before "Ben Sasse"
        was known): map each to the one with the fullest name, unless a title or a first
        name says they are a man and a woman ("Mr. Obama" and "Michelle Obama")."""
        out: dict[int, int] = {}
        by_family: dict[str, list[int]] = {}
        for i, c in enumerate(self.clusters):
            if c.kind == PERSON and c.name:
                by_family.setdefault(c.name.split()[-1], []).append(i)
        for people in by_family.values():
            for i in people:
                a = self.clusters[i].name.split()
                for j in people:
                    b = self.clusters[j].name.split()
                    if (i != j and len(b) > len(a) and b[-len(a):] == a or i > j and a == b) \
                            and not self._apart(i, j):
                        out[i] = out.get(j, j)
                        break
        return out

    def learn_gender(self, idx: int, pronoun: str) -> None:
        c = self.clusters[idx]
        if c.gender is None and pronoun in MALE_PRONOUNS | FEMALE_PRONOUNS:
            c.gender, c.gender_source = ("m" if pronoun in MALE_PRONOUNS else "f"), "pronoun"


def _office_then_name(ent: Span) -> bool:
    """A country at the end of an office, run together with the name after it: "(envoy)
    to Ukraine Kurt Volker", "(ambassador) to Israel David Friedman"."""
    return _office_place_words(ent) > 0


def _is_country_or_state(span: Span) -> bool:
    """"South Korea", "New Mexico": a country or state of several words, which is no
    person's name (one word may be: Rep. Steve Israel, Michael Jordan)."""
    place = gazetteer().lookup(span.text) if len(span) > 1 else None
    return place is not None and place.kind in ("country", "state")


def _office_place_words(ent: Span) -> int:
    """How many words at the start of ``ent`` are a country or state that ends an office
    before a name of two words or more ("to South Korea Harry B. Harris"), else 0."""
    if ent.start == 0 or ent.doc[ent.start - 1].lower_ not in ("to", "of", "for", "in"):
        return 0
    for k in range(len(ent) - 2, 0, -1):
        place = gazetteer().lookup(ent[:k].text)
        if place is not None and place.kind in ("country", "state") \
                and all(t.text[:1].isupper() and t.lower_ not in ORG_HEADS for t in ent[k:]):
            return k
    return 0


_PARTY_LABEL = re.compile(r"[DRI]-[A-Z]")  # a party and a state or district: "D-Md.", "R-Newport News"


def _appositions(head):
    """Names set beside a noun phrase: "The treasurer, Mr James Calder," and, after an
    office, "The leader of the party, Rachid Ghannouchi," (the parser hangs that name on
    "party"; after "the mother of the victim, Sarah Jones," the name is the victim's), or
    after an organisation ("his partner at Lenox, Ann Roe,")."""
    for child in head.children:
        if child.dep_ == "appos":
            yield child
        elif child.dep_ == "prep":
            for obj in child.children:
                if obj.dep_ != "pobj":
                    continue
                if child.lower_ == "of" and head.lower_ in OFFICES:
                    yield from (g for g in obj.children if g.dep_ == "appos" and g.i > obj.i)
                elif obj.ent_type_ in ("ORG", "GPE", "FAC", "NORP"):
                    # a person is not set beside an organisation: "his partner at Lenox, Ann
                    # Roe," is the partner's name, though the parser hangs it on "Lenox"
                    yield from (g for g in obj.children if g.dep_ == "appos" and g.i > obj.i
                                and g.ent_type_ == "PERSON")


def _role_words(doc: Doc, ent: Span) -> set[str]:
    """The words of the name's own noun phrase, lower-cased, that can say what the person
    is: before it as a title ("former New York Mayor Michael Bloomberg") or in an
    apposition after it ("Bloomberg, the former mayor"). Worked out once a name, so that
    finding who "the mayor" is does not scan every name of the article again."""
    words = set()
    i = ent.start - 1
    while i >= 0 and ent.start - i <= 6 and doc[i].tag_ in _ROLE_TAGS:
        words.add(doc[i].lower_)
        i -= 1
    j = ent.end
    if j < len(doc) and doc[j].text == ",":
        j += 1
        while j < len(doc) and j - ent.end <= 6 and doc[j].tag_ in _ROLE_TAGS:
            words.add(doc[j].lower_)
            j += 1
    return words


_ROLE_TAGS = ("NNP", "NNPS", "NN", "JJ", "DT", "POS", "HYPH", "CD", "IN")


_MINISTRY_WORDS = frozenset({"finance", "affairs", "justice", "defence", "defense", "health", "state"})

# The resolution rules, in order: the first that decides names the quote's speaker
# (or decides that nobody is named) and its name is the second half of the quote's rule.
RESOLUTION_RULES = ("relative_pronoun", "pronoun", "document_owner", "apposition", "document", "spokesperson", "unnamed_group",
                    "possessed_description", "office_then_name", "person_name", "org_name", "proper_name",
                    "org_description", "role_description", "definite_description", "surname_word")
_FOLLOWING = {"relative_pronoun", "document_owner", "apposition"}  # rules that resolve another phrase in turn
UNNAMED = -1  # a rule's answer: the mention names nobody ("a spokesman", "he" with no one before)


def _decided(idx: int | None) -> int:
    return UNNAMED if idx is None else idx


SPOKES = ENVOYS


def _singular(noun: str) -> str:
    """'women' → 'woman', 'congressmen' → 'congressman', 'actresses' → 'actress', 'mothers' → 'mother'."""
    if noun.endswith("men"):
        return noun[:-3] + "man"
    if noun.endswith("sses"):
        return noun[:-2]
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun


def _noun_gender(noun: str) -> str | None:
    return "m" if noun in MALE_NOUNS else "f" if noun in FEMALE_NOUNS else None


def _given_names(words: list[str]) -> set[str]:
    """The names a person goes by before the surname: the first, and a nickname in quotes
    ('Robert C. "Bobby" Scott' is Robert and Bobby)."""
    return {words[0].lower(), *(w.strip("\"'\u201c\u201d\u2018\u2019").lower() for w in words[1:-1]
                                if w[:1] in "\"'\u201c\u2018")}


def _known_other_gender(c: Cluster, gender: str | None) -> bool:
    """Whether ``c`` is known, from a title, a noun or a first name, to be of the other
    gender than ``gender`` (a gender read from nearby pronouns is only a guess)."""
    return gender is not None and c.gender is not None and c.gender != gender and c.gender_source != "pronoun"


def _speaks_for_named(head: Token) -> bool:
    """"officials at Homeland Security Investigations", "lawyers for Uber": people who speak
    for a named organisation, which is the speaker (they are not an organisation of their
    own; "the government of Israel" is one)."""
    if not (head.lower_ in ENVOYS or head.tag_ == "NNS"):
        return False
    return any(child.dep_ == "prep" and child.lower_ in ("for", "of", "at", "from", "with")
               and any(g.dep_ == "pobj" and g.ent_type_ in ("ORG", "GPE", "NORP") for g in child.children)
               for child in head.children)


def _gender_of(title: str | None) -> str | None:
    return "m" if title in MALE_TITLES else "f" if title in FEMALE_TITLES else None


def _entities_in(span: Span) -> list[Span]:
    """The named entities that start inside ``span`` (Span.ents scans the whole document)."""

    return [e for t in span if t.ent_iob_ == "B" and (e := entity_of(t)) is not None]


def _people_unnamed(np: Span) -> bool:
    """A plural description of more than a word or two with no name in it ("attorneys
    for the family", "lawyers for the officers"): people the text does not name."""
    return len(np) > 3 and np.root.tag_ == "NNS" and not any(t.tag_ in ("NNP", "NNPS") or t.ent_type_ for t in np)


def _org_head(mention: Span) -> bool:
    return mention.root.lower_ in ORG_HEADS
