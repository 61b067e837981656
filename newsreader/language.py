"""The language of a text, as a BCP 47 code ("en", "de", "zh").

py3langid's model (97 languages, a few milliseconds) reads a bounded sample of the
text, so a long article costs no more than a short one.  A text too short to judge,
or one the model is unsure of, has no language (None) rather than a guess.
"""
from __future__ import annotations

from functools import lru_cache

__all__ = ["detect_language", "language_name"]

_SAMPLE = 800  # characters read: enough for a confident answer, bounded for speed
_MIN_LETTERS = 20  # fewer letters than this say nothing about a language
_MIN_CONFIDENCE = 0.5  # py3langid's normalised probability


def detect_language(text: str) -> str | None:
    """The language ``text`` is written in, or None when it cannot be told."""
    sample = text[:_SAMPLE]
    if sum(ch.isalpha() for ch in sample) < _MIN_LETTERS:
        return None
    code, confidence = _identifier().classify(sample)
    return str(code) if confidence >= _MIN_CONFIDENCE else None


@lru_cache(maxsize=1)
def _identifier():  # type: ignore[no-untyped-def]
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def language_name(code: str | None) -> str:
    """The English name of a language code ("de" → "German"), or the code itself."""
    import pycountry

    found = pycountry.languages.get(alpha_2=(code or "").split("-")[0]) if code else None
    return found.name if found is not None else (code or "an unknown language")
