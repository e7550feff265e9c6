"""Every format keeps the records before and after a damaged one, and names what was lost."""
from __future__ import annotations

import csv
import gzip
import io
import json
import zipfile

import pandas as pd
import pytest

from analysis.io.load import load_corpus

BODY = "قال الرئيس الروسي فلاديمير بوتين إن روسيا لم تهزم في سوريا وإن العلاقات مع إيران قوية."

pytestmark = pytest.mark.filterwarnings("ignore::analysis.io.problems.LoadWarning")


def load(paths, **kw):
    return load_corpus(paths, progress=kw.pop("progress", False), **kw)


def recs(n, start=0):
    return [{"id": f"r{i}", "title": f"عنوان {i}", "text": f"{BODY} {i}"} for i in range(start, start + n)]


def jsonl_bytes(items) -> bytes:
    return ("\n".join(json.dumps(r, ensure_ascii=False) for r in items) + "\n").encode("utf-8")


def csv_bytes(items, cols=("id", "title", "text")) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for r in items:
        w.writerow([r[c] for c in cols])
    return buf.getvalue().encode("utf-8")


def skipped_of(df, name):
    sk = df.attrs["skipped"]
    return sk[sk["source_file"].str.endswith(name)]


# ---------------------------------------------------------------- NUL bytes

def test_nul_byte_in_the_first_64k_costs_nothing_in_jsonl_and_csv(tmp_path):
    lines = jsonl_bytes(recs(50)).split(b"\n")
    lines[3] = lines[3].replace("عنوان".encode(), "عنوان".encode() + b"\x00", 1)
    lines[6] = b'{"id": "bad", "text": \x00}'
    (tmp_path / "a.jsonl").write_bytes(b"\n".join(lines))
    rows = csv_bytes(recs(50, 100)).split(b"\n")
    rows[4] = rows[4].replace("عنوان".encode(), b"\x00" + "عنوان".encode(), 1)
    (tmp_path / "b.csv").write_bytes(b"\n".join(rows))
    df = load(tmp_path)
    ids = set(df["article_id"])
    assert {f"r{i}" for i in range(50) if i != 6} <= ids and {f"r{i}" for i in range(100, 150)} <= ids
    assert df.set_index("article_id").loc["r3", "title"] == "عنوان 3"  # NUL removed
    p = df.attrs["problems"]
    assert list(zip(p["line"], p["kind"])) == [(4, "nul byte"), (5, "nul byte")]
    sk = df.attrs["skipped"]
    assert list(zip(sk["line"], sk["kind"])) == [(7, "bad json")]


def test_binary_files_are_still_skipped_whole(tmp_path):
    (tmp_path / "zeros.jsonl").write_bytes(b"\x00" * 100_000)
    (tmp_path / "bin.txt").write_bytes(bytes(range(256)) * 8)
    df = load(tmp_path)
    assert df.empty
    assert list(df.attrs["skipped"]["kind"]) == ["binary", "binary"]


# ---------------------------------------------------------------- truncation

@pytest.mark.parametrize("fmt", ["csv", "jsonl", "json", "txt"])
def test_truncated_gzip_keeps_everything_before_the_cut(tmp_path, fmt):
    items = recs(400)
    if fmt == "csv":
        data = csv_bytes(items)
    elif fmt == "jsonl":
        data = jsonl_bytes(items)
    elif fmt == "json":
        data = b"[\n" + b",\n".join(json.dumps(r, ensure_ascii=False).encode() for r in items) + b"\n]\n"
    else:
        data = "عنوان الصفحة\nتاريخ النشر: 2024-12-19\n".encode() + "".join(f"{BODY} {i}\n" for i in range(400)).encode()
    packed = gzip.compress(data)
    (tmp_path / f"cut.{fmt}.gz").write_bytes(packed[: len(packed) // 2])
    df = load(tmp_path)
    sk = df.attrs["skipped"]
    cut = sk[sk["kind"] == "truncated"]
    assert len(cut) == 1 and cut["line"].notna().all(), sk.to_dict("records")
    assert "truncated" in cut.iloc[0]["reason"]
    if fmt == "txt":
        assert len(df) == 1 and df.iloc[0]["text"].count("\n") > 100
        return
    assert 120 < len(df) < 400
    assert list(df["article_id"]) == [f"r{i}" for i in range(len(df))]  # everything before the cut, in order
    lost_line = int(cut.iloc[0]["line"])
    assert lost_line == len(df) + (2 if fmt in ("csv", "json") else 1)


def test_plain_json_array_cut_short(tmp_path):
    body = b"[\n" + b",\n".join(json.dumps(r, ensure_ascii=False).encode() for r in recs(10))
    (tmp_path / "cut.json").write_bytes(body[: len(body) - 15])
    df = load(tmp_path)
    assert list(df["article_id"]) == [f"r{i}" for i in range(9)]
    sk = df.attrs["skipped"]
    assert list(zip(sk["line"], sk["kind"])) == [(11, "truncated")]


# ---------------------------------------------------------------- CSV quotes

def test_unbalanced_csv_quote_swallowing_to_the_end(tmp_path):
    lines = csv_bytes(recs(60)).decode().split("\n")
    lines[11] = lines[11].replace(",عنوان", ',"عنوان', 1)  # opens a quote that never closes
    (tmp_path / "a.csv").write_text("\n".join(lines), encoding="utf-8")
    df = load(tmp_path)
    assert list(df["article_id"]) == [f"r{i}" for i in range(60) if i != 10]
    sk = df.attrs["skipped"]
    assert list(zip(sk["line"], sk["kind"])) == [(12, "bad csv")]
    assert "unbalanced quote" in sk.iloc[0]["reason"]


def test_unbalanced_csv_quote_that_would_merge_rows_silently(tmp_path):
    # the stray quote is closed by a quoted field two rows down: a parser reads
    # one row of the right width holding three rows
    text = ("id,title,text,date\n"
            f"a1,عنوان أ,\"{BODY} أ\",2024-12-01\n"
            f"a2,\"عنوان ب,{BODY} ب,2024-12-02\n"
            f"a3,عنوان ج,{BODY} ج,2024-12-03\n"
            f"a4,\"عنوان د\",{BODY} د,2024-12-04\n"
            f"a5,عنوان هـ,\"{BODY}\nفقرة ثانية\",2024-12-05\n"
            f"a6,عنوان و,{BODY} و,2024-12-06\n")
    (tmp_path / "a.csv").write_text(text, encoding="utf-8")
    df = load(tmp_path)
    assert list(df["article_id"]) == ["a1", "a3", "a4", "a5", "a6"]
    assert df.set_index("article_id").loc["a5", "text"] == f"{BODY}\nفقرة ثانية"  # a real multi-line field
    sk = df.attrs["skipped"]
    assert list(zip(sk["line"], sk["kind"])) == [(3, "bad csv")]


# ---------------------------------------------------------------- JSON arrays

def test_one_bad_element_of_a_json_array_loses_only_itself(tmp_path):
    items = [json.dumps(r, ensure_ascii=False) for r in recs(30)]
    items[7] = '{"title": "broken", "text": oops}'
    items[12] = '{"title": "pretty",\n "text": unquoted words\n}'
    (tmp_path / "a.json").write_text("[\n" + ",\n".join(items) + "\n]\n", encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps({"meta": {"tags": [1]}, "articles": [
        {"title": "x", "text": BODY}, "oops"]}, ensure_ascii=False), encoding="utf-8")
    df = load(tmp_path)
    assert list(df["article_id"])[:28] == [f"r{i}" for i in range(30) if i not in (7, 12)]
    sk = skipped_of(df, "a.json")
    assert list(zip(sk["line"], sk["kind"])) == [(9, "bad json"), (14, "bad json")]
    assert "at line 15" in sk.iloc[1]["reason"]
    assert list(zip(skipped_of(df, "b.json")["line"], skipped_of(df, "b.json")["kind"])) == [(1, "bad record")]


def test_json_array_one_object_per_line_with_structural_damage(tmp_path):
    items = [json.dumps(r, ensure_ascii=False) for r in recs(20)]
    items[5] = '{"title": "unclosed", "text": "' + BODY  # the string never closes on its line
    (tmp_path / "a.json").write_text("[\n" + ",\n".join(items) + "\n]\n", encoding="utf-8")
    df = load(tmp_path)
    assert list(df["article_id"]) == [f"r{i}" for i in range(20) if i != 5]
    assert list(df.attrs["skipped"]["line"]) == [7]


def test_trailing_comma_and_deep_nesting_without_recursion(tmp_path):
    items = [json.dumps(r, ensure_ascii=False) for r in recs(30)]
    (tmp_path / "trailing.json").write_text("[\n" + ",\n".join(items) + ",\n]\n", encoding="utf-8")
    deep = [json.dumps(r, ensure_ascii=False) for r in recs(30, 100)]
    deep[5] = "[" * 100_000 + "]" * 100_000
    (tmp_path / "deep.json").write_text("[\n" + ",\n".join(deep) + "\n]\n", encoding="utf-8")
    (tmp_path / "deep_doc.json").write_text('{"a":' * 50_000 + "1" + "}" * 50_000, encoding="utf-8")
    (tmp_path / "deep_broken.json").write_text("[" * 200_000, encoding="utf-8")
    df = load(tmp_path)
    assert (df["source_file"].str.endswith("trailing.json")).sum() == 30
    assert (df["source_file"].str.endswith("deep.json")).sum() == 29
    sk = df.attrs["skipped"].set_index(df.attrs["skipped"]["source_file"].str.rsplit("/", n=1).str[-1])
    assert "nested deeper than 1,024 levels" in sk.loc["deep.json", "reason"] and sk.loc["deep.json", "line"] == 7
    assert "nested deeper than 1,024 levels" in sk.loc["deep_doc.json", "reason"]
    assert sk.loc["deep_broken.json", "kind"] == "truncated"
    p = df.attrs["problems"]
    assert list(p["detail"]) == ["trailing comma after the last element of the array (ignored)"]
    assert p.iloc[0]["line"] == 31


# ---------------------------------------------------------------- size cap

def test_zip_member_beyond_the_cap_is_refused_by_name(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("good.jsonl", jsonl_bytes(recs(5)))
        z.writestr("big/bomb.jsonl", jsonl_bytes(recs(1, 100)) + b"\n" * (4 << 20))
    (tmp_path / "a.zip").write_bytes(buf.getvalue())
    df = load(tmp_path, max_bytes="1MiB")
    assert len(df) == 5
    sk = df.attrs["skipped"]
    assert list(sk["kind"]) == ["too large"]
    assert sk.iloc[0]["source_file"].endswith("a.zip:big/bomb.jsonl")
    assert "a.zip:big/bomb.jsonl" in sk.iloc[0]["reason"] and "max_bytes=1,048,576" in sk.iloc[0]["reason"]
    whole = load(tmp_path)  # the default cap is 4 GiB
    assert len(whole) == 6 and whole.attrs["skipped"].empty


def test_gzip_beyond_the_cap_is_refused_while_streaming(tmp_path, monkeypatch):
    line = json.dumps(recs(1)[0], ensure_ascii=False).encode() + b"\n"
    (tmp_path / "bomb.jsonl.gz").write_bytes(gzip.compress(line * 40_000))  # ~8 MB inflated
    (tmp_path / "bomb.csv.gz").write_bytes(gzip.compress(b"id,text\n" + b"1," + b"x" * 3_000_000 + b"\n"))
    (tmp_path / "good.jsonl").write_bytes(jsonl_bytes(recs(3, 10)))
    monkeypatch.setenv("ANALYSIS_MAX_BYTES", "2MB")
    df = load(tmp_path)
    assert list(df["article_id"]) == ["r10", "r11", "r12"]
    sk = df.attrs["skipped"]
    assert list(sk["kind"]) == ["too large", "too large"] and sk["line"].isna().all()
    assert sk["reason"].str.contains("ANALYSIS_MAX_BYTES").all()
    assert len(load(tmp_path, max_bytes=10**9)) == 5  # the argument wins over the variable (copies dropped)


def test_max_bytes_values():
    from analysis.io.handles import DEFAULT_MAX_BYTES, max_bytes_limit

    assert max_bytes_limit(None) == DEFAULT_MAX_BYTES == 4 * 2**30
    assert max_bytes_limit("16MiB") == 16 * 2**20 and max_bytes_limit("1.5GB") == 1_500_000_000
    assert max_bytes_limit(1000) == 1000
    for bad in ("lots", "-5", 0, True):
        with pytest.raises(ValueError, match="max_bytes"):
            max_bytes_limit(bad)


def test_gzip_members_and_damaged_zip_member(tmp_path):
    a, b = jsonl_bytes(recs(2)), jsonl_bytes(recs(2, 2))
    (tmp_path / "cat.jsonl.gz").write_bytes(gzip.compress(a) + gzip.compress(b) + b"\x00" * 16)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("m.jsonl", jsonl_bytes(recs(3, 10)))
    raw = bytearray(buf.getvalue())
    pos = raw.index("عنوان 12".encode())
    raw[pos] ^= 0xFF  # a flipped byte: CRC mismatch at the end of the member
    (tmp_path / "bad.zip").write_bytes(bytes(raw))
    df = load(tmp_path)
    assert {"r0", "r1", "r2", "r3"} <= set(df["article_id"])
    kinds = set(df.attrs["skipped"]["kind"])
    assert kinds <= {"bad zip", "bad json", "encoding"} and kinds, df.attrs["skipped"].to_dict("records")
    assert pd.Series(sorted(df["article_id"])).is_unique
