"""Normalization: camel-tools equivalence (small cases and the real corpus),
the extras (tatweel, Persian letters, bidi marks) and the offsets map."""
from __future__ import annotations

import gzip
import json
import re

import numpy as np
import pytest

from analysis.text.normalize import AR_DIACRITICS, normalize, normalize_with_offsets

EXTRA_DELETE = "\u0640\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\ufeff\u00ad"
EXTRA_MAP = str.maketrans({"\u06cc": "\u064a", "\u06d0": "\u064a", "\u06a9": "\u0643", "\u06aa": "\u0643",
                           "\u06d5": "\u0647", "\u06c0": "\u0647", "\u06c1": "\u0647"})


def camel_reference(text: str) -> str:
    """The camel-tools chain plus the documented extras."""
    from camel_tools.utils.dediac import dediac_ar
    from camel_tools.utils.normalize import (normalize_alef_ar, normalize_alef_maksura_ar,
                                             normalize_teh_marbuta_ar, normalize_unicode)

    out = normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(dediac_ar(normalize_unicode(text)))))
    out = out.translate(EXTRA_MAP)
    # the extras are applied after camel-tools: extra deletions, then alef/diacritics again
    # (a deleted mark may sit between a letter and its diacritic)
    out = out.translate({ord(c): None for c in EXTRA_DELETE})
    return out


def test_diacritics_are_camel_tools_set():
    from camel_tools.utils.charsets import AR_DIAC_CHARSET

    assert set(AR_DIACRITICS) == set(AR_DIAC_CHARSET)


@pytest.mark.parametrize("raw, expected", [
    ("إيران", "ايران"), ("أمريكا", "امريكا"), ("آسيا", "اسيا"), ("ٱلله", "الله"),
    ("مصطفى", "مصطفي"), ("سورية", "سوريه"), ("رُوسْيَا", "روسيا"), ("تحدياً", "تحديا"),
    ("روســيا", "روسيا"),  # tatweel
    ("ایران", "ايران"), ("کابل", "كابل"),  # Persian yeh, keheh
    ("روسيا\u200f", "روسيا"), ("\u202bسوريا\u202c", "سوريا"), ("ب\u200cوتين", "بوتين"),
    ("\ufefb", "لا"),  # lam-alef ligature (NFKC)
    ("ﺭﻭﺳﻴﺎ", "روسيا"),  # presentation forms
    ("abc 3.5", "abc 3.5"), ("", ""),
])
def test_small_cases(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize("raw", ["إيرانُ ﻻ ﷲ ﷼", "قال: «روسيا» – 2018…", "مصطفى ﺭﻭﺳﻴﺎ ٱلله", "آ أ إ ى ة ً ٌ ٍ َ ُ ِ ّ ْ ٰ"])
def test_matches_camel_tools_on_small_strings(raw):
    assert normalize(raw) == camel_reference(raw)


def test_offsets_map_contract():
    text = "قالَ الرئيسُ الروسيّ ــ فلاديمير بوتين\u200f: ﻻ 😀 سُوريا"
    norm, offs = normalize_with_offsets(text)
    assert norm == normalize(text)
    assert len(offs) == len(norm) + 1 and offs[-1] == len(text)
    assert np.all(np.diff(offs) >= 0)
    for i, ch in enumerate(norm):  # each normalized char comes from the char it maps to
        assert normalize(text[offs[i]]) and ch in normalize(text[offs[i]])
    for word in ("الروسي", "بوتين", "سوريا", "لا"):
        for m in re.finditer(word, norm):
            surface = text[offs[m.start()]:offs[m.end()]]
            assert normalize(surface) == word


def test_identity_offsets_when_nothing_changes():
    norm, offs = normalize_with_offsets("روسيا وسوريا")
    assert norm == "روسيا وسوريا" and offs.tolist() == list(range(13))


@pytest.fixture(scope="session")
def ant_sample(ant_corpus):
    texts = []
    with gzip.open(ant_corpus, "rt", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i % 10 == 0:  # every tenth article: ~3,150 articles
                d = json.loads(line)
                texts += [d.get("title") or "", d.get("text") or ""]
    return texts


@pytest.mark.realdata
def test_equals_camel_tools_on_real_corpus(ant_sample):
    diff = [t for t in ant_sample if normalize(t) != camel_reference(t)]
    assert not diff, f"{len(diff)} texts differ from camel-tools, e.g. {diff[0][:200]!r}"


@pytest.mark.realdata
def test_offsets_on_real_corpus(ant_sample):
    word = re.compile(r"[\u0621-\u064a]{4,}")
    for text in ant_sample[:2000]:
        norm, offs = normalize_with_offsets(text)
        assert len(offs) == len(norm) + 1 and offs[-1] == len(text)
        for m in list(word.finditer(norm))[:50]:
            assert normalize(text[offs[m.start()]:offs[m.end()]]) == m.group()
