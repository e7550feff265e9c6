"""The entity-mention gold set (benchmarks/gold) and its scorer
(benchmarks/eval_mentions.py)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pycountry
import pytest

REPO = Path(__file__).resolve().parents[1]
GOLD_DIR = REPO / "benchmarks" / "gold"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


rebuild = _load("rebuild", GOLD_DIR / "rebuild.py")
ev = _load("eval_mentions", REPO / "benchmarks" / "eval_mentions.py")


@pytest.fixture(scope="module")
def labels() -> pd.DataFrame:
    return rebuild.read_labels()


# -- label file ---------------------------------------------------------------

def test_label_schema(labels):
    assert len(labels) >= 300
    assert labels["gold_id"].is_unique
    assert set(labels["split"]) == {"dev", "test"}
    n_dev = (labels["split"] == "dev").sum()
    assert abs(n_dev - (len(labels) - n_dev)) <= len(labels) * 0.05
    assert set(labels["field"]) <= {"title", "text"}
    assert (labels["start"] >= 0).all() and (labels["end"] > labels["start"]).all()
    assert labels["putin"].isin([0, 1]).all() and labels["bashar_assad"].isin([0, 1]).all()
    assert labels["text_sha1"].str.fullmatch(r"[0-9a-f]{40}").all()
    # no sentence labelled twice
    assert not labels.duplicated(["docno", "field", "start", "end"]).any()


def test_country_codes_are_iso3(labels):
    for gid, codes in zip(labels["gold_id"], labels["countries"]):
        for code in codes:
            assert pycountry.countries.get(alpha_3=code) is not None, (gid, code)
        assert codes == sorted(set(codes)), gid


def test_hard_cases_present(labels):
    count = labels["stratum"].value_counts()
    for stratum in ("belarus", "b_russia", "irgc_sdf_inst", "office", "bashar_assad",
                    "assad_bare", "asad_sport", "putin", "oman", "mali", "maghrib", "turki",
                    "rus_clitic", "rus_demonym", "syr_clitic", "syr_demonym", "irn_clitic",
                    "irn_demonym", "irn_nohamza", "sport", "random"):
        assert count.get(stratum, 0) >= 4, stratum
    has = labels["countries"].map(set)
    assert (has.map(len) == 0).sum() >= 30          # sentences with no country
    for code in ("RUS", "SYR", "IRN", "BLR"):
        assert has.map(lambda s, c=code: c in s).sum() >= 5, code
    assert labels["putin"].sum() >= 10 and labels["bashar_assad"].sum() >= 10
    # both halves hold each focus label
    for split, part in labels.groupby("split"):
        for code in ("RUS", "SYR", "IRN"):
            assert part["countries"].map(lambda s, c=code: c in s).sum() >= 10, (split, code)


def test_read_labels_split_and_bad_file(labels, tmp_path):
    assert (rebuild.read_labels(split="dev")["split"] == "dev").all()
    with pytest.raises(rebuild.GoldError):
        rebuild.read_labels(split="train")
    bad = tmp_path / "labels.csv"
    bad.write_text("gold_id,split\ng1,dev\n", encoding="utf-8")
    with pytest.raises(rebuild.GoldError, match="missing columns"):
        rebuild.read_labels(bad)


def test_labels_hold_no_corpus_text():
    # only ids, offsets, codes, short notes: no column may hold a sentence
    for name in ("labels.csv", "selection.csv"):
        df = pd.read_csv(GOLD_DIR / name, dtype=str, keep_default_na=False)
        assert "text" not in df.columns
        longest = df.drop(columns=[c for c in ("note",) if c in df]).map(len).max().max()
        assert longest <= 64, name


# -- rebuild from the corpus ----------------------------------------------------

@pytest.fixture(scope="module")
def gold_all(ant_corpus):
    return rebuild.load_gold(ant_corpus)


@pytest.mark.realdata
def test_rebuild_reproduces_sha1(gold_all, labels):
    assert len(gold_all) == len(labels)
    assert gold_all["text"].map(rebuild.sha1).tolist() == gold_all["text_sha1"].tolist()
    assert gold_all["text"].str.len().between(30, 320).all()
    assert not gold_all["text"].str.contains("\n").any()


@pytest.mark.realdata
def test_rebuild_detects_changed_offsets(ant_corpus, tmp_path):
    df = pd.read_csv(GOLD_DIR / "labels.csv", dtype=str, keep_default_na=False).head(3)
    df.loc[0, "end"] = str(int(df.loc[0, "end"]) - 1)
    path = tmp_path / "labels.csv"
    df.to_csv(path, index=False)
    with pytest.raises(rebuild.GoldError, match="sha1"):
        rebuild.load_gold(ant_corpus, labels_path=path)


@pytest.mark.realdata
def test_articles_from_gold(gold_all):
    arts = ev.articles_from_gold(gold_all.head(20))
    assert list(arts["article_id"]) == list(gold_all["gold_id"].head(20))
    assert (arts["title"] == "").all()
    assert str(arts["published"].dtype) .startswith("datetime64") and arts["published"].notna().all()
    assert arts["published"].dt.tz is not None


# -- scorer -----------------------------------------------------------------------

def _lab(countries=(), putin=False, assad=False):
    return {"countries": set(countries), "putin": putin, "bashar_assad": assad}


def test_score_hand_made_example():
    gold = {
        "a": _lab(["RUS", "SYR"], putin=True),
        "b": _lab(["IRN"]),
        "c": _lab([], assad=True),
        "d": _lab(["BLR"]),
    }
    pred = {
        "a": _lab(["RUS"], putin=True),            # misses SYR
        "b": _lab(["IRN", "RUS"]),                 # extra RUS
        "c": _lab(["SYR"], assad=True),            # extra SYR
        # d: nothing predicted -> misses BLR
    }
    s = ev.score(gold, pred)
    allc = s["countries"]
    assert (allc["tp"], allc["fp"], allc["fn"]) == (2, 2, 2)
    assert allc["precision"] == pytest.approx(0.5) and allc["recall"] == pytest.approx(0.5)
    assert allc["f1"] == pytest.approx(0.5)
    assert (s["RUS"]["tp"], s["RUS"]["fp"], s["RUS"]["fn"]) == (1, 1, 0)
    assert s["RUS"]["precision"] == pytest.approx(0.5) and s["RUS"]["recall"] == 1.0
    assert s["RUS"]["f1"] == pytest.approx(2 / 3)
    assert (s["SYR"]["tp"], s["SYR"]["fp"], s["SYR"]["fn"]) == (0, 1, 1)
    assert s["SYR"]["f1"] == 0.0
    assert s["IRN"]["f1"] == 1.0
    assert s["putin"]["f1"] == 1.0 and s["bashar_assad"]["f1"] == 1.0
    errs = ev.errors(gold, pred)
    assert [e["gold_id"] for e in errs] == ["a", "b", "c", "d"]
    assert errs[0]["missed"] == ["SYR"] and errs[1]["extra"] == ["RUS"]
    assert errs[3]["expected"] == ["BLR"] and errs[3]["got"] == []


def test_prf_edge_cases():
    assert ev.prf(0, 0, 0)["f1"] == 1.0       # nothing to find, nothing found
    assert ev.prf(0, 0, 3)["recall"] == 0.0 and ev.prf(0, 0, 3)["f1"] == 0.0
    assert ev.prf(0, 2, 0)["precision"] == 0.0
    assert ev.prf(3, 1, 0)["precision"] == pytest.approx(0.75)


def test_predictions_from_mentions_rules():
    m = pd.DataFrame({
        "article_id": ["a", "a", "a", "a", "b", "b", "zz"],
        "entity_id": ["RUS", "IRN", "putin", "bashar_assad", "SYR", "bashar_assad", "USA"],
        "entity_type": ["country", "country", "person", "person", "country", "person", "country"],
        "mention_kind": ["name", "derived", "name", "office", "demonym", "name", "name"],
    })
    p = ev.predictions_from_mentions(m, ["a", "b", "c"])
    assert p["a"] == _lab(["IRN", "RUS"], putin=True, assad=False)   # office does not name
    assert p["b"] == _lab(["SYR"], assad=True)
    assert p["c"] == _lab()
    assert "zz" not in p


def test_evaluate_with_fake_predictor():
    # a trivial stand-in for extract_mentions: substring lookup of three names
    gold = pd.DataFrame({
        "gold_id": ["g1", "g2", "g3"], "countries": [["RUS"], ["BLR"], []],
        "putin": [1, 0, 0], "bashar_assad": [0, 0, 0],
        "text": ["قال بوتين إن روسيا مستعدة", "وصل إلى بيلاروسيا الاثنين", "لا شيء هنا"],
        "time": ["Sun, 18 Feb 2018 21:35:43 +0400"] * 3, "src": ["BBC"] * 3, "cat": [""] * 3,
    })

    def fake(articles):
        rows = []
        for a in articles.itertuples(index=False):
            assert a.published.year == 2018
            if "روسيا" in a.text:            # naive: also fires inside بيلاروسيا
                rows.append((a.article_id, "RUS", "country", "name"))
            if "بوتين" in a.text:
                rows.append((a.article_id, "putin", "person", "name"))
        return pd.DataFrame(rows, columns=["article_id", "entity_id", "entity_type", "mention_kind"])

    res = ev.evaluate("dev", extract=fake, gold=gold, context="sentence")
    s = res["scores"]
    assert (s["RUS"]["tp"], s["RUS"]["fp"]) == (1, 1)
    assert s["countries"]["fn"] == 1 and s["putin"]["f1"] == 1.0
    assert s["RUS"]["precision_low"] < 0.5 < s["RUS"]["precision_high"]  # Wilson interval of 1/2
    assert [e["gold_id"] for e in res["errors"]] == ["g2"]
    assert "gold split: dev (3 sentences; matched on sentences alone)" in ev.format_scores(res)


def test_sentence_mentions_keep_the_gold_span_only():
    gold = pd.DataFrame({"gold_id": ["g1"], "docno": ["d1"], "field": ["text"], "start": [10], "end": [20]})
    m = pd.DataFrame({"article_id": ["d1", "d1", "d1", "d2"], "field": ["text", "text", "title", "text"],
                      "start": [12, 25, 12, 12], "end": [16, 30, 16, 16], "entity_id": ["RUS", "SYR", "IRN", "USA"]})
    got = ev.sentence_mentions(m, gold)
    assert got["entity_id"].tolist() == ["RUS"] and got["article_id"].tolist() == ["g1"]


@pytest.mark.realdata
def test_article_context_scores_the_country_set(ant_corpus):
    res = ev.evaluate("test", ant_corpus, context="article")
    for code in ("RUS", "SYR", "IRN"):
        assert res["scores"][code]["f1"] >= 0.98, code


# -- the entity gold set of issue 11 (benchmarks/gold/entities) --------------------

ENT_DIR = REPO / "benchmarks" / "gold" / "entities"


def test_entity_gold_files_and_schema():
    assert (ENT_DIR / "DONE").is_file()
    erb = _load("entity_gold_rebuild_t", ENT_DIR / "rebuild.py")
    lab = erb.read_labels()
    assert lab["gold_id"].nunique() == 288 and set(lab["split"]) == {"dev", "test"}
    assert set(lab["corpus"]) == {"ant", "egy"}
    spans = lab[lab["span_start"].notna()]
    assert set(spans["is_mention"].astype(int)) == {0, 1}
    assert set(spans["entity_type"]) <= {"person", "office", "country", "place", "organization"}
    assert "sentence" not in lab.columns  # no corpus text in the repository


def test_entity_scorer_on_a_hand_made_example():
    ee = _load("eval_entities_t", REPO / "benchmarks" / "eval_entities.py")
    assert ee.prf(3, 1, 3, 1)["precision"] == 0.75
    assert ee.wilson(0, 0) == (None, None)
    row = pd.Series({"correct_reading": "another person (vice president: mike_pence)"})
    assert ee._reading_is(row, "pence") and not ee._reading_is(row, "trump")
    assert ee.main(["--split", "test"]) == 2  # the held-out half needs --final


@pytest.mark.realdata
def test_entity_gold_rebuilds_and_scores(shared_dir):
    ee = _load("eval_entities_t2", REPO / "benchmarks" / "eval_entities.py")
    res = ee.evaluate("dev")
    assert res["n_sentences"] == 144
    for t in ("person", "office", "country"):
        assert res["scores"][t]["all"]["f1"] >= 0.85, t
