"""Outputs that never destroy: every command writes only what it made.

- :func:`check_report_folder`: a report folder may be new, empty, or hold a previous report
  of this package (its manifest, and no file the package did not write). Everything else is
  refused before any work starts, with :class:`~analysis.report.errors.OutputError` saying
  what is there and what to do: a symbolic link (dangling or not), the working directory or
  a parent of it, an existing file, a folder with other files, an input path or a folder
  holding inputs, a path inside a report folder.
- :class:`ReportFolder`: the report is built in a temporary folder beside the target
  (``.analysis-report-NAME-XXXXXXXX``, with a marker file naming its process), then swapped
  in atomically; the previous report is removed only once the new one is complete. Leftovers
  of killed runs (prefix + marker, older than this process, their process gone) are removed.
- :func:`check_output_file` / :func:`atomic_path`: a ``--out FILE`` may not be a folder, a
  symbolic link, an input, or inside an input folder or a report folder; it is written to a
  temporary file beside it and renamed.

Folders are created 0777 and files 0666 less the umask (0755 / 0644 with the usual umask).
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import secrets
import shutil
import sys
import time
from pathlib import Path
from typing import Iterable, Iterator

from analysis.report.errors import OutputError, ParameterError

__all__ = ["TEMP_PREFIX", "MARKER", "check_report_folder", "check_output_file", "check_output_folder", "atomic_path",
           "ReportFolder", "clean_leftovers", "report_files", "corpus_inputs", "has_magic"]

#: name prefix of the package's temporary folders and files
TEMP_PREFIX = ".analysis-report-"
#: marker file inside a temporary folder: {"pid", "pid_start", "created"}
MARKER = ".analysis-report-tmp.json"
#: what a report folder holds when its manifest lists no files (reports written before the list)
_STANDARD = {"manifest.json", "report.html", "report.ipynb"}


def _abs(path) -> Path:
    """Absolute, ``~`` expanded, without resolving a final symbolic link."""
    return Path(os.path.abspath(os.path.expanduser(os.fspath(path))))


def _describe(folder: Path, limit: int = 5) -> str:
    try:
        entries = sorted(os.listdir(folder))
    except OSError:
        return "(cannot be listed)"
    shown = ", ".join(entries[:limit]) + (f" and {len(entries) - limit:,} more" if len(entries) > limit else "")
    return f"{len(entries):,} entr{'y' if len(entries) == 1 else 'ies'}: {shown}"


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _input_paths(inputs: Iterable) -> list[Path]:
    out = []
    for i in inputs or ():
        try:
            out.append(Path(os.path.realpath(os.path.expanduser(os.fspath(i)))))
        except (TypeError, ValueError):
            continue
    return out


def _target(path, todo: str) -> tuple[str, Path]:
    """``path`` as given and as an absolute path with its folders resolved; a symbolic link is refused."""
    given = os.fspath(path)
    p = _abs(path)
    if os.path.islink(p):
        state = "" if os.path.exists(p) else ", which does not exist"
        raise OutputError(f"--out {given} is a symbolic link (to {os.readlink(p)}{state}); the package writes only "
                          f"into real files and folders, never through a link: {todo}")
    return given, p.parent.resolve() / p.name


def _refuse_in_report(given: str, target: Path, *, itself: bool = False, beside: bool = False) -> None:
    """OutputError when ``target`` is inside a report folder (or is one, with ``itself``)."""
    from analysis.io.provenance import is_report_folder

    for parent in [target, *target.parents] if itself else target.parents:
        if is_report_folder(parent):
            where = "is (inside) the report folder" if itself else "is inside the report folder"
            todo = (f"write the report beside it, e.g. {parent.parent / (target.name or 'NAME')}" if beside
                    else "write it elsewhere")
            raise OutputError(f"--out {given} {where} {parent}, which the next report there replaces: {todo}")


def _refuse_in_inputs(given: str, target: Path, input_folders: Iterable) -> None:
    """OutputError when ``target`` is inside an input folder (the next load would read it as corpus)."""
    for d in _input_paths(input_folders):
        if _inside(target, d):
            raise OutputError(f"--out {given} is inside the input folder {d}: the next load of that folder "
                              "would read it as corpus; write it elsewhere, e.g. results/")


def report_files(folder: Path) -> list[str]:
    """Every file and link under ``folder`` as a sorted relative POSIX path (the marker left out)."""
    out = []
    for root, dirs, files in os.walk(folder):
        rel = Path(root).relative_to(folder)
        for name in files + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
            if name != MARKER:
                out.append((rel / name).as_posix())
    return sorted(out)


def _foreign_files(folder: Path) -> list[str]:
    """Files in a report folder that its manifest does not list (the package did not write them)."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ["manifest.json (unreadable)"]
    listed = manifest.get("files")
    if isinstance(listed, list):
        allowed = {str(f) for f in listed} | {"manifest.json"}
    else:
        allowed = set(_STANDARD)
        allowed |= {f"tables/{t}" for t in manifest.get("tables") or []}
        allowed |= {f"figures/{f}" for f in manifest.get("figures") or []}
    return [f for f in report_files(folder) if f not in allowed]


def check_report_folder(out, *, inputs: Iterable = (), overwrite: bool = True) -> Path:
    """Check that a report may be written to the folder ``out``; return its absolute path.

    ``inputs``: every path the run reads (corpus files and folders, gazetteer files, the
    notebook). Raises :class:`OutputError` before any work starts when writing there could
    destroy or mix with files the package did not make (see the module docstring); with
    ``overwrite=False`` also when a previous report is there.
    """
    from analysis.io.provenance import is_report_folder

    given, target = _target(out, "give the folder itself or a new name")
    cwd = Path.cwd().resolve()
    if _inside(cwd, target):
        what = "the working directory" if target == cwd else "a parent of the working directory"
        raise OutputError(f"--out {given} is {what} ({target}); the report replaces its folder, so it needs "
                          f"a folder of its own: give a new name such as {Path(given) / 'reports' / 'NAME'}")
    read = _input_paths(inputs)
    if target in read:
        raise OutputError(f"--out {given} is an input of this run ({target}); the report would replace it: "
                          "give a new folder name, e.g. reports/NAME")
    for i in read:
        if _inside(i, target):
            raise OutputError(f"--out {given} holds input files of this run (e.g. {i}); the report replaces "
                              "its folder: give a folder of its own, e.g. reports/NAME")
    _refuse_in_report(given, target, beside=True)
    if os.path.lexists(target) and not target.is_dir():
        kind = "a file" if target.is_file() else "not a folder"
        size = f" ({target.stat().st_size:,} bytes)" if target.is_file() else ""
        raise OutputError(f"--out {given} is {kind}{size}; a report is a folder: give a new folder name "
                          "(the file stays as it is)")
    if target.is_dir() and any(True for _ in os.scandir(target)):
        if not is_report_folder(target):
            raise OutputError(f"--out {given} is a folder with other files ({_describe(target)}) and no report "
                              "of this package (no manifest.json written by `analysis report`); the report "
                              "replaces its folder, so nothing there is touched: give a new folder name, e.g. "
                              f"{Path(given) / 'report'}")
        if not overwrite:
            raise OutputError(f"--out {given} holds a previous report and overwrite=False (--no-overwrite) keeps "
                              "it: give another folder name, or drop --no-overwrite to replace it")
        foreign = _foreign_files(target)
        if foreign:
            shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
            raise OutputError(f"--out {given} holds a previous report and also files the package did not write "
                              f"({shown}); replacing the report would delete them: move them out of {target} "
                              "or give another folder name")
    parent = target.parent
    for p in [parent, *parent.parents]:
        if os.path.lexists(p):
            if not p.is_dir():
                raise OutputError(f"--out {given}: {p} is a file, not a folder")
            if not os.access(p, os.W_OK | os.X_OK) and p == parent:
                raise OutputError(f"--out {given}: cannot write in {p} (permission denied)")
            break
    return target


def check_output_file(path, *, inputs: Iterable = (), input_folders: Iterable = ()) -> Path:
    """Check that a command may write the file ``path``; return its absolute path.

    Refused (:class:`OutputError`): a folder, a symbolic link (dangling or not), a file that is
    an input of the run, a path inside an input folder (the next load would read it as
    corpus) or inside a report folder. An existing file that is none of these is replaced.
    """
    if os.fspath(path).endswith(("/", os.sep)):
        raise OutputError(f"--out {os.fspath(path)} ends with a slash, so it names a folder; give a file name")
    given, target = _target(path, "give the file itself or a new name")
    if target.is_dir():
        raise OutputError(f"--out {given} is a folder ({_describe(target)}); give a file name inside it, e.g. "
                          f"{Path(given) / 'out.csv'}")
    for i in _input_paths(inputs):
        if i == target:
            raise OutputError(f"--out {given} is an input of this run: writing it would overwrite the data "
                              "being read; give another file name")
    _refuse_in_inputs(given, target, input_folders)
    _refuse_in_report(given, target)
    return target


def check_output_folder(path, *, inputs: Iterable = (), input_folders: Iterable = ()) -> Path:
    """Check a folder a command writes a few named files into (``analysis topics --out DIR``);
    return its absolute path. Refused (:class:`OutputError`): a symbolic link, a file, an input
    or a folder holding inputs, a folder inside an input folder, a path inside a report folder.
    Files already there are kept, except those the command writes (each replaced atomically)."""
    given, target = _target(path, "give the folder itself or a new name")
    if os.path.lexists(target) and not target.is_dir():
        raise OutputError(f"--out {given} is a file, not a folder; give a folder name (the file stays as it is)")
    for i in _input_paths(inputs):
        if _inside(i, target):
            raise OutputError(f"--out {given} is or holds an input of this run ({i}): the next load would read "
                              "the outputs as corpus; give a folder of its own, e.g. results/topics")
    _refuse_in_inputs(given, target, input_folders)
    _refuse_in_report(given, target, itself=True)
    return target


@contextlib.contextmanager
def atomic_path(path) -> Iterator[Path]:
    """A temporary path beside ``path`` (same suffixes) to write to; renamed to ``path`` when the
    block succeeds, removed when it fails. The writer creates the file (normal permissions)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{TEMP_PREFIX}{secrets.token_hex(4)}-{path.name}")
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            if tmp.is_dir() and not tmp.is_symlink():
                shutil.rmtree(tmp)
            else:
                tmp.unlink()
        raise


# --------------------------------------------------------------------------- inputs

def has_magic(text: str) -> bool:
    """True for a glob pattern."""
    return any(c in text for c in "*?[")


def corpus_inputs(paths=None) -> tuple[list[Path], list[Path]]:
    """The corpus files read (the loader's own expansion, sorted) and the folders named.

    A path that does not exist, or a pattern that matches nothing, is a :class:`ParameterError`
    (a typo would otherwise silently leave part of the corpus out)."""
    from analysis.io.load import corpus_files, default_corpus

    problems, folders = [], []
    for p in paths or []:
        text = os.fspath(p)
        if "," in text:
            problems.append(f"the corpus path {text!r} contains a comma, which separates corpus paths: "
                            "rename it or give a glob pattern")
        elif has_magic(text):
            import glob

            if not glob.glob(os.path.expanduser(text), recursive=True):
                problems.append(f"the corpus pattern {text!r} matches no file")
        elif not os.path.exists(os.path.expanduser(text)):
            problems.append(f"the corpus path {text}: no such file or directory")
        elif os.path.isdir(os.path.expanduser(text)):
            folders.append(Path(os.path.expanduser(text)).resolve())
    if problems:
        raise ParameterError(problems, what="corpus path")
    try:
        files = sorted({Path(f).resolve() for f in corpus_files(list(paths) if paths else None)})
    except FileNotFoundError as exc:
        raise ParameterError(str(exc)) from None
    if paths and not files:
        raise ParameterError(f"no corpus file found in {', '.join(map(os.fspath, paths))} (readable: .txt pages, "
                             ".jsonl, .json, .csv, .tsv, .parquet, also .gz or inside .zip)")
    if not paths:
        folders = [default_corpus().resolve()]
    return files, folders


# --------------------------------------------------------------------------- processes

def _pid_start(pid: int) -> str | None:
    """When process ``pid`` started (clock ticks since boot, Linux), or None when unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read().decode("ascii", "replace")
        return stat.rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def _alive(pid: int, start: str | None) -> bool:
    """True when process ``pid`` runs and is the same process (its start time matches)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    if start is not None:
        now = _pid_start(pid)
        if now is not None and now != start:
            return False  # the pid was reused
        try:
            with open(f"/proc/{pid}/stat", "rb") as fh:
                if fh.read().rsplit(b")", 1)[1].split()[0] == b"Z":
                    return False  # a zombie: finished
        except (OSError, IndexError):
            pass
    return True


def _process_started() -> float:
    """This process's start time (seconds since the epoch)."""
    try:
        ticks = int(_pid_start(os.getpid()) or "")
        with open("/proc/stat", encoding="ascii") as fh:
            btime = next(int(line.split()[1]) for line in fh if line.startswith("btime"))
        return btime + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, StopIteration):
        return _IMPORTED


_IMPORTED = time.time()


def _write_marker(folder: Path) -> None:
    info = {"pid": os.getpid(), "pid_start": _pid_start(os.getpid()), "created": time.time()}
    (folder / MARKER).write_text(json.dumps(info), encoding="utf-8")


def clean_leftovers(parent) -> list[Path]:
    """Remove the package's temporary folders left in ``parent`` by killed runs; return them.

    A folder is removed only when its name has the package's prefix, it holds the marker
    file, it was made before this process loaded this module and the process that made it is
    gone. (The later of the process's start time, read from ``/proc``, and the module's import
    time: on some sandboxed kernels ``/proc``'s boot time and process start ticks disagree, and
    a cut-off read too early would keep every leftover.)
    """
    parent = Path(parent)
    removed = []
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return removed
    started = max(_process_started(), _IMPORTED)
    for entry in entries:
        if not entry.name.startswith(TEMP_PREFIX) or entry.is_symlink() or not entry.is_dir():
            continue
        marker = Path(entry.path) / MARKER
        try:
            info = json.loads(marker.read_text(encoding="utf-8"))
            pid, created = int(info["pid"]), float(info["created"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if created >= started or _alive(pid, info.get("pid_start")):
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        if not os.path.exists(entry.path):
            removed.append(Path(entry.path))
    return removed


# --------------------------------------------------------------------------- the report folder

_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False when unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd = -100
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EPERM, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _not_replaceable(target: Path) -> str:
    """Why ``target`` may not be replaced now ("" when it may: absent, empty, or a report of ours)."""
    from analysis.io.provenance import is_report_folder

    if os.path.islink(target):
        return "it is now a symbolic link"
    if not os.path.lexists(target):
        return ""
    if not target.is_dir():
        return "it is now a file"
    if not any(True for _ in os.scandir(target)):
        return ""
    if not is_report_folder(target):
        return f"it now holds other files: {_describe(target)}"
    foreign = _foreign_files(target)
    return f"it now holds files the package did not write: {', '.join(foreign[:5])}" if foreign else ""


class ReportFolder:
    """A report built in a temporary folder beside ``target`` and swapped in when complete.

    ``folder`` is the temporary folder (made 0777 less the umask, with the marker file).
    :meth:`commit` puts it in place of ``target`` (atomically on Linux) and only then removes
    the previous report; :meth:`discard` removes the temporary folder.
    """

    def __init__(self, target: Path):
        self.target = Path(target)
        parent = self.target.parent
        parent.mkdir(parents=True, exist_ok=True)
        while True:
            folder = parent / f"{TEMP_PREFIX}{self.target.name}-{secrets.token_hex(4)}"
            try:
                os.mkdir(folder, 0o777)  # the umask applies, unlike mkdtemp's 0700
                break
            except FileExistsError:
                continue
        self.folder, self.done = folder, False
        _write_marker(folder)

    def commit(self) -> Path:
        """Put the new report in place of the target; the previous report (if any) is removed after."""
        target, new = self.target, self.folder
        problem = _not_replaceable(target)
        if problem:  # something appeared at the target while the report ran: keep both
            kept = target.with_name(f"{target.name}.new-{time.strftime('%Y%m%d-%H%M%S')}")
            os.rename(new, kept)
            with contextlib.suppress(FileNotFoundError):
                (kept / MARKER).unlink()
            self.folder, self.done = kept, True
            raise OutputError(f"{target} changed while the report ran ({problem}), so it was left as it is; "
                              f"the new report is in {kept}")
        if os.path.lexists(target):
            _write_marker(target)  # the old report, once swapped out, is a recognizable leftover
            if _exchange(new, target):
                old = new
            else:
                old = target.parent / f"{TEMP_PREFIX}{target.name}-old-{secrets.token_hex(4)}"
                os.rename(target, old)
                os.rename(new, target)
            with contextlib.suppress(FileNotFoundError):
                (target / MARKER).unlink()
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(new, target)
            with contextlib.suppress(FileNotFoundError):
                (target / MARKER).unlink()
        self.folder, self.done = target, True
        return target

    def discard(self) -> None:
        """Remove the temporary folder, unless the report was committed (or kept aside)."""
        if not self.done:
            shutil.rmtree(self.folder, ignore_errors=True)
