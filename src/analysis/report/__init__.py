"""The coverage report: a parameterized notebook run by papermill, exported to HTML.

:func:`run_report` executes the report notebook shipped with the package
(``analysis/notebooks/coverage_report.ipynb``) with papermill and writes, into
its own folder::

    reports/NAME/
        report.ipynb      the executed notebook
        report.html       HTML export without code cells (self-contained: loads nothing from elsewhere)
        tables/*.csv      every table the report shows (byte-identical across runs)
        figures/*.png     every figure
        manifest.json     input hashes, gazetteer hash, git commit, parameters,
                          package versions, corpus counts, timings

The notebook reads like an analysis: each section is a call that returns a
:class:`SectionResult` (tables, figures, notes) to inspect and reuse, which
shows itself as a cell's last expression; :meth:`ReportContext.save` writes it
into the report folder::

    import analysis.report as R
    ctx = R.ReportContext(corpus="data/sample", event_date="2024-12-08").load()
    cov = R.coverage_section(ctx)
    cov.tables["by_period"].head()

Modules: ``params`` (the parameter schema, defaults and validation), ``run`` (papermill,
export, manifest), ``outputs`` (output folders and files that never destroy), ``workers``
(child processes that die with their parent), ``kernel`` (the notebook's kernel), ``export``
(spreadsheet-safe CSV), ``context`` (:class:`ReportContext`: parameters, data, the report
folder, worker processes), ``sections`` (one function per report section), ``results``
(:class:`SectionResult`), ``html`` (escaping and table formatting), ``errors``.

Names are imported on first use, so the command line can read the parameter schema without
loading pandas.
"""
from __future__ import annotations

import importlib

_SECTIONS = "analysis.report.sections"

# public name -> module that defines it
_EXPORTS = {
    # running a report
    "run_report": "analysis.report.run", "export_html": "analysis.report.run",
    "notebook_path": "analysis.report.run",
    "DEFAULT_PARAMS": "analysis.report.params", "PARAMETERS": "analysis.report.params",
    "Param": "analysis.report.params", "validate_params": "analysis.report.params",
    "parameters_cell": "analysis.report.params",
    "ReportError": "analysis.report.errors", "NotEnoughData": "analysis.report.errors",
    "ParameterError": "analysis.report.errors", "OutputError": "analysis.report.errors",
    "ReportInterrupted": "analysis.report.errors",
    "run_in_child": "analysis.report.workers", "write_csv": "analysis.report.export",
    # what the notebook calls
    "ReportContext": "analysis.report.context", "SectionResult": "analysis.report.results",
    **{name: _SECTIONS for name in (
        "TABLE_COLUMNS", "prefetch", "parameters_section", "corpus_section", "coverage_section",
        "comention_section", "examples_section", "topics_section", "keyness_section", "event_section",
        "voices_section", "findings_section", "glossary_section",
        "methods_section", "corpus_summary", "crawl_dates", "skipped_kinds", "reason_kind",
        "matching_accuracy", "kwic_html")},
    # helpers
    "entity_label": "analysis.plotting", "html_escape": "analysis.report.html",
    "table_html": "analysis.report.html", "format_table": "analysis.report.html",
    "write_table": "analysis.report.html",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'analysis.report' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
