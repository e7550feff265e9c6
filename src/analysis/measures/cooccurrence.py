"""The co-occurrence core of the measures: windows x entities incidence, counts, association measures.

Public but internal: :mod:`analysis.measures.comention`, :mod:`analysis.measures.compare`
and :mod:`analysis.measures.keywords` build on it; researchers use those.

A *window* is the unit in which two entities count as mentioned together:

* ``level="sentence"``: one sentence, keyed ``(article_id, field, paragraph, sentence)``;
* ``level="paragraph"``: one paragraph, keyed ``(article_id, field, paragraph)``;
  the title is paragraph 0 of field ``"title"``, so it is a paragraph of its own;
* ``level="article"``: the whole article (title and text), keyed ``article_id``
  (:data:`WINDOW_KEYS`).

:func:`cooccurrence` builds a sparse windows x (group, entity) incidence matrix ``X``
(``scipy.sparse``, one row per window that holds a mention, 1 where the entity is
mentioned at least once): ``X.T @ X`` gives every pair's window count at once and its
diagonal each entity's window count; grouping (by period and/or outlet) puts each
(group, entity) in its own column, so one product serves all groups. No Python loop
runs over pairs or windows. :func:`entity_table` and :func:`pairs_table` read tables
from the result; :func:`association_measures` scores counts (formulas and edge cases:
:mod:`analysis.measures.comention`).

``n_windows`` counts *all* windows of the level in the corpus or group, including
those without any mention: one per article, or the paragraphs / sentences that
:func:`analysis.text.segment.split_sentences` finds in title and text (:func:`count_windows`).

Helpers shared by the measures: :func:`period_labels` (the one ``period`` type: string
labels), :func:`resolve_entities` (roll-up to countries), :func:`require_columns`,
:func:`finish_table`, :func:`articles_and_mentions` (the ``(articles, mentions)``
argument order), :func:`check_by`, :func:`check_freq`, :func:`check_level`.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
import warnings

import numpy as np
import pandas as pd
from scipy import sparse

__all__ = [
    "LEVELS", "WINDOW_KEYS", "GROUPS", "FREQS", "UNDATED", "UNKNOWN_OUTLET", "MEASURES", "WINDOW_COLUMNS",
    "STRING_COLUMNS", "period_labels", "period_start", "check_freq", "check_by", "check_level", "require_columns",
    "finish_table", "resolve_entities", "articles_and_mentions", "count_windows", "Cooccurrence",
    "cooccurrence", "association_measures", "add_measures", "entity_table", "pairs_table",
]

LEVELS = ("sentence", "paragraph", "article")
WINDOW_KEYS = {
    "sentence": ["article_id", "field", "paragraph", "sentence"],
    "paragraph": ["article_id", "field", "paragraph"],
    "article": ["article_id"],
}
GROUPS = ("period", "outlet")
FREQS = ("D", "W", "M", "Q", "Y")
UNDATED = "undated"
UNKNOWN_OUTLET = "unknown"
MEASURES = ["pmi", "npmi", "jaccard", "llr"]
WINDOW_COLUMNS = ["article_id", "field", "n_paragraphs", "n_sentences"]


# --------------------------------------------------------------------------- helpers
def period_labels(published, freq: str = "M") -> pd.Series:
    """Deterministic period labels (strings) for publication timestamps.

    ``freq``: ``"D"`` -> ``"2018-03-05"``, ``"W"`` -> the ISO week's Monday
    ``"2018-03-05"``, ``"M"`` -> ``"2018-03"``, ``"Q"`` -> ``"2018-Q1"``,
    ``"Y"`` -> ``"2018"``. Missing dates (NaT) get ``"undated"``, which sorts
    after every dated label. Labels use the timestamps' own timezone (UTC for
    the loader's output).
    """
    freq = check_freq(freq)
    ts = pd.to_datetime(pd.Series(published), errors="coerce", utc=False)
    if isinstance(ts.dtype, pd.DatetimeTZDtype):
        ts = ts.dt.tz_localize(None)  # keep wall-clock time of the stored zone
    if freq == "W":
        ts = ts.dt.normalize() - pd.to_timedelta(ts.dt.day_of_week, unit="D")
        lab = ts.dt.strftime("%Y-%m-%d")
    elif freq == "Q":
        lab = ts.dt.year.astype("Int64").astype(str) + "-Q" + ts.dt.quarter.astype("Int64").astype(str)
    else:
        lab = ts.dt.strftime({"D": "%Y-%m-%d", "M": "%Y-%m", "Y": "%Y"}[freq])
    lab = lab.astype(object).where(ts.notna(), UNDATED)
    index = published.index if isinstance(published, pd.Series) else None
    return pd.Series(lab.to_numpy(dtype=object), index=index, name="period")


def period_start(labels) -> pd.Series:
    """The first day of every period label of :func:`period_labels` (``"2018-03"`` -> 2018-03-01,
    ``"2018-03-05"`` -> that day, ``"2018-Q2"`` -> 2018-04-01, ``"2018"`` -> 2018-01-01) as Timestamps,
    NaT for ``"undated"`` and ``"all"`` (for charts over time)."""
    s = pd.Series(labels, dtype=object).astype(str)
    q = s.str.fullmatch(r"\d{4}-Q[1-4]")
    s = s.where(~q, s.str[:4] + "-" + ((s.str[-1].where(q, "1").astype(int) - 1) * 3 + 1).astype(str).str.zfill(2))
    s = s.where(s.str.fullmatch(r"\d{4}(-\d{2}){0,2}"))
    out = pd.to_datetime(s, errors="coerce", format="mixed")
    return pd.Series(out.to_numpy(), index=labels.index if isinstance(labels, pd.Series) else None, name="period")


def check_freq(freq: str) -> str:
    """The period length code (D, W, M, Q, Y) of ``freq``; pandas aliases such as ``"MS"`` accepted."""
    f = str(freq).upper()
    f = {"MS": "M", "ME": "M", "W-MON": "W", "A": "Y", "YS": "Y", "QS": "Q"}.get(f, f)
    if f not in FREQS:
        raise ValueError(f"freq must be one of {', '.join(FREQS)}; got {freq!r}")
    return f


def check_by(by) -> list[str]:
    """Grouping columns of ``by`` (None, "period", "outlet", a list or "period,outlet"), period first."""
    if by is None:
        return []
    if isinstance(by, str):
        by = [b.strip() for b in by.split(",") if b.strip()]
    by = list(by)
    bad = [b for b in by if b not in GROUPS]
    if bad:
        raise ValueError(f"by must be None, 'period', 'outlet' or both; got {bad!r}")
    # fixed order: period before outlet, whatever order was given
    return [g for g in GROUPS if g in by]


def check_level(level: str) -> str:
    """``level`` when it is one of :data:`LEVELS`, else a ValueError."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}; got {level!r}")
    return level


def require_columns(df: pd.DataFrame, cols: Iterable[str], what: str) -> None:
    """A ValueError naming the missing columns when ``df`` lacks one of ``cols`` (``what``: the table's name)."""
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"{what} table lacks column(s) {', '.join(missing)}; has {', '.join(map(str, df.columns))}")


STRING_COLUMNS = ("entity_a", "entity_b", "entity", "partner", "pair", "level", "period", "outlet", "phase")


def finish_table(out: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """Label columns as pandas' default string dtype; rows sorted by ``order``."""
    for c in STRING_COLUMNS:
        if c in out.columns:
            out[c] = out[c].astype(str)
    return out.sort_values(order, kind="mergesort").reset_index(drop=True)


def resolve_entities(mentions: pd.DataFrame, resolve: str | None = None) -> pd.Series:
    """The entity each mention counts for.

    ``resolve=None``: ``entity_id`` itself. ``resolve="country"``: persons,
    places and organizations roll up to their ``country`` (putin, moscow ->
    RUS); countries stay themselves; an entity without a country (e.g. the UN)
    stays itself.
    """
    if resolve is None:
        return mentions["entity_id"].astype(str)
    if resolve != "country":
        raise ValueError(f"resolve must be None or 'country'; got {resolve!r}")
    require_columns(mentions, ["entity_id", "entity_type", "country"], "mentions")
    ent = mentions["entity_id"].astype(str).to_numpy(dtype=object)
    country = mentions["country"]
    has = country.notna().to_numpy() & (country.astype(str).str.strip() != "").to_numpy()
    is_country = (mentions["entity_type"].astype(str) == "country").to_numpy()
    out = np.where(has & ~is_country, country.astype(str).to_numpy(dtype=object), ent)
    return pd.Series(out, index=mentions.index, name="entity_id", dtype=object)


def articles_and_mentions(articles: pd.DataFrame, mentions: pd.DataFrame, caller: str):
    """``(articles, mentions)``, the argument order of every measure that takes both tables.

    Tables passed the other way round (the order of ``count_comentions``, ``focus_triangle``
    and ``event_change`` before version 0.2), recognized by their columns (a mentions
    table has ``entity_id``, an articles table has not), are swapped back with a
    ``FutureWarning``; anything else that is not two DataFrames is a TypeError.
    """
    for name, df in (("articles", articles), ("mentions", mentions)):
        if not isinstance(df, pd.DataFrame):
            raise TypeError(f"{caller}: {name} must be a DataFrame, got {type(df).__name__}")
    if "entity_id" in articles.columns and "entity_id" not in mentions.columns:
        warnings.warn(f"{caller}(articles, mentions, ...): the tables were given as (mentions, articles); "
                      "pass articles first (or by keyword)", FutureWarning, stacklevel=3)
        return mentions, articles
    return articles, mentions


# --------------------------------------------------------------------------- windows
_CHUNK_CHARS = 4_000_000  # characters per vectorized batch (bounds the memory of count_windows)


def count_windows(articles: pd.DataFrame, fields: Sequence[str] = ("title", "text"), progress: bool = False) -> pd.DataFrame:
    """Number of paragraphs and sentences in each article's title and text.

    Returns one row per (article, field): ``article_id``, ``field``,
    ``n_paragraphs``, ``n_sentences``, as
    :func:`analysis.text.segment.split_sentences` finds them (the segmentation
    :func:`analysis.extract_mentions` uses, so window ids agree): counted for
    all texts at once by :func:`analysis.text.segment.sentence_counts`
    (tested equal to the segmenter on the sample corpus and the ANT corpus).
    An empty field has 0 of both; a one-line title is one paragraph
    (paragraph 0). Pass the result as ``windows=`` to
    :func:`analysis.count_comentions` to skip even this. ``progress`` is accepted for
    symmetry with the other measures (the count takes about a second on 90 MB of text).
    """
    from analysis.text.segment import sentence_counts

    require_columns(articles, ["article_id"], "articles")
    ids = articles["article_id"].astype(str).to_numpy()
    rows_id, rows_field, n_par, n_sent = [], [], [], []
    for field in fields:
        if field not in articles.columns:
            continue
        p, s = sentence_counts(articles[field].astype(object).tolist(), chunk_chars=_CHUNK_CHARS)
        rows_id.append(ids)
        rows_field.append(np.full(len(ids), field, dtype=object))
        n_par.append(p)
        n_sent.append(s)
    if not rows_id:
        return pd.DataFrame({c: pd.Series([], dtype=object).astype(str) if c in ("article_id", "field")
                             else pd.Series([], dtype=np.int64) for c in WINDOW_COLUMNS})
    return pd.DataFrame(
        {
            "article_id": pd.Series(np.concatenate(rows_id), dtype=object).astype(str),
            "field": pd.Series(np.concatenate(rows_field), dtype=object).astype(str),
            "n_paragraphs": np.concatenate(n_par).astype(np.int64),
            "n_sentences": np.concatenate(n_sent).astype(np.int64),
        }
    )


def _windows_per_article(
    articles_ids: pd.Index, mentions: pd.DataFrame, level: str, windows: pd.DataFrame | None, articles: pd.DataFrame
) -> np.ndarray:
    """Windows of ``level`` in each article (aligned with ``articles_ids``)."""
    if level == "article":
        return np.ones(len(articles_ids), dtype=np.int64)
    if windows is None:
        windows = count_windows(articles)
    require_columns(windows, WINDOW_COLUMNS, "windows")
    col = "n_sentences" if level == "sentence" else "n_paragraphs"
    w = windows.assign(article_id=windows["article_id"].astype(str), field=windows["field"].astype(str))
    per_field = w.groupby(["article_id", "field"], sort=False)[col].sum()
    # guard: never fewer windows than distinct mention windows in that (article, field)
    if len(mentions):
        keys = WINDOW_KEYS[level]
        seen = mentions[keys].astype({"article_id": str, "field": str}).drop_duplicates()
        seen_n = seen.groupby(["article_id", "field"], sort=False).size()
        both = pd.concat([per_field.rename("seg"), seen_n.rename("seen")], axis=1).fillna(0)
        short = both["seen"] > both["seg"]
        if short.any():
            warnings.warn(
                f"{int(short.sum())} (article, field) hold more {level} windows with mentions than "
                f"the segmentation counts; using the larger count there (windows table out of date?)",
                stacklevel=4,
            )
        per_field = both.max(axis=1)
    per_article = per_field.groupby(level=0, sort=False).sum()
    return per_article.reindex(articles_ids).fillna(0).to_numpy(dtype=np.int64)


# --------------------------------------------------------------------------- core
@dataclass(frozen=True)
class Cooccurrence:
    """Sparse co-occurrence counts for all groups at once (what :func:`cooccurrence` returns)."""

    group_cols: list[str]
    groups: pd.DataFrame  # one row per group code: group columns + n_windows
    col_group: np.ndarray  # per column: group code
    col_entity: np.ndarray  # per column: entity id (object)
    n_entity: np.ndarray  # per column: windows mentioning the entity (diagonal of XtX)
    pair_i: np.ndarray  # upper-triangle entries (column indices, i < j, same group)
    pair_j: np.ndarray
    n_ab: np.ndarray


def cooccurrence(
    articles: pd.DataFrame,
    mentions: pd.DataFrame,
    level: str = "sentence",
    by=None,
    freq: str = "M",
    resolve: str | None = None,
    windows: pd.DataFrame | None = None,
    custom: dict | None = None,
) -> Cooccurrence:
    """Window counts of every entity and every pair of entities, per group.

    ``level``, ``by``, ``freq``, ``resolve``, ``windows``: as in
    :func:`analysis.count_comentions`. ``custom``: extra grouping columns
    ``{name: values aligned with articles}``, placed before ``by``'s (coverage groups by
    its own period labels this way, event_change by phase).
    """
    level = check_level(level)
    custom = dict(custom or {})
    group_cols = list(custom) + check_by(by)
    freq = check_freq(freq)
    require_columns(mentions, WINDOW_KEYS[level] + ["entity_id"], "mentions")
    require_columns(articles, ["article_id"] + [{"period": "published"}.get(c, c) for c in group_cols
                                                if c not in custom], "articles")

    art_ids = pd.Index(articles["article_id"].astype(str))
    if art_ids.has_duplicates:
        dup = art_ids[art_ids.duplicated()].unique()[:5].tolist()
        raise ValueError(f"articles table has duplicate article_id values, e.g. {dup}")
    m_art = mentions["article_id"].astype(str)
    pos = art_ids.get_indexer(m_art)
    if (pos < 0).any():
        bad = pd.unique(m_art[pos < 0])[:5].tolist()
        raise ValueError(
            f"{int((pos < 0).sum())} mention(s) refer to article ids not in the articles table, e.g. {bad}"
        )

    # group of each article
    gframe = pd.DataFrame({k: np.asarray(v, dtype=object) for k, v in custom.items()}, index=range(len(art_ids)))
    if "period" in group_cols and "period" not in custom:
        gframe["period"] = period_labels(articles["published"], freq).to_numpy()
    if "outlet" in group_cols and "outlet" not in custom:
        gframe["outlet"] = articles["outlet"].astype(object).where(articles["outlet"].notna(), UNKNOWN_OUTLET).astype(str).to_numpy()
    if group_cols:
        art_group, uniq = pd.MultiIndex.from_frame(gframe[group_cols]).factorize(sort=True)
        groups = pd.DataFrame({c: uniq.get_level_values(k).to_numpy(dtype=object) for k, c in enumerate(group_cols)})
    else:
        art_group = np.zeros(len(art_ids), dtype=np.int64)
        groups = pd.DataFrame(index=[0])
    n_groups = len(groups)
    nwin_art = _windows_per_article(art_ids, mentions, level, windows, articles)
    groups["n_windows"] = np.bincount(art_group, weights=nwin_art, minlength=n_groups).astype(np.int64)

    entity = resolve_entities(mentions, resolve).to_numpy(dtype=object)
    if len(mentions) == 0:
        empty = np.array([], dtype=np.int64)
        return Cooccurrence(group_cols, groups, empty, np.array([], dtype=object), empty, empty, empty, empty)

    ent_code, ent_uniq = pd.factorize(entity, sort=True)
    n_ent = len(ent_uniq)
    keys = WINDOW_KEYS[level]
    win_frame = mentions[keys].copy()
    win_frame["article_id"] = m_art.to_numpy()
    win_code = win_frame.groupby(keys, sort=False, dropna=False).ngroup().to_numpy()
    m_group = art_group[pos]
    # one column per (group, entity), ordered by group then entity id
    col_key = m_group.astype(np.int64) * n_ent + ent_code
    col_code, col_uniq = pd.factorize(col_key, sort=True)
    n_win = int(win_code.max()) + 1
    X = sparse.csr_matrix(
        (np.ones(len(win_code), dtype=np.int64), (win_code, col_code)), shape=(n_win, len(col_uniq))
    )
    X.data[:] = 1  # a window counts once however often a name repeats in it
    C = (X.T @ X).tocoo()
    upper = C.row < C.col
    col_uniq = np.asarray(col_uniq, dtype=np.int64)
    return Cooccurrence(
        group_cols=group_cols,
        groups=groups,
        col_group=col_uniq // n_ent,
        col_entity=np.asarray(ent_uniq, dtype=object)[col_uniq % n_ent],
        n_entity=np.asarray(X.sum(axis=0)).ravel().astype(np.int64),
        pair_i=C.row[upper].astype(np.int64),
        pair_j=C.col[upper].astype(np.int64),
        n_ab=C.data[upper].astype(np.int64),
    )


def association_measures(n_ab, n_a, n_b, n_windows) -> pd.DataFrame:
    """PMI, NPMI, Jaccard and signed Dunning G² for arrays of counts.

    Returns a DataFrame with columns ``pmi``, ``npmi``, ``jaccard``, ``llr``.
    Conventions for the edge cases are those of :mod:`analysis.measures.comention`:
    ``n_ab = 0`` -> pmi -inf, npmi -1; ``n_ab = n_windows`` -> npmi 1;
    ``n_a = 0`` or ``n_b = 0`` -> pmi/npmi NaN, llr 0; ``n_windows = 0`` -> NaN.
    """
    k11 = np.asarray(n_ab, dtype=float)
    na = np.asarray(n_a, dtype=float)
    nb = np.asarray(n_b, dtype=float)
    N = np.asarray(n_windows, dtype=float)
    k11, na, nb, N = np.broadcast_arrays(*np.atleast_1d(k11, na, nb, N))
    if np.any(k11 > np.minimum(na, nb)) or np.any(na + nb - k11 > N):
        raise ValueError("inconsistent counts: need n_ab <= min(n_a, n_b) and n_a + n_b - n_ab <= n_windows")
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(k11) + np.log(N) - np.log(na) - np.log(nb)
        npmi = pmi / -np.log(k11 / N)
        npmi = np.where(k11 == 0, -1.0, npmi)
        npmi = np.where((k11 == N) & (N > 0), 1.0, npmi)
        absent = (na == 0) | (nb == 0)
        pmi = np.where(absent, np.nan, pmi)
        npmi = np.where(absent, np.nan, np.clip(npmi, -1.0, 1.0))
        union = na + nb - k11
        jaccard = np.where(union > 0, k11 / union, np.nan)

        k12, k21 = na - k11, nb - k11
        k22 = N - na - nb + k11
        expected = na * nb / N

        def xlogx(x):
            return np.where(x > 0, x * np.log(np.where(x > 0, x, 1.0)), 0.0)

        g2 = 2.0 * (
            xlogx(k11) + xlogx(k12) + xlogx(k21) + xlogx(k22)
            - xlogx(na) - xlogx(N - na) - xlogx(nb) - xlogx(N - nb)
            + xlogx(N)
        )
        g2 = np.maximum(g2, 0.0)
        llr = np.sign(k11 - expected) * g2
        llr = np.where(absent, 0.0, llr)
    empty = N == 0
    out = pd.DataFrame({"pmi": pmi, "npmi": npmi, "jaccard": jaccard, "llr": llr})
    out.loc[empty, :] = np.nan
    return out


def add_measures(out: pd.DataFrame) -> None:
    """Add the association measures of a counts table in place."""
    meas = association_measures(out["n_ab"], out["n_a"], out["n_b"], out["n_windows"])
    for c in MEASURES:
        out[c] = meas[c].to_numpy()



# --------------------------------------------------------------------------- tables
def entity_table(co: Cooccurrence, level: str, entities=None) -> pd.DataFrame:
    """Windows mentioning each entity: ``entity``, ``level``, [group columns], ``n``, ``n_windows``;
    with ``entities``, only those, each in every group (``n = 0`` where absent). Sorted by group, entity."""
    seen = pd.DataFrame({"g": co.col_group, "entity": co.col_entity, "n": co.n_entity})
    if entities is not None:
        ent = sorted(set(map(str, entities)))
        grid = pd.MultiIndex.from_product([range(len(co.groups)), ent], names=["g", "entity"]).to_frame(index=False)
        seen = grid.merge(seen, on=["g", "entity"], how="left")
        seen["n"] = seen["n"].fillna(0).astype(np.int64)
    g = seen["g"].to_numpy(dtype=np.int64)
    out = pd.DataFrame({"entity": seen["entity"].to_numpy(dtype=object)})
    out["level"] = pd.Series([level] * len(out), dtype=object)
    for c in co.group_cols:
        out[c] = co.groups[c].to_numpy(dtype=object)[g]
    out["n"] = seen["n"].to_numpy(dtype=np.int64)
    out["n_windows"] = co.groups["n_windows"].to_numpy(dtype=np.int64)[g]
    return finish_table(out, co.group_cols + ["entity"])


def pairs_table(co: Cooccurrence, level: str, pairs: Sequence[tuple[str, str]]) -> pd.DataFrame:
    """Counts and measures for the given pairs in every group, zeros included."""
    pairs = sorted({tuple(sorted((str(a), str(b)))) for a, b in pairs if str(a) != str(b)})
    ent = pd.DataFrame({"g": co.col_group, "entity": co.col_entity, "n": co.n_entity})
    ab = pd.DataFrame(
        {
            "g": co.col_group[co.pair_i],
            "entity_a": co.col_entity[co.pair_i],
            "entity_b": co.col_entity[co.pair_j],
            "n_ab": co.n_ab,
        }
    )
    grid = pd.DataFrame(
        [(g, a, b) for g in range(len(co.groups)) for a, b in pairs], columns=["g", "entity_a", "entity_b"]
    ).astype({"g": np.int64, "entity_a": object, "entity_b": object})
    grid = grid.merge(ab, on=["g", "entity_a", "entity_b"], how="left")
    grid = grid.merge(ent.rename(columns={"entity": "entity_a", "n": "n_a"}), on=["g", "entity_a"], how="left")
    grid = grid.merge(ent.rename(columns={"entity": "entity_b", "n": "n_b"}), on=["g", "entity_b"], how="left")
    g = grid["g"].to_numpy(dtype=np.int64)
    out = pd.DataFrame(
        {"entity_a": grid["entity_a"].to_numpy(dtype=object), "entity_b": grid["entity_b"].to_numpy(dtype=object)}
    )
    out["level"] = pd.Series([level] * len(out), dtype=object)
    for c in co.group_cols:
        out[c] = co.groups[c].to_numpy(dtype=object)[g]
    for c in ("n_ab", "n_a", "n_b"):
        out[c] = grid[c].fillna(0).to_numpy(dtype=np.int64)
    out["n_windows"] = co.groups["n_windows"].to_numpy(dtype=np.int64)[g]
    add_measures(out)
    return finish_table(out, co.group_cols + ["entity_a", "entity_b"])


