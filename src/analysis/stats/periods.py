"""Periods: choose the period length from the corpus span, mark partial periods.

:func:`choose_freq` picks day, week, month, quarter or year from the span of the
corpus (the middle 98 % of its dated articles, so that a few stragglers years away
do not turn a one-year corpus into a quarterly one); :func:`period_table` lists every
period of the span and says which the corpus covers only in part (the first and the
last, typically: a corpus from 10 January to 20 March has partial January and March
months); :func:`mark_partial` adds that ``partial`` column to any table with a
``period`` column of :func:`analysis.measures.cooccurrence.period_labels` labels.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.measures.cooccurrence import UNDATED, check_freq, period_labels

__all__ = ["choose_freq", "span_of", "period_table", "mark_partial", "describe_freq", "FREQ_NAMES", "AUTO"]

#: period codes and their names
FREQ_NAMES = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}
#: the ``freq`` value that asks for :func:`choose_freq`
AUTO = "auto"
#: the span limits of :func:`choose_freq`, in days
_LIMITS = (("D", 42), ("W", 183), ("M", 4 * 365.25), ("Q", 15 * 365.25))
_TRIM = 0.01  # the span runs from the 1st to the 99th percentile of the dates


def _dated(published) -> pd.Series:
    """The dated timestamps of ``published``, in UTC wall-clock time (tz-naive), sorted."""
    ts = pd.to_datetime(pd.Series(published), utc=True, errors="coerce").dropna()
    return ts.dt.tz_localize(None).sort_values(kind="mergesort").reset_index(drop=True)


def span_of(published) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The span :func:`choose_freq` reads: the 1st and the 99th percentile of the dated
    timestamps (``method="lower"`` / ``"higher"``, so both are dates of articles); None when
    nothing is dated."""
    ts = _dated(published)
    if ts.empty:
        return None
    return ts.quantile(_TRIM, interpolation="lower"), ts.quantile(1 - _TRIM, interpolation="higher")


def choose_freq(published) -> str:
    """The period length for a corpus span: up to 6 weeks ``"D"``, up to 6 months
    ``"W"``, up to 4 years ``"M"``, up to 15 years ``"Q"``, longer ``"Y"``.

    The span is that of the middle 98 % of the dated articles (:func:`span_of`).
    A three-week corpus gets days, not a monthly chart of two points. An
    undated corpus gets ``"M"``.
    """
    span = span_of(published)
    if span is None:
        return "M"
    span_days = (span[1] - span[0]).total_seconds() / 86400
    for code, limit in _LIMITS:
        if span_days <= limit:
            return code
    return "Y"


def describe_freq(published, freq: str, requested: str = AUTO) -> str:
    """One sentence for the report: ``"Periods: weeks, chosen from the 3-week span of the dated
    articles (2018-01-10 to 2018-02-01)."`` (``requested`` ``"auto"``) or ``"Periods: months (the
    freq parameter)."``"""
    name = FREQ_NAMES[check_freq(freq)]
    if str(requested).lower() != AUTO:
        return f"Periods: {name}s (the freq parameter)."
    span = span_of(published)
    if span is None:
        return f"Periods: {name}s (no article is dated)."
    days = (span[1] - span[0]).days + 1
    if days < 14:
        length = f"{days}-day"
    elif days < 120:
        length = f"{round(days / 7)}-week"
    elif days < 730:
        length = f"{round(days / 30.44)}-month"
    else:
        length = f"{days / 365.25:.0f}-year"
    ts = _dated(published)
    trimmed = "" if (span[0] == ts.iloc[0] and span[1] == ts.iloc[-1]) else " (the middle 98 % of them)"
    return (f"Periods: {name}s, chosen from the {length} span of the dated articles{trimmed}, "
            f"{span[0]:%Y-%m-%d} to {span[1]:%Y-%m-%d} (freq auto: days up to 6 weeks, weeks up to 6 months, "
            "months up to 4 years, quarters up to 15 years, else years).")


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

    The span runs from the day of the first dated article to the end of the day of the
    last; a period is partial when it starts before that first day or ends after that
    last day (days are never partial).
    """
    freq = check_freq(freq)
    ts = pd.to_datetime(pd.Series(published), utc=True, errors="coerce")
    labels = period_labels(ts, freq)
    counts = labels[labels != UNDATED].value_counts()
    dated = _dated(published)
    cols = ["period", "start", "end", "n_articles", "partial"]
    if dated.empty:
        return pd.DataFrame(columns=cols)
    lo, hi = dated.iloc[0].normalize(), dated.iloc[-1].normalize() + pd.Timedelta(days=1)
    all_labels = period_labels(pd.Series(pd.date_range(lo, hi - pd.Timedelta(days=1), freq="D")), freq)
    rows = []
    for lab in pd.unique(all_labels.to_numpy()):
        start, end = _period_bounds(lab, freq)
        rows.append({"period": lab, "start": start, "end": end, "n_articles": int(counts.get(lab, 0)),
                     "partial": bool(start < lo or end > hi)})
    out = pd.DataFrame(rows, columns=cols)
    out["n_articles"] = out["n_articles"].astype(np.int64)
    return out


def mark_partial(df: pd.DataFrame, published, freq: str, col: str = "period", after: str | None = None) -> pd.DataFrame:
    """``df`` with a bool column ``partial`` (after ``after``, default after ``col``): True for the
    rows of a period that the corpus (``published``: the dates of all its articles) covers only in
    part (:func:`period_table`); False for whole periods and for ``undated`` / ``all`` rows."""
    table = period_table(published, freq)
    part = set(table.loc[table["partial"].astype(bool), "period"].astype(str))
    out = df.drop(columns="partial", errors="ignore").copy()
    flag = out[col].astype(str).isin(part).to_numpy(dtype=bool) if len(out) else np.zeros(0, dtype=bool)
    out.insert(out.columns.get_loc(after or col) + 1, "partial", flag)
    return out
