"""The values that flow through the pipeline: Page → Article → Reading.

Every stage takes the previous stage's value and returns a new immutable one.
Offsets are Python string indices into ``Article.text``, half-open ``[start, end)``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["html", "text"]
SURE = 0.9  # from this confidence on, an attribution is shown as certain
BlockKind = Literal["paragraph", "heading", "list_item", "blockquote", "caption", "table"]
SpeakerKind = Literal["person", "organisation"]
GenderSource = Literal["pronoun", "title", "name", "override"]


@dataclass(frozen=True)
class Page:
    """A loaded source: decoded text plus what we know about where it came from."""

    source: str  # what the user gave: a URL, a path, or "-"
    text: str  # decoded content (HTML markup or plain text)
    kind: Kind  # how to clean it
    url: str | None = None  # final URL after redirects, for web sources
    content_type: str | None = None
    encoding: str | None = None


@dataclass(frozen=True)
class Block:
    """One paragraph of ``Article.text`` and what it is on the page."""

    start: int
    end: int
    kind: BlockKind = "paragraph"


@dataclass(frozen=True)
class Article:
    """The clean article: metadata and body text.

    ``text`` holds the paragraphs separated by one blank line. ``blocks`` says what each
    paragraph is (a heading, a list item…); empty means every paragraph is plain.
    """

    source: str
    title: str | None
    byline: str | None
    site: str | None
    date: str | None
    text: str
    standfirst: str | None = None  # the deck under the headline; the body's first paragraph
    language: str | None = None  # BCP 47 code of the body ("en"), None when unknown
    blocks: tuple[Block, ...] = ()

    @property
    def opens_with_standfirst(self) -> bool:
        """Whether the body's first paragraph is the standfirst (it is whenever there is one)."""
        return bool(self.standfirst) and self.text.split("\n\n", 1)[0] == self.standfirst

    @property
    def english(self) -> bool:
        """Whether the annotator can read the body: English, or a language not told."""
        return self.language is None or self.language.split("-")[0] == "en"

    def language_note(self) -> str | None:
        """One line saying the body is in a language the annotator cannot read, or None."""
        if self.english:
            return None
        from newsreader.language import language_name

        return (f"quotes, speakers and places need English text, and this article is in "
                f"{language_name(self.language)}: it shows without them")

    @property
    def structure(self) -> tuple[Block, ...]:
        """One block per paragraph: ``blocks``, or plain paragraphs when none were given."""
        return self.blocks or tuple(Block(s, e) for s, e in self.paragraphs)

    @property
    def paragraphs(self) -> list[tuple[int, int]]:
        """(start, end) offsets of each paragraph in ``text``."""
        out, pos = [], 0
        for para in self.text.split("\n\n"):
            if para:
                out.append((pos, pos + len(para)))
            pos += len(para) + 2
        return out


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    text: str
    label: str  # spaCy's OntoNotes label: PERSON, ORG, GPE, LOC, NORP, ...
    ref: str | None = None  # the speaker or place name this mention belongs to


@dataclass(frozen=True)
class Quote:
    start: int
    end: int
    text: str  # the words inside the marks
    speaker: str | None = None  # canonical name
    mention: Span | None = None  # the words that attribute it ("he", "Mr Tillerson")
    confidence: float | None = None  # estimated probability that ``speaker`` is right
    rule: str | None = None  # the name of the rule that attributed it
    corrected: bool = False  # a person set the speaker by hand (then confidence is 1.0)

    @property
    def sure(self) -> bool:
        """Whether to show the attribution as certain: set by hand, or a confidence of at
        least SURE. No confidence at all (a copy saved before there were any) counts as
        sure: nothing says it is in doubt, and it looks as it always did."""
        return self.corrected or self.confidence is None or self.confidence >= SURE


@dataclass(frozen=True)
class Speaker:
    name: str
    aliases: tuple[str, ...] = ()
    kind: SpeakerKind = "person"
    quotes: tuple[int, ...] = ()  # indices into Reading.quotes
    gender: Literal["female", "male"] | None = None
    gender_source: GenderSource | None = None


@dataclass(frozen=True)
class Place:
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "place"  # country, city, region, state, continent, place
    mentions: int = 0
    lat: float | None = None  # decimal degrees
    lon: float | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    geonameid: int | None = None


@dataclass(frozen=True)
class Reading:
    """An article with its annotations: what the reader shows and export writes."""

    article: Article
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    speakers: tuple[Speaker, ...] = ()
    places: tuple[Place, ...] = field(default_factory=tuple)
    # Annotation covers article.text[:annotated_to]; None when it covers the whole text.
    annotated_to: int | None = None

    def annotation_note(self) -> str | None:
        """One line saying that annotation stopped short of the end, or None."""
        if not self.article.english:
            return self.article.language_note()
        if self.annotated_to is None:
            return None
        return (f"annotated only the first {self.annotated_to:,} of {len(self.article.text):,} characters: "
                "the rest shows without quotes, speakers or places")
