"""Rebuild this held-out quote/speaker gold set (FIFTH set, ids h4-...) from the ANT corpus.

The loader of ``../quotes_heldout/rebuild.py`` (same columns, checks and CLI), reading this folder's
``labels.csv``::

    python rebuild.py [--corpus PATH] [--split dev|test] [--id h4-001] [--limit N] [--summary] [--check-loader]
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location(f"_quote_gold_rebuild_{HERE.name}",
                                               HERE.parent / "quotes_heldout" / "rebuild.py")
_base = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_base)  # this folder's own copy of the module: its LABELS is this folder's
_base.LABELS = LABELS = HERE / "labels.csv"

find_corpus, load_gold, check_loader, summary, main = (
    _base.find_corpus, _base.load_gold, _base.check_loader, _base.summary, _base.main)

if __name__ == "__main__":
    sys.exit(main())
