"""Intervals for mention rates: mentions per 1,000 words, by a bootstrap over articles.

``per_1k_words`` of :func:`analysis.coverage` is a ratio of two sums over a group's
articles (mentions / words); an article's mentions and words travel together, so
the interval resamples whole articles within each group (period, outlet), with the
seeded draws of :func:`analysis.stats.association.article_resamples`, all focus
entities of a group in one pass.
"""
from __future__ import annotations

from collections.abc import Sequence
import zlib

import numpy as np
import pandas as pd
from scipy import sparse

__all__ = ["mention_rate_intervals"]


def mention_rate_intervals(*, articles: pd.DataFrame, mentions: pd.DataFrame, focus: Sequence[str],
                           freq: str | None = "M", by=None, resolve: str | None = None, n_resamples: int = 1000,
                           seed: int = 0, confidence: float = 0.95) -> pd.DataFrame:
    """``per_1k_words`` of :func:`analysis.coverage` (same ``focus``, ``freq``, ``by``, ``resolve``)
    with a percentile interval from a bootstrap over the group's articles.

    Returns ``period``, [``outlet``], ``entity``, ``n_mentions``, ``n_words``, ``per_1k_words``,
    ``per_1k_words_low``, ``per_1k_words_high``, ``n_resamples``; sorted like ``coverage``.
    Each group's generator is seeded by ``seed`` and the group's labels.
    """
    from analysis.measures.compare import count_words
    from analysis.measures.cooccurrence import (check_by, period_labels, require_columns, resolve_entities)
    from analysis.stats.association import article_resamples, resample_weights
    from analysis.stats.intervals import column_quantiles

    require_columns(articles, ["article_id", "published"], "articles")
    by_cols = [c for c in check_by(by) if c != "period"]
    focus = sorted({str(f) for f in focus})
    n = len(articles)
    period = (np.full(n, "all", dtype=object) if freq is None
              else period_labels(articles["published"], freq).to_numpy(dtype=object))
    keys = pd.DataFrame({"period": period})
    if "outlet" in by_cols:
        keys["outlet"] = articles["outlet"].astype(object).where(articles["outlet"].notna(), "unknown").astype(
            str).to_numpy()
    words = count_words(articles).to_numpy(dtype=float)
    aid = pd.Index(articles["article_id"].astype(str))
    ent = resolve_entities(mentions, resolve).to_numpy(dtype=object) if len(mentions) else np.array([], dtype=object)
    pos = aid.get_indexer(mentions["article_id"].astype(str)) if len(mentions) else np.array([], dtype=np.int64)
    e_index = {e: k for k, e in enumerate(focus)}
    ek = np.array([e_index.get(e, -1) for e in ent], dtype=np.int64)
    ok = (ek >= 0) & (pos >= 0)
    M = sparse.csr_matrix((np.ones(int(ok.sum())), (pos[ok], ek[ok])), shape=(n, len(focus)))
    group_cols = ["period"] + by_cols
    gcode, guniq = pd.MultiIndex.from_frame(keys[group_cols]).factorize(sort=True)
    rows = []
    for g, labels in enumerate(guniq):
        labels = labels if isinstance(labels, tuple) else (labels,)
        idx = np.flatnonzero(gcode == g)
        Mg, wg = M[idx], words[idx]
        tot_m = np.asarray(Mg.sum(axis=0)).ravel()
        tot_w = wg.sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            point = np.where(tot_w > 0, 1000.0 * tot_m / tot_w, np.nan)
        rng = np.random.default_rng([int(seed), zlib.crc32("|".join(map(str, labels)).encode("utf-8"))])
        boot = []
        MgT = Mg.T.tocsr()
        for picks in article_resamples(len(idx), n_resamples, rng):
            W = resample_weights(picks, len(idx))
            bw = W @ wg
            bm = np.asarray((MgT @ W.T).T)
            with np.errstate(divide="ignore", invalid="ignore"):
                boot.append(np.where(bw[:, None] > 0, 1000.0 * bm / bw[:, None], np.nan))
        lo, hi = column_quantiles(np.vstack(boot), confidence)
        for k, e in enumerate(focus):
            rows.append((*labels, e, int(tot_m[k]), int(tot_w), point[k], lo[k], hi[k], int(n_resamples)))
    cols = group_cols + ["entity", "n_mentions", "n_words", "per_1k_words", "per_1k_words_low", "per_1k_words_high",
                         "n_resamples"]
    out = pd.DataFrame(rows, columns=cols)
    for c in group_cols + ["entity"]:
        out[c] = out[c].astype(str)
    return out.sort_values(group_cols + ["entity"], kind="mergesort").reset_index(drop=True)
