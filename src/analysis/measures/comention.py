"""Co-mentions: which entities are mentioned together, in which windows, how strongly.

A *window* is the unit in which two entities count as mentioned together:

* ``level="sentence"``: one sentence, keyed ``(article_id, field, paragraph, sentence)``;
* ``level="paragraph"``: one paragraph, keyed ``(article_id, field, paragraph)``;
  the title is paragraph 0 of field ``"title"``, so it is a paragraph of its own;
* ``level="article"``: the whole article (title and text), keyed ``article_id``.

Counts are built by :mod:`analysis.measures.cooccurrence` from a sparse windows x
entities incidence matrix ``X`` (``scipy.sparse``, one row per window that holds a
mention, 1 where the entity is mentioned at least once): ``X.T @ X`` gives every
pair's window count at once and its diagonal gives each entity's window count.
Grouping (by period and/or outlet) puts each (group, entity) in its own column, so
one product serves all groups. No Python loop runs over pairs or windows.

``n_windows`` counts *all* windows of the level in the corpus or group,
including those without any mention: one per article, or the number of
paragraphs / sentences found by :func:`analysis.text.segment.split_sentences` in
title and text (see :func:`analysis.measures.cooccurrence.count_windows`).

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

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.measures.cooccurrence import (
    GROUPS,
    MEASURES,
    WINDOW_KEYS,
    add_measures,
    articles_and_mentions,
    association_measures,
    check_freq,
    cooccurrence,
    count_windows,
    entity_table,
    finish_table,
    period_labels,
    require_columns,
    resolve_entities,
)

__all__ = [
    "count_comentions",
    "comention_matrix",
    "comention_graph",
    "write_graphml",
    "count_entities",
    # defined in analysis.measures.cooccurrence; importable from here too
    "count_windows",
    "association_measures",
    "period_labels",
    "resolve_entities",
    "WINDOW_KEYS",
]


def _entity_counts(df: pd.DataFrame) -> pd.Series:
    """Each entity's window count (``n_a`` / ``n_b``) in a one-group co-mentions table."""
    both = pd.concat(
        [df[["entity_a", "n_a"]].set_axis(["entity", "n"], axis=1), df[["entity_b", "n_b"]].set_axis(["entity", "n"], axis=1)]
    )
    return both.drop_duplicates("entity").set_index("entity")["n"].sort_index()


def count_comentions(
    articles: pd.DataFrame,
    mentions: pd.DataFrame,
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
    articles : DataFrame
        The articles the mentions come from (``article_id``, ``published``,
        ``outlet``, ``title``, ``text``). Windows without mentions count in
        ``n_windows`` too, so pass every article of the corpus (or group).
    mentions : DataFrame
        The mentions table of :func:`analysis.extract_mentions` (``article_id``,
        ``field``, ``paragraph``, ``sentence``, ``entity_id``, ``entity_type``,
        ``country``, ...). Every row counts: filter it first to count a subset.
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
    articles, mentions = articles_and_mentions(articles, mentions, "count_comentions")
    co = cooccurrence(articles, mentions, level, by, freq, resolve, windows)
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
    add_measures(out)
    out = finish_table(out, co.group_cols + ["entity_a", "entity_b"])
    out.attrs.update(
        {"level": level, "by": co.group_cols, "freq": check_freq(freq), "resolve": resolve, "min_count": int(min_count)}
    )
    return out


def count_entities(
    articles: pd.DataFrame,
    mentions: pd.DataFrame,
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
    articles, mentions = articles_and_mentions(articles, mentions, "count_entities")
    return entity_table(cooccurrence(articles, mentions, level, by, freq, resolve, windows), level, entities)


# --------------------------------------------------------------------------- matrix & graph
def _one_group(comentions: pd.DataFrame, period=None, outlet=None) -> pd.DataFrame:
    df = comentions
    if period is not None:
        require_columns(df, ["period"], "co-mentions")
        df = df[df["period"] == period]
    if outlet is not None:
        require_columns(df, ["outlet"], "co-mentions")
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
