"""A standalone HTML page: readable offline, with quotes and entities highlighted.

No scripts and no external resources (a Content-Security-Policy says so too);
every piece of article text is escaped, so markup in an article shows as text.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import datetime
from html import escape
from typing import NamedTuple

from newsreader.export._common import meta_line, one_line
from newsreader.export.svgmap import svg_map
from newsreader.geo import on_map
from newsreader.model import Entity, Quote, Reading
from newsreader.safety import strip_control

# OntoNotes labels: what the legend says, and a light and a dark background.
LABELS: dict[str, tuple[str, str, str]] = {
    "PERSON": ("people", "#fde2b8", "#6b4a12"),
    "ORG": ("organisations", "#d6e8fb", "#1e4470"),
    "GPE": ("countries, cities, states", "#d4f0d9", "#1d5a2c"),
    "LOC": ("other places", "#c9efe9", "#175a52"),
    "NORP": ("nationalities, religious and political groups", "#ecdcf7", "#52306b"),
    "FAC": ("buildings, airports, roads", "#f2e3d3", "#5c4128"),
    "EVENT": ("events", "#fadbe6", "#6e2743"),
    "PRODUCT": ("products", "#e6e6c8", "#55552a"),
    "WORK_OF_ART": ("titles of works", "#f6d9d4", "#6a2f26"),
    "LAW": ("laws", "#dfe3ea", "#3c4555"),
    "LANGUAGE": ("languages", "#e0f3c8", "#43601c"),
}
_NUMERIC = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}
# What one mention is, in a tooltip: a reader knows "place", not "GPE".
_ONE = {
    "PERSON": "person", "ORG": "organisation", "GPE": "country, city or state", "LOC": "place",
    "NORP": "nationality or group", "FAC": "building, airport or road", "EVENT": "event", "PRODUCT": "product",
    "WORK_OF_ART": "title of a work", "LAW": "law", "LANGUAGE": "language", "DATE": "date", "TIME": "time",
    "PERCENT": "percentage", "MONEY": "amount of money", "QUANTITY": "quantity", "ORDINAL": "ordinal number",
    "CARDINAL": "number",
}

_CSS = """
:root { color-scheme: light dark; --bg: #fffdf8; --fg: #1d1d1f; --muted: #6b6b70;
  --rule: #e4e1d8; --quote-bg: #fff4c2; --quote-line: #d9a400; --link: #1a5fb4;
  --sea: #eef3f6; --land: #e2ddd0; --land-named: #cfe6d3; --coast: #b5ad9c; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #16171a; --fg: #e6e4df; --muted: #9a9aa2; --rule: #33353b;
    --quote-bg: #3a3318; --quote-line: #c79a1a; --link: #8ab4f8;
    --sea: #1c2328; --land: #34363a; --land-named: #2e4a36; --coast: #55585f; }
}
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 1.125rem/1.6 Georgia, "Times New Roman", serif; }
main { max-width: 40em; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0 0 .5rem; }
h2 { font-size: 1.25rem; margin: 2.5rem 0 .75rem; border-top: 1px solid var(--rule); padding-top: 1.5rem; }
.meta, .source, .legend, footer { color: var(--muted); font: .9rem/1.5 system-ui, sans-serif; }
.standfirst { font-size: 1.15rem; font-style: italic; margin-top: 0; }
ul.numbered { list-style: none; }
.source { overflow-wrap: anywhere; }
a { color: var(--link); }
article p { white-space: pre-line; margin: 0 0 1em; }
.quote { background: var(--quote-bg); box-shadow: inset 0 -2px var(--quote-line); }
.quote:not([data-speaker]) { box-shadow: inset 0 -2px var(--muted); }
.quote.unsure { background: none; box-shadow: none; border-bottom: 2px dotted var(--quote-line); }
.ent { border-radius: .2em; padding: 0 .1em; }
.ent-DATE, .ent-TIME, .ent-PERCENT, .ent-MONEY, .ent-QUANTITY, .ent-ORDINAL, .ent-CARDINAL {
  padding: 0; border-bottom: 1px dotted var(--muted); }
.legend ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .4rem 1rem; }
.panel li { margin: .3rem 0; }
.panel .count, .panel .aliases { color: var(--muted); font-size: .9em; }
svg.map { width: 100%; height: auto; border: 1px solid var(--rule); border-radius: .3em; }
svg.map .sea { fill: var(--sea); }
svg.map .land { fill: var(--land); stroke: var(--coast); stroke-width: .6; }
svg.map .land.named { fill: var(--land-named); }
svg.map .place { fill: #1d5a2c; stroke: var(--bg); stroke-width: 1.5; }
svg.map .label { fill: var(--fg); font: 12px system-ui, sans-serif; paint-order: stroke;
  stroke: var(--bg); stroke-width: 3px; }
.off-map { color: var(--muted); font: .9rem/1.5 system-ui, sans-serif; }
"""


class _Piece(NamedTuple):
    """One highlighted stretch inside a paragraph: a quote (or part of one) or an entity."""

    start: int
    end: int
    index: int  # type: ignore[assignment]  # into Reading.quotes or Reading.entities (shadows tuple.index)


def _label_class(label: str) -> str:
    return "ent-" + (re.sub(r"[^A-Za-z0-9_-]", "", label) or "X")


def _colour_css(labels: Iterable[str]) -> str:
    light = "".join(f".{_label_class(lb)} {{ background: {LABELS[lb][1]}; }}\n" for lb in labels if lb in LABELS)
    dark = "".join(f".{_label_class(lb)} {{ background: {LABELS[lb][2]}; }}\n" for lb in labels if lb in LABELS)
    return light + "@media (prefers-color-scheme: dark) {\n" + dark + "}\n"


def _text(value: str) -> str:
    """Untrusted text as HTML content: control characters dropped, markup characters escaped."""
    return escape(strip_control(value), quote=False)


def _attr(value: str) -> str:
    """Untrusted text as a double-quoted attribute value."""
    return escape(strip_control(value), quote=True)


def _quote_pieces(reading: Reading, paras: Sequence[tuple[int, int]]) -> list[list[_Piece]]:
    """Quotes cut at paragraph ends (a span cannot cross a <p>), without overlaps, per paragraph."""
    size = len(reading.article.text)
    per_para: list[list[_Piece]] = [[] for _ in paras]
    starts = [s for s, _ in paras]
    order = sorted(range(len(reading.quotes)), key=lambda i: reading.quotes[i].start)
    for i in order:
        q = reading.quotes[i]
        if not 0 <= q.start < q.end <= size:
            continue
        k = max(bisect_right(starts, q.start) - 1, 0)
        while k < len(paras) and paras[k][0] < q.end:
            lo, hi = max(q.start, paras[k][0]), min(q.end, paras[k][1])
            pieces = per_para[k]
            if lo < hi and (not pieces or pieces[-1].end <= lo):
                pieces.append(_Piece(lo, hi, i))
            k += 1
    return per_para


def _entity_pieces(
    reading: Reading, paras: Sequence[tuple[int, int]], quotes: list[list[_Piece]]
) -> list[list[_Piece]]:
    """Entities inside one paragraph, without overlaps; one that straddles a quote's edge is left out."""
    per_para: list[list[_Piece]] = [[] for _ in paras]
    starts = [s for s, _ in paras]
    order = sorted(range(len(reading.entities)), key=lambda i: (reading.entities[i].start, -reading.entities[i].end))
    for i in order:
        e = reading.entities[i]
        k = bisect_right(starts, e.start) - 1
        if k < 0 or not paras[k][0] <= e.start < e.end <= paras[k][1]:
            continue
        pieces = per_para[k]
        straddles = any(q.start < e.end and e.start < q.end and not (q.start <= e.start and e.end <= q.end)
                        for q in quotes[k])
        if not straddles and (not pieces or pieces[-1].end <= e.start):
            pieces.append(_Piece(e.start, e.end, i))
    return per_para


def _entity_html(text: str, e: Entity) -> str:
    label = strip_control(e.label)
    tip = _ONE.get(label, "name") + (f" · {e.ref}" if e.ref else "")
    ref = f' data-ref="{_attr(e.ref)}"' if e.ref else ""
    return f'<span class="ent {_label_class(label)}"{ref} title="{_attr(tip)}">{_text(text)}</span>'


def _with_entities(text: str, lo: int, hi: int, entities: Sequence[_Piece], reading: Reading) -> str:
    """text[lo:hi] with the entities that lie inside it marked up."""
    out, pos = [], lo
    for piece in entities:
        if lo <= piece.start and piece.end <= hi:
            out.append(_text(text[pos:piece.start]))
            out.append(_entity_html(text[piece.start:piece.end], reading.entities[piece.index]))
            pos = piece.end
    out.append(_text(text[pos:hi]))
    return "".join(out)


def _who(q: Quote) -> str:
    """The speaker as a tooltip says it: "probably …" when unsure, "(corrected)" when set by hand."""
    if q.corrected:
        return f"{q.speaker or 'unnamed source'} (corrected)"
    name = q.speaker or "speaker unknown"
    return name if q.sure else f"probably {name}"


def _quote_open(q: Quote, index: int, first: bool) -> str:
    anchor = f' id="q{index}"' if first else ""
    cls = "quote" if q.sure else "quote unsure"
    speaker = f' data-speaker="{_attr(q.speaker)}"' if q.speaker else ""
    corrected = ' data-corrected="true"' if q.corrected else ""
    confidence = f' data-confidence="{q.confidence:g}"' if q.confidence is not None else ""
    return (f'<span class="{cls}"{anchor} data-quote="{index}"{speaker}{corrected}{confidence}'
            f' title="{_attr(_who(q))}">')


def _paragraph(reading: Reading, span: tuple[int, int], quotes: list[_Piece], entities: list[_Piece],
               opened: set[int]) -> str:
    text = reading.article.text
    out, pos = [], span[0]
    for piece in quotes:
        out.append(_with_entities(text, pos, piece.start, entities, reading))
        out.append(_quote_open(reading.quotes[piece.index], piece.index, piece.index not in opened))
        opened.add(piece.index)
        out.append(_with_entities(text, piece.start, piece.end, entities, reading) + "</span>")
        pos = piece.end
    out.append(_with_entities(text, pos, span[1], entities, reading))
    return "".join(out).strip()


_NUMBERED = re.compile(r"\d{1,3}[.)] ")
# Each kind of block as HTML: its element, and the list element around a run of them.
_ELEMENTS = {"heading": ("h2", None), "list_item": ("li", "ul"), "blockquote": ("blockquote", None)}


def _body(reading: Reading) -> str:
    structure = reading.article.structure
    paras = [(b.start, b.end) for b in structure]
    quotes = _quote_pieces(reading, paras)
    entities = _entity_pieces(reading, paras, quotes)
    opened: set[int] = set()
    out: list[str] = []
    open_list = None
    for block, span, q, e in zip(structure, paras, quotes, entities):
        tag, around = _ELEMENTS.get(block.kind, ("p", None))
        if around and _NUMBERED.match(reading.article.text, block.start, block.end):
            around = 'ul class="numbered"'  # the number is in the item's text, as the page printed it
        if open_list and around != open_list:
            out.append(f"</{open_list.split()[0]}>")
            open_list = None
        if around and not open_list:
            out.append(f"<{around}>")
            open_list = around
        cls = ' class="standfirst"' if not out and reading.article.opens_with_standfirst else ""
        out.append(f"<{tag}{cls}>{_paragraph(reading, span, q, e, opened)}</{tag}>")
    if open_list:
        out.append(f"</{open_list.split()[0]}>")
    return "\n".join(out)


def _source_html(source: str) -> str:
    if re.match(r"https?://", source, re.IGNORECASE):
        return f'<a href="{_attr(source)}" rel="noreferrer noopener">{_text(source)}</a>'
    return _text(source)


def _legend(labels: Sequence[str], unsure: bool) -> str:
    """Each kind of highlight the page has, in its colours, named in words."""
    items = ['<li><span class="quote" title="a quote and its speaker">quote</span></li>']
    if unsure:
        items.append('<li><span class="quote unsure" title="a quote whose speaker is uncertain">'
                     "unsure who said it</span></li>")
    named: set[str] = set()
    order = list(LABELS)
    for label in sorted(labels, key=lambda lb: (lb in _NUMERIC, order.index(lb) if lb in LABELS else len(order), lb)):
        what = LABELS.get(label, ("numbers, dates, amounts" if label in _NUMERIC else "other names",))[0]
        if what not in named:
            named.add(what)
            items.append(f'<li><span class="ent {_label_class(label)}">{_text(what)}</span></li>')
    return '<nav class="legend" aria-label="Legend"><ul>' + "".join(items) + "</ul></nav>"


def _speakers(reading: Reading) -> str:
    rows = []
    for s in reading.speakers:
        valid = [i for i in s.quotes if 0 <= i < len(reading.quotes)]
        links = " ".join(_link(reading.quotes[i], i, n) for n, i in enumerate(valid, 1))
        noun = "quote" if len(valid) == 1 else "quotes"
        unsure = sum(not reading.quotes[i].sure for i in valid)
        corrected = sum(reading.quotes[i].corrected for i in valid)
        notes = [f"{unsure} unsure"] if unsure else []
        notes += [f"{corrected} corrected"] if corrected else []
        if notes:
            noun += f" ({', '.join(notes)})"
        cls = "PERSON" if s.kind == "person" else "ORG"
        aliases = f' <span class="aliases">also: {_text(", ".join(s.aliases))}</span>' if s.aliases else ""
        rows.append(f'<li><span class="ent {_label_class(cls)}">{_text(s.name)}</span>'
                    f' <span class="count">{len(valid)} {noun}</span> {links}{aliases}</li>')
    return '<section class="panel" id="speakers"><h2>Speakers</h2><ol>' + "".join(rows) + "</ol></section>" if rows else ""


def _link(q: Quote, index: int, number: int) -> str:
    """A speaker's quote as a link: "3?" for an unsure one; the tooltip says unsure or corrected."""
    if q.corrected:
        return f'<a href="#q{index}" title="corrected">{number}</a>'
    if not q.sure:
        return f'<a href="#q{index}" class="unsure" title="unsure">{number}?</a>'
    return f'<a href="#q{index}">{number}</a>'


def _places(reading: Reading) -> str:
    rows = []
    for p in reading.places:
        noun = "mention" if p.mentions == 1 else "mentions"
        aliases = f' <span class="aliases">also: {_text(", ".join(p.aliases))}</span>' if p.aliases else ""
        rows.append(f'<li><span class="ent {_label_class("GPE")}">{_text(p.name)}</span>'
                    f' <span class="count">{_text(p.kind)}, {p.mentions} {noun}</span>{aliases}</li>')
    if not rows:
        return ""
    missing = on_map(reading.places)[1]
    off = (f'<p class="off-map">Not on the map: {_text(", ".join(p.name for p in missing))}</p>'
           if missing and len(missing) < len(reading.places) else "")
    return ('<section class="panel" id="places"><h2>Places</h2>' + svg_map(reading.places) + off
            + "<ul>" + "".join(rows) + "</ul></section>")


def render_html(reading: Reading, *, saved: datetime | None = None) -> str:
    a = reading.article
    title = one_line(a.title) or one_line(a.source) or "Article"
    labels = sorted({strip_control(e.label) for e in reading.entities})
    meta = meta_line(a)
    saved_html = (f'<footer>Saved <time datetime="{_attr(saved.isoformat())}">{_text(saved.isoformat(timespec="minutes"))}'
                  "</time> by newsreader.</footer>") if saved else ""
    lines = [
        "<!DOCTYPE html>",
        f'<html lang="{_attr(one_line(a.language) or "en")}">',
        "<head>",
        '<meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="newsreader">',
        f"<title>{_text(title)}</title>",
        "<style>" + _CSS + _colour_css(LABELS) + "</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        f"<h1>{_text(title)}</h1>",
        f'<p class="meta">{_text(meta)}</p>' if meta else "",
        f'<p class="source">{_source_html(one_line(a.source) or "")}</p>',
        _legend(labels, any(not q.sure for q in reading.quotes)) if labels or reading.quotes else "",
        "</header>",
        "<article>",
        _body(reading),
        "</article>",
        _speakers(reading),
        _places(reading),
        saved_html,
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(line for line in lines if line) + "\n"
