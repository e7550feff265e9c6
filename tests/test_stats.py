"""analysis.stats: intervals, clustered event inference, balanced shares, periods, partners, findings."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.stats.balance import balanced_shares
from analysis.stats.event import event_window, event_windows, read_events
from analysis.stats.intervals import bh_adjust, bootstrap_ci, newcombe_diff, wilson
from analysis.stats.partners import mask_rare, specific_partners
from analysis.stats.periods import choose_freq, period_table
from analysis.stats.summary import glossary_table, key_findings, wide_table


# ----------------------------------------------------------------- intervals

@pytest.mark.parametrize("k1,n1,k2,n2,d,lo,hi", [
    # Newcombe (1998), Table II, method 10 (hybrid score): (a) 56/70 - 48/80, (b) 9/10 - 3/10
    (48, 80, 56, 70, 0.2000, 0.0524, 0.3339),
    (3, 10, 9, 10, 0.6000, 0.1705, 0.8090),
])
def test_newcombe_against_published_examples(k1, n1, k2, n2, d, lo, hi):
    diff, low, high = newcombe_diff(k1, n1, k2, n2)
    assert diff == pytest.approx(d, abs=1e-4)
    assert low == pytest.approx(lo, abs=1e-4)
    assert high == pytest.approx(hi, abs=1e-4)


def test_newcombe_empty_side_is_nan():
    d, lo, hi = newcombe_diff([1, 2], [0, 10], [3, 4], [10, 10])
    assert np.isnan(d[0]) and np.isnan(lo[0]) and np.isnan(hi[0])
    assert lo[1] < d[1] < hi[1]


def test_wilson_matches_statsmodels_formula():
    # Wilson interval for 7/20 at 95 %: 0.1812 to 0.5671 (Agresti & Coull 1998)
    lo, hi = wilson(7, 20)
    assert float(lo) == pytest.approx(0.1812, abs=1e-4)
    assert float(hi) == pytest.approx(0.5671, abs=1e-4)
    lo90, hi90 = wilson(7, 20, level=0.90)
    assert lo < lo90 < hi90 < hi


def test_bh_adjust_by_hand():
    q = bh_adjust([0.01, 0.04, 0.03, 0.20, np.nan])
    assert q[:4] == pytest.approx([0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.20])
    assert np.isnan(q[4])


def test_bh_adjust_equals_statsmodels():
    sm = pytest.importorskip("statsmodels.stats.multitest")
    p = np.random.default_rng(1).uniform(size=200) ** 3
    assert bh_adjust(p) == pytest.approx(sm.multipletests(p, method="fdr_bh")[1])


def test_bootstrap_by_cluster_is_seeded_and_wider_for_clustered_data():
    rng = np.random.default_rng(0)
    day_effect = rng.normal(0, 1, 30)
    df = pd.DataFrame({"day": np.repeat(np.arange(30), 20)})
    df["y"] = day_effect[df["day"]] + rng.normal(0, 0.1, len(df))
    mean = lambda d: d["y"].mean()  # noqa: E731
    a = bootstrap_ci(df, mean, cluster="day", n=400, seed=3)
    assert a == bootstrap_ci(df, mean, cluster="day", n=400, seed=3)
    rows = bootstrap_ci(df, mean, cluster=None, n=400, seed=3)
    assert a[0] == pytest.approx(df["y"].mean())
    assert a[1] < a[0] < a[2]
    assert (a[2] - a[1]) > 3 * (rows[2] - rows[1])  # rows look independent; days are not


# ----------------------------------------------------------------- event windows

def _corpus(before_days, after_days, event="2020-03-10"):
    """Articles per day offset: before_days/after_days map offset -> (n_articles, n_with_RUS)."""
    ev = pd.Timestamp(event, tz="UTC")
    arts, ments = [], []
    for off, (n, k) in {**before_days, **after_days}.items():
        for i in range(n):
            aid = f"a{off:+d}_{i}"
            arts.append({"article_id": aid, "published": ev + pd.Timedelta(days=off, hours=9)})
            if i < k:
                ments.append({"article_id": aid, "entity_id": "putin", "entity_type": "person", "country": "RUS"})
    return pd.DataFrame(arts), pd.DataFrame(ments, columns=["article_id", "entity_id", "entity_type", "country"])


def test_event_window_counts_sides_and_event_day_apart():
    before = {-3: (10, 1), -2: (10, 2), -1: (10, 3)}
    after = {0: (5, 5), 1: (10, 5), 2: (10, 6), 3: (10, 7)}
    arts, ments = _corpus(before, after)
    t = event_window(arts, ments, "2020-03-10", days=3, focus=["RUS"], n_resamples=500)
    r = t.iloc[0]
    assert (r.articles_before, r.n_before, r.articles_after, r.n_after) == (30, 6, 30, 18)
    assert (r.articles_event_day, r.n_event_day) == (5, 5)
    assert r.share_before == pytest.approx(0.2) and r.share_after == pytest.approx(0.6)
    assert r["diff"] == pytest.approx(0.4)
    d, lo, hi = newcombe_diff(6, 30, 18, 30)
    assert (r.diff_low, r.diff_high) == (pytest.approx(float(lo)), pytest.approx(float(hi)))
    from scipy.stats import chi2_contingency
    assert r.p_naive == pytest.approx(chi2_contingency([[6, 24], [18, 12]], correction=False)[1])
    assert r.window == "2020-03-07..2020-03-13" and r.days_before == 3 and r.days_after == 3
    assert "permutation" in r.method


def test_event_window_uses_only_articles_inside_it():
    before = {-2: (10, 2), -1: (10, 2)}
    after = {1: (10, 4), 2: (10, 4)}
    arts, ments = _corpus(before, after)
    base = event_window(arts, ments, "2020-03-10", days=2, focus=["RUS"], n_resamples=200)
    far_arts, far_ments = _corpus({-40: (50, 50), -3: (30, 30)}, {3: (40, 0), 90: (20, 20)})
    undated = pd.DataFrame({"article_id": ["u1"], "published": [pd.NaT]})
    both_a = pd.concat([arts, far_arts, undated], ignore_index=True)
    both_m = pd.concat([ments, far_ments, pd.DataFrame([{"article_id": "u1", "entity_id": "RUS",
                                                          "entity_type": "country", "country": "RUS"}])])
    again = event_window(both_a, both_m, "2020-03-10", days=2, focus=["RUS"], n_resamples=200)
    pd.testing.assert_frame_equal(base, again)


def test_clustered_p_is_exact_permutation_distribution():
    # 2 days per side: all 6 ways of choosing the 'after' days are equally likely
    before = {-2: (10, 1), -1: (10, 2)}
    after = {1: (10, 8), 2: (10, 9)}
    arts, ments = _corpus(before, after)
    r = event_window(arts, ments, "2020-03-10", days=2, focus=["RUS"], n_resamples=20000, seed=1).iloc[0]
    # exact: only the observed split and its mirror are as extreme: p = 2/6
    assert r.p_clustered == pytest.approx(2 / 6, abs=0.015)
    assert r.p_naive < 1e-4  # the naive test is far more confident
    assert r.boot_low <= r["diff"] <= r.boot_high


def test_event_window_is_seeded_and_validates():
    arts, ments = _corpus({-1: (10, 2), -2: (8, 1)}, {1: (10, 5), 2: (7, 3)})
    a = event_window(arts, ments, "2020-03-10", days=2, focus=["RUS", "SYR"], seed=5)
    b = event_window(arts, ments, "2020-03-10", days=2, focus=["RUS", "SYR"], seed=5)
    pd.testing.assert_frame_equal(a, b)
    assert a.loc[a.entity == "SYR", "n_after"].item() == 0
    with pytest.raises(ValueError, match="days"):
        event_window(arts, ments, "2020-03-10", days=0)


def test_several_events_labelled(tmp_path):
    arts, ments = _corpus({-1: (10, 2)}, {1: (10, 5), 20: (10, 1), 22: (10, 9)})
    csv = tmp_path / "events.csv"
    csv.write_text("date,label\n2020-03-31,later\n2020-03-10,first\n", encoding="utf-8")
    t = event_windows(arts, ments, csv, days=2, focus=["RUS"], n_resamples=100)
    assert list(t["event"]) == ["first", "later"]
    assert list(read_events(["2020-01-01"])["label"]) == ["2020-01-01"]
    with pytest.raises(ValueError, match="not a date"):
        read_events(["2020-13-45"])


# ----------------------------------------------------------------- balance, periods, partners

def test_balanced_shares_hold_the_outlet_mix():
    cov = pd.DataFrame({
        "period": ["2018-08", "2018-08", "2018-09"],
        "outlet": ["A", "B", "A"],
        "entity": ["IRN"] * 3,
        "n_articles": [100, 100, 50],
        "n_with": [10, 30, 5],
    })
    t = balanced_shares(cov)
    aug, sep = t.iloc[0], t.iloc[1]
    assert aug.share == pytest.approx(0.2) and aug.share_mean == pytest.approx(0.2)
    # corpus weights: A 150/250, B 100/250
    assert aug.share_balanced == pytest.approx(0.6 * 0.1 + 0.4 * 0.3)
    assert sep.share == pytest.approx(0.1) and sep.share_balanced == pytest.approx(0.1)
    assert sep.outlets_missing == "B" and aug.outlets_missing == ""


def test_choose_freq_from_span():
    def span(days):
        return pd.Series(pd.date_range("2020-01-01", periods=2, freq=f"{days}D", tz="UTC"))
    assert choose_freq(span(20)) == "D"
    assert choose_freq(span(120)) == "W"
    assert choose_freq(span(700)) == "M"
    assert choose_freq(span(365 * 5)) == "Q"
    assert choose_freq(span(365 * 20)) == "Y"
    assert choose_freq(pd.Series([pd.NaT])) == "M"


def test_period_table_marks_partial_periods():
    pub = pd.Series(pd.to_datetime(["2018-02-15", "2018-03-01", "2018-03-31", "2018-04-10"], utc=True))
    t = period_table(pub, "M")
    assert list(t["period"]) == ["2018-02", "2018-03", "2018-04"]
    assert list(t["partial"]) == [True, False, True]
    assert list(t["n_articles"]) == [1, 2, 1]
    w = period_table(pub, "W")
    assert w["partial"].iloc[0] and w["partial"].iloc[-1]


def _comentions():
    rows = [("RUS", "USA", 500, 3000, 9000), ("RUS", "moscow", 300, 3000, 600), ("RUS", "putin", 25, 3000, 40),
            ("RUS", "tiny", 3, 3000, 3)]
    df = pd.DataFrame(rows, columns=["entity_a", "entity_b", "n_ab", "n_a", "n_b"])
    df["n_windows"] = 20000
    p_ab, p_a, p_b = df.n_ab / df.n_windows, df.n_a / df.n_windows, df.n_b / df.n_windows
    df["pmi"] = np.log(p_ab / (p_a * p_b))
    df["npmi"] = df["pmi"] / -np.log(p_ab)
    df["jaccard"] = df.n_ab / (df.n_a + df.n_b - df.n_ab)
    df["llr"] = 10.0 * df["npmi"]
    return df


def test_specific_partners_rank_by_npmi_with_min_count():
    t = specific_partners(_comentions(), focus=["RUS"], n=5, min_count=20)
    assert list(t["partner"]) == ["moscow", "putin", "USA"]  # 'tiny' is below the minimum count
    assert list(t["rank"]) == [1, 2, 3]
    assert (t["p_adjusted"] >= t["p_value"]).all()
    m = mask_rare(_comentions(), min_count=20)
    assert np.isnan(m.loc[3, "npmi"]) and not np.isnan(m.loc[2, "npmi"])


def test_key_findings_and_reading_aids():
    cov = pd.DataFrame({"entity": ["RUS", "IRN"], "share": [0.15, 0.17], "share_low": [0.14, 0.16],
                        "share_high": [0.16, 0.18]})
    arts, ments = _corpus({-1: (10, 2)}, {1: (10, 6)})
    ev = event_window(arts, ments, "2020-03-10", days=1, focus=["RUS"], n_resamples=100)
    lines = key_findings({"coverage_total": cov, "event": ev, "partners": specific_partners(_comentions(), ["RUS"])},
                         labels={"RUS": "Russia", "IRN": "Iran"})
    assert lines[0].startswith("Share of articles mentioning each focus entity: Iran 17.0 %")
    assert any("Russia's share rose from 20.0 % to 60.0 %" in s for s in lines)
    assert any(s.startswith("Most specific partners of Russia: moscow (NPMI 0.29") for s in lines)
    assert key_findings({}) == []
    g = glossary_table(["share", "npmi", "share", "nonsense"])
    assert list(g["column"]) == ["share", "npmi"]
    wide = wide_table(pd.DataFrame({"period": ["b", "a", "a"], "entity": ["X", "X", "Y"], "share": [0.5, 0.25, 0.1]}))
    assert list(wide.index) == ["a", "b"] and wide.loc["a", "X"] == "25.0 %" and wide.loc["b", "Y"] == "–"
