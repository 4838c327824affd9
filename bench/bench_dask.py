"""Benchmark: `faultline ingest --workers N` on a synthetic corpus, 1 and 2 workers.

    python bench/bench_dask.py [--documents 1000] [--write-batch 50] [--repeat 1]
                               [--settle 0] [--rss-documents 0]

Writes a synthetic corpus (bench/synthetic_corpus.py: the sample briefs with
countries and dates varied), then times, as whole processes (start-up, the
Dask cluster and each worker loading spaCy included), `faultline ingest` of it
into a fresh database: in one process (no Dask), with --workers 1 and with
--workers 2, alternated --repeat times, and reports the fastest of each and
the speed-up from 1 to 2 workers. While each runs it reads the resident memory
of the faultline process and of every process under it (the cluster's
workers) every 0.2 s and reports the peaks, and the CPU time they used and
what the machine's other processes used meanwhile (on a shared machine the
walls mean little when the others used much). --settle S waits before each run
until the machine has been idle (under 10 % busy) for 3 s, at most S seconds.
The exports of the runs are compared: they must be identical (--documents 0
leaves this comparison out).
Each partition a worker codes is one batch of --write-batch documents (the
write_batch setting, for every run alike), so the corpus must hold several per
worker. --rss-documents M adds one run with --workers 2 on a corpus of M
documents, for its peak memory.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
from synthetic_corpus import write_corpus

ROOT = Path(__file__).resolve().parent.parent


#: The write_batch setting of every run (main sets it from --write-batch).
WRITE_BATCH = {"FAULTLINE_WRITE_BATCH": "50"}


def _env() -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONPATH": path, **WRITE_BATCH}


@dataclass(order=True)
class Run:
    """One timed run: wall seconds, CPU seconds of the faultline process, of the
    processes under it and of the machine's other processes meanwhile, and the peak
    resident memory (bytes) of it and of the largest of them."""

    seconds: float
    cpu_main: float = 0.0
    cpu_workers: float = 0.0
    rss_main: int = 0
    rss_worker: int = 0
    cpu_others: float = 0.0


def _busy() -> tuple[float, float]:
    """Return the CPU seconds every core of the machine spent busy, and in all."""
    times = psutil.cpu_times()
    idle = times.idle + getattr(times, "iowait", 0.0)
    # Linux counts a guest's time in user and nice as well
    total = sum(times) - getattr(times, "guest", 0.0) - getattr(times, "guest_nice", 0.0)
    return total - idle, total


def _settle(limit: float) -> None:
    """Wait until the machine was under 10 % busy for 3 s, at most limit seconds."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        before = _busy()
        time.sleep(3)
        after = _busy()
        if after[0] - before[0] < 0.1 * (after[1] - before[1]):
            return


def _cpu(process: psutil.Process) -> float:
    times = process.cpu_times()
    return float(times.user + times.system)


def _run(argv: list[str]) -> Run:
    """Run `faultline ARGV`, watching its processes' memory and CPU time."""
    started = time.perf_counter()
    busy = _busy()[0]
    process = subprocess.Popen([sys.executable, "-m", "faultline", *argv], env=_env(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    root = psutil.Process(process.pid)
    run = Run(0.0)
    # CPU seconds last seen of every process under it (they end before it does)
    workers: dict[int, float] = {}
    while process.poll() is None:
        try:
            run.rss_main = max(run.rss_main, root.memory_info().rss)
            run.cpu_main = _cpu(root)
            for child in root.children(recursive=True):
                try:
                    run.rss_worker = max(run.rss_worker, child.memory_info().rss)
                    workers[child.pid] = _cpu(child)
                except psutil.NoSuchProcess:
                    pass
        except psutil.NoSuchProcess:
            break
        time.sleep(0.2)
    run.seconds = time.perf_counter() - started
    run.cpu_workers = sum(workers.values())
    run.cpu_others = max(_busy()[0] - busy - run.cpu_main - run.cpu_workers, 0.0)
    err = process.stderr.read().decode() if process.stderr else ""
    if process.wait() != 0:
        raise SystemExit(f"faultline {' '.join(argv)} failed:\n{err}")
    return run


def _export(db: Path) -> Path:
    out = db.with_suffix(".jsonl")
    subprocess.run([sys.executable, "-m", "faultline", "export", "--db", str(db), "--format",
                    "plover", "-o", str(out)], env=_env(), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return out


def _mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB"


def _compare(documents: int, repeat: int, write_batch: int, folder: Path, settle: float
             ) -> None:
    """Time ingest of a corpus of `documents` in one process, on 1 and on 2 workers."""
    corpus = write_corpus(documents, folder / "corpus.jsonl")
    runs: dict[str, list[Run]] = {}
    exports: dict[str, Path] = {}
    for k in range(repeat):
        for name, extra in (("1 process", []), ("--workers 1", ["--workers", "1"]),
                            ("--workers 2", ["--workers", "2"])):
            db = folder / f"{name.strip('-').replace(' ', '')}-{k}.duckdb"
            _settle(settle)
            runs.setdefault(name, []).append(
                _run(["ingest", str(corpus), "--db", str(db), *extra]))
            exports[name] = _export(db)
            last = runs[name][-1]
            print(f"  {name}: {last.seconds:.1f} s (other processes {last.cpu_others:.1f} s "
                  "of CPU)", flush=True)
    same = all(filecmp.cmp(exports["1 process"], e, shallow=False)
               for e in exports.values())
    print(f"documents {documents}, partitions of {write_batch}, fastest of "
          f"{repeat}; exports identical: {same}")
    for name, results in runs.items():
        best = min(results)
        print(f"{name:12} {best.seconds:7.1f} s  {documents / best.seconds:6.1f} docs/s  "
              f"CPU: faultline {best.cpu_main:.1f} s, workers {best.cpu_workers:.1f} s, "
              f"others {best.cpu_others:.1f} s  "
              f"peak RSS: faultline {_mb(best.rss_main)}, largest worker "
              f"{_mb(best.rss_worker)}")
    one, two = min(runs["--workers 1"]).seconds, min(runs["--workers 2"]).seconds
    print(f"speed-up 1 -> 2 workers: {one / two:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--write-batch", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--settle", type=float, default=0.0)
    parser.add_argument("--rss-documents", type=int, default=0)
    args = parser.parse_args()
    WRITE_BATCH["FAULTLINE_WRITE_BATCH"] = str(args.write_batch)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.documents:
            _compare(args.documents, args.repeat, args.write_batch, folder, args.settle)
        if args.rss_documents:
            big = write_corpus(args.rss_documents, folder / "big.jsonl")
            run = _run(["ingest", str(big), "--db", str(folder / "big.duckdb"),
                        "--workers", "2"])
            print(f"documents {args.rss_documents}, --workers 2: {run.seconds:.0f} s, "
                  f"{args.rss_documents / run.seconds:.1f} docs/s; CPU: faultline "
                  f"{run.cpu_main:.0f} s, workers {run.cpu_workers:.0f} s; peak RSS: "
                  f"faultline {_mb(run.rss_main)}, largest worker {_mb(run.rss_worker)}")


if __name__ == "__main__":
    main()
