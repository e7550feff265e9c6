"""Entity mentions: who and what each article mentions, sentence by sentence.

``extract_mentions(articles)`` returns the mentions table (columns below).
How it works (details and the ambiguity policy: README, "Entity matching"):

1. Titles and texts are joined into chunks and turned into a *match form* in
   one vectorized pass: the normalization of :mod:`analysis.text.normalize`
   (camel-tools equivalent plus tatweel, Persian letters, bidi marks) through
   a 65,536-entry lookup table, every character that is not an Arabic letter
   becoming a space. An offsets map back to the original is built only when
   characters were deleted or expanded.
2. One Aho-Corasick automaton (pyahocorasick) holds every gazetteer form with
   its proclitic variants (و ف ب ل ك, ال, ل+ال = لل) pre-expanded and padded
   with a space on both sides, so every hit is a whole-token match.
3. Overlapping hits are resolved leftmost-longest (روسيا البيضاء is Belarus,
   never Russia + البيضاء); blockers (المغرب العربي, حصة الأسد) win like names
   and yield nothing.
4. Organizations, places and offices whose name holds a country name or
   demonym also yield that country (``derived``); office titles resolve to the
   holder on the article's date (``office``); ambiguous names (الأسد, مالي,
   عمان, المغرب, تركي, حماس, ...) follow the gazetteer's context rules.
5. Each mention is placed in its paragraph and sentence
   (:func:`analysis.text.segment.sentence_spans`).

Large inputs are processed on all cores (fork), in chunks.
"""
from __future__ import annotations

import os
from itertools import chain
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.entities.gazetteer import Gazetteer, load_gazetteer
from analysis.text.normalize import translation_table
from analysis.text.segment import sentence_ids_in_fields, sentence_spans

__all__ = ["extract_mentions", "MENTION_COLUMNS"]

MENTION_COLUMNS = ["article_id", "field", "paragraph", "sentence", "entity_id", "entity_type",
                   "country", "mention_kind", "start", "end", "surface"]
KINDS = ["name", "demonym", "derived", "office"]
K_NAME, K_DEMONYM, K_DERIVED, K_OFFICE = range(4)
# pattern kinds
P_ENTITY, P_OFFICE, P_RULE, P_BLOCK = range(4)
FIELDS = ("title", "text")
# a title followed by these names a former, future or deposed holder: no office resolution
_SUSPEND_AFTER_OFFICE = frozenset({"السابق", "السابقه", "الاسبق", "الاسبقه", "المنتخب", "المنتخبه",
                                   "المقبل", "المقبله", "الراحل", "الراحله", "الجديد", "الجديده",
                                   "المخلوع", "المخلوعه", "المعزول", "المعزوله", "الهارب", "الفار",
                                   "المطاح", "المنتهيه", "الاسبقين", "السابقين"})


# ---------------------------------------------------------------------------
# match form: lookup tables
# ---------------------------------------------------------------------------
def _letter(ch: str) -> bool:
    from analysis.entities.gazetteer import _is_letter

    return _is_letter(ch)


_LUT_CACHE: dict = {}


def _tables():
    """(lut uint16[65536], lens uint8[65536], expansions dict code->np.uint16 array)."""
    if _LUT_CACHE:
        return _LUT_CACHE["t"]
    lut = np.full(0x10000, 32, dtype=np.uint16)
    lens = np.ones(0x10000, dtype=np.uint8)
    # Arabic letters map to themselves unless the table changes them
    for code in range(0x0600, 0x0700):
        if _letter(chr(code)):
            lut[code] = code
    expansions = {}
    for code, out in translation_table().items():
        if out is None:
            lut[code] = 0
            lens[code] = 0
            continue
        folded = [ord(c) if _letter(c) else 32 for c in out]
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
    # one-gather table for the common path: 0 = deleted, 1 = expands (rare)
    fast = lut.copy()
    fast[lens > 1] = 1
    _LUT_CACHE["t"] = (lut, lens, expansions)
    _LUT_CACHE["fast"] = fast
    return _LUT_CACHE["t"]


def match_form(chunk: str, units: np.ndarray | None = None, sentinel: bool = True) -> tuple[str, np.ndarray | None]:
    """Match form of ``chunk`` and the map from its positions back to ``chunk``.

    Returns ``(m, offsets)``; ``offsets`` is None when ``m`` aligns with
    ``chunk`` one to one, else an int64 array of len(m) + 1 (last = len(chunk));
    ``sentinel=False`` leaves the last entry out (saves a copy).
    """
    lut, lens, expansions = _tables()
    if units is None:
        units = np.frombuffer(chunk.encode("utf-16-le"), dtype=np.uint16)
    astral = len(units) != len(chunk)
    codes = np.take(_LUT_CACHE["fast"], units)  # one table lookup
    if not astral and codes.min(initial=32) > 1:
        return codes.tobytes().decode("utf-16-le"), None
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
    return out.tobytes().decode("utf-16-le"), offsets


# ---------------------------------------------------------------------------
# the compiled matcher
# ---------------------------------------------------------------------------
def _proclitic_variants(form: str) -> list[tuple[str, int]]:
    """(variant, number of leading characters to strip from the surface)."""
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


def _cache_dir() -> Path | None:
    env = os.environ.get("ANALYSIS_CACHE_DIR")
    if env == "":
        return None
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "analysis"


class _Matcher:
    """Everything extract_mentions needs from a gazetteer, compiled once.

    The compiled form is cached on disk (``$ANALYSIS_CACHE_DIR``, default
    ``~/.cache/analysis``; set it to an empty string to disable), keyed by the
    gazetteer's content and this code, so a changed gazetteer recompiles.
    """

    @classmethod
    def cached(cls, gaz: Gazetteer) -> "_Matcher":
        import hashlib
        import json
        import pickle

        folder = _cache_dir()
        if folder is None:
            return cls(gaz)
        h = hashlib.sha1(json.dumps(gaz.data, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8"))
        for mod in (__file__, Path(__file__).with_name("gazetteer.py"), Path(__file__).parent.parent / "text" / "normalize.py"):
            try:
                h.update(Path(mod).read_bytes())
            except OSError:
                return cls(gaz)
        path = folder / f"matcher-{h.hexdigest()[:20]}.pkl"
        try:
            with open(path, "rb") as fh:
                state = pickle.load(fh)
            obj = cls.__new__(cls)
            obj.__dict__.update(state)
            obj.gaz = gaz
            obj.rules = gaz.rules
            return obj
        except Exception:  # no cache yet, or unreadable: compile
            pass
        obj = cls(gaz)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            state = {k: v for k, v in obj.__dict__.items() if k not in ("gaz", "rules")}
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with open(tmp, "wb") as fh:
                pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
            old = sorted(folder.glob("matcher-*.pkl"), key=lambda q: q.stat().st_mtime)[:-8]
            for q in old:  # keep the eight most recent
                q.unlink()
        except Exception:  # read-only home etc.: just do without the cache
            pass
        return obj

    def __init__(self, gaz: Gazetteer):
        import ahocorasick

        self.gaz = gaz
        ent = gaz.entities
        self.ent_ids = ent["entity_id"].to_numpy(dtype=object)
        self.ent_types = ent["type"].to_numpy(dtype=object)
        self.ent_country = np.array([c if isinstance(c, str) else None for c in ent["country"]], dtype=object)
        self.ent_index = {e: i for i, e in enumerate(self.ent_ids)}
        self.offices = list(gaz.offices.values())
        office_index = {o.office_id: i for i, o in enumerate(self.offices)}
        self.office_country = [self.ent_index.get(o.country, -1) if o.country else -1 for o in self.offices]
        self.office_holders = [
            [(self.ent_index[p], s.to_datetime64() if s is not None else None,
              e.to_datetime64() if e is not None else None) for p, s, e in o.holders]
            for o in self.offices
        ]
        self.rules = gaz.rules

        forms = gaz.forms()
        # country forms (names + demonyms) for derived mentions inside other names
        country_forms: dict[str, int] = {}
        kind_of: dict[tuple[str, int], int] = {}
        is_country = set(ent.loc[ent["type"] == "country", "entity_id"])
        for r in forms.itertuples(index=False):
            if r.kind in ("name", "demonym") and isinstance(r.entity_id, str):
                eidx = self.ent_index[r.entity_id]
                k = K_NAME if r.kind == "name" else K_DEMONYM
                if kind_of.get((r.form, eidx), 9) > k:
                    kind_of[(r.form, eidx)] = k
                if r.entity_id in is_country and r.form not in country_forms:
                    country_forms[r.form] = eidx
        self.kind_of = kind_of
        cf_variants: dict[str, tuple[int, int]] = {}
        for f, eidx in country_forms.items():
            for v, strip in _proclitic_variants(f):
                if v not in cf_variants or strip == 0:
                    cf_variants[v] = (eidx, strip)
        max_words = max((f.count(" ") + 1 for f in cf_variants), default=1)

        def derived_in(form: str) -> list[tuple[int, int, int]]:
            words = form.split(" ")
            pos = [0]
            for w in words:
                pos.append(pos[-1] + len(w) + 1)
            out = []
            i = 0
            while i < len(words):
                for j in range(min(len(words), i + max_words), i, -1):
                    cand = " ".join(words[i:j])
                    hit = cf_variants.get(cand)
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
        for r in forms.itertuples(index=False):
            if r.kind == "block":
                ptype, target = P_BLOCK, -1
            elif r.kind == "office":
                ptype, target = P_OFFICE, office_index[r.office_id]
            elif r.kind == "ambiguous":
                ptype, target = P_RULE, int(r.rule)
            else:
                ptype, target = P_ENTITY, self.ent_index[r.entity_id]
            kind = K_NAME if r.kind in ("name", "ambiguous", "block") else (K_DEMONYM if r.kind == "demonym" else K_OFFICE)
            etype = self.ent_types[target] if ptype == P_ENTITY else None
            derive = ptype == P_OFFICE or (ptype == P_ENTITY and etype in ("organization", "place"))
            if derive:
                der = der_cache.get(r.form)
                if der is None:
                    der = der_cache[r.form] = derived_in(r.form)
            else:
                der = []
            prio = r.priority
            for variant, strip in _proclitic_variants(r.form):
                rank = (strip == 0 and variant == r.form, prio)
                old = best.get(variant)
                if old is not None and old[0] >= rank:
                    continue
                best[variant] = (rank, ptype, target, kind, strip, der, r.form)
        self.n_patterns = len(best)
        variants = sorted(best)
        vals = [best[v] for v in variants]
        self.p_type = np.array([v[1] for v in vals], dtype=np.int8)
        self.p_target = np.array([v[2] for v in vals], dtype=np.int32)
        self.p_kind = np.array([v[3] for v in vals], dtype=np.int8)
        self.p_strip = np.array([v[4] for v in vals], dtype=np.int32)
        self.p_len = np.array([len(v) + 2 for v in variants], dtype=np.int32)
        self.p_derived: list[list[tuple[int, int, int]]] = [v[5] for v in vals]
        self.p_form: list[str] = [v[6] for v in vals]
        A = ahocorasick.Automaton()
        add = A.add_word
        for pid, variant in enumerate(variants):
            add(" " + variant + " ", pid)
        A.make_automaton()
        self.automaton = A
        self.any_derived = np.array([bool(d) for d in self.p_derived])

    # -- per chunk ---------------------------------------------------------
    def run_chunk(self, fields: list[str], dates: np.ndarray, art_offset: int, categories=None) -> dict:
        """Mentions of a chunk of fields [title0, text0, title1, text1, ...]."""
        chunk = "\n" + "\n".join(fields) + "\n"
        lengths = np.fromiter((len(f) for f in fields), dtype=np.int64, count=len(fields))
        fstart = np.cumsum(np.concatenate(([1], lengths[:-1] + 1))) if len(fields) else np.zeros(0, np.int64)
        units = np.frombuffer(chunk.encode("utf-16-le"), dtype=np.uint16)
        m, offs = match_form(chunk, units, sentinel=False)  # hits never end at len(m)
        flat = np.fromiter(chain.from_iterable(self.automaton.iter(m)), dtype=np.int64)
        empty = _empty_result()
        if not len(flat):
            return empty
        pend = flat[0::2]
        pid = flat[1::2]
        nstart = pend - self.p_len[pid] + 2
        nend = pend
        # leftmost-longest resolution
        order = np.lexsort((-(nend - nstart), nstart))
        nstart, nend, pid = nstart[order], nend[order], pid[order]
        keep = _resolve_overlaps(nstart, nend, self._truncates(pid, nstart, nend))
        nstart, nend, pid = nstart[keep], nend[keep], pid[keep]
        ptype = self.p_type[pid]
        # map to chunk positions, then to fields
        if offs is None:
            o_start, o_end = nstart, nend
        else:
            o_start, o_end = offs[nstart], offs[nend]
        fidx = np.searchsorted(fstart, o_start, side="right") - 1
        fidx_end = np.searchsorted(fstart, np.maximum(o_end - 1, o_start), side="right") - 1
        ok = fidx == fidx_end
        if not ok.all():
            nstart, nend, pid, ptype, o_start, o_end, fidx = (
                a[ok] for a in (nstart, nend, pid, ptype, o_start, o_end, fidx))
        art = fidx // 2
        if categories is None:
            categories = [None] * (len(fields) // 2)

        rows_art: list[int] = []
        rows_field: list[int] = []
        rows_ent: list[int] = []
        rows_kind: list[int] = []
        rows_s: list[int] = []
        rows_e: list[int] = []

        def pos_map(p):
            return p if offs is None else int(offs[p])

        # plain entity hits (vectorized)
        sel = ptype == P_ENTITY
        strip = self.p_strip[pid]
        if sel.any():
            s_norm = nstart[sel] + strip[sel]
            s_orig = s_norm if offs is None else offs[s_norm]
            rows_art.extend((art[sel]).tolist())
            rows_field.extend(fidx[sel].tolist())
            rows_ent.extend(self.p_target[pid[sel]].tolist())
            rows_kind.extend(self.p_kind[pid[sel]].tolist())
            rows_s.extend(np.asarray(s_orig).tolist())
            rows_e.extend(np.asarray(o_end[sel]).tolist())
        # derived mentions of entity and office patterns
        has_der = self.any_derived[pid] & ((ptype == P_ENTITY) | (ptype == P_OFFICE))
        for i in np.flatnonzero(has_der):
            base = int(nstart[i] + strip[i])
            for rs, re_, eidx in self.p_derived[pid[i]]:
                rows_art.append(int(art[i]))
                rows_field.append(int(fidx[i]))
                rows_ent.append(eidx)
                rows_kind.append(K_DERIVED)
                rows_s.append(pos_map(base + rs))
                rows_e.append(pos_map(base + re_))
        # article cues for ambiguity rules: entities named unambiguously
        cues: set[tuple[int, int]] = set(zip(rows_art, rows_ent))
        # offices -> person by date
        off_idx = np.flatnonzero(ptype == P_OFFICE)
        person_type = "person"
        for i in off_idx:
            a = int(art[i])
            office = int(self.p_target[pid[i]])
            # next token: السابق / المنتخب ... -> no person
            nxt = _next_token(m, int(nend[i]))
            if nxt in _SUSPEND_AFTER_OFFICE:
                continue
            # a person's name right after the title: the name is the mention
            if i + 1 < len(pid) and ptype[i + 1] in (P_ENTITY, P_RULE) and not m[nend[i]:nstart[i + 1]].strip():
                nxt_t = self.p_target[pid[i + 1]]
                if ptype[i + 1] == P_RULE or self.ent_types[nxt_t] == person_type:
                    continue
            holder = self._holder(office, dates[a])
            if holder < 0:
                continue
            rows_art.append(a)
            rows_field.append(int(fidx[i]))
            rows_ent.append(holder)
            rows_kind.append(K_OFFICE)
            rows_s.append(pos_map(int(nstart[i] + strip[i])))
            rows_e.append(int(o_end[i]))
            cues.add((a, holder))
        # ambiguous names
        for i in np.flatnonzero(ptype == P_RULE):
            a = int(art[i])
            rule = self.rules[int(self.p_target[pid[i]])]
            eidx = self._decide(rule, m, int(nstart[i]), int(nend[i]), a, cues, categories[a])
            if eidx < 0:
                continue
            rows_art.append(a)
            rows_field.append(int(fidx[i]))
            rows_ent.append(eidx)
            rows_kind.append(self.kind_of.get((self.p_form[pid[i]], eidx), K_NAME))
            rows_s.append(pos_map(int(nstart[i] + strip[i])))
            rows_e.append(int(o_end[i]))
        if not rows_art:
            return empty
        r_art = np.asarray(rows_art, dtype=np.int64)
        r_field = np.asarray(rows_field, dtype=np.int64)
        r_s = np.asarray(rows_s, dtype=np.int64) - fstart[r_field]
        r_e = np.asarray(rows_e, dtype=np.int64) - fstart[r_field]
        r_ent = np.asarray(rows_ent, dtype=np.int32)
        r_kind = np.asarray(rows_kind, dtype=np.int8)
        order = np.lexsort((r_ent, r_kind, r_e, r_s, r_field))
        r_art, r_field, r_s, r_e, r_ent, r_kind = (x[order] for x in (r_art, r_field, r_s, r_e, r_ent, r_kind))
        # paragraphs and sentences (vectorized over the chunk), surfaces
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

    def _truncates(self, pid, nstart, nend):
        """For an overlap cluster: hits whose embedded country name is cut short
        by the hit's end while another hit extends it (رئيس روسيا | روسيا البيضاء)."""
        def drop(lo: int, hi: int) -> set:
            out = set()
            for j in range(lo, hi):
                der = self.p_derived[pid[j]]
                if not der:
                    continue
                base = int(nstart[j] + self.p_strip[pid[j]])
                for rs, _re, _e in der:
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

    def _decide(self, rule, m: str, s: int, e: int, art: int, cues, category=None) -> int:
        prev = _prev_token(m, s)
        nxt = _next_token(m, e)
        if _token_in(prev, rule.reject_before) or _token_in(nxt, rule.reject_after):
            return -1
        for ch in rule.choices:
            if _token_in(prev, ch["before"]) or _token_in(nxt, ch["after"]):
                return self.ent_index[ch["entity"]]
        for ch in rule.choices:
            for cue in ch["article"]:
                if (art, self.ent_index[cue]) in cues:
                    return self.ent_index[ch["entity"]]
        if rule.default is None or (category is not None and category in rule.no_default_in):
            return -1
        return self.ent_index[rule.default]


def _token_in(tok: str, words: frozenset) -> bool:
    if not tok or not words:
        return False
    if tok in words:
        return True
    # the neighbour may carry proclitics: و ف + ب ل ك, لل = ل + ال
    cands = []
    t = tok
    if t[0] in "وف" and len(t) > 2:
        t = t[1:]
        cands.append(t)
    if t[0] in "بلك" and len(t) > 2:
        cands.append(t[1:])
        if t.startswith("لل"):
            cands.append("ا" + t[1:])
    return any(c in words for c in cands)


def _prev_token(m: str, s: int) -> str:
    seg = m[max(0, s - 40):s].split()
    return seg[-1] if seg else ""


def _next_token(m: str, e: int) -> str:
    seg = m[e:e + 40].split()
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
    # most clusters are one long hit holding shorter ones: keep its first hit
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


def _empty_result() -> dict:
    z = np.zeros(0, dtype=np.int64)
    return {"art": z, "field": z.astype(np.int8), "paragraph": z.astype(np.int32),
            "sentence": z.astype(np.int32), "ent": z.astype(np.int32), "kind": z.astype(np.int8),
            "start": z, "end": z, "surface": []}


# ---------------------------------------------------------------------------
# driver
# ---------------------------------------------------------------------------
_JOB: dict = {}


def _work(bounds: tuple[int, int]) -> dict:
    lo, hi = bounds
    job = _JOB
    return job["matcher"].run_chunk(job["fields"][2 * lo:2 * hi], job["dates"][lo:hi], lo,
                                    job["categories"][lo:hi])


def _as_gazetteer(gazetteer) -> Gazetteer:
    if gazetteer is None:
        return load_gazetteer()
    if isinstance(gazetteer, Gazetteer):
        return gazetteer
    if isinstance(gazetteer, (str, Path, dict)):
        return load_gazetteer(extra=gazetteer)
    raise TypeError("gazetteer must be None, a Gazetteer, or a path/dict extending the built-in one")


def _text_column(articles: pd.DataFrame, name: str) -> list[str]:
    if name not in articles.columns:
        return [""] * len(articles)
    col = articles[name]
    return ["" if not isinstance(v, str) else v for v in col.tolist()]


def extract_mentions(articles: pd.DataFrame, gazetteer=None, progress: bool = True, *,
                     n_jobs: int | None = None, chunk_size: int = 1000) -> pd.DataFrame:
    """Find gazetteer entities in every article's title and text.

    Parameters
    ----------
    articles : DataFrame
        The articles table (``analysis.load_corpus``): needs ``article_id``
        and ``text``; ``title`` and ``published`` are used when present
        (``published`` resolves office titles to office holders).
    gazetteer : None, Gazetteer, or path / dict
        None: the built-in gazetteer. A path (or parsed dict) *extends or
        overrides* the built-in one (same as ``load_gazetteer(extra=...)``).
    progress : bool
        Show a tqdm progress bar.
    n_jobs : int, optional
        Worker processes (fork). Default: all cores for 4,000+ articles, else 1.

    Returns
    -------
    DataFrame with columns ``article_id``, ``field`` ("title" or "text"),
    ``paragraph``, ``sentence`` (numbered from 0 within the field; the title
    is paragraph 0 of field "title"), ``entity_id``, ``entity_type``,
    ``country`` (ISO3 the entity belongs to, or None), ``mention_kind``
    ("name", "demonym", "derived" or "office"), ``start``, ``end`` (offsets
    into the original title/text; ``surface == original[start:end]``) and
    ``surface``. Sorted by article (input order), field, start, end.
    """
    if not isinstance(articles, pd.DataFrame):
        raise TypeError("extract_mentions expects the articles DataFrame (see analysis.load_corpus)")
    for col in ("article_id", "text"):
        if col not in articles.columns:
            raise ValueError(f"extract_mentions: the articles table has no {col!r} column")
    gaz = _as_gazetteer(gazetteer)
    matcher = gaz.matcher
    n = len(articles)
    titles = _text_column(articles, "title")
    texts = _text_column(articles, "text")
    fields = [None] * (2 * n)
    fields[0::2] = titles
    fields[1::2] = texts
    if "published" in articles.columns:
        pub = pd.to_datetime(articles["published"], errors="coerce", utc=True)
        dates = pub.dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")
    else:
        dates = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    chunks = [(lo, min(n, lo + chunk_size)) for lo in range(0, n, chunk_size)]
    if n_jobs is None:
        n_jobs = min(os.cpu_count() or 1, len(chunks)) if n >= 4000 else 1
    n_jobs = max(1, min(int(n_jobs), max(1, len(chunks))))

    from tqdm.auto import tqdm

    if "category" in articles.columns:
        categories = [c if isinstance(c, str) else None for c in articles["category"].tolist()]
    else:
        categories = [None] * n
    _JOB.update(matcher=matcher, fields=fields, dates=dates, categories=categories)
    results = []
    try:
        bar = tqdm(total=n, desc="mentions", unit="art", disable=not progress)
        if n_jobs > 1 and hasattr(os, "fork"):
            import multiprocessing as mp

            with mp.get_context("fork").Pool(n_jobs) as pool:
                for (lo, hi), res in zip(chunks, pool.imap(_work, chunks)):
                    results.append(res)
                    bar.update(hi - lo)
        else:
            for lo, hi in chunks:
                results.append(_work((lo, hi)))
                bar.update(hi - lo)
        bar.close()
    finally:
        _JOB.clear()
    return _assemble(results, articles, matcher)


def _assemble(results: list[dict], articles: pd.DataFrame, matcher: _Matcher) -> pd.DataFrame:
    if not results:
        results = [_empty_result()]
    cat = {k: np.concatenate([r[k] for r in results]) for k in results[0] if k != "surface"}
    surfaces = [s for r in results for s in r["surface"]]
    ids = articles["article_id"].to_numpy(dtype=object)
    ent = cat["ent"]
    df = pd.DataFrame({
        "article_id": ids[cat["art"]] if len(ids) else np.zeros(0, dtype=object),
        "field": np.asarray(FIELDS, dtype=object)[cat["field"]],
        "paragraph": cat["paragraph"].astype(np.int64),
        "sentence": cat["sentence"].astype(np.int64),
        "entity_id": matcher.ent_ids[ent],
        "entity_type": matcher.ent_types[ent],
        "country": matcher.ent_country[ent],
        "mention_kind": np.asarray(KINDS, dtype=object)[cat["kind"]],
        "start": cat["start"].astype(np.int64),
        "end": cat["end"].astype(np.int64),
        "surface": np.asarray(surfaces, dtype=object),
    }, columns=MENTION_COLUMNS)
    return df
