"""The name of the site a page comes from, as its publisher writes it.

In order: what the page declares (``og:site_name``, then the publisher of its
JSON-LD), then a part of its ``<title>`` that spells the domain's name ("… - The
New York Times" on nytimes.com), and else the host as an address bar shows it
("hosted.ap.org", "nytimes.com"). Never a name the page does not write (no
"Timesofisrael" made up from a handle or a host name), never a sub-domain's label
("Hosted" on hosted.ap.org), never a byline, a handle or an address.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from newsreader.safety import one_line

MAX_NAME = 80  # characters; a longer "site name" is a sentence
_MAX_JSON = 200_000  # characters of one JSON-LD block worth reading
_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—:·•»]+\s+")
_WORD = re.compile(r"[^\W_]+")


def site_name(tree: etree._Element, url: str | None, *, title: str | None = None,
              byline: str | None = None) -> str | None:
    """The site's name for the page ``tree`` found at ``url`` (its canonical address, if known)."""
    domain = registered_domain(url)
    host = (urlsplit(url or "").hostname or "").lower().removeprefix("www.") if domain else ""
    subdomains = set(host.removesuffix(domain).split(".")) - {""}

    def plausible(name: str) -> bool:
        return bool(name) and _is_a_name(name, subdomains) and not _same_words(name, title) and not (
            byline and any(_same_words(name, part) for part in (byline, *byline.split(","))))

    for declared in (*_meta(tree, "og:site_name"), *_publishers(tree)):
        if plausible(declared):
            return declared
    labels = {domain.split(".")[0], host.split(".")[0]} - {""}
    for part in reversed(_title_parts(tree)):
        if plausible(part) and any(spells(part, label) for label in labels):
            return part
    return host or None


def registered_domain(url: str | None) -> str:
    """The domain a publisher registers ("hosted.ap.org" → "ap.org", "www.bbc.co.uk" → "bbc.co.uk")."""
    if not url or not re.match(r"https?://", url, re.I):
        return ""
    from courlan import extract_domain  # trafilatura's URL library, with the public suffix list

    return (extract_domain(url) or "").lower()


def spells(name: str, label: str) -> bool:
    """Whether ``name`` spells the domain name ``label`` word by word, each word whole, by its
    initial or left out: "The New York Times" spells "nytimes", "Times of Israel"
    "timesofisrael", "Los Angeles Times" "latimes". Digits and hyphens in ``label`` do not count."""
    target = re.sub(r"[^a-z]", "", label.lower())
    reached = {0}  # how much of target the words so far can spell
    for word in (w.casefold() for w in _WORD.findall(name)):
        reached |= {p + len(word) for p in reached if target.startswith(word, p)} | {
            p + 1 for p in reached if target[p:p + 1] == word[0]}
    return bool(target) and len(target) in reached


def _is_a_name(name: str, subdomains: set[str]) -> bool:
    """Not an address, a handle, a slug ("twincities") or a sub-domain ("Hosted")."""
    if len(name) > MAX_NAME or "://" in name or name.lower().startswith("www.") or name.startswith("@"):
        return False
    if " " not in name and name == name.lower() and "." not in name:
        return False
    return name.casefold() not in subdomains


def _same_words(a: str | None, b: str | None) -> bool:
    def words(text: str | None) -> list[str]:
        return [w.casefold() for w in _WORD.findall(text or "")]

    return bool(words(a)) and words(a) == words(b)


def _name(text: str | None) -> str:
    """One line, without the separators a template leaves around a name ("| Site")."""
    return one_line(text).strip(" |-–—:·•»«")


def _meta(tree: etree._Element, prop: str) -> Iterator[str]:
    for element in tree.iterfind(".//meta[@property]"):
        if element.get("property", "").strip().lower() == prop:
            yield _name(element.get("content"))


def _title_parts(tree: etree._Element) -> list[str]:
    """The parts of the page's ``<title>`` after its first separator ("Headline | Site")."""
    element = tree.find(".//head/title")
    if element is None:
        element = tree.find(".//title")
    text = one_line(element.text if element is not None else "", 500)
    return [_name(part) for part in _TITLE_SEPARATOR.split(text)[1:]]


def _publishers(tree: etree._Element) -> Iterator[str]:
    """The publishers' names in the page's JSON-LD, in the order given."""
    for script in tree.iterfind(".//script[@type]"):
        if script.get("type", "").strip().lower() != "application/ld+json" or not script.text:
            continue
        if len(script.text) > _MAX_JSON:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        for publisher in _find(data, "publisher", depth=0):
            name = publisher.get("name") if isinstance(publisher, dict) else publisher
            if isinstance(name, str):
                yield _name(name)


def _find(data: Any, key: str, depth: int) -> Iterator[Any]:
    """Every value of ``key`` in nested JSON, not deeper than a page's JSON-LD goes."""
    if depth > 8:
        return
    if isinstance(data, dict):
        if key in data:
            value = data[key]
            yield from value if isinstance(value, list) else [value]
        for value in data.values():
            if isinstance(value, (dict, list)):
                yield from _find(value, key, depth + 1)
    elif isinstance(data, list):
        for item in data:
            yield from _find(item, key, depth + 1)
