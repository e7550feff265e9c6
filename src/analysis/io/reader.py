"""One input at a time: open it, tell its format, hand it to that format's reader.

The content decides the format, the extension breaks ties: gzip and zip
by their magic bytes, Parquet by ``PAR1``; a text that opens with ``[`` is
a JSON document, one that opens with a whole object on its first line is
JSON Lines (also in a ``.txt`` or ``.csv``); else a ``.json`` is JSON, a
``.csv``/``.tsv`` a table and anything else a scraped page. Everything a
:class:`Reader` learns goes into its collector and log (one load's).
"""
from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

from analysis.io.csv import read_csv
from analysis.io.encoding import bom_encoding, decode_text, is_binary
from analysis.io.files import (
    CSV_EXT,
    JSON_EXT,
    JSONL_EXT,
    PARQUET_EXT,
    TSV_EXT,
    ZIP_EXT,
    is_documentation,
    supported,
)
from analysis.io.handles import FileBlocks, Stream, gunzip, zip_member_chunks
from analysis.io.json import JSONDecodeError, NotUTF8, loads, read_json
from analysis.io.jsonl import read_jsonl
from analysis.io.pages import read_page
from analysis.io.parquet import read_parquet
from analysis.io.problems import SkipInput, StreamBroken

__all__ = ["Reader", "text_kind", "MAX_ZIP_DEPTH"]

MAX_ZIP_DEPTH = 3
_GZIP_MAGIC = b"\x1f\x8b"
_ZIP_MAGIC = b"PK\x03\x04"


def text_kind(text: str, ext: str) -> str:
    """How to read decoded text (not ``.jsonl``): ``json``, ``jsonl``, ``csv``
    or ``page``, by its content when it opens like JSON, else by ``ext``.

    ``[`` opens a JSON document; ``{`` opens JSON Lines, or a JSON document
    when the first line is not a whole object (pretty-printed). Otherwise a
    ``.json`` is JSON (its parse error names the line), a ``.csv``/``.tsv``
    a table and anything else a scraped page.
    """
    head = text[:4096].lstrip()[:1] or text.lstrip()[:1]
    if head == "[":
        return "json"
    if head == "{":
        first = text.lstrip().split("\n", 1)[0].strip()
        try:
            whole_object = isinstance(loads(first), dict)
        except (JSONDecodeError, ValueError):
            whole_object = False
        if ext in JSON_EXT:
            return "json"  # several objects in a .json fall back to JSON Lines
        return "jsonl" if whole_object else "json"
    if ext in JSON_EXT:
        return "json"
    if ext in CSV_EXT | TSV_EXT:
        return "csv"
    return "page"


def _head_byte(data: bytes) -> bytes:
    """The first non-blank byte of ``data`` (b"" if none), without copying it all."""
    head = data[:4096].lstrip()[:1]
    return head if head or len(data) <= 4096 else data.lstrip()[:1]


def _then_break(data: bytes, broken):
    yield data
    if broken is not None:
        raise broken


class Reader:
    """Reads files into a :class:`~analysis.io.records.Collector`.

    ``limit``: the decompressed-size cap; ``progress(bytes)``: called with
    the bytes of the current file read so far (or None)."""

    def __init__(self, collector, limit: int, progress=None):
        self.collector = collector
        self.log = collector.log
        self.limit = limit
        self.progress = progress

    # -- whole sources
    def read_file(self, path: Path) -> None:
        """Read one file; anything wrong with it goes to the log. The file's
        bytes are hashed as read (``log.inputs``)."""
        name = str(path)
        try:
            fh = open(path, "rb")
        except OSError as exc:
            self.log.skip(name, None, f"cannot read: {exc.strerror or exc}", "unreadable")
            return
        stream = None
        with fh:
            blocks = FileBlocks(fh)
            try:
                try:
                    magic = blocks.peek(4)
                    lower = path.name.lower()
                    if lower.endswith(".gz") or magic[:2] == _GZIP_MAGIC:
                        inner = path.name[:-3] if lower.endswith(".gz") else path.name
                        stream = Stream(gunzip(blocks, self.limit, name, threaded=True, progress=self.progress))
                        self.read_stream(name, inner, stream, 0, packed=True)
                    elif lower.endswith(".zip") or magic == _ZIP_MAGIC:
                        self.read_zip(name, blocks.read_all(), 0)
                    else:
                        stream = Stream(blocks)
                        self.read_stream(name, path.name, stream, 0)
                except SkipInput as exc:
                    self.log.skip_exc(name, exc)
            except OSError as exc:
                self.log.skip(name, None, f"cannot read: {exc.strerror or exc}", "unreadable")
            finally:
                if stream is not None:
                    stream.close()
                try:
                    blocks.drain()
                except OSError:
                    pass
                self.log.inputs.append(blocks.record(path))
                if self.progress is not None:
                    self.progress(blocks.pos)

    def read_stream(self, display: str, filename: str, stream: Stream, depth: int, packed: bool = False) -> None:
        """One input's decompressed bytes: tell the format and read them."""
        lower = filename.lower()
        head = stream.head(65536)
        if not head.strip():
            data, broken = stream.read_all()
            if not data.strip():
                if broken is not None:
                    raise broken
                raise SkipInput("empty file (after decompression)" if packed else "empty file", "empty file")
            stream = Stream(_then_break(data, broken))
            head = stream.head(65536)
        if head[:2] == _GZIP_MAGIC or lower.endswith(".gz"):
            inner = filename[:-3] if lower.endswith(".gz") else filename
            self.read_stream(display, inner, Stream(gunzip(stream, self.limit, display, threaded=False)), depth,
                             packed=True)
            return
        ext = os.path.splitext(lower)[1]
        if ext in ZIP_EXT or head[:4] == _ZIP_MAGIC:
            data, broken = stream.read_all()
            if broken is not None:
                raise SkipInput(f"not a readable zip archive: {broken.reason}", "bad zip")
            self.read_zip(display, data, depth)
            return
        if ext in PARQUET_EXT or head[:4] == b"PAR1":
            data, broken = stream.read_all()
            if broken is not None:
                raise SkipInput(f"not a readable Parquet file: {broken.reason}", "bad parquet")
            read_parquet(display, data, self.collector)
            return
        bom = bom_encoding(head)
        if bom is None and is_binary(head):
            raise SkipInput("binary file (control bytes such as NUL), not text", "binary")
        first = _head_byte(head)
        if ext in JSONL_EXT and bom not in ("utf-16", "utf-32") and first != b"[":
            read_jsonl(display, stream, self.collector)  # line by line: a bad line is reported, the others load
            return
        data, broken = stream.read_all()
        if broken is not None and bom is None and not data.endswith(b"\n"):
            data = data[: data.rfind(b"\n") + 1]  # the cut line is lost (and reported): never half a character
        if bom is None and ext in JSON_EXT | JSONL_EXT and first in (b"{", b"["):
            self.json(display, data, broken)  # UTF-8 parsed straight from bytes
            return
        decoded = decode_text(data, binary_checked=True)
        text = decoded.text
        kind = text_kind(text, ext)
        if kind == "json":
            self.json(display, text.encode("utf-8"), broken, decoded.problems)
        elif kind == "jsonl":
            read_jsonl(display, _then_break(text.encode("utf-8"), broken), self.collector, decoded.problems)
        elif kind == "csv":
            read_csv(display, text, self.collector, "\t" if ext in TSV_EXT else None, broken, decoded.problems)
        else:
            if broken is not None:
                self.log.skip(display, text.count("\n") + 1, f"{broken.reason}; the page is cut here, the text "
                              "before it was read", broken.kind)
            read_page(display, text, self.collector, decoded.problems)

    def json(self, display: str, data: bytes, broken: StreamBroken | None, line_notes=()) -> None:
        """A JSON document, or JSON Lines when it is several objects in a row."""
        try:
            done = read_json(display, data, self.collector, broken, line_notes)
        except NotUTF8:
            decoded = decode_text(data)  # decide the encoding from the whole file, then parse again
            self.json(display, decoded.text.encode("utf-8"), broken, decoded.problems)
            return
        if not done:
            read_jsonl(display, _then_break(data, broken), self.collector, line_notes)

    def read_zip(self, display: str, data: bytes, depth: int) -> None:
        if depth >= MAX_ZIP_DEPTH:
            raise SkipInput(f"zip archives nested deeper than {MAX_ZIP_DEPTH}", "bad zip")
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            members = sorted((i for i in archive.infolist() if not i.is_dir()), key=lambda i: i.filename)
        except (zipfile.BadZipFile, OSError) as exc:
            raise SkipInput(f"not a readable zip archive: {exc}", "bad zip") from None
        for info in members:
            base = info.filename.rsplit("/", 1)[-1]
            if base.startswith(".") or info.filename.startswith("__MACOSX/"):
                continue
            member_display = f"{display}:{info.filename}"
            if is_documentation(base):
                self.log.ignored.append(member_display)
                continue
            if not supported(base):
                self.log.skip(member_display, None, f"unsupported file type in archive ({base})", "unsupported")
                continue
            stream = Stream(zip_member_chunks(archive, info, self.limit, member_display))
            try:
                self.read_stream(member_display, base, stream, depth + 1, packed=True)
            except SkipInput as exc:
                self.log.skip_exc(member_display, exc)
            finally:
                stream.close()
