"""Rebuild the gold-set sentences from the ANT corpus.

``labels.csv`` stores only ids, offsets, labels and a sha1 of each sentence
(never the text).  :func:`load_gold` reads it, pulls every sentence back out
of the corpus by ``(docno, field, start, end)`` and checks the sha1, so a
changed corpus (or a wrong offset) is reported instead of silently scored.

Usage::

    .venv/bin/python benchmarks/gold/rebuild.py [--corpus PATH] [--split dev|test|all]

prints ``gold_id <TAB> labels <TAB> sentence`` for reading the set.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
LABELS = HERE / "labels.csv"
DEFAULT_CORPUS = REPO.parent / "shared" / "data" / "ant_multisource" / "ant_multisource_v2.1.jsonl.gz"
COLUMNS = ["gold_id", "split", "stratum", "docno", "field", "start", "end",
           "countries", "putin", "bashar_assad", "note", "text_sha1"]


class GoldError(ValueError):
    """The label file or the corpus does not match what was labelled."""


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def read_labels(path: Path | str = LABELS, split: str | None = None) -> pd.DataFrame:
    """Read ``labels.csv`` (no text).

    Columns: gold_id, split, stratum, docno, field, start, end (int),
    countries (sorted list of ISO3 str), putin, bashar_assad (int 0/1),
    note, text_sha1.  ``split`` = "dev", "test" or None/"all" for both.
    """
    path = Path(path)
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise GoldError(f"{path}:1: missing columns {missing}")
        rows = []
        for lineno, row in enumerate(reader, 2):
            try:
                rows.append({
                    **row,
                    "start": int(row["start"]), "end": int(row["end"]),
                    "putin": int(row["putin"]), "bashar_assad": int(row["bashar_assad"]),
                    "countries": sorted(row["countries"].split()),
                })
            except (TypeError, ValueError) as exc:
                raise GoldError(f"{path}:{lineno}: bad row ({exc})") from None
    df = pd.DataFrame(rows, columns=COLUMNS)
    if split not in (None, "all"):
        if split not in ("dev", "test"):
            raise GoldError(f"unknown split {split!r} (dev, test or all)")
        df = df[df["split"] == split]
    return df.sort_values("gold_id").reset_index(drop=True)


def _read_records(corpus: Path, docnos: set[str]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not any(d in line for d in docnos - out.keys()):
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise GoldError(f"{corpus}:{lineno}: bad JSON ({exc})") from None
            if rec.get("docno") in docnos and rec["docno"] not in out:
                out[rec["docno"]] = rec
            if len(out) == len(docnos):
                break
    return out


def read_records(corpus: Path | str, docnos: set[str]) -> dict[str, dict]:
    """The full records (title, text, time, ...) of ``docnos`` in ``corpus``."""
    return _read_records(Path(corpus), set(docnos))


def load_gold(corpus_path: Path | str | None = None, split: str | None = None,
              labels_path: Path | str = LABELS) -> pd.DataFrame:
    """Labels plus the rebuilt sentence.

    Returns the columns of :func:`read_labels` plus ``text`` (the sentence),
    ``time`` (the article's RFC-822 date string), ``src`` (outlet) and
    ``cat`` (category).
    Raises :class:`GoldError` if the corpus is missing, a record is absent,
    an offset is out of range or a sentence's sha1 differs from the stored one.
    """
    corpus = Path(corpus_path) if corpus_path else DEFAULT_CORPUS
    if not corpus.is_file():
        raise GoldError(f"corpus not found: {corpus}")
    df = read_labels(labels_path, split)
    recs = _read_records(corpus, set(df["docno"]))
    texts, times, srcs, cats = [], [], [], []
    for row in df.itertuples(index=False):
        rec = recs.get(row.docno)
        if rec is None:
            raise GoldError(f"{row.gold_id}: docno {row.docno} not in {corpus}")
        value = rec.get(row.field) or ""
        if not 0 <= row.start < row.end <= len(value):
            raise GoldError(f"{row.gold_id}: offsets {row.start}:{row.end} out of range "
                            f"for {row.docno}/{row.field} (length {len(value)})")
        text = value[row.start:row.end]
        if sha1(text) != row.text_sha1:
            raise GoldError(f"{row.gold_id}: sentence sha1 differs from the labelled one "
                            f"({row.docno}/{row.field} {row.start}:{row.end})")
        texts.append(text)
        times.append(rec.get("time", ""))
        srcs.append(rec.get("src", ""))
        cats.append(rec.get("cat", ""))
    df["text"] = texts
    df["time"] = times
    df["src"] = srcs
    df["cat"] = cats
    return df


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Print the gold sentences rebuilt from the corpus.")
    ap.add_argument("--corpus", type=Path, default=None)
    ap.add_argument("--split", default="all", choices=["dev", "test", "all"])
    args = ap.parse_args(argv)
    try:
        df = load_gold(args.corpus, args.split)
    except GoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for row in df.itertuples(index=False):
        lab = " ".join(row.countries) + (" +putin" if row.putin else "") + (" +assad" if row.bashar_assad else "")
        print(f"{row.gold_id}\t{lab}\t{row.text}")
    print(f"{len(df)} sentences rebuilt, sha1 verified", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
