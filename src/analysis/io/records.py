"""Collect records of any format into columns, reading each value and noting what it could not.

A :class:`Collector` belongs to one load. Readers hand it records (a list
of dicts), columns (CSV, Parquet) or page articles; it maps the input's
columns to fields (:func:`analysis.io.fields.resolve_fields`), reads each
value (:mod:`analysis.io.fields`) and keeps, per row, the source file and
line. A record whose text is not text is skipped (kind ``bad record``); any
other value it cannot read becomes missing and is listed as a problem of
that row (kind ``bad value`` or ``bad date``).
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from analysis.io.fields import (
    date_value,
    id_value,
    keywords_value,
    name_value,
    resolve_fields,
    text_value,
)
from analysis.io.problems import LoadLog

__all__ = ["Rows", "Collector"]

_NONEMPTY = {"outlet", "url", "category"}  # "" there is missing


def _title_value(value):
    text, why = text_value(value)
    return text or "", why


@dataclass
class Rows:
    """Column lists of everything read so far (before cleaning)."""

    source_file: list = field(default_factory=list)
    line: list = field(default_factory=list)
    rid: list = field(default_factory=list)
    title: list = field(default_factory=list)
    text: list = field(default_factory=list)
    date: list = field(default_factory=list)
    date_field: list = field(default_factory=list)
    outlet: list = field(default_factory=list)
    url: list = field(default_factory=list)
    category: list = field(default_factory=list)
    keywords: list = field(default_factory=list)
    parent: list = field(default_factory=list)  # row index of the parent page, -1 if none

    def __len__(self) -> int:
        return len(self.text)


class Collector:
    """Rows of one load, and the problems of their values (in the log)."""

    def __init__(self, fields: dict, log: LoadLog):
        self.rows = Rows()
        self.fields = dict(fields or {})
        self.log = log

    # -- scraped pages
    def add_pages(self, display: str, articles: list, line_notes=()) -> None:
        rows = self.rows
        n0 = len(rows)
        parent = -1
        for art in articles:
            if not art.related and parent == -1:
                parent = len(rows)
            rows.source_file.append(display)
            rows.line.append(art.line)
            rows.rid.append(None)
            rows.title.append(art.title)
            rows.text.append(art.text)
            rows.date.append(art.date)
            rows.date_field.append(art.date_field)
            rows.outlet.append(art.outlet)
            rows.url.append(None)
            rows.category.append(None)
            rows.keywords.append(art.keywords)
            rows.parent.append(parent if art.related else -1)
        self._line_notes(display, n0, [a.line for a in articles], line_notes)

    # -- records and columns
    def add_records(self, display: str, records: list[dict], lines: list[int], notes=None, line_notes=()) -> None:
        """``records`` (dicts) starting at ``lines``; ``notes``: record index ->
        [(field, kind, detail)] found while reading them."""
        keys = list(dict.fromkeys(k for r in records[:1000] for k in r))
        if len(records) > 1000:
            rest = set().union(*records[1000:]) - set(keys)
            keys.extend(sorted(map(str, rest)))
        self.add_columns(display, keys, lambda k: [r.get(k) for r in records], len(records), lines, notes,
                         line_notes)

    def add_columns(self, display: str, keys: list, getcol, n: int, lines: list[int], notes=None,
                    line_notes=()) -> None:
        """Append ``n`` records given by column: ``getcol(key)`` -> list.
        Raises ``SkipInput`` when the columns hold no text column."""
        mapping = resolve_fields(keys, self.fields)
        log = self.log

        def col(target):
            k = mapping.get(target)
            return [None] * n if k is None else getcol(k)

        texts = col("text")
        conv_text = texts
        keep = None
        if not all(type(v) is str for v in texts):
            conv_text, keep = [], []
            for i, v in enumerate(texts):
                t, why = (v, None) if type(v) is str else text_value(v)
                if t is None:
                    log.skip(display, lines[i], f"text field {mapping['text']!r} {why}", "bad record")
                    continue
                keep.append(i)
                conv_text.append(t)
            if len(keep) == n:
                keep = None

        def sub(values):
            return values if keep is None else [values[i] for i in keep]

        kept_lines = sub(lines)
        m = len(conv_text)
        rows = self.rows
        n0 = len(rows)
        problem = log.problem

        def read(target, reader, as_is, values=None):
            """The field's values, each read by ``reader`` unless all are of
            the types in ``as_is`` (then taken as they are)."""
            values = sub(col(target)) if values is None else values
            types = set(map(type, values))
            if types <= as_is and not (str in as_is and target in _NONEMPTY and "" in values):
                return values
            out = []
            key = mapping.get(target)
            for j, v in enumerate(values):
                if type(v) in as_is and not (v == "" and target in _NONEMPTY):
                    out.append(v)
                    continue
                value, why = reader(v)
                if why:
                    kind = "bad date" if target == "date" else "bad value"
                    problem(display, kept_lines[j], target, kind, f"{target} field {key!r} {why}; set to missing",
                            n0 + j)
                out.append(value)
            return out

        titles = read("title", _title_value, {str})
        rows.text.extend(conv_text)
        rows.title.extend(titles)
        rows.line.extend(kept_lines)
        rows.source_file.extend([display] * m)
        rows.date.extend(read("date", date_value, {str, type(None)}))
        date_key = mapping.get("date")
        rows.date_field.extend([None if date_key is None else str(date_key)] * m)
        ids = sub(col("id"))
        if set(map(type, ids)) <= {str}:
            rows.rid.extend([v.strip() or None for v in ids])
        else:
            rows.rid.extend(read("id", id_value, set(), ids))
        rows.outlet.extend(read("outlet", name_value, {str}))
        rows.url.extend(read("url", name_value, {str}))
        rows.category.extend(read("category", name_value, {str}))
        if "keywords" in mapping:
            rows.keywords.extend(keywords_value(v) for v in sub(col("keywords")))
        else:
            rows.keywords.extend([] for _ in range(m))
        rows.parent.extend([-1] * m)
        if notes:
            where = {i: j for j, i in enumerate(keep)} if keep is not None else None
            for i, items in notes.items():
                j = i if where is None else where.get(i)
                if j is None:
                    continue  # the record was skipped
                for fld, kind, detail in items:
                    problem(display, kept_lines[j], fld, kind, detail, n0 + j)
        self._line_notes(display, n0, kept_lines, line_notes)

    def _line_notes(self, display: str, n0: int, starts: list, line_notes) -> None:
        """Attach (line, kind, detail) notes to the record that starts at or
        before each line (a whole-file note when none does)."""
        if not line_notes:
            return
        real = [self.log.real_line(display, s) for s in starts]
        order = sorted((r, j) for j, r in enumerate(real) if r is not None)
        firsts = [r for r, _ in order]
        for line, kind, detail in line_notes:
            k = bisect.bisect_right(firsts, line) - 1
            row = n0 + order[k][1] if k >= 0 else -1
            self.log.problem(display, line, None, kind, detail, row)
