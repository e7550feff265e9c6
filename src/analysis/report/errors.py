"""The report's errors."""
from __future__ import annotations

class ReportError(RuntimeError):
    """The report could not be produced; the message names the failing cell and its cause."""


class NotEnoughData(ValueError):
    """A report section cannot be computed on this corpus; the message says why."""

