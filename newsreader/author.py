"""The page's author, found as trafilatura's author search finds it, in one pass over the page.

trafilatura (``trafilatura.metadata.extract_author``) copies the page, prunes comments,
sidebars, dates and figures from the copy, then tries three lists of elements whose class,
id or rel name an author, most specific first. Its tests are EXSLT regular expressions,
which lxml runs in Python on every element of the page, in four passes: on a long page
that search costs as much as a third of the extraction itself.

Here the same tests are plain XPath string functions (the regular expressions are
alternations of fixed strings), all three lists are gathered in one pass, and the pruned
parts are checked on the few candidates only. The expressions below are trafilatura's
(Apache-2.0), rewritten in that form; ``tests/test_author.py`` holds them to its answers.
"""
from __future__ import annotations

from copy import deepcopy

from lxml import etree
from trafilatura.json_metadata import normalize_authors
from trafilatura.utils import trim
from trafilatura.xml import delete_element

_REGEXP = {"re": "http://exslt.org/regular-expressions"}


def _any(attribute: str, *needles: str) -> str:
    return "(" + " or ".join(f"contains({attribute}, '{n}')" for n in needles) + ")"


# trafilatura's AUTHOR_XPATHS, most specific first.
_SPECIFIC = (
    "(self::a or self::address or self::div or self::link or self::p or self::span or self::strong) and "
    "(@rel='author' or @id='author' or @class='author' or @itemprop='author name' or rel='me' or "
    "@data-testid='AuthorCard' or @data-testid='AuthorURL' or "
    + _any("@class", "author-name", "authorname", "AuthorName", "authorName")
    + ") or self::author"
)
_GENERIC = (
    "(self::a or self::div or self::h3 or self::h4 or self::p or self::span) and "
    "(@class='byline' or @class='username' or @class='byl' or @class='BBL' or contains(@itemprop, 'author') or "
    + _any("@id", "author", "zuozhe", "bianji", "xiaobian")
    + " or "
    + _any("@class", "author", "channel-name", "zuozhe", "bianji", "xiaobian", "submitted-by", "posted-by",
           "journalist-name")
    + ")"
)
_LAST_RESORT = (
    "contains(@data-component, 'Byline') or contains(@itemprop, 'author') or "
    + _any("@id", "Author", "author")
    + " or "
    + _any("@class", "Author", "author", "screenname", "writer", "Byline", "byline")
)

# Every element any of the three could accept, found by its attributes alone: a walk over
# the page's attributes is far cheaper than a test of each element.  A superset: each
# candidate is then held to the lists' own tests.
def _attribute(name: str, *needles: str) -> str:
    return f"//@{name}[" + " or ".join(f"contains(., '{n}')" for n in needles) + "]/.."


_CANDIDATES = etree.XPath("|".join((
    # "bian" holds bianji and xiaobian, "ed-by" submitted-by and posted-by, "name" the user,
    # screen, channel and journalist names.
    _attribute("class", "uthor", "byl", "Byl", "BBL", "name", "writer", "zuozhe", "bian", "ed-by"),
    _attribute("id", "uthor", "zuozhe", "bian"),
    _attribute("itemprop", "author"),
    _attribute("data-component", "Byline"),
    "//@rel[.='author']/..",
    "//@data-testid[.='AuthorCard' or .='AuthorURL']/..",
    "//author",
    "//rel[.='me']/..",
)))
_TIERS = tuple(etree.XPath(f"boolean(self::*[{tier}])") for tier in (_SPECIFIC, _GENERIC, _LAST_RESORT))

# trafilatura's AUTHOR_DISCARD_XPATHS: what its copy of the page loses before the search.
_DISCARDED = (
    "(self::a or self::div or self::section or self::span) and ("
    "@id='comments' or @class='comments' or @class='title' or @class='date' or "
    "re:test(@id, '^comments|comment-?list|ProductReviews') or "
    "re:test(@class, '^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram|"
    "article-(?:share|support)|print|category|meta-date|meta-reviewer') or "
    "contains(@data-component, 'Figure')) or self::time or self::figure"
)
_INSIDE_DISCARDED = etree.XPath(f"boolean(ancestor-or-self::*[{_DISCARDED}])", namespaces=_REGEXP)
_DISCARDED_WITHIN = etree.XPath(f"descendant::*[{_DISCARDED}]", namespaces=_REGEXP)

_MAX_LENGTH = 120


def find_author(tree: etree._Element) -> str | None:
    """The author named by the page's markup (its byline element), or None."""
    candidates = _CANDIDATES(tree)
    if not candidates:
        return None
    for tier in _TIERS:
        for element in candidates:
            if not tier(element) or _INSIDE_DISCARDED(element):
                continue
            content = trim(_text_outside(element))
            if content and 2 < len(content) < _MAX_LENGTH:
                return normalize_authors(None, content)
    return None


def _text_outside(element: etree._Element) -> str:
    """The element's text as trafilatura's pruned copy has it: the discarded parts go, their tails stay."""
    inner = _DISCARDED_WITHIN(element)
    if inner:
        element = deepcopy(element)  # a byline's few elements, not the page
        for part in _DISCARDED_WITHIN(element):
            delete_element(part)
    return " ".join(element.itertext())
