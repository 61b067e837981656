#!/usr/bin/env python3
"""Peak memory and time of clean + annotate as the text grows.

Usage (from the project root):
    python bench/bench_memory.py [--sizes 0.1,1,2,5] [--limit CHARS] [--budget-mb 500]

Each size runs in a fresh process, so that one size's memory does not hide the next
one's; the peak resident set size of that process is read from os.wait4's rusage.
The text is made of the demo article's paragraphs (ordinary news English with quotes,
speakers and places), shuffled with a fixed seed and repeated up to the size, and goes
through the same clean and annotate as `newsreader export`. The spaCy model is loaded
and warmed up before the clock starts; a "model only" row gives the memory it takes by
itself.

Annotation stops at newsreader.nlp.annotator.ANNOTATE_LIMIT characters (--limit 0
annotates everything, to see the mechanism's own growth). The time per MB is per MB
of annotated text, wall and CPU (this process's own, steadier on a shared machine),
each printed as a ratio to the smallest size's: about 1 when the cost is linear.
Nothing is asserted; the peak is compared with --budget-mb.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MB = 1_000_000


def synthetic_text(size: int, seed: int = 9) -> str:
    """About ``size`` characters of the demo article's body paragraphs, shuffled and repeated."""
    from newsreader.samples import demo_page

    lines = [line for line in demo_page().text.splitlines() if line.strip()]
    paragraphs = lines[2:]  # below the headline and the standfirst
    rng = random.Random(seed)
    out, n = [lines[0]], len(lines[0])
    while n < size:
        rng.shuffle(paragraphs)
        for p in paragraphs:
            out.append(p)
            n += len(p) + 2
            if n >= size:
                break
    return "\n\n".join(out)


def child(size: int, limit: int | None) -> None:
    """Runs in the fresh process: warm up, then clean + annotate one text; print the figures."""
    from newsreader.model import Page
    from newsreader.nlp import annotator
    from newsreader.pipeline import annotate, clean

    annotate(clean(Page("warm-up", synthetic_text(2_000), "text")))
    if size == 0:
        print(json.dumps({"chars": 0, "annotated": 0, "seconds": 0.0, "cpu": 0.0, "quotes": 0}))
        return
    page = Page("bench", synthetic_text(size), "text")
    t, c = time.perf_counter(), time.process_time()
    reading = annotate(clean(page), limit=annotator.ANNOTATE_LIMIT if limit is None else limit or None)
    seconds, cpu = time.perf_counter() - t, time.process_time() - c
    chars = len(reading.article.text)
    annotated = chars if reading.annotated_to is None else reading.annotated_to
    print(json.dumps({"chars": chars, "annotated": annotated, "seconds": seconds, "cpu": cpu,
                      "quotes": len(reading.quotes)}))


def run(size: int, limit: int | None) -> tuple[dict, float]:
    """One size in a fresh process: its figures and its peak RSS in MB."""
    argv = [sys.executable, __file__, "--child", str(size)]
    if limit is not None:
        argv += ["--limit", str(limit)]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, cwd=REPO)
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"the {size / MB:g} MB run failed (exit {proc.returncode})")
    return json.loads(out.strip().splitlines()[-1]), usage.ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="0.1,1,2,5", help="text sizes in MB, comma-separated")
    ap.add_argument("--limit", type=int, help="annotate at most CHARS characters (0: all; default: the app's cap)")
    ap.add_argument("--budget-mb", type=float, default=500, help="peak RSS budget (default: 500)")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child is not None:
        child(a.child, a.limit)
        return

    from newsreader.nlp.annotator import ANNOTATE_LIMIT

    cap = ANNOTATE_LIMIT if a.limit is None else a.limit
    print(f"annotation cap: {f'{cap:,} characters' if cap else 'none'}; {os.cpu_count()} CPUs")
    print(f"{'text':>10}{'chars':>12}{'annotated':>12}{'quotes':>8}{'peak RSS MB':>13}{'wall s':>9}"
          f"{'CPU s':>8}{'wall s/MB':>11}{'ratio':>7}{'CPU s/MB':>10}{'ratio':>7}")
    _, base_rss = run(0, a.limit)
    print(f"{'model only':>10}{'':>12}{'':>12}{'':>8}{base_rss:13.0f}")
    first = first_cpu = None
    worst = base_rss
    for size in (round(float(s) * MB) for s in a.sizes.split(",")):
        figures, rss = run(size, a.limit)
        worst = max(worst, rss)
        per_mb, cpu_mb = (figures[k] / (figures["annotated"] / MB) for k in ("seconds", "cpu"))
        first, first_cpu = first or per_mb, first_cpu or cpu_mb
        print(f"{size / MB:>7g} MB{figures['chars']:12,}{figures['annotated']:12,}{figures['quotes']:8,}"
              f"{rss:13.0f}{figures['seconds']:9.1f}{figures['cpu']:8.1f}{per_mb:11.1f}{per_mb / first:7.2f}"
              f"{cpu_mb:10.1f}{cpu_mb / first_cpu:7.2f}", flush=True)
    print(f"peak RSS {worst:.0f} MB (budget: {a.budget_mb:.0f} MB): {'within' if worst <= a.budget_mb else 'OVER'}")


if __name__ == "__main__":
    main()
