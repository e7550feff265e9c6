"""Co-mention counts and association measures (analysis.measures.comention)."""
from __future__ import annotations

from collections import Counter
from itertools import combinations
import math

import numpy as np
import pandas as pd
import pytest

from analysis.measures.comention import (
    association_measures,
    comention_graph,
    comention_matrix,
    count_comentions,
    count_entities,
    count_windows,
    period_labels,
)

MCOLS = ["article_id", "field", "paragraph", "sentence", "entity_id", "entity_type", "country"]


def _articles(ids, dates=None, outlets=None):
    n = len(ids)
    return pd.DataFrame(
        {
            "article_id": ids,
            "title": ["t"] * n,
            "text": ["x"] * n,
            "published": pd.to_datetime(dates if dates is not None else ["2018-03-05"] * n, utc=True),
            "outlet": outlets if outlets is not None else ["o"] * n,
        }
    )


def _article_level_table():
    """10 articles; A in 4, B in 5, both in 3 (articles 0-2)."""
    rows = []
    for i in range(4):
        rows.append((f"d{i}", "text", 1, 0, "A", "country", "A"))
    for i in (0, 1, 2, 4, 5):
        rows.append((f"d{i}", "text", 1, 1, "B", "country", "B"))
    return pd.DataFrame(rows, columns=MCOLS), _articles([f"d{i}" for i in range(10)])


def test_measures_by_hand_article_level():
    m, arts = _article_level_table()
    t = count_comentions(arts, m, level="article")
    assert list(t.columns) == [
        "entity_a", "entity_b", "level", "n_ab", "n_a", "n_b", "n_windows", "pmi", "npmi", "jaccard", "llr",
    ]
    r = t.iloc[0]
    assert (r.entity_a, r.entity_b, r.level, r.n_ab, r.n_a, r.n_b, r.n_windows) == ("A", "B", "article", 3, 4, 5, 10)
    assert r.pmi == pytest.approx(math.log(1.5))
    assert r.npmi == pytest.approx(math.log(1.5) / -math.log(0.3))
    assert r.jaccard == pytest.approx(0.5)
    # 2x2: both 3, A only 1, B only 2, neither 4; expected 2, 2, 3, 3
    g2 = 2 * (3 * math.log(3 / 2) + 1 * math.log(1 / 2) + 2 * math.log(2 / 3) + 4 * math.log(4 / 3))
    assert r.llr == pytest.approx(g2)
    assert r.llr > 0


def test_llr_negative_when_below_expected():
    # 10 windows, A in 5, B in 5, together only once (expected 2.5)
    r = association_measures(1, 5, 5, 10).iloc[0]
    g2 = 2 * (1 * math.log(1 / 2.5) + 4 * math.log(4 / 2.5) + 4 * math.log(4 / 2.5) + 1 * math.log(1 / 2.5))
    assert r.llr == pytest.approx(-g2)
    assert r.pmi == pytest.approx(math.log(1 * 10 / 25))
    assert r.npmi < 0
    # independence: llr 0, pmi 0
    r = association_measures(2, 4, 5, 10).iloc[0]
    assert r.llr == pytest.approx(0.0, abs=1e-12) and r.pmi == pytest.approx(0.0, abs=1e-12)


def test_measure_edge_cases():
    t = association_measures([0, 7, 0, 0, 0], [3, 7, 0, 0, 0], [4, 7, 5, 0, 0], [10, 7, 10, 10, 0])
    # n_ab = 0: pmi -inf, npmi -1, jaccard 0
    assert t.pmi[0] == -np.inf and t.npmi[0] == -1.0 and t.jaccard[0] == 0.0 and t.llr[0] < 0
    # n_ab = n_windows: npmi 1, pmi 0, llr 0
    assert t.npmi[1] == 1.0 and t.pmi[1] == 0.0 and t.jaccard[1] == 1.0 and t.llr[1] == 0.0
    # one entity absent: pmi/npmi NaN, llr 0, jaccard 0
    assert np.isnan(t.pmi[2]) and np.isnan(t.npmi[2]) and t.llr[2] == 0.0 and t.jaccard[2] == 0.0
    # both absent: jaccard NaN
    assert np.isnan(t.jaccard[3])
    # empty group: everything NaN
    assert t.iloc[4].isna().all()
    with pytest.raises(ValueError, match="inconsistent"):
        association_measures(3, 2, 5, 10)


def test_window_counts_once_per_pair_and_levels():
    m = pd.DataFrame(
        [
            ("a1", "title", 0, 0, "RUS", "country", "RUS"),
            ("a1", "text", 1, 0, "RUS", "country", "RUS"),
            ("a1", "text", 1, 0, "RUS", "country", "RUS"),  # repeated name, same sentence
            ("a1", "text", 1, 0, "SYR", "country", "SYR"),
            ("a1", "text", 1, 0, "SYR", "country", "SYR"),
            ("a1", "text", 1, 1, "IRN", "country", "IRN"),
            ("a2", "text", 1, 0, "IRN", "country", "IRN"),
            ("a2", "text", 2, 0, "SYR", "country", "SYR"),
        ],
        columns=MCOLS,
    )
    arts = _articles(["a1", "a2", "a3"])
    windows = pd.DataFrame(
        {
            "article_id": ["a1", "a1", "a2", "a2", "a3", "a3"],
            "field": ["title", "text"] * 3,
            "n_paragraphs": [1, 3, 1, 2, 1, 1],
            "n_sentences": [1, 6, 1, 3, 1, 2],
        }
    )
    s = count_comentions(arts, m, level="sentence", windows=windows).set_index(["entity_a", "entity_b"])
    assert list(s.index) == [("RUS", "SYR")]
    assert s.loc[("RUS", "SYR"), ["n_ab", "n_a", "n_b", "n_windows"]].tolist() == [1, 2, 2, 14]
    p = count_comentions(arts, m, level="paragraph", windows=windows).set_index(["entity_a", "entity_b"])
    assert sorted(p.index) == [("IRN", "RUS"), ("IRN", "SYR"), ("RUS", "SYR")]
    assert p.loc[("IRN", "SYR"), ["n_ab", "n_a", "n_b", "n_windows"]].tolist() == [1, 2, 2, 9]
    assert p.loc[("RUS", "SYR"), "n_a"] == 2  # title paragraph + text paragraph 1
    a = count_comentions(arts, m, level="article").set_index(["entity_a", "entity_b"])
    assert a.loc[("IRN", "SYR"), ["n_ab", "n_a", "n_b", "n_windows"]].tolist() == [2, 2, 2, 3]
    assert a.loc[("RUS", "SYR"), "n_ab"] == 1


def test_windows_guard_warns_when_segmentation_undercounts():
    m = pd.DataFrame(
        [("a1", "text", 1, 0, "A", "country", "A"), ("a1", "text", 1, 5, "B", "country", "B")], columns=MCOLS
    )
    windows = pd.DataFrame({"article_id": ["a1"], "field": ["text"], "n_paragraphs": [1], "n_sentences": [1]})
    with pytest.warns(UserWarning, match="more sentence windows"):
        e = count_entities(_articles(["a1"]), m, level="sentence", windows=windows)
    assert e["n_windows"].tolist() == [2, 2]


def _random_corpus(seed=0, n_articles=60, n_mentions=700):
    rng = np.random.default_rng(seed)
    ents = ["RUS", "SYR", "IRN", "USA", "putin", "moscow", "assad", "un"]
    etype = {"RUS": "country", "SYR": "country", "IRN": "country", "USA": "country",
             "putin": "person", "moscow": "place", "assad": "person", "un": "organization"}
    ecountry = {"RUS": "RUS", "SYR": "SYR", "IRN": "IRN", "USA": "USA", "putin": "RUS", "moscow": "RUS",
                "assad": "SYR", "un": None}
    ids = [f"art{i:03d}" for i in range(n_articles)]
    dates = pd.to_datetime("2018-02-01") + pd.to_timedelta(rng.integers(0, 200, n_articles), unit="D")
    dates = pd.Series(dates).where(rng.random(n_articles) > 0.1)  # some undated
    arts = _articles(ids, dates=dates, outlets=rng.choice(["bbc", "cnn", "sky"], n_articles).tolist())
    art = rng.choice(ids, n_mentions)
    field = rng.choice(["title", "text"], n_mentions, p=[0.2, 0.8])
    para = np.where(field == "title", 0, rng.integers(1, 4, n_mentions))
    sent = np.where(field == "title", 0, rng.integers(0, 3, n_mentions))
    ent = rng.choice(ents, n_mentions)
    m = pd.DataFrame({"article_id": art, "field": field, "paragraph": para, "sentence": sent, "entity_id": ent,
                      "entity_type": [etype[e] for e in ent], "country": [ecountry[e] for e in ent]})
    windows = pd.DataFrame({"article_id": np.repeat(ids, 2), "field": ["title", "text"] * n_articles,
                            "n_paragraphs": [1, 4] * n_articles, "n_sentences": [1, 12] * n_articles})
    return m, arts, windows


def _brute_force(m, level, entity_col="entity_id"):
    """Reference counts by explicit loops over windows."""
    keys = {"sentence": ["article_id", "field", "paragraph", "sentence"],
            "paragraph": ["article_id", "field", "paragraph"], "article": ["article_id"]}[level]
    pairs, single = Counter(), Counter()
    for _, g in m.groupby(keys):
        ents = sorted(set(g[entity_col]))
        single.update(ents)
        pairs.update(combinations(ents, 2))
    return pairs, single


@pytest.mark.parametrize("level", ["sentence", "paragraph", "article"])
def test_matches_brute_force_and_invariants(level):
    m, arts, windows = _random_corpus()
    t = count_comentions(arts, m, level=level, windows=windows)
    pairs, single = _brute_force(m, level)
    got = {(a, b): n for a, b, n in zip(t.entity_a, t.entity_b, t.n_ab)}
    assert got == dict(pairs)
    assert all(t.n_a == [single[a] for a in t.entity_a]) and all(t.n_b == [single[b] for b in t.entity_b])
    assert (t.entity_a < t.entity_b).all()
    assert (t.n_ab <= np.minimum(t.n_a, t.n_b)).all()
    assert t.npmi.between(-1, 1).all()
    n_total = {"sentence": 13 * 60, "paragraph": 5 * 60, "article": 60}[level]
    assert (t.n_windows == n_total).all()
    # same result whatever the order of the mentions
    shuffled = m.sample(frac=1.0, random_state=3).reset_index(drop=True)
    pd.testing.assert_frame_equal(t, count_comentions(arts, shuffled, level=level, windows=windows))


@pytest.mark.parametrize("by", ["period", "outlet", ["period", "outlet"]])
@pytest.mark.parametrize("freq", ["W", "M"])
def test_grouped_counts_add_up(by, freq):
    m, arts, windows = _random_corpus(seed=1)
    whole = count_comentions(arts, m, level="sentence", windows=windows).set_index(["entity_a", "entity_b"])
    grouped = count_comentions(arts, m, level="sentence", by=by, freq=freq, windows=windows)
    summed = grouped.groupby(["entity_a", "entity_b"])["n_ab"].sum()
    pd.testing.assert_series_equal(summed, whole["n_ab"], check_names=False)
    gcols = [by] if isinstance(by, str) else by
    assert (grouped["n_windows"] > 0).all() and (grouped["n_windows"] < whole["n_windows"].max()).all()
    if "period" in gcols:
        assert "undated" in set(grouped["period"])
    # sorted deterministically by group then pair
    order = grouped.sort_values(gcols + ["entity_a", "entity_b"]).index
    assert list(order) == list(grouped.index)


def test_grouped_windows_sum_to_corpus():
    m, arts, windows = _random_corpus(seed=2)
    # add a mention of a rare entity to every article, so every group shows up in count_entities
    extra = pd.DataFrame({"article_id": arts.article_id, "field": "text", "paragraph": 1, "sentence": 0,
                          "entity_id": "ZZZ", "entity_type": "country", "country": "ZZZ"})
    mm = pd.concat([m, extra], ignore_index=True)
    for level, per in (("sentence", 13), ("paragraph", 5), ("article", 1)):
        ent = count_entities(arts, mm, level=level, by=["period", "outlet"], windows=windows)
        assert ent.drop_duplicates(["period", "outlet"])["n_windows"].sum() == per * len(arts)


def test_period_labels():
    s = pd.Series(pd.to_datetime(["2018-03-07 23:30", "2018-03-04 00:00", None], utc=True))
    assert period_labels(s, "M").tolist() == ["2018-03", "2018-03", "undated"]
    assert period_labels(s, "W").tolist() == ["2018-03-05", "2018-02-26", "undated"]  # ISO weeks start Monday
    assert period_labels(s, "Y").tolist() == ["2018", "2018", "undated"]
    with pytest.raises(ValueError, match="freq"):
        period_labels(s, "fortnight")
    assert period_labels(list(s), "M").tolist() == ["2018-03", "2018-03", "undated"]  # a list works too
    from analysis.measures.cooccurrence import period_start

    for freq, first in (("D", "2018-03-07"), ("W", "2018-03-05"), ("M", "2018-03-01"), ("Q", "2018-01-01"),
                        ("Y", "2018-01-01")):
        starts = period_start(period_labels(s, freq))
        assert starts.iloc[0] == pd.Timestamp(first) and pd.isna(starts.iloc[2]), freq
    assert period_start(["all", "2018-Q4"]).tolist()[1] == pd.Timestamp("2018-10-01")
    assert pd.isna(period_start(["all"]).iloc[0])


def test_resolve_country():
    m = pd.DataFrame(
        [
            ("a1", "text", 1, 0, "putin", "person", "RUS"),
            ("a1", "text", 1, 0, "RUS", "country", "RUS"),  # putin + RUS -> one entity, no self pair
            ("a1", "text", 1, 1, "moscow", "place", "RUS"),
            ("a1", "text", 1, 1, "SYR", "country", "SYR"),
            ("a1", "text", 1, 2, "un", "organization", None),
            ("a1", "text", 1, 2, "assad", "person", "SYR"),
        ],
        columns=MCOLS,
    )
    arts = _articles(["a1"])
    w = pd.DataFrame({"article_id": ["a1", "a1"], "field": ["title", "text"], "n_paragraphs": [1, 1],
                      "n_sentences": [1, 3]})
    raw = count_comentions(arts, m, level="sentence", windows=w)
    assert set(zip(raw.entity_a, raw.entity_b)) == {("RUS", "putin"), ("SYR", "moscow"), ("assad", "un")}
    res = count_comentions(arts, m, level="sentence", resolve="country", windows=w)
    assert set(zip(res.entity_a, res.entity_b)) == {("RUS", "SYR"), ("SYR", "un")}
    assert (res.entity_a != res.entity_b).all()
    r = res.set_index(["entity_a", "entity_b"]).loc[("RUS", "SYR")]
    assert (r.n_ab, r.n_a, r.n_b, r.n_windows) == (1, 2, 2, 4)


def test_min_count_and_bad_input():
    m, arts, windows = _random_corpus(seed=4)
    full = count_comentions(arts, m, level="paragraph", windows=windows)
    cut = count_comentions(arts, m, level="paragraph", min_count=3, windows=windows)
    pd.testing.assert_frame_equal(cut, full[full.n_ab >= 3].reset_index(drop=True))
    with pytest.raises(ValueError, match="min_count"):
        count_comentions(arts, m, min_count=0, windows=windows)
    with pytest.raises(ValueError, match="not in the articles table"):
        count_comentions(arts.iloc[:10], m, level="article")
    with pytest.raises(ValueError, match="level"):
        count_comentions(arts, m, level="page")
    with pytest.raises(ValueError, match="lacks column"):
        count_comentions(arts, m.drop(columns="sentence"), level="sentence", windows=windows)
    with pytest.raises(ValueError, match="by must be"):
        count_comentions(arts, m, level="article", by="author")


def test_matrix_symmetric_and_filled():
    m, arts = _article_level_table()
    extra = pd.DataFrame([("d7", "text", 1, 0, "C", "country", "C"), ("d0", "text", 1, 0, "C", "country", "C")],
                         columns=MCOLS)
    t = count_comentions(arts, pd.concat([m, extra]), level="article")
    n = comention_matrix(t, "n_ab")
    assert n.loc["A", "B"] == n.loc["B", "A"] == 3
    assert n.loc["A", "A"] == 4 and n.loc["B", "B"] == 5 and n.loc["C", "C"] == 2
    npmi = comention_matrix(t, "npmi", entities=["C", "B", "A"])
    assert list(npmi.index) == ["C", "B", "A"]
    assert np.allclose(npmi.to_numpy(), npmi.to_numpy().T, equal_nan=True)
    assert npmi.loc["A", "B"] == pytest.approx(math.log(1.5) / -math.log(0.3))
    grouped = count_comentions(_articles([f"d{i}" for i in range(10)], outlets=["x", "y"] * 5), m,
                               level="article", by="outlet")
    with pytest.raises(ValueError, match="several outlets"):
        comention_matrix(grouped)
    assert comention_matrix(grouped, outlet="x").loc["A", "B"] == 2


def test_graphml_round_trip(tmp_path):
    import networkx as nx

    m, arts, windows = _random_corpus(seed=5)
    t = count_comentions(arts, m, level="paragraph", windows=windows)
    path = tmp_path / "net.graphml"
    G = comention_graph(t, weight="npmi", min_count=2, path=path)
    H = nx.read_graphml(path)
    assert set(H.nodes) == set(G.nodes)
    assert {tuple(sorted(e)) for e in H.edges} == {tuple(sorted(e)) for e in G.edges}
    kept = t[t.n_ab >= 2]
    assert H.number_of_edges() == len(kept)
    for r in kept.itertuples():
        e = H.edges[r.entity_a, r.entity_b]
        assert e["n_ab"] == r.n_ab
        assert e["npmi"] == pytest.approx(r.npmi) and e["weight"] == pytest.approx(r.npmi)
        assert e["llr"] == pytest.approx(r.llr)
    for node, n in zip(t.entity_a, t.n_a):
        assert H.nodes[node]["n"] == n
    assert H.graph["level"] == "paragraph"


# ---------------------------------------------------------------------------- CLI
def test_cli_rejects_bad_options(tmp_path, capsys):
    from analysis.cli import main

    assert main(["comention", str(tmp_path), "--out", str(tmp_path / "x.txt")]) == 2
    assert "csv" in capsys.readouterr().err
    assert main(["comention", str(tmp_path), "--out", str(tmp_path / "x.csv"), "--by", "author"]) == 2
    assert main(["comention", str(tmp_path), "--out", str(tmp_path / "x.csv"), "--min-count", "0"]) == 2
    assert main(["comention", str(tmp_path), "--out", str(tmp_path / "x.csv"), "--by", "outlet",
                 "--graphml", str(tmp_path / "g.graphml")]) == 2


def test_cli_on_sample_corpus(sample_dir, tmp_path):
    pytest.importorskip("analysis.io.load")
    pytest.importorskip("analysis.entities.mentions")
    from analysis import extract_mentions, load_corpus
    from analysis.cli import main

    out = tmp_path / "co.csv"
    rc = main(["comention", str(sample_dir), "--out", str(out), "--level", "article", "--resolve", "country",
               "--graphml", str(tmp_path / "g.graphml"), "--quiet"])
    assert rc == 0
    got = pd.read_csv(out, keep_default_na=False)
    arts = load_corpus(sample_dir, progress=False)
    want = count_comentions(arts, extract_mentions(arts, progress=False), level="article", resolve="country")
    assert len(got) == len(want) > 0
    assert got[["entity_a", "entity_b"]].astype(str).values.tolist() == want[["entity_a", "entity_b"]].values.tolist()
    assert got["n_ab"].tolist() == want["n_ab"].tolist()
    # grouped by period and outlet; mentions read from a file
    mfile = tmp_path / "m.parquet"
    extract_mentions(arts, progress=False).to_parquet(mfile)
    out2 = tmp_path / "co2.parquet"
    assert main(["comention", str(sample_dir), "--out", str(out2), "--by", "period,outlet", "--freq", "W",
                 "--mentions", str(mfile), "--quiet"]) == 0
    g = pd.read_parquet(out2)
    assert {"period", "outlet"} <= set(g.columns)


# ---------------------------------------------------------------------------- real corpus
@pytest.fixture(scope="module")
def ant_tables(ant_corpus):
    pytest.importorskip("analysis.entities.mentions")
    from analysis import extract_mentions, load_corpus

    arts = load_corpus(ant_corpus, exclude_categories=["sport"], progress=False)
    return arts, extract_mentions(arts, progress=False)


@pytest.mark.realdata
def test_real_article_level_focus_counts(ant_tables):
    arts, m = ant_tables
    t = count_comentions(arts, m, level="article")
    assert (t.n_windows == len(arts)).all()
    assert (t.n_ab <= np.minimum(t.n_a, t.n_b)).all() and t.npmi.between(-1, 1).all()
    # the three focus pairs against article-id sets
    sets = {e: set(m.loc[m.entity_id == e, "article_id"]) for e in ("RUS", "SYR", "IRN")}
    r = t.set_index(["entity_a", "entity_b"])
    for a, b in (("RUS", "SYR"), ("IRN", "RUS"), ("IRN", "SYR")):
        assert r.loc[(a, b), "n_ab"] == len(sets[a] & sets[b]) > 100
        assert r.loc[(a, b), "n_a"] == len(sets[a]) and r.loc[(a, b), "n_b"] == len(sets[b])
        assert r.loc[(a, b), "npmi"] > 0  # the three are covered together far more than chance
    # by outlet and month: counts add up to the whole corpus
    g = count_comentions(arts, m, level="article", by=["period", "outlet"], freq="M")
    summed = g.groupby(["entity_a", "entity_b"])["n_ab"].sum()
    assert summed.to_dict() == r["n_ab"].to_dict()
    assert g.drop_duplicates(["period", "outlet"])["n_windows"].sum() <= len(arts)


@pytest.mark.realdata
def test_real_sentence_level_and_resolve(ant_tables):
    arts, m = ant_tables
    s = count_comentions(arts, m, level="sentence", resolve="country", min_count=5)
    art = count_comentions(arts, m, level="article", resolve="country", min_count=5)
    assert (s.entity_a != s.entity_b).all()
    n_sent = s.n_windows.iloc[0]
    assert n_sent > 10 * len(arts)  # many sentences per article
    rs, ra = s.set_index(["entity_a", "entity_b"]), art.set_index(["entity_a", "entity_b"])
    assert len(rs.index.intersection(ra.index)) > 50
    # RUS-SYR sentences counted directly from the resolved mentions
    from analysis.measures.comention import resolve_entities

    keys = ["article_id", "field", "paragraph", "sentence"]
    mm = m.assign(_e=resolve_entities(m, "country").to_numpy())
    win = {e: set(map(tuple, mm.loc[mm._e == e, keys].drop_duplicates().to_numpy().tolist())) for e in ("RUS", "SYR")}
    assert rs.loc[("RUS", "SYR"), "n_ab"] == len(win["RUS"] & win["SYR"]) > 0
    assert rs.loc[("RUS", "SYR"), "n_a"] == len(win["RUS"])


def test_count_windows_counts_and_is_used_by_default():
    arts = pd.DataFrame({"article_id": ["a", "b"], "title": ["عنوان. ثان", ""],
                         "text": ["جملة. جملة.\nفقرة", None]})
    w = count_windows(arts)
    assert w.to_dict("list") == {"article_id": ["a", "b", "a", "b"], "field": ["title", "title", "text", "text"],
                                 "n_paragraphs": [1, 0, 2, 0], "n_sentences": [2, 0, 3, 0]}
    # used by count_comentions when windows= is not given
    m = pd.DataFrame([("a", "text", 1, 0, "A", "country", "A"), ("a", "text", 1, 1, "B", "country", "B")],
                     columns=MCOLS)
    assert count_entities(arts.assign(published=pd.NaT, outlet="x"), m, level="sentence")["n_windows"].tolist() == [5, 5]


@pytest.mark.realdata
def test_real_coverage_keyness_graph(ant_tables, tmp_path):
    import networkx as nx

    from analysis import keyness, load_gazetteer
    from analysis.measures.compare import coverage

    arts, m = ant_tables
    cov = coverage(arts, m, focus=["RUS", "SYR", "IRN"], freq=None, by="outlet")
    assert cov.groupby("entity")["n_articles"].sum().eq(len(arts)).all()
    n_rus = cov[cov.entity == "RUS"].set_index("outlet")["n_with"]
    want = arts[arts.article_id.isin(set(m.loc[m.entity_id == "RUS", "article_id"]))].groupby("outlet").size()
    assert n_rus.to_dict() == want.to_dict()
    # keyness of Iran: its names and demonyms are gone, Tehran (its own entity) is key
    k = keyness(arts, m, "IRN", n=200)
    assert "طهران" in set(k.term.head(30))
    assert not {"ايران", "الايراني", "الايرانيه", "الايرانيين"} & set(k.term)
    assert (k.g2.head(50) > 0).all()
    # network with gazetteer labels
    co = count_comentions(arts, m, level="article", resolve="country", min_count=20)
    G = comention_graph(co, gazetteer=load_gazetteer(), path=tmp_path / "countries.graphml")
    H = nx.read_graphml(tmp_path / "countries.graphml")
    assert H.nodes["RUS"]["label_ar"] == "روسيا" and H.nodes["RUS"]["label_en"] == "Russia"
    assert H.number_of_edges() == G.number_of_edges() == len(co)


# ---------------------------------------------------------------------------- count_windows = segmenter
def _segmenter_counts(texts):
    from analysis.text.segment import sentence_spans

    out = []
    for t in texts:
        para = sentence_spans(t)[0] if isinstance(t, str) else np.zeros(0)
        out.append((len(np.unique(para)), len(para)))
    return out


def _assert_windows_match_segmenter(arts):
    w = count_windows(arts)
    assert len(w) == 2 * len(arts)
    for field in ("title", "text"):
        got = w[w.field == field]
        assert got.article_id.tolist() == arts.article_id.astype(str).tolist()
        assert list(zip(got.n_paragraphs, got.n_sentences)) == _segmenter_counts(arts[field].tolist())


def test_count_windows_equals_segmenter_on_sample(sample_dir):
    from analysis import load_corpus

    _assert_windows_match_segmenter(load_corpus(sample_dir, progress=False))


def test_count_windows_equals_segmenter_on_hard_cases(monkeypatch):
    import random

    import analysis.measures.cooccurrence as cm

    pieces = list("ab ج د.!?؟؛…\"'»”’)]}\n\r \t\u2028\u2029\x1c\x85\u00a012") + [
        "\U0001D400", "😀", "..", " . ", "أ.ف.ب.", "د. ", "3.5", "skynews.com", "؟!..", "!\").", "\n \n"]
    rng = random.Random(0)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    texts[:4] = [None, "", "   \n\t", "جملة. جملة أخرى!\n\nفقرة ثانية"]
    monkeypatch.setattr(cm, "_CHUNK_CHARS", 500)  # many batches
    arts = pd.DataFrame({"article_id": [f"a{i}" for i in range(len(texts))], "title": texts[::-1], "text": texts})
    _assert_windows_match_segmenter(arts)
    assert count_windows(arts.iloc[:4])[["n_paragraphs", "n_sentences"]].to_numpy()[4:].tolist() == [
        [0, 0], [0, 0], [0, 0], [2, 3]]


@pytest.mark.realdata
def test_count_windows_equals_segmenter_on_ant_sample(ant_tables):
    arts, _ = ant_tables
    _assert_windows_match_segmenter(arts.sample(2000, random_state=0))


def test_argument_order_articles_then_mentions():
    """(articles, mentions) everywhere; the old order is recognized, swapped back, and warned about."""
    import inspect

    from analysis import coverage, event_change, focus_triangle, keyness, kwic

    for fn in (count_comentions, count_entities, coverage, focus_triangle, event_change, keyness, kwic):
        assert list(inspect.signature(fn).parameters)[:2] == ["articles", "mentions"], fn.__name__
    m, arts = _article_level_table()
    want = count_comentions(arts, m, level="article")
    with pytest.warns(FutureWarning, match=r"given as \(mentions, articles\)"):
        got = count_comentions(m, arts, level="article")
    pd.testing.assert_frame_equal(got, want)
    pd.testing.assert_frame_equal(count_comentions(mentions=m, articles=arts, level="article"), want)
    with pytest.raises(TypeError, match="must be a DataFrame"):
        count_comentions(arts, None)


def test_count_comentions_same_from_threads_as_serially(sample_dir):
    """No per-call module state: four threads at once give the serial tables."""
    from concurrent.futures import ThreadPoolExecutor

    from analysis import extract_mentions, load_corpus

    arts = load_corpus(sample_dir, progress=False)
    m = extract_mentions(arts, progress=False)
    jobs = [dict(level="sentence"), dict(level="paragraph", by="outlet"), dict(level="article", resolve="country"),
            dict(level="sentence", by=["period", "outlet"], freq="W")] * 2
    serial = [count_comentions(arts, m, **kw) for kw in jobs]
    with ThreadPoolExecutor(4) as pool:
        threaded = list(pool.map(lambda kw: count_comentions(arts, m, **kw), jobs))
    for a, b in zip(serial, threaded):
        pd.testing.assert_frame_equal(a, b)
