"""Event analysis over a window of days, with inference that respects clustering.

Articles cluster by day and by story: one day's news is not a set of
independent draws, so iid tests on before/after shares overstate certainty.
:func:`event_window` compares the ``days`` days before an event with the
``days`` days after it (the event day itself shown apart), and reports beside
the naive test a permutation test by day and a bootstrap interval by day.
"""
from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.measures.cooccurrence import resolve_entities
from analysis.stats.intervals import newcombe_diff

__all__ = ["event_window", "event_windows", "read_events"]

FOCUS = ("RUS", "SYR", "IRN")

COLUMNS = ["event", "event_date", "window", "entity", "articles_before", "articles_event_day", "articles_after",
           "n_before", "n_event_day", "n_after", "share_before", "share_event_day", "share_after",
           "diff", "diff_low", "diff_high", "boot_low", "boot_high", "test_naive", "p_naive", "p_clustered",
           "days_before", "days_after", "method"]


def _day(ts: pd.Series) -> pd.Series:
    ts = pd.to_datetime(ts, utc=True, errors="coerce")
    return ts.dt.tz_convert("UTC").dt.tz_localize(None).dt.normalize()


def _naive_test(k1: int, n1: int, k2: int, n2: int) -> tuple[str, float]:
    from scipy import stats

    table = np.array([[k1, n1 - k1], [k2, n2 - k2]], dtype=float)
    if n1 == 0 or n2 == 0 or table.sum(axis=0).min() == 0:
        return "none", np.nan
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True) / table.sum()
    if expected.min() < 5:
        return "fisher", float(stats.fisher_exact(table.astype(np.int64))[1])
    return "chi2", float(stats.chi2_contingency(table, correction=False)[1])


def _day_inference(k: np.ndarray, n: np.ndarray, after: np.ndarray, n_resamples: int,
                   rng: np.random.Generator) -> tuple[float, float, float]:
    """Permutation p-value (sides of whole days shuffled) and bootstrap interval (days resampled within sides)."""
    def diff(kk, nn, side):  # rows: resamples
        ka, na = (kk * side).sum(axis=1), (nn * side).sum(axis=1)
        kb, nb = (kk * ~side).sum(axis=1), (nn * ~side).sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            return ka / na - kb / nb

    obs = diff(k[None, :], n[None, :], after[None, :])[0]
    if after.all() or (~after).all() or np.isnan(obs):
        return np.nan, np.nan, np.nan
    sides = rng.permuted(np.tile(after, (n_resamples, 1)), axis=1)
    perm = diff(np.broadcast_to(k, sides.shape), np.broadcast_to(n, sides.shape), sides)
    p = (1 + np.sum(np.abs(perm) >= abs(obs) - 1e-12)) / (n_resamples + 1)
    ib, ia = np.flatnonzero(~after), np.flatnonzero(after)
    pick_b = ib[rng.integers(0, len(ib), (n_resamples, len(ib)))]
    pick_a = ia[rng.integers(0, len(ia), (n_resamples, len(ia)))]
    with np.errstate(divide="ignore", invalid="ignore"):
        boot = k[pick_a].sum(1) / n[pick_a].sum(1) - k[pick_b].sum(1) / n[pick_b].sum(1)
    low, high = np.nanquantile(boot, [0.025, 0.975])
    return float(p), float(low), float(high)


def event_window(articles: pd.DataFrame, mentions: pd.DataFrame, event_date, days: int = 14,
                 focus: Sequence[str] = FOCUS, resolve: str | None = "country", label: str | None = None,
                 n_resamples: int = 2000, seed: int = 0) -> pd.DataFrame:
    """Share of articles mentioning each focus entity in the ``days`` days before and after an event.

    Days are UTC calendar days. *before* is ``[event - days, event - 1]``, *after*
    ``[event + 1, event + days]``; the event day is counted apart and enters neither
    side. Only articles inside the window are used; undated articles never are.

    Returns one row per focus entity: ``event`` (label), ``event_date``, ``window``
    (first..last day), ``entity``, ``articles_before``, ``articles_event_day``,
    ``articles_after`` (articles on each side), ``n_before``, ``n_event_day``,
    ``n_after`` (of those, articles mentioning the entity), ``share_before``,
    ``share_event_day``, ``share_after``, ``diff`` (after - before), ``diff_low``,
    ``diff_high`` (Newcombe's 95 % interval, articles as independent),
    ``boot_low``, ``boot_high`` (95 % bootstrap interval resampling whole days
    within each side), ``test_naive`` (chi2, or fisher for small counts),
    ``p_naive``, ``p_clustered`` (permutation test shuffling whole days between
    the sides, ``n_resamples`` draws, seeded), ``days_before``, ``days_after``
    (days with articles), ``method`` (the tests, named).
    """
    if days is None or int(days) < 1:
        raise ValueError(f"days must be a whole number of days >= 1; got {days!r}")
    days = int(days)
    event = pd.Timestamp(event_date)
    event = (event.tz_convert("UTC").tz_localize(None) if event.tzinfo else event).normalize()
    first, last = event - pd.Timedelta(days=days), event + pd.Timedelta(days=days)
    day = _day(articles["published"])
    inside = (day >= first) & (day <= last)
    arts = articles.loc[inside.to_numpy(), ["article_id"]].assign(day=day[inside].to_numpy())
    ids = pd.Index(arts["article_id"].astype(str))
    ments = mentions[mentions["article_id"].astype(str).isin(ids)]
    ent = resolve_entities(ments, None if resolve in (None, "none") else resolve)
    pairs = pd.DataFrame({"article_id": ments["article_id"].astype(str).to_numpy(), "entity": ent.to_numpy()})
    pairs = pairs.drop_duplicates()
    offsets = ((arts["day"] - event).dt.days).to_numpy()
    all_days = np.arange(-days, days + 1)
    n_day = pd.Series(offsets).value_counts().reindex(all_days, fill_value=0).to_numpy()
    rng = np.random.default_rng(seed)
    rows = []
    label = label or event.strftime("%Y-%m-%d")
    off_of = pd.Series(offsets, index=ids)
    for e in [str(f) for f in focus]:
        with_e = pairs.loc[pairs["entity"] == e, "article_id"]
        k_day = off_of.reindex(with_e).value_counts().reindex(all_days, fill_value=0).to_numpy()
        side_days = all_days != 0
        k, n, after = k_day[side_days], n_day[side_days], all_days[side_days] > 0
        kb, nb, ka, na = int(k[~after].sum()), int(n[~after].sum()), int(k[after].sum()), int(n[after].sum())
        ke, ne = int(k_day[all_days == 0].sum()), int(n_day[all_days == 0].sum())
        d, lo, hi = (float(x) for x in newcombe_diff(kb, nb, ka, na))
        test, p_naive = _naive_test(kb, nb, ka, na)
        has = n > 0
        p_cl, b_lo, b_hi = _day_inference(k[has], n[has], after[has], n_resamples, rng)
        with np.errstate(divide="ignore", invalid="ignore"):
            rows.append({
                "event": label, "event_date": event.strftime("%Y-%m-%d"),
                "window": f"{first:%Y-%m-%d}..{last:%Y-%m-%d}", "entity": e,
                "articles_before": nb, "articles_event_day": ne, "articles_after": na,
                "n_before": kb, "n_event_day": ke, "n_after": ka,
                "share_before": kb / nb if nb else np.nan, "share_event_day": ke / ne if ne else np.nan,
                "share_after": ka / na if na else np.nan, "diff": d, "diff_low": lo, "diff_high": hi,
                "boot_low": b_lo, "boot_high": b_hi, "test_naive": test, "p_naive": p_naive, "p_clustered": p_cl,
                "days_before": int((n[~after] > 0).sum()), "days_after": int((n[after] > 0).sum()),
                "method": (f"naive: {test} test on articles; clustered: permutation of whole days between "
                           f"the sides ({n_resamples} draws, seed {seed}); intervals: Newcombe (articles) "
                           f"and bootstrap of days within sides"),
            })
    return pd.DataFrame(rows, columns=COLUMNS)


def read_events(events) -> pd.DataFrame:
    """Events as a table ``date``, ``label`` from a date, a list of dates, a
    ``{date: label}`` mapping, a DataFrame with ``date`` (and ``label``) or a CSV file of them."""
    if isinstance(events, (str, os.PathLike)) and str(events).lower().endswith(".csv"):
        try:
            df = pd.read_csv(events, dtype=str)
        except FileNotFoundError:
            raise FileNotFoundError(f"events file not found: {events}") from None
    elif isinstance(events, pd.DataFrame):
        df = events.astype({"date": str})
    elif isinstance(events, dict):
        df = pd.DataFrame({"date": list(map(str, events)), "label": list(events.values())})
    elif isinstance(events, (str, pd.Timestamp)) or not isinstance(events, Sequence):
        df = pd.DataFrame({"date": [str(events)]})
    else:
        df = pd.DataFrame({"date": [str(e) for e in events]})
    if "date" not in df.columns:
        raise ValueError(f"events need a 'date' column; got {list(df.columns)}")
    if "label" not in df.columns:
        df["label"] = df["date"]
    df["label"] = df["label"].fillna(df["date"]).astype(str)
    for i, d in enumerate(df["date"]):
        try:
            pd.Timestamp(d)
        except (ValueError, TypeError):
            raise ValueError(f"event {i + 1}: {d!r} is not a date (use YYYY-MM-DD)") from None
    return df[["date", "label"]].reset_index(drop=True)


def event_windows(articles: pd.DataFrame, mentions: pd.DataFrame, events, days: int = 14,
                  focus: Sequence[str] = FOCUS, resolve: str | None = "country",
                  n_resamples: int = 2000, seed: int = 0) -> pd.DataFrame:
    """:func:`event_window` for several events (see :func:`read_events`), one table, events in date order."""
    ev = read_events(events)
    ev = ev.assign(_ts=pd.to_datetime(ev["date"])).sort_values(["_ts", "label"], kind="mergesort")
    parts = [event_window(articles, mentions, r.date, days=days, focus=focus, resolve=resolve, label=r.label,
                          n_resamples=n_resamples, seed=seed) for r in ev.itertuples(index=False)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)
