"""Loading corpora: the seed page, hostile inputs, formats, dedup, filters, ids, CLI,
the sample corpus and the full ANT corpus (realdata)."""
from __future__ import annotations

import gzip
import io
import json
import shutil
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import analysis
from analysis.io import load as loadmod
from analysis.cli import main
from analysis.io.load import ARTICLE_COLUMNS, LoadWarning, load_corpus, save_articles

BODY = "قال الرئيس الروسي فلاديمير بوتين إن روسيا لم تهزم في سوريا وإن العلاقات مع إيران قوية."


def load(paths, **kw):
    kw.setdefault("progress", False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LoadWarning)
        return load_corpus(paths, **kw)


def page(title, body, date="2024-12-19", outlet="صحيفة الاختبار", extra=""):
    return f"{title}\nتاريخ النشر: {date}\n{body}\nالمصدر: {outlet}\nكلمات دلالية: روسيا، سوريا\n{extra}"


# ---------------------------------------------------------------- the seed page

def test_seed_page_loads_as_two_articles(seed_page):
    df = load(seed_page)
    assert list(df.columns) == ARTICLE_COLUMNS
    assert len(df) == 2
    main_, rel = df.iloc[0], df.iloc[1]
    assert main_.title == "بوتين: سأتحدث مع الأسد ولم نهزم في سوريا"
    assert main_.published == pd.Timestamp("2024-12-19", tz="UTC")
    assert main_.outlet == "قناة اليمن اليوم"
    assert main_.keywords == ["فی", "سوریا", "بوتین", "أن"]
    assert main_.parent_id is None
    assert rel.title.startswith("بعد توقيعها.. ماذا تشمل معاهدة الشراكة")
    assert rel.parent_id == main_.article_id
    assert pd.isna(rel.published)
    assert rel.keywords == []
    assert rel.outlet == "CNN"
    assert "قناة اليمن اليوم" not in rel.text and rel.text.startswith("(CNN)--")
    assert str(df["published"].dtype) == "datetime64[ns, UTC]"
    s = df.attrs["summary"]
    assert (s["loaded"], s["related"], s["skipped"], s["dates_parsed"]) == (2, 1, 0, 1)


# ---------------------------------------------------------------- hostile folder

GOOD_TITLES = {
    "jsonl-good-1", "jsonl-good-2", "csv-good", "tsv-good", "json-array-1", "json-array-2",
    "json-single", "parquet-1", "parquet-2", "gz-good", "zip-jsonl", "زيب صفحة",
    "صفحة UTF-16", "صفحة ويندوز 1256", "txt-holding-jsonl", "بوتين & الأسد في موسكو",
    "nested-articles-key", "فیلم ایرانی",
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("hostile")
    rec = lambda title, **kw: json.dumps({"title": title, "text": BODY + " " + title, **kw},
                                         ensure_ascii=False)
    # JSON Lines with CRLF: good, malformed, not an object, empty and blank text
    (d / "mixed.jsonl").write_bytes("\r\n".join([
        rec("jsonl-good-1", date="2024-12-01"),
        '{"title": "broken", "text": ',
        "[1, 2, 3]",
        json.dumps({"title": "empty-text", "text": ""}),
        json.dumps({"title": "blank-text", "text": "  \n\t "}),
        "",
        rec("jsonl-good-2", date="not a date at all"),
    ]).encode("utf-8"))
    (d / "empty.txt").write_bytes(b"")
    (d / "blank.jsonl").write_bytes(b"  \n\n")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (d / "latin1.txt").write_bytes("Café résumé, déjà vu; naïve façade.\n".encode("latin-1") * 5)
    (d / "broken_utf8.txt").write_bytes(page("عنوان", "نص سليم.").encode("utf-8") + b"\n\xd9 \xff\xfe broken\n")
    # CSV with BOM, a row with too many fields, a record with HTML in its title
    csv_text = ("\ufeffid,title,text,date,outlet\n"
                f"c1,csv-good,{BODY},19/12/2024,CSV Outlet\n"
                f"c2,too-many,{BODY},19/12/2024,CSV Outlet,extra\n"
                f'c3,"<b>بوتين</b> &amp; الأسد <script>alert(1)</script>في موسكو","<p>{BODY}</p><p>ثانية</p>",'
                "2024-12-20,CSV Outlet\n")
    (d / "bom.csv").write_bytes(csv_text.encode("utf-8"))
    (d / "data.tsv").write_text(f"headline\tbody\tsource\ntsv-good\t{BODY}\tTSV Outlet\n", encoding="utf-8")
    (d / "nocolumn.csv").write_text("foo,bar\n1,2\n", encoding="utf-8")
    (d / "array.json").write_text(
        "[\n" + rec("json-array-1") + ",\n  42,\n" + rec("json-array-2")
        + ',\n  {"title": "json-empty",\n   "text": " "}\n]\n', encoding="utf-8")
    (d / "single.json").write_text(rec("json-single"), encoding="utf-8")
    (d / "nested.json").write_text(json.dumps({"meta": {"n": 1}, "articles": [
        {"headline": "nested-articles-key", "content": BODY}]}, ensure_ascii=False), encoding="utf-8")
    (d / "broken.json").write_text('[\n{"title": "x",\n "text": oops}\n]', encoding="utf-8")
    pd.DataFrame({"title": ["parquet-1", "parquet-2", "parquet-empty"],
                  "text": [BODY + "1", BODY + "2", None],
                  "published": pd.to_datetime(["2024-12-01 10:00", "2024-12-02 10:00", None])}
                 ).to_parquet(d / "table.parquet")
    (d / "fake.parquet").write_bytes(b"PAR1 this is not parquet")
    (d / "good.jsonl.gz").write_bytes(gzip.compress(rec("gz-good").encode("utf-8")))
    (d / "truncated.jsonl.gz").write_bytes(gzip.compress(((rec("gz-cut") + "\n") * 200).encode("utf-8"))[:60])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("inner/a.jsonl", rec("zip-jsonl"))
        z.writestr("inner/p.txt", page("زيب صفحة", "نص صفحة داخل أرشيف."))
        z.writestr("inner/notes.md", "not a corpus file")
        z.writestr("inner/empty.jsonl", "")
        z.writestr("inner/README.txt", "About this archive.")
    (d / "bundle.zip").write_bytes(buf.getvalue())
    (d / "notzip.zip").write_bytes(b"PK\x03\x04 garbage")
    (d / "utf16.txt").write_bytes(page("صفحة UTF-16", "نص بترميز يو تي إف 16.").encode("utf-16"))
    (d / "cp1256.txt").write_bytes(
        page("صفحة ويندوز 1256", "نص بترميز ويندوز العربي.").replace("\n", "\r\n").encode("cp1256"))
    (d / "jsonl_in.txt").write_text(rec("txt-holding-jsonl") + "\n" + rec("txt-holding-jsonl-b"),
                                    encoding="utf-8")
    (d / "persian.txt").write_text(page("فیلم ایرانی", "نص عن فیلم."), encoding="utf-8")
    (d / "notes.md").write_text("# notes", encoding="utf-8")
    (d / ".hidden.jsonl").write_text(rec("hidden"), encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def hostile_df(hostile):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = load_corpus(hostile, progress=False)
    df.attrs["warnings"] = [str(w.message) for w in caught]
    return df


def _skipped(df, name):
    sk = df.attrs["skipped"]
    return sk[sk["source_file"].str.endswith(name)]


def test_hostile_good_records_load(hostile_df):
    titles = set(hostile_df["title"])
    assert GOOD_TITLES <= titles
    assert "hidden" not in titles
    assert not titles & {"broken", "empty-text", "blank-text", "too-many", "parquet-empty", "gz-cut"}
    assert hostile_df["article_id"].is_unique
    assert hostile_df.attrs["summary"]["ignored_files"] == 1  # the README inside bundle.zip


@pytest.mark.parametrize("name,line,reason", [
    ("mixed.jsonl", 2, "malformed JSON line"),
    ("mixed.jsonl", 3, "not a JSON object"),
    ("mixed.jsonl", 4, "empty text"),
    ("mixed.jsonl", 5, "empty text"),
    ("empty.txt", None, "empty file"),
    ("blank.jsonl", None, "empty file"),
    ("binary.txt", None, "binary"),
    ("latin1.txt", None, "undecodable"),
    ("bom.csv", 3, "expected 5 fields, found 6"),
    ("nocolumn.csv", None, "no text column"),
    ("array.json", 3, "not a JSON object"),
    ("array.json", 5, "empty text"),
    ("broken.json", 2, "invalid JSON: unexpected character, expected a JSON value at line 3"),
    ("table.parquet", 3, "empty text"),
    ("fake.parquet", None, "not a readable Parquet file"),
    ("truncated.jsonl.gz", None, "truncated: the gzip data ends early"),
    ("notzip.zip", None, "not a readable zip archive"),
    ("bundle.zip:inner/notes.md", None, "unsupported file type"),
    ("bundle.zip:inner/empty.jsonl", None, "empty file"),
    ("notes.md", None, "unsupported file type"),
])
def test_hostile_bad_inputs_reported_with_file_and_line(hostile_df, name, line, reason):
    rows = _skipped(hostile_df, name)
    assert not rows.empty, f"{name} not reported: {hostile_df.attrs['skipped'].to_dict('records')}"
    match = rows[rows["reason"].str.contains(reason, regex=False)]
    assert not match.empty, rows.to_dict("records")
    if line is None:
        assert match["line"].isna().all()
    else:
        assert line in set(match["line"].dropna().astype(int))


def test_hostile_summary_and_warnings(hostile_df):
    s = hostile_df.attrs["summary"]
    assert s["loaded"] == len(hostile_df)
    assert s["skipped"] == len(hostile_df.attrs["skipped"])
    assert s["records"] == s["loaded"] + s["skipped_records"] + s["duplicates_dropped"] + s["filtered_out"]
    assert s["dates_unparsed"] == 1
    assert any("could not be read" in w and "not a date at all" in w for w in hostile_df.attrs["warnings"])
    assert any("input(s) skipped" in w and "attrs['skipped']" in w for w in hostile_df.attrs["warnings"])
    line = loadmod.summary_line(s)
    assert f"loaded {s['loaded']:,} articles" in line and "skipped" in line


def test_hostile_markup_stripped_and_encodings_read(hostile_df):
    by = hostile_df.set_index("title")
    row = by.loc["بوتين & الأسد في موسكو"]
    assert "<" not in row.name and "alert" not in row.name
    assert row.text == BODY + "\nثانية"
    assert hostile_df.attrs["summary"]["html_cleaned"] >= 2
    assert by.loc["صفحة ويندوز 1256"].text == "نص بترميز ويندوز العربي."
    assert by.loc["صفحة UTF-16"].published == pd.Timestamp("2024-12-19", tz="UTC")
    assert by.loc["csv-good"].published == pd.Timestamp("2024-12-19", tz="UTC")
    assert by.loc["csv-good"].article_id == "c1"
    assert by.loc["tsv-good"].outlet == "TSV Outlet"
    assert by.loc["parquet-1"].published == pd.Timestamp("2024-12-01 10:00", tz="UTC")
    assert by.loc["زيب صفحة"].source_file.endswith("bundle.zip:inner/p.txt")


def test_cli_hostile_exit_zero_and_skipped_file(hostile, tmp_path, capsys):
    out, skipped = tmp_path / "a.parquet", tmp_path / "skipped.csv"
    assert main(["load", str(hostile), "--out", str(out), "--skipped", str(skipped)]) == 0
    err = capsys.readouterr().err
    assert "array.json:3: not a JSON object" in err and "(all in the --skipped file)" in err
    assert "loaded" in err and "could not be read" in err
    assert len(pd.read_parquet(out)) >= len(GOOD_TITLES)
    sk = pd.read_csv(skipped)
    assert list(sk.columns) == ["source_file", "line", "reason", "kind"] and len(sk) >= 19
    assert ((sk["source_file"].str.endswith("mixed.jsonl")) & (sk["line"] == 2)
            & sk["reason"].str.startswith("malformed JSON line")).any()
    assert list(sk["source_file"]) == sorted(sk["source_file"])


def test_cli_nothing_loaded_exits_nonzero_with_reason(hostile, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["load", str(hostile / "binary.txt"), str(hostile / "empty.txt"), "--quiet"])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "nothing loaded" in err and "binary" in err
    assert main(["load", str(tmp_path / "missing-dir")]) == 2
    err = capsys.readouterr().err
    assert "missing-dir: no such file or directory" in err and "Traceback" not in err
    assert main(["load", str(hostile), "--out", str(tmp_path / "x.xlsx")]) == 2


# ---------------------------------------------------------------- formats & fields

def test_fields_override_and_missing_column(tmp_path):
    (tmp_path / "a.csv").write_text(f"unwan,matn,tarikh\nعنوان,{BODY},19/12/2024\n", encoding="utf-8")
    df = load(tmp_path / "a.csv", fields="text=matn,title=unwan,date=tarikh")
    assert df.iloc[0].title == "عنوان" and df.iloc[0].published.day == 19
    df = load(tmp_path / "a.csv", fields={"text": "nope"})
    assert df.empty
    assert "--fields text=nope: no such column" in df.attrs["skipped"].iloc[0].reason
    with pytest.raises(ValueError, match="unknown field 'body'"):
        load(tmp_path / "a.csv", fields="body=matn")


def test_outputs_by_extension_round_trip(tmp_path, seed_page):
    df = load(seed_page)
    for ext in ("parquet", "csv", "jsonl"):
        path = save_articles(df, tmp_path / f"out.{ext}")
        back = load(path)  # our own output reads back
        assert list(back["title"]) == list(df["title"])
        assert list(back["article_id"]) == list(df["article_id"])
        assert back.iloc[0].published == df.iloc[0].published
    rows = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows[1]["parent_id"] == rows[0]["article_id"] and rows[0]["keywords"][1] == "سوریا"
    with pytest.raises(ValueError, match=r"\.parquet, \.csv or \.jsonl"):
        save_articles(df, tmp_path / "out.xlsx")


def test_documentation_files_in_folders_are_left_out(tmp_path):
    (tmp_path / "README.txt").write_text("About this corpus.\nLicense: CC-BY.\n", encoding="utf-8")
    (tmp_path / "UPSTREAM_README.md").write_text("# upstream", encoding="utf-8")
    (tmp_path / "a.txt").write_text(page("أ", "نص أ."), encoding="utf-8")
    df = load(tmp_path)
    assert list(df["title"]) == ["أ"] and df.attrs["skipped"].empty
    assert df.attrs["summary"]["ignored_files"] == 2
    assert "2 documentation file(s) left out" in loadmod.summary_line(df.attrs["summary"])
    assert len(load([tmp_path / "README.txt"])) == 1  # named explicitly: loaded


def test_globs_directories_and_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text(page("ب", "نص ب."), encoding="utf-8")
    (tmp_path / "a.txt").write_text(page("أ", "نص أ."), encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(json.dumps({"title": "ج", "text": "نص ج."}), encoding="utf-8")
    df = load(str(tmp_path / "**" / "*.txt"))
    assert list(df["title"]) == ["أ", "ب"]
    df2 = load([tmp_path, tmp_path / "a.txt"])  # a file named twice is read once
    assert list(df2["title"]) == ["أ", "ب", "ج"]
    df3 = load([tmp_path])
    pd.testing.assert_frame_equal(df2, df3)


# ---------------------------------------------------------------- ids

def test_ids_stable_across_runs_and_locations(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    (a / "x.txt").write_text(page("عنوان", "نص."), encoding="utf-8")
    shutil.copytree(a, b)
    ids_a = list(load(a)["article_id"])
    assert ids_a == list(load(a)["article_id"])
    assert ids_a == list(load(b)["article_id"])
    assert len(ids_a[0]) == 16


def test_repeated_ids_made_unique_and_reported(tmp_path):
    recs = [{"id": "x", "title": f"t{i}", "text": f"{BODY} {i}"} for i in range(3)]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs),
                                      encoding="utf-8")
    with pytest.warns(LoadWarning, match="2 article id"):
        df = load_corpus(tmp_path, progress=False)
    assert list(df["article_id"]) == ["x", "x~2", "x~3"]
    assert df.attrs["summary"]["ids_made_unique"] == 2


# ---------------------------------------------------------------- duplicates & filters

def _jsonl(path, records):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")


def test_dedup_same_outlet_after_normalization_and_wire_groups(tmp_path):
    long = BODY * 4
    variant = long.replace("الروسي", "الرُّوسيّ").replace("بوتين", "بوتـــين").replace(" ", "  \n", 3)
    _jsonl(tmp_path / "a.jsonl", [
        {"id": "1", "title": "خبر", "text": long, "outlet": "A"},
        {"id": "2", "title": "خبر معدل", "text": variant, "outlet": "A"},   # same article, same outlet
        {"id": "3", "title": "خبر", "text": variant, "outlet": "B"},        # wire copy
        {"id": "4", "title": "آخر", "text": BODY + " مختلف", "outlet": "A"},
    ])
    df = load(tmp_path)
    assert list(df["article_id"]) == ["1", "3", "4"]
    assert list(df["dup_group"]) == ["1", "1", "4"]
    s = df.attrs["summary"]
    assert (s["duplicates_dropped"], s["wire_copies"], s["dup_groups"]) == (1, 1, 1)
    kept = load(tmp_path, dedup=False)
    assert list(kept["article_id"]) == ["1", "2", "3", "4"]
    assert list(kept["dup_group"]) == ["1", "1", "1", "4"]


def test_short_boilerplate_bodies_are_not_one_article(tmp_path):
    _jsonl(tmp_path / "a.jsonl", [
        {"title": "مقال أول", "text": "جميع المقالات تمثل رأي كتابها.", "outlet": "A"},
        {"title": "مقال ثان", "text": "جميع المقالات تمثل رأي كتابها.", "outlet": "A"},
        {"title": "مقال ثان", "text": "جميع المقالات تمثل رأي كتابها.", "outlet": "A"},
    ])
    df = load(tmp_path)
    assert list(df["title"]) == ["مقال أول", "مقال ثان"]


def test_content_keys_match_full_normalization():
    from analysis.text.normalize import normalize

    dateline = "دبي، الإمارات العربية المتحدة (CNN)-- "
    base = [BODY * 3, BODY * 3 + " ذيل", "قصير", BODY[:50] + "ـ" + BODY * 2, "ﻻ " + BODY * 3,
            dateline + BODY * 2, dateline + BODY + " وسط مختلف " + BODY,  # same start and end
            dateline + BODY * 2 + " خاتمة أخرى"]
    variants = [t.replace("ا", "أ", 2).replace(" ", "\t ", 2) for t in base]
    # fully vocalized: every letter carries a fatha, so the raw window holds half as much
    vocalized = ["".join(c + "\u064e" if "\u0621" <= c <= "\u064a" else c for c in t) for t in base]
    # three marks per letter and tatweel: the raw window gives too few characters
    heavy = ["".join(c + "\u0651\u064e\u0640" if "\u0621" <= c <= "\u064a" else c for c in t) for t in base]
    texts = base + variants + vocalized + heavy + [BODY * 3, "  " + BODY * 3 + "\n\n"]
    keys = loadmod.content_keys(["t"] * len(texts), texts)
    full = [" ".join(normalize(t).split()) for t in texts]
    for i in range(len(texts)):
        for j in range(len(texts)):
            assert (keys[i] == keys[j]) == (full[i] == full[j]), (i, j)


def test_filters_apply_before_dedup(tmp_path):
    _jsonl(tmp_path / "a.jsonl", [
        {"id": "p", "title": "قصة", "text": BODY * 3, "outlet": "A", "category": "politics",
         "date": "2024-12-08T10:00:00+03:00"},
        {"id": "s", "title": "قصة", "text": BODY * 3, "outlet": "A", "category": "syria",
         "date": "2024-12-08T10:00:00+03:00"},
        {"id": "u", "title": "بلا تاريخ", "text": BODY + " بلا تاريخ", "outlet": "B", "category": "Sport"},
        {"id": "d", "title": "آخر", "text": BODY + " آخر", "outlet": "B", "category": "sport",
         "date": "2024-12-31 23:59"},
    ])
    assert list(load(tmp_path)["article_id"]) == ["p", "u", "d"]
    assert list(load(tmp_path, categories="syria")["article_id"]) == ["s"]
    assert list(load(tmp_path, categories=["politics"])["article_id"]) == ["p"]
    assert list(load(tmp_path, exclude_categories="sport")["article_id"]) == ["p"]
    assert list(load(tmp_path, outlets="b")["article_id"]) == ["u", "d"]
    dated = load(tmp_path, start="2024-12-08", end="2024-12-31")
    assert list(dated["article_id"]) == ["p", "d"]  # end day inclusive
    s = dated.attrs["summary"]
    assert (s["undated_filtered"], s["filtered_out"], s["duplicates_dropped"]) == (1, 1, 1)
    assert list(load(tmp_path, end="2024-12-08 07:00")["article_id"]) == ["p"]  # 10:00+03:00
    assert load(tmp_path, end="2024-12-08 06:59").empty
    assert load(tmp_path, start="2025-01-01").empty
    with pytest.raises(ValueError, match="cannot read the date"):
        load(tmp_path, start="someday")


def test_related_article_repeated_under_two_pages_counts_once(tmp_path):
    related = "إقرأ أيضاً:\nخبر مرتبط مكرر\n(CNN)-- نص الخبر المرتبط المكرر.\n"
    (tmp_path / "1.txt").write_text(page("الصفحة الأولى", "نص أول.", extra=related), encoding="utf-8")
    (tmp_path / "2.txt").write_text(page("الصفحة الثانية", "نص ثان.", extra=related), encoding="utf-8")
    df = load(tmp_path)
    assert list(df["title"]) == ["الصفحة الأولى", "خبر مرتبط مكرر", "الصفحة الثانية"]
    assert df.iloc[1].parent_id == df.iloc[0].article_id
    assert df.attrs["summary"]["duplicates_dropped"] == 1


# ---------------------------------------------------------------- default corpus

def test_default_corpus_resolution(tmp_path, monkeypatch):
    from analysis.io import files

    monkeypatch.setattr(files, "__file__", str(tmp_path / "site" / "analysis" / "io" / "files.py"))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError, match="data/sample was not found"):
        loadmod.default_corpus()
    (tmp_path / "data" / "sample").mkdir(parents=True)
    assert loadmod.default_corpus() == tmp_path / "data" / "sample"


def test_public_api_export():
    assert analysis.load_corpus is load_corpus


# ---------------------------------------------------------------- sample corpus

@pytest.fixture(scope="module")
def sample_df(sample_dir):
    if not sample_dir.is_dir() or not any(sample_dir.iterdir()):
        pytest.skip("data/sample is absent")
    return load(None)


def test_sample_corpus_planted_cases(sample_df):
    df, s = sample_df, sample_df.attrs["summary"]
    assert s["skipped"] == 0 and s["dates_unparsed"] == 0
    assert df["article_id"].is_unique
    mains = df[df["parent_id"].isna()]
    assert mains["published"].notna().all()  # every main article's date form is read
    assert s["duplicates_dropped"] >= 3 and s["dup_groups"] >= 3
    assert not df["source_file"].str.contains("018b_").any()  # the re-crawl is dropped
    treaty = df[df["title"].str.startswith("ماذا نعرف عن معاهدة الشراكة")]
    assert len(treaty) == 1
    parent = df.set_index("article_id").loc[treaty.iloc[0].parent_id]
    assert "046_" in parent.source_file
    kursk = df[df["source_file"].str.contains("043_") & df["parent_id"].notna()]
    assert pd.Timestamp("2024-12-28", tz="UTC") in set(kursk["published"])
    assert df[df["source_file"].str.contains("012_")]["text"].str.len().gt(0).all()  # windows-1256
    both = df[df["article_id"].isin(["marsad-2024-12-0815", "marsad-2024-12-0816"])]
    assert len(both) == 1
    one = load(None, categories="syria")
    assert "marsad-2024-12-0816" in set(one["article_id"])


def test_sample_corpus_same_ids_and_order_every_run(sample_df):
    again = load(None)
    pd.testing.assert_frame_equal(sample_df, again)


# ---------------------------------------------------------------- the ANT corpus

@pytest.fixture(scope="session")
def ant_df(ant_corpus):
    return load(ant_corpus.parent)  # the folder: its README.txt / UPSTREAM_README.md are left out


@pytest.mark.realdata
def test_ant_corpus_loads_completely(ant_df):
    s = ant_df.attrs["summary"]
    assert s["files"] == 1 and s["ignored_files"] == 2
    assert s["records"] == 31_525
    assert len(ant_df) + s["skipped"] + s["duplicates_dropped"] == 31_525
    assert s["skipped"] == 2  # the two records with empty TEXT
    assert set(ant_df.attrs["skipped"]["reason"]) == {"empty text"}
    assert 1_000 < s["duplicates_dropped"] < 1_600
    assert s["dates_parsed"] == len(ant_df)
    assert ant_df["published"].min() >= pd.Timestamp("2012-01-01", tz="UTC")
    assert ant_df["published"].max() <= pd.Timestamp("2018-12-31", tz="UTC")
    assert set(ant_df["outlet"]) == {"skynews", "alarabia", "france24", "BBC", "CNN"}
    assert ant_df["category"].nunique() == 6
    assert ant_df["article_id"].is_unique
    assert ant_df["article_id"].str.match(r"^[A-Z0-9]+-\w+-\d+-\d{8}$").all()
    # RFC-822 with offset: AL-culture-1-20180218 is 'Sun, 18 Feb 2018 21:35:43 +0400'
    first = ant_df.set_index("article_id").loc["AL-culture-1-20180218"]
    assert first.published == pd.Timestamp("2018-02-18 17:35:43", tz="UTC")


def test_jsonl_encodings_and_truncated_gzip_keep_good_records(tmp_path):
    recs = [{"title": f"عنوان {i}", "text": f"{BODY} رقم {i}", "date": "الخميس، 19 ديسمبر 2024"} for i in range(300)]
    body = "\r\n".join(json.dumps(r, ensure_ascii=False) for r in recs)
    (tmp_path / "cp1256.jsonl").write_bytes(body.encode("cp1256"))
    (tmp_path / "utf16.jsonl").write_bytes(body.encode("utf-16"))
    (tmp_path / "bom.ndjson").write_bytes(body.encode("utf-8-sig"))
    df = load(tmp_path)
    assert len(df) == 300 and df.attrs["summary"]["duplicates_dropped"] == 600
    assert df.attrs["skipped"].empty
    assert (df["published"] == pd.Timestamp("2024-12-19", tz="UTC")).all()
    assert df.iloc[0].title == "عنوان 0" and df.iloc[0].text.endswith("رقم 0")
    cut = tmp_path / "cut"
    cut.mkdir()
    packed = gzip.compress(body.encode("utf-8"))
    (cut / "cut.jsonl.gz").write_bytes(packed[: len(packed) // 2])
    part = load(cut)
    assert 0 < len(part) < 300
    sk = part.attrs["skipped"]
    cut_rows = sk[sk["kind"] == "truncated"]
    assert len(cut_rows) == 1 and cut_rows["reason"].str.contains("the records before it were loaded").all()
    assert cut_rows["line"].iloc[0] == len(part) + 1  # the line the data broke off in


def test_articles_table_survives_common_pandas_operations(hostile_df, seed_page):
    """attrs hold the skipped table: concat/merge/melt/groupby-apply must still work."""
    other = load(seed_page)
    both = pd.concat([hostile_df, other], ignore_index=True)
    assert len(both) == len(hostile_df) + 2
    assert len(pd.concat([hostile_df["title"], hostile_df["text"]])) == 2 * len(hostile_df)
    assert len(hostile_df.merge(other[["article_id"]], on="article_id")) == 0
    hostile_df.melt(id_vars=["article_id"], value_vars=["title", "text"])
    hostile_df.groupby("outlet", dropna=False).apply(lambda g: g.head(1), include_groups=False)
    sk = hostile_df.attrs["skipped"]
    assert isinstance(sk, pd.DataFrame) and len(sk[sk["line"].notna()]) > 0


def test_corpus_files_lists_what_load_reads(tmp_path):
    (tmp_path / "README.txt").write_text("about", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text("{}", encoding="utf-8")
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    assert loadmod.corpus_files([tmp_path]) == [tmp_path / "a.txt", tmp_path / "b.jsonl"]
    from analysis.io.files import expand_paths

    assert expand_paths([tmp_path]) == loadmod.corpus_files(tmp_path)  # used by analysis.report


def test_gzip_multi_member_and_non_jsonl_gz(tmp_path):
    a = json.dumps({"title": "الأول", "text": BODY + " 1"}, ensure_ascii=False) + "\n"
    b = json.dumps({"title": "الثاني", "text": BODY + " 2"}, ensure_ascii=False) + "\n"
    (tmp_path / "cat.jsonl.gz").write_bytes(gzip.compress(a.encode()) + gzip.compress(b.encode()))
    (tmp_path / "p.txt.gz").write_bytes(gzip.compress(page("صفحة مضغوطة", "نص.").encode()))
    (tmp_path / "arr.json.gz").write_bytes(gzip.compress(("[" + a + "," + b.replace("الثاني", "الثالث") + "]").encode()))
    df = load(tmp_path)
    assert sorted(df["title"]) == sorted(["الأول", "الثاني", "الثالث", "صفحة مضغوطة"])
    assert df.attrs["skipped"].empty


def test_date_filter_bounds_as_objects_and_in_a_timezone(tmp_path):
    import datetime as dt

    _jsonl(tmp_path / "a.jsonl", [
        {"id": "late", "title": "t", "text": BODY, "date": "2024-12-31 23:30"},       # naive: in tz
        {"id": "next", "title": "t2", "text": BODY + " 2", "date": "2025-01-01 00:30"},
    ])
    assert list(load(tmp_path, end=dt.date(2024, 12, 31))["article_id"]) == ["late"]
    assert list(load(tmp_path, end=dt.datetime(2024, 12, 31, 12, 0))["article_id"]) == []
    riyadh = load(tmp_path, tz="Asia/Riyadh", end="2024-12-31")
    assert list(riyadh["article_id"]) == ["late"]
    assert riyadh.iloc[0].published == pd.Timestamp("2024-12-31 20:30", tz="UTC")


def test_content_decides_over_extension(tmp_path):
    rec = {"title": "سجل", "text": BODY}
    (tmp_path / "lines.csv").write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    (tmp_path / "pretty.txt").write_text(json.dumps({**rec, "title": "منسق"}, ensure_ascii=False, indent=2),
                                         encoding="utf-8")
    # a comment line on top of JSON Lines: that line is reported, the records load
    (tmp_path / "commented.jsonl").write_text(
        "# exported 2024-12-20\n" + json.dumps({**rec, "title": "بعد التعليق"}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    (tmp_path / "wrong.json").write_text("this is not json at all\n", encoding="utf-8")
    df = load(tmp_path)
    assert sorted(df["title"]) == sorted(["سجل", "منسق", "بعد التعليق"])
    sk = df.attrs["skipped"]
    name = sk["source_file"].str.rsplit("/", n=1).str[-1]
    assert list(sk.loc[name == "commented.jsonl", "line"]) == [1]
    assert sk.loc[name == "commented.jsonl", "reason"].str.startswith("malformed JSON line").all()
    wrong = sk[name == "wrong.json"].iloc[0]
    assert wrong.reason.startswith("invalid JSON") and wrong.line == 1


def test_common_scraper_and_api_field_names(tmp_path):
    _jsonl(tmp_path / "newsapi.jsonl", [{
        "source": {"id": None, "name": "BBC Arabic"}, "title": "عنوان", "description": "ملخص",
        "content": BODY, "publishedAt": "2024-12-19T10:00:00Z", "url": "https://example.org/a",
        "tags": ["روسيا", "سوريا"]}])
    _jsonl(tmp_path / "newsplease.jsonl", [{
        "title": "عنوان آخر", "maintext": BODY + " آخر", "date_publish": "2024-12-20 08:00:00",
        "source_domain": "example.net", "url": "https://example.net/b"}])
    df = load(tmp_path).set_index("title")
    a, b = df.loc["عنوان"], df.loc["عنوان آخر"]
    assert (a.outlet, a.text, a.keywords, a.url) == ("BBC Arabic", BODY, ["روسيا", "سوريا"], "https://example.org/a")
    assert a.published == pd.Timestamp("2024-12-19 10:00", tz="UTC")
    assert (b.outlet, b.published) == ("example.net", pd.Timestamp("2024-12-20 08:00", tz="UTC"))


def test_parent_named_even_when_the_page_is_filtered_out(tmp_path):
    related = "إقرأ أيضاً:\nخبر مرتبط\n(CNN)-- نص الخبر المرتبط.\n"
    (tmp_path / "1.txt").write_text(page("الصفحة", "نص أول.", outlet="صحيفة", extra=related), encoding="utf-8")
    (tmp_path / "2.txt").write_text("عنوان بلا نص\nإقرأ أيضاً:\nخبر آخر\nنص آخر.\n", encoding="utf-8")
    full = load(tmp_path)
    cnn = load(tmp_path, outlets="CNN")
    assert list(cnn["title"]) == ["خبر مرتبط"]
    assert cnn.iloc[0].parent_id == full.iloc[0].article_id  # the page's id, though it is not loaded
    orphan = full[full["title"] == "خبر آخر"].iloc[0]
    assert orphan.parent_id is None  # its page has no text: skipped
    assert (full.attrs["skipped"]["reason"] == "empty text").sum() == 1


def test_cli_corpus_options_reach_the_loader(tmp_path, capsys):
    (tmp_path / "a.csv").write_text(
        f"matn,tarikh,masdar,qism\n{BODY},2024-12-19 10:00,أ,سياسة\n{BODY} 2,2024-12-25 10:00,ب,رياضة\n",
        encoding="utf-8")
    out = tmp_path / "out.jsonl"
    args = ["load", str(tmp_path / "a.csv"), "--fields", "text=matn,date=tarikh,outlet=masdar,category=qism",
            "--tz", "+03:00", "--end", "2024-12-20", "--exclude-category", "رياضة", "--out", str(out)]
    assert main(args) == 0
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 1 and rows[0]["outlet"] == "أ"
    assert rows[0]["published"] == "2024-12-19T07:00:00+00:00"
    assert "1 filtered out" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["load", str(tmp_path), "--fields", "nope=x"])
    assert exc.value.code == 2 and "unknown field 'nope'" in capsys.readouterr().err
