"""Reading corpora: formats, encodings, dates, scraped pages, the articles table.

One module per concern: ``files`` (which files), ``handles`` (opening,
hashing, gzip/zip under a size cap), ``encoding``, one reader per format
(``jsonl``, ``json``, ``csv``, ``parquet``, ``pages``), ``reader`` (telling
the format), ``fields`` and ``records`` (columns to fields, values read),
``dates``, ``markup``, ``ids``, ``dedup``, ``filters``, ``articles`` (the
table), ``problems`` (what was skipped or repaired), ``save``, and ``load``
(:func:`~analysis.io.load.load_corpus`, which re-exports the public names).
"""
from analysis.io.fields import CRAWL_DATE_FIELDS

__all__ = ["CRAWL_DATE_FIELDS"]
