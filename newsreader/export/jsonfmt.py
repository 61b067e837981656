"""The "newsreader/1" JSON contract: Reading ⇄ dict."""
from __future__ import annotations

import json
import re
from typing import Any

from newsreader.model import Article, Block, Entity, Place, Quote, Reading, Span, Speaker
from newsreader.safety import CONTROL_RANGES, char_class

SCHEMA = "newsreader/1"


def to_dict(reading: Reading) -> dict[str, Any]:
    a = reading.article
    partial = {} if reading.annotated_to is None else {"annotated_to": reading.annotated_to}
    return {
        "schema": SCHEMA,
        "source": a.source,
        "title": a.title,
        "byline": a.byline,
        "site": a.site,
        "date": a.date,
        "standfirst": a.standfirst,
        "language": a.language,
        "text": a.text,
        "blocks": [{"start": b.start, "end": b.end, "kind": b.kind} for b in a.structure],
        "entities": [
            {"start": e.start, "end": e.end, "text": e.text, "label": e.label, "ref": e.ref}
            for e in reading.entities
        ],
        "quotes": [
            {
                "start": q.start,
                "end": q.end,
                "text": q.text,
                "speaker": q.speaker,
                "mention": (
                    {"start": q.mention.start, "end": q.mention.end, "text": q.mention.text}
                    if q.mention
                    else None
                ),
                "confidence": q.confidence,
                "rule": q.rule,
                "corrected": q.corrected,
            }
            for q in reading.quotes
        ],
        "speakers": [
            {"name": s.name, "aliases": list(s.aliases), "kind": s.kind, "quotes": list(s.quotes),
             "gender": s.gender, "gender_source": s.gender_source}
            for s in reading.speakers
        ],
        "places": [
            {"name": p.name, "aliases": list(p.aliases), "kind": p.kind, "mentions": p.mentions,
             "lat": p.lat, "lon": p.lon, "country": p.country, "geonameid": p.geonameid}
            for p in reading.places
        ],
        **partial,  # additive: only when annotation stopped before the end of the text
    }


def from_dict(d: dict[str, Any]) -> Reading:
    """Rebuild a Reading from its JSON form (a saved copy opens without re-annotation).

    Fields added to the contract later are optional, so copies saved before them still open.
    """
    if d.get("schema") != SCHEMA:
        raise ValueError(f"not a {SCHEMA} document (schema: {d.get('schema')!r})")
    blocks = tuple(Block(b["start"], b["end"], b.get("kind", "paragraph")) for b in d.get("blocks") or ())
    article = Article(
        source=d["source"], title=d.get("title"), byline=d.get("byline"),
        site=d.get("site"), date=d.get("date"), text=d["text"],
        standfirst=d.get("standfirst"), language=d.get("language"),
        blocks=() if all(b.kind == "paragraph" for b in blocks) else blocks,
    )
    return Reading(
        article=article,
        entities=tuple(Entity(e["start"], e["end"], e["text"], e["label"], e.get("ref")) for e in d["entities"]),
        quotes=tuple(
            Quote(q["start"], q["end"], q["text"], q.get("speaker"),
                  Span(**q["mention"]) if q.get("mention") else None,
                  q.get("confidence"), q.get("rule"), bool(q.get("corrected", False)))
            for q in d["quotes"]
        ),
        speakers=tuple(
            Speaker(s["name"], tuple(s.get("aliases", ())), s.get("kind", "person"), tuple(s.get("quotes", ())),
                    s.get("gender"), s.get("gender_source"))
            for s in d["speakers"]
        ),
        places=tuple(
            Place(p["name"], tuple(p.get("aliases", ())), p.get("kind", "place"), p.get("mentions", 0),
                  p.get("lat"), p.get("lon"), p.get("country"), p.get("geonameid"))
            for p in d["places"]
        ),
        annotated_to=d.get("annotated_to"),
    )


# Characters JSON may hold raw but a terminal could act on (safety's set beyond C0, which
# json.dumps escapes itself, plus the line and paragraph separators): written as \uXXXX
# escapes, so the data is unchanged. C0 stays out: the indentation's newlines are real.
_UNSAFE = re.compile(char_class((*(r for r in CONTROL_RANGES if r[0] > 0x1F), (0x2028, 0x2029))))


def render_json(reading: Reading, **_: Any) -> str:
    text = json.dumps(to_dict(reading), ensure_ascii=False, indent=1)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"
