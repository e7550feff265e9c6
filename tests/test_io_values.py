"""A bad value becomes a missing value: the record is kept and the problem listed with file and line."""
from __future__ import annotations

import json

import pandas as pd
import pytest

import analysis
from analysis.io.load import LoadWarning, load_corpus

BODY = "قال الرئيس الروسي فلاديمير بوتين إن روسيا لم تهزم في سوريا وإن العلاقات مع إيران قوية."
DAY = pd.Timestamp("2024-12-19 10:00", tz="UTC")

pytestmark = pytest.mark.filterwarnings("ignore::analysis.io.problems.LoadWarning")


def load(paths, **kw):
    return load_corpus(paths, progress=kw.pop("progress", False), **kw)


def jsonl(path, recs):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n", encoding="utf-8")
    return path


def rec(i, **kw):
    return {"id": f"r{i}", "title": f"عنوان {i}", "text": f"{BODY} {i}", **kw}


def problems_of(df, field=None):
    p = df.attrs["problems"]
    return p if field is None else p[p["field"] == field]


def test_sentinel_years_become_missing_dates_and_are_listed(tmp_path):
    jsonl(tmp_path / "a.jsonl", [rec(0, date="0001-01-01T00:00:00Z"), rec(1, date="9999-12-31"),
                                 rec(2, date="9999-12-31 23:59:59"), rec(3, date="31/12/9999"),
                                 rec(4, date="2024-12-19T10:00:00Z")])
    (tmp_path / "b.csv").write_text(f"title,text,date\nس,{BODY} س,9999-12-31\n", encoding="utf-8")
    df = load(tmp_path)
    assert len(df) == 6  # every record kept
    by = df.set_index("article_id")
    assert by.loc["r4", "published"] == DAY
    assert by.loc[["r0", "r1", "r2", "r3"], "published"].isna().all()
    p = problems_of(df, "date")
    assert len(p) == 5 and set(p["kind"]) == {"date out of range"}
    assert p.iloc[0]["line"] == 1 and p.iloc[0]["source_file"].endswith("a.jsonl")
    assert "year 1 is outside" in p.iloc[0]["detail"]
    assert df.attrs["summary"]["dates_unparsed"] == 5


def test_epochs_in_every_unit_by_magnitude(tmp_path):
    s = 1734602400  # 2024-12-19T10:00:00Z
    values = [s, s * 1000, s * 1_000_000, s * 1_000_000_000, str(s), str(s * 1000), float(s), "20241219100000"]
    jsonl(tmp_path / "a.jsonl", [rec(i, date=v) for i, v in enumerate(values)])
    df = load(tmp_path)
    assert len(df) == len(values)
    assert (df["published"] == DAY).all(), df["published"].tolist()
    assert problems_of(df).empty


def test_mongodb_dates_lists_and_objects(tmp_path):
    jsonl(tmp_path / "a.jsonl", [
        rec(0, date={"$date": "2024-12-19T10:00:00Z"}),
        rec(1, date={"$date": {"$numberLong": "1734602400000"}}),
        rec(2, date={"$date": 1734602400000}),
        rec(3, date=["2024-12-19T10:00:00Z"]),
        rec(4, date=["2024-12-19", "2024-12-20"]),
        rec(5, date={"year": 2024, "month": 12}),
        rec(6, date=True),
    ])
    df = load(tmp_path)
    assert len(df) == 7
    by = df.set_index("article_id")
    assert (by.loc[["r0", "r1", "r2", "r3"], "published"] == DAY).all()
    assert by.loc[["r4", "r5", "r6"], "published"].isna().all()
    p = problems_of(df, "date")
    assert list(p["line"]) == [5, 6, 7] and set(p["kind"]) == {"bad date"}
    assert "a list of 2 values" in p.iloc[0]["detail"] and "keys: year, month" in p.iloc[1]["detail"]


def test_text_of_another_type_before_a_record_lacking_fields(tmp_path):
    jsonl(tmp_path / "a.jsonl", [
        rec(0, text={"p": "x"}),        # not text: this record is skipped
        rec(1, text=["فقرة", 7]),        # a list holding a number: skipped
        rec(2, text=12345),             # a number: read as its digits
        rec(3, title={"x": 1}, outlet={"x": [1]}, url=[{"a": 1}], category={"name": "سياسة"}),
        {"text": BODY + " بلا عنوان"},  # lacks every other field
        rec(5, id=[1, 2]),
    ])
    df = load(tmp_path)
    assert list(df["text"])[:2] == ["12345", f"{BODY} 3"]
    assert len(df) == 4
    sk = df.attrs["skipped"]
    assert list(sk["line"]) == [1, 2] and set(sk["kind"]) == {"bad record"}
    assert "is an object, not text" in sk.iloc[0]["reason"]
    r3 = df.set_index("article_id").loc["r3"]
    assert (r3["title"], r3["outlet"], r3["url"], r3["category"]) == ("", None, None, "سياسة")
    p = problems_of(df)
    assert set(zip(p["line"], p["field"])) == {(4, "title"), (4, "outlet"), (4, "url"), (6, "id")}
    assert set(p["kind"]) == {"bad value"}
    assert df.iloc[-1]["article_id"] != "[1, 2]" and len(df.iloc[-1]["article_id"]) == 16  # content hash


def test_timezone_abbreviations_read_to_their_offsets(tmp_path):
    from analysis.io.dates import TZ_ABBREVIATIONS

    want = {"EST": "15:00", "EDT": "14:00", "PST": "18:00", "PDT": "17:00", "CET": "09:00", "CEST": "08:00",
            "GMT": "10:00", "UTC": "10:00", "AST": "07:00", "EET": "08:00", "EEST": "07:00", "MSK": "07:00",
            "IRST": "06:30", "GST": "06:00"}
    assert TZ_ABBREVIATIONS["AST"] == 180  # Arabia Standard Time, not Atlantic
    recs = [rec(i, date=f"Thu, 19 Dec 2024 10:00:00 {z}") for i, z in enumerate(want)]
    recs += [rec(90, date="2024-12-19 10:00 EST"), rec(91, date="19/12/2024 10:00 (MSK)"),
             rec(92, date="2024-12-19 10:00 GMT+3"), rec(93, date="Thu, 19 Dec 2024 10:00:00 XYZT"),
             rec(94, date="Thu, 19 Dec 2024 10:00:00 IST")]
    jsonl(tmp_path / "a.jsonl", recs)
    df = load(tmp_path).set_index("article_id")
    for i, (zone, hm) in enumerate(want.items()):
        assert df.loc[f"r{i}", "published"] == pd.Timestamp(f"2024-12-19 {hm}", tz="UTC"), zone
    assert df.loc["r90", "published"] == pd.Timestamp("2024-12-19 15:00", tz="UTC")
    assert df.loc["r91", "published"] == pd.Timestamp("2024-12-19 07:00", tz="UTC")
    assert df.loc["r92", "published"] == pd.Timestamp("2024-12-19 07:00", tz="UTC")
    assert df.loc["r93", "published"] == DAY  # unknown: read in tz (UTC) and flagged
    p = problems_of(df, "date")
    assert list(p["kind"]) == ["timezone", "timezone"]
    assert "unknown timezone abbreviation 'XYZT'" in p.iloc[0]["detail"]
    assert "ambiguous" in p.iloc[1]["detail"] and "India" in p.iloc[1]["detail"]


def test_impossible_offsets_are_rejected(tmp_path):
    jsonl(tmp_path / "a.jsonl", [rec(0, date="2024-12-19T10:00:00+25:00"),
                                 rec(1, date="Thu, 19 Dec 2024 10:00:00 +2500"),
                                 rec(2, date="2024-12-19T10:00:00+03:75"),
                                 rec(3, date="2024-12-19T10:00:00+14:00"),
                                 rec(4, date="2024-12-19T10:00:00-12:00")])
    df = load(tmp_path).set_index("article_id")
    assert df.loc[["r0", "r1", "r2"], "published"].isna().all()
    assert df.loc["r3", "published"] == pd.Timestamp("2024-12-18 20:00", tz="UTC")
    assert df.loc["r4", "published"] == pd.Timestamp("2024-12-19 22:00", tz="UTC")
    p = problems_of(df, "date")
    assert list(p["line"]) == [1, 2, 3] and (p["kind"] == "timezone").all()
    assert p["detail"].str.startswith("impossible UTC offset").all()


def test_parse_dates_checked_positions():
    from analysis.io.dates import parse_dates_checked

    dates, flagged = parse_dates_checked(["2024-12-19", "soon", None, "9999-01-01", "", "2024-12-19 10:00 ABCD"])
    assert dates.iloc[0] == pd.Timestamp("2024-12-19", tz="UTC") and dates.iloc[1:5].isna().all()
    assert list(flagged["position"]) == [1, 3, 5]
    assert list(flagged["kind"]) == ["bad date", "date out of range", "timezone"]
    assert list(flagged.columns) == ["position", "value", "kind", "detail"]
    assert analysis.parse_dates(["9999-01-01"]).isna().all()  # no OutOfBoundsDatetime


def test_date_field_column_names_the_field_and_crawl_times(tmp_path):
    jsonl(tmp_path / "api.jsonl", [{"title": "ع", "content": BODY, "publishedAt": "2024-12-19T10:00:00Z",
                                    "date_extracted": "2024-12-25"}])
    jsonl(tmp_path / "crawl.jsonl", [{"title": "ك", "text": BODY + " ك", "date_extracted": "2024-12-25"},
                                     {"title": "ل", "text": BODY + " ل"}])
    (tmp_path / "p.txt").write_text(f"صفحة\nآخر تحديث: 2024-12-20\n{BODY} ص\n", encoding="utf-8")
    df = load(tmp_path)
    assert list(df.columns)[-1] == "date_field"
    assert list(df["date_field"]) == ["publishedAt", "date_extracted", None, "آخر تحديث"]
    assert df.iloc[0]["published"] == DAY  # the publication time wins over the extraction time
    from analysis.io import CRAWL_DATE_FIELDS

    assert isinstance(CRAWL_DATE_FIELDS, frozenset) and "date_extracted" in CRAWL_DATE_FIELDS
    assert "publishedAt".lower() not in CRAWL_DATE_FIELDS
    assert df.attrs["summary"]["crawl_dates"] == 1
    assert "1 dates are crawl times" in analysis.io.load.summary_line(df.attrs["summary"])


def test_problems_only_for_kept_records_and_warned(tmp_path):
    jsonl(tmp_path / "a.jsonl", [rec(0, date="9999-01-01", outlet="A"), rec(0, date="9999-01-01", outlet="A"),
                                 rec(2, title=[1], text="   ")])
    with pytest.warns(LoadWarning, match=r"attrs\['problems'\]"):
        df = load_corpus(tmp_path, progress=False, dedup=True)
    assert len(df) == 1  # the copy is dropped, the empty text skipped
    p = problems_of(df)
    assert list(zip(p["line"], p["field"])) == [(1, "date")]
    assert df.attrs["summary"]["problems"] == 1
