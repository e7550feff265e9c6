"""Which files a corpus specification names: paths, folders, glob patterns.

Folders are walked recursively in path order; hidden files and folders,
documentation files (``README*``, ``LICENSE``, ``*_README.md``...) and
report folders of this package (:func:`analysis.io.provenance.is_report_folder`,
so a report written inside its corpus folder is never read back) are left
out and counted. A path that does not exist, or a pattern that matches
nothing, raises ``FileNotFoundError`` naming it.
"""
from __future__ import annotations

import glob
import os
import re
from pathlib import Path

from analysis.io.provenance import is_report_folder

__all__ = ["default_corpus", "corpus_files", "expand_paths", "is_documentation", "supported",
           "SUPPORTED_EXTENSIONS", "PAGE_EXT", "JSONL_EXT", "JSON_EXT", "CSV_EXT", "TSV_EXT",
           "PARQUET_EXT", "ZIP_EXT"]

PAGE_EXT = frozenset({".txt", ".text"})
JSONL_EXT = frozenset({".jsonl", ".ndjson", ".jsonlines"})
JSON_EXT = frozenset({".json"})
CSV_EXT = frozenset({".csv"})
TSV_EXT = frozenset({".tsv", ".tab"})
PARQUET_EXT = frozenset({".parquet", ".pq"})
ZIP_EXT = frozenset({".zip"})
SUPPORTED_EXTENSIONS = PAGE_EXT | JSONL_EXT | JSON_EXT | CSV_EXT | TSV_EXT | PARQUET_EXT | ZIP_EXT

_DOC_RE = re.compile(
    r"(?:^|[_\-. ])(?:readme|license|licence|copying|changelog|changes|notice|citation|authors)$", re.I)


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


def is_documentation(path) -> bool:
    """``README.txt``, ``UPSTREAM_README.md``, ``LICENSE``...: files that
    describe a corpus rather than hold it. Folder walks and glob patterns
    leave them out (name one explicitly to load it)."""
    p = path if isinstance(path, Path) else Path(path)
    return bool(_DOC_RE.search(p.stem if "." in p.name else p.name))


def supported(path) -> bool:
    """Whether the file name ends in a readable extension (``.gz`` looked through)."""
    suffixes = [s.lower() for s in (path if isinstance(path, Path) else Path(path)).suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return bool(suffixes) and suffixes[-1] in SUPPORTED_EXTENSIONS


def corpus_files(paths=None) -> list[Path]:
    """The files ``load_corpus(paths)`` reads, in its order (folders walked,
    patterns expanded, documentation files and report folders left out;
    archives not opened). For manifests and content hashes.

    Raises ``FileNotFoundError`` for a path that does not exist or a pattern
    that matches nothing."""
    if paths is None:
        paths = [default_corpus()]
    return expand_paths(paths)


def expand_paths(paths, skipped: list | None = None, ignored: list | None = None,
                 reports: list | None = None) -> list[Path]:
    """Files to read, in a deterministic order, each once.

    Unsupported files met in folders go to ``skipped`` as ``(path, None,
    reason, kind)``; documentation files met in folders or through patterns
    to ``ignored``; report folders to ``reports``. Raises
    ``FileNotFoundError`` naming a missing path or an empty pattern."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    skipped = [] if skipped is None else skipped
    ignored = [] if ignored is None else ignored
    reports = [] if reports is None else reports
    report_cache: dict[str, bool] = {}

    def report(d: Path) -> bool:
        key = os.path.abspath(d)
        if key not in report_cache:
            report_cache[key] = is_report_folder(d)
        return report_cache[key]

    def report_above(f: Path) -> str | None:
        for parent in Path(os.path.abspath(f)).parents:
            if report(parent):
                return str(parent)
        return None

    files: list[Path] = []

    def add_found(f: Path) -> None:
        if is_documentation(f):
            ignored.append(str(f))
        elif supported(f):
            files.append(f)
        else:
            skipped.append((str(f), None, f"unsupported file type {''.join(f.suffixes) or '(no extension)'}",
                            "unsupported"))

    def walk(directory: Path) -> None:
        if report(directory):
            reports.append(str(directory))
            return
        found = []
        for root, dirs, names in os.walk(directory):
            rootp = Path(root)
            keep = []
            for d in sorted(dirs):
                if d.startswith("."):
                    continue
                if report(rootp / d):
                    reports.append(str(rootp / d))
                else:
                    keep.append(d)
            dirs[:] = keep
            found.extend(rootp / f for f in names if not f.startswith("."))
        for f in sorted(found, key=lambda p: p.as_posix()):
            add_found(f)

    for item in paths:
        text = os.fspath(item)
        path = Path(text).expanduser()
        if path.is_file():  # named explicitly: read
            files.append(path)
        elif path.is_dir():
            walk(path)
        elif any(c in text for c in "*?["):
            matches = sorted(glob.glob(os.path.expanduser(text), recursive=True))
            if not matches:
                raise FileNotFoundError(f"{text}: the pattern matched no files (no such file or directory)")
            for m in matches:
                mp = Path(m)
                above = report_above(mp)
                if above is not None:
                    if above not in reports:
                        reports.append(above)
                    continue
                if mp.is_dir():
                    walk(mp)
                elif mp.is_file() and not mp.name.startswith("."):
                    if is_documentation(mp):
                        ignored.append(str(mp))
                    else:
                        files.append(mp)
        else:
            raise FileNotFoundError(f"{text}: no such file or directory")
    seen, unique = set(), []
    for f in files:
        key = os.path.realpath(f)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique
