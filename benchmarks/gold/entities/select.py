"""Select the sentences of the entity gold set (issue 11 error classes).

Deterministic (seed 20130101).  Reads two corpora, cuts every title and text
into sentences with a deliberately simple splitter of our own (newline and
``. ! ؟ ? ؛``; a dot between two digits does not cut), keeps sentences of
30-400 characters, drops repeated sentence texts (both corpora re-file
stories), and draws, for each error class of issue 11 and each corpus, a
sample of sentences matched by that class's candidate regexes:

    names_inside_names, named_after, titles_inside_titles, nisba_surnames,
    bare_ambiguous, place_other, offices, persons_coverage

Each stratum (class x corpus) is shuffled and dealt alternately to dev and
test.  A sentence belongs to one stratum only (classes are drawn in the order
above; a sentence already drawn is not drawn again).  ANT sentences already in
the country gold set (benchmarks/gold/selection.csv) are excluded.

Regexes only PROPOSE candidate sentences; they never label anything.  The
labels are written by hand in labels.csv (see README.md).

Written (no text, only ids, offsets, checksums):

    gold_id, split, stratum, corpus, record_id, field, sent_start, sent_end,
    sentence_sha1, pattern

``corpus`` is ``ant`` or ``egy``; ``record_id`` is ANT's ``docno`` or the
Egyptian corpus' ``id``; ``sent_start``/``sent_end`` are character offsets into
the JSON string value of ``field`` (``title`` or ``text``); ``pattern`` names
the sub-pattern that proposed the sentence.

Usage::

    python select.py [--ant PATH] [--egy PATH] [--old-gold CSV] [--out FILE]
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

HERE = Path(__file__).resolve().parent
SHARED = Path("/work/shared/data")
DEFAULT_ANT = SHARED / "ant_multisource" / "ant_multisource_v2.1.jsonl.gz"
DEFAULT_EGY = SHARED / "egy_news_2013" / "egy_news_2013.jsonl.gz"
DEFAULT_OLD_GOLD = Path("/work/main/benchmarks/gold/selection.csv")
SEED = 20130101
MIN_LEN, MAX_LEN = 30, 400
PER_STRATUM = 18          # sentences per (class, corpus): 9 dev + 9 test
ENGLISH_SOURCES = {"englishAhram", "englishFjp"}

_CUT = re.compile(r"\n|[!؟?؛]|(?<!\d)\.|\.(?!\d)")

# spelling classes: any alef, final ya / alef maqsura, ta marbuta / ha
A = "[اأإآ]"
Y = "[يى]"
T = "[ةه]"
B = r"(?<![^\s\"'«(\-/])"          # token start (after space, quote, bracket)
E = r"(?![^\s\"'»)\-/،,:.!?؟؛])"   # token end


def _alt(words):
    return "(?:" + "|".join(words) + ")"


# Country demonyms (masculine, definite stem without final ya): المصر-ي
_DEM = ["مصر", "ترك", "مغرب", "سور", "عراق", "يمن", "ليب", "تونس", "جزائر", "سودان",
        "فلسطين", "لبنان", "أردن", "اردن", "كويت", "بحرين", "قطر", "إيران", "ايران",
        "أفغان", "افغان", "صومال", "موريتان", "هند", "باكستان", "عمان", "سعود",
        "إمارات", "امارات", "روس", "أمريك", "أميرك", "امريك", "اميرك", "ألمان", "الماني",
        "فرنس", "بريطان", "إنجليز", "انجليز", "صين", "إسرائيل", "اسرائيل"]
DEM_M = "ال" + _alt(_DEM) + Y
DEM_F = "ال" + _alt(_DEM) + "ي" + T
DEM = "(?:" + DEM_M + "|" + DEM_F + ")"

GIVEN = ["محمد", "أحمد", "احمد", "محمود", "علي", "على", "حسن", "حسين", "عمر", "عمرو", "خالد",
         "سعيد", "سعد", "منصور", "عبد الله", "عبدالله", "عبد الرحمن", "عبد العزيز", "عبد الرحيم",
         "عبد الحكيم", "عبد الحميد", "عبد الفتاح", "عبد المنعم", "عبد الرازق", "إبراهيم", "ابراهيم",
         "يوسف", "مصطفى", "مصطفي", "طارق", "هشام", "وليد", "سامي", "سامح", "عادل", "أيمن", "ايمن",
         "أسامة", "اسامة", "ياسر", "طه", "عصام", "مجدي", "مجدى", "كمال", "جمال", "نبيل", "صلاح",
         "فتحي", "فتحى", "فؤاد", "سمير", "شريف", "ماجد", "فهد", "فيصل", "تركي", "سلطان", "بندر",
         "نايف", "مشعل", "ناصر", "جابر", "راشد", "حمد", "سالم", "صالح", "ماهر", "رامي", "هاني",
         "هانى", "عماد", "كريم", "زياد", "منى", "نادية", "سعاد", "نجيب", "رشيد", "عزيز", "قتادة",
         "حمزة", "أيوب", "ايوب", "مصعب", "مريم", "فاطمة", "ليلى", "إيمان", "ايمان", "أنس", "انس",
         "بكر", "جعفر", "عثمان", "زكريا", "يحيى", "يحيي", "موسى", "عيسى", "عيسي", "حازم", "رضا",
         "مدحت", "أشرف", "اشرف", "وائل", "باسم", "إسلام", "اسلام", "عاطف", "رفعت", "توفيق", "حمدي",
         "حمدى", "شادي", "شادى", "أمين", "امين", "نور", "حسام", "معتز", "هيثم", "بشار", "بشير",
         "غسان", "جلال", "لؤي", "عمار", "عبيدة", "مهند", "مازن", "نضال", "فراس", "عدنان", "سليمان"]
RANKS = ["اللواء", "العميد", "العقيد", "الفريق", "المقدم", "الرائد", "النقيب", "الملازم",
         "المشير", "الشيخ", "الدكتور", "المهندس", "الحاج", "الداعية", "الإمام", "الامام",
         "المستشار", "أبو", "ابو", "أبي", "ابي", "أبا", "ابا", "أم", "ام"]
PROF = ["اللاعب", "الكاتب", "الفنان", "الفنانة", "الشاعر", "المدرب", "الإعلامي", "الاعلامي",
        "المطرب", "المخرج", "الممثل", "الروائي", "الصحفي", "الصحافي", "الباحث"]

TITLE_HEAD = ["رئيس", "الرئيس", "وزير", "وزيرة", "ولي", "الملك", "أمير", "امير", "الأمير",
              "الامير", "المرشد", "العاهل", "رئيسة", "مرشد", "ملك", "السلطان", "الأمين", "الامين"]
DEPUTY = ["نائب", "نائبة", "مستشار", "مستشارة", "سفير", "سفيرة", "مساعد", "مساعدة", "وكيل",
          "وكيلة", "نواب", "مستشاري", "سفراء", "مساعدي", "وكلاء", "المتحدث باسم",
          "المتحدثة باسم", "مدير مكتب", "مبعوث", "مبعوثة", "ممثل", "كبير مستشاري"]
PAST = ["السابق", "السابقة", "الأسبق", "الاسبق", "الأسبقة", "آنذاك", "انذاك", "حينها",
        "حينذاك", "وقتها", "وقتذاك", "الراحل", "الراحلة", "المخلوع", "المعزول", "الأسبق",
        "المقبل", "المنتخب", "المنتهية ولايته"]
OFFICE = _alt(["الرئيس", "رئيس الوزراء", "رئيس الحكومة", "رئيس وزراء", "وزير الخارجية",
               "وزيرة الخارجية", "وزير خارجية", "وزير الدفاع", "وزيرة الدفاع", "وزير دفاع",
               "ولي العهد", "ولي عهد", "العاهل", "الملك", "الأمير", "الامير", "أمير", "امير",
               "المرشد الأعلى", "المرشد", "رئيس الدبلوماسية", "السلطان", "ملك"])
COUNTRY_NAMES = ["مصر", "روسيا", "سوريا", "سورية", "إيران", "ايران", "تركيا", "فرنسا",
                 "بريطانيا", "ألمانيا", "المانيا", "الصين", "إسرائيل", "اسرائيل", "السعودية",
                 "قطر", "الإمارات", "الامارات", "الأردن", "الاردن", "لبنان", "العراق",
                 "فلسطين", "تونس", "ليبيا", "اليمن", "السودان", "الجزائر", "المغرب", "الكويت",
                 "البحرين", "عمان", "الولايات المتحدة", "أمريكا", "أميركا", "امريكا"]

NAMED_HEAD = ["مركز", "جامعة", "مطار", "كأس", "كاس", "جائزة", "مدينة", "شارع", "ميدان",
              "مستشفى", "مستشفي", "مؤسسة", "برنامج", "ميناء", "قاعدة", "مسجد", "جامع", "معهد",
              "أكاديمية", "اكاديمية", "مجمع", "قاعة", "ملعب", "استاد", "ستاد", "جسر", "كوبري",
              "طريق", "محور", "منحة", "وسام", "قلادة", "مكتبة", "مدارس", "مدرسة", "محطة",
              "بحيرة", "صندوق", "كلية", "حديقة", "متحف", "قصر", "مشروع", "بطولة", "دورة",
              "مهرجان", "مبادرة", "عام", "مستشفيات", "جائزه", "مدينه", "جامعه", "مؤسسه"]
NAMED_AFTER = ["الملك", "الأمير", "الامير", "الشيخ", "الرئيس", "السلطان", "الإمام", "الامام",
               "خادم الحرمين", "ولي العهد", "أمير", "امير", "رئيس الدولة", "رئيس الجمهورية",
               "زايد", "خليفة", "محمد بن", "مبارك", "حسني مبارك", "حسنى مبارك", "السادات",
               "أنور السادات", "انور السادات", "جمال عبد الناصر", "عبد الناصر", "ناصر",
               "محمد نجيب", "محمد علي", "محمد على", "قابوس", "الحسن الثاني", "محمد الخامس",
               "محمد السادس", "الحسين", "رفيق الحريري", "الخميني", "عرفات", "ياسر عرفات",
               "بومدين", "هواري بومدين", "بورقيبة", "صدام", "القذافي", "الملكة", "حمد", "تميم",
               "صباح", "جابر", "عيسى", "فهد", "عبد العزيز", "عبدالعزيز", "سلمان", "خالد",
               "فيصل", "عبد الله", "عبدالله", "راشد", "مكتوم", "حافظ الأسد", "الباسل"]

FAMOUS_SURNAMES = {
    # key: (regex of the bare name, regex of what must NOT precede it)
    "assad": ("ال" + A + "سد", r"(?:بشار|حافظ|ماهر|رفعت|أسماء|اسماء|باسل|بشرى|سليمان|هلال|عين|حصة|حصه|نصيب)"),
    "bashar": ("بشار", None),
    "abbas": ("عباس", r"(?:محمود|أبو|ابو|عباس)"),
    "saleh": ("صالح", r"(?:الله|لـ)"),
    "hariri": ("الحريري", r"(?:سعد|رفيق|بهية|بهاء|نازك|أيمن)"),
    "salman": ("سلمان", r"(?:الملك|بن|ابن|الأمير|الامير)"),
    "hadi": ("هادي", r"(?:منصور|ربه)"),
    "aoun": ("عون", r"(?:ميشال|ميشيل|ميشل|الرئيس)"),
    "berri": ("بري", r"(?:نبيه)"),
    "morsi": ("مرس" + Y, r"(?:محمد|الرئيس|الدكتور)"),
    "mubarak": ("مبارك", r"(?:حسني|حسنى|الرئيس|جمال|علاء|سوزان)"),
    "qandil": ("قنديل", r"(?:هشام|الدكتور)"),
    "zayed": ("زايد", r"(?:بن|الشيخ|ابن)"),
    "may": ("ماي", r"(?:تيريزا|تريزا)"),
    "johnson": ("جونسون", r"(?:بوريس)"),
    "sisi": ("السيس" + Y, r"(?:الفتاح|الفريق|الرئيس)"),
}

PERSONS = {
    # key -> regex (a surname or full name of a notable person of 2010-2025)
    "kerry": "كير" + Y, "lavrov": "لافروف", "zarif": "ظريف", "shoigu": "شويغو|شويجو",
    "putin": "بوتين", "medvedev": "ميدفيديف|مدفيديف", "obama": A + "وباما", "trump": "ترامب|ترمب",
    "clinton": "كلينتون", "hagel": "هيغل|هاجل", "panetta": "بانيتا", "mattis": "ماتيس",
    "pompeo": "بومبيو", "tillerson": "تيلرسون", "bolton": "بولتون", "pence": "بنس",
    "biden": "بايدن", "morsi": "مرس" + Y, "sisi": "السيس" + Y, "qandil": "قنديل",
    "kamel_amr": "كامل عمرو", "shoukry": "شكر" + Y + "|سامح شكري", "mubarak": "مبارك",
    "tantawi": "طنطاو" + Y, "madbouly": "مدبول" + Y, "ismail": "شريف إسماعيل",
    "assad": "ال" + A + "سد", "muallem": "المعلم", "halqi": "الحلقي", "jaafari": "الجعفري",
    "khamenei": "خامنئ" + Y + "|خامنه", "rouhani": "روحان" + Y, "ahmadinejad": "نجاد",
    "salehi": "صالحي", "soleimani": "سليماني", "erdogan": A + "ردوغان", "gul": "غول|جول",
    "davutoglu": "داود ?أوغلو|داوود ?أوغلو|داوود ?اوغلو", "cavusoglu": "جاويش ?أوغلو|تشاووش ?أوغلو",
    "yildirim": "يلدريم|يلديريم", "netanyahu": "نتنياهو|نتانياهو", "lieberman": "ليبرمان",
    "peres": "بيريز", "barak": "باراك", "abbas": "محمود عباس|أبو مازن|ابو مازن",
    "haniyeh": "هنية", "meshaal": "مشعل", "nasrallah": "نصر ?الله", "baghdadi": "البغدادي",
    "zawahiri": "الظواهري", "julani": "الجولاني", "haftar": "حفتر", "sarraj": "السراج",
    "abadi": "العبادي", "maliki": "المالكي", "abdul_mahdi": "عبد المهدي", "talabani": "طالباني",
    "mikati": "ميقاتي", "suleiman": "ميشال سليمان|ميشيل سليمان", "aoun": "ميشال عون|ميشيل عون",
    "hariri": "الحريري", "king_abdullah2": "عبد ?الله الثاني", "ensour": "النسور",
    "razzaz": "الرزاز", "bashir": "البشير", "bouteflika": "بوتفليقة", "ouyahia": "أويحيى|اويحيى",
    "marzouki": "المرزوقي", "ghannouchi": "الغنوشي", "essebsi": "السبسي", "jebali": "الجبالي",
    "laarayedh": "العريض", "chahed": "الشاهد", "benkirane": "بنكيران|بن كيران",
    "othmani": "العثماني", "hadi": "منصور هادي", "saleh": "عبد ?الله صالح", "houthi": "الحوثي",
    "qaboos": "قابوس", "tamim": "تميم", "hamad": "حمد بن خليفة|حمد بن جاسم", "salman": "سلمان",
    "mbs": "محمد بن سلمان", "mbz": "محمد بن زايد", "mbr": "محمد بن راشد", "jubeir": "الجبير",
    "saud_faisal": "سعود الفيصل", "abdullah_sau": "عبد ?الله بن عبد ?العزيز", "muqrin": "مقرن",
    "nayef": "نايف", "hollande": "هولاند", "macron": "ماكرون", "sarkozy": "ساركوزي",
    "fabius": "فابيوس", "le_drian": "لودريان|لو دريان", "merkel": "ميركل",
    "westerwelle": "فيسترفيله", "maas": "ماس" + E, "cameron": "كاميرون", "hague": "هيغ|هيج",
    "johnson": "جونسون", "may": "تيريزا ماي|تريزا ماي", "hunt": "هانت", "xi": "شي جين ?بينغ|شي جين ?بينج",
    "hu": "هو جين ?تاو", "wang_yi": "وانغ يي|وانج يي", "li_keqiang": "لي كه ?تشيانغ|لي كيكيانغ",
    "ban": "بان كي ?مون", "guterres": "غوتيريش|جوتيريش|غوتيريس", "brahimi": "الإبراهيمي|الابراهيمي",
    "annan": "كوفي عنان|عنان", "de_mistura": "دي ?ميستورا", "griffiths": "غريفيث|جريفيث",
    "salame": "غسان سلامة", "ould_cheikh": "ولد الشيخ",
    "shafiq": "شفيق", "nabil_araby": "نبيل العرب" + Y,
}

PLACES = ["مدريد", "روما", "موسكو", "برلين", "باريس", "طهران", "دبي", "الرياض", "الرباط",
          "مسقط", "القاهرة", "بغداد", "دمشق", "الدوحة", "عدن", "حمص", "حلب", "القدس",
          "واشنطن", "لندن", "إسطنبول", "اسطنبول", "بيروت", "الخرطوم", "صنعاء", "أبوظبي",
          "أبو ظبي", "المنامة", "كييف", "بكين", "أنقرة", "دوما", "الرقة", "عفرين", "طرطوس",
          "درعا", "غزة", "اللاذقية", "سوتشي", "منبج"]

# cheap literal gates: a class's regex is tried only if one of these substrings occurs
GATES = {
    "titles_inside_titles": ["نائب", "مستشار", "سفير", "سفراء", "مساعد", "وكيل", "وكلاء", "نواب",
                             "المتحدث", "مدير مكتب", "مبعوث", "ممثل", "ولي", "سابق", "أسبق", "اسبق",
                             "آنذاك", "انذاك", "حينها", "حينذاك", "وقت", "الراحل", "المخلوع",
                             "المعزول", "المقبل", "المنتخب", "المنتهية", " 19", " 20"],
    "named_after": [n for n in NAMED_AFTER] + ["الشيخ زايد", "عام زايد"],
    "names_inside_names": ["بن ", "سد", "مبارك", "مرس", "ترامب", "القذافي", "الحريري", "خامنئ",
                           "باما"],
    "nisba_surnames": ["ال" + d for d in _DEM],
    "bare_ambiguous": ["سد", "بشار", "عباس", "صالح", "الحريري", "سلمان", "هادي", "عون", "بري",
                       "مرس", "مبارك", "قنديل", "زايد", "ماي", "جونسون", "السيس"],
    "place_other": PLACES + ["مسقط", "الرباط", "رياض", "عدن", "الحمص", "القدس", "المقدس", "رباط"],
    "offices": ["رئيس", "وزير", "ولي", "العاهل", "الملك", "الأمير", "الامير", "أمير", "امير",
                "المرشد", "السلطان", "ملك", "سلطان", "الأمين", "الامين", "المبعوث", "الدبلوماسية"],
    "persons_coverage": None,   # filled from PERSONS below
}


def _literal_heads(rx: str) -> list[str]:
    """Leading literal run of each top-level alternative of a simple regex."""
    out = []
    for alt in rx.split("|"):
        runs = re.findall(r"[^\[\](){}?*+\\|.^$]+", re.sub(r"\[[^\]]*\]|.\?", "|", alt))
        runs = [r for r in runs if len(r.strip()) >= 2]
        if not runs:
            raise ValueError(f"no literal in {rx!r}")
        out.append(max(reversed(runs), key=len))
    return out


GATES["persons_coverage"] = sorted({h for rx in PERSONS.values() for h in _literal_heads(rx)})
PERSON_GATES = {k: _literal_heads(rx) for k, rx in PERSONS.items()}

CLASS_ORDER = ["titles_inside_titles", "named_after", "names_inside_names", "nisba_surnames",
               "bare_ambiguous", "place_other", "offices", "persons_coverage"]


def _b(rx: str) -> str:
    """Wrap rx as whole tokens (optional proclitic و ف ب ل ك)."""
    return B + "(?:[وفبلك]|وب|ول|فب|فل)?" + "(?:" + rx + ")" + E


def build_patterns() -> dict[str, list[tuple[str, re.Pattern]]]:
    p: dict[str, list[tuple[str, str]]] = {}
    p["titles_inside_titles"] = [
        ("deputy_title", _b(_alt(DEPUTY)) + r"\s+" + "(?:ل|لل)?" + _alt(TITLE_HEAD + ["ال" + "رئيس"])),
        ("deputy_crown", r"ولي ولي العهد|نائب ولي العهد"),
        ("past_cue", _b(OFFICE) + r"(?:\s+\S+){0,3}?\s+" + _alt(PAST) + E),
        ("title_year", _b(OFFICE) + r"(?:\s+\S+){0,4}?\s+(?:في|فى|عام|منذ|خلال)\s+(?:عام\s+)?(?:19|20)\d\d"),
    ]
    p["named_after"] = [
        ("named_after", _b(_alt(NAMED_HEAD)) + r"\s+" + _alt(NAMED_AFTER) + E),
        ("sheikh_zayed_city", _b("الشيخ زايد") + r"(?!\s+بن)"),
        ("year_of", _b("عام زايد")),
    ]
    p["names_inside_names"] = [
        ("chain", r"(?<=\S\s)(?:بن|ابن)\s+\S+(?:\s+\S+)?\s+(?:بن|ابن)\s+\S"),
        ("family", _b(_alt(["ماهر", "حافظ", "أسماء", "اسماء", "رفعت", "باسل", "بشرى", "أنيسة",
                           "سليمان", "هلال", "منذر", "فواز", "دريد", "ريبال"])) + r"\s+ال" + A + "سد" + E),
        ("family", _b(_alt(["جمال", "علاء", "سوزان"])) + r"\s+مبارك" + E),
        ("family", _b(_alt(["أحمد", "احمد", "أسامة", "اسامة", "عمر", "عبد الله", "عبدالله",
                           "الشيماء", "نجلاء", "شريف"])) + r"\s+(?:محمد\s+)?مرس" + Y + E),
        ("family", _b(_alt(["إيفانكا", "ايفانكا", "ميلانيا", "إريك", "اريك", "تيفاني", "بارون",
                           "فريد", "ماري"])) + r"\s+ترامب" + E),
        ("family", _b(_alt(["سيف الإسلام", "سيف الاسلام", "الساعدي", "هانيبال", "المعتصم",
                           "عائشة", "خميس", "أحمد قذاف الدم"])) + r"\s+القذافي" + E),
        ("family", _b(_alt(["بهاء", "رفيق", "نازك", "بهية", "أيمن"])) + r"\s+الحريري" + E),
        ("family", _b(_alt(["مجتبى", "مسعود", "حسن"])) + r"\s+خامنئ" + Y + E),
        ("family", _b(_alt(["ميشيل", "ميشال", "ساشا", "ماليا"])) + r"\s+" + A + "وباما" + E),
        ("family", _b(_alt(["خالد", "فيصل", "تركي", "عبد العزيز", "عبدالعزيز", "نايف", "بندر"]))
         + r"\s+بن\s+سلمان" + E),
    ]
    p["nisba_surnames"] = [
        ("given_nisba", _b(_alt(GIVEN)) + r"\s+" + DEM_M + E),
        ("rank_nisba", _b(_alt(RANKS)) + r"\s+(?:\S+\s+)?" + DEM_M + E),
        ("prof_nisba", _b(_alt(PROF)) + r"\s+" + DEM + E),
    ]
    bare_assad = []
    bare_other = []
    for key, (rx, not_before) in FAMOUS_SURNAMES.items():
        lb = ""
        if not_before:
            lb = r"(?<!" + r")(?<!".join(w + " " for w in not_before[3:-1].split("|")) + r")"
        pat = lb + _b(rx)
        if key == "bashar":
            pat = _b(rx) + r"(?!\s+ال" + A + "سد)"
        (bare_assad if key in ("assad", "bashar") else bare_other).append(("bare_" + key, pat))
    bare_assad.append(("bare_assad_lion", _b("عين ال" + A + "سد|حص" + T + " ال" + A + "سد|" + A + "سد")))
    p["bare_ambiguous"] = bare_assad + bare_other
    places = PLACES
    other_heads = ["ريال", "أتلتيكو", "اتلتيكو", "سان جيرمان", "سبارتاك", "لوكوموتيف", "سسكا",
                   "تسيسكا", "دينامو", "هيرتا", "استقلال", "صحيفة", "جريدة", "مجلة", "وكالة",
                   "قناة", "إذاعة", "اذاعة", "نادي", "نادى", "فريق", "جامعة", "ستاد", "استاد",
                   "بنك", "مصرف", "شركة", "حزب", "بورصة", "مترو", "مطار", "منتخب", "شرطة",
                   "بلدية", "محافظة", "محافظ", "أمير منطقة", "إعلان", "اتفاق", "اتفاقية",
                   "مؤتمر", "قمة", "جولة", "معرض", "مهرجان", "ماراثون", "سباق", "بطولة", "جائزة",
                   "ديربي", "عملية", "محكمة", "جنايات", "جنح", "نيابة", "مديرية", "أمن"]
    p["place_other"] = [
        ("place_inside_name", _b(_alt(other_heads)) + r"\s+" + _alt(places) + E),
        ("place_after", _b(_alt(places)) + r"\s+" + _alt(["بوست", "تايمز", "العربي", "نيوز",
                                                          "الإيطالي", "الإسباني", "الاسباني",
                                                          "الفرنسي", "الروسي", "سيتي", "يونايتد",
                                                          "الدولي", "الرياضي", "للطيران",
                                                          "الأول", "الجديدة"]) + E),
        ("idiom", _b(_alt(["مسقط رأس", "مسقط راس", "الرباط الصليبي", "رياض الأطفال",
                           "رياض الاطفال", "جنة عدن", "جنات عدن", "الحمص", "فيلق القدس",
                           "سرايا القدس", "بيت المقدس", "رباط", "الرباط المقدس"]))),
        ("place_plain", _b(_alt(places))),
    ]
    dem_adj = "ال" + _alt(_DEM) + "(?:" + Y + "|ي" + T + ")"
    p["offices"] = [
        ("office_adj", _b(OFFICE) + r"\s+" + dem_adj + E),
        ("office_of", _b(_alt(["رئيس وزراء", "وزير خارجية", "وزير دفاع", "ولي عهد", "ملك", "أمير",
                               "امير", "رئيس", "وزيرة خارجية", "سلطان"])) + r"\s+" + _alt(COUNTRY_NAMES) + E),
        ("office_un", _b(_alt(["الأمين العام للأمم المتحدة", "الامين العام للامم المتحدة",
                               "الأمين العام للجامعة العربية", "الأمين العام لجامعة الدول العربية",
                               "المبعوث الأممي", "المبعوث الدولي", "المبعوث الخاص",
                               "المبعوث المشترك", "الأمين العام لحلف", "الأمين العام لحزب الله"]))),
    ]
    p["persons_coverage"] = [(k, _b(rx)) for k, rx in PERSONS.items()]
    out = {}
    for c, pats in p.items():
        # one combined regex per class; group gI names sub-pattern I
        names = [n for n, _ in pats]
        combined = "|".join(f"(?P<g{i}>{rx})" for i, (_, rx) in enumerate(pats))
        if c == "persons_coverage":
            # one small regex per person, each behind its own literal gate
            out[c] = (names, [(PERSON_GATES[n], re.compile(_b(rx))) for n, rx in pats])
            continue
        out[c] = (names, re.compile(combined))
    return out


def split_sentences(s: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the whitespace-stripped sentences of ``s``."""
    pieces, pos = [], 0
    for m in _CUT.finditer(s):
        pieces.append((pos, m.end()))
        pos = m.end()
    pieces.append((pos, len(s)))
    spans = []
    for a, b in pieces:
        while a < b and s[a].isspace():
            a += 1
        while b > a and s[b - 1].isspace():
            b -= 1
        if b > a:
            spans.append((a, b))
    return spans


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def iter_records(path: Path, corpus: str):
    """Yield (record_id, record) from a JSONL.gz corpus, with file:line errors."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                sys.exit(f"{path}:{lineno}: bad JSON ({exc})")
            if corpus == "egy" and rec.get("source") in ENGLISH_SOURCES:
                continue
            rid = rec.get("docno") if corpus == "ant" else rec.get("id")
            if not rid:
                sys.exit(f"{path}:{lineno}: record without {'docno' if corpus == 'ant' else 'id'}")
            yield rid, rec


def candidates(path: Path, corpus: str, patterns, exclude: set) -> dict[str, list]:
    """Per class: list of (record_id, field, start, end, sentence, pattern_name)."""
    pools: dict[str, list] = {c: [] for c in CLASS_ORDER}
    seen: set[str] = set()
    for rid, rec in iter_records(path, corpus):
        for field in ("title", "text"):
            value = rec.get(field) or ""
            for a, b in split_sentences(value):
                if not MIN_LEN <= b - a <= MAX_LEN:
                    continue
                sent = value[a:b]
                if sent in seen or (rid, field, a) in exclude:
                    continue
                seen.add(sent)
                for cls in CLASS_ORDER:
                    gate = GATES[cls]
                    if gate is not None and not any(g in sent for g in gate):
                        continue
                    names, rx = patterns[cls]
                    if cls == "persons_coverage":
                        hit = next((n for n, (gs, prx) in zip(names, rx)
                                    if any(g in sent for g in gs) and prx.search(sent)), None)
                        if hit:
                            pools[cls].append((rid, field, a, b, sent, hit))
                        continue
                    m = rx.search(sent)
                    if m:
                        pools[cls].append((rid, field, a, b, sent, names[int(m.lastgroup[1:])]))
    return pools


def _draw(rng: random.Random, pool: list, k: int, cls: str) -> list:
    """Sample k candidates; round-robin over sub-patterns so one does not crowd out the rest."""
    if cls in ("persons_coverage", "bare_ambiguous", "names_inside_names", "place_other",
               "titles_inside_titles", "nisba_surnames", "offices"):
        by: dict[str, list] = {}
        for c in pool:
            by.setdefault(c[5], []).append(c)
        keys = sorted(by)
        for kk in keys:
            by[kk].sort(key=lambda c: c[:4])
            rng.shuffle(by[kk])
        if cls == "bare_ambiguous":
            # half from the Assad names (الأسد, بشار), half from the other bare surnames
            assad = [kk for kk in keys if kk.startswith("bare_assad") or kk == "bare_bashar"]
            other = [kk for kk in keys if kk not in assad]
            return _round_robin(rng, by, assad, (k + 1) // 2) + _round_robin(rng, by, other, k // 2)
        if cls == "place_other":
            plain = ["place_plain"] if "place_plain" in by else []
            other = [kk for kk in keys if kk not in plain]
            n_plain = k // 3
            return _round_robin(rng, by, other, k - n_plain) + _round_robin(rng, by, plain, n_plain)
        return _round_robin(rng, by, keys, k)
    pool = sorted(pool, key=lambda c: c[:4])
    return rng.sample(pool, min(k, len(pool)))


def _round_robin(rng: random.Random, by: dict, keys: list, k: int) -> list:
    keys = list(keys)
    rng.shuffle(keys)
    out, i = [], 0
    while len(out) < k and any(by[kk] for kk in keys):
        kk = keys[i % len(keys)]
        if by[kk]:
            out.append(by[kk].pop())
        i += 1
    return out


def select(ant: Path, egy: Path, old_gold: Path | None) -> list[dict]:
    patterns = build_patterns()
    exclude = set()
    if old_gold and old_gold.is_file():
        with open(old_gold, newline="", encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                exclude.add((r["docno"], r["field"], int(r["start"])))
    rng = random.Random(SEED)
    rows = []
    for corpus, path in (("ant", ant), ("egy", egy)):
        pools = candidates(path, corpus, patterns, exclude if corpus == "ant" else set())
        taken: set = set()
        for cls in CLASS_ORDER:
            pool = [c for c in pools[cls] if c[:4] not in taken]
            picked = _draw(rng, pool, PER_STRATUM, cls)
            picked.sort(key=lambda c: c[:4])
            rng.shuffle(picked)
            for i, c in enumerate(picked):
                taken.add(c[:4])
                rows.append({"split": "dev" if i % 2 == 0 else "test", "stratum": cls,
                             "corpus": corpus, "record_id": c[0], "field": c[1],
                             "sent_start": c[2], "sent_end": c[3], "sentence_sha1": sha1(c[4]),
                             "pattern": c[5]})
            print(f"{corpus} {cls}: pool {len(pool)}, drawn {len(picked)}", file=sys.stderr)
    rows.sort(key=lambda r: (CLASS_ORDER.index(r["stratum"]), r["corpus"]))
    for i, r in enumerate(rows, 1):
        r["gold_id"] = f"e{i:03d}"
    return rows


COLUMNS = ["gold_id", "split", "stratum", "corpus", "record_id", "field", "sent_start",
           "sent_end", "sentence_sha1", "pattern"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ant", type=Path, default=DEFAULT_ANT)
    ap.add_argument("--egy", type=Path, default=DEFAULT_EGY)
    ap.add_argument("--old-gold", type=Path, default=DEFAULT_OLD_GOLD)
    ap.add_argument("--out", type=Path, default=HERE / "selection.csv")
    args = ap.parse_args(argv)
    for p in (args.ant, args.egy):
        if not p.is_file():
            sys.exit(f"corpus not found: {p}")
    rows = select(args.ant, args.egy, args.old_gold)
    with open(args.out, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)
    n_dev = sum(r["split"] == "dev" for r in rows)
    print(f"{len(rows)} sentences ({n_dev} dev, {len(rows) - n_dev} test) -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
