"""``analysis quotes PATH... --out FILE``: the statements table (who is quoted, saying what).

Loads the corpus (every corpus option of ``analysis load``: filters,
``--no-dedup``, ``--fields`` ...), finds entity mentions with the built-in
gazetteer (extended/overridden by ``--gazetteer FILE``), then the statements
of :func:`analysis.extract_quotes`, and writes them as CSV, TSV, Parquet or
JSONL, chosen by the file's suffix.
"""
from __future__ import annotations

import argparse
import sys

HELP = "find statements (reporting verb, speaker, speaker country, quotation) in a corpus"

_SUFFIXES = (".csv", ".tsv", ".parquet", ".pq", ".jsonl")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from analysis.cli import add_corpus_options, add_csv_option, add_param_options

    add_corpus_options(parser)
    g = parser.add_argument_group("quotes")
    g.add_argument("--out", required=True, metavar="FILE",
                   help="output table: .csv, .tsv, .parquet or .jsonl")
    add_param_options(g, ["gazetteer"])
    g.add_argument("--verbs", default="extended", choices=("core", "extended"),
                   help="reporting-verb lexicon: core (saying verbs) or extended (default; also دعا، طالب، اتهم ...)")
    g.add_argument("--attributions", action="store_true",
                   help="also count بحسب / وفقا لـ / نقلا عن + a source as statements")
    g.add_argument("--mentions-out", default=None, metavar="FILE",
                   help="also write the mentions table the statements were read with")
    g.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="worker processes (default: all cores for large corpora)")
    add_csv_option(parser)


def run(args: argparse.Namespace) -> int:
    from analysis.cli import check_jobs, check_out_file, gazetteer_from_args, load_from_args, write_output
    from analysis.report.params import split_items

    check_jobs(args.jobs)
    gaz_files = split_items(args.gazetteer)
    out = check_out_file(args, args.out, _SUFFIXES, inputs=gaz_files)
    mentions_out = (check_out_file(args, args.mentions_out, _SUFFIXES, flag="--mentions-out", inputs=gaz_files)
                    if args.mentions_out else None)
    gaz = gazetteer_from_args(gaz_files)
    from analysis.entities.mentions import extract_mentions
    from analysis.voices.extract import extract_quotes

    articles = load_from_args(args)
    quiet, jobs = args.quiet, args.jobs
    mentions = extract_mentions(articles, gazetteer=gaz, progress=not quiet, n_jobs=jobs)
    statements = extract_quotes(articles, mentions, gazetteer=gaz, verbs=args.verbs,
                                attributions=args.attributions, progress=not quiet, n_jobs=jobs)
    safe = args.csv_safe is not False
    write_output(statements, out, csv_safe=safe)
    if mentions_out is not None:
        write_output(mentions, mentions_out, csv_safe=safe)
    if not quiet:
        n_art = statements["article_id"].nunique() if len(statements) else 0
        kinds = statements["speaker_kind"].value_counts() if len(statements) else {}
        mix = ", ".join(f"{k} {v:,}" for k, v in kinds.items())
        print(f"wrote {len(statements):,} statements in {n_art:,} of {len(articles):,} articles to {args.out}"
              + (f" ({mix})" if mix else ""), file=sys.stderr)
    return 0
