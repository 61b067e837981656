"""The one-pass author search gives trafilatura's own answer, on pages built to tell them apart."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html
from trafilatura.metadata import extract_author

from newsreader.author import find_author


def _tree(body: str) -> html.HtmlElement:
    return html.fromstring(f"<html><head><title>t</title></head><body>{body}</body></html>")


@pytest.mark.parametrize(("body", "expected"), [
    ('<p class="byline">By Jane Doe</p>', "Jane Doe"),
    ('<span itemprop="author name">Jane Doe</span>', "Jane Doe"),
    ('<a rel="author" href="/jd">Jane Doe</a>', "Jane Doe"),
    ('<div class="post-authorName">Jane Doe</div>', "Jane Doe"),
    ('<author>Jane Doe</author>', "Jane Doe"),
    ('<section class="writer-box">Jane Doe</section>', "Jane Doe"),
    # the specific list wins over an earlier generic match
    ('<div class="byline">Sam Roe</div><span rel="author" id="author">Jane Doe</span>', "Jane Doe"),
    # inside the comments: not the article's author
    ('<div id="comments"><span class="author">Rude Commenter</span></div>', None),
    # a date inside the byline goes, its tail stays
    ('<p class="byline">By Jane Doe <time>May 4</time> and Sam Roe</p>', "Jane Doe; Sam Roe"),
    ('<p>No byline here.</p>', None),
])
def test_known_bylines(body: str, expected: str | None) -> None:
    tree = _tree(body)
    assert find_author(tree) == expected
    assert extract_author(tree) == expected


_CLASSES = ["byline", "author", "Author-name", "authorName", "comments", "sidebar", "quote", "date", "title",
            "writer", "byl", "posted-by", "meta-date", "print", "story", ""]
_TAGS = ["div", "span", "p", "a", "section", "h3", "time", "figure", "strong", "address"]
_WORDS = ["Jane", "Doe", "By", "Sam", "Roe", "and", "2024", "Staff", ""]


@st.composite
def _markup(draw: st.DrawFn, depth: int = 0) -> str:
    tag = draw(st.sampled_from(_TAGS))
    attribute = draw(st.sampled_from(["class", "id", "itemprop", "rel", "data-component"]))
    value = draw(st.sampled_from(_CLASSES))
    text = " ".join(draw(st.lists(st.sampled_from(_WORDS), max_size=3)))
    children = draw(st.lists(_markup(depth + 1), max_size=3)) if depth < 3 else []
    tail = draw(st.sampled_from(_WORDS))
    return f'<{tag} {attribute}="{value}">{text}{"".join(children)}</{tag}>{tail}'


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_markup(), min_size=1, max_size=4))
def test_same_author_as_trafilatura(parts: list[str]) -> None:
    tree = _tree("".join(parts))
    assert find_author(tree) == extract_author(tree)
