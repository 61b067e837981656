"""Property tests over the whole pipeline: bytes → load → clean → annotate → every export.

Whatever a page holds (random bytes, tag soup, terminal escapes, bidi overrides,
markup-like brackets), the pipeline either refuses it with a one-line
NewsreaderError or gives a Reading whose every string is safe to print and whose
every offset points at the words it claims.
"""
from __future__ import annotations

import io
import re
from collections.abc import Iterator

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import check_reading

from newsreader.errors import NewsreaderError
from newsreader.export import FORMATS, render
from newsreader.model import Reading
from newsreader.pipeline import annotate, clean, load

# C0 and C1 controls except \t and \n, DEL, and the bidi embeddings, overrides, isolates and marks.
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")

MARKS = ["\u201c", "\u201d", '"', "'", "\u2018", "\u2019", "\u00ab", "\u00bb", "\u201e", "\u201a", "\u2039", "\u203a"]
ENTITIES = ["&amp;", "&#x1b;", "&#27;", "&#8220;", "&#8221;", "&quot;", "&#x9b;", "&#x202e;", "&#x2066;",
            "&#0;", "&#x7f;", "&#xd800;", "&#x110000;", "&lt;b&gt;", "&#91;bold&#93;", "&nbsp;", "&bogus;"]
HOSTILE = ["\x1b]52;c;SGVsbG8=\x07", "\x1b]52;c;SGVsbG8=\x1b\\", "\x1b[31m", "\x1b[0m", "\x1b[2J", "\x1bP+q\x1b\\",
           "\x9b31m", "\x9d0;title\x9c", "\x1b", "\x07", "\x00", "\x08", "\r", "\x85", "\u202e", "\u202d",
           "\u2066", "\u200f", "\ufeff", "[bold red]x[/]", "[link=file:///etc/passwd]x[/link]", "[/]", "\\[b]"]
WORDS = ["The", "council", "said", "Mr", "Harrow", "Sarah Whitfield", "told reporters", "on Tuesday",
         "in London", "the ministry", "harbour", "—", ".", ",", "\u00e9t\u00e9", "\u4e2d\u6587", "\U0001f600"]
SENTENCES = [
    "The harbour board met on Tuesday to discuss the plan for a new ferry terminal on the north quay.",
    "\u201cWe will not sell the quay,\u201d said Sarah Whitfield, who chairs the board in Portmere.",
    '"It is over," the ministry said in a statement released in London late on Friday evening.',
    "Mr Harrow told reporters that the fishermen would keep protesting until the plans were withdrawn.",
]

ingredient = st.one_of(
    st.sampled_from(WORDS), st.sampled_from(MARKS), st.sampled_from(HOSTILE), st.sampled_from(SENTENCES),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8),
)
snippets = st.lists(ingredient, max_size=12).map(" ".join)
html_snippets = st.lists(st.one_of(ingredient, st.sampled_from(ENTITIES)), max_size=12).map(" ".join)

CHARSETS = ["utf-8", "windows-1252", "iso-8859-1", "shift_jis", "utf-16", "x-bogus", ""]
TAGS = ["html", "head", "title", "body", "article", "p", "div", "script", "style", "nav", "footer", "a", "q",
        "blockquote", "h1"]


def element(tag: str, children: list[str], closed: bool) -> str:
    attrs = ' href="javascript:alert(1)"' if tag == "a" else ""
    return f"<{tag}{attrs}>{''.join(children)}" + (f"</{tag}>" if closed else "")


meta = st.sampled_from(CHARSETS).map(lambda c: f'<meta charset="{c}">')
tag_soup = st.recursive(
    st.one_of(html_snippets, meta),
    lambda children: st.builds(element, st.sampled_from(TAGS), st.lists(children, max_size=4), st.booleans()),
    max_leaves=25,
)


@st.composite
def page_shaped(draw: st.DrawFn) -> str:
    """A page with the usual skeleton, so that cleaning often finds an article to annotate."""
    title = draw(snippets)
    paragraphs = draw(st.lists(st.tuples(st.sampled_from(SENTENCES), html_snippets), min_size=1, max_size=5))
    body = "".join(f"<p>{sentence} {extra}</p>" for sentence, extra in paragraphs)
    return (f"<html><head>{draw(meta)}<title>{title}</title></head><body><nav>{draw(tag_soup)}</nav>"
            f"<article><h1>{title}</h1>{body}</article><footer>{draw(tag_soup)}</footer></body></html>")


@st.composite
def encoded(draw: st.DrawFn, documents: st.SearchStrategy[str]) -> bytes:
    """A document as bytes in an encoding that may not match what it declares."""
    codec = draw(st.sampled_from(["utf-8", "utf-8", "windows-1252", "utf-16", "shift_jis"]))
    return draw(documents).encode(codec, errors="replace")


@st.composite
def spliced(draw: st.DrawFn) -> bytes:
    """A readable page with random bytes dropped into it: broken encodings, stray controls."""
    data = draw(encoded(page_shaped()))
    for noise in draw(st.lists(st.binary(min_size=1, max_size=6), max_size=6)):
        at = draw(st.integers(0, len(data)))
        data = data[:at] + noise + data[at:]
    return data


def strings_of(reading: Reading) -> Iterator[str]:
    """Every string of a Reading that the reader shows or an export writes."""
    a = reading.article
    yield from (s for s in (a.title, a.byline, a.site, a.date, a.text) if s is not None)
    for quote in reading.quotes:
        yield quote.text
        yield from (s for s in (quote.speaker, quote.mention and quote.mention.text) if s)
    for entity in reading.entities:
        yield from (s for s in (entity.text, entity.ref) if s)
    for who in (*reading.speakers, *reading.places):
        yield who.name
        yield from who.aliases


def run_pipeline(data: bytes) -> Reading | None:
    """The pipeline on piped bytes; None when it refused them with a one-line error."""
    try:
        return annotate(clean(load("-", stdin=io.BytesIO(data))))
    except NewsreaderError as error:
        assert "\n" not in str(error) and not UNSAFE.search(str(error)), repr(str(error))
        return None


def check_safe(data: bytes) -> None:
    reading = run_pipeline(data)
    if reading is None:
        return
    for s in strings_of(reading):
        assert not UNSAFE.search(s), repr(s)
    check_reading(reading)
    for name in FORMATS:
        out = render(reading, name)
        assert not UNSAFE.search(out), (name, UNSAFE.search(out))


SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.one_of(st.binary(max_size=2000), spliced()))
def test_random_bytes(data: bytes) -> None:
    check_safe(data)


@SETTINGS
@given(encoded(st.one_of(tag_soup, page_shaped())))
def test_random_html(data: bytes) -> None:
    check_safe(data)


@SETTINGS
@given(encoded(st.lists(st.one_of(snippets, st.sampled_from(["\n", "\n\n", "\r\n"])), min_size=1, max_size=20)
               .map("".join)))
def test_random_text(data: bytes) -> None:
    check_safe(data)
