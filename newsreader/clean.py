"""Page → Article: the article's words, without the page around them.

HTML goes through trafilatura, which finds the main text and the metadata.
Plain text (a pasted article) goes through our own cleaner, which rebuilds the
paragraphs and takes the headline off the top.  A standfirst (the deck under the
headline) opens the body and is named in ``Article.standfirst``.

Both paths end in the same boilerplate filter: one set of rules for the
appeals, prompts, share and copyright lines, related-story teasers and labels
that extraction (or a careless paste) leaves among the paragraphs.  The rules
only judge short paragraphs, so a real paragraph that merely mentions
"newsletter" or "copyright" survives.

Every step is a single pass over the text or over the paragraphs, and each
rule looks at a bounded length of text, so the cost grows linearly with the
input.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # trafilatura and lxml load only when a page is HTML (the reader starts faster)
    from lxml import etree
    from trafilatura.settings import Document

from newsreader.errors import CleanError
from newsreader.language import detect_language
from newsreader.model import Article, Block, BlockKind, Page
from newsreader.safety import source_label, strip_control, strip_invisible
from newsreader.sitename import site_name

__all__ = ["clean", "explain"]


def clean(page: Page) -> Article:
    """Turn a loaded page into a clean article.

    Raises CleanError when the page holds no article text.
    """
    draft = _clean_html(page) if page.kind == "html" else _clean_text(page)
    return _finish(page, draft)


@dataclass(frozen=True)
class _Draft:
    """What a cleaner found, before the last safety pass."""

    title: str | None
    byline: str | None
    site: str | None
    date: str | None
    pieces: list[_Piece]
    too_deep: bool = False  # the parser stopped at its nesting limit, dropping the rest of the page
    standfirst: str | None = None


@dataclass(frozen=True)
class _Piece:
    """One paragraph of the body and what it is on the page (a heading, a list item…).

    Its text is on one line and never empty (:func:`_normalise`).  ``linked`` is the
    share of its text that is the text of one link on the page: a teaser for another
    story is mostly one headline link.
    """

    text: str
    kind: BlockKind = "paragraph"
    linked: float = 0.0


def _finish(page: Page, draft: _Draft) -> Article:
    """Make every field safe to show, and refuse a page with no text."""
    pieces = [(piece.text, piece.kind) for piece in _tidy(tuple(draft.pieces))]
    standfirst = _optional(draft.standfirst)
    if standfirst:  # the deck is article text: it opens the body (and may hold a quote)
        pieces.insert(0, (standfirst, "paragraph"))
    if not pieces:
        why = (f": the page is nested too deeply (more than {_MAX_DEPTH - 1} levels of tags)"
               if draft.too_deep else "")
        raise CleanError(f"no article text found in {source_label(page.source)}{why}")
    return Article(
        source=strip_control(page.source),
        title=_optional(draft.title),
        byline=_optional(draft.byline),
        site=_optional(draft.site),
        date=_optional(draft.date),
        text="\n\n".join(text for text, _ in pieces),
        standfirst=standfirst,
        language=detect_language(" ".join(text for text, _ in pieces)),
        blocks=_blocks(pieces),
    )


def explain(page: Page) -> list[tuple[str, BlockKind, str | None]]:
    """Every paragraph the cleaner saw, its kind, and the rule that dropped it (None: kept).

    For measuring the rules (``bench/clean_rules.py``); :func:`clean` keeps the Nones.
    """
    draft = _clean_html(page) if page.kind == "html" else _clean_text(page)
    return [(piece.text, piece.kind, rule) for piece, rule in _judge(draft.pieces)]


def _blocks(pieces: list[tuple[str, BlockKind]]) -> tuple[Block, ...]:
    """The offsets of each piece in the joined text; none when every piece is a plain paragraph."""
    if all(kind == "paragraph" for _, kind in pieces):
        return ()
    out, pos = [], 0
    for text, kind in pieces:
        out.append(Block(pos, pos + len(text), kind))
        pos += len(text) + 2
    return tuple(out)


def _optional(value: str | None) -> str | None:
    """A metadata field made safe, or None when nothing is left of it."""
    if value is None:
        return None
    return _normalise(strip_control(value)) or None


_SPACES = re.compile(r"\s+")


def _normalise(text: str) -> str:
    """One paragraph on one line: whitespace runs (hard breaks, no-break spaces) become one space.

    Quote marks, apostrophes and dashes are kept exactly as printed; invisible characters
    go (:func:`newsreader.safety.strip_invisible`), and text decoded with the wrong
    character set somewhere upstream is put right (:func:`_repaired`).
    """
    return _SPACES.sub(" ", strip_invisible(_repaired(text))).strip()


# The first characters of UTF-8 read as Latin-1 or Windows-1252 ("Ã©", "â€™", "Â "), also
# with the accent split off ("A" and a combining tilde): only such text is looked at closely.
_SUSPECT = re.compile("[\u00c2\u00c3\u00c4\u00c5\u00ce\u00cf\u00d0\u00d1\u00d7\u00d8\u00d9\u00e2]|[AEIOUaeiou][\u0302\u0303]")


def _repaired(text: str) -> str:
    """``text`` with mojibake undone ("FranÃ§ois" → "François") by ftfy, the library that
    knows how text gets garbled; other text exactly as it was."""
    if not _SUSPECT.search(text):
        return text
    from ftfy import fix_encoding  # (only here: it takes a tenth of a second to import)
    from ftfy.badness import is_bad

    composed = unicodedata.normalize("NFC", text)
    return fix_encoding(composed) if is_bad(composed) else text


def _same_words(a: str, b: str) -> bool:
    """True when two strings say the same words, whatever their case, quotes or spacing."""
    return _word_key(a) == _word_key(b)


def _word_key(text: str) -> str:
    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold()))


# --------------------------------------------------------------------------------------
# Boilerplate rules: one set, used by the HTML and the plain-text paths alike.
# --------------------------------------------------------------------------------------


class _Verdict(Enum):
    KEEP = 0
    WEAK = 1  # looks like boilerplate; dropped only beside other boilerplate or at an end
    DROP = 2  # boilerplate wherever it stands


_MAX_BOILERPLATE = 700  # a paragraph longer than this is always article text
_MAX_STRONG = 300  # strong keyword rules judge only paragraphs up to this length
_MAX_LINK = 200  # teasers and captions are short

# A whole short paragraph that is a widget label: "Comments", "Share this story", "Read more:".
_LABEL = re.compile(
    r"""^(?:
        \d*\s*comments?(?:\s*\(\d+\))? | (?:show|view|hide|load)\s+(?:all\s+)?comments |
        advertisement | advert | sponsored(?:\s+(?:content|links|stories))? |
        (?:recommended|related|more|top|trending|popular|latest|featured|promoted)\s+
            (?:stories|articles|content|coverage|news|videos|topics|links|reads?|for\s+you|now) |
        related | recommended | recommended\s+by\s+\S+ | trending | more |
        most\s+(?:read|popular|viewed|shared|watched)(?:\s+in\s+.{1,30})? |
        more\s+(?:in|from|on|about)\s+.{1,40} | up\s+next | don'?t\s+miss |
        you\s+(?:may|might)\s+(?:also\s+)?(?:like|be\s+interested\s+in) | also\s+read | read\s+also |
        (?:read|see|watch)\s+(?:more|next|also|this\s+next|the\s+rest|the\s+full\s+\w+|more\s+about\s+this)
            (?:\s+(?:here|below|of\s+(?:this|his|her|their|the)\s+\w+))? |
        (?:skip|jump)\s+to\s+(?:the\s+)?(?:main\s+)?(?:content|navigation|article) |
        accessibility\s+(?:help|links) | back\s+to\s+top |
        (?:privacy|cookie)\s+(?:notice|policy|settings|preferences) |
        terms\s+(?:of\s+(?:use|service)|and\s+conditions) |
        print(?:\s+this)?(?:\s+(?:article|page|story))? |
        e-?mail(?:\s+this)?(?:\s+(?:article|story|page))? |
        copy\s+link.* | (?:close\s+)?(?:extra\s+)?sharing\s+options | share |
        (?:click\s+to\s+)?share\s+(?:this|on|via|the\s+story|the\s+article)\b.* |
        follow\s+us(?:\s+on\s+.{1,40})? | tweets\s+by\s+@\w+ | loading |
        from\s+the\s+section\s+.{1,40} | topics | tags
    )[\s\W]*$""",
    re.IGNORECASE | re.VERBOSE,
)
# "Newsday on Facebook", "Follow The Times on Twitter".
_SOCIAL = re.compile(
    r"^[\w .&'’-]{1,40}\s+on\s+(?:facebook|twitter|x|instagram|youtube|linkedin|whatsapp|tiktok|"
    r"telegram|flipboard|pinterest|reddit|threads|bluesky)\W*$",
    re.IGNORECASE,
)
# A link to another story: "SEE MORE: Hong Kong protests…", "Video: …", "More AP NBA: https://…".
_LINK_PREFIX = re.compile(
    r"^(?:see\s+more|read\s+more|read\s+next|read\s+also|also\s+read|related|recommended|more|"
    r"don'?t\s+miss|must\s+read|editor'?s\s+picks?|watch|listen|video|gallery|photos?|pictures?|"
    r"images?|slideshow|podcast|sponsored|advertisement|more\s+[\w ]{1,30})\s*[:|>»]\s*\S",
    re.IGNORECASE,
)
# A teaser tagged like "China furious at Macron … [INSIGHT]" or a note wholly in brackets.
_TAGGED = re.compile(r"\[[A-Z][A-Z ]{2,20}\][\s|]*$|^\[[^\[\]]{3,}\]$")
_COPYRIGHT = re.compile(
    r"(?:^|\s)©\s*(?:\d{4}|[A-Z])|\(c\)\s*\d{4}|\bcopyright\s*(?:©|\(c\))?\s*\d{4}|"
    r"\ball\s+rights\s+reserved\b|"
    r"^(?:image|photo|picture|video)\s+(?:copyright|caption|credit|source)\b|"
    r"\brecaptcha\b|\bcomments\s+powered\s+by\b|\bpowered\s+by\s+disqus\b",
    re.IGNORECASE,
)
_CAPTION = re.compile(
    r"^\(?(?:photo|image|picture|credit)s?\s*(?:by\b|:|/)|\bgetty\s+images\b|\bshutterstock\b|"
    r"\bap\s+photo/",
    re.IGNORECASE,
)
# Lines that are only an address, a link, a separator ("___", "* * *") or an all-caps label ("FULL TEXT.").
_BARE = re.compile(r"^[\W_]*$|^[A-Z][A-Z'’&-]*(?:\s[A-Z][A-Z'’&-]*)?[.:]$")
# … and an address or a link alone: a contact line at the end, a reference in the text.
_ADDRESS_LINE = re.compile(r"^(?:e-?mail:?\s*)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+$|^(?:https?://|www\.)\S+$")

# An appeal to the reader: a topic (support, subscribe, newsletter, comments…) …
_APPEAL_TOPIC = re.compile(
    r"\b(?:donat\w*|subscri\w*|sign(?:ing)?[- ]?(?:up|in)|log[- ]?in|register\b|registration|"
    r"newsletters?|inbox|"
    r"news\s+alerts?|alerts|notifications?|unlimited\s+access|paywalls?|premium|"
    r"your\s+(?:support|donation|contribution|browser|e-?mail|comments?|account|privacy)|"
    r"support\s+(?:us|our|independent|quality|local)\b|"
    r"join\s+(?:\S+\s+){0,3}(?:conversations?|discussions?|debates?|community|forum)|"
    r"commenting|comments?\s+(?:form|section|policy|below|are\s+closed)|commenters?|"
    r"(?:click|tap)\s+(?:here|to|on)|download\s+(?:the|our)\s+(?:[\w-]+\s+){0,3}app|"
    r"follow\s+(?:us|other)|privacy\s+policy|terms\s+of\s+(?:use|service)|(?:use|accept)\s+cookies|"
    r"cookie\s+(?:policy|settings))\b",
    re.IGNORECASE,
)
# … addressed to them: "you", "please", or an imperative opening.
_IMPERATIVE = re.compile(
    r"^(?:please\s+|now\s+)?(?:sign|subscribe|register|log|join|click|tap|follow|download|get|read|"
    r"watch|listen|share|support|donate|give|help|become|use|let|see|visit|enter|like|send|tell|check|"
    r"stay|keep|call|contact|find|try|turn|enable|allow|accept|manage|continue|already|want|never|"
    r"don't|do)\b",
    re.IGNORECASE,
)
_ADDRESS = re.compile(r"\b(?:you|your|yours|yourself|you're|you’re|please)\b", re.IGNORECASE)
# The publication speaking for itself about its journalism ("we need reporters on the ground").
_WE = re.compile(r"\b(?:[Ww]e|[Oo]ur|us)\b")
_JOURNALISM = re.compile(
    r"\b(?:journalis\w+|reporters?|reporting|newsroom|paywalls?|documentar\w+|coverage|subscri\w+|"
    r"donat\w+|advertis\w+|on\s+the\s+ground|this\s+(?:story|article)|independent\s+news)\b",
    re.IGNORECASE,
)
# "By Jane Doe", "Tribune Staff Reporter".
_BYLINE = re.compile(
    r"^(?i:by)\s+[A-Z][\w.'’-]*(?:\s+[A-Za-z][\w.'’-]*){0,4}$|"
    r"^(?i:(?:[\w.]+\s+){0,4}(?:staff\s+|senior\s+|chief\s+)?(?:reporter|writer|correspondent|editor)s?)$",
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
# A line that is only a date stamp: "24 July 2015", "Updated: Nov. 19, 2019 5:30 pm".
_DATE_LINE = re.compile(
    r"^(?:(?:published|updated|posted|last\s+updated)(?:\s+on)?\s*:?\s*)?(?:\w+day,?\s+)?"
    rf"(?:\d{{1,2}}\s+{_MONTH}\s+\d{{4}}|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
    r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)?$",
    re.IGNORECASE,
)
_DOUBLE_QUOTES = re.compile("[\"“”„«»]|''")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_WORD = re.compile(r"\w+")
_BULLET = re.compile(r"^[-•*]\s+")


@lru_cache(maxsize=4096)  # the paragraphs judged while choosing an extraction come again
def _classify(piece: _Piece) -> tuple[_Verdict, str | None]:
    """Whether a piece is boilerplate, and by which rule, looking only at the piece itself."""
    text = _BULLET.sub("", piece.text)
    if len(text) > _MAX_BOILERPLATE:
        return _Verdict.KEEP, None
    rule = _strong(text)
    if rule is None and piece.linked >= _MIN_LINKED and len(text) <= _MAX_LINK and piece.kind == "paragraph":
        rule = "link teaser"
    if rule:
        return _Verdict.DROP, rule
    rule = _weak(text, piece.kind, listed=len(text) < len(piece.text))
    return (_Verdict.WEAK, rule) if rule else (_Verdict.KEEP, None)


_MIN_LINKED = 0.6  # a paragraph this much one link's text is a teaser for another page


def _strong(text: str) -> str | None:
    """The rule, safe to apply anywhere in the article, that finds ``text`` boilerplate.

    Each rule of :data:`_STRONG_RULES` judges text up to its length limit, first match wins.
    """
    for name, limit, test in _STRONG_RULES:
        if len(text) <= limit and test(text):
            return name
    return None


def _appeal(text: str) -> bool:
    """An appeal to the reader: a topic (support, subscribe…) addressed to them, unquoted."""
    addressed = bool(_ADDRESS.search(text) or _IMPERATIVE.match(text))
    return addressed and not _DOUBLE_QUOTES.search(text) and bool(_APPEAL_TOPIC.search(text))


def _repeats_itself(text: str) -> bool:
    """The same headline twice in a row, as teaser cards print it (title, then alt text)."""
    again = text.find(text[:15], 15)
    return again > 0 and text[again:].startswith(text[:again].rstrip())


_ANY = 10**9
_STRONG_RULES: tuple[tuple[str, int, Callable[[str], object]], ...] = (
    ("separator or label", _ANY, _BARE.match),
    ("date stamp", _ANY, _DATE_LINE.match),
    ("widget label", _MAX_STRONG, _LABEL.match),
    ("social follow", _MAX_STRONG, _SOCIAL.match),
    ("copyright", _MAX_STRONG, _COPYRIGHT.search),
    ("link prefix", _MAX_LINK, _LINK_PREFIX.match),
    ("tagged teaser", _MAX_LINK, _TAGGED.search),
    ("photo credit", _MAX_LINK, _CAPTION.search),
    ("repeated headline", _MAX_STRONG, _repeats_itself),
    ("appeal to the reader", _MAX_STRONG, _appeal),
)


def _weak(text: str, kind: BlockKind, listed: bool) -> str | None:
    """The rule that holds only near other boilerplate or at the ends of the article.

    Headings and list items are never bare headings: the page marked them as what they
    are, and a list may end an article.
    """
    if _BYLINE.match(text):
        return "byline"
    if _ADDRESS_LINE.match(text):
        return "bare address or link"
    if _DOUBLE_QUOTES.search(text):
        return None
    if kind == "paragraph" and not listed and _bare_heading(text):
        return "bare heading"  # "Kenya trip", a related headline, "Contributing: …"
    if _WE.search(text) and _JOURNALISM.search(text):
        return "publisher's appeal"
    # Instructions to the reader: "Stay alert … If you think you have the virus, call …"
    if _IMPERATIVE.match(text) and len(_ADDRESS.findall(text)) >= 2:
        return "instructions to the reader"
    return None


# Sentence ends in the scripts that mark them: Latin, CJK, Devanagari, Arabic, Armenian, Ethiopic.
_ANY_SENTENCE_END = re.compile(r"[.!?…。！？｡।॥؟۔։።][\"'”’)\]」』）]*$")


def _bare_heading(text: str) -> bool:
    """A short line that ends no sentence and introduces nothing.

    Words are counted so that a script without spaces counts each character as a
    word would be, and a line ending in ":" leads into what follows.
    """
    if _ANY_SENTENCE_END.search(text) or text.endswith((":", "：")):
        return False
    words = len(_WORD.findall(text))
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")
    return words + wide <= 12


# A sentence glued to the next one with no space: "…makes all the difference.It is clear".
_GLUED = re.compile(r"(?<=[a-z][.!?])(?=[“‘\"']?[A-Z])")


def _split_glued(piece: _Piece) -> list[_Piece]:
    """Cut a boilerplate sentence glued to the start or end of a paragraph into its own piece.

    A glued sentence that is not boilerplate stays where it is, untouched.
    """
    paragraph = piece.text
    cuts = [m.start() for m in _GLUED.finditer(paragraph)]
    if not cuts:
        return [piece]
    start, end = 0, len(paragraph)
    if cuts[0] <= _MAX_STRONG and _strong(paragraph[: cuts[0]]):
        start = cuts[0]
    if cuts[-1] > start and end - cuts[-1] <= _MAX_STRONG and _strong(paragraph[cuts[-1] :]):
        end = cuts[-1]
    if (start, end) == (0, len(paragraph)):
        return [piece]
    parts = (paragraph[:start], paragraph[start:end], paragraph[end:])
    return [_Piece(part, piece.kind) for part in parts if part]


def _judge(pieces: list[_Piece] | tuple[_Piece, ...]) -> list[tuple[_Piece, str | None]]:
    """Each piece with the rule that makes it boilerplate, or None for article text.

    Strong boilerplate goes wherever it is.  A weak one goes when a neighbour
    goes (boilerplate comes in runs), with the start and the end of the article
    counting as gone, so trailing prompts and leading bylines are trimmed.
    Two sweeps reach the fixed point: a drop only ever enables its neighbour.
    Last, a heading or a lead-in ("Read more:") with nothing of the article after it
    introduces nothing and goes too.
    """
    items = _attach_datelines([part for piece in pieces for part in _split_glued(piece)])
    verdicts = _long_runs_kept([_classify(p) for p in items])
    rules = [rule if verdict is _Verdict.DROP else None for verdict, rule in verdicts]
    last = len(items) - 1
    prose = any(verdict is _Verdict.KEEP for verdict, _ in verdicts)  # else labels are all there is
    for i in range(len(items)):
        if verdicts[i][0] is _Verdict.WEAK and (_at_edge(verdicts[i][1], prose) if i == 0 else rules[i - 1]):
            rules[i] = verdicts[i][1]
    for i in range(last, -1, -1):
        if verdicts[i][0] is _Verdict.WEAK and (_at_edge(verdicts[i][1], prose) if i == last else rules[i + 1]):
            rules[i] = verdicts[i][1]
    for i in range(last, -1, -1):
        if rules[i]:
            continue
        if not _introduces(items[i]):
            break
        rules[i] = "heading with nothing after it"
    total = sum(len(p.text) for p in items)
    if total >= _MIN_GUARDED and sum(len(p.text) for p, rule in zip(items, rules) if rule is None) < _MIN_KEPT * total:
        # Rules that would take most of the text are wrong about this page (a page of
        # links, a list of short lines): they trim an article's edges, not its bulk.
        rules = [rule if verdict is _Verdict.DROP and not _linkish(rule) else None
                 for (verdict, _), rule in zip(verdicts, rules)]
    return list(zip(items, rules, strict=True))


_MIN_KEPT = 0.25  # the rules never leave less than this share of the text …
_MIN_GUARDED = 1000  # … of a page with this many characters (less may be all menus)


def _linkish(rule: str | None) -> bool:
    return rule in ("link teaser", "bare address or link")


_MAX_RUN = 3  # this many short lines in a row are a list, verse or table set line by line


def _long_runs_kept(verdicts: list[tuple[_Verdict, str | None]]) -> list[tuple[_Verdict, str | None]]:
    """Bare headings come one or two at a time; a long run of them is the article's own."""
    out = list(verdicts)
    start = 0
    for i in range(len(out) + 1):
        if i < len(out) and out[i][1] == "bare heading":
            continue
        if i - start >= _MAX_RUN:
            out[start:i] = [(_Verdict.KEEP, None)] * (i - start)
        start = i + 1
    return out


def _at_edge(rule: str | None, prose: bool) -> bool:
    """Whether a weak rule holds at the start or end of the article with no boilerplate beside it.

    A bare heading does not: alone at an end of an article it is as often a sign-off, a
    last step or a greeting of the article's own as a label.  On a page without one
    line of prose ("Home News"), it is only a label.
    """
    return rule != "bare heading" or not prose


def _introduces(piece: _Piece) -> bool:
    """A heading, or a short line that leads into what follows ("Contact:", "See also:")."""
    text = piece.text.rstrip()
    if piece.kind == "heading":
        return not _ANY_SENTENCE_END.search(text)  # a sentence set large is a pull quote, not a heading
    return len(text) <= _MAX_LINK and text.endswith((":", "："))


# A dateline left on its own: "WASHINGTON —", "LONDON (Reuters) -".
_DATELINE = re.compile(r"^[A-Z][A-Z .,'’()]{1,40}\s*[—–-]$")


def _attach_datelines(pieces: list[_Piece]) -> list[_Piece]:
    """Put a lone dateline back in front of the paragraph it belongs to."""
    out: list[_Piece] = []
    for piece in pieces:
        if out and _DATELINE.match(out[-1].text):
            out[-1] = _Piece(f"{out[-1].text} {piece.text}", piece.kind, piece.linked)
        else:
            out.append(piece)
    return out


@lru_cache(maxsize=4)  # choosing an extraction judges the pieces the article is then made of
def _tidy(pieces: tuple[_Piece, ...]) -> tuple[_Piece, ...]:
    """The pieces that are not boilerplate."""
    return tuple(piece for piece, rule in _judge(pieces) if rule is None)


# --------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------

_BLOCKS = frozenset({"p", "head", "item", "list", "quote", "table", "row", "div", "code", "body"})
# libxml2 stops parsing at this depth of elements ("Excessive depth in document") unless
# told to read huge trees, and everything after that point is lost.
_MAX_DEPTH = 256


def _clean_html(page: Page) -> _Draft:
    """Main text and metadata from trafilatura, then the headline, breaks and boilerplate sorted out."""
    import trafilatura

    # Escape sequences go before parsing: the parser drops ESC and BEL but keeps the
    # sequence's parameters, which would then show up as words ("]52;c;…").
    markup = strip_control(page.text)
    tree = trafilatura.load_html(markup) if markup.strip() else None
    if tree is None:
        return _Draft(None, None, None, None, [])
    too_deep = _last_depth(tree) >= _MAX_DEPTH
    if _has_control_ref(markup):  # rare: a walk over every element is not free
        _strip_control_refs(tree)
    _reattach_drop_caps(tree)
    fallback_title = _meta_title(tree)
    links = _link_texts(tree)
    doc = _metadata(tree, page.url)
    chunks = _extract(tree, doc.url or page.url, links)
    if chunks is None:
        return _Draft(None, None, None, None, [], too_deep)
    site = site_name(tree, doc.url or page.url, title=doc.title, byline=doc.author)
    title = doc.title if doc.title and " " in doc.title.strip() else fallback_title
    if chunks and chunks[0].tag == "h1":
        heading = chunks.pop(0).text
        if not (site and _same_words(heading, site)):
            title = heading  # the headline as the page shows it
    if site and title and _same_words(site, title):
        site = None  # a site name copied from the title is no site name
    title = _strip_site_suffix(title, site)
    pieces = [piece for chunk in chunks for piece in chunk.pieces]
    if pieces and title and _same_words(pieces[0].text, title):
        pieces.pop(0)
    standfirst = _standfirst(tree, doc.description, pieces)
    return _Draft(title, _clean_byline(doc.author), site, _iso_date(doc.date), pieces, too_deep, standfirst)


def _metadata(tree: etree._Element, url: str | None) -> Document:
    """Title, author, date, URL and description, as trafilatura's metadata step finds them.

    Its own steps, in its order, less the categories, tags and licence, which newsreader
    does not use and which cost a third of the step.  The date is read from the page's
    markup only (no search of the whole text), for a fraction of the time, and the
    author search is trafilatura's in one walk over the page (``newsreader.author``).
    """
    from courlan import extract_domain
    from htmldate import find_date
    from trafilatura.metadata import examine_meta, extract_meta_json, extract_title, extract_url

    from newsreader.author import find_author

    doc = examine_meta(tree)
    if doc.author and " " not in doc.author:
        doc.author = None  # a one-word author tag is a user name, as trafilatura judges
    try:
        doc = extract_meta_json(tree, doc)
    except Exception:  # noqa: BLE001 - trafilatura's own guard: a broken JSON-LD block
        pass
    doc.title = doc.title or extract_title(tree)
    doc.author = doc.author or find_author(tree)
    doc.url = doc.url or extract_url(tree, url)
    if doc.url:
        doc.hostname = extract_domain(doc.url, fast=True)
    doc.date = find_date(tree, url=doc.url, extensive_search=False, original_date=True)
    doc.clean_and_trim()
    return doc


def _extract(tree: etree._Element, url: str | None, links: set[str]) -> list[_Chunk] | None:
    """The blocks of trafilatura's main text, trying its other settings when it finds little.

    First trafilatura's default balance, without its duplicate filter: the filter counts
    a block seen several times while the extractor tries its candidates as a repeat, and
    drops an article that is one block.  When that finds less than a short article, the
    recall setting and then trafilatura's baseline (the page's article element, its
    paragraphs, or its text) are tried, and one wins only with clearly more text after
    the boilerplate rules (what a reader gets): a short article in a dense script is
    still the article, and keeps its structure.  None when nothing is found.
    """
    import trafilatura
    from trafilatura.settings import Document

    best: list[_Chunk] | None = None
    best_size = 0
    for options in _TRIES:
        doc = trafilatura.bare_extraction(
            tree, url=url, include_comments=False, include_tables=True, deduplicate=False, **options,
        )
        if not isinstance(doc, Document) or doc.body is None:
            continue
        chunks = _chunks(doc.body, links)
        size = _kept_size(chunks)
        if best is None or size > _CLEARLY_MORE * best_size:
            best, best_size = chunks, size
        if best_size >= _ENOUGH:
            return best
    body, _, _ = trafilatura.baseline(tree)
    chunks = _chunks(body, links)
    if best is not None and _kept_size(chunks) > _CLEARLY_MORE * best_size:
        return chunks
    return best


_TRIES: tuple[dict[str, Any], ...] = ({}, {"favor_recall": True})
_ENOUGH = 200  # characters of article text: past this, the first extraction stands
_CLEARLY_MORE = 1.5  # a later try wins only by finding this much more text


@dataclass(frozen=True)
class _Chunk:
    """One block of trafilatura's body: its tag, its text as extracted, and its paragraphs."""

    tag: str
    text: str
    pieces: tuple[_Piece, ...]


def _chunks(body: etree._Element, links: set[str]) -> list[_Chunk]:
    """The blocks of trafilatura's body, each with its paragraphs, their kind and how much of
    each is a link."""
    return [
        _Chunk(tag, text, tuple(
            _Piece(para, _KINDS.get(tag, "paragraph"), _linked(para, links)) for para in _split_breaks(text) if para
        ))
        for tag, text in _body_blocks(body)
    ]


def _kept_size(chunks: list[_Chunk]) -> int:
    """How much text of these blocks the boilerplate rules keep."""
    return sum(len(piece.text) for piece in _tidy(tuple(piece for chunk in chunks for piece in chunk.pieces)))
_KINDS: dict[str, BlockKind] = {
    "head": "heading", "item": "list_item", "quote": "blockquote", "row": "table", "table": "table",
}


# Links of 20 characters or more, less collapsed XML whitespace (never fewer than _normalise leaves).
_LONG_LINKS = "//a[string-length(normalize-space()) >= 20]"


def _link_texts(tree: etree._Element) -> set[str]:
    """The texts of the page's links of a few words or more: the headlines of teasers."""
    out = set()
    for a in tree.xpath(_LONG_LINKS):
        text = _normalise(a.text_content())
        if len(text) >= 20 and " " in text:
            out.add(text)
    return out


def _linked(text: str, links: set[str]) -> float:
    """The share of ``text`` (normalised) that is one link's text (0 for long paragraphs, never teasers)."""
    if not links or len(text) > _MAX_LINK:
        return 0.0
    return max((len(link) / len(text) for link in links if link in text), default=0.0)


def _standfirst(tree: etree._Element, description: str | None, pieces: list[_Piece]) -> str | None:
    """The deck under the headline: the page's description where the page shows it.

    A description only in the metadata may be a summary no reader sees.  When the body
    begins with the description as a short paragraph of its own, that paragraph is the
    deck and leaves ``pieces`` (the caller puts the standfirst first); a body that only
    begins with the same words has a lede the description was cut from, and no deck.
    """
    deck = _normalise(description or "")
    if len(deck) < 20:
        return None
    key = _word_key(deck)
    if pieces and len(deck) <= _MAX_DECK and _word_key(pieces[0].text) == key:
        return pieces.pop(0).text
    body = " ".join(piece.text for piece in pieces[:3])
    if key[:60] in _word_key(body):
        return None
    opening = deck[:12]
    for el in tree.iter("p", "h2", "div", "span"):
        if el.text and opening in el.text and len(el) <= 3 and _word_key(el.text_content()) == key:
            return deck
    return None


def _last_depth(tree: etree._Element) -> int:
    """How deep the last element the parser read lies: the parser builds the tree in
    document order, so that element ends the chain of last children."""
    depth = 1
    while len(tree):
        tree = tree[-1]
        depth += 1
    return depth


# A numeric character reference: the parser turns it into its character, controls too.
_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}))")


def _has_control_ref(markup: str) -> bool:
    """Whether a character reference in the markup stands for a control character."""
    for hexadecimal, decimal in set(_CHAR_REF.findall(markup)):  # a page repeats a few references
        code = int(hexadecimal, 16) if hexadecimal else int(decimal)
        if code <= 0x10FFFF and strip_control(chr(code)) != chr(code):
            return True
    return False


def _strip_control_refs(tree: etree._Element) -> None:
    """Remove controls that character references (``&#27;``) put into the parsed tree.

    The parser keeps them, but lxml refuses them in the tree trafilatura builds, and
    trafilatura then drops the whole page: one ``&#27;`` would lose the article.
    """
    for el in tree.iter():
        if el.text:
            el.text = strip_control(el.text)
        if el.tail:
            el.tail = strip_control(el.tail)
        if isinstance(el.tag, str):
            for name, value in el.attrib.items():
                cleaned = strip_control(value)
                if cleaned != value and name:  # lxml cannot set an attribute whose name it read as empty
                    el.set(name, cleaned)


# An element of one letter, with no children, right before a paragraph.
_DROP_CAP = "//p/preceding-sibling::*[1][not(*)][string-length(normalize-space(text())) = 1]"


def _reattach_drop_caps(tree: etree._Element) -> None:
    """Give back the first letter that a styled drop cap keeps outside its paragraph.

    ``<span>T</span><p>urkey, Poland…`` would otherwise come out as "urkey".
    """
    for el in tree.xpath(_DROP_CAP):  # the parser's own search: a walk in Python costs more
        letter = (el.text or "").strip()
        if not isinstance(el.tag, str) or len(letter) != 1 or not letter.isupper() or len(el):
            continue
        nxt = el.getnext()
        if nxt is None or nxt.tag != "p" or (el.tail or "").strip():
            continue
        first = next((t for t in nxt.itertext() if t.strip()), "")
        if first[:1].islower():
            nxt.text = letter + (nxt.text or "").lstrip()
            el.text = ""


def _meta_title(tree: etree._Element) -> str | None:
    """The page's own headline, for when trafilatura's title is a CMS name, not a headline."""
    for path in ('//meta[@property="og:title"]/@content', '//meta[@name="twitter:title"]/@content', "//h1"):
        found = tree.xpath(path)
        if found:
            text = found[0] if isinstance(found[0], str) else found[0].text_content()
            if text.strip():
                return text
    return None


def _body_blocks(body: etree._Element) -> Iterator[tuple[str, str]]:
    """(tag, text) for each block of trafilatura's XML body, in order.

    Line breaks inside a block are kept as newlines for ``_split_breaks``, and
    table cells are joined with " | " so that a row stays one paragraph.  The tag
    is the block's own, "h1" for a top-level heading, and "quote" for a paragraph
    inside a quotation; an item of a numbered list starts with its number ("2. ").
    """
    from lxml import etree

    stack: list[str] = []  # the open block tags, innermost last
    numbers: list[int] = []  # the next number of each open ordered list
    tag, buf = "p", list[str]()
    for event, el in etree.iterwalk(body, events=("start", "end")):
        if event == "start":
            if el.tag in _BLOCKS:
                yield from _flush(tag, buf)
                tag, buf = _block_tag(el, stack), []
                stack.append(el.tag)
                if el.tag == "list":
                    numbers.append(1 if el.get("rend") == "ol" else 0)
                elif el.tag == "item" and numbers and numbers[-1]:
                    buf.append(f"{numbers[-1]}. ")
                    numbers[-1] += 1
            elif el.tag == "cell" and "".join(buf).strip():
                buf.append(" | ")
            elif el.tag == "lb":
                buf.append("\n")
            buf.append(el.text or "")
        else:
            if el.tag in _BLOCKS:
                yield from _flush(tag, buf)
                stack.pop()
                if el.tag == "list":
                    numbers.pop()
                tag, buf = _block_tag(None, stack), []
            buf.append(el.tail or "")
    yield from _flush(tag, buf)


def _flush(tag: str, buf: list[str]) -> Iterator[tuple[str, str]]:
    text = "".join(buf)
    if text.strip():
        yield tag, text


def _split_breaks(text: str) -> list[str]:
    """Paragraphs of a block that uses line breaks: a double break separates paragraphs.

    Lines joined by single breaks stay one paragraph, less the lines that are
    boilerplate on their own (a run of teasers set one per line).
    """
    if "\n" not in text:  # most blocks: one paragraph on one line
        return [_normalise(text)]
    out = []
    for chunk in re.split(r"\n\s*\n", text):
        lines = [line for line in (_normalise(line) for line in chunk.split("\n")) if line]
        if len(lines) > 1:
            lines = [line for line in lines if not _strong(line)]
        out.append(" ".join(lines))
    return out


def _block_tag(el: etree._Element | None, open_tags: list[str]) -> str:
    """The tag a block's text is filed under: its own, or that of the block around it.

    Text between blocks (``el`` None) belongs to the innermost open block.
    """
    tag = str(el.tag) if el is not None else (open_tags[-1] if open_tags else "p")
    if el is not None and tag == "head" and el.get("rend") == "h1":
        return "h1"
    if "quote" in open_tags and tag in ("p", "div"):
        return "quote"
    if tag in ("list", "div", "body"):
        return "item" if "item" in open_tags else "p"
    return tag


def _strip_site_suffix(title: str | None, site: str | None) -> str | None:
    """Take " - Site Name" off a title when it names the page's own site."""
    if not title or not site:
        return title
    for sep in (" | ", " - ", " – ", " — ", " :: ", " · "):
        head, found, tail = title.rpartition(sep)
        if found and head.strip() and _same_words(tail, site):
            return head.strip()
    return title


_ROLE = re.compile(
    r"\s+(?:is\s+an?\s+.*|(?:(?:news|sports?|staff|senior|chief|political|business)\s+)*"
    r"(?:reporter|writer|correspondent|editor|columnist|contributor))$",
    re.IGNORECASE,
)
_PLACEHOLDER_AUTHORS = {"username", "admin", "administrator", "author", "editor", "staff", "unknown"}
# "By GREG BEACHAM, AP Sports Writer" reaches us title-cased, as "Greg Beacham; Ap Sports
# Writer": a name of one short word is a news agency's initials (AP, AFP, PTI, UPI).
_AGENCY_CREDIT = re.compile(r"[A-Z][a-z]{1,3}")


def _clean_byline(author: str | None) -> str | None:
    """Names only: "Phil Helsel is a reporter" → "Phil Helsel"; CMS placeholders → None."""
    if not author:
        return None
    names: list[str] = []
    for part in author.split(";"):
        name = _ROLE.sub("", _normalise(part)).strip(" ,")
        if _AGENCY_CREDIT.fullmatch(name):
            name = name.upper()
        if name and name.casefold() not in _PLACEHOLDER_AUTHORS and name not in names:
            names.append(name)
    return ", ".join(names) or None


def _iso_date(date: str | None) -> str | None:
    match = re.match(r"\d{4}-\d{2}-\d{2}", date or "")
    return match.group(0) if match else None


# --------------------------------------------------------------------------------------
# Plain text
# --------------------------------------------------------------------------------------

_MAX_WRAP_WIDTH = 100  # hard-wrapped text is wrapped narrower than this
_MIN_WRAP_WIDTH = 30
_MAX_TITLE = 150
_MAX_DECK = 200


# A markup tag left in pasted text ('<tweet author="@jdoe" id="67…">', '</a>'): its
# attribute values would read as quotes. Only lower-case tags whose attributes all have
# values, so "if a <b and c> d" and "said <REDACTED> twice" stay as written.
_MARKUP_TAG = re.compile(r"""</?[a-z][\w:-]*(?:\s+[\w:-]+=(?:"[^"<>\n]*"|'[^'<>\n]*'))*\s*/?>""")


def _drop_tags(text: str) -> str:
    """Pasted text without markup tags; a tag between two words leaves a space ('a<br>b')."""
    def gap(m: re.Match[str]) -> str:
        before, after = text[m.start() - 1 : m.start()], text[m.end() : m.end() + 1]
        return " " if before.isalnum() and after.isalnum() else ""
    return _MARKUP_TAG.sub(gap, text)


def _clean_text(page: Page) -> _Draft:
    """Rebuild the paragraphs of a pasted article, then take off the headline and the deck.

    The deck (a headline-style line under the title, with no full stop) becomes the
    standfirst.  A standfirst written as a sentence stays the first paragraph.
    """
    paragraphs = _text_paragraphs(_drop_tags(strip_control(page.text)))
    title, byline, deck = None, None, None
    while paragraphs and _strong(paragraphs[0]):
        paragraphs.pop(0)  # a pasted "Skip to content" is no headline
    if len(paragraphs) > 1 and _looks_like_headline(paragraphs[0]):
        title = paragraphs.pop(0)
        if len(paragraphs) > 1 and _looks_like_deck(paragraphs[0]):
            deck = paragraphs.pop(0)
    for i, para in enumerate(paragraphs[:3]):
        if para[:3].casefold() == "by " and _BYLINE.match(para):
            byline = paragraphs.pop(i)[3:]
            break
    pieces = [_Piece(text) for para in paragraphs if (text := _normalise(para))]
    return _Draft(title and title.rstrip("; "), byline, None, None, pieces, standfirst=deck)


def _text_paragraphs(text: str) -> list[str]:
    """Split text into paragraphs.

    A blank line always ends a paragraph.  Otherwise each line is a paragraph
    (the usual paste from a browser) unless the next line continues it: it
    starts in lower case, or the text is hard-wrapped and the line was broken
    only because the next word did not fit.
    """
    lines = [line.rstrip() for line in text.split("\n")]
    width = _wrap_width(lines)
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        stripped = line.strip()
        if current and (not stripped or not _continues(current[-1], line, width)):
            paragraphs.append(_join_lines(current))
            current = []
        if stripped:
            current.append(line)
    if current:
        paragraphs.append(_join_lines(current))
    return paragraphs


def _wrap_width(lines: list[str]) -> int | None:
    """The width text was hard-wrapped at, or None when lines are not wrapped.

    Wrapped text has most lines close to one width, and most of those end
    mid-sentence.
    """
    lengths = [len(line) for line in lines if line.strip()]
    if len(lengths) < 3:
        return None
    width = max(lengths)
    if not _MIN_WRAP_WIDTH <= width <= _MAX_WRAP_WIDTH:
        return None
    full = [line for line in lines if len(line) >= 0.75 * width]
    mid_sentence = [line for line in full if not _SENTENCE_END.search(line)]
    if 2 * len(full) >= len(lengths) and 2 * len(mid_sentence) >= len(full):
        return width
    return None


def _continues(previous: str, line: str, width: int | None) -> bool:
    """Whether ``line`` carries on the paragraph that ``previous`` belongs to."""
    stripped = line.lstrip()
    if len(line) - len(stripped) > len(previous) - len(previous.lstrip()):
        return False  # an indented first line starts a paragraph
    if stripped[:1].islower():
        return True
    if width is None:
        return False
    first_word = stripped.split(maxsplit=1)[0]
    return len(previous) + 1 + len(first_word) > width


def _join_lines(lines: list[str]) -> str:
    """Join wrapped lines, mending words hyphenated across a break ("pro-" + "Trump")."""
    parts = [lines[0].strip()]
    for line in lines[1:]:
        nxt = line.strip()
        hyphenated = parts[-1][-1:] == "-" and parts[-1][-2:-1].isalpha() and nxt[:1].isalpha()
        parts.append(nxt if hyphenated else f" {nxt}")
    return "".join(parts)


def _looks_like_headline(paragraph: str) -> bool:
    """A first line that reads as a headline rather than a lede.

    Short, not introducing anything (":" or ","), and either without a final
    full stop or short or in title case: a lede is usually longer and in
    sentence case.
    """
    words = paragraph.split()
    if len(paragraph) > _MAX_TITLE or len(words) > 25 or paragraph[:1].islower():
        return False
    if paragraph.rstrip().endswith((":", ",")):
        return False
    if not paragraph.rstrip().endswith("."):
        return True
    long_words = [w for w in words if len(w) >= 4]
    capitalised = [w for w in long_words if w[:1].isupper()]
    return len(paragraph) <= 90 or 2 * len(capitalised) >= len(long_words)


def _looks_like_deck(paragraph: str) -> bool:
    """A headline-style line under the title: short, several words, no final full stop."""
    return (
        len(paragraph) <= _MAX_DECK
        and len(paragraph.split()) >= 4
        and not _SENTENCE_END.search(paragraph)
        and not paragraph.rstrip().endswith((":", ","))
    )
