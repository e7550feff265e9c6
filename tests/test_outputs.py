"""Outputs that never destroy (analysis.report.outputs): every refused --out leaves every file as it was.

Each case hashes every file, folder and link under tmp_path before and after.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

import analysis.report as R
from analysis.cli import main
from analysis.report import outputs as O
from analysis.report.errors import OutputError

RECORDS = [
    {"id": "t1", "title": "روسيا وسوريا", "date": "2024-12-01", "source": "=HYPERLINK(\"http://evil\",\"x\")",
     "category": "politics", "text": "قالت روسيا إن سوريا شريك مهم. وأعلنت إيران دعمها لسوريا."},
    {"id": "t2", "title": "إيران", "date": "2024-12-10", "source": "وكالة الخبر", "category": "politics",
     "text": "أعلنت إيران أن روسيا وسوريا تبحثان الوضع في دمشق."},
    {"id": "t3", "title": "خبر", "date": "2024-12-15", "source": "وكالة الخبر", "category": "economy",
     "text": "زار الوفد الروسي موسكو وتحدث عن سوريا وإيران."},
]
REPORT_MANIFEST = {"corpus_sha256": "0" * 64, "parameters": {}, "versions": {"analysis": "0.1.0"},
                   "tables": ["x.csv"], "figures": []}


def snapshot(root: Path) -> dict:
    """Every entry under root: file -> sha256 and mode, folder -> mode, link -> its target."""
    out = {}
    for dirpath, dirs, files in os.walk(root):
        for name in dirs + files:
            p = Path(dirpath) / name
            rel = p.relative_to(root).as_posix()
            st = os.lstat(p)
            if stat.S_ISLNK(st.st_mode):
                out[rel] = ("link", os.readlink(p))
            elif stat.S_ISDIR(st.st_mode):
                out[rel] = ("dir", st.st_mode)
            else:
                out[rel] = ("file", hashlib.sha256(p.read_bytes()).hexdigest(), st.st_mode, st.st_mtime_ns)
    return out


@pytest.fixture
def world(tmp_path, monkeypatch):
    """A researcher's folder: a corpus, a thesis, links, an old report, a working directory."""
    data = tmp_path / "data"
    corpus = data / "corpus"
    corpus.mkdir(parents=True)
    (corpus / "tiny.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in RECORDS) + "\n",
                                       encoding="utf-8")
    thesis = tmp_path / "thesis"
    thesis.mkdir()
    (thesis / "thesis.docx").write_bytes(b"PK\x03\x04 my thesis, three years of work")
    (tmp_path / "notes.txt").write_text("notes", encoding="utf-8")
    (tmp_path / "link").symlink_to(thesis, target_is_directory=True)
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    (tmp_path / "link.csv").symlink_to(thesis / "thesis.docx")
    for name, extra in (("prev", False), ("prev_notes", True)):
        rep = tmp_path / "reports" / name
        (rep / "tables").mkdir(parents=True)
        (rep / "manifest.json").write_text(json.dumps(REPORT_MANIFEST), encoding="utf-8")
        (rep / "tables" / "x.csv").write_text("a\n1\n", encoding="utf-8")
        if extra:
            (rep / "my_notes.txt").write_text("mine", encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    (work / "thesis.docx").write_bytes(b"PK\x03\x04 the thesis in the working directory")
    monkeypatch.chdir(work)
    return tmp_path


REFUSED = [
    (".", "is the working directory"),
    ("..", "is a parent of the working directory"),
    ("{t}/data/corpus", "is an input of this run"),
    ("{t}/data", "holds input files of this run"),
    ("{t}/link", "is a symbolic link (to {t}/thesis)"),
    ("{t}/dangling", "which does not exist"),
    ("{t}/notes.txt", "is a file (5 bytes)"),
    ("{t}/thesis", "is a folder with other files (1 entry: thesis.docx)"),
    ("{t}/data/corpus/tiny.jsonl", "is an input of this run"),
    ("{t}/reports/prev/tables/new", "is inside the report folder {t}/reports/prev"),
    ("{t}/reports/prev_notes", "files the package did not write (my_notes.txt)"),
]


@pytest.mark.parametrize("out,why", REFUSED)
def test_report_out_refused_before_any_work(world, out, why, capsys):
    t = str(world)
    before = snapshot(world)
    rc = main(["report", f"{t}/data/corpus", "--out", out.format(t=t), "--quiet"])
    err = capsys.readouterr().err
    assert rc == 2, err
    assert why.format(t=t) in err and err.count("\n") == 1 and "Traceback" not in err
    assert snapshot(world) == before


def test_report_out_refused_from_python(world):
    before = snapshot(world)
    with pytest.raises(OutputError, match="is a symbolic link"):
        R.run_report([world / "data" / "corpus"], world / "link", progress=False)
    with pytest.raises(OutputError, match="is the working directory"):
        R.run_report([world / "data" / "corpus"], ".", progress=False)
    assert snapshot(world) == before


def test_gazetteer_and_notebook_are_inputs_too(world, capsys):
    g = world / "thesis" / "mine.yaml"
    g.write_text("persons: {}\n", encoding="utf-8")
    before = snapshot(world)
    rc = main(["report", str(world / "data" / "corpus"), "--gazetteer", str(g), "--out", str(world / "thesis"),
               "--quiet"])
    assert rc == 2 and "holds input files" in capsys.readouterr().err
    assert snapshot(world) == before


# --------------------------------------------------------------------------- replacing a report

def _notebook(path: Path, body: str) -> Path:
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell('corpus: str = ""\nout_dir: str = "."'),
        nbformat.v4.new_markdown_cell("# My report"),
        nbformat.v4.new_code_cell(body),
    ])
    nb.cells[0].metadata["tags"] = ["parameters"]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, str(path))
    return path


SEE_OLD = """import pathlib, os
target = pathlib.Path.cwd().parent / 'mine'
old = (target / 'tables' / 'seen.csv').read_text() if (target / 'tables' / 'seen.csv').exists() else 'none'
pathlib.Path('tables', 'seen.csv').write_text(f'run,old\\n{os.getpid()},{old.splitlines()[-1] if old != "none" else old}\\n')
print('<b>done</b>')
"""


def test_report_replaces_only_its_own_previous_report(world):
    os.umask(0o022)
    nb = _notebook(world / "thesis" / "mine.ipynb", SEE_OLD)
    reports = world / "reports"
    target = reports / "mine"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    leftovers = {
        "dead": (dead_pid, time.time() - 10**6),  # a killed run: removed
        "alive": (os.getpid(), time.time() - 10**6),  # in use: kept
        "young": (dead_pid, time.time() + 10**6),  # made after this process started: kept
    }
    for name, (pid, created) in leftovers.items():
        d = reports / f"{O.TEMP_PREFIX}mine-{name}"
        d.mkdir()
        (d / O.MARKER).write_text(json.dumps({"pid": pid, "pid_start": None, "created": created}))
    (reports / f"{O.TEMP_PREFIX}mine-nomarker").mkdir()  # not recognizably ours: kept
    outside = {k: v for k, v in snapshot(world).items() if not k.startswith("reports/")}

    first = R.run_report([world / "data" / "corpus"], target, notebook=nb, progress=False)
    assert first == target.resolve()
    seen1 = (target / "tables" / "seen.csv").read_text().splitlines()[1].split(",")
    assert seen1[1] == "none"
    names = sorted(p.name for p in reports.iterdir())
    assert names == sorted(["mine", "prev", "prev_notes", f"{O.TEMP_PREFIX}mine-alive", f"{O.TEMP_PREFIX}mine-young",
                            f"{O.TEMP_PREFIX}mine-nomarker"])
    # normal permissions (0755 folders, 0644 files under umask 022), no marker left
    for p in [target, *target.rglob("*")]:
        assert stat.S_IMODE(p.stat().st_mode) == (0o755 if p.is_dir() else 0o644), p
    assert not (target / O.MARKER).exists()
    man = json.loads((target / "manifest.json").read_text())
    assert sorted(man["files"]) == sorted(f.relative_to(target).as_posix() for f in target.rglob("*") if f.is_file())

    second = R.run_report([world / "data" / "corpus"], target, notebook=nb, progress=False)
    seen2 = (second / "tables" / "seen.csv").read_text().splitlines()[1].split(",")
    assert seen2[1:] == seen1  # the old report was still complete while the new one was built
    assert sorted(p.name for p in reports.iterdir()) == names  # no temporary folder left
    assert {k: v for k, v in snapshot(world).items() if not k.startswith("reports/")} == outside
    assert (reports / "prev" / "tables" / "x.csv").read_text() == "a\n1\n"  # other reports untouched


def test_report_folder_that_changed_during_the_run_is_kept(world):
    target = world / "reports" / "mine"
    target.mkdir()  # empty: may be used
    body = "import pathlib\n(pathlib.Path.cwd().parent / 'mine' / 'user_file.txt').write_text('mine')"
    nb = _notebook(world / "thesis" / "change.ipynb", body)
    with pytest.raises(OutputError, match="changed while the report ran") as info:
        R.run_report([world / "data" / "corpus"], target, notebook=nb, progress=False)
    assert (target / "user_file.txt").read_text() == "mine"
    kept = str(info.value).rsplit("the new report is in ", 1)[1]
    assert Path(kept).is_dir() and (Path(kept) / "manifest.json").is_file()


def test_html_is_self_contained(world):
    body = "from IPython.display import HTML, Markdown, display\ndisplay(HTML('<b>x</b> $5$'))\nprint('done')"
    nb = _notebook(world / "thesis" / "html.ipynb", body)
    out = R.run_report([world / "data" / "corpus"], world / "reports" / "html", notebook=nb, progress=False)
    page = (out / "report.html").read_text(encoding="utf-8")
    assert R.run.external_resources(page) == []
    assert 'src="http' not in page and "href=\"http" not in page.replace('href="http://www.w3.org', "")
    assert "require.min.js" not in page and "mathjax" not in page.lower() and "mermaid.esm" not in page
    assert "<title>My report</title>" in page and "<b>x</b> &#36;5&#36;" in page and "<style" in page
    # the check itself finds what the lab template would load
    assert len(R.run.external_resources(
        '<script src="https://cdn/x.js"></script><link rel="stylesheet" href="//fonts/y.css">'
        '<style>@import url("https://fonts.googleapis.com/css");</style>'
        '<script type="module">const m = await import("https://cdn/m.mjs")</script>')) == 4


def test_atomic_path_keeps_the_old_file_on_failure(tmp_path):
    target = tmp_path / "t.parquet"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with O.atomic_path(target) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("boom")
    assert target.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["t.parquet"]
    with O.atomic_path(target) as tmp:
        assert tmp.name.endswith("t.parquet") and tmp.parent == tmp_path
        tmp.write_bytes(b"new")
    assert target.read_bytes() == b"new" and sorted(p.name for p in tmp_path.iterdir()) == ["t.parquet"]


# --------------------------------------------------------------------------- every command's --out

FILE_REFUSED = [
    (["load"], "{t}/data/corpus/tiny.jsonl", "is an input of this run"),
    (["load"], "{t}/data/corpus/out.csv", "is inside the input folder"),
    (["load"], "{t}/link.csv", "is a symbolic link"),
    (["load"], "{t}/thesis.parquet", None),  # a new file: allowed (checked below)
    (["mentions"], "{t}/data/corpus/m.csv", "is inside the input folder"),
    (["mentions"], "{t}/link.csv", "is a symbolic link"),
    (["mentions"], "{t}/reports/prev/m.csv", "is inside the report folder"),
    (["comention"], "{t}/data/corpus/c.parquet", "is inside the input folder"),
    (["comention"], "{t}/link.csv", "is a symbolic link"),
    (["topics", "--k", "2"], "{t}/data/corpus", "is or holds an input"),
    (["topics", "--k", "2"], "{t}/data", "is or holds an input"),
    (["topics", "--k", "2"], "{t}/notes.txt", "is a file, not a folder"),
    (["topics", "--k", "2"], "{t}/link", "is a symbolic link"),
    (["topics", "--k", "2"], "{t}/reports/prev", "the report folder"),
]


@pytest.mark.parametrize("cmd,out,why", [c for c in FILE_REFUSED if c[2]])
def test_command_out_refused(world, cmd, out, why, capsys):
    t = str(world)
    before = snapshot(world)
    rc = main([cmd[0], f"{t}/data/corpus", "--out", out.format(t=t), "--quiet", *cmd[1:]])
    err = capsys.readouterr().err
    assert rc == 2 and why in err and "Traceback" not in err, err
    assert snapshot(world) == before


def test_command_out_folder_and_input_file_refused(world, capsys):
    t = str(world)
    before = snapshot(world)
    assert main(["load", f"{t}/data/corpus/tiny.jsonl", "--out", f"{t}/thesis", "--quiet"]) == 2
    assert main(["mentions", f"{t}/data/corpus/tiny.jsonl", "--out", f"{t}/thesis.csv/", "--quiet"]) == 2
    (world / "x.csv").mkdir()
    before = snapshot(world)
    assert main(["mentions", f"{t}/data/corpus/tiny.jsonl", "--out", f"{t}/x.csv", "--quiet"]) == 2
    assert "is a folder" in capsys.readouterr().err
    rows = world / "rows.csv"
    rows.write_text("id,title,text\n1,x,روسيا\n", encoding="utf-8")
    before = snapshot(world)
    assert main(["load", str(rows), "--out", str(rows), "--quiet"]) == 2
    assert "is an input of this run" in capsys.readouterr().err
    assert snapshot(world) == before


def test_command_outputs_are_safe_csv_and_change_nothing_else(world):
    t = str(world)
    (world / "out").mkdir()
    (world / "out" / "mentions.csv").write_text("old", encoding="utf-8")
    before = snapshot(world)
    assert main(["load", f"{t}/data/corpus", "--out", f"{t}/out/articles.csv", "--quiet"]) == 0
    assert main(["load", f"{t}/data/corpus", "--out", f"{t}/out/raw.csv", "--quiet", "--no-csv-safe"]) == 0
    assert main(["mentions", f"{t}/data/corpus", "--out", f"{t}/out/mentions.csv", "--quiet"]) == 0
    assert main(["comention", f"{t}/data/corpus", "--out", f"{t}/out/co.tsv", "--graphml", f"{t}/out/g.graphml",
                 "--quiet"]) == 0
    after = snapshot(world)
    changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
    assert changed == {"out/articles.csv", "out/raw.csv", "out/mentions.csv", "out/co.tsv", "out/g.graphml"}
    data = (world / "out" / "articles.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"'=HYPERLINK" in data
    raw = (world / "out" / "raw.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b",=HYPERLINK" in raw.replace(b'"=HYPERLINK', b"=HYPERLINK")
    assert (world / "out" / "mentions.csv").read_bytes().startswith(b"\xef\xbb\xbfarticle_id")
    assert not [p for p in (world / "out").iterdir() if p.name.startswith(".")]


def test_check_output_file_allows_replacing_a_plain_file(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text("old")
    assert O.check_output_file(f) == f.resolve()
    with pytest.raises(OutputError, match="is an input"):
        O.check_output_file(f, inputs=[f])


# --------------------------------------------------------------------------- the manifest's input hashes

def test_inputs_are_hashed_before_the_run(world):
    corpus = world / "data" / "corpus" / "tiny.jsonl"
    original = hashlib.sha256(corpus.read_bytes()).hexdigest()
    body = f"open({str(corpus)!r}, 'a').write('\\n')  # the corpus changes while the report runs"
    nb = _notebook(world / "thesis" / "touch.ipynb", body)
    out = R.run_report([corpus.parent], world / "reports" / "touch", notebook=nb, progress=False)
    man = json.loads((out / "manifest.json").read_text())
    assert [i["sha256"] for i in man["inputs"]] == [original]
    assert hashlib.sha256(corpus.read_bytes()).hexdigest() != original


def test_hashes_taken_by_the_loader_are_used(world, monkeypatch):
    import analysis.io.load as L

    real = L.load_corpus

    def loader(*a, **k):
        df = real(*a, **k)
        df.attrs["inputs"] = [{"path": "/read/by/the/loader.jsonl", "sha256": "ab" * 32, "bytes": 7}]
        return df

    monkeypatch.setattr(L, "load_corpus", loader)
    nb = _notebook(world / "thesis" / "plain.ipynb", "x = 1")
    out = R.run_report([world / "data" / "corpus"], world / "reports" / "plain", notebook=nb, progress=False)
    man = json.loads((out / "manifest.json").read_text())
    assert man["inputs"] == [{"path": "/read/by/the/loader.jsonl", "sha256": "ab" * 32, "bytes": 7}]
    assert man["corpus_sha256"] == R.run.corpus_hash(man["inputs"])
