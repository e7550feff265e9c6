"""Statement extraction speed on the real corpus, beside entity mentions, in one run.

Loads ``../shared/data/ant_multisource`` (31,523 articles after the loader),
then times, in the same process and with the same number of worker processes
(all cores by default, as the package runs them):

1. ``analysis.extract_mentions`` (the gazetteer's compiled matcher loads from
   its disk cache, as in normal use);
2. ``analysis.extract_quotes`` on those mentions.

Each is run ``--repeat`` times (default 3) and the fastest run is reported,
with CPU seconds of all processes, articles/s and MB/s (UTF-8 of title +
text), the ratio quotes / mentions (the target is under 2), the statements
found and their speaker kinds.

    .venv/bin/python benchmarks/bench_quotes.py [--limit N] [--jobs N] [--repeat N] [--save F] [--compare F]

``--save FILE`` writes the statements table (parquet); ``--compare FILE`` checks
that this run's table is identical to a saved one (the check that a speed change
leaves the output alone: save before the change, compare after).
"""
from __future__ import annotations

import argparse
import os
import time
import warnings
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import CORPORA  # noqa: E402  (the corpora are found in one place)

CORPUS = Path(os.environ.get(CORPORA["ant"][0]) or CORPORA["ant"][1])


def cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def timed(fn, repeat: int):
    best = None
    for _ in range(repeat):
        c0, t0 = cpu(), time.perf_counter()
        out = fn()
        wall, c = time.perf_counter() - t0, cpu() - c0
        if best is None or wall < best[0]:
            best = (wall, c)
    return out, best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="use the first N articles")
    ap.add_argument("--jobs", type=int, default=None, help="worker processes for both (default: all cores)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each; the fastest counts")
    ap.add_argument("--save", default=None, metavar="FILE", help="write the statements table (parquet)")
    ap.add_argument("--compare", default=None, metavar="FILE",
                    help="check the statements table equals this saved one (exit 1 if not)")
    args = ap.parse_args()
    if not CORPUS.is_file():
        raise SystemExit(f"corpus not found: {CORPUS}")
    import analysis

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        articles = analysis.load_corpus([CORPUS], progress=False)
    if args.limit:
        articles = articles.iloc[:args.limit].reset_index(drop=True)
    n = len(articles)
    mb = sum(len(t.encode("utf-8")) for col in ("title", "text") for t in articles[col].fillna("")) / 1e6
    # warm up: the gazetteer's compiled matcher and the verb lexicon (both cached once per process)
    small = articles.iloc[:50]
    analysis.extract_quotes(small, analysis.extract_mentions(articles=small, progress=False), progress=False)

    mentions, (t_m, c_m) = timed(lambda: analysis.extract_mentions(articles=articles, progress=False,
                                                                    n_jobs=args.jobs), args.repeat)
    quotes, (t_q, c_q) = timed(lambda: analysis.extract_quotes(articles, mentions, progress=False,
                                                                n_jobs=args.jobs), args.repeat)
    print(f"corpus: {CORPUS.name}: {n:,} articles, {mb:.1f} MB (title + text, UTF-8); {os.cpu_count()} cores, "
          f"jobs {args.jobs or 'default'}, fastest of {args.repeat}; load average {os.getloadavg()[0]:.1f} at the end")
    print(f"extract_mentions  {t_m:7.2f} s wall  {c_m:7.2f} s CPU  {n / t_m:9,.0f} articles/s  {mb / t_m:6.1f} MB/s"
          f"  ({len(mentions):,} mentions)")
    print(f"extract_quotes    {t_q:7.2f} s wall  {c_q:7.2f} s CPU  {n / t_q:9,.0f} articles/s  {mb / t_q:6.1f} MB/s"
          f"  ({len(quotes):,} statements, {len(quotes) / n:.2f} per article)")
    print(f"quotes / mentions: {t_q / t_m:.2f} wall, {c_q / c_m:.2f} CPU (target: under 2)")
    kinds = quotes["speaker_kind"].value_counts(normalize=True)
    print("speaker kinds: " + ", ".join(f"{k} {v:.1%}" for k, v in kinds.items()))
    print(f"direct quotations {quotes['direct'].mean():.1%}; speaker found {(quotes['speaker_text'] != '').mean():.1%}; "
          f"speaker country {(quotes['speaker_country'] != '').mean():.1%} "
          f"(of which from the article's country: {(quotes['speaker_country_basis'] == 'context').mean():.1%})")
    if args.save:
        quotes.to_parquet(args.save, index=False)
        print(f"statements written to {args.save}")
    if args.compare:
        import pandas as pd

        ref = pd.read_parquet(args.compare)
        try:
            pd.testing.assert_frame_equal(quotes.reset_index(drop=True), ref.reset_index(drop=True))
        except AssertionError as e:
            raise SystemExit(f"statements differ from {args.compare}: {e}")
        print(f"statements identical to {args.compare} ({len(ref):,} rows)")


if __name__ == "__main__":
    main()
