"""What a load could not use, and what it had to repair: the two tables it reports.

``articles.attrs["skipped"]`` lists inputs that did not become articles
(columns ``source_file``, ``line``, ``reason``, ``kind``): whole files (``line``
<NA>) and single records (``line`` = the record's 1-based line, row number
for Parquet). ``articles.attrs["problems"]`` lists values of KEPT articles
that were repaired or set to missing (columns ``source_file``, ``line``,
``field``, ``kind``, ``detail``).

``kind`` is a short, stable category to group by; ``reason`` and ``detail``
keep the particulars. Skipped kinds: ``empty file``, ``empty text``,
``binary``, ``encoding``, ``unsupported``, ``unreadable``, ``bad json``,
``bad csv``, ``bad parquet``, ``bad gzip``, ``bad zip``, ``truncated``,
``too large``, ``bad record``, ``no records``, ``no text column``. Problem
kinds: ``encoding`` (bytes replaced by U+FFFD), ``nul byte`` (NUL removed),
``bad date`` (unreadable), ``date out of range``, ``timezone`` (unknown
abbreviation, impossible offset), ``bad value`` (a field of the wrong type),
``bad json`` (a defect that lost nothing, e.g. a trailing comma),
``repeated id``.

Everything here is per call: a :class:`LoadLog` belongs to one load.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

__all__ = [
    "LoadWarning", "SkippedInputWarning", "SkipInput", "TooLarge", "StreamBroken", "Truncated",
    "AttrTable", "SkippedTable", "LoadLog", "SKIPPED_COLUMNS", "PROBLEM_COLUMNS",
    "skipped_table", "problems_table",
]

SKIPPED_COLUMNS = ["source_file", "line", "reason", "kind"]
PROBLEM_COLUMNS = ["source_file", "line", "field", "kind", "detail"]


class LoadWarning(UserWarning):
    """Something in the input was skipped, repaired or could not be read."""


class SkippedInputWarning(LoadWarning):
    """Some files or records were skipped (listed in ``attrs["skipped"]``)."""


class SkipInput(Exception):
    """A whole input (file, archive member) or one record cannot be used."""

    def __init__(self, reason: str, kind: str, line: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.kind = kind
        self.line = line


class TooLarge(SkipInput):
    """An input expands beyond the ``max_bytes`` cap."""

    def __init__(self, what: str, limit: int):
        super().__init__(f"{what} expands beyond max_bytes={limit:,} bytes ({_size(limit)}); refused "
                         "(raise it with load_corpus(max_bytes=...) or ANALYSIS_MAX_BYTES)", "too large")


class StreamBroken(SkipInput):
    """The data broke off in the middle (corrupt or truncated): what came
    before is usable, the rest is lost."""


class Truncated(StreamBroken):
    """A compressed stream ended early; what came before it was read."""

    def __init__(self, reason: str):
        super().__init__(reason, "truncated")


def _size(n: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:g} {unit}" if unit == "bytes" else f"{n:.4g} {unit}"
        n /= 1024
    return str(n)  # pragma: no cover


class AttrTable(pd.DataFrame):
    """A table kept in ``articles.attrs`` (the skipped and problems tables).

    A plain DataFrame, except that ``==`` between whole tables answers one
    bool (``DataFrame.equals``). pandas compares the ``attrs`` of frames it
    concatenates or merges with ``==``; with a plain DataFrame there that
    raises "truth value of a DataFrame is ambiguous" in ``pd.concat``,
    ``merge``, ``melt`` and ``groupby().apply`` on the articles table.
    """

    @property
    def _constructor(self):
        return AttrTable

    def __eq__(self, other):  # type: ignore[override]
        return isinstance(other, pd.DataFrame) and self.equals(other)

    def __ne__(self, other):  # type: ignore[override]
        return not self.__eq__(other)

    __hash__ = None  # type: ignore[assignment]


SkippedTable = AttrTable  # the name earlier versions used


@dataclass
class LoadLog:
    """Skipped inputs and problems of one load, plus the files it read.

    Lines of JSON array elements are first stored as ``-(index + 1)`` and
    resolved at the end through ``line_resolvers[source]`` (a second look at
    the file is needed only when something there is reported).
    """

    skipped: list = field(default_factory=list)   # (source, line, reason, kind)
    problems: list = field(default_factory=list)  # (source, line, field, kind, detail, row)
    inputs: list = field(default_factory=list)    # {path, sha256, bytes}
    ignored: list = field(default_factory=list)   # documentation files left out
    reports: list = field(default_factory=list)   # report folders left out
    line_resolvers: dict = field(default_factory=dict)
    _lines: dict = field(default_factory=dict)

    def skip(self, source: str, line: int | None, reason: str, kind: str) -> None:
        self.skipped.append((source, line, reason, kind))

    def skip_exc(self, source: str, exc: SkipInput) -> None:
        self.skipped.append((source, exc.line, exc.reason, exc.kind))

    def problem(self, source: str, line: int | None, fld: str | None, kind: str, detail: str,
                row: int = -1) -> None:
        """A repaired or missing value; ``row`` is the row of the collected
        records it belongs to (-1: the file, not one record)."""
        self.problems.append((source, line, fld, kind, detail, row))

    def real_line(self, source: str, line):
        """The 1-based line of a record (JSON array elements looked up now)."""
        if line is None or line >= 0:
            return line
        if source not in self._lines:
            resolver: Callable | None = self.line_resolvers.get(source)
            self._lines[source] = resolver() if resolver else []
        found = self._lines[source]
        return found[-line - 1] if -line - 1 < len(found) else None

    def skipped_rows(self) -> list[tuple]:
        """The skipped inputs as ``(source_file, line, reason, kind)`` with real lines (a JSON
        array element's line looked up, its element number added to the reason)."""
        return [(src, self.real_line(src, line),
                 reason if line is None or line >= 0 else f"{reason} (element {-line} of the JSON array)", kind)
                for src, line, reason, kind in self.skipped]

    def problem_rows(self, keep_rows=None) -> list[tuple]:
        """The problems of the rows in ``keep_rows`` (a set; None: all) and of whole files, as
        ``(source_file, line, field, kind, detail, row)`` with real lines."""
        return [(src, self.real_line(src, line), fld, kind, detail, row)
                for src, line, fld, kind, detail, row in self.problems
                if row < 0 or keep_rows is None or row in keep_rows]

    def skipped_table(self) -> AttrTable:
        return skipped_table(self.skipped_rows())

    def problems_table(self, keep_rows=None) -> AttrTable:
        """Problems of the rows in ``keep_rows`` (a set; None: all) and of whole files."""
        return problems_table([p[:5] for p in self.problem_rows(keep_rows)])


def skipped_table(rows) -> AttrTable:
    """The ``attrs["skipped"]`` table of ``(source_file, line, reason, kind)`` tuples (lines already
    real): columns ``source_file``, ``line`` (Int64), ``reason``, ``kind``, sorted by file and line."""
    return _table(rows, SKIPPED_COLUMNS)


def problems_table(rows) -> AttrTable:
    """The ``attrs["problems"]`` table of ``(source_file, line, field, kind, detail)`` tuples: columns
    ``source_file``, ``line`` (Int64), ``field``, ``kind``, ``detail``, sorted by file and line."""
    return _table(rows, PROBLEM_COLUMNS)


def _table(rows, columns: list[str]) -> AttrTable:
    df = AttrTable(list(rows), columns=columns)
    for col in columns:
        df[col] = pd.array(df[col].tolist(), dtype="Int64") if col == "line" else df[col].astype(object)
    return df.sort_values(["source_file", "line"], kind="stable", na_position="first").reset_index(drop=True)
