"""Select the sentences of the SEVENTH held-out quote/speaker gold set from ANT.

An eighth, independent draw with the selection of ../quotes_heldout3/select.py
(imported, not copied: the same splitter, verb list, strata and quotas), with
its own seed (20181215) and ids ``h7-001`` ... It leaves out every article of
the seven earlier sets (../quotes, ../quotes_heldout, ../quotes_heldout2,
../quotes_heldout3 ... ../quotes_heldout6), every article sharing a ``dup_group`` with one of them,
and every sentence whose SHA-1 equals one of theirs. All rows are ``test``.

    PYTHONPATH=/work/main/src /work/main/.venv/bin/python select_sentences.py [CORPUS] [--out sentences.csv]
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("_quote_gold_select_h3",
                                               HERE.parent / "quotes_heldout3" / "select.py")
_base = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_base)
_base.SEED = SEED = 20181215
_base.ID_PREFIX = "h7"
_base.EARLIER_SETS = [HERE.parent / d / "sentences.csv"
                      for d in ("quotes", "quotes_heldout", "quotes_heldout2", "quotes_heldout3", "quotes_heldout4", "quotes_heldout5", "quotes_heldout6")]


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--out" not in argv:
        argv += ["--out", str(HERE / "sentences.csv")]
    return _base.main(argv)


if __name__ == "__main__":
    sys.exit(main())
