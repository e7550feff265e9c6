"""Wall time and peak memory (summed over all processes) of load + mentions + co-mentions + coverage,
in memory and on Dask, at several corpus sizes.

Corpus: ``benchmarks/gen_corpus.py`` output (JSON Lines files of 100,000 articles each); size N reads
the first N/100,000 files. Each (N, engine) runs in its own process; the parent samples the resident
memory of that process and all its descendants (dask scheduler, nannies, workers) with psutil every
0.2 s and records the peak of the sum and the peak of the largest single worker process::

    python benchmarks/bench_scale.py --corpus /work/scale/ant1m --sizes 100000,300000 --engines memory,dask
    python benchmarks/bench_scale.py --corpus /work/scale/ant1m --sizes 1000000 --engines dask,report

Engine ``report`` runs :func:`analysis.dask.report_inputs` (coverage by period and outlet, co-mentions,
co-mentions by period, a 20-topic NMF fitted on a 50,000-article sample) instead; engine ``html``
runs the whole HTML report, ``analysis.run_report(engine="dask")`` (papermill kernel, its
LocalCluster, HTML export; ``--event-date`` for the event section), memory summed over the
parent, the kernel and the cluster's processes.
Writes ``benchmarks/results/scale-<N>-<engine>.json`` and prints a table. In-memory runs above
``--max-memory-n`` articles are skipped (they would not fit beside other jobs on a 24 GB machine).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
PER_FILE = 100_000


def _child(engine: str, files: list[str], workers: int, memory_limit: str, blocksize: str) -> dict:
    import warnings

    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    steps = {}
    if engine == "memory":
        import analysis

        arts = analysis.load_corpus(files, progress=False)
        steps["load"] = time.perf_counter() - t0
        m = analysis.extract_mentions(arts, progress=False)
        steps["mentions"] = time.perf_counter() - t0 - steps["load"]
        t1 = time.perf_counter()
        co = analysis.count_comentions(mentions=m, articles=arts, level="sentence")
        cov = analysis.coverage(articles=arts, mentions=m, freq="M")
        steps["counts"] = time.perf_counter() - t1
        n, n_m = len(arts), len(m)
    elif engine == "html":  # the full HTML report on Dask
        import tempfile

        from analysis.report.run import run_report

        with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
            out = run_report(files, Path(tmp) / "report", progress=False, engine="dask", dask_workers=workers,
                             memory_limit=memory_limit, blocksize=blocksize, event_date=os.environ.get(
                                 "BENCH_EVENT_DATE", "2018-06-15"))
            manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
            steps = {"timings_s": manifest["timings_s"], "engine": manifest["engine"]}
            n = manifest["counts"].get("loaded", 0)
            co, cov = [], []  # the tables are in the report folder, gone with it
            n_m = manifest["counts"].get("mentions")
    elif engine == "report":  # the report's inputs on Dask: coverage, co-mentions, topics on a 50k sample
        from analysis import dask as ad

        client = ad.get_client(workers=workers, memory_limit=memory_limit)
        try:
            arts = ad.read_corpus(files, blocksize=blocksize, progress=False)
            steps["plan+dedup"] = time.perf_counter() - t0
            t1 = time.perf_counter()
            got = ad.report_inputs(arts, topics=20, sample=50_000, progress=False)
            steps["report_inputs"] = time.perf_counter() - t1
            co, cov = got["comentions"], got["coverage_by_period_outlet"]
            n, n_m = got["summary"]["loaded"], None
            steps["topics_info"] = got["topics_info"]
        finally:
            client.close()
    else:
        from analysis import dask as ad

        client = ad.get_client(workers=workers, memory_limit=memory_limit)
        try:
            arts = ad.read_corpus(files, blocksize=blocksize, progress=False)
            steps["plan+dedup"] = time.perf_counter() - t0
            m = ad.extract_mentions(arts)
            t1 = time.perf_counter()
            co, cov = ad.count_tables(arts, m, [ad.comention_request("sentence"), ad.coverage_request(freq="M")],
                                      progress=False)
            steps["load+mentions+counts"] = time.perf_counter() - t1
            n = ad.load_info(arts)["summary"]["loaded"]
            n_m = None
        finally:
            client.close()
    return {"n_loaded": int(n), "n_mentions": n_m, "n_pairs": len(co), "n_coverage_rows": len(cov),
            "steps": steps, "wall_inside": time.perf_counter() - t0}


def _measure(cmd: list[str]) -> dict:
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    root = psutil.Process(proc.pid)
    peak_total = 0
    per_pid: dict[int, int] = {}
    stop = threading.Event()

    def sample():
        nonlocal peak_total
        while not stop.is_set():
            try:
                procs = [root] + root.children(recursive=True)
            except psutil.Error:
                break
            total = 0
            for p in procs:
                try:
                    rss = p.memory_info().rss
                except psutil.Error:
                    continue
                total += rss
                if p.pid != root.pid:
                    per_pid[p.pid] = max(per_pid.get(p.pid, 0), rss)
            peak_total = max(peak_total, total)
            stop.wait(0.2)

    t0 = time.perf_counter()
    th = threading.Thread(target=sample, daemon=True)
    th.start()
    out, _ = proc.communicate()
    wall = time.perf_counter() - t0
    stop.set()
    th.join()
    if proc.returncode != 0:
        raise SystemExit(f"benchmark child failed ({proc.returncode}): {' '.join(cmd)}")
    res = json.loads(out.strip().splitlines()[-1])
    res.update({"wall_s": wall, "peak_total_mb": peak_total / 2**20,
                "peak_worker_mb": max(per_pid.values()) / 2**20 if per_pid else None,
                "processes_seen": len(per_pid) + 1})
    return res


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", help="folder written by gen_corpus.py")
    ap.add_argument("--sizes", default="100000,300000,1000000")
    ap.add_argument("--engines", default="memory,dask")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--memory-limit", default="3GB")
    ap.add_argument("--blocksize", default="64MB")
    ap.add_argument("--max-memory-n", type=int, default=300_000)
    ap.add_argument("--child", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child is not None:
        engine, *files = args.child
        print(json.dumps(_child(engine, files, args.workers, args.memory_limit, args.blocksize)))
        return 0
    if not args.corpus:
        ap.error("--corpus is required")
    files = sorted(str(p) for p in Path(args.corpus).glob("part-*.jsonl"))
    RESULTS.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in [int(x) for x in args.sizes.split(",")]:
        use = files[: max(1, n // PER_FILE)]
        if len(use) * PER_FILE < n:
            raise SystemExit(f"{args.corpus} holds {len(files) * PER_FILE:,} articles, fewer than {n:,}")
        for engine in args.engines.split(","):
            if engine == "memory" and n > args.max_memory_n:
                print(f"N={n:,} memory: skipped (above --max-memory-n={args.max_memory_n:,})")
                continue
            cmd = [sys.executable, __file__, "--workers", str(args.workers), "--memory-limit", args.memory_limit,
                   "--blocksize", args.blocksize, "--child", engine, *use]
            load0 = os.getloadavg()[0]
            res = _measure(cmd)
            res.update({"n": n, "engine": engine, "load_avg_before": load0, "load_avg_after": os.getloadavg()[0],
                        "workers": args.workers if engine != "memory" else 1, "memory_limit": args.memory_limit,
                        "blocksize": args.blocksize, "cpus": os.cpu_count()})
            (RESULTS / f"scale-{n}-{engine}.json").write_text(json.dumps(res, indent=2))
            rows.append(res)
            pw = f"{res['peak_worker_mb']:.0f}" if res["peak_worker_mb"] and engine != "memory" else "-"
            print(f"N={n:>9,} {engine:6} wall {res['wall_s']:8.1f} s  peak total {res['peak_total_mb']:8.0f} MB  "
                  f"peak per worker {pw:>6} MB  loaded {res['n_loaded']:,}  load avg {load0:.1f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
