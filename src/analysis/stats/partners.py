"""Specific partners: who is mentioned with a focus entity more than chance predicts."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.measures.compare import top_partners

__all__ = ["specific_partners", "mask_rare"]


def specific_partners(comentions: pd.DataFrame, focus: Sequence[str] | None = ("RUS", "SYR", "IRN"),
                      n: int = 10, min_count: int = 20, p_adjust: bool = True) -> pd.DataFrame:
    """Each focus entity's partners ranked by NPMI among pairs seen ``min_count`` times or more.

    Raw counts favour partners that are everywhere (the United States is in
    four of ten ANT articles); NPMI ranks partners by how much more often
    they appear with the entity than their frequencies predict. Counts stay
    beside. Returns the columns of :func:`analysis.measures.compare.top_partners`
    (``entity``, [``period``], [``outlet``], ``rank``, ``partner``, ``n_ab``,
    ``n_entity``, ``n_partner``, ``n_windows``, ``pmi``, ``npmi``, ``jaccard``,
    ``llr``) plus ``p_value`` (G² test of independence, 1 df) and ``p_adjusted``
    (Benjamini–Hochberg over every pair of the entity tested, i.e. above the
    minimum count) when ``p_adjust``.
    """
    from scipy.stats import chi2

    from analysis.stats.intervals import bh_adjust

    out = top_partners(comentions, focus=focus, n=max(n, 1), by="npmi", min_count=min_count)
    if not p_adjust:
        return out
    tested = top_partners(comentions, focus=focus, n=len(comentions) + 1, by="npmi", min_count=min_count)
    tested = tested.assign(p_value=chi2.sf(np.abs(tested["llr"].to_numpy(dtype=float)), 1))
    group = [c for c in ("entity", "period", "outlet") if c in tested.columns]
    tested["p_adjusted"] = tested.groupby(group, sort=False)["p_value"].transform(lambda s: bh_adjust(s.to_numpy()))
    keys = group + ["partner"]
    return out.merge(tested[keys + ["p_value", "p_adjusted"]], on=keys, how="left")


def mask_rare(df: pd.DataFrame, min_count: int = 20, count: str = "n_ab",
              measures: Sequence[str] = ("pmi", "npmi", "jaccard", "llr")) -> pd.DataFrame:
    """A copy with association measures set to NaN where ``count < min_count`` (too rare to show)."""
    out = df.copy()
    rare = out[count] < min_count
    for m in measures:
        if m in out.columns:
            out[m] = out[m].astype(float).where(~rare)
    return out
