"""The figures of the "Voices" section (matplotlib; Arabic labels as plain Unicode)."""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

__all__ = ["plot_voice_shares"]


def plot_voice_shares(shares: pd.DataFrame, *, over: str = "outlet", labels: Mapping[str, str] | None = None,
                      known: bool = False, named: bool = False, title: str = ""):
    """Share of statements whose speaker is each focus country, with 95 % Wilson intervals.

    ``shares``: the ``shares`` table of :func:`analysis.voices.voices_tables`
    (or :func:`analysis.voices.measures.voice_shares`). ``over="outlet"``:
    grouped bars per outlet, periods pooled; ``over="period"``: one line per
    country over the periods, outlets pooled. ``labels``: display names of the
    entities (e.g. ``{"RUS": "روسيا (Russia)"}``). ``known=True`` plots
    ``share_known`` (among statements whose speaker's country is known; no
    interval); ``named=True`` plots ``share_named`` (speakers whose country is
    known from their entity or words, not only from the article). Returns a
    matplotlib Figure.
    """
    from analysis import plotting

    if over not in ("outlet", "period"):
        raise ValueError(f"over must be 'outlet' or 'period', not {over!r}")
    need = {"period", "outlet", "entity", "share", "share_low", "share_high", "share_known"}
    missing = need - set(shares.columns)
    if missing:
        raise ValueError(f"plot_voice_shares: the shares table has no {', '.join(sorted(missing))} column")
    labels = dict(labels or {})
    if known:
        y, lo, hi, ylabel = "share_known", None, None, "share of statements with a known speaker country"
    elif named:
        y, lo, hi, ylabel = "share_named", "share_named_low", "share_named_high", "share of statements (country named)"
    else:
        y, lo, hi, ylabel = "share", "share_low", "share_high", "share of statements"
    if y not in shares.columns:
        raise ValueError(f"plot_voice_shares: the shares table has no {y} column")
    if over == "outlet":
        d = shares[(shares["period"] == "all") & (shares["outlet"] != "all")].copy()
        if d.empty:
            return plotting.message_figure("no statements to show", title)
        d["label"] = d["entity"].map(lambda e: labels.get(e, e))
        return plotting.share_by_group(d, group="outlet", series="label", y=y, lo=lo, hi=hi,
                                       title=title or "Who is quoted: speakers by country, per outlet",
                                       xlabel=ylabel + " (%)")
    d = shares[(shares["outlet"] == "all") & (shares["period"] != "all")].copy()
    d = d[d["period"] != "undated"]
    if d.empty:
        return plotting.message_figure("no dated statements to show", title)
    d["label"] = d["entity"].map(lambda e: labels.get(e, e))
    return plotting.share_over_time(d, x="period", series="label", y=y, lo=lo, hi=hi,
                                    title=title or "Who is quoted: speakers by country, over time", ylabel=ylabel)
