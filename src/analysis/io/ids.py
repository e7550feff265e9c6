"""Article ids: the record's own id, else a stable content hash; made unique with ``~N``."""
from __future__ import annotations

import hashlib

__all__ = ["content_hash", "make_unique"]


def content_hash(*parts: str) -> str:
    """16 hex digits (BLAKE2b) of ``parts``: the same parts give the same id on every run."""
    h = hashlib.blake2b(digest_size=8)
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()


def make_unique(ids: list[str], rows: list[int]) -> tuple[dict[int, str], list[tuple[int, str]]]:
    """The id of each of ``rows`` (in order), repeats suffixed ``~2``, ``~3``...;
    and the (row, original id) of each renamed one."""
    final: dict[int, str] = {}
    used: set[str] = set()
    counts: dict[str, int] = {}
    renamed = []
    for i in rows:
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
        final[i] = rid
    return final, renamed
