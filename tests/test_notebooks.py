"""CI notebook checks: both notebooks run with papermill on the sample corpus.

The report runs twice (once through ``run_report``, once through the CLI) and
the tables must match byte for byte; a handful of articles with markup in
titles and outlets must give a report whose HTML escapes it.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import nbformat
import pytest

import analysis.report as R
from analysis.report import run as Rrun, sections as Rsec

NOTEBOOKS = ("coverage_report", "explore")
EVENT = "2024-12-08"


@pytest.fixture(scope="session")
def sample_report(tmp_path_factory, sample_dir):
    out = tmp_path_factory.mktemp("reports") / "sample"
    R.run_report([sample_dir], out, event_date=EVENT, progress=False)
    return out


@pytest.fixture(scope="session")
def sample_report_cli(tmp_path_factory, sample_dir):
    from analysis.cli import main

    out = tmp_path_factory.mktemp("reports_cli") / "sample"
    rc = main(["report", str(sample_dir), "--out", str(out), "--event-date", EVENT, "--quiet"])
    assert rc == 0
    return out


# --------------------------------------------------------------------------- committed notebooks

@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_notebook_has_no_outputs(name, repo_dir):
    for path in (R.notebook_path(name), repo_dir / "notebooks" / f"{name}.ipynb"):
        nb = nbformat.read(str(path), as_version=4)
        nbformat.validate(nb)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [], f"{path} carries outputs: clear them before committing"
                assert cell.execution_count is None, f"{path} carries execution counts"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebooks_folder_matches_package_copy(name, repo_dir):
    pkg = R.notebook_path(name).read_bytes()
    top = (repo_dir / "notebooks" / f"{name}.ipynb").read_bytes()
    assert pkg == top, ("notebooks/ and src/analysis/notebooks/ differ: the package copy is the source; "
                        "run `cp src/analysis/notebooks/*.ipynb notebooks/`")


# --------------------------------------------------------------------------- the report on the sample corpus

def _errors(nb) -> list:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]


def test_report_outputs(sample_report, sample_dir):
    out = sample_report
    for name in ("report.ipynb", "report.html", "manifest.json"):
        assert (out / name).is_file(), name
    nb = nbformat.read(str(out / "report.ipynb"), as_version=4)
    assert _errors(nb) == []
    html = (out / "report.html").read_text(encoding="utf-8")
    for heading in ("The corpus", "Coverage volume and share", "Co-mentions", "Topics",
                    "Distinctive terms", "Event window", "Voices", "Methods and limitations", "Key findings",
                    "Glossary"):
        assert heading in html
    # the table of contents points at the headings, all on the page
    anchors = re.findall(r'href="#([^"]+)"', html)
    assert len(anchors) >= 10
    ids = set(re.findall(r'id="([^"]+)"', html))
    assert [a for a in anchors if a not in ids] == []
    assert html.index('id="Key-findings"') < html.index('id="1.-The-corpus"')
    # self-contained: nothing loaded from elsewhere when the page is opened
    assert Rrun.external_resources(html) == []
    # no code cells in the HTML
    assert "R.corpus_section(ctx)" not in html and "import" not in html.split("<body")[1][:2000]
    # on the sample corpus every section is computed
    assert "not computed" not in html, [ln for ln in html.splitlines() if "not computed" in ln][:3]
    # entities appear under their Arabic names
    assert "روسيا" in html and "سوريا" in html and "إيران" in html
    tables = {p.name for p in (out / "tables").glob("*.csv")}
    for t in ("corpus_summary", "corpus_outlets", "coverage_by_period", "coverage_by_outlet",
              "comention_top_partners", "comention_matrix_npmi", "comention_triangle", "comention_examples",
              "topics", "topics_by_focus", "keyness", "event_window", "parameters"):
        assert f"{t}.csv" in tables, t
    figures = sorted((out / "figures").glob("*.png"))
    assert len(figures) >= 10
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 10_000 for p in figures)
    # leftovers of the atomic write
    assert sorted(p.name for p in out.parent.iterdir()) == ["sample"]


def test_report_manifest(sample_report, sample_dir):
    man = json.loads((sample_report / "manifest.json").read_text(encoding="utf-8"))
    files = sorted(p.resolve() for p in Path(sample_dir).rglob("*")
                   if p.is_file() and p.suffix in {".txt", ".jsonl", ".json", ".csv"})
    assert [Path(i["path"]) for i in man["inputs"]] == files
    for item in man["inputs"]:
        assert item["sha256"] == hashlib.sha256(Path(item["path"]).read_bytes()).hexdigest()
    assert man["gazetteer"] and all(len(g["sha256"]) == 64 for g in man["gazetteer"])
    # one corpus hash: of the contents only (sorted file hashes), not of paths or order
    file_hashes = sorted(hashlib.sha256(Path(i["path"]).read_bytes()).hexdigest() for i in man["inputs"])
    assert man["corpus_sha256"] == hashlib.sha256("\n".join(file_hashes).encode()).hexdigest()
    assert man["corpus_sha256"] == Rrun.corpus_hash(list(reversed(man["inputs"])))
    assert man["parameters"]["focus"] == "RUS,SYR,IRN" and man["parameters"]["event_date"] == EVENT
    assert man["versions"]["analysis"] and man["versions"]["pandas"]
    assert man["counts"]["articles"] > 40 and "skipped" in man["counts"]
    assert man["timings_s"]["total"] > 0 and man["timings_s"]["sections"]
    assert set(man["tables"]) == {p.name for p in (sample_report / "tables").glob("*.csv")}


def test_report_tables_identical_across_runs(sample_report, sample_report_cli):
    a = {p.name: p.read_bytes() for p in (sample_report / "tables").glob("*.csv")}
    b = {p.name: p.read_bytes() for p in (sample_report_cli / "tables").glob("*.csv")}
    assert sorted(a) == sorted(b)
    different = [name for name in a if a[name] != b[name]]
    assert different == []


# --------------------------------------------------------------------------- a handful of hostile articles

MARKUP_RECORDS = [
    # the loader strips real tags from titles and texts but unescapes entities: &lt;script&gt; stays as text
    {"id": "m1", "title": "&lt;script&gt;alert('x')&lt;/script&gt; روسيا وسوريا $t$", "date": "2024-12-01",
     "source": "<b>Bold</b> $x$ News", "category": "politics",
     "text": "قالت روسيا إن سوريا شريك &lt;b&gt;مهم&lt;/b&gt; بمبلغ $5$ مليون. وأعلنت إيران دعمها لسوريا."},
    {"id": "m2", "title": "<b>عاجل</b> إيران تعلن $100$", "date": "2024-12-10", "source": "<b>Bold</b> $x$ News",
     "category": "politics", "text": "أعلنت إيران أن روسيا وسوريا تبحثان الوضع في دمشق."},
    {"id": "m3", "title": "خبر ثالث عن روسيا", "date": "2024-12-15", "source": "وكالة <em>الخبر</em>",
     "category": "politics", "text": "زار الوفد الروسي موسكو وتحدث عن سوريا وإيران."},
    {"id": "m4", "title": "خبر رابع", "date": "2024-12-20", "source": "وكالة <em>الخبر</em>",
     "category": "economy", "text": "ارتفعت أسعار النفط في الأسواق."},
]


@pytest.fixture(scope="session")
def markup_report(tmp_path_factory):
    base = tmp_path_factory.mktemp("markup")
    corpus = base / "tiny.jsonl"
    corpus.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in MARKUP_RECORDS) + "\n",
                      encoding="utf-8")
    out = base / "reports" / "tiny"
    R.run_report([corpus], out, event_date="2024-12-08", k=5, progress=False)
    return out


def test_tiny_corpus_report_says_why(markup_report):
    nb = nbformat.read(str(markup_report / "report.ipynb"), as_version=4)
    assert _errors(nb) == []
    html = (markup_report / "report.html").read_text(encoding="utf-8")
    assert "Topics: not computed" in html  # 4 articles: too few for a topic model, and it says so


def test_markup_in_titles_and_outlets_is_escaped(markup_report):
    html = (markup_report / "report.html").read_text(encoding="utf-8")
    body = html.split("<body", 1)[1]
    assert "<script>alert" not in body and "<b>Bold</b>" not in body and "<em>الخبر</em>" not in body
    assert "<b>مهم</b>" not in body and "&lt;b&gt;مهم&lt;/b&gt;" in body  # article text in the examples
    assert "&lt;b&gt;Bold&lt;/b&gt;" in body  # the outlet, shown escaped
    assert "&lt;script&gt;alert" in body  # the title, shown escaped with its example sentence
    assert "$x$" not in body and "$5$" not in body and "&#36;x&#36;" in body
    # tables keep the original text
    outlets = (markup_report / "tables" / "corpus_outlets.csv").read_text(encoding="utf-8")
    assert "<b>Bold</b> $x$ News" in outlets


# --------------------------------------------------------------------------- the exploration notebook

def test_explore_notebook_runs(tmp_path, sample_dir):
    import papermill as pm

    out = tmp_path / "explore.ipynb"
    pm.execute_notebook(str(R.notebook_path("explore")), str(out), parameters={"corpus": str(sample_dir)},
                        kernel_name="python3", progress_bar=False, cwd=str(tmp_path),
                        kernel_manager_class=Rrun._kernel_manager_class())
    nb = nbformat.read(str(out), as_version=4)
    assert _errors(nb) == []
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    # no widget or other warnings (tqdm's IProgress warning, deprecations), no progress bars
    assert [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"] == []
    # the figures of analysis.plotting show themselves once each, as PNG
    pngs = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(pngs) >= 4
    texts = json.dumps([c.outputs for c in nb.cells if c.cell_type == "code"], ensure_ascii=False)
    assert "RUS" in texts and "share" in texts
    # report sections used interactively show their tables and embedded figures
    sections = [o for o in outputs if "SectionResult" in str(o.get("data", {}).get("text/plain", ""))]
    assert len(sections) == 2
    assert all('<table class="dataframe report-table">' in o["data"]["text/html"] for o in sections)
    assert "data:image/png;base64," in sections[0]["data"]["text/html"]
    assert list(tmp_path.iterdir()) == [out]  # the tour writes nothing


def test_report_notebook_reads_like_an_analysis():
    """Each section is a visible call whose result is the cell's last expression, saved by ctx.save."""
    nb = nbformat.read(str(R.notebook_path("coverage_report")), as_version=4)
    calls = 0
    for cell in nb.cells:
        lines = [ln for ln in cell.source.splitlines() if ln.strip() and not ln.startswith("#")]
        if cell.cell_type != "code" or not any("_section(ctx" in ln for ln in lines):
            continue
        calls += 1
        name = lines[[i for i, ln in enumerate(lines) if "_section(ctx" in ln][0]].split("=")[0].strip()
        assert f"ctx.save({name})" in lines and lines[-1] == name, cell.source
    assert calls == 12
    assert "start_background" not in json.dumps([c.source for c in nb.cells])


def test_nothing_loadable_fails_before_the_notebook(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    out = tmp_path / "reports" / "bad"
    with pytest.raises(R.ReportError) as info:
        R.run_report([bad], out, progress=False)
    msg = str(info.value)
    assert "nothing could be loaded" in msg and "bad.jsonl line 1" in msg and "malformed JSON" in msg
    assert not out.exists() and not (tmp_path / "reports").exists()  # nothing made before the checks passed
