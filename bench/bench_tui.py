"""How the reader compares with a bare Textual app showing the same plain text.

Each measurement runs in its own process (so start-up and peak memory are its own):

- first paint: from process start to the first row of article text drawn;
- 50 × next: 50 presses of ``n`` in the reader, against 50 × page down in the bare app;
- peak memory: the process's maximum resident set size.

Two articles: a generated 100,000-word article (built at run time, handed to the
reader as a ready Reading), and the bundled demo article through the real
pipeline (load, clean, spaCy), where memory is measured after annotation.

Run: python bench/bench_tui.py [--repeat N]
"""
from __future__ import annotations

import argparse
import asyncio
import compileall
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

SIZE = (120, 36)
PRESSES = 50
WORDS = 100_000


def long_text_and_reading(words: int = WORDS):
    """A generated article with a quote every fourth paragraph, and its Reading."""
    from newsreader.model import Article, Quote, Reading, Speaker

    filler = "the council met again on tuesday to discuss the harbour plans and the budget".split()
    paragraphs, quotes, offset = [], [], 0
    for number in range(words // 120):
        body = " ".join(filler[(number + i) % len(filler)] for i in range(120))
        if number % 4 == 1:
            said = f"this is quote number {len(quotes) + 1}"
            start = offset + len(body) + 2
            quotes.append(Quote(start, start + len(said), said, "Ann Lee"))
            body = f"{body} “{said}” she said."
        paragraphs.append(body)
        offset += len(body) + 2
    text = "\n\n".join(paragraphs)
    article = Article("generated", "A very long article", None, None, None, text)
    speaker = Speaker("Ann Lee", (), "person", tuple(range(len(quotes))))
    return text, Reading(article, (), tuple(quotes), (speaker,), ())


# -- children -------------------------------------------------------------------------


def _first_paint_hook(cls, is_text_row) -> dict[str, float]:
    """Wrap ``cls.render_line`` to note when it first draws a row of article text."""
    seen: dict[str, float] = {}
    original = cls.render_line

    def render_line(self, y):
        strip = original(self, y)
        if "paint" not in seen and is_text_row(self, strip):
            seen["paint"] = time.time()
        return strip

    cls.render_line = render_line
    return seen


async def _drive(app, seen: dict[str, float], key: str, settle=None) -> float:
    """Run the app headless until text is painted, then time PRESSES presses of ``key``."""
    async with app.run_test(size=SIZE) as pilot:
        while "paint" not in seen:
            await pilot.pause(0.005)
        if settle is not None:
            await settle(app)
        started = time.perf_counter()
        for _ in range(PRESSES):
            await pilot.press(key)
        return time.perf_counter() - started


def child(kind: str, article: str, t0: float) -> dict[str, float]:
    generate = 0.0
    if article == "long":
        started = time.time()
        text, reading = long_text_and_reading()
        generate = time.time() - started  # not part of either app's start-up
    else:
        from newsreader.samples import demo_page  # not the reader's modules: the bare app has none

        text, reading = demo_page().text, None

    if kind == "bare":
        from textual.app import App, ComposeResult
        from textual.widgets import Log

        class Bare(App[None]):
            def compose(self) -> ComposeResult:
                log = Log()
                log.write_lines(text.split("\n"))
                yield log

        seen = _first_paint_hook(Log, lambda _, strip: bool(strip.text.strip()))
        presses = asyncio.run(_drive(Bare(), seen, "pagedown"))
    else:
        from newsreader.tui.app import NewsreaderApp, read_before_start
        from newsreader.tui.article_view import ArticleView
        from newsreader.tui.layout import BODY

        def is_body(view, strip) -> bool:
            return any(line.kind == BODY for line in view.text_layout.lines) and bool(strip.text.strip())

        seen = _first_paint_hook(ArticleView, is_body)
        if reading is not None:
            app = NewsreaderApp(reading=reading)
        else:  # as ``newsreader --demo`` opens it: cleaned before the app starts
            app = NewsreaderApp(article=read_before_start(demo=True))

        async def annotated(app) -> None:  # loading starts annotation: wait until both are done
            while any(worker.is_running or worker.state.name == "PENDING" for worker in app.workers):
                await app.workers.wait_for_complete()

        presses = asyncio.run(_drive(app, seen, "n", settle=annotated))
    return {
        "first_paint": seen["paint"] - t0 - generate,
        "presses": presses,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


# -- parent ---------------------------------------------------------------------------


def run_child(kind: str, article: str) -> dict[str, float]:
    """One measurement in a fresh process."""
    t0 = time.time()
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--article", article, "--t0", repr(t0)],
        check=True, capture_output=True, text=True,
        env={**os.environ, "TEXTUAL_ANIMATIONS": "none"},  # page down would otherwise animate
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(article: str, repeat: int) -> tuple[dict[str, float], dict[str, float]]:
    """Medians of ``repeat`` runs of each app, taken in turns so that a busy spell on a
    shared machine falls on both alike."""
    runs: dict[str, list[dict[str, float]]] = {"bare": [], "reader": []}
    for _ in range(repeat):
        for kind, taken in runs.items():
            taken.append(run_child(kind, article))
    return tuple({key: statistics.median(run[key] for run in taken) for key in taken[0]}  # type: ignore[return-value]
                 for taken in runs.values())


def report(article: str, repeat: int) -> None:
    bare, reader = measure(article, repeat)
    title = {"long": f"{WORDS:,}-word generated article", "demo": "demo article (real pipeline)"}[article]
    print(f"\n{title} — median of {repeat} runs, {SIZE[0]}×{SIZE[1]}")
    print(f"{'':24}{'bare Log':>12}{'reader':>12}{'ratio':>9}")
    rows = [("first paint (s)", "first_paint"), (f"{PRESSES} presses (s)", "presses"), ("peak memory (MB)", "peak_mb")]
    for label, key in rows:
        print(f"{label:24}{bare[key]:12.3f}{reader[key]:12.3f}{reader[key] / bare[key]:9.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", choices=["bare", "reader"], help=argparse.SUPPRESS)
    parser.add_argument("--article", choices=["long", "demo"], default="long", help=argparse.SUPPRESS)
    parser.add_argument("--t0", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.article, args.t0)))
        return
    # Start-up as on every run after the first: pip byte-compiled Textual when it installed
    # it, and the reader's own modules are compiled here in case nothing wrote them yet
    # (an editable install under PYTHONDONTWRITEBYTECODE would compile them on every start).
    compileall.compile_dir(Path(__file__).resolve().parent.parent / "newsreader", quiet=1)
    print("bare: a Textual Log with the same text (50 × page down); reader: newsreader (50 × n)")
    for article in ("long", "demo"):
        report(article, args.repeat)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
