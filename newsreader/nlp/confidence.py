"""How sure an attribution is: a probability per rule, measured on annotated news.

A quote's rule is "<finding>/<resolution>" (see quotes.FINDING_RULES and
speakers.RESOLUTION_RULES). Its confidence is the product of two rates: how often that
finding rule, with that kind of mention, picks the words that name the speaker (the
subject of "said" is right more often when it is a name than when it is "people"), and
how often the resolution rule then reaches the right person or organisation. The rates
were measured by ``bench/calibrate.py`` (its docstring says how): the finding rates and
the rules that resolve a name on PolNeAR train (840 US political articles), the other
resolution rules on the hand-annotated news pages of the shared corpus; each smoothed
towards the rate of the rule above it. PolNeAR dev was kept for checking
(``bench/errors.py`` prints its reliability table). Rerun the script and paste its
tables after changing a rule.
"""
from __future__ import annotations

# bench/calibrate.py, finding: PolNeAR train; overall 5726/6150 = 0.931
FINDING = {
    "verb_governing": 0.954,  # 2326/2439
    "verb_after": 0.980,  # 2326/2373
    "verb_introducing": 0.930,  # 330/355
    "same_sentence": 0.885,  # 144/163
    "verb_after_loose": 0.783,  # 102/131
    "verb_before": 0.707,  # 79/113
    "governed": 0.837,  # 90/108
    "sentence_final": 0.976,  # 89/91
    "none": 0.040,  # 0/89
    "next_paragraph": 0.900,  # 53/59
    "according_to": 0.954,  # 44/46
    "split": 0.901,  # 35/39
    "colon": 0.847,  # 20/24
    "reporting_clause": 0.916,  # 21/23
    "same_paragraph": 0.759,  # 16/22
    "colon_paragraph": 0.901,  # 17/19
    "continued": 0.486,  # 6/16
    "claim_owner": 0.828,  # 12/15
    "paragraph_after_next": 0.480,  # 3/10
    "pull_quote_credit": 0.975,  # 7/7
    "subject_before": 0.961,  # 3/3
    "verb_after_mistagged": 0.961,  # 3/3
    "ahead": 0.745,  # 0/1
    "title": 0.745,  # 0/1
}
FINDING_PRIOR = 0.931

# bench/calibrate.py, mention (finding, by the mention's kind): PolNeAR train; whole rules seen 5+ times;
# a rule seen less often takes its finding rule's rate
MENTION = {
    "verb_governing/person_name": 0.975,  # 1323/1357
    "verb_after/person_name": 0.975,  # 1298/1331
    "verb_after/pronoun": 0.994,  # 690/694
    "verb_governing/pronoun": 0.971,  # 565/582
    "verb_introducing/person_name": 0.936,  # 146/156
    "verb_introducing/pronoun": 0.972,  # 111/114
    "verb_after/proper_name": 0.965,  # 108/112
    "verb_governing/proper_name": 0.959,  # 93/97
    "verb_governing/unnamed_group": 0.758,  # 69/92
    "none/none": 0.002,  # 0/89
    "same_sentence/person_name": 0.928,  # 80/86
    "sentence_final/person_name": 0.971,  # 66/68
    "verb_after/unnamed_group": 0.969,  # 61/63
    "verb_governing/definite_description": 0.952,  # 60/63
    "verb_after_loose/person_name": 0.859,  # 51/59
    "verb_governing/org_name": 0.842,  # 45/54
    "governed/person_name": 0.827,  # 38/46
    "verb_after/definite_description": 0.978,  # 44/45
    "verb_governing/org_description": 0.954,  # 41/43
    "verb_governing/document": 0.898,  # 33/37
    "verb_before/person_name": 0.846,  # 31/36
    "verb_before/pronoun": 0.785,  # 27/34
    "verb_governing/unresolved": 0.671,  # 21/33
    "next_paragraph/person_name": 0.933,  # 30/32
    "same_sentence/pronoun": 0.928,  # 28/30
    "governed/pronoun": 0.889,  # 26/29
    "verb_after/org_name": 0.998,  # 29/29
    "verb_governing/role_description": 0.959,  # 24/25
    "verb_after/document": 0.997,  # 23/23
    "verb_after/org_description": 0.997,  # 23/23
    "verb_before/unnamed_group": 0.576,  # 11/20
    "verb_after_loose/pronoun": 0.745,  # 14/19
    "verb_introducing/unnamed_group": 0.727,  # 13/19
    "sentence_final/pronoun": 0.996,  # 18/18
    "colon/person_name": 0.828,  # 14/17
    "split/person_name": 0.886,  # 15/17
    "verb_governing/apposition": 0.991,  # 16/16
    "same_paragraph/person_name": 0.739,  # 11/15
    "verb_after/role_description": 0.943,  # 14/15
    "verb_governing/surname_word": 0.938,  # 14/15
    "next_paragraph/pronoun": 0.978,  # 14/14
    "verb_governing/spokesperson": 0.934,  # 13/14
    "reporting_clause/person_name": 0.863,  # 11/13
    "verb_introducing/proper_name": 0.983,  # 13/13
    "verb_introducing/definite_description": 0.982,  # 12/12
    "according_to/org_name": 0.988,  # 11/11
    "colon_paragraph/person_name": 0.840,  # 9/11
    "governed/term": 0.756,  # 8/11
    "verb_after/spokesperson": 0.995,  # 11/11
    "according_to/person_name": 0.916,  # 9/10
    "governed/proper_name": 0.882,  # 9/10
    "verb_after/surname_word": 0.923,  # 9/10
    "verb_after/unresolved": 0.994,  # 10/10
    "verb_after_loose/unnamed_group": 0.581,  # 5/10
    "according_to/document": 0.909,  # 8/9
    "continued/person_name": 0.457,  # 4/9
    "split/pronoun": 0.969,  # 9/9
    "verb_after_loose/definite_description": 0.779,  # 7/9
    "verb_governing/possessed_description": 0.832,  # 7/9
    "same_sentence/proper_name": 0.962,  # 8/8
    "verb_introducing/document": 0.727,  # 5/8
    "verb_introducing/org_name": 0.977,  # 8/8
    "claim_owner/person_name": 0.755,  # 5/7
    "claim_owner/pronoun": 0.937,  # 7/7
    "paragraph_after_next/person_name": 0.447,  # 3/7
    "same_sentence/unnamed_group": 0.594,  # 3/7
    "verb_after/apposition": 0.902,  # 6/7
    "verb_after_loose/apposition": 0.739,  # 5/7
    "according_to/unresolved": 0.982,  # 6/6
    "same_sentence/term": 0.854,  # 5/6
    "verb_after_loose/term": 0.613,  # 3/6
    "verb_introducing/surname_word": 0.772,  # 4/6
    "verb_introducing/unresolved": 0.872,  # 5/6
    "continued/org_name": 0.216,  # 0/5
    "governed/org_name": 0.816,  # 4/5
    "reporting_clause/pronoun": 0.963,  # 5/5
    "same_sentence/definite_description": 0.838,  # 4/5
    "verb_after_loose/org_name": 0.793,  # 4/5
    "verb_before/document": 0.870,  # 5/5
    "verb_introducing/role_description": 0.969,  # 5/5
}

# bench/calibrate.py, resolution (names): PolNeAR train; overall 3555/3594 = 0.989
# and resolution (other): gold pages; overall 67/68 = 0.985
RESOLUTION = {
    "person_name": 0.994,  # 3128/3148
    "proper_name": 1.000,  # 248/248
    "org_name": 0.964,  # 105/109
    "surname_word": 0.999,  # 36/36
    "apposition": 0.970,  # 30/31
    "spokesperson": 0.389,  # 5/19
    "document_owner": 0.994,  # 3/3
    "pronoun": 0.999,  # 53/53
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
RESOLUTION_PRIOR = 0.985
CEILING = 0.99  # no rule is certain


def confidence(rule: str) -> float:
    """The estimated probability that a quote attributed by ``rule`` ("finding/resolution")
    names the right speaker (or rightly none)."""
    finding, _, resolution = rule.partition("/")
    p = MENTION.get(rule, FINDING.get(finding, FINDING_PRIOR)) * RESOLUTION.get(resolution, RESOLUTION_PRIOR)
    return round(min(CEILING, p), 3)
