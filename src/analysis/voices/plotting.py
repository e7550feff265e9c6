"""The figures of the "Voices" section (matplotlib; Arabic labels as plain Unicode)."""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

__all__ = ["plot_voice_shares"]


def plot_voice_shares(shares: pd.DataFrame, *, over: str = "outlet", labels: Mapping[str, str] | None = None,
                      known: bool = False, title: str = ""):
    """Share of statements whose speaker is each focus country, with 95 % Wilson intervals.

    ``shares``: the ``shares`` table of :func:`analysis.voices.voices_tables`
    (or :func:`analysis.voices.measures.voice_shares`). ``over="outlet"``:
    grouped bars per outlet, periods pooled; ``over="period"``: one line per
    country over the periods, outlets pooled. ``labels``: display names of the
    entities (e.g. ``{"RUS": "روسيا (Russia)"}``). ``known=True`` plots
    ``share_known`` (among statements whose speaker's country is known; no
    interval). Returns a matplotlib Figure.
    """
    from analysis import plotting

    if over not in ("outlet", "period"):
        raise ValueError(f"over must be 'outlet' or 'period', not {over!r}")
    need = {"period", "outlet", "entity", "share", "share_low", "share_high", "share_known"}
    missing = need - set(shares.columns)
    if missing:
        raise ValueError(f"plot_voice_shares: the shares table has no {', '.join(sorted(missing))} column")
    labels = dict(labels or {})
    y = "share_known" if known else "share"
    lo, hi = (None, None) if known else ("share_low", "share_high")
    ylabel = "share of statements with a known speaker country" if known else "share of statements"
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
