"""SOURCE → Page: read a web address, a file or stdin into decoded text.

This stage only reads and decodes; cleaning is ``clean.py``'s job. Everything
that can go wrong here (a missing file, a PDF, a 404, a slow server, a page
that never ends) becomes a :class:`LoadError` with one line the user can act
on: no other exception leaves this module.
"""
from __future__ import annotations

import asyncio
import codecs
import contextlib
import hashlib
import json
import os
import re
import socket
import ssl
import stat
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import charset_normalizer

if TYPE_CHECKING:  # httpx loads only for web sources (local files open faster)
    import httpx

from newsreader.errors import LoadError
from newsreader.export.files import write_atomic
from newsreader.model import Kind, Page
from newsreader.safety import one_line, redact_url, shorten, source_label

__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_TIMEOUT", "MAX_REDIRECTS", "Fetched", "fetch_raw", "load"]

DEFAULT_TIMEOUT = 15.0
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 10

# Some news sites answer unknown clients with a bot wall or a stripped page, so
# we ask the way a desktop browser does.
_HEADERS = {
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.8",
    "Accept-Language": "en-GB,en;q=0.9",
    # Only what _DECODERS can undo a bounded piece at a time (so never zstd).
    "Accept-Encoding": "gzip, deflate, br",
}

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TEXT_TYPES = frozenset({"text/plain", "text/markdown"})
# Types that say nothing about the body: look at the bytes instead.
_UNKNOWN_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})
_TYPE_NAMES = {
    "application/pdf": "a PDF",
    "image/": "an image",
    "video/": "a video",
    "audio/": "an audio file",
    "font/": "a font",
    "application/zip": "a ZIP archive",
    "application/gzip": "a gzip archive",
    "application/json": "JSON data",
    "application/xml": "an XML document",
    "text/xml": "an XML document",
    "application/rss+xml": "a news feed",
    "application/atom+xml": "a news feed",
    "text/css": "a style sheet",
    "text/javascript": "a script",
    "application/javascript": "a script",
}

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "a program"),
)

# Longest BOMs first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
_MARKUP = re.compile(rb"<(?:!doctype\s+html|html|head|body|p|div|meta|title|article)[\s>/]", re.I)
_SNIFF_BYTES = 4096
# The HTML standard looks for <meta charset> in the first 1024 bytes only, but
# real pages put it after long comments, scripts and styles; looking further
# costs nothing and finds those.
_DECLARATION_BYTES = 16 * 1024
_DECLARED_CHARSET = re.compile(
    rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([a-z0-9_.:-]+)"
    rb"|<\?xml[^>]*?encoding\s*=\s*[\"']([a-z0-9_.:-]+)",
    re.I,
)
# Share of control or undecodable characters above which bytes are not text.
_MAX_NOISE = 0.05
# Share of NUL bytes above which bytes are binary (a stray one or two happen in real text).
_MAX_NUL_SHARE = 0.01
_NOISE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
_CHUNK = 64 * 1024


CACHE_FRESH_SECONDS = 6 * 3600  # a cached page younger than this opens without asking the server
CACHE_KEEP_SECONDS = 30 * 24 * 3600  # older entries are deleted when the cache is next written
# The whole exchange, from connecting to the last byte, must end within max(this, 4 × timeout)
# unless the caller gives a deadline: the timeout bounds each read, so a server sending a
# byte at a time (of its headers or of its body) could otherwise hold a load for hours.
MIN_DEADLINE = 30.0
_pruned: set[Path] = set()  # cache folders already pruned by this process


def load(
    source: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    deadline: float | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    cache_dir: Path | None = None,
    stdin: BinaryIO | None = None,
    fresh: bool = False,
) -> Page:
    """Read ``source`` (an http(s) URL, a path or ``-`` for stdin) into a :class:`Page`.

    ``timeout`` bounds connecting and each read, in seconds; ``deadline`` bounds the
    whole exchange with the server, from finding it to the last byte (default
    ``max(30, 4 × timeout)``); ``max_bytes`` caps the decoded body; ``cache_dir``,
    when given, keeps fetched pages: a page fetched less than six hours ago opens
    again without the network, and an older copy is still used when the page cannot
    be fetched now (offline, a server error), but not when the server says it is gone
    or no longer an article. ``fresh`` asks the server even when the cached copy is
    young (a reload); the copy is still used when the server cannot be reached.
    """
    if not source:
        raise LoadError("the path is empty: give a URL, a file or - (stdin)")
    if source == "-":
        stream = stdin if stdin is not None else getattr(sys.stdin, "buffer", None)
        if stream is None:
            raise LoadError("stdin is not available: pipe a page into newsreader, e.g. curl URL | newsreader -")
        return _load_stdin(stream, max_bytes)
    if re.match(r"https?://", source, re.I):
        if deadline is None:
            deadline = max(MIN_DEADLINE, 4 * timeout)
        return _load_url(source, timeout=timeout, deadline=deadline, max_bytes=max_bytes, cache_dir=cache_dir,
                         fresh=fresh)
    _refuse_scheme(source)
    return _load_file(source, max_bytes)


def check_source(source: str) -> None:
    """Refuse at once, without reading it, a source :func:`load` would refuse: an empty
    one, an address it cannot fetch, a file that is missing, unreadable or not a file.

    Costs a ``stat`` at most: the command line asks it before the reader starts, so
    that a mistyped path is one line on the terminal rather than a screen of its own.
    URLs and ``-`` pass (only fetching them can tell).
    """
    if not source:
        raise LoadError("the path is empty: give a URL, a file or - (stdin)")
    if source == "-" or re.match(r"https?://", source, re.I):
        return
    _refuse_scheme(source)
    name = source_label(source)
    path = Path(source).expanduser()
    try:
        _refuse_special(os.stat(path).st_mode, name)
    except FileNotFoundError:
        raise LoadError(_no_such_file(source)) from None
    except PermissionError:
        raise LoadError(f"{name}: permission denied") from None
    except OSError as error:
        raise LoadError(f"{name}: could not read the file ({error.strerror or error})") from None
    if not os.access(path, os.R_OK):
        raise LoadError(f"{name}: permission denied")


def _refuse_scheme(source: str) -> None:
    if re.match(r"[a-z][a-z0-9+.-]*://", source, re.I):
        raise LoadError(f"{source_label(source)}: unsupported address (use http://, https://, a file or -)")


# A web address typed without its scheme: a host name ("example.com", "www.bbc.co.uk")
# alone or followed by a path. A name ending in a document's extension is a file name.
_BARE_HOST = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+([a-z]{2,24})\.?(?:[/?#]|$)", re.I)
_DOCUMENT_SUFFIXES = frozenset({"html", "htm", "xhtml", "txt", "text", "md", "json", "xml", "csv", "pdf"})


def _no_such_file(source: str) -> str:
    """"no such file", with the URL it may have been meant as."""
    message = f"{source_label(source)}: no such file"
    host = _BARE_HOST.match(source)
    if host and host.group(1).lower() not in _DOCUMENT_SUFFIXES:
        message += f"; did you mean {source_label('https://' + source)}?"
    return message


# --- files and stdin -------------------------------------------------------


def _load_file(source: str, max_bytes: int) -> Page:
    """Read a local file, refusing what cannot be an article before reading much of it.

    Only regular files: a named pipe, a device or a terminal may never end (or never
    start: opening a pipe waits for a writer), so they are refused from their type
    alone, before opening, and again on the opened descriptor in case the path changed.
    """
    name = source_label(source)
    path = Path(source).expanduser()
    try:
        _refuse_special(os.stat(path).st_mode, name)
        with os.fdopen(os.open(path, os.O_RDONLY | _DO_NOT_WAIT), "rb") as stream:
            info = os.fstat(stream.fileno())
            _refuse_special(info.st_mode, name)
            if info.st_size > max_bytes:
                raise LoadError(f"{name} is larger than {_size(max_bytes)}")
            body = _read_capped(_chunks(stream), max_bytes, name)
    except FileNotFoundError:
        raise LoadError(_no_such_file(source)) from None
    except PermissionError:
        raise LoadError(f"{name}: permission denied") from None
    except OSError as error:
        raise LoadError(f"{name}: could not read the file ({error.strerror or error})") from None
    return _page(source, body, name, kind=_kind_from_suffix(path.suffix))


# Opening does not wait for a pipe's writer, nor make a terminal ours (no effect on files).
_DO_NOT_WAIT = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_SPECIAL = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def _refuse_special(mode: int, name: str) -> None:
    """Anything but a regular file is refused, with what it is."""
    if stat.S_ISREG(mode):
        return
    what = next((what for test, what in _SPECIAL if test(mode)), "a special file")
    raise LoadError(f"{name} is {what}, not a file")


def _load_stdin(stream: BinaryIO, max_bytes: int) -> Page:
    """Read piped bytes; a terminal on stdin would wait forever, so refuse it."""
    if stream.isatty():
        raise LoadError("stdin is a terminal: pipe a page into newsreader, e.g. curl URL | newsreader -")
    try:
        body = _read_capped(_chunks(stream), max_bytes, "stdin")
    except OSError as error:
        raise LoadError(f"stdin: could not read ({error.strerror or error})") from None
    return _page("-", body, "stdin", kind=None)


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    while chunk := stream.read(_CHUNK):
        yield chunk


def _read_capped(chunks: Iterable[bytes], max_bytes: int, name: str) -> bytes:
    """Join chunks, stopping as soon as they pass ``max_bytes`` (the rest is never read)."""
    body = _Body(max_bytes, name)
    for chunk in chunks:
        body.add(chunk)
    return body.value()


class _Body:
    """Bytes gathered up to a cap: the chunk that passes it raises "larger than"."""

    def __init__(self, max_bytes: int, name: str) -> None:
        self._parts: list[bytes] = []
        self._total = 0
        self._max = max_bytes
        self._name = name

    def add(self, chunk: bytes) -> None:
        self._total += len(chunk)
        if self._total > self._max:
            raise LoadError(f"{self._name} is larger than {_size(self._max)}")
        self._parts.append(chunk)

    def value(self) -> bytes:
        return b"".join(self._parts)


def _kind_from_suffix(suffix: str) -> Kind | None:
    """An .html name makes a fragment without tell-tale tags HTML; other names say nothing."""
    return "html" if suffix.lower() in _HTML_SUFFIXES else None


# --- the web ---------------------------------------------------------------


def fetch_raw(url: str, *, timeout: float = DEFAULT_TIMEOUT, deadline: float | None = None,
              max_bytes: int = DEFAULT_MAX_BYTES, headers: dict[str, str] | None = None) -> Fetched:
    """GET ``url`` as raw bytes, for callers that parse the bytes themselves (news feeds).

    The limits, checks and one-line errors are :func:`load`'s (timeouts, redirects, size
    cap, download deadline, credentials kept out of every message); the type is not
    checked and nothing is cached. ``headers`` are added to the request, e.g.
    ``If-None-Match`` and ``If-Modified-Since`` for a conditional GET, whose "not
    modified" answer comes back as status 304 with no body.
    """
    safe = redact_url(url)
    fetched, _ = _download(safe, _credentials(url) if safe != url else None, timeout=timeout,
                           deadline=max(MIN_DEADLINE, 4 * timeout) if deadline is None else deadline,
                           max_bytes=max_bytes, headers=headers)
    return fetched


def _load_url(source: str, *, timeout: float, deadline: float, max_bytes: int, cache_dir: Path | None,
              fresh: bool = False) -> Page:
    """A web page, from the cache when it is fresh there. A user name and password in the
    address go in the request only: the page, the cache and every message get the
    address without them."""
    url = redact_url(source)
    cached = _cache_get(cache_dir, url) if cache_dir is not None else None
    if cached is not None and cache_dir is not None and not fresh and _cache_age(cache_dir, url) < CACHE_FRESH_SECONDS:
        return cached
    try:
        page = _fetch(url, _credentials(source) if url != source else None, timeout=timeout, deadline=deadline,
                      max_bytes=max_bytes)
    except LoadError as error:
        if cached is not None and error.transient:
            return cached  # offline, or the server fails: the copy we kept
        raise
    if cache_dir is not None:
        _cache_put(cache_dir, page)
    return page


@dataclass(frozen=True)
class Fetched:
    """What :func:`fetch_raw` got: the bytes as sent, and what the server said about them."""

    url: str  # the final address, after redirects
    status: int  # 200, or 304 when the server says the copy named by the validators is current
    body: bytes  # empty for a 304
    content_type: str | None = None  # the MIME type, lower case, without parameters
    charset: str | None = None  # the header's charset parameter
    etag: str | None = None
    last_modified: str | None = None


def _credentials(url: str) -> tuple[str, str] | None:
    """The (user, password) a URL carries, decoded, or None."""
    import httpx

    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        return None  # _fetch says what is wrong with the address
    return (parsed.username, parsed.password) if parsed.username or parsed.password else None


def _fetch(url: str, auth: tuple[str, str] | None, *, timeout: float, deadline: float, max_bytes: int) -> Page:
    """GET ``url`` as a web page (refusing early what is no article); every failure becomes one line."""
    fetched, kind = _download(url, auth, timeout=timeout, deadline=deadline, max_bytes=max_bytes, page=True)
    return _page(url, fetched.body, source_label(fetched.url), kind=kind, charset=fetched.charset,
                 url=redact_url(fetched.url), content_type=fetched.content_type)


def _download(url: str, auth: tuple[str, str] | None, *, timeout: float, deadline: float, max_bytes: int,
              headers: dict[str, str] | None = None, page: bool = False) -> tuple[Fetched, Kind | None]:
    """GET ``url``, following redirects, within ``deadline`` seconds; every failure becomes one line.

    The exchange runs on its own event loop, so that one timer covers all of it:
    finding the server, connecting, every redirect, the headers and the body.
    """
    import httpx

    name = source_label(url)
    try:
        host = httpx.URL(url).host
    except httpx.InvalidURL as error:
        raise LoadError(f"{name}: not a valid web address ({_detail(error)})") from None
    if not host:
        raise LoadError(f"{name}: not a valid web address (no server name)")
    if problem := _host_problem(host):
        raise LoadError(f"{name}: not a valid web address ({problem})")
    what = "the page" if page else "the download"
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(asyncio.wait_for(
            _exchange(url, name, auth, timeout=timeout, max_bytes=max_bytes, headers=headers, page=page), deadline))
    except asyncio.TimeoutError:
        raise LoadError(f"{name}: {what} took more than {deadline:g} s to download (the server is too slow)",
                        transient=True) from None
    except httpx.TimeoutException:
        raise LoadError(f"{name}: the server did not answer within {timeout:g} s (timed out)",
                        transient=True) from None
    except httpx.TooManyRedirects:
        raise LoadError(f"{name}: too many redirects (more than {MAX_REDIRECTS})") from None
    except httpx.ConnectError as error:
        with contextlib.suppress(RuntimeError):  # after a redirect another server may have failed
            host = error.request.url.host
        raise LoadError(f"{name}: {_connect_failure(error, host)}", transient=True) from None
    except httpx.RemoteProtocolError:
        raise LoadError(f"{name}: the server sent a broken response", transient=True) from None
    except httpx.TransportError as error:  # the connection failed midway: worth another try
        raise LoadError(f"{name}: could not fetch {what} ({_detail(error)})", transient=True) from None
    except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError, ValueError) as error:
        raise LoadError(f"{name}: could not fetch {what} ({_detail(error)})") from None
    finally:
        # What asyncio.run() does, except wait for a name lookup still running in its thread.
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


async def _exchange(url: str, name: str, auth: tuple[str, str] | None, *, timeout: float, max_bytes: int,
                    headers: dict[str, str] | None, page: bool) -> tuple[Fetched, Kind | None]:
    """What the server sent for ``url`` and, for a ``page``, its kind, refusing early what is no article."""
    import httpx

    async def check_redirect(response: httpx.Response) -> None:
        location = response.headers.get("location")  # (a 304 is a "redirect" without one)
        if response.is_redirect and location is not None and (problem := _redirect_problem(location)):
            raise LoadError(f"{name}: {problem}")

    async with httpx.AsyncClient(
        headers={**_HEADERS, **(headers or {})},
        timeout=httpx.Timeout(timeout),
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        event_hooks={"response": [check_redirect]},
    ) as client, client.stream("GET", url, auth=auth) as response:
        final = str(response.url)
        label = source_label(final)
        validators = {"etag": response.headers.get("etag"), "last_modified": response.headers.get("last-modified")}
        if response.status_code == 304 and headers:  # a conditional GET: the copy named is current
            return Fetched(redact_url(final), 304, b"", **validators), None
        _check_status(response, label)
        content_type = _mime_type(response)
        kind = _kind_from_type(content_type, label) if page else None
        _check_length(response, max_bytes, label)
        body = _Body(max_bytes, label)
        decoders = _decoders(response.headers.get("content-encoding", ""), label)
        try:
            async for chunk in response.aiter_raw():
                for piece in _decoded(decoders, chunk):
                    body.add(piece)
        except _Undecodable:
            raise LoadError(f"{label}: the server sent a compressed body that could not be decoded") from None
        return Fetched(redact_url(final), response.status_code, body.value(), content_type or None,
                       response.charset_encoding, **validators), kind


def _redirect_problem(location: str) -> str | None:
    """Why a redirect's target cannot be followed to a web page, in words; None when it can.

    Checked before httpx follows it: httpx would raise an internal message for
    ``javascript:`` and ``data:``, and send "http:///x" to port 80 of the same server.
    """
    import httpx

    scheme = re.match(r"([a-z][a-z0-9+.-]*):", location, re.I)
    if scheme and scheme.group(1).lower() not in ("http", "https"):
        return "redirected to an address that is not http(s)"
    try:
        target = httpx.URL(location)
    except httpx.InvalidURL:
        return "redirected to an address that is not valid"
    if target.scheme and not target.host:
        return "redirected to an address with no server name"
    problem = target.host and _host_problem(target.host)
    return f"redirected to an address that is not valid ({problem})" if problem else None


def _host_problem(host: str) -> str | None:
    """Why a name lookup would refuse ``host`` (which httpx gives in ASCII), in words; None when fine."""
    if ":" in host:  # an IPv6 address
        return None
    labels = host.removesuffix(".").split(".")
    if len(host) > 253 or any(len(label) > 63 for label in labels):
        return "the server name is too long"
    if not all(labels):
        return "the server name is not valid"
    return None


def _detail(error: Exception) -> str:
    """What an exception says, short enough for a message line."""
    return shorten(one_line(str(error)), 80) or type(error).__name__


# --- content codings -------------------------------------------------------
# httpx decodes a whole network read at once, and a few kilobytes of brotli can hold
# gigabytes, so the raw bytes are decoded here, a bounded piece at a time: the size
# cap then counts decoded bytes as they come.

_MAX_CODINGS = 3  # "Content-Encoding: gzip, br" is legal; a long stack of them is an attack


class _Undecodable(Exception):
    """The body is not what its Content-Encoding says."""


class _Inflate:
    """gzip (``wbits``), or deflate (``None``): zlib-wrapped as the standard says, or the bare
    stream some servers send, told apart by the two-byte zlib header."""

    def __init__(self, wbits: int | None) -> None:
        self._z = None if wbits is None else zlib.decompressobj(wbits)
        self._head = b""

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._z is None:
            self._head += data
            if len(self._head) < 2:
                return
            data, self._head = self._head, b""
            wrapped = (data[0] & 0x0F) == 8 and int.from_bytes(data[:2], "big") % 31 == 0
            self._z = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        z = self._z
        while not z.eof:
            try:
                out = z.decompress(data, _CHUNK)
            except zlib.error:
                raise _Undecodable from None
            data = z.unconsumed_tail
            if out:
                yield out
            if not data and len(out) < _CHUNK:  # all input used and nothing held back
                return


class _Brotli:
    def __init__(self) -> None:
        import brotli  # a dependency; output_buffer_limit needs brotli >= 1.2

        self._error = brotli.error
        self._b = brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        b = self._b
        try:
            out = b.process(data, output_buffer_limit=_CHUNK)
            while True:
                if out:
                    yield out
                if b.can_accept_more_data() or b.is_finished():
                    return
                out = b.process(b"", output_buffer_limit=_CHUNK)
        except self._error:
            raise _Undecodable from None


_DECODERS: dict[str, Callable[[], _Inflate | _Brotli]] = {
    "gzip": lambda: _Inflate(zlib.MAX_WBITS | 16),
    "x-gzip": lambda: _Inflate(zlib.MAX_WBITS | 16),
    "deflate": lambda: _Inflate(None),
    "br": _Brotli,
}


def _decoders(header: str, name: str) -> list[_Inflate | _Brotli]:
    """The decoders for a Content-Encoding, in the order to apply them. Names we do not know
    are passed over, as httpx does (misconfigured servers put "utf-8" or "none" there)."""
    codings = [c for c in (c.strip().lower() for c in header.split(",")) if c in _DECODERS]
    if len(codings) > _MAX_CODINGS:
        raise LoadError(f"{name}: the server compressed the page {len(codings)} times over (at most "
                        f"{_MAX_CODINGS} are read)")
    return [_DECODERS[c]() for c in reversed(codings)]


def _decoded(decoders: list[_Inflate | _Brotli], chunk: bytes) -> Iterator[bytes]:
    """``chunk`` through every decoder, lazily: each stage hands on pieces of at most about 64 kB."""
    pieces: Iterator[bytes] = iter((chunk,))
    for decoder in decoders:
        pieces = _through(decoder, pieces)
    return pieces


def _through(decoder: _Inflate | _Brotli, pieces: Iterator[bytes]) -> Iterator[bytes]:
    for piece in pieces:
        yield from decoder.feed(piece)


def _check_status(response: httpx.Response, name: str) -> None:
    status = response.status_code
    if status < 300:
        return
    reasons = {
        401: "needs a login",
        402: "needs a subscription",
        403: "access denied",
        404: "not found",
        410: "gone: the page was removed",
        429: "too many requests, try again later",
        451: "unavailable for legal reasons",
    }
    if status >= 500:
        reason = "the server failed"
    elif status >= 400:
        reason = reasons.get(status, "the server refused the request")
    else:  # a 3xx left over after following redirects has no usable Location
        reason = "a redirect without a target"
    raise LoadError(f"{name}: {reason} (HTTP {status})", transient=status >= 500 or status == 429)


def _mime_type(response: httpx.Response) -> str:
    header: str = response.headers.get("content-type", "")
    return header.split(";", 1)[0].strip().lower()


def _kind_from_type(content_type: str, name: str) -> Kind | None:
    """Refuse types that cannot be an article; ``None`` means "look at the bytes"."""
    if content_type in _HTML_TYPES:
        return "html"
    if content_type in _TEXT_TYPES or content_type in _UNKNOWN_TYPES:
        return None  # text/plain often carries HTML (raw file hosts): sniff it
    what = next((label for prefix, label in _TYPE_NAMES.items() if content_type.startswith(prefix)), None)
    if what is None:
        raise LoadError(f"{name} is {content_type}, not an article (expected an HTML or text page)")
    raise LoadError(f"{name} is {what} ({content_type}), not an article")


def _check_length(response: httpx.Response, max_bytes: int, name: str) -> None:
    """Refuse early when the server announces a body over the cap (compressed size, so a lower bound)."""
    try:
        length = int(response.headers.get("content-length", ""))
    except ValueError:
        return
    if length > max_bytes:
        raise LoadError(f"{name} is larger than {_size(max_bytes)}")


def _connect_failure(error: httpx.ConnectError, host: str) -> str:
    """Name the cause hidden in the exception chain: DNS, refusal or TLS."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, socket.gaierror):
            return f"could not find the server {one_line(host)} (name not found)"
        if isinstance(cause, ConnectionRefusedError):
            return "the connection was refused (is the server down?)"
        if isinstance(cause, ssl.SSLError):
            detail = getattr(cause, "verify_message", None) or cause.reason or str(cause)
            return f"the secure connection failed (TLS error: {one_line(detail)})"
        cause = cause.__cause__ or cause.__context__
    return f"could not connect ({one_line(str(error))})"


# --- bytes → Page ----------------------------------------------------------


def from_bytes(body: bytes, source: str, kind: Kind | None = None) -> Page:
    """A page from bytes already in hand (a saved or archived copy), checked and decoded
    as a file's would be."""
    return _page(source, body, source_label(source), kind=kind)


def _page(
    source: str,
    body: bytes,
    name: str,
    *,
    kind: Kind | None,
    charset: str | None = None,
    url: str | None = None,
    content_type: str | None = None,
) -> Page:
    """Check that ``body`` is text, decide its kind and decode it."""
    if not body:
        raise LoadError(f"{name} is empty")
    bom = _bom(body)
    if bom is None:
        _refuse_binary(body, name)
        bom = _utf16_without_bom(body)
        if bom is None and body.count(b"\x00") > _MAX_NUL_SHARE * len(body):
            raise LoadError(f"{name} is a binary file, not an article")
    kind = kind or _sniff_kind(body, bom)
    declared: list[str | None] = [charset]
    if kind == "html":
        declared.append(_declared_charset(body))
    text, encoding = _decode(body, bom, declared)
    if not text.strip():
        raise LoadError(f"{name} is empty")
    sample = text[:_CHUNK]
    if len(_NOISE.findall(sample)) > _MAX_NOISE * len(sample):
        raise LoadError(f"{name} does not look like text (too many control or undecodable bytes), not an article")
    return Page(source=source, text=text, kind=kind, url=url, content_type=content_type, encoding=encoding)


def _refuse_binary(body: bytes, name: str) -> None:
    for magic, what in _MAGIC:
        if body.startswith(magic):
            raise LoadError(f"{name} is {what}, not an article")


def _utf16_without_bom(body: bytes) -> tuple[bytes, str] | None:
    """(b"", codec) for UTF-16 text that has no BOM, or None.

    In text that is mostly Latin script most code units have a zero high byte, so NULs
    fall on every other byte: the odd ones little-endian, the even ones big-endian. The
    bytes must also decode; whether the result is text is checked after decoding.
    """
    sample = body[:_SNIFF_BYTES]
    units = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    for zeros, others, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if units and zeros >= units / 2 and others <= units / 20:
            try:
                codecs.getincrementaldecoder(codec)().decode(sample)  # a pair cut at the end may wait
            except UnicodeDecodeError:
                return None
            return b"", codec
    return None


def _bom(body: bytes) -> tuple[bytes, str] | None:
    return next(((mark, codec) for mark, codec in _BOMS if body.startswith(mark)), None)


def _sniff_kind(body: bytes, bom: tuple[bytes, str] | None) -> Kind:
    """Markup near the start makes HTML whatever the name says; anything else is text."""
    head = body[:_SNIFF_BYTES]
    if bom is not None:
        head = head[len(bom[0]) :].decode(bom[1], errors="ignore").encode("ascii", errors="ignore")
    return "html" if _MARKUP.search(head) else "text"


def _declared_charset(body: bytes) -> str | None:
    match = _DECLARED_CHARSET.search(body[:_DECLARATION_BYTES])
    if match is None:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii")
    # A byte-oriented page cannot really be UTF-16: the standard reads it as UTF-8.
    return "utf-8" if label.lower().startswith(("utf-16", "utf-32")) else label


def _decode(body: bytes, bom: tuple[bytes, str] | None, declared: list[str | None]) -> tuple[str, str]:
    """Bytes → (text, codec name), in the order that goes wrong least often.

    A BOM is certain. Bytes that are valid UTF-8 are UTF-8 whatever a header
    claims (pages often say ISO-8859-1 and send UTF-8; the reverse is almost
    impossible by chance). Then the first usable declaration, then detection.
    """
    if bom is not None:
        mark, codec = bom
        return body[len(mark) :].decode(codec, errors="replace"), codec
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    codec = next(filter(None, map(_codec, declared)), None) or _detect(body)
    return body.decode(codec, errors="replace"), codec


def _codec(label: str | None) -> str | None:
    """Python's codec for a charset label, reading Latin-1 and ASCII as Windows-1252 as browsers do."""
    if not label:
        return None
    try:
        codec = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return "cp1252" if codec in {"iso8859-1", "ascii", "latin-1"} else codec


def _detect(body: bytes) -> str:
    """Guess the legacy encoding of undeclared bytes.

    Short English text fits several single-byte code pages equally well; among
    the best guesses prefer Windows-1252, the web's legacy default, so that
    curly quotes and accents come out right.
    """
    matches = charset_normalizer.from_bytes(body)
    best = matches.best()
    if best is None:
        return "cp1252"
    for match in matches:
        if (
            "cp1252" in match.could_be_from_charset
            and match.chaos <= best.chaos
            and match.coherence >= best.coherence
        ):
            return "cp1252"
    return _codec(best.encoding) or "cp1252"


# --- cache -----------------------------------------------------------------


def _cache_path(cache_dir: Path, url: str) -> Path:
    return cache_dir / f"{hashlib.sha256(url.encode('utf-8')).hexdigest()}.json"


def _cache_age(cache_dir: Path, url: str) -> float:
    """Seconds since ``url`` was stored (infinite when unknown)."""
    try:
        return time.time() - _cache_path(cache_dir, url).stat().st_mtime
    except OSError:
        return float("inf")


def _cache_get(cache_dir: Path, url: str) -> Page | None:
    """The stored page for ``url``, or ``None`` when absent or unreadable (then we fetch again)."""
    try:
        data = json.loads(_cache_path(cache_dir, url).read_text(encoding="utf-8"))
        page = Page(**data)
    except (OSError, ValueError, TypeError):
        return None
    if page.source != url or not isinstance(page.text, str) or page.kind not in ("html", "text"):
        return None
    return page


def _cache_put(cache_dir: Path, page: Page) -> None:
    """Store ``page`` atomically; a cache that cannot be written must not fail the load."""
    with contextlib.suppress(OSError):
        cache_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(_cache_path(cache_dir, page.source), json.dumps(asdict(page), ensure_ascii=False), overwrite=True)
    _prune(cache_dir)


def _prune(cache_dir: Path) -> None:
    """Delete entries not refreshed for 30 days, once per process: one scan of the folder
    keeps the cache from growing forever without a separate clean-up command."""
    if cache_dir in _pruned:
        return
    _pruned.add(cache_dir)
    cutoff = time.time() - CACHE_KEEP_SECONDS
    with contextlib.suppress(OSError):
        for entry in os.scandir(cache_dir):
            with contextlib.suppress(OSError):
                if entry.name.endswith(".json") and entry.stat().st_mtime < cutoff:
                    os.unlink(entry.path)


# --- messages --------------------------------------------------------------


def _size(n: int) -> str:
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= factor:
            return f"{n / factor:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"
