"""A batch the store writes: documents with their records, as objects or as Arrow tables.

Store.write_batch (store/db.py) stores every batch through write_new below:
the documents not stored yet, their parses, people, events (with the words
clustering compares, and their clusters) and statements of dependence, in
the caller's transaction. A batch comes either as the models' objects
(ObjectBatch: what a single-process ingest coded, Store.write) or as the
Arrow tables of a Parquet shard (TableBatch: what a Dask worker coded and
wrote, read straight from its files, store/shards.py), so that the process
storing a Dask ingest's partitions never turns their rows into Python
objects and back. Both keep, of repeated records, what the other keeps.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol, TypeVar

from faultline.errors import StoreError
from faultline.models import Dependency, Document, Event
from faultline.store import clusters, tables
from faultline.store.clusters import ClusterRules

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

    from faultline.resolve.registry import Sighting

log = logging.getLogger(__name__)

#: Inserts an Arrow table into the named table, passing over rows whose key is stored
#: (unless ignore_existing is False); returns the rows inserted (Store._insert).
Insert = Callable[..., int]

_PLURAL = {"event": "events", "dependency": "dependencies"}


class Batch(Protocol):
    """Documents with their records, as Store.write_batch takes them."""

    def hashes(self) -> list[str]:
        """Return the documents' hashes, each once, in the batch's order."""
        ...

    def only(self, hashes: Collection[str]) -> Batch:
        """Return the batch of the documents of these hashes, with their records."""
        ...

    def tables(self, coder: str | None, now: datetime, model: str) -> BatchTables:
        """Return the rows of each table (coder and now recorded on each document row,
        model on each parse)."""
        ...


@dataclass
class BatchTables:
    """The rows a batch adds to each table (parses None: none)."""

    documents: pa.Table
    parses: pa.Table | None
    people: pa.Table
    events: pa.Table
    dependencies: pa.Table


def unique_rows(ids: Sequence[str], doc_hashes: Sequence[str], documents: Collection[str],
                kind: str) -> list[int]:
    """Return the positions of the events or dependencies to keep: each id once, the first;
    one whose document is not among documents is refused with StoreError (kind names
    them in messages: "event", "dependency")."""
    seen: set[str] = set()
    keep: list[int] = []
    for i, (record, doc_hash) in enumerate(zip(ids, doc_hashes, strict=True)):
        if doc_hash not in documents:
            raise StoreError(
                f"{kind} {record} belongs to document {doc_hash}, which is not in "
                f"this batch; write each document together with its {_PLURAL[kind]}"
            )
        if record in seen:
            log.warning("%s id %s repeated within a batch; keeping the first", kind, record)
            continue
        seen.add(record)
        keep.append(i)
    return keep


R = TypeVar("R", Event, Dependency)


def unique_records(records: Sequence[R], documents: Collection[str], kind: str) -> list[R]:
    """Return events or dependencies without repeated ids, refusing any whose document is
    not among documents (unique_rows)."""
    keep = unique_rows([r.id for r in records], [r.doc_hash for r in records], documents, kind)
    return [records[i] for i in keep]


def last_by_key(keys: Sequence[tuple[str, str]]) -> list[int]:
    """Return, for each distinct key in order of its first row, the position of its last
    row: a person named twice in one document is stored once, as last seen."""
    last: dict[tuple[str, str], int] = {}
    for i, key in enumerate(keys):
        last[key] = i
    return list(last.values())


@dataclass
class ObjectBatch:
    """A batch as the models' objects: documents by hash, their events (ids unique) and
    statements of dependence, the people they name, their packed parses by hash."""

    documents: dict[str, Document]
    events: list[Event]
    dependencies: list[Dependency]
    people: Sequence[Sighting] = ()
    parses: Mapping[str, bytes] = field(default_factory=dict)

    @classmethod
    def checked(cls, documents: Sequence[Document], events: Sequence[Event],
                dependencies: Sequence[Dependency], people: Sequence[Sighting] = (),
                parses: Mapping[str, bytes] | None = None) -> ObjectBatch:
        """Return the batch of these records: each document and each id once, the first;
        an event or dependency of a document not among them is refused (StoreError)."""
        unique: dict[str, Document] = {}
        for doc in documents:
            unique.setdefault(doc.doc_hash, doc)
        return cls(unique, unique_records(events, unique, "event"),
                   unique_records(dependencies, unique, "dependency"), people, parses or {})

    def hashes(self) -> list[str]:
        """Return the documents' hashes, in order."""
        return list(self.documents)

    def only(self, hashes: Collection[str]) -> ObjectBatch:
        """Return the batch of these documents."""
        people = [p for p in self.people if p.doc_hash in hashes]
        return ObjectBatch(
            documents={h: d for h, d in self.documents.items() if h in hashes},
            events=[e for e in self.events if e.doc_hash in hashes],
            dependencies=[d for d in self.dependencies if d.doc_hash in hashes],
            people=[people[i] for i in last_by_key([(p.doc_hash, p.name) for p in people])],
            parses={h: self.parses[h] for h in self.documents
                    if h in hashes and h in self.parses})

    def tables(self, coder: str | None, now: datetime, model: str) -> BatchTables:
        """Return the rows of each table."""
        return BatchTables(
            documents=tables.documents_table(list(self.documents.values()), coder, now),
            parses=tables.parses_table(self.parses, model) if self.parses else None,
            people=tables.sightings_table(list(self.people)),
            events=tables.events_table(self.events),
            dependencies=tables.dependencies_table(self.dependencies))


@dataclass
class TableBatch:
    """A batch as Arrow tables with the columns of write_shard's files (store/shards.py):
    documents, events, people, dependencies and parses (doc_hash, parse)."""

    documents: pa.Table
    events: pa.Table
    people: pa.Table
    dependencies: pa.Table
    parses: pa.Table

    def __post_init__(self) -> None:
        # what ObjectBatch's maker (Store.write) keeps of repeated documents and records
        hashes = self.documents.column("doc_hash").to_pylist()
        firsts = {h: i for i, h in reversed(list(enumerate(hashes)))}
        if len(firsts) < len(hashes):
            self.documents = _take(self.documents, sorted(firsts.values()))
        self.events = _unique_table(self.events, firsts, "event")
        self.dependencies = _unique_table(self.dependencies, firsts, "dependency")

    def hashes(self) -> list[str]:
        """Return the documents' hashes, in order."""
        hashes: list[str] = self.documents.column("doc_hash").to_pylist()
        return hashes

    def only(self, hashes: Collection[str]) -> TableBatch:
        """Return the batch of these documents."""
        people = _rows_of(self.people, hashes)
        keys = zip(people.column("doc_hash").to_pylist(), people.column("name").to_pylist(),
                   strict=True)
        return TableBatch(documents=_rows_of(self.documents, hashes),
                          events=_rows_of(self.events, hashes),
                          people=_take(people, last_by_key(list(keys))),
                          dependencies=_rows_of(self.dependencies, hashes),
                          parses=_rows_of(self.parses, hashes))

    def tables(self, coder: str | None, now: datetime, model: str) -> BatchTables:
        """Return the rows of each table, documents recorded as stored now by coder."""
        import pyarrow as pa

        documents = self.documents
        n = documents.num_rows
        for name, values in (("ingested_at", pa.array([now] * n, pa.timestamp("us"))),
                             ("coder", pa.array([coder] * n, pa.string()))):
            documents = documents.set_column(documents.schema.get_field_index(name), name,
                                             values)
        parses = None
        if self.parses.num_rows:
            parses = self.parses.append_column(
                "model", pa.array([model] * self.parses.num_rows, pa.string()))
        return BatchTables(documents=documents, parses=parses, people=self.people,
                           events=self.events, dependencies=self.dependencies)


def _rows_of(table: pa.Table, hashes: Collection[str]) -> pa.Table:
    """Return the rows of table whose doc_hash is one of hashes."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return table.filter(pc.is_in(table.column("doc_hash"),
                                 value_set=pa.array(list(hashes), pa.string())))


def _take(table: pa.Table, rows: list[int]) -> pa.Table:
    """Return these rows of table, in this order."""
    import pyarrow as pa

    return table.take(pa.array(rows, pa.int64()))


def _unique_table(table: pa.Table, documents: Collection[str], kind: str) -> pa.Table:
    """Return the rows of table unique_rows keeps."""
    keep = unique_rows(table.column("id").to_pylist(), table.column("doc_hash").to_pylist(),
                       documents, kind)
    return table if len(keep) == table.num_rows else _take(table, keep)


def write_new(con: duckdb.DuckDBPyConnection, insert: Insert, batch: Batch,
              known: Callable[[list[str]], set[str]], *, coder: str | None,
              rules: ClusterRules, model: str) -> tuple[int, int, int, int]:
    """Insert what is new of a batch (known: which of these hashes are stored); return
    documents, events, dependencies and clusters added. The caller holds the
    transaction."""
    hashes = batch.hashes()
    stored = known(hashes)
    new = batch.only([h for h in hashes if h not in stored])
    rows = new.tables(coder, datetime.now(UTC).replace(tzinfo=None), model)
    n_docs = n_events = n_deps = 0
    units_before = clusters.count_units(con)[1]
    if rows.documents.num_rows:
        n_docs = insert("documents", rows.documents, ignore_existing=False)
        if rows.parses is not None:
            insert("parses", rows.parses)
    if rows.people.num_rows:
        insert("person_sightings", rows.people)
    if rows.events.num_rows:
        # OR IGNORE: an id already stored for an older document is kept,
        # not overwritten, and does not abort the batch.
        n_events = insert("events", rows.events)
        insert("event_words", clusters.table_words(rows.events))
        clusters.assign(con, rows.events.column("id").to_pylist(), rules)
    n_clusters = clusters.count_units(con)[1] - units_before
    if rows.dependencies.num_rows:
        n_deps = insert("dependencies", rows.dependencies)
    return n_docs, n_events, n_deps, n_clusters
