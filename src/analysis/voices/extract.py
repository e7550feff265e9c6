"""Statements: who is quoted in each article, saying what, about whom.

``extract_quotes(articles, mentions)`` returns the statements table (columns
in :data:`STATEMENT_COLUMNS`, listed in the function's docstring). How it
works (the rules and their measured accuracy: README, "Voices: who is quoted"):

1. Titles and texts are joined into chunks and put into the package's match
   form (:func:`analysis.entities.mentions.match_form`: the normalization of
   :mod:`analysis.text.normalize`, every non-letter a space, with the map back
   to the original). Tokens are the runs of letters of that form; the
   punctuation between two tokens (comma, colon, quotation marks) is read from
   the original text, for all tokens at once (numpy).
2. One Aho-Corasick automaton holds every reporting-verb form of
   :mod:`analysis.voices.verbs` padded with spaces, so every hit is a whole
   token (وقال، فأضافت، يقولون، مؤكدا). Each hit is placed in its paragraph and
   sentence with the segmenter's own numbering
   (:func:`analysis.text.segment.sentence_ids_in_fields`).
3. The *speaker slot* after the verb is read token by token with the
   mentions table (entity, type, country and kind of each mention) and word
   lists (titles, institutions, unnamed sources, adjuncts): an addressee
   (لرويترز، لـ«سكاي نيوز») is skipped; the phrase stops at a comma, an adjunct
   (في بيان، خلال مؤتمر، أمس) or the content opener (أن / إن / colon /
   quotation mark / قائلا). In نقلت وكالة X عن Y, Y is the speaker and X the
   channel (``via``).
4. No speaker after the verb: the subject right before it (لافروف قال، وكان
   بوتين قد قال), else the speaker of the previous statement of the field that
   agrees with the verb's gender (وأضافت after قالت الوزارة), else the first
   person named in the nearest earlier sentence. Definite anaphoric heads
   (المصدر، المسؤول، البيان) take the entity and country of the statement they
   refer back to.
5. The content runs from the opener to the end of the sentence or the next
   statement, or inside the quotation marks (``direct``), or is the quotation
   right before the verb («...»، قال لافروف). Verbs inside a quotation or inside
   another statement's reported content, and participles continuing a
   statement (قال ... مضيفا أن), are not statements of their own.
6. The speaker's country: its entity, else a country name or demonym in its
   words, else an earlier mention of it, else (``context_country``) the
   country the article is about, marked in ``speaker_country_basis``.

Thread-safe: the only module state is the compiled lexicon, cached by its
arguments and never changed after it is built.
"""
from __future__ import annotations

import bisect
import os
from functools import lru_cache
from itertools import chain, islice

import numpy as np
import pandas as pd

from analysis.entities.matcher import match_codes
from analysis.text.segment import sentence_ids_in_fields
from analysis.voices import verbs as V

__all__ = ["extract_quotes", "STATEMENT_COLUMNS", "SPEAKER_KINDS"]

STATEMENT_COLUMNS = [
    "article_id", "field", "paragraph", "sentence", "verb", "lemma", "verb_start", "verb_end",
    "speaker_id", "speaker_text", "speaker_start", "speaker_end", "speaker_paragraph", "speaker_sentence",
    "speaker_country", "speaker_country_basis", "speaker_kind", "direct", "quote_start", "quote_end", "quote_entities",
    "quote_countries", "via",
]
SPEAKER_KINDS = ("person", "office", "institution", "unnamed_source", "pronoun_or_earlier")
FIELDS = ("title", "text")

# punctuation classes of the gap before a token (bits)
COMMA, COLON, OPENQ, CLOSEQ, OTHER, TERM = 1, 2, 4, 8, 16, 32
BREAK = COMMA | COLON | OPENQ | CLOSEQ | OTHER
BREAK_OR_TERM = BREAK | TERM
_OPEN_Q = "«“\"„‹"
_CLOSE_Q = "»”\"‟›"
_CLASS_CHARS = {COMMA: "،,", COLON: ":", OPENQ: _OPEN_Q, CLOSEQ: _CLOSE_Q, OTHER: "()[]{}-–—;|",
                TERM: ".!?؟؛…"}
_TERM = ".!?؟؛…"
_SEG_CLOSERS = "\"'»”’)]}"  # closers the segmenter keeps with a sentence end
_NEWLINES = "\n\r\u2029\u2028"


# word lists, bound once (module attribute lookups cost in the inner loops)
_STOP_WORDS = V.STOP_WORDS
_OPENERS = V.OPENERS
_PREPOSITIONS = V.PREPOSITIONS
_OPENING_PARTICIPLES = V.OPENING_PARTICIPLES
_NON_NAMES = V.NON_NAMES
_GENITIVES = V.GENITIVES
_ADDRESSEES = V.ADDRESSEES

# ---------------------------------------------------------------------------
# the compiled lexicon (built once per argument set; never changed afterwards)
# ---------------------------------------------------------------------------
class _Lexicon:
    def __init__(self, tier: str, attributions: bool, title_heads: frozenset, bare: tuple = ()):
        import ahocorasick

        self.forms = V.verb_forms(tier, attributions)
        self.titles = V.TITLE_WORDS | title_heads
        self.entries = sorted(self.forms)
        A = ahocorasick.Automaton()
        for i, f in enumerate(self.entries):
            A.add_word(" " + f + " ", i)
        A.make_automaton()
        self.automaton = A
        self.entry_len = np.array([len(f) for f in self.entries], dtype=np.int64)
        self.media_heads = V.MEDIA_HEADS | {"مرصد"}
        self.participles = frozenset(f for f, v in self.forms.items() if v.tense == "participle")
        self.bare = {key: (eid, country) for key, eid, country in bare}  # bare surname -> its one person


@lru_cache(maxsize=8)
def _lexicon(tier: str, attributions: bool, title_heads: frozenset, bare: tuple = ()) -> _Lexicon:
    return _Lexicon(tier, attributions, title_heads, bare)


def _bare_persons(gazetteer) -> tuple:
    """(match key, person id, country) of every ``bare`` surname that belongs to one person only
    (كلوب، هازارد، نويرت): a speaker named by it alone is that person."""
    from analysis.entities.gazetteer import match_key

    owners: dict[str, set] = {}
    ent = gazetteer.entities.set_index("entity_id")
    for eid in ent.index[ent["type"] == "person"]:
        for name in gazetteer.bare_names(eid):
            owners.setdefault(match_key(name), set()).add(eid)
    return tuple(sorted((k, next(iter(e)), str(ent.at[next(iter(e)), "country"] or ""))
                        for k, e in owners.items() if len(e) == 1 and " " not in k))


def _title_heads(gazetteer) -> frozenset:
    """First words of the gazetteer's office titles (رئيس، وزير، المرشد ...), without ال."""
    from analysis.entities.gazetteer import match_key

    out = set()
    for office in gazetteer.offices.values():
        for title in office.titles:
            words = match_key(title.split("{")[0]).split()
            if words:
                out.add(_deal(words[0]))
    return frozenset(w for w in out if len(w) > 1)


def _with_article(words) -> frozenset:
    """The words with and without ال (for lookups without stripping the article)."""
    return frozenset(words) | frozenset("ال" + w for w in words)


_MEDIA_ANY = _with_article(V.MEDIA_HEADS)
_INSTITUTION_ANY = _with_article(V.INSTITUTION_WORDS)
_UNNAMED_MODS_ANY = _with_article(V.UNNAMED_MODS)
_MEDIA_FIRST = frozenset(n.split()[0] for n in V.MEDIA_COUNTRIES)


_REPORT_HEADS = frozenset({"تقارير", "تقرير", "انباء", "اخبار"})


def _addressee_after(tok: str) -> bool:
    """Is ``tok`` whom the words were said to, after the speaker (بومبيو لصحافيين، المتحدث راج شاه
    لوكالة فرانس برس)? ل + a medium without the article (للوكالة may be "of the agency")."""
    return tok in _ADDRESSEES or (len(tok) > 3 and tok[0] == "ل" and tok[1] != "ل" and tok[1:] in V.MEDIA_HEADS)


def _deal(tok: str) -> str:
    """A token without the article ال."""
    return tok[2:] if tok.startswith("ال") and len(tok) > 3 else tok


@lru_cache(maxsize=65536)
def _head_kind(tok: str, titles: frozenset) -> str | None:
    """Which speaker word list a token belongs to (article and و / ف ignored)."""
    for t in ((tok, tok[1:]) if len(tok) > 3 and tok[0] in "وف" else (tok,)):
        b = _deal(t)
        if b in V.UNNAMED_WORDS:
            return "unnamed"
        if b in titles:
            return "title"
        if b in V.DESCRIPTOR_WORDS:
            return "descriptor"
        if b in V.DOCUMENT_WORDS:
            return "document"
        if b in V.INSTITUTION_WORDS or t in V.INSTITUTION_WORDS:
            return "institution"
    return None


def _is_name_token(tok: str, first: bool) -> bool:
    """Could ``tok`` be (part of) a person's name that the gazetteer does not know?"""
    if len(tok) < 2 or tok in _NON_NAMES or tok in _STOP_WORDS or tok in _OPENERS \
            or tok in _OPENING_PARTICIPLES or tok in _GENITIVES:
        return False
    if tok[0] in "وف" and (tok[1:] in _NON_NAMES or tok[1:] in _STOP_WORDS):
        return False  # وهي، وهو، فيما
    if tok[0] in "وفبلك" and tok[1:] in _DEMONSTRATIVES:
        return False  # بهذه، لذلك، وتلك
    if len(tok) > 3 and tok.endswith(("ها", "هم", "هما")):
        return False  # a noun with a pronoun suffix (دعمها، حمايتهم)
    if len(tok) > 3 and tok[0] in "بف" and tok[1:] in V.DOCUMENT_WORDS:
        return False  # بتغريدة، ببيان: the means, not a name
    if len(tok) > 4 and tok[0] in "بل" and tok.endswith("ه") and tok[1] != "ا":
        return False  # بمدربه، لزميله: a preposition, a noun and a pronoun
    if not first and len(tok) > 5 and tok.startswith(("بال", "وبال", "كال")):
        return False  # إبراهيموفيتش بالحديث: a preposition and a noun, not a surname
    return not (first and tok.startswith("ال"))


# ---------------------------------------------------------------------------
# one chunk of fields: tokens, gaps, mentions, sentence bounds
# ---------------------------------------------------------------------------
def _class_table() -> np.ndarray:
    """uint8 punctuation bits of every BMP code point (see COMMA ... TERM); bit 64: a sentence
    can end after it (terminator or closer), bit 128: a line break."""
    lut = np.zeros(0x10000, dtype=np.uint8)
    for bit, chars in _CLASS_CHARS.items():
        for c in chars:
            lut[ord(c)] |= bit
    for c in _TERM + _SEG_CLOSERS:
        lut[ord(c)] |= 64
    for c in _NEWLINES:
        lut[ord(c)] |= 128
    return lut


_CLASSES = _class_table()
# characters after which a straight quote (") opens a quotation
_OPEN_BEFORE = np.array([ord(c) for c in " \t\n\r\u00a0(«:،,[{-—–ـ"], dtype=np.uint16)  # ـ: بـ"..."


def _sentence_bounds(units, ufstart, upos, ufield, cls):
    """Paragraph, sentence, start and end (unit indices) of the sentence holding each position.

    :func:`analysis.text.segment.sentence_ids_in_fields` is evaluated at every
    place a sentence can end (after a terminator or a closer, at a line
    break); a sentence ends where that numbering moves on, so the bounds
    follow the segmenter's rules exactly.
    """
    n = len(units)
    cand = np.union1d(np.flatnonzero(cls & 64) + 1, np.flatnonzero(cls & 128))
    cand = cand[cand < n]
    cfield = np.maximum(np.searchsorted(ufstart, cand, side="right") - 1, 0)
    # one pass of the segmenter for the hits and the candidates
    p_all, s_all = sentence_ids_in_fields(units, ufstart, np.concatenate((upos, cand)),
                                          np.concatenate((ufield, cfield)))
    para, sent = p_all[:len(upos)], s_all[:len(upos)]
    cpara, csent = p_all[len(upos):], s_all[len(upos):]
    ckey = (cfield.astype(np.int64) << 40) | (cpara.astype(np.int64) << 20) | csent.astype(np.int64)
    key = (ufield.astype(np.int64) << 40) | (para.astype(np.int64) << 20) | sent.astype(np.int64)
    field_end = np.append(ufstart[1:] - 1, n - 1)[ufield]  # the newline after the field
    if not len(cand):
        return para, sent, ufstart[ufield], field_end
    j = np.searchsorted(ckey, key, side="right")
    end = np.minimum(np.where(j < len(cand), cand[np.minimum(j, len(cand) - 1)], n), field_end)
    jl = np.searchsorted(ckey, key, side="left")
    jc = np.minimum(jl, len(cand) - 1)
    # a field's first sentence starts with the field; any other where the numbering reaches it
    later = ((para > 0) | (sent > 0)) & (jl < len(cand)) & (ckey[jc] == key) & (cand[jc] <= upos)
    start = np.where(later, cand[jc], ufstart[ufield])
    return para, sent, start, end


class _Chunk:
    """The match form of a chunk of fields with its tokens, their gaps and the mentions on them."""

    def __init__(self, fields: list[str], ment: dict):
        chunk = "\n" + "\n".join(fields) + "\n"
        self.chunk = chunk
        lengths = np.fromiter((len(f) for f in fields), dtype=np.int64, count=len(fields))
        self.fstart = np.cumsum(np.concatenate(([1], lengths[:-1] + 1))) if len(fields) else np.zeros(0, np.int64)
        self.fstart_l = self.fstart.tolist()
        units = np.frombuffer(chunk.encode("utf-16-le"), dtype=np.uint16)
        self.units = units
        codes, offs = match_codes(chunk, units, True)  # the match form (analysis.entities.matcher.match_form)
        m = codes.tobytes().decode("utf-16-le")
        self.m = m
        self.offs = offs
        # astral characters take two UTF-16 units: str index <-> unit index
        self.high_str = None
        if len(units) != len(chunk):
            high = np.flatnonzero((units >= 0xD800) & (units < 0xDC00))
            self.high_str = high - np.arange(len(high))
        # tokens: runs of letters of the match form
        letter = np.concatenate(([False], codes != 32, [False]))
        edge = np.flatnonzero(letter[1:] != letter[:-1])
        ts, te = edge[0::2], edge[1::2]
        self.tok = m.split()
        assert len(self.tok) == len(ts)
        cs = ts if offs is None else offs[ts]  # chunk position of each token's first character
        ce = te if offs is None else offs[np.maximum(te - 1, 0)] + 1
        self.ts_arr, self.cs_arr, self.ce_arr = ts, cs, ce
        self.cs, self.ce = cs.tolist(), ce.tolist()
        # punctuation in the gap before every token: OR of the bits of its characters
        self.cls = _CLASSES[units]
        pp = np.flatnonzero(self.cls & BREAK_OR_TERM)
        self.p_pos = self.from_units(pp)  # chunk positions of punctuation, sorted
        bits = self.cls[pp].astype(np.int64) & BREAK_OR_TERM
        # a straight quote opens after a space or an opening mark, else it closes
        straight = units[pp] == 34
        if straight.any():
            prev = units[np.maximum(pp[straight] - 1, 0)]
            opening = np.isin(prev, _OPEN_BEFORE) | (pp[straight] == 0)
            bits[straight] = np.where(opening, (bits[straight] & ~CLOSEQ), (bits[straight] & ~OPENQ))
        self.p_bits = bits
        gap_bits = np.zeros(len(ts) + 1, dtype=np.int64)
        gap_of = np.searchsorted(cs, self.p_pos, side="right")
        for bit in (COMMA, COLON, OPENQ, CLOSEQ, OTHER, TERM):  # OR per bit (a fancy assignment of one value)
            gap_bits[gap_of[(bits & bit) != 0]] |= bit
        self.gap_bits = gap_bits.tolist()
        # tokens inside a quotation of 4 tokens or more (the speaker's own words)
        in_quote = np.zeros(len(ts) + 1, dtype=bool)
        marks = np.flatnonzero(gap_bits & (OPENQ | CLOSEQ))
        open_at = -1
        for k in marks.tolist():
            b = int(gap_bits[k])
            if open_at >= 0 and b & CLOSEQ:  # the quotation opened at open_at closes before token k
                if k - open_at >= 4:
                    in_quote[open_at:k] = True
                open_at = -1
            if b & OPENQ:  # (a mark opening again before a close restarts the quotation)
                open_at = k
        self.in_quote = in_quote
        # mentions: chunk positions, tokens
        f = ment["f"]
        mcs = self.fstart[f] + ment["start"] if len(f) else np.zeros(0, np.int64)
        mce = self.fstart[f] + ment["end"] if len(f) else np.zeros(0, np.int64)
        mms = self.to_m(mcs)
        tok_of = np.searchsorted(ts, mms, side="right") - 1
        last_tok = np.searchsorted(te, self.to_m(mce), side="left")
        self.m_cs, self.m_ce = mcs.tolist(), mce.tolist()
        self.m_tok = tok_of.tolist()
        self.m_last = np.maximum(last_tok, tok_of).tolist()
        self.m_pre = (mms - ts[np.maximum(tok_of, 0)]).tolist() if len(ts) else []  # proclitic letters
        self.m_f = f.tolist()
        self.m_eid, self.m_type, self.m_country, self.m_kind = ment["eid"], ment["etype"], ment["country"], ment["kind"]
        self.m_para, self.m_sent = ment["para"].tolist(), ment["sent"].tolist()
        # tokens inside a person's or body's name after its first (كامليا انتخابي فرد: فرد is no verb)
        named = np.isin(np.asarray(self.m_type, dtype=object), ("person", "organization")) if len(f) else np.zeros(0, bool)
        cover = np.zeros(len(ts) + 2, dtype=np.int64)
        if named.any():
            a, b = tok_of[named] + 1, np.maximum(last_tok, tok_of)[named] + 1
            ok_ = (tok_of[named] >= 0) & (a < b)
            np.add.at(cover, a[ok_], 1)
            np.add.at(cover, b[ok_], -1)
        self.inside_name = (np.cumsum(cover)[:len(ts) + 1] > 0).tolist()
        tok_ment = np.full(len(ts) + 1, -1, dtype=np.int64)
        ok = (tok_of >= 0) & (mms - ts[np.maximum(tok_of, 0)] <= 2) if len(ts) else np.zeros(0, bool)
        idx = np.flatnonzero(ok)[::-1]
        tok_ment[tok_of[idx]] = idx  # the first mention starting in a token wins
        self.tok_ment = tok_ment.tolist()

    def to_m(self, pos):
        """Chunk (str) positions -> match-form positions (the first at or after)."""
        if self.offs is None:
            return np.asarray(pos, dtype=np.int64)
        return np.searchsorted(self.offs, pos, side="left")

    def to_units(self, pos):
        if self.high_str is None:
            return pos
        return pos + np.searchsorted(self.high_str, pos, side="left")

    def from_units(self, upos):
        if self.high_str is None:
            return upos
        high_units = self.high_str + np.arange(len(self.high_str))
        return upos - np.searchsorted(high_units, upos, side="left")

    def bits(self, a, b):
        """Punctuation bits present in the chunk spans [a, b) (arrays)."""
        lo = np.searchsorted(self.p_pos, a, side="left")
        hi = np.searchsorted(self.p_pos, b, side="left")
        out = np.zeros(len(lo), dtype=np.int64)
        for bit in (COMMA, COLON, OPENQ, CLOSEQ, OTHER, TERM):
            counts = np.concatenate(([0], np.cumsum((self.p_bits & bit) > 0)))
            out |= np.where(counts[hi] > counts[lo], bit, 0)
        return out


# ---------------------------------------------------------------------------
# the rules, hit by hit
# ---------------------------------------------------------------------------
class _Rules:
    """The statement rules, applied to the hits of a chunk in text order."""

    def __init__(self, ck: _Chunk, lex: _Lexicon, hit_tok: set):
        self.ck = ck
        self.lex = lex
        self.titles = lex.titles
        self.hit_tok = hit_tok
        self.hit_sorted = sorted(hit_tok)
        self.participles = lex.participles
        self.rows: list[dict] = []
        self.field_rows: list[dict] = []
        self.in_content = False  # (set by subject_before: the subject is inside another statement's content)

    def new_field(self) -> None:
        self.field_rows = []

    # -- token helpers --------------------------------------------------------
    def gap(self, k: int, end: int, tail: int) -> int:
        """Punctuation bits of the gap before token k (k == end: the sentence's tail)."""
        return tail if k >= end else self.ck.gap_bits[k]

    def ment(self, k: int) -> int:
        return self.ck.tok_ment[k]

    # -- one hit --------------------------------------------------------------
    def hit(self, h: int, vf: V.VerbForm, f: int, para: int, sent: int, s_start: int, s_end: int,
            end: int, tail: int) -> None:
        ck = self.ck
        T = ck.tok
        G = ck.gap_bits
        self.cur_end = end
        tense, lemma, cls = vf.tense, vf.lemma, vf.cls
        if h not in self.hit_tok:
            return  # not a verb here (عدم ذكر، على لفت، لم يعلن; see _plausible)
        k0 = h + 1
        last = self.field_rows[-1] if self.field_rows else None
        if last is not None and last["para"] == para and last["sent"] == sent:
            if h < last["claim"]:
                return  # between the verb of a statement and its content (قالت X في مقابلة مع ... إنها)
            if last["cqs"] <= ck.cs[h] < last["cqe"] and last["opened"] and (
                    last["direct"] or tense == "participle" or not (vf.strip or (h > 0 and T[h - 1] in _COORD_BEFORE) or (
                        h > 1 and T[h - 1] == "حين" and T[h - 2] == "في") or any(
                        (T[x] in ("لكن", "ولكن") or T[x] in _PRONOUN_PARTICLES
                         or (T[x] in _BUT_THAT and T[x + 1] in ("ان", "انه"))) and G[x] & COMMA
                        or (T[x] == "وذلك" and (G[x] & COMMA or T[x + 1] in _AFTER_THAT))
                        for x in range(max(0, h - 4), h)))) and not (
                    not last["direct"] and self.what_they_say(h, end, lemma)):
                # (..., لكن X قال، ...، غير أن روسيا تنفي: a new statement after the contrast; ما تقول
                # إسرائيل إنه: the writer's attribution inside the content)
                return  # nested: the speaker's own words, or the reported content (قال إنه كشف عن ...)
            if tense == "participle":
                return  # a continuation (قال ... مضيفا أن): part of that statement
        if tense == "participle":
            op = self.opener(k0, end, tail, lemma, strict=True)
            if op is not None:
                self.finish(h, vf, f, para, sent, s_start, s_end, end, tail, None, op, participle=True)
            return
        # attribution after a quotation: «...»، قال لافروف
        after_quote = bool(G[h] & CLOSEQ) and h > 0 and ck.ce[h - 1] > s_start and \
            any(c in _CLOSE_Q for c in ck.chunk[ck.ce[h - 1]:ck.cs[h]])
        if k0 < end and lemma in _IDIOM_OBJECTS and T[k0] in _IDIOM_OBJECTS[lemma] and not G[k0] & BREAK:
            return  # لفت الانتباه، شدد الخناق، أوردت الخبر: not reporting
        if ck.in_quote[h] and not after_quote:
            return  # inside a quotation: the speaker's own words
        i0 = self.skip_addressee(k0, end, tail)
        if i0 < end and (T[i0] in _MANNER or (
                len(T[i0]) >= 5 and T[i0][0] == "م" and T[i0][-1] == "ا" and ck.tok_ment[i0] < 0 and i0 + 1 < end
                and (T[i0 + 1] in _OPENERS or G[i0 + 1] & (COLON | OPENQ)))) and not G[i0] & BREAK:
            i0 += 1  # وأضاف متحديا، وقال مذكرا: "..."، وأضاف موضحا أن: how it was said, not who said it
        if i0 < end and T[i0] in _TALK_OBJECTS and lemma in _GOES_ON and not G[i0] & BREAK:
            i0 += 1  # وتابع حديثه قائلا: "went on with his talk", the speaker is before
        if i0 < end and T[i0] in _SAYING_AFTER and not G[i0] & BREAK:
            i0 += 1  # ومضى يقول، وكتب تقول: a verb of saying that goes on from this one, not a speaker
        if i0 < end and lemma == "كشف" and T[i0] == "النقاب" and not G[i0] & BREAK:
            i0 += 1  # وكشف النقاب عن: "lifted the veil", the idiom's object (the speaker is earlier or after it)
        if i0 + 2 < end and (T[i0] in _DAY_WORDS or T[i0] in _DAY_PARTS) and T[i0 + 1] in _DAYS \
                and not G[i0] & BREAK and not G[i0 + 1] & BREAK and not G[i0 + 2] & BREAK:
            i0 += 1  # وأعلنت اليوم الخميس شركة ...، وقال مساء الاثنين الوزير: two words of the day
        if i0 + 1 < end and T[i0] in _DAY_WORDS and not G[i0] & BREAK and not G[i0 + 1] & BREAK \
                and T[i0 + 1] not in _OPENERS and T[i0 + 1] not in _STOP_WORDS:
            i0 += 1  # أكد الاثنين الرئيس الإيراني ...، وقال أمس الوزير: the day, then the speaker
        if i0 + 1 < end and T[i0] in _PRONOUN_PREPS and not G[i0] & BREAK and not G[i0 + 1] & BREAK \
                and T[i0 + 1] not in _OPENERS:
            i0 += 1  # وأعرب عنه الرئيس، وقال له الوزير: the speaker follows
        # a relative clause: الرئيس الذي أعلن، سائقو الأجرة الذين اعتبروا
        relative = h > 0 and T[h - 1] in _RELATIVES and ck.cs[h - 1] >= s_start
        if relative and T[h] in _PASSIVE_AFTER_RELATIVE:
            return  # البيان الذي نُشر: passive
        spk = None
        # وقال ردا على سؤال ... إن: a reply to a question, an adjunct (not علي the name); the speaker is before
        reply = i0 + 1 < end and T[i0] == "ردا" and T[i0 + 1] == "علي" and not G[i0] & BREAK
        if reply:
            pass
        elif lemma == "جاء" or (lemma == "رد" and vf.strip and k0 < end and T[k0] == "في"):
            # وجاء في البيان أن ...: the document speaks (جاء alone: "came"); so in وورد في البيان أن
            if not (k0 + 1 < end and T[k0] == "في" and not G[k0 + 1] & BREAK
                    and _head_kind(T[k0 + 1], self.titles) == "document"):
                return
            spk = self.speaker_phrase(k0 + 1, end, tail, lemma, forced=True)
        elif i0 < end and G[i0] & OPENQ:
            # a quoted name as the speaker: وقال "حزب الله" في بيان إن ...
            c = self.closing_index(i0, end, tail, 4)
            if c is not None and c < end and (T[c] in _OPENERS or T[c] in _STOP_WORDS or T[c] in _PREPOSITIONS):
                spk = self.speaker_phrase(i0, c, tail, lemma, forced=True)
        elif i0 + 1 < end and T[i0] in _ANOTHER and T[i0 + 1] in _OPENERS and not G[i0 + 1] & BREAK:
            # بينما قال آخر إن، وقال ثالث إنه: one more of the unnamed speakers just quoted
            spk = {"start": i0, "end": i0 + 1, "head": "unnamed", "head_tok": T[i0], "names": 0}
        else:
            spk = self.speaker_phrase(i0, end, tail, lemma)
        if spk is not None and vf.gender == "fs" and spk["head"] == "title" and not spk["names"] \
                and not spk["head_tok"].endswith("ه") and not (
                    spk["end"] < end and (T[spk["end"]] in _OPENERS or G[spk["end"]] & (COLON | OPENQ))):
            spk = None  # واعتبرت السفير الكندي "شخصا غير مرغوب فيه": the object of a feminine verb
        if lemma in ("وصف", "اعتبر") and tense == "past" and not vf.obj and spk is not None and spk["head"] == "name" \
                and ck.tok_ment[spk["start"]] < 0 and spk["end"] < end and not G[spk["end"]] & BREAK \
                and T[spk["end"]] in _AS_BEING:
            # ووصفت راد الهجوم بأنه: a name, then what is described; ووصف الاتفاق بأنه تاريخي: only what is
            # described, and the speaker is the one before
            s0, s1 = spk["start"], spk["end"]
            e = next((x for x in range(s0, s1) if T[x].startswith("ال")), s1 - 1)  # the object's first word
            spk = dict(spk, end=e, names=min(spk["names"], e - s0)) if e > s0 else None
        if relative and not vf.obj and spk is not None and spk["head"] == "name" and ck.tok_ment[spk["start"]] < 0:
            spk = None  # عادل عزت الذي أعلن استقالته: the object; the speaker is before الذي
        obj_end = None
        if spk is not None and vf.gender == "pl" and tense != "attribution" and not (
                i0 < end and G[i0] & OPENQ) and not after_quote:
            # وطالبوا الحكومة الإيرانية بمراجعة: a verb before its subject is singular; this is the object
            obj_end, spk = spk["end"], None
        svo = None
        self.in_content = False
        if h > 1 and (vf.strip and T[h][0] == "ف" or T[h - 1] == "فقد") and spk is None:
            svo = self.amma_subject(h, s_start)  # أما ماكرون، فقد أكد: the topic of أما speaks
            if svo is not None:
                spk = None
        if svo is None and not vf.strip and (spk is None or spk["head"] == "name" or T[h - 1] == "قد" or (
                (spk["head"] not in ("title", "descriptor") or lemma in _TOLD) and not self.person_first(spk)
                and self.kana_before(h, s_start))):
            svo = self.subject_before(h, s_start, f)  # لافروف قال / وكانت أدنوك قد أعلنت / وكان نتانياهو اتهم إيران
            if svo is not None:
                spk = None
        if svo is None and not vf.strip and spk is not None and spk["head"] == "entity" and spk["end"] - spk["start"] == 1 \
                and ck.tok_ment[spk["start"]] >= 0 and ck.m_type[ck.tok_ment[spk["start"]]] == "country":
            # لكن وزير الخارجية الأميركي مايك بومبيو هدد إيران: a person opening the clause is the subject,
            # the country after the verb its object
            svo = self.subject_before(h, s_start, f)
            if svo is not None and svo[2] in ("person", "office"):
                t0 = bisect.bisect_left(ck.cs, svo[3])
                if ck.cs[t0] == svo[3] and (t0 == 0 or ck.cs[t0 - 1] < s_start or T[t0 - 1] in _SUBJECT_AFTER
                                            or T[t0 - 1] in _CLAUSE_OPENERS):
                    spk = None
                else:
                    svo = None
            else:
                svo = None
        headline = None  # (a title, or a subheading line in the text: computed when needed)
        if svo is None and tense == "present" and not vf.strip and h > 0 and ck.cs[h - 1] >= s_start and (
                headline := self.is_headline(f, s_start, s_end)):
            svo = self.headline_subject(h, s_start, f)  # "مايكروسوفت" تعلن عن ...، منظمة "مراسلون بلا حدود" تعتبر
            if svo is not None:
                spk = None
        if svo is None and relative and not vf.obj and (spk is None or (
                spk["head"] == "name" and ck.tok_ment[spk["start"]] < 0)):
            svo = self.relative_subject(h, s_start, vf.gender)  # وفق أبازيد الذي أشار، المقاولون الذين أقروا
            if svo is not None:
                spk = None
        if svo is None and not relative and k0 < end and T[k0] in _RESUMPTIVE and not G[k0] & BREAK \
                and h > 0 and ck.cs[h - 1] >= s_start:
            svo = self.carrier_subject(h, s_start, vf.gender)  # أصدرت الشركة بيانا اعتذرت فيه
            if svo is not None:
                spk = None  # (the words after فيها are the object: ألقت منشورات دعت فيها السكان إلى ...)
            if svo == "before":
                svo = None
        if svo is None and spk is None and tense == "present" and not vf.strip and not relative and h > 1 \
                and ck.cs[h - 1] >= s_start and self.text_before(h) \
                and self.opener(k0, end, tail, lemma, strict=True) is not None:
            svo = self.carrier_subject(h, s_start, vf.gender)  # وأصدر الحزب بيانا يقول إن: the party, in its text
            if svo == "before":
                svo = None
        if svo is None and spk is None and h > 0 and ck.cs[h - 1] >= s_start and (T[h - 1] in _WHEN or (
                h > 1 and T[h - 1] == "ان" and T[h - 2] in ("بعد", "وبعد", "قبل", "وقبل") and ck.cs[h - 2] >= s_start)):
            svo = self.person_in_sentence(h, s_start, f)  # نصر الله، حين قال إن ...: the person named before
        if svo is None and (spk is None or spk["head"] == "name") and not vf.strip and h > 1 and ck.cs[h - 1] >= s_start:
            svo = self.name_subject(h, s_start)  # لكن ماسك قال يوم الاثنين إنه ...، إلا أن فهمي أعلن اعتذاره
            if svo is not None:
                spk = None
        if svo is None and spk is None and tense in ("present", "past") and not vf.strip and h > 0 \
                and ck.cs[h - 1] >= s_start and not (k0 < end and T[k0] in _RESUMPTIVE) \
                and self.opener(k0, end, tail, lemma, strict=tense == "present") is not None:
            svo = self.noun_subject(h, s_start, past=tense == "past")  # تقارير إعلامية تفيد بأن ...، الكاتب السوري X يقول إن
        if svo is None and spk is None and not vf.strip and h > 0 and ck.cs[h - 1] >= s_start and G[h] & COMMA:
            svo = self.fronted_subject(h, s_start)  # دينس روس، الزميل في "معهد واشنطن"، قال إنه ...
        if svo is None and spk is None and not vf.strip and h > 2 and ck.cs[h - 1] >= s_start and lemma != "نقل":
            # (نقلت عن X: X speaks, the paper is the channel)
            svo = self.quoted_subject(h, s_start)  # لكن صحيفة "لا غازيتا ديلو سبورت" قالت إن ...
        if spk is not None and lemma == "اتهم" and ck.tok_ment[spk["start"]] >= 0 and self.accused(spk, end) \
                and (vf.strip or (h > 0 and T[h - 1] in ("وقد", "قد", "كما", "ثم")) or (
                    last is not None and last["para"] == para and last["sent"] == sent)):
            spk, accused = None, True  # وتنفي موسكو ... وتتهم بريطانيا بشن حملة: Britain is accused; the speaker is before
        else:
            accused = False
        if svo is not None and after_quote and svo[4] >= ck.ce[h - 1]:
            after_quote = False  # "السد العالي" يعلن: the closing mark ends the quoted subject, not a quotation
        if spk is not None and tense != "attribution" and _deal(T[spk["start"]]) in _EVIDENCE:
            return  # وتشير استطلاعات الرأي إلى أن، وكشفت الأرقام: evidence, not a speaker
        if spk is None and svo is None and self.in_content:
            return  # its subject is inside the reported content of the statement before
        if vf.obj and spk is None and svo is None:
            return  # بحسب وصفه، ممن وصفهم بالإرهابيين: a verbal noun, or no subject of its own
        j = spk["end"] if spk else i0
        if j < end and T[j] in _TALK_OBJECTS and lemma in _GOES_ON and not G[j] & BREAK:
            j += 1  # وتابع الوزير حديثه قائلا: the content opens after it
        via = None
        if spk is not None and lemma != "نقل":
            k = j
            while k < min(end - 2, j + 3) and (T[k] in _STOP_WORDS or T[k] in _NON_NAMES) and T[k] != "علي" \
                    and not G[k] & (BREAK & ~COMMA):
                k += 1
            if k + 2 < end and T[k] == "علي" and T[k + 1] == "لسان" and not G[k + 1] & BREAK:
                src = self.speaker_phrase(k + 2, end, tail, lemma, forced=True)
                if src is not None:  # وأعلنت روسيا على لسان وزير خارجيتها ...: the minister speaks for it
                    via, spk, j = spk, src, src["end"]
        if lemma == "نقل" or lemma == "نقلا":
            k = j
            while k < min(end, j + 6) and T[k] != "عن" and not (T[k] == "علي" and k + 1 < end and T[k + 1] == "لسان"):
                k += 1
            src_at = k + 2 if k < end and T[k] == "علي" else k + 1  # عن X / على لسان X
            # (the channel's name may run on: ونقل الموقع الرسمي لوزارة النفط الإيرانية عن الوزير)
            near = k < end and T[k] in ("عن", "علي") and (k - j <= 2 or any(G[x] & COMMA for x in range(j, k + 1)) or (
                k - j <= 5 and not any(G[x] & BREAK for x in range(j, k + 1)) and k + 1 < end and T[k + 1] != "طريق"))
            if near:
                src = self.speaker_phrase(src_at, end, tail, lemma, forced=True)
                if src is not None:
                    via, spk, j = spk, src, src["end"]
                else:
                    j = src_at
            elif spk is not None and j < end and T[j] in _QAWL and not G[j] & BREAK:
                via, spk, j = spk, None, j + 1  # نقلت الوكالات قوله: his words, the speaker named before
            elif spk is None or spk["head"] not in ("institution", "entity", "unnamed") or not any(
                    T[x] in _OPENERS or G[x] & (COLON | OPENQ) for x in range(j, min(end, j + 3))):
                return  # نقل without عن and a medium with its content right after: moved, transferred
        op = self.opener(j, end, tail, lemma, strict=False)
        if op is None and obj_end is not None:
            op = self.opener(obj_end, end, tail, lemma, strict=False)  # (the content after the object)
        if lemma in _OPENER_RIGHT_AFTER and (op is None or op[1] > j + 1):
            return  # واستبعد المدرب اللاعب من ...، وشرح أسباب ...: the content must open right away
        if cls == "clitic" and not vf.strip and not (i0 < end and T[i0] in _OPENING_PARTICIPLES):
            if not (lemma == "رد" and self.reply_by(h, vf, spk, op, j, end, s_start)):
                return  # (but رد قائلا: the participle makes it a statement)
            op = op or ("rest", j)  # رد بهرام قاسمي ... على الكلمة: the reply itself
        if cls == "speaker" and not vf.strip and (spk is None or spk["head"] == "name") and svo is None:
            return  # طالب: a student, unless a speaker follows
        if op is None and lemma in V.BLAME_WORDS and (spk is not None or svo is not None or vf.strip):
            op = ("rest", j)  # وحمّلت الوزارة الحكومة المسؤولية: the blame is the content
        if tense == "attribution":
            if spk is None or spk["head"] is None:
                return
            op = op or ("rest", j)
        elif op is None:
            if after_quote and (spk is not None or svo is not None):
                op = ("before", 0)
            elif cls in ("strong", "speaker") and ((spk is not None and (spk["head"] != "name" or (
                    tense == "past" and ((spk["end"] < end and G[spk["end"]] & COMMA) or (spk["names"] >= 2 and not any(
                        T[x].startswith("ال") for x in range(spk["start"], spk["end"])))))))
                    or svo):
                op = ("rest", j)  # وانتقد مختار منير، محامي البحيري، الحكم ...
            elif cls == "strong" and tense == "past" and (vf.strip or relative or lemma in _ONLY_SPEECH or (
                    h > 0 and (T[h - 1] in _ALSO_BEFORE or T[h - 1] in _QAD) and ck.cs[h - 1] >= s_start)) and j < end \
                    and not G[j] & BREAK and lemma not in ("ذكر", "دعا") \
                    and (lemma in _ONLY_SPEECH or (T[i0] not in _PREPOSITIONS and T[i0] not in _STOP_WORDS)):
                # (not وذكّر التصويت باستفتاء "reminded of", ودّعوا البطولة "bade farewell", ووُصف في: passive)
                op = ("rest", j)  # وأكد ضرورة ...، وأعلنت تقليل ...، الذي أعلن استقالته: a nominal content
                if spk is not None and spk["head"] == "name" and spk["names"] == 1 and ck.tok_ment[spk["start"]] < 0 \
                        and T[spk["start"]].endswith(_POSSESSED):
                    op, spk = ("rest", spk["start"]), None  # وأعلن استقالته: his resignation, not a name
            elif tense == "present" and spk is not None and svo is None and V.LEMMAS[lemma][0] in ("strong", "speaker") \
                    and spk["head"] in ("entity", "title", "institution") \
                    and (vf.strip or ck.cs[h - 1] < s_start or relative or T[h - 1] in _FRONTED) \
                    and self.phrase_mentions(spk["start"], spk["end"]) and j < end and not G[j] & BREAK:
                op = ("rest", j)  # وتنفي روسيا تورطها، تدين الشراكة الدولية ...: present, a known speaker first
            elif accused:
                op = ("rest", j)  # the accusation: بشن حملة ضدها
            elif h > 0 and T[h - 1] in _ALSO and ck.cs[h - 1] > s_start and G[h - 1] & COMMA and spk is not None \
                    and svo is None and spk["head"] in ("entity", "title", "institution", "unnamed", "descriptor") \
                    and (spk["end"] >= end or G[spk["end"]] & BREAK_OR_TERM or T[spk["end"]] in _STOP_WORDS):
                op = ("before", 0)  # ...، كما يقول المرصد السوري: as the Observatory says, of the words before
            elif vf.obj and relative and spk is not None and svo is None and (
                    spk["head"] in ("entity", "title", "institution", "unnamed") or ck.tok_ment[spk["start"]] >= 0):
                op = ("rest", j)  # التي تعتبرها أنقرة إرهابية، الذي نفاه المالكي: the subject after the pronoun
            elif tense == "present" and svo is not None and svo[0] and f % 2 == 1 and not vf.strip and j < end \
                    and not G[j] & BREAK and lemma in _SVO_NOMINAL:
                op = ("rest", j)  # غير أن روسيا تنفي ضلوعها: a known subject, a verb of speech, its object
            elif tense == "present" and svo is not None and not vf.strip and j < end and not G[j] & BREAK \
                    and V.LEMMAS[lemma][0] in ("strong", "speaker") and (
                        headline if headline is not None else self.is_headline(f, s_start, s_end)):
                op = ("rest", j)  # a headline: روسيا تعلن تسليم ...، فيفا يعلن عن ...
            else:
                return
        if lemma == "نفي" and op[0] == "rest" and self.denies_only_that(op[1], end):
            return  # لكن طهران تنفي ذلك، كما نفت روسيا هذه المزاعم: what is denied is not said
        if lemma == "ذكر" and tense == "present" and spk is None:
            return  # (و)يذكر أن: the writer's aside
        if tense == "present" and spk is None and svo is None and not vf.strip and obj_end is None and \
                not (after_quote and not ck.in_quote[h - 1]) and \
                not relative and not (h > 0 and (T[h - 1] in ("كما", "حيث", "اذ", "فيما", "بينما", "وكما")
                                                  or T[h - 1] in _PRONOUN_PARTICLES)) and not \
                self.what_they_say(h, end, lemma):
            return  # حسابات تشير إلى ...: no speaker (but لكنه يوضح أن: he, said before)
        if svo is not None and op[0] == "rest":
            op = ("rest", k0)
        if op[0] == "rest" and h >= 1 and (T[h - 1] in _AS_SAID or (h >= 2 and T[h - 1] == "ما" and T[h - 2] in _AS_SAID)):
            a = h - 1 if T[h - 1] in _AS_SAID else h - 2
            if ck.cs[a] > s_start + 1:
                # ...، وفق ما ذكرت وكالة أسوشييتد برس: the channel of the statement before, or a
                # statement of the words before
                if spk is not None and last is not None and last["para"] == para and last["sent"] == sent:
                    if not last["via"]:
                        last["via"] = ck.chunk[ck.cs[spk["start"]]:ck.ce[spk["end"] - 1]]
                    return
                op = ("before", 0)
        if tense == "present" and spk is not None and spk["head"] == "name" and not vf.strip and not after_quote \
                and not (op[0] in ("an", "quote", "colon") and (op[1] == spk["end"] or (
                    spk["names"] >= 2 and op[1] - spk["end"] <= 3 and _head_kind(T[spk["end"]], self.titles)
                    in ("title", "descriptor") and not any(G[x] & BREAK for x in range(spk["end"], op[1]))))):
            return  # يعتبر مقياسا لـ ...: "is considered", not a speaker (but يرى ديان لوفرين مدافع ليفربول أن)
        if after_quote and op[0] not in ("quote", "colon") and spk is not None:
            op = ("before", 0)
        self.finish(h, vf, f, para, sent, s_start, s_end, end, tail, spk, op, via=via, svo=svo)

    def quoted_subject(self, h: int, s_start: int):
        """(id, country, kind, start, end) of a body with a quoted name opening the clause of the verb at
        token h (صحيفة "الغارديان" قالت، مجلة "أتلانتيك" الأميركية، رأت), or None."""
        ck = self.ck
        T, G = ck.tok, ck.gap_bits
        k = h - 1  # the last word of the phrase: the name, or an adjective after it (الأميركية)
        while k > 0 and not G[k] & (BREAK & ~CLOSEQ) and T[k].startswith("ال") and T[k].endswith(_NISBA) \
                and k >= h - 2 and not G[k + 1] & CLOSEQ:
            k -= 1
        if k < 1 or not (G[k + 1] & CLOSEQ) or (k + 1 < h and not G[h] & (COMMA | CLOSEQ) and G[h] & BREAK):
            return None
        x = next((x for x in range(k, max(0, k - 5) - 1, -1) if G[x] & OPENQ), None)
        if x is None or x < 1 or ck.cs[x - 1] < s_start or G[x - 1] & BREAK & ~COMMA:
            return None
        head = x - 1
        base = T[head][1:] if T[head][0] in "ول" and _deal(T[head][1:]) in V.INSTITUTION_WORDS else T[head]
        if _deal(base) not in V.INSTITUTION_WORDS and _deal(base) not in V.MEDIA_HEADS:
            return None
        if not (head == 0 or ck.cs[head - 1] < s_start or G[head] & COMMA or T[head - 1] in _SUBJECT_AFTER
                or T[head - 1] in _CLAUSE_OPENERS or T[head - 1] in ("ان", "بان", "فان") or T[head - 1] in _BUT_THAT):
            return None  # (قال مراسل صحيفة "X" ...: the body must open the clause)
        spk = {"start": head, "end": h, "head": "institution", "head_tok": base, "names": 0}
        sid, country, kind = self.classify(spk, self.phrase_mentions(head, h))
        return sid, country, kind, ck.cs[head], ck.ce[h - 1]

    def text_before(self, h: int) -> bool:
        """Is the verb at token h right after a text it speaks in (بيانا يقول، تغريدة على تويتر تقول)?"""
        T, G = self.ck.tok, self.ck.gap_bits
        if G[h] & BREAK:
            return False
        if T[h - 1] in _CARRIER_NOUNS:
            return True
        return h > 2 and T[h - 1] in _PLATFORMS and T[h - 2] == "علي" and T[h - 3] in _CARRIER_NOUNS \
            and not G[h - 1] & BREAK and not G[h - 2] & BREAK

    def denies_only_that(self, k: int, end: int) -> bool:
        """Is the object of نفى at token k a demonstrative (ذلك، هذه المزاعم، مثل هذه الاتهامات)?"""
        T, G = self.ck.tok, self.ck.gap_bits
        while k < end and T[k] in _DENY_ADVERBS and not G[k] & BREAK:
            k += 1
        if k < end and T[k] == "مثل":
            k += 1
        return k < end and T[k] in _DEMONSTRATIVES and not G[k] & BREAK

    def what_they_say(self, h: int, end: int, lemma: str) -> bool:
        """ما تقول إسرائيل إنه، من قال إنهم: "what X says is" (قال only), attributed by the writer."""
        T = self.ck.tok
        return lemma == "قال" and h > 0 and T[h - 1] in _WHAT_WHO and any(
            T[x] in _OPENERS for x in range(h + 1, min(end, h + 4)))

    def reply_by(self, h: int, vf: V.VerbForm, spk, op, j: int, end: int, s_start: int) -> bool:
        """رد / ردت without و: a reply when a known speaker follows, then على or the content, and (رد,
        also the noun "reply": جاء رد الوزير على) the verb opens its clause (رد بهرام قاسمي ... على،
        في المقابل، رد السفير أن، في حين ردت لندن بأن)."""
        ck, T, G = self.ck, self.ck.tok, self.ck.gap_bits
        if spk is None or not (spk["head"] in ("entity", "title", "institution", "descriptor") or ck.tok_ment[spk["start"]] >= 0
                               or (spk["names"] >= 2 and spk["end"] < end and G[spk["end"]] & COMMA)):
            return False
        if op is None and not (j < end and T[j] == "علي" and not G[j] & BREAK):
            # (an appositive between: رد بهرام قاسمي، المتحدث باسم الخارجية، على ...)
            k = next((x for x in range(j + 1, min(end, j + 15)) if G[x] & BREAK), end) if j < end and G[j] & COMMA else end
            if not (k < end and G[k] & COMMA and T[k] == "علي"):
                return False
        return vf.gender == "fs" or h == 0 or ck.cs[h - 1] < s_start or bool(G[h] & (COMMA | OTHER)) or \
            T[h - 1] in _COORD_BEFORE or T[h - 1] == "حين"

    def object_after_adjective(self, i: int, last: int, i0: int, end: int) -> bool:
        """Is the definite token i, right after a demonym or a singular relative adjective at ``last``
        that ends a speaker phrase begun at i0, the verb's object rather than part of the phrase (البحرية
        الإسرائيلية السفينة)? Not a participle, which may be one more adjective (المخضرم، التابعة), an
        adjective of renown (الشهير), or a first name in ال before a surname (الأمريكي أليكس أزار)."""
        ck = self.ck
        T, G = ck.tok, ck.gap_bits
        t = T[i]
        if not (t.startswith("ال") and i == last + 1 and last > i0) or t.endswith(_NISBA) or t.startswith("الم") \
                or t[3:4] == "ا" or t in _PRAISE or ck.tok_ment[i] >= 0:
            return False
        x = ck.tok_ment[last]
        if x < 0:  # (the adjective may end a longer mention: وزير الخارجية الروسي)
            x = next((z for z in self.phrase_mentions(i0, last + 1) if ck.m_last[z] == last), -1)
        adjective = (x >= 0 and (ck.m_kind[x] in ("demonym", "office") or ck.m_type[x] == "country")
                     and T[last].endswith(_NISBA)) or (
            T[last].startswith("ال") and T[last].endswith(("ي", "يه")) and len(T[last]) > 5)
        return adjective and (i + 1 >= end or bool(G[i + 1] & BREAK) or (i + 1) in self.hit_tok
                              or not _is_name_token(T[i + 1], first=False)
                              or T[i + 1].startswith(("ال", "لل", "بال")))

    def skip_addressee(self, k: int, end: int, tail: int) -> int:
        """First token after an addressee right after the verb (قال لرويترز، قالت لـ«سكاي نيوز»)."""
        ck = self.ck
        if k >= end or ck.gap_bits[k] & BREAK:
            return k
        t = ck.tok[k]
        if not t.startswith("ل"):
            return k
        j = ck.tok_ment[k]
        if j >= 0 and ck.m_pre[j] == 0:
            return k  # the name itself starts with ل (لافروف)
        body = t[1:]
        if not (t in _ADDRESSEES or body in _MEDIA_ANY
                or (t.startswith("لل") and t not in _NON_NAMES) or (j >= 0 and ck.m_type[j] != "person")):
            return k
        i = k + 1
        if i < end and ck.gap_bits[i] & OPENQ and (len(t) == 1 or body in V.MEDIA_HEADS) \
                and not ck.gap_bits[i] & COLON and not any(c.isalnum() and c != "ـ" for c in ck.chunk[ck.ce[k]:ck.cs[i]]):
            # a quoted name after ل or a medium (لـ«سكاي نيوز»، لصحيفة "الشرق الأوسط"): to the closing mark;
            # after a whole addressee (قال للصحفيين "...", لـCNN: "...") the quotation is the content
            while i < end and i < k + 10:
                i += 1
                if self.gap(i, end, tail) & CLOSEQ:
                    break
            return i
        n = 0
        while i < end and n < 3:
            t = ck.tok[i]
            if ck.gap_bits[i] & BREAK or t in _OPENERS or t in _STOP_WORDS or i in self.hit_tok:
                break
            if _head_kind(t, self.titles) in ("unnamed", "title", "descriptor"):
                break
            jm = ck.tok_ment[i]
            if jm >= 0 and ck.m_type[jm] == "person":
                break
            i += 1
            n += 1
        return i

    def addressee_here(self, i: int, i0: int, head, head_tok: str, names: int) -> bool:
        """Is token i (inside a speaker phrase from i0) the addressee after a complete speaker?
        After a name or an unnamed source (مسؤول حكومي لوكالة رويترز) or a title with its complement
        (متحدث باسم الشرطة لوكالة فرانس برس); a bare title takes ل as a genitive (الرئيس السابق لوكالة
        الاستخبارات، المدير العام لقناة الجزيرة)."""
        T = self.ck.tok
        if head is None or not _addressee_after(T[i]) or _deal(head_tok) in _REPORT_HEADS:
            return False  # (تقارير لوسائل إعلام بريطانية: reports of the media)
        if names or head in ("unnamed", "name", "descriptor"):
            return True
        return head == "title" and any(T[x] == "باسم" or self.ck.tok_ment[x] >= 0 for x in range(i0, i))

    def closing_index(self, k: int, end: int, tail: int, most: int):
        """Index of the token after a quotation opened before token k (at most ``most`` tokens long)."""
        for x in range(k + 1, min(end, k + most) + 1):
            if self.gap(x, end, tail) & CLOSEQ:
                return x
        return None

    def speaker_phrase(self, i0: int, end: int, tail: int, lemma: str = "", forced: bool = False):
        """The speaker phrase starting at token i0, as dict(start, end, head, head_tok, names), or None.

        A phrase is a head (an entity mention, a title, institution, unnamed
        source, descriptor or document word, or an unknown word taken as a
        name) and what continues it: mentions, words of the lists, office
        genitives (الخارجية، العام) and, for titles and institutions, a
        construct chain (رئيس وحدة مكافحة الإرهاب). An unknown word without the
        article after a definite word or a name is (part of) a name (وزير
        الخارجية الأمريكي مايك بومبيو), after an indefinite one a construct
        noun (مكتب تنسيق الشؤون الإنسانية). ``forced``: the phrase is known to
        start here (after عن, inside quotation marks).
        """
        ck = self.ck
        T = ck.tok
        G = ck.gap_bits
        titles = self.titles
        if i0 >= end or (G[i0] & (OPENQ | CLOSEQ | COLON | COMMA) and not forced):
            return None  # (a comma right after the verb: وأكد، ردا على سؤال، أنه ...)
        head = None
        head_tok = ""
        names = 0
        chain_ = 0  # construct or genitive words after the head
        definite = False  # was the last word taken definite (ال, a mention)?
        last = -1
        i = i0
        limit = min(end, i0 + 14)
        quoted = -1  # the token after a quoted name taken into the phrase (its closing mark is no break)
        while i < limit:
            t = T[i]
            if i > i0 and t in _TALK_OBJECTS and lemma in _GOES_ON:
                break  # وتابع المتحدث باسم الرئاسة حديثه: what he went on with, not part of him
            if head in ("institution", "unnamed", "descriptor") and i == last + 1 and G[i] & OPENQ and not G[i] & (COMMA | COLON) \
                    and (_deal(head_tok) in V.MEDIA_HEADS or (head == "institution" and not head_tok.startswith("ال"))):
                c = self.closing_index(i, end, 0, 4)
                if c is not None and (_deal(head_tok) in V.MEDIA_HEADS or (
                        c < end and self.opener(c, end, 0, lemma, strict=False) is not None)):
                    # صحيفة "صن" البريطانية، وكالة "سبوتنيك" الروسية، مراسل "سكاي نيوز عربية": the medium's
                    # quoted name; منظمة "هيومن رايتس ووتش"، مجموعة "بي إس إيه" الفرنسية: a body's, when the
                    # content opens after it
                    last, i, quoted, definite = c - 1, c, c, True
                    continue
            if i > i0 and (G[i] & ~CLOSEQ if i == quoted else G[i]) & BREAK:
                # an appositive name after a comma: المتحدث باسم الكرملين، دميتري بيسكوف
                if head in ("title", "descriptor") and not names and G[i] & COMMA and not G[i] & (BREAK & ~COMMA):
                    jm = ck.tok_ment[i]
                    if jm >= 0 and ck.m_type[jm] == "person":
                        last = ck.m_last[jm]
                        names += 1
                    else:
                        # وزير السلامة العامة، رالف غوديل، ...: a name of one to three words set off by commas
                        x = i
                        while x < min(end, i + 3) and _is_name_token(T[x], first=x == i) and ck.tok_ment[x] < 0 \
                                and (x == i or not G[x] & BREAK):
                            x += 1
                        jx = ck.tok_ment[x] if x < end else -1
                        if x > i and jx >= 0 and ck.m_type[jx] == "person" and not G[x] & BREAK:
                            x = ck.m_last[jx] + 1  # ديميتري بيسكوف: a first name, then the known surname
                        if x > i and (x >= end or G[x] & COMMA or T[x] in _OPENERS or T[x] in _STOP_WORDS
                                      or T[x] in _PREPOSITIONS):
                            last = x - 1
                            names += x - i
                break
            if t in _OPENERS or t in _OPENING_PARTICIPLES or t in _HAL or (i > i0 and i in self.hit_tok):
                break  # (وقال مخاطبا الحضور، وأضاف مؤكدا انضمام X: how it was said, and to whom or what)
            jm = ck.tok_ment[i]
            if jm >= 0 and t not in ("في", "من"):
                # a named entity (with its proclitic و، ل ...): taken whole
                if ck.m_pre[jm] and t[0] in "بلك" and head is None and ck.m_type[jm] != "person":
                    break  # بروسيا / لإيران right after the verb: not a speaker
                if ck.m_pre[jm] and self.addressee_here(i, i0, head, head_tok, names):
                    break  # وقال المتحدث راج شاه لوكالة فرانس برس: the addressee after the speaker
                if head == "name" and ck.m_type[jm] != "person" and ck.m_kind[jm] != "demonym":
                    break  # a name, then an entity: the object (أبلغ فلان روسيا ...)
                if names and i == last + 1 and ck.m_type[jm] in ("country", "place") and ck.m_kind[jm] == "name" \
                        and not ck.m_pre[jm]:
                    break  # اتهم وزير الداخلية ساجد جاويد موسكو: the country after the named person is the object
                if head == "entity" and i == last + 1 and ck.m_type[jm] == "country" and ck.m_kind[jm] == "name" \
                        and not ck.m_pre[jm] and ck.m_type[ck.tok_ment[i0]] == "country" and ck.m_kind[ck.tok_ment[i0]] == "name":
                    break  # اتهمت بريطانيا روسيا: the second country is the object
                if head in ("title", "institution", "unnamed", "descriptor", "document") and head_tok.startswith("ال") \
                        and i == last + 1 and ck.m_kind[jm] == "name" and ck.m_type[jm] != "person" \
                        and not ck.m_pre[jm] and T[i - 1] == head_tok and not t.startswith("ال"):
                    break  # انتقدت الصحيفة فرنسا: the object of the verb
                if head is None:
                    head, head_tok = "entity", t
                if ck.m_type[jm] == "person" and not (head == "title" and self.owner_after_li(jm)):
                    names += 1
                last = ck.m_last[jm]
                definite = True
                i = last + 1
                continue
            if t in _PREPOSITIONS or (t == "الي" and head == "title"):
                # مصادر في الحرس الثوري، سفير روسيا لدى دمشق، مبعوث الرئيس الروسي إلى سوريا
                if head is not None and i + 1 < end and not G[i + 1] & BREAK:
                    jn = ck.tok_ment[i + 1]
                    if jn >= 0 and ck.m_type[jn] in ("country", "place", "organization"):
                        last = ck.m_last[jn]
                        definite = True
                        i = last + 1
                        continue
                    if head in ("unnamed", "title") and T[i + 1].startswith("ال") \
                            and _head_kind(T[i + 1], titles) == "institution":
                        # مسؤول من الوكالة الأميركية للتنمية، مصدر في الشرطة الفرنسية: to its demonym
                        x = i + 2
                        while x < min(end, i + 4) and not G[x] & BREAK and ck.tok_ment[x] < 0:
                            x += 1
                        jx = ck.tok_ment[x] if x < min(end, i + 4) and not G[x] & BREAK else -1
                        if jx >= 0 and ck.m_type[jx] == "country":
                            last = ck.m_last[jx]
                            definite = True
                            i = last + 1
                            continue
                break
            if head in ("unnamed", "title") and len(t) > 3 and t[0] in "بل" and not G[i] & BREAK and (
                    t[1:] in _INSTITUTION_ANY) and not self.addressee_here(i, i0, head, head_tok, names):
                definite = True  # مصدر مسؤول بوزارة الخارجية السعودية، المتحدث الرسمي لوزارة الدفاع
                last = i
                i += 1
                continue
            if t in _STOP_WORDS:
                if not (t == "علي" and head is None and self.ali_is_name(i, end, lemma)):
                    break
            elif t[0] in "لب" and len(t) > 3 and (t in _ADDRESSEES or t[1:] in _MEDIA_ANY):
                break  # لإذاعة، لصحيفة: the addressee after the speaker
            if t[0] == "ب" and len(t) > 3 and "ب" in V.PREP_OPENERS.get(lemma, ()) and (head is None or head in (
                    "name", "entity")):
                break  # وطالبوا بتخصيص نسبة، وهدد بفرض عقوبات: the content after the preposition, not a name
            hk = _head_kind(t, titles)
            is_def = t.startswith("ال") or t.startswith("لل")
            if head is None:
                if hk is not None:
                    head, head_tok = hk, t
                elif t == "علي" or _is_name_token(t, first=True) or (
                        t.startswith("بو") and len(t) >= 6 and ck.chunk[ck.ce[i] - 1] == "ة" and ck.tok_ment[i] < 0):
                    # (بوريطة، بودربالة: a Maghrebi name in ة, not ب + a noun + the pronoun ه as in بوصفه)
                    head, head_tok, names = "name", t, 1
                elif t == "ال" and i + 1 < end and not G[i + 1] & BREAK and len(T[i + 1]) > 2 and (
                        _is_name_token(T[i + 1], first=False) or T[i + 1] == "الشيخ"):
                    # وقال آل الشيخ، وأضاف آل ثاني: a family name (آل, "the house of"), both words
                    head, head_tok, names, last = "name", T[i + 1], 2, i + 1
                    break
                elif is_def and _is_name_token(t, first=False) and i + 1 < end and not G[i + 1] & BREAK \
                        and ck.tok_ment[i + 1] >= 0 and ck.m_kind[ck.tok_ment[i + 1]] == "demonym":
                    head, head_tok = "descriptor", t  # الحكم النرويجي، المدرب الألماني: one person described
                elif is_def and _is_name_token(t, first=False) and (
                        i + 1 >= end or G[i + 1] & BREAK or T[i + 1] in _OPENERS or T[i + 1] in _STOP_WORDS
                        or T[i + 1] in _PREPOSITIONS or (i + 1) in self.hit_tok
                        or (T[i + 1] in _TALK_OBJECTS and lemma in _GOES_ON)):
                    # one word with the article: a surname (وأضاف المالكي، وتابع الظاهري حديثه) or people
                    # (وقال المشاركون)
                    if t.endswith(("ون", "ين")):
                        head, head_tok = "unnamed", t
                    else:
                        head, head_tok, names = "name", t, 1
                    last = i
                    break
                elif is_def and len(t) > 4 and t.endswith(("ون", "ين")) and i + 1 < end and not G[i + 1] & BREAK \
                        and T[i + 1].startswith("ال") and T[i + 1].endswith(("ون", "ين")) and ck.tok_ment[i + 1] < 0:
                    # ويرى المستثمرون القلقون من التضخم: people, with an adjective that agrees
                    head, head_tok, last = "unnamed", t, i + 1
                    break
                elif is_def and _is_name_token(t, first=False) and self.surname_used_before(i):
                    # وأبدى الحبسي سعادته after علي الحبسي: a surname named in full before, its object after it
                    head, head_tok, names, last = "name", t, 1, i
                    break
                else:
                    break
                definite = is_def
                last = i
                i += 1
                continue
            if head == "unnamed":
                if t in _UNNAMED_MODS_ANY or hk in ("unnamed", "institution", "title") \
                        or (i == i0 + 1 and head_tok in ("احد", "احدي", "بعض") and is_def):
                    last = i
                    i += 1
                    continue
                break
            if head == "document":
                break
            if hk is not None or t in _GENITIVES or t == "باسم":
                if head == "name":
                    break  # a name, then a title word: the object (أبلغ لافروف نظيره)
                if names and hk in ("title", "institution"):
                    break  # وزير الخارجية مايك بومبيو نظيره: the object
                definite = is_def
                last = i
                i += 1
                continue
            if head in ("title", "institution", "entity", "descriptor") and self.object_after_adjective(i, last, i0, end):
                # واقتادت البحرية الإسرائيلية السفينة إلى، ووصف وزير الخارجية الروسي الهجوم بأنه: no genitive
                # after an adjective; a noun there is the object
                break
            if head in ("title", "institution", "entity", "descriptor") and not names and chain_ < 4:
                if head == "entity" and ck.tok_ment[i0] >= 0 and ck.m_type[ck.tok_ment[i0]] in ("country", "place") \
                        and ck.m_kind[ck.tok_ment[i0]] == "name":
                    break  # أعلنت واشنطن الانسحاب: a country's name takes no genitive; the object follows
                if is_def and _is_name_token(t, first=False) and head == "title" and i == last + 1 \
                        and head_tok.startswith("ال") and T[last] == head_tok and not t.endswith(_ADJ_ENDINGS) \
                        and not t.startswith("الم"):
                    break  # ووصف الرئيس الاتفاق بأنه: a definite title takes no genitive; a noun after it is the object
                if is_def and _is_name_token(t, first=False):
                    chain_ += 1  # رئيس المختبر، المتحدث باسم مكتب تنسيق الشؤون
                    definite = True
                    last = i
                    i += 1
                    continue
                if not definite and head != "entity" and _is_name_token(t, first=True):
                    chain_ += 1  # مكتب تنسيق، رئيس وحدة مكافحة
                    last = i
                    i += 1
                    continue
            if head in ("title", "descriptor", "name", "entity", "institution") and names < 4 and \
                    _is_name_token(t, first=names == 0 and head != "name"):
                if head in ("entity", "institution") and not names and not definite:
                    break
                if head == "institution" and not names and head_tok.startswith("ال") and i == last + 1:
                    break  # اقترحت المفوضية منح ...: after a definite head, a bare word is the object
                if head == "entity" and ck.m_type[ck.tok_ment[i0]] if ck.tok_ment[i0] >= 0 else False:
                    if ck.m_type[ck.tok_ment[i0]] in ("country", "organization") and ck.m_kind[ck.tok_ment[i0]] == "name":
                        break  # روسيا، الخارجية الروسية: no name follows a country or a ministry
                names += 1
                last = i
                i += 1
                continue
            break
        while last > i0 and T[last] in _TIME_NOUNS and last + 1 < end and T[last + 1] in _TIME_ADJ:
            last -= 1  # وكالة "سي إن إن" الشهر الماضي: the time is no part of the speaker
        if last < i0:
            return None
        return {"start": i0, "end": last + 1, "head": head, "head_tok": head_tok, "names": names}

    def article_start(self, i: int) -> int:
        """The first token of the article that token i is in (its title)."""
        return bisect.bisect_left(self.ck.cs, self.ck.fstart_l[2 * (self.field_of(i) // 2)])

    def earlier_uses(self, word: str, i: int, art_tok: int, proclitic: bool = False):
        """Tokens before token i in its article (which starts at token ``art_tok``; at most 3,000 back)
        that are ``word``, nearest first; ``proclitic``: also after و ب ل ف (a search of the match form,
        at C speed)."""
        ck = self.ck
        m, ts = ck.m, ck.ts_arr
        lo = int(ts[max(art_tok, i - 3000)]) if art_tok < len(ts) else 0
        hi = int(ts[i])
        n = len(word)
        while True:
            p = m.rfind(word, lo, hi)
            if p < 0:
                return
            hi = p + n - 1
            if p + n < len(m) and m[p + n] != " ":
                continue
            if p > 0 and m[p - 1] != " " and not (proclitic and m[p - 1] in "وبلف" and (p == 1 or m[p - 2] == " ")):
                continue
            yield int(np.searchsorted(ts, p, side="right")) - 1

    def surname_used_before(self, i: int, most: int = 6) -> bool:
        """Is the definite word at token i a surname used in full earlier in the article: after an unknown
        first name (علي الحبسي) or inside a person mention?"""
        ck = self.ck
        T = ck.tok
        word = T[i]
        if len(word) < 4 or word in _NON_NAMES or _head_kind(word, self.titles) is not None:
            return False  # (آل of آل الشيخ is not a surname on its own)
        if any(word in r["names"] for r in self.field_rows):
            return True  # the speaker of a statement before (قال علي الحبسي ...)
        art_tok = self.article_start(i)
        for x in islice(self.earlier_uses(word, i, art_tok), most):
            jm = next((y for y in self.phrase_mentions(max(0, x - 4), x + 1) if ck.m_last[y] >= x), None)
            if jm is not None:
                if ck.m_type[jm] == "person":
                    return True
                continue
            if x > art_tok + 1 and not ck.gap_bits[x] & BREAK and not ck.gap_bits[x - 1] & BREAK and (
                    _is_name_token(T[x - 1], first=True) or T[x - 1] == "علي") and ck.tok_ment[x - 1] < 0 \
                    and T[x - 1][0] not in "لبو" and x - 1 not in self.hit_tok and (
                    _head_kind(T[x - 2], self.titles) in ("title", "descriptor") or (
                        ck.tok_ment[x - 2] >= 0 and ck.m_kind[ck.tok_ment[x - 2]] == "demonym")
                    or any(ck.m_last[y] == x - 2 and ck.m_kind[y] == "demonym"
                           for y in self.phrase_mentions(max(0, x - 4), x - 1))):
                return True  # الحارس العماني علي الحبسي: a title or demonym, a first name, the surname
        return False

    def compatriot_before(self, k: int, f: int, country: str, most: int = 60):
        """The nearest person mention (by name) of ``country`` before token k in the same article, or None."""
        ck = self.ck
        art = f // 2
        x = bisect.bisect_left(ck.m_tok, k) - 1
        for _ in range(most):
            if x < 0 or ck.m_f[x] // 2 != art:
                return None
            if ck.m_type[x] == "person" and ck.m_kind[x] == "name" and ck.m_country[x] == country:
                return x
            x -= 1
        return None

    def kana_before(self, h: int, s_start: int) -> bool:
        """Is there a كان / وكانت ... among the 13 tokens before verb h, in its sentence, with no verb between?"""
        ck = self.ck
        for x in range(h - 1, max(-1, h - 14), -1):
            if ck.cs[x] < s_start or x in self.hit_tok:
                return False
            if ck.tok[x] in _KANA:
                return not (x > 0 and ck.tok[x - 1] in _RELATIVES)  # (الجماعات التي كانت تتلقى ...، قال بومبيو)
        return False

    def person_first(self, spk) -> bool:
        """Does the speaker phrase start with a person's mention?"""
        jm = self.ck.tok_ment[spk["start"]]
        return jm >= 0 and self.ck.m_type[jm] == "person"

    def accused(self, spk, end: int) -> bool:
        """Is the entity opening the phrase after اتهم the accused (بريطانيا بشن ...: ب + a noun right after it)?"""
        ck = self.ck
        x = ck.m_last[ck.tok_ment[spk["start"]]] + 1
        return x < end and not ck.gap_bits[x] & BREAK and ck.tok[x][0] == "ب" and ck.tok_ment[x] < 0 and (
            len(ck.tok[x]) >= 3 or (ck.tok[x] == "ب" and x + 1 < end and ck.gap_bits[x + 1] & OPENQ))  # (بـ"الكذب")

    def owner_after_li(self, x: int) -> bool:
        """Is person mention x after ل (للرئيس الروسي، لبوتين): a title's owner, not its holder?"""
        ck = self.ck
        t = ck.tok[ck.m_tok[x]]
        return t[0] == "ل" and bool(ck.m_pre[x] or (ck.m_kind[x] == "office" and t.startswith("لل")))

    def person_in_sentence(self, h: int, s_start: int, f: int):
        """(id, country, kind, start, end) of the last person mentioned before token h in its sentence, or None."""
        ck = self.ck
        lo = bisect.bisect_left(ck.m_cs, s_start)
        for x in range(bisect.bisect_left(ck.m_tok, h) - 1, lo - 1, -1):
            if ck.m_f[x] == f and ck.m_type[x] == "person":
                kind = "office" if ck.m_kind[x] == "office" else "person"
                return ck.m_eid[x], ck.m_country[x], kind, ck.m_cs[x], ck.m_ce[x]
        return None

    def ali_is_name(self, i: int, end: int, lemma: str) -> bool:
        """علي right after the verb: the name Ali (قال علي لاريجاني) or the preposition (شدد على)?"""
        ck = self.ck
        if i + 1 >= end or ck.gap_bits[i + 1] & BREAK:
            return False
        jm = ck.tok_ment[i + 1]
        if jm >= 0 and ck.m_type[jm] == "person":
            return True
        return lemma not in ("اكد", "شدد", "علق", "رد", "حرص", "اجاب", "غرد", "كتب") and \
            ck.tok[i + 1] not in _PLATFORMS and _is_name_token(ck.tok[i + 1], first=True) and not ck.tok[i + 1].startswith("ال")

    def opener(self, j: int, end: int, tail: int, lemma: str, strict: bool):
        """Where the content opens at or after token j: (kind, token index) or None.

        kinds: "an" (the content follows token index: أن / إن / قائلا), "quote"
        and "colon" (a mark in the gap before token index), "prep" (أشار إلى ...).
        """
        ck = self.ck
        T = ck.tok
        limit = min(end, j + 2) if strict else min(end, j + 12)
        preps = V.PREP_OPENERS.get(lemma, ())
        G = ck.gap_bits
        hits = self.hit_tok
        k = j
        while k <= limit:
            g = tail if k >= end else G[k]
            if g & OPENQ:
                if k > j and not g & (COLON | COMMA) and k < end:
                    c = self.closing_index(k, end, tail, 4)
                    if c is not None and (c < end and not G[c] & (COMMA | TERM) or k - j > 3):
                        k = c  # لإذاعة "فرانس إنتر" أن ...: a quoted name (not اعتبرت دمشق الاتهامات "فبركات"،)
                        continue
                return ("quote", k)
            if g & COLON:
                return ("colon", k)
            if k >= end or k >= limit and strict:
                break
            if k == limit:
                break
            t = T[k]
            if k > j and k in hits and t not in _OPENING_PARTICIPLES and not (
                    t in _PASSIVE_AFTER_RELATIVE and T[k - 1] in _RELATIVES):
                a = k - 2 if T[k - 1] == "ما" and k > 1 else k - 1
                if not (T[a] in _AS_SAID and T[a] not in _ALSO and G[a] & COMMA and k + 4 < end and any(
                        G[x] & (COLON | OPENQ) or T[x] in _OPENERS for x in range(k + 1, min(end, k + 5)))):
                    return None
                # وأضاف بوزينسكي، حسبما نقلت عنه الصحيفة: "...": an aside naming the channel; the content follows it
            if t in _OPENERS:
                return ("an", k)
            if t in _OPENING_PARTICIPLES:  # قائلا: «...» / قائلا إن (also after a comma: هدد ...، قائلا)
                g2 = self.gap(k + 1, end, tail)
                if g2 & (OPENQ | COLON):
                    return ("quote" if g2 & OPENQ else "colon", k + 1)
                if k + 1 < end and T[k + 1] in _OPENERS:
                    return ("an", k + 1)
                return ("an", k)
            if t in preps:
                if k + 1 < end and T[k + 1] in _OPENERS:
                    return ("an", k + 1)
                return ("prep", k)
            if "ب" in preps and not strict and len(t) > 3 and t[0] == "ب" and t not in _OPENERS and (
                    k == j or (T[j] in _ADJUNCT_STARTS and k - j <= 6)):
                # طالبوا بحظرها، رحب بالاتفاق: the preposition as a proclitic (also after an adjunct:
                # وأقر ترامب في تغريدة على تويتر بوجود حملة)
                return ("rest", k)
            if strict and k > j:
                return None
            k += 1
            if not strict and k < end and G[k] & COMMA:
                limit = min(end, max(limit, k + 12))  # a parenthetical: في مؤتمر صحفي، الأربعاء، إن
        return None

    # -- the row ----------------------------------------------------------------
    def finish(self, h, vf, f, para, sent, s_start, s_end, end, tail, spk, op, participle=False, via=None,
               svo=None):
        ck = self.ck
        chunk = ck.chunk
        fs = ck.fstart_l[f]
        kind, k = op
        direct = False
        v_start = ck.cs[h] + vf.strip
        v_end = ck.ce[h]
        if kind == "before":
            qs, qe, direct = self.quote_before(h, s_start)
        else:
            gap_a = ck.ce[k - 1] if k - 1 >= h else v_end
            gap_b = ck.cs[k] if k < end else s_end
            if kind == "quote":
                g = chunk[gap_a:gap_b]
                qpos = gap_a + min(g.find(c) for c in _OPEN_Q if c in g)
                qs, qe, direct = qpos + 1, self.closing_quote(qpos), True
            elif kind == "colon":
                qs = gap_a + chunk[gap_a:gap_b].find(":") + 1
                qe = s_end
            elif kind in ("an", "prep"):
                a = ck.ce[k]
                b = ck.cs[k + 1] if k + 1 < end else s_end
                if k + 1 <= end and self.gap(k + 1, end, tail) & OPENQ:
                    g = chunk[a:b]
                    qpos = a + min(g.find(c) for c in _OPEN_Q if c in g)
                    qs, qe, direct = qpos + 1, self.closing_quote(qpos), True
                else:
                    qs, qe = a, s_end
            else:  # "rest": what follows the speaker phrase
                qs, qe = gap_a, s_end
            if not direct:
                qe = self.cut_at_next(k, end, qe)
                qe = self.trim_end(qs, qe)
        while qs < qe and (chunk[qs].isspace() or chunk[qs] in ":،,"):
            qs += 1
        row = {"f": f, "para": para, "sent": sent, "verb": chunk[v_start:v_end], "lemma": vf.lemma,
               "vs": v_start - fs, "ve": v_end - fs, "gender": vf.gender, "direct": direct,
               "qs": qs - fs, "qe": max(qs, qe) - fs, "via": "", "plural": False, "head": "", "cv": v_start,
               "names": frozenset(), "tok": h, "cbasis": "", "intl": False, "claim": k if kind != "before" else h,
               "cqs": qs, "cqe": max(qs, qe), "opened": kind in ("an", "quote", "colon")}
        if via is not None:
            row["via"] = chunk[ck.cs[via["start"]]:ck.ce[via["end"] - 1]]
        if svo is not None:
            self.take_subject(row, svo, fs, para, sent)
        elif spk is not None and not participle:
            self.resolve_phrase(row, spk, f, para, sent, via)
        else:
            self.resolve_missing(row, vf, h, f, para, sent, s_start, participle)
        # entities in the content
        ents, ctry = self.content_entities(qs, max(qs, qe))
        row["qent"] = ents
        row["qcountry"] = ctry
        self.rows.append(row)
        self.field_rows.append(row)

    def take_subject(self, row, svo, fs: int, para: int, sent: int) -> None:
        """Fill the speaker columns of ``row`` from a subject found in its sentence, (id, country, kind,
        start, end) in chunk offsets; an institution without an entity takes its medium's or seat's country."""
        ck = self.ck
        sid, country, skind, a, b = svo
        basis = ("entity" if sid else "phrase") if country else ""
        ta, tb = bisect.bisect_left(ck.cs, a), bisect.bisect_left(ck.cs, b)
        if skind == "institution" and not sid:
            mc = self.media_country(ta, tb, "institution")
            if mc:  # (نشرت منظمة العفو الدولية تقريرا اتهمت فيه: the body's seat)
                country, basis = mc, "entity"
        intl = not country and (not _INTERNATIONAL.isdisjoint(ck.tok[ta:tb]) or any(
            ck.m_type[x] == "organization" and not ck.m_country[x] for x in self.phrase_mentions(ta, tb)))
        row.update(sid=sid, scountry=country, skind=skind, rkind=skind, stext=ck.chunk[a:b], ss=a - fs,
                   se=b - fs, spara=para, ssent=sent, cbasis=basis, intl=intl)

    def cut_at_next(self, k: int, end: int, qe: int) -> int:
        """Indirect content ends where the next statement of the sentence starts (، مؤكدا أن ...)."""
        ck = self.ck
        hs = self.hit_sorted
        i = bisect.bisect_right(hs, k)
        while i < len(hs) and hs[i] < end:
            x = hs[i]
            if (ck.gap_bits[x] & COMMA or ck.tok[x][0] in "وف") and ck.tok[x] not in self.participles:
                return min(qe, ck.cs[x])
            i += 1
        return qe

    def content_entities(self, a: int, b: int) -> tuple[str, str]:
        ck = self.ck
        lo = bisect.bisect_left(ck.m_cs, a)
        hi = bisect.bisect_left(ck.m_cs, b, lo)
        ents, ctry = set(), set()
        for x in range(lo, hi):
            if ck.m_ce[x] > b:
                continue
            ents.add(ck.m_eid[x])
            c = ck.m_eid[x] if ck.m_type[x] == "country" else ck.m_country[x]
            if c:
                ctry.add(c)
        return " ".join(sorted(ents)), " ".join(sorted(ctry))

    def phrase_mentions(self, a: int, b: int) -> list[int]:
        """Mentions whose first token is in tokens [a, b)."""
        ck = self.ck
        lo = bisect.bisect_left(ck.m_tok, a)
        hi = bisect.bisect_left(ck.m_tok, b, lo)
        return list(range(lo, hi))

    def resolve_phrase(self, row, spk, f, para, sent, via):
        ck = self.ck
        fs = ck.fstart_l[f]
        a, b = ck.cs[spk["start"]], ck.ce[spk["end"] - 1]
        ms = self.phrase_mentions(spk["start"], spk["end"])
        if ms and ck.m_tok[ms[0]] == spk["start"]:
            a = max(a, min(ck.m_cs[ms[0]], a + ck.m_pre[ms[0]]))  # the name without its و
        row.update(stext=ck.chunk[a:b], ss=a - fs, se=b - fs, spara=para, ssent=sent)
        sid, country, kind = self.classify(spk, ms)
        row["cbasis"], row["intl"] = self.basis, self.intl
        head = _deal(spk["head_tok"])
        if kind == "person" and not sid and spk["head"] == "name" and not country:
            mc = self.media_country(spk["start"], spk["end"], spk["head"])
            if mc:  # وقالت موديز، ذكرت بلومبرغ: a medium or company, not a person
                country, kind, row["cbasis"] = mc, "institution", "entity"
        if head in ("مراسل", "مراسله", "مراسلو", "مراسلي") and not sid:
            kind = "unnamed_source"  # مراسل "سكاي نيوز عربية": a reporter, of the medium's country
            mc = self.media_country(spk["start"] + 1, spk["end"], "institution", medium=True)
            if mc:
                country, row["cbasis"] = mc, "entity"
        if kind == "institution" and not sid:
            mc = self.media_country(spk["start"], spk["end"], spk["head"])
            if mc:  # وكالة رويترز، صحيفة "الشرق الأوسط": the agency's or owner's country
                country, row["cbasis"] = mc, "entity"
            elif spk["end"] - spk["start"] == 1 and spk["head_tok"].startswith("ال") and head in V.MEDIA_HEADS:
                mc = self.media_before(spk["start"], head)
                if mc:  # الصحيفة: the paper named before
                    country, row["cbasis"] = mc, "earlier"
            elif spk["end"] - spk["start"] == 1 and spk["head_tok"].startswith("ال"):
                sid, mc = self.institution_before(spk["start"], head)
                if mc:  # وتابعت الخزانة after وزارة الخزانة الأمريكية: the country named with it before
                    country, row["cbasis"] = mc, "earlier"
                elif sid:  # الاتحاد after الاتحاد الأوروبي: a body of no one country
                    row["intl"] = self.intl = True
        if kind in ("person", "office", "unnamed_source") and not self.intl:
            tc = self.team_country(spk["start"], spk["end"])
            if tc:  # الأرجنتيني هكتور كوبر، مدرب المنتخب المصري: a national coach speaks for the team's country
                country, row["cbasis"] = tc, "phrase"
        if not country and not self.intl and kind in ("person", "office"):
            ap = self.appositive_country(spk)
            if ap:  # فاسيلي نيبنسيا، مندوب روسيا لدى الأمم المتحدة: the title after the name
                country, row["cbasis"] = ap, "phrase"
        if not country and not self.intl and via is not None and not self.is_wire(via):
            # نقلت وكالة الأنباء السورية عن مصدر عسكري، نقلت سبأ عن المتحدث باسم الحكومة: the channel's country
            vm = self.phrase_mentions(via["start"], via["end"])
            country = next((self.country_of(x) for x in vm if self.country_of(x)), "") or \
                self.media_country(via["start"], via["end"], "institution", medium=True)
            row["cbasis"] = "context" if country else ""
        row.update(sid=sid, scountry=country, skind=kind, rkind=kind, head=head, plural=head in V.PLURAL_HEADS,
                   names=frozenset(ck.tok[spk["start"]:spk["end"]]) if spk["names"] else frozenset())
        if kind == "person" and not sid and spk["names"]:
            # وأضاف كالين / المالكي: the person named in full before
            last = ck.tok[spk["end"] - 1]
            for r in reversed(self.field_rows):
                if last in r["names"] and (r["sid"] or r["scountry"] or r["intl"]):
                    if not country:
                        row["cbasis"] = "earlier" if r["scountry"] else ""
                    row["sid"], row["scountry"] = r["sid"], r["scountry"] or country
                    row["intl"] = self.intl = r["intl"] and not row["scountry"]  # (the UN envoy named before)
                    break
        if sid and not country and not self.intl:
            r = next((r for r in reversed(self.field_rows) if r["sid"] == sid), None)
            if r is not None and r["intl"]:  # دي ميستورا after المبعوث الأممي دي ميستورا: still no country
                row["intl"] = self.intl = True
        if kind == "person" and not row["sid"] and not row["scountry"] and spk["names"] and not self.intl:
            found = self.name_before(spk)
            if found is not None:  # وقال جدانوف after وزير الرياضة الأوكراني إيغور جدانوف: that phrase's
                row["sid"], row["scountry"] = found
                row["cbasis"] = "earlier" if row["scountry"] else ""
        if kind == "person" and not row["sid"] and spk["names"] and not self.intl:
            last = ck.tok[spk["end"] - 1]
            found = self.lex.bare.get(last) or (self.lex.bare.get(last[1:]) if last[0] in "وف" else None)
            if found is not None:  # وقال هازارد، مدرب ليفربول كلوب: the one person of that bare surname
                row["sid"] = found[0]
                if not row["scountry"]:
                    row["scountry"], row["cbasis"] = found[1], "entity" if found[1] else ""
        if kind in ("unnamed_source", "office", "person", "institution") and spk["head_tok"].startswith("ال") \
                and not country and not sid and spk["end"] - spk["start"] == 1:
            ante = self.antecedent(row, same_head=head)
            if ante is not None:  # المصدر / المسؤول / الوزير: the one named before
                row["sid"], row["scountry"] = ante["sid"], ante["scountry"]
                row["cbasis"], row["intl"] = "earlier" if ante["scountry"] else "", ante["intl"]
        if not row["sid"] and row["scountry"] and not spk["names"] and spk["head"] in ("title", "descriptor", "unnamed") \
                and spk["head_tok"].startswith("ال") and head not in V.PLURAL_HEADS and spk["end"] - spk["start"] <= 3:
            x = self.compatriot_before(spk["start"], f, row["scountry"])
            if x is not None:  # وقال المسؤول الإيراني / النجم المصري: the person of that country named before
                row["sid"], row["skind"], row["rkind"], row["cbasis"] = ck.m_eid[x], "person", "person", "earlier"
        if spk["head"] == "document":
            # a document stands for its issuer (an institution); وأضاف البيان: the issuer named before
            row["skind"] = row["rkind"] = "institution"
            if not sid and spk["head_tok"].startswith("ال"):
                ante = self.antecedent(row)
                if ante is not None:
                    if not country and ante["scountry"]:
                        row["cbasis"] = "earlier"
                    row.update(sid=ante["sid"], scountry=ante["scountry"] or country)

    def name_before(self, spk, most: int = 10):
        """(entity id, country) of an earlier use of a speaker's last name in the article, or None.

        For a name the gazetteer does not know on its own (جدانوف، الملقي), up to
        ``most`` earlier uses of the same word are tried, the nearest first: a
        person mention covering it gives its entity (هاني الملقي); else a country,
        demonym or place in the words just before it in the same clause (وزير
        الرياضة الأوكراني إيغور جدانوف، رئيسة بلدية باريس آن هيدالغو), else in a
        title set off by a comma right after it (فوتيل، قائد القيادة الأمريكية).
        """
        ck = self.ck
        T, G = ck.tok, ck.gap_bits
        last = T[spk["end"] - 1]
        if len(last) < 3 or last in _NON_NAMES:
            return None
        family = spk["end"] - spk["start"] >= 2 and T[spk["end"] - 2] == "ال"
        if family:
            last = "ال " + last  # a family name (آل الشيخ): both words, not the title الشيخ
        art_tok = self.article_start(spk["start"])
        for x in islice(self.earlier_uses(last, spk["start"], art_tok, proclitic=True), most):
            # a person mention over this word
            for y in self.phrase_mentions(max(0, x - 4), x + 1):
                # (a family name may follow the mention: تميم بن حمد آل ثاني)
                if ck.m_last[y] >= x - family and ck.m_type[y] == "person" and ck.m_kind[y] == "name":
                    return ck.m_eid[y], ck.m_country[y]
            # the words before it, back to a break (a preposition's country is not the person's)
            a = x
            while a > max(art_tok, x - 7) and not G[a] & (BREAK_OR_TERM & ~OPENQ & ~CLOSEQ):
                a -= 1
            for y in reversed(self.phrase_mentions(a, x)):
                c = self.country_of(y)
                t0 = ck.m_tok[y]
                if c and ck.m_type[y] != "person" and not (t0 > 0 and T[t0 - 1] in _PREPOSITIONS) \
                        and not (ck.m_type[y] == "organization" and not ck.m_country[y]):
                    return "", c
            if x + 1 < len(T) and G[x + 1] & COMMA and not G[x + 1] & (BREAK & ~COMMA):
                ap = self.appositive_country({"end": x + 1}, end=min(len(T), x + 15))
                if ap:
                    return "", ap
        return None

    def team_country(self, a: int, b: int) -> str:
        """The country of a national team that the speaker phrase [a, b), or a title set off by a comma
        right after it, says the speaker coaches or plays for (مدرب المنتخب المصري، لاعب منتخب البرازيل), or ""."""
        ck = self.ck
        T, G = ck.tok, ck.gap_bits
        stop = min(len(T), b + 8) if b < len(T) and G[b] & COMMA and not G[b] & (BREAK & ~COMMA) else b
        x = a
        while x < stop:
            if (x > a and G[x] & (BREAK & ~COMMA)) or (x > b and G[x] & COMMA):
                break  # (one appositive, set off by the comma right after the phrase)
            if _deal(T[x]) in _TEAM_ROLES and x + 1 < stop and T[x + 1] in _TEAM_WORDS and not G[x + 1] & BREAK:
                for y in range(x + 2, min(stop, x + 4)):
                    j = ck.tok_ment[y]
                    if j >= 0 and ck.m_type[j] == "country":
                        return ck.m_eid[j]
                    if G[y] & BREAK:
                        break
                return ""
            x += 1
        return ""

    def appositive_country(self, spk, end: int | None = None) -> str:
        """The country of a title set off by a comma right after a speaker phrase (خالد الرميحي، الرئيس
        التنفيذي لمجلس التنمية الاقتصادية في البحرين), or "". ``end``: the token the title must end
        before (default: the end of the current hit's sentence)."""
        ck = self.ck
        k = spk["end"]
        end = self.cur_end if end is None else end
        if k >= end or ck.gap_bits[k] & (BREAK & ~COMMA):
            return ""
        t = ck.tok[k]
        if t in ("من", "في") and spk.get("head") in ("name", "entity") and k + 1 < end \
                and _head_kind(ck.tok[k + 1], self.titles) == "institution" and not ck.gap_bits[k + 1] & BREAK:
            # بن ستابرز من جامعة مانشستر البريطانية: the country of the body the person is from
            for x in range(k + 2, min(end, k + 7)):
                if ck.gap_bits[x] & BREAK or ck.tok[x] in _OPENERS or ck.tok[x] in _STOP_WORDS:
                    break
                jm = ck.tok_ment[x]
                if jm >= 0 and ck.m_type[jm] == "country" and ck.m_kind[jm] in ("demonym", "derived"):
                    return ck.m_eid[jm]
            return ""
        if t in ("وهو", "وهي") and k + 1 < end and not ck.gap_bits[k + 1] & BREAK:
            jm = ck.tok_ment[k + 1]  # رضوان لقديم وهو فرنسي من أصل مغربي
            return ck.m_eid[jm] if jm >= 0 and ck.m_kind[jm] == "demonym" and ck.m_type[jm] == "country" else ""
        if not ck.gap_bits[k] & COMMA and (spk["head"] != "name" or ck.chunk[ck.ce[k] - 1] == "ه" or (
                t[0] in "وف" and _deal(t) not in self.titles) or _head_kind(
                ck.tok[k], self.titles) not in ("title", "descriptor")):
            return ""  # no comma: only a title right after a name (معصومة ابتكار المسؤولة الإيرانية)
        ap = self.speaker_phrase(k, end, 0, forced=True)
        if ap is None or ap["head"] not in ("title", "descriptor"):
            return ""
        basis, intl = self.basis, self.intl
        _, country, _ = self.classify(ap, self.phrase_mentions(ap["start"], ap["end"]))
        found = "" if self.intl else country
        if not found and not self.intl:
            # فريد زكريا، مقدم برنامج على شبكة "سي إن إن"، ...: the medium's country, up to the closing comma
            x = ap["start"] + 1
            while x < min(end, ap["start"] + 12) and not ck.gap_bits[x] & BREAK and ck.tok[x] not in _ADDRESSEES \
                    and (ck.tok[x] not in _OPENERS or ck.tok[x - 1] in ("سي", "ان")):  # (سي إن إن: CNN)
                x += 1
            if x < end and ck.gap_bits[x] & COMMA:
                found = self.media_country(ap["start"], x, "institution")
        self.basis, self.intl = basis, intl
        return found

    def media_country(self, a: int, b: int, head, medium: bool = False) -> str:
        """The country of a news medium named in tokens [a, b) (plus a quoted name right after), or "".

        ``medium``: the words are known to name a medium (the channel of نقلت X عن)."""
        T = self.ck.tok
        b2 = b
        if b < len(T) and self.ck.gap_bits[b] & OPENQ:
            c = next((x for x in range(b + 1, min(len(T), b + 5)) if self.ck.gap_bits[x] & CLOSEQ), None)
            b2 = c if c is not None else b
        words = T[a:b2]
        if _MEDIA_FIRST.isdisjoint(words) and _MEDIA_FIRST.isdisjoint(w[1:] for w in words):
            return ""
        has_head = medium or any(w in _MEDIA_ANY for w in words)
        for n in (4, 3, 2, 1):
            for i in range(len(words) - n + 1):
                name = " ".join(words[i:i + n])
                for cand in (name, name[1:] if name[:1] in "وبل" else None):
                    if cand and cand in V.MEDIA_COUNTRIES and (has_head or cand not in V.MEDIA_NEED_HEAD):
                        return V.MEDIA_COUNTRIES[cand]
        return ""

    def institution_before(self, k: int, head: str) -> tuple[str, str]:
        """(entity id, country) of the last earlier use of the word ``head`` (without ال) in the field:
        an organization named with it (حزب الله ... الحزب), else the demonym right after it (الخزانة
        الأمريكية ... الخزانة); ("", "") when there is none."""
        ck = self.ck
        T = ck.tok
        fstart_tok = bisect.bisect_left(ck.cs, ck.fstart_l[self.field_of(k)])
        for x in range(k - 1, max(k - 600, fstart_tok) - 1, -1):
            if _deal(T[x]) == head:
                y = ck.tok_ment[x]
                if y >= 0 and ck.m_type[y] == "organization" and ck.m_kind[y] == "name":
                    return ck.m_eid[y], ck.m_country[y]
                for y in self.phrase_mentions(x + 1, min(len(T), x + 3)):
                    if ck.m_kind[y] == "demonym" and self.country_of(y):
                        return "", self.country_of(y)
        return "", ""

    def is_wire(self, via) -> bool:
        """Does the channel phrase name an international wire or network (رويترز، فرانس برس ...)? Their
        sources are from anywhere, so the channel's country says nothing about the speaker's."""
        words = " ".join(self.ck.tok[via["start"]:min(len(self.ck.tok), via["end"] + 3)])
        return any(w in words for w in _WIRES)

    def media_before(self, k: int, head: str) -> str:
        """The country of the medium last named with ``head`` (صحيفة X) before token k in the field."""
        ck = self.ck
        T = ck.tok
        lo = max(0, k - 600)
        fstart_tok = bisect.bisect_left(ck.cs, ck.fstart_l[self.field_of(k)])
        for x in range(k - 1, max(lo, fstart_tok) - 1, -1):
            if _deal(T[x]) == head and not T[x].startswith("ال"):
                mc = self.media_country(x, min(len(T), x + 4), "institution")
                if mc:
                    return mc
                # صحيفة "لاكروا" الفرنسية: the demonym after the medium's name
                for y in self.phrase_mentions(x + 1, min(len(T), x + 6)):
                    if ck.m_kind[y] == "demonym" and self.country_of(y):
                        return self.country_of(y)
                return ""
        return ""

    def field_of(self, k: int) -> int:
        return bisect.bisect_right(self.ck.fstart_l, self.ck.cs[k]) - 1

    def country_of(self, x: int) -> str:
        ck = self.ck
        return ck.m_eid[x] if ck.m_type[x] == "country" else ck.m_country[x]

    def classify(self, spk, ms) -> tuple[str, str, str]:
        """(speaker_id, speaker_country, speaker_kind) of a speaker phrase with mentions ``ms``.

        Sets ``self.basis`` to where the country came from: "entity" (a person,
        organization or place of the gazetteer) or "phrase" (a country's name or
        demonym in the phrase), and ``self.intl`` when the phrase names an
        international body (no country of its own).
        """
        ck = self.ck
        head = spk["head"]
        T = ck.tok
        person = office = inst = None
        p_country = country = ""
        basis = ""
        sport = _deal(spk["head_tok"]) in _SPORT_HEADS
        # (an international body after a preposition is not the speaker's: مندوب روسيا لدى الأمم المتحدة)
        self.intl = any(ck.m_type[x] == "organization" and not ck.m_country[x] and not (
            ck.m_tok[x] > spk["start"] and T[ck.m_tok[x] - 1] in _AFTER_PREP) for x in ms) or \
            not _INTERNATIONAL.isdisjoint(T[spk["start"]:spk["end"]])
        for x in ms:
            typ = ck.m_type[x]
            if typ == "person":
                if head == "title" and ck.m_tok[x] > spk["start"] and self.owner_after_li(x):
                    # المبعوث الخاص للرئيس الروسي: the title's owner, not the speaker (his country is)
                    p_country = p_country or ck.m_country[x]
                    continue
                if ck.m_kind[x] == "name":
                    if person is None:
                        person = x
                elif office is None:
                    office = x
                if not p_country and ck.m_country[x] and not (ck.m_kind[x] == "office" and self.intl):
                    p_country = ck.m_country[x]  # (the UN envoy to Syria: the office's country is not his)
                continue
            if inst is None:
                inst = x
            if typ in ("organization", "place") and sport:
                continue  # نجم ليفربول، مدرب ريال مدريد: the club's country is not the player's
            if not country:
                c = ck.m_eid[x] if typ == "country" else ck.m_country[x]
                # a country after a preposition (إلى سوريا، لدى الأمم المتحدة) is not a title's own
                t = ck.m_tok[x]
                if t > spk["start"] and (T[t - 1] in _BACKED or (T[t - 1] == "من" and T[t - 2] in _BACKED)
                                         or (T[t - 1] == "الي" and head in ("title", "entity"))):
                    continue  # (المبعوث الأمريكي إلى سوريا: sent to it, not from it)
                if c and (head in ("unnamed", "entity") or t == spk["start"] or T[t - 1] not in _PREPOSITIONS
                          or (T[t - 1] == "في" and typ == "country" and head in ("institution", "title"))):
                    # (الوكالة الرسمية في كوريا الشمالية: in a country, its own)
                    country = c
                    basis = "phrase" if typ == "country" or ck.m_kind[x] != "name" else "entity"
        if p_country:
            country, basis = p_country, "entity"
        self.basis = basis if country else ""
        if person is not None:
            return ck.m_eid[person], country, "person"
        if office is not None:
            return ck.m_eid[office], country, "office"
        if head == "unnamed":
            return "", country, "unnamed_source"
        if head == "title":
            return "", country, "person" if spk["names"] else "office"
        if head == "descriptor":
            # a name, or a definite description of one person (المحلل السياسي، الحكم النرويجي): a person
            definite = spk["head_tok"].startswith("ال") or spk["end"] - spk["start"] > 1
            return "", country, "person" if spk["names"] or definite else "unnamed_source"
        if head == "name":
            return "", country, "person"
        if inst is not None:
            if head == "entity" and ck.m_kind[inst] == "demonym":
                return "", country, "unnamed_source"  # الروس / الإيرانيون: people, not an institution
            if ck.m_kind[inst] == "name" and (head == "entity" or ck.m_tok[inst] <= spk["start"] + 2):
                return ck.m_eid[inst], country, "institution"
        return "", country, "institution"

    def antecedent(self, row, same_head: str | None = None, gender: str | None = None,
                   same_sentence: bool = False):
        """The previous statement of the field this one refers back to, or None.

        ``same_head``: the latest with that head word (المصدر -> مصدر); ``gender``:
        the latest whose verb agrees (plural: a plural head or verb), else the
        latest; ``same_sentence``: only statements of this sentence.
        """
        para, sent = row["para"], row["sent"]
        first = None
        for r in reversed(self.field_rows):
            if same_sentence and (r["para"] != para or r["sent"] != sent):
                break
            if not (r["stext"] or r["sid"]):
                continue
            if same_head is not None:
                if r["head"] == same_head and (r["scountry"] or r["sid"]) and r["ss"] != row["ss"]:
                    return r
                continue
            if first is None:
                first = r
                if gender is None:
                    return r
            if gender == "pl":
                if r["plural"] or r["gender"] == "pl":
                    return r
            elif r["gender"] == gender and not r["plural"]:
                return r
        return first

    def resolve_missing(self, row, vf, h, f, para, sent, s_start, participle):
        """No speaker after the verb: the subject earlier in the sentence, or the speaker before.

        ``speaker_kind`` is the kind of the speaker found when it is in the
        statement's own sentence (وكان X قد قال ...، وأكد ...), else
        pronoun_or_earlier; ``rkind`` keeps the speaker's own kind for later
        statements that refer back to this one.
        """
        ck = self.ck
        fs = ck.fstart_l[f]
        row.update(sid="", stext="", ss=-1, se=-1, spara=-1, ssent=-1, scountry="", skind="pronoun_or_earlier",
                   rkind="", cbasis="", intl=False)

        def place(kind, basis):
            here = (row["spara"], row["ssent"]) == (para, sent)
            row["rkind"] = kind
            row["skind"] = kind if here and kind else "pronoun_or_earlier"
            row["cbasis"] = "" if not row["scountry"] else (basis if here else "earlier")

        # a statement earlier in the same sentence (قال ... مضيفا أن، وأضاف أن)
        ante = self.antecedent(row, same_sentence=True)
        if ante is None and (participle or vf.strip):
            # the subject of the sentence's first clause: وأبدت إسرائيل أسفها ... وقالت إنها
            x = self.clause_subject(h, s_start, f, vf.gender)
            if x is not None:
                row.update(sid=ck.m_eid[x], scountry=self.country_of(x), stext=ck.chunk[ck.m_cs[x]:ck.m_ce[x]],
                           ss=ck.m_cs[x] - fs, se=ck.m_ce[x] - fs, spara=para, ssent=sent)
                place(self.mention_kind(x), self.mention_basis(x))
                return
            spk = self.verb_first_subject(h, s_start, vf.gender)
            if spk is not None:  # وحرص كامبيو على ... قائلا: the subject of the verb opening the sentence
                self.resolve_phrase(row, spk, f, para, sent, None)
                return
        if ante is None:
            ante = self.antecedent(row, gender=vf.gender)
        if ante is not None:
            row.update(sid=ante["sid"], scountry=ante["scountry"], stext=ante["stext"], ss=ante["ss"],
                       se=ante["se"], spara=ante["spara"], ssent=ante["ssent"], head=ante["head"],
                       plural=ante["plural"], names=ante["names"], intl=ante["intl"])
            place(ante["rkind"], ante["cbasis"])
            return
        x = self.person_before(f, para, sent)
        if x is not None:  # nobody quoted before: the person named in the nearest earlier sentence
            row.update(sid=ck.m_eid[x], scountry=self.country_of(x), stext=ck.chunk[ck.m_cs[x]:ck.m_ce[x]],
                       ss=ck.m_cs[x] - fs, se=ck.m_ce[x] - fs, spara=ck.m_para[x], ssent=ck.m_sent[x])
            place(self.mention_kind(x), self.mention_basis(x))

    def mention_basis(self, x: int) -> str:
        ck = self.ck
        return "phrase" if ck.m_type[x] == "country" or ck.m_kind[x] != "name" else "entity"

    def mention_kind(self, x: int) -> str:
        """The speaker kind of a mention taken as the speaker."""
        ck = self.ck
        if ck.m_type[x] == "person":
            return "office" if ck.m_kind[x] == "office" else "person"
        return "institution"

    def clause_subject(self, h: int, s_start: int, f: int, gender: str):
        """The mention (index) of the first free entity of the sentence before the verb that
        agrees with it (feminine verb: a country or organization; masculine: a person or organization)."""
        ck = self.ck
        T = ck.tok
        lo = bisect.bisect_left(ck.m_cs, s_start)
        hi = bisect.bisect_left(ck.m_tok, h)
        want = ("country", "organization") if gender == "fs" else ("person", "organization") if gender == "ms" else ()
        for x in range(lo, hi):
            if ck.m_f[x] != f or ck.m_kind[x] in ("derived", "demonym"):
                continue
            t = ck.m_tok[x]
            if ck.m_pre[x] and T[t][0] in "بلك":
                continue  # بروسيا، لإيران: not a subject
            if t > 0 and ck.cs[t - 1] >= s_start and T[t - 1] in _STOP_WORDS | _PREPOSITIONS:
                continue  # في سوريا، حول إيران
            if ck.m_type[x] in want:
                return x
            return None
        return None

    def verb_first_subject(self, h: int, s_start: int, gender: str):
        """The speaker phrase (as :meth:`speaker_phrase`) of the subject after the verb that opens the
        sentence (or its clause, after a short lead ending in a comma) when the verb at token h continues
        that clause without a subject of its own (وحرص كامبيو على ... قائلا، ونعت الرابطة أستوري ...
        وأعلنت، في المقابل، رد المندوب الروسي ... وقال), or None. The subject must be a speaker phrase with
        a definite head, أحد / آخر, or a name an earlier full mention confirms."""
        ck = self.ck
        T, G = ck.tok, ck.gap_bits

        def particle(w: str) -> bool:
            return any(x in _STOP_WORDS or x in _PREPOSITIONS for x in (w, w[1:] if w[0] in "وف" else w))

        a = bisect.bisect_left(ck.cs, s_start)
        c = next((x for x in range(a + 1, min(h, a + 4)) if G[x] & COMMA), None)
        if c is not None and not G[c] & (BREAK & ~COMMA) and (particle(T[a]) or T[a].startswith(("ب", "وب"))):
            a = c  # في المقابل، رد ...، من جانبه، قدم ...، بدوره، ...
        if h - a < 3:
            return None
        v = T[a]
        if particle(v) or v in _OPENERS or v in _KANA or v in _SUBJECT_AFTER or v in _WHEN or v in _AS_SAID \
                or v in _RELATIVES or ck.tok_ment[a] >= 0 or v.startswith(("ال", "وال", "فال", "بال", "لل")) \
                or G[a + 1] & BREAK:  # (a reporting verb without content may open it: رد المندوب على ...)
            return None
        base = v[1:] if v[0] in "وف" and len(v) > 3 else v
        if base in ("جاء", "جاءت"):
            return None  # وجاء رد فودة، وجاءت التصريحات بعدما: what came, not who spoke
        if gender == "fs" and not (base.endswith("ت") or base.startswith("ت")):
            return None
        spk = self.speaker_phrase(a + 1, h, 0, forced=True)
        if spk is None or spk["head"] in (None, "document", "entity"):
            return None
        if spk["head"] == "name":
            if spk["end"] - spk["start"] > spk["names"] or T[a + 1] in _NON_NAMES or self.phrase_mentions(
                    spk["start"], spk["end"]) or self.name_before(spk) is None:
                return None  # (only a name an earlier full mention confirms: ولفت الانتباه، وحرص كامبيو)
        elif not spk["head_tok"].startswith("ال") and T[a + 1] not in ("احد", "احدي", "اخر"):
            return None
        return spk

    def subject_before(self, h: int, s_start: int, f: int, anywhere: bool = False):
        """(id, country, kind, start, end) of the entity that is the subject right before the verb."""
        ck = self.ck
        T = ck.tok
        if not anywhere and h >= 2:
            # وكانت أدنوك قد أعلنت، وكانت مصادر أكدت: the words between كان and (قد) the verb
            stop = h - 1 if T[h - 1] == "قد" else h
            for x in range(stop - 1, max(-1, h - 14), -1):
                if ck.cs[x] < s_start or (x < stop - 1 and x in self.hit_tok):
                    break
                if T[x] in _KANA:
                    spk = self.speaker_phrase(x + 1, stop, 0, forced=True) if x + 1 < stop else None
                    if spk is not None and (spk["end"] == stop or (
                            stop - spk["end"] <= 3 and ck.gap_bits[spk["end"]] & OTHER and ck.gap_bits[stop] & OTHER
                            and ck.chunk[ck.ce[spk["end"] - 1]:ck.cs[spk["end"]]].rstrip().endswith("(")) or (
                            ck.gap_bits[spk["end"]] & COMMA and ck.gap_bits[stop] & COMMA) or (
                            T[spk["end"]] in _PREPOSITIONS and stop - spk["end"] <= 3 and T[h - 1] == "قد"
                            and not any(ck.gap_bits[z] & BREAK for z in range(spk["end"], stop + 1)))):
                        # (وكانت المصادر في البداية قد قالت)
                        # وكان باشينيان، وهو المرشح الوحيد للمنصب، قد طالب
                        ms = self.phrase_mentions(spk["start"], spk["end"])
                        sid, country, kind = self.classify(spk, ms)
                        return sid, country, kind, ck.cs[spk["start"]], ck.ce[spk["end"] - 1]
                    break
        hi = bisect.bisect_left(ck.m_tok, h)
        lo = bisect.bisect_left(ck.m_cs, s_start)
        if hi <= lo:
            return None
        if anywhere:  # a participle without a statement before it in the sentence
            xs = [x for x in range(lo, hi) if ck.m_f[x] == f and ck.m_type[x] in ("person", "organization")]
            if not xs:
                return None
            x = next((x for x in xs if ck.m_type[x] == "person"), xs[0])
            return ck.m_eid[x], self.country_of(x), "person", ck.m_cs[x], ck.m_ce[x]
        x = hi - 1
        if ck.m_f[x] != f:
            return None
        # between the mention and the verb: nothing, or قد / الذي / كان ... قد
        k = ck.m_last[x] + 1
        between = T[k:h]
        held = False  # the office's holder named after it
        if between and between[0] not in ("قد", "الذي", "التي", "الذين", "وقد") and len(between) <= 3 \
                and _head_kind(between[0], self.titles) == "title" and ck.m_kind[x] in ("office", "demonym", "derived") \
                and all(_is_name_token(w, first=False) for w in between[1:]):
            between, held = [], True  # ولي العهد السعودي الأمير محمد قال: the holder's title and name
        if len(between) > 2 or any(w not in ("قد", "الذي", "التي", "الذين", "وقد") for w in between):
            return None
        if any(ck.gap_bits[i] & (BREAK & ~COMMA) for i in range(k, h + 1)):
            return None
        # the run of mentions ending there (وزير الخارجية الروسي سيرغي لافروف) and the title before it
        y = x
        while y - 1 >= lo and ck.m_f[y - 1] == f and ck.m_last[y - 1] >= ck.m_tok[y] - 2 and \
                not any(ck.gap_bits[i] & BREAK for i in range(ck.m_last[y - 1] + 1, ck.m_tok[y] + 1)):
            y -= 1
        t0 = ck.m_tok[y]
        if not (between and between[-1] in _RELATIVES) and ((ck.m_pre[y] and T[t0][0] in "بلك") or (
                t0 > 0 and ck.cs[t0 - 1] >= s_start and (
                T[t0 - 1] in _PREPOSITIONS or (T[t0 - 1] in _STOP_WORDS and T[t0 - 1] not in _OPENERS
                                             and T[t0 - 1] not in _SUBJECT_AFTER)))):
            # في موسكو قال ...: not the subject (ويذكر أن الخارجية الروسية قالت: it is; nor is
            # ويلتزم بالوكالة الدولية، التي قالت: the relative pronoun's antecedent speaks, whatever its case)
            return None
        if t0 > 0 and T[t0 - 1] in _OPENERS and self.field_rows and self.field_rows[-1]["cv"] >= s_start \
                and not (t0 > 1 and T[t0 - 2] in _BUT_THAT):
            self.in_content = True
            return None  # قال ماتيس إن "..." أن موسكو أقرت: inside another statement's content (not غير أن روسيا تنفي)
        while t0 - 1 >= 0 and ck.cs[t0 - 1] >= s_start and not ck.gap_bits[t0] & BREAK and \
                (_head_kind(T[t0 - 1], self.titles) in ("title", "institution", "unnamed", "descriptor")
                 or T[t0 - 1] in _GENITIVES):
            t0 -= 1
        a = ck.cs[t0] if t0 < ck.m_tok[y] else ck.m_cs[y]
        b = ck.ce[h - 1] if held else ck.m_ce[x]
        pers = [z for z in range(y, x + 1) if ck.m_type[z] == "person"]
        if pers:
            z = pers[0]
            return ck.m_eid[z], ck.m_country[z], ("office" if ck.m_kind[z] == "office" else "person"), a, b
        country = next((self.country_of(z) for z in range(y, x + 1) if self.country_of(z)), "")
        if ck.m_kind[x] == "demonym":
            hk = _head_kind(T[t0], self.titles) if t0 < ck.m_tok[y] else None
            if hk is None:
                return None
            kind = {"title": "office", "unnamed": "unnamed_source", "descriptor": "person"}.get(hk, "institution")
            return "", country, kind, a, b
        org = next((z for z in range(y, x + 1) if ck.m_type[z] == "organization"), x)
        return ck.m_eid[org], country, "institution", a, b  # وزارة الخارجية الروسية: the ministry, not Russia

    def name_subject(self, h: int, s_start: int):
        """(id, country, kind, start, end) of a subject between a conjunction and the verb at token h
        that is no mention (لكن ماسك قال، لكن الشبكة أفادت، فإن الشرطة أوصت، لكن إحدى النظريات تقول),
        or None. A bare unknown name is taken only when an earlier full mention names it
        (:meth:`name_before`), which also gives its entity or country."""
        ck = self.ck
        T, G = ck.tok, ck.gap_bits
        if G[h] & BREAK:
            return None
        for a in range(h - 1, max(0, h - 4), -1):
            if ck.cs[a - 1] < s_start or (a + 1 < h and G[a + 1] & BREAK):
                return None
            if (T[a - 1] in _SUBJECT_AFTER or (a > 1 and T[a - 1] in ("ان", "انه") and T[a - 2] in _BUT_THAT)) \
                    and not G[a] & (BREAK & ~COMMA):
                break  # (إلا أن فهمي أعلن، غير أن الوزارة قالت)
        else:
            return None
        if any(ck.tok_ment[x] >= 0 for x in range(a, h)):
            return None  # mentions: subject_before's
        return self.subject_phrase(a, h)

    def subject_phrase(self, a: int, e: int, named: bool = False):
        """(id, country, kind, start, end) of a speaker phrase filling tokens a..e-1 as the subject before
        a verb, or None. Its head must be definite (or أحد); one unknown word is a name only when an
        earlier full mention names it (:meth:`name_before`), or, with ``named``, anyway."""
        ck = self.ck
        T = ck.tok
        spk = self.speaker_phrase(a, e, 0, forced=True)
        if spk is None or spk["end"] != e or spk["head"] in (None, "document", "entity"):
            return None
        if spk["head"] == "name":
            if e - a != 1 or T[a] in _NON_NAMES:
                return None
            found = self.name_before(spk) or (("", "") if named else None)
            if found is None:
                return None  # an unknown word no earlier full mention names: not taken
            return found[0], found[1], "person", ck.cs[a], ck.ce[a]
        if not spk["head_tok"].startswith("ال") and T[a] not in ("احد", "احدي"):
            return None  # (indefinite: لكن مصادر قالت is fine, but مصادر has no article) -> unnamed below
        sid, country, kind = self.classify(spk, self.phrase_mentions(spk["start"], spk["end"]))
        return sid, country, kind, ck.cs[spk["start"]], ck.ce[spk["end"] - 1]

    def relative_subject(self, h: int, s_start: int, gender: str):
        """(id, country, kind, start, end) of the antecedent of the relative pronoun right before the verb at
        token h when it is no mention (وفق أبازيد الذي أشار، المقاولون الذين أقروا), or None.

        The antecedent is the speaker phrase ending at the pronoun that starts
        after a break, a preposition or a particle; the pronoun must agree with
        the verb (الذي: masculine, التي: feminine, الذين: plural). A bare
        unknown name is taken only after an "according to" word or when an
        earlier full mention names it (:meth:`name_before`).
        """
        ck = self.ck
        T, G = ck.tok, ck.gap_bits
        r = h - 1
        if _RELATIVE_GENDER.get(T[r], gender) != gender or r < 1 or ck.cs[r - 1] < s_start:
            return None
        if ck.tok_ment[r - 1] >= 0 or any(ck.m_last[x] == r - 1 for x in self.phrase_mentions(max(0, r - 6), r)):
            return None  # a mention before the pronoun: subject_before's
        for a in range(r - 1, max(-1, r - 6), -1):
            if ck.cs[a] < s_start or (a < r - 1 and G[a + 1] & BREAK):
                return None
            if not (a == 0 or G[a] & BREAK_OR_TERM or T[a - 1] in _PREPOSITIONS or T[a - 1] in _STOP_WORDS
                    or T[a - 1] in _AS_SAID or T[a - 1] in _OPENERS):
                continue
            return self.subject_phrase(a, r, named=a > 0 and T[a - 1] in _AS_SAID)
        return None

    def carrier_subject(self, h: int, s_start: int, gender: str):
        """(id, country, kind, start, end) of the subject of the clause that issued the text in which the verb
        at token h speaks (أصدرت شركة الطيران بيانا اعتذرت فيه، ونشر آل الشيخ تغريدة قال فيها، صدر بيان عن
        الجيش قال فيه), or None: a verb of issuing (:data:`_CARRIER_VERBS`), its subject, and a carrier noun
        (:data:`_CARRIER_NOUNS`), within the sentence before the verb. "before" when that verb has no
        subject of its own (وأصدر بيانا قال فيه: the speaker named before issued it)."""
        ck = self.ck
        T, G = ck.tok, ck.gap_bits
        for c in range(h - 2, max(-1, h - 14), -1):
            if ck.cs[c] < s_start or G[c + 1] & (TERM | COLON):
                return None
            t = T[c]
            base = t[1:] if t[0] in "وف" and t[1:] in _CARRIER_VERBS else t
            if base not in _CARRIER_VERBS:
                if c in self.hit_tok:
                    return None  # another statement's verb first
                continue
            n = next((x for x in range(c + 1, h) if T[x] in _CARRIER_NOUNS or _deal(T[x][1:] if T[x][0] == "ب" else T[x])
                      in _CARRIER_NOUNS), None)
            if n is None:
                return None
            if base in ("صدر", "صدرت"):  # صدر بيان عن الجيش التركي: the issuer after عن
                if n + 2 < h and T[n + 1] == "عن" and not G[n + 1] & BREAK:
                    spk = self.speaker_phrase(n + 2, h, 0, forced=True)
                    break
                return None
            if n == c + 1:
                return "before"  # وأصدر بيانا: the subject is before (the statement before speaks)
            spk = self.speaker_phrase(c + 1, n, 0, forced=True)  # (it may stop at a time: غداة الحادثة)
            break
        else:
            return None
        if spk is None or spk["head"] in (None, "document"):
            return None
        ms = self.phrase_mentions(spk["start"], spk["end"])
        if spk["head"] == "name" and not ms:
            found = self.name_before(spk)
            if found is None:
                return None
            return found[0], found[1], "person", ck.cs[spk["start"]], ck.ce[spk["end"] - 1]
        sid, country, kind = self.classify(spk, ms)
        return sid, country, kind, ck.cs[spk["start"]], ck.ce[spk["end"] - 1]

    def amma_subject(self, h: int, s_start: int):
        """(id, country, kind, start, end) of the topic of أما ...، ف: the speaker phrase after أما and
        before its comma, when the verb at token h opens the ف clause (أما ماكرون، فقد أكد؛ أما الوزير،
        فقال), or None."""
        ck = self.ck
        T, G = ck.tok, ck.gap_bits
        k = h - 1 if h > 0 and T[h - 1] == "فقد" else h  # the token carrying ف
        if not (T[k][0] == "ف" if k == h else True) or not G[k] & COMMA or G[k] & (BREAK & ~COMMA):
            return None
        for x in range(k - 1, max(-1, k - 12), -1):
            if ck.cs[x] < s_start or x in self.hit_tok:
                return None
            if T[x] in ("اما", "واما"):
                break
        else:
            return None
        if x + 1 >= k or T[x + 1] in _PREPOSITIONS or T[x + 1] in ("بالنسبه", "بخصوص", "بشان", "عن", "فيما"):
            return None  # أما بالنسبة للوجبات، فقد: a topic, not a speaker
        spk = self.speaker_phrase(x + 1, k, 0, forced=True)
        if spk is None or spk["end"] != k or spk["head"] in (None, "document"):
            return None
        ms = self.phrase_mentions(spk["start"], spk["end"])
        sid, country, kind = self.classify(spk, ms)
        return sid, country, kind, ck.cs[spk["start"]], ck.ce[spk["end"] - 1]

    def fronted_subject(self, h: int, s_start: int):
        """(id, country, kind, start, end) of a speaker phrase opening the sentence, set off from the verb
        at token h by an appositive between commas (دينس روس، الزميل في "معهد واشنطن"، قال), or None."""
        ck = self.ck
        T, G = ck.tok, ck.gap_bits
        if G[h] & (BREAK & ~COMMA & ~CLOSEQ):
            return None
        a = bisect.bisect_left(ck.cs, s_start)
        if not 3 <= h - a <= 18:
            return None
        spk = self.speaker_phrase(a, h, 0, forced=True)
        if spk is None or spk["head"] not in ("name", "entity", "title") or spk["end"] >= h:
            return None
        e = spk["end"]
        if not G[e] & COMMA or G[e] & (BREAK & ~COMMA) or any(
                x in self.hit_tok or G[x] & (COMMA | COLON | TERM | OTHER) for x in range(e + 1, h)):
            return None  # one appositive, without a verb or another clause in it
        if not T[e].startswith("ال") and _head_kind(T[e], self.titles) not in ("title", "descriptor", "institution"):
            return None
        ms = self.phrase_mentions(spk["start"], spk["end"])
        if spk["head"] == "name" and not ms and spk["names"] < 2:
            return None  # one unknown word: too weak a name
        sid, country, kind = self.classify(spk, ms)
        return sid, country, kind, ck.cs[spk["start"]], ck.ce[spk["end"] - 1]

    def noun_subject(self, h: int, s_start: int, past: bool = False):
        """(id, country, kind, start, end) of the subject of a present-tense (or, ``past``, past-tense)
        verb with its content right after it: an unnamed-source or document noun right before it (تقارير
        إعلامية تفيد بأن، تأكيدات ... تشير إلى; after a past verb only one that opens its clause), or a
        speaker phrase from the start of the sentence or its clause (الكاتب السوري علي العبد الله يقول إن،
        لكن محامي الشركة قال إن); else None."""
        ck = self.ck
        T, G = ck.tok, ck.gap_bits
        if G[h] & BREAK:
            return None
        x = h - 1
        if x > 0 and T[x] in _UNNAMED_MODS_ANY and not G[x] & BREAK and ck.cs[x - 1] >= s_start:
            x -= 1  # تقارير إعلامية
        hk = _head_kind(T[x], self.titles)
        if hk in ("unnamed", "document") and ck.tok_ment[x] < 0 and (not past or x == 0 or ck.cs[x - 1] < s_start or (
                T[x - 1] in _CLAUSE_OPENERS or G[x] & BREAK)):
            # (after a past verb only a noun that opens its clause: not بنشر تغريدة قال فيها)
            return "", "", "institution" if hk == "document" else "unnamed_source", ck.cs[x], ck.ce[h - 1]
        got = self.headline_subject(h, s_start, -1)
        if got is None:
            return None
        a = bisect.bisect_left(ck.cs, got[3])
        if a > 0 and ck.cs[a - 1] >= s_start and T[a - 1] not in _CLAUSE_OPENERS:
            return None  # only a phrase that opens the sentence (or its clause: وكان، لكن)
        return got

    def is_headline(self, f: int, s_start: int, s_end: int) -> bool:
        """Is the sentence a title, or a subheading of the text: a line of its own of at most 16 words
        that ends without a terminator (الرئيس الأمريكي يعلن انطلاق العملية)?"""
        if f % 2 == 0:
            return True
        c = self.ck.chunk
        a, b = s_start, s_end  # (a sentence's span may hold the line break before it)
        while a < b and c[a].isspace():
            a += 1
        while a > 0 and c[a - 1] in " \t\u00a0":
            a -= 1
        while b < len(c) and c[b] in " \t\u00a0":
            b += 1
        if a >= b or (a > 0 and c[a - 1] not in _NEWLINES) or (b < len(c) and c[b] not in _NEWLINES):
            return False
        line = c[a:b].rstrip()
        return bool(line) and line[-1] not in _TERM and line[-1] not in _SEG_CLOSERS and len(line.split()) <= 16

    def headline_subject(self, h: int, s_start: int, f: int):
        """(id, country, kind, start, end) of a title's subject: a speaker phrase running from the start of
        the title's clause (after شاهد.. / بالفيديو:) right up to the present-tense verb at token h, or None."""
        ck = self.ck
        G = ck.gap_bits
        a = h - 1
        while a > 0 and ck.cs[a - 1] >= s_start and h - a < 8 and not G[a] & (BREAK_OR_TERM & ~OPENQ & ~CLOSEQ):
            a -= 1
        while a < h and ck.tok[a] in _CLAUSE_OPENERS:
            a += 1  # وكان تقرير خاص ... أشار، لكن الصحيفة كتبت
        if a >= h:
            return None
        spk = self.speaker_phrase(a, h, 0, forced=True)
        if (spk is None or spk["end"] != h) and G[a] & OPENQ and ck.tok_ment[a] < 0 and \
                self.closing_index(a, h + 1, 0, 4) == h:
            return "", "", "person", ck.cs[a], ck.ce[h - 1]  # "السد العالي" يعلن اعتزاله: a quoted nickname
        if spk is None or spk["end"] != h or spk["head"] in (None, "document"):
            return None
        ms = self.phrase_mentions(spk["start"], spk["end"])
        sid, country, kind = self.classify(spk, ms)
        if kind == "person" and not sid and spk["head"] == "name":
            mc = self.media_country(spk["start"], spk["end"], spk["head"])
            if mc:
                country, kind = mc, "institution"
        return sid, country, kind, ck.cs[spk["start"]], ck.ce[spk["end"] - 1]

    def person_before(self, f: int, para: int, sent: int):
        """The first person (else organization) mention of the nearest earlier sentence that has one."""
        ck = self.ck
        lo = bisect.bisect_left(ck.m_f, f)
        hi = bisect.bisect_left(ck.m_f, f + 1)
        best = None
        found = None
        for x in range(hi - 1, lo - 1, -1):
            key = (ck.m_para[x], ck.m_sent[x])
            if key >= (para, sent):
                continue
            if best is not None and key != best:
                break
            if ck.m_type[x] == "person" or (ck.m_type[x] == "organization" and found is None):
                found = x
                best = key
        return found

    def quote_before(self, h: int, s_start: int) -> tuple[int, int, bool]:
        """What an attribution after the content refers to: the quotation right before it
        («...»، قال لافروف) or the words of the sentence before it (...، وفق ما ذكرت الوكالة).
        Returns (start, end, direct)."""
        ck = self.ck
        chunk = ck.chunk
        T = ck.tok
        k = h
        if k >= 1 and T[k - 1] == "ما" and k >= 2 and T[k - 2] in _AS_SAID:
            k -= 2
        elif k >= 1 and T[k - 1] in _AS_SAID:
            k -= 1
        a = ck.cs[k] if k < h else ck.cs[h]
        e = a
        while e > s_start and (chunk[e - 1].isspace() or chunk[e - 1] in "،,-–—"):
            e -= 1
        if e > s_start and chunk[e - 1] in _CLOSE_Q:
            close = e - 1
            lo = chunk.rfind("\n", 0, close) + 1
            opens = "\"" if chunk[close] == "\"" else _OPEN_Q
            op = max(chunk.rfind(c, lo, close) for c in opens)
            if op >= 0:
                return op + 1, close, True
        return s_start, e, False

    def closing_quote(self, qpos: int) -> int:
        """End (exclusive) of the quotation opened at qpos: its closing mark, else the paragraph end."""
        chunk = self.ck.chunk
        para_end = chunk.find("\n", qpos)
        if para_end < 0:
            para_end = len(chunk)
        closers = {"«": "»", "“": "”", "„": "“”", "‹": "›", "\"": "\""}.get(chunk[qpos], _CLOSE_Q)
        ends = [e for e in (chunk.find(c, qpos + 1, para_end) for c in closers) if e >= 0]
        return min(ends) if ends else para_end

    def trim_end(self, qs: int, qe: int) -> int:
        chunk = self.ck.chunk
        while qe > qs and (chunk[qe - 1].isspace() or chunk[qe - 1] in _TERM or chunk[qe - 1] in _SEG_CLOSERS
                           or chunk[qe - 1] in "،,"):
            qe -= 1
        return qe


_WHAT_WHO = frozenset({"ما", "من", "بما", "مما", "لما", "عما", "ومن", "وما"})
_AS_SAID = frozenset({"وفق", "وفقا", "حسب", "بحسب", "طبقا", "حسبما", "وفقما", "مثلما", "كما", "وكما",
                      "بحسبما", "وحسب", "وبحسب", "ووفق", "ووفقا"})
# objects that make a reporting verb an idiom (لفت الانتباه، شدد الخناق)
_IDIOM_OBJECTS = {
    "لفت": frozenset({"الانتباه", "الانظار", "النظر", "انتباه", "انظار", "نظر"}),
    "شدد": frozenset({"الخناق", "الاجراءات", "القيود", "الحصار", "الرقابه", "العقوبات", "الحراسه"}),
    "اضاف": frozenset({"الهدف", "هدفا", "هدف", "الثاني", "الثالث"}),
    "راي": frozenset({"النور"}),
    "تابع": frozenset({"المباراه", "المباريات", "دراسته"}),
    "اورد": frozenset({"الخبر", "النبا", "التقرير", "تقريرا", "خبرا"}),
    "نقل": frozenset({"الخبر", "النبا", "تقريرا", "خبرا"}),
    "طالب": frozenset({"اللجوء", "لجوء"}),  # طالب اللجوء: the asylum seeker (طالب باللجوء: asked for it)
    # أدانت محكمة / أدان القاضي: convicted, not condemned
    "ادان": frozenset({"محكمه", "المحكمه", "القاضي", "قاضي", "القضاء", "هيئه", "محاكم", "المحاكم"}),
}
# words before a verb that coordinate it with the statement before (not nested in it)
# words of international bodies: their speakers get no country from the article (UN, NATO, FIFA ...)
_INTERNATIONAL = frozenset({"دولي", "دوليه", "اممي", "امميه", "عالمي", "عالميه", "اوروبي", "اوروبيه",
                            "الدولي", "الدوليه", "الاممي", "الامميه", "العالمي", "العالميه"})
_RELATIVES = frozenset({"الذي", "التي", "الذين", "اللذين", "اللتين", "اللذان", "اللتان"})
# the verb each relative pronoun agrees with (the dual ones are left free)
_RELATIVE_GENDER = {"الذي": "ms", "التي": "fs", "الذين": "pl"}
# a pronoun after the verb pointing back to the text it speaks in (بيانا قال فيه، كلمة أكد خلالها)
_RESUMPTIVE = frozenset({"فيه", "فيها", "فيهما", "خلاله", "خلالها"})
# verbs of issuing a text, whose subject speaks in it (match form; past tense, with ت and وا)
_CARRIER_VERBS = frozenset(v + e for v in ("اصدر", "نشر", "اطلق", "وجه", "بث", "كتب", "عقد", "ارسل", "بعث",
                                           "وزع", "صدر", "دون", "سجل", "قدم")
                           for e in ("", "ت", "وا")) | frozenset({"القي", "القت", "القوا", "ادلي", "ادلت",
                                                                   "ادلوا", "اجري", "اجرت", "اجروا"})
# the texts (match form, indefinite, with or without the accusative alif)
_CARRIER_NOUNS = frozenset(n + e for n in ("بيان", "تغريده", "تغريدات", "رساله", "رسائل", "خطاب", "كلمه",
                                           "تصريح", "تصريحات", "مقابله", "منشور", "منشورات", "مقال", "تقرير",
                                           "فيديو", "مقطع", "بلاغ", "مؤتمر", "تدوينه", "تدوينات", "مذكره",
                                           "شريط", "تسجيل", "برقيه", "حديث", "كتاب", "خبر", "اعلان")
                           for e in ("", "ا"))
# verb forms read as passives after a relative pronoun (البيان الذي نُشر): not statements
_PASSIVE_AFTER_RELATIVE = frozenset({"نشر", "نشرت"})
# conjunctions of time: the verb after them has the subject of the clause before (X، حين قال)
_WHEN = frozenset({"حين", "حينما", "عندما", "لما", "وحين", "وعندما", "بعدما", "وبعدما", "قبلما"})
# على + these after a verb: the preposition (غرد على تويتر), not the name Ali
_PLATFORMS = frozenset({"تويتر", "فيسبوك", "فيس", "انستغرام", "انستجرام", "يوتيوب", "حسابه", "حسابها", "صفحته",
                        "صفحتها", "موقعه", "موقعها", "تلغرام", "تيليغرام", "قناته", "قناتها"})
# verbs with no sense but speech: a statement whatever follows (غرد على تويتر، صرح للصحفيين)
_ONLY_SPEECH = frozenset({"غرد", "صرح"})
# verbs of speech whose present tense after a known subject takes a nominal object (روسيا تنفي ضلوعها)
_SVO_NOMINAL = frozenset({"نفي", "اتهم", "حذر", "ادان", "ندد", "اكد"})
# heads of sports people: the club named after them does not give their country
_SPORT_HEADS = frozenset({"نجم", "نجمه", "لاعب", "لاعبه", "مدرب", "مدربه", "حارس", "مهاجم", "مدافع",
                          "هداف", "جناح", "ظهير"})
_AFTER_PREP = frozenset({"في", "لدي", "الي", "من", "عن", "علي", "مع"})
# "loyal to / backed by" a country: not the speaker's own (الميليشيات الموالية لإيران، المدعومة من روسيا)
_BACKED = frozenset(w + e for w in ("الموالي", "المدعوم") for e in ("", "ه", "ين", "ون"))
# international wires and networks (normalized; see is_wire)
_WIRES = ("رويترز", "فرانس برس", "اف ب", "اسوشيتد برس", "اسوشييتد برس", "بلومبرغ", "بلومبيرغ", "سي ان ان",
          "بي بي سي", "سكاي نيوز", "الجزيره", "العربيه", "دويتشه فيله", "فرانس 24", "اكسيوس", "نيويورك تايمز",
          "واشنطن بوست", "وول ستريت", "الغارديان", "الجارديان", "فايننشال تايمز", "التايمز", "الاندبندنت")
_COORD_BEFORE = frozenset({"كما", "فيما", "بينما", "حيث", "كذلك", "وكما", "ثم"})
# a verb form right after these is not a verb: negated, a verbal noun, a preposition's object
_NEGATION = frozenset({"لم", "لن", "لا", "ولم", "ولن", "ولا", "فلم", "فلن", "فلا"})
_NOMINAL_BEFORE = frozenset({"عدم", "دون", "بدون", "ضروره", "مجرد", "بمجرد", "علي", "في", "من", "الي", "عن",
                             "مع", "حول", "جهاز", "عمليه", "اجل", "بهدف", "محاوله"})


def _blames(tok: list, x: int, stop: int, lemma: str) -> bool:
    """Is the blaming verb at token x followed by its blame word before token ``stop`` (حمّل X المسؤولية،
    ألقى باللوم)?"""
    words = V.BLAME_WORDS[lemma]
    return any(t in words for t in tok[x + 1:stop])


def _plausible(prev: str, vf: V.VerbForm, nxt: str = "") -> bool:
    """Can a verb form be a verb after the token ``prev`` (same sentence) and before ``nxt``?"""
    if prev in _NOMINAL_BEFORE:
        return prev == "من" and nxt in _OPENERS  # ضد من قال إنهم: "who said", not "from"
    if prev in _NEGATION:
        return False  # لم يعلن، لن يقول
    if vf.tense == "present" and prev in ("قد", "وقد"):
        return False  # قد تعلن: may announce
    return True


# participles of saying that take an object (a ḥāl): never a speaker, nor part of one
_HAL = frozenset(stem + "ا" for stem in (
    "مخاطب", "متحدث", "مشير", "مؤكد", "معلق", "معرب", "موضح", "مقسم", "محذر", "مطالب", "مكرر", "مستشهد",
    "متابع", "معتبر", "منتقد", "مبين", "متهم", "مشدد", "منوه", "ملمح", "مستبعد", "مرجح", "معترف", "متمني",
    "داعي", "لافت", "واصف", "مشيد", "مذكر", "مبدي", "متوجه", "مردد"))
# (only the masculine accusative: متحدثة، مذكرة، متابعة، مشيرة are also a spokeswoman, a memo, a follower, a
# name, and منتقدين critics)
# adverbs of manner right after a reporting verb (accusative: وأضاف ضاحكا، وتابع ساخرا)
_MANNER = frozenset({
    "متحديا", "ساخطا", "مستنكرا", "ضاحكا", "مبتسما", "مازحا", "غاضبا", "متفائلا", "متاثرا", "باكيا",
    "ساخرا", "متهكما", "مبتهجا", "بحزم", "بغضب", "بحماس", "مستدركا", "مستغربا", "متعجبا", "متحسرا",
    "متوعدا", "مطمئنا", "معقبا", "بثقه", "مرارا", "صراحه", "بصراحه", "مجددا", "لاحقا", "بدوره", "بدورها",
    "ضاحكه", "مبتسمه", "غاضبه", "ساخره", "مازحه", "باكيه", "متاثره", "متفائله", "ساخطه",
    "ممازحا", "ممازحه", "متسائلا", "متسائله", "مستطردا", "مستطرده",
})
# what a speaker goes on with (وتابع الوزير حديثه): it ends the speaker phrase
_TALK_OBJECTS = frozenset({"حديثه", "حديثها", "كلامه", "كلامها", "تصريحاته", "تصريحاتها"})  # (قوله: _QAWL)
_GOES_ON = frozenset({"تابع", "اضاف", "مضي", "اردف", "استطرد", "ختم", "اختتم", "واصل"})  # (حديثة "recent")
# one more of several unnamed speakers (وقال آخر إن، وقالت ثالثة إن)
_ANOTHER = frozenset({"اخر", "اخري", "اخرون", "ثان", "ثاني", "ثانيه", "ثالث", "ثالثه", "رابع", "رابعه"})
# a present verb of saying right after the verb (ومضى يقول، كتب تقول): the same speaker goes on
_SAYING_AFTER = frozenset({"يقول", "تقول", "يقولون", "يكتب", "تكتب"})
# conjunctions after which a bare name can be the subject of the verb that follows (لكن ماسك قال)
_SUBJECT_AFTER = frozenset({"لكن", "ولكن", "بينما", "فيما", "ثم", "حيث", "اذ", "كما", "وكما", "بل", "فان"})
# time words after a speaker (قالت الأمم المتحدة العام الماضي)
_DAYS = frozenset({"الاحد", "الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "السبت"})
_TIME_NOUNS = _DAYS | {"العام", "الشهر", "الاسبوع", "اليوم", "الصيف", "الشتاء", "الخريف", "الربيع"}
_TIME_ADJ = frozenset({"الماضي", "المقبل", "الجاري", "الحالي", "المنصرم", "الفائت", "الماضيه", "المقبله"})
# prepositions with a pronoun right after a verb, before its subject (وأعرب عنه الرئيس)
_PRONOUN_PREPS = frozenset(p + s for p in ("عن", "ل", "في", "من", "علي", "الي", "مع", "خلال")
                           for s in ("ه", "ها", "هم", "هما"))
# particles carrying the subject as a pronoun (لكنه يوضح أن، لكنها تقول إن)
_PRONOUN_PARTICLES = frozenset(p + s for p in ("لكن", "ولكن") for s in ("ه", "ها", "هم", "هما"))
# ... أن after these: "but" (إلا أن، غير أن، بيد أن، رغم أن)
_BUT_THAT = frozenset({"الا", "غير", "بيد", "رغم", "برغم", "ورغم"})
# days and "yesterday / today" between a verb and its speaker (أكد الاثنين الرئيس ...)
_DAY_WORDS = _DAYS | {"امس", "اليوم"}
# parts of the day before a weekday (مساء الاثنين، صباح الجمعة)
_DAY_PARTS = frozenset({"مساء", "صباح", "ظهر", "فجر", "ليل", "ليله", "عصر"})
_NISBA = ("ي", "يه", "يون", "يين")  # the endings of relative adjectives (الإسرائيلية، الغربي، المحليون)
# endings of adjectives (nisba and plural) that may follow a definite head (الرئيس التنفيذي، الأمين العام)
_ADJ_ENDINGS = _NISBA + ("ون", "ين", "ه")
_AS_BEING = frozenset({"بانه", "بانها", "بانهم", "بانهما", "بان"})  # وصف X بأنه: X is described
_DEMONSTRATIVES = frozenset({"هذا", "هذه", "هذي", "ذلك", "تلك", "هؤلاء", "اولئك", "هذين", "هاتين"})
# adjectives of renown after a demonym (رجل الأعمال البريطاني الشهير، الشركة الأميركية العملاقة)
_PRAISE = frozenset({"الشهير", "الشهيره", "العملاق", "العملاقه", "الكبير", "الكبيره", "الشاب", "الشابه",
                     "الراحل", "الراحله", "الشهيد"})
# "as" words that also mean "also" before a verb (، كما تؤكد: a new statement, not an aside)
_ALSO = frozenset({"كما", "وكما", "مثلما"})
_TEAM_ROLES = frozenset({"مدرب", "مدربه", "لاعب", "لاعبه", "قائد", "حارس", "مهاجم", "مدافع", "نجم"})
_TEAM_WORDS = frozenset({"منتخب", "المنتخب", "لمنتخب", "للمنتخب", "منتخبات"})
_QAWL = frozenset({"قوله", "قولها", "قولهم", "قولهما"})  # "his / her / their saying"
_ALSO_BEFORE = frozenset({"كما", "وكما", "كذلك", "وكذلك"})  # كما نفت وجود ...: "and also", like و
# verbs with a common non-reporting sense (استبعد "left out", شرح + a topic) whose content opens right
# after the verb or the speaker (استبعد أن، وشرح أن)
_OPENER_RIGHT_AFTER = frozenset({"استبعد", "شرح"})
# what shows rather than says (polls, figures): never the speaker of a statement
_EVIDENCE = frozenset({"استطلاعات", "استطلاع", "ارقام", "احصاءات", "احصائيات", "مؤشرات"})
_DENY_ADVERBS = frozenset({"مرارا", "بشده", "قطعيا", "تماما", "ايضا", "مجددا", "بدوره", "بدورها", "دوما", "دائما"})
_TOLD = frozenset({"ابلغ", "ناشد", "حث"})  # وكان عباس أبلغ الرئيس الروسي: the noun after the verb is told
_AFTER_THAT = frozenset({"بعد", "بعدما", "عقب", "اثر", "ردا", "قبل", "قبيل", "حين", "عندما"})  # وذلك بعدما طالب
_POSSESSED = ("ته", "تها", "تهم", "تهما")  # a feminine noun with a possessive pronoun: استقالته، نيتها
_QAD = frozenset({"قد", "وقد", "لقد", "ولقد"})  # وقد أعلن استقالته: a verb, its nominal content
# a fronted adverbial before a present-tense verb and its subject: وفي المقابل تنفي روسيا تورطها
_FRONTED = frozenset({"المقابل", "جهته", "جهتها", "جهتهم", "جانبه", "جانبها", "جانبهم", "بدوره", "بدورها",
                      "بدورهم"})
# words opening an adjunct between a speaker and the content (في تغريدة، خلال مؤتمر صحفي، أمس)
_ADJUNCT_STARTS = frozenset({"في", "خلال", "عبر", "امام", "اثناء", "عقب", "يوم", "صباح", "مساء"}) | _DAY_WORDS
_KANA = frozenset({"كان", "كانت", "وكان", "وكانت", "فكان", "فكانت", "كانوا", "وكانوا", "كانا", "وكانا"})
_CLAUSE_OPENERS = _KANA | {"لكن", "ولكن", "فيما", "بينما"}  # before a subject that opens its clause

_OUT_KEYS = ("f", "para", "sent", "verb", "lemma", "vs", "ve", "sid", "stext", "ss", "se", "spara", "ssent",
             "scountry", "cbasis", "skind", "direct", "qs", "qe", "qent", "qcountry", "via")


def _statements_of_chunk(fields: list[str], ment: dict, lex: _Lexicon, context_country: bool = True) -> dict:
    """The statements of one chunk of fields [title0, text0, title1, ...] as lists by column."""
    ck = _Chunk(fields, ment)
    flat = np.fromiter(chain.from_iterable(lex.automaton.iter(ck.m)), dtype=np.int64)
    out = {k: [] for k in _OUT_KEYS}
    if not len(flat):
        return out
    pend, pid = flat[0::2], flat[1::2]
    vs = pend - lex.entry_len[pid]  # the match-form start of the verb token
    order = np.argsort(vs, kind="stable")
    vs, pid = vs[order], pid[order]
    h = np.searchsorted(ck.ts_arr, vs)
    c_start = ck.cs_arr[h]
    fidx = np.searchsorted(ck.fstart, c_start, side="right") - 1
    para, sent, ustart, uend = _sentence_bounds(ck.units, ck.to_units(ck.fstart), ck.to_units(c_start), fidx, ck.cls)
    s_start, s_end = ck.from_units(ustart), ck.from_units(uend)
    # tokens of each hit's sentence end before `end`; the punctuation after the last one
    end = np.searchsorted(ck.cs_arr, s_end, side="left")
    last_ce = ck.ce_arr[np.maximum(end - 1, 0)] if len(ck.ce) else np.zeros(len(end), np.int64)
    tail = ck.bits(np.minimum(last_ce, s_end), s_end)
    hl = h.tolist()
    ss_l = s_start.tolist()
    forms_of = [lex.forms[lex.entries[p]] for p in pid.tolist()]
    inside = ck.inside_name
    n_tok = len(ck.tok)
    end_l = end.tolist()
    plausible = {x for x, fm, st, en in zip(hl, forms_of, ss_l, end_l)
                 if _plausible(ck.tok[x - 1] if x > 0 and ck.cs[x - 1] >= st else "", fm,
                               ck.tok[x + 1] if x + 1 < n_tok else "") and not inside[x]
                 and (fm.lemma not in V.BLAME_WORDS or _blames(ck.tok, x, min(en, x + 16), fm.lemma))}
    rules = _Rules(ck, lex, plausible)
    forms, entries = lex.forms, lex.entries
    prev_f = -1
    for i, (hi_, pi, fi, pa, se, ss_, sn, en, ta) in enumerate(zip(
            h.tolist(), pid.tolist(), fidx.tolist(), para.tolist(), sent.tolist(), s_start.tolist(),
            s_end.tolist(), end_l, tail.tolist())):
        if fi != prev_f:
            rules.new_field()
            prev_f = fi
        rules.hit(hi_, forms[entries[pi]], fi, pa, se, ss_, sn, en, ta)
    if context_country:
        main = _main_countries(ck)
        for r in rules.rows:
            if not r["scountry"] and not r["intl"]:
                c = main.get(r["f"] // 2, "")
                if c:  # the country the article is about (its title's first): a guess, marked as such
                    r["scountry"], r["cbasis"] = c, "context"
    for r in rules.rows:
        for k in _OUT_KEYS:
            out[k].append(r[k])
    return out


# the title names what the article is about: its mentions count 1 + 3 (on the eleven spent gold sets,
# context guesses right 0.785 against 0.769 for "the title's most mentioned country first", 637 guesses,
# never worse on any one set)
_TITLE_WEIGHT = 3


def _main_countries(ck: _Chunk) -> dict[int, str]:
    """Article (index in the chunk) -> the country it is about: the one mentioned most, a mention in
    the title counting four times (1 + _TITLE_WEIGHT); ties go to the country mentioned first."""
    if not ck.m_f:
        return {}
    eid = np.asarray(ck.m_eid, dtype=object)
    country = np.where(np.asarray(ck.m_type, dtype=object) == "country", eid,
                       np.asarray(ck.m_country, dtype=object))
    has = country != ""
    if not has.any():
        return {}
    f = np.asarray(ck.m_f, dtype=np.int64)[has]
    names, code = np.unique(country[has].astype(str), return_inverse=True)
    art = f // 2
    key = art * len(names) + code
    uk, first, inv = np.unique(key, return_index=True, return_inverse=True)
    total = np.bincount(inv)
    title = np.bincount(inv, weights=(f % 2 == 0))
    ua = uk // len(names)
    order = np.lexsort((first, -(total + _TITLE_WEIGHT * title), ua))
    ua_s = ua[order]
    keep = np.concatenate(([True], ua_s[1:] != ua_s[:-1]))
    best = order[keep]
    return dict(zip(ua[best].tolist(), names[uk[best] % len(names)].tolist()))


# ---------------------------------------------------------------------------
# driver
# ---------------------------------------------------------------------------
def _mention_arrays(mentions: pd.DataFrame, articles: pd.DataFrame) -> dict:
    """The mentions as arrays keyed by global field index (2 * article row + is-text), sorted."""
    need = ["article_id", "field", "start", "end", "entity_id", "entity_type", "country", "mention_kind",
            "paragraph", "sentence"]
    missing = [c for c in need if c not in mentions.columns]
    if missing:
        raise ValueError(f"extract_quotes: the mentions table has no {', '.join(map(repr, missing))} column "
                         "(make it with analysis.extract_mentions)")
    ids = pd.Index(articles["article_id"].astype(str))
    if not ids.is_unique:
        dup = ids[ids.duplicated()][0]
        raise ValueError(f"extract_quotes: article_id {dup!r} occurs more than once in the articles table, "
                         "so mentions cannot be placed (load with dedup, or make the ids unique)")
    row = ids.get_indexer(mentions["article_id"].astype(str))
    fld = mentions["field"].astype(str).to_numpy()
    is_text = fld == "text"
    ok = (row >= 0) & (is_text | (fld == "title"))
    g = (2 * row + is_text)[ok]
    start = mentions["start"].to_numpy(dtype=np.int64)[ok]
    end = mentions["end"].to_numpy(dtype=np.int64)[ok]
    order = np.lexsort((end, start, g))

    def col(name):
        c = mentions[name]
        if isinstance(c.dtype, pd.StringDtype):  # strings or missing: no per-value check needed
            return c.to_numpy(dtype=object, na_value="")[ok][order]
        v = c.to_numpy(dtype=object)[ok][order]
        return np.array([x if isinstance(x, str) else "" for x in v], dtype=object)

    return {"g": g[order], "start": start[order], "end": end[order], "eid": col("entity_id"),
            "etype": col("entity_type"), "country": col("country"), "kind": col("mention_kind"),
            "para": mentions["paragraph"].to_numpy(dtype=np.int64)[ok][order],
            "sent": mentions["sentence"].to_numpy(dtype=np.int64)[ok][order]}


def _chunk_mentions(M: dict, g_lo: int, g_hi: int) -> dict:
    lo = int(np.searchsorted(M["g"], g_lo, side="left"))
    hi = int(np.searchsorted(M["g"], g_hi, side="left"))
    out = {k: v[lo:hi] for k, v in M.items()}
    out["f"] = out.pop("g") - g_lo
    for k in ("eid", "etype", "country", "kind"):
        out[k] = out[k].tolist()
    return out


def _work(job: tuple) -> dict:
    fields, ment, key, context_country, art_offset = job
    res = _statements_of_chunk(fields, ment, _lexicon(*key), context_country)
    res["art_offset"] = art_offset
    return res


# The inputs of a worker process: set by the pool's initializer in the forked child only (its own
# memory), never in the calling process, so concurrent calls do not share it.
_WORKER: dict = {}


def _init_worker(make_job) -> None:
    _WORKER["make_job"] = make_job


def _work_in_child(bounds: tuple[int, int]) -> dict:
    return _work(_WORKER["make_job"](*bounds))


def _text_column(articles: pd.DataFrame, name: str) -> list[str]:
    if name not in articles.columns:
        return [""] * len(articles)
    return ["" if not isinstance(v, str) else v for v in articles[name].tolist()]


def _gazetteer(gazetteer):
    from analysis.entities.gazetteer import Gazetteer, load_gazetteer

    if gazetteer is None:
        return load_gazetteer()
    if isinstance(gazetteer, Gazetteer):
        return gazetteer
    if isinstance(gazetteer, (str, os.PathLike, dict)):
        return load_gazetteer(extra=gazetteer)
    raise TypeError("gazetteer must be None, a Gazetteer, or a path/dict extending the built-in one")


def extract_quotes(articles: pd.DataFrame, mentions: pd.DataFrame, gazetteer=None, *, verbs: str = "extended",
                   attributions: bool = False, context_country: bool = True, progress: bool = True,
                   n_jobs: int | None = None, chunk_size: int = 1000) -> pd.DataFrame:
    """Statements: reporting verbs, their speakers and what they say, in every article.

    Parameters
    ----------
    articles : DataFrame
        The articles table (``analysis.load_corpus``): ``article_id``,
        ``text``, optionally ``title``.
    mentions : DataFrame
        Its mentions table (``analysis.extract_mentions(articles)``): speakers
        and the entities of each quotation are read from it.
    gazetteer : None, Gazetteer, or path / dict
        The gazetteer of the mentions (its office titles add title words);
        None: the built-in one.
    verbs : ``"core"`` (default) or ``"extended"`` (also دعا، طالب، اتهم، وصف ...;
        see :mod:`analysis.voices.verbs`).
    attributions : also count بحسب / حسب / وفقا لـ / نقلا عن + a source as statements.
    context_country : a speaker whose country neither its entity, its words nor an
        earlier mention tells (مصدر أمني، الشرطة، a person the gazetteer lacks)
        gets the country the article is about (the one its title mentions most),
        unless it speaks for an international body; ``speaker_country_basis``
        says "context" for these guesses. False leaves them empty.
    progress : show a tqdm progress bar.
    n_jobs : worker processes (fork); default: all cores for 4,000+ articles.

    Returns
    -------
    DataFrame, one row per statement, sorted by article (input order), field
    and verb position:

    ``article_id``, ``field`` (title / text), ``paragraph``, ``sentence``
    (numbered as in the mentions table); ``verb`` (as written, without و / ف),
    ``lemma`` (normalized past tense: قال), ``verb_start``, ``verb_end``;
    ``speaker_id`` (a gazetteer entity, or ""), ``speaker_text`` (the
    speaker's words as written; "" when nobody was found), ``speaker_start``,
    ``speaker_end`` (offsets of ``speaker_text``, -1 when none),
    ``speaker_paragraph``, ``speaker_sentence`` (where the speaker was found:
    the statement's own sentence, or an earlier one when inherited; -1 when
    none), ``speaker_country`` (ISO3, or ""), ``speaker_country_basis`` (where
    it comes from: "entity" (a gazetteer person, organization or place),
    "phrase" (a country name or demonym in the speaker's words), "earlier" (an
    earlier statement or mention of the same speaker), "context" (the
    article's country, see ``context_country``), or ""), ``speaker_kind`` (person, office,
    institution, unnamed_source, pronoun_or_earlier); ``direct`` (the content
    is inside quotation marks), ``quote_start``, ``quote_end`` (the content);
    ``quote_entities``, ``quote_countries`` (space-separated sorted ids of the
    entities mentioned in the content, and of their countries); ``via`` (the
    channel in نقلت وكالة X عن Y, as written, or ""). Offsets point into the
    original title / text.
    """
    if not isinstance(articles, pd.DataFrame) or not isinstance(mentions, pd.DataFrame):
        raise TypeError("extract_quotes expects the articles and mentions DataFrames "
                        "(analysis.load_corpus, analysis.extract_mentions)")
    for col in ("article_id", "text"):
        if col not in articles.columns:
            raise ValueError(f"extract_quotes: the articles table has no {col!r} column")
    gaz = _gazetteer(gazetteer)
    key = (verbs, bool(attributions), _title_heads(gaz), _bare_persons(gaz))
    _lexicon(*key)  # validate and compile before any worker starts
    n = len(articles)
    titles = _text_column(articles, "title")
    texts = _text_column(articles, "text")
    M = _mention_arrays(mentions, articles)
    chunks = [(lo, min(n, lo + chunk_size)) for lo in range(0, n, chunk_size)]

    def make_job(lo: int, hi: int) -> tuple:
        fields = [None] * (2 * (hi - lo))
        fields[0::2] = titles[lo:hi]
        fields[1::2] = texts[lo:hi]
        return (fields, _chunk_mentions(M, 2 * lo, 2 * hi), key, bool(context_country), lo)

    if n_jobs is None:
        n_jobs = min(os.cpu_count() or 1, len(chunks)) if n >= 4000 else 1
    n_jobs = max(1, min(int(n_jobs), max(1, len(chunks))))
    from tqdm.auto import tqdm

    results = []
    with tqdm(total=n, desc="quotes", unit="art", disable=not progress) as bar:
        if n_jobs > 1 and hasattr(os, "fork"):
            import multiprocessing as mp

            # forked workers inherit the inputs (the initializer's argument is not pickled under fork)
            with mp.get_context("fork").Pool(n_jobs, initializer=_init_worker, initargs=(make_job,)) as pool:
                for (lo, hi), res in zip(chunks, pool.imap(_work_in_child, chunks)):
                    results.append(res)
                    bar.update(hi - lo)
        else:
            for lo, hi in chunks:
                results.append(_work(make_job(lo, hi)))
                bar.update(hi - lo)
    return _assemble(results, articles)


def _assemble(results: list[dict], articles: pd.DataFrame) -> pd.DataFrame:
    ids = articles["article_id"].to_numpy(dtype=object)
    cat = {k: list(chain.from_iterable(r[k] for r in results)) for k in _OUT_KEYS}
    art = np.concatenate([r["art_offset"] + np.asarray(r["f"], dtype=np.int64) // 2 for r in results]) \
        if results else np.zeros(0, np.int64)
    f = np.asarray(cat["f"], dtype=np.int64)

    def ints(k):
        return np.asarray(cat[k], dtype=np.int64)

    def objs(k):
        return np.asarray(cat[k], dtype=object) if cat[k] else np.zeros(0, dtype=object)

    return pd.DataFrame({
        "article_id": ids[art] if len(art) else np.zeros(0, dtype=object),
        "field": np.asarray(FIELDS, dtype=object)[f % 2] if len(f) else np.zeros(0, dtype=object),
        "paragraph": ints("para"), "sentence": ints("sent"),
        "verb": objs("verb"), "lemma": objs("lemma"), "verb_start": ints("vs"), "verb_end": ints("ve"),
        "speaker_id": objs("sid"), "speaker_text": objs("stext"), "speaker_start": ints("ss"),
        "speaker_end": ints("se"), "speaker_paragraph": ints("spara"), "speaker_sentence": ints("ssent"),
        "speaker_country": objs("scountry"), "speaker_country_basis": objs("cbasis"), "speaker_kind": objs("skind"),
        "direct": np.asarray(cat["direct"], dtype=bool), "quote_start": ints("qs"), "quote_end": ints("qe"),
        "quote_entities": objs("qent"), "quote_countries": objs("qcountry"), "via": objs("via"),
    }, columns=STATEMENT_COLUMNS)
