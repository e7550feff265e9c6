"""The report's sections: one function per section."""
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
from analysis.report.html import display_html, html_escape, table_html

# --------------------------------------------------------------------------- sections
# Each section function takes the ReportContext, shows its tables and figures,
# saves them under tables/ and figures/, and says why when it cannot be computed.

_NO_DATE = ("undated", "all")


def _period_ts(labels: pd.Series) -> pd.Series:
    """Period labels ("2024-12", "2024-12-02") as Timestamps (NaT for undated)."""
    s = pd.Series(labels, dtype=object).astype(str)
    return pd.to_datetime(s.where(~s.isin(_NO_DATE)), errors="coerce", format="mixed")


def _resolve_for(focus: Sequence[str]) -> str | None:
    """Roll persons/places/organizations up to countries when every focus id is a country code."""
    return "country" if focus and all(re.fullmatch(r"[A-Z]{3}", f) for f in focus) else None


def _focus_sorted(ctx: "ReportContext", df: pd.DataFrame, col: str = "entity", then: Sequence[str] = ()) -> pd.DataFrame:
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


def _chart_periods(ctx: "ReportContext", df: pd.DataFrame, col: str = "period") -> pd.DataFrame:
    """Rows of dated periods worth charting (see :func:`_min_chart_articles`), with a note
    naming the periods left out; the tables keep them."""
    from analysis.measures.comention import period_labels

    d = df[~df[col].astype(str).isin(_NO_DATE)]
    key = ("period_counts", ctx.freq)
    if key not in ctx.cache:
        counts = period_labels(ctx.articles["published"], ctx.freq).value_counts()
        ctx.cache[key] = counts[~counts.index.astype(str).isin(_NO_DATE)]
    counts = ctx.cache[key]
    need = _min_chart_articles(counts, len(ctx.articles))
    small = set(counts[counts < need].index.astype(str))
    drop = sorted(set(d[col].astype(str)) & small)
    if drop and not ctx.cache.get(("noted_sparse", ctx.freq)):
        ctx.cache[("noted_sparse", ctx.freq)] = True
        ctx.note(f"Charts over time leave out {len(drop)} {_period_name(ctx.freq)}(s) with fewer than {need} "
                 f"articles ({', '.join(drop[:6])}{'...' if len(drop) > 6 else ''}); the tables keep them.")
    return d[~d[col].astype(str).isin(drop)]


def _need(cond: bool, why: str) -> None:
    if not cond:
        raise NotEnoughData(why)


def _period_name(freq: str) -> str:
    return {"W": "week", "M": "month"}.get(freq, freq)


def corpus_summary(ctx: ReportContext) -> pd.DataFrame:
    """Table ``measure``, ``value``: the loader's counts, articles, outlets, span, mentions."""
    a = ctx.articles
    summ = dict(a.attrs.get("summary", {}) or {})
    rows: list[tuple[str, Any]] = []
    for k in sorted(summ):
        v = summ[k]
        if isinstance(v, (int, float, str, bool)) and not isinstance(v, bool):
            rows.append((k, int(v) if isinstance(v, float) and float(v).is_integer() else v))
    pub = pd.to_datetime(a["published"], utc=True, errors="coerce") if len(a) else pd.Series([], dtype="datetime64[ns, UTC]")
    extra = [
        ("articles", int(len(a))),
        ("outlets", int(a["outlet"].nunique()) if len(a) else 0),
        ("first_date", pub.min().strftime("%Y-%m-%d") if pub.notna().any() else ""),
        ("last_date", pub.max().strftime("%Y-%m-%d") if pub.notna().any() else ""),
        ("undated_articles", int(pub.isna().sum())),
        ("mentions", int(len(ctx.mentions)) if ctx.mentions is not None else 0),
        ("articles_with_mentions", int(ctx.mentions["article_id"].nunique()) if ctx.mentions is not None else 0),
    ]
    have = {k for k, _ in rows}
    rows.extend((k, v) for k, v in extra if k not in have)
    return pd.DataFrame(rows, columns=["measure", "value"]).astype({"value": object})


def parameters_section(ctx: ReportContext, params: dict) -> None:
    """Show the parameters the report ran with."""
    df = pd.DataFrame(sorted((k, str(v)) for k, v in params.items() if k != "out_dir"),
                      columns=["parameter", "value"])
    ctx.table(df, "parameters", show=False)
    ctx.html("<p><b>Parameters:</b> " + "; ".join(
        f"{html_escape(k)} = <code>{html_escape(v)}</code>" for k, v in zip(df["parameter"], df["value"])
        if v not in ("", "None")) + " (all in tables/parameters.csv)</p>")


def corpus_section(ctx: ReportContext) -> None:
    """Articles loaded, skipped and deduplicated; outlets; categories; time span."""
    a = ctx.articles
    summ = corpus_summary(ctx)
    ctx.table(summ, "corpus_summary", show=False)
    key = ["records", "loaded", "skipped", "duplicates_dropped", "wire_copies", "dup_groups", "related",
           "filtered_out", "dates_missing", "articles", "outlets", "first_date", "last_date", "mentions",
           "articles_with_mentions"]
    shown = summ.set_index("measure").reindex([k for k in key if k in set(summ["measure"])]).reset_index()
    if ctx.display:
        display_html(table_html(shown, max_rows=40, caption="Corpus counts (all in tables/corpus_summary.csv)"))
    with ctx.section("Corpus"):
        _need(len(a) > 0, "no article was loaded (see the skipped files above).")
        pub = pd.to_datetime(a["published"], utc=True, errors="coerce")
        outlet = a["outlet"].fillna("unknown").astype(str)
        o = (pd.DataFrame({"outlet": outlet, "published": pub})
             .groupby("outlet", sort=True)
             .agg(articles=("published", "size"), dated=("published", "count"),
                  first=("published", "min"), last=("published", "max"))
             .reset_index())
        for c in ("first", "last"):
            o[c] = o[c].dt.strftime("%Y-%m-%d").fillna("")
        o = o.sort_values(["articles", "outlet"], ascending=[False, True], kind="mergesort")
        ctx.table(o, "corpus_outlets", caption="Articles per outlet")
        if "category" in a.columns and a["category"].notna().any():
            c = (a["category"].fillna("(none)").astype(str).value_counts().rename_axis("category")
                 .reset_index(name="articles").sort_values(["articles", "category"], ascending=[False, True],
                                                          kind="mergesort"))
            ctx.table(c, "corpus_categories", caption="Articles per category")
        skipped = a.attrs.get("skipped")
        if isinstance(skipped, pd.DataFrame) and len(skipped):
            ctx.table(skipped.sort_values(list(skipped.columns[:2]), kind="mergesort"), "corpus_skipped_records",
                      show=False)
            s = (skipped.assign(reason=skipped["reason"].astype(str).str.split(":").str[0])
                 .groupby("reason").size().rename("records").reset_index()
                 .sort_values(["records", "reason"], ascending=[False, True], kind="mergesort"))
            ctx.table(s, "corpus_skipped", caption="Skipped records by reason")
    with ctx.section("Articles over time"):
        from analysis.measures.comention import period_labels
        from analysis import plotting as P

        _need(len(a) > 0, "the corpus is empty.")
        outlet = a["outlet"].fillna("unknown").astype(str)
        per = period_labels(a["published"], ctx.freq)
        t = pd.DataFrame({"period": per, "outlet": outlet}).groupby(["period", "outlet"]).size() \
            .rename("value").reset_index()
        t = _chart_periods(ctx, t)
        _need(len(t) > 0, "no article has a publication date, so nothing can be shown over time.")
        t["period"] = _period_ts(t["period"])
        t["label"] = t["outlet"]
        ctx.figure(P.stacked_bars(t, title=f"Articles per {_period_name(ctx.freq)} and outlet",
                                  ylabel="articles", max_series=10), "corpus_articles_per_period")


def _coverage_rollup(cov: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Coverage by ``keys`` (e.g. ["period"], ["outlet"], [] for the whole corpus) from a finer
    :func:`analysis.coverage` table: its counts add up over disjoint groups of articles; shares,
    95 % Wilson intervals and mentions per 1,000 words are recomputed from the sums."""
    from analysis.measures.compare import wilson_interval

    counts = ["n_articles", "n_with", "n_mentions", "n_words"]
    out = cov.groupby(keys + ["entity"], sort=True)[counts].sum().reset_index()
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share"] = np.where(out["n_articles"] > 0, out["n_with"] / out["n_articles"], np.nan)
        out["per_1k_words"] = np.where(out["n_words"] > 0, 1000.0 * out["n_mentions"] / out["n_words"], np.nan)
    out["share_low"], out["share_high"] = wilson_interval(out["n_with"], out["n_articles"])
    cols = keys + ["entity", "n_articles", "n_with", "share", "share_low", "share_high", "n_mentions", "n_words",
                   "per_1k_words"]
    return out[cols].sort_values(keys + ["entity"], kind="mergesort").reset_index(drop=True)


def coverage_section(ctx: ReportContext) -> None:
    """Coverage volume and share over time and by outlet, with 95 % Wilson intervals."""
    from analysis import plotting as P
    from analysis.measures.compare import coverage

    a, m = ctx.articles, ctx.mentions
    resolve = _resolve_for(ctx.focus)
    with ctx.section("Coverage"):
        _need(len(a) > 0, "the corpus is empty.")
        if resolve:
            ctx.note("Country coverage counts an article when it mentions the country itself or one of its "
                     "people, places or institutions (Putin and Moscow count for Russia).")
        show = ["name", "n_articles", "n_with", "share", "share_low", "share_high", "per_1k_words"]
        # one coverage() call by period and outlet; the other views are sums of its counts
        by_po = coverage(a, m, focus=ctx.focus, freq=ctx.freq, by="outlet", resolve=resolve)
        ctx.table(by_po, "coverage_by_period_outlet", show=False)
        total = _coverage_rollup(by_po, [])
        total.insert(total.columns.get_loc("entity") + 1, "name", total["entity"].map(ctx.label))
        total = _focus_sorted(ctx, total)
        ctx.table(total, "coverage_total", caption="Whole corpus", columns=show)
        cov = _coverage_rollup(by_po, ["period"])
        cov.insert(cov.columns.get_loc("entity") + 1, "name", cov["entity"].map(ctx.label))
        ctx.table(cov, "coverage_by_period", show=False)
        dated = _chart_periods(ctx, cov).copy()
        if ctx.display and len(dated):
            display_html(table_html(dated[["period"] + show], max_rows=3 * len(ctx.focus) * 6, caption=(
                f"By {_period_name(ctx.freq)} (the charted ones; every {_period_name(ctx.freq)} and all "
                "columns in tables/coverage_by_period.csv)")))
        if len(dated) and dated["period"].nunique() >= 2:
            dated["period"] = _period_ts(dated["period"])
            dated["label"] = dated["name"]
            dated = _focus_sorted(ctx, dated, then=["period"])
            ctx.figure(P.share_over_time(dated, y="share", lo="share_low", hi="share_high",
                                         title=f"Share of articles mentioning each country, by "
                                               f"{_period_name(ctx.freq)} (95% Wilson interval)"),
                       "coverage_share_over_time")
            vol = dated.assign(value=dated["n_with"])
            ctx.figure(P.lines_over_time(vol, title=f"Articles mentioning each country, by {_period_name(ctx.freq)}",
                                         ylabel="articles", order=list(dict.fromkeys(vol["label"])),
                                         event_date=ctx.event_date), "coverage_volume_over_time")
        else:
            ctx.note("Fewer than two dated periods: no chart over time.")
        by_out = _coverage_rollup(by_po, ["outlet"])
        by_out.insert(by_out.columns.get_loc("entity") + 1, "name", by_out["entity"].map(ctx.label))
        ctx.table(by_out, "coverage_by_outlet", max_rows=30, caption="By outlet", columns=["outlet"] + show)
        order = (by_out.groupby("outlet")["n_articles"].first().sort_values(ascending=False, kind="mergesort"))
        top = list(order.index[:15])
        sel = by_out[by_out["outlet"].isin(top)].copy()
        sel["outlet"] = pd.Categorical(sel["outlet"], categories=top, ordered=True)
        sel = _focus_sorted(ctx, sel).sort_values("outlet", kind="mergesort").assign(
            outlet=lambda d: d["outlet"].astype(str))
        sel["label"] = sel["name"]
        sel["outlet"] = sel["outlet"] + " (n=" + sel["n_articles"].astype(str) + ")"
        ctx.figure(P.share_by_group(sel, group="outlet", lo="share_low", hi="share_high",
                                    title="Share of each outlet's articles mentioning each country (95% interval)"),
                   "coverage_share_by_outlet")


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


def comention_section(ctx: ReportContext, n_partners: int = 8) -> None:
    """Co-mentions: heatmap of the focus entities and their top partners, network, triangle, examples."""
    from analysis import plotting as P
    from analysis.measures.comention import comention_graph, comention_matrix, count_comentions
    from analysis.measures.compare import focus_triangle, top_partners

    a, m = ctx.articles, ctx.mentions
    level = ctx.level
    with ctx.section("Co-mentions"):
        _need(len(a) > 0 and len(m) > 0, "no entity mention was found in the corpus.")
        if level != "article" and "windows" not in ctx.cache:
            from analysis.measures.comention import count_windows

            ctx.cache["windows"] = count_windows(a)
        windows = ctx.cache.get("windows")
        co = count_comentions(m, a, level=level, windows=windows)
        ctx.cache["comentions"] = co
        _need(len(co) > 0, f"no two entities are mentioned in the same {level}.")
        tp = top_partners(co, focus=ctx.focus, n=n_partners)
        _need(len(tp) > 0, f"the focus entities are never mentioned in the same {level} as another entity.")
        tp = _focus_sorted(ctx, tp, then=["rank"]).reset_index(drop=True)
        tp.insert(1, "entity_name", tp["entity"].map(ctx.label))
        tp.insert(tp.columns.get_loc("partner") + 1, "partner_name", tp["partner"].map(ctx.label))
        pcols = ["entity_name", "rank", "partner_name", "n_ab", "n_partner", "npmi", "llr"]
        ctx.table(tp, "comention_top_partners", max_rows=3 * n_partners,
                  caption=f"Top partners by count ({level} windows)", columns=pcols)
        min_count = 5 if len(a) >= 500 else 2
        tpn = top_partners(co, focus=ctx.focus, n=n_partners, by="npmi", min_count=min_count)
        if len(tpn):
            tpn = _focus_sorted(ctx, tpn, then=["rank"]).reset_index(drop=True)
            tpn.insert(1, "entity_name", tpn["entity"].map(ctx.label))
            tpn.insert(tpn.columns.get_loc("partner") + 1, "partner_name", tpn["partner"].map(ctx.label))
            ctx.table(tpn, "comention_top_partners_npmi", max_rows=3 * n_partners,
                      caption=f"Top partners by NPMI (at least {min_count} shared {level}s)", columns=pcols)
        panel = tp.assign(panel=tp["entity_name"], name=tp["partner"].map(lambda e: ctx.label(e, False)))
        ctx.figure(P.barh_panels(panel, panel="panel", label="name", value="n_ab", max_bars=n_partners,
                                 title=f"Top co-mention partners (number of shared {level}s)",
                                 xlabel=f"{level}s"), "comention_top_partners")

        # heatmap: focus entities and their top partners
        partners: list[str] = []
        for f in ctx.focus:
            partners += [p for p in tp.loc[tp["entity"] == f, "partner"].head(4) if p not in partners]
        ents = [f for f in ctx.focus if f in set(co["entity_a"]) | set(co["entity_b"])]
        ents += [p for p in partners if p not in ents][: max(0, 16 - len(ents))]
        _need(len(ents) >= 2, "fewer than two entities to compare.")
        counts = comention_matrix(co, "n_ab", entities=ents)
        npmi = comention_matrix(co, "npmi", entities=ents)
        names = [ctx.label(e) for e in ents]
        tab = counts.copy()
        tab.index = pd.Index(ents, name="entity")
        tab.insert(0, "name", names)
        ctx.table(tab.reset_index(), "comention_matrix_counts", show=False)
        ctx.table(npmi.set_axis(ents, axis=0).rename_axis("entity").reset_index()
                  .pipe(lambda d: d.insert(1, "name", names) or d), "comention_matrix_npmi", show=False)
        shown = npmi.copy()
        shown.index, shown.columns = names, [ctx.label(e, False) for e in ents]
        ctx.figure(P.heatmap(shown, title=f"Association (NPMI) of the focus entities and their top partners, "
                                          f"{level} windows", fmt="{:.2f}", cmap="RdBu_r", center=0.0,
                             colorbar_label="NPMI (0 = independent)"),
                   "comention_heatmap_npmi")

        # network of the focus entities and their partners
        G = comention_graph(co, gazetteer=ctx.gaz, min_count=1)
        keep = set(ctx.focus) | set(tp["partner"])
        H = G.subgraph([n for n in G.nodes if n in keep]).copy()
        labels = {n: (ctx.label(n) if n in ctx.focus else ctx.label(n, False)) for n in H.nodes}
        ctx.figure(P.network(H, labels=labels, highlight=ctx.focus, seed=ctx.seed, edge_weight_attr="n_ab",
                             title=f"Co-mention network: focus entities (red) and their top partners "
                                   f"(edge width = shared {level}s)"), "comention_network")

    with ctx.section("Focus triangle"):
        _need(len(ctx.focus) >= 2, "the triangle needs at least two focus entities.")
        resolve = _resolve_for(ctx.focus)
        tri = focus_triangle(m, a, focus=ctx.focus, level=level, freq=ctx.freq, resolve=resolve,
                             windows=ctx.cache.get("windows") if level != "article" else None)
        tri.insert(1, "name", [_pair_label(ctx, x, y) for x, y in zip(tri["entity_a"], tri["entity_b"])])
        ctx.table(tri, "comention_triangle", show=False)
        d = _chart_periods(ctx, tri).copy()
        if ctx.display and len(d):
            display_html(table_html(
                d[["name", "period", "n_ab", "n_a", "n_b", "n_windows", "share_ab", "npmi", "llr"]],
                max_rows=3 * 12, caption=(f"Pairs of focus entities by {_period_name(ctx.freq)} ({level} "
                                          "windows; every period and all columns in tables/comention_triangle.csv)")))
        _need(d["period"].nunique() >= 2, "fewer than two dated periods: no chart over time.")
        d["period"] = _period_ts(d["period"])
        d["label"] = d["name"]
        d["value"] = 1000.0 * d["share_ab"]
        ctx.figure(P.lines_over_time(d, title=f"Focus pairs mentioned together, per 1,000 {level}s, by "
                                              f"{_period_name(ctx.freq)}", ylabel=f"per 1,000 {level}s",
                                     event_date=ctx.event_date), "comention_triangle")

    with ctx.section("Example sentences"):
        examples_section(ctx)


def _pick_windows(ctx: ReportContext, x: str, y: str, level: str, resolve: str | None, n: int,
                  avoid: set | frozenset = frozenset()) -> pd.DataFrame:
    """Up to ``n`` windows where ``x`` and ``y`` are mentioned together, spread evenly over time
    (from articles not in ``avoid`` when there are enough of those).

    Chosen from the mentions table alone (cheap), so :func:`analysis.kwic` then only
    has to cut the text of these few windows out of their articles.
    """
    from analysis.measures.comention import WINDOW_KEYS, resolve_entities

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


def examples_section(ctx: ReportContext, per_pair: int = 3) -> None:
    """Example sentences where two focus entities are mentioned together (escaped)."""
    from itertools import combinations

    from analysis.measures.comention import WINDOW_KEYS
    from analysis.measures.keywords import kwic

    level = "paragraph" if ctx.level == "paragraph" else "sentence"
    keys = WINDOW_KEYS[level]
    resolve = _resolve_for(ctx.focus)
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
        k = kwic(ctx.articles[aid.isin(ids)], ctx.mentions[mid.isin(ids)], x, y, level=level, resolve=resolve)
        if len(k) == 0:
            continue
        k = k.assign(article_id=k["article_id"].astype(str)).merge(chosen, on=keys)
        k.insert(0, "pair", f"{x}-{y}")
        rows.append(k)
    _need(len(rows) > 0, f"no {level} mentions two focus entities together.")
    ex = pd.concat(rows, ignore_index=True)
    titles = ctx.articles.drop_duplicates("article_id").set_index(ctx.articles["article_id"].drop_duplicates()
                                                                  .astype(str))["title"]
    ex.insert(ex.columns.get_loc("article_id") + 1, "title", ex["article_id"].astype(str).map(titles))
    save = ex.copy()
    for c in ("spans_a", "spans_b"):
        if c in save:
            save[c] = save[c].map(lambda v: " ".join(f"{int(s)}-{int(e)}" for s, e in (v or [])))
    ctx.table(save, "comention_examples", show=False)
    for pair, g in ex.groupby("pair", sort=False):
        x, y = pair.split("-", 1)
        ctx.html(f"<h4>{html_escape(_pair_label(ctx, x, y))}</h4>" + kwic_html(g, ctx))


def topics_section(ctx: ReportContext) -> None:
    """Topics: top terms, prevalence by focus entity, over time."""
    from analysis import plotting as P
    from analysis.topics.model import topic_prevalence, topics_over_time

    a, m = ctx.articles, ctx.mentions
    with ctx.section("Topics"):
        _need(ctx.k > 0, "topics were switched off (topics = 0).")
        n = len(a)
        _need(n >= 10, f"topic models need at least 10 articles; the corpus has {n}.")
        k = _topic_k(ctx)
        if k < ctx.k:
            ctx.note(f"The corpus has {n} articles: fitting {k} topics instead of {ctx.k}.")
        model = _background_result(ctx, "topics")
        if model is None:
            model = _fit_topic_model(ctx)
        if isinstance(model, str):
            raise NotEnoughData(model)
        ctx.cache["topic_model"] = model
        labels = model.labels(3)
        q = model.quality_
        terms = model.topics(10)
        qt = pd.DataFrame([{"topic": t["topic"], "label": t["label"], "npmi": t["npmi"],
                            "npmi_heldout": t["npmi_heldout"], "terms": " ".join(t["terms"])}
                           for t in q["topics"]])
        dom = topic_prevalence(model.doc_topics_, m.assign(_all="all"), by="_all")
        qt = qt.merge(dom[["topic", "mean_weight", "dominant_share"]], on="topic", how="left")
        def r3(v):
            return "n/a" if v is None else f"{v:.3f}"

        ctx.note(f"{q['method'].upper()} with {q['n_topics']} topics on {q['n_documents']} articles "
                 f"({q['n_heldout']} held out), vocabulary {q['n_vocabulary']} terms. Coherence (NPMI of the "
                 f"top 10 terms) {r3(q['npmi'])}, on held-out articles {r3(q['npmi_heldout'])}; "
                 f"diversity {r3(q['diversity'])}.")
        ctx.table(qt, "topics", max_rows=40, caption="Topics: label, coherence, top terms, prevalence")
        ctx.table(terms, "topic_terms", show=False)
        panel = terms.assign(panel=terms["topic"].map(lambda t: f"{t}: {labels[t]}"))
        ctx.figure(P.barh_panels(panel[panel["rank"] <= 8], panel="panel", label="term", value="weight",
                                 max_bars=8, title="Top terms of each topic", ncols=4), "topics_terms")

        resolve = _resolve_for(ctx.focus)
        by = "country" if resolve else "entity_id"
        prev = topic_prevalence(model.doc_topics_, m, by=by, entities=ctx.focus, labels=labels)
        if len(prev):
            prev.insert(1, "name", prev[by].map(ctx.label))
            ctx.table(prev, "topics_by_focus", show=False)
            wide = prev.pivot(index="topic", columns=by, values="mean_weight").reindex(
                columns=[f for f in ctx.focus if f in set(prev[by])])
            wide.columns = [f"mean weight: {ctx.label(c)}" for c in wide.columns]
            wide.insert(0, "label", [labels[t] for t in wide.index])
            wide.insert(1, "corpus mean", dom.set_index("topic")["mean_weight"].reindex(wide.index).to_numpy())
            if ctx.display:
                display_html(table_html(wide.reset_index(), max_rows=k + 1, caption=(
                    "Topic prevalence among articles mentioning each focus entity "
                    "(all columns in tables/topics_by_focus.csv)")))
            mat = prev.pivot(index="topic", columns=by, values="mean_weight").reindex(
                columns=[f for f in ctx.focus if f in set(prev[by])])
            base = dom.set_index("topic")["mean_weight"]
            mat.index = [f"{t}: {labels[t]}" for t in mat.index]
            mat.columns = [ctx.label(c, False) for c in mat.columns]
            ratio = mat.div(base.to_numpy(), axis=0)
            with np.errstate(divide="ignore", invalid="ignore"):
                log_ratio = np.log2(ratio.astype(float))
            ctx.figure(P.heatmap(log_ratio, annot=ratio, title="Topics in articles mentioning each focus "
                                                               "entity (× the corpus mean)",
                                 fmt="×{:.2f}", cmap="PuOr_r", center=0.0,
                                 colorbar_label="log2 ratio to the corpus mean"), "topics_by_focus")
        else:
            ctx.note("No article mentions a focus entity: no prevalence by entity.")
        ot = topics_over_time(model.doc_topics_, a, freq="W" if ctx.freq == "W" else "MS")
        per_period = ot.drop_duplicates("period").set_index("period")["n_articles"]
        ot_chart = ot[ot["n_articles"] >= _min_chart_articles(per_period, len(a))]
        if ot_chart["period"].nunique() >= 2:
            ctx.table(ot, "topics_over_time", show=False)
            ot = ot_chart.assign(label=ot_chart["topic"].map(lambda t: f"{t}: {labels[t]}"),
                                 value=ot_chart["mean_weight"])
            ctx.figure(P.lines_over_time(ot, title=f"Topic prevalence by {_period_name(ctx.freq)} "
                                                   "(mean weight, the 8 largest topics)", ylabel="mean weight",
                                         max_series=8, event_date=ctx.event_date), "topics_over_time")
        else:
            ctx.note("Fewer than two dated periods: no topics over time.")


_BACKGROUND: dict[str, Any] = {}


def _topic_k(ctx: ReportContext) -> int:
    """Number of topics actually fitted: the parameter, at most one per 5 articles."""
    return min(ctx.k, max(2, len(ctx.articles) // 5))


def _fit_topic_model(ctx: ReportContext):
    """The report's topic model, or a message saying why it cannot be fitted."""
    from analysis.topics.model import fit_topics

    small = len(ctx.articles) < 1000
    try:
        return fit_topics(ctx.articles, k=_topic_k(ctx), method=ctx.method, random_state=ctx.seed,
                          **({"min_df": 2, "max_df": 0.6} if small else {}))
    except ValueError as exc:  # e.g. too few terms left after the document-frequency bounds
        return f"the topic model could not be fitted: {exc}"


def _keyness_tables(ctx: ReportContext, n_terms: int = 15) -> list:
    """keyness() of every focus entity: a list of (entity, DataFrame or error message)."""
    from analysis.measures.keywords import keyness

    a, m = ctx.articles, ctx.mentions
    out = []
    for f in ctx.focus:
        try:
            out.append((f, keyness(a, m, f, resolve=_resolve_for(ctx.focus), n=n_terms,
                                   min_count=5 if len(a) >= 1000 else 2)))
        except ValueError as exc:
            out.append((f, str(exc)))
    return out


def _in_child(job: str):
    ctx = _BACKGROUND["ctx"]
    return _keyness_tables(ctx) if job == "keyness" else _fit_topic_model(ctx)


def start_background(ctx: ReportContext, min_articles: int = 2000) -> None:
    """Start the two slowest computations, the keyness tables and the topic model, in two forked
    worker processes while this one draws the other sections (nothing is copied up front);
    :func:`topics_section` and :func:`keyness_section` collect the results.

    Only for corpora of ``min_articles`` or more, only where ``fork`` exists, and only for the
    sections that will run; otherwise the sections compute their results themselves. The results
    are the same either way.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    n = 0 if ctx.articles is None else len(ctx.articles)
    if n < max(min_articles, 10):
        return
    if "fork" not in multiprocessing.get_all_start_methods():  # pragma: no cover - Windows
        return
    jobs = ["keyness"] + (["topics"] if ctx.k > 0 else [])
    _BACKGROUND["ctx"] = ctx
    pool = ProcessPoolExecutor(max_workers=len(jobs), mp_context=multiprocessing.get_context("fork"))
    ctx.cache["background"] = {"pool": pool, **{job: pool.submit(_in_child, job) for job in jobs}}


def _background_result(ctx: ReportContext, job: str):
    """The result of a background job, or None when there is none (or it failed: recompute)."""
    bg = ctx.cache.get("background")
    if not bg or job not in bg:
        return None
    future = bg.pop(job)
    try:
        return future.result()
    except Exception:  # the worker died: the caller computes the result itself
        return None
    finally:
        if not any(k != "pool" for k in bg):
            bg["pool"].shutdown(wait=False, cancel_futures=True)
            ctx.cache.pop("background", None)
            _BACKGROUND.pop("ctx", None)


def keyness_section(ctx: ReportContext, n_terms: int = 15) -> None:
    """Distinctive terms of the articles mentioning each focus entity (keyness)."""
    from analysis import plotting as P

    a = ctx.articles
    with ctx.section("Distinctive terms"):
        _need(len(a) >= 4, f"keyness needs a few articles on each side; the corpus has {len(a)}.")
        results = _background_result(ctx, "keyness")
        if results is None or n_terms != 15:  # the background job computes the default 15 terms
            results = _keyness_tables(ctx, n_terms)
        rows = []
        for f, k in results:
            if isinstance(k, str):
                ctx.note(f"{ctx.label(f)}: {k}")
                continue
            if len(k) == 0:
                continue
            k = k.head(n_terms).copy()
            k.insert(0, "entity", f)
            k.insert(1, "name", ctx.label(f))
            rows.append(k)
        _need(len(rows) > 0, "no focus entity has both articles that mention it and articles that do not.")
        kt = pd.concat(rows, ignore_index=True)
        ctx.table(kt, "keyness", show=False)
        if ctx.display:
            shown = kt.groupby("entity", sort=False).head(8)[
                ["name", "surface", "n_target", "n_reference", "per_10k_target", "per_10k_reference", "g2",
                 "log_ratio"]]
            display_html(table_html(shown, max_rows=8 * len(ctx.focus), caption=(
                f"Most distinctive terms per focus entity, top 8 (top {n_terms} and all columns in "
                "tables/keyness.csv)")))
        ctx.figure(P.barh_panels(kt, panel="name", label="surface", value="g2", max_bars=n_terms,
                                 title="Distinctive terms of articles mentioning each focus entity "
                                       "(log-likelihood G²)", xlabel="G²"), "keyness")


def event_section(ctx: ReportContext) -> None:
    """Before and after the event date: change in share and in co-mention, with tests."""
    from analysis import plotting as P
    from analysis.measures.compare import event_change

    with ctx.section("Before and after the event"):
        _need(ctx.event_date is not None, "no event date was given (parameter event_date).")
        a, m = ctx.articles, ctx.mentions
        pub = pd.to_datetime(a["published"], utc=True, errors="coerce")
        nb, na = int((pub < ctx.event_date).sum()), int((pub >= ctx.event_date).sum())
        _need(nb > 0 and na > 0, f"the corpus has {nb} dated articles before "
                                 f"{ctx.event_date:%Y-%m-%d} and {na} after it; both sides need some.")
        ev = event_change(m, a, ctx.event_date, focus=ctx.focus, level="article", resolve=_resolve_for(ctx.focus))
        ev.insert(1, "name", [ctx.label(x) if y is None or pd.isna(y) else _pair_label(ctx, x, y)
                              for x, y in zip(ev["entity_a"], ev["entity_b"])])
        ctx.note(f"Event date {ctx.event_date:%Y-%m-%d}: {nb} article(s) before, {na} at or after it. "
                 "Share = share of articles mentioning the entity (or both entities of a pair); Cohen's h: "
                 "0.2 small, 0.5 medium, 0.8 large.")
        ctx.table(ev, "event_change", caption="Before vs after the event date",
                  columns=["measure", "name", "k_before", "n_before", "p_before", "k_after", "n_after", "p_after",
                           "cohen_h", "test", "p_value"])
        long = pd.concat([
            ev.assign(label="before", share=ev["p_before"], lo=np.nan, hi=np.nan),
            ev.assign(label="after", share=ev["p_after"], lo=np.nan, hi=np.nan),
        ], ignore_index=True)
        from analysis.measures.compare import wilson_interval

        for side in ("before", "after"):
            sel = long["label"] == side
            lo, hi = wilson_interval(long.loc[sel, f"k_{side}"], long.loc[sel, f"n_{side}"])
            long.loc[sel, "lo"], long.loc[sel, "hi"] = lo, hi
        long["group"] = long["name"]
        ctx.figure(P.share_by_group(long, group="group", series="label", y="share", lo="lo", hi="hi",
                                    title=f"Share of articles before and after {ctx.event_date:%Y-%m-%d} "
                                          "(95% interval)"), "event_change")


def methods_section(ctx: ReportContext) -> None:
    """Methods and limitations: matching accuracy measured on the gold set."""
    if ctx.gaz is not None and getattr(ctx.gaz, "entities", None) is not None:
        ents = ctx.gaz.entities
        by_type = ents["type"].value_counts().sort_index()
        ctx.note(f"Gazetteer: {len(ents)} entities (" + ", ".join(f"{n} {t}" for t, n in by_type.items())
                 + ")" + (f", with your additions from {', '.join(ctx.gazetteer_files)}" if ctx.gazetteer_files
                          else "") + ".")
    acc = matching_accuracy()
    if acc is None:
        ctx.note("The matcher's accuracy table was not found in this installation.")
        return
    df, source = acc
    ctx.note(source)
    ctx.table(df, "matching_accuracy", caption="Entity matching: precision, recall and F1 on the gold set")


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
