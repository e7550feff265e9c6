"""Topic prevalence over every article on Dask: the per-partition sums of
:func:`analysis.dask.topics.prevalence_sums`, added up, give the in-memory
:func:`analysis.topic_prevalence` / :func:`analysis.topics_over_time` of the same weights,
whatever the partitioning; the intervals are the normal approximation of the mean."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis.dask.counts import _combine
from analysis.dask.topics import prevalence_sums, prevalence_tables, slim_model
from analysis.topics.model import fit_topics, topic_prevalence, topics_over_time


@pytest.fixture(scope="module")
def corpus(sample_dir):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        arts = analysis.load_corpus([sample_dir], progress=False)
    m = analysis.extract_mentions(arts, progress=False, n_jobs=1)
    model = fit_topics(articles=arts.iloc[:60], k=4, random_state=0)
    return arts, m, model


def _summed(arts, m, model, cuts, by="country", focus=("RUS", "SYR", "IRN"), freq="W"):
    parts = []
    for lo, hi in zip([0, *cuts], [*cuts, len(arts)]):
        a = arts.iloc[lo:hi].reset_index(drop=True)
        parts.append(prevalence_sums(a, m[m["article_id"].isin(a["article_id"])], slim_model(model), by,
                                     list(focus), freq))
    return prevalence_tables(_combine(parts), by)


def test_sums_equal_in_memory_prevalence(corpus):
    arts, m, model = corpus
    doc = model.doc_topics(arts)  # every article weighted by transform, as on Dask
    got = _summed(arts, m, model, cuts=[17, 40, 41])
    want = topic_prevalence(doc_topics=doc, mentions=m, by="country", entities=["RUS", "SYR", "IRN"])
    assert len(want) > 0 and set(want["country"]) == {"RUS", "SYR", "IRN"}
    pd.testing.assert_frame_equal(got["focus"].drop(columns=["mean_weight_low", "mean_weight_high"]), want,
                                  check_exact=False, rtol=1e-12, check_dtype=False)
    want_all = topic_prevalence(doc_topics=doc, mentions=m.assign(_all="all"), by="_all")
    pd.testing.assert_frame_equal(got["all"], want_all, check_exact=False, rtol=1e-12, check_dtype=False)
    want_ot = topics_over_time(doc_topics=doc, articles=arts, freq="W")
    pd.testing.assert_frame_equal(got["over_time"], want_ot, check_exact=False, rtol=1e-12, check_dtype=False)


def test_partitioning_does_not_matter_and_intervals_are_normal(corpus):
    arts, m, model = corpus
    one = _summed(arts, m, model, cuts=[])
    many = _summed(arts, m, model, cuts=[5, 10, 30, 70])
    for name in ("all", "focus", "over_time"):
        # NMF transform stops at a tolerance over its whole batch: a mean agrees to about 1e-4 (small groups)
        pd.testing.assert_frame_equal(one[name], many[name], check_exact=False, rtol=0, atol=2e-4)
        pd.testing.assert_frame_equal(one[name].filter(regex="^n_|topic"), many[name].filter(regex="^n_|topic"),
                                      check_exact=True)
    # the interval of one group and topic, by hand from the article weights
    W = model.transform(arts)
    ids = set(m.loc[m["country"] == "SYR", "article_id"])
    w = W[arts["article_id"].isin(ids).to_numpy(), 1]
    half = 1.959963984540054 * w.std(ddof=1) / np.sqrt(len(w))
    row = one["focus"].set_index(["country", "topic"]).loc[("SYR", 1)]
    assert row["n_articles"] == len(w)
    assert row["mean_weight_low"] == pytest.approx(max(0.0, w.mean() - half), rel=1e-9)
    assert row["mean_weight_high"] == pytest.approx(min(1.0, w.mean() + half), rel=1e-9)
    assert (one["focus"]["mean_weight_low"] <= one["focus"]["mean_weight"]).all()


def test_slim_model_transforms_like_the_model(corpus):
    arts, _, model = corpus
    slim = slim_model(model)
    assert slim.doc_topic_ is None and model.doc_topic_ is not None  # the original is untouched
    np.testing.assert_array_equal(slim.transform(arts), model.transform(arts))
