"""Scraped-page parser: the seed page, marker variants, several related articles."""
from __future__ import annotations

import pytest

from analysis.io.pages import dateline_outlet, parse_page, split_keywords


def test_seed_page(seed_page):
    arts = parse_page(seed_page.read_text(encoding="utf-8"))
    assert len(arts) == 2
    main, rel = arts
    assert main.title == "بوتين: سأتحدث مع الأسد ولم نهزم في سوريا"
    assert main.date == "19th, December 2024 GMT"
    assert main.outlet == "قناة اليمن اليوم"
    assert main.keywords == ["فی", "سوریا", "بوتین", "أن"]
    assert not main.related and main.line == 1
    assert len(main.body) == 12
    assert main.body[0].startswith("قال الرئيس الروسي")
    assert main.body[-1].startswith("وأعرب بوتين")
    assert rel.related
    assert rel.title.startswith("بعد توقيعها.. ماذا تشمل معاهدة")
    assert rel.date is None and rel.keywords == []
    assert rel.outlet == "CNN"  # from its "(CNN)--" dateline
    assert rel.body[0].startswith("(CNN)--")
    assert rel.body[-1].endswith("وانهيار حزب الله\".")
    assert rel.line == 18


PAGE = """عنوان الخبر الرئيسي
تاريخ النشر: 2024-12-01
الفقرة الأولى من الخبر.
الفقرة الثانية من الخبر.
المصدر: صحيفة المشرق
كلمات دلالية: روسيا، سوريا، إيران
{marker}
عنوان الخبر المرتبط
موسكو (رويترز) - نص الخبر المرتبط الأول.
فقرة ثانية في الخبر المرتبط.
"""


@pytest.mark.parametrize("marker", [
    "إقرأ أيضاً:", "اقرأ أيضا:", "إقرأ أيضا:", "اقرأ أيضاً", "أقرأ أيضًا:", "إقرأ ايضاً :",
])
def test_read_also_variants(marker):
    arts = parse_page(PAGE.format(marker=marker))
    assert [a.title for a in arts] == ["عنوان الخبر الرئيسي", "عنوان الخبر المرتبط"]
    main, rel = arts
    assert main.keywords == ["روسيا", "سوريا", "إيران"]
    assert main.outlet == "صحيفة المشرق"
    assert rel.outlet == "رويترز" and rel.date is None and rel.keywords == []
    assert len(rel.body) == 2


def test_title_on_the_marker_line_and_blank_lines_crlf():
    text = ("عنوان\r\n\r\nتاريخ النشر: 2024-12-01\r\n\r\nنص.\r\n\r\n"
            "اقرأ أيضاً: عنوان مرتبط\r\n\r\nنص مرتبط.\r\n")
    main, rel = parse_page(text)
    assert main.body == ["نص."]
    assert rel.title == "عنوان مرتبط" and rel.body == ["نص مرتبط."]
    assert rel.line == 7


def test_several_related_articles_with_their_own_metadata():
    text = """العنوان الرئيسي
تاريخ النشر: 06/01/2025
نص رئيسي.
المصدر: نافذة العالم
إقرأ أيضاً:
المرتبط الأول
تاريخ النشر: 28/12/2024
(وكالة الشرق للأنباء)-- نص المرتبط الأول وهو طويل بما يكفي.
المصدر: وكالة الشرق
كلمات دلالية: كورسك، أوكرانيا
المرتبط الثاني بلا بيانات
هذا نص المرتبط الثاني وهو فقرة طويلة تنتهي بنقطة.
وفقرة أخرى.
المرتبط الثالث
نص ثالث طويل جدا جدا يختلف عن العنوان.
"""
    arts = parse_page(text)
    assert [a.title for a in arts] == ["العنوان الرئيسي", "المرتبط الأول",
                                       "المرتبط الثاني بلا بيانات", "المرتبط الثالث"]
    _, first, second, third = arts
    assert first.date == "28/12/2024" and first.outlet == "وكالة الشرق"
    assert first.keywords == ["كورسك", "أوكرانيا"]
    assert second.date is None and second.outlet is None and second.keywords == []
    assert second.body == ["هذا نص المرتبط الثاني وهو فقرة طويلة تنتهي بنقطة.", "وفقرة أخرى."]
    assert third.body == ["نص ثالث طويل جدا جدا يختلف عن العنوان."]


def test_short_subheading_inside_a_main_article_stays_body():
    text = "عنوان\nتاريخ النشر: 2024-12-01\nفقرة أولى.\nعنوان فرعي\nفقرة ثانية أطول من العنوان الفرعي.\n"
    (main,) = parse_page(text)
    assert main.body == ["فقرة أولى.", "عنوان فرعي", "فقرة ثانية أطول من العنوان الفرعي."]


def test_empty_page():
    assert parse_page("\n  \n") == []


@pytest.mark.parametrize("para,outlet", [
    ("(CNN)-- أشاد الرئيس", "CNN"),
    ("دبي، الإمارات العربية المتحدة (CNN) -- أعلن", "CNN"),
    ("لندن (رويترز) - قال", "رويترز"),
    ("موسكو (أ ف ب) – أعلن", "أ ف ب"),
    ("قال الرئيس (الروسي) إن", None),
    ("نص عادي بلا سطر تأريخ", None),
])
def test_dateline_outlet(para, outlet):
    assert dateline_outlet(para) == outlet


@pytest.mark.parametrize("value,expected", [
    ("روسيا، سوريا ، إيران", ["روسيا", "سوريا", "إيران"]),
    ("فی سوریا بوتین أن", ["فی", "سوریا", "بوتین", "أن"]),
    ("روسيا, سوريا; روسيا", ["روسيا", "سوريا"]),
    ("#روسيا #سوريا", ["روسيا", "سوريا"]),
    ("", []),
])
def test_split_keywords(value, expected):
    assert split_keywords(value) == expected


def test_last_updated_only_when_no_publication_date():
    a = parse_page("عنوان\nآخر تحديث: 2024-12-20\nتاريخ النشر: 2024-12-19\nنص.\n")[0]
    assert a.date == "2024-12-19" and a.body == ["نص."]
    b = parse_page("عنوان\nآخر تحديث: 2024-12-20\nنص.\n")[0]
    assert b.date == "2024-12-20"
