"""The coverage report: a parameterized notebook run by papermill, exported to HTML.

:func:`run_report` executes the report notebook shipped with the package
(``analysis/notebooks/coverage_report.ipynb``) with papermill and writes, into
its own folder::

    reports/NAME/
        report.ipynb      the executed notebook
        report.html       HTML export without code cells
        tables/*.csv      every table the report shows (byte-identical across runs)
        figures/*.png     every figure
        manifest.json     input hashes, gazetteer hash, git commit, parameters,
                          package versions, corpus counts, timings

It works in a temporary folder beside the target and renames it into place
only when everything succeeded: a failed run leaves no half report under the
final name and raises :class:`ReportError` naming the failing cell.

The rest of this module holds the helpers the notebook calls (the notebook
stays thin): :class:`ReportContext` (parameters, output folder, saving tables
and figures, escaped HTML display), and one function per report section.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import html
import importlib.metadata
import importlib.resources
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

__all__ = [
    # running a report
    "run_report",
    "export_html",
    "notebook_path",
    "DEFAULT_PARAMS",
    "ReportError",
    "NotEnoughData",
    # what the notebook calls
    "ReportContext",
    "start_background",
    "parameters_section",
    "corpus_section",
    "coverage_section",
    "comention_section",
    "examples_section",
    "topics_section",
    "keyness_section",
    "event_section",
    "methods_section",
    # helpers
    "corpus_summary",
    "matching_accuracy",
    "entity_label",
    "html_escape",
    "table_html",
    "kwic_html",
    "format_table",
    "write_table",
]

#: parameters of the report notebook (its papermill ``parameters`` cell) and defaults
DEFAULT_PARAMS: dict[str, Any] = {
    "corpus": "",
    "focus": "RUS,SYR,IRN",
    "start": "",
    "end": "",
    "outlets": "",
    "categories": "",
    "exclude_categories": "",
    "dedup": True,
    "fields": "",
    "tz": "UTC",
    "gazetteer": "",
    "level": "sentence",
    "freq": "M",
    "topics": 10,
    "method": "nmf",
    "event_date": "",
    "seed": 0,
    "out_dir": ".",
}

_PACKAGES = (
    "analysis", "numpy", "pandas", "scipy", "scikit-learn", "matplotlib", "networkx",
    "pyahocorasick", "camel-tools", "PyYAML", "pyarrow", "stopwordsiso", "papermill",
    "nbconvert", "nbformat", "nbclient", "ipykernel", "fontpkg-noto-sans-arabic",
)


class ReportError(RuntimeError):
    """The report could not be produced; the message names the failing cell and its cause."""


class NotEnoughData(ValueError):
    """A report section cannot be computed on this corpus; the message says why."""


# --------------------------------------------------------------------------- files

def notebook_path(name: str = "coverage_report") -> Path:
    """Path of a notebook shipped with the package (``coverage_report`` or ``explore``)."""
    res = importlib.resources.files("analysis") / "notebooks" / f"{name}.ipynb"
    path = Path(str(res))
    if not path.is_file():
        raise FileNotFoundError(f"notebook {name}.ipynb is not in the installed package ({path})")
    return path


def corpus_hash(inputs: list[dict]) -> str:
    """One content hash of the whole corpus: sha256 over the sorted file hashes.

    It depends on the files' contents only, not on their paths or order, so
    the same corpus copied elsewhere has the same hash.
    """
    return hashlib.sha256("\n".join(sorted(i["sha256"] for i in inputs)).encode()).hexdigest()


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _expand_inputs(paths: Sequence[str | os.PathLike] | None) -> list[Path]:
    """The files a corpus specification reads (files, directories, globs), sorted.

    Uses the loader's own expansion, so the manifest hashes exactly what was
    read; ``None`` is the sample corpus.
    """
    from analysis.load import corpus_files

    return sorted({Path(f).resolve() for f in corpus_files(list(paths) if paths else None)})


def _gazetteer_files(extra: str | None) -> list[Path]:
    out: list[Path] = []
    try:
        data = Path(str(importlib.resources.files("analysis") / "data"))
        out.extend(sorted(p for p in data.glob("*.y*ml") if p.is_file()))
    except Exception:  # pragma: no cover
        pass
    if extra:
        out.extend(Path(x.strip()).resolve() for x in str(extra).split(",") if x.strip())
    return out


def _git_commit() -> dict[str, Any] | None:
    here = Path(__file__).resolve().parent
    try:
        commit = subprocess.run(["git", "-C", str(here), "rev-parse", "HEAD"], capture_output=True,
                                text=True, timeout=10)
        if commit.returncode != 0:
            return None
        status = subprocess.run(["git", "-C", str(here), "status", "--porcelain", "--untracked-files=no"],
                                capture_output=True, text=True, timeout=10)
        return {"commit": commit.stdout.strip(), "dirty": bool(status.stdout.strip())}
    except (OSError, subprocess.SubprocessError):
        return None


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            pass
    return out


# --------------------------------------------------------------------------- kernel

def _kernel_manager_class(quiet: bool = False):
    """A kernel manager that runs the kernel on *this* interpreter.

    A ``python3`` kernelspec found first on the Jupyter path (e.g. a user's own,
    pointing at another Python) would run the notebook without this package;
    the report always runs in the interpreter that runs :func:`run_report`.
    ``quiet``: the kernel's own stderr (start-up warnings) is not shown.
    """
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import AsyncKernelManager

    class ThisPythonKernelManager(AsyncKernelManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if os.name == "posix":  # local sockets: nothing listens on TCP, no "unencrypted TCP" warning
                self.transport = "ipc"

        @property
        def kernel_spec(self):  # type: ignore[override]
            if self._kernel_spec is None:
                self._kernel_spec = KernelSpec(
                    argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                    display_name="Python 3 (ipykernel)",
                    language="python",
                    name="python3",
                )
            return self._kernel_spec

        async def start_kernel(self, **kw):  # type: ignore[override]
            if quiet:
                kw.setdefault("stderr", subprocess.DEVNULL)
            return await super().start_kernel(**kw)

    return ThisPythonKernelManager


# --------------------------------------------------------------------------- run

def _param_value(name: str, value: Any) -> Any:
    """Parameters reach the notebook as simple scalars (lists as comma-separated strings)."""
    default = DEFAULT_PARAMS[name]
    if value is None:
        return default
    if isinstance(value, (list, tuple)):
        value = ",".join(str(v) for v in value)
    if isinstance(default, bool):
        return bool(value)
    if isinstance(default, int):
        return int(value)
    if isinstance(value, (_dt.date, _dt.datetime, pd.Timestamp)):
        return pd.Timestamp(value).isoformat()
    return str(value)


def _cell_section(nb, index: int) -> str:
    """The heading of the markdown cell above code cell ``index``."""
    for cell in reversed(nb.cells[: index + 1]):
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.lstrip().startswith("#"):
                    return line.lstrip("# ").strip()
    return "start"


def _section_timings(nb) -> dict[str, float]:
    out: dict[str, float] = {}
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        dur = (cell.get("metadata", {}).get("papermill", {}) or {}).get("duration")
        if dur is None:
            continue
        sec = _cell_section(nb, i)
        out[sec] = round(out.get(sec, 0.0) + float(dur), 3)
    return out


def _escape_dollars(page: str) -> str:
    """Write every ``$`` of the page's text and attributes as ``&#36;`` (scripts and styles untouched).

    nbconvert re-serializes its HTML with BeautifulSoup, which turns the ``&#36;`` of our outputs back
    into ``$``; MathJax would then read ``$...$`` in an outlet name or a title as math.
    """
    from bs4 import BeautifulSoup
    from bs4.dammit import EntitySubstitution
    from bs4.formatter import HTMLFormatter

    formatter = HTMLFormatter(
        entity_substitution=lambda s: EntitySubstitution.substitute_xml(s).replace("$", "&#36;"))
    return BeautifulSoup(page, features="html.parser").decode(formatter=formatter)


def export_html(notebook: str | os.PathLike, html_path: str | os.PathLike) -> Path:
    """Export an executed notebook to HTML without code cells (inputs and prompts hidden)."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(notebook), as_version=4)
    for cell in nb.cells:  # warnings on stderr stay in report.ipynb, not in the reader's HTML
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if not (o.output_type == "stream" and o.name == "stderr")]
    # Every output of the report is built by this module, which escapes all corpus text itself
    # (html_escape), so nbconvert's sanitizer is not needed.
    exporter = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, sanitize_html=False)
    first = next((c.source for c in nb.cells if c.cell_type == "markdown"), "")
    title = next((ln.lstrip("# ").strip() for ln in first.splitlines() if ln.startswith("#")), "")
    if title:
        nb.metadata["title"] = title  # the page's <title> instead of the file name
    body, _ = exporter.from_notebook_node(nb)
    body = _escape_dollars(body)
    Path(html_path).write_text(body, encoding="utf-8")
    return Path(html_path)


def run_report(
    paths: Sequence[str | os.PathLike] | str | os.PathLike | None = None,
    out: str | os.PathLike = "reports/report",
    *,
    overwrite: bool = True,
    progress: bool = True,
    timeout: int | None = None,
    **params: Any,
) -> Path:
    """Run the coverage report on a corpus and write it into the folder ``out``.

    Parameters
    ----------
    paths : corpus files, directories or glob patterns (``None``: the sample corpus).
    out : the report folder (created; replaced when ``overwrite``).
    **params : the notebook's parameters (see :data:`DEFAULT_PARAMS`): ``focus``
        ("RUS,SYR,IRN" or a list), ``start``, ``end``, ``outlets``, ``categories``,
        ``exclude_categories``, ``dedup``, ``fields``, ``tz``, ``gazetteer``,
        ``level`` (sentence, paragraph, article), ``freq`` (W or M), ``topics``
        (k, 0 to skip), ``method`` (nmf or lda), ``event_date``, ``seed``.

    Returns the report folder. Raises :class:`ReportError` (naming the failing
    cell and its cause) when the notebook fails; nothing is left under ``out``.
    """
    import nbformat
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    t0 = time.perf_counter()
    unknown = sorted(set(params) - set(DEFAULT_PARAMS) - {"out_dir"})
    if unknown:
        raise TypeError(f"unknown report parameter(s): {', '.join(unknown)}; "
                        f"known: {', '.join(k for k in DEFAULT_PARAMS if k not in ('corpus', 'out_dir'))}")
    if paths is not None and isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    inputs = _expand_inputs(paths)
    if paths and not inputs:
        raise ReportError(f"no input files found in {', '.join(map(str, paths))}")
    values = {k: _param_value(k, params.get(k)) for k in DEFAULT_PARAMS}
    values["corpus"] = ",".join(str(Path(p).resolve()) if not any(c in str(p) for c in "*?[")
                                else str(p) for p in (paths or []))
    values["out_dir"] = "."
    if values["gazetteer"]:
        values["gazetteer"] = ",".join(str(Path(g.strip()).resolve()) for g in values["gazetteer"].split(","))

    out = Path(out).resolve()
    if out.exists() and not overwrite:
        raise FileExistsError(f"{out} exists (overwrite=False / --no-overwrite keeps it)")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        (tmp / "tables").mkdir()
        (tmp / "figures").mkdir()
        nb_out = tmp / "report.ipynb"
        t1 = time.perf_counter()
        try:
            pm.execute_notebook(
                str(notebook_path("coverage_report")),
                str(nb_out),
                parameters=values,
                kernel_name="python3",
                progress_bar=progress,
                log_output=False,
                cwd=str(tmp),
                execution_timeout=timeout,
                kernel_manager_class=_kernel_manager_class(quiet=not progress),
            )
        except PapermillExecutionError as exc:
            section = "?"
            try:
                section = _cell_section(nbformat.read(str(nb_out), as_version=4), exc.cell_index)
            except Exception:
                pass
            first = next((ln for ln in (exc.source or "").splitlines() if ln.strip()), "")
            raise ReportError(
                f"report notebook failed in cell {exc.cell_index} (section {section!r}, "
                f"code: {first.strip()[:120]!r}): {exc.ename}: {exc.evalue}"
            ) from None
        except (KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:  # the kernel died, a cell timed out, the kernel could not start...
            where = ""
            try:  # nbclient's message previews the cell: find it in the notebook
                source_nb = nbformat.read(str(notebook_path("coverage_report")), as_version=4)
                text = str(exc)
                for i, cell in enumerate(source_nb.cells):
                    lines = [ln for ln in cell.source.splitlines() if ln.strip()]
                    if cell.cell_type == "code" and lines and all(ln in text for ln in lines[:3]):
                        where = f" in the cell of section {_cell_section(source_nb, i)!r}"
                        break
            except Exception:
                pass
            raise ReportError(f"report notebook could not run{where}: {type(exc).__name__}: {exc}") from exc
        t_exec = time.perf_counter() - t1
        t2 = time.perf_counter()
        export_html(nb_out, tmp / "report.html")
        t_export = time.perf_counter() - t2

        nb = nbformat.read(str(nb_out), as_version=4)
        summary_file = tmp / "tables" / "corpus_summary.csv"
        counts: dict[str, Any] = {}
        if summary_file.is_file():
            s = pd.read_csv(summary_file, dtype=str, keep_default_na=False)
            for k, v in zip(s["measure"], s["value"]):
                counts[k] = int(v) if re.fullmatch(r"-?\d+", v) else v
        gaz_files = _gazetteer_files(values["gazetteer"])
        input_items = [{"path": str(f), "bytes": f.stat().st_size, "sha256": _sha256(f)} for f in inputs]
        manifest = {
            "report": "coverage_report",
            "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
            "corpus_sha256": corpus_hash(input_items),
            "inputs": input_items,
            "gazetteer": [{"path": str(f), "sha256": _sha256(f)} for f in gaz_files if f.is_file()],
            "git": _git_commit(),
            "parameters": {k: v for k, v in values.items() if k != "out_dir"},
            "versions": _versions(),
            "counts": counts,
            "tables": sorted(p.name for p in (tmp / "tables").glob("*.csv")),
            "figures": sorted(p.name for p in (tmp / "figures").glob("*.png")),
            "timings_s": {
                "execute": round(t_exec, 3),
                "export_html": round(t_export, 3),
                "sections": _section_timings(nb),
            },
        }
        manifest["timings_s"]["total"] = round(time.perf_counter() - t0, 3)
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                           encoding="utf-8")
        # move into place: the old report (if any) goes aside first, then is removed
        old = None
        if out.exists():
            old = out.with_name(f".{out.name}.old-{os.getpid()}")
            if old.exists():
                shutil.rmtree(old)
            out.rename(old)
        tmp.rename(out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


# --------------------------------------------------------------------------- display helpers

def html_escape(text: Any) -> str:
    """Escape text for HTML, including ``$`` (MathJax would read ``$...$`` as math)."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return ""
    return html.escape(str(text), quote=True).replace("$", "&#36;")


_WRAP = '<div class="tex2jax_ignore mathjax_ignore" dir="auto">{}</div>'


def _display_html(markup: str) -> None:
    from IPython.display import HTML, display

    display(HTML(_WRAP.format(markup)))


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


# --------------------------------------------------------------------------- tables

def _split(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value).split(",") if v.strip()]


def format_table(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with deterministic text for CSV: timestamps as ISO text,
    lists joined with ``|``, floats with 6 significant digits."""
    out = df.copy()
    for c in out.columns:
        s = out[c]
        if pd.api.types.is_datetime64_any_dtype(s):
            ts = s.dt.tz_convert("UTC").dt.tz_localize(None) if getattr(s.dt, "tz", None) is not None else s
            whole_days = bool(((ts.dropna() - ts.dropna().dt.normalize()) == pd.Timedelta(0)).all())
            out[c] = ts.dt.strftime("%Y-%m-%d" if whole_days else "%Y-%m-%dT%H:%M:%SZ").where(ts.notna(), "")
        elif s.dtype == object and s.map(lambda v: isinstance(v, (list, tuple, set))).any():
            out[c] = s.map(lambda v: "|".join(map(str, sorted(v) if isinstance(v, set) else v))
                           if isinstance(v, (list, tuple, set)) else v)
        elif pd.api.types.is_float_dtype(s):
            out[c] = s.map(lambda v: "" if pd.isna(v) else ("inf" if v == float("inf") else
                                                          "-inf" if v == float("-inf") else f"{v:.6g}"))
    return out


def write_table(df: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write a table as UTF-8 CSV, byte-identical for identical content."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    format_table(df).to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    return path


def table_html(df: pd.DataFrame, max_rows: int = 30, caption: str = "", digits: int = 3) -> str:
    """Escaped HTML for a table (cell text, headers, caption; ``$`` included);
    floats shown with ``digits`` significant digits."""
    shown = df.head(max_rows).copy()
    for c in shown.columns:
        if pd.api.types.is_float_dtype(shown[c]):
            shown[c] = shown[c].map(lambda v: "" if pd.isna(v) else f"{v:.0f}" if abs(v) >= 10 ** digits
                                    else f"{v:.{digits}g}")
    cols = [str(c) for c in shown.columns]
    fmt = format_table(shown)
    head = "".join(f"<th>{html_escape(c)}</th>" for c in cols)
    rows = []
    for rec in fmt.itertuples(index=False):
        rows.append("<tr>" + "".join(f"<td>{html_escape(v)}</td>" for v in rec) + "</tr>")
    more = ""
    if len(df) > max_rows:
        more = f'<p class="report-more">{len(df) - max_rows} more rows in the CSV file.</p>'
    cap = f"<caption>{html_escape(caption)}</caption>" if caption else ""
    return (f'<table class="dataframe report-table">{cap}<thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>{more}')


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
        self.corpus = _split(corpus)
        self.focus = [f.upper() if len(f) == 3 else f for f in _split(focus)] or ["RUS", "SYR", "IRN"]
        self.start, self.end = start or None, end or None
        self.outlets, self.categories = _split(outlets) or None, _split(categories) or None
        self.exclude_categories = _split(exclude_categories) or None
        self.dedup, self.fields, self.tz = bool(dedup), fields or None, tz or "UTC"
        self.gazetteer_files = _split(gazetteer)
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
        from analysis.gazetteer import load_gazetteer
        from analysis.load import load_corpus
        from analysis.mentions import extract_mentions

        fields = None
        if self.fields:
            fields = dict(re.split(r"[=:]", kv, maxsplit=1) for kv in _split(self.fields))
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
            _display_html(table_html(shown, max_rows=max_rows, caption=caption + more if caption else ""))
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
            _display_html(f'<p style="{style};padding:6px 10px">{html_escape(text)}</p>')

    def html(self, markup: str) -> None:
        """Show markup built by this module (callers escape corpus text themselves)."""
        if self.display:
            _display_html(markup)

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

_NO_DATE = ("undated", "all")


def _period_ts(labels: pd.Series) -> pd.Series:
    """Period labels ("2024-12", "2024-12-02") as Timestamps (NaT for undated)."""
    s = pd.Series(labels, dtype=object).astype(str)
    return pd.to_datetime(s.where(~s.isin(_NO_DATE)), errors="coerce", format="mixed")


def _resolve_for(focus: Sequence[str]) -> str | None:
    """Roll persons/places/organizations up to countries when every focus id is a country code."""
    return "country" if focus and all(re.fullmatch(r"[A-Z]{3}", f) for f in focus) else None


def _focus_sorted(ctx: "ReportContext", df: pd.DataFrame, col: str = "entity", then: Sequence[str] = ()) -> pd.DataFrame:
    """Rows in the order of the focus list (then by ``then``), for legends and tables."""
    rank = {f: i for i, f in enumerate(ctx.focus)}
    return (df.assign(_r=df[col].map(rank).fillna(len(rank)))
            .sort_values(["_r", *then], kind="mergesort").drop(columns="_r"))


def _min_chart_articles(counts: pd.Series, n_articles: int) -> int:
    """Fewest articles a period needs to be charted: on corpora of 1,000+ articles, 10 and at least
    5 % of the typical period (the median of those with 10 or more): stragglers far from the rest
    would stretch the time axis, and their shares would rest on a handful of articles."""
    if n_articles < 1000 or counts.empty:
        return 0
    typical = counts[counts >= 10]
    return int(max(10, 0.05 * float(typical.median()))) if len(typical) else 10


def _chart_periods(ctx: "ReportContext", df: pd.DataFrame, col: str = "period") -> pd.DataFrame:
    """Rows of dated periods worth charting (see :func:`_min_chart_articles`), with a note
    naming the periods left out; the tables keep them."""
    from analysis.comention import period_labels

    d = df[~df[col].astype(str).isin(_NO_DATE)]
    key = ("period_counts", ctx.freq)
    if key not in ctx.cache:
        counts = period_labels(ctx.articles["published"], ctx.freq).value_counts()
        ctx.cache[key] = counts[~counts.index.astype(str).isin(_NO_DATE)]
    counts = ctx.cache[key]
    need = _min_chart_articles(counts, len(ctx.articles))
    small = set(counts[counts < need].index.astype(str))
    drop = sorted(set(d[col].astype(str)) & small)
    if drop and not ctx.cache.get(("noted_sparse", ctx.freq)):
        ctx.cache[("noted_sparse", ctx.freq)] = True
        ctx.note(f"Charts over time leave out {len(drop)} {_period_name(ctx.freq)}(s) with fewer than {need} "
                 f"articles ({', '.join(drop[:6])}{'...' if len(drop) > 6 else ''}); the tables keep them.")
    return d[~d[col].astype(str).isin(drop)]


def _need(cond: bool, why: str) -> None:
    if not cond:
        raise NotEnoughData(why)


def _period_name(freq: str) -> str:
    return {"W": "week", "M": "month"}.get(freq, freq)


def corpus_summary(ctx: ReportContext) -> pd.DataFrame:
    """Table ``measure``, ``value``: the loader's counts, articles, outlets, span, mentions."""
    a = ctx.articles
    summ = dict(a.attrs.get("summary", {}) or {})
    rows: list[tuple[str, Any]] = []
    for k in sorted(summ):
        v = summ[k]
        if isinstance(v, (int, float, str, bool)) and not isinstance(v, bool):
            rows.append((k, int(v) if isinstance(v, float) and float(v).is_integer() else v))
    pub = pd.to_datetime(a["published"], utc=True, errors="coerce") if len(a) else pd.Series([], dtype="datetime64[ns, UTC]")
    extra = [
        ("articles", int(len(a))),
        ("outlets", int(a["outlet"].nunique()) if len(a) else 0),
        ("first_date", pub.min().strftime("%Y-%m-%d") if pub.notna().any() else ""),
        ("last_date", pub.max().strftime("%Y-%m-%d") if pub.notna().any() else ""),
        ("undated_articles", int(pub.isna().sum())),
        ("mentions", int(len(ctx.mentions)) if ctx.mentions is not None else 0),
        ("articles_with_mentions", int(ctx.mentions["article_id"].nunique()) if ctx.mentions is not None else 0),
    ]
    have = {k for k, _ in rows}
    rows.extend((k, v) for k, v in extra if k not in have)
    return pd.DataFrame(rows, columns=["measure", "value"]).astype({"value": object})


def parameters_section(ctx: ReportContext, params: dict) -> None:
    """Show the parameters the report ran with."""
    df = pd.DataFrame(sorted((k, str(v)) for k, v in params.items() if k != "out_dir"),
                      columns=["parameter", "value"])
    ctx.table(df, "parameters", show=False)
    ctx.html("<p><b>Parameters:</b> " + "; ".join(
        f"{html_escape(k)} = <code>{html_escape(v)}</code>" for k, v in zip(df["parameter"], df["value"])
        if v not in ("", "None")) + " (all in tables/parameters.csv)</p>")


def corpus_section(ctx: ReportContext) -> None:
    """Articles loaded, skipped and deduplicated; outlets; categories; time span."""
    a = ctx.articles
    summ = corpus_summary(ctx)
    ctx.table(summ, "corpus_summary", show=False)
    key = ["records", "loaded", "skipped", "duplicates_dropped", "wire_copies", "dup_groups", "related",
           "filtered_out", "dates_missing", "articles", "outlets", "first_date", "last_date", "mentions",
           "articles_with_mentions"]
    shown = summ.set_index("measure").reindex([k for k in key if k in set(summ["measure"])]).reset_index()
    if ctx.display:
        _display_html(table_html(shown, max_rows=40, caption="Corpus counts (all in tables/corpus_summary.csv)"))
    with ctx.section("Corpus"):
        _need(len(a) > 0, "no article was loaded (see the skipped files above).")
        pub = pd.to_datetime(a["published"], utc=True, errors="coerce")
        outlet = a["outlet"].fillna("unknown").astype(str)
        o = (pd.DataFrame({"outlet": outlet, "published": pub})
             .groupby("outlet", sort=True)
             .agg(articles=("published", "size"), dated=("published", "count"),
                  first=("published", "min"), last=("published", "max"))
             .reset_index())
        for c in ("first", "last"):
            o[c] = o[c].dt.strftime("%Y-%m-%d").fillna("")
        o = o.sort_values(["articles", "outlet"], ascending=[False, True], kind="mergesort")
        ctx.table(o, "corpus_outlets", caption="Articles per outlet")
        if "category" in a.columns and a["category"].notna().any():
            c = (a["category"].fillna("(none)").astype(str).value_counts().rename_axis("category")
                 .reset_index(name="articles").sort_values(["articles", "category"], ascending=[False, True],
                                                          kind="mergesort"))
            ctx.table(c, "corpus_categories", caption="Articles per category")
        skipped = a.attrs.get("skipped")
        if isinstance(skipped, pd.DataFrame) and len(skipped):
            ctx.table(skipped.sort_values(list(skipped.columns[:2]), kind="mergesort"), "corpus_skipped_records",
                      show=False)
            s = (skipped.assign(reason=skipped["reason"].astype(str).str.split(":").str[0])
                 .groupby("reason").size().rename("records").reset_index()
                 .sort_values(["records", "reason"], ascending=[False, True], kind="mergesort"))
            ctx.table(s, "corpus_skipped", caption="Skipped records by reason")
    with ctx.section("Articles over time"):
        from analysis.comention import period_labels
        from analysis import plotting as P

        _need(len(a) > 0, "the corpus is empty.")
        outlet = a["outlet"].fillna("unknown").astype(str)
        per = period_labels(a["published"], ctx.freq)
        t = pd.DataFrame({"period": per, "outlet": outlet}).groupby(["period", "outlet"]).size() \
            .rename("value").reset_index()
        t = _chart_periods(ctx, t)
        _need(len(t) > 0, "no article has a publication date, so nothing can be shown over time.")
        t["period"] = _period_ts(t["period"])
        t["label"] = t["outlet"]
        ctx.figure(P.stacked_bars(t, title=f"Articles per {_period_name(ctx.freq)} and outlet",
                                  ylabel="articles", max_series=10), "corpus_articles_per_period")


def _coverage_rollup(cov: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Coverage by ``keys`` (e.g. ["period"], ["outlet"], [] for the whole corpus) from a finer
    :func:`analysis.coverage` table: its counts add up over disjoint groups of articles; shares,
    95 % Wilson intervals and mentions per 1,000 words are recomputed from the sums."""
    from analysis.compare import wilson_interval

    counts = ["n_articles", "n_with", "n_mentions", "n_words"]
    out = cov.groupby(keys + ["entity"], sort=True)[counts].sum().reset_index()
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share"] = np.where(out["n_articles"] > 0, out["n_with"] / out["n_articles"], np.nan)
        out["per_1k_words"] = np.where(out["n_words"] > 0, 1000.0 * out["n_mentions"] / out["n_words"], np.nan)
    out["share_low"], out["share_high"] = wilson_interval(out["n_with"], out["n_articles"])
    cols = keys + ["entity", "n_articles", "n_with", "share", "share_low", "share_high", "n_mentions", "n_words",
                   "per_1k_words"]
    return out[cols].sort_values(keys + ["entity"], kind="mergesort").reset_index(drop=True)


def coverage_section(ctx: ReportContext) -> None:
    """Coverage volume and share over time and by outlet, with 95 % Wilson intervals."""
    from analysis import plotting as P
    from analysis.compare import coverage

    a, m = ctx.articles, ctx.mentions
    resolve = _resolve_for(ctx.focus)
    with ctx.section("Coverage"):
        _need(len(a) > 0, "the corpus is empty.")
        if resolve:
            ctx.note("Country coverage counts an article when it mentions the country itself or one of its "
                     "people, places or institutions (Putin and Moscow count for Russia).")
        show = ["name", "n_articles", "n_with", "share", "share_low", "share_high", "per_1k_words"]
        # one coverage() call by period and outlet; the other views are sums of its counts
        by_po = coverage(a, m, focus=ctx.focus, freq=ctx.freq, by="outlet", resolve=resolve)
        ctx.table(by_po, "coverage_by_period_outlet", show=False)
        total = _coverage_rollup(by_po, [])
        total.insert(total.columns.get_loc("entity") + 1, "name", total["entity"].map(ctx.label))
        total = _focus_sorted(ctx, total)
        ctx.table(total, "coverage_total", caption="Whole corpus", columns=show)
        cov = _coverage_rollup(by_po, ["period"])
        cov.insert(cov.columns.get_loc("entity") + 1, "name", cov["entity"].map(ctx.label))
        ctx.table(cov, "coverage_by_period", show=False)
        dated = _chart_periods(ctx, cov).copy()
        if ctx.display and len(dated):
            _display_html(table_html(dated[["period"] + show], max_rows=3 * len(ctx.focus) * 6, caption=(
                f"By {_period_name(ctx.freq)} (the charted ones; every {_period_name(ctx.freq)} and all "
                "columns in tables/coverage_by_period.csv)")))
        if len(dated) and dated["period"].nunique() >= 2:
            dated["period"] = _period_ts(dated["period"])
            dated["label"] = dated["name"]
            dated = _focus_sorted(ctx, dated, then=["period"])
            ctx.figure(P.share_over_time(dated, y="share", lo="share_low", hi="share_high",
                                         title=f"Share of articles mentioning each country, by "
                                               f"{_period_name(ctx.freq)} (95% Wilson interval)"),
                       "coverage_share_over_time")
            vol = dated.assign(value=dated["n_with"])
            ctx.figure(P.lines_over_time(vol, title=f"Articles mentioning each country, by {_period_name(ctx.freq)}",
                                         ylabel="articles", order=list(dict.fromkeys(vol["label"])),
                                         event_date=ctx.event_date), "coverage_volume_over_time")
        else:
            ctx.note("Fewer than two dated periods: no chart over time.")
        by_out = _coverage_rollup(by_po, ["outlet"])
        by_out.insert(by_out.columns.get_loc("entity") + 1, "name", by_out["entity"].map(ctx.label))
        ctx.table(by_out, "coverage_by_outlet", max_rows=30, caption="By outlet", columns=["outlet"] + show)
        order = (by_out.groupby("outlet")["n_articles"].first().sort_values(ascending=False, kind="mergesort"))
        top = list(order.index[:15])
        sel = by_out[by_out["outlet"].isin(top)].copy()
        sel["outlet"] = pd.Categorical(sel["outlet"], categories=top, ordered=True)
        sel = _focus_sorted(ctx, sel).sort_values("outlet", kind="mergesort").assign(
            outlet=lambda d: d["outlet"].astype(str))
        sel["label"] = sel["name"]
        sel["outlet"] = sel["outlet"] + " (n=" + sel["n_articles"].astype(str) + ")"
        ctx.figure(P.share_by_group(sel, group="outlet", lo="share_low", hi="share_high",
                                    title="Share of each outlet's articles mentioning each country (95% interval)"),
                   "coverage_share_by_outlet")


def _pair_label(ctx: ReportContext, a: str, b: str, english: bool = True) -> str:
    """``روسيا – سوريا (Russia–Syria)``: Arabic names, then the English pair in one bracket."""
    ar = f"{ctx.label(a, False)} – {ctx.label(b, False)}"
    if not english:
        return ar
    en_a, en_b = (ctx.label(e).split(" (", 1)[1].rstrip(")") if " (" in ctx.label(e) else e for e in (a, b))
    return f"{ar} ({en_a}–{en_b})"


def kwic_html(rows: pd.DataFrame, ctx: ReportContext | None = None) -> str:
    """Escaped HTML for example windows (a :func:`analysis.kwic` table): the
    window text with the mentions (``spans_a``/``spans_b``, offsets in the field
    text) marked, and outlet, date and article id beneath."""
    items = []
    for rec in rows.to_dict("records"):
        sent = str(rec.get("text", "") or "")
        base = int(rec.get("start", 0) or 0)
        spans = sorted({(int(s) - base, int(e) - base) for key in ("spans_a", "spans_b")
                        for s, e in (rec.get(key) or [])})
        pieces, pos = [], 0
        for s, e in spans:
            if s < pos or s < 0 or e > len(sent):
                continue
            pieces.append(html_escape(sent[pos:s]))
            pieces.append(f"<mark>{html_escape(sent[s:e])}</mark>")
            pos = e
        pieces.append(html_escape(sent[pos:]))
        pub = rec.get("published")
        date = pd.Timestamp(pub).strftime("%Y-%m-%d") if pub is not None and not pd.isna(pub) else ""
        meta = " · ".join(f"<bdi>{html_escape(v)}</bdi>"
                          for v in (rec.get("title"), rec.get("outlet"), date, rec.get("article_id"))
                          if v is not None and not (isinstance(v, float) and pd.isna(v)) and v != "")
        items.append(f'<li><div dir="rtl" lang="ar" style="text-align:right">{"".join(pieces)}</div>'
                     f'<div style="color:#666;font-size:85%" dir="auto">{meta}</div></li>')
    return '<ul class="report-kwic">' + "".join(items) + "</ul>"


def comention_section(ctx: ReportContext, n_partners: int = 8) -> None:
    """Co-mentions: heatmap of the focus entities and their top partners, network, triangle, examples."""
    from analysis import plotting as P
    from analysis.comention import comention_graph, comention_matrix, count_comentions
    from analysis.compare import focus_triangle, top_partners

    a, m = ctx.articles, ctx.mentions
    level = ctx.level
    with ctx.section("Co-mentions"):
        _need(len(a) > 0 and len(m) > 0, "no entity mention was found in the corpus.")
        if level != "article" and "windows" not in ctx.cache:
            from analysis.comention import count_windows

            ctx.cache["windows"] = count_windows(a)
        windows = ctx.cache.get("windows")
        co = count_comentions(m, a, level=level, windows=windows)
        ctx.cache["comentions"] = co
        _need(len(co) > 0, f"no two entities are mentioned in the same {level}.")
        tp = top_partners(co, focus=ctx.focus, n=n_partners)
        _need(len(tp) > 0, f"the focus entities are never mentioned in the same {level} as another entity.")
        tp = _focus_sorted(ctx, tp, then=["rank"]).reset_index(drop=True)
        tp.insert(1, "entity_name", tp["entity"].map(ctx.label))
        tp.insert(tp.columns.get_loc("partner") + 1, "partner_name", tp["partner"].map(ctx.label))
        pcols = ["entity_name", "rank", "partner_name", "n_ab", "n_partner", "npmi", "llr"]
        ctx.table(tp, "comention_top_partners", max_rows=3 * n_partners,
                  caption=f"Top partners by count ({level} windows)", columns=pcols)
        min_count = 5 if len(a) >= 500 else 2
        tpn = top_partners(co, focus=ctx.focus, n=n_partners, by="npmi", min_count=min_count)
        if len(tpn):
            tpn = _focus_sorted(ctx, tpn, then=["rank"]).reset_index(drop=True)
            tpn.insert(1, "entity_name", tpn["entity"].map(ctx.label))
            tpn.insert(tpn.columns.get_loc("partner") + 1, "partner_name", tpn["partner"].map(ctx.label))
            ctx.table(tpn, "comention_top_partners_npmi", max_rows=3 * n_partners,
                      caption=f"Top partners by NPMI (at least {min_count} shared {level}s)", columns=pcols)
        panel = tp.assign(panel=tp["entity_name"], name=tp["partner"].map(lambda e: ctx.label(e, False)))
        ctx.figure(P.barh_panels(panel, panel="panel", label="name", value="n_ab", max_bars=n_partners,
                                 title=f"Top co-mention partners (number of shared {level}s)",
                                 xlabel=f"{level}s"), "comention_top_partners")

        # heatmap: focus entities and their top partners
        partners: list[str] = []
        for f in ctx.focus:
            partners += [p for p in tp.loc[tp["entity"] == f, "partner"].head(4) if p not in partners]
        ents = [f for f in ctx.focus if f in set(co["entity_a"]) | set(co["entity_b"])]
        ents += [p for p in partners if p not in ents][: max(0, 16 - len(ents))]
        _need(len(ents) >= 2, "fewer than two entities to compare.")
        counts = comention_matrix(co, "n_ab", entities=ents)
        npmi = comention_matrix(co, "npmi", entities=ents)
        names = [ctx.label(e) for e in ents]
        tab = counts.copy()
        tab.index = pd.Index(ents, name="entity")
        tab.insert(0, "name", names)
        ctx.table(tab.reset_index(), "comention_matrix_counts", show=False)
        ctx.table(npmi.set_axis(ents, axis=0).rename_axis("entity").reset_index()
                  .pipe(lambda d: d.insert(1, "name", names) or d), "comention_matrix_npmi", show=False)
        shown = npmi.copy()
        shown.index, shown.columns = names, [ctx.label(e, False) for e in ents]
        ctx.figure(P.heatmap(shown, title=f"Association (NPMI) of the focus entities and their top partners, "
                                          f"{level} windows", fmt="{:.2f}", cmap="RdBu_r", center=0.0,
                             colorbar_label="NPMI (0 = independent)"),
                   "comention_heatmap_npmi")

        # network of the focus entities and their partners
        G = comention_graph(co, gazetteer=ctx.gaz, min_count=1)
        keep = set(ctx.focus) | set(tp["partner"])
        H = G.subgraph([n for n in G.nodes if n in keep]).copy()
        labels = {n: (ctx.label(n) if n in ctx.focus else ctx.label(n, False)) for n in H.nodes}
        ctx.figure(P.network(H, labels=labels, highlight=ctx.focus, seed=ctx.seed, edge_weight_attr="n_ab",
                             title=f"Co-mention network: focus entities (red) and their top partners "
                                   f"(edge width = shared {level}s)"), "comention_network")

    with ctx.section("Focus triangle"):
        _need(len(ctx.focus) >= 2, "the triangle needs at least two focus entities.")
        resolve = _resolve_for(ctx.focus)
        tri = focus_triangle(m, a, focus=ctx.focus, level=level, freq=ctx.freq, resolve=resolve,
                             windows=ctx.cache.get("windows") if level != "article" else None)
        tri.insert(1, "name", [_pair_label(ctx, x, y) for x, y in zip(tri["entity_a"], tri["entity_b"])])
        ctx.table(tri, "comention_triangle", show=False)
        d = _chart_periods(ctx, tri).copy()
        if ctx.display and len(d):
            _display_html(table_html(
                d[["name", "period", "n_ab", "n_a", "n_b", "n_windows", "share_ab", "npmi", "llr"]],
                max_rows=3 * 12, caption=(f"Pairs of focus entities by {_period_name(ctx.freq)} ({level} "
                                          "windows; every period and all columns in tables/comention_triangle.csv)")))
        _need(d["period"].nunique() >= 2, "fewer than two dated periods: no chart over time.")
        d["period"] = _period_ts(d["period"])
        d["label"] = d["name"]
        d["value"] = 1000.0 * d["share_ab"]
        ctx.figure(P.lines_over_time(d, title=f"Focus pairs mentioned together, per 1,000 {level}s, by "
                                              f"{_period_name(ctx.freq)}", ylabel=f"per 1,000 {level}s",
                                     event_date=ctx.event_date), "comention_triangle")

    with ctx.section("Example sentences"):
        examples_section(ctx)


def _pick_windows(ctx: ReportContext, x: str, y: str, level: str, resolve: str | None, n: int,
                  avoid: set | frozenset = frozenset()) -> pd.DataFrame:
    """Up to ``n`` windows where ``x`` and ``y`` are mentioned together, spread evenly over time
    (from articles not in ``avoid`` when there are enough of those).

    Chosen from the mentions table alone (cheap), so :func:`analysis.kwic` then only
    has to cut the text of these few windows out of their articles.
    """
    from analysis.comention import WINDOW_KEYS, resolve_entities

    keys = WINDOW_KEYS[level]
    m = ctx.mentions
    key = ("resolved", resolve)
    if key not in ctx.cache:
        ctx.cache[key] = resolve_entities(m, resolve).to_numpy(dtype=object)
    ent = ctx.cache[key]
    mm = m[keys].assign(article_id=m["article_id"].astype(str))
    wa = mm[ent == x].drop_duplicates()
    wb = mm[ent == y].drop_duplicates()
    win = wa.merge(wb, on=keys)
    if win.empty:
        return win
    fresh = win[~win["article_id"].isin(avoid)]
    if len(fresh) >= n:
        win = fresh
    pub = pd.Series(pd.to_datetime(ctx.articles["published"], utc=True, errors="coerce").to_numpy(),
                    index=ctx.articles["article_id"].astype(str))
    pub = pub[~pub.index.duplicated()]
    win = (win.assign(_pub=win["article_id"].map(pub))
           .sort_values(["_pub", *keys], kind="mergesort", na_position="last")
           .drop(columns="_pub").reset_index(drop=True))
    idx = sorted({round(i * (len(win) - 1) / max(n - 1, 1)) for i in range(min(n, len(win)))})
    return win.iloc[idx]


def examples_section(ctx: ReportContext, per_pair: int = 3) -> None:
    """Example sentences where two focus entities are mentioned together (escaped)."""
    from itertools import combinations

    from analysis.comention import WINDOW_KEYS
    from analysis.keywords import kwic

    level = "paragraph" if ctx.level == "paragraph" else "sentence"
    keys = WINDOW_KEYS[level]
    resolve = _resolve_for(ctx.focus)
    rows = []
    aid = ctx.articles["article_id"].astype(str)
    mid = ctx.mentions["article_id"].astype(str)
    used: set = set()
    for x, y in combinations(ctx.focus, 2):
        chosen = _pick_windows(ctx, x, y, level, resolve, per_pair, avoid=used)
        if chosen.empty:
            continue
        used |= set(chosen["article_id"])
        ids = set(chosen["article_id"])
        k = kwic(ctx.articles[aid.isin(ids)], ctx.mentions[mid.isin(ids)], x, y, level=level, resolve=resolve)
        if len(k) == 0:
            continue
        k = k.assign(article_id=k["article_id"].astype(str)).merge(chosen, on=keys)
        k.insert(0, "pair", f"{x}-{y}")
        rows.append(k)
    _need(len(rows) > 0, f"no {level} mentions two focus entities together.")
    ex = pd.concat(rows, ignore_index=True)
    titles = ctx.articles.drop_duplicates("article_id").set_index(ctx.articles["article_id"].drop_duplicates()
                                                                  .astype(str))["title"]
    ex.insert(ex.columns.get_loc("article_id") + 1, "title", ex["article_id"].astype(str).map(titles))
    save = ex.copy()
    for c in ("spans_a", "spans_b"):
        if c in save:
            save[c] = save[c].map(lambda v: " ".join(f"{int(s)}-{int(e)}" for s, e in (v or [])))
    ctx.table(save, "comention_examples", show=False)
    for pair, g in ex.groupby("pair", sort=False):
        x, y = pair.split("-", 1)
        ctx.html(f"<h4>{html_escape(_pair_label(ctx, x, y))}</h4>" + kwic_html(g, ctx))


def topics_section(ctx: ReportContext) -> None:
    """Topics: top terms, prevalence by focus entity, over time."""
    from analysis import plotting as P
    from analysis.topics import topic_prevalence, topics_over_time

    a, m = ctx.articles, ctx.mentions
    with ctx.section("Topics"):
        _need(ctx.k > 0, "topics were switched off (topics = 0).")
        n = len(a)
        _need(n >= 10, f"topic models need at least 10 articles; the corpus has {n}.")
        k = _topic_k(ctx)
        if k < ctx.k:
            ctx.note(f"The corpus has {n} articles: fitting {k} topics instead of {ctx.k}.")
        model = _background_result(ctx, "topics")
        if model is None:
            model = _fit_topic_model(ctx)
        if isinstance(model, str):
            raise NotEnoughData(model)
        ctx.cache["topic_model"] = model
        labels = model.labels(3)
        q = model.quality_
        terms = model.topics(10)
        qt = pd.DataFrame([{"topic": t["topic"], "label": t["label"], "npmi": t["npmi"],
                            "npmi_heldout": t["npmi_heldout"], "terms": " ".join(t["terms"])}
                           for t in q["topics"]])
        dom = topic_prevalence(model.doc_topics_, m.assign(_all="all"), by="_all")
        qt = qt.merge(dom[["topic", "mean_weight", "dominant_share"]], on="topic", how="left")
        def r3(v):
            return "n/a" if v is None else f"{v:.3f}"

        ctx.note(f"{q['method'].upper()} with {q['n_topics']} topics on {q['n_documents']} articles "
                 f"({q['n_heldout']} held out), vocabulary {q['n_vocabulary']} terms. Coherence (NPMI of the "
                 f"top 10 terms) {r3(q['npmi'])}, on held-out articles {r3(q['npmi_heldout'])}; "
                 f"diversity {r3(q['diversity'])}.")
        ctx.table(qt, "topics", max_rows=40, caption="Topics: label, coherence, top terms, prevalence")
        ctx.table(terms, "topic_terms", show=False)
        panel = terms.assign(panel=terms["topic"].map(lambda t: f"{t}: {labels[t]}"))
        ctx.figure(P.barh_panels(panel[panel["rank"] <= 8], panel="panel", label="term", value="weight",
                                 max_bars=8, title="Top terms of each topic", ncols=4), "topics_terms")

        resolve = _resolve_for(ctx.focus)
        by = "country" if resolve else "entity_id"
        prev = topic_prevalence(model.doc_topics_, m, by=by, entities=ctx.focus, labels=labels)
        if len(prev):
            prev.insert(1, "name", prev[by].map(ctx.label))
            ctx.table(prev, "topics_by_focus", show=False)
            wide = prev.pivot(index="topic", columns=by, values="mean_weight").reindex(
                columns=[f for f in ctx.focus if f in set(prev[by])])
            wide.columns = [f"mean weight: {ctx.label(c)}" for c in wide.columns]
            wide.insert(0, "label", [labels[t] for t in wide.index])
            wide.insert(1, "corpus mean", dom.set_index("topic")["mean_weight"].reindex(wide.index).to_numpy())
            if ctx.display:
                _display_html(table_html(wide.reset_index(), max_rows=k + 1, caption=(
                    "Topic prevalence among articles mentioning each focus entity "
                    "(all columns in tables/topics_by_focus.csv)")))
            mat = prev.pivot(index="topic", columns=by, values="mean_weight").reindex(
                columns=[f for f in ctx.focus if f in set(prev[by])])
            base = dom.set_index("topic")["mean_weight"]
            mat.index = [f"{t}: {labels[t]}" for t in mat.index]
            mat.columns = [ctx.label(c, False) for c in mat.columns]
            ratio = mat.div(base.to_numpy(), axis=0)
            with np.errstate(divide="ignore", invalid="ignore"):
                log_ratio = np.log2(ratio.astype(float))
            ctx.figure(P.heatmap(log_ratio, annot=ratio, title="Topics in articles mentioning each focus "
                                                               "entity (× the corpus mean)",
                                 fmt="×{:.2f}", cmap="PuOr_r", center=0.0,
                                 colorbar_label="log2 ratio to the corpus mean"), "topics_by_focus")
        else:
            ctx.note("No article mentions a focus entity: no prevalence by entity.")
        ot = topics_over_time(model.doc_topics_, a, freq="W" if ctx.freq == "W" else "MS")
        per_period = ot.drop_duplicates("period").set_index("period")["n_articles"]
        ot_chart = ot[ot["n_articles"] >= _min_chart_articles(per_period, len(a))]
        if ot_chart["period"].nunique() >= 2:
            ctx.table(ot, "topics_over_time", show=False)
            ot = ot_chart.assign(label=ot_chart["topic"].map(lambda t: f"{t}: {labels[t]}"),
                                 value=ot_chart["mean_weight"])
            ctx.figure(P.lines_over_time(ot, title=f"Topic prevalence by {_period_name(ctx.freq)} "
                                                   "(mean weight, the 8 largest topics)", ylabel="mean weight",
                                         max_series=8, event_date=ctx.event_date), "topics_over_time")
        else:
            ctx.note("Fewer than two dated periods: no topics over time.")


_BACKGROUND: dict[str, Any] = {}


def _topic_k(ctx: ReportContext) -> int:
    """Number of topics actually fitted: the parameter, at most one per 5 articles."""
    return min(ctx.k, max(2, len(ctx.articles) // 5))


def _fit_topic_model(ctx: ReportContext):
    """The report's topic model, or a message saying why it cannot be fitted."""
    from analysis.topics import fit_topics

    small = len(ctx.articles) < 1000
    try:
        return fit_topics(ctx.articles, k=_topic_k(ctx), method=ctx.method, random_state=ctx.seed,
                          **({"min_df": 2, "max_df": 0.6} if small else {}))
    except ValueError as exc:  # e.g. too few terms left after the document-frequency bounds
        return f"the topic model could not be fitted: {exc}"


def _keyness_tables(ctx: ReportContext, n_terms: int = 15) -> list:
    """keyness() of every focus entity: a list of (entity, DataFrame or error message)."""
    from analysis.keywords import keyness

    a, m = ctx.articles, ctx.mentions
    out = []
    for f in ctx.focus:
        try:
            out.append((f, keyness(a, m, f, resolve=_resolve_for(ctx.focus), n=n_terms,
                                   min_count=5 if len(a) >= 1000 else 2)))
        except ValueError as exc:
            out.append((f, str(exc)))
    return out


def _in_child(job: str):
    ctx = _BACKGROUND["ctx"]
    return _keyness_tables(ctx) if job == "keyness" else _fit_topic_model(ctx)


def start_background(ctx: ReportContext, min_articles: int = 2000) -> None:
    """Start the two slowest computations, the keyness tables and the topic model, in two forked
    worker processes while this one draws the other sections (nothing is copied up front);
    :func:`topics_section` and :func:`keyness_section` collect the results.

    Only for corpora of ``min_articles`` or more, only where ``fork`` exists, and only for the
    sections that will run; otherwise the sections compute their results themselves. The results
    are the same either way.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    n = 0 if ctx.articles is None else len(ctx.articles)
    if n < max(min_articles, 10):
        return
    if "fork" not in multiprocessing.get_all_start_methods():  # pragma: no cover - Windows
        return
    jobs = ["keyness"] + (["topics"] if ctx.k > 0 else [])
    _BACKGROUND["ctx"] = ctx
    pool = ProcessPoolExecutor(max_workers=len(jobs), mp_context=multiprocessing.get_context("fork"))
    ctx.cache["background"] = {"pool": pool, **{job: pool.submit(_in_child, job) for job in jobs}}


def _background_result(ctx: ReportContext, job: str):
    """The result of a background job, or None when there is none (or it failed: recompute)."""
    bg = ctx.cache.get("background")
    if not bg or job not in bg:
        return None
    future = bg.pop(job)
    try:
        return future.result()
    except Exception:  # the worker died: the caller computes the result itself
        return None
    finally:
        if not any(k != "pool" for k in bg):
            bg["pool"].shutdown(wait=False, cancel_futures=True)
            ctx.cache.pop("background", None)
            _BACKGROUND.pop("ctx", None)


def keyness_section(ctx: ReportContext, n_terms: int = 15) -> None:
    """Distinctive terms of the articles mentioning each focus entity (keyness)."""
    from analysis import plotting as P

    a = ctx.articles
    with ctx.section("Distinctive terms"):
        _need(len(a) >= 4, f"keyness needs a few articles on each side; the corpus has {len(a)}.")
        results = _background_result(ctx, "keyness")
        if results is None or n_terms != 15:  # the background job computes the default 15 terms
            results = _keyness_tables(ctx, n_terms)
        rows = []
        for f, k in results:
            if isinstance(k, str):
                ctx.note(f"{ctx.label(f)}: {k}")
                continue
            if len(k) == 0:
                continue
            k = k.head(n_terms).copy()
            k.insert(0, "entity", f)
            k.insert(1, "name", ctx.label(f))
            rows.append(k)
        _need(len(rows) > 0, "no focus entity has both articles that mention it and articles that do not.")
        kt = pd.concat(rows, ignore_index=True)
        ctx.table(kt, "keyness", show=False)
        if ctx.display:
            shown = kt.groupby("entity", sort=False).head(8)[
                ["name", "surface", "n_target", "n_reference", "per_10k_target", "per_10k_reference", "g2",
                 "log_ratio"]]
            _display_html(table_html(shown, max_rows=8 * len(ctx.focus), caption=(
                f"Most distinctive terms per focus entity, top 8 (top {n_terms} and all columns in "
                "tables/keyness.csv)")))
        ctx.figure(P.barh_panels(kt, panel="name", label="surface", value="g2", max_bars=n_terms,
                                 title="Distinctive terms of articles mentioning each focus entity "
                                       "(log-likelihood G²)", xlabel="G²"), "keyness")


def event_section(ctx: ReportContext) -> None:
    """Before and after the event date: change in share and in co-mention, with tests."""
    from analysis import plotting as P
    from analysis.compare import event_change

    with ctx.section("Before and after the event"):
        _need(ctx.event_date is not None, "no event date was given (parameter event_date).")
        a, m = ctx.articles, ctx.mentions
        pub = pd.to_datetime(a["published"], utc=True, errors="coerce")
        nb, na = int((pub < ctx.event_date).sum()), int((pub >= ctx.event_date).sum())
        _need(nb > 0 and na > 0, f"the corpus has {nb} dated articles before "
                                 f"{ctx.event_date:%Y-%m-%d} and {na} after it; both sides need some.")
        ev = event_change(m, a, ctx.event_date, focus=ctx.focus, level="article", resolve=_resolve_for(ctx.focus))
        ev.insert(1, "name", [ctx.label(x) if y is None or pd.isna(y) else _pair_label(ctx, x, y)
                              for x, y in zip(ev["entity_a"], ev["entity_b"])])
        ctx.note(f"Event date {ctx.event_date:%Y-%m-%d}: {nb} article(s) before, {na} at or after it. "
                 "Share = share of articles mentioning the entity (or both entities of a pair); Cohen's h: "
                 "0.2 small, 0.5 medium, 0.8 large.")
        ctx.table(ev, "event_change", caption="Before vs after the event date",
                  columns=["measure", "name", "k_before", "n_before", "p_before", "k_after", "n_after", "p_after",
                           "cohen_h", "test", "p_value"])
        long = pd.concat([
            ev.assign(label="before", share=ev["p_before"], lo=np.nan, hi=np.nan),
            ev.assign(label="after", share=ev["p_after"], lo=np.nan, hi=np.nan),
        ], ignore_index=True)
        from analysis.compare import wilson_interval

        for side in ("before", "after"):
            sel = long["label"] == side
            lo, hi = wilson_interval(long.loc[sel, f"k_{side}"], long.loc[sel, f"n_{side}"])
            long.loc[sel, "lo"], long.loc[sel, "hi"] = lo, hi
        long["group"] = long["name"]
        ctx.figure(P.share_by_group(long, group="group", series="label", y="share", lo="lo", hi="hi",
                                    title=f"Share of articles before and after {ctx.event_date:%Y-%m-%d} "
                                          "(95% interval)"), "event_change")


def methods_section(ctx: ReportContext) -> None:
    """Methods and limitations: matching accuracy measured on the gold set."""
    if ctx.gaz is not None and getattr(ctx.gaz, "entities", None) is not None:
        ents = ctx.gaz.entities
        by_type = ents["type"].value_counts().sort_index()
        ctx.note(f"Gazetteer: {len(ents)} entities (" + ", ".join(f"{n} {t}" for t, n in by_type.items())
                 + ")" + (f", with your additions from {', '.join(ctx.gazetteer_files)}" if ctx.gazetteer_files
                          else "") + ".")
    acc = matching_accuracy()
    if acc is None:
        ctx.note("The matcher's accuracy table was not found in this installation.")
        return
    df, source = acc
    ctx.note(source)
    ctx.table(df, "matching_accuracy", caption="Entity matching: precision, recall and F1 on the gold set")


def matching_accuracy() -> tuple[pd.DataFrame, str] | None:
    """The entity matcher's measured accuracy on the gold set, when a results file is available.

    Looks for a JSON file written by the gold evaluation (``benchmarks/eval_mentions.py``):
    package data ``analysis/data/*accuracy*.json`` / ``*eval*.json``, then a checkout's
    ``benchmarks/gold/*.json`` and ``benchmarks/results/*mentions*.json``. Returns a
    table (split, target, precision, recall, f1, ...) and the file name, or None.
    """
    cands: list[Path] = []
    try:
        nbdir = Path(str(importlib.resources.files("analysis") / "notebooks"))
        cands += sorted(nbdir.glob("*accuracy*.json"))
        data = Path(str(importlib.resources.files("analysis") / "data"))
        cands += sorted(data.glob("*accuracy*.json")) + sorted(data.glob("*eval*.json"))
    except Exception:  # pragma: no cover
        pass
    repo = Path(__file__).resolve().parents[2]
    cands += sorted((repo / "benchmarks" / "gold").glob("*.json"))
    cands += sorted((repo / "benchmarks" / "results").glob("*mention*.json"))
    for path in cands:
        try:
            obj = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        df = _accuracy_frame({k: v for k, v in obj.items() if k != "errors"} if isinstance(obj, dict) else obj)
        if df is not None and len(df):
            desc = path.name
            if isinstance(obj, dict) and obj.get("about"):
                desc = f"{obj['about']} ({path.name})"
            elif isinstance(obj, dict) and obj.get("split"):
                desc += f", split {obj['split']}, {obj.get('n_sentences', '?')} sentences"
            return df, desc
    return None


def _accuracy_frame(obj: Any) -> pd.DataFrame | None:
    """Flatten {split: {target: {precision, recall, f1, ...}}} (or one level less) into rows."""
    rows = []

    def walk(node, path):
        if isinstance(node, dict) and {"precision", "recall"} & set(node):
            row = {"scope": " / ".join(path)}
            row.update({k: v for k, v in node.items() if isinstance(v, (int, float, str)) and not isinstance(v, bool)})
            rows.append(row)
            return
        if isinstance(node, dict):
            for k in sorted(node, key=str):
                walk(node[k], path + [str(k)])
        elif isinstance(node, list):
            for i, v in enumerate(node):
                name = v.get("target") or v.get("name") or str(i) if isinstance(v, dict) else str(i)
                walk(v, path + [str(name)])

    walk(obj, [])
    if not rows:
        return None
    df = pd.DataFrame(rows)
    first = ["scope"] + [c for c in ("precision", "recall", "f1") if c in df.columns]
    return df[first + [c for c in df.columns if c not in first]]
