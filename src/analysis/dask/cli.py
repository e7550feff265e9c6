"""Command-line helpers for ``--engine dask`` (to be wired into cli/mentions.py and cli/comention.py).

``add_engine_options(parser)`` adds ``--engine memory|dask``, ``--scheduler``,
``--workers``, ``--memory-limit`` and ``--blocksize``; ``run_mentions(args)``
and ``run_comention(args)`` do what ``analysis mentions`` and ``analysis
comention`` do, on a ``distributed.LocalCluster`` (or the scheduler named),
with a progress bar, and return the exit status.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.cli import add_engine_options  # noqa: F401  (re-exported: the options live with the CLI)

__all__ = ["add_engine_options", "client_from_args", "read_from_args", "run_comention", "run_mentions"]


def _fail(cmd: str, msg: str, code: int = 2) -> int:
    print(f"analysis {cmd}: {msg}", file=sys.stderr)
    return code


def client_from_args(args: argparse.Namespace):
    from analysis.dask.cluster import get_client

    return get_client(scheduler=args.scheduler, workers=args.workers, memory_limit=args.memory_limit)


def read_from_args(args: argparse.Namespace):
    """The dask articles frame of the corpus options (as ``analysis load`` reads them); prints the
    summary line unless ``--quiet``."""
    from analysis.dask.corpus import load_info, read_corpus
    from analysis.io.load import save_skipped, summary_line

    quiet = bool(getattr(args, "quiet", False))
    paths = list(getattr(args, "paths", None) or []) or None
    try:
        ddf = read_corpus(paths, blocksize=getattr(args, "blocksize", "64MB"), fields=getattr(args, "fields", None),
                          tz=getattr(args, "tz", None) or "UTC", start=getattr(args, "start", None),
                          end=getattr(args, "end", None), outlets=getattr(args, "outlet", None),
                          categories=getattr(args, "category", None),
                          exclude_categories=getattr(args, "exclude_category", None),
                          dedup=not getattr(args, "no_dedup", False), progress=not quiet)
    except (FileNotFoundError, ValueError) as exc:
        print(f"analysis: error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    info = load_info(ddf)
    if getattr(args, "skipped", None):
        save_skipped(info["skipped"], args.skipped)
    if not quiet:
        print(summary_line(info["summary"]) + f" ({info['pieces']:,} partitions)", file=sys.stderr)
    if info["summary"]["loaded"] == 0:
        print("analysis: nothing could be loaded", file=sys.stderr)
        raise SystemExit(1)
    return ddf


def run_mentions(args: argparse.Namespace) -> int:
    """``analysis mentions ... --engine dask``: the mentions table, written partition by partition
    in article order (CSV/TSV/JSONL appended, Parquet through one ``pyarrow.parquet.ParquetWriter``),
    so the client never holds the whole table."""
    from analysis.dask.counts import extract_mentions

    out = Path(args.out)
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".tsv", ".parquet", ".pq", ".jsonl"):
        return _fail("mentions", f"--out {out}: the file name must end in .csv, .tsv, .parquet or .jsonl")
    out.parent.mkdir(parents=True, exist_ok=True)
    n_rows = 0
    with client_from_args(args) as client:
        ddf = read_from_args(args)
        parts = extract_mentions(ddf, gazetteer=args.gazetteer).to_delayed(optimize_graph=False)
        from tqdm import tqdm

        writer = None
        tmp = out.with_name(out.name + ".partial")
        try:
            window = 2 * max(1, len(client.scheduler_info().get("workers", {})))
            futures = [client.compute(p) for p in parts[:window]]  # a few partitions in flight, in order
            bar = tqdm(total=len(parts), desc="mentions", unit="part", disable=args.quiet)
            for i in range(len(parts)):
                table = futures[i].result().reset_index(drop=True)
                futures[i] = None
                if i + window < len(parts):
                    futures.append(client.compute(parts[i + window]))
                writer = _append(table, tmp, suffix, writer, first=i == 0)
                n_rows += len(table)
                bar.update(1)
            bar.close()
        finally:
            if writer is not None:
                writer.close()
        tmp.replace(out)
    if not args.quiet:
        print(f"wrote {n_rows:,} mentions to {out}", file=sys.stderr)
    return 0


def _append(table, path: Path, suffix: str, writer, first: bool):
    """Append one partition's table to ``path`` (returns the Parquet writer, if any)."""
    if suffix in (".parquet", ".pq"):
        import pyarrow as pa
        import pyarrow.parquet as pq

        t = pa.Table.from_pandas(table, preserve_index=False)
        if writer is None:
            writer = pq.ParquetWriter(path, t.schema)
        writer.write_table(t.cast(writer.schema))
        return writer
    mode = "w" if first else "a"
    if suffix == ".jsonl":
        with open(path, mode, encoding="utf-8") as fh:
            if len(table):
                table.to_json(fh, orient="records", lines=True, force_ascii=False)
    else:
        table.to_csv(path, sep="\t" if suffix == ".tsv" else ",", index=False, header=first, mode=mode,
                     encoding="utf-8")
    return writer


def run_comention(args: argparse.Namespace) -> int:
    """``analysis comention ... --engine dask``: the co-mentions table, counted per partition and
    summed (``--mentions FILE`` is not supported with the dask engine)."""
    from analysis.dask.counts import count_comentions, extract_mentions

    if getattr(args, "mentions", None):
        return _fail("comention", "--mentions is not supported with --engine dask (mentions are found per partition)")
    if args.min_count < 1:
        return _fail("comention", f"--min-count must be at least 1 (got {args.min_count})")
    by = [b.strip() for b in (args.by or "").split(",") if b.strip()]
    out = Path(args.out)
    with client_from_args(args):
        ddf = read_from_args(args)
        mentions = extract_mentions(ddf, gazetteer=args.gazetteer)
        if args.freq == "auto":  # chosen from the corpus span (one column read), as the report does
            from analysis.stats.periods import choose_freq

            args.freq = choose_freq(ddf["published"].compute()) if "period" in by else "M"
        table = count_comentions(articles=ddf, mentions=mentions, level=args.level, by=by or None, freq=args.freq,
                                 resolve=args.resolve, min_count=args.min_count, progress=not args.quiet)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() in (".parquet", ".pq"):
        table.to_parquet(out, index=False)
    else:
        table.to_csv(out, sep="\t" if out.suffix.lower() == ".tsv" else ",", index=False)
    if getattr(args, "graphml", None):
        from analysis.measures.comention import comention_graph

        comention_graph(table, path=args.graphml)
    if not args.quiet:
        print(f"wrote {len(table):,} pairs to {out}", file=sys.stderr)
    return 0
