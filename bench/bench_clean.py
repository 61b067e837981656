"""Clean-step time against plain trafilatura on the same pages, in one run (budget: 1.3x).

Each page of the extraction dev set is decoded once, as the loader does; then,
alternately, ``trafilatura.extract`` runs on the page's text with the settings the
corpus's scorer uses, newsreader's clean on the same page (trafilatura with
metadata, our structure and rules, the standfirst, the language), and
``trafilatura.extract`` with its metadata (title, byline, date: the same job).  Pages alternate
which side goes first, so a busy machine slows both alike.  Prints wall and CPU
seconds per side and their ratios.

    .venv/bin/python bench/bench_clean.py [--corpus DIR] [--limit N] [--reps 1]
"""
from __future__ import annotations

import argparse
import gzip
import json
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT = HERE.parent.parent / "shared" / "corpus" / "extraction"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT)
    ap.add_argument("--limit", type=int, default=300, help="pages (sorted by name; default %(default)s)")
    ap.add_argument("--reps", type=int, default=1)
    a = ap.parse_args()

    import trafilatura

    from newsreader.clean import clean
    from newsreader.errors import NewsreaderError
    from newsreader.language import detect_language
    from newsreader.load import from_bytes
    from newsreader.model import Page

    names = sorted(json.loads((a.corpus / "evaldata.json").read_text(encoding="utf-8")))[: a.limit]
    pages = []
    for n in names:
        try:
            pages.append(from_bytes(gzip.decompress((a.corpus / "pages" / f"{n}.html.gz").read_bytes()), n))
        except NewsreaderError:
            continue
    detect_language("warm the language model up once, as a long-running reader would")

    def ours(page: Page) -> None:
        try:
            clean(page)
        except NewsreaderError:
            pass

    def theirs(page: Page) -> None:
        trafilatura.extract(page.text, include_comments=False, include_tables=True)

    def theirs_with_metadata(page: Page) -> None:  # the same job newsreader does: title, byline, date
        trafilatura.extract(page.text, include_comments=False, include_tables=True, with_metadata=True)

    wall = {"trafilatura": 0.0, "newsreader": 0.0, "trafilatura+metadata": 0.0}
    cpu = dict(wall)
    for rep in range(a.reps):
        for i, page in enumerate(pages):
            sides = [("trafilatura", theirs), ("newsreader", ours), ("trafilatura+metadata", theirs_with_metadata)]
            if (i + rep) % 2:
                sides.reverse()
            for name, run in sides:
                w, c = time.perf_counter(), time.process_time()
                run(page)
                wall[name] += time.perf_counter() - w
                cpu[name] += time.process_time() - c
    print(f"pages={len(pages)} reps={a.reps}")
    for name in wall:
        print(f"{name:21} wall={wall[name]:.2f}s cpu={cpu[name]:.2f}s")
    print(f"metadata_ratio_wall={wall['newsreader'] / wall['trafilatura+metadata']:.2f} "
          "(newsreader against trafilatura with its metadata, the same job)")
    print(f"clean_ratio_wall={wall['newsreader'] / wall['trafilatura']:.2f} "
          f"clean_ratio_cpu={cpu['newsreader'] / cpu['trafilatura']:.2f} (budget 1.3)")


if __name__ == "__main__":
    main()
