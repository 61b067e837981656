"""Every key binding by id: what ``[keymap]`` in config.toml can change, what
``newsreader keys`` lists, and what every hint that names a key asks, so that a
remapped key never shows its old name."""
from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.keys import Keys, format_key, key_to_character
from textual.theme import BUILTIN_THEMES

from newsreader.config import KeyRules

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})


@dataclass(frozen=True)
class Place:
    """Where a class's bindings answer: its screen, and the part of it when it is a widget."""

    screen: str
    part: str | None = None

    def __str__(self) -> str:
        return f"{self.screen} ({self.part})" if self.part else self.screen


# Each class with bindings of ours, and where they answer; the reader's first, so that its
# hints never import the library or the feed screen (imported when first asked, because
# the screens themselves ask this module for their hints).
_OWNERS: tuple[tuple[str, str, Place], ...] = (
    ("newsreader.tui.reader", "ReaderScreen", Place("reader")),
    ("newsreader.tui.article_view", "ArticleView", Place("reader", "article")),
    ("newsreader.tui.widgets", "EntityPanel", Place("reader", "panels")),
    ("newsreader.tui.map_view", "MapView", Place("reader", "map")),
    ("newsreader.tui.reader", "SearchInput", Place("reader", "search box")),
    ("newsreader.tui.correct_screen", "CorrectScreen", Place("correct dialog")),
    ("newsreader.tui.screens", "HelpScreen", Place("help")),
    ("newsreader.tui.screens", "OpenScreen", Place("open dialog")),
    ("newsreader.tui.screens", "SaveScreen", Place("save dialog")),
    ("newsreader.tui.screens", "ConfirmScreen", Place("confirm dialog")),
    ("newsreader.tui.library_screen", "LibraryScreen", Place("library")),
    ("newsreader.tui.library_screen", "LibraryList", Place("library", "list")),
    ("newsreader.tui.library_screen", "LibrarySearch", Place("library", "search box")),
    ("newsreader.tui.feed_screen", "FeedsPanel", Place("library", "feeds")),
    ("newsreader.tui.voices_screen", "VoicesScreen", Place("voices")),
    ("newsreader.tui.voices_screen", "VoicesTable", Place("voices", "speakers")),
    ("newsreader.tui.voices_screen", "VoicesQuotes", Place("voices", "quotes")),
    ("newsreader.tui.voices_screen", "VoicesFilter", Place("voices", "filter box")),
    ("newsreader.tui.feed_screen", "FeedScreen", Place("feeds")),
    ("newsreader.tui.feed_screen", "FeedTable", Place("feeds", "items")),
    ("newsreader.tui.feed_screen", "FeedFilter", Place("feeds", "filter box")),
)


def _owner(module: str, name: str) -> type:
    return getattr(import_module(module), name)  # type: ignore[no-any-return]


@cache
def _owners() -> tuple[tuple[type, Place], ...]:
    """Every class with bindings of ours, with where they answer."""
    return tuple((_owner(module, name), place) for module, name, place in _OWNERS)


@cache
def _binding(binding_id: str) -> Binding:
    """The binding ``binding_id`` (the first, for ids on several screens), importing only
    the screens up to the one that has it."""
    for module, name, _ in _OWNERS:
        for binding in _bindings(_owner(module, name)):
            if binding.id == binding_id:
                return binding
    raise KeyError(binding_id)


def _bindings(owner: type) -> list[Binding]:
    return [b for b in getattr(owner, "BINDINGS", ()) if isinstance(b, Binding) and b.id]


@cache
def bindings_by_id() -> dict[str, Binding]:
    """Every binding with an id, as its class declares it (the first, for ids on several screens)."""
    found: dict[str, Binding] = {}
    for owner, _ in _owners():
        for binding in _bindings(owner):
            found.setdefault(binding.id or "", binding)
    return found


@dataclass(frozen=True)
class Row:
    """One line of ``newsreader keys``."""

    id: str
    keys: str  # as the keymap writes them: "j,down"
    places: tuple[str, ...]
    description: str


def rows(keymap: Mapping[str, str]) -> list[Row]:
    """Every binding id with its keys after ``keymap``, where it answers and what it does."""
    places: dict[str, list[str]] = {}
    for owner, place in _owners():
        for binding in _bindings(owner):
            places.setdefault(binding.id or "", []).append(str(place))
    return [
        Row(i, keymap.get(i) or b.key, tuple(dict.fromkeys(places[i])), b.tooltip or b.description)
        for i, b in bindings_by_id().items()
    ]


# -- what a key is called ------------------------------------------------------------------

_NAMED = frozenset(
    k.value.rpartition("+")[2] for k in Keys if not k.value.startswith("<")
)


def is_key(key: str) -> bool:
    """Whether Textual has a key called ``key`` ("n", "G", "?", "question_mark", "ctrl+n", "f5")."""
    if len(key) == 1:
        return key.isprintable()
    *modifiers, base = key.split("+")
    if not base or any(m not in MODIFIERS for m in modifiers):
        return False
    return len(base) == 1 or base in _NAMED or key_to_character(base) is not None or format_key(base) != base


def canonical(key: str) -> str:
    """One spelling per key, the one the footer shows ("question_mark" and "?" are both "?")."""
    *modifiers, base = key.split("+") if len(key) > 1 else [key]
    return "+".join([*modifiers, format_key(base)])


@cache
def key_names() -> frozenset[str]:
    """Key names to suggest for a misspelt one."""
    characters = {unicodedata.name(chr(c), "").lower().replace(" ", "_").replace("-", "_") for c in range(33, 127)}
    return frozenset({k.value for k in Keys if not k.value.startswith("<")} | {n for n in characters if n})


@cache
def key_rules() -> KeyRules:
    """What the settings need to check a keymap and a theme.

    A key clashes only with keys that answer at the same time: a screen's own, and those
    of the one widget focused on it (two widgets of a screen are never focused together).
    """
    screens = {place.screen: _bindings(owner) for owner, place in _owners() if place.part is None}
    chains = {
        str(place): [b.id or "" for b in (*(screens.get(place.screen, []) if place.part else []), *_bindings(owner))]
        for owner, place in _owners()
    }
    return KeyRules(
        bindings={i: b.key for i, b in bindings_by_id().items()},
        scopes=chains,
        themes=frozenset(BUILTIN_THEMES),
        key_names=key_names(),
        is_key=is_key,
        canonical=canonical,
    )


# -- hints ---------------------------------------------------------------------------------


def live_keys(app: App[Any], binding: Binding) -> list[str]:
    """``binding``'s keys as they are now: the app's keymap's, else its own."""
    keymap: Mapping[str, str] = getattr(app, "keymap", None) or {}
    keys = keymap.get(binding.id or "") or binding.key
    return [k.strip() for k in keys.split(",") if k.strip()]


def keys_text(app: App[Any], binding: Binding, separator: str = " / ") -> str:
    """All of ``binding``'s keys as the footer shows keys ("j / ↓")."""
    return separator.join(app.get_key_display(binding.with_key(k)) for k in live_keys(app, binding))


def key(app: App[Any], binding_id: str) -> str:
    """The first key of the binding ``binding_id``, as the footer shows it: for hints like
    "press n"."""
    binding = _binding(binding_id)
    return app.get_key_display(binding.with_key(live_keys(app, binding)[0]))
