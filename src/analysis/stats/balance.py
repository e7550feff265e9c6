"""Outlet-balanced shares: coverage that does not move when the outlet mix does.

A period's raw share mixes two things: how much each outlet covers an entity,
and which outlets are in the corpus that period. When an outlet that rarely
covers Iran drops out for a month, Iran's raw share rises though no outlet
covered Iran more. The balanced shares hold the outlet mix fixed.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

__all__ = ["balanced_shares"]


def balanced_shares(cov: pd.DataFrame, weights: str = "corpus", n_resamples: int = 1000, seed: int = 0,
                    confidence: float = 0.95) -> pd.DataFrame:
    """Raw and outlet-balanced shares per period from ``coverage(..., by="outlet")``.

    ``cov``: the coverage table with ``period``, ``outlet``, ``entity``,
    ``n_articles``, ``n_with``. Returns ``period``, ``entity``, ``n_articles``,
    ``n_with``, ``share`` (raw: all articles of the period), ``share_mean``
    (the mean of the outlet shares of the outlets present that period),
    ``share_balanced`` (outlet shares weighted by each outlet's share of the
    whole corpus, ``weights="corpus"``, renormalized over the outlets present),
    ``n_outlets`` (present that period), ``outlets_missing`` (outlets of the
    corpus absent that period, comma-separated; empty when none), then the
    intervals at ``confidence``: ``share_low``, ``share_high`` (Wilson, as in
    :func:`analysis.coverage`), ``share_mean_low``, ``share_mean_high``,
    ``share_balanced_low``, ``share_balanced_high``: a bootstrap over articles
    within each outlet and period (``n_resamples`` resamples, seed ``seed``).
    Resampling an outlet's ``n`` articles of which ``k`` mention the entity
    draws the number that do from Binomial(``n``, ``k / n``), so the resamples
    are drawn as binomials, all rows at once. Like any percentile bootstrap it
    adds no width for an outlet whose share is 0 or 1.
    """
    from analysis.stats.intervals import column_quantiles, wilson

    need = {"period", "outlet", "entity", "n_articles", "n_with"}
    missing = need - set(cov.columns)
    if missing:
        raise ValueError(f"balanced_shares needs coverage(..., by='outlet'); missing columns {sorted(missing)}")
    if weights != "corpus":
        raise ValueError(f"weights must be 'corpus'; got {weights!r}")
    df = cov[cov["n_articles"] > 0].copy()
    per_outlet = df.drop_duplicates(["period", "outlet"]).groupby("outlet")["n_articles"].sum()
    w = per_outlet / per_outlet.sum()
    all_outlets = sorted(per_outlet.index.astype(str))
    df["outlet_share"] = df["n_with"] / df["n_articles"]
    df["w"] = df["outlet"].map(w)
    g = df.groupby(["period", "entity"], sort=True)
    out = g.agg(n_articles=("n_articles", "sum"), n_with=("n_with", "sum"), share_mean=("outlet_share", "mean"),
                n_outlets=("outlet", "nunique")).reset_index()
    wsum = g.apply(lambda x: np.sum(x["w"] * x["outlet_share"]) / np.sum(x["w"]), include_groups=False)
    out["share_balanced"] = wsum.to_numpy()
    out["share"] = out["n_with"] / out["n_articles"]
    present = df.groupby("period")["outlet"].agg(lambda s: set(map(str, s)))
    out["outlets_missing"] = out["period"].map(lambda p: ", ".join(o for o in all_outlets if o not in present[p]))
    lo, hi = wilson(out["n_with"].to_numpy(dtype=float), out["n_articles"].to_numpy(dtype=float), confidence)
    out["share_low"], out["share_high"] = lo, hi
    # bootstrap: binomial draws per (period, outlet, entity) row, summed into each (period, entity) group
    keys = pd.MultiIndex.from_frame(out[["period", "entity"]])
    grp = keys.get_indexer(pd.MultiIndex.from_frame(df[["period", "entity"]]))
    n_o = df["n_articles"].to_numpy(dtype=np.int64)
    p_o = df["outlet_share"].to_numpy(dtype=float)
    n_out = df.groupby(["period", "entity"], sort=True)["outlet"].transform("size").to_numpy(dtype=float)
    w_o = df["w"].to_numpy(dtype=float)
    w_tot = np.bincount(grp, weights=w_o, minlength=len(out))[grp]
    rows = np.arange(len(df))
    mean_m = sparse.csr_matrix((1.0 / n_out, (rows, grp)), shape=(len(df), len(out)))
    bal_m = sparse.csr_matrix((w_o / w_tot, (rows, grp)), shape=(len(df), len(out)))
    rng = np.random.default_rng(seed)
    draws = rng.binomial(n_o, p_o, size=(int(n_resamples), len(df))) / n_o
    for name, m in (("share_mean", mean_m), ("share_balanced", bal_m)):
        boot = np.asarray((m.T @ draws.T).T)
        out[f"{name}_low"], out[f"{name}_high"] = column_quantiles(boot, confidence)
    cols = ["period", "entity", "n_articles", "n_with", "share", "share_mean", "share_balanced", "n_outlets",
            "outlets_missing", "share_low", "share_high", "share_mean_low", "share_mean_high", "share_balanced_low",
            "share_balanced_high"]
    return out[cols].reset_index(drop=True)
