"""Periods: choose the period length from the corpus span, mark partial periods."""
from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.measures.cooccurrence import UNDATED, period_labels

__all__ = ["choose_freq", "period_table", "FREQ_NAMES"]

#: period codes and their names
FREQ_NAMES = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}


def choose_freq(published) -> str:
    """The period length for a corpus span: up to 6 weeks ``"D"``, up to 6 months
    ``"W"``, up to 4 years ``"M"``, up to 15 years ``"Q"``, longer ``"Y"``.

    A three-week corpus gets days, not a monthly chart of two points. An
    undated corpus gets ``"M"``.
    """
    ts = pd.to_datetime(pd.Series(published), utc=True, errors="coerce").dropna()
    if ts.empty:
        return "M"
    span_days = (ts.max() - ts.min()).total_seconds() / 86400
    for code, limit in (("D", 42), ("W", 183), ("M", 4 * 365.25), ("Q", 15 * 365.25)):
        if span_days <= limit:
            return code
    return "Y"


def _period_bounds(label: str, freq: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    if freq == "Q":
        year, q = label.split("-Q")
        start = pd.Timestamp(year=int(year), month=3 * int(q) - 2, day=1)
        return start, start + pd.DateOffset(months=3)
    start = pd.Timestamp(label)
    step = {"D": pd.DateOffset(days=1), "W": pd.DateOffset(days=7), "M": pd.DateOffset(months=1),
            "Y": pd.DateOffset(years=1)}[freq]
    return start, start + step


def period_table(published, freq: str) -> pd.DataFrame:
    """Every period of the span: ``period``, ``start``, ``end`` (exclusive), ``n_articles``,
    ``partial`` (True when the corpus span covers the period only in part: the first
    and last periods, typically).
    """
    freq = str(freq).upper()
    if freq not in FREQ_NAMES:
        raise ValueError(f"freq must be one of {', '.join(FREQ_NAMES)}; got {freq!r}")
    ts = pd.to_datetime(pd.Series(published), utc=True, errors="coerce")
    labels = period_labels(ts, freq)
    counts = labels[labels != UNDATED].value_counts()
    dated = ts.dropna().dt.tz_convert("UTC").dt.tz_localize(None)
    cols = ["period", "start", "end", "n_articles", "partial"]
    if dated.empty:
        return pd.DataFrame(columns=cols)
    lo, hi = dated.min().normalize(), dated.max().normalize() + pd.Timedelta(days=1)
    all_labels = period_labels(pd.Series(pd.date_range(lo, hi - pd.Timedelta(days=1), freq="D")), freq)
    rows = []
    for lab in pd.unique(all_labels.to_numpy()):
        start, end = _period_bounds(lab, freq)
        rows.append({"period": lab, "start": start, "end": end, "n_articles": int(counts.get(lab, 0)),
                     "partial": bool(start < lo or end > hi)})
    out = pd.DataFrame(rows, columns=cols)
    out["n_articles"] = out["n_articles"].astype(np.int64)
    return out
