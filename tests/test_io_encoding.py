"""Encoding decided per file from the decoding errors measured over the whole file."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.io.load import load_corpus

BODY = "قال الرئيس الروسي فلاديمير بوتين إن روسيا لم تهزم في سوريا وإن العلاقات مع إيران قوية."

pytestmark = pytest.mark.filterwarnings("ignore::analysis.io.problems.LoadWarning")


def load(paths, **kw):
    return load_corpus(paths, progress=kw.pop("progress", False), **kw)


def stray_lines(n: int, every: int = 12) -> list[bytes]:
    """UTF-8 JSON lines; every ``every``-th title wrapped in windows-1252 curly quotes (8 %)."""
    out = []
    for i in range(n):
        line = json.dumps({"id": f"a{i}", "title": f"عنوان {i}", "text": f"{BODY} {i}"},
                          ensure_ascii=False).encode("utf-8")
        if i % every == 0:
            line = line.replace("عنوان".encode(), b"\x93" + "عنوان".encode() + b"\x94", 1)
        out.append(line)
    return out


def test_utf8_with_stray_cp1252_bytes_stays_utf8_and_reports_each_line(tmp_path):
    # 15,000 records, 1,250 lines with two stray bytes: enough to tip a whole-file guess to windows-1256
    (tmp_path / "stray.jsonl").write_bytes(b"\n".join(stray_lines(15_000)) + b"\n")
    df = load(tmp_path / "stray.jsonl")
    assert len(df) == 15_000
    assert df["text"].str.startswith(BODY).all()  # no text garbled
    assert df.set_index("article_id").loc["a12", "title"] == "\ufffdعنوان\ufffd 12"
    assert df.set_index("article_id").loc["a13", "title"] == "عنوان 13"
    probs = df.attrs["problems"]
    enc = probs[probs["kind"] == "encoding"]
    assert len(enc) == 1_250
    assert list(enc["line"].head(3)) == [1, 13, 25]
    assert enc["detail"].str.contains("invalid UTF-8 byte 0x93").all()
    assert df.attrs["skipped"].empty
    assert list(probs.columns) == ["source_file", "line", "field", "kind", "detail"]


@pytest.mark.parametrize("fmt", ["csv", "txt", "json"])
def test_stray_bytes_in_whole_text_formats(tmp_path, fmt):
    lines = stray_lines(3000)
    if fmt == "csv":
        rows = [b"id,title,text"] + [(b"\x93" if i % 12 == 0 else b"") + f"c{i},عنوان {i},{BODY}".encode()
                                     for i in range(3000)]
        data = b"\n".join(rows) + b"\n"
    elif fmt == "txt":
        data = (f"عنوان الصفحة\nتاريخ النشر: 2024-12-19\n{BODY}\n".encode() + b"\x93\x94 quoted\n"
                + (BODY + "\n").encode() * 200)
    else:
        data = b"[\n" + b",\n".join(lines) + b"\n]\n"
    (tmp_path / f"a.{fmt}").write_bytes(data)
    df = load(tmp_path)
    assert len(df) == (1 if fmt == "txt" else 3000)
    assert df["text"].str.contains("بوتين").all()
    enc = df.attrs["problems"].query("kind == 'encoding'")
    assert len(enc) >= 1 and enc["line"].notna().all()
    if fmt == "txt":
        assert list(enc["line"]) == [4]


def test_real_windows_1256_files_still_load(tmp_path):
    recs = [{"title": f"عنوان {i}", "text": f"{BODY} {i}", "date": "2024-12-19"} for i in range(300)]
    (tmp_path / "a.jsonl").write_bytes("\r\n".join(json.dumps(r, ensure_ascii=False) for r in recs).encode("cp1256"))
    (tmp_path / "b.csv").write_bytes(("title,text\n" + "".join(f"ب{i},{BODY} ب{i}\n" for i in range(50))).encode("cp1256"))
    (tmp_path / "c.txt").write_bytes(f"صفحة\nتاريخ النشر: 2024-12-19\n{BODY}\n".encode("cp1256"))
    # ASCII-only lines (valid UTF-8) in a windows-1256 file are read the same either way
    (tmp_path / "d.jsonl").write_bytes(b'{"title": "x", "text": "plain ascii text"}\n'
                                       + json.dumps({"title": "ع", "text": BODY}, ensure_ascii=False).encode("cp1256"))
    df = load(tmp_path)
    assert len(df) == 300 + 50 + 1 + 2
    assert df["text"].str.contains("بوتين|plain").all()
    assert df.attrs["problems"].empty and df.attrs["skipped"].empty


def test_undecodable_file_is_skipped_with_kind_encoding(tmp_path):
    (tmp_path / "latin1.txt").write_bytes("Café résumé, déjà vu; naïve façade.\n".encode("latin-1") * 5)
    (tmp_path / "latin1.jsonl").write_bytes(b'{"text": "caf\xe9"}\n{"text": "ok"}\n')
    df = load(tmp_path)
    sk = df.attrs["skipped"]
    assert list(sk["kind"]) == ["encoding", "encoding"]
    assert sk.iloc[0]["line"] == 1 and sk.iloc[0]["source_file"].endswith("latin1.jsonl")  # the line, not the file
    assert pd.isna(sk.iloc[1]["line"]) and "undecodable" in sk.iloc[1]["reason"]
    assert list(df["text"]) == ["ok"]


def test_choose_encoding_counts_over_the_whole_file():
    from analysis.io.encoding import choose_encoding

    arabic_1256 = ("نص عربي " * 20).encode("cp1256")
    assert choose_encoding(100, [b"\x93bad\x94"] * 99) == "utf-8"
    assert choose_encoding(0, [arabic_1256] * 5) == "cp1256"
    assert choose_encoding(0, [b"caf\xe9"] * 5) is None
    assert choose_encoding(3, [b"caf\xe9"] * 5) == "utf-8"  # some valid UTF-8: replace and report


def test_decode_text_nul_and_binary():
    from analysis.io.encoding import decode_text, is_binary
    from analysis.io.problems import SkipInput

    text = decode_text(b"line one\nline\x00 two\nthree\n")
    assert text.text == "line one\nline two\nthree\n"
    assert text.problems == [(2, "nul byte", "NUL character removed")]
    assert is_binary(bytes(range(256)) * 8)
    assert not is_binary(b"x" * 60000 + b"\x00")
    with pytest.raises(SkipInput) as exc:
        decode_text(b"\x00" * 1000)
    assert exc.value.kind == "binary"
    assert decode_text("نص".encode("utf-16")).text == "نص"
