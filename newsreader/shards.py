"""Large batches as JSON Lines shards, with a manifest, resumable.

``newsreader export SOURCE... --shards DIR`` writes the articles as gzipped JSON Lines,
``part-00000.jsonl.gz``, ``part-00001.jsonl.gz``…, each holding the next ``shard_size``
sources' articles (one ``newsreader/1`` object per line, in the order of the sources),
``errors.jsonl`` (one ``{"source", "error"}`` per source that failed) and
``manifest.json``: the counts, the versions and the model, and each finished shard.

A shard is written whole or not at all (a temporary file renamed into place), and the
manifest is rewritten after each one, so a run that is killed loses at most the shard
in progress: ``--resume`` continues from the manifest and redoes only the shards it does
not list. Memory stays flat whatever the number of sources: one shard's articles are
exported at a time, and each is written as it comes.
"""
from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsreader import __version__
from newsreader.batch import Options, Source, export_all, label
from newsreader.errors import NewsreaderError
from newsreader.export.files import atomic_file

if TYPE_CHECKING:
    from newsreader.pipeline import Pipeline

SCHEMA = "newsreader-shards/1"
MANIFEST = "manifest.json"
ERRORS = "errors.jsonl"
SHARD_SIZE = 1000  # articles per shard


class ShardsError(NewsreaderError):
    """A folder that cannot take (or continue) this run."""


@dataclass
class Report:
    """What a run did: shards written now, shards found done, articles and errors in all."""

    written: int = 0
    skipped: int = 0
    articles: int = 0
    errors: int = 0
    shards: list[str] = field(default_factory=list)


def shard_name(number: int) -> str:
    return f"part-{number:05d}.jsonl.gz"


def sources_key(sources: Iterable[str]) -> str:
    """What identifies a run's list of sources: resuming with another list is refused."""
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.encode("utf-8", "surrogatepass") + b"\n")
    return digest.hexdigest()


def write_shards(sources: Sequence[Source], options: Options, folder: Path, *, shard_size: int = SHARD_SIZE,
                 resume: bool = False, pipeline: Pipeline | None = None,
                 progress: Callable[[str], None] | None = None) -> Report:
    """Export ``sources`` into shards in ``folder`` (see the module's description)."""
    if options.format != "json":
        raise ShardsError("shards hold JSON (newsreader/1): use --format json with --shards")
    key = sources_key(label(s) for s in sources)
    manifest = _start(folder, key, len(sources), shard_size, options, resume)
    done = {entry["shard"] for entry in manifest["shards"]}
    report = Report(skipped=len(done))
    for number, start in enumerate(range(0, len(sources), shard_size)):
        name = shard_name(number)
        if name in done:
            continue
        chunk = sources[start:start + shard_size]
        articles, errors = _write_shard(folder / name, chunk, options, pipeline)
        manifest["shards"].append({"shard": name, "first": start, "sources": len(chunk),
                                   "articles": articles, "errors": errors})
        manifest["shards"].sort(key=lambda entry: entry["shard"])
        _write_json(folder / MANIFEST, _totals(manifest))
        _write_errors(folder, manifest)
        report.written += 1
        report.shards.append(name)
        if progress is not None:
            progress(f"{name}: {articles} articles, {len(errors)} failed")
    manifest["complete"] = True
    _write_json(folder / MANIFEST, _totals(manifest))
    report.articles = manifest["articles"]
    report.errors = manifest["errors"]
    return report


def read_shards(folder: Path) -> Iterator[dict[str, Any]]:
    """Every article in the shards of ``folder``, in order (one in memory at a time)."""
    manifest = _read_manifest(folder / MANIFEST)
    for entry in manifest["shards"]:
        with gzip.open(folder / entry["shard"], "rt", encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    yield json.loads(line)


def _start(folder: Path, key: str, count: int, shard_size: int, options: Options, resume: bool) -> dict[str, Any]:
    path = folder / MANIFEST
    if path.exists():
        if not resume:
            raise ShardsError(f"{folder} already holds shards: --resume continues that run, or choose another folder")
        manifest = _read_manifest(path)
        if manifest.get("sources_key") != key or manifest.get("shard_size") != shard_size:
            raise ShardsError(f"{folder} holds shards of other sources (or another --shard-size): "
                              "resume with the same sources, or choose another folder")
        for stale in folder.glob(".part-*.tmp"):  # a shard in progress when the run was killed
            stale.unlink(missing_ok=True)
        present = [e for e in manifest["shards"] if (folder / e["shard"]).is_file()]
        manifest["shards"] = present  # a shard whose file is gone is written again
        manifest["complete"] = False
        return manifest
    if resume:
        raise ShardsError(f"nothing to resume in {folder}: it has no {MANIFEST}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ShardsError(f"cannot create {folder}: {exc.strerror or exc}") from exc
    if any(folder.iterdir()):
        raise ShardsError(f"{folder} is not empty: shards go into an empty (or new) folder")
    manifest = {
        "schema": SCHEMA, "format": "newsreader/1", "newsreader": __version__, "model": options.model or _default_model(),
        "sources": count, "shard_size": shard_size, "sources_key": key, "shards": [], "complete": False,
    }
    _write_json(path, _totals(manifest))
    return manifest


def _default_model() -> str:
    from newsreader.nlp.model import default_model

    return default_model()


def _write_shard(path: Path, chunk: Sequence[Source], options: Options,
                 pipeline: Pipeline | None) -> tuple[int, list[dict[str, str]]]:
    """One shard, whole or not at all; its articles are written as they come, in order."""
    texts: dict[int, str] = {}
    errors: list[dict[str, str]] = []
    articles, next_index = 0, 0
    with atomic_file(path, overwrite=True, binary=True) as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
            for index, outcome in export_all(chunk, options, pipeline=pipeline):
                if outcome.text is not None:
                    texts[index] = json.dumps(json.loads(outcome.text), ensure_ascii=False, separators=(",", ":"))
                else:
                    texts[index] = ""
                    errors.append({"source": label(chunk[index]), "error": outcome.error or "failed"})
                while next_index in texts:  # in the order of the sources, holding only those that came early
                    line = texts.pop(next_index)
                    if line:
                        out.write(line.encode("utf-8") + b"\n")
                        articles += 1
                    next_index += 1
    order = {name: i for i, name in enumerate(label(s) for s in chunk)}
    errors.sort(key=lambda e: order.get(e["source"], 0))
    return articles, errors


def _totals(manifest: dict[str, Any]) -> dict[str, Any]:
    manifest["articles"] = sum(e["articles"] for e in manifest["shards"])
    manifest["errors"] = sum(len(e["errors"]) for e in manifest["shards"])
    return manifest


def _write_errors(folder: Path, manifest: dict[str, Any]) -> None:
    lines = "".join(json.dumps(error, ensure_ascii=False) + "\n" for e in manifest["shards"] for error in e["errors"])
    _write_text(folder / ERRORS, lines)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    _write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _write_text(path: Path, text: str) -> None:
    from newsreader.export.files import write_atomic

    write_atomic(path, text, overwrite=True)


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ShardsError(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, dict) or data.get("schema") != SCHEMA or not isinstance(data.get("shards"), list):
        raise ShardsError(f"{path} is not a newsreader shards manifest")
    return data
