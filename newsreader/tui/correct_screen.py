"""The dialog that says who said a quote: one of the article's speakers, a new name,
an unnamed source, or not a quote at all. It returns a
:class:`~newsreader.corrections.Correction`; the reader applies it."""
from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from newsreader.corrections import MAX_NAME, Action, Correction, correction_for
from newsreader.model import Reading
from newsreader.safety import one_line
from newsreader.tui.keymap import key
from newsreader.tui.navigation import who_said

QUOTE_CHARS = 240  # of the quote shown at the top; a long one ends in "…"


class CorrectScreen(ModalScreen[Correction | None]):
    """Pick who said quote ``index`` of ``reading`` (Enter), or type a new name (typing
    anywhere in the dialog goes to the name box)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel_correct")]

    def __init__(self, reading: Reading, index: int) -> None:
        super().__init__()
        self.quote = reading.quotes[index]
        counts = {s.name: len(s.quotes) for s in reading.speakers}
        names = sorted(counts, key=lambda name: (-counts[name], name.casefold()))
        self.choices: list[tuple[Action, str | None]] = [
            *(("speaker", name) for name in names), ("unnamed", None), ("not_quote", None)]

    def compose(self) -> ComposeResult:
        words = one_line(self.quote.text)
        if len(words) > QUOTE_CHARS:
            words = words[:QUOTE_CHARS - 1].rstrip() + "…"
        with Vertical(id="correct-dialog", classes="dialog") as dialog:
            dialog.border_title = "Who said this?"
            dialog.border_subtitle = f"{key(self.app, 'cancel_correct')} to cancel"
            yield Static(Content(f"“{words}”"), id="correct-quote")
            yield Label(Content.assemble(("Now: ", "bold"), who_said(self.quote)), id="correct-now")
            yield OptionList(*(self._option(action, name) for action, name in self.choices), id="correct-choices")
            yield Input(placeholder="or type another name, then Enter", max_length=MAX_NAME,
                        select_on_focus=False, id="correct-name")
            yield Label("", id="correct-error")
            yield Label(Content.assemble(("↑ ↓ Enter", "bold"), " choose   or type a new name   ",
                                         (key(self.app, "cancel_correct"), "bold"), " cancel"), classes="hint")

    def _option(self, action: Action, name: str | None) -> Option:
        if action == "unnamed":
            return Option(Content.styled("An unnamed source", "italic"), id="choice-unnamed")
        if action == "not_quote":
            return Option(Content.styled("Not a quote", "italic"), id="choice-not-quote")
        assert name is not None
        now = [("  now", "$text-muted")] if name == self.quote.speaker else []
        return Option(Content.assemble(name, *now))

    def on_mount(self) -> None:
        choices = self.query_one("#correct-choices", OptionList)
        choices.highlighted = 0
        choices.focus()

    def on_key(self, event: events.Key) -> None:
        """A letter typed on the list starts a new name."""
        name = self.query_one("#correct-name", Input)
        if event.is_printable and event.character and self.focused is not name:
            event.stop()
            event.prevent_default()
            name.focus()
            name.insert_text_at_cursor(event.character)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        action, name = self.choices[event.option_index]
        self.dismiss(correction_for(self.quote, action, name))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = one_line(event.value).strip()
        if not name:
            self.query_one("#correct-error", Label).update(Content.styled("Type a name, or pick one above.",
                                                                          "$text-error"))
            return
        self.dismiss(correction_for(self.quote, "speaker", name))

    def action_cancel(self) -> None:
        self.dismiss(None)
