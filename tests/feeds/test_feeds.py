"""Feeds: parsing and discovery, subscriptions and read state, conditional GETs, and every
bad input a feed can bring, against sample feeds served from 127.0.0.1."""
from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from feed_support import fixture, item, rss, serve, serve_conditional, serve_fixture
from pytest_httpserver import HTTPServer
from werkzeug import Response

from newsreader import library as library_module
from newsreader.errors import LoadError
from newsreader.feeds.articles import carries_full_text, source_for
from newsreader.feeds.lists import read_list, write_opml
from newsreader.feeds.model import FeedError, Item
from newsreader.feeds.parse import html_to_text, parse
from newsreader.feeds.store import FeedStore
from newsreader.feeds.update import read_feed, refresh
from newsreader.library import Library, LibraryError
from newsreader.model import Page


def titles(items: list[Item]) -> list[str | None]:
    return [i.title for i in items]


# -- parsing -----------------------------------------------------------------------


def test_rss2_items_with_links_resolved_and_titles_as_plain_text(server: HTTPServer) -> None:
    url = serve_fixture(server, "rss2.xml")
    feed = read_feed(url)
    assert feed is not None and feed.title == "Harbour Weekly" and feed.problem is None
    assert feed.site == server.url_for("/")
    first, second, third = feed.items
    assert first.link == server.url_for("/news/harbour-plan")  # relative to the feed's address
    assert first.key == "hw-1001" and first.author == "Ann Lee"
    assert first.published == "2024-03-05T09:00:00+00:00"  # +01:00 in the feed, stored in UTC
    assert first.summary == "The council voted 7–2 for the new quay."
    # entities decoded, HTML tags gone, what looks like console markup kept as it is
    assert second.title == "Q&A: the ferry timetable [bold]explained[/bold]"
    assert second.summary == "Ferries run every hour & on Sundays too."  # HTML: its &amp; is one &
    assert carries_full_text(third) and not carries_full_text(first)
    assert "Tom Okafor" in html_to_text(third.content or "")


def test_atom_with_xml_base_and_an_xhtml_title(server: HTTPServer) -> None:
    feed = read_feed(serve_fixture(server, "atom.xml"))
    assert feed is not None
    assert feed.title == "Quay & Shore"  # an HTML title: its "&amp;" is one "&"
    assert feed.site == "https://quay.example/"
    tides, pier = feed.items
    assert tides.link == "https://quay.example/blog/2024/03/tides"  # xml:base, then the relative href
    assert tides.author == "Bo Chen" and tides.published == "2024-03-06T12:00:00+00:00"
    assert pier.title == "A new pier" and pier.summary == "The pier opens in May."
    assert pier.published == "2024-03-05T08:15:00+00:00"


def test_rss1_rdf(server: HTTPServer) -> None:
    feed = read_feed(serve_fixture(server, "rdf.xml"))
    assert feed is not None and feed.title == "Shore Gazette"
    assert titles(list(feed.items)) == ["Storm closes the coast road", "Fish market reopens"]
    assert feed.items[0].link == "http://shore.example/a"
    assert feed.items[0].published == "2024-03-02T07:00:00+00:00"


def test_json_feed(server: HTTPServer) -> None:
    feed = read_feed(serve_fixture(server, "feed.json"))
    assert feed is not None and feed.title == "Pier Notes" and feed.site == "https://pier.example/"
    night, market = feed.items
    assert night.link == server.url_for("/notes/2")  # relative to where the feed was fetched
    assert night.author == "Cy Dune" and night.published == "2024-03-07T21:00:00+00:00"
    assert market.title == "Market day moved"  # the escape sequences are gone, the words stay
    assert market.published == "2024-03-01T07:00:00+00:00"
    assert market.summary == "Market day is on Thursday this week."


def test_the_parser_never_opens_what_the_bytes_name(tmp_path: Path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_bytes(rss(item("s", "Secret")))
    with pytest.raises(FeedError, match="not a feed"):
        parse(str(secret).encode(), "http://127.0.0.1/feed")  # a body that is a path is not read as one


# -- discovery -----------------------------------------------------------------------


def test_a_home_page_leads_to_its_feed(server: HTTPServer) -> None:
    serve_fixture(server, "rss2.xml")
    home = serve_fixture(server, "home.html", "/")
    done = refresh(home)
    assert done.feed.url == server.url_for("/feeds/rss2.xml")  # the first feed it names
    assert done.feed.origin == home
    assert titles(done.items)[0] == "Council approves the harbour plan"
    again = refresh(home)  # found again by the page it came from
    assert again.feed.id == done.feed.id


def test_discovery_resolves_relative_links_and_leaves_comment_feeds_out() -> None:
    from newsreader.feeds.parse import discover

    links = discover(fixture("home.html").decode(), "http://127.0.0.1:8000/news/")
    assert links == ["http://127.0.0.1:8000/feeds/rss2.xml", "http://127.0.0.1:8000/news/feeds/feed.json"]


def test_a_page_without_feed_links_says_so(server: HTTPServer) -> None:
    url = serve(server, "/page", b"<!DOCTYPE html><html><head><title>x</title></head><body><p>Hi</p></body></html>",
                "text/html")
    with pytest.raises(FeedError, match=r"is a web page, not a feed, and it names no feed"):
        refresh(url)


# -- storage, conditional GET, read state --------------------------------------------------


def test_the_second_refresh_fetches_nothing_that_did_not_change(server: HTTPServer) -> None:
    seen: list[tuple[dict[str, str], int]] = []
    url = serve_conditional(server, "/feed.xml", fixture("rss2.xml"), seen=seen)
    first = refresh(url)
    assert first.changed and first.new == 3
    second = refresh(url)
    assert [status for _, status in seen] == [200, 304]
    assert seen[1][0]["If-None-Match"] == '"v1"'
    assert seen[1][0]["If-Modified-Since"] == "Tue, 05 Mar 2024 10:00:00 GMT"
    assert not second.changed and second.new == 0
    assert titles(second.items) == titles(first.items)


def test_last_modified_alone_is_used_too(server: HTTPServer) -> None:
    seen: list[tuple[dict[str, str], int]] = []
    url = serve_conditional(server, "/feed.xml", fixture("rss2.xml"), etag=None, seen=seen)
    refresh(url)
    refresh(url)
    assert [status for _, status in seen] == [200, 304]
    assert "If-None-Match" not in seen[1][0]


def test_read_state_is_kept_across_runs(server: HTTPServer) -> None:
    url = serve(server, "/feed.xml", rss(item("a", "One", "/1") + item("b", "Two", "/2")))
    first = refresh(url, FeedStore(Library()))
    FeedStore(Library()).mark_read([first.items[0].id])  # type: ignore[list-item]
    server.clear()
    serve(server, "/feed.xml", rss(item("c", "Three", "/3", date="Wed, 06 Mar 2024 10:00:00 GMT")
                                   + item("a", "One", "/1") + item("b", "Two", "/2")))
    later = refresh(url, FeedStore(Library()))  # a new process would open a new library
    assert later.new == 1
    assert {i.title: i.read for i in later.items} == {"Three": False, "One": True, "Two": False}


def test_subscriptions_add_list_remove_and_full_text_setting(server: HTTPServer) -> None:
    store = FeedStore()
    feed, new = store.subscribe("http://127.0.0.1:9/feed.xml", title="Nine", tags=["news", "news", "local"])
    assert new and feed.subscribed and feed.tags == ("news", "local") and feed.full_text == "auto"
    again, new = store.subscribe("http://127.0.0.1:9/feed.xml", tags=["sea"])
    assert not new and again.id == feed.id and again.tags == ("news", "local", "sea")
    assert store.set_full_text(str(feed.id), "never").full_text == "never"
    assert [f.url for f in store.feeds()] == ["http://127.0.0.1:9/feed.xml"]
    store.remove("http://127.0.0.1:9/feed.xml")
    assert store.feeds() == []
    with pytest.raises(LibraryError, match="no subscription"):
        store.remove("42")


def test_a_feed_opened_once_is_not_a_subscription(server: HTTPServer) -> None:
    refresh(serve_fixture(server, "rss2.xml"))
    store = FeedStore()
    assert store.feeds() == [] and len(store.feeds(subscribed=False)) == 1


def test_an_older_library_gains_the_feed_tables_and_keeps_its_articles(home: Path) -> None:
    from tui_support import fixture_reading

    library = Library()
    library.save(fixture_reading())
    with sqlite3.connect(library.db_path) as db:  # the library as the previous version left it
        db.execute("DROP TABLE feeds")
        db.execute("DROP TABLE feed_items")
        db.execute("PRAGMA user_version = 2")
    assert len(Library().list()) == 1
    feed, _ = FeedStore().subscribe("http://127.0.0.1:9/feed.xml")
    assert feed.id is not None
    with sqlite3.connect(library.db_path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == library_module._SCHEMA_VERSION  # the current one


def test_a_library_that_cannot_be_written_still_shows_the_feed(server: HTTPServer,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: FeedStore, parsed: object) -> None:
        raise LibraryError("cannot write the library: read-only file system")

    monkeypatch.setattr(FeedStore, "record", refuse)
    done = refresh(serve_fixture(server, "rss2.xml"))
    assert len(done.items) == 3 and done.feed.id is None
    assert done.problem == "read state is not kept (cannot write the library: read-only file system)"


# -- what an item opens ---------------------------------------------------------------


def test_full_text_setting_decides_between_the_feed_and_the_link(server: HTTPServer) -> None:
    feed = read_feed(serve_fixture(server, "rss2.xml"))
    assert feed is not None
    short, _, long = feed.items
    assert source_for(short, "auto") == short.link  # a teaser: the article is at the link
    page = source_for(long, "auto")
    assert isinstance(page, Page) and page.url == long.link and "Tom Okafor" in page.text
    assert source_for(long, "always") == long.link
    assert isinstance(source_for(short, "never"), Page)


def test_the_feeds_own_text_cleans_into_the_article(server: HTTPServer) -> None:
    from newsreader.clean import clean

    feed = read_feed(serve_fixture(server, "rss2.xml"))
    assert feed is not None
    long = replace(feed.items[2], feed_title="Harbour Weekly")
    page = source_for(long, "auto")
    assert isinstance(page, Page)
    article = clean(page)
    assert article.title == "Lighthouse keepers vote to strike" and article.site == "Harbour Weekly"
    assert article.text.startswith("Lighthouse keepers at Portmere voted on Monday")
    assert article.source == long.link


# -- bad input and faults ------------------------------------------------------------------


def test_a_feed_that_is_html_without_a_feed(server: HTTPServer) -> None:
    url = serve(server, "/rss", b"<html><body><p>Sorry, the feed moved.</p></body></html>", "application/rss+xml")
    with pytest.raises(FeedError) as caught:
        refresh(url)
    assert str(caught.value).startswith(f"{url} is a web page, not a feed")


@pytest.mark.parametrize("body", [b"", b"  \n "])
def test_an_empty_feed(server: HTTPServer, body: bytes) -> None:
    url = serve(server, "/feed.xml", body)
    with pytest.raises(LoadError, match=r"is empty$"):
        refresh(url)


def test_a_truncated_feed_is_read_as_far_as_it_goes(server: HTTPServer) -> None:
    whole = fixture("rss2.xml")
    cut = whole[: whole.index(b"<item>", whole.index(b"hw-1002")) + 40]  # inside the third item
    done = refresh(serve(server, "/feed.xml", cut))
    assert {"Council approves the harbour plan", "Q&A: the ferry timetable [bold]explained[/bold]"} <= set(
        titles(done.items))
    assert done.problem is not None and done.problem.endswith("read as far as it goes")
    assert "\n" not in done.problem


def test_bytes_that_are_no_feed_at_all(server: HTTPServer) -> None:
    url = serve(server, "/feed.xml", b"<?xml version='1.0'?><not-a-feed><<<")
    with pytest.raises(FeedError, match="is not a feed newsreader can read"):
        refresh(url)


def test_a_huge_feed_is_refused_at_the_cap(server: HTTPServer) -> None:
    url = serve(server, "/huge.xml", b"<rss>" + b" " * (10 * 1024 * 1024 + 10))
    with pytest.raises(LoadError, match=r"is larger than 10 MB$"):
        refresh(url)


def test_a_redirect_loop(server: HTTPServer) -> None:
    server.expect_request("/a").respond_with_response(Response(status=302, headers={"Location": "/b"}))
    server.expect_request("/b").respond_with_response(Response(status=302, headers={"Location": "/a"}))
    with pytest.raises(LoadError, match="too many redirects"):
        refresh(server.url_for("/a"))


def test_items_without_links_or_with_javascript_links(server: HTTPServer) -> None:
    url = serve(server, "/feed.xml", rss(item("a", "No link") + item("b", "Script", "javascript:alert(1)")
                                         + item("c", "Nothing", description="")))
    done = refresh(url)
    no_link, script, nothing = done.items
    assert no_link.link is None and script.link is None
    page = source_for(script, "auto", done.feed.url)
    assert isinstance(page, Page) and page.url is None and "A summary." in page.text
    with pytest.raises(FeedError, match="Nothing: the feed gives no link and no text"):
        source_for(nothing, "auto")


def test_duplicate_guids_keep_the_first_item(server: HTTPServer) -> None:
    url = serve(server, "/feed.xml", rss(item("same", "First", "/1") + item("same", "Second", "/2")
                                         + item("other", "Third", "/3")))
    assert titles(refresh(url).items) == ["First", "Third"]


def test_odd_and_missing_dates(server: HTTPServer) -> None:
    url = serve(server, "/feed.xml", rss(
        item("a", "Odd", "/1", date="yesterday-ish") + item("b", "None", "/2", date=None)
        + item("c", "ISO", "/3", date="2024-03-05") + item("d", "Far", "/4", date="Tue, 05 Mar 9999 10:00:00 GMT")))
    done = refresh(url)
    dates = {i.title: i.published for i in done.items}
    assert dates == {"Odd": None, "None": None, "ISO": "2024-03-05T00:00:00+00:00", "Far": None}


def test_control_characters_in_titles_are_stripped_and_markup_kept_literally(server: HTTPServer) -> None:
    # \x1b is not allowed in XML: the feed is malformed, and still read
    url = serve(server, "/feed.xml", rss(item("a", "Rates [red]up[/red] \x1b[2Jagain &lt;i&gt;x&lt;/i&gt; &amp; more",
                                              "/1")))
    done = refresh(url)
    assert titles(done.items) == ["Rates [red]up[/red] again x & more"]


def test_a_server_that_answers_304_without_a_stored_copy_is_not_asked_conditionally(server: HTTPServer) -> None:
    seen: list[tuple[dict[str, str], int]] = []
    url = serve_conditional(server, "/feed.xml", fixture("rss2.xml"), seen=seen)
    refresh(url)
    with sqlite3.connect(Library().db_path) as db:
        db.execute("DELETE FROM feed_items")  # the items are gone, the validators stay
    assert len(refresh(url).items) == 3
    assert [status for _, status in seen] == [200, 200]


def test_a_server_that_is_down_gives_the_stored_copy(server: HTTPServer) -> None:
    url = serve_fixture(server, "rss2.xml")
    refresh(url)
    server.stop()
    done = refresh(url)
    assert not done.changed and len(done.items) == 3
    assert done.problem is not None and "the connection was refused" in done.problem
    assert "showing the items fetched" in done.problem


def test_a_server_that_is_down_with_nothing_stored(server: HTTPServer) -> None:
    url = server.url_for("/feed.xml")
    server.stop()
    with pytest.raises(LoadError, match="the connection was refused"):
        refresh(url)


def test_a_feed_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(fixture("rss2.xml"))
    done = refresh(path.as_uri())
    assert done.feed.url == path.as_uri() and len(done.items) == 3
    assert refresh(str(path)).feed.id == done.feed.id  # a path and its file:// URL are one feed


# -- subscription lists --------------------------------------------------------------------


def test_opml_import() -> None:
    read = read_list(fixture("subscriptions.opml"), "subscriptions.opml")
    assert [(s.url, s.title, s.tags) for s in read.subscriptions] == [
        ("http://127.0.0.1/feeds/rss2.xml", "Harbour Weekly", ("Local",)),
        ("http://127.0.0.1/feeds/atom.xml", "Quay & Shore", ("blogs", "sea", "Local")),
    ]
    assert read.skipped == ["javascript:alert(1): not a web address"]


def test_newsboat_urls_import() -> None:
    read = read_list(fixture("urls"), "urls")
    assert read.kind == "newsboat urls"
    assert [(s.url, s.title, s.tags) for s in read.subscriptions] == [
        ("http://127.0.0.1/feeds/rss2.xml", None, ("local", "harbour news")),
        ("http://127.0.0.1/feeds/atom.xml", "Quay and Shore", ("blogs",)),
        ("http://127.0.0.1/feeds/feed.json", None, ()),
    ]
    assert read.skipped == ["line 4: query: feeds are newsboat's own", "line 5: exec: feeds are newsboat's own",
                            "line 6: filter: feeds are newsboat's own"]


def test_opml_export_escapes_and_reads_back() -> None:
    import listparser

    from newsreader.feeds.model import Feed

    feeds = [Feed(url="http://127.0.0.1/a?x=1&y=2", title='Rock & "Roll" <live>\x07', tags=("music", "a,b")),
             Feed(url="http://127.0.0.1/b", site="http://127.0.0.1/")]
    parsed = listparser.parse(write_opml(feeds).encode())
    assert not parsed.bozo
    assert [(f.url, f.title) for f in parsed.feeds] == [("http://127.0.0.1/a?x=1&y=2", 'Rock & "Roll" <live>'),
                                                       ("http://127.0.0.1/b", "http://127.0.0.1/b")]
    assert parsed.feeds[0].tags == ["music", "a b"]
