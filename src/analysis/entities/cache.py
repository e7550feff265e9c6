"""A small signed on-disk cache for the gazetteer and the compiled matcher.

Files live in ``$ANALYSIS_CACHE_DIR`` (default ``$XDG_CACHE_HOME/analysis`` or
``~/.cache/analysis``; an empty value disables the cache). Every file is
written with an HMAC-SHA256 sidecar (``NAME.sig``) made with a per-user
random key (``key``, mode 0600, in the cache folder, which is made 0700);
:func:`read_signed` returns a file's bytes only when the signature matches,
so a file changed by anyone without the key, or torn by a crash, is never
used: it is rebuilt. What is read back is plain data (JSON, ``.npz`` read
with ``allow_pickle=False``) or, for the automaton, a pickle restricted to
the single class ``ahocorasick.Automaton`` (see :func:`loads_automaton`).
Keys are content hashes, so a changed gazetteer or package never hits a
stale entry.
"""
from __future__ import annotations

import hashlib
import hmac
import io
import os
import pickle
import stat
import threading
from pathlib import Path

__all__ = ["cache_dir", "read_signed", "write_signed", "loads_automaton", "prune"]

_KEY_LOCK = threading.Lock()


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is off (``ANALYSIS_CACHE_DIR=""``)."""
    env = os.environ.get("ANALYSIS_CACHE_DIR")
    if env == "":
        return None
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "analysis"


def _key(folder: Path, create: bool) -> bytes | None:
    """The folder's signing key (created on first write); None if unusable."""
    path = folder / "key"
    with _KEY_LOCK:
        try:
            st = path.lstat()
        except FileNotFoundError:
            if not create:
                return None
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                return _key(folder, create=False)
            with os.fdopen(fd, "wb") as fh:
                fh.write(os.urandom(32))
            st = path.lstat()
        if not stat.S_ISREG(st.st_mode) or st.st_mode & 0o077 or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
            return None  # a key others can read or write, or not ours: do not trust it
        key = path.read_bytes()
        return key if len(key) == 32 else None


def _sig_path(path: Path) -> Path:
    return path.with_name(path.name + ".sig")


def read_signed(path: Path) -> bytes | None:
    """The bytes of ``path`` if its signature verifies, else None."""
    key = _key(path.parent, create=False)
    if key is None:
        return None
    try:
        blob = path.read_bytes()
        sig = _sig_path(path).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    want = hmac.new(key, blob, hashlib.sha256).hexdigest()
    return blob if hmac.compare_digest(want, sig) else None


def write_signed(path: Path, blob: bytes) -> None:
    """Write ``blob`` to ``path`` atomically, with its signature. OSError on failure."""
    key = _key(path.parent, create=True)
    if key is None:
        raise OSError(f"{path.parent}/key is not a private key file of this user: cache not written")
    tag = f".{os.getpid()}.{threading.get_ident()}.tmp"
    tmp = path.with_name(path.name + tag)
    tmp_sig = _sig_path(path).with_name(_sig_path(path).name + tag)
    tmp.write_bytes(blob)
    tmp_sig.write_text(hmac.new(key, blob, hashlib.sha256).hexdigest(), encoding="ascii")
    os.replace(tmp, path)
    os.replace(tmp_sig, _sig_path(path))


def prune(folder: Path, pattern: str, keep: int) -> None:
    """Delete all but the ``keep`` most recent files matching ``pattern`` (and their signatures)."""
    try:
        files = sorted(folder.glob(pattern), key=lambda q: q.stat().st_mtime)
    except OSError:
        return
    for q in files[:-keep] if keep else files:
        q.unlink(missing_ok=True)
        _sig_path(q).unlink(missing_ok=True)


class _AutomatonUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) == ("ahocorasick", "Automaton"):
            import ahocorasick

            return ahocorasick.Automaton
        raise pickle.UnpicklingError(f"refused to load {module}.{name} from the matcher cache")


def loads_automaton(blob: bytes):
    """Unpickle an ``ahocorasick.Automaton``; any other class is refused."""
    return _AutomatonUnpickler(io.BytesIO(blob)).load()
