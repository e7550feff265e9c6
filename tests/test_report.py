"""Unit tests of the report helpers (analysis.report) and the figures (analysis.plotting)."""
from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from analysis import plotting as P
import analysis.report as R
from analysis.report import run as Rrun, sections as Rsec


# --------------------------------------------------------------------------- escaping and tables

def test_html_escape_markup_and_dollars():
    s = R.html_escape('<script>alert(1)</script> <b>x</b> costs $5 and $x$ & "q"')
    assert "<script>" not in s and "<b>" not in s and "$" not in s
    assert "&lt;script&gt;" in s and "&#36;x&#36;" in s and "&amp;" in s and "&quot;" in s
    assert R.html_escape(None) == "" and R.html_escape(float("nan")) == ""


def test_table_html_escapes_cells_headers_caption():
    df = pd.DataFrame({"<i>col</i>": ["<b>bold</b>", "$x$"], "n": [1, 2]})
    out = R.table_html(df, caption="$cap$ <u>")
    assert "<b>bold</b>" not in out and "<i>col</i>" not in out and "<u>" not in out
    assert "$" not in out
    assert "&lt;b&gt;bold&lt;/b&gt;" in out and "&#36;x&#36;" in out


def test_table_html_truncates_with_note():
    out = R.table_html(pd.DataFrame({"a": range(50)}), max_rows=10)
    assert out.count("<tr>") == 11 and "40 more rows" in out


def test_write_table_deterministic_formatting(tmp_path):
    df = pd.DataFrame({
        "period": pd.to_datetime(["2024-12-01", "2024-11-01"], utc=True),
        "ts": pd.to_datetime(["2024-12-01 10:30", None], utc=True),
        "x": [1 / 3, np.nan],
        "inf": [np.inf, -np.inf],
        "lst": [["b", "a"], []],
        "n": [1, 2],
    })
    p = R.write_table(df, tmp_path / "t.csv")
    raw = p.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: spreadsheets read the Arabic right
    text = raw[3:].decode("utf-8")
    assert text.splitlines() == [
        "period,ts,x,inf,lst,n",
        "2024-12-01,2024-12-01T10:30:00Z,0.333333,inf,b|a,1",
        "2024-11-01,,,-inf,,2",
    ]
    assert b"\r\n" not in p.read_bytes()
    p2 = R.write_table(df.copy(), tmp_path / "t2.csv")
    assert p.read_bytes() == p2.read_bytes()


def test_kwic_html_marks_mentions_and_escapes():
    rows = pd.DataFrame([{
        "article_id": "a<1>", "outlet": "<b>Out</b>", "published": pd.Timestamp("2024-12-08", tz="UTC"),
        "start": 10, "end": 40, "text": "زار بوتين <script> دمشق $x$",
        "spans_a": [(14, 19)], "spans_b": [(29, 33)],
    }])
    out = R.kwic_html(rows)
    assert "<mark>بوتين</mark>" in out and "<mark>دمشق</mark>" in out
    assert "<script>" not in out and "<b>Out</b>" not in out and "$" not in out
    assert "2024-12-08" in out and "a&lt;1&gt;" in out


class _Gaz:
    entities = pd.DataFrame([
        {"entity_id": "RUS", "type": "country", "country": "RUS", "name_ar": "روسيا", "label_en": "Russia"},
        {"entity_id": "x", "type": "place", "country": None, "name_ar": "اكس", "label_en": ""},
    ])


def test_entity_label():
    g = _Gaz()
    assert R.entity_label(g, "RUS") == "روسيا (Russia)"
    assert R.entity_label(g, "RUS", english=False) == "روسيا"
    assert R.entity_label(g, "x") == "اكس"
    assert R.entity_label(g, "unknown") == "unknown"
    assert R.entity_label(None, "RUS") == "RUS"


def test_param_values_and_unknown_parameter(tmp_path):
    from analysis.report.params import coerce_param

    assert coerce_param("focus", ["RUS", "IRN"]) == "RUS,IRN"
    assert coerce_param("k", "5") == 5
    assert coerce_param("dedup", 0) is False
    assert coerce_param("event_date", None) == ""
    with pytest.raises(TypeError, match="unknown report parameter.*colour"):
        R.run_report(None, tmp_path / "r", colour="red")
    assert not (tmp_path / "r").exists()


def test_context_validates_parameters(tmp_path):
    with pytest.raises(ValueError, match="level"):
        R.ReportContext(level="word", out_dir=str(tmp_path))
    with pytest.raises(ValueError, match="freq"):
        R.ReportContext(freq="fortnight", out_dir=str(tmp_path))
    with pytest.raises(ValueError, match="resolve"):
        R.ReportContext(resolve="continent")
    ctx = R.ReportContext(focus="rus, syr", event_date="2024-12-08", out_dir=str(tmp_path))
    assert ctx.focus == ["RUS", "SYR"] and ctx.event_date == pd.Timestamp("2024-12-08", tz="UTC")
    assert ctx.out == tmp_path.resolve() and ctx.resolve == "country" and ctx.roll_up == "country"
    assert R.ReportContext(resolve="none").roll_up is None
    assert R.ReportContext().out is None  # no out_dir: nothing is ever written


def test_context_k_and_its_old_name_topics():
    assert R.ReportContext().k == 10 and R.ReportContext(k=4).k == 4 and R.ReportContext(k=0).k == 0
    with pytest.warns(DeprecationWarning, match="'topics' is now 'k'"):
        assert R.ReportContext(topics=5).k == 5
    assert R.ReportContext(k=6, topics=6).k == 6
    with pytest.raises(ValueError, match="disagree"):
        R.ReportContext(k=6, topics=5)
    for bad in (-5, 2.5, "many", True):
        with pytest.raises(ValueError, match="whole number"):
            R.ReportContext(k=bad)


def test_section_reports_not_enough_data():
    res = R.SectionResult("X")
    with res.section("Part"):
        raise R.NotEnoughData("too small")
    assert res.notes == [("warning", "Part: not computed - too small")]
    with pytest.raises(KeyError):  # real bugs still fail the report
        with res.section("Part"):
            raise KeyError("bug")


def test_accuracy_frame_flattens_eval_json():
    obj = {"split": "test", "n_sentences": 10,
           "scores": {"RUS": {"precision": 1.0, "recall": 0.5, "f1": 0.667, "tp": 1, "fp": 0, "fn": 1},
                      "countries": {"precision": 0.9, "recall": 0.9, "f1": 0.9}}}
    df = Rsec._accuracy_frame(obj)
    assert list(df["scope"]) == ["scores / RUS", "scores / countries"]
    assert list(df.columns[:4]) == ["scope", "precision", "recall", "f1"]


# --------------------------------------------------------------------------- run_report failure path

def test_failed_run_names_cell_and_leaves_nothing(tmp_path, monkeypatch):
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    nb = new_notebook(cells=[
        new_code_cell('corpus: str = ""\nout_dir: str = "."'),
        new_markdown_cell("## 2. Exploding section"),
        new_code_cell("x = 1\nraise ValueError('boom <here>')"),
    ])
    nb.cells[0].metadata["tags"] = ["parameters"]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    bad = tmp_path / "bad.ipynb"
    nbformat.write(nb, str(bad))
    monkeypatch.setattr(Rrun, "notebook_path", lambda name="coverage_report": bad)
    out = tmp_path / "reports" / "r1"
    out.mkdir(parents=True)
    manifest = {"corpus_sha256": "0" * 64, "parameters": {}, "versions": {"analysis": "0"},
                "files": ["manifest.json", "report.html"]}
    (out / "manifest.json").write_text(json.dumps(manifest))
    (out / "report.html").write_text("previous report")
    with pytest.raises(R.ReportError) as info:
        R.run_report(None, out, progress=False)
    msg = str(info.value)
    assert "cell 3" in msg and "Exploding section" in msg and "ValueError" in msg and "boom" in msg
    # the previous report is untouched, no temporary folder is left behind
    assert (out / "report.html").read_text() == "previous report"
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["r1"]


def test_kernel_runs_this_interpreter():
    import sys

    km = Rrun._kernel_manager_class()(kernel_name="python3")
    assert km.kernel_spec.argv[0] == sys.executable


# --------------------------------------------------------------------------- plotting

def test_arabic_font_available():
    fam = P.setup()
    assert fam is not None
    from matplotlib import font_manager

    path = font_manager.findfont(font_manager.FontProperties(family=fam), fallback_to_default=False)
    from matplotlib.ft2font import FT2Font

    font = FT2Font(path)
    assert font.get_char_index(ord("ر")) != 0  # the font has Arabic glyphs


def test_mpl_escape():
    assert P.mpl_escape("$x$") == r"\$x\$"
    assert P.mpl_escape(None) == "" and P.mpl_escape(float("nan")) == ""


def _render(fig, tmp_path, name):
    path = tmp_path / f"{name}.png"
    fig.savefig(path)
    assert path.stat().st_size > 1500
    return path


def test_figures_render(tmp_path):
    periods = pd.to_datetime(["2024-11-01", "2024-12-01", "2025-01-01"])
    df = pd.DataFrame({
        "period": np.repeat(periods, 2), "label": ["روسيا (Russia)", "$x$ <b>"] * 3,
        "share": [0.1, 0.2, 0.3, 0.2, 0.25, 0.1], "share_low": 0.05, "share_high": 0.4, "value": [1, 2, 3, 4, 5, 6],
        "outlet": ["أ", "ب"] * 3,
    })
    _render(P.share_over_time(df, title="t"), tmp_path, "a")
    _render(P.share_by_group(df, group="outlet"), tmp_path, "b")
    _render(P.lines_over_time(df, event_date="2024-12-08"), tmp_path, "c")
    _render(P.stacked_bars(df, series="outlet"), tmp_path, "d")
    _render(P.barh_panels(df, panel="outlet", label="label", value="value", title="p"), tmp_path, "e")
    m = pd.DataFrame([[np.nan, 0.2], [0.2, np.nan]], index=["روسيا", "سوريا"], columns=["روسيا", "سوريا"])
    _render(P.heatmap(m, center=0.0, fmt="{:.2f}"), tmp_path, "f")
    G = nx.Graph()
    G.add_edge("RUS", "SYR", n_ab=5)
    G.add_edge("SYR", "putin", n_ab=1)
    G.nodes["RUS"]["n"] = 7
    _render(P.network(G, labels={"RUS": "روسيا"}, highlight=["RUS"]), tmp_path, "g")
    _render(P.network(nx.Graph()), tmp_path, "h")
    _render(P.message_figure("nothing"), tmp_path, "i")


# --------------------------------------------------------------------------- sections on the sample corpus

@pytest.fixture(scope="module")
def sample_ctx(sample_dir):
    with R.ReportContext(corpus=str(sample_dir), event_date="2024-12-08") as ctx:
        yield ctx.load()


def test_example_windows_spread_and_hold_both_entities(sample_ctx):
    win = Rsec._pick_windows(sample_ctx, "RUS", "SYR", "sentence", "country", 3)
    assert 1 <= len(win) <= 3
    from analysis.measures.comention import resolve_entities

    m = sample_ctx.mentions.assign(_e=resolve_entities(sample_ctx.mentions, "country").to_numpy())
    for w in win.itertuples(index=False):
        sel = m[(m["article_id"].astype(str) == w.article_id) & (m["field"] == w.field)
                & (m["paragraph"] == w.paragraph) & (m["sentence"] == w.sentence)]
        assert {"RUS", "SYR"} <= set(sel["_e"])


def test_min_chart_articles():
    counts = pd.Series([20, 1, 4000, 3000, 2000], index=["2013-12", "2014-01", "2018-04", "2018-05", "2018-06"])
    assert Rsec._min_chart_articles(counts, 9021) == 125  # 5 % of the median of periods with 10+ articles
    assert Rsec._min_chart_articles(counts, 500) == 0  # small corpora chart every period


def test_matching_accuracy_ships_with_the_package():
    df, source = R.matching_accuracy()
    assert "gold" in source
    row = df[df["scope"].str.startswith("test") & df["scope"].str.endswith("/ RUS")]
    assert len(row) == 1 and 0.9 <= float(row["f1"].iloc[0]) <= 1.0


def test_cli_no_overwrite_keeps_existing_report(tmp_path, capsys):
    from analysis.cli import main

    out = tmp_path / "r"
    out.mkdir()
    manifest = {"corpus_sha256": "0" * 64, "parameters": {}, "versions": {"analysis": "0"},
                "files": ["manifest.json", "report.html"]}
    (out / "manifest.json").write_text(json.dumps(manifest))
    (out / "report.html").write_text("old")
    assert main(["report", "--out", str(out), "--no-overwrite", "--quiet"]) == 2
    assert "previous report" in capsys.readouterr().err
    assert (out / "report.html").read_text() == "old"


def test_cell_timeout_is_a_report_error(tmp_path, monkeypatch):
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    nb = new_notebook(cells=[new_code_cell('corpus: str = ""'), new_markdown_cell("## Slow section"),
                             new_code_cell("import time\ntime.sleep(30)")])
    nb.cells[0].metadata["tags"] = ["parameters"]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    slow = tmp_path / "slow.ipynb"
    nbformat.write(nb, str(slow))
    monkeypatch.setattr(Rrun, "notebook_path", lambda name="coverage_report": slow)
    with pytest.raises(R.ReportError, match="Slow section"):
        R.run_report(None, tmp_path / "out", progress=False, timeout=2)
    assert not (tmp_path / "out").exists()
