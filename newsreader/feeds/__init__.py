"""News feeds: read RSS, Atom and JSON Feed (or find them on a site's home page), keep
subscriptions with each item's read state in the library, and refresh with conditional
GETs so that what did not change is not fetched again.

Core code: nothing here imports the UI. The reader's feed screen and the commands
(``newsreader feed``, ``newsreader feeds …``, ``export --feed``) are shells over
:func:`~newsreader.feeds.update.refresh`, :class:`~newsreader.feeds.store.FeedStore`
and :func:`~newsreader.feeds.articles.source_for`. This package's modules load only
when used, so the command line starts fast.
"""
