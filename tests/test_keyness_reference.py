"""Keyness against a chosen reference (rest, focus, another corpus) and its BH-adjusted p-values."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.measures.keywords import _keyness_blanking, keyness
from analysis.stats.intervals import bh_adjust

MCOLS = ["article_id", "field", "paragraph", "sentence", "entity_id", "entity_type", "country", "start", "end",
         "surface"]


def _mentions(texts: dict, found: list[tuple[str, str, str]]) -> pd.DataFrame:
    """Mention rows (article, word, entity) at the word's first place in the article's text."""
    rows = []
    for aid, word, ent in found:
        s = texts[aid].index(word)
        rows.append((aid, "text", 1, 0, ent, "country", ent, s, s + len(word), word))
    return pd.DataFrame(rows, columns=MCOLS)


def _articles(texts: dict) -> pd.DataFrame:
    return pd.DataFrame({"article_id": list(texts), "title": "", "text": list(texts.values()),
                         "published": pd.to_datetime(["2018-03-01"] * len(texts), utc=True), "outlet": "x"})


# t1, t2 mention Russia (t2 also Syria: it counts for Russia only); s1 Syria, i1 Iran; o1 no focus entity
TEXTS = {
    "t1": "روسيا صاروخ صاروخ قمح",
    "t2": "روسيا سوريا صاروخ مطر",
    "s1": "سوريا قمح قمح مطر",
    "i1": "إيران مطر مطر قمح",
    "o1": "صاروخ صاروخ صاروخ صاروخ",
}
FOUND = [("t1", "روسيا", "RUS"), ("t2", "روسيا", "RUS"), ("t2", "سوريا", "SYR"), ("s1", "سوريا", "SYR"),
         ("i1", "إيران", "IRN")]
FOCUS = ["RUS", "SYR", "IRN"]


def _g2(a, b, c, d):
    e1, e2 = c * (a + b) / (c + d), d * (a + b) / (c + d)
    g = 2 * ((a * math.log(a / e1) if a else 0.0) + (b * math.log(b / e2) if b else 0.0))
    return g if a / c >= b / d else -g


def test_focus_reference_by_hand():
    arts, m = _articles(TEXTS), _mentions(TEXTS, FOUND)
    k = keyness(arts, m, "RUS", reference="focus", focus=FOCUS, min_count=1)
    # target: t1 صاروخ صاروخ قمح, t2 سوريا صاروخ مطر (Russia's name blanked) -> 6 tokens
    # reference: s1 and i1 only (o1 mentions no focus entity) -> 8 tokens
    assert k.attrs["reference"] == "focus"
    assert (k.attrs["n_docs_target"], k.attrs["n_docs_reference"]) == (2, 2)
    assert (k.attrs["tokens_target"], k.attrs["tokens_reference"]) == (6, 8)
    r = k.set_index("term")
    assert set(r.index) == {"صاروخ", "قمح", "مطر", "سوريا", "ايران"}
    assert (r.loc["صاروخ", "n_target"], r.loc["صاروخ", "n_reference"]) == (3, 0)  # o1's four left out
    assert r.loc["صاروخ", "g2"] == pytest.approx(2 * 3 * math.log(3 / (6 * 3 / 14)))
    assert r.loc["قمح", "g2"] == pytest.approx(_g2(1, 3, 6, 8)) and r.loc["قمح", "g2"] < 0
    assert r.loc["مطر", "g2"] == pytest.approx(_g2(1, 3, 6, 8))
    assert r.loc["سوريا", "g2"] == pytest.approx(_g2(1, 1, 6, 8))
    assert r.loc["ايران", "g2"] == pytest.approx(_g2(0, 1, 6, 8))
    assert r.loc["صاروخ", "log_ratio"] == pytest.approx(math.log2((3 / 6) / (0.5 / 8)))
    # against the rest, o1 is in the reference: صاروخ is then 3 against 4
    rest = keyness(arts, m, "RUS", min_count=1).set_index("term")
    assert rest.loc["صاروخ", "n_reference"] == 4 and rest.loc["صاروخ", "g2"] == pytest.approx(_g2(3, 4, 6, 12))


def test_focus_reference_is_rest_on_the_two_groups():
    """reference=focus is reference=rest on the articles of the target and of the other focus entities."""
    arts, m = _articles(TEXTS), _mentions(TEXTS, FOUND)
    sub = arts[arts["article_id"] != "o1"].reset_index(drop=True)
    a = keyness(arts, m, "RUS", reference="focus", focus=FOCUS, min_count=1)
    b = keyness(sub, m, "RUS", min_count=1)
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize("target", ["RUS", "SYR", "IRN"])
def test_focus_reference_on_sample_equals_rest_on_the_subset(sample_dir, target):
    from analysis import extract_mentions, load_corpus

    arts = load_corpus(sample_dir, progress=False)
    m = extract_mentions(arts, progress=False)
    ent = m["country"].fillna(m["entity_id"])
    keep = set(m.loc[ent.isin(FOCUS), "article_id"].astype(str))
    sub = arts[arts["article_id"].astype(str).isin(keep)].reset_index(drop=True)
    got = keyness(arts, m, target, reference="focus", focus=FOCUS, resolve="country", min_count=2)
    want = _keyness_blanking(sub, m, target, resolve="country", min_count=2)
    pd.testing.assert_frame_equal(got, want)
    assert got.attrs["n_docs_reference"] == len(sub) - got.attrs["n_docs_target"] < len(arts) - got.attrs[
        "n_docs_target"] or len(sub) == len(arts)


def test_focus_reference_needs_other_focus_articles():
    arts, m = _articles(TEXTS), _mentions(TEXTS, FOUND)
    with pytest.raises(ValueError, match="focus entities besides the target"):
        keyness(arts, m, "RUS", reference="focus", focus=["RUS"])
    only = _mentions(TEXTS, [("t1", "روسيا", "RUS"), ("t2", "سوريا", "SYR"), ("t2", "روسيا", "RUS")])
    with pytest.raises(ValueError, match="no article mentions SYR without RUS"):
        keyness(arts, only, "RUS", reference="focus", focus=["RUS", "SYR"])
    with pytest.raises(ValueError, match="reference must be"):
        keyness(arts, m, "RUS", reference="others")


B_TEXTS = {"b1": "قمح مطر مطر ثلج", "b2": "روسيا قمح"}


def test_corpus_reference_by_hand():
    arts, m = _articles(TEXTS), _mentions(TEXTS, FOUND)
    other = _articles(B_TEXTS)  # no mentions needed: Russia's name leaves its counts
    k = keyness(arts, m, "RUS", reference=other, min_count=1)
    assert k.attrs["reference"] == "corpus" and k.attrs["n_docs_reference"] == 2
    assert (k.attrs["tokens_target"], k.attrs["tokens_reference"]) == (6, 5)  # b2's روسيا left out
    r = k.set_index("term")
    assert "روسيا" not in r.index
    assert (r.loc["ثلج", "n_target"], r.loc["ثلج", "n_reference"]) == (0, 1)  # a term only the reference has
    assert r.loc["ثلج", "g2"] == pytest.approx(_g2(0, 1, 6, 5))
    assert r.loc["صاروخ", "g2"] == pytest.approx(_g2(3, 0, 6, 5))
    assert r.loc["قمح", "g2"] == pytest.approx(_g2(1, 2, 6, 5))
    assert r.loc["مطر", "g2"] == pytest.approx(_g2(1, 2, 6, 5))


def test_corpus_reference_is_rest_on_the_target_articles_plus_the_other_corpus():
    arts, m = _articles(TEXTS), _mentions(TEXTS, FOUND)
    other = _articles({"b1": "قمح مطر مطر ثلج", "b2": "صاروخ قمح", "b3": "مطر في المدينة"})
    a = keyness(arts, m, "RUS", reference=other, min_count=1)
    both = pd.concat([arts[arts["article_id"].isin(["t1", "t2"])], other], ignore_index=True)
    b = keyness(both, m, "RUS", min_count=1)
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs["tokens_reference"] == b.attrs["tokens_reference"]


def test_corpus_reference_on_two_sample_halves(sample_dir):
    from analysis import extract_mentions, load_corpus

    arts = load_corpus(sample_dir, progress=False)
    m = extract_mentions(arts, progress=False)
    first, second = arts.iloc[:41], arts.iloc[41:].assign(article_id=lambda d: "other-" + d["article_id"])
    mf = m[m["article_id"].isin(first["article_id"])]
    k = keyness(first, mf, "SYR", resolve="country", reference=second, min_count=2)
    assert k.attrs["n_docs_reference"] == len(second)
    assert k.attrs["n_docs_target"] == mf.loc[mf["country"].fillna(mf["entity_id"]) == "SYR", "article_id"].nunique()
    assert not set(k["term"]) & set(k.attrs["names_excluded"])
    assert k["g2"].is_monotonic_decreasing and (k["p_adjusted"] >= k["p_value"] - 1e-15).all()


def test_bh_adjust_by_hand():
    p = np.array([0.01, 0.04, 0.03, 0.2, np.nan])
    # sorted 0.01 0.03 0.04 0.2 (m=4): 0.04, 0.06, 0.0533, 0.2 -> running minimum from the top
    assert bh_adjust(p)[:4] == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.2])
    assert np.isnan(bh_adjust(p)[4])


def test_keyness_p_adjusted_is_bh_over_every_term_tested():
    arts, m = _articles(TEXTS), _mentions(TEXTS, FOUND)
    full = keyness(arts, m, "RUS", min_count=1)
    p = full["p_value"].to_numpy()
    m_ = len(p)
    order = np.argsort(p)
    by_hand = np.empty(m_)
    running = 1.0
    for rank in range(m_, 0, -1):  # the step-up procedure written out
        i = order[rank - 1]
        running = min(running, p[i] * m_ / rank)
        by_hand[i] = running
    assert full["p_adjusted"].to_numpy() == pytest.approx(by_hand)
    assert full.attrs["n_terms_tested"] == m_
    top = keyness(arts, m, "RUS", min_count=1, n=1)  # the family is every term, not the rows returned
    assert top["p_adjusted"].iloc[0] == pytest.approx(full["p_adjusted"].iloc[0])


def test_rest_is_the_default_and_unchanged():
    arts, m = _articles(TEXTS), _mentions(TEXTS, FOUND)
    a = keyness(arts, m, "RUS", min_count=1)
    b = keyness(arts, m, "RUS", min_count=1, reference="rest", focus=FOCUS)
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs["reference"] == "rest" and a.attrs["n_docs_reference"] == 3
    # the rest: s1, i1, o1 (12 tokens), Russia's two articles 6 tokens
    assert (a.attrs["tokens_target"], a.attrs["tokens_reference"]) == (6, 12)
    pd.testing.assert_frame_equal(a, _keyness_blanking(arts, m, "RUS", min_count=1))


def test_report_keyness_section_states_its_reference(sample_dir, tmp_path):
    import analysis.report as R

    base = R.ReportContext(corpus=str(sample_dir), workers=0, k=0).load()
    notes = {}
    tables = {}
    other = tmp_path / "other.jsonl"
    base.articles.head(30).assign(article_id=lambda d: "o" + d["article_id"])[["article_id", "title", "text",
                                                                                "published", "outlet"]] \
        .to_json(other, orient="records", lines=True, force_ascii=False, date_format="iso")
    for ref in ("rest", "focus", str(other)):
        c = R.ReportContext.from_tables(base.articles, base.mentions, base.gaz, keyness_reference=ref, workers=0)
        res = R.keyness_section(c)
        notes[ref] = " ".join(text for _, text in res.notes)
        tables[ref] = res.tables["keyness"]
        assert {"p_value", "p_adjusted"} <= set(tables[ref].columns)
    assert "(reference rest)" in notes["rest"]
    assert "(reference focus" in notes["focus"]
    assert "reference corpus" in notes[str(other)] and str(other) in notes[str(other)]
    assert not tables["rest"].equals(tables["focus"])
    with pytest.raises(ValueError, match="keyness_reference"):
        R.ReportContext(keyness_reference=str(tmp_path / "nothing-here"))
    assert R.ReportContext(keyness_reference="FOCUS").keyness_reference == "focus"


@pytest.mark.realdata
@pytest.mark.filterwarnings("ignore:.*input\\(s\\) skipped")
def test_ant_russia_against_focus_is_not_syria(ant_corpus):
    """Issue 13: against the rest, Russia's distinctive terms are mostly Syria's (measured: سوريا, السوري,
    الغوطة, السورية, دوما ...); against the other focus entities' articles they are Russia's own stories
    (measured: بريطانيا, ترامب, وابنته, تسميم, الجاسوس ...: the Skripal poisoning, the World Cup)."""
    from analysis import extract_mentions, load_corpus

    arts = load_corpus(ant_corpus, exclude_categories=["sport"], progress=False)
    m = extract_mentions(arts, progress=False)
    top = {ref: keyness(arts, m, "RUS", resolve="country", reference=ref, focus=FOCUS, n=10)
           for ref in ("rest", "focus")}
    terms = {ref: set(k["term"]) for ref, k in top.items()}
    assert "سوريا" in terms["rest"] and not {"سوريا", "ايران"} & terms["focus"]
    assert len(terms["rest"] & terms["focus"]) <= 5
    assert {"تسميم", "الجاسوس"} <= terms["focus"]
    assert top["focus"].attrs["n_docs_target"] == top["rest"].attrs["n_docs_target"]
    assert top["focus"].attrs["n_docs_reference"] < top["rest"].attrs["n_docs_reference"]
