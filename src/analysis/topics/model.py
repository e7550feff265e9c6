"""Topic models for Arabic news, with measured quality.

Pipeline: articles --:class:`~analysis.topics.vectorizer.ArabicVectorizer`--> doc-term
counts --:class:`TopicModel`--> topics, doc_topics.

Models (:class:`TopicModel`, :func:`fit_topics`)
    ``method="nmf"`` (default): scikit-learn NMF on sublinear TF-IDF, nndsvd
    initialisation, coordinate descent; ``method="lda"``: scikit-learn
    LatentDirichletAllocation (batch variational Bayes) on counts.  Topics are
    numbered by prevalence in the fitted documents (topic 0 is the largest).
    The number of topics is ``k`` everywhere (default 10).

Quality (:mod:`analysis.topics.quality`)
    NPMI coherence of the top terms on the fitting documents and on held-out
    documents (:func:`fit_topics` holds out ``heldout`` of the articles with a
    fixed seed and never fits on them), so preprocessing cannot flatter itself;
    diversity; :func:`choose_k` - these measures over a range of k;
    :func:`topic_stability` - fits with several seeds, topics matched between runs.

Per topic
    :func:`representative_articles` - the articles with the highest weight of each topic
    (distinct titles); :func:`topic_seed_stability` - how well each topic of a fitted model
    is found again by fits with other seeds on subsamples.

Comparison
    :func:`topic_prevalence` (by entity or country from a mentions table, with seeded
    bootstrap intervals over articles),
    :func:`topics_over_time` (periods labelled as everywhere in the package:
    :func:`analysis.measures.cooccurrence.period_labels`), :func:`topic_labels`.

Tables
    topics: ``topic, rank, term, surface, weight`` (``term`` the normalized key,
    ``surface`` its readable spelling, as in keyness);
    doc_topics: ``article_id, topic, weight`` (weights of a document sum to 1).
"""
from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator

from analysis.topics.quality import diversity, match_topics, npmi
from analysis.topics.vectorizer import ArabicVectorizer, as_texts

__all__ = [
    "TopicModel",
    "fit_topics",
    "split_heldout",
    "choose_k",
    "topic_stability",
    "topic_prevalence",
    "topics_over_time",
    "topic_labels",
    "representative_articles",
    "topic_seed_stability",
    "DEFAULT_K",
]

DEFAULT_K = 10  # topics, in the API, the CLI and the report


def split_heldout(articles, fraction: float = 0.1, random_state: int = 0):
    """(fit, heldout) split of an articles DataFrame (or list) with a fixed seed."""
    n = len(articles)
    n_out = int(round(fraction * n)) if fraction else 0
    if n_out <= 0 or n_out >= n:
        return articles, articles[:0]
    rng = np.random.default_rng(random_state)
    out = np.zeros(n, dtype=bool)
    out[rng.choice(n, size=n_out, replace=False)] = True
    if isinstance(articles, pd.DataFrame):
        return articles[~out], articles[out]
    items = list(articles)
    return [x for x, o in zip(items, out) if not o], [x for x, o in zip(items, out) if o]


# --------------------------------------------------------------------------
# Estimator
# --------------------------------------------------------------------------

class TopicModel(BaseEstimator):
    """Topic model over Arabic news articles (scikit-learn conventions).

    Parameters
    ----------
    k : int - number of topics (default 10)
    method : {"nmf", "lda"}
    random_state : int
    stem, min_df, max_df, max_features, remove_numbers, remove_latin,
    news_stopwords, extra_stopwords, clitic_stopwords : preprocessing, see :class:`ArabicVectorizer`.
    sublinear_tf : bool - NMF input is TF-IDF with 1 + log(tf) when True.
    alpha_W, alpha_H, l1_ratio : NMF regularization (sklearn.decomposition.NMF).
    beta_loss : NMF loss ("frobenius" or "kullback-leibler").
    max_iter, tol : solver settings (max_iter None: 400 for NMF, 50 for LDA).
    doc_topic_prior, topic_word_prior : LDA priors (None = 1/k).
    n_top_terms : default number of terms per topic in :meth:`topics`.

    Attributes
    ----------
    vectorizer_ : fitted :class:`ArabicVectorizer`
    terms_ : term keys (normalized/stemmed), columns of ``components_``
    surfaces_ : readable surface form of each term
    components_ : (k, n_terms) topic-term weights, rows sum to 1
    topics_ : the topics table of the top ``n_top_terms`` terms (see :meth:`topics`)
    article_ids_ : ids of the fitted articles
    doc_topic_ : (n_docs, k) document-topic weights of the fitted
        articles, rows sum to 1 (0 for a document with no kept term)
    estimator_ : the underlying scikit-learn model
    n_iter_, fit_seconds_
    """

    def __init__(
        self,
        k: int = DEFAULT_K,
        method: str = "nmf",
        random_state: int = 0,
        stem: str = "prefix",
        min_df=5,
        max_df=0.05,
        max_features: int | None = 20000,
        remove_numbers: bool = True,
        remove_latin: bool = True,
        news_stopwords: bool = False,
        extra_stopwords: Iterable[str] | None = None,
        sublinear_tf: bool = True,
        alpha_W: float = 0.0,
        alpha_H: float | str = "same",
        l1_ratio: float = 0.0,
        beta_loss: str = "frobenius",
        max_iter: int | None = None,
        tol: float = 1e-4,
        doc_topic_prior: float | None = None,
        topic_word_prior: float | None = None,
        n_top_terms: int = 10,
        clitic_stopwords: bool = True,
    ):
        self.k = k
        self.method = method
        self.random_state = random_state
        self.stem = stem
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.remove_numbers = remove_numbers
        self.remove_latin = remove_latin
        self.news_stopwords = news_stopwords
        self.extra_stopwords = extra_stopwords
        self.sublinear_tf = sublinear_tf
        self.alpha_W = alpha_W
        self.alpha_H = alpha_H
        self.l1_ratio = l1_ratio
        self.beta_loss = beta_loss
        self.max_iter = max_iter
        self.tol = tol
        self.doc_topic_prior = doc_topic_prior
        self.topic_word_prior = topic_word_prior
        self.n_top_terms = n_top_terms
        self.clitic_stopwords = clitic_stopwords

    _VEC_PARAMS = ("stem", "min_df", "max_df", "max_features", "remove_numbers",
                   "remove_latin", "news_stopwords", "extra_stopwords", "clitic_stopwords")

    # -- fitting
    def _make_vectorizer(self) -> ArabicVectorizer:
        return ArabicVectorizer(**{k: getattr(self, k) for k in self._VEC_PARAMS})

    def fit(self, X, y=None):
        """Fit on an articles DataFrame (columns title/text, article_id) or texts."""
        if self.method not in ("nmf", "lda"):
            raise ValueError(f"method must be 'nmf' or 'lda', got {self.method!r}")
        _, ids = as_texts(X)
        vec = self._make_vectorizer()
        counts = vec.fit_transform(X)
        return self._fit_counts(counts, vec, ids)

    def _fit_counts(self, counts: sp.csr_matrix, vectorizer: ArabicVectorizer, ids=None):
        """Fit on a precomputed doc-term count matrix from ``vectorizer``."""
        if self.method not in ("nmf", "lda"):
            raise ValueError(f"method must be 'nmf' or 'lda', got {self.method!r}")
        if isinstance(self.k, bool) or not isinstance(self.k, (int, np.integer)) or self.k < 1:
            raise ValueError(f"k (the number of topics) must be a whole number >= 1; got {self.k!r}")
        if counts.shape[0] < self.k:
            raise ValueError(f"{counts.shape[0]} documents are too few for {self.k} topics")
        self.vectorizer_ = vectorizer
        self.terms_ = vectorizer.terms_
        self.surfaces_ = vectorizer.surfaces_
        self.article_ids_ = np.arange(counts.shape[0]) if ids is None else np.asarray(ids)
        t0 = time.perf_counter()
        if self.method == "nmf":
            from sklearn.decomposition import NMF
            from sklearn.feature_extraction.text import TfidfTransformer

            self._tfidf = TfidfTransformer(sublinear_tf=self.sublinear_tf).fit(counts)
            est = NMF(
                n_components=self.k, init="nndsvd", solver="cd",
                beta_loss=self.beta_loss, max_iter=self.max_iter or 400, tol=self.tol,
                alpha_W=self.alpha_W, alpha_H=self.alpha_H, l1_ratio=self.l1_ratio,
                random_state=self.random_state,
            )
            if self.beta_loss != "frobenius":
                est.set_params(solver="mu", init="nndsvda")
            W = est.fit_transform(self._tfidf.transform(counts))
        else:
            from sklearn.decomposition import LatentDirichletAllocation

            est = LatentDirichletAllocation(
                n_components=self.k, learning_method="batch",
                max_iter=self.max_iter or 50,
                doc_topic_prior=self.doc_topic_prior, topic_word_prior=self.topic_word_prior,
                random_state=self.random_state,
            )
            W = est.fit_transform(counts)
        self.fit_seconds_ = time.perf_counter() - t0
        self.estimator_ = est
        self.n_iter_ = getattr(est, "n_iter_", None)
        H = np.asarray(est.components_, dtype=np.float64)
        W = self._norm_rows(W)
        # order topics by prevalence in the fitted documents (ties by index)
        order = np.lexsort((np.arange(self.k), -W.sum(axis=0)))
        self._order = order
        Hs = H[order]
        sums = Hs.sum(axis=1, keepdims=True)
        self.components_ = np.divide(Hs, sums, out=np.zeros_like(Hs), where=sums > 0)
        self.doc_topic_ = W[:, order]
        self._counts_fit = counts
        self.topics_ = self.topics()
        return self

    @staticmethod
    def _norm_rows(W) -> np.ndarray:
        W = np.asarray(W, dtype=np.float64)
        s = W.sum(axis=1, keepdims=True)
        return np.divide(W, s, out=np.zeros_like(W), where=s > 0)

    def _check_fitted(self):
        if not hasattr(self, "components_"):
            raise RuntimeError("TopicModel is not fitted; call fit() first")

    def _transform_counts(self, counts) -> np.ndarray:
        self._check_fitted()
        if self.method == "nmf":
            W = self.estimator_.transform(self._tfidf.transform(counts))
        else:
            W = self.estimator_.transform(counts)
        return self._norm_rows(W)[:, self._order]

    def transform(self, X) -> np.ndarray:
        """(n_docs, k) topic weights of new articles/texts (rows sum to 1)."""
        self._check_fitted()
        return self._transform_counts(self.vectorizer_.transform(X))

    def fit_transform(self, X, y=None) -> np.ndarray:
        return self.fit(X).doc_topic_

    # -- tables
    def top_term_indices(self, n: int | None = None) -> list[np.ndarray]:
        """Column indices of each topic's top ``n`` terms (weight desc, ties by term)."""
        self._check_fitted()
        n = self.n_top_terms if n is None else n
        out = []
        for row in self.components_:
            order = np.lexsort((self.terms_, -row))
            out.append(order[:n])
        return out

    def topics(self, n_terms: int | None = None) -> pd.DataFrame:
        """Topics table: ``topic`` (int), ``rank`` (int, 1 = top), ``term`` (the normalized key,
        as in keyness), ``surface`` (how it reads: its most frequent original spelling),
        ``weight`` (float: share of the topic's term weight); sorted by topic, rank."""
        idx = self.top_term_indices(n_terms)
        topic = np.repeat(np.arange(len(idx), dtype=np.int64), [len(i) for i in idx])
        cols = np.concatenate(idx).astype(np.int64) if idx else np.zeros(0, dtype=np.int64)
        rank = np.concatenate([np.arange(1, len(i) + 1, dtype=np.int64) for i in idx]) if idx else cols
        return pd.DataFrame({
            "topic": topic,
            "rank": rank,
            "term": pd.Series(np.asarray(self.terms_, dtype=object)[cols], dtype=object).astype(str),
            "surface": pd.Series(np.asarray(self.surfaces_, dtype=object)[cols], dtype=object).astype(str),
            "weight": self.components_[topic, cols].astype(np.float64),
        })

    def doc_topics(self, X=None, min_weight: float = 0.0) -> pd.DataFrame:
        """doc_topics table: article_id, topic, weight (a document's weights sum
        to 1), for the fitted articles (``X=None``) or new ones; rows with
        weight <= ``min_weight`` are left out when ``min_weight`` > 0.
        Sorted by article order, then topic."""
        self._check_fitted()
        if X is None:
            W, ids = self.doc_topic_, self.article_ids_
        else:
            _, ids = as_texts(X)
            W = self.transform(X)
        return _long_doc_topics(W, ids, min_weight)

    def labels(self, n: int = 3) -> pd.Series:
        """Short label per topic from its top ``n`` terms."""
        return topic_labels(self.topics(n), n=n)

    # -- quality
    def coherence(self, X=None, n_terms: int = 10) -> np.ndarray:
        """Per-topic NPMI of the top ``n_terms`` on the fitted documents
        (``X=None``) or on other articles/texts ``X`` (e.g. held-out)."""
        self._check_fitted()
        counts = self._counts_fit if X is None else self.vectorizer_.transform(X)
        return npmi(counts, self.top_term_indices(n_terms))

    def diversity(self, n: int = 25) -> float:
        return diversity([list(i) for i in self.top_term_indices(n)], n=n)

    def quality(self, heldout=None, n_terms: int = 10, heldout_counts=None) -> dict:
        """Quality summary: {"method", "k", "n_terms", "npmi", "npmi_heldout", "diversity",
        "n_documents", "n_heldout", "n_vocabulary", "fit_seconds",
        "topics": [{"topic", "npmi", "npmi_heldout", "label", "terms", "surfaces"}]}
        (``terms``: the normalized keys of the top terms, ``surfaces``: how they read)."""
        train = self.coherence(None, n_terms)
        if heldout_counts is None and heldout is not None and len(heldout):
            heldout_counts = self.vectorizer_.transform(heldout)
        if heldout_counts is not None and heldout_counts.shape[0]:
            held = npmi(heldout_counts, self.top_term_indices(n_terms))
        else:
            held = np.full(len(train), np.nan)
        labels = self.labels()
        idx = self.top_term_indices(n_terms)
        topics = [
            {
                "topic": k,
                "npmi": _num(train[k]),
                "npmi_heldout": _num(held[k]),
                "label": labels[k],
                "terms": [str(self.terms_[j]) for j in idx[k]],
                "surfaces": [str(self.surfaces_[j]) for j in idx[k]],
            }
            for k in range(self.k)
        ]
        return {
            "method": self.method,
            "k": self.k,
            "n_terms": n_terms,
            "npmi": _num(np.nanmean(train)) if np.isfinite(train).any() else None,
            "npmi_heldout": _num(np.nanmean(held)) if np.isfinite(held).any() else None,
            "diversity": _num(self.diversity(25)),
            "n_documents": int(self._counts_fit.shape[0]),
            "n_heldout": int(0 if heldout_counts is None else heldout_counts.shape[0]),
            "n_vocabulary": int(len(self.terms_)),
            "fit_seconds": _num(self.fit_seconds_),
            "topics": topics,
        }


def _num(x):
    x = float(x)
    return None if not np.isfinite(x) else round(x, 6)


def _long_doc_topics(W: np.ndarray, ids, min_weight: float = 0.0) -> pd.DataFrame:
    n, k = W.shape
    df = pd.DataFrame({
        "article_id": np.repeat(np.asarray(ids), k),
        "topic": np.tile(np.arange(k), n),
        "weight": W.ravel(),
    })
    if min_weight > 0:
        df = df[df["weight"] > min_weight].reset_index(drop=True)
    return df


SMALL_CORPUS = 1000
SMALL_CORPUS_BOUNDS = {"min_df": 2, "max_df": 0.6}


def _small_corpus_params(n_fit: int, params: dict) -> dict:
    """The defaults are tuned on ~20k articles; a small corpus would keep too
    few terms, so unset df bounds become ``SMALL_CORPUS_BOUNDS``."""
    if n_fit < SMALL_CORPUS:
        params = {**SMALL_CORPUS_BOUNDS, **params}
    return params


def fit_topics(
    articles,
    k: int = DEFAULT_K,
    method: str = "nmf",
    random_state: int = 0,
    heldout: float = 0.1,
    **params,
) -> TopicModel:
    """Fit a :class:`TopicModel` on ``articles`` holding out a share for quality.

    ``k``: number of topics (default 10). ``heldout`` of the articles (chosen with
    ``random_state``) are not used to fit; they give ``npmi_heldout``.  The returned
    model carries ``topics_`` (the topics table, see :meth:`TopicModel.topics`),
    ``quality_`` (see :meth:`TopicModel.quality`), ``heldout_ids_`` and
    ``doc_topics_``: the doc_topics table (``article_id``, ``topic``, ``weight``) of
    ALL articles (held-out ones via ``transform``), sorted by article order then topic.

    With fewer than ``SMALL_CORPUS`` (1,000) fitting articles, ``min_df`` and
    ``max_df`` default to ``SMALL_CORPUS_BOUNDS`` (2 and 0.6) instead of 5 and
    0.05, unless given.
    """
    if isinstance(articles, pd.DataFrame):
        articles = articles.reset_index(drop=True)
        if "article_id" not in articles.columns:
            articles = articles.assign(article_id=np.arange(len(articles)))
    else:
        articles = pd.DataFrame({"text": list(articles)})
        articles["article_id"] = np.arange(len(articles))
    fit_part, held_part = split_heldout(articles, heldout, random_state)
    params = _small_corpus_params(len(fit_part), params)
    model = TopicModel(k=k, method=method, random_state=random_state, **params)
    model.fit(fit_part)
    held_counts = model.vectorizer_.transform(held_part) if len(held_part) else None
    model.quality_ = model.quality(heldout_counts=held_counts)
    model.heldout_ids_ = held_part["article_id"].to_numpy()
    W = np.zeros((len(articles), k))
    is_held = np.zeros(len(articles), dtype=bool)
    is_held[held_part.index.to_numpy()] = True
    W[~is_held] = model.doc_topic_
    if is_held.any():
        W[is_held] = model._transform_counts(held_counts)
    model.doc_topics_ = _long_doc_topics(W, articles["article_id"].to_numpy())
    return model


# --------------------------------------------------------------------------
# Choosing k, stability
# --------------------------------------------------------------------------

def _prepare(articles, heldout, random_state, params):
    if not isinstance(articles, pd.DataFrame):
        articles = pd.DataFrame({"text": list(articles)})
    articles = articles.reset_index(drop=True)
    fit_part, held_part = split_heldout(articles, heldout, random_state)
    params = _small_corpus_params(len(fit_part), params)
    base = TopicModel(random_state=random_state, **params)
    vec = base._make_vectorizer()
    counts = vec.fit_transform(fit_part)
    held = vec.transform(held_part) if len(held_part) else None
    return vec, counts, held


def choose_k(
    articles,
    ks: Iterable[int] = (5, 10, 15, 20, 25, 30),
    method: str = "nmf",
    random_state: int = 0,
    heldout: float = 0.1,
    progress: bool = True,
    **params,
) -> pd.DataFrame:
    """Quality over a range of k: columns k, npmi, npmi_heldout, diversity,
    fit_seconds, best (True on the chosen k).

    The chosen k maximises held-out NPMI (train NPMI when there is no held-out
    part) among the ks whose diversity is at least 0.9 (all ks when none is)."""
    from tqdm.auto import tqdm

    vec, counts, held = _prepare(articles, heldout, random_state, params)
    rows = []
    for k in tqdm(list(ks), disable=not progress, desc="k"):
        m = TopicModel(k=k, method=method, random_state=random_state, **params)
        m._fit_counts(counts, vec)
        idx = m.top_term_indices(10)
        tr = npmi(counts, idx)
        ho = npmi(held, idx) if held is not None else np.full(k, np.nan)
        rows.append({
            "k": k,
            "npmi": float(np.nanmean(tr)),
            "npmi_heldout": float(np.nanmean(ho)) if np.isfinite(ho).any() else np.nan,
            "diversity": m.diversity(25),
            "fit_seconds": m.fit_seconds_,
        })
    out = pd.DataFrame(rows)
    crit = out["npmi_heldout"].where(out["npmi_heldout"].notna(), out["npmi"])
    ok = out["diversity"] >= 0.9
    cand = crit.where(ok) if ok.any() else crit
    out["best"] = False
    if cand.notna().any():
        out.loc[cand.idxmax(), "best"] = True
    return out


def topic_stability(
    articles,
    k: int = DEFAULT_K,
    method: str = "nmf",
    seeds: Sequence[int] = (0, 1, 2),
    subsample: float = 0.9,
    progress: bool = True,
    **params,
) -> pd.DataFrame:
    """Stability of the topics across seeds.

    The vocabulary is learned once on all articles; run ``s`` fits with
    ``random_state=s`` on a random ``subsample`` share of the documents drawn
    with seed ``s`` (1.0 = all documents; NMF with nndsvd initialisation is
    then nearly deterministic, so a subsample is what shows its stability).
    Every pair of runs is matched with :func:`match_topics`.

    Returns seed_a, seed_b, topic_a, topic_b, similarity (cosine of the matched
    topic-term weights); ``.attrs["mean_similarity"]`` holds the mean.
    """
    from tqdm.auto import tqdm

    vec, counts, _ = _prepare(articles, 0.0, 0, params)
    n = counts.shape[0]
    comps = {}
    seeds = list(seeds)
    for s in tqdm(seeds, disable=not progress, desc="seeds"):
        rows = np.arange(n)
        if subsample < 1.0:
            rng = np.random.default_rng(s)
            rows = np.sort(rng.choice(n, size=max(k, int(round(subsample * n))), replace=False))
        m = TopicModel(k=k, method=method, random_state=s, **params)
        m._fit_counts(counts[rows], vec)
        comps[s] = m.components_
    parts = []
    for i in range(len(seeds)):
        for j in range(i + 1, len(seeds)):
            t = match_topics(comps[seeds[i]], comps[seeds[j]])
            t.insert(0, "seed_b", seeds[j])
            t.insert(0, "seed_a", seeds[i])
            parts.append(t)
    cols = ["seed_a", "seed_b", "topic_a", "topic_b", "similarity"]
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)
    out.attrs["mean_similarity"] = float(out["similarity"].mean()) if len(out) else float("nan")
    return out


def topic_seed_stability(
    model: TopicModel,
    seeds: Sequence[int] = (1, 2, 3),
    subsample: float = 0.9,
    max_documents: int | None = 20000,
) -> pd.DataFrame:
    """Stability of each topic of a fitted ``model`` across seeds.

    For every seed ``s`` a model with the same parameters and ``random_state=s`` is fitted on
    the same vocabulary and a random ``subsample`` share of the model's fitting documents
    (drawn with seed ``s``; at most ``max_documents`` of them, None = no cap); its topics are
    matched one-to-one to the model's (:func:`analysis.topics.quality.match_topics`, cosine of
    the topic-term weights). Columns: topic, stability_mean, stability_min (mean and lowest
    best-match similarity over the seeds), n_seeds, n_documents (documents of each refit);
    sorted by topic. ``.attrs["seconds"]`` holds the time the refits took."""
    model._check_fitted()
    seeds = list(seeds)
    if not seeds:
        raise ValueError("topic_seed_stability needs at least one seed")
    if not 0 < subsample <= 1:
        raise ValueError(f"subsample must be in (0, 1], got {subsample!r}")
    counts = model._counts_fit
    n = counts.shape[0]
    size = max(model.k, int(round(subsample * n)))
    if max_documents is not None:
        size = max(model.k, min(size, int(max_documents)))
    size = min(size, n)
    params = {**model.get_params(), "random_state": 0}
    sims = np.zeros((len(seeds), model.k))
    t0 = time.perf_counter()
    for i, s in enumerate(seeds):
        rows = np.arange(n) if size >= n else np.sort(np.random.default_rng(s).choice(n, size=size, replace=False))
        m = TopicModel(**{**params, "random_state": s})
        m._fit_counts(counts[rows], model.vectorizer_)
        t = match_topics(model.components_, m.components_)
        sims[i, t["topic_a"].to_numpy()] = t["similarity"].to_numpy()
    out = pd.DataFrame({
        "topic": np.arange(model.k, dtype=np.int64),
        "stability_mean": sims.mean(axis=0),
        "stability_min": sims.min(axis=0),
        "n_seeds": len(seeds),
        "n_documents": size,
    })
    out.attrs["seconds"] = time.perf_counter() - t0
    return out


def representative_articles(doc_topics: pd.DataFrame, articles: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The ``n`` articles with the highest weight of each topic, one per distinct title.

    ``doc_topics``: article_id, topic, weight; ``articles``: article_id, title (outlet and
    published when present). Articles without a title are skipped; of articles with the same
    title (after trimming spaces) only the highest-weighted is kept. Ties in weight go to the
    article that comes first in ``articles``. Columns: topic, rank (1 = highest weight),
    article_id, title, outlet, published, weight; sorted by topic, rank."""
    cols = ["topic", "rank", "article_id", "title", "outlet", "published", "weight"]
    for c in ("article_id", "title"):
        if c not in articles.columns:
            raise ValueError(f"articles need a {c!r} column for representative articles")
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n!r}")
    a = articles.reset_index(drop=True)
    meta = pd.DataFrame({
        "article_id": a["article_id"].to_numpy(),
        "title": a["title"].fillna("").astype(str).str.strip().to_numpy(),
        "outlet": a["outlet"].to_numpy() if "outlet" in a.columns else None,
        "published": a["published"].to_numpy() if "published" in a.columns else pd.NaT,
        "_order": np.arange(len(a)),
    }).drop_duplicates("article_id")
    meta = meta[meta["title"] != ""]
    d = doc_topics[doc_topics["weight"] > 0][["article_id", "topic", "weight"]].merge(meta, on="article_id")
    d = d.sort_values(["topic", "weight", "_order"], ascending=[True, False, True], kind="mergesort")
    d = d.drop_duplicates(["topic", "title"])
    d = d.groupby("topic", sort=True).head(n).copy()
    d["rank"] = d.groupby("topic").cumcount().astype(np.int64) + 1
    d["topic"] = d["topic"].astype(np.int64)
    return d[cols].reset_index(drop=True)


# --------------------------------------------------------------------------
# Comparison helpers
# --------------------------------------------------------------------------

def topic_labels(topics: pd.DataFrame, n: int = 3, sep: str = " · ") -> pd.Series:
    """Short label per topic: its top ``n`` terms, as they read (``surface``; ``term`` when the
    table has no surfaces), joined by ``sep``. Input: a topics table (topic, rank, term,
    surface, ...). Index: topic."""
    col = "surface" if "surface" in topics.columns else "term"
    t = topics[topics["rank"] <= n].sort_values(["topic", "rank"])
    return t.groupby("topic", sort=True)[col].agg(lambda s: sep.join(s)).rename("label")


def _dominant(doc_topics: pd.DataFrame) -> pd.DataFrame:
    """article_id -> dominant topic (highest weight; lowest topic on ties);
    articles with all-zero weights have no dominant topic."""
    d = doc_topics[doc_topics["weight"] > 0].sort_values(
        ["article_id", "weight", "topic"], ascending=[True, False, True])
    return d.drop_duplicates("article_id")[["article_id", "topic"]].rename(columns={"topic": "dominant"})


def _group_prevalence(doc_topics: pd.DataFrame, groups: pd.DataFrame, key: str) -> pd.DataFrame:
    """groups: article_id, <key> (one row per article and group)."""
    groups = groups.drop_duplicates(["article_id", key])
    n = groups.groupby(key).size().rename("n_articles")
    dt = doc_topics.merge(groups, on="article_id")
    mean = (dt.groupby([key, "topic"])["weight"].sum()
            .div(n, level=key).rename("mean_weight"))
    dom = _dominant(doc_topics).merge(groups, on="article_id")
    dom_n = dom.groupby([key, "dominant"]).size()
    dom_n.index = dom_n.index.set_names([key, "topic"])
    out = mean.to_frame().join(dom_n.rename("n_dominant"), how="left").reset_index()
    out["n_dominant"] = out["n_dominant"].fillna(0).astype(int)
    out = out.merge(n.reset_index(), on=key)
    out["dominant_share"] = out["n_dominant"] / out["n_articles"]
    cols = [key, "topic", "n_articles", "mean_weight", "dominant_share", "n_dominant"]
    return out[cols].sort_values([key, "topic"]).reset_index(drop=True)


def topic_prevalence(
    doc_topics: pd.DataFrame,
    mentions: pd.DataFrame,
    by: str = "entity_id",
    entities: Iterable[str] | None = None,
    labels: pd.Series | None = None,
    n_boot: int = 0,
    seed: int = 0,
    level: float = 0.95,
) -> pd.DataFrame:
    """Topic prevalence among the articles mentioning each entity (or country).

    Parameters
    ----------
    doc_topics : article_id, topic, weight (all topics of each article).
    mentions : the mentions table (article_id, entity_id, country, ...).
    by : "entity_id" or "country" (mentions rolled up to their country).
    entities : keep only these ids (e.g. the focus entities RUS, SYR, IRN).
    labels : optional topic -> label Series (adds a ``label`` column).
    n_boot : bootstrap replicates for an interval of ``mean_weight`` (0 = none): the
        articles of each group are resampled with replacement (percentile interval at
        ``level``; the generator of a group is seeded with ``seed`` and the group's name,
        so a group's interval does not depend on the other groups).

    Returns columns <by>, topic, n_articles (articles mentioning it),
    mean_weight (mean topic weight over those articles), dominant_share (share
    of those articles whose highest-weight topic is this one), n_dominant
    [, mean_weight_low, mean_weight_high] [, label]; sorted by <by>, topic.
    """
    if by not in mentions.columns:
        raise ValueError(f"mentions has no column {by!r}")
    g = mentions[["article_id", by]].dropna()
    if entities is not None:
        g = g[g[by].isin(list(entities))]
    out = _group_prevalence(doc_topics, g, by)
    if n_boot:
        out = _bootstrap_prevalence(out, doc_topics, g, by, int(n_boot), seed, level)
    if labels is not None:
        out["label"] = out["topic"].map(labels)
    return out


def _bootstrap_prevalence(out: pd.DataFrame, doc_topics: pd.DataFrame, groups: pd.DataFrame, key: str,
                          n_boot: int, seed: int, level: float) -> pd.DataFrame:
    """``out`` with mean_weight_low / mean_weight_high: percentile bootstrap over each group's articles."""
    import zlib

    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), got {level!r}")
    topics = np.sort(doc_topics["topic"].unique())
    ids = pd.Index(doc_topics["article_id"].unique())
    W = np.zeros((len(ids) + 1, len(topics)))  # last row: an article without topic weights
    W[ids.get_indexer(doc_topics["article_id"]), np.searchsorted(topics, doc_topics["topic"])] = \
        doc_topics["weight"].to_numpy(dtype=np.float64)
    q = [(1 - level) / 2, (1 + level) / 2]
    lows, highs = {}, {}
    groups = groups.drop_duplicates(["article_id", key])
    for name, g in groups.groupby(key, sort=True):
        rows = ids.get_indexer(g["article_id"])
        rows[rows < 0] = len(ids)
        rng = np.random.default_rng([seed, zlib.crc32(str(name).encode("utf-8"))])
        Wg, m = W[rows], len(rows)
        means = np.empty((n_boot, len(topics)))
        step = max(1, 4_000_000 // m)  # replicates drawn at once (bounded memory)
        for b0 in range(0, n_boot, step):
            b = min(step, n_boot - b0)
            draw = rng.integers(0, m, size=(b, m)) + (np.arange(b) * m)[:, None]
            reps = np.bincount(draw.ravel(), minlength=b * m).reshape(b, m)
            means[b0:b0 + b] = (reps @ Wg) / m
        lo, hi = np.quantile(means, q, axis=0)
        for j, t in enumerate(topics):
            lows[(name, t)], highs[(name, t)] = lo[j], hi[j]
    pairs = list(zip(out[key], out["topic"]))
    out = out.copy()
    out["mean_weight_low"] = [lows.get(p, np.nan) for p in pairs]
    out["mean_weight_high"] = [highs.get(p, np.nan) for p in pairs]
    return out


def topics_over_time(
    doc_topics: pd.DataFrame,
    articles: pd.DataFrame,
    freq: str = "M",
    by: str | None = None,
) -> pd.DataFrame:
    """Topic prevalence per period (and optionally per ``by`` column of articles, e.g. "outlet").

    ``freq``: ``"M"`` (month, also ``"MS"``), ``"W"`` (ISO week), ``"D"``, ``"Q"``, ``"Y"``;
    periods are the package's string labels (:func:`analysis.measures.cooccurrence.period_labels`:
    ``"2018-03"``, the week's Monday ``"2018-03-05"``), as in coverage and co-mentions.
    Articles without a date are left out.

    Columns: ``period`` (str), [``by``,] ``topic``, ``n_articles``, ``mean_weight``,
    ``dominant_share``, ``n_dominant``; sorted by period, [by,] topic.
    """
    from analysis.measures.cooccurrence import period_labels

    a = articles[["article_id", "published"] + ([by] if by else [])].dropna(subset=["published"])
    period = period_labels(a["published"], freq).to_numpy(dtype=object)
    if by:
        key = "_group"
        groups = pd.DataFrame({"article_id": a["article_id"].to_numpy(),
                               key: list(zip(period, a[by]))})
    else:
        key = "period"
        groups = pd.DataFrame({"article_id": a["article_id"].to_numpy(), key: period})
    out = _group_prevalence(doc_topics, groups, key)
    if by:
        out.insert(0, "period", [p for p, _ in out[key]])
        out.insert(1, by, [b for _, b in out[key]])
        out = out.drop(columns=key).sort_values(["period", by, "topic"]).reset_index(drop=True)
    out["period"] = out["period"].astype(str)
    return out
