"""Topic models for Arabic news, with measured quality.

Pipeline: articles --ArabicVectorizer--> doc-term counts --TopicModel--> topics, doc_topics.

Preprocessing (:class:`ArabicVectorizer`)
    Tokens are runs of letters/digits in the original text (diacritics, tatweel
    and bidi marks stay inside a token).  Each distinct surface token is
    normalized once with :func:`analysis.text.normalize.normalize` and then

    * dropped when it is an Arabic stopword: the stopwords-iso list
      (``stopwordsiso.stopwords("ar")``), normalized the same way, plus
      ``extra_stopwords``; the check is made before and after clitic stripping;
    * dropped when it holds a digit (``remove_numbers``) or is Latin
      (``remove_latin``; kept Latin tokens are lower-cased and English
      stopwords-iso words dropped);
    * stemmed according to ``stem``:
      ``"none"``; ``"prefix"`` strips the conjunctions و/ف, the prepositions
      ب/ك/ل when the remainder is a word at least as frequent in the corpus
      (so وزير stays وزير, وإيران becomes ايران), and the article ال / لل / وال /
      بال ... when at least three letters remain (والحكومة becomes حكومه);
      ``"light"`` is Larkey's Light10 stemmer (prefixes و, ال, وال,
      بال, كال, فال, لل and suffixes ها ان ات ون ين يه يه ه ي, without the
      attestation check);
    * kept when at least ``min_len`` characters long.

    Why ``"prefix"`` is the default (benchmarks/bench_topics.py, ANT, k=20):
    ``"none"`` has the higher NPMI (0.47 vs 0.43, held-out too, also with
    variant pairs left out) and raw diversity (0.93 vs 0.91), but its top
    terms repeat one word in clitic variants (الدراسة/دراسة, الهجوم/هجوم: 15
    such pairs in the top 10s) and, counting variants as one term, its
    diversity is 0.83 against 0.90. ``"light"`` (suffixes too) is lower on
    every measure. ``stem="none"`` is one parameter away when coherence
    matters more than readable, non-repeating topics.

    Document-frequency bounds (``min_df``, ``max_df``) and ``max_features``
    (most frequent terms) follow scikit-learn's ``CountVectorizer``.  Terms are
    normalized/stemmed keys (``terms_``); every term has a readable surface
    (``surfaces_``): its most frequent original spelling (diacritics and
    tatweel removed), so users see الحكومة rather than the key حكومه.

Models (:class:`TopicModel`, :func:`fit_topics`)
    ``method="nmf"`` (default): scikit-learn NMF on sublinear TF-IDF, nndsvd
    initialisation, coordinate descent; ``method="lda"``: scikit-learn
    LatentDirichletAllocation (batch variational Bayes) on counts.  Topics are
    numbered by prevalence in the fitted documents (topic 0 is the largest).

Quality
    :func:`npmi` - coherence of each topic's top terms (10 by default) from
    document co-occurrence: for each pair of terms
    ``npmi = log(p(a,b) / (p(a) p(b))) / -log p(a,b)`` with p the share of
    documents containing the term(s); a pair that never co-occurs scores -1
    (the lower bound, no smoothing), a pair present in every document scores 1.
    A topic's NPMI is the mean over its pairs; the model's the mean over topics.
    It is computed on the fitting documents and on held-out documents
    (:func:`fit_topics` holds out ``heldout`` of the articles with a fixed seed
    and never fits on them), so preprocessing cannot flatter itself.
    :func:`diversity` - unique share of all topics' top-25 terms.
    :func:`choose_k` - these measures over a range of k.
    :func:`topic_stability` - fits with several seeds, matches topics between
    runs (Hungarian assignment on cosine similarity of topic-term weights) and
    reports the similarities.

Comparison
    :func:`topic_prevalence` (by entity or country from a mentions table),
    :func:`topics_over_time`, :func:`topic_labels`.

Tables
    topics: ``topic, rank, term, weight`` (+ ``key``: the normalized term);
    doc_topics: ``article_id, topic, weight`` (weights of a document sum to 1).
"""
from __future__ import annotations

import re
import time
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator

__all__ = [
    "ArabicVectorizer",
    "TopicModel",
    "fit_topics",
    "npmi",
    "diversity",
    "split_heldout",
    "choose_k",
    "topic_stability",
    "match_topics",
    "topic_prevalence",
    "topics_over_time",
    "topic_labels",
    "arabic_stopwords",
    "NEWS_STOPWORDS",
]

# --------------------------------------------------------------------------
# Preprocessing
# --------------------------------------------------------------------------

# marks that normalize() deletes and that may sit inside a word
_MARKS = (
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
    "\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff\u00ad"
)
_TOKEN_RE = re.compile(rf"(?:[^\W_]|[{_MARKS}])+")
_MARKS_RE = re.compile(rf"[{_MARKS}]")
_ARABIC_RE = re.compile(r"[\u0621-\u064a]+")
_LATIN_RE = re.compile(r"[a-z]+")
_DIGIT_RE = re.compile(r"\d")

# Reporting verbs and weekdays frequent in wire copy, not in stopwords-iso.
# Off by default: benchmarks/bench_topics.py measured no gain on ANT (NPMI and
# held-out NPMI within 0.002, diversity within 0.002). Normalized form.
NEWS_STOPWORDS = frozenset(
    """
    وقال قالت اضاف اضافت واضاف واضافت اكد اكدت واكد واكدت اشار اشارت واشار
    واشارت اوضح اوضحت واوضح اعلن اعلنت واعلن ذكر ذكرت وذكر وذكرت اعتبر وتابع
    تابع ويقول يقول تقول وتقول بحسب وفقا حسب خلال ايضا حيث يذكر الخميس
    الجمعه السبت الاحد الاثنين الثلاثاء الاربعاء
    """.split()
)

_PREFIXES_PREFIX = ("وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "ال", "و", "ف", "ب", "ل", "ك")
_LIGHT10_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_LIGHT10_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")
_STEMS = ("none", "prefix", "light")


@lru_cache(maxsize=1)
def _base_stopwords() -> frozenset:
    from analysis.text.normalize import normalize

    try:
        import stopwordsiso

        words = stopwordsiso.stopwords("ar")
    except Exception:  # pragma: no cover - stopwordsiso is a dependency
        words = set()
    return frozenset(w for w in (normalize(w) for w in words) if w)


@lru_cache(maxsize=1)
def _english_stopwords() -> frozenset:
    try:
        import stopwordsiso

        return frozenset(w.lower() for w in stopwordsiso.stopwords("en"))
    except Exception:  # pragma: no cover
        return frozenset()


def arabic_stopwords(extra: Iterable[str] | None = None, news: bool = False) -> frozenset:
    """Normalized Arabic stopwords: stopwords-iso, plus ``NEWS_STOPWORDS`` when
    ``news``, plus ``extra`` (normalized with :func:`analysis.text.normalize.normalize`)."""
    from analysis.text.normalize import normalize

    words = set(_base_stopwords())
    if news:
        words |= NEWS_STOPWORDS
    if extra:
        words |= {normalize(w) for w in extra}
    words.discard("")
    return frozenset(words)


def _light10(word: str) -> str:
    """Larkey et al.'s Light10 stemmer on normalized text."""
    if len(word) >= 4 and word.startswith("و"):
        word = word[1:]
    for p in _LIGHT10_PREFIXES:
        if word.startswith(p) and len(word) - len(p) >= 2:
            word = word[len(p):]
            break
    for s in _LIGHT10_SUFFIXES:
        if word.endswith(s) and len(word) - len(s) >= 2:
            word = word[: -len(s)]
    return word


def _as_texts(X) -> tuple[list[str], np.ndarray]:
    """(texts, article_ids) from an articles DataFrame or a sequence of str."""
    if isinstance(X, pd.DataFrame):
        if "text" not in X.columns and "title" not in X.columns:
            raise ValueError("articles need a 'text' (and/or 'title') column")
        parts = [X[c].fillna("").astype(str) for c in ("title", "text") if c in X.columns]
        texts = parts[0] if len(parts) == 1 else parts[0] + "\n" + parts[1]
        ids = X["article_id"].to_numpy() if "article_id" in X.columns else X.index.to_numpy()
        return texts.tolist(), ids
    if isinstance(X, (str, bytes)):
        raise TypeError("expected a sequence of texts or an articles DataFrame, got a single string")
    texts = ["" if t is None else str(t) for t in X]
    return texts, np.arange(len(texts))


class ArabicVectorizer(BaseEstimator):
    """Document-term counts for Arabic news (see module docstring).

    Parameters
    ----------
    stem : {"prefix", "light", "none"}
    min_df, max_df : int or float
        Keep terms in at least ``min_df`` / at most ``max_df`` documents
        (floats are shares of documents).
    max_features : int or None
        Keep the most frequent terms after the df bounds.
    remove_numbers, remove_latin : bool
    news_stopwords : bool
        Also drop ``NEWS_STOPWORDS`` (default False: measured no gain).
    extra_stopwords : iterable of str
    min_len : int
        Shortest term kept (characters of the normalized key).

    Attributes
    ----------
    terms_ : ndarray of str - normalized/stemmed term keys, column order.
    surfaces_ : ndarray of str - readable surface form of each term.
    vocabulary_ : dict term -> column.
    document_frequency_ : ndarray of int.
    """

    def __init__(
        self,
        stem: str = "prefix",
        min_df=5,
        max_df=0.1,
        max_features: int | None = 20000,
        remove_numbers: bool = True,
        remove_latin: bool = True,
        news_stopwords: bool = False,
        extra_stopwords: Iterable[str] | None = None,
        min_len: int = 2,
    ):
        self.stem = stem
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.remove_numbers = remove_numbers
        self.remove_latin = remove_latin
        self.news_stopwords = news_stopwords
        self.extra_stopwords = extra_stopwords
        self.min_len = min_len

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return self.terms_.copy()

    # -- tokenization
    @staticmethod
    def _scan(texts: Sequence[str]) -> tuple[list[str], list[np.ndarray]]:
        """(distinct surface tokens, surface-token ids of each document)."""
        toks = [_TOKEN_RE.findall(t) for t in texts]
        lengths = np.fromiter((len(t) for t in toks), dtype=np.int64, count=len(toks))
        flat = [w for t in toks for w in t]
        if not flat:
            return [], [np.zeros(0, dtype=np.int64) for _ in toks]
        codes, uniques = pd.factorize(pd.Series(flat, dtype=object), sort=False)
        docs = np.split(codes.astype(np.int64), np.cumsum(lengths)[:-1])
        return list(uniques), docs

    def _classify(self, norm: str) -> tuple[str | None, str]:
        """(term before stemming or None to drop, kind)."""
        if not norm:
            return None, "empty"
        if _ARABIC_RE.fullmatch(norm):
            return (None if norm in self._stop else norm), "arabic"
        if _DIGIT_RE.search(norm):
            return (None if self.remove_numbers else norm), "number"
        low = norm.lower()
        if _LATIN_RE.fullmatch(low):
            if self.remove_latin or low in _english_stopwords():
                return None, "latin"
            return low, "latin"
        return None, "other"

    def _stem_word(self, word: str) -> str | None:
        if self.stem == "none":
            out = word
        elif self.stem == "light":
            out = _light10(word)
        else:  # prefix: article always, single-letter clitics when attested
            out = word
            freq = self._freq
            for p in _PREFIXES_PREFIX:
                if not word.startswith(p):
                    continue
                rest = word[len(p):]
                if p.endswith("ال") or p.endswith("لل"):
                    if len(rest) >= 3:
                        out = rest
                        break
                    continue
                # a single conjunction/preposition: strip when the remainder is
                # a word at least as frequent as the whole (وايران -> ايران,
                # but وزير stays: زير is rare)
                if len(rest) >= 2 and freq.get(rest, 0) >= max(3, freq.get(word, 0)):
                    out = rest[2:] if rest.startswith("ال") and len(rest) >= 5 else rest
                    break
        if out in self._stop:
            return None
        return out if len(out) >= self.min_len else None

    def _build_terms(self, surfaces: list[str], counts: np.ndarray | None = None):
        """Normalized term (or None) for each surface."""
        from analysis.text.normalize import normalize

        joined = normalize("\n".join(surfaces))  # one pass; normalize maps char by char
        norms = joined.split("\n")
        if len(norms) != len(surfaces):  # pragma: no cover - a char folded to a newline
            norms = [normalize(s) for s in surfaces]
        classify = self._classify
        pre = [classify(w) for w in norms]
        if counts is not None:
            # words attested on their own (with or without the article)
            freq: dict[str, int] = {}
            for (w, kind), c in zip(pre, counts):
                if w is not None and kind == "arabic":
                    freq[w] = freq.get(w, 0) + int(c)
            self._freq = freq
        out = []
        for w, kind in pre:
            if w is None:
                out.append(None)
            elif kind == "arabic":
                out.append(self._stem_word(w))
            else:
                out.append(w)
        return out

    def _check(self):
        if self.stem not in _STEMS:
            raise ValueError(f"stem must be one of {_STEMS}, got {self.stem!r}")

    # -- fitting
    def fit(self, X, y=None):
        self.fit_transform(X)
        return self

    def fit_transform(self, X, y=None) -> sp.csr_matrix:
        """Learn the vocabulary and return the document-term count matrix."""
        self._check()
        texts, _ = _as_texts(X)
        self._stop = arabic_stopwords(self.extra_stopwords, news=self.news_stopwords)
        surfaces, docs = self._scan(texts)
        flat = np.concatenate(docs) if docs else np.zeros(0, dtype=np.int64)
        scount = np.bincount(flat, minlength=len(surfaces))
        terms = self._build_terms(surfaces, scount)
        # provisional term ids
        tid: dict[str, int] = {}
        s2t = np.full(len(surfaces), -1, dtype=np.int64)
        for i, t in enumerate(terms):
            if t is not None:
                s2t[i] = tid.setdefault(t, len(tid))
        keys = np.array(list(tid), dtype=object)
        M = self._counts(docs, s2t, len(tid))
        n_docs = M.shape[0]
        df = np.bincount(M.indices, minlength=len(tid))
        lo = self.min_df if isinstance(self.min_df, (int, np.integer)) else int(np.ceil(self.min_df * n_docs))
        hi = self.max_df if isinstance(self.max_df, (int, np.integer)) else int(np.floor(self.max_df * n_docs))
        if hi < lo:
            raise ValueError(f"max_df ({self.max_df}) corresponds to fewer documents than min_df ({self.min_df})")
        keep = np.flatnonzero((df >= lo) & (df <= hi))
        if self.max_features is not None and len(keep) > self.max_features:
            tf = np.asarray(M.sum(axis=0)).ravel()[keep]
            order = np.lexsort((keys[keep].astype(str), -tf))  # frequent first, ties by term
            keep = keep[order[: self.max_features]]
        if len(keep) == 0:
            raise ValueError("no terms left after preprocessing; lower min_df or raise max_df")
        # final vocabulary in sorted term order
        keep = keep[np.argsort(keys[keep].astype(str), kind="stable")]
        self.terms_ = keys[keep].astype(str)
        self.vocabulary_ = {t: i for i, t in enumerate(self.terms_)}
        self.document_frequency_ = df[keep]
        # readable surfaces: most frequent original spelling, marks removed
        best: dict[int, tuple[int, str]] = {}
        remap = np.full(len(tid), -1, dtype=np.int64)
        remap[keep] = np.arange(len(keep))
        disp_counts: dict[tuple[int, str], int] = {}
        for i, s in enumerate(surfaces):
            j = s2t[i]
            if j >= 0 and remap[j] >= 0:
                key = (int(remap[j]), _MARKS_RE.sub("", s))
                disp_counts[key] = disp_counts.get(key, 0) + int(scount[i])
        for (j, s), c in disp_counts.items():
            cur = best.get(j)
            if cur is None or c > cur[0] or (c == cur[0] and s < cur[1]):
                best[j] = (c, s)
        self.surfaces_ = np.array([best[j][1] if j in best else self.terms_[j]
                                   for j in range(len(self.terms_))], dtype=object).astype(str)
        self._cache = {}
        return M[:, keep].tocsr()

    @staticmethod
    def _counts(docs, s2t, n_terms) -> sp.csr_matrix:
        rows, cols = [], []
        for d, ids in enumerate(docs):
            t = s2t[ids]
            t = t[t >= 0]
            rows.append(np.full(len(t), d, dtype=np.int64))
            cols.append(t)
        r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        c = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
        M = sp.csr_matrix((np.ones(len(r), dtype=np.float64), (r, c)), shape=(len(docs), n_terms))
        M.sum_duplicates()
        return M

    def transform(self, X) -> sp.csr_matrix:
        """Document-term counts of new documents over the fitted vocabulary."""
        if not hasattr(self, "terms_"):
            raise RuntimeError("ArabicVectorizer is not fitted")
        texts, _ = _as_texts(X)
        surfaces, docs = self._scan(texts)
        cache = self._cache
        todo = [s for s in surfaces if s not in cache]
        if todo:
            for s, t in zip(todo, self._build_terms(todo)):
                cache[s] = self.vocabulary_.get(t, -1) if t is not None else -1
        s2t = np.array([cache[s] for s in surfaces], dtype=np.int64)
        return self._counts(docs, s2t, len(self.terms_))

    def surface(self, term: str) -> str:
        """Readable surface form of a term key."""
        return self.surfaces_[self.vocabulary_[term]]


# --------------------------------------------------------------------------
# Quality measures
# --------------------------------------------------------------------------

def npmi(doc_term, top_terms: Sequence[Sequence[int]]) -> np.ndarray:
    """NPMI coherence of each topic from document co-occurrence.

    Parameters
    ----------
    doc_term : (n_docs, n_terms) matrix (sparse or dense); a term is present in
        a document when its count is > 0.
    top_terms : per topic, the column indices of its top terms (e.g. 10).

    Returns
    -------
    ndarray of shape (n_topics,): the mean over all pairs of a topic's terms of
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
    n_topics : int
    method : {"nmf", "lda"}
    random_state : int
    stem, min_df, max_df, max_features, remove_numbers, remove_latin,
    news_stopwords, extra_stopwords : preprocessing, see :class:`ArabicVectorizer`.
    sublinear_tf : bool - NMF input is TF-IDF with 1 + log(tf) when True.
    alpha_W, alpha_H, l1_ratio : NMF regularization (sklearn.decomposition.NMF).
    beta_loss : NMF loss ("frobenius" or "kullback-leibler").
    max_iter, tol : solver settings (max_iter None: 400 for NMF, 50 for LDA).
    doc_topic_prior, topic_word_prior : LDA priors (None = 1/n_topics).
    n_top_terms : default number of terms per topic in :meth:`topics`.

    Attributes
    ----------
    vectorizer_ : fitted :class:`ArabicVectorizer`
    terms_ : term keys (normalized/stemmed), columns of ``components_``
    surfaces_ : readable surface form of each term
    components_ : (n_topics, n_terms) topic-term weights, rows sum to 1
    article_ids_ : ids of the fitted articles
    doc_topic_ : (n_docs, n_topics) document-topic weights of the fitted
        articles, rows sum to 1 (0 for a document with no kept term)
    estimator_ : the underlying scikit-learn model
    n_iter_, fit_seconds_
    """

    def __init__(
        self,
        n_topics: int = 20,
        method: str = "nmf",
        random_state: int = 0,
        stem: str = "prefix",
        min_df=5,
        max_df=0.1,
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
    ):
        self.n_topics = n_topics
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

    _VEC_PARAMS = ("stem", "min_df", "max_df", "max_features", "remove_numbers",
                   "remove_latin", "news_stopwords", "extra_stopwords")

    # -- fitting
    def _make_vectorizer(self) -> ArabicVectorizer:
        return ArabicVectorizer(**{k: getattr(self, k) for k in self._VEC_PARAMS})

    def fit(self, X, y=None):
        """Fit on an articles DataFrame (columns title/text, article_id) or texts."""
        if self.method not in ("nmf", "lda"):
            raise ValueError(f"method must be 'nmf' or 'lda', got {self.method!r}")
        _, ids = _as_texts(X)
        vec = self._make_vectorizer()
        counts = vec.fit_transform(X)
        return self._fit_counts(counts, vec, ids)

    def _fit_counts(self, counts: sp.csr_matrix, vectorizer: ArabicVectorizer, ids=None):
        """Fit on a precomputed doc-term count matrix from ``vectorizer``."""
        if self.method not in ("nmf", "lda"):
            raise ValueError(f"method must be 'nmf' or 'lda', got {self.method!r}")
        if counts.shape[0] < self.n_topics:
            raise ValueError(f"{counts.shape[0]} documents are too few for {self.n_topics} topics")
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
                n_components=self.n_topics, init="nndsvd", solver="cd",
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
                n_components=self.n_topics, learning_method="batch",
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
        order = np.lexsort((np.arange(self.n_topics), -W.sum(axis=0)))
        self._order = order
        Hs = H[order]
        sums = Hs.sum(axis=1, keepdims=True)
        self.components_ = np.divide(Hs, sums, out=np.zeros_like(Hs), where=sums > 0)
        self.doc_topic_ = W[:, order]
        self._counts_fit = counts
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
        """(n_docs, n_topics) topic weights of new articles/texts (rows sum to 1)."""
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
        """Topics table: topic, rank (1 = top), term (readable surface), weight
        (share of the topic's term weight), key (normalized term)."""
        rows = []
        for k, idx in enumerate(self.top_term_indices(n_terms)):
            for r, j in enumerate(idx, start=1):
                rows.append((k, r, self.surfaces_[j], float(self.components_[k, j]), self.terms_[j]))
        return pd.DataFrame(rows, columns=["topic", "rank", "term", "weight", "key"])

    def doc_topics(self, X=None, min_weight: float = 0.0) -> pd.DataFrame:
        """doc_topics table: article_id, topic, weight (a document's weights sum
        to 1), for the fitted articles (``X=None``) or new ones; rows with
        weight <= ``min_weight`` are left out when ``min_weight`` > 0.
        Sorted by article order, then topic."""
        self._check_fitted()
        if X is None:
            W, ids = self.doc_topic_, self.article_ids_
        else:
            _, ids = _as_texts(X)
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
        """Quality summary: {"npmi", "npmi_heldout", "diversity", "n_topics",
        "topics": [{"topic", "npmi", "npmi_heldout", "terms", "keys", "label"}]}."""
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
                "terms": [str(self.surfaces_[j]) for j in idx[k]],
                "keys": [str(self.terms_[j]) for j in idx[k]],
            }
            for k in range(self.n_topics)
        ]
        return {
            "method": self.method,
            "n_topics": self.n_topics,
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
    k: int = 20,
    method: str = "nmf",
    random_state: int = 0,
    heldout: float = 0.1,
    **params,
) -> TopicModel:
    """Fit a :class:`TopicModel` on ``articles`` holding out a share for quality.

    ``heldout`` of the articles (chosen with ``random_state``) are not used to
    fit; they give ``npmi_heldout``.  The returned model carries
    ``quality_`` (see :meth:`TopicModel.quality`), ``heldout_ids_`` and
    ``doc_topics_``: the doc_topics table of ALL articles (held-out ones via
    ``transform``), sorted by article order then topic.

    With fewer than ``SMALL_CORPUS`` (1,000) fitting articles, ``min_df`` and
    ``max_df`` default to ``SMALL_CORPUS_BOUNDS`` (2 and 0.6) instead of 5 and
    0.1, unless given.
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
    model = TopicModel(n_topics=k, method=method, random_state=random_state, **params)
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
        m = TopicModel(n_topics=k, method=method, random_state=random_state, **params)
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


def topic_stability(
    articles,
    k: int = 20,
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
        m = TopicModel(n_topics=k, method=method, random_state=s, **params)
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


# --------------------------------------------------------------------------
# Comparison helpers
# --------------------------------------------------------------------------

def topic_labels(topics: pd.DataFrame, n: int = 3, sep: str = " · ") -> pd.Series:
    """Short label per topic: its top ``n`` terms (readable surfaces) joined by
    ``sep``. Input: a topics table (topic, rank, term, ...). Index: topic."""
    t = topics[topics["rank"] <= n].sort_values(["topic", "rank"])
    return t.groupby("topic", sort=True)["term"].agg(lambda s: sep.join(s)).rename("label")


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
) -> pd.DataFrame:
    """Topic prevalence among the articles mentioning each entity (or country).

    Parameters
    ----------
    doc_topics : article_id, topic, weight (all topics of each article).
    mentions : the mentions table (article_id, entity_id, country, ...).
    by : "entity_id" or "country" (mentions rolled up to their country).
    entities : keep only these ids (e.g. the focus entities RUS, SYR, IRN).
    labels : optional topic -> label Series (adds a ``label`` column).

    Returns columns <by>, topic, n_articles (articles mentioning it),
    mean_weight (mean topic weight over those articles), dominant_share (share
    of those articles whose highest-weight topic is this one), n_dominant
    [, label]; sorted by <by>, topic.
    """
    if by not in mentions.columns:
        raise ValueError(f"mentions has no column {by!r}")
    g = mentions[["article_id", by]].dropna()
    if entities is not None:
        g = g[g[by].isin(list(entities))]
    out = _group_prevalence(doc_topics, g, by)
    if labels is not None:
        out["label"] = out["topic"].map(labels)
    return out


def topics_over_time(
    doc_topics: pd.DataFrame,
    articles: pd.DataFrame,
    freq: str = "MS",
    by: str | None = None,
) -> pd.DataFrame:
    """Topic prevalence per period (and optionally per ``by`` column of
    articles, e.g. "outlet"). Columns: period, [by,] topic, n_articles,
    mean_weight, dominant_share, n_dominant. Articles without a date are
    left out. ``freq`` is a pandas period alias ("MS" month, "W" week, "D")."""
    a = articles[["article_id", "published"] + ([by] if by else [])].dropna(subset=["published"])
    pub = pd.to_datetime(a["published"], utc=True)
    period = pub.dt.tz_localize(None).dt.to_period(
        "M" if freq in ("MS", "ME", "M") else freq).dt.start_time
    if by:
        key = "_group"
        groups = pd.DataFrame({"article_id": a["article_id"].to_numpy(),
                               key: list(zip(period, a[by]))})
    else:
        key = "period"
        groups = pd.DataFrame({"article_id": a["article_id"].to_numpy(), key: period.to_numpy()})
    out = _group_prevalence(doc_topics, groups, key)
    if by:
        out.insert(0, "period", [p for p, _ in out[key]])
        out.insert(1, by, [b for _, b in out[key]])
        out = out.drop(columns=key).sort_values(["period", by, "topic"]).reset_index(drop=True)
    return out
