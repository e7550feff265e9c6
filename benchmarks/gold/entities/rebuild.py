"""Rebuild the entity gold set's sentences and spans from the two corpora.

``selection.csv`` and ``labels.csv`` hold only ids, character offsets, labels
and a sha1 of each sentence (never corpus text).  :func:`load_gold` reads the
labels, pulls each sentence back out of its corpus by
``(corpus, record_id, field, sent_start, sent_end)``, checks its sha1 and cuts
the labelled span (``span_start``/``span_end`` are offsets into the same field
string), so a changed corpus or a wrong offset is reported, never scored.

Usage::

    python rebuild.py [--split dev|test|all] [--stratum NAME] [--ant PATH] [--egy PATH]

prints, per sentence, ``gold_id stratum corpus`` and the sentence, then one
line per labelled span (surface, entity, is_mention, correct reading).
"""
from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import re
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
LABELS = HERE / "labels.csv"
SELECTION = HERE / "selection.csv"
# In the repo (benchmarks/gold/entities) the corpora sit in ../shared/data beside the repo.
_CANDIDATES = [HERE.parents[2].parent / "shared" / "data", Path("/work/shared/data")]
SHARED = next((p for p in _CANDIDATES if (p / "egy_news_2013").is_dir()), _CANDIDATES[0])
DEFAULT_ANT = SHARED / "ant_multisource" / "ant_multisource_v2.1.jsonl.gz"
DEFAULT_EGY = SHARED / "egy_news_2013" / "egy_news_2013.jsonl.gz"

COLUMNS = ["gold_id", "split", "stratum", "corpus", "record_id", "field", "sent_start",
           "sent_end", "span_start", "span_end", "entity_id", "entity_type", "in_gazetteer",
           "office_holder", "correct_reading", "is_mention", "note", "sentence_sha1"]
INT_COLS = ["sent_start", "sent_end"]
OPT_INT_COLS = ["span_start", "span_end", "in_gazetteer", "is_mention"]
_ID_AT_START = re.compile(r'^\{"(?:docno|id)": "([^"]+)"')


class GoldError(ValueError):
    """The label file or a corpus does not match what was labelled."""


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def read_labels(path: Path | str = LABELS, split: str | None = None) -> pd.DataFrame:
    """Read ``labels.csv`` (no text).

    Columns: see ``COLUMNS``; sent_start/sent_end int; span_start, span_end,
    in_gazetteer, is_mention nullable Int64 (empty for a sentence row that
    labels no span).  ``split``: "dev", "test", or None / "all".
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
                for c in INT_COLS:
                    row[c] = int(row[c])
                for c in OPT_INT_COLS:
                    row[c] = int(row[c]) if row[c] != "" else None
            except (TypeError, ValueError) as exc:
                raise GoldError(f"{path}:{lineno}: bad row ({exc})") from None
            if (row["span_start"] is None) != (row["span_end"] is None):
                raise GoldError(f"{path}:{lineno}: span_start and span_end must both be set or empty")
            if row["span_start"] is not None and not (
                    row["sent_start"] <= row["span_start"] < row["span_end"] <= row["sent_end"]):
                raise GoldError(f"{path}:{lineno}: span {row['span_start']}:{row['span_end']} "
                                f"outside sentence {row['sent_start']}:{row['sent_end']}")
            rows.append(row)
    df = pd.DataFrame(rows, columns=COLUMNS)
    for c in OPT_INT_COLS:
        df[c] = df[c].astype("Int64")
    if split not in (None, "all"):
        if split not in ("dev", "test"):
            raise GoldError(f"unknown split {split!r} (dev, test or all)")
        df = df[df["split"] == split]
    return df.reset_index(drop=True)


def read_records(path: Path, ids: set[str]) -> dict[str, dict]:
    """The records of ``path`` (JSONL.gz) whose docno / id is in ``ids``."""
    out: dict[str, dict] = {}
    if not ids:
        return out
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            m = _ID_AT_START.match(line)
            if m is None or m.group(1) not in ids:
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise GoldError(f"{path}:{lineno}: bad JSON ({exc})") from None
            out.setdefault(m.group(1), rec)
            if len(out) == len(ids):
                break
    return out


def _attach_text(df: pd.DataFrame, ant: Path, egy: Path) -> pd.DataFrame:
    paths = {"ant": Path(ant), "egy": Path(egy)}
    recs: dict[str, dict] = {}
    for corpus, path in paths.items():
        ids = set(df.loc[df["corpus"] == corpus, "record_id"])
        if ids and not path.is_file():
            raise GoldError(f"corpus not found: {path}")
        recs.update({(corpus, k): v for k, v in read_records(path, ids).items()})
    sent, surf, time, outlet = [], [], [], []
    for row in df.itertuples(index=False):
        rec = recs.get((row.corpus, row.record_id))
        if rec is None:
            raise GoldError(f"{row.gold_id}: record {row.record_id} not in {paths[row.corpus]}")
        value = rec.get(row.field) or ""
        if not 0 <= row.sent_start < row.sent_end <= len(value):
            raise GoldError(f"{row.gold_id}: offsets {row.sent_start}:{row.sent_end} out of range for "
                            f"{row.record_id}/{row.field} (length {len(value)})")
        text = value[row.sent_start:row.sent_end]
        if sha1(text) != row.sentence_sha1:
            raise GoldError(f"{row.gold_id}: sentence sha1 differs from the labelled one "
                            f"({row.record_id}/{row.field} {row.sent_start}:{row.sent_end})")
        sent.append(text)
        ss = getattr(row, "span_start", None)
        surf.append("" if ss is None or pd.isna(ss) else value[int(ss):int(row.span_end)])
        time.append(rec.get("time", ""))
        outlet.append(rec.get("src") or rec.get("source") or "")
    df = df.copy()
    df["sentence"] = sent
    if "span_start" in df.columns:
        df["surface"] = surf
    df["time"] = time
    df["outlet"] = outlet
    return df


def load_gold(split: str | None = None, labels_path: Path | str = LABELS,
              ant: Path | str = DEFAULT_ANT, egy: Path | str = DEFAULT_EGY) -> pd.DataFrame:
    """Labels with their sentence and span text, sha1-checked.

    One row per labelled span (or per sentence with nothing to label).
    Returns the columns of :func:`read_labels` plus ``sentence`` (the sentence
    text), ``surface`` (the span text, "" when the row has no span), ``time``
    (the article's date string as in the corpus) and ``outlet``.
    Raises :class:`GoldError` on a missing corpus or record, an offset out of
    range or a sha1 mismatch.
    """
    return _attach_text(read_labels(labels_path, split), ant, egy)


def load_selection(split: str | None = None, path: Path | str = SELECTION,
                   ant: Path | str = DEFAULT_ANT, egy: Path | str = DEFAULT_EGY) -> pd.DataFrame:
    """The selected sentences (one row each) with ``sentence``, ``time``, ``outlet``."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    for c in INT_COLS:
        df[c] = df[c].astype(int)
    if split not in (None, "all"):
        df = df[df["split"] == split].reset_index(drop=True)
    return _attach_text(df, ant, egy)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Print the entity gold set rebuilt from the corpora.")
    ap.add_argument("--split", default="all", choices=["dev", "test", "all"])
    ap.add_argument("--stratum", default=None)
    ap.add_argument("--ant", type=Path, default=DEFAULT_ANT)
    ap.add_argument("--egy", type=Path, default=DEFAULT_EGY)
    ap.add_argument("--labels", type=Path, default=LABELS)
    args = ap.parse_args(argv)
    try:
        df = load_gold(args.split, args.labels, args.ant, args.egy)
    except GoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.stratum:
        df = df[df["stratum"] == args.stratum]
    for gid, g in df.groupby("gold_id", sort=True):
        r0 = g.iloc[0]
        print(f"\n{gid}\t{r0.stratum}\t{r0.corpus}\t{r0.split}\t{r0.record_id}\t{r0.time}")
        print(f"  {r0.sentence}")
        for r in g.itertuples(index=False):
            if r.surface:
                extra = f" holder={r.office_holder}" if r.office_holder else ""
                extra += f" reading={r.correct_reading}" if r.correct_reading else ""
                print(f"    [{r.surface}] {r.entity_id} ({r.entity_type}) mention={r.is_mention}{extra}")
            else:
                print(f"    (no span) {r.note}")
    n_sent = df["gold_id"].nunique()
    print(f"\n{n_sent} sentences, {len(df)} label rows rebuilt, sha1 verified", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
