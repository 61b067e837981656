#!/usr/bin/env python3
"""Full annotation against the stock spaCy pipeline, measured in one run.

Usage (from the project root):
    python bench/bench_annotate.py [--corpus ../shared/corpus] [--limit N] [--reps 3]
                                   [--long-words 100000] [--jobs 1,2 | --jobs 0]

DESIGN.md budget: full annotation (clean + entities + quotes + speakers + places) of
many articles is faster than the stock English model alone, with all its components,
on the same texts (ratio < 1.0). Both sides are timed here, in the same process, on
the same machine state:

  (a) spacy.load(default_model()) with no exclusions, nlp.pipe over the clean texts;
  (b) newsreader's clean + annotate over the same sources (loaded up front).

Both models are loaded and warmed up first; repetitions alternate A, B, A, B, ... so
that drift in the machine's speed falls on both; the medians and their ratio b/a are
printed. Then a linearity check (seconds per 1,000 words of a ~1,000-word and a
~100,000-word article, the long one built here by joining corpus texts) and, unless
--jobs 0, the wall time of `newsreader export --jobs N`. Nothing is asserted.
"""
from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from spacy.language import Language

from newsreader.model import Article, Page
from newsreader.nlp.model import default_model, get_nlp
from newsreader.pipeline import annotate, clean, load

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
WARMUP_TEXTS = 5
SHORT_REPS = 5  # the 1,000-word article is quick: more runs steady its median


def corpus_sources(corpus: Path) -> list[Path]:
    """Every PolNeAR dev text, then every corpus page (html/ and text/)."""
    if not corpus.is_dir():
        sys.exit(f"bench/bench_annotate.py needs the shared corpus: {corpus} not found "
                 f"(it is looked for in ../shared/corpus beside the repository {REPO}).")
    found = [*sorted((corpus / "polnear" / "dev" / "text").glob("*.txt")),
             *sorted((corpus / "html").glob("*.html")), *sorted((corpus / "text").glob("*.txt"))]
    if not found:
        sys.exit(f"no texts under {corpus} (expected polnear/dev/text, html/ and text/)")
    return found


def words(text: str) -> int:
    return len(text.split())


def timed(work: Callable[[], object]) -> tuple[float, float]:
    """(wall, CPU) seconds of one call, after a collection so that garbage from the
    other side is not paid for here. CPU time is this process's own: on a machine
    shared with other work it moves less than wall time does."""
    gc.collect()
    t, c = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - t, time.process_time() - c


def stock_pass(nlp: Language, texts: list[str]) -> None:
    for _ in nlp.pipe(texts):
        pass


def newsreader_pass(pages: list[Page]) -> None:
    for page in pages:
        annotate(clean(page))


Runs = list[tuple[float, float]]


def alternate(a: Callable[[], object], b: Callable[[], object], reps: int) -> tuple[Runs, Runs]:
    """A, B, A, B, ...: each side's (wall, CPU) run times."""
    ta, tb = [], []
    for _ in range(reps):
        ta.append(timed(a))
        tb.append(timed(b))
    return ta, tb


def joined_article(texts: list[str], at_least: int) -> Article:
    """An article of whole paragraphs from the corpus texts, cycling through them until
    it holds ``at_least`` words."""
    paragraphs = [p for t in texts for p in t.split("\n\n") if p.strip()]
    out, n, i = [], 0, 0
    while n < at_least:
        p = paragraphs[i % len(paragraphs)]
        out.append(p)
        n += words(p)
        i += 1
    return Article(source=f"bench:{n}-words", title=None, byline=None, site=None, date=None,
                   text="\n\n".join(out))


def median(runs: Runs) -> tuple[float, float]:
    """Median wall and median CPU seconds."""
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def linearity(texts: list[str], short_words: int, long_words: int) -> list[tuple[int, float, float]]:
    """(words, wall, CPU) of annotate on a short and a long joined article, printed as
    they come (the long one takes a while)."""
    print(f"\nlinearity of annotate{'':17}{'words':>10}{'wall s':>10}{'CPU s':>10}{'wall s/1k':>11}")
    rows = []
    for label, size, reps in (("short", short_words, SHORT_REPS), ("long", long_words, 1)):
        article = joined_article(texts, size)
        wall, cpu = median([timed(lambda a=article: annotate(a)) for _ in range(reps)])
        n = words(article.text)
        print(f"  {label + ' article':36}{n:10,}{wall:10.2f}{cpu:10.2f}{per_k(wall, n):11.4f}", flush=True)
        rows.append((n, wall, cpu))
    return rows


def newsreader_command() -> list[str]:
    """The installed `newsreader` script of this interpreter's environment."""
    beside = Path(sys.executable).with_name("newsreader")
    found = str(beside) if beside.exists() else shutil.which("newsreader")
    if found is None:
        sys.exit("the newsreader command is not installed (pip install -e .)")
    return [found]


def export_seconds(sources: list[Path], jobs: int) -> float:
    """Wall time of one `newsreader export --jobs N` over the sources, process start
    and model loading included (each worker loads its own model)."""
    with tempfile.TemporaryDirectory() as out:
        argv = [*newsreader_command(), "export", *map(str, sources), "--format", "json",
                "--output-dir", out, "--jobs", str(jobs)]
        t = time.perf_counter()
        proc = subprocess.run(argv, check=False, capture_output=True, text=True)
        dt = time.perf_counter() - t
    if proc.returncode != 0:
        print(f"  export --jobs {jobs} exited {proc.returncode}: {proc.stderr.strip()[-300:]}")
    return dt


def per_k(seconds: float, n_words: int) -> float:
    return seconds / (n_words / 1000) if n_words else 0.0


def budget(sources: list[Path], pages: list[Page], texts: list[str], reps: int) -> None:
    """The stock model with all components against newsreader's clean + annotate."""
    import spacy

    n_words = sum(words(t) for t in texts)
    name = default_model()
    stock = spacy.load(name)
    stock.max_length = max(stock.max_length, 5_000_000)
    ours = get_nlp()  # the cached pipeline annotate uses
    stock_pass(stock, texts[:WARMUP_TEXTS])
    newsreader_pass(pages[:WARMUP_TEXTS])

    ta, tb = alternate(lambda: stock_pass(stock, texts), lambda: newsreader_pass(pages), reps)
    (wa, ca), (wb, cb) = median(ta), median(tb)
    print(f"texts: {len(texts)} ({sum(s.suffix == '.html' for s in sources)} HTML pages), "
          f"{n_words:,} words after cleaning; {os.cpu_count()} CPUs; model {name} {stock.meta.get('version')}")
    print(f"stock components: {', '.join(stock.pipe_names)}")
    print(f"ours:             {', '.join(ours.pipe_names)}")
    print(f"\n{'':36}{'wall s':>8}{'CPU s':>8}{'wall s/1k':>11}   wall runs (A,B alternating)")
    for label, (w, c), runs in (("(a) stock spaCy, all components", (wa, ca), ta),
                                ("(b) newsreader clean + annotate", (wb, cb), tb)):
        print(f"{label:36}{w:8.2f}{c:8.2f}{per_k(w, n_words):11.4f}   " + " ".join(f"{r[0]:.2f}" for r in runs))
    print(f"ratio b/a = {wb / wa:.3f} wall, {cb / ca:.3f} CPU   (budget: < 1.0)", flush=True)


def export_scaling(sources: list[Path], jobs: list[int]) -> None:
    print(f"\nexport of the {len(sources)} sources (process start and model load included)")
    base = None
    for j in jobs:
        s = export_seconds(sources, j)
        base = base or s
        print(f"  --jobs {j}: {s:7.2f} s   speed-up {base / s:.2f}x", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpus", help="the shared corpus folder")
    ap.add_argument("--limit", type=int, help="only the first N texts")
    ap.add_argument("--reps", type=int, default=3, help="timed runs of each side (default: 3)")
    ap.add_argument("--short-words", type=int, default=1_000, help="size of the short article")
    ap.add_argument("--long-words", type=int, default=100_000, help="size of the long article")
    ap.add_argument("--jobs", default="1,2", help="export --jobs values to time, comma-separated; 0 skips")
    a = ap.parse_args()

    sources = corpus_sources(a.corpus)[: a.limit]
    pages = [load(str(s)) for s in sources]  # reading files is not timed
    texts = [clean(p).text for p in pages]  # the baseline's input
    budget(sources, pages, texts, a.reps)

    (ws, ss, cs), (wl, sl, cl) = linearity(texts, a.short_words, a.long_words)
    print(f"per-word ratio long/short = {per_k(sl, wl) / per_k(ss, ws):.3f} wall, "
          f"{per_k(cl, wl) / per_k(cs, ws):.3f} CPU   (budget: about 1, no worse)")

    jobs = [int(j) for j in a.jobs.split(",") if int(j) > 0]
    if jobs:
        export_scaling(sources, jobs)


if __name__ == "__main__":
    main()
