"""``analysis comention PATH... --out FILE``: the co-mentions table of a corpus.

Loads the corpus (all the corpus options of ``analysis load``), finds entity
mentions with the gazetteer (or reads them with ``--mentions FILE``), counts
co-mentions with :func:`analysis.count_comentions` and writes the table
(CSV, TSV or Parquet by the file's suffix); ``--graphml FILE`` also writes the
co-mention network.
"""
from __future__ import annotations

import argparse
from pathlib import Path
import sys

HELP = "count co-mentions of entities (sentence, paragraph or article windows) with PMI, NPMI, Jaccard, G²"

_SUFFIXES = (".csv", ".tsv", ".parquet", ".pq")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from analysis.cli import add_corpus_options

    add_corpus_options(parser)
    g = parser.add_argument_group("co-mentions")
    g.add_argument("--out", required=True, metavar="FILE", help="output table: .csv, .tsv or .parquet")
    g.add_argument("--level", choices=("sentence", "paragraph", "article"), default="sentence",
                   help="co-mention window (default sentence)")
    g.add_argument("--by", default="", metavar="GROUPS",
                   help="count per group: period, outlet or period,outlet (default: whole corpus)")
    g.add_argument("--freq", choices=("W", "M"), default="M", help="period length with --by period (default M)")
    g.add_argument("--resolve", choices=("country",), default=None,
                   help="roll persons, places, organizations up to their country (Putin -> RUS)")
    g.add_argument("--min-count", type=int, default=1, metavar="N", help="keep pairs seen together >= N times")
    g.add_argument("--gazetteer", default=None, metavar="FILE", help="your own gazetteer YAML (adds/overrides)")
    g.add_argument("--mentions", default=None, metavar="FILE",
                   help="use this mentions table (.csv/.parquet from `analysis mentions`) instead of matching")
    g.add_argument("--graphml", default=None, metavar="FILE",
                   help="also write the network as GraphML (needs one group: no --by)")


def _fail(msg: str) -> int:
    print(f"analysis comention: {msg}", file=sys.stderr)
    return 2


def _read_table(path: Path):
    import pandas as pd

    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    suf = path.suffix.lower()
    if suf in (".parquet", ".pq"):
        return pd.read_parquet(path)
    return pd.read_csv(path, sep="\t" if suf == ".tsv" else ",", dtype={"article_id": str})


def _write_table(df, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    suf = path.suffix.lower()
    if suf in (".parquet", ".pq"):
        df.to_parquet(path, index=False)
    else:
        df.to_csv(path, sep="\t" if suf == ".tsv" else ",", index=False, encoding="utf-8")


def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.suffix.lower() not in _SUFFIXES:
        return _fail(f"--out {out}: use a .csv, .tsv or .parquet file name")
    if args.min_count < 1:
        return _fail(f"--min-count must be at least 1 (got {args.min_count})")
    by = [b.strip() for b in (args.by or "").split(",") if b.strip()]
    bad = [b for b in by if b not in ("period", "outlet")]
    if bad:
        return _fail(f"--by takes period, outlet or period,outlet (got {args.by!r})")
    if args.graphml and by:
        return _fail("--graphml needs the whole-corpus table: drop --by")
    quiet = args.quiet

    from analysis.cli import load_from_args
    from analysis.measures.comention import comention_graph, count_comentions, count_windows

    try:
        articles = load_from_args(args)
        if args.mentions:
            mentions = _read_table(Path(args.mentions))
        else:
            from analysis.entities.mentions import extract_mentions

            gaz = None
            if args.gazetteer:
                from analysis.entities.gazetteer import load_gazetteer

                gaz = load_gazetteer(extra=args.gazetteer)
            mentions = extract_mentions(articles, gazetteer=gaz, progress=not quiet)
        windows = count_windows(articles, progress=not quiet) if args.level != "article" else None
        table = count_comentions(mentions, articles, level=args.level, by=by or None, freq=args.freq,
                                 resolve=args.resolve, min_count=args.min_count, windows=windows)
        _write_table(table, out)
        if args.graphml:
            comention_graph(table, path=args.graphml)
    except (FileNotFoundError, ValueError, KeyError, OSError) as exc:
        return _fail(str(exc))
    if not quiet:
        n_win = int(table["n_windows"].iloc[0]) if len(table) and not by else None
        extra = f" in {n_win:,} {args.level} windows" if n_win else ""
        print(f"{len(table):,} entity pairs{extra} ({len(mentions):,} mentions, {len(articles):,} articles) -> {out}",
              file=sys.stderr)
        if args.graphml:
            print(f"network -> {args.graphml}", file=sys.stderr)
    return 0
