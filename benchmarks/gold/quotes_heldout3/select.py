"""Select the sentences of the THIRD held-out quote/speaker gold set from ANT.

A fourth, independent draw: a copy of ../quotes_heldout2/select.py with its own
seed and quotas. It leaves out every article of ../quotes/sentences.csv,
../quotes_heldout/sentences.csv and ../quotes_heldout2/sentences.csv, every
article that shares a ``dup_group`` with one of them (copies of the same story
in other outlets), and any sentence whose SHA-1 equals a sentence of any of
them. All rows go to one split, ``test``; sentence ids are ``h3-001`` ... in a
seeded random order.

Deterministic (seed 20181207): the same corpus file gives the same
``sentences.csv`` on every run. Writes no corpus text, only ids, offsets and
checksums.

    PYTHONPATH=/work/main/src /work/main/.venv/bin/python select.py [CORPUS] [--out sentences.csv]

Strata (one sentence per article, no article twice):

a  sentences holding a candidate reporting-verb form (REPORTING_FORMS), in
   sub-buckets filled in this order so the small ones get their quota:
   a_post_strict, a_post, a_cont, a_unnamed, a_rsi_near (a Russia/Syria/Iran
   cue within four tokens after the verb; drawn round-robin over the cue's
   country IRN, SYR, RUS), a_rsi (such a cue anywhere, in no earlier
   bucket), a_general (the rest);
b  lookalikes, round-robin over the lookalike types (as in the first set);
c  random sentences.

Articles, title rule, sentence splitter and length limits are those of
../quotes/select.py.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import random
import re
import sys
from pathlib import Path

SEED = 20181207
ID_PREFIX = "h3"
EARLIER_SETS = [Path(__file__).resolve().parent.parent / d / "sentences.csv"
                for d in ("quotes", "quotes_heldout", "quotes_heldout2")]
DEFAULT_CORPUS = "/work/shared/data/ant_multisource/ant_multisource_v2.1.jsonl.gz"
MIN_LEN, MAX_LEN = 30, 400
QUOTAS = {  # 240 sentences: a 73 %, b 16 %, c 11 %
    "a_post_strict": 6, "a_post": 15, "a_cont": 30, "a_unnamed": 26, "a_rsi_near": 48, "a_rsi": 30,
    "a_general": 20,
    "b": 38,
    "c": 27,
}
#: a supplement from its own seeded stream, appended after the main ids, if the
#: main draw holds too few statements (empty: not needed)
SUPPLEMENT: dict[str, int] = {}

# ----------------------------------------------------------------- sentences
_TERMINATORS = set(".!؟?؛;")
_CLOSERS = set('"”»)]')
_TRIM = " \t\r\n\xa0\u200f\u200e\u200b\ufeff"


def split_sentences(s: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) of a field string; see the module doc."""
    spans: list[tuple[int, int]] = []
    n = len(s)
    start = 0
    i = 0
    while i < n:
        ch = s[i]
        end = None
        nxt = i + 1
        if ch == "\n":
            end, nxt = i, i + 1
        elif ch in _TERMINATORS:
            if ch == "." and 0 < i < n - 1 and s[i - 1].isdigit() and s[i + 1].isdigit():
                i += 1
                continue
            j = i + 1
            while j < n and s[j] in _TERMINATORS:
                j += 1
            # a closing quotation mark right after the terminator belongs here
            seg = s[start:j]
            while j < n and s[j] in _CLOSERS:
                if s[j] == '"' and seg.count('"') % 2 == 0:
                    break  # an even count: this mark opens the next sentence
                j += 1
                seg = s[start:j]
            end, nxt = j, j
        if end is not None:
            a, b = start, end
            while a < b and s[a] in _TRIM:
                a += 1
            while b > a and s[b - 1] in _TRIM:
                b -= 1
            if b > a:
                spans.append((a, b))
            start = nxt
            i = nxt
            continue
        i += 1
    a, b = start, n
    while a < b and s[a] in _TRIM:
        a += 1
    while b > a and s[b - 1] in _TRIM:
        b -= 1
    if b > a:
        spans.append((a, b))
    return spans


# ------------------------------------------------------------------ matching
_DIACRITICS = re.compile("[\u064B-\u0652\u0670\u0640]")
_TOKEN = re.compile(r"[^\s.,،:؛;!؟?\"«»“”()\[\]\-–—/'‘’]+")


_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي"})


def norm(tok: str) -> str:
    return _DIACRITICS.sub("", tok).translate(_ALEF)


def _forms(*groups: str) -> set[str]:
    out: set[str] = set()
    for g in groups:
        out.update(norm(w) for w in g.split())
    return out


#: candidate reporting-verb forms (without و/ف), written as news writes them
REPORTING_FORMS = _forms(
    "قال قالت قالوا قلن يقول تقول يقولون قيل يقال",
    "أكد أكدت أكدوا يؤكد تؤكد يؤكدون",
    "أعلن أعلنت أعلنوا يعلن تعلن",
    "أضاف أضافت أضافوا يضيف تضيف",
    "أشار أشارت أشاروا يشير تشير",
    "أوضح أوضحت أوضحوا يوضح توضح",
    "ذكر ذكرت ذكروا يذكر تذكر",
    "صرح صرحت صرحوا يصرح",
    "تابع تابعت",
    "نقل نقلت نقلوا",
    "كشف كشفت كشفوا يكشف",
    "لفت لفتت",
    "شدد شددت شددوا يشدد",
    "اعتبر اعتبرت اعتبروا يعتبر تعتبر",
    "رأى رأت رأوا يرى ترى يرون",
    "نفى نفت نفوا ينفي تنفي",
    "حذر حذرت حذروا يحذر",
    "دعا دعت دعوا يدعو تدعو",
    "طالب طالبت طالبوا يطالب",
    "أفاد أفادت أفادوا",
    "أبلغ أبلغت أخبر أخبرت",
    "أعرب أعربت",
    "اعترف اعترفت أقر أقرت",
    "اتهم اتهمت زعم زعمت ادعى ادعت",
    "استطرد مضى أردف ختم",
    "علق علقت رد ردت أجاب أجابت",
    "بينت نوه",
    "توقع توقعت",
    "أورد أوردت روى روت",
    "تساءل ناشد ناشدت",
    "أدان أدانت ندد نددت استنكر استنكرت",
    "رحب رحبت وصف وصفت هدد هددت تعهد تعهدت",
)
CONTINUATION = _forms("أضاف أضافت تابع تابعت استطرد مضى أردف ختم")
UNNAMED_NOUNS = _forms(
    "مصادر مصدر مسؤول مسؤولون مسؤولين مسؤولة شهود ناشطون ناشطين سكان "
    "وكالة وكالات صحيفة"
)
_QUOTE_CLOSE = '"”»'


def _strip_clitic(t: str, forms: set[str]) -> str | None:
    """The form when token ``t`` is a form, or a form with و/ف in front."""
    if t in forms:
        return t
    if len(t) > 2 and t[0] in "وف" and t[1:] in forms:
        return t[1:]
    return None


def tokens(s: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), norm(m.group())) for m in _TOKEN.finditer(s)]


def verb_hits(toks) -> list[int]:
    return [i for i, (_, _, t) in enumerate(toks) if _strip_clitic(t, REPORTING_FORMS)]


def _after_quote(sent: str, k: int) -> bool:
    """True when the token at ``k`` follows a closing quotation mark (optional
    comma) that ends a quoted passage of at least 20 characters."""
    m = re.search(r"([\"”»])\s*[،,]?\s*$", sent[max(0, k - 4):k])
    if not m:
        return False
    p = max(0, k - 4) + m.start(1)
    mark = sent[p]
    if mark == '"':
        if sent[:p].count('"') % 2 == 0:
            return False  # this mark would open a quotation
        o = sent.rfind('"', 0, p)
    else:
        o = sent.rfind("«" if mark == "»" else "“", 0, p)
    return o >= 0 and p - o > 20


_POST_STRICT = re.compile(
    r'[\"”»]\s*[،,]?\s*(?:و)?(?:قال|قالت|قالوا|يقول|تقول|يقولون|أضاف|أضافت|يضيف|تضيف|تابع|تابعت|'
    r'أكد|أكدت|يؤكد|تؤكد|أوضح|أوضحت|يوضح|توضح)\s+([^:\"«»“”]{2,80})$')
_COMPLEMENTIZER = re.compile(r"(^|\s)(أن|إن|بأن|أنه|إنه|أنها|إنها|أنهم|إنهم)(\s|$)")


def post_strict(sent: str) -> bool:
    """A quotation closing right before a reporting verb that ends the
    sentence without a colon, quotation mark or complementizer after it."""
    m = _POST_STRICT.search(sent)
    return bool(m) and not _COMPLEMENTIZER.search(m.group(1))


def a_bucket(sent: str, toks, hits) -> str:
    first = toks[0][2]
    if (first[:1] in "وف" and first[1:] in CONTINUATION):
        return "a_cont"
    for i in hits:
        if _after_quote(sent, toks[i][0]):
            return "a_post"
    for i in hits:
        for j in range(i + 1, min(i + 4, len(toks))):
            t = toks[j][2]
            if t in UNNAMED_NOUNS or (t[:2] == "ال" and t[2:] in UNNAMED_NOUNS):
                return "a_unnamed"
    for _, _, t in toks:
        if t in RSI_CUES or (t[:1] in "وفبل" and t[1:] in RSI_CUES):
            return "a_rsi"
    return "a_general"


def rsi_near(toks, hits) -> str | None:
    """The country (IRN, SYR, RUS) of the first Russia/Syria/Iran cue within
    four tokens after a reporting verb (a likely Russian, Syrian or Iranian
    speaker: قال وزير الخارجية الروسي ...), or None."""
    for i in hits:
        for j in range(i + 1, min(i + 5, len(toks))):
            t = toks[j][2]
            if t[:1] in "وفبل" and t not in RSI_CUES:
                t = t[1:]
            if t in RSI_CUES:
                return RSI_COUNTRY[t]
    return None


#: a_rsi: a word naming Russia, Syria or Iran (demonym, capital, leader) anywhere
#: in a reporting sentence that is in no earlier bucket
_RSI_WORDS = {
    "RUS": "روسيا الروسي الروسية الروس موسكو الكرملين بوتين لافروف بيسكوف زاخاروفا نيبينزيا شويغو",
    "SYR": "سوريا السوري السورية دمشق الأسد المعلم الجعفري",
    "IRN": "إيران الإيراني الإيرانية طهران روحاني ظريف خامنئي قاسمي",
}
RSI_COUNTRY = {w: c for c, words in _RSI_WORDS.items() for w in _forms(words)}
RSI_CUES = set(RSI_COUNTRY)


def _tokset(words: str) -> set[str]:
    return {norm(w) for w in words.split()}


#: lookalike types -> a test on (token index, tokens) returning True on a hit
_NOUNS = _tokset(
    "القول قول بالقول والقول قوله بقوله أقوال الأقوال مقولة قائلا قائلة قائلين "
    "تصريح التصريح تصريحات التصريحات تصريحاته تصريحاتها بتصريحات وتصريحات "
    "إعلان الإعلان بإعلان والإعلان إعلانه إعلانها بيان البيان بيانا بيانه ببيان "
    "الإشارة إشارة بالإشارة إشارات ذكرى الذكرى بذكرى "
    "مضيفا مؤكدا مشيرا موضحا معتبرا محذرا مشددا لافتا داعيا منوها متابعا"
)
_EDITORIAL = [("يذكر", "ان"), ("ويذكر", "ان"), ("يشار", "الي"), ("ويشار", "الي"),
              ("تجدر", "الاشارة"), ("وتجدر", "الاشارة"), ("اعتبارا", "من")]
_SENSE_CUES = {  # reporting-verb form -> next-token cues of another sense
    "lookalike_added_goal": ({"اضاف", "واضاف", "اضافت", "واضافت"},
                             _tokset("الهدف هدفا هدف الثاني الثالث الرابع نقطة")),
    "lookalike_announced_launch": ({"اعلن", "واعلن", "اعلنت", "واعلنت", "تعلن", "يعلن"},
                                   _tokset("عن إطلاق بدء افتتاح تدشين حالة الحداد فوز قائمة تشكيلة اعتزاله استقالته ترشحه")),
    "lookalike_moved": ({"نقل", "ونقل", "نقلت", "ونقلت", "تم"}, _tokset("إلى الى المستشفى نقل")),
    "lookalike_attention": ({"لفت", "ولفت", "لفتت", "ولفتت"}, _tokset("الأنظار الانتباه انتباه أنظار")),
    "lookalike_saw": ({"راي", "وراي", "رات", "ورات", "يري", "تري"}, _tokset("النور بعينه بأم")),
    "lookalike_tightened": ({"شدد", "وشدد", "شددت", "وشددت"}, _tokset("الإجراءات العقوبات القيود الخناق الحصار")),
}
_SENSE_NORM = {typ: ({norm(f) for f in forms}, {norm(c) for c in cues})
               for typ, (forms, cues) in _SENSE_CUES.items()}
_EDITORIAL_NORM = [(norm(a), norm(b)) for a, b in _EDITORIAL]
_STUDENT = _tokset("طالب الطالب طالبة الطالبة طلاب الطلاب")
_AFFILIATED = _tokset("التابع التابعة تابعة تابع التابعين والتابعة")


def lookalike_types(toks, hits) -> list[tuple[str, int]]:
    """(type, token index) of the lookalike words in a sentence."""
    out = []
    for i, (_, _, t) in enumerate(toks):
        nxt = toks[i + 1][2] if i + 1 < len(toks) else ""
        prev = toks[i - 1][2] if i else ""
        if t in _NOUNS:
            out.append(("lookalike_noun_participle", i))
        for a, b in _EDITORIAL_NORM:
            if t == a and nxt.startswith(b):
                out.append(("lookalike_editorial", i))
        for typ, (forms, cues) in _SENSE_NORM.items():
            if t in forms and nxt in cues:
                out.append((typ, i + 1 if t == "تم" else i))
        if t in _STUDENT and (t.startswith("ال") or prev in {"كل", "على"} or nxt[:2] == "ال"):
            out.append(("lookalike_student", i))
        if t in _AFFILIATED:
            out.append(("lookalike_affiliated", i))
    return out


# -------------------------------------------------------------------- corpus
def earlier_sets() -> tuple[set[str], set[str]]:
    """Article ids and sentence SHA-1s of the earlier gold sets."""
    ids: set[str] = set()
    shas: set[str] = set()
    for path in EARLIER_SETS:
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        if not rows:
            raise ValueError(f"{path}: no rows")
        ids |= {r["article_id"] for r in rows}
        shas |= {r["sentence_sha1"] for r in rows}
    return ids, shas


def eligible_ids(corpus: str) -> tuple[list[str], dict[str, str]]:
    """Ids kept by ``analysis.load_corpus`` (file order) and their loaded titles,
    without the earlier gold sets' articles and every article sharing a
    ``dup_group`` with one of them."""
    from analysis import load_corpus
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        df = load_corpus(corpus, progress=False)
    old_ids, _ = earlier_sets()
    missing = old_ids - set(df["article_id"])
    if missing:
        raise ValueError(f"earlier sets: {len(missing)} article ids not in load_corpus's table")
    groups = set(df.loc[df["article_id"].isin(old_ids), "dup_group"].dropna())
    drop = df["article_id"].isin(old_ids) | df["dup_group"].isin(groups)
    print(f"excluded {int(drop.sum())} articles: {len(old_ids)} of the earlier sets and "
          f"{int(drop.sum()) - len(old_ids)} sharing their dup_group", file=sys.stderr)
    df = df[~drop]
    return df["article_id"].tolist(), dict(zip(df["article_id"], df["title"].fillna("")))


def read_raw(corpus: str) -> dict[str, dict]:
    out = {}
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                o = json.loads(line)
                out[o["docno"]] = o
    return out


def sha1(s: str) -> str:
    return hashlib.sha1(s.encode("utf-8")).hexdigest()


def candidates(corpus: str):
    ids, loaded_titles = eligible_ids(corpus)
    raw = read_raw(corpus)
    buckets: dict[str, list] = {k: [] for k in QUOTAS}
    near: dict[str, list] = {"IRN": [], "SYR": [], "RUS": []}
    b_by_type: dict[str, list] = {}
    for aid in ids:
        o = raw[aid]
        for field in ("title", "text"):
            s = o.get(field) or ""
            if not s:
                continue
            if field == "title" and s != loaded_titles.get(aid, ""):
                continue
            spans = split_sentences(s)
            for k, (a, b) in enumerate(spans):
                if not MIN_LEN <= b - a <= MAX_LEN:
                    continue
                sent = s[a:b]
                toks = tokens(sent)
                if not toks:
                    continue
                prev = spans[k - 1] if k else (None, None)
                rec = (aid, field, a, b, prev[0], prev[1], o.get("src", ""), o.get("cat", ""))
                buckets["c"].append(rec + ("random",))
                hits = verb_hits(toks)
                looks = lookalike_types(toks, hits)
                look_idx = {i for _, i in looks}
                if field == "text" and post_strict(sent):
                    buckets["a_post_strict"].append(rec + ("verb",))
                if hits and not set(hits) <= look_idx:
                    buckets[a_bucket(sent, toks, hits)].append(rec + ("verb",))
                    cty = rsi_near(toks, hits)
                    if cty:
                        near[cty].append(rec + ("verb",))
                elif looks:
                    typ = sorted({t for t, _ in looks})[0]
                    b_by_type.setdefault(typ, []).append(rec + (typ,))
    buckets["a_rsi_near"] = [near[c] for c in ("IRN", "SYR", "RUS")]
    return buckets, b_by_type, raw


def select(corpus: str):
    rng = random.Random(SEED)
    buckets, b_by_type, raw = candidates(corpus)
    _, old_sha = earlier_sets()
    used_articles: set[str] = set()
    used_sha: set[str] = set(old_sha)
    chosen = []

    def take(pool, n, stratum, sub):
        got = 0
        for rec in pool:
            if got >= n:
                break
            aid, field, a, b = rec[:4]
            h = sha1(raw[aid][field][a:b])
            if aid in used_articles or h in used_sha:
                continue
            used_articles.add(aid)
            used_sha.add(h)
            chosen.append((stratum, sub, rec, h))
            got += 1
        return got

    def round_robin(pools, n, stratum, sub_of):
        """Take n records round-robin over the pools (each already shuffled)."""
        pos = [0] * len(pools)
        while n > 0 and any(pos[t] < len(pools[t]) for t in range(len(pools))):
            for t in range(len(pools)):
                if n <= 0:
                    break
                while pos[t] < len(pools[t]):
                    rec = pools[t][pos[t]]
                    pos[t] += 1
                    if take([rec], 1, stratum, sub_of(t)):
                        n -= 1
                        break

    for sub in ("a_post_strict", "a_post", "a_cont", "a_unnamed", "a_rsi_near", "a_rsi", "a_general"):
        if sub == "a_rsi_near":
            pools = [list(p) for p in buckets[sub]]
            for p in pools:
                rng.shuffle(p)
            round_robin(pools, QUOTAS[sub], "a", lambda t: "a_rsi_near")
            continue
        pool = list(buckets[sub])
        rng.shuffle(pool)
        take(pool, QUOTAS[sub], "a", sub)
    # b: round-robin over lookalike types, each pool shuffled
    types = sorted(b_by_type)
    pools = []
    for typ in types:
        p = list(b_by_type[typ])
        rng.shuffle(p)
        pools.append(p)
    round_robin(pools, QUOTAS["b"], "b", lambda t: types[t])
    pool = list(buckets["c"])
    rng.shuffle(pool)
    take(pool, QUOTAS["c"], "c", "random")

    # one split, "test"; ids in a seeded random order so that strata mix
    chosen.sort(key=lambda x: (x[2][0], x[2][1], x[2][2]))
    rng.shuffle(chosen)
    rows = []

    def emit(part, first):
        for k, (stratum, sub, rec, h) in enumerate(part, first):
            aid, field, a, b, pa, pb, src, cat, _ = rec
            rows.append({
                "sentence_id": f"{ID_PREFIX}-{k:03d}",
                "split": "test", "stratum": stratum, "substratum": sub,
                "article_id": aid, "outlet": src, "category": cat, "field": field,
                "sent_start": a, "sent_end": b,
                "prev_start": "" if pa is None else pa, "prev_end": "" if pb is None else pb,
                "sentence_sha1": h,
            })

    emit(chosen, 1)
    # supplement: own seeded stream, ids after the main ones, so the main
    # draw is unchanged
    if SUPPLEMENT:
        rng2 = random.Random(f"{SEED}-supplement")
        n_main = len(chosen)
        for sub, n in SUPPLEMENT.items():
            if sub == "a_rsi_near":
                pools = [list(p) for p in buckets[sub]]
                for p in pools:
                    rng2.shuffle(p)
                round_robin(pools, n, "a", lambda t: "a_rsi_near")
            else:
                pool = list(buckets[sub])
                rng2.shuffle(pool)
                take(pool, n, "a", sub)
        extra = chosen[n_main:]
        extra.sort(key=lambda x: (x[2][0], x[2][1], x[2][2]))
        rng2.shuffle(extra)
        emit(extra, n_main + 1)
    sizes = {k: (sum(len(p) for p in v) if k == "a_rsi_near" else len(v)) for k, v in buckets.items()}
    return rows, sizes, {k: len(v) for k, v in b_by_type.items()}


COLUMNS = ["sentence_id", "split", "stratum", "substratum", "article_id", "outlet", "category",
           "field", "sent_start", "sent_end", "prev_start", "prev_end", "sentence_sha1"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=DEFAULT_CORPUS)
    ap.add_argument("--out", default=str(Path(__file__).with_name("sentences.csv")))
    args = ap.parse_args(argv)
    rows, sizes, bsizes = select(args.corpus)
    with open(args.out, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)
    print(f"candidate pools: {sizes}", file=sys.stderr)
    print(f"lookalike pools: {bsizes}", file=sys.stderr)
    from collections import Counter
    print(f"wrote {len(rows)} sentences to {args.out}: "
          f"{dict(Counter((r['split'], r['substratum']) for r in rows))}", file=sys.stderr)
    return 0


def _drawn_order(name: str) -> tuple[int, str]:
    """quotes < quotes_heldout < quotes_heldout2 < ... < quotes_heldout10: the order the sets were drawn in."""
    return len(name), name


def draw_for(script: str, seed: int, prefix: str, argv=None) -> int:
    """``main`` for a later set's ``select_sentences.py``: this selection with the set's own seed and id
    prefix, leaving out every quote gold set drawn before it (the sibling ``quotes*`` folders with a
    ``sentences.csv`` that sort before the script's folder). Writes that folder's ``sentences.csv``
    unless ``--out`` is given. Call it on a fresh copy of this module (its settings are module globals)."""
    global SEED, ID_PREFIX, EARLIER_SETS
    here = Path(script).resolve().parent
    SEED, ID_PREFIX = seed, prefix
    EARLIER_SETS = sorted((p for p in here.parent.glob("quotes*/sentences.csv")
                           if _drawn_order(p.parent.name) < _drawn_order(here.name)),
                          key=lambda p: _drawn_order(p.parent.name))
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--out" not in argv:
        argv += ["--out", str(here / "sentences.csv")]
    return main(argv)


if __name__ == "__main__":
    sys.exit(main())
