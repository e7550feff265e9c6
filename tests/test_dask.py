"""The Dask engine gives the in-memory results: articles (dedup, dup_group, ids, skipped), mentions,
co-mention and coverage counts and measures, on a two-process LocalCluster."""
from __future__ import annotations

import argparse
import gzip
import json
import warnings

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")

import analysis
from analysis import dask as ad

RTOL = 1e-12
SURFACE = 0.99  # on ANT: share of keyness terms whose surface spelling is the in-memory one (measured 0.998)


@pytest.fixture(scope="module")
def client():
    c = ad.get_client(workers=2, memory_limit="2GB", threads_per_worker=1)
    yield c
    c.close()


def _quiet_load(paths, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return analysis.load_corpus(paths, progress=False, **kw)


def _assert_articles(ddf, ref):
    got = ddf.compute()
    assert list(got.columns) == list(ref.columns) + ["line"]
    pd.testing.assert_frame_equal(got.drop(columns="line").reset_index(drop=True), ref.reset_index(drop=True))
    info = ad.load_info(ddf)
    assert info["summary"] == ref.attrs["summary"]
    pd.testing.assert_frame_equal(info["skipped"], ref.attrs["skipped"])
    pd.testing.assert_frame_equal(info["problems"], ref.attrs["problems"])
    assert info["inputs"] == ref.attrs["inputs"]
    return got


def _requests():
    return [
        ad.comention_request("sentence"),
        ad.comention_request("paragraph", by="period", freq="W"),
        ad.comention_request("article", by="period,outlet", freq="M", resolve="country", min_count=2),
        ad.coverage_request(freq="M"),
        ad.coverage_request(freq="W", by="outlet", resolve="country"),
        ad.keyness_request("RUS"),
        ad.keyness_request(["SYR", "IRN"], resolve="country", n=50),
    ]


def _reference_tables(arts, m):
    return [
        analysis.count_comentions(mentions=m, articles=arts, level="sentence"),
        analysis.count_comentions(mentions=m, articles=arts, level="paragraph", by="period", freq="W"),
        analysis.count_comentions(mentions=m, articles=arts, level="article", by=["period", "outlet"], freq="M",
                                  resolve="country", min_count=2),
        analysis.coverage(articles=arts, mentions=m, freq="M"),
        analysis.coverage(articles=arts, mentions=m, freq="W", by="outlet", resolve="country"),
        analysis.keyness(arts, m, "RUS"),
        analysis.keyness(arts, m, ["SYR", "IRN"], resolve="country", n=50),
    ]


def _assert_tables(got, want, surface_share=1.0):
    for a, b in zip(got, want):
        assert len(b) > 0
        if "surface" in b.columns:  # keyness: the spelling shown is the partitions' most frequent one
            assert (a["surface"] == b["surface"]).mean() >= surface_share
            a, b = a.drop(columns="surface"), b.drop(columns="surface")
        pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=RTOL)
        int_cols = [c for c in b.columns if c.startswith("n")]
        pd.testing.assert_frame_equal(a[int_cols], b[int_cols], check_exact=True)
        assert a.attrs == b.attrs


def test_sample_corpus_counts_equal(client, sample_dir):
    ref = _quiet_load([sample_dir])
    ddf = ad.read_corpus([sample_dir], blocksize="20KB", progress=False)  # small files grouped
    assert ddf.npartitions >= 5
    _assert_articles(ddf, ref)
    m = analysis.extract_mentions(ref, progress=False)
    dm = ad.extract_mentions(ddf)
    pd.testing.assert_frame_equal(dm.compute().reset_index(drop=True), m)
    _assert_tables(ad.count_tables(ddf, dm, _requests(), progress=False), _reference_tables(ref, m))
    # the one-table functions are the same computation
    pd.testing.assert_frame_equal(ad.count_comentions(articles=ddf, mentions=dm, progress=False),
                                  analysis.count_comentions(mentions=m, articles=ref), rtol=RTOL)


def _records(sample_dir):
    """Records made from the sample corpus: copies (same outlet: duplicates; another outlet: wire
    copies), repeated ids, ids ending in ~2, and bad lines of every kind."""
    arts = _quiet_load([sample_dir], dedup=False)
    lines = []
    for rep in range(6):
        for i, a in enumerate(arts.itertuples(index=False)):
            rec = {"title": a.title, "text": a.text, "outlet": a.outlet if rep % 3 else "wire",
                   "date": None if pd.isna(a.published) else a.published.isoformat(), "category": a.category}
            if rep >= 3:
                rec["text"] = a.text + f" نسخة {rep}" if i % 2 else a.text
            if i % 7 == 0:
                rec["id"] = f"id{i % 5}"
            if i % 11 == 0:
                rec["id"] = f"id{i % 5}~2"
            lines.append(json.dumps(rec, ensure_ascii=False))
            if i % 17 == 0:
                lines.append('{"title": "broken", "text": ')
            if i % 19 == 0:
                lines.append(json.dumps({"title": "t", "text": "   "}))
            if i % 23 == 0:
                lines.append("[1, 2]")
                lines.append("")
            if i % 29 == 0:
                lines.append(json.dumps({"title": "x", "text": "نص", "date": "not a date", "outlet": 5}))
    return lines


@pytest.fixture(scope="module")
def jsonl_file(tmp_path_factory, sample_dir):
    path = tmp_path_factory.mktemp("dask_jsonl") / "corpus.jsonl"
    path.write_text("\n".join(_records(sample_dir)) + "\n", encoding="utf-8")
    return path


def test_jsonl_byte_ranges_load_like_load_corpus(client, jsonl_file):
    ref = _quiet_load([jsonl_file])
    assert ref.attrs["summary"]["duplicates_dropped"] > 0 and ref.attrs["summary"]["wire_copies"] > 0
    assert ref.attrs["summary"]["ids_made_unique"] > 0 and ref.attrs["summary"]["skipped_records"] > 0
    pieces, _ = ad.plan_pieces([jsonl_file], blocksize="100KB")
    assert len(pieces) >= 4 and {p.kind for p in pieces} == {"range"}
    assert pieces[0].start == 0 and all(a.end == b.start for a, b in zip(pieces, pieces[1:]))
    ddf = ad.read_corpus([jsonl_file], blocksize="100KB", progress=False)
    assert ddf.npartitions == len(pieces)
    got = _assert_articles(ddf, ref)
    # the line column is the record's line in the file
    raw = jsonl_file.read_text(encoding="utf-8").split("\n")
    for line, title in zip(got["line"].head(50), got["title"].head(50)):
        assert json.loads(raw[line - 1])["title"] == title
    # filters apply before duplicates are merged, as in load_corpus
    ref_f = _quiet_load([jsonl_file], outlets="wire", dedup=False)
    _assert_articles(ad.read_corpus([jsonl_file], blocksize="100KB", outlets="wire", dedup=False,
                                    progress=False), ref_f)


def test_jsonl_gz_streamed_into_chunks(client, jsonl_file, tmp_path):
    gz = tmp_path / "corpus.jsonl.gz"
    data = jsonl_file.read_bytes()
    with gzip.open(gz, "wb") as fh:
        fh.write(data)
    ref = _quiet_load([gz])
    pieces, _ = ad.plan_pieces([gz], blocksize="100KB", spill_dir=tmp_path / "spill")
    assert len(pieces) >= 4 and {p.kind for p in pieces} == {"chunk"}
    ddf = ad.read_corpus([gz], blocksize="100KB", spill_dir=tmp_path / "spill", progress=False)
    _assert_articles(ddf, ref)
    # a truncated stream: everything before the break, the break reported at its line
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(gz.read_bytes()[: gz.stat().st_size * 2 // 3])
    ref_cut = _quiet_load([cut])
    assert "truncated" in set(ref_cut.attrs["skipped"]["kind"])
    _assert_articles(ad.read_corpus([cut], blocksize="100KB", spill_dir=tmp_path / "spill", progress=False), ref_cut)


def test_topics_on_a_seeded_sample(client, sample_dir):
    ddf = ad.read_corpus([sample_dir], progress=False)
    s1 = ad.sample_articles(ddf, 40, random_state=3)
    s2 = ad.sample_articles(ddf, 40, random_state=3)
    pd.testing.assert_frame_equal(s1, s2)
    assert len(s1) == 40 and s1["article_id"].is_unique
    assert not s1["article_id"].equals(ad.sample_articles(ddf, 40, random_state=4)["article_id"])
    model = ad.fit_topics(ddf, k=4, sample=60, random_state=0)
    assert model.fit_info_["fit"] == "sample" and model.fit_info_["n_fit_sample"] == 60
    assert model.fit_info_["n_articles"] == 82
    doc = model.doc_topics_.compute()
    assert set(doc["article_id"]) <= set(ddf["article_id"].compute())
    assert doc.groupby("article_id")["weight"].sum().between(0, 1 + 1e-9).all()
    assert len(model.topics(5)) == 4 * 5
    whole = ad.fit_topics(ddf, k=4, sample=1000, random_state=0)
    assert whole.fit_info_["fit"] == "all"


def test_cli_comention_on_dask(client, sample_dir, tmp_path):
    from analysis.cli import comention as cmd


    sub = argparse.ArgumentParser()
    cmd.add_arguments(sub)  # the command's own options include the engine options
    out = tmp_path / "co.csv"
    args = sub.parse_args([str(sample_dir), "--out", str(out), "--engine", "dask", "--level", "article",
                           "--scheduler", client.scheduler.address, "--quiet"])
    assert cmd.run(args) == 0
    got = pd.read_csv(out)
    ref = _quiet_load([sample_dir])
    want = analysis.count_comentions(mentions=analysis.extract_mentions(ref, progress=False), articles=ref,
                                     level="article")
    assert len(got) == len(want)
    np.testing.assert_array_equal(got["n_ab"].to_numpy(), want["n_ab"].to_numpy())


@pytest.mark.realdata
@pytest.mark.slow
def test_ant_without_sport_equal(client, ant_corpus, tmp_path):
    ref = _quiet_load([ant_corpus], exclude_categories="sport")
    ddf = ad.read_corpus([ant_corpus], blocksize="16MB", exclude_categories="sport", spill_dir=tmp_path,
                         progress=False)
    assert ddf.npartitions >= 5
    _assert_articles(ddf, ref)
    m = analysis.extract_mentions(ref, progress=False)
    dm = ad.extract_mentions(ddf)
    pd.testing.assert_frame_equal(dm.compute().reset_index(drop=True), m)
    _assert_tables(ad.count_tables(ddf, dm, _requests(), progress=False), _reference_tables(ref, m), SURFACE)


def test_report_inputs_equal_the_report_tables(client, sample_dir):
    ref = _quiet_load([sample_dir])
    m = analysis.extract_mentions(ref, progress=False)
    ddf = ad.read_corpus([sample_dir], blocksize="20KB", progress=False)
    got = ad.report_inputs(ddf, level="sentence", freq="M", topics=3, sample=40, progress=False)
    assert got["summary"] == ref.attrs["summary"]
    pd.testing.assert_frame_equal(got["coverage_by_period_outlet"],
                                  analysis.coverage(articles=ref, mentions=m, freq="M", by="outlet",
                                                    resolve="country"), rtol=RTOL)
    pd.testing.assert_frame_equal(got["comentions"], analysis.count_comentions(mentions=m, articles=ref), rtol=RTOL)
    pd.testing.assert_frame_equal(got["comentions_by_period"], analysis.count_comentions(
        mentions=m, articles=ref, by="period", freq="M", resolve="country"), rtol=RTOL)
    assert got["topics_info"]["fit"] == "sample" and got["topics_info"]["n_fit_sample"] == 40


def test_cli_mentions_written_partition_by_partition(client, sample_dir, tmp_path):
    from analysis.cli import mentions as cmd


    sub = argparse.ArgumentParser()
    cmd.add_arguments(sub)  # the command's own options include the engine options
    ref = _quiet_load([sample_dir])
    want = analysis.extract_mentions(ref, progress=False)
    for suffix in (".parquet", ".csv"):
        out = tmp_path / f"m{suffix}"
        args = sub.parse_args([str(sample_dir), "--out", str(out), "--engine", "dask", "--blocksize", "20KB",
                               "--scheduler", client.scheduler.address, "--quiet"])
        assert cmd.run(args) == 0
        got = pd.read_parquet(out) if suffix == ".parquet" else pd.read_csv(out)
        assert len(got) == len(want)
        assert got["entity_id"].tolist() == want["entity_id"].tolist()
        assert got["start"].tolist() == want["start"].tolist()


def test_keyness_against_focus_equal(client, sample_dir):
    """``reference="focus"`` on Dask: the partitions' counts (with stand-ins where a partition has no
    target or no reference article) sum to the in-memory keyness against the other focus entities."""
    ref = _quiet_load([sample_dir])
    m = analysis.extract_mentions(ref, progress=False)
    ddf = ad.read_corpus([sample_dir], blocksize="20KB", progress=False)
    assert ddf.npartitions >= 5
    dm = ad.extract_mentions(ddf)
    focus = ["RUS", "SYR", "IRN"]
    got = ad.count_tables(ddf, dm, [ad.keyness_request(f, resolve="country", reference="focus", focus=focus, n=40)
                                    for f in focus], progress=False)
    want = [analysis.keyness(ref, m, f, resolve="country", reference="focus", focus=focus, n=40) for f in focus]
    _assert_tables(got, want, surface_share=0.9)
    rest = analysis.keyness(ref, m, "RUS", resolve="country", n=40)
    assert got[0].attrs["n_docs_reference"] < rest.attrs["n_docs_reference"]  # fewer articles than the rest
    with pytest.raises(ValueError, match="needs focus entities besides"):
        ad.keyness_request("RUS", reference="focus", focus=["RUS"])
    with pytest.raises(ValueError, match="'rest' or 'focus' on Dask"):
        ad.keyness_request("RUS", reference="corpus")
