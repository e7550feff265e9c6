"""Score ``analysis.extract_mentions`` against the hand-labelled gold set.

Rebuilds the gold sentences (benchmarks/gold/, ids and offsets only) from the
ANT corpus, runs the matcher on one article per sentence and prints micro
precision / recall / F1 over (sentence, country) pairs, per RUS / SYR / IRN,
and for the persons ``putin`` and ``bashar_assad`` (named by name).

Usage::

    .venv/bin/python benchmarks/eval_mentions.py [--split dev|test|all] [--errors]
        [--json OUT] [--corpus PATH]

Predicted countries of a sentence = every ``entity_id`` of a mention with
``entity_type == "country"`` (any ``mention_kind``: name, demonym, derived).
Predicted persons = a mention of ``putin`` / ``bashar_assad`` with
``mention_kind == "name"`` (office resolutions do not count: the gold labels
say whether the person is *named*).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Callable, Mapping

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "gold"))
from rebuild import GoldError, load_gold  # noqa: E402

FOCUS = ("RUS", "SYR", "IRN")
PERSONS = ("putin", "bashar_assad")

Labels = Mapping[str, dict]  # gold_id -> {"countries": set[str], "putin": bool, "bashar_assad": bool}


def gold_labels(gold: pd.DataFrame) -> dict[str, dict]:
    """gold DataFrame (from load_gold / read_labels) -> {gold_id: labels}."""
    return {
        r.gold_id: {"countries": set(r.countries), "putin": bool(r.putin),
                    "bashar_assad": bool(r.bashar_assad)}
        for r in gold.itertuples(index=False)
    }


def articles_from_gold(gold: pd.DataFrame) -> pd.DataFrame:
    """One article per gold sentence, with the columns of ``load_corpus``.

    article_id = gold_id, title = "", text = the sentence, published = the
    article's date (UTC; needed to resolve offices), outlet = src.
    """
    n = len(gold)
    return pd.DataFrame({
        "article_id": gold["gold_id"].to_numpy(),
        "title": [""] * n,
        "text": gold["text"].to_numpy(),
        "published": pd.to_datetime(gold["time"], utc=True, errors="coerce", format="mixed"),
        "outlet": gold["src"].to_numpy(),
        "url": [""] * n,
        "category": gold["cat"].to_numpy() if "cat" in gold else [""] * n,
        "keywords": [[] for _ in range(n)],
        "source_file": [""] * n,
        "parent_id": [None] * n,
        "dup_group": gold["gold_id"].to_numpy(),
    })


def predictions_from_mentions(mentions: pd.DataFrame, ids) -> dict[str, dict]:
    """mentions table -> {article_id: labels} for every id in ``ids``."""
    pred = {i: {"countries": set(), "putin": False, "bashar_assad": False} for i in ids}
    if len(mentions):
        for r in mentions.itertuples(index=False):
            p = pred.get(r.article_id)
            if p is None:
                continue
            if r.entity_type == "country":
                p["countries"].add(r.entity_id)
            elif r.entity_id in PERSONS and r.mention_kind == "name":
                p[r.entity_id] = True
    return pred


def prf(tp: int, fp: int, fn: int) -> dict:
    """Precision, recall, F1 from counts (an empty denominator scores 1.0 only
    when there is nothing to find and nothing was predicted)."""
    p = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
    r = tp / (tp + fn) if tp + fn else (1.0 if fp == 0 else 0.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f}


def score(gold: Labels, pred: Labels) -> dict[str, dict]:
    """Micro P/R/F1 over (sentence, country) pairs ("countries"), per focus
    country (RUS, SYR, IRN) and per person (putin, bashar_assad).

    ``gold`` and ``pred`` map a sentence id to {"countries": set, "putin":
    bool, "bashar_assad": bool}; a sentence absent from ``pred`` predicts
    nothing.
    """
    empty = {"countries": set(), "putin": False, "bashar_assad": False}
    counts = {k: [0, 0, 0] for k in ("countries", *FOCUS, *PERSONS)}
    for gid, g in gold.items():
        p = pred.get(gid, empty)
        gc, pc = set(g["countries"]), set(p["countries"])
        c = counts["countries"]
        c[0] += len(gc & pc)
        c[1] += len(pc - gc)
        c[2] += len(gc - pc)
        for code in FOCUS:
            _tally(counts[code], code in gc, code in pc)
        for person in PERSONS:
            _tally(counts[person], bool(g[person]), bool(p[person]))
    return {k: prf(*v) for k, v in counts.items()}


def _tally(c: list, g: bool, p: bool) -> None:
    if g and p:
        c[0] += 1
    elif p:
        c[1] += 1
    elif g:
        c[2] += 1


def errors(gold: Labels, pred: Labels) -> list[dict]:
    """Sentences where prediction and gold differ: gold_id, missed, extra
    (countries, and persons as 'putin' / 'bashar_assad'), expected, got."""
    out = []
    empty = {"countries": set(), "putin": False, "bashar_assad": False}
    for gid in sorted(gold):
        g, p = gold[gid], pred.get(gid, empty)
        gs = set(g["countries"]) | {k for k in PERSONS if g[k]}
        ps = set(p["countries"]) | {k for k in PERSONS if p[k]}
        if gs != ps:
            out.append({"gold_id": gid, "missed": sorted(gs - ps), "extra": sorted(ps - gs),
                        "expected": sorted(gs), "got": sorted(ps)})
    return out


def evaluate(split: str = "dev", corpus: Path | None = None,
             extract: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
             gold: pd.DataFrame | None = None) -> dict:
    """Run ``extract`` (default: analysis.extract_mentions) on the gold
    sentences of ``split``; return {"split", "n_sentences", "scores",
    "errors", "text"} (text: gold_id -> sentence, for printing only)."""
    if gold is None:
        gold = load_gold(corpus, split)
    if extract is None:
        from analysis import extract_mentions

        def extract(a):
            return extract_mentions(a, progress=False)
    mentions = extract(articles_from_gold(gold))
    g = gold_labels(gold)
    p = predictions_from_mentions(mentions, g.keys())
    return {"split": split, "n_sentences": len(g), "scores": score(g, p),
            "errors": errors(g, p), "text": dict(zip(gold["gold_id"], gold["text"]))}


def format_scores(result: dict) -> str:
    lines = [f"gold split: {result['split']} ({result['n_sentences']} sentences)",
             f"{'':14}{'P':>7}{'R':>7}{'F1':>7}{'TP':>6}{'FP':>5}{'FN':>5}"]
    for key, s in result["scores"].items():
        name = "all countries" if key == "countries" else key
        lines.append(f"{name:14}{s['precision']:7.3f}{s['recall']:7.3f}{s['f1']:7.3f}"
                     f"{s['tp']:6d}{s['fp']:5d}{s['fn']:5d}")
    lines.append(f"sentences with an error: {len(result['errors'])}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Score analysis.extract_mentions on the gold set.")
    ap.add_argument("--split", default="dev", choices=["dev", "test", "all"])
    ap.add_argument("--errors", action="store_true", help="list every sentence with an error")
    ap.add_argument("--json", type=Path, metavar="OUT", help="write the figures as JSON")
    ap.add_argument("--corpus", type=Path, default=None)
    args = ap.parse_args(argv)
    try:
        result = evaluate(args.split, args.corpus)
    except GoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(format_scores(result))
    if args.errors:
        for e in result["errors"]:
            print(f"{e['gold_id']}  expected {' '.join(e['expected']) or '-'}  got "
                  f"{' '.join(e['got']) or '-'}  (missed {' '.join(e['missed']) or '-'}; "
                  f"extra {' '.join(e['extra']) or '-'})\n    {result['text'][e['gold_id']]}")
    if args.json:
        out = {k: v for k, v in result.items() if k != "text"}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"figures -> {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
