"""Document-term counts for topic models: :class:`ArabicVectorizer`.

Tokens are :mod:`analysis.text.tokenize`'s ``"alnum"`` tokens (runs of letters
and digits; diacritics, tatweel and bidi marks deleted first, so they stay inside
a token), counted by :func:`analysis.text.vectorize.doc_term_counts`, which
normalizes each distinct spelling once (:func:`analysis.text.normalize.normalize`)
and hands it to this module's rules:

* dropped when it is an Arabic stopword: the package's list
  (:func:`analysis.text.stopwords.stopwords`, stopwords-iso), plus
  ``extra_stopwords``; the check is made before and after clitic stripping, and
  (``clitic_stopwords``, default) a stopword behind a proclitic و/ف/ب/ل/ك or و/ف + ب/ل/ك
  is dropped too (وذلك, فقد, ولكن, لذلك, ولذلك), except the short stopwords that content
  words end in (ولي, باب, بوتين, ولاية stay);
* dropped when it holds a digit (``remove_numbers``) or is Latin
  (``remove_latin``; kept Latin tokens are lower-cased and English stopwords-iso
  words dropped);
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
(most frequent terms) follow scikit-learn's ``CountVectorizer``. Terms are
normalized/stemmed keys (``terms_``); every term has a readable surface
(``surfaces_``, :func:`analysis.text.vectorize.surface_forms`): its most frequent
original spelling, so users see الحكومة rather than the key حكومه.
"""
from __future__ import annotations

from collections.abc import Iterable
import re

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator

from analysis.text.stopwords import NEWS_STOPWORDS, stopwords
from analysis.text.vectorize import doc_term_counts

__all__ = ["ArabicVectorizer", "NEWS_STOPWORDS", "as_texts", "light10"]

_ARABIC_RE = re.compile(r"[\u0621-\u064a]+")
_LATIN_RE = re.compile(r"[a-z]+")
_DIGIT_RE = re.compile(r"\d")

_PROCLITIC_LETTERS = frozenset("وفبلك")
# stopwords-iso entries that, behind a proclitic, are mostly the end of a content word (ANT, words
# seen 150 times or more): ولي = و+لي, باب = ب+اب, فعل = ف+عل, لبي = ل+بي, وام = و+ام,
# ولاية = و+ل+ايه, وفاة, كلمة, بوتين
_UNSAFE_BASES = frozenset({"لي", "اب", "عل", "بي", "ام", "ايه", "اه", "مه", "تين"})
_PREFIXES_PREFIX = ("وال", "فال", "بال", "كال", "ولل", "فلل", "لل", "ال", "و", "ف", "ب", "ل", "ك")
_LIGHT10_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_LIGHT10_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")
STEMS = ("none", "prefix", "light")


def light10(word: str) -> str:
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


def as_texts(X) -> tuple[list[str], np.ndarray]:
    """(texts, article_ids) from an articles DataFrame (title + text) or a sequence of str."""
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
    clitic_stopwords : bool
        Also drop a stopword behind one or two proclitics (وقال, وفي, ولم, فلم).

    Attributes
    ----------
    terms_ : ndarray of str - normalized/stemmed term keys, column order.
    surfaces_ : ndarray of str - readable surface form of each term.
    vocabulary_ : dict term -> column.
    document_frequency_ : ndarray of int.
    stopwords_ : frozenset - the stopwords applied.
    word_counts_ : dict - occurrences of each normalized Arabic word in the fitted
        texts (what ``stem="prefix"`` checks a stripped clitic against).
    """

    def __init__(
        self,
        stem: str = "prefix",
        min_df=5,
        max_df=0.05,
        max_features: int | None = 20000,
        remove_numbers: bool = True,
        remove_latin: bool = True,
        news_stopwords: bool = False,
        extra_stopwords: Iterable[str] | None = None,
        min_len: int = 2,
        clitic_stopwords: bool = True,
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
        self.clitic_stopwords = clitic_stopwords

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return self.terms_.copy()

    # -- the rules applied to each distinct token
    def _classify(self, norm: str, stop: frozenset, english: frozenset) -> tuple[str | None, str]:
        """(term before stemming or None to drop, kind)."""
        if not norm:
            return None, "empty"
        if _ARABIC_RE.fullmatch(norm):
            return (None if norm in stop else norm), "arabic"
        if _DIGIT_RE.search(norm):
            return (None if self.remove_numbers else norm), "number"
        low = norm.lower()
        if _LATIN_RE.fullmatch(low):
            if self.remove_latin or low in english:
                return None, "latin"
            return low, "latin"
        return None, "other"

    @staticmethod
    def _clitic_stopword(word: str, stop: frozenset) -> bool:
        """A stopword behind a proclitic و/ف/ب/ل/ك, or behind و/ف then ب/ل/ك (وقال, وفي, ولم,
        فلم, وبعد, ولذلك, وبذلك); the remainder has at least two letters and is not one of the
        short stopwords that content words end in (:data:`_UNSAFE_BASES`: ولي, باب, بوتين, ولاية)."""
        if len(word) < 3 or word[0] not in _PROCLITIC_LETTERS:
            return False
        rest = word[1:]
        if rest in stop and rest not in _UNSAFE_BASES:
            return True
        if word[0] in "وف" and len(rest) >= 3 and rest[0] in "بلك":
            rest = rest[1:]
            return rest in stop and rest not in _UNSAFE_BASES
        return False

    def _stem_word(self, word: str, stop: frozenset, freq: dict) -> str | None:
        if self.clitic_stopwords and self._clitic_stopword(word, stop):
            return None
        if self.stem == "none":
            out = word
        elif self.stem == "light":
            out = light10(word)
        else:  # prefix: article always, single-letter clitics when attested
            out = word
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
        if out in stop:
            return None
        return out if len(out) >= self.min_len else None

    def _analyzer(self, stop: frozenset, freq: dict | None) -> tuple:
        """``(analyze, learned)``: ``analyze(norms, counts)`` for
        :func:`analysis.text.vectorize.doc_term_counts` gives the term (or none) of every distinct
        token. ``freq=None`` (fitting): the word counts are counted from these tokens and left in
        ``learned["freq"]``."""
        english = stopwords("en") if not self.remove_latin else frozenset()
        learned: dict = {}

        def analyze(norms: list[str], counts: np.ndarray) -> list[list[str]]:
            pre = [self._classify(w, stop, english) for w in norms]
            words = freq
            if words is None:  # words attested on their own (with or without the article)
                words = {}
                for (w, kind), c in zip(pre, counts.tolist()):
                    if w is not None and kind == "arabic":
                        words[w] = words.get(w, 0) + c
                learned["freq"] = words
            out = []
            for w, kind in pre:
                t = None if w is None else self._stem_word(w, stop, words) if kind == "arabic" else w
                out.append([] if t is None else [t])
            return out

        return analyze, learned

    def _check(self):
        if self.stem not in STEMS:
            raise ValueError(f"stem must be one of {STEMS}, got {self.stem!r}")

    # -- fitting
    def fit(self, X, y=None):
        self.fit_transform(X)
        return self

    def fit_transform(self, X, y=None) -> sp.csr_matrix:
        """Learn the vocabulary and return the document-term count matrix (float64)."""
        self._check()
        texts, _ = as_texts(X)
        stop = stopwords("ar", extra=self.extra_stopwords, news=self.news_stopwords)
        analyze, learned = self._analyzer(stop, None)
        dt = doc_term_counts(texts, chars="alnum", analyze=analyze)
        M, keys = dt.counts, dt.vocabulary
        n_docs = M.shape[0]
        df = dt.document_frequency
        lo = self.min_df if isinstance(self.min_df, (int, np.integer)) else int(np.ceil(self.min_df * n_docs))
        hi = self.max_df if isinstance(self.max_df, (int, np.integer)) else int(np.floor(self.max_df * n_docs))
        if hi < lo:
            raise ValueError(f"max_df ({self.max_df}) corresponds to fewer documents than min_df ({self.min_df})")
        keep = np.flatnonzero((df >= lo) & (df <= hi))
        if self.max_features is not None and len(keep) > self.max_features:
            tf = np.asarray(M.sum(axis=0)).ravel()[keep]
            order = np.lexsort((keys[keep].astype(str), -tf))  # frequent first, ties by term
            keep = np.sort(keep[order[: self.max_features]])  # the vocabulary is sorted: so are its columns
        if len(keep) == 0:
            raise ValueError("no terms left after preprocessing; lower min_df or raise max_df")
        self.terms_ = keys[keep].astype(str)
        self.vocabulary_ = {t: i for i, t in enumerate(self.terms_)}
        self.document_frequency_ = df[keep]
        self.surfaces_ = dt.surfaces[keep].astype(str)
        self.stopwords_ = stop
        self.word_counts_ = learned["freq"]
        return M[:, keep].astype(np.float64).tocsr()

    def transform(self, X) -> sp.csr_matrix:
        """Document-term counts of new documents over the fitted vocabulary (float64)."""
        if not hasattr(self, "terms_"):
            raise RuntimeError("ArabicVectorizer is not fitted")
        texts, _ = as_texts(X)
        analyze, _ = self._analyzer(self.stopwords_, self.word_counts_)
        dt = doc_term_counts(texts, chars="alnum", analyze=analyze, vocabulary=self.terms_, surfaces=False)
        return dt.counts.astype(np.float64).tocsr()

    def surface(self, term: str) -> str:
        """Readable surface form of a term key."""
        return self.surfaces_[self.vocabulary_[term]]
