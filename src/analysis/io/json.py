"""JSON documents: an array of objects, one object, or an object holding an array of them.

The whole document is parsed with orjson first (fast, and depth-limited: no
recursion error however deep the nesting). When that fails, an iterative
scanner (no recursion) finds the record array and splits it into its
elements, which are parsed one by one: a bad element loses only itself, a
trailing comma loses nothing (noted as a problem), an element nested
deeper than 1,024 levels is reported as such, a document cut short keeps
the elements before the cut. When a damaged element spans several lines
holding one object each (an array written one record per line), the lines
that parse on their own are kept. Lines of elements are found only when
something there is reported.
"""
from __future__ import annotations

import re

import numpy as np

from analysis.io.fields import FIELD_NAMES
from analysis.io.problems import SkipInput

try:  # orjson parses JSON ~2x faster than the json module (bench_load.py)
    import orjson as _json

    JSONDecodeError = _json.JSONDecodeError
except ImportError:  # pragma: no cover - orjson is a dependency
    import json as _json

    JSONDecodeError = ValueError

__all__ = ["loads", "dumps", "JSONDecodeError", "NotUTF8", "short_error", "read_json", "array_spans",
           "line_index"]

loads = _json.loads

# a string (valid JSON strings hold no raw line break: an unclosed one ends
# with its line, so one damaged line does not shift every quote after it)
_TOKEN = re.compile(rb'"[^"\\\n]*(?:\\.[^"\\\n]*)*"?|[\[\]{},:]')
_OPEN = {ord("["): ord("]"), ord("{"): ord("}")}
_QUOTE, _COMMA, _COLON = ord('"'), ord(","), ord(":")


def dumps(obj) -> bytes:
    """UTF-8 JSON of ``obj`` (orjson gives bytes, the json module str)."""
    out = _json.dumps(obj)
    return out.encode("utf-8") if isinstance(out, str) else out


def short_error(msg: str) -> str:
    """A JSON parser's message without its position (the caller gives the line)."""
    if "depth limit" in msg or "recursion" in msg.lower():
        return "nested deeper than 1,024 levels"
    msg = msg.split(": line ")[0] if ": line " in msg else msg
    return msg[:200]


def line_index(data: bytes):
    """A function: byte offset -> 1-based line of ``data``."""
    starts = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
    return lambda pos: int(np.searchsorted(starts, pos)) + 1


def _first(data: bytes, pos: int = 0) -> int:
    """Offset of the first non-blank byte at or after ``pos`` (len when none)."""
    n = len(data)
    while pos < n and data[pos] in b" \t\r\n":
        pos += 1
    return pos


def array_spans(data: bytes, start: int) -> tuple[list[tuple[int, int]], int | None, list[tuple[int, str]]]:
    """The elements of the JSON array opening at ``data[start]`` (``[``), found
    without recursion: their (start, end) byte spans, the offset after the
    closing ``]`` (None when the data ends first) and notes (offset, text):
    a trailing comma, empty elements. Strings are skipped whole; a bracket
    that closes the wrong kind closes back to its match."""
    spans: list[tuple[int, int]] = []
    notes: list[tuple[int, str]] = []
    stack: list[int] = []
    elem = start + 1
    for m in _TOKEN.finditer(data, start + 1):
        t = data[m.start()]
        if t == _QUOTE or t == _COLON:
            continue
        if t in _OPEN:
            stack.append(_OPEN[t])
            continue
        if t == _COMMA:
            if not stack:
                spans.append((elem, m.start()))
                elem = m.end()
            continue
        # a closing bracket
        if stack:
            if t in stack:
                while stack and stack.pop() != t:
                    pass
            continue
        if t == ord("]"):
            spans.append((elem, m.start()))
            end = m.end()
            break
    else:
        spans.append((elem, len(data)))
        end = None
    out = []
    for k, (s, e) in enumerate(spans):
        if _first(data, s) >= e:
            if k == len(spans) - 1:
                if k > 0 and end is not None:
                    notes.append((s, "trailing comma after the last element of the array (ignored)"))
            else:
                notes.append((s, "empty element (two commas) in the array (ignored)"))
            continue
        out.append((s, e))
    return out, end, notes


def _object_values(data: bytes, start: int) -> list[tuple[str, int]]:
    """(key, offset of the value) of the object opening at ``data[start]``,
    without recursion and without parsing the values."""
    out: list[tuple[str, int]] = []
    depth = 0
    last_string = None
    for m in _TOKEN.finditer(data, start + 1):
        t = data[m.start()]
        if t == _QUOTE:
            if depth == 0:
                last_string = m.group(0)
            continue
        if t == _COLON:
            if depth == 0 and last_string is not None:
                try:
                    key = loads(last_string)
                except JSONDecodeError:
                    key = last_string.decode("utf-8", "replace").strip('"')
                out.append((str(key), _first(data, m.end())))
            last_string = None
            continue
        if t in _OPEN:
            depth += 1
        elif t == _COMMA:
            last_string = None
        elif depth == 0:
            break  # the object closes
        else:
            depth -= 1
    return out


def _is_record_list(value) -> bool:
    """A list of objects (at least half of its elements; the others are
    reported one by one)."""
    return isinstance(value, list) and bool(value) and 2 * sum(isinstance(x, dict) for x in value) >= len(value)


class JSONReader:
    """Reads one JSON document into a collector (see the module docstring)."""

    def __init__(self, display: str, data: bytes, collector, broken=None, line_notes=()):
        self.display = display
        self.data = data
        self.collector = collector
        self.log = collector.log
        self.broken = broken
        self.line_notes = list(line_notes)
        self._line_of = None

    def line_of(self, pos: int) -> int:
        if self._line_of is None:
            self._line_of = line_index(self.data)
        return self._line_of(pos)

    def text_keys(self) -> set[str]:
        fields = self.collector.fields
        return set(FIELD_NAMES["text"]) | ({fields["text"].lower()} if "text" in fields else set())

    def read(self) -> None:
        data = self.data
        head = _first(data)
        if self.broken is not None:  # cut short: no point parsing it whole
            self.recover("the data ends early", head)
            return
        try:
            doc = loads(data)
        except JSONDecodeError as exc:
            if "UTF-8" in str(exc):
                raise NotUTF8(str(exc)) from None
            self.recover(str(exc), head, exc)
            return
        if isinstance(doc, dict):
            keys = {k.lower() for k in doc if isinstance(k, str)}
            if not keys & self.text_keys():
                lists = [(k, v) for k, v in doc.items() if _is_record_list(v)]
                if len(lists) == 1:
                    key, items = lists[0]
                    self.add_items(items, lambda: self.array_of_key(key))
                    return
            self.collector.add_records(self.display, [doc], [self.line_of(head)], line_notes=self.line_notes)
            return
        if isinstance(doc, list):
            self.add_items(doc, lambda: head if head < len(data) and data[head] == ord("[") else None)
            return
        raise SkipInput(f"invalid JSON: a {type(doc).__name__}, not an object or an array of objects", "bad json",
                        self.line_of(head))

    def array_of_key(self, key: str) -> int | None:
        head = _first(self.data)
        for k, pos in _object_values(self.data, head):
            if k == key and pos < len(self.data) and self.data[pos] == ord("["):
                return pos
        return None

    def add_items(self, items: list, array_start) -> None:
        """Records of a parsed array; element lines looked up only if needed."""
        display, data = self.display, self.data

        def lines():
            pos = array_start()
            if pos is None:
                return []
            spans, _, _ = array_spans(data, pos)
            return [self.line_of(_first(data, s)) for s, _ in spans]

        self.log.line_resolvers[display] = lines
        records, rec_lines = [], []
        for i, item in enumerate(items):
            if isinstance(item, dict):
                records.append(item)
                rec_lines.append(-(i + 1))
            else:
                self.log.skip(display, -(i + 1), f"not a JSON object (a {type(item).__name__})", "bad record")
        if not records:
            if not items:
                raise SkipInput("no records found", "no records")
            return
        self.collector.add_records(display, records, rec_lines, line_notes=self.line_notes)

    def recover(self, msg: str, head: int, exc=None) -> None:
        """The document did not parse whole: find the records one by one."""
        data = self.data
        if head >= len(data):
            raise SkipInput("empty file", "empty file")
        first = data[head]
        if first == ord("["):
            self.elements(head)
            return
        if first == ord("{"):
            if "unexpected content after document" in msg or "extra data" in msg.lower():
                raise _SeveralDocuments()
            values = _object_values(data, head)
            text_keys = self.text_keys()
            arrays = [(k, p) for k, p in values if p < len(data) and data[p] == ord("[")]
            if not {k.lower() for k, _ in values} & text_keys and len(arrays) == 1:
                self.elements(arrays[0][1])
                return
        line = getattr(exc, "lineno", None) or self.line_of(getattr(exc, "pos", head) or head)
        if self.broken is not None:
            raise SkipInput(f"{self.broken.reason}; the JSON document is incomplete", self.broken.kind, line)
        raise SkipInput("invalid JSON: " + short_error(msg), "bad json", line)

    def elements(self, start: int) -> None:
        data, display, log = self.data, self.display, self.log
        spans, end, notes = array_spans(data, start)
        for pos, text in notes:
            log.problem(display, self.line_of(pos), None, "bad json", text)
        if end is not None and _first(data, end) < len(data):
            log.skip(display, self.line_of(_first(data, end)), "unexpected content after the JSON array (ignored)",
                     "bad json")
        cut = None
        if end is None and (self.broken is not None or not data.rstrip().endswith(b"]")):
            cut = (self.broken.reason if self.broken is not None
                   else "truncated: the JSON array is not closed (the data ends)")
        records, lines = [], []
        for k, (s, e) in enumerate(spans):
            s = _first(data, s)
            last = k == len(spans) - 1
            try:
                item = loads(data[s:e])
            except JSONDecodeError as exc:
                where = getattr(exc, "lineno", None)
                why = short_error(str(exc)) + (f" at line {self.line_of(s) + where - 1}" if where else "")
                if last and cut:
                    if not self.salvage(s, e, why, records, lines, quiet=True):
                        log.skip(display, self.line_of(s), f"{cut}; this element is incomplete, the "
                                 f"{len(records):,} records before it were read", "truncated")
                        cut = None
                else:
                    self.salvage(s, e, why, records, lines)
                continue
            if isinstance(item, dict):
                records.append(item)
                lines.append(self.line_of(s))
            else:
                log.skip(display, self.line_of(s), f"not a JSON object (a {type(item).__name__})", "bad record")
        if cut:
            log.skip(display, self.line_of(len(data)), f"{cut}; the {len(records):,} records before "
                     "it were read", "truncated")
        if records:
            self.collector.add_records(display, records, lines, line_notes=self.line_notes)

    def salvage(self, s: int, e: int, why: str, records: list, lines: list, quiet: bool = False) -> bool:
        """A bad element: keep the lines in it that are whole objects and
        report the others (or, when none is, the element: unless ``quiet``).
        Whether any line was kept."""
        data, display, log = self.data, self.display, self.log
        line0 = self.line_of(s)
        chunk = data[s:e]
        found = []
        if b"\n" in chunk:
            for k, raw in enumerate(chunk.split(b"\n")):
                piece = raw.strip().lstrip(b"[").rstrip(b",").strip()
                if piece[:1] != b"{" or piece[-1:] != b"}":
                    continue
                try:
                    item = loads(piece)
                except JSONDecodeError:
                    continue
                if isinstance(item, dict):
                    found.append((line0 + k, item))
        if not found:
            if not quiet:
                log.skip(display, line0, f"invalid JSON: {why}", "bad json")
            return False
        got = {ln for ln, _ in found}
        for k, raw in enumerate(chunk.split(b"\n")):
            if raw.strip(b" \t\r,[]{}") and line0 + k not in got:
                log.skip(display, line0 + k, f"invalid JSON ({why}): this line of a damaged element is lost",
                         "bad json")
        for ln, item in found:
            records.append(item)
            lines.append(ln)
        return True


class NotUTF8(Exception):
    """The document is not valid UTF-8: decide its encoding, then read it again."""


class _SeveralDocuments(Exception):
    """Objects one after another: JSON Lines, not one document."""


def read_json(display: str, data: bytes, collector, broken=None, line_notes=()) -> bool:
    """Read the UTF-8 JSON document ``data``; False when it is several objects
    in a row (the caller reads it as JSON Lines). Raises ``SkipInput``, or
    :class:`NotUTF8` when ``data`` is not UTF-8."""
    try:
        JSONReader(display, data, collector, broken, line_notes).read()
    except _SeveralDocuments:
        return False
    return True
