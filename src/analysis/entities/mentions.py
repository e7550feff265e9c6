"""Entity mentions: who and what each article mentions, sentence by sentence.

``extract_mentions(articles)`` returns the mentions table (columns below).
The matching itself lives in :mod:`analysis.entities.matcher` (normalization
to a match form, one Aho-Corasick automaton, leftmost-longest, context rules,
offices by date, ambiguous names by the article's own context); this module
splits the articles into chunks, runs them (on all cores for large inputs,
in forked workers that die with their parent) and assembles the table.
Details and the ambiguity policy: README, "Entity matching".

Nothing here keeps per-call state in module globals: calls from several
threads at once give the same tables as serial calls.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.entities.gazetteer import Gazetteer, load_gazetteer
from analysis.entities.matcher import KINDS, compile_matcher, empty_result

__all__ = ["extract_mentions", "MENTION_COLUMNS"]

MENTION_COLUMNS = ["article_id", "field", "paragraph", "sentence", "entity_id", "entity_type",
                   "country", "mention_kind", "start", "end", "surface"]
FIELDS = ("title", "text")


def _as_gazetteer(gazetteer) -> Gazetteer:
    if gazetteer is None:
        return load_gazetteer()
    if isinstance(gazetteer, Gazetteer):
        return gazetteer
    if isinstance(gazetteer, (str, Path, dict)):
        return load_gazetteer(extra=gazetteer)
    raise TypeError("gazetteer must be None, a Gazetteer, or a path/dict extending the built-in one")


def _text_column(articles: pd.DataFrame, name: str) -> list[str]:
    if name not in articles.columns:
        return [""] * len(articles)
    return ["" if not isinstance(v, str) else v for v in articles[name].tolist()]


# ---------------------------------------------------------------------------
# forked workers (no globals: the task function is inherited by fork)
# ---------------------------------------------------------------------------
def _die_with_parent(parent: int) -> None:
    """Linux: have the kernel kill this worker when its parent dies."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except Exception:  # pragma: no cover - not Linux: the closed pipes end the worker instead
        pass
    if os.getppid() != parent:  # the parent died before prctl
        os._exit(1)


def _child(fn, items, send, close, parent: int) -> None:
    for c in close:
        c.close()
    _die_with_parent(parent)
    import traceback

    try:
        for i, task in items:
            send.send((i, fn(task)))
    except BaseException as exc:  # report, then exit non-zero
        try:
            send.send((-1, f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))
        except Exception:
            pass
        os._exit(1)
    send.close()


def fork_map(fn, tasks: list, n_jobs: int, on_result=None) -> list:
    """``[fn(t) for t in tasks]`` computed in ``n_jobs`` forked workers.

    ``fn`` and the data it closes over are inherited by fork (not pickled);
    results come back pickled, in task order. ``on_result(i)`` is called as
    each arrives (progress). Workers are killed when the parent dies or this
    call fails; a worker's exception is raised here as RuntimeError.
    """
    import multiprocessing as mp
    from multiprocessing.connection import wait

    ctx = mp.get_context("fork")
    results: list = [None] * len(tasks)
    done = [False] * len(tasks)
    workers = []
    receivers = []
    try:
        for w in range(n_jobs):
            items = [(i, tasks[i]) for i in range(w, len(tasks), n_jobs)]
            if not items:
                continue
            recv, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_child, args=(fn, items, send, receivers + [recv], os.getpid()),
                               daemon=True, name=f"analysis-mentions-{w}")
            proc.start()
            send.close()
            workers.append(proc)
            receivers.append(recv)
        pending = dict(zip(receivers, workers))
        while pending:
            for conn in wait(list(pending)):
                try:
                    i, res = conn.recv()
                except EOFError:
                    proc = pending.pop(conn)
                    proc.join()
                    if proc.exitcode != 0:
                        raise RuntimeError(f"extract_mentions: worker {proc.name} died (exit code {proc.exitcode})")
                    continue
                if i < 0:
                    raise RuntimeError(f"extract_mentions: a worker failed: {res}")
                results[i] = res
                done[i] = True
                if on_result is not None:
                    on_result(i)
        if not all(done):
            raise RuntimeError("extract_mentions: a worker ended without its results")
        return results
    finally:
        for proc in workers:
            if proc.is_alive():
                proc.kill()
            proc.join()
        for conn in receivers:
            conn.close()


def extract_mentions(articles: pd.DataFrame, gazetteer=None, progress: bool = True, *,
                     n_jobs: int | None = None, chunk_size: int = 1000) -> pd.DataFrame:
    """Find gazetteer entities in every article's title and text.

    Parameters
    ----------
    articles : DataFrame
        The articles table (``analysis.load_corpus``): needs ``article_id``
        and ``text``; ``title`` and ``published`` are used when present
        (``published`` resolves office titles to office holders). Other
        columns (``category`` ...) are not used: every decision comes from
        the article's own text.
    gazetteer : None, Gazetteer, or path / dict
        None: the built-in gazetteer. A path (or parsed dict) *extends or
        overrides* the built-in one (same as ``load_gazetteer(extra=...)``).
    progress : bool
        Show a tqdm progress bar.
    n_jobs : int, optional
        Worker processes (fork). Default: all cores for 4,000+ articles, else
        1. Calls from a thread other than the main one always run in that
        thread (forking a threaded process is unsafe).

    Returns
    -------
    DataFrame with columns ``article_id``, ``field`` ("title" or "text"),
    ``paragraph``, ``sentence`` (numbered from 0 within the field; the title
    is paragraph 0 of field "title"), ``entity_id``, ``entity_type``,
    ``country`` (ISO3 the entity belongs to, or None), ``mention_kind``
    ("name", "demonym", "derived" or "office"), ``start``, ``end`` (offsets
    into the original title/text; ``surface == original[start:end]``) and
    ``surface``. Sorted by article (input order), field, start, end.
    """
    if not isinstance(articles, pd.DataFrame):
        raise TypeError("extract_mentions expects the articles DataFrame (see analysis.load_corpus)")
    for col in ("article_id", "text"):
        if col not in articles.columns:
            raise ValueError(f"extract_mentions: the articles table has no {col!r} column")
    gaz = _as_gazetteer(gazetteer)
    matcher = compile_matcher(gaz)
    n = len(articles)
    titles = _text_column(articles, "title")
    texts = _text_column(articles, "text")
    fields = [None] * (2 * n)
    fields[0::2] = titles
    fields[1::2] = texts
    if "published" in articles.columns:
        pub = pd.to_datetime(articles["published"], errors="coerce", utc=True)
        dates = pub.dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")
    else:
        dates = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    chunk_size = max(1, int(chunk_size))
    chunks = [(lo, min(n, lo + chunk_size)) for lo in range(0, n, chunk_size)]
    main_thread = threading.current_thread() is threading.main_thread()
    if n_jobs is None:
        n_jobs = min(os.cpu_count() or 1, len(chunks)) if n >= 4000 else 1
    n_jobs = max(1, min(int(n_jobs), max(1, len(chunks))))
    if not (main_thread and hasattr(os, "fork")):
        n_jobs = 1

    def work(bounds: tuple[int, int]) -> dict:
        lo, hi = bounds
        return matcher.run_chunk(fields[2 * lo:2 * hi], dates[lo:hi], lo)

    from tqdm.auto import tqdm

    with tqdm(total=n, desc="mentions", unit="art", disable=not progress) as bar:
        if n_jobs > 1:
            results = fork_map(work, chunks, n_jobs,
                               on_result=lambda i: bar.update(chunks[i][1] - chunks[i][0]))
        else:
            results = []
            for lo, hi in chunks:
                results.append(work((lo, hi)))
                bar.update(hi - lo)
    return _assemble(results, articles, matcher)


def _assemble(results: list[dict], articles: pd.DataFrame, matcher) -> pd.DataFrame:
    if not results:
        results = [empty_result()]
    cat = {k: np.concatenate([r[k] for r in results]) for k in results[0] if k != "surface"}
    surfaces = [s for r in results for s in r["surface"]]
    ids = articles["article_id"].to_numpy(dtype=object)
    ent = cat["ent"]
    df = pd.DataFrame({
        "article_id": ids[cat["art"]] if len(ids) else np.zeros(0, dtype=object),
        "field": np.asarray(FIELDS, dtype=object)[cat["field"]],
        "paragraph": cat["paragraph"].astype(np.int64),
        "sentence": cat["sentence"].astype(np.int64),
        "entity_id": matcher.ent_ids[ent],
        "entity_type": matcher.ent_types[ent],
        "country": matcher.ent_country[ent],
        "mention_kind": np.asarray(KINDS, dtype=object)[cat["kind"]],
        "start": cat["start"].astype(np.int64),
        "end": cat["end"].astype(np.int64),
        "surface": np.asarray(surfaces, dtype=object),
    }, columns=MENTION_COLUMNS)
    return df
