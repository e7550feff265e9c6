"""CSV that spreadsheets open safely: formula cells neutralized, UTF-8 with a BOM, written atomically.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some, a tab
or carriage return) as a formula: an outlet called ``=HYPERLINK(...)`` or a title
``+cmd|...`` in a corpus would run when a researcher opens the table. As OWASP recommends
(https://owasp.org/www-community/attacks/CSV_Injection), :func:`neutralize_formulas` prefixes such
string cells with a single quote, which spreadsheets show as text. Only string cells of
text columns change: numbers (``-0.12`` as a float, or a string that is just a number such
as ``-0.12`` or ``-inf``) stay as they are. The UTF-8 byte-order mark makes Excel read Arabic as UTF-8.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Sequence

from analysis.report.outputs import atomic_path

__all__ = ["FORMULA_START", "neutralize_formulas", "text_columns", "write_csv", "write_skipped"]

#: first characters a spreadsheet reads as the start of a formula
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: a number written as text (``-0.12``, ``+3``, ``1e-5``, ``-inf``): nothing a spreadsheet would run
_NUMBER = re.compile(r"[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|inf|infinity|nan)", re.I)


def text_columns(df) -> list:
    """The columns of ``df`` that hold text (object or string dtype)."""
    import pandas as pd

    return [c for c in df.columns
            if pd.api.types.is_object_dtype(df[c]) or pd.api.types.is_string_dtype(df[c])]


def neutralize_formulas(df, columns: Sequence | None = None):
    """A copy of ``df`` whose string cells starting with ``= + - @``, tab or CR get a leading ``'``.

    ``columns``: the columns to treat (default: :func:`text_columns`); other cells, non-string
    values and strings that are just a number (``-0.5``, ``+3``) are left unchanged. Returns
    ``df`` itself when nothing needs to change.
    """
    out = None
    for c in (text_columns(df) if columns is None else [c for c in columns if c in df.columns]):
        s = df[c]
        first = s.map(lambda v: v[:1] if isinstance(v, str) else "", na_action="ignore")
        risky = first.isin(FORMULA_START)
        if not risky.any():
            continue
        risky &= ~s.where(risky, "").map(lambda v: bool(_NUMBER.fullmatch(v)) if isinstance(v, str) else False)
        if not risky.any():
            continue
        if out is None:
            out = df.copy()
        col = out[c].astype(object)
        col[risky.to_numpy()] = "'" + s[risky].astype(str)
        out[c] = col if s.dtype == object else col.astype(s.dtype)
    return df if out is None else out


def _line_breaks(df, columns: Sequence | None):
    """``df`` with carriage returns inside text cells written as ``\n`` (a CSV writer quotes a cell
    holding ``\n`` but not one holding a bare ``\r``, which readers then take for the end of the row)."""
    out = None
    for c in (text_columns(df) if columns is None else [c for c in columns if c in df.columns]):
        s = df[c]
        has_cr = s.map(lambda v: isinstance(v, str) and "\r" in v, na_action="ignore").fillna(False).astype(bool)
        if not has_cr.any():
            continue
        if out is None:
            out = df.copy()
        col = out[c].astype(object)
        col[has_cr.to_numpy()] = s[has_cr].astype(str).str.replace("\r\n", "\n", regex=False).str.replace(
            "\r", "\n", regex=False)
        out[c] = col if s.dtype == object else col.astype(s.dtype)
    return df if out is None else out


def write_csv(df, path: str | os.PathLike, *, csv_safe: bool = True, bom: bool = True,
              columns: Sequence | None = None, sep: str = ",", lineterminator: str = "\n",
              index: bool = False, **to_csv) -> Path:
    """Write ``df`` as CSV (or TSV with ``sep="\\t"``) that spreadsheets open safely; returns the path.

    - ``csv_safe``: neutralize formula cells (:func:`neutralize_formulas`, on ``columns`` or the text
      columns); ``False`` writes every cell as it is.
    - ``bom``: UTF-8 with a byte-order mark (Excel then reads Arabic right); else plain UTF-8.
    - A carriage return inside a text cell is written as ``\n`` (pandas leaves a cell with a bare
      CR unquoted, and CSV readers would end the row there).
    - Written to a temporary file beside ``path`` and renamed: a reader never sees half a
      file, and a failed write leaves ``path`` as it was. ``\\n`` line ends by default.

    Other keyword arguments go to :meth:`pandas.DataFrame.to_csv`. Same frame, same bytes.
    """
    table = _line_breaks(neutralize_formulas(df, columns) if csv_safe else df, columns)
    with atomic_path(path) as tmp:
        table.to_csv(tmp, sep=sep, index=index, lineterminator=lineterminator,
                     encoding="utf-8-sig" if bom else "utf-8", **to_csv)
    return Path(path)


def write_skipped(table, path, *, csv_safe: bool = True) -> Path:
    """Write the skipped table atomically (CSV through :func:`~analysis.report.export.write_csv`)."""
    from analysis.io.load import save_skipped

    path = Path(path)
    if path.suffix.lower() in (".parquet", ".jsonl"):
        with atomic_path(path) as tmp:
            save_skipped(table, tmp)
    else:
        write_csv(table, path, csv_safe=csv_safe, sep="\t" if path.suffix.lower() == ".tsv" else ",")
    return path
