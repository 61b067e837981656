"""Export throughput: articles per second with --jobs 1, --jobs 2 and a 2-worker LocalCluster.

The same sources (the extraction set's first pages, default 60: real pages through the
real pipeline, spaCy included) are exported to JSON three ways in one run, each in a
fresh process of its own and timed from the first source handed over to the last
outcome back, the workers' start-up and model loading included (as a user waits for
them). Prints articles per second and the ratio of each to --jobs 1. Needs the
cluster extra (distributed).

    .venv/bin/python bench/bench_export.py [--pages 60]
"""
from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "corpus" / "extraction"


MODES = {"--jobs 1": {"jobs": 1}, "--jobs 2": {"jobs": 2}, "LocalCluster (2 workers)": {"cluster": 2}}


def child(mode: str, sources: list[str]) -> float:
    """Export ``sources`` one way, in this (fresh) process; the seconds it took."""
    from newsreader.batch import Options, export_all

    how = MODES[mode]
    if "cluster" in how:
        from distributed import LocalCluster

        with LocalCluster(n_workers=how["cluster"], threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address=None, silence_logs=40) as cluster:
            started = time.perf_counter()
            outcomes = list(export_all(sources, Options("json", scheduler=cluster.scheduler_address)))
            taken = time.perf_counter() - started
    else:
        started = time.perf_counter()
        outcomes = list(export_all(sources, Options("json", jobs=how["jobs"])))
        taken = time.perf_counter() - started
    assert len(outcomes) == len(sources)
    return taken


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=60)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--child", choices=list(MODES), help=argparse.SUPPRESS)
    ap.add_argument("--sources", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        print(child(a.child, a.sources.read_text(encoding="utf-8").splitlines()))
        return

    names = sorted(json.loads((a.corpus / "evaldata.json").read_text(encoding="utf-8")))[: a.pages]
    with tempfile.TemporaryDirectory() as folder:
        sources = []
        for name in names:
            path = Path(folder) / f"{name}.html"
            path.write_bytes(gzip.decompress((a.corpus / "pages" / f"{name}.html.gz").read_bytes()))
            sources.append(str(path))
        listing = Path(folder) / "sources.txt"
        listing.write_text("\n".join(sources), encoding="utf-8")
        seconds = {}
        for mode in MODES:
            out = subprocess.run([sys.executable, __file__, "--child", mode, "--sources", str(listing)],
                                 check=True, capture_output=True, text=True)
            seconds[mode] = float(out.stdout.strip().splitlines()[-1])
    base = len(sources) / seconds["--jobs 1"]
    print(f"{len(sources)} pages, exported to JSON (each way in a fresh process: model loading included)")
    for name, taken in seconds.items():
        rate = len(sources) / taken
        print(f"{name:26} {taken:7.1f}s {rate:6.2f} articles/s  ratio={rate / base:.2f}")


if __name__ == "__main__":
    main()
