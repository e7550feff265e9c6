"""Select the gold-set sentences for measuring entity-mention accuracy.

Deterministic (fixed seed): reads the ANT multi-source corpus, cuts every
title and text into sentences with a deliberately simple splitter of our own
(newline and . ! ؟ ? ؛ ; a dot between two digits does not cut), and draws a
stratified sample that over-represents the hard cases of the matcher
(proclitics, demonyms, Belarus, بروسيا, الأسد, عمان, مالي, المغرب, تركي,
institutions and offices holding a country, Putin, Bashar al-Assad) plus
about a quarter of random sentences and some sport sentences.  Each stratum
is shuffled and split half dev / half test.

Only ids and offsets are written (never the text):

    gold_id, split, stratum, docno, field, start, end, text_sha1

``start``/``end`` are character offsets into the JSON string value of
``field`` (``title`` or ``text``) of the record ``docno``.

Usage::

    .venv/bin/python benchmarks/gold/select_sentences.py [--corpus PATH] [--out FILE]

The labels themselves are written by hand into ``labels.csv`` (see README.md);
this script only proposes the sentences, it never touches the labels.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "data" / "ant_multisource" / "ant_multisource_v2.1.jsonl.gz"
SEED = 20180501
MIN_LEN, MAX_LEN = 30, 320

# Sentence ends: newline, ! ؟ ? ؛ and '.' unless between two digits.
_CUT = re.compile(r"\n|[!؟?؛]|(?<!\d)\.|\.(?!\d)")

A = "[اأإآ]"  # any alef form
STRATA: list[tuple[str, str, int, str | None]] = [
    # name, regex, how many, category filter ("sport", "!sport" or None)
    ("belarus", r"بيلاروس|روسيا البيضاء", 8, None),
    ("b_russia", r"(?<!\S)بروسيا", 6, None),
    ("irgc_sdf_inst", r"الحرس الثوري|قوات سوريا الديمقراطية|قوات سورية الديمقراطية|وزار[ةه] [^ ]+ (?:الروسية|السورية|الإيرانية|الايرانية)|الجيش (?:الروسي|السوري|الإيراني|الايراني)", 18, None),
    ("office", r"الرئيس (?:الروسي|السوري|الإيراني|الايراني)|وزير الخارجية (?:الروسي|السوري|الإيراني|الايراني)|المرشد الإيراني", 14, None),
    ("bashar_assad", r"بشار", 14, None),
    ("assad_bare", r"(?<!بشار )(?<!\S)[وبل]?ال" + A + "سد(?!\\S)", 10, "!sport"),
    ("asad_sport", r"(?<!\S)[وبل]?(?:ال)?" + A + "سود|(?<!\S)[وبل]?ال" + A + "سد(?!\S)", 8, "sport"),
    ("putin", r"بوتين", 16, None),
    ("oman", r"(?<!\S)[وبلف]?عمان(?!\S)", 10, None),
    ("mali", r"(?<!\S)[وبلف]?مالي(?!\S)", 10, None),
    ("maghrib", r"(?<!\S)[وبلف]?المغرب(?!\S)", 10, None),
    ("turki", r"(?<!\S)[وبلف]?تركي(?!\S)", 10, None),
    ("rus_clitic", r"(?<!\S)(?:[وفبلك]|وب|ول|فب)روسيا", 14, None),
    ("rus_demonym", r"(?<!\S)[وبلف]?(?:ال|لل)?روس(?:ي|ية|يا[نت]|يين|يون)?(?!\S)(?<!روسيا)", 14, None),
    ("syr_clitic", r"(?<!\S)(?:[وفبلك]|وب|ول|فب)سوري[اة]", 14, None),
    ("syr_demonym", r"(?<!\S)[وبلف]?(?:ال|لل)?سوري(?:ين|ون|ة|ات)?(?!\S)", 14, None),
    ("irn_clitic", r"(?<!\S)(?:[وفبلك]|وب|ول|فب)" + A + "يران", 14, None),
    ("irn_demonym", r"(?<!\S)[وبلف]?(?:ال|لل)?" + A + "يراني(?:ين|ون|ة|ات)?(?!\S)", 12, None),
    ("irn_nohamza", r"(?<!\S)[وبلف]?(?:ال|لل)?ايراني", 10, None),
    ("sport", r".", 18, "sport"),
    ("random", r".", 88, None),
]


def split_sentences(s: str) -> list[tuple[int, int]]:
    """Return (start, end) offsets of the stripped sentences of ``s``."""
    out = []
    pos = 0
    for m in _CUT.finditer(s):
        out.append((pos, m.end()))
        pos = m.end()
    out.append((pos, len(s)))
    spans = []
    for a, b in out:
        while a < b and s[a].isspace():
            a += 1
        while b > a and s[b - 1].isspace():
            b -= 1
        if b > a:
            spans.append((a, b))
    return spans


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def iter_sentences(corpus: Path):
    """Yield (docno, cat, field, start, end, sentence) for every sentence."""
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                sys.exit(f"{corpus}:{lineno}: bad JSON ({exc})")
            for field in ("title", "text"):
                value = rec.get(field) or ""
                for a, b in split_sentences(value):
                    yield rec["docno"], rec.get("cat", ""), field, a, b, value[a:b]


def select(corpus: Path) -> list[dict]:
    rng = random.Random(SEED)
    pools: dict[str, list] = {name: [] for name, *_ in STRATA}
    compiled = [(n, re.compile(p), k, c) for n, p, k, c in STRATA]
    seen_text: set[str] = set()
    all_ok = []
    for docno, cat, field, a, b, sent in iter_sentences(corpus):
        if not (MIN_LEN <= len(sent) <= MAX_LEN) or sent in seen_text:
            continue
        seen_text.add(sent)
        cand = (docno, cat, field, a, b, sent)
        all_ok.append(cand)
        for name, rx, _, catf in compiled:
            if name in ("sport", "random"):
                continue
            if catf == "sport" and cat != "sport" or catf == "!sport" and cat == "sport":
                continue
            if rx.search(sent):
                pools[name].append(cand)
    pools["sport"] = [c for c in all_ok if c[1] == "sport"]
    pools["random"] = all_ok
    chosen: set[tuple] = set()
    rows = []
    for name, _, k, _ in compiled:
        pool = [c for c in pools[name] if c[:5] not in chosen]
        picked = rng.sample(pool, min(k, len(pool)))
        picked.sort(key=lambda c: c[:5])
        rng.shuffle(picked)
        for i, c in enumerate(picked):
            chosen.add(c[:5])
            rows.append({"split": "dev" if i % 2 == 0 else "test", "stratum": name,
                         "docno": c[0], "field": c[2], "start": c[3], "end": c[4],
                         "text_sha1": sha1(c[5])})
    for i, r in enumerate(rows, 1):
        r["gold_id"] = f"g{i:03d}"
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--out", type=Path, default=HERE / "selection.csv")
    args = ap.parse_args(argv)
    if not args.corpus.is_file():
        sys.exit(f"corpus not found: {args.corpus}")
    rows = select(args.corpus)
    cols = ["gold_id", "split", "stratum", "docno", "field", "start", "end", "text_sha1"]
    with open(args.out, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=cols)
        w.writeheader()
        w.writerows(rows)
    n_dev = sum(r["split"] == "dev" for r in rows)
    print(f"{len(rows)} sentences ({n_dev} dev, {len(rows) - n_dev} test) -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
