"""The gazetteer: countries, persons, organizations, places and offices.

The built-in gazetteer is ``analysis/data/gazetteer.yaml`` (package data; its
header documents the format). ``load_gazetteer(extra=FILE)`` extends or
overrides it with a researcher's own YAML file of the same shape;
``load_gazetteer(path=FILE)`` uses FILE instead of the built-in one.

``Gazetteer.entities`` is a DataFrame with columns ``entity_id``, ``type``
(country, person, organization, place), ``country`` (ISO3 or None),
``name_ar`` (display name) and ``label_en``.  ``Gazetteer.forms()`` lists every
surface form the matcher looks for (normalized, proclitic forms not included;
see :mod:`analysis.entities.mentions`).
"""
from __future__ import annotations

import copy
import datetime as _dt
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path

import pandas as pd

from analysis.text.normalize import normalize

__all__ = ["Gazetteer", "GazetteerError", "load_gazetteer", "match_key", "nisba_forms"]

ENTITY_SECTIONS = {
    "countries": "country",
    "persons": "person",
    "organizations": "organization",
    "places": "place",
}
ENTITY_COLUMNS = ["entity_id", "type", "country", "name_ar", "label_en"]


class GazetteerError(ValueError):
    """A gazetteer file is malformed; the message names the file and entry."""


def _is_letter(ch: str) -> bool:
    return "\u0621" <= ch <= "\u064a" or ("\u0671" <= ch <= "\u06d3") or ch in "\u06d5\u06ee\u06ef\u06fa\u06fb\u06fc\u06ff"


def match_key(text: str) -> str:
    """The form names are matched in: normalized, non-letters as single spaces.

    >>> match_key("الرئيسُ الروسيّ، فلاديمير")
    'الرئيس الروسي فلاديمير'
    """
    norm = normalize(text)
    out = "".join(ch if _is_letter(ch) else " " for ch in norm)
    return " ".join(out.split())


def nisba_forms(stem: str) -> list[str]:
    """Every inflected form of a nisba (demonym) stem, with and without ال.

    ``روسي`` gives روسي روسيه روسيون روسيين روسيات روسيان روسيتان روسيتين
    روسيا and the same with ال. Multi-word stems inflect every word alike
    (كوري شمالي -> الكوريه الشماليه ...). The input is normalized first.
    """
    words = match_key(stem).split()
    suffixes = ["", "ه", "ون", "ين", "ات", "ان", "تان", "تين", "ا"]
    out = []
    for suf in suffixes:
        for art in ("", "ال"):
            if suf == "ا" and art:
                continue  # accusative tanween form is indefinite only
            out.append(" ".join(art + w + suf for w in words))
    return out


@dataclass
class Office:
    office_id: str
    label_en: str
    country: str | None
    titles: list[str]
    holders: list[tuple[str, pd.Timestamp | None, pd.Timestamp | None]]

    def holder(self, when) -> str | None:
        """Person id holding the office on ``when`` (None if vacant/unknown)."""
        if when is None or pd.isna(when):
            return None
        ts = pd.Timestamp(when)
        if ts.tzinfo is not None:
            ts = ts.tz_convert("UTC").tz_localize(None)
        for person, start, end in self.holders:
            if (start is None or ts >= start) and (end is None or ts < end):
                return person
        return None


@dataclass
class AmbiguityRule:
    name: str
    reject_before: frozenset[str] = frozenset()
    reject_after: frozenset[str] = frozenset()
    choices: list[dict] = field(default_factory=list)
    default: str | None = None
    no_default_in: frozenset[str] = frozenset()
    note: str = ""


def _date(value, where: str) -> pd.Timestamp | None:
    if value is None or value == "":
        return None
    if isinstance(value, (_dt.date, _dt.datetime)):
        return pd.Timestamp(value)
    try:
        return pd.Timestamp(str(value))
    except (ValueError, TypeError) as exc:
        raise GazetteerError(f"{where}: bad date {value!r} ({exc})") from None


def _tokens(values, where: str) -> frozenset[str]:
    if values is None:
        return frozenset()
    if not isinstance(values, list):
        raise GazetteerError(f"{where}: expected a list, got {type(values).__name__}")
    return frozenset(match_key(str(v)) for v in values)


def _read_yaml(path: Path) -> dict:
    import yaml

    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except FileNotFoundError:
        raise GazetteerError(f"{path}: gazetteer file not found") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise GazetteerError(f"{path}{line}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise GazetteerError(f"{path}: the top level must be a mapping of sections")
    return data


def _merge(base: dict, extra: dict, source: str) -> dict:
    """Merge a user gazetteer into ``base`` (see the YAML header)."""
    out = copy.deepcopy(base)
    known = set(ENTITY_SECTIONS) | {"offices", "affiliations", "ambiguous", "blockers", "remove", "version"}
    for key in extra:
        if key not in known:
            raise GazetteerError(f"{source}: unknown section {key!r} (known: {sorted(known)})")
    for section in list(ENTITY_SECTIONS) + ["offices"]:
        entries = extra.get(section) or {}
        if not isinstance(entries, dict):
            raise GazetteerError(f"{source}: section {section!r} must map ids to entries")
        target = out.setdefault(section, {}) or {}
        out[section] = target
        for eid, entry in entries.items():
            if entry is None:
                entry = {}
            if not isinstance(entry, dict):
                raise GazetteerError(f"{source}: {section}.{eid} must be a mapping")
            merged = dict(target.get(eid) or {})
            add = entry.get("add_names")
            merged.update({k: v for k, v in entry.items() if k != "add_names"})
            if add:
                merged["names"] = list(merged.get("names") or []) + list(add)
            # an id moving between sections: drop it from the others
            for other in list(ENTITY_SECTIONS) + ["offices"]:
                if other != section and eid in (out.get(other) or {}):
                    del out[other][eid]
            target[eid] = merged
    if extra.get("affiliations"):
        out.setdefault("affiliations", {}).update(extra["affiliations"])
    if extra.get("ambiguous"):
        rules = {r["name"]: r for r in out.get("ambiguous") or []}
        for rule in extra["ambiguous"]:
            if not isinstance(rule, dict) or "name" not in rule:
                raise GazetteerError(f"{source}: every ambiguous rule needs a `name`")
            rules[rule["name"]] = rule
        out["ambiguous"] = list(rules.values())
    if extra.get("blockers"):
        out["blockers"] = list(out.get("blockers") or []) + list(extra["blockers"])
    for eid in extra.get("remove") or []:
        for section in list(ENTITY_SECTIONS) + ["offices"]:
            (out.get(section) or {}).pop(eid, None)
        (out.get("affiliations") or {}).pop(eid, None)
    return out


class Gazetteer:
    """Entities, their names, offices, ambiguity rules and blockers.

    Build with :func:`load_gazetteer`. Attributes: ``entities`` (DataFrame:
    entity_id, type, country, name_ar, label_en), ``offices`` (dict id ->
    :class:`Office`), ``rules`` (list of :class:`AmbiguityRule`),
    ``blockers`` (list of str), ``sources`` (files read).
    """

    def __init__(self, data: dict, sources: list[str]):
        self.data = data
        self.sources = sources
        self._build()

    # -- construction -------------------------------------------------
    def _build(self) -> None:
        src = " + ".join(self.sources)
        rows = []
        self._names: dict[str, list[str]] = {}
        self._demonyms: dict[str, list[str]] = {}
        self._people: dict[str, list[str]] = {}
        affiliations = self.data.get("affiliations") or {}
        for section, etype in ENTITY_SECTIONS.items():
            for eid, entry in (self.data.get(section) or {}).items():
                eid = str(eid)
                where = f"{src}: {section}.{eid}"
                if not isinstance(entry, dict):
                    raise GazetteerError(f"{where}: must be a mapping")
                names = [str(n) for n in entry.get("names") or []]
                if not names:
                    raise GazetteerError(f"{where}: needs at least one name in `names`")
                if etype == "country":
                    country = eid
                else:
                    country = entry.get("country")
                    if eid in affiliations:
                        country = affiliations[eid]
                rows.append({
                    "entity_id": eid, "type": etype,
                    "country": None if country in (None, "") else str(country),
                    "name_ar": names[0], "label_en": str(entry.get("en") or eid),
                })
                self._names[eid] = names
                self._demonyms[eid] = [str(d) for d in entry.get("demonyms") or []]
                self._people[eid] = [str(p) for p in entry.get("people") or []]
        ent = pd.DataFrame(rows, columns=ENTITY_COLUMNS)
        dup = ent["entity_id"][ent["entity_id"].duplicated()]
        if len(dup):
            raise GazetteerError(f"{src}: duplicate entity ids {sorted(set(dup))}")
        self.entities = ent.sort_values(["type", "entity_id"], kind="stable").reset_index(drop=True)
        self._by_id = {r.entity_id: r for r in self.entities.itertuples(index=False)}
        countries = set(self.entities.loc[self.entities["type"] == "country", "entity_id"])
        for r in self.entities.itertuples(index=False):
            if r.type != "country" and isinstance(r.country, str) and r.country not in countries:
                raise GazetteerError(f"{src}: {r.entity_id}: unknown country {r.country!r}")

        self.offices: dict[str, Office] = {}
        for oid, entry in (self.data.get("offices") or {}).items():
            where = f"{src}: offices.{oid}"
            if not isinstance(entry, dict):
                raise GazetteerError(f"{where}: must be a mapping")
            holders = []
            for i, h in enumerate(entry.get("holders") or []):
                if not isinstance(h, dict) or "person" not in h:
                    raise GazetteerError(f"{where}.holders[{i}]: needs `person`")
                if h["person"] not in self._by_id:
                    raise GazetteerError(f"{where}.holders[{i}]: unknown person {h['person']!r}")
                holders.append((str(h["person"]), _date(h.get("from"), where), _date(h.get("to"), where)))
            country = entry.get("country")
            if country is not None and country not in countries:
                raise GazetteerError(f"{where}: unknown country {country!r}")
            titles = [str(t) for t in entry.get("titles") or []]
            if not titles:
                raise GazetteerError(f"{where}: needs `titles`")
            self.offices[str(oid)] = Office(str(oid), str(entry.get("en") or oid), country, titles, holders)

        self.rules: list[AmbiguityRule] = []
        for i, rule in enumerate(self.data.get("ambiguous") or []):
            where = f"{src}: ambiguous[{i}]"
            if not isinstance(rule, dict) or not rule.get("name"):
                raise GazetteerError(f"{where}: needs `name`")
            choices = []
            for j, ch in enumerate(rule.get("choices") or []):
                if not isinstance(ch, dict) or ch.get("entity") not in self._by_id:
                    raise GazetteerError(f"{where}.choices[{j}]: unknown entity {ch.get('entity') if isinstance(ch, dict) else ch!r}")
                for cue in ch.get("article") or []:
                    if cue not in self._by_id:
                        raise GazetteerError(f"{where}.choices[{j}]: unknown article cue {cue!r}")
                choices.append({
                    "entity": ch["entity"],
                    "before": _tokens(ch.get("before"), where),
                    "after": _tokens(ch.get("after"), where),
                    "article": frozenset(ch.get("article") or []),
                })
            default = rule.get("default")
            if default is not None and default not in self._by_id:
                raise GazetteerError(f"{where}: unknown default entity {default!r}")
            self.rules.append(AmbiguityRule(
                name=str(rule["name"]),
                reject_before=_tokens(rule.get("reject_before"), where),
                reject_after=_tokens(rule.get("reject_after"), where),
                choices=choices, default=default, note=str(rule.get("note") or ""),
                no_default_in=frozenset(str(c) for c in rule.get("no_default_in") or []),
            ))
        self.blockers = [str(b) for b in self.data.get("blockers") or []]

    # -- queries --------------------------------------------------------
    def __len__(self) -> int:
        return len(self.entities)

    def __contains__(self, entity_id) -> bool:
        return entity_id in self._by_id

    def __repr__(self) -> str:
        counts = self.entities["type"].value_counts().to_dict()
        return f"<Gazetteer {counts} offices={len(self.offices)} from {' + '.join(self.sources)}>"

    def entity(self, entity_id: str):
        """The entities row (namedtuple) of ``entity_id``; KeyError if unknown."""
        return self._by_id[entity_id]

    def label(self, entity_id: str, lang: str = "ar") -> str:
        """Display label: the first Arabic name (lang="ar") or the English one."""
        row = self._by_id.get(entity_id)
        if row is None:
            return str(entity_id)
        return row.name_ar if lang == "ar" else row.label_en

    def names(self, entity_id: str) -> list[str]:
        return list(self._names.get(entity_id, []))

    def country_of(self, entity_id: str) -> str | None:
        row = self._by_id.get(entity_id)
        return row.country if row is not None and isinstance(row.country, str) else None

    def _title_forms(self, office: Office) -> list[str]:
        adj, adj_f, names = [], [], []
        if office.country:
            for stem in self._demonyms.get(office.country, []):
                words = match_key(stem).split()
                adj.append(" ".join("ال" + w for w in words))
                adj_f.append(" ".join("ال" + w + "ه" for w in words))
            names = [match_key(n) for n in self._names.get(office.country, [])]
        out = []
        for title in office.titles:
            variants = [title]
            for slot, fills in (("{adj}", adj), ("{adj_f}", adj_f), ("{name}", names)):
                variants = [v.replace(slot, f) for v in variants for f in fills] if any(slot in v for v in variants) else variants
            out.extend(match_key(v) for v in variants if "{" not in v)
        return list(dict.fromkeys(f for f in out if f))

    def forms(self) -> pd.DataFrame:
        """Every surface form to match (normalized match keys, no proclitics).

        Columns: form, entity_id (None for blockers and ambiguous names),
        kind (name, demonym, office, ambiguous, block), office_id, rule
        (index into ``rules`` or -1), priority (higher wins when two entries
        share a form).
        """
        rows = []
        for r in self.entities.itertuples(index=False):
            prio = 3 if r.type != "country" else 2
            for n in self._names[r.entity_id]:
                rows.append((match_key(n), r.entity_id, "name", None, -1, prio))
            for stem in self._demonyms.get(r.entity_id, []):
                for f in nisba_forms(stem):
                    rows.append((f, r.entity_id, "demonym", None, -1, 1))
            for p in self._people.get(r.entity_id, []):
                rows.append((match_key(p), r.entity_id, "demonym", None, -1, 1))
        for office in self.offices.values():
            for f in self._title_forms(office):
                rows.append((f, None, "office", office.office_id, -1, 4))
        for i, rule in enumerate(self.rules):
            rows.append((match_key(rule.name), None, "ambiguous", None, i, 5))
        for b in self.blockers:
            rows.append((match_key(b), None, "block", None, -1, 6))
        df = pd.DataFrame(rows, columns=["form", "entity_id", "kind", "office_id", "rule", "priority"])
        df = df[df["form"] != ""]
        return df.reset_index(drop=True)

    @cached_property
    def matcher(self):
        """The compiled matcher (built once per gazetteer; see analysis.entities.mentions)."""
        from analysis.entities.mentions import _Matcher

        return _Matcher.cached(self)


def _default_path() -> Path:
    return Path(str(resources.files("analysis") / "data" / "gazetteer.yaml"))


_CACHE: dict = {}


def load_gazetteer(path=None, extra=None) -> Gazetteer:
    """Load the gazetteer.

    Parameters
    ----------
    path : str or Path, optional
        A complete gazetteer file to use instead of the built-in one.
    extra : str, Path, dict or list of them, optional
        Files (or already-parsed dicts) that extend or override the gazetteer:
        same sections; entries with an existing id replace the fields they
        give, ``add_names`` extends names, top-level ``remove`` deletes ids.

    Returns a :class:`Gazetteer`; ``.entities`` has columns entity_id, type,
    country, name_ar, label_en. Malformed files raise :class:`GazetteerError`
    naming the file and entry.
    """
    base_path = Path(path) if path is not None else _default_path()
    extras = [] if extra is None else (list(extra) if isinstance(extra, (list, tuple)) else [extra])
    key = None
    if all(isinstance(e, (str, Path)) for e in extras):
        try:
            stamp = tuple((str(p), Path(p).stat().st_mtime_ns) for p in [base_path, *extras])
            key = stamp
        except OSError:
            key = None
    if key is not None and key in _CACHE:
        return _CACHE[key]
    data = _read_yaml(base_path)
    sources = [str(base_path)]
    data = _merge({}, data, str(base_path))
    for e in extras:
        if isinstance(e, dict):
            data = _merge(data, e, "<dict>")
            sources.append("<dict>")
        else:
            data = _merge(data, _read_yaml(Path(e)), str(e))
            sources.append(str(e))
    gaz = Gazetteer(data, sources)
    if key is not None:
        _CACHE[key] = gaz
    return gaz
