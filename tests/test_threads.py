"""Every public function of the pipeline gives, from 8 threads at once, the serial answer; the loader's
warnings are emitted in the thread whose call caused them, and a quiet load (``warn=False``, the Dask
partition loader) silences nothing in other threads (Dask runs partitions on threads)."""
from __future__ import annotations

import json
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

import analysis
from analysis.io.problems import LoadWarning

N = 8
EVENTS = {"2024-12-08": "Assad leaves Damascus"}


def _together(fn, n: int = N) -> list:
    """``fn(i)`` for i in 0..n-1, each in its own thread, all released at once by a barrier."""
    barrier = threading.Barrier(n)

    def run(i):
        barrier.wait()
        return fn(i)

    with ThreadPoolExecutor(n) as ex:
        futures = [ex.submit(run, i) for i in range(n)]
        return [f.result() for f in futures]


def _assert_same(got, ref) -> None:
    if isinstance(ref, pd.DataFrame):
        pd.testing.assert_frame_equal(got, ref)
        assert got.attrs.keys() == ref.attrs.keys()
    elif isinstance(ref, dict):
        assert got.keys() == ref.keys()
        for k in ref:
            _assert_same(got[k], ref[k])
    elif isinstance(ref, np.ndarray):
        np.testing.assert_array_equal(got, ref)
    else:
        assert got == ref


def _check(fn) -> None:
    ref = fn()
    got = _together(lambda i: fn())
    for g in got:
        _assert_same(g, ref)


@pytest.fixture(scope="module")
def articles(sample_dir):
    return analysis.load_corpus(sample_dir, progress=False, warn=False)


@pytest.fixture(scope="module")
def mentions(articles):
    return analysis.extract_mentions(articles, progress=False, n_jobs=1)


@pytest.fixture(scope="module")
def quotes(articles, mentions):
    return analysis.extract_quotes(articles=articles, mentions=mentions, progress=False, n_jobs=1)


# --------------------------------------------------------------------------- the pipeline
def test_load_corpus_threads(sample_dir):
    _check(lambda: analysis.load_corpus(sample_dir, progress=False, warn=False))
    ref = analysis.load_corpus(sample_dir, progress=False, warn=False)
    assert len(ref) > 50
    for key in ("skipped", "problems"):
        got = _together(lambda i: analysis.load_corpus(sample_dir, progress=False, warn=False).attrs[key])
        for g in got:
            pd.testing.assert_frame_equal(g, ref.attrs[key])


def test_text_functions_threads(articles):
    texts = articles["text"].tolist()
    _check(lambda: [analysis.normalize(t) for t in texts])
    _check(lambda: [analysis.tokenize(t) for t in texts])
    _check(lambda: [analysis.tokenize(t, chars="word", normalize=False, min_len=1) for t in texts[:20]])
    ref = [analysis.split_sentences(t) for t in texts]
    for got in _together(lambda i: [analysis.split_sentences(t) for t in texts]):
        for g, r in zip(got, ref):
            pd.testing.assert_frame_equal(g, r)


def test_extract_mentions_threads(articles, mentions):
    assert len(mentions) > 100
    got = _together(lambda i: analysis.extract_mentions(articles, progress=False, n_jobs=1))
    for g in got:
        pd.testing.assert_frame_equal(g, mentions)


def test_measures_threads(articles, mentions):
    _check(lambda: analysis.count_comentions(articles=articles, mentions=mentions, level="sentence"))
    _check(lambda: analysis.count_comentions(articles=articles, mentions=mentions, level="article",
                                             by="period,outlet", freq="W", resolve="country"))
    _check(lambda: analysis.coverage(articles=articles, mentions=mentions, freq="M"))
    _check(lambda: analysis.coverage(articles=articles, mentions=mentions, freq="W", by="outlet",
                                     resolve="country"))
    _check(lambda: analysis.kwic(articles=articles, mentions=mentions, a="RUS", b="SYR"))


def test_keyness_threads(articles, mentions):
    from analysis.measures import keywords

    with keywords._INDEX_LOCK:
        keywords._INDEX_CACHE.clear()  # every thread starts without the index: they race to build it
    ref = analysis.keyness(articles=articles, mentions=mentions, target="RUS", min_count=2)
    assert len(ref) > 5
    with keywords._INDEX_LOCK:
        keywords._INDEX_CACHE.clear()
    targets = ["RUS", "SYR", "IRN", ["SYR", "IRN"]]
    refs = [analysis.keyness(articles=articles, mentions=mentions, target=t, min_count=2) for t in targets]
    with keywords._INDEX_LOCK:
        keywords._INDEX_CACHE.clear()
    got = _together(lambda i: analysis.keyness(articles=articles, mentions=mentions, target=targets[i % 4],
                                               min_count=2))
    for i, g in enumerate(got):
        pd.testing.assert_frame_equal(g, refs[i % 4])


def test_topics_threads(articles):
    def fit():
        model = analysis.fit_topics(articles, k=4, random_state=0, heldout=0.0)
        return {"components": model.components_, "topics": model.topics(8),
                "doc_topics": model.doc_topics()}

    _check(fit)


def test_event_windows_threads(articles, mentions):
    from analysis.stats.event import event_windows

    ref = event_windows(articles, mentions, EVENTS, days=7, focus=["RUS", "SYR", "IRN"], n_resamples=200)
    assert len(ref) >= 3 and ref["articles_before"].sum() > 0
    _check(lambda: event_windows(articles, mentions, EVENTS, days=7, focus=["RUS", "SYR", "IRN"],
                                 n_resamples=200))


def test_voices_threads(articles, mentions, quotes):
    assert len(quotes) > 20
    got = _together(lambda i: analysis.extract_quotes(articles=articles, mentions=mentions, progress=False,
                                                      n_jobs=1))
    for g in got:
        pd.testing.assert_frame_equal(g, quotes)
    _check(lambda: analysis.voices_tables(articles=articles, mentions=mentions, statements=quotes))


# --------------------------------------------------------------------------- the Dask partition loader
def test_dask_partition_loader_threads(sample_dir):
    pytest.importorskip("dask.dataframe")
    from analysis.dask.corpus import plan_pieces, read_piece

    feed = sample_dir / "feed.jsonl"
    pieces, _ = plan_pieces([feed], blocksize="8KB")
    assert len(pieces) >= 3 and all(p.kind == "range" for p in pieces)  # byte ranges starting mid-file
    refs = [read_piece(p) for p in pieces]
    whole = analysis.load_corpus(feed, progress=False, dedup=False, warn=False)
    joined = pd.concat(refs, ignore_index=True)
    # the pieces together are the file (the sample has no repeated ids, so ids are final)
    pd.testing.assert_frame_equal(joined.drop(columns=["line", "dup_group"]),
                                  whole.drop(columns=["dup_group"]))
    assert joined["line"].tolist() == list(range(1, len(feed.read_bytes().splitlines()) + 1))  # the file's lines
    assert [int(r["line"].iloc[0]) for r in refs] == [p.line0 + 1 for p in pieces]
    got = _together(lambda i: read_piece(pieces[i % len(pieces)]))
    for i, g in enumerate(got):
        pd.testing.assert_frame_equal(g, refs[i % len(pieces)])


# --------------------------------------------------------------------------- warnings stay in their thread
def _bad_files(tmp_path, n: int) -> list:
    """``n`` JSON Lines files, each with one unreadable date in a record of its own line."""
    files = []
    for i in range(n):
        f = tmp_path / f"bad{i}.jsonl"
        lines = [json.dumps({"id": f"f{i}-{j}", "title": f"عنوان {i} {j}", "text": f"نص المقال رقم {j} في الملف {i}",
                             "date": "2024-12-0%d" % (1 + j % 9)}, ensure_ascii=False) for j in range(40)]
        bad = 5 + i
        lines[bad] = json.dumps({"id": f"f{i}-bad", "title": "x", "text": f"نص بلا تاريخ {i}",
                                 "date": f"not a date {i}"}, ensure_ascii=False)
        f.write_text("\n".join(lines) + "\n", encoding="utf-8")
        files.append((f, bad + 1))
    return files


def test_loader_warnings_in_their_thread(tmp_path):
    """Half the threads load files with a bad date (each must see its own LoadWarning, naming its file
    and line, in its own thread); the other half load quietly at the same time (``warn=False`` and the
    Dask partition loader: no warning, and none silenced elsewhere). A quiet load that mutates the
    process-global warning filters (``catch_warnings``) loses the other threads' warnings."""
    from analysis.dask.corpus import plan_pieces, read_piece

    files = _bad_files(tmp_path, N)
    pieces = [plan_pieces([f], blocksize="1KB")[0] for f, _ in files]
    seen: list[tuple[int, type, str]] = []
    lock = threading.Lock()

    def record(message, category, filename, lineno, file=None, line=None):
        with lock:
            seen.append((threading.get_ident(), category, str(message)))

    def job(i):
        f, bad_line = files[i]
        if i % 2 == 0:
            df = analysis.load_corpus(f, progress=False)
            return threading.get_ident(), df
        if i % 4 == 1:
            df = analysis.load_corpus(f, progress=False, warn=False)
            return threading.get_ident(), df
        return threading.get_ident(), pd.concat([read_piece(p) for p in pieces[i]], ignore_index=True)

    with warnings.catch_warnings():  # the test's own, in the main thread, around all the threads
        warnings.simplefilter("always")
        warnings.showwarning = record
        for _ in range(6):
            seen.clear()
            out = _together(job)
            loud = {}
            for ident, category, message in seen:
                assert issubclass(category, LoadWarning), message
                owner = [i for i, (f, _) in enumerate(files) if f"{f}," in message]
                assert len(owner) == 1, message
                loud.setdefault(owner[0], []).append((ident, message))
            assert sorted(loud) == list(range(0, N, 2))  # every loud load warned, no quiet one did
            for i, said in loud.items():
                f, bad_line = files[i]
                assert [ident for ident, _ in said] == [out[i][0]]  # once, in the thread of the call
                assert f"not a date {i}" in said[0][1] and f"line {bad_line})" in said[0][1]
            for i, (_, df) in enumerate(out):
                assert len(df) == 40
                assert df["published"].isna().sum() == 1
                if i % 4 == 1:
                    kinds = {c for c, _ in df.attrs["warnings"]}
                    assert kinds == {LoadWarning}
                    assert f"not a date {i}" in df.attrs["warnings"][0][1]


def test_quiet_load_lists_its_warnings(tmp_path):
    (f, bad_line), = _bad_files(tmp_path, 1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        loud = analysis.load_corpus(f, progress=False)
        quiet = analysis.load_corpus(f, progress=False, warn=False)
    assert [(w.category, str(w.message)) for w in caught] == quiet.attrs["warnings"]
    assert "warnings" not in loud.attrs
    pd.testing.assert_frame_equal(loud, quiet)
    assert loud.attrs["summary"] == quiet.attrs["summary"]


def test_gz_chunking_from_threads_at_once(sample_dir, tmp_path):
    """Loads of one ``.jsonl.gz`` started together inflate it into the same spill folder at once: each
    gets the same pieces, and every chunk reads as the serial load's."""
    pytest.importorskip("dask.dataframe")
    import gzip

    from analysis.dask.corpus import plan_pieces, read_piece

    lines = (sample_dir / "feed.jsonl").read_bytes().splitlines(keepends=True)
    gz = tmp_path / "feed.jsonl.gz"
    gz.write_bytes(gzip.compress(b"".join(lines * 6), mtime=0))
    ref_pieces, _ = plan_pieces([gz], blocksize="20KB", spill_dir=tmp_path / "serial")
    assert len(ref_pieces) >= 4 and all(p.kind == "chunk" for p in ref_pieces)
    refs = [read_piece(p) for p in ref_pieces]
    spill = tmp_path / "shared"

    def plan_and_read(i):
        pieces, _ = plan_pieces([gz], blocksize="20KB", spill_dir=spill)
        return pieces, [read_piece(p) for p in pieces]

    for pieces, tables in _together(plan_and_read):
        assert [(p.start, p.end, p.line0) for p in pieces] == [(p.start, p.end, p.line0) for p in ref_pieces]
        for got, ref in zip(tables, refs):
            pd.testing.assert_frame_equal(got, ref)
    assert not list(spill.rglob("*.tmp"))


# --------------------------------------------------------------------------- the loader hooks the Dask engine uses
def test_content_key_groups_as_content_keys(articles):
    from analysis.io.dedup import content_digests, content_key, content_keys

    titles = articles["title"].tolist() + ["عنوان أ", "عنوان ب", "عنوان أ"]
    texts = articles["text"].tolist() + ["حقوق النشر محفوظة"] * 3  # short: the titles decide
    texts.append(texts[0].replace(" ", "  \n"))  # the same text after whitespace is collapsed
    titles.append("another title")
    grouping = content_keys(titles, texts)
    one = [content_key(t, x) for t, x in zip(titles, texts)]
    h1, h2 = content_digests(titles, texts)
    digests = list(zip(h1.tolist(), h2.tolist()))
    n = len(texts)
    for i in range(n):
        for j in range(i + 1, n):
            same = grouping[i] == grouping[j]
            assert (one[i] == one[j]) == same and (digests[i] == digests[j]) == same, (i, j)
    assert one[-4] == one[-2] != one[-3] and one[-1] == one[0]


def test_read_jsonl_first_line_numbers_the_file(tmp_path):
    from analysis.io.jsonl import read_jsonl
    from analysis.io.problems import LoadLog
    from analysis.io.records import Collector

    body = b'{"id": "a", "text": "\xd9\x86\xd8\xb5"}\n{broken\n{"id": "b", "text": "\xd9\x86\xd8\xb5"}\n'
    log = LoadLog()
    col = Collector({}, log)
    read_jsonl("f.jsonl", [body], col, first_line=40)
    assert col.rows.line == [41, 43]
    assert [(s[1], s[3]) for s in log.skipped] == [(42, "bad json")]
    log2 = LoadLog()
    col2 = Collector({}, log2)
    read_jsonl("f.jsonl", [b"\xef\xbb\xbf" + body], col2, first_line=40)  # mid-file: U+FEFF is the line's
    assert col2.rows.line == [43] and sorted(s[1] for s in log2.skipped) == [41, 42]
    with pytest.raises(ValueError, match="first_line"):
        read_jsonl("f.jsonl", [body], Collector({}, LoadLog()), first_line=-1)


def test_build_articles_positions_without_unique_ids(tmp_path):
    from analysis.io.articles import Options, build_articles
    from analysis.io.problems import LoadLog
    from analysis.io.records import Collector
    from analysis.io.reader import Reader

    f = tmp_path / "rep.jsonl"
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"id": "x", "text": "النص الأول", "date": "2024-01-01"},
        {"id": "y", "text": " ", "date": "2024-01-01"},
        {"id": "x", "text": "النص الثاني", "date": "2024-01-02"},
    ]) + "\n", encoding="utf-8")

    def build(**kw):
        log = LoadLog()
        col = Collector({}, log)
        Reader(col, 1 << 30).read_file(f)
        return build_articles(col.rows, log, Options(dedup=False), 1, warn=False, **kw)

    plain = build()
    assert plain["article_id"].tolist() == ["x", "x~2"] and "row" not in plain.columns
    raw = build(positions=True, unique_ids=False)
    assert raw["article_id"].tolist() == ["x", "x"]
    assert raw["row"].tolist() == [0, 2] and raw["line"].tolist() == [1, 3]
    assert raw["parent_row"].tolist() == [-1, -1]
    assert raw.attrs["summary"]["ids_made_unique"] == 0 and "repeated id" not in set(raw.attrs["problems"]["kind"])
    assert all(issubclass(c, LoadWarning) for c, _ in plain.attrs["warnings"] + raw.attrs["warnings"])
    assert any("repeated" in m for _, m in plain.attrs["warnings"])
    assert not any("repeated" in m for _, m in raw.attrs["warnings"])
    assert any("skipped" in m for _, m in raw.attrs["warnings"])  # the empty text
