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
from pathlib import Path

HELP = "find statements (reporting verb, speaker, speaker country, quotation) in a corpus"

_SUFFIXES = (".csv", ".tsv", ".parquet", ".pq", ".jsonl")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from analysis.cli import add_corpus_options

    add_corpus_options(parser)
    g = parser.add_argument_group("quotes")
    g.add_argument("--out", required=True, metavar="FILE",
                   help="output table: .csv, .tsv, .parquet or .jsonl")
    g.add_argument("--gazetteer", default=None, metavar="FILE",
                   help="your own gazetteer YAML: adds entities or overrides built-in ones")
    g.add_argument("--verbs", default="core", choices=("core", "extended"),
                   help="reporting-verb lexicon: core (default) or extended (also دعا، طالب، اتهم ...)")
    g.add_argument("--attributions", action="store_true",
                   help="also count بحسب / وفقا لـ / نقلا عن + a source as statements")
    g.add_argument("--mentions-out", default=None, metavar="FILE",
                   help="also write the mentions table the statements were read with")
    g.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="worker processes (default: all cores for large corpora)")


def _fail(msg: str, code: int = 2) -> int:
    print(f"analysis quotes: {msg}", file=sys.stderr)
    return code


def run(args: argparse.Namespace) -> int:
    outputs = {"--out": args.out, "--mentions-out": args.mentions_out}
    bad = [f"{name} {path}" for name, path in outputs.items() if path and Path(path).suffix.lower() not in _SUFFIXES]
    if bad:
        return _fail(f"{bad[0]}: the file name must end in {', '.join(_SUFFIXES)}")
    import analysis
    from analysis.cli import load_from_args
    from analysis.cli.mentions import write_table
    from analysis.entities.gazetteer import GazetteerError, load_gazetteer

    try:  # --gazetteer extends the built-in gazetteer (None: the built-in one alone)
        gaz = load_gazetteer(extra=args.gazetteer)
    except GazetteerError as exc:
        return _fail(str(exc))
    articles = load_from_args(args)
    quiet, jobs = args.quiet, args.jobs
    mentions = analysis.extract_mentions(articles, gazetteer=gaz, progress=not quiet, n_jobs=jobs)
    statements = analysis.extract_quotes(articles, mentions, gazetteer=gaz, verbs=args.verbs,
                                         attributions=args.attributions, progress=not quiet, n_jobs=jobs)
    out = Path(args.out)
    write_table(statements, out)
    if args.mentions_out:
        write_table(mentions, Path(args.mentions_out))
    if not args.quiet:
        n_art = statements["article_id"].nunique() if len(statements) else 0
        kinds = statements["speaker_kind"].value_counts() if len(statements) else {}
        mix = ", ".join(f"{k} {v:,}" for k, v in kinds.items())
        print(f"wrote {len(statements):,} statements in {n_art:,} of {len(articles):,} articles to {out}"
              + (f" ({mix})" if mix else ""), file=sys.stderr)
    return 0
