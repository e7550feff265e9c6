"""ReportContext: the report's parameters, data and output helpers."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable, Sequence

import pandas as pd

from analysis.report.errors import NotEnoughData
from analysis.report.html import display_html, entity_label, html_escape, split_list, table_html, write_table

class ReportContext:
    """What the report notebook works with: parameters, data, and output helpers.

    Build it from the notebook's parameters (``ReportContext(**params)``), call
    :meth:`load`, then the section functions of this module. ``out_dir`` gets
    ``tables/`` (CSV) and ``figures/`` (PNG). With ``display=False`` nothing is
    shown (for use outside a notebook).
    """

    def __init__(self, corpus: str = "", focus: str = "RUS,SYR,IRN", start: str = "", end: str = "",
                 outlets: str = "", categories: str = "", exclude_categories: str = "", dedup: bool = True,
                 fields: str = "", tz: str = "UTC", gazetteer: str = "", level: str = "sentence",
                 freq: str = "M", topics: int = 10, method: str = "nmf", event_date: str = "", seed: int = 0,
                 out_dir: str = ".", display: bool = True, progress: bool = False):
        self.corpus = split_list(corpus)
        self.focus = [f.upper() if len(f) == 3 else f for f in split_list(focus)] or ["RUS", "SYR", "IRN"]
        self.start, self.end = start or None, end or None
        self.outlets, self.categories = split_list(outlets) or None, split_list(categories) or None
        self.exclude_categories = split_list(exclude_categories) or None
        self.dedup, self.fields, self.tz = bool(dedup), fields or None, tz or "UTC"
        self.gazetteer_files = split_list(gazetteer)
        if level not in ("sentence", "paragraph", "article"):
            raise ValueError(f"level must be sentence, paragraph or article; got {level!r}")
        if freq not in ("W", "M"):
            raise ValueError(f"freq must be W or M; got {freq!r}")
        if method not in ("nmf", "lda"):
            raise ValueError(f"method must be nmf or lda; got {method!r}")
        self.level, self.freq, self.k, self.method = level, freq, int(topics), method
        self.event_date = pd.Timestamp(event_date, tz="UTC") if event_date else None
        self.seed = int(seed)
        self.out = Path(out_dir)
        import warnings

        warnings.filterwarnings("ignore", message="IProgress not found")  # tqdm.auto in a kernel
        self.display = display
        self.progress = progress
        self.articles: pd.DataFrame | None = None
        self.mentions: pd.DataFrame | None = None
        self.gaz = None
        self.cache: dict[str, Any] = {}

    # -- data
    def load(self) -> "ReportContext":
        """Load the corpus, the gazetteer and the mentions."""
        from analysis.entities.gazetteer import load_gazetteer
        from analysis.io.load import load_corpus
        from analysis.entities.mentions import extract_mentions

        fields = None
        if self.fields:
            fields = dict(re.split(r"[=:]", kv, maxsplit=1) for kv in split_list(self.fields))
        self.articles = load_corpus(
            self.corpus or None, fields=fields, tz=self.tz, start=self.start, end=self.end,
            outlets=self.outlets, categories=self.categories, exclude_categories=self.exclude_categories,
            dedup=self.dedup, progress=self.progress,
        )
        if len(self.articles) == 0:
            skipped = self.articles.attrs.get("skipped")
            why = ""
            if isinstance(skipped, pd.DataFrame) and len(skipped):
                why = "; ".join(f"{r.source_file}" + (f" line {int(r.line)}" if pd.notna(r.line) else "")
                                + f": {r.reason}" for r in skipped.head(5).itertuples())
            raise ValueError("nothing could be loaded from the corpus" + (f" ({why})" if why else "")
                             + "; no report without articles")
        extra = self.gazetteer_files[0] if len(self.gazetteer_files) == 1 else (self.gazetteer_files or None)
        self.gaz = load_gazetteer(extra=extra) if extra else load_gazetteer()
        self.mentions = extract_mentions(self.articles, self.gaz, progress=self.progress)
        return self

    def label(self, entity_id: str, english: bool = True) -> str:
        """Arabic display name of an entity, with its English label when ``english``."""
        key = ("label", entity_id, english)
        if key not in self.cache:
            self.cache[key] = entity_label(self.gaz, entity_id, english=english)
        return self.cache[key]

    def labels(self, ids: Iterable[str], english: bool = True) -> dict[str, str]:
        return {e: self.label(e, english) for e in ids}

    # -- output
    def table(self, df: pd.DataFrame, name: str, *, show: bool = True, max_rows: int = 25,
              caption: str = "", columns: Sequence[str] | None = None) -> pd.DataFrame:
        """Save ``df`` as ``tables/<name>.csv`` and show it (escaped; only
        ``columns`` when given, the CSV keeps them all)."""
        write_table(df, self.out / "tables" / f"{name}.csv")
        if show and self.display:
            shown = df[[c for c in columns if c in df.columns]] if columns else df
            more = f" (all columns in tables/{name}.csv)" if columns else ""
            display_html(table_html(shown, max_rows=max_rows, caption=caption + more if caption else ""))
        return df

    def figure(self, fig, name: str) -> Path:
        """Save a matplotlib figure as ``figures/<name>.png``, show it, close it."""
        import matplotlib.pyplot as plt

        path = self.out / "figures" / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, metadata={"Software": None})
        plt.close(fig)
        if self.display:
            from IPython.display import Image, display

            display(Image(data=path.read_bytes(), format="png"))
        return path

    def note(self, text: str, kind: str = "note") -> None:
        """Show a short escaped paragraph (``kind``: note or warning)."""
        if self.display:
            style = "background:#fff4e5;border-left:4px solid #e69500" if kind == "warning" else \
                "background:#eef4fb;border-left:4px solid #4a7ab5"
            display_html(f'<p style="{style};padding:6px 10px">{html_escape(text)}</p>')

    def html(self, markup: str) -> None:
        """Show markup built by this module (callers escape corpus text themselves)."""
        if self.display:
            display_html(markup)

    def section(self, name: str):
        """Context manager: a section that cannot be computed says why instead of failing."""
        return _Section(self, name)


class _Section:
    def __init__(self, ctx: ReportContext, name: str):
        self.ctx, self.name = ctx, name

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and issubclass(exc_type, NotEnoughData):
            self.ctx.note(f"{self.name}: not computed - {exc}", kind="warning")
            return True
        return False


# --------------------------------------------------------------------------- sections
# Each section function takes the ReportContext, shows its tables and figures,
# saves them under tables/ and figures/, and says why when it cannot be computed.
