"""Mentions per partition, and counts that add up across partitions.

Each partition (articles and their mentions) is counted by the in-memory
functions of :mod:`analysis.measures`; the counts come back as tidy tables
(co-mention pairs ``n_ab``, entity window counts ``n``, windows per group
``n_windows``; coverage ``n_articles``, ``n_with``, ``n_mentions``,
``n_words``), are summed across partitions by ``groupby().sum()`` in a tree of
small reductions, and turned into measures once, at the end, by the
package's :func:`~analysis.measures.comention.association_measures` and
:func:`~analysis.measures.compare.wilson_interval`. The results equal the
in-memory functions on the whole corpus (tested: counts exactly, measures to
1e-12).

Several tables asked for in one :func:`count_tables` call share one pass
over the corpus (each partition is read and matched once).
"""
from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.entities.mentions import MENTION_COLUMNS
from analysis.measures.comention import count_comentions as _count_comentions_mem
from analysis.measures.comention import count_entities
from analysis.measures.cooccurrence import (
    MEASURES,
    STRING_COLUMNS,
    association_measures,
    count_windows,
    resolve_entities,
)
from analysis.measures.compare import FOCUS, count_words, wilson_interval
from analysis.measures.compare import coverage as _coverage_mem
from analysis.measures.compare import focus_triangle

__all__ = ["count_comentions", "count_tables", "coverage", "extract_mentions", "gazetteer_key", "keyness",
           "profile_request", "triangle_request"]

_SENTINEL = "\x00analysis-dask-groups"
_FAN_IN = 8


# --------------------------------------------------------------------------- mentions
class _Gazetteers:
    """Gazetteers (with their compiled matcher) per worker process, keyed by content."""

    def __init__(self):
        self._lock = threading.Lock()
        self._items: dict[str, object] = {}

    def get(self, key: str, spec):
        with self._lock:
            gaz = self._items.get(key)
            if gaz is None:
                from analysis.entities.gazetteer import Gazetteer, load_gazetteer

                if spec is None:
                    gaz = load_gazetteer()
                elif isinstance(spec, Gazetteer):
                    gaz = spec
                else:
                    gaz = load_gazetteer(extra=spec)
                from analysis.entities.matcher import compile_matcher

                compile_matcher(gaz)  # compile (or load from the disk cache) once per process
                if len(self._items) >= 4:
                    self._items.pop(next(iter(self._items)))
                self._items[key] = gaz
            return gaz


_GAZETTEERS = _Gazetteers()


def gazetteer_key(gazetteer) -> str:
    """A content key for a gazetteer argument (None, a path, a dict or a Gazetteer)."""
    h = hashlib.sha1()
    if gazetteer is None:
        h.update(b"builtin")
    elif isinstance(gazetteer, (str, Path)):
        h.update(b"file")
        h.update(Path(gazetteer).read_bytes())
    elif isinstance(gazetteer, dict):
        h.update(json.dumps(gazetteer, sort_keys=True, default=str, ensure_ascii=False).encode())
    else:
        h.update(json.dumps(getattr(gazetteer, "data", None), sort_keys=True, default=str,
                            ensure_ascii=False).encode())
    return h.hexdigest()


def _mentions_of(articles: pd.DataFrame, key: str, spec) -> pd.DataFrame:
    from analysis.entities.mentions import extract_mentions as mentions_mem

    gaz = _GAZETTEERS.get(key, spec)
    return mentions_mem(articles, gazetteer=gaz, progress=False, n_jobs=1)


def _mentions_meta() -> pd.DataFrame:
    ints = {"paragraph", "sentence", "start", "end"}
    return pd.DataFrame({c: pd.Series([], dtype=np.int64 if c in ints else object) for c in MENTION_COLUMNS})


def extract_mentions(articles, gazetteer=None):
    """The mentions table of a dask articles frame (lazy; one partition per articles partition).

    Each partition is matched by :func:`analysis.extract_mentions` (the same
    matcher, ``n_jobs=1``: the cluster's workers are the parallelism). The
    gazetteer (None for the built-in one, a path or dict extending it, or a
    ``Gazetteer``) is loaded and compiled once per worker process, cached by
    its content. Columns as :func:`analysis.extract_mentions`.
    """
    import dask

    spec = str(gazetteer) if isinstance(gazetteer, Path) else gazetteer
    if isinstance(spec, str):
        spec = str(Path(spec).resolve())
    key = gazetteer_key(spec)
    with dask.config.set({"dataframe.convert-string": False}):
        return articles.map_partitions(_mentions_of, key, spec, meta=_mentions_meta(), enforce_metadata=False)


# --------------------------------------------------------------------------- per-partition counts
def _group_cols(by) -> list[str]:
    if by is None:
        return []
    if isinstance(by, str):
        by = [b.strip() for b in by.split(",") if b.strip()]
    return [g for g in ("period", "outlet") if g in list(by)]


def _spec_key(kind: str, spec: dict) -> str:
    return kind + json.dumps(spec, sort_keys=True, default=str)


def _partition_tables(articles: pd.DataFrame, mentions: pd.DataFrame, requests: list) -> dict:
    """Tidy count tables of one partition for every request."""
    out = {}
    windows = None
    words = count_words(articles) if any(kind in ("coverage", "rate_boot") for kind, _ in requests) else None  # once
    for kind, spec in requests:
        key = _spec_key(kind, spec)
        if kind == "comention":
            if spec["level"] != "article" and windows is None:
                windows = count_windows(articles)
            kw = dict(level=spec["level"], by=spec["by"], freq=spec["freq"], resolve=spec["resolve"], windows=windows)
            cols = _group_cols(spec["by"])
            pairs = _count_comentions_mem(mentions=mentions, articles=articles, min_count=1, **kw)
            # every (group, entity) with the sentinel entity: entity counts and every group's windows at once
            seen = sorted(set(resolve_entities(mentions, spec["resolve"]).tolist())) if len(mentions) else []
            grid = count_entities(mentions=mentions, articles=articles, entities=[*seen, _SENTINEL], **kw)
            ents = grid[(grid["n"] > 0) & (grid["entity"] != _SENTINEL)]
            groups = grid[grid["entity"] == _SENTINEL]
            out[key + "|pairs"] = pairs[cols + ["entity_a", "entity_b", "n_ab"]].astype({c: object for c in cols + [
                "entity_a", "entity_b"]})
            out[key + "|entities"] = ents[cols + ["entity", "n"]].astype({c: object for c in cols + ["entity"]})
            out[key + "|windows"] = groups[cols + ["n_windows"]].astype({c: object for c in cols})
        elif kind == "coverage":
            cov = _coverage_mem(articles=articles, mentions=mentions, focus=spec["focus"], freq=spec["freq"],
                                by=spec["by"], resolve=spec["resolve"], words=words)
            cols = ["period"] + [c for c in _group_cols(spec["by"]) if c != "period"]
            out[key] = cov[cols + ["entity", "n_articles", "n_with", "n_mentions", "n_words"]].astype(
                {c: object for c in cols + ["entity"]})
        elif kind == "keyness":
            out.update(_keyness_tables(articles, mentions, key, spec))
        elif kind == "triangle":
            if spec["level"] != "article" and windows is None:
                windows = count_windows(articles)
            tri = focus_triangle(articles=articles, mentions=mentions, focus=spec["focus"], level=spec["level"],
                                 freq=spec["freq"], resolve=spec["resolve"],
                                 windows=windows if spec["level"] != "article" else None)
            labels = ["pair", "period", "entity_a", "entity_b", "level"]
            out[key] = tri[labels + ["n_ab", "n_a", "n_b", "n_windows"]].astype({c: object for c in labels})
        elif kind == "profile":
            out.update(_profile_tables(articles, mentions, key))
        elif kind == "rate_boot":
            from analysis.stats.rates import poisson_rate_sums

            sums = poisson_rate_sums(articles=articles, mentions=mentions, focus=spec["focus"],
                                     resolve=spec["resolve"], n_resamples=spec["n_resamples"], seed=spec["seed"],
                                     words=words)
            table = pd.DataFrame({"resample": np.arange(len(sums["words"])), "n_words": sums["words"]})
            for k, e in enumerate(sums["focus"]):
                table[f"n_mentions|{e}"] = sums["mentions"][:, k]
            out[key] = table
        else:  # pragma: no cover - guarded by count_tables
            raise ValueError(kind)
    return out


def _keyness_tables(articles: pd.DataFrame, mentions: pd.DataFrame, key: str, spec: dict) -> dict:
    """One partition's keyness counts, by the counting half of :func:`analysis.keyness`
    (:meth:`~analysis.measures.keywords.KeynessIndex.keyness_counts`, ``min_count=1``): per term
    ``n_target``, ``n_reference``; the spellings shown (weighted by the term's count); the target's
    name tokens; token and document totals. The reference is ``rest`` or ``focus`` (the articles
    mentioning another focus entity and not the target). A partition without target articles (or
    without reference articles) gets an empty stand-in article so that the counting can run: an
    empty text adds no token, and the stand-ins are taken off the document counts."""
    from analysis.measures.keywords import keyness_index

    targets = spec["target"]
    reference = spec.get("reference", "rest")
    others = [f for f in spec.get("focus") or () if f not in targets]
    ent = resolve_entities(mentions, spec["resolve"]) if len(mentions) else pd.Series([], dtype=object)
    mid = mentions["article_id"].astype(str)
    ids = articles["article_id"].astype(str)
    in_target = ids.isin(set(mid[ent.isin(targets).to_numpy()])) if len(mentions) else pd.Series(False, index=ids.index)
    if reference == "focus":
        in_ref = ids.isin(set(mid[ent.isin(others).to_numpy()])) & ~in_target if len(mentions) else in_target
        has_ref = bool(in_ref.any())
    else:
        has_ref = bool((~in_target).any())
    arts, men = articles, mentions
    blank = {c: "" if c in ("title", "text") else None for c in articles.columns}
    stand_ins = []
    for side, needed, entity in (("t", not in_target.any(), targets[0]),
                                 ("r", not has_ref, others[0] if reference == "focus" and others else None)):
        if not needed:
            continue
        stand_ins.append(side)
        arts = pd.concat([arts, pd.DataFrame([{**blank, "article_id": _SENTINEL + side}])], ignore_index=True)
        if entity is not None:
            row = {c: None for c in mentions.columns}
            row.update({"article_id": _SENTINEL + side, "field": "text", "paragraph": 0, "sentence": 0,
                        "entity_id": entity, "entity_type": "country", "country": entity, "mention_kind": "name",
                        "start": 0, "end": 0, "surface": ""})
            men = pd.concat([men, pd.DataFrame([row]).astype({c: mentions[c].dtype for c in
                                                              ("paragraph", "sentence", "start", "end")
                                                              if c in mentions.columns})], ignore_index=True)
    index = keyness_index(arts, tuple(f for f in spec["fields"] if f in arts.columns))
    kt = index.keyness_counts(men, targets, resolve=spec["resolve"], min_count=1, exclude_names=spec["exclude_names"],
                              stopwords=spec["stopwords"], reference=reference,
                              focus=spec.get("focus"))  # counted, not scored (scored once on the sums)
    n_t = int(kt["n_docs_target"]) - ("t" in stand_ins)
    n_r = int(kt["n_docs_reference"]) - ("r" in stand_ins)
    a, b = kt["a"].astype(np.int64), kt["b"].astype(np.int64)
    terms = pd.DataFrame({"term": np.asarray(kt["terms"], dtype=object), "n_target": a, "n_reference": b})
    spell = pd.DataFrame({"term": np.asarray(kt["terms"], dtype=object),
                          "surface": np.asarray(kt["surfaces"], dtype=object), "n_weight": a + b})
    names = pd.DataFrame({"term": pd.Series(list(kt["names_excluded"]), dtype=object)})
    names["n_name"] = np.ones(len(names), dtype=np.int64)
    totals = pd.DataFrame({"n_tokens_target": [int(kt["c"])], "n_tokens_reference": [int(kt["d"])],
                           "n_docs_target": [n_t], "n_docs_reference": [n_r]})
    return {key + "|terms": terms, key + "|surfaces": spell, key + "|names": names, key + "|totals": totals,
            key + "|source": pd.DataFrame({"stopwords": [kt["stopwords_source"]], "n_parts": [1]})}


_NO_OUTLET = "\x00no-outlet"


def _profile_tables(articles: pd.DataFrame, mentions: pd.DataFrame, key: str) -> dict:
    """One partition's corpus profile: articles per (outlet, UTC day) (``day`` "" when undated; a
    missing outlet as a sentinel), per category, per date field; mentions and articles with mentions."""
    pub = pd.to_datetime(articles["published"], utc=True, errors="coerce")
    day = pub.dt.strftime("%Y-%m-%d").fillna("").astype(object)
    outlet = articles["outlet"].astype(object).where(articles["outlet"].notna(), _NO_OUTLET).astype(str)
    days = (pd.DataFrame({"outlet": outlet.to_numpy(dtype=object), "day": day.to_numpy(dtype=object)})
            .groupby(["outlet", "day"], sort=True).size().rename("n_articles").reset_index())
    out = {key + "|days": days.astype({"outlet": object, "day": object, "n_articles": np.int64})}
    for part, col in (("categories", "category"), ("date_fields", "date_field")):
        if col in articles.columns:
            v = articles[col].astype(object)
            vals = pd.DataFrame({col: v.where(v.notna(), _NO_OUTLET).astype(str).to_numpy(dtype=object)})
        else:
            vals = pd.DataFrame({col: pd.Series([], dtype=object)})
        out[key + "|" + part] = vals.groupby(col, sort=True).size().rename("n_articles").reset_index() \
            .astype({col: object, "n_articles": np.int64})
    ids = set(articles["article_id"].astype(str))
    mid = mentions["article_id"].astype(str) if len(mentions) else pd.Series([], dtype=str)
    mid = mid[mid.isin(ids)]
    out[key + "|mentions"] = pd.DataFrame({"n_mentions": [int(len(mid))], "n_with_mentions": [int(mid.nunique())]})
    return out


def _profile_result(tables: dict, key: str) -> dict:
    """The summed corpus profile: ``days`` (outlet, day, n_articles; ``outlet`` None when missing),
    ``categories`` (category, n_articles; None when missing), ``date_fields`` (date_field,
    n_articles), ``n_mentions``, ``n_with_mentions``."""
    out = {}
    for part, col in (("days", "outlet"), ("categories", "category"), ("date_fields", "date_field")):
        t = tables[key + "|" + part].copy()
        t[col] = t[col].astype(object).where(t[col] != _NO_OUTLET, None)
        out[part] = t.reset_index(drop=True)
    m = tables[key + "|mentions"]
    out["n_mentions"] = int(m["n_mentions"].sum()) if len(m) else 0
    out["n_with_mentions"] = int(m["n_with_mentions"].sum()) if len(m) else 0
    return out


def _triangle_result(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`analysis.focus_triangle` from summed counts (measures and ``share_ab`` once, on the sums)."""
    from analysis.measures.cooccurrence import add_measures, finish_table

    out = table.copy()
    for c in ("n_ab", "n_a", "n_b", "n_windows"):
        out[c] = out[c].astype(np.int64)
    add_measures(out)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share_ab"] = np.where(out["n_windows"] > 0, out["n_ab"] / out["n_windows"], np.nan)
    cols = ["pair", "period", "entity_a", "entity_b", "level", "n_ab", "n_a", "n_b", "n_windows",
            *[c for c in out.columns if c not in ("pair", "period", "entity_a", "entity_b", "level", "n_ab", "n_a",
                                                 "n_b", "n_windows")]]
    return finish_table(out[cols], ["period", "pair"])


def _keyness_result(tables: dict, key: str, spec: dict) -> pd.DataFrame:
    """The keyness table from summed counts, scored by :func:`analysis.measures.keywords.score_keyness`
    (the scorer of :func:`analysis.keyness`)."""
    from analysis.measures.keywords import score_keyness

    terms, spell, names, totals = (tables[key + s] for s in ("|terms", "|surfaces", "|names", "|totals"))
    name_set = set(names["term"].tolist()) if spec["exclude_names"] else set()
    terms = terms[~terms["term"].isin(name_set)]
    terms = terms[(terms["n_target"] + terms["n_reference"]) >= int(spec["min_count"])]
    terms = terms.sort_values("term", kind="mergesort")
    best = spell.sort_values(["term", "n_weight", "surface"], ascending=[True, False, True],
                             kind="mergesort").drop_duplicates("term").set_index("term")["surface"]
    src = tables[key + "|source"]["stopwords"]
    return score_keyness(
        terms["term"].to_numpy(dtype=object), best.reindex(terms["term"]).to_numpy(dtype=object),
        terms["n_target"].to_numpy(dtype=float), terms["n_reference"].to_numpy(dtype=float),
        float(totals["n_tokens_target"].sum()), float(totals["n_tokens_reference"].sum()), spec["n"],
        targets=list(spec["target"]), n_docs_target=int(totals["n_docs_target"].sum()),
        n_docs_reference=int(totals["n_docs_reference"].sum()),
        stopwords_source=str(src.iloc[0]) if len(src) else None, names_excluded=sorted(name_set),
        reference=spec.get("reference", "rest"))


def _label_cols(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if not c.startswith("n")]


def _combine(parts: list[dict]) -> dict:
    """Sum the count tables of several partitions (groupby-sum on the label columns)."""
    out = {}
    for key in parts[0]:
        tables = [p[key] for p in parts if len(p[key])]
        if not tables:
            out[key] = parts[0][key]
            continue
        df = pd.concat(tables, ignore_index=True)
        labels = _label_cols(df)
        if labels:
            df = df.groupby(labels, sort=True, dropna=False).sum().reset_index()
        else:
            df = df.sum().to_frame().T.astype(np.int64)
        out[key] = df
    return out


def reduce_tree(items: list, combine=_combine):
    """The delayed per-partition results added in a tree of fan-in ``_FAN_IN`` (one delayed):
    ``combine`` takes a list of them (default: count tables, summed by label)."""
    import dask

    combine = dask.delayed(combine, pure=True)
    while len(items) > 1:
        items = [combine(items[i:i + _FAN_IN]) for i in range(0, len(items), _FAN_IN)]
    return items[0] if len(items) == 1 else combine(items)


# --------------------------------------------------------------------------- counts -> measures
def _finish(out: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    for c in STRING_COLUMNS:
        if c in out.columns:
            out[c] = out[c].astype(str)
    return out.sort_values(order, kind="mergesort").reset_index(drop=True)


def _comention_result(tables: dict, key: str, spec: dict) -> pd.DataFrame:
    cols = _group_cols(spec["by"])
    pairs, ents, wins = (tables[key + s] for s in ("|pairs", "|entities", "|windows"))
    pairs = pairs[pairs["n_ab"] >= int(spec["min_count"])]
    n = ents.rename(columns={"entity": "entity_a", "n": "n_a"})
    out = pairs.merge(n, on=cols + ["entity_a"], how="left")
    out = out.merge(ents.rename(columns={"entity": "entity_b", "n": "n_b"}), on=cols + ["entity_b"], how="left")
    out = out.merge(wins, on=cols, how="left") if cols else out.assign(
        n_windows=int(wins["n_windows"].sum()) if len(wins) else 0)
    res = pd.DataFrame({"entity_a": out["entity_a"].to_numpy(dtype=object),
                        "entity_b": out["entity_b"].to_numpy(dtype=object), "level": spec["level"]})
    for c in cols:
        res[c] = out[c].to_numpy(dtype=object)
    for c in ("n_ab", "n_a", "n_b", "n_windows"):
        res[c] = out[c].to_numpy(dtype=np.int64)
    meas = association_measures(res["n_ab"], res["n_a"], res["n_b"], res["n_windows"])
    for c in MEASURES:
        res[c] = meas[c].to_numpy()
    res = _finish(res, cols + ["entity_a", "entity_b"])
    freq = str(spec["freq"]).upper()
    freq = {"MS": "M", "ME": "M", "W-MON": "W", "A": "Y", "YS": "Y", "QS": "Q"}.get(freq, freq)
    res.attrs.update({"level": spec["level"], "by": cols, "freq": freq, "resolve": spec["resolve"],
                      "min_count": int(spec["min_count"])})
    return res


def _coverage_result(table: pd.DataFrame, spec: dict) -> pd.DataFrame:
    cols = ["period"] + [c for c in _group_cols(spec["by"]) if c != "period"]
    out = table.copy()
    for c in ("n_articles", "n_with", "n_mentions", "n_words"):
        out[c] = out[c].astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share"] = np.where(out["n_articles"] > 0, out["n_with"] / out["n_articles"], np.nan)
        out["per_1k_words"] = np.where(out["n_words"] > 0, 1000.0 * out["n_mentions"] / out["n_words"], np.nan)
    out["share_low"], out["share_high"] = wilson_interval(out["n_with"], out["n_articles"])
    order = cols + ["entity", "n_articles", "n_with", "share", "share_low", "share_high", "n_mentions", "n_words",
                    "per_1k_words"]
    return _finish(out[order], cols + ["entity"])


# --------------------------------------------------------------------------- public
def comention_request(level="sentence", by=None, freq="M", resolve=None, min_count=1) -> tuple:
    if int(min_count) < 1:
        raise ValueError(f"min_count must be >= 1; got {min_count!r}")
    if level not in ("sentence", "paragraph", "article"):
        raise ValueError(f"level must be one of sentence, paragraph, article; got {level!r}")
    return ("comention", {"level": level, "by": _group_cols(by), "freq": freq, "resolve": resolve,
                          "min_count": int(min_count)})


def coverage_request(focus=FOCUS, freq="M", by=None, resolve=None) -> tuple:
    return ("coverage", {"focus": [str(f) for f in focus], "freq": freq, "by": _group_cols(by), "resolve": resolve})


def keyness_request(target, resolve=None, fields=("title", "text"), min_count: int = 5, exclude_names: bool = True,
                    stopwords=None, n: int | None = None, reference: str = "rest", focus=None) -> tuple:
    """:func:`analysis.keyness` of ``target`` against ``reference`` ``"rest"`` or ``"focus"`` (the
    articles mentioning another of ``focus`` and not the target), counted per partition and summed."""
    targets = [target] if isinstance(target, str) else [str(t) for t in target]
    if reference not in ("rest", "focus"):
        raise ValueError(f"reference must be 'rest' or 'focus' on Dask; got {reference!r}")
    others = [str(f) for f in focus or () if str(f) not in targets]
    if reference == "focus" and not others:
        raise ValueError("reference='focus' needs focus entities besides the target "
                         f"{', '.join(targets)} (focus={list(focus or ())!r})")
    spec = {"target": targets, "resolve": resolve, "fields": list(fields), "min_count": int(min_count),
            "exclude_names": bool(exclude_names), "stopwords": None if stopwords is None else list(stopwords), "n": n}
    if reference == "focus":  # the rest's requests keep their old keys
        spec.update(reference="focus", focus=[str(f) for f in focus])
    return ("keyness", spec)


def triangle_request(focus=FOCUS, level="sentence", freq="M", resolve=None) -> tuple:
    """:func:`analysis.focus_triangle` (``by=None``), counted per partition and summed."""
    if level not in ("sentence", "paragraph", "article"):
        raise ValueError(f"level must be one of sentence, paragraph, article; got {level!r}")
    return ("triangle", {"focus": [str(f) for f in focus], "level": level, "freq": freq, "resolve": resolve})


def rate_boot_request(focus=FOCUS, resolve=None, n_resamples: int = 1000, seed: int = 0) -> tuple:
    """The interval of mentions per 1,000 words of the whole corpus by a Poisson bootstrap over every
    article (:func:`analysis.stats.rates.poisson_rate_sums`, summed over partitions): ``entity``,
    ``per_1k_words_low``, ``per_1k_words_high``, ``n_resamples``."""
    return ("rate_boot", {"focus": sorted({str(f) for f in focus}), "resolve": resolve,
                          "n_resamples": int(n_resamples), "seed": int(seed)})


def _rate_boot_result(table: pd.DataFrame, spec: dict) -> pd.DataFrame:
    from analysis.stats.rates import poisson_rate_intervals

    t = table.sort_values("resample", kind="mergesort")
    return poisson_rate_intervals({"words": t["n_words"].to_numpy(dtype=float),
                                   "mentions": t[[f"n_mentions|{e}" for e in spec["focus"]]].to_numpy(dtype=float),
                                   "focus": spec["focus"]})


def profile_request() -> tuple:
    """The corpus profile the report's corpus section needs (see :func:`_profile_result`)."""
    return ("profile", {})


def count_tables(articles, mentions, requests: list, progress: bool = True, *, also=()) -> list:
    """Compute several tables in one pass over the corpus.

    ``requests``: a list of ``("comention", {level, by, freq, resolve, min_count})``
    and ``("coverage", {focus, freq, by, resolve})`` (see :func:`comention_request`,
    :func:`coverage_request`). Returns the tables in the same order, each as
    the in-memory function returns it. ``also``: more delayed objects built on the
    same frames (``to_delayed(optimize_graph=False)``) to compute in the same pass;
    their values follow the tables.
    """
    import dask

    from analysis.dask.cluster import compute

    reqs = []
    for kind, spec in requests:
        if kind not in ("comention", "coverage", "keyness", "triangle", "profile", "rate_boot"):
            raise ValueError(f"unknown request {kind!r}: use comention_request() or coverage_request()")
        reqs.append((kind, spec))
    # the partition requests without min_count (counting does not depend on it)
    count_reqs, seen = [], set()
    for kind, spec in reqs:
        cspec = {k: v for k, v in spec.items() if k not in ("min_count", "n")}
        key = _spec_key(kind, cspec)
        if key not in seen:
            seen.add(key)
            count_reqs.append((kind, cspec))
    a_parts = articles.to_delayed(optimize_graph=False)  # unoptimized: the mentions' graph shares the loads
    m_parts = mentions.to_delayed(optimize_graph=False)
    if len(a_parts) != len(m_parts):
        raise ValueError(f"articles and mentions have different partitions ({len(a_parts)} and {len(m_parts)}): "
                         "make the mentions with analysis.dask.extract_mentions(articles)")
    part = dask.delayed(_partition_tables, pure=True)
    tables, *extra = compute(progress, reduce_tree([part(a, m, count_reqs) for a, m in zip(a_parts, m_parts)]), *also)
    out = []
    for kind, spec in reqs:
        cspec = {k: v for k, v in spec.items() if k not in ("min_count", "n")}
        key = _spec_key(kind, cspec)
        if kind == "comention":
            out.append(_comention_result(tables, key, spec))
        elif kind == "coverage":
            out.append(_coverage_result(tables[key], spec))
        elif kind == "triangle":
            out.append(_triangle_result(tables[key]))
        elif kind == "profile":
            out.append(_profile_result(tables, key))
        elif kind == "rate_boot":
            out.append(_rate_boot_result(tables[key], spec))
        else:
            out.append(_keyness_result(tables, key, spec))
    return out + list(extra)


def count_comentions(articles, mentions, level: str = "sentence", by=None, freq: str = "M", resolve=None,
                     min_count: int = 1, progress: bool = True) -> pd.DataFrame:
    """:func:`analysis.count_comentions` of dask frames (computed; same columns and values):
    ``entity_a``, ``entity_b``, ``level``, [``period``], [``outlet``], ``n_ab``, ``n_a``, ``n_b``,
    ``n_windows``, ``pmi``, ``npmi``, ``jaccard``, ``llr``."""
    return count_tables(articles, mentions, [comention_request(level, by, freq, resolve, min_count)], progress)[0]


def coverage(articles, mentions, focus=FOCUS, freq: str | None = "M", by=None, resolve=None,
             progress: bool = True) -> pd.DataFrame:
    """:func:`analysis.coverage` of dask frames (computed; same columns and values): ``period``,
    [``outlet``], ``entity``, ``n_articles``, ``n_with``, ``share``, ``share_low``, ``share_high``,
    ``n_mentions``, ``n_words``, ``per_1k_words``."""
    return count_tables(articles, mentions, [coverage_request(focus, freq, by, resolve)], progress)[0]


def keyness(articles, mentions, target, *, resolve=None, fields=("title", "text"), min_count: int = 5,
            exclude_names: bool = True, stopwords=None, n: int | None = None, reference: str = "rest", focus=None,
            progress: bool = True) -> pd.DataFrame:
    """:func:`analysis.keyness` of dask frames (computed): ``term``, ``surface``, ``n_target``,
    ``n_reference``, ``per_10k_target``, ``per_10k_reference``, ``g2``, ``log_ratio``, ``p_value``.

    ``reference``: ``"rest"`` or ``"focus"`` (with ``focus``), as in :func:`analysis.keyness`; a
    reference corpus is not available here. Each partition is counted by the counting half of
    :func:`analysis.keyness`; its term counts, token totals and the target's name tokens add up,
    and G², the log ratio, p and its Benjamini-Hochberg adjustment are computed once on the sums.
    ``surface`` is the spelling shown most often across partitions (weighted by the term's
    count in each), which can differ from the whole corpus' most frequent spelling.
    """
    return count_tables(articles, mentions, [keyness_request(target, resolve, fields, min_count, exclude_names,
                                                             stopwords, n, reference=reference, focus=focus)],
                        progress)[0]
