"""HTML and CSV formatting for the report: escaping, tables, notes, embedded figures."""
from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

import pandas as pd


def html_escape(text: Any) -> str:
    """Escape text for HTML, including ``$`` (MathJax would read ``$...$`` as math)."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return ""
    return html.escape(str(text), quote=True).replace("$", "&#36;")


_WRAP = '<div class="tex2jax_ignore mathjax_ignore" dir="auto">{}</div>'


def wrap_html(markup: str) -> str:
    """Markup in a block MathJax leaves alone, laid out in the text's own direction."""
    return _WRAP.format(markup)


_NOTE_STYLES = {
    "note": "background:#eef4fb;border-left:4px solid #4a7ab5",
    "warning": "background:#fff4e5;border-left:4px solid #e69500",
}


def note_html(text: str, kind: str = "note") -> str:
    """A short escaped paragraph, styled by ``kind`` (note or warning)."""
    style = _NOTE_STYLES.get(kind, _NOTE_STYLES["note"])
    return f'<p style="{style};padding:6px 10px">{html_escape(text)}</p>'


def figure_html(png: bytes, alt: str = "") -> str:
    """An ``<img>`` with the PNG embedded (base64), so the page needs no other file; shown at the
    size of a 110-dpi image (:data:`analysis.plotting.DPI`) though saved at 150 dpi
    (:data:`analysis.plotting.SAVE_DPI`), so the page keeps its layout and the figures are sharp."""
    import base64

    from analysis.plotting import DPI, SAVE_DPI

    data = base64.b64encode(png).decode("ascii")
    width = ""
    if png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) >= 24:
        width = f";width:{round(int.from_bytes(png[16:20], 'big') * DPI / SAVE_DPI)}px"
    return f'<img src="data:image/png;base64,{data}" alt="{html_escape(alt)}" style="max-width:100%{width}">'


# --------------------------------------------------------------------------- tables

def split_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value).split(",") if v.strip()]


def format_table(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with deterministic text for CSV: timestamps as ISO text,
    lists joined with ``|``, floats with 6 significant digits."""
    out = df.copy()
    for c in out.columns:
        s = out[c]
        if pd.api.types.is_datetime64_any_dtype(s):
            ts = s.dt.tz_convert("UTC").dt.tz_localize(None) if getattr(s.dt, "tz", None) is not None else s
            whole_days = bool(((ts.dropna() - ts.dropna().dt.normalize()) == pd.Timedelta(0)).all())
            out[c] = ts.dt.strftime("%Y-%m-%d" if whole_days else "%Y-%m-%dT%H:%M:%SZ").where(ts.notna(), "")
        elif s.dtype == object and s.map(lambda v: isinstance(v, (list, tuple, set))).any():
            out[c] = s.map(lambda v: "|".join(map(str, sorted(v) if isinstance(v, set) else v))
                           if isinstance(v, (list, tuple, set)) else v)
        elif pd.api.types.is_float_dtype(s):
            out[c] = s.map(lambda v: "" if pd.isna(v) else ("inf" if v == float("inf") else
                                                          "-inf" if v == float("-inf") else f"{v:.6g}"))
    return out


def write_table(df: pd.DataFrame, path: str | os.PathLike, csv_safe: bool = True) -> Path:
    """Write a table as CSV for spreadsheets (UTF-8 with BOM; formula-like text cells neutralized
    unless ``csv_safe=False``, see :func:`analysis.report.export.write_csv`), byte-identical for
    identical content."""
    from analysis.report.export import text_columns, write_csv

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_csv(format_table(df), path, columns=text_columns(df), csv_safe=csv_safe)


#: shown tables give these columns (proportions in the CSV files) as percentages; differences
#: (``diff*``, ``boot*``) as percentage points
_PERCENT_PREFIXES = ("share", "diff", "boot_", "dominant_share")


def is_percent_column(name) -> bool:
    """Whether a shown table gives column ``name`` as a percentage (or percentage points)."""
    n = str(name)
    return n.startswith(_PERCENT_PREFIXES) and n not in ("share_ab_per_1k",)


def is_p_column(name) -> bool:
    """Whether column ``name`` holds p-values (``p``, ``p_value``, ``p_adjusted``, ``p_clustered``...)."""
    n = str(name)
    return n == "p" or n.startswith("p_")


def table_html(df: pd.DataFrame, max_rows: int = 30, caption: str = "", digits: int = 3) -> str:
    """Escaped HTML for a table (cell text, headers, caption; ``$`` included);
    floats shown with ``digits`` significant digits; p-values by
    :func:`analysis.stats.summary.format_p`, so a p of 0 reads ``< 1/(n+1)`` with the table's
    resample count (column ``n_resamples``, or ``df.attrs["n_resamples"]``), else ``< 1e-300``."""
    from analysis.stats.summary import format_p

    shown = df.head(max_rows).copy()
    n_res = shown["n_resamples"] if "n_resamples" in shown.columns else \
        pd.Series(df.attrs.get("n_resamples"), index=shown.index, dtype=object)
    for c in shown.columns:
        if is_p_column(c) and pd.api.types.is_float_dtype(shown[c]):
            shown[c] = [format_p(v, None if n is None or pd.isna(n) else int(n), digits=digits)
                        for v, n in zip(shown[c], n_res)]
        elif is_percent_column(c) and pd.api.types.is_float_dtype(shown[c]):
            points = str(c).startswith(("diff", "boot"))
            shown[c] = shown[c].map(lambda v: "" if pd.isna(v) else (f"{100 * v:+.1f}" if points else
                                                                   f"{100 * v:.1f} %"))
        elif pd.api.types.is_float_dtype(shown[c]):
            shown[c] = shown[c].map(lambda v: "" if pd.isna(v) else f"{v:.0f}" if abs(v) >= 10 ** digits
                                    else f"{v:.{digits}g}")
    cols = [str(c) for c in shown.columns]
    fmt = format_table(shown)
    head = "".join(f"<th>{html_escape(c)}</th>" for c in cols)
    rows = []
    for rec in fmt.itertuples(index=False):
        rows.append("<tr>" + "".join(f"<td>{html_escape(v)}</td>" for v in rec) + "</tr>")
    more = ""
    if len(df) > max_rows:
        more = f'<p class="report-more">{len(df) - max_rows} more rows in the CSV file.</p>'
    cap = f"<caption>{html_escape(caption)}</caption>" if caption else ""
    return (f'<table class="dataframe report-table">{cap}<thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>{more}')
