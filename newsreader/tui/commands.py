"""Command palette entries that live with their screen, through Textual's ``Screen.COMMANDS``.

A screen names a :class:`ScreenCommands` subclass in its ``COMMANDS``; the palette then
offers that screen's entries, found by their title, beside Textual's own.
"""
from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable

from textual.app import SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Provider


class ScreenCommands(Provider):
    """The palette entries of the screen the palette was opened over."""

    @abstractmethod
    def commands(self) -> Iterable[SystemCommand]:
        """The screen's entries: title, help (naming the key), callback."""

    async def discover(self) -> Hits:
        for command in sorted(self.commands(), key=lambda c: c.title):
            if command.discover:
                yield DiscoveryHit(command.title, command.callback, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self.commands():
            if (score := matcher.match(command.title)) > 0:
                yield Hit(score, matcher.highlight(command.title), command.callback, help=command.help)
