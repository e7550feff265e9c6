"""Provenance helpers shared by loading and reporting.

:func:`is_report_folder` recognizes a folder written by ``analysis report``
(by its ``manifest.json``), so that a report is never read back as corpus
input and only a previous report may be replaced by a new one.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

#: file name of a report's manifest
MANIFEST_NAME = "manifest.json"


def is_report_folder(path: str | os.PathLike) -> bool:
    """True when ``path`` is a folder holding a manifest written by this package's report.

    The manifest must be a JSON object with ``corpus_sha256``, ``parameters`` and
    ``versions`` keys, ``versions`` naming the ``analysis`` package.
    """
    manifest = Path(path) / MANIFEST_NAME
    try:
        if not manifest.is_file() or manifest.stat().st_size > 16 * 2**20:
            return False
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (isinstance(data, dict) and "corpus_sha256" in data and "parameters" in data
            and isinstance(data.get("versions"), dict) and "analysis" in data["versions"])
