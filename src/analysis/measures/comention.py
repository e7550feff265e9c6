"""Co-mentions: which entities are mentioned together, in which windows, how strongly.

A *window* is the unit in which two entities count as mentioned together:

* ``level="sentence"``: one sentence, keyed ``(article_id, field, paragraph, sentence)``;
* ``level="paragraph"``: one paragraph, keyed ``(article_id, field, paragraph)``;
  the title is paragraph 0 of field ``"title"``, so it is a paragraph of its own;
* ``level="article"``: the whole article (title and text), keyed ``article_id``.

Counts are built from a sparse windows x entities incidence matrix ``X``
(``scipy.sparse``, one row per window that holds a mention, 1 where the entity
is mentioned at least once): ``X.T @ X`` gives every pair's window count at once
and its diagonal gives each entity's window count. Grouping (by period and/or
outlet) puts each (group, entity) in its own column, so one product serves all
groups. No Python loop runs over pairs or windows.

``n_windows`` counts *all* windows of the level in the corpus or group,
including those without any mention: one per article, or the number of
paragraphs / sentences found by :func:`analysis.text.segment.split_sentences` in
title and text (see :func:`count_windows`).

Association measures (natural logarithms), with ``N = n_windows``:

* ``pmi   = ln(n_ab * N / (n_a * n_b))``
* ``npmi  = pmi / -ln(n_ab / N)``, in [-1, 1] (Bouma 2009)
* ``jaccard = n_ab / (n_a + n_b - n_ab)``
* ``llr`` = Dunning's log-likelihood ratio G² of the 2 x 2 table
  (both / a only / b only / neither), ``2 * sum(O * ln(O / E))`` with
  ``0 * ln 0 = 0``, *signed*: positive when ``n_ab`` exceeds its expected value
  ``n_a * n_b / N``, negative when below, 0 when equal.

Edge cases (documented conventions, see :func:`association_measures`):

* ``n_ab = 0`` (only in zero-filled tables such as :func:`comention_matrix` or
  :func:`analysis.focus_triangle`): ``pmi = -inf``, ``npmi = -1``, ``jaccard = 0``.
* ``n_ab = N`` (both entities in every window): ``pmi = 0`` and ``npmi = 1``
  (perfect co-occurrence; the formula gives 0/0).
* ``n_a = 0`` or ``n_b = 0`` (an entity absent from the group): ``pmi`` and
  ``npmi`` are NaN, ``llr = 0``, ``jaccard = 0`` (NaN when both are absent).
* ``N = 0`` (empty group): every measure NaN.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
import importlib
from pathlib import Path
import warnings

import numpy as np
import pandas as pd
from scipy import sparse

__all__ = [
    "count_comentions",
    "comention_matrix",
    "comention_graph",
    "write_graphml",
    "count_windows",
    "count_entities",
    "association_measures",
    "period_labels",
    "resolve_entities",
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
    freq = _check_freq(freq)
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
    return pd.Series(lab.to_numpy(dtype=object), index=getattr(published, "index", None), name="period")


def _check_freq(freq: str) -> str:
    f = str(freq).upper()
    f = {"MS": "M", "ME": "M", "W-MON": "W", "A": "Y", "YS": "Y", "QS": "Q"}.get(f, f)
    if f not in FREQS:
        raise ValueError(f"freq must be one of {', '.join(FREQS)}; got {freq!r}")
    return f


def _check_by(by) -> list[str]:
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


def _check_level(level: str) -> str:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}; got {level!r}")
    return level


def _require(df: pd.DataFrame, cols: Iterable[str], what: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"{what} table lacks column(s) {', '.join(missing)}; has {', '.join(map(str, df.columns))}")


STRING_COLUMNS = ("entity_a", "entity_b", "entity", "partner", "pair", "level", "period", "outlet", "phase")


def _finish(out: pd.DataFrame, order: list[str]) -> pd.DataFrame:
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
    _require(mentions, ["entity_id", "entity_type", "country"], "mentions")
    ent = mentions["entity_id"].astype(str).to_numpy(dtype=object)
    country = mentions["country"]
    has = country.notna().to_numpy() & (country.astype(str).str.strip() != "").to_numpy()
    is_country = (mentions["entity_type"].astype(str) == "country").to_numpy()
    out = np.where(has & ~is_country, country.astype(str).to_numpy(dtype=object), ent)
    return pd.Series(out, index=mentions.index, name="entity_id", dtype=object)


# --------------------------------------------------------------------------- windows
# (is title, hash of the text) -> (paragraphs, sentences): texts are segmented once per session
# (used when analysis.text.segment has no vectorized sentence_counts, e.g. a stand-in segmenter)
_SEGMENT_CACHE: dict[tuple[bool, int], tuple[int, int]] = {}
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
    :func:`count_comentions` to skip even this.
    """
    _require(articles, ["article_id"], "articles")
    try:
        segment = importlib.import_module("analysis.text.segment")  # sys.modules: a stand-in segmenter is honoured
    except ImportError as exc:  # pragma: no cover - depends on the segment module
        raise ImportError(
            "count_windows needs analysis.text.segment.split_sentences; pass windows= "
            "(article_id, field, n_paragraphs, n_sentences) or use level='article'"
        ) from exc
    counts = getattr(segment, "sentence_counts", None)  # vectorized; absent from a stand-in segmenter
    ids = articles["article_id"].astype(str).to_numpy()
    rows_id, rows_field, n_par, n_sent = [], [], [], []
    for field in fields:
        if field not in articles.columns:
            continue
        texts = articles[field].astype(object).tolist()
        if counts is not None:
            p, s = counts(texts, chunk_chars=_CHUNK_CHARS)
        else:
            p, s = _segment_counts(segment, texts, field, progress)
        rows_id.append(ids)
        rows_field.append(np.full(len(ids), field, dtype=object))
        n_par.append(p)
        n_sent.append(s)
    if not rows_id:
        return pd.DataFrame({c: pd.Series([], dtype=object if c in ("article_id", "field") else np.int64)
                             for c in WINDOW_COLUMNS})
    return pd.DataFrame(
        {
            "article_id": pd.Series(np.concatenate(rows_id), dtype=object),
            "field": pd.Series(np.concatenate(rows_field), dtype=object),
            "n_paragraphs": np.concatenate(n_par).astype(np.int64),
            "n_sentences": np.concatenate(n_sent).astype(np.int64),
        }
    )


def _segment_counts(segment, texts: list, field: str, progress: bool) -> tuple[np.ndarray, np.ndarray]:
    """Counts text by text with the segmenter's ``sentence_spans`` or ``split_sentences`` (remembered per text)."""
    from tqdm.auto import tqdm

    if hasattr(segment, "sentence_spans"):  # arrays (paragraph, sentence, start, end): no DataFrame per text
        spans = segment.sentence_spans
    else:
        def spans(text):
            return (segment.split_sentences(text)["paragraph"].to_numpy(),)
    if len(_SEGMENT_CACHE) > 1_000_000:
        _SEGMENT_CACHE.clear()
    hashes = pd.util.hash_pandas_object(pd.Series(texts, dtype=object), index=False).to_numpy()
    n_par, n_sent = [], []
    for text, h in tqdm(zip(texts, hashes), total=len(texts), disable=not progress, desc=f"segment {field}"):
        key = (field == "title", int(h))
        if not isinstance(text, str) or not text.strip():
            p = s = 0
        elif key in _SEGMENT_CACHE:
            p, s = _SEGMENT_CACHE[key]
        else:
            para = spans(text)[0]
            s = len(para)
            p = len(np.unique(para))
            _SEGMENT_CACHE[key] = (p, s)
        n_par.append(p)
        n_sent.append(s)
    return np.asarray(n_par, dtype=np.int64), np.asarray(n_sent, dtype=np.int64)


def _windows_per_article(
    articles_ids: pd.Index, mentions: pd.DataFrame, level: str, windows: pd.DataFrame | None, articles: pd.DataFrame
) -> np.ndarray:
    """Windows of ``level`` in each article (aligned with ``articles_ids``)."""
    if level == "article":
        return np.ones(len(articles_ids), dtype=np.int64)
    if windows is None:
        windows = count_windows(articles)
    _require(windows, WINDOW_COLUMNS, "windows")
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
                stacklevel=3,
            )
        per_field = both.max(axis=1)
    per_article = per_field.groupby(level=0, sort=False).sum()
    return per_article.reindex(articles_ids).fillna(0).to_numpy(dtype=np.int64)


# --------------------------------------------------------------------------- core
@dataclass
class _Cooc:
    """Sparse co-occurrence counts for all groups at once."""

    group_cols: list[str]
    groups: pd.DataFrame  # one row per group code: group columns + n_windows
    col_group: np.ndarray  # per column: group code
    col_entity: np.ndarray  # per column: entity id (object)
    n_entity: np.ndarray  # per column: windows mentioning the entity (diagonal of XtX)
    pair_i: np.ndarray  # upper-triangle entries (column indices, i < j, same group)
    pair_j: np.ndarray
    n_ab: np.ndarray


def _cooccurrence(
    mentions: pd.DataFrame,
    articles: pd.DataFrame,
    level: str = "sentence",
    by=None,
    freq: str = "M",
    resolve: str | None = None,
    windows: pd.DataFrame | None = None,
    custom: dict | None = None,
) -> _Cooc:
    """``custom``: extra grouping columns {name: values aligned with articles}, placed first."""
    level = _check_level(level)
    custom = dict(custom or {})
    group_cols = list(custom) + _check_by(by)
    freq = _check_freq(freq)
    _require(mentions, WINDOW_KEYS[level] + ["entity_id"], "mentions")
    _require(articles, ["article_id"] + [{"period": "published"}.get(c, c) for c in group_cols if c not in custom], "articles")

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
        return _Cooc(group_cols, groups, empty, np.array([], dtype=object), empty, empty, empty, empty)

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
    return _Cooc(
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
    Conventions for the edge cases are those of the module docstring:
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


def _add_measures(out: pd.DataFrame) -> None:
    """Add the association measures of a counts table in place."""
    meas = association_measures(out["n_ab"], out["n_a"], out["n_b"], out["n_windows"])
    for c in MEASURES:
        out[c] = meas[c].to_numpy()


def _entity_counts(df: pd.DataFrame) -> pd.Series:
    """Each entity's window count (``n_a`` / ``n_b``) in a one-group co-mentions table."""
    both = pd.concat(
        [df[["entity_a", "n_a"]].set_axis(["entity", "n"], axis=1), df[["entity_b", "n_b"]].set_axis(["entity", "n"], axis=1)]
    )
    return both.drop_duplicates("entity").set_index("entity")["n"].sort_index()


def count_comentions(
    mentions: pd.DataFrame,
    articles: pd.DataFrame,
    level: str = "sentence",
    by=None,
    freq: str = "M",
    resolve: str | None = None,
    min_count: int = 1,
    *,
    windows: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Count how often each pair of entities is mentioned in the same window.

    Parameters
    ----------
    mentions : DataFrame
        The mentions table of :func:`analysis.extract_mentions` (``article_id``,
        ``field``, ``paragraph``, ``sentence``, ``entity_id``, ``entity_type``,
        ``country``, ...). Every row counts: filter it first to count a subset.
    articles : DataFrame
        The articles the mentions come from (``article_id``, ``published``,
        ``outlet``, ``title``, ``text``). Windows without mentions count in
        ``n_windows`` too, so pass every article of the corpus (or group).
    level : "sentence", "paragraph" or "article"
        The co-occurrence window.
    by : None, "period", "outlet" or ["period", "outlet"] (also "period,outlet")
        Count separately per group. ``n_windows`` then is the group's.
    freq : "W" or "M" (also "D", "Q", "Y")
        Period length when grouping by period. Labels: ``"2018-03"`` for M,
        the week's Monday ``"2018-03-05"`` for W; undated articles get period
        ``"undated"``, so grouped counts add up to the ungrouped ones.
    resolve : None or "country"
        ``"country"`` rolls persons, places and organizations up to their
        country first (Putin and Moscow count as RUS); a pair that this makes
        of one entity with itself is dropped (it is one entity in the window).
    min_count : int
        Keep pairs with ``n_ab >= min_count`` (at least 1: pairs never seen
        together are not listed; :func:`comention_matrix` fills them in).
    windows : DataFrame, optional
        Precomputed :func:`count_windows` output (sentence and paragraph
        levels); computed from ``articles`` when omitted.

    Returns
    -------
    DataFrame with columns ``entity_a``, ``entity_b`` (``entity_a < entity_b``),
    ``level``, [``period``], [``outlet``], ``n_ab``, ``n_a``, ``n_b``,
    ``n_windows``, ``pmi``, ``npmi``, ``jaccard``, ``llr``; sorted by group,
    then ``entity_a``, ``entity_b``. Measures and their edge cases: see the
    module docstring. ``attrs`` records the parameters.
    """
    if int(min_count) < 1:
        raise ValueError(f"min_count must be >= 1; got {min_count!r}")
    co = _cooccurrence(mentions, articles, level, by, freq, resolve, windows)
    keep = co.n_ab >= int(min_count)
    i, j, n_ab = co.pair_i[keep], co.pair_j[keep], co.n_ab[keep]
    g = co.col_group[i]
    out = pd.DataFrame(
        {
            "entity_a": pd.Series(co.col_entity[i], dtype=object),
            "entity_b": pd.Series(co.col_entity[j], dtype=object),
            "level": level,
        }
    )
    for c in co.group_cols:
        out[c] = co.groups[c].to_numpy(dtype=object)[g]
    out["n_ab"] = n_ab
    out["n_a"] = co.n_entity[i]
    out["n_b"] = co.n_entity[j]
    out["n_windows"] = co.groups["n_windows"].to_numpy()[g] if len(g) else np.array([], dtype=np.int64)
    _add_measures(out)
    out = _finish(out, co.group_cols + ["entity_a", "entity_b"])
    out.attrs.update(
        {"level": level, "by": co.group_cols, "freq": _check_freq(freq), "resolve": resolve, "min_count": int(min_count)}
    )
    return out


def count_entities(
    mentions: pd.DataFrame,
    articles: pd.DataFrame,
    level: str = "article",
    by=None,
    freq: str = "M",
    resolve: str | None = None,
    *,
    entities: Sequence[str] | None = None,
    windows: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Windows mentioning each entity: ``entity``, ``level``, [``period``],
    [``outlet``], ``n`` (windows with at least one mention), ``n_windows``.

    With ``entities`` given, only those, and every one gets a row in every
    group (``n = 0`` where it is absent); otherwise every entity seen in a
    group. Sorted by group, then entity.
    """
    co = _cooccurrence(mentions, articles, level, by, freq, resolve, windows)
    return _entity_table(co, level, entities)


def _entity_table(co: _Cooc, level: str, entities=None) -> pd.DataFrame:
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
    return _finish(out, co.group_cols + ["entity"])


def _pairs_table(co: _Cooc, level: str, pairs: Sequence[tuple[str, str]]) -> pd.DataFrame:
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
    _add_measures(out)
    return _finish(out, co.group_cols + ["entity_a", "entity_b"])


# --------------------------------------------------------------------------- matrix & graph
def _one_group(comentions: pd.DataFrame, period=None, outlet=None) -> pd.DataFrame:
    df = comentions
    if period is not None:
        _require(df, ["period"], "co-mentions")
        df = df[df["period"] == period]
    if outlet is not None:
        _require(df, ["outlet"], "co-mentions")
        df = df[df["outlet"] == outlet]
    for c in GROUPS:
        if c in df.columns and df[c].nunique() > 1:
            raise ValueError(
                f"the co-mentions table holds several {c}s ({df[c].nunique()}); pick one with {c}=..."
            )
    return df


def comention_matrix(
    comentions: pd.DataFrame,
    value: str = "n_ab",
    entities: Sequence[str] | None = None,
    *,
    period: str | None = None,
    outlet: str | None = None,
) -> pd.DataFrame:
    """Square, symmetric entity x entity matrix of one column of a co-mentions table (for heatmaps).

    ``value``: ``n_ab`` (diagonal = ``n_a``, each entity's window count, as in
    XᵀX) or a measure (``pmi``, ``npmi``, ``jaccard``, ``llr``; diagonal NaN).
    ``entities``: rows/columns in that order (default: every entity of the
    table, sorted). Pairs absent from the table are filled as never co-mentioned
    (``n_ab = 0`` and the measures that gives, e.g. npmi -1) when the table
    was counted with ``min_count=1``; NaN otherwise, or where an entity's count
    is unknown. A grouped table must be narrowed to one group with
    ``period=`` / ``outlet=``.
    """
    allowed = ["n_ab"] + MEASURES
    if value not in allowed:
        raise ValueError(f"value must be one of {', '.join(allowed)}; got {value!r}")
    df = _one_group(comentions, period, outlet)
    counts = _entity_counts(df)
    names = sorted(counts.index) if entities is None else [str(e) for e in entities]
    N = df["n_windows"].iloc[0] if len(df) else np.nan
    full = pd.DataFrame(
        [(a, b) for ia, a in enumerate(names) for b in names[ia + 1:]], columns=["entity_a", "entity_b"]
    )
    swap = full["entity_a"] > full["entity_b"]
    full.loc[swap, ["entity_a", "entity_b"]] = full.loc[swap, ["entity_b", "entity_a"]].to_numpy()
    full = full.merge(df[["entity_a", "entity_b"] + allowed], on=["entity_a", "entity_b"], how="left")
    missing = full["n_ab"].isna()
    if missing.any() and comentions.attrs.get("min_count", 1) == 1:
        na = counts.reindex(full.loc[missing, "entity_a"]).to_numpy(dtype=float)
        nb = counts.reindex(full.loc[missing, "entity_b"]).to_numpy(dtype=float)
        known = ~np.isnan(na) & ~np.isnan(nb)
        if known.any():
            filled = association_measures(0, na[known], nb[known], N)
            idx = full.index[missing][known]
            full.loc[idx, "n_ab"] = 0
            for c in MEASURES:
                full.loc[idx, c] = filled[c].to_numpy()
    mat = pd.DataFrame(np.nan, index=pd.Index(names, name="entity_a"), columns=pd.Index(names, name="entity_b"))
    if len(full):
        piv = full.pivot(index="entity_a", columns="entity_b", values=value)
        piv = piv.reindex(index=names, columns=names)
        mat = mat.combine_first(piv).combine_first(piv.T).reindex(index=names, columns=names)
    if value == "n_ab":
        for e in names:
            if e in counts.index:
                mat.loc[e, e] = counts[e]
    mat.index.name, mat.columns.name = "entity", "entity"
    return mat


def comention_graph(
    comentions: pd.DataFrame,
    *,
    weight: str = "n_ab",
    min_count: int = 1,
    gazetteer=None,
    period: str | None = None,
    outlet: str | None = None,
    path: str | Path | None = None,
):
    """The co-mention network as a :class:`networkx.Graph`.

    Nodes are entities with attribute ``n`` (windows mentioning them) and,
    when ``gazetteer`` (see :func:`analysis.load_gazetteer`) is given,
    ``label_ar``, ``label_en``, ``type``, ``country``. Edges carry ``n_ab``,
    ``pmi``, ``npmi``, ``jaccard``, ``llr`` and ``weight`` (a copy of the
    column named by ``weight``); only pairs with ``n_ab >= min_count``.
    Graph attributes: ``level``, ``n_windows`` and the group, if any.
    A grouped table must be narrowed to one group (``period=`` / ``outlet=``).
    With ``path``, the graph is also written as GraphML (see
    :func:`write_graphml`) for Gephi, Cytoscape or igraph.
    """
    import networkx as nx

    if weight not in ["n_ab"] + MEASURES:
        raise ValueError(f"weight must be n_ab or one of {', '.join(MEASURES)}; got {weight!r}")
    df = _one_group(comentions, period, outlet)
    G = nx.Graph()
    G.graph["level"] = str(df["level"].iloc[0]) if len(df) else str(comentions.attrs.get("level", ""))
    G.graph["n_windows"] = int(df["n_windows"].iloc[0]) if len(df) else 0
    for c in GROUPS:
        if c in df.columns and len(df):
            G.graph[c] = str(df[c].iloc[0])
    ent_info = None
    if gazetteer is not None:
        ent_info = gazetteer.entities.set_index("entity_id")
    for ent, n in _entity_counts(df).items():
        attrs = {"n": int(n)}
        if ent_info is not None and ent in ent_info.index:
            row = ent_info.loc[ent]
            for key, col in (("label_ar", "name_ar"), ("label_en", "label_en"), ("type", "type"), ("country", "country")):
                val = row.get(col) if hasattr(row, "get") else None
                if isinstance(val, str) and val:
                    attrs[key] = val
        G.add_node(str(ent), **attrs)
    sel = df[df["n_ab"] >= int(min_count)]
    for rec in sel[["entity_a", "entity_b", "n_ab"] + MEASURES].itertuples(index=False):
        attrs = {"n_ab": int(rec.n_ab)}
        for c in MEASURES:
            attrs[c] = float(getattr(rec, c))
        attrs["weight"] = float(attrs[weight])
        G.add_edge(str(rec.entity_a), str(rec.entity_b), **attrs)
    if path is not None:
        write_graphml(G, path)
    return G


def write_graphml(graph, path: str | Path) -> Path:
    """Write a co-mention graph as GraphML (UTF-8; Arabic labels kept as is)."""
    import networkx as nx

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nx.write_graphml(graph, path, encoding="utf-8")
    return path
