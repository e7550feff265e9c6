"""Select the sentences of the HELD-OUT quote/speaker gold set from the ANT corpus.

A second, independent draw (a copy of ../quotes/select.py with its own seed,
quotas and one extra bucket). It leaves out every article of the first gold
set (../quotes/sentences.csv) and every article that shares a ``dup_group``
with one of them (copies of the same story in other outlets), and any
sentence whose SHA-1 equals a first-set sentence. All rows go to one split,
``test``; sentence ids are ``ht-001`` ... in a seeded random order.

Deterministic (seed 20181203): the same corpus file gives the same
``sentences.csv`` on every run. Writes no corpus text, only ids, offsets and
checksums.

    PYTHONPATH=/work/main/src /work/main/.venv/bin/python select.py [CORPUS] [--out sentences.csv]

Strata (one sentence per article, no article twice):

a  sentences holding a candidate reporting-verb form (REPORTING_FORMS), in four
   sub-buckets filled first to last so the small ones get their quota:
   a_post (a closing quotation mark, optional comma, then the verb:
   ..."، قال X), a_cont (sentence opens with a continuation verb with و/ف:
   وأضاف، وتابع ...), a_unnamed (an unnamed-source noun within three tokens
   after the verb: مصادر، مصدر، مسؤول ...), a_general (the rest);
b  "lookalikes": sentences holding a word that looks like a reporting verb but
   is (probably) not used as one -- nouns and participles (القول، قائلا،
   تصريحات، إعلان ...), editorial formulas (يذكر أن، تجدر الإشارة), and
   reporting-verb forms in other senses picked by a cue next to them (أضاف
   الهدف، أعلن إطلاق، نقل إلى المستشفى، لفت الأنظار، طالب = student ...),
   and no other reporting-verb form. Sampled round-robin over the lookalike
   types so that no single type dominates;
c  random sentences (any content).

Articles: those kept by ``analysis.load_corpus`` (default de-duplication), so
that every gold article is present in the corpus an extractor loads. Title
sentences only from titles that ``load_corpus`` returns unchanged (it collapses
repeated spaces in 164 ANT titles; text fields are returned unchanged), so the
offsets hold on the raw JSON field and on the loaded table alike.

Sentences: :func:`split_sentences` (newline; . ! ؟ ? ؛ ; -- a dot between two
digits does not split; runs of terminators and a closing quotation mark right
after the terminator stay with the sentence; whitespace trimmed), kept when
30-400 characters long. The previous sentence is the span before it in the same
field (any length), empty for the first.

Split: dev/test 50/50 by article, seeded, alternating within each stratum after
a seeded shuffle.
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

SEED = 20181203
FIRST_SET = Path(__file__).resolve().parent.parent / "quotes" / "sentences.csv"
DEFAULT_CORPUS = "/work/shared/data/ant_multisource/ant_multisource_v2.1.jsonl.gz"
MIN_LEN, MAX_LEN = 30, 400
QUOTAS = {  # 235 sentences: a 64 %, b 21 %, c 15 %
    "a_post_strict": 6, "a_post": 12, "a_cont": 26, "a_unnamed": 24, "a_rsi": 30, "a_general": 52,
    "b": 50,
    "c": 35,
}
#: a second draw from its own seeded stream, appended after the main ids
#: (added once the main draw was labelled and held fewer than 200 statements)
SUPPLEMENT = {"a_post": 5, "a_cont": 10, "a_unnamed": 10, "a_rsi": 15, "a_general": 15}
#: a third draw, own stream, after the first supplement: a Russia/Syria/Iran
#: cue within four tokens after the verb (bucket a_rsi_near)
SUPPLEMENT2 = {"a_rsi_near": 24}

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


def rsi_near(toks, hits) -> bool:
    """A Russia/Syria/Iran cue within four tokens after a reporting verb (a
    likely Russian, Syrian or Iranian speaker: قال وزير الخارجية الروسي ...)."""
    for i in hits:
        for j in range(i + 1, min(i + 5, len(toks))):
            t = toks[j][2]
            if t in RSI_CUES or (t[:1] in "وفبل" and t[1:] in RSI_CUES):
                return True
    return False


#: a_rsi: a word naming Russia, Syria or Iran (demonym, capital, leader) anywhere
#: in a reporting sentence that is in no earlier bucket
RSI_CUES = _forms(
    "روسيا الروسي الروسية الروس موسكو الكرملين بوتين لافروف بيسكوف زاخاروفا نيبينزيا شويغو",
    "سوريا السوري السورية دمشق الأسد المعلم الجعفري",
    "إيران الإيراني الإيرانية طهران روحاني ظريف خامنئي قاسمي",
)


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
def first_set() -> tuple[set[str], set[str]]:
    """Article ids and sentence SHA-1s of the first gold set (../quotes)."""
    with open(FIRST_SET, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        raise ValueError(f"{FIRST_SET}: no rows")
    return {r["article_id"] for r in rows}, {r["sentence_sha1"] for r in rows}


def eligible_ids(corpus: str) -> tuple[list[str], dict[str, str]]:
    """Ids kept by ``analysis.load_corpus`` (file order) and their loaded titles,
    without the first gold set's articles and every article sharing a
    ``dup_group`` with one of them."""
    from analysis import load_corpus
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        df = load_corpus(corpus, progress=False)
    old_ids, _ = first_set()
    missing = old_ids - set(df["article_id"])
    if missing:
        raise ValueError(f"{FIRST_SET}: {len(missing)} article ids not in load_corpus's table")
    groups = set(df.loc[df["article_id"].isin(old_ids), "dup_group"].dropna())
    drop = df["article_id"].isin(old_ids) | df["dup_group"].isin(groups)
    print(f"excluded {int(drop.sum())} articles: {len(old_ids)} of the first set and "
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
    buckets["a_rsi_near"] = []
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
                    if rsi_near(toks, hits):
                        buckets["a_rsi_near"].append(rec + ("verb",))
                elif looks:
                    typ = sorted({t for t, _ in looks})[0]
                    b_by_type.setdefault(typ, []).append(rec + (typ,))
    return buckets, b_by_type, raw


def select(corpus: str):
    rng = random.Random(SEED)
    buckets, b_by_type, raw = candidates(corpus)
    _, old_sha = first_set()
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

    for sub in ("a_post_strict", "a_post", "a_cont", "a_unnamed", "a_rsi", "a_general"):
        pool = list(buckets[sub])
        rng.shuffle(pool)
        take(pool, QUOTAS[sub], "a", sub)
    # b: round-robin over lookalike types, each pool shuffled
    pools = {}
    for typ in sorted(b_by_type):
        p = list(b_by_type[typ])
        rng.shuffle(p)
        pools[typ] = p
    need = QUOTAS["b"]
    pos = {t: 0 for t in pools}
    while need > 0 and any(pos[t] < len(pools[t]) for t in pools):
        for typ in sorted(pools):
            if need <= 0:
                break
            while pos[typ] < len(pools[typ]):
                rec = pools[typ][pos[typ]]
                pos[typ] += 1
                if take([rec], 1, "b", typ):
                    need -= 1
                    break
    pool = list(buckets["c"])
    rng.shuffle(pool)
    take(pool, QUOTAS["c"], "c", "random")

    # one split, "test"; ids in a seeded random order so that strata mix
    chosen.sort(key=lambda x: (x[2][0], x[2][1], x[2][2]))
    rng.shuffle(chosen)
    rows = []
    for k, (stratum, sub, rec, h) in enumerate(chosen, 1):
        aid, field, a, b, pa, pb, src, cat, _ = rec
        rows.append({
            "sentence_id": f"ht-{k:03d}",
            "split": "test", "stratum": stratum, "substratum": sub,
            "article_id": aid, "outlet": src, "category": cat, "field": field,
            "sent_start": a, "sent_end": b,
            "prev_start": "" if pa is None else pa, "prev_end": "" if pb is None else pb,
            "sentence_sha1": h,
        })
    # supplement: own seeded stream, appended after the main ids (ht-236 ...),
    # so the main draw is unchanged; it adds reporting sentences to reach 200+
    # statements, weighted towards Russian/Syrian/Iranian speakers
    rng2 = random.Random(f"{SEED}-supplement")
    n_main = len(chosen)
    for sub in ("a_post", "a_cont", "a_unnamed", "a_rsi", "a_general"):
        pool = list(buckets[sub])
        rng2.shuffle(pool)
        take(pool, SUPPLEMENT[sub], "a", sub)
    extra = chosen[n_main:]
    extra.sort(key=lambda x: (x[2][0], x[2][1], x[2][2]))
    rng2.shuffle(extra)
    for k, (stratum, sub, rec, h) in enumerate(extra, n_main + 1):
        aid, field, a, b, pa, pb, src, cat, _ = rec
        rows.append({
            "sentence_id": f"ht-{k:03d}",
            "split": "test", "stratum": stratum, "substratum": sub,
            "article_id": aid, "outlet": src, "category": cat, "field": field,
            "sent_start": a, "sent_end": b,
            "prev_start": "" if pa is None else pa, "prev_end": "" if pb is None else pb,
            "sentence_sha1": h,
        })
    # second supplement (own stream, ids after the first supplement): a
    # Russia/Syria/Iran cue right after the verb, because the first 290
    # sentences held few Iranian and Syrian speakers
    rng3 = random.Random(f"{SEED}-supplement2")
    n_before = len(chosen)
    pool = list(buckets["a_rsi_near"])
    rng3.shuffle(pool)
    take(pool, SUPPLEMENT2["a_rsi_near"], "a", "a_rsi_near")
    for k, (stratum, sub, rec, h) in enumerate(chosen[n_before:], n_before + 1):
        aid, field, a, b, pa, pb, src, cat, _ = rec
        rows.append({
            "sentence_id": f"ht-{k:03d}",
            "split": "test", "stratum": stratum, "substratum": sub,
            "article_id": aid, "outlet": src, "category": cat, "field": field,
            "sent_start": a, "sent_end": b,
            "prev_start": "" if pa is None else pa, "prev_end": "" if pb is None else pb,
            "sentence_sha1": h,
        })
    return rows, {k: len(v) for k, v in buckets.items()}, {k: len(v) for k, v in b_by_type.items()}


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


if __name__ == "__main__":
    sys.exit(main())
