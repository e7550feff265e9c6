"""Opening inputs: files read once and hashed as read, gzip and zip streamed under a size cap.

- :class:`FileBlocks` reads a file in blocks, hashing (SHA-256) exactly the
  bytes it reads, in the same pass; :meth:`FileBlocks.record` gives the
  ``{path, sha256, bytes}`` entry of ``articles.attrs["inputs"]``.
- :func:`gunzip` inflates gzip data (several members too) in bounded
  pieces, in a background thread beside the parser when asked (inflating
  releases the GIL). It never holds more than a few MiB of output at once,
  refuses output beyond ``max_bytes`` (:class:`~analysis.io.problems.TooLarge`)
  and reports a stream that ends early as
  :class:`~analysis.io.problems.Truncated` after everything before it.
- :func:`zip_member_chunks` streams one member of a zip archive the same
  way; a member whose declared size exceeds the cap is refused unread.
- :class:`Stream` lets a reader look at the first 64 KiB before choosing a
  format, then read on (chunk by chunk or whole).

The cap is per file or archive member: ``load_corpus(max_bytes=...)``, else
the environment variable ``ANALYSIS_MAX_BYTES`` (``4GiB``, ``500M``,
``1000000``), else :data:`DEFAULT_MAX_BYTES` (4 GiB).
"""
from __future__ import annotations

import hashlib
import os
import re
import zlib
from collections.abc import Iterator

from analysis.io.problems import SkipInput, StreamBroken, TooLarge, Truncated

try:  # ISA-L inflates gzip about twice as fast as zlib (bench_load.py)
    from isal import isal_zlib as _inflate
except ImportError:  # pragma: no cover - isal is a dependency
    _inflate = zlib

__all__ = ["DEFAULT_MAX_BYTES", "max_bytes_limit", "FileBlocks", "gunzip", "zip_member_chunks", "Stream",
           "INFLATE_ERRORS"]

DEFAULT_MAX_BYTES = 4 * 2**30
BLOCK = 1 << 20  # bytes read from a file at a time
OUT_PIECE = 4 << 20  # most decompressed bytes produced by one inflate step
INFLATE_ERRORS = (zlib.error, getattr(_inflate, "error", zlib.error), EOFError, OSError)
_UNITS = {"": 1, "b": 1, "k": 10**3, "kb": 10**3, "kib": 2**10, "m": 10**6, "mb": 10**6, "mib": 2**20,
          "g": 10**9, "gb": 10**9, "gib": 2**30, "t": 10**12, "tb": 10**12, "tib": 2**40}


def max_bytes_limit(value=None) -> int:
    """The decompressed-size cap: ``value`` (bytes, or ``"4GiB"``, ``"500M"``),
    else ``$ANALYSIS_MAX_BYTES``, else 4 GiB. Raises ``ValueError``."""
    source = "max_bytes"
    if value is None:
        value = os.environ.get("ANALYSIS_MAX_BYTES") or None
        source = "ANALYSIS_MAX_BYTES"
        if value is None:
            return DEFAULT_MAX_BYTES
    if isinstance(value, bool):
        raise ValueError(f"{source}: {value!r} is not a size")
    if isinstance(value, (int, float)):
        n = int(value)
    else:
        m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?(?:e[0-9]+)?)\s*([A-Za-z]*)\s*", str(value))
        unit = m.group(2).lower() if m else ""
        if not m or unit not in _UNITS:
            raise ValueError(f"{source}: cannot read the size {value!r} (e.g. 4GiB, 500MB, 1000000)")
        n = int(float(m.group(1)) * _UNITS[unit])
    if n <= 0:
        raise ValueError(f"{source}: the size must be positive, not {value!r}")
    return n


class FileBlocks:
    """A file's bytes in blocks, hashed as they are read (one pass).

    Iterate for the blocks (once); :meth:`peek` looks at the start first;
    :meth:`drain` reads what nobody used, so :meth:`record` always hashes
    the whole file; ``pos`` is the number of bytes read so far.
    """

    def __init__(self, fh, block: int = BLOCK):
        self._fh = fh
        try:  # a small file is read in one call of its size (no 1 MiB buffer to shrink)
            size = os.fstat(fh.fileno()).st_size
        except (OSError, AttributeError, ValueError):
            size = 0
        self._block = min(block, size + 1) if size else block
        self._sha = hashlib.sha256()
        self.pos = 0
        self._peeked = b""
        self._eof = False

    def _read(self) -> bytes:
        if self._eof:
            return b""
        data = self._fh.read(self._block)
        if data:
            self._sha.update(data)
            self.pos += len(data)
        else:
            self._eof = True
        return data

    def peek(self, n: int) -> bytes:
        while len(self._peeked) < n:
            more = self._read()
            if not more:
                break
            self._peeked += more
        return self._peeked[:n]

    def __iter__(self) -> Iterator[bytes]:
        if self._peeked:
            data, self._peeked = self._peeked, b""
            yield data
        while True:
            data = self._read()
            if not data:
                return
            yield data

    def read_all(self) -> bytes:
        rest = b"" if self._eof else self._fh.read()
        if rest:
            self._sha.update(rest)
            self.pos += len(rest)
        self._eof = True
        data, self._peeked = self._peeked + rest, b""
        return data

    def drain(self) -> None:
        self._peeked = b""
        while self._read():
            pass

    def record(self, path) -> dict:
        return {"path": str(path), "sha256": self._sha.hexdigest(), "bytes": self.pos}


def _inflate_all(blocks, limit: int, what: str, progress_pos=None) -> Iterator[tuple[bytes, int]]:
    """(decompressed piece, compressed bytes read) for gzip ``blocks``."""
    d = _inflate.decompressobj(47)
    fed = False  # has the current member been given data?
    total = 0
    for block in blocks:
        data = block
        pos = progress_pos() if progress_pos else 0
        while data:
            if d.eof:
                if not data.strip(b"\x00"):
                    break  # zero padding after the last member
                d = _inflate.decompressobj(47)
                fed = False
            try:
                out = d.decompress(data, OUT_PIECE)
            except INFLATE_ERRORS as exc:
                if total:
                    raise StreamBroken(f"corrupt gzip data after {total:,} bytes: {exc}", "bad gzip") from None
                raise SkipInput(f"corrupt gzip data: {exc}", "bad gzip") from None
            fed = True
            if out:
                total += len(out)
                if total > limit:
                    raise TooLarge(what, limit)
                yield out, pos
            data = d.unused_data if d.eof else d.unconsumed_tail
    if fed and not d.eof:
        raise Truncated(f"truncated: the gzip data ends early, after {total:,} decompressed bytes")


def gunzip(blocks, limit: int, what: str, *, threaded: bool = True, progress=None) -> Iterator[bytes]:
    """Decompressed chunks of the gzip data in ``blocks`` (an iterable of
    bytes, e.g. :class:`FileBlocks`). With ``threaded``, a background thread
    reads and inflates while the caller parses. ``progress(pos)`` is called
    with the compressed bytes read so far. Raises ``TooLarge``,
    ``SkipInput`` (not gzip), ``StreamBroken``/``Truncated`` (after the
    chunks before the break)."""
    pos_of = (lambda: blocks.pos) if isinstance(blocks, FileBlocks) else None
    if not threaded:
        for out, pos in _inflate_all(blocks, limit, what, pos_of):
            if progress is not None:
                progress(pos)
            yield out
        return
    import queue
    import threading

    q: queue.Queue = queue.Queue(maxsize=8)
    stop = threading.Event()

    def work():
        try:
            for item in _inflate_all(blocks, limit, what, pos_of):
                while not stop.is_set():
                    try:
                        q.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put(None)
        except BaseException as exc:  # handed to the consumer
            q.put(exc)

    thread = threading.Thread(target=work, daemon=True, name="analysis-gunzip")
    thread.start()
    try:
        while True:
            item = q.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            out, pos = item
            if progress is not None:
                progress(pos)
            yield out
    finally:
        stop.set()
        while thread.is_alive():
            try:
                q.get_nowait()
            except queue.Empty:
                thread.join(0.01)


def zip_member_chunks(archive, info, limit: int, what: str) -> Iterator[bytes]:
    """Decompressed chunks of one zip member, refused when its declared or
    actual size exceeds ``limit``."""
    import zipfile

    if info.file_size > limit:
        raise TooLarge(f"{what} (declared {info.file_size:,} bytes)", limit)
    total = 0
    try:
        with archive.open(info) as fh:
            while True:
                data = fh.read(BLOCK)
                if not data:
                    return
                total += len(data)
                if total > limit:
                    raise TooLarge(what, limit)
                yield data
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError) as exc:
        if total:
            raise StreamBroken(f"damaged archive member after {total:,} bytes: {exc}", "bad zip") from None
        raise SkipInput(f"cannot extract from archive: {exc}", "bad zip") from None


class Stream:
    """Chunks of one input, with a look at the start before reading on.

    A break (:class:`StreamBroken`) while looking ahead is kept and raised
    after the chunks before it, wherever they are read."""

    def __init__(self, chunks):
        self._it = iter(chunks)
        self._buf: list[bytes] = []
        self._size = 0
        self._done = False
        self._broken: StreamBroken | None = None

    @classmethod
    def of(cls, data: bytes) -> Stream:
        return cls([data] if data else [])

    def _pull(self) -> bool:
        if self._done:
            return False
        try:
            chunk = next(self._it)
        except StopIteration:
            self._done = True
            return False
        except StreamBroken as exc:
            self._done, self._broken = True, exc
            return False
        self._buf.append(chunk)
        self._size += len(chunk)
        return True

    def head(self, n: int = 65536) -> bytes:
        """At least ``n`` bytes from the start (fewer only at the end)."""
        while self._size < n and self._pull():
            pass
        if len(self._buf) > 1:
            self._buf = [b"".join(self._buf)]
        return self._buf[0][:n] if self._buf else b""

    def __iter__(self) -> Iterator[bytes]:
        while self._buf:
            yield self._buf.pop(0)
        while self._pull():
            yield self._buf.pop()
        if self._broken is not None:
            raise self._broken

    def close(self) -> None:
        """Stop the source (a background inflater ends); idempotent."""
        self._done = True
        close = getattr(self._it, "close", None)
        if close is not None:
            close()

    def read_all(self) -> tuple[bytes, StreamBroken | None]:
        """Everything (joined), and the break that ended it early, if any."""
        parts = []
        try:
            for chunk in self:
                parts.append(chunk)
        except StreamBroken as exc:
            return b"".join(parts), exc
        return b"".join(parts), None
