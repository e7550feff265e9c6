"""The pipeline on Dask, for corpora beyond one machine's memory (``pip install 'analysis[dask]'``).

::

    from analysis import dask as ad
    with ad.get_client(workers=2, memory_limit="4GB"):
        articles = ad.read_corpus(["corpus/"], exclude_categories="sport")   # lazy dask DataFrame
        mentions = ad.extract_mentions(articles)                             # lazy
        co = ad.count_comentions(articles=articles, mentions=mentions, level="sentence")  # pandas
        cov = ad.coverage(articles=articles, mentions=mentions, freq="M")
        key = ad.keyness(articles=articles, mentions=mentions, target="IRN", n=30)
        co, cov = ad.count_tables(articles, mentions, [ad.comention_request("sentence"),
                                                       ad.coverage_request(freq="M")])  # one pass for both
        model = ad.fit_topics(articles, k=20, sample=50_000)  # seeded sample; model.fit_info_

Every result equals the in-memory function's on the whole corpus. See the
README section "Beyond one machine: Dask".
"""
from analysis.dask.cluster import get_client
from analysis.dask.corpus import load_info, plan_pieces, read_corpus
from analysis.dask.counts import (
    comention_request,
    count_comentions,
    count_tables,
    coverage,
    coverage_request,
    extract_mentions,
    keyness,
    keyness_request,
)
from analysis.dask.report import report_inputs
from analysis.dask.topics import fit_topics, sample_articles

__all__ = [
    "comention_request",
    "count_comentions",
    "count_tables",
    "coverage",
    "coverage_request",
    "extract_mentions",
    "fit_topics",
    "get_client",
    "keyness",
    "keyness_request",
    "load_info",
    "plan_pieces",
    "read_corpus",
    "report_inputs",
    "sample_articles",
]
