"""``analysis validate sample|score``: measure the matcher's precision on your own corpus.

``analysis validate sample PATH... --n 200 --by entity_type --seed 1 --out codes.csv``
finds the mentions (every corpus option of ``analysis load``; ``--gazetteer``)
and writes a stratified, seeded sample with each mention's context and an
empty ``code`` column; fill it with correct / wrong / unsure (c / w / u).
``analysis validate score codes.csv [--out scores.csv]`` prints precision per
entity type and entity with 95 % Wilson intervals (and the stratum-weighted
overall figure). See :mod:`analysis.entities.validate`.
"""
from __future__ import annotations

import argparse
import sys

HELP = "sample mentions for hand coding (validate sample), then score the codes (validate score)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from analysis.cli import add_corpus_options

    sub = parser.add_subparsers(dest="action", metavar="ACTION")
    s = sub.add_parser("sample", help="write a stratified sample of mentions to code by hand",
                       description="write a stratified, seeded sample of mentions with their context")
    add_corpus_options(s)
    g = s.add_argument_group("sample")
    g.add_argument("--out", required=True, metavar="FILE.csv", help="the sample to code (.csv, UTF-8 with BOM)")
    g.add_argument("--n", type=int, default=200, metavar="N", help="mentions to draw (default 200)")
    g.add_argument("--by", default="entity_type", metavar="COL[,COL]",
                   help="strata: mentions column(s) (default entity_type; e.g. entity_id, entity_type,mention_kind)")
    g.add_argument("--seed", type=int, default=0, metavar="N", help="random seed (default 0)")
    g.add_argument("--context", type=int, default=80, metavar="CHARS", help="context shown each side (default 80)")
    g.add_argument("--gazetteer", default=None, metavar="FILE", help="your own gazetteer, extending the built-in one")
    c = sub.add_parser("score", help="precision per type and entity from a coded sample",
                       description="precision per entity type and entity, with 95%% Wilson intervals")
    c.add_argument("codes", metavar="CODES.csv", help="the sample file with its code column filled in")
    c.add_argument("--out", default=None, metavar="FILE", help="also write the scores (.csv, .tsv, .parquet, .jsonl)")
    c.add_argument("--entities", action="store_true", help="print the per-entity rows too")


def _fail(msg: str, code: int = 2) -> int:
    print(f"analysis validate: {msg}", file=sys.stderr)
    return code


def run(args: argparse.Namespace) -> int:
    if getattr(args, "action", None) == "sample":
        return _sample(args)
    if getattr(args, "action", None) == "score":
        return _score(args)
    return _fail("choose an action: `analysis validate sample PATH... --out codes.csv` or "
                 "`analysis validate score codes.csv`")


def _sample(args) -> int:
    from pathlib import Path

    from analysis.cli import check_out_file, write_output

    out = Path(args.out)
    if out.suffix.lower() != ".csv":
        return _fail(f"--out {out}: the sample is a .csv file (open it in a spreadsheet, fill the code column)")
    if out.exists():
        return _fail(f"--out {out} exists: it may hold your codes; choose another name or delete it first")
    if args.n < 1:
        return _fail("--n must be a positive number of mentions")
    out = check_out_file(args, out, (".csv",))
    by = [b.strip() for b in args.by.split(",") if b.strip()]
    from analysis.cli import gazetteer_from_args, load_from_args

    gaz = gazetteer_from_args(args.gazetteer)
    from analysis.entities.mentions import extract_mentions
    from analysis.entities.validate import sample_mentions

    articles = load_from_args(args)
    mentions = extract_mentions(articles, gazetteer=gaz, progress=not args.quiet)
    try:
        sample = sample_mentions(articles, mentions, n=args.n, by=by if len(by) > 1 else by[0], seed=args.seed,
                                 context=args.context, gazetteer=gaz)
    except ValueError as exc:
        return _fail(str(exc))
    write_output(sample, out)
    counts = sample["stratum"].value_counts().sort_index()
    print(f"wrote {len(sample):,} of {len(mentions):,} mentions to {out} ("
          + ", ".join(f"{k} {v}" for k, v in counts.items()) + "); fill the code column with "
          "correct / wrong / unsure, then: analysis validate score " + str(out), file=sys.stderr)
    return 0


def _score(args) -> int:
    from analysis.entities.validate import ValidationError, score_validation

    try:
        scores = score_validation(args.codes)
    except ValidationError as exc:
        return _fail(str(exc))
    if args.out:
        from analysis.cli import check_out_file, write_output

        out = check_out_file(args, args.out, (".csv", ".tsv", ".parquet", ".pq", ".jsonl"), inputs=[args.codes])
        write_output(scores, out)
    shown = scores if args.entities else scores[scores["level"] != "entity_id"]
    print(f"{'level':16} {'group':28} {'coded':>6} {'right':>6} {'wrong':>6} {'unsure':>6} "
          f"{'precision':>9}  95% interval")
    for r in shown.itertuples(index=False):
        p = "" if r.precision != r.precision else f"{r.precision:.3f}"
        ci = "" if r.precision_low != r.precision_low else f"[{r.precision_low:.3f}, {r.precision_high:.3f}]"
        print(f"{r.level:16} {r.group:28} {r.n_coded:>6} {r.correct:>6} {r.wrong:>6} {r.unsure:>6} {p:>9}  {ci}")
    total = scores[scores["level"] == "all"].iloc[0]
    if total["uncoded"]:
        print(f"{int(total['uncoded'])} rows have no code yet (not scored)", file=sys.stderr)
    return 0
