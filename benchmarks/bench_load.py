"""Benchmark: loading the ANT corpus (31,525 articles, 25 MB gzipped JSON Lines).

Run: .venv/bin/python benchmarks/bench_load.py [--repeat N] [--against SRC] [PATH]

Prints, for the same file in the same run:
- ``load_corpus`` end to end (wall and CPU seconds, records/s, MB/s of
  uncompressed input), best and median of N runs;
- with ``--against SRC`` (another copy's ``src`` folder, e.g. the main
  branch's), the same load timed in a child process running that copy,
  alternating with this one's, so both see the same machine load;
- gzip inflated in a thread beside the JSON Lines parser vs inline;
- the alternative a researcher would write first: ``pandas.read_json(lines=True)``
  + ``pandas.to_datetime``;
- the phases: gzip inflate with zlib vs ISA-L (isal), JSON parsing with
  orjson vs the json module,
  date parsing (vectorized vs per-value dateutil), duplicate keys
  (signature blocking vs normalizing every text).

Wall times on a shared 2-core machine vary with the other processes' load;
CPU seconds are steadier. Figures go to stdout (and --json FILE).
"""
from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
import warnings
import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import CORPORA  # noqa: E402  (the corpora are found in one place)

ANT = Path(os.environ.get(CORPORA["ant"][0]) or CORPORA["ant"][1])


def timed(fn, repeat=1):
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return result, walls, cpus


def fmt(walls, cpus):
    return (f"wall best {min(walls):.2f} s, median {statistics.median(walls):.2f} s; "
            f"cpu best {min(cpus):.2f} s")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?", default=str(ANT))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", default=None, metavar="FILE", help="also write the figures as JSON")
    ap.add_argument("--against", default=None, metavar="SRC",
                    help="also time load_corpus of the package in SRC (its src folder), in a child process")
    args = ap.parse_args(argv)
    path = Path(args.path)
    if not path.is_file():
        print(f"{path}: not found (the ANT corpus lives in ../shared/data); nothing to measure")
        return 0

    import orjson
    import pandas as pd

    from analysis.io import load as L
    from analysis.io.dates import parse_dates
    from analysis.io.dedup import content_keys
    from analysis.io.handles import DEFAULT_MAX_BYTES, FileBlocks, Stream, gunzip
    from analysis.io.jsonl import read_jsonl
    from analysis.io.problems import LoadLog
    from analysis.io.records import Collector
    from analysis.text.normalize import normalize

    figures: dict = {}
    w = time.perf_counter()
    normalize("تهيئة")  # builds the normalization table once (shared with later stages)
    figures["normalize_table_build_s"] = round(time.perf_counter() - w, 3)
    print(f"normalization table build (once per process): {figures['normalize_table_build_s']:.2f} s")

    raw_gz = path.read_bytes()
    raw = gzip.decompress(raw_gz)
    mb = len(raw) / 1e6
    print(f"input: {path.name}: {len(raw_gz) / 1e6:.1f} MB gzipped, {mb:.1f} MB JSON Lines")

    def ours():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return L.load_corpus(path, progress=False)

    df, walls, cpus = timed(ours, args.repeat)
    n = df.attrs["summary"]["records"]
    best = min(walls)
    print(f"\nload_corpus: {fmt(walls, cpus)}")
    print(f"  {n / best:,.0f} records/s, {mb / best:.0f} MB/s (uncompressed)")
    print("  " + L.summary_line(df.attrs["summary"]))
    figures["load_corpus"] = {"wall_best": round(best, 3), "wall_median": round(statistics.median(walls), 3),
                              "cpu_best": round(min(cpus), 3), "records_per_s": round(n / best),
                              "summary": df.attrs["summary"]}

    if args.against:
        figures["against"] = against(args.against, path, args.repeat)

    def parse(threaded: bool):
        collector = Collector({}, LoadLog())
        with open(path, "rb") as fh:
            read_jsonl(str(path), Stream(gunzip(FileBlocks(fh), DEFAULT_MAX_BYTES, str(path), threaded=threaded)),
                       collector)
        return collector

    for threaded in (True, False):
        _, w2, c2 = timed(lambda t=threaded: parse(t), args.repeat)
        label = "in a thread beside the parser (used)" if threaded else "inline, in the parsing thread"
        print(f"read + inflate + parse JSON Lines, gzip {label}: {fmt(w2, c2)}")
        figures["parse_threaded" if threaded else "parse_inline"] = {"wall_best": round(min(w2), 3),
                                                                    "cpu_best": round(min(c2), 3)}

    def naive():
        d = pd.read_json(path, lines=True, dtype=False)
        d["published"] = pd.to_datetime(d["time"], format="mixed", utc=True, errors="coerce")
        return d

    nd, walls, cpus = timed(naive, max(1, args.repeat - 1))
    print(f"\nnaive pandas.read_json(lines=True) + to_datetime(format='mixed'): {fmt(walls, cpus)}")
    print(f"  (no dedup, no id checks, no skipped report; dates read: {nd['published'].notna().mean():.1%})")
    figures["naive_pandas"] = {"wall_best": round(min(walls), 3), "cpu_best": round(min(cpus), 3)}

    print("\nphases")
    import zlib

    _, walls, cpus = timed(lambda: zlib.decompress(raw_gz, 47), args.repeat)
    print(f"  gzip inflate, zlib:          {fmt(walls, cpus)}")
    figures["inflate_zlib_cpu"] = round(min(cpus), 3)
    try:
        from isal import isal_zlib

        _, walls, cpus = timed(lambda: isal_zlib.decompress(raw_gz, 47), args.repeat)
        print(f"  gzip inflate, isal (used):   {fmt(walls, cpus)}")
        figures["inflate_isal_cpu"] = round(min(cpus), 3)
    except ImportError:
        print("  gzip inflate, isal: not installed")
    lines = [ln for ln in raw.split(b"\n") if ln.strip()]
    recs, walls, cpus = timed(lambda: [orjson.loads(x) for x in lines], args.repeat)
    print(f"  JSON lines, orjson:          {fmt(walls, cpus)}")
    figures["orjson_cpu"] = round(min(cpus), 3)
    _, walls, cpus = timed(lambda: [json.loads(x) for x in lines], args.repeat)
    print(f"  JSON lines, json module:     {fmt(walls, cpus)}")
    figures["json_cpu"] = round(min(cpus), 3)

    times = [r.get("time") for r in recs]
    _, walls, cpus = timed(lambda: parse_dates(times), args.repeat)
    print(f"  dates, parse_dates ({len(set(times)):,} distinct): {fmt(walls, cpus)}")
    figures["dates_cpu"] = round(min(cpus), 3)
    from dateutil import parser as du

    sample = times[:3000]
    _, walls, cpus = timed(lambda: [du.parse(t) for t in sample], 1)
    print(f"  dates, dateutil one by one:  {min(walls) * len(times) / len(sample):.2f} s (extrapolated from 3,000)")

    texts = [r.get("text") or "" for r in recs]
    titles = [r.get("title") or "" for r in recs]
    _, walls, cpus = timed(lambda: content_keys(titles, texts), args.repeat)
    print(f"  dedup keys, signature blocking: {fmt(walls, cpus)}")
    figures["content_keys_cpu"] = round(min(cpus), 3)
    _, walls, cpus = timed(lambda: [" ".join(normalize(t).split()) for t in texts], 1)
    print(f"  dedup keys, normalize every text in full: {fmt(walls, cpus)}")
    figures["normalize_all_cpu"] = round(min(cpus), 3)

    # a folder of scraped pages (the seed layout) made from the first 5,000 articles
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for i, r in enumerate(recs[:5000]):
            Path(tmp, f"{i:05d}.txt").write_text(
                f"{r.get('title', '')}\nتاريخ النشر: {r.get('time', '')}\n{r.get('text', '')}\n"
                f"المصدر: {r.get('src', '')}\nكلمات دلالية: {r.get('cat', '')}\n", encoding="utf-8")
        pages, walls, cpus = timed(lambda: L.load_corpus(tmp, progress=False), args.repeat)
        print(f"\n5,000 scraped-page files (.txt): {fmt(walls, cpus)}; "
              f"{len(pages) / min(walls):,.0f} pages/s")
        figures["pages_5000"] = {"wall_best": round(min(walls), 3), "cpu_best": round(min(cpus), 3)}

    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False, default=str),
                                   encoding="utf-8")
    return 0


_CHILD = """
import sys, time, warnings
warnings.simplefilter("ignore")
from analysis.io.load import load_corpus
from analysis.text.normalize import normalize
normalize("x")
w, c = time.perf_counter(), time.process_time()
df = load_corpus(sys.argv[1], progress=False)
print(time.perf_counter() - w, time.process_time() - c, len(df))
"""


def against(src: str, path: Path, repeat: int) -> dict:
    """load_corpus of the package in ``src`` and of this one, alternating, each
    in a fresh child process (so imports and the normalization table are
    built the same way for both)."""
    import os
    import subprocess

    def child(pkg_src: str):
        env = dict(os.environ, PYTHONPATH=pkg_src)
        out = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True, env=env,
                             check=True).stdout.split()
        return float(out[0]), float(out[1]), int(out[2])

    here = str(REPO / "src")
    res = {"this": [], "against": []}
    for _ in range(max(repeat, 3)):
        res["against"].append(child(src))
        res["this"].append(child(here))
    print(f"\nsame run, fresh processes, alternating ({len(res['this'])} each):")
    out = {}
    for key, label in (("against", f"against {src}"), ("this", "this copy")):
        walls = [r[0] for r in res[key]]
        cpus = [r[1] for r in res[key]]
        print(f"  {label:40} {fmt(walls, cpus)} ({res[key][0][2]:,} articles)")
        out[key] = {"src": src if key == "against" else here, "wall_best": round(min(walls), 3),
                    "wall_median": round(statistics.median(walls), 3), "cpu_best": round(min(cpus), 3),
                    "cpu_median": round(statistics.median(cpus), 3), "articles": res[key][0][2]}
    return out


if __name__ == "__main__":
    sys.exit(main())
