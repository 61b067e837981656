"""How fast the feed screen is, against what it stands beside.

- first paint: from process start to the first item row drawn by ``newsreader feed FILE_URL``
  (a 50-item feed read from a file, a fresh library), against the first row of article
  text drawn by ``newsreader FILE`` on the demo article: the ratio says what showing a
  feed costs next to showing one article.
- annotate-all: 50 items served from 127.0.0.1 (each a page to fetch, clean and annotate),
  annotated by the feed screen's ``a``, against the same 50 read by a plain loop over
  ``pipeline.read``: items per second, and the ratio of the two times.

Each measurement runs in its own process. Run: python bench/bench_feeds.py [--repeat N] [--items 50]
"""
from __future__ import annotations

import argparse
import asyncio
import functools
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE = (120, 36)


def feed_xml(n: int, link: str = "") -> str:
    moment = datetime.now(timezone.utc)
    items = "".join(
        f"<item><title>Story {i}: the harbour council meets again</title><guid>story-{i}</guid>"
        f"<link>{link}/news/{i}.html</link><pubDate>{format_datetime(moment - timedelta(hours=i))}</pubDate>"
        f"<description>What the council said about the plan, part {i}.</description></item>" for i in range(n))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bench Weekly</title><link>{link}/</link>'
            f"{items}</channel></rss>")


def article_html(i: int) -> str:
    from newsreader.clean import clean
    from newsreader.samples import demo_page

    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in clean(demo_page()).text.split("\n\n"))
    return (f"<!DOCTYPE html><html><head><title>Story {i}</title></head><body><article><h1>Story {i}</h1>"
            f"{paragraphs}</article></body></html>")


# -- children ---------------------------------------------------------------------------


def _first_paint(cls, is_row) -> dict[str, float]:
    seen: dict[str, float] = {}
    original = cls.render_line

    def render_line(self, y):
        strip = original(self, y)
        if "paint" not in seen and is_row(self, strip):
            seen["paint"] = time.time()
        return strip

    cls.render_line = render_line
    return seen


async def _until_painted(app, seen: dict[str, float]) -> None:
    async with app.run_test(size=SIZE) as pilot:
        while "paint" not in seen:
            await pilot.pause(0.005)


def child_paint(kind: str, t0: float, feed_file: str) -> dict[str, float]:
    from newsreader.tui.app import NewsreaderApp

    if kind == "feed":
        from newsreader.tui.feed_screen import FeedTable

        seen = _first_paint(FeedTable, lambda table, strip: table.row_count > 0 and "Story" in strip.text)
        app = NewsreaderApp(feeds=[Path(feed_file).as_uri()])
    else:
        from newsreader.tui.article_view import ArticleView
        from newsreader.tui.layout import BODY

        seen = _first_paint(ArticleView, lambda view, strip: any(line.kind == BODY for line in view.text_layout.lines)
                            and bool(strip.text.strip()))
        app = NewsreaderApp(str(ROOT / "newsreader" / "samples" / "demo.txt"))
    asyncio.run(_until_painted(app, seen))
    return {"first_paint": seen["paint"] - t0}


def child_annotate(kind: str, feed_url: str, n: int) -> dict[str, float]:
    from newsreader.pipeline import read

    read(feed_url.rsplit("/", 1)[0] + "/news/warm.html")  # the spaCy model, loaded before the clock starts
    if kind == "loop":
        started = time.perf_counter()
        for i in range(n):
            read(feed_url.rsplit("/", 1)[0] + f"/news/{i}.html")
        return {"seconds": time.perf_counter() - started}
    from newsreader.tui.app import NewsreaderApp

    async def drive() -> float:
        app = NewsreaderApp(feeds=[feed_url])
        async with app.run_test(size=SIZE) as pilot:
            while not (app.is_screen_installed("feeds") and len(app.get_screen("feeds").view) == n):
                await pilot.pause(0.01)
            screen = app.get_screen("feeds")
            started = time.perf_counter()
            await pilot.press("a")
            while screen.annotating is not None:
                await pilot.pause(0.01)
            return time.perf_counter() - started

    return {"seconds": asyncio.run(drive())}


# -- parent -----------------------------------------------------------------------------


def _run(args: list[str], env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _env(home: str) -> dict[str, str]:
    return {**os.environ, "NEWSREADER_HOME": home, "NEWSREADER_NO_CACHE": "1", "TEXTUAL_ANIMATIONS": "none"}


def paint(repeat: int, items: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "bench.xml"
        feed.write_text(feed_xml(items), encoding="utf-8")
        results: dict[str, list[float]] = {"feed": [], "article": []}
        for r in range(repeat):
            for kind in results:  # alternate, so a busy moment hits both sides
                home = Path(tmp) / f"home-{kind}-{r}"  # a fresh library: the feed is parsed, not recalled
                t0 = time.time()
                run = _run(["--child", "paint", "--kind", kind, "--t0", repr(t0), "--feed", str(feed)], _env(str(home)))
                results[kind].append(run["first_paint"])
    f, a = statistics.median(results["feed"]), statistics.median(results["article"])
    print(f"first paint, median of {repeat} runs, {SIZE[0]}x{SIZE[1]}")
    print(f"  newsreader feed FILE_URL ({items} items): {f:.3f} s")
    print(f"  newsreader FILE (demo article):        {a:.3f} s")
    print(f"  ratio feed / article:                   {f / a:.2f}")


def throughput(items: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        (site / "news").mkdir(parents=True)
        for i in [*range(items), "warm"]:
            (site / "news" / f"{i}.html").write_text(article_html(i if isinstance(i, int) else -1), encoding="utf-8")
        handler = functools.partial(_Quiet, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        (site / "feed.xml").write_text(feed_xml(items, base), encoding="utf-8")
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            loop = _run(["--child", "annotate", "--kind", "loop", "--feed", f"{base}/feed.xml", "--items", str(items)],
                        _env(str(Path(tmp) / "home-loop")))
            screen = _run(["--child", "annotate", "--kind", "screen", "--feed", f"{base}/feed.xml",
                           "--items", str(items)], _env(str(Path(tmp) / "home-screen")))
        finally:
            server.shutdown()
    s, lp = screen["seconds"], loop["seconds"]
    print(f"annotate-all over {items} items served from 127.0.0.1 (fetch, clean, annotate each)")
    print(f"  feed screen 'a':       {s:.2f} s  ({items / s:.2f} items/s)")
    print(f"  loop of pipeline.read: {lp:.2f} s  ({items / lp:.2f} items/s)")
    print(f"  ratio screen / loop:   {s / lp:.2f}")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--child", choices=["paint", "annotate"], help=argparse.SUPPRESS)
    parser.add_argument("--kind", help=argparse.SUPPRESS)
    parser.add_argument("--t0", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--feed", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "paint":
        print(json.dumps(child_paint(args.kind, args.t0, args.feed)))
    elif args.child == "annotate":
        print(json.dumps(child_annotate(args.kind, args.feed, args.items)))
    else:
        paint(args.repeat, args.items)
        throughput(args.items)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
