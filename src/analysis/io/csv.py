"""CSV and TSV with a header row; damaged rows cost only their own lines.

The delimiter is sniffed from the header line (``,``, ``;``, tab, ``|``).
A row with the wrong number of fields is reported (kind ``bad csv``). A
quote that never closes makes a CSV parser swallow the rows after it into
one field; such a record is recognized (it spans several lines and its
quotes do not balance the way a quoted multi-line field's do, or its field
count is wrong): its first line, the one with the stray quote, is reported
and reading resumes on the next line, so no row is merged or lost silently.
When the data was cut short (truncated ``.csv.gz``), the incomplete last
line is reported as ``truncated`` and everything before it is read.
"""
from __future__ import annotations

import csv
import io
import itertools
import sys

from analysis.io.problems import SkipInput

__all__ = ["read_csv", "MAX_RESYNCS"]

MAX_RESYNCS = 1000  # after this many damaged records the rest is read line by line

# one process-wide setting (the same value every time): fields as long as a text
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _sniff(text: str) -> str:
    try:
        return csv.Sniffer().sniff(text[:8192].split("\n", 1)[0], delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _quotes_balanced(lines: list[str]) -> bool:
    """Could these physical lines be one record with quoted line breaks? The
    quotes seen must leave a quoted field open at the end of every line but
    the last, and closed at the end of the last."""
    total = 0
    for k, line in enumerate(lines):
        total += line.count('"')
        if (total % 2 == 1) != (k < len(lines) - 1):
            return False
    return True


def read_csv(display: str, text: str, collector, delimiter: str | None = None, broken=None, line_notes=()) -> None:
    """Read CSV/TSV ``text`` into ``collector``. Raises ``SkipInput``."""
    log = collector.log
    if delimiter is None:
        delimiter = _sniff(text)
    lines = io.StringIO(text, newline="").readlines()
    if broken is not None and lines and not lines[-1].endswith(("\n", "\r")):
        log.skip(display, len(lines), f"{broken.reason}; this line is incomplete, the lines before it were read",
                 broken.kind)
        lines.pop()
        broken = None
    rows: list[list[str]] = []
    row_lines: list[int] = []
    header = None
    width = 0
    n_bad = 0
    k = 0  # index of the next physical line to read
    resyncs = 0
    while k < len(lines):
        if resyncs > MAX_RESYNCS:
            for j in range(k, len(lines)):
                row = next(csv.reader([lines[j]], delimiter=delimiter), [])
                if len(row) == width and lines[j].count('"') % 2 == 0:
                    rows.append(row)
                    row_lines.append(j + 1)
                elif lines[j].strip():
                    log.skip(display, j + 1, f"expected {width} fields, found {len(row)} (after "
                             f"{MAX_RESYNCS} damaged records, read line by line)", "bad csv")
                    n_bad += 1
            break
        reader = csv.reader(itertools.islice(lines, k, None), delimiter=delimiter)
        prev = 0
        restart = None
        try:
            for row in reader:
                start, end = k + prev + 1, k + reader.line_num
                prev = reader.line_num
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                if header is None:
                    header = [h.strip().lstrip("\ufeff") for h in row]
                    width = len(header)
                    continue
                multi = end > start
                if len(row) == width and (not multi or _quotes_balanced(lines[start - 1:end])):
                    rows.append(row)
                    row_lines.append(start)
                    continue
                if not multi:
                    if all(not c.strip() for c in row):
                        continue
                    log.skip(display, start, f"expected {width} fields, found {len(row)}", "bad csv")
                    n_bad += 1
                    continue
                log.skip(display, start, f"unbalanced quote: a quoted field opened on this line runs over "
                         f"{end - start} more line(s) (to line {end}); this line is dropped and reading resumes "
                         "on the next", "bad csv")
                n_bad += 1
                restart = start  # the index of the line after the damaged one
                break
        except csv.Error as exc:
            bad_line = k + reader.line_num
            log.skip(display, bad_line, f"malformed CSV: {exc}", "bad csv")
            n_bad += 1
            restart = bad_line
        if restart is None:
            break
        k = restart
        resyncs += 1
    if broken is not None:
        log.skip(display, len(lines) + 1, f"{broken.reason}; the lines before it were read", broken.kind)
    if header is None:
        raise SkipInput("no header row", "bad csv")
    if not rows:
        if not n_bad:
            raise SkipInput("no records below the header", "no records")
        return
    index = {h: i for i, h in enumerate(header)}
    collector.add_columns(display, header, lambda key: [r[index[key]] for r in rows], len(rows), row_lines,
                          line_notes=line_notes)
