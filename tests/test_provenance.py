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
