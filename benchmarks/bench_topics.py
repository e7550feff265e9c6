"""Benchmark: topic models on a real corpus (ANT, sport excluded), k = 20.

Run: .venv/bin/python benchmarks/bench_topics.py [--quick] [--no-ablation] [--long] [--repeat N]

Prints, for the same held-out split (10 %, seed 0) and the SAME document-term count
matrix built by :class:`analysis.topics.vectorizer.ArabicVectorizer` with the defaults:

1. the vectorizer (fit on the fitting part, transform of the held-out part) and the report's
   ``fit_topics(articles, k=10)``, timed;
2. the package default (NMF on sublinear TF-IDF) vs gensim LDA and tomotopy LDA
   (benchmark-only extras: ``pip install gensim tomotopy``; skipped when missing): fit
   seconds, NPMI of the top 10 terms on the fitting documents and on the held-out
   documents, diversity of the top 25 terms;
3. preprocessing ablation for the default model: stemming none / prefix / light, with and
   without the news stopwords, number of terms;
4. the top terms of the topics of the default model, and their stability over seeds (the whole
   model, and per topic as the report shows it: :func:`analysis.topics.model.topic_seed_stability`,
   timed).

Every model's row also counts its function-word topics (``function_topics``: topics whose top 10
are at least half stopwords, reporting verbs, such words behind a proclitic و/ف/ب/ل/ك, or clitic
variants of an earlier term; ``function_share``: the mean share of such terms;
:func:`analysis.topics.quality.function_word_topics`).

Uses 2 cores (BLAS/OpenMP threads limited to 2, tomotopy workers=2, gensim LdaMulticore
workers=1 + the main process). Model fits run in this process (``isolate=False``).
Results: benchmarks/results/topics.json (README blocks ``topics.models``, ``topics.ablation``).
"""
from __future__ import annotations

import os
from pathlib import Path
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")
os.environ.setdefault("MKL_NUM_THREADS", "2")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Bench  # noqa: E402

from analysis.topics.model import TopicModel, fit_topics, split_heldout  # noqa: E402
from analysis.topics.quality import diversity, function_word_topics, match_topics, npmi  # noqa: E402
from analysis.topics.vectorizer import ArabicVectorizer  # noqa: E402

K = 20
CORES = 2


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


def function_topics(topic_term, terms, n: int = 10) -> tuple[int, float]:
    """(topics whose top ``n`` are at least half function words or clitic variants, mean share):
    :func:`analysis.topics.quality.function_word_topics` on the top-``n`` term keys."""
    idx = top_idx(topic_term, terms, n)
    table = pd.DataFrame([{"topic": k, "rank": r + 1, "term": str(terms[j])}
                          for k, t in enumerate(idx) for r, j in enumerate(t)])
    fw = function_word_topics(table, n=n)
    return int(fw["function_topic"].sum()), round(float(fw["share"].mean()), 3)


def evaluate(name, topic_term, seconds, train, held, terms, note=""):
    idx10 = top_idx(topic_term, terms, 10)
    idx25 = top_idx(topic_term, terms, 25)
    n_fw, share_fw = function_topics(topic_term, terms)
    return {
        "model": name,
        "fit_s": round(seconds, 2),
        "npmi": round(float(np.nanmean(npmi(train, idx10))), 4),
        "npmi_heldout": round(float(np.nanmean(npmi(held, idx10))), 4),
        "diversity": round(diversity([list(i) for i in idx25]), 3),
        "function_topics": n_fw,
        "function_share": share_fw,
        "note": note,
    }


def vocabulary_subset(vec, train, max_features=20_000, max_df=0.1):
    """Columns of the default counts kept under tighter bounds (most frequent first, ties by term),
    as :class:`ArabicVectorizer` would keep them."""
    n = train.shape[0]
    df = np.asarray((train > 0).sum(axis=0)).ravel()
    keep = np.flatnonzero(df <= max_df * n)
    if len(keep) > max_features:
        tf = np.asarray(train.sum(axis=0)).ravel()[keep]
        keep = np.sort(keep[np.lexsort((vec.terms_[keep], -tf))[:max_features]])
    return keep


def _sub_vectorizer(vec, cols):
    import copy

    v = copy.copy(vec)
    v.terms_, v.surfaces_ = vec.terms_[cols], vec.surfaces_[cols]
    v.vocabulary_ = {t: i for i, t in enumerate(v.terms_)}
    return v


def run_default(train_counts, vec, **params):
    m = TopicModel(k=K, random_state=0, **params)
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


def stability(train, vec, seeds=(0, 1, 2), subsample=0.9):
    """Mean matched-topic cosine similarity over seeds, each fit on a 90 % subsample."""
    comps = []
    n = train.shape[0]
    for s in seeds:
        rows = np.sort(np.random.default_rng(s).choice(n, size=int(subsample * n), replace=False))
        m = TopicModel(k=K, random_state=s)
        m._fit_counts(train[rows], vec)
        comps.append(m.components_)
    sims = [match_topics(comps[i], comps[j]).similarity.mean()
            for i in range(len(comps)) for j in range(i + 1, len(comps))]
    return float(np.mean(sims)), float(np.min(sims))


def _extra(ap):
    ap.add_argument("--no-ablation", action="store_true", help="skip the preprocessing ablation")
    ap.add_argument("--long", action="store_true",
                    help="also scikit-learn LDA (about 10 minutes on ANT) and tomotopy at 1,000 iterations")


def main(argv=None) -> int:
    bench = Bench("topics", __doc__.splitlines()[0], argv, extra_args=_extra)
    df = bench.articles()[["article_id", "title", "text", "published"]]
    fit_df, held_df = split_heldout(df, 0.1, random_state=0)
    bench.note(f"split: {len(fit_df)} fitting, {len(held_df)} held-out (seed 0); k={K}; {CORES} cores")

    with threadpool_limits(CORES):
        vec = ArabicVectorizer()  # package defaults
        train = bench.time("ArabicVectorizer().fit_transform (fitting part)", vec.fit_transform, fit_df,
                           isolate=False)
        held = bench.time("ArabicVectorizer.transform (held-out part)", vec.transform, held_df, isolate=False)
        bench.note(f"vectorizer: {train.shape[1]} terms, {int(train.sum())} tokens; defaults {vec.get_params()}")
        terms = vec.terms_

        rows = []

        def add(row):  # each row printed when it is measured (a long run can be read as it goes)
            rows.append(row)
            print("  row:", row, flush=True)

        m = bench.time(f"NMF fit, k={K}", run_default, train, vec, isolate=False)
        add(evaluate("analysis NMF (default)", m.components_, m.fit_seconds_, train, held, terms,
                     f"n_iter={m.n_iter_}"))
        rm = bench.time("fit_topics(articles, k=10) (the report's model)", fit_topics, df, k=10, isolate=False)
        from analysis.topics.model import topic_seed_stability

        # the report's per-topic stability: 3 refits (seeds 1-3), 90 % of the fitting articles, at most 10,000
        rst = bench.time("topic_seed_stability(report model, seeds 1-3, at most 10,000 articles)",
                         topic_seed_stability, rm, seeds=(1, 2, 3), max_documents=10_000, isolate=False)
        bench.note(f"report model (k=10) per-topic stability: mean {rst.stability_mean.mean():.3f}, "
                   f"lowest topic mean {rst.stability_mean.min():.3f} ({int(rst.n_documents.iloc[0])} articles per refit)")
        for iters in ([200, 1000] if bench.args.long else [200]):
            TT, sec = run_tomotopy(train, len(terms), iters)
            if TT is None:
                bench.note("tomotopy not installed: skipped")
                break
            add(evaluate("tomotopy LDA", TT, sec, train, held, terms, f"Gibbs, {iters} iterations"))
        TT, sec = run_gensim(train, len(terms))
        if TT is None:
            bench.note("gensim not installed: skipped")
        else:
            add(evaluate("gensim LdaMulticore", TT, sec, train, held, terms, "passes=10"))
        if bench.args.long:
            lda = bench.time(f"LDA fit, k={K}", run_default, train, vec, method="lda", isolate=False)
            add(evaluate("analysis LDA (sklearn)", lda.components_, lda.fit_seconds_, train,
                         held, terms, f"batch VB, n_iter={lda.n_iter_}"))
        for label, sub in (("max_features=10000", {"max_features": 10_000}),
                           ("max_df=0.05", {"max_df": 0.05})):
            cols = vocabulary_subset(vec, train, **sub)
            tr_s, ho_s = train[:, cols], held[:, cols]
            ms = bench.time(f"NMF fit, k={K}, {label}", run_default, tr_s, _sub_vectorizer(vec, cols), isolate=False)
            add(evaluate(f"analysis NMF, {label}", ms.components_, ms.fit_seconds_, tr_s, ho_s,
                         terms[cols], f"same counts, {len(cols)} terms; n_iter={ms.n_iter_}"))
        bench.table("models", pd.DataFrame(rows), readme=True)

        tt = m.topics(10)
        tr_np, ho_np = npmi(train, m.top_term_indices(10)), npmi(held, m.top_term_indices(10))
        bench.table("top terms", pd.DataFrame([
            {"topic": k, "npmi": tr_np[k], "npmi_heldout": ho_np[k], "terms": " ".join(tt[tt.topic == k].surface)}
            for k in range(K)]))
        st = bench.time("topic_seed_stability(model, seeds=1..3) (the report's per-topic stability)",
                        topic_seed_stability, m, seeds=(1, 2, 3), isolate=False)
        bench.note(f"per-topic stability (seeds 1-3, 90 % subsamples): mean {st.stability_mean.mean():.3f}, "
                   f"lowest topic mean {st.stability_mean.min():.3f}, lowest single {st.stability_min.min():.3f}")
        mean_sim, min_sim = stability(train, vec)
        bench.note(f"stability (default NMF, seeds 0,1,2 each on a 90 % subsample, Hungarian-matched topics): "
                   f"mean cosine similarity {mean_sim:.3f} (lowest pair mean {min_sim:.3f})")

        if not bench.args.no_ablation:
            abl = []
            for stem in ("none", "prefix", "light"):
                for news in (False, True):
                    abl.append(_ablation(f"stem={stem} news_stopwords={news}", fit_df, held_df,
                                         stem=stem, news_stopwords=news))
            for max_df in (0.2, 0.5):
                abl.append(_ablation(f"default but max_df={max_df}", fit_df, held_df, max_df=max_df))
            bench.table("ablation", pd.DataFrame(abl).drop(columns="note"), readme=True)
            bench.note("div_collapsed / npmi_distinct*: diversity and NPMI with clitic variants of one word "
                       "(الدراسة/دراسة) counted as one term / their pairs left out; variant_dups: such pairs "
                       "inside the top 10s")
    bench.save()
    return 0


def _ablation(name, fit_df, held_df, **params):
    v = ArabicVectorizer(**params)
    tr = v.fit_transform(fit_df)
    ho = v.transform(held_df)
    mm = TopicModel(k=K, random_state=0, **params)
    mm._fit_counts(tr, v)
    r = evaluate(name, mm.components_, mm.fit_seconds_, tr, ho, v.terms_)
    r["n_terms"] = tr.shape[1]
    r.update(variant_aware(mm.components_, tr, ho, v.terms_))
    print(f"  done: {name}", flush=True)
    return r


if __name__ == "__main__":
    sys.exit(main())
