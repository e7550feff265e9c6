"""``analysis report PATH... --out reports/NAME``: the coverage report (HTML, tables, figures, manifest)."""
from __future__ import annotations

import argparse
import sys

HELP = "run the coverage report notebook on a corpus: HTML, tables, figures and a manifest"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from analysis.cli import add_corpus_options

    add_corpus_options(parser)
    g = parser.add_argument_group("report")
    g.add_argument("--out", required=True, metavar="DIR", help="report folder, e.g. reports/NAME")
    g.add_argument("--focus", default="RUS,SYR,IRN", help="focus entity ids, comma-separated (default RUS,SYR,IRN)")
    g.add_argument("--event-date", default="", metavar="DATE", help="compare before/after this date")
    g.add_argument("--topics", type=int, default=10, metavar="K", help="number of topics (0 skips topics; default 10)")
    g.add_argument("--method", choices=("nmf", "lda"), default="nmf", help="topic model (default nmf)")
    g.add_argument("--level", choices=("sentence", "paragraph", "article"), default="sentence",
                   help="co-mention window (default sentence)")
    g.add_argument("--freq", choices=("W", "M"), default="M", help="period: W (week) or M (month); default M")
    g.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    g.add_argument("--gazetteer", default="", metavar="FILE", help="your own gazetteer YAML (adds/overrides)")
    g.add_argument("--no-overwrite", action="store_true",
                   help="fail when the report folder exists (default: replace it, once the new report is complete)")


def run(args: argparse.Namespace) -> int:
    from analysis.report import ReportError, run_report

    params = dict(
        focus=args.focus,
        start=args.start or "",
        end=args.end or "",
        outlets=args.outlet or "",
        categories=args.category or "",
        exclude_categories=args.exclude_category or "",
        dedup=not args.no_dedup,
        fields=args.fields or "",
        tz=args.tz or "UTC",
        gazetteer=args.gazetteer or "",
        level=args.level,
        freq=args.freq,
        topics=args.topics,
        method=args.method,
        event_date=args.event_date or "",
        seed=args.seed,
    )
    quiet = args.quiet
    try:
        out = run_report(args.paths or None, args.out, overwrite=not args.no_overwrite, progress=not quiet, **params)
    except ReportError as exc:
        print(f"analysis report: {exc}", file=sys.stderr)
        return 1
    except (FileExistsError, FileNotFoundError, TypeError, ValueError) as exc:
        print(f"analysis report: {exc}", file=sys.stderr)
        return 2
    if args.skipped:
        import pandas as pd

        from analysis.io.load import save_skipped

        src = out / "tables" / "corpus_skipped_records.csv"
        table = pd.read_csv(src) if src.is_file() else pd.DataFrame(columns=["source_file", "line", "reason"])
        save_skipped(table, args.skipped)
    if not quiet:
        print(f"report written to {out}/ (open {out / 'report.html'})")
    return 0
