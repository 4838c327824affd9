"""The faultline database: open it, write batches atomically, read and export events.

The store package alone talks to DuckDB (connect.py opens a file and checks
its schema). duckdb and pyarrow are imported inside the functions that use
them, so importing faultline.store is free.

Threads: one Store may serve every thread of a process (a web server's
workers, say). It holds one DuckDB connection to the file, and each thread
queries through a cursor of its own (a further connection to the same
database, made on the thread's first query), so threads run their queries side
by side and never share a transaction or a registered table. A read-only
Store (open_store(..., read_only=True)) refuses every write. A thread's
cursor lives until close(), which closes every thread's: serve from a pool
of threads, and close the Store once none of them uses it any more.

Processes: DuckDB lets one process open a file for writing, and no other
process open it at all meanwhile; any number of processes may open it
read-only together. open_store(..., wait=SECONDS) waits that long for a file
another process holds (ingest holds it only while it looks up or writes a
batch). A process holds one database per file: a file opened read-only
cannot be opened for writing in the same process until it is closed.

Damage: every DuckDB failure comes out as a one-line StoreError, a file that
is cut short or fails a block's checksum as DamagedDatabaseError, whichever
method meets it; export reads the whole file first (store/export.py).
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, cast

from faultline.errors import StoreError
from faultline.models import Dependency, Document, Event
from faultline.store import clusters, export, replace, tables
from faultline.store.batch import Batch, ObjectBatch, unique_records, write_new
from faultline.store.clusters import ClusterRules
from faultline.store.connect import (
    OnWait,
    clusters_sql,
    connect,
    quiet,
    store_error,
    transaction,
)
from faultline.store.export import ORDER_RECORDS
from faultline.store.keys import node_sql

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

    from faultline.resolve.registry import Sighting

log = logging.getLogger(__name__)

#: Query parameters: a sequence for ? placeholders or a mapping for $name ones.
Params = Sequence[Any] | Mapping[str, Any]
_NAMED_PARAM = re.compile(r"\$([A-Za-z_]\w*)")

# Batch tables are registered on the connection under this prefix and their
# table's name while a statement reads them, so they cannot shadow a real table.
_BATCH = "_faultline_batch_"
_BATCH_HASHES = f"{_BATCH}hashes"


@dataclass(frozen=True)
class WriteResult:
    """What one Store.write call added, and how many documents were already stored."""

    new_documents: int
    new_events: int
    #: Documents already in the database (or repeated within the batch).
    skipped_documents: int
    new_dependencies: int = 0
    #: Real-world events added: new events less those that repeat a stored event.
    new_clusters: int = 0


def open_store(path: Path | str, *, read_only: bool = False, create: bool = True,
               wait: float = 0.0, on_wait: OnWait | None = None) -> Store:
    """Return a Store on the DuckDB file at path, creating the file and schema if it is new.

    A read-only Store (or one with create=False) needs an existing database and
    raises NoDatabaseError without one. ":memory:" gives a private in-memory
    database. A folder is read as a Parquet dataset (store/dataset.py), never
    written: DatasetError unless read_only. An existing database must have been written with this
    SCHEMA_VERSION, else SchemaVersionError is raised; one DuckDB cannot read
    back raises DamagedDatabaseError. While another process holds the file,
    opening waits up to `wait` seconds (telling on_wait once), then raises
    DatabaseBusyError.
    """
    name = str(path)
    if name != ":memory:" and Path(name).is_dir():
        from faultline.store.dataset import open_dataset

        return open_dataset(name, writing=not read_only)
    con = connect(name, read_only=read_only, create=create, wait=wait, on_wait=on_wait)
    return Store(con, name, read_only=read_only)


M = TypeVar("M", bound=Callable[..., Any])


def _guarded(method: M) -> M:
    """Return a Store method that raises DuckDB's failures as one-line StoreErrors (a
    damaged file as DamagedDatabaseError), never as DuckDB's own exceptions."""

    @functools.wraps(method)
    def guarded(self: Store, *args: Any, **kwargs: Any) -> Any:
        import duckdb

        try:
            return method(self, *args, **kwargs)
        except duckdb.Error as exc:
            raise store_error(exc, self.path, f"cannot read {self.path}") from exc

    return cast(M, guarded)


class Store:
    """One open faultline database, shared by any number of threads (see the module's
    docstring). Use open_store() to get one; close it when done."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str, *, read_only: bool) -> None:
        # The connection open_store made only makes the cursors the threads query through.
        self._root = con
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        self._local = threading.local()
        self._lock = threading.Lock()
        self._closed = False
        self.path = path
        self.read_only = read_only

    @property
    def _con(self) -> duckdb.DuckDBPyConnection:
        """Return the calling thread's cursor, made on its first query."""
        con: duckdb.DuckDBPyConnection | None = getattr(self._local, "con", None)
        if con is None or self._closed:
            with self._lock:
                if self._closed:
                    raise StoreError(f"database {self.path} is closed")
                con = quiet(self._root.cursor())
                self._cursors.append(con)
            self._local.con = con
        return con

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "read-write"
        return f"Store({self.path!r}, {mode})"

    def close(self) -> None:
        """Close the connection and every thread's cursor; committed data is already durable."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            for con in self._cursors:
                con.close()
            self._cursors.clear()
            self._root.close()

    @_guarded
    def meta(self) -> dict[str, str]:
        """Return the meta table: schema_version, faultline_version, created_at."""
        return dict(self._con.execute("SELECT key, value FROM meta").fetchall())

    # -- writing ----------------------------------------------------------------

    def write(
        self,
        documents: Sequence[Document],
        events: Sequence[Event],
        *,
        coder: str | None = None,
        people: Sequence[Sighting] = (),
        dependencies: Sequence[Dependency] = (),
        cluster_rules: ClusterRules | None = None,
        parses: Mapping[str, bytes] | None = None,
        model: str = "",
    ) -> WriteResult:
        """Store a batch of documents, their events and their statements of dependence in
        one transaction; return what was added.

        Idempotent: documents whose doc_hash is stored already (or that repeat
        earlier in the batch) are skipped together with their events and
        dependencies; an event or dependency whose id is stored already is
        skipped. Every event and dependency must belong to a document of the
        same batch. `coder` (the pipeline's version string) is recorded on each
        new document row. `people` (the actor registry's sightings) are stored
        with their documents, and skipped with them. New events join the
        clusters of the stored reports of the same real-world event
        (store/clusters.py), matched by `cluster_rules` (default ClusterRules()).
        `parses` holds the packed parse (nlp/stored.py) of documents by doc_hash,
        made by the spaCy pipeline `model`; stored with new documents only.

        Either the whole batch is committed or nothing is. Errors from DuckDB or
        from converting values to Arrow (a value of the wrong type, a number out
        of range) roll back and are raised as StoreError; any other exception
        (including KeyboardInterrupt) rolls back and propagates unchanged.
        """
        self._require_writable()
        batch = ObjectBatch.checked(documents, events, dependencies, people, parses)
        return self._write(batch, len(documents), coder=coder, cluster_rules=cluster_rules,
                           model=model)

    def write_batch(self, batch: Batch, *, coder: str | None = None,
                    cluster_rules: ClusterRules | None = None, model: str = "") -> WriteResult:
        """Store a batch as write() does (store/batch.py: its records as objects, or as the
        Arrow tables of a Parquet shard, store/shards.py); return what was added."""
        self._require_writable()
        return self._write(batch, len(batch.hashes()), coder=coder,
                           cluster_rules=cluster_rules, model=model)

    def _write(self, batch: Batch, given: int, *, coder: str | None,
               cluster_rules: ClusterRules | None, model: str) -> WriteResult:
        """Store what is new of a batch of `given` documents in one transaction (see write)."""
        import duckdb
        import pyarrow as pa

        try:
            with transaction(self._con):
                n_docs, n_events, n_deps, n_clusters = write_new(
                    self._con, self._insert, batch, self._known, coder=coder,
                    rules=cluster_rules or ClusterRules(), model=model)
        except (duckdb.Error, pa.ArrowException) as exc:
            raise store_error(exc, self.path, f"cannot write batch to {self.path} (rolled "
                              "back, nothing stored)") from exc
        skipped = given - n_docs
        log.debug("stored %d documents, %d events, %d dependencies; skipped %d",
                  n_docs, n_events, n_deps, skipped)
        return WriteResult(new_documents=n_docs, new_events=n_events, skipped_documents=skipped,
                           new_dependencies=n_deps, new_clusters=n_clusters)

    def replace(
        self,
        documents: Sequence[Document],
        events: Sequence[Event],
        *,
        coder: str,
        people: Sequence[Sighting] = (),
        dependencies: Sequence[Dependency] = (),
        cluster_rules: ClusterRules | None = None,
    ) -> tuple[int, int]:
        """Put these records in place of the stored events, people and statements of
        dependence of these stored documents, in one transaction (store/replace.py);
        return the events removed and added. Rolled back and raised as write() does."""
        import duckdb
        import pyarrow as pa

        self._require_writable()
        batch = {d.doc_hash: d for d in documents}
        try:
            with transaction(self._con):
                return replace.replace(
                    self._con, self._insert, documents, unique_records(events, batch, "event"),
                    coder=coder, people=people,
                    dependencies=unique_records(dependencies, batch, "dependency"),
                    cluster_rules=cluster_rules or ClusterRules())
        except (duckdb.Error, pa.ArrowException) as exc:
            raise store_error(exc, self.path, f"cannot write batch to {self.path} (rolled "
                              "back, the documents keep their events)") from exc

    @contextmanager
    def _registered(self, view: str, data: pa.Table) -> Iterator[duckdb.DuckDBPyConnection]:
        """Make an Arrow table readable as `view` on this thread's cursor while the block runs."""
        con = self._con
        con.register(view, data)
        try:
            yield con
        finally:
            con.unregister(view)

    def _insert(self, table: str, data: pa.Table, *, ignore_existing: bool = True) -> int:
        """Insert an Arrow table into `table` by column name; return rows inserted.

        ignore_existing: rows whose key is stored already are passed over (else
        they fail the statement).
        """
        verb = "INSERT OR IGNORE" if ignore_existing else "INSERT"
        view = f"{_BATCH}{table}"
        with self._registered(view, data) as con:
            rows = con.execute(f"{verb} INTO {table} BY NAME SELECT * FROM {view}").fetchall()
        return int(rows[0][0])

    def _require_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"database {self.path} was opened read-only; cannot write")

    # -- reading ----------------------------------------------------------------

    @_guarded
    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        """Return those of the given document hashes that are already stored."""
        wanted = list(dict.fromkeys(hashes))
        return self._known(wanted) if wanted else set()

    def _known(self, hashes: list[str]) -> set[str]:
        if not hashes:
            return set()
        with self._registered(_BATCH_HASHES, tables.hashes_table(hashes)) as con:
            rows = con.execute(
                f"SELECT doc_hash FROM documents "
                f"WHERE doc_hash IN (SELECT doc_hash FROM {_BATCH_HASHES})"
            ).fetchall()
        return {row[0] for row in rows}

    @_guarded
    def counts(self) -> dict[str, int]:
        """Return the number of stored documents and events."""
        # fetchall, not fetchone: DuckDB 2 keeps the connection busy until a
        # result is read to the end.
        ((documents, events),) = self._con.execute(
            "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM events)"
        ).fetchall()
        return {"documents": int(documents), "events": int(events)}

    @_guarded
    def date_range(self) -> tuple[str | None, str | None]:
        """Return the earliest and latest event dates (YYYY-MM-DD), or None when none is dated."""
        ((first, last),) = self._con.execute(
            "SELECT min(date)::VARCHAR, max(date)::VARCHAR FROM events").fetchall()
        return first, last

    @_guarded
    def cluster_counts(self) -> dict[str, int]:
        """Return stored events, the real-world events (clusters) they report, and how many
        of those were reported more than once."""
        self.require_clusters()
        events, units, repeated = clusters.count_units(self._con)
        return {"events": events, "clusters": units, "repeated": repeated}

    @_guarded
    def has_clusters(self) -> bool:
        """Return True when the database has its event-cluster tables."""
        rows = self._con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name = 'main' AND table_name = 'event_words'"
        ).fetchall()
        return bool(rows[0][0])

    def require_clusters(self) -> None:
        """Raise StoreError with advice when the database predates event clusters."""
        if not self.has_clusters():
            raise StoreError(
                f"{self.path} was written before faultline grouped reports into events; "
                f"run `faultline clusters --rebuild --db {self.path}` once to add them"
            )

    def recluster(self, rules: ClusterRules) -> dict[str, int]:
        """Group every stored event into clusters again with the given rules; return counts."""
        import duckdb

        self._require_writable()
        try:
            with transaction(self._con):
                if not self.has_clusters():
                    self._con.execute(clusters_sql())
                clusters.rebuild(self._con, rules)
        except duckdb.Error as exc:
            raise store_error(exc, self.path, f"cannot group events in {self.path}") from exc
        return self.cluster_counts()

    @_guarded
    def events_by_type(self) -> list[tuple[str, int]]:
        """Return (PLOVER event type, number of events), most frequent first."""
        rows = self._con.execute(
            "SELECT event, count(*) AS n FROM events GROUP BY event ORDER BY n DESC, event"
        ).fetchall()
        return [(str(event), int(n)) for event, n in rows]

    @_guarded
    def top_dyads(self, limit: int = 10) -> list[tuple[str, str, int]]:
        """Return the most frequent directed (source, target, events) pairs of actor keys
        (store/keys.py: a country code, or an organisation such as EU).

        Uses each event's first source and first target; events where either
        code is unknown, or both sides are the same actor, are left out.
        """
        rows = self._con.execute(
            f"SELECT a, b, count(*) AS n FROM (SELECT {_key('source')} AS a, {_key('target')} AS b "
            "FROM events) WHERE a IS NOT NULL AND b IS NOT NULL AND a <> b "
            "GROUP BY a, b ORDER BY n DESC, a, b LIMIT ?",
            [limit],
        ).fetchall()
        return [(str(s), str(t), int(n)) for s, t, n in rows]

    @_guarded
    def actor_mentions(
        self, query: str | None = None, limit: int = 20
    ) -> list[tuple[str, str | None, str | None, str | None, int]]:
        """Return (actor text, code, sector, organisation, mentions) of stored actors, most
        mentioned first.

        query keeps actors whose text or organisation contains it (any case).
        """
        rows = self._con.execute(
            "SELECT text, code, sector, org, count(*) AS n FROM actors "
            "WHERE ? IS NULL OR lower(text) LIKE '%' || lower(?) || '%' "
            "OR lower(org) LIKE '%' || lower(?) || '%' "
            "GROUP BY text, code, sector, org ORDER BY n DESC, text, org, code, sector LIMIT ?",
            [query, query, query, limit],
        ).fetchall()
        return [(str(t), c, s, o, int(n)) for t, c, s, o, n in rows]

    @_guarded
    def person_sightings(self, excluding: Sequence[str] = ()) -> list[Sighting]:
        """Return the stored sightings of people (the actor registry), one per name,
        coding, role and date, oldest first; doc_hash is that of one document saying so.
        Documents whose hash is in excluding do not count."""
        from faultline.resolve.registry import Sighting

        with self._registered(_BATCH_HASHES, tables.hashes_table(list(excluding))) as con:
            rows = con.execute(
                "SELECT name, code, sector, role, date_text, min(doc_hash), min(source), org "
                f"FROM person_sightings WHERE doc_hash NOT IN (SELECT doc_hash FROM "
                f"{_BATCH_HASHES}) GROUP BY name, code, sector, org, role, date_text "
                "ORDER BY min(date) NULLS FIRST, name, code, sector, org, role"
            ).fetchall()
        return [Sighting(*row) for row in rows]

    @_guarded
    def recode_targets(self, since: str | None = None) -> tuple[list[str], int]:
        """Return the hashes of the stored documents (published on or after since) that
        have a parse, in the order they were stored, and how many have none."""
        return replace.targets(self._con, since)

    @_guarded
    def parsed_documents(self, hashes: Sequence[str]) -> list[tuple[Document, bytes]]:
        """Return the stored documents of these hashes with their packed parses."""
        return replace.parsed_documents(self._con, hashes)

    @_guarded
    def people(self, query: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
        """Return registry rows (name, code, sector, org, first_seen, last_seen, documents,
        roles, sources) whose name contains query (any case), most documents first."""
        cursor = self._con.execute(
            "SELECT name, code, sector, org, first_seen::VARCHAR AS first_seen, "
            "last_seen::VARCHAR AS last_seen, documents, "
            "roles, sources FROM people "
            "WHERE ? IS NULL OR lower(name) LIKE '%' || lower(?) || '%' "
            "ORDER BY documents DESC, name, first_seen LIMIT ?",
            [query, query, limit],
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    @_guarded
    def dependency_records(self, actor: str | None = None) -> list[dict[str, Any]]:
        """Return the stored statements of dependence as dicts (columns of `dependencies`,
        and the actor keys supplier_key and dependent_key: store/keys.py), oldest first;
        actor keeps those with that key on either side."""
        import duckdb

        try:
            rows = self._con.execute(
                f"SELECT * FROM (SELECT *, {_key('supplier')} AS supplier_key, "
                f"{_key('dependent')} AS dependent_key FROM dependencies) "
                "WHERE ? IS NULL OR supplier_key = ? OR dependent_key = ? "
                "ORDER BY date NULLS FIRST, doc_id, span_start, id",
                [actor, actor, actor],
            )
        except duckdb.CatalogException:
            raise StoreError(
                f"{self.path} was written by a faultline that did not keep dependencies; "
                "re-ingest your documents into a new database file (--db NEW.duckdb)"
            ) from None
        columns = [c[0] for c in rows.description or ()]
        return [dict(zip(columns, row, strict=True)) for row in rows.fetchall()]

    def iter_event_records(self, batch_size: int = 10_000) -> Iterator[dict[str, Any]]:
        """Yield every stored event as a dict shaped like models.Event.as_record().

        Reads through its own cursor in Arrow batches, so memory stays flat and
        the Store may be queried while the iterator is alive.
        """
        import duckdb

        cursor = self._con.cursor()
        try:
            relation = cursor.sql(f"SELECT * FROM event_records {ORDER_RECORDS}")
            assert relation is not None  # a SELECT always gives a relation
            for batch in relation.to_arrow_reader(batch_size):
                yield from batch.to_pylist()
        except duckdb.Error as exc:
            raise store_error(exc, self.path, f"cannot read {self.path}") from exc
        finally:
            cursor.close()

    def query(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        """Return the rows of one SQL query with ? or $name parameters (for the analysis stage)."""
        import duckdb

        try:
            return self._con.execute(sql, _params(sql, params)).fetchall()
        except duckdb.Error as exc:
            raise store_error(exc, self.path, f"query failed on {self.path}") from exc

    def query_arrow(self, sql: str, params: Params = ()) -> pa.Table:
        """Return the result of one SQL query with ? or $name parameters as an Arrow table."""
        import duckdb

        try:
            relation = self._con.sql(sql, params=_params(sql, params) or None)
            if relation is None:
                raise StoreError(f"query_arrow needs a statement that returns rows: {sql!r}")
            return relation.to_arrow_table()
        except duckdb.Error as exc:
            raise store_error(exc, self.path, f"query failed on {self.path}") from exc

    # -- export -----------------------------------------------------------------

    def export(self, format: str, path: Path | str, coder: str | None = None) -> int:
        """Write every event (with coder, those of that coder version) to path and return
        how many were written.

        "plover": JSON lines in the models.Event.as_record() layout; "csv": one
        flat row per event with a header, its text cells safe for spreadsheets;
        "parquet": the events table with its nested actor lists; "cameo": a
        GDELT-style tab-separated table (store/formats.py). All are written by
        DuckDB's COPY, after the whole database was read through: a damaged one
        raises DamagedDatabaseError and nothing is written (store/export.py).
        """
        return export.export(self._con, self.path, format, Path(path), coder)


def _params(sql: str, params: Params) -> list[Any] | dict[str, Any]:
    """Return the parameters for DuckDB; named ones the statement does not use are dropped."""
    if isinstance(params, Mapping):
        used = set(_NAMED_PARAM.findall(sql))
        return {k: v for k, v in params.items() if k in used}
    return list(params)


def _key(side: str) -> str:
    """Return the SQL actor key of the flat columns side_code and side_org of a table."""
    return node_sql(f"{side}_code", f"{side}_org")
