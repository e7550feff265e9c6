"""The context rules of issue 11, one class at a time (README, "Ambiguous names and other errors").

Sentences are written for these tests (no corpus text); each asserts what a
wrong rule would break.
"""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.entities.gazetteer import GazetteerError, load_gazetteer
from analysis.entities.mentions import extract_mentions


def run(text, date="2018-05-01", **kw):
    a = pd.DataFrame({"article_id": ["a"], "title": [""], "text": [text],
                      "published": pd.to_datetime([date], utc=True)})
    return extract_mentions(a, progress=False, **kw)


def people(text, **kw):
    df = run(text, **kw)
    return set(df.loc[df["entity_type"] == "person", "entity_id"])


def offices(text, **kw):
    df = run(text, **kw)
    return set(df.loc[df["mention_kind"] == "office", "entity_id"])


def countries(text, **kw):
    df = run(text, **kw)
    return set(df.loc[df["entity_type"] == "country", "entity_id"])


# -- names inside longer names --------------------------------------------------

@pytest.mark.parametrize("text, absent", [
    ("استقبل الأمير خالد بن سلمان بن عبد العزيز الوفد", "king_salman"),   # the father's name in a chain
    ("وصل الشيخ حمدان بن محمد بن راشد إلى لندن", "mohammed_bin_rashid"),
    ("قال الأمير محمد بن عبدالرحمن بن عبدالعزيز نائب أمير منطقة الرياض", "mohammed_bin_abdulrahman"),
])
def test_patronymic_chain_is_someone_else(text, absent):
    assert absent not in people(text)


def test_own_chain_is_the_person():
    assert "mohammed_bin_salman" in people("التقى الأمير محمد بن سلمان بن عبدالعزيز الرئيس")
    assert "tamim" in people("قال الشيخ تميم بن حمد آل ثاني أمير قطر")
    assert "king_salman" in people("وجه الملك سلمان بن عبدالعزيز بصرف المساعدات")
    assert "khalid_bin_salman" in people("استقبل الأمير خالد بن سلمان بن عبد العزيز الوفد")


@pytest.mark.parametrize("text, absent", [
    ("قالت لارا ترامب إن الحملة مستمرة", "trump"),       # another given name before the surname
    ("قال سليمان الأسد في تسجيل من اللاذقية في سوريا", "bashar_assad"),
    ("اتهمت سارة نتنياهو بالاحتيال", "netanyahu"),
])
def test_other_given_name_before_a_surname(text, absent):
    assert absent not in people(text)


def test_own_given_name_is_the_person():
    assert "trump" in people("قال دونالد ترامب إن")
    assert "putin" in people("قال فلاديمير بوتن إن")


def test_a_famous_name_that_goes_on_is_another_person():
    # محمد البشير is Syria's PM of Dec 2024; محمد البشير + another given name is someone else
    assert "mohammed_bashir" in people("قال محمد البشير إن الحكومة", date="2025-01-01")
    assert "mohammed_bashir" not in people("قال محمد البشير أحمد المحامي إن", date="2025-01-01")


# -- named after ------------------------------------------------------------------

@pytest.mark.parametrize("text, absent", [
    ("وزع مركز الملك سلمان للإغاثة سلالا غذائية في اليمن", "king_salman"),
    ("هبطت الطائرة في مطار الملك عبد الله بن عبد العزيز", "king_abdullah"),
    ("أطلقت مؤسسة محمد بن راشد للفضاء قمرا", "mohammed_bin_rashid"),
    ("حضر اجتماعا في برج ترامب في نيويورك", "trump"),
    ("يتنافس الفريقان على كأس خادم الحرمين الشريفين", "king_salman"),
])
def test_named_after_is_no_mention(text, absent):
    assert absent not in people(text, date="2018-05-01")


def test_named_after_office_title_and_honorific_between():
    assert offices("توج الاتحاد بلقب كأس خادم الحرمين الشريفين") == set()
    assert offices("قال خادم الحرمين الشريفين إن المملكة") == {"king_salman"}
    assert "king_hamad" not in people("افتتح جسر الملك حمد بين البحرين والسعودية")


# -- titles inside titles, compound titles, past holders --------------------------

@pytest.mark.parametrize("text, country", [
    ("قال نائب رئيس الوزراء التركي إن الرسوم", "TUR"),   # نائب
    ("قال مستشار المرشد الأعلى الإيراني", "IRN"),       # مستشار
    ("التقى سفير خادم الحرمين الشريفين في واشنطن", None),  # سفير
    ("قال مساعد وزير الخارجية الأمريكي لشؤون الشرق الأدنى", "USA"),  # مساعد
    ("قال وكيل وزير الخارجية الكويتي", "KWT"),           # وكيل
    ("قالت زوجة الرئيس الأمريكي", "USA"),                # a relative
    ("قال المتحدث باسم الرئيس الروسي", "RUS"),
])
def test_dependant_titles_are_another_person(text, country):
    df = run(text)
    assert set(df.loc[df["mention_kind"] == "office", "entity_id"]) == set()
    if country:  # the title's country still counts
        assert country in set(df.loc[df["entity_type"] == "country", "entity_id"])


def test_listed_deputy_titles_resolve_to_the_deputy():
    assert offices("قال نائب الرئيس الأمريكي إن") == {"pence"}
    assert offices("قال نائب الرئيس التركي إن", date="2019-01-01") == {"fuat_oktay"}


def test_deputy_crown_prince_before_crown_prince():
    # ولي ولي العهد (2015-2017) is matched before the ولي العهد it contains
    assert offices("قال ولي ولي العهد السعودي إن", date="2016-03-01") == {"mohammed_bin_salman"}
    assert offices("قال ولي العهد السعودي إن", date="2016-03-01") == {"mohammed_bin_nayef"}
    assert offices("قال ولي ولي العهد إن", date="2015-02-01") == {"mohammed_bin_nayef"}


@pytest.mark.parametrize("text", [
    "قال الرئيس الأمريكي آنذاك إن",
    "كان الرئيس الأمريكي حينها يزور المنطقة",
    "قال الرئيس الأمريكي الأسبق إن",
    "قال الرئيس الأمريكي عام 1990 إن",
    "وقع الرئيس الأمريكي (2003) القرار",
    "قال الرئيس الأمريكي جورج بوش إن",        # another person named after the title
])
def test_past_holder_cues(text):
    assert offices(text) == set()


def test_title_followed_by_its_holder_counts_once():
    df = run("قال الرئيس الروسي فلاديمير بوتين إن")
    assert df.loc[df["entity_type"] == "person", "entity_id"].tolist() == ["putin"]
    assert df.loc[df["entity_id"] == "putin", "mention_kind"].tolist() == ["name"]
    df = run("قال وزير الخارجية الإماراتي الشيخ عبدالله بن زايد إن")  # honorific between
    assert df.loc[df["entity_id"] == "abdullah_bin_zayed", "mention_kind"].tolist() == ["name"]


# -- surnames and nisbas ----------------------------------------------------------

@pytest.mark.parametrize("text, absent", [
    ("قال المتحدث الأمني اللواء منصور التركي إن", "TUR"),
    ("نشر أبو قتادة المغربي تسجيلا", "MAR"),
    ("قال أبو عمر المصري في المسلسل", "EGY"),
    ("وقال عبد الله التركي إن", "TUR"),
    ("وقال سيف السويدي مدير الهيئة", "SWE"),
])
def test_demonym_after_a_given_name_is_a_surname(text, absent):
    assert absent not in countries(text)


@pytest.mark.parametrize("text, present", [
    ("قال الرئيس التركي إن", "TUR"),            # a title, not a given name
    ("قتل جندي تركي", "TUR"),
    ("ابن الملحن البريطاني هنري", "GBR"),        # ابن + common noun
    ("تزوج الأمير هاري بالأمريكية ميغان", "USA"),  # a proclitic: no surname
    ("قصفت الطائرات مدينة تل رفعت السورية", "SYR"),  # a place name before the nisba
    ("على الأرجنتيني أن يفوز", "ARG"),           # على is no given name (علي)
])
def test_demonym_stays_a_country(text, present):
    assert present in countries(text)


# -- ambiguous bare names decided by the article's own context --------------------

def test_bare_assad_needs_syria_in_the_article():
    no_cue = "وقال الأسد إن الحرب ستنتهي"
    assert "bashar_assad" not in people(no_cue)
    assert "bashar_assad" in people(no_cue + ". وقصفت الطائرات ريف إدلب")   # a Syrian place
    assert "bashar_assad" in people("وقال الأسد إن الجيش السوري سينتصر")   # a demonym
    assert "bashar_assad" not in people("قصفت الطائرات قاعدة عين الأسد في العراق وسوريا")  # an air base
    assert "bashar_assad" not in people("فاز الفيلم بجائزة الأسد الذهبي في مهرجان دمشق")  # an award


def test_category_column_is_not_used():
    text = "ظهر الأسد في الغابة مع أشباله"
    a = pd.DataFrame({"article_id": ["x", "y"], "text": [text, text], "category": ["middleEast", None]})
    df = extract_mentions(a, progress=False)
    assert "bashar_assad" not in set(df["entity_id"])


def test_bare_surnames_count_in_context():
    assert "kerry" not in people("وقال كيري إن الاتفاق صامد")              # nothing says who
    assert "kerry" in people("التقى جون كيري نظيره. وقال كيري إن الاتفاق صامد")  # the full name
    assert "kerry" in people("قال الوزير كيري إن", date="2015-01-01")        # a title before
    assert "kerry" in people("قال وزير الخارجية الأمريكي إن الاتفاق صامد. وأضاف كيري", date="2015-01-01")  # the office
    assert "zarif" in people("وقال نظيره الإيراني ظريف إن")                # the country's demonym before
    assert "zarif" not in people("كان رده ظريفا وظريف جدا")
    assert "lavrov" in people("وقال لافروف إن")  # distinctive surnames are plain names


def test_bare_surname_behind_a_proclitic_word():
    # كلامي "my words" is not ك + لامي (David Lammy), even in an article about him
    df = run("قال ديفيد لامي إن كلامي واضح")
    assert df.loc[df["entity_id"] == "lammy", "surface"].tolist() == ["ديفيد لامي"]
    assert run("وأضاف لامي أن. قال ديفيد لامي")["entity_id"].tolist() == ["lammy", "lammy"]


# -- places that are something else -------------------------------------------------

@pytest.mark.parametrize("text, absent", [
    ("فاز ريال مدريد على برشلونة", "madrid"),
    ("قالت صحيفة الرياض السعودية في افتتاحيتها", "riyadh"),
    ("تأهل نادي الرياض إلى النهائي", "riyadh"),
    ("عاد إلى مسقط رأسه في الريف", "muscat"),
    ("أصيب اللاعب بقطع في الرباط الصليبي", "rabat"),
    ("لعب سابقا في صفوف هرتا برلين", "berlin"),
    ("تحدث إلى قناة دبي الرياضية", "dubai"),
])
def test_places_that_are_something_else(text, absent):
    df = run(text)
    assert absent not in set(df["entity_id"])


def test_real_places_stay():
    assert "riyadh" in set(run("وصل الوفد إلى الرياض")["entity_id"])
    assert "madrid" in set(run("عقدت القمة في مدريد")["entity_id"])
    assert "SAU" in countries("قالت صحيفة الرياض السعودية")  # the paper's nisba still counts


# -- derived entities inside office titles ----------------------------------------

def test_organization_inside_an_office_title():
    df = run("قال الأمين العام للأمم المتحدة إن", date="2018-05-01")
    assert ("guterres", "office") in set(zip(df["entity_id"], df["mention_kind"]))
    assert ("un", "derived") in set(zip(df["entity_id"], df["mention_kind"]))


# -- the rule language --------------------------------------------------------------

def test_entity_reject_lists_and_context_lists_in_a_user_file(tmp_path):
    user = tmp_path / "mine.yaml"
    user.write_text(
        "places:\n  zarqa: {en: Zarqa, country: JOR, names: [الزرقاء], reject_after: [اليمامة]}\n"
        "context:\n  given_names: [زرياب]\n", encoding="utf-8")
    g = load_gazetteer(extra=user)
    assert "zarqa" in set(run("وصل إلى الزرقاء", gazetteer=g)["entity_id"])
    assert "zarqa" not in set(run("قصة الزرقاء اليمامة", gazetteer=g)["entity_id"])
    assert "TUR" not in countries("قال زرياب التركي", gazetteer=g)
    assert "TUR" in countries("قال زرياب التركي")


@pytest.mark.parametrize("content, message", [
    ("ambiguous:\n  - {name: الأسد, no_default_in: [sport], default: bashar_assad}\n", "no_default_in"),
    ("context:\n  bogus: [x]\n", "unknown list"),
    ("ambiguous:\n  - {name: الأسد, choices: [{entity: bashar_assad, article_country: [XXX]}]}\n", "not a country id"),
    ("offices:\n  o: {country: RUS, titles: ['@nope'], holders: [{person: putin}]}\n", "unknown title set"),
    ("countries:\n  RUS: {names: [روسيا], bare: [روس]}\n", "for persons only"),
    ("offices:\n  o: {country: RUS, titles: [رئيس], holders: [{person: putin, from: 2020-01-01, to: 2019-01-01}]}\n",
     "not after"),
])
def test_rule_language_errors(tmp_path, content, message):
    bad = tmp_path / "bad.yaml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(GazetteerError, match=message):
        load_gazetteer(extra=bad)
