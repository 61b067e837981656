from __future__ import annotations

from pathlib import Path

import pytest

from newsreader.config import CONFIG_ENV, SETTINGS

# The feed tests' local HTTP server fixture, shared by every module that asks for "server".
pytest_plugins = ["feed_support"]

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside this checkout")
    return CORPUS


@pytest.fixture(scope="session")
def nlp():
    """The spaCy pipeline as the app loads it, once per test session."""
    from newsreader.nlp.model import get_nlp

    return get_nlp()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty library of the test's own (never the user's)."""
    root = tmp_path / "home"
    monkeypatch.setenv("NEWSREADER_HOME", str(root))
    return root


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the user's page cache, library or settings."""
    monkeypatch.setenv("NEWSREADER_CACHE", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("NEWSREADER_HOME", str(tmp_path_factory.mktemp("library")))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))  # the default config.toml
    for setting in SETTINGS:
        if setting.env and setting.env != "NEWSREADER_CACHE":
            monkeypatch.delenv(setting.env, raising=False)
    # Set, then removed: so that the value the CLI sets for --config is removed after the test too.
    monkeypatch.setenv(CONFIG_ENV, "")
    monkeypatch.delenv(CONFIG_ENV)
