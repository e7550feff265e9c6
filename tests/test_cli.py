"""The command line's options come from the parameter schema; bad options exit 2 with one paragraph."""
from __future__ import annotations

import argparse
import json

import nbformat
import pytest

from analysis.cli import build_parser, main
from analysis.report import params as RP


def _subparser(name: str) -> argparse.ArgumentParser:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sub.choices[name]


def _flags(p: argparse.ArgumentParser) -> dict:
    return {s: a for a in p._actions for s in a.option_strings}


def test_report_options_are_the_schema():
    flags = _flags(_subparser("report"))
    for p in RP.PARAMETERS:
        if p.flag:
            assert flags[p.flag].dest == p.name, p.name
            for old in p.deprecated_flags:
                assert flags[old].dest == p.name
    schema_dests = {p.name for p in RP.PARAMETERS}
    own = {"help", "out", "notebook", "no_overwrite", "skipped", "quiet"}
    assert {a.dest for a in flags.values()} - schema_dests == own


@pytest.mark.parametrize("command", ["load", "mentions", "comention", "topics", "report"])
def test_every_command_shares_the_corpus_options(command):
    flags = _flags(_subparser(command))
    for name in RP.CORPUS_PARAMS:
        assert flags[RP.param(name).flag].dest == name


def test_shared_concepts_have_one_option():
    for command, names in [("topics", ["k", "method", "seed"]), ("comention", ["level", "freq", "resolve"]),
                           ("mentions", ["gazetteer"])]:
        flags = _flags(_subparser(command))
        for n in names:
            assert flags[RP.param(n).flag].dest == n
    assert "--topics" in _flags(_subparser("topics"))  # the deprecated spelling works everywhere --k does


def _run(capsys, *argv):
    """Exit status and stderr of the command (a bad option exits from argparse with SystemExit(2))."""
    try:
        rc = main(list(argv))
    except SystemExit as exc:
        rc = exc.code
    captured = capsys.readouterr()
    return rc, captured.err


@pytest.mark.parametrize("argv,why", [
    (["--k", "-5"], "argument --k: -5 is out of range"),
    (["--seed", "-1"], "argument --seed: -1 is out of range"),
    (["--start", "2024-13-01"], "no month 13"),
    (["--end", "2018-05-32"], "May 2018 has 31 days, not 32"),
    (["--freq", "fortnight"], "'fortnight' is not one of auto, D, W, M, Q, Y"),
    (["--focus", "RUS,SYRR"], "SYR (سوريا, Syria; country)"),
    (["--resolve", "region"], "not one of country, none"),
    (["--event-date", "soon"], "not a date"),
    (["--notebook", "/nonexistent/mine.ipynb"], "no such file"),
])
def test_bad_report_options_exit_2_with_one_paragraph(tmp_path, capsys, argv, why):
    rc, err = _run(capsys, "report", "--out", str(tmp_path / "r"), "--quiet", *argv)
    assert rc == 2 and why in err, err
    assert err.count("\n") == 1 and "Traceback" not in err and "usage:" not in err
    assert not (tmp_path / "r").exists()


def test_corpus_option_problems_need_the_corpus(tmp_path, capsys, sample_dir):
    rc, err = _run(capsys, "report", str(sample_dir), "--out", str(tmp_path / "r"), "--quiet",
                   "--exclude-category", "nonesuch")
    assert rc == 2 and "--exclude-category nonesuch: no such category" in err and "categories present:" in err
    rc, err = _run(capsys, "load", str(sample_dir), "--outlet", "nonesuch", "--quiet")
    assert rc == 2 and "--outlet nonesuch: no such outlet in the corpus" in err
    rc, err = _run(capsys, "load", str(tmp_path / "smaple"), "--quiet")
    assert rc == 2 and "smaple: no such file or directory" in err


def test_deprecated_topics_flag_warns_and_sets_k(tmp_path, capsys):
    args = build_parser().parse_args(["report", "--out", str(tmp_path / "r"), "--topics", "4"])
    assert args.k == 4
    assert "--topics is deprecated: use --k" in capsys.readouterr().err
    args = build_parser().parse_args(["topics", "--out", str(tmp_path / "t"), "--topics", "3"])
    assert args.k == 3


def test_user_notebook_without_parameters_cell(tmp_path, capsys, sample_dir):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    path = tmp_path / "mine.ipynb"
    nbformat.write(nb, str(path))
    rc, err = _run(capsys, "report", str(sample_dir), "--out", str(tmp_path / "r"), "--notebook", str(path))
    assert rc == 2 and "no cell tagged 'parameters'" in err


def test_entities_command_lists_ids(capsys, tmp_path):
    rc = main(["entities", "hezb"])
    out = capsys.readouterr().out
    assert rc == 0 and out.startswith("hezbollah") and "حزب الله" in out and "Hezbollah" in out
    rc = main(["entities", "روسي", "--type", "organization"])
    out = capsys.readouterr().out
    assert rc == 0 and "russian_mfa" in out and "russian_mod" in out and " country " not in out
    rc = main(["entities", "--type", "country", "--out", str(tmp_path / "c.csv")])
    data = (tmp_path / "c.csv").read_bytes()
    assert rc == 0 and data.startswith(b"\xef\xbb\xbfentity_id,type,country,name_ar,label_en,names") and b"\nRUS," in data
    assert main(["entities", "zzzzqq"]) == 1


def test_report_skipped_file_is_written_after_the_report(tmp_path, capsys):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "a", "title": "روسيا", "date": "2024-12-01", "text": "قالت روسيا."},
                                 ensure_ascii=False) + "\n{broken\n", encoding="utf-8")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('corpus: str = ""')])
    nb.cells[0].metadata["tags"] = ["parameters"]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "mine.ipynb"
    nbformat.write(nb, str(path))
    rc, err = _run(capsys, "report", str(corpus), "--out", str(tmp_path / "r"), "--notebook", str(path),
                   "--skipped", str(tmp_path / "r" / "skipped.csv"), "--quiet")
    assert rc == 2 and "inside the report folder" in err
    rc, err = _run(capsys, "report", str(corpus), "--out", str(tmp_path / "r"), "--notebook", str(path),
                   "--skipped", str(tmp_path / "skipped.csv"), "--quiet")
    assert rc == 0, err
    data = (tmp_path / "skipped.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfsource_file,line,reason,kind\n") and b',2,"malformed JSON line' in data


def test_deprecated_topics_flag_out_of_range_is_a_clean_error(capsys):
    from analysis.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["report", "--topics", "-5", "--out", "unused-report-folder"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "--topics: -5 is out of range" in err and "Traceback" not in err
