"""The report's parameters: one schema for the command line, the Python API and the notebook.

:data:`PARAMETERS` declares every parameter once (:class:`Param`: name, type, default,
help, choices, range, command-line flag). Everything else derives from it:

- ``analysis report`` options and the corpus options every command shares
  (:func:`analysis.cli.add_param_options`);
- :func:`analysis.report.run_report` keyword arguments, and :data:`DEFAULT_PARAMS`;
- the report notebook's papermill ``parameters`` cell (:func:`parameters_cell` writes it,
  the tests check the shipped notebook against it).

:func:`validate_params` checks values before any work starts and returns them in canonical
form (the strings the notebook receives): types, choices, ranges, strict dates, the
gazetteer and focus ids; given the loaded corpus, also the outlet, category and date filters
and the event date. A problem raises :class:`~analysis.report.errors.ParameterError`
(exit status 2 on the command line), one paragraph naming each bad value.

This module imports no heavy dependency at import time (the CLI builds its options from it).
"""
from __future__ import annotations

import ast
import calendar
import datetime as _dt
import difflib
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from analysis.report.errors import ParameterError

__all__ = [
    "Param", "PARAMETERS", "DEFAULT_PARAMS", "CORPUS_PARAMS", "REPORT_PARAMS", "DEPRECATED", "param",
    "coerce_param", "parse_date_param", "read_event_param", "validate_params", "parameters_cell", "notebook_parameters",
    "notebook_values", "rename_deprecated", "split_items", "filter_key",
]

_FREQ_ALIASES = (("day", "D"), ("daily", "D"), ("week", "W"), ("weekly", "W"), ("month", "M"),
                 ("monthly", "M"), ("quarter", "Q"), ("quarterly", "Q"), ("year", "Y"), ("yearly", "Y"),
                 ("annual", "Y"))
_YEARS = (1678, 2261)  # what pandas' nanosecond timestamps hold


@dataclass(frozen=True)
class Param:
    """One parameter of the report (and of the commands that share it).

    ``type`` is the type the notebook's parameters cell declares (str, int or bool);
    ``kind`` says how a value is read: ``text``, ``list`` (comma-separated), ``ids``
    (gazetteer entity ids), ``files``, ``date``, ``choice``, ``int``, ``bool``, ``tz``,
    ``fields``. ``choices`` are the canonical values, ``aliases`` other accepted spellings
    ``(alias, canonical)``; ``range`` bounds an int (inclusive, ``None``: open).
    ``flag`` is the command-line option (``None``: not an option); a bool's flag turns it
    off (``--no-dedup``). ``deprecated_flags`` still work and warn. ``group``: ``corpus``
    (shared by every command), ``report`` or ``internal`` (set by ``run_report`` itself).
    ``bound`` for dates: ``start`` (a partial date means its first day) or ``end`` (its last).
    ``flag_help``: the help of a bool's switch, which turns it off.
    """

    name: str
    type: type
    default: Any
    help: str
    kind: str = "text"
    choices: tuple[str, ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()
    range: tuple[int | None, int | None] | None = None
    flag: str | None = None
    deprecated_flags: tuple[str, ...] = ()
    group: str = "report"
    metavar: str | None = None
    bound: str = "start"
    flag_help: str = ""

    def label(self, style: str = "api") -> str:
        """How messages name the parameter: ``--k`` on the command line, ``k`` in Python."""
        if style == "cli" and self.flag:
            return self.flag
        return self.name

    def coerce(self, value: Any) -> Any:
        """The canonical value (what the notebook receives); ``ValueError`` says what is wrong."""
        return coerce_param(self, value)


PARAMETERS: tuple[Param, ...] = (
    Param("corpus", str, "", "corpus files, folders or globs, comma-separated; empty: the sample corpus "
          "data/sample", kind="list", group="internal"),
    Param("focus", str, "RUS,SYR,IRN", "focus entity ids, comma-separated (countries: ISO 3166-1 alpha-3; "
          "`analysis entities` lists them)", kind="ids", flag="--focus", metavar="IDS"),
    Param("start", str, "", "keep articles published on/after this date (inclusive): YYYY, YYYY-MM, "
          "YYYY-MM-DD or an ISO date-time; empty: no limit", kind="date", flag="--start", group="corpus",
          metavar="DATE"),
    Param("end", str, "", "keep articles published on/before this date (inclusive; 2024-12 means to the "
          "end of December); empty: no limit", kind="date", flag="--end", group="corpus", metavar="DATE",
          bound="end"),
    Param("outlets", str, "", "keep only these outlets, comma-separated; empty: all", kind="list",
          flag="--outlet", group="corpus", metavar="A,B"),
    Param("categories", str, "", "keep only these categories, comma-separated; empty: all", kind="list",
          flag="--category", group="corpus", metavar="A,B"),
    Param("exclude_categories", str, "", "leave out these categories, comma-separated, e.g. sport",
          kind="list", flag="--exclude-category", group="corpus", metavar="A,B"),
    Param("dedup", bool, True, "drop repeated copies of an article from the same outlet", kind="bool",
          flag="--no-dedup", group="corpus", flag_help="keep repeated copies of an article from the same outlet "
          "(default: drop them)"),
    Param("fields", str, "", "columns to use, as field:column pairs, e.g. text:body,date:published_at (fields: text, title, "
          "date, outlet, url, id, category, keywords); empty: detect", kind="fields", flag="--fields",
          group="corpus", metavar="FIELD=COL,..."),
    Param("tz", str, "UTC", "timezone of dates without an offset: IANA name or +03:00", kind="tz",
          flag="--tz", group="corpus", metavar="TZ"),
    Param("gazetteer", str, "", "your own gazetteer YAML file(s), comma-separated, adding to / overriding "
          "the shipped one", kind="files", flag="--gazetteer", metavar="FILE"),
    Param("level", str, "sentence", "co-mention window: sentence, paragraph or article", kind="choice",
          choices=("sentence", "paragraph", "article"), flag="--level"),
    Param("freq", str, "auto", "period: auto (chosen from the corpus span: days up to 6 weeks, weeks up to 6 "
          "months, months up to 4 years, quarters up to 15 years, else years), D, W, M, Q or Y", kind="choice",
          choices=("auto", "D", "W", "M", "Q", "Y"), aliases=_FREQ_ALIASES, flag="--freq"),
    Param("k", int, 10, "number of topics; 0 skips the topic model", kind="int", range=(0, 1000),
          flag="--k", deprecated_flags=("--topics",), metavar="K"),
    Param("method", str, "nmf", "topic model: nmf or lda", kind="choice", choices=("nmf", "lda"),
          flag="--method"),
    Param("event_date", str, "", "event date(s) to compare the days before and after, comma-separated "
          "YYYY-MM-DD, or a CSV file with columns date,label; empty: none", kind="events", flag="--event-date",
          metavar="DATES|CSV"),
    Param("event_window", int, 14, "days compared on each side of an event (the event day itself apart)",
          kind="int", range=(1, 365), flag="--event-window", metavar="DAYS"),
    Param("keyness_reference", str, "rest", "what the distinctive terms of each focus entity are measured "
          "against: rest (every other article), focus (the articles of the other focus entities that do not "
          "mention it) or the path of another corpus (read like this one, taken whole)", kind="keyness_reference",
          flag="--keyness-reference", metavar="rest|focus|CORPUS"),
    Param("seed", int, 0, "random seed (topic model, network layout)", kind="int", range=(0, 2**32 - 1),
          flag="--seed", metavar="N"),
    Param("resolve", str, "country", "roll persons, places and organizations up to their country "
          "(Putin -> RUS) for the country figures: country or none", kind="choice",
          choices=("country", "none"), flag="--resolve"),
    Param("csv_safe", bool, True, "neutralize CSV cells that spreadsheets would run as formulas "
          "(cells starting with an equals, plus, minus or at sign, a tab or CR get a leading apostrophe)", kind="bool", flag="--no-csv-safe",
          flag_help="write CSV cells as they are (default: cells starting with = + - @ tab or CR, which "
          "spreadsheets run as formulas, get a leading ')"),
    Param("validation", str, "", "your hand-coded sample of mentions (analysis validate sample, code column "
          "filled in): the Methods section shows its precision; empty: the package's gold-set figures",
          kind="files", flag="--validation", metavar="CODES.csv"),
    Param("out_dir", str, "", "the report folder tables/ and figures/ are saved into (analysis report sets it); empty: nothing is saved", group="internal"),
)

_BY_NAME = {p.name: p for p in PARAMETERS}

#: old parameter name -> (new name, how to convert a value)
DEPRECATED: dict[str, str] = {"topics": "k"}

#: every parameter and its default (the notebook's parameters cell)
DEFAULT_PARAMS: dict[str, Any] = {p.name: p.default for p in PARAMETERS}
#: the corpus options shared by every command
CORPUS_PARAMS: tuple[str, ...] = tuple(p.name for p in PARAMETERS if p.group == "corpus")
#: the options of ``analysis report`` beyond the corpus options
REPORT_PARAMS: tuple[str, ...] = tuple(p.name for p in PARAMETERS if p.group == "report")


def param(name: str) -> Param:
    """The :class:`Param` called ``name`` (``KeyError`` naming the known ones)."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown report parameter {name!r}; known: {', '.join(_BY_NAME)}") from None


# --------------------------------------------------------------------------- reading values

def split_items(value: Any) -> list[str]:
    """A list or a comma-separated string as a list of stripped, non-empty items."""
    if value is None:
        return []
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [str(v).strip() for v in value]
    else:
        items = [v.strip() for v in str(value).split(",")]
    return [v for v in items if v]


def parse_date_param(value: Any, *, bound: str = "start") -> str:
    """A date parameter read strictly: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or an ISO date-time.

    Returns it as ISO text ("" when empty): a partial date stands for its first day, or
    with ``bound="end"`` for its last (``2024`` -> ``2024-12-31``). Impossible dates
    (``2024-13-01``, ``2018-05-32``, ``2023-02-29``), offsets beyond ±24 h and years pandas
    cannot hold raise ``ValueError`` instead of being reinterpreted.
    """
    if value is None:
        return ""
    if isinstance(value, _dt.datetime):  # pandas.Timestamp too
        _check_year(value.year)
        return value.isoformat()
    if isinstance(value, _dt.date):
        _check_year(value.year)
        return value.isoformat()
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a date")
    text = value.strip()
    if not text:
        return ""
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text)
    if m:
        year = int(m.group(1))
        _check_year(year)
        month = 12 if bound == "end" and m.group(2) is None else int(m.group(2) or 1)
        if not 1 <= month <= 12:
            raise ValueError(f"{text!r}: there is no month {month} (give YYYY-MM-DD, e.g. {year}-01-31)")
        last = calendar.monthrange(year, month)[1]
        if m.group(3) is None:
            day = last if bound == "end" else 1
        else:
            day = int(m.group(3))
            if not 1 <= day <= last:
                raise ValueError(f"{text!r}: {calendar.month_name[month]} {year} has {last} days, not {day}")
        return _dt.date(year, month, day).isoformat()
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?"
                     r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?", text)
    if m:
        parse_date_param(text[:10])  # the same clear message for a bad day or month
        hour, minute, second = int(m.group(4)), int(m.group(5)), int(m.group(6) or 0)
        if hour > 23 or minute > 59 or second > 59:
            raise ValueError(f"{text!r}: no such time of day ({hour:02d}:{minute:02d}:{second:02d})")
        zone = m.group(7)
        if zone and zone != "Z":
            hh, mm = int(zone[1:3]), int(zone[-2:]) if len(zone) > 3 else 0
            if hh > 23 or mm > 59:
                raise ValueError(f"{text!r}: the offset {zone} is not a timezone offset (at most ±23:59)")
        try:
            parsed = _dt.datetime.fromisoformat(text.replace(",", ".").replace(" ", "T", 1))
        except ValueError as exc:
            raise ValueError(f"{text!r}: {exc}") from None
        return parsed.isoformat()
    raise ValueError(f"{text!r} is not a date: give YYYY, YYYY-MM, YYYY-MM-DD or an ISO date-time "
                     "such as 2024-12-08T14:00+03:00")


def _check_year(year: int) -> None:
    if not _YEARS[0] <= year <= _YEARS[1]:
        raise ValueError(f"the year {year} is outside the dates the package handles ({_YEARS[0]}-{_YEARS[1]})")


def _parse_int(p: Param, value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a whole number")
    if isinstance(value, int):
        n = value
    elif isinstance(value, float) and value.is_integer():
        n = int(value)
    elif isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+\s*", value):
        n = int(value)
    else:
        raise ValueError(f"{value!r} is not a whole number")
    lo, hi = p.range or (None, None)
    if (lo is not None and n < lo) or (hi is not None and n > hi):
        if lo is not None and hi is not None:
            what = f"from {lo} to {hi:,}"
        elif lo is not None:
            what = f"at least {lo}"
        else:
            what = f"at most {hi}"
        extra = " (0 skips the topic model)" if p.name == "k" else ""
        raise ValueError(f"{n} is out of range: give a whole number {what}{extra}")
    return n


def _parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "1", "on", "false", "no", "0", "off"):
        return value.strip().lower() in ("true", "yes", "1", "on")
    raise ValueError(f"{value!r} is not true or false")


def _parse_choice(p: Param, value: Any) -> str:
    text = str(value).strip()
    for c in p.choices:
        if text.lower() == c.lower():
            return c
    for alias, canonical in p.aliases:
        if text.lower() == alias:
            return canonical
    shown = ", ".join(p.choices)
    if p.aliases:
        shown += " (or " + ", ".join(sorted({a for a, _ in p.aliases})) + ")"
    near = difflib.get_close_matches(text.lower(), [c.lower() for c in p.choices] + [a for a, _ in p.aliases],
                                     n=1, cutoff=0.6)
    hint = f"; did you mean {near[0]}?" if near else ""
    raise ValueError(f"{text!r} is not one of {shown}{hint}")


def _parse_events(value: Any) -> str:
    """Event dates as canonical text: ``YYYY-MM-DD`` items joined by commas, or the path of a CSV
    file of ``date,label`` rows (checked: it exists and each date is a real day)."""
    if isinstance(value, (list, tuple)):
        value = ",".join(str(v) for v in value)
    text = str(value).strip()
    if not text:
        return ""
    if text.lower().endswith(".csv"):
        import csv

        path = Path(text).expanduser()
        if not path.is_file():
            raise ValueError(f"no such events file {text}")
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        if not rows or "date" not in rows[0]:
            raise ValueError(f"{path}: the events file needs a header with a 'date' column (and 'label')")
        for i, row in enumerate(rows, start=2):
            try:
                parse_date_param(str(row.get("date") or "").strip()[:10] or "?")
            except ValueError as exc:
                raise ValueError(f"{path} line {i}: {exc}") from None
        return str(path.resolve())
    out = []
    for item in split_items(text):
        day = parse_date_param(item)
        out.append(day)
    return ",".join(dict.fromkeys(out))


def _parse_keyness_reference(value: Any) -> str:
    """``rest`` or ``focus`` (any case), or a corpus: files, folders or globs, comma-separated (each must
    match something; returned resolved)."""
    import glob

    text = str(value).strip()
    if not text or text.lower() in ("rest", "focus"):
        return text.lower() or "rest"
    out = []
    for item in split_items(text):
        path = Path(item).expanduser()
        if not path.exists() and not glob.glob(str(path)):
            raise ValueError(f"{item!r} is neither rest, focus nor an existing corpus file, folder or glob")
        out.append(str(path.resolve()) if path.exists() else str(path))
    return ",".join(out)


def read_event_param(value: str) -> list[tuple[str, str]]:
    """The ``event_date`` parameter (canonical text) as ``[(date, label), ...]`` in date order."""
    text = str(value or "").strip()
    if not text:
        return []
    if text.lower().endswith(".csv"):
        import csv

        with open(text, encoding="utf-8-sig", newline="") as fh:
            rows = [(str(r["date"]).strip(), str(r.get("label") or "").strip() or str(r["date"]).strip())
                    for r in csv.DictReader(fh)]
    else:
        rows = [(d, d[:10]) for d in split_items(text)]
    return sorted(rows, key=lambda r: (r[0], r[1]))


def coerce_param(p: Param | str, value: Any) -> Any:
    """Read ``value`` for the parameter ``p`` (a :class:`Param` or a name) and return its
    canonical form: lists as comma-separated strings, dates as ISO text, choices in their
    canonical spelling (``week`` -> ``W``), ints and bools as such. ``None`` gives the
    default. Raises ``ValueError`` saying what is wrong (without the parameter's name)."""
    if isinstance(p, str):
        p = param(p)
    if value is None:
        return p.default
    kind = p.kind
    if kind == "int":
        return _parse_int(p, value)
    if kind == "bool":
        return _parse_bool(value)
    if kind == "choice":
        return _parse_choice(p, value)
    if kind == "date":
        return parse_date_param(value, bound=p.bound)
    if kind == "events":
        return _parse_events(value)
    if kind == "keyness_reference":
        return _parse_keyness_reference(value)
    if kind in ("list", "ids", "files"):
        if isinstance(value, (list, tuple, set, frozenset)):
            bad = [str(v) for v in value if "," in str(v)]
            if bad:
                raise ValueError(f"{bad[0]!r} contains a comma, which separates items: rename it or use a "
                                 "glob pattern")
        items = split_items(value)
        if kind == "ids":
            if not items:
                raise ValueError("give at least one entity id")
            items = list(dict.fromkeys(items))
        elif kind == "files":
            items = list(dict.fromkeys(str(Path(i).expanduser()) for i in items))
        return ",".join(items)
    if kind == "tz":
        from analysis.io.dates import resolve_tz

        text = str(value).strip() or "UTC"
        resolve_tz(text)  # ValueError naming the value
        return text
    if kind == "fields":
        from analysis.io.load import parse_fields

        text = str(value).strip()
        if not text:
            return ""
        if isinstance(value, Mapping):
            mapping = parse_fields(value)
        else:  # the notebook's older "text:body" spelling too
            mapping = parse_fields(",".join(i if "=" in i else i.replace(":", "=", 1) for i in split_items(text)))
        return ",".join(f"{k}={v}" for k, v in mapping.items())
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)


# --------------------------------------------------------------------------- validation

def _nearest(word: str, names: Iterable[str], n: int = 3) -> list[str]:
    names = list(dict.fromkeys(names))
    low = {name.lower(): name for name in names}
    return [low[m] for m in difflib.get_close_matches(word.lower(), list(low), n=n, cutoff=0.5)]


def rename_deprecated(params: Mapping[str, Any], style: str = "api") -> dict[str, Any]:
    """``params`` with deprecated names (``topics``) renamed (``k``), each with a DeprecationWarning."""
    out = dict(params)
    for old, new in DEPRECATED.items():
        if old in out:
            value = out.pop(old)
            flag = param(new).label(style)
            warnings.warn(f"{'--' if style == 'cli' else ''}{old} is deprecated: use {flag}", DeprecationWarning,
                          stacklevel=3)
            if new in out and out[new] is not None and value is not None and out[new] != value:
                raise ParameterError(f"{old} ({value!r}) and {new} ({out[new]!r}) are the same parameter: "
                                     f"give only {flag}")
            out.setdefault(new, value)
            if out[new] is None:
                out[new] = value
    return out


def validate_params(params: Mapping[str, Any], articles=None, gazetteer=None, *, style: str = "api") -> dict:
    """Check the report's parameters and return all of them in canonical form (schema order).

    Without ``articles``: names, types, choices, ranges (``k`` 0-1000, ``seed`` >= 0), strict
    dates (``start`` <= ``end``), the timezone, ``fields``, the gazetteer files, and the
    ``focus`` ids against the gazetteer (the nearest ids, with their Arabic and English names,
    for an unknown one). ``gazetteer``: a loaded :class:`~analysis.entities.gazetteer.Gazetteer`
    (default: the shipped one plus the ``gazetteer`` files).

    With ``articles`` — the corpus loaded *without* the filters (``load_corpus(paths,
    fields=..., tz=..., dedup=False)``) — also: every outlet and category named by a filter
    exists (else the ones present are listed with their counts), the date range holds
    articles, the filters together leave some, and the event date has articles on both sides.

    Raises :class:`ParameterError` listing every problem found; ``style="cli"`` names the
    parameters by their command-line flags.
    """
    params = rename_deprecated(params, style)
    problems: list[str] = []
    unknown = [k for k in params if k not in _BY_NAME]
    for k in unknown:
        near = _nearest(k, _BY_NAME)
        problems.append(f"unknown parameter {k!r}" + (f" (did you mean {near[0]}?)" if near else ""))
    values: dict[str, Any] = {}
    bad: set[str] = set()
    label = {p.name: p.label(style) for p in PARAMETERS}
    for p in PARAMETERS:
        try:
            values[p.name] = p.coerce(params.get(p.name))
        except ValueError as exc:
            problems.append(f"{label[p.name]}: {exc}")
            values[p.name] = p.default
            bad.add(p.name)

    # start <= end
    if values["start"] and values["end"] and not {"start", "end", "tz"} & bad:
        s, e = _instant(values["start"], values["tz"], end=False), _instant(values["end"], values["tz"], end=True)
        if s > e:
            problems.append(f"{label['start']} {values['start']} is after {label['end']} {values['end']}: "
                            "nothing could be kept")

    # the gazetteer and the focus ids
    if "gazetteer" not in bad:
        files = split_items(values["gazetteer"])
        missing = [f for f in files if not Path(f).is_file()]
        if missing:
            problems.append(f"{label['gazetteer']}: no such file {', '.join(missing)}")
            bad.add("gazetteer")
        else:
            values["gazetteer"] = ",".join(str(Path(f).resolve()) for f in files)
    if values.get("validation") and "validation" not in bad:
        codes = split_items(values["validation"])
        missing = [f for f in codes if not Path(f).is_file()]
        if len(codes) > 1 or missing:
            problems.append(f"{label['validation']}: " + (f"no such file {', '.join(missing)}" if missing
                                                         else "give one coded sample file"))
            bad.add("validation")
        else:
            values["validation"] = str(Path(codes[0]).resolve())
    if gazetteer is None and not {"gazetteer", "focus"} & bad:
        from analysis.entities.gazetteer import GazetteerError, load_gazetteer

        files = split_items(values["gazetteer"])
        try:
            gazetteer = load_gazetteer(extra=files) if files else load_gazetteer()
        except (GazetteerError, OSError) as exc:
            problems.append(f"{label['gazetteer']}: {exc}")
    if gazetteer is not None and "focus" not in bad:
        ids, focus_problem = _check_focus(split_items(values["focus"]), gazetteer, label["focus"])
        values["focus"] = ",".join(ids)
        if focus_problem:
            problems.append(focus_problem)

    if articles is not None and not problems:
        problems.extend(_corpus_problems(values, articles, label))
    if problems:
        raise ParameterError(problems)
    return values


def _entity_desc(gaz, eid: str) -> str:
    row = gaz.entity(eid)
    en = str(row.label_en or "")
    names = f"{row.name_ar}, {en}" if en and en != row.name_ar else str(row.name_ar)
    return f"{eid} ({names}; {row.type})"


def _check_focus(ids: list[str], gaz, flag: str) -> tuple[list[str], str]:
    """Focus ids as the gazetteer spells them (``rus`` -> ``RUS``), and a message for unknown ones."""
    out, unknown = [], []
    for i in ids:
        if i in gaz:
            out.append(i)
        elif i.upper() in gaz and gaz.entity(i.upper()).type == "country":
            out.append(i.upper())
        elif i.lower() in gaz:
            out.append(i.lower())
        else:
            unknown.append(i)
            out.append(i)
    out = list(dict.fromkeys(out))
    if not unknown:
        return out, ""
    keys: dict[str, str] = {}  # candidate text (an id, English or Arabic name) -> entity id
    for r in gaz.entities.itertuples(index=False):
        for text in [r.entity_id, str(r.label_en or ""), *gaz.names(r.entity_id)]:
            if text:
                keys.setdefault(filter_key(text), r.entity_id)
    parts = []
    for u in unknown:
        hits = difflib.get_close_matches(filter_key(u), list(keys), n=12, cutoff=0.5)
        near = list(dict.fromkeys(keys[h] for h in hits))[:3]
        parts.append(f"{u!r} is not an entity id" + (
            f" (nearest: {'; '.join(_entity_desc(gaz, n) for n in near)})" if near else " (nothing close)"))
    return out, (f"{flag}: " + ", ".join(parts) + "; `analysis entities SEARCH` lists the ids")


def _instant(text: str, tz: str, *, end: bool):
    """A date parameter as a UTC Timestamp, as the loader reads a filter bound (a date means its
    whole day in ``tz``)."""
    import pandas as pd

    from analysis.io.dates import resolve_tz

    ts = pd.Timestamp(text)
    if ts.tzinfo is None:
        ts = ts.tz_localize(resolve_tz(tz))
    ts = ts.tz_convert("UTC")
    if end and "T" not in text:
        ts = ts + pd.Timedelta(days=1) - pd.Timedelta(1, "ns")
    return ts


def filter_key(value: Any) -> str:
    """How the loader compares outlet and category names: normalized, case-folded, spaces collapsed."""
    from analysis.text.normalize import normalize

    return " ".join(normalize(str(value)).casefold().split())


def _present(counts) -> str:
    """'skynews (13,708), alarabia (6,519), ...' (at most 20)."""
    items = [f"{name} ({n:,})" for name, n in counts.head(20).items()]
    more = f" and {len(counts) - 20:,} more" if len(counts) > 20 else ""
    return ", ".join(items) + more


def _corpus_problems(values: dict, articles, label: dict) -> list[str]:
    """Filters that name unknown outlets/categories, match nothing or leave nothing; the event date."""
    import numpy as np
    import pandas as pd

    problems: list[str] = []
    n = len(articles)
    if n == 0:
        return problems
    keep = np.ones(n, dtype=bool)
    steps: list[tuple[str, np.ndarray]] = []
    pub = pd.to_datetime(articles["published"], utc=True, errors="coerce")
    dated = pub.notna().to_numpy()

    def span(mask) -> str:
        p = pub[mask & dated]
        if not len(p):
            return "no dated articles"
        return f"dated articles from {p.min():%Y-%m-%d} to {p.max():%Y-%m-%d}"

    if values["start"] or values["end"]:
        m = dated.copy()
        if values["start"]:
            m &= (pub >= _instant(values["start"], values["tz"], end=False)).to_numpy()
        if values["end"]:
            m &= (pub <= _instant(values["end"], values["tz"], end=True)).to_numpy()
        what = " and ".join(f"{label[k]} {values[k]}" for k in ("start", "end") if values[k])
        if not m.any():
            problems.append(f"{what}: no article of the corpus was published then (it has {span(keep)}, "
                            f"{int((~dated).sum()):,} undated)")
        steps.append((what, m))

    for name, column in (("outlets", "outlet"), ("categories", "category"), ("exclude_categories", "category")):
        wanted = split_items(values[name])
        if not wanted:
            continue
        col = articles[column] if column in articles.columns else pd.Series([None] * n)
        uniq = pd.unique(col.dropna())
        key_of = {v: filter_key(v) for v in uniq}
        keys = col.map(key_of)
        counts = col.fillna("(none)").astype(str).value_counts()
        counts = counts.iloc[sorted(range(len(counts)), key=lambda i: (-counts.iloc[i], counts.index[i]))]
        missing = [w for w in wanted if filter_key(w) not in set(key_of.values())]
        if missing:
            what, whats = ("outlet", "outlets") if column == "outlet" else ("category", "categories")
            present = _present(counts) if len(uniq) else f"the corpus has no {what} values"
            near = _nearest(missing[0], [str(u) for u in uniq], n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            nothing = " (so it would leave nothing out)" if name == "exclude_categories" else ""
            problems.append(f"{label[name]} {','.join(missing)}: no such {what} in the corpus{nothing}{hint}; "
                            f"{whats} present: {present}")
            continue
        sel = keys.isin({filter_key(w) for w in wanted}).to_numpy()
        steps.append((f"{label[name]} {values[name]}", ~sel if name == "exclude_categories" else sel))

    if problems:
        return problems
    done = []
    for what, m in steps:
        before = int(keep.sum())
        keep &= m
        if not keep.any():
            after = f" after {' and '.join(done)} ({before:,} articles left)" if done else ""
            problems.append(f"{what} leaves no article{after}: loosen or drop this filter")
            return problems
        done.append(what)

    for date, _lab in (read_event_param(values["event_date"]) if values["event_date"] else []):
        ev = pd.Timestamp(date)
        ev = ev.tz_localize("UTC") if ev.tzinfo is None else ev.tz_convert("UTC")
        p = pub[keep & dated]
        n_before, n_after = int((p < ev).sum()), int((p >= ev).sum())
        if n_before == 0 or n_after == 0:
            kept = f" (after {' and '.join(done)})" if done else ""
            problems.append(f"{label['event_date']} {date} is outside the corpus's span: it has "
                            f"{span(keep)}{kept}, so {n_before:,} article(s) before the date and {n_after:,} on "
                            "or after it; give a date with articles on both sides")
    return problems


# --------------------------------------------------------------------------- the notebook's parameters cell

def parameters_cell() -> str:
    """The source of the report notebook's papermill ``parameters`` cell, written from the schema
    (simple annotated assignments, which papermill parses reliably)."""
    import json

    lines = ["# Parameters (papermill injects new values below this cell). Lists are comma-separated strings.",
             "# Declared once in analysis.report.params, which the command line and run_report share."]
    for p in PARAMETERS:
        value = json.dumps(p.default, ensure_ascii=False) if isinstance(p.default, str) else repr(p.default)
        lines.append(f"{p.name}: {p.type.__name__} = {value}  # {p.help}")
    return "\n".join(lines) + "\n"


def notebook_parameters(notebook) -> dict[str, tuple[str, Any]]:
    """The parameters a notebook's ``parameters`` cell declares: ``{name: (type name, default)}``
    in order. ``notebook``: a path or an nbformat notebook. Raises :class:`ParameterError`
    when no cell is tagged ``parameters`` or the cell is not simple assignments."""
    import nbformat

    nb = notebook if hasattr(notebook, "cells") else nbformat.read(str(notebook), as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code" and "parameters" in (c.metadata.get("tags") or [])]
    where = getattr(notebook, "name", None) or str(notebook)[:200]
    if not cells:
        raise ParameterError(f"the notebook {where} has no cell tagged 'parameters': tag the cell that "
                             "assigns its parameters (JupyterLab: the cell's property inspector, Tags)")
    try:
        tree = ast.parse(cells[0].source)
    except SyntaxError as exc:
        raise ParameterError(f"the parameters cell of {where} is not valid Python: {exc}") from None
    out: dict[str, tuple[str, Any]] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            target, ann, value = node.target.id, ast.unparse(node.annotation), node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            target, ann, value = node.targets[0].id, "", node.value
        else:
            continue
        try:
            default = ast.literal_eval(value) if value is not None else None
        except ValueError:
            default = ast.unparse(value)
        out[target] = (ann, default)
    return out


def notebook_values(values: Mapping[str, Any], declared: Sequence[str]) -> dict[str, Any]:
    """What papermill injects into a notebook whose parameters cell declares ``declared``: the
    declared parameters (a deprecated name a notebook still declares gets the new one's value)."""
    out = {k: v for k, v in values.items() if k in declared}
    for old, new in DEPRECATED.items():
        if old in declared and new not in declared:
            out[old] = values[new]
    return out
