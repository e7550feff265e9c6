"""Topic models: the vectorizer, NMF/LDA estimators, quality and comparison helpers."""
from analysis.topics.model import *  # noqa: F401,F403
from analysis.topics.model import __all__  # noqa: F401
