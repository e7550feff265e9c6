"""The pipeline on Dask, for corpora beyond one machine's memory (``pip install 'analysis[dask]'``).

::

    from analysis import dask as ad
    with ad.get_client(workers=2, memory_limit="4GB"):
        articles = ad.read_corpus(["corpus/"], exclude_categories="sport")   # lazy dask DataFrame
        mentions = ad.extract_mentions(articles)                             # lazy
        co = ad.count_comentions(articles=articles, mentions=mentions, level="sentence")  # pandas
        cov = ad.coverage(articles=articles, mentions=mentions, freq="M")

Every result equals the in-memory function's on the whole corpus. See the
README section "Beyond one machine: Dask".
"""
from analysis.dask.cluster import get_client
from analysis.dask.corpus import load_info, plan_pieces, read_corpus
from analysis.dask.counts import (comention_request, count_comentions, count_tables, coverage, coverage_request,
                                  extract_mentions)
from analysis.dask.report import report_inputs
from analysis.dask.topics import fit_topics, sample_articles

__all__ = ["read_corpus", "load_info", "plan_pieces", "extract_mentions", "count_comentions", "coverage",
           "count_tables", "comention_request", "coverage_request", "fit_topics", "sample_articles", "report_inputs",
           "get_client"]
