"""Voices tables (shares with Wilson intervals, who speaks about whom, top speakers) and the figure."""
from __future__ import annotations

import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

import analysis  # noqa: E402
from analysis.measures.compare import wilson_interval  # noqa: E402
from analysis.voices import extract_quotes, plot_voice_shares, voices_tables  # noqa: E402
from analysis.voices.measures import top_speakers, voice_shares, who_speaks_about_whom  # noqa: E402


def _articles():
    return pd.DataFrame({
        "article_id": ["a1", "a2", "a3", "a4"],
        "outlet": ["x", "x", "y", "y"],
        "published": pd.to_datetime(["2018-03-02", "2018-04-05", "2018-03-09", "2018-03-20"], utc=True),
        "title": ["", "", "", ""],
        "text": ["", "", "", ""],
    })


def _statements():
    rows = [
        # article, speaker_id, speaker_text, country, basis, kind, quote_countries
        ("a1", "lavrov", "لافروف", "RUS", "entity", "person", "SYR USA"),
        ("a1", "lavrov", "لافروف", "RUS", "earlier", "pronoun_or_earlier", "SYR"),
        ("a1", "", "مصدر", "SYR", "context", "unnamed_source", ""),
        ("a2", "", "الخارجية الإيرانية", "IRN", "phrase", "institution", "IRN"),
        ("a3", "putin", "بوتين", "RUS", "entity", "person", "RUS"),
        ("a3", "", "مسؤول أمريكي", "USA", "phrase", "unnamed_source", "IRN RUS"),
        ("a4", "", "شهود", "", "", "unnamed_source", ""),
        ("zz", "putin", "بوتين", "RUS", "entity", "person", "RUS"),  # not in the articles: left out
    ]
    df = pd.DataFrame(rows, columns=["article_id", "speaker_id", "speaker_text", "speaker_country",
                                     "speaker_country_basis", "speaker_kind", "quote_countries"])
    df["field"] = "text"
    df["verb_start"] = np.arange(len(df)) * 10
    df["quote_start"] = 0
    df["quote_end"] = 0
    df["direct"] = False
    df["verb"] = "قال"
    return df


def test_voice_shares_counts_and_intervals():
    sh = voice_shares(_articles(), _statements(), freq="M")
    tot = sh[(sh["period"] == "all") & (sh["outlet"] == "all")].set_index("entity")
    assert tot.loc["RUS", "n_statements"] == 7 and tot.loc["RUS", "n_speaker"] == 3
    assert tot.loc["RUS", "n_known"] == 6
    assert tot.loc["RUS", "share"] == pytest.approx(3 / 7)
    lo, hi = wilson_interval([3], [7])
    assert (tot.loc["RUS", "share_low"], tot.loc["RUS", "share_high"]) == pytest.approx((lo[0], hi[0]))
    # without the guesses from the article's country, the Syrian source does not count
    assert tot.loc["SYR", "n_speaker"] == 1 and tot.loc["SYR", "n_speaker_named"] == 0
    x = sh[(sh["period"] == "2018-03") & (sh["outlet"] == "x")].set_index("entity")
    assert x.loc["RUS", "n_statements"] == 3 and x.loc["RUS", "n_speaker"] == 2
    y_all = sh[(sh["period"] == "all") & (sh["outlet"] == "y")].set_index("entity")
    assert y_all.loc["RUS", "n_statements"] == 3 and y_all.loc["IRN", "n_speaker"] == 0
    # "all" rows come after the real outlets and periods
    assert sh["period"].tolist()[-1] == "all" and sh["outlet"].tolist()[-1] == "all"


def test_who_speaks_about_whom():
    ab = who_speaks_about_whom(_articles(), _statements())
    rus = ab[ab["speaker_country"] == "RUS"].set_index("about")
    assert rus.loc["SYR", "n"] == 2 and rus.loc["RUS", "n"] == 1 and rus.loc["other", "n"] == 1
    assert (rus["n_speaker"] == 3).all()
    assert rus.loc["SYR", "share"] == pytest.approx(2 / 3)
    other = ab[ab["speaker_country"] == "other"].set_index("about")  # the American official
    assert other.loc["IRN", "n"] == 1 and other.loc["RUS", "n"] == 1
    assert "unknown" in set(ab["speaker_country"])


def test_top_speakers_and_tables():
    top = top_speakers(_articles(), _statements())
    rus = top[top["country"] == "RUS"]
    assert rus["speaker"].tolist() == ["lavrov", "putin"]
    assert rus["n_statements"].tolist() == [2, 1] and rus["rank"].tolist() == [1, 2]
    assert rus.iloc[0]["kind"] == "person"
    t = voices_tables(_articles(), statements=_statements())
    assert set(t) == {"shares", "shares_by_outlet", "about", "top_speakers", "examples", "kinds"}
    assert (t["shares_by_outlet"]["period"] == "all").all()
    kinds = t["kinds"][t["kinds"]["outlet"] == "all"].set_index("speaker_kind")
    assert kinds["n"].sum() == 7 and kinds.loc["unnamed_source", "n"] == 3


def test_plot_voice_shares():
    sh = voice_shares(_articles(), _statements(), freq="M")
    fig = plot_voice_shares(sh, labels={"RUS": "روسيا"})
    assert fig.axes and fig.axes[0].get_yticklabels()
    fig2 = plot_voice_shares(sh, over="period", known=True)
    assert fig2.axes
    with pytest.raises(ValueError, match="over must be"):
        plot_voice_shares(sh, over="week")
    with pytest.raises(ValueError, match="has no"):
        plot_voice_shares(sh.drop(columns=["share_low"]))


def test_voices_on_the_sample_corpus(sample_dir):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        arts = analysis.load_corpus([sample_dir], progress=False)
    st = extract_quotes(arts, analysis.extract_mentions(articles=arts, progress=False), progress=False)
    t = voices_tables(arts, statements=st)
    tot = t["shares_by_outlet"]
    assert (tot["n_speaker"] <= tot["n_statements"]).all()
    assert (tot["share_low"] <= tot["share"]).all() and (tot["share"] <= tot["share_high"]).all()
    ex = t["examples"]
    text = arts.set_index("article_id")
    for r in ex.itertuples():  # examples quote the article as written
        assert text.at[r.article_id, r.field][r.quote_start:r.quote_end].startswith(r.quote.rstrip("…"))
