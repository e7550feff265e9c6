"""The gazetteer: countries, persons, organizations, places, offices and context rules.

The built-in gazetteer is ``analysis/data/gazetteer.yaml`` (package data; its
header documents the format). ``load_gazetteer(extra=FILE)`` extends or
overrides it with a researcher's own YAML file of the same shape;
``load_gazetteer(path=FILE)`` uses FILE instead of the built-in one.

``Gazetteer.entities`` is a DataFrame with columns ``entity_id``, ``type``
(country, person, organization, place), ``country`` (ISO3 or None),
``name_ar`` (display name) and ``label_en``.  ``Gazetteer.forms()`` lists every
surface form the matcher looks for (normalized, proclitic forms not included);
``Gazetteer.list()`` / :func:`list_entities` is the searchable listing behind
``analysis entities``. The compiled matcher lives in
:mod:`analysis.entities.matcher`; this module does not import it.
"""
from __future__ import annotations

import copy
from collections import namedtuple
import datetime as _dt
import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from analysis.entities.cache import cache_dir, prune, read_signed, write_signed
from analysis.text.normalize import normalize

__all__ = ["Gazetteer", "GazetteerError", "load_gazetteer", "list_entities", "match_key",
           "nisba_forms", "is_letter", "CONTEXT_LISTS", "LIST_COLUMNS"]

ENTITY_SECTIONS = {
    "countries": "country",
    "persons": "person",
    "organizations": "organization",
    "places": "place",
}
ENTITY_COLUMNS = ["entity_id", "type", "country", "name_ar", "label_en"]
EntityRow = namedtuple("EntityRow", ENTITY_COLUMNS)
LIST_COLUMNS = ["entity_id", "type", "country", "name_ar", "label_en", "names"]
ENTITY_KEYS = {"en", "names", "add_names", "country", "demonyms", "people", "bare",
               "reject_before", "reject_after", "note"}
OFFICE_KEYS = {"en", "country", "titles", "holders", "note"}
RULE_KEYS = {"name", "note", "reject_before", "reject_after", "choices", "default"}
CHOICE_KEYS = {"entity", "before", "after", "article", "article_country"}

# The word lists of the `context` section (README, "Ambiguous names and other
# errors"): what each one does is the matcher's mechanism; the words are data.
CONTEXT_LISTS = {
    "given_names": "given names: before a person's surname they name another person (سليمان الأسد); "
                   "before a demonym they make it a surname (منصور التركي); after an office title "
                   "they name the person meant (another holder)",
    "name_prefixes": "أبو / أم / عبد ...: two tokens before a demonym, a compound name (أبو قتادة المغربي)",
    "chain_before": "a person's name after these is his father's in a patronymic chain (خالد بن سلمان)",
    "chain_after": "a person's name followed by these continues into someone else's chain",
    "named_after_nouns": "institutions, awards, places named after a ruler (مركز الملك سلمان)",
    "honorifics": "titles skipped between a named-after noun and the name (جائزة الشيخ ...)",
    "ranks": "ranks before a given name: two tokens before a demonym, part of a name (المستشار جاسر المغربي)",
    "person_titles": "words that, just before a bare surname, show it is the person (الوزير كيري)",
    "office_dependants": "before an office title, another person (نائب الرئيس، مستشار الرئيس)",
    "office_past_after": "after an office title, a past or future holder (السابق، آنذاك)",
    "not_a_place_before": "before a place name, an outlet or a club named after it (صحيفة الرياض)",
}


class GazetteerError(ValueError):
    """A gazetteer file is malformed; the message names the file and entry."""


def is_letter(ch: str) -> bool:
    """Whether ``ch`` is an Arabic letter (the matcher's token characters)."""
    return "\u0621" <= ch <= "\u064a" or ("\u0671" <= ch <= "\u06d3") or ch in "\u06d5\u06ee\u06ef\u06fa\u06fb\u06fc\u06ff"


_NON_LETTERS = re.compile("[^\u0621-\u064a\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff]+")


@lru_cache(maxsize=1 << 16)
def match_key(text: str) -> str:
    """The form names are matched in: normalized, non-letters as single spaces.

    >>> match_key("الرئيسُ الروسيّ، فلاديمير")
    'الرئيس الروسي فلاديمير'
    """
    return _NON_LETTERS.sub(" ", normalize(text)).strip()


_ABD_SPLIT = re.compile(r"(?<!\S)عبد (ال\S+)")
_ABD_FUSED = re.compile(r"(?<!\S)عبد(ال\S+)")


def abd_variants(key: str) -> list[str]:
    """A match key and its other spelling of compound names: عبد العزيز and
    عبدالعزيز (both are common in news) -> both forms."""
    out = [key]
    for pat, repl in ((_ABD_SPLIT, r"عبد\1"), (_ABD_FUSED, r"عبد \1")):
        alt = pat.sub(repl, key)
        if alt != key:
            out.append(alt)
    return out


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
    """A name that needs context (see the YAML's ``ambiguous`` section).

    ``choices``: dicts with ``entity``, ``before``/``after`` (token sets),
    ``article`` (entity ids) and ``article_country`` (country ids).
    ``generated`` is True for rules made from persons' ``bare`` names.
    """
    name: str
    reject_before: frozenset[str] = frozenset()
    reject_after: frozenset[str] = frozenset()
    choices: list[dict] = field(default_factory=list)
    default: str | None = None
    note: str = ""
    generated: bool = False


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
    return frozenset(k for k in (match_key(str(v)) for v in values) if k)


def _check_keys(entry: dict, allowed: set, where: str) -> None:
    bad = sorted(set(entry) - allowed)
    if bad:
        hint = ""
        if "no_default_in" in bad:
            hint = (" (`no_default_in` was removed: a default now needs the article's own context, "
                    "e.g. a choice with `article_country: [SYR]`, so corpora without categories work)")
        raise GazetteerError(f"{where}: unknown key(s) {bad} (allowed: {sorted(allowed)}){hint}")


def _read_yaml(path: Path) -> dict:
    """Parse a gazetteer file (the parse is cached as signed JSON, keyed by the file's sha256)."""
    import yaml

    try:
        blob = Path(path).read_bytes()
    except FileNotFoundError:
        raise GazetteerError(f"{path}: gazetteer file not found") from None
    except OSError as exc:
        raise GazetteerError(f"{path}: cannot read ({exc})") from None
    folder = cache_dir()
    cached = folder / f"gazetteer-{hashlib.sha256(blob).hexdigest()[:24]}.json" if folder else None
    if cached is not None:
        hit = read_signed(cached)
        if hit is not None:
            try:
                return json.loads(hit)
            except ValueError:
                pass
    try:
        data = yaml.load(blob.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise GazetteerError(f"{path}{line}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    except UnicodeDecodeError as exc:
        raise GazetteerError(f"{path}: not UTF-8 text ({exc})") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise GazetteerError(f"{path}: the top level must be a mapping of sections")
    if cached is not None:
        try:
            text = json.dumps(data, default=str, ensure_ascii=False)
            write_signed(cached, text.encode("utf-8"))
            prune(folder, "gazetteer-*.json", keep=16)
            data = json.loads(text)  # the same types whether the parse was cached or not
        except (OSError, TypeError, ValueError):
            pass
    return data


_SECTIONS = set(ENTITY_SECTIONS) | {"offices", "affiliations", "ambiguous", "blockers", "remove",
                                    "version", "context", "title_sets"}


def _merge(base: dict, extra: dict, source: str) -> dict:
    """Merge a user gazetteer into ``base`` (see the YAML header)."""
    out = copy.deepcopy(base)
    for key in extra:
        if key not in _SECTIONS:
            raise GazetteerError(f"{source}: unknown section {key!r} (known: {sorted(_SECTIONS)})")
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
    if extra.get("title_sets"):
        if not isinstance(extra["title_sets"], dict):
            raise GazetteerError(f"{source}: section 'title_sets' must map set names to lists of titles")
        out.setdefault("title_sets", {}).update(extra["title_sets"])
    if extra.get("ambiguous"):
        rules = {r["name"]: r for r in out.get("ambiguous") or []}
        for rule in extra["ambiguous"]:
            if not isinstance(rule, dict) or "name" not in rule:
                raise GazetteerError(f"{source}: every ambiguous rule needs a `name`")
            rules[rule["name"]] = rule
        out["ambiguous"] = list(rules.values())
    if extra.get("blockers"):
        out["blockers"] = list(out.get("blockers") or []) + list(extra["blockers"])
    if extra.get("context"):
        ctx = extra["context"]
        if not isinstance(ctx, dict):
            raise GazetteerError(f"{source}: section 'context' must map list names to word lists")
        target = out.setdefault("context", {}) or {}
        out["context"] = target
        for key, words in ctx.items():
            if key not in CONTEXT_LISTS:
                raise GazetteerError(f"{source}: context.{key}: unknown list (known: {sorted(CONTEXT_LISTS)})")
            if not isinstance(words, list):
                raise GazetteerError(f"{source}: context.{key} must be a list of words")
            target[key] = list(target.get(key) or []) + [w for w in words if w not in (target.get(key) or [])]
    for eid in extra.get("remove") or []:
        for section in list(ENTITY_SECTIONS) + ["offices"]:
            (out.get(section) or {}).pop(eid, None)
        (out.get("affiliations") or {}).pop(eid, None)
    return out


class Gazetteer:
    """Entities, their names, offices, ambiguity rules, blockers and context words.

    Build with :func:`load_gazetteer`. Attributes: ``entities`` (DataFrame:
    entity_id, type, country, name_ar, label_en), ``offices`` (dict id ->
    :class:`Office`), ``rules`` (list of :class:`AmbiguityRule`, the
    ``ambiguous`` section then one rule per persons' ``bare`` name),
    ``blockers`` (list of str), ``context`` (dict list name -> frozenset of
    match keys), ``entity_rejects`` (entity id -> (before, after) token sets),
    ``sources`` (files read) and ``fingerprint`` (sha256 of the content).
    """

    def __init__(self, data: dict, sources: list[str]):
        self.data = data
        self.sources = sources
        self.fingerprint = hashlib.sha256(
            json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8")).hexdigest()
        self._build()

    # -- construction -------------------------------------------------
    def _build(self) -> None:
        src = " + ".join(self.sources)
        rows = []
        self._names: dict[str, list[str]] = {}
        self._demonyms: dict[str, list[str]] = {}
        self._people: dict[str, list[str]] = {}
        self._bare: dict[str, list[str]] = {}
        self.entity_rejects: dict[str, tuple[frozenset, frozenset]] = {}
        affiliations = self.data.get("affiliations") or {}
        for section, etype in ENTITY_SECTIONS.items():
            for eid, entry in (self.data.get(section) or {}).items():
                eid = str(eid)
                where = f"{src}: {section}.{eid}"
                if not isinstance(entry, dict):
                    raise GazetteerError(f"{where}: must be a mapping")
                _check_keys(entry, ENTITY_KEYS, where)
                names = [str(n) for n in entry.get("names") or []]
                bare = [str(n) for n in entry.get("bare") or []]
                if bare and etype != "person":
                    raise GazetteerError(f"{where}: `bare` names are for persons only")
                if not names and not bare:
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
                    "name_ar": (names or bare)[0], "label_en": str(entry.get("en") or eid),
                })
                self._names[eid] = names
                self._bare[eid] = bare
                self._demonyms[eid] = [str(d) for d in entry.get("demonyms") or []]
                self._people[eid] = [str(p) for p in entry.get("people") or []]
                rb = _tokens(entry.get("reject_before"), where)
                ra = _tokens(entry.get("reject_after"), where)
                if rb or ra:
                    self.entity_rejects[eid] = (rb, ra)
        ent = pd.DataFrame(rows, columns=ENTITY_COLUMNS)
        dup = ent["entity_id"][ent["entity_id"].duplicated()]
        if len(dup):
            raise GazetteerError(f"{src}: duplicate entity ids {sorted(set(dup))}")
        self.entities = ent.sort_values(["type", "entity_id"], kind="stable").reset_index(drop=True)
        self._by_id = {r[0]: EntityRow(*r) for r in self.entities.itertuples(index=False, name=None)}
        countries = set(self.entities.loc[self.entities["type"] == "country", "entity_id"])
        for r in self.entities.itertuples(index=False):
            if r.type != "country" and isinstance(r.country, str) and r.country not in countries:
                raise GazetteerError(f"{src}: {r.entity_id}: unknown country {r.country!r}")

        self.offices: dict[str, Office] = {}
        for oid, entry in (self.data.get("offices") or {}).items():
            where = f"{src}: offices.{oid}"
            if not isinstance(entry, dict):
                raise GazetteerError(f"{where}: must be a mapping")
            _check_keys(entry, OFFICE_KEYS, where)
            holders = []
            for i, h in enumerate(entry.get("holders") or []):
                if not isinstance(h, dict) or "person" not in h:
                    raise GazetteerError(f"{where}.holders[{i}]: needs `person`")
                if h["person"] not in self._by_id:
                    raise GazetteerError(f"{where}.holders[{i}]: unknown person {h['person']!r}")
                start, end = _date(h.get("from"), where), _date(h.get("to"), where)
                if start is not None and end is not None and end <= start:
                    raise GazetteerError(f"{where}.holders[{i}]: `to` {end:%Y-%m-%d} is not after `from` {start:%Y-%m-%d}")
                holders.append((str(h["person"]), start, end))
            country = entry.get("country")
            if country is not None and country not in countries:
                raise GazetteerError(f"{where}: unknown country {country!r}")
            titles = []
            sets = self.data.get("title_sets") or {}
            for t in entry.get("titles") or []:
                t = str(t)
                if t.startswith("@"):
                    if t[1:] not in sets or not isinstance(sets[t[1:]], list):
                        raise GazetteerError(f"{where}: unknown title set {t!r} (title_sets: {sorted(sets)})")
                    titles.extend(str(x) for x in sets[t[1:]])
                else:
                    titles.append(t)
            if not titles:
                raise GazetteerError(f"{where}: needs `titles`")
            self.offices[str(oid)] = Office(str(oid), str(entry.get("en") or oid), country, titles, holders)

        ctx = self.data.get("context") or {}
        if not isinstance(ctx, dict):
            raise GazetteerError(f"{src}: section 'context' must map list names to word lists")
        for key in ctx:
            if key not in CONTEXT_LISTS:
                raise GazetteerError(f"{src}: context.{key}: unknown list (known: {sorted(CONTEXT_LISTS)})")
        self.context: dict[str, frozenset[str]] = {
            key: _tokens(ctx.get(key), f"{src}: context.{key}") for key in CONTEXT_LISTS}

        self.rules: list[AmbiguityRule] = []
        explicit = set()
        for i, rule in enumerate(self.data.get("ambiguous") or []):
            where = f"{src}: ambiguous[{i}]"
            if not isinstance(rule, dict) or not rule.get("name"):
                raise GazetteerError(f"{where}: needs `name`")
            _check_keys(rule, RULE_KEYS, f"{where} ({rule['name']})")
            choices = []
            for j, ch in enumerate(rule.get("choices") or []):
                cw = f"{where}.choices[{j}]"
                if not isinstance(ch, dict) or ch.get("entity") not in self._by_id:
                    raise GazetteerError(f"{cw}: unknown entity {ch.get('entity') if isinstance(ch, dict) else ch!r}")
                _check_keys(ch, CHOICE_KEYS, cw)
                for cue in ch.get("article") or []:
                    if cue not in self._by_id:
                        raise GazetteerError(f"{cw}: unknown article cue {cue!r}")
                for cue in ch.get("article_country") or []:
                    if cue not in countries:
                        raise GazetteerError(f"{cw}: article_country {cue!r} is not a country id")
                choices.append({
                    "entity": ch["entity"],
                    "before": _tokens(ch.get("before"), cw),
                    "after": _tokens(ch.get("after"), cw),
                    "article": frozenset(ch.get("article") or []),
                    "article_country": frozenset(ch.get("article_country") or []),
                })
            default = rule.get("default")
            if default is not None and default not in self._by_id:
                raise GazetteerError(f"{where}: unknown default entity {default!r}")
            name = str(rule["name"])
            explicit.add(match_key(name))
            self.rules.append(AmbiguityRule(
                name=name,
                reject_before=_tokens(rule.get("reject_before"), where),
                reject_after=_tokens(rule.get("reject_after"), where),
                choices=choices, default=default, note=str(rule.get("note") or ""),
            ))
        self._bare_rules(explicit)
        self.blockers = [str(b) for b in self.data.get("blockers") or []]

    def _bare_rules(self, explicit: set) -> None:
        """One rule per persons' ``bare`` name (a frequent surname that counts in
        context): the person when the article names them otherwise (a full name, or
        an office title resolving to them), or when a title or their country's
        demonym stands just before (الوزير كيري، نظيره الأمريكي كيري). The country
        alone is no cue: many share a surname (جوش هاريس، كاميرون دياز)."""
        by_form: dict[str, list[str]] = {}
        for eid, forms in self._bare.items():
            for f in forms:
                key = match_key(f)
                if key and key not in explicit:
                    by_form.setdefault(key, []).append(eid)
        titles = self.context.get("person_titles", frozenset())
        for form, people in by_form.items():
            choices = []
            for pid in people:
                country = self.country_of(pid)
                before = set(titles)
                if country:
                    for stem in self._demonyms.get(country, []):
                        words = match_key(stem).split()
                        if len(words) == 1:
                            before.update({"ال" + words[0], "ال" + words[0] + "ه"})
                choices.append({"entity": pid, "before": frozenset(before), "after": frozenset(),
                                "article": frozenset({pid}), "article_country": frozenset()})
            self.rules.append(AmbiguityRule(
                name=form, choices=choices, default=None, generated=True,
                note="bare surname of " + ", ".join(people)))

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
        """The entity's names (always matched), without ``bare`` names."""
        return list(self._names.get(entity_id, []))

    def bare_names(self, entity_id: str) -> list[str]:
        """The person's ``bare`` names (matched only in context)."""
        return list(self._bare.get(entity_id, []))

    def demonyms(self, entity_id: str) -> list[str]:
        """The country's nisba stems."""
        return list(self._demonyms.get(entity_id, []))

    def people_nouns(self, entity_id: str) -> list[str]:
        return list(self._people.get(entity_id, []))

    def country_of(self, entity_id: str) -> str | None:
        row = self._by_id.get(entity_id)
        return row.country if row is not None and isinstance(row.country, str) else None

    def own_name_tokens(self, entity_id: str) -> frozenset[str]:
        """Every token of the entity's names (match keys): a given name before
        its surname that is one of these is the person's own."""
        keys = self._person_keys
        out = set()
        fathers = set()
        for toks in keys.get(entity_id, ()):
            out.update(toks)
            if len(toks) >= 3 and toks[-2] == "بن":
                fathers.add(toks[-1])
        for f in fathers:  # محمد بن سلمان بن عبد العزيز: the father's own chain goes on
            for eid, toks in self._chain_heads.get(f, ()):
                if eid != entity_id:
                    out.update(toks)
        return frozenset(out)

    @cached_property
    def _person_keys(self) -> dict[str, list[list[str]]]:
        """Person id -> token lists of all its names (both spellings of عبد compounds)."""
        out = {}
        for r in self.entities.itertuples(index=False):
            if r.type == "person":
                out[r.entity_id] = [k.split() for n in self._names[r.entity_id] + self._bare.get(r.entity_id, [])
                                    for k in abd_variants(match_key(n))]
        return out

    @cached_property
    def _chain_heads(self) -> dict[str, list[tuple[str, list[str]]]]:
        """First name -> (person id, tokens) of names "X بن ..." (patronymic chains)."""
        out: dict[str, list] = {}
        for eid, names in self._person_keys.items():
            for toks in names:
                if len(toks) >= 3 and toks[1] == "بن":
                    out.setdefault(toks[0], []).append((eid, toks))
        return out

    def title_forms(self, office: Office) -> list[str]:
        """The office's titles with their slots filled, as match keys."""
        adj, adj_f, names, li_names = [], [], [], []
        if office.country:
            for stem in self._demonyms.get(office.country, []):
                words = match_key(stem).split()
                adj.append(" ".join("ال" + w for w in words))
                adj_f.append(" ".join("ال" + w + "ه" for w in words))
            names = [match_key(n) for n in self._names.get(office.country, [])]
            li_names = [("ل" + n[1:]) if n.startswith("ال") else "ل" + n for n in names]
        out = []
        slots = (("{adj}", adj), ("{adj_f}", adj_f), ("{name}", names), ("{li_name}", li_names))
        for title in office.titles:
            variants = [title]
            for slot, fills in slots:
                if any(slot in v for v in variants):
                    variants = [v.replace(slot, f) for v in variants for f in fills]
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
                for k in abd_variants(match_key(n)):
                    rows.append((k, r.entity_id, "name", None, -1, prio))
            for stem in self._demonyms.get(r.entity_id, []):
                for f in nisba_forms(stem):
                    rows.append((f, r.entity_id, "demonym", None, -1, 1))
            for p in self._people.get(r.entity_id, []):
                rows.append((match_key(p), r.entity_id, "demonym", None, -1, 1))
        for office in self.offices.values():
            for f in self.title_forms(office):
                rows.append((f, None, "office", office.office_id, -1, 4))
        for i, rule in enumerate(self.rules):
            rows.append((match_key(rule.name), None, "ambiguous", None, i, 5))
        for b in self.blockers:
            rows.append((match_key(b), None, "block", None, -1, 6))
        df = pd.DataFrame(rows, columns=["form", "entity_id", "kind", "office_id", "rule", "priority"])
        df = df[df["form"] != ""]
        return df.reset_index(drop=True)

    def list(self, type: str | None = None, search: str | None = None) -> pd.DataFrame:
        """The gazetteer as a table, for finding ids.

        ``type``: country, person, organization, place or office (None: all).
        ``search``: matches ids and English names (case-insensitive substring)
        and Arabic names and titles (normalized substring: hamza, ة/ه, ى/ي and
        diacritics do not matter).

        Columns: entity_id, type, country, name_ar, label_en, names (every
        Arabic name, then bare names in brackets, or an office's titles and its
        holders, joined by " | "). Sorted by type, then id.
        """
        kinds = ("country", "person", "organization", "place", "office")
        if type is not None and type not in kinds:
            raise ValueError(f"type must be one of {', '.join(kinds)}, not {type!r}")
        rows = []
        for r in self.entities.itertuples(index=False):
            names = self._names[r.entity_id] + [f"({b})" for b in self._bare.get(r.entity_id, [])]
            rows.append((r.entity_id, r.type, r.country, r.name_ar, r.label_en, " | ".join(names)))
        for office in self.offices.values():
            titles = [t for t in office.titles]
            shown = [self._display_title(office.titles[0], office.country)]
            holders = ", ".join(
                f"{p} {'' if s is None else f'{s:%Y-%m-%d}'}–{'' if e is None else f'{e:%Y-%m-%d}'}"
                for p, s, e in office.holders)
            rows.append((office.office_id, "office", office.country, shown[0] if shown else titles[0],
                         office.label_en, " | ".join(titles) + (f" | holders: {holders}" if holders else "")))
        df = pd.DataFrame(rows, columns=LIST_COLUMNS)
        if type is not None:
            df = df[df["type"] == type]
        if search:
            needle = str(search).strip()
            low = needle.casefold()
            key = match_key(needle)
            id_hit = df["entity_id"].str.casefold().str.contains(low, regex=False)
            en_hit = df["label_en"].str.casefold().str.contains(low, regex=False)
            if key:
                ar_keys = df["entity_id"].map(self._search_keys)
                ar_hit = ar_keys.map(lambda ks: any(key in k for k in ks))
            else:
                ar_hit = pd.Series(False, index=df.index)
            df = df[id_hit | en_hit | ar_hit]
        order = {k: i for i, k in enumerate(kinds)}
        df = df.assign(_o=df["type"].map(order)).sort_values(["_o", "entity_id"], kind="stable")
        df = df.drop(columns="_o").reset_index(drop=True)
        df["country"] = df["country"].astype(object).where(df["country"].notna(), None)
        return df

    def _display_title(self, title: str, country: str | None) -> str:
        """A title template with its slots filled by the country's first spellings (for display)."""
        if country:
            stems = self._demonyms.get(country) or [""]
            names = self._names.get(country) or [country]
            name = names[0]
            fills = {"{adj}": "ال" + stems[0], "{adj_f}": "ال" + stems[0] + "ة", "{name}": name,
                     "{li_name}": ("ل" + name[1:]) if name.startswith("ال") else "ل" + name}
            for slot, fill in fills.items():
                title = title.replace(slot, fill)
        return title

    def _search_keys(self, entity_id: str) -> list[str]:
        if entity_id in self.offices:
            return self.title_forms(self.offices[entity_id])
        return [match_key(n) for n in self._names.get(entity_id, []) + self._bare.get(entity_id, [])
                + self._demonyms.get(entity_id, []) + self._people.get(entity_id, [])]


def _default_path() -> Path:
    return Path(str(resources.files("analysis") / "data" / "gazetteer.yaml"))


# content-keyed: (sha256 of every file's bytes / of a dict's JSON) -> Gazetteer
_CACHE: dict = {}
_CACHE_LOCK = threading.Lock()


def _content_key(items) -> tuple | None:
    key = []
    for item in items:
        if isinstance(item, dict):
            key.append(hashlib.sha256(json.dumps(item, sort_keys=True, default=str,
                                                 ensure_ascii=False).encode("utf-8")).hexdigest())
        else:
            try:
                key.append(hashlib.sha256(Path(item).read_bytes()).hexdigest())
            except OSError:
                return None  # reported by the loader with the file's name
    return tuple(key)


def load_gazetteer(path=None, extra=None) -> Gazetteer:
    """Load the gazetteer.

    Parameters
    ----------
    path : str or Path, optional
        A complete gazetteer file to use instead of the built-in one.
    extra : str, Path, dict or list of them, optional
        Files (or already-parsed dicts) that extend or override the gazetteer:
        same sections; entries with an existing id replace the fields they
        give, ``add_names`` extends names, top-level ``remove`` deletes ids,
        ``context`` lists are extended.

    Returns a :class:`Gazetteer`; ``.entities`` has columns entity_id, type,
    country, name_ar, label_en. Malformed files raise :class:`GazetteerError`
    naming the file and entry. Loads are cached by the files' content.
    """
    base_path = Path(path) if path is not None else _default_path()
    extras = [] if extra is None else (list(extra) if isinstance(extra, (list, tuple)) else [extra])
    key = _content_key([base_path, *extras])
    if key is not None:
        with _CACHE_LOCK:
            hit = _CACHE.get(key)
        if hit is not None:
            return hit
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
        with _CACHE_LOCK:
            if len(_CACHE) >= 16:
                _CACHE.pop(next(iter(_CACHE)))
            _CACHE[key] = gaz
    return gaz


def list_entities(search: str | None = None, type: str | None = None, gazetteer=None) -> pd.DataFrame:
    """The gazetteer's entities and offices, searchable (``analysis entities``).

    ``gazetteer``: None (built-in), a :class:`Gazetteer`, or a file / dict
    extending the built-in one. Columns: entity_id, type, country, name_ar,
    label_en, names (see :meth:`Gazetteer.list`).
    """
    if gazetteer is None:
        gaz = load_gazetteer()
    elif isinstance(gazetteer, Gazetteer):
        gaz = gazetteer
    else:
        gaz = load_gazetteer(extra=gazetteer)
    return gaz.list(type=type, search=search)
