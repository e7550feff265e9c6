"""The pipeline on Dask, for corpora beyond one machine's memory (``pip install 'analysis[dask]'``)."""
from analysis.dask.corpus import load_info, read_corpus

__all__ = ["read_corpus", "load_info"]
