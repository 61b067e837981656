"""The command line: dispatch, exit statuses, where exports go, and failures one line each."""
from __future__ import annotations

import json
import os
import re
import signal
import stat
import subprocess
import sys
import types
from pathlib import Path

import pytest

from newsreader import __version__, cli
from newsreader.model import Article, Quote, Reading, Speaker

STORY = """Council approves new bridge

The city council voted on Tuesday to build a new bridge over the river.

“This is a good day for the city,” said Ann Smith, who leads the council.
"""


def fake_annotate(article: Article, model: str | None = None) -> Reading:
    """Stands in for the spaCy layer: one quote per “…”, all said by Ann Smith."""
    quotes = tuple(Quote(m.start(1), m.end(1), m.group(1), "Ann Smith")
                   for m in re.finditer(r"“([^”]+)”", article.text))
    speakers = (Speaker("Ann Smith", (), "person", tuple(range(len(quotes)))),) if quotes else ()
    return Reading(article=article, quotes=quotes, speakers=speakers)


@pytest.fixture
def annotated(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Real loading and cleaning, fake annotation; returns the sources annotated, in order."""
    from newsreader import pipeline

    seen: list[str] = []

    def annotate(article: Article, model: str | None = None) -> Reading:
        seen.append(article.source)
        return fake_annotate(article, model)

    monkeypatch.setattr(pipeline, "annotate", annotate)
    return seen


@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "in" / "bridge-vote.txt"
    path.parent.mkdir()
    path.write_text(STORY, encoding="utf-8")
    return path


def stories(tmp_path: Path, *names: str) -> list[str]:
    folder = tmp_path / "many"
    folder.mkdir(exist_ok=True)
    for name in names:
        (folder / name).write_text(STORY.replace("bridge", name.split(".")[0]), encoding="utf-8")
    return [str(folder / n) for n in names]


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.strip()]


# ---------------------------------------------------------------- help, version, usage


def test_every_command_has_help_with_examples(capsys: pytest.CaptureFixture[str]) -> None:
    _, commands = cli._command_parser()
    assert "export" in commands
    for argv in (["--help"], *([name, "--help"] for name in commands)):
        assert cli.main(argv) == 0
        out = capsys.readouterr().out
        assert "examples:" in out and "usage:" in out, argv
    assert cli.main(["--help"]) == 0
    assert "export" in capsys.readouterr().out  # the top level lists the commands


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"newsreader {__version__}"


@pytest.mark.parametrize("argv", [
    ["export", "x.txt"],  # no --format
    ["export", "x.txt", "--format", "pdf"],
    ["export", "--format", "json"],  # no source
    ["export", "a.txt", "b.txt", "--format", "json"],  # several sources need --output-dir
    ["export", "a.txt", "b.txt", "--format", "json", "-o", "out.json"],
    ["export", "a.txt", "--format", "json", "-o", "out.json", "--output-dir", "d"],
    ["export", "a.txt", "--format", "json", "--jobs", "0"],
    ["a.txt", "--demo"],
    ["a.txt", "b.txt"],
    ["--no-such-option"],
])
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(argv) == 2
    assert "usage:" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_cli_module_imports_only_what_every_command_needs() -> None:
    heavy = ("spacy", "newsreader.pipeline", "newsreader.library", "newsreader.export.htmlfmt",
             "newsreader.export.files", "concurrent.futures.process")
    code = f"import sys, newsreader.cli; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# ---------------------------------------------------------------- where the output goes


def test_one_source_goes_to_stdout(annotated: list[str], story: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["export", str(story), "--format", "json"]) == 0
    out, err = capsys.readouterr()
    d = json.loads(out)
    assert d["schema"] == "newsreader/1" and d["source"] == str(story)
    assert d["quotes"][0]["text"] == "This is a good day for the city,"
    assert err == ""


def test_dash_o_writes_a_file_and_never_replaces_one_without_force(
    annotated: list[str], story: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bridge.md"
    assert cli.main(["export", str(story), "--format", "md", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("---\n")
    assert capsys.readouterr().out == ""

    out.write_text("my notes", encoding="utf-8")
    assert cli.main(["export", str(story), "--format", "md", "-o", str(out)]) == 1
    assert out.read_text(encoding="utf-8") == "my notes"
    assert error_lines(capsys.readouterr().err) == [f"newsreader: {out}: already exists (use --force to replace it)"]
    assert len(annotated) == 1  # refused before doing the work

    assert cli.main(["export", str(story), "--format", "md", "-o", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8").startswith("---\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bridge.md", "in"]  # no temporary files left


def test_output_dir_names_files_after_sources(annotated: list[str], tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    sources = stories(tmp_path, "alpha.txt", "beta.txt")
    other = tmp_path / "other"
    other.mkdir()
    (other / "alpha.txt").write_text(STORY, encoding="utf-8")
    out = tmp_path / "out" / "nested"  # created as needed
    assert cli.main(["export", *sources, str(other / "alpha.txt"), "--format", "txt", "--output-dir", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["alpha-2.txt", "alpha.txt", "beta.txt"]
    assert "alpha" in (out / "alpha.txt").read_text(encoding="utf-8")
    assert "bridge" in (out / "alpha-2.txt").read_text(encoding="utf-8")
    out_, err = capsys.readouterr()
    assert out_ == "" and sorted(error_lines(err)) == [f"wrote {out / n}" for n in ("alpha-2.txt", "alpha.txt", "beta.txt")]


def test_output_dir_never_replaces_a_file_without_force(annotated: list[str], tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    sources = stories(tmp_path, "one.txt", "two.txt")
    out = tmp_path / "out"
    out.mkdir()
    (out / "one.json").write_text("my notes", encoding="utf-8")
    assert cli.main(["export", *sources, "--format", "json", "--output-dir", str(out)]) == 1
    assert (out / "one.json").read_text(encoding="utf-8") == "my notes"
    assert json.loads((out / "two.json").read_text(encoding="utf-8"))["source"] == sources[1]
    assert error_lines(capsys.readouterr().err) == [
        f"newsreader: {out / 'one.json'}: already exists (use --force to replace it)", f"wrote {out / 'two.json'}"]
    assert annotated == [sources[1]]  # refused before doing the work

    assert cli.main(["export", *sources, "--format", "json", "--output-dir", str(out), "--force"]) == 0
    assert json.loads((out / "one.json").read_text(encoding="utf-8"))["source"] == sources[0]


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_dash_o_never_replaces_a_device_or_fifo(annotated: list[str], story: Path, tmp_path: Path, force: list[str],
                                                capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    link = tmp_path / "stdout.md"
    link.symlink_to("/dev/stdout")
    for path, kind in ((fifo, "a FIFO"), (link, "a symbolic link")):
        assert cli.main(["export", str(story), "--format", "md", "-o", str(path), *force]) == 1
        assert error_lines(capsys.readouterr().err) == [
            f"newsreader: {path}: is {kind}, not a regular file: never replaced; use -o - for standard output"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and os.readlink(link) == "/dev/stdout"
    assert annotated == []  # refused before doing the work


def test_output_dir_never_replaces_a_fifo(annotated: list[str], tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    sources = stories(tmp_path, "one.txt", "two.txt")
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / "one.json")
    assert cli.main(["export", *sources, "--format", "json", "--output-dir", str(out), "--force"]) == 1
    assert stat.S_ISFIFO(os.lstat(out / "one.json").st_mode)
    assert json.loads((out / "two.json").read_text(encoding="utf-8"))["source"] == sources[1]
    assert error_lines(capsys.readouterr().err) == [
        f"newsreader: {out / 'one.json'}: is a FIFO, not a regular file: never replaced", f"wrote {out / 'two.json'}"]
    assert annotated == [sources[1]]


@pytest.mark.parametrize(("option", "name"), [("-o", "-o/--output"), ("--output-dir", "--output-dir")])
def test_an_empty_output_path_is_a_usage_error(option: str, name: str, story: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    before = sorted(tmp_path.iterdir())
    assert cli.main(["export", str(story), "--format", "md", option, ""]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == f"newsreader export: error: argument {name}: the path is empty"
    assert sorted(tmp_path.iterdir()) == before


def test_a_bad_source_fails_alone(annotated: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = stories(tmp_path, "one.txt", "two.txt")
    missing = str(tmp_path / "missing.txt")
    out = tmp_path / "out"
    assert cli.main(["export", good[0], missing, good[1], "--format", "json", "--output-dir", str(out)]) == 1
    assert sorted(p.name for p in out.iterdir()) == ["one.json", "two.json"]
    assert error_lines(capsys.readouterr().err) == [
        f"wrote {out / 'one.json'}", f"newsreader: {missing}: no such file", f"wrote {out / 'two.json'}"]  # named once


def test_progress_on_a_terminal(annotated: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    sources = stories(tmp_path, "one.txt", "two.txt")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert cli.main(["export", *sources, "--format", "json", "--output-dir", str(tmp_path / "out")]) == 0
    out = tmp_path / "out"
    assert error_lines(capsys.readouterr().err) == [f"[1/2] wrote {out / 'one.json'}", f"[2/2] wrote {out / 'two.json'}"]


def test_dash_o_alone_takes_the_format_from_the_extension(annotated: list[str], story: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    for name, start in (("copy.md", "---\n"), ("copy.JSON", "{"), ("copy.html", "<!DOCTYPE html>")):
        assert cli.main(["export", str(story), "-o", str(tmp_path / name)]) == 0
        assert (tmp_path / name).read_text(encoding="utf-8").startswith(start)
    assert cli.main(["export", str(story), "--format", "txt", "-o", str(tmp_path / "plain.md")]) == 0
    assert (tmp_path / "plain.md").read_text(encoding="utf-8").startswith("Council approves new bridge\n")
    assert capsys.readouterr() == ("", "")  # one file, not a batch: nothing to say
    assert cli.main(["export", str(story), "-o", str(tmp_path / "copy.pdf")]) == 2
    assert "give --format" in capsys.readouterr().err


def test_url_sources_get_a_slug_of_their_path(annotated: list[str], httpserver, tmp_path: Path) -> None:
    page = "<html><head><title>Bridge</title></head><body><article><h1>Bridge</h1>" + "".join(
        f"<p>{p}</p>" for p in STORY.split("\n\n")[1:]) + "</article></body></html>"
    httpserver.expect_request("/news/2024/bridge-vote.html").respond_with_data(page, content_type="text/html")
    out = tmp_path / "out"
    url = httpserver.url_for("/news/2024/bridge-vote.html")
    assert cli.main(["export", url, "--format", "json", "--output-dir", str(out)]) == 0
    assert [p.name for p in out.iterdir()] == ["news-2024-bridge-vote.json"]


def test_jobs_spread_sources_over_processes(annotated: list[str], tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    sources = stories(tmp_path, "one.txt", "two.txt", "three.txt")
    out = tmp_path / "out"
    argv = ["export", *sources, str(tmp_path / "missing.txt"), "--format", "json", "--output-dir", str(out)]
    assert cli.main([*argv, "--jobs", "2"]) == 1
    assert sorted(p.name for p in out.iterdir()) == ["one.json", "three.json", "two.json"]
    failures = [line for line in error_lines(capsys.readouterr().err) if not line.startswith("wrote ")]
    assert len(failures) == 1
    assert annotated == []  # the work happened in other processes


def test_jobs_read_stdin_in_the_main_process(annotated: list[str], tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    sources = stories(tmp_path, "one.txt")
    piped = tmp_path / "piped.txt"
    piped.write_text(STORY.replace("bridge", "tunnel"), encoding="utf-8")
    out = tmp_path / "out"
    with piped.open(encoding="utf-8") as stdin:
        monkeypatch.setattr(sys, "stdin", stdin)
        assert cli.main(["export", "-", *sources, "--format", "txt", "--output-dir", str(out), "--jobs", "2"]) == 0
    assert "tunnel" in (out / "stdin.txt").read_text(encoding="utf-8")
    assert "one" in (out / "one.txt").read_text(encoding="utf-8")


def test_a_worker_that_dies_loses_only_its_source(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from newsreader import pipeline

    def annotate(article: Article, model: str | None = None) -> Reading:
        if "poison" in article.source:  # what the OOM killer does to a worker
            os.kill(os.getpid(), signal.SIGKILL)
        return fake_annotate(article, model)

    monkeypatch.setattr(pipeline, "annotate", annotate)  # the workers are forked with it
    sources = stories(tmp_path, "one.txt", "poison-a.txt", "two.txt", "three.txt", "poison-b.txt", "four.txt")
    out = tmp_path / "out"
    assert cli.main(["export", *sources, "--format", "json", "--output-dir", str(out), "--jobs", "2"]) == 1
    assert sorted(p.name for p in out.iterdir()) == ["four.json", "one.json", "three.json", "two.json"]
    assert sorted(line for line in error_lines(capsys.readouterr().err) if not line.startswith("wrote ")) == [
        f"newsreader: {sources[1]}: the worker processing it died (killed, or out of memory)",
        f"newsreader: {sources[4]}: the worker processing it died (killed, or out of memory)",
    ]


# ---------------------------------------------------------------- failures


def test_internal_error_is_one_line(annotated: list[str], story: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from newsreader import pipeline

    def broken(article: Article, model: str | None = None) -> Reading:
        raise RuntimeError("boom")

    monkeypatch.setattr(pipeline, "annotate", broken)
    monkeypatch.delenv(cli.DEBUG_ENV, raising=False)
    assert cli.main(["export", str(story), "--format", "json"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert error_lines(err) == [f"newsreader: {story}: internal error: RuntimeError: boom"]

    monkeypatch.setenv(cli.DEBUG_ENV, "1")
    assert cli.main(["export", str(story), "--format", "json"]) == 1
    assert "Traceback" in capsys.readouterr().err


def test_interrupt_exits_130_without_traceback(story: Path, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from newsreader import pipeline

    def interrupted(article: Article, model: str | None = None) -> Reading:
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "annotate", interrupted)
    assert cli.main(["export", str(story), "--format", "json"]) == 130
    assert "Traceback" not in capsys.readouterr().err


def test_names_from_the_web_cannot_reach_the_terminal(annotated: list[str], tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    evil = str(tmp_path / "x\x1b]52;c;ZXZpbA==\x07y.txt")
    assert cli.main(["export", evil, "--format", "txt"]) == 1
    assert "\x1b" not in capsys.readouterr().err


# ---------------------------------------------------------------- the demo and the reader


def test_demo_export(annotated: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    from newsreader.samples import demo_page

    assert cli.main(["export", "--demo", "--format", "json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["source"] == "newsreader demo"  # not the install path
    assert d["title"] == demo_page().text.splitlines()[0].strip()


def test_missing_demo_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import newsreader.samples

    monkeypatch.setattr(newsreader.samples.resources, "files", lambda package: tmp_path)
    assert cli.main(["export", "--demo", "--format", "txt"]) == 1
    lines = error_lines(capsys.readouterr().err)
    assert len(lines) == 1 and "demo article is missing" in lines[0]


@pytest.mark.parametrize(("argv", "call"), [
    ([], (None, False, None, 80)),
    (["--demo"], (None, True, None, 80)),
    (["page.html"], ("page.html", False, None, 80)),
    (["-"], ("-", False, None, 80)),
    (["--", "export"], ("export", False, None, 80)),  # a file named like a command
    (["--width", "66", "--model", "en_x", "page.html"], ("page.html", False, "en_x", 66)),
])
def test_reader_dispatch(argv: list[str], call: tuple, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("page.html", "export"):
        (tmp_path / name).write_text(STORY, encoding="utf-8")
    calls = []
    app = types.ModuleType("newsreader.tui.app")
    app.run = lambda source, demo, config: calls.append(  # type: ignore[attr-defined]
        (source, demo, config.settings.model, config.settings.width))
    monkeypatch.setitem(sys.modules, "newsreader.tui.app", app)
    assert cli.main(argv) == 0
    assert calls == [call]


def test_a_file_that_cannot_be_read_is_one_line_before_any_screen(tmp_path: Path) -> None:
    # as the console script runs it; the reader, Textual and spaCy must not even be imported
    code = ("import sys; from newsreader import cli; status = cli.main(sys.argv[1:]); "
            "print([m for m in ('textual', 'spacy', 'newsreader.tui.app') if m in sys.modules]); sys.exit(status)")
    for source, line in (
        ("missing.html", "newsreader: missing.html: no such file"),
        ("example.com/news", "newsreader: example.com/news: no such file; did you mean https://example.com/news?"),
        (".", "newsreader: . is a directory, not a file"),
    ):
        done = subprocess.run([sys.executable, "-c", code, source], capture_output=True, text=True, cwd=tmp_path,
                              timeout=60)
        assert (done.returncode, done.stdout, done.stderr) == (1, "[]\n", line + "\n")


def test_piped_input_is_cleaned_before_any_screen(tmp_path: Path) -> None:
    # standard input is read and cleaned before the reader takes the terminal: a page
    # without an article is one line and status 1, with nothing drawn
    code = "import sys; from newsreader import cli; sys.exit(cli.main(['-']))"
    menu = "<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a></nav></body></html>"
    done = subprocess.run([sys.executable, "-c", code], input=menu, capture_output=True, text=True,
                          cwd=tmp_path, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (1, "", "newsreader: no article text found in -\n")


def test_reader_unavailable_is_a_clear_error(monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str], story: Path) -> None:
    monkeypatch.setitem(sys.modules, "newsreader.tui.app", None)  # makes the import fail
    assert cli.main([str(story)]) == 1
    lines = error_lines(capsys.readouterr().err)
    assert len(lines) == 1 and lines[0].startswith("newsreader: the reader cannot start")


# ---------------------------------------------------------------- end to end, with the real model


@pytest.fixture(scope="session")
def real_model() -> None:
    """Load the spaCy model once for the session; later calls reuse the cached pipeline."""
    from newsreader.nlp.model import get_nlp

    get_nlp()


def test_end_to_end_with_the_real_pipeline(real_model: None, story: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert cli.main(["export", str(story), "--format", "json", "--output-dir", str(out)]) == 0
    d = json.loads((out / "bridge-vote.json").read_text(encoding="utf-8"))
    assert "The city council voted on Tuesday" in d["text"]
    text = d["text"]
    for item in [*d["entities"], *d["quotes"]]:
        assert text[item["start"]:item["end"]] == item["text"]
    assert any("good day for the city" in q["text"] for q in d["quotes"])
