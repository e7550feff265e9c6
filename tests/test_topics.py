"""Tests for analysis.topics: preprocessing, quality measures (against values
computed by hand), reproducibility, comparison helpers and the CLI."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
import json
import math
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from analysis.topics.model import (
    TopicModel,
    choose_k,
    fit_topics,
    split_heldout,
    topic_labels,
    topic_prevalence,
    topic_stability,
    topics_over_time,
    representative_articles,
    topic_seed_stability,
)
from analysis.topics.quality import (
    collapse_variant,
    diversity,
    function_word_share,
    function_word_topics,
    match_topics,
    npmi,
)
from analysis.topics.vectorizer import ArabicVectorizer

# ---------------------------------------------------------------- fixtures

THEMES = {
    "oil": ["النفط", "برميل", "أسعار", "أوبك", "الخام", "برنت", "الإنتاج", "الطاقة"],
    "syria": ["سوريا", "دمشق", "الغوطة", "المعارضة", "النظام", "حلب", "إدلب", "اللاجئين"],
    "iran": ["إيران", "طهران", "النووي", "العقوبات", "روحاني", "الاتفاق", "التخصيب", "الحرس"],
}


def make_corpus(n_per_theme: int = 30, seed: int = 0) -> pd.DataFrame:
    """Synthetic articles: each mostly one theme, some words of another, stopwords."""
    rng = np.random.default_rng(seed)
    names = sorted(THEMES)
    rows = []
    for t, name in enumerate(names):
        for i in range(n_per_theme):
            words = list(rng.choice(THEMES[name], size=25))
            other = names[(t + 1 + i % 2) % 3]
            words += list(rng.choice(THEMES[other], size=3))
            words += ["في", "من", "على", "2018", "Reuters"]
            rng.shuffle(words)
            rows.append({
                "article_id": f"{name}-{i:03d}",
                "title": f"خبر {i}",
                "text": " ".join(words),
                "published": pd.Timestamp("2018-03-01", tz="UTC") + pd.Timedelta(days=int(i * 2)),
                "outlet": "a" if i % 2 else "b",
            })
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def corpus() -> pd.DataFrame:
    return make_corpus()


SMALL = dict(min_df=1, max_df=1.0, max_features=None)

# ---------------------------------------------------------------- NPMI by hand


def test_npmi_hand_computed():
    # docs x terms (a, b, c, d): presence
    X = np.array([
        [1, 1, 0, 0],  # a b
        [1, 1, 1, 0],  # a b c
        [2, 0, 0, 0],  # a (count 2: presence counts once)
        [0, 0, 1, 0],  # c
        [0, 0, 0, 1],  # d
    ])
    n = 5
    pa, pb, pc = 3 / n, 2 / n, 2 / n
    pab, pac, pbc = 2 / n, 1 / n, 1 / n
    ab = math.log(pab / (pa * pb)) / -math.log(pab)
    ac = math.log(pac / (pa * pc)) / -math.log(pac)
    bc = math.log(pbc / (pb * pc)) / -math.log(pbc)
    got = npmi(sp.csr_matrix(X), [[0, 1, 2], [0, 1], [0, 3], [0, 1, 3]])
    assert got[0] == pytest.approx((ab + ac + bc) / 3)
    assert got[1] == pytest.approx(ab)
    # a and d never co-occur: -1 by definition
    assert got[2] == pytest.approx(-1.0)
    assert got[3] == pytest.approx((ab - 1 - 1) / 3)
    # worked out on paper: ab = log(5/3)/log(5/2), ac = log(5/6)/log 5, bc = log(5/4)/log 5
    assert got[1] == pytest.approx(0.557493, abs=1e-6)
    assert got[0] == pytest.approx((0.557493 - 0.113283 + 0.138647) / 3, abs=1e-6)


def test_npmi_edge_cases():
    X = np.array([[1, 1, 0], [1, 1, 0]])
    got = npmi(X, [[0, 1], [0, 2], [0]])
    assert got[0] == pytest.approx(1.0)  # together in every document
    assert got[1] == pytest.approx(-1.0)  # term 2 absent
    assert np.isnan(got[2])  # a single term has no pair
    assert np.isnan(npmi(np.zeros((0, 3)), [[0, 1]])[0])


def test_diversity_hand_computed():
    assert diversity([["a", "b"], ["b", "c"]], n=2) == pytest.approx(3 / 4)
    assert diversity([["a", "b", "x"], ["c", "d", "a"]], n=2) == pytest.approx(1.0)
    assert diversity([["a", "b"], ["a", "b"]]) == pytest.approx(0.5)


# ---------------------------------------------------------------- preprocessing


def test_vectorizer_normalizes_strips_and_shows_surfaces():
    docs = [
        "الحكومة الإيرانية قالت في بيان إن الحكومة ستعمل",
        "والحكومة الإيرانية وإيران وزير الخارجية",
        "إيران وإيران وزير وزير الحكومة",
        "إيران إيران تعلن 2018 Reuters",
    ]
    v = ArabicVectorizer(min_df=1, max_df=1.0, max_features=None)
    X = v.fit_transform(docs)
    terms = set(v.terms_)
    assert "حكومه" in terms and "الحكومه" not in terms and "والحكومه" not in terms
    assert v.surface("حكومه") == "الحكومة"  # readable: ة and the article kept
    assert v.surface("ايرانيه") == "الإيرانية"
    assert "ايران" in terms and "وايران" not in terms  # و stripped: ايران is a word
    assert "وزير" in terms and "زير" not in terms  # و kept: زير is not a word here
    assert not terms & {"في", "ان", "2018", "reuters"}  # stopwords, numbers, Latin
    assert "قالت" in terms  # a reporting verb: only in the optional news list
    news = ArabicVectorizer(min_df=1, max_df=1.0, max_features=None, news_stopwords=True).fit(docs)
    assert "قالت" not in set(news.terms_)
    assert X.shape == (4, len(v.terms_))
    j = v.vocabulary_["حكومه"]
    assert X[:, j].toarray().ravel().tolist() == [2, 1, 1, 0]
    # surfaces exist for every term and carry no diacritics
    assert len(v.surfaces_) == len(v.terms_)


def test_vectorizer_options_and_transform():
    docs = ["سوريا 2018 Reuters سوريا", "دمشق سوريا", "حلب"]
    keep = ArabicVectorizer(min_df=1, max_df=1.0, max_features=None,
                            remove_numbers=False, remove_latin=False).fit(docs)
    assert {"2018", "reuters"} <= set(keep.terms_)
    bounded = ArabicVectorizer(min_df=2, max_df=1.0, max_features=None).fit(docs)
    assert list(bounded.terms_) == ["سوريا"]
    v = ArabicVectorizer(min_df=1, max_df=1.0, max_features=None).fit(docs)
    Y = v.transform(["سُوريا وسوريا دمشق بيروت"])  # diacritics, clitic, unseen word
    row = dict(zip(v.terms_, Y.toarray()[0]))
    assert row["سوريا"] == 2 and row["دمشق"] == 1 and row["حلب"] == 0
    with pytest.raises(ValueError, match="stem"):
        ArabicVectorizer(stem="porter").fit(docs)
    with pytest.raises(ValueError, match="no terms"):
        ArabicVectorizer(min_df=3, max_df=1.0).fit(docs)


def test_light_stemmer_merges_inflections():
    docs = ["الإيرانية الإيرانيون إيراني", "المعارضة المعارضات"] * 2
    v = ArabicVectorizer(stem="light", min_df=1, max_df=1.0, max_features=None).fit(docs)
    assert "ايران" in v.terms_ and "معارض" in v.terms_
    assert len(v.terms_) == 2


# ---------------------------------------------------------------- model


def test_topic_model_recovers_themes_and_tables(corpus):
    m = TopicModel(k=3, **SMALL).fit(corpus)
    assert m.fit(corpus) is m
    assert m.components_.shape == (3, len(m.terms_))
    assert np.allclose(m.components_.sum(axis=1), 1)
    topics = m.topics(8)
    assert list(topics.columns) == ["topic", "rank", "term", "surface", "weight"]
    pd.testing.assert_frame_equal(m.topics_, m.topics(m.n_top_terms))
    # each topic's top terms come from exactly one theme (surfaces shown)
    found = set()
    for k, grp in topics.groupby("topic"):
        top = set(grp.sort_values("rank").surface.head(5))
        owner = [name for name, words in THEMES.items() if top <= set(words)]
        assert len(owner) == 1, top
        found.add(owner[0])
    assert found == set(THEMES)
    dt = m.doc_topics()
    assert list(dt.columns) == ["article_id", "topic", "weight"]
    assert len(dt) == 3 * len(corpus)
    assert np.allclose(dt.groupby("article_id").weight.sum(), 1)
    # an article's dominant topic is its theme's topic
    dom = dt.sort_values("weight", ascending=False).drop_duplicates("article_id")
    dom["theme"] = dom.article_id.str.split("-").str[0]
    assert dom.groupby("theme").topic.nunique().eq(1).all()
    assert dom.groupby("topic").theme.nunique().eq(1).all()
    # transform of new texts
    W = m.transform(["النفط برميل أوبك"])
    oil = dom[dom.theme == "oil"].topic.iloc[0]
    assert W.argmax() == oil


def test_doc_topics_new_articles_and_min_weight(corpus):
    m = TopicModel(k=3, **SMALL).fit(corpus)
    new = pd.DataFrame({"article_id": ["n1", "n2"], "text": ["النفط برميل أوبك", "دمشق حلب إدلب"]})
    dt = m.doc_topics(new)
    assert dt.article_id.tolist() == ["n1"] * 3 + ["n2"] * 3
    sparse = m.doc_topics(new, min_weight=0.05)
    assert (sparse.weight > 0.05).all() and len(sparse) < len(dt)
    q = m.quality()  # no held-out part: held-out NPMI is None
    assert q["npmi_heldout"] is None and q["n_heldout"] == 0
    assert q["npmi"] == pytest.approx(float(np.mean(m.coherence())), abs=1e-5)


@pytest.mark.parametrize("method", ["nmf", "lda"])
def test_reproducible_same_seed(corpus, method):
    a = TopicModel(k=3, method=method, random_state=7, **SMALL).fit(corpus)
    b = TopicModel(k=3, method=method, random_state=7, **SMALL).fit(corpus)
    pd.testing.assert_frame_equal(a.topics(), b.topics())
    pd.testing.assert_frame_equal(a.doc_topics(), b.doc_topics())
    np.testing.assert_array_equal(a.components_, b.components_)


def test_estimator_conventions():
    assert TopicModel().k == 10 and TopicModel().get_params()["k"] == 10  # k, default 10, everywhere
    import inspect

    for fn in (fit_topics, topic_stability):
        assert inspect.signature(fn).parameters["k"].default == 10
    m = TopicModel(k=5, method="lda", alpha_W=0.1)
    p = m.get_params()
    assert p["k"] == 5 and p["method"] == "lda" and p["random_state"] == 0
    assert m.set_params(k=4) is m and m.k == 4
    assert not hasattr(m, "components_")
    with pytest.raises(RuntimeError, match="not fitted"):
        m.topics()
    with pytest.raises(ValueError, match="method"):
        TopicModel(method="pca").fit(["a b"] * 10)
    for bad in (0, -5, 2.5):
        with pytest.raises(ValueError, match="k .*must be a whole number"):
            TopicModel(k=bad, **SMALL).fit(make_corpus(5))
    try:  # sklearn's clone works on it
        from sklearn.base import clone

        c = clone(m)
        assert c.get_params() == m.get_params()
    except ImportError:  # pragma: no cover
        pass


def test_fit_topics_quality_and_heldout(corpus):
    m = fit_topics(corpus, k=3, heldout=0.2, **SMALL)
    q = m.quality_
    assert {"npmi", "npmi_heldout", "diversity", "topics"} <= set(q)
    assert q["n_heldout"] == round(0.2 * len(corpus))
    assert q["n_documents"] + q["n_heldout"] == len(corpus)
    # held-out articles were not fitted
    assert not set(m.heldout_ids_) & set(m.article_ids_)
    assert len(q["topics"]) == 3 and len(q["topics"][0]["terms"]) == 10 and q["k"] == 3
    top = m.topics(10)
    assert q["topics"][0]["terms"] == top[top.topic == 0].term.tolist()  # keys, as in the topics table
    assert q["topics"][0]["surfaces"] == top[top.topic == 0].surface.tolist()
    # per-topic and overall values agree with npmi() on the held-out counts
    held = corpus[corpus.article_id.isin(m.heldout_ids_)]
    direct = npmi(m.vectorizer_.transform(held), m.top_term_indices(10))
    assert q["npmi_heldout"] == pytest.approx(direct.mean(), abs=1e-5)
    assert [t["npmi_heldout"] for t in q["topics"]] == pytest.approx(direct.tolist(), abs=1e-5)
    assert -1 <= q["npmi"] <= 1 and 0 < q["diversity"] <= 1
    # doc_topics covers every article, held-out ones too
    assert set(m.doc_topics_.article_id) == set(corpus.article_id)
    assert np.allclose(m.doc_topics_.groupby("article_id").weight.sum(), 1)
    # themes are coherent: synthetic themes co-occur strongly
    assert q["npmi"] > 0.1


def test_split_heldout_fixed_seed(corpus):
    a1, b1 = split_heldout(corpus, 0.25, random_state=3)
    a2, b2 = split_heldout(corpus, 0.25, random_state=3)
    assert b1.article_id.tolist() == b2.article_id.tolist()
    assert len(b1) == round(0.25 * len(corpus)) and len(a1) + len(b1) == len(corpus)
    _, b3 = split_heldout(corpus, 0.25, random_state=4)
    assert b3.article_id.tolist() != b1.article_id.tolist()


def test_choose_k_and_stability(corpus):
    ck = choose_k(corpus, ks=[2, 3, 6], progress=False, **SMALL)
    assert list(ck.columns) == ["k", "npmi", "npmi_heldout", "diversity", "fit_seconds", "best"]
    assert ck.best.sum() == 1
    assert ck.loc[ck.best, "k"].item() == 3  # the three planted themes
    st = topic_stability(corpus, k=3, seeds=[0, 1, 2], progress=False, **SMALL)
    assert list(st.columns) == ["seed_a", "seed_b", "topic_a", "topic_b", "similarity"]
    assert len(st) == 3 * 3
    assert 0.8 < st.attrs["mean_similarity"] <= 1.0 + 1e-9


def test_match_topics_hungarian():
    A = np.array([[1.0, 0, 0], [0, 1, 0], [0, 0, 1]])
    B = A[[2, 0, 1]] + 0.01
    m = match_topics(A, B)
    assert m.topic_b.tolist() == [1, 2, 0]
    assert (m.similarity > 0.99).all()


# ---------------------------------------------------------------- comparison


@pytest.fixture()
def toy_doc_topics():
    return pd.DataFrame({
        "article_id": ["a"] * 2 + ["b"] * 2 + ["c"] * 2,
        "topic": [0, 1] * 3,
        "weight": [0.8, 0.2, 0.3, 0.7, 0.6, 0.4],
    })


def test_topic_prevalence_hand_computed(toy_doc_topics):
    mentions = pd.DataFrame({
        "article_id": ["a", "a", "b", "c", "c"],
        "entity_id": ["putin", "RUS", "RUS", "IRN", "IRN"],
        "country": ["RUS", "RUS", "RUS", "IRN", "IRN"],
    })
    out = topic_prevalence(toy_doc_topics, mentions, by="country")
    assert list(out.columns) == ["country", "topic", "n_articles", "mean_weight", "dominant_share", "n_dominant"]
    rus = out[out.country == "RUS"].set_index("topic")
    assert rus.n_articles.tolist() == [2, 2]  # a and b (a counted once)
    assert rus.mean_weight.tolist() == pytest.approx([(0.8 + 0.3) / 2, (0.2 + 0.7) / 2])
    assert rus.dominant_share.tolist() == pytest.approx([0.5, 0.5])
    irn = out[out.country == "IRN"].set_index("topic")
    assert irn.mean_weight.tolist() == pytest.approx([0.6, 0.4])
    assert irn.dominant_share.tolist() == pytest.approx([1.0, 0.0])
    ent = topic_prevalence(toy_doc_topics, mentions, entities=["putin"],
                           labels=pd.Series({0: "x", 1: "y"}))
    assert ent.entity_id.unique().tolist() == ["putin"]
    assert ent.label.tolist() == ["x", "y"]
    with pytest.raises(ValueError, match="column"):
        topic_prevalence(toy_doc_topics, mentions, by="outlet")


def test_topics_over_time_hand_computed(toy_doc_topics):
    articles = pd.DataFrame({
        "article_id": ["a", "b", "c"],
        "published": pd.to_datetime(["2018-03-05", "2018-03-20", "2018-04-01"], utc=True),
        "outlet": ["x", "y", "x"],
    })
    out = topics_over_time(toy_doc_topics, articles, freq="MS")
    assert out["period"].tolist() == ["2018-03", "2018-03", "2018-04", "2018-04"]  # the labels of coverage
    from analysis.measures.cooccurrence import period_labels

    assert set(out.period) == set(period_labels(articles.published, "M"))
    assert set(topics_over_time(toy_doc_topics, articles, freq="W").period) == set(
        period_labels(articles.published, "W"))
    mar = out[out.period == "2018-03"].set_index("topic")
    assert mar.n_articles.tolist() == [2, 2]
    assert mar.mean_weight.tolist() == pytest.approx([0.55, 0.45])
    assert mar.dominant_share.tolist() == pytest.approx([0.5, 0.5])
    by = topics_over_time(toy_doc_topics, articles, by="outlet")
    assert list(by.columns[:3]) == ["period", "outlet", "topic"]
    assert len(by) == 3 * 2


def test_labels(corpus):
    m = TopicModel(k=3, **SMALL).fit(corpus)
    labels = m.labels()
    t = m.topics(3)
    assert labels[0] == " · ".join(t[t.topic == 0].sort_values("rank").surface)
    assert topic_labels(t, n=1).tolist() == t[t["rank"] == 1].surface.tolist()


# ---------------------------------------------------------------- CLI


def test_cli_topics(tmp_path, corpus):
    from analysis.cli import main

    src = tmp_path / "corpus.jsonl"
    c = corpus.copy()
    c["published"] = c["published"].astype(str)
    c.rename(columns={"article_id": "id"}).to_json(src, orient="records", lines=True, force_ascii=False)
    out = tmp_path / "out"
    rc = main(["topics", str(src), "--out", str(out), "--k", "3", "--quiet"])
    assert rc == 0
    topics = pd.read_csv(out / "topics.csv")
    assert list(topics.columns) == ["topic", "rank", "term", "surface", "weight"]
    assert sorted(topics.topic.unique()) == [0, 1, 2]
    dt = pd.read_parquet(out / "doc_topics.parquet")
    assert list(dt.columns) == ["article_id", "topic", "weight"]
    assert dt.article_id.nunique() == len(corpus)
    q = json.loads((out / "quality.json").read_text(encoding="utf-8"))
    assert {"npmi", "diversity", "topics"} <= set(q)
    assert q["topics"][0]["topic"] == 0 and len(q["topics"][0]["terms"]) == 10
    assert q["parameters"]["k"] == 3 and q["k"] == 3
    # small corpus: fit_topics' small-corpus df bounds, recorded
    assert (q["parameters"]["min_df"], q["parameters"]["max_df"]) == (2, 0.6)
    # same seed, same output
    out2 = tmp_path / "out2"
    assert main(["topics", str(src), "--out", str(out2), "--k", "3", "--quiet"]) == 0
    assert (out / "topics.csv").read_bytes() == (out2 / "topics.csv").read_bytes()
    pd.testing.assert_frame_equal(dt, pd.read_parquet(out2 / "doc_topics.parquet"))


def test_cli_topics_too_few_articles(tmp_path, capsys):
    from analysis.cli import main

    src = tmp_path / "tiny.jsonl"
    src.write_text('{"id": "1", "text": "سوريا دمشق"}\n', encoding="utf-8")
    rc = main(["topics", str(src), "--out", str(tmp_path / "o"), "--k", "5", "--quiet"])
    assert rc == 1
    assert "too few" in capsys.readouterr().err


@pytest.mark.realdata
def test_topics_on_ant_subset(ant_corpus):
    from analysis import load_corpus

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the two empty-text records of ANT
        df = load_corpus([ant_corpus], exclude_categories=["sport"], progress=False)
    df = df.sample(n=3000, random_state=0)
    m = fit_topics(df, k=10)
    q = m.quality_
    assert q["npmi"] > 0.2 and q["npmi_heldout"] > 0.15
    assert q["diversity"] > 0.7
    # every shown term is a readable surface (Arabic letters, no diacritics)
    terms = m.topics(10).surface
    assert terms.str.fullmatch(r"[\u0621-\u064a]+").all()


def test_transform_same_from_threads_as_serially(corpus):
    """No per-call state: transform and doc_topics from four threads give the serial results."""
    m = TopicModel(k=3, **SMALL).fit(corpus)
    parts = [corpus.iloc[i::4] for i in range(4)] * 2
    serial = [m.transform(p) for p in parts]
    with ThreadPoolExecutor(4) as pool:
        threaded = list(pool.map(m.transform, parts))
    for a, b in zip(serial, threaded):
        np.testing.assert_array_equal(a, b)
    with ThreadPoolExecutor(4) as pool:
        tables = list(pool.map(m.doc_topics, parts))
    for p, tab in zip(parts, tables):
        pd.testing.assert_frame_equal(tab, m.doc_topics(p))


# ---------------------------------------------------------------- function-word topics


def test_function_word_metric_on_hand_made_topics():
    stop = frozenset({"في", "لم", "قال", "اضاف"})
    topics = pd.DataFrame({
        "topic": [0] * 5 + [1] * 5,
        "rank": list(range(1, 6)) * 2,
        # topic 0: وقال وفي ولم (stopword behind one proclitic), اضاف (stopword), نفط (content)
        # topic 1: دراسه, الدراسه and والدراسه (variants of one word), جامعه, طلاب
        "term": ["وقال", "وفي", "ولم", "اضاف", "نفط", "دراسه", "الدراسه", "والدراسه", "جامعه", "طلاب"],
    })
    out = function_word_topics(topics, n=5, threshold=0.5, stop=stop)
    assert list(out.columns) == ["topic", "n_terms", "n_function", "n_variant", "share", "function_topic"]
    assert out.n_function.tolist() == [4, 0]
    assert out.n_variant.tolist() == [0, 2]
    assert out.share.tolist() == pytest.approx([0.8, 0.4])
    assert out.function_topic.tolist() == [True, False]
    # a content word that merely starts with a proclitic letter is not a function word
    assert function_word_share(["وزير", "بترول", "لبنان"], stop)[:2] == (0, 0)
    assert collapse_variant("والدراسه") == collapse_variant("دراسه") == "دراسه"
    # the default list has the reporting verbs: وقال / واضاف are function words
    assert function_word_share(["وقال", "واضاف", "نفط"])[0] == 2


def test_vectorizer_drops_stopwords_behind_proclitics():
    # none of وبعد وهذا فقد وعن وبذلك is in stopwords-iso; بعد هذا قد عن ذلك are
    docs = ["وبعد الوزير وهذا النفط فقد وعن وبذلك", "بعد الوزير هذا النفط قد", "وزير النفط بعد"] * 3
    v = ArabicVectorizer(**SMALL)
    v.fit(docs)
    terms = set(v.terms_)
    assert not terms & {"وبعد", "وهذا", "فقد", "وعن", "وبذلك", "بعد"}
    assert {"وزير", "نفط"} <= terms  # content words starting with و are kept
    # content words that are a proclitic + a short stopword stay (ولي العهد, باب, بوتين, ولاية)
    kept = ArabicVectorizer(**SMALL, stem="none").fit(["ولي باب بوتين ولاية"] * 2)
    assert set(kept.terms_) == {"ولي", "باب", "بوتين", "ولايه"}
    off = ArabicVectorizer(**SMALL, clitic_stopwords=False).fit(docs)
    assert {"وهذا", "فقد", "وعن", "وبذلك"} <= set(off.terms_)


# ---------------------------------------------------------------- representative articles


def test_representative_articles_by_hand():
    dt = pd.DataFrame({
        "article_id": ["a", "a", "b", "b", "c", "c", "d", "d", "e", "e"],
        "topic": [0, 1] * 5,
        "weight": [0.9, 0.1, 0.6, 0.4, 0.6, 0.4, 0.95, 0.05, 0.2, 0.8],
    })
    arts = pd.DataFrame({
        "article_id": ["a", "b", "c", "d", "e"],
        "title": ["<b>س</b>", "ص", "ع", " <b>س</b> ", ""],  # d repeats a's title; e has none
        "outlet": ["x", "y", "x", "y", "x"],
        "published": pd.to_datetime(["2018-01-01"] * 5, utc=True),
    })
    out = representative_articles(dt, arts, n=3)
    assert list(out.columns) == ["topic", "rank", "article_id", "title", "outlet", "published", "weight"]
    t0 = out[out.topic == 0]
    # d (0.95) beats a (0.9) with the same title; b and c tie at 0.6: b comes first in the articles
    assert t0.article_id.tolist() == ["d", "b", "c"]
    assert t0["rank"].tolist() == [1, 2, 3]
    assert t0.weight.tolist() == pytest.approx([0.95, 0.6, 0.6])
    t1 = out[out.topic == 1]
    assert t1.article_id.tolist() == ["b", "c", "a"]  # e has no title; d shares a's title, a weighs more
    assert out.title.iloc[0] == "<b>س</b>"
    with pytest.raises(ValueError, match="title"):
        representative_articles(dt, arts.drop(columns="title"))


# ---------------------------------------------------------------- stability per topic


def test_topic_seed_stability_identical_models_is_one(corpus):
    m = TopicModel(k=3, **SMALL).fit(corpus)
    # all documents and NMF's deterministic nndsvd start: every refit is the model itself
    st = topic_seed_stability(m, seeds=(1, 2), subsample=1.0)
    assert list(st.columns) == ["topic", "stability_mean", "stability_min", "n_seeds", "n_documents"]
    assert st.stability_mean.tolist() == pytest.approx([1.0] * 3)
    assert st.stability_min.tolist() == pytest.approx([1.0] * 3)
    sub = topic_seed_stability(m, seeds=(1, 2, 3), subsample=0.5)
    assert (sub.stability_min <= sub.stability_mean + 1e-12).all()
    assert (sub.stability_mean <= 1 + 1e-9).all() and (sub.n_documents == 45).all()
    pd.testing.assert_frame_equal(sub, topic_seed_stability(m, seeds=(1, 2, 3), subsample=0.5))
    assert topic_seed_stability(m, seeds=(1,), subsample=0.9, max_documents=20).n_documents.iloc[0] == 20
    with pytest.raises(ValueError, match="seed"):
        topic_seed_stability(m, seeds=())


# ---------------------------------------------------------------- prevalence intervals


def test_topic_prevalence_bootstrap_interval(toy_doc_topics):
    mentions = pd.DataFrame({"article_id": ["a", "b", "c", "a"], "entity_id": ["RUS", "RUS", "RUS", "IRN"]})
    out = topic_prevalence(toy_doc_topics, mentions, n_boot=500, seed=0)
    assert {"mean_weight_low", "mean_weight_high"} <= set(out.columns)
    assert (out.mean_weight_low <= out.mean_weight + 1e-12).all()
    assert (out.mean_weight <= out.mean_weight_high + 1e-12).all()
    rus = out[out.entity_id == "RUS"].set_index("topic")
    # three articles with topic-0 weights 0.8, 0.3, 0.6: resampled means lie within [0.3, 0.8]
    assert 0.3 - 1e-9 <= rus.mean_weight_low[0] < rus.mean_weight[0] < rus.mean_weight_high[0] <= 0.8 + 1e-9
    irn = out[out.entity_id == "IRN"].set_index("topic")
    assert irn.mean_weight_low[0] == pytest.approx(0.8) and irn.mean_weight_high[0] == pytest.approx(0.8)
    # seeded, and a group's interval does not depend on the other groups
    again = topic_prevalence(toy_doc_topics, mentions, n_boot=500, seed=0)
    pd.testing.assert_frame_equal(out, again)
    only = topic_prevalence(toy_doc_topics, mentions, entities=["RUS"], n_boot=500, seed=0)
    pd.testing.assert_frame_equal(only.reset_index(drop=True),
                                  out[out.entity_id == "RUS"].reset_index(drop=True))


# ---------------------------------------------------------------- the report's topics section


def test_topics_section_shows_stability_titles_and_intervals(sample_dir):
    import analysis.report as R
    from analysis.stats.summary import GLOSSARY

    with R.ReportContext(corpus=str(sample_dir), workers=0) as ctx:
        ctx.load()
        res = R.topics_section(ctx)
        model = res.data["model"]
        topics = res.tables["topics"]
        st = model.seed_stability_
        assert topics["stability_mean"].tolist() == pytest.approx(st["stability_mean"].tolist())
        assert ((topics.stability_min > 0) & (topics.stability_min <= topics.stability_mean + 1e-12)
                & (topics.stability_mean <= 1 + 1e-9)).all()
        rep = res.tables["representative"]
        assert rep.groupby("topic").size().max() <= 3
        assert not rep.duplicated(["topic", "title"]).any()
        # each topic's first article is the article with the topic's highest weight (among titled ones)
        dt = model.doc_topics_.merge(ctx.articles[["article_id", "title"]], on="article_id")
        dt = dt[dt.title.fillna("").str.strip() != ""]
        for t, g in rep.groupby("topic"):
            assert g.weight.iloc[0] == pytest.approx(dt[dt.topic == t].weight.max())
        html = res._repr_html_()
        assert html_escape_ok(rep.title.iloc[0], html)
        prev = res.tables["by_focus"]
        assert ((prev.mean_weight_low <= prev.mean_weight + 1e-12)
                & (prev.mean_weight <= prev.mean_weight_high + 1e-12)).all()
        shown = [c for c in res.shown_columns() if " " not in c]  # not the headers of the wide view
        assert {"stability_mean", "stability_min", "title"} <= set(shown)
        assert [c for c in shown if c not in GLOSSARY] == []
        # same seed, same tables
        again = R.topics_section(ctx)
        for name in ("topics", "representative", "by_focus"):
            pd.testing.assert_frame_equal(res.tables[name], again.tables[name])


def html_escape_ok(title: str, html: str) -> bool:
    from analysis.report.html import html_escape

    return html_escape(title) in html
