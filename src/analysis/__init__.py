"""Arabic news coverage analysis.

The public API is small and re-exported here; every function returns a pandas
DataFrame with fixed, documented columns (see each function's docstring).
Heavy modules are imported on first use, so ``import analysis`` stays fast.
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> module that defines it (imported lazily on first access)
_EXPORTS = {
    # loading
    "load_corpus": "analysis.io.load",
    "save_articles": "analysis.io.load",
    "corpus_files": "analysis.io.load",
    "parse_dates": "analysis.io.dates",
    # text
    "normalize": "analysis.text.normalize",
    "split_sentences": "analysis.text.segment",
    "sentence_counts": "analysis.text.segment",
    "tokenize": "analysis.text.tokenize",
    "stopwords": "analysis.text.stopwords",
    "doc_term_counts": "analysis.text.vectorize",
    # entities
    "load_gazetteer": "analysis.entities.gazetteer",
    "extract_mentions": "analysis.entities.mentions",
    "list_entities": "analysis.entities.gazetteer",
    "suggest_entities": "analysis.entities.discover",
    "sample_mentions": "analysis.entities.validate",
    "score_validation": "analysis.entities.validate",
    # co-mentions and coverage
    "count_comentions": "analysis.measures.comention",
    "comention_matrix": "analysis.measures.comention",
    "comention_graph": "analysis.measures.comention",
    "count_windows": "analysis.measures.cooccurrence",
    "period_labels": "analysis.measures.cooccurrence",
    "period_start": "analysis.measures.cooccurrence",
    "coverage": "analysis.measures.compare",
    "top_partners": "analysis.measures.compare",
    "focus_triangle": "analysis.measures.compare",
    "event_change": "analysis.measures.compare",
    "keyness": "analysis.measures.keywords",
    "kwic": "analysis.measures.keywords",
    "KeynessIndex": "analysis.measures.keywords",
    # topics
    "ArabicVectorizer": "analysis.topics.vectorizer",
    "TopicModel": "analysis.topics.model",
    "fit_topics": "analysis.topics.model",
    "choose_k": "analysis.topics.model",
    "topic_stability": "analysis.topics.model",
    "topic_prevalence": "analysis.topics.model",
    "topics_over_time": "analysis.topics.model",
    "topic_labels": "analysis.topics.model",
    "representative_articles": "analysis.topics.model",
    "topic_seed_stability": "analysis.topics.model",
    # voices: who is quoted
    "extract_quotes": "analysis.voices.extract",
    "voices_tables": "analysis.voices.measures",
    "plot_voice_shares": "analysis.voices.plotting",
    # reports
    "run_report": "analysis.report",
    "validate_params": "analysis.report.params",
    "write_csv": "analysis.report.export",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
