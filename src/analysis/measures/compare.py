"""Coverage measures: how much each outlet covers each focus entity, when, and with whom.

* :func:`coverage`: per period (and outlet) the number of articles, the
  articles mentioning each focus entity, their share with a 95 % Wilson score
  interval, and mentions per 1,000 words.
* :func:`top_partners`: each focus entity's strongest co-mention partners, by
  count or by an association measure above a minimum count.
* :func:`focus_triangle`: the three pairs of the focus entities (RUS-SYR,
  RUS-IRN, SYR-IRN by default) in every period, zeros included.
* :func:`event_change`: before vs after an event date, the change in each
  focus entity's share and in each pair's co-mention rate, with a test
  (Pearson chi-square, Fisher's exact test when an expected count is below 5)
  and an effect size (Cohen's h; also the risk ratio).

All inputs are the tidy tables of the package (articles, mentions,
co-mentions); all outputs are DataFrames with the columns listed in each
docstring, sorted deterministically.
"""
from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

import numpy as np
import pandas as pd

from analysis.measures.cooccurrence import (
    GROUPS,
    MEASURES,
    articles_and_mentions,
    check_by,
    cooccurrence,
    entity_table,
    finish_table,
    pairs_table,
    period_labels,
    require_columns,
    resolve_entities,
)

__all__ = ["coverage", "top_partners", "focus_triangle", "event_change", "wilson_interval", "count_words"]

FOCUS = ("RUS", "SYR", "IRN")
Z95 = 1.959963984540054


def wilson_interval(k, n, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a binomial share ``k / n`` (95 % by default).

    Returns ``(low, high)`` arrays; NaN where ``n == 0``.
    """
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 1.0 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
        low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
        high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return low, high


def count_words(articles: pd.DataFrame, fields: Sequence[str] = ("title", "text")) -> pd.Series:
    """Words per article: runs of letters, digits and ``_`` (regex ``\\w+``) in the original title
    and text (:func:`analysis.text.tokenize.count_tokens` with the ``"word"`` rule; diacritics
    split words there, as in every published figure of this package)."""
    from analysis.text.tokenize import count_tokens

    total = pd.Series(0, index=articles.index, dtype=np.int64)
    for f in fields:
        if f in articles.columns:
            total += count_tokens(articles[f].fillna("").astype(str), chars="word", join_marks=False)
    return total


def coverage(
    articles: pd.DataFrame,
    mentions: pd.DataFrame,
    focus: Sequence[str] = FOCUS,
    freq: str | None = "M",
    by=None,
    resolve: str | None = None,
    words: pd.Series | None = None,
) -> pd.DataFrame:
    """Coverage of each focus entity per period (and outlet).

    Parameters
    ----------
    articles, mentions : the package's tables (every article of the corpus, so
        articles without mentions count in the denominators).
    focus : entity ids (after ``resolve``), e.g. ``["RUS", "SYR", "IRN"]``.
    freq : ``"W"``, ``"M"`` (also D, Q, Y; see :func:`analysis.measures.cooccurrence.period_labels`)
        or None for one period ``"all"``. Undated articles form the period ``"undated"``.
    by : None or ``"outlet"``.
    resolve : None or ``"country"`` (Putin and Moscow count as RUS).
    words : :func:`count_words` of ``articles`` when it is known already (aligned with its rows),
        so that several coverage tables of one corpus count the words once.

    Returns
    -------
    DataFrame ``period``, [``outlet``], ``entity``, ``n_articles``,
    ``n_with`` (articles mentioning the entity), ``share``, ``share_low``,
    ``share_high`` (95 % Wilson interval), ``n_mentions`` (mention rows),
    ``n_words`` (words in the group's titles and texts, see :func:`count_words`),
    ``per_1k_words`` (``1000 * n_mentions / n_words``). Sorted by period,
    outlet, entity.
    """
    articles, mentions = articles_and_mentions(articles, mentions, "coverage")
    by_cols = [c for c in check_by(by) if c != "period"]
    require_columns(articles, ["article_id", "published"], "articles")
    focus = [str(f) for f in focus]
    if freq is None:
        period = np.full(len(articles), "all", dtype=object)
    else:
        period = period_labels(articles["published"], freq).to_numpy(dtype=object)
    custom = {"period": period}
    co = cooccurrence(articles, mentions, "article", by_cols, "M", resolve, custom=custom)
    out = entity_table(co, "article", focus).drop(columns="level")
    out = out.rename(columns={"n": "n_with", "n_windows": "n_articles"})
    group_cols = ["period"] + by_cols

    # words and mentions per group
    keys = pd.DataFrame({"period": period}, index=articles.index)
    if "outlet" in by_cols:
        keys["outlet"] = articles["outlet"].astype(object).where(articles["outlet"].notna(), "unknown").astype(str)
    if words is None:
        words = count_words(articles)
    elif len(words) != len(articles):
        raise ValueError(f"words has {len(words)} rows; articles has {len(articles)}")
    words = pd.Series(np.asarray(words, dtype=np.int64), index=articles.index)
    words = words.groupby([keys[c] for c in group_cols]).sum().rename("n_words").reset_index()
    aid = pd.Index(articles["article_id"].astype(str))
    pos = aid.get_indexer(mentions["article_id"].astype(str))
    ent = resolve_entities(mentions, resolve).to_numpy(dtype=object)
    mk = keys.iloc[pos].reset_index(drop=True)
    mk["entity"] = ent
    mk = mk[mk["entity"].isin(focus)]
    nm = mk.groupby(group_cols + ["entity"]).size().rename("n_mentions").reset_index()
    out = out.merge(nm, on=group_cols + ["entity"], how="left").merge(words, on=group_cols, how="left")
    out["n_mentions"] = out["n_mentions"].fillna(0).astype(np.int64)
    out["n_words"] = out["n_words"].fillna(0).astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share"] = np.where(out["n_articles"] > 0, out["n_with"] / out["n_articles"], np.nan)
        out["per_1k_words"] = np.where(out["n_words"] > 0, 1000.0 * out["n_mentions"] / out["n_words"], np.nan)
    out["share_low"], out["share_high"] = wilson_interval(out["n_with"], out["n_articles"])
    cols = group_cols + ["entity", "n_articles", "n_with", "share", "share_low", "share_high", "n_mentions", "n_words", "per_1k_words"]
    return finish_table(out[cols], group_cols + ["entity"])


def top_partners(
    comentions: pd.DataFrame,
    focus: Sequence[str] | None = FOCUS,
    n: int = 10,
    by: str = "n_ab",
    min_count: int | None = None,
) -> pd.DataFrame:
    """Each focus entity's top ``n`` co-mention partners in a co-mentions table.

    ``by``: ``"n_ab"`` (count) or a measure (``npmi``, ``pmi``, ``jaccard``,
    ``llr``); ``min_count``: partners need ``n_ab >= min_count`` (default 1
    for counts, 5 for measures, since association scores of rare pairs are
    noisy). Ranking is within each group of a grouped table; ties break by
    ``n_ab`` then partner id. ``focus=None``: every entity.

    Returns ``entity``, [``period``], [``outlet``], ``rank`` (1 = strongest),
    ``partner``, ``n_ab``, ``n_entity``, ``n_partner``, ``n_windows``,
    ``pmi``, ``npmi``, ``jaccard``, ``llr``.
    """
    allowed = ["n_ab"] + MEASURES
    if by not in allowed:
        raise ValueError(f"by must be one of {', '.join(allowed)}; got {by!r}")
    if min_count is None:
        min_count = 1 if by == "n_ab" else 5
    group_cols = [c for c in GROUPS if c in comentions.columns]
    df = comentions[comentions["n_ab"] >= min_count]
    base = group_cols + ["n_ab", "n_windows"] + MEASURES
    fwd = df[["entity_a", "entity_b", "n_a", "n_b"] + base].set_axis(
        ["entity", "partner", "n_entity", "n_partner"] + base, axis=1
    )
    rev = df[["entity_b", "entity_a", "n_b", "n_a"] + base].set_axis(
        ["entity", "partner", "n_entity", "n_partner"] + base, axis=1
    )
    long = pd.concat([fwd, rev], ignore_index=True)
    if focus is not None:
        long = long[long["entity"].isin([str(f) for f in focus])]
    long = long.sort_values(
        ["entity"] + group_cols + [by, "n_ab", "partner"],
        ascending=[True] * (1 + len(group_cols)) + [False, False, True],
        kind="mergesort",
    )
    long["rank"] = long.groupby(["entity"] + group_cols, sort=False).cumcount() + 1
    long = long[long["rank"] <= n]
    cols = ["entity"] + group_cols + ["rank", "partner", "n_ab", "n_entity", "n_partner", "n_windows"] + MEASURES
    return long[cols].reset_index(drop=True)


def focus_triangle(
    articles: pd.DataFrame,
    mentions: pd.DataFrame,
    focus: Sequence[str] = FOCUS,
    level: str = "article",
    freq: str | None = "M",
    by=None,
    resolve: str | None = None,
    *,
    windows: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Co-mention of every pair of focus entities in every period, zeros included.

    With the default focus, the triangle RUS-SYR, RUS-IRN, SYR-IRN. ``freq``:
    period length (None: the whole corpus as one period ``"all"``); ``by``:
    None or ``"outlet"``. Returns ``pair`` (e.g. ``"RUS-SYR"``), ``period``,
    [``outlet``], then the co-mentions columns (``entity_a``, ``entity_b``,
    ``level``, ``n_ab``, ``n_a``, ``n_b``, ``n_windows``, ``pmi``, ``npmi``,
    ``jaccard``, ``llr``) and ``share_ab`` = ``n_ab / n_windows``. Pairs never
    seen together in a period have ``n_ab = 0`` and npmi -1 (see
    :mod:`analysis.measures.comention` for the conventions).
    """
    articles, mentions = articles_and_mentions(articles, mentions, "focus_triangle")
    by_cols = [c for c in check_by(by) if c != "period"]
    require_columns(articles, ["article_id", "published"], "articles")
    if freq is None:
        period = np.full(len(articles), "all", dtype=object)
    else:
        period = period_labels(articles["published"], freq).to_numpy(dtype=object)
    co = cooccurrence(articles, mentions, level, by_cols, "M", resolve, windows, custom={"period": period})
    out = pairs_table(co, level, combinations([str(f) for f in focus], 2))
    out.insert(0, "pair", out["entity_a"] + "-" + out["entity_b"])
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share_ab"] = np.where(out["n_windows"] > 0, out["n_ab"] / out["n_windows"], np.nan)
    cols = ["pair", "period"] + by_cols + [c for c in out.columns if c not in ("pair", "period", *by_cols)]
    return finish_table(out[cols], ["period"] + by_cols + ["pair"])


def _two_proportion(k1, n1, k2, n2) -> dict:
    """Test and effect size for the change from k1/n1 (before) to k2/n2 (after)."""
    from scipy import stats

    p1 = k1 / n1 if n1 else np.nan
    p2 = k2 / n2 if n2 else np.nan
    table = np.array([[k1, n1 - k1], [k2, n2 - k2]], dtype=float)
    res = {"p_before": p1, "p_after": p2, "diff": p2 - p1}
    with np.errstate(divide="ignore", invalid="ignore"):
        res["risk_ratio"] = p2 / p1 if p1 > 0 else np.nan
    res["cohen_h"] = 2 * np.arcsin(np.sqrt(p2)) - 2 * np.arcsin(np.sqrt(p1)) if n1 and n2 else np.nan
    if not n1 or not n2 or table.sum(axis=0).min() == 0:
        res.update(test="none", statistic=np.nan, p_value=np.nan)
        return res
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True) / table.sum()
    if expected.min() < 5:
        _, pv = stats.fisher_exact(table.astype(np.int64))
        res.update(test="fisher", statistic=np.nan, p_value=float(pv))
    else:
        chi2, pv, _, _ = stats.chi2_contingency(table, correction=False)
        res.update(test="chi2", statistic=float(chi2), p_value=float(pv))
    return res


def event_change(
    articles: pd.DataFrame,
    mentions: pd.DataFrame,
    event_date,
    focus: Sequence[str] = FOCUS,
    *,
    days: int | None = None,
    level: str = "article",
    by=None,
    resolve: str | None = None,
    pairs: Sequence[tuple[str, str]] | None = None,
    windows: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Before vs after ``event_date``: change in share and in co-mention.

    Articles published before ``event_date`` (UTC; a date means its midnight)
    form *before*, those at or after it *after*; with ``days``, only the
    ``days`` days on each side. Undated articles are left out. For each focus
    entity (``measure="share"``): the share of windows (articles by default)
    mentioning it; for each pair (all pairs of ``focus`` unless ``pairs``;
    ``measure="comention"``): the share of windows mentioning both, and the
    NPMI on each side.

    Test: Pearson's chi-square on the 2 x 2 table (before/after x
    with/without), or Fisher's exact test when an expected count is below 5
    (column ``test``); ``p_value`` two-sided. Effect size: Cohen's h
    (``2 asin sqrt p_after - 2 asin sqrt p_before``; 0.2 small, 0.5 medium,
    0.8 large) and the risk ratio ``p_after / p_before``.

    Returns ``measure``, ``entity_a``, ``entity_b`` (None for shares),
    [``outlet``], ``k_before``, ``n_before``, ``p_before``, ``k_after``,
    ``n_after``, ``p_after``, ``diff``, ``risk_ratio``, ``cohen_h``, ``test``,
    ``statistic``, ``p_value``, ``npmi_before``, ``npmi_after``.
    """
    articles, mentions = articles_and_mentions(articles, mentions, "event_change")
    by_cols = [c for c in check_by(by) if c != "period"]
    require_columns(articles, ["article_id", "published"], "articles")
    event = pd.Timestamp(event_date)
    event = event.tz_localize("UTC") if event.tzinfo is None else event.tz_convert("UTC")
    pub = pd.to_datetime(articles["published"], utc=True, errors="coerce")
    keep = pub.notna().to_numpy().copy()
    if days is not None:
        delta = pd.Timedelta(days=int(days))
        keep &= ((pub >= event - delta) & (pub < event + delta)).to_numpy()
    arts = articles.loc[keep]
    ids = set(arts["article_id"].astype(str))
    ments = mentions[mentions["article_id"].astype(str).isin(ids)]
    phase = np.where((pub[keep] < event).to_numpy(), "before", "after").astype(object)
    co = cooccurrence(arts, ments, level, by_cols, "M", resolve, windows, custom={"phase": phase})
    focus = [str(f) for f in focus]
    if pairs is None:
        pairs = list(combinations(focus, 2))
    ent = entity_table(co, level, focus)
    pt = pairs_table(co, level, pairs)

    rows = []
    groups = [()] if not by_cols else sorted(co.groups[by_cols].drop_duplicates().itertuples(index=False, name=None))

    def pick(df, phase_, grp, **eq):
        sel = df["phase"] == phase_
        for c, v in zip(by_cols, grp):
            sel &= df[c] == v
        for c, v in eq.items():
            sel &= df[c] == v
        return df[sel]

    for grp in groups:
        for e in focus:
            b, a = pick(ent, "before", grp, entity=e), pick(ent, "after", grp, entity=e)
            kb, nb = (int(b["n"].iloc[0]), int(b["n_windows"].iloc[0])) if len(b) else (0, 0)
            ka, na = (int(a["n"].iloc[0]), int(a["n_windows"].iloc[0])) if len(a) else (0, 0)
            rows.append({"measure": "share", "entity_a": e, "entity_b": None, **dict(zip(by_cols, grp)),
                         "k_before": kb, "n_before": nb, "k_after": ka, "n_after": na,
                         **_two_proportion(kb, nb, ka, na), "npmi_before": np.nan, "npmi_after": np.nan})
        for ea, eb in sorted({tuple(sorted(p)) for p in pairs}):
            b = pick(pt, "before", grp, entity_a=ea, entity_b=eb)
            a = pick(pt, "after", grp, entity_a=ea, entity_b=eb)
            kb, nb = (int(b["n_ab"].iloc[0]), int(b["n_windows"].iloc[0])) if len(b) else (0, 0)
            ka, na = (int(a["n_ab"].iloc[0]), int(a["n_windows"].iloc[0])) if len(a) else (0, 0)
            rows.append({"measure": "comention", "entity_a": ea, "entity_b": eb, **dict(zip(by_cols, grp)),
                         "k_before": kb, "n_before": nb, "k_after": ka, "n_after": na,
                         **_two_proportion(kb, nb, ka, na),
                         "npmi_before": float(b["npmi"].iloc[0]) if len(b) else np.nan,
                         "npmi_after": float(a["npmi"].iloc[0]) if len(a) else np.nan})
    cols = (["measure", "entity_a", "entity_b"] + by_cols
            + ["k_before", "n_before", "p_before", "k_after", "n_after", "p_after", "diff", "risk_ratio",
               "cohen_h", "test", "statistic", "p_value", "npmi_before", "npmi_after"])
    out = pd.DataFrame(rows, columns=cols)
    out.attrs.update({"event_date": str(event), "days": days, "level": level, "resolve": resolve})
    return out


