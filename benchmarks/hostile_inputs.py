"""Hostile inputs of issue 9, each run through the CLI in a child process.

Builds every case in a temporary folder (load cases: damaged encodings, bad
values, damaged files of every format, decompression bombs, timezone
abbreviations, a missing path, a report folder inside a corpus; report cases:
``--out`` pointing at things it must not destroy, unknown ids and filters,
impossible dates and numbers, a spreadsheet formula in a cell), runs
``analysis load CASE --out out.jsonl --skipped skipped.csv`` or
``analysis report ...`` on it and prints one row per case:

case, records kept, records reported (skipped rows + problems in kept records),
exit code, seconds, peak memory of the child (ru_maxrss, MB), whether any file
beside the command's own output changed (every file of the case folder is
hashed before and after), and a check of the result ("ok" or what is wrong).

    .venv/bin/python benchmarks/hostile_inputs.py [--quick] [--json FILE] [--src DIR] [--only NAME,...]

``--src DIR`` runs another copy of the package (its ``src`` folder), e.g. the
main branch, to compare before and after. ``--quick`` builds the 2.3 GB zip
bomb as a small bomb with a small cap (``ANALYSIS_MAX_BYTES``) instead.
The report cases need the report engineer's work to pass; the script reports
what happens either way.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BODY = ("قال الرئيس الروسي فلاديمير بوتين إن روسيا لم تهزم في سوريا، وإن العلاقات مع إيران قوية. "
        "وأضاف أن موسكو ودمشق وطهران تنسق مواقفها في المنطقة.")
TOPICS = [
    "الاقتصاد الروسي والعقوبات الغربية على موسكو وأسعار النفط والغاز في الأسواق العالمية",
    "المفاوضات النووية بين إيران والدول الكبرى في فيينا وتخصيب اليورانيوم",
    "الحرب في سوريا ومعارك إدلب وحلب ووصول المساعدات الإنسانية إلى النازحين",
    "مباراة كرة القدم في الدوري والمنتخب الوطني يستعد لكأس العالم في روسيا",
    "الانتخابات الرئاسية في إيران والمرشحون المحافظون والإصلاحيون",
]


def record(i: int, **kw) -> dict:
    return {"id": f"r{i}", "title": f"خبر رقم {i}", "text": f"{BODY} {TOPICS[i % len(TOPICS)]} رقم {i}.",
            "date": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T10:00:00+03:00", **kw}


def jsonl(recs) -> bytes:
    return ("\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n").encode("utf-8")


def csv_bytes(recs, cols=("id", "title", "text", "date")) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for r in recs:
        w.writerow([r.get(c, "") for c in cols])
    return buf.getvalue().encode("utf-8")


# ---------------------------------------------------------------- cases

@dataclass
class Case:
    name: str
    kind: str  # load | report
    build: Callable[[Path], list[str]]  # writes the inputs into the folder, returns the CLI args
    check: Callable[[Result], str]
    env: dict = field(default_factory=dict)
    cwd_case: bool = False  # run with the case folder as working directory
    full_only: bool = False
    quick_only: bool = False


@dataclass
class Result:
    folder: Path
    code: int
    stderr: str
    rows: list  # output records (load) or [] (report)
    skipped: list
    problems: int
    seconds: float
    peak_mb: float
    changed: list
    out: Path | None = None


def ok_if(cond: bool, wrong: str) -> str:
    return "ok" if cond else "WRONG: " + wrong


def arabic_share(rows) -> float:
    if not rows:
        return 0.0
    return sum("روسيا" in (r.get("text") or "") for r in rows) / len(rows)


def load_case(name, build, check, **kw) -> Case:
    def make(folder: Path) -> list[str]:
        inputs = build(folder)
        return ["load", *inputs, "--out", str(folder / "_out" / "out.jsonl"),
                "--skipped", str(folder / "_out" / "skipped.csv")]
    return Case(name, "load", make, check, **kw)


def b_stray_cp1252(d: Path) -> list[str]:
    recs = [record(i) for i in range(30000)]
    lines = []
    for i, r in enumerate(recs):
        line = json.dumps(r, ensure_ascii=False).encode("utf-8")
        if i % 12 == 0:  # 8 % of the titles carry a windows-1252 curly quote
            line = line.replace("خبر رقم".encode(), b"\x93" + "خبر رقم".encode() + b"\x94", 1)
        lines.append(line)
    (d / "stray.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    return [str(d / "stray.jsonl")]


def c_stray_cp1252(r: Result) -> str:
    share = arabic_share(r.rows)
    reported = r.problems + len(r.skipped)
    return ok_if(len(r.rows) >= 27500 and share == 1.0 and len(r.rows) + len(r.skipped) == 30000 and reported >= 2500,
                 f"{len(r.rows)} of 30,000 kept, {share:.0%} read as Arabic, {reported} reported")


def b_cp1256(d: Path) -> list[str]:
    (d / "arabic.jsonl").write_bytes(jsonl([record(i) for i in range(200)]).decode().encode("cp1256"))
    return [str(d / "arabic.jsonl")]


def c_cp1256(r: Result) -> str:
    return ok_if(len(r.rows) == 200 and arabic_share(r.rows) == 1.0, f"{len(r.rows)} kept, "
                 f"{arabic_share(r.rows):.0%} Arabic")


def b_sentinel_dates(d: Path) -> list[str]:
    recs = [record(i) for i in range(100)]
    recs[10]["date"] = "0001-01-01T00:00:00Z"
    recs[20]["date"] = "9999-12-31 23:59:59"
    recs[30]["date"] = "9999-12-31"
    (d / "dates.jsonl").write_bytes(jsonl(recs))
    return [str(d / "dates.jsonl")]


def c_all_kept(n: int, reported: int = 1) -> Callable[[Result], str]:
    def check(r: Result) -> str:
        return ok_if(len(r.rows) == n and r.problems + len(r.skipped) >= reported,
                     f"{len(r.rows)} of {n} kept, {r.problems + len(r.skipped)} reported (want >= {reported})")
    return check


def b_epochs(d: Path) -> list[str]:
    s = 1734602400  # 2024-12-19T10:00:00Z
    recs = [record(i, date=v) for i, v in enumerate([s, s * 1000, s * 1_000_000, s * 1_000_000_000,
                                                     str(s), str(s * 1000), float(s)])]
    (d / "epochs.jsonl").write_bytes(jsonl(recs))
    return [str(d / "epochs.jsonl")]


def c_epochs(r: Result) -> str:
    dates = {x.get("published") for x in r.rows}
    return ok_if(len(r.rows) == 7 and dates == {"2024-12-19T10:00:00+00:00"}, f"{len(r.rows)} kept, dates {sorted(map(str, dates))}")


def b_date_shapes(d: Path) -> list[str]:
    recs = [record(0, date={"$date": "2024-12-19T10:00:00Z"}),
            record(1, date={"$date": {"$numberLong": "1734602400000"}}),
            record(2, date={"$date": 1734602400000}),
            record(3, date=["2024-12-19", "2024-12-20"]),
            record(4, date={"year": 2024}),
            record(5)]
    (d / "mongo.jsonl").write_bytes(jsonl(recs))
    return [str(d / "mongo.jsonl")]


def c_date_shapes(r: Result) -> str:
    by = {x["article_id"]: x.get("published") for x in r.rows}
    want = "2024-12-19T10:00:00+00:00"
    good = [by.get(k) for k in ("r0", "r1", "r2")]
    return ok_if(len(r.rows) == 6 and good == [want] * 3 and by.get("r3") is None and by.get("r4") is None
                 and r.problems >= 2, f"{len(r.rows)} kept, $date read: {good}, reported {r.problems}")


def b_text_types(d: Path) -> list[str]:
    recs = [record(0, text=12345), record(1, text=["فقرة أولى عن روسيا", 7]), record(2, text={"p": "x"}),
            record(3, title=["قائمة"]), record(4, outlet={"x": [1]})]
    del recs[4]["date"]
    recs.append({"text": BODY + " بلا عنوان"})
    (d / "types.jsonl").write_bytes(jsonl(recs))
    return [str(d / "types.jsonl")]


def c_text_types(r: Result) -> str:
    return ok_if(len(r.rows) >= 4 and r.problems + len(r.skipped) >= 3,
                 f"{len(r.rows)} kept (want >= 4), {r.problems + len(r.skipped)} reported")


def b_nul_jsonl(d: Path) -> list[str]:
    lines = jsonl([record(i) for i in range(50)]).split(b"\n")
    lines[3] = lines[3].replace("خبر".encode(), "خبر".encode() + b"\x00", 1)
    (d / "nul.jsonl").write_bytes(b"\n".join(lines))
    return [str(d / "nul.jsonl")]


def b_nul_csv(d: Path) -> list[str]:
    data = csv_bytes([record(i) for i in range(50)]).split(b"\n")
    data[4] = data[4].replace("خبر".encode(), "خبر".encode() + b"\x00", 1)
    (d / "nul.csv").write_bytes(b"\n".join(data))
    return [str(d / "nul.csv")]


def c_at_least(n: int) -> Callable[[Result], str]:
    return lambda r: ok_if(len(r.rows) >= n and r.problems + len(r.skipped) >= 1,
                           f"{len(r.rows)} kept (want >= {n}), {r.problems + len(r.skipped)} reported")


def b_truncated_csv_gz(d: Path) -> list[str]:
    packed = gzip.compress(csv_bytes([record(i) for i in range(400)]))
    (d / "cut.csv.gz").write_bytes(packed[: len(packed) // 2])
    return [str(d / "cut.csv.gz")]


def b_truncated_jsonl_gz(d: Path) -> list[str]:
    packed = gzip.compress(jsonl([record(i) for i in range(400)]))
    (d / "cut.jsonl.gz").write_bytes(packed[: len(packed) // 2])
    return [str(d / "cut.jsonl.gz")]


def c_truncated(r: Result) -> str:
    kinds = " ".join(str(s) for s in r.skipped).lower()
    return ok_if(100 <= len(r.rows) < 400 and "truncated" in kinds,
                 f"{len(r.rows)} of 400 kept (about half expected), 'truncated' reported: {'truncated' in kinds}")


def b_csv_quote(d: Path) -> list[str]:
    text = csv_bytes([record(i) for i in range(60)]).decode()
    lines = text.split("\n")
    lines[11] = lines[11].replace(",خبر", ',"خبر', 1)  # an opening quote that never closes
    (d / "quote.csv").write_text("\n".join(lines), encoding="utf-8")
    return [str(d / "quote.csv")]


def c_csv_quote(r: Result) -> str:
    lost = 60 - len(r.rows)
    return ok_if(len(r.rows) >= 59 - 1 and len(r.skipped) + r.problems >= max(lost, 1),
                 f"{len(r.rows)} of 60 kept, {lost} lost, {len(r.skipped)} reported")


def b_json_bad_element(d: Path) -> list[str]:
    items = [json.dumps(record(i), ensure_ascii=False) for i in range(30)]
    items[7] = '{"title": "broken", "text": oops}'
    (d / "array.json").write_text("[\n" + ",\n".join(items) + "\n]\n", encoding="utf-8")
    return [str(d / "array.json")]


def b_json_trailing_comma(d: Path) -> list[str]:
    items = [json.dumps(record(i), ensure_ascii=False) for i in range(30)]
    (d / "trailing.json").write_text("[\n" + ",\n".join(items) + ",\n]\n", encoding="utf-8")
    return [str(d / "trailing.json")]


def b_json_deep(d: Path) -> list[str]:
    items = [json.dumps(record(i), ensure_ascii=False) for i in range(30)]
    items[5] = "[" * 100_000 + "]" * 100_000
    (d / "deep.json").write_text("[\n" + ",\n".join(items) + "\n]\n", encoding="utf-8")
    (d / "deep_doc.json").write_text('{"a":' * 50_000 + "1" + "}" * 50_000, encoding="utf-8")
    return [str(d / "deep.json"), str(d / "deep_doc.json")]


def c_exact(n: int, reported: int) -> Callable[[Result], str]:
    return lambda r: ok_if(len(r.rows) == n and r.problems + len(r.skipped) >= reported,
                           f"{len(r.rows)} kept (want {n}), {r.problems + len(r.skipped)} reported (want >= {reported})")


def b_zip_bomb(size: int) -> Callable[[Path], list[str]]:
    def build(d: Path) -> list[str]:
        with zipfile.ZipFile(d / "bomb.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
            z.writestr("good.jsonl", jsonl([record(i) for i in range(20)]))
            with z.open("bomb.jsonl", "w", force_zip64=True) as fh:
                block = b"\x00" * (16 << 20)
                left = size
                while left > 0:
                    fh.write(block[: min(left, len(block))])
                    left -= len(block)
        return [str(d / "bomb.zip")]
    return build


def c_bomb(r: Result) -> str:
    named = any("bomb.jsonl" in str(s) for s in r.skipped)
    return ok_if(len(r.rows) == 20 and named and r.peak_mb < 1000,
                 f"{len(r.rows)} of 20 kept, bomb member named: {named}, peak {r.peak_mb:.0f} MB")


def b_gz_bomb(d: Path) -> list[str]:
    line = (json.dumps(record(1), ensure_ascii=False) + "\n").encode("utf-8")
    with gzip.open(d / "bomb.jsonl.gz", "wb", compresslevel=9) as fh:
        block = line * ((4 << 20) // len(line))
        for _ in range(16):  # 64 MiB inflated
            fh.write(block)
    (d / "good.jsonl").write_bytes(jsonl([record(i) for i in range(2, 22)]))
    return [str(d / "bomb.jsonl.gz"), str(d / "good.jsonl")]


def c_gz_bomb(r: Result) -> str:
    text = " ".join(str(s) for s in r.skipped).lower()
    refused = "bomb.jsonl.gz" in text and ("too large" in text or "max_bytes" in text)
    return ok_if(len(r.rows) == 20 and refused, f"{len(r.rows)} kept (want the 20 good), bomb refused: {refused}")


def b_tz(d: Path) -> list[str]:
    zones = {"EST": "15:00", "EDT": "14:00", "PST": "18:00", "PDT": "17:00", "CET": "09:00", "CEST": "08:00",
             "GMT": "10:00", "UTC": "10:00", "AST": "07:00", "EET": "08:00", "EEST": "07:00", "MSK": "07:00",
             "IRST": "06:30", "XYZT": None}
    recs = [record(i, date=f"Thu, 19 Dec 2024 10:00:00 {z}") for i, z in enumerate(zones)]
    (d / "tz.jsonl").write_bytes(jsonl(recs))
    (d / "want.json").write_text(json.dumps(zones), encoding="utf-8")
    return [str(d / "tz.jsonl")]


def c_tz(r: Result) -> str:
    zones = json.loads((r.folder / "want.json").read_text(encoding="utf-8"))
    by = {x["article_id"]: x.get("published") for x in r.rows}
    wrong = []
    for i, (z, hm) in enumerate(zones.items()):
        got = by.get(f"r{i}")
        if hm is not None and got != f"2024-12-19T{hm}:00+00:00":
            wrong.append(f"{z}->{got}")
    flagged = r.problems >= 1
    return ok_if(not wrong and flagged and len(r.rows) == len(zones),
                 f"wrong offsets {wrong[:4]}{'...' if len(wrong) > 4 else ''}, unknown flagged: {flagged}")


def b_offset(d: Path) -> list[str]:
    recs = [record(0, date="2024-12-19T10:00:00+25:00"), record(1, date="Thu, 19 Dec 2024 10:00:00 +2500"),
            record(2, date="2024-12-19T10:00:00+03:00")]
    (d / "offset.jsonl").write_bytes(jsonl(recs))
    return [str(d / "offset.jsonl")]


def c_offset(r: Result) -> str:
    by = {x["article_id"]: x.get("published") for x in r.rows}
    return ok_if(len(r.rows) == 3 and by.get("r0") is None and by.get("r1") is None
                 and by.get("r2") == "2024-12-19T07:00:00+00:00" and r.problems >= 2,
                 f"+25:00 read as {by.get('r0')} / {by.get('r1')}, reported {r.problems}")


def b_missing(d: Path) -> list[str]:
    return [str(d / "data" / "smaple")]


def b_glob_nothing(d: Path) -> list[str]:
    (d / "a.jsonl").write_bytes(jsonl([record(0)]))
    return [str(d / "*.jsonnl")]


def c_missing(r: Result) -> str:
    return ok_if(r.code == 2 and "no such file" in r.stderr.lower() and "Traceback" not in r.stderr,
                 f"exit {r.code}: {r.stderr.strip().splitlines()[-1][:90] if r.stderr.strip() else ''}")


def c_glob(r: Result) -> str:
    return ok_if(r.code == 2 and "*.jsonnl" in r.stderr and "Traceback" not in r.stderr,
                 f"exit {r.code}: {r.stderr.strip().splitlines()[-1][:90] if r.stderr.strip() else ''}")


def b_report_inside(d: Path) -> list[str]:
    corpus = d / "corpus"
    (corpus / "report" / "tables").mkdir(parents=True)
    (corpus / "a.jsonl").write_bytes(jsonl([record(i) for i in range(10)]))
    (corpus / "report" / "manifest.json").write_text(json.dumps(
        {"corpus_sha256": "0" * 64, "parameters": {}, "versions": {"analysis": "0.1.0"}}), encoding="utf-8")
    (corpus / "report" / "tables" / "corpus_outlets.csv").write_text("outlet,articles\nx,1\n", encoding="utf-8")
    (corpus / "report" / "tables" / "keyness.csv").write_text("term,text\nروسيا,نص الجدول\n", encoding="utf-8")
    return [str(corpus)]


def c_report_inside(r: Result) -> str:
    leaked = [s for s in r.skipped if "report" in str(s)] + [x for x in r.rows if "/report/" in x.get("source_file", "")]
    return ok_if(len(r.rows) == 10 and not leaked, f"{len(r.rows)} kept, report files read back: {len(leaked)}")


def b_crawl(d: Path) -> list[str]:
    recs = [record(i) for i in range(5)]
    for r in recs:
        r["date_extracted"] = r.pop("date")
    (d / "crawl.jsonl").write_bytes(jsonl(recs))
    return [str(d / "crawl.jsonl")]


def c_crawl(r: Result) -> str:
    fields = {x.get("date_field", "(no column)") for x in r.rows}
    return ok_if(fields == {"date_extracted"}, f"date_field: {sorted(map(str, fields))}")


# ---------------------------------------------------------------- report cases

def write_corpus(folder: Path, n: int = 150, outlet_of=None, category_of=None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    recs = []
    for i in range(n):
        r = record(i)
        r["outlet"] = outlet_of(i) if outlet_of else ["وكالة أ", "صحيفة ب", "قناة ج"][i % 3]
        r["category"] = category_of(i) if category_of else ("sports" if i % 5 == 3 else "politics")
        recs.append(r)
    (folder / "articles.jsonl").write_bytes(jsonl(recs))
    return folder


def report_case(name, args_of, check, **kw) -> Case:
    def make(folder: Path) -> list[str]:
        args = args_of(folder)
        return ["report", *args, *([] if "--topics" in args else ["--topics", "3"]), "--quiet"]
    return Case(name, "report", make, check, **kw)


def with_thesis(folder: Path) -> None:
    (folder / "thesis.docx").write_bytes(b"my thesis, three years of work")


def a_out_dot(d: Path) -> list[str]:
    write_corpus(d / "corpus")
    with_thesis(d)
    return ["corpus", "--out", "."]


def a_out_nonempty(d: Path) -> list[str]:
    write_corpus(d / "corpus")
    (d / "mine").mkdir()
    with_thesis(d / "mine")
    return [str(d / "corpus"), "--out", str(d / "mine")]


def a_out_corpus(d: Path) -> list[str]:
    write_corpus(d / "corpus")
    return [str(d / "corpus"), "--out", str(d / "corpus")]


def a_out_symlink(d: Path) -> list[str]:
    write_corpus(d / "corpus")
    (d / "target").mkdir()
    with_thesis(d / "target")
    (d / "link").symlink_to(d / "target", target_is_directory=True)
    return [str(d / "corpus"), "--out", str(d / "link")]


def c_refused(r: Result) -> str:
    return ok_if(r.code == 2 and not r.changed and "Traceback" not in r.stderr,
                 f"exit {r.code}, files changed or deleted: {len(r.changed)}")


def a_plain(*extra) -> Callable[[Path], list[str]]:
    def build(d: Path) -> list[str]:
        write_corpus(d / "corpus")
        return [str(d / "corpus"), "--out", str(d / "report"), *extra]
    return build


def c_exit2(r: Result) -> str:
    last = r.stderr.strip().splitlines()[-1][:80] if r.stderr.strip() else ""
    return ok_if(r.code == 2 and "Traceback" not in r.stderr and r.seconds < 30, f"exit {r.code} after {r.seconds:.0f} s: {last}")


def rus_rate(folder: Path) -> str | None:
    path = folder / "report" / "tables" / "coverage_total.csv"
    if not path.is_file():
        return None
    with open(path, encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            if row.get("entity", "").lstrip("'") == "RUS":
                return row.get("per_1k_words")
    return None


def c_hezbollah(r: Result) -> str:
    base = rus_rate(r.folder.parent / "report_baseline")  # the folder of the case "report baseline"
    got = rus_rate(r.folder)
    if r.code == 2:
        return "ok (refused: " + (r.stderr.strip().splitlines()[-1][:60] if r.stderr.strip() else "") + ")"
    return ok_if(got is not None and got == base, f"RUS per 1,000 words {got} vs {base} with --focus RUS,SYR,IRN")


def a_formula(d: Path) -> list[str]:
    write_corpus(d / "corpus", outlet_of=lambda i: ['=HYPERLINK("http://example.org/x","click")',
                                                    "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd"][i % 3])
    return [str(d / "corpus"), "--out", str(d / "report")]


def c_formula(r: Result) -> str:
    if r.code != 0:
        return f"WRONG: exit {r.code}"
    bad = 0
    for path in (r.folder / "report" / "tables").glob("*.csv"):
        with open(path, encoding="utf-8-sig") as fh:
            for row in csv.reader(fh):
                bad += sum(1 for c in row if c[:1] in ("=", "+", "@") or re.match(r"-[^\d.]", c))
    return ok_if(bad == 0, f"{bad} cells a spreadsheet would execute")


def c_baseline(r: Result) -> str:
    return ok_if(r.code == 0 and rus_rate(r.folder) is not None, f"exit {r.code}")


def cases(quick: bool) -> list[Case]:
    bomb_size = (64 << 20) if quick else int(2.3e9)
    bomb_env = {"ANALYSIS_MAX_BYTES": str(16 << 20)} if quick else {}
    out = [
        load_case("utf8+stray cp1252 bytes", b_stray_cp1252, c_stray_cp1252),
        load_case("windows-1256 file", b_cp1256, c_cp1256),
        load_case("dates 0001 / 9999", b_sentinel_dates, c_all_kept(100, 3)),
        load_case("epochs s/ms/us/ns", b_epochs, c_epochs),
        load_case("date list / $date obj", b_date_shapes, c_date_shapes),
        load_case("text of other types", b_text_types, c_text_types),
        load_case("NUL byte in JSONL", b_nul_jsonl, c_at_least(49)),
        load_case("NUL byte in CSV", b_nul_csv, c_at_least(49)),
        load_case("truncated .csv.gz", b_truncated_csv_gz, c_truncated),
        load_case("truncated .jsonl.gz", b_truncated_jsonl_gz, c_truncated),
        load_case("CSV unbalanced quote", b_csv_quote, c_csv_quote),
        load_case("JSON array bad element", b_json_bad_element, c_exact(29, 1)),
        load_case("JSON trailing comma", b_json_trailing_comma, c_exact(30, 0)),
        load_case("JSON nested 100,000 deep", b_json_deep, c_exact(29, 2)),
        load_case("zip bomb " + ("64 MiB, cap 16 MiB" if quick else "2.3 GB"), b_zip_bomb(bomb_size), c_bomb,
                  env=bomb_env),
        load_case("gz bomb 64 MiB, cap 16 MiB", b_gz_bomb, c_gz_bomb, env={"ANALYSIS_MAX_BYTES": str(16 << 20)}),
        load_case("tz abbreviations", b_tz, c_tz),
        load_case("offset +25:00", b_offset, c_offset),
        load_case("missing path data/smaple", b_missing, c_missing),
        load_case("glob matching nothing", b_glob_nothing, c_glob),
        load_case("report inside corpus", b_report_inside, c_report_inside),
        load_case("crawl-time date field", b_crawl, c_crawl),
    ]
    if not quick:
        out.append(load_case("zip bomb 2.3 GB, cap 1 GiB", b_zip_bomb(bomb_size), c_bomb,
                             env={"ANALYSIS_MAX_BYTES": str(1 << 30)}))
    out += [
        report_case("report baseline", a_plain(), c_baseline),
        report_case("report --out .", a_out_dot, c_refused, cwd_case=True),
        report_case("--out folder with a file", a_out_nonempty, c_refused),
        report_case("--out the corpus folder", a_out_corpus, c_refused),
        report_case("--out a symlink", a_out_symlink, c_refused),
        report_case("--focus RUS,SYRR", a_plain("--focus", "RUS,SYRR"), c_exit2),
        report_case("--focus RUS,hezbollah", a_plain("--focus", "RUS,hezbollah"), c_hezbollah),
        report_case("--exclude-category sport", a_plain("--exclude-category", "sport"), c_exit2),
        report_case("--start 2024-13-01", a_plain("--start", "2024-13-01"), c_exit2),
        report_case("--end 2018-05-32", a_plain("--end", "2018-05-32"), c_exit2),
        report_case("--topics -5", a_plain("--topics", "-5"), c_exit2),
        report_case("CSV cell =HYPERLINK(...)", a_formula, c_formula),
    ]
    return out


# ---------------------------------------------------------------- running

def snapshot(folder: Path, skip: set[Path]) -> dict[str, str]:
    out = {}
    for root, dirs, files in os.walk(folder):
        rootp = Path(root)
        dirs[:] = [x for x in dirs if rootp / x not in skip]
        for f in files:
            p = rootp / f
            if p.is_symlink():
                out[str(p)] = "-> " + os.readlink(p)
                continue
            h = hashlib.sha256()
            with open(p, "rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    h.update(block)
            out[str(p)] = h.hexdigest()
    for p in skip:
        if p.is_symlink():
            out[str(p)] = "-> " + os.readlink(p)
    return out


def run_child(args: list[str], src: Path, env_extra: dict, cwd: Path, timeout: float):
    env = dict(os.environ)
    env["PYTHONPATH"] = str(src) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.update(env_extra)
    cmd = [sys.executable, "-c", "import sys; from analysis.cli import main; sys.exit(main())", *args]
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=cwd)
        deadline = t0 + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    if time.perf_counter() > deadline:
        stderr += f"\n(killed after {timeout:.0f} s)"
    return proc.returncode, stderr, seconds, usage.ru_maxrss / 1024


def run_case(case: Case, root: Path, src: Path, timeout: float) -> dict:
    folder = root / re.sub(r"[^A-Za-z0-9]+", "_", case.name).strip("_")
    folder.mkdir(parents=True)
    args = case.build(folder)
    out_dir = folder / "_out"
    out_dir.mkdir()
    skip = {out_dir}
    if case.kind == "report" and "--out" in args:
        target = Path(args[args.index("--out") + 1])
        target = target if target.is_absolute() else folder / target
        if target != folder and not (target.exists() and any(target.iterdir())) and not target.is_symlink():
            skip.add(target)  # a fresh report folder: the command's own output
    before = snapshot(folder, skip)
    code, stderr, seconds, peak = run_child(args, src, case.env, folder if case.cwd_case else root, timeout)
    after = snapshot(folder, skip)
    changed = sorted(p for p in before if after.get(p) != before[p])
    rows, skipped, problems = [], [], 0
    if case.kind == "load":
        out = out_dir / "out.jsonl"
        if out.is_file():
            rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines() if x.strip()]
        sk = out_dir / "skipped.csv"
        if sk.is_file():
            with open(sk, encoding="utf-8-sig") as fh:
                skipped = list(csv.DictReader(fh))
    else:
        m = re.search(r"loaded ([\d,]+) articles", stderr)
        rows = [None] * int(m.group(1).replace(",", "")) if m else []
    m = re.search(r"([\d,]+) problems? in kept records", stderr)
    problems = int(m.group(1).replace(",", "")) if m else 0
    res = Result(folder, code, stderr, rows, skipped, problems, seconds, peak, changed)
    try:
        verdict = case.check(res)
    except Exception as exc:  # a check must never stop the table
        verdict = f"WRONG: check failed ({type(exc).__name__}: {exc})"
    if "Traceback" in stderr and verdict == "ok":
        verdict = "WRONG: traceback"
    return {"case": case.name, "kept": len(rows) if case.kind == "load" else (len(rows) if rows else None),
            "reported": len(skipped) + problems if case.kind == "load" else None,
            "exit": code, "seconds": round(seconds, 2), "peak_mb": round(peak), "outside_changed": len(changed),
            "check": verdict, "stderr_tail": stderr.strip().splitlines()[-3:] if stderr.strip() else []}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small zip bomb with a small cap instead of 2.3 GB")
    ap.add_argument("--json", default=None, metavar="FILE", help="also write the rows as JSON")
    ap.add_argument("--src", type=Path, default=REPO / "src", help="the package's src folder to run")
    ap.add_argument("--only", default=None, help="comma-separated substrings of case names to run")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args(argv)
    todo = cases(args.quick)
    if args.only:
        wanted = [w.strip().lower() for w in args.only.split(",")]
        todo = [c for c in todo if any(w in c.name.lower() for w in wanted)
                or (c.name == "report baseline" and any("hezbollah" in w for w in wanted))]
    root = Path(tempfile.mkdtemp(prefix="hostile-"))
    rows = []
    print(f"package: {args.src}\ncases in: {root}\n")
    head = f"{'case':34} {'kept':>6} {'reported':>8} {'exit':>4} {'s':>6} {'MB':>6} {'changed':>7}  check"
    print(head)
    print("-" * len(head))
    try:
        for case in todo:
            try:
                row = run_case(case, root, args.src.resolve(), args.timeout)
            except Exception as exc:  # a broken case must not stop the table
                row = {"case": case.name, "kept": None, "reported": None, "exit": -1, "seconds": 0.0,
                       "peak_mb": 0, "outside_changed": 0, "check": f"WRONG: the script failed ({exc!r})",
                       "stderr_tail": []}
            rows.append(row)
            kept = "" if row["kept"] is None else row["kept"]
            rep = "" if row["reported"] is None else row["reported"]
            print(f"{row['case'][:34]:34} {kept:>6} {rep:>8} {row['exit']:>4} {row['seconds']:>6.1f} "
                  f"{row['peak_mb']:>6} {row['outside_changed']:>7}  {row['check']}", flush=True)
    finally:
        if args.keep:
            print(f"\nkept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    n_ok = sum(r["check"].startswith("ok") for r in rows)
    print(f"\n{n_ok} of {len(rows)} cases ok")
    if args.json:
        Path(args.json).write_text(json.dumps({"src": str(args.src), "quick": args.quick, "rows": rows},
                                              indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
