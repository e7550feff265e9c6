"""Load news corpora of any common shape into the tidy ``articles`` table.

``load_corpus(paths)`` reads files, directories (recursively) and glob
patterns holding

- scraped pages (``.txt``, see :mod:`analysis.io.pages`),
- JSON Lines (``.jsonl``, ``.ndjson``), JSON (an array of objects, one object,
  or an object holding a list of them under a key such as ``articles``),
- CSV and TSV (header row), Parquet,
- any of these compressed as ``.gz`` or packed in ``.zip`` archives.

The content decides the format, the extension breaks ties (a ``.txt`` or
``.csv`` holding JSON Lines is read as JSON Lines). Text may be UTF-8 (with
or without BOM), UTF-16 with BOM or windows-1256, with any line ends.
Folder walks and patterns leave out hidden files and documentation files
(``README*``, ``LICENSE``...), counting them as ``ignored_files``.

Returns one row per article, columns:

``article_id`` (str)
    the record's own id when it has one (``id``, ``article_id``, ``docno``),
    else a stable hash of its title, text and file name; unique in the
    table (repeats get a ``~2``, ``~3`` suffix, counted as ``ids_made_unique``)
``title``, ``text`` (str)
    HTML markup, if any, is stripped and entities unescaped
``published`` (datetime64[ns, UTC])
    NaT when absent or unreadable (see :mod:`analysis.io.dates`)
``outlet``, ``url``, ``category`` (str or None)
``keywords`` (list of str)
``source_file`` (str): the file as found (``archive.zip:member`` for members)
``parent_id`` (str or None): for an article found inside another page
    (after ``إقرأ أيضاً``), the id of that page's main article (of the first
    page that carried it; named even when a filter left the page out, None
    when the page had no text of its own)
``dup_group`` (str): the ``article_id`` of the first copy of the same story;
    wire copies carried by several outlets share it, so ``nunique`` of it
    counts stories

Row order is input order: files sorted by path, records in file order, a
page's related articles right after its main article. The same input gives
the same ids and order on every run.

``df.attrs["summary"]`` holds the counts: ``files``, ``ignored_files``,
``records`` (= ``loaded`` + ``skipped_records`` + ``duplicates_dropped`` +
``filtered_out``), ``loaded``, ``skipped``, ``skipped_records``,
``files_skipped``, ``duplicates_dropped``, ``wire_copies`` (copies beyond the
first in ``dup_groups`` groups of more than one), ``dup_groups``, ``related``,
``dates_parsed``, ``dates_missing``, ``dates_unparsed``, ``filtered_out``,
``undated_filtered``, ``ids_made_unique``, ``html_cleaned``, ``outlets``,
``categories`` (see :func:`summary_line`). ``df.attrs["skipped"]`` is a
DataFrame (``source_file``, ``line``, ``reason``) of everything that could
not be loaded, sorted by file and line; ``line`` is the 1-based line of the
record (row number for Parquet) and <NA> for whole files.
"""
from __future__ import annotations

import csv
import glob
import gzip
import hashlib
import html
import io
import itertools
import os
import re
import sys
import warnings
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.io.dates import parse_dates, resolve_tz

try:  # ISA-L inflates gzip about twice as fast as zlib (bench_load.py)
    from isal import isal_zlib as _inflate
except ImportError:  # pragma: no cover - isal is a dependency
    _inflate = zlib
_INFLATE_ERRORS = (zlib.error, getattr(_inflate, "error", zlib.error), EOFError, OSError)

try:  # orjson parses JSON lines ~2x faster than the json module (bench_load.py)
    import orjson as _json

    _JSONDecodeError = _json.JSONDecodeError
except ImportError:  # pragma: no cover - orjson is a dependency
    import json as _json

    _JSONDecodeError = ValueError

__all__ = [
    "load_corpus",
    "save_articles",
    "save_skipped",
    "corpus_files",
    "summary_line",
    "parse_fields",
    "default_corpus",
    "ARTICLE_COLUMNS",
    "FIELD_NAMES",
    "LoadWarning",
    "SkippedInputWarning",
]

ARTICLE_COLUMNS = [
    "article_id", "title", "text", "published", "outlet", "url", "category",
    "keywords", "source_file", "parent_id", "dup_group",
]
SKIPPED_COLUMNS = ["source_file", "line", "reason"]

#: field -> column names recognised for it, by priority (case-insensitive)
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "maintext", "full_text", "fulltext",
             "article_text", "body_text", "story"),
    "title": ("title", "headline", "head", "heading"),
    "date": ("date", "time", "published", "pubdate", "date_extracted", "published_at",
             "publishedat", "publish_date", "date_publish", "date_published", "datepublished",
             "pub_date", "datetime", "timestamp", "created_at"),
    "outlet": ("outlet", "source", "src", "site", "publisher", "newspaper", "source_name",
               "source_domain", "domain"),
    "url": ("url", "link", "href", "article_url"),
    "id": ("id", "article_id", "docno", "doc_id", "guid", "uuid"),
    "category": ("category", "cat", "section", "categories"),
    "keywords": ("keywords", "tags", "keyword"),
}

_PAGE_EXT = {".txt", ".text"}
_JSONL_EXT = {".jsonl", ".ndjson", ".jsonlines"}
_JSON_EXT = {".json"}
_CSV_EXT = {".csv"}
_TSV_EXT = {".tsv", ".tab"}
_PARQUET_EXT = {".parquet", ".pq"}
_ZIP_EXT = {".zip"}
SUPPORTED_EXTENSIONS = (_PAGE_EXT | _JSONL_EXT | _JSON_EXT | _CSV_EXT | _TSV_EXT
                        | _PARQUET_EXT | _ZIP_EXT)
_MAX_ZIP_DEPTH = 3


class LoadWarning(UserWarning):
    """Something in the input was skipped, repaired or could not be read."""


class SkippedInputWarning(LoadWarning):
    """Some files or records were skipped (listed in ``attrs["skipped"]``)."""


class SkippedTable(pd.DataFrame):
    """The skipped table (``source_file``, ``line``, ``reason``) kept in
    ``articles.attrs["skipped"]``.

    A plain DataFrame, except that ``==`` between whole tables answers one
    bool (``DataFrame.equals``). pandas compares the ``attrs`` of frames it
    concatenates or merges with ``==``; with a plain DataFrame there that
    raises "truth value of a DataFrame is ambiguous" in ``pd.concat``,
    ``merge``, ``melt`` and ``groupby().apply`` on the articles table.
    """

    @property
    def _constructor(self):
        return SkippedTable

    def __eq__(self, other):  # type: ignore[override]
        return isinstance(other, pd.DataFrame) and self.equals(other)

    def __ne__(self, other):  # type: ignore[override]
        return not self.__eq__(other)

    __hash__ = None  # type: ignore[assignment]


# ---------------------------------------------------------------- inputs

def default_corpus() -> Path:
    """The sample corpus ``data/sample``: the repository's (also for an
    editable install), else the current directory's."""
    candidates = [Path(__file__).resolve().parents[3] / "data" / "sample",
                  Path.cwd() / "data" / "sample"]
    for cand in candidates:
        if cand.is_dir():
            return cand
    raise FileNotFoundError(
        "no corpus given and the sample corpus data/sample was not found (looked in "
        + " and ".join(str(c) for c in candidates)
        + "); pass the files or folders to load"
    )


def _has_magic(pattern: str) -> bool:
    return any(c in pattern for c in "*?[")


def _walk(directory: Path) -> list[Path]:
    out = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out.extend(Path(root) / f for f in files if not f.startswith("."))
    return sorted(out, key=lambda p: p.as_posix())


def _supported(path: Path) -> bool:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return bool(suffixes) and suffixes[-1] in SUPPORTED_EXTENSIONS


_DOC_RE = re.compile(r"(?:^|[_\-. ])(?:readme|license|licence|copying|changelog|changes|notice|citation|authors)$",
                     re.I)


def is_documentation(path) -> bool:
    """``README.txt``, ``UPSTREAM_README.md``, ``LICENSE``...: files that
    describe a corpus rather than hold it. Folder walks and glob patterns
    leave them out (name one explicitly to load it)."""
    return bool(_DOC_RE.search(Path(path).stem if "." in Path(path).name else Path(path).name))


def corpus_files(paths=None) -> list[Path]:
    """The files ``load_corpus(paths)`` reads, in its order (folders walked,
    patterns expanded, documentation files left out; archives not opened).
    For manifests and content hashes."""
    if paths is None:
        paths = [default_corpus()]
    return _expand(paths, [])


def _expand(paths, skipped: list, ignored: list | None = None) -> list[Path]:
    """Files to read, in a deterministic order, each once. Documentation
    files met in folders or through patterns go to ``ignored``."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if ignored is None:
        ignored = []
    files: list[Path] = []

    def add_found(f: Path) -> None:
        if is_documentation(f):
            ignored.append(str(f))
        elif _supported(f):
            files.append(f)
        else:
            skipped.append((str(f), None, f"unsupported file type {''.join(f.suffixes) or '(no extension)'}"))

    for item in paths:
        text = os.fspath(item)
        path = Path(text).expanduser()
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            for f in _walk(path):
                add_found(f)
        elif _has_magic(text):
            matches = sorted(glob.glob(os.path.expanduser(text), recursive=True))
            if not matches:
                skipped.append((text, None, "pattern matched no files"))
            for m in matches:
                mp = Path(m)
                if mp.is_dir():
                    for f in _walk(mp):
                        add_found(f)
                elif mp.is_file() and not mp.name.startswith("."):
                    if is_documentation(mp):
                        ignored.append(str(mp))
                    else:
                        files.append(mp)
        else:
            skipped.append((text, None, "no such file or directory"))
    seen, unique = set(), []
    for f in files:
        key = os.path.realpath(f)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


# ---------------------------------------------------------------- decoding

class _Skip(Exception):
    """A whole file (or archive member) cannot be read; message = reason."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.line = line


_ARABIC_RE = re.compile(r"[\u0600-\u06ff]")
_IMPLAUSIBLE_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")


def decode_bytes(data: bytes) -> str:
    """Decode file content: UTF-8 (BOM or not), UTF-16/32 with BOM, or
    windows-1256 when the result reads as Arabic text. Raises ``_Skip``."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        encoding = "utf-8"
    elif data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        encoding = "utf-32"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = None
    if encoding:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise _Skip(f"undecodable {encoding} text: {exc.reason} at byte {exc.start}") from None
    if b"\x00" in data[:65536]:
        raise _Skip("binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = f"{exc.reason} at byte {exc.start}"
        bad_line = data.count(b"\n", 0, exc.start) + 1
    lenient = data.decode("utf-8", "replace")
    n_bad = lenient.count("\ufffd")
    n_wide = sum(1 for ch in lenient[:200000] if ord(ch) > 127)
    if n_bad <= max(3, n_wide // 100):  # UTF-8 text with a few broken bytes
        raise _Skip(f"undecodable: invalid UTF-8 ({utf8_error})", bad_line)
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        text = ""
    sample = text[:20000]
    if sample and _ARABIC_RE.search(sample) and len(_IMPLAUSIBLE_RE.findall(sample)) <= len(sample) // 1000:
        letters = sum(ch.isalpha() for ch in sample)
        arabic = len(_ARABIC_RE.findall(sample))
        if letters and arabic / letters >= 0.5:
            return text
    raise _Skip(f"undecodable: not UTF-8 ({utf8_error}), UTF-16 with BOM or windows-1256 Arabic text")


def _line_starts(text: str) -> np.ndarray:
    return np.flatnonzero(np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32) == 10)


# ---------------------------------------------------------------- collected rows

@dataclass
class _Rows:
    """Column lists of everything read so far (before cleaning)."""

    source_file: list = field(default_factory=list)
    line: list = field(default_factory=list)
    rid: list = field(default_factory=list)
    title: list = field(default_factory=list)
    text: list = field(default_factory=list)
    date: list = field(default_factory=list)
    outlet: list = field(default_factory=list)
    url: list = field(default_factory=list)
    category: list = field(default_factory=list)
    keywords: list = field(default_factory=list)
    parent: list = field(default_factory=list)  # row index of the parent page, -1 if none

    def __len__(self) -> int:
        return len(self.text)


def _as_text(value) -> str | None:
    """Text of a field value; None when it is not text-like."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and np.isnan(value):
        return ""
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return "\n".join(value)
    return None


def _as_name(value) -> str | None:
    if isinstance(value, dict):
        value = value.get("name") or value.get("title") or value.get("id")
    text = _as_text(value)
    if text is None:
        text = str(value)
    text = " ".join(text.split())
    return text or None


def _as_id(value) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        if np.isnan(value):
            return None
        if value.is_integer():
            value = int(value)
    text = str(value).strip()
    return text or None


def _as_keywords(value) -> list[str]:
    from analysis.io.pages import split_keywords

    if value is None:
        return []
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        out = []
        for v in value:
            name = _as_name(v)
            if name and name not in out:
                out.append(name)
        return out
    if isinstance(value, float) and np.isnan(value):
        return []
    return split_keywords(str(value))


class _Reader:
    """Reads sources into ``_Rows`` and the skipped list."""

    def __init__(self, fields: Mapping[str, str] | None, progress):
        self.rows = _Rows()
        self.skipped: list[tuple] = []
        self.fields = dict(fields or {})
        self.progress = progress  # callable(bytes of the current file done) or None
        self.ignored: list[str] = []  # documentation files met inside archives
        # source -> function giving the line of each element (JSON arrays: lines
        # are stored as -(index + 1) and looked up only when something is skipped)
        self.line_resolvers: dict = {}

    # -- whole sources
    def read_file(self, path: Path) -> None:
        name = str(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.skipped.append((name, None, f"cannot read: {exc.strerror or exc}"))
            return
        self.read_blob(name, path.name, data, 0)

    def read_blob(self, display: str, filename: str, data: bytes, depth: int) -> None:
        try:
            self._read_blob(display, filename, data, depth)
        except _Skip as exc:
            self.skipped.append((display, exc.line, exc.reason))

    def _read_blob(self, display: str, filename: str, data: bytes, depth: int) -> None:
        if _is_blank(data):
            raise _Skip("empty file")
        lower = filename.lower()
        if lower.endswith(".gz") or data[:2] == b"\x1f\x8b":
            inner = filename[:-3] if lower.endswith(".gz") else filename
            if _STREAM_GZIP and os.path.splitext(inner.lower())[1] in _JSONL_EXT:
                # decompress in a thread while the lines are parsed
                self._read_jsonl(display, inner, _gunzip_chunks(data, self.progress if depth == 0 else None))
                return
            try:
                data = _gunzip(data)
            except _INFLATE_ERRORS as exc:
                raise _Skip(f"corrupt gzip data: {exc}") from None
            if lower.endswith(".gz"):
                filename = filename[:-3]
                lower = lower[:-3]
            if _is_blank(data):
                raise _Skip("empty file (after decompression)")
        ext = os.path.splitext(lower)[1]
        if ext in _ZIP_EXT or data[:4] == b"PK\x03\x04":
            self._read_zip(display, data, depth)
            return
        if ext in _PARQUET_EXT or data[:4] == b"PAR1":
            self._read_parquet(display, filename, data)
            return
        if ext in _JSONL_EXT:  # line by line: a bad line is reported, the others load
            self._read_jsonl(display, filename, data)
            return
        plain = not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) and b"\x00" not in data[:65536]
        if plain and ext in _JSON_EXT and _head(data) in (b"{", b"["):
            self._read_json(display, filename, data)  # UTF-8 parsed straight from bytes
            return
        text = decode_bytes(data)
        if text.startswith("\ufeff"):
            text = text[1:]
        kind = _text_kind(text, ext)
        if kind == "json":
            self._read_json(display, filename, text)
        elif kind == "jsonl":
            self._read_jsonl(display, filename, text.encode("utf-8"))
        elif kind == "csv":
            self._read_csv(display, filename, text, "\t" if ext in _TSV_EXT else None)
        else:
            self._read_page(display, filename, text)

    def _read_zip(self, display: str, data: bytes, depth: int) -> None:
        if depth >= _MAX_ZIP_DEPTH:
            raise _Skip(f"zip archives nested deeper than {_MAX_ZIP_DEPTH}")
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            members = sorted(
                (i for i in archive.infolist() if not i.is_dir()), key=lambda i: i.filename
            )
        except (zipfile.BadZipFile, OSError) as exc:
            raise _Skip(f"not a readable zip archive: {exc}") from None
        for info in members:
            base = info.filename.rsplit("/", 1)[-1]
            if base.startswith(".") or info.filename.startswith("__MACOSX/"):
                continue
            member_display = f"{display}:{info.filename}"
            if is_documentation(base):
                self.ignored.append(member_display)
                continue
            if not _supported(Path(base)):
                self.skipped.append((member_display, None, f"unsupported file type in archive ({base})"))
                continue
            try:
                member = archive.read(info)
            except (zipfile.BadZipFile, OSError, zlib.error, RuntimeError, NotImplementedError) as exc:
                self.skipped.append((member_display, None, f"cannot extract from archive: {exc}"))
                continue
            self.read_blob(member_display, base, member, depth + 1)

    # -- formats
    def _read_jsonl(self, display: str, filename: str, data, recode: bool = True) -> None:
        """JSON Lines from ``data``: bytes, or an iterator of byte chunks."""
        chunks = iter([data]) if isinstance(data, (bytes, bytearray)) else data
        first = next(chunks, b"")
        while _is_blank(first):
            nxt = next(chunks, None)
            if nxt is None:
                raise _Skip("empty file")
            first += nxt
        if (first.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"))
                or b"\x00" in first[:65536] or _head(first) == b"["):
            whole = first + b"".join(chunks)
            if _head(whole) == b"[":  # a JSON array in a .jsonl file
                self._read_json(display, filename, decode_bytes(whole))
                return
            first, chunks, recode = decode_bytes(whole).encode("utf-8"), iter(()), False
        records, lines = [], []
        bad: list[tuple[int, str]] = []
        loads = _json.loads
        seen: list[bytes] = []
        tail = b""
        no = 0
        for chunk in itertools.chain([first], _until_broken(chunks, bad), [None]):
            if chunk is None:
                parts, tail = [tail], b""
            else:
                seen.append(chunk)
                parts = (tail + chunk).split(b"\n")
                tail = parts.pop()
            for raw in parts:
                no += 1
                try:
                    rec = loads(raw)
                except _JSONDecodeError as exc:
                    if not raw.strip():
                        continue
                    msg = str(exc)
                    if recode and "UTF-8" in msg:
                        # maybe the file is windows-1256: decode it whole and start over
                        whole = b"".join(seen) + b"".join(chunks)
                        try:
                            whole = decode_bytes(whole).encode("utf-8")
                        except _Skip:
                            pass  # UTF-8 with some broken lines: report them
                        self._read_jsonl(display, filename, whole, recode=False)
                        return
                    bad.append((no, "malformed JSON line: " + _short_json_error(msg)))
                    continue
                if type(rec) is dict:
                    records.append(rec)
                    lines.append(no)
                else:
                    bad.append((no, f"not a JSON object (a {type(rec).__name__})"))
        for no, reason in bad:
            self.skipped.append((display, no if no else None, reason))
        if not records:
            if not bad:
                raise _Skip("no records found")
            return
        self._add_records(display, filename, records, lines)

    def _read_json(self, display: str, filename: str, data) -> None:
        """A JSON document (``data``: UTF-8 bytes or text): an array of
        objects, one object, or an object holding one array of objects."""
        try:
            doc = _json.loads(data)
        except _JSONDecodeError as exc:
            msg = str(exc)
            if isinstance(data, (bytes, bytearray)) and "UTF-8" in msg:
                self._read_json(display, filename, decode_bytes(data))
                return
            if "trailing" in msg.lower() or "extra data" in msg.lower():
                self._read_jsonl(display, filename, data if isinstance(data, bytes) else data.encode("utf-8"))
                return
            line = getattr(exc, "lineno", None)
            raise _Skip("invalid JSON: " + _short_json_error(msg), line) from None
        if isinstance(doc, dict):
            keys = {k.lower() for k in doc if isinstance(k, str)}
            text_keys = set(FIELD_NAMES["text"]) | ({self.fields["text"].lower()} if "text" in self.fields else set())
            if not keys & text_keys:
                lists = [v for v in doc.values() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
                if len(lists) == 1:
                    doc = lists[0]
        items = doc if isinstance(doc, list) else [doc]
        if isinstance(doc, list):
            # element lines are found only if some record is skipped (a second parse)
            text = data
            self.line_resolvers[display] = lambda: _json_item_lines(
                text if isinstance(text, str) else text.decode("utf-8", "replace"))
            line_of = lambda i: -(i + 1)  # noqa: E731 - resolved later
        else:
            line_of = lambda i: 1  # noqa: E731
        records, lines = [], []
        for i, item in enumerate(items):
            if isinstance(item, dict):
                records.append(item)
                lines.append(line_of(i))
            else:
                self.skipped.append((display, line_of(i), f"not a JSON object (a {type(item).__name__})"))
        if not records:
            if len(records) == len(items):
                raise _Skip("no records found")
            return
        self._add_records(display, filename, records, lines)

    def _read_csv(self, display: str, filename: str, text: str, delimiter: str | None) -> None:
        if delimiter is None:
            head = text[:8192]
            try:
                delimiter = csv.Sniffer().sniff(head.split("\n", 1)[0], delimiters=",;\t|").delimiter
            except csv.Error:
                delimiter = ","
        csv.field_size_limit(sys.maxsize)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows, lines = [], []
        header = None
        prev_end = 0
        n_bad = 0
        try:
            for row in reader:
                start, prev_end = prev_end + 1, reader.line_num
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                if header is None:
                    header = [h.strip().lstrip("\ufeff") for h in row]
                    width = len(header)
                    continue
                if len(row) != width:
                    if all(not c.strip() for c in row):
                        continue
                    self.skipped.append((display, start, f"expected {width} fields, found {len(row)}"))
                    n_bad += 1
                    continue
                rows.append(row)
                lines.append(start)
        except csv.Error as exc:
            raise _Skip(f"malformed CSV: {exc}", reader.line_num) from None
        if header is None:
            raise _Skip("no header row")
        if not rows:
            if not n_bad:
                raise _Skip("no records below the header")
            return
        index = {h: i for i, h in enumerate(header)}
        self._add_columns(display, header, lambda k: [r[index[k]] for r in rows], len(rows), lines)

    def _read_parquet(self, display: str, filename: str, data: bytes) -> None:
        import pyarrow.parquet as pq

        try:
            table = pq.read_table(io.BytesIO(data))
        except Exception as exc:  # pyarrow raises several types
            raise _Skip(f"not a readable Parquet file: {exc}") from None
        if table.num_rows == 0:
            raise _Skip("no records found")
        self._add_columns(display, table.column_names, lambda k: table.column(k).to_pylist(),
                          table.num_rows, list(range(1, table.num_rows + 1)))

    def _read_page(self, display: str, filename: str, text: str) -> None:
        from analysis.io.pages import parse_page

        articles = parse_page(text)
        if not articles:
            raise _Skip("no article text found")
        rows = self.rows
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
            rows.outlet.append(art.outlet)
            rows.url.append(None)
            rows.category.append(None)
            rows.keywords.append(art.keywords)
            rows.parent.append(parent if art.related else -1)

    # -- mapping columns to fields
    def _resolve(self, display: str, keys: list[str]) -> dict[str, str]:
        by_lower: dict[str, str] = {}
        for k in keys:
            by_lower.setdefault(str(k).strip().lower(), k)
        mapping: dict[str, str] = {}
        for target, col in self.fields.items():
            if col in keys:
                mapping[target] = col
            elif col.lower() in by_lower:
                mapping[target] = by_lower[col.lower()]
            else:
                raise _Skip(f"--fields {target}={col}: no such column (columns: {', '.join(map(str, keys))})")
        for target, names in FIELD_NAMES.items():
            if target in mapping:
                continue
            for name in names:
                if name in by_lower and by_lower[name] not in mapping.values():
                    mapping[target] = by_lower[name]
                    break
        if "text" not in mapping:
            raise _Skip(
                "no text column (looked for " + ", ".join(FIELD_NAMES["text"])
                + "; columns: " + ", ".join(map(str, keys)) + "); name it with --fields text=COLUMN"
            )
        return mapping

    def _add_records(self, display: str, filename: str, records: list[dict], lines: list[int]) -> None:
        keys = list(dict.fromkeys(k for r in records[:1000] for k in r))
        if len(records) > 1000:
            rest = set().union(*records[1000:]) - set(keys)
            keys.extend(sorted(map(str, rest)))
        self._add_columns(display, keys, lambda k: [r.get(k) for r in records], len(records), lines)

    def _add_columns(self, display: str, keys: list, getcol, n: int, lines: list[int]) -> None:
        """Append ``n`` records given by column: ``getcol(key)`` -> list."""
        mapping = self._resolve(display, keys)

        def col(target):
            k = mapping.get(target)
            return [None] * n if k is None else getcol(k)

        texts = col("text")
        rows = self.rows
        n0 = len(rows)
        conv_text = [v if type(v) is str else _as_text(v) for v in texts]
        keep = None
        if any(v is None for v in conv_text):  # text of a type we cannot read: skip those records
            keep = [i for i, v in enumerate(conv_text) if v is not None]
            for i, v in enumerate(conv_text):
                if v is None:
                    self.skipped.append((display, lines[i], f"text field is a {type(texts[i]).__name__}, not text"))
            conv_text = [conv_text[i] for i in keep]
            lines = [lines[i] for i in keep]
            n = len(keep)
            inner = col

            def col(target):  # noqa: F811 - the same columns, bad records left out
                values = inner(target)
                return [values[i] for i in keep]

        titles = [v if type(v) is str else (_as_text(v) or "") for v in col("title")]
        rows.text.extend(conv_text)
        rows.title.extend(titles)
        rows.line.extend(lines)
        rows.source_file.extend([display] * n)
        rows.date.extend(col("date"))
        rows.rid.extend(_as_id(v) for v in col("id"))
        rows.outlet.extend(v if type(v) is str and v else (_as_name(v) if v is not None else None) for v in col("outlet"))
        rows.url.extend(v if type(v) is str and v else (_as_name(v) if v is not None else None) for v in col("url"))
        rows.category.extend(v if type(v) is str and v else (_as_name(v) if v is not None else None) for v in col("category"))
        if "keywords" in mapping:
            rows.keywords.extend(_as_keywords(v) for v in col("keywords"))
        else:
            rows.keywords.extend([] for _ in range(n))
        rows.parent.extend([-1] * (len(rows.text) - n0))


def _until_broken(chunks, bad: list):
    """Chunks until the source breaks (a truncated gzip stream): the break is
    noted in ``bad`` (line 0 = the whole file) and the lines read so far are kept."""
    try:
        yield from chunks
    except _Skip as exc:
        bad.append((0, exc.reason + " (the records before it were loaded)"))


def _head(data: bytes) -> bytes:
    """The first non-blank byte of ``data`` (b"" if none), without copying it all."""
    head = data[:4096].lstrip()[:1]
    return head if head or len(data) <= 4096 else data.lstrip()[:1]


def _is_blank(data: bytes) -> bool:
    if data[:65536].strip():
        return False
    return not data.strip()


_GZ_PIECE = 1 << 20  # compressed bytes per decompression step
_STREAM_GZIP = True  # inflate .jsonl.gz in a thread while parsing (bench_load.py compares)


def _gunzip_chunks(data: bytes, progress=None):
    """Decompressed chunks of gzip ``data``, inflated by a background thread
    (inflating releases the GIL) so parsing overlaps decompression. Raises
    ``_Skip`` for corrupt or truncated data."""
    import queue
    import threading

    q: queue.Queue = queue.Queue(maxsize=16)
    stop = threading.Event()

    def work():
        try:
            pos, view = 0, memoryview(data)
            d = _inflate.decompressobj(47)
            while pos < len(data) and not stop.is_set():
                piece = view[pos:pos + _GZ_PIECE]
                pos += len(piece)
                out = d.decompress(piece)
                if out:
                    q.put((out, pos))
                if d.eof:
                    rest = d.unused_data
                    if rest.strip(b"\x00"):  # another gzip member follows
                        pos -= len(rest)
                        d = _inflate.decompressobj(47)
                    else:
                        break
            if not d.eof and not stop.is_set():
                raise EOFError("compressed data ended early (truncated file?)")
            q.put(None)
        except _INFLATE_ERRORS as exc:
            q.put(exc)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    try:
        while True:
            item = q.get()
            if item is None:
                return
            if isinstance(item, Exception):
                raise _Skip(f"corrupt gzip data: {item}")
            out, pos = item
            if progress is not None:
                progress(pos)
            yield out
    finally:
        stop.set()
        while thread.is_alive():
            try:
                q.get_nowait()
            except Exception:
                thread.join(0.01)


def _text_kind(text: str, ext: str) -> str:
    """How to read decoded text (not ``.jsonl``): by its content when it opens
    like JSON, else by its extension.

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
            whole_object = isinstance(_json.loads(first), dict)
        except (_JSONDecodeError, ValueError):
            whole_object = False
        if ext in _JSON_EXT:
            return "json"  # several objects in a .json fall back to JSON Lines
        return "jsonl" if whole_object else "json"
    if ext in _JSON_EXT:
        return "json"
    if ext in _CSV_EXT | _TSV_EXT:
        return "csv"
    return "page"


def _gunzip(data: bytes) -> bytes:
    # zlib with wbits=47 reads gzip (and zlib) streams; concatenated members
    # (as made by `cat a.gz b.gz`) need the gzip module
    d = _inflate.decompressobj(47)
    out = d.decompress(data)
    if d.unused_data:
        return gzip.decompress(data)
    if not d.eof:
        raise EOFError("compressed data ended early (truncated file?)")
    return out


def _short_json_error(msg: str) -> str:
    msg = msg.split(": line ")[0] if ": line " in msg else msg
    return msg[:200]


def _json_item_lines(text: str) -> list[int]:
    """1-based line of each element of a top-level JSON array."""
    import json

    decoder = json.JSONDecoder()
    starts = _line_starts(text)
    out: list[int] = []
    pos = text.index("[") + 1
    n = len(text)
    ws = " \t\r\n"
    while pos < n:
        while pos < n and text[pos] in ws:
            pos += 1
        if pos >= n or text[pos] == "]":
            break
        out.append(int(np.searchsorted(starts, pos)) + 1)
        try:
            _, pos = decoder.raw_decode(text, pos)
        except ValueError:
            break
        while pos < n and text[pos] in ws:
            pos += 1
        if pos < n and text[pos] == ",":
            pos += 1
    return out


# ---------------------------------------------------------------- cleaning

_TAG_RE = re.compile(
    r"<(script|style)\b[^>]*>.*?</\1\s*>|<!--.*?-->|</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>",
    re.S | re.I,
)
_BREAK_RE = re.compile(r"<br\s*/?>|</p\s*>|</div\s*>|</h[1-6]\s*>|</li\s*>", re.I)
_ENTITY_RE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")


def strip_markup(value: str, *, keep_breaks: bool = True) -> str:
    """Plain text of ``value``: HTML tags (and script/style content) removed,
    entities unescaped. Text without markup comes back unchanged."""
    changed = False
    if "<" in value and _TAG_RE.search(value):
        if keep_breaks:
            value = _BREAK_RE.sub("\n", value)
        value = _TAG_RE.sub(" " if not keep_breaks else "", value)
        changed = True
    if "&" in value and _ENTITY_RE.search(value):
        value = html.unescape(value)
        changed = True
    if changed:
        lines = (" ".join(ln.split()) for ln in value.splitlines())
        value = "\n".join(ln for ln in lines if ln)
    return value


def _clean_column(values: list[str], keep_breaks: bool) -> tuple[list[str], int]:
    n = 0
    out = values
    for i, v in enumerate(values):
        if ("<" in v or "&" in v):
            new = strip_markup(v, keep_breaks=keep_breaks)
            if new != v:
                if out is values:
                    out = list(values)
                out[i] = new
                n += 1
    return out, n


# ---------------------------------------------------------------- ids & dedup

def _content_hash(*parts: str) -> str:
    h = hashlib.blake2b(digest_size=8)
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()


def _match_key(value) -> str:
    from analysis.text.normalize import normalize

    return " ".join(normalize(str(value)).casefold().split())


_SIG_HEAD = 192  # raw characters looked at at the start of a text
_SIG_TAIL = 96  # ... and at its end
_SIG_LEN = 48  # normalized non-space characters kept from each end
_SHORT_TEXT = 120  # texts with fewer normalized non-space characters also compare titles
_FLAG = 0xFFFF  # in the signature table: "normalizes to several characters"


@lru_cache(maxsize=1)
def _sig_table() -> np.ndarray:
    """UTF-16 code unit -> normalized character for the signature: 0 for
    characters normalization deletes and for whitespace, ``_FLAG`` for
    characters that normalize to several characters and for surrogates
    (texts holding them are normalized in full)."""
    from analysis.text.normalize import translation_table

    lut = np.arange(0x10000, dtype=np.uint32)
    for code, out in translation_table().items():
        if not out:
            lut[code] = 0
        elif len(out) == 1:
            lut[code] = ord(out)
        else:
            lut[code] = _FLAG
    lut[0xD800:0xE000] = _FLAG
    lut[lut > 0xFFFF] = _FLAG
    space = np.array([c for c in range(0x10000) if chr(c).isspace()], dtype=np.int64)
    lut[np.isin(lut, space)] = 0
    return lut.astype(np.uint16)


def _signatures(windows: list[str], width: int, length: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First ``length`` normalized non-space characters of each window (at
    most ``width`` characters), as rows of a uint16 matrix; whether each row
    is complete and exact; and the number of normalized non-space
    characters in each window."""
    n = len(windows)
    lut = _sig_table()
    padded = "".join([w.ljust(width, "\x00") for w in windows])
    units = np.frombuffer(padded.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    if units.size != n * width:  # characters beyond the BMP: flag them
        wide = np.frombuffer(padded.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        units = np.where(wide > 0xFFFF, _FLAG, wide).astype(np.uint16)
    mapped = lut[units].reshape(n, width)
    flagged = (mapped == _FLAG).any(axis=1)
    keep = mapped != 0
    pos = np.cumsum(keep, axis=1, dtype=np.int16)
    counts = pos[:, -1].astype(np.int64)
    sel = keep & (pos <= length)
    rows, cols = np.nonzero(sel)
    mat = np.zeros((n, length), dtype=np.uint16)
    mat[rows, pos[rows, cols] - 1] = mapped[rows, cols]
    return mat, (counts >= length) & ~flagged, counts


def _shared_rows(mat: np.ndarray) -> np.ndarray:
    """Whether each row of ``mat`` occurs more than once."""
    mat = np.ascontiguousarray(mat)
    rows = mat.view(np.dtype((np.void, mat.dtype.itemsize * mat.shape[1]))).ravel()
    _, inverse, counts = np.unique(rows, return_inverse=True, return_counts=True)
    return counts[inverse.ravel()] > 1


def _sig_of_key(key: str, length: int, from_end: bool) -> np.ndarray:
    """The signature of a fully normalized text: its first (or last)
    ``length`` non-space characters, as :func:`_signatures` makes them."""
    chars = key.replace(" ", "")
    chars = chars[::-1][:length] if from_end else chars[:length]
    out = np.zeros(length, dtype=np.uint16)
    out[: len(chars)] = [min(ord(c), _FLAG) for c in chars]
    return out


def content_keys(titles: list[str], texts: list[str]) -> list:
    """A key per article, equal for two articles iff they are the same after
    normalization (:func:`analysis.text.normalize.normalize`, whitespace
    collapsed). Short texts (fewer than 120 normalized non-space characters:
    often a boilerplate body such as a copyright line) also need the same
    normalized title.

    Normalizing every text costs about a second on the ANT corpus, so texts
    are blocked first by a signature that is a function of the normalized
    text: its first 48 non-space characters, then, for texts sharing those
    (an agency dateline, say), also its last 48. Signatures are computed with
    numpy on a raw window at each end of the text; a text whose window does
    not give them exactly (too short, too many diacritics or spaces,
    characters that normalize to several) is normalized in full and its
    signature taken from that. Only texts whose signature is shared, or that
    may be short, are compared in full.
    """
    from analysis.text.normalize import normalize

    def full(t: str) -> str:
        return " ".join(normalize(t).split())

    uid_of: dict[str, int] = {}
    uids = [uid_of.setdefault(t, len(uid_of)) for t in texts]
    uniq = list(uid_of)
    keys: list = [None] * len(uniq)
    short = np.zeros(len(uniq), dtype=bool)

    def full_key(u: int) -> str:
        if not isinstance(keys[u], str):
            key = keys[u] = full(uniq[u])
            short[u] = len(key) - key.count(" ") < _SHORT_TEXT
        return keys[u]

    if uniq:
        heads, ok_h, head_counts = _signatures([t[:_SIG_HEAD] for t in uniq], _SIG_HEAD, _SIG_LEN)
        for u in np.flatnonzero(~ok_h | (head_counts < _SHORT_TEXT)).tolist():
            key = full_key(u)  # may be short: compare in full
            if not ok_h[u]:
                heads[u] = _sig_of_key(key, _SIG_LEN, False)
        shared = _shared_rows(heads)
        cand = np.flatnonzero(shared)
        if len(cand):
            tails, ok_t, _ = _signatures([uniq[u][-_SIG_TAIL:][::-1] for u in cand], _SIG_TAIL, _SIG_LEN)
            for j in np.flatnonzero(~ok_t).tolist():
                tails[j] = _sig_of_key(full_key(int(cand[j])), _SIG_LEN, True)
            shared[cand] = _shared_rows(np.hstack([heads[cand], tails]))
        for u in range(len(uniq)):
            if shared[u]:
                full_key(u)
            elif keys[u] is None:
                keys[u] = ("u", u)  # no other text can equal it after normalization
    out = []
    title_cache: dict[str, str] = {}
    for title, u in zip(titles, uids):
        key = keys[u]
        if short[u]:
            tkey = title_cache.get(title)
            if tkey is None:
                tkey = title_cache[title] = full(title or "")
            key = (tkey, key)
        out.append(key)
    return out


def _dedupe(outlet_keys: list[str], keys: list, rows: np.ndarray) -> tuple[np.ndarray, dict[int, int]]:
    """Keep the first of each (outlet, content key) among ``rows``; returns the
    kept rows and a map dropped row -> kept row."""
    first: dict = {}
    kept, rep = [], {}
    for i in rows:
        k = (outlet_keys[i], keys[i])
        j = first.setdefault(k, i)
        if j == i:
            kept.append(i)
        else:
            rep[i] = j
    return np.asarray(kept, dtype=np.int64), rep


# ---------------------------------------------------------------- options

def parse_fields(value) -> dict[str, str]:
    """``"text=body,date=published_at"`` (or a mapping) -> ``{field: column}``.

    Raises ``ValueError`` naming a bad item or unknown field."""
    if value is None:
        return {}
    if isinstance(value, Mapping):
        items = list(value.items())
    else:
        items = []
        for part in str(value).split(","):
            part = part.strip()
            if not part:
                continue
            if "=" not in part:
                raise ValueError(f"--fields: {part!r} is not FIELD=COLUMN")
            k, v = part.split("=", 1)
            items.append((k.strip(), v.strip()))
    out = {}
    for k, v in items:
        if k not in FIELD_NAMES:
            raise ValueError(f"--fields: unknown field {k!r} (fields: {', '.join(FIELD_NAMES)})")
        if not v:
            raise ValueError(f"--fields: no column given for {k!r}")
        out[k] = v
    return out


def _as_list(value) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = value.split(",")
    items = [str(v).strip() for v in value if str(v).strip()]
    return items or None


def _bound(value, tz, *, end: bool) -> pd.Timestamp | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (pd.Timestamp, np.datetime64)) or hasattr(value, "year"):
        ts = pd.Timestamp(value)
        if ts.tzinfo is None:
            ts = ts.tz_localize(tz)
        ts = ts.tz_convert("UTC")
        date_only = type(value).__name__ == "date"  # a datetime.date: the whole day
    else:
        from analysis.io.dates import parse_date

        ts = parse_date(str(value), tz=tz)
        if pd.isna(ts):
            raise ValueError(f"cannot read the date {value!r} (try YYYY-MM-DD)")
        date_only = ":" not in str(value)
    if end and date_only:  # an end day includes the whole day
        ts = ts + pd.Timedelta(days=1) - pd.Timedelta(1, "ns")
    return ts


# ---------------------------------------------------------------- main entry

def load_corpus(
    paths=None,
    *,
    fields=None,
    tz="UTC",
    start=None,
    end=None,
    outlets=None,
    categories=None,
    exclude_categories=None,
    dedup: bool = True,
    progress: bool = True,
) -> pd.DataFrame:
    """Load a corpus into the ``articles`` table (see the module docstring).

    Parameters
    ----------
    paths : path, glob pattern, or a list of them; ``None`` loads the sample
        corpus ``data/sample``.
    fields : ``{"text": "COLUMN", ...}`` or ``"text=COLUMN,date=COLUMN"``:
        columns to use instead of the detected ones (fields: text, title,
        date, outlet, url, id, category, keywords).
    tz : timezone of timestamps without an offset (IANA name or ``+03:00``).
    start, end : keep articles published on/after ``start`` and on/before
        ``end`` (inclusive; a date without a time covers the whole day).
        Articles without a date are left out by a date filter and counted.
    outlets, categories, exclude_categories : lists (or comma-separated
        strings); matched after normalization, case-insensitively.
        Filters apply before duplicates are merged.
    dedup : drop the same article (after normalization) from the same
        outlet, keeping the first; ``False`` keeps all. Copies of a story
        carried by several outlets are always kept and share ``dup_group``.
    progress : show a tqdm progress bar.

    Raises ``FileNotFoundError`` when ``paths`` is None and there is no
    sample corpus, ``ValueError`` for bad options. Bad input files and
    records never raise: they are listed in ``df.attrs["skipped"]``.
    """
    fields = parse_fields(fields)
    tzinfo = resolve_tz(tz)
    start_ts = _bound(start, tzinfo, end=False)
    end_ts = _bound(end, tzinfo, end=True)
    outlet_filter = _as_list(outlets)
    cat_filter = _as_list(categories)
    excl_filter = _as_list(exclude_categories)
    if paths is None:
        paths = [default_corpus()]

    from tqdm import tqdm  # text bar: tqdm.auto wants ipywidgets in Jupyter

    pre_skipped: list[tuple] = []
    ignored: list[str] = []
    files = _expand(paths, pre_skipped, ignored)
    sizes = []
    for f in files:
        try:
            sizes.append(f.stat().st_size)
        except OSError:
            sizes.append(0)
    reader = _Reader(fields, None)
    reader.skipped.extend(pre_skipped)
    with tqdm(total=sum(sizes), unit="B", unit_scale=True, desc="loading",
              disable=not progress or not files, leave=False) as bar:
        for f, size in zip(files, sizes):
            bar.set_postfix_str(f.name[-40:], refresh=False)
            done = [0]

            def advance(pos: int, done=done, size=size) -> None:
                step = min(pos, size) - done[0]
                if step > 0:
                    bar.update(step)
                    done[0] += step

            reader.progress = advance if progress else None
            reader.read_file(f)
            advance(size)
    rows = reader.rows
    skipped = reader.skipped
    ignored.extend(reader.ignored)
    line_cache: dict[str, list[int]] = {}

    def real_line(source: str, line):
        """Lines stored as -(index + 1) are looked up now (JSON arrays)."""
        if line is None or line >= 0:
            return line
        if source not in line_cache:
            resolver = reader.line_resolvers.get(source)
            line_cache[source] = resolver() if resolver else []
        found = line_cache[source]
        return found[-line - 1] if -line - 1 < len(found) else None

    n_records = len(rows) + sum(1 for s in skipped if s[1] is not None)
    n = len(rows)

    # -- empty text
    valid = np.ones(n, dtype=bool)
    for i, t in enumerate(rows.text):
        if not t or t.isspace():
            valid[i] = False
            skipped.append((rows.source_file[i], rows.line[i], "empty text"))

    # -- markup
    texts, n_html_text = _clean_column(rows.text, keep_breaks=True)
    titles, n_html_title = _clean_column(rows.title, keep_breaks=False)
    titles = [" ".join(t.split()) if "\n" in t or "  " in t else t for t in titles]
    for i in np.flatnonzero(valid):
        if not texts[i].strip():  # only markup
            valid[i] = False
            skipped.append((rows.source_file[i], rows.line[i], "empty text (markup only)"))

    # -- dates
    published = parse_dates(pd.Series(rows.date, dtype=object), tz=tzinfo)
    pub_ok = published.notna().to_numpy()
    given = np.array([d is not None and not (isinstance(d, str) and not d.strip())
                      and not (isinstance(d, float) and np.isnan(d)) for d in rows.date], dtype=bool)
    unparsed = np.flatnonzero(valid & given & ~pub_ok)
    if len(unparsed):
        i = unparsed[0]
        warnings.warn(
            f"{len(unparsed)} date(s) could not be read and were set to NaT, e.g. "
            f"{str(rows.date[i])[:60]!r} ({rows.source_file[i]}, line {real_line(rows.source_file[i], rows.line[i])})",
            LoadWarning, stacklevel=2,
        )

    # -- ids
    ids: list[str] = []
    for i in range(n):
        rid = rows.rid[i]
        if rid is None:
            origin = rows.source_file[i].replace("\\", "/").rsplit("/", 1)[-1]
            rid = _content_hash(origin, titles[i], texts[i])
        ids.append(rid)

    # -- filters (before dedup)
    keep = valid.copy()
    n_valid = int(valid.sum())
    filtered_out = undated_filtered = 0
    if start_ts is not None or end_ts is not None:
        undated = keep & ~pub_ok
        undated_filtered = int(undated.sum())
        keep &= pub_ok
        pub_vals = published.dt.tz_convert(None).to_numpy(dtype="datetime64[ns]")
        with np.errstate(invalid="ignore"):
            if start_ts is not None:
                keep &= ~(pub_ok & (pub_vals < start_ts.tz_convert(None).to_datetime64()))
            if end_ts is not None:
                keep &= ~(pub_ok & (pub_vals > end_ts.tz_convert(None).to_datetime64()))
    if outlet_filter:
        wanted = {_match_key(o) for o in outlet_filter}
        keep &= np.array([o is not None and _match_key(o) in wanted for o in rows.outlet], dtype=bool)
    if cat_filter or excl_filter:
        cats = [None if c is None else _match_key(c) for c in rows.category]
        if cat_filter:
            wanted = {_match_key(c) for c in cat_filter}
            keep &= np.array([c in wanted for c in cats], dtype=bool)
        if excl_filter:
            unwanted = {_match_key(c) for c in excl_filter}
            keep &= np.array([c not in unwanted for c in cats], dtype=bool)
    filtered_out = n_valid - int(keep.sum())

    # -- duplicates
    candidates = np.flatnonzero(keep)
    cand_titles = [titles[i] for i in candidates]
    cand_texts = [texts[i] for i in candidates]
    ckeys_list = content_keys(cand_titles, cand_texts) if len(candidates) else []
    ckeys: dict[int, object] = dict(zip(candidates.tolist(), ckeys_list))
    outlet_key_cache: dict = {}

    def okey(o):
        if o is None:
            return ""
        k = outlet_key_cache.get(o)
        if k is None:
            k = outlet_key_cache[o] = _match_key(o)
        return k

    if dedup:
        okeys = {i: okey(rows.outlet[i]) for i in candidates.tolist()}
        kept, rep = _dedupe(okeys, ckeys, candidates)
    else:
        kept, rep = candidates, {}
    n_dups = len(candidates) - len(kept)

    # -- unique ids
    final_ids: dict[int, str] = {}
    used: set[str] = set()
    counts: dict[str, int] = {}
    renamed = []
    for i in kept.tolist():
        rid = ids[i]
        if rid in used:
            k = counts.get(rid, 1)
            new = rid
            while new in used:
                k += 1
                new = f"{rid}~{k}"
            counts[rid] = k
            renamed.append((i, rid))
            rid = new
        used.add(rid)
        final_ids[i] = rid
    if renamed:
        i, rid = renamed[0]
        warnings.warn(
            f"{len(renamed)} article id(s) repeated and were made unique with a ~N suffix, "
            f"e.g. {rid!r} ({rows.source_file[i]}, line {real_line(rows.source_file[i], rows.line[i])})",
            LoadWarning, stacklevel=2,
        )

    # -- parents and wire groups
    def resolve(i: int) -> int:
        while i in rep:
            i = rep[i]
        return i

    parent_ids = []
    for i in kept.tolist():
        p = rows.parent[i]
        if p < 0:
            parent_ids.append(None)
        else:
            p = resolve(p)
            # a page left out by a filter is still named; a page with no text is not
            parent_ids.append(final_ids.get(p, ids[p] if valid[p] else None))
    group_first: dict = {}
    dup_group = []
    group_sizes: dict = {}
    for i in kept.tolist():
        g = group_first.setdefault(ckeys[i], i)
        group_sizes[g] = group_sizes.get(g, 0) + 1
        dup_group.append(final_ids[g])
    wire_groups = sum(1 for v in group_sizes.values() if v > 1)
    wire_copies = sum(v - 1 for v in group_sizes.values() if v > 1)

    idx = kept.tolist()

    def obj(values):
        return pd.Series(values, dtype=object)

    df = pd.DataFrame({
        "article_id": obj([final_ids[i] for i in idx]),
        "title": obj([titles[i] for i in idx]),
        "text": obj([texts[i] for i in idx]),
        "published": published.iloc[kept].reset_index(drop=True) if len(idx) else
        pd.Series([], dtype="datetime64[ns, UTC]"),
        "outlet": obj([rows.outlet[i] for i in idx]),
        "url": obj([rows.url[i] for i in idx]),
        "category": obj([rows.category[i] for i in idx]),
        "keywords": obj([rows.keywords[i] for i in idx]),
        "source_file": obj([rows.source_file[i] for i in idx]),
        "parent_id": obj(parent_ids),
        "dup_group": obj(dup_group),
    }, columns=ARTICLE_COLUMNS)
    df["published"] = df["published"].astype("datetime64[ns, UTC]")

    skipped = [(src, real_line(src, line),
                reason if line is None or line >= 0 else f"{reason} (element {-line} of the JSON array)")
               for src, line, reason in skipped]
    skipped_df = SkippedTable(skipped, columns=SKIPPED_COLUMNS)
    skipped_df["source_file"] = skipped_df["source_file"].astype(object)
    skipped_df["line"] = pd.array(skipped_df["line"].tolist(), dtype="Int64")
    skipped_df["reason"] = skipped_df["reason"].astype(object)
    skipped_df = skipped_df.sort_values(["source_file", "line"], kind="stable",
                                        na_position="first").reset_index(drop=True)

    if len(skipped_df):
        first = skipped_df.iloc[0]
        where = first.source_file if pd.isna(first.line) else f"{first.source_file}:{first.line}"
        warnings.warn(
            f"{len(skipped_df)} input(s) skipped, e.g. {where}: {first.reason}; "
            "see articles.attrs['skipped']", SkippedInputWarning, stacklevel=2)
    loaded_pub = df["published"].notna()
    summary = {
        "files": len(files),
        "ignored_files": len(ignored),
        "files_skipped": int(skipped_df["line"].isna().sum()),
        "records": int(n_records),
        "loaded": int(len(df)),
        "skipped": int(len(skipped_df)),
        "skipped_records": int(skipped_df["line"].notna().sum()),
        "duplicates_dropped": int(n_dups),
        "wire_copies": int(wire_copies),
        "dup_groups": int(wire_groups),
        "related": int(sum(p is not None for p in parent_ids)),
        "dates_parsed": int(loaded_pub.sum()),
        "dates_missing": int((~loaded_pub).sum()),
        "dates_unparsed": int(len(unparsed)),
        "filtered_out": int(filtered_out),
        "undated_filtered": int(undated_filtered),
        "ids_made_unique": len(renamed),
        "html_cleaned": int(n_html_text + n_html_title),
        "outlets": int(df["outlet"].nunique()),
        "categories": int(df["category"].nunique()),
    }
    df.attrs["summary"] = summary
    df.attrs["skipped"] = skipped_df
    return df


def summary_line(summary: Mapping) -> str:
    """One line for people: what was loaded, dropped, skipped."""
    s = summary
    ignored = f", {s['ignored_files']:,} documentation file(s) left out" if s.get("ignored_files") else ""
    parts = [f"loaded {s['loaded']:,} articles from {s['files']:,} file(s) ({s['records']:,} records{ignored})"]
    if s.get("related"):
        parts.append(f"{s['related']:,} related articles")
    parts.append(f"{s['duplicates_dropped']:,} duplicates dropped")
    if s.get("wire_copies"):
        parts.append(f"{s['wire_copies']:,} wire copies in {s['dup_groups']:,} groups")
    parts.append(f"{s['skipped']:,} skipped")
    if s.get("filtered_out"):
        extra = f" ({s['undated_filtered']:,} undated)" if s.get("undated_filtered") else ""
        parts.append(f"{s['filtered_out']:,} filtered out{extra}")
    if s["loaded"]:
        share = s["dates_parsed"] / s["loaded"]
        parts.append(f"dates {share:.1%}")
        if s.get("dates_unparsed"):
            parts.append(f"{s['dates_unparsed']:,} unreadable dates")
    parts.append(f"{s['outlets']:,} outlets, {s['categories']:,} categories")
    return "; ".join(parts)


def save_articles(df: pd.DataFrame, path) -> Path:
    """Write an articles table by extension: ``.parquet``, ``.csv`` (keywords
    as a JSON list, dates ISO 8601) or ``.jsonl``. Returns the path."""
    import json

    path = Path(path)
    ext = path.suffix.lower()
    if ext not in {".parquet", ".csv", ".jsonl"}:
        raise ValueError(f"cannot write {path}: the file name must end in .parquet, .csv or .jsonl")
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    out = df.copy()
    out.attrs = {}
    if ext == ".parquet":
        out.to_parquet(path, index=False)
        return path
    out["published"] = [None if pd.isna(t) else t.isoformat() for t in out["published"]]
    if ext == ".csv":
        out["keywords"] = [json.dumps(list(k), ensure_ascii=False) for k in out["keywords"]]
        out.to_csv(path, index=False, encoding="utf-8")
        return path
    with open(path, "wb") as fh:
        cols = list(out.columns)
        for rec in out.itertuples(index=False, name=None):
            row = dict(zip(cols, rec))
            row["keywords"] = list(row["keywords"])
            fh.write(_dumps(row) + b"\n")
    return path


def save_skipped(skipped: pd.DataFrame, path) -> Path:
    """Write the skipped table (source_file, line, reason): ``.parquet``,
    ``.jsonl`` or else CSV."""
    path = Path(path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    ext = path.suffix.lower()
    if ext == ".parquet":
        skipped.to_parquet(path, index=False)
    elif ext == ".jsonl":
        skipped.to_json(path, orient="records", lines=True, force_ascii=False)
    else:
        skipped.to_csv(path, index=False, encoding="utf-8")
    return path


def _dumps(obj) -> bytes:
    out = _json.dumps(obj)  # orjson gives bytes, the json module str
    return out.encode("utf-8") if isinstance(out, str) else out
