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

Modules: ``params`` (the parameters and defaults), ``run`` (papermill, export,
manifest), ``context`` (:class:`ReportContext`: data and output helpers the
notebook works with), ``sections`` (one function per report section),
``html`` (escaping and table formatting), ``errors``.
"""
from analysis.report.context import ReportContext
from analysis.report.errors import NotEnoughData, ReportError
from analysis.report.html import entity_label, format_table, html_escape, table_html, write_table
from analysis.report.params import DEFAULT_PARAMS
from analysis.report.run import export_html, notebook_path, run_report
from analysis.report.sections import (
    comention_section, corpus_section, corpus_summary, coverage_section, event_section, examples_section,
    keyness_section, kwic_html, matching_accuracy, methods_section, parameters_section, start_background,
    topics_section,
)

__all__ = [
    # running a report
    "run_report", "export_html", "notebook_path", "DEFAULT_PARAMS", "ReportError", "NotEnoughData",
    # what the notebook calls
    "ReportContext", "start_background", "parameters_section", "corpus_section", "coverage_section",
    "comention_section", "examples_section", "topics_section", "keyness_section", "event_section",
    "methods_section",
    # helpers
    "corpus_summary", "matching_accuracy", "entity_label", "html_escape", "table_html", "kwic_html",
    "format_table", "write_table",
]
