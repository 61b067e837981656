"""The site a page comes from: declared names first, then a title part that spells the
domain, then the host; never a sub-domain's label, a handle, a slug or a byline."""
from __future__ import annotations

from pathlib import Path

import pytest

from newsreader.clean import clean
from newsreader.load import load
from newsreader.model import Page
from newsreader.sitename import spells

BODY = "".join(f"<p>{s}</p>" for s in (
    "The harbour board voted on Tuesday to close the old ferry terminal after forty years of service.",
    "“We had no choice left,” said Ann Lee, who chairs the board, as the meeting ended late at night.",
    "Fishermen said the decision would cost the town its last direct link to the islands in the bay.",
))


def page(head: str, url: str | None = "https://www.example-news.com/2024/harbour") -> Page:
    html = f"<html><head>{head}</head><body><article><h1>Harbour board closes terminal</h1>{BODY}</article></body></html>"
    return Page(source=url or "page.html", text=html, kind="html", url=url)


def site(head: str, url: str | None = "https://www.example-news.com/2024/harbour") -> str | None:
    return clean(page(head, url)).site


def test_the_declared_name_comes_first() -> None:
    head = ('<title>Harbour board closes terminal | Harbour Times</title>'
            '<meta property="og:site_name" content="The Example News">'
            '<script type="application/ld+json">{"publisher": {"name": "Example Media Group"}}</script>')
    assert site(head) == "The Example News"
    assert site(head.replace("og:site_name", "og:other")) == "Example Media Group"  # then the publisher


def test_a_sub_domain_a_handle_or_a_slug_is_no_name() -> None:
    url = "https://hosted.wire.org/eagle/article/harbour"
    for declared in ("Hosted", "@wirenews", "wirenews", "https://wire.org/"):
        head = f'<title>Harbour board closes terminal | {declared}</title><meta property="og:site_name" content="{declared}">'
        assert site(head, url) == "hosted.wire.org"  # as the address bar shows it


def test_a_title_part_that_spells_the_domain_is_the_name() -> None:
    assert site("<title>Harbour board closes terminal - The Example News</title>") == "The Example News"
    assert site("<title>Harbour board closes terminal | World | Times of Harbour</title>",
                "https://www.timesofharbour.com/x") == "Times of Harbour"
    assert site('<meta name="twitter:site" content="@examplenews"><title>Harbour board closes terminal | World</title>'
                ) == "example-news.com"  # a section is no name, nor a handle: the host


def test_a_byline_is_never_the_site() -> None:
    head = '<meta name="author" content="Ann Lee"><meta property="og:site_name" content="Ann Lee">'
    assert clean(page(head)).byline == "Ann Lee"
    assert site(head) == "example-news.com"


def test_a_page_without_an_address_or_a_name_has_no_site() -> None:
    assert site("<title>Harbour board closes terminal</title>", url=None) is None


@pytest.mark.parametrize(("name", "label", "spelt"), [
    ("The New York Times", "nytimes", True),
    ("Los Angeles Times", "latimes", True),
    ("The Times of Israel", "timesofisrael", True),
    ("The Tribune", "tribune242", True),  # digits do not count
    ("British Broadcasting Corporation", "bbc", True),
    ("Hosted", "ap", False),
    ("World", "examplenews", False),
    ("", "nytimes", False),
])
def test_spells(name: str, label: str, spelt: bool) -> None:
    assert spells(name, label) is spelt


def test_an_agency_credit_in_a_byline_keeps_its_capitals() -> None:
    head = '<meta name="author" content="Greg Beacham; Ap Sports Writer">'
    assert clean(page(head)).byline == "Greg Beacham, AP"


@pytest.mark.parametrize(("name", "expected"), [
    ("ap-sondland-testimony", "hosted.ap.org"),  # og:site_name says "Hosted"
    ("timesofisrael-wa-justice", "The Times of Israel"),  # nothing declared; the title says it
    ("nytimes-trade-war", "The New York Times"),  # an app's name ("NYTimes") is not the site's
    ("deccan-impeachment-sham", "Deccan Herald"),  # og:site_name before the JSON-LD
    ("mysa-lebron-triple-double", "San Antonio Express-News"),
])
def test_corpus_site_names(corpus: Path, name: str, expected: str) -> None:
    article = clean(load(str(corpus / "html" / f"{name}.html")))
    assert article.site == expected
    if name.startswith("mysa"):
        assert article.byline == "Greg Beacham, AP"
