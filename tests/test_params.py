"""The report's parameter schema (analysis.report.params): one declaration, strict checks."""
from __future__ import annotations

import ast
import json

import nbformat
import pandas as pd
import pytest

import analysis.report as R
from analysis.report import params as RP
from analysis.report.errors import ParameterError


# --------------------------------------------------------------------------- the schema

def test_schema_is_the_one_declaration():
    names = [p.name for p in RP.PARAMETERS]
    assert len(names) == len(set(names))
    assert R.DEFAULT_PARAMS == {p.name: p.default for p in RP.PARAMETERS}
    flags = [f for p in RP.PARAMETERS for f in (p.flag, *p.deprecated_flags) if f]
    assert len(flags) == len(set(flags))
    for p in RP.PARAMETERS:
        assert isinstance(p.default, p.type), p.name
        assert p.coerce(None) == p.default  # the default is already canonical
        assert p.coerce(p.default) == p.default, p.name
        assert (p.flag is None) == (p.group == "internal"), p.name
    # one name per concept
    assert RP.param("k").default == 10 and RP.param("k").flag == "--k" and "--topics" in RP.param("k").deprecated_flags
    assert RP.param("freq").default == "auto" and RP.param("resolve").default == "country"
    assert RP.CORPUS_PARAMS == ("start", "end", "outlets", "categories", "exclude_categories", "dedup", "fields", "tz")


def _cell_assignments(source: str) -> dict:
    out = {}
    for node in ast.parse(source).body:
        assert isinstance(node, ast.AnnAssign), f"not a simple annotated assignment: {ast.unparse(node)}"
        out[node.target.id] = (ast.unparse(node.annotation), ast.literal_eval(node.value))
    return out


def test_generated_parameters_cell_declares_the_schema():
    cell = _cell_assignments(RP.parameters_cell())
    assert list(cell) == [p.name for p in RP.PARAMETERS]
    assert cell == {p.name: (p.type.__name__, p.default) for p in RP.PARAMETERS}
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(RP.parameters_cell())])
    nb.cells[0].metadata["tags"] = ["parameters"]
    assert RP.notebook_parameters(nb) == cell


def test_report_notebook_parameters_cell_is_the_schema():
    """The shipped notebook's parameters cell assigns exactly the schema's names, types and defaults
    (write it with analysis.report.params.parameters_cell())."""
    nb = nbformat.read(str(R.notebook_path("coverage_report")), as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    declared = _cell_assignments(cells[0].source)
    assert declared == {p.name: (p.type.__name__, p.default) for p in RP.PARAMETERS}, (
        "the notebook's parameters cell differs from the schema; its cell should be:\n" + RP.parameters_cell())
    assert list(declared) == [p.name for p in RP.PARAMETERS]


def test_notebook_without_parameters_cell_is_refused(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    path = tmp_path / "mine.ipynb"
    nbformat.write(nb, str(path))
    with pytest.raises(ParameterError, match="no cell tagged 'parameters'"):
        RP.notebook_parameters(path)


def test_deprecated_notebook_names_still_receive_their_value():
    values = RP.validate_params({"k": 7})
    assert RP.notebook_values(values, ["corpus", "topics", "focus"]) == {"corpus": "", "topics": 7,
                                                                          "focus": "RUS,SYR,IRN"}
    assert "topics" not in RP.notebook_values(values, list(RP.DEFAULT_PARAMS))


# --------------------------------------------------------------------------- values without the corpus

@pytest.mark.parametrize("text,start,end", [
    ("2024", "2024-01-01", "2024-12-31"),
    ("2024-02", "2024-02-01", "2024-02-29"),
    ("2023-02", "2023-02-01", "2023-02-28"),
    ("2024-12-08", "2024-12-08", "2024-12-08"),
    ("2024-12-08T14:00+03:00", "2024-12-08T14:00:00+03:00", "2024-12-08T14:00:00+03:00"),
    ("2024-12-08 14:00:05Z", "2024-12-08T14:00:05+00:00", "2024-12-08T14:00:05+00:00"),
    ("", "", ""),
])
def test_dates_read_strictly(text, start, end):
    assert RP.parse_date_param(text) == start
    assert RP.parse_date_param(text, bound="end") == end


@pytest.mark.parametrize("text,why", [
    ("2024-13-01", "no month 13"),
    ("2018-05-32", "May 2018 has 31 days, not 32"),
    ("2023-02-29", "February 2023 has 28 days"),
    ("2024-00-10", "no month 0"),
    ("13/01/2024", "not a date"),
    ("yesterday", "not a date"),
    ("9999-01-01", "outside the dates"),
    ("0001-01-01", "outside the dates"),
    ("2024-01-01T25:00", "no such time"),
    ("2024-01-01T10:00+25:00", "not a timezone offset"),
])
def test_impossible_dates_are_errors(text, why):
    with pytest.raises(ValueError, match=why):
        RP.parse_date_param(text)
    with pytest.raises(ParameterError, match=f"--start: .*{why}"):
        RP.validate_params({"start": text}, style="cli")


@pytest.mark.parametrize("params,flag,why", [
    ({"k": -5}, "--k", "from 0 to 1,000"),
    ({"k": "5.5"}, "--k", "not a whole number"),
    ({"k": True}, "--k", "not a whole number"),
    ({"seed": -1}, "--seed", "from 0 to 4,294,967,295"),
    ({"freq": "fortnight"}, "--freq", "not one of auto, D, W, M, Q, Y"),
    ({"level": "word"}, "--level", "not one of sentence, paragraph, article"),
    ({"method": "lsa"}, "--method", "not one of nmf, lda"),
    ({"resolve": "region"}, "--resolve", "not one of country, none"),
    ({"dedup": "maybe"}, "--no-dedup", "not true or false"),
    ({"tz": "Mars/Olympus"}, "--tz", "unknown timezone"),
    ({"fields": "txt=body"}, "--fields", "unknown field 'txt'"),
    ({"focus": ""}, "--focus", "at least one entity id"),
    ({"gazetteer": "/nonexistent/g.yaml"}, "--gazetteer", "no such file"),
    ({"start": "2025-01-01", "end": "2024-12"}, "--start", "is after --end 2024-12-31"),
])
def test_bad_values_are_named(params, flag, why):
    with pytest.raises(ParameterError) as info:
        RP.validate_params(params, style="cli")
    msg = str(info.value)
    assert msg.startswith(flag) and why in msg and "\n" not in msg


def test_several_problems_in_one_paragraph():
    with pytest.raises(ParameterError) as info:
        RP.validate_params({"k": -1, "seed": -1, "start": "2024-13-01", "colour": "red"})
    msg = str(info.value)
    assert msg.startswith("4 problems") and "(1) unknown parameter 'colour'" in msg and "k:" in msg
    assert "seed:" in msg and "start:" in msg and "\n" not in msg
    assert len(info.value.problems) == 4


def test_canonical_values():
    v = RP.validate_params({"freq": "week", "focus": ["rus", "hezbollah", "RUS"], "k": "0", "dedup": "false",
                            "end": "2024-02", "fields": "text:body,date=time", "resolve": "NONE"})
    assert v["freq"] == "W" and v["focus"] == "RUS,hezbollah" and v["k"] == 0 and v["dedup"] is False
    assert v["end"] == "2024-02-29" and v["fields"] == "text=body,date=time" and v["resolve"] == "none"
    for word, letter in [("day", "D"), ("month", "M"), ("quarter", "Q"), ("year", "Y"), ("y", "Y"), ("m", "M")]:
        assert RP.validate_params({"freq": word})["freq"] == letter
    with pytest.warns(DeprecationWarning, match="topics is deprecated"):
        assert RP.validate_params({"topics": 4})["k"] == 4
    with pytest.raises(ParameterError, match="same parameter"), pytest.warns(DeprecationWarning):
        RP.validate_params({"topics": 4, "k": 5})


def test_unknown_focus_ids_name_the_nearest_with_their_names():
    with pytest.raises(ParameterError) as info:
        RP.validate_params({"focus": "RUS,SYRR,hezbolah"}, style="cli")
    msg = str(info.value)
    assert msg.startswith("--focus") and "'SYRR' is not an entity id" in msg
    assert "SYR (سوريا, Syria; country)" in msg and "hezbollah (حزب الله, Hezbollah; organization)" in msg
    assert "RUS" not in msg.split("nearest")[0].replace("RUS,", "")  # a known id is not reported
    with pytest.raises(ParameterError, match=r"RUS \(روسيا, Russia; country\)"):
        RP.validate_params({"focus": "روسيه"})  # an Arabic name, misspelled
    with pytest.raises(ParameterError, match=r"RUS \(روسيا, Russia; country\)"):
        RP.validate_params({"focus": "Russia"})  # the English name is not the id


def test_own_gazetteer_ids_are_known(tmp_path):
    g = tmp_path / "mine.yaml"
    g.write_text("organizations:\n  my_ngo:\n    names: [منظمة الاختبار]\n    en: Test NGO\n    country: SYR\n",
                 encoding="utf-8")
    v = RP.validate_params({"focus": "RUS,my_ngo", "gazetteer": str(g)})
    assert v["focus"] == "RUS,my_ngo" and v["gazetteer"] == str(g.resolve())
    with pytest.raises(ParameterError, match="my_ngo"):
        RP.validate_params({"focus": "RUS,my_ngo"})


# --------------------------------------------------------------------------- values against the corpus

def _articles():
    rows = [
        ("a1", "2024-11-03", "Sky News", "politics"), ("a2", "2024-11-20", "Sky News", "sports"),
        ("a3", "2024-12-02", "الجزيرة", "politics"), ("a4", "2024-12-15", "الجزيرة", "economy"),
        ("a5", "2025-01-05", "BBC", "politics"), ("a6", None, "BBC", None),
    ]
    return pd.DataFrame({
        "article_id": [r[0] for r in rows],
        "published": pd.to_datetime([r[1] for r in rows], utc=True),
        "outlet": [r[2] for r in rows], "category": [r[3] for r in rows],
    })


def test_corpus_checks_pass_and_normalize_like_the_loader():
    a = _articles()
    v = RP.validate_params({"outlets": "sky news, الجزيره", "exclude_categories": "SPORTS", "event_date": "2024-12-01"},
                           articles=a)
    assert v["outlets"] == "sky news,الجزيره"


def test_unknown_category_lists_those_present_with_counts():
    with pytest.raises(ParameterError) as info:
        RP.validate_params({"exclude_categories": "sport"}, articles=_articles(), style="cli")
    msg = str(info.value)
    assert msg.startswith("--exclude-category sport: no such category in the corpus (so it would leave nothing out)")
    assert msg.endswith("(did you mean 'sports'?); categories present: politics (3), (none) (1), economy (1), "
                        "sports (1)")


def test_unknown_outlet_lists_those_present():
    with pytest.raises(ParameterError) as info:
        RP.validate_params({"outlets": "CNN"}, articles=_articles(), style="cli")
    msg = str(info.value)
    assert "--outlet CNN: no such outlet" in msg and "Sky News (2)" in msg and "الجزيرة (2)" in msg


def test_filters_that_leave_nothing_are_named():
    a = _articles()
    with pytest.raises(ParameterError, match=r"--start 2026-01-01: no article of the corpus was published then "
                                             r"\(it has dated articles from 2024-11-03 to 2025-01-05, 1 undated\)"):
        RP.validate_params({"start": "2026"}, articles=a, style="cli")
    with pytest.raises(ParameterError) as info:
        RP.validate_params({"outlets": "BBC", "start": "2024-11", "end": "2024-12"}, articles=a, style="cli")
    msg = str(info.value)
    assert msg.startswith("--outlet BBC leaves no article after --start 2024-11-01 and --end 2024-12-31 (4 articles")
    with pytest.raises(ParameterError, match="--category economy leaves no article after --outlet Sky News"):
        RP.validate_params({"outlets": "Sky News", "categories": "economy"}, articles=a, style="cli")
    with pytest.raises(ParameterError, match="--exclude-category politics,sports,economy leaves no article"):
        RP.validate_params({"exclude_categories": "politics,sports,economy", "categories": "politics,sports,economy"},
                           articles=a, style="cli")


def test_event_date_outside_the_span():
    a = _articles()
    for date in ("2023-06-01", "2024-11-03", "2025-02-01"):
        with pytest.raises(ParameterError, match=f"--event-date {date} is outside the corpus's span"):
            RP.validate_params({"event_date": date}, articles=a, style="cli")
    with pytest.raises(ParameterError, match=r"from 2024-12-02 to 2024-12-15 \(after --start"):
        RP.validate_params({"start": "2024-12", "end": "2024-12", "event_date": "2024-11-25"}, articles=a,
                           style="cli")
    assert RP.validate_params({"event_date": "2024-11-04"}, articles=a)["event_date"] == "2024-11-04"


def test_ant_category_typo_lists_the_real_ones(ant_corpus):
    from analysis.io.load import load_corpus

    raw = load_corpus([ant_corpus], dedup=False, progress=False)
    with pytest.raises(ParameterError) as info:
        RP.validate_params({"exclude_categories": "sports"}, articles=raw, style="cli")
    msg = str(info.value)
    assert "did you mean 'sport'" in msg and "sport (6,568)" in msg and "internationalNews (10,168)" in msg
    with pytest.raises(ParameterError, match="is outside the corpus's span"):
        RP.validate_params({"event_date": "2019-06-01"}, articles=raw)
    v = RP.validate_params({"exclude_categories": "sport", "event_date": "2018-05-08"}, articles=raw)
    assert v["exclude_categories"] == "sport"


# --------------------------------------------------------------------------- run_report checks first

def test_run_report_checks_before_any_work(tmp_path, monkeypatch, sample_dir):
    import papermill

    def no_notebook(*a, **k):
        raise AssertionError("the notebook started")

    monkeypatch.setattr(papermill, "execute_notebook", no_notebook)
    out = tmp_path / "reports" / "r"
    for params, why in [({"k": -5}, "k: -5"), ({"focus": "RUS,SYRR"}, "SYRR"), ({"start": "2024-13-01"}, "month 13"),
                        ({"exclude_categories": "nonesuch"}, "no such category"),
                        ({"event_date": "2030-01-01"}, "outside the corpus's span")]:
        with pytest.raises(ParameterError, match=why):
            R.run_report([sample_dir], out, progress=False, **params)
    with pytest.raises(ParameterError, match="smaple: no such file or directory"):
        R.run_report([tmp_path / "smaple"], out, progress=False)
    assert not (tmp_path / "reports").exists()


def test_manifest_records_validated_parameters(small_report):
    out, _ = small_report
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert man["analysis_report"] == 1 and man["resolve"] == "country" and man["k"] == 3
    assert man["parameters"]["freq"] == "W" and man["parameters"]["focus"] == "RUS,SYR"
    assert set(man["parameters"]) == set(R.DEFAULT_PARAMS) - {"out_dir"}


@pytest.fixture(scope="module")
def small_report(tmp_path_factory, sample_dir):
    """A report of a small notebook of our own, through --notebook (fast)."""
    base = tmp_path_factory.mktemp("params")
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell('corpus: str = ""\nk: int = 10\nfreq: str = "M"\nout_dir: str = "."'),
        nbformat.v4.new_code_cell("import pathlib\npathlib.Path('tables', 'seen.csv').write_text(f'k,freq\\n{k},{freq}\\n')"),
    ])
    nb.cells[0].metadata["tags"] = ["parameters"]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = base / "mine.ipynb"
    nbformat.write(nb, str(path))
    out = R.run_report([sample_dir], base / "reports" / "mine", notebook=path, k=3, freq="week", focus="rus,SYR",
                       progress=False)
    return out, path


def test_own_notebook_gets_the_parameters(small_report):
    out, path = small_report
    assert (out / "tables" / "seen.csv").read_text() == "k,freq\n3,W\n"
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert man["report"] == "mine" and man["notebook"]["path"] == str(path) and not man["notebook"]["shipped"]
    assert "tables/seen.csv" in man["files"] and "report.html" in man["files"]


def test_papermill_parses_every_schema_parameter():
    """papermill reads the parameters cell itself (for `papermill --help-notebook` and to warn
    about unknown names): a help text it cannot parse (an '=' in a comment) hides the parameter."""
    import nbformat
    from papermill.translators import PythonTranslator

    from analysis.report.params import DEFAULT_PARAMS, parameters_cell

    found = PythonTranslator.inspect(nbformat.v4.new_code_cell(parameters_cell()))
    assert [p.name for p in found] == list(DEFAULT_PARAMS)


def test_event_dates_several_or_a_csv(tmp_path):
    assert RP.coerce_param("event_date", "2018-05-08, 2018-06-01") == "2018-05-08,2018-06-01"
    with pytest.raises(ValueError, match="no month 13"):
        RP.coerce_param("event_date", "2018-05-08,2018-13-01")
    f = tmp_path / "events.csv"
    f.write_text("date,label\n2018-06-01,summit\n2018-05-08,JCPOA exit\n", encoding="utf-8")
    assert RP.coerce_param("event_date", str(f)) == str(f.resolve())
    assert RP.read_event_param(str(f)) == [("2018-05-08", "JCPOA exit"), ("2018-06-01", "summit")]
    bad = tmp_path / "bad.csv"
    bad.write_text("date,label\n2018-02-30,x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.csv line 2"):
        RP.coerce_param("event_date", str(bad))
    with pytest.raises(ValueError, match="no such events file"):
        RP.coerce_param("event_date", str(tmp_path / "none.csv"))


def test_event_window_range():
    assert RP.coerce_param("event_window", "7") == 7
    for bad in ("0", "366", "x"):
        with pytest.raises(ValueError):
            RP.coerce_param("event_window", bad)
    with pytest.raises(ParameterError, match="--event-window"):
        RP.validate_params({"event_window": 0}, style="cli")
