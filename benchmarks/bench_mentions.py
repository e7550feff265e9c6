"""Entity-mention speed on the real corpus: this tree against a git reference (before/after), same run.

Measures on ``../shared/data/ant_multisource`` (31,525 articles), each in a
fresh process, rounds interleaved (before, after, before, after ...) so both
see the same machine load:

1. gazetteer + compiled matcher from the on-disk cache (a cache hit: the
   usual case after the first run) -- ``load_gazetteer()`` and the matcher;
2. ``analysis.extract_mentions`` on the whole corpus (gazetteer load and
   cache-hit compile included, all cores, like ``analysis mentions``);
3. optionally (``--camel``) a straightforward camel-tools pipeline over the
   same articles: the camel-tools normalization chain,
   ``simple_word_tokenize``, then a dictionary lookup of the same gazetteer
   names (no sentence ids, offices or context rules: it does *less* work).

The reference tree (default ``main``) is exported with ``git archive`` into a
temporary folder; each variant has its own cache folder, warmed before timing.
Prints the median and minimum of the rounds and the after/before ratio.

    .venv/bin/python benchmarks/bench_mentions.py [--ref main] [--rounds 3] [--limit N] [--jobs N] [--camel]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import CORPORA  # noqa: E402  (the corpora are found in one place)

CORPUS = Path(os.environ.get(CORPORA["ant"][0]) or CORPORA["ant"][1])


def camel_pipeline(titles, texts, gaz):
    """Baseline: camel-tools normalize + simple_word_tokenize + n-gram dict lookup."""
    from camel_tools.tokenizers.word import simple_word_tokenize
    from camel_tools.utils.dediac import dediac_ar
    from camel_tools.utils.normalize import (normalize_alef_ar, normalize_alef_maksura_ar,
                                             normalize_teh_marbuta_ar, normalize_unicode)

    from analysis.entities.matcher import proclitic_variants

    table = {}
    for r in gaz.forms().itertuples(index=False):
        if r.kind in ("block", "ambiguous"):
            continue
        target = r.entity_id if isinstance(r.entity_id, str) else r.office_id
        for variant, _strip in proclitic_variants(r.form):
            table.setdefault(tuple(variant.split(" ")), target)
    max_n = max(len(k) for k in table)
    out = []
    for i, (title, text) in enumerate(zip(titles, texts)):
        for field in (title, text):
            norm = normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(
                dediac_ar(normalize_unicode(field))))).replace("\u0640", "")
            toks = simple_word_tokenize(norm)
            j = 0
            while j < len(toks):
                for n in range(min(max_n, len(toks) - j), 0, -1):
                    hit = table.get(tuple(toks[j:j + n]))
                    if hit is not None:
                        out.append((i, hit))
                        j += n
                        break
                else:
                    j += 1
    return out


def worker(limit: int | None, jobs: int | None) -> dict:
    """Timings of the ``analysis`` on sys.path, as JSON on stdout."""
    import warnings

    from analysis.io.load import load_corpus

    with warnings.catch_warnings():  # the two empty ANT records are reported by the loader
        warnings.simplefilter("ignore")
        articles = load_corpus([CORPUS], dedup=False, progress=False)
    if limit:
        articles = articles.iloc[:limit].reset_index(drop=True)
    import analysis.entities.gazetteer as G
    import analysis.entities.mentions as M

    def fresh():  # forget in-memory caches; the disk cache stays (warm)
        G._CACHE.clear()
        for mod_name in ("analysis.entities.matcher",):
            mod = sys.modules.get(mod_name)
            if mod is not None and hasattr(mod, "_MEMO"):
                mod._MEMO.clear()
        if hasattr(G, "match_key") and hasattr(G.match_key, "cache_clear"):
            G.match_key.cache_clear()

    def compile_now():
        gaz = G.load_gazetteer()
        if hasattr(M, "_Matcher"):  # before: the pickle cache of mentions._Matcher
            return M._Matcher.cached(gaz)
        from analysis.entities.matcher import compile_matcher

        return compile_matcher(gaz)

    fresh()
    M.extract_mentions(articles.iloc[:50], progress=False)  # warm the disk cache (writes it if absent)
    fresh()
    t0 = time.perf_counter()
    matcher = compile_now()
    t_load = time.perf_counter() - t0
    fresh()
    t1 = time.perf_counter()
    mentions = M.extract_mentions(articles, progress=False, n_jobs=jobs)
    t_match = time.perf_counter() - t1
    mb = sum(len(t.encode("utf-8")) for col in ("title", "text") for t in articles[col].fillna("")) / 1e6
    return {"cache_hit_load": t_load, "extract_mentions": t_match, "n_articles": len(articles), "mb": mb,
            "n_mentions": len(mentions), "n_patterns": int(getattr(matcher, "n_patterns", 0)),
            "load_average": os.getloadavg()[0]}


def run_variant(src: Path, cache: Path, limit, jobs) -> dict:
    env = dict(os.environ, PYTHONPATH=str(src), ANALYSIS_CACHE_DIR=str(cache))
    cmd = [sys.executable, __file__, "--worker"] + (["--limit", str(limit)] if limit else []) \
        + (["--jobs", str(jobs)] if jobs else [])
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref", default="main", help="git reference of the 'before' tree (default main)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--limit", type=int, default=None, help="use the first N articles")
    ap.add_argument("--jobs", type=int, default=None, help="worker processes for extract_mentions")
    ap.add_argument("--camel", action="store_true", help="also time the camel-tools pipeline (slow)")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if not CORPUS.is_file():
        raise SystemExit(f"corpus not found: {CORPUS}")
    if args.worker:
        print(json.dumps(worker(args.limit, args.jobs)))
        return
    with tempfile.TemporaryDirectory(prefix="bench_mentions_") as tmp:
        tmp = Path(tmp)
        before = tmp / "before"
        before.mkdir()
        archive = subprocess.run(["git", "archive", args.ref, "src"], cwd=REPO, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(before)], input=archive, check=True)
        variants = {"before": before / "src", "after": REPO / "src"}
        caches = {k: tmp / f"cache-{k}" for k in variants}
        runs: dict[str, list[dict]] = {k: [] for k in variants}
        for _ in range(args.rounds):
            for k in variants:
                runs[k].append(run_variant(variants[k], caches[k], args.limit, args.jobs))
    r0 = runs["after"][0]
    print(f"corpus: {CORPUS.name}: {r0['n_articles']:,} articles, {r0['mb']:.1f} MB (title + text, UTF-8); "
          f"{os.cpu_count()} cores; {args.rounds} interleaved rounds; before = git {args.ref}, after = this tree")
    print(f"{'':34}{'before':>18}{'after':>18}{'after/before':>14}")
    for key, label in (("cache_hit_load", "gazetteer + matcher (cache hit)"),
                       ("extract_mentions", "extract_mentions (whole corpus)")):
        b = [r[key] for r in runs["before"]]
        a = [r[key] for r in runs["after"]]
        print(f"{label:34}{statistics.median(b):9.2f} s (min {min(b):.2f}){statistics.median(a):7.2f} s "
              f"(min {min(a):.2f}){statistics.median(a) / statistics.median(b):10.2f}x")
    for k in variants:
        r = runs[k][0]
        print(f"{k}: {r['n_patterns']:,} patterns, {r['n_mentions']:,} mentions; load average during the runs "
              + ", ".join(f"{x['load_average']:.1f}" for x in runs[k]))
    med = statistics.median(r["extract_mentions"] for r in runs["after"])
    print(f"after: {r0['n_articles'] / med:,.0f} articles/s, {r0['mb'] / med:.1f} MB/s")
    if args.camel:
        import warnings

        from analysis.entities.gazetteer import load_gazetteer
        from analysis.io.load import load_corpus

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            articles = load_corpus([CORPUS], dedup=False, progress=False)
        titles = articles["title"].fillna("").tolist()
        texts = articles["text"].fillna("").tolist()
        t = time.perf_counter()
        base = camel_pipeline(titles, texts, load_gazetteer())
        tb = time.perf_counter() - t
        print(f"camel-tools normalize + tokenize + lookup: {tb:.2f} s ({len(base):,} hits); "
              f"extract_mentions is {tb / med:.1f}x faster")


if __name__ == "__main__":
    main()
