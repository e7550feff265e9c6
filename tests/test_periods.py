"""Periods (analysis.stats.periods): day to year chosen from the span, partial periods marked in the
report's tables and figures."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import analysis
import analysis.report as R
from analysis import plotting as P
from analysis.measures.cooccurrence import period_labels
from analysis.stats.periods import choose_freq, describe_freq, mark_partial, period_table, span_of

FREQS = ["D", "W", "M", "Q", "Y"]


def _days(start, end, tz="UTC"):
    return pd.Series(pd.date_range(start, end, freq="D", tz=tz))


def test_three_weeks_get_days_and_stragglers_do_not_stretch_the_span():
    assert choose_freq(_days("2018-05-01", "2018-05-21")) == "D"
    assert choose_freq(_days("2018-01-01", "2018-04-30")) == "W"
    year = _days("2018-01-01", "2018-12-31")
    assert choose_freq(year) == "M"
    # two articles from 2012 (as in ANT) are outside the middle 98 %: still months, not quarters
    stragglers = pd.concat([year, pd.Series(pd.to_datetime(["2012-03-01", "2012-04-01"], utc=True))])
    assert choose_freq(stragglers) == "M"
    lo, hi = span_of(stragglers)
    assert (lo.year, hi.year, hi.month) == (2018, 2018, 12)
    assert choose_freq(_days("2010-01-01", "2016-01-01")) == "Q"


def test_period_table_by_hand_from_10_january_to_20_march():
    pub = pd.Series(pd.to_datetime(["2018-01-10 08:00", "2018-02-14 00:00", "2018-03-20 23:00"], utc=True))
    m = period_table(pub, "M")
    assert list(m["period"]) == ["2018-01", "2018-02", "2018-03"]
    assert list(m["partial"]) == [True, False, True]
    assert list(m["n_articles"]) == [1, 1, 1]
    w = period_table(pub, "W")  # Wednesday 10 January .. Tuesday 20 March
    assert w["period"].iloc[0] == "2018-01-08" and w["period"].iloc[-1] == "2018-03-19"
    assert len(w) == 11 and list(w["partial"]) == [True] + [False] * 9 + [True]
    assert w["n_articles"].sum() == 3 and (w["n_articles"] == 0).sum() == 8  # empty weeks listed too
    q = period_table(pub, "Q")
    assert list(q["period"]) == ["2018-Q1"] and bool(q["partial"].iloc[0])
    assert q["start"].iloc[0] == pd.Timestamp("2018-01-01") and q["end"].iloc[0] == pd.Timestamp("2018-04-01")
    y = period_table(pub, "Y")
    assert list(y["period"]) == ["2018"] and bool(y["partial"].iloc[0])
    d = period_table(pub, "D")
    assert len(d) == 70 and not d["partial"].any()  # a day is never partial


def test_whole_periods_are_not_partial():
    # Monday 2018-01-01 .. Sunday 2018-01-28: four whole weeks; the whole of January 2018 and of Q1
    assert not period_table(_days("2018-01-01", "2018-01-28"), "W")["partial"].any()
    assert not period_table(_days("2018-01-01", "2018-01-31"), "M")["partial"].any()
    assert not period_table(_days("2018-01-01", "2018-03-31"), "Q")["partial"].any()
    assert list(period_table(_days("2018-01-01", "2018-04-01"), "Q")["partial"]) == [False, True]
    assert period_table(pd.Series([pd.NaT]), "M").empty


def test_mark_partial_adds_the_column_after_period():
    pub = pd.Series(pd.to_datetime(["2018-01-10", "2018-02-14", "2018-03-20"], utc=True))
    t = pd.DataFrame({"period": ["2018-01", "2018-02", "2018-03", "undated"], "n": [1, 2, 3, 4]})
    out = mark_partial(t, pub, "M")
    assert list(out.columns) == ["period", "partial", "n"]
    assert list(out["partial"]) == [True, False, True, False]
    assert out["partial"].dtype == bool
    again = mark_partial(out, pub, "M")  # idempotent
    pd.testing.assert_frame_equal(again, out)


def test_describe_freq_states_the_choice():
    pub = _days("2018-05-01", "2018-05-21")
    text = describe_freq(pub, "D", "auto")
    assert text.startswith("Periods: days, chosen from the 3-week span") and "2018-05-01 to 2018-05-21" in text
    assert describe_freq(pub, "W", "W") == "Periods: weeks (the freq parameter)."


def test_period_dates_reads_every_label():
    got = P.period_dates(pd.Series(["2018-03-05", "2018-03", "2018-Q2", "2018", "undated", "all"]))
    want = pd.to_datetime(["2018-03-05", "2018-03-01", "2018-04-01", "2018-01-01", None, None])
    assert list(got) == list(want)


@pytest.fixture(scope="module")
def sample(sample_dir):
    with R.ReportContext(corpus=str(sample_dir), workers=0, k=0) as c:
        c.load()
        yield c


def test_three_week_corpus_gets_daily_periods_in_the_report(sample):
    a = sample.articles
    pub = pd.to_datetime(a["published"], utc=True)
    sel = a[(pub >= pd.Timestamp("2024-12-04", tz="UTC")) & (pub < pd.Timestamp("2024-12-25", tz="UTC"))]
    m = sample.mentions[sample.mentions["article_id"].isin(sel["article_id"])]
    ctx = R.ReportContext.from_tables(sel, m, sample.gaz, workers=0)
    assert ctx.freq_param == "auto" and ctx.freq == "D"
    cov = R.coverage_section(ctx)
    periods = set(cov.tables["by_period"]["period"])
    assert periods == set(period_labels(sel["published"], "D"))
    assert len(periods) > 2  # not two monthly points
    notes = " ".join(t for _, t in cov.notes)
    assert "Periods: days, chosen from the 3-week span" in notes
    assert not cov.tables["by_period"]["partial"].any()
    assert "share_over_time" in cov.figures
    # a fixed freq is used as given
    monthly = R.ReportContext.from_tables(sel, m, sample.gaz, workers=0, freq="month")
    assert monthly.freq == "M" and set(R.coverage_section(monthly).tables["by_period"]["period"]) == {"2024-12"}


@pytest.mark.parametrize("freq", FREQS)
def test_every_period_length_runs_through_the_report(sample, freq):
    ctx = R.ReportContext.from_tables(sample.articles, sample.mentions, sample.gaz, workers=0, k=3, freq=freq)
    assert ctx.freq == freq
    labels = set(period_labels(sample.articles["published"], freq))
    part = period_table(sample.articles["published"], freq)
    partial = set(part.loc[part["partial"], "period"])
    cov = R.coverage_section(ctx)
    for name in ("by_period", "by_period_outlet", "balanced"):
        t = cov.tables[name]
        assert set(t["period"]) <= labels | {"undated"}, name
        assert set(t.loc[t["partial"], "period"]) == partial & set(t["period"]), name
    assert "share_over_time" in cov.figures and "volume_over_time" in cov.figures
    co = R.comention_section(ctx)
    tri = co.tables["triangle"]
    assert set(tri["period"]) <= labels and set(tri.loc[tri["partial"], "period"]) == partial & set(tri["period"])
    assert "triangle" in co.figures
    corpus = R.corpus_section(ctx)
    assert "articles_per_period" in corpus.figures
    tp = R.topics_section(ctx)
    ot = tp.tables["over_time"]["period"]
    assert ot.notna().all() and set(ot) <= set(P.period_dates(pd.Series(sorted(labels - {"undated"}))))
    assert "over_time" in tp.figures
    # the libraries that take freq directly
    counts = analysis.count_comentions(articles=sample.articles, mentions=sample.mentions, by="period", freq=freq)
    assert set(counts["period"]) <= labels
    from analysis.voices.extract import extract_quotes
    from analysis.voices.measures import voices_tables

    st = extract_quotes(articles=sample.articles, mentions=sample.mentions, gazetteer=sample.gaz)
    vt = voices_tables(articles=sample.articles, statements=st, focus=ctx.focus, freq=freq)
    assert set(vt["shares"]["period"]) <= labels | {"all", "undated"}
    # quarter and year axes say so
    fig = cov.figures["share_over_time"]
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    if freq == "Q":
        assert ticks == ["Q4 2024", "Q1 2025"]
    if freq == "Y":
        assert ticks == ["2024", "2025"]


def _hollow_points(fig):
    return [ln for ln in fig.axes[0].get_lines() if ln.get_markerfacecolor() == "white" and len(ln.get_xdata())]


def test_partial_periods_are_marked_in_the_figures(sample):
    ctx = R.ReportContext.from_tables(sample.articles, sample.mentions, sample.gaz, workers=0, freq="M")
    cov = R.coverage_section(ctx)
    fig = cov.figures["share_over_time"]
    hollow = _hollow_points(fig)
    # the sample runs 11 November 2024 .. 20 January 2025: November and January are partial
    assert len(hollow) == 3  # one per focus country
    for ln in hollow:
        assert [pd.Timestamp(x).strftime("%Y-%m") for x in ln.get_xdata()] == ["2024-11", "2025-01"]
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert P.PARTIAL_LABEL in legend
    assert P.PARTIAL_LABEL in [t.get_text() for t in cov.figures["volume_over_time"].axes[0].get_legend().get_texts()]
    bars = R.corpus_section(ctx).figures["articles_per_period"]
    hatched = [p for p in bars.axes[0].patches if p.get_hatch()]
    assert hatched and all(p.get_alpha() == pytest.approx(0.45) for p in hatched)
    # no partial column, no mark
    plain = P.share_over_time(cov.tables["by_period"].drop(columns="partial").assign(label=lambda d: d["name"]))
    assert not _hollow_points(plain)
    assert P.PARTIAL_LABEL not in [t.get_text() for t in plain.axes[0].get_legend().get_texts()]


def test_weekly_sample_only_the_last_week_is_partial(sample):
    assert sample.freq == "W"  # ten weeks: auto gives weeks
    cov = R.coverage_section(sample)
    bal = cov.tables["balanced"]
    assert set(bal.loc[bal["partial"], "period"]) == {"2025-01-20"}
    views = [item[1] for item in cov._layout if item[0] == "view" and "partial" in item[1].columns]
    assert len(views) == 1  # the wide period x entity table
    wide = views[0].set_index("period")["partial"]
    assert bool(wide.loc["2025-01-20"]) and not wide.drop("2025-01-20").any()


def test_comention_cli_accepts_auto_and_every_period(sample_dir, tmp_path):
    from analysis.cli import main

    for freq, want in (("auto", "W"), ("Q", "Q"), ("day", "D")):
        out = tmp_path / f"co_{freq}.csv"
        assert main(["comention", str(sample_dir), "--out", str(out), "--by", "period", "--freq", freq,
                     "--quiet"]) == 0
        t = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
        a = analysis.load_corpus(sample_dir, progress=False)
        assert set(t["period"]) <= set(period_labels(a["published"], want)), freq
