"""The feed commands: ``feeds add|list|remove|import|export|set|refresh``, ``export --feed``,
``bookmark`` (newsboat's bookmark-cmd contract) and ``browser "newsreader %u"``."""
from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from feed_support import FEEDS, fixture, item, rss, serve, serve_fixture
from pytest_httpserver import HTTPServer
from werkzeug import Response

from newsreader import cli
from newsreader.feeds.store import FeedStore
from newsreader.library import Library


def article_html(title: str, said: str = "We will keep the harbour open") -> bytes:
    paragraphs = "".join(
        f"<p>Paragraph {n} of the story about {title.lower()}: the council met on Tuesday, and the plans for the"
        f" quay were discussed at length by the members of the harbour board and the public.</p>" for n in range(6))
    return (f"<!DOCTYPE html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>“{said},” said Ann Lee, the mayor of Portmere.</p>{paragraphs}</article></body></html>").encode()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


# -- subscriptions ----------------------------------------------------------------------


def test_add_finds_the_feed_of_a_home_page_and_list_shows_it(server: HTTPServer,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    serve_fixture(server, "rss2.xml")
    home = serve_fixture(server, "home.html", "/")
    status, out, err = run(capsys, "feeds", "add", home, "--tag", "local")
    feed_url = server.url_for("/feeds/rss2.xml")
    assert (status, err) == (0, "")
    assert out == f"added 1  Harbour Weekly  {feed_url} (found on {home})\n"
    status, out, _ = run(capsys, "feeds", "list")
    assert out == f"1     3/3     Harbour Weekly  {feed_url}  [local]\n"
    status, out, _ = run(capsys, "feeds", "add", feed_url)
    assert out.startswith("already subscribed: 1  Harbour Weekly")


def test_add_refuses_what_is_not_a_feed(server: HTTPServer, capsys: pytest.CaptureFixture[str]) -> None:
    url = serve(server, "/page", b"<html><body><p>No feed here.</p></body></html>", "text/html")
    status, out, err = run(capsys, "feeds", "add", url)
    assert status == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"newsreader: {url} is a web page, not a feed")
    assert FeedStore().feeds() == []


def test_remove_and_set(capsys: pytest.CaptureFixture[str]) -> None:
    FeedStore().subscribe("http://127.0.0.1:9/a.xml", title="A")
    assert run(capsys, "feeds", "set", "1", "--full-text", "never") == (0, "1  A  full text: never\n", "")
    assert run(capsys, "feeds", "list")[1].endswith("full text: never\n")
    assert run(capsys, "feeds", "remove", "http://127.0.0.1:9/a.xml") == (0, "removed 1  A\n", "")
    status, _, err = run(capsys, "feeds", "remove", "1")
    assert status == 1 and err == "newsreader: no subscription '1' (see 'newsreader feeds list')\n"
    status, _, err = run(capsys, "feeds", "set", "1", "--full-text", "sometimes")
    assert status == 2 and "choose from auto, always, never" in err


def test_import_opml_then_newsboat_urls(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "feeds", "import", str(FEEDS / "subscriptions.opml"))
    assert status == 0 and out == "imported 2 feeds from OPML (0 already subscribed, 1 skipped)\n"
    assert err == f"newsreader: {FEEDS / 'subscriptions.opml'}: skipped javascript:alert(1): not a web address\n"
    status, out, err = run(capsys, "feeds", "import", str(FEEDS / "urls"))
    assert out == "imported 1 feed from newsboat urls (2 already subscribed, 3 skipped)\n"
    assert err.count("\n") == 3 and "query: feeds are newsboat's own" in err
    feeds = {f.url: f for f in FeedStore().feeds()}
    assert feeds["http://127.0.0.1/feeds/rss2.xml"].tags == ("Local", "local", "harbour news")
    assert feeds["http://127.0.0.1/feeds/atom.xml"].title == "Quay & Shore"  # the first title given stays


def test_export_writes_opml_that_imports_again(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    run(capsys, "feeds", "import", str(FEEDS / "urls"))
    status, opml, _ = run(capsys, "feeds", "export")
    assert status == 0 and opml.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    (tmp_path / "out.opml").write_text(opml, encoding="utf-8")
    monkeypatch.setenv("NEWSREADER_HOME", str(tmp_path / "other"))
    assert run(capsys, "feeds", "import", str(tmp_path / "out.opml"))[1].startswith("imported 3 feeds from OPML")
    assert run(capsys, "feeds", "import", str(tmp_path / "missing.opml"))[0] == 1


def test_refresh_fetches_only_what_changed(server: HTTPServer, capsys: pytest.CaptureFixture[str]) -> None:
    from feed_support import serve_conditional

    url = serve_conditional(server, "/feed.xml", fixture("rss2.xml"))
    FeedStore().subscribe(url)
    assert run(capsys, "feeds", "refresh") == (0, "1  3 new, 3 unread  Harbour Weekly\n", "")
    assert run(capsys, "feeds", "refresh") == (0, "1  unchanged, 3 unread  Harbour Weekly\n", "")


# -- export --feed ----------------------------------------------------------------------------


def test_export_a_whole_feed(server: HTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    serve(server, "/news/quay", article_html("Quay reopens"), "text/html")
    serve(server, "/news/buses", article_html("Night buses return", "The buses are back"), "text/html")
    server.expect_request("/news/gone").respond_with_response(Response("gone", status=404))
    full = "".join(f"<p>“We shall vote again,” said Tom Okafor, and the keepers agreed. Line {n} of a story that the"
                   f" feed carries whole, long enough to be the article itself and not a teaser.</p>"
                   for n in range(12))
    items = (item("1", "Quay reopens", "/news/quay") + item("2", "Night buses return", "/news/buses")
             + item("3", "Gone", "/news/gone")
             + item("4", "Keepers strike", "/news/keepers", description=full.replace("<", "&lt;").replace(">", "&gt;"))
             + item("5", "Nothing", description=""))
    url = serve(server, "/feed.xml", rss(items, "Harbour Weekly"))
    out_dir = tmp_path / "out"
    status, out, err = run(capsys, "export", "--feed", url, "--format", "json", "--output-dir", str(out_dir))
    assert status == 1 and out == ""
    said = [line for line in err.splitlines() if not line.startswith("wrote ")]
    assert said == ["newsreader: Nothing: the feed gives no link and no text",
                    f"newsreader: {server.url_for('/news/gone')}: not found (HTTP 404)"]
    assert sorted(line.removeprefix("wrote ") for line in err.splitlines() if line.startswith("wrote ")) == \
        sorted(str(p) for p in out_dir.iterdir())
    written = sorted(p.name for p in out_dir.iterdir())
    assert written == ["news-buses.json", "news-keepers.json", "news-quay.json"]
    keepers = json.loads((out_dir / "news-keepers.json").read_text())
    assert keepers["title"] == "Keepers strike" and keepers["site"] == "Harbour Weekly"
    assert [q["speaker"] for q in keepers["quotes"]][:1] == ["Tom Okafor"]  # from the feed's text, not fetched
    assert all(r.path != "/news/keepers" for r, _ in server.log)
    quay = json.loads((out_dir / "news-quay.json").read_text())
    assert quay["quotes"][0]["speaker"] == "Ann Lee"


def test_voices_over_a_feed(server: HTTPServer, capsys: pytest.CaptureFixture[str]) -> None:
    serve(server, "/news/quay", article_html("Quay reopens"), "text/html")
    serve(server, "/news/buses", article_html("Night buses return", "The buses are back"), "text/html")
    url = serve(server, "/feed.xml", rss(item("1", "Quay reopens", "/news/quay")
                                         + item("2", "Night buses return", "/news/buses"), "Harbour Weekly"))
    status, out, err = run(capsys, "voices", "--feed", url, "--format", "json")
    assert status == 0, err
    data = json.loads(out)
    assert data["articles"] == 2
    lee = next(v for v in data["voices"] if v["name"] == "Ann Lee")
    assert (lee["articles"], lee["quotes"] + lee["unsure_quotes"]) == (2, 2)  # one person, both articles


def test_export_a_feed_with_jobs(server: HTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for n in range(3):
        serve(server, f"/news/{n}", article_html(f"Story {n}"), "text/html")
    url = serve(server, "/feed.xml", rss("".join(item(str(n), f"Story {n}", f"/news/{n}") for n in range(3))))
    status, _, err = run(capsys, "export", "--feed", url, "-f", "md", "--output-dir", str(tmp_path), "--jobs", "2")
    assert status == 0
    assert sorted(err.splitlines()) == [f"wrote {tmp_path / f'news-{n}.md'}" for n in range(3)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["news-0.md", "news-1.md", "news-2.md"]


def test_export_a_feed_that_cannot_be_read(server: HTTPServer, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    url = serve(server, "/feed.xml", b"")
    status, out, err = run(capsys, "export", "--feed", url, "-f", "json", "--output-dir", str(tmp_path))
    assert (status, out, err) == (1, "", f"newsreader: {url} is empty\n")


# -- newsboat: bookmark-cmd and browser ----------------------------------------------------


def test_bookmark_saves_silently(server: HTTPServer, capsys: pytest.CaptureFixture[str]) -> None:
    url = serve(server, "/news/quay", article_html("Quay reopens"), "text/html")
    assert run(capsys, "bookmark", url, "Quay reopens", "The quay is open again.", "Harbour Weekly") == (0, "", "")
    (entry,) = Library().list()
    assert entry.source == url and entry.title == "Quay reopens"
    assert Library().get(entry.id).quotes[0].speaker == "Ann Lee"


def test_bookmark_failure_is_one_line_on_stdout(server: HTTPServer, capsys: pytest.CaptureFixture[str]) -> None:
    url = server.url_for("/missing")
    server.expect_request("/missing").respond_with_response(Response("no", status=404))
    status, out, err = run(capsys, "bookmark", url, "Missing", "", "Harbour Weekly")
    assert (status, err) == (1, "")
    assert out == f"newsreader: {url}: not found (HTTP 404)\n"
    assert Library().list() == []


def test_bookmark_as_newsboat_runs_it(server: HTTPServer) -> None:
    """newsboat runs ``bookmark-cmd 'URL' TITLE DESC FEEDTITLE`` through /bin/sh and reads stdout."""
    import subprocess
    import sys

    url = serve(server, "/news/it's", article_html("Quay reopens"), "text/html")
    quoted = url.replace("'", "%27")
    command = f"{sys.executable} -m newsreader.cli bookmark '{quoted}' 'Quay reopens' '' 'Harbour Weekly'"
    done = subprocess.run(["/bin/sh", "-c", command], capture_output=True, text=True, timeout=300, check=False)
    assert (done.returncode, done.stdout) == (0, "")
    assert [e.source for e in Library().list()] == [quoted]


@pytest.mark.parametrize("url", [
    "https://example.org/news/story?id=1&utm_source=rss#top",
    "https://example.org/a%20b/it%27s",
    "https://example.org/export",
])
def test_browser_setting_passes_the_url_to_the_reader(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """newsboat's ``browser "newsreader %u"`` puts the URL in single quotes: the reader gets it whole."""
    opened: list[str | None] = []
    monkeypatch.setattr(cli, "_open_reader", lambda args: opened.append(args.source) or 0)
    argv = shlex.split("newsreader %u".replace("%u", "'" + url.replace("'", "%27") + "'"))
    assert cli.main(argv[1:]) == 0
    assert opened == [url]
