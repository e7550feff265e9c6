"""The quote gold sets (benchmarks/gold/quotes*/): schema, no corpus text, disjoint, and they rebuild."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

GOLD = Path(__file__).resolve().parents[1] / "benchmarks" / "gold"
SETS = {"first": GOLD / "quotes", "heldout": GOLD / "quotes_heldout", "heldout2": GOLD / "quotes_heldout2",
        "heldout3": GOLD / "quotes_heldout3", "heldout4": GOLD / "quotes_heldout4",
        "heldout5": GOLD / "quotes_heldout5", "heldout6": GOLD / "quotes_heldout6",
        "heldout7": GOLD / "quotes_heldout7", "heldout8": GOLD / "quotes_heldout8",
        "heldout9": GOLD / "quotes_heldout9", "heldout10": GOLD / "quotes_heldout10",
        "heldout11": GOLD / "quotes_heldout11", "heldout12": GOLD / "quotes_heldout12",
        "heldout13": GOLD / "quotes_heldout13", "heldout14": GOLD / "quotes_heldout14",
        "heldout15": GOLD / "quotes_heldout15", "heldout16": GOLD / "quotes_heldout16"}
HELDOUT = ["heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6", "heldout7", "heldout8",
           "heldout9", "heldout10", "heldout11", "heldout12", "heldout13", "heldout14", "heldout15",
           "heldout16"]


def _rebuild(folder: Path):
    spec = importlib.util.spec_from_file_location(f"rebuild_{folder.name}", folder / "rebuild.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _labels(name: str) -> pd.DataFrame:
    return pd.read_csv(SETS[name] / "labels.csv", dtype=str, keep_default_na=False)


def test_all_sets_have_the_same_schema():
    for name in HELDOUT:
        assert list(_labels("first").columns) == list(_labels(name).columns), name
    for name in SETS:
        sent = pd.read_csv(SETS[name] / "sentences.csv", dtype=str, keep_default_na=False)
        lab = _labels(name)
        assert lab["sentence_id"].isin(sent["sentence_id"]).all(), name
        assert set(lab["split"]) <= {"dev", "test"}, name


@pytest.mark.parametrize("name", list(SETS))
def test_labels_hold_no_corpus_text(name):
    # ids, offsets, codes, short verb forms and notes: no cell long enough to be a sentence
    for file in ("labels.csv", "sentences.csv"):
        df = pd.read_csv(SETS[name] / file, dtype=str, keep_default_na=False)
        assert "text" not in df.columns and "sentence" not in df.columns
        longest = df.drop(columns=[c for c in ("note", "speaker_outside_text_hint") if c in df]).map(len).max().max()
        assert longest <= 64, (name, file, longest)


@pytest.mark.parametrize("name", HELDOUT)
def test_heldout_set_is_disjoint_from_the_earlier_ones(name):
    held = _labels(name)
    for earlier in list(SETS)[:list(SETS).index(name)]:
        other = _labels(earlier)
        assert set(other["article_id"]).isdisjoint(held["article_id"]), (name, earlier)
        assert set(other["sentence_sha1"]).isdisjoint(held["sentence_sha1"]), (name, earlier)
    assert set(held["split"]) == {"test"}  # scored once, never tuned on
    n_statements = (held["verb_start"] != "").sum()
    assert n_statements >= 200


@pytest.mark.realdata
@pytest.mark.parametrize("name", list(SETS))
def test_gold_rebuilds_with_checksums(name, ant_corpus):
    gold = _rebuild(SETS[name]).load_gold(ant_corpus)  # raises on any checksum or offset mismatch
    assert len(gold) == len(_labels(name))
    rows = gold[gold["has_statement"].astype(bool)]
    assert len(rows) == (_labels(name)["verb_start"] != "").sum()
    # the rebuilt verb is the text at its offsets, inside the rebuilt sentence
    assert all(isinstance(v, str) and v and v in s for v, s in zip(rows["verb"], rows["sentence"]))


@pytest.mark.parametrize("name", ["heldout4", "heldout5", "heldout6", "heldout7", "heldout8", "heldout9",
                                  "heldout10", "heldout11", "heldout12", "heldout13", "heldout14", "heldout15",
           "heldout16"])
def test_labels_of_the_sets_made_in_parts_are_their_parts_merged(name):
    folder = SETS[name]
    parts = pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False)
                       for p in sorted((folder / "parts").glob("labels_part*.csv"))], ignore_index=True)
    merged = parts.sort_values(["sentence_id", "gold_id"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(merged, _labels(name))
    # every selected sentence is labelled, each in exactly one part
    sent = pd.read_csv(folder / "sentences.csv", dtype=str, keep_default_na=False)
    assert set(parts["sentence_id"]) == set(sent["sentence_id"])
