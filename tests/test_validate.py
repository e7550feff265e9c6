"""Validation on the user's corpus: stratified sample -> hand codes -> precision with Wilson intervals."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from analysis.cli import main
from analysis.entities.mentions import extract_mentions
from analysis.entities.validate import (ACCURACY_COLUMNS, SAMPLE_COLUMNS, SCORE_COLUMNS, ValidationError,
                                        accuracy_table, sample_mentions, score_validation)


@pytest.fixture(scope="module")
def corpus(sample_dir):
    from analysis.io.load import load_corpus

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = load_corpus([sample_dir], progress=False)
    return a, extract_mentions(a, progress=False)


def test_sample_is_stratified_seeded_and_in_context(corpus):
    a, m = corpus
    s = sample_mentions(a, m, n=40, by="entity_type", seed=3)
    assert list(s.columns) == SAMPLE_COLUMNS
    assert len(s) == 40 and s["mention_id"].is_unique and s["sample_id"].tolist() == list(range(1, 41))
    counts = s["stratum"].value_counts()
    sizes = m["entity_type"].value_counts()
    assert set(counts.index) == set(sizes.index)
    assert counts.max() - counts.min() <= 1 or counts.min() == sizes.min()  # equal shares unless a stratum is small
    assert (s["stratum_size"] == s["stratum"].map(sizes)).all()
    # the context is the article's own text around the surface
    texts = dict(zip(a["article_id"], a["text"]))
    r = s[s["field"] == "text"].iloc[0]
    src = texts[r.article_id]
    assert src[r.start:r.end] == r.surface and " ".join(src[max(0, r.start - 80):r.start].split()) == r.left
    pd.testing.assert_frame_equal(s, sample_mentions(a, m, n=40, by="entity_type", seed=3))
    assert not s["mention_id"].equals(sample_mentions(a, m, n=40, by="entity_type", seed=4)["mention_id"])


def test_small_strata_give_all_and_the_rest_goes_elsewhere(corpus):
    a, m = corpus
    small = m[m["entity_type"] == "organization"].head(3)
    big = m[m["entity_type"] == "country"]
    s = sample_mentions(a, pd.concat([small, big]), n=20, by="entity_type", seed=1)
    assert (s["entity_type"] == "organization").sum() == 3 and (s["entity_type"] == "country").sum() == 17
    everything = sample_mentions(a, small, n=50, seed=1)
    assert len(everything) == 3
    by_two = sample_mentions(a, m, n=30, by=["entity_type", "mention_kind"], seed=1)
    assert by_two["stratum"].str.contains(" / ").all()
    with pytest.raises(ValueError, match="no column"):
        sample_mentions(a, m, by="nope")
    with pytest.raises(ValueError, match="positive"):
        sample_mentions(a, m, n=0)


def _codes(n_correct, n_wrong, n_unsure=0, n_blank=0, etype="person", eid="x", stratum=None, size=100):
    codes = ["correct"] * n_correct + ["w"] * n_wrong + ["unsure"] * n_unsure + [""] * n_blank
    return pd.DataFrame({"entity_id": eid, "entity_type": etype, "code": codes,
                         "stratum": stratum or etype, "stratum_size": size})


def test_score_precision_and_wilson_interval():
    df = pd.concat([_codes(18, 2, 1, 3, "person", "putin", size=600), _codes(9, 1, 0, 0, "place", "moscow", size=400)])
    sc = score_validation(df)
    assert list(sc.columns) == SCORE_COLUMNS
    allrow = sc[sc["level"] == "all"].iloc[0]
    assert (allrow.n_coded, allrow.correct, allrow.wrong, allrow.unsure, allrow.uncoded) == (30, 27, 3, 1, 3)
    assert allrow.precision == pytest.approx(0.9)
    # Wilson 95 % for 27/30 (Newcombe 1998): 0.7438 - 0.9654
    assert allrow.precision_low == pytest.approx(0.7438, abs=5e-4)
    assert allrow.precision_high == pytest.approx(0.9654, abs=5e-4)
    person = sc[(sc["level"] == "entity_type") & (sc["group"] == "person")].iloc[0]
    assert person.precision == pytest.approx(0.9)
    w = sc[sc["level"] == "all (weighted)"].iloc[0]
    assert w.precision == pytest.approx(0.6 * 0.9 + 0.4 * 0.9)
    assert set(sc.loc[sc["level"] == "entity_id", "group"]) == {"putin", "moscow"}


def test_bad_codes_name_file_and_line(tmp_path):
    path = tmp_path / "codes.csv"
    _codes(2, 1).assign(code=["correct", "maybe?", "wrong"]).to_csv(path, index=False)
    with pytest.raises(ValidationError, match=r"codes\.csv:3: code 'maybe\?'"):
        score_validation(path)
    with pytest.raises(ValidationError, match="missing column"):
        score_validation(pd.DataFrame({"code": ["c"]}))
    with pytest.raises(ValidationError, match="not found"):
        score_validation(tmp_path / "nope.csv")


def test_round_trip_on_the_command_line(tmp_path, sample_dir, capsys):
    out = tmp_path / "codes.csv"
    assert main(["validate", "sample", str(sample_dir), "--n", "30", "--by", "entity_type", "--seed", "7",
                 "--out", str(out), "--quiet"]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: spreadsheets read the Arabic as UTF-8
    s = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(s.columns) == SAMPLE_COLUMNS and len(s) == 30 and (s["code"] == "").all()
    # a coder: persons right, one country wrong, the rest right, one left unsure
    s.loc[:, "code"] = "c"
    s.loc[s.index[0], "code"] = "unsure"
    wrong = s.index[s["entity_type"] == "country"][0]
    s.loc[wrong, "code"] = "wrong"
    s.to_csv(out, index=False, encoding="utf-8-sig")
    capsys.readouterr()
    scores = tmp_path / "scores.csv"
    assert main(["validate", "score", str(out), "--out", str(scores)]) == 0
    printed = capsys.readouterr().out
    assert "entity_type" in printed and "country" in printed and "[" in printed
    sc = pd.read_csv(scores, encoding="utf-8-sig")
    allrow = sc[sc["level"] == "all"].iloc[0]
    assert allrow.n_coded == 29 and allrow.wrong == 1 and allrow.unsure == 1
    assert allrow.precision == pytest.approx(28 / 29)
    # the same sample again: refused, the codes are not overwritten
    assert main(["validate", "sample", str(sample_dir), "--out", str(out), "--quiet"]) == 2
    assert "exists" in capsys.readouterr().err
    assert pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")["code"].ne("").all()
    # a typo in the codes: exit 2 naming the file and line
    s.loc[s.index[3], "code"] = "corect"
    s.to_csv(out, index=False, encoding="utf-8-sig")
    assert main(["validate", "score", str(out)]) == 2
    assert "codes.csv:5" in capsys.readouterr().err


def test_accuracy_table_from_codes_or_the_package():
    pkg = accuracy_table()
    assert list(pkg.columns) == ACCURACY_COLUMNS and len(pkg)
    assert pkg["other_outlets"].all() and "other outlets" in pkg.attrs["note"]
    rus = pkg[(pkg["source"].str.contains("countries")) & (pkg["target"] == "RUS")]
    assert len(rus) == 1 and rus["f1"].iloc[0] >= 0.95
    assert rus["precision_low"].iloc[0] <= rus["precision"].iloc[0] <= rus["precision_high"].iloc[0] + 1e-9
    assert {"person", "office", "country"} <= set(pkg.loc[pkg["source"].str.contains("entities"), "target"])
    own = accuracy_table(pd.concat([_codes(8, 2, etype="person"), _codes(5, 0, etype="country")]))
    assert not own["other_outlets"].any()
    assert own.loc[own["scope"] == "all", "precision"].iloc[0] == pytest.approx(13 / 15)
    assert set(own.loc[own["scope"] == "entity_type", "target"]) == {"person", "country"}
    assert own["recall"].isna().all()  # a sample of mentions measures precision only


def test_accuracy_json_is_the_evaluation_scripts_output():
    import json
    from importlib import resources
    from pathlib import Path

    obj = json.loads(Path(str(resources.files("analysis") / "data" / "matching_accuracy.json")).read_text("utf-8"))
    assert obj["generated_by"].startswith("benchmarks/eval_mentions.py")
    assert any(k.startswith("entities test") for k in obj) and any(k.startswith("test (") for k in obj)


@pytest.mark.realdata
def test_sample_on_real_corpus(ant_corpus):
    from analysis.io.load import load_corpus

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = load_corpus([ant_corpus], progress=False).iloc[:3000]
    m = extract_mentions(a, progress=False)
    s = sample_mentions(a, m, n=200, by="entity_type", seed=11)
    assert len(s) == 200 and s["entity_type"].nunique() == 4
    assert np.all(s["surface"].str.len() > 0)


def test_report_methods_show_the_corpus_own_validation(sample_dir, tmp_path):
    """--validation codes.csv: the Methods section shows this corpus's precision, not the gold set's."""
    import analysis.report as R
    from analysis.report.export import write_csv

    ctx = R.ReportContext(corpus=str(sample_dir), workers=0).load()
    sample = sample_mentions(ctx.articles, ctx.mentions, n=30, by="entity_type", seed=2)
    sample["code"] = ["correct"] * (len(sample) - 3) + ["wrong"] * 3
    codes = write_csv(sample, tmp_path / "codes.csv")
    gold = R.methods_section(ctx).tables["matching_accuracy"]
    assert gold["other_outlets"].all() and len(gold)
    own_ctx = R.ReportContext(corpus=str(sample_dir), workers=0, validation=str(codes))
    own_ctx.articles, own_ctx.mentions, own_ctx.gaz = ctx.articles, ctx.mentions, ctx.gaz
    own = R.methods_section(own_ctx)
    table = own.tables["matching_accuracy"]
    assert not table["other_outlets"].any()
    overall = table[table["scope"] == "all"].iloc[0]
    assert overall["n"] == len(sample) and overall["precision"] == pytest.approx((len(sample) - 3) / len(sample))
    assert overall["precision_low"] < overall["precision"] < overall["precision_high"]
    assert not any("other outlets" in text for _, text in own.notes)


def test_report_methods_warn_that_gold_figures_come_from_other_outlets(sample_dir):
    import analysis.report as R

    ctx = R.ReportContext(corpus=str(sample_dir), workers=0).load()
    res = R.methods_section(ctx)
    assert any("measured on the package's gold sets" in text for _, text in res.notes)
    assert res.tables["matching_accuracy"]["other_outlets"].all()
