"""Write N synthetic articles resampled from the ANT corpus, perturbed so they are not duplicates.

Each new article takes a random ANT article (seeded), shuffles the order of its
sentences within each paragraph, swaps one or two sentences for sentences of
another article of the same outlet and category, replaces a few words with
words of that other article, and shifts the date by up to a year; it gets a
fresh id and keeps outlet, category and url (suffixed). Output: JSON Lines
files of ``--per-file`` articles each (``part-00000.jsonl`` ...), or one
``.jsonl.gz`` with ``--gzip``. Write them outside the repository (no ANT text
may be committed)::

    python benchmarks/gen_corpus.py --n 1000000 --out /work/scale/ant1m
"""
from __future__ import annotations

import argparse
import gzip
import re
import sys
import time
from pathlib import Path

import numpy as np
import orjson

ANT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ant_multisource" / "ant_multisource_v2.1.jsonl.gz"
_SENT = re.compile(r"(?<=[.!?؟])\s+")


def _records(path: Path) -> list[dict]:
    with gzip.open(path, "rb") as fh:
        out = []
        for line in fh:
            try:
                rec = orjson.loads(line)
            except orjson.JSONDecodeError:
                continue
            if isinstance(rec, dict) and isinstance(rec.get("text"), str) and rec["text"].strip():
                out.append(rec)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--out", required=True, help="output folder (created)")
    ap.add_argument("--per-file", type=int, default=100_000)
    ap.add_argument("--gzip", action="store_true", help="one corpus.jsonl.gz instead of several .jsonl")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--source", default=str(ANT))
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    recs = _records(Path(args.source))
    rng = np.random.default_rng(args.seed)
    text_key = "text"
    date_key = next((k for k in ("date", "time", "published", "date_extracted") if k in recs[0]), None)
    outlet_key = next((k for k in ("outlet", "source", "src", "site") if k in recs[0]), None)
    cat_key = next((k for k in ("category", "cat", "section") if k in recs[0]), None)
    id_key = next((k for k in ("id", "article_id", "docno") if k in recs[0]), "id")
    groups: dict = {}
    for i, r in enumerate(recs):
        groups.setdefault((r.get(outlet_key), r.get(cat_key)), []).append(i)
    group_of = [groups[(r.get(outlet_key), r.get(cat_key))] for r in recs]
    paras = [[_SENT.split(p) for p in r[text_key].split("\n") if p.strip()] for r in recs]
    import pandas as pd

    dates = pd.to_datetime(pd.Series([r.get(date_key) for r in recs], dtype=object), errors="coerce", utc=True,
                           format="mixed") if date_key else None
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    fh = None
    written = 0
    picks = rng.integers(0, len(recs), size=args.n)
    for j in range(args.n):
        if args.gzip and fh is None:
            fh = gzip.open(out / "corpus.jsonl.gz", "wb", compresslevel=1)
        elif not args.gzip and j % args.per_file == 0:
            if fh is not None:
                fh.close()
            fh = open(out / f"part-{j // args.per_file:05d}.jsonl", "wb")
        i = int(picks[j])
        src = recs[i]
        grp = group_of[i]
        other = grp[int(rng.integers(0, len(grp)))]
        donor = [s for p in paras[other] for s in p]
        new_paras = []
        for p in paras[i]:
            p = list(p)
            if len(p) > 1:
                p = [p[k] for k in rng.permutation(len(p))]
            new_paras.append(p)
        if donor and new_paras:
            for _ in range(int(rng.integers(1, 3))):
                pi = int(rng.integers(0, len(new_paras)))
                si = int(rng.integers(0, len(new_paras[pi])))
                new_paras[pi][si] = donor[int(rng.integers(0, len(donor)))]
        text = "\n".join(" ".join(p) for p in new_paras)
        words = text.split(" ")
        dwords = " ".join(donor).split(" ") if donor else []
        if dwords and len(words) > 5:
            for k in rng.integers(0, len(words), size=3):
                words[int(k)] = dwords[int(rng.integers(0, len(dwords)))]
            text = " ".join(words)
        rec = dict(src)
        rec[text_key] = text
        rec[id_key] = f"syn{args.seed}-{j:08d}"
        if "url" in rec and isinstance(rec["url"], str):
            rec["url"] = rec["url"] + f"#syn{j}"
        if date_key and dates is not None and not pd.isna(dates.iat[i]):
            rec[date_key] = (dates.iat[i] + pd.Timedelta(days=int(rng.integers(-180, 181)))).isoformat()
        fh.write(orjson.dumps(rec) + b"\n")
        written += 1
        if written % 100_000 == 0:
            print(f"{written:,} articles, {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    if fh is not None:
        fh.close()
    print(f"wrote {written:,} articles to {out} in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
