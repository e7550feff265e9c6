"""``analysis discover PATH... --out FILE.yaml``: names your corpus uses often and the gazetteer lacks.

Loads the corpus (every corpus option of ``analysis load``), finds the known
mentions, then :func:`analysis.suggest_entities`: frequent person-like names
after titles (الرئيس، الوزير، الأمير، الشيخ ...) and speech verbs (قال، أكد ...)
that the gazetteer (built-in plus ``--gazetteer FILE``) does not know. Writes a
ready-to-edit gazetteer file (persons, with counts and example sentences as
comments) and prints the top suggestions.
"""
from __future__ import annotations

import argparse
import sys

HELP = "suggest persons your corpus names often that the gazetteer does not know (writes an editable YAML)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from analysis.cli import add_corpus_options

    add_corpus_options(parser)
    g = parser.add_argument_group("discover")
    g.add_argument("--out", required=True, metavar="FILE.yaml", help="the gazetteer stub to write (.yaml/.yml)")
    g.add_argument("--gazetteer", default=None, metavar="FILE", help="your own gazetteer, extending the built-in one")
    g.add_argument("--min-count", type=int, default=3, metavar="N", help="keep names seen at least N times (default 3)")
    g.add_argument("--top", type=int, default=200, metavar="N", help="write the N most frequent (default 200)")
    g.add_argument("--examples", type=int, default=3, metavar="N", help="example sentences per name (default 3)")
    g.add_argument("--show", type=int, default=30, metavar="N", help="print the N most frequent (default 30)")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    out = Path(args.out)
    if out.suffix.lower() not in (".yaml", ".yml"):
        print(f"analysis discover: --out {out}: the file name must end in .yaml or .yml", file=sys.stderr)
        return 2
    for name in ("min_count", "top", "examples", "show"):
        if getattr(args, name) < (1 if name in ("min_count", "top") else 0):
            print(f"analysis discover: --{name.replace('_', '-')} must be a positive number", file=sys.stderr)
            return 2
    from analysis.cli import check_out_file, gazetteer_from_args

    out = check_out_file(args, out, (".yaml", ".yml"))
    gaz = gazetteer_from_args(args.gazetteer)
    from analysis.cli import load_from_args
    from analysis.entities.discover import suggest_entities, suggestions_yaml
    from analysis.entities.mentions import extract_mentions

    articles = load_from_args(args)
    mentions = extract_mentions(articles, gazetteer=gaz, progress=not args.quiet)
    sugg = suggest_entities(articles, mentions, gazetteer=gaz, min_count=args.min_count, top=args.top,
                            examples=args.examples, progress=not args.quiet)
    source = ", ".join(args.paths) if args.paths else "the sample corpus"
    from analysis.report.outputs import atomic_path

    with atomic_path(out) as tmp:
        tmp.write_text(suggestions_yaml(sugg, source=source), encoding="utf-8")
    shown = sugg.head(args.show)
    if len(shown):
        print(f"{'#':>3}  {'count':>6}  {'arts':>5}  {'title':>5}  {'verb':>5}  country  name  (id)")
        for i, r in enumerate(shown.itertuples(index=False), 1):
            print(f"{i:>3}  {r.count:>6}  {r.n_articles:>5}  {r.after_title:>5}  {r.after_verb:>5}  "
                  f"{r.country or '':<7}  {r.name}  ({r.entity_id})")
    print(f"wrote {len(sugg):,} suggestions to {out} (check them before use)", file=sys.stderr)
    return 0
