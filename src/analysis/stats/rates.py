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

__all__ = ["mention_rate_intervals", "poisson_weights", "poisson_rate_sums", "add_rate_sums", "poisson_rate_intervals"]


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


# --------------------------------------------------------------------------- the Poisson bootstrap
# For corpora split in partitions (the Dask engine), where no process holds every article: each
# article gets, for resample r, a weight drawn from Poisson(1) by a hash of its id, the seed and r,
# so the weighted sums of a partition do not depend on how the corpus was split and simply add up
# across partitions (the Poisson bootstrap of Hanley & MacGibbon 2006; Chamandy et al. 2012). It
# approximates the multinomial resampling of ``mention_rate_intervals`` (whose resample size is
# fixed): the intervals agree to Monte Carlo error, not to the digit.
_POISSON1_CDF = np.cumsum([np.exp(-1.0) / np.prod(np.arange(1, k + 1, dtype=float)) for k in range(25)])
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finalizer on uint64 arrays (wrapping arithmetic)."""
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def _id_hash(article_ids: pd.Series, seed: int) -> np.ndarray:
    h = pd.util.hash_pandas_object(article_ids.astype(str).reset_index(drop=True), index=False).to_numpy(np.uint64)
    with np.errstate(over="ignore"):
        return _mix(h ^ _mix(np.array([seed], dtype=np.uint64) + _GOLDEN))


def _weights(h: np.ndarray, r0: int, r1: int) -> np.ndarray:
    with np.errstate(over="ignore"):
        r = (np.arange(r0, r1, dtype=np.uint64) + np.uint64(1)) * _GOLDEN
        x = _mix(h[None, :] + r[:, None])
    u = (x >> np.uint64(11)).astype(np.float64) * (1.0 / 2.0 ** 53)
    return np.searchsorted(_POISSON1_CDF, u, side="right").astype(np.int8)


def poisson_weights(article_ids: pd.Series, r0: int, r1: int, seed: int = 0) -> np.ndarray:
    """Poisson(1) weights of the articles for resamples ``r0 .. r1 - 1``: ``(r1 - r0, n)`` int8,
    a function of (article id, seed, resample) only."""
    return _weights(_id_hash(article_ids, seed), r0, r1)


def poisson_rate_sums(*, articles: pd.DataFrame, mentions: pd.DataFrame, focus: Sequence[str],
                      resolve: str | None = None, n_resamples: int = 1000, seed: int = 0,
                      block: int = 50, words=None) -> dict:
    """The Poisson-bootstrap sums of mentions per 1,000 words over the whole of ``articles`` (no
    groups), for one partition of a corpus: ``{"words": (R,), "mentions": (R, E)}`` float arrays
    (E = the sorted ``focus``), to be added across partitions (:func:`add_rate_sums`) and turned
    into intervals by :func:`poisson_rate_intervals`. ``words``: :func:`count_words` of
    ``articles`` when it is known already (aligned with its rows)."""
    from analysis.measures.compare import count_words
    from analysis.measures.cooccurrence import resolve_entities

    focus = sorted({str(f) for f in focus})
    n = len(articles)
    words = (count_words(articles) if words is None else pd.Series(words)).to_numpy(dtype=float)
    per = np.zeros((n, len(focus)))
    if len(mentions) and n:
        aid = pd.Index(articles["article_id"].astype(str))
        pos = aid.get_indexer(mentions["article_id"].astype(str))
        ent = resolve_entities(mentions, resolve).to_numpy(dtype=object)
        for k, e in enumerate(focus):
            ok = (ent == e) & (pos >= 0)
            per[:, k] = np.bincount(pos[ok], minlength=n)
    out_w = np.zeros(n_resamples)
    out_m = np.zeros((n_resamples, len(focus)))
    h = _id_hash(articles["article_id"], seed)
    for r0 in range(0, n_resamples, block):
        r1 = min(n_resamples, r0 + block)
        W = _weights(h, r0, r1).astype(float)
        out_w[r0:r1] = W @ words
        out_m[r0:r1] = W @ per
    return {"words": out_w, "mentions": out_m, "focus": focus}


def add_rate_sums(parts: list[dict]) -> dict:
    """:func:`poisson_rate_sums` of several partitions, added."""
    return {"words": sum(p["words"] for p in parts), "mentions": sum(p["mentions"] for p in parts),
            "focus": parts[0]["focus"]}


def poisson_rate_intervals(sums: dict, confidence: float = 0.95) -> pd.DataFrame:
    """``entity``, ``per_1k_words_low``, ``per_1k_words_high``, ``n_resamples`` from added
    :func:`poisson_rate_sums` (percentile intervals, as :func:`mention_rate_intervals`)."""
    from analysis.stats.intervals import column_quantiles

    bw, bm = np.asarray(sums["words"], dtype=float), np.asarray(sums["mentions"], dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        boot = np.where(bw[:, None] > 0, 1000.0 * bm / bw[:, None], np.nan)
    lo, hi = column_quantiles(boot, confidence)
    return pd.DataFrame({"entity": list(sums["focus"]), "per_1k_words_low": lo, "per_1k_words_high": hi,
                         "n_resamples": len(bw)})
