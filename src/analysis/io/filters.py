"""The load's filters: date bounds, outlets, categories (matched after normalization)."""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["match_key", "as_list", "parse_bound", "filter_mask"]


def match_key(value) -> str:
    """``value`` normalized (:func:`analysis.text.normalize.normalize`), casefolded, spaces collapsed."""
    from analysis.text.normalize import normalize

    return " ".join(normalize(str(value)).casefold().split())


def as_list(value) -> list[str] | None:
    """A list option from a list or a comma-separated string (None when empty)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.split(",")
    items = [str(v).strip() for v in value if str(v).strip()]
    return items or None


def parse_bound(value, tz, *, end: bool) -> pd.Timestamp | None:
    """A ``start``/``end`` option as a UTC Timestamp; an end day without a
    time covers the whole day. Raises ``ValueError`` for an unreadable date."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (pd.Timestamp, np.datetime64)) or hasattr(value, "year"):
        ts = pd.Timestamp(value)
        if ts.tzinfo is None:
            ts = ts.tz_localize(tz)
        ts = ts.tz_convert("UTC")
        date_only = type(value).__name__ == "date"  # a datetime.date: the whole day
    else:
        from analysis.io.dates import parse_date

        ts = parse_date(str(value), tz=tz)
        if pd.isna(ts):
            raise ValueError(f"cannot read the date {value!r} (try YYYY-MM-DD)")
        date_only = ":" not in str(value)
    if end and date_only:  # an end day includes the whole day
        ts = ts + pd.Timedelta(days=1) - pd.Timedelta(1, "ns")
    return ts


def filter_mask(keep: np.ndarray, published: pd.Series, outlets: list, categories: list, *, start=None, end=None,
                only_outlets=None, only_categories=None, exclude_categories=None) -> tuple[np.ndarray, int]:
    """``keep`` narrowed by the filters; and how many undated rows a date filter left out."""
    keep = keep.copy()
    undated_filtered = 0
    if start is not None or end is not None:
        pub_ok = published.notna().to_numpy()
        undated_filtered = int((keep & ~pub_ok).sum())
        keep &= pub_ok
        pub_vals = published.dt.tz_convert(None).to_numpy(dtype="datetime64[ns]")
        with np.errstate(invalid="ignore"):
            if start is not None:
                keep &= ~(pub_ok & (pub_vals < start.tz_convert(None).to_datetime64()))
            if end is not None:
                keep &= ~(pub_ok & (pub_vals > end.tz_convert(None).to_datetime64()))
    if only_outlets:
        wanted = {match_key(o) for o in only_outlets}
        keep &= np.array([o is not None and match_key(o) in wanted for o in outlets], dtype=bool)
    if only_categories or exclude_categories:
        cats = [None if c is None else match_key(c) for c in categories]
        if only_categories:
            wanted = {match_key(c) for c in only_categories}
            keep &= np.array([c in wanted for c in cats], dtype=bool)
        if exclude_categories:
            unwanted = {match_key(c) for c in exclude_categories}
            keep &= np.array([c not in unwanted for c in cats], dtype=bool)
    return keep, undated_filtered
