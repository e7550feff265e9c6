"""Rebuild this held-out quote/speaker gold set (FOURTH set, ids h3-...) from the ANT corpus.

The loader of ``../quotes_heldout/rebuild.py`` (same columns, checks and CLI; ``for_folder``), reading this
folder's ``labels.csv``::

    python rebuild.py [--corpus PATH] [--split dev|test] [--id h3-001] [--limit N] [--summary] [--check-loader]
"""
import importlib.util
import sys
from pathlib import Path

_spec = importlib.util.spec_from_file_location("_quote_gold_rebuild_base",
                                               Path(__file__).resolve().parent.parent / "quotes_heldout" / "rebuild.py")
_spec.loader.exec_module(_base := importlib.util.module_from_spec(_spec))
_here = _base.for_folder(Path(__file__).resolve().parent)
LABELS, find_corpus, load_gold, check_loader, summary, main = (
    _here.LABELS, _here.find_corpus, _here.load_gold, _here.check_loader, _here.summary, _here.main)

if __name__ == "__main__":
    sys.exit(main())
