"""Untrusted text: keep terminal control sequences out of everything we show or save,
and device names out of the file names we make from it."""
from __future__ import annotations

import re
import unicodedata

# ANSI/VT escape sequences (CSI, OSC incl. OSC 52, DCS/PM/APC strings, two-byte ESC forms).
_ESCAPE_SEQ = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b[\]P^_X][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"  # OSC, DCS, PM, APC, SOS (linear)
    r"|\x1b[@-Z\\-_]"  # other two-byte escapes
    r"|\x9b[0-?]*[ -/]*[@-~]",  # 8-bit CSI
    re.DOTALL,
)
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
# Device names Windows refuses as file names, whatever the extension.
_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"{d}{i}" for d in ("com", "lpt") for i in range(10))})


def strip_control(text: str) -> str:
    """Remove terminal escape sequences and control characters; keep ``\\n`` and ``\\t``.

    Carriage returns become newlines so that CRLF text keeps its line breaks.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", _ESCAPE_SEQ.sub("", text))


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
    name = re.sub(r"[^\w.-]+" if dots else r"[^\w-]+", "-", name)
    name = re.sub(r"-{2,}", "-", name).strip(".-")[:max_len]
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
