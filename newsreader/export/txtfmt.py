"""Plain text: title, one metadata line, the source, the paragraphs as written (the
standfirst first, list items with their bullet or number), then the quotes, speakers and
places."""
from __future__ import annotations

import re
from datetime import datetime

from newsreader.export._common import blocks, join_blocks, meta_line, one_line
from newsreader.export.annotations import place_rows, plural, quote_rows, speaker_rows
from newsreader.model import Reading

_NUMBERED = re.compile(r"\d{1,3}[.)] ")


def render_text(reading: Reading, *, saved: datetime | None = None) -> str:
    """Paragraphs stay unwrapped (one line each) so any viewer can wrap them to its width."""
    a = reading.article
    head = [line for line in (one_line(a.title), meta_line(a), one_line(a.source)) if line]
    body = join_blocks([(_bulleted(text) if kind == "list_item" else text, kind) for text, kind in blocks(a)])
    return "\n".join(head) + "\n\n" + body + "\n" + _annotations(reading)


def _bulleted(text: str) -> str:
    """A list item as printed: its own number ("2. "), or a bullet."""
    return text if _NUMBERED.match(text) else f"• {text}"


def _annotations(reading: Reading) -> str:
    """After the article: "Quotes", "Speakers" and "Places" sections, those the reading has."""
    sections = []
    if quotes := quote_rows(reading):
        sections.append(("Quotes", [f"{q.speaker}{f' ({q.marker})' if q.marker else ''}: “{q.text}”" for q in quotes]))
    if speakers := speaker_rows(reading):
        sections.append(("Speakers", [f"{s.name}{f' ({s.kind})' if s.kind else ''}: {plural(s.count, 'quote')}"
                                      for s in speakers]))
    if places := place_rows(reading):
        sections.append(("Places", [f"{p.name}{f' ({p.kind})' if p.kind else ''}: {plural(p.count, 'mention')}"
                                    for p in places]))
    return "".join(f"\n{title}\n{'-' * len(title)}\n" + "\n".join(lines) + "\n" for title, lines in sections)
