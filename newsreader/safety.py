"""Untrusted text: keep terminal control sequences out of everything we show or save,
and device names out of the file names we make from it."""
from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls except tab and newline; DEL; bidi marks, embeddings, overrides and
# isolates. (first, last) code points, inclusive: the screen and the formats build their
# own tables from these, so every place agrees on what a control character is.
CONTROL_RANGES: tuple[tuple[int, int], ...] = (
    (0x00, 0x08), (0x0B, 0x1F), (0x7F, 0x9F),  # C0 but \t \n, DEL, C1
    (0x061C, 0x061C), (0x200E, 0x200F),  # Arabic letter mark, LRM, RLM
    (0x202A, 0x202E), (0x2066, 0x2069),  # embeddings, overrides, isolates
)


def char_class(ranges: tuple[tuple[int, int], ...]) -> str:
    """A regular-expression character class matching the code point ``ranges``."""
    return "[" + "".join(re.escape(chr(lo)) + (f"-{re.escape(chr(hi))}" if hi > lo else "")
                         for lo, hi in ranges) + "]"


_CONTROL = re.compile(char_class(CONTROL_RANGES))

# ANSI/VT escape sequences, each bounded so that a broken one cannot take text with it.
# A string (OSC incl. OSC 52, DCS, SOS, PM, APC; ESC ] P X ^ _ or their 8-bit forms)
# runs to its terminator (BEL, ESC \ or ST) when one comes on the same line within
# STRING_MAX characters; an unterminated one ends at the end of the line, at a control
# character, or after OPEN_STRING_MAX characters.
STRING_MAX = 4096  # an OSC 8 link's address, a window title, a short OSC 52 payload
OPEN_STRING_MAX = 256  # longer than any parameters; what follows it stays text
_STRING_BODY = "[^\n" + char_class(CONTROL_RANGES)[1:]  # neither a line end nor a control
_ESCAPE_SEQ = re.compile(
    rf"(?:\x1b[\]P^_X]|[\x90\x98\x9d\x9e\x9f])"  # string introducers
    rf"(?:{_STRING_BODY}{{0,{STRING_MAX}}}(?:\x07|\x1b\\|\x9c)|{_STRING_BODY}{{0,{OPEN_STRING_MAX}}})"
    r"|\x1b\[[0-?]*[ -/]*[@-~]?"  # CSI: parameters, intermediates, final byte (if any)
    r"|\x9b[0-?]+[ -/]*[@-~]?"  # 8-bit CSI, only with parameters (see strip_control)
    r"|\x1b[ -/]*[0-~]?"  # every other ESC form: ESC c, ESC 7, ESC ( B, a lone ESC
)

_INTRODUCER = re.compile("[\x1b\x90\x98\x9b\x9d\x9e\x9f]")  # what every sequence above starts with

# Device names Windows refuses as file names, whatever the extension.
_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"{d}{i}" for d in ("com", "lpt") for i in range(10))})


def strip_control(text: str) -> str:
    """Remove terminal escape sequences and control characters; keep ``\\n`` and ``\\t``.

    Carriage returns become newlines so that CRLF text keeps its line breaks. A sequence
    goes whole, parameters included, and never takes more than itself:

    - CSI (``ESC [``): parameter bytes (0x30-0x3F), intermediate bytes (0x20-0x2F) and
      the final byte (0x40-0x7E), as a terminal reads it; one cut short loses only
      what it had (``ESC [31`` at the end of a line).
    - The 8-bit CSI (U+009B) is a sequence only when parameter bytes follow it. Alone
      before a letter it is far more often a stray character (Windows-1252's "›" read
      as Latin-1) than a command without parameters, so only the U+009B goes and the
      letter stays: with its introducer gone the letter is plain text, safe to show.
    - Strings (OSC, DCS, SOS, PM, APC, 7- and 8-bit) end at BEL, ``ESC \\`` or ST on
      the same line; one left open ends at the end of the line, at a control character
      or after ``OPEN_STRING_MAX`` characters, never at a BEL paragraphs later.
    - Other ``ESC`` forms take their intermediate bytes and one final byte (``ESC c``,
      ``ESC ( B``), as a terminal would.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(text) is None:  # every sequence starts with a control: most text has none
        return text
    if _INTRODUCER.search(text):  # a stray control (a form feed, a NUL) starts no sequence
        text = _ESCAPE_SEQ.sub("", text)
    return _CONTROL.sub("", text)


# Invisible characters that only get in the way of words: the zero-width space, the word
# joiner, the BOM (a zero-width no-break space inside text) and the soft hyphen.
_INVISIBLE = re.compile("[\u200b\u2060\ufeff\u00ad]")
_JOINERS = re.compile("[\u200c\u200d]")  # zero-width non-joiner, zero-width joiner


def strip_invisible(text: str) -> str:
    """Remove the invisible characters that split words without showing: U+200B, U+2060,
    U+FEFF and the soft hyphen everywhere, and the joiners (U+200C, U+200D) where they
    join nothing.

    A joiner is part of the spelling where it stands between two letters, marks or
    digits of a script that joins or combines its letters (Persian writes U+200C inside
    words, Hindi conjuncts use both) and inside an emoji sequence (woman U+200D laptop
    is one picture): there it stays. Elsewhere (at the edge of a word, beside a space or
    punctuation, in a run of joiners, or between Latin letters, where it could only ask
    for a ligature) it goes like U+200B, so that "Bi\\u200dden" reads, matches and is
    searched as "Biden".
    """
    text = _INVISIBLE.sub("", text)
    if "\u200c" not in text and "\u200d" not in text:
        return text
    return _JOINERS.sub(lambda m: m.group() if _joins(text, m.start()) else "", text)


def _joins(text: str, i: int) -> bool:
    """Whether the joiner at ``text[i]`` stands between two characters it can join."""
    before, after = text[i - 1 : i], text[i + 1 : i + 2]
    return _joinable(before) and _joinable(after) and not (_latin(before) and _latin(after))


def _joinable(char: str) -> bool:
    """A letter, mark or digit, or an emoji or emoji modifier (So, Sk)."""
    category = unicodedata.category(char) if char else ""
    return category[:1] in ("L", "M", "N") or category in ("So", "Sk")


def _latin(char: str) -> bool:
    return char.isascii() or unicodedata.name(char, "").startswith("LATIN ")


def reserved_name(name: str) -> bool:
    """Whether Windows refuses ``name`` as a file name (``CON``, ``nul.txt``, ``COM¹``).

    Only the part before the first dot counts, and Windows reads ¹²³ as digits there
    (hence NFKC). Harmless to avoid everywhere, so saved copies stay portable.
    """
    return unicodedata.normalize("NFKC", name.split(".")[0]).casefold() in _RESERVED


def one_line(text: str | None, cap: int | None = None) -> str:
    """Untrusted text for a one-line message or label: no control characters, runs of
    white space (newlines too) as one space, at most ``cap`` characters; "" for None."""
    return " ".join(strip_control(text or "").split())[:cap]


def title_stem(title: str | None, *, max_len: int = 80, fallback: str = "article") -> str:
    """A lower-case name for a file or folder from an article's title, in the title's own
    script (a Greek title stays Greek), without dots: what the save dialog proposes and
    what the library names a copy's folder after. See :func:`slug`."""
    return slug(title, max_len=max_len, lower=True, dots=False, fallback=fallback)


def slug(text: str | None, *, max_len: int = 100, lower: bool = False, dots: bool = True,
         max_bytes: int = 200, fallback: str = "article") -> str:
    """A file name (or stem) from untrusted text that cannot climb out of its folder.

    Word characters of any script, hyphens and (with ``dots``) dots survive; every other
    run becomes one "-". No leading dot or hyphen, no trailing dot, never empty, never a
    Windows device name (a ``_`` goes in front). At most ``max_len`` characters and
    ``max_bytes`` UTF-8 bytes: file systems allow 255 bytes a name, and callers add
    suffixes. A stem that is already safe comes back unchanged, and one that really ends
    in "-" keeps it (``…-clinton-.txt``); "what?" becomes "what".
    """
    name = unicodedata.normalize("NFC", strip_control(text or ""))
    if lower:
        name = name.casefold()
    kept_dash = name.endswith("-") and not name.rstrip("-").endswith(tuple("._"))
    # A run of unsafe characters, with the hyphens around it, becomes one "-"; hyphens
    # the name itself repeats ("a---b") are safe and stay.
    name = re.sub(r"-*[^\w.-]+-*" if dots else r"-*[^\w-]+-*", "-", name).strip(".-")[:max_len]
    name = name.encode()[:max_bytes].decode("utf-8", "ignore").rstrip(".-")
    if kept_dash and name:
        name += "-"
    if not name:
        return fallback
    return "_" + name if reserved_name(name) else name


# A URL's user name and password: everything between "scheme://" and the last "@" of the
# authority (which ends at the first "/", "?" or "#"), as URL parsers read it.
_USERINFO = re.compile(r"^([a-z][a-z0-9+.-]*://)[^/?#]*@", re.IGNORECASE)
MAX_LABEL = 120  # characters of a source named in a message


def redact_url(text: str) -> str:
    """``text`` without the credentials a URL may carry: ``http://user:secret@host/`` → ``http://host/``.

    Anything that is not a URL with credentials comes back unchanged.
    """
    return _USERINFO.sub(r"\1", text)


def shorten(text: str, cap: int = MAX_LABEL) -> str:
    """At most ``cap`` characters, cutting the middle: the start (a URL's server) and the
    end (its page name) are what tell one source from another."""
    if len(text) <= cap:
        return text
    head = (cap - 1) // 2
    return f"{text[:head]}…{text[len(text) - (cap - 1 - head):]}"


def source_label(source: str) -> str:
    """A source (URL, path) as messages name it: one line, no credentials, not too long."""
    return shorten(one_line(redact_url(source)))
