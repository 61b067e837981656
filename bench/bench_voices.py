"""Voices over a large library, against listing the same library, in one run.

Builds a library of N synthetic saved articles (default 10,000; each with a few
quotes by speakers drawn from a pool, some unsure, some unnamed) in a temporary
folder, then times, alternately, ``Library().list()`` and the voices count over the
whole library (``Library().quotes(...)`` and ``count_rows``), each on a freshly opened
library. Prints the seconds of each and their ratio.

    .venv/bin/python bench/bench_voices.py [--articles N] [--reps 3]
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time


def synthetic(n: int, seed: int = 1):
    """``n`` annotated Readings, each with two to six quotes."""
    from newsreader.model import Article, Quote, Reading, Speaker

    rng = random.Random(seed)
    pool = [(f"Person{i} Surname{i}", "person", rng.choice(["female", "male", None])) for i in range(300)]
    pool += [(f"Agency {i}", "organisation", None) for i in range(30)]
    for number in range(n):
        chosen = rng.sample(pool, 3)
        paragraphs, quotes = [], []
        offset = 0
        for q in range(rng.randint(2, 6)):
            words = " ".join(rng.choice(["vote", "plan", "city", "budget", "we", "will"]) for _ in range(rng.randint(3, 30)))
            name, _, _ = chosen[q % 3] if rng.random() > 0.1 else (None, None, None)
            para = f"“{words}” said someone."
            quotes.append(Quote(offset + 1, offset + 1 + len(words), words, name,
                                confidence=rng.choice([0.95, 0.99, 0.6])))
            paragraphs.append(para)
            offset += len(para) + 2
        speakers = tuple(Speaker(name, (), kind, tuple(i for i, q in enumerate(quotes) if q.speaker == name),
                                 gender=gender, gender_source="pronoun" if gender else None)
                         for name, kind, gender in chosen if any(q.speaker == name for q in quotes))
        article = Article(f"https://example.org/news/{number}", f"Story {number}", None, "Example News",
                          f"2026-{1 + number % 12:02d}-01", "\n\n".join(paragraphs))
        yield Reading(article, (), tuple(quotes), speakers, ())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--reps", type=int, default=3)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["NEWSREADER_HOME"] = home
        from newsreader.library import Library
        from newsreader.voices import count_rows

        started = time.perf_counter()
        library = Library()
        for reading in synthetic(a.articles):
            library.save(reading)
        print(f"built a library of {a.articles:,} articles in {time.perf_counter() - started:.1f}s")

        def listing() -> None:
            Library().list()

        def voices() -> None:
            lib = Library()
            count_rows(lib.quotes(lib.list()))

        times: dict[str, list[float]] = {"library list": [], "voices": []}
        for rep in range(a.reps):
            runs = [("library list", listing), ("voices", voices)]
            for name, run in runs if rep % 2 == 0 else reversed(runs):
                t = time.perf_counter()
                run()
                times[name].append(time.perf_counter() - t)
        summary = count_rows(Library().quotes(Library().list()))
        print(f"{summary.articles:,} articles, {summary.quotes + summary.unsure_quotes:,} quotes, "
              f"{len(summary.voices)} voices")
        for name, taken in times.items():
            print(f"{name:13} {statistics.median(taken):.3f}s (median of {a.reps})")
        ratio = statistics.median(times["voices"]) / statistics.median(times["library list"])
        print(f"voices_to_list_ratio={ratio:.2f}")


if __name__ == "__main__":
    main()
