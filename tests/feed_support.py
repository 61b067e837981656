"""Sample feeds (tests/fixtures/feeds) served from 127.0.0.1, for the feed tests."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
TYPES = {
    "rss2.xml": "application/rss+xml",
    "atom.xml": "application/atom+xml",
    "rdf.xml": "application/rdf+xml",
    "feed.json": "application/feed+json",
    "home.html": "text/html; charset=utf-8",
}
PROXIES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


def fixture(name: str) -> bytes:
    return (FEEDS / name).read_bytes()


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[HTTPServer]:
    """A local server of the test's own (it may be stopped to play a server that is down)."""
    for name in PROXIES:
        monkeypatch.delenv(name, raising=False)
    http = HTTPServer(host="127.0.0.1", port=0)
    http.start()
    yield http
    http.clear()
    if http.is_running():
        http.stop()


def serve(server: HTTPServer, path: str, body: bytes, content_type: str = "application/rss+xml",
          **headers: str) -> str:
    """Answer every GET of ``path`` with ``body``."""
    server.expect_request(path).respond_with_response(
        Response(body, headers={"Content-Type": content_type, **headers}))
    return server.url_for(path)


def serve_fixture(server: HTTPServer, name: str, path: str | None = None) -> str:
    return serve(server, path or f"/feeds/{name}", fixture(name), TYPES[name])


def serve_conditional(server: HTTPServer, path: str, body: bytes, *, etag: str | None = '"v1"',
                      last_modified: str | None = "Tue, 05 Mar 2024 10:00:00 GMT",
                      seen: list[tuple[dict[str, str], int]] | None = None) -> str:
    """A feed that answers 304 when the request carries its validators; ``seen`` collects
    (request headers, status) for each request."""

    def answer(request: Request) -> Response:
        fresh = (etag is not None and request.headers.get("If-None-Match") == etag) or (
            etag is None and last_modified is not None and request.headers.get("If-Modified-Since") == last_modified)
        headers = {k: v for k, v in (("ETag", etag), ("Last-Modified", last_modified)) if v}
        response = Response(status=304, headers=headers) if fresh else Response(
            body, headers={"Content-Type": "application/rss+xml", **headers})
        if seen is not None:
            seen.append((dict(request.headers), response.status_code))
        return response

    server.expect_request(path).respond_with_handler(answer)
    return server.url_for(path)


def rss(items: str, title: str = "Test feed") -> bytes:
    """An RSS 2.0 document around ``items`` (item elements as text)."""
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>/</link>{items}</channel></rss>").encode()


def item(guid: str, title: str, link: str | None = None, date: str | None = "Tue, 05 Mar 2024 10:00:00 GMT",
         description: str = "A summary.") -> str:
    parts = [f"<title>{title}</title>", f'<guid isPermaLink="false">{guid}</guid>', f"<description>{description}</description>"]
    if link is not None:
        parts.append(f"<link>{link}</link>")
    if date is not None:
        parts.append(f"<pubDate>{date}</pubDate>")
    return "<item>" + "".join(parts) + "</item>"
