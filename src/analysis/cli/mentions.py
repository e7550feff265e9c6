"""``analysis mentions PATH... --out FILE [--gazetteer FILE]``: the mentions table.

Loads the corpus (every corpus option of ``analysis load``: filters,
``--no-dedup``, ``--fields`` ...), finds entity mentions with the built-in
gazetteer (extended/overridden by ``--gazetteer FILE``) and writes the table
of :func:`analysis.extract_mentions` as CSV, TSV, Parquet or JSONL, chosen by
the file's suffix.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "find country, person, organization and place mentions (sentence by sentence) in a corpus"

_SUFFIXES = (".csv", ".tsv", ".parquet", ".pq", ".jsonl")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from analysis.cli import add_corpus_options

    add_corpus_options(parser)
    g = parser.add_argument_group("mentions")
    g.add_argument("--out", required=True, metavar="FILE",
                   help="output table: .csv, .tsv, .parquet or .jsonl")
    g.add_argument("--gazetteer", default=None, metavar="FILE",
                   help="your own gazetteer YAML: adds entities or overrides built-in ones "
                   "(same format as analysis/data/gazetteer.yaml)")
    g.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="worker processes (default: all cores for large corpora)")


def _fail(msg: str, code: int = 2) -> int:
    print(f"analysis mentions: {msg}", file=sys.stderr)
    return code


def write_table(df, path: Path) -> Path:
    """Write a table by suffix (.csv, .tsv, .parquet/.pq, .jsonl)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    suf = path.suffix.lower()
    if suf in (".parquet", ".pq"):
        df.to_parquet(path, index=False)
    elif suf == ".jsonl":
        df.to_json(path, orient="records", lines=True, force_ascii=False)
    else:
        df.to_csv(path, sep="\t" if suf == ".tsv" else ",", index=False, encoding="utf-8")
    return path


def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.suffix.lower() not in _SUFFIXES:
        return _fail(f"--out {out}: the file name must end in {', '.join(_SUFFIXES)}")
    from analysis.entities.gazetteer import GazetteerError, load_gazetteer

    try:
        gaz = load_gazetteer(extra=args.gazetteer) if args.gazetteer else load_gazetteer()
    except GazetteerError as exc:
        return _fail(str(exc))
    from analysis.cli import load_from_args
    from analysis.entities.mentions import extract_mentions

    articles = load_from_args(args)
    mentions = extract_mentions(articles, gazetteer=gaz, progress=not args.quiet, n_jobs=args.jobs)
    write_table(mentions, out)
    if not args.quiet:
        n_art = mentions["article_id"].nunique() if len(mentions) else 0
        print(f"wrote {len(mentions):,} mentions of {mentions['entity_id'].nunique() if len(mentions) else 0:,} "
              f"entities in {n_art:,} of {len(articles):,} articles to {out}", file=sys.stderr)
    return 0
