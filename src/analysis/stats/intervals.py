"""Confidence intervals and multiple-comparison corrections.

* :func:`wilson` — Wilson score interval of a share ``k / n``.
* :func:`newcombe_diff` — Newcombe's hybrid score interval (method 10 of
  Newcombe 1998) for the difference of two independent shares.
* :func:`bootstrap_ci` — percentile interval of any statistic over a table,
  resampling clusters (days, articles) with replacement, seeded.
* :func:`bh_adjust` — Benjamini–Hochberg adjusted p-values (false discovery rate).
* :func:`column_quantiles` — percentile-interval ends of many bootstrap distributions at once.

Intervals of co-mention measures (NPMI, PMI, co-mention rate) by a bootstrap over
articles: :mod:`analysis.stats.association`.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from analysis.measures.compare import Z95, wilson_interval

__all__ = ["wilson", "newcombe_diff", "bootstrap_ci", "bh_adjust", "column_quantiles"]


def wilson(k, n, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of ``k / n`` at ``level``; NaN where ``n == 0``."""
    return wilson_interval(k, n, z=_z(level))


def _z(level: float) -> float:
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1; got {level!r}")
    if level == 0.95:
        return Z95
    from scipy.stats import norm

    return float(norm.ppf(0.5 + level / 2))


def newcombe_diff(k1, n1, k2, n2, level: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Difference ``p2 - p1`` of two independent shares with Newcombe's interval.

    Newcombe (1998), method 10: from the Wilson intervals ``(l1, u1)`` and
    ``(l2, u2)`` of each share, ``low = d - sqrt((p2 - l2)^2 + (u1 - p1)^2)``
    and ``high = d + sqrt((u2 - p2)^2 + (p1 - l1)^2)``. Returns
    ``(diff, low, high)`` arrays (NaN where a side has ``n == 0``).
    """
    k1, n1, k2, n2 = (np.asarray(x, dtype=float) for x in (k1, n1, k2, n2))
    l1, u1 = wilson(k1, n1, level)
    l2, u2 = wilson(k2, n2, level)
    with np.errstate(divide="ignore", invalid="ignore"):
        p1, p2 = k1 / n1, k2 / n2
    d = p2 - p1
    low = d - np.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = d + np.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    bad = (n1 <= 0) | (n2 <= 0)
    return (np.where(bad, np.nan, d), np.where(bad, np.nan, low), np.where(bad, np.nan, high))


def bootstrap_ci(df: pd.DataFrame, stat: Callable[[pd.DataFrame], float], cluster: str | None = None,
                 n: int = 1000, seed: int = 0, level: float = 0.95) -> tuple[float, float, float]:
    """Percentile bootstrap interval of ``stat(df)``, resampling ``cluster`` groups.

    ``cluster``: a column of ``df`` (e.g. ``"day"`` or ``"article_id"``); whole
    clusters are drawn with replacement, so rows that belong together (the
    articles of one day, the sentences of one article) stay together. ``None``
    resamples rows. Returns ``(estimate, low, high)``; seeded by ``seed``.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1; got {n!r}")
    est = float(stat(df))
    rng = np.random.default_rng(seed)
    if cluster is None:
        groups = [np.array([i]) for i in range(len(df))]
    else:
        codes, _ = pd.factorize(df[cluster], sort=True)
        order = np.argsort(codes, kind="stable")
        bounds = np.flatnonzero(np.diff(codes[order])) + 1
        groups = np.split(order, bounds) if len(order) else []
    if not groups:
        return est, np.nan, np.nan
    values = np.empty(n)
    for i in range(n):
        pick = rng.integers(0, len(groups), len(groups))
        rows = np.concatenate([groups[j] for j in pick])
        values[i] = stat(df.iloc[rows])
    alpha = (1 - level) / 2
    low, high = np.nanquantile(values, [alpha, 1 - alpha])
    return est, float(low), float(high)


def bh_adjust(p) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (q-values); NaN p-values stay NaN and are not counted."""
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    m = int(ok.sum())
    if m == 0:
        return out
    pv = p[ok]
    order = np.argsort(pv, kind="mergesort")
    ranked = pv[order] * m / np.arange(1, m + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    adj = np.empty(m)
    adj[order] = np.clip(q, 0.0, 1.0)
    out[ok] = adj
    return out


def column_quantiles(values: np.ndarray, confidence: float, method: str = "linear") -> tuple[np.ndarray, np.ndarray]:
    """Per column of ``values`` (resamples x pairs), the ``(1 - confidence) / 2`` and
    ``(1 + confidence) / 2`` quantiles of its non-NaN values, as ``np.quantile``'s
    ``method="linear"`` or ``"inverted_cdf"`` gives them; NaN for a column with none."""
    alpha = (1 - confidence) / 2
    srt = np.sort(values, axis=0)  # NaN last
    n_ok = np.sum(~np.isnan(values), axis=0)
    out = []
    cols = np.arange(values.shape[1])
    for q in (alpha, 1 - alpha):
        if method == "linear":
            h = (n_ok - 1) * q
            lo = np.clip(np.floor(h).astype(np.int64), 0, None)
            hi = np.clip(np.ceil(h).astype(np.int64), 0, None)
            ok = n_ok > 0
            a = srt[np.minimum(lo, len(srt) - 1), cols] if len(srt) else np.full(len(cols), np.nan)
            b = srt[np.minimum(hi, len(srt) - 1), cols] if len(srt) else np.full(len(cols), np.nan)
            g = h - np.floor(h)
            with np.errstate(invalid="ignore"):
                v = np.where(g > 0, a + g * (b - a), a)
        elif method == "inverted_cdf":
            k = np.clip(np.ceil(n_ok * q).astype(np.int64) - 1, 0, None)
            ok = n_ok > 0
            v = srt[np.minimum(k, len(srt) - 1), cols] if len(srt) else np.full(len(cols), np.nan)
        else:
            raise ValueError(f"method must be linear or inverted_cdf; got {method!r}")
        out.append(np.where(ok, v, np.nan))
    return out[0], out[1]
