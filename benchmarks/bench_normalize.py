"""Normalization speed on a real corpus: the package vs camel-tools.

Prints characters per second for ``analysis.text.normalize.normalize``, for the same
table applied with plain ``str.translate``, and for the camel-tools chain
(normalize_unicode, dediac_ar, alef, alef maksura, teh marbuta), and how many texts
differ from camel-tools beyond the documented extras (tatweel, Persian letters, bidi
and zero-width marks).

    .venv/bin/python benchmarks/bench_normalize.py [--quick] [--repeat N] [--corpus ant|egypt]

Results: benchmarks/results/normalize.json (README block ``normalize.speed``).
"""
from __future__ import annotations

from pathlib import Path
import sys

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Bench  # noqa: E402


def camel_chain(text: str) -> str:
    from camel_tools.utils.dediac import dediac_ar
    from camel_tools.utils.normalize import (
        normalize_alef_ar,
        normalize_alef_maksura_ar,
        normalize_teh_marbuta_ar,
        normalize_unicode,
    )

    return normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(dediac_ar(normalize_unicode(text)))))


def main(argv=None) -> int:
    from analysis.text.normalize import normalize, translation_table

    bench = Bench("normalize", __doc__.splitlines()[0], argv)
    articles = bench.articles()
    texts = [t for t in articles["text"].tolist() if isinstance(t, str)]
    chars = sum(map(len, texts))
    table = translation_table()
    runs = [("analysis.text.normalize", lambda: [normalize(t) for t in texts]),
            ("str.translate, the same table", lambda: [t.translate(table) for t in texts])]
    try:
        camel_chain("")
        runs.append(("camel-tools chain", lambda: [camel_chain(t) for t in texts]))
    except ImportError:
        bench.note("camel-tools is not installed (the 'camel' extra): its chain is not timed")
    rows = []
    for name, fn in runs:
        bench.time(name, fn)
        c = bench.case(name)
        rows.append({"normalizer": name, "seconds": c["wall_s"], "M chars/s": chars / c["wall_s"] / 1e6})
    if len(runs) == 3:
        differ = sum(normalize(t) != normalize(camel_chain(t)) for t in texts)
        bench.note(f"texts differing from camel-tools beyond the documented extras: {differ} of {len(texts):,}")
    bench.note(f"{len(texts):,} texts, {chars / 1e6:.1f} M characters")
    bench.table("speed", pd.DataFrame(rows), readme=True, floatfmt="{:.2f}")
    bench.save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
