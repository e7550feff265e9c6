import json

from analysis.io.provenance import is_report_folder


def test_is_report_folder(tmp_path):
    assert not is_report_folder(tmp_path)
    (tmp_path / "manifest.json").write_text("{not json", encoding="utf-8")
    assert not is_report_folder(tmp_path)
    (tmp_path / "manifest.json").write_text(json.dumps({"corpus_sha256": "x", "parameters": {}}), encoding="utf-8")
    assert not is_report_folder(tmp_path)  # no versions of this package
    (tmp_path / "manifest.json").write_text(json.dumps(
        {"corpus_sha256": "x", "parameters": {}, "versions": {"analysis": "0.1.0"}}), encoding="utf-8")
    assert is_report_folder(tmp_path)
    assert not is_report_folder(tmp_path / "manifest.json")


# ---------------------------------------------------------------- inputs hashed when read

def _sha(path):
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_inputs_hashed_as_read_for_every_file(tmp_path):
    import gzip
    import io
    import zipfile

    from analysis.io.load import load_corpus

    rec = '{"title": "t", "text": "نص عن روسيا"}\n'
    (tmp_path / "a.jsonl").write_text(rec, encoding="utf-8")
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress(rec.replace('"t"', '"u"').encode()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("in/c.jsonl", rec.replace("نص", "نص آخر"))
    (tmp_path / "c.zip").write_bytes(buf.getvalue())
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bin.txt").write_bytes(b"\x00" * 200_000)  # read to the end for its hash, though skipped
    df = load_corpus(tmp_path, progress=False)
    inputs = df.attrs["inputs"]
    assert [i["path"] for i in inputs] == [str(tmp_path / n) for n in
                                          ("a.jsonl", "b.jsonl.gz", "bin.txt", "c.zip", "empty.txt")]
    for item in inputs:
        path = tmp_path / item["path"].rsplit("/", 1)[-1]
        assert item["sha256"] == _sha(path) and item["bytes"] == path.stat().st_size
    assert set(inputs[0]) == {"path", "sha256", "bytes"}


def test_inputs_hash_is_of_the_bytes_read_not_of_a_later_file(tmp_path, monkeypatch):
    """The hash is taken in the same pass as the read: a file changed after
    loading keeps the hash of what was loaded."""
    from analysis.io.load import load_corpus

    path = tmp_path / "a.jsonl"
    path.write_text('{"title": "t", "text": "نص أول"}\n', encoding="utf-8")
    before = _sha(path)
    df = load_corpus(path, progress=False)
    path.write_text('{"title": "t", "text": "نص ثان"}\n', encoding="utf-8")
    assert df.attrs["inputs"][0]["sha256"] == before != _sha(path)


def test_report_folders_inside_a_corpus_are_left_out(tmp_path):
    from analysis.io.files import corpus_files
    from analysis.io.load import load_corpus, summary_line

    corpus = tmp_path / "corpus"
    report = corpus / "reports" / "r1"
    (report / "tables").mkdir(parents=True)
    (corpus / "a.jsonl").write_text('{"title": "t", "text": "نص عن روسيا"}\n', encoding="utf-8")
    (report / "manifest.json").write_text(json.dumps(
        {"corpus_sha256": "x", "parameters": {}, "versions": {"analysis": "0.1.0"}}), encoding="utf-8")
    (report / "tables" / "keyness.csv").write_text("term,text\nروسيا,نص\n", encoding="utf-8")
    (report / "report.ipynb").write_text("{}", encoding="utf-8")
    not_report = corpus / "notes"
    not_report.mkdir()
    (not_report / "manifest.json").write_text("{}", encoding="utf-8")  # not ours: read as usual
    (not_report / "b.jsonl").write_text('{"title": "b", "text": "نص ب"}\n', encoding="utf-8")
    assert corpus_files(corpus) == [corpus / "a.jsonl", not_report / "b.jsonl", not_report / "manifest.json"]
    assert corpus_files(str(corpus / "**" / "*.csv")) == []
    df = load_corpus(corpus, progress=False)
    assert list(df["title"]) == ["t", "b"]
    assert df.attrs["summary"]["reports_left_out"] == 1
    assert "1 report folder(s) left out" in summary_line(df.attrs["summary"])
    assert load_corpus(str(corpus / "**" / "*.csv"), progress=False).attrs["summary"]["reports_left_out"] == 1
