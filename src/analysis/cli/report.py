"""``analysis report PATH... --out reports/NAME``: the coverage report (HTML, tables, figures, manifest).

Every option is a report parameter of the schema in :mod:`analysis.report.params`; all of
them, and the output folder, are checked before any work starts (exit status 2 with a
message). ``--notebook MY.ipynb`` runs your own notebook with the same parameters, checks
and manifest.
"""
from __future__ import annotations

import argparse
import sys

HELP = "run the coverage report notebook on a corpus: HTML, tables, figures and a manifest"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from analysis.cli import add_corpus_options, add_param_options
    from analysis.report.params import REPORT_PARAMS

    add_corpus_options(parser)
    g = parser.add_argument_group("report")
    g.add_argument("--out", required=True, metavar="DIR",
                   help="report folder, e.g. reports/NAME: new, empty, or a previous report (replaced once "
                   "the new one is complete); anything else is refused")
    g.add_argument("--notebook", default=None, metavar="FILE.ipynb",
                   help="run your own notebook (it needs a cell tagged 'parameters') instead of the shipped one")
    g.add_argument("--no-overwrite", action="store_true",
                   help="fail when the report folder holds a previous report (default: replace it)")
    add_param_options(parser, REPORT_PARAMS, title="report parameters")


def run(args: argparse.Namespace) -> int:
    from analysis.cli import params_from_args
    from analysis.report.errors import ReportError
    from analysis.report.params import CORPUS_PARAMS, REPORT_PARAMS
    from analysis.report.run import run_report

    params = params_from_args(args, CORPUS_PARAMS + REPORT_PARAMS)
    quiet = args.quiet
    try:
        out = run_report(args.paths or None, args.out, notebook=args.notebook, overwrite=not args.no_overwrite,
                         progress=not quiet, skipped=args.skipped, option_names=True, **params)
    except ReportError as exc:
        print(f"analysis report: {exc}", file=sys.stderr)
        return 1
    if not quiet:
        print(f"report written to {out}/ (open {out / 'report.html'})")
    return 0
