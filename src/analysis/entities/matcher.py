"""The compiled gazetteer matcher behind :func:`analysis.extract_mentions`.

``compile_matcher(gazetteer)`` returns a :class:`Matcher`; ``Matcher.run_chunk``
finds the mentions of a list of fields. The mechanism (README, "How matching
works" and "Ambiguous names and other errors"):

1. *Match form*: the normalization of :mod:`analysis.text.normalize` through a
   65,536-entry lookup table, every character that is not an Arabic letter
   becoming a space; an offsets map back to the original only when characters
   were deleted or expanded.
2. One Aho-Corasick automaton (pyahocorasick) holds every form with its
   proclitic variants (و ف ب ل ك, ال, ل+ال = لل), padded with a space on both
   sides: every hit is a whole-token match. Overlaps resolve leftmost-longest.
3. *Context*: the token before, the one before that and the token after each
   hit are hashed (vectorized) and looked up in the gazetteer's ``context``
   word lists and the entities' own ``reject_before`` / ``reject_after``:
   patronymic chains, named-after institutions, another given name before a
   surname, a demonym used as a surname, places that name an outlet or club.
4. Office titles resolve to the holder on the article's date unless a
   dependant word precedes (نائب، مستشار ...), a past cue, a year or a
   person's name follows. Ambiguous names follow their rules, with article
   cues (entities and countries named unambiguously in the same article).

The matcher holds no per-call state: ``run_chunk`` may run in many threads at
once, and a matcher pickled to another process gives the same results. The
disk cache stores plain arrays (``.npz`` read with ``allow_pickle=False``,
with an HMAC signature checked before it is read; the automaton is the only
object unpickled, by an unpickler that refuses every other class).
"""
from __future__ import annotations

import hashlib
import io
import re
import threading
from functools import lru_cache
from itertools import chain
from pathlib import Path

import numpy as np

from analysis.entities.cache import cache_dir, loads_automaton, prune, read_signed, write_signed
from analysis.entities.gazetteer import Gazetteer, is_letter, match_key, nisba_forms
from analysis.text.normalize import translation_table
from analysis.text.segment import sentence_ids_in_fields

__all__ = ["Matcher", "compile_matcher", "match_codes", "match_form", "proclitic_variants", "token_hashes",
           "KINDS", "K_NAME", "K_DEMONYM", "K_DERIVED", "K_OFFICE"]

KINDS = ["name", "demonym", "derived", "office"]
K_NAME, K_DEMONYM, K_DERIVED, K_OFFICE = range(4)
# pattern types
P_ENTITY, P_OFFICE, P_RULE, P_BLOCK = range(4)
TYPES = ("country", "person", "organization", "place")
T_COUNTRY, T_PERSON, T_ORG, T_PLACE = range(4)
# a title followed by these names a former, future or deposed holder (extended by context.office_past_after)
SUSPEND_AFTER_OFFICE = frozenset({"السابق", "السابقه", "الاسبق", "الاسبقه", "المنتخب", "المنتخبه",
                                  "المقبل", "المقبله", "الراحل", "الراحله", "الجديد", "الجديده",
                                  "المخلوع", "المخلوعه", "المعزول", "المعزوله", "الهارب", "الفار",
                                  "المطاح", "المنتهيه", "الاسبقين", "السابقين"})
# an office title followed by a year names the holder of that year
_YEAR_AFTER = re.compile(r"[\s(،,\-–]*(?:(?:في\s+)?(?:عام|سنة|العام)\s+)?\(?\s*(?:1[89]|20)\d\d(?!\d)")
# after normalization these given names are also function words or frequent
# verbs and adjectives (على = علي، يحيي "commemorates", سلمي "peaceful"): never
# evidence of a name
NOT_GIVEN = frozenset({"علي", "يحيي", "سلمي", "جو", "الي", "بن", "ابن", "بنت", "ال", "ابو", "ام", "عبد",
                       "ايه", "اميره", "امير", "شيخ", "سيد", "خليفه", "صالح", "سلطان", "ملك", "كوفي", "اسماء", "اسعد"})
_HASH_CAP = 24
_HB = np.uint64(0x100000001B3)


# ---------------------------------------------------------------------------
# match form: lookup tables
# ---------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _tables():
    """(fast uint16[65536], lens uint8[65536], expansions dict code -> uint16 array).

    ``fast`` maps a UTF-16 unit to its match-form unit: 32 for a non-letter,
    0 when deleted, 1 when it expands to several letters (see ``expansions``).
    """
    lut = np.full(0x10000, 32, dtype=np.uint16)
    lens = np.ones(0x10000, dtype=np.uint8)
    for code in range(0x0600, 0x0700):
        if is_letter(chr(code)):
            lut[code] = code
    expansions = {}
    for code, out in translation_table().items():
        if out is None:
            lut[code] = 0
            lens[code] = 0
            continue
        folded = [ord(c) if is_letter(c) else 32 for c in out]
        if len(folded) == 1 or not any(c != 32 for c in folded):
            lut[code] = folded[0] if len(folded) == 1 else 32
            lens[code] = 1
        else:
            lut[code] = folded[0]
            lens[code] = len(folded)
            expansions[code] = np.asarray(folded, dtype=np.uint16)
    # surrogates: an astral character becomes one space (high) + nothing (low)
    lut[0xD800:0xDC00] = 32
    lut[0xDC00:0xE000] = 0
    lens[0xDC00:0xE000] = 0
    fast = lut.copy()
    fast[lens > 1] = 1
    fast.setflags(write=False)
    return fast, lens, expansions


def match_codes(chunk: str, units: np.ndarray | None, sentinel: bool) -> tuple[np.ndarray, np.ndarray | None]:
    """The match form of ``chunk`` as UTF-16 code units (:func:`match_form`'s mapping, one lookup per
    unit; ``units``: the chunk's UTF-16 units when the caller has them), and the offsets back into
    ``chunk`` when a character expands or the text has astral characters (else None). ``sentinel``:
    end with a boundary unit, as the automaton expects."""
    fast, _lens, expansions = _tables()
    if units is None:
        units = np.frombuffer(chunk.encode("utf-16-le"), dtype=np.uint16)
    astral = len(units) != len(chunk)
    codes = np.take(fast, units)
    if not astral and codes.min(initial=32) > 1:
        return codes, None
    keep = codes != 0
    idx = np.flatnonzero(keep)
    out = codes[keep]
    offsets = idx
    if astral:  # utf-16 unit index -> str index: minus the low surrogates before it
        low = np.flatnonzero((units >= 0xDC00) & (units < 0xE000))
        offsets = idx - np.searchsorted(low, idx)
    exp_q = np.flatnonzero(out == 1)
    if len(exp_q):  # characters that expand (ligatures): rare, insert the extra letters
        ins_at, ins_val = [], []
        for q in exp_q.tolist():
            seq = expansions[int(units[idx[q]])]
            out[q] = seq[0]
            ins_at.extend([q + 1] * (len(seq) - 1))
            ins_val.extend(seq[1:].tolist())
        out = np.insert(out, ins_at, np.asarray(ins_val, dtype=np.uint16))
        offsets = np.insert(offsets, ins_at, offsets[np.asarray(ins_at, dtype=np.int64) - 1])
    if sentinel:
        offsets = np.append(offsets, len(chunk))
    return out, offsets


def match_form(chunk: str, units: np.ndarray | None = None, sentinel: bool = True) -> tuple[str, np.ndarray | None]:
    """Match form of ``chunk`` and the map from its positions back to ``chunk``.

    Returns ``(m, offsets)``; ``offsets`` is None when ``m`` aligns with
    ``chunk`` one to one, else an int64 array of len(m) + 1 (last = len(chunk));
    ``sentinel=False`` leaves the last entry out.
    """
    codes, offsets = match_codes(chunk, units, sentinel)
    return codes.tobytes().decode("utf-16-le"), offsets


def token_hashes(codes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """64-bit hashes of the tokens ``codes[starts[i]:ends[i]]`` (0 for empty ones).

    Vectorized over the tokens; tokens are compared by their first 24 code
    units and their length.
    """
    starts = np.asarray(starts, dtype=np.int64)
    lengths = np.asarray(ends, dtype=np.int64) - starts
    h = lengths.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    if len(starts) == 0 or len(codes) == 0:
        return h
    top = len(codes) - 1
    cap = int(min(_HASH_CAP, max(0, lengths.max(initial=0))))
    for j in range(cap):
        c = codes[np.minimum(starts + j, top)].astype(np.uint64) + np.uint64(1)
        h = np.where(lengths > j, h * _HB + c, h)
    h[lengths <= 0] = 0
    return h


def _word_hashes(words) -> np.ndarray:
    words = [w for w in words if w]
    if not words:
        return np.zeros(0, dtype=np.uint64)
    joined = " ".join(words)
    codes = np.frombuffer(joined.encode("utf-16-le"), dtype=np.uint16)
    lens = np.fromiter((len(w) for w in words), dtype=np.int64, count=len(words))
    starts = np.concatenate(([0], np.cumsum(lens + 1)[:-1]))
    return token_hashes(codes, starts, starts + lens)


def _in(sorted_hashes: np.ndarray, h: np.ndarray) -> np.ndarray:
    """Membership of ``h`` in a sorted unique hash array (0 never matches)."""
    if len(sorted_hashes) == 0 or len(h) == 0:
        return np.zeros(len(h), dtype=bool)
    idx = np.searchsorted(sorted_hashes, h)
    idx[idx == len(sorted_hashes)] = 0
    return (sorted_hashes[idx] == h) & (h != 0)


def proclitic_variants(form: str) -> list[tuple[str, int]]:
    """(variant, number of leading characters to strip from the surface) of a form:
    itself, و ف + it, ب ل ك + it (ل + ال = لل) and و ف + those."""
    out = [(form, 0)]
    first = form.split(" ", 1)[0]
    has_al = first.startswith("ال") and len(first) > 3
    for conj in ("", "و", "ف"):
        if has_al:
            for prep in ("ب", "ك"):
                out.append((conj + prep + form, len(conj) + 1))
            out.append((conj + "ل" + form[1:], len(conj)))  # ل + ال = لل, keep لل
        else:
            for prep in ("ب", "ل", "ك"):
                out.append((conj + prep + form, len(conj) + 1))
        if conj:
            out.append((conj + form, len(conj)))
    return out


def _word_set(words, proclitics: bool) -> np.ndarray:
    forms = set()
    for w in words:
        if " " in w:
            continue  # context words are single tokens
        forms.add(w)
        if proclitics:
            forms.update(v for v, _ in proclitic_variants(w))
    return np.unique(_word_hashes(sorted(forms)))


def _strip_proclitics(tok: str) -> list[str]:
    """The token and its forms without و ف + ب ل ك (لل = ل + ال)."""
    out = [tok]
    t = tok
    if len(t) > 2 and t[0] in "وف":
        t = t[1:]
        out.append(t)
    if len(t) > 2 and t[0] in "بلك":
        out.append(t[1:])
        if t.startswith("لل"):
            out.append("ا" + t[1:])
    return out


def _token_in(tok: str, words) -> bool:
    if not tok or not words:
        return False
    return any(c in words for c in _strip_proclitics(tok))


def _prev_token(m: str, s: int, lo: int = 0) -> str:
    """The token before position s of the match form, not before ``lo`` (the field's start)."""
    seg = m[max(lo, s - 40):s].split()
    return seg[-1] if seg else ""


def _next_token(m: str, e: int, hi: int | None = None) -> str:
    """The token after position e of the match form, not past ``hi`` (the field's end)."""
    seg = m[e:e + 40 if hi is None else min(e + 40, hi)].split()
    return seg[0] if seg else ""


def _resolve_overlaps(start: np.ndarray, end: np.ndarray, drop=None) -> np.ndarray:
    """Indices kept by greedy leftmost-longest (input sorted by start, -length).

    ``drop(lo, hi)`` may name hits of an overlap cluster that must lose
    (a title whose embedded country name is the start of a longer one).
    """
    n = len(start)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    prev_max = np.maximum.accumulate(end)
    prev_max = np.concatenate(([-1], prev_max[:-1]))
    new_cluster = start >= prev_max
    if new_cluster.all():
        return np.arange(n)
    cluster_starts = np.flatnonzero(new_cluster)
    bounds = np.append(cluster_starts, n)
    cl_max = np.maximum.reduceat(end, cluster_starts)
    simple = end[cluster_starts] >= cl_max
    keep = [cluster_starts[simple]]
    for c in np.flatnonzero(~simple).tolist():
        lo, hi = int(bounds[c]), int(bounds[c + 1])
        last_end = -1
        part = []
        dropped = drop(lo, hi) if drop is not None else ()
        for j in range(lo, hi):
            if j in dropped:
                continue
            if start[j] >= last_end:
                part.append(j)
                last_end = end[j]
        keep.append(np.asarray(part, dtype=np.int64))
    return np.sort(np.concatenate(keep))


def empty_result() -> dict:
    """The result of :meth:`Matcher.run_chunk` with no mention."""
    z = np.zeros(0, dtype=np.int64)
    return {"art": z, "field": z.astype(np.int8), "paragraph": z.astype(np.int32),
            "sentence": z.astype(np.int32), "ent": z.astype(np.int32), "kind": z.astype(np.int8),
            "start": z, "end": z, "surface": []}


# ---------------------------------------------------------------------------
# the compiled matcher
# ---------------------------------------------------------------------------
_STATE_KEYS = ("p_type", "p_target", "p_kind", "p_strip", "p_len", "p_ntok", "d_ptr", "d_rs", "d_re", "d_ent")


def _compile_patterns(gaz: Gazetteer, ent_index: dict, office_index: dict, ent_types) -> dict:
    """The automaton's inputs as plain arrays (what the disk cache stores)."""
    forms = gaz.forms()
    etype_of = dict(zip(gaz.entities["entity_id"], gaz.entities["type"]))
    country_forms: dict[str, int] = {}
    inst_forms: dict[str, int] = {}  # organizations and places, found inside office titles
    for r in forms.itertuples(index=False):
        t = etype_of.get(r.entity_id)
        if r.kind in ("name", "demonym") and t == "country" and r.form not in country_forms:
            country_forms[r.form] = ent_index[r.entity_id]
        elif r.kind == "name" and t in ("organization", "place") and r.form not in inst_forms:
            inst_forms[r.form] = ent_index[r.entity_id]

    def variants_of(table):
        out: dict[str, tuple[int, int]] = {}
        for f, eidx in table.items():
            for v, strip in proclitic_variants(f):
                if v not in out or strip == 0:
                    out[v] = (eidx, strip)
        return out

    cf_variants = variants_of(country_forms)
    office_variants = {**variants_of(inst_forms), **cf_variants}

    def derived_in(form: str, table=cf_variants) -> list[tuple[int, int, int]]:
        words = form.split(" ")
        pos = [0]
        for w in words:
            pos.append(pos[-1] + len(w) + 1)
        out = []
        i = 0
        while i < len(words):
            for j in range(len(words), i, -1):
                if (i, j) == (0, len(words)):
                    continue  # the whole form is the hit itself
                hit = table.get(" ".join(words[i:j]))
                if hit is not None:
                    eidx, strip = hit
                    out.append((pos[i] + strip, pos[j] - 1, eidx))
                    i = j - 1
                    break
            i += 1
        return out

    # one entry per distinct padded pattern; conflicts: bare beats proclitic, then priority
    best: dict[str, tuple] = {}
    der_cache: dict[str, list] = {}
    for form, eid, kind_s, oid, rule, prio in forms.itertuples(index=False, name=None):
        if kind_s == "block":
            ptype, target = P_BLOCK, -1
        elif kind_s == "office":
            ptype, target = P_OFFICE, office_index[oid]
        elif kind_s == "ambiguous":
            ptype, target = P_RULE, int(rule)
        else:
            ptype, target = P_ENTITY, ent_index[eid]
        kind = K_DEMONYM if kind_s == "demonym" else (K_OFFICE if kind_s == "office" else K_NAME)
        derive = ptype == P_OFFICE or (ptype == P_ENTITY and ent_types[target] in ("organization", "place"))
        der = []
        if derive:
            der = der_cache.get((form, ptype))
            if der is None:
                der = der_cache[(form, ptype)] = derived_in(form, office_variants if ptype == P_OFFICE else cf_variants)
        for variant, strip in proclitic_variants(form):
            rank = (strip == 0 and variant == form, prio)
            old = best.get(variant)
            if old is not None and old[0] >= rank:
                continue
            best[variant] = (rank, ptype, target, kind, strip, der)
    variants = sorted(best)
    vals = [best[v] for v in variants]
    ders = [v[5] for v in vals]
    d_ptr = np.zeros(len(vals) + 1, dtype=np.int64)
    np.cumsum([len(d) for d in ders], out=d_ptr[1:])
    flat = [t for d in ders for t in d]
    return {
        "variants": variants,
        "p_len": np.fromiter((len(v) + 2 for v in variants), dtype=np.int32, count=len(variants)),
        "p_ntok": np.fromiter((v.count(" ") + 1 for v in variants), dtype=np.int8, count=len(variants)),
        "p_type": np.array([v[1] for v in vals], dtype=np.int8),
        "p_target": np.array([v[2] for v in vals], dtype=np.int32),
        "p_kind": np.array([v[3] for v in vals], dtype=np.int8),
        "p_strip": np.array([v[4] for v in vals], dtype=np.int32),
        "d_ptr": d_ptr,
        "d_rs": np.array([t[0] for t in flat], dtype=np.int32),
        "d_re": np.array([t[1] for t in flat], dtype=np.int32),
        "d_ent": np.array([t[2] for t in flat], dtype=np.int32),
    }


class Matcher:
    """Everything :func:`analysis.extract_mentions` needs from a gazetteer, compiled.

    Build with :func:`compile_matcher` (cached by the gazetteer's content).
    Read-only after construction: safe to share between threads and to pickle.
    """

    def __init__(self, gaz: Gazetteer, state: dict | None = None, automaton=None):
        import ahocorasick

        self.gaz = gaz
        ent = gaz.entities
        self.ent_ids = ent["entity_id"].to_numpy(dtype=object)
        self.ent_types = ent["type"].to_numpy(dtype=object)
        self.ent_country = np.array([c if isinstance(c, str) else None for c in ent["country"]], dtype=object)
        self.ent_index = {e: i for i, e in enumerate(self.ent_ids)}
        self.ent_type_code = np.array([TYPES.index(t) for t in self.ent_types], dtype=np.int8)
        self.ent_country_idx = np.array([self.ent_index.get(c, -1) if c else -1 for c in self.ent_country],
                                        dtype=np.int32)
        self.offices = list(gaz.offices.values())
        office_index = {o.office_id: i for i, o in enumerate(self.offices)}
        self.office_holders = [
            [(self.ent_index[p], s.to_datetime64() if s is not None else None,
              e.to_datetime64() if e is not None else None) for p, s, e in o.holders]
            for o in self.offices
        ]
        self.rules = gaz.rules
        if state is None or automaton is None:
            state = _compile_patterns(gaz, self.ent_index, office_index, self.ent_types)
            automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
            add = automaton.add_word
            for pid, variant in enumerate(state["variants"]):
                add(" " + variant + " ", pid)
            if state["variants"]:
                automaton.make_automaton()
        self._state = {k: np.asarray(state[k]) for k in _STATE_KEYS}
        for k, v in self._state.items():
            setattr(self, k, v)
        self.n_patterns = len(self.p_type)
        lengths = {len(self._state[k]) for k in _STATE_KEYS if k not in ("d_ptr", "d_rs", "d_re", "d_ent")}
        if lengths != {self.n_patterns} or len(self.d_ptr) != self.n_patterns + 1 \
                or len(automaton) != self.n_patterns:
            raise ValueError("inconsistent matcher state")
        self.any_derived = np.diff(self.d_ptr) > 0
        self.automaton = automaton
        self._build_context()

    def _build_context(self) -> None:
        gaz = self.gaz
        ctx = gaz.context
        given = set(ctx["given_names"]) - NOT_GIVEN
        self.w_given = _word_set(given, proclitics=False)
        self.w_given_and = _word_set({c + g for g in given for c in "وف"}, proclitics=False)  # وعلاء مبارك
        self.w_rank = _word_set(ctx["ranks"], proclitics=True)
        self.s_given = frozenset(given)
        self.w_prefix = _word_set(ctx["name_prefixes"], proclitics=True)
        self.h_abd = _word_hashes(["عبد"])[0]
        self.w_chain_before = _word_set(ctx["chain_before"], proclitics=False)
        self.w_chain_after = _word_set(ctx["chain_after"], proclitics=False)
        self.w_named_after = _word_set(ctx["named_after_nouns"], proclitics=True)
        self.s_named_after = ctx["named_after_nouns"]
        self.w_honorific = _word_set(ctx["honorifics"], proclitics=True)
        self.s_honorific = ctx["honorifics"]
        self.w_not_place = _word_set(ctx["not_a_place_before"], proclitics=True)
        self.s_dependants = ctx["office_dependants"]
        self.s_past = SUSPEND_AFTER_OFFICE | ctx["office_past_after"]
        self.own_tokens = {self.ent_index[e]: gaz.own_name_tokens(e)
                           for e in self.ent_ids[self.ent_type_code == T_PERSON]}
        # entities' own vetoes: hash(word) mixed with the entity index
        before, after = [], []
        for eid, (rb, ra) in gaz.entity_rejects.items():
            mix = np.uint64((self.ent_index[eid] + 1) * 0x9E3779B97F4A7C15 % (1 << 64))
            if rb:
                before.append(_word_set(rb, proclitics=True) ^ mix)
            if ra:
                after.append(_word_set(ra, proclitics=False) ^ mix)
        self.w_ent_before = np.unique(np.concatenate(before)) if before else np.zeros(0, np.uint64)
        self.w_ent_after = np.unique(np.concatenate(after)) if after else np.zeros(0, np.uint64)
        # kinds of ambiguous names per candidate (روس is the people-noun of RUS)
        demonym_forms: dict[str, set] = {}

        def dforms(eid):
            if eid not in demonym_forms:
                s = set()
                for stem in gaz.demonyms(eid):
                    s.update(nisba_forms(stem))
                s.update(match_key(p) for p in gaz.people_nouns(eid))
                demonym_forms[eid] = s
            return demonym_forms[eid]

        self.rule_kind = []
        for rule in self.rules:
            key = match_key(rule.name)
            cands = {c["entity"] for c in rule.choices} | ({rule.default} if rule.default else set())
            self.rule_kind.append({self.ent_index[c]: (K_DEMONYM if key in dforms(c) else K_NAME) for c in cands})

    def state(self) -> dict:
        """The compiled pattern arrays (what the disk cache stores)."""
        return dict(self._state)

    # -- per chunk ---------------------------------------------------------
    def run_chunk(self, fields: list[str], dates: np.ndarray, art_offset: int = 0) -> dict:
        """Mentions of a chunk of fields [title0, text0, title1, text1, ...].

        ``dates``: datetime64[ns] per article (NaT: no office resolution).
        Returns a dict of arrays: art (article index + ``art_offset``), field
        (0 title, 1 text), paragraph, sentence, ent (entity index), kind,
        start, end, and the list ``surface``. Decisions use the article's own text.
        """
        chunk = "\n" + "\n".join(fields) + "\n"
        lengths = np.fromiter((len(f) for f in fields), dtype=np.int64, count=len(fields))
        fstart = np.cumsum(np.concatenate(([1], lengths[:-1] + 1))) if len(fields) else np.zeros(0, np.int64)
        units = np.frombuffer(chunk.encode("utf-16-le"), dtype=np.uint16)
        codes, offs = match_codes(chunk, units, sentinel=False)
        m = codes.tobytes().decode("utf-16-le")
        flat = np.fromiter(chain.from_iterable(self.automaton.iter(m)), dtype=np.int64)
        empty = empty_result()
        if not len(flat):
            return empty
        pend = flat[0::2]
        pid = flat[1::2]
        nstart = pend - self.p_len[pid] + 2
        nend = pend
        order = np.lexsort((-(nend - nstart), nstart))
        nstart, nend, pid = nstart[order], nend[order], pid[order]
        keep = _resolve_overlaps(nstart, nend, self._truncates(pid, nstart, nend))
        nstart, nend, pid = nstart[keep], nend[keep], pid[keep]
        # map to chunk positions, then to fields
        if offs is None:
            o_start, o_end = nstart, nend
        else:
            o_start, o_end = offs[nstart], offs[nend]
        fidx = np.searchsorted(fstart, o_start, side="right") - 1
        fidx_end = np.searchsorted(fstart, np.maximum(o_end - 1, o_start), side="right") - 1
        ok = fidx == fidx_end
        if not ok.all():
            nstart, nend, pid, o_start, o_end, fidx = (a[ok] for a in (nstart, nend, pid, o_start, o_end, fidx))
        if not len(pid):
            return empty
        ptype = self.p_type[pid]
        art = fidx // 2
        strip = self.p_strip[pid]
        tgt = self.p_target[pid]
        kind = self.p_kind[pid]

        # -- neighbouring tokens (in the match form, within the field) ---------
        sp = np.flatnonzero(codes == 32)
        fs_m = fstart if offs is None else np.searchsorted(offs, fstart)  # field starts in m
        fe_m = fstart + lengths if offs is None else np.searchsorted(offs, fstart + lengths)
        k = np.searchsorted(sp, nstart - 1)
        j = np.searchsorted(sp, nend)
        n_sp = len(sp)
        ps1 = np.where(k >= 1, sp[np.maximum(k - 1, 0)] + 1, nstart - 1)
        pe1 = nstart - 1
        ps1 = np.where(ps1 < fs_m[fidx], pe1, ps1)  # not across fields
        ps2 = np.where(k >= 2, sp[np.maximum(k - 2, 0)] + 1, ps1 - 1)
        pe2 = ps1 - 1
        ps2 = np.where((ps1 >= pe1) | (ps2 < fs_m[fidx]), pe2, ps2)
        ne1 = np.where(j + 1 < n_sp, sp[np.minimum(j + 1, n_sp - 1)], nend + 1)
        ns1 = nend + 1
        ne1 = np.where(ne1 > fe_m[fidx], ns1, ne1)
        h_prev1 = token_hashes(codes, ps1, pe1)
        h_prev2 = token_hashes(codes, ps2, pe2)
        h_next1 = token_hashes(codes, ns1, ne1)
        # is the token before the tail of the previous hit? (then it is no free word)
        prev_is_hit = np.zeros(len(pid), dtype=bool)
        prev_is_hit[1:] = nend[:-1] == nstart[1:] - 1

        def tok(s, e):
            return m[int(s):int(e)]

        # -- vetoes on entity names ------------------------------------------
        is_ent = ptype == P_ENTITY
        etype = np.where(is_ent, self.ent_type_code[np.where(is_ent, tgt, 0)], -1)
        veto = np.zeros(len(pid), dtype=bool)
        person = is_ent & (etype == T_PERSON)
        named_after = _in(self.w_named_after, h_prev1) | (_in(self.w_honorific, h_prev1) & _in(self.w_named_after, h_prev2))
        in_prefix = _in(self.w_prefix, h_prev1)  # أبو المقداد: a kunya, not the person
        chain_before = _in(self.w_chain_before, h_prev1)
        veto |= person & (chain_before | named_after | in_prefix)
        for i in np.flatnonzero(person & _in(self.w_chain_after, h_next1) & ~veto):
            nxt2 = _next_token(m, int(ne1[i]), int(fe_m[fidx[i]]))  # X بن Y: Y must be the person's own chain
            if nxt2 not in self.own_tokens.get(int(tgt[i]), ()):
                veto[i] = True
        given_prev = _in(self.w_given, h_prev1) & ~prev_is_hit
        for i in np.flatnonzero(person & given_prev & ~veto):
            if tok(ps1[i], pe1[i]) not in self.own_tokens.get(int(tgt[i]), ()):
                veto[i] = True  # سليمان الأسد, لارا ترامب: another person of the family
        given_next = _in(self.w_given, h_next1)
        for i in np.flatnonzero(person & (self.p_ntok[pid] >= 2) & given_next & ~veto):
            if tok(ns1[i], ne1[i]) not in self.own_tokens.get(int(tgt[i]), ()):
                veto[i] = True  # the name goes on: a longer name of someone else
        veto |= is_ent & (etype == T_PLACE) & _in(self.w_not_place, h_prev1)
        demonym = is_ent & (kind == K_DEMONYM) & ~prev_is_hit & (strip == 0)
        # a compound name before the demonym: أبو قتادة المغربي, عبد الله التركي (not ابن الملحن البريطاني)
        al1 = (pe1 - ps1 > 2) & (codes[np.minimum(ps1, len(codes) - 1)] == 0x0627) \
            & (codes[np.minimum(ps1 + 1, len(codes) - 1)] == 0x0644)
        compound = _in(self.w_prefix, h_prev2) & (~al1 | (h_prev2 == self.h_abd))
        ranked = _in(self.w_rank, h_prev2) & ~al1 & (pe1 > ps1)  # المستشار جاسر المغربي
        veto |= demonym & (given_prev | compound | ranked)
        if len(self.w_ent_before) or len(self.w_ent_after):
            mix = ((tgt.astype(np.uint64) + np.uint64(1)) * np.uint64(0x9E3779B97F4A7C15))
            veto |= is_ent & (_in(self.w_ent_before, h_prev1 ^ mix) | _in(self.w_ent_after, h_next1 ^ mix))

        rows_art: list[int] = []
        rows_field: list[int] = []
        rows_ent: list[int] = []
        rows_kind: list[int] = []
        rows_s: list[int] = []
        rows_e: list[int] = []

        def pos_map(p):
            return p if offs is None else int(offs[p])

        sel = is_ent & ~veto
        if sel.any():
            s_norm = nstart[sel] + strip[sel]
            s_orig = s_norm if offs is None else offs[s_norm]
            rows_art.extend(art[sel].tolist())
            rows_field.extend(fidx[sel].tolist())
            rows_ent.extend(tgt[sel].tolist())
            rows_kind.extend(kind[sel].tolist())
            rows_s.extend(np.asarray(s_orig).tolist())
            rows_e.extend(np.asarray(o_end[sel]).tolist())
        # derived mentions of entity and office patterns
        has_der = self.any_derived[pid] & ((sel) | (ptype == P_OFFICE))
        for i in np.flatnonzero(has_der):
            base = int(nstart[i] + strip[i])
            p = int(pid[i])
            for q in range(int(self.d_ptr[p]), int(self.d_ptr[p + 1])):
                rows_art.append(int(art[i]))
                rows_field.append(int(fidx[i]))
                rows_ent.append(int(self.d_ent[q]))
                rows_kind.append(K_DERIVED)
                rows_s.append(pos_map(base + int(self.d_rs[q])))
                rows_e.append(pos_map(base + int(self.d_re[q])))
        # article cues for ambiguity rules: entities (and their countries) named unambiguously
        cue_ent: set[tuple[int, int]] = set(zip(rows_art, rows_ent))
        cue_country: set[tuple[int, int]] = set()
        for a, e in cue_ent:
            c = int(self.ent_country_idx[e])
            if c >= 0:
                cue_country.add((a, c))
        # -- offices -> person by date -----------------------------------------
        person_next = (ptype == P_RULE) | (person & ~veto)
        for i in np.flatnonzero(ptype == P_OFFICE):
            a = int(art[i])
            prev = tok(ps1[i], pe1[i])
            if prev and (_token_in(prev, self.s_dependants) or _token_in(prev, self.s_named_after)):
                continue  # نائب الرئيس ..., كأس خادم الحرمين الشريفين
            if prev and _token_in(prev, self.s_honorific) and _token_in(tok(ps2[i], pe2[i]), self.s_named_after):
                continue
            nxt = tok(ns1[i], ne1[i]) if ne1[i] > ns1[i] else _next_token(m, int(nend[i]), int(fe_m[fidx[i]]))
            if nxt in self.s_past:
                continue
            if self._name_follows(i, nend, nstart, person_next, m, pid, fidx):
                continue  # the name after the title is the mention
            if ne1[i] > ns1[i] and nxt in self.s_given:
                continue  # another person, named (the gazetteer may not know them)
            f = int(fidx[i])
            local_end = int(o_end[i] - fstart[f])
            if _YEAR_AFTER.match(fields[f], local_end):
                continue  # الرئيس الأمريكي عام 1990: that year's holder
            holder = self._holder(int(tgt[i]), dates[a])
            if holder < 0:
                continue
            rows_art.append(a)
            rows_field.append(f)
            rows_ent.append(holder)
            rows_kind.append(K_OFFICE)
            rows_s.append(pos_map(int(nstart[i] + strip[i])))
            rows_e.append(int(o_end[i]))
            cue_ent.add((a, holder))
        # -- ambiguous names ----------------------------------------------------
        rule_hits = np.flatnonzero(ptype == P_RULE)
        given_and = np.zeros(len(pid), dtype=bool)
        if len(rule_hits):
            given_and[rule_hits] = _in(self.w_given_and, h_prev1[rule_hits])
        for i in rule_hits:
            a = int(art[i])
            r = int(tgt[i])
            rule = self.rules[r]
            if rule.generated and strip[i] and len(rule.name) <= 4 and "ك" in m[int(nstart[i]):int(nstart[i] + strip[i])]:
                continue  # a short bare surname behind ك is mostly another word (كلامي)
            eidx = self._decide(rule, m, int(nstart[i]), int(nend[i]), a, cue_ent, cue_country,
                                int(fs_m[fidx[i]]), int(fe_m[fidx[i]]))
            if eidx < 0:
                continue
            if self.ent_type_code[eidx] == T_PERSON:
                if named_after[i] or in_prefix[i] or chain_before[i]:
                    continue
                if (given_prev[i] or given_and[i]) \
                        and _strip_proclitics(tok(ps1[i], pe1[i]))[-1] not in self.own_tokens.get(eidx, ()):
                    continue  # جمال وعلاء مبارك: another person of the family
            rows_art.append(a)
            rows_field.append(int(fidx[i]))
            rows_ent.append(eidx)
            rows_kind.append(self.rule_kind[r].get(eidx, K_NAME))
            rows_s.append(pos_map(int(nstart[i] + strip[i])))
            rows_e.append(int(o_end[i]))
        if not rows_art:
            return empty
        return self._finish(fields, units, chunk, fstart, art_offset,
                            rows_art, rows_field, rows_ent, rows_kind, rows_s, rows_e)

    def _finish(self, fields, units, chunk, fstart, art_offset,
                rows_art, rows_field, rows_ent, rows_kind, rows_s, rows_e) -> dict:
        r_art = np.asarray(rows_art, dtype=np.int64)
        r_field = np.asarray(rows_field, dtype=np.int64)
        r_s = np.asarray(rows_s, dtype=np.int64) - fstart[r_field]
        r_e = np.asarray(rows_e, dtype=np.int64) - fstart[r_field]
        r_ent = np.asarray(rows_ent, dtype=np.int32)
        r_kind = np.asarray(rows_kind, dtype=np.int8)
        order = np.lexsort((r_ent, r_kind, r_e, r_s, r_field))
        r_art, r_field, r_s, r_e, r_ent, r_kind = (x[order] for x in (r_art, r_field, r_s, r_e, r_ent, r_kind))
        upos = r_s + fstart[r_field]
        if len(units) != len(chunk):  # astral characters take two UTF-16 units
            high = np.flatnonzero((units >= 0xD800) & (units < 0xDC00))
            high_str = high - np.arange(len(high))
            upos = upos + np.searchsorted(high_str, upos, side="left")
            ufstart = fstart + np.searchsorted(high_str, fstart, side="left")
        else:
            ufstart = fstart
        para, sent = sentence_ids_in_fields(units, ufstart, upos, r_field)
        bounds = np.flatnonzero(np.diff(r_field)) + 1
        surfaces = []
        for lo, hi in zip(np.concatenate(([0], bounds)).tolist(), np.concatenate((bounds, [len(r_s)])).tolist()):
            text = fields[int(r_field[lo])]
            surfaces.extend([text[a:b] for a, b in zip(r_s[lo:hi].tolist(), r_e[lo:hi].tolist())])
        return {
            "art": r_art + art_offset, "field": (r_field % 2).astype(np.int8), "paragraph": para,
            "sentence": sent, "ent": r_ent, "kind": r_kind, "start": r_s, "end": r_e, "surface": surfaces,
        }

    def _name_follows(self, i: int, nend, nstart, person_next, m: str, pid, fidx) -> bool:
        """A person's name right after title ``i`` in the same field (honorifics allowed between)."""
        if i + 1 >= len(nstart) or not person_next[i + 1] or fidx[i + 1] != fidx[i]:
            return False  # (the next field's first name is not this title's holder)
        if m[int(nstart[i + 1])] in "وف" and self.p_strip[pid[i + 1]] > 0:
            return False  # رئيس موريتانيا، وعبدالله جول: "and" another person
        gap = m[int(nend[i]):int(nstart[i + 1])]
        if not gap.strip():
            return True
        words = gap.split()
        return len(words) <= 2 and gap.startswith(" ") and gap.endswith(" ") and "  " not in gap \
            and all(_token_in(w, self.s_honorific) for w in words)

    def _truncates(self, pid, nstart, nend):
        """For an overlap cluster: hits whose embedded country name is cut short
        by the hit's end while another hit extends it (رئيس روسيا | روسيا البيضاء)."""
        def drop(lo: int, hi: int) -> set:
            out = set()
            for j in range(lo, hi):
                p = int(pid[j])
                a, b = int(self.d_ptr[p]), int(self.d_ptr[p + 1])
                if a == b:
                    continue
                base = int(nstart[j] + self.p_strip[p])
                for q in range(a, b):
                    rs = int(self.d_rs[q])
                    for k in range(lo, hi):
                        if k != j and nend[k] > nend[j] and nstart[k] + self.p_strip[pid[k]] == base + rs:
                            out.add(j)
            return out
        return drop

    def _holder(self, office: int, when) -> int:
        if when is None or (isinstance(when, np.datetime64) and np.isnat(when)):
            return -1
        for person, start, end in self.office_holders[office]:
            if (start is None or when >= start) and (end is None or when < end):
                return person
        return -1

    def _decide(self, rule, m: str, s: int, e: int, art: int, cue_ent, cue_country, lo: int, hi: int) -> int:
        """The entity of ambiguous hit [s, e) of article ``art`` (its field spans [lo, hi) of m), or -1."""
        prev = _prev_token(m, s, lo)
        nxt = _next_token(m, e, hi)
        if _token_in(prev, rule.reject_before) or _token_in(nxt, rule.reject_after):
            return -1
        for ch in rule.choices:
            if _token_in(prev, ch["before"]) or _token_in(nxt, ch["after"]):
                return self.ent_index[ch["entity"]]
        for ch in rule.choices:
            for cue in ch["article"]:
                if (art, self.ent_index[cue]) in cue_ent:
                    return self.ent_index[ch["entity"]]
            for cue in ch["article_country"]:
                if (art, self.ent_index[cue]) in cue_country:
                    return self.ent_index[ch["entity"]]
        if rule.default is None:
            return -1
        return self.ent_index[rule.default]


# ---------------------------------------------------------------------------
# compile, with content-keyed caches (memory, then signed files on disk)
# ---------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _code_digest() -> str:
    h = hashlib.sha256()
    here = Path(__file__)
    for mod in (here, here.with_name("gazetteer.py"), here.parent.parent / "text" / "normalize.py"):
        h.update(Path(mod).read_bytes())
    return h.hexdigest()


_MEMO: dict[str, Matcher] = {}
_MEMO_LOCK = threading.Lock()


def _load_cached(gaz: Gazetteer, path: Path) -> Matcher | None:
    blob = read_signed(path)
    ac = read_signed(path.with_suffix(".ac")) if blob is not None else None
    if ac is None:
        return None
    try:
        with np.load(io.BytesIO(blob), allow_pickle=False) as z:
            state = {k: z[k] for k in _STATE_KEYS}
        return Matcher(gaz, state, loads_automaton(ac))
    except Exception:  # unreadable or inconsistent: compile instead
        return None


def _save_cached(matcher: Matcher, path: Path) -> None:
    import pickle

    buf = io.BytesIO()
    np.savez(buf, **matcher.state())
    write_signed(path.with_suffix(".ac"), pickle.dumps(matcher.automaton, protocol=pickle.HIGHEST_PROTOCOL))
    write_signed(path, buf.getvalue())
    for old in path.parent.glob("matcher-*.pkl"):  # the unsigned pickles of earlier versions: never read
        old.unlink(missing_ok=True)
    prune(path.parent, "matcher-*.npz", keep=8)
    prune(path.parent, "matcher-*.ac", keep=8)


def compile_matcher(gaz: Gazetteer, cache: bool = True) -> Matcher:
    """The :class:`Matcher` of ``gaz``, cached by the gazetteer's content.

    In memory, then on disk (:mod:`analysis.entities.cache`: ``$ANALYSIS_CACHE_DIR``,
    default ``~/.cache/analysis``; an empty value or ``cache=False`` disables
    it): the pattern arrays as ``.npz`` without pickles, and the automaton
    (``.ac``, unpickled by an unpickler that allows no other class), both
    verified by their HMAC signature before anything is read from them.
    """
    key = hashlib.sha256((gaz.fingerprint + _code_digest()).encode()).hexdigest()[:24]
    with _MEMO_LOCK:
        hit = _MEMO.get(key)
    if hit is not None:
        return hit
    folder = cache_dir() if cache else None
    path = folder / f"matcher-{key}.npz" if folder is not None else None
    matcher = _load_cached(gaz, path) if path is not None else None
    if matcher is None:
        matcher = Matcher(gaz)
        if path is not None:
            try:
                _save_cached(matcher, path)
            except OSError:  # read-only home etc.: do without the disk cache
                pass
    with _MEMO_LOCK:
        if len(_MEMO) >= 4:
            _MEMO.pop(next(iter(_MEMO)))
        _MEMO[key] = matcher
    return matcher
