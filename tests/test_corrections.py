"""Corrections: applying them to a Reading, finding their quote again after re-annotation,
and keeping them in the library across re-saves and fresh annotations."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tui_support import fixture_reading

from newsreader.cli import main
from newsreader.corrections import Correction, apply, correction_for, find, from_json, merge, rebase, to_json
from newsreader.export.jsonfmt import to_dict
from newsreader.library import Library
from newsreader.model import Entity, Quote, Reading, Span

VASQUEZ, OKAFOR, ASSOCIATION = "Elena Vasquez", "Tom Okafor", "North Sea Fishermen’s Association"
READING = fixture_reading()
Q = READING.quotes  # 0,1,4 Vasquez; 2,5 the association; 3,6,7 Okafor


def speakers(reading: Reading) -> dict[str, tuple[int, ...]]:
    return {s.name: s.quotes for s in reading.speakers}


def consistent(reading: Reading) -> None:
    """What the panels and the JSON contract rely on: every quote's speaker lists it, and
    only those quotes."""
    for s in reading.speakers:
        assert all(reading.quotes[i].speaker == s.name for i in s.quotes)
    for i, q in enumerate(reading.quotes):
        if q.speaker is not None:
            assert i in speakers(reading)[q.speaker]


def reannotated(reading: Reading, lead: str) -> Reading:
    """The same article with a paragraph ``lead`` added on top, as a fresh annotation of a
    changed page gives it: every offset moves, nothing is corrected."""
    shift = len(lead) + 2

    def moved(span):
        return replace(span, start=span.start + shift, end=span.end + shift)

    article = replace(reading.article, text=f"{lead}\n\n{reading.article.text}", blocks=())
    quotes = tuple(replace(moved(q), mention=moved(q.mention) if q.mention else None) for q in reading.quotes)
    return replace(reading, article=article, quotes=quotes, entities=tuple(moved(e) for e in reading.entities))


# -- applying -------------------------------------------------------------------------


def test_a_quote_given_to_another_speaker_moves_between_them() -> None:
    fixed = apply(READING, [correction_for(Q[7], "speaker", VASQUEZ)])
    q = fixed.quotes[7]
    assert (q.speaker, q.confidence, q.rule, q.corrected) == (VASQUEZ, 1.0, "corrected", True)
    assert q.mention == Q[7].mention and q.text == Q[7].text
    assert speakers(fixed) == {VASQUEZ: (0, 1, 4, 7), OKAFOR: (3, 6), ASSOCIATION: (2, 5)}
    assert fixed.quotes[:7] == Q[:7]
    consistent(fixed)


def test_a_typed_name_matches_a_speaker_or_alias_whatever_its_case() -> None:
    fixed = apply(READING, [correction_for(Q[1], "speaker", "  mr   okafor "), correction_for(Q[4], "speaker", "OKAFOR")])
    assert fixed.quotes[1].speaker == fixed.quotes[4].speaker == OKAFOR
    assert speakers(fixed)[OKAFOR] == (1, 3, 4, 6, 7)


def test_a_new_name_becomes_a_new_speaker_linked_to_its_mentions() -> None:
    text = READING.article.text
    board = text.index("harbour board")  # an organisation the annotator did not link to anyone
    reading = replace(READING, entities=(*READING.entities, Entity(board, board + 13, "harbour board", "ORG")))
    fixed = apply(reading, [correction_for(Q[4], "speaker", "Harbour Board"),
                            correction_for(Q[1], "speaker", "Ines Duarte")])
    assert speakers(fixed) == {VASQUEZ: (0,), OKAFOR: (3, 6, 7), ASSOCIATION: (2, 5),
                               "Harbour Board": (4,), "Ines Duarte": (1,)}
    kinds = {s.name: s.kind for s in fixed.speakers}
    assert kinds["Harbour Board"] == "organisation" and kinds["Ines Duarte"] == "person"
    assert [e.ref for e in fixed.entities if e.start == board] == ["Harbour Board"]
    consistent(fixed)


def test_an_unnamed_source_has_no_speaker_and_a_speaker_without_quotes_goes() -> None:
    fixed = apply(READING, [correction_for(Q[2], "unnamed"), correction_for(Q[5], "unnamed")])
    assert [fixed.quotes[i].speaker for i in (2, 5)] == [None, None]
    assert all(fixed.quotes[i].corrected and fixed.quotes[i].confidence == 1.0 for i in (2, 5))
    assert ASSOCIATION not in speakers(fixed)
    assert [e.ref for e in fixed.entities if e.text == ASSOCIATION] == [None]  # no link to a speaker that is gone
    assert [e.ref for e in fixed.entities if e.text == "Portmere"] == ["Portmere", "Portmere"]
    consistent(fixed)


def test_not_a_quote_removes_it_and_renumbers_the_speakers_quotes() -> None:
    fixed = apply(READING, [correction_for(Q[3], "not_quote")])
    assert len(fixed.quotes) == 7 and Q[3] not in fixed.quotes
    assert speakers(fixed) == {VASQUEZ: (0, 1, 3), ASSOCIATION: (2, 4), OKAFOR: (5, 6)}
    consistent(fixed)


def test_a_later_correction_of_the_same_quote_wins() -> None:
    fixed = apply(READING, [correction_for(Q[7], "not_quote"), correction_for(Q[7], "speaker", VASQUEZ)])
    assert fixed.quotes[7].speaker == VASQUEZ
    assert merge([correction_for(Q[7], "not_quote")], [correction_for(Q[7], "unnamed")]) == [
        correction_for(Q[7], "unnamed")]


def test_a_correction_of_a_quote_that_is_not_there_changes_nothing() -> None:
    assert apply(READING, [Correction(5, 20, "words nobody quoted", "not_quote")]) is READING


def corrections() -> st.SearchStrategy[list[Correction]]:
    one = st.tuples(st.integers(0, len(Q) - 1), st.sampled_from(
        [("speaker", VASQUEZ), ("speaker", "Ines Duarte"), ("unnamed", None), ("not_quote", None)]))
    return st.lists(one, max_size=6).map(lambda picks: [correction_for(Q[i], a, n) for i, (a, n) in picks])


@settings(max_examples=60, deadline=None)
@given(corrections())
def test_applying_twice_changes_nothing_and_keeps_the_reading_consistent(cs: list[Correction]) -> None:
    once = apply(READING, cs)
    assert apply(once, cs) == once
    consistent(once)


# -- finding the quote again ------------------------------------------------------------


def test_a_correction_finds_its_quote_after_the_text_moved() -> None:
    fresh = reannotated(READING, "Correction: an earlier version of this story misspelt a name.")
    c = correction_for(Q[7], "speaker", VASQUEZ)
    assert find(fresh, c) == 7
    assert apply(fresh, [c]).quotes[7].speaker == VASQUEZ
    assert rebase(fresh, [c]) == [replace(c, start=fresh.quotes[7].start, end=fresh.quotes[7].end)]


def test_a_correction_finds_its_quote_after_its_edges_changed() -> None:
    q = Q[2]  # the annotator now keeps the comma outside: same place, shorter quote
    shorter = Quote(q.start, q.end - 1, q.text[:-1], q.speaker, q.mention)
    fresh = replace(READING, quotes=(*Q[:2], shorter, *Q[3:]))
    assert find(fresh, correction_for(q, "unnamed")) == 2
    moved = reannotated(fresh, "A new first paragraph.")
    assert find(moved, correction_for(q, "unnamed")) == 2  # and moved: the longer words hold the shorter


def test_the_same_words_twice_go_to_the_nearest_occurrence() -> None:
    middle = "The vote was close, and the count went on late into the night. " * 3
    text = f"“Yes,” she said.\n\n{middle}\n\n“Yes,” he said."
    second = text.rindex("Yes,")
    article = replace(READING.article, text=text, blocks=())
    quotes = (Quote(1, 5, "Yes,", "Ann Lee", Span(7, 10, "she")),
              Quote(second, second + 4, "Yes,", "Bo Chen", Span(second + 6, second + 8, "he")))
    reading = Reading(article, (), quotes, ())
    fresh = reannotated(reading, "Update: the count has ended.")
    assert find(fresh, correction_for(quotes[1], "unnamed")) == 1
    assert find(fresh, correction_for(quotes[0], "unnamed")) == 0
    # once one of them is not a quote, applying that again leaves the other alone
    once = apply(reading, [correction_for(quotes[0], "not_quote")])
    assert once.quotes == quotes[1:]
    assert apply(once, [correction_for(quotes[0], "not_quote")]) == once


# -- stored form --------------------------------------------------------------------------


def test_corrections_round_trip_and_damaged_entries_are_skipped() -> None:
    cs = [correction_for(Q[1], "speaker", OKAFOR), correction_for(Q[2], "unnamed"), correction_for(Q[3], "not_quote")]
    data = json.loads(json.dumps(to_json(cs)))
    assert from_json(data) == cs
    data["corrections"] += [{"start": "1"}, {"start": 1, "end": 2, "text": "x", "action": "rename"},
                            {"start": 1, "end": 2, "text": "x", "action": "speaker", "speaker": None}, 7]
    assert from_json(data) == cs
    assert from_json({"schema": "other"}) == [] and from_json([]) == []


def test_a_typed_name_is_one_line_without_control_characters() -> None:
    c = correction_for(Q[0], "speaker", "Ines\x1b[31m\n Duarte\u202e")
    assert c.speaker == "Ines Duarte"
    with pytest.raises(ValueError):
        correction_for(Q[0], "speaker", " \n ")


# -- in the library -----------------------------------------------------------------------


def test_a_correction_survives_reopening_resaving_and_reannotation(home: Path) -> None:
    c = correction_for(Q[7], "speaker", VASQUEZ)
    entry = Library().save(READING, [c])
    assert json.loads((entry.path / "corrections.json").read_text(encoding="utf-8"))["corrections"][0]["speaker"] == VASQUEZ
    assert Library().get(entry.id).quotes[7].speaker == VASQUEZ  # reopened
    assert Library().corrections(entry.id) == [c]

    again = Library().save(READING)  # the same source again, as the annotator has it
    assert again.id == entry.id
    assert Library().get(entry.id) == as_saved(apply(READING, [c]))

    fresh = reannotated(READING, "Update: this story now names the harbour board's chair.")
    Library().save(fresh)  # a fresh annotation (a new version of the annotator, a changed page)
    kept = Library().get(entry.id)
    assert kept.article.text == fresh.article.text
    q = kept.quotes[7]
    assert (q.start, q.speaker, q.corrected, q.confidence, q.rule) == (fresh.quotes[7].start, VASQUEZ, True, 1.0,
                                                                        "corrected")
    assert speakers(kept)[VASQUEZ] == (0, 1, 4, 7)
    assert Library().corrections(entry.id) == rebase(fresh, [c])  # re-aimed at where the quote is now
    assert [e.id for e in Library().search("Vasquez")] == [entry.id]


def test_corrections_made_later_are_added_and_replace_those_about_the_same_quote(home: Path) -> None:
    entry = Library().save(READING, [correction_for(Q[7], "unnamed"), correction_for(Q[2], "not_quote")])
    Library().save(READING, [correction_for(Q[7], "speaker", "Ines Duarte")])
    kept = Library().get(entry.id)
    assert kept.quotes[6].speaker == "Ines Duarte"  # index 6: quote 2 is no longer a quote
    assert len(kept.quotes) == 7 and speakers(kept)["Ines Duarte"] == (6,)
    assert [c.action for c in Library().corrections(entry.id)] == ["not_quote", "speaker"]


def as_saved(reading: Reading) -> Reading:
    """``reading`` as the library keeps it: a file source as an absolute path."""
    return replace(reading, article=replace(reading.article, source=str(Path(reading.article.source).resolve())))


def test_an_unreadable_corrections_file_costs_only_the_corrections(home: Path) -> None:
    entry = Library().save(READING, [correction_for(Q[7], "unnamed")])
    (entry.path / "corrections.json").write_text("{not json", encoding="utf-8")
    assert Library().corrections(entry.id) == []
    Library().save(READING)
    assert Library().get(entry.id) == as_saved(READING)


def test_a_rebuilt_index_keeps_the_corrections(home: Path) -> None:
    entry = Library().save(READING, [correction_for(Q[7], "speaker", "Ines Duarte")])
    (home / "library.sqlite3").unlink()
    for suffix in ("-wal", "-shm"):
        (home / f"library.sqlite3{suffix}").unlink(missing_ok=True)
    library = Library()
    assert [e.id for e in library.search("Duarte")] == [entry.id]
    assert library.get(entry.id).quotes[7].speaker == "Ines Duarte"
    library.save(reannotated(READING, "Update."))
    assert Library().get(entry.id).quotes[7].speaker == "Ines Duarte"


def test_library_show_includes_the_corrections(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    entry = Library().save(READING, [correction_for(Q[7], "speaker", VASQUEZ), correction_for(Q[3], "not_quote")])
    capsys.readouterr()
    assert main(["library", "show", str(entry.id), "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown == to_dict(as_saved(apply(READING, Library().corrections(entry.id))))
    assert [(q["speaker"], q["corrected"], q["confidence"], q["rule"]) for q in shown["quotes"][-1:]] == [
        (VASQUEZ, True, 1.0, "corrected")]
    assert len(shown["quotes"]) == 7
    assert main(["library", "show", str(entry.id), "--format", "html"]) == 0
    assert 'data-speaker="Elena Vasquez" data-corrected="true"' in capsys.readouterr().out
