"""Tokens of Arabic news text: one rule, with the options the package's stages need.

A *token* is a maximal run of word characters. Which characters count is the
``chars`` option:

* ``"letters"`` - letters only (``[^\\W\\d_]``): digits, ``_`` and punctuation
  separate tokens. Keyness counts these.
* ``"alnum"`` - letters and digits (``[^\\W_]``). The topic vectorizer reads
  these (and then drops the tokens holding a digit, by default).
* ``"word"`` - regex ``\\w``: letters, digits and ``_``. The word count behind
  coverage's mentions per 1,000 words.

``join_marks`` (default True): the characters :func:`analysis.text.normalize.normalize`
deletes - diacritics, tatweel, zero-width and bidi marks, soft hyphen (see
:func:`deleted_chars`) - are deleted before the text is split, so a word
written with them stays one token (``كتَب`` and ``كتـب`` are one token each,
reading ``كتب``). With ``join_marks=False`` they split words, as a plain
``\\w+`` does (the coverage word count keeps that rule, which its published
figures were computed with).

:func:`tokenize` gives the tokens of one text, normalized and lower-cased by
default; :func:`raw_tokens` the original spelling (marks deleted), which is
what :mod:`analysis.text.vectorize` numbers before normalizing each distinct
spelling once; :func:`count_tokens` counts the tokens of many texts at once.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
import re

import numpy as np
import pandas as pd

__all__ = ["CHARS", "token_pattern", "deleted_chars", "strip_marks", "raw_tokens", "tokenize", "count_tokens"]

CHARS = {
    "letters": r"[^\W\d_]+",
    "alnum": r"[^\W_]+",
    "word": r"\w+",
}


@lru_cache(maxsize=None)
def token_pattern(chars: str = "letters") -> re.Pattern:
    """The compiled token regex of a ``chars`` rule (see module docstring)."""
    try:
        return re.compile(CHARS[chars])
    except KeyError:
        raise ValueError(f"chars must be one of {', '.join(CHARS)}; got {chars!r}") from None


@lru_cache(maxsize=1)
def deleted_chars() -> str:
    """The characters :func:`analysis.text.normalize.normalize` deletes (diacritics, tatweel,
    zero-width and bidi marks, BOM, soft hyphen, and their presentation forms), as one string."""
    from analysis.text.normalize import translation_table

    return "".join(chr(k) for k, v in translation_table().items() if v is None)


@lru_cache(maxsize=1)
def _delete_table() -> dict[int, None]:
    return {ord(c): None for c in deleted_chars()}


def strip_marks(text: str) -> str:
    """``text`` without the characters normalization deletes (see :func:`deleted_chars`)."""
    for ch in deleted_chars():
        if ch in text:
            text = text.replace(ch, "")
    return text


def raw_tokens(text: str, *, chars: str = "letters", join_marks: bool = True) -> list[str]:
    """Tokens of ``text`` as spelt there (not normalized; with ``join_marks`` the characters
    normalization deletes are deleted first, so ``كتَب`` gives ``كتب``)."""
    if not isinstance(text, str) or not text:
        return []
    return token_pattern(chars).findall(strip_marks(text) if join_marks else text)


def tokenize(
    text: str,
    stopwords: Iterable[str] | None = None,
    *,
    chars: str = "letters",
    normalize: bool = True,
    lower: bool = True,
    min_len: int = 2,
) -> list[str]:
    """Tokens of ``text``: normalized (:func:`analysis.text.normalize.normalize`), lower-cased,
    split by the ``chars`` rule, at least ``min_len`` characters long, ``stopwords`` removed.

    ``tokenize("ذهب إلى المدرسة في 2018", stopwords("ar"))`` gives ``["ذهب", "المدرسه"]``
    (with :func:`analysis.text.stopwords.stopwords`). With ``normalize=False`` the original
    spelling, less the characters normalization deletes. Not a str, or empty: ``[]``.
    """
    if not isinstance(text, str) or not text:
        return []
    if normalize:
        from analysis.text.normalize import normalize as _normalize

        text = _normalize(text)
    else:
        text = strip_marks(text)
    if lower:
        text = text.lower()
    toks = token_pattern(chars).findall(text)
    if stopwords is None:
        return [t for t in toks if len(t) >= min_len] if min_len > 1 else toks
    sw = stopwords if isinstance(stopwords, (set, frozenset)) else frozenset(stopwords)
    return [t for t in toks if len(t) >= min_len and t not in sw]


def count_tokens(texts: Sequence, *, chars: str = "word", join_marks: bool = False) -> np.ndarray:
    """Number of tokens of every text (int64 array aligned with ``texts``; not a str counts 0).

    The default, ``\\w+`` runs in the original text, is the word count of
    :func:`analysis.measures.compare.count_words`.
    """
    s = pd.Series(list(texts) if not isinstance(texts, pd.Series) else texts, dtype=object)
    s = s.where(s.map(lambda v: isinstance(v, str)), "")
    if join_marks:
        table = _delete_table()
        s = s.map(lambda v: v.translate(table))
    token_pattern(chars)  # validates chars
    return s.astype(str).str.count(CHARS[chars]).to_numpy(dtype=np.int64)
