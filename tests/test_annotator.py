"""Parsing long texts in pieces: the pieces give the text back, none is too long."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsreader.model import Article
from newsreader.nlp.annotator import chunk_bounds, parse


def pieces(text: str, size: int) -> list[str]:
    cuts = chunk_bounds(text, Article("t", None, None, None, None, text).paragraphs, size)
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)])]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="ab .!?\n", max_size=300), max_size=20), st.integers(5, 120))
def test_pieces_join_to_the_text_and_stay_small(parts: list[str], size: int) -> None:
    text = "\n\n".join(parts)
    got = pieces(text, size)
    assert "".join(got) == text
    # a piece is longer than asked only when it holds no place to cut (no space)
    assert all(len(p) <= size + 2 or " " not in p.strip() for p in got)


def test_one_enormous_paragraph_is_cut_at_sentence_ends() -> None:
    text = "The council met again. " * 3000  # 69,000 characters, no paragraph break
    got = pieces(text, 10_000)
    assert len(got) > 6 and all(p.endswith(". ") for p in got[:-1])


def test_parsing_in_pieces_keeps_offsets() -> None:
    text = ("Mr Lee said the plan would work. " * 700).strip()  # one 23,000-character paragraph
    doc = parse(text, Article("t", None, None, None, None, text).paragraphs)
    assert doc.text == text
    assert all(text[t.idx : t.idx + len(t.text)] == t.text for t in doc)
