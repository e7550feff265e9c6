"""Normalization speed on the real corpus: the package vs camel-tools.

Prints characters per second for ``analysis.text.normalize.normalize``, for the
same table applied with plain ``str.translate``, and for the camel-tools chain
(normalize_unicode, dediac_ar, alef, alef maksura, teh marbuta), and how many
texts differ from camel-tools beyond the documented extras (tatweel, Persian
letters, bidi and zero-width marks).

    .venv/bin/python benchmarks/bench_normalize.py [--limit N]
"""
from __future__ import annotations

import argparse
import gzip
import json
import time
from pathlib import Path

from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (
    normalize_alef_ar,
    normalize_alef_maksura_ar,
    normalize_teh_marbuta_ar,
    normalize_unicode,
)

from analysis.text.normalize import normalize, translation_table

CORPUS = Path(__file__).resolve().parents[2] / "shared/data/ant_multisource/ant_multisource_v2.1.jsonl.gz"


def camel_chain(text: str) -> str:
    return normalize_teh_marbuta_ar(
        normalize_alef_maksura_ar(normalize_alef_ar(dediac_ar(normalize_unicode(text))))
    )


def timed(fn, texts):
    start = time.perf_counter()
    out = [fn(t) for t in texts]
    return out, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="use the first N articles")
    args = parser.parse_args()
    if not CORPUS.is_file():
        raise SystemExit(f"corpus not found: {CORPUS}")
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh][: args.limit]
    chars = sum(map(len, texts))
    table = translation_table()
    ours, t_ours = timed(normalize, texts)
    _, t_translate = timed(lambda s: s.translate(table), texts)
    theirs, t_camel = timed(camel_chain, texts)
    # the package also folds what camel-tools leaves: compare after applying it to camel's output
    differ = sum(a != normalize(b) for a, b in zip(ours, theirs))
    print(f"{len(texts):,} texts, {chars / 1e6:.1f} M characters")
    for name, secs in [("analysis.text.normalize", t_ours), ("str.translate", t_translate), ("camel-tools chain", t_camel)]:
        print(f"{name:20s} {secs:7.2f} s  {chars / secs / 1e6:7.1f} M chars/s")
    print(f"speed-up over camel-tools: {t_camel / t_ours:.1f}x; texts differing from camel-tools "
          f"(beyond the documented extras): {differ}")


if __name__ == "__main__":
    main()
