"""Benchmark: keyness and count_windows on the ANT corpus (sport excluded), before and after.

Run: ``.venv/bin/python benchmarks/bench_keyness.py [--quick]``

Measures in one run, on the same tables:

1. ``keyness(articles, mentions, X, resolve="country")`` for RUS, SYR and IRN
   (what the report computes): the reference implementation that tokenizes
   the corpus on every call, blanking the target's names
   (``analysis.measures.keywords._keyness_blanking``, the code before the change),
   against the index path (the corpus tokenized once into a sparse article x
   term matrix, :class:`analysis.measures.keywords.KeynessIndex`): seconds per call,
   the first call (which builds the index) and the later ones, and whether
   the tables are equal.
2. ``count_windows(articles)``: the segmenter text by text
   (``analysis.text.segment.sentence_spans``, the code before the change) against
   the vectorized count, and whether the counts are equal.
3. ``kwic(articles, mentions, X, Y)`` for the focus pairs (sentences, by entity
   and resolved to countries; paragraphs): the implementation before the
   change (``_kwic_reference`` in tests/test_keyness.py: a pandas group per
   window, each article segmented into a DataFrame) against the one that
   intersects the windows in the mentions table and segments only those
   windows' fields, and whether the tables are equal.
4. The index build with readable surface forms (one pass over the original
   tokens, each distinct one normalized once, giving terms and spellings)
   against the build before it (every text normalized and tokenized, no
   surface forms), and whether the count matrices are equal.

Uses ../shared/data/ant_multisource when present, else the sample corpus
(data/sample). ``--quick``: the first 3,000 ANT articles.
"""
from __future__ import annotations

import argparse
from pathlib import Path
import time
import warnings

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
ANT = REPO.parent / "shared" / "data" / "ant_multisource" / "ant_multisource_v2.1.jsonl.gz"
FOCUS = ["RUS", "SYR", "IRN"]


CPU: dict[int, float] = {}  # id of a result -> CPU seconds it took (wall time varies with the machine's load)


def timed(fn, *args, **kw):
    """(result, wall seconds); the CPU seconds of the call go to CPU[id(result)]."""
    t0, c0 = time.perf_counter(), time.process_time()
    res = fn(*args, **kw)
    CPU[id(res)] = time.process_time() - c0
    return res, time.perf_counter() - t0


def secs(res, wall: float) -> str:
    return f"{wall:6.2f} s ({CPU.get(id(res), float('nan')):5.2f} s CPU)"


def bench_keyness(articles, mentions) -> None:
    import analysis.measures.keywords as K

    kw = dict(resolve="country", min_count=5)
    print("== keyness(articles, mentions, X, resolve='country'), seconds per call ==")
    before = {}
    for t in FOCUS:
        before[t], dt = timed(K._keyness_blanking, articles, mentions, t, **kw)
        print(f"before (tokenize + blank every call)  {t}: {secs(before[t], dt)}")
    K._INDEX_CACHE.clear()
    after, times = {}, []
    for t in FOCUS:
        after[t], dt = timed(K.keyness, articles, mentions, t, **kw)
        times.append(dt)
        print(f"after  ({'first call, builds the index' if len(times) == 1 else 'index reused':28s}) {t}: "
              f"{secs(after[t], dt)}")
    idx = K.keyness_index(articles)
    built, t_build = timed(K.KeynessIndex, articles)
    equal = all(before[t].equals(after[t]) and before[t].attrs == after[t].attrs for t in FOCUS)
    print(f"index: {idx.counts_.shape[0]:,} articles x {idx.counts_.shape[1]:,} terms, "
          f"{idx.counts_.nnz:,} non-zeros, {idx.counts_.data.nbytes / 1e6:.0f} MB of counts; "
          f"building it alone: {secs(built, t_build)}")
    print(f"later calls: {min(times[1:]):.2f}-{max(times[1:]):.2f} s each")
    print(f"tables equal (all terms, all columns, attrs): {equal}")
    for t in FOCUS:
        print(f"\n{t}: top 10 of {len(after[t]):,} terms "
              f"({after[t].attrs['n_docs_target']:,} articles vs {after[t].attrs['n_docs_reference']:,})")
        print(after[t].head(10)[["term", "surface", "n_target", "n_reference", "g2", "log_ratio"]]
              .to_string(index=False))
    print()


def bench_windows(articles) -> None:
    import analysis.measures.comention as cm
    import analysis.text.segment as segment

    def before():
        cm._SEGMENT_CACHE.clear()
        return [cm._segment_counts(segment, articles[f].astype(object).tolist(), f, False) for f in ("title", "text")]

    old, t_old = timed(before)
    new, t_new = timed(cm.count_windows, articles)
    equal = all(
        (new.loc[new.field == f, "n_paragraphs"].to_numpy() == p).all()
        and (new.loc[new.field == f, "n_sentences"].to_numpy() == s).all()
        for f, (p, s) in zip(("title", "text"), old)
    )
    print("== count_windows(articles): paragraphs and sentences of every title and text ==")
    print(f"before (segmenter, text by text): {secs(old, t_old)}")
    print(f"after  (vectorized):              {secs(new, t_new)}   counts equal: {equal}")
    print(f"{int(new.n_paragraphs.sum()):,} paragraphs, {int(new.n_sentences.sum()):,} sentences")


def bench_kwic(articles, mentions) -> None:
    import sys

    from analysis.measures.keywords import kwic

    sys.path.insert(0, str(REPO / "tests"))
    from test_keyness import _kwic_reference

    print("== kwic(articles, mentions, X, Y): windows where two entities co-occur ==")
    cases = [("RUS", "SYR", {}), ("RUS", "IRN", {}), ("SYR", "IRN", {}),
             ("RUS", "SYR", dict(resolve="country")), ("RUS", "IRN", dict(resolve="country")),
             ("SYR", "IRN", dict(resolve="country")), ("RUS", "SYR", dict(level="paragraph", resolve="country"))]
    tot_old = tot_new = 0.0
    for x, y, kw in cases:
        old, t_old = timed(_kwic_reference, articles, mentions, x, y, **kw)
        new, t_new = timed(kwic, articles, mentions, x, y, **kw)
        tot_old, tot_new = tot_old + t_old, tot_new + t_new
        try:
            pd.testing.assert_frame_equal(old, new, check_exact=True)
            equal = True
        except AssertionError:
            equal = False
        opts = ", ".join(f"{k}={v}" for k, v in kw.items()) or "sentence"
        print(f"{x}-{y} ({opts}): {len(new):,} windows; before {secs(old, t_old)}, after {secs(new, t_new)}, "
              f"x{t_old / max(t_new, 1e-9):.0f}; equal: {equal}")
    print(f"total: before {tot_old:.2f} s, after {tot_new:.2f} s (x{tot_old / max(tot_new, 1e-9):.0f})")


def _counts_before(articles):
    """The index's count matrix as built before the surface forms: every text normalized, then tokenized."""
    from itertools import chain

    import numpy as np
    from scipy import sparse

    from analysis.measures.keywords import _analyze

    cols = [articles[f].to_numpy(dtype=object) for f in ("title", "text")]
    toks = [_analyze("\n".join(t for t in row if isinstance(t, str))) for row in zip(*cols)]
    lengths = np.fromiter(map(len, toks), dtype=np.int64, count=len(toks))
    codes, uniq = pd.factorize(np.fromiter(chain.from_iterable(toks), dtype=object, count=int(lengths.sum())))
    uniq = np.asarray(uniq, dtype=object)
    order = np.argsort(uniq, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    X = sparse.csr_matrix((np.ones(len(codes), dtype=np.int64), rank[codes],
                           np.concatenate(([0], np.cumsum(lengths)))), shape=(len(articles), len(uniq)))
    X.sum_duplicates()
    return uniq[order], X


def bench_surfaces(articles) -> None:
    import analysis.measures.keywords as K

    print("== keyness index build: readable surface forms ==")
    before, t_before = timed(_counts_before, articles)
    vocab, X = before
    idx, t_after = timed(K.KeynessIndex, articles)
    equal = list(vocab) == list(idx.vocabulary_) and X.shape == idx.counts_.shape and (X != idx.counts_).nnz == 0
    changed = sum(s != t for s, t in zip(idx.surfaces_, idx.vocabulary_))
    print(f"before (normalize + tokenize every text, no surfaces): {secs(before, t_before)}")
    print(f"after  (word types, with surfaces):                    {secs(idx, t_after)}   counts equal: {equal}")
    print(f"{changed:,} of {len(idx.vocabulary_):,} terms read differently from their normalized form")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="first 3,000 articles only")
    args = ap.parse_args()
    pd.set_option("display.width", 200)
    warnings.filterwarnings("ignore", message=r".*input\(s\) skipped")  # the corpus' two empty records
    import analysis

    if ANT.is_file():
        (articles, t_load) = timed(analysis.load_corpus, ANT, exclude_categories=["sport"], progress=False)
        if args.quick:
            articles = articles.head(3000).reset_index(drop=True)
        what = "ANT (sport excluded)"
    else:
        print(f"{ANT} is absent: using the sample corpus")
        articles, t_load = timed(analysis.load_corpus, progress=False)
        what = "sample corpus"
    mentions, t_ment = timed(analysis.extract_mentions, articles, progress=False)
    print(f"corpus: {what}, {len(articles):,} articles, {len(mentions):,} mentions "
          f"(load {t_load:.1f} s, extract_mentions {t_ment:.1f} s)\n")
    bench_windows(articles)
    print()
    bench_kwic(articles, mentions)
    print()
    bench_surfaces(articles)
    print()
    bench_keyness(articles, mentions)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
