"""From a feed item to the article behind it: the page at its link, or the full text the
feed already carries (a long ``content:encoded``), as the feed's ``full_text`` setting says.

``auto``: the feed's text when it is long enough to be the article, else the link.
``always``: always fetch the link (the feed's text only for an item without one).
``never``: never fetch; read what the feed carries.
"""
from __future__ import annotations

from html import escape

from newsreader.feeds.model import FeedError, FullText, Item
from newsreader.feeds.parse import html_to_text
from newsreader.model import Page
from newsreader.safety import one_line

# A text this long is an article rather than a teaser (news summaries run to a few dozen words).
FULL_TEXT_MIN_WORDS = 150


def carries_full_text(item: Item) -> bool:
    """Whether the feed's own text for ``item`` is long enough to be the whole article."""
    return bool(item.content) and len(html_to_text(item.content or "").split()) >= FULL_TEXT_MIN_WORDS


def source_for(item: Item, mode: FullText = "auto", feed_url: str | None = None) -> str | Page:
    """What to read for ``item``: its link (to load like any page), or a Page made of the
    text the feed carries (no fetching). :class:`FeedError` when there is neither."""
    text = item.content or item.summary
    if item.link and (mode == "always" or (mode == "auto" and not carries_full_text(item)) or not text):
        return item.link
    if text:
        return feed_page(item, feed_url)
    raise FeedError(f"{one_line(item.title) or 'this item'}: the feed gives no link and no text")


def feed_page(item: Item, feed_url: str | None = None) -> Page:
    """The feed's text for ``item`` as an HTML page, with its title, site, author and date
    as a web page would carry them, so the ordinary cleaner reads it."""
    body = item.content or "".join(f"<p>{escape(p)}</p>" for p in item.summary.split("\n\n"))
    meta = {"og:title": item.title, "og:site_name": item.feed_title, "author": item.author,
            "article:published_time": item.published}
    tags = "".join(f'<meta {"name" if key == "author" else "property"}="{key}" content="{escape(value)}">'
                   for key, value in meta.items() if value)
    title = escape(item.title or "")
    html = (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title>{tags}</head>"
            f"<body><article><h1>{title}</h1>{body}</article></body></html>")
    source = item.link or f"{feed_url or 'feed'}#{item.key}"
    return Page(source=source, text=html, kind="html", url=item.link, content_type="text/html")
