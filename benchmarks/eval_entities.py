"""Score ``analysis.extract_mentions`` on the entity gold set (benchmarks/gold/entities/).

The gold set (288 sentences from ANT 2018 and the Egyptian 2013 corpus, 8
error classes, labelled by an annotator who does not write the matcher; see its
README) labels persons, offices, countries and places span by span, with
``is_mention`` 1 (a true mention) or 0 (a surface that would match but is not
a mention: a father's name in a chain, a centre named after a ruler, a deputy's
title, a surname nisba, a lion, a club ...).

The matcher runs on the **whole article** (its own context decides bare names)
and the mentions inside the gold sentence are scored:

- a gold row with ``is_mention`` 1 is found when a predicted mention of the same
  entity overlaps its span (recall over gold rows);
- a prediction is correct when it overlaps a gold row of its entity with
  ``is_mention`` 1, wrong when it overlaps one with 0 or none (precision over
  predictions). Countries are labelled in full in every sentence, so every
  country prediction is scored; persons only when the person is in the gold
  set's scope (gazetteer persons at labelling time, office holders of the
  gazetteer, anyone the gold set labels): predictions of other people
  (spokesmen, journalists ...) are counted apart as ``unscored``; places only
  in the ``place_other`` class, where they are labelled in full;
- offices: a gold office row (``is_mention`` 1) is found by an ``office``
  mention of its holder overlapping the title, or by the holder's name right
  after the title (the matcher resolves "title + name" through the name); an
  ``office`` prediction overlapping a 0 row (a deputy, a past holder, a cup) is
  wrong. Bare titles without a country word (the gold set's "bare title"
  notes) are left out: the matcher does not resolve them.

Entity ids of the gold set that are spelled differently in the gazetteer are
mapped by ``CROSSWALK`` (the same person under the annotator's slug). Ids the
gazetteer lacks stay unmatched (counted as misses).

Usage::

    .venv/bin/python benchmarks/eval_entities.py [--split dev] [--errors] [--json OUT]
    .venv/bin/python benchmarks/eval_entities.py --split test --final   # once, at the end

``--split test`` needs ``--final`` and writes ``benchmarks/gold/entities/test_scores.json``
(with the commit scored) so the held-out figures are produced once and reused.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
GOLD = HERE / "gold" / "entities"
TEST_SCORES = GOLD / "test_scores.json"


def _load_rebuild():
    """benchmarks/gold/entities/rebuild.py, under its own name (the country set has a rebuild.py too)."""
    import importlib.util

    name = "entity_gold_rebuild"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, GOLD / "rebuild.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


gold_rebuild = _load_rebuild()

TYPES = ("person", "office", "country", "place")
# the annotator's slugs for persons the gazetteer holds under another id
CROSSWALK = {
    "abdel_fattah_sisi": "sisi", "abdelaziz_bouteflika": "bouteflika", "abdelilah_benkirane": "benkirane",
    "abdelmalek_sellal": "sellal", "abdrabbuh_mansur_hadi": "hadi", "ahmed_ouyahia": "ouyahia",
    "antonio_guterres": "guterres", "beji_caid_essebsi": "essebsi", "chuck_hagel": "hagel",
    "david_cameron": "cameron", "francois_hollande": "hollande", "guido_westerwelle": "westerwelle",
    "hamadi_jebali": "jebali", "hassan_nasrallah": "nasrallah", "hassan_sheikh_mohamud": "hassan_sheikh",
    "hisham_qandil": "hesham_qandil", "hosni_mubarak": "mubarak", "ismail_ould_cheikh_ahmed": "ould_cheikh_ahmed",
    "jalal_talabani": "talabani", "jamal_benomar": "benomar", "jens_stoltenberg": "stoltenberg",
    "lakhdar_brahimi": "brahimi", "leon_panetta": "panetta", "martin_griffiths": "griffiths",
    "mike_pence": "pence", "mohamed_hussein_tantawi": "tantawi", "mohamed_kamel_amr": "kamel_amr",
    "mohamed_morsi": "morsi", "mohamed_ould_abdel_aziz": "ould_abdel_aziz", "moncef_marzouki": "marzouki",
    "muammar_gaddafi": "gaddafi", "muqrin_bin_abdulaziz": "muqrin", "nicolas_sarkozy": "sarkozy",
    "staffan_de_mistura": "de_mistura", "william_hague": "hague",
}
# persons of the gazetteer the gold set was labelled against (main, before issue 11)
_OLD_PERSONS_FILE = GOLD / "gazetteer_persons_at_labelling.txt"


def _git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=HERE, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def wilson(k: int, n: int) -> tuple[float | None, float | None]:
    if n == 0:
        return None, None
    from analysis.measures.compare import wilson_interval

    lo, hi = wilson_interval([k], [n])
    return float(lo[0]), float(hi[0])


def prf(tp_pred: int, fp: int, tp_gold: int, fn: int) -> dict:
    """Precision over predictions, recall over gold rows, F1, with 95 % Wilson intervals."""
    p = tp_pred / (tp_pred + fp) if tp_pred + fp else None
    r = tp_gold / (tp_gold + fn) if tp_gold + fn else None
    f = 2 * p * r / (p + r) if p is not None and r is not None and p + r else (0.0 if p is not None and r is not None else None)
    plo, phi = wilson(tp_pred, tp_pred + fp)
    rlo, rhi = wilson(tp_gold, tp_gold + fn)
    return {"tp": tp_pred, "fp": fp, "found": tp_gold, "fn": fn, "precision": p, "recall": r, "f1": f,
            "precision_low": plo, "precision_high": phi, "recall_low": rlo, "recall_high": rhi}


def _published(rec: dict, corpus: str):
    t = rec.get("time") or ""
    ts = pd.to_datetime(t, utc=True, errors="coerce", format="mixed")
    return ts


def articles_for(gold: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """One article per gold record (title, text, published), read from the corpora."""
    recs = {}
    for corpus, path in (("ant", gold_rebuild.DEFAULT_ANT), ("egy", gold_rebuild.DEFAULT_EGY)):
        ids = set(gold.loc[gold["corpus"] == corpus, "record_id"])
        for k, v in gold_rebuild.read_records(Path(path), ids).items():
            recs[(corpus, k)] = v
    rows = []
    for (corpus, rid), rec in sorted(recs.items()):
        rows.append({"article_id": f"{corpus}:{rid}", "title": rec.get("title") or "", "text": rec.get("text") or "",
                     "published": _published(rec, corpus)})
    return pd.DataFrame(rows), recs


# the gold set's scope (its README): office holders of these states, UN and Arab League
# secretaries-general and envoys, leaders of the main armed groups
SCOPE_COUNTRIES = set("""DZA BHR COM DJI EGY IRQ JOR KWT LBN LBY MRT MAR OMN PSE QAT SAU SOM SDN SYR TUN ARE YEM
IRN TUR ISR RUS USA GBR FRA DEU CHN""".split())
SCOPE_OFFICES = {"un_sg", "un_envoy_syr", "un_envoy_yem", "un_envoy_lby", "arab_league_sg", "isis_leader",
                 "alqaeda_leader", "taliban_leader", "hts_leader", "sdf_commander", "wagner_chief", "pmf_chairman",
                 "hezbollah_sg", "hamas_chief", "islamic_jihad_sg", "houthi_leader", "houthi_spc", "lna_commander",
                 "rsf_commander", "irgc_commander", "quds_commander"}


def in_scope_persons(gaz, gold: pd.DataFrame) -> set[str]:
    """Persons whose every mention the gold set labels (its README, "What is labelled")."""
    scope = set()
    if _OLD_PERSONS_FILE.is_file():
        scope |= set(_OLD_PERSONS_FILE.read_text(encoding="utf-8").split())
    for oid, office in gaz.offices.items():
        if office.country in SCOPE_COUNTRIES or oid in SCOPE_OFFICES:
            scope |= {p for p, _s, _e in office.holders}
    ids = set(gold.loc[gold["entity_type"] == "person", "entity_id"]) | set(gold["office_holder"]) - {""}
    scope |= {CROSSWALK.get(i, i) for i in ids if isinstance(i, str)}
    return scope


def evaluate(split: str = "dev", extract=None, gold: pd.DataFrame | None = None) -> dict:
    """Scores per type (person, office, country, place) and class (stratum):
    {"split", "n_sentences", "scores": {type: {"all": prf, stratum: prf}}, "errors": [...],
    "unscored": {...}}."""
    if gold is None:
        gold = gold_rebuild.load_gold(split)
    from analysis.entities.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    articles, _recs = articles_for(gold)
    if extract is None:
        from analysis import extract_mentions

        def extract(a):
            return extract_mentions(a, progress=False, n_jobs=1)
    mentions = extract(articles)
    scope = in_scope_persons(gaz, gold)
    sents = gold.drop_duplicates("gold_id")[["gold_id", "stratum", "corpus", "record_id", "field",
                                             "sent_start", "sent_end", "sentence"]]
    by_art = {k: g for k, g in mentions.groupby(["article_id", "field"])}
    counts: dict[str, dict[str, list]] = {t: {} for t in TYPES}
    errors = []
    unscored = {"person": 0, "office": 0, "bare_title_rows": 0}

    def tally(t, stratum, key, n=1):
        for s in ("all", stratum):
            c = counts[t].setdefault(s, [0, 0, 0, 0])  # tp_pred, fp, tp_gold, fn
            c[key] += n

    for s in sents.itertuples(index=False):
        rows = gold[gold["gold_id"] == s.gold_id]
        pred = by_art.get((f"{s.corpus}:{s.record_id}", s.field))
        if pred is None:
            pred = mentions.iloc[0:0]
        pred = pred[(pred["start"] >= s.sent_start) & (pred["end"] <= s.sent_end)]
        spans = rows[rows["span_start"].notna()].copy()
        spans["eid"] = [CROSSWALK.get(e, e) for e in spans["entity_id"]]
        spans["holder"] = [CROSSWALK.get(h, h) if isinstance(h, str) and h else None for h in spans["office_holder"]]
        bare_title = spans["note"].fillna("").str.startswith("bare title")
        unscored["bare_title_rows"] += int(bare_title.sum())
        spans = spans[~bare_title]

        def overlaps(r, a, b):
            return int(r.span_start) < b and a < int(r.span_end)

        # --- recall over gold rows ---------------------------------------------------
        for r in spans.itertuples(index=False):
            t = r.entity_type
            if t not in TYPES or int(r.is_mention) != 1:
                continue
            if t == "place" and s.stratum != "place_other":
                continue
            if t == "office":
                hit = any((m.mention_kind == "office" and m.entity_id == r.holder and overlaps(r, m.start, m.end))
                          for m in pred.itertuples(index=False))
                if not hit:  # the holder's name right after the title
                    hit = any(m.mention_kind == "name" and m.entity_id == r.holder
                              and int(r.span_end) <= m.start <= int(r.span_end) + 30
                              and len(s.sentence[int(r.span_end) - s.sent_start:m.start - s.sent_start].split()) <= 2
                              for m in pred.itertuples(index=False))
            else:
                want_type = {"person": "person", "country": "country", "place": "place"}[t]
                hit = any(m.entity_type == want_type and m.entity_id == r.eid and m.mention_kind != "office"
                          and overlaps(r, m.start, m.end) for m in pred.itertuples(index=False))
            tally(t, s.stratum, 2 if hit else 3)
            if not hit:
                errors.append({"gold_id": s.gold_id, "stratum": s.stratum, "type": t, "error": "missed",
                               "entity": r.eid if t != "office" else f"{r.eid} -> {r.holder}",
                               "surface": s.sentence[int(r.span_start) - s.sent_start:int(r.span_end) - s.sent_start]})
        # --- precision over predictions -------------------------------------------
        for m in pred.itertuples(index=False):
            if m.mention_kind == "office":
                t = "office"
                over = [r for r in spans.itertuples(index=False) if r.entity_type == "office" and overlaps(r, m.start, m.end)]
                if not over:
                    countries_inside = ((pred["entity_type"] == "country") & (pred["start"] >= m.start)
                                        & (pred["end"] <= m.end)).any()
                    if not countries_inside and gaz.country_of(m.entity_id) is not None and not _international(m.surface):
                        unscored["office"] += 1
                        continue
                ok = any((int(r.is_mention) == 1 and r.holder == m.entity_id) or _reading_is(r, m.entity_id)
                         for r in over)
            else:
                t = m.entity_type
                if t == "organization":
                    continue
                if t == "place" and s.stratum != "place_other":
                    continue
                if t == "person" and m.entity_id not in scope:
                    unscored["person"] += 1
                    continue
                over = [r for r in spans.itertuples(index=False) if r.eid == m.entity_id and overlaps(r, m.start, m.end)]
                ok = any(int(r.is_mention) == 1 for r in over)
            tally(t, s.stratum, 0 if ok else 1)
            if not ok:
                errors.append({"gold_id": s.gold_id, "stratum": s.stratum, "type": t, "error": "wrong",
                               "entity": m.entity_id, "surface": m.surface,
                               "gold": "; ".join(f"{r.eid}={int(r.is_mention)}" for r in over) or "unlabelled"})
    scores = {t: {k: prf(*v) for k, v in sorted(c.items(), key=lambda kv: (kv[0] != "all", kv[0]))}
              for t, c in counts.items()}
    return {"split": split, "n_sentences": int(sents["gold_id"].nunique()), "scores": scores,
            "unscored": unscored, "errors": errors}


def _reading_is(row, entity_id: str) -> bool:
    """The gold row says the span designates ``entity_id`` ("another person (vice president: mike_pence)")."""
    reading = row.correct_reading if isinstance(row.correct_reading, str) else ""
    found = re.findall(r":\s*([a-z0-9_]+)\)", reading)
    return any(CROSSWALK.get(f, f) == entity_id for f in found)


def _international(surface: str) -> bool:
    return any(w in surface for w in ("الأمم", "الامم", "الأممي", "الاممي", "الجامعة", "جامعة الدول", "الناتو",
                                      "الأطلسي", "الدولي"))


def _fmt(x):
    return "   -  " if x is None else f"{x:6.3f}"


def format_scores(result: dict) -> str:
    lines = [f"entity gold set, split {result['split']} ({result['n_sentences']} sentences; whole articles matched, "
             "sentence spans scored)"]
    for t, by in result["scores"].items():
        lines.append(f"\n{t}")
        lines.append(f"  {'class':22}{'P':>7}{'95% CI':>16}{'R':>7}{'95% CI':>16}{'F1':>7}{'TP':>5}{'FP':>4}{'FN':>4}")
        for k, v in by.items():
            ci_p = "" if v["precision_low"] is None else f"[{v['precision_low']:.2f}, {v['precision_high']:.2f}]"
            ci_r = "" if v["recall_low"] is None else f"[{v['recall_low']:.2f}, {v['recall_high']:.2f}]"
            lines.append(f"  {k:22}{_fmt(v['precision']):>7}{ci_p:>16}{_fmt(v['recall']):>7}{ci_r:>16}"
                         f"{_fmt(v['f1']):>7}{v['tp']:5d}{v['fp']:4d}{v['fn']:4d}")
    u = result["unscored"]
    lines.append(f"\nunscored: {u['person']} predictions of persons outside the gold set's scope, "
                 f"{u['office']} office predictions on unlabelled titles without a country word, "
                 f"{u['bare_title_rows']} gold 'bare title' rows")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Score extract_mentions on the entity gold set.")
    ap.add_argument("--split", default="dev", choices=["dev", "test"])
    ap.add_argument("--final", action="store_true", help="required for --split test: the single held-out run")
    ap.add_argument("--errors", action="store_true")
    ap.add_argument("--json", type=Path, metavar="OUT")
    args = ap.parse_args(argv)
    if args.split == "test" and not args.final:
        print("error: the test half is scored once, at the end: add --final (writes "
              f"{TEST_SCORES.relative_to(HERE.parent)})", file=sys.stderr)
        return 2
    if args.split == "test" and TEST_SCORES.exists():
        print(f"error: the test half was already scored ({TEST_SCORES}); its figures are reused", file=sys.stderr)
        return 2
    try:
        result = evaluate(args.split)
    except gold_rebuild.GoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(format_scores(result))
    if args.errors:
        for e in result["errors"]:
            print(f"{e['gold_id']} {e['stratum']:20} {e['type']:8} {e['error']:6} {e['entity']:28} "
                  f"[{e['surface']}] {e.get('gold', '')}")
    out = {k: v for k, v in result.items() if k != "errors"}
    out["n_errors"] = len(result["errors"])
    out["commit"] = _git_commit()
    if args.split == "test":
        TEST_SCORES.write_text(json.dumps(out, indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"held-out figures -> {TEST_SCORES}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
