"""``analysis mentions PATH... --out FILE [--gazetteer FILE]``: the mentions table.

Loads the corpus (every corpus option of ``analysis load``: filters,
``--no-dedup``, ``--fields`` ...), finds entity mentions with the built-in
gazetteer (extended/overridden by ``--gazetteer FILE``) and writes the table
of :func:`analysis.extract_mentions` as CSV, TSV (UTF-8 with BOM, formula cells
neutralized unless ``--no-csv-safe``), Parquet or JSONL, chosen by the file's suffix,
atomically. ``--out`` may not be an input, a folder or a link (checked before loading).
"""
from __future__ import annotations

import argparse
import sys

HELP = "find country, person, organization and place mentions (sentence by sentence) in a corpus"

_SUFFIXES = (".csv", ".tsv", ".parquet", ".pq", ".jsonl")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from analysis.cli import add_corpus_options, add_csv_option, add_param_options

    add_corpus_options(parser)
    g = parser.add_argument_group("mentions")
    g.add_argument("--out", required=True, metavar="FILE",
                   help="output table: .csv, .tsv, .parquet or .jsonl")
    add_param_options(g, ["gazetteer"])
    g.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="worker processes (default: all cores for large corpora)")
    add_csv_option(parser)
    from analysis.cli import add_engine_options

    add_engine_options(parser)


def run(args: argparse.Namespace) -> int:
    from analysis.cli import check_jobs, check_out_file, gazetteer_from_args, load_from_args, write_output
    from analysis.report.params import split_items

    check_jobs(args.jobs)
    gaz_files = split_items(args.gazetteer)
    out = check_out_file(args, args.out, _SUFFIXES, inputs=gaz_files)
    gaz = gazetteer_from_args(gaz_files)
    if getattr(args, "engine", "memory") == "dask":
        from analysis.dask.cli import run_mentions

        args.gazetteer = gaz_files or None
        return run_mentions(args)
    from analysis.entities.mentions import extract_mentions

    articles = load_from_args(args)
    mentions = extract_mentions(articles, gazetteer=gaz, progress=not args.quiet, n_jobs=args.jobs)
    write_output(mentions, out, csv_safe=args.csv_safe is not False)
    if not args.quiet:
        n_art = mentions["article_id"].nunique() if len(mentions) else 0
        print(f"wrote {len(mentions):,} mentions of {mentions['entity_id'].nunique() if len(mentions) else 0:,} "
              f"entities in {n_art:,} of {len(articles):,} articles to {args.out}", file=sys.stderr)
    return 0
