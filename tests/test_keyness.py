"""Keyness (G², log ratio) and keyword in context (analysis.measures.keywords)."""
from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest

from analysis.measures.keywords import _keyness_blanking, _kwic_reference, keyness, kwic
from analysis.text.stopwords import stopwords
from analysis.text.tokenize import tokenize

MCOLS = ["article_id", "field", "paragraph", "sentence", "entity_id", "entity_type", "country", "start", "end",
         "surface"]


def _mention(aid, field, text, word, entity, etype="country", country=None, para=1, sent=0, occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(word, start + 1)
    return (aid, field, para, sent, entity, etype, country or entity, start, start + len(word), word)


def _corpus():
    texts = {
        "t1": "روسيا صاروخ صاروخ قمح في",
        "t2": "صاروخ مطر وروسيا",
        "r1": "قمح قمح مطر",
        "r2": "مطر مطر قمح في",
    }
    arts = pd.DataFrame({"article_id": list(texts), "title": "", "text": list(texts.values()),
                         "published": pd.to_datetime(["2018-03-01"] * 4, utc=True), "outlet": "x"})
    m = pd.DataFrame([_mention("t1", "text", texts["t1"], "روسيا", "RUS"),
                      _mention("t2", "text", texts["t2"], "روسيا", "RUS")], columns=MCOLS)
    return arts, m


def test_stopwords_come_from_stopwordsiso():
    import stopwordsiso

    sw = stopwords()
    assert "في" in stopwordsiso.stopwords("ar") and "في" in sw
    assert "علي" in sw  # على, normalized like the text (alef maksura -> yeh)
    assert tokenize("ذهب إلى المدرسة في الصباح 2018", sw) == ["ذهب", "المدرسه", "الصباح"]


def test_keyness_by_hand():
    arts, m = _corpus()
    k = keyness(arts, m, "RUS", min_count=1)
    assert list(k.columns) == ["term", "surface", "n_target", "n_reference", "per_10k_target",
                               "per_10k_reference", "g2", "log_ratio", "p_value", "p_adjusted"]
    assert set(k.term) == {"صاروخ", "قمح", "مطر"}  # names and stopwords gone
    assert k.attrs["tokens_target"] == 5 and k.attrs["tokens_reference"] == 6
    assert k.attrs["stopwords"] == "stopwordsiso ar"
    r = k.set_index("term")
    # صاروخ: 3 of 5 target tokens, 0 of 6 reference tokens; E1 = 5 * 3 / 11
    assert r.loc["صاروخ", "g2"] == pytest.approx(2 * 3 * math.log(3 / (15 / 11)))
    assert r.loc["صاروخ", "log_ratio"] == pytest.approx(math.log2((3 / 5) / (0.5 / 6)))
    # قمح: 1 of 5 vs 3 of 6 -> under-used in the target: negative G²
    e1, e2 = 5 * 4 / 11, 6 * 4 / 11
    assert r.loc["قمح", "g2"] == pytest.approx(-2 * (1 * math.log(1 / e1) + 3 * math.log(3 / e2)))
    assert r.loc["قمح", "log_ratio"] == pytest.approx(math.log2((1 / 5) / (3 / 6)))
    assert k.term.iloc[0] == "صاروخ" and k.g2.is_monotonic_decreasing
    assert r.loc["صاروخ", "per_10k_target"] == pytest.approx(1e4 * 3 / 5)
    from scipy import stats

    assert r.loc["قمح", "p_value"] == pytest.approx(stats.chi2.sf(abs(r.loc["قمح", "g2"]), 1))


def test_keyness_names_optional_and_clitics():
    arts, m = _corpus()
    k = keyness(arts, m, "RUS", min_count=1, exclude_names=False, stopwords=[])
    assert {"روسيا", "وروسيا", "في"} <= set(k.term)
    # the clitic form is blanked as a whole token when names are excluded
    k2 = keyness(arts, m, "RUS", min_count=1)
    assert "وروسيا" not in set(k2.term) and "روسيا" in k2.attrs["names_excluded"]
    assert keyness(arts, m, "RUS", min_count=1, n=1).term.tolist() == ["صاروخ"]
    with pytest.raises(ValueError, match="no article mentions"):
        keyness(arts, m, "IRN")


KW_TEXT = "روسيا وإيران تدعمان سوريا. قال ترامب شيئا.\nفي موسكو اجتمع بوتين مع روحاني. وسوريا بعيدة."


def _kwic_tables():
    arts = pd.DataFrame({"article_id": ["k1"], "title": ["عنوان"], "text": [KW_TEXT],
                         "published": pd.to_datetime(["2018-05-01"], utc=True), "outlet": ["bbc"]})
    m = pd.DataFrame(
        [
            _mention("k1", "text", KW_TEXT, "روسيا", "RUS", para=1, sent=0),
            _mention("k1", "text", KW_TEXT, "إيران", "IRN", para=1, sent=0),
            _mention("k1", "text", KW_TEXT, "سوريا", "SYR", para=1, sent=0),
            _mention("k1", "text", KW_TEXT, "موسكو", "moscow", "place", "RUS", para=2, sent=0),
            _mention("k1", "text", KW_TEXT, "روحاني", "rouhani", "person", "IRN", para=2, sent=0),
            _mention("k1", "text", KW_TEXT, "سوريا", "SYR", para=2, sent=1, occurrence=1),
        ],
        columns=MCOLS,
    )
    return arts, m


def test_kwic_sentences_offsets():
    arts, m = _kwic_tables()
    k = kwic(arts, m, "RUS", "IRN")
    assert len(k) == 1
    r = k.iloc[0]
    assert (r.article_id, r.field, r.paragraph, r.sentence) == ("k1", "text", 1, 0)
    assert r.text == "روسيا وإيران تدعمان سوريا." == KW_TEXT[r.start:r.end]
    assert r.spans_a == [(0, 5)] and KW_TEXT[slice(*r.spans_b[0])] == "إيران"
    assert r.surface_a == "روسيا" and r.outlet == "bbc"
    # resolved to countries, Moscow and Rouhani make a second RUS-IRN sentence
    kr = kwic(arts, m, "RUS", "IRN", resolve="country")
    assert kr.paragraph.tolist() == [1, 2]
    assert kr.text.iloc[1] == "في موسكو اجتمع بوتين مع روحاني."
    # paragraph level: the whole second paragraph holds RUS (Moscow) and SYR
    kp = kwic(arts, m, "RUS", "SYR", level="paragraph", resolve="country")
    assert kp.text.tolist() == ["روسيا وإيران تدعمان سوريا. قال ترامب شيئا.", KW_TEXT.split("\n")[1]]
    for row in kp.itertuples():
        for s, e in row.spans_a + row.spans_b:
            assert row.start <= s < e <= row.end
    assert kwic(arts, m, "RUS", "USA").empty
    assert len(kwic(arts, m, "SYR")) == 2  # one entity: every window with it
    with pytest.warns(FutureWarning, match="pass articles first"):  # the old order still works
        pd.testing.assert_frame_equal(kwic(m, arts, "RUS", "IRN"), k)


# ---------------------------------------------------------------------------- fast path = reference
def _same(old, new):
    pd.testing.assert_frame_equal(old, new, check_exact=True)
    assert old.attrs == new.attrs


@pytest.fixture(scope="module")
def sample_tables(sample_dir):
    pytest.importorskip("analysis.entities.mentions")
    from analysis import extract_mentions, load_corpus

    arts = load_corpus(sample_dir, progress=False)
    return arts, extract_mentions(arts, progress=False)


@pytest.mark.parametrize("target", ["RUS", "SYR", "IRN", "USA", ["RUS", "IRN"]])
def test_fast_path_equals_blanking_reference_on_sample(sample_tables, target):
    arts, m = sample_tables
    for kw in (dict(min_count=2), dict(min_count=1, resolve="country"), dict(min_count=1, exclude_names=False),
               dict(min_count=1, stopwords=[]), dict(min_count=2, fields=("text",)), dict(n=5, min_count=1)):
        _same(_keyness_blanking(arts, m, target, **kw), keyness(arts, m, target, **kw))


def test_index_built_once_and_reusable(sample_tables, monkeypatch):
    import analysis.measures.keywords as K

    arts, m = sample_tables
    monkeypatch.setattr(K, "_INDEX_CACHE", K.OrderedDict())
    built = []
    real_init = K.KeynessIndex.__init__

    def counting_init(self, *args, **kw):
        built.append(1)
        real_init(self, *args, **kw)

    monkeypatch.setattr(K.KeynessIndex, "__init__", counting_init)
    for t in ("RUS", "SYR", "IRN"):
        keyness(arts, m, t, min_count=2)
    assert len(built) == 1
    # a changed table is a new index
    arts2 = arts.assign(text=arts["text"].where(arts.index != 0, arts["text"].iloc[0] + " صاروخ"))
    k2 = keyness(arts2, m, "RUS", min_count=1)
    assert len(built) == 2 and k2.attrs["tokens_target"] + k2.attrs["tokens_reference"] == (
        keyness(arts, m, "RUS", min_count=1).attrs["tokens_target"]
        + keyness(arts, m, "RUS", min_count=1).attrs["tokens_reference"] + 1)
    # a same-length edit of one text (the cache was once keyed on lengths): a new index, new counts
    i = int(arts["text"].str.len().idxmax())
    old_text = arts.at[i, "text"]
    pos = old_text.index(next(w for w in old_text.split() if len(w) > 3))
    arts3 = arts.copy()
    arts3.at[i, "text"] = old_text[:pos] + "صاروخ"[:4] + old_text[pos + 4:]
    assert len(arts3.at[i, "text"]) == len(old_text)
    before = keyness(arts, m, "SYR", min_count=1, stopwords=[], exclude_names=False)
    after = keyness(arts3, m, "SYR", min_count=1, stopwords=[], exclude_names=False)
    assert len(built) == 3 and not before.equals(after)
    _same(after, _keyness_blanking(arts3, m, "SYR", min_count=1, stopwords=[], exclude_names=False))
    # explicit object, same result
    idx = K.KeynessIndex(arts)
    _same(idx.keyness(m, "SYR", min_count=2), keyness(arts, m, "SYR", min_count=2))
    assert idx.counts_.shape == (len(arts), len(idx.vocabulary_))
    assert list(idx.vocabulary_) == sorted(idx.vocabulary_)


def test_fast_path_where_a_name_touches_a_diacritic():
    """Blanking a name glued to a diacritic leaves a piece of the neighbouring word: recomputed exactly."""
    texts = {"t1": "قمحَروسيا صاروخ صاروخ", "t2": "روسيا\u200cالجديده صاروخ", "r1": "قمح قمح مطر", "r2": "مطر قمح"}
    arts = pd.DataFrame({"article_id": list(texts), "title": "", "text": list(texts.values())})
    m = pd.DataFrame([_mention("t1", "text", texts["t1"], "روسيا", "RUS"),
                      _mention("t2", "text", texts["t2"], "روسيا", "RUS")], columns=MCOLS)
    old, new = _keyness_blanking(arts, m, "RUS", min_count=1), keyness(arts, m, "RUS", min_count=1)
    _same(old, new)
    r = new.set_index("term")
    assert r.loc["قمح", "n_target"] == 1 and r.loc["الجديده", "n_target"] == 1  # the pieces left over
    assert new.attrs["tokens_target"] == 5


@pytest.mark.realdata
def test_fast_path_equals_reference_on_ant_subset(ant_corpus):
    from analysis import extract_mentions, load_corpus
    arts = load_corpus(ant_corpus, exclude_categories=["sport"], progress=False).iloc[:3000]
    m = extract_mentions(arts, progress=False)
    for t in ("RUS", "IRN"):
        _same(_keyness_blanking(arts, m, t, resolve="country"), keyness(arts, m, t, resolve="country"))


# ---------------------------------------------------------------------------- surface forms
def test_index_surfaces_are_the_most_frequent_original_spelling():
    from analysis.measures.keywords import KeynessIndex

    texts = ["المدرسة المدرسة المدرسه إدلب", "ادلب إدلب سُوريا مستشفى", "مستشفي مستشفى Trump trump Trump"]
    arts = pd.DataFrame({"article_id": ["a", "b", "c"], "title": "", "text": texts})
    idx = KeynessIndex(arts)
    sf = dict(zip(idx.vocabulary_, idx.surfaces_))
    assert sf["المدرسه"] == "المدرسة" and sf["ادلب"] == "إدلب" and len(idx.surfaces_) == len(idx.vocabulary_)
    assert sf["سوريا"] == "سوريا" and sf["trump"] == "Trump"  # diacritics dropped; 2 against 1


def test_keyness_table_shows_surfaces():
    texts = {
        "t1": "روسيا المدرسة المدرسة مستشفى",
        "t2": "المدرسه وروسيا مستشفى",
        "r1": "قمح قمح مطر",
        "r2": "مطر مطر قمح",
    }
    arts = pd.DataFrame({"article_id": list(texts), "title": "", "text": list(texts.values())})
    m = pd.DataFrame([_mention("t1", "text", texts["t1"], "روسيا", "RUS"),
                      _mention("t2", "text", texts["t2"], "روسيا", "RUS")], columns=MCOLS)
    k = keyness(arts, m, "RUS", min_count=1).set_index("term")
    assert k.loc["المدرسه", "surface"] == "المدرسة" and k.loc["مستشفي", "surface"] == "مستشفى"
    assert k.loc["قمح", "surface"] == "قمح"


def test_index_tokens_equal_tokenizing_the_normalized_text():
    """The index tokenizes word types of the original text; texts where that could differ go whole."""
    from analysis.measures.keywords import KeynessIndex

    texts = ["كتَبَ الولَد ﷺ درسا", "Brand™ and №5 ﷼ مئة", "ΟΔΟΣ.Β ΑΣ İstanbul", "𝐀bc 😀روسيا",
             "قمح²قمح ½ ﻻ يوجد", "ـــقمح\u200cمطر", "قمح قمح مطر", "", "² ²"]
    arts = pd.DataFrame({"article_id": [f"a{i}" for i in range(len(texts))], "title": "", "text": texts})
    idx = KeynessIndex(arts)
    for i, t in enumerate(texts):
        row = idx.counts_[i]
        got = sorted(t2 for j, c in zip(row.indices, row.data) for t2 in [idx.vocabulary_[j]] * int(c))
        assert got == sorted(tokenize(t, min_len=1)), t


# ---------------------------------------------------------------------------- kwic fast path = reference
@pytest.mark.parametrize("level", ["sentence", "paragraph"])
def test_kwic_equals_reference_on_sample(sample_tables, level):
    arts, m = sample_tables
    pairs = [("RUS", "SYR", "country"), ("RUS", "IRN", "country"), ("SYR", "IRN", "country"), ("RUS", "SYR", None),
             ("SYR", None, None), (["RUS", "IRN"], "SYR", "country"), ("RUS", "XXX", None)]
    nonempty = 0
    for a, b, resolve in pairs:
        old = _kwic_reference(arts, m, a, b, level=level, resolve=resolve)
        new = kwic(arts, m, a, b, level=level, resolve=resolve)
        pd.testing.assert_frame_equal(old, new, check_exact=True)
        nonempty += len(new) > 0
    assert nonempty >= 4
    # shuffled mentions: same table
    shuffled = m.sample(frac=1, random_state=0)
    pd.testing.assert_frame_equal(kwic(arts, shuffled, "RUS", "SYR", level=level, resolve="country"),
                                  kwic(arts, m, "RUS", "SYR", level=level, resolve="country"), check_exact=True)


def test_kwic_segments_only_the_articles_of_shared_windows(sample_tables, monkeypatch):
    import analysis.text.segment as segment

    arts, m = sample_tables
    seen = []
    real = segment.sentence_spans

    def counting(text):
        seen.append(text)
        return real(text)

    monkeypatch.setattr(segment, "sentence_spans", counting)
    k = kwic(arts, m, "RUS", "SYR", resolve="country")
    windows = {(r.article_id, r.field) for r in k.itertuples()}
    assert len(k) > 0 and len(seen) == len(windows) < len(arts)


@pytest.mark.realdata
def test_kwic_equals_reference_on_ant_subset(ant_corpus):
    from analysis import extract_mentions, load_corpus

    arts = load_corpus(ant_corpus, exclude_categories=["sport"], progress=False).iloc[:2000]
    m = extract_mentions(arts, progress=False)
    for a, b, kw in [("RUS", "SYR", dict(resolve="country")), ("RUS", "IRN", dict(level="paragraph"))]:
        pd.testing.assert_frame_equal(_kwic_reference(arts, m, a, b, **kw), kwic(arts, m, a, b, **kw),
                                      check_exact=True)


def test_keyness_same_from_threads_as_serially(sample_tables):
    """No per-call module state: four threads at once give the serial tables (cache cleared first)."""
    import analysis.measures.keywords as K

    arts, m = sample_tables
    jobs = [("RUS", {}), ("SYR", dict(resolve="country")), ("IRN", dict(stopwords=[])), ("RUS", dict(n=5))] * 2
    serial = [keyness(arts, m, t, min_count=1, **kw) for t, kw in jobs]
    with K._INDEX_LOCK:
        K._INDEX_CACHE.clear()
    with ThreadPoolExecutor(4) as pool:
        threaded = list(pool.map(lambda job: keyness(arts, m, job[0], min_count=1, **job[1]), jobs))
    for a, b in zip(serial, threaded):
        _same(a, b)
