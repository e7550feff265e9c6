"""Spreadsheet-safe CSV (analysis.report.export): formula cells neutralized, UTF-8 with BOM, atomic."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.report.export import neutralize_formulas, text_columns, write_csv

BOM = b"\xef\xbb\xbf"


def _frame():
    return pd.DataFrame({
        "outlet": ["=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3", "\tTAB", "\rCR",
                   "قناة", "a=b", None],
        "text_number": ["-0.12", "+3", "-inf", "1e-5", "-", "=", "", "x", "-1e5"],
        "value": [-0.12, 1.5, -np.inf, 0.0, -3.0, 2.0, np.nan, 7.0, -1e5],
        "n": [-1, 2, 3, 4, 5, 6, 7, 8, 9],
        "mixed": [-5, "=1+1", 3.5, None, "ok", "@x", ["=a"], "-b", 0],
    })


def test_neutralize_formulas_owasp_prefixes_only_string_cells():
    df = _frame()
    safe = neutralize_formulas(df)
    assert list(safe["outlet"][:6]) == ["'=HYPERLINK(\"http://x\",\"y\")", "'+cmd|' /C calc'!A0", "'@SUM(A1)",
                                        "'-2+3", "'\tTAB", "'\rCR"]
    assert list(safe["outlet"][6:8]) == ["قناة", "a=b"] and pd.isna(safe["outlet"][8])
    assert safe["outlet"].dtype == df["outlet"].dtype
    # numbers written as text are not formulas; lone operators are
    assert list(safe["text_number"]) == ["-0.12", "+3", "-inf", "1e-5", "'-", "'=", "", "x", "-1e5"]
    # numeric columns are untouched (values and dtypes)
    pd.testing.assert_series_equal(safe["value"], df["value"])
    pd.testing.assert_series_equal(safe["n"], df["n"])
    # in an object column only the strings change: -5, 3.5 and the list stay what they are
    assert safe["mixed"].tolist()[:3] == [-5, "'=1+1", 3.5] and safe["mixed"][6] == ["=a"]
    assert safe["mixed"][5] == "'@x" and safe["mixed"][7] == "'-b"
    # the input frame is not modified
    assert df["outlet"][0].startswith("=")
    assert set(text_columns(df)) == {"outlet", "text_number", "mixed"}


def test_neutralize_returns_same_frame_when_nothing_to_do():
    df = pd.DataFrame({"a": ["x", "y"], "b": [-1.0, 2.0]})
    assert neutralize_formulas(df) is df


def test_neutralize_only_named_columns():
    df = pd.DataFrame({"a": ["=x"], "b": ["=y"]})
    safe = neutralize_formulas(df, columns=["b"])
    assert safe["a"][0] == "=x" and safe["b"][0] == "'=y"


def test_write_csv_bom_safe_and_switchable(tmp_path):
    df = _frame()
    p = write_csv(df, tmp_path / "t.csv")
    data = p.read_bytes()
    assert data.startswith(BOM) and b"\r" not in data
    back = pd.read_csv(p, encoding="utf-8-sig", keep_default_na=False)
    assert len(back) == len(df)  # the CR cell did not split its row
    assert back["outlet"][0] == "'=HYPERLINK(\"http://x\",\"y\")" and back["outlet"][6] == "قناة"
    assert back["outlet"][5] == "'\nCR"
    assert pd.read_csv(p, encoding="utf-8-sig")["value"][0] == -0.12  # still a number
    raw = write_csv(df, tmp_path / "raw.csv", csv_safe=False, bom=False).read_bytes()
    assert not raw.startswith(BOM)
    assert pd.read_csv(tmp_path / "raw.csv", keep_default_na=False)["outlet"][0].startswith("=HYPERLINK")
    # deterministic: same frame, same bytes
    assert write_csv(df.copy(), tmp_path / "t2.csv").read_bytes() == data
    # TSV
    tsv = write_csv(df, tmp_path / "t.tsv", sep="\t").read_bytes()
    assert tsv.startswith(BOM) and b"\n'@SUM(A1)\t" in tsv


def test_write_csv_bytes_equal_plain_to_csv_apart_from_bom(tmp_path):
    """A table without formula cells is written exactly as to_csv wrote it before, plus the BOM
    (the report's tables stay byte-identical apart from the BOM)."""
    df = pd.DataFrame({"period": ["2018-01", "2018-02"], "pmi": ["-inf", "0.5"], "name": ["روسيا", "سوريا"]})
    df.to_csv(tmp_path / "old.csv", index=False, lineterminator="\n", encoding="utf-8")
    new = write_csv(df, tmp_path / "new.csv").read_bytes()
    assert new == BOM + (tmp_path / "old.csv").read_bytes()


def test_write_csv_is_atomic(tmp_path):
    target = tmp_path / "t.csv"
    target.write_text("previous", encoding="utf-8")

    class Boom:
        columns = []

        def to_csv(self, *a, **k):
            with open(a[0], "w") as fh:
                fh.write("half")
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_csv(Boom(), target, csv_safe=False)
    assert target.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv"]  # no temporary file left
