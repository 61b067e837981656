"""Getting a feed's bytes: from the web through newsreader's loader (its timeouts, size
cap and one-line errors, plus a conditional GET), or from a local file."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from newsreader.errors import LoadError
from newsreader.load import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, fetch_raw
from newsreader.safety import one_line

# Feeds first, then the web page a feed may be discovered from.
ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, "
          "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, text/html;q=0.7, */*;q=0.5")


@dataclass(frozen=True)
class Raw:
    """A feed document as fetched; ``body`` is None when the server said "not modified"."""

    url: str
    body: bytes | None
    content_type: str | None = None
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None


def is_web(address: str) -> bool:
    return re.match(r"https?://", address, re.I) is not None


def normalise(address: str) -> str:
    """The address a feed is stored under: web addresses as given (stripped), files as
    absolute ``file://`` URLs, so that one file is one feed wherever it was opened from."""
    address = address.strip()
    if is_web(address):
        return address
    return path_of(address).resolve().as_uri()


def path_of(address: str) -> Path:
    if address.lower().startswith("file://"):
        parts = urlsplit(address)
        if parts.netloc not in ("", "localhost"):
            raise LoadError(f"{one_line(address)}: only local files can be read (file:///path)")
        return Path(unquote(parts.path))
    if re.match(r"[a-z][a-z0-9+.-]*://", address, re.I):
        raise LoadError(f"{one_line(address)}: unsupported address (use http://, https://, file:// or a path)")
    return Path(address).expanduser()


def fetch(address: str, *, etag: str | None = None, last_modified: str | None = None,
          timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES) -> Raw:
    """The bytes at ``address`` (http(s), ``file://`` or a path). With a validator from the
    last fetch, the server may answer 304 ("not modified"): then ``body`` is None."""
    if not is_web(address):
        return Raw(normalise(address), _read_file(path_of(address), max_bytes))
    headers = {"Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    got = fetch_raw(address, timeout=timeout, max_bytes=max_bytes, headers=headers)
    if got.status == 304:
        return Raw(got.url, None, etag=got.etag or etag, last_modified=got.last_modified or last_modified)
    if not got.body.strip():
        raise LoadError(f"{one_line(got.url)} is empty")
    return Raw(got.url, got.body, got.content_type, got.charset, got.etag, got.last_modified)


def _read_file(path: Path, max_bytes: int) -> bytes:
    name = one_line(str(path))
    try:
        if path.is_dir():
            raise LoadError(f"{name} is a directory, not a feed")
        with path.open("rb") as stream:
            body = stream.read(max_bytes + 1)
    except FileNotFoundError:
        raise LoadError(f"{name}: no such file") from None
    except PermissionError:
        raise LoadError(f"{name}: permission denied") from None
    except OSError as error:
        raise LoadError(f"{name}: could not read the file ({error.strerror or error})") from None
    if len(body) > max_bytes:
        raise LoadError(f"{name} is larger than {max_bytes // (1024 * 1024)} MB")
    if not body.strip():
        raise LoadError(f"{name} is empty")
    return body
