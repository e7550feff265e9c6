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

Modules: ``params`` (the parameter schema, defaults and validation), ``run`` (papermill,
export, manifest), ``outputs`` (output folders and files that never destroy), ``workers``
(child processes that die with their parent), ``kernel`` (the notebook's kernel), ``export``
(spreadsheet-safe CSV), ``context`` (:class:`ReportContext`: data and output helpers the
notebook works with), ``sections`` (one function per report section), ``html`` (escaping and
table formatting), ``errors``.

Names are imported on first use, so the command line can read the parameter schema without
loading pandas.
"""
from __future__ import annotations

import importlib

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
    "ReportContext": "analysis.report.context",
    "start_background": "analysis.report.sections", "parameters_section": "analysis.report.sections",
    "corpus_section": "analysis.report.sections", "coverage_section": "analysis.report.sections",
    "comention_section": "analysis.report.sections", "examples_section": "analysis.report.sections",
    "topics_section": "analysis.report.sections", "keyness_section": "analysis.report.sections",
    "event_section": "analysis.report.sections", "methods_section": "analysis.report.sections",
    # helpers
    "corpus_summary": "analysis.report.sections", "matching_accuracy": "analysis.report.sections",
    "kwic_html": "analysis.report.sections",
    "entity_label": "analysis.report.html", "html_escape": "analysis.report.html",
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
