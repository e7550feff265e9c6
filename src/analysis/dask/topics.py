"""Topics beyond memory: fit on a seeded sample, transform every partition."""
from __future__ import annotations

import copy
import hashlib

import numpy as np
import pandas as pd

__all__ = ["finish_sample", "fit_topics", "prevalence_sums", "prevalence_tables", "sample_articles", "sample_candidates",
           "sample_keys", "slim_model"]

DEFAULT_SAMPLE = 50_000


def sample_keys(articles: pd.DataFrame, seed: int) -> pd.DataFrame:
    """``articles`` with ``_sample_key``: the seeded 63-bit hash of each ``article_id`` the samples rank by."""
    salt = f"{int(seed)}\x1f".encode()
    keys = np.fromiter((int.from_bytes(hashlib.blake2b(salt + str(a).encode("utf-8", "surrogatepass"),
                                                       digest_size=8).digest(), "little") >> 1
                        for a in articles["article_id"].tolist()), dtype=np.int64, count=len(articles))
    return articles.assign(_sample_key=keys)


def _n_articles(articles) -> int:
    summary = articles._meta.attrs.get("summary") if hasattr(articles, "_meta") else None
    if summary and "loaded" in summary and articles._meta.attrs.get("pieces") == articles.npartitions:
        return int(summary["loaded"])  # a frame straight from read_corpus: counted already
    return int(articles.shape[0].compute())


def sample_candidates(articles, n: int = DEFAULT_SAMPLE, random_state: int = 0):
    """A delayed pandas frame of the articles whose seeded hash is under the threshold of
    :func:`sample_articles` (about ``1.1 n``; all when the corpus has at most ``n``), built on the
    frame's own partitions so it can be computed in the same pass as other work; pass it to
    :func:`finish_sample`."""
    import dask

    n = int(n)
    total = _n_articles(articles)
    meta = sample_keys(articles._meta, random_state)
    keyed = articles.map_partitions(sample_keys, random_state, meta=meta)
    if total > n:
        cut = int(min(1.0, 1.1 * n / total + 64 / total) * 2.0 ** 63)
        keyed = keyed[keyed["_sample_key"] < cut]
    parts = keyed.to_delayed(optimize_graph=False)
    return dask.delayed(pd.concat, pure=True)(parts, ignore_index=True)


def finish_sample(candidates: pd.DataFrame, n: int = DEFAULT_SAMPLE) -> pd.DataFrame:
    """The ``n`` articles of smallest hash among :func:`sample_candidates`' rows, in hash order."""
    out = candidates.sort_values("_sample_key", kind="mergesort").head(int(n))
    return out.drop(columns="_sample_key").reset_index(drop=True)


def sample_articles(articles, n: int = DEFAULT_SAMPLE, random_state: int = 0) -> pd.DataFrame:
    """A seeded sample of ``n`` articles of a dask articles frame, as pandas: the ``n`` articles
    with the smallest hash of (seed, article_id), so the same sample on every run and any
    partitioning, ordered by that hash; the whole corpus when it has at most ``n`` articles.

    One pass: rows whose hash falls under a threshold chosen for about ``1.1 n`` articles travel
    to the client, the ``n`` smallest are kept (a second, exact pass over the hashes alone runs in
    the unlikely case that fewer than ``n`` fell under it)."""
    from analysis.dask.cluster import compute

    n = int(n)
    out = compute(False, sample_candidates(articles, n, random_state))[0]
    if len(out) < n and len(out) < _n_articles(articles):  # pragma: no cover - about 20 sigma away
        meta = sample_keys(articles._meta, random_state)
        keyed = articles.map_partitions(sample_keys, random_state, meta=meta)
        cut = int(keyed["_sample_key"].nsmallest(n).compute().max())
        out = keyed[keyed["_sample_key"] <= cut].compute()
    return finish_sample(out, n)


def _doc_topics(part: pd.DataFrame, model, min_weight: float) -> pd.DataFrame:
    if not len(part):
        return pd.DataFrame({"article_id": pd.Series([], dtype=object), "topic": pd.Series([], dtype=np.int64),
                             "weight": pd.Series([], dtype=float)})
    return model.doc_topics(part, min_weight=min_weight)


def fit_topics(articles, k: int = 20, method: str = "nmf", random_state: int = 0, heldout: float = 0.1,
               sample: int = DEFAULT_SAMPLE, min_weight: float = 0.0, fit_sample=None, **params):
    """:func:`analysis.fit_topics` on a seeded sample of at most ``sample`` articles, then
    ``doc_topics`` of every article by ``transform``, partition by partition.

    Returns the fitted :class:`~analysis.topics.model.TopicModel` (``quality_``,
    ``topics()``, ...; held-out quality within the sample) with ``doc_topics_``
    set to a *lazy* dask frame (``article_id``, ``topic``, ``weight``) of the
    whole corpus (``fit_sample``: the sample, already drawn by :func:`sample_articles`) and
    ``fit_info_`` recording what was done: ``{"fit": "sample" or
    "all", "n_articles", "n_fit_sample", "sample", "random_state"}``, for the
    report to say so.
    """
    import dask

    from analysis.topics.model import fit_topics as fit_mem

    n_total = _n_articles(articles)
    part = sample_articles(articles, sample, random_state) if fit_sample is None else fit_sample
    model = fit_mem(part, k=k, method=method, random_state=random_state, heldout=heldout, **params)
    meta = pd.DataFrame({"article_id": pd.Series([], dtype=object), "topic": pd.Series([], dtype=np.int64),
                         "weight": pd.Series([], dtype=float)})
    with dask.config.set({"dataframe.convert-string": False}):
        frozen = copy.copy(model)  # the graph holds this copy; the model returned holds the graph
        doc = articles.map_partitions(_doc_topics, dask.delayed(frozen), float(min_weight), meta=meta,
                                      enforce_metadata=False)
    model.doc_topics_ = doc
    model.fit_info_ = {"fit": "sample" if n_total > len(part) else "all", "n_articles": n_total,
                       "n_fit_sample": len(part), "sample": int(sample), "random_state": int(random_state),
                       "doc_topics": "transform of every article"}
    return model


# --------------------------------------------------------------------------- prevalence over every article

def slim_model(model):
    """A copy of a fitted :class:`~analysis.topics.model.TopicModel` that can still ``transform``,
    without the fitting sample's matrices (what a task graph ships to every worker)."""
    slim = copy.copy(model)
    for attr in ("doc_topic_", "_counts_fit", "article_ids_", "doc_topics_", "seed_stability_"):
        if hasattr(slim, attr):
            setattr(slim, attr, None)
    return slim


def prevalence_sums(articles: pd.DataFrame, mentions: pd.DataFrame, model, by: str, focus, freq: str) -> dict:
    """One partition's topic weights summed by group, for :func:`prevalence_tables` (the sums add up
    across partitions). Every article is weighted by ``model.transform``. Groups (``kind``, ``group``):
    ``all`` (the articles with any mention, as the report's corpus mean), ``focus`` (the articles
    mentioning each of ``focus`` in column ``by`` of the mentions) and ``period`` (the dated
    articles by :func:`~analysis.measures.cooccurrence.period_labels` at ``freq``).

    Returns ``{"groups": kind, group, n_articles; "weights": kind, group, topic, n_weight (sum),
    n_weight_sq (sum of squares), n_dominant (articles whose highest weight is this topic)}``."""
    from analysis.measures.cooccurrence import period_labels

    k = int(model.components_.shape[0])
    ids = articles["article_id"].astype(str).to_numpy(dtype=object)
    W = model.transform(articles) if len(articles) else np.zeros((0, k))
    has = W.max(axis=1) > 0 if len(W) else np.zeros(0, dtype=bool)
    dominant = np.where(has, W.argmax(axis=1) if len(W) else 0, -1)  # argmax: the lowest topic on ties
    masks: list[tuple[str, str, np.ndarray]] = []
    if len(mentions):
        mid = mentions["article_id"].astype(str)
        masks.append(("all", "all", np.isin(ids, mid.unique())))
        g = mentions[["article_id", by]].dropna()
        for f in focus:
            masks.append(("focus", str(f), np.isin(ids, g.loc[g[by] == f, "article_id"].astype(str).unique())))
    pub = articles["published"]
    dated = pub.notna().to_numpy()
    if dated.any():
        labels = period_labels(pub[dated], freq).to_numpy(dtype=object)
        rows = np.flatnonzero(dated)
        for p in sorted(set(labels)):
            m = np.zeros(len(ids), dtype=bool)
            m[rows[labels == p]] = True
            masks.append(("period", str(p), m))
    groups, weights = [], []
    topics = np.arange(k, dtype=np.int64)
    for kind, name, m in masks:
        n = int(m.sum())
        if n == 0:
            continue
        w = W[m]
        groups.append((kind, name, n))
        dom = dominant[m]
        weights.append(pd.DataFrame({"kind": kind, "group": name, "topic": topics, "n_weight": w.sum(axis=0),
                                     "n_weight_sq": (w * w).sum(axis=0),
                                     "n_dominant": np.bincount(dom[dom >= 0], minlength=k).astype(np.int64)}))
    g_df = pd.DataFrame(groups, columns=["kind", "group", "n_articles"]).astype(
        {"kind": object, "group": object, "n_articles": np.int64})
    w_df = pd.concat(weights, ignore_index=True) if weights else pd.DataFrame(
        {"kind": pd.Series([], dtype=object), "group": pd.Series([], dtype=object),
         "topic": pd.Series([], dtype=np.int64), "n_weight": pd.Series([], dtype=float),
         "n_weight_sq": pd.Series([], dtype=float), "n_dominant": pd.Series([], dtype=np.int64)})
    return {"topics|groups": g_df, "topics|weights": w_df.astype({"kind": object, "group": object})}


def prevalence_tables(sums: dict, by: str, level: float = 0.95) -> dict:
    """The summed :func:`prevalence_sums` as the tables of :func:`analysis.topic_prevalence` and
    :func:`analysis.topics_over_time`: ``all`` (``_all``, topic, n_articles, mean_weight,
    dominant_share, n_dominant), ``focus`` (``by`` in place of ``_all``, plus mean_weight_low and
    mean_weight_high: a normal-approximation interval of the mean at ``level``) and ``over_time``
    (``period`` in place of ``_all``)."""
    from scipy.stats import norm

    g, w = sums["topics|groups"], sums["topics|weights"]
    t = w.merge(g, on=["kind", "group"], how="left")
    n = t["n_articles"].to_numpy(dtype=float)
    mean = t["n_weight"].to_numpy(dtype=float) / n
    out = pd.DataFrame({"kind": t["kind"].to_numpy(dtype=object), "group": t["group"].to_numpy(dtype=object),
                        "topic": t["topic"].to_numpy(dtype=np.int64),
                        "n_articles": t["n_articles"].to_numpy(dtype=np.int64), "mean_weight": mean,
                        "dominant_share": t["n_dominant"].to_numpy(dtype=float) / n,
                        "n_dominant": t["n_dominant"].to_numpy(dtype=np.int64)})
    with np.errstate(divide="ignore", invalid="ignore"):
        var = np.clip((t["n_weight_sq"].to_numpy(dtype=float) - n * mean * mean) / (n - 1), 0, None)
        half = norm.ppf((1 + level) / 2) * np.sqrt(var / n)
    out["mean_weight_low"] = np.where(n > 1, np.clip(mean - half, 0, 1), np.nan)
    out["mean_weight_high"] = np.where(n > 1, np.clip(mean + half, 0, 1), np.nan)
    cols = ["topic", "n_articles", "mean_weight", "dominant_share", "n_dominant"]
    res = {}
    for kind, key, extra in (("all", "_all", []), ("focus", by, ["mean_weight_low", "mean_weight_high"]),
                             ("period", "period", [])):
        part = out[out["kind"] == kind].rename(columns={"group": key})
        res["over_time" if kind == "period" else kind] = part[[key] + cols + extra].sort_values(
            [key, "topic"], kind="mergesort").reset_index(drop=True)
    return res
