"""The ``analysis`` command line: ``analysis COMMAND [options]``.

Each command lives in its own module ``analysis.cli.<command>`` defining
``HELP`` (one line), ``add_arguments(parser)`` and ``run(args) -> int``.
Modules import heavy dependencies inside ``run`` so ``--help`` stays fast.

Options that are report parameters (the corpus options every command shares, ``--k``,
``--freq``, ``--level`` ...) are built from the one schema in
:mod:`analysis.report.params` (:func:`add_param_options`), so a name, its default, its
choices and its checks are the same everywhere. Exit status: 0 done, 1 the work failed,
2 a bad option or an output refused (found before any work started), 128+N stopped by signal N.
"""
from __future__ import annotations

import argparse
import importlib
import pathlib
import sys

COMMANDS = ("load", "mentions", "comention", "topics", "report", "entities", "discover", "validate", "quotes")


class _Parser(argparse.ArgumentParser):
    """Errors as one paragraph (the option, the value, what to give), no usage block."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (all options: {self.prog} --help)\n")


class CommandError(Exception):
    """A bad option found by a command: ``main`` prints ``analysis COMMAND: MESSAGE`` and exits ``code``."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


def check_jobs(jobs) -> None:
    """``--jobs N``: None (all cores) or at least 1, else :class:`CommandError`."""
    if jobs is not None and jobs < 1:
        raise CommandError(f"--jobs must be at least 1 (got {jobs})")


def gazetteer_from_args(files):
    """The gazetteer of ``--gazetteer FILE...`` (a file, a list of them, or None: the built-in one);
    a malformed or unreadable file is a :class:`CommandError` naming it."""
    from analysis.entities.gazetteer import GazetteerError, load_gazetteer

    try:
        return load_gazetteer(extra=files) if files else load_gazetteer()
    except (GazetteerError, OSError) as exc:
        raise CommandError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="analysis",
        description="Arabic news coverage analysis (Russia, Syria, Iran and more).",
    )
    from analysis import __version__

    parser.add_argument("--version", action="version", version=f"analysis {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"analysis.cli.{name}")
        except ModuleNotFoundError as exc:  # command not built yet
            if exc.name == f"analysis.cli.{name}":
                continue
            raise
        p = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
        p.set_defaults(_run=module.run, _command=name)
    return parser


def main(argv: list[str] | None = None) -> int:
    from analysis.report.errors import ParameterError, ReportInterrupted

    parser = build_parser()
    args = parser.parse_args(argv)  # a bad option: SystemExit(2) with a one-paragraph message
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    try:
        return int(args._run(args) or 0)
    except CommandError as exc:
        print(f"analysis {args._command}: {exc}", file=sys.stderr)
        return exc.code
    except ParameterError as exc:  # OutputError too: found before any work started
        print(f"analysis {args._command}: error: {exc}", file=sys.stderr)
        return 2
    except ReportInterrupted as exc:
        print(f"analysis {args._command}: {exc}", file=sys.stderr)
        return 128 + exc.signum
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `analysis entities | head`
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


# --------------------------------------------------------------------------- options from the schema

class _DeprecatedFlag(argparse.Action):
    """An old spelling of an option: works, and says which to use."""

    def __init__(self, option_strings, dest, new_flag: str = "", convert=None, **kw):
        self.new_flag, self.convert = new_flag, convert
        super().__init__(option_strings, dest, **kw)

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"warning: {option_string} is deprecated: use {self.new_flag}", file=sys.stderr)
        try:
            value = self.convert(values) if self.convert else values
        except argparse.ArgumentTypeError as exc:  # the same one-paragraph error as the new flag
            parser.error(f"argument {option_string}: {exc}")
        setattr(namespace, self.dest, value)


def _converter(p):
    """argparse ``type`` that reads a value as the schema does (the same message on error)."""
    def convert(text: str):
        try:
            return p.coerce(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = p.name  # argparse names the type in some messages
    return convert


def add_param_options(parser, names, *, title: str | None = None, defaults: dict | None = None,
                      required: tuple[str, ...] = ()) -> None:
    """Add the schema's options ``names`` to ``parser`` (in a group titled ``title``).

    Each option's destination is the parameter's name; when not given it is ``None`` (the
    schema's default, or ``defaults[name]``, applies in :func:`params_from_args`), except
    bool switches (``--no-dedup`` stores False). The help shows the default and the choices.
    """
    from analysis.report.params import param

    defaults = defaults or {}
    group = parser.add_argument_group(title) if title else parser
    for name in names:
        p = param(name)
        default = defaults.get(name, p.default)
        if p.kind == "bool":
            group.add_argument(p.flag, dest=name, action="store_false" if default else "store_true",
                               default=None, help=p.flag_help or p.help)
            continue
        shown = "" if default in ("", None) else f" (default {default})"
        metavar = p.metavar or ("|".join(p.choices) if p.kind == "choice" else None)
        group.add_argument(p.flag, dest=name, default=None, metavar=metavar, type=_converter(p),
                           help=p.help + shown, required=name in required)
        for old in p.deprecated_flags:
            group.add_argument(old, dest=name, action=_DeprecatedFlag, new_flag=p.flag, convert=_converter(p),
                               default=None, help=argparse.SUPPRESS)


def params_from_args(args: argparse.Namespace, names, defaults: dict | None = None) -> dict:
    """The parameters ``names`` given on the command line (``defaults`` for the others that have one)."""
    out = {}
    for name in names:
        value = getattr(args, name, None)
        if value is None and defaults and name in defaults:
            value = defaults[name]
        if value is not None:
            out[name] = value
    return out


def add_corpus_options(parser: argparse.ArgumentParser) -> None:
    """Add the corpus options every command shares: ``PATH...`` and the loading/filter options
    of :func:`analysis.io.load.load_corpus`, from the parameter schema.

    Destinations: ``paths`` (list), the schema's names ``fields``, ``tz``, ``start``, ``end``,
    ``outlets`` (``--outlet``), ``categories`` (``--category``), ``exclude_categories``
    (``--exclude-category``), ``dedup`` (``--no-dedup``), and ``skipped``, ``quiet``.
    """
    from analysis.report.params import CORPUS_PARAMS

    parser.add_argument(
        "paths", nargs="*", metavar="PATH",
        help="files, folders (read recursively) or glob patterns: scraped pages .txt, "
        ".jsonl, .json, .csv, .tsv, .parquet, also .gz or in .zip (default: the sample corpus data/sample)",
    )
    add_param_options(parser, CORPUS_PARAMS, title="corpus")
    g = [a for a in parser._action_groups if a.title == "corpus"][0]
    g.add_argument("--skipped", default=None, metavar="FILE",
                   help="write what could not be loaded (source_file, line, reason) to FILE (.csv/.jsonl/.parquet)")
    g.add_argument("--quiet", action="store_true", help="no progress bar, summary or warnings")


def add_csv_option(parser: argparse.ArgumentParser) -> None:
    """``--no-csv-safe``: write CSV cells as they are (default: formula cells neutralized)."""
    add_param_options(parser, ["csv_safe"], title="output")


def check_out_file(args: argparse.Namespace, path, suffixes: tuple[str, ...], *, flag: str = "--out",
                   inputs=()) -> "pathlib.Path":
    """Check an output file before any work: its suffix, and
    :func:`analysis.report.outputs.check_output_file` against the corpus inputs (and ``inputs``).
    Raises :class:`~analysis.report.errors.ParameterError` / ``OutputError`` (exit 2)."""
    from pathlib import Path

    from analysis.report.errors import ParameterError
    from analysis.report.outputs import check_output_file

    p = Path(path)
    if p.suffix.lower() not in suffixes:
        raise ParameterError(f"{flag} {path}: the file name must end in {', '.join(suffixes)}")
    files, folders = corpus_inputs(args)
    return check_output_file(path, inputs=[*files, *folders, *inputs], input_folders=folders)


def write_output(df, path, *, csv_safe: bool = True):
    """Write a table by its suffix, atomically: ``.csv``/``.tsv`` through
    :func:`analysis.report.export.write_csv` (UTF-8 with BOM, formula cells neutralized unless
    ``csv_safe=False``), ``.parquet``/``.pq``, ``.jsonl``. Returns the path."""
    from pathlib import Path

    from analysis.report.export import write_csv
    from analysis.report.outputs import atomic_path

    path = Path(path)
    suf = path.suffix.lower()
    if suf in (".parquet", ".pq"):
        with atomic_path(path) as tmp:
            df.to_parquet(tmp, index=False)
    elif suf == ".jsonl":
        with atomic_path(path) as tmp:
            df.to_json(tmp, orient="records", lines=True, force_ascii=False)
    else:
        write_csv(df, path, csv_safe=csv_safe, sep="\t" if suf == ".tsv" else ",")
    return path


class CorpusError(SystemExit):
    """Nothing could be loaded (exit status 1); the message says why."""


def corpus_inputs(args: argparse.Namespace):
    """The input files and folders named by the corpus arguments (for output checks): ``(files, folders)``.

    Raises :class:`~analysis.report.errors.ParameterError` for a path that does not exist or a
    pattern that matches nothing."""
    from analysis.report.outputs import corpus_inputs as expand

    return expand(list(getattr(args, "paths", None) or []) or None)


def load_from_args(args: argparse.Namespace):
    """Load the corpus named by :func:`add_corpus_options` arguments.

    The options are checked first (:func:`analysis.report.params.validate_params`, exit 2 with
    a message); when a filter is given, the corpus is first read without the filters to check
    that each outlet and category exists and the filters leave something (naming the filter).
    Prints the summary line (and warnings, the first skipped inputs) to stderr unless
    ``--quiet``; writes ``--skipped FILE``. Exits with status 1 and a message when nothing
    could be loaded.
    """
    import pandas as pd

    from analysis.io.load import SkippedInputWarning, load_corpus, summary_line
    from analysis.report.errors import ParameterError
    from analysis.report.params import CORPUS_PARAMS, split_items, validate_params

    quiet = bool(getattr(args, "quiet", False))
    paths = list(getattr(args, "paths", None) or []) or None
    given = params_from_args(args, CORPUS_PARAMS)
    values = validate_params(given, style="cli")
    files, folders = corpus_inputs(args)
    skipped_out = None
    if getattr(args, "skipped", None):
        from analysis.report.outputs import check_output_file

        skipped_out = check_output_file(args.skipped, inputs=[*files, *folders], input_folders=folders)
    common = dict(fields=values["fields"] or None, tz=values["tz"])
    filters = dict(start=values["start"] or None, end=values["end"] or None,
                   outlets=split_items(values["outlets"]) or None, categories=split_items(values["categories"]) or None,
                   exclude_categories=split_items(values["exclude_categories"]) or None)
    if any(filters.values()):
        raw = load_corpus(paths, dedup=False, progress=not quiet, warn=False, **common)
        if len(raw):
            validate_params(values, articles=raw, style="cli")
        del raw
    try:  # warn=False: the load's warnings are listed, not emitted (no process-global filter)
        df = load_corpus(paths, dedup=values["dedup"], progress=not quiet, warn=False, **common, **filters)
    except (FileNotFoundError, ValueError) as exc:
        raise ParameterError(str(exc)) from None
    caught = df.attrs.pop("warnings", [])
    summary = df.attrs["summary"]
    skipped = df.attrs["skipped"]
    if skipped_out is not None:
        from analysis.report.export import write_skipped

        write_skipped(skipped, skipped_out, csv_safe=getattr(args, "csv_safe", None) is not False)
    if not quiet:
        for category, message in caught:
            if not issubclass(category, SkippedInputWarning):  # listed below instead
                print(f"warning: {message}", file=sys.stderr)
        for row in skipped.head(10).itertuples(index=False):
            where = row.source_file if pd.isna(row.line) else f"{row.source_file}:{row.line}"
            print(f"skipped: {where}: {row.reason}", file=sys.stderr)
        if len(skipped) > 10:
            more = " (all in the --skipped file)" if getattr(args, "skipped", None) else " (list them all with --skipped FILE)"
            print(f"skipped: ... and {len(skipped) - 10:,} more{more}", file=sys.stderr)
        print(summary_line(summary), file=sys.stderr)
    if len(df) == 0:
        if summary["records"] == 0 and summary["skipped"] == 0:
            why = "no input files found"
        elif summary["filtered_out"] and summary["loaded"] == 0 and summary["records"] > summary["skipped"]:
            why = f"all {summary['filtered_out']:,} articles were left out by the filters"
        else:
            reasons = sorted(set(skipped["reason"].astype(str)))[:3]
            why = f"all {summary['skipped']:,} input(s) were skipped ({'; '.join(reasons)})"
        print(f"analysis: nothing loaded: {why}", file=sys.stderr)
        raise CorpusError(1)
    return df


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    """``--engine memory|dask`` and the Dask options (``--scheduler``, ``--workers``, ``--memory-limit``,
    ``--blocksize``) of the commands that run on :mod:`analysis.dask`; imports nothing of Dask."""
    g = parser.add_argument_group("engine")
    g.add_argument("--engine", choices=("memory", "dask"), default="memory",
                   help="memory (default): one process; dask: partitions on a dask cluster, memory bounded by "
                   "the cluster's, not the corpus")
    g.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="with --engine dask: a running scheduler (tcp://HOST:8786); default: a local cluster")
    g.add_argument("--workers", type=int, default=None, metavar="N",
                   help="with --engine dask: worker processes of the local cluster (default: all cores)")
    g.add_argument("--memory-limit", default=None, metavar="SIZE",
                   help="with --engine dask: memory per local worker, e.g. 4GB (default: shared out)")
    g.add_argument("--blocksize", default="64MB", metavar="SIZE",
                   help="with --engine dask: bytes of JSON Lines per partition (default 64MB)")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
