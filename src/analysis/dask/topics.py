"""Topics beyond memory: fit on a seeded sample, transform every partition."""
from __future__ import annotations

import copy
import hashlib

import numpy as np
import pandas as pd

__all__ = ["fit_topics", "sample_articles"]

DEFAULT_SAMPLE = 50_000


def _sample_keys(articles: pd.DataFrame, seed: int) -> pd.DataFrame:
    salt = f"{int(seed)}\x1f".encode()
    keys = np.fromiter((int.from_bytes(hashlib.blake2b(salt + str(a).encode("utf-8", "surrogatepass"),
                                                       digest_size=8).digest(), "little") >> 1
                        for a in articles["article_id"].tolist()), dtype=np.int64, count=len(articles))
    return articles.assign(_sample_key=keys)


def sample_articles(articles, n: int = DEFAULT_SAMPLE, random_state: int = 0) -> pd.DataFrame:
    """A seeded sample of ``n`` articles of a dask articles frame, as pandas (the ``n`` articles
    with the smallest hash of (seed, article_id): the same sample on every run and partitioning),
    in input order of the hash; the whole corpus when it has at most ``n`` articles."""
    meta = _sample_keys(articles._meta, random_state)
    keyed = articles.map_partitions(_sample_keys, random_state, meta=meta)
    out = keyed.nsmallest(int(n), "_sample_key").compute()
    return out.sort_values("_sample_key", kind="mergesort").drop(columns="_sample_key").reset_index(drop=True)


def _doc_topics(part: pd.DataFrame, model, min_weight: float) -> pd.DataFrame:
    if not len(part):
        return pd.DataFrame({"article_id": pd.Series([], dtype=object), "topic": pd.Series([], dtype=np.int64),
                             "weight": pd.Series([], dtype=float)})
    return model.doc_topics(part, min_weight=min_weight)


def fit_topics(articles, k: int = 20, method: str = "nmf", random_state: int = 0, heldout: float = 0.1,
               sample: int = DEFAULT_SAMPLE, min_weight: float = 0.0, **params):
    """:func:`analysis.fit_topics` on a seeded sample of at most ``sample`` articles, then
    ``doc_topics`` of every article by ``transform``, partition by partition.

    Returns the fitted :class:`~analysis.topics.model.TopicModel` (``quality_``,
    ``topics()``, ...; held-out quality within the sample) with ``doc_topics_``
    set to a *lazy* dask frame (``article_id``, ``topic``, ``weight``) of the
    whole corpus and ``fit_info_`` recording what was done: ``{"fit": "sample" or
    "all", "n_articles", "n_fit_sample", "sample", "random_state"}``, for the
    report to say so.
    """
    import dask

    from analysis.topics.model import fit_topics as fit_mem

    n_total = int(articles.shape[0].compute())
    part = sample_articles(articles, sample, random_state)
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
