"""extract_mentions: the seed page and small cases of every matching rule."""
from __future__ import annotations

import gzip
import json

import numpy as np
import pandas as pd
import pytest

from analysis.cli import main
from analysis.entities.gazetteer import load_gazetteer
from analysis.entities.mentions import MENTION_COLUMNS, extract_mentions
from analysis.text.segment import split_sentences


def arts(*texts, date="2018-05-01", title="", category=None):
    n = len(texts)
    df = pd.DataFrame({
        "article_id": [f"a{i}" for i in range(n)], "title": [title] * n, "text": list(texts),
        "published": pd.to_datetime([date] * n, utc=True),
    })
    if category is not None:
        df["category"] = category
    return df


def found(text, **kw):
    """(entity_id, mention_kind, surface) triples of one text."""
    gaz = kw.pop("gazetteer", None)
    df = extract_mentions(arts(text, **kw), gazetteer=gaz, progress=False)
    return [(r.entity_id, r.mention_kind, r.surface) for r in df.itertuples()]


def ids(text, **kw):
    return {e for e, _, _ in found(text, **kw)}


def check_surfaces(df, articles):
    src = {(r.article_id, f): getattr(r, f) for r in articles.itertuples() for f in ("title", "text")}
    for r in df.itertuples():
        assert src[(r.article_id, r.field)][r.start:r.end] == r.surface


# ---------------------------------------------------------------- the seed page

@pytest.fixture(scope="module")
def seed(seed_page):
    text = seed_page.read_text(encoding="utf-8")
    title, body = text.split("\n", 1)
    a = pd.DataFrame({"article_id": ["seed"], "title": [title], "text": [body],
                      "published": [pd.Timestamp("2024-12-19", tz="UTC")]})
    return a, extract_mentions(a, progress=False)


def test_seed_page_columns_and_surfaces(seed):
    a, df = seed
    assert list(df.columns) == MENTION_COLUMNS
    check_surfaces(df, a)
    assert (df["field"] == "title").sum() > 0
    assert set(df.loc[df["field"] == "title", "paragraph"]) == {0}


def test_seed_page_entities(seed):
    _, df = seed
    title = df[df["field"] == "title"]
    assert set(title["entity_id"]) == {"putin", "bashar_assad", "SYR"}
    names = df[df["mention_kind"] == "name"]
    assert {"putin", "bashar_assad", "RUS", "SYR", "IRN", "kursk", "kremlin", "moscow", "BLR",
            "pezeshkian", "gaza", "hezbollah", "trump"} <= set(names["entity_id"])
    # بيلاروسيا is Belarus and never Russia
    blr = df[df["entity_id"] == "BLR"]
    assert (blr["surface"] == "بيلاروسيا").all()
    assert not ((df["entity_id"] == "RUS") & df["surface"].str.contains("بيلا")).any()


def test_seed_page_offices(seed):
    _, df = seed
    office = df[df["mention_kind"] == "office"]
    # الرئيس الروسي alone -> Putin; الرئيس الإيراني -> Pezeshkian (Dec 2024)
    assert set(office["entity_id"]) == {"putin", "pezeshkian"}
    assert set(office.loc[office["entity_id"] == "putin", "surface"]) == {"الرئيس الروسي"}
    # "الرئيس السوري السابق بشار الأسد": no office resolution (السابق, and no holder after 8 Dec 2024)
    assert "bashar_assad" not in set(office["entity_id"])
    derived = df[df["mention_kind"] == "derived"]
    assert {"RUS", "SYR", "IRN", "USA"} <= set(derived["entity_id"])
    # "الرئيس الروسي فلاديمير بوتين": the name is the mention, not the office too
    first = df[(df["field"] == "text") & (df["paragraph"] == 1)]
    assert first["mention_kind"].tolist().count("office") == 0


def test_seed_page_sentences(seed):
    a, df = seed
    spans = split_sentences(a["text"][0])
    key = {(r.paragraph, r.sentence): (r.start, r.end) for r in spans.itertuples()}
    for r in df[df["field"] == "text"].itertuples():
        s, e = key[(r.paragraph, r.sentence)]
        assert s <= r.start and r.end <= e


# ---------------------------------------------------------------- rules

@pytest.mark.parametrize("text, surface", [
    ("زار وفد روسيا أمس", "روسيا"), ("اتفاق مع وروسيا", "روسيا"), ("علاقتها بروسيا", "روسيا"),
    ("أرسلت لروسيا", "روسيا"), ("فروسيا قالت", "روسيا"), ("الجيش الروسي", "الروسي"),
    ("للروس مصالح", "للروس"), ("والروسية", "الروسية"), ("بالروسية", "الروسية"),
    ("مسؤولون روس", "روس"), ("الدبلوماسيين الروسيين", "الروسيين"), ("جنديين روسيين", "روسيين"),
    ("روسيّاً", "روسيّاً"), ("رُوسْيَا", "رُوسْيَا"), ("روســيا", "روســيا"),
])
def test_proclitics_and_forms(text, surface):
    hits = found(text)
    assert [(e, s) for e, _, s in hits] == [("RUS", surface)]


@pytest.mark.parametrize("text, entity, kind", [
    ("إيران", "IRN", "name"), ("ايران", "IRN", "name"), ("الإيرانيين", "IRN", "demonym"),
    ("سورية", "SYR", "name"), ("السوريون", "SYR", "demonym"), ("ایران", "IRN", "name"),
])
def test_spellings(text, entity, kind):
    assert found(text) == [(entity, kind, text)]


def test_token_boundaries_and_longest_match():
    assert ids("وصل رئيس بيلاروسيا") == {"BLR"}
    assert ids("وصل رئيس روسيا البيضاء") == {"BLR"}
    assert ids("زار الروسيبي") == set()
    assert ids("مدينة ياروسلافل") == set()
    assert ids("مباراة بروسيا دورتموند") == set()
    assert ids("كوريا الشمالية") == {"PRK"}
    assert ids("جنوب السودان") == {"SSD"}


def test_derived_mentions():
    hits = found("قال الحرس الثوري الإيراني")
    assert ("irgc", "name", "الحرس الثوري الإيراني") in hits and ("IRN", "derived", "الإيراني") in hits
    assert ids("الحرس الثوري") == {"irgc"}
    hits = found("أعلنت وزارة الخارجية الروسية")
    assert ("RUS", "derived", "الروسية") in hits
    hits = found("وقالت قوات سوريا الديمقراطية")
    assert ("sdf", "name", "قوات سوريا الديمقراطية") in hits and ("SYR", "derived", "سوريا") in hits
    assert ("LBN", "derived", "اللبناني") in found("مقاتلو حزب الله اللبناني")


def test_renamed_group_is_one_entity():
    assert ids("جبهة النصرة") == {"hts"} and ids("هيئة تحرير الشام") == {"hts"}


@pytest.mark.parametrize("date, person", [
    ("2018-04-14", "bashar_assad"), ("2024-12-07", "bashar_assad"), ("2024-12-20", None),
    ("2025-03-01", "ahmed_sharaa"),
])
def test_office_resolves_by_date(date, person):
    hits = found("قال الرئيس السوري في خطاب", date=date)
    assert ("SYR", "derived", "السوري") in hits
    offices = [e for e, k, _ in hits if k == "office"]
    assert offices == ([person] if person else [])


def test_offices_more():
    assert ("khamenei", "office", "المرشد الإيراني") in found("قال المرشد الإيراني")
    assert ("zarif", "office", "وزير الخارجية الإيراني") in found("قال وزير الخارجية الإيراني", date="2018-01-01")
    assert ("araghchi", "office", "وزير الخارجية الإيراني") in found("قال وزير الخارجية الإيراني", date="2025-01-01")
    assert ("medvedev", "office", "الرئيس الروسي") in found("قال الرئيس الروسي", date="2010-01-01")
    # former / elect: no person
    assert [k for _, k, _ in found("قال الرئيس الأمريكي السابق")] == ["derived"]
    # undated article: no person, the country still counts
    df = extract_mentions(pd.DataFrame({"article_id": ["x"], "text": ["قال الرئيس الروسي"]}), progress=False)
    assert df["mention_kind"].tolist() == ["derived"]


@pytest.mark.parametrize("text, date, person", [
    ("وقال المتحدث باسم التحالف إن الصاروخ اعترض", "2018-05-01", "turki_almaliki"),
    ("وقال المتحدث الرسمي باسم قوات تحالف دعم الشرعية إن", "2018-05-01", "turki_almaliki"),
    ("وقال المتحدث باسم التحالف إن الصاروخ اعترض", "2016-01-10", "ahmed_asiri"),
    # the US-led coalition's spokesman: its longer title wins, and it lists no holder
    ("وقال المتحدث باسم التحالف الدولي إن الغارات مستمرة", "2018-05-01", None),
    ("وقال المتحدث باسم التحالف الذي تقوده الولايات المتحدة إن", "2018-05-01", None),
])
def test_coalition_spokesman_office(text, date, person):
    offices = [e for e, k, _ in found(text, date=date) if k == "office"]
    assert offices == ([person] if person else [])


def test_assad_policy():
    assert "bashar_assad" in ids("قصف نظام الأسد المدينة")  # a cue word before the name
    # a bare الأسد counts when the article itself is about Syria (any Syrian entity)
    assert "bashar_assad" in ids("وقال الأسد إن الحرب في سوريا مستمرة")
    assert "bashar_assad" in ids("ظهر الأسد في دمشق")  # article cue: Damascus
    # ... and not otherwise, whatever the category says (no category is needed)
    assert "bashar_assad" not in ids("وقال الأسد إن الحرب مستمرة")
    assert "bashar_assad" not in ids("ظهر الأسد في الحديقة", category="middleEast")
    assert "bashar_assad" not in ids("حصل على حصة الأسد من السوق")
    assert ids("حافظ الأسد") == {"hafez_assad"}
    assert ids("قال بشار الجعفري") == {"bashar_jaafari"}
    assert found("قال بشار الأسد") == [("bashar_assad", "name", "بشار الأسد")]


def test_other_ambiguous_names():
    assert ids("تلقى دعما ماليا ودعم مالي كبير") == set()
    assert ids("هجوم في شمال مالي") == {"MLI"}
    assert ids("زار سلطنة عمان") == {"OMN"}
    assert ids("في العاصمة الأردنية عمان") == {"amman", "JOR"}
    assert ids("السعودية وعمان والكويت") == {"SAU", "OMN", "KWT"}
    assert ids("بعد صلاة المغرب") == set()
    assert ids("دول المغرب العربي") == set()
    assert ids("فاز المغرب على إيران") == {"MAR", "IRN"}
    assert ids("قتل جندي تركي") == {"TUR"}
    assert ids("قال تركي آل الشيخ") == {"turki_alsheikh"}
    assert ids("قال تركي الفيصل") == {"turki_alfaisal"}
    assert ids("لعب بحماس كبير", category="sport") == set()
    assert ids("قالت حماس في غزة") == {"hamas", "gaza"}


def test_user_gazetteer_keyword(tmp_path):
    user = tmp_path / "g.yaml"
    user.write_text("persons:\n  zoltan: {en: Zoltan Fictive, country: RUS, names: [زولتانوفسكي]}\n", encoding="utf-8")
    assert ids("قال زولتانوفسكي", gazetteer=user) == {"zoltan"}
    assert ids("قال زولتانوفسكي") == set()
    assert ids("قال زولتانوفسكي", gazetteer={"persons": {"x": {"country": "RUS", "names": ["زولتانوفسكي"]}}}) == {"x"}
    assert ids("قال زولتانوفسكي", gazetteer=load_gazetteer(extra=user)) == {"zoltan"}


def test_offsets_with_deleted_and_astral_characters():
    text = "😀 قال الرئيسُ الروسيّ \u200fفلاديمير بوتين: إن روســيا 🇷🇺 وسُوريا\n\nفقرة ثانية. ﻻ شك أن إيران هنا"
    a = arts(text)
    df = extract_mentions(a, progress=False)
    check_surfaces(df, a)
    assert df["entity_id"].tolist() == ["RUS", "putin", "RUS", "SYR", "IRN"]
    assert df["paragraph"].tolist() == [0, 0, 0, 0, 1]
    assert df["sentence"].tolist() == [0, 0, 0, 0, 1]


def test_title_and_text_fields_and_order():
    a = pd.DataFrame({"article_id": ["z", "y"], "title": ["إيران وروسيا", ""],
                      "text": ["سوريا.\nوتركيا. وإيران", "لبنان"]})
    df = extract_mentions(a, progress=False)
    assert df[["article_id", "field", "paragraph", "sentence", "entity_id"]].values.tolist() == [
        ["z", "title", 0, 0, "IRN"], ["z", "title", 0, 0, "RUS"], ["z", "text", 0, 0, "SYR"],
        ["z", "text", 1, 0, "TUR"], ["z", "text", 1, 1, "IRN"], ["y", "text", 0, 0, "LBN"]]


def test_empty_and_bad_input():
    empty = extract_mentions(arts()[:0], progress=False)
    assert list(empty.columns) == MENTION_COLUMNS and len(empty) == 0
    none = extract_mentions(pd.DataFrame({"article_id": ["a"], "text": [None]}), progress=False)
    assert len(none) == 0
    with pytest.raises(ValueError, match="text"):
        extract_mentions(pd.DataFrame({"article_id": ["a"]}), progress=False)
    with pytest.raises(TypeError):
        extract_mentions(["نص"], progress=False)


def test_parallel_equals_serial():
    texts = ["قال الرئيس الروسي إن روسيا وسوريا وإيران. " * 3, "حصة الأسد", "نظام الأسد في دمشق"] * 20
    a = arts(*texts)
    serial = extract_mentions(a, progress=False, n_jobs=1, chunk_size=7)
    parallel = extract_mentions(a, progress=False, n_jobs=2, chunk_size=7)
    pd.testing.assert_frame_equal(serial, parallel)
    assert len(serial) > 0


def test_cli_mentions(tmp_path, sample_dir, capsys):
    out = tmp_path / "m.csv"
    assert main(["mentions", str(sample_dir), "--out", str(out), "--quiet"]) == 0
    df = pd.read_csv(out)
    assert list(df.columns) == MENTION_COLUMNS and len(df) > 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("persons: [", encoding="utf-8")
    assert main(["mentions", str(sample_dir), "--out", str(out), "--quiet", "--gazetteer", str(bad)]) == 2
    assert "bad.yaml" in capsys.readouterr().err


@pytest.mark.realdata
def test_real_corpus_sample(ant_corpus):
    rows = []
    with gzip.open(ant_corpus, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i % 8 == 0:
                d = json.loads(line)
                rows.append({"article_id": d["docno"], "title": d.get("title") or "", "text": d.get("text") or "",
                             "published": d.get("time"), "category": d.get("cat")})
    a = pd.DataFrame(rows)
    a["published"] = pd.to_datetime(a["published"], utc=True, format="mixed", errors="coerce")
    df = extract_mentions(a, progress=False)
    check_surfaces(df, a)
    assert {"RUS", "SYR", "IRN", "putin", "bashar_assad"} <= set(df["entity_id"])
    assert (df["start"] < df["end"]).all()
    # sentence ids agree with split_sentences
    texts = dict(zip(a["article_id"], a["text"]))
    sample = df[df["field"] == "text"].drop_duplicates("article_id").head(300)
    for r in sample.itertuples():
        spans = split_sentences(texts[r.article_id])
        row = spans[(spans.paragraph == r.paragraph) & (spans.sentence == r.sentence)]
        assert len(row) == 1 and row.start.iloc[0] <= r.start and r.end <= row.end.iloc[0]
    # deterministic
    again = extract_mentions(a, progress=False)
    pd.testing.assert_frame_equal(df, again)


def test_disk_cache_is_signed_and_gives_the_same_matcher(tmp_path, monkeypatch):
    import analysis.entities.matcher as M

    monkeypatch.setenv("ANALYSIS_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(M, "_MEMO", {})
    gaz = load_gazetteer()
    fresh = M.Matcher(gaz)
    M.compile_matcher(gaz)  # compiles and writes
    npz = list(tmp_path.glob("matcher-*.npz"))
    assert len(npz) == 1 and npz[0].with_name(npz[0].name + ".sig").is_file()
    assert (tmp_path / "key").stat().st_mode & 0o077 == 0  # the signing key is private
    M._MEMO.clear()
    again = M.compile_matcher(gaz)  # reads
    assert again.n_patterns == fresh.n_patterns
    text = "قال الرئيس الروسي إن روسيا البيضاء وسوريا وإيران والحرس الثوري الإيراني"
    d = np.array([np.datetime64("2018-05-01")])
    m1, m2 = fresh.run_chunk(["", text], d, 0), again.run_chunk(["", text], d, 0)
    assert m1["surface"] == m2["surface"] and m1["ent"].tolist() == m2["ent"].tolist()
    # a changed file is never read: its signature fails, the matcher is rebuilt
    ac = npz[0].with_suffix(".ac")
    ac.write_bytes(ac.read_bytes()[:-10] + b"0123456789")
    M._MEMO.clear()
    calls = []
    monkeypatch.setattr(M, "loads_automaton", lambda blob: calls.append(1))
    rebuilt = M.compile_matcher(gaz)
    assert calls == [] and rebuilt.n_patterns == fresh.n_patterns
    # the automaton pickle may hold nothing but an Automaton
    import pickle

    from analysis.entities.cache import loads_automaton

    with pytest.raises(pickle.UnpicklingError, match="refused"):
        loads_automaton(pickle.dumps(pd.DataFrame({"a": [1]})))


def test_threads_give_the_serial_result():
    from concurrent.futures import ThreadPoolExecutor

    texts = (["قال الرئيس الروسي إن روسيا وسوريا وإيران. ", "حصة الأسد", "نظام الأسد في دمشق",
              "وقال الأسد إن الحرب في سوريا", "وقال كيري إن جون كيري وصل", "مركز الملك سلمان للإغاثة",
              "نائب الرئيس الأمريكي مايك بنس", "اللواء منصور التركي"] * 40)
    a = arts(*texts)
    serial = extract_mentions(a, progress=False, n_jobs=1)
    parts = [a.iloc[i:i + 16].reset_index(drop=True) for i in range(0, len(a), 16)]
    for _ in range(3):
        with ThreadPoolExecutor(4) as pool:
            got = list(pool.map(lambda p: extract_mentions(p, progress=False), parts))
        pd.testing.assert_frame_equal(pd.concat(got, ignore_index=True), serial)
    assert len(serial) > 0 and serial["entity_id"].nunique() > 5


def test_matcher_pickled_or_rebuilt_in_a_child_process():
    import multiprocessing as mp
    import pickle

    from analysis.entities.matcher import compile_matcher

    gaz = load_gazetteer()
    matcher = compile_matcher(gaz)
    fields = ["نظام الأسد", "قال الرئيس الروسي إن روسيا البيضاء وسوريا", "", "وقال كيري إن جون كيري وصل"]
    dates = np.array([np.datetime64("2018-05-01"), np.datetime64("2015-01-01")])
    want = matcher.run_chunk(fields, dates, 0)
    clone = pickle.loads(pickle.dumps(matcher))
    got = clone.run_chunk(fields, dates, 0)
    assert got["surface"] == want["surface"] and got["ent"].tolist() == want["ent"].tolist()
    for method in ("spawn", "fork"):
        with mp.get_context(method).Pool(1) as pool:
            child = pool.apply(_child_run, (fields, dates))
        assert child["surface"] == want["surface"] and child["ent"].tolist() == want["ent"].tolist()


def _child_run(fields, dates):
    """Rebuilds the gazetteer and the matcher in a fresh process."""
    from analysis.entities.gazetteer import load_gazetteer
    from analysis.entities.matcher import compile_matcher

    return compile_matcher(load_gazetteer()).run_chunk(fields, dates, 0)


def test_forked_workers_die_with_their_parent(tmp_path):
    """A parent killed mid-run leaves no worker behind (PR_SET_PDEATHSIG)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    if not sys.platform.startswith("linux"):
        pytest.skip("Linux only")
    script = tmp_path / "run.py"
    pids = tmp_path / "pids"
    script.write_text(
        "import os, sys, time\n"
        "from analysis.entities.mentions import fork_map\n"
        f"out = open({str(pids)!r}, 'a')\n"
        "def slow(i):\n"
        "    out.write(str(os.getpid()) + '\\n'); out.flush(); time.sleep(60); return i\n"
        "fork_map(slow, list(range(4)), 2)\n", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    proc = subprocess.Popen([sys.executable, str(script)], env=env)
    for _ in range(200):
        if pids.exists() and len(pids.read_text().split()) >= 2:
            break
        time.sleep(0.05)
    children = [int(p) for p in pids.read_text().split()]
    assert len(children) == 2
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 10
    alive = children
    while alive and time.time() < deadline:
        time.sleep(0.05)
        alive = [p for p in alive if _alive(p)]
    assert alive == []


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie waiting for init is dead
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_worker_failure_is_reported():
    from analysis.entities.mentions import fork_map

    def boom(i):
        if i == 2:
            raise ValueError("bad chunk")
        return i

    assert fork_map(lambda i: i * 2, list(range(5)), 2) == [0, 2, 4, 6, 8]
    with pytest.raises(RuntimeError, match="bad chunk"):
        fork_map(boom, list(range(5)), 2)


def _match_form_reference(chunk):
    """Character by character: normalize, then every non-letter -> one space."""
    from analysis.entities.gazetteer import is_letter
    from analysis.text.normalize import translation_table

    table = translation_table()
    out, offs = [], []
    for i, ch in enumerate(chunk):
        o = " " if ord(ch) > 0xFFFF else table.get(ord(ch), ch)
        if not o:
            continue
        folded = [c if is_letter(c) else " " for c in o]
        if all(c == " " for c in folded):
            folded = [" "]
        out += folded
        offs += [i] * len(folded)
    return "".join(out), offs + [len(chunk)]


@pytest.mark.parametrize("chunk", [
    "\nروسيا وسوريا\n", "\nرُوسْيَا ـ 😀 ﻻ ﷲ ﷺ إيران\u200f 🇷🇺x\n", "\nabc 3.5 ½ … ﷼ سورية\n", "\n\n",
])
def test_match_form_equals_reference(chunk):
    from analysis.entities.matcher import match_form

    m, offs = match_form(chunk)
    ref, ref_offs = _match_form_reference(chunk)
    assert m == ref
    assert (list(range(len(chunk) + 1)) if offs is None else offs.tolist()) == ref_offs


@pytest.mark.realdata
def test_match_form_on_real_corpus(ant_corpus):
    from analysis.entities.matcher import match_form

    texts = []
    with gzip.open(ant_corpus, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i % 40 == 0:
                d = json.loads(line)
                texts += [d.get("title") or "", d.get("text") or ""]
    for k in range(0, len(texts), 100):
        chunk = "\n" + "\n".join(texts[k:k + 100]) + "\n"
        m, offs = match_form(chunk)
        ref, ref_offs = _match_form_reference(chunk)
        assert m == ref
        assert (list(range(len(chunk) + 1)) if offs is None else offs.tolist()) == ref_offs


def test_mentions_of_an_article_do_not_depend_on_its_neighbours():
    # a title at the very end of an article, then an article that opens with a name: the title
    # still resolves to its holder (the next field's name is not read as the title's holder),
    # whatever the order and company of the articles
    first = "وبحث الرئيس الأمريكي الوضع في اتصال هاتفي مع الأمير محمد بن سلمان، ولي العهد السعودي."
    second = "دونالد ترامب يستقبل ماكرون في البيت الأبيض"
    arts = pd.DataFrame({"article_id": ["a", "b"], "title": ["", second], "text": [first, "نص قصير."],
                         "published": pd.Timestamp("2018-08-14", tz="UTC")})

    def of_a(df):
        m = extract_mentions(df, progress=False)
        return m[m["article_id"] == "a"].reset_index(drop=True)

    alone, together, reversed_ = of_a(arts.iloc[:1]), of_a(arts), of_a(arts.iloc[::-1])
    assert ((alone["entity_id"] == "mohammed_bin_salman") & (alone["mention_kind"] == "office")).sum() == 1
    pd.testing.assert_frame_equal(alone, together)
    pd.testing.assert_frame_equal(alone, reversed_)
