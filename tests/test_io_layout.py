"""The io/ layout: one concern per module, public names only across modules, no cycles;
missing paths raise; the skipped table's kind; the same answers from threads."""
from __future__ import annotations

import ast
import gzip
import json
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

import analysis
from analysis.io.load import LoadWarning, load_corpus

IO = Path(analysis.__file__).parent / "io"
BODY = "قال الرئيس الروسي فلاديمير بوتين إن روسيا لم تهزم في سوريا وإن العلاقات مع إيران قوية."


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("analysis"):
            yield node.module, [a.name for a in node.names], node
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("analysis"):
                    yield a.name, [], node


def test_no_module_imports_private_names_and_no_cycles_in_io():
    graph: dict[str, set[str]] = {}
    for path in sorted(IO.glob("*.py")):
        mod = f"analysis.io.{path.stem}" if path.stem != "__init__" else "analysis.io"
        graph[mod] = set()
        for target, names, _ in _imports(path):
            private = [n for n in names if n.startswith("_")]
            assert not private, f"{path.name} imports private {private} from {target}"
            if target.startswith("analysis.io.") or target == "analysis.io":
                graph[mod].add(target)
    # only module-level imports make cycles at import time; checked on the whole graph anyway
    seen: dict[str, int] = {}

    def visit(m, stack):
        if seen.get(m) == 1:
            raise AssertionError("import cycle: " + " -> ".join(stack + [m]))
        if seen.get(m) == 2:
            return
        seen[m] = 1
        for t in sorted(graph.get(m, ())):
            if t != "analysis.io":
                visit(t, stack + [m])
        seen[m] = 2

    for m in graph:
        visit(m, [])


def test_load_module_is_thin_and_reexports_the_public_api():
    from analysis.io.load import (  # noqa: F401
        SkippedInputWarning,
        corpus_files,
        default_corpus,
        load_corpus,
        save_articles,
        save_skipped,
        summary_line,
    )

    assert analysis.load_corpus is load_corpus
    assert len((IO / "load.py").read_text(encoding="utf-8").splitlines()) < 300
    for path in IO.glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) < 650, path.name


def test_missing_paths_and_empty_patterns_raise(tmp_path):
    with pytest.raises(FileNotFoundError, match="smaple: no such file or directory"):
        load_corpus(str(tmp_path / "data" / "smaple"), progress=False)
    with pytest.raises(FileNotFoundError, match=r"\*\.jsonnl: the pattern matched no files"):
        load_corpus(str(tmp_path / "*.jsonnl"), progress=False)
    (tmp_path / "a.jsonl").write_text('{"text": "x"}', encoding="utf-8")
    with pytest.raises(FileNotFoundError, match="nope"):
        load_corpus([tmp_path / "a.jsonl", tmp_path / "nope"], progress=False)
    assert load_corpus(tmp_path / "a.jsonl", progress=False)["text"].tolist() == ["x"]


def test_skipped_table_has_a_stable_kind(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"text": ""}\n{"text": 1\n[1]\n{"text": "ok"}\n', encoding="utf-8")
    (tmp_path / "b.md").write_text("# x", encoding="utf-8")
    (tmp_path / "c.txt").write_bytes(b"")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LoadWarning)
        df = load_corpus(tmp_path, progress=False)
    sk = df.attrs["skipped"]
    assert list(sk.columns) == ["source_file", "line", "reason", "kind"]
    assert list(sk["kind"]) == ["empty text", "bad json", "bad record", "unsupported", "empty file"]
    assert sk["reason"].str.len().gt(0).all()
    from analysis.io.problems import PROBLEM_COLUMNS, SKIPPED_COLUMNS

    assert SKIPPED_COLUMNS == list(sk.columns) and PROBLEM_COLUMNS == list(df.attrs["problems"].columns)


def _corpus(tmp_path: Path) -> list[Path]:
    out = []
    for k in range(8):
        recs = [{"id": f"f{k}-{i}", "title": f"عنوان {k} {i}", "text": f"{BODY} {k} {i}",
                 "date": ["Thu, 19 Dec 2024 10:00:00 EST", "9999-01-01", 1734602400000, "bad"][i % 4]}
                for i in range(400)]
        data = ("\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n").encode("utf-8")
        if k % 2:
            path = tmp_path / f"f{k}.jsonl.gz"
            path.write_bytes(gzip.compress(data))
        else:
            path = tmp_path / f"f{k}.jsonl"
            path.write_bytes(data.replace("عنوان".encode(), b"\x93", 3))
        out.append(path)
    pd.DataFrame(recs).assign(date=lambda d: d["date"].astype(str)).to_parquet(tmp_path / "p.parquet")
    (tmp_path / "c.csv").write_text("title,text\n" + "".join(f"ت{i},{BODY} ت{i}\n" for i in range(300)),
                                    encoding="utf-8")
    return out + [tmp_path / "p.parquet", tmp_path / "c.csv"]


@pytest.mark.filterwarnings("ignore")  # warnings.catch_warnings is not thread-safe: not used in the threads
def test_same_result_from_threads_as_serially(tmp_path):
    files = _corpus(tmp_path)

    def one(path):
        return load_corpus(path, progress=False)

    serial = [one(f) for f in files]
    for _ in range(2):
        with ThreadPoolExecutor(max_workers=4) as pool:
            threaded = list(pool.map(one, files))
        for a, b in zip(serial, threaded):
            pd.testing.assert_frame_equal(a, b)
            for key in ("skipped", "problems"):
                pd.testing.assert_frame_equal(a.attrs[key], b.attrs[key])
            assert a.attrs["summary"] == b.attrs["summary"] and a.attrs["inputs"] == b.attrs["inputs"]
    assert sum(len(d.attrs["problems"]) for d in serial) > 0


@pytest.mark.realdata
def test_ant_date_field_inputs_and_no_problems(ant_corpus):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LoadWarning)
        df = load_corpus(ant_corpus, progress=False)
    assert list(df.columns)[-1] == "date_field" and set(df["date_field"]) == {"time"}
    assert df.attrs["problems"].empty
    assert set(df.attrs["skipped"]["kind"]) == {"empty text"}
    (item,) = df.attrs["inputs"]
    assert item["bytes"] == ant_corpus.stat().st_size and len(item["sha256"]) == 64
