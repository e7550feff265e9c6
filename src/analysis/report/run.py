"""Running a report: parameters checked, outputs guarded, papermill, HTML export, manifest.

:func:`run_report` checks every parameter (:func:`analysis.report.params.validate_params`)
and the output folder (:func:`analysis.report.outputs.check_report_folder`) before any work
starts, loads the corpus once to check the filters against it, runs the notebook with
papermill in a kernel that dies with this process (:mod:`analysis.report.kernel`), exports a
self-contained HTML page, writes the manifest and swaps the finished report into place.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import importlib.metadata
import importlib.resources
import json
import os
import platform
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Sequence

from analysis.report.errors import ParameterError, ReportError, ReportInterrupted
from analysis.report.params import (
    DEFAULT_PARAMS, notebook_parameters, notebook_values, rename_deprecated, validate_params,
)

_PACKAGES = (
    "analysis", "numpy", "pandas", "scipy", "scikit-learn", "matplotlib", "networkx",
    "pyahocorasick", "camel-tools", "PyYAML", "pyarrow", "stopwordsiso", "papermill",
    "nbconvert", "nbformat", "nbclient", "ipykernel", "fontpkg-noto-sans-arabic",
)
#: manifest format marker: a folder whose manifest has this key was written by run_report
MANIFEST_MARKER = "analysis_report"


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


def _hash_inputs(files: list[Path]) -> list[dict]:
    return [{"path": str(f), "sha256": _sha256(f), "bytes": f.stat().st_size} for f in files]


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

def _kernel_manager_class(quiet: bool = False, started: list | None = None):
    """A kernel manager that runs the kernel on *this* interpreter, dying with this process.

    A ``python3`` kernelspec found first on the Jupyter path (e.g. a user's own,
    pointing at another Python) would run the notebook without this package;
    the report always runs in the interpreter that runs :func:`run_report`, through
    :mod:`analysis.report.kernel` (the kernel and what it forks die when this process dies).
    ``quiet``: the kernel's own stderr (start-up warnings) is not shown. ``started``: a list
    that receives each kernel manager once its kernel runs (to kill it on a signal).
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
                    argv=[sys.executable, "-m", "analysis.report.kernel", "-f", "{connection_file}"],
                    display_name="Python 3 (ipykernel)",
                    language="python",
                    name="python3",
                )
            return self._kernel_spec

        async def start_kernel(self, **kw):  # type: ignore[override]
            if quiet:
                kw.setdefault("stderr", subprocess.DEVNULL)
            result = await super().start_kernel(**kw)
            if started is not None:
                started.append(self)
            return result

    return ThisPythonKernelManager


def _kill_kernels(managers: list) -> None:
    """Kill each kernel's process group (the kernel and the workers it forked) and reap it."""
    for km in managers:
        prov = getattr(km, "provisioner", None)
        pgid, proc = getattr(prov, "pgid", None), getattr(prov, "process", None)
        try:
            if pgid and hasattr(os, "killpg") and pgid != os.getpgrp():
                os.killpg(pgid, signal.SIGKILL)
            elif proc is not None:
                proc.kill()
        except (ProcessLookupError, PermissionError, OSError):
            pass
        if proc is not None:
            with contextlib.suppress(Exception):
                proc.wait(timeout=5)


@contextlib.contextmanager
def _stop_on_signals(managers: list):
    """While the report runs: SIGINT, SIGTERM and SIGHUP kill the kernels and raise
    :class:`ReportInterrupted` (the caller's cleanup then removes the temporary folder).
    Only in the main thread (where Python delivers signals); elsewhere nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    wanted = [s for s in (getattr(signal, n, None) for n in ("SIGINT", "SIGTERM", "SIGHUP")) if s is not None]
    previous = {}

    def handler(signum, frame):
        for s in wanted:  # a second signal while cleaning up is ignored
            with contextlib.suppress(ValueError, OSError):
                signal.signal(s, signal.SIG_IGN)
        _kill_kernels(managers)
        raise ReportInterrupted(signum)

    for s in wanted:
        previous[s] = signal.getsignal(s)
        if previous[s] is signal.SIG_IGN and s != signal.SIGINT:  # e.g. nohup: keep ignoring SIGHUP
            continue
        signal.signal(s, handler)
    try:
        yield
    finally:
        for s, h in previous.items():
            with contextlib.suppress(ValueError, OSError, TypeError):
                signal.signal(s, h if h is not None else signal.SIG_DFL)


# --------------------------------------------------------------------------- notebook helpers

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


# --------------------------------------------------------------------------- HTML

#: the lab template without the scripts it loads from CDNs (require.js, MathJax, mermaid, widgets)
_SELF_CONTAINED_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""


def _is_remote(url: str | None) -> bool:
    return bool(url) and bool(re.match(r"\s*(?:https?:)?//", url, re.I))


def external_resources(page: str) -> list[str]:
    """What an HTML page would load from elsewhere when opened: scripts, stylesheets, fonts,
    images or frames with an ``http(s)://`` or ``//`` address, ``@import``/``url()`` of remote
    files in styles, and ``import`` of remote modules in scripts."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, features="html.parser")
    found = []
    for tag in soup.find_all(["script", "img", "iframe", "embed", "source", "audio", "video"], src=True):
        if _is_remote(tag["src"]):
            found.append(f"<{tag.name} src={tag['src']}>")
    for tag in soup.find_all("link", href=True):
        if _is_remote(tag["href"]):
            found.append(f"<link href={tag['href']}>")
    for tag in soup.find_all("style"):
        for url in re.findall(r"(?:@import\s+(?:url\()?|url\()\s*['\"]?((?:https?:)?//[^'\")\s]+)", tag.get_text()):
            found.append(f"style: {url}")
    for tag in soup.find_all("script"):
        for url in re.findall(r"""(?:\bimport\s*\(?|\bfrom)\s*['"]((?:https?:)?//[^'"]+)""", tag.get_text()):
            found.append(f"script import: {url}")
    return found


def _finish_page(page: str) -> str:
    """Write every ``$`` of the page's text and attributes as ``&#36;`` (scripts and styles untouched)
    and drop anything that would still load from elsewhere.

    nbconvert re-serializes its HTML with BeautifulSoup, which turns the ``&#36;`` of our outputs back
    into ``$``; MathJax (if a reader's browser had it) would then read ``$...$`` in an outlet name or a
    title as math.
    """
    from bs4 import BeautifulSoup
    from bs4.dammit import EntitySubstitution
    from bs4.formatter import HTMLFormatter

    soup = BeautifulSoup(page, features="html.parser")
    for tag in soup.find_all(["script", "link"]):
        url = tag.get("src") if tag.name == "script" else tag.get("href")
        if _is_remote(url) or (tag.name == "script" and tag.get("type") == "text/x-mathjax-config"):
            tag.decompose()
    formatter = HTMLFormatter(
        entity_substitution=lambda s: EntitySubstitution.substitute_xml(s).replace("$", "&#36;"))
    return soup.decode(formatter=formatter)


def export_html(notebook: str | os.PathLike, html_path: str | os.PathLike) -> Path:
    """Export an executed notebook to a self-contained HTML page without code cells.

    Inputs and prompts are hidden; the page loads no script, stylesheet or font from elsewhere
    (the lab template's require.js, MathJax and mermaid scripts are left out), so it opens
    offline and tells no server that it was opened. Written atomically.
    """
    import jinja2
    import nbformat
    from nbconvert import HTMLExporter

    from analysis.report.outputs import atomic_path

    nb = nbformat.read(str(notebook), as_version=4)
    for cell in nb.cells:  # warnings on stderr stay in report.ipynb, not in the reader's HTML
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if not (o.output_type == "stream" and o.name == "stderr")]
    # Every output of the report is built by this package, which escapes all corpus text itself
    # (html_escape), so nbconvert's sanitizer is not needed.
    exporter = HTMLExporter(template_name="lab", template_file="analysis_report.html.j2",
                            extra_loaders=[jinja2.DictLoader({"analysis_report.html.j2": _SELF_CONTAINED_TEMPLATE})],
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                            sanitize_html=False)
    first = next((c.source for c in nb.cells if c.cell_type == "markdown"), "")
    title = next((ln.lstrip("# ").strip() for ln in first.splitlines() if ln.startswith("#")), "")
    if title:
        nb.metadata["title"] = title  # the page's <title> instead of the file name
    nb.metadata.pop("widgets", None)
    body, _ = exporter.from_notebook_node(nb)
    body = _finish_page(body)
    with atomic_path(html_path) as tmp:
        tmp.write_text(body, encoding="utf-8")
    return Path(html_path)


# --------------------------------------------------------------------------- run

def _nothing_loaded(articles) -> str:
    from analysis.report.errors import nothing_loaded_message

    return nothing_loaded_message(articles.attrs.get("skipped"))


def _read_counts(summary_file: Path) -> dict[str, Any]:
    import pandas as pd

    counts: dict[str, Any] = {}
    if summary_file.is_file():
        s = pd.read_csv(summary_file, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        for k, v in zip(s["measure"], s["value"]):
            counts[k] = int(v) if re.fullmatch(r"-?\d+", v) else v
    return counts


def run_report(
    paths: Sequence[str | os.PathLike] | str | os.PathLike | None = None,
    out: str | os.PathLike = "reports/report",
    *,
    notebook: str | os.PathLike | None = None,
    overwrite: bool = True,
    progress: bool = True,
    timeout: int | None = None,
    skipped: str | os.PathLike | None = None,
    option_names: bool = False,
    **params: Any,
) -> Path:
    """Run the coverage report (or your own notebook) on a corpus and write it into the folder ``out``.

    Parameters
    ----------
    paths : corpus files, directories or glob patterns (``None``: the sample corpus).
    out : the report folder. It may be new, empty, or hold a previous report of this package
        (replaced, once the new report is complete, unless ``overwrite=False``); anything else
        is refused before any work starts (:class:`~analysis.report.errors.OutputError`).
    notebook : your own notebook (it needs a cell tagged ``parameters``), run with the same
        parameters, checks and manifest instead of the shipped ``coverage_report.ipynb``.
    skipped : also write the loader's skipped records (source_file, line, reason) to this file.
    option_names : name parameters by their command-line options in messages (``--k``).
    **params : the report's parameters (:data:`~analysis.report.params.PARAMETERS`): ``focus``
        ("RUS,SYR,IRN" or a list), ``start``, ``end``, ``outlets``, ``categories``,
        ``exclude_categories``, ``dedup``, ``fields``, ``tz``, ``gazetteer``, ``level``
        (sentence, paragraph, article), ``freq`` (auto, D, W, M, Q, Y or day ... year), ``k``
        (topics, 0 to skip; ``topics`` is its deprecated name), ``method`` (nmf, lda),
        ``event_date``, ``seed``, ``resolve`` (country or none), ``csv_safe``, ``keyness_reference``
        (rest, focus or a corpus path).

    Every parameter is checked before the notebook starts (the filters and the event date
    against the corpus, loaded once for that): a bad one raises
    :class:`~analysis.report.errors.ParameterError`. Returns the report folder. Raises
    :class:`ReportError` (naming the failing cell and its cause) when the notebook fails, and
    :class:`~analysis.report.errors.ReportInterrupted` on SIGINT/SIGTERM/SIGHUP (the kernel and
    its workers are killed); either way nothing is left behind and a previous report is untouched.
    """
    from analysis.report.outputs import (
        ReportFolder, check_output_file, check_report_folder, clean_leftovers, corpus_inputs, has_magic,
    )
    from analysis.report.export import write_skipped

    t0 = time.perf_counter()
    style = "cli" if option_names else "api"
    for internal in ("corpus", "out_dir"):
        if internal in params:
            raise TypeError(f"run_report() sets {internal!r} itself: give the corpus as `paths` and the "
                            "folder as `out`")
    params = rename_deprecated(params, style)
    unknown = sorted(set(params) - set(DEFAULT_PARAMS))
    if unknown:
        import difflib

        hints = [f"{u} (did you mean {m[0]}?)" if (m := difflib.get_close_matches(u, list(DEFAULT_PARAMS), 1))
                 else u for u in unknown]
        raise TypeError(f"unknown report parameter(s): {', '.join(hints)}; "
                        f"known: {', '.join(k for k in DEFAULT_PARAMS if k not in ('corpus', 'out_dir'))}")
    if paths is not None and isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = list(paths) if paths else None

    # -- everything that needs no corpus: parameters, notebook, inputs, outputs
    values = validate_params(params, style=style)
    if notebook is not None:
        nb_src = Path(os.path.expanduser(os.fspath(notebook))).resolve()
        if not nb_src.is_file():
            raise ParameterError(f"--notebook {notebook}: no such file")
    else:
        nb_src = notebook_path("coverage_report")
    declared = list(notebook_parameters(nb_src))
    files, folders = corpus_inputs(paths)
    gaz_files = _gazetteer_files(values["gazetteer"])
    inputs = [*files, *folders, *gaz_files, nb_src]
    target = check_report_folder(out, inputs=inputs, overwrite=overwrite)
    skipped_path = check_output_file(skipped, inputs=inputs, input_folders=folders) if skipped else None
    if skipped_path is not None and (skipped_path == target or target in skipped_path.parents):
        raise ParameterError(f"--skipped {skipped} is inside the report folder {target}: write it elsewhere")
    clean_leftovers(target.parent)
    input_items = _hash_inputs(files)  # before the run: what it reads, not what is there afterwards

    # -- the corpus, loaded once without the filters, to check them
    # (engine dask: not here, the corpus may not fit; the kernel reads it on the cluster and fails
    # with a message when the filters leave nothing)
    from analysis.io.load import load_corpus

    skipped_table = None
    if values.get("engine") == "dask":
        if skipped_path is not None:
            raise ParameterError(f"--skipped {skipped}: not with --engine dask (the report's "
                                 "tables/corpus_skipped_records.csv lists the skipped records)")
    else:
        try:  # warn=False: the report lists what was skipped (no process-global warning filter)
            raw = load_corpus(paths, fields=values["fields"] or None, tz=values["tz"], dedup=False,
                              progress=progress, warn=False)
        except (FileNotFoundError, ValueError) as exc:
            raise ParameterError(str(exc)) from None
        if len(raw) == 0:
            raise ReportError(_nothing_loaded(raw))
        values = validate_params(values, articles=raw, style=style)
        read = raw.attrs.get("inputs")
        if isinstance(read, list) and read and all(isinstance(i, dict) and "sha256" in i for i in read):
            input_items = [dict(i) for i in read]  # hashed by the loader while it read them
        skipped_table = raw.attrs.get("skipped")
        del raw

    values["corpus"] = ",".join(os.fspath(p) if has_magic(os.fspath(p)) else str(Path(p).expanduser().resolve())
                                for p in (paths or []))
    values["out_dir"] = "."
    t_checked = time.perf_counter() - t0

    import nbformat
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    folder = ReportFolder(target)
    tmp = folder.folder
    kernels: list = []
    try:
        (tmp / "tables").mkdir()
        (tmp / "figures").mkdir()
        nb_out = tmp / "report.ipynb"
        t1 = time.perf_counter()
        with _stop_on_signals(kernels):
            try:
                pm.execute_notebook(
                    str(nb_src),
                    str(nb_out),
                    parameters=notebook_values(values, declared),
                    kernel_name="python3",
                    progress_bar=progress,
                    log_output=False,
                    cwd=str(tmp),
                    execution_timeout=timeout,
                    kernel_manager_class=_kernel_manager_class(quiet=not progress, started=kernels),
                )
            except PapermillExecutionError as exc:
                section = "?"
                with contextlib.suppress(Exception):
                    section = _cell_section(nbformat.read(str(nb_out), as_version=4), exc.cell_index)
                first = next((ln for ln in (exc.source or "").splitlines() if ln.strip()), "")
                raise ReportError(
                    f"report notebook failed in cell {exc.cell_index} (section {section!r}, "
                    f"code: {first.strip()[:120]!r}): {exc.ename}: {exc.evalue}"
                ) from None
            except (KeyboardInterrupt, SystemExit):
                raise
            except Exception as exc:  # the kernel died, a cell timed out, the kernel could not start...
                where = ""
                with contextlib.suppress(Exception):  # nbclient's message previews the cell: find it
                    source_nb = nbformat.read(str(nb_src), as_version=4)
                    text = str(exc)
                    for i, cell in enumerate(source_nb.cells):
                        lines = [ln for ln in cell.source.splitlines() if ln.strip()]
                        if cell.cell_type == "code" and lines and all(ln in text for ln in lines[:3]):
                            where = f" in the cell of section {_cell_section(source_nb, i)!r}"
                            break
                raise ReportError(f"report notebook could not run{where}: {type(exc).__name__}: {exc}") from exc
            finally:
                _kill_kernels([km for km in kernels if _kernel_alive(km)])
            t_exec = time.perf_counter() - t1
            t2 = time.perf_counter()
            export_html(nb_out, tmp / "report.html")
            t_export = time.perf_counter() - t2

            nb = nbformat.read(str(nb_out), as_version=4)
            from analysis.report.outputs import report_files

            engine_file = tmp / "engine.json"  # written by the kernel on Dask (workers, partitions, sample)
            engine = {"engine": values.get("engine", "memory")}
            if engine_file.is_file():
                engine.update(json.loads(engine_file.read_text(encoding="utf-8")))
                engine_file.unlink()

            manifest = {
                MANIFEST_MARKER: 1,
                "report": nb_src.stem,
                "notebook": {"path": str(nb_src), "sha256": _sha256(nb_src), "shipped": notebook is None},
                "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
                "corpus_sha256": corpus_hash(input_items),
                "inputs": input_items,
                "gazetteer": [{"path": str(f), "sha256": _sha256(f)} for f in gaz_files if f.is_file()],
                "git": _git_commit(),
                "parameters": {k: v for k, v in values.items() if k != "out_dir"},
                "k": values["k"],
                "engine": engine,
                "resolve": values["resolve"],
                "versions": _versions(),
                "counts": _read_counts(tmp / "tables" / "corpus_summary.csv"),
                "tables": sorted(p.name for p in (tmp / "tables").glob("*.csv")),
                "figures": sorted(p.name for p in (tmp / "figures").glob("*.png")),
                "files": sorted({*report_files(tmp), "manifest.json"}),
                "timings_s": {
                    "checks": round(t_checked, 3),
                    "execute": round(t_exec, 3),
                    "export_html": round(t_export, 3),
                    "sections": _section_timings(nb),
                },
            }
            manifest["timings_s"]["total"] = round(time.perf_counter() - t0, 3)
            (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                               encoding="utf-8")
            out_path = folder.commit()
            if skipped_path is not None and skipped_table is not None:
                write_skipped(skipped_table, skipped_path, csv_safe=values["csv_safe"])
    finally:
        folder.discard()
    return out_path


def _kernel_alive(km) -> bool:
    proc = getattr(getattr(km, "provisioner", None), "process", None)
    return proc is not None and proc.poll() is None
