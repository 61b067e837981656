"""Untrusted text end to end: a hostile page through the CLI and the reader, and hostile
titles and sources through every function that makes a file name from them.

The page's markup-like brackets must show as written (never read as Rich or console
markup), its escape sequences must never reach the terminal, and no name may leave
its folder, hide itself, look like an option, or be a device name.
"""
from __future__ import annotations

import html
import os
import re
import unicodedata
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from tui_support import no_pipeline

from newsreader import cli
from newsreader.export.files import output_stem, unique_names, write_atomic
from newsreader.library import Library
from newsreader.model import Article, Page, Place, Reading, Speaker
from newsreader.pipeline import annotate, clean, load
from newsreader.safety import CONTROL_RANGES, OPEN_STRING_MAX, strip_control, strip_invisible, title_stem
from newsreader.tui.app import NewsreaderApp

UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
MARKUP = "[bold red]alarm[/]"
LINK = "[link=file:///etc/passwd]x[/link]"
OSC52 = "\x1b]52;c;SGVsbG8=\x07"  # "set the clipboard to Hello"
OSC52_REF = "&#x1b;]52;c;SGVsbG8=&#7;"  # the same, written as character references
TITLE = f"Harbour {MARKUP} vote"
HOSTILE_PAGE = f"""<!doctype html><html><head><meta charset="utf-8">
<title>{TITLE} {OSC52}</title><meta name="author" content="Jane {OSC52_REF}Doe"></head>
<body><article><h1>{TITLE} {OSC52}</h1>
<p>The harbour board met on Tuesday to discuss the ferry terminal; the budget line reads {MARKUP} in the plan.</p>
<p>Opponents posted {LINK} beside a copy of the plan {OSC52_REF} with a note \u202egnp.exe in \x1b[31mred.</p>
<p>“We will keep protesting until the plans are withdrawn,” said Sarah Whitfield, who leads the fishermen.</p>
</article></body></html>"""


def assert_printable(text: str) -> None:
    """Nothing a terminal would act on, and no leftovers of an escape sequence."""
    assert not UNSAFE.search(text), repr(UNSAFE.search(text))
    assert "]52;" not in text and "[31m" not in text


@pytest.fixture(scope="session")
def hostile_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("page") / "harbour.html"
    path.write_text(HOSTILE_PAGE, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def hostile_reading(hostile_file: Path) -> Reading:
    return annotate(clean(load(str(hostile_file))))


# -- the pipeline and the CLI ----------------------------------------------------------


def test_escape_sequences_go_whole_and_the_article_stays(hostile_reading: Reading) -> None:
    # one &#27; in the body used to make the HTML cleaner drop the whole article
    article = hostile_reading.article
    assert article.title == TITLE
    assert article.byline == "Jane Doe"
    assert len(article.paragraphs) == 3
    assert f"reads {MARKUP} in the plan" in article.text
    assert f"posted {LINK} beside a copy of the plan with a note gnp.exe in red." in article.text
    for field in (article.title, article.byline, article.text):
        assert_printable(field)


def test_cli_export_prints_markup_literally_and_no_escapes(
    hostile_file: Path, hostile_reading: Reading, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["export", str(hostile_file), "--format", "txt"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(TITLE + "\n")
    assert f"reads {MARKUP} in the plan" in out and LINK in out
    assert_printable(out.replace("\n", " "))
    assert_printable(err)


# -- the reader ------------------------------------------------------------------------

_SVG_TEXT = re.compile(
    r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="([\d.]+)" '
    r'clip-path="url\(#[\w-]+-line-(\d+)\)">([^<]*)</text>'
)


def screen_lines(app: NewsreaderApp) -> list[str]:
    """The screen as plain text, one string per row, read from Textual's own screenshot."""
    pieces = [(float(x), float(length), int(row), html.unescape(text).replace("\xa0", " ").strip("\n"))
              for x, length, row, text in _SVG_TEXT.findall(app.export_screenshot())]
    cell = next(length / cell_len(text) for _, length, _, text in pieces if text)
    rows: dict[int, str] = {}
    for x, _, row, text in sorted(pieces, key=lambda p: (p[2], p[0])):
        line = rows.get(row, "")
        rows[row] = line.ljust(round(x / cell)) + text
    return [rows[row] for row in sorted(rows)]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
async def test_reader_shows_markup_literally_and_no_escapes(hostile_reading: Reading) -> None:
    app = NewsreaderApp(reading=hostile_reading, pipeline=no_pipeline())
    async with app.run_test(size=(80, 24)) as pilot:  # narrow: the panels are hidden
        await pilot.pause()
        lines = screen_lines(app)
    assert any(line.strip().removeprefix("▏").strip() == TITLE for line in lines), lines  # ▏: the focus bar
    shown = " ".join(" ".join(lines).split())  # a wrapped line breaks at a space
    assert f"reads {MARKUP} in the plan" in shown and LINK in shown
    assert_printable(shown)


@pytest.mark.anyio
async def test_panels_show_markup_like_names_literally() -> None:
    speaker, place = "[bold red]Ann[/] Lee", "[link=file:///a]Oslo[/]"  # short enough for the panel
    article = Article("x.txt", "Names", None, None, None, "Ann Lee spoke in Oslo.")
    reading = Reading(article, places=(Place(place, (), "city", 1),), speakers=(Speaker(speaker, (), "person", ()),))
    app = NewsreaderApp(reading=reading, pipeline=no_pipeline())
    async with app.run_test(size=(120, 40)) as pilot:  # wide: the panels are shown
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
    assert speaker in shown and place in shown


# -- file names from titles and sources ------------------------------------------------

# Windows refuses these whatever the extension, and reads ¹²³ as digits in them.
RESERVED = {"con", "prn", "aux", "nul", *(f"{d}{i}" for d in ("com", "lpt") for i in range(10))}
HOSTILE_NAMES = [
    "../../etc/passwd", "/abs/path", "..", ".", "...", "", "   ", "~", "~/notes",
    "C:\\Windows\\system32", "\\\\server\\share", "a/b\\c",
    "CON", "con.txt", "nul.txt", "Nul", "aux.tar.gz", "PRN.", "COM¹", "lpt².md",
    "-rf --no-preserve-root", "--help", ".bashrc", "-",
    "a\x00b", "line\nbreak", "tab\there", "\r\n", f"{OSC52}clip", "\x1b[31mred\x1b[0m", "\u202etxt.exe", "\x9b2J",
    "x" * 300, "中" * 300, "\U0001d400" * 300, "e\u0301" * 200, "a." * 150, "\U0001f600" * 10,
]
ROOT = Path("/srv/newsreader/out")


def is_reserved(name: str) -> bool:
    return unicodedata.normalize("NFKC", name.split(".")[0]).casefold().rstrip(" .") in RESERVED


def assert_safe_name(name: str, where: str = "") -> None:
    """One plain path component that stays in its folder and that any file system accepts."""
    shown = f"{where}: {name!r}"
    assert name and name == Path(name).name and not {"/", "\\", "\x00"} & set(name), shown
    assert not name.startswith((".", "-")) and not name.endswith((".", " ")), shown
    assert not UNSAFE.search(name) and "\n" not in name, shown
    assert not is_reserved(name), shown
    assert len(name.encode()) <= 255, (len(name.encode()), shown)
    assert (ROOT / name).resolve().parent == ROOT, shown


def names_for(text: str) -> dict[str, str]:
    """Every file name the app would make from ``text`` as a title or a source."""
    return {
        "export --output-dir, file": unique_names([text], "html")[0],
        "export --output-dir, URL": unique_names(["https://example.org/news/" + quote(text)], "json")[0],
        "output_stem": output_stem(text),
        "library folder slug": title_stem(text, max_len=60),
        "save dialog": f"{title_stem(text)}.json",
    }


@pytest.mark.parametrize("text", HOSTILE_NAMES, ids=lambda text: ascii(text)[:30])
def test_names_from_hostile_text_are_safe(text: str) -> None:
    for where, name in names_for(text).items():
        assert_safe_name(name, where)


@given(st.text(max_size=400))
def test_names_from_any_text_are_safe(text: str) -> None:
    for where, name in names_for(text).items():
        assert_safe_name(name, where)


def test_export_names_can_all_be_written_side_by_side(tmp_path: Path) -> None:
    sources = [*HOSTILE_NAMES, *("https://example.org/" + quote(n) for n in HOSTILE_NAMES)]
    names = unique_names(sources, "html")
    assert len({n.casefold() for n in names}) == len(sources)
    for name in names:
        write_atomic(tmp_path / name, "x", overwrite=False)  # a name too long would fail here
    assert sorted(os.listdir(tmp_path)) == sorted(names)


@pytest.mark.parametrize("title", ["../../etc/passwd", "/abs/path", "CON", "COM¹", "\U0001d400" * 300, f"{OSC52}x"])
def test_library_folders_stay_inside_articles(tmp_path: Path, title: str) -> None:
    lib = Library(tmp_path / "library")
    article = Article(f"https://example.org/{quote(title)}", title, None, None, None, "Body text.")
    entry = lib.save(Reading(article))
    assert entry.path.parent == lib.articles and entry.path.is_dir()
    assert_safe_name(entry.path.name)
    assert os.listdir(tmp_path) == ["library"]
    assert {p.name for p in lib.articles.iterdir()} == {entry.path.name}


# -- one definition of a control character, one of a one-line label --------------------


BIDI_MARKS = "a\u200eb\u200fc\u061cd"


def test_the_screen_and_the_formats_use_safety_s_control_set() -> None:
    from newsreader.export.jsonfmt import render_json
    from newsreader.export.mdfmt import yaml_str
    from newsreader.tui.layout import printable

    assert printable(BIDI_MARKS) == "a b c d"  # same length: offsets stay valid
    assert yaml_str(BIDI_MARKS) == '"a\\u200eb\\u200fc\\u061cd"'
    article = Article("x.txt", BIDI_MARKS, None, None, None, "Body.")
    assert "\\u061c" in render_json(Reading(article)) and "\u061c" not in render_json(Reading(article))


@pytest.mark.parametrize(("text", "cap", "expected"), [
    ("a\n b\t\x1b[31mc", None, "a b c"),
    (None, None, ""),
    ("abcdef", 3, "abc"),
])
def test_one_line(text: str | None, cap: int | None, expected: str) -> None:
    from newsreader.safety import one_line

    assert one_line(text, cap) == expected


# -- control sequences: each goes whole, and takes nothing else with it ----------------

QUOTE = "\u201cWe will keep protesting until the plans are withdrawn,\u201d said Sarah Whitfield."


def test_an_unterminated_osc_ends_at_its_line_and_the_next_paragraphs_stay() -> None:
    # no BEL or ST after the OSC: it used to run on to the next BEL, paragraphs later
    text = f"The board met.\x1b]52;c;SGVsbG8=\n\n{QUOTE}\n\nA bell \x07 rang."
    assert strip_control(text) == f"The board met.\n\n{QUOTE}\n\nA bell  rang."


def test_an_unterminated_string_on_one_long_line_is_bounded() -> None:
    # a one-line HTML page: an open OSC takes at most OPEN_STRING_MAX characters
    text = "<p>a\x1b]0;" + "x" * (OPEN_STRING_MAX - 2) + QUOTE + "</p>"
    assert strip_control(text) == "<p>a" + QUOTE + "</p>"


@pytest.mark.parametrize(("text", "expected"), [
    ("a\x9bbc", "abc"),  # a lone 8-bit CSI before a letter: the letter stays
    ("a\x9b31mbc", "abc"),  # with parameters it is a sequence, and goes whole
    ("x\x9d0;C1TITLE\nnext", "x\nnext"),  # 8-bit OSC left open: its parameters go too
    ("x\x9d0;C1TITLE\x9cnext", "xnext"),
    ("t\x900;1|17/ab\x1b\\u", "tu"),  # 8-bit DCS ended by ESC \
    ("t\x98sos\x07u \x9epm\x9cv \x9fapc\x9cw", "tu v w"),
    ("x\x1b[31", "x"),  # a CSI cut short leaves no "[31"
    ("x\x1b[2 qy", "xy"),  # with an intermediate byte
    ("x\x1bcy \x1b(Bz \x1b7w", "xy z w"),  # ESC c, ESC ( B, ESC 7 go whole
    ("a\x1b", "a"),
    ("\x1b]8;;https://example.org/\x1b\\link\x1b]8;;\x1b\\ end", "link end"),
])
def test_escape_families(text: str, expected: str) -> None:
    assert strip_control(text) == expected


# What may stand in article text around the sequences: anything but the characters
# strip_control removes (and CR, which it turns into LF).
_REMOVED = "".join(chr(c) for lo, hi in CONTROL_RANGES for c in range(lo, hi + 1)) + "\r"
plain = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters=_REMOVED), max_size=12)
plain = st.one_of(plain, st.sampled_from(["", " ", "\n", "\n\n", "m", "7", "[", "\\", "said.", QUOTE]))
_BODY = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40)
_BODY = st.one_of(_BODY, st.sampled_from(["52;c;SGVsbG8=", "0;C1TITLE", "8;;https://example.org/a?b=c", "1$r0m", ""]))
_PARAMS = st.text("0123456789;:<=>?", max_size=8)
_INTERMEDIATES = st.text(" !\"#$%&'()*+,-./", max_size=2)
_CSI_FINAL = st.characters(min_codepoint=0x40, max_codepoint=0x7E)
_ESC_FINAL = st.characters(min_codepoint=0x30, max_codepoint=0x7E, exclude_characters="[]P^_X")
_STRING_INTRO = st.sampled_from(["\x1b]", "\x1bP", "\x1b^", "\x1b_", "\x1bX", "\x9d", "\x90", "\x9e", "\x9f", "\x98"])
_TERMINATOR = st.sampled_from(["\x07", "\x1b\\", "\x9c"])
# Each family as (sequence, the characters that may not open the text after it, because
# a terminal would still read them as part of the sequence; a "stopper" goes first then).
_ASCII = "".join(map(chr, range(0x20, 0x7F)))
families = st.one_of(
    st.tuples(st.builds("".join, st.tuples(st.just("\x1b["), _PARAMS, _INTERMEDIATES, _CSI_FINAL)), st.just("")),
    st.tuples(st.builds("".join, st.tuples(st.just("\x9b"), _PARAMS.filter(bool), _INTERMEDIATES, _CSI_FINAL)),
              st.just("")),
    st.tuples(st.builds("".join, st.tuples(st.sampled_from(["\x1b[", "\x9b"]), _PARAMS.filter(bool), _INTERMEDIATES)),
              st.just(_ASCII)),  # a CSI cut short
    st.tuples(st.just("\x9b"), st.just("0123456789:;<=>?")),  # alone: what follows is text
    st.tuples(st.builds("".join, st.tuples(_STRING_INTRO, _BODY.filter(lambda b: "\n" not in b), _TERMINATOR)),
              st.just("")),
    st.tuples(st.builds("".join, st.tuples(_STRING_INTRO, _BODY.filter(lambda b: "\n" not in b))),
              st.just("not a line end")),  # a string left open: it ends with its line
    st.tuples(st.builds("".join, st.tuples(st.just("\x1b"), _INTERMEDIATES, _ESC_FINAL)), st.just("")),
    st.tuples(st.just("\x1b"), st.just(_ASCII)),  # a lone ESC
    st.tuples(st.sampled_from(["\x07", "\x00", "\x7f", "\x85", "\x9c", "\u202e", "\u200e"]), st.just("")),
)


def _glue(parts: list[tuple[tuple[str, str], str]], first: str) -> tuple[str, str]:
    """The text holding the sequences, and the text that must come out of it."""
    out, kept = [first], [first]
    for (sequence, continues), after in parts:
        if after and (after[0] in continues or continues == "not a line end" and after[0] != "\n"):
            after = ("\n" if continues == "not a line end" else "\u00e9") + after
        out += [sequence, after]
        kept.append(after)
    return "".join(out), "".join(kept)


@settings(max_examples=400)
@given(st.lists(st.tuples(families, plain), max_size=12), plain)
def test_strip_control_removes_every_sequence_whole_and_nothing_else(parts, first) -> None:
    text, kept = _glue(parts, first)
    assert strip_control(text) == kept  # no character lost, no parameter left behind


_NEAR_SEQUENCES = st.lists(
    st.sampled_from([*"\x1b\x9b\x9d\x90\x9c\x07\r\n []P\\;0m2Ja\u00e9", "\x1b[", "\x1b]", "\x1b\\"])
).map("".join)


@settings(max_examples=300)
@given(st.one_of(st.text(), _NEAR_SEQUENCES))
def test_strip_control_output_is_printable_and_stable(text: str) -> None:
    out = strip_control(text)
    assert not UNSAFE.search(out) and "\x1b" not in out and "\r" not in out
    assert strip_control(out) == out


# -- invisible characters: U+200B's rule for the joiners and the word joiner -----------


@pytest.mark.parametrize(("text", "expected"), [
    ("Joe Bi\u200bden said.", "Joe Biden said."),
    ("Joe Bi\u2060den said.", "Joe Biden said."),  # the word joiner goes like U+200B
    ("Joe Bi\u200dden and Bi\u200cden said.", "Joe Biden and Biden said."),  # joins nothing in Latin
    ("\u200dJoe\u200c \u200cBiden\u200d.", "Joe Biden."),  # at a word's edge
    ("A\u200c\u200db said.", "Ab said."),  # a run of joiners
    ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 said.", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 said."),
    ("\u0915\u094d\u200d\u0937 said.", "\u0915\u094d\u200d\u0937 said."),  # a Devanagari conjunct kept half
    ("She wrote \U0001f469\u200d\U0001f4bb and \U0001f3f3\ufe0f\u200d\U0001f308.",
     "She wrote \U0001f469\u200d\U0001f4bb and \U0001f3f3\ufe0f\u200d\U0001f308."),  # emoji sequences
])
def test_zero_width_characters_go_where_they_join_nothing(text: str, expected: str) -> None:
    article = clean(Page("t.txt", f"Headline\n\n{text}\n", "text"))
    assert article.text == expected
    assert strip_invisible(text) == expected
