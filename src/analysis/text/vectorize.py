"""Document-term counts and readable surface forms: the design's *vectorize* stage.

:func:`doc_term_counts` turns texts into a sparse documents x terms count matrix
(``scipy.sparse`` CSR, int64). Both the topic vectorizer
(:class:`analysis.topics.vectorizer.ArabicVectorizer`) and keyness
(:class:`analysis.measures.keywords.KeynessIndex`) build their counts with it.
It reads every text once:

1. the tokens of each text in their original spelling (:func:`analysis.text.tokenize.raw_tokens`:
   the ``chars`` rule, the characters normalization deletes deleted first) are
   numbered with one hash table (``pandas.factorize``);
2. each distinct spelling is normalized once (:func:`analysis.text.normalize.normalize`,
   one pass over all of them) and mapped to its terms by ``analyze`` (default: the
   tokens of its lower-cased normalized form, usually the one term it spells);
3. every token of every text is replaced by its spelling's terms.

Because normalization maps character by character, this equals normalizing each
text and tokenizing it, except at a few characters (``™`` -> ``tm``, ``﷼`` -> ``ريال``,
``Σ``, characters beyond the BMP). With ``exact=True`` the texts holding one of those
are tokenized whole after normalizing, so the counts are exactly those of the
normalized text (keyness needs that; tested).

:func:`surface_forms` is the one surface-form builder: a term's *surface* is its most
frequent original spelling in the corpus (diacritics and tatweel removed; ties to
the alphabetically first), so readers see ``الغوطة`` and ``إدلب`` rather than the
keys ``الغوطه`` and ``ادلب``.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
import re

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.text.tokenize import deleted_chars, strip_marks, token_pattern

__all__ = ["DocTermCounts", "doc_term_counts", "surface_forms", "normalize_many"]


def normalize_many(words: Sequence[str]) -> list[str]:
    """:func:`analysis.text.normalize.normalize` of every word, in one pass (it maps character by character)."""
    from analysis.text.normalize import normalize

    words = list(words)
    if not words:
        return []
    out = normalize("\n".join(words)).split("\n")
    if len(out) != len(words):  # pragma: no cover - a character normalized to a line break
        out = [normalize(w) for w in words]
    return out


def surface_forms(spellings: Sequence[str], counts, terms: Sequence[str | None]) -> pd.Series:
    """The readable surface of every term: its most frequent spelling.

    ``spellings[i]`` (an original token, marks removed) occurs ``counts[i]`` times and
    counts for term ``terms[i]`` (None: for none). A spelling listed twice for one term
    has its counts added. Ties go to the alphabetically first spelling. Returns a
    Series term -> surface, sorted by term.
    """
    t = pd.DataFrame({"term": pd.Series(list(terms), dtype=object),
                      "surface": pd.Series(list(spellings), dtype=object),
                      "n": np.asarray(counts, dtype=np.int64)})
    t = t[t["term"].notna()]
    if t.duplicated(["term", "surface"]).any():
        t = t.groupby(["term", "surface"], sort=False, as_index=False)["n"].sum()
    t = t.sort_values(["term", "n", "surface"], ascending=[True, False, True], kind="mergesort")
    t = t.drop_duplicates("term")
    return pd.Series(t["surface"].to_numpy(dtype=object), index=pd.Index(t["term"].to_numpy(dtype=object)),
                     name="surface")


@lru_cache(maxsize=None)
def _whole_text_chars(chars: str) -> re.Pattern:
    """Characters that make a text be tokenized whole (``exact=True``): characters outside
    tokens whose normalized, lower-cased form holds a token character (``™`` -> ``tm``),
    ``Σ`` (lower-cased by context) and characters beyond the BMP (normalize's table covers the BMP)."""
    from analysis.text.normalize import normalize

    tok = token_pattern(chars)
    gone = set(deleted_chars())
    bad = ["\u03a3"]
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        if ch in gone or tok.fullmatch(ch):
            continue
        f = normalize(ch).lower()
        if f != ch and tok.search(f):
            bad.append(ch)
    return re.compile("[" + re.escape("".join(bad)) + "\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class DocTermCounts:
    """What :func:`doc_term_counts` returns.

    ``counts``: CSR int64, documents x terms; ``vocabulary``: the terms (object array of
    str), sorted unless a vocabulary was given; ``surfaces``: the readable spelling of
    each term (the term itself where the texts have none); ``spellings``, ``spelling_counts``:
    the distinct original tokens and their occurrences; ``spelling_terms``: the terms of
    each spelling.
    """

    counts: sparse.csr_matrix
    vocabulary: np.ndarray
    surfaces: np.ndarray
    spellings: list
    spelling_counts: np.ndarray
    spelling_terms: list

    @property
    def document_frequency(self) -> np.ndarray:
        """Documents holding each term (int64)."""
        return np.bincount(self.counts.indices, minlength=self.counts.shape[1]).astype(np.int64)


def _default_analyze(chars: str) -> Callable:
    tok = token_pattern(chars)

    def analyze(norms: list[str], counts: np.ndarray) -> list[list[str]]:
        return [tok.findall(n.lower()) for n in norms]

    return analyze


def doc_term_counts(
    texts: Iterable[str],
    *,
    chars: str = "letters",
    analyze: Callable[[list[str], np.ndarray], list[list[str]]] | None = None,
    exact: bool = False,
    vocabulary: Sequence[str] | None = None,
    surfaces: bool = True,
    n_docs: int | None = None,
    progress: bool = False,
    desc: str = "vectorize",
) -> DocTermCounts:
    """Count the terms of every text (see module docstring).

    Parameters
    ----------
    texts : iterable of str, one document each (anything else counts as empty).
    chars : the token rule of :mod:`analysis.text.tokenize` (``"letters"``, ``"alnum"``, ``"word"``).
    analyze : ``analyze(norms, counts) -> terms`` maps every distinct spelling, given its
        normalized form (not lower-cased) and its number of occurrences, to a list of terms
        (empty: the token is dropped). Default: the ``chars`` tokens of the lower-cased
        normalized form.
    exact : texts holding a character for which token-by-token normalization differs from
        normalizing the text are tokenized whole (only with the default ``analyze``).
    vocabulary : fixed terms, in column order; terms outside it are not counted.
    surfaces : compute the surface forms (False: ``surfaces`` holds the terms themselves).
    n_docs : number of texts, for the progress bar when ``texts`` is a generator.

    Returns a :class:`DocTermCounts`.
    """
    from tqdm.auto import tqdm

    if exact and analyze is not None:
        raise ValueError("exact=True tokenizes some texts whole: it takes the default analyze only")
    tok = token_pattern(chars)
    whole = _whole_text_chars(chars) if exact else None
    if analyze is None:
        analyze = _default_analyze(chars)
    raw: list[list[str]] = []
    direct: dict[int, list[str]] = {}  # texts tokenized whole (exact)
    if whole is not None:
        from analysis.text.normalize import normalize
    for i, d in enumerate(tqdm(texts, total=n_docs, disable=not progress, desc=desc)):
        if not isinstance(d, str):
            d = ""
        raw.append(tok.findall(strip_marks(d)))
        if whole is not None and whole.search(d):
            direct[i] = tok.findall(normalize(d).lower())
    n = len(raw)
    lengths = np.fromiter(map(len, raw), dtype=np.int64, count=n)
    flat = np.fromiter(chain.from_iterable(raw), dtype=object, count=int(lengths.sum()))
    del raw
    codes, types = pd.factorize(flat)
    del flat
    types = np.asarray(types, dtype=object).tolist()
    type_counts = np.bincount(codes, minlength=len(types)).astype(np.int64)
    type_terms = analyze(normalize_many(types), type_counts)
    if len(type_terms) != len(types):
        raise ValueError(f"analyze returned {len(type_terms)} term lists for {len(types)} spellings")

    # term ids: the terms of every spelling, then those of the texts tokenized whole
    n_tok = np.fromiter(map(len, type_terms), dtype=np.int64, count=len(type_terms))
    direct_rows = np.fromiter(direct, dtype=np.int64, count=len(direct))
    direct_len = np.fromiter((len(direct[r]) for r in direct_rows.tolist()), dtype=np.int64, count=len(direct_rows))
    keys = np.fromiter(chain(chain.from_iterable(type_terms), chain.from_iterable(direct.values())),
                       dtype=object, count=int(n_tok.sum() + direct_len.sum()))
    kcodes, uniq = pd.factorize(keys)
    del keys
    uniq = np.asarray(uniq, dtype=object)
    if vocabulary is None:
        order = np.argsort(uniq, kind="stable")  # vocabulary in sorted order
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        vocab = uniq[order]
    else:
        vocab = np.asarray(list(vocabulary), dtype=object)
        rank = pd.Index(vocab).get_indexer(uniq).astype(np.int64)  # -1: not in the vocabulary
    kcodes = rank[kcodes] if len(kcodes) else kcodes.astype(np.int64)
    n_type_terms = int(n_tok.sum())
    type_ids, direct_ids = kcodes[:n_type_terms], kcodes[n_type_terms:]

    # every token of a text (not tokenized whole) replaced by its spelling's terms (most: one)
    row = np.repeat(np.arange(n, dtype=np.int64), lengths)
    if len(direct_rows):
        keep = ~np.isin(row, direct_rows)
        row, codes = row[keep], codes[keep]
    first = np.concatenate(([0], np.cumsum(n_tok)[:-1])).astype(np.int64)
    single = (np.where(n_tok == 1, type_ids[np.minimum(first, len(type_ids) - 1)], -1) if len(type_ids)
              else np.full(len(n_tok), -1, dtype=np.int64))
    cols = single[codes] if len(codes) else np.zeros(0, dtype=np.int64)
    other = (cols < 0) & (n_tok[codes] != 1) if len(codes) else np.zeros(0, dtype=bool)
    extra_rows = np.repeat(direct_rows, direct_len)  # one per token of the texts tokenized whole
    extra_ids = direct_ids
    if other.any():  # spellings of several terms: expand
        row_o, codes_o = row[other], codes[other]
        k = n_tok[codes_o]
        ends = np.cumsum(k)
        within = np.arange(int(ends[-1]) if len(ends) else 0, dtype=np.int64) - np.repeat(ends - k, k)
        extra_rows = np.concatenate((extra_rows, np.repeat(row_o, k)))
        extra_ids = np.concatenate((extra_ids, type_ids[np.repeat(first[codes_o], k) + within]))
    ok = cols >= 0
    row, cols = row[ok], cols[ok]
    good = extra_ids >= 0
    extra_rows, extra_ids = extra_rows[good], extra_ids[good]
    # rows are in order: CSR straight away; the few other tokens added as COO
    indptr = np.concatenate(([0], np.cumsum(np.bincount(row, minlength=n)))).astype(np.int64)
    X = sparse.csr_matrix((np.ones(len(cols), dtype=np.int64), cols, indptr), shape=(n, len(vocab)))
    if len(extra_rows):
        X = X + sparse.coo_matrix((np.ones(len(extra_rows), dtype=np.int64), (extra_rows, extra_ids)),
                                  shape=X.shape).tocsr()
    X.sum_duplicates()

    if surfaces:
        one = [t[0] if len(t) == 1 else None for t in type_terms]
        forms = surface_forms(types, type_counts, one)
        surf = np.array(forms.reindex(vocab).to_numpy(dtype=object), dtype=object)
        missing = pd.isna(surf)
        surf[missing] = vocab[missing]
    else:
        surf = vocab.copy()
    return DocTermCounts(counts=X, vocabulary=vocab, surfaces=surf, spellings=types,
                         spelling_counts=type_counts, spelling_terms=type_terms)
