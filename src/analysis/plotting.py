"""Matplotlib figures for the coverage report (Arabic labels, report size).

matplotlib >= 3.11 shapes Arabic and lays it out right to left by itself
(bundled libraqm), so labels go in as plain Unicode strings: never pass them
through arabic-reshaper or python-bidi, which would render them reversed.
What matplotlib needs is a font with Arabic glyphs: :func:`setup` registers
Noto Sans Arabic from the ``fontpkg-noto-sans-arabic`` package (a dependency,
so it works in CI without system fonts) and falls back to any installed font
that covers Arabic (DejaVu Sans does).

Every function takes plain DataFrames and returns a
:class:`matplotlib.figure.Figure`; nothing is shown or saved here (in a
notebook a figure that is a cell's last expression shows itself, once: the
figures are not pyplot's, so none is left open, and drawing is safe from
several threads). The tables of the analysis
functions go in as returned: ``share_over_time(coverage(...))`` labels each
``entity`` with :func:`entity_label` ("روسيا (Russia)", from the gazetteer)
when the table has no ``label`` column, and reads period labels ("2024-12",
``undated`` left out) as dates. Text that comes from the corpus (outlet
names, terms) goes through :func:`mpl_escape` so a ``$`` is not read as
mathtext.
"""
from __future__ import annotations

import io
import math
from pathlib import Path
from typing import Iterable, Sequence

import matplotlib
import matplotlib.dates  # noqa: F401  (date locators for period axes)
import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.figure import Figure

__all__ = [
    "setup",
    "arabic_font",
    "mpl_escape",
    "entity_label",
    "period_dates",
    "share_over_time",
    "share_by_group",
    "heatmap",
    "network",
    "lines_over_time",
    "barh_panels",
    "stacked_bars",
    "message_figure",
]

#: width of a full-width report figure in inches (at 110 dpi ~ 1000 px on screen)
WIDTH = 9.5
#: screen resolution of the figures (sizes on the page are those of a 110-dpi image)
DPI = 110
#: resolution of the saved (and embedded) PNG files: sharp in print and on high-density screens
SAVE_DPI = 150
_FALLBACK_FAMILY = "DejaVu Sans"
_state: dict[str, str | None] = {}


def arabic_font() -> str | None:
    """Family name of the font used for Arabic, registering it if needed.

    Order: the Noto Sans Arabic font shipped by ``fontpkg-noto-sans-arabic``;
    then any installed font whose name says Arabic (Noto, Amiri, KacstOne...);
    then DejaVu Sans, which covers the Arabic block. ``None`` when nothing
    usable was found (labels then render as boxes).
    """
    if "family" in _state:
        return _state["family"]
    family = None
    try:  # the PyPI font package (OFL), works without system fonts
        import fontpkg_noto_sans_arabic as _noto  # type: ignore

        files = sorted(Path(_noto.ROOT).glob("files/*.[ot]tf"))
        for f in files:
            font_manager.fontManager.addfont(str(f))
        if files:
            family = font_manager.FontProperties(fname=str(files[0])).get_name()
    except Exception:  # pragma: no cover - package missing or broken
        family = None
    if family is None:  # pragma: no cover - depends on the machine
        names = sorted({f.name for f in font_manager.fontManager.ttflist})
        for wanted in ("Noto Sans Arabic", "Noto Naskh Arabic", "Amiri", "KacstOne", "Arial"):
            if wanted in names:
                family = wanted
                break
        else:
            family = _FALLBACK_FAMILY if _FALLBACK_FAMILY in names else None
    _state["family"] = family
    return family


def setup() -> str | None:
    """Set the report's matplotlib style (fonts with Arabic, sizes, dpi).

    Returns the Arabic font family in use. Idempotent; call it before drawing.
    """
    family = arabic_font()
    fams = [f for f in (family, _FALLBACK_FAMILY) if f]
    matplotlib.rcParams.update(
        {
            "font.family": fams or ["sans-serif"],
            "font.size": 10.5,
            "axes.titlesize": 12.5,
            "axes.titleweight": "normal",
            "axes.labelsize": 10.5,
            "legend.fontsize": 9.5,
            "xtick.labelsize": 9.5,
            "ytick.labelsize": 10,
            "figure.dpi": DPI,
            "savefig.dpi": SAVE_DPI,
            "savefig.bbox": "tight",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "svg.hashsalt": "analysis",
        }
    )
    return family


def mpl_escape(text) -> str:
    """Make a corpus string safe as a matplotlib label: ``$`` is not mathtext."""
    s = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    return s.replace("\\", "\\\\").replace("$", r"\$")


def entity_label(gazetteer, entity_id: str, english: bool = True) -> str:
    """An entity's Arabic display name, with its English label beside it: ``روسيا (Russia)``."""
    ar, en = entity_id, ""
    if gazetteer is not None:
        ents = getattr(gazetteer, "entities", None)
        row = None
        if ents is not None and len(ents):
            hit = ents[ents["entity_id"] == entity_id]
            if len(hit):
                row = hit.iloc[0]
        if row is not None:
            ar = str(row.get("name_ar") or entity_id)
            en = str(row.get("label_en") or "")
        else:
            try:
                ar = gazetteer.label(entity_id, lang="ar") or entity_id
            except Exception:
                ar = entity_id
    if english and en and en != ar:
        en = en.replace(" (", ", ").replace("(", "").replace(")", "")  # no nested brackets (bidi)
        return f"{ar} ({en})"
    return ar


def _labelled(df: pd.DataFrame, series: str, gazetteer=None) -> pd.DataFrame:
    """``df`` with its ``series`` column; made from ``entity`` with :func:`entity_label` when absent."""
    if series in df.columns:
        return df
    if "entity" not in df.columns:
        raise KeyError(f"the table has no {series!r} column (the series to draw) and no 'entity' column to "
                       f"label; columns: {', '.join(map(str, df.columns))}")
    if gazetteer is None:
        from analysis.entities.gazetteer import load_gazetteer

        gazetteer = load_gazetteer()
    names = {e: entity_label(gazetteer, e) for e in pd.unique(df["entity"])}
    return df.assign(**{series: df["entity"].map(names)})


_NO_DATE = ("undated", "all")


def period_dates(labels) -> pd.Series:
    """Period labels ("2024-12", "2024-12-02", "2024-Q3", "2024") as the Timestamp of their first
    day (:func:`analysis.measures.cooccurrence.period_start`); NaT for ``undated`` and ``all``."""
    from analysis.measures.cooccurrence import period_start

    s = pd.Series(labels, dtype=object)
    if pd.api.types.is_datetime64_any_dtype(pd.Series(labels)):
        return pd.Series(labels)
    out = period_start(s.astype(str))
    return pd.Series(out.to_numpy(), index=s.index)


#: what a hollow marker (lines) / a hatched bar (bars) means: the legend entry of the time figures
PARTIAL_LABEL = "partial period\n(the corpus covers\nonly part of it)"


def _partial_mask(d: pd.DataFrame, partial: str | None) -> np.ndarray:
    """The rows of ``d`` that are partial periods (the bool column ``partial``), or none."""
    if not partial or partial not in d.columns:
        return np.zeros(len(d), dtype=bool)
    return d[partial].fillna(False).astype(bool).to_numpy()


def _mark_partial_points(ax, xs, ys, mask: np.ndarray, color) -> None:
    """Hollow markers over the points of partial periods."""
    if mask.any():
        ax.plot(np.asarray(xs)[mask], np.asarray(ys, dtype=float)[mask], ls="none", marker="o", ms=7,
                mfc="white", mec=color, mew=1.6, zorder=3)


def _partial_key(bars: bool = False) -> list:
    """The legend handle explaining the partial-period mark: a hollow marker (lines) or a hatched
    patch (bars)."""
    if bars:
        from matplotlib.patches import Patch

        return [Patch(facecolor="#bbbbbb", hatch="///", edgecolor="white", label=PARTIAL_LABEL)]
    from matplotlib.lines import Line2D

    return [Line2D([], [], ls="none", marker="o", ms=7, mfc="white", mec="#555555", mew=1.6,
                   label=PARTIAL_LABEL)]


def _dated(df: pd.DataFrame, x: str) -> pd.DataFrame:
    """Rows with a date in ``x``, as Timestamps (period labels such as "2024-12" are read as dates)."""
    if pd.api.types.is_datetime64_any_dtype(df[x]):
        return df
    when = period_dates(df[x])
    if when.notna().sum() == 0:
        return df  # not periods: categories along the axis
    return df.assign(**{x: when.to_numpy()})[when.notna().to_numpy()]


class _Figure(Figure):
    """A matplotlib Figure that shows itself as PNG in a notebook, with or without pyplot."""

    def _repr_png_(self) -> bytes:
        buf = io.BytesIO()
        self.savefig(buf, format="png")
        return buf.getvalue()


def _figure(figsize, nrows: int = 1, ncols: int = 1, **kw):
    """A figure outside pyplot (nothing stays open; safe from several threads) and its axes."""
    fig = _Figure(figsize=figsize)
    return fig, fig.subplots(nrows, ncols, **kw)


def message_figure(message: str, title: str = "") -> Figure:
    """A small figure that only says why a chart could not be drawn."""
    setup()
    fig, ax = _figure((WIDTH, 1.2))
    ax.set_axis_off()
    ax.text(0.5, 0.5, mpl_escape(message), ha="center", va="center", wrap=True)
    if title:
        ax.set_title(mpl_escape(title))
    return fig


def _finish(fig, ax, title: str = "", legend: bool = True, extra: Sequence = ()) -> Figure:
    """Title, a legend outside the axes on the right (``extra``: more legend handles, e.g. the
    partial-period key), tight layout."""
    if title:
        ax.set_title(mpl_escape(title))
    if legend:
        handles, labels = ax.get_legend_handles_labels()
        handles, labels = handles + list(extra), labels + [h.get_label() for h in extra]
        if handles:
            ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    fig.tight_layout()
    return fig


def _colors(n: int) -> list:
    cmap = matplotlib.colormaps["tab10" if n <= 10 else "tab20"]
    return [cmap(i % cmap.N) for i in range(n)]


def _tick_labels(ticks) -> list[str]:
    """Tick labels for period starts: years (``2018``), quarters (``Q2 2018``), months (``Mar 2018``)
    or days (``05 Mar\n2018``), read from the dates (all on 1 January and a year or more apart:
    years; all on the first day of a quarter and 3+ months apart: quarters)."""
    t = pd.DatetimeIndex(ticks)
    gap = np.diff(t.values).astype("timedelta64[D]").astype(int).min() if len(t) > 1 else None
    first = bool((t.day == 1).all())
    if first and bool((t.month == 1).all()) and (gap is None or gap >= 365):
        return [f"{d:%Y}" for d in t]
    if first and bool(t.month.isin([1, 4, 7, 10]).all()) and gap is not None and gap >= 89:
        return [f"Q{(d.month - 1) // 3 + 1} {d:%Y}" for d in t]
    return [d.strftime("%b %Y" if first else "%d %b\n%Y") for d in t]


def _period_axis(ax, x: pd.Series):
    """Format an x axis of periods (Timestamps or strings)."""
    if pd.api.types.is_datetime64_any_dtype(x):
        ticks = pd.Series(pd.unique(x.dropna())).sort_values()
        if 0 < len(ticks) <= 14:
            labels = _tick_labels(ticks)
            if len(ticks) > 8:  # slanted: one line each
                labels = [t.replace("\n", " ") for t in labels]
            ax.set_xticks(list(ticks), labels,
                          rotation=0 if len(ticks) <= 8 else 35, ha="center" if len(ticks) <= 8 else "right")
            return
        locator = matplotlib.dates.AutoDateLocator(minticks=3, maxticks=9)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(matplotlib.dates.ConciseDateFormatter(locator))
    else:
        for lab in ax.get_xticklabels():
            lab.set_rotation(45)
            lab.set_ha("right")


def share_over_time(
    df: pd.DataFrame,
    *,
    x: str = "period",
    series: str = "label",
    y: str = "share",
    lo: str | None = "share_low",
    hi: str | None = "share_high",
    title: str = "",
    ylabel: str = "share of articles",
    percent: bool = True,
    gazetteer=None,
    events: Sequence = (),
    window_days: int | None = None,
    partial: str | None = "partial",
) -> Figure:
    """One line per series over periods, with a shaded interval band (lo, hi); ``events``:
    ``[(date, label), ...]`` drawn as labelled vertical lines (see :func:`mark_events`).
    Rows whose ``partial`` column is True (periods the corpus covers only in part,
    :func:`analysis.stats.periods.mark_partial`) get hollow markers, explained in the legend.

    Takes :func:`analysis.coverage`'s table as returned (``period``, ``entity``,
    ``share``, ``share_low``, ``share_high``; undated rows left out, entities
    labelled from ``gazetteer``, default the shipped one) or any table with
    these columns.
    """
    setup()
    df = _dated(_labelled(df, series, gazetteer), x)
    fig, ax = _figure((WIDTH, 4.2))
    names = list(dict.fromkeys(df[series]))  # in the order of the frame
    scale = 100.0 if percent else 1.0
    for name, color in zip(names, _colors(len(names))):
        d = df[df[series] == name].sort_values(x)
        xs = d[x]
        ax.plot(xs, d[y] * scale, marker="o", ms=3.5, lw=1.8, color=color, label=mpl_escape(name))
        _mark_partial_points(ax, xs, d[y] * scale, _partial_mask(d, partial), color)
        if lo and hi and lo in d and hi in d:
            ax.fill_between(xs, d[lo] * scale, d[hi] * scale, color=color, alpha=0.15, lw=0)
    ax.set_ylabel(ylabel + (" (%)" if percent else ""))
    ax.set_ylim(bottom=0)
    _period_axis(ax, df[x])
    mark_events(ax, events, df[x], window_days=window_days)
    return _finish(fig, ax, title, extra=_partial_key() if _partial_mask(df, partial).any() else ())


def mark_events(ax, events: Sequence, x: pd.Series | None = None, window_days: int | None = None) -> None:
    """Draw each event ``(date, label)`` as a dashed vertical line labelled at the top of ``ax``
    (labels staggered so that close events stay readable); with ``window_days``, shade the window."""
    evs = list(events or ())
    if not evs:
        return
    tz = getattr(getattr(x, "dt", None), "tz", None) if x is not None and pd.api.types.is_datetime64_any_dtype(x) else None
    ymax = ax.get_ylim()[1]
    for i, (date, label) in enumerate(evs):
        ev = pd.Timestamp(str(date)[:10])
        if tz is not None:
            ev = ev.tz_localize(tz)
        if window_days:
            ax.axvspan(ev - pd.Timedelta(days=window_days), ev + pd.Timedelta(days=window_days),
                       color="#999999", alpha=0.12, lw=0)
        ax.axvline(ev, color="black", ls="--", lw=1)
        ax.text(ev, ymax * (0.98 - 0.07 * (i % 3)), " " + mpl_escape(label), rotation=0, ha="left", va="top",
                fontsize=8.5, color="black",
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75})


def share_by_group(
    df: pd.DataFrame,
    *,
    group: str = "outlet",
    series: str = "label",
    y: str = "share",
    lo: str | None = "share_low",
    hi: str | None = "share_high",
    title: str = "",
    xlabel: str = "share of articles (%)",
    percent: bool = True,
    gazetteer=None,
) -> Figure:
    """Grouped horizontal bars (one group per outlet, one bar per series) with error bars.

    Takes ``coverage(..., by="outlet")`` as returned (one period) or any table
    with these columns; entities are labelled as in :func:`share_over_time`.
    """
    setup()
    df = _labelled(df, series, gazetteer)
    groups = list(dict.fromkeys(df[group]))
    names = list(dict.fromkeys(df[series]))
    scale = 100.0 if percent else 1.0
    height = 0.8 / max(len(names), 1)
    fig, ax = _figure((WIDTH, max(2.2, 0.25 + 0.32 * len(groups) * max(len(names), 1) * 0.85)))
    for j, (name, color) in enumerate(zip(names, _colors(len(names)))):
        d = df[df[series] == name].drop_duplicates(group).set_index(group).reindex(groups)
        pos = np.arange(len(groups)) + (j - (len(names) - 1) / 2) * height
        vals = d[y].to_numpy(dtype=float) * scale
        err = None
        if lo and hi and lo in d and hi in d:
            err = np.vstack(
                [vals - d[lo].to_numpy(dtype=float) * scale, d[hi].to_numpy(dtype=float) * scale - vals]
            )
            err = np.nan_to_num(np.clip(err, 0, None))
        ax.barh(pos, np.nan_to_num(vals), height=height * 0.92, color=color, label=mpl_escape(name),
                xerr=err, error_kw={"elinewidth": 0.8, "capsize": 2, "alpha": 0.7})
    ax.set_yticks(np.arange(len(groups)), [mpl_escape(g) for g in groups])
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    return _finish(fig, ax, title)


def heatmap(
    matrix: pd.DataFrame,
    *,
    title: str = "",
    fmt: str = "{:.0f}",
    cmap: str = "Blues",
    center: float | None = None,
    colorbar_label: str = "",
    annot: pd.DataFrame | None = None,
) -> Figure:
    """Annotated heatmap of a labelled matrix (rows and columns as given).

    Colours follow ``matrix`` (diverging around ``center`` when given); the
    cells show ``annot`` (same shape) when given, else the matrix values.
    """
    setup()
    nr, nc = matrix.shape
    fig, ax = _figure((min(WIDTH, max(7.0, 2.6 + 0.85 * nc)), max(2.0, 1.0 + 0.42 * nr)))
    vals = matrix.to_numpy(dtype=float)
    shown_vals = vals if annot is None else annot.to_numpy(dtype=float)
    kw = {}
    if center is not None:
        span = np.nanmax(np.abs(vals - center)) if np.isfinite(vals).any() else 1.0
        span = span or 1.0
        kw = {"vmin": center - span, "vmax": center + span}
    im = ax.imshow(vals, cmap=cmap, aspect="auto", **kw)
    ax.set_xticks(np.arange(nc), [mpl_escape(c) for c in matrix.columns], rotation=35, ha="right")
    ax.set_yticks(np.arange(nr), [mpl_escape(r) for r in matrix.index])
    ax.grid(False)
    finite = vals[np.isfinite(vals)]
    thresh = (finite.min() + finite.max()) / 2 if finite.size else 0
    if nr * nc <= 400:
        for i in range(nr):
            for j in range(nc):
                v = vals[i, j]
                if np.isfinite(v) and np.isfinite(shown_vals[i, j]):
                    dark = (v > thresh) if center is None else abs(v - center) > (kw["vmax"] - center) / 2
                    ax.text(j, i, fmt.format(shown_vals[i, j]), ha="center", va="center", fontsize=8.5,
                            color="white" if dark else "black")
    cb = fig.colorbar(im, ax=ax, fraction=0.04, pad=0.02)
    if colorbar_label:
        cb.set_label(colorbar_label)
    if title:
        ax.set_title(mpl_escape(title))
    fig.tight_layout()
    return fig


def network(
    graph,
    *,
    labels: dict | None = None,
    node_size_attr: str = "n",
    edge_weight_attr: str = "n_ab",
    highlight: Iterable = (),
    title: str = "",
    seed: int = 0,
    max_nodes: int = 40,
    other_edges: float = 0.25,
) -> Figure:
    """Draw a co-mention network (networkx graph) with a seeded spring layout.

    Node size follows ``node_size_attr`` (falls back to weighted degree), edge
    width ``edge_weight_attr``; nodes in ``highlight`` (the focus entities) are
    drawn in a second colour. Only the ``max_nodes`` heaviest nodes are kept;
    every edge touching a highlighted node is drawn, of the others only the
    heaviest ``other_edges`` share (so the picture does not become a hairball).
    """
    import networkx as nx

    setup()
    labels = labels or {}
    highlight = set(highlight)
    G = graph.copy()

    def wdeg(n):
        return sum(float(d.get(edge_weight_attr, 1.0)) for _, _, d in G.edges(n, data=True))

    size = {n: float(G.nodes[n].get(node_size_attr, 0) or 0) or wdeg(n) for n in G.nodes}
    if G.number_of_nodes() > max_nodes:
        keep = sorted(G.nodes, key=lambda n: (n not in highlight, -size[n], str(n)))[:max_nodes]
        G = G.subgraph(keep).copy()
    # ties broken by the pair's names in sorted order: an edge's orientation follows the order in which
    # networkx yields nodes, which for a subgraph view follows a set (changes with PYTHONHASHSEED)
    others = sorted(((a, b) for a, b in G.edges if a not in highlight and b not in highlight),
                    key=lambda e: (-float(G.edges[e].get(edge_weight_attr, 1.0)), sorted(map(str, e))))
    if highlight and others:
        n_keep = int(math.ceil(other_edges * len(others)))
        G.remove_edges_from(others[n_keep:])
    fig, ax = _figure((WIDTH, 7.0))
    ax.set_axis_off()
    if G.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "no co-mentions to draw", ha="center")
        return fig
    # deterministic: nodes in sorted order, fixed seed
    H = nx.Graph()
    H.add_nodes_from(sorted(G.nodes, key=str))
    H.add_edges_from(sorted(((*sorted((a, b), key=str), d) for a, b, d in G.edges(data=True)),
                            key=lambda e: (str(e[0]), str(e[1]))))
    weights = np.array([float(d.get(edge_weight_attr, 1.0)) for _, _, d in H.edges(data=True)] or [1.0])
    for (a, b, d) in H.edges(data=True):
        d["_w"] = math.log1p(float(d.get(edge_weight_attr, 1.0)))
    pos = nx.spring_layout(H, seed=seed, weight="_w", k=1.6 / math.sqrt(max(H.number_of_nodes(), 1)))
    sizes = np.array([size.get(n, 1.0) for n in H.nodes])
    smax = sizes.max() if sizes.size and sizes.max() > 0 else 1.0
    node_sizes = 120 + 1600 * np.sqrt(sizes / smax)
    wmax = weights.max() if weights.size and weights.max() > 0 else 1.0
    widths = [0.4 + 5.0 * float(d.get(edge_weight_attr, 1.0)) / wmax for _, _, d in H.edges(data=True)]
    nx.draw_networkx_edges(H, pos, ax=ax, width=widths, alpha=0.35, edge_color="#555555")
    colors = ["#d62728" if n in highlight else "#1f77b4" for n in H.nodes]
    nx.draw_networkx_nodes(H, pos, ax=ax, node_size=node_sizes, node_color=colors, alpha=0.8, linewidths=0)
    for n in H.nodes:
        x, y = pos[n]
        ax.text(x, y, mpl_escape(labels.get(n, n)), ha="center", va="center",
                fontsize=10.5 if n in highlight else 9,
                color="#8b0000" if n in highlight else "black",
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.65})
    if title:
        ax.set_title(mpl_escape(title))
    ax.margins(0.08)
    fig.tight_layout()
    return fig


def lines_over_time(
    df: pd.DataFrame,
    *,
    x: str = "period",
    series: str = "label",
    y: str = "value",
    title: str = "",
    ylabel: str = "",
    max_series: int = 10,
    event_date=None,
    order: Sequence | None = None,
    gazetteer=None,
    events: Sequence = (),
    partial: str | None = "partial",
) -> Figure:
    """One line per series over periods (keeps the ``max_series`` largest by total,
    or the first of ``order``); entities and periods read as in :func:`share_over_time`.
    ``events``: labelled vertical lines (:func:`mark_events`); ``event_date`` an unlabelled one.
    Partial periods (the bool column ``partial``) get hollow markers, as in :func:`share_over_time`."""
    setup()
    df = _dated(_labelled(df, series, gazetteer), x)
    if order is None:
        tot = df.groupby(series, sort=True)[y].sum().sort_values(ascending=False, kind="mergesort")
        names = list(tot.index[:max_series])
    else:
        names = [n for n in order if n in set(df[series])][:max_series]
    fig, ax = _figure((WIDTH, 4.2))
    for name, color in zip(names, _colors(len(names))):
        d = df[df[series] == name].sort_values(x)
        ax.plot(d[x], d[y], marker="o", ms=3, lw=1.6, color=color, label=mpl_escape(name))
        _mark_partial_points(ax, d[x], d[y], _partial_mask(d, partial), color)
    if event_date is not None and pd.api.types.is_datetime64_any_dtype(df[x]):
        ev = pd.Timestamp(event_date)
        if df[x].dt.tz is not None and ev.tzinfo is None:
            ev = ev.tz_localize(df[x].dt.tz)
        ax.axvline(ev, color="black", ls="--", lw=1)
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=min(0, float(np.nanmin(df[y])) if len(df) else 0))
    _period_axis(ax, df[x])
    mark_events(ax, events, df[x])
    shown = _partial_mask(df[df[series].isin(names)], partial).any()
    return _finish(fig, ax, title, extra=_partial_key() if shown else ())


def barh_panels(
    df: pd.DataFrame,
    *,
    panel: str,
    label: str,
    value: str,
    title: str = "",
    xlabel: str = "",
    max_bars: int = 12,
    ncols: int | None = None,
    panel_order: Sequence | None = None,
) -> Figure:
    """Small multiples of horizontal bars: one panel per ``panel`` value.

    Within a panel, bars are the ``max_bars`` first rows in the given order
    (sort the frame first), drawn top to bottom.
    """
    setup()
    panels = list(panel_order) if panel_order is not None else list(dict.fromkeys(df[panel]))
    n = max(len(panels), 1)
    ncols = ncols or min(n, 3)
    nrows = math.ceil(n / ncols)
    rows_per = max([min(max_bars, int((df[panel] == p).sum())) for p in panels] or [1])
    fig, axes = _figure((WIDTH, 0.5 + nrows * (1.1 + 0.3 * rows_per)), nrows, ncols, squeeze=False)
    colors = _colors(n)
    for i, ax in enumerate(axes.flat):
        if i >= len(panels):
            ax.set_axis_off()
            continue
        d = df[df[panel] == panels[i]].head(max_bars)
        ypos = np.arange(len(d))
        ax.barh(ypos, d[value].to_numpy(dtype=float), color=colors[i], alpha=0.85)
        ax.set_yticks(ypos, [mpl_escape(t) for t in d[label]])
        ax.invert_yaxis()
        ax.grid(axis="y", visible=False)
        ax.set_title(mpl_escape(panels[i]), fontsize=11)
        if xlabel:
            ax.set_xlabel(xlabel, fontsize=9)
    if title:
        fig.suptitle(mpl_escape(title), fontsize=12.5)
    fig.tight_layout()
    return fig


def stacked_bars(
    df: pd.DataFrame,
    *,
    x: str = "period",
    series: str = "label",
    y: str = "value",
    title: str = "",
    ylabel: str = "",
    max_series: int = 10,
    gazetteer=None,
    partial: str | None = "partial",
) -> Figure:
    """Stacked bars per period (``x``), one colour per series; series beyond
    the ``max_series`` largest are summed as "other". Bars of partial periods (the bool
    column ``partial`` True on any of the period's rows) are hatched and lighter, explained
    in the legend."""
    setup()
    df = _dated(_labelled(df, series, gazetteer), x)
    tot = df.groupby(series, sort=True)[y].sum().sort_values(ascending=False, kind="mergesort")
    names = list(tot.index[:max_series])
    d = df.assign(_s=df[series].where(df[series].isin(names), "other"))
    wide = d.pivot_table(index=x, columns="_s", values=y, aggfunc="sum", fill_value=0).sort_index()
    cols = [n for n in names if n in wide.columns] + (["other"] if "other" in wide.columns else [])
    wide = wide[cols]
    fig, ax = _figure((WIDTH, 4.0))
    xs = np.arange(len(wide))
    bottom = np.zeros(len(wide))
    mask = _partial_mask(d, partial)
    part = set(d.loc[mask, x]) if mask.any() else set()
    is_part = np.array([v in part for v in wide.index], dtype=bool)
    for name, color in zip(cols, _colors(len(cols))):
        vals = wide[name].to_numpy(dtype=float)
        ax.bar(xs[~is_part], vals[~is_part], bottom=bottom[~is_part], color=color, label=mpl_escape(name),
               width=0.8)
        if is_part.any():
            ax.bar(xs[is_part], vals[is_part], bottom=bottom[is_part], color=color, alpha=0.45, hatch="///",
                   edgecolor="white", lw=0, width=0.8)
        bottom += vals
    idx = wide.index
    if pd.api.types.is_datetime64_any_dtype(idx):
        labels = [t.replace("\n", " ") for t in _tick_labels(idx)]
    else:
        labels = [str(t) for t in idx]
    step = max(1, len(xs) // 14)
    ax.set_xticks(xs[::step], [mpl_escape(l) for l in labels[::step]], rotation=0 if len(xs) <= 8 else 35,
                  ha="center" if len(xs) <= 8 else "right")
    ax.grid(axis="x", visible=False)
    ax.set_ylabel(ylabel)
    return _finish(fig, ax, title, extra=_partial_key(bars=True) if is_part.any() else ())
