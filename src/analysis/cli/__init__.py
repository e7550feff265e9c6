"""The ``analysis`` command line: ``analysis COMMAND [options]``.

Each command lives in its own module ``analysis.cli.<command>`` defining
``HELP`` (one line), ``add_arguments(parser)`` and ``run(args) -> int``.
Modules import heavy dependencies inside ``run`` so ``--help`` stays fast.
"""
from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS = ("load", "mentions", "comention", "topics", "report")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
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
        p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    try:
        return int(args._run(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
