"""What the coverage report's tables are computed from, on Dask, with bounded memory."""
from __future__ import annotations

import re

__all__ = ["report_inputs"]


def report_inputs(articles, mentions=None, *, focus=("RUS", "SYR", "IRN"), level: str = "sentence",
                  freq: str = "M", topics: int | None = 20, method: str = "nmf", seed: int = 0,
                  sample: int = 50_000, gazetteer=None, progress: bool = True) -> dict:
    """The inputs of the report's tables, from a dask articles frame, in one pass for the counts.

    Returns ``{"summary", "skipped", "coverage_by_period_outlet", "comentions",
    "comentions_by_period", "topics", "topics_info"}``: the load summary and
    skipped table (:func:`analysis.dask.load_info`); ``coverage(freq, by="outlet",
    resolve)`` (the report derives its other coverage views by summing this
    one); ``count_comentions(level)``; ``count_comentions(level, by="period",
    freq, resolve)`` (the focus triangle's counts); and the topic model fitted
    on a seeded sample of ``sample`` articles with its ``fit_info_`` (None when
    ``topics`` is None). ``resolve`` is "country" when every focus id is a
    country code, as in the report. Memory: one partition per worker, the
    summed count tables, and the topic sample.
    """
    from analysis.dask.corpus import load_info
    from analysis.dask.counts import (
        comention_request,
        count_tables,
        coverage_request,
        extract_mentions,
    )
    from analysis.dask.topics import finish_sample, fit_topics, sample_candidates

    focus = [str(f) for f in focus]
    resolve = "country" if focus and all(re.fullmatch(r"[A-Z]{3}", f) for f in focus) else None
    if mentions is None:
        mentions = extract_mentions(articles, gazetteer=gazetteer)
    also = [sample_candidates(articles, sample, seed)] if topics else []
    cov, co, co_period, *cand = count_tables(articles, mentions, [
        coverage_request(focus, freq, "outlet", resolve),
        comention_request(level),
        comention_request(level, "period", freq, resolve),
    ], progress=progress, also=also)  # one pass: the topic sample is drawn while counting
    info = load_info(articles)
    out = {"summary": info.get("summary"), "skipped": info.get("skipped"), "coverage_by_period_outlet": cov,
           "comentions": co, "comentions_by_period": co_period, "topics": None, "topics_info": None}
    if topics:
        model = fit_topics(articles, k=int(topics), method=method, random_state=seed, sample=sample,
                           fit_sample=finish_sample(cand[0], sample))
        out["topics"] = model
        out["topics_info"] = model.fit_info_
    return out
