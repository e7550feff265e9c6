"""The text layer: one tokenizer (analysis.text.tokenize), one stopword list (analysis.text.stopwords),
one document-term and surface-form builder (analysis.text.vectorize)."""
from __future__ import annotations

from collections import Counter
import re

import numpy as np
import pandas as pd
import pytest

from analysis.text.normalize import normalize
from analysis.text.stopwords import NEWS_STOPWORDS, stopwords
from analysis.text.tokenize import count_tokens, deleted_chars, raw_tokens, strip_marks, tokenize
from analysis.text.vectorize import doc_term_counts, surface_forms

HARD = ["كتَبَ الولَد ﷺ درسا", "Brand™ and №5 ﷼ مئة", "ΟΔΟΣ.Β ΑΣ İstanbul", "𝐀bc 😀روسيا",
        "قمح²قمح ½ ﻻ يوجد", "ـــقمح\u200cمطر", "قمح قمح مطر", "", "² ²", "اس400 و6 COVID19 foo_bar",
        "الغوطة الغوطه الغوطة", "كلمة\u06daأخرى"]


# ---------------------------------------------------------------------------- tokenize
def test_token_rules():
    text = "ذهب إلى المدرسة في 2018، اس400 foo_bar كتَب كتـب"
    assert tokenize(text, min_len=1) == ["ذهب", "الي", "المدرسه", "في", "اس", "foo", "bar", "كتب", "كتب"]
    assert tokenize(text, chars="alnum", min_len=1) == ["ذهب", "الي", "المدرسه", "في", "2018", "اس400", "foo",
                                                          "bar", "كتب", "كتب"]
    assert tokenize(text, chars="word", min_len=1)[-3:] == ["foo_bar", "كتب", "كتب"]
    assert tokenize(text, stopwords("ar")) == ["ذهب", "المدرسه", "اس", "foo", "bar", "كتب", "كتب"]
    # original spelling, marks deleted (a word with a diacritic or tatweel stays one token)
    assert raw_tokens(text) == ["ذهب", "إلى", "المدرسة", "في", "اس", "foo", "bar", "كتب", "كتب"]
    assert tokenize("Trump TRUMP", lower=False) == ["Trump", "TRUMP"] and tokenize("Trump") == ["trump"]
    assert tokenize(None) == [] and tokenize("") == [] and raw_tokens(float("nan")) == []
    with pytest.raises(ValueError, match="chars must be one of"):
        tokenize("x", chars="words")


def test_join_marks_deletes_what_normalize_deletes():
    gone = deleted_chars()
    assert "\u0640" in gone and "\u064e" in gone and "\u200c" in gone  # tatweel, fatha, ZWNJ
    assert all(normalize(c) == "" for c in gone)
    assert strip_marks("كَتَبَ\u200f") == "كتب"
    # join_marks=False: marks split words, as \w+ does
    assert raw_tokens("كَتب", chars="word", join_marks=False) == ["ك", "تب"]


def test_count_tokens_is_the_w_plus_count(sample_dir):
    from analysis import load_corpus

    arts = load_corpus(sample_dir, progress=False)
    texts = pd.concat([arts["title"], arts["text"]], ignore_index=True).fillna("").astype(str)
    assert count_tokens(texts).tolist() == texts.str.count(r"\w+").tolist()
    assert count_tokens(HARD, chars="letters", join_marks=True).tolist() == [
        len(raw_tokens(t)) for t in HARD]
    assert count_tokens([None, 3, "a b"]).tolist() == [0, 0, 2]


# ---------------------------------------------------------------------------- stopwords
def test_one_stopword_list():
    import stopwordsiso

    ar = stopwords()
    want = {t for w in stopwordsiso.stopwords("ar") for t in re.findall(r"[^\W\d_]+", normalize(w).lower())}
    assert ar == frozenset(want) and len(ar) == 431
    assert {"في", "علي", "الي"} <= ar and "على" not in ar  # normalized like the text
    assert stopwords(news=True) == ar | NEWS_STOPWORDS
    assert stopwords(extra=["المدرسة", "في ذلك"]) - ar == {"المدرسه", "ذلك"} - ar
    assert stopwords(None, extra=["إلى"]) == {"الي"} and stopwords(None) == frozenset()
    assert "the" in stopwords("en")
    with pytest.raises(ValueError, match="no list for language"):
        stopwords("xx")


def test_keyness_and_topics_use_the_one_list():
    """Both callers remove exactly stopwords(): keyness by default, the vectorizer before and after stemming."""
    from analysis.topics.vectorizer import ArabicVectorizer

    v = ArabicVectorizer(min_df=1, max_df=1.0, max_features=None).fit(["في المدرسة على الطاولة", "ذهب الي"])
    assert v.stopwords_ == stopwords()
    assert not set(v.terms_) & stopwords()


# ---------------------------------------------------------------------------- doc-term counts
def _naive(texts, chars="letters"):
    """Counts from tokenizing every normalized text: the rule doc_term_counts(exact=True) must equal."""
    return [Counter(tokenize(t, chars=chars, min_len=1)) for t in texts]


def _as_counters(dt):
    X = dt.counts.tocsr()
    return [Counter({dt.vocabulary[j]: int(c) for j, c in zip(X[i].indices, X[i].data)}) for i in range(X.shape[0])]


@pytest.mark.parametrize("chars", ["letters", "alnum"])
def test_exact_counts_equal_tokenizing_the_normalized_text(chars):
    dt = doc_term_counts(HARD, chars=chars, exact=True)
    assert _as_counters(dt) == _naive(HARD, chars)
    assert list(dt.vocabulary) == sorted(dt.vocabulary)
    assert dt.counts.dtype == np.int64 and dt.counts.shape == (len(HARD), len(dt.vocabulary))
    assert dt.document_frequency.tolist() == [sum(t in c for c in _naive(HARD, chars)) for t in dt.vocabulary]


def test_token_by_token_counts_without_exact():
    """Without exact: every original token normalized on its own (ﷺ gives its four words, ™ nothing)."""
    dt = doc_term_counts(["Brand™", "ﷺ"])
    assert _as_counters(dt) == [Counter({"brand": 1}), Counter({"صلي": 1, "الله": 1, "عليه": 1, "وسلم": 1})]
    assert _as_counters(doc_term_counts(["Brand™"], exact=True)) == [Counter({"brandtm": 1})]


def test_analyze_fixed_vocabulary_and_surfaces():
    texts = ["الغوطة الغوطه الغوطة وإدلب", "ادلب إدلب"]

    def strip_waw(norms, counts):  # one term per token, the conjunction stripped
        return [[n[1:] if n.startswith("و") and len(n) > 3 else n] for n in norms]

    dt = doc_term_counts(texts, analyze=strip_waw)
    assert dict(zip(dt.vocabulary, dt.surfaces)) == {"ادلب": "إدلب", "الغوطه": "الغوطة"}
    assert _as_counters(dt) == [Counter({"الغوطه": 3, "ادلب": 1}), Counter({"ادلب": 2})]
    fixed = doc_term_counts(texts, analyze=strip_waw, vocabulary=["ادلب", "حلب"], surfaces=False)
    assert fixed.counts.toarray().tolist() == [[1, 0], [2, 0]] and list(fixed.surfaces) == ["ادلب", "حلب"]
    with pytest.raises(ValueError, match="exact=True"):
        doc_term_counts(texts, analyze=strip_waw, exact=True)
    empty = doc_term_counts(["", None, "123"])
    assert empty.counts.shape == (3, 0)


def test_surface_forms_most_frequent_then_alphabetical():
    s = surface_forms(["المدرسة", "المدرسه", "إدلب", "ادلب", "أحمد", "احمد", "x"], [2, 1, 1, 1, 3, 3, 9],
                      ["المدرسه", "المدرسه", "ادلب", "ادلب", "احمد", "احمد", None])
    assert s.to_dict() == {"احمد": min("أحمد", "احمد"), "ادلب": min("إدلب", "ادلب"), "المدرسه": "المدرسة"}
    assert list(s.index) == sorted(s.index)
    # one spelling listed twice: counts add (2 + 2 beat 3)
    assert surface_forms(["a", "b", "a"], [2, 3, 2], ["t", "t", "t"])["t"] == "a"


@pytest.mark.realdata
def test_doc_term_counts_exact_on_ant_subset(ant_corpus):
    from analysis import load_corpus

    arts = load_corpus(ant_corpus, exclude_categories=["sport"], progress=False).iloc[:1500]
    texts = [f"{a}\n{b}" for a, b in zip(arts["title"].fillna(""), arts["text"].fillna(""))]
    assert _as_counters(doc_term_counts(texts, exact=True)) == _naive(texts)
