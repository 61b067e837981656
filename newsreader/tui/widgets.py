"""The reader's smaller widgets: the side panels, the legend, the status line and the
error view. The article body itself lives in :mod:`article_view`."""
from __future__ import annotations

from collections.abc import Mapping

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult, RenderResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Label, LoadingIndicator, OptionList, Static
from textual.widgets.option_list import Option

from newsreader.model import Reading
from newsreader.tui.article_view import LAYERS, ArticleView
from newsreader.tui.keymap import key
from newsreader.tui.visibility import show


class EntityPanel(OptionList):
    """A list of names with counts; Enter chooses one. Vim keys move the cursor."""

    BINDINGS = [
        Binding("j", "cursor_down", "Next name", show=False, id="panel_down"),
        Binding("k", "cursor_up", "Previous name", show=False, id="panel_up"),
        Binding("g", "first", "First name", show=False, id="panel_first"),
        Binding("G", "last", "Last name", show=False, id="panel_last"),
    ]

    def __init__(self, title: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = title
        self.names: list[str] = []

    def show_placeholder(self, message: str) -> None:
        """Show one disabled line (e.g. while annotating, or when the list is empty)."""
        self.names = []
        self.set_options([Option(Content.styled(message, "italic $text-muted"), disabled=True)])

    def show_names(self, rows: list[tuple[str, int, str | None]], empty: str,
                   unsure: Mapping[str, int] | None = None) -> None:
        """Show ``(name, count, tag)`` rows; ``tag`` marks e.g. organisations.

        ``unsure`` counts, apart, what is not certain about a name: shown as ``+N?``
        after its count, and a name with nothing certain is drawn dimmer.
        """
        if not rows:
            self.show_placeholder(empty)
            return
        unsure = unsure or {}
        doubt_width = max((len(f"+{n}? ") for n in unsure.values() if n), default=0)
        self.names = [name for name, _, _ in rows]
        options = []
        for name, count, tag in rows:
            doubts = unsure.get(name, 0)
            parts: list[str | tuple[str, str]] = [(f"{count:>3} ", "$text-muted")]
            if doubt_width:
                parts.append((f"+{doubts}? ".ljust(doubt_width) if doubts else " " * doubt_width, "$text-warning"))
            if tag:  # before the name, so that a long name's ellipsis never hides it
                parts += [(tag, "italic $text-secondary"), " "]
            parts.append((name, "$text-muted") if doubts and not count else name)
            options.append(Option(Content.assemble(*parts)))
        self.set_options(options)
        self.highlighted = 0  # so Enter works as soon as the panel has focus


class SpeakersPanel(EntityPanel):
    """Every speaker with the number of quotes; organisations are tagged ``org``.

    The count is of the sure attributions; the unsure ones follow as ``+N?``.
    """

    def show_reading(self, reading: Reading) -> None:
        unsure: dict[str, int] = {}
        for s in reading.speakers:
            unsure[s.name] = sum(1 for i in s.quotes if 0 <= i < len(reading.quotes) and not reading.quotes[i].sure)
        rows = sorted(
            ((s.name, len(s.quotes) - unsure[s.name], "org" if s.kind == "organisation" else None)
             for s in reading.speakers),
            key=lambda row: (-(row[1] + unsure[row[0]]), row[0].casefold()),
        )
        self.show_names(rows, "No speakers found", unsure)


class PlacesPanel(EntityPanel):
    """Every place with its number of mentions."""

    def show_reading(self, reading: Reading) -> None:
        rows: list[tuple[str, int, str | None]] = sorted(
            ((p.name, p.mentions, None) for p in reading.places),
            key=lambda row: (-row[1], row[0].casefold()),
        )
        self.show_names(rows, "No places found")


class Legend(Widget):
    """One line naming each highlight layer in its own style, and the key that toggles it."""

    def __init__(self, view: ArticleView, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = view

    SHORT = {"organisations": "orgs"}  # names that give way on a narrow terminal

    def render(self) -> RenderResult:
        """The whole line when it fits; else closer together, shorter, without the hints."""
        variants = [("  ", False, 2), (" ", False, 2), (" ", True, 2), (" ", True, 1), (" ", True, 0)]
        for gap, short, hints in variants:
            text = self._line(gap, short, hints)
            if text.cell_len <= self.size.width:
                break
        return text

    def _line(self, gap: str, short: bool, hints: int) -> Text:
        parts: list[Text | str | tuple[str, Style]] = []
        for layer in LAYERS:
            shown = layer in self.view.shown_layers
            style = self.view.layer_style(layer) if shown else Style(dim=True, strike=True)
            name = self.SHORT.get(layer, layer) if short else layer
            parts += [(key(self.app, f"toggle_{layer}"), Style(bold=True)), " ", (name, style), gap]
        for binding_id, what in (("toggle_panels", "panels"), ("help", "keys"))[:hints]:
            parts += [(key(self.app, binding_id), Style(bold=True)), f" {what}", gap]
        text = Text.assemble(*parts, no_wrap=True, overflow="ellipsis")
        text.rstrip()
        return text


class OneLine(Widget):
    """A line of plain text that repaints without a layout pass (it changes on every ``n``)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = ""

    def set_text(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self.refresh()

    def render(self) -> RenderResult:
        return Content(self.text)


class StatusLine(Horizontal):
    """Where you are (left) and what is still running (right, with a spinner)."""

    def compose(self) -> ComposeResult:
        yield OneLine(id="position")
        yield Label(id="activity")
        yield LoadingIndicator(id="spinner")

    def on_mount(self) -> None:
        self.set_busy(None)

    @property
    def position(self) -> str:
        """The position text now shown (for tests)."""
        return self.query_one("#position", OneLine).text

    def set_position(self, text: str) -> None:
        self.query_one("#position", OneLine).set_text(text)

    def set_busy(self, activity: str | None) -> None:
        """Show ``activity`` (e.g. "Annotating…") with a spinner, or nothing when idle."""
        self.query_one("#activity", Label).update(Content(activity or ""))
        show(self.query_one("#spinner"), activity is not None)


class ErrorView(Static):
    """A failure to open a source, said plainly, with what to do next."""

    def show_error(self, source: str, message: str) -> None:
        self.update(Content.assemble(
            ("Could not open ", "bold $text-error"), (source, "bold"), "\n\n",
            message, "\n\n",
            (key(self.app, "open"), "bold"), " open another source   ", (key(self.app, "quit"), "bold"), " quit",
        ))
