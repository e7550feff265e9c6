"""``analysis comention PATH... --out FILE``: the co-mentions table of a corpus.

Loads the corpus (all the corpus options of ``analysis load``), finds entity
mentions with the gazetteer (or reads them with ``--mentions FILE``), counts
co-mentions with :func:`analysis.count_comentions` and writes the table
(CSV or TSV with a BOM and formula cells neutralized, or Parquet, by the file's suffix,
atomically); ``--graphml FILE`` also writes the co-mention network. ``--level``,
``--freq`` and ``--resolve`` are the report's parameters (same names, choices and checks);
``--resolve`` defaults to ``none`` here (pairs of single entities).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "count co-mentions of entities (sentence, paragraph or article windows) with PMI, NPMI, Jaccard, G²"

_SUFFIXES = (".csv", ".tsv", ".parquet", ".pq")
_DEFAULTS = {"resolve": "none"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from analysis.cli import add_corpus_options, add_csv_option, add_param_options

    add_corpus_options(parser)
    g = parser.add_argument_group("co-mentions")
    g.add_argument("--out", required=True, metavar="FILE", help="output table: .csv, .tsv or .parquet")
    add_param_options(g, ["level"])
    g.add_argument("--by", default="", metavar="GROUPS",
                   help="count per group: period, outlet or period,outlet (default: whole corpus)")
    add_param_options(g, ["freq", "resolve", "gazetteer"], defaults=_DEFAULTS)
    g.add_argument("--min-count", type=int, default=1, metavar="N", help="keep pairs seen together >= N times")
    g.add_argument("--mentions", default=None, metavar="FILE",
                   help="use this mentions table (.csv/.parquet from `analysis mentions`) instead of matching")
    g.add_argument("--graphml", default=None, metavar="FILE",
                   help="also write the network as GraphML (needs one group: no --by)")
    add_csv_option(parser)
    from analysis.cli import add_engine_options

    add_engine_options(parser)


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
    return pd.read_csv(path, sep="\t" if suf == ".tsv" else ",", dtype={"article_id": str}, encoding="utf-8-sig")


def run(args: argparse.Namespace) -> int:
    from analysis.cli import check_out_file, load_from_args, params_from_args, write_output
    from analysis.report.params import split_items, validate_params

    if args.min_count < 1:
        return _fail(f"--min-count must be at least 1 (got {args.min_count})")
    by = [b.strip() for b in (args.by or "").split(",") if b.strip()]
    bad = [b for b in by if b not in ("period", "outlet")]
    if bad:
        return _fail(f"--by takes period, outlet or period,outlet (got {args.by!r})")
    if args.graphml and by:
        return _fail("--graphml needs the whole-corpus table: drop --by")
    values = validate_params(params_from_args(args, ["level", "freq", "resolve", "gazetteer"], _DEFAULTS),
                             style="cli")
    gaz_files = split_items(values["gazetteer"])
    read = [*gaz_files, *([args.mentions] if args.mentions else [])]
    out = check_out_file(args, args.out, _SUFFIXES, inputs=read)
    graphml = check_out_file(args, args.graphml, (".graphml",), flag="--graphml", inputs=read) \
        if args.graphml else None
    if graphml is not None and graphml == out:
        return _fail("--graphml and --out name the same file")
    quiet = args.quiet
    if getattr(args, "engine", "memory") == "dask":
        from analysis.dask.cli import run_comention

        args.level, args.freq, args.resolve = values["level"], values["freq"], None if values["resolve"] == "none" else values["resolve"]
        args.gazetteer = gaz_files or None
        return run_comention(args)

    from analysis.measures.comention import comention_graph, count_comentions, count_windows
    from analysis.report.outputs import atomic_path

    resolve = None if values["resolve"] == "none" else values["resolve"]
    try:
        articles = load_from_args(args)
        if args.mentions:
            mentions = _read_table(Path(args.mentions))
        else:
            from analysis.entities.mentions import extract_mentions

            gaz = None
            if gaz_files:
                from analysis.entities.gazetteer import load_gazetteer

                gaz = load_gazetteer(extra=gaz_files)
            mentions = extract_mentions(articles, gazetteer=gaz, progress=not quiet)
        windows = count_windows(articles, progress=not quiet) if values["level"] != "article" else None
        freq = values["freq"]
        if freq == "auto":  # chosen from the corpus span, as the report does
            from analysis.stats.periods import choose_freq

            freq = choose_freq(articles["published"])
        table = count_comentions(mentions=mentions, articles=articles, level=values["level"], by=by or None,
                                 freq=freq, resolve=resolve, min_count=args.min_count, windows=windows)
        write_output(table, out, csv_safe=args.csv_safe is not False)
        if graphml is not None:
            with atomic_path(graphml) as tmp:
                comention_graph(table, path=tmp)
    except (FileNotFoundError, ValueError, KeyError, OSError) as exc:
        return _fail(str(exc))
    if not quiet:
        n_win = int(table["n_windows"].iloc[0]) if len(table) and not by else None
        extra = f" in {n_win:,} {values['level']} windows" if n_win else ""
        print(f"{len(table):,} entity pairs{extra} ({len(mentions):,} mentions, {len(articles):,} articles) -> {args.out}",
              file=sys.stderr)
        if args.graphml:
            print(f"network -> {args.graphml}", file=sys.stderr)
    return 0
