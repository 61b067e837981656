"""What a person sees on the feed screen: an SVG snapshot over a sample feed read from a
file, annotated by the fake pipeline, at a fixed time (ages never vary).

Regenerate after a deliberate change with ``pytest tests/test_feed_snapshots.py --snapshot-update``
and look at the SVG in tests/__snapshots__/ before committing it.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from feed_support import fixture
from test_feed_screen import FakePipeline
from textual.pilot import Pilot
from tui_support import settle

from newsreader.tui import feed_screen
from newsreader.tui.app import NewsreaderApp

SIZE = (120, 36)


def test_feed_screen(snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feed_screen, "now", lambda: datetime(2024, 3, 7, 12, tzinfo=timezone.utc))
    path = tmp_path / "harbour.xml"
    path.write_bytes(fixture("rss2.xml").replace(b"<link>/", b"<link>https://harbour.example/"))
    app = NewsreaderApp(pipeline=FakePipeline().pipeline(), feeds=[path.as_uri()])

    async def annotate_all(pilot: Pilot) -> None:
        await settle(pilot.app)  # the feed is read
        assert pilot.app.is_screen_installed("feeds") and len(pilot.app.get_screen("feeds").view) == 3
        screen = pilot.app.get_screen("feeds")
        await pilot.press("a")
        await settle(pilot.app)  # every item is annotated
        assert screen.annotating is None and all(i.quotes is not None for i in screen.view)
        pilot.app.clear_notifications()
        await pilot.press("j")
        await pilot.pause()

    assert snap_compare(app, run_before=annotate_all, terminal_size=SIZE)
