"""Topic models: the vectorizer, NMF/LDA estimators, quality and comparison helpers.

Modules: ``vectorizer`` (:class:`ArabicVectorizer`, document-term counts with clitic
stripping), ``model`` (:class:`TopicModel`, :func:`fit_topics`, :func:`choose_k`,
:func:`topic_stability`, prevalence by entity and over time), ``quality`` (NPMI,
diversity, topic matching, function-word topics).
"""
from analysis.topics.model import *  # noqa: F401,F403
from analysis.topics.model import __all__ as _model_all
from analysis.topics.quality import diversity, function_word_topics, match_topics, npmi  # noqa: F401
from analysis.topics.vectorizer import NEWS_STOPWORDS, ArabicVectorizer  # noqa: F401

__all__ = list(_model_all) + ["ArabicVectorizer", "NEWS_STOPWORDS", "npmi", "diversity", "match_topics",
                                   "function_word_topics"]
