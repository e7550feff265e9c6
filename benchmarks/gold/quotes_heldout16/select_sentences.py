"""Select the sentences of the SIXTEENTH held-out quote/speaker gold set from ANT.

The seventeenth independent draw: the selection of ../quotes_heldout3/select.py (its ``draw_for``: the same
splitter, verb list, strata and quotas) with seed 20181229 and ids ``h16-001`` ... It leaves out every
article of the sixteen earlier sets (../quotes ... ../quotes_heldout15), every article sharing a
``dup_group`` with one of them, and every sentence whose SHA-1 equals one of theirs. All rows are ``test``.

    PYTHONPATH=/work/main/src /work/main/.venv/bin/python select_sentences.py [CORPUS] [--out sentences.csv]
"""
import importlib.util, pathlib, sys  # noqa: E401
_s = importlib.util.spec_from_file_location("_qg_select", pathlib.Path(__file__).resolve().parents[1] / "quotes_heldout3" / "select.py")
_s.loader.exec_module(_m := importlib.util.module_from_spec(_s))
if __name__ == "__main__": sys.exit(_m.draw_for(__file__, seed=20181229, prefix="h16"))  # noqa: E701
