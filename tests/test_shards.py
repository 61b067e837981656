"""Export into JSON Lines shards: order, errors apart, a manifest, resuming after a kill, flat memory."""
from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from paths import ROOT
from shard_support import PIPELINE

from newsreader import cli
from newsreader.batch import Options
from newsreader.shards import ERRORS, MANIFEST, ShardsError, read_shards, shard_name, write_shards

OPTIONS = Options("json", model="test-model")


def sources(n: int, missing: tuple[int, ...] = ()) -> list[str]:
    return [f"missing-{i}" if i in missing else f"source-{i}" for i in range(n)]


def test_shards_hold_the_articles_in_order_and_the_failures_apart(tmp_path: Path) -> None:
    report = write_shards(sources(7, missing=(4,)), OPTIONS, tmp_path / "out", shard_size=3, pipeline=PIPELINE)
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == [ERRORS, MANIFEST, *(shard_name(i) for i in range(3))]
    assert [a["source"] for a in read_shards(out)] == [s for s in sources(7) if s != "source-4"]
    with gzip.open(out / shard_name(1), "rt", encoding="utf-8") as f:
        lines = f.read().splitlines()
    assert [json.loads(line)["source"] for line in lines] == ["source-3", "source-5"]  # one article per line
    assert all(json.loads(line)["schema"] == "newsreader/1" for line in lines)
    errors = [json.loads(line) for line in (out / ERRORS).read_text(encoding="utf-8").splitlines()]
    assert errors == [{"source": "missing-4", "error": "missing-4: no such file"}]
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert (manifest["sources"], manifest["articles"], manifest["errors"], manifest["complete"]) == (7, 6, 1, True)
    assert manifest["model"] == "test-model" and manifest["newsreader"]
    assert [e["articles"] for e in manifest["shards"]] == [3, 2, 1]
    assert (report.written, report.skipped, report.articles, report.errors) == (3, 0, 6, 1)


def test_a_folder_with_shards_is_never_overwritten(tmp_path: Path) -> None:
    write_shards(sources(2), OPTIONS, tmp_path, shard_size=1, pipeline=PIPELINE)
    with pytest.raises(ShardsError, match="--resume"):
        write_shards(sources(2), OPTIONS, tmp_path, shard_size=1, pipeline=PIPELINE)
    with pytest.raises(ShardsError, match="other sources"):
        write_shards(sources(3), OPTIONS, tmp_path, shard_size=1, resume=True, pipeline=PIPELINE)
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ShardsError, match="not empty"):
        write_shards(sources(2), OPTIONS, other, pipeline=PIPELINE)
    with pytest.raises(ShardsError, match="nothing to resume"):
        write_shards(sources(2), OPTIONS, tmp_path / "new", resume=True, pipeline=PIPELINE)


def test_resume_after_a_kill_does_not_redo_the_finished_shards(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    names = [*sources(5), "die-5", *sources(9)[6:]]  # the sixth source kills the run, in the second shard
    out, log = tmp_path / "out", tmp_path / "loads.txt"
    script = ("import sys; from pathlib import Path; from shard_support import PIPELINE; "
              "from newsreader.batch import Options; from newsreader.shards import write_shards; "
              "write_shards(sys.argv[2:], Options('json', model='m'), Path(sys.argv[1]), shard_size=3, pipeline=PIPELINE)")
    env = {**os.environ, "SHARD_LOG": str(log), "SHARD_DIE": "1", "PYTHONPATH": str(ROOT / "tests")}
    killed = subprocess.run([sys.executable, "-c", script, str(out), *names], env=env, capture_output=True)
    assert killed.returncode == -9
    assert (out / shard_name(0)).is_file() and not (out / shard_name(1)).exists()
    assert log.read_text(encoding="utf-8").split() == names[:6]

    log.write_text("", encoding="utf-8")
    monkeypatch.setenv("SHARD_LOG", str(log))
    report = write_shards(names, Options("json", model="m"), out, shard_size=3, resume=True, pipeline=PIPELINE)
    assert log.read_text(encoding="utf-8").split() == names[3:]  # the first shard was not redone
    assert (report.skipped, report.written, report.articles) == (1, 2, 9)
    assert [a["source"] for a in read_shards(out)] == names
    assert not list(out.glob(".part-*"))  # the killed shard's temporary file is gone


def test_memory_stays_flat_with_the_number_of_sources(tmp_path: Path) -> None:
    def peak(n: int) -> int:
        names = sources(n)
        tracemalloc.start()
        try:
            write_shards(names, OPTIONS, tmp_path / str(n), shard_size=500, pipeline=PIPELINE)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(500), peak(5000)
    assert large < 1.5 * small, (small, large)  # ten times the sources, not ten times the memory


def test_the_cli_writes_shards_and_resumes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = []
    for i in range(3):
        path = tmp_path / f"{i}.txt"
        path.write_text(f"Story {i}\n\n“We will build it,” said Ann Lee, the mayor of Harbourtown.", encoding="utf-8")
        files.append(str(path))
    out = tmp_path / "shards"
    assert cli.main(["export", *files, "--shards", str(out), "--shard-size", "2"]) == 0
    assert "3 articles in 2 shards" in capsys.readouterr().err
    assert [a["title"] for a in read_shards(out)] == ["Story 0", "Story 1", "Story 2"]
    assert cli.main(["export", *files, "--shards", str(out), "--shard-size", "2"]) == 1
    assert "--resume" in capsys.readouterr().err
    assert cli.main(["export", *files, "--shards", str(out), "--shard-size", "2", "--resume"]) == 0
    assert "2 already done" in capsys.readouterr().err
    assert cli.main(["export", *files, str(tmp_path / "missing.txt"), "--shards", str(tmp_path / "more")]) == 1
    err = capsys.readouterr().err
    assert "1 sources failed: see" in err and "Traceback" not in err
