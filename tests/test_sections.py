"""Report sections return results: documented tables, no side effects, saved only into the report folder."""
from __future__ import annotations

import multiprocessing
import os
import re
from pathlib import Path

import matplotlib.figure
import pandas as pd
import pytest

import analysis
import analysis.report as R
from analysis import plotting as P
from analysis.report import sections as Rsec

EVENT = "2024-12-08"
SECTIONS = ["findings_section", "corpus_section", "coverage_section", "comention_section", "examples_section", "topics_section",
            "keyness_section", "event_section", "voices_section", "methods_section"]


@pytest.fixture(scope="module")
def ctx(sample_dir):
    with R.ReportContext(corpus=str(sample_dir), event_date=EVENT, workers=0) as c:
        yield c.load()


@pytest.fixture(scope="module")
def results(ctx):
    out = {name: getattr(R, name)(ctx) for name in SECTIONS}
    out["parameters_section"] = R.parameters_section(ctx, dict(R.DEFAULT_PARAMS, event_date=EVENT))
    for res in out.values():
        ctx.save(res)  # no out_dir: nothing written, the shown columns collected for the glossary
    out["glossary_section"] = R.glossary_section(ctx)
    return out


def test_every_section_returns_its_documented_tables(results):
    assert set(R.TABLE_COLUMNS) == set(results)
    for name, res in results.items():
        assert isinstance(res, R.SectionResult), name
        warnings = [text for kind, text in res.notes if kind == "warning"]
        assert warnings == [], (name, warnings)  # on the sample corpus every part is computed
        documented = R.TABLE_COLUMNS[name]
        # every documented table is there (the sample corpus has no skipped records), with its columns
        expected = set(documented) - ({"skipped"} if name == "corpus_section" else set())
        assert expected <= set(res.tables), (name, sorted(res.tables))
        for table, df in res.tables.items():
            assert isinstance(df, pd.DataFrame) and len(df) > 0, (name, table)
            missing = [c for c in documented.get(table, []) if c not in df.columns]
            assert missing == [], (name, table, missing)
        for fig in res.figures.values():
            assert isinstance(fig, matplotlib.figure.Figure)


def test_section_tables_keep_the_report_file_names(results):
    files = {f"{stem}.csv" for res in results.values() for stem in res.table_files.values()}
    assert {"corpus_summary.csv", "corpus_outlets.csv", "coverage_by_period_outlet.csv", "coverage_total.csv",
            "coverage_by_period.csv", "coverage_by_outlet.csv", "comention_top_partners.csv",
            "comention_top_partners_npmi.csv", "comention_matrix_counts.csv", "comention_matrix_npmi.csv",
            "comention_triangle.csv", "comention_examples.csv", "topics.csv", "topic_terms.csv",
            "topics_by_focus.csv", "topics_over_time.csv", "keyness.csv", "event_window.csv",
            "matching_accuracy.csv", "parameters.csv"} <= files
    figures = {f"{stem}.png" for res in results.values() for stem in res.figure_files.values()}
    assert {"corpus_articles_per_period.png", "coverage_share_over_time.png", "comention_network.png",
            "topics_terms.png", "keyness.png", "event_window.png"} <= figures


@pytest.mark.parametrize("name", SECTIONS)
def test_section_called_twice_gives_equal_tables(ctx, results, name):
    again = getattr(R, name)(ctx)
    first = results[name]
    assert list(again.tables) == list(first.tables) and list(again.figures) == list(first.figures)
    assert again.notes == first.notes
    for table in first.tables:
        pd.testing.assert_frame_equal(again.tables[table], first.tables[table])


def test_coverage_tables_are_the_library_coverage(ctx, results):
    cov = results["coverage_section"]
    a, m, f = ctx.articles, ctx.mentions, ctx.focus
    assert ctx.freq_param == "auto" and ctx.freq == "W"  # the sample spans ten weeks
    direct = analysis.coverage(articles=a, mentions=m, focus=f, freq="W", by="outlet", resolve="country")
    pd.testing.assert_frame_equal(cov.tables["by_period_outlet"].drop(columns="partial"), direct)
    by_period = analysis.coverage(articles=a, mentions=m, focus=f, freq="W", resolve="country")
    pd.testing.assert_frame_equal(cov.tables["by_period"].drop(columns=["name", "partial"]), by_period)
    # the sample runs from Monday 2024-11-11 to Monday 2025-01-20: only the last week is partial
    part = cov.tables["by_period"].groupby("period")["partial"].first()
    assert list(part[part].index) == ["2025-01-20"] and not part.drop("2025-01-20").any()
    total = analysis.coverage(articles=a, mentions=m, focus=f, freq=None, resolve="country")
    got = cov.tables["total"].drop(columns=["name", "per_1k_words_low", "per_1k_words_high"]).set_index("entity").loc[f]
    pd.testing.assert_frame_equal(got, total.drop(columns="period").set_index("entity").loc[f])


def test_sections_show_nothing_and_write_nothing(ctx, tmp_path, monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: shown.append(a))
    monkeypatch.chdir(tmp_path)
    for name in SECTIONS:
        getattr(R, name)(ctx)
    assert shown == [] and list(tmp_path.iterdir()) == []


def test_nothing_is_written_outside_the_report_folder(sample_dir, tmp_path, monkeypatch):
    cwd, out = tmp_path / "cwd", tmp_path / "report"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    with R.ReportContext(corpus=str(sample_dir), event_date=EVENT, out_dir=str(out), workers=0) as c:
        c.load()
        expected = set()
        for name in SECTIONS:
            res = c.save(getattr(R, name)(c))
            expected |= {f"tables/{s}.csv" for s in res.table_files.values()}
            expected |= {f"figures/{s}.{ext}" for s in res.figure_files.values() for ext in ("png", "svg")}
    assert list(cwd.iterdir()) == [] and Path.cwd() == cwd
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cwd", "report"]
    written = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    assert written == expected
    # without out_dir, save writes nothing anywhere
    with R.ReportContext(corpus=str(sample_dir), workers=0) as c:
        c.save(R.corpus_section(c.load()))
    assert list(cwd.iterdir()) == []


def test_result_shows_itself_escaped_with_embedded_figures(results, tmp_path):
    res = R.SectionResult("T", prefix="t")
    res.add_note("<b>note</b> $x$", kind="warning")
    res.add_table("rows", pd.DataFrame({"outlet": ["<script>x</script>", "$5$"], "n": [1, 2]}), caption="<i>")
    res.add_figure("fig", P.message_figure("nothing"))
    page = res._repr_html_()
    assert "<script>" not in page and "<b>note" not in page and "$" not in page
    assert "&lt;script&gt;" in page and "&lt;b&gt;note" in page
    assert page.count('src="data:image/png;base64,') == 1 and 'alt="t_fig"' in page
    assert page.index("note") < page.index("&lt;script&gt;") < page.index("data:image/png")  # order of the calls
    written = res.save(tmp_path)
    assert sorted(str(p.relative_to(tmp_path)) for p in written) == ["figures/t_fig.png", "figures/t_fig.svg",
                                                                        "tables/t_rows.csv"]
    assert (tmp_path / "figures" / "t_fig.png").read_bytes() == res.png("fig")  # shown = saved
    assert "SectionResult 'T'" in repr(res) and "rows (2x2)" in repr(res)
    cov = results["coverage_section"]._repr_html_()
    assert cov.count("data:image/png;base64,") == 3 and "Whole corpus" in cov


def test_figures_are_not_left_open_in_pyplot(results):
    import matplotlib.pyplot as plt

    assert plt.get_fignums() == []
    fig, ax = plt.subplots()
    R.SectionResult("T").add_figure("x", fig)  # a pyplot figure handed to a result is taken out of pyplot
    assert plt.get_fignums() == []


def test_workers_give_the_serial_results(sample_dir):
    serial = R.ReportContext(corpus=str(sample_dir), workers=0).load()
    with R.ReportContext(corpus=str(sample_dir), workers=2) as par:
        par.load()
        started = R.prefetch(par, min_articles=0)
        assert [key[0] for key in started] == ["topics", "keyness"]
        assert len(multiprocessing.active_children()) >= 1
        for name in ("topics_section", "keyness_section"):
            a, b = getattr(R, name)(serial), getattr(R, name)(par)
            for table in a.tables:
                pd.testing.assert_frame_equal(a.tables[table], b.tables[table])
        assert par._jobs == {}  # both results were collected: no child left
    assert R.prefetch(serial, min_articles=0) == []  # workers=0: nothing started


def test_closing_the_context_ends_its_workers(sample_dir):
    before = set(multiprocessing.active_children())
    with R.ReportContext(corpus=str(sample_dir), workers=2) as c:
        c.load()
        assert R.prefetch(c, min_articles=0)
        assert set(multiprocessing.active_children()) - before
    assert set(multiprocessing.active_children()) - before == set()
    assert c._jobs == {}
    # the jobs were cancelled or dropped: the section computes its result itself
    assert len(R.topics_section(c).tables["topics"]) > 0


def test_new_data_drops_pending_jobs_and_cached_results(sample_dir):
    with R.ReportContext(corpus=str(sample_dir), workers=2) as c:
        c.load()
        R.prefetch(c, min_articles=0)
        full = R.keyness_section(c).tables["keyness"]  # collects the keyness job
        c.cache["windows"] = "computed from the old articles"
        c.articles = c.articles[c.articles["outlet"] != c.articles["outlet"].iloc[0]]
        assert c._jobs == {} and "windows" not in c.cache
        fewer = R.keyness_section(c).tables["keyness"]
        assert not fewer.equals(full)


def test_a_non_country_focus_id_never_changes_the_country_figures(sample_dir):
    base = R.ReportContext(corpus=str(sample_dir), workers=0).load()
    more = R.ReportContext.from_tables(base.articles, base.mentions, base.gaz, focus="RUS,SYR,IRN,hezbollah")
    for table in ("total", "by_period", "by_outlet"):
        a = R.coverage_section(base).tables[table]
        b = R.coverage_section(more).tables[table]
        b = b[b["entity"] != "hezbollah"].reset_index(drop=True)
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))
    # resolve="none": each entity id by itself, so Russia counts only the country's own names
    none = R.ReportContext.from_tables(base.articles, base.mentions, base.gaz, resolve="none")
    by_id = R.coverage_section(none)
    rus = lambda res, col: float(res.tables["total"].set_index("entity").loc["RUS", col])  # noqa: E731
    rolled = R.coverage_section(base)
    assert rus(by_id, "n_mentions") < rus(rolled, "n_mentions") and rus(by_id, "share") <= rus(rolled, "share")
    assert not any("Putin and Moscow" in text for _, text in by_id.notes)


def test_plotting_takes_coverage_tables_as_returned(ctx, tmp_path):
    a, m = ctx.articles, ctx.mentions
    cov = analysis.coverage(articles=a, mentions=m, focus=["RUS", "SYR", "IRN"], freq="M", resolve="country")
    assert "label" not in cov.columns
    figs = {
        "share": P.share_over_time(cov, gazetteer=ctx.gaz),
        "share_default_gazetteer": P.share_over_time(cov),
        "lines": P.lines_over_time(cov.assign(value=cov["n_with"])),
        "outlets": P.share_by_group(analysis.coverage(articles=a, mentions=m, freq=None, by="outlet",
                                                      resolve="country"), group="outlet"),
    }
    for name, fig in figs.items():
        ax = fig.axes[0]
        labels = [t.get_text() for t in ax.get_legend().get_texts()]
        assert "روسيا (Russia)" in labels, (name, labels)
        assert fig._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"
    line = figs["share"].axes[0].get_lines()[0]
    assert len(line.get_xdata()) == cov[cov["period"] != "undated"]["period"].nunique()  # undated left out
    band = [c for c in figs["share"].axes[0].collections]
    assert len(band) == 3  # the share_low/share_high interval of each entity
    with pytest.raises(KeyError, match="no 'label' column"):
        P.share_over_time(cov.drop(columns="entity"))


def test_context_from_tables_runs_sections_on_a_selection(ctx):
    sel = ctx.articles[ctx.articles["published"] >= pd.Timestamp(EVENT, tz="UTC")]
    sub = R.ReportContext.from_tables(sel, ctx.mentions[ctx.mentions["article_id"].isin(sel["article_id"])],
                                      ctx.gaz)
    total = R.coverage_section(sub).tables["total"]
    assert int(total["n_articles"].iloc[0]) == len(sel)


@pytest.mark.realdata
@pytest.mark.filterwarnings("ignore:.*input\\(s\\) skipped")
def test_ant_country_figures_do_not_depend_on_other_focus_ids(ant_corpus):
    """On the real corpus (issue 9: adding hezbollah used to drop Russia per 1,000 words 3.49 -> 2.56)."""
    base = R.ReportContext(corpus=str(ant_corpus), exclude_categories="sport", workers=0).load()
    more = R.ReportContext.from_tables(base.articles, base.mentions, base.gaz, focus="RUS,SYR,IRN,hezbollah")
    a = R.coverage_section(base).tables["total"].set_index("entity")
    b = R.coverage_section(more).tables["total"].set_index("entity")
    pd.testing.assert_frame_equal(a.loc[["RUS", "SYR", "IRN"]], b.loc[["RUS", "SYR", "IRN"]])
    assert len(base.articles) > 20_000 and float(a.loc["RUS", "per_1k_words"]) > 3


def test_figures_drawn_from_several_threads_are_the_serial_ones(ctx):
    from concurrent.futures import ThreadPoolExecutor

    cov = analysis.coverage(articles=ctx.articles, mentions=ctx.mentions, freq="M", resolve="country")

    def draw(i):
        return P.share_over_time(cov, gazetteer=ctx.gaz, title=f"figure {i % 2}")._repr_png_()

    serial = [draw(i) for i in range(4)]
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(draw, range(4))) == serial


def test_corpus_section_says_when_dates_are_crawl_times(ctx):
    import analysis.io

    crawl = sorted(getattr(analysis.io, "CRAWL_DATE_FIELDS", frozenset({"date_extracted"})))[0]
    a = ctx.articles.copy()
    a["date_field"] = ["date"] * (len(a) - 5) + [crawl] * 4 + [None]
    c = R.ReportContext.from_tables(a, ctx.mentions, ctx.gaz)
    notes = [text for kind, text in R.corpus_section(c).notes if kind == "warning"]
    assert len(notes) == 1 and notes[0].startswith(f"4 of {len(a)} articles") and f"{crawl}: 4" in notes[0]
    assert list(R.crawl_dates(a).items()) == [(crawl, 4)]
    # publication dates only, or no date_field column: nothing to say
    c = R.ReportContext.from_tables(a.assign(date_field="date"), ctx.mentions, ctx.gaz)
    assert not any("crawl" in text for _, text in R.corpus_section(c).notes)
    assert R.crawl_dates(ctx.articles).empty


def test_skipped_records_grouped_by_kind_of_reason():
    rows = [("a.json", 3 + i, f"empty text (element {i + 1} of the JSON array)") for i in range(354)]
    rows += [("b.jsonl", 7, "malformed JSON line: Expecting ',' delimiter: line 1 column 45 (char 44)"),
             ("b.jsonl", 9, "malformed JSON line: Unterminated string starting at: line 1 column 3 (char 2)"),
             ("c.csv", 4, "expected 5 fields, found 7"), ("d.txt", None, "empty text (markup only)"),
             ("/x/e.csv.gz", None, "corrupt gzip data: Error -3 while decompressing data")]
    skipped = pd.DataFrame(rows, columns=["source_file", "line", "reason"])
    kinds = R.skipped_kinds(skipped)
    assert list(kinds.columns) == ["kind", "records", "example"]
    assert kinds.iloc[0].tolist() == ["empty text", 354, "a.json line 3: empty text (element 1 of the JSON array)"]
    assert dict(zip(kinds["kind"], kinds["records"])) == {
        "empty text": 354, "malformed JSON line": 2, "corrupt gzip data": 1, "empty text (markup only)": 1,
        "expected N fields, found N": 1}
    assert kinds["example"].iloc[2] == "e.csv.gz: corrupt gzip data: Error -3 while decompressing data"
    # the loader's own kind column wins over the derived one
    given = R.skipped_kinds(skipped.assign(kind=["empty"] * 354 + ["bad JSON"] * 2 + ["bad CSV", "empty", "gzip"]))
    assert dict(zip(given["kind"], given["records"])) == {"empty": 355, "bad JSON": 2, "bad CSV": 1, "gzip": 1}


def test_corpus_section_shows_skipped_kinds_and_keeps_every_record(ctx):
    a = ctx.articles.copy()
    a.attrs = dict(ctx.articles.attrs, skipped=pd.DataFrame(
        [("a.json", i, f"empty text (element {i} of the JSON array)") for i in range(1, 355)],
        columns=["source_file", "line", "reason"]))
    res = R.corpus_section(R.ReportContext.from_tables(a, ctx.mentions, ctx.gaz))
    assert res.tables["skipped"][["kind", "records"]].values.tolist() == [["empty text", 354]]
    assert len(res.tables["skipped_records"]) == 354  # file and line of each, in tables/corpus_skipped_records.csv
    assert "Skipped records by kind of reason" in res._repr_html_()


def _window_corpus():
    """Synthetic corpus: 60 days around 2020-03-01, RUS in every article before the event, in none after;
    one article far outside the window that mentions SYR."""
    rows, ments = [], []
    days = pd.date_range("2020-01-01", "2020-04-30", freq="D")
    for i, d in enumerate(days):
        for j in range(3):
            aid = f"a{i}-{j}"
            rows.append({"article_id": aid, "published": d.tz_localize("UTC") + pd.Timedelta(hours=9 + j),
                         "outlet": "X", "title": "t", "text": "x"})
            ent = "RUS" if d < pd.Timestamp("2020-03-01") else "IRN"
            ments.append({"article_id": aid, "entity_id": ent, "country": ent, "entity_type": "country"})
    return pd.DataFrame(rows), pd.DataFrame(ments)


def test_event_section_window_uses_only_articles_inside_it():
    a, m = _window_corpus()
    with R.ReportContext(event_date="2020-03-01,2020-04-10", event_window=7, workers=0) as c:
        c._articles, c._mentions = a, m.assign(sentence=0, paragraph=0, field="text")
        res = R.event_section(c, n_resamples=200)
    assert [k for k, _ in res.notes if k == "warning"] == []
    w = res.tables["window"]
    assert set(R.TABLE_COLUMNS["event_section"]["window"]) <= set(w.columns)
    first = w[w["event"] == "2020-03-01"].set_index("entity")
    # 7 days of 3 articles on each side, the event day apart: nothing else of the 120 days enters
    assert (first["articles_before"] == 21).all() and (first["articles_after"] == 21).all()
    assert (first["articles_event_day"] == 3).all()
    assert first.loc["RUS", "share_before"] == 1.0 and first.loc["RUS", "share_after"] == 0.0
    assert first.loc["RUS", "diff"] == -1.0 and first.loc["RUS", "diff_high"] < 0
    assert first.loc["RUS", "p_clustered"] < 0.01 and first.loc["RUS", "p_naive"] < 1e-6
    assert first.loc["RUS", "window"] == "2020-02-23..2020-03-08"
    second = w[w["event"] == "2020-04-10"].set_index("entity")
    assert second.loc["RUS", "n_before"] == 0 and second.loc["IRN", "share_before"] == 1.0
    assert set(res.figures) == {"window", "daily"}
    daily = res.tables["daily"]
    assert pd.to_datetime(daily["period"]).min() == pd.Timestamp("2020-02-23")
    assert pd.to_datetime(daily["period"]).max() == pd.Timestamp("2020-04-17")


def test_event_section_reruns_give_identical_tables(ctx, tmp_path):
    a, b = R.event_section(ctx), R.event_section(ctx)
    pa, pb = a.save(tmp_path / "a"), b.save(tmp_path / "b")
    for x, y in zip(pa, pb):
        if x.suffix == ".csv":
            assert x.read_bytes() == y.read_bytes(), x.name


def test_voices_section_skips_tiny_corpora(ctx):
    with R.ReportContext(workers=0) as c:
        c._articles, c._mentions, c.gaz = ctx.articles.head(2), ctx.mentions.head(0), ctx.gaz
        res = R.voices_section(c)
    assert res.tables == {} and len(res.notes) == 1
    kind, text = res.notes[0]
    assert kind == "warning" and "Voices: not computed" in text and "statement(s) found" in text


def test_voices_section_reruns_identical_and_examples_escaped(ctx, results, tmp_path):
    res = results["voices_section"]
    assert ctx.cache["statements"] is R.voices_section(ctx).data["statements"]  # extracted once per context
    again = R.voices_section(ctx)
    for name in res.tables:
        pd.testing.assert_frame_equal(res.tables[name], again.tables[name])
    ex = res.tables["examples"]
    assert set(ex["country"]) <= set(ctx.focus)
    html = res._repr_html_()
    assert "<script" not in html.lower() and "Who speaks about whom" in html
    top = res.tables["top_speakers"]
    assert (top.groupby("country")["rank"].max() <= 10).all()
    sb = res.tables["shares_by_outlet"]
    assert ((sb["share_low"] <= sb["share"]) & (sb["share"] <= sb["share_high"])).all()


def test_findings_and_glossary(results):
    lines = list(results["findings_section"].tables["findings"]["finding"])
    assert lines[0].startswith("Share of articles mentioning each focus entity: ")
    assert any(t.startswith("Around 2024-12-08 (") for t in lines)
    assert any(t.startswith("Most specific partners of ") for t in lines)
    g = results["glossary_section"].tables["glossary"]
    assert {"share", "share_low", "diff", "p_clustered", "npmi"} <= set(g["column"])
    assert g["column"].is_unique


def test_figures_saved_as_png_and_svg_deterministically(ctx, tmp_path):
    a = R.event_section(ctx).save(tmp_path / "a")
    b = R.event_section(ctx).save(tmp_path / "b")
    svgs = [p for p in a if p.suffix == ".svg"]
    assert {p.stem for p in svgs} == {p.stem for p in a if p.suffix == ".png"} and svgs
    for x, y in zip(a, b):
        assert x.read_bytes() == y.read_bytes(), x.name
    assert b"<dc:date>" not in svgs[0].read_bytes()
