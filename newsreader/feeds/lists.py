"""Subscription lists in and out: OPML (read with listparser, written with the standard
library's XML writer) and newsboat's ``urls`` file."""
from __future__ import annotations

import re
import shlex
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import format_datetime
from urllib.parse import urlsplit

from newsreader.errors import LoadError
from newsreader.feeds.model import Feed
from newsreader.safety import one_line

MAX_LIST_BYTES = 5 * 1024 * 1024
MAX_SUBSCRIPTIONS = 10_000
# newsboat's urls lines that are not feeds: query feeds, and feeds made by a program.
_NOT_FEEDS = ("query:", "exec:", "filter:")


@dataclass(frozen=True)
class Subscription:
    """One feed a list names: its address, title (if the list gives one) and tags."""

    url: str
    title: str | None = None
    tags: tuple[str, ...] = ()


@dataclass
class ListRead:
    """What a list held: the feeds, and one line for each entry that was skipped."""

    subscriptions: list[Subscription] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    kind: str = "OPML"


def read_list(body: bytes, name: str) -> ListRead:
    """OPML when the bytes are an OPML document, else newsboat's ``urls`` format."""
    head = body[:4096].lstrip().lower()
    if b"<opml" in head or (head.startswith(b"<?xml") and b"<opml" in body[:65536].lower()):
        return read_opml(body, name)
    if head.startswith(b"<"):
        raise LoadError(f"{one_line(name)} is XML but not an OPML subscription list")
    return read_urls(body.decode("utf-8", "replace"), name)


def read_opml(body: bytes, name: str) -> ListRead:
    import listparser

    result = listparser.parse(body)  # bytes: listparser would fetch a string that looks like an address
    out = ListRead(kind="OPML")
    if result.get("bozo") and not result.get("feeds"):
        reason = one_line(str(result.get("bozo_exception") or "not well-formed"), 200)
        raise LoadError(f"{one_line(name)} is not an OPML list newsreader can read ({reason})")
    for entry in result.get("feeds", [])[:MAX_SUBSCRIPTIONS]:
        url = (entry.get("url") or "").strip()
        if not _web(url):
            out.skipped.append(f"{one_line(url, 200) or '(no address)'}: not a web address")
            continue
        tags = [*entry.get("tags", []), *("/".join(c) for c in entry.get("categories", []) if c)]
        out.subscriptions.append(Subscription(url, one_line(entry.get("title"), 500) or None, _clean_tags(tags)))
    return out


def read_urls(text: str, name: str) -> ListRead:
    """newsboat's ``urls`` file: one feed a line, ``URL tag "tag with spaces" "~Title"``.

    ``#`` starts a comment line; ``query:``, ``exec:`` and ``filter:`` feeds are skipped
    (there is no document to fetch); a tag starting with ``~`` is the feed's own title and
    a tag ``!`` hides the feed in newsboat (kept as a subscription here).
    """
    out = ListRead(kind="newsboat urls")
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            words = shlex.split(line, comments=False, posix=True)
        except ValueError:
            out.skipped.append(f"line {number}: an unclosed quote")
            continue
        if not words:
            continue
        url, *rest = words
        if url.lower().startswith(_NOT_FEEDS):
            out.skipped.append(f"line {number}: {url.split(':', 1)[0]}: feeds are newsboat's own")
            continue
        if not _web(url):
            out.skipped.append(f"line {number}: {one_line(url, 200)}: not a web address")
            continue
        title, tags = None, []
        for word in rest:
            if word.startswith("#"):
                break  # a comment after the tags
            if word.startswith("~"):
                title = one_line(word[1:], 500) or None
            elif word != "!":
                tags.append(word)
        out.subscriptions.append(Subscription(url, title, _clean_tags(tags)))
        if len(out.subscriptions) >= MAX_SUBSCRIPTIONS:
            break
    return out


def write_opml(feeds: Iterable[Feed], *, title: str = "newsreader subscriptions") -> str:
    """OPML 2.0 of ``feeds``, tags in ``category``. Every value passes the XML writer's
    escaping, and control characters (not allowed in XML) are dropped first."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(datetime.now(timezone.utc))
    body = ET.SubElement(root, "body")
    for feed in feeds:
        name = one_line(feed.title or feed.url)
        attrs = {"type": "rss", "text": name, "title": name, "xmlUrl": one_line(feed.url)}
        if feed.site:
            attrs["htmlUrl"] = one_line(feed.site)
        if feed.tags:
            attrs["category"] = ",".join(one_line(t).replace(",", " ") for t in feed.tags)
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _web(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t for t in (one_line(re.sub(r"\s+", " ", tag), 100) for tag in tags) if t))
