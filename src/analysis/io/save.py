"""Writing the articles and skipped tables (Parquet, CSV, JSON Lines)."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from analysis.io.json import dumps

__all__ = ["save_articles", "save_skipped"]


def save_articles(df: pd.DataFrame, path) -> Path:
    """Write an articles table by extension: ``.parquet``, ``.csv`` (keywords
    as a JSON list, dates ISO 8601) or ``.jsonl``. Returns the path."""
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in {".parquet", ".csv", ".jsonl"}:
        raise ValueError(f"cannot write {path}: the file name must end in .parquet, .csv or .jsonl")
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    out = df.copy()
    out.attrs = {}
    if ext == ".parquet":
        out.to_parquet(path, index=False)
        return path
    out["published"] = [None if pd.isna(t) else t.isoformat() for t in out["published"]]
    if ext == ".csv":
        out["keywords"] = [json.dumps(list(k), ensure_ascii=False) for k in out["keywords"]]
        out.to_csv(path, index=False, encoding="utf-8")
        return path
    with open(path, "wb") as fh:
        cols = list(out.columns)
        for rec in out.itertuples(index=False, name=None):
            row = dict(zip(cols, rec))
            row["keywords"] = list(row["keywords"])
            fh.write(dumps(row) + b"\n")
    return path


def save_skipped(skipped: pd.DataFrame, path) -> Path:
    """Write the skipped table (source_file, line, reason, kind): ``.parquet``,
    ``.jsonl`` or else CSV."""
    path = Path(path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    ext = path.suffix.lower()
    if ext == ".parquet":
        skipped.to_parquet(path, index=False)
    elif ext == ".jsonl":
        skipped.to_json(path, orient="records", lines=True, force_ascii=False)
    else:
        skipped.to_csv(path, index=False, encoding="utf-8")
    return path
