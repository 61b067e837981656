"""How sure an attribution is: a probability per rule, measured on annotated news.

A quote's rule is "<finding>/<resolution>" (see quotes.FINDING_RULES and
speakers.RESOLUTION_RULES). Its confidence is the product of the hit rate of its
finding rule (are these the words that name the speaker?) and of its resolution rule
(is that the right person or organisation?). The rates were measured by
``bench/calibrate.py`` (its docstring says how): finding rules and the rules that
resolve a name on PolNeAR train (840 US political articles), the other resolution
rules on the hand-annotated news pages of the shared corpus; each smoothed towards
the overall rate. PolNeAR dev was kept for checking (``bench/errors.py`` prints its
reliability table). Rerun the script and paste its tables after changing a rule.
"""
from __future__ import annotations

# bench/calibrate.py, finding: PolNeAR train; overall 5634/6279 = 0.897
FINDING = {
    "verb_governing": 0.916,  # 2293/2502
    "verb_after": 0.975,  # 2322/2381
    "verb_before": 0.837,  # 398/476
    "split": 0.754,  # 188/250
    "verb_after_loose": 0.652,  # 91/141
    "governed": 0.773,  # 83/108
    "none": 0.034,  # 0/103
    "continued": 0.631,  # 62/100
    "sentence_final": 0.964,  # 88/91
    "according_to": 0.879,  # 43/49
    "reporting_clause": 0.874,  # 20/23
    "colon": 0.837,  # 19/23
    "colon_paragraph": 0.895,  # 17/19
    "pull_quote_credit": 0.963,  # 7/7
    "verb_after_mistagged": 0.941,  # 3/3
    "ahead": 0.718,  # 0/1
    "dash": 0.718,  # 0/1
    "title": 0.718,  # 0/1
}
FINDING_PRIOR = 0.897

# bench/calibrate.py, resolution (names): PolNeAR train; overall 3544/3579 = 0.990
# and resolution (other): gold pages; overall 68/69 = 0.986
RESOLUTION = {
    "person_name": 0.995,  # 3120/3136
    "proper_name": 1.000,  # 241/241
    "org_name": 0.966,  # 110/114
    "surname_word": 0.999,  # 36/36
    "apposition": 0.970,  # 30/31
    "spokesperson": 0.390,  # 5/19
    "document_owner": 0.993,  # 2/2
    "pronoun": 0.999,  # 54/54
    "org_description": 0.995,  # 7/7
    "definite_description": 0.992,  # 3/3
    "possessed_description": 0.990,  # 2/2
    "unnamed_group": 0.990,  # 2/2
    "none": 0.788,  # 0/1
    # a mention was found but names no one the article knows: no corpus here
    # measures it, so it is never shown as sure
    "unresolved": 0.5,
    # a quoted term inside what the mention said, credited to no one: PolNeAR train has no
    # entity gold to measure it on (dev, kept for checking, has 3 of 4 right), so it is
    # never shown as sure either
    "term": 0.75,
}
RESOLUTION_PRIOR = 0.986
CEILING = 0.99  # no rule is certain


def confidence(rule: str) -> float:
    """The estimated probability that a quote attributed by ``rule`` ("finding/resolution")
    names the right speaker (or rightly none)."""
    finding, _, resolution = rule.partition("/")
    p = FINDING.get(finding, FINDING_PRIOR) * RESOLUTION.get(resolution, RESOLUTION_PRIOR)
    return round(min(CEILING, p), 3)
