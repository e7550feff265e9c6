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
    "load_corpus": "analysis.load",
    "save_articles": "analysis.load",
    "parse_dates": "analysis.dates",
    # text
    "normalize": "analysis.normalize",
    "split_sentences": "analysis.segment",
    "sentence_counts": "analysis.segment",
    # entities
    "load_gazetteer": "analysis.gazetteer",
    "extract_mentions": "analysis.mentions",
    # co-mentions and coverage
    "count_comentions": "analysis.comention",
    "comention_matrix": "analysis.comention",
    "comention_graph": "analysis.comention",
    "count_windows": "analysis.comention",
    "coverage": "analysis.compare",
    "top_partners": "analysis.compare",
    "focus_triangle": "analysis.compare",
    "event_change": "analysis.compare",
    "keyness": "analysis.keywords",
    "kwic": "analysis.keywords",
    "KeynessIndex": "analysis.keywords",
    # topics
    "TopicModel": "analysis.topics",
    "fit_topics": "analysis.topics",
    "choose_k": "analysis.topics",
    "topic_stability": "analysis.topics",
    "topic_prevalence": "analysis.topics",
    "topics_over_time": "analysis.topics",
    "topic_labels": "analysis.topics",
    # reports
    "run_report": "analysis.report",
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
