"""Benchmark: the coverage report on ANT (../shared/data/ant_multisource) without the sport category.

Runs ``analysis.run_report`` (papermill + HTML export + manifest) and, in the
same run, the alternative without the notebook machinery: the same section
functions called in-process (no kernel, no HTML). Prints the wall times, the
per-section timings from the manifest, and the headline figures of the report
(coverage share of RUS/SYR/IRN, the focus triangle, top partners).
Target: the report in under 60 s on these 2-core machines.

    .venv/bin/python benchmarks/bench_report.py [--corpus PATH] [--out DIR] [--event-date 2018-05-08]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from harness import corpus_path  # noqa: E402  (the corpora are found in one place)

ANT = corpus_path("ant")


def in_process(corpus: Path, out: Path, event_date: str) -> dict:
    """The alternative: the report's computations without papermill, nbconvert or display."""
    import analysis.report as R

    t = {}
    t0 = time.perf_counter()
    ctx = R.ReportContext(corpus=str(corpus), exclude_categories="sport", event_date=event_date,
                          out_dir=str(out), workers=0)
    ctx.load()
    t["load+mentions"] = time.perf_counter() - t0
    for name, fn in [("corpus", R.corpus_section), ("coverage", R.coverage_section),
                     ("comentions", R.comention_section), ("topics", R.topics_section),
                     ("keyness", R.keyness_section), ("event", R.event_section)]:
        t1 = time.perf_counter()
        ctx.save(fn(ctx))
        t[name] = time.perf_counter() - t1
    t["total"] = time.perf_counter() - t0
    return t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ANT or Path("../shared/data/ant_multisource"))
    ap.add_argument("--out", type=Path, default=HERE.parent / "reports" / "ant")
    ap.add_argument("--event-date", default="2018-05-08", help="default: US exit from the JCPOA")
    ap.add_argument("--skip-alternative", action="store_true")
    args = ap.parse_args(argv)
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 1
    from analysis import run_report

    import resource

    c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    p0 = time.process_time()
    t0 = time.perf_counter()
    out = run_report([args.corpus], args.out, exclude_categories="sport", event_date=args.event_date,
                     progress=False)
    wall = time.perf_counter() - t0
    c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (time.process_time() - p0) + (c1.ru_utime - c0.ru_utime) + (c1.ru_stime - c0.ru_stime)
    try:
        load1 = __import__("os").getloadavg()[0]
    except OSError:  # pragma: no cover
        load1 = float("nan")
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    print(f"analysis report on {args.corpus.name} without sport: {wall:.1f} s wall "
          f"(target < 60 s) -> {out / 'report.html'}")
    print(f"  CPU time {cpu:.1f} s (this process and the kernel; the two worker processes are not counted), "
          f"load average {load1:.1f} on {__import__('os').cpu_count()} cores")
    print(f"  execute {man['timings_s']['execute']:.1f} s, HTML export {man['timings_s']['export_html']:.1f} s")
    for sec, s in man["timings_s"]["sections"].items():
        print(f"    {sec:<45} {s:6.1f} s")
    c = man["counts"]
    print(f"  articles {c.get('articles')}, records {c.get('records')}, duplicates dropped "
          f"{c.get('duplicates_dropped')}, filtered out {c.get('filtered_out')}, mentions {c.get('mentions')}")

    tables = out / "tables"
    tot = pd.read_csv(tables / "coverage_total.csv")
    print("\ncoverage, whole corpus (share of articles, 95% Wilson interval):")
    for r in tot.itertuples():
        print(f"  {r.entity} {r.name:<22} {r.n_with:6d} / {r.n_articles}  {100 * r.share:5.1f}% "
              f"[{100 * r.share_low:.1f}, {100 * r.share_high:.1f}]  {r.per_1k_words:.2f} mentions/1k words")
    by_out = pd.read_csv(tables / "coverage_by_outlet.csv")
    piv = by_out.pivot(index="outlet", columns="entity", values="share").mul(100).round(1)
    print("\nshare by outlet (%):")
    print(piv.to_string())
    tri = pd.read_csv(tables / "comention_triangle.csv")
    tri = tri[tri["period"].astype(str).str.startswith("2018")]
    print("\nfocus triangle by month (pairs per 1,000 sentences):")
    print(tri.assign(per_1k=1000 * tri["share_ab"]).pivot(index="period", columns="pair", values="per_1k")
          .round(2).to_string())
    tp = pd.read_csv(tables / "comention_top_partners.csv")
    print("\ntop partners (shared sentences):")
    for e, g in tp.groupby("entity", sort=False):
        print(f"  {e}: " + ", ".join(f"{p} {n}" for p, n in zip(g["partner"].head(6), g["n_ab"].head(6))))
    if (tables / "event_change.csv").is_file() and "p_before" in pd.read_csv(tables / "event_change.csv").columns:
        ev = pd.read_csv(tables / "event_change.csv")
        print(f"\nbefore/after {args.event_date}:")
        for r in ev.itertuples():
            print(f"  {r.measure:<9} {r.entity_a}-{r.entity_b if isinstance(r.entity_b, str) else '':<4} "
                  f"{100 * r.p_before:5.1f}% -> {100 * r.p_after:5.1f}%  h={r.cohen_h:+.3f} p={r.p_value:.2g}")

    if not args.skip_alternative:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            t = in_process(args.corpus, Path(tmp), args.event_date)
        print("\nalternative, same computations in-process (no papermill/nbconvert):")
        for k, v in t.items():
            print(f"  {k:<15} {v:6.1f} s")
        print(f"  report minus in-process: {wall - t['total']:+.1f} s (the report adds a kernel, display and the "
              f"HTML export, and runs topics and keyness in two worker processes; the machine's load average "
              f"is now {__import__('os').getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
