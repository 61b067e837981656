"""Markdown with YAML front matter.

The body must read as written once rendered: text that happens to look like
Markdown (a paragraph starting "1." or "#", a word in *stars*, an HTML tag) is
escaped, and nothing else is, so the file stays pleasant to read as plain text.
"""
from __future__ import annotations

import json
import re
from datetime import datetime

from newsreader.export._common import blocks, join_blocks, one_line
from newsreader.export.annotations import place_rows, plural, quote_rows, speaker_rows
from newsreader.model import Reading
from newsreader.safety import CONTROL_RANGES, char_class

# Characters a YAML double-quoted scalar may not hold raw (non-printable, or line
# breaks YAML would fold) and those a terminal would act on (safety's set); JSON
# escaping already covers C0 controls, quotes and "\".
_YAML_UNSAFE = re.compile(char_class((
    *(r for r in CONTROL_RANGES if r[0] > 0x1F),
    (0x2028, 0x2029), (0xFEFF, 0xFEFF), (0xFFFE, 0xFFFF), (0xD800, 0xDFFF),
)))

# Inline syntax: emphasis, code, links/images, raw HTML/autolinks, escapes, strikethrough.
_INLINE = re.compile(r"[\\`*\[\]<~]")
# "_" opens or closes emphasis only when not inside a word (snake_case stays as is).
_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
# "&" followed by something a renderer would read as a character reference.
_ENTITY = re.compile(r"&(?=#?\w+;)")
# At the start of a line: headings, block quotes, list bullets, setext underlines, tables.
_LINE_START = re.compile(r"^([#>+=|-])")
# An ordered list marker: digits then "." or ")" then a space or the end of the line.
_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
# A closing "#" sequence would be dropped from an ATX heading.
_TRAILING_HASHES = re.compile(r"(\s)(#+)$")


def yaml_str(value: str | None) -> str:
    """A YAML scalar for ``value``: null, or a double-quoted string no title can break."""
    if value is None:
        return "null"
    quoted = json.dumps(value, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def escape_inline(text: str) -> str:
    """Backslash-escape the characters that would start inline Markdown syntax."""
    text = _INLINE.sub(lambda m: "\\" + m.group(), text)
    text = _UNDERSCORE.sub(r"\\_", text)
    return _ENTITY.sub(r"\\&", text)


def escape_line(line: str) -> str:
    """Escape one line of a paragraph so it cannot become a heading, list, quote or code."""
    line = escape_inline(line.lstrip(" \t"))
    line = _LINE_START.sub(r"\\\1", line)
    return _ORDERED.sub(r"\1\\\2", line)


def escape_paragraph(text: str) -> str:
    """A paragraph as Markdown; its single line breaks become hard breaks."""
    lines = [escape_line(line) for line in text.split("\n")]
    return "\\\n".join(line.rstrip() for line in lines if line.strip())


def _heading(title: str, level: int = 1) -> str:
    line = "#" * level + " " + escape_inline(title)
    return _TRAILING_HASHES.sub(lambda m: m.group(1) + "\\" + m.group(2), line)


def render_markdown(reading: Reading, *, saved: datetime | None = None) -> str:
    a = reading.article
    front = {
        "title": one_line(a.title) or None,
        "byline": one_line(a.byline) or None,
        "site": one_line(a.site) or None,
        "date": one_line(a.date) or None,
        "standfirst": one_line(a.standfirst) or None,
        "language": one_line(a.language) or None,
        "source": one_line(a.source) or None,
        "saved": saved.isoformat(timespec="seconds") if saved else None,
    }
    out = ["---", *(f"{key}: {yaml_str(value)}" for key, value in front.items()), "---", ""]
    if front["title"]:
        out += [_heading(front["title"]), ""]
    rendered = [(md, kind) for text, kind in blocks(a) if (md := _block(text, kind))]
    if a.opens_with_standfirst and rendered:
        rendered[0] = (f"*{rendered[0][0]}*", rendered[0][1])  # the deck, set off as the page sets it
    body = join_blocks(rendered)
    return "\n".join(out) + "\n" + body + "\n" + _annotations(reading)


def _block(text: str, kind: str) -> str:
    """One block as Markdown: a heading one level under the title, a list item, a quote."""
    if kind == "heading":
        return _heading(" ".join(text.split()), level=2)
    if kind == "list_item":
        number = _ORDERED.match(text)
        if number:
            return f"{number.group(1)}{number.group(2)} " + escape_paragraph(text[number.end():].lstrip())
        return "- " + escape_paragraph(text)
    if kind == "blockquote":
        return "\n".join("> " + line for line in escape_paragraph(text).split("\n"))
    return escape_paragraph(text)


def _annotations(reading: Reading) -> str:
    """After the article: "Quotes", "Speakers" and "Places" sections, those the reading has."""
    sections = []
    if quotes := quote_rows(reading):
        lines = [f"- **{escape_inline(q.speaker)}**{f' ({q.marker})' if q.marker else ''}: "
                 f"“{escape_inline(q.text)}”" for q in quotes]
        sections.append(("Quotes", lines))
    if speakers := speaker_rows(reading):
        sections.append(("Speakers", [f"- {escape_inline(s.name)}{f' ({s.kind})' if s.kind else ''}: "
                                      f"{plural(s.count, 'quote')}" for s in speakers]))
    if places := place_rows(reading):
        sections.append(("Places", [f"- {escape_inline(p.name)}{f' ({escape_inline(p.kind)})' if p.kind else ''}: "
                                    f"{plural(p.count, 'mention')}" for p in places]))
    return "".join(f"\n## {title}\n\n" + "\n".join(lines) + "\n" for title, lines in sections)
