"""``analysis entities [SEARCH] [--type TYPE] [--country ID] [--out FILE]``: find gazetteer ids.

Lists the gazetteer's ids, types, countries, Arabic and English names (and
offices with their titles and holders), built-in plus ``--gazetteer FILE``.
SEARCH matches ids and English names (case-insensitive) and Arabic names and
titles (normalized: hamza, ة/ه, ى/ي and diacritics do not matter). Without
``--out`` a table is printed; ``--out FILE`` writes every column (.csv with a
BOM for spreadsheets, .tsv, .parquet or .jsonl).
"""
from __future__ import annotations

import argparse
import sys

HELP = "list the gazetteer's entity and office ids, types, names and countries (find ids)"

TYPES = ("country", "person", "organization", "place", "office")
SUFFIXES = (".csv", ".tsv", ".parquet", ".pq", ".jsonl")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("search", nargs="?", default=None, metavar="SEARCH",
                        help="only entries whose id, English or Arabic name contains this")
    parser.add_argument("--type", choices=TYPES, default=None, help="only entries of this type")
    parser.add_argument("--country", default=None, metavar="ID", help="only entries of this country (e.g. SYR)")
    parser.add_argument("--gazetteer", default=None, metavar="FILE",
                        help="your own gazetteer YAML, extending the built-in one")
    parser.add_argument("--out", default=None, metavar="FILE", help="write the table (.csv, .tsv, .parquet, .jsonl)")


def write_table(df, path) -> None:
    """Write by suffix (see :func:`analysis.cli.mentions.write_table`); CSV/TSV get a UTF-8 BOM
    and cells a spreadsheet would run as formulas (``= + - @``, tab, CR first) prefixed with
    ``'`` (OWASP)."""
    from pathlib import Path

    from analysis.cli.mentions import write_table as write_any

    path = Path(path)
    if path.suffix.lower() not in (".csv", ".tsv"):
        write_any(df, path)
        return
    safe = df.copy()
    for col in safe.columns:
        if safe[col].dtype == object:
            safe[col] = [("'" + v) if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r") else v
                         for v in safe[col]]
    safe.to_csv(path, sep="\t" if path.suffix.lower() == ".tsv" else ",", index=False, encoding="utf-8-sig")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from analysis.entities.gazetteer import GazetteerError, list_entities

    if args.out and Path(args.out).suffix.lower() not in SUFFIXES:
        print(f"analysis entities: --out {args.out}: the file name must end in {', '.join(SUFFIXES)}", file=sys.stderr)
        return 2
    try:
        table = list_entities(args.search, type=args.type, gazetteer=args.gazetteer)
    except GazetteerError as exc:
        print(f"analysis entities: {exc}", file=sys.stderr)
        return 2
    if args.country:
        table = table[table["country"].fillna("").str.upper() == args.country.upper()].reset_index(drop=True)
    if args.out:
        write_table(table, args.out)
        print(f"wrote {len(table):,} entries to {args.out}", file=sys.stderr)
        return 0
    if not len(table):
        what = " ".join(x for x in (args.type, f"of {args.country}" if args.country else None) if x)
        print(f"no {what + ' ' if what else ''}entry matches {args.search!r}", file=sys.stderr)
        return 1
    width = max(len(e) for e in table["entity_id"])
    for r in table.itertuples(index=False):
        country = r.country if isinstance(r.country, str) and r.type != "country" else ""
        print(f"{r.entity_id:<{width}}  {r.type:<12}  {country:<3}  {r.name_ar}  ({r.label_en})")
    print(f"{len(table):,} entries", file=sys.stderr)
    return 0
