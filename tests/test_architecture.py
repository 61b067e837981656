"""Nothing outside ``newsreader/tui/`` imports Textual: the pipeline, the exporters and
the CLI stay usable (and fast to start) without the UI toolkit."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from paths import ROOT

PACKAGE = ROOT / "newsreader"
UI_DIR = PACKAGE / "tui"


def textual_imports(source: str) -> list[int]:
    """Line numbers of every ``import textual…`` / ``from textual… import`` in ``source``,
    at any depth (inside functions too: the rule is about the module, not import time)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        else:
            continue
        if any(name.split(".")[0] == "textual" for name in names):
            lines.append(node.lineno)
    return lines


def modules_outside_the_ui() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if UI_DIR not in p.parents)


@pytest.mark.parametrize("source, expected", [
    ("import textual", [1]),
    ("import os, textual.widgets as w", [1]),
    ("def f():\n    from textual.app import App", [2]),
    ("from textual import on", [1]),
    ("import textualize\nfrom .textual import x\nfrom rich import textual", []),
])
def test_the_import_finder_finds_textual_imports(source: str, expected: list[int]) -> None:
    assert textual_imports(source) == expected


def test_no_module_outside_tui_imports_textual_statically() -> None:
    modules = modules_outside_the_ui()
    assert PACKAGE / "pipeline.py" in modules and PACKAGE / "cli.py" in modules
    offenders = {
        str(p.relative_to(PACKAGE.parent)): lines
        for p in modules
        if (lines := textual_imports(p.read_text(encoding="utf-8")))
    }
    assert offenders == {}


def test_pipeline_cli_export_and_library_run_without_loading_textual() -> None:
    script = (
        "import sys\n"
        "import newsreader.pipeline, newsreader.cli, newsreader.export, newsreader.library\n"
        "try:\n"
        "    newsreader.cli.main(['export', '--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print('LOADED:' + ','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True,
                            timeout=120, cwd=PACKAGE.parent)
    assert result.returncode == 0, result.stderr
    assert "usage" in result.stdout.lower()  # the help really was printed
    assert result.stdout.rstrip().splitlines()[-1] == "LOADED:"


def test_the_reader_starts_without_loading_the_heavy_libraries() -> None:
    """The first screen paints before spaCy, trafilatura or httpx load: they come with the work
    (numpy with the map, though the settings' key check knows every screen's keys, the map's too)."""
    heavy = ("spacy", "trafilatura", "httpx", "lxml", "feedparser", "numpy")
    script = (
        "import sys\n"
        "import newsreader.tui.app\n"
        "from newsreader.tui.keymap import key_rules\n"
        "key_rules()\n"
        f"print('LOADED:' + ','.join(sorted(m for m in {heavy!r} if m in sys.modules)))\n"
        "print('TUI:' + str('newsreader.tui.reader' in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True,
                            timeout=120, cwd=PACKAGE.parent)
    assert result.returncode == 0, result.stderr
    assert "TUI:True" in result.stdout  # the reader itself was imported
    assert "LOADED:\n" in result.stdout
