"""Page → Article: the article's words, without the page around them.

HTML goes through trafilatura, which finds the main text and the metadata.
Plain text (a pasted article) goes through our own cleaner, which rebuilds the
paragraphs, takes the headline off the top and drops the standfirst deck.

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
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # trafilatura and lxml load only when a page is HTML (the reader starts faster)
    from lxml import etree

from newsreader.errors import CleanError
from newsreader.model import Article, Page
from newsreader.safety import source_label, strip_control, strip_invisible
from newsreader.sitename import site_name

__all__ = ["clean"]


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
    paragraphs: list[str]
    too_deep: bool = False  # the parser stopped at its nesting limit, dropping the rest of the page


def _finish(page: Page, draft: _Draft) -> Article:
    """Make every field safe to show, and refuse a page with no text."""
    paragraphs = [p for p in (_normalise(strip_control(p)) for p in draft.paragraphs) if p]
    if not paragraphs:
        why = (f": the page is nested too deeply (more than {_MAX_DEPTH - 1} levels of tags)"
               if draft.too_deep else "")
        raise CleanError(f"no article text found in {source_label(page.source)}{why}")
    return Article(
        source=strip_control(page.source),
        title=_optional(draft.title),
        byline=_optional(draft.byline),
        site=_optional(draft.site),
        date=_optional(draft.date),
        text="\n\n".join(paragraphs),
    )


def _optional(value: str | None) -> str | None:
    """A metadata field made safe, or None when nothing is left of it."""
    if value is None:
        return None
    return _normalise(strip_control(value)) or None


_SPACES = re.compile(r"\s+")


def _normalise(text: str) -> str:
    """One paragraph on one line: whitespace runs (hard breaks, no-break spaces) become one space.

    Quote marks, apostrophes and dashes are kept exactly as printed; invisible characters
    go (:func:`newsreader.safety.strip_invisible`).
    """
    return _SPACES.sub(" ", strip_invisible(text)).strip()


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
# An aggregator teaser credited to its publisher: "… rule of six (Sky News)".
_CREDITED_TEASER = re.compile(
    r"^[^.!?]{10,150}[^.!?\s]\s+\((?:The\s+)?[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,3}\)$"
)
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
_BARE = re.compile(
    r"^(?:e-?mail:?\s*)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+$|^(?:https?://|www\.)\S+$|^[\W_]*$|"
    r"^[A-Z][A-Z'’&-]*(?:\s[A-Z][A-Z'’&-]*)?[.:]$"
)

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
    r"donat\w+|readers?|advertis\w+|on\s+the\s+ground|this\s+(?:story|article)|independent\s+news)\b",
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


def _classify(paragraph: str) -> _Verdict:
    """Decide whether a paragraph is boilerplate, looking only at the paragraph itself."""
    text = _BULLET.sub("", paragraph)
    if len(text) > _MAX_BOILERPLATE:
        return _Verdict.KEEP
    if _strong(text):
        return _Verdict.DROP
    return _Verdict.WEAK if _weak(text, bullet=len(text) < len(paragraph)) else _Verdict.KEEP


def _strong(text: str) -> bool:
    """Rules safe to apply anywhere in the article."""
    if _BARE.search(text) or _DATE_LINE.match(text):
        return True
    if len(text) > _MAX_STRONG:
        return False
    if _LABEL.match(text) or _SOCIAL.match(text) or _COPYRIGHT.search(text):
        return True
    if len(text) <= _MAX_LINK and (
        _LINK_PREFIX.match(text) or _TAGGED.search(text) or _CAPTION.search(text)
    ):
        return True
    if _repeats_itself(text):
        return True
    quoted = bool(_DOUBLE_QUOTES.search(text))
    addressed = bool(_ADDRESS.search(text) or _IMPERATIVE.match(text))
    return not quoted and addressed and bool(_APPEAL_TOPIC.search(text))


def _repeats_itself(text: str) -> bool:
    """The same headline twice in a row, as teaser cards print it (title, then alt text)."""
    again = text.find(text[:15], 15)
    return again > 0 and text[again:].startswith(text[:again].rstrip())


def _weak(text: str, bullet: bool) -> bool:
    """Rules that only hold near other boilerplate or at the ends of the article.

    List items are not taken for bare headings: a list may end an article.
    """
    if _BYLINE.match(text) or _CREDITED_TEASER.match(text):
        return True
    if _DOUBLE_QUOTES.search(text):
        return False
    if not bullet and len(_WORD.findall(text)) <= 12 and not _SENTENCE_END.search(text):
        return True  # a bare heading: "Kenya trip", a related headline, "Contributing: …"
    if _WE.search(text) and _JOURNALISM.search(text):
        return True
    # Instructions to the reader: "Stay alert … If you think you have the virus, call …"
    return bool(_IMPERATIVE.match(text)) and len(_ADDRESS.findall(text)) >= 2


# A sentence glued to the next one with no space: "…makes all the difference.It is clear".
_GLUED = re.compile(r"(?<=[a-z][.!?])(?=[“‘\"']?[A-Z])")


def _split_glued(paragraph: str) -> list[str]:
    """Cut a boilerplate sentence glued to the start or end of a paragraph into its own piece.

    A glued sentence that is not boilerplate stays where it is, untouched.
    """
    cuts = [m.start() for m in _GLUED.finditer(paragraph)]
    if not cuts:
        return [paragraph]
    start, end = 0, len(paragraph)
    if cuts[0] <= _MAX_STRONG and _strong(paragraph[: cuts[0]]):
        start = cuts[0]
    if cuts[-1] > start and end - cuts[-1] <= _MAX_STRONG and _strong(paragraph[cuts[-1] :]):
        end = cuts[-1]
    return [p for p in (paragraph[:start], paragraph[start:end], paragraph[end:]) if p]


def _drop_boilerplate(paragraphs: list[str]) -> list[str]:
    """Keep the article paragraphs.

    Strong boilerplate goes wherever it is.  A weak one goes when a neighbour
    goes (boilerplate comes in runs), with the start and the end of the article
    counting as gone, so trailing prompts and leading bylines are trimmed.
    Two sweeps reach the fixed point: a drop only ever enables its neighbour.
    """
    items = [piece for p in paragraphs for piece in _split_glued(p)]
    verdicts = [_classify(p) for p in items]
    dropped = [v is _Verdict.DROP for v in verdicts]
    last = len(items) - 1
    for i in range(len(items)):
        if verdicts[i] is _Verdict.WEAK and (i == 0 or dropped[i - 1]):
            dropped[i] = True
    for i in range(last, -1, -1):
        if verdicts[i] is _Verdict.WEAK and (i == last or dropped[i + 1]):
            dropped[i] = True
    return [p for p, gone in zip(items, dropped, strict=True) if not gone]


# A dateline left on its own: "WASHINGTON —", "LONDON (Reuters) -".
_DATELINE = re.compile(r"^[A-Z][A-Z .,'’()]{1,40}\s*[—–-]$")


def _attach_datelines(paragraphs: list[str]) -> list[str]:
    """Put a lone dateline back in front of the paragraph it belongs to."""
    out: list[str] = []
    for para in paragraphs:
        if out and _DATELINE.match(out[-1]):
            out[-1] = f"{out[-1]} {para}"
        else:
            out.append(para)
    return out


def _tidy(paragraphs: list[str]) -> list[str]:
    """Normalise, drop the empty ones, then drop the boilerplate."""
    normalised = [p for p in (_normalise(p) for p in paragraphs) if p]
    return _drop_boilerplate(_attach_datelines(normalised))


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
    from trafilatura.deduplication import LRUCache
    from trafilatura.settings import Document

    # Escape sequences go before parsing: the parser drops ESC and BEL but keeps the
    # sequence's parameters, which would then show up as words ("]52;c;…").
    markup = strip_control(page.text)
    tree = trafilatura.load_html(markup) if markup.strip() else None
    if tree is None:
        return _Draft(None, None, None, None, [])
    too_deep = _last_depth(tree) >= _MAX_DEPTH
    _strip_control_refs(tree)
    _reattach_drop_caps(tree)
    fallback_title = _meta_title(tree)
    # Options chosen on the corpus: the default balance keeps article paragraphs
    # that favor_precision loses (a lede, figures in the middle of a story), and
    # what it lets through instead is what the boilerplate rules remove.  A fresh
    # cache per page deduplicates within the page only: a shared one would drop
    # paragraphs of a page cleaned a second time.
    doc = trafilatura.bare_extraction(
        tree,
        url=page.url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=False,
        deduplicate=LRUCache(maxsize=512),
    )
    if not isinstance(doc, Document) or doc.body is None:
        return _Draft(None, None, None, None, [], too_deep)
    blocks = list(_body_blocks(doc.body))
    site = site_name(tree, doc.url or page.url, title=doc.title, byline=doc.author)
    title = doc.title if doc.title and " " in doc.title.strip() else fallback_title
    if blocks and blocks[0][0] == "h1":
        heading = blocks.pop(0)[1]
        if not (site and _same_words(heading, site)):
            title = heading  # the headline as the page shows it
    if site and title and _same_words(site, title):
        site = None  # a site name copied from the title is no site name
    title = _strip_site_suffix(title, site)
    paragraphs = [
        f"- {para}" if kind == "item" else para
        for kind, text in blocks
        for para in _split_breaks(text)
        if para
    ]
    if paragraphs and title and _same_words(paragraphs[0], title):
        paragraphs.pop(0)
    return _Draft(title, _clean_byline(doc.author), site, _iso_date(doc.date), _tidy(paragraphs), too_deep)


def _last_depth(tree: etree._Element) -> int:
    """How deep the last element the parser read lies: the parser builds the tree in
    document order, so that element ends the chain of last children."""
    depth = 1
    while len(tree):
        tree = tree[-1]
        depth += 1
    return depth


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
                el.set(name, strip_control(value))


def _reattach_drop_caps(tree: etree._Element) -> None:
    """Give back the first letter that a styled drop cap keeps outside its paragraph.

    ``<span>T</span><p>urkey, Poland…`` would otherwise come out as "urkey".
    """
    for el in tree.iter():
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
    """(kind, text) for each block of trafilatura's XML body, in order.

    Line breaks inside a block are kept as newlines for ``_split_breaks``, and
    table cells are joined with " | " so that a row stays one paragraph.  The
    kind is the tag, or "h1" for a top-level heading.
    """
    kind, buf = "p", list[str]()
    from lxml import etree

    for event, el in etree.iterwalk(body, events=("start", "end")):
        if event == "start":
            if el.tag in _BLOCKS:
                yield from _flush(kind, buf)
                kind, buf = _block_kind(el), []
            elif el.tag == "cell" and "".join(buf).strip():
                buf.append(" | ")
            elif el.tag == "lb":
                buf.append("\n")
            buf.append(el.text or "")
        else:
            if el.tag in _BLOCKS:
                yield from _flush(kind, buf)
                kind, buf = "p", []
            buf.append(el.tail or "")
    yield from _flush(kind, buf)


def _flush(kind: str, buf: list[str]) -> Iterator[tuple[str, str]]:
    text = "".join(buf)
    if text.strip():
        yield kind, text


def _split_breaks(text: str) -> list[str]:
    """Paragraphs of a block that uses line breaks: a double break separates paragraphs.

    Lines joined by single breaks stay one paragraph, less the lines that are
    boilerplate on their own (a run of teasers set one per line).
    """
    out = []
    for chunk in re.split(r"\n\s*\n", text):
        lines = [line for line in (_normalise(line) for line in chunk.split("\n")) if line]
        if len(lines) > 1:
            lines = [line for line in lines if not _strong(line)]
        out.append(" ".join(lines))
    return out


def _block_kind(el: etree._Element) -> str:
    if el.tag == "head" and el.get("rend") == "h1":
        return "h1"
    return "item" if el.tag == "item" else str(el.tag)


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

    The deck (a headline-style line under the title, with no full stop) is
    dropped: it restates the story and would read as a stray heading.  A
    standfirst written as a sentence is kept as the first paragraph.
    """
    paragraphs = _text_paragraphs(_drop_tags(strip_control(page.text)))
    title, byline = None, None
    while paragraphs and _strong(paragraphs[0]):
        paragraphs.pop(0)  # a pasted "Skip to content" is no headline
    if len(paragraphs) > 1 and _looks_like_headline(paragraphs[0]):
        title = paragraphs.pop(0)
        if len(paragraphs) > 1 and _looks_like_deck(paragraphs[0]):
            paragraphs.pop(0)
    for i, para in enumerate(paragraphs[:3]):
        if para[:3].casefold() == "by " and _BYLINE.match(para):
            byline = paragraphs.pop(i)[3:]
            break
    return _Draft(title and title.rstrip("; "), byline, None, None, _tidy(paragraphs))


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
