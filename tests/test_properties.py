"""Property tests: annotation never crashes on odd text and every offset it reports
points at the words it claims, whatever quote marks, blank lines or control
characters the text holds."""
from __future__ import annotations

from annotation_support import article
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsreader.model import Reading
from newsreader.nlp import annotate
from newsreader.nlp.marks import find_marked

MARKS = ["\u201c", "\u201d", '"', "'", "\u2018", "\u2019", "\u00ab", "\u00bb", "\u201e", "\u201a", "\u2033"]
WORDS = ["the", "said", "he", "she", "it's", "Mr", "Ms", "Harrow", "Sarah Whitfield", "ministry",
         "according to", "told", "warned", "'90s", "James'", "so-called", "we", "I", "Ellery",
         "Ruritanian Ministry of Fisheries", "a spokesperson for", "Dunmere", "said:", "\u2014",
         "quay", "boats", "x", "Q", "7", "\u00e9t\u00e9", "\u4e2d\u6587", "\U0001f600"]
PUNCT = [".", ",", ";", ":", "!", "?", "-", "\u2013", "(", ")", "\u2026"]
SPACES = [" ", " ", " ", "\n", "\n\n", "\n\n\n", "\t", "  "]
CONTROLS = ["\x00", "\x07", "\x1b", "\x1b[31m", "\r", "\x7f", "\x85", "\x9b", "\u202e", "\u200b", "\ufeff"]

pieces = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(MARKS),
    st.sampled_from(PUNCT),
    st.sampled_from(SPACES),
    st.sampled_from(CONTROLS),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=6),
)
# quote marks and spaces are weighted up: they are what the pairing rules are about
texts = st.lists(st.one_of(pieces, st.sampled_from(MARKS), st.sampled_from(SPACES)), max_size=120).map("".join)


def check_span(text: str, span) -> None:
    assert 0 <= span.start <= span.end <= len(text), span
    assert text[span.start : span.end] == span.text, span


def check_reading(reading: Reading) -> None:
    text = reading.article.text
    for entity in reading.entities:
        check_span(text, entity)
    for quote in reading.quotes:
        check_span(text, quote)
        if quote.mention is not None:
            check_span(text, quote.mention)
    names = [s.name for s in reading.speakers]
    assert len(names) == len(set(names)), names
    for s in reading.speakers:
        assert s.quotes, s
        assert len(set(s.quotes)) == len(s.quotes)
        for i in s.quotes:
            assert 0 <= i < len(reading.quotes)
            assert reading.quotes[i].speaker == s.name
    for quote in reading.quotes:
        assert quote.speaker is None or quote.speaker in names, quote


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_annotation_never_crashes_and_offsets_are_in_bounds(text: str) -> None:
    check_reading(annotate(article(text)))


# Random text rarely holds an attributed quote; these fragments often do, so the
# speaker and mention invariants get exercised too.
quote_shaped = st.lists(st.sampled_from([
    "Mr David Harrow runs the yard.", "\u201cWe will not sell,\u201d he said.", "She said: \u201cNo.",
    "\u2018Fine,\u2019 said Ms Sarah Whitfield.", '"It is over," the ministry said', "according to Ellery,",
    "\u00abNon\u00bb \u2014 Harrow", "the so-called \u2018deal\u2019", "a spokeswoman for Dunmere Council said",
    "'", '"', "\u201c", "\n\n", " ", "\x1b[2J",
]), min_size=3, max_size=40).map("".join)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(quote_shaped)
@example("\u201cWe will not sell,\u201d he said.according to Ellery,according to Ellery,Mr David Harrow runs the "
         "yard.Mr David Harrow runs the yard.\u00abNon\u00bb \u2014 Harrowaccording to Ellery,")  # one name, two kinds
def test_annotation_of_quote_shaped_text_keeps_its_invariants(text: str) -> None:
    check_reading(annotate(article(text)))


def check_marked(text: str) -> None:
    paragraphs = article(text).paragraphs
    marked = find_marked(text, paragraphs)
    previous_end = -1
    for m in marked:
        assert 0 < m.start <= m.end <= len(text)
        assert text[m.start - 1] in MARKS, (m, text[m.start - 1])
        assert any(c.isalnum() for c in text[m.start : m.end])
        assert previous_end < m.start, "stretches overlap or are out of order"
        assert any(lo <= m.start - 1 and m.end <= hi for lo, hi in paragraphs), "stretch crosses paragraphs"
        previous_end = m.end


@settings(max_examples=200, deadline=None)
@given(texts)
def test_find_marked_stretches_are_ordered_and_in_bounds(text: str) -> None:
    check_marked(text)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(texts, min_size=1, max_size=8), st.integers(min_value=1, max_value=60))
def test_find_marked_on_large_text(chunks: list[str], repeat: int) -> None:
    # long articles: many paragraphs and thousands of marks, with no quadratic blow-up
    check_marked("\n\n".join(chunks) * repeat)
