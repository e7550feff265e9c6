"""Parquet: one row per article; a damaged row group costs only its rows."""
from __future__ import annotations

import io

from analysis.io.problems import SkipInput

__all__ = ["read_parquet"]


def read_parquet(display: str, data: bytes, collector) -> None:
    """Read a Parquet file's rows (line = row number) into ``collector``, row
    group by row group. Raises ``SkipInput``."""
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(io.BytesIO(data))
        n_rows = pf.metadata.num_rows
    except Exception as exc:  # pyarrow raises several types
        raise SkipInput(f"not a readable Parquet file: {exc}", "bad parquet") from None
    if n_rows == 0:
        raise SkipInput("no records found", "no records")
    offset = 0
    for g in range(pf.num_row_groups):
        n = pf.metadata.row_group(g).num_rows
        try:
            table = pf.read_row_group(g)
        except Exception as exc:  # pyarrow raises several types
            collector.log.skip(display, offset + 1, f"row group {g + 1} (rows {offset + 1:,}-{offset + n:,}) "
                               f"unreadable, {n:,} rows lost: {exc}", "bad parquet")
        else:
            collector.add_columns(display, table.column_names, lambda k, t=table: t.column(k).to_pylist(),
                                  table.num_rows, list(range(offset + 1, offset + table.num_rows + 1)))
        offset += n
