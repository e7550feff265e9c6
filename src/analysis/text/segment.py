"""Paragraphs and sentences of Arabic news text, with offsets into the original.

Rules (see README, "Entity matching"):

* a paragraph is a run of text between line breaks (blank lines and
  whitespace-only lines do not make empty paragraphs);
* a sentence ends after ``.`` ``!`` ``?`` ``؟`` ``؛`` or ``…`` (and the closing
  quotes or brackets right after them). A full stop ends a sentence only when
  whitespace or the end of the paragraph follows it, so decimals (3.5), URLs
  (skynews.com) and dotted abbreviations (أ.ف.ب) stay inside the sentence, and
  not after a one-letter token (``أ.ف.ب.`` at the end, ``د.`` for Doctor);
* paragraphs and sentences are numbered from 0; sentence numbers restart in
  every paragraph. Spans are trimmed of surrounding whitespace.
"""
from __future__ import annotations

from functools import lru_cache
import re

import numpy as np
import pandas as pd

__all__ = ["split_sentences", "sentence_spans", "sentence_counts"]

_CLOSERS = "\"'»”’)\\]}"
_BREAK_RE = re.compile(
    r"(?P<para>[\n\r\u2029\u2028]\s*)"
    rf"|(?P<dot>\.+[{_CLOSERS}]*)(?=[^\S\n\r]|[\n\r\u2029\u2028]|\Z)"
    rf"|(?P<mark>[!?؟؛…][!?؟؛….]*[{_CLOSERS}]*)"
)


def _is_letter(ch: str) -> bool:
    return ch.isalpha()


def sentence_spans(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sentence spans of ``text`` as arrays ``(paragraph, sentence, start, end)``.

    Spans are sorted by start, trimmed of whitespace and never empty.
    """
    paras: list[int] = []
    sents: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    n = len(text)
    para = 0
    sent = 0
    pos = 0  # start of the current (untrimmed) sentence
    seen_text = False  # has the current paragraph produced a sentence?

    def emit(a: int, b: int) -> bool:
        # trim whitespace; record the span if non-empty
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a >= b:
            return False
        paras.append(para)
        sents.append(sent)
        starts.append(a)
        ends.append(b)
        return True

    for m in _BREAK_RE.finditer(text):
        kind = m.lastgroup
        if kind == "para":
            if emit(pos, m.start()):
                seen_text = True
            if seen_text:
                para += 1
                sent = 0
                seen_text = False
            pos = m.end()
            continue
        if kind == "dot":
            i = m.start()
            # one-letter token before the dot: abbreviation (أ.ف.ب. / د.)
            if i >= 1 and _is_letter(text[i - 1]) and (i < 2 or not _is_letter(text[i - 2])):
                continue
        if emit(pos, m.end()):
            sent += 1
            seen_text = True
        pos = m.end()
    if emit(pos, n):
        pass
    return (np.asarray(paras, dtype=np.int32), np.asarray(sents, dtype=np.int32),
            np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64))


def split_sentences(text: str) -> pd.DataFrame:
    """Split ``text`` into paragraphs and sentences.

    Returns a DataFrame with columns ``paragraph``, ``sentence`` (both from
    0; sentence numbers restart in every paragraph), ``start`` and ``end``
    (offsets into ``text``: ``text[start:end]`` is the sentence, trimmed of
    surrounding whitespace). Empty or blank text gives an empty table.
    """
    if text is None or (isinstance(text, float) and np.isnan(text)):
        text = ""
    if not isinstance(text, str):
        raise TypeError(f"split_sentences expects a str, got {type(text).__name__}")
    para, sent, start, end = sentence_spans(text)
    return pd.DataFrame({"paragraph": para, "sentence": sent, "start": start, "end": end})


# ---------------------------------------------------------------------------
# vectorized form, for many texts at once (used by analysis.entities.mentions and
# analysis.measures.cooccurrence.count_windows)
# ---------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _classes() -> np.ndarray:
    """uint8 class of every BMP code point: 1 newline, 2 dot, 3 other mark,
    4 closer, 5 other whitespace, 6 letter, 0 anything else (a constant table, built once)."""
    cls = np.zeros(0x10000, dtype=np.uint8)
    for code in range(0x10000):
        ch = chr(code)
        if ch.isspace():
            cls[code] = 5
        elif ch.isalpha():
            cls[code] = 6
    for ch in "\n\r\u2029\u2028":
        cls[ord(ch)] = 1
    cls[ord(".")] = 2
    for ch in "!?؟؛…":
        cls[ord(ch)] = 3
    for ch in _CLOSERS.replace("\\", ""):
        cls[ord(ch)] = 4
    cls.setflags(write=False)
    return cls


def _sentence_breaks(cls: np.ndarray) -> np.ndarray:
    """Sentence breaks in a sequence of character classes (see :func:`_classes`).

    A break is the end (exclusive index) of a run of ``.!?؟؛…`` and the
    closing quotes or brackets right after it; a run of full stops only
    counts when whitespace, a line break or the end follows, and not after a
    one-letter token (abbreviation). Sorted; what :func:`sentence_spans`
    ends a sentence at.
    """
    n = len(cls)
    term_pos = np.flatnonzero((cls == 2) | (cls == 3))
    if not len(term_pos):
        return np.zeros(0, dtype=np.int64)
    gap = np.diff(term_pos) != 1
    run_start = term_pos[np.concatenate(([True], gap))]
    run_end = term_pos[np.concatenate((gap, [True]))]
    mark_pos = np.flatnonzero(cls == 3)
    has_mark = np.searchsorted(mark_pos, run_end, side="right") > np.searchsorted(mark_pos, run_start)
    e = run_end + 1
    while True:  # skip the closing quotes and brackets after the run
        more = (e < n) & (cls[np.minimum(e, n - 1)] == 4)
        if not more.any():
            break
        e = e + more
    at_e = np.where(e < n, cls[np.minimum(e, n - 1)], 5)  # the end counts as whitespace
    dot_ok = (at_e == 1) | (at_e == 5)
    # abbreviation: one-letter token before a dot-only run
    before1 = np.where(run_start >= 1, cls[np.maximum(run_start - 1, 0)], 0)
    before2 = np.where(run_start >= 2, cls[np.maximum(run_start - 2, 0)], 0)
    abbrev = (before1 == 6) & (before2 != 6)
    return e[has_mark | (dot_ok & ~abbrev)]


def _text_classes(chunk: str) -> np.ndarray:
    """Class (see :func:`_classes`) of every character of ``chunk``; above the BMP: letter or other."""
    classes = _classes()
    codes = np.frombuffer(chunk.encode("utf-32-le"), dtype=np.uint32)
    bmp = codes < len(classes)
    cls = classes[np.where(bmp, codes, 0)]
    if not bmp.all():
        uniq, inv = np.unique(codes[~bmp], return_inverse=True)
        cls[~bmp] = np.array([6 if chr(int(c)).isalpha() else 0 for c in uniq], dtype=np.uint8)[inv.ravel()]
    return cls


def sentence_counts(texts, *, chunk_chars: int = 4_000_000) -> tuple[np.ndarray, np.ndarray]:
    """Number of paragraphs and of sentences of every text, vectorized over all of them.

    ``texts``: a sequence of str (``None`` or anything else not a str counts
    as empty). Returns two int64 arrays aligned with ``texts``:
    ``len(set(paragraph))`` and ``len(paragraph)`` of :func:`sentence_spans`
    of each text (tested equal): a paragraph is a line holding something
    besides whitespace; its sentences are its sentence breaks plus one if
    anything but whitespace follows the last break. Texts are processed in
    batches of about ``chunk_chars`` characters (bounds the memory).
    """
    texts = [t if isinstance(t, str) else "" for t in texts]
    n_par = np.zeros(len(texts), dtype=np.int64)
    n_sent = np.zeros(len(texts), dtype=np.int64)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    lo = 0
    while lo < len(texts):
        hi = lo + max(1, int(np.searchsorted(np.cumsum(lengths[lo:] + 1), chunk_chars, side="right")))
        n_par[lo:hi], n_sent[lo:hi] = _sentence_counts_chunk(texts[lo:hi], lengths[lo:hi])
        lo = hi
    return n_par, n_sent


def _sentence_counts_chunk(texts: list[str], lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    cls = _text_classes("\n" + "\n".join(texts) + "\n")  # every text on lines of its own
    n = len(cls)
    fstart = np.cumsum(np.concatenate(([1], lengths[:-1] + 1)))  # index of each text's first character
    breaks = _sentence_breaks(cls)
    # lines (between newlines) and what is in them
    nl = np.flatnonzero(cls == 1)
    line_start, line_end = nl[:-1] + 1, nl[1:]  # the chunk starts and ends with a newline
    content = np.zeros(n + 1, dtype=np.int32)  # characters other than whitespace before each position
    np.cumsum((cls != 1) & (cls != 5), dtype=np.int32, out=content[1:])
    has_text = content[line_end] > content[line_start]
    first_break = np.searchsorted(breaks, line_start, side="right")
    after_last = np.searchsorted(breaks, line_end, side="right")
    nb = after_last - first_break
    last = np.where(nb > 0, breaks[np.maximum(after_last - 1, 0)] if len(breaks) else 0, line_start)
    sentences = nb + (content[line_end] > content[last])
    text_of = np.searchsorted(fstart, line_start, side="right") - 1
    n_par = np.bincount(text_of, weights=has_text, minlength=len(texts)).astype(np.int64)
    n_sent = np.bincount(text_of, weights=sentences, minlength=len(texts)).astype(np.int64)
    return n_par, n_sent


def sentence_ids_in_fields(units: np.ndarray, field_starts: np.ndarray,
                           positions: np.ndarray, field_of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Paragraph and sentence numbers of mentions, for many texts at once.

    ``units``: UTF-16 code units (BMP only) of "\\n" + "\\n".join(texts) + "\\n";
    ``field_starts``: index of each text's first unit; ``positions``: unit
    index of each mention's first character; ``field_of``: its text's index.
    Gives what :func:`sentence_spans` of that text gives (tested equal).
    """
    cls = _classes()[units]
    n = len(units)
    if n == 0:
        z = np.zeros(len(positions), dtype=np.int32)
        return z, z
    breaks = _sentence_breaks(cls)
    # lines; a paragraph is a non-empty line
    nl_pos = np.flatnonzero(cls == 1)
    line_start_all = np.concatenate(([0], nl_pos + 1))
    line_end_all = np.concatenate((nl_pos, [n]))
    length = line_end_all - line_start_all
    nonempty = length > 0
    # a line starting with whitespace may hold nothing else: check those
    first_ws = np.zeros(len(nonempty), dtype=bool)
    first_ws[nonempty] = cls[line_start_all[nonempty]] == 5
    for k in np.flatnonzero(first_ws):
        if np.all(cls[line_start_all[k]:line_end_all[k]] == 5):
            nonempty[k] = False
    nonempty_before = np.concatenate(([0], np.cumsum(nonempty)))  # non-empty lines before line k
    pos_line = np.searchsorted(nl_pos, positions, side="right")
    field_line = np.searchsorted(nl_pos, field_starts[field_of], side="right")
    para = nonempty_before[pos_line] - nonempty_before[field_line]
    line_start = line_start_all[pos_line]
    sent = (np.searchsorted(breaks, positions, side="right")
            - np.searchsorted(breaks, line_start, side="right"))
    return para.astype(np.int32), sent.astype(np.int32)
