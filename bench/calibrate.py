#!/usr/bin/env python3
"""Derive the confidence table of newsreader/nlp/confidence.py from annotated news.

Usage (from the project root):
    python bench/calibrate.py [--train ../shared/corpus/polnear/train] [--gold ../shared/corpus/gold]

A quote's rule is "<finding>/<resolution>". Its confidence is the product of two hit
rates, each measured where the gold can tell:
  mention     on PolNeAR train (840 articles): of the found quotes whose gold has a
              source, the share whose mention (or the speaker it resolved to) shares a
              word with the annotated source (the scorer's attribution test; a source
              that is a bare pronoun cannot check a mention that is a name, and such
              quotes are left out), for each whole rule: how often a finding
              rule picks the right words depends on what those words are (the subject
              of "said" is right more often when it is a name than when it is "people");
              smoothed towards the finding rule's own rate (also printed);
  resolution  for rules that resolve a name (person_name, proper_name, org_name, …):
              on PolNeAR train, of the quotes with a right mention whose source holds
              a capitalised word, the share whose speaker shares a name word with it;
              for rules that resolve what a train source cannot check (pronouns,
              descriptions, documents, unnamed sources): on the hand-annotated news
              pages (../shared/corpus/gold), the share of found quotes whose speaker
              is the gold speaker (or none where the gold has none).
Rates are smoothed towards the overall rate (add-k with k=4) so that a rule seen a
few times does not get 0 or 1. PolNeAR dev is not used here: it is for checking
(bench/errors.py prints its reliability table). Prints the two tables as Python.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from errors import SHARED, import_scorer, run_pipeline  # noqa: E402

K = 4  # pseudo-counts of the overall rate added to each rule's counts
PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "who", "which"}
MIN_SEEN = 5  # whole rules seen fewer times take their finding rule's rate
NAME_RULES = {"person_name", "proper_name", "org_name", "office_then_name", "surname_word", "apposition",
              "spokesperson", "document_owner"}


def smoothed(hits: int, n: int, prior: float) -> float:
    return (hits + K * prior) / (n + K)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", type=Path, default=SHARED / "corpus" / "polnear" / "train")
    ap.add_argument("--gold", type=Path, default=SHARED / "corpus" / "gold")
    ap.add_argument("--limit", type=int)
    a = ap.parse_args()
    scorer = import_scorer(SHARED)
    find = defaultdict(lambda: [0, 0])
    whole = defaultdict(lambda: [0, 0])
    names = defaultdict(lambda: [0, 0])
    golds = scorer.polnear_gold(a.train)
    for n, (k, gold) in enumerate(golds.items()):
        if a.limit and n >= a.limit:
            break
        pq = run_pipeline(a.train / "text" / f"{k}.txt").pred.get("quotes", [])
        gt = [scorer.tokens(q["text"]) for q in gold]
        pt = [scorer.tokens(q.get("text", "")) for q in pq]
        pairs = sorted(((scorer.overlap_f1(g, p), i, j) for i, g in enumerate(gt) for j, p in enumerate(pt)),
                       reverse=True)
        used_g, used_p = set(), set()
        for f, i, j in pairs:
            if f < 0.9 or i in used_g or j in used_p:
                continue
            used_g.add(i)
            used_p.add(j)
            src = gold[i]["speaker"]
            if not src:
                continue
            q = pq[j]
            finding, _, resolution = (q.get("rule") or "none/none").partition("/")
            said = (q.get("mention") or {}).get("text") or q.get("speaker") or ""
            if src.lower() in PRONOUNS and said.lower() not in PRONOUNS:
                continue  # "He" annotated, "Blackwell" found: the source cannot tell
            gw = set(scorer.tokens(src)) - scorer.STOP
            right = bool(gw & ((set(scorer.tokens(said)) | set(scorer.tokens(q.get("speaker") or ""))) - scorer.STOP))
            find[finding][0] += right
            find[finding][1] += 1
            whole[q.get("rule") or "none/none"][0] += right
            whole[q.get("rule") or "none/none"][1] += 1
            capitals = {w.lower() for w in re.findall(r"\b[A-Z][\w'-]+", src)} - scorer.HONORIFICS - scorer.STOP
            if right and resolution in NAME_RULES and capitals:
                names[resolution][0] += bool(capitals & set(scorer.tokens(q.get("speaker") or "")))
                names[resolution][1] += 1
    others = defaultdict(lambda: [0, 0])
    for f in sorted(a.gold.glob("*.json")):
        gold = json.loads(f.read_text(encoding="utf-8"))
        source = scorer.find_source(a.gold.parent, f.stem)
        if source is None:
            continue
        pq = run_pipeline(source).pred.get("quotes", [])
        m = scorer.match_quotes(gold.get("quotes", []), pq)
        idx = scorer.alias_index(gold.get("speakers", []))
        for i, j in m.items():
            g = gold["quotes"][i]
            resolution = (pq[j].get("rule") or "none/none").partition("/")[2]
            if resolution in NAME_RULES:
                continue
            want = scorer.resolve(g.get("speaker"), idx)
            got = scorer.resolve(pq[j].get("speaker"), idx)
            right = want == got if g.get("speaker") else not pq[j].get("speaker")
            others[resolution][0] += right
            others[resolution][1] += 1

    def show(title: str, table: dict[str, list[int]], source: str) -> None:
        hits = sum(h for h, _ in table.values())
        total = sum(n for _, n in table.values()) or 1
        prior = hits / total
        print(f"# {title}: {source}; overall {hits}/{total} = {prior:.3f}")
        for rule, (h, n) in sorted(table.items(), key=lambda kv: -kv[1][1]):
            print(f"    {rule!r}: {smoothed(h, n, prior):.3f},  # {h}/{n}")

    show("finding", find, "PolNeAR train")
    hits = {rule: (h + K * smoothed(*find[rule.partition("/")[0]], sum(h for h, _ in find.values())
                                     / (sum(n for _, n in find.values()) or 1))) / (n + K)
            for rule, (h, n) in whole.items()}
    print(f"# mention (finding, by the mention's kind): PolNeAR train; whole rules seen {MIN_SEEN}+ times")
    for rule, (h, n) in sorted(whole.items(), key=lambda kv: (-kv[1][1], kv[0])):
        if n >= MIN_SEEN:
            print(f"    {rule!r}: {hits[rule]:.3f},  # {h}/{n}")
    show("resolution (names)", names, "PolNeAR train")
    show("resolution (other)", others, "gold pages")


if __name__ == "__main__":
    main()
