"""Which input column gives which article field, and how its values are read.

:data:`FIELD_NAMES` lists, per field, the column names recognized (by
priority, case-insensitive); ``--fields text=COLUMN`` overrides them.
:data:`CRAWL_DATE_FIELDS` names the date columns that hold a crawl or
extraction time rather than a publication time: they come last among the
date names, and the articles table's ``date_field`` says which column gave
each date, so a report can say when its dates are crawl times.

The value readers turn what a record holds into the table's types and say
what they could not read (``None`` + a problem), never raising.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from analysis.io.problems import SkipInput

__all__ = ["FIELD_NAMES", "CRAWL_DATE_FIELDS", "parse_fields", "resolve_fields", "text_value", "name_value",
           "id_value", "keywords_value", "date_value"]

#: date columns that hold the time a page was crawled or extracted, not published
CRAWL_DATE_FIELDS: frozenset[str] = frozenset({
    "date_extracted", "date_download", "date_downloaded", "download_date", "downloaded_at",
    "crawled_at", "crawl_date", "crawl_time", "date_crawled", "scraped_at", "scrape_date", "date_scraped",
    "fetched_at", "fetch_date", "retrieved_at", "extracted_at", "extraction_date",
})

#: field -> column names recognised for it, by priority (case-insensitive)
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "maintext", "full_text", "fulltext",
             "article_text", "body_text", "story"),
    "title": ("title", "headline", "head", "heading"),
    "date": ("date", "time", "published", "pubdate", "published_at", "publishedat", "publish_date",
             "date_publish", "date_published", "datepublished", "pub_date", "datetime", "timestamp",
             "created_at",
             # crawl / extraction times: only when no publication date column exists
             "date_extracted", "date_download", "date_downloaded", "download_date", "crawled_at",
             "crawl_date", "date_crawled", "scraped_at", "scrape_date", "fetched_at", "retrieved_at",
             "extracted_at"),
    "outlet": ("outlet", "source", "src", "site", "publisher", "newspaper", "source_name",
               "source_domain", "domain"),
    "url": ("url", "link", "href", "article_url"),
    "id": ("id", "article_id", "docno", "doc_id", "guid", "uuid"),
    "category": ("category", "cat", "section", "categories"),
    "keywords": ("keywords", "tags", "keyword"),
}


def parse_fields(value) -> dict[str, str]:
    """``"text=body,date=published_at"`` (or a mapping) -> ``{field: column}``.

    Raises ``ValueError`` naming a bad item or unknown field."""
    if value is None:
        return {}
    if isinstance(value, Mapping):
        items = list(value.items())
    else:
        items = []
        for part in str(value).split(","):
            part = part.strip()
            if not part:
                continue
            if "=" not in part:
                raise ValueError(f"--fields: {part!r} is not FIELD=COLUMN")
            k, v = part.split("=", 1)
            items.append((k.strip(), v.strip()))
    out = {}
    for k, v in items:
        if k not in FIELD_NAMES:
            raise ValueError(f"--fields: unknown field {k!r} (fields: {', '.join(FIELD_NAMES)})")
        if not v:
            raise ValueError(f"--fields: no column given for {k!r}")
        out[k] = v
    return out


def resolve_fields(keys: list, overrides: Mapping[str, str]) -> dict[str, str]:
    """``{field: column}`` for a file with columns ``keys``. Raises
    :class:`~analysis.io.problems.SkipInput` when an override names no
    column or there is no text column."""
    by_lower: dict[str, str] = {}
    for k in keys:
        by_lower.setdefault(str(k).strip().lower(), k)
    mapping: dict[str, str] = {}
    for target, col in overrides.items():
        if col in keys:
            mapping[target] = col
        elif col.lower() in by_lower:
            mapping[target] = by_lower[col.lower()]
        else:
            raise SkipInput(f"--fields {target}={col}: no such column (columns: {', '.join(map(str, keys))})",
                            "no text column")
    for target, names in FIELD_NAMES.items():
        if target in mapping:
            continue
        for name in names:
            if name in by_lower and by_lower[name] not in mapping.values():
                mapping[target] = by_lower[name]
                break
    if "text" not in mapping:
        raise SkipInput(
            "no text column (looked for " + ", ".join(FIELD_NAMES["text"])
            + "; columns: " + ", ".join(map(str, keys)) + "); name it with --fields text=COLUMN",
            "no text column")
    return mapping


def _type_name(value) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, (list, tuple, np.ndarray)):
        return "a list"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float, np.integer, np.floating)):
        return "a number"
    return f"a {type(value).__name__}"


def text_value(value) -> tuple[str | None, str | None]:
    """(text, problem): a string; numbers as their digits; a list of strings
    joined by line breaks; None/NaN as ``""``. Anything else: (None, why)."""
    if value is None:
        return "", None
    if isinstance(value, str):
        return value, None
    if isinstance(value, float) and np.isnan(value):
        return "", None
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return str(value), None
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return "\n".join(value), None
    return None, f"is {_type_name(value)}, not text"


def name_value(value) -> tuple[str | None, str | None]:
    """(name, problem) for outlet, url, category: a string, a number, an
    object's ``name``/``title``/``id``, a list of names joined by ``, ``."""
    if value is None:
        return None, None
    if isinstance(value, str):
        return " ".join(value.split()) or None, None
    if isinstance(value, dict):
        inner = value.get("name") or value.get("title") or value.get("id")
        if inner is None or isinstance(inner, (dict, list)):
            keys = ", ".join(map(str, list(value)[:5]))
            return None, f"is an object without a name (keys: {keys})"
        return name_value(inner)
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        names = []
        for v in value:
            name, why = name_value(v)
            if why:
                return None, f"is a list holding {_type_name(v)}"
            if name and name not in names:
                names.append(name)
        return (", ".join(names) or None), None
    if isinstance(value, float) and np.isnan(value):
        return None, None
    if isinstance(value, bool):
        return None, "is a boolean, not a name"
    text = " ".join(str(value).split())
    return text or None, None


def id_value(value) -> tuple[str | None, str | None]:
    """(id, problem): a string or number; an integral float without ``.0``."""
    if value is None:
        return None, None
    if isinstance(value, bool) or isinstance(value, (dict, list, tuple, np.ndarray)):
        return None, f"is {_type_name(value)}, not an id"
    if isinstance(value, float):
        if np.isnan(value):
            return None, None
        if value.is_integer():
            value = int(value)
    text = str(value).strip()
    return text or None, None


def keywords_value(value) -> list[str]:
    """Keywords: a list (of names or objects with a name) or a delimited string."""
    from analysis.io.pages import split_keywords

    if value is None:
        return []
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        out = []
        for v in value:
            name, _ = name_value(v)
            if name is None and isinstance(v, (int, float)) and not isinstance(v, bool):
                name = str(v)
            if name and name not in out:
                out.append(name)
        return out
    if isinstance(value, float) and np.isnan(value):
        return []
    if isinstance(value, dict):
        name, _ = name_value(value)
        return [name] if name else []
    return split_keywords(str(value))


def date_value(value):
    """(date, problem): a value :func:`analysis.io.dates.parse_dates` reads
    (string, number, datetime). MongoDB's ``{"$date": ...}`` (ISO string,
    milliseconds or ``{"$numberLong": ...}``) is read; a list of one value
    is that value; other lists and objects give (None, why)."""
    if value is None or isinstance(value, (str, int, float)):
        return value, None
    if isinstance(value, dict):
        if "$date" in value:
            inner = value["$date"]
            if isinstance(inner, dict) and "$numberLong" in inner:
                try:
                    return int(inner["$numberLong"]), None
                except (TypeError, ValueError):
                    return None, f"has an unreadable $numberLong {inner['$numberLong']!r}"
            if isinstance(inner, (int, float)) and not isinstance(inner, bool):
                return int(inner) * 1_000_000 if abs(inner) < 1e14 else inner, None  # ms -> ns
            if isinstance(inner, str):
                return inner, None
            return None, f"has a $date that is {_type_name(inner)}"
        keys = ", ".join(map(str, list(value)[:5]))
        return None, f"is an object (keys: {keys}), not a date"
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        if len(value) == 1 and not isinstance(value[0], (list, tuple, dict)):
            return date_value(value[0])
        return None, f"is a list of {len(value)} values, not one date"
    if isinstance(value, bool):
        return None, "is a boolean, not a date"
    return value, None  # datetime, Timestamp, numpy values: parse_dates reads them
