"""Where the report's sections get their corpus-wide tables: in memory, or on Dask.

The sections ask ``ctx.data`` (a :class:`MemoryData` or a :class:`DaskData`) for the tables
that depend on the whole corpus: the article and mention counts, coverage, co-mentions, the
focus triangle, the corpus profile (summary, outlets, categories, crawl dates, articles per
period and outlet), keyness and the articles around the events. :class:`MemoryData` computes
them from ``ctx.articles`` / ``ctx.mentions`` with the package's functions; :class:`DaskData`
has them from one counting pass over a dask frame (:func:`load_dask`), identical tables, with
memory bounded by the cluster's. With Dask, ``ctx.articles`` / ``ctx.mentions`` hold a seeded
sample of the corpus (``dask_sample`` articles): the sections that read text (examples,
topics, voices) work on it and say so (:attr:`DaskData.sample_note`).
"""
from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["DaskData", "MemoryData", "load_dask"]


class MemoryData:
    """The corpus-wide tables computed from the in-memory frames of the context."""

    engine = "memory"
    sample_note: str | None = None

    def __init__(self, ctx):
        self.ctx = ctx
        self._words = None  # count_words of ctx.articles, counted once for every coverage table

    def _article_words(self) -> pd.Series:
        from analysis.measures.compare import count_words

        a = self.ctx.articles
        if self._words is None or self._words[0] is not a:
            self._words = (a, count_words(a))
        return self._words[1]

    @property
    def n_articles(self) -> int:
        return 0 if self.ctx.articles is None else int(len(self.ctx.articles))

    @property
    def n_mentions(self) -> int:
        return 0 if self.ctx.mentions is None else int(len(self.ctx.mentions))

    def coverage(self, freq: str | None, by: str | None = None) -> pd.DataFrame:
        """:func:`analysis.coverage` of the focus entities (with ``period``, "all" when ``freq`` is None)."""
        from analysis.measures.compare import coverage

        c = self.ctx
        return coverage(articles=c.articles, mentions=c.mentions, focus=c.focus, freq=freq, by=by, resolve=c.roll_up,
                        words=self._article_words())

    def comentions(self, windows=None) -> pd.DataFrame:
        """:func:`analysis.count_comentions` at the report's level (``windows``: a function returning
        the window counts, called only when needed)."""
        from analysis.measures.comention import count_comentions

        c = self.ctx
        return count_comentions(mentions=c.mentions, articles=c.articles, level=c.level,
                                windows=windows() if windows else None)

    def triangle(self, windows=None) -> pd.DataFrame:
        """:func:`analysis.focus_triangle` of the focus entities by period (``windows`` as above)."""
        from analysis.measures.compare import focus_triangle

        c = self.ctx
        return focus_triangle(mentions=c.mentions, articles=c.articles, focus=c.focus, level=c.level, freq=c.freq,
                              resolve=c.roll_up, windows=windows() if windows else None)

    def period_counts(self, freq: str) -> pd.Series:
        """Articles per period label (``undated`` included)."""
        from analysis.measures.cooccurrence import period_labels

        return period_labels(self.ctx.articles["published"], freq).value_counts()

    def articles_by_period_outlet(self, freq: str) -> pd.DataFrame:
        """``period``, ``outlet``, ``value`` (articles)."""
        from analysis.measures.cooccurrence import period_labels

        a = self.ctx.articles
        outlet = a["outlet"].fillna("unknown").astype(str)
        per = period_labels(a["published"], freq)
        return pd.DataFrame({"period": per, "outlet": outlet}).groupby(["period", "outlet"]).size() \
            .rename("value").reset_index()

    def load_summary(self) -> dict:
        return dict(self.ctx.articles.attrs.get("summary", {}) or {})

    def skipped(self) -> pd.DataFrame | None:
        s = self.ctx.articles.attrs.get("skipped")
        return s if isinstance(s, pd.DataFrame) else None

    def summary_extra(self) -> list[tuple[str, Any]]:
        """articles, outlets, first_date, last_date, undated_articles, mentions, articles_with_mentions."""
        a, m = self.ctx.articles, self.ctx.mentions
        pub = pd.to_datetime(a["published"], utc=True, errors="coerce") if len(a) else \
            pd.Series([], dtype="datetime64[ns, UTC]")
        return [
            ("articles", int(len(a))),
            ("outlets", int(a["outlet"].nunique()) if len(a) else 0),
            ("first_date", pub.min().strftime("%Y-%m-%d") if pub.notna().any() else ""),
            ("last_date", pub.max().strftime("%Y-%m-%d") if pub.notna().any() else ""),
            ("undated_articles", int(pub.isna().sum())),
            ("mentions", int(len(m)) if m is not None else 0),
            ("articles_with_mentions", int(m["article_id"].nunique()) if m is not None else 0),
        ]

    def outlets(self) -> pd.DataFrame:
        """``outlet``, ``articles``, ``dated``, ``first``, ``last``: most articles first."""
        a = self.ctx.articles
        pub = pd.to_datetime(a["published"], utc=True, errors="coerce")
        outlet = a["outlet"].fillna("unknown").astype(str)
        o = (pd.DataFrame({"outlet": outlet, "published": pub})
             .groupby("outlet", sort=True)
             .agg(articles=("published", "size"), dated=("published", "count"),
                  first=("published", "min"), last=("published", "max"))
             .reset_index())
        for c in ("first", "last"):
            o[c] = o[c].dt.strftime("%Y-%m-%d").fillna("")
        return o.sort_values(["articles", "outlet"], ascending=[False, True], kind="mergesort")

    def categories(self) -> pd.DataFrame | None:
        """``category``, ``articles`` (None when no article has a category)."""
        a = self.ctx.articles
        if "category" not in a.columns or not a["category"].notna().any():
            return None
        return (a["category"].fillna("(none)").astype(str).value_counts().rename_axis("category")
                .reset_index(name="articles").sort_values(["articles", "category"], ascending=[False, True],
                                                         kind="mergesort"))

    def date_fields(self) -> pd.Series:
        """Articles by ``date_field`` value."""
        a = self.ctx.articles
        if "date_field" not in a.columns:
            return pd.Series(dtype="int64", name="articles")
        return a["date_field"].astype(object).dropna().astype(str).value_counts().rename("articles")

    #: the keyness tables when they are precomputed (None: the sections compute them)
    keyness_tables = None

    def rate_intervals(self, freq, by=None) -> pd.DataFrame | None:
        """Precomputed intervals of mentions per 1,000 words (the Dask engine's); None: compute them."""
        return None

    def event_frames(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Articles and mentions the event sections read (here: the whole corpus)."""
        return self.ctx.articles, self.ctx.mentions

    #: how the topic prevalence tables were computed, for the topics section's note (None: on the
    #: articles the model was fitted on)
    topics_note: str | None = None

    def topic_prevalence(self, model, by: str, labels=None, n_boot: int = 0, seed: int = 0) -> pd.DataFrame:
        """:func:`analysis.topic_prevalence` of the focus entities (``by``: "country" or "entity_id")."""
        from analysis.topics.model import topic_prevalence

        return topic_prevalence(doc_topics=model.doc_topics_, mentions=self.ctx.mentions, by=by,
                                entities=self.ctx.focus, labels=labels, n_boot=n_boot, seed=seed)

    def topic_corpus_prevalence(self, model) -> pd.DataFrame:
        """Topic prevalence over the articles with any mention (``_all`` = "all")."""
        from analysis.topics.model import topic_prevalence

        return topic_prevalence(doc_topics=model.doc_topics_, mentions=self.ctx.mentions.assign(_all="all"),
                                by="_all")

    def topics_over_time(self, model, freq: str) -> pd.DataFrame:
        """:func:`analysis.topics_over_time` of the dated articles."""
        from analysis.topics.model import topics_over_time

        return topics_over_time(doc_topics=model.doc_topics_, articles=self.ctx.articles, freq=freq)


class DaskData(MemoryData):
    """The corpus-wide tables from one counting pass on Dask (see :func:`load_dask`)."""

    engine = "dask"

    def __init__(self, ctx, tables: dict, n_sample: int):
        super().__init__(ctx)
        self.tables = tables
        n = int(tables["summary"].get("loaded", 0))
        self.sample_note = (
            f"On Dask: computed on a seeded sample of {n_sample:,} of the {n:,} articles (seed {ctx.seed}; the "
            "same sample on every run), not on every article." if n_sample < n else None)

    @property
    def n_articles(self) -> int:
        return int(self.tables["summary"].get("loaded", 0))

    @property
    def n_mentions(self) -> int:
        return int(self.tables["profile"]["n_mentions"])

    def coverage(self, freq, by=None):
        key = ("coverage", freq, by)
        if key not in self.tables:
            raise KeyError(f"the dask engine counted coverage by freq {sorted(k[1:] for k in self.tables if k[0] == 'coverage')}; "
                           f"not {freq!r}, {by!r}")
        return self.tables[key].copy()

    def comentions(self, windows=None):
        return self.tables["comentions"].copy()

    def triangle(self, windows=None):
        return self.tables["triangle"].copy()

    def period_counts(self, freq):
        t = self.coverage(freq, None)
        return t.drop_duplicates("period").set_index("period")["n_articles"].rename("count").rename_axis(None)

    def articles_by_period_outlet(self, freq):
        t = self.coverage(freq, "outlet").drop_duplicates(["period", "outlet"])
        t = t[t["n_articles"] > 0]
        return pd.DataFrame({"period": t["period"].astype(str).to_numpy(),
                             "outlet": t["outlet"].fillna("unknown").astype(str).to_numpy(),
                             "value": t["n_articles"].to_numpy(dtype=np.int64)}) \
            .groupby(["period", "outlet"], sort=True)["value"].sum().reset_index()

    def load_summary(self):
        return dict(self.tables["summary"])

    def skipped(self):
        s = self.tables.get("skipped")
        return s if isinstance(s, pd.DataFrame) else None

    def summary_extra(self):
        p = self.tables["profile"]
        days = p["days"]
        dated = days[days["day"] != ""]
        return [
            ("articles", self.n_articles),
            ("outlets", int(days["outlet"].dropna().nunique())),
            ("first_date", str(dated["day"].min()) if len(dated) else ""),
            ("last_date", str(dated["day"].max()) if len(dated) else ""),
            ("undated_articles", int(days.loc[days["day"] == "", "n_articles"].sum())),
            ("mentions", int(p["n_mentions"])),
            ("articles_with_mentions", int(p["n_with_mentions"])),
        ]

    def outlets(self):
        days = self.tables["profile"]["days"]
        d = days.assign(outlet=days["outlet"].fillna("unknown").astype(str),
                        dated=np.where(days["day"] != "", days["n_articles"], 0),
                        day=days["day"].where(days["day"] != "", None))
        o = (d.groupby("outlet", sort=True)
             .agg(articles=("n_articles", "sum"), dated=("dated", "sum"), first=("day", "min"), last=("day", "max"))
             .reset_index())
        for c in ("first", "last"):
            o[c] = o[c].fillna("").astype(str)
        o["articles"] = o["articles"].astype(np.int64)
        o["dated"] = o["dated"].astype(np.int64)
        return o.sort_values(["articles", "outlet"], ascending=[False, True], kind="mergesort")

    def categories(self):
        c = self.tables["profile"]["categories"]
        if not len(c) or c["category"].isna().all():
            return None
        out = pd.DataFrame({"category": c["category"].fillna("(none)").astype(str).to_numpy(),
                            "articles": c["n_articles"].to_numpy(dtype=np.int64)})
        out = out.groupby("category", sort=True)["articles"].sum().reset_index()
        return out.sort_values(["articles", "category"], ascending=[False, True], kind="mergesort") \
            .reset_index(drop=True)

    def date_fields(self):
        f = self.tables["profile"]["date_fields"].dropna(subset=["date_field"])
        return pd.Series(f["n_articles"].to_numpy(dtype=np.int64), index=f["date_field"].astype(str).to_numpy(),
                         name="articles")

    def keyness_tables(self, **kw):
        return list(self.tables["keyness"])

    @property
    def topics_note(self) -> str | None:
        if self.tables.get("topics") is None:
            return None
        return ("The prevalence tables are over every article: the model fitted on the sample weighs each of the "
                f"{self.n_articles:,} articles (transform, partition by partition) and the weights are summed on "
                "Dask; the intervals by focus entity are normal approximations of the mean (mean ± 1.96 standard "
                "errors), not the in-memory bootstrap.")

    def _topics(self, name: str, model):
        t = self.tables.get("topics")
        return None if t is None else t[name].copy()

    def topic_prevalence(self, model, by, labels=None, n_boot=0, seed=0):
        t = self._topics("focus", model)
        if t is None:
            return super().topic_prevalence(model, by, labels=labels, n_boot=n_boot, seed=seed)
        if not n_boot:
            t = t.drop(columns=["mean_weight_low", "mean_weight_high"])
        if labels is not None:
            t["label"] = t["topic"].map(labels)
        return t

    def topic_corpus_prevalence(self, model):
        t = self._topics("all", model)
        return super().topic_corpus_prevalence(model) if t is None else t

    def topics_over_time(self, model, freq):
        t = self._topics("over_time", model)
        return super().topics_over_time(model, freq) if t is None else t

    def event_frames(self):
        return self.tables["event_articles"], self.tables["event_mentions"]

    def rate_intervals(self, freq, by=None) -> pd.DataFrame | None:
        """``entity``, ``per_1k_words_low``, ``per_1k_words_high`` of the whole corpus from the Poisson
        bootstrap of the counting pass (:func:`analysis.stats.rates.poisson_rate_sums`), or None (other
        views, or a corpus no larger than the sample, where the in-memory bootstrap runs)."""
        return self.tables.get(("rate_intervals", freq, by))


# --------------------------------------------------------------------------- the dask pass

def _event_days(events, days: int) -> list[tuple[str, str]]:
    """UTC day bounds (inclusive, a day of margin each side) of every event window."""
    out = []
    for date, _ in events:
        e = pd.Timestamp(str(date)[:10])
        out.append(((e - pd.Timedelta(days=days + 1)).strftime("%Y-%m-%d"),
                    (e + pd.Timedelta(days=days + 1)).strftime("%Y-%m-%d")))
    return out


_EVENT_COLUMNS = ("article_id", "title", "text", "published", "outlet", "category", "dup_group", "date_field")


def _sample_rows(articles: pd.DataFrame, cut: int, seed: int, part: int = 0) -> pd.DataFrame:
    """One partition's rows of the seeded sample (hash under ``cut``; ``_order``: partition ``part``, row)."""
    from analysis.dask.topics import sample_keys

    keyed = sample_keys(articles, seed)
    keyed["_order"] = part * 2 ** 32 + np.arange(len(keyed), dtype=np.int64)
    return keyed[keyed["_sample_key"].to_numpy() < cut]


def _presample(articles: pd.DataFrame, cut: int, seed: int, part: int, dates: bool) -> dict:
    """The pass before the counting pass: the sample's rows and (``dates``) every article's date."""
    out = {"sample": _sample_rows(articles, cut, seed, part)}
    if dates:
        out["published"] = articles["published"].reset_index(drop=True)
    return out


def _subsets(articles: pd.DataFrame, mentions: pd.DataFrame, cut: int, seed: int, windows: list,
             part: int = 0, rows: bool = True, focus: tuple = (), resolve: str | None = None) -> dict:
    """One partition's rows of the seeded sample (``rows``: also the articles, else only their
    mentions) and of the event windows, with their mentions.

    The event rows are what the event section reads, no more: the articles without title and
    text but with their word count (``n_words``, :func:`analysis.measures.compare.count_words`),
    and (with ``focus``) only the mentions that count for a focus entity after ``resolve``, with
    the columns that roll them up. At a million articles the windows hold about a tenth of the
    corpus; whole rows of that, gathered on one worker, outgrew a 4 GB worker."""
    sample = _sample_rows(articles, cut, seed, part)
    ids = set(sample["article_id"].astype(str))
    mid = mentions["article_id"].astype(str)
    out = {"sample_mentions": mentions[mid.isin(ids).to_numpy()]}
    if rows:
        out["sample"] = sample
    if windows:
        day = pd.to_datetime(articles["published"], utc=True, errors="coerce").dt.strftime("%Y-%m-%d")
        keep = np.zeros(len(articles), dtype=bool)
        for lo, hi in windows:
            keep |= ((day >= lo) & (day <= hi)).fillna(False).to_numpy(dtype=bool)
        from analysis.measures.compare import count_words
        from analysis.measures.cooccurrence import resolve_entities

        kept = articles[keep]
        ev = kept[[c for c in _EVENT_COLUMNS if c in articles.columns and c not in ("title", "text")]].copy()
        ev["n_words"] = count_words(kept).to_numpy(dtype=np.int64)
        eids = set(ev["article_id"].astype(str))
        em = mentions[mid.isin(eids).to_numpy()]
        if focus:
            em = em[resolve_entities(em, None if resolve in (None, "none") else resolve).isin(list(focus)).to_numpy()]
            em = em[[c for c in ("article_id", "entity_id", "entity_type", "country") if c in em.columns]]
        out["event"] = ev.reset_index(drop=True)
        out["event_mentions"] = em.reset_index(drop=True)
    return out


def _finish_sample(candidates: pd.DataFrame, n: int) -> pd.DataFrame:
    """The ``n`` smallest hashes among the candidates, then in corpus order."""
    from analysis.dask.topics import finish_sample

    sample = finish_sample(candidates, n)
    return sample.sort_values("_order", kind="mergesort").drop(columns="_order").reset_index(drop=True)


def _fit_sample_topics(ctx, sample: pd.DataFrame):
    """The report's topic model fitted on the sample (cached in the context as the topics section
    asks for it), or None when it cannot be fitted."""
    from analysis.report.models import topic_model

    if len(sample) < 10:
        return None
    ctx.articles = sample
    model = topic_model(ctx)
    return None if isinstance(model, str) else model


#: resamples of the Poisson bootstrap of mentions per 1,000 words on Dask (as PAIR_RESAMPLES in memory)
_RATE_RESAMPLES = 1000


def _gather(parts: list[dict]) -> dict:
    return {k: pd.concat([p[k] for p in parts], ignore_index=True) for k in parts[0]} if parts else {}


def load_dask(ctx) -> DaskData:
    """Read the corpus as a dask frame and compute, in one pass over it, every corpus-wide table
    the sections need (coverage by period x outlet, by period, by outlet and in total;
    co-mentions; the focus triangle; the corpus profile; keyness of every focus entity), the
    seeded sample of ``ctx.dask_sample`` articles and the articles of the event windows, with
    their mentions. Sets ``ctx.articles`` / ``ctx.mentions`` to the sample. The cluster is closed
    once the tables are in: the rest of the report runs in this process on bounded data."""
    import dask

    from analysis.dask.cluster import get_client
    from analysis.dask.corpus import load_info, read_corpus
    from analysis.dask.counts import (
        comention_request,
        count_tables,
        coverage_request,
        extract_mentions,
        keyness_request,
        profile_request,
        rate_boot_request,
        triangle_request,
    )
    from analysis.dask.cluster import compute
    from analysis.dask.counts import reduce_tree
    from analysis.dask.topics import prevalence_sums, prevalence_tables, slim_model
    from analysis.report.html import split_list

    c = ctx
    fields = dict(re.split(r"[=:]", kv, maxsplit=1) for kv in split_list(c.fields)) if c.fields else None
    client = get_client(scheduler=c.scheduler or None, workers=c.dask_workers or None,
                        memory_limit=c.memory_limit or None)
    try:
        n_workers = len(client.scheduler_info().get("workers", {}))
        articles = read_corpus(c.corpus or None, blocksize=c.blocksize, fields=fields, tz=c.tz, start=c.start,
                               end=c.end, outlets=c.outlets, categories=c.categories,
                               exclude_categories=c.exclude_categories, dedup=c.dedup, progress=c.progress)
        info = load_info(articles)
        summary = dict(info.get("summary") or {})
        n = int(summary.get("loaded", 0))
        if n == 0:
            from analysis.report.errors import nothing_loaded_message

            raise ValueError(nothing_loaded_message(info.get("skipped")))
        mentions = extract_mentions(articles, gazetteer=c.gaz)
        k_sample = int(c.dask_sample)
        cut = int(min(1.0, 1.1 * k_sample / n + 64 / n) * 2.0 ** 63) if n > k_sample else 2 ** 63
        a_parts = articles.to_delayed(optimize_graph=False)
        m_parts = mentions.to_delayed(optimize_graph=False)
        # topics over every article: the model is fitted on the sample before the counting pass, which
        # then transforms every partition; so the sample is drawn in a pass of its own (with the dates)
        topics_all = c.k > 0 and n > k_sample
        sample = None
        if topics_all or c.freq_param == "auto":
            pre = dask.delayed(_presample, pure=True)
            parts = compute(c.progress, *[pre(a, cut, c.seed, i, c.freq_param == "auto")
                                          for i, a in enumerate(a_parts)])
            if c.freq_param == "auto":  # the period counts below need the chosen freq, from every date
                # (8 bytes an article), so that choose_freq reads what it reads in memory
                c.corpus_published = pd.concat([p["published"] for p in parts], ignore_index=True)
            if topics_all:
                sample = _finish_sample(pd.concat([p["sample"] for p in parts], ignore_index=True), k_sample)
            del parts
        focus, resolve, freq = list(c.focus), c.roll_up, c.freq
        requests = [coverage_request(focus, freq, "outlet", resolve), coverage_request(focus, freq, None, resolve),
                    coverage_request(focus, None, "outlet", resolve), coverage_request(focus, None, None, resolve),
                    comention_request(c.level), triangle_request(focus, c.level, freq, resolve), profile_request()]
        n_terms, min_count = 15, 5 if n >= 1000 else 2  # as the in-memory keyness job
        requests += [keyness_request(f, resolve=resolve, min_count=min_count, n=n_terms,
                                     reference=c.keyness_reference, focus=focus) for f in focus]
        windows = _event_days(c.events, c.event_window)
        sub = dask.delayed(_subsets, pure=True)
        also = [dask.delayed(_gather, pure=True)([sub(a, m, cut, c.seed, windows, i, sample is None,
                                                      tuple(focus), resolve)
                                                  for i, (a, m) in enumerate(zip(a_parts, m_parts))])]
        model = _fit_sample_topics(ctx, sample) if topics_all else None
        by = "country" if resolve else "entity_id"
        rate_boot = n > k_sample  # mentions per 1,000 words of the whole corpus: a Poisson bootstrap
        if rate_boot:
            requests.append(rate_boot_request(focus, resolve, _RATE_RESAMPLES, c.seed))
        if model is not None:
            frozen = dask.delayed(slim_model(model))
            sums = dask.delayed(prevalence_sums, pure=True)
            also.append(reduce_tree([sums(a, m, frozen, by, focus, freq) for a, m in zip(a_parts, m_parts)]))
        got = count_tables(articles, mentions, requests, progress=c.progress, also=also)
    finally:
        client.close()
    topic_tables = None
    if model is not None:
        topic_tables = prevalence_tables(got.pop(), by)
    cov_po, cov_p, cov_o, cov_t, co, tri, prof, *rest = got
    rate_total = rest.pop(len(focus)) if rate_boot else None  # after the keyness tables
    if rate_total is not None:
        rate_total.insert(0, "period", "all")  # the whole corpus's one period, as in coverage(freq=None)
    if c.corpus_published is None:  # the partial-period marks need only the first and last day
        dated = prof["days"].loc[prof["days"]["day"] != "", "day"]
        c.corpus_published = pd.Series(pd.to_datetime(sorted({dated.min(), dated.max()}) if len(dated) else [],
                                                      utc=True))
    keys, subs = rest[:len(focus)], rest[len(focus)]
    kt = []
    for f, k in zip(focus, keys):
        if int(k.attrs.get("n_docs_target", 0)) == 0:
            kt.append((f, f"no article mentions {f}"))
        elif int(k.attrs.get("n_docs_reference", 0)) == 0:  # the in-memory keyness's messages
            others = ", ".join(o for o in focus if o != f)
            kt.append((f, f"no article mentions {others} without {f}: nothing to compare with"
                       if c.keyness_reference == "focus" else f"every article mentions {f}: nothing to compare with"))
        else:
            kt.append((f, k))
    if sample is None:
        sample = _finish_sample(subs["sample"], k_sample)
    sids = set(sample["article_id"].astype(str))
    sm = subs["sample_mentions"]
    sm = sm[sm["article_id"].astype(str).isin(sids).to_numpy()].reset_index(drop=True)
    ev_a = subs.get("event", sample.iloc[:0]).reset_index(drop=True)
    ev_m = subs.get("event_mentions", sm.iloc[:0]).reset_index(drop=True)
    sample.attrs["summary"] = summary
    tables = {("coverage", freq, "outlet"): cov_po, ("coverage", freq, None): cov_p,
              ("coverage", None, "outlet"): cov_o, ("coverage", None, None): cov_t, "comentions": co,
              "triangle": tri, "profile": prof, "keyness": kt, "summary": summary, "skipped": info.get("skipped"),
              "event_articles": ev_a, "event_mentions": ev_m, "topics": topic_tables,
              ("rate_intervals", None, None): rate_total}
    meta = {"engine": "dask", "scheduler": c.scheduler or "LocalCluster", "workers": n_workers,
            "memory_limit": c.memory_limit or None, "partitions": int(articles.npartitions), "articles": n,
            "sample": len(sample), "event_articles": len(ev_a),
            "topics": "fitted on the sample, every article transformed" if topic_tables is not None else
            ("fitted on every article" if c.k > 0 else None)}
    ctx.articles, ctx.mentions = sample, sm
    data = DaskData(ctx, tables, len(sample))
    if ctx.out is not None:  # run_report folds this into the manifest
        (ctx.out / "engine.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return data
