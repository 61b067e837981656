"""Feed bytes → :class:`ParsedFeed`: RSS 0.9x/1.0 (RDF)/2.0 and Atom through feedparser,
JSON Feed through ``json``, and the feeds a web page links to.

Nothing here fetches: feedparser is handed a stream of bytes that newsreader's own
loader read (a string would be taken for an address or a file name), and its result is
turned into plain, safe text. A malformed feed is read as far as it goes, with one line
saying so; what holds no feed at all raises :class:`FeedError`.
"""
from __future__ import annotations

import codecs
import hashlib
import io
import json
import re
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urljoin, urlsplit

from newsreader.feeds.model import FeedError, Item, ParsedFeed
from newsreader.safety import one_line, strip_control

MAX_ITEMS = 1000  # a feed's first items kept from one document; the rest are dropped
MAX_TITLE = 500  # characters of a title kept
MAX_SUMMARY = 2000  # characters of the plain-text summary kept (for the preview)
MAX_CONTENT = 1_000_000  # characters of an item's HTML kept (the full text, when it is there)
_SNIFF = 2048
_FEED_MARK = re.compile(rb"<(?:rss|feed|rdf:RDF|RDF|channel)[\s>]")
_HTML_MARK = re.compile(rb"<(?:!doctype\s+html|html|head|body)[\s>]", re.I)
_JSON_TYPES = ("application/feed+json", "application/json")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
# Elements after which text starts a new line when HTML becomes plain text.
_BLOCKS = frozenset({"p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
                     "blockquote", "pre", "tr", "table", "section", "article", "header", "footer", "figure",
                     "figcaption", "hr", "aside", "main", "nav"})


class NotAFeed(FeedError):
    """A web page rather than a feed: ``links`` are the feeds it names (maybe none)."""

    def __init__(self, message: str, links: list[str]) -> None:
        super().__init__(message)
        self.links = links


def parse(body: bytes, url: str, *, content_type: str | None = None, charset: str | None = None) -> ParsedFeed:
    """Read a feed document fetched from ``url`` (which relative links are resolved against)."""
    name = one_line(url)
    head = _head(body)
    if not head.strip():
        raise FeedError(f"{name} is empty")
    kind = (content_type or "").lower()
    if head.lstrip().startswith(b"{") or (kind in _JSON_TYPES and not head.lstrip().startswith(b"<")):
        return parse_json_feed(body, url, charset=charset)
    if not _FEED_MARK.search(head) and (_HTML_MARK.search(head) or kind in _HTML_TYPES):
        links = discover(_as_text(body, charset), url)
        if links:
            raise NotAFeed(f"{name} is a web page; its feed is {one_line(links[0])}", links)
        raise NotAFeed(f"{name} is a web page, not a feed, and it names no feed "
                       "(no <link rel=\"alternate\"> to RSS, Atom or JSON Feed)", [])
    return _parse_xml(body, url, content_type, charset)


def discover(html: str, url: str) -> list[str]:
    """The feeds a web page names, in its order, as absolute addresses: ``<link rel="alternate">``
    to RSS, Atom or JSON Feed first, then links that look like feeds (comment feeds left out)."""
    from trafilatura.feeds import FeedParameters, determine_feed

    host = urlsplit(url).hostname or ""
    try:  # the page's own address as the base: its links may be relative to its folder
        found = determine_feed(html, FeedParameters(url, host, url))
    except (ValueError, TypeError):  # a page lxml cannot read at all
        return []
    return [urljoin(url, link) for link in found if urlsplit(urljoin(url, link)).scheme in ("http", "https")]


# -- RSS, RDF and Atom ------------------------------------------------------------


def _parse_xml(body: bytes, url: str, content_type: str | None, charset: str | None) -> ParsedFeed:
    import feedparser

    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type + (f"; charset={charset}" if charset else "")
    # A stream, never a string: feedparser would open a string that looks like an address or a path.
    result = feedparser.parse(io.BytesIO(body), response_headers=headers, sanitize_html=True,
                              resolve_relative_uris=True)
    name = one_line(url)
    entries = result.get("entries") or []
    problem = None
    if result.get("bozo"):
        reason = one_line(str(result.get("bozo_exception") or "not well-formed"), 200)
        if not result.get("version") and not entries:
            raise FeedError(f"{name} is not a feed newsreader can read ({reason})")
        if _broken(result.get("bozo_exception")):
            problem = f"{name} is not well-formed ({reason}): read as far as it goes"
    elif not result.get("version") and not entries:
        raise FeedError(f"{name} is not a feed (neither RSS, Atom nor JSON Feed)")
    feed = result.get("feed") or {}
    base = url
    items = _unique(_entry(e, base) for e in entries[:MAX_ITEMS])
    return ParsedFeed(url=url, title=_plain(feed.get("title_detail"), feed.get("title")),
                      site=_web_link(feed.get("link"), base), items=tuple(items), problem=problem)


def _broken(exc: object) -> bool:
    """Whether feedparser's complaint means text was lost (an XML error), rather than a
    harmless one (a declared encoding that did not match, a wrong content type)."""
    import feedparser

    harmless = tuple(getattr(feedparser, n) for n in ("CharacterEncodingOverride", "NonXMLContentType")
                     if hasattr(feedparser, n))
    return not (harmless and isinstance(exc, harmless))


def _entry(e: Any, base: str) -> Item:
    link = _web_link(e.get("link"), base)
    contents = [c for c in e.get("content") or [] if isinstance(c, dict) and c.get("value")]
    summary_html = e.get("summary") or ""
    content = max((c["value"] for c in contents), key=len, default=None) or summary_html or None
    summary = html_to_text(summary_html) if summary_html else html_to_text(content or "")
    return Item(
        key=_key(e.get("id"), link, e.get("title"), summary),
        title=_plain(e.get("title_detail"), e.get("title")),
        link=link,
        summary=summary[:MAX_SUMMARY],
        content=content[:MAX_CONTENT] if content else None,
        author=one_line(e.get("author"), MAX_TITLE) or None,
        published=_date(e.get("published_parsed") or dict.get(e, "updated_parsed")),  # no fallback warning
    )


def _plain(detail: Any, value: Any) -> str | None:
    """A title as one line of plain text: HTML titles lose their tags, entities are decoded."""
    if not isinstance(value, str):
        return None
    kind = detail.get("type", "") if isinstance(detail, dict) else ""
    text = html_to_text(value) if "html" in kind else value
    return one_line(text, MAX_TITLE) or None


def _date(parsed: Any) -> str | None:
    """feedparser's UTC time tuple as ISO 8601; None when missing or out of any sane range."""
    try:
        year, month, day, hour, minute, second = parsed[:6]
        moment = datetime(year, month, day, hour, minute, second, tzinfo=timezone.utc)
    except (TypeError, ValueError, OverflowError):
        return None
    return moment.isoformat() if 1970 <= moment.year <= 2200 else None


# -- JSON Feed ----------------------------------------------------------------------


def parse_json_feed(body: bytes, url: str, *, charset: str | None = None) -> ParsedFeed:
    """JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1): plain JSON, mapped by hand."""
    name = one_line(url)
    try:
        data = json.loads(_as_text(body, charset or "utf-8"))
    except (ValueError, RecursionError) as error:
        reason = one_line(str(error), 120)
        raise FeedError(f"{name} is not a feed newsreader can read (broken JSON: {reason})") from None
    version = data.get("version") if isinstance(data, dict) else None
    if not (isinstance(version, str) and version.startswith("https://jsonfeed.org/version/")):
        raise FeedError(f"{name} is JSON but not a JSON Feed (no jsonfeed.org version)")
    raw_items = data.get("items")
    problem = None
    if not isinstance(raw_items, list):
        raw_items, problem = [], f"{name} has no list of items"
    items = _unique(_json_item(i, url) for i in raw_items[:MAX_ITEMS] if isinstance(i, dict))
    return ParsedFeed(url=url, title=_json_text(data.get("title")),
                      site=_web_link(data.get("home_page_url"), url), items=tuple(items), problem=problem)


def _json_item(i: dict[str, Any], base: str) -> Item:
    link = _web_link(i.get("url"), base) or _web_link(i.get("external_url"), base)
    html = i.get("content_html") if isinstance(i.get("content_html"), str) else None
    text = i.get("content_text") if isinstance(i.get("content_text"), str) else None
    content = html or (_text_to_html(text) if text else None)
    given = i.get("summary") if isinstance(i.get("summary"), str) else None
    summary = one_line(given) if given else html_to_text(content or "")
    authors: list[Any] = i["authors"] if isinstance(i.get("authors"), list) else [i.get("author")]
    names: list[str] = [a["name"] for a in authors if isinstance(a, dict) and isinstance(a.get("name"), str)]
    ident = i.get("id")
    return Item(
        key=_key(str(ident) if isinstance(ident, (str, int)) and not isinstance(ident, bool) else None,
                 link, i.get("title"), summary),
        title=_json_text(i.get("title")),
        link=link,
        summary=summary[:MAX_SUMMARY],
        content=content[:MAX_CONTENT] if content else None,
        author=one_line(", ".join(names), MAX_TITLE) or None,
        published=_iso(i.get("date_published")) or _iso(i.get("date_modified")),
    )


def _json_text(value: Any) -> str | None:
    return one_line(value, MAX_TITLE) or None if isinstance(value, str) else None


def _iso(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return _date(moment.astimezone(timezone.utc).timetuple())


def _text_to_html(text: str) -> str:
    from html import escape

    return "".join(f"<p>{escape(p.strip())}</p>" for p in strip_control(text).split("\n\n") if p.strip())


# -- shared -------------------------------------------------------------------------


def html_to_text(html: str) -> str:
    """HTML (a summary, a title) as plain text: tags gone, entities decoded, a blank line
    between blocks, no control characters. Text without tags comes back cleaned only."""
    html = strip_control(html)
    if "<" not in html and "&" not in html:
        return _paragraphs(html)
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return _paragraphs(html)
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in ("script", "style"):
            element.drop_tree()
        elif isinstance(element.tag, str) and element.tag.lower() in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
    return _paragraphs(root.text_content())


def _paragraphs(text: str) -> str:
    lines = (" ".join(line.split()) for line in strip_control(text).split("\n"))
    return "\n\n".join(line for line in lines if line)


def _web_link(value: Any, base: str) -> str | None:
    """An absolute http(s) address, or None (``javascript:``, ``mailto:``, nothing)."""
    if not isinstance(value, str) or not value.strip():
        return None
    link = urljoin(base, strip_control(value).strip())
    parts = urlsplit(link)
    return link if parts.scheme in ("http", "https") and parts.hostname else None


def _key(ident: str | None, link: str | None, title: Any, summary: str) -> str:
    """An item's identity: its guid, else its link, else a hash of what it says."""
    if isinstance(ident, str) and ident.strip():
        return ident.strip()[:2000]
    if link:
        return link[:2000]
    digest = hashlib.sha256(f"{title}\n{summary}".encode("utf-8", "replace")).hexdigest()[:32]
    return f"sha256:{digest}"


def _unique(items: Iterable[Item]) -> list[Item]:
    """Items in feed order; a repeated key (a duplicate guid) keeps its first item."""
    seen: dict[str, Item] = {}
    for item in items:
        seen.setdefault(item.key, item)
    return list(seen.values())


def _head(body: bytes) -> bytes:
    """The first bytes as ASCII-compatible text for sniffing (a UTF-16/32 BOM is decoded)."""
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                       (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if body.startswith(bom):
            return body[len(bom):_SNIFF * 4].decode(codec, "ignore")[:_SNIFF].encode("utf-8", "ignore")
    return body[:_SNIFF]


def _as_text(body: bytes, charset: str | None) -> str:
    for codec in (charset, "utf-8"):
        if codec:
            try:
                return body.decode(codec)
            except (LookupError, UnicodeDecodeError):
                continue
    return body.decode("cp1252", "replace")
