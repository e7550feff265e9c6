"""Module hygiene of analysis.entities, and the matcher on the second real corpus (Egyptian news, 2013)."""
from __future__ import annotations

import ast
import gzip
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ENTITIES = Path(__file__).resolve().parents[1] / "src" / "analysis" / "entities"


def test_no_back_import_and_no_private_imports():
    code = ("import sys, analysis.entities.gazetteer as g; "
            "print('analysis.entities.matcher' in sys.modules, 'analysis.entities.mentions' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]
    for path in ENTITIES.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("analysis"):
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private, f"{path.name} imports {private} from {node.module}"


def test_no_per_call_module_state():
    """Module-level mutable objects in entities/ are content-keyed caches or constants only."""
    allowed = {"_CACHE", "_MEMO", "_CACHE_LOCK", "_MEMO_LOCK", "_KEY_LOCK"}
    for path in ENTITIES.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.Assign) and isinstance(node.value, (ast.Dict, ast.List, ast.Set, ast.Call)):
                for t in node.targets:
                    if isinstance(t, ast.Name) and t.id.startswith("_") and not t.id.startswith("__") and not t.id.isupper():
                        assert t.id in allowed, f"{path.name}: module-level {t.id}"
                    if isinstance(t, ast.Name) and isinstance(node.value, ast.Dict) and not node.value.keys:
                        assert t.id in allowed, f"{path.name}: empty module-level dict {t.id}"


@pytest.fixture(scope="module")
def egy(shared_dir):
    path = shared_dir / "data" / "egy_news_2013" / "egy_news_2013.jsonl.gz"
    if not path.is_file():
        pytest.skip("egy_news_2013 is absent")
    rows = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i % 40:
                continue
            d = json.loads(line)
            if d.get("source") in ("englishAhram", "englishFjp"):
                continue
            rows.append({"article_id": d["id"], "title": d.get("title") or "", "text": d.get("text") or "",
                         "published": d.get("time")})
    a = pd.DataFrame(rows)
    a["published"] = pd.to_datetime(a["published"], utc=True, errors="coerce")
    return a


@pytest.mark.realdata
def test_second_corpus_egyptian_2013(egy):
    from analysis.entities.mentions import extract_mentions

    m = extract_mentions(egy, progress=False)
    src = {(r.article_id, f): getattr(r, f) for r in egy.itertuples() for f in ("title", "text")}
    assert all(src[(r.article_id, r.field)][r.start:r.end] == r.surface for r in m.itertuples())
    people = m[m["entity_type"] == "person"]["entity_id"].value_counts()
    assert {"morsi", "sisi", "mubarak"} <= set(people.index)  # the cast of 2013 Egypt
    office = m[(m["mention_kind"] == "office") & m["surface"].str.contains("الرئيس المصري|رئيس الجمهورية المصري")]
    assert set(office["entity_id"]) <= {"morsi"}  # Jan-Mar 2013: Mohamed Morsi
    # مبارك "blessed" (عيد مبارك، رمضان مبارك) is no mention of Hosni Mubarak
    blessed = m[(m["entity_id"] == "mubarak") & m["surface"].str.fullmatch("مبارك")]
    for r in blessed.itertuples():
        before = src[(r.article_id, r.field)][max(0, r.start - 6):r.start]
        assert "عيد" not in before and "رمضان" not in before
    # threads and processes give the same table on real text
    again = extract_mentions(egy, progress=False, n_jobs=2)
    pd.testing.assert_frame_equal(m, again)
