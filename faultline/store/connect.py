"""Opening a database file: connect, then check its schema, or create it in a new file.

The schema is schema.sql; SCHEMA_VERSION is written to its `meta` table, and
a database of another version is refused with advice rather than misread.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from faultline._version import __version__
from faultline.errors import (
    DamagedDatabaseError,
    DatabaseBusyError,
    NoDatabaseError,
    SchemaVersionError,
    StoreError,
)
from faultline.store import clusters
from faultline.store.clusters import ClusterRules

if TYPE_CHECKING:
    import duckdb

log = logging.getLogger(__name__)

#: Version of schema.sql. Bump it whenever a database written by the new
#: schema could not be read by the old code, or the other way round.
SCHEMA_VERSION = 4

#: The line of schema.sql from which on the event-cluster objects are created.
_CLUSTERS_MARKER = "-- == event clusters =="
#: The lines of schema.sql between which the table of stored parses is created.
_PARSES_MARKER = "-- == stored parses =="
_PARSES_END = "-- == end of stored parses =="

#: Told what is being waited for, once, when another process holds the database.
OnWait = Callable[[str], None]

# DuckDB's words for a file it cannot read back: cut short, or a block whose
# checksum does not match (zeroed or overwritten).
_TRUNCATED = re.compile(r"Could not read enough bytes")
_CORRUPT = re.compile(r"Corrupt database file|checksum")
_ABORTED = re.compile(r"Current transaction is aborted")
# DuckDB's words for a file of a Parquet dataset that is not one, is cut short, or
# whose pages do not decode.
_BAD_PARQUET = re.compile(r"No magic bytes found|too small to be a Parquet file|"
                          r"TProtocolException|decompression failure|Failed to read file")
# DuckDB's words when another process holds the file, and which process it is.
_LOCKED = re.compile(r"Could not set lock on file")
_HOLDER = re.compile(r"\(PID (\d+)\)")
#: Seconds between two tries to open a database another process holds.
_LOCK_POLL = 0.1


def _schema_sql() -> str:
    """Return schema.sql."""
    return resources.files("faultline.store").joinpath("schema.sql").read_text(encoding="utf-8")


def clusters_sql() -> str:
    """Return the part of schema.sql that creates the event-cluster tables and views."""
    schema = _schema_sql()
    return schema[schema.index(_CLUSTERS_MARKER):]


def first_line(exc: BaseException) -> str:
    """Return the first line of an error's message (its type's name if it has none)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def store_error(exc: BaseException, path: str, doing: str) -> StoreError:
    """Return the one-line StoreError for a failure of DuckDB on the database (or Parquet
    dataset) at path: DamagedDatabaseError when a file is cut short or corrupted, else
    "doing: why"."""
    # A statement that fails aborts its transaction, and the clean-up after it (an
    # unregister, a rollback) then fails for that reason: the first failure says why.
    while _ABORTED.search(first_line(exc)) and exc.__context__ is not None:
        exc = exc.__context__
    message = first_line(exc)
    damage = ("the file is cut short" if _TRUNCATED.search(message)
              else "part of the file does not match its checksum" if _CORRUPT.search(message)
              else None)
    if _BAD_PARQUET.search(message):
        return DamagedDatabaseError(
            f"{path} is damaged: one of its Parquet files cannot be read ({message}); "
            "restore it from a backup, or read the database its ingest wrote (--db DB.duckdb)"
        )
    if damage is not None:
        return DamagedDatabaseError(
            f"{path} is damaged ({damage}): restore it from a backup, or re-ingest your "
            "documents into a new database file (--db NEW.duckdb)"
        )
    return StoreError(f"{doing}: {message}")


def connect(path: str, *, read_only: bool, create: bool, wait: float = 0.0,
            on_wait: OnWait | None = None) -> duckdb.DuckDBPyConnection:
    """Return a connection to the faultline database at path, its schema checked (or made,
    in a new file that may be written), DuckDB's failures turned into one-line StoreErrors.

    Without a file at path, a read-only connection (or one with create=False)
    raises NoDatabaseError. While another process holds the file (a writer
    holds it alone, readers together), the connection waits for it up to
    `wait` seconds, telling on_wait once, then raises DatabaseBusyError.
    """
    import duckdb

    con = _open(path, read_only, create, wait, on_wait)
    try:
        _check_schema(con, path, read_only)
    except duckdb.Error as exc:
        con.close()
        raise store_error(exc, path, f"cannot read database {path}") from None
    except BaseException:
        con.close()
        raise
    return con


def _open(path: str, read_only: bool, create: bool, wait: float, on_wait: OnWait | None
          ) -> duckdb.DuckDBPyConnection:
    """Return a DuckDB connection to path, waiting up to `wait` seconds while another
    process holds it, turning DuckDB's failures into one-line StoreErrors."""
    if path != ":memory:":
        file = Path(path)
        if (read_only or not create) and not file.exists():
            raise NoDatabaseError(f"no database at {path}; run `faultline ingest` first")
        if not read_only:
            try:
                file.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create folder for database {path}: {exc}") from None
    return quiet(_connect_when_free(path, read_only, wait, on_wait))


def _connect_when_free(path: str, read_only: bool, wait: float, on_wait: OnWait | None
                       ) -> duckdb.DuckDBPyConnection:
    """Return duckdb.connect(path), tried again while another process holds the file."""
    import duckdb

    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            return duckdb.connect(path, read_only=read_only)
        except duckdb.Error as exc:
            message = first_line(exc)
            if "not a valid DuckDB database" in message:
                raise StoreError(
                    f"{path} is not a DuckDB database; choose a new file or an existing "
                    "faultline database (--db)"
                ) from None
            if "Permission denied" in message and not read_only:
                raise StoreError(
                    f"cannot write to database {path}: permission denied (the file or its "
                    "folder is read-only); make it writable, or choose another file with --db"
                ) from None
            if not _LOCKED.search(message):
                raise store_error(exc, path, f"cannot open database {path}") from None
            holder = _HOLDER.search(message)
            who = f"another process (PID {holder.group(1)})" if holder else "another process"
            left = deadline - time.monotonic()
            if left <= 0:
                raise DatabaseBusyError(
                    f"{path} is in use by {who}"
                    + (f" and stayed so for {wait:g} s" if wait > 0 else "")
                    + "; try again when it has finished, or raise the lock_wait setting"
                ) from None
            if on_wait is not None and not told:
                on_wait(f"{path} is in use by {who}; waiting for it (up to {wait:g} s)")
                told = True
            time.sleep(min(_LOCK_POLL, left))


def quiet(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Return con without DuckDB's progress bar (the command line draws its own)."""
    con.execute("SET enable_progress_bar = false")
    return con


def _check_schema(con: duckdb.DuckDBPyConnection, path: str, read_only: bool) -> None:
    """Check that con is a faultline database of this SCHEMA_VERSION; give a new file
    (unless read-only) the schema, and an older database its event clusters."""
    tables_present = {
        row[0]
        for row in con.execute(
            "SELECT table_name FROM duckdb_tables() "
            "WHERE database_name = current_database() AND schema_name = 'main'"
        ).fetchall()
    }
    if "meta" in tables_present:
        _check_version(con, path)
        if "event_words" not in tables_present and not read_only:
            _add_clusters(con)
        if "parses" not in tables_present and not read_only:
            # an older database: its documents have no parse, recode passes over them
            schema = _schema_sql()
            con.execute(schema[schema.index(_PARSES_MARKER):schema.index(_PARSES_END)])
    elif tables_present:
        raise StoreError(
            f"{path} is a DuckDB database but not a faultline one (it has no meta table); "
            "choose another file with --db"
        )
    elif read_only:
        raise StoreError(
            f"{path} has no faultline schema yet; write to it with `faultline ingest` first"
        )
    else:
        _create_schema(con)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Run the block in one transaction: committed at its end, rolled back if it raises."""
    import duckdb

    con.begin()
    try:
        yield
        con.commit()
    except BaseException:
        try:
            con.rollback()
        except duckdb.Error as exc:
            # The transaction may already be gone (e.g. DuckDB invalidated it);
            # the original error is the one worth reporting.
            log.warning("rollback failed: %s", first_line(exc))
        raise


def _create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table and view and record the versions, in one transaction."""
    with transaction(con):
        con.execute(_schema_sql())
        con.execute(
            "INSERT INTO meta VALUES ('schema_version', ?), ('faultline_version', ?), "
            "('created_at', ?)",
            [str(SCHEMA_VERSION), __version__, datetime.now(UTC).isoformat(timespec="seconds")],
        )
    log.info("created faultline schema version %d", SCHEMA_VERSION)


def _add_clusters(con: duckdb.DuckDBPyConnection) -> None:
    """Give a database made before event clusters existed its cluster tables, filled."""
    with transaction(con):
        con.execute(clusters_sql())
        clusters.rebuild(con, ClusterRules())
    log.info("added event clusters to an older database")


def _check_version(con: duckdb.DuckDBPyConnection, path: str) -> None:
    """Raise SchemaVersionError unless the database was written with SCHEMA_VERSION."""
    meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    found = meta.get("schema_version")
    if found is None:
        raise StoreError(
            f"{path} has a meta table without schema_version; it was not written by "
            "faultline: choose another file with --db"
        )
    if found != str(SCHEMA_VERSION):
        made_by = meta.get("faultline_version", "an unknown version")
        raise SchemaVersionError(
            f"{path} has schema version {found} (written by faultline {made_by}), but this "
            f"faultline {__version__} expects schema version {SCHEMA_VERSION}; re-ingest "
            "your documents into a new database file (--db NEW.duckdb)"
        )


