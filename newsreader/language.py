"""The language of a text, as a BCP 47 code ("en", "de", "zh").

py3langid's model (97 languages, a few milliseconds) reads a bounded sample of the
text, so a long article costs no more than a short one; text whose running words are
plainly English is told without loading the model.  A text too short to judge,
or one the model is unsure of, has no language (None) rather than a guess.
"""
from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["detect_language", "language_name"]

_SAMPLE = 800  # characters read: enough for a confident answer, bounded for speed
_MIN_LETTERS = 20  # fewer letters than this say nothing about a language
_MIN_CONFIDENCE = 0.5  # py3langid's normalised probability


# English function words no other language uses as words of its own: where they make a
# tenth of the running words, the text is English, and the model (whose load takes most
# of a second) is not needed to say so.
_ENGLISH = frozenset(
    "the and of to that with for was were said has have this from which would their they been will are "
    "its his her who not but".split()
)
_ENGLISH_SHARE = 0.1
_MIN_WORDS = 20
_WORDS = re.compile(r"[^\W\d_]+")


def detect_language(text: str) -> str | None:
    """The language ``text`` is written in, or None when it cannot be told."""
    sample = text[:_SAMPLE]
    if sum(map(str.isalpha, sample)) < _MIN_LETTERS:
        return None
    words = _WORDS.findall(sample.casefold())
    if len(words) >= _MIN_WORDS and sum(w in _ENGLISH for w in words) >= _ENGLISH_SHARE * len(words):
        return "en"
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
