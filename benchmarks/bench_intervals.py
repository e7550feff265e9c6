"""Benchmark: article-bootstrap intervals of NPMI and the co-mention rate on ANT (sport excluded).

Run: ``PYTHONPATH=src .venv/bin/python benchmarks/bench_intervals.py [--level article|sentence]``

Prints, at each level asked for: the RUS-SYR, IRN-SYR, IRN-RUS NPMI and co-mention rate with
their 95 % intervals (1000 resamples over articles, seed 0), and the time to compute the
intervals of every pair the report's co-mention section shows (top partners by count and by
NPMI, 8 per focus entity, and the heatmap pairs) in one pass, and of the focus triangle by
month (articles resampled within each month).
"""
from __future__ import annotations

import argparse
from itertools import combinations
from pathlib import Path
import time

FOCUS = ["RUS", "SYR", "IRN"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--level", action="append", choices=["article", "sentence"])
    ap.add_argument("--corpus", default=str(Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
                                             / "ant_multisource"))
    args = ap.parse_args()
    from analysis import extract_mentions, load_corpus
    from analysis.measures.comention import count_comentions
    from analysis.measures.compare import top_partners
    from analysis.measures.cooccurrence import count_windows, period_labels
    from analysis.stats.association import pair_intervals
    from analysis.stats.partners import specific_partners

    arts = load_corpus(args.corpus, exclude_categories=["sport"], progress=False)
    m = extract_mentions(arts, progress=False)
    wins = count_windows(arts)
    print(f"ANT without sport: {len(arts):,} articles, {len(m):,} mentions")
    for level in args.level or ["article", "sentence"]:
        co = count_comentions(articles=arts, mentions=m, level=level, windows=wins)
        t = time.perf_counter()
        iv = pair_intervals(articles=arts, mentions=m, pairs=combinations(FOCUS, 2), level=level, windows=wins)
        t_focus = time.perf_counter() - t
        print(f"\n{level} windows ({int(co['n_windows'].iloc[0]):,}); focus pairs in {t_focus:.1f} s")
        for r in iv.itertuples():
            print(f"  {r.entity_a}-{r.entity_b}: n_ab {r.n_ab:,}  NPMI {r.npmi:.3f} [{r.npmi_low:.3f}, "
                  f"{r.npmi_high:.3f}]  rate {100 * r.share_ab:.2f} % [{100 * r.share_ab_low:.2f}, "
                  f"{100 * r.share_ab_high:.2f}]")
        tp = top_partners(co, focus=FOCUS, n=8)
        tpn = specific_partners(co, focus=FOCUS, n=8, min_count=20)
        heat = FOCUS + [p for p in dict.fromkeys(tp.groupby("entity").head(4)["partner"]) if p not in FOCUS]
        pairs = set(zip(tp.entity, tp.partner)) | set(zip(tpn.entity, tpn.partner)) | set(combinations(heat[:16], 2))
        t = time.perf_counter()
        piv = pair_intervals(articles=arts, mentions=m, pairs=pairs, level=level, windows=wins)
        print(f"  partner tables + heatmap: {len(piv)} pairs in {time.perf_counter() - t:.1f} s "
              f"(median width of the NPMI interval {float((piv.npmi_high - piv.npmi_low).median()):.3f})")
        t = time.perf_counter()
        tri = pair_intervals(articles=arts, mentions=m, pairs=combinations(FOCUS, 2), level=level, windows=wins,
                             strata=period_labels(arts["published"], "M"))
        print(f"  triangle by month: {len(tri)} rows ({tri.stratum.nunique()} months) in "
              f"{time.perf_counter() - t:.1f} s")


if __name__ == "__main__":
    main()
