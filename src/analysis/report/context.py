"""ReportContext: the report's parameters, its data, where results are saved, worker processes."""
from __future__ import annotations

import multiprocessing
import re
import warnings
from pathlib import Path
from typing import Any, Callable, Hashable, Iterable

import pandas as pd

from analysis.plotting import entity_label
from analysis.report.html import split_list
from analysis.report.results import SectionResult

RESOLVE = ("country", "none")


class ReportContext:
    """What the report's sections work with: parameters, data, the report folder.

    ``ReportContext(**params)`` takes the notebook's parameters (see
    :data:`analysis.report.DEFAULT_PARAMS`); :meth:`load` reads the corpus, the
    gazetteer and the mentions. Section functions (``analysis.report.*_section``)
    take the context and return a :class:`SectionResult`; :meth:`save` writes a
    result into the report folder ``out_dir`` (``tables/*.csv``,
    ``figures/*.png``). Without ``out_dir`` nothing is ever written.

    ``resolve``: ``"country"`` (default) counts an article for a country when it
    mentions the country or one of its people, places or institutions;
    ``"none"`` counts each entity id by itself. ``k``: number of topics (0: no
    topic model); ``topics`` is its deprecated alias. ``workers``: processes for
    the slow computations started by :func:`analysis.report.prefetch` (None:
    2 where ``fork`` exists, 0: everything in this process).

    Use it as a context manager (or call :meth:`close`) so worker processes end.
    """

    def __init__(self, corpus: str = "", focus: str = "RUS,SYR,IRN", start: str = "", end: str = "",
                 outlets: str = "", categories: str = "", exclude_categories: str = "", dedup: bool = True,
                 fields: str = "", tz: str = "UTC", gazetteer: str = "", level: str = "sentence",
                 freq: str = "auto", k: int | None = None, method: str = "nmf", event_date: str = "",
                 seed: int = 0, out_dir: str | None = None, resolve: str | None = "country",
                 progress: bool = False, workers: int | None = None, topics: int | None = None,
                 csv_safe: bool = True, event_window: int = 14, validation: str = "",
                 keyness_reference: str = "rest", engine: str = "memory", scheduler: str = "",
                 dask_workers: int = 0, memory_limit: str = "", blocksize: str = "64MB", dask_sample: int = 20000):
        self.csv_safe = bool(csv_safe)
        if engine not in ("memory", "dask"):
            raise ValueError(f"engine must be memory or dask; got {engine!r}")
        #: ``memory`` or ``dask`` (:meth:`load` on a dask cluster; see :mod:`analysis.report.data`)
        self.engine = engine
        self.scheduler, self.memory_limit = str(scheduler or ""), str(memory_limit or "")
        self.dask_workers, self.dask_sample = int(dask_workers or 0), int(dask_sample)
        self.blocksize = blocksize or "64MB"
        self.validation = str(validation or "").strip() or None
        self.corpus = split_list(corpus)
        self.focus = [f.upper() if len(f) == 3 else f for f in split_list(focus)] or ["RUS", "SYR", "IRN"]
        self.start, self.end = start or None, end or None
        self.outlets, self.categories = split_list(outlets) or None, split_list(categories) or None
        self.exclude_categories = split_list(exclude_categories) or None
        self.dedup, self.fields, self.tz = bool(dedup), fields or None, tz or "UTC"
        self.gazetteer_files = split_list(gazetteer)
        if level not in ("sentence", "paragraph", "article"):
            raise ValueError(f"level must be sentence, paragraph or article; got {level!r}")
        from analysis.report.params import coerce_param as _coerce

        try:  # "auto" or D, W, M, Q, Y (also day ... year)
            freq = _coerce("freq", freq)
        except ValueError as exc:
            raise ValueError(f"freq: {exc}") from None
        if method not in ("nmf", "lda"):
            raise ValueError(f"method must be nmf or lda; got {method!r}")
        resolve = "none" if resolve is None or resolve == "" else str(resolve)
        if resolve not in RESOLVE:
            raise ValueError(f"resolve must be country or none; got {resolve!r}")
        #: the freq parameter as given ("auto" or a code); :attr:`freq` is the period length used
        self.freq_param = freq
        self.level, self.method, self.resolve = level, method, resolve
        self.k = _topic_count(k, topics)
        from analysis.report.params import coerce_param, read_event_param

        #: the events, ``[(date, label), ...]`` in date order (``event_date``: dates or a CSV of date,label)
        self.events = read_event_param(coerce_param("event_date", event_date)) if event_date else []
        self.event_date = pd.Timestamp(self.events[0][0][:10], tz="UTC") if self.events else None
        self.event_window = int(coerce_param("event_window", event_window))
        self.seed = int(seed)
        try:  # "rest", "focus" or a corpus (files, folders, globs)
            #: what keyness compares each focus entity's articles with (see :func:`analysis.keyness`)
            self.keyness_reference = _coerce("keyness_reference", keyness_reference)
        except ValueError as exc:
            raise ValueError(f"keyness_reference: {exc}") from None
        if self.engine == "dask" and self.keyness_reference not in ("rest", "focus"):
            raise ValueError(f"keyness_reference {self.keyness_reference!r} (another corpus) is not available on the "
                             "Dask engine, which counts keyness against the rest of the corpus or the other focus "
                             "entities' articles; use --keyness-reference rest or focus, or the in-memory engine")
        self.out = Path(out_dir).resolve() if out_dir else None
        warnings.filterwarnings("ignore", message="IProgress not found")  # tqdm.auto in a kernel
        self.progress = progress
        if workers is None:
            workers = 2 if "fork" in multiprocessing.get_all_start_methods() else 0
        self.workers = int(workers)
        self._articles: pd.DataFrame | None = None
        #: on Dask, the dates of every article (``articles`` is then a sample); see :attr:`published`
        self.corpus_published: pd.Series | None = None
        self._mentions: pd.DataFrame | None = None
        self.gaz = None
        self.cache: dict[Any, Any] = {}
        #: the columns of every table shown by the sections saved so far (for the glossary)
        self.shown_columns: list[str] = []
        self._jobs: dict[Hashable, Any] = {}  # key -> workers.ChildResult
        from analysis.report.data import MemoryData

        #: the corpus-wide tables the sections read (:class:`analysis.report.data.MemoryData` or ``DaskData``)
        self.data = MemoryData(self)

    # -- data
    @property
    def articles(self) -> pd.DataFrame | None:
        return self._articles

    @articles.setter
    def articles(self, value: pd.DataFrame | None) -> None:
        self._articles = value
        self._forget()

    @property
    def mentions(self) -> pd.DataFrame | None:
        return self._mentions

    @mentions.setter
    def mentions(self, value: pd.DataFrame | None) -> None:
        self._mentions = value
        self._forget()

    def _forget(self) -> None:
        """New data: what was computed from the old data (cache, pending jobs) is dropped."""
        self.cache = {k: v for k, v in self.cache.items() if isinstance(k, tuple) and k[:1] == ("label",)}
        for fut in self._jobs.values():
            fut.cancel()
        self._jobs.clear()

    @property
    def freq(self) -> str:
        """The period length the sections use: D, W, M, Q or Y. With ``freq="auto"``, chosen once per
        corpus by :func:`analysis.stats.periods.choose_freq` from the articles' dates (``"M"``
        before any article is loaded)."""
        if self.freq_param != "auto":
            return self.freq_param
        pub = self.published
        if pub is None:
            return "M"
        if ("freq",) not in self.cache:
            from analysis.stats.periods import choose_freq

            self.cache[("freq",)] = choose_freq(pub)
        return self.cache[("freq",)]

    @property
    def published(self) -> pd.Series | None:
        """The publication dates of every article of the corpus (what periods, ``freq="auto"`` and the
        partial-period marks are read from): the articles' ``published`` column, or on Dask the dates
        gathered over all partitions (:func:`analysis.report.data.load_dask`); None before loading."""
        if self.corpus_published is not None:
            return self.corpus_published
        if self._articles is None:
            return None
        return self._articles["published"] if "published" in self._articles else pd.Series([], dtype=object)

    def freq_note(self) -> str:
        """The sentence the report states about its periods (:func:`analysis.stats.periods.describe_freq`)."""
        from analysis.stats.periods import describe_freq

        pub = self.published
        return describe_freq([] if pub is None else pub, self.freq, self.freq_param)

    @property
    def roll_up(self) -> str | None:
        """The ``resolve`` argument of the library's functions: ``"country"`` or None."""
        return None if self.resolve == "none" else self.resolve

    def load(self) -> "ReportContext":
        """Load the corpus, the gazetteer and the mentions. With ``engine="dask"``: count every
        corpus-wide table on a dask cluster (:func:`analysis.report.data.load_dask`); ``articles``
        and ``mentions`` then hold a seeded sample of ``dask_sample`` articles."""
        from analysis.entities.gazetteer import load_gazetteer
        from analysis.entities.mentions import extract_mentions
        from analysis.io.load import load_corpus

        if self.engine == "dask":
            from analysis.report.data import load_dask

            extra = self.gazetteer_files[0] if len(self.gazetteer_files) == 1 else (self.gazetteer_files or None)
            self.gaz = load_gazetteer(extra=extra) if extra else load_gazetteer()
            self.cache.clear()
            self.workers = 0  # no forked children: the sample is small, the cluster did the counting
            self.data = load_dask(self)
            return self
        fields = None
        if self.fields:
            fields = dict(re.split(r"[=:]", kv, maxsplit=1) for kv in split_list(self.fields))
        articles = load_corpus(
            self.corpus or None, fields=fields, tz=self.tz, start=self.start, end=self.end,
            outlets=self.outlets, categories=self.categories, exclude_categories=self.exclude_categories,
            dedup=self.dedup, progress=self.progress,
        )
        if len(articles) == 0:
            from analysis.report.errors import nothing_loaded_message

            raise ValueError(nothing_loaded_message(articles.attrs.get("skipped")))
        extra = self.gazetteer_files[0] if len(self.gazetteer_files) == 1 else (self.gazetteer_files or None)
        self.gaz = load_gazetteer(extra=extra) if extra else load_gazetteer()
        self.cache.clear()
        self.articles = articles
        self.mentions = extract_mentions(articles, self.gaz, progress=self.progress)
        return self

    @classmethod
    def from_tables(cls, articles: pd.DataFrame, mentions: pd.DataFrame, gazetteer=None,
                    **params) -> "ReportContext":
        """A context on tables you already have (a selection of articles, say) instead of
        :meth:`load`: ``articles`` and ``mentions`` as the package makes them, ``gazetteer`` the one
        the mentions were found with (default: the shipped one); ``params`` as for the constructor."""
        from analysis.entities.gazetteer import load_gazetteer

        ctx = cls(**params)
        ctx.gaz = gazetteer if gazetteer is not None else load_gazetteer()
        ctx.articles, ctx.mentions = articles, mentions
        return ctx

    def label(self, entity_id: str, english: bool = True) -> str:
        """Arabic display name of an entity, with its English label when ``english``."""
        key = ("label", entity_id, english)
        if key not in self.cache:
            self.cache[key] = entity_label(self.gaz, entity_id, english=english)
        return self.cache[key]

    def labels(self, ids: Iterable[str], english: bool = True) -> dict[str, str]:
        return {e: self.label(e, english) for e in ids}

    # -- output
    def save(self, result: SectionResult) -> SectionResult:
        """Write a section's tables and figures into the report folder (``out_dir``); without
        ``out_dir`` nothing is written. Returns the result, so a cell can end with it."""
        if self.out is not None:
            result.save(self.out, csv_safe=self.csv_safe)
        self.shown_columns.extend(c for c in result.shown_columns() if c not in self.shown_columns)
        return result

    # -- worker processes
    def submit(self, key: Hashable, fn: Callable, /, **kwargs) -> bool:
        """Start ``fn(**kwargs)`` in a forked child process that dies with this one
        (:func:`analysis.report.workers.run_in_child`); :meth:`compute` with the same ``key``
        collects it. False (nothing started) when ``workers`` children are already running."""
        from analysis.report.workers import run_in_child

        if len(self._jobs) >= self.workers:
            return False
        self._jobs[key] = run_in_child(fn, **kwargs)
        return True

    def compute(self, key: Hashable, fn: Callable, /, **kwargs) -> Any:
        """``fn(**kwargs)``: the result of the job started with ``key`` when there is one, else
        computed here (also when the child failed). Same arguments, same result either way."""
        job = self._jobs.pop(key, None)
        if job is not None:
            try:
                return job.result()
            except Exception:  # the child died or failed: compute here (a real error is raised here)
                pass
        return fn(**kwargs)

    def close(self) -> None:
        """Stop the child processes (sections then compute themselves)."""
        jobs, self._jobs = self._jobs, {}
        for job in jobs.values():
            job.cancel()

    def __enter__(self) -> "ReportContext":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _topic_count(k: int | None, topics: int | None) -> int:
    """The number of topics from ``k`` (or its deprecated alias ``topics``); 10 when neither."""
    if topics is not None:
        if k is not None and int(k) != int(topics):
            raise ValueError(f"k={k} and topics={topics} disagree; give k only (topics is its old name)")
        if k is None:
            warnings.warn("the report parameter 'topics' is now 'k'", DeprecationWarning, stacklevel=3)
            k = topics
    k = 10 if k is None else k
    try:
        n = int(k)
    except (TypeError, ValueError):
        n = -1
    if isinstance(k, bool) or n < 0 or (isinstance(k, float) and k != n):
        raise ValueError(f"k (number of topics) must be a whole number >= 0 (0: no topic model); got {k!r}")
    return n
