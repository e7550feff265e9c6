"""``analysis entities [SEARCH] [--type TYPE] [--country ID] [--out FILE]``: find gazetteer ids.

Lists the gazetteer's ids, types, countries, Arabic and English names (and
offices with their titles and holders), built-in plus ``--gazetteer FILE``, to
find ids for ``--focus``. SEARCH matches ids and English names
(case-insensitive) and Arabic names and titles (normalized: hamza, ة/ه, ى/ي and
diacritics do not matter). Without ``--out`` a table is printed; ``--out FILE``
writes every column (.csv/.tsv with a BOM and formula cells neutralized unless
``--no-csv-safe``, .parquet or .jsonl).
"""
from __future__ import annotations

import argparse
import sys

HELP = "list the gazetteer's entity and office ids, types, names and countries (find ids for --focus)"

TYPES = ("country", "person", "organization", "place", "office")
_SUFFIXES = (".csv", ".tsv", ".parquet", ".pq", ".jsonl")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from analysis.cli import add_csv_option, add_param_options

    parser.add_argument("search", nargs="?", default=None, metavar="SEARCH",
                        help="only entries whose id, English or Arabic name contains this")
    parser.add_argument("--type", choices=TYPES, default=None, help="only entries of this type")
    parser.add_argument("--country", default=None, metavar="ID", help="only entries of this country (e.g. SYR)")
    add_param_options(parser, ["gazetteer"])
    parser.add_argument("--out", default=None, metavar="FILE", help="write the table (.csv, .tsv, .parquet, .jsonl)")
    add_csv_option(parser)


def run(args: argparse.Namespace) -> int:
    from analysis.entities.gazetteer import GazetteerError, list_entities
    from analysis.report.errors import ParameterError
    from analysis.report.outputs import check_output_file
    from analysis.report.params import split_items

    files = split_items(args.gazetteer)
    out = None
    if args.out:
        from pathlib import Path

        if Path(args.out).suffix.lower() not in _SUFFIXES:
            raise ParameterError(f"--out {args.out}: the file name must end in {', '.join(_SUFFIXES)}")
        out = check_output_file(args.out, inputs=files)
    try:
        table = list_entities(args.search, type=args.type, gazetteer=files or None)
    except (GazetteerError, OSError) as exc:
        raise ParameterError(f"--gazetteer: {exc}") from None
    if args.country:
        table = table[table["country"].fillna("").str.upper() == args.country.upper()].reset_index(drop=True)
    if out is not None:
        from analysis.cli import write_output

        write_output(table, out, csv_safe=args.csv_safe is not False)
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
