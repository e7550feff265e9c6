"""The report's topic model as a job: a module-level function of plain arguments, so it runs the
same in this process or in a worker process (:func:`analysis.report.sections.prefetch`), and is
fitted once per report context whichever layer asks first (the Dask data layer fits it on its
sample before the counting pass; the topics section collects it)."""
from __future__ import annotations

import pandas as pd


def topic_k(ctx) -> int:
    """Number of topics actually fitted: the parameter, at most one per 5 articles."""
    return min(ctx.k, max(2, len(ctx.articles) // 5))


def _fit_topic_model(*, articles: pd.DataFrame, k: int, method: str, seed: int):
    """:func:`analysis.fit_topics` (with its own document-frequency bounds), or a message saying why
    the model cannot be fitted."""
    from analysis.topics.model import fit_topics

    try:
        model = fit_topics(articles=articles, k=k, method=method, random_state=seed)
    except ValueError as exc:  # e.g. too few terms left after the document-frequency bounds
        return f"the topic model could not be fitted: {exc}"
    model.seed_stability_ = topic_stability(model, seed)
    return model


#: refits for the per-topic stability: seeds after the report's, each on 90 % of the fitting
#: articles, at most this many (a seeded sample on large corpora)
STABILITY_SEEDS, STABILITY_MAX_DOCS = 3, 10_000


def topic_stability(model, seed: int) -> pd.DataFrame:
    """:func:`analysis.topics.model.topic_seed_stability` of the report's model (3 more seeds)."""
    from analysis.topics.model import topic_seed_stability

    return topic_seed_stability(model, seeds=[seed + i for i in range(1, STABILITY_SEEDS + 1)],
                                subsample=0.9, max_documents=STABILITY_MAX_DOCS)


def topics_job(ctx) -> tuple:
    """``(key, function, keyword arguments)`` of the report's topic model, for ``ctx.submit`` /
    ``ctx.compute``."""
    kw = {"articles": ctx.articles, "k": topic_k(ctx), "method": ctx.method, "seed": ctx.seed}
    return ("topics", kw["k"], kw["method"], kw["seed"]), _fit_topic_model, kw


def topic_model(ctx):
    """The fitted topic model (or why it could not be fitted), collected or fitted once per context."""
    key, fn, kw = topics_job(ctx)
    if ("model",) + key not in ctx.cache:
        ctx.cache[("model",) + key] = ctx.compute(key, fn, **kw)
    return ctx.cache[("model",) + key]
