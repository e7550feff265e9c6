"""From collected rows to the ``articles`` table: clean, date, identify, filter, deduplicate.

:func:`build_articles` takes what the readers collected (:class:`~analysis.io.records.Rows`
and the load's :class:`~analysis.io.problems.LoadLog`) and returns the
table with its ``attrs`` (summary, skipped, problems, inputs); the columns
are documented in :mod:`analysis.io.load`.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.io.dates import parse_dates_checked
from analysis.io.dedup import content_keys, drop_duplicates_per_outlet, dup_groups
from analysis.io.fields import CRAWL_DATE_FIELDS
from analysis.io.filters import filter_mask, match_key
from analysis.io.ids import content_hash, make_unique
from analysis.io.markup import clean_column
from analysis.io.problems import LoadLog, LoadWarning, SkippedInputWarning

__all__ = ["ARTICLE_COLUMNS", "Options", "build_articles"]

ARTICLE_COLUMNS = [
    "article_id", "title", "text", "published", "outlet", "url", "category",
    "keywords", "source_file", "parent_id", "dup_group", "date_field",
]


@dataclass(frozen=True)
class Options:
    """The table-shaping options of one load (already checked)."""

    tz: object = "UTC"
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    outlets: list | None = None
    categories: list | None = None
    exclude_categories: list | None = None
    dedup: bool = True


def build_articles(rows, log: LoadLog, opts: Options, n_files: int, stacklevel: int = 3, *, warn: bool = True,
                   positions: bool = False, unique_ids: bool = True) -> pd.DataFrame:
    """The articles table of ``rows`` (see :mod:`analysis.io.load`).

    ``warn``: emit the load's :class:`~analysis.io.problems.LoadWarning` s (in the calling
    thread); ``False`` emits none and lists them in ``attrs["warnings"]`` as
    ``(category, message)`` pairs instead (no process-global warning filter needed to silence
    a load, e.g. on Dask threads). ``positions``: add the columns ``row`` (int64: the row of
    ``rows`` each article comes from), ``line`` (Int64: its real 1-based line in its file, the
    row for tables) and ``parent_row`` (int64: the row of its parent page, -1 for none).
    ``unique_ids=False``: keep repeated ids as they are (no ``~N`` suffix, no ``repeated id``
    problem; ``parent_id`` and ``dup_group`` name the raw ids), for a caller that makes ids
    unique over more than these rows.
    """
    said: list[tuple[type, str]] = []  # (category, message), in the order they arose
    n_records = len(rows) + sum(1 for s in log.skipped if s[1] is not None)
    n = len(rows)

    # -- empty text
    valid = np.ones(n, dtype=bool)
    for i, t in enumerate(rows.text):
        if not t or t.isspace():
            valid[i] = False
            log.skip(rows.source_file[i], rows.line[i], "empty text", "empty text")

    # -- markup
    texts, n_html_text = clean_column(rows.text, keep_breaks=True)
    titles, n_html_title = clean_column(rows.title, keep_breaks=False)
    titles = [" ".join(t.split()) if "\n" in t or "  " in t else t for t in titles]
    for i in np.flatnonzero(valid):
        if not texts[i].strip():  # only markup
            valid[i] = False
            log.skip(rows.source_file[i], rows.line[i], "empty text (markup only)", "empty text")

    # -- dates
    published, flagged = parse_dates_checked(pd.Series(rows.date, dtype=object), tz=opts.tz)
    pub_ok = published.notna().to_numpy()
    unparsed = np.zeros(n, dtype=bool)
    first_unread = None
    for pos, value, kind, detail in flagged.itertuples(index=False, name=None):
        log.problem(rows.source_file[pos], rows.line[pos], "date", kind, detail, pos)
        if not pub_ok[pos] and valid[pos]:
            unparsed[pos] = True
            if first_unread is None:
                first_unread = pos
    n_unparsed = int(unparsed.sum())
    if n_unparsed:
        i = first_unread
        said.append((LoadWarning,
                     f"{n_unparsed} date(s) could not be read and were set to NaT, e.g. {str(rows.date[i])[:60]!r} "
                     f"({rows.source_file[i]}, line {log.real_line(rows.source_file[i], rows.line[i])})"))

    # -- ids
    ids: list[str] = []
    for i in range(n):
        rid = rows.rid[i]
        if rid is None:
            origin = rows.source_file[i].replace("\\", "/").rsplit("/", 1)[-1]
            rid = content_hash(origin, titles[i], texts[i])
        ids.append(rid)

    # -- filters (before dedup)
    n_valid = int(valid.sum())
    keep, undated_filtered = filter_mask(
        valid, published, rows.outlet, rows.category, start=opts.start, end=opts.end,
        only_outlets=opts.outlets, only_categories=opts.categories, exclude_categories=opts.exclude_categories)
    filtered_out = n_valid - int(keep.sum())

    # -- duplicates
    candidates = np.flatnonzero(keep)
    ckeys_list = content_keys([titles[i] for i in candidates], [texts[i] for i in candidates]) if len(candidates) else []
    ckeys: dict[int, object] = dict(zip(candidates.tolist(), ckeys_list))
    if opts.dedup:
        outlet_key_cache: dict = {}

        def okey(o):
            if o is None:
                return ""
            k = outlet_key_cache.get(o)
            if k is None:
                k = outlet_key_cache[o] = match_key(o)
            return k

        okeys = {i: okey(rows.outlet[i]) for i in candidates.tolist()}
        kept, rep = drop_duplicates_per_outlet(okeys, ckeys, candidates)
    else:
        kept, rep = candidates, {}
    n_dups = len(candidates) - len(kept)
    idx = kept.tolist()

    # -- unique ids
    if unique_ids:
        final_ids, renamed = make_unique(ids, idx)
    else:
        final_ids, renamed = {i: ids[i] for i in idx}, []
    for i, rid in renamed:
        log.problem(rows.source_file[i], rows.line[i], "id", "repeated id",
                    f"id {rid!r} repeated; made unique as {final_ids[i]!r}", i)
    if renamed:
        i, rid = renamed[0]
        said.append((LoadWarning,
                     f"{len(renamed)} article id(s) repeated and were made unique with a ~N suffix, e.g. {rid!r} "
                     f"({rows.source_file[i]}, line {log.real_line(rows.source_file[i], rows.line[i])})"))

    # -- parents and wire groups
    def resolve(i: int) -> int:
        while i in rep:
            i = rep[i]
        return i

    parent_ids = []
    parent_rows = []
    for i in idx:
        p = rows.parent[i]
        if p < 0:
            parent_ids.append(None)
            parent_rows.append(-1)
        else:
            p = resolve(p)
            parent_rows.append(p)
            # a page left out by a filter is still named; a page with no text is not
            parent_ids.append(final_ids.get(p, ids[p] if valid[p] else None))
    firsts, wire_groups, wire_copies = dup_groups(ckeys, idx)

    def obj(values):
        return pd.Series(values, dtype=object)

    df = pd.DataFrame({
        "article_id": obj([final_ids[i] for i in idx]),
        "title": obj([titles[i] for i in idx]),
        "text": obj([texts[i] for i in idx]),
        "published": published.iloc[kept].reset_index(drop=True) if idx else
        pd.Series([], dtype="datetime64[ns, UTC]"),
        "outlet": obj([rows.outlet[i] for i in idx]),
        "url": obj([rows.url[i] for i in idx]),
        "category": obj([rows.category[i] for i in idx]),
        "keywords": obj([rows.keywords[i] for i in idx]),
        "source_file": obj([rows.source_file[i] for i in idx]),
        "parent_id": obj(parent_ids),
        "dup_group": obj([final_ids[g] for g in firsts]),
        "date_field": obj([rows.date_field[i] if pub_ok[i] else None for i in idx]),
    }, columns=ARTICLE_COLUMNS)
    df["published"] = df["published"].astype("datetime64[ns, UTC]")
    if positions:
        df["row"] = np.asarray(idx, dtype=np.int64)
        df["line"] = pd.array([log.real_line(rows.source_file[i], rows.line[i]) for i in idx], dtype="Int64")
        df["parent_row"] = np.asarray(parent_rows, dtype=np.int64)

    skipped_df = log.skipped_table()
    problems_df = log.problems_table(set(idx))
    if len(skipped_df):
        first = skipped_df.iloc[0]
        where = first.source_file if pd.isna(first.line) else f"{first.source_file}:{first.line}"
        said.append((SkippedInputWarning, f"{len(skipped_df)} input(s) skipped, e.g. {where}: {first.reason}; "
                     "see articles.attrs['skipped']"))
    others = problems_df[~problems_df["kind"].isin(["bad date", "repeated id"])] if len(problems_df) else problems_df
    if len(others):
        first = others.iloc[0]
        where = first.source_file if pd.isna(first.line) else f"{first.source_file}:{first.line}"
        said.append((LoadWarning,
                     f"{len(problems_df)} problem(s) in kept records (values set to missing or repaired), e.g. "
                     f"{where}: {first.kind}: {first.detail}; see articles.attrs['problems']"))
    if warn:
        for category, message in said:
            warnings.warn(message, category, stacklevel=stacklevel)
    loaded_pub = df["published"].notna()
    summary = {
        "files": int(n_files),
        "ignored_files": len(log.ignored),
        "files_skipped": int(skipped_df["line"].isna().sum()),
        "records": int(n_records),
        "loaded": len(df),
        "skipped": len(skipped_df),
        "skipped_records": int(skipped_df["line"].notna().sum()),
        "duplicates_dropped": int(n_dups),
        "wire_copies": int(wire_copies),
        "dup_groups": int(wire_groups),
        "related": int(sum(p is not None for p in parent_ids)),
        "dates_parsed": int(loaded_pub.sum()),
        "dates_missing": int((~loaded_pub).sum()),
        "dates_unparsed": n_unparsed,
        "filtered_out": int(filtered_out),
        "undated_filtered": int(undated_filtered),
        "ids_made_unique": len(renamed),
        "html_cleaned": int(n_html_text + n_html_title),
        "outlets": int(df["outlet"].nunique()),
        "categories": int(df["category"].nunique()),
        "problems": len(problems_df),
        "reports_left_out": len(log.reports),
        "crawl_dates": int(sum(f is not None and f.lower() in CRAWL_DATE_FIELDS for f in df["date_field"])),
    }
    df.attrs["summary"] = summary
    df.attrs["skipped"] = skipped_df
    df.attrs["problems"] = problems_df
    df.attrs["inputs"] = list(log.inputs)
    if not warn:
        df.attrs["warnings"] = said
    return df
