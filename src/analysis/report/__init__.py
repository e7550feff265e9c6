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

The notebook reads like an analysis: each section is a call that returns a
:class:`SectionResult` (tables, figures, notes) to inspect and reuse, which
shows itself as a cell's last expression; :meth:`ReportContext.save` writes it
into the report folder::

    import analysis.report as R
    ctx = R.ReportContext(corpus="data/sample", event_date="2024-12-08").load()
    cov = R.coverage_section(ctx)
    cov.tables["by_period"].head()

Modules: ``params`` (the parameters and defaults), ``run`` (papermill, export,
manifest), ``context`` (:class:`ReportContext`: parameters, data, the report
folder, worker processes), ``sections`` (one function per report section),
``results`` (:class:`SectionResult`), ``html`` (escaping and table
formatting), ``errors``.
"""
from analysis.plotting import entity_label
from analysis.report.context import ReportContext
from analysis.report.errors import NotEnoughData, ReportError
from analysis.report.html import format_table, html_escape, table_html, write_table
from analysis.report.params import DEFAULT_PARAMS
from analysis.report.results import SectionResult
from analysis.report.run import export_html, notebook_path, run_report
from analysis.report.sections import (
    TABLE_COLUMNS, comention_section, corpus_section, corpus_summary, coverage_section, crawl_dates,
    event_section, examples_section, keyness_section, kwic_html, matching_accuracy, methods_section,
    parameters_section, prefetch, reason_kind, skipped_kinds, topics_section,
)

__all__ = [
    # running a report
    "run_report", "export_html", "notebook_path", "DEFAULT_PARAMS", "ReportError", "NotEnoughData",
    # what the notebook calls
    "ReportContext", "SectionResult", "TABLE_COLUMNS", "prefetch", "parameters_section", "corpus_section",
    "coverage_section", "comention_section", "examples_section", "topics_section", "keyness_section",
    "event_section", "methods_section",
    # helpers
    "corpus_summary", "crawl_dates", "skipped_kinds", "reason_kind", "matching_accuracy", "entity_label",
    "html_escape", "table_html", "kwic_html", "format_table", "write_table",
]
