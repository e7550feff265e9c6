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

import re

import numpy as np
import pandas as pd

__all__ = ["split_sentences", "sentence_spans"]

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
# vectorized form, for many texts at once (used by analysis.mentions)
# ---------------------------------------------------------------------------
_CLASS_CACHE: dict = {}


def _classes() -> np.ndarray:
    """uint8 class of every BMP code point: 1 newline, 2 dot, 3 other mark,
    4 closer, 5 other whitespace, 6 letter, 0 anything else."""
    if "c" not in _CLASS_CACHE:
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
        _CLASS_CACHE["c"] = cls
    return _CLASS_CACHE["c"]


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
    is_term = (cls == 2) | (cls == 3)
    term_pos = np.flatnonzero(is_term)
    if len(term_pos):
        gap = np.diff(term_pos) != 1
        run_start = term_pos[np.concatenate(([True], gap))]
        run_end = term_pos[np.concatenate((gap, [True]))]
        mark_pos = np.flatnonzero(cls == 3)
        has_mark = (np.searchsorted(mark_pos, run_end, side="right")
                    - np.searchsorted(mark_pos, run_start, side="left")) > 0
        # skip the closing quotes/brackets after the run (a few rounds at most)
        e = run_end + 1
        for _ in range(8):
            inside = e < n
            more = np.zeros(len(e), dtype=bool)
            more[inside] = cls[e[inside]] == 4
            if not more.any():
                break
            e = e + more
        at_e = np.full(len(e), 5, dtype=np.uint8)
        inside = e < n
        at_e[inside] = cls[e[inside]]
        dot_ok = (at_e == 1) | (at_e == 5)
        # abbreviation: one-letter token before a dot-only run
        before1 = np.where(run_start >= 1, cls[np.maximum(run_start - 1, 0)], 0)
        before2 = np.where(run_start >= 2, cls[np.maximum(run_start - 2, 0)], 0)
        abbrev = (before1 == 6) & (before2 != 6)
        breaks = e[has_mark | (dot_ok & ~abbrev)]  # sentence break ends, sorted
    else:
        breaks = np.zeros(0, dtype=np.int64)
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
