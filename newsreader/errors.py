"""Errors a user can act on. Their message is one clear line, shown as it is."""
from __future__ import annotations


class NewsreaderError(Exception):
    """Base class: the CLI prints ``str(error)`` on one line and exits non-zero."""


class LoadError(NewsreaderError):
    """The source could not be read: missing file, network failure, wrong type, too large.

    ``transient`` marks failures that may pass (offline, a timeout, a server error), as
    opposed to an answer about the page itself (removed, not an article): only the
    former may be covered by an older cached copy.
    """

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


class CleanError(NewsreaderError):
    """The source was read but holds no article text."""
