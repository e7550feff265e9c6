"""Voices measures: who gets to speak, per outlet and period, and about whom.

:func:`voices_tables` turns the statements table of
:func:`analysis.voices.extract_quotes` into the tidy tables of the report's
"Voices" section (listed in its docstring); :func:`voice_shares` is its first
table on its own. Shares carry 95 % Wilson score intervals
(:func:`analysis.measures.compare.wilson_interval`).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.measures.cooccurrence import period_labels
from analysis.measures.compare import wilson_interval

__all__ = ["voices_tables", "voice_shares", "who_speaks_about_whom", "top_speakers", "example_statements",
           "speaker_kinds"]

FOCUS = ("RUS", "SYR", "IRN")
ALL = "all"
UNKNOWN = "unknown"


def _keys(articles: pd.DataFrame, statements: pd.DataFrame, freq: str | None) -> pd.DataFrame:
    """The statements of ``articles`` with their article's outlet, period and category."""
    for col in ("article_id",):
        if col not in articles.columns:
            raise ValueError(f"voices: the articles table has no {col!r} column")
    need = ["article_id", "speaker_country", "speaker_kind", "quote_countries"]
    missing = [c for c in need if c not in statements.columns]
    if missing:
        raise ValueError(f"voices: the statements table has no {', '.join(map(repr, missing))} column "
                         "(make it with analysis.extract_quotes)")
    art = pd.DataFrame({"article_id": articles["article_id"].astype(str).to_numpy()})
    outlet = articles["outlet"] if "outlet" in articles.columns else pd.Series(UNKNOWN, index=articles.index)
    art["outlet"] = outlet.astype(object).where(outlet.notna(), UNKNOWN).astype(str).to_numpy()
    if freq is None or "published" not in articles.columns:
        art["period"] = ALL
    else:
        art["period"] = period_labels(articles["published"], freq).to_numpy(dtype=object)
    art = art.drop_duplicates("article_id").set_index("article_id")
    aid = statements["article_id"].astype(str)
    pos = art.index.get_indexer(aid)
    st = statements.loc[pos >= 0].copy()
    st["article_id"] = aid[pos >= 0].to_numpy()
    st["outlet"] = art["outlet"].to_numpy()[pos[pos >= 0]]
    st["period"] = art["period"].to_numpy()[pos[pos >= 0]]
    for c in ("speaker_country", "quote_countries", "speaker_id", "speaker_text", "speaker_kind",
              "speaker_country_basis"):
        if c in st.columns:
            st[c] = st[c].fillna("").astype(str)
    return st


def _speaker_entity(st: pd.DataFrame, resolve: str | None) -> pd.Series:
    """What a statement's speaker counts as: its country (resolve="country") or its entity."""
    if resolve == "country":
        return st["speaker_country"]
    if resolve is None:
        return st["speaker_id"].where(st["speaker_id"] != "", st["speaker_country"])
    raise ValueError(f"resolve must be None or 'country'; got {resolve!r}")


def voice_shares(articles: pd.DataFrame, statements: pd.DataFrame, focus: Sequence[str] = FOCUS,
                 freq: str | None = "M", resolve: str | None = "country", by_outlet: bool = True) -> pd.DataFrame:
    """Share of statements whose speaker is each focus country (or entity), per period and outlet.

    Returns columns ``period``, ``outlet`` (``"all"`` rows pool the outlets;
    ``period == "all"`` rows pool the periods), ``entity``, ``n_statements``
    (all statements of the group), ``n_known`` (those whose speaker's country
    is known), ``n_speaker`` (those whose speaker is the entity), ``share``
    (``n_speaker / n_statements``) with ``share_low``, ``share_high`` (95 %
    Wilson), ``share_known`` (``n_speaker / n_known``); ``n_speaker_named``,
    ``share_named`` (with ``share_named_low``, ``share_named_high``): the same
    without the speakers whose country is only the article's country
    (``speaker_country_basis == "context"``). Sorted by period, outlet, entity.
    """
    st = _keys(articles, statements, freq)
    st["speaker"] = _speaker_entity(st, resolve)
    focus = [str(f) for f in focus]
    # every statement counts in its (period, outlet), (all, outlet), (period, all) and (all, all)
    frames = [st.assign(period=ALL if pa else st["period"], outlet=ALL if oa else st["outlet"])
              for pa in (False, True) for oa in ((False, True) if by_outlet else (True,))]
    g = pd.concat(frames, ignore_index=True).drop_duplicates(
        subset=["period", "outlet", "article_id", "field", "verb_start"])
    keys = ["period", "outlet"]
    tot = g.groupby(keys).size().rename("n_statements")
    known = g[g["speaker_country"] != ""].groupby(keys).size().rename("n_known")
    sel = g[g["speaker"].isin(focus)]
    named = sel["speaker_country_basis"] != "context" if "speaker_country_basis" in sel.columns else True
    hits = pd.concat([sel.groupby(keys + ["speaker"]).size().rename("n_speaker"),
                      sel[named].groupby(keys + ["speaker"]).size().rename("n_speaker_named")], axis=1)
    base = pd.concat([tot, known], axis=1).fillna(0).reset_index()
    grid = base.merge(pd.DataFrame({"entity": focus}), how="cross")
    hits = hits.reset_index().rename(columns={"speaker": "entity"})
    out = grid.merge(hits, on=keys + ["entity"], how="left")
    out["n_speaker"] = out["n_speaker"].fillna(0).astype(np.int64)
    out["n_speaker_named"] = out["n_speaker_named"].fillna(0).astype(np.int64)
    out["n_statements"] = out["n_statements"].astype(np.int64)
    out["n_known"] = out["n_known"].astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share"] = np.where(out["n_statements"] > 0, out["n_speaker"] / out["n_statements"], np.nan)
        out["share_known"] = np.where(out["n_known"] > 0, out["n_speaker"] / out["n_known"], np.nan)
    out["share_low"], out["share_high"] = wilson_interval(out["n_speaker"], out["n_statements"])
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share_named"] = np.where(out["n_statements"] > 0, out["n_speaker_named"] / out["n_statements"], np.nan)
    out["share_named_low"], out["share_named_high"] = wilson_interval(out["n_speaker_named"], out["n_statements"])
    cols = ["period", "outlet", "entity", "n_statements", "n_known", "n_speaker", "share", "share_low",
            "share_high", "share_known", "n_speaker_named", "share_named", "share_named_low", "share_named_high"]
    return _sorted(out[cols], ["period", "outlet", "entity"])


def _sorted(df: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    # "all" after the real labels, so tables read per outlet first
    key = {c: df[c].astype(str).map(lambda v: (v == ALL, v)) for c in order if c in ("period", "outlet")}
    tmp = df.assign(**{f"_k{i}": key[c] if c in key else df[c] for i, c in enumerate(order)})
    tmp = tmp.sort_values([f"_k{i}" for i in range(len(order))], kind="mergesort")
    return tmp.drop(columns=[f"_k{i}" for i in range(len(order))]).reset_index(drop=True)


def who_speaks_about_whom(articles: pd.DataFrame, statements: pd.DataFrame, focus: Sequence[str] = FOCUS,
                          by_outlet: bool = False) -> pd.DataFrame:
    """Speaker country x country mentioned in the quotation.

    Each statement counts once for every country its content mentions
    (``quote_countries``). Speaker countries outside ``focus`` are grouped as
    ``"other"``, unknown ones as ``"unknown"``; quoted countries are kept
    (``focus`` first, then ``"other"``). Returns ``[outlet,] speaker_country``,
    ``about``, ``n`` (statements), ``n_speaker`` (statements of that speaker
    country in the group, with or without a country in the quote), ``share``
    (``n / n_speaker``: how often that speaker country talks about ``about``)
    with ``share_low``, ``share_high``. Sorted.
    """
    st = _keys(articles, statements, None)
    focus = [str(f) for f in focus]
    sc = st["speaker_country"].where(st["speaker_country"].isin(focus),
                                     np.where(st["speaker_country"] == "", UNKNOWN, "other"))
    st = st.assign(speaker_country=sc)
    keys = (["outlet"] if by_outlet else []) + ["speaker_country"]
    n_sp = st.groupby(keys).size().rename("n_speaker").reset_index()
    about = st.assign(about=st["quote_countries"].str.split()).explode("about")
    about = about[about["about"].notna() & (about["about"] != "")]
    about["about"] = about["about"].where(about["about"].isin(focus), "other")
    about = about.drop_duplicates(subset=keys + ["article_id", "field", "verb_start", "about"])
    n = about.groupby(keys + ["about"]).size().rename("n").reset_index()
    grid = n_sp.merge(pd.DataFrame({"about": focus + ["other"]}), how="cross")
    out = grid.merge(n, on=keys + ["about"], how="left")
    out["n"] = out["n"].fillna(0).astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share"] = np.where(out["n_speaker"] > 0, out["n"] / out["n_speaker"], np.nan)
    out["share_low"], out["share_high"] = wilson_interval(out["n"], out["n_speaker"])
    order = {v: i for i, v in enumerate(focus + ["other", UNKNOWN])}
    out["_s"] = out["speaker_country"].map(order)
    out["_a"] = out["about"].map(order)
    out = out.sort_values((["outlet"] if by_outlet else []) + ["_s", "_a"], kind="mergesort")
    return out.drop(columns=["_s", "_a"]).reset_index(drop=True)[keys + ["about", "n", "n_speaker", "share",
                                                                         "share_low", "share_high"]]


def _speaker_label(st: pd.DataFrame) -> pd.Series:
    """A speaker's key: the gazetteer entity, else the speaker's words (spaces collapsed)."""
    text = st["speaker_text"].str.replace(r"\s+", " ", regex=True).str.strip()
    return st["speaker_id"].where(st["speaker_id"] != "", text)


def top_speakers(articles: pd.DataFrame, statements: pd.DataFrame, focus: Sequence[str] = FOCUS,
                 n: int = 10) -> pd.DataFrame:
    """The most quoted speakers of each focus country.

    A speaker is its gazetteer entity when it has one, else its words as
    written (``speaker_text``). Returns ``country``, ``rank`` (from 1),
    ``speaker`` (entity id or words), ``speaker_id``, ``kind`` (its most
    frequent ``speaker_kind`` other than pronoun_or_earlier, if any),
    ``n_statements``, ``n_articles``, ``n_outlets``, ``share`` (of the
    country's statements). Ties broken by speaker, so the order is fixed.
    """
    st = _keys(articles, statements, None)
    st = st[st["speaker_country"].isin([str(f) for f in focus])].copy()
    st["speaker"] = _speaker_label(st)
    st = st[st["speaker"] != ""]
    if not len(st):
        return pd.DataFrame(columns=["country", "rank", "speaker", "speaker_id", "kind", "n_statements",
                                     "n_articles", "n_outlets", "share"])
    g = st.groupby(["speaker_country", "speaker"])
    out = pd.DataFrame({
        "n_statements": g.size(),
        "n_articles": g["article_id"].nunique(),
        "n_outlets": g["outlet"].nunique(),
        "speaker_id": g["speaker_id"].first(),
    }).reset_index()
    kc = st[st["speaker_kind"] != "pronoun_or_earlier"].groupby(
        ["speaker_country", "speaker", "speaker_kind"]).size().rename("k").reset_index()
    kc = kc.sort_values(["speaker_country", "speaker", "k", "speaker_kind"], ascending=[True, True, False, True],
                        kind="mergesort")
    kind = kc.drop_duplicates(["speaker_country", "speaker"])[["speaker_country", "speaker", "speaker_kind"]]
    kind = kind.rename(columns={"speaker_kind": "kind"})
    out = out.merge(kind, on=["speaker_country", "speaker"], how="left")
    out["kind"] = out["kind"].fillna("pronoun_or_earlier")
    total = st.groupby("speaker_country").size().rename("total").reset_index()
    out = out.merge(total, on="speaker_country")
    out["share"] = out["n_statements"] / out["total"]
    out = out.sort_values(["speaker_country", "n_statements", "speaker"], ascending=[True, False, True],
                          kind="mergesort")
    out["rank"] = out.groupby("speaker_country").cumcount() + 1
    out = out[out["rank"] <= n].rename(columns={"speaker_country": "country"})
    order = {v: i for i, v in enumerate(focus)}
    out = out.assign(_o=out["country"].map(order)).sort_values(["_o", "rank"], kind="mergesort")
    return out[["country", "rank", "speaker", "speaker_id", "kind", "n_statements", "n_articles", "n_outlets",
                "share"]].reset_index(drop=True)


def example_statements(articles: pd.DataFrame, statements: pd.DataFrame, focus: Sequence[str] = FOCUS,
                       n: int = 3, max_chars: int = 240) -> pd.DataFrame:
    """A few statements of each focus country's speakers, direct quotations first.

    Chosen deterministically (per country: direct first, then by a hash of
    article id and offsets). Returns ``country``, ``article_id``, ``outlet``,
    ``field``, ``verb``, ``verb_start``, ``speaker_text``, ``speaker_kind``,
    ``direct``, ``quote_start``, ``quote_end``, ``quote`` (the content as
    written, cut to ``max_chars``).
    """
    st = _keys(articles, statements, None)
    st = st[st["speaker_country"].isin([str(f) for f in focus]) & (st["quote_end"] > st["quote_start"])].copy()
    cols = ["country", "article_id", "outlet", "field", "verb", "verb_start", "speaker_text", "speaker_kind",
            "direct", "quote_start", "quote_end", "quote"]
    if not len(st):
        return pd.DataFrame(columns=cols)
    key = pd.util.hash_pandas_object(st[["article_id", "field", "verb_start"]], index=False).to_numpy()
    st["_h"] = key
    st["_d"] = ~st["direct"].astype(bool)
    st = st.sort_values(["speaker_country", "_d", "_h"], kind="mergesort")
    st = st.groupby("speaker_country", sort=False).head(n)
    text = articles.assign(article_id=articles["article_id"].astype(str)).drop_duplicates("article_id")
    text = text[text["article_id"].isin(set(st["article_id"]))].set_index("article_id")
    quotes = []
    for r in st.itertuples(index=False):
        src = text.at[r.article_id, r.field] if r.field in text.columns else ""
        q = src[int(r.quote_start):int(r.quote_end)] if isinstance(src, str) else ""
        quotes.append(q if len(q) <= max_chars else q[:max_chars - 1] + "…")
    st["quote"] = quotes
    order = {v: i for i, v in enumerate(focus)}
    st = st.rename(columns={"speaker_country": "country"})
    st = st.assign(_o=st["country"].map(order)).sort_values(["_o", "_d", "_h"], kind="mergesort")
    return st[cols].reset_index(drop=True)


def speaker_kinds(articles: pd.DataFrame, statements: pd.DataFrame) -> pd.DataFrame:
    """Statements per outlet by speaker kind: ``outlet`` (and ``"all"``), ``speaker_kind``, ``n``, ``share``."""
    st = _keys(articles, statements, None)
    st = pd.concat([st, st.assign(outlet=ALL)], ignore_index=True)
    out = st.groupby(["outlet", "speaker_kind"]).size().rename("n").reset_index()
    out["share"] = out["n"] / out.groupby("outlet")["n"].transform("sum")
    return _sorted(out, ["outlet", "speaker_kind"])


def voices_tables(articles: pd.DataFrame, mentions: pd.DataFrame | None = None,
                  statements: pd.DataFrame | None = None, focus: Sequence[str] = FOCUS, freq: str | None = "M",
                  resolve: str | None = "country", n_top: int = 10, n_examples: int = 3,
                  progress: bool = False) -> dict[str, pd.DataFrame]:
    """The tables of the "Voices" report section.

    ``statements`` defaults to ``extract_quotes(articles, mentions)``
    (``mentions`` then defaults to ``extract_mentions(articles)``). Statements
    of articles not in ``articles`` are left out, so filter the articles (e.g.
    without sport) to filter everything.

    Returns a dict of DataFrames:

    * ``shares``: :func:`voice_shares` per period and outlet (``freq``);
    * ``shares_by_outlet``: the same pooled over periods (``period == "all"``);
    * ``about``: :func:`who_speaks_about_whom` (speaker country x quoted country);
    * ``top_speakers``: :func:`top_speakers`;
    * ``examples``: :func:`example_statements`;
    * ``kinds``: :func:`speaker_kinds`.
    """
    if statements is None:
        from analysis.voices.extract import extract_quotes

        if mentions is None:
            from analysis.entities.mentions import extract_mentions

            mentions = extract_mentions(articles, progress=progress)
        statements = extract_quotes(articles, mentions, progress=progress)
    shares = voice_shares(articles, statements, focus=focus, freq=freq, resolve=resolve)
    return {
        "shares": shares,
        "shares_by_outlet": shares[shares["period"] == ALL].reset_index(drop=True),
        "about": who_speaks_about_whom(articles, statements, focus=focus),
        "top_speakers": top_speakers(articles, statements, focus=focus, n=n_top),
        "examples": example_statements(articles, statements, focus=focus, n=n_examples),
        "kinds": speaker_kinds(articles, statements),
    }
