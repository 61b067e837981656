"""The feed screen, driven by key presses (Textual's Pilot): sample feeds from 127.0.0.1, the
article pipeline faked (annotation can be held on an Event to watch annotate-all mid-way)."""
from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

import pytest
from feed_support import item, rss, serve
from pytest_httpserver import HTTPServer
from textual.pilot import Pilot
from textual.widgets import ProgressBar, Static
from tui_support import settle

from newsreader.feeds.store import FeedStore
from newsreader.library import Library
from newsreader.model import Article, Page, Quote, Reading, Speaker
from newsreader.pipeline import Pipeline
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.feed_screen import FeedScreen
from newsreader.tui.reader import ReaderScreen

pytestmark = pytest.mark.anyio
SIZE = (120, 36)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class FakePipeline:
    """Loads any link as a one-paragraph page, cleans it, and annotates one quote by the
    speaker the text names; ``hold`` makes annotation of that source wait for ``release``."""

    def __init__(self) -> None:
        self.loaded: list[str] = []
        self.annotated: list[str] = []
        self.hold: str | None = None
        self.holding = threading.Event()
        self.release = threading.Event()
        self.held: threading.Thread | None = None  # the thread that ran the held annotation

    def pipeline(self) -> Pipeline:
        return Pipeline(self.load, self.clean, self.annotate)

    def load(self, source: str) -> Page:
        self.loaded.append(source)
        name = source.rsplit("/", 1)[-1]
        return Page(source, f"“Words of {name},” said Speaker {name}.", "text", url=source)

    def clean(self, page: Page) -> Article:
        return Article(page.source, f"Article at {page.source.rsplit('/', 1)[-1]}", None, None, None, page.text)

    def annotate(self, article: Article, model: str | None = None) -> Reading:
        if article.source == self.hold:
            self.held = threading.current_thread()
            self.holding.set()
            self.release.wait(30)
        self.annotated.append(article.source)
        if "”" not in article.text:
            return Reading(article)
        said = article.text[1:article.text.index("”") - 1]
        speaker = article.text.rsplit("said ", 1)[-1].split(",")[0].split(".")[0].strip()
        quote = Quote(1, 1 + len(said), said, speaker)
        return Reading(article, (), (quote,), (Speaker(speaker, (), "person", (0,)),), ())


def three_items(server: HTTPServer) -> str:
    return serve(server, "/feed.xml", rss(
        item("1", "Council approves [bold]the[/bold] plan", "/news/one", "Wed, 06 Mar 2024 10:00:00 GMT",
             "The council voted &lt;b&gt;7–2&lt;/b&gt;.")
        + item("2", "Ferry timetable changes", "/news/two", "Tue, 05 Mar 2024 10:00:00 GMT", "Every hour.")
        + item("3", "Lighthouse keepers strike", "/news/three", "Mon, 04 Mar 2024 10:00:00 GMT", "Pay."),
        "Harbour Weekly"))


async def once_idle(pilot: Pilot, condition: Callable[[], bool], what: str) -> None:
    """Let the app run until its workers are done and the screen is painted, then check
    ``condition``: nothing is timed, and a condition that does not hold then fails at once."""
    await settle(pilot.app)
    assert condition(), f"the app went idle without {what}"


def feed_screen(app: NewsreaderApp) -> FeedScreen:
    screen = app.get_screen("feeds")
    assert isinstance(screen, FeedScreen)
    return screen


def titles(screen: FeedScreen) -> list[str | None]:
    return [i.title for i in screen.view]


def preview(screen: FeedScreen) -> str:
    return str(screen.query_one("#feed-preview", Static).render())


async def opened(pilot: Pilot, title: str) -> ReaderScreen:
    app = pilot.app
    await once_idle(pilot, lambda: isinstance(app.screen, ReaderScreen) and app.screen.article is not None
                    and app.screen.article.title == title, f"the reader to show {title!r}")
    return app.screen  # type: ignore[return-value]


async def test_the_list_shows_the_items_newest_first_as_plain_text(server: HTTPServer) -> None:
    app = NewsreaderApp(pipeline=FakePipeline().pipeline(), feeds=[three_items(server)])
    async with app.run_test(size=SIZE) as pilot:
        screen = feed_screen(app)
        await once_idle(pilot, lambda: len(screen.view) == 3, "the items")
        assert app.screen is screen
        assert titles(screen) == ["Council approves [bold]the[/bold] plan", "Ferry timetable changes",
                                  "Lighthouse keepers strike"]
        first_row = "".join(cell.plain for cell in screen.table.get_row_at(0))
        assert "[bold]the[/bold]" in first_row and "●" in first_row  # literal markup, unread
        assert "The council voted 7–2." in preview(screen)
        await pilot.press("j")
        assert "Every hour." in preview(screen)


async def test_enter_opens_the_article_and_marks_the_item_read(server: HTTPServer) -> None:
    fake = FakePipeline()
    url = three_items(server)
    app = NewsreaderApp(pipeline=fake.pipeline(), feeds=[url])
    async with app.run_test(size=SIZE) as pilot:
        screen = feed_screen(app)
        await once_idle(pilot, lambda: len(screen.view) == 3, "the items")
        await pilot.press("enter")
        reader = await opened(pilot, "Article at one")
        await once_idle(pilot, lambda: reader.reading is not None, "the annotation")
        assert fake.loaded == [server.url_for("/news/one")]
        await once_idle(pilot, lambda: screen.view[0].quotes == 1, "the quote count to reach the list")
    store = FeedStore()
    feed = store.find(url)
    assert feed is not None and feed.id is not None
    await asyncio.sleep(0)  # nothing pending: the store was written by a worker the app waited for
    read = {i.title: i.read for i in store.items([feed.id])}
    assert read == {"Council approves [bold]the[/bold] plan": True, "Ferry timetable changes": False,
                    "Lighthouse keepers strike": False}


async def test_next_and_previous_item_from_the_reader(server: HTTPServer) -> None:
    app = NewsreaderApp(pipeline=FakePipeline().pipeline(), feeds=[three_items(server)])
    async with app.run_test(size=SIZE) as pilot:
        screen = feed_screen(app)
        await once_idle(pilot, lambda: len(screen.view) == 3, "the items")
        await pilot.press("enter")
        await opened(pilot, "Article at one")
        await pilot.press("N")
        await opened(pilot, "Article at two")
        await pilot.press("N")
        reader = await opened(pilot, "Article at three")
        await pilot.press("N")  # the last item: the reader stays
        assert reader.article is not None and reader.article.title == "Article at three"
        await pilot.press("P")
        await opened(pilot, "Article at two")
        await pilot.press("F")
        await once_idle(pilot, lambda: app.screen is screen, "the list")
        assert screen.current is not None and screen.current.title == "Ferry timetable changes"
        assert [i.read for i in screen.view] == [True, True, True]


async def test_escape_goes_back_to_the_article_and_l_brings_up_the_library(server: HTTPServer) -> None:
    # the feed screen answers the reader that showed it: back, or the library over the reader
    from newsreader.tui.library_screen import LibraryScreen
    from newsreader.tui.screens import HelpScreen

    app = NewsreaderApp(pipeline=FakePipeline().pipeline(), feeds=[three_items(server)])
    async with app.run_test(size=SIZE) as pilot:
        screen = feed_screen(app)
        await once_idle(pilot, lambda: len(screen.view) == 3, "the items")
        await pilot.press("escape")  # no article under it yet: it stays
        assert app.screen is screen
        await pilot.press("enter")
        reader = await opened(pilot, "Article at one")
        await pilot.press("F")
        await once_idle(pilot, lambda: app.screen is screen, "the list")
        await pilot.press("question_mark")
        await once_idle(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        listed = {b.id for _, bindings in help_screen.sections for b in bindings}
        assert {"next_item", "previous_item", "feed_items"} <= listed  # the reader's keys for an item
        await pilot.press("escape")
        await pilot.press("escape")  # back to the article it was showing
        await once_idle(pilot, lambda: app.screen is reader, "the reader")
        assert reader.article is not None and reader.article.title == "Article at one"
        await pilot.press("F", "L")
        await once_idle(pilot, lambda: isinstance(app.screen, LibraryScreen), "the library")
        assert app.screen_stack[-2] is reader


async def test_filter_as_you_type(server: HTTPServer) -> None:
    app = NewsreaderApp(pipeline=FakePipeline().pipeline(), feeds=[three_items(server)])
    async with app.run_test(size=SIZE) as pilot:
        screen = feed_screen(app)
        await once_idle(pilot, lambda: len(screen.view) == 3, "the items")
        await pilot.press("slash", *"ferry")
        assert titles(screen) == ["Ferry timetable changes"]
        await pilot.press("enter")  # back to the list, the filter stays
        assert screen.focused is screen.table and titles(screen) == ["Ferry timetable changes"]
        await pilot.press("slash", *"keepers pay")  # the box again: every word, in titles or summaries
        assert titles(screen) == ["Lighthouse keepers strike"]
        await pilot.press(*" ferry")
        assert titles(screen) == []
        assert "No items match" in preview(screen)
        await pilot.press("escape", "escape")  # leave the box, then clear the filter
        assert len(screen.view) == 3


async def test_unread_only(server: HTTPServer) -> None:
    app = NewsreaderApp(pipeline=FakePipeline().pipeline(), feeds=[three_items(server)])
    async with app.run_test(size=SIZE) as pilot:
        screen = feed_screen(app)
        await once_idle(pilot, lambda: len(screen.view) == 3, "the items")
        await pilot.press("j", "m")  # mark the second item read
        await pilot.press("u")
        assert titles(screen) == ["Council approves [bold]the[/bold] plan", "Lighthouse keepers strike"]
        await pilot.press("u")
        assert len(screen.view) == 3


async def test_annotate_all_shows_progress_and_escape_stops_it(server: HTTPServer) -> None:
    fake = FakePipeline()
    fake.hold = server.url_for("/news/two")
    app = NewsreaderApp(pipeline=fake.pipeline(), feeds=[three_items(server)])
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = feed_screen(app)
            await once_idle(pilot, lambda: len(screen.view) == 3, "the items")
            await pilot.press("a")
            assert await asyncio.to_thread(fake.holding.wait, 30)  # the first is done, the second waits
            await pilot.pause()
            bar = screen.query_one(ProgressBar)
            assert bar.progress == 1  # it moved before the second item's stages started
            assert bar.display and bar.total == 3
            assert [i.quotes for i in screen.view] == [1, None, None]
            assert screen.view[0].speakers == ("Speaker one",)
            assert "Annotating 2 of 3" in str(screen.query_one("#feed-status", Static).render())
            await pilot.press("escape")
            assert not bar.display and screen.annotating is None
            assert "Stopped: annotated 1 of 3." in str(screen.query_one("#feed-status", Static).render())
            fake.release.set()
            assert fake.held is not None
            await asyncio.to_thread(fake.held.join, 30)  # the held result has been handed back…
            assert not fake.held.is_alive()
            await pilot.pause()  # …and the app has had its turn with it
            assert [i.quotes for i in screen.view] == [1, None, None]  # the held result is dropped
            assert fake.annotated == [server.url_for("/news/one"), server.url_for("/news/two")]
    finally:
        fake.release.set()


async def test_annotate_all_to_the_end_keeps_the_counts(server: HTTPServer) -> None:
    url = three_items(server)
    app = NewsreaderApp(pipeline=FakePipeline().pipeline(), feeds=[url])
    async with app.run_test(size=SIZE) as pilot:
        screen = feed_screen(app)
        await once_idle(pilot, lambda: len(screen.view) == 3, "the items")
        await pilot.press("a")
        await once_idle(pilot, lambda: screen.annotating is None and all(i.quotes == 1 for i in screen.view),
                        "every item annotated")
        await app.workers.wait_for_complete()
    feed = FeedStore().find(url)
    assert feed is not None and feed.id is not None
    assert [(i.quotes, i.speakers) for i in FeedStore().items([feed.id])] == [
        (1, ("Speaker one",)), (1, ("Speaker two",)), (1, ("Speaker three",))]


async def test_save_and_open_in_the_browser(server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    browsed: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url, *a, **k: browsed.append(url) or True)
    app = NewsreaderApp(pipeline=FakePipeline().pipeline(), feeds=[three_items(server)])
    async with app.run_test(size=SIZE) as pilot:
        screen = feed_screen(app)
        await once_idle(pilot, lambda: len(screen.view) == 3, "the items")
        await pilot.press("O")  # the same key as in the reader, and like it in a worker thread
        await once_idle(pilot, lambda: browsed == [server.url_for("/news/one")], "the browser")
        await pilot.press("j", "s")
        await once_idle(pilot, lambda: bool(Library().list()), "the save")
    assert [e.title for e in Library().list()] == ["Article at two"]


async def test_a_feed_that_cannot_be_read_is_a_message(server: HTTPServer) -> None:
    url = serve(server, "/feed.xml", b"")
    app = NewsreaderApp(pipeline=FakePipeline().pipeline(), feeds=[url])
    async with app.run_test(size=SIZE) as pilot:
        screen = feed_screen(app)
        await once_idle(pilot, lambda: "Could not read the feed" in preview(screen), "the message")
        assert f"{url} is empty" in preview(screen)
        await pilot.press("r")  # the screen keeps working
        await app.workers.wait_for_complete()
        assert app.screen is screen


async def test_newsreader_alone_shows_the_subscriptions_beside_the_library(server: HTTPServer) -> None:
    from newsreader.tui.feed_screen import FeedsPanel
    from newsreader.tui.library_screen import LibraryScreen

    url = three_items(server)
    FeedStore().subscribe(url, title="Harbour Weekly")
    app = NewsreaderApp(pipeline=FakePipeline().pipeline())
    async with app.run_test(size=SIZE) as pilot:
        await once_idle(pilot, lambda: isinstance(app.screen, LibraryScreen), "the library")
        panel = app.screen.query_one(FeedsPanel)
        await once_idle(pilot, lambda: panel.display and panel.option_count == 2, "the subscriptions")
        assert "Harbour Weekly" in str(panel.get_option_at_index(1).prompt)
        panel.focus()
        await pilot.press("j", "enter")
        await once_idle(pilot, lambda: isinstance(app.screen, FeedScreen) and len(app.screen.view) == 3, "the items")
        assert app.screen.addresses == [url]


async def test_no_subscriptions_no_panel() -> None:
    from newsreader.tui.feed_screen import FeedsPanel
    from newsreader.tui.library_screen import LibraryScreen

    app = NewsreaderApp(pipeline=FakePipeline().pipeline())
    async with app.run_test(size=SIZE) as pilot:
        await once_idle(pilot, lambda: isinstance(app.screen, LibraryScreen), "the library")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.screen.query_one(FeedsPanel).display
