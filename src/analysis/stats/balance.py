"""Outlet-balanced shares: coverage that does not move when the outlet mix does.

A period's raw share mixes two things: how much each outlet covers an entity,
and which outlets are in the corpus that period. When an outlet that rarely
covers Iran drops out for a month, Iran's raw share rises though no outlet
covered Iran more. The balanced shares hold the outlet mix fixed.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["balanced_shares"]


def balanced_shares(cov: pd.DataFrame, weights: str = "corpus") -> pd.DataFrame:
    """Raw and outlet-balanced shares per period from ``coverage(..., by="outlet")``.

    ``cov``: the coverage table with ``period``, ``outlet``, ``entity``,
    ``n_articles``, ``n_with``. Returns ``period``, ``entity``, ``n_articles``,
    ``n_with``, ``share`` (raw: all articles of the period), ``share_mean``
    (the mean of the outlet shares of the outlets present that period),
    ``share_balanced`` (outlet shares weighted by each outlet's share of the
    whole corpus, ``weights="corpus"``, renormalized over the outlets present),
    ``n_outlets`` (present that period), ``outlets_missing`` (outlets of the
    corpus absent that period, comma-separated; empty when none).
    """
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
    cols = ["period", "entity", "n_articles", "n_with", "share", "share_mean", "share_balanced", "n_outlets",
            "outlets_missing"]
    return out[cols].reset_index(drop=True)
