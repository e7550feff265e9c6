"""Duplicates: content keys equal after normalization, copies dropped per outlet, wire groups.

:func:`content_keys` gives a key per article, equal for two articles iff
they are the same text after normalization; :func:`drop_duplicates_per_outlet`
keeps the first of each (outlet, key); :func:`dup_groups` names, for each
kept article, the first copy of its story (``dup_group``).
"""
from __future__ import annotations

import hashlib
from functools import lru_cache

import numpy as np

__all__ = ["content_key", "content_keys", "content_digests", "drop_duplicates_per_outlet", "dup_groups",
           "normalized_key", "SHORT_TEXT"]

_SIG_HEAD = 192  # raw characters looked at at the start of a text
_SIG_TAIL = 96  # ... and at its end
_SIG_LEN = 48  # normalized non-space characters kept from each end
SHORT_TEXT = 120  # texts with fewer normalized non-space characters also compare titles
_FLAG = 0xFFFF  # in the signature table: "normalizes to several characters"


@lru_cache(maxsize=1)
def _sig_table() -> np.ndarray:
    """UTF-16 code unit -> normalized character for the signature: 0 for
    characters normalization deletes and for whitespace, ``_FLAG`` for
    characters that normalize to several characters and for surrogates
    (texts holding them are normalized in full)."""
    from analysis.text.normalize import translation_table

    lut = np.arange(0x10000, dtype=np.uint32)
    for code, out in translation_table().items():
        if not out:
            lut[code] = 0
        elif len(out) == 1:
            lut[code] = ord(out)
        else:
            lut[code] = _FLAG
    lut[0xD800:0xE000] = _FLAG
    lut[lut > 0xFFFF] = _FLAG
    space = np.array([c for c in range(0x10000) if chr(c).isspace()], dtype=np.int64)
    lut[np.isin(lut, space)] = 0
    return lut.astype(np.uint16)


def _signatures(windows: list[str], width: int, length: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First ``length`` normalized non-space characters of each window (at
    most ``width`` characters), as rows of a uint16 matrix; whether each row
    is complete and exact; and the number of normalized non-space
    characters in each window."""
    n = len(windows)
    lut = _sig_table()
    padded = "".join([w.ljust(width, "\x00") for w in windows])
    units = np.frombuffer(padded.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    if units.size != n * width:  # characters beyond the BMP: flag them
        wide = np.frombuffer(padded.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        units = np.where(wide > 0xFFFF, _FLAG, wide).astype(np.uint16)
    mapped = lut[units].reshape(n, width)
    flagged = (mapped == _FLAG).any(axis=1)
    keep = mapped != 0
    pos = np.cumsum(keep, axis=1, dtype=np.int16)
    counts = pos[:, -1].astype(np.int64)
    sel = keep & (pos <= length)
    rows, cols = np.nonzero(sel)
    mat = np.zeros((n, length), dtype=np.uint16)
    mat[rows, pos[rows, cols] - 1] = mapped[rows, cols]
    return mat, (counts >= length) & ~flagged, counts


def _shared_rows(mat: np.ndarray) -> np.ndarray:
    """Whether each row of ``mat`` occurs more than once."""
    mat = np.ascontiguousarray(mat)
    rows = mat.view(np.dtype((np.void, mat.dtype.itemsize * mat.shape[1]))).ravel()
    _, inverse, counts = np.unique(rows, return_inverse=True, return_counts=True)
    return counts[inverse.ravel()] > 1


def _sig_of_key(key: str, length: int, from_end: bool) -> np.ndarray:
    """The signature of a fully normalized text: its first (or last)
    ``length`` non-space characters, as :func:`_signatures` makes them."""
    chars = key.replace(" ", "")
    chars = chars[::-1][:length] if from_end else chars[:length]
    out = np.zeros(length, dtype=np.uint16)
    out[: len(chars)] = [min(ord(c), _FLAG) for c in chars]
    return out


def normalized_key(text: str | None) -> str:
    """``text`` normalized (:func:`analysis.text.normalize.normalize`), whitespace collapsed to
    single spaces: what duplicates are compared on."""
    from analysis.text.normalize import normalize

    return " ".join(normalize(text or "").split())


def _is_short(key: str) -> bool:
    return len(key) - key.count(" ") < SHORT_TEXT


def content_key(title: str | None, text: str) -> str | tuple[str, str]:
    """The content key of one article, comparable across loads: :func:`normalized_key` of the
    text; for a short text (fewer than :data:`SHORT_TEXT` normalized non-space characters) the
    pair (normalized title, normalized text). Two articles are duplicates for
    :func:`content_keys` iff their ``content_key`` values are equal."""
    key = normalized_key(text)
    return (normalized_key(title), key) if _is_short(key) else key


def content_digests(titles, texts) -> tuple[np.ndarray, np.ndarray]:
    """:func:`content_key` of each article as a 128-bit BLAKE2b digest in two uint64 halves (equal
    iff the keys are equal, barring a collision): keys that can be shuffled and compared in bulk."""
    n = len(texts)
    h1 = np.empty(n, dtype=np.uint64)
    h2 = np.empty(n, dtype=np.uint64)
    for i, (title, text) in enumerate(zip(titles, texts)):
        key = content_key(title, text)
        h = hashlib.blake2b(digest_size=16)
        if isinstance(key, tuple):
            h.update(b"s\x1f")
            h.update(key[0].encode("utf-8", "surrogatepass"))
            h.update(b"\x1f")
            key = key[1]
        h.update(key.encode("utf-8", "surrogatepass"))
        d = h.digest()
        h1[i] = int.from_bytes(d[:8], "little")
        h2[i] = int.from_bytes(d[8:], "little")
    return h1, h2


def content_keys(titles: list[str], texts: list[str]) -> list:
    """A key per article, equal for two articles iff they are the same after
    normalization (:func:`analysis.text.normalize.normalize`, whitespace
    collapsed). Short texts (fewer than 120 normalized non-space characters:
    often a boilerplate body such as a copyright line) also need the same
    normalized title.

    Normalizing every text costs about a second on the ANT corpus, so texts
    are blocked first by a signature that is a function of the normalized
    text: its first 48 non-space characters, then, for texts sharing those
    (an agency dateline, say), also its last 48. Signatures are computed with
    numpy on a raw window at each end of the text; a text whose window does
    not give them exactly (too short, too many diacritics or spaces,
    characters that normalize to several) is normalized in full and its
    signature taken from that. Only texts whose signature is shared, or that
    may be short, are compared in full.
    """
    full = normalized_key
    uid_of: dict[str, int] = {}
    uids = [uid_of.setdefault(t, len(uid_of)) for t in texts]
    uniq = list(uid_of)
    keys: list = [None] * len(uniq)
    short = np.zeros(len(uniq), dtype=bool)

    def full_key(u: int) -> str:
        if not isinstance(keys[u], str):
            key = keys[u] = full(uniq[u])
            short[u] = _is_short(key)
        return keys[u]

    if uniq:
        heads, ok_h, head_counts = _signatures([t[:_SIG_HEAD] for t in uniq], _SIG_HEAD, _SIG_LEN)
        for u in np.flatnonzero(~ok_h | (head_counts < SHORT_TEXT)).tolist():
            key = full_key(u)  # may be short: compare in full
            if not ok_h[u]:
                heads[u] = _sig_of_key(key, _SIG_LEN, False)
        shared = _shared_rows(heads)
        cand = np.flatnonzero(shared)
        if len(cand):
            tails, ok_t, _ = _signatures([uniq[u][-_SIG_TAIL:][::-1] for u in cand], _SIG_TAIL, _SIG_LEN)
            for j in np.flatnonzero(~ok_t).tolist():
                tails[j] = _sig_of_key(full_key(int(cand[j])), _SIG_LEN, True)
            shared[cand] = _shared_rows(np.hstack([heads[cand], tails]))
        for u in range(len(uniq)):
            if shared[u]:
                full_key(u)
            elif keys[u] is None:
                keys[u] = ("u", u)  # no other text can equal it after normalization
    out = []
    title_cache: dict[str, str] = {}
    for title, u in zip(titles, uids):
        key = keys[u]
        if short[u]:
            tkey = title_cache.get(title)
            if tkey is None:
                tkey = title_cache[title] = full(title)
            key = (tkey, key)
        out.append(key)
    return out


def drop_duplicates_per_outlet(outlet_keys, keys, rows: np.ndarray) -> tuple[np.ndarray, dict[int, int]]:
    """Keep the first of each (outlet, content key) among ``rows``; returns the
    kept rows and a map dropped row -> kept row."""
    first: dict = {}
    kept, rep = [], {}
    for i in rows:
        k = (outlet_keys[i], keys[i])
        j = first.setdefault(k, i)
        if j == i:
            kept.append(i)
        else:
            rep[i] = j
    return np.asarray(kept, dtype=np.int64), rep


def dup_groups(keys, rows: list[int]) -> tuple[list[int], int, int]:
    """For each of ``rows`` (kept, in order) the row of the first kept copy
    with the same content key; and the number of groups of more than one
    and of copies beyond the first in them."""
    first: dict = {}
    sizes: dict = {}
    out = []
    for i in rows:
        g = first.setdefault(keys[i], i)
        sizes[g] = sizes.get(g, 0) + 1
        out.append(g)
    groups = sum(1 for v in sizes.values() if v > 1)
    copies = sum(v - 1 for v in sizes.values() if v > 1)
    return out, groups, copies
