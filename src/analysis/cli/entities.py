"""``analysis entities [SEARCH] [--type TYPE]``: the gazetteer's entities, to find ids for ``--focus``.

Lists entity_id, type, country, name_ar and label_en of the shipped gazetteer (plus
``--gazetteer FILE``), optionally only one ``--type`` and only entities whose id, English
label or any Arabic name contains SEARCH (compared normalized and case-folded, so ``روسيه``
finds روسيا's entries too when spelled with teh marbuta). ``--out FILE`` writes the table
(.csv with BOM, .tsv, .parquet, .jsonl) instead of printing it.
"""
from __future__ import annotations

import argparse
import sys

HELP = "list the gazetteer's entity ids, types, names and countries (find ids for --focus)"

_TYPES = ("country", "person", "organization", "place")
_SUFFIXES = (".csv", ".tsv", ".parquet", ".pq", ".jsonl")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from analysis.cli import add_csv_option, add_param_options

    parser.add_argument("search", nargs="?", default="", metavar="SEARCH",
                        help="only entities whose id, English label or an Arabic name contains this")
    parser.add_argument("--type", choices=_TYPES, default=None, help="only entities of this type")
    parser.add_argument("--country", default=None, metavar="ID", help="only entities of this country (e.g. RUS)")
    add_param_options(parser, ["gazetteer"])
    parser.add_argument("--out", default=None, metavar="FILE", help="write the table (.csv, .tsv, .parquet, .jsonl)")
    add_csv_option(parser)


def entity_table(gaz, search: str = "", type: str | None = None, country: str | None = None):
    """The gazetteer's entities (entity_id, type, country, name_ar, label_en, names) matching the
    filters, sorted by type then id; ``names``: all Arabic names joined with `` | ``."""
    from analysis.report.params import filter_key

    ents = gaz.entities.copy()
    ents["names"] = [" | ".join(gaz.names(e)) for e in ents["entity_id"]]
    if type:
        ents = ents[ents["type"] == type]
    if country:
        ents = ents[ents["country"].fillna("").str.upper() == country.upper()]
    if search:
        key = filter_key(search)
        hay = (ents["entity_id"] + " " + ents["label_en"].fillna("") + " " + ents["names"]).map(filter_key)
        ents = ents[hay.str.contains(key, regex=False)]
    return ents.sort_values(["type", "entity_id"], kind="mergesort").reset_index(drop=True)


def run(args: argparse.Namespace) -> int:
    from analysis.entities.gazetteer import GazetteerError, load_gazetteer
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
        gaz = load_gazetteer(extra=files) if files else load_gazetteer()
    except (GazetteerError, OSError) as exc:
        raise ParameterError(f"--gazetteer: {exc}") from None
    table = entity_table(gaz, args.search, args.type, args.country)
    if out is not None:
        from analysis.cli import write_output

        write_output(table, out, csv_safe=args.csv_safe is not False)
        print(f"wrote {len(table):,} entities to {args.out}", file=sys.stderr)
        return 0
    if not len(table):
        print(f"no entity matches {args.search!r}" + (f" of type {args.type}" if args.type else ""), file=sys.stderr)
        return 1
    width = max(len(e) for e in table["entity_id"])
    for r in table.itertuples(index=False):
        country = r.country if isinstance(r.country, str) and r.type != "country" else ""
        print(f"{r.entity_id:<{width}}  {r.type:<12}  {country:<3}  {r.name_ar}  ({r.label_en})")
    print(f"{len(table):,} entities", file=sys.stderr)
    return 0
