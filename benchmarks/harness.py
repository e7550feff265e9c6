"""Shared benchmark harness: corpora found once, timings with repeats, results as JSON, README tables.

A benchmark script builds a :class:`Bench`, times its cases with :meth:`Bench.time`, records
tables with :meth:`Bench.table` and ends with :meth:`Bench.save`, which writes
``benchmarks/results/NAME.json`` (git-ignored)::

    from harness import Bench

    bench = Bench("keyness", "keyness on ANT")
    articles, mentions = bench.tables()              # ANT, sport excluded, mentions extracted
    bench.time("index build", KeynessIndex, articles)  # wall, CPU, peak RSS; --repeat N times
    bench.table("calls", df, readme=True)            # printed, saved, available to the README
    bench.save()

Corpora: ``ant`` (../shared/data/ant_multisource) and ``egypt`` (../shared/data/egy_news_2013),
found beside the repository; the environment variables ``ANALYSIS_ANT`` and ``ANALYSIS_EGYPT``
(a file or folder) override them. Every script takes ``--corpus NAME``, ``--quick`` (the first
3,000 articles), ``--repeat N`` and ``--no-save``.

Timing: each repeat of a case runs in a forked child process (on Linux; in process elsewhere or
with ``isolate=False``), so caches do not carry over between repeats and the child's peak
resident memory is the case's own (it starts from the parent's, which holds the corpus:
``rss_start_mb``). Recorded per case: ``wall_s`` and ``cpu_s`` (minimum and median over the
repeats), ``peak_rss_mb`` (the highest), ``repeat``.

README: ``python benchmarks/harness.py --readme`` prints every block of README.md marked
``<!-- bench:NAME.TABLE -->`` ... ``<!-- /bench:NAME.TABLE -->`` regenerated from
``results/NAME.json`` (table TABLE, saved with ``readme=True``); ``--write`` updates README.md.
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass, field
import datetime as _dt
import json
import math
import os
from pathlib import Path
import pickle
import re
import resource
import statistics
import subprocess
import sys
import time
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
README = REPO / "README.md"

CORPORA = {
    # name: (environment variable, default path, load_corpus options)
    "ant": ("ANALYSIS_ANT", REPO.parent / "shared" / "data" / "ant_multisource" / "ant_multisource_v2.1.jsonl.gz",
            {"exclude_categories": ["sport"]}),
    "egypt": ("ANALYSIS_EGYPT", REPO.parent / "shared" / "data" / "egy_news_2013" / "egy_news_2013.jsonl.gz", {}),
}
QUICK = 3000


def corpus_path(name: str) -> Path | None:
    """The corpus ``name`` (``ant``, ``egypt``): its environment variable, else its place beside
    the repository; None when absent."""
    var, default, _ = CORPORA[name]
    path = Path(os.environ.get(var) or default)
    return path if path.exists() else None


def _rss_mb() -> float:
    """Current resident memory of this process in MB (Linux), else the peak so far."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:  # pragma: no cover - not Linux
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run_once(fn: Callable, args, kw) -> tuple[Any, float, float]:
    t0, c0 = time.perf_counter(), time.process_time()
    res = fn(*args, **kw)
    return res, time.perf_counter() - t0, time.process_time() - c0


def _run_forked(fn: Callable, args, kw, keep: bool = False) -> tuple[float, float, float, float, Any]:
    """(wall, cpu, peak RSS MB, starting RSS MB, result or None) of one call in a forked child;
    the result comes back pickled when ``keep``."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(r)
        code = 0
        try:
            start = _rss_mb()
            res, wall, cpu = _run_once(fn, args, kw)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            msg = pickle.dumps(({"wall": wall, "cpu": cpu, "peak": peak, "start": start}, res if keep else None),
                               protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            msg = pickle.dumps(({"error": f"{type(exc).__name__}: {exc}"}, None))
            code = 1
        with os.fdopen(w, "wb") as fh:
            fh.write(msg)
        os._exit(code)
    os.close(w)
    with os.fdopen(r, "rb") as fh:
        data = fh.read()
    os.waitpid(pid, 0)
    rec, res = pickle.loads(data) if data else ({"error": "the child died"}, None)
    if "error" in rec:
        raise RuntimeError(f"benchmark case failed in the child process: {rec['error']}")
    return rec["wall"], rec["cpu"], rec["peak"], rec["start"], res


@dataclass
class Bench:
    """One benchmark run: its options, cases, tables; saved as ``results/NAME.json``."""

    name: str
    description: str = ""
    argv: list[str] | None = None
    extra_args: Callable[[argparse.ArgumentParser], None] | None = None
    cases: list[dict] = field(default_factory=list)
    tables_: dict[str, dict] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def __post_init__(self):
        ap = argparse.ArgumentParser(description=self.description or self.name)
        ap.add_argument("--corpus", default="ant", choices=sorted(CORPORA), help="corpus (default ant)")
        ap.add_argument("--quick", action="store_true", help=f"the first {QUICK:,} articles only")
        ap.add_argument("--repeat", type=int, default=1, help="repeats of every timed case (default 1)")
        ap.add_argument("--no-save", action="store_true", help="print only; write no results/NAME.json")
        if self.extra_args:
            self.extra_args(ap)
        self.args = ap.parse_args(self.argv)
        self.started = _dt.datetime.now(_dt.timezone.utc)
        self.load_start = round(os.getloadavg()[0], 2)
        self.corpus: dict[str, Any] = {}
        self._tables = None

    # -- data
    def articles(self):
        """The corpus' articles (``--corpus``, ``--quick``), loaded once; SystemExit(0) with a
        message when the corpus is absent."""
        if self._tables is None:
            import warnings

            import analysis

            path = corpus_path(self.args.corpus)
            if path is None:
                var, default, _ = CORPORA[self.args.corpus]
                print(f"skipped: corpus {self.args.corpus!r} not found ({os.environ.get(var) or default}; "
                      f"set {var} to a file or folder)")
                raise SystemExit(0)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # skipped records are counted in the summary
                res, wall, cpu = _run_once(analysis.load_corpus, (path,),
                                           {**CORPORA[self.args.corpus][2], "progress": False})
            if self.args.quick:
                res = res.head(QUICK).reset_index(drop=True)
            self._tables = [res, None]
            self.corpus = {"name": self.args.corpus, "path": str(path), "quick": self.args.quick,
                           "articles": len(res), "load_s": round(wall, 2), "load_cpu_s": round(cpu, 2),
                           **{k: v for k, v in CORPORA[self.args.corpus][2].items()}}
            print(f"corpus: {self.args.corpus} ({path.name}), {len(res):,} articles"
                  f"{' (--quick)' if self.args.quick else ''}; load {wall:.1f} s")
        return self._tables[0]

    def tables(self):
        """``(articles, mentions)``: the articles and their mentions (extracted once)."""
        articles = self.articles()
        if self._tables[1] is None:
            import analysis

            m, wall, cpu = _run_once(analysis.extract_mentions, (articles,), {"progress": False})
            self._tables[1] = m
            self.corpus.update(mentions=len(m), extract_mentions_s=round(wall, 2))
            print(f"mentions: {len(m):,} (extract_mentions {wall:.1f} s)")
        return articles, self._tables[1]

    # -- timing
    def time(self, label: str, fn: Callable, *args, repeat: int | None = None, isolate: bool = True,
             keep: bool = False, **kw) -> Any:
        """Time ``fn(*args, **kw)`` ``repeat`` times (default ``--repeat``) and record the case.

        Returns the result of the last repeat when ``keep`` (for checks; pickled back from the
        child), else None. With ``isolate=False`` the repeats run in this process and the result
        of the last one is returned (its peak RSS is then this process's peak so far).
        """
        n = max(1, int(repeat or self.args.repeat))
        fork = isolate and hasattr(os, "fork")
        walls, cpus, peaks, starts, res = [], [], [], [], None
        for _ in range(n):
            if fork:
                wall, cpu, peak, start, res = _run_forked(fn, args, kw, keep=keep)
            else:
                start = _rss_mb()
                res, wall, cpu = _run_once(fn, args, kw)
                peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            walls.append(wall)
            cpus.append(cpu)
            peaks.append(peak)
            starts.append(start)
        rec = {"case": label, "repeat": n, "wall_s": round(min(walls), 3),
               "wall_median_s": round(statistics.median(walls), 3), "cpu_s": round(min(cpus), 3),
               "cpu_median_s": round(statistics.median(cpus), 3), "peak_rss_mb": round(max(peaks), 1),
               "rss_start_mb": round(min(starts), 1), "isolated": fork}
        self.cases.append(rec)
        print(f"  {label:<58s} {rec['wall_s']:8.2f} s wall {rec['cpu_s']:8.2f} s CPU "
              f"{rec['peak_rss_mb']:8.0f} MB peak" + (f"  (best of {n})" if n > 1 else ""), flush=True)
        return res

    def case(self, label: str) -> dict:
        """The record of a timed case (to compare cases)."""
        return next(c for c in self.cases if c["case"] == label)

    # -- tables and notes
    def table(self, name: str, df, readme: bool = False, floatfmt: str = "{:.3f}", show: bool = True) -> None:
        """Record (and print) a table; ``readme=True`` makes it a README block ``NAME.name``."""
        import pandas as pd

        df = pd.DataFrame(df)
        rows = [[_jsonable(v) for v in row] for row in df.itertuples(index=False, name=None)]
        self.tables_[name] = {"columns": [str(c) for c in df.columns], "rows": rows, "readme": readme,
                              "floatfmt": floatfmt}
        if show:
            with pd.option_context("display.width", 200, "display.max_columns", 30, "display.max_rows", 200):
                print(f"\n== {name} ==\n{df.to_string(index=False)}")

    def note(self, text: str) -> None:
        self.notes.append(text)
        print(text)

    def save(self) -> Path | None:
        if self.args.no_save:
            return None
        RESULTS.mkdir(parents=True, exist_ok=True)
        out = RESULTS / f"{self.name}.json"
        data = {
            "benchmark": self.name,
            "description": self.description,
            "started": self.started.isoformat(timespec="seconds"),
            "seconds": round((_dt.datetime.now(_dt.timezone.utc) - self.started).total_seconds(), 1),
            "git": _git_commit(),
            "machine": {"cpus": os.cpu_count(), "load_average_start": self.load_start,
                        "load_average_end": round(os.getloadavg()[0], 2), "python": sys.version.split()[0]},
            "options": {k: v for k, v in vars(self.args).items()},
            "corpus": self.corpus,
            "cases": self.cases,
            "tables": self.tables_,
            "notes": self.notes,
        }
        out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"\nresults -> {out.relative_to(REPO)}")
        return out


def _jsonable(v):
    try:
        import numpy as np

        if isinstance(v, np.generic):
            v = v.item()
    except ImportError:  # pragma: no cover
        pass
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    return str(v)


def _git_commit() -> str | None:
    try:
        return subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


# --------------------------------------------------------------------------- README blocks
BLOCK_RE = re.compile(r"(<!-- bench:(?P<name>[\w.-]+) -->\n)(?P<body>.*?)(<!-- /bench:(?P=name) -->)", re.S)


def markdown_table(table: dict) -> str:
    """A recorded table as a Markdown table (numbers right-aligned, floats with the table's format)."""
    cols, rows = table["columns"], table["rows"]
    fmt = table.get("floatfmt", "{:.3f}")

    def cell(v):
        if v is None:
            return ""
        if isinstance(v, bool):
            return "yes" if v else "no"
        if isinstance(v, float):
            return fmt.format(v)
        if isinstance(v, int):
            return f"{v:,}"
        return str(v).replace("|", "\\|")

    numeric = [all(isinstance(r[i], (int, float)) and not isinstance(r[i], bool) for r in rows if r[i] is not None)
               and any(r[i] is not None for r in rows) for i in range(len(cols))]
    head = "| " + " | ".join(cols) + " |"
    rule = "|" + "|".join("---:" if n else "---" for n in numeric) + "|"
    body = ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]
    return "\n".join([head, rule, *body]) + "\n"


def block_text(name: str) -> str:
    """The generated text of README block ``NAME.TABLE``: the table and the run it comes from."""
    bench, _, table = name.partition(".")
    path = RESULTS / f"{bench}.json"
    if not path.is_file():
        raise FileNotFoundError(f"README block {name}: {path.relative_to(REPO)} is missing; run benchmarks/bench_{bench}.py")
    data = json.loads(path.read_text(encoding="utf-8"))
    tables = {k: v for k, v in data["tables"].items() if v.get("readme")}
    if table not in tables:
        raise KeyError(f"README block {name}: {path.name} has no README table {table!r} (has {sorted(tables)})")
    c = data.get("corpus", {})
    m = data.get("machine", {})
    src = (f"<sub>`benchmarks/bench_{bench}.py`, {data['started'][:10]}, commit {data.get('git')}; corpus "
           f"{c.get('name')} ({c.get('articles', 0):,} articles{', --quick' if c.get('quick') else ''}); "
           f"{m.get('cpus')} CPUs, load average {m.get('load_average_start', '?')} at the start, "
           f"{m.get('load_average_end', (m.get('load_average') or ['?'])[0])} at the end (wall times grow "
           f"with the load, CPU times less)</sub>\n")
    return markdown_table(tables[table]) + "\n" + src


def update_readme(text: str) -> tuple[str, list[str]]:
    """``text`` with every bench block regenerated; and the names of the blocks."""
    names = []

    def repl(mt):
        names.append(mt["name"])
        return mt.group(1) + block_text(mt["name"]) + mt.group(4)

    return BLOCK_RE.sub(repl, text), names


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="README benchmark tables from benchmarks/results/*.json")
    ap.add_argument("--readme", action="store_true", help="print the README's bench blocks, regenerated")
    ap.add_argument("--write", action="store_true", help="with --readme: update README.md in place")
    ap.add_argument("--list", action="store_true", help="list the saved results")
    args = ap.parse_args(argv)
    if args.list or not args.readme:
        for p in sorted(RESULTS.glob("*.json")):
            d = json.loads(p.read_text(encoding="utf-8"))
            print(f"{p.name}: {d['started']} commit {d.get('git')}, {len(d['cases'])} cases, "
                  f"tables {', '.join(d['tables'])}")
        return 0
    text = README.read_text(encoding="utf-8")
    new, names = update_readme(text)
    if not names:
        print("README.md has no <!-- bench:NAME.TABLE --> blocks")
        return 1
    for mt in BLOCK_RE.finditer(new):
        print(f"<!-- bench:{mt['name']} -->\n{mt['body']}<!-- /bench:{mt['name']} -->\n")
    if args.write and new != text:
        README.write_text(new, encoding="utf-8")
        print(f"README.md: {len(names)} block(s) updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
