"""Rebuild this held-out quote/speaker gold set (SEVENTEENTH set, ids h16-...) from the ANT corpus.

The loader of ``../quotes_heldout/rebuild.py`` (``for_folder``: the same columns, checks and CLI), reading
this folder's ``labels.csv``::

    python rebuild.py [--corpus PATH] [--split dev|test] [--id h12-001] [--limit N] [--summary] [--check-loader]
"""
import importlib.util, pathlib, sys  # noqa: E401
_s = importlib.util.spec_from_file_location("_qg", pathlib.Path(__file__).resolve().parents[1] / "quotes_heldout" / "rebuild.py")
_s.loader.exec_module(_m := importlib.util.module_from_spec(_s))
globals().update(_m.for_folder(pathlib.Path(__file__).resolve().parent).api())
if __name__ == "__main__": sys.exit(main())  # noqa: E701, F821
