"""The library: saved copies, the SQLite index, full-text search, crash and concurrency safety."""
from __future__ import annotations

import io
import json
import os
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import types
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from newsreader.cli import main
from newsreader.errors import LoadError
from newsreader.export import render
from newsreader.export.jsonfmt import to_dict
from newsreader.library import Library, LibraryError, fts_query, source_key
from newsreader.model import Article, Entity, Place, Quote, Reading, Span, Speaker
from newsreader.safety import title_stem


def make_reading(
    source: str,
    title: str | None,
    body: str,
    *,
    speaker: str | None = None,
    site: str | None = "Example News",
    byline: str | None = "Jane Doe",
) -> Reading:
    """A small annotated Reading: one quote by ``speaker`` (if any) after the body."""
    text = body
    quotes, speakers, entities = (), (), ()
    if speaker:
        said = f'"We will see," {speaker} said.'
        start = len(body) + 2
        text = f"{body}\n\n{said}"
        name_at = start + said.index(speaker)
        mention = Span(name_at, name_at + len(speaker), speaker)
        quotes = (Quote(start + 1, start + 12, "We will see", speaker, mention),)
        surname = speaker.split()[-1]
        speakers = (Speaker(speaker, (surname,), "person", (0,)),)
        entities = (Entity(mention.start, mention.end, speaker, "PERSON", speaker),)
    article = Article(source, title, byline, site, "2024-05-01", text)
    places = (Place("Moscow", ("Moskva",), "city", 1),) if "Moscow" in body else ()
    return Reading(article, entities, quotes, speakers, places)


MOSCOW = make_reading(
    "https://example.org/world/moscow", "Talks in Moscow", "Diplomats met in Moscow on Tuesday.",
    speaker="Rex Tillerson",
)
KYIV = make_reading(
    "https://example.org/world/kyiv", "A café in Kyiv", "The café in Kyiv reopened this week.",
    site="Daily Planet", byline="Clark Kent",
)
GARDEN = make_reading("https://example.org/life/garden", "Spring gardens", "Tulips bloomed early.")


@pytest.fixture
def lib(home: Path) -> Library:
    return Library()


def folders(lib: Library) -> list[str]:
    return sorted(p.name for p in lib.articles.iterdir())


# -- save, get, list ---------------------------------------------------------


def test_newsreader_home_is_the_default_root(home: Path) -> None:
    assert Library().root == home
    assert (home / "library.sqlite3").is_file()


def test_saved_copy_reopens_with_every_annotation(lib: Library) -> None:
    entry = lib.save(MOSCOW)
    assert lib.get(entry.id) == MOSCOW
    assert (entry.title, entry.site, entry.byline, entry.date) == (
        "Talks in Moscow", "Example News", "Jane Doe", "2024-05-01",
    )
    assert entry.path.parent == lib.articles
    assert json.loads(lib.path_of(entry.id, "json").read_text()) == to_dict(MOSCOW)
    saved = datetime.fromisoformat(entry.saved)
    assert lib.path_of(entry.id, "md").read_text() == render(MOSCOW, "md", saved=saved)


def test_reopening_needs_no_pipeline(lib: Library) -> None:
    """A child process where the pipeline, spaCy and the HTTP client cannot even be imported."""
    entry = lib.save(MOSCOW)
    blocked = ["newsreader.pipeline", "newsreader.nlp", "newsreader.load", "spacy", "httpx"]
    code = textwrap.dedent(
        f"""
        import sys
        sys.modules.update(dict.fromkeys({blocked!r}))
        from newsreader.export.jsonfmt import render_json
        from newsreader.library import Library
        print(render_json(Library().get({entry.id})), end="")
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == to_dict(MOSCOW)


def test_list_is_newest_first(lib: Library) -> None:
    ids = [lib.save(r).id for r in (MOSCOW, KYIV, GARDEN)]
    assert [e.id for e in lib.list()] == ids[::-1]
    assert len(set(ids)) == 3


def test_resaving_a_source_updates_its_entry(lib: Library) -> None:
    first = lib.save(make_reading("https://Example.org/a?page=2#comments", "Old title", "Old body."))
    second = lib.save(make_reading("https://example.org/a?page=2", "New title", "New body."))
    assert second.id == first.id
    assert [e.title for e in lib.list()] == ["New title"]
    assert lib.get(first.id).article.text == "New body."
    assert lib.search("old") == []
    assert [e.id for e in lib.search("new body")] == [first.id]
    assert folders(lib) == [second.path.name]  # the old copy is gone


def test_other_query_strings_are_other_articles(lib: Library) -> None:
    a = lib.save(make_reading("https://example.org/a?page=1", "One", "First page."))
    b = lib.save(make_reading("https://example.org/a?page=2", "Two", "Second page."))
    assert a.id != b.id and len(lib.list()) == 2


def test_file_sources_are_identified_by_absolute_path(
    lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    relative = lib.save(make_reading("story.html", "Story", "Text."))
    absolute = lib.save(make_reading(str(tmp_path / "story.html"), "Story, revised", "Text."))
    assert relative.id == absolute.id
    assert absolute.source == str((tmp_path / "story.html").resolve())


def test_a_saved_copy_keeps_a_file_source_as_an_absolute_path(
    lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    entry = lib.save(make_reading("story.html", "Story", "Text."))
    absolute = str((tmp_path / "story.html").resolve())
    assert lib.get(entry.id).article.source == absolute  # it opens again from any folder
    assert f'source: "{absolute}"' in lib.path_of(entry.id, "md").read_text()
    monkeypatch.chdir("/")
    again = lib.save(lib.get(entry.id))  # saving the saved copy is the same article
    assert again.id == entry.id and len(lib.list()) == 1


def test_a_saved_copy_of_stdin_is_named_by_its_title_or_time(lib: Library) -> None:
    titled = lib.save(make_reading("-", "Pasted story", "First text."))
    untitled = lib.save(make_reading("-", None, "Second text."))
    assert lib.get(titled.id).article.source == "stdin: Pasted story"
    saved = datetime.fromisoformat(untitled.saved).astimezone()
    assert lib.get(untitled.id).article.source == f"stdin: {saved:%Y-%m-%d %H:%M}"
    assert lib.save(lib.get(titled.id)).id == titled.id  # still known by its text
    assert len(lib.list()) == 2


def test_stdin_articles_are_identified_by_their_text() -> None:
    one, two = (Article("-", None, None, None, None, t) for t in ("First.", "Second."))
    assert source_key(one) != source_key(two)
    assert source_key(one) == source_key(Article("-", "Other", None, None, None, "First."))


def test_remove_deletes_entry_and_files(lib: Library) -> None:
    keep, gone = lib.save(MOSCOW), lib.save(KYIV)
    removed = lib.remove(gone.id)
    assert removed.id == gone.id
    assert [e.id for e in lib.list()] == [keep.id]
    assert not gone.path.exists()
    assert lib.search("kyiv") == []
    with pytest.raises(LibraryError, match=str(gone.id)):
        lib.get(gone.id)
    with pytest.raises(LibraryError):
        lib.remove(gone.id)


def test_removed_ids_are_not_reused(lib: Library) -> None:
    old = lib.save(MOSCOW)
    lib.remove(old.id)
    assert lib.save(KYIV).id > old.id


def test_unknown_id_is_a_clear_error(lib: Library) -> None:
    with pytest.raises(LibraryError, match="no saved article with id 42"):
        lib.get(42)


def test_path_of_only_knows_stored_formats(lib: Library) -> None:
    entry = lib.save(GARDEN)
    with pytest.raises(ValueError):
        lib.path_of(entry.id, "html")


# -- search --------------------------------------------------------------------


@pytest.fixture
def three(lib: Library) -> dict[str, int]:
    return {name: lib.save(r).id for name, r in (("moscow", MOSCOW), ("kyiv", KYIV), ("garden", GARDEN))}


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("moscow", ["moscow"]),  # title and body
        ("tillerson", ["moscow"]),  # a speaker's alias
        ("clark kent", ["kyiv"]),  # byline, all words must match
        ("daily planet", ["kyiv"]),  # site
        ("example news", ["moscow", "garden"]),  # site shared by two
        ("cafe", ["kyiv"]),  # diacritics do not matter
        ("TULIPS", ["garden"]),  # nor case
        ("tul*", ["garden"]),  # prefix search
        ("moscow tulips", []),  # no article has both
        ("nothing-like-this", []),
    ],
)
def test_search_narrows(lib: Library, three: dict[str, int], words: str, expected: list[str]) -> None:
    assert sorted(e.id for e in lib.search(words)) == sorted(three[n] for n in expected)


def test_search_ranks_title_hits_first(lib: Library) -> None:
    body_only = lib.save(make_reading("https://example.org/1", "Weather", "Snow fell on the harbour."))
    in_title = lib.save(make_reading("https://example.org/2", "The harbour", "Boats."))
    assert [e.id for e in lib.search("harbour")] == [in_title.id, body_only.id]


@pytest.mark.parametrize(
    "words",
    ['"', '""', "*", "**", "-", "OR", "AND NOT", "(", ")", "(moscow", 'moscow"', "title:moscow",
     "NEAR(moscow kyiv)", "^moscow", "moscow + kyiv", "'", "a\"b*c", "{title}: x", "", "   "],
)
def test_search_syntax_is_never_an_error(lib: Library, three: dict[str, int], words: str) -> None:
    assert isinstance(lib.search(words), list)


def test_search_operators_are_plain_words(lib: Library, three: dict[str, int]) -> None:
    assert lib.search("moscow OR kyiv") == []  # OR is a word no article contains
    assert [e.id for e in lib.search("-moscow")] == [three["moscow"]]  # not a NOT
    assert [e.id for e in lib.search('"Moscow"')] == [three["moscow"]]
    assert [e.id for e in lib.search("(moscow)")] == [three["moscow"]]


def test_fts_query_quotes_every_word() -> None:
    assert fts_query('say "hi" tul* OR') == '"say" """hi""" "tul"* "OR"'
    assert fts_query("* **") == ""


# -- file names ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("../../etc/passwd", "etc-passwd"),
        ("/absolute/path", "absolute-path"),
        ("C:\\Windows\\system32", "c-windows-system32"),
        ("..", "article"),
        ("", "article"),
        (None, "article"),
        ("CON", "_con"),
        ("lpt1", "_lpt1"),
        ("Nul", "_nul"),
        ("Talks in Moscow: day 2", "talks-in-moscow-day-2"),
        ("Café \x1b[31mrouge\x1b[0m", "café-rouge"),
    ],
)
def test_safe_name(title: str | None, expected: str) -> None:
    assert title_stem(title, max_len=60) == expected


@given(st.text())
def test_safe_name_never_leaves_its_folder(title: str) -> None:
    name = title_stem(title, max_len=60)
    assert 0 < len(name) <= 61
    assert all(c.isalnum() or c in "-_" for c in name)
    assert not name.startswith(("-", ".")) and name.casefold() not in {"con", "prn", "aux", "nul"}
    base = Path("/library/articles")
    assert (base / name).resolve().parent == base


def test_hostile_title_stays_inside_articles(lib: Library, tmp_path: Path) -> None:
    entry = lib.save(make_reading("https://example.org/x", "../../../escape/CON", "Body."))
    assert entry.path.parent == lib.articles
    assert not (tmp_path / "escape").exists()


def test_tampered_index_cannot_point_outside(lib: Library) -> None:
    entry = lib.save(GARDEN)
    with sqlite3.connect(lib.db_path) as db:
        db.execute("UPDATE entries SET folder = '../../outside' WHERE id = ?", (entry.id,))
    with pytest.raises(LibraryError, match="unsafe folder"):
        lib.get(entry.id)


# -- crashes and parallel savers ---------------------------------------------------------

# Saves the JSON documents named on its command line into $NEWSREADER_HOME, and talks to
# the test through its stdout and stdin (nothing is polled or timed):
# argv: HOLD PAUSE DOC...: with HOLD "hold", writes "ready" once imported and waits for a
# line on (or the end of) stdin before saving; with PAUSE "pause", the last save writes
# "paused" when it reaches the library's pause point (its files written, the index not
# committed, the write lock held) and waits there for stdin the same way.
SAVER = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from newsreader import library
    from newsreader.export.jsonfmt import from_dict

    hold, pause, *docs = sys.argv[1:]
    readings = [from_dict(json.loads(Path(d).read_text(encoding="utf-8"))) for d in docs]
    pausing = False

    def say(line):
        sys.stdout.write(line + "\\n")
        sys.stdout.flush()

    def pause_point():  # where save() calls its test hook
        if pausing:
            say("paused")
            sys.stdin.readline()

    library._files_written = pause_point
    if hold == "hold":
        say("ready")
        sys.stdin.readline()
    lib = library.Library()
    for i, reading in enumerate(readings):
        pausing = pause == "pause" and i == len(readings) - 1
        lib.save(reading)
    """
)
PATIENCE_S = 120  # only a guard against a hung child; nothing is timed


def start_saver(tmp_path: Path, home: Path, readings: list[Reading], *, name: str, hold: bool = False,
                pause: bool = False) -> subprocess.Popen[bytes]:
    """Start :data:`SAVER`; a held or pausing saver goes on when :func:`release` is called."""
    docs = []
    for i, reading in enumerate(readings):
        doc = tmp_path / f"{name}-{i}.json"
        doc.write_text(json.dumps(to_dict(reading)), encoding="utf-8")
        docs.append(str(doc))
    env = {**os.environ, "NEWSREADER_HOME": str(home)}
    proc = subprocess.Popen(
        [sys.executable, "-c", SAVER, "hold" if hold else "-", "pause" if pause else "-", *docs],
        env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0,
    )
    if not (hold or pause):
        release(proc)
    return proc


def release(proc: subprocess.Popen[bytes]) -> None:
    """Let a held or paused saver go on: the end of its stdin."""
    assert proc.stdin is not None
    proc.stdin.close()


def wait_for(line: str, proc: subprocess.Popen[bytes]) -> None:
    """Block until the saver writes its next line, which must be ``line``."""
    assert proc.stdout is not None and proc.stderr is not None
    readable, _, _ = select.select([proc.stdout], [], [], PATIENCE_S)
    if not readable:
        proc.kill()
        pytest.fail(f"saver never said {line!r}")
    said = proc.stdout.readline()  # unbuffered: reads up to the newline and no further
    if not said:
        pytest.fail(f"saver exited with {proc.wait(timeout=PATIENCE_S)}: {proc.stderr.read().decode()}")
    if said.decode() != f"{line}\n":
        proc.kill()
        pytest.fail(f"saver said {said!r}, not {line!r}")


def kill_halfway(tmp_path: Path, home: Path, readings: list[Reading]) -> None:
    """Save ``readings`` in a child and SIGKILL it after the last save's files, before its commit."""
    proc = start_saver(tmp_path, home, readings, name="killed", pause=True)
    wait_for("paused", proc)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=PATIENCE_S) == -signal.SIGKILL


def integrity(lib: Library) -> str:
    with sqlite3.connect(lib.db_path) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_save_killed_halfway_leaves_earlier_articles_intact(
    tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    kill_halfway(tmp_path, home, [MOSCOW, KYIV])
    status, out, _ = run(capsys, "library", "list")
    assert status == 0 and out.endswith("  Talks in Moscow\n") and len(out.splitlines()) == 1
    lib = Library()
    entries = lib.list()
    assert [e.title for e in entries] == [MOSCOW.article.title]
    assert lib.get(entries[0].id) == MOSCOW
    assert lib.search("kyiv") == []
    assert len(folders(lib)) == 2  # the killed save's files, written but never indexed
    assert integrity(lib) == "ok"

    again = lib.save(KYIV)  # the next save cleans up after the killed one
    assert {e.title for e in lib.list()} == {MOSCOW.article.title, KYIV.article.title}
    assert folders(lib) == sorted([entries[0].path.name, again.path.name])


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_resave_killed_halfway_keeps_the_previous_copy(tmp_path: Path, home: Path) -> None:
    revised = make_reading(MOSCOW.article.source, "Talks in Moscow, updated", "Nothing came of it.")
    kill_halfway(tmp_path, home, [MOSCOW, revised])
    lib = Library()
    [entry] = lib.list()
    assert entry.title == MOSCOW.article.title
    assert lib.get(entry.id) == MOSCOW
    assert lib.path_of(entry.id, "md").read_text() == render(
        MOSCOW, "md", saved=datetime.fromisoformat(entry.saved)
    )


def test_parallel_savers_both_land(tmp_path: Path, home: Path) -> None:
    batches = {
        name: [make_reading(f"https://example.org/{name}/{i}", f"{name} story {i}", f"Body {name}{i}.")
               for i in range(5)]
        for name in ("left", "right")
    }
    started = [start_saver(tmp_path, home, rs, name=name, hold=True) for name, rs in batches.items()]
    for proc in started:
        wait_for("ready", proc)
    for proc in started:  # both start saving at once, on a library neither has created yet
        release(proc)
    for proc in started:
        assert proc.wait(timeout=PATIENCE_S) == 0, proc.stderr.read().decode()

    lib = Library()
    assert integrity(lib) == "ok"
    titles = {e.title for e in lib.list()}
    assert titles == {r.article.title for rs in batches.values() for r in rs}
    for name, rs in batches.items():
        assert len(lib.search(name)) == len(rs)
    assert len(folders(lib)) == 10


# -- command line ---------------------------------------------------------------------


@pytest.fixture
def fake_pipeline(monkeypatch: pytest.MonkeyPatch) -> None:
    """``pipeline.read`` returning the hand-built readings: the CLI tests need no spaCy."""
    import newsreader

    readings = {r.article.source: r for r in (MOSCOW, KYIV, GARDEN)}

    def read(source: str, *, model: str | None = None) -> Reading:
        if source not in readings:
            raise LoadError(f"{source}: no such file")
        return readings[source]

    fake = types.ModuleType("newsreader.pipeline")
    fake.read = read  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "newsreader.pipeline", fake)
    monkeypatch.setattr(newsreader, "pipeline", fake, raising=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_save_then_list_search_show_remove(
    home: Path, fake_pipeline: None, capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run(capsys, "save", MOSCOW.article.source, "missing.html", KYIV.article.source)
    assert status == 1
    assert out.splitlines() == ["saved 1  Talks in Moscow", "saved 2  A café in Kyiv"]
    assert err == "newsreader: missing.html: no such file\n"  # the source named once

    status, out, _ = run(capsys, "library", "list")
    lib = Library()
    day = {i: f"{datetime.fromisoformat(lib.entry(i).saved).astimezone():%Y-%m-%d}" for i in (1, 2)}  # local
    assert status == 0
    assert out.splitlines() == [
        f"2  {day[2]}  Daily Planet  A café in Kyiv",
        f"1  {day[1]}  Example News  Talks in Moscow",
    ]

    status, out, _ = run(capsys, "library", "search", "rex", "tillerson")
    assert (status, [line.split()[0] for line in out.splitlines()]) == (0, ["1"])

    saved = datetime.fromisoformat(lib.entry(1).saved)
    for fmt in ("md", "txt", "html", "json"):
        status, out, _ = run(capsys, "library", "show", "1", "--format", fmt)
        assert (status, out) == (0, render(MOSCOW, fmt, saved=saved))

    status, out, _ = run(capsys, "library", "remove", "1", "--yes")
    assert (status, out) == (0, "removed 1  Talks in Moscow\n")
    assert [e.id for e in lib.list()] == [2]


def test_cli_save_again_updates(home: Path, fake_pipeline: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "save", GARDEN.article.source)[0] == 0
    status, out, _ = run(capsys, "save", GARDEN.article.source)
    assert (status, out) == (0, "saved 1  Spring gardens\n")
    assert len(Library().list()) == 1


def test_cli_library_alone_lists(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Library().save(GARDEN)
    status, out, _ = run(capsys, "library")
    assert status == 0 and out.endswith("Example News  Spring gardens\n")


def test_cli_empty_results_say_so_on_stderr(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "library", "list") == (0, "", "newsreader: the library is empty; add articles with "
                                                  "'newsreader save SOURCE'\n")
    status, out, err = run(capsys, "library", "search", "nothing")
    assert (status, out) == (1, "") and "no saved article matches" in err  # as grep: nothing found is 1


def test_cli_listing_is_aligned_and_free_of_escapes(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lib = Library()
    for i in range(11):  # two-digit ids
        lib.save(make_reading(f"https://example.org/{i}", f"Story {i}", "Body.", site="Site"))
    lib.save(make_reading("https://example.org/evil", "Red\x1b[31m\nalert\x07", "Body.",
                          site="\x1b]52;c;ZXZpbA==\x07日本のサイト"))
    status, out, _ = run(capsys, "library", "list")
    lines = out.splitlines()
    assert status == 0 and len(lines) == 12
    assert lines[0].endswith("  日本のサイト  Red alert")
    assert "\x1b" not in out and "\x07" not in out
    title_columns = {cell_len(line[: line.rindex("  ") + 2]) for line in lines}
    assert len(title_columns) == 1  # every title starts in the same terminal column


def test_cli_remove_needs_yes_without_a_terminal(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    entry = Library().save(GARDEN)
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
    status, _, err = run(capsys, "library", "remove", str(entry.id))
    assert status == 2 and "--yes" in err
    assert [e.id for e in Library().list()] == [entry.id]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("answer", "removed"), [("y\n", True), ("yes\n", True), ("n\n", False), ("", False)])
def test_cli_remove_asks_on_a_terminal(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, answer: str, removed: bool,
) -> None:
    entry = Library().save(GARDEN)
    monkeypatch.setattr(sys, "stdin", Terminal(answer))
    status, _, err = run(capsys, "library", "remove", str(entry.id))
    assert "Remove 1 'Spring gardens' from the library? [y/N]" in err
    assert status == 0  # saying no is no failure
    assert ("nothing removed" in err) is not removed
    assert (Library().list() == []) is removed


def test_cli_unknown_id(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "library", "show", "9") == (1, "", "newsreader: no saved article with id 9\n")
    status, _, err = run(capsys, "library", "show", "nine")
    assert status == 2 and "not an article id" in err


@pytest.mark.parametrize(
    "command",
    [["save"], ["library"], ["library", "list"], ["library", "search"], ["library", "show"], ["library", "remove"],
     ["library", "repair"]],
)
def test_cli_help_has_examples(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    status, out, _ = run(capsys, *command, "--help")
    assert status == 0
    assert f"newsreader {' '.join(command)}" in out.split("examples:")[1]


def test_the_demo_has_one_key_wherever_it_is_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsreader.samples import DEMO_SOURCE

    demo = make_reading(DEMO_SOURCE, "Demo", "The demo body.").article
    first = source_key(demo)
    monkeypatch.chdir(tmp_path)
    assert source_key(demo) == first == DEMO_SOURCE


def test_a_failed_write_is_a_library_error_naming_the_path(lib: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(LibraryError, match=r"cannot write the saved copy to .*articles.*No space left"):
        lib.save(MOSCOW)
    monkeypatch.undo()
    assert lib.list() == [] and folders(lib) == []  # nothing half-saved


# -- a lost or damaged index ------------------------------------------------------------


def snapshot(lib: Library) -> dict[str, bytes]:
    """Every file under articles/, by relative path: what must survive any damage to the index."""
    return {str(p.relative_to(lib.articles)): p.read_bytes()
            for p in sorted(lib.articles.rglob("*")) if p.is_file()}


def saved_three(lib: Library) -> list:
    """Three articles with a gap in the ids (one removed) and one saved twice."""
    lib.save(MOSCOW)
    lib.remove(lib.save(make_reading("https://example.org/gone", "Gone", "Removed again.")).id)
    lib.save(KYIV)
    lib.save(GARDEN)
    lib.save(KYIV)  # a re-save: same id, new folder
    return lib.list()


def damage(db_path: Path, how: str) -> None:
    for suffix in ("-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    if how == "deleted":
        db_path.unlink()
    elif how == "truncated":
        db_path.write_bytes(b"")
    else:
        db_path.write_bytes(b"this is not a database\n" * 200)


@pytest.mark.parametrize(("how", "said"), [("deleted", "missing"), ("truncated", "empty"), ("garbage", "damaged")])
def test_a_lost_index_is_rebuilt_from_the_folders_and_nothing_is_deleted(
    home: Path, how: str, said: str,
) -> None:
    lib = Library()
    before = saved_three(lib)
    files = snapshot(lib)
    damage(lib.db_path, how)

    again = Library()
    assert again.list() == before  # same ids, sources, titles, times saved and folders
    assert snapshot(again) == files  # nothing deleted, nothing rewritten
    [notice] = again.notices
    assert notice.startswith(f"the library index was {said}")
    assert notice.endswith("rebuilt it from 3 saved articles")
    ids = {e.title: e.id for e in before}
    assert [e.id for e in again.search("tillerson")] == [ids[MOSCOW.article.title]]
    assert again.get(ids[KYIV.article.title]) == KYIV
    if how == "garbage":  # the damaged file is kept, not deleted
        [kept] = [p for p in again.quarantine.iterdir() if p.suffix == ".sqlite3"]
        assert kept.read_bytes().startswith(b"this is not a database")

    newer = again.save(make_reading("https://example.org/new", "New", "After the repair."))
    assert newer.id > max(e.id for e in before)  # ids are not reused
    assert again.save(KYIV).id == ids[KYIV.article.title]  # the source keys came back too
    assert len(again.list()) == 4
    assert {e.path.name for e in again.list()} == set(folders(again))


@pytest.mark.parametrize("how", ["deleted", "truncated", "garbage"])
def test_cli_save_after_losing_the_index_keeps_every_article(
    home: Path, fake_pipeline: None, capsys: pytest.CaptureFixture[str], how: str,
) -> None:
    assert run(capsys, "save", MOSCOW.article.source, KYIV.article.source)[0] == 0
    damage(home / "library.sqlite3", how)
    status, out, err = run(capsys, "save", GARDEN.article.source)
    assert (status, out) == (0, "saved 3  Spring gardens\n")
    assert err.count("\n") == 1 and err.startswith("newsreader: the library index was ")
    assert "rebuilt it from 2 saved articles" in err
    status, out, err = run(capsys, "library", "list")
    assert (status, err) == (0, "")
    assert [line.split()[0] for line in out.splitlines()] == ["3", "2", "1"]


def test_a_file_source_keeps_its_key_through_a_rebuild(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A relative path's key is absolute at save time; the rebuild must not resolve it again elsewhere."""
    monkeypatch.chdir(tmp_path)
    entry = Library().save(make_reading("story.html", "Story", "Text."))
    damage(home / "library.sqlite3", "deleted")
    monkeypatch.chdir(home)
    [rebuilt] = Library().list()
    assert rebuilt.source == entry.source == str(tmp_path / "story.html")


def test_an_index_that_lost_rows_gets_them_back_on_the_next_save(home: Path) -> None:
    """An older copy of the index put back (a restored backup) is a valid index that does not
    know the newer articles: the next save indexes them again instead of deleting them."""
    lib = Library()
    lib.save(MOSCOW)
    backup = home.parent / "backup.sqlite3"
    with sqlite3.connect(lib.db_path) as src, sqlite3.connect(backup) as dst:
        src.backup(dst)
    lib.save(KYIV)
    lib.save(GARDEN)
    files = snapshot(lib)
    damage(lib.db_path, "deleted")
    backup.rename(lib.db_path)
    lib = Library()
    assert [e.title for e in lib.list()] == [MOSCOW.article.title]  # what the old index knows

    lib.save(make_reading("https://example.org/new", "New", "Body."))
    assert files.items() <= snapshot(lib).items()
    assert {e.title for e in lib.list()} == {MOSCOW.article.title, KYIV.article.title,
                                             GARDEN.article.title, "New"}
    assert lib.notices == ["the library index had lost saved articles: 3 articles in the index, "
                           "2 indexed again from their folders"]


def test_a_copy_that_cannot_be_read_is_quarantined_not_deleted(home: Path) -> None:
    lib = Library()
    keep = lib.save(MOSCOW)
    broken = lib.save(KYIV)
    (broken.path / "article.json").write_text("{ not json", encoding="utf-8")
    damage(lib.db_path, "deleted")
    lib = Library()
    assert [e.id for e in lib.list()] == [keep.id]
    assert (lib.quarantine / broken.path.name / "article.json").read_text() == "{ not json"
    assert lib.notices == [f"the library index was missing; rebuilt it from 1 saved article; "
                           f"1 folder moved to {lib.quarantine}"]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_killed_resave_and_a_lost_index_keep_the_committed_copy(tmp_path: Path, home: Path) -> None:
    revised = make_reading(MOSCOW.article.source, "Talks in Moscow, updated", "Nothing came of it.")
    kill_halfway(tmp_path, home, [MOSCOW, revised])
    damage(home / "library.sqlite3", "deleted")
    lib = Library()
    [entry] = lib.list()
    assert lib.get(entry.id) == MOSCOW  # the copy the index had committed, not the killed one
    [aside] = lib.quarantine.iterdir()  # the killed save's copy: set aside, not deleted
    assert aside.name.startswith(f"{entry.id}-talks-in-moscow-updated-")


def test_a_library_of_the_previous_version_is_upgraded_without_losing_a_folder(home: Path) -> None:
    lib = Library()
    before = [lib.save(r) for r in (MOSCOW, KYIV)]
    for entry in before:
        (entry.path / "entry.json").unlink(missing_ok=True)  # the previous version wrote no marks
    stray = lib.articles / "3-spring-gardens-abcdef"  # a save killed before its commit
    stray.mkdir()
    for name, data in (("article.json", render(GARDEN, "json")), ("article.md", render(GARDEN, "md"))):
        (stray / name).write_text(data, encoding="utf-8")
    with sqlite3.connect(lib.db_path) as db:
        db.execute("PRAGMA user_version = 1")

    lib = Library()
    assert [e.title for e in lib.list()] == [GARDEN.article.title, KYIV.article.title, MOSCOW.article.title]
    assert all((e.path / "entry.json").is_file() for e in lib.list())
    lib.save(GARDEN)
    assert len(folders(lib)) == 3


def test_repair_fixes_rows_and_reports_what_it_did(
    home: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    lib = Library()
    entries = {e.title: e for e in saved_three(lib)}
    with sqlite3.connect(lib.db_path) as db:
        db.execute("UPDATE entries SET title = 'Wrong' WHERE id = ?", (entries["Talks in Moscow"].id,))
        db.execute("UPDATE entries SET folder = '../../outside' WHERE id = ?", (entries["A café in Kyiv"].id,))
        db.execute("DELETE FROM entries WHERE id = ?", (entries["Spring gardens"].id,))
        db.execute("DELETE FROM entries_fts")
        db.execute("INSERT INTO entries (id, source, saved, folder) VALUES (99, 'x', '2024-01-01', '99-x-abcdef')")
    status, out, err = run(capsys, "library", "repair")
    assert (status, err) == (0, "")
    assert out == ("repaired: 3 articles in the index, 1 indexed again from their folders, "
                   "2 bad rows fixed, 1 row dropped (no saved copy)\n")
    assert Library().list() == list(entries.values())
    assert [e.title for e in Library().search("tulips")] == ["Spring gardens"]
    assert run(capsys, "library", "repair") == (0, "nothing to repair: 3 articles in the index\n", "")


# -- readers and writers ---------------------------------------------------------------


@pytest.fixture
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any wait for a lock fails at once: a reader that needed the writer's lock would fail."""
    monkeypatch.setattr("newsreader.library._BUSY_TIMEOUT_S", 0.0)


def test_readers_do_not_wait_for_a_writer(
    home: Path, no_waiting: None, capsys: pytest.CaptureFixture[str],
) -> None:
    first = Library().save(MOSCOW)
    writer = sqlite3.connect(home / "library.sqlite3", isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # holds the write lock, with a row not committed
        writer.execute("INSERT INTO entries (source, saved, folder) VALUES ('y', '2024-01-01', '9-y-abcdef')")
        lib = Library()
        assert [e.id for e in lib.list()] == [first.id]  # the last committed state
        assert [e.id for e in lib.search("moscow")] == [first.id]
        assert lib.get(first.id) == MOSCOW
        for argv in (["library", "list"], ["library", "search", "moscow"], ["library", "show", "1"]):
            status, out, err = run(capsys, *argv)
            assert (status, err) == (0, "") and "Talks in Moscow" in out
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_cli_lists_while_a_saver_is_halfway(
    tmp_path: Path, home: Path, no_waiting: None, capsys: pytest.CaptureFixture[str],
) -> None:
    Library().save(MOSCOW)
    proc = start_saver(tmp_path, home, [KYIV], name="saver", pause=True)
    try:
        wait_for("paused", proc)  # the saver holds the write lock now, and waits to be released
        status, out, err = run(capsys, "library", "list")
        assert (status, err) == (0, "")
        assert [line.rsplit("  ", 1)[1] for line in out.splitlines()] == ["Talks in Moscow"]
        assert proc.poll() is None  # the saver was still holding the lock
    finally:
        release(proc)
    assert proc.wait(timeout=PATIENCE_S) == 0, proc.stderr.read().decode()
    assert {e.title for e in Library().list()} == {MOSCOW.article.title, KYIV.article.title}


# -- a read-only library --------------------------------------------------------------


def _can_mount_read_only() -> bool:
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return False
    with tempfile.TemporaryDirectory() as scratch:
        probe = subprocess.run(["unshare", "-rm", "sh", "-c", 'mount --bind "$1" "$1" && '
                                'mount -o remount,bind,ro "$1" "$1" && ! touch "$1/x" 2>/dev/null', "sh", scratch],
                               capture_output=True)
    return probe.returncode == 0


read_only_mounts = pytest.mark.skipif(not _can_mount_read_only(),
                                      reason="needs unshare and mount in a user namespace")

CLI = "import sys; from newsreader.cli import main; sys.exit(main(sys.argv[1:]))"


def run_on_read_only(mounted: Path, home: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """``newsreader ARGV`` with ``mounted`` bind-mounted read-only (a real read-only file
    system, in a mount namespace of the child's own: nothing outside it changes)."""
    script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" "$1" && shift && exec "$@"'
    env = {**os.environ, "NEWSREADER_HOME": str(home)}
    return subprocess.run(["unshare", "-rm", "sh", "-c", script, "sh", str(mounted),
                           sys.executable, "-c", CLI, *argv],
                          capture_output=True, text=True, env=env, timeout=PATIENCE_S)


@read_only_mounts
@pytest.mark.parametrize("writer_open", [False, True], ids=["closed", "open-elsewhere"])
def test_a_read_only_library_can_be_read(home: Path, writer_open: bool) -> None:
    lib = Library()
    lib.save(MOSCOW)
    lib.save(KYIV)
    files = snapshot(lib)
    other = None
    if writer_open:  # another process has it open, with a commit still in the WAL only
        other = sqlite3.connect(lib.db_path, isolation_level=None)
        other.execute("PRAGMA wal_autocheckpoint = 0")
        other.execute("UPDATE entries SET title = 'A café in Kyiv' WHERE id = 2")
    try:
        listing = run_on_read_only(home, home, "library", "list")
        assert (listing.returncode, listing.stderr) == (0, "")
        assert [line.rsplit("  ", 1)[1] for line in listing.stdout.splitlines()] == [
            "A café in Kyiv", "Talks in Moscow"]
        found = run_on_read_only(home, home, "library", "search", "tillerson")
        assert (found.returncode, found.stdout.split()[0]) == (0, "1")
        shown = run_on_read_only(home, home, "library", "show", "1", "--format", "json")
        assert (shown.returncode, json.loads(shown.stdout)) == (0, to_dict(MOSCOW))
        refused = run_on_read_only(home, home, "library", "remove", "1", "--yes")
        assert refused.returncode == 1 and refused.stderr.count("\n") == 1
        assert refused.stderr.startswith("newsreader: ")
    finally:
        if other is not None:
            other.close()
    assert snapshot(lib) == files and len(lib.list()) == 2


# -- damaged rows ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value"),
    [("folder", "../../outside"), ("folder", ""), ("folder", "1-talks-in-moscow-abcdef"),
     ("saved", "last tuesday"), ("title", b"\x00\x01")],
)
def test_a_damaged_row_is_skipped_and_reported_the_rest_listed(
    home: Path, capsys: pytest.CaptureFixture[str], column: str, value: object,
) -> None:
    outside = home.parent / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("not the library's")
    lib = Library()
    for r in (MOSCOW, KYIV, GARDEN):
        lib.save(r)
    with sqlite3.connect(lib.db_path) as db:
        db.execute(f"UPDATE entries SET {column} = ? WHERE id = 2", (value,))

    status, out, err = run(capsys, "library", "list")
    assert status == 0
    assert [line.split()[0] for line in out.splitlines()] == ["3", "1"]
    assert err.count("\n") == 1 and err.startswith("newsreader: skipped 1 damaged entry of the library index (id 2")
    assert "library repair" in err
    status, out, err = run(capsys, "library", "search", "kyiv")
    assert (status, out) == (1, "") and "skipped 1 damaged entry" in err  # nothing listed: as no match
    status, out, err = run(capsys, "library", "show", "2")
    assert (status, out) == (1, "") and err.count("\n") == 1 and "entry 2 of the library index" in err

    assert run(capsys, "library", "repair")[0] == 0
    assert [e.title for e in Library().list()] == [GARDEN.article.title, KYIV.article.title, MOSCOW.article.title]
    assert (outside / "keep.txt").read_text() == "not the library's"


def test_remove_fixes_a_tampered_row(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outside = home.parent / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("not the library's")
    lib = Library()
    keep, tampered = lib.save(MOSCOW), lib.save(KYIV)
    with sqlite3.connect(lib.db_path) as db:
        db.execute("UPDATE entries SET folder = '../../outside' WHERE id = ?", (tampered.id,))
    status, out, err = run(capsys, "library", "remove", str(tampered.id), "--yes")
    assert (status, out, err) == (0, f"removed {tampered.id}  A café in Kyiv\n", "")
    assert [e.id for e in lib.list()] == [keep.id]
    assert not tampered.path.exists()  # its real copy went with it
    assert (outside / "keep.txt").read_text() == "not the library's"


# -- remove tells the truth --------------------------------------------------------------


def test_remove_that_cannot_delete_the_files_says_so(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    lib = Library()
    entry = lib.save(MOSCOW)
    real_rmtree = shutil.rmtree

    def failing_rmtree(path: object, ignore_errors: bool = False, **kwargs: object) -> None:
        if not ignore_errors:
            raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(shutil, "rmtree", failing_rmtree)
    status, out, err = run(capsys, "library", "remove", str(entry.id), "--yes")
    assert (status, out) == (1, "")
    assert err == (f"newsreader: saved article {entry.id} is out of the index, but its files could not be "
                   f"deleted: {entry.path}: Permission denied\n")
    assert entry.path.is_dir()

    monkeypatch.setattr(shutil, "rmtree", real_rmtree)
    lib.save(KYIV)  # the next save deletes what is left (its mark went with the row)
    assert not entry.path.exists() and not lib.quarantine.exists()


@read_only_mounts
def test_remove_on_a_read_only_folder_changes_nothing(home: Path) -> None:
    lib = Library()
    entry = lib.save(MOSCOW)
    done = run_on_read_only(entry.path, home, "library", "remove", str(entry.id), "--yes")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (f"newsreader: cannot remove saved article {entry.id}: cannot delete {entry.path}: "
                           "no permission to delete it (or a read-only disk)\n")
    assert lib.list() == [entry] and lib.get(entry.id) == MOSCOW
