"""Intervals for co-mention measures: NPMI, PMI and the co-mention rate of entity pairs.

Sentences (or paragraphs) of one article are not independent: an article about
Syria mentions Russia in many of its sentences. So the intervals resample whole
*articles*, with replacement, and every window travels with its article. The
bootstrap is computed for all pairs of a table at once:

1. :func:`article_pair_counts` counts, per article, its windows, the windows
   that mention each entity of the pairs, and the windows that mention both
   entities of each pair (one sparse product, :func:`analysis.measures.cooccurrence.cooccurrence`
   grouped by article);
2. :func:`article_resamples` draws the resamples (``n`` article indices out
   of ``n``, seeded) in chunks, and each resample's counts are the
   resample's article weights (how often each article was drawn) times those
   per-article counts, one matrix product per chunk;
3. the measures of every resample come from
   :func:`analysis.measures.cooccurrence.association_measures` (the same
   conventions as the point estimates); the interval is the percentile
   interval of the resamples.

:func:`pair_intervals` does the three steps, optionally within strata
(periods: articles are resampled within their period).
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
import zlib

import numpy as np
import pandas as pd
from scipy import sparse

from analysis.stats.intervals import column_quantiles

__all__ = ["PairCounts", "article_pair_counts", "article_resamples", "resample_weights", "bootstrap_pairs",
           "pair_intervals", "add_pair_intervals", "method_note"]

#: output columns of :func:`pair_intervals` (after ``entity_a``, ``entity_b`` and the strata column)
INTERVAL_COLUMNS = ["n_ab", "n_a", "n_b", "n_windows", "share_ab", "share_ab_low", "share_ab_high", "pmi",
                    "pmi_low", "pmi_high", "npmi", "npmi_low", "npmi_high", "n_resamples", "n_valid"]

#: dense resample weights held at once (chunk rows x articles)
_CHUNK_CELLS = 4_000_000


@dataclass(frozen=True)
class PairCounts:
    """Per-article counts of the windows of some entity pairs (what :func:`article_pair_counts` returns).

    ``article_ids`` (n,), ``n_windows`` (n,) windows per article, ``entities`` (E,),
    ``entity_counts`` (n x E sparse) windows of the article mentioning each entity,
    ``pairs`` (P x 2, ``entity_a < entity_b``), ``pair_entities`` (P x 2 column
    indices into ``entities``), ``pair_counts`` (n x P sparse) windows mentioning both.
    """

    article_ids: np.ndarray
    n_windows: np.ndarray
    entities: np.ndarray
    entity_counts: sparse.csr_matrix
    pairs: np.ndarray
    pair_entities: np.ndarray
    pair_counts: sparse.csr_matrix


def _pairs(pairs) -> list[tuple[str, str]]:
    out = sorted({tuple(sorted((str(a), str(b)))) for a, b in pairs if str(a) != str(b)})
    return out


def article_pair_counts(*, articles: pd.DataFrame, mentions: pd.DataFrame, pairs: Sequence[tuple[str, str]],
                        level: str = "sentence", resolve: str | None = None,
                        windows: pd.DataFrame | None = None) -> PairCounts:
    """Windows, entity windows and pair windows of every article, for the given pairs.

    ``pairs``: (entity, entity) tuples, in any order (sorted, deduplicated, self-pairs
    dropped); ``level``, ``resolve``, ``windows``: as in :func:`analysis.count_comentions`.
    Summed over all articles, the counts are those of ``count_comentions``.
    """
    from analysis.measures.cooccurrence import cooccurrence, require_columns, resolve_entities

    require_columns(articles, ["article_id"], "articles")
    prs = _pairs(pairs)
    ents = sorted({e for p in prs for e in p})
    ids = articles["article_id"].astype(str).to_numpy(dtype=object)
    n = len(ids)
    if len(mentions):
        keep = resolve_entities(mentions, resolve).isin(ents).to_numpy()
        m = mentions.loc[keep]
    else:
        m = mentions
    # one group per article: codes 0..n-1 keep the articles' order
    co = cooccurrence(articles, m, level, None, "M", resolve, windows,
                      custom={"article": np.arange(n, dtype=np.int64)})
    art = co.groups["article"].to_numpy(dtype=np.int64)
    nwin = np.zeros(n, dtype=np.int64)
    nwin[art] = co.groups["n_windows"].to_numpy(dtype=np.int64)
    ent_index = {e: k for k, e in enumerate(ents)}
    col_art = art[co.col_group] if len(co.col_group) else np.array([], dtype=np.int64)
    col_ent = np.array([ent_index.get(e, -1) for e in co.col_entity], dtype=np.int64)
    ok = col_ent >= 0
    E = sparse.csr_matrix((co.n_entity[ok].astype(float), (col_art[ok], col_ent[ok])), shape=(n, len(ents)))
    pair_index = {p: k for k, p in enumerate(prs)}
    pa = co.col_entity[co.pair_i] if len(co.pair_i) else np.array([], dtype=object)
    pb = co.col_entity[co.pair_j] if len(co.pair_j) else np.array([], dtype=object)
    pk = np.array([pair_index.get((a, b), -1) for a, b in zip(pa, pb)], dtype=np.int64)
    okp = pk >= 0
    P = sparse.csr_matrix((co.n_ab[okp].astype(float), (col_art[co.pair_i[okp]], pk[okp])), shape=(n, len(prs)))
    pe = np.array([[ent_index[a], ent_index[b]] for a, b in prs], dtype=np.int64).reshape(-1, 2)
    return PairCounts(ids, nwin, np.asarray(ents, dtype=object), E,
                      np.asarray(prs, dtype=object).reshape(-1, 2), pe, P)


def article_resamples(n: int, n_resamples: int, rng: np.random.Generator,
                      chunk: int | None = None) -> Iterator[np.ndarray]:
    """Bootstrap resamples of ``n`` articles: arrays of ``(rows, n)`` article indices drawn with
    replacement from ``rng``, ``n_resamples`` rows in all, in chunks of ``chunk`` rows (default:
    about four million indices per chunk)."""
    if n_resamples < 1:
        raise ValueError(f"n_resamples must be at least 1; got {n_resamples!r}")
    if chunk is None:
        chunk = max(1, min(n_resamples, _CHUNK_CELLS // max(n, 1)))
    done = 0
    while done < n_resamples:
        c = min(chunk, n_resamples - done)
        yield rng.integers(0, n, size=(c, n))
        done += c


def resample_weights(picks: np.ndarray, n: int) -> np.ndarray:
    """How often each article was drawn, per resample row: ``(rows, n)`` floats (one ``bincount``
    per row: several times faster than one over the whole chunk, which leaves the cache)."""
    out = np.empty((picks.shape[0], n))
    for r in range(picks.shape[0]):
        out[r] = np.bincount(picks[r], minlength=n)
    return out


def _measures(n_ab, n_a, n_b, N) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``share_ab``, ``pmi``, ``npmi`` of count arrays, with the conventions of
    :func:`analysis.measures.cooccurrence.association_measures` (tested equal), without G²."""
    k11, na, nb, N = (np.asarray(x, dtype=float) for x in (n_ab, n_a, n_b, N))
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(N > 0, k11 / N, np.nan)
        pmi = np.log(k11) + np.log(N) - np.log(na) - np.log(nb)
        npmi = pmi / -np.log(k11 / N)
    npmi = np.where(k11 == 0, -1.0, npmi)
    npmi = np.where((k11 == N) & (N > 0), 1.0, npmi)
    absent = (na == 0) | (nb == 0) | (N == 0)
    pmi = np.where(absent, np.nan, pmi)
    npmi = np.where(absent, np.nan, np.clip(npmi, -1.0, 1.0))
    return share, pmi, npmi


def bootstrap_pairs(counts: PairCounts, rows: np.ndarray | None = None, n_resamples: int = 1000,
                    seed: int | Sequence[int] = 0, confidence: float = 0.95) -> pd.DataFrame:
    """Point estimates and article-bootstrap intervals of every pair of ``counts``.

    ``rows``: the articles to use (indices into ``counts``; default all); they are
    resampled ``n_resamples`` times with replacement (``np.random.default_rng(seed)``,
    :func:`article_resamples`). Returns ``entity_a``, ``entity_b`` and
    :data:`INTERVAL_COLUMNS`: the counts, ``share_ab`` (= ``n_ab / n_windows``), ``pmi``,
    ``npmi`` with the ``_low`` / ``_high`` ends of their percentile intervals at
    ``confidence``, ``n_resamples``, ``n_valid`` (resamples where both entities occur,
    the ones PMI and NPMI are defined on). PMI's ends are order statistics (a resample
    without the pair has PMI -inf); the others interpolate.
    """
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1; got {confidence!r}")
    rows = np.arange(len(counts.article_ids)) if rows is None else np.asarray(rows, dtype=np.int64)
    n = len(rows)
    E = counts.entity_counts[rows]
    P = counts.pair_counts[rows]
    nwin = counts.n_windows[rows].astype(float)
    ia, ib = counts.pair_entities[:, 0], counts.pair_entities[:, 1]
    npairs = len(counts.pairs)
    tot_e = np.asarray(E.sum(axis=0)).ravel()
    tot_p = np.asarray(P.sum(axis=0)).ravel()
    point = _measures(tot_p, tot_e[ia], tot_e[ib], np.full(npairs, nwin.sum()))
    boot = [np.empty((0, npairs)) for _ in range(3)]
    if n and npairs:
        rng = np.random.default_rng(seed)
        parts: list[list[np.ndarray]] = [[], [], []]
        Et, Pt = E.T.tocsr(), P.T.tocsr()
        for picks in article_resamples(n, n_resamples, rng):
            W = resample_weights(picks, n)
            Nw = W @ nwin
            We = (Et @ W.T).T
            Wp = (Pt @ W.T).T
            res = _measures(Wp, We[:, ia], We[:, ib], np.repeat(Nw[:, None], npairs, axis=1))
            for k in range(3):
                parts[k].append(res[k])
        boot = [np.vstack(p) for p in parts]
    share_lo, share_hi = column_quantiles(boot[0], confidence)
    pmi_lo, pmi_hi = column_quantiles(boot[1], confidence, method="inverted_cdf")
    npmi_lo, npmi_hi = column_quantiles(boot[2], confidence)
    out = pd.DataFrame({"entity_a": counts.pairs[:, 0].astype(object), "entity_b": counts.pairs[:, 1].astype(object)})
    out["n_ab"] = tot_p.astype(np.int64)
    out["n_a"] = tot_e[ia].astype(np.int64)
    out["n_b"] = tot_e[ib].astype(np.int64)
    out["n_windows"] = np.int64(nwin.sum())
    out["share_ab"], out["share_ab_low"], out["share_ab_high"] = point[0], share_lo, share_hi
    out["pmi"], out["pmi_low"], out["pmi_high"] = point[1], pmi_lo, pmi_hi
    out["npmi"], out["npmi_low"], out["npmi_high"] = point[2], npmi_lo, npmi_hi
    out["n_resamples"] = np.int64(n_resamples if n else 0)
    out["n_valid"] = np.sum(~np.isnan(boot[2]), axis=0).astype(np.int64)
    return out


def pair_intervals(*, articles: pd.DataFrame, mentions: pd.DataFrame, pairs: Sequence[tuple[str, str]],
                   level: str = "sentence", resolve: str | None = None, windows: pd.DataFrame | None = None,
                   strata=None, n_resamples: int = 1000, seed: int = 0, confidence: float = 0.95) -> pd.DataFrame:
    """NPMI, PMI and co-mention rate of entity pairs with intervals from a bootstrap over articles.

    ``strata``: None, or a label per article (aligned with ``articles``, e.g. its period):
    articles are then resampled within their stratum and each stratum gets its own rows
    (column ``stratum``). Each stratum's generator is seeded by ``seed`` and the stratum's
    label, so a period's interval does not depend on the other periods. Returns
    ``entity_a``, ``entity_b``, [``stratum``], then :data:`INTERVAL_COLUMNS`; the point
    estimates equal :func:`analysis.count_comentions`'s. Sorted by stratum, then pair.
    """
    counts = article_pair_counts(articles=articles, mentions=mentions, pairs=pairs, level=level, resolve=resolve,
                                 windows=windows)
    if strata is None:
        return bootstrap_pairs(counts, n_resamples=n_resamples, seed=seed, confidence=confidence)
    labels = pd.Series(np.asarray(strata, dtype=object)).astype(str).to_numpy(dtype=object)
    if len(labels) != len(counts.article_ids):
        raise ValueError(f"strata has {len(labels)} labels for {len(counts.article_ids)} articles")
    code, uniq = pd.factorize(labels, sort=True)
    out = []
    for k, lab in enumerate(uniq):
        rows = np.flatnonzero(code == k)
        part = bootstrap_pairs(counts, rows=rows, n_resamples=n_resamples,
                               seed=[int(seed), zlib.crc32(str(lab).encode("utf-8"))], confidence=confidence)
        part.insert(2, "stratum", str(lab))
        out.append(part)
    if not out:
        cols = ["entity_a", "entity_b", "stratum"] + INTERVAL_COLUMNS
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
    return pd.concat(out, ignore_index=True)


def method_note(n_resamples: int, seed: int, within: str | None = None) -> str:
    """The sentence naming the interval method (for tables' notes and captions)."""
    where = f" within each {within}" if within else ""
    return (f"bootstrap over articles{where}, {n_resamples} resamples, seed {seed} "
            "(whole articles are resampled, their windows travel with them)")


def add_pair_intervals(table: pd.DataFrame, intervals: pd.DataFrame, a: str = "entity_a", b: str = "entity_b",
                       stratum: str | None = None,
                       columns: Sequence[str] = ("npmi_low", "npmi_high")) -> pd.DataFrame:
    """``table`` with ``columns`` of :func:`pair_intervals` merged in by pair (columns ``a``, ``b`` in
    either order) and, when given, the ``stratum`` column of ``table`` (e.g. ``"period"``). Rows and
    their order are kept; pairs without an interval get NaN."""
    lo = np.where(table[a].astype(str) <= table[b].astype(str), table[a].astype(str), table[b].astype(str))
    hi = np.where(table[a].astype(str) <= table[b].astype(str), table[b].astype(str), table[a].astype(str))
    key = pd.DataFrame({"entity_a": lo, "entity_b": hi}, index=table.index)
    on = ["entity_a", "entity_b"]
    if stratum is not None:
        key["stratum"] = table[stratum].astype(str).to_numpy()
        on.append("stratum")
    iv = intervals[on + list(columns)].astype({c: str for c in on})
    merged = key.astype({c: str for c in on}).merge(iv, on=on, how="left", validate="many_to_one")
    out = table.copy()
    for c in columns:
        out[c] = merged[c].to_numpy()
    return out
