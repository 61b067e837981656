"""The reader with settings: a keymap from config.toml changes the keys and every hint that
names them; the panels setting; a theme chosen in the palette is remembered."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import tomllib
from rich.console import Console
from textual.widgets import Input, RadioButton, Static
from textual.widgets._footer import FooterKey
from tui_support import fixture_reading, no_pipeline, settle

from newsreader.config import Config, load
from newsreader.errors import LoadError
from newsreader.pipeline import Pipeline
from newsreader.tui.app import NewsreaderApp
from newsreader.tui.keymap import is_key, key_rules, rows
from newsreader.tui.library_screen import LibraryScreen
from newsreader.tui.screens import HelpScreen
from newsreader.tui.widgets import ErrorView, Legend

pytestmark = pytest.mark.anyio
WIDE, NARROW = (120, 40), (80, 24)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def settings(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    loaded = load(config_file=path, rules=key_rules())
    assert loaded.warnings == ()
    return loaded


def app_with(loaded: Config, **kwargs: object) -> NewsreaderApp:
    return NewsreaderApp(reading=fixture_reading(), pipeline=no_pipeline(), config=loaded, **kwargs)  # type: ignore[arg-type]


def footer(app: NewsreaderApp) -> dict[str, str]:
    """What the footer shows: description -> key."""
    return {k.description: k.key_display for k in app.screen.query(FooterKey)}


def text_of(static: Static) -> str:
    console = Console(width=120, file=io.StringIO(), record=True, color_system=None)
    console.print(static.content)
    return console.export_text()


async def test_a_keymap_from_the_settings_file_remaps_next_quote(tmp_path: Path) -> None:
    app = app_with(settings(tmp_path, '[keymap]\nnext_quote = "x"\n'))
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        reader = app.reader
        assert footer(app)["Next"] == "x" and footer(app)["Prev"] == "p"
        await pilot.press("n")
        assert reader.current_quote is None  # n no longer steps
        await pilot.press("x")
        assert reader.current_quote == 0
        await pilot.press("x")
        assert reader.current_quote == 1
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = text_of(app.screen.query_one("#help-keys", Static))
        assert re.search(r"(?m)^x +Next quote", keys)
        assert not re.search(r"(?m)^n +Next quote", keys)
        assert re.search(r"(?m)^p +Previous quote", keys)
        notes = text_of(app.screen.query_one("#help-notes", Static))
        assert "x/p go on" in notes


async def test_every_hint_names_the_key_the_keymap_gives(tmp_path: Path) -> None:
    loaded = settings(tmp_path, """[keymap]
next_quote = "x"
toggle_quotes = "5"
toggle_panels = "ctrl+b"
help = "H"
open = "ctrl+o"
quit = "Q"
save = "S"
previous_match = "ctrl+up"
reset = "ctrl+g"
""")
    app = app_with(loaded)
    notes: list[str] = []
    app.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        legend = app.screen.query_one(Legend).render().plain  # type: ignore[union-attr]
        assert legend.startswith("5 quotes  2 people") and "^b panels  H keys" in legend
        assert footer(app)["Quit"] == "Q" and footer(app)["Open"] == "^o"
        await pilot.press("y")  # no quote chosen yet
        assert notes == ["No quote selected: press x to go to one."]
        placeholder = app.reader.query_one("#search").placeholder  # type: ignore[attr-defined]
        assert "^↑ previous" in placeholder and "^g done" in placeholder
        commands = {c.title: c.help for c in app.reader.palette_commands()}  # type: ignore[attr-defined]
        assert commands["Toggle quotes highlight layer"].endswith("(key 5)") and commands["Help"].endswith("(key H)")
        await pilot.press("H")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "x/p go on; ^g leaves search" in text_of(app.screen.query_one("#help-notes", Static))


async def test_the_error_view_and_the_library_name_the_remapped_keys(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    def load_fails(source: str):
        raise LoadError(f"{source}: no such file")

    loaded = settings(tmp_path, '[keymap]\nopen = "ctrl+o"\nquit = "Q"\nhelp = "H"\nsave = "S"\n')
    app = NewsreaderApp("nowhere.html", pipeline=Pipeline(load_fails, load_fails, load_fails), config=loaded)
    async with app.run_test(size=WIDE):
        await settle(app)
        shown = text_of(app.reader.query_one(ErrorView))
        assert "^o open another source   Q quit" in shown
    monkeypatch.setenv("NEWSREADER_HOME", str(tmp_path / "empty-library"))
    app = NewsreaderApp(pipeline=no_pipeline(), config=loaded)
    async with app.run_test(size=WIDE):
        await settle(app)
        assert isinstance(app.screen, LibraryScreen)
        message = text_of(app.screen.query_one("#library-message", Static))
        assert "press S in the reader" in message
        assert re.search(r"(?m)^\^o +open an article", message) and re.search(r"(?m)^Q +quit", message)


@pytest.mark.parametrize(("panels", "size", "shown"), [
    ("auto", WIDE, True), ("auto", NARROW, False), ("hidden", WIDE, False), ("shown", NARROW, True),
])
async def test_the_panels_setting(tmp_path: Path, panels: str, size: tuple[int, int], shown: bool) -> None:
    app = app_with(settings(tmp_path, f'panels = "{panels}"\n'))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert app.reader.query_one("#sidebar").display is shown


async def test_theme_width_and_save_settings_reach_the_reader(tmp_path: Path) -> None:
    loaded = settings(tmp_path, 'theme = "nord"\nwidth = 60\n[save]\nfolder = "copies"\nformat = "md"\n')
    app = app_with(loaded)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert app.theme == "nord"
        assert app.reader.view.measure == 60
        await pilot.press("s")  # the save dialog proposes the folder and the format set
        await pilot.pause()
        proposed = Path(app.screen.query_one("#save-path", Input).value)
        assert proposed.parent == tmp_path / "copies" and proposed.suffix == ".md"
        assert app.screen.query_one("#format-md", RadioButton).value


async def test_a_theme_chosen_in_the_palette_is_remembered(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    hand_written = '# mine\nwidth = 72  # narrow\n\n[keymap]\nnext_quote = "x"\n'
    path.write_text(hand_written, encoding="utf-8")
    app = app_with(load(config_file=path, rules=key_rules()))
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        app.theme = "gruvbox"  # set by the program, not chosen: not written
        await pilot.pause()
        assert path.read_text(encoding="utf-8") == hand_written
        app.action_change_theme()
        await pilot.pause()
        await pilot.press(*"nord", "enter")
        await settle(app)
        assert app.theme == "nord"
    assert path.read_text(encoding="utf-8") == hand_written.replace("\n[keymap]", '\ntheme = "nord"\n[keymap]')
    assert tomllib.loads(path.read_text(encoding="utf-8"))["theme"] == "nord"
    again = load(config_file=path, rules=key_rules())
    assert again.settings.theme == "nord" and again.origins["theme"] == f"file {path}"


async def test_without_settings_a_chosen_theme_is_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    app = NewsreaderApp(reading=fixture_reading(), pipeline=no_pipeline())
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        app.action_change_theme()
        await pilot.pause()
        await pilot.press(*"nord", "enter")
        await settle(app)
        assert app.theme == "nord"
    assert list(tmp_path.iterdir()) == []


async def test_settings_problems_are_shown_in_the_reader_too(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("wdith = 72\n", encoding="utf-8")
    app = app_with(load(config_file=path, rules=key_rules()))
    notes: list[tuple[str, str]] = []
    app.notify = lambda message, **kw: notes.append((message, kw.get("severity", "")))  # type: ignore[method-assign]
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
    assert notes == [(f"{path}: wdith: unknown setting; did you mean width?", "warning")]


def test_key_names() -> None:
    assert all(is_key(k) for k in ("n", "G", "?", "question_mark", "left_square_bracket", "slash", "ctrl+n",
                                   "shift+enter", "f5", "space", "pagedown", "escape"))
    assert not any(is_key(k) for k in ("ctlr+n", "nn", "ctrl+", "hyperspace", "f99"))


def test_every_binding_of_the_reader_has_an_id_and_a_description() -> None:
    listed = rows({})
    assert len({r.id for r in listed}) == len(listed)
    assert all(r.description and r.places for r in listed)
