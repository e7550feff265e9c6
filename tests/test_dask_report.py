"""The coverage report on Dask (``engine="dask"``): the exact tables equal the in-memory report's, the
sampled sections say so, the manifest records the engine; on ANT (without sport) the coverage,
co-mention and triangle tables equal the in-memory ones. Each Dask report starts its own
two-process LocalCluster (``dask_workers=2``)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")
pytest.importorskip("papermill")

from analysis.report.run import run_report  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
EVENT = "2024-12-10"  # inside the sample corpus's span
#: tables computed over every article on Dask: byte-identical to the in-memory report's
EXACT = ["corpus_summary.csv", "corpus_outlets.csv", "corpus_categories.csv", "coverage_by_period_outlet.csv",
         "coverage_by_period.csv", "coverage_by_outlet.csv", "coverage_total.csv", "coverage_balanced.csv",
         "comention_top_partners.csv", "comention_top_partners_npmi.csv", "comention_matrix_counts.csv",
         "comention_matrix_npmi.csv", "comention_triangle.csv", "keyness.csv", "event_window.csv",
         "event_daily.csv"]


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src") + os.pathsep + env.get("PYTHONPATH", "")  # the kernel imports this copy
    return env


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    root = tmp_path_factory.mktemp("dask-report")
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = _env()["PYTHONPATH"]
    try:
        mem = run_report(None, root / "memory", progress=False, event_date=EVENT, k=4)
        dsk = run_report(None, root / "dask", progress=False, event_date=EVENT, k=4, engine="dask", dask_workers=2,
                         memory_limit="2GB")
    finally:
        if old is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = old
    return mem, dsk


def test_dask_report_tables_equal_memory(reports):
    mem, dsk = reports
    for name in EXACT:
        a, b = mem / "tables" / name, dsk / "tables" / name
        assert a.is_file(), name
        assert b.is_file(), f"{name} missing from the dask report"
        assert a.read_bytes() == b.read_bytes(), f"{name} differs between the engines"
    # the sample corpus has fewer articles than the sample: every table is the in-memory one, topics too
    for name in sorted(p.name for p in (mem / "tables").glob("*.csv")):
        if name != "parameters.csv":
            assert (dsk / "tables" / name).read_bytes() == (mem / "tables" / name).read_bytes(), name
    params = pd.read_csv(dsk / "tables" / "parameters.csv").set_index("parameter")["value"]
    assert params["engine"] == "dask" and int(params["dask_workers"]) == 2


def test_dask_report_manifest_records_engine(reports):
    mem, dsk = reports
    m = json.loads((dsk / "manifest.json").read_text(encoding="utf-8"))
    assert m["engine"]["engine"] == "dask"
    assert m["engine"]["scheduler"] == "LocalCluster"
    assert m["engine"]["workers"] == 2
    assert m["engine"]["articles"] == m["counts"]["loaded"]
    assert "engine.json" not in m["files"] and not (dsk / "engine.json").exists()
    assert json.loads((mem / "manifest.json").read_text(encoding="utf-8"))["engine"] == {"engine": "memory"}


def test_cli_report_engine_dask_sampled(reports, tmp_path):
    """``analysis report --engine dask --workers 2 --dask-sample 20``: counts over every article (equal to
    the in-memory report), examples/topics/voices on 20 articles, and the report says so."""
    mem, _ = reports
    out = tmp_path / "cli"
    cmd = [sys.executable, "-c", "from analysis.cli import main; raise SystemExit(main())", "report", "--out",
           str(out), "--engine", "dask", "--workers", "2", "--memory-limit", "2GB", "--dask-sample", "20", "--k", "2",
           "--event-date", EVENT, "--quiet"]
    r = subprocess.run(cmd, env=_env(), capture_output=True, text=True, cwd=str(REPO), timeout=1800)
    assert r.returncode == 0, r.stderr[-3000:]
    boot = ("npmi_low", "npmi_high", "share_ab_low", "share_ab_high", "per_1k_words_low", "per_1k_words_high")
    for name in EXACT:
        a = pd.read_csv(mem / "tables" / name, dtype=str, keep_default_na=False)
        b = pd.read_csv(out / "tables" / name, dtype=str, keep_default_na=False)
        cols = [c for c in a.columns if c in boot]
        assert list(a.columns) == list(b.columns), name
        if name == "coverage_total.csv":
            # the whole corpus's rate interval: a Poisson bootstrap over every article, close to the
            # in-memory bootstrap (Monte Carlo error), around the same point
            num = ["per_1k_words", "per_1k_words_low", "per_1k_words_high"]
            pa, pb = a[num].astype(float), b[num].astype(float)
            assert (pb["per_1k_words_low"] <= pb["per_1k_words"]).all()
            assert (pb["per_1k_words"] <= pb["per_1k_words_high"]).all()
            width = pa["per_1k_words_high"] - pa["per_1k_words_low"]
            for c in ("per_1k_words_low", "per_1k_words_high"):
                assert ((pb[c] - pa[c]).abs() <= 0.25 * width).all(), (name, c)
            cols = [c for c in cols if c not in num]
        # the sample is smaller than the corpus: the other article-bootstrap intervals are left empty
        assert (b[cols] == "").all().all(), name
        pd.testing.assert_frame_equal(a.drop(columns=cols + (num if name == "coverage_total.csv" else [])),
                                      b.drop(columns=cols + (num if name == "coverage_total.csv" else [])), obj=name)
        if name == "coverage_total.csv":
            assert (a["per_1k_words"] == b["per_1k_words"]).all()  # the point itself is exact
    assert not (out / "tables" / "comention_matrix_npmi_intervals.csv").exists()
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "article-bootstrap intervals" in html and "are left empty" in html
    n = pd.read_csv(out / "tables" / "corpus_summary.csv").set_index("measure")["value"]["loaded"]
    assert f"seeded sample of 20 of the {int(n):,} articles" in html
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert m["engine"]["sample"] == 20 and m["engine"]["workers"] == 2
    topics = pd.read_csv(out / "tables" / "topics.csv")
    assert len(topics) == 2
    # fitted on the 20 articles, the model weighs every article: prevalence counts the whole corpus's articles
    assert "the model fitted on the sample weighs each of the" in html
    assert m["engine"]["topics"] == "fitted on the sample, every article transformed"
    got = pd.read_csv(out / "tables" / "topics_by_focus.csv")
    want = pd.read_csv(mem / "tables" / "topics_by_focus.csv")
    assert len(got) == 2 * want["country"].nunique()
    assert got.groupby("country")["n_articles"].first().to_dict() == \
        want.groupby("country")["n_articles"].first().to_dict()
    assert ((got["mean_weight_low"] <= got["mean_weight"]) & (got["mean_weight"] <= got["mean_weight_high"])).all()
    assert got.groupby("country")["mean_weight"].sum().round(6).eq(1.0).all()  # the k weights of an article sum to 1


def test_cli_report_engine_dask_refuses_skipped(tmp_path):
    cmd = [sys.executable, "-c", "from analysis.cli import main; raise SystemExit(main())", "report", "--out",
           str(tmp_path / "r"), "--engine", "dask", "--skipped", str(tmp_path / "s.csv")]
    r = subprocess.run(cmd, env=_env(), capture_output=True, text=True, cwd=str(REPO), timeout=600)
    assert r.returncode == 2 and "--engine dask" in r.stderr


def test_ant_coverage_and_comentions_equal_memory(ant_corpus):
    """On ANT without sport: the data layer's coverage, co-mention and triangle tables on Dask (a
    two-process LocalCluster) equal the in-memory ones; the sample note names the sample size."""
    from analysis.report import ReportContext

    kw = dict(corpus=str(ant_corpus), exclude_categories="sport", event_date="2018-04-14", k=0)
    with ReportContext(**kw) as mem, ReportContext(**kw, engine="dask", dask_workers=2, memory_limit="3GB",
                                                   dask_sample=500) as dsk:
        dsk.load()
        mem.load()
        assert dsk.data.n_articles == len(mem.articles) and dsk.data.n_mentions == len(mem.mentions)
        assert len(dsk.articles) == 500 and "seeded sample of 500" in dsk.data.sample_note
        assert dsk.freq == mem.freq == "M"  # freq auto: chosen from every article's date, not the sample's
        for freq, by in ((mem.freq, "outlet"), (mem.freq, None), (None, "outlet"), (None, None)):
            pd.testing.assert_frame_equal(dsk.data.coverage(freq, by), mem.data.coverage(freq, by))
        pd.testing.assert_frame_equal(dsk.data.comentions(), mem.data.comentions())
        pd.testing.assert_frame_equal(dsk.data.triangle(), mem.data.triangle())
        pd.testing.assert_frame_equal(dsk.data.outlets().reset_index(drop=True),
                                      mem.data.outlets().reset_index(drop=True))
        assert dsk.data.summary_extra() == mem.data.summary_extra()


def test_dask_partial_periods_without_auto_equal_memory():
    """With an explicit freq the Dask engine skips the pass over every date: the partial-period marks come
    from the profile's first and last day, and equal the in-memory ones."""
    from analysis.report import ReportContext
    from analysis.stats.periods import period_table

    with ReportContext(freq="W", k=0) as mem, ReportContext(freq="W", k=0, engine="dask", dask_workers=2,
                                                            memory_limit="2GB", dask_sample=20) as dsk:
        dsk.load()
        mem.load()
        assert len(dsk.published) == 2 and len(mem.published) > 2
        a, b = period_table(mem.published, "W"), period_table(dsk.published, "W")
        assert a["partial"].any()
        pd.testing.assert_frame_equal(a[["period", "partial"]], b[["period", "partial"]])


def test_dask_report_keyness_against_focus_equal_memory(tmp_path):
    """``keyness_reference="focus"`` on Dask: keyness.csv byte-identical to the in-memory report's; another
    corpus as reference is refused with a message that names the choices."""
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = _env()["PYTHONPATH"]
    try:
        kw = dict(progress=False, k=0, keyness_reference="focus")
        mem = run_report(None, tmp_path / "memory", **kw)
        dsk = run_report(None, tmp_path / "dask", engine="dask", dask_workers=2, memory_limit="2GB", **kw)
    finally:
        if old is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = old
    a, b = (p / "tables" / "keyness.csv" for p in (mem, dsk))
    assert a.read_bytes() == b.read_bytes()
    assert "reference focus" in (dsk / "report.html").read_text(encoding="utf-8")
    from analysis.report.context import ReportContext

    with pytest.raises(ValueError, match="rest or focus"):
        ReportContext(engine="dask", keyness_reference=str(REPO / "data"))
