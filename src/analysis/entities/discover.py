"""Discovery: frequent person-like names that the gazetteer does not know.

:func:`suggest_entities` reads the articles for names in the two places Arabic
news puts them: right after a title (الرئيس الفرنسي إيمانويل ماكرون، الأمير
خالد بن سلمان، الشيخ ...) and as the subject of a speech verb (قال / أكد /
أعلن ... + name). Names the gazetteer already knows (any of its names, bare
names or a known person inside the candidate) are left out; the rest are
counted and returned with example sentences, the titles they came after, and
a country hint (a demonym in the title: الفرنسي -> FRA).
:func:`suggestions_yaml` turns the table into a ready-to-edit gazetteer file
(``analysis discover CORPUS --out FILE.yaml``).

Heuristics, not a model: every suggestion needs a human check (the YAML says so).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict

import pandas as pd

from analysis.entities.gazetteer import Gazetteer, load_gazetteer, match_key, nisba_forms
from analysis.entities.matcher import match_form

__all__ = ["suggest_entities", "suggestions_yaml", "SUGGESTION_COLUMNS", "TITLE_WORDS", "SPEECH_VERBS"]

SUGGESTION_COLUMNS = ["entity_id", "name", "names", "count", "n_articles", "after_title", "after_verb",
                      "titles", "country", "examples"]

#: words that introduce a person's name (with their qualifiers: الرئيس الفرنسي ...)
TITLE_WORDS = (
    "الرئيس الرئيسة رئيس رئيسة الوزير الوزيرة وزير وزيرة الأمير الأميرة الشيخ الشيخة الملك الملكة "
    "السلطان السيد السيدة الدكتور الدكتورة اللواء العميد العقيد المقدم الجنرال المشير الفريق المستشار "
    "المستشارة النائب النائبة الزعيم القائد زعيم قائد المبعوث المبعوثة مبعوث السفير السفيرة سفير نظيره "
    "نظيرته الناطق المتحدث المتحدثة الأمين أمين المرشد حاكم الحاكم محافظ المحافظ مدير المدير المدعي "
    "القاضي المفوض المفوضة مساعد نائب عضو رئيسه الملا الإمام آية ولي").split()
#: speech and statement verbs whose subject is often a named person
SPEECH_VERBS = (
    "قال قالت أكد أكدت أضاف أضافت أوضح أوضحت أعلن أعلنت صرح صرحت ذكر ذكرت أشار أشارت شدد شددت دعا دعت "
    "حذر حذرت اعتبر اعتبرت كشف كشفت نفى نفت طالب طالبت رأى رأت أعرب أعربت وصف وصفت أبلغ أبلغت تعهد "
    "تعهدت هدد هددت اتهم اتهمت رحب رحبت زار زارت التقى التقت استقبل استقبلت بحث بحثت").split()
# qualifiers that may follow a title before the name (besides ال- words): باسم، العام، خارجية ...
_QUALIFIERS = {"باسم", "عام", "اركان", "خارجيه", "دفاع", "داخليه", "ماليه", "اقتصاد", "تحرير", "وزراء", "حكومه"}
# the second part of compound given names (نور الدين، عبد الله، زين العابدين): not a surname's end
_COMPOUND_SECOND = {"الدين", "الله", "الرحمن", "الرحيم", "الاسلام", "العابدين", "العزيز", "الكريم", "اللطيف"}
_CONNECTORS = {"بن", "ابن", "بنت", "ولد", "ابو", "ام", "عبد", "ال", "دي", "دو", "فون", "دير", "بو", "ابا", "ابي"}
_STOP = set("""في من علي الي عن ان انه انها انهم لها له لهم ما لا لم لن قد كان كانت يكون تكون يوم امس اليوم غدا
خلال بعد قبل مع عبر حول ضد منذ حيث هذا هذه ذلك تلك هناك هنا ايضا كما حتي او ثم بين امام عند لدي لكن بان بانه
وان فان اذا اذ كل بعض اي غير مثل نحو لقد وقد فقد ولا وما ولم انما الذي التي الذين اللذين اللتين هو هي هم
مصدر مصادر مسؤول مسؤولون مسؤولين بيان تقرير وزاره حكومه متحدث ناطق مراسل مراقبون محللون خبراء شهود سكان ناشطون
نائب نواب عضو اعضاء مدير مدراء رئيس رؤساء وزير وزراء قائد قاده زعيم زعماء امين سفير ممثل مندوب مبعوث مستشار
رجل امراه شخص اشخاص مواطن مواطنون طفل اطفال جندي جنود ضابط ضباط مقاتل مقاتلون لاعب لاعبون مدرب نجم فريق
وكاله صحيفه موقع قناه شبكه مجلس مكتب جهاز دوله بلاده بلاد شركه منظمه حركه حزب جماعه جيش قوات
يجب يمكن سوف سيتم تم يتم لقد ربما فقط جدا مساء صباح ظهر ليل ليله ليلا صباحا مساءا قوله قولها قائلا قائله قائلين
مضيفا مضيفه موضحا موضحه مشيرا مشيره مؤكدا مؤكده معتبرا معربا محذرا داعيا متهما نقلا وفقا بحسب حسب عدد اخر اخري
ذاته نفسه نفسها انفسهم سابقا حاليا لاحقا مؤخرا رسميا علنا شخصيا مباشره حينها انذاك وقتها عام ردا جديد جديده
وقت تحرير سابق السابق السابقه الاسبق جدد عهد عهده العهد""".split())
_STOP |= {match_key(v) for v in SPEECH_VERBS}
# pronoun-suffixed prepositions and particles (فيها، عنه، لهم، عليها، إنه ...)
_STOP |= {p + s for p in ("في", "عن", "من", "علي", "الي", "ل", "ب", "مع", "عند", "لدي", "ان", "لان", "كان", "بان")
          for s in ("ه", "ها", "هم", "هما", "هن", "كم", "نا", "ي")}
# the first word of an institution's name, not a person's
_INSTITUTIONS = set("""صندوق هيئه نادي تحالف مجلس لجنه وزاره شركه منظمه اتحاد جمعيه مركز مؤسسه حزب حركه جماعه جبهه
قوات جيش جهاز دائره اداره مكتب مصلحه بنك مصرف جامعه كليه معهد وكاله صحيفه قناه موقع مجموعه رابطه نقابه تنظيم
منتدي برنامج مشروع محكمه نيابه شرطه مديريه بلديه محافظه ولايه مدينه سفاره قنصليه بعثه كتله تيار ائتلاف
دراسه استطلاع تقارير تقرير وسائل مستخدم مستخدمو مؤسس ناشر تحرير الف مئات عشرات وثيقه اركان خارجيه موظف موظفو موظفي عامل عمال فوز سر امين""".split())
_WEEKDAYS_MONTHS = set(match_key(w) for w in (
    "الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة السبت يناير فبراير مارس أبريل ابريل مايو يونيو يوليو "
    "أغسطس سبتمبر أكتوبر نوفمبر ديسمبر كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين").split())
_TRANSLIT = dict(zip("ابتثجحخدذرزسشصضطظعغفقكلمنهويءئؤة",
                     ["a", "b", "t", "th", "j", "h", "kh", "d", "dh", "r", "z", "s", "sh", "s", "d", "t", "z", "",
                      "gh", "f", "q", "k", "l", "m", "n", "h", "w", "y", "", "y", "w", "a"]))
_SENT_END = re.compile(r"[.!?؟؛\n]")


def _slug(key: str) -> str:
    out = "".join(_TRANSLIT.get(ch, "_" if ch == " " else "") for ch in key)
    out = re.sub(r"_+", "_", out).strip("_")
    return out or "person"


def _sentence(text: str, start: int, end: int, width: int = 220) -> str:
    lo = start
    while lo > 0 and not _SENT_END.match(text[lo - 1]) and start - lo < width:
        lo -= 1
    hi = end
    while hi < len(text) and not _SENT_END.match(text[hi]) and hi - end < width:
        hi += 1
    return " ".join((text[lo:start] + "«" + text[start:end] + "»" + text[end:hi + 1]).split())


class _Finder:
    """Cue words, known forms and name heuristics compiled from a gazetteer."""

    def __init__(self, gaz: Gazetteer):
        self.titles = {match_key(w) for w in TITLE_WORDS}
        self.verbs = {match_key(w) for w in SPEECH_VERBS}
        forms = gaz.forms()
        self.known = set(forms["form"])
        self.known_people = set(forms.loc[forms["entity_id"].isin(
            gaz.entities.loc[gaz.entities["type"] == "person", "entity_id"]), "form"])
        for e in gaz.entities["entity_id"]:
            for b in gaz.bare_names(e):
                self.known_people.add(match_key(b))
        self.known |= self.known_people
        # the first words of a known person's name (رجب طيب before #أردوغان) name that person
        self.known_prefixes = {" ".join(f.split()[:k]) for f in self.known_people for k in range(2, f.count(" ") + 1)}
        self.given = set(gaz.context.get("given_names", frozenset()))
        self.demonym = {}
        for code in gaz.entities.loc[gaz.entities["type"] == "country", "entity_id"]:
            for stem in gaz.demonyms(code):
                for f in nisba_forms(stem):
                    if f.startswith("ال"):
                        self.demonym.setdefault(f, code)
        cues = sorted(self.titles | self.verbs, key=len, reverse=True)
        self.cue_re = re.compile(r"(?<![^ ])[وف]?(" + "|".join(map(re.escape, cues)) + r")(?= )")

    @staticmethod
    def _stripped(tok: str) -> str:
        return tok[1:] if len(tok) > 3 and tok[0] in "وف" else tok

    def candidates(self, m: str):
        """(start, end) in ``m`` of names after cues, with (kind, title phrase, country)."""
        for hit in self.cue_re.finditer(m):
            cue = hit.group(1)
            kind = "title" if cue in self.titles else "verb"
            pos = hit.end()
            toks = []
            for t in re.finditer(r"\S+", m[pos:pos + 160]):
                toks.append((pos + t.start(), pos + t.end(), t.group()))
                if len(toks) >= 9:
                    break
            i = 0
            prev_end = pos
            title_words, country = [cue] if kind == "title" else [], None
            if kind == "verb" and toks and toks[0][0] == prev_end + 1 and self._stripped(toks[0][2]) in self.titles:
                kind = "title"
                title_words = [self._stripped(toks[0][2])]
                prev_end = toks[0][1]
                i = 1
            if kind == "title":  # qualifiers: وزير الخارجية الفرنسي، المتحدث باسم الخارجية
                while i < len(toks) and toks[i][0] == prev_end + 1 and len(title_words) < 5 and (
                        toks[i][2].startswith("ال") or toks[i][2].startswith("لل") or toks[i][2] in _QUALIFIERS):
                    tok = toks[i][2]
                    country = country or self.demonym.get(tok)
                    title_words.append(tok)
                    prev_end = toks[i][1]
                    i += 1
            name = []
            words = 0
            while i < len(toks) and toks[i][0] == prev_end + 1 and words < 3:
                s, e, tok = toks[i]
                bare = self._stripped(tok)
                if tok in _STOP or bare in _STOP or tok in _WEEKDAYS_MONTHS or len(tok) < 2 or bare in self.titles \
                        or tok[:3] in ("لل", "بال", "وال", "فال", "كال") or tok.startswith("لل") \
                        or (name and tok.startswith("ل") and tok not in self.given) \
                        or (len(tok) > 4 and tok.endswith(("ها", "هم", "كم", "هما"))):
                    break  # function words, proclitic+ال nouns, nouns with a pronoun (وزرائها)
                if tok.startswith("ال") and tok not in ("ال",):
                    if not name or tok in self.demonym:  # a name starts without ال; a demonym ends it
                        break
                    name.append((s, e, tok))
                    if tok in _COMPOUND_SECOND and words < 2:  # زين الدين زيدان, نور الدين بدوي
                        prev_end = e
                        i += 1
                        continue
                    break
                name.append((s, e, tok))
                words += tok not in _CONNECTORS
                prev_end = e
                i += 1
            while name and name[-1][2] in _CONNECTORS:
                name.pop()
            if not name or name[0][2] in _CONNECTORS - {"ابو", "عبد"}:
                continue
            yield name[0][0], name[-1][1], kind, " ".join(title_words), country

    def person_like(self, key: str) -> bool:
        """Not an institution, a given name alone, a known place, or a verb phrase."""
        words = key.split()
        first = self._stripped(words[0])
        if first in _INSTITUTIONS or words[0] in _INSTITUTIONS or first in _STOP or first in _QUALIFIERS:
            return False
        if words[0][:2] in ("وا", "فا", "با") or words[0][:3] in ("وال", "بال", "فال"):
            return False  # و/ب + a noun (والثقافة، بالديوان)
        fused = [w for w in " ".join(words).replace("عبد ", "عبد").replace("ابو ", "ابو").split()]
        if words[0].startswith("ل") and words[0] not in self.given:
            return False  # ل + a noun (لكرة القدم، لشركة ...)
        if all(w in self.given or w in _CONNECTORS or w in _COMPOUND_SECOND for w in fused):
            return False  # a given name alone (الملك عبد الله) names no one in particular
        if any(w in self.known for w in words if w not in _CONNECTORS):
            return False  # holds a known place, country or organization (دمشق مساء)
        if all(len(w) < 3 for w in words):
            return False
        return True

    def known_inside(self, key: str) -> bool:
        """The candidate is a known name, or holds a known person's name."""
        if key in self.known or key in self.known_prefixes:
            return True
        words = key.split()
        for i in range(len(words)):
            for j in range(i + 1, len(words) + 1):
                if " ".join(words[i:j]) in self.known_people:
                    return True
        return False


def suggest_entities(articles: pd.DataFrame, mentions: pd.DataFrame | None = None, gazetteer=None, *,
                     min_count: int = 3, top: int | None = None, examples: int = 3,
                     progress: bool = False) -> pd.DataFrame:
    """Frequent person-like names in ``articles`` that the gazetteer does not know.

    A candidate is a run of name-like tokens right after a title (with its
    qualifiers: وزير الخارجية الفرنسي ...) or after a speech verb (قال، أكد ...),
    ending at punctuation, a function word or a date word. Candidates the
    gazetteer knows (``gazetteer``: None = built-in, a Gazetteer or a file/dict
    extending it) and spans overlapping a person in ``mentions`` (the table of
    :func:`analysis.extract_mentions`, optional) are dropped. A surname seen
    alone is merged into the longest name ending with it.

    Returns one row per suggestion, most frequent first, with columns:
    entity_id (a suggested slug), name (the most frequent full spelling),
    names (spellings seen, with the bare surname when it occurs alone),
    count (occurrences), n_articles, after_title, after_verb (occurrences by
    cue), titles (the most frequent titles before it, ``"title (n)"`` joined
    by "; "), country (ISO3 hint from a demonym in the title, or None) and
    examples (list of up to ``examples`` sentences, the name in «»).
    Only person-like names (not an institution's first word, a given name
    alone, a known place, ...) with ``count >= min_count`` that start with a
    known given name or came mostly (30 %) after a title are kept.
    """
    if not isinstance(articles, pd.DataFrame) or "text" not in articles.columns:
        raise ValueError("suggest_entities expects the articles table (analysis.load_corpus) with a 'text' column")
    gaz = gazetteer if isinstance(gazetteer, Gazetteer) else (
        load_gazetteer() if gazetteer is None else load_gazetteer(extra=gazetteer))
    finder = _Finder(gaz)
    taken: dict[tuple, list[tuple[int, int]]] = defaultdict(list)
    if mentions is not None and len(mentions):
        people = mentions[mentions["entity_type"] == "person"]
        for r in people[["article_id", "field", "start", "end"]].itertuples(index=False):
            taken[(r.article_id, r.field)].append((r.start, r.end))
    stats: dict[str, dict] = {}
    from tqdm.auto import tqdm

    ids = articles["article_id"].tolist() if "article_id" in articles.columns else list(range(len(articles)))
    fields = [f for f in ("title", "text") if f in articles.columns]
    cols = {f: articles[f].tolist() for f in fields}
    for row in tqdm(range(len(articles)), desc="discover", unit="art", disable=not progress):
        aid = ids[row]
        for f in fields:
            text = cols[f][row]
            if not isinstance(text, str) or not text:
                continue
            m, offs = match_form(" " + text + " ")
            spans = taken.get((aid, f), ())
            seen = set()
            for s, e, kind, title, country in finder.candidates(m):
                if (s, e) in seen:  # قال الرئيس X: one name, found after the verb and after the title
                    continue
                seen.add((s, e))
                key = m[s:e]
                if finder.known_inside(key):
                    continue
                o_s = (s if offs is None else int(offs[s])) - 1
                o_e = (e if offs is None else int(offs[e - 1]) + 1) - 1
                if any(a < o_e and o_s < b for a, b in spans):
                    continue
                st = stats.get(key)
                if st is None:
                    st = stats[key] = {"count": 0, "articles": set(), "title": 0, "verb": 0, "titles": Counter(),
                                       "countries": Counter(), "surfaces": Counter(), "examples": []}
                st["count"] += 1
                st["articles"].add(aid)
                st[kind] += 1
                if kind == "title":
                    st["titles"][title] += 1
                if country:
                    st["countries"][country] += 1
                st["surfaces"][" ".join(text[o_s:o_e].split())] += 1
                if len(st["examples"]) < examples and all(ex[0] != aid for ex in st["examples"]):
                    st["examples"].append((aid, _sentence(text, o_s, o_e)))
    return _table(stats, finder, min_count, top)


def _table(stats: dict, finder: _Finder, min_count: int, top: int | None) -> pd.DataFrame:
    # a surname seen alone joins the most frequent longer name ending with it
    by_last: dict[str, list[str]] = defaultdict(list)
    for key in stats:
        if " " in key:
            by_last[key.rsplit(" ", 1)[1]].append(key)
    merged_into: dict[str, str] = {}
    for key in list(stats):
        if " " not in key and by_last.get(key) and key not in finder.given:
            long = max(by_last[key], key=lambda k: (stats[k]["count"], k))
            if stats[long]["count"] >= min_count or 3 * stats[long]["count"] >= stats[key]["count"]:
                # (not: a rare namesake, نيكول مون, taking every bare مون)
                merged_into[key] = long
    bare_of: dict[str, list[str]] = defaultdict(list)
    for short, long in merged_into.items():
        st, lt = stats[short], stats[long]
        for k in ("count", "title", "verb"):
            lt[k] += st[k]
        lt["articles"] |= st["articles"]
        lt["titles"].update(st["titles"])
        lt["countries"].update(st["countries"])
        bare_of[long].append(short)
        for ex in st["examples"]:
            if len(lt["examples"]) < max(3, len(lt["examples"])) and all(e[0] != ex[0] for e in lt["examples"]):
                lt["examples"].append(ex)
    rows = []
    used_ids: set[str] = set()
    for key, st in stats.items():
        if key in merged_into or st["count"] < min_count:
            continue
        first = key.split()[0]
        if not finder.person_like(key):
            continue
        if not (first in finder.given or (st["title"] >= 2 and st["title"] >= 0.3 * st["count"])):
            continue  # neither a known given name nor mostly after a title
        if " " not in key and st["verb"] < 2:
            continue  # a single word after titles only is often a club or a place (رئيس برشلونة)
        name = st["surfaces"].most_common(1)[0][0]
        names = [s for s, _ in st["surfaces"].most_common(4)]
        for short in bare_of.get(key, []):
            names.append(stats[short]["surfaces"].most_common(1)[0][0])
        rows.append({
            "key": key, "name": name, "names": list(dict.fromkeys(names)), "count": st["count"],
            "n_articles": len(st["articles"]), "after_title": st["title"], "after_verb": st["verb"],
            "titles": "; ".join(f"{t} ({n})" for t, n in st["titles"].most_common(3)),
            "country": st["countries"].most_common(1)[0][0] if st["countries"] else None,
            "examples": [ex for _, ex in st["examples"][:3]],
        })
    rows.sort(key=lambda r: (-r["count"], -r["n_articles"], r["key"]))
    if top is not None:
        rows = rows[:top]
    for r in rows:
        base = _slug(r["key"])
        slug, k = base, 2
        while slug in used_ids:
            slug, k = f"{base}_{k}", k + 1
        used_ids.add(slug)
        r["entity_id"] = slug
    df = pd.DataFrame(rows, columns=["key"] + SUGGESTION_COLUMNS)
    return df.drop(columns="key").reset_index(drop=True)


def _yaml_str(s: str) -> str:
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


def suggestions_yaml(suggestions: pd.DataFrame, source: str = "") -> str:
    """A gazetteer file (``persons`` section) for the suggestions, with counts
    and example sentences as comments, ready to edit and pass as ``--gazetteer``."""
    lines = [
        "# Persons found by `analysis discover`" + (f" in {source}" if source else "") + " that the built-in",
        "# gazetteer does not know: frequent names after titles (الرئيس، الوزير، الأمير ...) or",
        "# after speech verbs (قال، أكد ...). Check every entry: fix the id, the English name and",
        "# the country, add spellings, move non-persons to organizations/places, delete the wrong",
        "# ones. Then: analysis mentions CORPUS --gazetteer THIS_FILE (or extract_mentions(...,",
        "# gazetteer=THIS_FILE)). A surname alone is better put in `bare: [...]` (counts in context).",
        "persons:",
    ]
    if not len(suggestions):
        lines[-1] = "persons: {}"
    for r in suggestions.itertuples(index=False):
        lines.append(f"  # {r.count} times in {r.n_articles} articles (after a title {r.after_title}, "
                     f"after a speech verb {r.after_verb})" + (f"; titles: {r.titles}" if r.titles else ""))
        for ex in r.examples:
            lines.append("  #   " + ex.replace("\n", " "))
        names = [n for n in r.names if " " in n] or list(r.names)
        bare = [n for n in r.names if " " not in n and names != list(r.names)]
        entry = f"en: {_yaml_str(r.entity_id.replace('_', ' ').title())}"
        if isinstance(r.country, str):
            entry += f", country: {r.country}"
        entry += ", names: [" + ", ".join(_yaml_str(n) for n in names) + "]"
        if bare:
            entry += ", bare: [" + ", ".join(_yaml_str(n) for n in bare) + "]"
        lines.append(f"  {r.entity_id}: {{{entry}}}")
    return "\n".join(lines) + "\n"
