"""The report's errors.

Exit codes of the command line: :class:`ParameterError` and :class:`OutputError`
(a bad option, found before any work started) exit with status 2;
:class:`ReportError` (the notebook failed) with status 1.
"""
from __future__ import annotations


class ReportError(RuntimeError):
    """The report could not be produced; the message names the failing cell and its cause."""


class NotEnoughData(ValueError):
    """A report section cannot be computed on this corpus; the message says why."""


class ParameterError(ValueError):
    """A parameter is invalid (found before any work started); the message, one paragraph,
    names each bad parameter, its value and what to give instead. ``problems`` lists them."""

    exit_code = 2

    def __init__(self, problems: list[str] | str, what: str = "parameter"):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        if len(self.problems) == 1:
            msg = self.problems[0]
        else:
            msg = f"{len(self.problems)} problems with the {what}s: " + "; ".join(
                f"({i}) {p}" for i, p in enumerate(self.problems, 1))
        super().__init__(msg)


class OutputError(ParameterError):
    """An output path is refused before any work started (it would destroy or mix with files the
    package did not make); the message says what is there and what to do."""

    def __init__(self, problem: str):
        super().__init__([problem], what="output")


class ReportInterrupted(KeyboardInterrupt):
    """The report was stopped by a signal (SIGINT, SIGTERM, SIGHUP): its kernel and workers were
    killed and its temporary folder removed; a previous report is untouched. ``signum``: the signal."""

    def __init__(self, signum: int):
        import signal

        self.signum = int(signum)
        try:
            name = signal.Signals(signum).name
        except ValueError:
            name = f"signal {signum}"
        super().__init__(f"stopped by {name}: no report written (a previous report is untouched)")


def nothing_loaded_message(skipped) -> str:
    """Why a report cannot start: "nothing could be loaded from the corpus (FILE line N: REASON; ...);
    no report without articles", naming up to five of the ``skipped`` records (a skipped table)."""
    import pandas as pd

    why = ""
    if isinstance(skipped, pd.DataFrame) and len(skipped):
        why = "; ".join(f"{r.source_file}" + (f" line {int(r.line)}" if pd.notna(r.line) else "")
                        + f": {r.reason}" for r in skipped.head(5).itertuples())
        if len(skipped) > 5:
            why += f"; ... {len(skipped) - 5:,} more"
    return "nothing could be loaded from the corpus" + (f" ({why})" if why else "") + "; no report without articles"
