"""Rebuild the HELD-OUT quote/speaker gold set (this folder) from the ANT corpus.

A copy of ../quotes/rebuild.py with the same ``load_gold`` API; it reads this
folder's ``labels.csv``. All rows of this set are in split ``test``.

``labels.csv`` holds ids, offsets, labels and SHA-1 checksums only. This module
reads the corpus, cuts the sentence, the previous sentence and the verb,
speaker and quote strings out of the article fields, and checks every sentence
against its checksum.

    from rebuild import load_gold
    gold = load_gold(split="test")          # pandas DataFrame (all rows)

    python rebuild.py [--corpus PATH] [--split dev|test] [--id ht-001] [--limit N]
                      [--summary] [--check-loader]

The corpus is found from ``--corpus`` / ``corpus_path``, else the environment
variable ``ANT_CORPUS``, else ``shared/data/ant_multisource/ant_multisource_v2.1.jsonl.gz``
in this folder or any folder above it (so it works from
benchmarks/gold/quotes_heldout of a checkout beside /work/shared).
"""
from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import os
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
LABELS = HERE / "labels.csv"
CORPUS_REL = Path("shared/data/ant_multisource/ant_multisource_v2.1.jsonl.gz")
OFFSET_COLS = ["sent_start", "sent_end", "verb_start", "verb_end", "speaker_start", "speaker_end",
               "quote_start", "quote_end", "prev_start", "prev_end"]
FLAG_COLS = ["speaker_in_sentence", "direct", "gazetteer_missing"]


def find_corpus(corpus_path=None) -> Path:
    """The ANT JSONL.gz file: the argument, $ANT_CORPUS, or shared/... above this folder."""
    if corpus_path:
        p = Path(corpus_path)
        if not p.is_file():
            raise FileNotFoundError(f"corpus not found: {p}")
        return p
    env = os.environ.get("ANT_CORPUS")
    if env:
        p = Path(env)
        if not p.is_file():
            raise FileNotFoundError(f"ANT_CORPUS points to a missing file: {p}")
        return p
    for d in [HERE, *HERE.parents]:
        p = d / CORPUS_REL
        if p.is_file():
            return p
    raise FileNotFoundError(
        f"ANT corpus not found: pass corpus_path, set ANT_CORPUS, or place it at .../{CORPUS_REL}")


def _read_articles(path: Path, ids: set[str]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            try:
                o = json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}:{lineno}: not JSON ({e})") from None
            if o.get("docno") in ids:
                out[o["docno"]] = o
    return out


def _read_labels(labels_path: Path) -> pd.DataFrame:
    with open(labels_path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        raise ValueError(f"{labels_path}: no rows")
    df = pd.DataFrame(rows)
    df.insert(0, "labels_line", range(2, len(df) + 2))
    for c in OFFSET_COLS + FLAG_COLS:
        df[c] = pd.to_numeric(df[c].replace("", None), errors="raise").astype("Int64")
    return df


def load_gold(corpus_path=None, split=None, labels_path=None) -> pd.DataFrame:
    """The gold statements with their text rebuilt from the corpus.

    One row per statement (a reporting-verb occurrence) plus one row with an
    empty verb for every selected sentence without a statement
    (``has_statement`` False). Columns: those of ``labels.csv`` (offsets as
    nullable integers, ``verb`` filled in), plus ``sentence`` (the sentence
    string), ``prev_sentence`` (the sentence before it in the same field, ""
    for the first), ``speaker_text``, ``quote_text`` (the labelled spans, ""
    when absent), ``has_statement`` and ``labels_line`` (line in labels.csv).

    ``split``: "dev", "test" or None (both); this set has only "test" rows,
    so "dev" gives an empty table. Raises ValueError naming the
    labels line when a sentence does not match its SHA-1 (wrong corpus
    version) or an offset falls outside its field.
    """
    labels_path = Path(labels_path) if labels_path else LABELS
    df = _read_labels(labels_path)
    if split is not None:
        if split not in ("dev", "test"):
            raise ValueError(f"split must be 'dev', 'test' or None, not {split!r}")
        df = df[df["split"] == split].reset_index(drop=True)
    corpus = find_corpus(corpus_path)
    arts = _read_articles(corpus, set(df["article_id"]))
    sentences, prevs, verbs, speakers, quotes = [], [], [], [], []
    for r in df.itertuples(index=False):
        where = f"{labels_path}:{r.labels_line} ({r.gold_id})"
        o = arts.get(r.article_id)
        if o is None:
            raise ValueError(f"{where}: article {r.article_id} not in {corpus}")
        s = o.get(r.field) or ""

        def cut(a, b, what):
            if pd.isna(a) or pd.isna(b):
                return ""
            if not (0 <= a <= b <= len(s)):
                raise ValueError(f"{where}: {what} offsets {a}-{b} outside the {r.field} field "
                                 f"({len(s)} characters) of {r.article_id}")
            return s[a:b]

        sent = cut(r.sent_start, r.sent_end, "sentence")
        if hashlib.sha1(sent.encode("utf-8")).hexdigest() != r.sentence_sha1:
            raise ValueError(f"{where}: sentence checksum mismatch in {r.article_id} "
                             f"{r.field}[{r.sent_start}:{r.sent_end}] -- different corpus version?")
        for what, a, b in (("verb", r.verb_start, r.verb_end), ("speaker", r.speaker_start, r.speaker_end),
                           ("quote", r.quote_start, r.quote_end)):
            if not pd.isna(a) and not (r.sent_start <= a <= b <= r.sent_end):
                raise ValueError(f"{where}: {what} span {a}-{b} is not inside the sentence")
        sentences.append(sent)
        prevs.append(cut(r.prev_start, r.prev_end, "previous sentence"))
        verbs.append(cut(r.verb_start, r.verb_end, "verb"))
        speakers.append(cut(r.speaker_start, r.speaker_end, "speaker"))
        quotes.append(cut(r.quote_start, r.quote_end, "quote"))
    df["verb"] = verbs
    df["sentence"] = sentences
    df["prev_sentence"] = prevs
    df["speaker_text"] = speakers
    df["quote_text"] = quotes
    df["has_statement"] = df["verb_start"].notna()
    return df


def check_loader(df: pd.DataFrame, corpus_path=None) -> int:
    """Check that the offsets also hold on ``analysis.load_corpus``'s table."""
    import warnings

    from analysis import load_corpus

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        arts = load_corpus(str(find_corpus(corpus_path)), progress=False)
    arts = arts.set_index("article_id")
    bad = 0
    for r in df.drop_duplicates("sentence_id").itertuples(index=False):
        if r.article_id not in arts.index:
            print(f"{r.sentence_id}: {r.article_id} not in load_corpus output", file=sys.stderr)
            bad += 1
            continue
        s = arts.at[r.article_id, r.field] or ""
        if s[r.sent_start:r.sent_end] != r.sentence:
            print(f"{r.sentence_id}: offsets differ on load_corpus's {r.field}", file=sys.stderr)
            bad += 1
    return bad


def summary(df: pd.DataFrame) -> str:
    st = df[df["has_statement"]]
    sent = df.drop_duplicates("sentence_id")
    no_st = sent[~sent["sentence_id"].isin(st["sentence_id"])]
    lines = [f"sentences {len(sent)}  statements {len(st)}  sentences without statement {len(no_st)}"]
    lines.append("statements per split: " + ", ".join(f"{k} {v}" for k, v in st["split"].value_counts().sort_index().items()))
    lines.append("sentences per split x stratum: " + ", ".join(
        f"{a}/{b} {v}" for (a, b), v in sent.groupby(["split", "stratum"]).size().items()))
    lines.append("statements per stratum: " + ", ".join(f"{k} {v}" for k, v in st["stratum"].value_counts().sort_index().items()))
    lines.append("speaker_kind: " + ", ".join(f"{k} {v}" for k, v in st["speaker_kind"].value_counts().items()))
    lines.append("complement: " + ", ".join(f"{k} {v}" for k, v in st["complement"].value_counts().items()))
    out = (st["speaker_in_sentence"] == 0).sum()
    lines.append(f"speaker outside the sentence: {out} ({out / max(len(st), 1):.1%}); direct: {(st['direct'] == 1).sum()}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Print the quote/speaker gold set rebuilt from ANT.")
    ap.add_argument("--corpus", help="ANT JSONL.gz (default: $ANT_CORPUS or shared/... above this folder)")
    ap.add_argument("--split", choices=["dev", "test"])
    ap.add_argument("--id", help="only this sentence_id (or gold_id)")
    ap.add_argument("--limit", type=int, help="print at most N sentences")
    ap.add_argument("--summary", action="store_true", help="print counts only")
    ap.add_argument("--check-loader", action="store_true",
                    help="also check the offsets on analysis.load_corpus's table (needs the package)")
    args = ap.parse_args(argv)
    try:
        df = load_gold(args.corpus, args.split)
    except (FileNotFoundError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    if args.check_loader:
        bad = check_loader(df, args.corpus)
        print(f"load_corpus check: {bad} mismatching sentences", file=sys.stderr)
        if bad:
            return 1
    if args.summary:
        print(summary(df))
        return 0
    if args.id:
        df = df[(df["sentence_id"] == args.id) | (df["gold_id"] == args.id)]
    shown = 0
    for sid, g in df.groupby("sentence_id", sort=False):
        if args.limit is not None and shown >= args.limit:
            break
        shown += 1
        r0 = g.iloc[0]
        print(f"=== {sid} [{r0['split']}/{r0['substratum']}] {r0['article_id']} {r0['field']}"
              f"[{r0['sent_start']}:{r0['sent_end']}]")
        if r0["prev_sentence"]:
            print(f"  prev: {r0['prev_sentence']}")
        print(f"  sent: {r0['sentence']}")
        for r in g.itertuples(index=False):
            if not r.has_statement:
                print("  -- no statement")
                continue
            who = r.speaker_text if r.speaker_in_sentence == 1 else f"({r.speaker_outside_text_hint})"
            print(f"  {r.gold_id}: verb [{r.verb}]  speaker [{who}] kind={r.speaker_kind} "
                  f"entity={r.speaker_entity or '-'} country={r.speaker_country or '-'} "
                  f"direct={r.direct} complement={r.complement}")
            if r.quote_text:
                print(f"      quote: {r.quote_text}")
            if r.note:
                print(f"      note: {r.note}")
    return 0


def for_folder(folder) -> "object":
    """A fresh copy of this loader that reads ``folder/labels.csv`` (the later held-out sets' rebuild.py)."""
    import importlib.util

    folder = Path(folder).resolve()
    spec = importlib.util.spec_from_file_location(f"_quote_gold_rebuild_{folder.name}", Path(__file__).resolve())
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.HERE, mod.LABELS = folder, folder / "labels.csv"
    return mod


def api() -> dict:
    """This loader's public names, for the later sets' rebuild.py (``globals().update(...)``)."""
    g = globals()
    return {k: g[k] for k in ("LABELS", "find_corpus", "load_gold", "check_loader", "summary", "main")}


if __name__ == "__main__":
    sys.exit(main())
