"""Benchmark: topic models on ANT multisource (sport excluded), k = 20.

Run: .venv/bin/python benchmarks/bench_topics.py [--quick] [--no-ablation]

Prints, for the same held-out split (10 %, seed 0) and the SAME document-term
count matrix built by analysis.topics.model.ArabicVectorizer with the defaults:

1. the package default (NMF on sublinear TF-IDF) vs gensim LDA and tomotopy
   LDA (benchmark-only extras: ``pip install gensim tomotopy``; skipped when
   missing): fit seconds, NPMI of the top 10 terms on the fitting documents and
   on the held-out documents, diversity of the top 25 terms;
2. preprocessing ablation for the default model: stemming none / prefix /
   light, with and without the news stopwords, number of terms;
3. the top terms of five topics of the default model.

Uses 2 cores (BLAS/OpenMP threads limited to 2, tomotopy workers=2, gensim
LdaMulticore workers=1 + the main process).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")
os.environ.setdefault("MKL_NUM_THREADS", "2")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from analysis.topics.model import (  # noqa: E402
    ArabicVectorizer,
    TopicModel,
    diversity,
    npmi,
    split_heldout,
)

REPO = Path(__file__).resolve().parents[1]
ANT = REPO.parent / "shared" / "data" / "ant_multisource" / "ant_multisource_v2.1.jsonl.gz"
K = 20
CORES = 2


def load() -> pd.DataFrame:
    try:
        from analysis import load_corpus

        df = load_corpus([ANT], exclude_categories=["sport"], progress=False)
        how = "analysis.load_corpus(exclude_categories=['sport'])"
    except Exception as exc:  # loader not available yet: read the JSONL directly
        df = pd.read_json(ANT, lines=True)
        df = df[df["cat"] != "sport"].drop_duplicates("url")
        df = df.rename(columns={"docno": "article_id"})
        how = f"pandas JSONL, dedup by url (load_corpus unavailable: {type(exc).__name__})"
    df = df[["article_id", "title", "text"]].reset_index(drop=True)
    print(f"corpus: {ANT.name} via {how}: {len(df)} articles (sport excluded)")
    return df


def top_idx(topic_term: np.ndarray, terms: np.ndarray, n: int) -> list[np.ndarray]:
    return [np.lexsort((terms, -row))[:n] for row in topic_term]


def _collapse(term: str) -> str:
    """Term without a leading clitic/article (to spot variants such as الدراسة/دراسة)."""
    for p in ("وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل"):
        if term.startswith(p) and len(term) - len(p) >= 3:
            return term[len(p):]
    return term


def variant_aware(topic_term, train, held, terms):
    """Measures that preprocessing cannot inflate with clitic variants of one word:
    diversity over collapsed terms, variant pairs inside each top 10, and NPMI
    (train / held-out) over the pairs of top-10 terms that are NOT variants."""
    idx10 = top_idx(topic_term, terms, 10)
    idx25 = top_idx(topic_term, terms, 25)
    col = [[_collapse(terms[j]) for j in t] for t in idx25]
    dups = sum(len(t[:10]) - len(set(t[:10])) for t in col)
    out = {"div_collapsed": round(diversity(col), 3), "variant_dups": dups}
    for name, X in (("npmi_distinct", train), ("npmi_distinct_ho", held)):
        vals = []
        for t in idx10:
            pairs = [[a, b] for i, a in enumerate(t) for b in t[i + 1:]
                     if _collapse(terms[a]) != _collapse(terms[b])]
            if pairs:
                vals.append(np.mean(npmi(X, pairs)))
        out[name] = round(float(np.mean(vals)), 4)
    return out


def evaluate(name, topic_term, seconds, train, held, terms, note=""):
    idx10 = top_idx(topic_term, terms, 10)
    idx25 = top_idx(topic_term, terms, 25)
    return {
        "model": name,
        "fit_s": round(seconds, 2),
        "npmi": round(float(np.nanmean(npmi(train, idx10))), 4),
        "npmi_heldout": round(float(np.nanmean(npmi(held, idx10))), 4),
        "diversity": round(diversity([list(i) for i in idx25]), 3),
        "note": note,
    }


def run_default(train_counts, held_counts, vec, **params):
    m = TopicModel(n_topics=K, random_state=0, **params)
    m._fit_counts(train_counts, vec)
    return m


def run_gensim(train_counts, n_terms, passes=10):
    try:
        from gensim.matutils import Sparse2Corpus
        from gensim.models import LdaMulticore
    except ImportError:
        return None, None
    corpus = Sparse2Corpus(train_counts.astype(np.int64), documents_columns=False)
    id2word = {i: str(i) for i in range(n_terms)}
    t0 = time.perf_counter()
    lda = LdaMulticore(corpus, num_topics=K, id2word=id2word, passes=passes, chunksize=2000,
                       workers=CORES - 1, random_state=0, eval_every=None)
    sec = time.perf_counter() - t0
    return lda.get_topics(), sec


def run_tomotopy(train_counts, n_terms, iterations):
    try:
        import tomotopy as tp
    except ImportError:
        return None, None
    X = train_counts.tocsr()
    mdl = tp.LDAModel(k=K, seed=0)
    words = [str(i) for i in range(n_terms)]
    for d in range(X.shape[0]):
        lo, hi = X.indptr[d], X.indptr[d + 1]
        toks = []
        for j, c in zip(X.indices[lo:hi], X.data[lo:hi]):
            toks.extend([words[j]] * int(c))
        if toks:
            mdl.add_doc(toks)
    t0 = time.perf_counter()
    mdl.train(iterations, workers=CORES)
    sec = time.perf_counter() - t0
    # topic-word distribution mapped back to our columns
    vocab = {w: i for i, w in enumerate(mdl.used_vocabs)}
    TT = np.zeros((K, n_terms))
    cols = np.array([int(w) for w in mdl.used_vocabs])
    for k in range(K):
        TT[k, cols] = mdl.get_topic_word_dist(k)
    del vocab
    return TT, sec


class _Rows(list):
    """Rows that are also printed as they arrive (long runs show progress)."""

    def append(self, row):
        print(f"  done: {row['model']} ({row['note']}): {row['fit_s']}s", flush=True)
        super().append(row)


def stability(train, vec, seeds=(0, 1, 2), subsample=0.9):
    """Mean matched-topic cosine similarity over seeds, each fit on a 90 % subsample."""
    from analysis.topics.model import match_topics

    comps = []
    n = train.shape[0]
    for s in seeds:
        rows = np.sort(np.random.default_rng(s).choice(n, size=int(subsample * n), replace=False))
        m = TopicModel(n_topics=K, random_state=s)
        m._fit_counts(train[rows], vec)
        comps.append(m.components_)
    sims = [match_topics(comps[i], comps[j]).similarity.mean()
            for i in range(len(comps)) for j in range(i + 1, len(comps))]
    return float(np.mean(sims)), float(np.min(sims))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="skip tomotopy 1000 iterations and sklearn LDA")
    ap.add_argument("--no-ablation", action="store_true")
    args = ap.parse_args(argv)
    if not ANT.is_file():
        print(f"corpus absent: {ANT}; nothing to benchmark")
        return 0
    df = load()
    fit_df, held_df = split_heldout(df, 0.1, random_state=0)
    print(f"split: {len(fit_df)} fitting, {len(held_df)} held-out (seed 0); k={K}; {CORES} cores\n")

    with threadpool_limits(CORES):
        t0 = time.perf_counter()
        vec = ArabicVectorizer()  # package defaults
        train = vec.fit_transform(fit_df)
        t_vec = time.perf_counter() - t0
        held = vec.transform(held_df)
        print(f"vectorize (defaults {vec.get_params()}): {t_vec:.1f}s, "
              f"{train.shape[1]} terms, {int(train.sum())} tokens\n")
        terms = vec.terms_

        rows = _Rows()
        m = run_default(train, held, vec)
        rows.append(evaluate("analysis NMF (default)", m.components_, m.fit_seconds_, train, held, terms,
                             f"n_iter={m.n_iter_}"))
        if not args.quick:
            lda = run_default(train, held, vec, method="lda")
            rows.append(evaluate("analysis LDA (sklearn)", lda.components_, lda.fit_seconds_, train,
                                 held, terms, f"batch VB, n_iter={lda.n_iter_}"))
        TT, sec = run_gensim(train, len(terms))
        if TT is None:
            print("gensim not installed: skipped")
        else:
            rows.append(evaluate("gensim LdaMulticore", TT, sec, train, held, terms, "passes=10"))
        for iters in ([200] if args.quick else [200, 1000]):
            TT, sec = run_tomotopy(train, len(terms), iters)
            if TT is None:
                print("tomotopy not installed: skipped")
                break
            rows.append(evaluate("tomotopy LDA", TT, sec, train, held, terms,
                                 f"Gibbs, {iters} iterations"))
        table = pd.DataFrame(rows)
        with pd.option_context("display.width", 200, "display.max_columns", 20):
            print("== models, same doc-term data (fit seconds exclude vectorizing) ==")
            print(table.to_string(index=False))
        others = table[~table["model"].str.startswith("analysis")]
        if len(others):
            d = table.iloc[0]
            tomo = others[others["model"] == "tomotopy LDA"]
            print(f"\ntargets: npmi {d.npmi} >= best other {others.npmi.max()}: {d.npmi >= others.npmi.max()}; "
                  f"held-out npmi {d.npmi_heldout} >= best other {others.npmi_heldout.max()}: "
                  f"{d.npmi_heldout >= others.npmi_heldout.max()}; "
                  + (f"fit {d.fit_s}s <= tomotopy {tomo.fit_s.min()}s: {d.fit_s <= tomo.fit_s.min()}; "
                     if len(tomo) else "")
                  + f"diversity {d.diversity} >= 0.9: {d.diversity >= 0.9}")

        print("\n== top terms of the topics (default NMF; readable surfaces; NPMI train / held-out) ==")
        tt = m.topics(10)
        tr_np, ho_np = npmi(train, m.top_term_indices(10)), npmi(held, m.top_term_indices(10))
        for k in range(K):
            print(f"topic {k:2d} ({tr_np[k]:.2f} / {ho_np[k]:.2f}): " + " ".join(tt[tt.topic == k].term))

        mean_sim, min_sim = stability(train, vec)
        print(f"\nstability (default NMF, seeds 0,1,2 each on a 90 % subsample, Hungarian-matched topics): "
              f"mean cosine similarity {mean_sim:.3f} (lowest pair mean {min_sim:.3f})")

        if not args.no_ablation:
            print("\n== preprocessing ablation (NMF, same split) ==\n"
                  "div_collapsed / npmi_distinct*: diversity and NPMI with clitic variants of one word "
                  "(الدراسة/دراسة) counted as one term / their pairs left out; variant_dups: such pairs "
                  "inside the top 10s")
            abl = []
            for stem in ("none", "prefix", "light"):
                for news in (False, True):
                    v = ArabicVectorizer(stem=stem, news_stopwords=news)
                    tr = v.fit_transform(fit_df)
                    ho = v.transform(held_df)
                    mm = TopicModel(n_topics=K, random_state=0, stem=stem, news_stopwords=news)
                    mm._fit_counts(tr, v)
                    r = evaluate(f"stem={stem} news_stopwords={news}", mm.components_, mm.fit_seconds_,
                                 tr, ho, v.terms_)
                    r["n_terms"] = tr.shape[1]
                    r.update(variant_aware(mm.components_, tr, ho, v.terms_))
                    abl.append(r)
            for max_df in (0.2, 0.5):
                v = ArabicVectorizer(max_df=max_df)
                tr = v.fit_transform(fit_df)
                ho = v.transform(held_df)
                mm = TopicModel(n_topics=K, random_state=0, max_df=max_df)
                mm._fit_counts(tr, v)
                r = evaluate(f"default but max_df={max_df}", mm.components_, mm.fit_seconds_, tr, ho, v.terms_)
                r["n_terms"] = tr.shape[1]
                r.update(variant_aware(mm.components_, tr, ho, v.terms_))
                abl.append(r)
            print(pd.DataFrame(abl).drop(columns="note").to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
