"""HTML and CSV formatting for the report: escaping, tables, labels."""
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


def display_html(markup: str) -> None:
    from IPython.display import HTML, display

    display(HTML(_WRAP.format(markup)))


def entity_label(gazetteer, entity_id: str, english: bool = True) -> str:
    """An entity's Arabic display name, with its English label beside it: ``روسيا (Russia)``."""
    ar, en = entity_id, ""
    if gazetteer is not None:
        ents = getattr(gazetteer, "entities", None)
        row = None
        if ents is not None and len(ents):
            hit = ents[ents["entity_id"] == entity_id]
            if len(hit):
                row = hit.iloc[0]
        if row is not None:
            ar = str(row.get("name_ar") or entity_id)
            en = str(row.get("label_en") or "")
        else:
            try:
                ar = gazetteer.label(entity_id, lang="ar") or entity_id
            except Exception:
                ar = entity_id
    if english and en and en != ar:
        en = en.replace(" (", ", ").replace("(", "").replace(")", "")  # no nested brackets (bidi)
        return f"{ar} ({en})"
    return ar


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


def write_table(df: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write a table as UTF-8 CSV, byte-identical for identical content."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    format_table(df).to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    return path


def table_html(df: pd.DataFrame, max_rows: int = 30, caption: str = "", digits: int = 3) -> str:
    """Escaped HTML for a table (cell text, headers, caption; ``$`` included);
    floats shown with ``digits`` significant digits."""
    shown = df.head(max_rows).copy()
    for c in shown.columns:
        if pd.api.types.is_float_dtype(shown[c]):
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
