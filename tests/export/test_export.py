"""The export formats, from hand-built Readings: the JSON contract, Markdown, text, HTML."""
from __future__ import annotations

import json
import os
import re
import socket
import stat
from dataclasses import replace
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from newsreader.corrections import apply, correction_for
from newsreader.export import FORMATS, render
from newsreader.export.files import NotRegularFileError, not_a_file, output_stem, unique_names, write_atomic
from newsreader.export.jsonfmt import from_dict, to_dict
from newsreader.export.mdfmt import escape_paragraph
from newsreader.model import Article, Block, Entity, Place, Quote, Reading, Span, Speaker

SAVED = datetime(2024, 5, 1, 12, 30, tzinfo=timezone.utc)
TRICKY_TITLE = 'Breaking: "quotes" # and \'more\' - [bold red]'

PARAGRAPHS = [
    "Rex Tillerson arrived in Moscow on Tuesday.",
    "“We will not let this stand,” Mr Tillerson said. “The <script>alert(1)</script> era is over.”",
    "1. This starts like a list & has [bold red] markup, *stars*, a_b_c and &amp; as typed.",
    "# Not a heading",
    "- not a bullet, and > not a quote",
    "The ministry said it would ‘respond in kind’.",
]
TEXT = "\n\n".join(PARAGRAPHS)


def at(sub: str, nth: int = 0) -> tuple[int, int]:
    """(start, end) of the nth occurrence of ``sub`` in TEXT."""
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(sub, start + 1)
    return start, start + len(sub)


def ent(sub: str, label: str, ref: str | None = None, nth: int = 0) -> Entity:
    return Entity(*at(sub, nth), sub, label, ref)


def quote(sub: str, speaker: str | None, mention: str | None) -> Quote:
    return Quote(*at(sub), sub, speaker, Span(*at(mention), mention) if mention else None)


def make_reading(title: str | None = TRICKY_TITLE) -> Reading:
    quotes = (
        quote("We will not let this stand,", "Rex Tillerson", "Mr Tillerson"),
        quote("The <script>alert(1)</script> era is over.", "Rex Tillerson", "Mr Tillerson"),
        quote("respond in kind", "Ministry of Foreign Affairs", "The ministry"),
    )
    return Reading(
        article=Article("https://example.org/news/2024/story.html", title, None, "Example News", "2024-04-11", TEXT),
        entities=(
            ent("Rex Tillerson", "PERSON", "Rex Tillerson"),
            ent("Moscow", "GPE", "Moscow"),
            ent("Tuesday", "DATE"),
            ent("Mr Tillerson", "PERSON", "Rex Tillerson"),
            ent("script", "ORG"),  # inside a quote: nested spans
            ent("kind’.", "ORG"),  # straddles the end of a quote: must be left out of the HTML
        ),
        quotes=quotes,
        speakers=(
            Speaker("Rex Tillerson", ("Tillerson", "Mr Tillerson"), "person", (0, 1)),
            Speaker("Ministry of Foreign Affairs", ("The ministry",), "organisation", (2,)),
        ),
        places=(Place("Russia", ("Moscow",), "country", 1),),
    )


# ---------------------------------------------------------------- JSON


def check_contract(d: dict[str, Any]) -> None:
    """The "newsreader/1" contract from DESIGN.md, checked the way a consumer relies on it."""
    assert set(d) == {"schema", "source", "title", "byline", "site", "date", "standfirst", "language",
                      "text", "blocks", "entities", "quotes", "speakers", "places"}
    assert d["schema"] == "newsreader/1"
    assert isinstance(d["source"], str) and isinstance(d["text"], str)
    for key in ("title", "byline", "site", "date", "standfirst", "language"):
        assert d[key] is None or isinstance(d[key], str), key
    text = d["text"]
    cuts = [0, *(m.end() for m in re.finditer("\n\n", text))]  # paragraphs: between blank lines
    ends = [*(m.start() for m in re.finditer("\n\n", text)), len(text)]
    paragraphs = [(a, b) for a, b in zip(cuts, ends) if b > a]
    assert [(b["start"], b["end"]) for b in d["blocks"]] == paragraphs
    kinds = {"paragraph", "heading", "list_item", "blockquote", "caption", "table"}
    assert all(set(b) == {"start", "end", "kind"} and b["kind"] in kinds for b in d["blocks"])

    def span_ok(s: dict[str, Any]) -> None:
        assert isinstance(s["start"], int) and isinstance(s["end"], int)
        assert 0 <= s["start"] < s["end"] <= len(text)
        assert text[s["start"]:s["end"]] == s["text"]

    for e in d["entities"]:
        assert set(e) == {"start", "end", "text", "label", "ref"}
        span_ok(e)
        assert isinstance(e["label"], str) and (e["ref"] is None or isinstance(e["ref"], str))
    for q in d["quotes"]:
        assert set(q) == {"start", "end", "text", "speaker", "mention", "confidence", "rule", "corrected"}
        span_ok(q)
        assert q["speaker"] is None or isinstance(q["speaker"], str)
        assert q["confidence"] is None or (isinstance(q["confidence"], float) and 0 <= q["confidence"] <= 1)
        assert q["rule"] is None or isinstance(q["rule"], str)
        assert isinstance(q["corrected"], bool) and (not q["corrected"] or q["confidence"] == 1.0)
        if q["mention"] is not None:
            assert set(q["mention"]) == {"start", "end", "text"}
            span_ok(q["mention"])
    for s in d["speakers"]:
        assert set(s) == {"name", "aliases", "kind", "quotes", "gender", "gender_source"}
        assert s["gender"] in (None, "female", "male")
        assert s["gender_source"] in (None, "pronoun", "title", "name", "override")
        assert (s["gender"] is None) == (s["gender_source"] is None)
        assert isinstance(s["name"], str) and all(isinstance(a, str) for a in s["aliases"])
        assert s["kind"] in ("person", "organisation")
        assert all(isinstance(i, int) and 0 <= i < len(d["quotes"]) for i in s["quotes"])
        assert all(d["quotes"][i]["speaker"] == s["name"] for i in s["quotes"])
    listed = {(s["name"], i) for s in d["speakers"] for i in s["quotes"]}
    assert all((q["speaker"], i) in listed for i, q in enumerate(d["quotes"]) if q["speaker"] is not None)
    for p in d["places"]:
        assert set(p) == {"name", "aliases", "kind", "mentions", "lat", "lon", "country", "geonameid"}
        assert isinstance(p["name"], str) and isinstance(p["kind"], str) and isinstance(p["mentions"], int)
        assert (p["lat"] is None) == (p["lon"] is None)
        assert p["lat"] is None or (-90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180)
        assert p["country"] is None or (isinstance(p["country"], str) and len(p["country"]) == 2)
        assert p["geonameid"] is None or isinstance(p["geonameid"], int)


def test_json_follows_the_contract_and_round_trips() -> None:
    reading = make_reading()
    d = json.loads(render(reading, "json", saved=SAVED))
    check_contract(d)
    assert d == to_dict(reading)
    assert from_dict(d) == reading


def test_json_round_trips_the_additive_fields() -> None:
    base = make_reading()
    a = base.article
    first = a.paragraphs[0]
    article = Article(a.source, a.title, a.byline, a.site, a.date, a.text, standfirst="The deck.",
                      language="en", blocks=(Block(*first, "heading"), *(Block(s, e) for s, e in a.paragraphs[1:])))
    quote = base.quotes[0]
    reading = Reading(
        article,
        base.entities,
        (Quote(quote.start, quote.end, quote.text, quote.speaker, quote.mention, 1.0, "said_after", True),
         *base.quotes[1:]),
        (Speaker("Rex Tillerson", ("Tillerson",), "person", (0, 1), "male", "title"), *base.speakers[1:]),
        (Place("Russia", (), "country", 1, 61.5, 105.3, "RU", 2017370),),
    )
    d = to_dict(reading)
    check_contract(d)
    assert d["blocks"][0]["kind"] == "heading" and d["standfirst"] == "The deck."
    assert from_dict(json.loads(render(reading, "json"))) == reading


def test_json_saved_before_the_additive_fields_still_opens() -> None:
    d = to_dict(make_reading())
    for key in ("standfirst", "language", "blocks"):
        del d[key]
    for q in d["quotes"]:
        del q["confidence"], q["rule"], q["corrected"]
    reading = from_dict(d)
    assert reading == make_reading()
    assert all(b.kind == "paragraph" for b in reading.article.structure)


def test_json_escapes_what_a_terminal_would_act_on() -> None:
    article = Article("x.txt", "A\u202eB", None, None, None, "8-bit CSI \x9b2J and \x85 next line")
    reading = Reading(article=article, entities=(Entity(10, 14, "\x9b2J", "ORG"),))
    out = render(reading, "json")
    assert not any("\x7f" <= c <= "\x9f" or c == "\u202e" for c in out)
    assert json.loads(out) == to_dict(reading)


def test_json_keeps_confidence_rule_and_corrections() -> None:
    base = make_reading()
    unsure = replace(base.quotes[1], confidence=0.55, rule="pronoun")
    reading = replace(base, quotes=(replace(base.quotes[0], confidence=0.97, rule="said_after"), unsure,
                                    base.quotes[2]))
    fixed = apply(reading, [correction_for(reading.quotes[2], "speaker", "Sergei Lavrov"),
                            correction_for(reading.quotes[0], "unnamed")])
    d = json.loads(render(fixed, "json"))
    check_contract(d)
    assert [(q["confidence"], q["rule"], q["corrected"], q["speaker"]) for q in d["quotes"]] == [
        (1.0, "corrected", True, None),
        (0.55, "pronoun", False, "Rex Tillerson"),
        (1.0, "corrected", True, "Sergei Lavrov"),
    ]
    assert [(s["name"], s["quotes"]) for s in d["speakers"]] == [("Rex Tillerson", [1]), ("Sergei Lavrov", [2])]
    assert from_dict(d) == fixed


def test_contract_check_catches_a_quote_its_speaker_does_not_list() -> None:
    d = to_dict(make_reading())
    d["quotes"][2]["speaker"] = "Rex Tillerson"
    d["speakers"][1]["quotes"] = []
    with pytest.raises(AssertionError):
        check_contract(d)


def test_contract_check_catches_a_wrong_offset() -> None:
    d = to_dict(make_reading())
    d["quotes"][0]["start"] += 1
    with pytest.raises(AssertionError):
        check_contract(d)


# ---------------------------------------------------------------- Markdown


def front_matter(md: str) -> tuple[dict[str, Any], str]:
    assert md.startswith("---\n")
    head, sep, body = md[4:].partition("\n---\n")
    assert sep, "front matter is not closed"
    return yaml.safe_load(head), body


def rendered_paragraphs(md: str) -> tuple[list[str], list[str]]:
    """What a CommonMark renderer shows: (block kinds, plain text of each paragraph)."""
    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(md)
    kinds = [t.type for t in tokens if t.nesting != -1 and t.type != "inline"]
    texts = []
    for t in tokens:
        if t.type == "inline":
            parts = []
            for child in t.children or ():
                assert child.type in ("text", "hardbreak", "softbreak"), f"{child.type} in {t.content!r}"
                parts.append(child.content if child.type == "text" else "\n")
            texts.append("".join(parts))
    return kinds, texts


def test_markdown_front_matter_survives_a_tricky_title() -> None:
    meta, _ = front_matter(render(make_reading(), "md", saved=SAVED))
    assert meta == {
        "title": TRICKY_TITLE, "byline": None, "site": "Example News", "date": "2024-04-11",
        "standfirst": None, "language": None,
        "source": "https://example.org/news/2024/story.html", "saved": "2024-05-01T12:30:00+00:00",
    }


def test_markdown_front_matter_cannot_be_broken_by_newlines_or_controls() -> None:
    reading = make_reading(title='A\n---\nb: "c"\u2028\x85\x1b[31m\ufeffred')
    meta, _ = front_matter(render(reading, "md"))
    assert meta["title"] == 'A --- b: "c" \ufeffred'
    assert meta["saved"] is None


def test_markdown_body_reads_as_written() -> None:
    md = render(make_reading(), "md", saved=SAVED)
    _, body = front_matter(md)
    kinds, texts = rendered_paragraphs(body.partition("\n## Quotes\n")[0])
    assert kinds == ["heading_open"] + ["paragraph_open"] * len(PARAGRAPHS)
    assert texts == [TRICKY_TITLE, *PARAGRAPHS]
    assert "“We will not let this stand,” Mr Tillerson said." in md  # quotes kept as written


@settings(max_examples=300, deadline=None)
@example('1. a list?')
@example('2) another')
@example('# heading?')
@example('---')
@example('> quote?')
@example('- bullet?')
@example('=====')
@example('    code?')
@example('```')
@given(st.text(alphabet=st.sampled_from(list("ab1. \t#>-+=*_`[]()<>!&;\\|~:\"'“”#0")), min_size=1))
def test_any_paragraph_renders_as_its_own_text(text: str) -> None:
    if not text.strip(" \t"):
        return
    kinds, texts = rendered_paragraphs(escape_paragraph(text))
    assert kinds == ["paragraph_open"]
    assert texts == [text.strip(" \t")]


def test_markdown_keeps_line_breaks_inside_a_paragraph() -> None:
    kinds, texts = rendered_paragraphs(escape_paragraph("first line\n2. second\n===\n    code?"))
    assert kinds == ["paragraph_open"]
    assert texts == ["first line\n2. second\n===\ncode?"]


# ---------------------------------------------------------------- plain text


def test_text_layout() -> None:
    txt = render(make_reading(), "txt")
    head, _, body = txt.partition("\n\n")
    assert head.split("\n") == [TRICKY_TITLE, "Example News · 2024-04-11", "https://example.org/news/2024/story.html"]
    assert body.partition("\nQuotes\n")[0] == TEXT + "\n"


def annotated_reading() -> Reading:
    """make_reading with a quote the model is unsure of, one corrected by hand, one nobody said."""
    reading = make_reading()
    sure, unsure, corrected = reading.quotes
    quotes = (replace(sure, confidence=0.97), replace(unsure, confidence=0.6),
              replace(corrected, confidence=1.0, corrected=True), Quote(*at("Not a heading"), "Not a heading"))
    return replace(reading, quotes=quotes)


def test_markdown_lists_quotes_speakers_and_places_after_the_article() -> None:
    md = render(annotated_reading(), "md")
    tokens = MarkdownIt("commonmark").parse(md.partition("\n## Quotes\n")[2].join(["## Quotes\n", ""]))
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    items = [tokens[i + 2].children for i, t in enumerate(tokens) if t.type == "list_item_open"]
    text = ["".join(c.content for c in children if c.type == "text") for children in items]
    assert headings == ["Quotes", "Speakers", "Places"]
    assert text == [
        "Rex Tillerson: “We will not let this stand,”",
        "Rex Tillerson (unsure): “The <script>alert(1)</script> era is over.”",
        "unattributed: “Not a heading”",
        "Ministry of Foreign Affairs (corrected): “respond in kind”",
        "Rex Tillerson: 2 quotes",
        "Ministry of Foreign Affairs (organisation): 1 quote",
        "Russia (country): 1 mention",
    ]
    assert "\\<script>" in md.partition("## Quotes")[2]  # escaped, as in the body


def test_text_lists_quotes_speakers_and_places_after_the_article() -> None:
    txt = render(annotated_reading(), "txt")
    assert txt.endswith(
        "\nQuotes\n------\n"
        "Rex Tillerson: “We will not let this stand,”\n"
        "Rex Tillerson (unsure): “The <script>alert(1)</script> era is over.”\n"
        "unattributed: “Not a heading”\n"
        "Ministry of Foreign Affairs (corrected): “respond in kind”\n"
        "\nSpeakers\n--------\n"
        "Rex Tillerson: 2 quotes\n"
        "Ministry of Foreign Affairs (organisation): 1 quote\n"
        "\nPlaces\n------\n"
        "Russia (country): 1 mention\n"
    )


def test_an_article_without_annotations_has_no_empty_sections() -> None:
    bare = Reading(make_reading().article)
    assert "## " not in render(bare, "md") and "Quotes" not in render(bare, "txt")


def test_text_drops_terminal_escapes() -> None:
    reading = make_reading(title="Title\x1b]52;c;ZXZpbA==\x07 \x1b[2J here")
    assert render(reading, "txt").split("\n")[0] == "Title here"


# ---------------------------------------------------------------- HTML


class Tree(HTMLParser):
    """Checks nesting as it goes and records each element with its attributes and text."""

    VOID = {"meta", "br", "link", "img", "hr", "input"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None], list[str]]] = []
        self.elements: list[tuple[str, dict[str, str | None], str]] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag not in self.VOID:
            self.stack.append((tag, dict(attrs), []))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, f"</{tag}> closes nothing"
        open_tag, attrs, parts = self.stack.pop()
        assert open_tag == tag, f"</{tag}> closes <{open_tag}>"
        text = "".join(parts)
        self.elements.append((tag, attrs, text))
        if self.stack:
            self.stack[-1][2].append(text)

    def handle_data(self, data: str) -> None:
        if self.stack:
            self.stack[-1][2].append(data)

    def with_class(self, cls: str) -> list[tuple[dict[str, str | None], str]]:
        return [(a, t) for _, a, t in self.elements if cls in (a.get("class") or "").split()]


def parse_html(page: str) -> Tree:
    tree = Tree()
    tree.feed(page)
    tree.close()
    assert not tree.stack, f"unclosed: {[t for t, _, _ in tree.stack]}"
    return tree


def article_text(tree: Tree) -> list[str]:
    """The paragraphs of the page's <article>, as a browser shows their text."""
    body = next(t for tag, _, t in tree.elements if tag == "article")
    return body.strip("\n").split("\n")


def test_html_is_well_formed_and_shows_the_text_as_written() -> None:
    page = render(make_reading(), "html", saved=SAVED)
    assert page.startswith("<!DOCTYPE html>")
    tree = parse_html(page)
    assert article_text(tree) == PARAGRAPHS
    assert "script" not in tree.tags and "&lt;/script&gt;" in page  # shown, not run
    assert "[bold red]" in page
    title = next(t for tag, _, t in tree.elements if tag == "h1")
    assert title == TRICKY_TITLE


def test_html_marks_quotes_and_entities() -> None:
    reading = make_reading()
    tree = parse_html(render(reading, "html"))
    quotes = tree.with_class("quote")[1:]  # the first is the legend's sample
    assert [(a.get("data-speaker"), t) for a, t in quotes] == [(q.speaker, q.text) for q in reading.quotes]
    entities = [(a["class"], a.get("data-ref"), t, a.get("title")) for a, t in tree.with_class("ent")
                if a.get("title")]
    assert entities == [  # tooltips in words, not the model's labels
        ("ent ent-PERSON", "Rex Tillerson", "Rex Tillerson", "person · Rex Tillerson"),
        ("ent ent-GPE", "Moscow", "Moscow", "country, city or state · Moscow"),
        ("ent ent-DATE", None, "Tuesday", "date"),
        ("ent ent-PERSON", "Rex Tillerson", "Mr Tillerson", "person · Rex Tillerson"),
        ("ent ent-ORG", None, "script", "organisation"),  # nested inside the second quote
    ]  # "kind’." crosses a quote's end, so it is left out


def test_html_is_standalone_with_legend_panels_and_dark_mode() -> None:
    page = render(make_reading(), "html")
    tree = parse_html(page)
    assert not {"script", "link", "img", "iframe", "object"} & tree.tags
    assert "prefers-color-scheme: dark" in page and "Content-Security-Policy" in page
    hrefs = [a["href"] for tag, a, _ in tree.elements if tag == "a"]
    assert all(h.startswith("#q") or h == "https://example.org/news/2024/story.html" for h in hrefs)
    sections = {a.get("id"): t for tag, a, t in tree.elements if tag == "section"}
    assert "Rex Tillerson" in sections["speakers"] and "2 quotes" in sections["speakers"]
    assert "Russia" in sections["places"] and "1 mention" in sections["places"]
    legend = next(t for tag, a, t in tree.elements if tag == "nav")
    assert legend == "quotepeopleorganisationscountries, cities, statesnumbers, dates, amounts"
    assert not re.search(r"\b(PERSON|ORG|GPE|NORP|FAC|DATE)\b", legend + "".join(
        a.get("title") or "" for _, a, _ in tree.elements))  # no model labels where a reader looks


def test_html_marks_unsure_and_corrected_quotes_wherever_it_names_a_speaker() -> None:
    base = make_reading()
    reading = replace(base, quotes=(base.quotes[0], replace(base.quotes[1], confidence=0.5), base.quotes[2]))
    reading = apply(reading, [correction_for(base.quotes[2], "speaker", "Sergei Lavrov")])
    tree = parse_html(render(reading, "html"))
    quotes = [(a["class"], a.get("data-speaker"), a.get("data-corrected"), a.get("data-confidence"), a["title"])
              for a, _ in tree.with_class("quote") if a.get("data-quote")]
    assert quotes == [
        ("quote", "Rex Tillerson", None, None, "Rex Tillerson"),
        ("quote unsure", "Rex Tillerson", None, "0.5", "probably Rex Tillerson"),
        ("quote", "Sergei Lavrov", "true", "1", "Sergei Lavrov (corrected)"),
    ]
    legend = next(t for tag, a, t in tree.elements if tag == "nav")
    assert "unsure who said it" in legend
    sections = {a.get("id"): t for tag, a, t in tree.elements if tag == "section"}
    assert "2 quotes (1 unsure)" in sections["speakers"] and "1 quote (1 corrected)" in sections["speakers"]
    links = [(a.get("title"), t) for tag, a, t in tree.elements if tag == "a" and a["href"].startswith("#q")]
    assert links == [(None, "1"), ("unsure", "2?"), ("corrected", "1")]


def test_html_survives_bad_offsets() -> None:
    good = make_reading()
    bad = Reading(
        article=good.article,
        entities=(Entity(-3, 5, "x", "PERSON"), Entity(10, 10_000, "x", "ORG"), *good.entities,
                  Entity(*at("Rex"), "Rex", "PERSON")),  # overlaps another entity
        quotes=(Quote(0, len(TEXT), TEXT, None), *good.quotes),  # crosses every paragraph
        speakers=(Speaker("Nobody", (), "person", (99,)),),
    )
    tree = parse_html(render(bad, "html"))
    assert article_text(tree) == PARAGRAPHS


# ---------------------------------------------------------------- the registry and files


def test_registry() -> None:
    assert list(FORMATS) == ["json", "md", "txt", "html", "geojson"]
    assert all(f.extension == f.name for f in FORMATS.values())
    with pytest.raises(ValueError, match="unknown format"):
        render(make_reading(), "pdf")


@pytest.mark.parametrize(("source", "stem"), [
    ("/data/corpus/html/bbc-obama-guns.html", "bbc-obama-guns"),
    ("seed-tillerson.txt", "seed-tillerson"),
    ("../../etc/passwd", "passwd"),
    ("..", "article"),
    ("notes/.hidden.txt", "hidden"),
    ("CON.txt", "_CON"),
    ("a b/c d?.html", "c-d"),
    ("what?.txt", "what"),  # a dash made from a dropped character does not stay
    ("polnear/text/only-percent-of-clinton-.txt", "only-percent-of-clinton-"),  # a safe stem stays as it is
    ("-", "stdin"),
    ("https://example.org/news/2024/story.html?id=3", "news-2024-story"),
    ("https://example.org/", "example.org"),
    ("https://example.org/a/../../b/%2e%2e/c", "a-b-c"),
    ("https://example.org/" + "x" * 300, "x" * 100),
])
def test_output_stem_is_safe(source: str, stem: str) -> None:
    assert output_stem(source) == stem


def test_unique_names_number_repeats() -> None:
    assert unique_names(["a/x.html", "b/x.txt", "X.html", "y.txt"], "json") == [
        "x.json", "x-2.json", "X-3.json", "y.json"]


def test_write_atomic_never_clobbers_without_leave(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    write_atomic(target, "one", overwrite=False)
    with pytest.raises(FileExistsError):
        write_atomic(target, "two", overwrite=False)
    assert target.read_text(encoding="utf-8") == "one"
    write_atomic(target, "thrée", overwrite=True)
    assert target.read_text(encoding="utf-8") == "thrée"
    assert os.listdir(tmp_path) == ["out.md"]  # no temporary files left behind


def make_special(path: Path, kind: str) -> None:
    """Put something that is not a regular file at ``path``."""
    if kind == "a FIFO":
        os.mkfifo(path)
    elif kind == "a character device":  # a copy of /dev/null; only root may make one
        try:
            os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        except PermissionError:
            pytest.skip("making a device node needs root")
    elif kind == "a socket":
        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind(str(path))
    elif kind == "a symbolic link":
        (path.parent / "real.md").write_text("mine", encoding="utf-8")
        path.symlink_to("real.md")
    else:
        path.mkdir()


def kind_of(path: Path) -> int:
    return stat.S_IFMT(os.lstat(path).st_mode)


SPECIAL = ["a FIFO", "a character device", "a socket", "a symbolic link", "a directory"]


@pytest.mark.parametrize("kind", SPECIAL)
@pytest.mark.parametrize("overwrite", [False, True])
def test_write_atomic_replaces_only_a_regular_file(tmp_path: Path, kind: str, overwrite: bool) -> None:
    target = tmp_path / "out.md"
    make_special(target, kind)
    before = kind_of(target)
    with pytest.raises(NotRegularFileError, match=f"is {kind}, not a regular file"):
        write_atomic(target, "text", overwrite=overwrite)
    assert kind_of(target) == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert not_a_file(target) == kind
    assert not_a_file(tmp_path / "nothing.md") is None


def test_not_a_file_names_what_is_there() -> None:
    assert not_a_file(Path("/dev/null")) == "a character device"
