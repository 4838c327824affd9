"""A Parquet dataset read as a database: the analyses over the files a Dask ingest wrote.

`faultline ingest --workers N` (or --scheduler) leaves a dataset folder
(store/shards.py): each finished partition's documents, events, people and
dependencies as Parquet files, and the manifest of those partitions. Once
the run has stored them, write_clusters adds how the database grouped their
events into real-world events:

    DATASET/clusters/clusters.parquet   one row per event reported more than once:
                                        event_id, cluster_id and its `clusters` row

open_dataset gives a read-only Store over the folder: an in-memory DuckDB
whose tables `documents`, `events`, `person_sightings`, `dependencies`,
`event_clusters` and `clusters` are views over those files, with the columns
and types of the database's tables (schema.sql), and whose views
(`event_units`, `actors`, `people`, `event_records`, `events_flat`) are the
database's own. So every analysis and export runs on it as on a database, and
DuckDB reads the files lazily: only the columns and row groups a query needs,
never the whole dataset into memory. Only the manifest's partitions are read
(a file a killed worker left without an entry there is not).

A dataset without a clusters file (written by an older faultline, or its run
was killed before it stored every partition) counts each event as a
real-world event of its own, and says so in a note; so does one whose
clusters cover only some of its partitions, for the events of the others.
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from faultline._version import __version__
from faultline.errors import DatasetError
from faultline.store.clusters import SUMMARY_SQL
from faultline.store.connect import SCHEMA_VERSION, _schema_sql, quiet, store_error
from faultline.store.db import Store
from faultline.store.shards import MANIFEST, manifest_parts, shard_path, write_parquet

if TYPE_CHECKING:
    import duckdb

log = logging.getLogger(__name__)

#: The folder of the dataset that holds the clustering of its events, and its file.
CLUSTERS = "clusters"
CLUSTERS_FILE = "clusters.parquet"
#: The key of the clusters file's metadata that lists the partitions it covers.
_COVERS = "faultline.partitions"
#: The database's tables read from the shards, and the folder of each.
_SHARDS = {"documents": "documents", "events": "events", "person_sightings": "people",
           "dependencies": "dependencies"}
#: The database's tables a dataset holds empty: no one reads them but the writers.
_EMPTY = ("event_words",)

# The events of a database that repeat another event of the dataset (of the files
# {events}), grouped as the database grouped them, less the reports outside the
# dataset: a cluster's id is its smallest event id, and its representative and counts
# are those of its reports in the dataset (clusters.SUMMARY_SQL).
_MEMBERS_SQL = f"""
WITH members AS (
    SELECT c.event_id, min(c.event_id) OVER (PARTITION BY c.cluster_id) AS cluster_id,
           count(*) OVER (PARTITION BY c.cluster_id) AS reports
    FROM event_clusters AS c
    WHERE c.event_id IN (SELECT id FROM read_parquet({{events}}))
),
summary AS (
    SELECT c.cluster_id, {SUMMARY_SQL}
    FROM members AS c JOIN events AS e ON e.id = c.event_id
    WHERE c.reports > 1
    GROUP BY c.cluster_id
)
SELECT m.event_id, s.cluster_id, s.representative, s.n_mentions, s.n_documents,
       s.first_date, s.last_date
FROM members AS m JOIN summary AS s ON s.cluster_id = m.cluster_id
ORDER BY s.cluster_id, m.event_id
"""


class DatasetStore(Store):
    """A read-only Store over a Parquet dataset (see the module); `notes` say, a line
    each, what it lacks that the database had (clusters)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str, notes: list[str]) -> None:
        super().__init__(con, path, read_only=True)
        self.notes = tuple(notes)

    def __repr__(self) -> str:
        return f"DatasetStore({self.path!r})"


def is_dataset(path: Path | str) -> bool:
    """Return True when path is a dataset folder: a folder with a manifest."""
    return (Path(path) / MANIFEST).is_file()


def refuse_writes(path: Path | str) -> None:
    """Raise DatasetError when path is a folder (a dataset or not), which no command may
    write as its database; do nothing for a file or a path that does not exist yet."""
    folder = Path(path)
    if not folder.is_dir():
        return
    if is_dataset(folder):
        raise DatasetError(
            f"{folder} is a Parquet dataset, which faultline reads but never writes: give "
            "a database file (--db DB.duckdb), and the dataset to `ingest --workers N "
            "--dataset` if its workers are to write there"
        )
    raise DatasetError(f"{folder} is a folder, not a database file: give a file (--db "
                       "DB.duckdb)")


def open_dataset(path: Path | str, *, writing: bool = False) -> DatasetStore:
    """Return a read-only Store over the dataset folder at path (see the module).

    DatasetError with writing (a dataset is never written), or when path is a
    folder without a manifest, or a dataset whose manifest lists no partition
    or whose files are missing; a file DuckDB cannot read (damaged) raises
    DamagedDatabaseError, when met.
    """
    import duckdb

    dataset = Path(path)
    if writing:
        refuse_writes(dataset)
    if not is_dataset(dataset):
        raise DatasetError(
            f"{dataset} is a folder but not a faultline dataset (it has no {MANIFEST}): give "
            "a database file, or the dataset folder of an ingest with --workers or --scheduler"
        )
    parts = manifest_parts(dataset)
    if not parts:
        raise DatasetError(
            f"{dataset} is an empty dataset: its {MANIFEST} lists no finished partition; "
            "run the ingest that writes it (faultline ingest INPUT --workers N) to its end"
        )
    con = quiet(duckdb.connect(":memory:"))
    try:
        notes = _build(con, dataset, parts)
    except duckdb.Error as exc:
        con.close()
        raise store_error(exc, str(dataset), f"cannot read dataset {dataset}") from None
    except BaseException:
        con.close()
        raise
    for note in notes:
        log.info("%s", note)
    return DatasetStore(con, str(dataset), notes)


def write_clusters(store: Store, dataset: Path) -> int:
    """Write into the dataset how the database of store grouped the events of the
    dataset's partitions into clusters (DATASET/clusters/clusters.parquet, moved into
    place when complete, in place of the one before); return the clusters written.
    Nothing is written for a dataset without partitions."""
    parts = [p for p in manifest_parts(dataset) if shard_path(dataset, "events", p).is_file()]
    if not parts:
        return 0
    files = _sql_list([shard_path(dataset.resolve(), "events", p) for p in parts])
    table = store.query_arrow(_MEMBERS_SQL.format(events=files))
    covered = json.dumps(parts).encode()
    try:
        write_parquet(dataset / CLUSTERS / CLUSTERS_FILE,
                      table.replace_schema_metadata({_COVERS.encode(): covered}))
    except OSError as exc:
        raise DatasetError(f"cannot write the clusters of dataset {dataset}: {exc}") from None
    return len(set(table.column("cluster_id").to_pylist()))


def _build(con: duckdb.DuckDBPyConnection, dataset: Path, parts: list[str]) -> list[str]:
    """Make the dataset's tables and views on con; return the notes on what it lacks."""
    columns, views = _schema()
    for table, folder in _SHARDS.items():
        _view(con, table, _source(dataset, folder, parts), columns[table], dataset)
    notes = _clusters(con, dataset, parts, columns)
    for table in _EMPTY:
        con.execute(f"CREATE TABLE {table} ({_definition(columns[table])})")
    con.execute(f"CREATE TABLE meta ({_definition(columns['meta'])})")
    con.execute("INSERT INTO meta VALUES ('schema_version', ?), ('faultline_version', ?), "
                "('dataset', ?)", [str(SCHEMA_VERSION), __version__, str(dataset)])
    for sql in views:
        con.execute(sql)
    return notes


def _clusters(con: duckdb.DuckDBPyConnection, dataset: Path, parts: list[str],
              columns: dict[str, list[tuple[str, str]]]) -> list[str]:
    """Make `event_clusters` and `clusters` from the dataset's clusters file (empty tables
    without one); return the notes on the partitions it does not cover."""
    path = dataset / CLUSTERS / CLUSTERS_FILE
    if not path.is_file():
        for table in ("event_clusters", "clusters"):
            con.execute(f"CREATE TABLE {table} ({_definition(columns[table])})")
        return [f"{dataset} holds no clusters (its ingest was killed before it stored every "
                "partition, or an older faultline wrote it): each event counts as a "
                "real-world event of its own"]
    source = f"read_parquet({_sql_list([path.resolve()])})"
    _view(con, "event_clusters", source, columns["event_clusters"], dataset)
    _view(con, "clusters", source, columns["clusters"], dataset, distinct=True)
    rows = con.execute("SELECT value FROM parquet_kv_metadata(?) WHERE key = ?",
                       [str(path), _COVERS.encode()]).fetchall()
    try:
        covered = set(json.loads(bytes(rows[0][0]))) if rows else set()
    except (ValueError, TypeError):
        covered = set()  # not faultline's list: it covers nothing for sure
    missing = [p for p in parts if p not in covered]
    if not missing:
        return []
    return [f"{dataset}: its clusters cover {len(parts) - len(missing)} of its {len(parts)} "
            "partitions (its last ingest did not finish): the events of the others count "
            "as real-world events of their own"]


def _view(con: duckdb.DuckDBPyConnection, name: str, source: str,
          columns: list[tuple[str, str]], dataset: Path, *, distinct: bool = False) -> None:
    """Make view `name` of the rows of source with these columns (name, DuckDB type),
    each cast to its type where the files hold another."""
    found = {row[0]: row[1] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
    cells = []
    for column, kind in columns:
        if column not in found:
            raise DatasetError(
                f"{dataset} was written by another faultline: its files for {name} have no "
                f"column {column}; read the database its ingest wrote instead (--db)"
            )
        quoted = f'"{column}"'
        cells.append(quoted if found[column] == kind else f"CAST({quoted} AS {kind}) AS {quoted}")
    unique = "DISTINCT " if distinct else ""
    con.execute(f"CREATE VIEW {name} AS SELECT {unique}{', '.join(cells)} FROM {source}")


def _source(dataset: Path, folder: str, parts: list[str]) -> str:
    """Return the read_parquet() of the folder's files of these partitions: all its files
    when they are exactly those, so that the view stays short."""
    root = dataset.resolve()  # the views read the same files wherever the process goes
    files = [shard_path(root, folder, part) for part in parts]
    missing = next((f for f in files if not f.is_file()), None)
    if missing is not None:
        raise DatasetError(
            f"{dataset} is incomplete: its manifest lists partition {missing.stem}, which has "
            f"no file {missing.relative_to(root)}; restore it, or read the database its "
            "ingest wrote instead (--db)"
        )
    present = {f.name for f in (root / folder).glob("*.parquet")}
    if present == {f.name for f in files} and not any(c in str(root) for c in "*?[{"):
        return f"read_parquet({_sql_list([root / folder / '*.parquet'])})"
    return f"read_parquet({_sql_list(files)})"


def _sql_list(paths: list[Path]) -> str:
    """Return a SQL list literal of these paths."""
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"


def _definition(columns: list[tuple[str, str]]) -> str:
    """Return the column list of a CREATE TABLE of these columns (name, DuckDB type)."""
    return ", ".join(f'"{name}" {kind}' for name, kind in columns)


@lru_cache(maxsize=1)
def _schema() -> tuple[dict[str, list[tuple[str, str]]], tuple[str, ...]]:
    """Return the columns (name, DuckDB type) of every table of schema.sql, by table, and
    the CREATE statements of its views, in the order they were made."""
    import duckdb

    con = duckdb.connect(":memory:")
    try:
        con.execute(_schema_sql())
        columns: dict[str, list[tuple[str, str]]] = {}
        for table, column, kind in con.execute(
                "SELECT table_name, column_name, data_type FROM duckdb_columns() "
                "WHERE NOT internal AND table_name IN (SELECT table_name FROM duckdb_tables()) "
                "ORDER BY table_name, column_index").fetchall():
            columns.setdefault(table, []).append((column, kind))
        views = tuple(sql for (sql,) in con.execute(
            "SELECT sql FROM duckdb_views() WHERE NOT internal ORDER BY view_oid").fetchall())
    finally:
        con.close()
    return columns, views
