"""Share of voice: who is quoted across many articles, how often and at what length.

The input is articles in the "newsreader/1" JSON contract (saved in the library, or
exported); nothing here runs the pipeline or imports the UI.  Each article's speakers
are already one entry per person or organisation (the annotator links "Trump" to
"Donald Trump" within an article); across articles they merge by their full canonical
name only:

- Two articles' "Donald Trump" are one row.  A person known in an article only by one
  word ("Trump", "Melanie") is no full name: that row never merges with another
  article's, not even with another bare "Trump", which may be someone else.
- A user's overrides file (``voices.toml`` beside the settings file) says which names
  are one person (``[[same]] names = [...]``, the first name is the one shown; a group
  of one name makes a one-word name, "Madonna", a full name) and gives genders
  (``[gender] "Name" = "female"``).

Counting, per row: the articles quoting them, their quotes, and their quoted words.  A
quote whose confidence is below :data:`SURE` and that nobody corrected is unsure: it is
counted apart (``unsure_quotes``, ``unsure_words``), or left out altogether.  A quote
with no confidence (an export older than confidences) counts as sure.  Quotes whose
speaker the article never names are one row of their own, kind ``unnamed``.

Gender comes, in order, from the overrides, from the articles (the pronouns and titles
used for that person there: ``gender`` and ``gender_source`` of each speaker), and is
otherwise unknown; articles that disagree leave it unknown.  It is never guessed here.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from newsreader.errors import NewsreaderError
from newsreader.model import SURE  # the reader's line between sure and unsure, the same here

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the same parser, before it joined the standard library
    import tomli as tomllib

__all__ = ["SURE", "Overrides", "QuoteRow", "Summary", "Voice", "VoicesError", "count_rows", "count_voices",
           "load_overrides", "quote_rows"]

OVERRIDES_NAME = "voices.toml"
GENDERS = ("female", "male")
UNNAMED = "(unnamed sources)"
_WORD = re.compile(r"\w+")
_MAX_OVERRIDES = 1 << 20

Kind = Literal["person", "organisation", "unnamed"]


class VoicesError(NewsreaderError):
    """An overrides file that cannot be used."""


@dataclass(frozen=True)
class Overrides:
    """The user's merges ("these names are one person") and genders."""

    same: Mapping[str, str] = field(default_factory=dict)  # a name's key -> the name shown for them
    gender: Mapping[str, str] = field(default_factory=dict)  # a name's key -> "female" or "male"

    def canonical(self, name: str) -> str:
        return self.same.get(name_key(name), name)


@dataclass
class Voice:
    """One speaker across the articles: a row of the table."""

    name: str
    kind: Kind
    gender: str | None = None
    gender_source: str | None = None  # "override", or how the articles knew it ("pronoun", "title", "name")
    articles: int = 0
    quotes: int = 0
    words: int = 0
    unsure_quotes: int = 0
    unsure_words: int = 0
    partial_name: bool = False  # known only by one word in its article: never merged across articles
    share_quotes: float = 0.0
    share_words: float = 0.0
    _sources: set[str] = field(default_factory=set, repr=False)
    _genders: dict[str, set[str]] = field(default_factory=dict, repr=False)  # gender -> how the articles knew it

    @property
    def sources(self) -> frozenset[str]:
        """The keys of the articles quoting them (the library's: each entry's source)."""
        return frozenset(self._sources)


@dataclass(frozen=True)
class GenderCount:
    """Persons of one gender (or unknown), counted three ways."""

    gender: str  # "female", "male" or "unknown"
    sources: int  # distinct people quoted (the Gender Gap Tracker's count)
    quotes: int
    words: int


@dataclass(frozen=True)
class Summary:
    """The table and its totals."""

    voices: tuple[Voice, ...]  # most quoted words first
    by_gender: tuple[GenderCount, ...]  # female, male, unknown: persons only
    articles: int
    quotes: int  # sure quotes counted in the rows (unsure ones are apart)
    words: int
    unsure_quotes: int
    unsure_left_out: bool

    @property
    def unknown_gender(self) -> int:
        return next(g.sources for g in self.by_gender if g.gender == "unknown")


def name_key(name: str) -> str:
    """How names compare: case, accents' forms and spacing aside."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def quoted_words(text: str) -> int:
    return len(_WORD.findall(text))


@dataclass(frozen=True)
class QuoteRow:
    """One quote as voices counts it: who (as the article names them), what kind, how many
    words, whether sure.  The library keeps one per saved quote."""

    speaker: str | None  # the article's canonical name; None: a source it never names
    kind: str  # "person" or "organisation" ("person" also for an unnamed source)
    gender: str | None  # what the article says: "female", "male" or None
    gender_source: str | None
    words: int
    sure: bool


def quote_rows(article: Mapping[str, Any]) -> Iterator[QuoteRow]:
    """The quotes of one newsreader/1 article."""
    speakers: dict[str, Mapping[str, Any]] = {}
    for s in article.get("speakers") or ():
        if isinstance(s, Mapping) and isinstance(s.get("name"), str):
            speakers.setdefault(s["name"], s)
    for quote in article.get("quotes") or ():
        if not isinstance(quote, Mapping):
            continue
        confidence = quote.get("confidence")
        sure = bool(quote.get("corrected")) or not isinstance(confidence, (int, float)) or confidence >= SURE
        words = quoted_words(str(quote.get("text") or ""))
        name = quote.get("speaker")
        if not isinstance(name, str) or not name.strip():
            yield QuoteRow(None, "person", None, None, words, sure)
            continue
        entry = speakers.get(name, {})
        kind = "organisation" if entry.get("kind") in ("organisation", "org") else "person"
        gender = entry.get("gender") if entry.get("gender") in GENDERS else None
        how = str(entry.get("gender_source") or "article") if gender else None
        yield QuoteRow(name, kind, gender, how, words, sure)


def count_voices(articles: Iterable[Mapping[str, Any]], overrides: Overrides | None = None, *,
                 kind: str | None = None, leave_out_unsure: bool = False, name_gender: bool = True) -> Summary:
    """The voices of ``articles`` (newsreader/1 dicts), streamed: one article in memory at a time."""
    def by_article() -> Iterator[tuple[str, Iterable[QuoteRow]]]:
        for number, article in enumerate(articles):
            yield f"{article.get('source') or ''}\x00{number}", quote_rows(article)

    return count_rows(by_article(), overrides, kind=kind, leave_out_unsure=leave_out_unsure, name_gender=name_gender)


def count_rows(articles: Iterable[tuple[str, Iterable[QuoteRow]]], overrides: Overrides | None = None, *,
               kind: str | None = None, leave_out_unsure: bool = False, name_gender: bool = True) -> Summary:
    """The voices of articles given as (a key of the article, its quote rows); without
    ``name_gender``, a gender the articles knew only from a first name counts as unknown."""
    overrides = overrides or Overrides()
    rows: dict[tuple[str, str], Voice] = {}
    n_articles = 0
    for article_key, quotes in articles:
        n_articles += 1
        for quote in quotes:
            if not quote.sure and leave_out_unsure:
                continue
            voice_key, shown, voice_kind, partial = _identity(quote, overrides, article_key)
            if kind is not None and voice_kind != kind:
                continue
            row = rows.get(voice_key)
            if row is None:
                row = rows[voice_key] = Voice(shown, voice_kind, partial_name=partial)
            if quote.gender and (name_gender or quote.gender_source != "name"):
                row._genders.setdefault(quote.gender, set()).add(quote.gender_source or "article")
            row._sources.add(article_key)
            if quote.sure:
                row.quotes += 1
                row.words += quote.words
            else:
                row.unsure_quotes += 1
                row.unsure_words += quote.words
    voices = list(rows.values())
    total_quotes = sum(v.quotes for v in voices)
    total_words = sum(v.words for v in voices)
    for v in voices:
        v.articles = len(v._sources)
        v.share_quotes = v.quotes / total_quotes if total_quotes else 0.0
        v.share_words = v.words / total_words if total_words else 0.0
        _settle_gender(v, overrides)
    voices.sort(key=lambda v: (v.kind == "unnamed", -v.words, -v.quotes, name_key(v.name)))
    return Summary(tuple(voices), _by_gender(voices), n_articles, total_quotes, total_words,
                   sum(v.unsure_quotes for v in voices), leave_out_unsure)


def _identity(quote: QuoteRow, overrides: Overrides, article_key: str) -> tuple[tuple[str, str], str, Kind, bool]:
    """The row a quote counts in (its key across articles), the name shown, the kind, and
    whether the name is one word only (then the key is this article's)."""
    if quote.speaker is None:
        return ("unnamed", ""), UNNAMED, "unnamed", False
    kind: Kind = "organisation" if quote.kind == "organisation" else "person"
    shown = overrides.canonical(quote.speaker)
    partial = kind == "person" and len(shown.split()) < 2 and name_key(shown) not in overrides.same
    return (kind, name_key(shown) + (f"\x00{article_key}" if partial else "")), shown, kind, partial


def _settle_gender(voice: Voice, overrides: Overrides) -> None:
    if voice.kind != "person":
        return
    given = overrides.gender.get(name_key(voice.name))
    if given:
        voice.gender, voice.gender_source = given, "override"
    elif len(voice._genders) == 1:  # the articles agree
        (gender, how), = voice._genders.items()
        voice.gender, voice.gender_source = gender, "/".join(sorted(how))


def _by_gender(voices: list[Voice]) -> tuple[GenderCount, ...]:
    persons = [v for v in voices if v.kind == "person"]
    out = []
    for gender in (*GENDERS, "unknown"):
        group = [v for v in persons if (v.gender or "unknown") == gender]
        out.append(GenderCount(gender, sum(1 for v in group if v.quotes), sum(v.quotes for v in group),
                               sum(v.words for v in group)))
    return tuple(out)


def overrides_path(settings_file: Path) -> Path:
    """The overrides file: beside the settings file."""
    return settings_file.parent / OVERRIDES_NAME


def load_overrides(path: Path, *, required: bool = False) -> Overrides:
    """Read an overrides file; a missing one is no overrides unless ``required``."""
    try:
        with path.open("rb") as f:
            raw = f.read(_MAX_OVERRIDES + 1)
    except FileNotFoundError:
        if required:
            raise VoicesError(f"no overrides file at {path}") from None
        return Overrides()
    except OSError as exc:
        raise VoicesError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if len(raw) > _MAX_OVERRIDES:
        raise VoicesError(f"{path} is too large for an overrides file")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise VoicesError(f"{path}: {exc}") from exc
    same: dict[str, str] = {}
    for number, group in enumerate(data.get("same") or [], 1):
        names = group.get("names") if isinstance(group, dict) else None
        if not isinstance(names, list) or not names or not all(isinstance(n, str) and n.strip() for n in names):
            raise VoicesError(f"{path}: [[same]] entry {number} needs names = [\"Name\", \"Other name\", …]")
        for name in names:
            same[name_key(name)] = names[0].strip()
    gender: dict[str, str] = {}
    table = data.get("gender") or {}
    if not isinstance(table, dict):
        raise VoicesError(f"{path}: [gender] must be a table of \"Name\" = \"female\" or \"male\"")
    for name, value in table.items():
        if value not in GENDERS:
            raise VoicesError(f"{path}: gender of {name!r} must be \"female\" or \"male\", not {value!r}")
        gender[name_key(same.get(name_key(str(name)), str(name)))] = value
    unknown = set(data) - {"same", "gender"}
    if unknown:
        raise VoicesError(f"{path}: unknown table {sorted(unknown)[0]!r} (use [[same]] and [gender])")
    return Overrides(same, gender)


# -- input -------------------------------------------------------------------------------

_MAX_JSON = 64 << 20  # bytes of one article's JSON worth reading


def json_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The JSON files named, and those inside the folders named (sorted, recursively)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.json") if p.is_file())
        else:
            yield path


def read_article(path: Path) -> dict[str, Any]:
    """One newsreader/1 article from a JSON file, or :class:`VoicesError` saying why not."""
    import json

    try:
        with path.open("rb") as f:
            raw = f.read(_MAX_JSON + 1)
    except OSError as exc:
        raise VoicesError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if len(raw) > _MAX_JSON:
        raise VoicesError(f"{path} is larger than an article's JSON ({_MAX_JSON >> 20} MB)")
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise VoicesError(f"{path} is not JSON: {exc}") from exc
    if not isinstance(data, dict) or data.get("schema") != "newsreader/1":
        raise VoicesError(f"{path} is not a newsreader/1 article (see 'newsreader export --help')")
    return data


@dataclass(frozen=True)
class Filters:
    """Which articles count: all the words, the site, a date range (ISO dates, inclusive)."""

    search: str | None = None
    site: str | None = None
    since: str | None = None
    until: str | None = None

    def __call__(self, article: Mapping[str, Any]) -> bool:
        site = self.site
        if site and name_key(str(article.get("site") or "")) != name_key(site):
            return False
        date = str(article.get("date") or "")[:10]
        if (self.since or self.until) and not date:
            return False  # an undated article is in no date range
        if (self.since and date < self.since) or (self.until and date > self.until):
            return False
        search = self.search
        if search is not None:
            haystack = name_key(" ".join(str(article.get(k) or "") for k in ("title", "byline", "site", "text")))
            speakers = " ".join(str(s.get("name", "")) for s in article.get("speakers") or () if isinstance(s, Mapping))
            haystack += " " + name_key(speakers)
            words = set(_WORD.findall(haystack))
            return all(w in words for w in _WORD.findall(name_key(search)))
        return True


# -- output ------------------------------------------------------------------------------

COLUMNS = ("name", "kind", "gender", "gender_source", "articles", "quotes", "words", "share_quotes",
           "share_words", "unsure_quotes", "unsure_words", "partial_name")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet would run as a formula


def rows(summary: Summary) -> list[dict[str, Any]]:
    """One dict per voice, with the :data:`COLUMNS`."""
    return [{c: getattr(v, c) for c in COLUMNS} for v in summary.voices]


def to_json(summary: Summary) -> str:
    import json

    by_gender = [{"gender": g.gender, "sources": g.sources, "quotes": g.quotes, "words": g.words}
                 for g in summary.by_gender]
    return json.dumps({
        "articles": summary.articles, "quotes": summary.quotes, "words": summary.words,
        "unsure_quotes": summary.unsure_quotes, "unsure_left_out": summary.unsure_left_out, "sure_at": SURE,
        "unknown_gender": summary.unknown_gender, "by_gender": by_gender, "voices": rows(summary),
    }, ensure_ascii=False, indent=2) + "\n"


def to_csv(summary: Summary) -> str:
    """The voices as CSV; a name a spreadsheet would take for a formula is quoted with ``'``."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows(summary):
        name = str(row["name"])
        row["name"] = f"'{name}" if name.startswith(_FORMULA) else name
        writer.writerow({k: (f"{v:.4f}" if isinstance(v, float) else v) for k, v in row.items()})
    return out.getvalue()


def write_parquet(summary: Summary, path: Path, *, overwrite: bool) -> None:
    """The voices as a Parquet table (the :data:`COLUMNS`), written whole or not at all.

    Needs pyarrow (``pip install 'newsreader[parquet]'``). An existing file is replaced
    only with ``overwrite`` (FileExistsError otherwise).
    """
    from newsreader.export.files import atomic_file

    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise VoicesError("Parquet needs pyarrow: pip install 'newsreader[parquet]'") from None
    schema = pa.schema([("name", pa.string()), ("kind", pa.string()), ("gender", pa.string()),
                        ("gender_source", pa.string()), ("articles", pa.int64()), ("quotes", pa.int64()),
                        ("words", pa.int64()), ("share_quotes", pa.float64()), ("share_words", pa.float64()),
                        ("unsure_quotes", pa.int64()), ("unsure_words", pa.int64()), ("partial_name", pa.bool_())])
    table = pa.Table.from_pylist(rows(summary), schema=schema)
    with atomic_file(path, overwrite=overwrite, binary=True) as out:
        pq.write_table(table, out)
