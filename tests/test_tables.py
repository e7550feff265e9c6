"""Every public table has exactly the columns and dtypes the README's "Tables" section documents.

The section is parsed: one ``### name: `call` `` heading per table, then a Markdown table
``| column | dtype | meaning |``; a meaning starting with *(optional)* marks a column that only
an option adds. Each table is computed on the sample corpus without and with its options.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def documented() -> dict[str, list[tuple[str, str, bool]]]:
    """name -> [(column, dtype, optional)] from the README's Tables section."""
    text = README.read_text(encoding="utf-8")
    m = re.search(r"^## Tables\n(.*?)(?=^## )", text, re.S | re.M)
    assert m, "README.md has no '## Tables' section"
    out: dict[str, list] = {}
    for block in re.split(r"^### ", m.group(1), flags=re.M)[1:]:
        name = block.split(":", 1)[0].strip()
        rows = []
        for line in block.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) == 3 and cells[0].startswith("`"):
                rows.append((cells[0].strip("`"), cells[1], cells[2].startswith("*(optional)*")))
        out[name] = rows
    return out


DOC = documented()


@pytest.fixture(scope="module")
def tables(sample_dir):
    import warnings

    import analysis

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = analysis.load_corpus(sample_dir, progress=False)
    m = analysis.extract_mentions(a, progress=False)
    co = analysis.count_comentions(a, m, level="sentence")
    focus = ["RUS", "SYR", "IRN"]
    model = analysis.fit_topics(a, k=4, random_state=0)
    # name -> (table without options, table with every option) ; None: no optional column
    return {
        "articles": (a, None),
        "mentions": (m, None),
        "co-mentions": (co, analysis.count_comentions(a, m, level="article", by=["period", "outlet"])),
        "windows": (analysis.count_windows(a), None),
        "coverage": (analysis.coverage(a, m, focus=focus), analysis.coverage(a, m, focus=focus, by="outlet")),
        "partners": (analysis.top_partners(co, focus), None),
        "triangle": (analysis.focus_triangle(a, m, focus), None),
        "event change": (analysis.event_change(a, m, "2024-12-08", focus=focus), None),
        "keyness": (analysis.keyness(a, m, "SYR", min_count=1), None),
        "keyword in context": (analysis.kwic(a, m, "RUS", "SYR", resolve="country"), None),
        "topics": (model.topics_, None),
        "doc_topics": (model.doc_topics_, None),
        "topic prevalence": (analysis.topic_prevalence(model.doc_topics_, m, by="country", entities=focus), None),
        "topics over time": (analysis.topics_over_time(model.doc_topics_, a),
                             analysis.topics_over_time(model.doc_topics_, a, by="outlet")),
    }


def _dtype_ok(series: pd.Series, documented: str) -> bool:
    if documented == "str":  # pandas' default string dtype: str (pandas 3) or object holding str
        if series.dtype == object:
            return all(isinstance(v, str) for v in series.dropna())
        return pd.api.types.is_string_dtype(series.dtype) and str(series.dtype) == "str"
    return str(series.dtype) == documented


def test_the_section_documents_every_table(tables):
    assert set(DOC) == set(tables), "README Tables section and the tested tables differ"
    for name, rows in DOC.items():
        assert rows, f"{name}: no columns documented"
        assert len({c for c, _, _ in rows}) == len(rows), f"{name}: a column documented twice"


@pytest.mark.parametrize("name", sorted(DOC))
def test_table_has_the_documented_columns_and_dtypes(tables, name):
    plain, full = tables[name]
    rows = DOC[name]
    assert len(plain) > 0, f"{name}: empty on the sample corpus, nothing checked"
    want = [c for c, _, opt in rows if not opt]
    assert list(plain.columns) == want, f"{name}: columns {list(plain.columns)}, documented {want}"
    if full is not None:
        assert list(full.columns) == [c for c, _, _ in rows], f"{name} with options: {list(full.columns)}"
    else:
        assert not any(opt for _, _, opt in rows), f"{name}: optional columns documented but not tested"
    table = full if full is not None else plain
    for col, dtype, _ in rows:
        assert _dtype_ok(table[col], dtype), f"{name}.{col}: dtype {table[col].dtype}, documented {dtype}"


def test_names_agree_across_tables(tables):
    """term is the key and surface the readable form in keyness and topics; period is one string type."""
    from analysis.text.normalize import normalize

    k = tables["keyness"][0]
    assert (k["term"] == k["surface"].map(normalize).str.lower()).all()  # the key is the normalized spelling
    t = tables["topics"][0]
    assert all(normalize(s).endswith(term) for s, term in zip(t["surface"], t["term"]))  # clitics stripped
    for name, tab in (("keyness", k), ("topics", t)):
        assert not tab["term"].str.contains("[ةأإآى]").any(), f"{name}: a term that is not normalized"
    periods = [tables["coverage"][0]["period"], tables["co-mentions"][1]["period"], tables["triangle"][0]["period"],
               tables["topics over time"][0]["period"]]
    for p in periods:
        assert p.str.fullmatch(r"\d{4}-\d{2}|undated").all()
    assert set(periods[3]) <= set(periods[0])
    assert np.issubdtype(tables["doc_topics"][0]["topic"].dtype, np.integer)
