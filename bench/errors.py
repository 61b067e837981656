#!/usr/bin/env python3
"""Where quote finding and attribution go wrong, grouped by cause.

Usage (from the project root):
    python bench/errors.py [--gold ../shared/corpus/gold] [--polnear ../shared/corpus/polnear/dev]
                           [--limit N] [--examples K] [--only {gold,polnear}]

The pipeline runs in this process (load, clean, annotate, to_dict) on the gold
corpus sources and on a PolNeAR split; matching and the totals come from the
scorer's own functions (../shared/eval/score.py), so a "missed" quote here is one
the scorer misses. For each corpus it prints the missed, the extra (false
positive) and the wrongly attributed quotes, grouped by a heuristic cause, with a
count and a few examples in context, then the scorer's summary line. Where a PolNeAR split has entity gold (dev), the quotes
credited to the wrong person or organisation follow, grouped by cause (entity_cause).
Last come the found quotes by rule ("finding/resolution", and each half alone): hits,
errors, accuracy and mean confidence; and a reliability table of confidence bins
against accuracy (entity level where there is entity gold, else PolNeAR's mention
test, or the gold corpus's speaker test).

Causes are guesses made from the text, meant to point at the weakest stage; each
rule is described where it is decided (missed_cause, extra_cause, wrong_cause).
"""
from __future__ import annotations

import argparse
import importlib
import json
import re
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from newsreader import pipeline
from newsreader.errors import NewsreaderError
from newsreader.export.jsonfmt import to_dict
from newsreader.nlp.lexicon import NAMING_CUES, ORG_HEADS, PERSONAL_PRONOUNS, SPEECH_FORMS, WORK_NOUNS
from newsreader.nlp.marks import find_marked
from newsreader.safety import strip_control

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
BEFORE, AFTER, MAX_QUOTE = 80, 60, 240  # context characters around an example
GOLD_MATCH, POLNEAR_MATCH = 0.5, 0.9  # the scorer's word-overlap F1 thresholds

MISSED, EXTRA, WRONG = "missed quotes", "extra quotes", "wrong speaker"
ENTITY = "wrong person (entity level: speaker_acc and unnamed_ok)"
BINS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0001)  # confidence bins of the reliability table
Offsets = tuple[int, int]


@dataclass(frozen=True)
class Case:
    """One error with what is needed to show it."""

    cause: str
    art_id: str
    text: str  # the clean text the offsets point into
    span: Offsets | None  # where the quote is in ``text``, if it could be found
    quote: str
    note: str = ""


@dataclass(frozen=True)
class Outcome:
    """The scorer's verdict on one article: which gold quotes were missed, which
    predictions are extra, and which matched pairs carry the wrong speaker."""

    matched: dict[int, int]
    missed: list[int]
    extra: list[int]
    wrong: list[int]  # gold indices whose matched prediction names the wrong speaker
    # per matched gold quote with a verdict: (prediction index, right?) — entity level
    # where the gold has entities (named and unnamed), else the mention-level test
    verdicts: dict[int, tuple[int, bool]] = field(default_factory=dict)
    entity_wrong: list[int] = field(default_factory=list)  # gold indices, entity level


@dataclass(frozen=True)
class Result:
    """A pipeline run over one source: the article, its export dict and the marked stretches."""

    article_text: str
    pred: dict[str, Any]
    marked: list[Offsets]


# --- setup --------------------------------------------------------------------------


def import_scorer(shared: Path) -> ModuleType:
    """The scorer module itself, so that matching here is exactly the scorer's."""
    path = shared / "eval" / "score.py"
    if not path.exists():
        sys.exit(f"bench/errors.py needs the shared evaluation material: {path} not found "
                 f"(it is looked for in ../shared beside the repository {REPO}).")
    sys.path.insert(0, str(path.parent))
    return importlib.import_module("score")


def run_pipeline(source: Path) -> Result:
    """Load, clean and annotate one source the way ``newsreader export`` does."""
    try:
        article = pipeline.clean(pipeline.load(str(source)))
        pred = to_dict(pipeline.annotate(article))
    except NewsreaderError as exc:
        print(f"{source.name}: {exc}", file=sys.stderr)
        return Result("", {}, [])
    marked = [(m.start, m.end) for m in find_marked(article.text, article.paragraphs)]
    return Result(article.text, pred, marked)


# --- locating text ------------------------------------------------------------------


def locate(scorer: ModuleType, text: str, quote: str, prefer: list[Offsets]) -> Offsets | None:
    """Where ``quote`` stands in ``text``: its scorer tokens in order, anything but word
    characters between them (so curly/straight marks and dashes do not matter). Of
    several occurrences the one inside a marked stretch wins (a headline may repeat it)."""
    toks = scorer.tokens(quote)
    if not toks or not text:
        return None
    body = r"\W+".join(re.escape(t) for t in toks)
    hits: list[Offsets] = []
    for pattern in (rf"(?<!\w){body}(?!\w)", body):
        hits = [(m.start(), m.end()) for m in re.finditer(pattern, text, re.IGNORECASE)]
        if hits:
            break
    if not hits:
        return None
    return next((h for h in hits if any(overlaps(h, p) for p in prefer)), hits[0])


def overlaps(a: Offsets, b: Offsets) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def pred_span(q: dict[str, Any]) -> Offsets:
    return q.get("start", 0), q.get("end", 0)


def sentence_around(text: str, span: Offsets) -> Offsets:
    """The sentence(s) holding ``span``, within its paragraph: back to the last sentence
    end before it, on to the first one after it."""
    brk = text.rfind("\n\n", 0, span[0])
    para_lo = 0 if brk < 0 else brk + 2
    para_hi = text.find("\n\n", span[1])
    para_hi = len(text) if para_hi < 0 else para_hi
    ends = [m.end() for m in re.finditer(r"[.?!][\"'\u201d\u2019)]*\s", text[para_lo : span[0]])]
    lo = para_lo + (ends[-1] if ends else 0)
    after = re.search(r"[.?!][\"'\u201d\u2019)]*(\s|$)", text[span[1] : para_hi])
    hi = span[1] + after.end() if after else para_hi
    return lo, hi


def word_before(text: str, start: int) -> str:
    """The word right before a quote's opening mark, lower-cased."""
    m = re.search(r"([\w-]+)\W*$", text[max(0, start - 60) : start])
    return m.group(1).lower() if m else ""


# --- causes -------------------------------------------------------------------------


def missed_cause(scorer: ModuleType, text: str, gold: str, span: Offsets | None, preds: list[Offsets],
                 marked: list[Offsets], threshold: float) -> str:
    """Why a gold quote was not found. Decided in this order:
    - its words are not in the clean text at all          → text lost in cleaning;
    - a predicted quote overlaps it (by characters) but the
      word-overlap F1 stayed under the scorer's threshold  → span differs;
    - a find_marked stretch would match it (F1 at or over
      the threshold), but annotate kept no quote there     → no attribution found;
    - marked stretches overlap it, none would match (a
      stray or missing mark ran the stretch on or cut it)   → marks paired differently;
    - no marked stretch overlaps it                        → marks not paired."""
    if span is None:
        return "text lost in cleaning"
    if any(overlaps(span, p) for p in preds):
        return "span differs (a predicted quote overlaps, under the threshold)"
    near = [m for m in marked if overlaps(span, m)]
    want = scorer.tokens(gold)
    if any(scorer.overlap_f1(want, scorer.tokens(text[a:b])) >= threshold for a, b in near):
        return "no attribution found (marks paired, annotate dropped it)"
    if near:
        return "marks paired differently (no marked stretch matches the gold span)"
    return "marks not paired (no marked stretch overlaps)"


def is_title_case(quote: str) -> bool:
    """Every word longer than three letters is capitalised ("The Art of the Deal")."""
    long_words = [w for w in re.findall(r"[^\W\d_][\w'\u2019-]*", quote) if len(w) > 3]
    return bool(long_words) and all(w[0].isupper() for w in long_words)


def extra_cause(scorer: ModuleType, text: str, q: dict[str, Any], missed_spans: list[Offsets]) -> str:
    """Why a predicted quote matches no gold quote. Decided in this order:
    - it overlaps a missed gold quote (by characters)     → span differs (the other side
      of a "span differs" miss);
    - one scorer token                                    → single word;
    - two or three tokens                                 → short fragment;
    - Title Case, or the word before its opening mark is a
      naming word (dubbed, so-called, the report, ...)    → title/term;
    - no speech verb in its sentence outside the quote    → unattributed-looking;
    - otherwise                                           → other (often a real quote the
      gold leaves out)."""
    span = pred_span(q)
    if any(overlaps(span, s) for s in missed_spans):
        return "span differs (overlaps a missed gold quote)"
    n = len(scorer.tokens(q.get("text", "")))
    if n == 1:
        return "single word"
    if n <= 3:
        return "short fragment (2-3 words)"
    if is_title_case(q.get("text", "")) or word_before(text, span[0] - 1) in NAMING_CUES | WORK_NOUNS:
        return "title/term (Title Case or after a naming word)"
    lo, hi = sentence_around(text, span)
    outside = text[lo : max(lo, span[0] - 1)] + " " + text[min(hi, span[1] + 1) : hi]
    if not any(w.lower() in SPEECH_FORMS or w.lower() == "according" for w in re.findall(r"\w+", outside)):
        return "unattributed-looking (no speech verb in sentence)"
    return "other"


def looks_like_org(name: str) -> bool:
    """A group rather than a person: an organisation head word, an acronym or 'the …'."""
    words = name.split()
    return (any(w.lower().strip(".,") in ORG_HEADS for w in words)
            or any(len(w) >= 2 and w.isupper() and w.isalpha() for w in words)
            or (bool(words) and words[0].lower() == "the"))


def name_words(scorer: ModuleType, names: list[str]) -> set[str]:
    """The capitalised words of names, without titles and function words: what two
    forms of one person's name have in common ("Kennedy", "James P. Kennedy Jr.")."""
    words = {w.lower() for n in names for w in re.findall(r"[\w'\u2019-]+", n or "") if w[:1].isupper()}
    return words - scorer.HONORIFICS - scorer.STOP


def wrong_cause(scorer: ModuleType, text: str, gold_names: list[str], preds: list[dict[str, Any]], j: int,
                kinds: dict[str, str], polnear: bool) -> str:
    """Why a matched quote carries the wrong speaker. Decided in this order:
    - the gold speaker has only words the scorer ignores
      (a PolNeAR source annotated as "said")               → gold source has no content words;
    - what the scorer reads is empty (the speaker; in PolNeAR
      the mention, else the speaker)                       → no speaker (None);
    - the predicted speaker shares a name word with a gold
      name (titles aside)                                  → name not merged with full name
      (in PolNeAR, which scores the mention: speaker right, mention is not the source);
    - the mention shares one but the speaker does not      → mention names the gold speaker,
      resolved to another;
    - its mention is an earlier quote's mention standing in
      another paragraph, or it has no mention               → inherited from neighbour
      (a split quote's second half shares the mention of its own paragraph: the
      checks below judge that mention);
    - the mention is a pronoun                             → pronoun resolved wrongly;
    - the gold speaker is a pronoun (PolNeAR sources are
      the words of the text) and the mention is not        → gold source is a pronoun;
    - one side looks like an organisation (head word,
      acronym, 'the …'; predicted kind from the panel) and
      the other like a person                              → organisation vs person;
    - the mention is 'the/a/an' + a lower-case word        → description (the/a + noun);
    - otherwise                                            → other."""
    q = preds[j]
    speaker, mention = q.get("speaker"), q.get("mention")
    said = (mention or {}).get("text") or ""
    if not {w for n in gold_names for w in scorer.tokens(n)} - scorer.STOP:
        return "gold source has no content words (cannot match)"
    if not (said or speaker if polnear else speaker):
        return "no speaker (None)"
    gold_words = name_words(scorer, gold_names)
    if gold_words & name_words(scorer, [speaker]):
        # PolNeAR scores the mention's words, so there the person was right and the
        # mention is not the annotated source
        return ("speaker right, mention is not the annotated source" if polnear
                else "name not merged with full name")
    if gold_words & name_words(scorer, [said]):
        return "mention names the gold speaker, resolved to another"
    if mention is None or (any(p.get("mention") == mention for p in preds[:j])
                           and "\n\n" in text[min(mention["start"], q["start"]) : max(mention["end"], q["end"])]):
        return "inherited from neighbour (no mention of its own)"
    if said.lower() in PERSONAL_PRONOUNS:
        return "pronoun resolved wrongly"
    if all(n.lower() in PERSONAL_PRONOUNS for n in gold_names):
        return "gold source is a pronoun, mention is not"
    pred_org = kinds.get(speaker, "") == "organisation" if speaker else looks_like_org(said)
    if pred_org != looks_like_org(gold_names[0]):
        return "organisation vs person"
    first = said.split()
    if len(first) >= 2 and first[0].lower() in ("the", "a", "an") and first[1][:1].islower():
        return "description (the/a + noun)"
    return "other"


def mention_shape(said: str) -> str:
    """'a pronoun', 'a description' (lower-case head: 'the agency', 'a senior aide') or 'a name'."""
    words = said.split()
    if said.lower() in PERSONAL_PRONOUNS:
        return "a pronoun"
    if words and not any(w[:1].isupper() for w in words if w.lower() not in ("the", "a", "an")):
        return "a description"
    return "a name"


def entity_cause(scorer: ModuleType, gold: dict[str, Any], q: dict[str, Any] | None,
                 genders: dict[str, str | None]) -> str:
    """Why a PolNeAR quote is credited to the wrong person or organisation (entity
    gold). Decided in this order:
    - the quote was not found                              → quote missed (see missed quotes);
    - the article never names its speaker, yet the quote is
      credited to someone                                   → unnamed source credited, by the
      mention's shape (a pronoun, a description, a name);
    - no predicted speaker                                 → no mention found, or mention
      not resolved to anyone;
    - predicted and gold speaker share their last word     → same surname, another person
      (first names differ), else canonical name is not one of the gold forms;
    - a pronoun mention whose gender clashes with the
      predicted speaker's exported gender                  → pronoun: gender clash;
    - a pronoun mention                                    → pronoun: another antecedent;
    - the mention shares a name word with the gold speaker → mention names the gold speaker,
      resolved to another;
    - a description ('the agency', 'the report')           → description or document not
      resolved to its owner;
    - otherwise                                            → the mention is another name
      (the words found are not the speaker's)."""
    if q is None:
        return "quote missed (see missed quotes)"
    said = (q.get("mention") or {}).get("text") or ""
    speaker = q.get("speaker")
    if not gold["entity"]:
        return f"unnamed source credited to someone (mention is {mention_shape(said)})"
    if not speaker:
        return "mention not resolved to anyone" if said else "no mention found"
    g_words, p_words = gold["entity"].split(), speaker.split()
    if g_words[-1].lower() == p_words[-1].lower():
        if len(g_words) > 1 and len(p_words) > 1 and g_words[0].lower() != p_words[0].lower():
            return "same surname, another person"
        return "canonical name is not one of the gold forms"
    low = said.lower()
    clash = {"he": "female", "him": "female", "his": "female", "she": "male", "her": "male"}
    if low in clash:
        return ("pronoun: gender clash" if genders.get(speaker) == clash[low]
                else "pronoun: another antecedent")
    if low in PERSONAL_PRONOUNS:
        return "pronoun: another antecedent"
    if name_words(scorer, [gold["entity"]]) & name_words(scorer, [said]):
        return "mention names the gold speaker, resolved to another"
    if mention_shape(said) == "a description":
        return "description or document not resolved to its owner"
    return "the mention is another name (the words found are not the speaker's)"


# --- matching, as the scorer does it ------------------------------------------------


def gold_outcome(scorer: ModuleType, gold: dict[str, Any], pred: dict[str, Any]) -> Outcome:
    """Replays score_article's quote matching and attribution check."""
    gq, pq = gold.get("quotes", []), pred.get("quotes", [])
    m = scorer.match_quotes(gq, pq)
    rest = [j for j in range(len(pq)) if j not in set(m.values())]
    optional = scorer.match_quotes(gold.get("optional_quotes", []), [pq[j] for j in rest])
    only_optional = {rest[k] for k in optional.values()}
    sp_idx = scorer.alias_index(gold.get("speakers", []))
    wrong, verdicts = [], {}
    for i, j in m.items():
        if gq[i].get("speaker"):
            g = scorer.resolve(gq[i]["speaker"], sp_idx)
            right = g is not None and g == scorer.resolve(pq[j].get("speaker"), sp_idx)
            verdicts[i] = (j, right)
            if not right:
                wrong.append(i)
    return Outcome(m, [i for i in range(len(gq)) if i not in m],
                   [j for j in rest if j not in only_optional], sorted(wrong), verdicts)


def polnear_outcome(scorer: ModuleType, gold: list[dict[str, Any]], pred: dict[str, Any]) -> Outcome:
    """Replays score_polnear: greedy one-to-one matching at >= 0.9 word-overlap F1, and
    a mention (or speaker) that shares a word with the annotated source. score_polnear
    does this inline, so it is restated here; main() checks the counts agree."""
    pq = pred.get("quotes", [])
    gt = [scorer.tokens(q["text"]) for q in gold]
    pt = [scorer.tokens(q.get("text", "")) for q in pq]
    pairs = sorted(((scorer.overlap_f1(g, p), i, j) for i, g in enumerate(gt) for j, p in enumerate(pt)),
                   reverse=True)
    used_g, used_p, m = set(), set(), {}
    for f, i, j in pairs:
        if f >= POLNEAR_MATCH and i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            m[i] = j
    wrong, verdicts, entity_wrong = [], {}, []
    for i, j in m.items():
        if gold[i]["speaker"]:
            said = (pq[j].get("mention") or {}).get("text") or pq[j].get("speaker") or ""
            gw = set(scorer.tokens(gold[i]["speaker"])) - scorer.STOP
            right = bool(gw & (set(scorer.tokens(said)) - scorer.STOP))
            verdicts[i] = (j, right)
            if not right:
                wrong.append(i)
    if gold and "entity" in gold[0]:  # entity level, as score_polnear's speaker_acc / unnamed_ok
        idx = scorer.alias_index(gold[0].get("_speakers", []))
        verdicts = {}
        for i, g in enumerate(gold):
            if "entity" not in g:
                continue
            if i not in m:
                if g["entity"]:
                    entity_wrong.append(i)
                continue
            said = pq[m[i]].get("speaker")
            right = (scorer.resolve(said, idx) == scorer.resolve(g["entity"], idx)) if g["entity"] else not said
            verdicts[i] = (m[i], right)
            if not right:
                entity_wrong.append(i)
    return Outcome(m, [i for i in range(len(gold)) if i not in m],
                   [j for j in range(len(pq)) if j not in used_p], sorted(wrong), verdicts, entity_wrong)


# --- one corpus ---------------------------------------------------------------------


@dataclass
class Corpus:
    """A corpus to analyse: gold per article id, where its source is, how to score it."""

    name: str
    golds: dict[str, Any]
    source_of: Callable[[str], Path | None]
    polnear: bool


def explain(scorer: ModuleType, art_id: str, gold_quotes: list[dict[str, Any]],
            names_of: Callable[[dict[str, Any]], list[str]], run: Result, out: Outcome,
            polnear: bool) -> list[tuple[str, Case]]:
    """Every error of one article as (section, case)."""
    text, preds = run.article_text, run.pred.get("quotes", [])
    pspans = [pred_span(q) for q in preds]
    cases: list[tuple[str, Case]] = []
    missed_spans = []
    for i in out.missed:
        g = gold_quotes[i]
        span = locate(scorer, text, g["text"], run.marked)
        if span is not None:
            missed_spans.append(span)
        cause = missed_cause(scorer, text, g["text"], span, pspans, run.marked,
                             POLNEAR_MATCH if polnear else GOLD_MATCH)
        near = [q for q in preds if span is not None and overlaps(span, pred_span(q))]
        note = f"gold speaker: {g.get('speaker')}"
        if near:
            f1 = scorer.overlap_f1(scorer.tokens(g["text"]), scorer.tokens(near[0]["text"]))
            note += f" | predicted span: {short(near[0]['text'])} (F1 {f1:.2f})"
        cases.append((MISSED, Case(cause, art_id, text, span, g["text"], note)))
    for j in out.extra:
        q = preds[j]
        note = f"speaker: {q.get('speaker')} | mention: {(q.get('mention') or {}).get('text')}"
        cases.append((EXTRA, Case(extra_cause(scorer, text, q, missed_spans), art_id, text,
                                  pred_span(q), q.get("text", ""), note)))
    kinds = {s["name"]: s.get("kind", "") for s in run.pred.get("speakers", [])}
    for i in out.wrong:
        j, g = out.matched[i], gold_quotes[i]
        names = names_of(g)
        q = preds[j]
        cause = ("gold speaker not in the gold speaker list" if not names
                 else wrong_cause(scorer, text, names, preds, j, kinds, polnear))
        note = (f"gold: {g.get('speaker')} | predicted: {q.get('speaker')} "
                f"(mention: {(q.get('mention') or {}).get('text')})")
        cases.append((WRONG, Case(cause, art_id, text, pred_span(q), q.get("text", ""), note)))
    genders = {sp["name"]: sp.get("gender") for sp in run.pred.get("speakers", [])}
    for i in out.entity_wrong:
        g = gold_quotes[i]
        q = preds[out.matched[i]] if i in out.matched else None
        span = pred_span(q) if q else locate(scorer, text, g["text"], run.marked)
        note = (f"gold: {g['entity']} | predicted: {q and q.get('speaker')} "
                f"(mention: {q and (q.get('mention') or {}).get('text')}, rule: {q and q.get('rule')})")
        cases.append((ENTITY, Case(entity_cause(scorer, g, q, genders), art_id, text, span, g["text"], note)))
    return cases


Judged = tuple[str, float | None, bool]  # a found quote's rule, confidence and whether it is right


def analyse(scorer: ModuleType, corpus: Corpus) -> tuple[list[tuple[str, Case]], dict[str, list[int]], int,
                                                       list[Judged]]:
    """Run the pipeline over a corpus: its error cases, the scorer's per-metric totals,
    how many articles disagree with the scorer's own counts (should be 0), and the
    found quotes with a verdict, for the per-rule and reliability tables."""
    judged: list[Judged] = []
    cases: list[tuple[str, Case]] = []
    tot: dict[str, list[int]] = {}
    disagree = 0
    for k, gold in corpus.golds.items():
        source = corpus.source_of(k)
        if source is None or not source.exists():
            print(f"{k}: no source file, skipped", file=sys.stderr)
            continue
        run = run_pipeline(source)
        if corpus.polnear:
            r = scorer.score_polnear(gold, run.pred)
            out = polnear_outcome(scorer, gold, run.pred)
            gold_quotes, names_of = gold, lambda g: [g["speaker"]] if g.get("speaker") else []
        else:
            r = scorer.score_article(gold, run.pred)
            out = gold_outcome(scorer, gold, run.pred)
            gold_quotes, names_of = gold.get("quotes", []), gold_names(scorer, gold)
        wanted = sum(1 for q in gold_quotes if q.get("speaker"))
        right = wanted - len(out.wrong) - sum(1 for i in out.missed if gold_quotes[i].get("speaker"))
        disagree += (len(out.matched), right) != (r["quotes"][0], r["attribution"][0])
        for key, vals in r.items():
            acc = tot.setdefault(key, [0] * len(vals))
            for n, v in enumerate(vals):
                acc[n] += v
        cases.extend(explain(scorer, k, gold_quotes, names_of, run, out, corpus.polnear))
        preds = run.pred.get("quotes", [])
        judged += [(preds[j].get("rule") or "?", preds[j].get("confidence"), right)
                   for j, right in out.verdicts.values()]
    return cases, tot, disagree, judged


def gold_names(scorer: ModuleType, gold: dict[str, Any]) -> Callable[[dict[str, Any]], list[str]]:
    """For a gold quote: its speaker's name and aliases from the gold speaker list
    (empty when the gold speaker is not in that list)."""
    speakers = gold.get("speakers", [])
    idx = scorer.alias_index(speakers)

    def names(q: dict[str, Any]) -> list[str]:
        k = scorer.resolve(q.get("speaker"), idx)
        return [] if k is None else [speakers[k]["name"], *speakers[k].get("aliases", [])]
    return names


# --- report -------------------------------------------------------------------------


def short(s: str, n: int = 100) -> str:
    s = " ".join(strip_control(s).split())
    return s if len(s) <= n else s[: n // 2] + " … " + s[-n // 2 :]


def snippet(case: Case) -> str:
    """~80 characters before, the quote in ⟦ ⟧, ~60 after; paragraph breaks as ¶."""
    if case.span is None:
        return f"(not in the clean text) ⟦{short(case.quote, MAX_QUOTE)}⟧"
    a, b = case.span
    pre, post = case.text[max(0, a - BEFORE) : a], case.text[b : b + AFTER]
    quote = short(case.text[a:b], MAX_QUOTE)

    def flat(s: str) -> str:
        return strip_control(s).replace("\n\n", " ¶ ").replace("\n", " ")
    return f"…{flat(pre)}⟦{quote}⟧{flat(post)}…"


def print_section(title: str, cases: list[Case], k: int) -> None:
    by_cause: dict[str, list[Case]] = defaultdict(list)
    for c in cases:
        by_cause[c.cause].append(c)
    print(f"\n{title}: {len(cases)}")
    for cause, group in sorted(by_cause.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        print(f"  {len(group):4d}  {cause}")
        for c in group[:k]:
            print(f"          [{c.art_id[:40]}] {snippet(c)}")
            if c.note:
                print(f"              {short(c.note, 200)}")


def metrics(tot: dict[str, list[int]], articles: int, polnear: bool) -> dict[str, float | int]:
    """The scorer's summary metrics from its per-metric totals (as score.py main())."""
    def ratio(a: int, b: int) -> float:
        return a / b if b else 1.0
    q_tp, q_pred, q_gold = tot.get("quotes", [0, 0, 0])
    qp, qr = ratio(q_tp, q_pred), ratio(q_tp, q_gold)
    m: dict[str, float | int] = {
        "articles": articles, "quote_p": qp, "quote_r": qr,
        "quote_f1": 2 * qp * qr / (qp + qr) if qp + qr else 0.0,
        "attribution": ratio(*tot.get("attribution", [0, 0])),
    }
    for key in ("speaker_acc", "unnamed_ok"):
        if key in tot:
            m[key] = ratio(*tot[key])
    if "sure" in tot:
        right_sure, n_sure, n_found = tot["sure"]
        m["sure_acc"], m["sure_share"] = (right_sure / n_sure if n_sure else 0.0), ratio(n_sure, n_found)
    if not polnear:
        s_tp, s_pred, s_gold, s_canon = tot.get("speakers", [0, 0, 0, 0])
        p_tp, p_pred, p_gold, _ = tot.get("places", [0, 0, 0, 0])
        m.update({
            "clean_in": ratio(*tot.get("clean_in", [0, 0])), "clean_out": ratio(*tot.get("clean_out", [0, 0])),
            "speakers_p": ratio(s_tp, s_pred), "speakers_r": ratio(s_tp, s_gold),
            "canonical": ratio(s_canon, s_tp), "places_p": ratio(p_tp, p_pred), "places_r": ratio(p_tp, p_gold),
        })
    return m


def rule_table(judged: list[Judged]) -> None:
    """Hits and errors per rule ('finding/resolution'), and per finding and per
    resolution rule alone, with the mean confidence given."""
    def table(title: str, key: Callable[[str], str]) -> None:
        rows: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0.0])
        for rule, conf, right in judged:
            r = rows[key(rule)]
            r[0] += right
            r[1] += not right
            r[2] += conf or 0.0
        print(f"\n{title:44} {'found':>6} {'hits':>6} {'errors':>6} {'acc':>6} {'conf':>6}")
        for name, (hit, err, conf) in sorted(rows.items(), key=lambda kv: -(kv[1][0] + kv[1][1])):
            n = hit + err
            print(f"  {name[:42]:42} {n:6d} {hit:6d} {err:6d} {hit / n:6.3f} {conf / n:6.3f}")
    table("per rule", lambda r: r)
    table("per finding rule", lambda r: r.partition("/")[0])
    table("per resolution rule", lambda r: r.partition("/")[2])


def reliability_table(judged: list[Judged]) -> None:
    """Confidence bins against the share of quotes in them that are right."""
    print(f"\n{'reliability: confidence':26} {'found':>6} {'share':>6} {'conf':>6} {'acc':>6}")
    for lo, hi in zip(BINS, BINS[1:]):
        got = [(c, r) for _, c, r in judged if c is not None and lo <= c < hi]
        if got:
            print(f"  [{lo:.2f}, {min(hi, 1.0):.2f}{')' if hi < 1 else ']'}{'':12} {len(got):6d} "
                  f"{len(got) / len(judged):6.3f} {sum(c for c, _ in got) / len(got):6.3f} "
                  f"{sum(r for _, r in got) / len(got):6.3f}")
    sure = [r for _, c, r in judged if c is not None and c >= 0.9]
    print(f"  sure (>= 0.9): {len(sure)} of {len(judged)}, accuracy "
          f"{sum(sure) / len(sure) if sure else 0:.3f}")


def report(corpus: Corpus, cases: list[tuple[str, Case]], tot: dict[str, list[int]],
           disagree: int, k: int, judged: list[Judged]) -> None:
    print(f"\n=== {corpus.name} ({len(corpus.golds)} articles) ===")
    for section in (MISSED, EXTRA, WRONG, ENTITY):
        print_section(section, [c for s, c in cases if s == section], k)
    a_ok, a_want = tot.get("attribution", [0, 0])
    print(f"\nattribution failures: {a_want - a_ok} of {a_want} gold quotes with a speaker "
          f"(wrong speaker above + missed quotes that have a speaker)")
    right = ("its speaker is the gold person, or none for an unnamed source" if "speaker_acc" in tot
             else "its mention shares a word with the annotated source" if corpus.polnear
             else "its speaker is the gold speaker")
    print(f"\nRules and confidence (a found quote is right when {right})")
    rule_table(judged)
    reliability_table(judged)
    if disagree:
        print(f"WARNING: {disagree} article(s) where this replay disagrees with the scorer's counts")
    m = metrics(tot, len(corpus.golds), corpus.polnear)
    print("scorer: " + " ".join(f"{key}={v:.3f}" if isinstance(v, float) else f"{key}={v}" for key, v in m.items()))


# --- main ---------------------------------------------------------------------------


def load_corpora(scorer: ModuleType, a: argparse.Namespace) -> list[Corpus]:
    out = []
    if a.only in (None, "gold"):
        if not a.gold.is_dir():
            sys.exit(f"no gold folder at {a.gold}")
        golds = {f.stem: json.loads(f.read_text(encoding="utf-8")) for f in sorted(a.gold.glob("*.json"))}
        corpus_dir = a.corpus or a.gold.parent
        out.append(Corpus(f"gold corpus {a.gold}", golds, lambda k: scorer.find_source(corpus_dir, k), False))
    if a.only in (None, "polnear"):
        if not (a.polnear / "attributions").is_dir():
            sys.exit(f"no PolNeAR split at {a.polnear} (expected text/ and attributions/)")
        split = a.polnear
        polnear = scorer.polnear_gold(split)
        scorer.polnear_entities(split, polnear)  # entity-level speakers, where the split has them
        out.append(Corpus(f"PolNeAR {split}", polnear,
                          lambda k: split / "text" / f"{k}.txt", True))
    for c in out:
        if a.limit:
            c.golds = dict(list(c.golds.items())[: a.limit])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=SHARED / "corpus" / "gold", help="folder of gold JSON files")
    ap.add_argument("--corpus", type=Path, help="folder holding html/ and text/ (default: the gold folder's parent)")
    ap.add_argument("--polnear", type=Path, default=SHARED / "corpus" / "polnear" / "dev", help="a PolNeAR split")
    ap.add_argument("--only", choices=("gold", "polnear"), help="analyse one corpus only")
    ap.add_argument("--limit", type=int, help="only the first N articles of each corpus")
    ap.add_argument("--examples", type=int, default=3, metavar="K", help="examples per cause (default: 3)")
    a = ap.parse_args()
    scorer = import_scorer(SHARED)
    for corpus in load_corpora(scorer, a):
        cases, tot, disagree, judged = analyse(scorer, corpus)
        report(corpus, cases, tot, disagree, a.examples, judged)


if __name__ == "__main__":
    main()
