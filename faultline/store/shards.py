"""Parquet shards: the coded documents of one partition as files, the store's rows.

A Dask ingest (faultline/parallel) has each worker write what it coded of
one partition into a dataset folder, one Parquet file per table:

    DATASET/documents/PART.parquet      the `documents` rows (text included)
    DATASET/events/PART.parquet         the `events` rows
    DATASET/people/PART.parquet         the `person_sightings` rows
    DATASET/dependencies/PART.parquet   the `dependencies` rows
    DATASET/parses/PART.parquet         each document's packed parse (nlp/stored.py)

Each holds the columns of its database table (store/tables.py makes both), so
DuckDB reads a dataset as it reads the database (`read_parquet('DATASET/
events/*.parquet')`), and read_tables gives back its rows as Arrow tables,
which Store.write_batch stores as a TableBatch (store/batch.py) as Store.write
stores the same records given as objects: loading a shard is the same write a
single-process ingest makes, without turning its rows into Python objects
(read_shard gives them as objects, for a partition coded again). Each file is written beside its
place and moved there when complete, so a killed writer leaves no half file
under a part's name. Once the ingest has stored the partitions, it adds
DATASET/clusters/ (store/dataset.py), and the analyses can read the dataset
as they read a database (`--db DATASET`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from faultline.models import Actor, Dependency, Document, Event, Location
from faultline.store import tables

if TYPE_CHECKING:
    import pyarrow as pa

    from faultline.resolve.registry import Sighting

#: The tables of a shard, each a folder of the dataset.
SHARD_TABLES = ("documents", "events", "people", "dependencies", "parses")
#: The manifest of finished partitions, in the dataset folder: one JSON object a line,
#: its "part" the partition's name.
MANIFEST = "manifest.jsonl"


@dataclass
class Shard:
    """What one partition's documents hold, as Store.write takes it."""

    documents: list[Document]
    events: list[Event]
    people: list[Sighting]
    dependencies: list[Dependency]
    #: The packed parse of each document, by doc_hash.
    parses: dict[str, bytes]


def shard_path(dataset: Path, table: str, part: str) -> Path:
    """Return where table's file of partition `part` lives in the dataset."""
    return dataset / table / f"{part}.parquet"


def write_parquet(path: Path, table: pa.Table) -> None:
    """Write an Arrow table as a Parquet file, moved into place once complete."""
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    pq.write_table(table, partial)
    os.replace(partial, path)


def write_shard(dataset: Path, part: str, shard: Shard, *, coder: str | None) -> None:
    """Write a partition's documents, events, people and dependencies into the dataset
    (coder: the pipeline version recorded on each document row; ingested_at: now, when
    they were coded, as the database records when they were stored)."""
    now = datetime.now(UTC).replace(tzinfo=None)
    content: dict[str, pa.Table] = {
        "documents": tables.documents_table(shard.documents, coder, now),
        "events": tables.events_table(shard.events),
        "people": tables.sightings_table(shard.people),
        "dependencies": tables.dependencies_table(shard.dependencies),
        "parses": _parses_table(shard.parses),
    }
    for name in SHARD_TABLES:
        write_parquet(shard_path(dataset, name, part), content[name])


def manifest_parts(dataset: Path) -> list[str]:
    """Return the partitions the dataset's manifest lists as finished, each once, in the
    order finished (a line a kill cut short is passed over; no manifest: none)."""
    parts: dict[str, None] = {}
    try:
        lines = (dataset / MANIFEST).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    for line in lines:
        try:
            part = json.loads(line)["part"]
        except (ValueError, KeyError, TypeError):
            continue
        if isinstance(part, str):
            parts[part] = None
    return list(parts)


def read_parquet(path: Path) -> list[dict[str, Any]]:
    """Return the rows of a Parquet file as dicts."""
    import pyarrow.parquet as pq

    rows: list[dict[str, Any]] = pq.read_table(path).to_pylist()
    return rows


def read_tables(dataset: Path, part: str) -> dict[str, pa.Table]:
    """Return what write_shard wrote for partition `part` as Arrow tables, by table name."""
    import pyarrow.parquet as pq

    return {name: pq.read_table(shard_path(dataset, name, part)) for name in SHARD_TABLES}


def shard_documents(table: pa.Table) -> list[Document]:
    """Return the Documents of a shard's `documents` table."""
    return [_document(r) for r in table.to_pylist()]


def shard_people(table: pa.Table) -> list[Sighting]:
    """Return the Sightings of a shard's `people` table."""
    from faultline.resolve.registry import Sighting

    return [Sighting(name=r["name"], code=r["code"], sector=r["sector"], role=r["role"],
                     date=r["date_text"], doc_hash=r["doc_hash"], source=r["source"],
                     org=r["org"]) for r in table.to_pylist()]


def read_shard(dataset: Path, part: str) -> Shard:
    """Return what write_shard wrote for partition `part`, as objects."""
    content = read_tables(dataset, part)
    return Shard(
        documents=shard_documents(content["documents"]),
        events=[_event(r) for r in content["events"].to_pylist()],
        people=shard_people(content["people"]),
        dependencies=[_dependency(r) for r in content["dependencies"].to_pylist()],
        parses={r["doc_hash"]: r["parse"] for r in content["parses"].to_pylist()},
    )


def _parses_table(parses: dict[str, bytes]) -> pa.Table:
    import pyarrow as pa

    return pa.table({"doc_hash": pa.array(list(parses), pa.string()),
                     "parse": pa.array(list(parses.values()), pa.binary())})


def _document(row: dict[str, Any]) -> Document:
    return Document(text=row["text"], doc_hash=row["doc_hash"], doc_id=row["doc_id"],
                    title=row["title"], date=row["date_text"], date_source=row["date_source"],
                    url=row["url"], source=row["source"], byline=row["byline"],
                    origin=row["origin"])


def _actors(items: Sequence[dict[str, Any]]) -> tuple[Actor, ...]:
    return tuple(Actor(text=a["text"], code=a["code"], sector=a["sector"], org=a["org"])
                 for a in items)


def _event(row: dict[str, Any]) -> Event:
    location = None
    if row["location_name"] is not None:
        location = Location(name=row["location_name"], country=row["location_country"],
                            lat=row["location_lat"], lon=row["location_lon"])
    return Event(
        id=row["id"], doc_id=row["doc_id"], doc_hash=row["doc_hash"], date=row["date_text"],
        event=row["event"], mode=row["mode"], context=tuple(row["context"]),
        source=_actors(row["sources"]), target=_actors(row["targets"]),
        event_text=row["event_text"], text=row["sentence"],
        span=(row["span_start"], row["span_end"]), cameo=row["cameo"],
        quad_class=row["quad_class"], intensity=row["intensity"],
        confidence=row["confidence"], rule=row["rule"], coder=row["coder"],
        date_precision=row["date_precision"], date_fallback=row["date_fallback"],
        attribution=row["attribution"], location=location,
        extra=json.loads(row["extra"]) if row["extra"] else {},
    )


def _dependency(row: dict[str, Any]) -> Dependency:
    def actor(side: str) -> Actor:
        return Actor(text=row[f"{side}_text"], code=row[f"{side}_code"],
                     sector=row[f"{side}_sector"], org=row[f"{side}_org"])

    return Dependency(
        id=row["id"], doc_id=row["doc_id"], doc_hash=row["doc_hash"], date=row["date_text"],
        kind=row["kind"], good=row["good"], good_sector=row["good_sector"],
        supplier=actor("supplier"), dependent=actor("dependent"), share=row["share"],
        qualifier=row["qualifier"], trigger=row["trigger"], text=row["sentence"],
        span=(row["span_start"], row["span_end"]), rule=row["rule"], coder=row["coder"],
    )
