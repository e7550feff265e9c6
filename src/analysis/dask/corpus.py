"""The corpus as a dask DataFrame: pieces of input files, each read by the loader's own code.

:func:`read_corpus` plans *pieces* on the client, then builds a
``dask.dataframe`` with :func:`dask.dataframe.from_map`, one partition per piece:

- a whole file (any format the loader reads; read by
  :class:`analysis.io.reader.Reader`, exactly as :func:`analysis.load_corpus` does);
- a line-aligned byte range of a large uncompressed JSON Lines file (read by
  :func:`analysis.io.jsonl.read_jsonl` with ``first_line``, so lines are the file's);
- a line-aligned chunk of a large ``.jsonl.gz``: the file is inflated once, in a
  stream (bounded memory), into chunk files in a spill folder (kept, keyed by
  the file's path, size and mtime, so a second read reuses them).

Every piece is turned into rows by :func:`analysis.io.articles.build_articles`
(field mapping, markup, dates, filters, skipped records and problems as in
``load_corpus``). What depends on the whole corpus is then done across
partitions: duplicates and wire-copy groups by a hash shuffle of content keys
(the normalized text, with the title for short texts, as
:func:`analysis.io.dedup.content_key` gives them, as digests), the first copy in input
order kept (order key = piece, row); repeated ids made unique in input order.
The result equals ``load_corpus`` row for row (same ids, ``dup_group``,
``parent_id``, order), plus a ``line`` column (1-based line of the record in its
file, row number for tables; <NA> where the format has none).

Reading happens twice: once (when :func:`read_corpus` is called) for the small
key table that the shuffle needs, and again whenever the returned frame is
computed. Memory is bounded by the pieces (``blocksize``), not the corpus.
"""
from __future__ import annotations

import codecs
import hashlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.dask.cluster import compute, persist
from analysis.io.articles import ARTICLE_COLUMNS, Options, build_articles
from analysis.io.dates import resolve_tz
from analysis.io.dedup import content_digests
from analysis.io.encoding import bom_encoding, is_binary
from analysis.io.fields import CRAWL_DATE_FIELDS, parse_fields
from analysis.io.files import JSONL_EXT, default_corpus, expand_paths
from analysis.io.filters import as_list, match_key, parse_bound
from analysis.io.handles import FileBlocks, gunzip, max_bytes_limit
from analysis.io.ids import make_unique
from analysis.io.jsonl import read_jsonl
from analysis.io.problems import LoadLog, SkipInput, StreamBroken, problems_table, skipped_table
from analysis.io.reader import Reader
from analysis.io.records import Collector

__all__ = ["CORPUS_COLUMNS", "Piece", "load_info", "parse_blocksize", "plan_pieces", "read_corpus", "read_piece"]

CORPUS_COLUMNS = ARTICLE_COLUMNS + ["line"]
_READ = 1 << 20
_ROW_BITS = 32  # order key = piece << 32 | row within the piece


# --------------------------------------------------------------------------- options
def parse_blocksize(value) -> int:
    """``"64MB"``, ``"1GiB"`` or a number of bytes."""
    return max_bytes_limit(value if value is not None else "64MB")


@dataclass(frozen=True)
class Piece:
    """One partition's input: ``kind`` is ``whole`` (a file read by the loader),
    ``range`` (bytes ``start:end`` of an uncompressed JSON Lines file) or
    ``chunk`` (an inflated chunk file ``chunk`` of a ``.jsonl.gz``); ``line0`` is
    the number of lines of the file before the piece. A ``whole`` piece may hold
    several small files (``paths``; ``start`` 1 when more may join, ``end`` their bytes)."""

    index: int          # piece number (input order)
    file_index: int
    path: str           # the file as found (source_file)
    kind: str = "whole"
    start: int = 0
    end: int = 0
    line0: int = 0
    chunk: str | None = None
    broken: tuple | None = None   # (reason, kind): the stream broke off after this chunk
    n_pieces: int = 1   # pieces of this file
    paths: tuple = ()   # kind "whole": several small files read one after another into one partition


def _options(fields, tz, start, end, outlets, categories, exclude_categories) -> tuple[dict, Options]:
    fields = parse_fields(fields)
    tzinfo = resolve_tz(tz)
    opts = Options(tz=tzinfo, start=parse_bound(start, tzinfo, end=False), end=parse_bound(end, tzinfo, end=True),
                   outlets=as_list(outlets), categories=as_list(categories),
                   exclude_categories=as_list(exclude_categories), dedup=False)
    return fields, opts


# --------------------------------------------------------------------------- planning
def _splittable_head(head: bytes) -> bool:
    """JSON Lines the loader streams line by line (no UTF-16/32 BOM, not binary, opens with an object)."""
    bom = bom_encoding(head)
    if bom in ("utf-16", "utf-32") or (bom is None and is_binary(head)):
        return False
    body = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    return body.lstrip()[:1] == b"{"


def _inner_ext(name: str) -> tuple[str, bool]:
    lower = name.lower()
    gz = lower.endswith(".gz")
    if gz:
        lower = lower[:-3]
    return os.path.splitext(lower)[1], gz


class _Cutter:
    """Cuts a stream of bytes at the first line end at or after every ``blocksize`` bytes."""

    def __init__(self, blocksize: int):
        self.blocksize = blocksize
        self.pos = 0           # bytes seen
        self.lines = 0         # line ends seen
        self.cuts = [(0, 0)]   # (byte offset, lines before)
        self.next_cut = blocksize
        self.utf8 = codecs.getincrementaldecoder("utf-8")()
        self.valid = True

    def feed(self, block: bytes) -> list[int]:
        """Offsets within ``block`` after which a piece ends."""
        out = []
        if self.valid:
            try:
                self.utf8.decode(block)
            except UnicodeDecodeError:
                self.valid = False
        lo = 0
        while self.pos + len(block) > self.next_cut:
            at = block.find(b"\n", max(lo, self.next_cut - self.pos))
            if at < 0:
                break
            self.lines += block.count(b"\n", lo, at + 1)
            lo = at + 1
            self.cuts.append((self.pos + lo, self.lines))
            out.append(lo)
            self.next_cut = self.pos + lo + self.blocksize
        self.lines += block.count(b"\n", lo)
        self.pos += len(block)
        return out

    def finish(self) -> bool:
        if self.valid:
            try:
                self.utf8.decode(b"", final=True)
            except UnicodeDecodeError:
                self.valid = False
        if self.cuts[-1][0] >= self.pos and len(self.cuts) > 1:
            self.cuts.pop()  # the file ended at a cut
        return self.valid


def _scan_plain(path: Path, blocksize: int) -> tuple[list[tuple[int, int]], int, dict] | None:
    """Line-aligned cuts of an uncompressed JSON Lines file, its size and its inputs record;
    None when it must be read whole (not valid UTF-8 throughout: the loader decides its encoding
    from the whole file)."""
    cutter = _Cutter(blocksize)
    with open(path, "rb") as fh:
        blocks = FileBlocks(fh, _READ)
        for block in blocks:
            cutter.feed(block)
        record = blocks.record(path)
    if not cutter.finish():
        return None
    return cutter.cuts, cutter.pos, record


def _spill_root(spill_dir) -> Path:
    if spill_dir is not None:
        return Path(spill_dir)
    env = os.environ.get("ANALYSIS_CACHE_DIR")
    if env:
        return Path(env) / "dask-chunks"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "analysis" / "dask-chunks"


def _tmp_suffix() -> str:
    """A temporary file's suffix no other process or thread uses (two loads of one file may
    inflate it at once; each writes its own files and renames them into place)."""
    return f".{os.getpid()}.{threading.get_ident()}.tmp"


def _chunk_gz(path: Path, blocksize: int, limit: int, spill_dir) -> dict | None:
    """Inflate a ``.jsonl.gz`` in a stream into line-aligned chunk files; returns the manifest
    (chunks with their first lines, the break if the stream broke off, the inputs record), or None
    when the file is to be read whole (small, not JSON Lines, not UTF-8 throughout, refused)."""
    folder = _chunk_folder(path, blocksize, limit, spill_dir)
    manifest = folder / "manifest.json"
    if manifest.exists():
        try:
            found = json.loads(manifest.read_text())
            if all((folder / c["file"]).exists() for c in found["chunks"]):
                return found if found.get("split") else None
        except (OSError, ValueError, KeyError):
            pass
    folder.mkdir(parents=True, exist_ok=True)
    cutter = _Cutter(blocksize)
    chunks: list[dict] = []
    buf: list[bytes] = []
    broken = None
    checked = False
    split = True

    def write(data: bytes, lines_before: int) -> None:
        name = f"chunk-{len(chunks):05d}.jsonl"
        tmp = folder / (name + _tmp_suffix())
        with open(tmp, "wb") as out:
            out.write(data)
        os.replace(tmp, folder / name)
        chunks.append({"file": name, "line0": lines_before, "bytes": len(data)})

    with open(path, "rb") as fh:
        blocks = FileBlocks(fh, _READ)
        lines_before = 0
        try:
            for out in gunzip(blocks, limit, str(path), threaded=True):
                if not checked:
                    buf.append(out)
                    head = b"".join(buf)
                    if len(head) < 65536:
                        continue
                    checked = True
                    buf = []
                    if not _splittable_head(head[:65536]):
                        split = False
                        break
                    out = head
                cuts = cutter.feed(out)
                lo = 0
                for at in cuts:
                    buf.append(out[lo:at])
                    write(b"".join(buf), lines_before)
                    buf = []
                    lines_before = cutter.cuts[len(chunks)][1]
                    lo = at
                buf.append(out[lo:])
                if not cutter.valid:
                    split = False
                    break
        except StreamBroken as exc:
            broken = (exc.reason, exc.kind)
        except SkipInput:
            split = False  # refused or not gzip at all: the loader reports it
        if split and not checked:
            split = False  # under 64 KiB inflated: one piece, read by the loader
        if split and not cutter.finish():
            split = False
        if split:
            rest = b"".join(buf)
            if rest or not chunks:
                write(rest, lines_before)
            blocks.drain()
            record = blocks.record(path)
    if not split or len(chunks) < 2:
        for c in chunks:
            try:
                (folder / c["file"]).unlink()
            except OSError:
                pass
        found = {"split": False, "chunks": []}
    else:
        found = {"split": True, "chunks": chunks, "broken": broken, "input": record}
    tmp = folder / ("manifest.json" + _tmp_suffix())
    tmp.write_text(json.dumps(found))
    os.replace(tmp, manifest)
    return found if found["split"] else None


def plan_pieces(paths=None, blocksize="64MB", *, max_bytes=None, spill_dir=None) -> tuple[list[Piece], dict]:
    """The pieces :func:`read_corpus` reads (one partition each) and what planning learnt:
    ``{"files", "skipped", "ignored", "reports", "inputs"}`` (``inputs``: records of the files
    hashed while planning, by path)."""
    size = parse_blocksize(blocksize)
    limit = max_bytes_limit(max_bytes)
    if paths is None:
        paths = [default_corpus()]
    skipped, ignored, reports = [], [], []
    files = expand_paths(paths, skipped, ignored, reports)
    pieces: list[Piece] = []
    inputs: dict[str, dict] = {}
    for fi, f in enumerate(files):
        name = str(f)
        ext, gz = _inner_ext(f.name)
        try:
            nbytes = f.stat().st_size
            with open(f, "rb") as fh:
                head = fh.read(65536)
        except OSError:
            nbytes, head = 0, b""
        if ext in JSONL_EXT and not gz and nbytes > size and _splittable_head(head):
            scan = _scan_plain(f, size)
            if scan is not None and len(scan[0]) > 1:
                cuts, total, record = scan
                inputs[name] = record
                bounds = [c[0] for c in cuts] + [total]
                for k, (start, line0) in enumerate(cuts):
                    pieces.append(Piece(len(pieces), fi, name, "range", start, bounds[k + 1], line0,
                                        n_pieces=len(cuts)))
                continue
        if ext in JSONL_EXT and gz and head[:2] == b"\x1f\x8b" and nbytes * 2 > size:
            found = _chunk_gz(f, size, limit, spill_dir)
            if found is not None:
                inputs[name] = found["input"]
                root = _chunk_folder(f, size, limit, spill_dir)
                for k, c in enumerate(found["chunks"]):
                    last = k == len(found["chunks"]) - 1
                    brk = tuple(found["broken"]) if last and found.get("broken") else None
                    pieces.append(Piece(len(pieces), fi, name, "chunk", 0, c["bytes"], c["line0"],
                                        str(root / c["file"]), brk, len(found["chunks"])))
                continue
        small = nbytes < size // 4
        last = pieces[-1] if pieces else None
        if (small and last is not None and last.kind == "whole" and last.end + nbytes <= size
                and len(last.paths) < 256 and last.start):
            pieces[-1] = Piece(last.index, last.file_index, last.path, "whole", 1, last.end + nbytes,
                               paths=last.paths + (name,))
        else:
            pieces.append(Piece(len(pieces), fi, name, "whole", int(small), nbytes, paths=(name,)))
    return pieces, {"files": len(files), "skipped": skipped, "ignored": ignored, "reports": reports,
                    "inputs": inputs}


def _chunk_folder(path: Path, blocksize: int, limit: int, spill_dir) -> Path:
    st = path.stat()
    key = hashlib.sha1(f"{os.path.realpath(path)}|{st.st_size}|{st.st_mtime_ns}|{blocksize}|{limit}".encode()).hexdigest()[:20]
    return _spill_root(spill_dir) / key


# --------------------------------------------------------------------------- reading one piece
def _range_chunks(path: str, start: int, end: int):
    with open(path, "rb") as fh:
        fh.seek(start)
        left = end - start
        while left > 0:
            data = fh.read(min(_READ, left))
            if not data:
                return
            left -= len(data)
            yield data


def _chunk_blocks(piece: Piece):
    yield from _range_chunks(piece.chunk, 0, piece.end)
    if piece.broken is not None:
        raise StreamBroken(piece.broken[0], piece.broken[1])


def _collect(piece: Piece, fields: dict, limit: int) -> tuple[Collector, bool]:
    """The piece's rows, read by the loader's code; whether it held no records at all."""
    log = LoadLog()
    collector = Collector(fields, log)
    if piece.kind == "whole":
        reader = Reader(collector, limit, None)
        for path in piece.paths or (piece.path,):
            reader.read_file(Path(path))
        return collector, False
    blocks = _range_chunks(piece.path, piece.start, piece.end) if piece.kind == "range" else _chunk_blocks(piece)
    no_records = False
    try:
        read_jsonl(piece.path, blocks, collector, first_line=piece.line0)
    except SkipInput as exc:
        if exc.kind != "no records":
            raise
        no_records = True
    return collector, no_records


def _load_rows(piece: Piece, fields: dict, opts: Options, limit: int) -> dict:
    """The piece as the loader builds it (filters applied, no duplicates merged, ids as in the
    input), with each row's position: ``table`` (ARTICLE_COLUMNS with the raw ids, ``line``,
    ``_row``, ``_parent_row``, ``_parent_raw``: the parent's id when a filter left the parent
    out), the log and the summary of the piece."""
    collector, no_records = _collect(piece, fields, limit)
    rows, log = collector.rows, collector.log
    df = build_articles(rows, log, opts, 1, warn=False, positions=True, unique_ids=False)
    summary = df.attrs["summary"]
    df.attrs = {}
    row = df["row"].to_numpy(dtype=np.int64)
    parent_row = df["parent_row"].to_numpy(dtype=np.int64)
    kept_rows = set(row.tolist())
    parent_raw = [p if pr >= 0 and pr not in kept_rows else None
                  for p, pr in zip(df["parent_id"].tolist(), parent_row.tolist())]
    df = df.drop(columns=["row", "parent_row"])
    df["_row"] = row
    df["_parent_row"] = parent_row
    df["_parent_raw"] = pd.Series(parent_raw, dtype=object, index=df.index)
    return {"table": df, "log": log, "summary": summary, "no_records": no_records,
            "rows_total": len(rows)}


def _order(piece: Piece, row: np.ndarray) -> np.ndarray:
    if len(row) and int(row.max()) >= 1 << _ROW_BITS:
        raise ValueError(f"{piece.path}: more than {1 << _ROW_BITS:,} records in one piece; lower blocksize")
    return (np.int64(piece.index) << _ROW_BITS) | row.astype(np.int64)


def _scan_piece(piece: Piece, fields: dict, opts: Options, limit: int) -> dict:
    """Pass 1: the small key table of a piece and its log, counted as the loader counts."""
    got = _load_rows(piece, fields, opts, limit)
    df, log = got["table"], got["log"]
    order = _order(piece, df["_row"].to_numpy())
    h1, h2 = content_digests(df["title"].tolist(), df["text"].tolist())
    okeys = [match_key(o) if o is not None else "" for o in df["outlet"].tolist()]
    dfield = df["date_field"].tolist()
    keys = pd.DataFrame({
        "order": order, "h1": h1, "h2": h2, "okey": pd.Series(okeys, dtype=object),
        "raw_id": pd.Series(df["article_id"].to_numpy(dtype=object), dtype=object),
        "source_file": pd.Series(df["source_file"].to_numpy(dtype=object), dtype=object),
        "line": df["line"].to_numpy(), "dated": df["published"].notna().to_numpy(),
        "outlet": pd.Series(df["outlet"].to_numpy(dtype=object), dtype=object),
        "category": pd.Series(df["category"].to_numpy(dtype=object), dtype=object),
        "crawl": np.array([f is not None and f.lower() in CRAWL_DATE_FIELDS for f in dfield], dtype=bool),
        "related": (df["_parent_row"].to_numpy() >= 0)})
    row_order = dict(zip(df["_row"].tolist(), order.tolist()))
    # rows left out (empty text, filters) have no problems; a problem keeps its row's order key
    problems = [(*p[:5], row_order[p[5]] if p[5] >= 0 else -1) for p in log.problem_rows(set(row_order))]
    skipped = log.skipped_rows()
    parents = []  # (child order, parent order) for parents kept by the filters
    for o, pr, praw in zip(order.tolist(), df["_parent_row"].tolist(), df["_parent_raw"].tolist()):
        if pr >= 0 and praw is None:
            parents.append((o, int(_order(piece, np.array([pr]))[0])))
    s = got["summary"]
    info = {"skipped": skipped, "problems": problems, "inputs": list(log.inputs), "no_records": got["no_records"],
            "parents": parents, "records": int(s["records"]), "html_cleaned": int(s["html_cleaned"]),
            "dates_unparsed": int(s["dates_unparsed"]), "filtered_out": int(s["filtered_out"]),
            "undated_filtered": int(s["undated_filtered"])}
    return {"keys": keys, "info": info}


_KEY_META = pd.DataFrame({
    "order": pd.Series([], dtype=np.int64), "h1": pd.Series([], dtype=np.uint64),
    "h2": pd.Series([], dtype=np.uint64), "okey": pd.Series([], dtype=object),
    "raw_id": pd.Series([], dtype=object), "source_file": pd.Series([], dtype=object),
    "line": pd.Series([], dtype="Int64"),
    "dated": pd.Series([], dtype=bool), "outlet": pd.Series([], dtype=object),
    "category": pd.Series([], dtype=object), "crawl": pd.Series([], dtype=bool),
    "related": pd.Series([], dtype=bool)})


# --------------------------------------------------------------------------- duplicates and ids
def _decide(part: pd.DataFrame, dedup: bool = True) -> pd.DataFrame:
    """In one shuffle bucket (all copies of a content key together): which rows are duplicates
    (same outlet key and content key as an earlier row: dropped, ``ref`` = the kept row) and
    which kept rows are wire copies (``ref`` = the first kept row of the content key). Only rows
    with something to say are returned."""
    part = part.sort_values("order", kind="mergesort")
    dup = part.duplicated(["okey", "h1", "h2"], keep="first").to_numpy() if dedup else np.zeros(len(part), bool)
    first_of = part.groupby(["okey", "h1", "h2"], sort=False)["order"].transform("first").to_numpy()
    first_raw = part.groupby(["okey", "h1", "h2"], sort=False)["raw_id"].transform("first").to_numpy(dtype=object)
    kept = part[~dup]
    head = kept.groupby(["h1", "h2"], sort=False)["order"].transform("first").to_numpy()
    head_raw = kept.groupby(["h1", "h2"], sort=False)["raw_id"].transform("first").to_numpy(dtype=object)
    order = part["order"].to_numpy()
    out_dropped = pd.DataFrame({"order": order[dup], "dropped": True, "ref": first_of[dup],
                                "ref_raw": pd.Series(first_raw[dup], dtype=object)})
    korder = kept["order"].to_numpy()
    wire = head != korder
    out_wire = pd.DataFrame({"order": korder[wire], "dropped": False, "ref": head[wire],
                             "ref_raw": pd.Series(head_raw[wire], dtype=object)})
    return pd.concat([out_dropped, out_wire], ignore_index=True)


_DECIDE_META = pd.DataFrame({"order": pd.Series([], dtype=np.int64), "dropped": pd.Series([], dtype=bool),
                             "ref": pd.Series([], dtype=np.int64), "ref_raw": pd.Series([], dtype=object)})


def _unique_ids(rows: pd.DataFrame, dropped: set) -> dict[int, str]:
    """:func:`analysis.io.ids.make_unique` over the kept rows whose ids can clash (repeated ids
    and ids ending in ``~N``; no other id can equal a made-up one), in input order."""
    rows = rows[~rows["order"].isin(dropped)].sort_values("order", kind="mergesort")
    orders = rows["order"].tolist()
    final, renamed = make_unique(rows["raw_id"].tolist(), list(range(len(orders))))
    return {orders[i]: final[i] for i, _ in renamed}


# --------------------------------------------------------------------------- pass 2
def read_piece(piece: Piece, decisions: dict | None = None, fields=None, opts: Options | None = None,
               limit: int | None = None) -> pd.DataFrame:
    """One partition of :func:`read_corpus`: the piece's rows of the articles table
    (:data:`CORPUS_COLUMNS`), duplicates dropped, ids, ``dup_group`` and ``parent_id`` as the
    whole-corpus load gives them (``decisions``: what :func:`read_corpus` decided for the piece;
    None or ``{}``: the piece's rows as read, each its own group). ``fields``: the field mapping
    (``parse_fields`` form), ``opts``: the load's :class:`~analysis.io.articles.Options`
    (default: no filters), ``limit``: the decompressed-size cap. Emits no warnings (what the
    load reports is in :func:`load_info`) and keeps no state between calls: safe on threads."""
    fields = parse_fields(fields)
    opts = Options(dedup=False) if opts is None else opts
    limit = max_bytes_limit(limit)
    decisions = decisions or {}
    got = _load_rows(piece, fields, opts, limit)
    df = got["table"]
    order = _order(piece, df["_row"].to_numpy())
    drop, ids, groups, parents = (decisions.get(k, {}) for k in ("drop", "ids", "groups", "parents"))
    keep = np.fromiter((o not in drop for o in order.tolist()), dtype=bool, count=len(order)) if drop else \
        np.ones(len(order), dtype=bool)
    df = df[keep].reset_index(drop=True)
    order = order[keep]
    raw = df["article_id"].tolist()
    final = [ids.get(o, r) for o, r in zip(order.tolist(), raw)]
    df["article_id"] = pd.Series(final, dtype=object)
    df["dup_group"] = pd.Series([groups.get(o, f) for o, f in zip(order.tolist(), final)], dtype=object)
    if parents:
        pid = df["parent_id"].tolist()
        df["parent_id"] = pd.Series([parents.get(o, p) for o, p in zip(order.tolist(), pid)], dtype=object)
    return df[CORPUS_COLUMNS]


def _meta_frame() -> pd.DataFrame:
    cols = {c: pd.Series([], dtype=object) for c in CORPUS_COLUMNS}
    cols["published"] = pd.Series([], dtype="datetime64[ns, UTC]")
    cols["line"] = pd.Series([], dtype="Int64")
    return pd.DataFrame(cols, columns=CORPUS_COLUMNS)


def read_corpus(
    paths=None,
    blocksize="64MB",
    *,
    fields=None,
    tz="UTC",
    start=None,
    end=None,
    outlets=None,
    categories=None,
    exclude_categories=None,
    dedup: bool = True,
    max_bytes=None,
    spill_dir=None,
    progress: bool = True,
    shuffle_partitions: int | None = None,
):
    """The articles table of ``paths`` as a lazy ``dask.dataframe`` (one partition per piece).

    Same options and the same rows as :func:`analysis.load_corpus`: columns
    ``article_id``, ``title``, ``text``, ``published``, ``outlet``, ``url``,
    ``category``, ``keywords``, ``source_file``, ``parent_id``, ``dup_group``,
    ``date_field``, plus ``line`` (Int64: the record's 1-based line in its file,
    the row for tables). Partitions are in input order: their concatenation is
    ``load_corpus``'s table.

    ``blocksize``: bytes per partition of a large JSON Lines file (``"64MB"``). A
    ``.jsonl.gz`` larger than that once inflated is inflated once, in a stream,
    into line-aligned chunk files under ``spill_dir`` (default
    ``$ANALYSIS_CACHE_DIR/dask-chunks``, else ``~/.cache/analysis/dask-chunks``;
    as much disk as the inflated text; reused while the file is unchanged). Every
    other file is one partition. A JSON Lines file that is not valid UTF-8
    throughout is one partition too (the loader decides its encoding over the
    whole file).

    Duplicates and ids are decided when this is called: every piece is read once
    on the current dask scheduler (a ``distributed.Client`` when one is active)
    for a small key table, shuffled by content key. :func:`load_info` gives what
    ``load_corpus`` puts in ``attrs``: ``summary``, ``skipped``, ``problems``,
    ``inputs``. Computing the frame reads the pieces again.
    """
    import dask
    import dask.dataframe as dd

    fields_, opts = _options(fields, tz, start, end, outlets, categories, exclude_categories)
    limit = max_bytes_limit(max_bytes)
    pieces, plan = plan_pieces(paths, blocksize, max_bytes=max_bytes, spill_dir=spill_dir)
    with dask.config.set({"dataframe.convert-string": False}):
        scans = [dask.delayed(_scan_piece, pure=True)(p, fields_, opts, limit) for p in pieces]
        scans = list(persist(scans))
        keys = dd.from_delayed([dask.delayed(_get, pure=True)(s, "keys") for s in scans], meta=_KEY_META,
                               verify_meta=False)
        infos = [dask.delayed(_get, pure=True)(s, "info") for s in scans]
        nbuckets = int(shuffle_partitions or max(1, min(len(pieces), 32)))
        bucketed = keys.assign(bucket=(keys["h1"] % np.uint64(nbuckets)).astype(np.int64))
        decided = bucketed.shuffle(on="bucket", npartitions=nbuckets).map_partitions(_decide, bool(dedup), meta=_DECIDE_META)
        counts = keys["raw_id"].value_counts()
        suffixed = keys["raw_id"][keys["raw_id"].str.contains(r"~\d+$", regex=True)]
        decided_v, repeated_v, suffixed_v, *infos_v = compute(progress, decided, counts[counts > 1], suffixed, *infos)
        dropped = decided_v[decided_v["dropped"].to_numpy(dtype=bool)]
        drop_list = sorted(dropped["order"].tolist())
        clash = sorted(set(repeated_v.index.tolist()) | set(suffixed_v.tolist()))
        kept_keys = keys[~keys["order"].isin(drop_list)] if drop_list else keys
        stats = kept_keys.map_partitions(_stats, meta=_STATS_META)
        id_rows = kept_keys[kept_keys["raw_id"].isin(clash)][["order", "raw_id", "source_file", "line"]] if clash else None
        stats_v, id_rows_v = compute(False, stats, id_rows if id_rows is not None else dask.delayed(None))
    del scans
    if id_rows_v is None:
        id_rows_v = pd.DataFrame({"order": pd.Series([], dtype=np.int64), "raw_id": pd.Series([], dtype=object),
                                  "source_file": pd.Series([], dtype=object), "line": pd.Series([], dtype="Int64")})
    drop_set = set(drop_list)
    renamed = _unique_ids(id_rows_v, drop_set)
    per_piece = _decisions(decided_v, renamed, infos_v)
    meta = _meta_frame()
    meta.attrs.update(_load_attrs(plan, pieces, infos_v, decided_v, drop_set, renamed, id_rows_v, stats_v))
    with dask.config.set({"dataframe.convert-string": False}):
        # each partition's task carries only its own decisions
        return dd.from_map(read_piece, pieces, [per_piece.get(p.index, {}) for p in pieces],
                           args=(fields_, opts, limit), meta=meta, label="analysis-articles", enforce_metadata=False)


def _decisions(decided: pd.DataFrame, renamed: dict, infos: list) -> dict[int, dict]:
    """Per piece: the rows to drop, new ids, ``dup_group`` values other than the row's own id,
    ``parent_id`` values that changed (the parent was dropped as a duplicate or renamed)."""
    per: dict[int, dict] = {}

    def slot(o: int, what: str):
        return per.setdefault(o >> _ROW_BITS, {}).setdefault(what, set() if what == "drop" else {})

    dropped = decided["dropped"].to_numpy(dtype=bool)
    rep = {}
    for o, ref, raw in zip(decided["order"][dropped].tolist(), decided["ref"][dropped].tolist(),
                           decided["ref_raw"][dropped].tolist()):
        slot(o, "drop").add(o)
        rep[o] = (ref, raw)
    for o, new in renamed.items():
        slot(o, "ids")[o] = new
    for o, ref, raw in zip(decided["order"][~dropped].tolist(), decided["ref"][~dropped].tolist(),
                           decided["ref_raw"][~dropped].tolist()):
        slot(o, "groups")[o] = renamed.get(ref, raw)
    for info in infos:
        for o, po in info["parents"]:
            if po in rep:
                ref, raw = rep[po]
                slot(o, "parents")[o] = renamed.get(ref, raw)
            elif po in renamed:
                slot(o, "parents")[o] = renamed[po]
    return per


def _stats(keys: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "loaded": [len(keys)], "dated": [int(keys["dated"].sum())], "related": [int(keys["related"].sum())],
        "crawl": [int(keys["crawl"].sum())],
        "outlets": [sorted(set(keys["outlet"].dropna().tolist()))],
        "categories": [sorted(set(keys["category"].dropna().tolist()))]})


_STATS_META = pd.DataFrame({"loaded": pd.Series([], dtype=np.int64), "dated": pd.Series([], dtype=np.int64),
                            "related": pd.Series([], dtype=np.int64), "crawl": pd.Series([], dtype=np.int64),
                            "outlets": pd.Series([], dtype=object), "categories": pd.Series([], dtype=object)})


def _get(d: dict, key: str):
    return d[key]


def _load_attrs(plan, pieces, infos, decided, drop_set, renamed, id_rows, stats) -> dict:
    """What ``load_corpus`` puts in ``attrs``: summary, skipped, problems, inputs."""
    skipped = [tuple(s) for s in plan["skipped"]]
    problems = []
    inputs: dict[str, dict] = {}
    n = {"records": 0, "html_cleaned": 0, "dates_unparsed": 0, "filtered_out": 0, "undated_filtered": 0}
    by_file: dict[str, list[bool]] = {}
    for p, info in zip(pieces, infos):
        skipped.extend(info["skipped"])
        problems.extend(pr[:5] for pr in info["problems"] if pr[5] < 0 or pr[5] not in drop_set)
        for rec in info["inputs"]:
            inputs.setdefault(rec["path"], rec)
        for k in n:
            n[k] += info[k]
        if p.kind != "whole":
            by_file.setdefault(p.path, []).append(info["no_records"])
    for path, flags in by_file.items():
        if all(flags):
            skipped.append((path, None, "no records found", "no records"))
    for o, rid, src, line in zip(id_rows["order"].tolist(), id_rows["raw_id"].tolist(),
                                 id_rows["source_file"].tolist(), id_rows["line"].tolist()):
        if o in renamed:
            problems.append((src, None if pd.isna(line) else int(line), "id", "repeated id",
                             f"id {rid!r} repeated; made unique as {renamed[o]!r}"))
    ordered_inputs, seen = [], set()
    for p in pieces:
        for path in p.paths or (p.path,):
            if path not in seen:
                seen.add(path)
                rec = plan["inputs"].get(path) or inputs.get(path)
                if rec is not None:
                    ordered_inputs.append(rec)
    skipped_df = skipped_table(skipped)
    problems_df = problems_table(problems)
    wire = decided[~decided["dropped"].to_numpy(dtype=bool)]
    loaded = int(stats["loaded"].sum())
    dated = int(stats["dated"].sum())
    summary = {
        "files": int(plan["files"]),
        "ignored_files": len(plan["ignored"]),
        "files_skipped": int(skipped_df["line"].isna().sum()),
        "records": int(n["records"]),
        "loaded": loaded,
        "skipped": len(skipped_df),
        "skipped_records": int(skipped_df["line"].notna().sum()),
        "duplicates_dropped": len(drop_set),
        "wire_copies": len(wire),
        "dup_groups": int(wire["ref"].nunique()),
        "related": int(stats["related"].sum()),
        "dates_parsed": dated,
        "dates_missing": loaded - dated,
        "dates_unparsed": int(n["dates_unparsed"]),
        "filtered_out": int(n["filtered_out"]),
        "undated_filtered": int(n["undated_filtered"]),
        "ids_made_unique": len(renamed),
        "html_cleaned": int(n["html_cleaned"]),
        "outlets": len(set().union(*stats["outlets"])) if len(stats) else 0,
        "categories": len(set().union(*stats["categories"])) if len(stats) else 0,
        "problems": len(problems_df),
        "reports_left_out": len(plan["reports"]),
        "crawl_dates": int(stats["crawl"].sum()),
    }
    return {"summary": summary, "skipped": skipped_df, "problems": problems_df, "inputs": ordered_inputs,
            "pieces": len(pieces)}


def load_info(ddf) -> dict:
    """What :func:`analysis.load_corpus` puts in ``attrs``, for a frame from :func:`read_corpus`:
    ``summary`` (the same counts), ``skipped``, ``problems`` (tables), ``inputs``; and ``pieces``."""
    return dict(ddf._meta.attrs)
