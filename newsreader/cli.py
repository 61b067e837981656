"""Command line: ``newsreader [SOURCE]`` opens the reader, ``newsreader COMMAND …`` runs a command.

Argument parsing and reporting only: the work is the pipeline's, the batch
export's (:mod:`newsreader.batch`) and the export registry's. Heavy modules (spaCy,
the pipeline, the Textual app) are imported when a command needs them, so ``--help``
is instant and nothing here pulls in the UI toolkit.
"""
from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from newsreader import HOME_ENV, __version__
from newsreader.batch import Options, Outcome, Source, export_all
from newsreader.batch import describe as _describe  # the lines naming a failure are the batch's (its workers write them)
from newsreader.batch import failure as _failure  # newsreader.feeds_cli takes it from here
from newsreader.batch import label as _label
from newsreader.config import CONFIG_ENV, PANELS
from newsreader.errors import LoadError, NewsreaderError
from newsreader.export import FORMATS
from newsreader.nlp import ANNOTATE_LIMIT
from newsreader.safety import one_line

if TYPE_CHECKING:  # loaded by the commands that use them, so that the reader starts fast
    from newsreader import voices
    from newsreader.config import Config, KeyRules
    from newsreader.library import Entry, Library

PROG = "newsreader"
DEBUG_ENV = "NEWSREADER_DEBUG"
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
SITE_WIDTH = 24  # the site column of library listings, in terminal cells
UNTITLED = "(untitled)"

# What export works on: a SOURCE to read, or a Page already read (stdin, the demo).
Item = Source


# ---------------------------------------------------------------- reporting


def _debug() -> bool:
    return os.environ.get(DEBUG_ENV, "") not in ("", "0")


def _say(*parts: str) -> None:
    """Print ``newsreader: PART: PART`` on stderr: the one-line form of every failure."""
    print(": ".join([PROG, *(one_line(p) for p in parts)]), file=sys.stderr, flush=True)


def _trace(exc: BaseException) -> str | None:
    return "".join(traceback.format_exception(exc)) if _debug() else None


# ---------------------------------------------------------------- export: writing


def _write_stdout(text: str) -> None:
    """UTF-8 whatever the locale says: the formats declare UTF-8."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
    else:
        buffer.write(text.encode("utf-8"))
    sys.stdout.flush()


@dataclass(frozen=True)
class _Target:
    """Where each export goes: stdout (path None) or a file, and whether it may replace one."""

    paths: list[Path | None]
    overwrite: bool


def _targets(args: argparse.Namespace, labels: list[str], parser: argparse.ArgumentParser) -> _Target:
    """Check the output options against the sources; usage errors exit 2 through ``parser``."""
    from newsreader.export.files import unique_names

    if args.output is not None:
        if len(labels) > 1:
            parser.error("-o/--output takes one source; use --output-dir DIR for several")
        return _Target([None if args.output == "-" else Path(args.output)], overwrite=args.force)
    if args.output_dir is not None:
        names = unique_names(labels, FORMATS[args.format].extension)
        return _Target([args.output_dir / name for name in names], overwrite=args.force)
    if len(labels) > 1:
        parser.error("several sources need --output-dir DIR (one file per source)")
    return _Target([None], overwrite=False)


def _prepare(target: _Target, args: argparse.Namespace) -> str | None:
    """Refuse early what would fail late: an existing -o file, an output dir that cannot be."""
    from newsreader.export.files import not_a_file

    path = target.paths[0]
    if args.output is not None and path is not None:
        if path.is_dir():
            return f"{path}: is a directory"
        if kind := not_a_file(path):
            return f"{_not_a_file(path, kind)}; use -o - for standard output"
        if path.exists() and not target.overwrite:
            return _exists(path)
        if not path.parent.is_dir():
            return f"{path.parent}: no such directory"
    if args.output_dir is not None:
        try:
            args.output_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return f"{args.output_dir}: cannot create the output directory: {exc.strerror or exc}"
    return None


def _exists(path: Path) -> str:
    return f"{path}: already exists (use --force to replace it)"


def _not_a_file(path: Path, kind: str) -> str:
    return f"{path}: is {kind}, not a regular file: never replaced"


def _refused(target: _Target) -> dict[int, str]:
    """Sources whose output file may not be written, refused before the work: the line
    that says why. Only a regular file is replaced, and only with --force."""
    from newsreader.export.files import not_a_file

    refused = {}
    for i, path in enumerate(target.paths):
        if path is None:
            continue
        if kind := not_a_file(path):
            refused[i] = _not_a_file(path, kind)
        elif path.exists() and not target.overwrite:
            refused[i] = _exists(path)
    return refused


def _deliver(outcome: Outcome, path: Path | None, overwrite: bool) -> bool:
    """Write one outcome to its place, or report why not; True when written."""
    from newsreader.export.files import write_atomic

    if outcome.text is None:
        _say(outcome.error or "failed")
        if outcome.trace:
            sys.stderr.write(outcome.trace)
        return False
    if outcome.warning:
        _say(outcome.warning)
    if path is None:
        _write_stdout(outcome.text)
        return True
    try:
        write_atomic(path, outcome.text, overwrite=overwrite)
    except FileExistsError:
        _say(_exists(path))
        return False
    except OSError as exc:
        _say(f"cannot write {path}: {exc.strerror or exc}")
        return False
    return True


def _run_export(args: argparse.Namespace) -> int:
    parser: argparse.ArgumentParser = args.parser
    items: list[Item] = list(args.sources)
    unread = 0  # feed items that could not be read (one line each already)
    if args.feed:
        from newsreader.feeds_cli import with_feed_items

        unread = with_feed_items(items, args.feed)
        if not items:
            return EXIT_FAILED if unread else EXIT_OK
    if args.demo:
        from newsreader.samples import demo_page

        try:
            items.insert(0, demo_page())
        except NewsreaderError as exc:
            _say("--demo", str(exc))
            return EXIT_FAILED
    if not items:
        parser.error("give at least one SOURCE (a URL, a file or -), or --demo")
    if args.shards is not None:
        return _export_shards(args, items) or (EXIT_FAILED if unread else EXIT_OK)
    if args.resume:
        parser.error("--resume continues a run of --shards DIR")
    args.format = _export_format(args, parser)
    labels = [_label(item) for item in items]
    target = _targets(args, labels, parser)
    problem = _prepare(target, args)
    if problem:
        _say(problem)
        return EXIT_FAILED
    refused = _refused(target)
    for line in refused.values():
        _say(line)
    todo = [i for i in range(len(items)) if i not in refused]
    counted = len(todo) > 1 and sys.stderr.isatty()
    failed = len(refused) + unread
    from newsreader.pipeline import default_pipeline

    options = Options(args.format, model=_configured_model(args), jobs=args.jobs, traces=_debug(),
                      scheduler=args.scheduler)
    # closing: an interrupt while a file is written still ends the workers at once
    with closing(export_all([items[i] for i in todo], options, pipeline=default_pipeline())) as outcomes:
        for done, (j, outcome) in enumerate(outcomes, 1):
            i = todo[j]
            if not _deliver(outcome, target.paths[i], target.overwrite):
                failed += 1
            elif args.output_dir is not None:  # a batch says what it wrote, one line a file
                count = f"[{done}/{len(todo)}] " if counted else ""
                print(f"{count}wrote {target.paths[i]}", file=sys.stderr, flush=True)
    return EXIT_FAILED if failed else EXIT_OK


def _export_shards(args: argparse.Namespace, items: list[Item]) -> int:
    """``export --shards DIR``: everything into shards; failures into DIR/errors.jsonl."""
    from newsreader.pipeline import default_pipeline
    from newsreader.shards import ERRORS, write_shards

    if args.format not in (None, "json"):
        args.parser.error("--shards writes JSON (newsreader/1): leave out --format, or give --format json")
    options = Options("json", model=_configured_model(args), jobs=args.jobs, traces=_debug(), scheduler=args.scheduler)
    folder = Path(args.shards)
    report = write_shards(items, options, folder, shard_size=args.shard_size, resume=args.resume,
                          pipeline=default_pipeline(), progress=lambda line: print(line, file=sys.stderr, flush=True))
    done = f", {report.skipped} already done" if report.skipped else ""
    print(f"{report.articles} articles in {report.written + report.skipped} shards in {folder}{done}",
          file=sys.stderr, flush=True)
    if report.errors:
        _say(f"{report.errors} sources failed: see {folder / ERRORS}")
        return EXIT_FAILED
    return EXIT_OK


def _export_format(args: argparse.Namespace, parser: argparse.ArgumentParser) -> str:
    """``--format``, else the format ``-o FILE``'s extension names; neither is a usage error."""
    if args.format:
        return str(args.format)
    if args.output and args.output != "-":
        extension = Path(args.output).suffix.lower().lstrip(".")
        for fmt in FORMATS.values():
            if extension == fmt.extension:
                return fmt.name
    parser.error(f"give --format ({', '.join(FORMATS)}), or -o FILE ending in one of "
                 f"{', '.join('.' + f.extension for f in FORMATS.values())}")


# ---------------------------------------------------------------- commands


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return n


def _path(value: str) -> str:
    """A path argument; an empty one (an unset variable, say) is a usage error, not "."."""
    if not value:
        raise argparse.ArgumentTypeError("the path is empty")
    return value


def _dir_path(value: str) -> Path:
    return Path(_path(value))


EXPORT_EPILOG = f"""\
examples:
  {PROG} export https://example.org/news/story --format md > story.md
  {PROG} export page.html --format html -o page.html
  {PROG} export pages/*.html --format json --output-dir out/ --jobs 2
  {PROG} export pages/*.html --format json --output-dir out/ --scheduler tcp://10.0.0.5:8786
  cat page.html | {PROG} export - --format txt
  {PROG} export --demo --format html -o demo.html
  {PROG} export --feed https://example.org/rss.xml --format json --output-dir out/

where the output goes:
  one SOURCE, no -o or --output-dir   standard output
  -o FILE                             FILE, for one SOURCE; an existing FILE is
                                      only replaced with --force; without
                                      --format, FILE's extension (.md, .json,
                                      .txt, .html) chooses the format
  --output-dir DIR                    DIR/NAME.EXT for each SOURCE (required for
                                      several); NAME is the file's name without
                                      its extension, or a slug of a URL's path;
                                      repeated names get -2, -3. An existing
                                      file is only replaced with --force (without
                                      it, that SOURCE fails and the others are
                                      still written).
Files are written whole or not at all. Only regular files are written or
replaced: a device (/dev/null), a FIFO, a symbolic link (/dev/stdout) or a
directory in the way is refused, --force or not; use -o - for standard output
and redirect it where you like.
Annotation stops after {ANNOTATE_LIMIT:,} characters: a longer text is still written
whole, with one warning line on stderr.

formats:
{chr(10).join(f"  {f.name:<9}{f.description}" for f in FORMATS.values())}

With --jobs, if a worker process dies (killed, out of memory), the sources it
held are run again one at a time; only a SOURCE that kills its worker again fails.

With --output-dir, each file written is named on stderr ("wrote DIR/NAME.EXT").

exit status: 0 all written; 1 a source failed (one line on stderr each, the
others are still written); 2 usage error; 130 interrupted.
Set {DEBUG_ENV}=1 to see a traceback with an internal error."""


def add_export_command(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``newsreader export``."""
    p = subparsers.add_parser(
        "export",
        help="write articles as JSON, Markdown, text or HTML",
        description="Write articles as JSON, Markdown, plain text or HTML.\n"
        "Each SOURCE is read, cleaned and annotated first.",
        epilog=EXPORT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("sources", nargs="*", metavar="SOURCE", help="a URL, an HTML or text file, or - for stdin")
    p.add_argument("-f", "--format", choices=list(FORMATS),
                   help="output format (default with -o FILE: the one its extension names)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("-o", "--output", metavar="FILE", type=_path,
                     help="write to FILE (one SOURCE only; - is stdout)")
    out.add_argument("--output-dir", metavar="DIR", type=_dir_path, help="write one file per SOURCE into DIR")
    out.add_argument("--shards", metavar="DIR", type=_dir_path,
                     help="write JSON Lines shards (part-NNNNN.jsonl.gz), errors.jsonl and manifest.json into DIR")
    p.add_argument("--shard-size", type=_positive, default=1000, metavar="N",
                   help="articles per shard with --shards (default: %(default)s)")
    p.add_argument("--resume", action="store_true",
                   help="with --shards: continue the run DIR's manifest records, redoing only unfinished shards")
    p.add_argument("--force", action="store_true", help="let -o or --output-dir replace existing files")
    p.add_argument("--model", metavar="NAME", help="spaCy model to use (default: the installed English one)")
    p.add_argument("-j", "--jobs", type=_positive, default=1, metavar="N",
                   help="process N sources at once, in N processes (default: 1)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on the Dask distributed cluster whose scheduler is at ADDRESS (tcp://host:8786) "
                        "instead of local processes; needs the cluster extra")
    p.add_argument("--demo", action="store_true", help="export the bundled demo article too")
    p.add_argument("--feed", action="append", metavar="URL",
                   help="export every item of this feed (RSS, Atom, JSON Feed, or a page naming one); repeatable")
    p.set_defaults(handler=_run_export, parser=p)


# ---------------------------------------------------------------- save and library


def _entry_lines(entries: Sequence[Entry]) -> list[str]:
    """``id  YYYY-MM-DD  site  title``, one per entry, columns aligned (in terminal cells)."""
    from rich.cells import cell_len, set_cell_size

    sites = [one_line(e.site or "-") for e in entries]
    id_width = max((len(str(e.id)) for e in entries), default=0)
    site_width = min(max((cell_len(s) for s in sites), default=0), SITE_WIDTH)
    return [
        f"{e.id:>{id_width}}  {datetime.fromisoformat(e.saved).astimezone():%Y-%m-%d}  "
        f"{set_cell_size(site, site_width)}  {one_line(e.title or UNTITLED)}"
        for e, site in zip(entries, sites)
    ]


def _print_entries(entries: Sequence[Entry], empty: str, status_if_empty: int = EXIT_OK) -> int:
    if not entries:
        _say(empty)
        return status_if_empty
    for line in _entry_lines(entries):
        print(line)
    return EXIT_OK


def _run_save(args: argparse.Namespace) -> int:
    from newsreader import pipeline
    library = _library()
    model = _configured_model(args)
    failed = 0
    for source in args.sources:
        try:
            entry = library.save(pipeline.read(source, model=model))
        except Exception as exc:  # noqa: BLE001 - one bad source must not stop the others
            _say(_failure(source, exc))
            if trace := _trace(exc):
                sys.stderr.write(trace)
            failed += 1
            continue
        print(f"saved {entry.id}  {one_line(entry.title or UNTITLED)}", flush=True)
    return EXIT_FAILED if failed else EXIT_OK


def _run_library_list(args: argparse.Namespace) -> int:
    return _print_entries(_library().list(), "the library is empty; add articles with 'newsreader save SOURCE'")


def _run_library_search(args: argparse.Namespace) -> int:
    words = " ".join(args.words)
    return _print_entries(_library().search(words), f"no saved article matches {words!r}", EXIT_FAILED)


def _library() -> Library:
    """The user's library, imported only by the commands that use it; what it has to
    say (an index rebuilt, damaged rows skipped) goes to stderr, one line each."""
    from newsreader.library import Library

    return Library(warn=_say)


def _run_library_show(args: argparse.Namespace) -> int:
    from newsreader.export import render

    library = _library()
    entry = library.entry(args.id)
    _write_stdout(render(library.get(entry.id), args.format, saved=datetime.fromisoformat(entry.saved)))
    return EXIT_OK


def _confirm(question: str) -> bool:
    """Ask on the terminal; anything but y/yes (or end of input) is no."""
    print(f"{question} [y/N] ", end="", file=sys.stderr, flush=True)
    return sys.stdin.readline().strip().casefold() in ("y", "yes")


def _run_library_remove(args: argparse.Namespace) -> int:
    library = _library()
    title = one_line(library.title(args.id) or UNTITLED)  # a damaged row can be removed too
    if not args.yes:
        if not sys.stdin.isatty():
            _say("library remove", "not on a terminal, so nothing to confirm with: add --yes")
            return EXIT_USAGE
        if not _confirm(f"Remove {args.id} {title!r} from the library?"):
            print("nothing removed", file=sys.stderr)
            return EXIT_OK
    library.remove(args.id)
    print(f"removed {args.id}  {title}")
    return EXIT_OK


def _run_library_repair(args: argparse.Namespace) -> int:
    from newsreader.library import report_line

    library = _library()
    report = library.repair()
    print(("repaired: " if report.changed else "nothing to repair: ") + report_line(report, library.quarantine))
    return EXIT_OK


SAVE_EPILOG = f"""\
examples:
  {PROG} save https://example.org/news/story
  {PROG} save page.html other.txt
  curl -s URL | {PROG} save -

Each SOURCE is read, cleaned and annotated, then stored with all its annotations
(JSON and Markdown) in the library, where '{PROG} library' finds it without the
network. Saving a source again updates its entry, and the speakers corrected in
the reader stay corrected. The library lives in the user data directory, or in
${HOME_ENV} when that is set.

exit status: 0 all saved; 1 a source failed (one line on stderr each, the
others are still saved); 2 usage error; 130 interrupted."""

LIBRARY_EPILOG = f"""\
examples:
  {PROG} library list
  {PROG} library search tillerson moscow
  {PROG} library show 3 --format txt | less
  {PROG} library remove 3
  {PROG} library repair

Each line is: id, date saved, site, title."""

SEARCH_EPILOG = f"""\
examples:
  {PROG} library search moscow            title, byline, site, text or speakers
  {PROG} library search rex tillerson     articles holding every word
  {PROG} library search tiller*           words starting with "tiller"

Words are matched whole, ignoring case and accents; other symbols are plain text.

exit status: 0 articles found; 1 none matches (as grep); 2 usage error."""

SHOW_EPILOG = f"""\
examples:
  {PROG} library show 3
  {PROG} library show 3 --format html > story.html
  {PROG} library show 3 --format json | jq .quotes

The saved copy is rendered again, with the speakers corrected in the reader
(json: "corrected": true): no network, no annotation."""

REMOVE_EPILOG = f"""\
examples:
  {PROG} library remove 3          asks first
  {PROG} library remove 3 --yes    for scripts (required without a terminal)

exit status: 0 removed, or kept because you said no; 1 it could not be removed;
2 usage error (no terminal to ask on, and no --yes)."""

REPAIR_EPILOG = f"""\
examples:
  {PROG} library repair

Every saved article keeps its files (article.json, article.md) in a folder of its
own, so the index can always be rebuilt from them: each readable folder is indexed
again under its id, rows whose files are gone are dropped, damaged rows are
rewritten, and anything that cannot be indexed is moved to the library's
quarantine folder, never deleted. A missing or damaged index is rebuilt this way
on its own, with one line on stderr."""


def _id(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an article id: {value!r} (see '{PROG} library list')") from None


def _sub(subparsers: argparse._SubParsersAction[argparse.ArgumentParser], name: str, description: str,
         epilog: str, handler: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
    """A subcommand parser whose first description line doubles as its help line."""
    p = subparsers.add_parser(name, help=description.splitlines()[0].rstrip("."), description=description,
                              epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.set_defaults(handler=handler, parser=p)
    return p


def add_save_command(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``newsreader save``."""
    p = _sub(subparsers, "save", "Save articles, with their annotations, in the library.", SAVE_EPILOG, _run_save)
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="a URL, an HTML or text file, or - for stdin")
    p.add_argument("--model", metavar="NAME", help="spaCy model to use (default: the installed English one)")


def add_library_command(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``newsreader library`` and its actions; without one it lists."""
    p = _sub(subparsers, "library", "List, search, show, remove and repair saved articles.", LIBRARY_EPILOG,
             _run_library_list)
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    _sub(actions, "list", "List saved articles, the latest first.", LIBRARY_EPILOG, _run_library_list)
    search = _sub(actions, "search", "Find saved articles containing all the words.", SEARCH_EPILOG,
                  _run_library_search)
    search.add_argument("words", nargs="+", metavar="WORD")
    show = _sub(actions, "show", "Print a saved article.", SHOW_EPILOG, _run_library_show)
    show.add_argument("id", type=_id, metavar="ID", help="the article's id, from 'library list'")
    show.add_argument("-f", "--format", choices=list(FORMATS), default="md", help="output format (default: md)")
    remove = _sub(actions, "remove", "Remove a saved article and its files.", REMOVE_EPILOG, _run_library_remove)
    remove.add_argument("id", type=_id, metavar="ID", help="the article's id, from 'library list'")
    remove.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")
    _sub(actions, "repair", "Rebuild the library's index from the saved articles.", REPAIR_EPILOG,
         _run_library_repair)


# ---------------------------------------------------------------- settings, keys, paths


def _config(args: argparse.Namespace, rules: KeyRules | None = None,
            cli: dict[str, object] | None = None) -> Config:
    """The settings in effect (``cli``: what the command line says), their problems said on stderr."""
    from newsreader.config import load

    config = load(cli, config_file=getattr(args, "config", None), rules=rules)
    for line in config.warnings:
        _say(line)
    return config


def _key_rules() -> KeyRules | None:
    """The reader's themes and bindings, to check the theme and the keymap against."""
    try:
        from newsreader.tui.keymap import key_rules
    except ImportError:  # the reader cannot start: its keys do not matter
        return None
    return key_rules()


def _configured_model(args: argparse.Namespace) -> str | None:
    """``--model``, else the ``model`` setting."""
    return args.model or _config(args).settings.model


def _default_model() -> str | None:
    from newsreader.nlp.model import default_model

    try:
        return default_model()
    except NewsreaderError:
        return None


def _run_config_show(args: argparse.Namespace) -> int:
    from newsreader.config import show

    print(show(_config(args, _key_rules()), origin=args.origin, model=_default_model()), end="")
    return EXIT_OK


def _run_config_init(args: argparse.Namespace) -> int:
    from newsreader.config import ConfigError, config_path, write_template

    path, _ = config_path(args.config)
    try:
        write_template(path, force=args.force)
    except ConfigError as exc:
        _say(str(exc))
        return EXIT_FAILED
    print(f"wrote {path}")
    return EXIT_OK


def _run_config_check(args: argparse.Namespace) -> int:
    config = _config(args, _key_rules())
    if config.warnings:
        return EXIT_FAILED
    print(f"{config.path}: ok" + ("" if config.exists else " (no such file: the defaults are used)"))
    return EXIT_OK


def _run_keys(args: argparse.Namespace) -> int:
    from newsreader.tui.keymap import rows

    table = [(r.id, r.keys, ", ".join(r.places), r.description)
             for r in rows(_config(args, _key_rules()).settings.keymap)]
    table.insert(0, ("binding id", "keys", "screen", "what it does"))
    widths = [max(len(row[i]) for row in table) for i in range(3)]
    for row in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)) + "  " + row[3])
    return EXIT_OK


def _run_locate(args: argparse.Namespace) -> int:
    from newsreader.config import locations

    places = locations(_config(args))
    if args.what:
        print(dict(places)[args.what])
    else:
        for label, path in places:
            print(f"{label:<8} {path}")
    return EXIT_OK


CONFIG_EPILOG = f"""\
examples:
  {PROG} config init               write a settings file with every setting, commented out
  {PROG} config show --origin      what is in effect, and where each value comes from
  {PROG} config check              look for mistakes (exit status 1 if there are some)
  {PROG} --config my.toml config show

The settings file is config.toml in the user config folder ('{PROG} locate config'),
or $NEWSREADER_CONFIG, or --config FILE. The command line is stronger than the
NEWSREADER_* environment variables, which are stronger than the file, which is
stronger than the defaults. A setting that cannot be used gets one line on stderr,
and the next one down is used."""

KEYS_EPILOG = f"""\
examples:
  {PROG} keys                     every binding, with the keys it has now
  {PROG} keys | grep reader       the reader's

Change a key in the [keymap] table of the settings file, by binding id:

  [keymap]
  next_quote = "j"
  search = "slash,ctrl+f"

Keys are Textual key names: a letter, a character ("?") or its name
("question_mark"), "enter", "space", "ctrl+n", "f5"… '{PROG} config check'
says when a key is taken twice on a screen."""

LOCATE_EPILOG = f"""\
examples:
  {PROG} locate                 all three, labelled
  {PROG} locate config          the settings file (it may not exist yet)
  du -sh "$({PROG} locate cache)"
"""


def _config_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="FILE", type=_path,
                   help="the settings file (default: $NEWSREADER_CONFIG, else config.toml in the user config folder)")


def add_config_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``newsreader config``, ``newsreader keys`` and ``newsreader locate``."""
    p = _sub(subparsers, "config", "Show, write or check the settings file.", CONFIG_EPILOG, _run_config_show)
    _config_option(p)
    p.set_defaults(origin=False)
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    show = _sub(actions, "show", "Print the settings in effect, as a settings file.", CONFIG_EPILOG, _run_config_show)
    show.add_argument("--origin", action="store_true",
                      help="say where each value comes from (default, file, env VAR, command line)")
    init = _sub(actions, "init", "Write a settings file with every setting, commented out.", CONFIG_EPILOG,
                _run_config_init)
    init.add_argument("--force", action="store_true", help="replace the file if there is one")
    check = _sub(actions, "check", "Check the settings: exit status 1 with the problems, 0 when all is well.",
                 CONFIG_EPILOG, _run_config_check)
    for action in (show, init, check):
        _config_option(action)
    keys = _sub(subparsers, "keys", "List every key binding: its id, keys (after the keymap) and screen.",
                KEYS_EPILOG, _run_keys)
    _config_option(keys)
    locate = _sub(subparsers, "locate", "Print where the settings file, the library and the cache are.",
                  LOCATE_EPILOG, _run_locate)
    locate.add_argument("what", nargs="?", choices=("config", "library", "cache"), metavar="config|library|cache",
                        help="just this one's path")
    _config_option(locate)


def add_feed_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``newsreader feed``, ``feeds`` and ``bookmark`` (see newsreader.feeds_cli)."""
    from newsreader.feeds_cli import register

    register(subparsers)


VOICES_EPILOG = f"""\
Each row is a person or organisation quoted in the articles: the articles quoting
them, their quotes, their quoted words, and their shares of all quotes and words.
Below the table, persons by gender, counted three ways: distinct people quoted,
quotes, and quoted words; the number whose gender is unknown is always given.

The same person merges across articles by their full name ("Donald Trump"). A
person an article names by one word only ("Trump") stays a row of that article.
Quotes whose speaker the article never names are one row, "(unnamed sources)".
Quotes attributed with a confidence below 0.9, and not corrected by hand, are
counted apart (unsure_quotes), or left out with --leave-out-unsure.

Gender is what the articles say (the pronouns and titles they use for that
person), or what the overrides file says; otherwise it is unknown, never guessed.

overrides: voices.toml beside the settings file ('{PROG} locate config'):
  [[same]]
  names = ["Hillary Clinton", "Hillary Rodham Clinton"]   # one person, shown as the first
  [gender]
  "Jane Doe" = "female"

examples:
  {PROG} voices                                the library
  {PROG} voices --search election --since 2026-01-01
  {PROG} voices exports/ --format csv > voices.csv
  {PROG} voices a.json b.json --kind person --format json
"""


def _iso_date(value: str) -> str:
    try:
        return datetime.strptime(value, "%Y-%m-%d").date().isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def add_voices_command(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``newsreader voices``."""
    p = _sub(subparsers, "voices", "Who is quoted across articles: quotes and quoted words per speaker, by gender.",
             VOICES_EPILOG, _run_voices)
    p.add_argument("sources", nargs="*", metavar="SOURCE",
                   help="newsreader/1 JSON files or folders of them, or articles to read and annotate "
                        "(URLs, HTML or text files); default: the library")
    p.add_argument("--feed", action="append", metavar="URL",
                   help="the articles of this feed (RSS, Atom, JSON Feed, or a page naming one); repeatable")
    p.add_argument("-j", "--jobs", type=_positive, default=1, metavar="N",
                   help="annotate N sources at once, in N processes (default: 1)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="annotate on the Dask distributed cluster whose scheduler is at ADDRESS")
    p.add_argument("--model", metavar="NAME", help="spaCy model to annotate with (default: the installed English one)")
    p.add_argument("--search", metavar="WORDS", help="only articles containing all these words")
    p.add_argument("--site", metavar="NAME", help="only articles from this site (as the library lists it)")
    p.add_argument("--since", type=_iso_date, metavar="DATE", help="only articles dated on or after DATE")
    p.add_argument("--until", type=_iso_date, metavar="DATE", help="only articles dated on or before DATE")
    p.add_argument("--kind", choices=("person", "organisation"), help="only persons, or only organisations")
    p.add_argument("--no-name-gender", action="store_true",
                   help="count a gender the articles knew only from a first name as unknown")
    p.add_argument("--leave-out-unsure", action="store_true",
                   help="leave out quotes attributed with a confidence below 0.9 (default: counted apart)")
    p.add_argument("-f", "--format", choices=("table", "csv", "json", "parquet"), default="table",
                   help="output format (default: %(default)s; parquet needs -o FILE and the parquet extra)")
    p.add_argument("-o", "--output", metavar="FILE", type=_path, help="write to FILE instead of standard output")
    p.add_argument("--force", action="store_true", help="let -o replace an existing file")
    _config_option(p)


def _run_voices(args: argparse.Namespace) -> int:
    from newsreader import voices
    from newsreader.config import config_path

    overrides = voices.load_overrides(voices.overrides_path(config_path(args.config)[0]))
    failed = False
    options = {"kind": args.kind, "leave_out_unsure": args.leave_out_unsure, "name_gender": not args.no_name_gender}
    if not args.sources and not args.feed:  # the library: its index keeps every quote, so this is one query
        library = _library()
        dated = voices.Filters(None, args.site, args.since, args.until)
        entries = [e for e in (library.search(args.search) if args.search else library.list())
                   if dated({"site": e.site, "date": e.date})]
        summary = voices.count_rows(library.quotes(entries), overrides, **options)
    else:
        keep = voices.Filters(args.search, args.site, args.since, args.until)

        saved = [s for s in args.sources if s.endswith(".json") or Path(s).is_dir()]
        to_read: list[Item] = [s for s in args.sources if s not in saved]
        if args.feed:
            from newsreader.feeds_cli import with_feed_items

            failed = bool(with_feed_items(to_read, args.feed)) or failed

        def articles() -> Iterator[dict[str, object]]:
            nonlocal failed
            for path in voices.json_files(Path(source) for source in saved):
                try:
                    article = voices.read_article(path)
                except voices.VoicesError as exc:
                    _say(str(exc))
                    failed = True
                    continue
                if keep(article):
                    yield article
            if not to_read:
                return
            import json

            from newsreader.pipeline import default_pipeline

            batch = Options("json", model=_configured_model(args), jobs=args.jobs, traces=_debug(),
                            scheduler=args.scheduler)
            with closing(export_all(to_read, batch, pipeline=default_pipeline())) as outcomes:
                for _, outcome in outcomes:
                    if outcome.text is None:
                        _say(outcome.error or "failed")
                        failed = True
                    elif keep(article := json.loads(outcome.text)):
                        yield article

        summary = voices.count_voices(articles(), overrides, **options)
    if args.format == "parquet":
        if not args.output or args.output == "-":
            args.parser.error("--format parquet writes a file: give -o FILE")
        try:
            voices.write_parquet(summary, Path(args.output), overwrite=args.force)
        except FileExistsError:
            _say(_exists(Path(args.output)))
            return EXIT_FAILED
        except OSError as exc:
            _say(f"cannot write {args.output}: {exc.strerror or exc}")
            return EXIT_FAILED
    elif args.format in ("json", "csv"):
        text = voices.to_json(summary) if args.format == "json" else voices.to_csv(summary)
        if args.output and args.output != "-":
            if not _deliver(Outcome(text=text), Path(args.output), args.force):
                return EXIT_FAILED
        else:
            _write_stdout(text)
    else:
        _print_voices(summary)
    return EXIT_FAILED if failed else EXIT_OK


def _print_voices(summary: voices.Summary) -> None:
    """The voices as a table, then the counts by gender."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    if not summary.voices:
        console.print(Text(f"no quotes in {summary.articles} article(s)"))
        return
    table = Table(box=None, header_style="bold", pad_edge=False, padding=(0, 1, 0, 0))
    table.add_column("Speaker", no_wrap=True, overflow="ellipsis", max_width=24)
    table.add_column("Kind, gender", no_wrap=True, overflow="ellipsis", max_width=16)
    for column in ("Art.", "Quotes", "Words", "%Q", "%W", "Unsure"):
        table.add_column(column, justify="right", no_wrap=True, min_width=max(5, len(column)))
    for v in summary.voices:
        if v.kind == "person":
            what = f"{v.gender} ({v.gender_source})" if v.gender else "unknown"
        else:
            what = v.kind
        table.add_row(Text(v.name + (" *" if v.partial_name else "")), what, str(v.articles), str(v.quotes),
                      str(v.words), f"{100 * v.share_quotes:.1f}", f"{100 * v.share_words:.1f}",
                      str(v.unsure_quotes) if v.unsure_quotes else "")
    console.print(table)
    console.print()
    unsure = (f", {summary.unsure_quotes} unsure counted apart" if summary.unsure_quotes and not summary.unsure_left_out
              else (", unsure quotes left out" if summary.unsure_left_out else ""))
    console.print(Text(f"{summary.articles} article(s), {summary.quotes} quotes, {summary.words} quoted words"
                       f"{unsure}; %Q and %W: shares of all quotes and words"))
    for g in summary.by_gender:
        console.print(Text(f"persons, {g.gender}: {g.sources} quoted, {g.quotes} quotes, {g.words} words"))
    if any(v.partial_name for v in summary.voices):
        console.print(Text("* named by one word only in their article: not merged with other articles"))


# Each function adds one subcommand's parser and sets its ``handler``: add new commands here.
COMMANDS: list[Callable[..., None]] = [add_export_command, add_save_command, add_library_command,
                                       add_voices_command, add_config_commands, add_feed_commands]


def _command_parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    parser = argparse.ArgumentParser(prog=PROG, formatter_class=argparse.RawDescriptionHelpFormatter)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add in COMMANDS:
        add(subparsers)
    return parser, dict(subparsers.choices)


# ---------------------------------------------------------------- the reader


def _reader_parser(commands: dict[str, argparse.ArgumentParser]) -> argparse.ArgumentParser:
    from newsreader.config import ENVIRONMENT

    listing = "\n".join(f"  {name:<10}{(p.description or '').splitlines()[0]}" for name, p in commands.items())
    variables = [*ENVIRONMENT, (DEBUG_ENV, "set to 1 to see a traceback with an internal error")]
    environment = "\n".join(f"  {name:<24}{about}" for name, about in variables)
    return argparse.ArgumentParser(
        prog=PROG,
        usage=f"{PROG} [-h] [--version] [--demo] [--width N] [--model NAME]\n"
              f"       {' ' * len(PROG)} [--theme NAME] [--panels auto|shown|hidden]\n"
              f"       {' ' * len(PROG)} [--config FILE] [SOURCE]\n"
              f"       {PROG} [--config FILE] COMMAND [options]",
        description="Read news articles in the terminal: clean text, quotes and their speakers, places.",
        epilog=f"""\
commands:
{listing}

Run '{PROG} COMMAND --help' for a command's options.

examples:
  {PROG} https://example.org/news/story   read an article from the web
  {PROG} saved-page.html                  read a saved page or a text file
  curl -s URL | {PROG} -                  read from standard input
  {PROG} --demo                           read the bundled demo article
  {PROG}                                  open the library of saved articles
  {PROG} feed https://example.org/        read a site's news feed, then its articles
  {PROG} ./export                         open a file named like a command

settings:
  config.toml in the user config folder ('{PROG} locate config'), or
  --config FILE; '{PROG} config init' writes one with every setting. The
  command line wins over the environment, which wins over the file, which
  wins over the defaults.

environment:
{environment}""",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _add_reader_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", nargs="?", metavar="SOURCE", help="a URL, an HTML or text file, or - for stdin")
    parser.add_argument("--demo", action="store_true", help="open the bundled demo article")
    parser.add_argument("--width", type=_width, metavar="N",
                        help="width of the article text in columns (default: 80)")
    parser.add_argument("--model", metavar="NAME", help="spaCy model to use (default: the installed English one)")
    parser.add_argument("--theme", metavar="NAME", help="colour theme (default: textual-dark; more in the palette)")
    parser.add_argument("--panels", choices=PANELS,
                        help="the Speakers and Places panels (default: auto, shown when the terminal is wide)")
    _config_option(parser)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")


def _width(value: str) -> int:
    from newsreader.config import WIDTH_MAX, WIDTH_MIN

    n = _positive(value)
    if not WIDTH_MIN <= n <= WIDTH_MAX:
        raise argparse.ArgumentTypeError(f"must be between {WIDTH_MIN} and {WIDTH_MAX}")
    return n


def _open_reader(args: argparse.Namespace) -> int:
    """Start the Textual app; imported here so that only the reader pays for (and needs) it.

    A file that cannot be read is said in one line before any screen opens, as ``less``
    does; what can only fail later (the network) is said in the reader.
    """
    if args.source is not None:
        from newsreader.load import check_source

        try:
            check_source(args.source)
        except LoadError as exc:
            _say(str(exc))
            return EXIT_FAILED
    try:
        from newsreader.tui.app import run
    except ImportError as exc:
        _say(f"the reader cannot start ({exc}); 'newsreader export' still works")
        return EXIT_FAILED
    given = {"width": args.width, "model": args.model, "theme": args.theme, "panels": args.panels}
    status = run(args.source, args.demo, config=_config(args, _key_rules(), given))
    return status if isinstance(status, int) else EXIT_OK


# ---------------------------------------------------------------- entry point


def _leading_config(argv: list[str], commands: Collection[str]) -> tuple[str | None, list[str]]:
    """``--config FILE`` in front of a command is for that command: the file, and the other words.
    (In front of a SOURCE it is the reader's own option.)"""
    if argv and argv[0].startswith("--config="):
        return argv[0].partition("=")[2], argv[1:]
    if len(argv) >= 3 and argv[0] == "--config" and argv[2] in commands:
        return argv[1], argv[2:]
    return None, argv


def _parse(argv: list[str]) -> argparse.Namespace:
    """Choose the parser by the first word: a command name, or else the reader's SOURCE."""
    command_parser, commands = _command_parser()
    config_file, argv = _leading_config(argv, commands)
    if argv and argv[0] in commands:
        args = command_parser.parse_args(argv)
    else:
        reader = _reader_parser(commands)
        _add_reader_arguments(reader)
        args = reader.parse_args(argv)
        if args.demo and args.source is not None:
            reader.error("give SOURCE or --demo, not both")
        args.handler = _open_reader
    if config_file is not None:
        if not config_file:
            command_parser.error("argument --config: the path is empty")
        args.config = getattr(args, "config", None) or config_file
    if getattr(args, "config", None):
        # What the command starts (the pipeline's cache, export's worker processes) reads the same file.
        os.environ[CONFIG_ENV] = args.config
    return args


def _fail(exc: BaseException) -> int:
    _say(_describe(exc))
    trace = _trace(exc)
    if trace:
        sys.stderr.write(trace)
    return EXIT_FAILED


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status (the console script exits with it)."""
    try:
        args = _parse(list(sys.argv[1:] if argv is None else argv))
        return args.handler(args)
    except SystemExit as exit_:  # --help, --version and usage errors (argparse exits)
        return _exit_status(exit_.code)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. `newsreader export … | head`
        _silence_stdout()
        return EXIT_FAILED
    except Exception as exc:  # noqa: BLE001 - a clear line instead of a traceback
        return _fail(exc)


def _exit_status(code: object) -> int:
    if code is None:
        return EXIT_OK
    return code if isinstance(code, int) else EXIT_USAGE


def _silence_stdout() -> None:
    """After a closed pipe, point stdout at /dev/null so that exiting cannot fail on flush."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
