"""Mouse selection in the article (Textual's selection on a Line-API view) and clicks on quotes."""
from __future__ import annotations

import pytest
from textual.geometry import Offset
from tui_support import fixture_reading, no_pipeline

from newsreader.tui.app import NewsreaderApp
from newsreader.tui.article_view import ArticleView
from newsreader.tui.layout import BODY
from newsreader.tui.reader import ReaderScreen

pytestmark = pytest.mark.anyio
SIZE = (100, 30)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _screen_point(view: ArticleView, offset: int) -> Offset:
    """Where body ``offset`` is drawn, in the view's own coordinates."""
    layout = view.text_layout
    row = layout.row_for_offset(offset)
    line = layout.lines[row]
    column = view._indent() + len(line.prefix) + offset - line.start
    region = view.content_region
    return Offset(column + region.x - view.region.x, row - round(view.scroll_y) + region.y - view.region.y)


def _a_wrapped_paragraph(view: ArticleView) -> tuple[int, int]:
    """The body offsets of the first paragraph the view wraps over two rows or more."""
    text = view.article.text
    lines = view.text_layout.lines
    for row in range(len(lines) - 1):
        here, below = lines[row], lines[row + 1]
        if here.kind == below.kind == BODY and "\n" not in text[here.end:below.start]:
            start = text.rfind("\n", 0, here.start) + 1
            end = text.find("\n", here.start)
            return start, (len(text) if end < 0 else end)
    raise AssertionError("no wrapped paragraph")


async def test_dragging_over_the_text_copies_it_as_the_article_has_it() -> None:
    app = NewsreaderApp(reading=fixture_reading(), pipeline=no_pipeline())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        view = screen.view
        start, end = _a_wrapped_paragraph(view)
        assert view.text_layout.row_for_offset(end - 1) > view.text_layout.row_for_offset(start)  # spans rows
        await pilot.mouse_down(view, offset=_screen_point(view, start))
        await pilot.hover(view, offset=_screen_point(view, end - 1))
        await pilot.mouse_up(view, offset=_screen_point(view, end - 1))
        expected = view.article.text[start:end]  # the character under the pointer included
        assert screen.get_selected_text() == expected  # rows joined by the spaces the wrap took
        await pilot.press("ctrl+c")
        assert app.clipboard == expected


async def test_the_selection_is_drawn() -> None:
    app = NewsreaderApp(reading=fixture_reading(), pipeline=no_pipeline())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.screen.view
        start, _ = _a_wrapped_paragraph(view)
        row = view.text_layout.row_for_offset(start)
        before = view.render_line(row - round(view.scroll_y))
        await pilot.mouse_down(view, offset=_screen_point(view, start))
        await pilot.hover(view, offset=_screen_point(view, start + 5))
        await pilot.pause()
        after = view.render_line(row - round(view.scroll_y))
        assert before.text == after.text and list(before) != list(after)  # same text, restyled


async def test_a_selection_across_paragraphs_keeps_them_apart() -> None:
    app = NewsreaderApp(reading=fixture_reading(), pipeline=no_pipeline())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.screen.view
        text = view.article.text
        second = text.index("\n\n") + 2
        await pilot.mouse_down(view, offset=_screen_point(view, 0))
        await pilot.hover(view, offset=_screen_point(view, second + 3))
        await pilot.mouse_up(view, offset=_screen_point(view, second + 3))
        assert app.screen.get_selected_text() == text[:second + 4]  # paragraphs a blank line apart


async def test_a_click_on_a_quote_makes_it_current() -> None:
    reading = fixture_reading()
    app = NewsreaderApp(reading=reading, pipeline=no_pipeline())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        visible = [i for i, q in enumerate(reading.quotes) if screen.view.shows((q.start, q.end))]
        chosen = visible[-1]
        assert screen.current_quote != chosen
        quote = reading.quotes[chosen]
        await pilot.click(screen.view, offset=_screen_point(screen.view, quote.start + 1))
        assert screen.current_quote == chosen
        await pilot.press("n")
        assert screen.current_quote == chosen + 1  # stepping goes on from the clicked quote


async def test_a_click_beside_the_text_changes_nothing() -> None:
    app = NewsreaderApp(reading=fixture_reading(), pipeline=no_pipeline())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.click(screen.view, offset=Offset(0, 5))  # the left margin
        assert screen.current_quote is None
