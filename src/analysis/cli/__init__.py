"""The ``analysis`` command line: ``analysis COMMAND [options]``.

Each command lives in its own module ``analysis.cli.<command>`` defining
``HELP`` (one line), ``add_arguments(parser)`` and ``run(args) -> int``.
Modules import heavy dependencies inside ``run`` so ``--help`` stays fast.
"""
from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS = ("load", "mentions", "comention", "topics", "report", "entities", "discover", "validate")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="analysis",
        description="Arabic news coverage analysis (Russia, Syria, Iran and more).",
    )
    from analysis import __version__

    parser.add_argument("--version", action="version", version=f"analysis {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"analysis.cli.{name}")
        except ModuleNotFoundError as exc:  # command not built yet
            if exc.name == f"analysis.cli.{name}":
                continue
            raise
        p = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    try:
        return int(args._run(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def add_corpus_options(parser: argparse.ArgumentParser) -> None:
    """Add the corpus options every command shares: ``PATH...`` and the
    loading/filter options of :func:`analysis.io.load.load_corpus`.

    Destinations: ``paths`` (list), ``fields``, ``tz``, ``start``, ``end``,
    ``outlet``, ``category``, ``exclude_category`` (strings), ``no_dedup``,
    ``skipped``, ``quiet``.
    """
    parser.add_argument(
        "paths", nargs="*", metavar="PATH",
        help="files, folders (read recursively) or glob patterns: scraped pages .txt, "
        ".jsonl, .json, .csv, .tsv, .parquet, also .gz or in .zip (default: the sample corpus data/sample)",
    )
    g = parser.add_argument_group("corpus")
    g.add_argument("--fields", default=None, metavar="FIELD=COL,...",
                   help="columns to use, e.g. text=body,date=published_at "
                   "(fields: text, title, date, outlet, url, id, category, keywords)")
    g.add_argument("--tz", default="UTC", metavar="TZ",
                   help="timezone of dates without an offset: IANA name or +03:00 (default UTC)")
    g.add_argument("--start", default=None, metavar="DATE", help="keep articles published on/after DATE (inclusive)")
    g.add_argument("--end", default=None, metavar="DATE", help="keep articles published on/before DATE (inclusive)")
    g.add_argument("--outlet", default=None, metavar="A,B", help="keep only these outlets")
    g.add_argument("--category", default=None, metavar="A,B", help="keep only these categories")
    g.add_argument("--exclude-category", default=None, metavar="A,B", help="leave out these categories")
    g.add_argument("--no-dedup", action="store_true",
                   help="keep repeated copies of an article from the same outlet")
    g.add_argument("--skipped", default=None, metavar="FILE",
                   help="write what could not be loaded (source_file, line, reason) to FILE (.csv/.jsonl/.parquet)")
    g.add_argument("--quiet", action="store_true", help="no progress bar, summary or warnings")


class CorpusError(SystemExit):
    """Nothing could be loaded (exit status 1); the message says why."""


def load_from_args(args: argparse.Namespace):
    """Load the corpus named by :func:`add_corpus_options` arguments.

    Prints the summary line (and warnings, the first skipped inputs) to
    stderr unless ``--quiet``; writes ``--skipped FILE``. Exits with status 1
    and a message when nothing could be loaded, 2 on a bad option.
    """
    import warnings

    import pandas as pd

    from analysis.io.load import SkippedInputWarning, load_corpus, save_skipped, summary_line

    quiet = bool(getattr(args, "quiet", False))
    paths = list(getattr(args, "paths", None) or []) or None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            df = load_corpus(
                paths,
                fields=getattr(args, "fields", None),
                tz=getattr(args, "tz", None) or "UTC",
                start=getattr(args, "start", None),
                end=getattr(args, "end", None),
                outlets=getattr(args, "outlet", None),
                categories=getattr(args, "category", None),
                exclude_categories=getattr(args, "exclude_category", None),
                dedup=not getattr(args, "no_dedup", False),
                progress=not quiet,
            )
        except (FileNotFoundError, ValueError) as exc:
            print(f"analysis: error: {exc}", file=sys.stderr)
            raise SystemExit(2) from None
    summary = df.attrs["summary"]
    skipped = df.attrs["skipped"]
    if getattr(args, "skipped", None):
        save_skipped(skipped, args.skipped)
    if not quiet:
        for w in caught:
            if not issubclass(w.category, SkippedInputWarning):  # listed below instead
                print(f"warning: {w.message}", file=sys.stderr)
        for row in skipped.head(10).itertuples(index=False):
            where = row.source_file if pd.isna(row.line) else f"{row.source_file}:{row.line}"
            print(f"skipped: {where}: {row.reason}", file=sys.stderr)
        if len(skipped) > 10:
            more = " (all in the --skipped file)" if getattr(args, "skipped", None) else " (list them all with --skipped FILE)"
            print(f"skipped: ... and {len(skipped) - 10:,} more{more}", file=sys.stderr)
        print(summary_line(summary), file=sys.stderr)
    if len(df) == 0:
        if summary["records"] == 0 and summary["skipped"] == 0:
            why = "no input files found"
        elif summary["filtered_out"] and summary["loaded"] == 0 and summary["records"] > summary["skipped"]:
            why = f"all {summary['filtered_out']:,} articles were left out by the filters"
        else:
            reasons = sorted(set(skipped["reason"].astype(str)))[:3]
            why = f"all {summary['skipped']:,} input(s) were skipped ({'; '.join(reasons)})"
        print(f"analysis: nothing loaded: {why}", file=sys.stderr)
        raise CorpusError(1)
    return df


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
