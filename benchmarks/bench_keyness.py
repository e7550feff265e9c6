"""Benchmark: keyness, its index, kwic and count_windows on a real corpus (ANT, sport excluded).

Run: ``.venv/bin/python benchmarks/bench_keyness.py [--quick] [--repeat N] [--corpus ant|egypt]``

Measures, on the same tables:

1. ``keyness(articles, mentions, X, resolve="country")`` for RUS, SYR and IRN (what the
   report computes): the readable reference that tokenizes the corpus on every call,
   blanking the target's names (``analysis.measures.keywords._keyness_blanking``), against
   the index path (the corpus counted once into a sparse article x term matrix,
   :class:`analysis.measures.keywords.KeynessIndex`, kept in a cache keyed by a hash of the
   texts): the first call (which builds the index), the later ones, and whether the tables
   are equal;
2. the index build alone and its cache key (hashing every text);
3. exactness on the corpus: the index counts against tokenizing every normalized text;
4. ``kwic(articles, mentions, X, Y)`` for the focus pairs against its readable reference
   (``analysis.measures.keywords._kwic_reference``), and whether the tables are equal;
5. ``count_windows(articles)`` (vectorized) against the segmenter text by text.

Results: benchmarks/results/keyness.json (README block ``keyness.calls``).
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Bench  # noqa: E402

FOCUS = ["RUS", "SYR", "IRN"]
KW = dict(resolve="country", min_count=5)


def keyness_calls(bench: Bench, articles, mentions) -> None:
    import analysis.measures.keywords as K

    print("\n== keyness(articles, mentions, X, resolve='country') ==")

    def index_path():
        with K._INDEX_LOCK:
            K._INDEX_CACHE.clear()
        return [K.keyness(articles, mentions, t, **KW) for t in FOCUS]

    def reuse():
        return [K.keyness(articles, mentions, t, **KW) for t in FOCUS]

    ref = {t: bench.time(f"reference (tokenize + blank every call) {t}", K._keyness_blanking, articles, mentions,
                         t, keep=True, **KW) for t in FOCUS}
    bench.time("index path, three targets (first call builds the index)", index_path)
    fast = index_path()  # in process: the cache now holds the index
    bench.time("index path, three targets (index reused)", reuse)
    idx = K.keyness_index(articles)
    bench.time("KeynessIndex(articles) alone", K.KeynessIndex, articles)
    bench.time("cache key: hash of ids and texts", K._fingerprint, articles, ("title", "text"))
    equal = all(ref[t].equals(f) and ref[t].attrs == f.attrs for t, f in zip(FOCUS, fast))
    bench.note(f"index: {idx.counts_.shape[0]:,} articles x {idx.counts_.shape[1]:,} terms, {idx.counts_.nnz:,} "
               f"non-zeros; tables equal to the reference (all terms, columns, attrs): {equal}")
    def row(what, *labels):
        cases = [bench.case(label) for label in labels]
        return {"what": what, "wall s": sum(c["wall_s"] for c in cases), "CPU s": sum(c["cpu_s"] for c in cases)}

    rows = [
        row("reference: tokenize and blank on every call",
            *[f"reference (tokenize + blank every call) {t}" for t in FOCUS]),
        row("index path, first call builds the index", "index path, three targets (first call builds the index)"),
        row("index path, index reused", "index path, three targets (index reused)"),
        row("of which: building the index", "KeynessIndex(articles) alone"),
        row("of which: the cache key (hash of every text), per call", "cache key: hash of ids and texts"),
    ]
    bench.table("calls", pd.DataFrame(rows), readme=True, floatfmt="{:.2f}")
    for t, f in zip(FOCUS, fast):
        bench.table(f"top terms {t}", f.head(10)[["term", "surface", "n_target", "n_reference", "g2", "log_ratio"]])


def exactness(bench: Bench, articles) -> None:
    """The index counts equal tokenizing every normalized text (title + text)."""
    from analysis.measures.keywords import KeynessIndex
    from analysis.text.tokenize import tokenize

    idx = KeynessIndex(articles)
    cols = [articles[f].to_numpy(dtype=object) for f in ("title", "text")]
    pos = {t: i for i, t in enumerate(idx.vocabulary_)}
    bad = 0
    for r, row in enumerate(zip(*cols)):
        want = Counter(tokenize("\n".join(t for t in row if isinstance(t, str)), min_len=1))
        got = idx.counts_[r]
        if dict(zip(idx.vocabulary_[got.indices], got.data.tolist())) != dict(want) or any(t not in pos for t in want):
            bad += 1
    surf = int(sum(s != t for s, t in zip(idx.surfaces_, idx.vocabulary_)))
    bench.note(f"exactness: {bad} of {len(articles):,} articles count differently from tokenizing the normalized "
               f"text; {surf:,} of {len(idx.vocabulary_):,} terms read differently from their key (surfaces)")


def kwic_calls(bench: Bench, articles, mentions) -> None:
    from analysis.measures.keywords import _kwic_reference, kwic

    print("\n== kwic(articles, mentions, X, Y) ==")
    cases = [("RUS", "SYR", {}), ("RUS", "IRN", {}), ("SYR", "IRN", {}),
             ("RUS", "SYR", dict(resolve="country")), ("SYR", "IRN", dict(resolve="country")),
             ("RUS", "SYR", dict(level="paragraph", resolve="country"))]
    rows = []
    for x, y, kw in cases:
        opts = ", ".join(f"{k}={v}" for k, v in kw.items()) or "sentence"
        old = bench.time(f"kwic reference {x}-{y} ({opts})", _kwic_reference, articles, mentions, x, y, keep=True, **kw)
        new = bench.time(f"kwic {x}-{y} ({opts})", kwic, articles, mentions, x, y, keep=True, **kw)
        try:
            pd.testing.assert_frame_equal(old, new, check_exact=True)
            equal = True
        except AssertionError:
            equal = False
        rows.append({"pair": f"{x}-{y}", "options": opts, "windows": len(new),
                     "reference CPU s": bench.case(f"kwic reference {x}-{y} ({opts})")["cpu_s"],
                     "kwic CPU s": bench.case(f"kwic {x}-{y} ({opts})")["cpu_s"], "equal": equal})
    bench.table("kwic", pd.DataFrame(rows), readme=True, floatfmt="{:.2f}")


def windows(bench: Bench, articles) -> None:
    from analysis.measures.cooccurrence import count_windows
    from analysis.text.segment import sentence_spans

    def text_by_text():
        out = []
        for f in ("title", "text"):
            for t in articles[f].tolist():
                para = sentence_spans(t)[0] if isinstance(t, str) else np.zeros(0)
                out.append((len(np.unique(para)), len(para)))
        return out

    print("\n== count_windows(articles) ==")
    old = bench.time("segmenter, text by text", text_by_text, keep=True)
    new = bench.time("count_windows (vectorized)", count_windows, articles, keep=True)
    equal = list(zip(new.n_paragraphs.tolist(), new.n_sentences.tolist())) == old
    bench.note(f"count_windows: {int(new.n_paragraphs.sum()):,} paragraphs, {int(new.n_sentences.sum()):,} "
               f"sentences; equal to the segmenter: {equal}")


def main(argv=None) -> int:
    bench = Bench("keyness", __doc__.splitlines()[0], argv)
    articles, mentions = bench.tables()
    keyness_calls(bench, articles, mentions)
    exactness(bench, articles)
    kwic_calls(bench, articles, mentions)
    windows(bench, articles)
    bench.save()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
