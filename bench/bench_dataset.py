"""Benchmark: analyses on a Parquet dataset against the same on its database.

    python bench/bench_dataset.py [--events 1000000] [--part-documents 1000] [--repeat 2]
                                  [--command relations] [--command triads]

Builds a database of synthetic events (bench/bench_relations.py: 200 actors of
Zipf-skewed frequencies, the 16 PLOVER types, five years, one event in ten a
further report of an earlier one; five events a document), then writes it as
the dataset a Dask ingest leaves: each table a Parquet file per partition of
--part-documents documents, the manifest, and the clusters written by
faultline's own write_clusters. Then runs each command (`faultline relations`
by default) as a whole process on the database and on the dataset (`--db
DATASET`), alternated --repeat times, and reports side by side the fastest
wall time and the peak resident memory of each (the kernel's own high-water
mark of the process, VmHWM), and what each takes on disk. The outputs of
the two must be identical.

Not a test: numbers on a shared machine are noisy; compare within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
from bench_relations import build

from faultline.store import open_store
from faultline.store.clusters import SUMMARY_SQL
from faultline.store.dataset import write_clusters

ROOT = Path(__file__).resolve().parent.parent
#: The database's tables and the dataset's folder of each.
TABLES = {"documents": "documents", "events": "events", "person_sightings": "people",
          "dependencies": "dependencies"}


def elect_representatives(db: Path) -> None:
    """Give each synthetic cluster the representative faultline would elect (the
    generator makes every cluster's first report its representative)."""
    con = duckdb.connect(str(db))
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE elected AS
        SELECT c.cluster_id, {SUMMARY_SQL}
        FROM event_clusters AS c JOIN events AS e ON e.id = c.event_id GROUP BY c.cluster_id
    """)
    con.execute("DELETE FROM clusters")
    con.execute("INSERT INTO clusters SELECT * FROM elected")
    con.close()


def write_dataset(db: Path, dataset: Path, part_documents: int) -> int:
    """Write the database's rows as a dataset of partitions of part_documents documents
    each, with its manifest and clusters; return the number of partitions."""
    con = duckdb.connect(str(db), read_only=True)
    hashes = [h for (h,) in con.execute(
        "SELECT doc_hash FROM documents ORDER BY doc_hash").fetchall()]
    bounds = hashes[::part_documents] + [None]
    lines = []
    for k, (low, high) in enumerate(zip(bounds, bounds[1:], strict=False)):
        part = f"part{k:05d}"
        for table, folder in TABLES.items():
            (dataset / folder).mkdir(parents=True, exist_ok=True)
            within = "doc_hash >= ?" + ("" if high is None else " AND doc_hash < ?")
            con.execute(f"COPY (SELECT * FROM {table} WHERE {within}) TO ? (FORMAT parquet)",
                        [low, *([] if high is None else [high]),
                         str(dataset / folder / f"{part}.parquet")])
        lines.append(json.dumps({"part": part, "documents": part_documents, "coder": "bench",
                                 "parser": "", "skipped": []}))
    con.close()
    (dataset / "manifest.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with open_store(db, read_only=True) as store:
        write_clusters(store, dataset)
    return len(lines)


# Runs faultline's command line, then writes the process's peak resident memory (the
# kernel's high-water mark, VmHWM, in kB) as the last line on stderr. (The peak the parent
# reads with wait4 would count this process's memory, which the child had before exec.)
_PEAK = """
import atexit, sys
from faultline.cli import main
def peak():
    status = open("/proc/self/status").read()
    print(status.split("VmHWM:")[1].split()[0], file=sys.stderr)
atexit.register(peak)
sys.argv = ["faultline", *sys.argv[1:]]
main()
"""


def measure(argv: list[str]) -> tuple[float, int, bytes]:
    """Run `faultline ARGV`; return its wall seconds, peak resident memory (bytes) and
    standard output."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, "PYTHONPATH": path, "COLUMNS": "200"}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _PEAK, *argv], env=env, capture_output=True)
    seconds = time.perf_counter() - started
    err = done.stderr.decode()
    if done.returncode != 0:
        raise SystemExit(f"faultline {' '.join(argv)} failed:\n{err}")
    return seconds, int(err.split()[-1]) * 1024, done.stdout


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--actors", type=int, default=200)
    parser.add_argument("--part-documents", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--command", action="append",
                        help="a command to time, with its options (default: relations)")
    args = parser.parse_args()
    commands = args.command or ["relations"]
    with tempfile.TemporaryDirectory() as tmp:
        db, dataset = Path(tmp) / "bench.duckdb", Path(tmp) / "bench.dataset"
        started = time.perf_counter()
        build(db, args.events, args.actors)
        elect_representatives(db)
        parts = write_dataset(db, dataset, args.part_documents)
        print(f"{args.events:,} events; database {_mb(_size(db))}, dataset {_mb(_size(dataset))} "
              f"in {parts} partitions of {args.part_documents} documents (made in "
              f"{time.perf_counter() - started:.0f} s)")
        for command in commands:
            runs: dict[str, list[tuple[float, int]]] = {"database": [], "dataset": []}
            outputs: dict[str, bytes] = {}
            for _ in range(args.repeat):
                for name, source in (("database", db), ("dataset", dataset)):
                    seconds, rss, out = measure([*command.split(), "--db", str(source)])
                    runs[name].append((seconds, rss))
                    outputs[name] = out
            same = outputs["database"] == outputs["dataset"]
            print(f"faultline {command} (fastest of {args.repeat}; outputs identical: {same})")
            for name, results in runs.items():
                seconds = min(s for s, _ in results)
                rss = max(r for _, r in results)
                print(f"  {name:9} {seconds:6.1f} s  peak RSS {_mb(rss)}")


if __name__ == "__main__":
    main()
