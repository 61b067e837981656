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
# C0 and C1 controls except tab and newline; DEL; bidi embeddings, overrides and isolates.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
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
