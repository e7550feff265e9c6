"""analysis.stats.association: article-bootstrap intervals of NPMI, PMI and the co-mention rate."""
from __future__ import annotations

import math
import time
import zlib

import numpy as np
import pandas as pd
import pytest

from analysis.measures.cooccurrence import association_measures
from analysis.stats.association import (add_pair_intervals, article_pair_counts, article_resamples,
                                        bootstrap_pairs, method_note, pair_intervals)
from analysis.stats.intervals import wilson


def _corpus(n_articles: int = 40, seed: int = 5):
    """Articles with 1-6 sentences each; every sentence mentions some of A, B, C, D (articles differ in
    how much they favour A with B, so the article bootstrap has something to resample)."""
    rng = np.random.default_rng(seed)
    arts, wins, rows = [], [], []
    for i in range(n_articles):
        aid = f"a{i:03d}"
        n_sent = int(rng.integers(1, 7))
        arts.append({"article_id": aid})
        wins.append({"article_id": aid, "field": "text", "n_paragraphs": 1, "n_sentences": n_sent})
        bias = rng.uniform(0.1, 0.9)
        for s in range(n_sent):
            for ent, p in (("A", bias), ("B", bias), ("C", 0.3), ("D", 0.15)):
                if rng.uniform() < p:
                    rows.append({"article_id": aid, "field": "text", "paragraph": 0, "sentence": s, "entity_id": ent})
    return pd.DataFrame(arts), pd.DataFrame(wins), pd.DataFrame(rows)


def _reference(arts, wins, ments, pair, picks):
    """The slow way: for every resample, walk the picked articles' windows one by one."""
    a, b = pair
    nwin = dict(zip(wins["article_id"], wins["n_sentences"]))
    sent = {}
    for r in ments.itertuples():
        sent.setdefault(r.article_id, {}).setdefault(r.sentence, set()).add(r.entity_id)
    ids = arts["article_id"].tolist()
    share, pmi, npmi = [], [], []
    for row in picks:
        N = na = nb = nab = 0
        for k in row:
            aid = ids[k]
            N += nwin[aid]
            for ents in sent.get(aid, {}).values():
                na += a in ents
                nb += b in ents
                nab += (a in ents) and (b in ents)
        share.append(nab / N)
        if na == 0 or nb == 0:
            pmi.append(math.nan)
            npmi.append(math.nan)
        elif nab == 0:
            pmi.append(-math.inf)
            npmi.append(-1.0)
        else:
            p = math.log(nab * N / (na * nb))
            pmi.append(p)
            npmi.append(1.0 if nab == N else max(-1.0, min(1.0, p / -math.log(nab / N))))
    return np.array(share), np.array(pmi), np.array(npmi)


def test_bootstrap_equals_a_slow_reference_loop():
    arts, wins, ments = _corpus()
    pairs = [("A", "B"), ("C", "A"), ("B", "D"), ("C", "D")]
    got = pair_intervals(articles=arts, mentions=ments, pairs=pairs, level="sentence", windows=wins,
                         n_resamples=300, seed=11)
    assert got[["entity_a", "entity_b"]].apply(tuple, axis=1).tolist() == [("A", "B"), ("A", "C"), ("B", "D"),
                                                                              ("C", "D")]
    # the same resamples, drawn from the same generator
    picks = np.vstack(list(article_resamples(len(arts), 300, np.random.default_rng(11))))
    for r in got.itertuples():
        share, pmi, npmi = _reference(arts, wins, ments, (r.entity_a, r.entity_b), picks)
        ok = ~np.isnan(npmi)
        assert r.n_valid == ok.sum()
        assert (r.npmi_low, r.npmi_high) == pytest.approx(tuple(np.quantile(npmi[ok], [0.025, 0.975])), abs=1e-12)
        assert (r.share_ab_low, r.share_ab_high) == pytest.approx(tuple(np.quantile(share, [0.025, 0.975])),
                                                                  abs=1e-12)
        assert (r.pmi_low, r.pmi_high) == pytest.approx(
            tuple(np.quantile(pmi[ok], [0.025, 0.975], method="inverted_cdf")), abs=1e-12)


def test_point_estimates_equal_count_comentions_and_association_measures():
    from analysis.measures.comention import count_comentions

    arts, wins, ments = _corpus()
    co = count_comentions(articles=arts, mentions=ments, level="sentence", windows=wins)
    got = pair_intervals(articles=arts, mentions=ments, pairs=list(zip(co.entity_a, co.entity_b)),
                         level="sentence", windows=wins, n_resamples=50)
    mg = co.merge(got, on=["entity_a", "entity_b"], suffixes=("", "_iv"), validate="one_to_one")
    assert len(mg) == len(co) == 6
    for c in ("n_ab", "n_a", "n_b", "n_windows", "pmi", "npmi"):
        assert np.allclose(mg[c], mg[f"{c}_iv"], equal_nan=True), c
    # the lean measures of the resamples follow association_measures' edge cases
    from analysis.stats import association as A

    k = np.array([0, 3, 5, 0, 4, 2])
    na, nb, N = np.array([4, 5, 5, 0, 4, 2]), np.array([3, 3, 5, 2, 4, 2]), np.array([10, 10, 5, 10, 0 + 4, 2])
    share, pmi, npmi = A._measures(k, na, nb, N)
    ref = association_measures(k, na, nb, N)
    assert np.allclose(pmi, ref["pmi"], equal_nan=True) and np.allclose(npmi, ref["npmi"], equal_nan=True)
    assert share == pytest.approx(k / N)


def test_interval_holds_the_estimate_and_narrows_with_more_data():
    arts, wins, ments = _corpus(60)
    small = pair_intervals(articles=arts, mentions=ments, pairs=[("A", "B"), ("A", "C")], level="sentence",
                           windows=wins, n_resamples=500, seed=3)
    assert (small.npmi_low <= small.npmi).all() and (small.npmi <= small.npmi_high).all()
    assert (small.share_ab_low <= small.share_ab).all() and (small.share_ab <= small.share_ab_high).all()
    assert (small.npmi_high - small.npmi_low > 0.01).all()
    # the same articles four times (new ids): same estimates, intervals about half as wide
    copies = [(arts.assign(article_id=arts.article_id + f"_{k}"), wins.assign(article_id=wins.article_id + f"_{k}"),
               ments.assign(article_id=ments.article_id + f"_{k}")) for k in range(4)]
    big = pair_intervals(articles=pd.concat([c[0] for c in copies]), mentions=pd.concat([c[2] for c in copies]),
                         pairs=[("A", "B"), ("A", "C")], level="sentence", windows=pd.concat([c[1] for c in copies]),
                         n_resamples=500, seed=3)
    assert big.npmi.to_numpy() == pytest.approx(small.npmi.to_numpy())
    ratio = (big.npmi_high - big.npmi_low) / (small.npmi_high - small.npmi_low)
    assert ratio.between(0.35, 0.7).all(), ratio.tolist()


def test_sentences_of_an_article_are_not_treated_as_independent():
    """Articles that put A with B in all their sentences or in none: the article bootstrap is much
    wider than Wilson's interval, which takes every sentence as an independent draw."""
    arts = pd.DataFrame({"article_id": [f"x{i}" for i in range(40)]})
    wins = pd.DataFrame({"article_id": arts.article_id, "field": "text", "n_paragraphs": 1, "n_sentences": 20})
    rows = [{"article_id": f"x{i}", "field": "text", "paragraph": 0, "sentence": s, "entity_id": e}
            for i in range(40) for s in range(20) for e in (("A", "B") if i % 4 == 0 else ("A",) if i % 2 else ("C",))]
    got = pair_intervals(articles=arts, mentions=pd.DataFrame(rows), pairs=[("A", "B")], level="sentence",
                         windows=wins, n_resamples=1000, seed=0).iloc[0]
    assert got.n_ab == 200 and got.n_windows == 800 and got.share_ab == 0.25
    lo, hi = wilson(200, 800)
    assert (got.share_ab_high - got.share_ab_low) > 2.5 * (hi - lo)


def test_comention_rate_by_hand():
    """Article level: a resample of 4 articles of which 1 has the pair. By hand the number of
    resampled articles with the pair is Binomial(4, 1/4): P(0) = 0.316, P(<=2) = 0.949, so the
    95 % percentile interval of the rate is 0 to 3/4 (P(<=3) = 0.996); with every article alike
    the interval is the point."""
    arts = pd.DataFrame({"article_id": ["p", "q", "r", "s"]})
    ments = pd.DataFrame({"article_id": ["p", "p", "q", "r", "s"], "entity_id": ["A", "B", "A", "B", "A"]})
    got = pair_intervals(articles=arts, mentions=ments, pairs=[("A", "B")], level="article", n_resamples=4000,
                         seed=1).iloc[0]
    assert (got.n_ab, got.n_a, got.n_b, got.n_windows, got.share_ab) == (1, 3, 2, 4, 0.25)
    assert got.share_ab_low == 0.0
    assert got.share_ab_high == pytest.approx(0.75)
    same = pd.DataFrame({"article_id": [a for a in "pqrs" for _ in "AB"], "entity_id": list("AB" * 4)})
    flat = pair_intervals(articles=arts, mentions=same, pairs=[("A", "B")], level="article", n_resamples=200).iloc[0]
    assert flat.share_ab == flat.share_ab_low == flat.share_ab_high == 1.0
    assert flat.npmi == flat.npmi_low == flat.npmi_high == 1.0
    # many articles: the article bootstrap of an article-level rate agrees with Wilson
    n, k = 2000, 300
    arts = pd.DataFrame({"article_id": [f"z{i}" for i in range(n)]})
    ments = pd.DataFrame({"article_id": [f"z{i}" for i in range(k) for _ in "AB"] + [f"z{i}" for i in range(k, 900)],
                          "entity_id": list("AB" * k) + ["A"] * (900 - k)})
    big = pair_intervals(articles=arts, mentions=ments, pairs=[("A", "B")], level="article", n_resamples=2000,
                         seed=2).iloc[0]
    lo, hi = wilson(k, n)
    assert big.share_ab_low == pytest.approx(float(lo), abs=0.004)
    assert big.share_ab_high == pytest.approx(float(hi), abs=0.004)


def test_seeded_strata_and_merge():
    arts, wins, ments = _corpus(30)
    period = np.where(np.arange(30) < 12, "2018-01", "2018-02")
    one = pair_intervals(articles=arts, mentions=ments, pairs=[("A", "B")], level="sentence", windows=wins,
                         strata=period, n_resamples=200, seed=4)
    again = pair_intervals(articles=arts, mentions=ments, pairs=[("A", "B")], level="sentence", windows=wins,
                           strata=period, n_resamples=200, seed=4)
    pd.testing.assert_frame_equal(one, again)
    assert one.stratum.tolist() == ["2018-01", "2018-02"]
    # a stratum = its articles alone, resampled with seed (seed, crc32(label))
    counts = article_pair_counts(articles=arts, mentions=ments, pairs=[("A", "B")], level="sentence", windows=wins)
    alone = bootstrap_pairs(counts, rows=np.arange(12), n_resamples=200, seed=[4, zlib.crc32(b"2018-01")])
    assert one.iloc[0][["n_ab", "npmi", "npmi_low", "npmi_high"]].tolist() == \
        alone.iloc[0][["n_ab", "npmi", "npmi_low", "npmi_high"]].tolist()
    other = pair_intervals(articles=arts, mentions=ments, pairs=[("A", "B")], level="sentence", windows=wins,
                           strata=period, n_resamples=200, seed=5)
    assert other.npmi_low.tolist() != one.npmi_low.tolist()
    # merged onto a table by pair in either order and period
    tab = pd.DataFrame({"entity_a": ["B", "A"], "entity_b": ["A", "B"], "period": ["2018-02", "2018-01"]})
    m = add_pair_intervals(tab, one, stratum="period")
    assert m.npmi_low.tolist() == [one.npmi_low[1], one.npmi_low[0]]
    assert "1000 resamples, seed 7" in method_note(1000, 7)


def test_bad_input_is_named():
    arts, wins, ments = _corpus(5)
    with pytest.raises(ValueError, match="n_resamples"):
        pair_intervals(articles=arts, mentions=ments, pairs=[("A", "B")], windows=wins, n_resamples=0)
    with pytest.raises(ValueError, match="strata"):
        pair_intervals(articles=arts, mentions=ments, pairs=[("A", "B")], windows=wins, strata=["x"])
    with pytest.raises(ValueError, match="confidence"):
        pair_intervals(articles=arts, mentions=ments, pairs=[("A", "B")], windows=wins, confidence=95)


# ---------------------------------------------------------------------------- real corpus
@pytest.mark.realdata
def test_real_focus_pairs_at_article_level(ant_corpus):
    pytest.importorskip("analysis.entities.mentions")
    from analysis import extract_mentions, load_corpus
    from analysis.measures.comention import count_comentions
    from analysis.stats.partners import specific_partners

    arts = load_corpus(ant_corpus, exclude_categories=["sport"], progress=False)
    m = extract_mentions(arts, progress=False)
    co = count_comentions(articles=arts, mentions=m, level="article")
    focus = [("RUS", "SYR"), ("IRN", "SYR"), ("IRN", "RUS")]
    iv = pair_intervals(articles=arts, mentions=m, pairs=focus, level="article", n_resamples=1000, seed=0)
    ref = co.set_index(["entity_a", "entity_b"])
    for r in iv.itertuples():
        assert r.npmi == pytest.approx(ref.loc[(r.entity_a, r.entity_b), "npmi"])
        assert r.npmi_low < r.npmi < r.npmi_high and r.npmi_low > 0  # together more often than chance
        assert r.npmi_high - r.npmi_low < 0.1
        print(f"{r.entity_a}-{r.entity_b}: n_ab {r.n_ab}, NPMI {r.npmi:.3f} ({r.npmi_low:.3f} to {r.npmi_high:.3f})")
    tp = specific_partners(co, focus=("RUS", "SYR", "IRN"), n=10, min_count=20)
    t = time.perf_counter()
    piv = pair_intervals(articles=arts, mentions=m, pairs=list(zip(tp.entity, tp.partner)), level="article",
                         n_resamples=1000, seed=0)
    print(f"partner table: {len(piv)} pairs, {len(arts)} articles, 1000 resamples: "
          f"{time.perf_counter() - t:.1f} s")
    out = add_pair_intervals(tp, piv, a="entity", b="partner")
    assert out.npmi_low.notna().all() and (out.npmi_low <= out.npmi).all() and (out.npmi <= out.npmi_high).all()


# ---------------------------------------------------------------------------- p-values shown
def test_p_of_zero_is_never_shown_as_zero():
    from analysis.report.html import table_html
    from analysis.stats.summary import format_p, key_findings

    assert format_p(0.0, 1999) == "< 0.0005"
    assert format_p(0.0, 999) == "< 0.001"
    assert format_p(0.0) == "< 1e-300"  # an asymptotic p that underflowed
    assert format_p(6.2e-54) == "6.2e-54" and format_p(0.0312, digits=3) == "0.0312"
    assert format_p(float("nan")) == "–"
    df = pd.DataFrame({"partner": ["x", "y", "z"], "p_value": [0.0, 0.25, 1e-20], "p_clustered": [0.0, 0.5, 0.0],
                       "n_resamples": [1999, 1999, 99]})
    h = table_html(df)
    cells = [c.split("</td>")[0] for c in h.split("<td>")[1:]]
    assert cells[:4] == ["x", "&lt; 0.0005", "&lt; 0.0005", "1999"]
    assert cells[8:11] == ["z", "1e-20", "&lt; 0.01"]
    assert "<td>0</td>" not in h
    # without a resample column: the table's attrs, else the underflow floor
    t = pd.DataFrame({"entity": ["A"], "p_clustered": [0.0]})
    assert "&lt; 1e-300" in table_html(t)
    t.attrs["n_resamples"] = 2000
    assert "&lt; 0.0005" in table_html(t[["entity", "p_clustered"]])
    # the CSV keeps the number
    from analysis.report.html import format_table

    assert format_table(df)["p_value"].tolist()[0] == "0"
    # findings text: "clustered p < 0.0005", never "p = 0"
    ev = pd.DataFrame({"event": ["E"], "window": ["±14 days"], "entity": ["RUS"], "diff": [0.1], "share_before": [0.1],
                       "share_after": [0.2], "boot_low": [0.05], "boot_high": [0.15], "p_clustered": [0.0]})
    ev.attrs["n_resamples"] = 1999
    line = key_findings({"event": ev})[0]
    assert "clustered p < 0.0005" in line and "p = 0" not in line


# ---------------------------------------------------------------------------- outlet-balanced shares
def test_balanced_share_intervals_against_articles_resampled_by_hand():
    from analysis.stats.balance import balanced_shares

    cov = pd.DataFrame({"period": ["2018-08", "2018-08", "2018-09", "2018-08", "2018-08", "2018-09"],
                        "outlet": ["A", "B", "A", "A", "B", "A"], "entity": ["IRN"] * 3 + ["RUS"] * 3,
                        "n_articles": [100, 100, 50, 100, 100, 50], "n_with": [10, 30, 5, 0, 0, 0]})
    t = balanced_shares(cov, n_resamples=4000, seed=1)
    again = balanced_shares(cov, n_resamples=4000, seed=1)
    pd.testing.assert_frame_equal(t, again)
    at = t.set_index(["period", "entity"])
    aug = at.loc[("2018-08", "IRN")]
    assert aug.share_balanced_low < aug.share_balanced < aug.share_balanced_high
    assert aug.share_mean_low < aug.share_mean < aug.share_mean_high
    lo, hi = wilson(40, 200)
    assert (aug.share_low, aug.share_high) == pytest.approx((float(lo), float(hi)))
    # by hand: resample each outlet's articles (0/1 mentions), weighted 0.6 A + 0.4 B
    rng = np.random.default_rng(7)
    a = np.r_[np.ones(10), np.zeros(90)]
    b = np.r_[np.ones(30), np.zeros(70)]
    ref = [0.6 * rng.choice(a, 100).mean() + 0.4 * rng.choice(b, 100).mean() for _ in range(4000)]
    assert aug.share_balanced_low == pytest.approx(np.quantile(ref, 0.025), abs=0.01)
    assert aug.share_balanced_high == pytest.approx(np.quantile(ref, 0.975), abs=0.01)
    # sd of the weighted share: sqrt(0.36 * .09/100 + 0.16 * .21/100) = 0.0245; 95 % ~ +-0.048
    assert aug.share_balanced_high - aug.share_balanced_low == pytest.approx(2 * 1.96 * 0.0245, abs=0.01)
    # one outlet only: the balanced share is that outlet's, its interval the outlet's bootstrap
    sep = at.loc[("2018-09", "IRN")]
    assert sep.share_balanced == sep.share_mean == 0.1
    assert sep.share_balanced_low == sep.share_mean_low and sep.share_balanced_high > 0.15
    zero = t[t.entity == "RUS"]
    assert (zero.share_balanced_low == 0).all() and (zero.share_balanced_high == 0).all()
    assert (zero.share_high > 0).all()  # Wilson still gives the raw share width


# ---------------------------------------------------------------------------- mentions per 1,000 words
def test_mention_rate_intervals_equal_coverage_and_a_reference_loop(sample_dir):
    from analysis import extract_mentions, load_corpus
    from analysis.measures.compare import count_words, coverage
    from analysis.stats.rates import mention_rate_intervals

    arts = load_corpus(sample_dir, progress=False)
    m = extract_mentions(arts, progress=False)
    focus = ["RUS", "SYR", "IRN"]
    got = mention_rate_intervals(articles=arts, mentions=m, focus=focus, freq=None, resolve="country",
                                 n_resamples=400, seed=2)
    cov = coverage(articles=arts, mentions=m, focus=focus, freq=None, resolve="country")
    mg = cov.merge(got, on=["period", "entity"], suffixes=("", "_iv"), validate="one_to_one")
    assert len(mg) == 3
    assert (mg.n_mentions == mg.n_mentions_iv).all() and (mg.n_words == mg.n_words_iv).all()
    assert mg.per_1k_words.to_numpy() == pytest.approx(mg.per_1k_words_iv.to_numpy())
    assert (got.per_1k_words_low < got.per_1k_words).all() and (got.per_1k_words < got.per_1k_words_high).all()
    # the slow way, same draws: sum the picked articles' mentions and words
    from analysis.measures.cooccurrence import resolve_entities

    words = count_words(arts).to_numpy()
    ent = resolve_entities(m, "country")
    ids = arts.article_id.astype(str).tolist()
    per = {e: m.loc[ent.to_numpy() == e, "article_id"].astype(str).value_counts() for e in focus}
    rng = np.random.default_rng([2, zlib.crc32(b"all")])
    picks = np.vstack(list(article_resamples(len(arts), 400, rng)))
    for r in got.itertuples():
        cnt = np.array([per[r.entity].get(a, 0) for a in ids], dtype=float)
        ref = [1000.0 * cnt[p].sum() / words[p].sum() for p in picks]
        assert (r.per_1k_words_low, r.per_1k_words_high) == pytest.approx(tuple(np.quantile(ref, [0.025, 0.975])))
    by = mention_rate_intervals(articles=arts, mentions=m, focus=focus, freq="M", by="outlet", resolve="country",
                                n_resamples=50, seed=2)
    cov2 = coverage(articles=arts, mentions=m, focus=focus, freq="M", by="outlet", resolve="country")
    assert by[["period", "outlet", "entity"]].values.tolist() == cov2[["period", "outlet", "entity"]].values.tolist()
    assert np.allclose(by.per_1k_words, cov2.per_1k_words, equal_nan=True)


# ---------------------------------------------------------------------------- figure resolution
def test_png_saved_at_150_dpi_and_shown_at_the_110_dpi_size(tmp_path):
    import struct

    from analysis import plotting as P
    from analysis.report.html import figure_html
    from analysis.report.results import SectionResult

    fig = P.message_figure("intervals")
    res = SectionResult("t")
    res.add_figure("f", fig)
    png = res.png("f")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    at = png.index(b"pHYs")
    ppm_x, ppm_y, unit = struct.unpack(">IIB", png[at + 4:at + 13])
    assert unit == 1 and round(ppm_x * 0.0254) == round(ppm_y * 0.0254) == 150
    width = int.from_bytes(png[16:20], "big")
    assert f"width:{round(width * 110 / 150)}px" in figure_html(png)
    paths = res.save(tmp_path)
    again = SectionResult("t")
    again.add_figure("f", fig)
    assert [p.read_bytes() for p in paths if p.suffix == ".png"] == [again.png("f")]
    assert any(p.suffix == ".svg" for p in paths)


def test_network_figure_does_not_depend_on_the_hash_seed(tmp_path):
    """A subgraph view yields nodes in set order; tied edges must still be kept or dropped the same way."""
    import os
    import subprocess
    import sys

    script = tmp_path / "net.py"
    script.write_text(
        "import hashlib, io, networkx as nx\n"
        "from analysis import plotting as P\n"
        "G = nx.Graph()\n"
        "names = [f'e{i}' for i in range(14)]\n"
        "for i, a in enumerate(names):\n"
        "    for b in names[i + 1:]:\n"
        "        G.add_edge(a, b, n_ab=1)\n"  # every edge ties
        "G.add_edge('RUS', 'e1', n_ab=5); G.add_edge('RUS', 'e2', n_ab=3)\n"
        "G.add_edges_from((f'z{i}', 'RUS') for i in range(60))\n"  # left out: the view iterates its node set
        "H = G.subgraph([n for n in G.nodes if not n.startswith('z')]).copy()\n"
        "fig = P.network(H, highlight=['RUS'], seed=0, edge_weight_attr='n_ab')\n"
        "buf = io.BytesIO(); fig.savefig(buf, format='svg', metadata={'Date': None, 'Creator': None})\n"
        "print(hashlib.sha1(buf.getvalue()).hexdigest())\n")
    env = dict(os.environ)
    out = set()
    for seed in ("1", "2", "3"):
        env["PYTHONHASHSEED"] = seed
        out.add(subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True,
                               check=True).stdout.strip())
    assert len(out) == 1, out


def test_poisson_rate_bootstrap_adds_up_over_partitions_and_agrees_with_the_bootstrap(sample_dir):
    from analysis import extract_mentions, load_corpus
    from analysis.stats.rates import (add_rate_sums, mention_rate_intervals, poisson_rate_intervals,
                                      poisson_rate_sums, poisson_weights)

    arts = load_corpus(sample_dir, progress=False)
    m = extract_mentions(arts, progress=False)
    focus = ["RUS", "SYR", "IRN"]
    whole = poisson_rate_sums(articles=arts, mentions=m, focus=focus, resolve="country", n_resamples=2000, seed=3)
    # the same corpus cut into three partitions: the weighted sums are the same (weights follow the ids)
    cuts = np.array_split(np.arange(len(arts)), 3)
    parts = []
    for idx in cuts:
        a = arts.iloc[idx]
        parts.append(poisson_rate_sums(articles=a, mentions=m[m.article_id.isin(set(a.article_id))], focus=focus,
                                       resolve="country", n_resamples=2000, seed=3, block=7))
    added = add_rate_sums(parts)
    assert np.allclose(added["words"], whole["words"]) and np.allclose(added["mentions"], whole["mentions"])
    # another seed draws other weights; the weights are Poisson(1): mean and variance 1
    other = poisson_rate_sums(articles=arts, mentions=m, focus=focus, resolve="country", n_resamples=50, seed=4)
    assert not np.allclose(other["words"], whole["words"][:50])
    w = poisson_weights(pd.Series([f"x{i}" for i in range(50_000)]), 0, 20, seed=0)
    assert abs(w.mean() - 1) < 0.01 and abs(w.var() - 1) < 0.02
    # the interval agrees with the multinomial bootstrap to Monte Carlo error
    got = poisson_rate_intervals(whole).set_index("entity")
    ref = mention_rate_intervals(articles=arts, mentions=m, focus=focus, freq=None, resolve="country",
                                 n_resamples=2000, seed=3).set_index("entity")
    for e in focus:
        width = ref.loc[e, "per_1k_words_high"] - ref.loc[e, "per_1k_words_low"]
        assert width > 0
        for c in ("per_1k_words_low", "per_1k_words_high"):
            assert abs(got.loc[e, c] - ref.loc[e, c]) < 0.15 * width, (e, c)
        assert got.loc[e, "per_1k_words_low"] < ref.loc[e, "per_1k_words"] < got.loc[e, "per_1k_words_high"]


def test_poisson_rate_request_on_dask_equals_the_partition_sums(sample_dir):
    # the counting pass's rate_boot request: the same sums as poisson_rate_sums over the whole corpus
    pytest.importorskip("dask.dataframe")
    from analysis import extract_mentions, load_corpus
    from analysis.dask.counts import _partition_tables, _rate_boot_result, _spec_key, rate_boot_request
    from analysis.stats.rates import poisson_rate_intervals, poisson_rate_sums

    arts = load_corpus(sample_dir, progress=False)
    m = extract_mentions(arts, progress=False)
    kind, spec = rate_boot_request(["SYR", "RUS", "IRN"], "country", n_resamples=300, seed=5)
    halves = np.array_split(np.arange(len(arts)), 2)
    tables = []
    for idx in halves:
        a = arts.iloc[idx].reset_index(drop=True)
        tables.append(_partition_tables(a, m[m.article_id.isin(set(a.article_id))], [(kind, spec)])[_spec_key(kind, spec)])
    added = pd.concat(tables).groupby("resample").sum().reset_index()
    got = _rate_boot_result(added, spec)
    want = poisson_rate_intervals(poisson_rate_sums(articles=arts, mentions=m, focus=["RUS", "SYR", "IRN"],
                                                    resolve="country", n_resamples=300, seed=5))
    pd.testing.assert_frame_equal(got, want)
