"""Modal screens: help, open another source, save a copy, confirm an overwrite or a removal."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.actions import parse
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from newsreader.tui.keymap import key, keys_text


@dataclass(frozen=True)
class FormatChoice:
    """A save format as the dialog shows it."""

    name: str
    extension: str
    description: str


@dataclass(frozen=True)
class SaveRequest:
    """What the save dialog returns: a format name and a path."""

    format: str
    path: Path


@dataclass(frozen=True)
class SaveToLibrary:
    """What the save dialog returns for "Save to library" (the library chooses where)."""


def applying(screen: Screen[Any], sections: list[tuple[str, list[Binding]]]) -> list[tuple[str, list[Binding]]]:
    """``sections`` with only the keys that do something on ``screen`` now (as its
    ``check_action`` says: a Back with nowhere to go back to is left out), and no empty section."""
    def applies(binding: Binding) -> bool:
        target, name, parameters = parse(binding.action) if binding.action else ("", "", ())
        return bool(target) or screen.check_action(name, parameters) is True

    kept = [(title, [b for b in bindings if applies(b)]) for title, bindings in sections]
    return [(title, bindings) for title, bindings in kept if bindings]


class HelpScreen(ModalScreen[None]):
    """Every key, grouped, with what it does (built from the bindings themselves)."""

    BINDINGS = [Binding("escape,q,question_mark,enter", "dismiss", "Close", id="close_help")]

    def __init__(self, sections: list[tuple[str, list[Binding]]], notes: list[str]) -> None:
        super().__init__()
        self.sections = sections
        self.notes = notes

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog", classes="dialog") as dialog:
            dialog.border_title = "Keys"
            dialog.border_subtitle = f"{key(self.app, 'close_help')} to close"
            with VerticalScroll():
                yield Static(self._table(), id="help-keys")
                yield Static(Content("\n".join(self.notes)), id="help-notes")

    def _table(self) -> Group:
        """One titled grid per section; the key column is as wide as the widest keys."""
        key_width = max(len(self._keys(b)) for _, bindings in self.sections for b in bindings)
        parts: list[Text | Table] = []
        for title, bindings in self.sections:
            table = Table.grid(padding=(0, 2))
            table.add_column(style="bold", no_wrap=True, width=key_width)
            table.add_column()
            for binding in bindings:
                table.add_row(Text(self._keys(binding)), Text(binding.tooltip or binding.description))
            parts += [Text(title, style="bold underline"), table, Text("")]
        return Group(*parts)

    def _keys(self, binding: Binding) -> str:
        return keys_text(self.app, binding)


class OpenScreen(ModalScreen[str | None]):
    """Ask for a URL or a file path."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel_open")]

    def compose(self) -> ComposeResult:
        with Vertical(id="open-dialog", classes="dialog") as dialog:
            dialog.border_title = "Open"
            yield Label("A URL or the path of an HTML or text file:")
            yield Input(placeholder="https://… or ~/article.html", id="open-source")
            enter = self.app.get_key_display(Binding("enter", ""))
            cancel = key(self.app, "cancel_open")
            yield Label(Content.assemble((enter, "bold"), " open   ", (cancel, "bold"), " cancel"), classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        source = event.value.strip()
        if source:
            self.dismiss(source)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SaveScreen(ModalScreen[SaveRequest | SaveToLibrary | None]):
    """Choose a format and a path for a saved copy, or keep it in the library."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel_save")]

    def __init__(self, formats: list[FormatChoice], directory: Path, stem: str, chosen: str | None = None,
                 path: Path | None = None) -> None:
        """``path``: the file to propose instead of ``directory/stem.ext`` (one typed before)."""
        super().__init__()
        self.formats = formats
        self.directory = directory
        self.stem = stem
        self.chosen = chosen if chosen in {f.name for f in formats} else formats[0].name
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical(id="save-dialog", classes="dialog") as dialog:
            dialog.border_title = "Save a copy"
            yield Label("Format")
            with RadioSet(id="save-format"):
                for choice in self.formats:
                    yield RadioButton(
                        Content.assemble((choice.name, "bold"), f"  {choice.description}"),
                        value=choice.name == self.chosen,
                        id=f"format-{choice.name}",
                    )
            yield Label("File")
            yield Input(str(self.path or self._path_for(self.chosen)), id="save-path")
            yield Label("", id="save-error")
            with Horizontal(classes="buttons"):
                yield Button("Save to library", id="save-library",
                             tooltip=f"Keep it with its highlights; find it again with {key(self.app, 'library')} "
                                     "or newsreader alone")
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def _path_for(self, name: str) -> Path:
        extension = next(f.extension for f in self.formats if f.name == name)
        return self.directory / f"{self.stem}.{extension.lstrip('.')}"

    def _format_named_by(self, path: str) -> str | None:
        """The format whose extension ``path`` ends with, if one does."""
        extension = Path(path.strip()).suffix.lower().lstrip(".")
        return next((f.name for f in self.formats if extension and f.extension.lstrip(".") == extension), None)

    def on_input_changed(self, event: Input.Changed) -> None:
        """A typed extension chooses the format ("copy.md" is Markdown)."""
        named = self._format_named_by(event.value)
        if named and named != self.chosen:
            self.query_one(f"#format-{named}", RadioButton).value = True

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        """Follow the format with the file's extension, unless the user chose another name."""
        previous = self._path_for(self.chosen)
        self.chosen = (event.pressed.id or "").removeprefix("format-")
        path_input = self.query_one("#save-path", Input)
        current = Path(path_input.value).expanduser()
        if current.suffix == previous.suffix:
            path_input.value = str(current.with_suffix(self._path_for(self.chosen).suffix))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self._submit()
        elif event.button.id == "save-library":
            self.dismiss(SaveToLibrary())
        else:
            self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._submit()

    def _submit(self) -> None:
        value = self.query_one("#save-path", Input).value.strip()
        if not value:
            self.query_one("#save-error", Label).update(Content.styled("Give a file name.", "$text-error"))
            return
        self.dismiss(SaveRequest(self._format_named_by(value) or self.chosen, Path(value).expanduser()))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; No is the default."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm_yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm_no"),
    ]

    def __init__(self, question: str, yes: str = "Yes, replace") -> None:
        super().__init__()
        self.question = question
        self.yes = yes

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog", classes="dialog") as dialog:
            dialog.border_title = "Confirm"
            yield Static(Content(self.question), id="confirm-question")  # wraps a long title or path
            with Horizontal(classes="buttons"):
                yield Button(self.yes, variant="warning", id="yes")
                yield Button("No", variant="primary", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
