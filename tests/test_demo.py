"""The bundled demo article against its hand-made gold: every quote found, every speaker right."""
from __future__ import annotations

import json
import re
import unicodedata

from paths import FIXTURES

from newsreader.pipeline import annotate, clean
from newsreader.samples import demo_page

GOLD = json.loads((FIXTURES / "demo_gold.json").read_text(encoding="utf-8"))


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub("[\u2018\u2019]", "'", re.sub("[\u201c\u201d]", '"', text))
    return re.sub(r"\s+", " ", text).strip().lower()


def test_demo_quotes_and_speakers_match_the_gold() -> None:
    reading = annotate(clean(demo_page()))
    names = {norm(n): s["name"] for s in GOLD["speakers"] for n in [s["name"], *s["aliases"]]}
    found = {norm(q.text): names.get(norm(q.speaker or "")) for q in reading.quotes}
    expected = {norm(q["text"]): q["speaker"] for q in GOLD["quotes"]}
    assert found == expected
    assert {s.name for s in reading.speakers} == {s["name"] for s in GOLD["speakers"]}
    for fragment in GOLD["must_not_contain"]:
        assert norm(fragment) not in norm(reading.article.text)
