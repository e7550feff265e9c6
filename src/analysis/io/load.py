"""Load news corpora of any common shape into the tidy ``articles`` table.

``load_corpus(paths)`` reads files, directories (recursively) and glob
patterns holding

- scraped pages (``.txt``, see :mod:`analysis.io.pages`),
- JSON Lines (``.jsonl``, ``.ndjson``), JSON (an array of objects, one object,
  or an object holding a list of them under a key such as ``articles``),
- CSV and TSV (header row), Parquet,
- any of these compressed as ``.gz`` or packed in ``.zip`` archives.

The content decides the format, the extension breaks ties (a ``.txt`` or
``.csv`` holding JSON Lines is read as JSON Lines; :mod:`analysis.io.reader`).
Text may be UTF-8 (with or without BOM), UTF-16 with BOM or windows-1256,
with any line ends, decided per file from the decoding errors over the
whole file (:mod:`analysis.io.encoding`). Folder walks and patterns leave
out hidden files, documentation files (``README*``, ``LICENSE``...) and
report folders of this package, counting them (:mod:`analysis.io.files`).
Decompressed sizes are capped (``max_bytes``; :mod:`analysis.io.handles`).

A bad record never stops a load and never costs the records beside it;
a bad value in a kept record becomes a missing value and is listed.

Returns one row per article, columns:

``article_id`` (str)
    the record's own id when it has one (``id``, ``article_id``, ``docno``),
    else a stable hash of its title, text and file name; unique in the
    table (repeats get a ``~2``, ``~3`` suffix, counted as ``ids_made_unique``)
``title``, ``text`` (str)
    HTML markup, if any, is stripped and entities unescaped
``published`` (datetime64[ns, UTC])
    NaT when absent or unreadable (see :mod:`analysis.io.dates`)
``outlet``, ``url``, ``category`` (str or None)
``keywords`` (list of str)
``source_file`` (str): the file as found (``archive.zip:member`` for members)
``parent_id`` (str or None): for an article found inside another page
    (after ``إقرأ أيضاً``), the id of that page's main article (of the first
    page that carried it; named even when a filter left the page out, None
    when the page had no text of its own)
``dup_group`` (str): the ``article_id`` of the first copy of the same story;
    wire copies carried by several outlets share it, so ``nunique`` of it
    counts stories
``date_field`` (str or None): the input field that gave ``published``
    (``date``, ``publishedAt``, ``date_extracted``, a page's ``تاريخ النشر``...;
    None when there is no date); names in :data:`analysis.io.CRAWL_DATE_FIELDS`
    are crawl or extraction times, not publication times

Row order is input order: files sorted by path, records in file order, a
page's related articles right after its main article. The same input gives
the same ids and order on every run.

``df.attrs["summary"]`` holds the counts: ``files``, ``ignored_files``,
``records`` (= ``loaded`` + ``skipped_records`` + ``duplicates_dropped`` +
``filtered_out``), ``loaded``, ``skipped``, ``skipped_records``,
``files_skipped``, ``duplicates_dropped``, ``wire_copies`` (copies beyond the
first in ``dup_groups`` groups of more than one), ``dup_groups``, ``related``,
``dates_parsed``, ``dates_missing``, ``dates_unparsed``, ``filtered_out``,
``undated_filtered``, ``ids_made_unique``, ``html_cleaned``, ``outlets``,
``categories``, ``problems``, ``reports_left_out``, ``crawl_dates`` (see
:func:`summary_line`).

``df.attrs["skipped"]`` is a DataFrame (``source_file``, ``line``,
``reason``, ``kind``) of everything that could not be loaded, sorted by file
and line; ``line`` is the 1-based line of the record (row number for
Parquet) and <NA> for whole files; ``kind`` is a short stable category
(:mod:`analysis.io.problems`). ``df.attrs["problems"]`` is a DataFrame
(``source_file``, ``line``, ``field``, ``kind``, ``detail``) of values of
loaded articles that were set to missing or repaired. ``df.attrs["inputs"]``
lists every file read as ``{"path", "sha256", "bytes"}``, hashed from the
bytes as they were read (an archive, not its members).
"""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.io.articles import ARTICLE_COLUMNS, Options, build_articles
from analysis.io.dates import resolve_tz
from analysis.io.dedup import content_keys
from analysis.io.fields import CRAWL_DATE_FIELDS, FIELD_NAMES, parse_fields
from analysis.io.files import corpus_files, default_corpus, expand_paths
from analysis.io.filters import as_list, parse_bound
from analysis.io.handles import max_bytes_limit
from analysis.io.problems import (
    SKIPPED_COLUMNS,
    LoadLog,
    LoadWarning,
    SkippedInputWarning,
    SkippedTable,
)
from analysis.io.reader import Reader
from analysis.io.records import Collector
from analysis.io.save import save_articles, save_skipped

__all__ = [
    "load_corpus",
    "save_articles",
    "save_skipped",
    "corpus_files",
    "summary_line",
    "parse_fields",
    "default_corpus",
    "content_keys",
    "ARTICLE_COLUMNS",
    "SKIPPED_COLUMNS",
    "FIELD_NAMES",
    "CRAWL_DATE_FIELDS",
    "LoadWarning",
    "SkippedInputWarning",
    "SkippedTable",
]


def load_corpus(
    paths=None,
    *,
    fields=None,
    tz="UTC",
    start=None,
    end=None,
    outlets=None,
    categories=None,
    exclude_categories=None,
    dedup: bool = True,
    progress: bool = True,
    max_bytes=None,
    warn: bool = True,
) -> pd.DataFrame:
    """Load a corpus into the ``articles`` table (see the module docstring).

    Parameters
    ----------
    paths : path, glob pattern, or a list of them; ``None`` loads the sample
        corpus ``data/sample``.
    fields : ``{"text": "COLUMN", ...}`` or ``"text=COLUMN,date=COLUMN"``:
        columns to use instead of the detected ones (fields: text, title,
        date, outlet, url, id, category, keywords).
    tz : timezone of timestamps without an offset (IANA name or ``+03:00``).
    start, end : keep articles published on/after ``start`` and on/before
        ``end`` (inclusive; a date without a time covers the whole day).
        Articles without a date are left out by a date filter and counted.
    outlets, categories, exclude_categories : lists (or comma-separated
        strings); matched after normalization, case-insensitively.
        Filters apply before duplicates are merged.
    dedup : drop the same article (after normalization) from the same
        outlet, keeping the first; ``False`` keeps all. Copies of a story
        carried by several outlets are always kept and share ``dup_group``.
    progress : show a tqdm progress bar.
    max_bytes : the most bytes a compressed file or archive member may
        expand to (``4GiB``, ``500MB`` or a number); default
        ``$ANALYSIS_MAX_BYTES``, else 4 GiB. Larger ones are refused unread
        beyond the cap and listed in ``attrs["skipped"]`` (kind ``too large``).
    warn : emit :class:`LoadWarning` s for what was skipped or repaired (in the
        calling thread). ``False`` emits none and lists them in
        ``attrs["warnings"]`` as ``(category, message)`` pairs: a quiet load
        without ``warnings.catch_warnings()``, whose filter is process-global
        and not thread-safe.

    Raises ``FileNotFoundError`` naming a path that does not exist or a
    pattern that matches nothing (and when ``paths`` is None and there is no
    sample corpus), ``ValueError`` for bad options. Bad input files and
    records never raise: they are listed in ``df.attrs["skipped"]``.
    """
    fields = parse_fields(fields)
    tzinfo = resolve_tz(tz)
    opts = Options(tz=tzinfo, start=parse_bound(start, tzinfo, end=False), end=parse_bound(end, tzinfo, end=True),
                   outlets=as_list(outlets), categories=as_list(categories),
                   exclude_categories=as_list(exclude_categories), dedup=bool(dedup))
    limit = max_bytes_limit(max_bytes)
    if paths is None:
        paths = [default_corpus()]

    from tqdm import tqdm  # text bar: tqdm.auto wants ipywidgets in Jupyter

    log = LoadLog()
    files = expand_paths(paths, log.skipped, log.ignored, log.reports)
    sizes = []
    for f in files:
        try:
            sizes.append(f.stat().st_size)
        except OSError:
            sizes.append(0)
    collector = Collector(fields, log)
    with tqdm(total=sum(sizes), unit="B", unit_scale=True, desc="loading",
              disable=not progress or not files, leave=False) as bar:
        for f, size in zip(files, sizes):
            bar.set_postfix_str(f.name[-40:], refresh=False)
            done = [0]

            def advance(pos: int, done=done, size=size) -> None:
                step = min(pos, size) - done[0]
                if step > 0:
                    bar.update(step)
                    done[0] += step

            Reader(collector, limit, advance if progress else None).read_file(f)
            advance(size)
    return build_articles(collector.rows, log, opts, len(files), warn=bool(warn))


def summary_line(summary: Mapping) -> str:
    """One line for people: what was loaded, dropped, skipped, repaired."""
    s = summary
    left = []
    if s.get("ignored_files"):
        left.append(f"{s['ignored_files']:,} documentation file(s) left out")
    if s.get("reports_left_out"):
        left.append(f"{s['reports_left_out']:,} report folder(s) left out")
    extra = "".join(", " + x for x in left)
    parts = [f"loaded {s['loaded']:,} articles from {s['files']:,} file(s) ({s['records']:,} records{extra})"]
    if s.get("related"):
        parts.append(f"{s['related']:,} related articles")
    parts.append(f"{s['duplicates_dropped']:,} duplicates dropped")
    if s.get("wire_copies"):
        parts.append(f"{s['wire_copies']:,} wire copies in {s['dup_groups']:,} groups")
    parts.append(f"{s['skipped']:,} skipped")
    if s.get("problems"):
        parts.append(f"{s['problems']:,} problems in kept records")
    if s.get("filtered_out"):
        extra = f" ({s['undated_filtered']:,} undated)" if s.get("undated_filtered") else ""
        parts.append(f"{s['filtered_out']:,} filtered out{extra}")
    if s["loaded"]:
        share = s["dates_parsed"] / s["loaded"]
        parts.append(f"dates {share:.1%}")
        if s.get("dates_unparsed"):
            parts.append(f"{s['dates_unparsed']:,} unreadable dates")
        if s.get("crawl_dates"):
            parts.append(f"{s['crawl_dates']:,} dates are crawl times")
    parts.append(f"{s['outlets']:,} outlets, {s['categories']:,} categories")
    return "; ".join(parts)
