"""Coverage, top partners, focus triangle, event change (analysis.measures.compare)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.measures.comention import count_comentions
from analysis.measures.compare import coverage, event_change, focus_triangle, top_partners, wilson_interval

MCOLS = ["article_id", "field", "paragraph", "sentence", "entity_id", "entity_type", "country"]


def _corpus():
    """6 articles: March (a1-a3, outlet x/y), April (a4-a5), one undated (a6)."""
    arts = pd.DataFrame(
        {
            "article_id": [f"a{i}" for i in range(1, 7)],
            "title": ["روسيا وسوريا", "خبر", "عنوان", "إيران", "خبر آخر", "بلا تاريخ"],
            "text": ["كلمة " * 8, "كلمة " * 10, "كلمة " * 10, "كلمة " * 9, "كلمة " * 10, "كلمة " * 3],
            "published": pd.to_datetime(
                ["2018-03-01", "2018-03-10", "2018-03-20", "2018-04-02", "2018-04-15", None], utc=True
            ),
            "outlet": ["x", "y", "x", "x", "y", "y"],
        }
    )
    m = pd.DataFrame(
        [
            ("a1", "title", 0, 0, "RUS", "country", "RUS"),
            ("a1", "title", 0, 0, "SYR", "country", "SYR"),
            ("a1", "text", 1, 0, "RUS", "country", "RUS"),
            ("a2", "text", 1, 0, "putin", "person", "RUS"),
            ("a2", "text", 1, 1, "IRN", "country", "IRN"),
            ("a3", "text", 1, 0, "SYR", "country", "SYR"),
            ("a4", "title", 0, 0, "IRN", "country", "IRN"),
            ("a4", "text", 1, 0, "SYR", "country", "SYR"),
            ("a4", "text", 1, 0, "RUS", "country", "RUS"),
            ("a6", "text", 1, 0, "IRN", "country", "IRN"),
        ],
        columns=MCOLS,
    )
    return arts, m


def test_wilson_interval_by_hand():
    low, high = wilson_interval([1, 0, 5], [2, 10, 5])
    # k=1, n=2: centre 0.5, half-width z*sqrt(1/8 + z^2/16)/(1 + z^2/2)
    z = 1.959963984540054
    half = z * math.sqrt(0.125 + z * z / 16) / (1 + z * z / 2)
    assert low[0] == pytest.approx(0.5 - half) and high[0] == pytest.approx(0.5 + half)
    assert low[1] == 0.0 and high[1] == pytest.approx(z * z / (10 + z * z))
    assert high[2] == 1.0 and low[2] == pytest.approx(5 / (5 + z * z))
    low, high = wilson_interval([0], [0])
    assert np.isnan(low[0]) and np.isnan(high[0])


def test_coverage_counts_shares_and_rates():
    arts, m = _corpus()
    cov = coverage(arts, m, focus=["RUS", "SYR", "IRN"], freq="M")
    assert list(cov.columns) == ["period", "entity", "n_articles", "n_with", "share", "share_low", "share_high",
                                 "n_mentions", "n_words", "per_1k_words"]
    c = cov.set_index(["period", "entity"])
    assert c.loc[("2018-03", "RUS"), ["n_articles", "n_with", "n_mentions"]].tolist() == [3, 1, 2]
    assert c.loc[("2018-03", "RUS"), "share"] == pytest.approx(1 / 3)
    # words: a1 2+8, a2 1+10, a3 1+10 = 32
    assert c.loc[("2018-03", "RUS"), "n_words"] == 32
    assert c.loc[("2018-03", "RUS"), "per_1k_words"] == pytest.approx(1000 * 2 / 32)
    assert c.loc[("2018-04", "SYR"), "n_with"] == 1 and c.loc[("2018-04", "SYR"), "n_articles"] == 2
    assert c.loc[("undated", "IRN"), ["n_articles", "n_with"]].tolist() == [1, 1]
    assert (cov.share_low <= cov.share).all() and (cov.share <= cov.share_high).all()
    # resolve: putin counts for RUS
    r = coverage(arts, m, focus=["RUS"], freq="M", resolve="country").set_index(["period", "entity"])
    assert r.loc[("2018-03", "RUS"), ["n_with", "n_mentions"]].tolist() == [2, 3]
    # by outlet; totals add up to the whole corpus
    o = coverage(arts, m, focus=["RUS", "SYR", "IRN"], freq=None, by="outlet")
    assert set(o.period) == {"all"}
    whole = coverage(arts, m, focus=["RUS", "SYR", "IRN"], freq=None)
    for col in ("n_articles", "n_with", "n_mentions", "n_words"):
        assert o.groupby("entity")[col].sum().tolist() == whole.set_index("entity")[col].tolist()


def test_top_partners_rank_and_filter():
    arts, m = _corpus()
    t = count_comentions(arts, m, level="article")
    tp = top_partners(t, focus=["RUS"], n=5)
    # RUS articles: a1 (SYR), a4 (IRN, SYR)
    assert tp.partner.tolist() == ["SYR", "IRN"] and tp["rank"].tolist() == [1, 2]
    assert tp.n_ab.tolist() == [2, 1] and (tp.entity == "RUS").all()
    assert top_partners(t, focus=["RUS"], n=1).partner.tolist() == ["SYR"]
    assert top_partners(t, focus=["RUS"], by="npmi").empty  # min_count 5 by default for measures
    by_npmi = top_partners(t, focus=["SYR"], by="npmi", min_count=1)
    assert by_npmi.npmi.is_monotonic_decreasing
    with pytest.raises(ValueError, match="by must be"):
        top_partners(t, by="count")


def test_focus_triangle_zero_filled():
    arts, m = _corpus()
    tri = focus_triangle(arts, m, freq="M")
    assert len(tri) == 3 * 3  # 3 pairs x (2018-03, 2018-04, undated)
    t = tri.set_index(["period", "pair"])
    assert t.loc[("2018-03", "RUS-SYR"), ["n_ab", "n_a", "n_b", "n_windows"]].tolist() == [1, 1, 2, 3]
    assert t.loc[("2018-03", "IRN-RUS"), "n_ab"] == 0
    assert t.loc[("2018-03", "IRN-RUS"), "npmi"] == -1.0  # both present, never together
    assert t.loc[("2018-04", "IRN-SYR"), "share_ab"] == pytest.approx(0.5)
    assert np.isnan(t.loc[("undated", "RUS-SYR"), "npmi"])  # neither present
    # against the co-mention table where the pair occurs
    cm = count_comentions(arts, m, level="article", by="period").set_index(["period", "entity_a", "entity_b"])
    for r in tri[tri.n_ab > 0].itertuples():
        assert cm.loc[(r.period, r.entity_a, r.entity_b), "npmi"] == pytest.approx(r.npmi)


def _event_corpus():
    rng = np.random.default_rng(7)
    n = 400
    dates = pd.to_datetime("2018-04-01", utc=True) + pd.to_timedelta(rng.integers(-60, 60, n), unit="D")
    arts = pd.DataFrame({"article_id": [f"e{i}" for i in range(n)], "title": "", "text": "",
                         "published": dates, "outlet": "x"})
    after = (dates >= pd.Timestamp("2018-04-01", tz="UTC"))
    # SYR in 20 % before, 50 % after; RUS always with SYR in half of the SYR articles
    syr = rng.random(n) < np.where(after, 0.5, 0.2)
    rus = rng.random(n) < 0.3
    rows = [(a, "text", 1, 0, "SYR", "country", "SYR") for a in arts.article_id[syr]]
    rows += [(a, "text", 1, 0, "RUS", "country", "RUS") for a in arts.article_id[rus]]
    return arts, pd.DataFrame(rows, columns=MCOLS), after, syr, rus


def test_event_change_test_and_effect_size():
    from scipy import stats

    arts, m, after, syr, rus = _event_corpus()
    ev = event_change(arts, m, "2018-04-01", focus=["RUS", "SYR"])
    row = ev[(ev.measure == "share") & (ev.entity_a == "SYR")].iloc[0]
    kb, nb, ka, na = int((syr & ~after).sum()), int((~after).sum()), int((syr & after).sum()), int(after.sum())
    assert (row.k_before, row.n_before, row.k_after, row.n_after) == (kb, nb, ka, na)
    assert row.p_after - row.p_before == pytest.approx(row["diff"])
    h = 2 * math.asin(math.sqrt(ka / na)) - 2 * math.asin(math.sqrt(kb / nb))
    assert row.cohen_h == pytest.approx(h) and row.cohen_h > 0.5
    chi2, p, _, _ = stats.chi2_contingency([[kb, nb - kb], [ka, na - ka]], correction=False)
    assert row.test == "chi2" and row.statistic == pytest.approx(chi2) and row.p_value == pytest.approx(p)
    assert row.p_value < 1e-6
    co = ev[ev.measure == "comention"].iloc[0]
    assert (co.entity_a, co.entity_b) == ("RUS", "SYR")
    assert co.k_before == int((syr & rus & ~after).sum()) and co.k_after == int((syr & rus & after).sum())
    assert -1 <= co.npmi_before <= 1 and -1 <= co.npmi_after <= 1
    # a window of 10 days each side keeps fewer articles
    short = event_change(arts, m, "2018-04-01", focus=["SYR"], days=10)
    assert short.n_before.iloc[0] < nb and short.n_after.iloc[0] < na


def test_event_change_small_counts_use_fisher():
    arts, m = _corpus()
    ev = event_change(arts, m, "2018-03-15", focus=["IRN"])
    r = ev.iloc[0]
    # undated a6 left out: before a1, a2 (IRN in a2); after a3, a4, a5 (IRN in a4)
    assert (r.k_before, r.n_before, r.k_after, r.n_after) == (1, 2, 1, 3)
    assert r.test == "fisher" and r.p_value == pytest.approx(1.0)


def test_public_functions_callable_after_submodule_import():
    """The functions analysis.coverage and analysis.keyness stay functions after their modules (analysis.measures.compare, analysis.measures.keywords) are imported."""
    import subprocess
    import sys

    code = (
        "from analysis.measures.keywords import kwic\n"
        "from analysis.measures.compare import top_partners\n"
        "import analysis\n"
        "assert callable(analysis.keyness) and callable(analysis.coverage)\n"
        "import pandas as pd\n"
        "arts = pd.DataFrame({'article_id': ['a'], 'title': [''], 'text': ['x'],"
        " 'published': pd.to_datetime(['2018-01-01'], utc=True), 'outlet': ['o']})\n"
        "m = pd.DataFrame(columns=['article_id', 'field', 'paragraph', 'sentence', 'entity_id'])\n"
        "print(len(analysis.coverage(arts, m, focus=['RUS'])))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1"


def test_coverage_same_from_threads_as_serially():
    """No per-call module state: coverage from four threads at once equals the serial tables."""
    from concurrent.futures import ThreadPoolExecutor

    arts, m = _corpus()
    jobs = [dict(freq="M"), dict(freq="W", by="outlet"), dict(freq=None, resolve="country"), dict(freq="D")] * 2
    serial = [coverage(arts, m, focus=["RUS", "SYR", "IRN"], **kw) for kw in jobs]
    with ThreadPoolExecutor(4) as pool:
        threaded = list(pool.map(lambda kw: coverage(arts, m, focus=["RUS", "SYR", "IRN"], **kw), jobs))
    for a, b in zip(serial, threaded):
        pd.testing.assert_frame_equal(a, b)


def test_coverage_with_words_counted_once():
    """``words=`` (count_words of the articles, e.g. shared by several coverage tables) gives the same
    table; a misaligned Series is refused; other counts change n_words and per_1k_words only."""
    from analysis.measures.compare import count_words

    arts, m = _corpus()
    words = count_words(arts)
    for by in (None, "outlet"):
        pd.testing.assert_frame_equal(coverage(arts, m, freq="M", by=by, words=words),
                                      coverage(arts, m, freq="M", by=by))
    doubled = coverage(arts, m, freq=None, words=words * 2)
    plain = coverage(arts, m, freq=None)
    assert (doubled["n_words"] == 2 * plain["n_words"]).all()
    pd.testing.assert_series_equal(doubled["n_with"], plain["n_with"])
    with pytest.raises(ValueError, match="words has 2 rows"):
        coverage(arts, m, words=words.iloc[:2])
