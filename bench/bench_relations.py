"""Benchmark: relationship analytics on a synthetic table of a million events.

    python bench/bench_relations.py [--events 1000000] [--actors 200] [--repeat 3] [--db PATH]

Generates events in the layout of the `events` table (faultline's own schema,
through open_store) with realistic skew: about 200 actor codes whose
frequencies follow a Zipf law (a few states in most events; one in twenty an
organisation, coded IGO with its name in `org`, as the EU is), the 16 PLOVER
types with their quad classes and intensities, dates over five years (mostly
day precision, some month and year, a fifth dated by publication), one event
in ten with a second target, and one in ten a further report of an earlier
event (so clusters have several mentions). Then times, best of --repeat:

  relations       every pair's score, directions, trend and top-3 evidence
                  (Python objects, as the CLI and the report use them)
  relation_table  the same scores as one Arrow table, no evidence
  triad_table     every closed triangle with 2+ events a side, as one Arrow table
  triads          the same as Python objects, and with history by year
  dyad, chains    one busy pair

Not a test: numbers on a shared machine are noisy; compare within one run.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from faultline.analysis.chains import chains
from faultline.analysis.dyads import dyad
from faultline.analysis.relations import relation_table, relations
from faultline.analysis.triads import triad_table, triads
from faultline.coder.ontology import load_ontology
from faultline.store import open_store

SECTORS = ["GOV", "MIL", "COP", "JUD", "MED", "BUS", "CVL", "OPP", None]


def _codes(n: int) -> list[str]:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return [f"X{letters[i // 26 % 26]}{letters[i % 26]}" for i in range(n)]


def _actors(names: np.ndarray, codes: np.ndarray, orgs: np.ndarray, sectors: np.ndarray,
            offsets: np.ndarray) -> pa.Array:
    struct = pa.StructArray.from_arrays(
        [pa.array(names.astype(str)), pa.array(codes.astype(str)), pa.array(sectors, pa.string()),
         pa.array(orgs, pa.string())],
        names=["text", "code", "sector", "org"],
    )
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), struct)


def generate(n: int, n_actors: int, seed: int = 7) -> tuple[pa.Table, pa.Table, pa.Table]:
    """Return (documents, events, event_clusters) Arrow tables of n events."""
    rng = np.random.default_rng(seed)
    labels = np.array(_codes(n_actors))
    # one actor in twenty is an organisation: code IGO, its name in org
    is_org = np.arange(n_actors) % 20 == 7
    codes = np.where(is_org, "IGO", labels)
    orgs = np.where(is_org, labels, None).astype(object)
    weights = 1.0 / np.arange(1, n_actors + 1) ** 1.1
    weights /= weights.sum()
    src = rng.choice(n_actors, n, p=weights)
    tgt = rng.choice(n_actors, n, p=weights)
    tgt = np.where(tgt == src, (tgt + 1) % n_actors, tgt)
    ontology = load_ontology()
    names = sorted(ontology.types)
    quads = np.array([ontology.types[t].quad_class for t in names])
    intens = np.array([ontology.types[t].intensity for t in names])
    kind = rng.integers(0, len(names), n)
    start = np.datetime64("2021-01-01")
    dates = start + rng.integers(0, 5 * 365, n).astype("timedelta64[D]")
    precision = rng.choice(["day", "month", "year"], n, p=[0.9, 0.08, 0.02])
    dates = np.where(precision == "month", dates.astype("datetime64[M]").astype("datetime64[D]"),
                     dates)
    dates = np.where(precision == "year", dates.astype("datetime64[Y]").astype("datetime64[D]"),
                     dates)
    ids = np.char.add("e", np.char.zfill(np.arange(n).astype(str), 8))
    n_docs = n // 5
    doc_of = np.arange(n) // 5
    doc_hash = np.char.add("d", np.char.zfill(doc_of.astype(str), 15))
    # One event in ten with a second target; sectors at random.
    two = rng.random(n) < 0.1
    extra_tgt = rng.choice(n_actors, n, p=weights)
    t_counts = 1 + two.astype(np.int32)
    t_offsets = np.concatenate([[0], np.cumsum(t_counts)])
    t_index = np.empty(t_offsets[-1], dtype=np.int64)
    t_index[t_offsets[:-1]] = tgt
    t_index[t_offsets[:-1][two] + 1] = extra_tgt[two]
    t_sectors = rng.choice(np.array(SECTORS, dtype=object), t_offsets[-1])
    s_sectors = rng.choice(np.array(SECTORS, dtype=object), n)
    sentences = np.char.add(np.char.add(labels[src], " acted on "), labels[tgt])
    events = pa.table({
        "id": ids, "doc_hash": doc_hash, "doc_id": doc_hash,
        "date": pa.array(dates.astype("datetime64[D]"), pa.date32()),
        "date_text": pa.array(dates.astype(str)),
        "date_precision": precision,
        "date_fallback": rng.random(n) < 0.2,
        "event": np.array(names)[kind], "mode": pa.nulls(n, pa.string()),
        "context": pa.array([[]] * n, pa.list_(pa.string())),
        "source_text": labels[src], "source_code": codes[src],
        "source_sector": pa.array(s_sectors, pa.string()),
        "source_org": pa.array(orgs[src], pa.string()),
        "target_text": labels[tgt], "target_code": codes[tgt],
        "target_sector": pa.array(t_sectors[t_offsets[:-1]], pa.string()),
        "target_org": pa.array(orgs[tgt], pa.string()),
        "sources": _actors(labels[src], codes[src], orgs[src], s_sectors, np.arange(n + 1)),
        "targets": _actors(labels[t_index], codes[t_index], orgs[t_index], t_sectors, t_offsets),
        "event_text": pa.array(["acted"] * n), "sentence": sentences,
        "span_start": np.zeros(n, np.int32), "span_end": np.full(n, 20, np.int32),
        "cameo": pa.nulls(n, pa.string()), "quad_class": quads[kind].astype(np.int8),
        "intensity": intens[kind], "confidence": rng.uniform(0.4, 1.0, n),
        "rule": pa.array(["bench"] * n), "coder": pa.array(["bench"] * n),
    })
    documents = pa.table({
        "doc_hash": np.unique(doc_hash), "doc_id": np.unique(doc_hash),
        "text": pa.array(["synthetic"] * n_docs), "n_chars": np.full(n_docs, 9, np.int32),
        "ingested_at": pa.array([np.datetime64("2026-01-01T00:00:00", "us")] * n_docs),
    })
    # One event in ten repeats an earlier, original one (another report of it):
    # same cluster, whose id is the original's (the smallest id in it).
    repeat = rng.random(n) < 0.1
    repeat[0] = False
    originals = np.flatnonzero(~repeat)
    before = np.searchsorted(originals, np.arange(n))  # originals older than each event
    pick = originals[(rng.random(n) * np.maximum(before, 1)).astype(np.int64)]
    cluster = np.where(repeat, ids[pick], ids)
    # event_clusters lists only the events of clusters with two or more reports.
    counts = np.unique(cluster, return_counts=True)
    shared = np.isin(cluster, counts[0][counts[1] > 1])
    clustered = pa.table({"event_id": ids[shared], "cluster_id": cluster[shared]})
    return documents, events, clustered


def build(path: Path, n: int, n_actors: int) -> None:
    """Write a faultline database of n synthetic events at path."""
    documents, events, clustered = generate(n, n_actors)
    with open_store(path) as store:
        con = store._con  # the bench writes its synthetic tables directly
        for name, table in (("documents", documents), ("events", events),
                            ("event_clusters", clustered)):
            con.register("_bench", table)
            con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _bench")
            con.unregister("_bench")
        con.execute("""
            INSERT INTO clusters
            SELECT c.cluster_id, c.cluster_id, count(*)::INTEGER,
                   count(DISTINCT e.doc_hash)::INTEGER, min(e.date), max(e.date)
            FROM event_clusters c JOIN events e ON e.id = c.event_id GROUP BY c.cluster_id
        """)


def best(repeat: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    """Return the fastest of repeat runs of fn (seconds) and its last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--actors", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db", type=Path, help="keep the generated database here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "bench.duckdb"
        if not path.exists():
            started = time.perf_counter()
            build(path, args.events, args.actors)
            print(f"generated {args.events:,} events, {args.actors} actors in "
                  f"{time.perf_counter() - started:.1f} s -> {path}")
        with open_store(path, read_only=True) as store:
            counts = store.cluster_counts()
            print(f"{counts['events']:,} events in {counts['clusters']:,} clusters")
            runs: list[tuple[str, Callable[[], Any]]] = [
                ("relations (evidence 3)", lambda: relations(store)),
                ("relation_table", lambda: relation_table(store)),
                ("triad_table", lambda: triad_table(store, min_evidence=2)),
                ("triads", lambda: triads(store, min_evidence=2)),
                ("triads, best 100", lambda: triads(store, min_evidence=2, limit=100)),
                ("triads --by year, best 100",
                 lambda: triads(store, min_evidence=2, by="year", limit=100)),
                ("dyad XAA XAB --by month", lambda: dyad(store, "XAA", "XAB")),
                ("chains XAA XAB", lambda: chains(store, "XAA", "XAB")),
            ]
            for name, fn in runs:
                seconds, result = best(args.repeat, fn)
                size = result.num_rows if isinstance(result, pa.Table) else len(result)
                print(f"{name:<26} {seconds:6.2f} s  ({size:,} rows)")


if __name__ == "__main__":
    main()
