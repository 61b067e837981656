"""What each boilerplate rule of the clean step removes, on the extraction dev set.

For every page of ``../shared/corpus/extraction`` the cleaner's paragraphs are judged
as ``newsreader.clean`` judges them; each paragraph a rule drops is matched against the
page's gold segments (whitespace-normalised substring test, either way round, as the
corpus's scorer does).  Per rule, the table counts the gold segments it removed that
belong to the article (a cost) against those that are boilerplate (a gain); a rule
earns its place when gains outweigh costs.  "--examples K" prints the first K article
segments each rule removed, to see why.

    .venv/bin/python bench/clean_rules.py [--corpus DIR] [--limit N] [--jobs 2] [--examples K]
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT = HERE.parent.parent / "shared" / "corpus" / "extraction"


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def judge_page(args: tuple[Path, str, dict]) -> list[tuple[str, str, str]]:
    """(rule, "article" | "boilerplate", segment) for each gold segment a rule removed."""
    corpus, name, gold = args
    from newsreader.clean import explain
    from newsreader.errors import NewsreaderError
    from newsreader.load import from_bytes

    page = from_bytes(gzip.decompress((corpus / "pages" / f"{name}.html.gz").read_bytes()), source=name)
    try:
        judged = explain(page)
    except NewsreaderError:
        return []
    kept = " ".join(norm(text) for text, _, rule in judged if rule is None)
    out = []
    for text, _, rule in judged:
        if rule is None:
            continue
        piece = norm(text)
        for label, key in (("article", "with"), ("boilerplate", "without")):
            for seg in map(norm, gold[key]):
                if seg and seg not in kept and (seg in piece or (len(piece) >= 10 and piece in seg)):
                    out.append((rule, label, seg))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--examples", type=int, default=0)
    a = ap.parse_args()
    gold = json.loads((a.corpus / "evaldata.json").read_text(encoding="utf-8"))
    names = sorted(gold)[: a.limit]
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    examples: dict[str, list[str]] = defaultdict(list)
    with ProcessPoolExecutor(a.jobs) as pool:
        jobs = [(a.corpus, name, gold[name]) for name in names]
        for found in pool.map(judge_page, jobs, chunksize=8):
            for rule, label, seg in set(found):
                counts[rule][label] += 1
                if len(examples[rule]) < a.examples:
                    examples[rule].append(f"{label}: {seg[:100]}")
    print(f"{'rule':32} {'article (cost)':>15} {'boilerplate (gain)':>19}  verdict")
    for rule in sorted(counts, key=lambda r: counts[r]["article"] - counts[r]["boilerplate"]):
        c = counts[rule]
        verdict = "pays" if c["boilerplate"] > c["article"] else "costs" if c["article"] > c["boilerplate"] else "even"
        print(f"{rule:32} {c['article']:15d} {c['boilerplate']:19d}  {verdict}")
        for seg in examples[rule]:
            print(f"    - {seg}")
    total = Counter()
    for c in counts.values():
        total.update(c)
    print(f"{'all rules':32} {total['article']:15d} {total['boilerplate']:19d}  pages={len(names)}")


if __name__ == "__main__":
    main()
