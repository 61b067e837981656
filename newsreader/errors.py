"""Errors a user can act on. Their message is one clear line, shown as it is."""


class NewsreaderError(Exception):
    """Base class: the CLI prints ``str(error)`` on one line and exits non-zero."""


class LoadError(NewsreaderError):
    """The source could not be read: missing file, network failure, wrong type, too large."""


class CleanError(NewsreaderError):
    """The source was read but holds no article text."""
