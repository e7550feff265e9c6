"""Parse the publication dates news corpora carry into timezone-aware UTC.

Accepted forms (numeric dates are read day first, as Arabic outlets write them):

- English ordinal dates: ``19th, December 2024 GMT``;
- ISO 8601 with or without an offset: ``2024-12-19T10:00:00+03:00``, ``2024-12-19``;
- RFC 822 / e-mail dates: ``Sun, 18 Feb 2018 21:35:43 +0400``;
- ``YYYY-MM-DD hh:mm:ss``; day-first numerics ``19/12/2024``, ``19-12-2024 10:30``;
- Arabic month names of the three series in use: Egyptian/Gulf (``ديسمبر``),
  Levantine (``كانون الأول``) and Maghrebi (``جانفي``، ``أوت``، ``دجنبر``), also
  doubled as the Levantine press writes them (``أيار/مايو``, ``كانون الأول (ديسمبر)``);
- Arabic-Indic and Persian digits (``١٩``، ``۱۹``), weekday prefixes (``الخميس،``),
  ``ص``/``م`` (am/pm) after a time and ``م`` (CE) after a year;
- Unix epochs, numbers or digit strings, in seconds, milliseconds,
  microseconds or nanoseconds told apart by magnitude (below 10^11 seconds,
  10^14 milliseconds, 10^17 microseconds, else nanoseconds); 8, 12 or 14
  digits that form a valid ``YYYYMMDD[HHMM[SS]]`` are that date;
- timezone abbreviations after a time, read to their offsets
  (:data:`TZ_ABBREVIATIONS`); ``GMT+3`` and ``UTC+03:00`` too.

A value without an offset is taken to be in ``tz`` (default UTC). Values that
cannot be read become ``NaT``, and :func:`parse_dates_checked` says why, one
row per value: ``bad date`` (unreadable), ``date out of range`` (a year
outside 1800-2200, such as the 0001-01-01 and 9999-12-31 sentinels of
database exports), ``timezone`` (an impossible offset such as ``+25:00``:
NaT; an unknown or ambiguous abbreviation: the time is read in ``tz`` and
flagged).

Timezone abbreviations are ambiguous across the world; the table keeps the
reading a corpus of Arabic news most likely means and says so: ``AST`` is
Arabia Standard Time (+03:00, Saudi Arabia, Iraq, Kuwait, Qatar, Bahrain,
Yemen), not Atlantic Standard Time (-04:00); ``GST`` is Gulf Standard Time
(+04:00); ``CST``/``CDT`` are US Central time; ``BST`` is British Summer Time.
``IST`` (India, Israel, Ireland) and ``ADT`` (Arabia or Atlantic daylight)
are too ambiguous to guess: flagged, read in ``tz``.

The common machine formats are parsed with pandas' vectorized parser on the
distinct values; only values no vectorized format reads go through the
per-value parser (Arabic months, ordinals, free forms via ``dateutil``).
"""
from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd
from pandas.errors import OutOfBoundsDatetime

__all__ = ["parse_dates", "parse_dates_checked", "parse_date", "resolve_tz", "ARABIC_MONTHS",
           "TZ_ABBREVIATIONS", "DATE_RANGE"]

UTC_DTYPE = "datetime64[ns, UTC]"

#: years a publication date may have; others are sentinels or errors (NaT, reported)
DATE_RANGE = (1800, 2200)

#: timezone abbreviation -> UTC offset in minutes (see the module docstring for the choices)
TZ_ABBREVIATIONS: dict[str, int] = {
    "UTC": 0, "GMT": 0, "UT": 0, "Z": 0, "WET": 0, "WEST": 60, "BST": 60,
    "CET": 60, "CEST": 120, "MET": 60, "MEST": 120, "WAT": 60,
    "EET": 120, "EEST": 180, "CAT": 120, "SAST": 120, "IDT": 180,
    "MSK": 180, "MSD": 240, "TRT": 180, "AST": 180, "EAT": 180,
    "GST": 240, "IRST": 210, "IRDT": 270, "AFT": 270, "PKT": 300,
    "HKT": 480, "SGT": 480, "JST": 540, "KST": 540, "AEST": 600, "AEDT": 660,
    "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360,
    "PST": -480, "PDT": -420, "AKST": -540, "AKDT": -480, "HST": -600,
}
_AMBIGUOUS_TZ = {"IST": "India +05:30, Israel +02:00 or Ireland +01:00",
                 "ADT": "Arabia +04:00 or Atlantic -03:00"}
_MAX_OFFSET = 14 * 60

# Arabic-Indic (U+0660..) and extended/Persian (U+06F0..) digits -> ASCII;
# Arabic comma/semicolon -> ASCII; bidi marks removed.
_CLEAN_TABLE = {
    **{0x0660 + i: str(i) for i in range(10)},
    **{0x06F0 + i: str(i) for i in range(10)},
    0x060C: ",",  # arabic comma
    0x061B: ";",
    0x066B: ".",  # arabic decimal separator
    0x066C: ",",
    0x00A0: " ",
    0x202F: " ",
    **{c: None for c in (0x200E, 0x200F, 0x061C, 0x200B, 0x200C, 0x200D, 0xFEFF,
                         0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
                         0x2066, 0x2067, 0x2068, 0x2069)},
}

# Month names in normalized form (analysis.text.normalize: alef forms -> ا,
# teh marbuta -> ه, alef maksura -> ي, no diacritics). Two-word names first.
ARABIC_MONTHS: dict[str, int] = {
    # Levantine / Iraqi (Syriac) series
    "كانون الثاني": 1, "شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5, "حزيران": 6,
    "تموز": 7, "اب": 8, "ايلول": 9, "تشرين الاول": 10, "تشرين الثاني": 11,
    "كانون الاول": 12,
    # Egyptian / Gulf series (and common spellings)
    "يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "مايو": 5, "مايه": 5,
    "يونيو": 6, "يونيه": 6, "يوليو": 7, "يوليه": 7, "اغسطس": 8, "سبتمبر": 9,
    "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
    # Maghrebi: Algeria/Tunisia (French-derived) and Morocco
    "جانفي": 1, "فيفري": 2, "افريل": 4, "ماي": 5, "جوان": 6, "جويليه": 7,
    "اوت": 8, "يوليوز": 7, "غشت": 8, "شتنبر": 9, "نونبر": 11, "دجنبر": 12,
}
_MONTH_ABBR = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
               "Oct", "Nov", "Dec")
_WEEKDAYS = ("الاحد", "الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "السبت",
             "احد", "اثنين", "ثلاثاء", "اربعاء", "خميس", "جمعه", "سبت")

# vectorized formats tried in order on the distinct cleaned values
_NAIVE_FORMATS = (
    "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y",
    "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M", "%d-%m-%Y",
    "%d.%m.%Y",
)
_ISO_RE = r"^\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?"
_ISO_AWARE_RE = _ISO_RE + r"\s*(?:Z|[+-]\d{2}(?::?\d{2})?)$"
_ISO_NAIVE_RE = _ISO_RE + r"$"
_ISO_AWARE_C = re.compile(_ISO_AWARE_RE)
_ISO_NAIVE_C = re.compile(_ISO_NAIVE_RE)


def resolve_tz(tz) -> _dt.tzinfo | str:
    """Check a timezone given as an IANA name (``Asia/Riyadh``), ``UTC`` or a
    fixed offset (``+03:00``); return what pandas accepts.

    Raises ``ValueError`` naming the bad value.
    """
    if tz is None:
        return "UTC"
    if isinstance(tz, _dt.tzinfo):
        return tz
    text = str(tz).strip()
    m = re.fullmatch(r"(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?", text)
    if m:
        sign = -1 if m.group(1) == "-" else 1
        delta = _dt.timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))
        return _dt.timezone(sign * delta)
    try:
        pd.Timestamp("2000-01-01").tz_localize(text)
    except Exception as exc:
        raise ValueError(
            f"unknown timezone {tz!r}: give an IANA name such as 'Asia/Riyadh', "
            f"'UTC', or an offset such as '+03:00'"
        ) from exc
    return text


def _clean(value: str) -> str:
    if not value.isascii():
        value = value.translate(_CLEAN_TABLE)
    return " ".join(value.split())


@lru_cache(maxsize=1)
def _month_re() -> re.Pattern:
    names = sorted(ARABIC_MONTHS, key=len, reverse=True)
    alt = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)
    # a month name, optionally preceded by the proclitic ب/ل/و, as a whole word
    return re.compile(rf"(?<![^\s\d,./()\-])(?:[بلو])?({alt})(?![^\s\d,./()\-])")


def _normalize_ar(text: str) -> str:
    from analysis.text.normalize import normalize

    return normalize(text)


def _arabic_to_english(text: str) -> str:
    """Rewrite Arabic month/weekday/am-pm words so dateutil can read the value."""
    text = _normalize_ar(text)
    month_re = _month_re()

    def month_sub(m: re.Match) -> str:
        key = " ".join(m.group(1).split())
        return f" {_MONTH_ABBR[ARABIC_MONTHS[key]]} "

    text = month_re.sub(month_sub, text)
    # doubled month names: "May / May", "Dec (Dec)"
    text = re.sub(r"\b([A-Z][a-z]{2})\s*(?:/|\(|-)\s*\1\s*\)?", r"\1", text)
    text = re.sub(r"(\d{1,2}:\d{2}(?::\d{2})?)\s*(?:ص|صباحا)(?![^\s,.])", r"\1 AM", text)
    text = re.sub(r"(\d{1,2}:\d{2}(?::\d{2})?)\s*(?:م|مساء|مساءا|ظهرا|عصرا)(?![^\s,.])",
                  r"\1 PM", text)
    text = re.sub(r"(\d{4})\s*م(?![^\s,.])", r"\1", text)  # CE marker
    text = re.sub(r"(?:بتوقيت\s+)?(?:غرينتش|جرينتش|غرينيتش)", " GMT ", text)
    for day in _WEEKDAYS:
        text = re.sub(rf"(?<![^\s,(]){day}(?![^\s,)])", " ", text)
    # any other Arabic word left (الساعة، في، بتاريخ ...) is noise
    text = re.sub(r"[\u0600-\u06ff]+", " ", text)
    return " ".join(text.split())


def parse_date(value, tz="UTC") -> pd.Timestamp:
    """Parse one date value (string or epoch number) to a UTC ``Timestamp``.

    Returns ``NaT`` when the value cannot be read. See the module docstring
    for the accepted forms.
    """
    result = parse_dates([value], tz=tz)
    return result.iloc[0]


_UNIT_BOUNDS = ((1e11, "s"), (1e14, "ms"), (1e17, "us"))


def _in_range(ts) -> bool:
    return DATE_RANGE[0] <= ts.year <= DATE_RANGE[1]


def _out_of_range(ts) -> tuple:
    return pd.NaT, ("date out of range", f"year {ts.year} is outside {DATE_RANGE[0]}-{DATE_RANGE[1]}")


def _compact(digits: str, tz):
    """``YYYYMMDD[HHMM[SS]]`` -> Timestamp (UTC), or None when not a valid one."""
    if len(digits) not in (8, 12, 14):
        return None
    y, mo, d = int(digits[:4]), int(digits[4:6]), int(digits[6:8])
    hh = int(digits[8:10]) if len(digits) > 8 else 0
    mi = int(digits[10:12]) if len(digits) > 8 else 0
    ss = int(digits[12:14]) if len(digits) > 12 else 0
    if not (DATE_RANGE[0] <= y <= DATE_RANGE[1] and hh < 24 and mi < 60 and ss < 60):
        return None
    try:
        ts = pd.Timestamp(year=y, month=mo, day=d, hour=hh, minute=mi, second=ss)
    except ValueError:
        return None
    try:
        return ts.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward").tz_convert("UTC")
    except (ValueError, OverflowError):
        return None


def _epoch(value, tz="UTC") -> tuple:
    """(Timestamp, note) of an epoch number or digit string, its unit told
    by magnitude (see the module docstring)."""
    if isinstance(value, str):
        digits = value.lstrip("+-")
        if digits.isdigit():
            ts = _compact(digits, tz)
            if ts is not None and value[:1] not in "+-":
                return ts, None
            number = int(value)
        else:
            number = float(value)
    elif isinstance(value, (int, np.integer)):
        number = int(value)
        ts = _compact(str(number), tz) if number > 0 else None
        if ts is not None:
            return ts, None
    else:
        number = float(value)
        if number.is_integer() and abs(number) < 2**63:
            number = int(number)
    size = abs(number)
    unit = next((u for bound, u in _UNIT_BOUNDS if size < bound), "ns")
    try:
        ts = pd.Timestamp(number, unit=unit, tz="UTC")
    except (ValueError, OverflowError, OutOfBoundsDatetime):
        return pd.NaT, ("date out of range", f"the epoch {value!r} ({unit}) is outside "
                        f"{DATE_RANGE[0]}-{DATE_RANGE[1]}")
    if not _in_range(ts):
        return _out_of_range(ts)
    return ts, None


def _parse_free(text: str, tz) -> tuple:
    """(Timestamp, note): per-value fallback for the forms no vectorized format reads."""
    from dateutil import parser as du

    if _EPOCH_RE.fullmatch(text):
        return _epoch(text, tz)
    s = text
    if re.search(r"[\u0600-\u06ff]", s):
        s = _arabic_to_english(s)
    s = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", s, flags=re.IGNORECASE)
    # a date needs a year: four digits, or a day-first numeric date
    if not re.search(r"\d{4}|\b\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2}\b", s):
        return pd.NaT, None
    zone = re.search(r"\s*\b(?:GMT|UTC|UT|Z)$", s)
    if zone:  # dateutil rejects a zone name after a date with no time
        s, tz = s[: zone.start()], "UTC"
    try:  # tzinfos: names dateutil does not know give a naive time (read in tz), without a warning
        value = du.parse(s, dayfirst=True, default=_dt.datetime(2000, 1, 1), fuzzy=False, tzinfos=_dateutil_zone)
    except (ValueError, OverflowError, TypeError):
        return pd.NaT, None
    ts = pd.Timestamp(value)
    if not _in_range(ts):
        return _out_of_range(ts)
    if ts.utcoffset() is not None and abs(ts.utcoffset()) > _dt.timedelta(minutes=_MAX_OFFSET):
        return pd.NaT, ("timezone", f"impossible UTC offset {ts.strftime('%z')}")
    try:
        if ts.tzinfo is None:
            ts = ts.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward")
        return ts.tz_convert("UTC"), None
    except (ValueError, OverflowError, OutOfBoundsDatetime):
        return pd.NaT, None


def _dateutil_zone(name, offset):
    """dateutil's ``tzinfos`` hook: an offset it read, else UTC names, else naive."""
    if offset is not None:
        return _dt.timezone(_dt.timedelta(seconds=offset)) if abs(offset) < 86400 else None
    return _dt.timezone.utc if name in ("UTC", "GMT", "UT", "Z") else None


_EPOCH_RE = re.compile(r"[+-]?\d{8,19}(?:\.\d+)?")
_TAIL_RE = re.compile(
    r"(\d:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[AaPp]\.?[Mm]\.?\s*)?)"
    r"(?:(?:GMT|UTC|UT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?|\(?([A-Z]{2,5})\)?)$")


# values whose zone needs a look: a zone name or an offset after a time, but
# not a plain offset in range (checked in bulk with Arrow's RE2)
_ZONE_TAIL = (r"\d:\d{2}(:\d{2}([.,]\d+)?)?\s*([AaPp]\.?[Mm]\.?\s*)?"
              r"((GMT|UTC|UT)?\s*[+-]\d{1,2}(:?\d{2})?|\(?[A-Z]{2,5}\)?)$")
_PLAIN_OFFSET = r"[\d ][+-]((0\d|1[0-3]):?[0-5]\d|14:?00)$|\d ?(GMT|UTC|UT|Z)$"


def _zone_suspects(values: list[str]) -> np.ndarray:
    """Which values :func:`_prepare` must look at (bool array)."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        return np.ones(len(values), dtype=bool)
    arr = pa.array(values, type=pa.string())
    tail = pc.match_substring_regex(arr, _ZONE_TAIL).to_numpy(zero_copy_only=False)
    plain = pc.match_substring_regex(arr, _PLAIN_OFFSET).to_numpy(zero_copy_only=False)
    return tail & ~plain


def _prepare(value: str, tz) -> tuple[str | None, tuple | None]:
    """Check a cleaned value's zone before parsing: (value to parse or None
    to give NaT, note). Abbreviations become offsets."""
    m = _TAIL_RE.search(value) if ":" in value else None
    if m is None:
        return value, None
    head = value[: m.end(1)].rstrip()
    iso = value[:1].isdigit() and value[4:5] == "-"
    sep = "" if iso else " "
    if m.group(2):
        hours, minutes = int(m.group(3)), int(m.group(4) or 0)
        if minutes >= 60 or hours * 60 + minutes > _MAX_OFFSET:
            return None, ("timezone", f"impossible UTC offset {m.group(0)[len(m.group(1)):].strip()}")
        if len(m.group(3)) == 2 and value[m.end(1):].lstrip()[:1] in "+-":
            return value, None  # a plain numeric offset, already readable
        return f"{head}{sep}{m.group(2)}{hours:02d}{minutes:02d}", None
    abbr = m.group(5)
    if abbr in ("AM", "PM"):
        return value, None
    offset = TZ_ABBREVIATIONS.get(abbr)
    if offset is None:
        why = (f"ambiguous timezone abbreviation {abbr!r} ({_AMBIGUOUS_TZ[abbr]})" if abbr in _AMBIGUOUS_TZ
               else f"unknown timezone abbreviation {abbr!r}")
        return head, ("timezone", f"{why}; the time was read in {tz}")
    sign = "-" if offset < 0 else "+"
    return f"{head}{sep}{sign}{abs(offset) // 60:02d}{abs(offset) % 60:02d}", None


_MONTH_NUM = {m.lower(): i for i, m in enumerate(_MONTH_ABBR) if m}
_MONTH_NUM.update({"sept": 9, "june": 6, "july": 7})
_RFC_RE = re.compile(
    r"(?:[A-Za-z]{3,9},?\s+)?(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4}),?"
    r"(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(GMT|UTC|UT|Z|[+-]\d{2}:?\d{2})?$"
)


def _rfc_to_iso(text: str) -> str | None:
    """``Sun, 18 Feb 2018 21:35:43 +0400`` -> ``2018-02-18T21:35:43+0400``."""
    parts = text.split(" ")
    if len(parts) == 6 and parts[0].endswith(","):  # the common e-mail shape, fast
        _, day, mon, year, hms, zone = parts
        month = _MONTH_NUM.get(mon.lower())
        if (month and day.isdigit() and year.isdigit() and len(year) == 4
                and len(hms) == 8 and hms[2] == ":" and hms[5] == ":"):
            if zone[:1] in "+-" and len(zone) == 5 and zone[1:].isdigit():
                return f"{year}-{month:02d}-{int(day):02d}T{hms}{zone}"
            if zone in ("GMT", "UTC", "UT", "Z"):
                return f"{year}-{month:02d}-{int(day):02d}T{hms}+0000"
    m = _RFC_RE.match(text)
    if not m:
        return None
    day, mon, year, hh, mi, ss, zone = m.groups()
    month = _MONTH_NUM.get(mon.lower()[:3] if mon.lower()[:4] != "sept" else "sep")
    if month is None:
        month = _MONTH_NUM.get(mon.lower())
        if month is None:
            return None
    iso = f"{year}-{month:02d}-{int(day):02d}"
    if hh is not None:
        iso += f"T{int(hh):02d}:{mi}:{ss or '00'}"
    elif zone:
        iso += "T00:00:00"
    if zone:
        iso += "+0000" if zone.isalpha() else zone
    return iso


def _vectorized(values: pd.Series, tz, notes: dict) -> pd.Series:
    """Parse cleaned distinct strings with pandas' vectorized parsers.

    RFC 822 style values are first rewritten to ISO 8601 (one regex each),
    then all ISO values go through pandas' fast ISO parser, aware and naive
    ones apart. Returns a datetime64[ns, UTC] Series aligned on ``values``
    (NaT where no vectorized format applies); years out of range go to
    ``notes`` (index -> (kind, detail)).
    """
    out = pd.Series(pd.NaT, index=values.index, dtype=UTC_DTYPE)
    values = _arrow_rfc822(values, out)
    aware_i, aware_v, naive_i, naive_v = [], [], [], []
    aware_re, naive_re = _ISO_AWARE_C.match, _ISO_NAIVE_C.match
    lo, hi = DATE_RANGE
    for i, v in zip(values.index, values.tolist()):
        iso = v if v[:1].isdigit() and v[4:5] == "-" else _rfc_to_iso(v)
        if iso is None:
            continue
        if not lo <= int(iso[:4]) <= hi:
            notes[i] = ("date out of range", f"year {int(iso[:4])} is outside {lo}-{hi}")
            continue
        if aware_re(iso):
            aware_i.append(i)
            aware_v.append(iso)
        elif naive_re(iso):
            naive_i.append(i)
            naive_v.append(iso)
    if aware_v:
        parsed = pd.to_datetime(pd.Series(aware_v, index=aware_i, dtype=object),
                                format="ISO8601", utc=True, errors="coerce")
        out.loc[parsed.index] = parsed.astype(UTC_DTYPE)
    if naive_v:
        parsed = pd.to_datetime(pd.Series(naive_v, index=naive_i, dtype=object),
                                format="ISO8601", errors="coerce")
        _put_local(out, parsed, tz, notes)
    todo = values[out.isna()]
    todo = todo[~todo.index.isin(list(notes))]
    for fmt in _NAIVE_FORMATS:
        if todo.empty:
            break
        parsed = pd.to_datetime(todo, format=fmt, errors="coerce")
        ok = parsed.notna()
        if ok.any():
            _put_local(out, parsed[ok], tz, notes)
            todo = todo[~ok]
    return out


_RFC_FORMATS = ("%a, %d %b %Y %H:%M:%S %z", "%d %b %Y %H:%M:%S %z")


def _arrow_rfc822(values: pd.Series, out: pd.Series) -> pd.Series:
    """Parse RFC 822 dates with an offset or zone name (the form of RSS feeds
    and of the ANT corpus) with Arrow's C++ strptime, into ``out``; return
    the values left for the other parsers."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        return values
    if values.empty:
        return values
    arr = pa.array(values.tolist(), type=pa.string())
    arr = pc.replace_substring_regex(arr, pattern=r" (?:GMT|UTC|UT|Z)$", replacement=" +0000")
    left = np.ones(len(values), dtype=bool)
    # Arrow's strptime rolls impossible days over (31 Feb -> 3 Mar): check them
    parts = pc.extract_regex(arr, pattern=r"(?P<d>\d{1,2}) (?P<m>[A-Za-z]{3}) (?P<y>\d{4})")
    day = pc.cast(pc.struct_field(parts, "d"), pa.int32()).to_numpy(zero_copy_only=False)
    year = pc.cast(pc.struct_field(parts, "y"), pa.int32()).to_numpy(zero_copy_only=False)
    month = pc.index_in(pc.utf8_lower(pc.struct_field(parts, "m")),
                        value_set=pa.array([m.lower() for m in _MONTH_ABBR[1:]]))
    month = month.to_numpy(zero_copy_only=False)
    matched = ~(np.isnan(day.astype(float)) | np.isnan(month.astype(float)))
    day = np.nan_to_num(day.astype(float)).astype(int)
    month = np.nan_to_num(month.astype(float)).astype(int)
    year = np.nan_to_num(year.astype(float)).astype(int)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    days_in = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[month] + (leap & (month == 1))
    left &= matched & (day >= 1) & (day <= days_in) & (year >= DATE_RANGE[0]) & (year <= DATE_RANGE[1])
    rest = ~left
    for fmt in _RFC_FORMATS:
        try:
            parsed = pc.strptime(arr, format=fmt, unit="s", error_is_null=True)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # pragma: no cover
            continue
        ok = parsed.is_valid().to_numpy(zero_copy_only=False) & left
        if ok.any():
            stamps = parsed.to_pandas().to_numpy(dtype="datetime64[ns]")
            idx = values.index[ok]
            out.loc[idx] = pd.DatetimeIndex(stamps[ok]).tz_localize("UTC")
            left &= ~ok
        if not left.any():
            break
    return values[left | rest]


def _put_local(out: pd.Series, naive: pd.Series, tz, notes: dict) -> None:
    naive = naive.dropna()
    if naive.empty:
        return
    years = naive.dt.year
    bad = (years < DATE_RANGE[0]) | (years > DATE_RANGE[1])
    if bad.any():
        for i, y in years[bad].items():
            notes[i] = ("date out of range", f"year {y} is outside {DATE_RANGE[0]}-{DATE_RANGE[1]}")
        naive = naive[~bad]
    local = naive.dt.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward")
    out.loc[local.index] = local.dt.tz_convert("UTC").astype(UTC_DTYPE)


def parse_dates(values: Iterable, tz="UTC") -> pd.Series:
    """Parse many date values to a ``datetime64[ns, UTC]`` Series.

    ``values``: strings, epoch numbers, ``None``/NaN (any iterable; a Series
    keeps its index). Unreadable values give ``NaT``. Each distinct value is
    parsed once: the common formats in bulk with pandas, the rest (Arabic
    month names, ordinals, free text) one by one.
    """
    return parse_dates_checked(values, tz)[0]


def parse_dates_checked(values: Iterable, tz="UTC") -> tuple[pd.Series, pd.DataFrame]:
    """:func:`parse_dates`, and why values gave NaT or were flagged.

    Returns the dates and a DataFrame with one row per flagged value:
    ``position`` (0-based, in ``values``), ``value`` (as given), ``kind``
    (``bad date``, ``date out of range``, ``timezone``) and ``detail``.
    A ``timezone`` row with a date (an unknown abbreviation) keeps the date.
    """
    tzinfo = resolve_tz(tz)
    if isinstance(values, pd.Series):
        series = values.astype(object)
    else:
        series = pd.Series(list(values), dtype=object)
    result = pd.Series(pd.NaT, index=series.index, dtype=UTC_DTYPE)
    empty = pd.DataFrame({"position": pd.Series([], dtype="int64"), "value": pd.Series([], dtype=object),
                          "kind": pd.Series([], dtype=object), "detail": pd.Series([], dtype=object)})
    if series.empty:
        return result, empty
    # map each distinct raw value to a position; parse distinct values only
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    uniq = pd.Series(uniques, dtype=object)
    parsed = pd.Series(pd.NaT, index=uniq.index, dtype=UTC_DTYPE)
    notes: dict[int, tuple[str, str]] = {}
    items = uniques.tolist() if hasattr(uniques, "tolist") else list(uniques)
    num_types = (int, float, np.integer, np.floating)
    is_num = np.array([isinstance(v, num_types) and not isinstance(v, bool) for v in items],
                      dtype=bool)
    for i in np.flatnonzero(is_num):
        ts, note = _epoch(items[i], tzinfo)
        parsed[i] = ts
        if note:
            notes[int(i)] = note
    strings = pd.Series([v if type(v) is str else str(v) for v in uniq[~is_num].tolist()],
                        index=uniq.index[~is_num], dtype=object)
    cleaned: dict[int, str] = {}
    for i, v in zip(strings.index.tolist(), strings.tolist()):
        v = _clean(v)
        if v:
            cleaned[i] = v
    if cleaned:
        keys = list(cleaned)
        for k in np.flatnonzero(_zone_suspects(list(cleaned.values()))).tolist():
            i = keys[k]
            prepared, note = _prepare(cleaned[i], tzinfo)
            if note:
                notes[i] = note
            if prepared:
                cleaned[i] = prepared
            else:
                del cleaned[i]
    if cleaned:
        todo = pd.Series(list(cleaned.values()), index=list(cleaned), dtype=object)
        vec = _vectorized(todo, tzinfo, notes)
        parsed.loc[vec.index] = vec
        rest = todo[vec.isna().to_numpy() & ~todo.index.isin([k for k, n in notes.items()
                                                                if n[0] == "date out of range"])]
        for i, text in rest.items():
            ts, note = _parse_free(text, tzinfo)
            parsed[i] = ts
            if note:
                notes[i] = note
    missing = parsed.isna().to_numpy()
    for i in np.flatnonzero(missing).tolist():
        if i not in notes and not (type(items[i]) is str and not items[i].strip()):
            notes[i] = ("bad date", f"cannot read the date {str(items[i])[:80]!r}")
    naive_utc = parsed.dt.tz_convert(None).to_numpy(dtype="datetime64[ns]")
    out = np.full(len(series), np.datetime64("NaT"), dtype="datetime64[ns]")
    mask = codes >= 0
    out[mask] = naive_utc[codes[mask]]
    result = pd.Series(out, index=series.index).dt.tz_localize("UTC").astype(UTC_DTYPE)
    if not notes:
        return result, empty
    noted = np.array(sorted(notes), dtype=np.int64)
    pos = np.flatnonzero(np.isin(codes, noted))
    flagged = pd.DataFrame({
        "position": pos.astype("int64"),
        "value": pd.Series([series.iloc[p] for p in pos], dtype=object),
        "kind": pd.Series([notes[int(codes[p])][0] for p in pos], dtype=object),
        "detail": pd.Series([notes[int(codes[p])][1] for p in pos], dtype=object),
    })
    return result, flagged
