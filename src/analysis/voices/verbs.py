"""The reporting-verb lexicon and the word lists the speaker rules use.

Everything here is *normalized* (``analysis.text.normalize``: أ إ آ -> ا,
ى -> ي, ة -> ه, no diacritics), one token per entry, letters only, the way
the match form of :func:`analysis.entities.mentions.match_form` spells it.

A verb entry is a lemma (the normalized past tense, 3rd person masculine
singular: ``قال``) with its inflected forms: past and present tense,
masculine / feminine, singular / dual / plural (``قال قالت قالوا قالا قالتا``,
``يقول تقول يقولون``), and the circumstantial participle that continues a
statement inside a sentence (``قائلا``، ``مؤكدا``، ``مشيرا``). The conjunctions
و and ف are added as proclitics by :func:`verb_forms` (``وقال``، ``فأضاف``);
``فيما قال`` / ``كما قال`` are separate tokens and need nothing.

Each lemma has a *class* deciding how much context it needs to count as a
statement (see README, "Voices: who is quoted"):

``strong``
    a speaker phrase after the verb or a content opener (أن / إن / colon /
    quotation mark) is enough: قال، أكد، أعلن، صرح، أوضح، ذكر ...
``weak``
    the verb has common non-reporting senses (أضاف "added", تابع "followed",
    لفت "drew", رأى / رأي "opinion", نقل "moved"), so a content opener must
    follow within the sentence (for نقل: عن + a source).
``clitic``
    like weak, and the verb must carry و / ف (وتابع، وبين، ومضى).
``speaker``
    like strong, but without و / ف a speaker other than an unknown word must
    follow (طالب الأمين العام ... vs. طالب جامعي, "a student").

Present-tense forms are always weak (يعتبر "is considered", يذكر أن "it is
worth noting" is excluded outright); participles need an opener right after
them (``مؤكدة`` is also the adjective "confirmed").
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

__all__ = ["VerbForm", "LEMMAS", "TIERS", "verb_forms", "OPENERS", "SPEAKER_LISTS"]

# gender/number of a verb form: masculine singular, feminine singular, plural (and dual)
MS, FS, PL = "ms", "fs", "pl"


@dataclass(frozen=True)
class VerbForm:
    """One token of the lexicon: the form as matched (proclitic included)."""

    form: str  # normalized token as it appears (وقال)
    lemma: str  # normalized past 3ms (قال)
    strip: int  # characters of proclitic at the start (1 for وقال)
    gender: str  # ms, fs or pl
    tense: str  # past, present, participle, attribution
    cls: str  # strong, weak, clitic


def _past(stem: str, fem: str | None = None, pl: str | None = None, dual: bool = True) -> list[tuple[str, str]]:
    fem = fem or stem + "ت"
    pl = pl or stem + "وا"
    out = [(stem, MS), (fem, FS), (pl, PL)]
    if dual:
        out += [(stem + "ا", PL), (fem + "ا", PL)]
    return out


def _present(p: str, pl: str | None = None) -> list[tuple[str, str]]:
    """3ms present (يقول) -> يقول تقول يقولون يقولان تقولان."""
    t = "ت" + p[1:]
    return [(p, MS), (t, FS), (pl or p + "ون", PL), (p + "ان", PL), (t + "ان", PL)]


def _participle(ms: str, fem: bool = True, plural: bool = True) -> list[tuple[str, str]]:
    """Accusative participle مؤكدا -> مؤكدا مؤكده مؤكدين."""
    base = ms[:-1] if ms.endswith("ا") else ms
    out = [(ms, MS)]
    if fem:
        out.append((base + "ه", FS))
    if plural:
        out.append((base + "ين", PL))
    return out


# lemma -> (class, tier, past forms, present forms, participle forms)
# tiers: "core" (the default) and "extended" (speech acts whose reading as a
# statement is more open: دعا، طالب، اتهم ...).
def _lexicon() -> dict[str, tuple[str, str, list, list, list]]:
    L: dict[str, tuple[str, str, list, list, list]] = {}

    def add(lemma, cls, tier, past, present=(), part=()):
        L[lemma] = (cls, tier, list(past), list(present), list(part))

    add("قال", "strong", "core", _past("قال"), _present("يقول"), _participle("قائلا"))
    add("اكد", "strong", "core", _past("اكد"), _present("يؤكد"), _participle("مؤكدا"))
    add("اضاف", "weak", "core", _past("اضاف"), _present("يضيف"), _participle("مضيفا"))
    add("اعلن", "strong", "core", _past("اعلن"), _present("يعلن"), _participle("معلنا"))
    add("اشار", "weak", "core", _past("اشار"), _present("يشير"), _participle("مشيرا"))
    add("اوضح", "strong", "core", _past("اوضح"), _present("يوضح"), _participle("موضحا"))
    add("صرح", "strong", "core", _past("صرح"), _present("يصرح"), _participle("مصرحا"))
    add("ذكر", "strong", "core", _past("ذكر"), _present("يذكر"), [])
    add("افاد", "strong", "core", _past("افاد"), _present("يفيد"), _participle("مفيدا"))
    add("كشف", "strong", "core", _past("كشف", dual=False), _present("يكشف"), _participle("كاشفا"))
    add("شدد", "strong", "core", _past("شدد"), _present("يشدد"), _participle("مشددا"))
    add("لفت", "weak", "core", _past("لفت"), _present("يلفت"), [("لافتا", MS)])
    add("نوه", "weak", "core", _past("نوه"), _present("ينوه"), _participle("منوها"))
    add("اعتبر", "weak", "core", _past("اعتبر"), _present("يعتبر"), _participle("معتبرا"))
    add("راي", "weak", "core", [("راي", MS), ("رات", FS), ("راوا", PL), ("رايا", PL), ("راتا", PL)],
        [("يري", MS), ("تري", FS), ("يرون", PL), ("يريان", PL), ("تريان", PL)], [])
    add("زعم", "strong", "core", _past("زعم"), _present("يزعم"), _participle("زاعما"))
    add("ادعي", "strong", "core", [("ادعي", MS), ("ادعت", FS), ("ادعوا", PL), ("ادعيا", PL), ("ادعتا", PL)],
        [("يدعي", MS), ("تدعي", FS)], _participle("مدعيا"))
    add("نفي", "strong", "core", [("نفي", MS), ("نفت", FS), ("نفوا", PL), ("نفيا", PL), ("نفتا", PL)],
        [("ينفي", MS), ("تنفي", FS), ("ينفون", PL)], [("نافيا", MS), ("نافيه", FS)])
    add("حذر", "strong", "core", _past("حذر", dual=False), _present("يحذر"), _participle("محذرا"))
    add("اعرب", "strong", "core", _past("اعرب"), _present("يعرب"), _participle("معربا"))
    add("اورد", "strong", "core", _past("اورد"), _present("يورد"), [])
    add("غرد", "strong", "core", _past("غرد"), _present("يغرد"), [])
    add("نقل", "weak", "core", _past("نقل", dual=False), _present("ينقل"), [])
    add("اردف", "weak", "core", _past("اردف"), _present("يردف"), _participle("مردفا"))
    add("استطرد", "weak", "core", _past("استطرد"), [], _participle("مستطردا"))
    add("تابع", "clitic", "core", _past("تابع", dual=False), [], [])
    add("بين", "clitic", "core", [("بين", MS), ("بينت", FS)], [], [("مبينا", MS)])
    add("مضي", "clitic", "core", [("مضي", MS), ("مضت", FS)], [], [])
    add("يعتقد", "weak", "core", [], _present("يعتقد"), [])
    # extended: speech acts whose reading as a quoted statement is more open
    add("دعا", "strong", "extended", [("دعا", MS), ("دعت", FS), ("دعوا", PL), ("دعتا", PL)],
        [("يدعو", MS), ("تدعو", FS)], [("داعيا", MS)])
    add("طالب", "speaker", "extended", _past("طالب", dual=False), [("يطالب", MS), ("تطالب", FS)], [("مطالبا", MS)])
    add("اتهم", "strong", "extended", _past("اتهم"), _present("يتهم"), [])
    add("وصف", "strong", "extended", _past("وصف"), _present("يصف"), _participle("واصفا"))
    add("ابلغ", "weak", "extended", _past("ابلغ"), [], [])
    add("اقر", "weak", "extended", [("اقر", MS), ("اقرت", FS), ("اقروا", PL)], [], [])
    add("اعترف", "weak", "extended", _past("اعترف"), _present("يعترف"), _participle("معترفا"))
    add("علق", "weak", "extended", _past("علق", dual=False), [], [("معلقا", MS)])
    add("رد", "clitic", "extended", [("رد", MS), ("ردت", FS)], [], [])
    add("اجاب", "weak", "extended", _past("اجاب"), [], [("مجيبا", MS)])
    add("كتب", "weak", "extended", _past("كتب", dual=False), [], [])
    add("ابدي", "strong", "extended", [("ابدي", MS), ("ابدت", FS)], [], [("مبديا", MS)])
    add("ناشد", "strong", "extended", _past("ناشد"), [], [])
    add("توقع", "weak", "extended", _past("توقع"), _present("يتوقع"), [("متوقعا", MS)])
    add("تساءل", "weak", "extended", _past("تساءل"), [], [("متسائلا", MS)])
    add("هدد", "strong", "extended", _past("هدد"), _present("يهدد"), [("مهددا", MS)])
    add("انتقد", "strong", "extended", _past("انتقد"), _present("ينتقد"), [("منتقدا", MS)])
    add("دافع", "strong", "extended", _past("دافع", dual=False), [("يدافع", MS), ("تدافع", FS)], [("مدافعا", MS)])
    add("ادان", "strong", "extended", _past("ادان"), _present("يدين"), [])
    add("ندد", "strong", "extended", _past("ندد"), _present("يندد"), [("منددا", MS)])
    add("رحب", "strong", "extended", _past("رحب"), _present("يرحب"), [("مرحبا", MS)])
    add("اشاد", "strong", "extended", _past("اشاد"), _present("يشيد"), [("مشيدا", MS)])
    add("تعهد", "strong", "extended", _past("تعهد", dual=False), [("يتعهد", MS), ("تتعهد", FS)], [])
    add("اوصي", "strong", "extended", [("اوصي", MS), ("اوصت", FS), ("اوصوا", PL)], [], [])
    add("هتف", "strong", "extended", _past("هتف"), [], [("هاتفين", PL)])
    add("حث", "strong", "extended", [("حث", MS), ("حثت", FS), ("حثوا", PL)], [("يحث", MS), ("تحث", FS)], [])
    add("استنكر", "strong", "extended", _past("استنكر"), [], [])
    add("اعتذر", "weak", "extended", _past("اعتذر"), _present("يعتذر"), [("معتذرا", MS), ("معتذره", FS)])
    add("اتبع", "clitic", "extended", _past("اتبع", dual=False), [], [])
    add("جاء", "weak", "extended", [("جاء", MS), ("جاءت", FS)], [], [])  # وجاء في البيان أن
    add("امل", "weak", "extended", [("امل", MS), ("املت", FS)], [], [])
    add("سال", "weak", "extended", [("سال", MS), ("سالت", FS)], [], [])
    return L


LEMMAS = _lexicon()
TIERS = ("core", "extended")

# prepositional attribution (بحسب المرصد، وفقا للوكالة، نقلا عن مصادر): optional
ATTRIBUTIONS = ("بحسب", "حسب", "وفقا", "طبقا", "نقلا")

# tokens opening the content of a statement
OPENERS = frozenset({
    "ان", "انه", "انها", "انهم", "انهما", "اننا", "انني", "اني", "انكم", "انك", "انهن",
    "بان", "بانه", "بانها", "بانهم", "بانهما", "باننا", "بانني",
    "فان", "فانه", "فانها",
})
# participles that open the content right after the speaker (وأضاف قائلا)
OPENING_PARTICIPLES = frozenset({"قائلا", "قائله", "قائلين", "بالقول", "القول", "قوله", "قولها", "قولهم",
                                 "قولهما", "قوله", "مضيفا", "مضيفه"})
# after these verbs a preposition opens the content (أشار إلى أن، شدد على أن، نقل عن)
PREP_OPENERS = {
    "اشار": ("الي",), "لفت": ("الي",), "نوه": ("الي", "ب"), "شدد": ("علي",), "اعرب": ("عن",),
    "كشف": ("عن",), "حذر": ("من",), "اعلن": ("عن",), "دعا": ("الي",), "نفي": (), "اكد": ("علي",),
    "دافع": ("عن",), "رحب": ("ب",), "اشاد": ("ب",), "ندد": ("ب",), "حث": ("علي",), "طالب": ("ب",),
    "هدد": (), "تعهد": ("ب",), "اوصي": ("ب",), "علق": ("علي",), "اعتذر": ("عن",),
}

# the speaker phrase never runs through these (adjuncts: في بيان، خلال مؤتمر، أمس ...)
STOP_WORDS = frozenset({
    "خلال", "عبر", "امام", "عقب", "بعد", "قبل", "اثناء", "اليوم", "امس", "يوم", "صباح", "مساء", "ليل",
    "الليله", "الاحد", "الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "السبت", "مؤخرا", "ايضا",
    "كذلك", "بدوره", "بدورها", "بدورهم", "جهته", "جهتها", "جانبه", "جانبها", "حينها", "انذاك", "الان",
    "عن", "الي", "علي", "مع", "ضد", "حول", "بشان", "تجاه", "نحو", "منذ", "حتي", "لكن", "غير", "ثم", "او",
    "هذا", "هذه", "ذلك", "تلك", "الذي", "التي", "الذين", "ما", "ماذا", "لا", "لم", "لن", "قد", "كان",
    "كانت", "هو", "هي", "هم", "نحن", "انا", "انت", "ان", "اذا", "اذ", "لو", "كما", "حيث", "بينما",
    "فيما", "عندما", "وقت", "سابق", "لاحق", "ختام", "مستهل", "نهايه", "بدايه",
    "تصريحات", "حديثا",
    "له", "لها", "لهم", "لنا", "لي", "لك", "لكم", "للصحفيين", "للصحافيين", "للصحافه", "للاعلام",
    "وفقا", "بحسب", "حسب", "طبقا", "نقلا", "استنادا", "لما", "كما", "مما", "عما", "بما", "بين", "دون",
    "ضمن", "وسط", "لدي", "عند", "حين", "رغم", "بسبب", "لان", "لانه", "حاليا", "بشكل", "بصوره", "امس",
    "عشيه", "قبيل", "اثر", "غداه", "لدى", "فور", "مجددا", "صراحه", "بوضوح", "امام", "وفق",
})
# the speaker phrase stops at these when they start with a preposition + a word
# that is not a named entity (في مؤتمر صحفي vs. مصادر في الحرس الثوري)
PREPOSITIONS = frozenset({"في", "من", "لدي", "ب", "ل"})
# addressees right after the verb (besides ل + a media word or a name, لل...)
ADDRESSEES = frozenset({"ل", "له", "لها", "لهم", "لهما", "لنا", "لي", "لك", "لكم", "للصحفيين", "للصحافيين",
                        "للصحافه", "للاعلام", "لنظيره", "لنظيرته", "لنظرائه", "لوسائل", "لمراسل", "لمراسله",
                        "لرويترز", "لبي", "لسي", "لسكاي", "لفرانس", "لاسوشيتد", "لاسوشييتد", "لنيويورك",
                        "لواشنطن", "لوول", "لفوكس", "لسبوتنيك", "لتاس", "لانترفاكس", "لارنا", "لسانا", "لوام",
                        "لواس", "لفارس", "لتسنيم", "لايرنا", "لشبكه", "لقناه", "لصحيفه", "لموقع", "لوكاله",
                        "لتلفزيون", "لاذاعه", "لمجله", "لراديو", "لدويتشه", "لبلومبرغ", "لاكسيوس", "للجزيره",
                        "للعربيه", "للحره", "للشرق"})
# addressees right after the verb: قال لرويترز، قالت لـ«سكاي نيوز عربية»
MEDIA_HEADS = frozenset({"وكاله", "صحيفه", "قناه", "موقع", "شبكه", "تلفزيون", "اذاعه", "مجله", "محطه",
                         "راديو", "مراسل", "مراسله", "وسائل"})

# heads of speaker phrases, by kind
TITLE_WORDS = frozenset({
    "وزير", "وزيره", "رئيس", "رئيسه", "نائب", "نائبه", "مساعد", "مساعده", "مستشار", "مستشاره",
    "متحدث", "متحدثه", "ناطق", "ناطقه", "سفير", "سفيره", "مندوب", "مندوبه", "مبعوث", "مبعوثه",
    "ممثل", "ممثله", "امين", "امينه", "قائد", "زعيم", "زعيمه", "مرشد", "ملك", "ملكه", "امير", "اميره",
    "ولي", "مدير", "مديره", "محافظ", "محافظه", "عضو", "عقيد", "لواء", "عميد", "جنرال", "مشير",
    "مفوض", "مفوضه", "منسق", "منسقه", "عمده", "حاكم", "قاضي", "مدعي", "بابا", "رئيسي", "سكرتير",
    "امين", "وكيل", "مسؤول", "مسئول", "المسؤول", "المسئول", "نقيب", "رائد", "شيخ", "مفتي", "قنصل",
    "زعماء", "وزراء", "قاده", "سفراء", "نواب", "اعضاء", "رؤساء", "متحدثون",
    "بريغادير", "بريجادير", "ادميرال", "اميرال", "ميجور", "كولونيل", "رقيب", "مقدم", "ملازم",
})
# descriptors of persons (a name follows; without a name: an unnamed source)
DESCRIPTOR_WORDS = frozenset({
    "خبير", "خبيره", "محلل", "محلله", "باحث", "باحثه", "استاذ", "استاذه", "بروفيسور", "دكتور", "د",
    "معلق", "كاتب", "كاتبه", "صحفي", "صحفيه", "صحافي", "صحافيه", "اكاديمي", "ناشط", "ناشطه", "محامي",
    "محاميه", "طبيب", "طبيبه", "مراسل", "مراسله", "المحلل", "مؤرخ", "مخرج", "فنان", "فنانه", "لاعب",
    "مدرب", "رجل", "امراه", "سيده", "شاب", "شابه", "فتاه", "طالب", "طالبه", "مواطن", "مواطنه", "ضابط", "جندي",
    "قيادي", "عالم", "علماء", "الممثل", "الممثله", "نجم", "نجمه", "المغني", "المغنيه", "مغني", "مغنيه",
})
INSTITUTION_WORDS = frozenset({
    "وزاره", "الخارجيه", "الدفاع", "الداخليه", "حكومه", "جيش", "شرطه", "سلطات", "رئاسه",
    "برلمان", "مجلس", "كونغرس", "كونجرس", "بيت", "بنتاغون", "بنتاجون", "وكاله", "صحيفه", "قناه", "موقع",
    "شبكه", "تلفزيون", "اذاعه", "مرصد", "منظمه", "هيئه", "لجنه", "حزب", "حركه", "تحالف", "قوات",
    "جماعه", "مكتب", "سفاره", "بعثه", "مفوضيه", "شركه", "بنك", "صندوق", "اتحاد", "اداره", "دائره",
    "محكمه", "ادعاء", "نيابه", "مستشفي", "جامعه", "معهد", "مركز", "رابطه", "نقابه", "جمعيه",
    "استخبارات", "مخابرات", "بحريه", "خارجيه", "داخليه", "وزارات", "حكومات", "مجموعه", "مؤسسه",
    "اجهزه", "جهاز", "قياده", "بلديه", "امانه", "سكرتاريه", "اركان", "كتائب", "فصائل", "فصيل", "ائتلاف",
    "جبهه", "تنظيم", "ميليشيا", "ميليشيات", "مليشيا", "مليشيات", "دوله", "بلاده", "صحف", "مجله",
    "وسائل", "مصلحه", "الامم", "البيت", "الكرملين", "الاليزيه", "داونينغ", "نادي", "منتخب", "دول",
    "احزاب", "منظمات", "نقابات", "محاكم", "وكالات", "شركات", "بلدان", "خزانه",
})
DOCUMENT_WORDS = frozenset({"بيان", "رساله", "وثيقه", "مذكره", "بلاغ", "اعلان", "نص", "تقرير", "دراسه",
                            "استطلاع", "تغريده", "منشور", "خطاب", "مقال", "افتتاحيه"})
UNNAMED_WORDS = frozenset({
    "مصدر", "مصادر", "مسؤولون", "مسؤولين", "مسئولون", "مسئولين", "شهود", "شاهد", "ناشطون", "ناشطين",
    "سكان", "مراقبون", "محللون", "خبراء", "دبلوماسي", "دبلوماسيون", "دبلوماسيين", "تقارير", "انباء",
    "معلومات", "مسعفون", "اطباء", "عناصر", "مقاتلون", "معارضون", "مواطنون", "مقربون", "مقرب",
    "مطلعون", "مراسلون", "صحفيون", "موظفون", "جنود", "ضباط", "عسكريون", "اوساط", "دوائر", "جهات",
    "باحثون", "علماء", "محققون", "منظمون", "متظاهرون", "لاجئون", "نشطاء", "معارض", "مسؤول", "مسئول",
    "قياديون", "اعلام", "تسريبات", "روايات", "استطلاعات", "دراسات", "بيانات", "اخرون", "اخرين", "بعض",
    "البعض", "كثيرون", "مشاركون", "احد", "احدي", "بعضها", "بعضهم", "مسؤولي", "ممثلو", "ممثلون", "مسؤولو", "مسئولو",
})
# plural heads: a plural continuation verb (وأضافوا) looks for these
PLURAL_HEADS = frozenset({w for w in UNNAMED_WORDS if w not in ("مصدر", "مسؤول", "مسئول", "دبلوماسي", "شاهد",
                                                                  "معارض", "مقرب", "اعلام")})
# function words and other non-names: never the first word of a name
NON_NAMES = frozenset({
    "في", "من", "الي", "علي", "عن", "مع", "و", "ف", "ب", "ل", "ك", "ان", "انه", "ما", "لا", "لم", "لن",
    "قد", "كان", "كانت", "يكون", "تكون", "هناك", "هنا", "كل", "بعض", "اي", "احد", "ايضا", "جدا", "فقط",
    "حاليا", "مجددا", "سابقا", "لاحقا", "عدم", "امكانيه", "ضروره", "استعداد", "رفض", "دعم", "تاييد",
    "وجود", "عزم", "نيه", "انه", "ذلك", "هذا", "هذه", "هو", "هي", "لنظيره", "لنظيرته", "نظيره",
    "نظيرته", "بلاده", "بلادها", "اليوم", "امس", "غدا", "مساء", "صباح", "لما", "كما", "مما", "عما",
    "بما", "فيما", "اذا", "حين", "عند", "بين", "دون", "ضمن", "وسط", "حسب", "نحو", "قرب", "اكثر", "اقل",
    "جميع", "كافه", "سوي", "عبر", "اول", "اخر", "عام", "عاما", "شهر", "اسبوع", "مره", "مرات", "خلال",
    "نفسه", "نفسها", "ذاته", "ذاتها", "وحده", "بدوره", "مطلع", "منتصف", "اواخر", "اوائل", "اواسط", "فضلا", "علاوه", "اضافه", "بالاضافه", "تقريبا",
    "ضروره", "اهميه", "ان", "انه", "انها", "انهم", "تم", "يتم", "ليس", "ليست", "مازال", "لايزال",
    "حتي", "الا", "اما", "بل", "لكن", "لكنه", "لكنها", "ثم", "او", "ام", "هل", "كيف", "لماذا", "متي",
    "اين", "عن", "عليه", "عليها", "منه", "منها", "فيه", "فيها", "اليه", "اليها", "معه", "معها", "به", "بها",
})
# title heads that take a genitive complement with the article (رئيس المختبر، مدير المستشفى)
GENITIVE_HEADS = frozenset({"رئيس", "رئيسه", "مدير", "مديره", "قائد", "امين", "نائب", "مساعد", "مستشار",
                            "متحدث", "ناطق", "ممثل", "مندوب", "سفير", "مبعوث", "وزير", "وزيره", "زعيم",
                            "عضو", "محافظ", "حاكم", "منسق", "مفوض", "عميد", "وكيل", "مسؤول", "مسؤوله",
                            "اعضاء", "رؤساء", "وزراء", "قاده", "سفراء", "مسؤولو"})

# writer's asides, not statements: يذكر أن، ويذكر أن
ASIDES = frozenset({"يذكر", "تذكر"})


@lru_cache(maxsize=8)
def verb_forms(tier: str = "core", attributions: bool = False) -> dict[str, VerbForm]:
    """Every matched token of the lexicon -> :class:`VerbForm` (proclitics و / ف included).

    ``tier``: ``"core"`` or ``"extended"`` (core plus دعا، طالب، اتهم ...);
    ``attributions``: also بحسب / حسب / وفقا / طبقا / نقلا (as in "بحسب المرصد").
    """
    if tier not in TIERS:
        raise ValueError(f"verbs must be one of {', '.join(TIERS)}, not {tier!r}")
    tiers = TIERS[: TIERS.index(tier) + 1]
    out: dict[str, VerbForm] = {}

    def put(form: str, lemma: str, gender: str, tense: str, cls: str) -> None:
        for clitic in ("", "و", "ف"):
            if tense == "participle" and clitic:
                continue
            key = clitic + form
            old = out.get(key)
            # a form shared by two lemmas or tenses: keep the first (past before present)
            if old is None:
                out[key] = VerbForm(key, lemma, len(clitic), gender, tense, cls)

    for lemma, (cls, t, past, present, part) in LEMMAS.items():
        if t not in tiers:
            continue
        for form, g in past:
            put(form, lemma, g, "past", cls)
        for form, g in present:
            put(form, lemma, g, "present", "clitic" if cls == "clitic" else "weak")
        for form, g in part:
            put(form, lemma, g, "participle", "weak")
    if attributions:
        for w in ATTRIBUTIONS:
            for clitic in ("", "و", "ف"):
                out.setdefault(clitic + w, VerbForm(clitic + w, w, len(clitic), MS, "attribution", "weak"))
    return out


SPEAKER_LISTS = {
    "title": TITLE_WORDS, "descriptor": DESCRIPTOR_WORDS, "institution": INSTITUTION_WORDS,
    "document": DOCUMENT_WORDS, "unnamed": UNNAMED_WORDS,
}

# words a title or institution phrase continues with (genitives and adjectives of offices)
GENITIVES = frozenset({
    "العام", "العامه", "الخاص", "الخاصه", "الدائم", "الدائمه", "الاعلي", "الرسمي", "الرسميه", "الوطني",
    "الوطنيه", "الاتحادي", "الاتحاديه", "العسكري", "العسكريه", "الامني", "الامنيه", "الثوري", "الشعبي",
    "الحكومي", "الحكوميه", "الاول", "الاولي", "المشترك", "المشتركه", "الفيدرالي", "الفدرالي", "المركزي",
    "المستقل", "المستقله", "الخارجيه", "الدفاع", "الداخليه", "الوزراء", "الحكومه", "الامن", "القومي",
    "الاركان", "العدل", "المال", "الماليه", "الاقتصاد", "الطاقه", "النفط", "الاعلام", "الصحه", "التجاره",
    "الزراعه", "التعليم", "الثقافه", "السياحه", "النقل", "الاتصالات", "العمل", "الشؤون", "شؤون", "لشؤون",
    "للشؤون", "البيئه", "الاستخبارات", "المخابرات", "الشرطه", "البرلمان", "النواب", "الشيوخ", "الشوري",
    "الجمهوريه", "الرئاسه", "الدوله", "الامه", "الانباء", "انباء", "الاعلامي", "الاعلاميه", "الصحفي",
    "السياسي", "السياسيه", "التنفيذي", "التنفيذيه", "باسم", "الاسلامي", "الاسلاميه", "الثوره", "الجيش",
    "القوات", "المسلحه", "الجويه", "البحريه", "البريه", "الاداره", "الابيض", "الحرس", "التحرير",
    "المعارضه", "الائتلاف", "المرصد", "لحقوق", "الانسان", "حقوق", "العلاقات", "الدوليه", "الدولي",
    "العربيه", "العربي", "الاوروبيه", "الاوروبي", "الاممي", "الامميه", "المتحده", "الامم", "المتحد",
    "للامن", "للدفاع", "للحكومه", "للجيش", "للعلاقات", "الخارجي", "للخارجيه", "المكلف", "المكلفه",
    "بالوكاله", "بالانابه", "الفني", "الاستشاري", "الاقليمي", "الاقليميه", "المحلي", "المحليه", "الصحي",
    "الرئيسي", "الاعلي", "العليا", "الاعلى", "للثوره", "الاسلاميه", "للامم", "المتحده", "الكرملين",
    "الروسي", "التنفيذي", "السابق", "السابقه", "الاسبق", "الجديد", "الجديده", "المؤقت", "المؤقته",
    "الانتقالي", "الانتقاليه", "المنتخب", "المنتهيه", "ولايته", "العهد", "الخارجيه", "الاميركيه",
})
# adjectives of unnamed sources (مصدر مطلع، مسؤول رفيع المستوى، مصادر أمنية متطابقة)
UNNAMED_MODS = frozenset({
    "مطلع", "مطلعه", "مطلعون", "مطلعين", "رفيع", "رفيعه", "المستوي", "كبير", "كبار", "بارز", "بارزه",
    "مقرب", "مقربه", "مقربون", "عسكري", "عسكريه", "عسكريون", "امني", "امنيه", "امنيون", "حكومي",
    "حكوميه", "رسمي", "رسميه", "رسميون", "دبلوماسي", "دبلوماسيه", "دبلوماسيون", "محلي", "محليه",
    "محليون", "ميداني", "ميدانيه", "طبي", "طبيه", "خاص", "خاصه", "موثوق", "موثوقه", "متطابقه",
    "سياسي", "سياسيه", "اعلاميه", "صحفيه", "مختلفه", "عديده", "اخري", "اخر", "غربي", "غربيه",
    "غربيون", "عربي", "عربيه", "اوروبي", "اوروبيه", "دولي", "دوليه", "استخباراتي", "استخباراتيه",
    "قضائي", "قضائيه", "برلماني", "برلمانيه", "حقوقي", "حقوقيه", "اعلامي", "اهلي", "اهليه", "متعدده",
    "معارض", "معارضه", "مسؤوله", "داخل", "قريب", "قريبه", "امميه", "اممي", "مطلعه", "رفيعو",
})

# news agencies, papers and channels quoted as speakers -> the country of the agency or its
# owner (London-based pan-Arab papers: the owner's). Matched on the speaker's words (normalized);
# names that are also ordinary words (الشرق الأوسط, الحياة) only after a media word (صحيفة ...).
MEDIA_COUNTRIES = {
    "رويترز": "GBR", "فرانس برس": "FRA", "اف ب": "FRA", "اسوشيتد برس": "USA", "اسوشييتد برس": "USA",
    "الاسوشيتد برس": "USA", "الاسوشييتد برس": "USA", "بلومبرغ": "USA", "بلومبيرغ": "USA",
    "سي ان ان": "USA", "بي بي سي": "GBR", "سكاي نيوز عربيه": "ARE", "سكاي نيوز": "GBR",
    "العربيه": "SAU", "العربيه نت": "SAU", "الجزيره": "QAT", "سبوتنيك": "RUS", "تاس": "RUS",
    "انترفاكس": "RUS", "نوفوستي": "RUS", "ريا نوفوستي": "RUS", "روسيا اليوم": "RUS", "ار تي": "RUS",
    "سانا": "SYR", "ارنا": "IRN", "فارس": "IRN", "تسنيم": "IRN", "مهر": "IRN", "ايسنا": "IRN",
    "الاناضول": "TUR", "الاناضول للانباء": "TUR", "وام": "ARE", "واس": "SAU", "قنا": "QAT", "كونا": "KWT",
    "بترا": "JOR", "سبا": "YEM", "نيويورك تايمز": "USA", "واشنطن بوست": "USA", "وول ستريت جورنال": "USA",
    "الغارديان": "GBR", "الجارديان": "GBR", "التايمز": "GBR", "الاندبندنت": "GBR", "فايننشال تايمز": "GBR",
    "الديلي تلغراف": "GBR", "التلغراف": "GBR", "لوموند": "FRA", "لوفيغارو": "FRA", "دير شبيغل": "DEU",
    "شبيغل": "DEU", "هارتس": "ISR", "يديعوت احرونوت": "ISR", "معاريف": "ISR", "جيروزاليم بوست": "ISR",
    "تايمز اوف اسرائيل": "ISR", "يونهاب": "KOR", "كيودو": "JPN", "شينخوا": "CHN", "تشوسون": "KOR",
    "الاهرام": "EGY", "اليوم السابع": "EGY", "فوكس نيوز": "USA", "ان بي سي": "USA", "سي بي اس": "USA",
    "اكسيوس": "USA", "بوليتيكو": "USA", "دويتشه فيله": "DEU", "العربي الجديد": "QAT", "فرانس 24": "FRA",
    "الشرق الاوسط": "SAU", "الحياه": "SAU", "عكاظ": "SAU", "الرياض": "SAU", "الخليج": "ARE", "البيان": "ARE",
    "الوطن": "", "حريت": "TUR", "صباح": "TUR", "يني شفق": "TUR", "كوميرسانت": "RUS", "ازفستيا": "RUS",
    "الوكاله الوطنيه للاعلام": "LBN", "الميادين": "LBN", "المنار": "LBN", "النهار": "LBN",
}
# names that need a media word before them (they are ordinary words too)
MEDIA_NEED_HEAD = frozenset({"الشرق الاوسط", "الحياه", "الرياض", "الخليج", "البيان", "الوطن", "صباح",
                             "العربيه", "مهر", "فارس", "سبا", "التايمز", "النهار", "المنار"})
