"""``analysis load PATH... [--out FILE]``: load a corpus into the articles table.

Reads files, folders and glob patterns (see :func:`analysis.io.load.load_corpus`),
prints a summary line and, with ``--out``, writes the table as ``.parquet``,
``.csv`` or ``.jsonl``. Exit status 1 only when nothing could be loaded.
"""
from __future__ import annotations

import argparse
import sys

HELP = "load a corpus (pages, JSONL, JSON, CSV/TSV, Parquet; .gz, .zip) into the articles table"

_OUT_SUFFIXES = (".parquet", ".csv", ".jsonl")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from analysis.cli import add_corpus_options

    add_corpus_options(parser)
    g = parser.add_argument_group("output")
    g.add_argument("--out", default=None, metavar="FILE",
                   help="write the articles table: .parquet, .csv or .jsonl (default: only print the summary)")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from analysis.cli import load_from_args

    if args.out and Path(args.out).suffix.lower() not in _OUT_SUFFIXES:
        print(f"analysis load: --out {args.out}: the file name must end in .parquet, .csv or .jsonl",
              file=sys.stderr)
        return 2
    df = load_from_args(args)
    if args.out:
        from analysis.io.load import save_articles

        path = save_articles(df, args.out)
        if not args.quiet:
            print(f"wrote {len(df):,} articles to {path}", file=sys.stderr)
    return 0
