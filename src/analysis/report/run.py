"""Running a report: papermill, HTML export, manifest, atomic output."""
from __future__ import annotations

import datetime as _dt
import hashlib
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
from typing import Any, Sequence

import pandas as pd

from analysis.report.errors import ReportError
from analysis.report.params import DEFAULT_PARAMS

_PACKAGES = (
    "analysis", "numpy", "pandas", "scipy", "scikit-learn", "matplotlib", "networkx",
    "pyahocorasick", "camel-tools", "PyYAML", "pyarrow", "stopwordsiso", "papermill",
    "nbconvert", "nbformat", "nbclient", "ipykernel", "fontpkg-noto-sans-arabic",
)




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
    from analysis.io.load import corpus_files

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
