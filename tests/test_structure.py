"""The article's structure from page to screen: headings, lists, quotations and the
standfirst survive the clean step in any script, reach every export, and the reader
says when a body is not English."""
from __future__ import annotations

import json

import pytest
from markdown_it import MarkdownIt
from structure_support import (
    DECK,
    GERMAN,
    JAPANESE,
    LIST_PARAGRAPHS,
    ONE_BLOCK,
    STEPS,
    TOUR_DATES,
    german_page,
    html,
    japanese_page,
    list_page,
    one_block_page,
    standfirst_page,
)
from tui_support import no_pipeline

from newsreader.clean import clean
from newsreader.export import render
from newsreader.nlp.annotator import annotate
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.article_view import ArticleView
from newsreader.tui.layout import BODY, NOTE


# anyio's pytest plugin (anyio comes with httpx) runs the async tests on asyncio.
@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def blocks(article) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(b.kind, article.text[b.start:b.end]) for b in article.structure]


def test_a_japanese_article_keeps_every_paragraph_and_says_it_is_japanese() -> None:
    article = clean(html(japanese_page()))
    assert [text for _, text in blocks(article)] == JAPANESE  # the short third one too
    assert article.language == "ja"


def test_a_german_article_keeps_its_subheading_and_its_lead_in() -> None:
    article = clean(html(german_page()))
    assert [text for _, text in blocks(article)] == GERMAN
    assert blocks(article)[2] == ("heading", "Was ändert sich für Waldbesitzer")
    assert article.language == "de"


def test_a_body_in_another_language_is_not_annotated_and_the_note_says_why() -> None:
    reading = annotate(clean(html(german_page())))
    assert (reading.entities, reading.quotes, reading.speakers, reading.places) == ((), (), (), ())
    note = reading.annotation_note()
    assert note and "need English text" in note and "German" in note
    english = annotate(clean(html(list_page())))
    assert english.annotation_note() is None and english.entities


@pytest.mark.anyio
async def test_the_reader_shows_the_note_above_a_body_it_did_not_annotate() -> None:
    reading = annotate(clean(html(japanese_page())))
    app = NewsreaderApp(reading=reading, pipeline=no_pipeline())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        lines = view.text_layout.lines
        note = " ".join(view.row_text(row) for row, line in enumerate(lines) if line.kind == NOTE)
        assert "need English text" in note and "Japanese" in note
        first_body = next(row for row, line in enumerate(lines) if line.kind == BODY)
        assert max(row for row, line in enumerate(lines) if line.kind == NOTE) < first_body


def test_a_list_page_keeps_every_item_as_a_list_item() -> None:
    article = clean(html(list_page()))
    got = blocks(article)
    assert [text for kind, text in got if kind == "list_item"] == [
        *TOUR_DATES, *(f"{n}. {step}" for n, step in enumerate(STEPS, 1))
    ]
    assert ("heading", "Tour dates") in got
    assert ("blockquote", "We have missed the stage more than we can say.") in got
    assert [text for kind, text in got if kind == "paragraph"] == LIST_PARAGRAPHS


def test_an_article_that_is_one_block_is_not_discarded() -> None:
    assert clean(html(one_block_page())).text == ONE_BLOCK


def test_the_standfirst_survives_and_opens_the_body_once() -> None:
    article = clean(html(standfirst_page()))
    assert article.standfirst == DECK
    assert article.text.split("\n\n") == [DECK, *LIST_PARAGRAPHS]
    assert article.opens_with_standfirst
    reading = annotate(article)
    assert json.loads(render(reading, "json"))["standfirst"] == DECK
    for fmt in ("md", "txt", "html"):
        body = render(reading, fmt).split("\n---\n", 1)[-1]  # after Markdown's front matter
        assert body.count(DECK) == 1, fmt  # written once, in its place
    assert f"*{DECK}*" in render(reading, "md")
    assert f'<p class="standfirst">{DECK}</p>' in render(reading, "html")


def test_markdown_export_has_commonmark_headings_lists_and_quotes() -> None:
    md = render(annotate(clean(html(list_page()))), "md")
    body = md.split("\n---\n", 1)[1]  # after the front matter
    body = body.split("\n## Quotes\n")[0].split("\n## Speakers\n")[0].split("\n## Places\n")[0]
    tokens = MarkdownIt("commonmark").parse(body)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2"]
    assert headings == ["Tour dates", "The cake the band bakes on the road"]
    bullets = [t for t in tokens if t.type == "bullet_list_open"]
    ordered = [t for t in tokens if t.type == "ordered_list_open"]
    assert len(bullets) == 1 and len(ordered) == 1  # each list is one list, not an item per list
    items = [tokens[i + 2].content for i, t in enumerate(tokens) if t.type == "list_item_open"]
    assert items == [*TOUR_DATES, *STEPS]
    assert any(t.type == "blockquote_open" for t in tokens)


def test_text_export_keeps_bullets_and_numbers() -> None:
    txt = render(annotate(clean(html(list_page()))), "txt")
    assert "\n".join(f"• {d}" for d in TOUR_DATES) in txt
    assert "\n".join(f"{n}. {s}" for n, s in enumerate(STEPS, 1)) in txt


def test_html_export_has_headings_and_one_list_per_list() -> None:
    page = render(annotate(clean(html(list_page()))), "html")
    page = page.split("<article>")[1].split("</article>")[0]
    assert page.count("<ul>") == 1 and page.count('<ul class="numbered">') == 1
    assert "<h2>Tour dates</h2>" in page
    assert "<blockquote>" in page
