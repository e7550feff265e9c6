"""``analysis load PATH... [--out FILE]``: load a corpus into the articles table.

Reads files, folders and glob patterns (see :func:`analysis.io.load.load_corpus`),
prints a summary line and, with ``--out``, writes the table as ``.parquet``,
``.csv`` (UTF-8 with BOM, formula cells neutralized unless ``--no-csv-safe``) or
``.jsonl``, atomically; ``--out`` may not be an input, a folder or a link (checked before
loading). Exit status 1 only when nothing could be loaded, 2 for a bad option.
"""
from __future__ import annotations

import argparse
import sys

HELP = "load a corpus (pages, JSONL, JSON, CSV/TSV, Parquet; .gz, .zip) into the articles table"

_OUT_SUFFIXES = (".parquet", ".csv", ".jsonl")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from analysis.cli import add_corpus_options, add_csv_option

    add_corpus_options(parser)
    g = parser.add_argument_group("output")
    g.add_argument("--out", default=None, metavar="FILE",
                   help="write the articles table: .parquet, .csv or .jsonl (default: only print the summary)")
    add_csv_option(parser)


def _save(df, path, csv_safe: bool) -> None:
    """save_articles, atomically; a CSV with formula cells neutralized and a BOM."""
    import os
    import shutil

    from analysis.io.load import save_articles
    from analysis.report.export import neutralize_formulas
    from analysis.report.outputs import TEMP_PREFIX, atomic_path

    if path.suffix.lower() != ".csv":
        with atomic_path(path) as tmp:
            save_articles(df, tmp)
        return
    table = neutralize_formulas(df) if csv_safe else df
    plain = path.with_name(f"{TEMP_PREFIX}plain-{os.getpid()}-{path.name}")
    try:
        save_articles(table, plain)
        with atomic_path(path) as final, open(plain, "rb") as src, open(final, "wb") as dst:
            dst.write(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the Arabic right
            shutil.copyfileobj(src, dst, 1 << 20)
    finally:
        plain.unlink(missing_ok=True)


def run(args: argparse.Namespace) -> int:
    from analysis.cli import check_out_file, load_from_args

    out = check_out_file(args, args.out, _OUT_SUFFIXES) if args.out else None
    df = load_from_args(args)
    if out is not None:
        _save(df, out, csv_safe=args.csv_safe is not False)
        if not args.quiet:
            print(f"wrote {len(df):,} articles to {args.out}", file=sys.stderr)
    return 0
