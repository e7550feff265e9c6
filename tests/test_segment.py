"""Paragraphs and sentences: rules, offsets, and the vectorized form."""
from __future__ import annotations

import gzip
import json

import numpy as np
import pytest

from analysis.text.segment import sentence_counts, sentence_ids_in_fields, sentence_spans, split_sentences


def sents(text):
    df = split_sentences(text)
    return [(r.paragraph, r.sentence, text[r.start:r.end]) for r in df.itertuples()]


def test_columns_and_empty():
    df = split_sentences("")
    assert list(df.columns) == ["paragraph", "sentence", "start", "end"] and len(df) == 0
    assert len(split_sentences("  \n \n")) == 0


def test_terminators():
    assert sents("روسيا قوية. سوريا؟ إيران! نعم؛ لا? تم") == [
        (0, 0, "روسيا قوية."), (0, 1, "سوريا؟"), (0, 2, "إيران!"), (0, 3, "نعم؛"), (0, 4, "لا?"), (0, 5, "تم")]


def test_abbreviations_and_decimals_do_not_split():
    assert sents("نقلت أ.ف.ب. عن المسؤول أن النمو بلغ 3.5 في المئة. انتهى") == [
        (0, 0, "نقلت أ.ف.ب. عن المسؤول أن النمو بلغ 3.5 في المئة."), (0, 1, "انتهى")]
    assert sents("قال د. محمد إن الموقع skynews.com يعمل.") == [(0, 0, "قال د. محمد إن الموقع skynews.com يعمل.")]


def test_closing_quotes_stay_with_sentence():
    assert sents('قال: "انتهى الأمر." ثم غادر') == [(0, 0, 'قال: "انتهى الأمر."'), (0, 1, "ثم غادر")]
    assert sents("هل انتهى؟» قالها") == [(0, 0, "هل انتهى؟»"), (0, 1, "قالها")]


def test_paragraphs_blank_lines_and_offsets():
    text = "  العنوان الأول  \n\n   \nفقرة ثانية. جملة ثانية\r\nفقرة ثالثة"
    df = split_sentences(text)
    assert df["paragraph"].tolist() == [0, 1, 1, 2]
    assert df["sentence"].tolist() == [0, 0, 1, 0]
    assert [text[s:e] for s, e in zip(df.start, df.end)] == ["العنوان الأول", "فقرة ثانية.", "جملة ثانية", "فقرة ثالثة"]


def test_seed_page(seed_page):
    text = seed_page.read_text(encoding="utf-8")
    df = split_sentences(text)
    spans = [text[s:e] for s, e in zip(df.start, df.end)]
    assert spans[0] == "بوتين: سأتحدث مع الأسد ولم نهزم في سوريا"
    assert "قال الرئيس الروسي فلاديمير بوتين، الخميس، إنه يعتزم التحدث مع الرئيس السوري السابق بشار الأسد." in spans
    assert all(s == s.strip() and s for s in spans)


def _check_vectorized(fields):
    chunk = "\n" + "\n".join(fields) + "\n"
    units = np.frombuffer(chunk.encode("utf-16-le"), dtype=np.uint16)
    assert len(units) == len(chunk)
    lengths = np.array([len(f) for f in fields])
    fstart = np.cumsum(np.concatenate(([1], lengths[:-1] + 1)))
    pos, fo, exp = [], [], []
    for i, f in enumerate(fields):
        p, s, st, en = sentence_spans(f)
        for j in range(len(st)):
            for q in {int(st[j]), int(en[j]) - 1, int(st[j] + en[j]) // 2}:
                if not f[q].isspace():
                    pos.append(fstart[i] + q)
                    fo.append(i)
                    exp.append((p[j], s[j]))
    P, S = sentence_ids_in_fields(units, fstart, np.array(pos, dtype=np.int64), np.array(fo))
    assert list(zip(P.tolist(), S.tolist())) == [(int(a), int(b)) for a, b in exp]


def test_vectorized_equals_sentence_spans_on_edge_cases():
    _check_vectorized([
        "قال أ.ف.ب. إن 3.5 في.\n\n  \n ثانية؟ \"نعم!\" لا... هنا. د. محمد",
        "؟ بدء\n..؟ x", "", "عنوان", "نص.\n", "أ. ب", "«هل؟» نعم!! لا؛؛ ربما…", "x.\u2029y. z",
        "نص." + ")" * 12 + " بعد", "سؤال؟" + "»" * 9 + "جواب. آخر." + '"' * 10,
    ])


def _span_counts(text):
    para = sentence_spans(text)[0] if isinstance(text, str) else np.zeros(0)
    return len(np.unique(para)), len(para)


def test_sentence_counts_equal_sentence_spans():
    texts = [None, "", "  \n\t", "جملة. جملة أخرى!\n\nفقرة ثانية", "قال أ.ف.ب. إن 3.5 في.\n\n  \n ثانية؟ \"نعم!\" لا",
             "نص." + ")" * 12 + " بعد", "x.\u2029y. z\r\nw", "😀. \U0001D400.\nد. ب.", "؟!..", "a.b. c.", float("nan")]
    p, s = sentence_counts(texts)
    assert p.dtype == s.dtype == np.int64
    assert list(zip(p.tolist(), s.tolist())) == [_span_counts(t) for t in texts]
    assert list(zip(p.tolist(), s.tolist()))[:6] == [(0, 0), (0, 0), (0, 0), (2, 3), (2, 4), (1, 2)]
    # batches of a few texts each give the same
    p2, s2 = sentence_counts(texts, chunk_chars=10)
    assert p2.tolist() == p.tolist() and s2.tolist() == s.tolist()
    assert [a.tolist() for a in sentence_counts([])] == [[], []]


@pytest.mark.realdata
def test_vectorized_equals_sentence_spans_on_real_corpus(ant_corpus):
    fields = []
    with gzip.open(ant_corpus, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i % 25 == 0:
                d = json.loads(line)
                for f in (d.get("title") or "", d.get("text") or ""):
                    if all(ord(c) < 0x10000 for c in f):
                        fields.append(f)
    _check_vectorized(fields)
