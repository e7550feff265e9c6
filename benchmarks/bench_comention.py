"""Benchmark and showcase: co-mentions on the ANT corpus (sport excluded).

Run: ``.venv/bin/python benchmarks/bench_comention.py [--quick]``

Prints
1. the article-level co-mention table of RUS, SYR and IRN with each other,
   and their top partners (by count, and by NPMI among pairs seen >= 20 times);
2. the focus triangle (RUS-SYR, RUS-IRN, SYR-IRN) by month;
3. time and peak memory of sentence- and article-level co-mention counts by
   outlet and month: the sparse XᵀX implementation against the obvious
   alternative (a Python loop over windows and ``itertools.combinations``),
   checking both give the same counts.

Needs ../shared/data/ant_multisource (skips with a message when absent).
``--quick`` uses the first 3,000 articles.
"""
from __future__ import annotations

import argparse
from collections import Counter
import gc
from itertools import combinations
from pathlib import Path
import resource
import sys
import time
import tracemalloc

import pandas as pd

ANT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ant_multisource" / "ant_multisource_v2.1.jsonl.gz"
FOCUS = ["RUS", "SYR", "IRN"]


def measure(fn, *args, **kw):
    """(result, seconds, peak MB): time without tracing, then peak traced allocation in a second run."""
    gc.collect()
    t0 = time.perf_counter()
    res = fn(*args, **kw)
    dt = time.perf_counter() - t0
    gc.collect()
    tracemalloc.start()
    fn(*args, **kw)
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return res, dt, peak


def naive_counts(mentions, articles, level):
    """The alternative: loop over windows, count pairs with a Counter (per outlet and month)."""
    from analysis.measures.comention import WINDOW_KEYS, period_labels

    keys = WINDOW_KEYS[level]
    grp = pd.DataFrame({"article_id": articles["article_id"].astype(str),
                        "period": period_labels(articles["published"], "M").to_numpy(),
                        "outlet": articles["outlet"].astype(str)})
    m = mentions.assign(article_id=mentions["article_id"].astype(str)).merge(grp, on="article_id")
    pairs = Counter()
    for (period, outlet, *_), g in m.groupby(["period", "outlet"] + keys, sort=False):
        for a, b in combinations(sorted(set(g["entity_id"])), 2):
            pairs[(period, outlet, a, b)] += 1
    return pairs


def triangle_table(tri, mentions, articles, resolve, min_articles=50):
    """One row per month: articles, per pair the shared articles and NPMI, and articles naming all three."""
    from analysis.measures.comention import period_labels, resolve_entities

    n = tri.pivot(index="period", columns="pair", values="n_ab").add_prefix("n ")
    npmi = tri.pivot(index="period", columns="pair", values="npmi").round(3).add_prefix("npmi ")
    ent = resolve_entities(mentions, resolve)
    sets = [set(mentions.loc[ent == e, "article_id"].astype(str)) for e in FOCUS]
    all3 = sets[0] & sets[1] & sets[2]
    period = period_labels(articles["published"], "M")
    has3 = articles["article_id"].astype(str).isin(all3)
    out = pd.concat([tri.groupby("period")["n_windows"].first().rename("articles"), n,
                     has3.groupby(period.to_numpy()).sum().rename("n all three"), npmi], axis=1)
    small = out["articles"] < min_articles
    if small.any():
        print(f"({int(small.sum())} months with fewer than {min_articles} articles left out: "
              f"{int(out.loc[small, 'articles'].sum())} articles, stragglers dated 2012-2017)")
    return out[~small]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="first 3,000 articles only")
    args = ap.parse_args()
    if not ANT.is_file():
        print(f"skipped: {ANT} is absent")
        return 0
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.max_rows", 200)
    pd.set_option("display.float_format", lambda x: f"{x:.3f}")

    import analysis
    from analysis.measures.comention import count_comentions, count_windows
    from analysis.measures.compare import focus_triangle, top_partners

    t0 = time.perf_counter()
    articles = analysis.load_corpus(ANT, exclude_categories=["sport"], progress=False)
    if args.quick:
        articles = articles.head(3000).reset_index(drop=True)
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    mentions = analysis.extract_mentions(articles, progress=False)
    t_ment = time.perf_counter() - t0
    t0 = time.perf_counter()
    windows = count_windows(articles)
    t_win = time.perf_counter() - t0
    print(f"corpus: {len(articles):,} articles (sport excluded), {len(mentions):,} mentions, "
          f"{int(windows.n_sentences.sum()):,} sentences, {int(windows.n_paragraphs.sum()):,} paragraphs")
    print(f"load {t_load:.1f}s, extract_mentions {t_ment:.1f}s, count_windows {t_win:.1f}s\n")

    # 1. article level: RUS, SYR, IRN and their partners
    art = count_comentions(mentions, articles, level="article")
    tri = art[art.entity_a.isin(FOCUS) & art.entity_b.isin(FOCUS)]
    print("== article-level co-mentions of RUS, SYR, IRN (whole corpus, entity level) ==")
    print(tri.drop(columns="level").to_string(index=False))
    print("\n== top partners by count (article level) ==")
    tp = top_partners(art, FOCUS, n=10)
    print(tp[["entity", "rank", "partner", "n_ab", "n_entity", "n_partner", "npmi", "llr"]].to_string(index=False))
    print("\n== top partners by NPMI, n_ab >= 20 (article level) ==")
    tp = top_partners(art, FOCUS, n=10, by="npmi", min_count=20)
    print(tp[["entity", "rank", "partner", "n_ab", "n_entity", "n_partner", "npmi", "llr"]].to_string(index=False))
    art_c = count_comentions(mentions, articles, level="article", resolve="country")
    print("\n== article level, resolved to countries (Putin, Moscow -> RUS): RUS, SYR, IRN ==")
    print(art_c[art_c.entity_a.isin(FOCUS) & art_c.entity_b.isin(FOCUS)].drop(columns="level").to_string(index=False))
    print("\n== top partners by count, resolved to countries (article level) ==")
    tp = top_partners(art_c, FOCUS, n=8)
    print(tp[["entity", "rank", "partner", "n_ab", "n_entity", "n_partner", "npmi", "llr"]].to_string(index=False))

    # 2. triangle by month
    for resolve in (None, "country"):
        tri_m = focus_triangle(mentions, articles, FOCUS, level="article", freq="M", resolve=resolve)
        print(f"\n== focus triangle by month (article level, resolve={resolve}) ==")
        print(triangle_table(tri_m, mentions, articles, resolve).to_string())
    # 3. benchmark: by outlet and month, sparse vs loop
    print("\n== benchmark: co-mentions by outlet and month ==")
    rows, tables = [], {}
    for level in ("sentence", "article"):
        res, dt, peak = measure(count_comentions, mentions, articles, level=level, by=["period", "outlet"],
                                freq="M", windows=windows)
        naive, dt_n, peak_n = measure(naive_counts, mentions, articles, level)
        got = {(p, o, a, b): n for p, o, a, b, n in zip(res.period, res.outlet, res.entity_a, res.entity_b, res.n_ab)}
        same = got == dict(naive)
        rows.append({"level": level, "pairs": len(res), "sparse_s": dt, "sparse_peak_MB": peak,
                     "loop_s": dt_n, "loop_peak_MB": peak_n, "speedup": dt_n / dt, "same_counts": same})
        tables[level] = res
    for level, res in tables.items():
        foc = res[res.entity_a.isin(FOCUS) & res.entity_b.isin(FOCUS)]
        pair = foc.entity_a + "-" + foc.entity_b
        by_outlet = foc.assign(pair=pair).pivot_table(index="outlet", columns="pair", values="n_ab",
                                                      aggfunc="sum", fill_value=0)
        if level == "article":
            n_win = articles.groupby("outlet").size()
        else:
            per_art = windows.groupby("article_id")["n_sentences"].sum()
            n_win = per_art.reindex(articles["article_id"].astype(str)).groupby(articles["outlet"].to_numpy()).sum()
        by_outlet.insert(0, f"{level}s", n_win)
        print(f"\n== {level}-level co-mentions of the focus pairs by outlet (sum over months) ==")
        print(by_outlet.to_string())
        peak_month = foc.assign(pair=pair).sort_values("n_ab", ascending=False, kind="mergesort").head(8)
        print(f"-- largest {level}-level (period, outlet) cells --")
        print(peak_month[["period", "outlet", "pair", "n_ab", "n_a", "n_b", "n_windows", "npmi"]].to_string(index=False))
    print()
    print(pd.DataFrame(rows).to_string(index=False))
    print(f"\nprocess max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
