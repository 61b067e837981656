"""Accuracy floors on the shared evaluation corpus (skipped when ../shared is absent).

The pipeline runs in this process and the scorer's own functions judge it
(../shared/eval/score.py), so a floor here is the score line's metric. The floors sit
a little under the figures of this version (README, Accuracy): they catch a change
that makes attribution worse, not the noise of a quote or two.
"""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from paths import SHARED

from newsreader.export.jsonfmt import to_dict
from newsreader.pipeline import annotate, clean, load


def _scorer():
    path = SHARED / "eval" / "score.py"
    if not path.exists():
        pytest.skip("../shared/eval/score.py is not beside this checkout")
    spec = importlib.util.spec_from_file_location("score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _totals(score, results: list[dict]) -> dict[str, list[int]]:
    tot: dict[str, list[int]] = {}
    for r in results:
        for key, vals in r.items():
            acc = tot.setdefault(key, [0] * len(vals))
            for i, v in enumerate(vals):
                acc[i] += v
    return tot


def _f1(tot: dict[str, list[int]]) -> float:
    tp, pred, gold = tot["quotes"]
    p, r = tp / pred, tp / gold
    return 2 * p * r / (p + r)


def _ratio(pair: list[int]) -> float:
    return pair[0] / pair[1] if pair[1] else 1.0


def _predict(source: Path) -> dict:
    return to_dict(annotate(clean(load(str(source)))))


def test_gold_pages_floors(corpus: Path) -> None:
    score = _scorer()
    results = []
    for f in sorted((corpus / "gold").glob("*.json")):
        source = score.find_source(corpus, f.stem)
        assert source is not None, f.stem
        results.append(score.score_article(json.loads(f.read_text(encoding="utf-8")), _predict(source)))
    tot = _totals(score, results)
    s_tp, s_pred, s_gold, s_canon = tot["speakers"]
    right_sure, n_sure, n_found = tot["sure"]
    assert _f1(tot) >= 0.98
    assert _ratio(tot["attribution"]) >= 0.97
    assert s_tp / s_pred >= 0.93 and s_tp / s_gold >= 0.98 and s_canon / s_tp >= 0.96
    assert right_sure / n_sure >= 0.99 and n_sure / n_found >= 0.78


def test_polnear_dev_floors(corpus: Path) -> None:
    score = _scorer()
    split = corpus / "polnear" / "dev"
    if not (split / "entities").is_dir():
        pytest.skip("no PolNeAR dev entity gold")
    golds = score.polnear_gold(split)
    score.polnear_entities(split, golds)
    tot = _totals(score, [score.score_polnear(g, _predict(split / "text" / f"{k}.txt")) for k, g in golds.items()])
    right_sure, n_sure, n_found = tot["sure"]
    assert _f1(tot) >= 0.935
    assert _ratio(tot["attribution"]) >= 0.865
    assert _ratio(tot["speaker_acc"]) >= 0.90
    assert _ratio(tot["unnamed_ok"]) >= 0.70
    assert right_sure / n_sure >= 0.95 and n_sure / n_found >= 0.80
