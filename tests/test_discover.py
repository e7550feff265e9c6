"""Discovery of persons the gazetteer lacks: suggest_entities, the YAML stub, analysis discover."""
from __future__ import annotations

import warnings

import pandas as pd
import pytest

from analysis.cli import main
from analysis.entities.discover import SUGGESTION_COLUMNS, suggest_entities, suggestions_yaml
from analysis.entities.gazetteer import load_gazetteer
from analysis.entities.mentions import extract_mentions

# invented people (no corpus text): a Finnish president, a minister, a spokesman
TEXTS = [
    "قال الرئيس الفنلندي زولتان ميكونين إن بلاده مستعدة للحوار. وأضاف ميكونين أن الاتفاق قريب.",
    "التقى الرئيس الفنلندي زولتان ميكونين نظيره الروسي فلاديمير بوتين في موسكو.",
    "وأكد الرئيس الفنلندي زولتان ميكونين، في بيان، أن المحادثات مثمرة.",
    "قال وزير الخارجية الفنلندي إيسكو تارفالا إن الوفد سيصل غدا.",
    "أعلن وزير الخارجية الفنلندي إيسكو تارفالا أمس عن زيارة.",
    "وصرح وزير الخارجية الفنلندي إيسكو تارفالا بأن الحوار مستمر.",
    "قال مصدر مسؤول إن الاجتماع انتهى. وقالت الوزارة في بيان إن الحوار مستمر.",
    "قال الرئيس الروسي فلاديمير بوتين إن بلاده لن تتراجع.",
    "قال الرئيس الروسي فلاديمير بوتين إن العقوبات فشلت.",
    "قال الرئيس الروسي فلاديمير بوتين إن الغرب يخطئ.",
    "وزع مركز الملك سلمان للإغاثة مساعدات. وزع مركز الملك سلمان للإغاثة مساعدات. وزع مركز الملك سلمان للإغاثة مساعدات.",
]


@pytest.fixture(scope="module")
def arts():
    return pd.DataFrame({"article_id": [f"a{i}" for i in range(len(TEXTS))], "title": "", "text": TEXTS,
                         "published": pd.Timestamp("2018-05-01", tz="UTC")})


def test_suggests_unknown_persons_with_counts_examples_and_country(arts):
    sugg = suggest_entities(arts, extract_mentions(arts, progress=False))
    assert list(sugg.columns) == SUGGESTION_COLUMNS
    names = dict(zip(sugg["name"], sugg.itertuples(index=False)))
    assert set(names) == {"زولتان ميكونين", "إيسكو تارفالا"}  # known persons, sources, institutions left out
    z = names["زولتان ميكونين"]
    assert z.count == 4 and z.n_articles == 3  # the bare surname ميكونين joined the full name
    assert "ميكونين" in z.names and z.country == "FIN" and z.after_title == 3
    assert "الرئيس الفنلندي" in z.titles
    assert all("«" in ex and "»" in ex for ex in z.examples) and len(z.examples) == 3
    assert names["إيسكو تارفالا"].country == "FIN"
    assert sugg["count"].is_monotonic_decreasing
    again = suggest_entities(arts, extract_mentions(arts, progress=False))
    pd.testing.assert_frame_equal(sugg, again)  # deterministic


def test_min_count_and_top(arts):
    assert len(suggest_entities(arts, min_count=5)) == 0
    assert len(suggest_entities(arts, top=1)) == 1


def test_yaml_stub_loads_and_then_finds_the_person(arts, tmp_path):
    sugg = suggest_entities(arts, extract_mentions(arts, progress=False))
    text = suggestions_yaml(sugg, source="test articles")
    assert text.startswith("# Persons found by `analysis discover` in test articles")
    assert "«زولتان ميكونين»" in text  # example sentences as comments
    stub = tmp_path / "mine.yaml"
    stub.write_text(text, encoding="utf-8")
    gaz = load_gazetteer(extra=stub)
    eid = sugg.loc[sugg["name"] == "زولتان ميكونين", "entity_id"].iloc[0]
    assert gaz.country_of(eid) == "FIN" and "ميكونين" in gaz.bare_names(eid)
    found = extract_mentions(arts, gazetteer=gaz, progress=False)
    assert (found["entity_id"] == eid).sum() == 4
    # the known persons are now not suggested any more
    assert "زولتان ميكونين" not in set(suggest_entities(arts, gazetteer=gaz)["name"])
    empty = suggestions_yaml(sugg.iloc[0:0])
    assert "persons: {}" in empty
    stub.write_text(empty, encoding="utf-8")
    load_gazetteer(extra=stub)


def test_bad_input():
    with pytest.raises(ValueError, match="articles table"):
        suggest_entities(pd.DataFrame({"x": [1]}))


def test_cli_discover(tmp_path, sample_dir, capsys):
    out = tmp_path / "found.yaml"
    assert main(["discover", str(sample_dir), "--out", str(out), "--quiet", "--min-count", "2"]) == 0
    load_gazetteer(extra=out)  # the stub is a valid gazetteer file
    assert "wrote" in capsys.readouterr().err
    assert main(["discover", str(sample_dir), "--out", str(tmp_path / "x.txt"), "--quiet"]) == 2


@pytest.mark.realdata
def test_discover_on_real_corpus(ant_corpus):
    from analysis.io.load import load_corpus

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = load_corpus([ant_corpus], progress=False).iloc[:6000]
    sugg = suggest_entities(a, extract_mentions(a, progress=False), min_count=5)
    assert len(sugg) > 10
    gaz = load_gazetteer()
    known = {n for e in gaz.entities["entity_id"] for n in gaz.names(e)}
    assert not set(sugg["name"]) & known
    # Kim Jong-un, once the most named person the gazetteer lacked, is in it now (not suggested);
    # Olaf Scholz (German finance minister in 2018) is among the most named it still lacks
    assert not {"كيم جونغ أون", "كيم يونغ أون"} & set(sugg["name"])
    assert "أولاف شولز" in set(sugg.head(15)["name"])
