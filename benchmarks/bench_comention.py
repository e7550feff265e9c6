"""Benchmark and showcase: co-mentions on a real corpus (ANT, sport excluded).

Run: ``.venv/bin/python benchmarks/bench_comention.py [--quick] [--repeat N]``

Prints
1. the article-level co-mention table of RUS, SYR and IRN with each other, and their top
   partners (by count, and by NPMI among pairs seen >= 20 times);
2. the focus triangle (RUS-SYR, RUS-IRN, SYR-IRN) by month;
3. time and peak memory of sentence- and article-level co-mention counts by outlet and
   month: the sparse XᵀX implementation against the obvious alternative (a Python loop over
   windows and ``itertools.combinations``), checking both give the same counts; and the
   other measures the report computes (coverage, focus triangle, event change).

Results: benchmarks/results/comention.json (README block ``comention.speed``).
"""
from __future__ import annotations

from collections import Counter
from itertools import combinations
from pathlib import Path
import sys

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Bench  # noqa: E402

FOCUS = ["RUS", "SYR", "IRN"]
PCOLS = ["entity", "rank", "partner", "n_ab", "n_entity", "n_partner", "npmi", "llr"]


def naive_counts(articles, mentions, level):
    """The alternative: loop over windows, count pairs with a Counter (per outlet and month)."""
    from analysis.measures.cooccurrence import WINDOW_KEYS, period_labels

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


def triangle_table(tri, articles, mentions, resolve, min_articles=50):
    """One row per month: articles, per pair the shared articles and NPMI, and articles naming all three."""
    from analysis.measures.cooccurrence import period_labels, resolve_entities

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
    return out[~small].reset_index(names="period"), int(small.sum()), int(out.loc[small, "articles"].sum())


def main(argv=None) -> int:
    from analysis.measures.comention import count_comentions
    from analysis.measures.compare import coverage, event_change, focus_triangle, top_partners
    from analysis.measures.cooccurrence import count_windows

    bench = Bench("comention", __doc__.splitlines()[0], argv)
    articles, mentions = bench.tables()
    windows = count_windows(articles)
    bench.note(f"{int(windows.n_sentences.sum()):,} sentences, {int(windows.n_paragraphs.sum()):,} paragraphs")

    # 1. article level: RUS, SYR, IRN and their partners
    art = count_comentions(articles, mentions, level="article")
    bench.table("focus pairs (article level)", art[art.entity_a.isin(FOCUS) & art.entity_b.isin(FOCUS)]
                .drop(columns="level"))
    bench.table("top partners by count (article level)", top_partners(art, FOCUS, n=10)[PCOLS])
    bench.table("top partners by NPMI, n_ab >= 20 (article level)",
                top_partners(art, FOCUS, n=10, by="npmi", min_count=20)[PCOLS])
    art_c = count_comentions(articles, mentions, level="article", resolve="country")
    bench.table("focus pairs, resolved to countries (article level)",
                art_c[art_c.entity_a.isin(FOCUS) & art_c.entity_b.isin(FOCUS)].drop(columns="level"))

    # 2. triangle by month
    for resolve in (None, "country"):
        tri = focus_triangle(articles, mentions, FOCUS, level="article", freq="M", resolve=resolve)
        t, n_small, a_small = triangle_table(tri, articles, mentions, resolve)
        bench.table(f"focus triangle by month (article level, resolve={resolve})", t)
        if n_small:
            bench.note(f"({n_small} months with fewer than 50 articles left out: {a_small} articles)")

    # 3. speed: by outlet and month, sparse vs loop; the report's other measures
    print("\n== speed ==")
    rows = []
    for level in ("sentence", "article"):
        res = bench.time(f"count_comentions {level} by period, outlet (sparse)", count_comentions, articles,
                         mentions, level=level, by=["period", "outlet"], freq="M", windows=windows, keep=True)
        naive = bench.time(f"loop over windows {level} by period, outlet", naive_counts, articles, mentions, level,
                           keep=True)
        got = {(p, o, a, b): n for p, o, a, b, n in zip(res.period, res.outlet, res.entity_a, res.entity_b, res.n_ab)}
        sparse_c = bench.case(f"count_comentions {level} by period, outlet (sparse)")
        loop_c = bench.case(f"loop over windows {level} by period, outlet")
        rows.append({"level": level, "pairs": len(res), "sparse s": sparse_c["wall_s"], "sparse CPU s": sparse_c["cpu_s"],
                     "sparse peak MB": sparse_c["peak_rss_mb"], "loop s": loop_c["wall_s"],
                     "loop CPU s": loop_c["cpu_s"], "loop peak MB": loop_c["peak_rss_mb"],
                     "CPU speed-up": loop_c["cpu_s"] / max(sparse_c["cpu_s"], 1e-9), "same counts": got == dict(naive)})
    bench.time("count_windows", count_windows, articles)
    bench.time("coverage by period and outlet (resolve=country)", coverage, articles, mentions, focus=FOCUS,
               freq="M", by="outlet", resolve="country")
    bench.time("focus_triangle by month (sentence level)", focus_triangle, articles, mentions, FOCUS,
               level="sentence", freq="M", resolve="country", windows=windows)
    bench.time("event_change (article level)", event_change, articles, mentions, "2018-05-08", focus=FOCUS,
               resolve="country")
    bench.table("speed", pd.DataFrame(rows), readme=True, floatfmt="{:.2f}")
    bench.save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
