"""A footer that shows the keys that fit, and never draws one over another.

Textual's footer docks the command palette's key to the right and lets the other
keys run on underneath it on a narrow terminal. This one shows them in order while
they fit beside it, and leaves out the rest (help lists every key).
"""
from __future__ import annotations

from rich.cells import cell_len
from textual.events import Resize
from textual.widget import Widget
from textual.widgets import Footer

from newsreader.tui.visibility import show


class FittedFooter(Footer):
    """:class:`~textual.widgets.Footer`, with the keys that would not fit left out."""

    async def recompose(self) -> None:
        await super().recompose()
        self.fit()

    def on_resize(self, _: Resize) -> None:
        self.fit()

    def fit(self) -> None:
        keys = list(self.query("FooterKey"))
        palette = [k for k in keys if k.has_class("-command-palette")]
        room = self.size.width - sum(_width(k) + 1 for k in palette)  # and its left border
        fits = True
        for key in keys:
            if key not in palette:
                needed = _width(key) + key.styles.margin.right
                fits = fits and needed <= room  # once one is left out, so are those after it
                show(key, fits)
                room -= needed


def _width(key: Widget) -> int:
    """The cells ``key`` takes, as it draws itself."""
    return cell_len(str(key.render())) + key.styles.padding.left + key.styles.padding.right
