"""Settings: config.toml, NEWSREADER_* variables and the command line; the config, keys
and locate commands; remembering a theme without disturbing a hand-edited file."""
from __future__ import annotations

import os
import re
import stat
import sys
import types
from dataclasses import replace
from pathlib import Path

import pytest
import tomllib
from paths import ROOT

from newsreader import cli, config
from newsreader.config import CONFIG_ENV, Settings, load, remember_theme, with_theme
from newsreader.tui.keymap import key_rules


@pytest.fixture
def settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where NEWSREADER_CONFIG points (not written yet)."""
    path = tmp_path / "settings" / "config.toml"
    path.parent.mkdir()
    monkeypatch.setenv(CONFIG_ENV, str(path))
    return path


def defaults() -> Settings:
    """The defaults, with the test's own page cache (see conftest)."""
    return replace(Settings(), cache_folder=Path(os.environ["NEWSREADER_CACHE"]))


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def warning_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("newsreader: ")]


# ---------------------------------------------------------------- precedence


@pytest.mark.parametrize(("cli_width", "env_width", "in_file", "expected", "origin"), [
    (50, "60", True, 50, "command line"),
    (None, "60", True, 60, "env NEWSREADER_WIDTH"),
    (None, None, True, 70, "file"),
    (None, None, False, 80, "default"),
])
def test_the_command_line_beats_the_environment_beats_the_file_beats_the_default(
        settings_file: Path, monkeypatch: pytest.MonkeyPatch, cli_width: int | None, env_width: str | None,
        in_file: bool, expected: int, origin: str) -> None:
    if in_file:
        write(settings_file, "width = 70\n")
    else:
        monkeypatch.delenv(CONFIG_ENV)
    if env_width:
        monkeypatch.setenv("NEWSREADER_WIDTH", env_width)
    loaded = load({"width": cli_width})
    assert loaded.settings.width == expected
    assert loaded.origins["width"] == (f"file {settings_file}" if origin == "file" else origin)
    assert loaded.warnings == ()


def test_config_file_option_beats_the_variable_which_beats_the_default(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    given, named = write(tmp_path / "given.toml", "width = 41\n"), write(tmp_path / "named.toml", "width = 42\n")
    assert load().path == config.default_config_path()
    monkeypatch.setenv(CONFIG_ENV, str(named))
    assert load().settings.width == 42
    assert load(config_file=given).settings.width == 41
    assert load(config_file=given).path_origin == "command line"


def test_every_setting_from_the_file(settings_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSREADER_CACHE")
    write(settings_file, """
theme = "nord"
width = 66
panels = "hidden"
model = "en_core_web_md"
[save]
folder = "copies"
format = "md"
[cache]
enabled = false
folder = "~/pages"
[keymap]
next_quote = "x"
search = ["ctrl+f", "slash"]
""")
    loaded = load(rules=key_rules())
    assert loaded.warnings == ()
    assert loaded.settings == Settings(
        theme="nord", width=66, panels="hidden", model="en_core_web_md",
        save_folder=settings_file.parent / "copies", save_format="md",  # relative to the file
        cache=False, cache_folder=Path.home() / "pages",
        keymap={"next_quote": "x", "search": "ctrl+f,slash"},
    )
    assert loaded.origins["keymap.next_quote"] == f"file {settings_file}"


def test_no_cache_variable_and_the_cache_setting(settings_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSREADER_CACHE", "/tmp/pages")
    assert config.cache_folder() == Path("/tmp/pages")
    write(settings_file, "[cache]\nenabled = false\n")
    assert config.cache_folder() is None
    monkeypatch.setenv("NEWSREADER_NO_CACHE", "0")  # stronger than the file, and it says: keep the cache
    assert config.cache_folder() == Path("/tmp/pages")
    monkeypatch.setenv("NEWSREADER_NO_CACHE", "1")
    assert config.cache_folder() is None


# ---------------------------------------------------------------- mistakes


def test_unknown_keys_get_one_line_with_the_close_matches(settings_file: Path) -> None:
    write(settings_file, """
wdith = 70
format = "md"
next_quote = "x"
[save]
fromat = "md"
[keymap]
next_qoute = "x"
""")
    warnings = load(rules=key_rules()).warnings
    assert warnings == (
        f"{settings_file}: wdith: unknown setting; did you mean width?",
        f"{settings_file}: format: unknown setting; did you mean save.format?",
        f"{settings_file}: next_quote: unknown setting; did you mean keymap.next_quote (under [keymap])?",
        f"{settings_file}: save.fromat: unknown setting; did you mean save.format or save.folder?",
        f"{settings_file}: keymap.next_qoute: unknown binding id; did you mean next_quote or next_item?",
    )


@pytest.mark.parametrize(("line", "warning"), [
    ("width = 500", "width: 500 is out of range (20 to 300); using 80 (default)"),
    ('width = "wide"', 'width: expected a whole number, got "wide"; using 80 (default)'),
    ('theme = "nrod"', 'theme: unknown theme "nrod"; did you mean nord?; using "textual-dark" (default)'),
    ('panels = "sometimes"', 'panels: "sometimes" is not one of auto, shown, hidden; using "auto" (default)'),
    ('save = { format = "pdf" }', 'save.format: "pdf" is not one of json, md, txt, html; using "json" (default)'),
    ('cache = { enabled = "yes" }', 'cache.enabled: expected true or false, got "yes"; using true (default)'),
    ('[keymap]\nnext_quote = "ctlr+n"', 'keymap.next_quote: "ctlr+n" is not a key name; did you mean ctrl+n?; '
                                         'keeping n'),
    ('[keymap]\nnext_quote = ""', 'keymap.next_quote: expected a key or keys, as "n" or "n,right", got ""; ignored'),
])
def test_a_bad_value_is_one_line_naming_the_file_and_key_and_the_default_is_used(
        settings_file: Path, line: str, warning: str) -> None:
    write(settings_file, line + "\n")
    loaded = load(rules=key_rules())
    assert loaded.warnings == (f"{settings_file}: {warning}",)
    assert loaded.settings == defaults()


def test_a_bad_variable_falls_back_to_the_file(settings_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(settings_file, "width = 70\n")
    monkeypatch.setenv("NEWSREADER_WIDTH", "seventy")
    loaded = load()
    assert loaded.settings.width == 70
    assert loaded.warnings == (
        f'NEWSREADER_WIDTH: expected a whole number, got "seventy"; using 70 (file {settings_file})',)


def test_a_file_that_is_not_toml_is_one_line_and_the_defaults(settings_file: Path) -> None:
    write(settings_file, 'theme = "nord"\nwidth = \n')
    loaded = load()
    assert loaded.settings == defaults()
    (line,) = loaded.warnings
    assert line.startswith(f"{settings_file}: not valid TOML: ") and "line 2" in line
    assert line.endswith("; using the defaults") and "\n" not in line


def test_a_missing_file_is_fine_unless_it_was_asked_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert load().warnings == ()  # the default file, not written yet
    monkeypatch.setenv(CONFIG_ENV, str(tmp_path / "typo.toml"))
    assert load().warnings == (f"{tmp_path / 'typo.toml'}: no such file; using the defaults",)


def test_a_fifo_is_not_read(settings_file: Path) -> None:
    os.mkfifo(settings_file)
    assert load().warnings == (f"{settings_file}: not a regular file; using the defaults",)


def test_a_key_taken_twice_on_a_screen_is_said(settings_file: Path) -> None:
    write(settings_file, '[keymap]\nnext_quote = "p"\ncopy_quote = "j"\nsearch = "ctrl+f"\n')
    assert load(rules=key_rules()).warnings == (
        f"{settings_file}: keymap.next_quote: p is also the key of previous_quote in the reader; "
        "only one of them will answer it",
        f"{settings_file}: keymap.copy_quote: j is also the key of scroll_down in the reader (article); "
        "only one of them will answer it",
        f"{settings_file}: keymap.copy_quote: j is also the key of panel_down in the reader (panels); "
        "only one of them will answer it",
        f"{settings_file}: keymap.copy_quote: j is also the key of map_south in the reader (map); "
        "only one of them will answer it",
    )


def test_the_readme_example_is_a_valid_settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSREADER_CACHE")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"^```toml\n(.*?)^```", readme, re.S | re.M)  # the settings file's (not indented)
    loaded = load(config_file=write(tmp_path / "config.toml", example), rules=key_rules())
    assert loaded.warnings == ()
    assert all(origin.startswith("file ") for key, origin in loaded.origins.items())


def test_the_template_is_valid_toml_and_names_every_setting() -> None:
    text = config.template()
    assert tomllib.loads(text) == {"save": {}, "cache": {}, "map": {}, "keymap": {}}
    uncommented = tomllib.loads(re.sub(r"(?m)^# (\w+ = )", r"\1", text))
    keys = {f"{name}.{sub}" if isinstance(value, dict) else name
            for name, value in uncommented.items() if name != "keymap"
            for sub in (value if isinstance(value, dict) else [name])}
    assert keys == {s.key for s in config.SETTINGS}


# ---------------------------------------------------------------- remembering the theme


HAND_WRITTEN = """\
# my settings
width = 72   # narrow
theme = 'gruvbox'  # dark, for the evening

[keymap]
next_quote = "x"
"""


def test_with_theme_changes_only_the_theme_value() -> None:
    assert with_theme(HAND_WRITTEN, "nord") == HAND_WRITTEN.replace("'gruvbox'", '"nord"')


def test_with_theme_puts_a_new_line_below_the_commented_example() -> None:
    updated = with_theme(config.template(), "nord")
    lines = updated.splitlines()
    assert lines[lines.index('# theme = "textual-dark"') + 1] == 'theme = "nord"'
    assert updated.replace('theme = "nord"\n', "", 1) == config.template()


def test_with_theme_puts_a_new_line_above_the_first_table_and_its_comments() -> None:
    text = "width = 72\r\n\r\n# my keys\r\n[keymap]\r\nnext_quote = \"x\"\r\n"
    assert with_theme(text, "nord") == text.replace("# my keys", 'theme = "nord"\r\n# my keys')
    assert with_theme("width = 72", "nord") == 'width = 72\ntheme = "nord"\n'


@pytest.mark.parametrize("text", ["theme = \nwidth = 3", 'theme = """\nnord"""\n', "theme = 5\n"])
def test_with_theme_leaves_a_file_it_cannot_change_safely(text: str) -> None:
    with pytest.raises(config.ConfigError):
        with_theme(text, "nord")


def test_remember_theme_keeps_the_file_its_link_and_its_mode(tmp_path: Path) -> None:
    (tmp_path / "dotfiles").mkdir()
    real = write(tmp_path / "dotfiles" / "newsreader.toml", HAND_WRITTEN)
    real.chmod(0o600)
    link = tmp_path / "config" / "config.toml"
    link.parent.mkdir()
    link.symlink_to(real)
    remember_theme(link, "nord")
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == HAND_WRITTEN.replace("'gruvbox'", '"nord"')
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    assert load(config_file=link).settings.theme == "nord"


def test_remember_theme_starts_a_missing_file_from_the_template(tmp_path: Path) -> None:
    path = tmp_path / "new" / "config.toml"
    remember_theme(path, "nord")
    assert tomllib.loads(path.read_text(encoding="utf-8"))["theme"] == "nord"
    assert "[keymap]" in path.read_text(encoding="utf-8")


def test_remember_theme_refuses_a_broken_file_and_leaves_it(settings_file: Path) -> None:
    write(settings_file, "theme = \n")
    with pytest.raises(config.ConfigError, match="not valid TOML.*theme not saved"):
        remember_theme(settings_file, "nord")
    assert settings_file.read_text(encoding="utf-8") == "theme = \n"


# ---------------------------------------------------------------- the commands


def test_config_show_origin_says_where_each_value_comes_from(settings_file: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    write(settings_file, 'width = 70\n[keymap]\nnext_quote = "x"\n')
    monkeypatch.setenv("NEWSREADER_THEME", "nord")
    assert cli.main(["config", "show", "--origin"]) == 0
    out = capsys.readouterr().out
    assert f"width = 70  # file {settings_file}\n" in out
    assert 'theme = "nord"  # env NEWSREADER_THEME\n' in out
    assert 'panels = "auto"  # default\n' in out
    assert f'next_quote = "x"  # file {settings_file}\n' in out
    shown = tomllib.loads(out)  # what it prints is a settings file
    assert shown["width"] == 70 and shown["keymap"] == {"next_quote": "x"}
    assert cli.main(["config", "show"]) == 0
    assert "# default" not in capsys.readouterr().out


def test_config_show_takes_the_file_given_before_the_command(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    given = write(tmp_path / "mine.toml", "width = 44\n")
    assert cli.main(["--config", str(given), "config", "show", "--origin"]) == 0
    assert f"width = 44  # file {given}" in capsys.readouterr().out
    assert os.environ[CONFIG_ENV] == str(given)  # for what the command starts: the pipeline, workers


def test_config_init_writes_the_template_and_never_overwrites_without_force(
        settings_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["config", "init"]) == 0
    assert capsys.readouterr().out == f"wrote {settings_file}\n"
    assert settings_file.read_text(encoding="utf-8") == config.template()
    write(settings_file, "width = 70\n")
    assert cli.main(["config", "init"]) == 1
    assert warning_lines(capsys.readouterr().err) == [
        f"newsreader: {settings_file}: already exists (use --force to replace it)"]
    assert settings_file.read_text(encoding="utf-8") == "width = 70\n"
    assert cli.main(["config", "init", "--force"]) == 0
    assert settings_file.read_text(encoding="utf-8") == config.template()


def test_config_check_exit_status(settings_file: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    with monkeypatch.context() as env:
        env.delenv(CONFIG_ENV)
        assert cli.main(["config", "check"]) == 0  # no file where the default one goes: fine
        assert capsys.readouterr().out == f"{config.default_config_path()}: ok (no such file: the defaults are used)\n"
    assert cli.main(["config", "check"]) == 1  # a file asked for that is not there
    assert warning_lines(capsys.readouterr().err) == [f"newsreader: {settings_file}: no such file; using the defaults"]
    write(settings_file, 'width = 70\ntheme = "nord"\n')
    assert cli.main(["config", "check"]) == 0
    assert capsys.readouterr().out == f"{settings_file}: ok\n"
    write(settings_file, 'wdith = 70\n[keymap]\nnext_qoute = "x"\n')
    assert cli.main(["config", "check"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert warning_lines(captured.err) == [
        f"newsreader: {settings_file}: wdith: unknown setting; did you mean width?",
        f"newsreader: {settings_file}: keymap.next_qoute: unknown binding id; did you mean next_quote or next_item?",
    ]


def test_keys_lists_every_binding_with_its_keys_after_the_keymap_and_its_screen(
        settings_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(settings_file, '[keymap]\nnext_quote = "x,right"\n')
    assert cli.main(["keys"]) == 0
    rows = {line.split()[0]: line.split() for line in capsys.readouterr().out.splitlines()[1:]}
    assert rows["next_quote"][1:3] == ["x,right", "reader"]
    assert rows["previous_quote"][1:3] == ["p", "reader"]
    assert rows["scroll_down"][1:4] == ["j,down", "reader", "(article)"]
    assert rows["quit"][1:6] == ["q", "reader,", "library,", "voices,", "feeds"]
    assert rows.keys() >= {"library_remove", "close_help", "cancel_save", "confirm_yes"}


def test_locate_prints_the_paths(settings_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("NEWSREADER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NEWSREADER_CACHE", str(tmp_path / "pages"))
    assert cli.main(["locate"]) == 0
    assert capsys.readouterr().out == (f"config   {settings_file}\nlibrary  {tmp_path / 'home'}\n"
                                       f"cache    {tmp_path / 'pages'}\n")
    for what, path in (("config", settings_file), ("library", tmp_path / "home"), ("cache", tmp_path / "pages")):
        assert cli.main(["locate", what]) == 0
        assert capsys.readouterr().out == f"{path}\n"
    assert cli.main(["locate", "elsewhere"]) == 2


def test_help_names_every_environment_variable(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    environment = out[out.index("\nenvironment:\n"):]
    for name in ("NEWSREADER_HOME", "NEWSREADER_CACHE", "NEWSREADER_NO_CACHE", "NEWSREADER_CONFIG", "NO_COLOR",
                 *(s.env for s in config.SETTINGS if s.env)):
        assert re.search(rf"(?m)^  {name} +\S", environment), name


def test_the_reader_gets_the_settings_with_the_command_line_first(
        settings_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    write(settings_file, 'theme = "gruvbox"\npanels = "shown"\nwidth = 500\n[keymap]\nnext_quote = "x"\n')
    monkeypatch.chdir(tmp_path)
    (tmp_path / "page.html").write_text("<p>A page.</p>", encoding="utf-8")  # the reader checks it is there
    seen = []
    app = types.ModuleType("newsreader.tui.app")
    app.run = lambda source, demo, config: seen.append(config) or 0  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "newsreader.tui.app", app)
    assert cli.main(["--theme", "nord", "--panels", "hidden", "page.html"]) == 0
    (loaded,) = seen
    assert (loaded.settings.theme, loaded.settings.panels, loaded.settings.width) == ("nord", "hidden", 80)
    assert loaded.settings.keymap == {"next_quote": "x"}
    assert loaded.origins["theme"] == "command line"
    assert warning_lines(capsys.readouterr().err) == [
        f"newsreader: {settings_file}: width: 500 is out of range (20 to 300); using 80 (default)"]
    assert cli.main(["--width", "500", "page.html"]) == 2


def test_export_uses_the_model_setting(settings_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsreader import pipeline
    from newsreader.model import Article, Reading

    models = []

    def annotate(article: Article, model: str | None = None) -> Reading:
        models.append(model)
        return Reading(article=article)

    monkeypatch.setattr(pipeline, "annotate", annotate)
    story = write(tmp_path / "story.txt", "A headline\n\nSome text of the story, long enough to be one.\n")
    write(settings_file, 'model = "en_from_file"\n')
    assert cli.main(["export", str(story), "--format", "txt", "-o", str(tmp_path / "a.txt")]) == 0
    assert cli.main(["export", str(story), "--format", "txt", "-o", str(tmp_path / "b.txt"), "--model", "en_x"]) == 0
    assert models == ["en_from_file", "en_x"]


def test_the_page_cache_defaults_to_the_user_cache_folder(settings_file: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.delenv("NEWSREADER_CACHE")
    assert config.cache_folder() == platformdirs.user_cache_path("newsreader") / "pages"
    monkeypatch.setenv("NEWSREADER_CACHE", str(settings_file.parent))
    assert config.cache_folder() == settings_file.parent
