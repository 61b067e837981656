"""SOURCE → Page: files, stdin and a local HTTP server (never the internet)."""
from __future__ import annotations

import base64
import contextlib
import gc
import gzip
import io
import json
import os
import socket
import stat
import threading
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import brotli
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from newsreader.errors import LoadError
from newsreader.load import MAX_REDIRECTS, check_source, load
from newsreader.safety import redact_url, source_label

CURLY = "\u201cWe will not back down,\u201d the minister said. It\u2019s a caf\u00e9 na\u00efve \u2014 stance."
ARTICLE = f"<!DOCTYPE html><html><head><title>T</title></head><body><p>{CURLY}</p></body></html>"

MAGIC = {
    "PDF document": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
    "PNG image": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "JPEG image": b"\xff\xd8\xff\xe0\x00\x10JFIF",
    "GIF image": b"GIF89a\x01\x00\x01\x00",
    "ZIP archive": b"PK\x03\x04\x14\x00\x06\x00",
    "gzip archive": gzip.compress(b"hello"),
}


def load_error(source: str, **options: object) -> str:
    """The one-line message load() gives for ``source``."""
    with pytest.raises(LoadError) as caught:
        load(source, **options)  # type: ignore[arg-type]
    message = str(caught.value)
    assert "\n" not in message and message
    return message


# --- files -----------------------------------------------------------------


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_html_file(tmp_path: Path) -> None:
    path = write(tmp_path, "a.html", ARTICLE.encode())
    page = load(path)
    assert (page.kind, page.text, page.encoding, page.source, page.url) == ("html", ARTICLE, "utf-8", path, None)


def test_markup_wins_over_a_text_extension(tmp_path: Path) -> None:
    assert load(write(tmp_path, "saved.txt", b"\n  <div class='story'><p>Hi</p></div>")).kind == "html"


def test_extension_decides_when_no_markup_is_seen(tmp_path: Path) -> None:
    assert load(write(tmp_path, "fragment.htm", b"<span>Hello</span> world")).kind == "html"
    assert load(write(tmp_path, "notes.md", b"# Title\n\nSome *text*.")).kind == "text"
    assert load(write(tmp_path, "README", b"Plain words.")).kind == "text"


def test_text_file(tmp_path: Path) -> None:
    page = load(write(tmp_path, "story.txt", CURLY.encode()))
    assert (page.kind, page.text, page.encoding) == ("text", CURLY, "utf-8")


def test_legacy_text_file_without_declaration(tmp_path: Path) -> None:
    page = load(write(tmp_path, "story.txt", CURLY.encode("cp1252")))
    assert (page.text, page.encoding) == (CURLY, "cp1252")


@pytest.mark.parametrize(("bom", "codec"), [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le")])
def test_byte_order_mark(tmp_path: Path, bom: bytes, codec: str) -> None:
    page = load(write(tmp_path, "story", bom + ARTICLE.encode(codec)))
    assert (page.text, page.encoding, page.kind) == (ARTICLE, codec, "html")


@pytest.mark.parametrize(("what", "data"), MAGIC.items())
def test_binary_formats_are_named(tmp_path: Path, what: str, data: bytes) -> None:
    path = write(tmp_path, "download.html", data)
    assert load_error(path) == f"{path} is a {what}, not an article"


def test_nul_bytes_mean_binary(tmp_path: Path) -> None:
    path = write(tmp_path, "blob.txt", b"some text\x00\x01\x02 more")
    assert load_error(path) == f"{path} is a binary file, not an article"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark(tmp_path: Path, codec: str) -> None:
    page = load(write(tmp_path, "story", ARTICLE.encode(codec)))
    assert (page.text, page.encoding, page.kind) == (ARTICLE, codec, "html")
    page = load(write(tmp_path, "notes.txt", (CURLY + " Ελλάδα, Україна.").encode(codec)))
    assert (page.text, page.encoding, page.kind) == (CURLY + " Ελλάδα, Україна.", codec, "text")


def test_16_bit_binary_data_is_not_taken_for_utf16(tmp_path: Path) -> None:
    path = write(tmp_path, "samples", b"".join(n.to_bytes(2, "little") for n in range(0, 4000, 7)))
    assert "not an article" in load_error(path)


def test_a_few_nul_bytes_in_text_are_tolerated(tmp_path: Path) -> None:
    text = " ".join([CURLY] * 20)
    page = load(write(tmp_path, "story.txt", text.encode().replace(b"minister", b"mini\x00ster", 1)))
    assert (page.kind, page.text.replace("\x00", "")) == ("text", text)


def test_control_bytes_mean_not_text(tmp_path: Path) -> None:
    path = write(tmp_path, "blob", bytes(range(1, 32)) * 50)
    assert "does not look like text" in load_error(path)


@pytest.mark.parametrize("data", [b"", b"  \n\t\n"])
def test_empty_file(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "empty.html", data)
    assert load_error(path) == f"{path} is empty"


def test_directory(tmp_path: Path) -> None:
    assert load_error(str(tmp_path)) == f"{tmp_path} is a directory, not a file"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    # A writer that holds the pipe open without writing: reading it would wait until it
    # gives up (a bounded wait, so that loading it by mistake fails instead of hanging).
    give_up = threading.Event()

    def writer() -> None:
        with contextlib.suppress(OSError), open(fifo, "wb"):
            give_up.wait(5)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        message = load_error(str(fifo))
    finally:
        give_up.set()
        with contextlib.suppress(OSError):  # let the writer's open() return if nobody read
            os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
        thread.join(5)
    assert message == f"{fifo} is a named pipe, not a file"


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_refused(device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    assert load_error(device, max_bytes=1000) == f"{device} is a device, not a file"


def test_a_terminal_is_refused() -> None:
    pty = pytest.importorskip("pty")
    leader, follower = pty.openpty()
    name = os.ttyname(follower)
    # Reading a terminal nobody types into waits for ever; closing its other end after a
    # bounded wait makes a load that reads it by mistake fail instead.
    done = threading.Event()
    hang_up = threading.Thread(target=lambda: (done.wait(5), os.close(leader)), daemon=True)
    hang_up.start()
    try:
        message = load_error(name)
    finally:
        done.set()
        hang_up.join(5)
        os.close(follower)
    assert message == f"{name} is a device, not a file"


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets here")
def test_a_socket_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.html"
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(path))
        assert load_error(str(path)) == f"{path} is a socket, not a file"


def test_missing_file(tmp_path: Path) -> None:
    path = str(tmp_path / "nope.html")
    assert load_error(path) == f"{path}: no such file"


@pytest.mark.parametrize(("source", "meant"), [
    ("example.com/news", "https://example.com/news"),
    ("www.bbc.co.uk/news/uk-1", "https://www.bbc.co.uk/news/uk-1"),
    ("nytimes.com", "https://nytimes.com"),
    ("story.html", None),  # a file name, by its extension
    ("notes/draft.txt", None),
    ("drafts/story", None),
])
def test_a_missing_name_that_looks_like_a_web_address_suggests_https(
    source: str, meant: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    hint = f"; did you mean {meant}?" if meant else ""
    assert load_error(source) == f"{source}: no such file{hint}"
    with pytest.raises(LoadError) as checked:
        check_source(source)  # the same line, without reading anything
    assert str(checked.value) == f"{source}: no such file{hint}"


def test_check_source_refuses_what_load_would_without_reading(tmp_path: Path) -> None:
    story = write(tmp_path, "story.html", ARTICLE.encode())
    for fine in (story, "-", "https://example.org/news", "HTTP://example.org"):
        check_source(fine)
    for source, line in ((str(tmp_path), f"{tmp_path} is a directory, not a file"),
                         ("ftp://example.org/x", "ftp://example.org/x: unsupported address (use http://, https://, a file or -)"),
                         ("", "the path is empty: give a URL, a file or - (stdin)")):
        with pytest.raises(LoadError) as refused:
            check_source(source)
        assert str(refused.value) == line


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path, "secret.html", ARTICLE.encode())
    os.chmod(path, 0)
    try:
        assert load_error(path) == f"{path}: permission denied"
    finally:
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)


def test_permission_error_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same refusal, reached as root too (root reads files whatever their mode)."""
    path = write(tmp_path, "secret.html", ARTICLE.encode())

    def refuse(*_: object, **__: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("newsreader.load.os.open", refuse)
    assert load_error(path) == f"{path}: permission denied"


def test_file_over_the_cap(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", b"a" * 1001)
    assert load_error(path, max_bytes=1000) == f"{path} is larger than 1000 bytes"
    assert load(path, max_bytes=1001).text == "a" * 1001


def test_default_cap_is_ten_megabytes(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as out:
        out.truncate(10 * 1024 * 1024 + 1)  # sparse: the size is refused before reading
    assert load_error(str(path)) == f"{path} is larger than 10 MB"


def test_unsupported_scheme() -> None:
    assert "unsupported address" in load_error("ftp://example.org/story.html")


# --- stdin -----------------------------------------------------------------


def test_stdin_argument() -> None:
    page = load("-", stdin=io.BytesIO(ARTICLE.encode("utf-16")))
    assert (page.source, page.kind, page.text) == ("-", "html", ARTICLE)


def test_stdin_defaults_to_sys_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = io.TextIOWrapper(io.BytesIO(CURLY.encode("cp1252")))
    monkeypatch.setattr("sys.stdin", fake)
    page = load("-")
    assert (page.kind, page.text) == ("text", CURLY)


def test_stdin_failures() -> None:
    assert load_error("-", stdin=io.BytesIO(b"")) == "stdin is empty"
    assert load_error("-", stdin=io.BytesIO(MAGIC["PDF document"])) == "stdin is a PDF document, not an article"
    assert load_error("-", stdin=io.BytesIO(b"x" * 101), max_bytes=100) == "stdin is larger than 100 bytes"


def test_no_stdin_at_all(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", None)
    assert "stdin is not available" in load_error("-")


def test_stdin_terminal_is_refused() -> None:
    class Terminal(io.BytesIO):
        def isatty(self) -> bool:
            return True

    assert "stdin is a terminal" in load_error("-", stdin=Terminal(b"never read"))


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=3000))
def test_any_bytes_give_a_page_or_a_load_error(data: bytes) -> None:
    try:
        page = load("-", stdin=io.BytesIO(data), max_bytes=2000)
    except LoadError as error:
        assert "\n" not in str(error)
    else:
        assert page.text.strip()


# --- the web ---------------------------------------------------------------


@pytest.fixture(scope="module")
def _server() -> Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def server(_server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[HTTPServer]:
    """The local server, with no proxy between it and the client."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    yield _server
    _server.clear()


def serve(server: HTTPServer, path: str, body: bytes, content_type: str | None, **headers: str) -> str:
    """Answer ``path`` with ``body``; ``content_type=None`` sends no Content-Type at all."""
    response = Response(body, headers=headers)
    if content_type is None:
        del response.headers["Content-Type"]
    else:
        response.headers["Content-Type"] = content_type
    server.expect_request(path).respond_with_response(response)
    return server.url_for(path)


def test_fetch_html(server: HTTPServer) -> None:
    seen: list[Request] = []

    def handler(request: Request) -> Response:
        seen.append(request)
        return Response(ARTICLE.encode(), content_type="text/html; charset=utf-8")

    server.expect_request("/story").respond_with_handler(handler)
    url = server.url_for("/story")
    page = load(url)
    assert (page.source, page.url, page.kind) == (url, url, "html")
    assert (page.text, page.content_type, page.encoding) == (ARTICLE, "text/html", "utf-8")
    assert "Mozilla/5.0" in seen[0].headers["User-Agent"]
    assert "text/html" in seen[0].headers["Accept"]
    assert "br" in seen[0].headers["Accept-Encoding"]


def test_fetch_plain_text(server: HTTPServer) -> None:
    page = load(serve(server, "/t", CURLY.encode(), "text/plain; charset=utf-8"))
    assert (page.kind, page.text) == ("text", CURLY)


def test_text_plain_carrying_markup_is_html(server: HTTPServer) -> None:
    assert load(serve(server, "/raw", ARTICLE.encode(), "text/plain")).kind == "html"


def test_missing_content_type_is_sniffed(server: HTTPServer) -> None:
    assert load(serve(server, "/a", ARTICLE.encode(), None)).kind == "html"
    assert load(serve(server, "/b", b"Just words.", None)).kind == "text"
    url = serve(server, "/c", MAGIC["PDF document"], None)
    assert load_error(url) == f"{url} is a PDF document, not an article"


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("application/pdf", "is a PDF (application/pdf), not an article"),
        ("image/png", "is an image (image/png), not an article"),
        (
            "application/x-shockwave-flash",
            "is application/x-shockwave-flash, not an article (expected an HTML or text page)",
        ),
    ],
)
def test_other_content_types_are_refused(server: HTTPServer, content_type: str, expected: str) -> None:
    url = serve(server, "/file", b"%PDF-1.4 whatever", content_type)
    assert load_error(url) == f"{url} {expected}"


def test_binary_body_under_an_html_type_is_refused(server: HTTPServer) -> None:
    url = serve(server, "/pic", MAGIC["PNG image"], "text/html")
    assert load_error(url) == f"{url} is a PNG image, not an article"


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (404, "not found (HTTP 404)"),
        (403, "access denied (HTTP 403)"),
        (410, "gone: the page was removed (HTTP 410)"),
        (418, "the server refused the request (HTTP 418)"),
        (500, "the server failed (HTTP 500)"),
        (503, "the server failed (HTTP 503)"),
    ],
)
def test_http_errors(server: HTTPServer, status: int, reason: str) -> None:
    server.expect_request("/gone").respond_with_data("<html>error page</html>", status=status)
    url = server.url_for("/gone")
    assert load_error(url) == f"{url}: {reason}"


def redirect(server: HTTPServer, path: str, target: str) -> None:
    server.expect_request(path).respond_with_data("", status=302, headers={"Location": target})


def test_redirect_chain_gives_the_final_url(server: HTTPServer) -> None:
    redirect(server, "/r1", "/r2")
    redirect(server, "/r2", server.url_for("/r3"))
    redirect(server, "/r3", "/final")
    serve(server, "/final", ARTICLE.encode(), "text/html")
    page = load(server.url_for("/r1"))
    assert (page.source, page.url, page.text) == (server.url_for("/r1"), server.url_for("/final"), ARTICLE)


def test_redirect_limit(server: HTTPServer) -> None:
    for hop in range(MAX_REDIRECTS + 1):
        redirect(server, f"/hop{hop}", f"/hop{hop + 1}")
    serve(server, f"/hop{MAX_REDIRECTS + 1}", ARTICLE.encode(), "text/html")
    assert load(server.url_for("/hop1")).url == server.url_for(f"/hop{MAX_REDIRECTS + 1}")
    url = server.url_for("/hop0")
    assert load_error(url) == f"{url}: too many redirects (more than {MAX_REDIRECTS})"


def test_redirect_loop(server: HTTPServer) -> None:
    redirect(server, "/ping", "/pong")
    redirect(server, "/pong", "/ping")
    assert "too many redirects" in load_error(server.url_for("/ping"))


def test_windows_1252_declared_in_the_header(server: HTTPServer) -> None:
    page = load(serve(server, "/w", ARTICLE.encode("cp1252"), "text/html; charset=windows-1252"))
    assert (page.text, page.encoding) == (ARTICLE, "cp1252")


def test_latin1_header_is_read_as_windows_1252(server: HTTPServer) -> None:
    page = load(serve(server, "/l", ARTICLE.encode("cp1252"), "text/html; charset=ISO-8859-1"))
    assert page.text == ARTICLE


@pytest.mark.parametrize("offset", [1500, 10_000])
def test_charset_in_a_meta_tag_after_the_first_kilobyte(server: HTTPServer, offset: int) -> None:
    # ISO-8859-15 puts € at 0xA4, where Windows-1252 has ¤: only the meta tag tells them apart.
    head = "<html><head><style>" + "p {}\n" * (offset // 5) + "</style>"
    html = f'{head}<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15"></head>'
    html += "<body><p>The ticket costs 5 \u20ac, the minister said.</p></body></html>"
    body = html.encode("iso-8859-15")
    assert body.index(b"<meta") > offset
    page = load(serve(server, "/m", body, "text/html"))
    assert (page.text, page.encoding) == (html, "iso8859-15")


def test_legacy_page_declaring_nothing(server: HTTPServer) -> None:
    page = load(serve(server, "/n", ARTICLE.encode("cp1252"), "text/html"))
    assert page.text == ARTICLE


def test_valid_utf8_wins_over_a_wrong_declaration(server: HTTPServer) -> None:
    html = ARTICLE.replace("<head>", '<head><meta charset="windows-1252">')
    page = load(serve(server, "/u", html.encode(), "text/html; charset=iso-8859-1"))
    assert (page.text, page.encoding) == (html, "utf-8")
    assert "\u00e2\u20ac" not in page.text


@pytest.mark.parametrize(("coding", "compress"), [("gzip", gzip.compress), ("br", brotli.compress)])
def test_compressed_bodies(server: HTTPServer, coding: str, compress: object) -> None:
    body = compress(ARTICLE.encode())  # type: ignore[operator]
    assert load(serve(server, "/z", body, "text/html", **{"Content-Encoding": coding})).text == ARTICLE


def test_broken_compression(server: HTTPServer) -> None:
    url = serve(server, "/bad", b"not gzip at all", "text/html", **{"Content-Encoding": "gzip"})
    assert "could not be decoded" in load_error(url)


def test_announced_length_over_the_cap(server: HTTPServer) -> None:
    url = serve(server, "/long", b"a" * 5000, "text/plain")
    assert load_error(url, max_bytes=4096) == f"{url} is larger than 4 KB"


def test_streamed_body_stops_at_the_cap(server: HTTPServer) -> None:
    chunk, chunks = b"a" * 65536, 1600  # 100 MB, sent without a length
    sent: list[int] = []

    def body() -> Iterator[bytes]:
        for _ in range(chunks):
            sent.append(len(chunk))
            yield chunk

    server.expect_request("/endless").respond_with_handler(lambda _: Response(body(), content_type="text/plain"))
    url = server.url_for("/endless")
    assert load_error(url, max_bytes=256 * 1024) == f"{url} is larger than 256 KB"
    assert sum(sent) < 50 * 1024 * 1024  # socket buffers hold a little; the rest is never asked for


def test_decompressed_size_is_capped(server: HTTPServer) -> None:
    url = serve(server, "/bomb", gzip.compress(b"a" * 300_000), "text/plain", **{"Content-Encoding": "gzip"})
    assert load_error(url, max_bytes=100_000) == f"{url} is larger than 97.7 KB"


def _pack(coding: str, blocks: Iterator[bytes]) -> bytes:
    """``blocks`` compressed with ``coding``, one at a time (never all in memory)."""
    if coding == "br":
        compressor = brotli.Compressor(quality=5)
        return b"".join([*(compressor.process(block) for block in blocks), compressor.finish()])
    packer = zlib.compressobj(6, zlib.DEFLATED, {"gzip": 31, "deflate": 15}[coding])
    return b"".join([*(packer.compress(block) for block in blocks), packer.flush()])


def test_stacked_codings_are_all_undone(server: HTTPServer) -> None:
    body = brotli.compress(gzip.compress(ARTICLE.encode()))
    url = serve(server, "/twice", body, "text/html", **{"Content-Encoding": "gzip, br"})
    assert load(url).text == ARTICLE


def test_a_long_stack_of_codings_is_refused(server: HTTPServer) -> None:
    url = serve(server, "/stack", gzip.compress(b"x"), "text/html", **{"Content-Encoding": "gzip, " * 3 + "gzip"})
    assert load_error(url) == f"{url}: the server compressed the page 4 times over (at most 3 are read)"


@pytest.mark.parametrize("pack", [zlib.compress, lambda data: zlib.compress(data)[2:-4]], ids=["zlib", "raw"])
def test_deflate_with_or_without_its_zlib_wrapper(server: HTTPServer, pack: Callable[[bytes], bytes]) -> None:
    url = serve(server, "/deflate", pack(ARTICLE.encode()), "text/html", **{"Content-Encoding": "deflate"})
    assert load(url).text == ARTICLE


def test_timeout(server: HTTPServer) -> None:
    release = threading.Event()

    def slow(_: Request) -> Response:
        release.wait(10)
        return Response(ARTICLE, content_type="text/html")

    server.expect_request("/slow").respond_with_handler(slow)
    url = server.url_for("/slow")
    try:
        message = load_error(url, timeout=0.2)
    finally:
        release.set()
    assert message == f"{url}: the server did not answer within 0.2 s (timed out)"


def test_a_dripping_server_is_cut_off(server: HTTPServer) -> None:
    """Each read gets a byte within the timeout, but the whole exchange has a deadline too."""
    stop = threading.Event()

    def drip() -> Iterator[bytes]:
        yield b"<html><body><p>"
        while not stop.wait(0.05):
            yield b"x"

    server.expect_request("/drip").respond_with_handler(lambda _: Response(drip(), content_type="text/html"))
    url = server.url_for("/drip")
    try:
        with pytest.raises(LoadError) as caught:
            load(url, timeout=0.25, deadline=1)
    finally:
        stop.set()
    assert str(caught.value) == f"{url}: {TOO_SLOW.format(1)}" and caught.value.transient


# --- servers that misbehave below HTTP ---------------------------------------

TOO_SLOW = "the page took more than {:g} s to download (the server is too slow)"
Behaviour = Callable[[socket.socket, bytes, threading.Event], None]


@contextlib.contextmanager
def raw_server(behave: Behaviour) -> Iterator[str]:
    """A server on 127.0.0.1 (its base URL is yielded) that reads a request, then runs
    ``behave(connection, request, stop)``, on each connection; ``stop`` is set when the block
    ends, and the server stops with it."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    stop = threading.Event()

    def serve() -> None:
        with listener:
            while not stop.is_set():
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    continue
                with conn, contextlib.suppress(OSError):
                    behave(conn, conn.recv(65536), stop)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(5)


def dripping(data: bytes, every: float = 0.05) -> Behaviour:
    """Send ``data`` one byte at a time (and then close): each byte well within a read timeout."""
    def behave(conn: socket.socket, _: bytes, stop: threading.Event) -> None:
        for byte in data:
            if stop.wait(every):
                return
            conn.sendall(bytes([byte]))
    return behave


def answering(pages: dict[str, bytes], content_type: str, coding: str) -> Behaviour:
    """Answer ``GET PATH`` with ``pages[PATH]``, sent with ``Content-Encoding: coding``."""
    def behave(conn: socket.socket, request: bytes, _: threading.Event) -> None:
        body = pages[request.split()[1].decode()]
        head = (f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Encoding: {coding}\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n")
        conn.sendall(head.encode() + body)
    return behave


@pytest.mark.parametrize("coding", ["br", "gzip", "deflate"])
def test_a_compression_bomb_is_refused_with_bounded_memory(coding: str) -> None:
    """32 MB of zeros packed into 32 kB (100 bytes with brotli): the cap counts decoded bytes as
    they come, so no more than a piece of them is ever held beyond the cap. (A server of our
    own: the test server's thread allocates megabytes of its own now and then.)"""
    bomb = _pack(coding, (bytes(1024 * 1024) for _ in range(32)))
    assert len(bomb) < 64 * 1024  # one network read's worth
    pages = {"/warm": _pack(coding, iter([ARTICLE.encode()])), "/bomb": bomb}
    with raw_server(answering(pages, "text/html", coding)) as base:
        load(f"{base}/warm")  # imports what a load needs, before memory is traced
        gc.collect()  # and nothing is left over to be freed meanwhile
        tracemalloc.start()
        try:
            message = load_error(f"{base}/bomb", max_bytes=256 * 1024)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert message == f"{base}/bomb is larger than 256 KB"
    assert peak < 8 * 1024 * 1024


@pytest.mark.parametrize("answer", [
    b"HTTP/1.1 200 OK\r\n" + b"X-Padding: " + b"a" * 400,  # a status line and headers that never end
    b"HTTP/1.1 100 Continue\r\n\r\n" * 20,  # "wait for it", for ever
], ids=["dripped-headers", "endless-100-continue"])
def test_one_deadline_covers_the_headers(answer: bytes) -> None:
    with raw_server(dripping(answer)) as base, pytest.raises(LoadError) as caught:
        load(f"{base}/story", timeout=0.5, deadline=1)
    assert str(caught.value) == f"{base}/story: {TOO_SLOW.format(1)}" and caught.value.transient


def test_one_deadline_covers_finding_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """A name lookup that never returns (a dead resolver) is cut off by the same deadline."""
    release = threading.Event()
    lookup = socket.getaddrinfo

    def stuck(*args: object, **kwargs: object) -> object:
        release.wait(5)
        return lookup(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", stuck)
    try:
        with pytest.raises(LoadError) as caught:
            load("http://localhost:9/story", timeout=0.5, deadline=0.5)
        assert not release.is_set()  # load gave up while the lookup was still hanging
    finally:
        release.set()
    assert str(caught.value) == f"http://localhost:9/story: {TOO_SLOW.format(0.5)}"


def test_connection_refused() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago and has nobody listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    assert load_error(url) == f"{url}: the connection was refused (is the server down?)"


def test_dns_failure() -> None:
    url = "http://no-such-host.invalid/story"
    assert load_error(url) == f"{url}: could not find the server no-such-host.invalid (name not found)"


def test_tls_failure(server: HTTPServer) -> None:
    url = server.url_for("/story").replace("http://", "https://")
    assert load_error(url, timeout=5).startswith(f"{url}: the secure connection failed (TLS error: ")


@pytest.mark.parametrize("url", ["http://[::1/", "https://", "http:///story"])
def test_malformed_urls(url: str) -> None:
    assert load_error(url).startswith(f"{url}: not a valid web address (")


@pytest.mark.parametrize("target", ["ftp://example.org/story", "javascript:alert(1)", "data:text/html,<p>hi",
                                    "mailto:desk@example.org"])
def test_redirect_to_another_scheme(server: HTTPServer, target: str) -> None:
    redirect(server, "/elsewhere", target)
    url = server.url_for("/elsewhere")
    assert load_error(url) == f"{url}: redirected to an address that is not http(s)"


@pytest.mark.parametrize(("target", "reason"), [
    ("http:///story", "redirected to an address with no server name"),
    ("http://[::1/story", "redirected to an address that is not valid"),
    (f"http://{'a' * 300}.example/", "redirected to an address that is not valid (the server name is too long)"),
    ("https://news..example/", "redirected to an address that is not valid (the server name is not valid)"),
], ids=["no-server", "unclosed-ipv6", "long-name", "empty-label"])
def test_redirect_to_a_broken_address(target: str, reason: str) -> None:
    """(A server of our own: the test server refuses to send such a Location.)"""
    def behave(conn: socket.socket, _: bytes, __: threading.Event) -> None:
        conn.sendall(f"HTTP/1.1 302 Found\r\nLocation: {target}\r\nContent-Length: 0\r\n\r\n".encode())

    with raw_server(behave) as base:
        assert load_error(f"{base}/broken") == f"{base}/broken: {reason}"


@pytest.mark.parametrize(("host", "reason"), [
    ("a" * 300 + ".example", "the server name is too long"),
    ("x" * 64 + ".example", "the server name is too long"),
    ("news..example", "the server name is not valid"),
], ids=["long-name", "long-label", "empty-label"])
def test_server_names_the_lookup_would_refuse(host: str, reason: str) -> None:
    url = f"http://{host}/story"
    assert load_error(url) == f"{source_label(url)}: not a valid web address ({reason})"


@pytest.mark.parametrize(("length", "reason"), [
    (20_000, "the connection was refused (is the server down?)"),
    (100_000, "not a valid web address (URL too long)"),
], ids=["20-kB", "100-kB"])
def test_long_addresses_are_shortened_in_messages(length: int, reason: str) -> None:
    with socket.socket() as sock:  # a port that was free a moment ago and has nobody listening
        sock.bind(("127.0.0.1", 0))
        base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    url = f"{base}/{'story-' * (length // 6)}end.html"
    shown, _, said = load_error(url).partition(": ")
    assert said == reason
    assert len(shown) <= 120 and shown.startswith(base) and shown.endswith("end.html") and "…" in shown


def test_empty_path() -> None:
    assert load_error("") == "the path is empty: give a URL, a file or - (stdin)"


STORY_PAGE = ("<html><head><title>Council approves bridge</title></head><body><article>"
              + "".join(f"<p>The city council voted on Tuesday to build a new bridge over the river ({i}), after "
                        "a long debate about its cost and the traffic it would bring.</p>" for i in range(4))
              + "</article></body></html>")


def with_credentials(url: str, secret: str = "s3cret%21") -> str:
    return url.replace("http://", f"http://reader:{secret}@", 1)


@pytest.fixture
def unannotated(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pipeline without spaCy: these tests are about sources, not annotation."""
    from newsreader import pipeline
    from newsreader.model import Reading

    monkeypatch.setattr(pipeline, "annotate", lambda article, model=None: Reading(article=article))


def test_credentials_in_a_url_are_sent_and_never_shown_or_stored(
        server: HTTPServer, home: Path, capsys: pytest.CaptureFixture[str], unannotated: None) -> None:
    from newsreader import cli

    seen: list[str | None] = []

    def handler(request: Request) -> Response:
        seen.append(request.headers.get("Authorization"))
        return Response(STORY_PAGE, content_type="text/html")

    server.expect_request("/private").respond_with_handler(handler)
    plain = server.url_for("/private")
    url = with_credentials(plain)
    page = load(url, cache_dir=home / "cache")
    assert (page.source, page.url) == (plain, plain)
    assert seen == ["Basic " + base64.b64encode(b"reader:s3cret!").decode()]
    outputs = {}
    for fmt in ("json", "html"):
        assert cli.main(["export", url, "--format", fmt]) == 0
        outputs[fmt] = capsys.readouterr().out
    assert json.loads(outputs["json"])["source"] == plain
    assert cli.main(["save", url]) == 0
    assert "s3cret" not in capsys.readouterr().out
    stored = [path for path in home.rglob("*") if path.is_file()]
    stored += [path for path in Path(os.environ["NEWSREADER_CACHE"]).rglob("*") if path.is_file()]
    assert len(stored) >= 3  # the page cache, the library's index and the saved article
    for text in [*outputs.values(), *(path.read_bytes().decode("utf-8", "replace") for path in stored)]:
        assert "s3cret" not in text and "reader:" not in text
    assert plain in outputs["html"]


def test_credentials_are_not_in_failure_messages(server: HTTPServer, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    from newsreader import cli

    server.expect_request("/gone").respond_with_data("", status=404)
    plain = server.url_for("/gone")
    url = with_credentials(plain)
    assert load_error(url) == f"{plain}: not found (HTTP 404)"
    assert cli.main(["export", url, "--format", "txt"]) == 1
    assert capsys.readouterr().err == f"newsreader: {plain}: not found (HTTP 404)\n"

    def broken(article: object, model: object = None) -> None:
        raise RuntimeError("the model failed")

    serve(server, "/story", STORY_PAGE.encode(), "text/html")
    monkeypatch.setattr("newsreader.pipeline.annotate", broken)
    assert cli.main(["save", with_credentials(server.url_for("/story"))]) == 1
    assert capsys.readouterr().err == \
        f"newsreader: {server.url_for('/story')}: internal error: RuntimeError: the model failed\n"
    assert load_error(with_credentials("ftp://example.org/x")) == \
        "ftp://example.org/x: unsupported address (use http://, https://, a file or -)"


def test_credentials_in_a_redirect_target_are_not_kept(server: HTTPServer) -> None:
    serve(server, "/inside", ARTICLE.encode(), "text/html")
    redirect(server, "/door", with_credentials(server.url_for("/inside"), "hunter2"))
    page = load(server.url_for("/door"))
    assert page.url == server.url_for("/inside")


def test_credentials_stay_with_their_server(server: HTTPServer) -> None:
    """A redirect to another server (here the same one under another name) gets no password."""
    seen: dict[str, str | None] = {}

    def record(request: Request) -> Response:
        seen[request.path] = request.headers.get("Authorization")
        if request.path == "/door":
            return Response("", status=302, headers={"Location": server.url_for("/inside").replace(
                "127.0.0.1", "localhost")})
        return Response(ARTICLE, content_type="text/html")

    server.expect_request("/door").respond_with_handler(record)
    server.expect_request("/inside").respond_with_handler(record)
    load(with_credentials(server.url_for("/door")))
    assert seen["/door"] and seen["/inside"] is None


@pytest.mark.parametrize(("given", "shown"), [
    ("http://reader:s3cret@example.org/a", "http://example.org/a"),
    ("https://a@b@example.org:8443/x?y=@z", "https://example.org:8443/x?y=@z"),  # the last @ ends them
    ("http://example.org/team@work?who=me@there#at@", "http://example.org/team@work?who=me@there#at@"),
    ("/home/me@work/page.html", "/home/me@work/page.html"),
    ("HTTP://u:p@Example.org", "HTTP://Example.org"),
])
def test_redact_url(given: str, shown: str) -> None:
    assert redact_url(given) == shown


# --- cache -----------------------------------------------------------------


def test_cache_serves_a_later_load_without_network(server: HTTPServer, tmp_path: Path) -> None:
    redirect(server, "/c", "/cached")
    serve(server, "/cached", ARTICLE.encode("cp1252"), "text/html; charset=windows-1252")
    url = server.url_for("/c")
    first = load(url, cache_dir=tmp_path / "cache")
    requests = len(server.log)
    server.clear()  # the server now answers nothing
    second = load(url, cache_dir=tmp_path / "cache")
    assert second == first
    assert len(server.log) == 0 and requests == 2
    assert [p.suffix for p in (tmp_path / "cache").iterdir()] == [".json"]  # no temp files left


def test_cache_is_off_by_default_and_skips_failures(server: HTTPServer, tmp_path: Path) -> None:
    server.expect_request("/x").respond_with_data("", status=404)
    load_error(server.url_for("/x"), cache_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_corrupt_cache_entry_is_fetched_again(server: HTTPServer, tmp_path: Path) -> None:
    url = serve(server, "/s", ARTICLE.encode(), "text/html")
    load(url, cache_dir=tmp_path)
    (entry,) = tmp_path.iterdir()
    entry.write_text("{not json")
    assert load(url, cache_dir=tmp_path).text == ARTICLE
    assert len(server.log) == 2


def _age(cache: Path, seconds: float) -> None:
    (entry,) = cache.iterdir()
    then = entry.stat().st_mtime - seconds
    os.utime(entry, (then, then))


def test_stale_cache_entry_is_fetched_again(server: HTTPServer, tmp_path: Path) -> None:
    url = serve(server, "/fresh", ARTICLE.encode(), "text/html")
    load(url, cache_dir=tmp_path)
    _age(tmp_path, 7 * 3600)
    load(url, cache_dir=tmp_path)
    assert len(server.log) == 2


def test_stale_cache_entry_serves_when_offline(server: HTTPServer, tmp_path: Path) -> None:
    url = serve(server, "/gone", ARTICLE.encode(), "text/html")
    first = load(url, cache_dir=tmp_path)
    _age(tmp_path, 7 * 3600)
    server.clear()
    server.expect_request("/gone").respond_with_data("", status=503)
    assert load(url, cache_dir=tmp_path) == first
    with pytest.raises(LoadError, match="503"):
        load(url)  # without the cache the failure shows


@pytest.mark.parametrize(("status", "body", "content_type"), [
    (404, b"", "text/html"),
    (410, b"", "text/html"),
    (200, b"%PDF-1.4 now a PDF", "application/pdf"),
])
def test_stale_cache_entry_is_not_served_for_a_removed_page(server: HTTPServer, tmp_path: Path, status: int,
                                                             body: bytes, content_type: str) -> None:
    url = serve(server, "/moved", ARTICLE.encode(), "text/html")
    load(url, cache_dir=tmp_path)
    _age(tmp_path, 7 * 3600)
    server.clear()
    server.expect_request("/moved").respond_with_data(body, status=status, content_type=content_type)
    with pytest.raises(LoadError) as caught:
        load(url, cache_dir=tmp_path)
    assert not caught.value.transient


def test_stale_cache_entry_serves_when_the_server_is_down(tmp_path: Path) -> None:
    from newsreader.load import _cache_put
    from newsreader.model import Page

    with socket.socket() as sock:  # a port that was free a moment ago and has nobody listening
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/down"
    kept = Page(source=url, text=ARTICLE, kind="html", url=url)
    _cache_put(tmp_path, kept)
    _age(tmp_path, 7 * 3600)
    assert load(url, cache_dir=tmp_path) == kept


def test_cache_forgets_entries_older_than_thirty_days(server: HTTPServer, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("newsreader.load._pruned", set())
    old, recent = tmp_path / f"{'0' * 64}.json", tmp_path / f"{'1' * 64}.json"
    for path, days in ((old, 31), (recent, 29)):
        path.write_text("{}", encoding="utf-8")
        then = path.stat().st_mtime - days * 24 * 3600
        os.utime(path, (then, then))
    load(serve(server, "/new", ARTICLE.encode(), "text/html"), cache_dir=tmp_path)
    names = {p.name for p in tmp_path.iterdir()}
    assert recent.name in names and old.name not in names and len(names) == 2


def test_pipeline_fetch_uses_the_shared_cache(server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsreader.pipeline import fetch

    url = serve(server, "/shared", ARTICLE.encode(), "text/html")
    fetch(url)
    fetch(url)
    assert len(server.log) == 1
    monkeypatch.setenv("NEWSREADER_NO_CACHE", "1")
    fetch(url)
    assert len(server.log) == 2


# --- the corpus ------------------------------------------------------------


def test_corpus_pages_decode_without_mojibake(corpus: Path) -> None:
    pages = sorted((corpus / "html").glob("*.html"))
    assert pages
    for path in pages:
        page = load(str(path))
        assert (page.kind, page.encoding) == ("html", "utf-8"), path.name
        assert "\u00e2\u20ac" not in page.text, path.name
        assert "\ufffd" not in page.text, path.name
