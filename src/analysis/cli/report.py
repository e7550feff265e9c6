"""``analysis report PATH... --out reports/NAME``: the coverage report (HTML, tables, figures, manifest)."""
from __future__ import annotations

import argparse
import sys

HELP = "run the coverage report notebook on a corpus: HTML, tables, figures and a manifest"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    import analysis.cli as cli

    if hasattr(cli, "add_corpus_options"):
        cli.add_corpus_options(parser)
    else:  # pragma: no cover - until the shared corpus options exist
        parser.add_argument("paths", nargs="*", metavar="PATH")
        parser.add_argument("--start")
        parser.add_argument("--end")
        parser.add_argument("--outlet")
        parser.add_argument("--category")
        parser.add_argument("--exclude-category")
        parser.add_argument("--no-dedup", action="store_true")
        parser.add_argument("--quiet", action="store_true")
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
    if not any(a.dest == "gazetteer" for a in parser._actions):
        g.add_argument("--gazetteer", default="", metavar="FILE", help="your own gazetteer YAML (adds/overrides)")
    g.add_argument("--no-overwrite", action="store_true",
                   help="fail when the report folder exists (default: replace it, once the new report is complete)")


def _get(args, *names, default=None):
    for n in names:
        v = getattr(args, n, None)
        if v not in (None, "", []):
            return v
    return default


def run(args: argparse.Namespace) -> int:
    from analysis.report import ReportError, run_report

    paths = list(_get(args, "paths", "path", default=[]) or [])
    fields = _get(args, "fields", default="")
    if isinstance(fields, dict):
        fields = ",".join(f"{k}={v}" for k, v in fields.items())
    params = dict(
        focus=args.focus,
        start=_get(args, "start", default=""),
        end=_get(args, "end", default=""),
        outlets=_get(args, "outlet", "outlets", default=""),
        categories=_get(args, "category", "categories", default=""),
        exclude_categories=_get(args, "exclude_category", "exclude_categories", default=""),
        dedup=not getattr(args, "no_dedup", False),
        fields=fields,
        tz=_get(args, "tz", default="UTC"),
        gazetteer=_get(args, "gazetteer", default=""),
        level=args.level,
        freq=args.freq,
        topics=args.topics,
        method=args.method,
        event_date=args.event_date or "",
        seed=args.seed,
    )
    quiet = bool(getattr(args, "quiet", False))
    try:
        out = run_report(paths or None, args.out, overwrite=not args.no_overwrite, progress=not quiet, **params)
    except ReportError as exc:
        print(f"analysis report: {exc}", file=sys.stderr)
        return 1
    except (FileExistsError, FileNotFoundError, TypeError, ValueError) as exc:
        print(f"analysis report: {exc}", file=sys.stderr)
        return 2
    skipped = getattr(args, "skipped", None)
    if skipped:
        import pandas as pd

        src = out / "tables" / "corpus_skipped_records.csv"
        table = pd.read_csv(src) if src.is_file() else pd.DataFrame(columns=["source_file", "line", "reason"])
        ext = str(skipped).lower()
        if ext.endswith(".parquet"):
            table.to_parquet(skipped, index=False)
        elif ext.endswith(".jsonl"):
            table.to_json(skipped, orient="records", lines=True, force_ascii=False)
        else:
            table.to_csv(skipped, index=False)
    if not quiet:
        print(f"report written to {out}/ (open {out / 'report.html'})")
    return 0
