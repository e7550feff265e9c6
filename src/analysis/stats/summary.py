"""Reading aids for the report: key findings written from the tables, a glossary, wide tables."""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

__all__ = ["key_findings", "GLOSSARY", "glossary_table", "wide_table", "percent", "format_p"]

#: plain-language meaning of every column the report shows
GLOSSARY: dict[str, str] = {
    "period": "the day, week (its Monday), month, quarter or year of publication",
    "outlet": "the news outlet",
    "entity": "the country, person, organization or place counted",
    "partner": "an entity mentioned together with the focus entity",
    "n_articles": "articles in the group",
    "n_with": "articles in the group that mention the entity",
    "share": "share of the group's articles that mention the entity",
    "share_low": "lower end of the 95 % Wilson interval of the share",
    "share_high": "upper end of the 95 % Wilson interval of the share",
    "share_mean": "mean of the outlets' shares (each outlet counts once)",
    "share_balanced": "outlet shares weighted by each outlet's share of the whole corpus",
    "share_mean_low": "lower end of the 95 % interval of share_mean (bootstrap over articles within outlets)",
    "share_mean_high": "upper end of the 95 % interval of share_mean (bootstrap over articles within outlets)",
    "share_balanced_low": "lower end of the 95 % interval of share_balanced (bootstrap over articles within outlets)",
    "share_balanced_high": "upper end of the 95 % interval of share_balanced (bootstrap over articles within outlets)",
    "outlets_missing": "outlets of the corpus with no article in this period",
    "n_mentions": "mentions of the entity (one article can hold several)",
    "n_words": "words in the group's titles and texts",
    "per_1k_words": "mentions per 1,000 words",
    "per_1k_words_low": "lower end of the 95 % interval of per_1k_words (bootstrap over articles, 1000 resamples)",
    "per_1k_words_high": "upper end of the 95 % interval of per_1k_words (bootstrap over articles)",
    "n_ab": "windows (sentences, paragraphs or articles) mentioning both entities",
    "n_a": "windows mentioning the first entity",
    "n_b": "windows mentioning the second entity",
    "n_entity": "windows mentioning the focus entity",
    "n_partner": "windows mentioning the partner",
    "n_windows": "all windows of the level in the group",
    "pmi": "pointwise mutual information: log of how much more often the two appear together than by chance",
    "npmi": "PMI normalized to [-1, 1]: 1 always together, 0 independent, -1 never together",
    "jaccard": "windows with both / windows with either",
    "llr": "Dunning's log-likelihood G² (signed: negative when together less often than chance)",
    "p_value": "p-value of the test named beside it",
    "p_adjusted": "p-value adjusted for testing many terms or partners (Benjamini–Hochberg)",
    "share_ab": "share of windows mentioning both entities (the co-mention rate)",
    "share_ab_low": "lower end of the 95 % interval of share_ab (bootstrap over articles)",
    "share_ab_high": "upper end of the 95 % interval of share_ab (bootstrap over articles)",
    "npmi_low": "lower end of the 95 % interval of NPMI (bootstrap over articles: whole articles resampled)",
    "npmi_high": "upper end of the 95 % interval of NPMI (bootstrap over articles)",
    "pmi_low": "lower end of the 95 % interval of PMI (bootstrap over articles)",
    "pmi_high": "upper end of the 95 % interval of PMI (bootstrap over articles)",
    "n_resamples": "bootstrap resamples (or permutations) behind the interval or p-value",
    "n_valid": "resamples in which both entities occur (NPMI and PMI are defined on these)",
    "rank": "1 = strongest",
    "articles_before": "articles in the days before the event",
    "articles_after": "articles in the days after the event",
    "articles_event_day": "articles on the event day (counted apart)",
    "n_before": "of those before, articles mentioning the entity",
    "n_after": "of those after, articles mentioning the entity",
    "share_before": "share of articles before the event that mention the entity",
    "share_after": "share of articles after the event that mention the entity",
    "diff": "share after minus share before",
    "diff_low": "lower end of Newcombe's 95 % interval of the difference (articles as independent)",
    "diff_high": "upper end of Newcombe's 95 % interval of the difference",
    "boot_low": "lower end of the 95 % bootstrap interval resampling whole days",
    "boot_high": "upper end of the 95 % bootstrap interval resampling whole days",
    "p_naive": "p-value treating articles as independent (understates uncertainty)",
    "p_clustered": "p-value of the permutation test that shuffles whole days between the sides",
    "partial": "the corpus covers this period only in part",
    "term": "a word (normalized: diacritics, letter forms and the article removed)",
    "surface": "the word as most often written",
    "g2": "keyness: Dunning's G² of the word in the target against the reference",
    "log_ratio": "keyness: log2 of the word's relative frequency in the target over the reference",
    "topic": "topic number",
    "weight": "weight of the term in the topic, or of the topic in the article",
    "label": "the topic's three top terms",
    "terms": "the topic's ten top terms, strongest first",
    "npmi_heldout": "NPMI coherence of the topic's top terms on articles held out of the fit",
    "mean_weight": "mean weight of the topic in the group's articles (the topic's share of them)",
    "mean_weight_low": "lower end of the 95 % bootstrap interval of the mean weight (articles resampled)",
    "mean_weight_high": "upper end of the 95 % bootstrap interval of the mean weight",
    "dominant_share": "share of the group's articles whose strongest topic this is",
    "stability_mean": "mean cosine similarity of the topic to its best match in refits with other seeds (1 = same)",
    "stability_min": "lowest such similarity over the refits",
    "article_id": "the article's identifier in the corpus",
    "title": "the article's title",
    "published": "date and time of publication",
}


def glossary_table(columns) -> pd.DataFrame:
    """``column``, ``meaning`` for the given columns that the glossary knows, in order, once each."""
    seen, rows = set(), []
    for c in columns:
        if c in GLOSSARY and c not in seen:
            seen.add(c)
            rows.append({"column": c, "meaning": GLOSSARY[c]})
    return pd.DataFrame(rows, columns=["column", "meaning"])


def percent(x, digits: int = 1) -> str:
    """``0.1234`` -> ``"12.3 %"``; NaN -> ``"–"``."""
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "–"
    return f"{100 * float(x):.{digits}f} %"


#: below this, an asymptotic p-value has underflowed (scipy returns 0): shown as "< 1e-300"
_P_FLOOR = 1e-300


def format_p(p, n_resamples: int | None = None, digits: int = 2) -> str:
    """A p-value as text: ``digits`` significant digits (``0.031``, ``6.2e-54``); a p of 0 is never
    shown as 0: with ``n_resamples`` (a permutation or bootstrap p) it is ``"< 1/(n_resamples + 1)"``
    (``"< 0.0005"`` for 1999 resamples), else (an asymptotic p that underflowed) ``"< 1e-300"``.
    NaN -> ``"–"``."""
    if p is None or (isinstance(p, float) and np.isnan(p)):
        return "–"
    p = float(p)
    if p <= 0:
        if n_resamples is not None and int(n_resamples) > 0:
            return f"< {1.0 / (int(n_resamples) + 1):.{digits}g}"
        return f"< {_P_FLOOR:g}"
    return f"{p:.{digits}g}"


def wide_table(df: pd.DataFrame, index: str = "period", columns: str = "entity", values: str = "share",
               as_percent: bool = True, digits: int = 1) -> pd.DataFrame:
    """A period x entity table of ``values`` (percent strings when ``as_percent``), index and columns sorted."""
    wide = df.pivot_table(index=index, columns=columns, values=values, aggfunc="first", sort=True)
    wide.columns.name = None
    if as_percent:
        wide = wide.apply(lambda col: col.map(lambda v: percent(v, digits)))
    return wide


def key_findings(tables: Mapping[str, pd.DataFrame], labels: Mapping[str, str] | None = None,
                 n: int = 3) -> list[str]:
    """Sentences summarizing the report, written from its tables (deterministic wording).

    ``tables`` may hold ``event`` (:func:`analysis.stats.event.event_window`),
    ``partners`` (:func:`analysis.stats.partners.specific_partners`),
    ``coverage_total`` (``coverage(freq=None)``) and ``topics_by_focus``
    (``topic``, ``entity``, ``mean_weight`` or ``share``, optional ``label``).
    ``labels`` maps entity ids to display names.
    """
    lab = (lambda e: (labels or {}).get(e, e))
    out: list[str] = []
    cov = tables.get("coverage_total")
    if cov is not None and len(cov):
        c = cov.sort_values(["share", "entity"], ascending=[False, True], kind="mergesort")
        parts = [f"{lab(r.entity)} {percent(r.share)} ({percent(r.share_low)}–{percent(r.share_high)})"
                 for r in c.itertuples() if not np.isnan(r.share)]
        if parts:
            out.append("Share of articles mentioning each focus entity: " + "; ".join(parts) + ".")
    ev = tables.get("event")
    if ev is not None and len(ev):
        e = ev.dropna(subset=["diff"])
        e = e.reindex(e["diff"].abs().sort_values(ascending=False, kind="mergesort").index).head(n)
        for r in e.itertuples():
            direction = "rose" if r.diff > 0 else "fell"
            n_perm = getattr(r, "n_resamples", None) or ev.attrs.get("n_resamples")
            p_cl = format_p(r.p_clustered, n_perm, digits=3)
            sig = (f"clustered p {p_cl}" if p_cl.startswith("<") else f"clustered p = {p_cl}") \
                if not np.isnan(r.p_clustered) else "no clustered test"
            out.append(
                f"Around {r.event} ({r.window}), {lab(r.entity)}'s share {direction} from {percent(r.share_before)} "
                f"to {percent(r.share_after)} ({'+' if r.diff > 0 else ''}{100 * r.diff:.1f} points; day-bootstrap "
                f"95 % interval {100 * r.boot_low:+.1f} to {100 * r.boot_high:+.1f}; {sig}).")
    pa = tables.get("partners")
    if pa is not None and len(pa):
        for ent, g in pa.groupby("entity", sort=True):
            top = g.sort_values("rank", kind="mergesort").head(n)
            names = ", ".join(f"{lab(r.partner)} (NPMI {r.npmi:.2f}{_npmi_interval(r)}, {int(r.n_ab):,} together)"
                              for r in top.itertuples())
            out.append(f"Most specific partners of {lab(ent)}: {names}.")
    tp = tables.get("topics_by_focus")
    if tp is not None and len(tp):
        val = "mean_weight" if "mean_weight" in tp.columns else "share"
        for ent, g in tp.groupby("entity", sort=True):
            r = g.sort_values([val, "topic"], ascending=[False, True], kind="mergesort").iloc[0]
            name = getattr(r, "label", None) or f"topic {r.topic}"
            out.append(f"Dominant topic in {lab(ent)}'s coverage: {name}.")
    return out


def _npmi_interval(row) -> str:
    """``", 95 % interval 0.36 to 0.39"`` when the row has ``npmi_low`` and ``npmi_high``, else ``""``."""
    lo, hi = getattr(row, "npmi_low", np.nan), getattr(row, "npmi_high", np.nan)
    if lo is None or hi is None or np.isnan(lo) or np.isnan(hi):
        return ""
    return f", 95 % interval {lo:.2f} to {hi:.2f}"
