"""Plain text: title, one metadata line, the source, then the paragraphs as written."""
from __future__ import annotations

from datetime import datetime

from newsreader.export._common import meta_line, one_line, paragraphs
from newsreader.model import Reading


def render_text(reading: Reading, *, saved: datetime | None = None) -> str:
    """Paragraphs stay unwrapped (one line each) so any viewer can wrap them to its width."""
    a = reading.article
    head = [line for line in (one_line(a.title), meta_line(a), one_line(a.source)) if line]
    return "\n".join(head) + "\n\n" + "\n\n".join(paragraphs(a)) + "\n"
