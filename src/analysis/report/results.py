"""What a report section returns: :class:`SectionResult`, its tables, figures and notes.

A section function computes; it neither shows nor saves. Its result displays
itself in JupyterLab when it is a cell's last expression (``_repr_html_``:
escaped tables, embedded PNG figures, notes, in the section's order) and is
written into a report folder (figures as PNG and SVG) by :meth:`SectionResult.save` (what
:meth:`analysis.report.ReportContext.save` calls), the only place the report
writes files.
"""
from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import pandas as pd

from analysis.report.errors import NotEnoughData
from analysis.report.html import figure_html, note_html, table_html, wrap_html, write_table

__all__ = ["SectionResult"]

#: how figures are written (the same bytes are shown and saved)
_SAVEFIG = {"format": "png", "metadata": {"Software": None}}
_SAVESVG = {"format": "svg", "metadata": {"Date": None, "Creator": None}}


@dataclass(eq=False)
class SectionResult:
    """Tables, figures and notes of one report section.

    Attributes
    ----------
    title : the section's name (e.g. "Coverage").
    tables : name -> DataFrame; saved as ``tables/<file>.csv`` (see ``table_files``).
    figures : name -> matplotlib Figure; saved as ``figures/<file>.png`` (``figure_files``).
    notes : (kind, text) pairs, kind ``"note"`` or ``"warning"`` (a part that
        could not be computed says why in a warning).
    data : what else the section computed, for reuse; not saved (e.g. the
        co-mention table, the topic model).
    table_files, figure_files : name -> file name stem (table ``"by_period"``
        of the coverage section -> ``tables/coverage_by_period.csv``).

    Build one with :meth:`add_table`, :meth:`add_figure`, :meth:`add_note`,
    :meth:`add_view` and :meth:`add_html`; what is shown, and in which order,
    follows the calls.
    """

    title: str
    prefix: str = ""
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)
    notes: list[tuple[str, str]] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    table_files: dict[str, str] = field(default_factory=dict)
    figure_files: dict[str, str] = field(default_factory=dict)
    _layout: list[tuple] = field(default_factory=list, repr=False)
    _png: dict[str, bytes] = field(default_factory=dict, repr=False)

    # -- building
    def _file(self, name: str, file: str | None) -> str:
        return file or (f"{self.prefix}_{name}" if self.prefix else name)

    def add_table(self, name: str, df: pd.DataFrame, *, file: str | None = None, show: bool = True,
                  caption: str = "", columns: Sequence[str] | None = None, max_rows: int = 25) -> pd.DataFrame:
        """Keep ``df`` as table ``name`` (saved whole); shown when ``show``, only ``columns`` when given."""
        if name in self.tables:
            raise ValueError(f"{self.title}: table {name!r} added twice")
        self.tables[name] = df
        self.table_files[name] = self._file(name, file)
        if show:
            self._layout.append(("table", name, caption, tuple(columns or ()), max_rows))
        return df

    def add_view(self, df: pd.DataFrame, *, caption: str = "", max_rows: int = 25) -> None:
        """Show a table that is not saved (a selection of a saved one)."""
        self._layout.append(("view", df, caption, (), max_rows))

    def add_figure(self, name: str, fig, *, file: str | None = None) -> Any:
        """Keep a matplotlib figure as ``name`` (shown, saved as PNG)."""
        if name in self.figures:
            raise ValueError(f"{self.title}: figure {name!r} added twice")
        _detach(fig)
        self.figures[name] = fig
        self.figure_files[name] = self._file(name, file)
        self._layout.append(("figure", name))
        return fig

    def add_note(self, text: str, kind: str = "note") -> None:
        """A short paragraph (``kind``: note or warning); shown escaped."""
        if kind not in ("note", "warning"):
            raise ValueError(f"kind must be note or warning; got {kind!r}")
        self.notes.append((kind, str(text)))
        self._layout.append(("note", len(self.notes) - 1))

    def add_html(self, markup: str) -> None:
        """Markup built by the report itself (callers escape corpus text, see ``html_escape``)."""
        self._layout.append(("html", markup))

    def section(self, name: str) -> "_Part":
        """Context manager: a part that cannot be computed (:class:`NotEnoughData`) becomes a
        warning note naming ``name`` and saying why; other errors propagate."""
        return _Part(self, name)

    # -- output
    def png(self, name: str, fresh: bool = False) -> bytes:
        """Figure ``name`` as PNG bytes, the ones shown and saved (rendered once; ``fresh``:
        again, after you changed the figure)."""
        if fresh or name not in self._png:
            from analysis.plotting import SAVE_DPI

            buf = io.BytesIO()
            self.figures[name].savefig(buf, dpi=SAVE_DPI, **_SAVEFIG)
            self._png[name] = buf.getvalue()
        return self._png[name]

    def save(self, folder: str | os.PathLike, csv_safe: bool = True) -> list[Path]:
        """Write every table as ``folder/tables/<file>.csv`` (spreadsheet-safe unless
        ``csv_safe=False``) and every figure as ``folder/figures/<file>.png``; returns the paths
        written."""
        folder = Path(folder)
        written = []
        for name, df in self.tables.items():
            written.append(write_table(df, folder / "tables" / f"{self.table_files[name]}.csv", csv_safe=csv_safe))
        if self.figures:
            (folder / "figures").mkdir(parents=True, exist_ok=True)
        for name in self.figures:
            path = folder / "figures" / f"{self.figure_files[name]}.png"
            path.write_bytes(self.png(name))
            written.append(path)
            svg = path.with_suffix(".svg")  # deterministic: fixed svg.hashsalt (plotting.setup), no date
            self.figures[name].savefig(svg, **_SAVESVG)
            written.append(svg)
        return written

    def shown_columns(self) -> list[str]:
        """The column names of the tables this result shows, in order, once each."""
        out: list[str] = []
        for item in self._layout:
            if item[0] in ("table", "view"):
                df = self.tables[item[1]] if item[0] == "table" else item[1]
                cols = item[3] or tuple(df.columns)
                out.extend(str(c) for c in cols if str(c) not in out)
        return out

    def _repr_html_(self) -> str:
        parts = []
        for item in self._layout:
            kind = item[0]
            if kind in ("table", "view"):
                _, ref, caption, columns, max_rows = item
                df = self.tables[ref] if kind == "table" else ref
                if columns:
                    df = df[[c for c in columns if c in df.columns]]
                    if caption:
                        caption += f" (all columns in tables/{self.table_files[ref]}.csv)"
                parts.append(table_html(df, max_rows=max_rows, caption=caption))
            elif kind == "figure":
                parts.append(figure_html(self.png(item[1]), alt=self.figure_files[item[1]]))
            elif kind == "note":
                parts.append(note_html(self.notes[item[1]][1], self.notes[item[1]][0]))
            else:
                parts.append(item[1])
        return wrap_html("".join(parts))

    def __repr__(self) -> str:
        tabs = ", ".join(f"{k} ({len(v)}x{v.shape[1]})" for k, v in self.tables.items()) or "none"
        figs = ", ".join(self.figures) or "none"
        lines = [f"SectionResult {self.title!r}", f"  tables: {tabs}", f"  figures: {figs}"]
        lines += [f"  {kind}: {text}" for kind, text in self.notes]
        return "\n".join(lines)


def _detach(fig) -> None:
    """Take a figure out of pyplot's list of open figures (if it is in it): the result holds it, and
    a notebook's inline backend would otherwise show it a second time at the end of the cell."""
    import sys

    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None and plt.fignum_exists(getattr(fig, "number", -1)):
        plt.close(fig)


class _Part:
    def __init__(self, result: SectionResult, name: str):
        self.result, self.name = result, name

    def __enter__(self) -> SectionResult:
        return self.result

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc_type is not None and issubclass(exc_type, NotEnoughData):
            self.result.add_note(f"{self.name}: not computed - {exc}", kind="warning")
            return True
        return False
