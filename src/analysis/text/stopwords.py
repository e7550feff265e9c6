"""The package's stopword list: one list, one function.

:func:`stopwords` gives the stopwords of the maintained **stopwords-iso** collection
(PyPI ``stopwordsiso``), each entry normalized like the text
(:func:`analysis.text.normalize.normalize`, lower-cased) and split into tokens by the
same rule as the text (:func:`analysis.text.tokenize.tokenize`, letters), so they
match the tokens they are meant to remove: the Arabic list has 431 words
(``على`` is ``علي``, ``إلى`` is ``الي``). Keyness and the topic vectorizer both use it.

``news=True`` adds :data:`NEWS_STOPWORDS`, reporting verbs and weekdays frequent
in wire copy; ``extra`` adds your own words (normalized and split the same way).
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

__all__ = ["stopwords", "NEWS_STOPWORDS"]

# Reporting verbs and weekdays frequent in wire copy, not in stopwords-iso (normalized form).
# Off by default in the topic vectorizer: benchmarks/bench_topics.py measured no gain on ANT.
NEWS_STOPWORDS = frozenset(
    """
    وقال قالت اضاف اضافت واضاف واضافت اكد اكدت واكد واكدت اشار اشارت واشار
    واشارت اوضح اوضحت واوضح اعلن اعلنت واعلن ذكر ذكرت وذكر وذكرت اعتبر وتابع
    تابع ويقول يقول تقول وتقول بحسب وفقا حسب خلال ايضا حيث يذكر الخميس
    الجمعه السبت الاحد الاثنين الثلاثاء الاربعاء
    """.split()
)


def _words(words: Iterable[str]) -> frozenset[str]:
    """Words normalized and split like the text (letter tokens, any length)."""
    from analysis.text.tokenize import tokenize

    return frozenset(t for w in words for t in tokenize(str(w), min_len=1))


@lru_cache(maxsize=None)
def _iso(language: str) -> frozenset[str]:
    import stopwordsiso

    if not stopwordsiso.has_lang(language):
        raise ValueError(f"stopwords-iso has no list for language {language!r}")
    return _words(stopwordsiso.stopwords(language))


def stopwords(language: str | None = "ar", *, extra: Iterable[str] | None = None,
              news: bool = False) -> frozenset[str]:
    """The stopwords of ``language`` (ISO 639-1 code, default Arabic; None: no stopwords-iso
    list), normalized and split into tokens like the text; plus :data:`NEWS_STOPWORDS` when
    ``news`` and the words of ``extra``. A frozenset of str."""
    words = _iso(str(language)) if language is not None else frozenset()
    if news:
        words = words | NEWS_STOPWORDS
    if extra:
        if isinstance(extra, str):
            extra = [extra]
        words = words | _words(extra)
    return frozenset(words)
