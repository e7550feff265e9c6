"""Score ``analysis.extract_mentions`` against the hand-labelled gold sets.

The country gold set (benchmarks/gold/, 332 ANT sentences, ids and offsets
only) is rebuilt from the ANT corpus; by default the matcher runs on each
sentence's **whole article** (``--context article``: bare names are decided by
the article's own context, as in real use) and the mentions inside the
sentence are scored; ``--context sentence`` runs it on the sentence alone (the
protocol of the first version). Prints micro precision / recall / F1 over
(sentence, country) pairs, per RUS / SYR / IRN, and for the persons ``putin``
and ``bashar_assad`` (named by name), with 95 % Wilson intervals.

``--package-json`` writes ``src/analysis/data/matching_accuracy.json``, the
figures the report shows (:func:`analysis.entities.validate.accuracy_table`):
this set's dev and test halves, and the entity gold set
(benchmarks/gold/entities/, :mod:`eval_entities`): its dev half scored now, its
test half from the single held-out run (``test_scores.json``).

Usage::

    .venv/bin/python benchmarks/eval_mentions.py [--split dev|test|all] [--errors]
        [--json OUT] [--corpus PATH] [--context article|sentence] [--package-json]

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
sys.path.insert(0, str(HERE))
from rebuild import GoldError, load_gold, read_records  # noqa: E402

PACKAGE_JSON = HERE.parent / "src" / "analysis" / "data" / "matching_accuracy.json"

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
    when there is nothing to find and nothing was predicted), with 95 % Wilson
    intervals for precision and recall."""
    from analysis.measures.compare import wilson_interval

    p = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
    r = tp / (tp + fn) if tp + fn else (1.0 if fp == 0 else 0.0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    (plo, rlo), (phi, rhi) = wilson_interval([tp, tp], [tp + fp, tp + fn])
    nan = lambda x: None if x != x else float(x)  # noqa: E731
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f,
            "precision_low": nan(plo), "precision_high": nan(phi), "recall_low": nan(rlo), "recall_high": nan(rhi)}


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


def articles_of_gold(gold: pd.DataFrame, corpus: Path | None = None) -> pd.DataFrame:
    """The whole articles the gold sentences come from (article_id = docno)."""
    from rebuild import DEFAULT_CORPUS

    recs = read_records(corpus or DEFAULT_CORPUS, set(gold["docno"]))
    rows = [{"article_id": d, "title": r.get("title") or "", "text": r.get("text") or "",
             "published": pd.to_datetime(r.get("time"), utc=True, errors="coerce", format="mixed"),
             "outlet": r.get("src", "")} for d, r in sorted(recs.items())]
    return pd.DataFrame(rows)


def sentence_mentions(mentions: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """The mentions of whole articles that lie in a gold sentence, with article_id = gold_id."""
    parts = []
    by = {k: g for k, g in mentions.groupby(["article_id", "field"])}
    for r in gold.itertuples(index=False):
        m = by.get((r.docno, r.field))
        if m is None:
            continue
        m = m[(m["start"] >= r.start) & (m["end"] <= r.end)]
        parts.append(m.assign(article_id=r.gold_id))
    return pd.concat(parts, ignore_index=True) if parts else mentions.iloc[0:0]


def evaluate(split: str = "dev", corpus: Path | None = None,
             extract: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
             gold: pd.DataFrame | None = None, context: str = "article") -> dict:
    """Run ``extract`` (default: analysis.extract_mentions) on the gold set of
    ``split`` (``context``: "article" = whole articles, mentions inside the
    sentence scored; "sentence" = each sentence alone); return {"split",
    "context", "n_sentences", "scores", "errors", "text"} (text: gold_id ->
    sentence, for printing only)."""
    if context not in ("article", "sentence"):
        raise ValueError("context must be 'article' or 'sentence'")
    if gold is None:
        gold = load_gold(corpus, split)
    if extract is None:
        from analysis import extract_mentions

        def extract(a):
            return extract_mentions(a, progress=False)
    if context == "sentence":
        mentions = extract(articles_from_gold(gold))
    else:
        mentions = sentence_mentions(extract(articles_of_gold(gold, corpus)), gold)
    g = gold_labels(gold)
    p = predictions_from_mentions(mentions, g.keys())
    return {"split": split, "context": context, "n_sentences": len(g), "scores": score(g, p),
            "errors": errors(g, p), "text": dict(zip(gold["gold_id"], gold["text"]))}


def format_scores(result: dict) -> str:
    lines = [f"gold split: {result['split']} ({result['n_sentences']} sentences; matched on "
             f"{'whole articles' if result.get('context', 'article') == 'article' else 'sentences alone'})",
             f"{'':14}{'P':>7}{'95% CI':>15}{'R':>7}{'95% CI':>15}{'F1':>7}{'TP':>6}{'FP':>5}{'FN':>5}"]
    for key, s in result["scores"].items():
        name = "all countries" if key == "countries" else key
        ci_p = "" if s.get("precision_low") is None else f"[{s['precision_low']:.2f}, {s['precision_high']:.2f}]"
        ci_r = "" if s.get("recall_low") is None else f"[{s['recall_low']:.2f}, {s['recall_high']:.2f}]"
        lines.append(f"{name:14}{s['precision']:7.3f}{ci_p:>15}{s['recall']:7.3f}{ci_r:>15}{s['f1']:7.3f}"
                     f"{s['tp']:6d}{s['fp']:5d}{s['fn']:5d}")
    lines.append(f"sentences with an error: {len(result['errors'])}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Score analysis.extract_mentions on the gold set.")
    ap.add_argument("--split", default="dev", choices=["dev", "test", "all"])
    ap.add_argument("--errors", action="store_true", help="list every sentence with an error")
    ap.add_argument("--json", type=Path, metavar="OUT", help="write the figures as JSON")
    ap.add_argument("--corpus", type=Path, default=None)
    ap.add_argument("--context", default="article", choices=["article", "sentence"],
                    help="match whole articles (default) or each sentence alone")
    ap.add_argument("--package-json", action="store_true",
                    help=f"write the report's accuracy figures to {PACKAGE_JSON.relative_to(HERE.parent)}")
    args = ap.parse_args(argv)
    if args.package_json:
        try:
            write_package_json(args.corpus)
        except GoldError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(f"figures -> {PACKAGE_JSON}")
        return 0
    try:
        result = evaluate(args.split, args.corpus, context=args.context)
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


def write_package_json(corpus: Path | None = None, path: Path = PACKAGE_JSON) -> dict:
    """Score both gold sets and write the figures the package ships (see the module docstring).

    Layout (read by :func:`analysis.entities.validate.accuracy_table` and the
    report): ``{"about", "sets": {...}, "<scope>": {"<target>": {tp, fp, fn,
    precision, recall, f1, precision_low, precision_high, recall_low,
    recall_high}}}``; scopes "dev (...)" / "test (...)" for the country set,
    "entities dev (...)" / "entities test (...)" with targets "<type>" and
    "<type> / <class>" for the entity set.
    """
    import hashlib

    import analysis
    import eval_entities

    out: dict = {
        "about": "Entity matching measured on the package's gold sets by benchmarks/eval_mentions.py "
                 "(not written by hand): countries on 332 ANT sentences, persons, offices, countries and "
                 "places on 288 sentences of ANT and an Egyptian 2013 corpus drawn for the error classes "
                 "of issue 11; dev halves used for tuning, test halves scored once. Other outlets than "
                 "yours: measure your own corpus with `analysis validate`.",
        "generated_by": "benchmarks/eval_mentions.py --package-json",
        "package_version": analysis.__version__,
    }
    gaz_file = Path(analysis.__file__).parent / "data" / "gazetteer.yaml"
    out["gazetteer_sha256"] = hashlib.sha256(gaz_file.read_bytes()).hexdigest()
    out["sets"] = {
        "countries": {"corpus": "ANT v2.1 (2018; Sky News Arabia, Al Arabiya, France 24, BBC and CNN Arabic)",
                      "sentences": 332, "labels": "countries; putin, bashar_assad named by name",
                      "context": "whole articles matched, sentence spans scored"},
        "entities": {"corpus": "ANT v2.1 (2018) and egy_news_2013 (Jan-Mar 2013, 13 Egyptian outlets)",
                     "sentences": 288, "labels": "persons, offices, countries, places span by span, "
                     "with traps for 8 error classes", "context": "whole articles matched, sentence spans scored"},
    }
    for split in ("dev", "test"):
        res = evaluate(split, corpus, context="article")
        label = "used for tuning" if split == "dev" else "scored once"
        out[f"{split} ({res['n_sentences']} sentences, {label})"] = {
            ("all countries" if k == "countries" else k): v for k, v in res["scores"].items()}
    ent = {"dev": eval_entities.evaluate("dev")}
    if eval_entities.TEST_SCORES.is_file():
        ent["test"] = json.loads(eval_entities.TEST_SCORES.read_text(encoding="utf-8"))
    for split, res in ent.items():
        label = "used for tuning" if split == "dev" else "scored once"
        block = {}
        for t, by in res["scores"].items():
            for k, v in by.items():
                block[t if k == "all" else f"{t} / {k}"] = v
        out[f"entities {split} ({res['n_sentences']} sentences, {label})"] = block
    path.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    raise SystemExit(main())
