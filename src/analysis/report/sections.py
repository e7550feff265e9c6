"""The report's sections: one function per section, each returning a :class:`SectionResult`.

Every section takes the :class:`ReportContext` (parameters and data), computes
its tables and figures with the package's public functions and returns them
with its notes; it neither shows nor saves anything. In a notebook::

    cov = R.coverage_section(ctx)   # compute
    ctx.save(cov)                   # write tables/ and figures/ into the report folder
    cov                             # show (the cell's last expression)
    cov.tables["by_period"].head()  # reuse

A part of a section that cannot be computed on the corpus says why in a
warning note instead of failing. The tables of each section (``tables``
keys, saved as ``tables/<prefix>_<name>.csv``):

=========================  ====================================================================
section                    tables
=========================  ====================================================================
``parameters_section``     ``parameters`` (parameter, value)
``corpus_section``         ``summary`` (measure, value), ``outlets`` (outlet, articles, dated,
                           first, last), ``categories`` (category, articles), ``skipped``
                           (kind, records, example), ``skipped_records`` (the loader's skipped
                           table: source_file, line, reason)
``coverage_section``       ``by_period_outlet``, ``by_period``, ``by_outlet``, ``total``: the
                           columns of :func:`analysis.coverage` (``name`` after ``entity``);
                           ``balanced`` (:func:`analysis.stats.balance.balanced_shares` with name)
``comention_section``      ``top_partners``, ``top_partners_npmi`` (:func:`analysis.top_partners`
                           with entity_name, partner_name, npmi_low, npmi_high), ``matrix_counts``,
                           ``matrix_npmi`` (entity, name, one column per entity),
                           ``matrix_npmi_intervals`` (its pairs with intervals), ``triangle``
                           (:func:`analysis.focus_triangle` with name and the intervals of share_ab
                           and npmi; all from :mod:`analysis.stats.association`)
``examples_section``       ``examples`` (pair, :func:`analysis.kwic` columns, title)
``topics_section``         ``topics`` (topic, label, npmi, npmi_heldout, terms, mean_weight,
                           dominant_share, stability_mean, stability_min), ``terms``
                           (TopicModel.topics(10)), ``representative``
                           (:func:`analysis.topics.model.representative_articles` with label),
                           ``by_focus`` (:func:`analysis.topic_prevalence` with name and
                           bootstrap intervals), ``over_time``
                           (:func:`analysis.topics_over_time`)
``keyness_section``        ``keyness`` (entity, name, :func:`analysis.keyness` columns)
``event_section``          ``window`` (:func:`analysis.stats.event.event_windows` with name),
                           ``daily`` (daily coverage over the event windows)
``voices_section``         ``shares``, ``shares_by_outlet``, ``about``, ``top_speakers``, ``examples``,
                           ``kinds`` (:func:`analysis.voices_tables`, with name)
``findings_section``       ``findings`` (finding: sentences written from the tables)
``glossary_section``       ``glossary`` (column, meaning)
``methods_section``        ``matching_accuracy`` (scope, precision, recall, f1, ...)
=========================  ====================================================================

:data:`TABLE_COLUMNS` lists the columns each table has (at least).
"""
from __future__ import annotations

import importlib.metadata
import importlib.resources
import json
import re
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pandas as pd

from analysis.report.context import ReportContext
from analysis.report.errors import NotEnoughData
from analysis.report.html import html_escape
from analysis.report.models import (STABILITY_MAX_DOCS, STABILITY_SEEDS, topic_k, topic_model, topic_stability,
                                     topics_job)
from analysis.report.results import SectionResult

_COV = ["entity", "name", "n_articles", "n_with", "share", "share_low", "share_high", "n_mentions", "n_words",
        "per_1k_words"]
_PARTNERS = ["entity", "entity_name", "rank", "partner", "partner_name", "n_ab", "n_partner", "npmi", "npmi_low",
             "npmi_high", "llr"]

#: section -> table -> columns it has at least (tested)
TABLE_COLUMNS: dict[str, dict[str, list[str]]] = {
    "parameters_section": {"parameters": ["parameter", "value"]},
    "corpus_section": {
        "summary": ["measure", "value"],
        "outlets": ["outlet", "articles", "dated", "first", "last"],
        "categories": ["category", "articles"],
        "skipped": ["kind", "records", "example"],
    },
    "coverage_section": {
        "by_period_outlet": ["period", "partial", "outlet", *[c for c in _COV if c != "name"]],
        "total": _COV + ["per_1k_words_low", "per_1k_words_high"],
        "by_period": ["period", "partial", *_COV],
        "by_outlet": ["outlet", *_COV, "per_1k_words_low", "per_1k_words_high"],
        "balanced": ["period", "partial", "entity", "name", "n_articles", "n_with", "share", "share_mean",
                     "share_balanced", "n_outlets", "outlets_missing"],
    },
    "comention_section": {
        "top_partners": _PARTNERS,
        "top_partners_npmi": _PARTNERS + ["p_value", "p_adjusted"],
        "matrix_counts": ["entity", "name"],
        "matrix_npmi": ["entity", "name"],
        "matrix_npmi_intervals": ["entity", "entity_name", "partner", "partner_name", "n_ab", "npmi", "npmi_low",
                                  "npmi_high", "n_resamples"],
        "triangle": ["entity_a", "name", "entity_b", "period", "partial", "n_ab", "n_a", "n_b", "n_windows",
                     "share_ab", "share_ab_low", "share_ab_high", "npmi", "npmi_low", "npmi_high", "llr"],
    },
    "examples_section": {"examples": ["pair", "article_id", "title", "outlet", "published", "text", "spans_a",
                                      "spans_b"]},
    "topics_section": {
        "topics": ["topic", "label", "npmi", "npmi_heldout", "terms", "mean_weight", "dominant_share",
                   "stability_mean", "stability_min"],
        "terms": ["topic", "rank", "term", "weight", "key"],
        "representative": ["topic", "label", "rank", "article_id", "title", "outlet", "published", "weight"],
        "by_focus": ["topic", "name", "mean_weight", "mean_weight_low", "mean_weight_high"],
        "over_time": ["period", "topic", "n_articles", "mean_weight"],
    },
    "keyness_section": {"keyness": ["entity", "name", "surface", "n_target", "n_reference", "per_10k_target",
                                    "per_10k_reference", "g2", "log_ratio", "p_value", "p_adjusted"]},
    "event_section": {"window": ["event", "event_date", "window", "entity", "name", "articles_before",
                                 "articles_event_day", "articles_after", "n_before", "n_event_day", "n_after",
                                 "share_before", "share_event_day", "share_after", "diff", "diff_low", "diff_high",
                                 "boot_low", "boot_high", "test_naive", "p_naive", "p_clustered", "days_before",
                                 "days_after", "method"]},
    "voices_section": {
        "shares": ["period", "outlet", "entity", "name", "n_statements", "n_known", "n_speaker", "share",
                   "share_low", "share_high", "share_known", "share_named"],
        "shares_by_outlet": ["period", "outlet", "entity", "name", "n_statements", "n_speaker", "share", "share_low",
                             "share_high"],
        "about": ["speaker_country", "about", "n", "n_speaker", "share", "share_low", "share_high"],
        "top_speakers": ["country", "rank", "speaker", "speaker_id", "kind", "n_statements", "n_articles",
                         "n_outlets", "share", "name", "speaker_name"],
        "examples": ["country", "article_id", "outlet", "verb", "speaker_text", "speaker_kind", "direct", "quote"],
        "kinds": ["outlet", "speaker_kind", "n", "share"],
    },
    "methods_section": {"matching_accuracy": ["scope", "precision", "recall", "f1"]},
    "findings_section": {"findings": ["finding"]},
    "glossary_section": {"glossary": ["column", "meaning"]},
}

_NO_DATE = ("undated", "all")


def _focus_sorted(ctx: ReportContext, df: pd.DataFrame, col: str = "entity", then: Sequence[str] = ()) -> pd.DataFrame:
    """Rows in the order of the focus list (then by ``then``), for legends and tables."""
    rank = {f: i for i, f in enumerate(ctx.focus)}
    return (df.assign(_r=df[col].map(rank).fillna(len(rank)))
            .sort_values(["_r", *then], kind="mergesort").drop(columns="_r"))


def _min_chart_articles(counts: pd.Series, n_articles: int) -> int:
    """Fewest articles a period needs to be charted: on corpora of 1,000+ articles, 10 and at least
    5 % of the typical period (the median of those with 10 or more): stragglers far from the rest
    would stretch the time axis, and their shares would rest on a handful of articles."""
    if n_articles < 1000 or counts.empty:
        return 0
    typical = counts[counts >= 10]
    return int(max(10, 0.05 * float(typical.median()))) if len(typical) else 10


def _chart_periods(ctx: ReportContext, res: SectionResult, df: pd.DataFrame, col: str = "period") -> pd.DataFrame:
    """Rows of dated periods worth charting (see :func:`_min_chart_articles`), with a note in
    ``res`` naming the periods left out; the tables keep them."""
    d = df[~df[col].astype(str).isin(_NO_DATE)]
    key = ("period_counts", ctx.freq)
    if key not in ctx.cache:
        counts = ctx.data.period_counts(ctx.freq)
        ctx.cache[key] = counts[~counts.index.astype(str).isin(_NO_DATE)]
    counts = ctx.cache[key]
    need = _min_chart_articles(counts, ctx.data.n_articles)
    small = set(counts[counts < need].index.astype(str))
    drop = sorted(set(d[col].astype(str)) & small)
    if drop:
        res.add_note(f"Charts over time leave out {len(drop)} {_period_name(ctx.freq)}(s) with fewer than {need} "
                     f"articles ({', '.join(drop[:6])}{'...' if len(drop) > 6 else ''}); the tables keep them.")
    return d[~d[col].astype(str).isin(drop)]


def _need(cond: bool, why: str) -> None:
    if not cond:
        raise NotEnoughData(why)


def _period_name(freq: str) -> str:
    from analysis.stats.periods import FREQ_NAMES

    return FREQ_NAMES.get(freq, freq)


def _partial(ctx: ReportContext, df: pd.DataFrame, col: str = "period") -> pd.DataFrame:
    """``df`` with the bool column ``partial`` after ``col``: periods the corpus covers only in part
    (:func:`analysis.stats.periods.mark_partial` on all the articles' dates)."""
    from analysis.stats.periods import mark_partial

    return mark_partial(df, ctx.published, ctx.freq, col=col)


def _partial_note(ctx: ReportContext, periods) -> str:
    """``"Partial weeks (the corpus covers only part of them; hollow markers in the figures): 2018-01-08,
    2018-01-29."`` for the partial periods among ``periods``, or ""."""
    from analysis.stats.periods import period_table

    t = period_table(ctx.published, ctx.freq)
    part = [p for p in t.loc[t["partial"].astype(bool), "period"] if p in set(map(str, periods))]
    if not part:
        return ""
    return (f"Partial {_period_name(ctx.freq)}s, which the corpus covers only in part (column partial; hollow "
            f"markers or hatched bars in the figures): {', '.join(part)}.")


def _named(ctx: ReportContext, df: pd.DataFrame, col: str = "entity", name: str = "name") -> pd.DataFrame:
    """``df`` with the display name of ``col`` inserted after it."""
    df = df.copy()
    df.insert(df.columns.get_loc(col) + 1, name, df[col].map(ctx.label))
    return df


# --------------------------------------------------------------------------- key findings, glossary

def findings_section(ctx: ReportContext, n: int = 3) -> SectionResult:
    """Key findings written from the report's tables (:func:`analysis.stats.summary.key_findings`):
    coverage of the whole corpus, the event windows, the most specific partners (NPMI above a
    minimum count), the dominant topic of each focus entity. Table ``findings`` (finding)."""
    from analysis.stats.partners import specific_partners
    from analysis.stats.summary import key_findings

    res = SectionResult("Key findings", prefix="findings")
    with res.section("Key findings"):
        _need(ctx.data.n_articles > 0, "the corpus is empty.")
        tables: dict[str, pd.DataFrame] = {}
        cov = ctx.data.coverage(None)
        tables["coverage_total"] = _focus_sorted(ctx, cov)
        if ctx.events:
            tables["event"] = _event_table(ctx)
        if ctx.data.n_mentions:
            co = _comentions(ctx)
            if len(co):
                tables["partners"] = _with_npmi_interval(ctx, specific_partners(
                    co, focus=ctx.focus, n=n, min_count=_min_partner_count(ctx)))
        if ctx.k > 0 and len(ctx.articles) >= 10:
            model = topic_model(ctx)
            if not isinstance(model, str):
                by = "country" if ctx.roll_up else "entity_id"
                labels = model.labels(3)
                prev = ctx.data.topic_prevalence(model, by, labels=labels)
                if len(prev):
                    prev = prev.rename(columns={by: "entity"})
                    prev["label"] = prev["topic"].map(lambda t: f"topic {t} ({labels[t]})")
                    tables["topics_by_focus"] = prev
        lines = key_findings(tables, labels={e: ctx.label(e) for e in ctx.focus} | {
            p: ctx.label(p) for p in tables.get("partners", pd.DataFrame({"partner": []}))["partner"]}, n=n)
        _need(len(lines) > 0, "nothing to summarize.")
        res.add_table("findings", pd.DataFrame({"finding": lines}), file="key_findings", show=False)
        res.add_html("<ul class=\"report-findings\">" + "".join(f"<li>{html_escape(t)}</li>" for t in lines)
                     + "</ul>")
        res.add_note(f"Written from the tables below. Partners: NPMI among pairs seen in at least "
                     f"{_min_partner_count(ctx)} {ctx.level}s, with its 95 % interval from a bootstrap over articles "
                     f"({PAIR_RESAMPLES} resamples, seed {ctx.seed}). Event changes: the largest differences first; "
                     "the clustered p (whole days permuted) is the one to cite.")
    return res


def _min_partner_count(ctx: ReportContext) -> int:
    """Fewest shared windows before a partner's NPMI is shown: 20 on 5,000+ articles, 5 on 500+, else 2."""
    n = ctx.data.n_articles
    return 20 if n >= 5000 else 5 if n >= 500 else 2


def glossary_section(ctx: ReportContext) -> SectionResult:
    """What every column shown in the report means (:func:`analysis.stats.summary.glossary_table` over
    the columns of the tables shown by the sections saved so far). Table ``glossary`` (column, meaning)."""
    from analysis.stats.summary import glossary_table

    res = SectionResult("Glossary", prefix="glossary")
    with res.section("Glossary"):
        g = glossary_table(ctx.shown_columns)
        _need(len(g) > 0, "no section with a table was saved before this one.")
        res.add_table("glossary", g, file="glossary", max_rows=len(g), caption="Columns of the tables shown")
    return res


# --------------------------------------------------------------------------- parameters and corpus

def corpus_summary(ctx: ReportContext) -> pd.DataFrame:
    """Table ``measure``, ``value``: the loader's counts, articles, outlets, span, mentions."""
    summ = ctx.data.load_summary()
    rows: list[tuple[str, Any]] = []
    for k in sorted(summ):
        v = summ[k]
        if isinstance(v, (int, float, str, bool)) and not isinstance(v, bool):
            rows.append((k, int(v) if isinstance(v, float) and float(v).is_integer() else v))
    extra = ctx.data.summary_extra()
    have = {k for k, _ in rows}
    rows.extend((k, v) for k, v in extra if k not in have)
    return pd.DataFrame(rows, columns=["measure", "value"]).astype({"value": object})


_DETAIL_NUMBERS = re.compile(r"\s*\([^()]*\d[^()]*\)")  # "(element 12 of the JSON array)", "(char 44)"
_NUMBERS = re.compile(r"\d+")


def reason_kind(reason: str) -> str:
    """The kind of a skip reason: without its record numbers and details (``"empty text (element 12
    of the JSON array)"`` -> ``"empty text"``, ``"malformed JSON line: Expecting ..."`` -> ``"malformed
    JSON line"``, ``"expected 5 fields, found 7"`` -> ``"expected N fields, found N"``)."""
    kind = _DETAIL_NUMBERS.sub("", str(reason)).split(":", 1)[0]
    return " ".join(_NUMBERS.sub("N", kind).split()) or str(reason)


def skipped_kinds(skipped: pd.DataFrame) -> pd.DataFrame:
    """The loader's skipped records (``attrs["skipped"]``) by kind of reason: ``kind``, ``records``,
    ``example`` (file name, line and full reason of the first record of the kind), most records first.
    The kind is the table's ``kind`` column when it has one, else :func:`reason_kind` of the reason."""
    s = skipped.sort_values([c for c in ("source_file", "line") if c in skipped.columns], kind="mergesort")
    kinds = s["kind"].astype(str) if "kind" in s.columns else s["reason"].map(reason_kind)
    where = [Path(str(f)).name + (f" line {int(n)}" if pd.notna(n) else "") + f": {r}"
             for f, n, r in zip(s["source_file"], s["line"], s["reason"])]
    out = (pd.DataFrame({"kind": kinds.to_numpy(), "example": where})
           .groupby("kind", sort=True).agg(records=("example", "size"), example=("example", "first"))
           .reset_index())
    return out.sort_values(["records", "kind"], ascending=[False, True], kind="mergesort").reset_index(drop=True)


def crawl_dates(articles: pd.DataFrame) -> pd.Series:
    """Articles dated by a crawl or extraction time: counts by input field (``date_field`` values in
    ``analysis.io.CRAWL_DATE_FIELDS``), largest first; empty when the table has no ``date_field``."""
    if "date_field" not in articles.columns:
        return pd.Series(dtype="int64", name="articles")
    return crawl_counts(articles["date_field"].astype(object).dropna().astype(str).value_counts())


def crawl_counts(date_fields: pd.Series) -> pd.Series:
    """:func:`crawl_dates` from the articles' counts by ``date_field`` value."""
    import analysis.io

    fields = getattr(analysis.io, "CRAWL_DATE_FIELDS", frozenset({"date_extracted"}))
    counts = date_fields[date_fields.index.astype(str).isin(list(fields))].astype("int64").rename("articles")
    return counts.sort_index().sort_values(ascending=False, kind="mergesort")


def parameters_section(ctx: ReportContext, params: dict) -> SectionResult:
    """The parameters the report ran with (``out_dir`` left out)."""
    res = SectionResult("Parameters")
    df = pd.DataFrame(sorted((k, str(v)) for k, v in params.items() if k != "out_dir"),
                      columns=["parameter", "value"])
    res.add_table("parameters", df, show=False)
    res.add_html("<p><b>Parameters:</b> " + "; ".join(
        f"{html_escape(k)} = <code>{html_escape(v)}</code>" for k, v in zip(df["parameter"], df["value"])
        if v not in ("", "None")) + " (all in tables/parameters.csv)</p>")
    return res


def corpus_section(ctx: ReportContext) -> SectionResult:
    """Articles loaded, skipped and deduplicated; outlets; categories; articles over time."""
    from analysis import plotting as P

    res = SectionResult("Corpus", prefix="corpus")
    n_articles = ctx.data.n_articles
    summ = corpus_summary(ctx)
    res.add_table("summary", summ, show=False)
    key = ["records", "loaded", "skipped", "duplicates_dropped", "wire_copies", "dup_groups", "related",
           "filtered_out", "dates_missing", "articles", "outlets", "first_date", "last_date", "mentions",
           "articles_with_mentions"]
    shown = summ.set_index("measure").reindex([k for k in key if k in set(summ["measure"])]).reset_index()
    res.add_view(shown, max_rows=40, caption="Corpus counts (all in tables/corpus_summary.csv)")
    if ctx.data.sample_note:
        res.add_note(ctx.data.sample_note.replace("computed on", "the examples, topics and voices are computed on")
                     + " Every count, coverage, co-mention, keyness and event table counts every article.")
    crawl = crawl_counts(ctx.data.date_fields())
    if len(crawl):
        n = int(crawl.sum())
        res.add_note(f"{n:,} of {n_articles:,} articles ({100.0 * n / n_articles:.1f} %) are dated by a crawl or extraction "
                     "time, not a publication date (" + ", ".join(f"{f}: {c:,}" for f, c in crawl.items())
                     + "): their dates say when a page was collected, which can be much later than when it was "
                       "published, so read their periods with care.", kind="warning")
    with res.section("Corpus"):
        _need(n_articles > 0, "no article was loaded (see the skipped files above).")
        res.add_table("outlets", ctx.data.outlets(), caption="Articles per outlet")
        c = ctx.data.categories()
        if c is not None:
            res.add_table("categories", c, caption="Articles per category")
        skipped = ctx.data.skipped()
        if isinstance(skipped, pd.DataFrame) and len(skipped):
            res.add_table("skipped_records", skipped.sort_values(list(skipped.columns[:2]), kind="mergesort"),
                          show=False)
            res.add_table("skipped", skipped_kinds(skipped), caption="Skipped records by kind of reason")
    with res.section("Articles over time"):
        _need(n_articles > 0, "the corpus is empty.")
        t = ctx.data.articles_by_period_outlet(ctx.freq)
        t = _partial(ctx, _chart_periods(ctx, res, t))
        _need(len(t) > 0, "no article has a publication date, so nothing can be shown over time.")
        t["period"] = P.period_dates(t["period"])
        t["label"] = t["outlet"]
        res.add_figure("articles_per_period", P.stacked_bars(
            t, title=f"Articles per {_period_name(ctx.freq)} and outlet", ylabel="articles", max_series=10))
    return res


# --------------------------------------------------------------------------- coverage

def coverage_section(ctx: ReportContext) -> SectionResult:
    """Coverage volume and share over time and by outlet, with 95 % Wilson intervals
    (:func:`analysis.coverage` by period and outlet, by period, by outlet and for the whole corpus)."""
    from analysis import plotting as P

    res = SectionResult("Coverage", prefix="coverage")
    resolve = ctx.roll_up
    with res.section("Coverage"):
        _need(ctx.data.n_articles > 0, "the corpus is empty.")
        if resolve:
            res.add_note("Country coverage counts an article when it mentions the country itself or one of its "
                         "people, places or institutions (Putin and Moscow count for Russia).")
        show = ["name", "n_articles", "n_with", "share", "share_low", "share_high", "per_1k_words",
                "per_1k_words_low", "per_1k_words_high"]

        def cov(freq, by=None, rate_ci=False):
            out = ctx.data.coverage(freq, by)
            out = _with_rate_interval(ctx, out, freq, by) if rate_ci else out
            return out.drop(columns="period") if freq is None else out

        res.add_note(ctx.freq_note())
        if not _article_bootstrap(ctx):
            res.add_note(_POISSON_RATE_NOTE)
        res.add_table("by_period_outlet", _partial(ctx, cov(ctx.freq, "outlet")), show=False)
        total = _focus_sorted(ctx, _named(ctx, cov(None, rate_ci=True)))
        res.add_table("total", total, caption="Whole corpus", columns=show)
        by_po = res.tables["by_period_outlet"]
        by_period = res.add_table("by_period", _partial(ctx, _named(ctx, cov(ctx.freq))), show=False)
        dated = _chart_periods(ctx, res, by_period).copy()
        if len(dated):
            from analysis.stats.balance import balanced_shares
            from analysis.stats.summary import wide_table

            bal = _partial(ctx, balanced_shares(by_po[~by_po["period"].astype(str).isin(_NO_DATE)]
                                                .drop(columns="partial"), seed=ctx.seed))
            res.add_table("balanced", _named(ctx, bal), show=False)
            keep = set(dated["period"].astype(str))
            wide = wide_table(dated, index="period", columns="entity", values="share")
            wide = wide.reindex(columns=[f for f in ctx.focus if f in wide.columns])
            wb = wide_table(bal[bal["period"].astype(str).isin(keep)], index="period", columns="entity",
                            values="share_balanced").reindex(index=wide.index, columns=wide.columns)
            out = pd.DataFrame({"articles": dated.groupby("period")["n_articles"].first().reindex(wide.index),
                                "partial": dated.groupby("period")["partial"].first().reindex(wide.index)})
            for e in wide.columns:
                out[f"{ctx.label(e, False)}: share"] = wide[e]
                out[f"{ctx.label(e, False)}: outlet-balanced"] = wb[e]
            miss = bal.drop_duplicates("period").set_index("period")["outlets_missing"].reindex(wide.index)
            out["outlets missing"] = miss.fillna("").to_numpy()
            res.add_view(out.reset_index(), max_rows=60, caption=(
                f"Share of articles mentioning each country by {_period_name(ctx.freq)}, raw and outlet-balanced "
                f"(the charted {_period_name(ctx.freq)}s; intervals and every period in "
                "tables/coverage_by_period.csv and tables/coverage_balanced.csv)"))
            if _partial_note(ctx, wide.index):
                res.add_note(_partial_note(ctx, wide.index))
            lacking = miss[miss.fillna("") != ""]
            if len(lacking):
                res.add_note(f"{len(lacking)} of {len(miss)} {_period_name(ctx.freq)}s lack some outlets (e.g. "
                             + "; ".join(f"{p}: {o}" for p, o in lacking.head(4).items())
                             + "). Their raw shares mix coverage with the outlet mix: the outlet-balanced share "
                               "weights each present outlet's share by its share of the whole corpus.")
        if len(dated) and dated["period"].nunique() >= 2:
            dated["period"] = P.period_dates(dated["period"])
            dated["label"] = dated["name"]
            dated = _focus_sorted(ctx, dated, then=["period"])
            res.add_figure("share_over_time", P.share_over_time(
                dated, title=f"Share of articles mentioning each country, by {_period_name(ctx.freq)} "
                             "(95% Wilson interval)", events=ctx.events))
            vol = dated.assign(value=dated["n_with"])
            res.add_figure("volume_over_time", P.lines_over_time(
                vol, title=f"Articles mentioning each country, by {_period_name(ctx.freq)}", ylabel="articles",
                order=list(dict.fromkeys(vol["label"])), events=ctx.events))
        else:
            res.add_note("Fewer than two dated periods: no chart over time.")
        by_out = res.add_table("by_outlet", _named(ctx, cov(None, "outlet", rate_ci=True)), max_rows=30,
                               caption="By outlet",
                               columns=["outlet"] + show)
        order = by_out.groupby("outlet")["n_articles"].first().sort_values(ascending=False, kind="mergesort")
        top = list(order.index[:15])
        sel = by_out[by_out["outlet"].isin(top)].copy()
        sel["outlet"] = pd.Categorical(sel["outlet"], categories=top, ordered=True)
        sel = _focus_sorted(ctx, sel).sort_values("outlet", kind="mergesort").assign(
            outlet=lambda d: d["outlet"].astype(str))
        sel["label"] = sel["name"]
        sel["outlet"] = sel["outlet"] + " (n=" + sel["n_articles"].astype(str) + ")"
        res.add_figure("share_by_outlet", P.share_by_group(
            sel, group="outlet", title="Share of each outlet's articles mentioning each country (95% interval)"))
    return res


def _article_bootstrap(ctx: ReportContext) -> bool:
    """True when the article-level bootstraps (NPMI, co-mention rates, mentions per 1,000 words) can run:
    they resample every article, which the Dask engine holds in one place only when its seeded sample
    is the whole corpus; otherwise the interval columns are left empty and the sections say so."""
    if getattr(ctx, "engine", "memory") != "dask":
        return True
    return ctx.articles is not None and len(ctx.articles) == ctx.data.n_articles


_NO_BOOTSTRAP_NOTE = ("On the Dask engine, with a corpus larger than its sample, the article-bootstrap intervals "
                      "(columns ending _low / _high of NPMI and share_ab) are left empty: they "
                      "resample every article, and the counts here are sums over partitions. Run the in-memory "
                      "engine for them.")


_POISSON_RATE_NOTE = ("On the Dask engine, with a corpus larger than its sample, the interval of mentions per "
                      "1,000 words of the whole corpus (per_1k_words_low / _high) comes from a Poisson bootstrap "
                      "over every article: each article weighs Poisson(1) per resample, drawn from a hash of its "
                      "id and the seed, so the partitions' weighted sums add up; it agrees with the in-memory "
                      "bootstrap to Monte Carlo error. The co-mention intervals (NPMI, share_ab) are left empty "
                      "(see the co-mention section).")


def _empty_columns(df: pd.DataFrame, new: list, after: dict) -> pd.DataFrame:
    """``df`` with the float columns ``new`` (all NaN), each placed after ``after[column]``."""
    out = df.copy()
    for c in new:
        out.insert(out.columns.get_loc(after[c]) + 1, c, np.nan)
    return out


def _with_rate_interval(ctx: ReportContext, cov: pd.DataFrame, freq, by) -> pd.DataFrame:
    """A :func:`analysis.coverage` table with ``per_1k_words_low``/``_high`` after ``per_1k_words``
    (:func:`analysis.stats.rates.mention_rate_intervals`: bootstrap over the group's articles)."""
    from analysis.stats.rates import mention_rate_intervals

    if not _article_bootstrap(ctx):
        iv = ctx.data.rate_intervals(freq, by)
        if iv is None:
            return _empty_columns(cov, ["per_1k_words_low", "per_1k_words_high"],
                                  {"per_1k_words_low": "per_1k_words", "per_1k_words_high": "per_1k_words_low"})
    else:
        iv = mention_rate_intervals(articles=ctx.articles, mentions=ctx.mentions, focus=ctx.focus, freq=freq, by=by,
                                    resolve=ctx.roll_up, n_resamples=PAIR_RESAMPLES, seed=ctx.seed)
    keys = [c for c in ("period", "outlet", "entity") if c in cov.columns]
    out = cov.merge(iv[keys + ["per_1k_words_low", "per_1k_words_high"]].astype({k: str for k in keys}),
                    on=keys, how="left", validate="one_to_one")
    cols = list(cov.columns)
    at = cols.index("per_1k_words") + 1
    return out[cols[:at] + ["per_1k_words_low", "per_1k_words_high"] + cols[at:]]


# --------------------------------------------------------------------------- co-mentions

def _pair_label(ctx: ReportContext, a: str, b: str, english: bool = True) -> str:
    """``روسيا – سوريا (Russia–Syria)``: Arabic names, then the English pair in one bracket."""
    ar = f"{ctx.label(a, False)} – {ctx.label(b, False)}"
    if not english:
        return ar
    en_a, en_b = (ctx.label(e).split(" (", 1)[1].rstrip(")") if " (" in ctx.label(e) else e for e in (a, b))
    return f"{ar} ({en_a}–{en_b})"


def kwic_html(rows: pd.DataFrame, ctx: ReportContext | None = None) -> str:
    """Escaped HTML for example windows (a :func:`analysis.kwic` table): the
    window text with the mentions (``spans_a``/``spans_b``, offsets in the field
    text) marked, and outlet, date and article id beneath."""
    items = []
    for rec in rows.to_dict("records"):
        sent = str(rec.get("text", "") or "")
        base = int(rec.get("start", 0) or 0)
        spans = sorted({(int(s) - base, int(e) - base) for key in ("spans_a", "spans_b")
                        for s, e in (rec.get(key) or [])})
        pieces, pos = [], 0
        for s, e in spans:
            if s < pos or s < 0 or e > len(sent):
                continue
            pieces.append(html_escape(sent[pos:s]))
            pieces.append(f"<mark>{html_escape(sent[s:e])}</mark>")
            pos = e
        pieces.append(html_escape(sent[pos:]))
        pub = rec.get("published")
        date = pd.Timestamp(pub).strftime("%Y-%m-%d") if pub is not None and not pd.isna(pub) else ""
        meta = " · ".join(f"<bdi>{html_escape(v)}</bdi>"
                          for v in (rec.get("title"), rec.get("outlet"), date, rec.get("article_id"))
                          if v is not None and not (isinstance(v, float) and pd.isna(v)) and v != "")
        items.append(f'<li><div dir="rtl" lang="ar" style="text-align:right">{"".join(pieces)}</div>'
                     f'<div style="color:#666;font-size:85%" dir="auto">{meta}</div></li>')
    return '<ul class="report-kwic">' + "".join(items) + "</ul>"


def _windows(ctx: ReportContext) -> pd.DataFrame | None:
    """The corpus's sentence and paragraph counts (:func:`analysis.count_windows`), once per corpus."""
    if ctx.level == "article":
        return None
    if "windows" not in ctx.cache:
        from analysis.measures.cooccurrence import count_windows

        ctx.cache["windows"] = count_windows(articles=ctx.articles)
    return ctx.cache["windows"]


def _comentions(ctx: ReportContext) -> pd.DataFrame:
    """:func:`analysis.count_comentions` at the report's level, once per context."""
    key = ("comentions", ctx.level)
    if key not in ctx.cache:
        ctx.cache[key] = ctx.data.comentions(windows=lambda: _windows(ctx))
    return ctx.cache[key]


#: resamples of the article bootstrap behind the co-mention intervals (NPMI, co-mention rate)
PAIR_RESAMPLES = 1000


def _pair_intervals(ctx: ReportContext, pairs) -> pd.DataFrame:
    """:func:`analysis.stats.association.pair_intervals` of ``pairs`` over the whole corpus at the report's
    level, cached per context. A pair's resamples do not depend on the other pairs (the same seeded
    article draws serve all), so pairs computed for one section are reused by another."""
    from analysis.stats.association import pair_intervals

    key = ("pair_intervals", ctx.level, PAIR_RESAMPLES, ctx.seed)
    have = ctx.cache.get(key)
    want = {tuple(sorted((str(x), str(y)))) for x, y in pairs if str(x) != str(y)}
    known = set() if have is None else set(zip(have["entity_a"], have["entity_b"]))
    missing = sorted(want - known)
    if missing or have is None:
        new = pair_intervals(articles=ctx.articles, mentions=ctx.mentions, pairs=missing, level=ctx.level,
                             windows=_windows(ctx), n_resamples=PAIR_RESAMPLES, seed=ctx.seed)
        have = new if have is None else pd.concat([have, new], ignore_index=True).sort_values(
            ["entity_a", "entity_b"], kind="mergesort").reset_index(drop=True)
        ctx.cache[key] = have
    return have


def _with_npmi_interval(ctx: ReportContext, tab: pd.DataFrame, a: str = "entity", b: str = "partner") -> pd.DataFrame:
    """``tab`` with ``npmi_low``, ``npmi_high`` right after ``npmi`` (article bootstrap, :func:`_pair_intervals`)."""
    from analysis.stats.association import add_pair_intervals

    if not _article_bootstrap(ctx):
        return _empty_columns(tab, ["npmi_low", "npmi_high"], {"npmi_low": "npmi", "npmi_high": "npmi_low"})
    out = add_pair_intervals(tab, _pair_intervals(ctx, zip(tab[a], tab[b])), a=a, b=b)
    cols = list(tab.columns)
    at = cols.index("npmi") + 1 if "npmi" in cols else len(cols)
    return out[cols[:at] + ["npmi_low", "npmi_high"] + cols[at:]]


def comention_section(ctx: ReportContext, n_partners: int = 8) -> SectionResult:
    """Co-mentions: top partners, NPMI heatmap of the focus entities and their partners, network,
    and the focus triangle over time. ``data["comentions"]`` holds :func:`analysis.count_comentions`."""
    from analysis import plotting as P
    from analysis.measures.comention import comention_graph, comention_matrix
    from analysis.measures.compare import top_partners
    from analysis.stats.association import add_pair_intervals, method_note
    from analysis.stats.partners import specific_partners
    from itertools import combinations

    res = SectionResult("Co-mentions", prefix="comention")
    level = ctx.level
    with res.section("Co-mentions"):
        _need(ctx.data.n_articles > 0 and ctx.data.n_mentions > 0, "no entity mention was found in the corpus.")
        co = _comentions(ctx)
        res.data["comentions"] = co
        _need(len(co) > 0, f"no two entities are mentioned in the same {level}.")
        tp = top_partners(co, focus=ctx.focus, n=n_partners)
        _need(len(tp) > 0, f"the focus entities are never mentioned in the same {level} as another entity.")
        tp = _named(ctx, _named(ctx, _focus_sorted(ctx, tp, then=["rank"]).reset_index(drop=True),
                                "entity", "entity_name"), "partner", "partner_name")
        pcols = ["entity_name", "rank", "partner_name", "n_ab", "n_partner", "npmi", "npmi_low", "npmi_high", "llr"]
        min_count = _min_partner_count(ctx)
        tpn = specific_partners(co, focus=ctx.focus, n=n_partners, min_count=min_count)
        # every pair shown (partner tables and heatmap) in one bootstrap pass
        heat = _heatmap_entities(ctx, co, tp)
        if _article_bootstrap(ctx):
            _pair_intervals(ctx, list(zip(tp["entity"], tp["partner"])) + list(zip(tpn["entity"], tpn["partner"]))
                            + list(combinations(heat, 2)))
            res.add_note("95 % intervals of NPMI (npmi_low to npmi_high): " + method_note(PAIR_RESAMPLES, ctx.seed)
                         + ". With few shared windows (under about 10) the interval is rough.")
        else:
            res.add_note(_NO_BOOTSTRAP_NOTE)
        tp = _with_npmi_interval(ctx, tp)
        if len(tpn):
            tpn = _with_npmi_interval(ctx, tpn)
            tpn = _named(ctx, _named(ctx, _focus_sorted(ctx, tpn, then=["rank"]).reset_index(drop=True),
                                     "entity", "entity_name"), "partner", "partner_name")
            res.add_table("top_partners_npmi", tpn, max_rows=3 * n_partners, caption=(
                f"Most specific partners: ranked by NPMI among partners seen in at least {min_count} {level}s, "
                "counts beside, G² p-value adjusted for the many partners tested (Benjamini-Hochberg)"),
                columns=pcols + ["p_adjusted"])
        res.add_table("top_partners", tp, max_rows=3 * n_partners, caption=(
            f"Most frequent partners by count ({level} windows): entities that are everywhere, such as the "
            "United States, lead here whatever the focus entity"), columns=pcols)
        panel = tp.assign(panel=tp["entity_name"], name=tp["partner"].map(lambda e: ctx.label(e, False)))
        res.add_figure("top_partners", P.barh_panels(
            panel, panel="panel", label="name", value="n_ab", max_bars=n_partners,
            title=f"Top co-mention partners (number of shared {level}s)", xlabel=f"{level}s"))

        # heatmap: focus entities and their top partners
        ents = heat
        _need(len(ents) >= 2, "fewer than two entities to compare.")
        counts = comention_matrix(co, "n_ab", entities=ents)
        npmi = comention_matrix(co, "npmi", entities=ents)
        names = [ctx.label(e) for e in ents]
        tab = counts.copy()
        tab.index = pd.Index(ents, name="entity")
        tab.insert(0, "name", names)
        res.add_table("matrix_counts", tab.reset_index(), show=False)
        res.add_table("matrix_npmi", npmi.set_axis(ents, axis=0).rename_axis("entity").reset_index()
                      .pipe(lambda d: d.insert(1, "name", names) or d), show=False)
        if _article_bootstrap(ctx):  # on Dask: no article bootstrap (see the note)
            pairs_iv = pd.DataFrame(list(combinations(ents, 2)), columns=["entity", "partner"])
            pairs_iv = add_pair_intervals(pairs_iv, _pair_intervals(ctx, combinations(ents, 2)), a="entity",
                                          b="partner", columns=["n_ab", "n_windows", "npmi", "npmi_low", "npmi_high",
                                                                "pmi", "pmi_low", "pmi_high", "n_resamples"])
            pairs_iv = _named(ctx, _named(ctx, pairs_iv, "entity", "entity_name"), "partner", "partner_name")
            res.add_table("matrix_npmi_intervals", pairs_iv[
                ["entity", "entity_name", "partner", "partner_name", "n_ab", "n_windows", "npmi", "npmi_low",
                 "npmi_high", "pmi", "pmi_low", "pmi_high", "n_resamples"]], show=False)
        shown = npmi.copy()
        shown.index, shown.columns = names, [ctx.label(e, False) for e in ents]
        res.add_figure("heatmap_npmi", P.heatmap(
            shown, title=f"Association (NPMI) of the focus entities and their top partners, {level} windows",
            fmt="{:.2f}", cmap="RdBu_r", center=0.0, colorbar_label="NPMI (0 = independent)"))

        # network of the focus entities and their partners
        G = comention_graph(co, gazetteer=ctx.gaz, min_count=1)
        keep = set(ctx.focus) | set(tp["partner"])
        H = G.subgraph([n for n in G.nodes if n in keep]).copy()
        labels = {n: (ctx.label(n) if n in ctx.focus else ctx.label(n, False)) for n in H.nodes}
        res.add_figure("network", P.network(
            H, labels=labels, highlight=ctx.focus, seed=ctx.seed, edge_weight_attr="n_ab",
            title=f"Co-mention network: focus entities (red) and their top partners (edge width = shared "
                  f"{level}s)"))

    with res.section("Focus triangle"):
        _need(len(ctx.focus) >= 2, "the triangle needs at least two focus entities.")
        tri = ctx.data.triangle(windows=lambda: _windows(ctx))
        tri.insert(1, "name", [_pair_label(ctx, x, y) for x, y in zip(tri["entity_a"], tri["entity_b"])])
        tri = _partial(ctx, _triangle_intervals(ctx, tri))
        res.add_table("triangle", tri, show=False)
        d = _chart_periods(ctx, res, tri).copy()
        if len(d):
            res.add_view(d[["name", "period", "partial", "n_ab", "n_a", "n_b", "n_windows", "share_ab",
                            "share_ab_low", "share_ab_high", "npmi", "npmi_low", "npmi_high", "llr"]],
                         max_rows=3 * 12, caption=(
                             f"Pairs of focus entities by {_period_name(ctx.freq)} ({level} windows; every period "
                             "and all columns in tables/comention_triangle.csv)"))
            res.add_note("95 % intervals of share_ab (the co-mention rate, n_ab / n_windows) and of NPMI: "
                         + method_note(PAIR_RESAMPLES, ctx.seed, within=_period_name(ctx.freq)) + ".")
        _need(d["period"].nunique() >= 2, "fewer than two dated periods: no chart over time.")
        d["period"] = P.period_dates(d["period"])
        d["label"] = d["name"]
        d["value"] = 1000.0 * d["share_ab"]
        d["value_low"], d["value_high"] = 1000.0 * d["share_ab_low"], 1000.0 * d["share_ab_high"]
        res.add_figure("triangle", P.share_over_time(
            d, y="value", lo="value_low", hi="value_high", percent=False,
            title=f"Focus pairs mentioned together, per 1,000 {level}s, by {_period_name(ctx.freq)} "
                  "(95% interval, bootstrap over articles)",
            ylabel=f"per 1,000 {level}s", events=ctx.events))
    return res


def _heatmap_entities(ctx: ReportContext, co: pd.DataFrame, tp: pd.DataFrame) -> list[str]:
    """The focus entities seen in ``co`` and up to four top partners (by count) of each, 16 at most."""
    partners: list[str] = []
    for f in ctx.focus:
        partners += [p for p in tp.loc[tp["entity"] == f, "partner"].head(4) if p not in partners]
    ents = [f for f in ctx.focus if f in set(co["entity_a"]) | set(co["entity_b"])]
    return ents + [p for p in partners if p not in ents][: max(0, 16 - len(ents))]


def _triangle_intervals(ctx: ReportContext, tri: pd.DataFrame) -> pd.DataFrame:
    """The triangle with ``share_ab_low``/``_high`` after ``share_ab`` and ``npmi_low``/``_high`` after
    ``npmi``: article bootstrap within each period (:func:`analysis.stats.association.pair_intervals`)."""
    from analysis.measures.cooccurrence import period_labels
    from analysis.stats.association import add_pair_intervals, pair_intervals
    from itertools import combinations

    if not _article_bootstrap(ctx):
        return _empty_columns(tri, ["share_ab_low", "share_ab_high", "npmi_low", "npmi_high"],
                              {"share_ab_low": "share_ab", "share_ab_high": "share_ab_low", "npmi_low": "npmi",
                               "npmi_high": "npmi_low"})
    iv = pair_intervals(articles=ctx.articles, mentions=ctx.mentions, pairs=combinations(ctx.focus, 2),
                        level=ctx.level, resolve=ctx.roll_up, windows=_windows(ctx),
                        strata=period_labels(ctx.articles["published"], ctx.freq), n_resamples=PAIR_RESAMPLES,
                        seed=ctx.seed)
    new = ["share_ab_low", "share_ab_high", "npmi_low", "npmi_high"]
    out = add_pair_intervals(tri, iv, stratum="period", columns=new)
    cols = [c for c in tri.columns]
    for c, after in (("share_ab_low", "share_ab"), ("share_ab_high", "share_ab_low"), ("npmi_low", "npmi"),
                     ("npmi_high", "npmi_low")):
        cols.insert(cols.index(after) + 1, c)
    return out[cols]


def _pick_windows(ctx: ReportContext, x: str, y: str, level: str, resolve: str | None, n: int,
                  avoid: set | frozenset = frozenset()) -> pd.DataFrame:
    """Up to ``n`` windows where ``x`` and ``y`` are mentioned together, spread evenly over time
    (from articles not in ``avoid`` when there are enough of those).

    Chosen from the mentions table alone (cheap), so :func:`analysis.kwic` then only
    has to cut the text of these few windows out of their articles.
    """
    from analysis.measures.cooccurrence import WINDOW_KEYS, resolve_entities

    keys = WINDOW_KEYS[level]
    m = ctx.mentions
    key = ("resolved", resolve)
    if key not in ctx.cache:
        ctx.cache[key] = resolve_entities(m, resolve).to_numpy(dtype=object)
    ent = ctx.cache[key]
    mm = m[keys].assign(article_id=m["article_id"].astype(str))
    wa = mm[ent == x].drop_duplicates()
    wb = mm[ent == y].drop_duplicates()
    win = wa.merge(wb, on=keys)
    if win.empty:
        return win
    fresh = win[~win["article_id"].isin(avoid)]
    if len(fresh) >= n:
        win = fresh
    pub = pd.Series(pd.to_datetime(ctx.articles["published"], utc=True, errors="coerce").to_numpy(),
                    index=ctx.articles["article_id"].astype(str))
    pub = pub[~pub.index.duplicated()]
    win = (win.assign(_pub=win["article_id"].map(pub))
           .sort_values(["_pub", *keys], kind="mergesort", na_position="last")
           .drop(columns="_pub").reset_index(drop=True))
    idx = sorted({round(i * (len(win) - 1) / max(n - 1, 1)) for i in range(min(n, len(win)))})
    return win.iloc[idx]


def examples_section(ctx: ReportContext, per_pair: int = 3) -> SectionResult:
    """Example sentences where two focus entities are mentioned together (escaped), spread over
    time and taken from different articles where possible."""
    from itertools import combinations

    from analysis.measures.cooccurrence import WINDOW_KEYS
    from analysis.measures.keywords import kwic

    res = SectionResult("Example sentences", prefix="comention")
    level = "paragraph" if ctx.level == "paragraph" else "sentence"
    keys = WINDOW_KEYS[level]
    resolve = ctx.roll_up
    with res.section("Example sentences"):
        if ctx.data.sample_note:
            res.add_note(ctx.data.sample_note)
        rows = []
        aid = ctx.articles["article_id"].astype(str)
        mid = ctx.mentions["article_id"].astype(str)
        used: set = set()
        for x, y in combinations(ctx.focus, 2):
            chosen = _pick_windows(ctx, x, y, level, resolve, per_pair, avoid=used)
            if chosen.empty:
                continue
            used |= set(chosen["article_id"])
            ids = set(chosen["article_id"])
            k = kwic(articles=ctx.articles[aid.isin(ids)], mentions=ctx.mentions[mid.isin(ids)], a=x, b=y,
                     level=level, resolve=resolve)
            if len(k) == 0:
                continue
            k = k.assign(article_id=k["article_id"].astype(str)).merge(chosen, on=keys)
            k.insert(0, "pair", f"{x}-{y}")
            rows.append(k)
        _need(len(rows) > 0, f"no {level} mentions two focus entities together.")
        ex = pd.concat(rows, ignore_index=True)
        titles = ctx.articles.drop_duplicates("article_id").set_index(
            ctx.articles["article_id"].drop_duplicates().astype(str))["title"]
        ex.insert(ex.columns.get_loc("article_id") + 1, "title", ex["article_id"].astype(str).map(titles))
        save = ex.copy()
        for c in ("spans_a", "spans_b"):
            if c in save:
                save[c] = save[c].map(lambda v: " ".join(f"{int(s)}-{int(e)}" for s, e in (v or [])))
        res.add_table("examples", save, show=False)
        for pair, g in ex.groupby("pair", sort=False):
            x, y = pair.split("-", 1)
            res.add_html(f"<h4>{html_escape(_pair_label(ctx, x, y))}</h4>" + kwic_html(g, ctx))
    return res


# --------------------------------------------------------------------------- the slow ones: topics, keyness
# Both are module-level functions of plain arguments (the topic model's in analysis.report.models), so
# they run the same here or in a worker process (see prefetch); the sections collect them with
# ReportContext.compute.

def _keyness_tables(*, articles: pd.DataFrame, mentions: pd.DataFrame, focus: Sequence[str],
                    resolve: str | None, n_terms: int, min_count: int, reference: str = "rest",
                    load_options: tuple = ()) -> list:
    """:func:`analysis.keyness` of every focus entity against ``reference`` (``rest``, ``focus`` or the
    paths of a corpus, read by :func:`analysis.load_corpus` with ``load_options``): a list of
    (entity, DataFrame or error message)."""
    from analysis.measures.keywords import keyness

    ref: Any = reference
    if reference not in ("rest", "focus"):
        from analysis.io.load import load_corpus

        try:
            ref = load_corpus(reference.split(","), **dict(load_options))
        except (OSError, ValueError) as exc:
            return [(f, f"the reference corpus {reference} could not be read: {exc}") for f in focus]
        if len(ref) == 0:
            return [(f, f"the reference corpus {reference} has no article") for f in focus]
    out = []
    for f in focus:
        try:
            out.append((f, keyness(articles=articles, mentions=mentions, target=f, resolve=resolve, n=n_terms,
                                   min_count=min_count, reference=ref, focus=list(focus))))
        except ValueError as exc:
            out.append((f, str(exc)))
    return out


def _keyness_job(ctx: ReportContext, n_terms: int = 15) -> tuple:
    fields = None
    if ctx.fields:
        from analysis.report.html import split_list

        fields = tuple(tuple(re.split(r"[=:]", kv, maxsplit=1)) for kv in split_list(ctx.fields))
    load_options = (("fields", dict(fields) if fields else None), ("tz", ctx.tz), ("dedup", ctx.dedup))
    kw = {"articles": ctx.articles, "mentions": ctx.mentions, "focus": tuple(ctx.focus), "resolve": ctx.roll_up,
          "n_terms": n_terms, "min_count": 5 if ctx.data.n_articles >= 1000 else 2,
          "reference": ctx.keyness_reference, "load_options": load_options}
    fn = ctx.data.keyness_tables or _keyness_tables  # on Dask: counted over every article at load
    return (("keyness", kw["focus"], kw["resolve"], n_terms, kw["min_count"], kw["reference"]), fn, kw)


def _keyness_reference_note(ctx: ReportContext, counts: dict) -> str:
    """What the keyness section compared with, in one paragraph (``counts``: entity -> (target
    articles, reference articles))."""
    ref = ctx.keyness_reference
    if ref == "rest":
        what = "every article that does not mention the entity (reference rest)"
    elif ref == "focus":
        what = ("the articles that mention another focus entity but not the entity itself (reference focus: an "
                "article mentioning both counts for the entity; articles mentioning no focus entity are left out)")
    else:
        what = (f"the whole corpus {ref} (reference corpus: read with the same fields, tz and dedup options, "
                "no other filter; the entity's names are left out of its counts too)")
    sizes = "; ".join(f"{ctx.label(e, False)} {t:,} against {r:,}" for e, (t, r) in counts.items())
    return (f"Each focus entity's articles are compared with {what}. Articles: {sizes}. p_adjusted: the G² "
            "p-value adjusted by Benjamini-Hochberg over every term tested for the entity.")


def prefetch(ctx: ReportContext, min_articles: int = 2000) -> list:
    """Start the two slowest computations, the topic model and the keyness tables, in worker
    processes (``ctx.workers``) while this process computes the other sections;
    :func:`topics_section` and :func:`keyness_section` collect them (with their default
    arguments). Only for corpora of ``min_articles`` or more; the results are the same either way.
    Returns the keys of the jobs started."""
    n = 0 if ctx.articles is None else len(ctx.articles)
    if n < max(min_articles, 10) or ctx.workers <= 0:
        return []
    jobs = ([topics_job(ctx)] if ctx.k > 0 else []) + [_keyness_job(ctx)]
    jobs = [j for j in jobs if ("model",) + j[0] not in ctx.cache]  # e.g. fitted already by the Dask data layer
    return [key for key, fn, kw in jobs if ctx.submit(key, fn, **kw)]


_PREVALENCE_BOOT = 200  # bootstrap resamples for the intervals of topic prevalence by focus entity


def topics_section(ctx: ReportContext) -> SectionResult:
    """Topics: top terms, prevalence by focus entity, over time. ``data["model"]`` holds the
    fitted :class:`analysis.TopicModel`."""
    from analysis import plotting as P

    res = SectionResult("Topics", prefix="topics")
    a = ctx.articles
    with res.section("Topics"):
        _need(ctx.k > 0, "topics were switched off (k = 0).")
        if ctx.data.sample_note:
            res.add_note(ctx.data.sample_note + " The model is fitted on the sample. " + (
                ctx.data.topics_note or "The prevalence tables are means over the sample's articles."))
        n = len(a)
        _need(n >= 10, f"topic models need at least 10 articles; the corpus has {n}.")
        k = topic_k(ctx)
        if k < ctx.k:
            res.add_note(f"The corpus has {n} articles: fitting {k} topics instead of {ctx.k}.")
        model = topic_model(ctx)
        if isinstance(model, str):
            raise NotEnoughData(model)
        res.data["model"] = model
        labels = model.labels(3)
        q = model.quality_
        terms = model.topics(10)
        qt = pd.DataFrame([{"topic": t["topic"], "label": t["label"], "npmi": t["npmi"],
                            "npmi_heldout": t["npmi_heldout"], "terms": " ".join(t["surfaces"])}
                           for t in q["topics"]])
        dom = ctx.data.topic_corpus_prevalence(model)
        qt = qt.merge(dom[["topic", "mean_weight", "dominant_share"]], on="topic", how="left")
        st = getattr(model, "seed_stability_", None)
        if st is None:  # a model fitted elsewhere (e.g. on a Dask sample)
            st = topic_stability(model, ctx.seed)
        qt = qt.merge(st[["topic", "stability_mean", "stability_min"]], on="topic", how="left")

        def r3(v):
            return "n/a" if v is None else f"{v:.3f}"

        res.add_note(f"{q['method'].upper()} with {q['k']} topics on {q['n_documents']} articles "
                     f"({q['n_heldout']} held out), vocabulary {q['n_vocabulary']} terms. Coherence (NPMI of the "
                     f"top 10 terms) {r3(q['npmi'])}, on held-out articles {r3(q['npmi_heldout'])}; "
                     f"diversity {r3(q['diversity'])}.")
        res.add_table("topics", qt, file="topics", max_rows=40,
                      caption="Topics: label, coherence, top terms, prevalence, stability across seeds")
        n_st = int(st["n_documents"].iloc[0])
        res.add_note(f"Stability: each topic's cosine similarity to its best match (Hungarian matching) in "
                     f"{int(st['n_seeds'].iloc[0])} refits with seeds {ctx.seed + 1} to "
                     f"{ctx.seed + STABILITY_SEEDS}, each on a seeded sample of {n_st} of the "
                     f"{q['n_documents']} fitting articles"
                     + (f" (at most {STABILITY_MAX_DOCS:,})" if n_st >= STABILITY_MAX_DOCS else "")
                     + "; mean and lowest over the refits. Below about 0.7 a topic is not found again reliably.")
        from analysis.topics.model import representative_articles

        rep = representative_articles(model.doc_topics_, a, n=3)
        if len(rep):
            rep.insert(1, "label", rep["topic"].map(labels))
            res.add_table("representative", rep, file="topic_articles", max_rows=3 * k + 1,
                          caption="The 3 articles with the highest weight of each topic (distinct titles)")
        # topic_terms.csv keeps its headers: term = how it reads (surface), key = the normalized term
        res.add_table("terms", terms[["topic", "rank", "surface", "weight", "term"]].set_axis(
            ["topic", "rank", "term", "weight", "key"], axis=1), file="topic_terms", show=False)
        panel = terms.assign(panel=terms["topic"].map(lambda t: f"{t}: {labels[t]}"))
        res.add_figure("terms", P.barh_panels(panel[panel["rank"] <= 8], panel="panel", label="surface",
                                              value="weight", max_bars=8, title="Top terms of each topic",
                                              ncols=4))

        by = "country" if ctx.roll_up else "entity_id"
        prev = ctx.data.topic_prevalence(model, by, labels=labels, n_boot=_PREVALENCE_BOOT, seed=ctx.seed)
        if len(prev):
            prev.insert(1, "name", prev[by].map(ctx.label))
            res.add_table("by_focus", prev, show=False)
            cell = prev.assign(_cell=[f"{v:.3f} ({lo:.3f}–{hi:.3f})" for v, lo, hi in zip(
                prev["mean_weight"], prev["mean_weight_low"], prev["mean_weight_high"])])
            wide = cell.pivot(index="topic", columns=by, values="_cell").reindex(
                columns=[f for f in ctx.focus if f in set(prev[by])])
            wide.columns = [f"mean weight (95 % interval): {ctx.label(c)}" for c in wide.columns]
            wide.insert(0, "label", [labels[t] for t in wide.index])
            wide.insert(1, "corpus mean", dom.set_index("topic")["mean_weight"].reindex(wide.index).to_numpy())
            res.add_view(wide.reset_index(), max_rows=k + 1, caption=(
                "Topic prevalence among articles mentioning each focus entity, with 95 % "
                + ("normal-approximation intervals (over every article" if ctx.data.topics_note else
                   f"percentile bootstrap intervals ({_PREVALENCE_BOOT} resamples of the entity's articles, seed "
                   f"{ctx.seed}")
                + "; all columns in tables/topics_by_focus.csv)"))
            mat = prev.pivot(index="topic", columns=by, values="mean_weight").reindex(
                columns=[f for f in ctx.focus if f in set(prev[by])])
            base = dom.set_index("topic")["mean_weight"]
            mat.index = [f"{t}: {labels[t]}" for t in mat.index]
            mat.columns = [ctx.label(c, False) for c in mat.columns]
            ratio = mat.div(base.to_numpy(), axis=0)
            with np.errstate(divide="ignore", invalid="ignore"):
                log_ratio = np.log2(ratio.astype(float))
            res.add_figure("by_focus", P.heatmap(
                log_ratio, annot=ratio, title="Topics in articles mentioning each focus entity (× the corpus mean)",
                fmt="×{:.2f}", cmap="PuOr_r", center=0.0, colorbar_label="log2 ratio to the corpus mean"))
        else:
            res.add_note("No article mentions a focus entity: no prevalence by entity.")
        ot = ctx.data.topics_over_time(model, ctx.freq)
        ot["period"] = P.period_dates(ot["period"])  # "2018-Q2" too
        per_period = ot.drop_duplicates("period").set_index("period")["n_articles"]
        ot_chart = ot[ot["n_articles"] >= _min_chart_articles(per_period, len(a))]
        if ot_chart["period"].nunique() >= 2:
            res.add_table("over_time", ot, show=False)
            ot = ot_chart.assign(label=ot_chart["topic"].map(lambda t: f"{t}: {labels[t]}"),
                                 value=ot_chart["mean_weight"])
            res.add_figure("over_time", P.lines_over_time(
                ot, title=f"Topic prevalence by {_period_name(ctx.freq)} (mean weight, the 8 largest topics)",
                ylabel="mean weight", max_series=8, events=ctx.events))
        else:
            res.add_note("Fewer than two dated periods: no topics over time.")
    return res


def keyness_section(ctx: ReportContext, n_terms: int = 15) -> SectionResult:
    """Distinctive terms of the articles mentioning each focus entity (:func:`analysis.keyness`)."""
    from analysis import plotting as P

    res = SectionResult("Distinctive terms", prefix="keyness")
    n_articles = ctx.data.n_articles
    with res.section("Distinctive terms"):
        _need(n_articles >= 4, f"keyness needs a few articles on each side; the corpus has {n_articles}.")
        key, fn, kw = _keyness_job(ctx, n_terms)
        rows = []
        counts: dict[str, tuple[int, int]] = {}
        for f, k in ctx.compute(key, fn, **kw):
            if isinstance(k, str):
                res.add_note(f"{ctx.label(f)}: {k}")
                continue
            counts[f] = (int(k.attrs.get("n_docs_target", 0)), int(k.attrs.get("n_docs_reference", 0)))
            if len(k) == 0:
                continue
            k = k.head(n_terms).copy()
            k.insert(0, "entity", f)
            k.insert(1, "name", ctx.label(f))
            rows.append(k)
        _need(len(rows) > 0, "no focus entity has both articles that mention it and reference articles.")
        res.add_note(_keyness_reference_note(ctx, counts))
        kt = res.add_table("keyness", pd.concat(rows, ignore_index=True), file="keyness", show=False)
        shown = kt.groupby("entity", sort=False).head(8)[
            ["name", "surface", "n_target", "n_reference", "per_10k_target", "per_10k_reference", "g2", "log_ratio",
             "p_adjusted"]]
        res.add_view(shown, max_rows=8 * len(ctx.focus), caption=(
            f"Most distinctive terms per focus entity, top 8 (top {n_terms} and all columns in tables/keyness.csv)"))
        res.add_figure("keyness", P.barh_panels(
            kt, panel="name", label="surface", value="g2", max_bars=n_terms,
            title="Distinctive terms of articles mentioning each focus entity (log-likelihood G², reference "
                  + (ctx.keyness_reference if ctx.keyness_reference in ("rest", "focus") else "corpus") + ")",
            xlabel="G²"),
            file="keyness")
    return res


# --------------------------------------------------------------------------- event, methods

_EVENT_SHOWN = ["event", "window", "name", "articles_before", "articles_event_day", "articles_after", "n_before",
                "n_after", "share_before", "share_after", "diff", "diff_low", "diff_high", "boot_low", "boot_high",
                "p_naive", "p_clustered"]


def _event_table(ctx: ReportContext, n_resamples: int = 2000) -> pd.DataFrame:
    """:func:`analysis.stats.event.event_windows` of the report's events (with name), once per context."""
    from analysis.stats.event import event_windows

    key = ("event_windows", tuple(ctx.events), ctx.event_window, n_resamples, ctx.seed)
    if key not in ctx.cache:
        articles, mentions = ctx.data.event_frames()
        ev = event_windows(articles=articles, mentions=mentions,
                           events=pd.DataFrame(ctx.events, columns=["date", "label"]), days=ctx.event_window,
                           focus=ctx.focus, resolve=ctx.roll_up, n_resamples=n_resamples, seed=ctx.seed)
        ev = _named(ctx, ev)
        ev.attrs["n_resamples"] = n_resamples  # a shown p of 0 reads "< 1/(n_resamples + 1)"
        ctx.cache[key] = ev
    return ctx.cache[key]


def event_section(ctx: ReportContext, n_resamples: int = 2000) -> SectionResult:
    """Each event's window: the ``event_window`` days before against the days after (the event day
    apart), per focus entity, with Newcombe's interval of the difference, the naive test and a
    permutation test by day (:func:`analysis.stats.event.event_windows`); table ``window``."""
    from analysis import plotting as P
    from analysis.measures.compare import wilson_interval
    res = SectionResult("Event window", prefix="event")
    with res.section("Event window"):
        _need(bool(ctx.events), "no event date was given (parameter event_date).")
        days = ctx.event_window
        events = pd.DataFrame(ctx.events, columns=["date", "label"])
        ev = _event_table(ctx, n_resamples)
        empty = ev.groupby("event", sort=False)[["articles_before", "articles_after"]].first()
        empty = empty[(empty["articles_before"] == 0) | (empty["articles_after"] == 0)]
        for label, r in empty.iterrows():
            res.add_note(f"{label}: {int(r.articles_before)} article(s) in the {days} days before and "
                         f"{int(r.articles_after)} in the {days} days after; no comparison.", kind="warning")
        res.add_note(
            f"For each event, the {days} days before it are compared with the {days} days after it; the event day "
            "is counted apart and articles outside the window are not used. diff = share after - share before "
            "(in percentage points), with Newcombe's 95 % interval (articles treated as independent) and a 95 % "
            "bootstrap interval resampling whole days. p_naive treats articles as independent; p_clustered "
            f"shuffles whole days between the two sides ({n_resamples} permutations, seed {ctx.seed}), which "
            "respects that articles of a day tell the same stories: read p_clustered.")
        res.add_table("window", ev, caption=f"Days before and after each event ({days} days each side)",
                      columns=_EVENT_SHOWN, max_rows=3 * len(ctx.focus) * max(1, len(events)))
        sides = []
        for side, label in (("before", f"{days} days before"), ("after", f"{days} days after")):
            lo, hi = wilson_interval(ev[f"n_{side}"], ev[f"articles_{side}"])
            sides.append(ev.assign(label=label, share=ev[f"share_{side}"], lo=lo, hi=hi))
        long = pd.concat(sides, ignore_index=True)
        long["group"] = long["name"] + (" · " + long["event"] if len(events) > 1 else "")
        long = long.dropna(subset=["share"])
        _need(len(long) > 0, "no event has articles on both sides of it.")
        res.add_figure("window", P.share_by_group(
            long, group="group", series="label", y="share", lo="lo", hi="hi",
            title=f"Share of articles mentioning each entity, {days} days before and after "
                  + ", ".join(f"{lab} ({d[:10]})" if lab != d[:10] else lab for d, lab in ctx.events)
                  + " (95% interval)"))
        daily = _event_daily(ctx, days)
        if daily is not None and daily["period"].nunique() >= 2:
            res.add_table("daily", daily, show=False)
            d = daily.assign(period=pd.to_datetime(daily["period"]), label=daily["name"])
            res.add_figure("daily", P.share_over_time(
                d, title=f"Daily share of articles mentioning each entity around each event (window ±{days} "
                         "days shaded, 95% Wilson interval)", events=ctx.events, window_days=days))
    return res


def _event_daily(ctx: ReportContext, days: int) -> pd.DataFrame | None:
    """Daily coverage (:func:`analysis.coverage`, ``freq="D"``) over the union of the event windows."""
    from analysis.measures.compare import coverage

    articles, mentions = ctx.data.event_frames()
    pub = pd.to_datetime(articles["published"], utc=True, errors="coerce").dt.tz_convert("UTC")
    day = pub.dt.tz_localize(None).dt.normalize()
    keep = pd.Series(False, index=articles.index)
    for date, _ in ctx.events:
        e = pd.Timestamp(date[:10])
        keep |= (day >= e - pd.Timedelta(days=days)) & (day <= e + pd.Timedelta(days=days))
    a = articles[keep.to_numpy()]
    if a.empty:
        return None
    ids = set(a["article_id"].astype(str))
    m = mentions[mentions["article_id"].astype(str).isin(ids)]
    # (on Dask the event rows come without their text, with its word count)
    words = a["n_words"] if "n_words" in a.columns else None
    cov = coverage(articles=a, mentions=m, focus=ctx.focus, freq="D", resolve=ctx.roll_up, words=words)
    cov = cov[~cov["period"].astype(str).isin(_NO_DATE)]
    return _focus_sorted(ctx, _named(ctx, cov), then=["period"]).reset_index(drop=True)


# --------------------------------------------------------------------------- voices

def _statements(ctx: ReportContext) -> pd.DataFrame:
    """:func:`analysis.extract_quotes` of the corpus, once per context (cached)."""
    if "statements" not in ctx.cache:
        from analysis.voices.extract import extract_quotes

        ctx.cache["statements"] = extract_quotes(articles=ctx.articles, mentions=ctx.mentions, gazetteer=ctx.gaz,
                                                 progress=bool(ctx.progress))
    return ctx.cache["statements"]


def voices_html(examples: pd.DataFrame, ctx: ReportContext) -> str:
    """Escaped HTML of example statements: the quotation (right to left), then speaker, verb, outlet, article."""
    items = []
    for country, g in examples.groupby("country", sort=False):
        items.append(f"<h4>{html_escape(ctx.label(country))}</h4><ul class=\"report-kwic\">")
        for r in g.itertuples(index=False):
            meta = " · ".join(f"<bdi>{html_escape(v)}</bdi>" for v in (
                r.speaker_text or "(speaker in an earlier sentence)", r.verb, r.speaker_kind,
                "direct quotation" if bool(r.direct) else "reported", r.outlet, r.article_id))
            items.append(f'<li><div dir="rtl" lang="ar" style="text-align:right">{html_escape(r.quote)}</div>'
                         f'<div style="color:#666;font-size:85%" dir="auto">{meta}</div></li>')
        items.append("</ul>")
    return "".join(items)


def voices_section(ctx: ReportContext, min_statements: int = 20) -> SectionResult:
    """Voices: who is quoted, about whom (:func:`analysis.voices_tables` on :func:`analysis.extract_quotes`).
    Tables ``shares``, ``shares_by_outlet``, ``about``, ``top_speakers``, ``examples``, ``kinds``."""
    from analysis.stats.summary import wide_table
    from analysis.voices.measures import voices_tables
    from analysis.voices.plotting import plot_voice_shares

    res = SectionResult("Voices", prefix="voices")
    with res.section("Voices"):
        _need(len(ctx.articles) > 0, "the corpus is empty.")
        if ctx.data.sample_note:
            res.add_note(ctx.data.sample_note)
        st = _statements(ctx)
        _need(len(st) >= min_statements, f"{len(st)} statement(s) found; the section needs at least "
                                         f"{min_statements}.")
        res.data["statements"] = st
        t = voices_tables(articles=ctx.articles, statements=st, focus=ctx.focus, freq=ctx.freq,
                          resolve=ctx.roll_up, n_top=10, n_examples=3)
        allrow = t["shares_by_outlet"][t["shares_by_outlet"]["outlet"] == "all"]
        n_all = int(allrow["n_statements"].max()) if len(allrow) else 0
        n_known = int(allrow["n_known"].max()) if len(allrow) else 0
        res.add_note(f"{len(st):,} statements (a reporting verb with its speaker and content) in "
                     f"{st['article_id'].nunique():,} articles; the speaker's country is known for {n_known:,} "
                     f"({100.0 * n_known / max(n_all, 1):.1f} %). share = share of all statements whose speaker is "
                     "of the country (a person, office or institution of it), with a 95 % Wilson interval; "
                     "share_named leaves out the speakers whose country is only guessed from the article.")
        named = {e: ctx.label(e) for e in ctx.focus}
        sb = _named(ctx, t["shares_by_outlet"])
        res.add_table("shares_by_outlet", sb, show=False)
        wide = wide_table(sb, index="outlet", columns="entity", values="share")
        ns = sb.groupby("outlet")["n_statements"].first()
        wide = wide.reindex(columns=[f for f in ctx.focus if f in wide.columns])
        lo = sb.pivot_table(index="outlet", columns="entity", values="share_low", aggfunc="first")
        hi = sb.pivot_table(index="outlet", columns="entity", values="share_high", aggfunc="first")
        for e in wide.columns:
            wide[e] = [f"{v} ({100 * lo.at[o, e]:.1f}–{100 * hi.at[o, e]:.1f})" for o, v in zip(wide.index, wide[e])]
        wide.columns = [f"{named[e]} speaks" for e in wide.columns]
        wide.insert(0, "statements", ns.reindex(wide.index).to_numpy())
        order = sorted(wide.index, key=lambda o: (o == "all", -int(ns.get(o, 0)), o))
        res.add_view(wide.reindex(order).reset_index(), max_rows=40, caption=(
            "Share of statements whose speaker is of each country, per outlet, all periods (95 % interval in "
            "brackets; tables/voices_shares_by_outlet.csv)"))
        res.add_figure("shares_by_outlet", plot_voice_shares(t["shares_by_outlet"], over="outlet", labels=named))
        res.add_table("shares", _named(ctx, t["shares"]), show=False)
        if t["shares"]["period"].nunique() > 2:
            res.add_figure("shares_over_time", plot_voice_shares(
                t["shares"], over="period", labels=named,
                title=f"Who is quoted: speakers by country, by {_period_name(ctx.freq)} (all outlets)"))
        about = t["about"]
        res.add_table("about", about, show=False)
        aw = about.pivot_table(index="speaker_country", columns="about", values="share", aggfunc="first", sort=False)
        aw = aw.apply(lambda c: c.map(lambda v: "–" if pd.isna(v) else f"{100 * v:.1f} %"))
        lab = (lambda e: ctx.label(e) if e in ctx.focus else e)
        aw.index = [f"{lab(i)} (n={int(about.loc[about['speaker_country'] == i, 'n_speaker'].iloc[0]):,})"
                    for i in aw.index]
        aw.columns = [f"about {lab(c)}" for c in aw.columns]
        res.add_view(aw.rename_axis("speaker").reset_index(), caption=(
            "Who speaks about whom: share of each speaker country's statements whose content names each country "
            "(a statement can name several; tables/voices_about.csv)"))
        top = t["top_speakers"]
        top = top.assign(name=top["country"].map(ctx.label),
                         speaker_name=[ctx.label(i, False) if i else sp for i, sp in zip(top["speaker_id"],
                                                                                         top["speaker"])])
        res.add_table("top_speakers", top, show=False)
        res.add_view(top[top["rank"] <= 5][["name", "rank", "speaker_name", "kind", "n_statements", "n_articles",
                                            "n_outlets", "share"]],
                     max_rows=5 * len(ctx.focus), caption=(
                         "Most quoted speakers of each focus country, top 5 (top 10 in tables/voices_top_speakers.csv)"))
        res.add_table("kinds", t["kinds"], show=False)
        ex = t["examples"]
        if len(ex):
            res.add_table("examples", ex, show=False)
            res.add_html("<h4>Examples</h4>" + voices_html(ex, ctx))
    return res


def methods_section(ctx: ReportContext) -> SectionResult:
    """Methods and limitations: the gazetteer, and matching accuracy measured on the gold set."""
    res = SectionResult("Methods and limitations")
    if ctx.gaz is not None and getattr(ctx.gaz, "entities", None) is not None:
        ents = ctx.gaz.entities
        by_type = ents["type"].value_counts().sort_index()
        res.add_note(f"Gazetteer: {len(ents)} entities (" + ", ".join(f"{n} {t}" for t, n in by_type.items())
                     + ")" + (f", with your additions from {', '.join(ctx.gazetteer_files)}" if ctx.gazetteer_files
                              else "") + ".")
    from analysis.entities.validate import accuracy_table

    try:
        acc = accuracy_table(codes=ctx.validation)
    except Exception as exc:  # a coded sample that cannot be scored: say so, keep the report
        res.add_note(f"Your validation sample {ctx.validation} could not be scored: {exc}", kind="warning")
        acc = accuracy_table()
    if not len(acc):
        res.add_note("The matcher's accuracy table was not found in this installation.")
        return res
    res.add_note(acc.attrs.get("note", ""))
    if bool(acc["other_outlets"].any()):
        # a caveat of the figures, not a part of the report that failed (kind "warning" means that)
        res.add_note("Caution: these figures were measured on the package's gold sets (other outlets and years), "
                     "not on this corpus: code a sample of its mentions (analysis validate sample ..., then "
                     "--validation codes.csv) to measure the matcher here.")
    res.add_table("matching_accuracy", acc, caption="Entity matching accuracy with 95 % Wilson intervals")
    return res


def matching_accuracy() -> tuple[pd.DataFrame, str] | None:
    """The entity matcher's measured accuracy on the gold set, when a results file is available.

    Looks for a JSON file written by the gold evaluation (``benchmarks/eval_mentions.py``):
    package data ``analysis/data/*accuracy*.json`` / ``*eval*.json``, then a checkout's
    ``benchmarks/gold/*.json`` and ``benchmarks/results/*mentions*.json``. Returns a
    table (split, target, precision, recall, f1, ...) and the file name, or None.
    """
    cands: list[Path] = []
    try:
        nbdir = Path(str(importlib.resources.files("analysis") / "notebooks"))
        cands += sorted(nbdir.glob("*accuracy*.json"))
        data = Path(str(importlib.resources.files("analysis") / "data"))
        cands += sorted(data.glob("*accuracy*.json")) + sorted(data.glob("*eval*.json"))
    except Exception:  # pragma: no cover
        pass
    repo = Path(__file__).resolve().parents[3]
    cands += sorted((repo / "benchmarks" / "gold").glob("*.json"))
    cands += sorted((repo / "benchmarks" / "results").glob("*mention*.json"))
    for path in cands:
        try:
            obj = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        df = _accuracy_frame({k: v for k, v in obj.items() if k != "errors"} if isinstance(obj, dict) else obj)
        if df is not None and len(df):
            desc = path.name
            if isinstance(obj, dict) and obj.get("about"):
                desc = f"{obj['about']} ({path.name})"
            elif isinstance(obj, dict) and obj.get("split"):
                desc += f", split {obj['split']}, {obj.get('n_sentences', '?')} sentences"
            return df, desc
    return None


def _accuracy_frame(obj: Any) -> pd.DataFrame | None:
    """Flatten {split: {target: {precision, recall, f1, ...}}} (or one level less) into rows."""
    rows = []

    def walk(node, path):
        if isinstance(node, dict) and {"precision", "recall"} & set(node):
            row = {"scope": " / ".join(path)}
            row.update({k: v for k, v in node.items() if isinstance(v, (int, float, str)) and not isinstance(v, bool)})
            rows.append(row)
            return
        if isinstance(node, dict):
            for k in sorted(node, key=str):
                walk(node[k], path + [str(k)])
        elif isinstance(node, list):
            for i, v in enumerate(node):
                name = v.get("target") or v.get("name") or str(i) if isinstance(v, dict) else str(i)
                walk(v, path + [str(name)])

    walk(obj, [])
    if not rows:
        return None
    df = pd.DataFrame(rows)
    first = ["scope"] + [c for c in ("precision", "recall", "f1") if c in df.columns]
    return df[first + [c for c in df.columns if c not in first]]
