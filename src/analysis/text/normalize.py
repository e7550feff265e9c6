"""Arabic text normalization for matching, deduplication and topic models.

``normalize`` is equivalent to the CAMeL Tools chain

    normalize_unicode -> dediac_ar -> normalize_alef_ar
    -> normalize_alef_maksura_ar -> normalize_teh_marbuta_ar

applied character by character, plus what news text needs beyond it:
tatweel removed, Persian/Urdu letters folded to Arabic (ی ي ک ك ە ه),
bidi control and zero-width marks removed. It runs as one ``str.translate``
with a table built once from camel-tools' own character sets, which is much
faster than the chain of regular expressions (see benchmarks/).

Intended differences from camel-tools: the extras above (camel-tools keeps
tatweel, Persian letters and bidi/zero-width marks), and one of method: the
table works character by character, so a letter followed by a *combining*
hamza or madda (U+0653-U+0655), which NFKC composes (ا + ٔ -> أ -> ا), keeps
the mark here. No such sequence occurs in the ANT corpus; tests/test_normalize.py
checks equality with camel-tools on a tenth of it.

``normalize_with_offsets`` also returns, for every normalized character, the
index of the original character that produced it, so a match found in the
normalized text can be shown in the original.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np

__all__ = ["normalize", "normalize_with_offsets", "translation_table"]

# Characters deleted beyond camel-tools' diacritics: tatweel, bidi controls,
# zero-width marks, the byte-order mark and soft hyphen.
_EXTRA_DELETE = (
    "\u0640"  # tatweel
    "\u200b\u200c\u200d\u200e\u200f"  # zero width space/non-joiner/joiner, LRM, RLM
    "\u202a\u202b\u202c\u202d\u202e"  # bidi embeddings and overrides
    "\u2066\u2067\u2068\u2069"  # bidi isolates
    "\u061c"  # arabic letter mark
    "\ufeff"  # BOM / zero width no-break space
    "\u00ad"  # soft hyphen
)
# Letter folds: camel-tools' alef, alef maksura and teh marbuta rules, and
# Persian/Urdu letters that appear in Arabic news copied from Persian sources.
_EXTRA_MAP = {
    "\u0625": "\u0627",  # alef with hamza below
    "\u0623": "\u0627",  # alef with hamza above
    "\u0671": "\u0627",  # alef wasla
    "\u0622": "\u0627",  # alef with madda
    "\u0649": "\u064a",  # alef maksura -> yeh
    "\u0629": "\u0647",  # teh marbuta -> heh
    "\u06cc": "\u064a",  # farsi yeh
    "\u06d0": "\u064a",  # yeh with small v (pashto/uighur e)
    "\u06a9": "\u0643",  # keheh -> kaf
    "\u06aa": "\u0643",  # swash kaf
    "\u06d5": "\u0647",  # ae -> heh
    "\u06c0": "\u0647",  # heh with yeh above
    "\u06c1": "\u0647",  # heh goal
}


# camel_tools.utils.charsets.AR_DIAC_CHARSET, written out: importing camel-tools
# costs half a second (it loads the emoji tables). tests/test_normalize.py
# checks that the two stay equal.
AR_DIACRITICS = "".join(chr(c) for c in range(0x064B, 0x0653)) + "\u0670"


def _diacritics() -> str:
    return AR_DIACRITICS


def _fold_char(ch: str, deleted: frozenset[str]) -> str:
    """Normalized form of one character (may be empty or several chars)."""
    if ch in deleted:
        return ""
    if ch in "\ufdfc":  # camel-tools' own fix for the rial sign
        out = "ريال"
    elif ch == "\ufdfd":
        out = "بسم الله الرحمن الرحيم"
    else:
        out = unicodedata.normalize("NFKC", ch)
    return "".join("" if c in deleted else _EXTRA_MAP.get(c, c) for c in out)


@lru_cache(maxsize=1)
def translation_table() -> dict[int, str | None]:
    """The ``str.translate`` table (BMP code points whose form changes)."""
    deleted = frozenset(_diacritics() + _EXTRA_DELETE)
    special = deleted | set(_EXTRA_MAP) | {"\ufdfc", "\ufdfd"}
    decomposition = unicodedata.decomposition
    table: dict[int, str | None] = {}
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        # a character without a decomposition mapping is its own NFKC form
        if not decomposition(ch) and ch not in special:
            continue
        out = _fold_char(ch, deleted)
        if out != ch:
            table[code] = out if out else None
    return table


@lru_cache(maxsize=1)
def _length_table() -> np.ndarray:
    """Output length of every BMP code point under the table (1 if unchanged)."""
    lengths = np.ones(0x110000, dtype=np.int64)
    for code, out in translation_table().items():
        lengths[code] = 0 if out is None else len(out)
    return lengths


@lru_cache(maxsize=1)
def _changing_re() -> re.Pattern:
    """Matches any character whose normalized length is not 1."""
    chars = [
        chr(code)
        for code, out in translation_table().items()
        if out is None or len(out) != 1
    ]
    return re.compile("[" + re.escape("".join(chars)) + "]")


# Characters common in news text, folded with ``str.replace`` (memchr-fast);
# a text holding any other changing character goes through ``str.translate``.
_COMMON = (
    "\u0622\u0623\u0625\u0671\u0629\u0649\u0640"
    "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"
    "\u06a9\u06cc\u00a0\u00ad\ufeff\u061c"
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2066\u2067\u2068\u2069"
)


@lru_cache(maxsize=1)
def _fast_plan() -> tuple[tuple[tuple[str, str], ...], re.Pattern]:
    table = translation_table()
    pairs = tuple((c, table[ord(c)] or "") for c in _COMMON)
    rare = "".join(chr(k) for k in table if chr(k) not in _COMMON)
    return pairs, re.compile("[" + re.escape(rare) + "]")


def normalize(text: str) -> str:
    """Normalize Arabic text for matching (see module docstring).

    Same result as ``text.translate(translation_table())``, about six times
    faster on news text (benchmarks/bench_normalize.py).
    """
    if not text or text.isascii():
        return text or ""
    pairs, rare_re = _fast_plan()
    if rare_re.search(text):
        return text.translate(translation_table())
    for old, new in pairs:
        if old in text:
            text = text.replace(old, new)
    return text


def normalize_with_offsets(text: str) -> tuple[str, np.ndarray]:
    """Normalize ``text`` and map each normalized character back.

    Returns ``(norm, offsets)`` with ``len(offsets) == len(norm) + 1``:
    ``offsets[i]`` is the index in ``text`` of the character that produced
    ``norm[i]`` and ``offsets[-1] == len(text)``. A span ``norm[s:e]`` shows
    in the original as ``text[offsets[s]:offsets[e - 1] + 1]`` (or, when the
    characters after the span are not deleted ones, ``text[offsets[s]:offsets[e]]``).
    """
    norm = normalize(text)
    n = len(text)
    if len(norm) == n and not _changing_re().search(text):
        return norm, np.arange(n + 1, dtype=np.int64)
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    lengths = _length_table()[codes]
    offsets = np.repeat(np.arange(n, dtype=np.int64), lengths)
    offsets = np.append(offsets, n)
    assert len(offsets) == len(norm) + 1
    return norm, offsets
