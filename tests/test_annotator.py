"""Parsing long texts in pieces: the pieces give the text back, none is too long, few are
held at once, and text without words skips the model."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsreader.model import Article
from newsreader.nlp import annotate
from newsreader.nlp.annotator import BARE_RUN, PIPE_BATCH, chunk_bounds, parse
from newsreader.nlp.model import get_nlp


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


# -- memory and time: bounded whatever the text ----------------------------------------


class PipeSpy:
    """Wraps the pipeline's ``pipe``: how many pieces it has taken from its input before
    handing back each Doc (the ones it holds at once), and every text the model saw."""

    def __init__(self, nlp) -> None:
        self.nlp, self.real_pipe, self.real_call = nlp, nlp.pipe, type(nlp).__call__
        self.held: list[int] = []
        self.seen: list[str] = []

    def pipe(self, texts, **kwargs):
        taken = 0

        def counted():
            nonlocal taken
            for text in texts:
                taken += 1
                self.seen.append(text)
                yield text

        for given_back, doc in enumerate(self.real_pipe(counted(), **kwargs), 1):
            self.held.append(taken - given_back + 1)
            yield doc

    def call(self, text, *args, **kwargs):
        self.seen.append(text)
        return self.real_call(self.nlp, text, *args, **kwargs)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> PipeSpy:
    nlp = get_nlp()
    watcher = PipeSpy(nlp)
    monkeypatch.setattr(nlp, "pipe", watcher.pipe)
    monkeypatch.setattr(type(nlp), "__call__", lambda self, text, *a, **kw: watcher.call(text, *a, **kw))
    return watcher


def news(paragraphs: int) -> str:
    para = ("\u201cWe will not sell the quay,\u201d said Sarah Whitfield, who leads the fishermen of Dunmere. "
            "The harbour board in Portmere meets again on Tuesday to vote on the plan. ") * 6
    return "\n\n".join([para] * paragraphs)


def test_parse_holds_a_few_pieces_at_a_time_and_keeps_no_tensor(spy: PipeSpy) -> None:
    text = news(60)  # 60 paragraphs of about 1,000 characters: six pieces or more
    doc = parse(text, Article("t", None, None, None, None, text).paragraphs)
    assert doc.text == text
    assert len(spy.held) > 5 and max(spy.held) <= PIPE_BATCH + 1  # not every piece at once
    assert doc.tensor.size == 0  # the per-token vectors of tok2vec are not kept


WALL = "\u201c" * 30_000  # a wall of quotation marks: one token a character, no words


def test_stretches_without_words_skip_the_model_and_the_tokenizer(spy: PipeSpy) -> None:
    text = f"Headline\n\nHe said {WALL} and left.\n\n{'- ' * 20_000}\n\nShe said: \u201cNo.\u201d"
    doc = parse(text, Article("t", None, None, None, None, text).paragraphs)
    assert doc.text == text
    assert all(text[t.idx : t.idx + len(t.text)] == t.text for t in doc)
    assert sum(map(len, spy.seen)) < 200  # only the words went to spaCy
    assert not any(re.search(rf"[\W_]{{{BARE_RUN}}}", s) for s in spy.seen)
    reading = annotate(Article("t", None, None, None, None, text))
    assert reading.quotes[-1].text == "No." and all(text[q.start : q.end] == q.text for q in reading.quotes)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(["Mr Lee said.", "\u201cYes,\u201d he said.", "\n\n", " "]),
                          st.builds(lambda c, n: c * n, st.sampled_from(["\u201c", "-", " ", ".\n", "\u2014 "]),
                                    st.integers(1, 200))), max_size=12))
def test_bare_stretches_keep_every_offset(parts: list[str]) -> None:
    text = "".join(parts)
    doc = parse(text, Article("t", None, None, None, None, text).paragraphs)
    assert doc.text == text
    assert all(text[t.idx : t.idx + len(t.text)] == t.text for t in doc)


def test_a_name_said_a_thousand_times_is_kept_once_per_spelling() -> None:
    # every mention used to add its form again, and each new name was worked out
    # from all of them: time quadratic in the mentions of one person
    from newsreader.nlp.speakers import Resolver

    text = "\n\n".join(["Sarah Whitfield spoke first. Whitfield said the quay would stay."] * 300)
    resolver = Resolver(parse(text, Article("t", None, None, None, None, text).paragraphs))
    (person,) = [c for c in resolver.clusters if c.kind == "person"]
    assert person.name == "Sarah Whitfield" and sorted(person.forms) == ["Sarah Whitfield", "Whitfield"]
