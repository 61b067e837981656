"""The batch export (newsreader.batch): one outcome per source, failures as outcomes, stopping at once."""
from __future__ import annotations

import multiprocessing
import time
from contextlib import closing
from datetime import datetime, timezone

import pytest

from newsreader.batch import Options, Outcome, export_all
from newsreader.errors import LoadError
from newsreader.model import Article, Page, Reading
from newsreader.pipeline import Pipeline

SAVED = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)


# Module-level stages: with several jobs the pipeline goes to the workers, pickled by name.
def fake_load(source: str, fresh: bool = False) -> Page:
    if source.startswith("missing"):
        raise LoadError(f"{source}: no such file")
    if source.startswith("slow"):
        time.sleep(60)
    return Page(source=source, text=f"Title of {source}\n\nThe body of {source}.", kind="text")


def fake_clean(page: Page) -> Article:
    title, _, body = page.text.partition("\n\n")
    return Article(source=page.source, title=title, byline=None, site=None, date=None, text=body)


def fake_annotate(article: Article, model: str | None = None) -> Reading:
    if "broken" in article.source:
        raise RuntimeError("boom")
    return Reading(article=article)


FAKE = Pipeline(fake_load, fake_clean, fake_annotate)


def run(sources: list[str | Page], **options: object) -> list[tuple[int, Outcome]]:
    return list(export_all(sources, Options("txt", saved=SAVED, **options), pipeline=FAKE))  # type: ignore[arg-type]


def test_one_outcome_per_source_in_order() -> None:
    outcomes = run(["one", "two", "three"])
    assert [i for i, _ in outcomes] == [0, 1, 2]
    for (_, outcome), name in zip(outcomes, ["one", "two", "three"]):
        assert outcome.error is None and outcome.text is not None
        assert f"The body of {name}." in outcome.text


def test_a_failing_source_is_an_outcome_and_the_others_still_run() -> None:
    outcomes = dict(run(["one", "missing.txt", "broken.txt", "four"]))
    assert outcomes[1] == Outcome(error="missing.txt: no such file")
    assert outcomes[2].text is None and outcomes[2].trace is None
    assert outcomes[2].error == "broken.txt: internal error: RuntimeError: boom"
    assert all(outcomes[i].text for i in (0, 3))


def test_traces_are_kept_only_when_asked_for() -> None:
    [(_, outcome)] = run(["broken.txt"], traces=True)
    assert outcome.trace is not None and "RuntimeError: boom" in outcome.trace


def test_a_page_already_read_is_not_loaded_again() -> None:
    page = Page(source="piped", text="Piped title\n\nRead before the batch.", kind="text")
    [(_, outcome)] = run([page])
    assert outcome.text is not None and "Read before the batch." in outcome.text


def test_jobs_give_the_same_outcomes_by_index() -> None:
    sources: list[str | Page] = ["one", "missing.txt", "three", "broken.txt"]
    alone = dict(run(sources))
    shared = run(sources, jobs=2)
    assert sorted(i for i, _ in shared) == [0, 1, 2, 3]
    assert dict(shared) == alone


def test_closing_the_batch_ends_the_workers_at_once() -> None:
    outcomes = export_all(["one", "slow-a", "slow-b"], Options("txt", jobs=3), pipeline=FAKE)
    start = time.monotonic()
    with closing(outcomes):
        index, outcome = next(outcomes)
        assert (index, outcome.error) == (0, None)
    deadline = time.monotonic() + 10
    while (children := multiprocessing.active_children()) and time.monotonic() < deadline:
        for child in children:  # the pool may still be reaping one it started as it closed
            child.join(timeout=max(0.0, deadline - time.monotonic()))
    assert multiprocessing.active_children() == []
    assert time.monotonic() - start < 30  # the slow sources (60 s each) were not waited for


@pytest.mark.parametrize("jobs", [1, 4])
def test_no_sources_no_outcomes(jobs: int) -> None:
    assert run([], jobs=jobs) == []


# -- on a Dask distributed cluster ---------------------------------------------------------


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes and a scheduler on 127.0.0.1, for this module's tests."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, silence_logs=40) as local:
        yield local.scheduler_address


def test_a_cluster_gives_the_same_outcomes_as_local_jobs(cluster: str) -> None:
    sources: list[str | Page] = ["one", "missing.txt", "three", "broken.txt", "five"]
    on_cluster = run(sources, scheduler=cluster)
    assert sorted(i for i, _ in on_cluster) == [0, 1, 2, 3, 4]
    assert dict(on_cluster) == dict(run(sources, jobs=2))


def test_the_cli_exports_the_same_files_on_a_cluster(cluster: str, tmp_path, capsys) -> None:
    from newsreader import cli

    sources = []
    for name, text in (("a", "Council row\n\n“We will not close the library,” said Ann Lee, the mayor."),
                       ("b", "Ferry plans\n\nThe harbour master, Tom Okafor, said: “The terminal opens in May.”")):
        path = tmp_path / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        sources.append(str(path))
    assert cli.main(["export", *sources, "--format", "json", "--output-dir", str(tmp_path / "jobs"), "--jobs", "2"]) == 0
    assert cli.main(["export", *sources, "--format", "json", "--output-dir", str(tmp_path / "cluster"),
                     "--scheduler", cluster]) == 0
    for name in ("a", "b"):
        assert (tmp_path / "cluster" / f"{name}.json").read_bytes() == (tmp_path / "jobs" / f"{name}.json").read_bytes()


def test_an_unreachable_scheduler_is_one_line(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from newsreader import batch, cli

    monkeypatch.setattr(batch, "CONNECT_TIMEOUT_S", 1)
    assert cli.main(["export", "--demo", "--format", "json", "--scheduler", "tcp://127.0.0.1:9"]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err[0]
