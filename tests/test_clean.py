"""Page → Article: the plain-text cleaner, HTML cleaning, boilerplate rules and safety."""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from ftfy import fix_encoding
from hypothesis import given, settings
from hypothesis import strategies as st
from paths import SHARED

from newsreader.clean import clean
from newsreader.errors import CleanError
from newsreader.model import Article, Page

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def text_page(text: str, source: str = "pasted.txt") -> Page:
    return Page(source=source, text=text, kind="text")


def html_page(html: str, url: str | None = "https://news.example.org/world/harbour-vote") -> Page:
    return Page(source=url or "page.html", text=html, kind="html", url=url)


def paragraphs(article: Article) -> list[str]:
    return article.text.split("\n\n")


def assert_well_formed(article: Article) -> None:
    """Paragraphs separated by exactly one blank line, none empty, none broken."""
    assert article.text == article.text.strip()
    for para in paragraphs(article):
        assert para and para == para.strip()
        assert "\n" not in para
        assert "  " not in para


# --------------------------------------------------------------------------------------
# Plain text written for these tests: pasted articles with their boilerplate.
# --------------------------------------------------------------------------------------

HARBOUR = """\
Harbour town votes to keep its lifeboat station open after long campaign
Residents rallied for months as the charity reviewed its coastal stations
Independent journalism needs you
We send reporters where other outlets have stopped going. Our coverage of coastal towns depends on readers.
Every pound you give goes straight into our reporting. Please donate today if you can.
Thank you for your support.The lifeboat station at Porthallow will stay open, its trustees said on Tuesday.
"We never doubted the town would turn out," said Mary Penrose, who chaired the campaign.
The charity had proposed merging the station with one twelve miles along the coast.
Sign up to our free morning newsletter and never miss a story
Fishermen said the longer journey would cost lives. "Twelve miles is an hour in a winter sea," said Tom Hicks.
The charity's newsletter, which reaches 40,000 supporters, had asked members for their views.
Read more
Share this article
The trustees will publish the full review in September.
Join the conversation
Comments
"""

HARBOUR_BODY = [
    "The lifeboat station at Porthallow will stay open, its trustees said on Tuesday.",
    '"We never doubted the town would turn out," said Mary Penrose, who chaired the campaign.',
    "The charity had proposed merging the station with one twelve miles along the coast.",
    'Fishermen said the longer journey would cost lives. "Twelve miles is an hour in a winter sea," '
    "said Tom Hicks.",
    "The charity's newsletter, which reaches 40,000 supporters, had asked members for their views.",
    "The trustees will publish the full review in September.",
]


def test_text_headline_deck_and_boilerplate() -> None:
    article = clean(text_page(HARBOUR))
    assert article.title == "Harbour town votes to keep its lifeboat station open after long campaign"
    deck = "Residents rallied for months as the charity reviewed its coastal stations"
    assert article.standfirst == deck  # the deck is kept: it opens the body and is named
    assert paragraphs(article) == [deck, *HARBOUR_BODY]
    assert article.opens_with_standfirst
    assert (article.byline, article.site, article.date) == (None, None, None)
    assert_well_formed(article)


def test_text_crlf_gives_the_same_article() -> None:
    assert clean(text_page(HARBOUR.replace("\n", "\r\n"))) == clean(text_page(HARBOUR))


def test_text_keeps_real_paragraphs_that_mention_boilerplate_words() -> None:
    text = (
        "Paper closes comment section\n\n"
        "The Gazette said on Friday that it would close the comments under its articles.\n\n"
        "Subscribers had complained about abuse, the editor said, and the newsletter will carry letters.\n\n"
        "Copyright lawyers said the move was unusual for a paper of its size.\n\n"
        "Readers who want to respond can still write to the letters page, the paper said.\n"
    )
    article = clean(text_page(text))
    assert article.title == "Paper closes comment section"
    assert len(paragraphs(article)) == 4


HARD_WRAPPED = """\
Council approves new bridge

The council voted on Monday to build a footbridge over the river, ending a
dispute that has divided the town for more than a decade. The bridge will
cost four million pounds and open in the spring of next year, officials
said.

"It has taken far too long," said Ann Lee, who has campaigned for the
bridge since 2012. "But today the town has spoken with one voice, and the
long-promised crossing will finally be built."

Opponents said the money would be better spent on roads.
"""


def test_text_hard_wrapped_lines_are_joined() -> None:
    article = clean(text_page(HARD_WRAPPED))
    assert article.title == "Council approves new bridge"
    assert paragraphs(article) == [
        "The council voted on Monday to build a footbridge over the river, ending a dispute that has "
        "divided the town for more than a decade. The bridge will cost four million pounds and open in "
        "the spring of next year, officials said.",
        '"It has taken far too long," said Ann Lee, who has campaigned for the bridge since 2012. "But '
        "today the town has spoken with one voice, and the long-promised crossing will finally be built.\"",
        "Opponents said the money would be better spent on roads.",
    ]


def test_text_wrapped_without_blank_lines_splits_at_short_lines() -> None:
    text = (
        "Ministers back plan to reopen the old railway line to the coast after\n"
        "years of campaigning by residents and local businesses in the valley.\n"
        "The line closed in 1965.\n"
        "Work could start next year if the funding is confirmed by the treasury,\n"
        "the transport department said in a statement on Wednesday afternoon.\n"
    )
    article = clean(text_page(text))
    assert paragraphs(article) == [
        "Ministers back plan to reopen the old railway line to the coast after years of campaigning by "
        "residents and local businesses in the valley. The line closed in 1965.",
        "Work could start next year if the funding is confirmed by the treasury, the transport department "
        "said in a statement on Wednesday afternoon.",
    ]


def test_text_word_hyphenated_across_lines_is_mended() -> None:
    text = "Headline about a vote\n\nThe pro-\nindependence parties won, and the\nresult surprised many.\n"
    assert clean(text_page(text)).text == "The pro-independence parties won, and the result surprised many."


def test_text_without_headline_keeps_its_first_paragraph() -> None:
    lede = (
        "LONDON - The city council voted on Tuesday to close three libraries, saying its budget had been "
        "cut by a third since 2010."
    )
    text = f"{lede}\nThe decision drew protests outside the town hall.\n"
    article = clean(text_page(text))
    assert article.title is None
    assert paragraphs(article) == [lede, "The decision drew protests outside the town hall."]


def test_text_standfirst_sentence_is_kept_but_deck_dropped() -> None:
    text = (
        "Storm closes ports\n"
        "Ferries were cancelled across the region as winds reached 90mph.\n"
        "The coastguard said two boats had been brought in safely.\n"
    )
    assert paragraphs(clean(text_page(text))) == [
        "Ferries were cancelled across the region as winds reached 90mph.",
        "The coastguard said two boats had been brought in safely.",
    ]


def test_text_byline_and_export_labels() -> None:
    text = (
        "Senate Passes Budget After Long Night.\n\nBy Jane Doe\n\nABSTRACT.\n\n"
        "The measure now goes to the House.\n\nFULL TEXT.\n\n"
        "WASHINGTON - The Senate passed the budget early on Friday.\n\n___.\n\n"
        '"This is a good day," the majority leader said.\n'
    )
    article = clean(text_page(text))
    assert article.title == "Senate Passes Budget After Long Night."
    assert article.byline == "Jane Doe"
    assert paragraphs(article) == [
        "The measure now goes to the House.",
        "WASHINGTON - The Senate passed the budget early on Friday.",
        '"This is a good day," the majority leader said.',
    ]


def test_text_whitespace_is_normalised_and_quotes_kept() -> None:
    text = "Headline here today\n\nHe said\u00a0\u201cno\u201d \t to the  plan\u2019s\u200b terms.\n"
    assert clean(text_page(text)).text == "He said \u201cno\u201d to the plan\u2019s terms."


def test_text_markup_tags_are_removed_but_their_words_kept() -> None:
    text = ("Harbour vote goes ahead\n\n"
            'The mayor posted at noon: <tweet author="@harbourmayor" id="6721">The vote is on.</tweet>\n\n'
            "Turnout is expected to be low<br>since a < b and c > d in every <REDACTED> poll.")
    assert clean(text_page(text)).text == (
        "The mayor posted at noon: The vote is on.\n\n"
        "Turnout is expected to be low since a < b and c > d in every <REDACTED> poll.")


def test_text_seed_sample(corpus: Path) -> None:
    article = clean(text_page((corpus / "text" / "seed-tillerson.txt").read_text("utf-8")))
    assert article.standfirst == "Secretary of State takes strong line as UK push for sanctions on Russia falters"
    assert paragraphs(article)[1].startswith("It is clear")  # the appeal glued before it is gone
    assert article.title and article.title.startswith("Rex Tillerson says")
    for junk in ("Your support", "donation", "paywalls", "commenting forum", "other Independent", "Big Tech"):
        assert junk not in article.text
    assert "Comments" not in paragraphs(article)
    assert article.text.endswith("the joint command centre for powers allied with Mr Assad said.")
    assert_well_formed(article)


# --------------------------------------------------------------------------------------
# HTML written for these tests.
# --------------------------------------------------------------------------------------

ARTICLE_PARAGRAPHS = [
    "The harbour board voted on Tuesday to keep the lifeboat station open, ending a year of uncertainty "
    "for the town and its volunteer crew.",
    "\u201cWe never doubted the town would turn out,\u201d said Mary Penrose, who chaired the campaign "
    "and collected more than four thousand signatures.",
    "The charity had proposed merging the station with one twelve miles along the coast, a plan that "
    "fishermen said would have cost lives in winter.",
    "The trustees will publish the full review in September, and the board said it would fund repairs "
    "to the slipway before the autumn storms.",
]


def harbour_html(*, title: str = "Harbour board keeps lifeboat station open - Example News") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS)
    return f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>{title}</title>
<meta property="og:site_name" content="Example News">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2021-03-04T09:30:00Z">
<script>window.tracking = {{"a": 1}};</script>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies</div>
<main><article>
<h1>Harbour board keeps lifeboat station open</h1>
{body}
<p>Sign up to our newsletter for the latest news in your inbox</p>
<p>Share this article</p>
</article></main>
<footer><p>Copyright © 2021 Example News. All rights reserved.</p>
<a href="/privacy">Privacy policy</a></footer>
</body></html>"""


def test_html_metadata_and_body() -> None:
    article = clean(html_page(harbour_html()))
    assert article.title == "Harbour board keeps lifeboat station open"
    assert article.byline == "Jane Doe"
    assert article.site == "Example News"
    assert article.date == "2021-03-04"
    assert paragraphs(article) == ARTICLE_PARAGRAPHS
    for junk in ("Home", "cookies", "newsletter", "Share this", "Copyright", "Privacy", "tracking"):
        assert junk not in article.text
    assert_well_formed(article)


def test_html_prefers_the_headline_shown_on_the_page() -> None:
    og_title = '<meta property="og:title" content="Lifeboat saved">'
    html = harbour_html().replace("</head>", f"{og_title}</head>")
    article = clean(html_page(html))
    assert article.title == "Harbour board keeps lifeboat station open"
    assert paragraphs(article)[0] == ARTICLE_PARAGRAPHS[0]


def test_html_title_loses_site_suffix_without_h1() -> None:
    html = harbour_html().replace("<h1>Harbour board keeps lifeboat station open</h1>", "")
    assert clean(html_page(html)).title == "Harbour board keeps lifeboat station open"


def test_html_line_breaks_and_teaser_lines() -> None:
    html = harbour_html().replace(
        f"<p>{ARTICLE_PARAGRAPHS[2]}</p>",
        "<p>The charity had proposed merging the station<br>with one twelve miles along the coast.</p>"
        "<p>Storm warning for the coast [VIDEO]<br>Ferry cancelled as winds rise [PICTURES]</p>",
    )
    article = clean(html_page(html))
    joined = "The charity had proposed merging the station with one twelve miles along the coast."
    assert joined in paragraphs(article)
    assert "[VIDEO]" not in article.text and "Ferry cancelled" not in article.text


def test_html_drop_cap_outside_paragraph() -> None:
    first = ARTICLE_PARAGRAPHS[0]
    dropcap = f'<span class="dropcap">{first[0]}</span><p>{first[1:]}</p>'
    html = harbour_html().replace(f"<p>{first}</p>", dropcap)
    assert paragraphs(clean(html_page(html)))[0] == first


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n",
        "<html><head><script>var a = 1;</script></head>"
        "<body><script>document.write('x')</script></body></html>",
        "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        "<footer>© 2020 Example News</footer></body></html>",
    ],
)
def test_html_without_article_raises(html: str) -> None:
    with pytest.raises(CleanError, match=r"^no article text found in page\.html$"):
        clean(html_page(html, url=None))


STORY_PARAGRAPH = ("<p>The harbour board voted on Tuesday to close the old pier, after a debate about its cost "
                   "and the ferries that still use it.</p>")


@pytest.mark.parametrize("tag", ["div", "span", "section"])
def test_a_page_nested_past_what_the_parser_reads_says_so(tag: str) -> None:
    """The HTML parser stops at 256 levels of tags and drops the rest of the page."""
    html = f"<html><body>{f'<{tag}>' * 100_000}{STORY_PARAGRAPH}{f'</{tag}>' * 100_000}</body></html>"
    with pytest.raises(CleanError) as caught:
        clean(html_page(html, url=None))
    assert str(caught.value) == \
        "no article text found in page.html: the page is nested too deeply (more than 255 levels of tags)"


def test_deep_nesting_after_the_article_leaves_the_article() -> None:
    nest = f"{'<div>' * 1000}x{'</div>' * 1000}"
    html = f"<html><body><article><h1>Pier to close</h1>{STORY_PARAGRAPH * 3}</article><footer>{nest}</footer>"
    assert "harbour board" in clean(html_page(html + "</body></html>", url=None)).text


def test_a_long_source_is_shortened_in_the_message() -> None:
    url = "https://news.example.org/" + "a" * 5000
    with pytest.raises(CleanError) as caught:
        clean(html_page("<html><body><nav>Home</nav></body></html>", url=url))
    assert len(str(caught.value)) < 160 and "…" in str(caught.value)


@pytest.mark.parametrize("text", ["", "\n\n  \n", "\x1b[31m\x00\x07\n", "Comments\nShare this\nRead more\n"])
def test_text_without_article_raises(text: str) -> None:
    with pytest.raises(CleanError, match=r"^no article text found in pasted\.txt$"):
        clean(text_page(text))


# --------------------------------------------------------------------------------------
# Control characters never survive.
# --------------------------------------------------------------------------------------

NASTY = "\x1b[31mred\x1b[0m \x1b]52;c;SGVsbG8=\x07 \x9b2J \u202eevil\u202c \x00\x08"


def assert_no_controls(article: Article) -> None:
    for field in (article.title, article.byline, article.site, article.date, article.text, article.source):
        if field is not None:
            assert not CONTROL.search(field), repr(field)
            assert "\x1b" not in field


def test_control_characters_removed_from_text_page() -> None:
    article = clean(text_page(f"Headline {NASTY} today\n\nBody {NASTY} paragraph that reports the news.\n"))
    assert_no_controls(article)
    assert "red" in article.text and "paragraph that reports" in article.text


def test_control_characters_removed_from_html_fields() -> None:
    html = (
        harbour_html(title=f"Harbour {NASTY} board")
        .replace('content="Jane Doe"', f'content="Jane {NASTY} Doe"')
        .replace(ARTICLE_PARAGRAPHS[1], f"Mary Penrose said {NASTY} it was a good day for the town.")
    )
    assert_no_controls(clean(html_page(html)))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=80), min_size=1, max_size=12))
def test_any_text_gives_clean_paragraphs_or_clean_error(lines: list[str]) -> None:
    try:
        article = clean(text_page("\n".join(lines)))
    except CleanError:
        return
    assert_no_controls(article)
    assert_well_formed(article)


# --------------------------------------------------------------------------------------
# The shared corpus.
# --------------------------------------------------------------------------------------


def norm(text: str) -> str:
    """Compare as the scorer does: NFKC, straight quotes, plain hyphens, one space, lower case."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub("[\u2018\u2019\u201a\u201b\u2032`]", "'", text)
    text = re.sub("[\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033]", '"', text)
    text = re.sub("[\u2010-\u2015\u2212]", "-", text)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip().lower()


def gold_ids() -> list[str]:
    gold = SHARED / "corpus" / "gold"
    return sorted(p.stem for p in gold.glob("*.json"))


@pytest.mark.parametrize("gold_id", gold_ids())
def test_corpus_gold_fragments(corpus: Path, gold_id: str) -> None:
    gold = json.loads((corpus / "gold" / f"{gold_id}.json").read_text("utf-8"))
    html = corpus / "html" / f"{gold_id}.html"
    page = (
        Page(source=str(html), text=html.read_text("utf-8"), kind="html")
        if html.exists()
        else text_page((corpus / "text" / f"{gold_id}.txt").read_text("utf-8"))
    )
    text = norm(clean(page).text)
    assert [f for f in gold["must_contain"] if norm(f) not in text] == []
    assert [f for f in gold["must_not_contain"] if norm(f) in text] == []


def test_polnear_texts_keep_every_long_line(corpus: Path) -> None:
    """Quotes are scored on these texts: no real paragraph may be lost.

    Only label lines, separators and bracketed editor's inserts ("[Video: …]") may go,
    and markup tags ("<tweet author=…>"), whose words stay.
    """
    files = sorted((corpus / "polnear" / "dev" / "text").glob("*.txt"))
    if not files:
        pytest.skip("no PolNeAR dev texts")
    for path in files:
        raw = path.read_text("utf-8")
        body = norm(clean(text_page(raw, source=str(path))).text)
        for line in raw.split("\n")[1:]:
            if len(line.split()) >= 8 and not re.fullmatch(r"\[.*\]", line.strip()):
                words = re.sub(r"<[^<>]*>", "", CONTROL.sub("", line.replace("\u200b", "")))
                repaired = fix_encoding(unicodedata.normalize("NFC", words))  # mojibake put right, as shown
                assert norm(words) in body or norm(repaired) in body, (path.name, line[:60])


def test_mojibake_is_put_right_and_accents_are_left_alone() -> None:
    # UTF-8 read as Windows-1252 somewhere upstream, once with the accent split off
    garbled = ("Harbour vote splits the council\n\n"
               "\u201cEurope must defend itself,\u201d French President Fran\u00c3\u00a7ois Marel said on "
               "Friday, and Ren\u00c3\u00a9e Dubois agreed.\n\n"
               "The mayor of Portmere, FranA\u0303\u0083A\u0302\u00a7oise Leclair, said she would wait.")
    text = clean(text_page(garbled)).text
    assert "Fran\u00e7ois Marel" in text and "Ren\u00e9e Dubois" in text and "Fran\u00e7oise Leclair" in text
    accented = ("Harbour vote splits the council\n\n"
                "The \u00c5sa ferry left Ch\u00e2teau-Thierry for the \u00c9lys\u00e9e on Friday, "
                "and the cr\u00e8me of Portmere went with it.")
    assert clean(text_page(accented)).text == accented.split("\n\n", 1)[1]
