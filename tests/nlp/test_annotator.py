"""Parsing long texts in pieces: the pieces give the text back, none is too long, few are
held at once, text without words skips the model, and annotation stops at a documented cap."""
from __future__ import annotations

import functools
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsreader.export.jsonfmt import from_dict, render_json
from newsreader.model import Article
from newsreader.nlp import ANNOTATE_LIMIT, annotate
from newsreader.nlp.annotator import BARE_RUN, PIPE_BATCH, annotated_end, chunk_bounds, name_nicknamed, parse, relabel_by_context
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


def test_the_pieces_join_as_spacy_joins_them() -> None:
    from spacy.tokens import Doc

    text = news(25)
    paragraphs = Article("t", None, None, None, None, text).paragraphs
    cuts = chunk_bounds(text, paragraphs)
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)])]
    expected = Doc.from_docs(list(get_nlp().pipe(pieces)), ensure_whitespace=False)
    got = parse(text, paragraphs)

    def parsed(doc):
        return [(t.idx, t.text, t.whitespace_, t.tag_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_, t.is_sent_start)
                for t in doc]

    assert len(cuts) >= 2 and parsed(got) == parsed(expected)


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


# -- the annotation cap ----------------------------------------------------------------


LONG = news(8)  # eight paragraphs of about 1,000 characters


def test_annotation_stops_at_a_paragraph_end_within_the_limit() -> None:
    article = Article("t", None, None, None, None, LONG)
    whole = annotate(article, limit=None)
    capped = annotate(article, limit=3_500)
    ends = [end for _, end in article.paragraphs]
    assert whole.annotated_to is None and whole.annotation_note() is None
    assert capped.annotated_to == max(e for e in ends if e <= 3_500)
    assert capped.article is article  # the whole text is still there, to read
    assert capped.quotes and all(q.end <= capped.annotated_to for q in capped.quotes)
    assert all(e.end <= capped.annotated_to for e in capped.entities)
    assert capped.quotes == whole.quotes[: len(capped.quotes)]
    assert f"first {capped.annotated_to:,} of {len(LONG):,} characters" in capped.annotation_note()


def test_one_paragraph_longer_than_the_limit_is_cut_at_a_sentence_end() -> None:
    text = LONG.replace("\n\n", " ")
    stop = annotated_end(text, Article("t", None, None, None, None, text).paragraphs, 2_500)
    assert stop is not None and stop <= 2_500 and text[:stop].endswith(". ")
    assert annotated_end(text, [], None) is None and annotated_end(text, [], len(text)) is None


def test_the_cap_is_in_the_json_only_when_annotation_stopped_short() -> None:
    capped = annotate(Article("t", None, None, None, None, LONG), limit=3_500)
    d = json.loads(render_json(capped))
    assert d["annotated_to"] == capped.annotated_to
    assert from_dict(d) == capped
    assert "annotated_to" not in json.loads(render_json(annotate(Article("t", None, None, None, None, LONG))))


def test_the_default_limit_covers_a_100_000_word_article() -> None:
    assert ANNOTATE_LIMIT >= 600_000 + 100_000 * 2  # ~6 characters a word, with room to spare


def test_export_says_on_stderr_that_annotation_stopped(
    tmp_path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from newsreader import cli, pipeline

    monkeypatch.setattr(pipeline, "annotate", functools.partial(pipeline.annotate, limit=3_500))
    source = tmp_path / "long.txt"
    source.write_text("Harbour vote\n\n" + LONG, encoding="utf-8")
    assert cli.main(["export", str(source), "--format", "txt"]) == 0
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and err.startswith(f"newsreader: {source}: warning: annotated only the first ")
    assert LONG.split("\n\n")[-1].strip() in out  # the whole text is still written


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
async def test_the_reader_notes_that_annotation_stopped() -> None:
    from tui_support import no_pipeline

    from newsreader.tui.app import NewsreaderApp

    capped = annotate(Article("t", "Harbour", None, None, None, LONG), limit=3_500)
    notes: list[tuple[str, str]] = []
    app = NewsreaderApp(reading=capped, pipeline=no_pipeline())
    app.notify = lambda message, **kw: notes.append((message, kw.get("severity", "")))  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
    assert notes == [(f"{capped.annotation_note()[:1].upper()}{capped.annotation_note()[1:]}.", "warning")]


def test_a_name_said_a_thousand_times_is_kept_once_per_spelling() -> None:
    # every mention used to add its form again, and each new name was worked out
    # from all of them: time quadratic in the mentions of one person
    from newsreader.nlp.speakers import Resolver

    text = "\n\n".join(["Sarah Whitfield spoke first. Whitfield said the quay would stay."] * 300)
    resolver = Resolver(parse(text, Article("t", None, None, None, None, text).paragraphs))
    (person,) = [c for c in resolver.clusters if c.kind == "person"]
    assert person.name == "Sarah Whitfield" and sorted(person.forms) == ["Sarah Whitfield", "Whitfield"]


def test_a_paragraph_starts_a_sentence_and_a_closing_mark_ends_one() -> None:
    """The parser must not run a sentence on across a paragraph break: the new paragraph's
    subject would become part of the quote's sentence before it."""
    text = ('"There\'s an uncertainty whether he can raise money."\n\n'
            "Brenn bristles at the suggestion he won't be ready. \"I've raised all I need,\" he said.")
    sentences = [s.text.strip() for s in get_nlp()(text).sents]
    assert sentences[:2] == ['"There\'s an uncertainty whether he can raise money."',
                             "Brenn bristles at the suggestion he won't be ready."]


def _tagged(words: list[str], tags: list[str], ents: list[str]):
    """A Doc with the given tags and entities (IOB strings), as the model might leave it."""
    from spacy.tokens import Doc

    return Doc(get_nlp().vocab, words=words, tags=tags, ents=ents)


def test_a_given_name_before_a_known_surname_is_a_person() -> None:
    words = ["Donald", "Harrow", "spoke", ".", "Zelinka", "Harrow", "wrote", "an", "essay", "."]
    tags = ["NNP", "NNP", "VBD", ".", "NNP", "NNP", "VBD", "DT", "NN", "."]
    doc = _tagged(words, tags, ["B-PERSON", "I-PERSON", "O", "O", "B-PRODUCT", "I-PRODUCT", "O", "O", "O", "O"])
    relabel_by_context(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("Donald Harrow", "PERSON"), ("Zelinka Harrow", "PERSON")]
    # an organisation keeps its label unless its first word is a listed given name
    doc = _tagged(words, tags, ["B-PERSON", "I-PERSON", "O", "O", "B-ORG", "I-ORG", "O", "O", "O", "O"])
    relabel_by_context(doc)
    assert doc.ents[1].label_ == "ORG"


def test_a_person_followed_by_which_is_an_organisation() -> None:
    words = ["Hollin", "Marsh", ",", "which", "built", "the", "wall", ",", "objects", "."]
    tags = ["NNP", "NNP", ",", "WDT", "VBD", "DT", "NN", ",", "VBZ", "."]
    doc = _tagged(words, tags, ["B-PERSON", "I-PERSON", "O", "O", "O", "O", "O", "O", "O", "O"])
    relabel_by_context(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("Hollin Marsh", "ORG")]
    # after a person's name "which" may take up the whole clause: the name stays a person's
    words = ["The", "prize", "went", "to", "Maria", "Lopez", ",", "which", "surprised", "no", "one", "."]
    tags = ["DT", "NN", "VBD", "IN", "NNP", "NNP", ",", "WDT", "VBD", "DT", "NN", "."]
    doc = _tagged(words, tags, ["O"] * 4 + ["B-PERSON", "I-PERSON"] + ["O"] * 6)
    relabel_by_context(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("Maria Lopez", "PERSON")]


def test_a_nickname_needs_a_given_name_and_a_surname() -> None:
    for text in ("In May \u201cHamilton\u201d Tickets sold out within an hour.",
                 "Trump called Warren \u201cPocahontas\u201d Thursday at a rally.",
                 "Photo by Mark\n\n\u201cNever\u201d Again is the name of the group."):
        doc = get_nlp()(text)
        name_nicknamed(doc, text)
        assert not [e for e in doc.ents if e.label_ == "PERSON" and "\u201c" in e.text], text
    text = "The mayor, Marcia \u201cCia\u201d Price, opened the harbour."
    doc = get_nlp()(text)
    name_nicknamed(doc, text)
    assert "Marcia \u201cCia\u201d Price" in [e.text for e in doc.ents if e.label_ == "PERSON"]


def test_the_demo_firm_is_an_organisation_and_the_warden_a_person() -> None:
    from newsreader.pipeline import clean
    from newsreader.samples import demo_page

    reading = annotate(clean(demo_page()))
    labels = {e.text: e.label for e in reading.entities}
    assert labels["Hollin Marsh"] == "ORG"
    assert labels["Tom \u201cSandbags\u201d Whitcombe"] == "PERSON"
