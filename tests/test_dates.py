"""Date parsing: every form of issue 2, timezones, vectorized vs per-value."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.io.dates import ARABIC_MONTHS, parse_date, parse_dates, resolve_tz

CASES = [
    # English ordinal, as on the seed page
    ("19th, December 2024 GMT", "2024-12-19T00:00:00Z"),
    ("22nd, November 2024 GMT", "2024-11-22T00:00:00Z"),
    ("1st, January 2025", "2025-01-01T00:00:00Z"),
    # ISO 8601 with and without offset
    ("2024-12-19T10:00:00+03:00", "2024-12-19T07:00:00Z"),
    ("2024-12-30T10:00:00+03:30", "2024-12-30T06:30:00Z"),
    ("2024-12-19T10:00:00Z", "2024-12-19T10:00:00Z"),
    ("2024-12-19", "2024-12-19T00:00:00Z"),
    ("2024-12-19 10:11:12", "2024-12-19T10:11:12Z"),
    # RFC 822
    ("Sun, 18 Feb 2018 21:35:43 +0400", "2018-02-18T17:35:43Z"),
    ("Wed, 16 May 2018 10:00:00 GMT", "2018-05-16T10:00:00Z"),
    ("Wed, 27 Nov 2024 08:30:00 +0400", "2024-11-27T04:30:00Z"),
    ("Sun, 18 Feb 2018 21:35:43 -0130", "2018-02-18T23:05:43Z"),
    ("Thu, 29 Feb 2024 10:00:00 GMT", "2024-02-29T10:00:00Z"),
    ("4 Feb 2018 21:35:43 UTC", "2018-02-04T21:35:43Z"),
    # day-first numerics
    ("28/11/2024", "2024-11-28T00:00:00Z"),
    ("06/01/2025", "2025-01-06T00:00:00Z"),
    ("19-12-2024 10:30", "2024-12-19T10:30:00Z"),
    ("19.12.2024", "2024-12-19T00:00:00Z"),
    # Arabic months: Egyptian/Gulf, Levantine, Maghrebi
    ("الثلاثاء 12 نوفمبر 2024", "2024-11-12T00:00:00Z"),
    ("13 ديسمبر 2024", "2024-12-13T00:00:00Z"),
    ("19 كانون الأول 2024", "2024-12-19T00:00:00Z"),
    ("٢١ تشرين الثاني ٢٠٢٤", "2024-11-21T00:00:00Z"),
    ("3 شباط 2025", "2025-02-03T00:00:00Z"),
    ("15 أيار/مايو 2024", "2024-05-15T00:00:00Z"),
    ("الثلاثاء 17 كانون الثاني (يناير) 2023 - 10:00 ص", "2023-01-17T10:00:00Z"),
    ("1 جانفي 2025", "2025-01-01T00:00:00Z"),
    ("12 أوت 2024", "2024-08-12T00:00:00Z"),
    ("5 فيفري 2025", "2025-02-05T00:00:00Z"),
    ("2 دجنبر 2024 10:30 م", "2024-12-02T22:30:00Z"),
    ("9 إبريل 2024", "2024-04-09T00:00:00Z"),
    # Arabic-Indic and Persian digits, weekday prefixes, CE marker
    ("الخميس، ١٩ ديسمبر ٢٠٢٤", "2024-12-19T00:00:00Z"),
    ("۱۹/۱۲/۲۰۲۴", "2024-12-19T00:00:00Z"),
    ("الأحد 8 ديسمبر 2024م", "2024-12-08T00:00:00Z"),
    ("Thursday 19 December 2024 10:00 GMT", "2024-12-19T10:00:00Z"),
]


@pytest.mark.parametrize("value,expected", CASES)
def test_each_form(value, expected):
    assert parse_date(value) == pd.Timestamp(expected)


def test_bulk_equals_one_by_one():
    values = [v for v, _ in CASES] * 3
    bulk = parse_dates(values)
    assert str(bulk.dtype) == "datetime64[ns, UTC]"
    assert list(bulk) == [pd.Timestamp(e) for _, e in CASES] * 3


@pytest.mark.parametrize("value", ["rubbish", "", "   ", None, float("nan"), "12 شيء 2024x",
                                   "ديسمبر", "32/13/2024", "2024-13-45",
                                   "Sun, 31 Feb 2018 21:35:43 +0400", "Thu, 29 Feb 2023 10:00:00 GMT"])
def test_unreadable_is_nat(value):
    assert pd.isna(parse_date(value))


def test_naive_taken_in_tz_offset_kept():
    out = parse_dates(["2024-12-19 10:00", "2024-12-19T10:00:00+00:00", "19 ديسمبر 2024",
                       "Sun, 18 Feb 2018 21:35:43 +0400"], tz="Asia/Riyadh")
    assert out[0] == pd.Timestamp("2024-12-19T07:00:00Z")
    assert out[1] == pd.Timestamp("2024-12-19T10:00:00Z")  # has an offset: tz ignored
    assert out[2] == pd.Timestamp("2024-12-18T21:00:00Z")
    assert out[3] == pd.Timestamp("2018-02-18T17:35:43Z")
    fixed = parse_dates(["2024-12-19 10:00"], tz="+03:30")
    assert fixed[0] == pd.Timestamp("2024-12-19T06:30:00Z")


def test_epoch_numbers():
    out = parse_dates([1734566400, 1734566400000, "1734566400"])
    assert (out == pd.Timestamp("2024-12-19T00:00:00Z")).all()


def test_series_index_kept_and_distinct_values_parsed_once():
    s = pd.Series(["2024-12-19", None, "2024-12-19"], index=[10, 20, 30])
    out = parse_dates(s)
    assert list(out.index) == [10, 20, 30]
    assert out[10] == out[30] and pd.isna(out[20])


def test_bad_timezone_message():
    with pytest.raises(ValueError, match="unknown timezone 'Mars/Olympus'"):
        resolve_tz("Mars/Olympus")


def test_month_tables_cover_all_twelve_months_per_series():
    levant = ["كانون الثاني", "شباط", "اذار", "نيسان", "ايار", "حزيران", "تموز", "اب", "ايلول",
              "تشرين الاول", "تشرين الثاني", "كانون الاول"]
    egypt = ["يناير", "فبراير", "مارس", "ابريل", "مايو", "يونيو", "يوليو", "اغسطس", "سبتمبر",
             "اكتوبر", "نوفمبر", "ديسمبر"]
    maghreb = ["جانفي", "فيفري", "مارس", "افريل", "ماي", "جوان", "جويليه", "اوت", "سبتمبر",
               "اكتوبر", "نوفمبر", "ديسمبر"]
    for series in (levant, egypt, maghreb):
        assert [ARABIC_MONTHS[m] for m in series] == list(range(1, 13))
        for month, name in enumerate(series, 1):
            assert parse_date(f"5 {name} 2024").month == month
