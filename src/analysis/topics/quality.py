"""Quality of topic models, measured rather than assumed.

* :func:`npmi` - coherence of each topic's top terms (10 by default) from
  document co-occurrence: for each pair of terms
  ``npmi = log(p(a,b) / (p(a) p(b))) / -log p(a,b)`` with p the share of
  documents containing the term(s); a pair that never co-occurs scores -1
  (the lower bound, no smoothing), a pair present in every document scores 1.
  A topic's NPMI is the mean over its pairs; the model's the mean over topics.
* :func:`diversity` - unique share of all topics' top-25 terms.
* :func:`match_topics` - one-to-one matching of the topics of two fits (Hungarian
  assignment on cosine similarity of topic-term weights), for stability.
* :func:`function_word_topics` - topics made of function words (a stopword, a reporting
  verb, or one of them behind a proclitic و/ف/ب/ل/ك: وقال, وفي, ولم) or of clitic variants
  of one word (الدراسة/دراسة/والدراسة): the share of such terms among a topic's top terms.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

__all__ = ["npmi", "diversity", "match_topics", "function_word_share", "function_word_topics",
           "collapse_variant"]

_PROCLITICS = ("و", "ف", "ب", "ل", "ك")
_ARTICLES = ("وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "ال")


def npmi(doc_term, top_terms: Sequence[Sequence[int]]) -> np.ndarray:
    """NPMI coherence of each topic from document co-occurrence.

    Parameters
    ----------
    doc_term : (n_docs, n_terms) matrix (sparse or dense); a term is present in
        a document when its count is > 0.
    top_terms : per topic, the column indices of its top terms (e.g. 10).

    Returns
    -------
    ndarray of shape (k,): the mean over all pairs of a topic's terms of
    ``log(p(a,b) / (p(a) p(b))) / -log p(a,b)``, p = share of documents holding
    the term(s). A pair that never co-occurs (including a term absent from the
    documents) scores -1; a pair present in every document scores 1. NaN for a
    topic with fewer than two terms or an empty corpus.
    """
    X = sp.csr_matrix(doc_term)
    n = X.shape[0]
    out = np.full(len(top_terms), np.nan)
    cols = sorted({int(c) for t in top_terms for c in t})
    if n == 0 or not cols:
        return out
    pos = {c: i for i, c in enumerate(cols)}
    B = (X[:, cols] > 0).astype(np.float64).tocsc()
    co = (B.T @ B).toarray()
    df = np.diag(co).copy()
    for k, terms in enumerate(top_terms):
        idx = [pos[int(c)] for c in terms]
        vals = []
        for a in range(len(idx)):
            for b in range(a + 1, len(idx)):
                nab = co[idx[a], idx[b]]
                if nab <= 0:
                    vals.append(-1.0)
                    continue
                pab = nab / n
                if pab >= 1.0:
                    vals.append(1.0)
                    continue
                pa, pb = df[idx[a]] / n, df[idx[b]] / n
                vals.append(np.log(pab / (pa * pb)) / -np.log(pab))
        if vals:
            out[k] = float(np.mean(vals))
    return out


def diversity(top_terms: Sequence[Sequence], n: int = 25) -> float:
    """Share of unique terms among all topics' top ``n`` terms (1 = no overlap)."""
    lists = [list(t)[:n] for t in top_terms]
    total = sum(len(t) for t in lists)
    if total == 0:
        return float("nan")
    return len({x for t in lists for x in t}) / total


def match_topics(A: np.ndarray, B: np.ndarray) -> pd.DataFrame:
    """Match the topics of two topic-term matrices (same columns) one-to-one,
    maximising total cosine similarity (Hungarian algorithm).
    Returns topic_a, topic_b, similarity, sorted by topic_a."""
    from scipy.optimize import linear_sum_assignment

    A = np.asarray(A, dtype=np.float64)
    B = np.asarray(B, dtype=np.float64)
    na = np.linalg.norm(A, axis=1, keepdims=True)
    nb = np.linalg.norm(B, axis=1, keepdims=True)
    S = (A / np.where(na > 0, na, 1)) @ (B / np.where(nb > 0, nb, 1)).T
    r, c = linear_sum_assignment(-S)
    return pd.DataFrame({"topic_a": r, "topic_b": c, "similarity": S[r, c]})


def collapse_variant(term: str) -> str:
    """A normalized term without a leading conjunction/preposition and article
    (والدراسه, الدراسه, دراسه -> دراسه; at least three letters are kept)."""
    for p in _ARTICLES:
        if term.startswith(p) and len(term) - len(p) >= 3:
            return term[len(p):]
    if term[:1] in _PROCLITICS and len(term) >= 5:
        return collapse_variant(term[1:])
    return term


def _function_word(term: str, stop) -> bool:
    if term in stop:
        return True
    return len(term) >= 3 and term[0] in _PROCLITICS and term[1:] in stop


def function_word_share(terms: Sequence[str], stop=None) -> tuple[int, int, float]:
    """``(n_function, n_variant, share)`` of a topic's top terms (normalized keys): terms that
    are function words (in ``stop``, default the package's Arabic stopwords with the news
    reporting verbs, :func:`analysis.text.stopwords.stopwords` ``news=True``, directly or after
    one proclitic و/ف/ب/ل/ك), terms that are a clitic variant of an earlier term of the list
    (:func:`collapse_variant`), and the share of terms that are either."""
    if stop is None:
        from analysis.text.stopwords import stopwords

        stop = stopwords("ar", news=True)
    terms = [str(t) for t in terms]
    if not terms:
        return 0, 0, float("nan")
    fw = [_function_word(t, stop) for t in terms]
    seen: set[str] = set()
    var = []
    for t in terms:
        c = collapse_variant(t)
        var.append(c in seen)
        seen.add(c)
    either = sum(f or v for f, v in zip(fw, var))
    return int(sum(fw)), int(sum(var)), either / len(terms)


def function_word_topics(topics: pd.DataFrame, n: int = 10, threshold: float = 0.5,
                         stop=None) -> pd.DataFrame:
    """Function-word / clitic-variant measure of each topic of a topics table (topic, rank, term).

    Columns: topic, n_terms (top ``n`` terms looked at), n_function (function words),
    n_variant (clitic variants of an earlier term), share (of terms that are either),
    function_topic (share >= ``threshold``); sorted by topic."""
    rows = []
    t = topics[topics["rank"] <= n].sort_values(["topic", "rank"])
    for k, g in t.groupby("topic", sort=True):
        nf, nv, share = function_word_share(g["term"].tolist(), stop)
        rows.append({"topic": int(k), "n_terms": len(g), "n_function": nf, "n_variant": nv,
                     "share": share, "function_topic": bool(share >= threshold)})
    cols = ["topic", "n_terms", "n_function", "n_variant", "share", "function_topic"]
    return pd.DataFrame(rows, columns=cols)
