"""JSON Lines, streamed: one object per line, a bad line costs only itself.

Lines are parsed straight from the bytes as they arrive (a ``.jsonl.gz`` is
inflated in a thread meanwhile). A line that is not valid UTF-8 is set
aside; at the end of the file its encoding is decided from the counts over
the whole file (:func:`analysis.io.encoding.choose_encoding`): set-aside
lines are decoded as windows-1256 in a windows-1256 file, or with U+FFFD
and reported in a UTF-8 file. A NUL byte is removed from its line (and
reported). A stream that breaks off (truncated gzip) keeps every line
before the break and reports the break at its line.
"""
from __future__ import annotations

from analysis.io.encoding import choose_encoding, describe_bad_utf8
from analysis.io.json import JSONDecodeError, loads, short_error
from analysis.io.problems import SkipInput, StreamBroken

__all__ = ["read_jsonl"]


def read_jsonl(display: str, chunks, collector, line_notes=(), first_line: int = 0) -> None:
    """Read JSON Lines from ``chunks`` (an iterable of bytes, UTF-8 or
    windows-1256) into ``collector``. Raises ``SkipInput`` when nothing in
    it is a record.

    ``first_line``: the lines of the file before ``chunks`` (a byte range that
    starts at a line boundary inside the file): every line reported is the
    file's; a byte order mark is looked for only at the start of the file
    (``first_line`` 0). The encoding is decided from ``chunks`` alone."""
    if first_line < 0:
        raise ValueError(f"first_line must be >= 0; got {first_line!r}")
    log = collector.log
    records: list[dict] = []
    lines: list[int] = []
    notes: dict[int, list] = {}
    bad: list[tuple[int, str, str]] = []
    bad_utf8: list[tuple[int, bytes]] = []
    n_wide_ok = 0
    pending: list[bytes] = []
    no = int(first_line)
    broken = None
    first = not first_line

    def failed(raw: bytes, msg: str, final: bool) -> None:
        """A line that did not parse: blank, not UTF-8 (decided at the end),
        a NUL byte, cut by a break, or malformed."""
        if not raw.strip():
            return
        if "UTF-8" in msg:
            bad_utf8.append((no, raw))
            return
        if b"\x00" in raw:
            try:
                rec = loads(raw.replace(b"\x00", b""))
            except JSONDecodeError:
                pass
            else:
                if type(rec) is dict:
                    notes[len(records)] = [(None, "nul byte", "NUL byte removed from the line")]
                    records.append(rec)
                    lines.append(no)
                    return
        if final and broken is not None:
            bad.append((no, f"{broken.reason}; this line is incomplete, the records before it were loaded",
                        broken.kind))
            return
        bad.append((no, "malformed JSON line: " + short_error(msg), "bad json"))

    def take(parts: list[bytes], final: bool = False) -> None:
        nonlocal no, n_wide_ok
        for raw in parts:
            no += 1
            if len(raw) < 2 and not raw.strip():
                continue  # a blank line
            try:
                rec = loads(raw)
            except JSONDecodeError as exc:
                failed(raw, str(exc), final)
                continue
            if type(rec) is dict:
                if not raw.isascii():
                    n_wide_ok += 1
                records.append(rec)
                lines.append(no)
            else:
                bad.append((no, f"not a JSON object (a {type(rec).__name__})", "bad record"))

    try:
        for chunk in chunks:
            if first:
                first = False
                if chunk.startswith(b"\xef\xbb\xbf"):
                    chunk = chunk[3:]
            if b"\n" not in chunk:
                pending.append(chunk)
                continue
            parts = chunk.split(b"\n")
            if pending:
                pending.append(parts[0])
                parts[0] = b"".join(pending)
                pending = []
            tail = parts.pop()
            if tail:
                pending.append(tail)
            take(parts)
    except StreamBroken as exc:
        broken = exc
    if pending:
        take([b"".join(pending)], final=True)
        if broken is not None and (not bad or bad[-1][0] != no):
            bad.append((no, f"{broken.reason}; the records before it were loaded", broken.kind))
    elif broken is not None:
        bad.append((no + 1, f"{broken.reason}; the records before it were loaded", broken.kind))
    if bad_utf8:
        _decide(display, bad_utf8, n_wide_ok, records, lines, notes, bad)
    for line, reason, kind in bad:
        log.skip(display, line, reason, kind)
    if not records:
        if not bad:
            raise SkipInput("no records found", "no records")
        return
    collector.add_records(display, records, lines, notes, line_notes)


def _decide(display, bad_utf8, n_wide_ok, records, lines, notes, bad) -> None:
    """Read the lines that were not UTF-8, in the encoding the whole file's
    counts give, and put their records back in line order."""
    enc = choose_encoding(n_wide_ok, [raw for _, raw in bad_utf8])
    late = []
    for no, raw in bad_utf8:
        if enc is None:
            bad.append((no, "undecodable line: " + describe_bad_utf8(raw).split(";")[0]
                        + " in a file that is neither UTF-8 nor windows-1256", "encoding"))
            continue
        text = raw.decode(enc, "replace")
        note = [(None, "encoding", describe_bad_utf8(raw))] if enc == "utf-8" else []
        try:
            rec = loads(text.replace("\x00", ""))
        except JSONDecodeError as exc:
            bad.append((no, "malformed JSON line: " + short_error(str(exc)), "bad json"))
            continue
        if type(rec) is not dict:
            bad.append((no, f"not a JSON object (a {type(rec).__name__})", "bad record"))
            continue
        late.append((no, rec, note))
    if not late:
        return
    merged = sorted([(ln, i, rec, notes.get(i, [])) for i, (ln, rec) in enumerate(zip(lines, records))]
                    + [(ln, -1, rec, note) for ln, rec, note in late], key=lambda x: x[0])
    records[:] = [m[2] for m in merged]
    lines[:] = [m[0] for m in merged]
    notes.clear()
    for j, m in enumerate(merged):
        if m[3]:
            notes[j] = m[3]
    bad.sort(key=lambda b: b[0])
