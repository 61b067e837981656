"""Places an article mentions: one panel entry per place, with every mention located.

spaCy's entity recogniser finds most place names, but it labels some of them
wrongly (a village as a person, a capital as a language, a dateline as a
nationality), it tags names of clubs and people as places, and it cannot tell
that "US", "America" and "the United States" are one place.  This module takes
the GPE/LOC/FAC spans, corrects those errors with a gazetteer and the words
around a name, and groups the mentions by the place they name.

The gazetteer (:mod:`newsreader.nlp.gazetteer`) comes from packages, not from lists
of our own, and gives each place its point, country and GeoNames id.  It is built
once per process; after that an article costs a few microseconds per token.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy
from spacy.attrs import ENT_IOB, ENT_TYPE, ORTH
from spacy.tokens import Doc, Span, Token

from newsreader.model import Place
from newsreader.nlp.gazetteer import DIRECTION, Entry, gazetteer, key

Mention = tuple[int, int, str, str]  # (start, end, canonical place name, label)

PLACE_LABELS = ("GPE", "LOC", "FAC")
# Labels spaCy gives to place names it misreads; such a span counts only when it is
# exactly a known place and its context shows a place.
MISREAD_LABELS = ("PERSON", "ORG", "NORP", "LANGUAGE")

# Prepositions that put the following name in a place ("in Tunis", "from Italy"), and
# the narrower set that rarely governs a person or a club ("a letter to Obama").
LOCATIVE = {
    "in", "to", "from", "near", "into", "across", "throughout", "outside", "inside",
    "around", "toward", "towards", "within", "through", "via", "along", "beyond",
}
STRICTLY_LOCATIVE = {"in", "near", "across", "throughout", "outside", "inside", "within"}
# Nouns after which "into" opens a subject of inquiry, not a place.
INQUIRIES = {"investigation", "investigations", "inquiry", "inquiries", "probe", "probes", "look",
             "research", "review", "study", "insight", "insights"}
# Motion towards a name: no organisation is pushed "downstream towards Gloucester".
TOWARDS = {"toward", "towards"}
# Nouns that say the name after "the … of" or in apposition is a place, with its kind.
PLACE_NOUNS = {
    "village": "city", "town": "city", "city": "city", "hamlet": "city", "capital": "city",
    "port": "city", "suburb": "place", "community": "place", "neighbourhood": "place",
    "neighborhood": "place", "settlement": "place", "district": "region", "region": "region",
    "province": "region", "county": "region", "state": "state", "island": "place",
    "country": "country", "nation": "country", "kingdom": "country", "republic": "country",
    "enclave": "place",
}
# Last words of buildings and streets: the corpus leaves those out of the places panel.
STRUCTURES = {
    "house", "hall", "building", "tower", "towers", "center", "centre", "museum", "stadium",
    "arena", "airport", "hospital", "church", "cathedral", "mosque", "synagogue", "temple",
    "palace", "bridge", "prison", "jail", "court", "courthouse", "school", "college",
    "university", "hotel", "restaurant", "grill", "bar", "station", "road", "street",
    "streets", "avenue", "drive", "lane", "close", "boulevard", "highway",
}
# Words that make a longer place name of a known one ("Tennessee River", "Kowloon West").
GEO_WORDS = {
    "river", "lake", "lakes", "mountain", "mountains", "hills", "heights", "valley", "county",
    "district", "borough", "township", "parish", "province", "region", "state", "city", "bay",
    "sea", "ocean", "gulf", "strait", "island", "islands", "peninsula", "coast", "beach",
    "strip", "desert", "delta", "basin", "canal", "area", "metro", "harbor", "harbour",
    "springs", "falls",
}
# Nouns after a place name that make it a journalist's beat, not a place of the story.
BEATS = {"editor", "editors", "correspondent", "correspondents", "bureau"}
# Words after a name that make it a subdivision ("Logar province", "Washington state").
REGION_NOUNS = {"province", "district", "county", "region", "state", "governorate", "prefecture",
                "oblast", "territory", "department"}
# Last words of the names of waters ("the Bristol Channel", "the Tennessee River").
WATER_WORDS = {"river", "channel", "sea", "ocean", "gulf", "bay", "strait", "straits", "lake", "canal",
               "estuary", "firth"}
# Words of GEO_WORDS for land and water, not for an administrative area or a direction.
LANDFORMS = {"river", "lake", "lakes", "mountain", "mountains", "hills", "valley", "bay", "sea", "ocean",
             "gulf", "strait", "island", "islands", "peninsula", "coast", "desert", "delta", "basin"}
COMPASS = {"east", "west", "north", "south"}
PROPER_TAGS = {"NNP", "NNPS"}
POSSESSIVES = ("'s", "\u2019s", "'", "\u2019")
NUMERIC_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
NOUN_TAGS = {"NN", "NNS", "NNP", "NNPS", "POS"}

# "BUFFALO, N.Y. —", "CAIRO —", "KHAN SHEIKHOUN, Syria (Reuters) -" at a paragraph start.
_DATELINE = re.compile(
    r"(?m)^(?P<place>[A-Z][A-Z'\u2019.\-]+(?: [A-Z][A-Z'\u2019.\-]+){0,3})"
    r"(?:, (?P<region>[A-Z][\w.'\u2019\-]*(?: [A-Z][\w.'\u2019\-]*){0,2}))?"
    r"(?: \([^)\n]{1,40}\))?(?: ?[\u2014\u2013-]|:)"
)
_PARTY_TAG = re.compile(r"\b[RDI]-$")  # "Sen. Ben Sasse, R-Neb." names a party, not a place


@dataclass
class _Hit:
    """One mention of a place."""

    start: int
    end: int
    name: str  # canonical name, or the mention itself for places the gazetteer lacks
    kind: str
    ident: str
    label: str
    surface: str
    strong: bool = True  # whether this mention shows the name is a place, not only names it
    entry: Entry | None = None  # the gazetteer's reading of it
    readings: tuple[Entry, ...] = ()  # every place its words may name, the default first
    cue: tuple[str, ...] = ()  # kinds the words around it allow ("the state of X": state)
    token: int = -1  # its first token
    end_token: int = -1

    @property
    def sense_key(self) -> str:
        return key(self.surface) if self.readings else ""


class _Context:
    """What the whole document says about names: which are people and organisations."""

    def __init__(self, doc: Doc, text: str) -> None:
        self.doc = doc
        self.text = text  # the doc's text (spaCy would rebuild doc.text from every token)
        self.gaz = gazetteer()
        self.entity_of: dict[int, Span] = {}  # token index -> the entity it is in
        self.named: set[str] = set()  # keys of PERSON/ORG spans ("tottenham", "michael r bloomberg")
        self.name_words: set[str] = set()  # keys of the capitalised words in them ("bloomberg")
        self.person_words: set[str] = set()  # the same, of people's names of several words
        self.nationalities: set[str] = set()  # keys of NORP spans ("syrian", "americans")
        self.ents = _entities(doc)
        # Every part of a PERSON/ORG/FAC name of two words or more ("Madrid" of "Real
        # Madrid"), as token texts, with where the part starts in the name.
        self.parts: dict[tuple[str, ...], set[tuple[int, tuple[str, ...]]]] = {}
        for ent in self.ents:
            self.entity_of.update(dict.fromkeys(range(ent.start, ent.end), ent))
            if ent.label_ == "NORP":
                self.nationalities.add(key(ent.text))
            elif ent.label_ in ("PERSON", "ORG", "FAC"):
                span = _trim(ent)
                if span is not None:
                    self._note_name(span, ent.label_)

    def _note_name(self, span: Span, label: str) -> None:
        if label != "FAC":
            self.named.add(key(span.text))
            words = {key(t.text) for t in span if t.text[:1].isupper()}
            self.name_words |= words
            if label == "PERSON" and len(span) > 1:
                self.person_words |= words
        tokens = tuple(t.text for t in span)
        for i in range(len(tokens)):
            for j in range(i + 1, len(tokens) + 1):
                if j - i < len(tokens):
                    self.parts.setdefault(tokens[i:j], set()).add((i, tokens))

    def inside_longer_name(self, span: Span) -> bool:
        """Whether ``span`` is part of a name used elsewhere ("Madrid" in "Real Madrid")."""
        doc = self.doc
        for offset, name in self.parts.get(tuple(t.text for t in span), ()):
            lo = span.start - offset
            hi = lo + len(name)
            if lo >= 0 and hi <= len(doc) and tuple(t.text for t in doc[lo:hi]) == name:
                return True
        return False


def _entities(doc: Doc) -> list[Span]:
    """``doc.ents``, read from the token arrays: spaCy's property makes a Token object per
    word of the document, which costs more than everything else here."""
    iob, types = doc.to_array([ENT_IOB, ENT_TYPE]).T
    out = []
    for start in numpy.flatnonzero(iob == 3):  # 3: B(egin), 1: I(nside)
        end = int(start) + 1
        while end < len(iob) and iob[end] == 1:
            end += 1
        out.append(Span(doc, int(start), end, label=int(types[start])))
    return out


def find_places(doc: Doc, text: str | None = None) -> tuple[list[Place], list[Mention]]:
    """Return the places panel (in order of first mention) and every place mention as
    (start, end, canonical name, label)."""
    ctx = _Context(doc, doc.text if text is None else text)
    hits: list[_Hit] = []
    taken = bytearray(len(ctx.text) + 1)  # characters already inside a kept place

    def keep(hit: _Hit | None) -> None:
        if hit is None or any(taken[hit.start : hit.end]):
            return
        hits.append(hit)
        taken[hit.start : hit.end] = b"\x01" * (hit.end - hit.start)

    for hit in _datelines(ctx):
        keep(hit)
    for hit in _described(ctx):
        keep(hit)
    for hit in _rivers(ctx):
        keep(hit)
    for ent in ctx.ents:
        keep(_from_entity(ctx, ent))
    for hit in _untagged(ctx):
        keep(hit)
    for hit in _named_again(ctx, hits):
        keep(hit)
    hits.sort(key=lambda h: h.start)
    return _panel(ctx, _resolve(ctx, _states_in_us_context(ctx, hits)))


def _states_in_us_context(ctx: _Context, hits: list[_Hit]) -> list[_Hit]:
    """Read "PA" as Pennsylvania, not Panama, in an article that names other states."""
    if not any(h.ident.startswith("state:") for h in hits):
        return hits
    out = []
    for h in hits:
        state = ctx.gaz.abbreviations.get(h.surface) if h.kind == "country" else None
        if state is not None:
            h = _with_entry(h, state)
            h.readings = (state,)
        out.append(h)
    return out


def _with_entry(h: _Hit, entry: Entry) -> _Hit:
    return _Hit(h.start, h.end, entry.name, entry.kind, entry.ident, h.label, h.surface, h.strong,
                entry, h.readings, h.cue, h.token, h.end_token)


def _resolve(ctx: _Context, hits: list[_Hit]) -> list[_Hit]:
    """Pick, for a name that may mean several places, the one this article means.

    A mention's own context decides first: "the state of Washington", "Olympia,
    Washington" and "Bath, Somerset" name a state or a county, "Paris, Texas" a town
    in Texas.  An article means one place by one name, so its other mentions follow
    when those cues agree.  Otherwise the countries and US states the article names
    elsewhere decide ("Paris" in a Texas story, "Worcester" in a British one), and a
    world city wins when nothing points away from it.
    """
    ambiguous = [h for h in hits if len(h.readings) > 1]
    if not ambiguous:
        return hits
    by_start = {h.token: h for h in hits if h.token >= 0}
    chosen: dict[int, Entry] = {}  # id(hit) -> the reading its own context gives
    unknown: set[int] = set()  # id(hit) of towns none of whose readings lies where it is said to
    # A containing area after a comma: "Olympia, Washington" (read the area first).
    for h in sorted(hits, key=lambda h: -h.token):
        doc = ctx.doc
        follows = h.end_token + 1 < len(doc) and doc[h.end_token].text == ","
        area = by_start.get(h.end_token + 1) if follows else None
        if area is not None and _listed(doc, area):
            area = None  # "Paris, Madrid and Rome" is a list, not a town and its region
        options = h.readings
        before = by_start.get(_start_before_comma(doc, h.token))
        if before is not None and (_listed(doc, h) or before.kind not in ("city", "place")):
            before = None
        areas = tuple(e for e in options if e.kind in ("state", "region", "country")) if before else ()
        if areas:
            options = areas  # "Addison, New York, a village": the state, whatever the apposition says
        elif h.cue:
            options = tuple(e for e in options if e.kind in h.cue) or options
        if area is not None and area.entry is not None:
            a = chosen.get(id(area), area.entry)
            inside = tuple(e for e in options if _inside(e, a))
            same = tuple(e for e in options if e.ident == a.ident)
            if same and "." in area.surface:
                options = same  # "Washington, D.C.": the name and its own abbreviation
            elif inside:
                options = inside
            elif a.kind in ("state", "country") and all(e.kind == "city" for e in options):
                unknown.add(id(h))  # "Addison, New York": a town too small for the gazetteer
        if options != h.readings:
            chosen[id(h)] = options[0] if len(options) == 1 else _by_article(hits, h.sense_key, options)
    per_key: dict[str, set[str]] = {}
    for h in ambiguous:
        if id(h) in chosen:
            per_key.setdefault(h.sense_key, set()).add(chosen[id(h)].ident)
    default: dict[str, Entry] = {}
    for h in ambiguous:
        k = h.sense_key
        if k in default:
            continue
        agreed = per_key.get(k, set())
        if len(agreed) == 1:
            ident = next(iter(agreed))
            default[k] = next(e for e in h.readings if e.ident == ident)
        else:
            default[k] = _by_article(hits, k, h.readings)
    out = []
    for h in hits:
        if id(h) in unknown:
            h = _Hit(h.start, h.end, h.surface, "city", f"place:{h.sense_key}", h.label, h.surface, h.strong,
                     token=h.token, end_token=h.end_token)
        elif len(h.readings) > 1:
            entry = chosen.get(id(h)) or default[h.sense_key]
            if entry is not h.entry:
                h = _with_entry(h, entry)
        out.append(h)
    return out


def _listed(doc: Doc, h: _Hit) -> bool:
    """Whether the mention is an item of a list ("Berlin, Madrid and Rome")."""
    return doc[h.end_token - 1].dep_ == "conj"


def _inside(e: Entry, area: Entry) -> bool:
    """Whether place ``e`` lies in ``area`` (a US state, a country or a region)."""
    if e.ident == area.ident:
        return False
    if area.ident.startswith("state:"):
        return e.admin == area.ident[6:] or e.kind != "city" and e.country == "US"
    return e.country is not None and e.country == area.country


def _start_before_comma(doc: Doc, i: int) -> int:
    """The first token of the name before ", " ending just before token ``i``, else -1."""
    if i < 2 or doc[i - 1].text != ",":
        return -1
    j = i - 2
    while j > 0 and doc[j - 1].text[:1].isupper() and doc[j - 1].tag_ in PROPER_TAGS:
        j -= 1
    return j


def _by_article(hits: list[_Hit], k: str, readings: tuple[Entry, ...]) -> Entry:
    """The reading of ``k`` that the other places of the article point to.

    Another ambiguous town is no evidence: it still has its default reading here, and two
    such would vouch for each other ("Worcester" and "Gloucester" in an English story, each
    read in Massachusetts by default). A name read as a country or a state is ("Texas").
    """
    named: set[str] = set()  # countries named as countries (a US state names the US)
    located: set[str] = set()  # countries of the other places named
    states: set[str] = set()
    for h in hits:
        if h.entry is None or h.sense_key == k or len(h.readings) > 1 and h.entry.kind not in ("country", "state"):
            continue
        if h.entry.country:
            (named if h.entry.kind == "country" else located).add(h.entry.country)
        if h.entry.ident.startswith("state:"):
            states.add(h.entry.ident[6:])
            named.add("US")
        elif h.entry.admin:
            states.add(h.entry.admin)

    first = readings[0]
    world_city = 2.5 if first.kind == "city" and first.notable else 0.0

    def score(e: Entry) -> float:
        points = 2.0 if e.admin and e.admin in states else 0.0
        # A country the article names weighs more than one a town is in: a river read as
        # a town of its name ("Severn", Maryland) must not outweigh "the United Kingdom".
        points += 1.0 if e.country in named else 0.5 if e.country in located else 0.0
        if e.kind == "country":
            points += 1.0  # a country by its own name ("Hong Kong", not China's region)
        elif e.kind == "state" and e.country == "US" and states:
            points += 1.0  # a state among states ("Georgia" beside Ohio)
        return points + (world_city if e is first else 0.0)

    return max(readings, key=score)  # the first of the best: the default wins ties


def _panel(ctx: _Context, hits: list[_Hit]) -> tuple[list[Place], list[Mention]]:
    """Group mentions by place; a place named only ambiguously and never as a place goes."""
    groups: dict[str, list[_Hit]] = {}
    for hit in hits:
        groups.setdefault(hit.ident, []).append(hit)
    groups = {k: g for k, g in groups.items() if any(h.strong for h in g)}
    places: list[Place] = []
    mentions: list[Mention] = []
    names: dict[str, str] = {}
    for ident, group in groups.items():
        entry = group[0].entry
        name = group[0].name
        if entry is not None and entry.kind != "country":
            # the article's own spelling ("Zurich" for geonames' "Zürich", "Logar" for "Lōgar")
            own = key(entry.name)
            written = [_without_region_noun(h.surface) for h in group
                       if h.surface[:1].isupper() and not h.surface.isupper()]
            name = next((w for w in written if key(w) == own), None) or (
                # "New York" for New York City where the article never writes it out
                max(written, key=written.count) if written and entry.kind == "city" else entry.name)
        names[ident] = name
    taken: dict[str, int] = {}
    for name in names.values():
        taken[key(name)] = taken.get(key(name), 0) + 1
    for ident, group in groups.items():
        name = names[ident]
        entry = group[0].entry
        if taken[key(name)] > 1 and entry is not None:
            name = names[ident] = entry.name  # "New York" the city and "New York" the state
        aliases: list[str] = []
        for h in group:
            shown = _shown(h.surface, name)
            if shown != name and shown not in aliases:
                aliases.append(shown)
        kind = entry.kind if entry is not None else _kind_of(group)
        if entry is None:
            places.append(Place(name, tuple(aliases), kind, len(group)))
        else:
            places.append(Place(name, tuple(aliases), kind, len(group), entry.lat, entry.lon,
                                entry.country, entry.geonameid))
    for hit in hits:
        if hit.ident in groups:
            mentions.append((hit.start, hit.end, names[hit.ident], hit.label))
    return places, mentions


def _without_region_noun(surface: str) -> str:
    """"Logar" of "Logar province"."""
    head, _, last = surface.rpartition(" ")
    return head if head and last.lower() in REGION_NOUNS else surface


def _kind_of(group: list[_Hit]) -> str:
    """A place the gazetteer lacks: a river where one mention says so, else its first kind."""
    return "river" if any(h.kind == "river" for h in group) else group[0].kind


def _shown(surface: str, name: str) -> str:
    """A mention as the panel shows it: a dateline's capitals in title case."""
    if surface.isupper() and len(surface) > 3:
        return name if key(surface) == key(name) else surface.title()
    return surface


def _hit(span: Span, entry: Entry | None, label: str, kind: str = "place", strong: bool = True,
         ident: str | None = None, words: str | None = None) -> _Hit:
    """A mention of ``entry`` (or of a place the gazetteer lacks, by its own words).
    ``kind`` is what the words around it say it is ("the state of X"); ``words`` the
    part of it that is the name ("Logar" of "Logar province")."""
    text = span.text
    if entry is None:
        name = text.title() if text.isupper() else text
        return _Hit(span.start_char, span.end_char, name, kind, ident or f"place:{key(text)}", label, text,
                    strong, token=span.start, end_token=span.end)
    gaz = gazetteer()
    readings = gaz.readings_of(words or text)
    if entry not in readings:
        readings = (entry,)
    cue = _CUES.get(kind, ())
    if cue and len(readings) > 1:
        entry = next((e for e in readings if e.kind in cue), entry)
    return _Hit(span.start_char, span.end_char, entry.name, entry.kind, entry.ident, label, text, strong,
                entry, readings, cue, span.start, span.end)


# What a place noun before or after a name allows it to be: "the state of X" a state,
# "the city of X" a city, "X province" a subdivision.
_CUES = {"state": ("state",), "city": ("city",), "region": ("region", "state"), "country": ("country",)}


def _from_entity(ctx: _Context, ent: Span) -> _Hit | None:
    """The place an entity span names, if it names one."""
    label = ent.label_
    if label not in PLACE_LABELS and label not in MISREAD_LABELS:
        return None
    span = _trim(ent)
    if span is None or _PARTY_TAG.search(ctx.text[max(0, span.start_char - 2) : span.start_char]):
        return None
    span = _extend(ctx, span)
    entry, words, cue = _known(ctx, span, label)
    if label in MISREAD_LABELS:
        return _misread(ctx, span, entry, label)
    if ctx.inside_longer_name(span):
        return None
    if entry is not None:
        k = key(span.text)
        if k in ctx.named or (len(span) == 1 and k in ctx.person_words):
            # Also a person's or a club's name here: a small town called "Rubio" is not
            # what an article about Marco Rubio means; "in Paris" may be.
            strong = entry.notable and _locative(span, STRICTLY_LOCATIVE)
        else:
            strong = label == "GPE" or entry.notable or _locative(span, STRICTLY_LOCATIVE)
        if _beat(ctx, span):
            strong = False  # "the BBC's North America editor": a beat, not a place of the story
        return _hit(span, entry, label, kind=cue or _cue_after(ctx, span), strong=strong, words=words)
    if not _looks_like_place_name(ctx, span):
        return None
    if label == "FAC" and not _before_place_noun(ctx, span):
        return None  # mostly buildings, which the panel leaves out, and misread names
    river = _river_name(span)
    if river is not None:
        return _hit(span, None, label, kind="river", ident=f"place:{river}")
    # A name the gazetteer lacks must show it is a place, at least once in the article.
    strong = (label == "LOC" or any(_geographic(t.lower_) for t in span) or _locative(span)
              or _before_region(ctx, span) or _before_place_noun(ctx, span))
    return _hit(span, None, label, strong=strong)


def _beat(ctx: _Context, span: Span) -> bool:
    """Whether the name qualifies a journalist's beat: "North America editor", "our
    Washington correspondent", "the Beijing bureau"."""
    doc = ctx.doc
    return span.end < len(doc) and doc[span.end].lower_ in BEATS


def _cue_after(ctx: _Context, span: Span) -> str:
    """"Washington state", "upstate New York": a state; "Logar province": a region."""
    doc = ctx.doc
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    if after == "state" or before == "upstate":
        return "state"
    if after in REGION_NOUNS:
        return "region"
    return "place"


def _misread(ctx: _Context, span: Span, entry: Entry | None, label: str) -> _Hit | None:
    """A PERSON/ORG/NORP/LANGUAGE span that is really a place ("in Tunis", "US officials",
    "a Diglis resident", "Madeira and the Azores")."""
    k = key(span.text)
    if label == "PERSON" and len(span) == 1 and k in ctx.person_words:
        return None  # a surname or first name of someone in the article
    if entry is None:
        if len(span) > 1 and span[-1].lower_ in WATER_WORDS and label != "PERSON" and span[0].text[:1].isupper():
            river = _river_name(span)
            return _hit(span, None, "LOC", kind="river" if river else "place",
                        ident=f"place:{river}" if river else None)  # "the Bristol Channel"
        if _resident(span) and not _demonym(ctx, k):
            return _hit(span, None, "GPE")
        if len(span) == 1 and label != "PERSON" and _locative(span) and span[0].tag_ in PROPER_TAGS:
            return _hit(span, None, "GPE", strong=False)  # "from Diglis", if named as a place elsewhere
        return None
    if entry.kind == "country" and label in ("ORG", "NORP", "LANGUAGE"):
        return _hit(span, entry, "GPE")  # no organisation or nationality is called "Syria"
    if entry.notable and _locative(span):
        return _hit(span, entry, "GPE")
    if (_locative(span, STRICTLY_LOCATIVE) or label == "ORG" and _locative(span, TOWARDS)
            or _resident(span) or _listed_with_a_place(ctx, span)):
        return _hit(span, entry, "GPE")
    if span.root.dep_ in ("nsubj", "nsubjpass", "compound") or k in ctx.named and len(span) > 1:
        return None  # "Tottenham said", "a Tottenham shirt"
    return _hit(span, entry, "GPE", strong=False)  # a place if the article names it as one elsewhere


def _resident(span: Span) -> bool:
    """"a Diglis resident", "Gaza residents": a name before "resident(s)" is where they live."""
    doc = span.doc
    return span.end < len(doc) and doc[span.end].lower_ in ("resident", "residents")


def _listed_with_a_place(ctx: _Context, span: Span) -> bool:
    """"Madeira and the Azores": a name joined by "and"/"or" to another known place that
    is nobody's name in the article."""
    root = span.root
    partners = [root.head] if root.dep_ == "conj" else []
    partners += [t for t in root.children if t.dep_ == "conj"]
    if len(span) == 1 and key(span.text) in ctx.person_words:
        return False
    for t in partners:
        ent = ctx.entity_of.get(t.i)
        if t.i in range(span.start, span.end) or ent is None or not t.text[:1].isupper():
            continue
        name = _trim(ent)  # the partner's whole name: "Inter Milan" is no place
        if name is None or name.start > 0 and ctx.doc[name.start - 1].dep_ == "compound" \
                and ctx.doc[name.start - 1].text[:1].isupper():
            continue  # nor is "Real Madrid", where the tagger took only "Madrid"
        k = key(name.text)
        if k in ctx.gaz.names and k not in ctx.person_words:
            return True
    return False


def _known(ctx: _Context, span: Span, label: str) -> tuple[Entry | None, str | None, str]:
    """The gazetteer entry ``span`` names, with codes and abbreviations where trusted;
    the words of it that name the place, and the kind its last word gives ("Logar
    province": Logar, a region)."""
    gaz = ctx.gaz
    text = span.text
    if label == "GPE":
        if text in gaz.abbreviations and "." in text:
            return gaz.abbreviations[text], None, ""
        bare = text.replace(".", "")
        if text.isupper() and len(bare) in (2, 3):
            after_place = span.start > 0 and span.doc[span.start - 1].text == ","  # "Berea, OH"
            tables = (gaz.abbreviations, gaz.codes) if after_place else (gaz.codes, gaz.abbreviations)
            return next((t[bare] for t in tables if bare in t), None) or gaz.lookup(text), None, ""
    entry = gaz.lookup(text)
    if entry is None and len(span) > 1 and span[-1].lower_ in REGION_NOUNS:
        words = span[:-1].text
        entry = gaz.lookup(words)
        if entry is not None:
            return entry, words, "state" if span[-1].lower_ == "state" else "region"
    return entry, None, ""


def _looks_like_place_name(ctx: _Context, span: Span) -> bool:
    """Whether a span the gazetteer lacks is a proper name of a place, not a person's,
    a club's, a common noun at a sentence start, or the first words of a longer name."""
    if span[0].tag_ not in PROPER_TAGS or span[-1].tag_ not in PROPER_TAGS:
        return False
    if span[-1].lower_ in STRUCTURES:
        return False  # a building or a street
    if all(_geographic(t.lower_.removesuffix("s")) for t in span) and not (
            len(span) > 1 and any(t.lower_ in LANDFORMS for t in span)):
        return False  # "the West", "swing States", "the County"; not "the Lake District"
    k = key(span.text)
    if k in ctx.named or k in ctx.nationalities or (len(span) == 1 and k in ctx.name_words):
        return False
    if len(span) == 1 and (_demonym(ctx, k) or k.endswith("s") and k[:-1] in ctx.name_words):
        return False  # "the Ukrainian" (a person from Ukraine), "the Bidens" (a family)
    doc = ctx.doc
    after = doc[span.end] if span.end < len(doc) else None
    if after is not None and after.tag_ in PROPER_TAGS and after.text[:1].isupper():
        return False  # "Super" in "Super Tuesday"
    then = doc[span.end + 1] if span.end + 1 < len(doc) else None
    if after is not None and after.lower_ == "of" and then is not None and then.ent_type_ == "GPE":
        return False  # "the Western District of New York" describes; the place is New York
    for i in range(len(span) - 1, 0, -1):
        if key(span[:i].text) in ctx.gaz.names:  # "Manchester United", "New York Primary"
            return all(_geographic(t.lower_) for t in span[i:])
    return len(span) > 1 or not span.text.isupper()  # "NRA": places' initials are in the gazetteer


_DEMONYM_ENDINGS = ("ian", "ean", "ese", "ish", "an", "i")


def _demonym(ctx: _Context, k: str) -> bool:
    """A word for the people of a known country: "Ukrainian", "Israeli", "Chinese"."""
    for ending in _DEMONYM_ENDINGS:
        stem = k.removesuffix(ending)
        if stem != k and len(stem) >= 4 and any(n.startswith(stem) for n in ctx.gaz.country_keys):
            return True
    return False


def _before_place_noun(ctx: _Context, span: Span) -> bool:
    """Whether a place noun follows: "the Gush Etzion settlement bloc"."""
    return span.end < len(ctx.doc) and ctx.doc[span.end].text in PLACE_NOUNS


def _before_region(ctx: _Context, span: Span) -> bool:
    """Whether a state or country follows after a comma: "Chappaqua, N.Y."."""
    doc = ctx.doc
    i = span.end
    if i + 1 >= len(doc) or doc[i].text != ",":
        return False
    region = ctx.entity_of.get(i + 1)
    if region is None or region.start != i + 1:
        return False
    text = region.text.rstrip(",")
    entry = ctx.gaz.abbreviations.get(text) or ctx.gaz.lookup(text)
    return entry is not None and entry.kind in ("state", "country", "region")


def _trim(span: Span) -> Span | None:
    """Drop a leading "the" and trailing possessives, punctuation and conjunctions."""
    gaz = gazetteer()
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].is_punct or doc[start].lower_ == "the"):
        if doc[start].lower_ == "the" and key(doc[start:end].text) in gaz.names:
            break  # "The Hague"
        start += 1
    while end > start and doc[start:end].text not in gaz.abbreviations:  # "Wyo" + "."
        last = doc[end - 1]
        if not (last.is_punct or last.tag_ in ("POS", "CC") or last.text in POSSESSIVES):
            break
        if last.text.endswith(".") and len(last) > 1:
            break  # "N.Y.", "U.S."
        end -= 1
    return doc[start:end] if start < end else None


def _extend(ctx: _Context, span: Span) -> Span:
    """Grow a span to the longest place name that starts or ends with it: spaCy splits
    "Trinidad and Tobago" and leaves "east" out of "east Jerusalem"."""
    doc, gaz = ctx.doc, ctx.gaz
    most = gaz.longest.get(key(span[0].text), 0)
    for end in range(min(len(doc), span.start + most), span.end, -1):
        if doc[end - 1].text[:1].isupper() and key(doc[span.start : end].text) in gaz.names:
            span = doc[span.start : end]
            break
    before = doc[span.start - 1] if span.start > 0 else None
    if before is not None and (before.lower_ in COMPASS and before.text.islower() or before.lower_ == "the"):
        longer = doc[span.start - 1 : span.end]
        if key(longer.text) in gaz.names:  # "east Jerusalem", "the States"
            span = longer
    return span


def _geographic(word: str) -> bool:
    """A compass word or a word for a kind of place ("west", "southern", "county")."""
    return word in GEO_WORDS or word in PLACE_NOUNS or bool(DIRECTION.fullmatch(word))


def _locative(span: Span, prepositions: set[str] = LOCATIVE) -> bool:
    """Whether the words before ``span`` put it in a place: "in Tunis", "from Italy,
    Poland and Spain", "in downtown Tunis"; not "in Obama's cabinet", "in a Bloomberg
    interview" or "according to Bloomberg"."""
    tok: Token = span.root
    if tok.dep_ in ("poss", "compound", "nmod", "amod"):
        return False  # the name qualifies a noun, and the preposition governs the noun
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    doc = span.doc

    def governs(prep: Token) -> bool:
        return prep.lower_ in prepositions and not (prep.i > 0 and doc[prep.i - 1].lower_ == "according") \
            and not (prep.lower_ == "into" and _inquiry(prep))

    if tok.dep_ == "pobj" and governs(tok.head):
        return True
    i = span.start - 1
    skipped = 0
    while i >= 0 and skipped < 2 and doc[i].tag_ in ("DT", "JJ", "NN") and doc[i].lower_ not in LOCATIVE:
        i -= 1
        skipped += 1
    return i >= 0 and governs(doc[i])


def _inquiry(prep: Token) -> bool:
    """'investigations into Burisma', 'investigations, including into Burisma': a subject
    of inquiry, not a place one goes into."""
    while prep.dep_ == "conj" and prep.head.i != prep.i and prep.head.lower_ in LOCATIVE:
        prep = prep.head  # "investigations into Burisma and into the Bidens"
    if prep.i > 0 and prep.doc[prep.i - 1].lower_ in INQUIRIES:
        return True
    head = prep.head
    if head.lower_ == "including":  # the noun the list belongs to stands before it
        head = next((t for t in reversed(prep.doc[max(0, head.i - 3) : head.i]) if not t.is_punct), head)
    return head.lower_ in INQUIRIES


def _river_name(span: Span) -> str | None:
    """The key of X in "River X", "the X river", "X River"; None for other names."""
    words = [t for t in span if t.lower_ != "the"]
    if len(words) > 1 and words[0].text == "River":
        return key(" ".join(t.text for t in words[1:]))
    if len(words) > 1 and words[-1].lower_ == "river":
        return key(" ".join(t.text for t in words[:-1]))
    return None


def _rivers(ctx: _Context) -> Iterator[_Hit]:
    """Rivers, which no gazetteer package lists, named as rivers: "the River Teme", "the
    Tennessee River", "along the Rhine"."""
    doc = ctx.doc
    orth = doc.to_array(ORTH)
    wanted = [doc.vocab.strings.add(w) for w in ("River", "river", "along")]
    for i in numpy.flatnonzero(numpy.isin(orth, wanted)):
        tok = doc[int(i)]
        if tok.text == "along":
            span = _bare_name_at(ctx, tok.i + 2) if tok.i + 2 < len(doc) and doc[tok.i + 1].lower_ == "the" else None
            if span is not None and ctx.gaz.lookup(span.text) is None and not _is_someones_name(ctx, span):
                yield _hit(span, None, "LOC", ident=f"place:{key(span.text)}")
        elif tok.text == "River" and tok.i + 1 < len(doc):
            span = _name_from(ctx, tok.i + 1)
            if span is not None and span.start == tok.i + 1 and span[-1].lower_ not in WATER_WORDS:
                if not _followed_by_name(ctx, span.end):
                    yield _hit(doc[tok.i : span.end], None, "LOC", kind="river", ident=f"place:{key(span.text)}")
        else:
            span = _name_to(ctx, tok.i)
            if span is not None and span.end == tok.i and len(span) <= 3 and not _followed_by_name(ctx, tok.i + 1):
                if span[0].tag_ in PROPER_TAGS and span[0].text[:1].isupper() and not _is_someones_name(ctx, span):
                    if tok.text == "River":  # "the Tennessee River": the whole name
                        span = doc[span.start : tok.i + 1]
                    yield _hit(span, None, "LOC", kind="river", ident=f"place:{key(doc[span.start : tok.i].text)}")


def _bare_name_at(ctx: _Context, i: int) -> Span | None:
    """A one-word proper name at token ``i`` that no longer name goes on from ("the
    Teme," yes; "the Severn Vale Combined Authority", "the Gaza border" no)."""
    doc = ctx.doc
    tok = doc[i]
    if not tok.text[:1].isupper() or tok.tag_ not in PROPER_TAGS:
        return None
    if i + 1 < len(doc) and (doc[i + 1].tag_ in NOUN_TAGS or doc[i + 1].text[:1].isupper()):
        return None
    ent = ctx.entity_of.get(i)
    if ent is not None and (len(ent) > 1 and _trim(ent) != doc[i : i + 1]):
        return None
    return doc[i : i + 1]


def _followed_by_name(ctx: _Context, i: int) -> bool:
    """Whether a capitalised proper noun is at token ``i`` ("River Authority")."""
    doc = ctx.doc
    return i < len(doc) and doc[i].text[:1].isupper() and doc[i].tag_ in PROPER_TAGS


def _is_someones_name(ctx: _Context, span: Span) -> bool:
    k = key(span.text)
    return k in ctx.named or k in ctx.name_words or k in ctx.nationalities and len(span) > 1


def _named_again(ctx: _Context, hits: list[_Hit]) -> Iterator[_Hit]:
    """Rivers and other waters named again by their bare name: "the Severn" after "the
    River Severn", "the Teme" after "along the Teme"."""
    known = {h.ident[6:]: h.kind for h in hits if h.entry is None and h.strong and h.ident.startswith("place:")
             and (h.kind == "river" or h.label == "LOC" and h.surface[:1].isupper())}
    known = {k: kind for k, kind in known.items() if " " not in k}
    if not known:
        return
    doc = ctx.doc
    orth = doc.to_array(ORTH)
    the = [doc.vocab.strings.add(w) for w in ("the", "The")]
    for i in numpy.flatnonzero(numpy.isin(orth, the)):
        j = int(i) + 1
        if j < len(doc) and key(doc[j].text) in known:
            span = _bare_name_at(ctx, j)
            if span is not None:
                yield _hit(span, None, "LOC", kind=known[key(span.text)], ident=f"place:{key(span.text)}")


def _untagged(ctx: _Context) -> Iterator[_Hit]:
    """Well-known places the tagger left untagged after "in", "near"…: "lunch in Kyiv"."""
    doc = ctx.doc
    orth = doc.to_array(ORTH)
    iob = doc.to_array(ENT_IOB)
    wanted = [doc.vocab.strings.add(w) for w in STRICTLY_LOCATIVE]
    for i in numpy.flatnonzero(numpy.isin(orth, wanted)):
        j = int(i) + 1
        if j >= len(doc) or iob[j] != 2 or not doc[j].text[:1].isupper() or doc[j].tag_ not in PROPER_TAGS:
            continue  # 2: outside every entity
        span = _extend(ctx, doc[j : j + 1])
        if any(iob[t] != 2 for t in range(span.start, span.end)) or _followed_by_name(ctx, span.end):
            continue
        entry = ctx.gaz.lookup(span.text)
        if entry is not None and entry.notable and not _is_someones_name(ctx, span):
            yield _hit(span, entry, "GPE")


def _datelines(ctx: _Context) -> Iterator[_Hit]:
    """Places of a dateline opening a paragraph ("BUFFALO, N.Y. —")."""
    doc, gaz = ctx.doc, ctx.gaz
    for m in _DATELINE.finditer(ctx.text):
        place, region = m.group("place"), m.group("region")
        entry = gaz.lookup(place)
        region_entry = None
        if region:
            region_entry = gaz.abbreviations.get(region) or gaz.lookup(region)
        if entry is None and region_entry is None:
            continue
        span = doc.char_span(m.start("place"), m.end("place"), alignment_mode="expand")
        if span is not None:
            yield _hit(span, entry, "GPE")
        if region_entry is not None:
            span = doc.char_span(m.start("region"), m.end("region"), alignment_mode="expand")
            if span is not None:
                yield _hit(span, region_entry, "GPE")


def _described(ctx: _Context) -> Iterator[_Hit]:
    """Names the words around them call places: "the village of Khan Sheikhoun",
    "Addison, a village southwest of Ithaca"."""
    doc = ctx.doc
    orth = doc.to_array(ORTH)
    wanted = [doc.vocab.strings.add(noun) for noun in PLACE_NOUNS]
    for i in numpy.flatnonzero(numpy.isin(orth, wanted)):  # far cheaper than a Token per word
        tok = doc[int(i)]
        kind = PLACE_NOUNS[tok.text]
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if nxt is not None and nxt.text == "of" and _has_article_before(tok):
            span = _name_from(ctx, tok.i + 2)
            if span is not None:
                yield _described_hit(ctx, span, kind)
        elif (nxt is None or nxt.tag_ not in NOUN_TAGS or DIRECTION.fullmatch(nxt.lower_)) and tok.i >= 3:
            span = _apposition_head(ctx, tok)
            if span is not None:
                yield _described_hit(ctx, span, kind)


def _described_hit(ctx: _Context, span: Span, kind: str) -> _Hit:
    entry = ctx.gaz.lookup(span.text)
    return _hit(span, entry, "GPE", kind=kind)  # "the state of Washington": the state


def _has_article_before(tok: Token) -> bool:
    """"the (Libyan) city of": a determiner within three words before the noun."""
    doc = tok.doc
    for i in range(tok.i - 1, max(-1, tok.i - 4), -1):
        if doc[i].tag_ == "DT":
            return True
        if doc[i].tag_ not in ("JJ", "NNP", "VBN", "NN"):
            return False
    return False


def _apposition_head(ctx: _Context, noun: Token) -> Span | None:
    """X in "X, a (small) village": the name before a comma and an article."""
    doc = ctx.doc
    i = noun.i - 1
    while i > 0 and doc[i].tag_ in ("JJ", "RB", "RBS", "JJS") and noun.i - i <= 3:
        i -= 1
    if doc[i].lower_ not in ("a", "an") or i < 2 or doc[i - 1].text != ",":
        return None
    return _name_to(ctx, i - 1)


def _name_from(ctx: _Context, i: int) -> Span | None:
    """The name starting at token ``i``: its entity, else its run of proper nouns."""
    doc = ctx.doc
    if i >= len(doc) or not doc[i].text[:1].isupper():
        return None
    ent = ctx.entity_of.get(i)
    if ent is not None and ent.start == i:
        return _trim(ent)
    end = i
    while end < len(doc) and doc[end].tag_ in PROPER_TAGS and doc[end].text[:1].isupper():
        end += 1
    return doc[i:end] if end > i else None


def _name_to(ctx: _Context, end: int) -> Span | None:
    """The name ending just before token ``end``: its entity, else its proper nouns."""
    doc = ctx.doc
    i = end - 1
    if i < 0 or not doc[i].text[:1].isupper():
        return None
    ent = ctx.entity_of.get(i)
    if ent is not None:
        return _trim(ent) if ent.end == end and ent.label_ not in NUMERIC_LABELS else None
    start = end
    while start > 0 and doc[start - 1].tag_ in PROPER_TAGS and doc[start - 1].text[:1].isupper():
        start -= 1
    return doc[start:end] if start < end else None
