"""Score ``analysis.extract_quotes`` against the hand-labelled quote gold set.

The gold set (benchmarks/gold/quotes/: ids, offsets and labels only; its
README describes the labels) holds 280 ANT sentences, 254 statements. This
script loads the gold articles with ``analysis.load_corpus`` (default
de-duplication, as the annotator's selection did), runs ``extract_mentions``
and ``extract_quotes`` on the *whole* articles (speakers may be earlier in the
article), keeps the predicted statements whose verb lies in a gold sentence,
and prints, with 95 % Wilson intervals:

* **verb detection**: precision / recall / F1 of statement anchors, matched by
  token overlap (the gold anchor includes clitics; ours does not). Three
  variants: all gold rows; without the ``according`` rows (بحسب / وفق ...:
  prepositions, not verbs; a predicted verb inside "وفق ما ذكرت" matches such a
  row); without ``according``, ``nominal`` and ``prep`` complements (see the
  gold README). A prediction matched to a left-out row is left out too.
* **speaker accuracy** among matched statements whose speaker is in the
  sentence: by entity when the gold entity is a gazetteer id, else by overlap
  of the speaker spans (the name alone counts);
* **speaker-country accuracy** among matched statements with a gold country
  (and, separately, over all matched statements with "no country" as a value),
  and by the annotator's ``country_basis``;
* **outside the sentence**: the share of gold statements whose speaker is not
  in the sentence, and the accuracy of the inheritance rule on them (by entity
  when the gold entity is a gazetteer id, else by country);
* the speaker kind (in-sentence speakers), ``direct``, and the token overlap
  F1 of the quotation spans.

Usage::

    .venv/bin/python benchmarks/eval_quotes.py [--split dev|test|all] [--errors N] [--json OUT]
        [--verbs core|extended] [--attributions] [--no-context-country] [--corpus PATH] [--gold DIR]

``--gold DIR`` scores another gold folder of the same format (sentences.csv,
labels.csv and its rebuild.py, which loads that folder's files).

Tune on ``dev``; the ``test`` half is scored once.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
GOLD = HERE / "gold" / "quotes"

_TOKEN = re.compile(r"\S+")


def wilson(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    from analysis.measures.compare import wilson_interval

    lo, hi = wilson_interval([k], [n], z)
    return float(lo[0]), float(hi[0])


def rate(k: int, n: int) -> dict:
    lo, hi = wilson(k, n) if n else (float("nan"), float("nan"))
    return {"k": int(k), "n": int(n), "value": (k / n) if n else float("nan"), "low": lo, "high": hi}


def fmt(r: dict) -> str:
    if not r["n"]:
        return "   n/a"
    return f"{r['value']:.3f} [{r['low']:.3f}, {r['high']:.3f}] ({r['k']}/{r['n']})"


def predict(gold: pd.DataFrame, corpus: Path, verbs: str, attributions: bool,
            context_country: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    import analysis

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        arts = analysis.load_corpus([corpus], progress=False)
    arts = arts[arts["article_id"].isin(set(gold["article_id"]))].reset_index(drop=True)
    mentions = analysis.extract_mentions(articles=arts, progress=False)
    statements = analysis.extract_quotes(arts, mentions, progress=False, verbs=verbs, attributions=attributions,
                                         context_country=context_country)
    return arts, statements


def _overlap(a0, a1, b0, b1) -> bool:
    return a0 < b1 and b0 < a1


def _tokens(text: str, a: int, b: int) -> set[tuple[int, int]]:
    if a is None or b is None or b <= a:
        return set()
    return {(a + m.start(), a + m.end()) for m in _TOKEN.finditer(text[a:b])}


def match(gold: pd.DataFrame, pred: pd.DataFrame, arts: pd.DataFrame) -> tuple[list, list, list]:
    """(pairs, unmatched gold rows, unmatched predictions) within the gold sentences."""
    text = arts.set_index("article_id")
    pairs, g_left, p_left = [], [], []
    sents = gold.drop_duplicates("sentence_id")
    by_key = {k: v for k, v in pred.groupby(["article_id", "field"])}
    for s in sents.itertuples(index=False):
        p = by_key.get((s.article_id, s.field))
        cand = [] if p is None else [
            r for r in p.itertuples(index=False) if s.sent_start <= r.verb_start < s.sent_end]
        rows = [g for g in gold[gold["sentence_id"] == s.sentence_id].itertuples(index=False) if g.has_statement]
        # the verb rows first: an "according" row's window (the words after بحسب) must not take the verb
        # of the row after it (وحسب رويترز، قال البيت الأبيض: قال is that row's)
        rows.sort(key=lambda g: g.complement == "according")
        src = text.at[s.article_id, s.field]
        used = set()
        for g in rows:
            lo, hi = int(g.verb_start), int(g.verb_end)
            if g.complement == "according":
                # the preposition and the verb after it: وفق ما ذكرت، بحسب ما أفاد
                after = [m for m in _TOKEN.finditer(src, hi, min(len(src), hi + 40))][:2]
                hi = after[-1].end() if after else hi
            best = None
            for j, r in enumerate(cand):
                if j not in used and _overlap(lo, hi, r.verb_start, r.verb_end):
                    best = j
                    break
            if best is None:
                g_left.append(g)
            else:
                used.add(best)
                pairs.append((g, cand[best]))
        p_left.extend(r for j, r in enumerate(cand) if j not in used)
    return pairs, g_left, p_left


def score(gold: pd.DataFrame, pred: pd.DataFrame, arts: pd.DataFrame) -> tuple[dict, dict]:
    pairs, g_left, p_left = match(gold, pred, arts)
    text = arts.set_index("article_id")
    out: dict = {}
    variants = {
        "all gold rows": lambda g: True,
        "without according": lambda g: g.complement != "according",
        "without according, nominal, prep": lambda g: g.complement not in ("according", "nominal", "prep"),
    }
    for name, keep in variants.items():
        tp = sum(1 for g, _ in pairs if keep(g))
        fn = sum(1 for g in g_left if keep(g))
        fp = len(p_left)
        p = rate(tp, tp + fp)
        r = rate(tp, tp + fn)
        f1 = 2 * p["value"] * r["value"] / (p["value"] + r["value"]) if tp else 0.0
        out[f"verbs: {name}"] = {"precision": p, "recall": r, "f1": f1, "tp": tp, "fp": fp, "fn": fn}

    def gaz_entity(g) -> str:
        e = g.speaker_entity if isinstance(g.speaker_entity, str) else ""
        missing = g.gazetteer_missing
        return e if e and (pd.isna(missing) or missing != 1) else ""  # NA: not marked missing

    ins = [(g, r) for g, r in pairs if g.speaker_in_sentence == 1]
    ok_spk, errs_spk = 0, []
    for g, r in ins:
        e = gaz_entity(g)
        if e:
            good = r.speaker_id == e
        else:
            good = g.speaker_start is not pd.NA and r.speaker_start >= 0 and _overlap(
                int(g.speaker_start), int(g.speaker_end), r.speaker_start, r.speaker_end)
        ok_spk += good
        if not good:
            errs_spk.append((g, r))
    out["speaker (in the sentence)"] = rate(ok_spk, len(ins))
    kind_ok = sum(1 for g, r in ins if r.speaker_kind == g.speaker_kind)
    out["speaker kind (in the sentence)"] = rate(kind_ok, len(ins))

    def gold_country(g) -> str:
        return g.speaker_country if isinstance(g.speaker_country, str) else ""

    with_c = [(g, r) for g, r in pairs if gold_country(g)]
    ok_c = [(g, r) for g, r in with_c if r.speaker_country == gold_country(g)]
    out["speaker country (gold country given)"] = rate(len(ok_c), len(with_c))
    out["speaker country (all matched, none = a value)"] = rate(
        sum(1 for g, r in pairs if r.speaker_country == gold_country(g)), len(pairs))
    by_basis = {}
    for basis in ("phrase", "entity", "earlier", "context"):
        sel = [(g, r) for g, r in with_c if g.country_basis == basis]
        by_basis[basis] = rate(sum(1 for g, r in sel if r.speaker_country == gold_country(g)), len(sel))
    out["speaker country by basis"] = by_basis
    errs_c = [(g, r) for g, r in with_c if r.speaker_country != gold_country(g)]

    stm = gold[gold["has_statement"]]
    out["share of gold statements with the speaker outside the sentence"] = rate(
        int((stm["speaker_in_sentence"] == 0).sum()), len(stm))
    outside = [(g, r) for g, r in pairs if g.speaker_in_sentence == 0]
    scored, ok_o, errs_o = 0, 0, []
    for g, r in outside:
        e = gaz_entity(g)
        if e:
            good = r.speaker_id == e
        elif gold_country(g):
            good = r.speaker_country == gold_country(g)
        else:
            continue
        scored += 1
        ok_o += good
        if not good:
            errs_o.append((g, r))
    out["inheritance (speaker outside the sentence)"] = rate(ok_o, scored)
    out["outside speakers predicted as pronoun_or_earlier"] = rate(
        sum(1 for g, r in outside if r.speaker_kind == "pronoun_or_earlier"), len(outside))
    out["direct"] = rate(sum(1 for g, r in pairs if bool(r.direct) == bool(g.direct)), len(pairs))
    f1s = []
    for g, r in pairs:
        src = text.at[g.article_id, g.field]
        gt = _tokens(src, None if g.quote_start is pd.NA else int(g.quote_start),
                     None if g.quote_end is pd.NA else int(g.quote_end))
        pt = _tokens(src, int(r.quote_start), int(r.quote_end))
        if not gt and not pt:
            f1s.append(1.0)
        elif not gt or not pt:
            f1s.append(0.0)
        else:
            inter = len(gt & pt)
            f1s.append(2 * inter / (len(gt) + len(pt)))
    out["quote span token F1 (mean over matched)"] = float(np.mean(f1s)) if f1s else float("nan")
    errors = {"missed verbs": g_left, "extra verbs": p_left, "speaker": errs_spk, "country": errs_c,
              "inheritance": errs_o}
    return out, errors


def show_errors(errors: dict, arts: pd.DataFrame, n: int) -> None:
    text = arts.set_index("article_id")

    def ctx(aid, field, a, b, width=70):
        src = text.at[aid, field]
        return (src[max(0, a - width):a] + "[[" + src[a:b] + "]]" + src[b:b + width]).replace("\n", " / ")

    for name, rows in errors.items():
        print(f"\n## {name}: {len(rows)}")
        for item in rows[:n]:
            if isinstance(item, tuple) and len(item) == 2 and hasattr(item[0], "gold_id"):
                g, r = item
                print(f"- {g.gold_id} gold: {g.speaker_kind} {g.speaker_entity or ''} {g.speaker_country or ''} "
                      f"'{g.speaker_text}' ({g.speaker_outside_text_hint or ''}) | pred: {r.speaker_kind} "
                      f"{r.speaker_id} {r.speaker_country} '{r.speaker_text}'")
                print("   ", ctx(g.article_id, g.field, int(g.verb_start), int(g.verb_end)))
            elif hasattr(item, "gold_id"):
                print(f"- {item.gold_id} ({item.complement}, {item.stratum}) "
                      f"{ctx(item.article_id, item.field, int(item.verb_start), int(item.verb_end))}")
            else:
                print(f"- {item.article_id} pred {item.lemma} '{item.speaker_text}': "
                      f"{ctx(item.article_id, item.field, item.verb_start, item.verb_end)}")


def gold_module(folder: Path):
    """The ``rebuild`` module of a gold folder (sentences.csv, labels.csv, rebuild.py), which loads that folder."""
    import importlib.util

    path = Path(folder) / "rebuild.py"
    for name in ("rebuild.py", "sentences.csv", "labels.csv"):
        if not (Path(folder) / name).is_file():
            raise SystemExit(f"--gold {folder}: no {name} there (a gold folder holds sentences.csv, labels.csv, rebuild.py)")
    spec = importlib.util.spec_from_file_location(f"gold_rebuild_{abs(hash(str(path.resolve())))}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    ap.add_argument("--corpus", default=None)
    ap.add_argument("--gold", default=str(GOLD), metavar="DIR",
                    help="the gold folder (sentences.csv, labels.csv, rebuild.py); default benchmarks/gold/quotes")
    ap.add_argument("--verbs", default="extended", choices=("core", "extended"))
    ap.add_argument("--attributions", action="store_true")
    ap.add_argument("--no-context-country", action="store_true",
                    help="leave speaker countries the article's country would fill empty")
    ap.add_argument("--errors", type=int, default=0, metavar="N", help="print up to N errors of each kind")
    ap.add_argument("--json", default=None, metavar="OUT")
    args = ap.parse_args()
    rebuild = gold_module(Path(args.gold))
    corpus = rebuild.find_corpus(args.corpus)
    gold = rebuild.load_gold(corpus, split=None if args.split == "all" else args.split)
    arts, pred = predict(gold, corpus, args.verbs, args.attributions, not args.no_context_country)
    res, errors = score(gold, pred, arts)
    n_sent = gold["sentence_id"].nunique()
    print(f"gold split {args.split}: {n_sent} sentences, {int(gold['has_statement'].sum())} statements; "
          f"verbs={args.verbs} attributions={args.attributions} context_country={not args.no_context_country}")
    for k, v in res.items():
        if k.startswith("verbs:"):
            print(f"{k:58s} P {fmt(v['precision'])}  R {fmt(v['recall'])}  F1 {v['f1']:.3f}")
        elif isinstance(v, dict) and "value" in v:
            print(f"{k:58s} {fmt(v)}")
        elif isinstance(v, dict):
            for b, r in v.items():
                print(f"{k + ': ' + b:58s} {fmt(r)}")
        else:
            print(f"{k:58s} {v:.3f}")
    if args.errors:
        show_errors(errors, arts, args.errors)
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=1, ensure_ascii=False, default=float))


if __name__ == "__main__":
    main()
