"""Article → Reading: entities, quotes, speakers and places, with spaCy."""
from __future__ import annotations

from newsreader.nlp.annotate import annotate

__all__ = ["annotate"]
