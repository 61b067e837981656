"""Share of voice across articles: counts worked out by hand on small articles."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from newsreader import cli
from newsreader.export.jsonfmt import from_dict
from newsreader.library import Library
from newsreader.voices import (
    UNNAMED,
    Filters,
    Overrides,
    VoicesError,
    count_rows,
    count_voices,
    load_overrides,
    to_csv,
    to_json,
)


def article(source: str, quotes: list[tuple[str | None, str, float | None, bool]],
            speakers: list[tuple[str, str, str | None, str | None]], *, site: str = "Example News",
            date: str | None = "2026-03-01", title: str = "A story") -> dict[str, Any]:
    """A newsreader/1 article: each quote (speaker, words, confidence, corrected) in its own paragraph."""
    text, spans = "", []
    for _, words, _, _ in quotes:
        if text:
            text += "\n\n"
        start = len(text) + 1
        text += f"“{words}” said someone."
        spans.append((start, start + len(words)))
    return {
        "schema": "newsreader/1", "source": source, "title": title, "byline": None, "site": site, "date": date,
        "text": text, "entities": [],
        "quotes": [{"start": s, "end": e, "text": words, "speaker": who, "mention": None, "confidence": conf,
                    "rule": "test", "corrected": corrected}
                   for (who, words, conf, corrected), (s, e) in zip(quotes, spans, strict=True)],
        "speakers": [{"name": name, "aliases": [], "kind": kind, "gender": gender, "gender_source": how,
                      "quotes": [i for i, q in enumerate(quotes) if q[0] == name]}
                     for name, kind, gender, how in speakers],
        "places": [],
    }


A = article("a", [
    ("Donald Trump", "one two three", 0.95, False),
    ("Donald Trump", "one two three four", 0.99, False),
    ("Jane Doe", "one two three four five", 0.5, False),  # unsure
    ("Jane Doe", "one two", 0.3, True),  # corrected: sure
    ("FBI", "one", 0.92, False),
    (None, "one two three four five six", 0.9, False),  # a source the article never names
], [("Donald Trump", "person", "male", "pronoun"), ("Jane Doe", "person", "female", "title"),
    ("FBI", "organisation", None, None)])
B = article("b", [
    ("Trump", "one two", 0.97, False),
    ("Donald Trump", "one", None, False),  # no confidence: an older export, counted as sure
    ("Jane Doe", "one two three", 0.91, False),
], [("Trump", "person", "male", "pronoun"), ("Donald Trump", "person", None, None),
    ("Jane Doe", "person", None, None)], site="Other Times", date="2026-04-01")
C = article("c", [("Trump", "one two three", 0.99, False)], [("Trump", "person", None, None)], date=None)


def by_name(summary) -> dict[str, list]:
    out: dict[str, list] = {}
    for v in summary.voices:
        out.setdefault(v.name, []).append(v)
    return out


def test_counts_by_hand() -> None:
    summary = count_voices([A, B, C])
    rows = by_name(summary)
    trump = rows["Donald Trump"][0]
    assert (trump.articles, trump.quotes, trump.words, trump.unsure_quotes) == (2, 3, 8, 0)
    assert (trump.gender, trump.gender_source) == ("male", "pronoun")  # article b says nothing, a says male
    jane = rows["Jane Doe"][0]
    assert (jane.articles, jane.quotes, jane.words, jane.unsure_quotes, jane.unsure_words) == (2, 2, 5, 1, 5)
    assert (jane.gender, jane.gender_source) == ("female", "title")
    fbi = rows["FBI"][0]
    assert (fbi.kind, fbi.quotes, fbi.gender) == ("organisation", 1, None)
    unnamed = rows[UNNAMED][0]
    assert (unnamed.kind, unnamed.quotes, unnamed.words) == ("unnamed", 1, 6)
    assert summary.voices[-1] is unnamed  # kept, after the named
    assert (summary.articles, summary.quotes, summary.words, summary.unsure_quotes) == (3, 9, 25, 1)
    assert trump.share_quotes == pytest.approx(3 / 9)
    assert trump.share_words == pytest.approx(8 / 25)


def test_a_surname_alone_never_merges_across_articles() -> None:
    rows = by_name(count_voices([A, B, C]))
    assert len(rows["Trump"]) == 2  # b's and c's: perhaps two people, and not a's Donald Trump
    assert all(v.partial_name and v.articles == 1 for v in rows["Trump"])
    assert rows["Donald Trump"][0].quotes == 3


def test_gender_counted_three_ways_with_the_unknown() -> None:
    summary = count_voices([A, B, C])
    counts = {g.gender: (g.sources, g.quotes, g.words) for g in summary.by_gender}
    # male: Donald Trump (3 quotes, 8 words) and b's Trump (1, 2); unknown: c's Trump (1, 3)
    assert counts == {"female": (1, 2, 5), "male": (2, 4, 10), "unknown": (1, 1, 3)}
    assert summary.unknown_gender == 1


def test_articles_that_disagree_leave_gender_unknown() -> None:
    b = article("b2", [("Donald Trump", "one", 0.99, False)], [("Donald Trump", "person", "female", "pronoun")])
    trump = by_name(count_voices([A, b]))["Donald Trump"][0]
    assert trump.gender is None


def test_unsure_left_out() -> None:
    summary = count_voices([A], leave_out_unsure=True)
    jane = by_name(summary)["Jane Doe"][0]
    assert (jane.quotes, jane.unsure_quotes) == (1, 0)
    assert summary.unsure_left_out and summary.unsure_quotes == 0


def test_kind_filter() -> None:
    summary = count_voices([A, B], kind="organisation")
    assert [v.name for v in summary.voices] == ["FBI"]


def test_overrides_merge_and_set_gender(tmp_path: Path) -> None:
    path = tmp_path / "voices.toml"
    path.write_text('[[same]]\nnames = ["Donald J. Trump", "Donald Trump", "Trump"]\n'
                    '[gender]\n"Trump" = "male"\n"FBI" = "female"\n', encoding="utf-8")
    overrides = load_overrides(path)
    rows = by_name(count_voices([A, B, C], overrides))
    assert "Trump" not in rows and "Donald Trump" not in rows
    trump = rows["Donald J. Trump"][0]
    assert (trump.articles, trump.quotes, trump.gender, trump.gender_source) == (3, 5, "male", "override")
    assert rows["FBI"][0].gender is None  # an organisation has no gender, whatever the file says


@pytest.mark.parametrize("text, message", [
    ("[[same]]\nnames = []\n", "needs names"),
    ('[gender]\n"Jane Doe" = "woman"\n', "must be"),
    ("[people]\n", "unknown table"),
    ("not toml", "voices.toml"),
])
def test_bad_overrides_say_why(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "voices.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(VoicesError, match=message):
        load_overrides(path)


def test_missing_overrides_are_none(tmp_path: Path) -> None:
    assert load_overrides(tmp_path / "voices.toml") == Overrides()


def test_filters() -> None:
    assert Filters(site="other times")(B) and not Filters(site="other times")(A)
    assert Filters(since="2026-03-15")(B) and not Filters(since="2026-03-15")(A)
    assert not Filters(since="2000-01-01")(C)  # undated: in no date range
    assert Filters(until="2026-03-01")(A) and not Filters(until="2026-03-01")(B)
    assert Filters(search="jane STORY")(A) and not Filters(search="jane election")(A)


def test_csv_and_json() -> None:
    evil = article("e", [("=HYPERLINK(\"x\") Smith", "one two", 0.99, False)],
                   [("=HYPERLINK(\"x\") Smith", "person", None, None)])
    summary = count_voices([A, evil])
    table = list(csv.DictReader(io.StringIO(to_csv(summary))))
    assert table[0].keys() >= {"name", "kind", "gender", "articles", "quotes", "words", "share_quotes"}
    names = [row["name"] for row in table]
    assert "'=HYPERLINK(\"x\") Smith" in names  # never a formula in a spreadsheet
    jane = next(row for row in table if row["name"] == "Jane Doe")
    assert (jane["quotes"], jane["unsure_quotes"], jane["gender"]) == ("1", "1", "female")
    data = json.loads(to_json(summary))
    assert data["articles"] == 2 and data["unknown_gender"] == 1
    assert {g["gender"] for g in data["by_gender"]} == {"female", "male", "unknown"}


def _write(folder: Path, *articles: dict[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for a in articles:
        (folder / f"{a['source']}.json").write_text(json.dumps(a), encoding="utf-8")


def test_cli_over_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path / "exports", A, B)
    _write(tmp_path / "exports" / "more", C)
    assert cli.main(["voices", str(tmp_path / "exports"), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["articles"] == 3 and data["quotes"] == 9


def test_cli_filters_and_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path, A, B, C)
    assert cli.main(["voices", str(tmp_path), "--since", "2026-03-15", "--kind", "person"]) == 0
    out = capsys.readouterr().out
    assert "Jane Doe" in out and "FBI" not in out
    # b alone (c has no date): its Donald Trump and Jane Doe say nothing of gender, its Trump is "he"
    assert "1 article(s)" in out and "persons, unknown: 2 quoted, 2 quotes, 4 words" in out
    assert "persons, male: 1 quoted, 1 quotes, 2 words" in out


def test_cli_names_a_bad_file_and_counts_the_rest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path, A)
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    (tmp_path / "other.json").write_text('{"schema": "something/2"}', encoding="utf-8")
    assert cli.main(["voices", str(tmp_path), "--format", "json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["articles"] == 1
    lines = captured.err.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("newsreader: ") for line in lines)
    assert "Traceback" not in captured.err


def test_cli_bad_date_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["voices", "--since", "March"]) == 2
    assert "not a date" in capsys.readouterr().err


def test_cli_over_the_library(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    library = Library()
    for a in (A, B, C):
        library.save(from_dict(a))
    assert cli.main(["voices", "--format", "json", "--search", "Jane"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["articles"] == 2  # c does not mention Jane
    jane = next(v for v in data["voices"] if v["name"] == "Jane Doe")
    assert (jane["quotes"], jane["unsure_quotes"]) == (2, 1)


# -- the library keeps one row per quote -------------------------------------------------

def _library_counts(library: Library) -> dict[str, tuple[int, int]]:
    return {v.name: (v.quotes, v.unsure_quotes) for v in count_rows(library.quotes(library.list())).voices}


def test_the_index_counts_as_the_files_do(home: Path) -> None:
    library = Library()
    for a in (A, B, C):
        library.save(from_dict(a))
    from_index = count_rows(library.quotes(library.list()))
    from_files = count_voices(json.loads(library.path_of(e.id, "json").read_text(encoding="utf-8"))
                              for e in library.list())
    assert from_index.by_gender == from_files.by_gender
    assert sorted((v.name, v.quotes, v.words, v.unsure_quotes, v.articles) for v in from_index.voices) == \
        sorted((v.name, v.quotes, v.words, v.unsure_quotes, v.articles) for v in from_files.voices)


def test_a_correction_and_a_resave_keep_the_rows_true(home: Path) -> None:
    from newsreader.corrections import Correction

    library = Library()
    reading = from_dict(A)
    entry = library.save(reading)
    assert _library_counts(library)["Jane Doe"] == (1, 1)
    unsure = next(q for q in reading.quotes if q.confidence == 0.5)
    library.save(reading, [Correction(unsure.start, unsure.end, unsure.text, "speaker", "Jane Doe")])
    assert _library_counts(library)["Jane Doe"] == (2, 0)  # corrected: sure, and counted once
    library.save(reading)  # saved again: the stored correction still holds
    assert _library_counts(library)["Jane Doe"] == (2, 0)
    library.remove(entry.id)
    assert _library_counts(library) == {}


def test_an_index_without_quote_rows_is_upgraded(home: Path) -> None:
    library = Library()
    for a in (A, B):
        library.save(from_dict(a))
    with sqlite3.connect(library.db_path) as db:  # as the previous version left it
        db.execute("DROP TABLE quotes")
        db.execute("PRAGMA user_version = 3")
    assert _library_counts(Library())["Donald Trump"] == (3, 0)


def test_the_readme_example_is_a_valid_overrides_file(tmp_path: Path) -> None:
    import re

    from paths import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```toml\n(.*?)```", readme.split("## Voices", 1)[1], re.S)
    path = tmp_path / "voices.toml"
    path.write_text("\n".join(line.strip() for line in example.splitlines()), encoding="utf-8")
    overrides = load_overrides(path)
    assert overrides.canonical("Hillary Rodham Clinton") == "Hillary Clinton"
    assert overrides.gender == {"jane doe": "female"}


def test_cli_reads_and_annotates_other_sources(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    story = tmp_path / "story.txt"
    story.write_text("Ferry vote\n\n“We will keep the harbour open,” said Ann Lee, the mayor of Harbourtown, "
                     "on Monday. She added: “The ferry stays.”", encoding="utf-8")
    _write(tmp_path / "saved", A)
    assert cli.main(["voices", str(story), str(tmp_path / "saved"), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["articles"] == 2  # the saved one, and the story read and annotated now
    lee = next(v for v in data["voices"] if v["name"] == "Ann Lee")
    assert lee["quotes"] + lee["unsure_quotes"] == 2 and lee["gender"] == "female"


def test_gender_from_a_first_name_alone_can_be_left_unknown() -> None:
    named = article("n", [("Ruth Hallam", "one two", 0.99, False)], [("Ruth Hallam", "person", "female", "name")])
    assert by_name(count_voices([named]))["Ruth Hallam"][0].gender == "female"
    summary = count_voices([named], name_gender=False)
    assert by_name(summary)["Ruth Hallam"][0].gender is None and summary.unknown_gender == 1
    titled = article("t", [("Ruth Hallam", "one", 0.99, False)], [("Ruth Hallam", "person", "female", "title")])
    assert by_name(count_voices([named, titled], name_gender=False))["Ruth Hallam"][0].gender == "female"


def test_cli_writes_csv_json_and_parquet_files_and_never_overwrites(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    import pyarrow.parquet as pq

    _write(tmp_path / "in", A, B, C)
    table = tmp_path / "voices.parquet"
    assert cli.main(["voices", str(tmp_path / "in"), "--format", "parquet", "-o", str(table)]) == 0
    rows = pq.read_table(table).to_pylist()
    assert [r["name"] for r in rows] == [v.name for v in count_voices([A, B, C]).voices]
    trump = next(r for r in rows if r["name"] == "Donald Trump")
    assert (trump["articles"], trump["quotes"], trump["words"], trump["gender"]) == (2, 3, 8, "male")
    assert cli.main(["voices", str(tmp_path / "in"), "--format", "parquet", "-o", str(table)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert cli.main(["voices", str(tmp_path / "in"), "--format", "parquet", "-o", str(table), "--force"]) == 0
    assert cli.main(["voices", str(tmp_path / "in"), "--format", "parquet"]) == 2  # a binary file needs -o
    out = tmp_path / "voices.csv"
    assert cli.main(["voices", str(tmp_path / "in"), "--format", "csv", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("name,kind,gender,")
