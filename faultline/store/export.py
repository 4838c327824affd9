"""Exporting stored events to a file, in the formats of store/formats.py.

An export first reads the whole database through (verify): a file with a
damaged block is refused with one line naming the table, even when the
damage lies outside the events, so a damaged database is never exported as
if it were whole. The file is written beside the target and moved over it
only when complete, so a failed export leaves an earlier file as it was.

CSV is read by spreadsheets, which run a cell that begins with "=", "+",
"-" or "@" (or a tab or carriage return before one) as a formula: such text
cells get a leading apostrophe, as OWASP advises against CSV injection, and
NUL bytes (a record's own id may hold one) are dropped from every text cell.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from faultline.errors import DamagedDatabaseError, OptionError
from faultline.store.connect import store_error
from faultline.store.formats import FORMATS, export_sql

if TYPE_CHECKING:
    import duckdb

log = logging.getLogger(__name__)

#: Formats Store.export writes (store/formats.py says what each holds).
EXPORT_FORMATS = tuple(FORMATS)
#: Iteration order of stored events: that of the plover export.
ORDER_RECORDS = FORMATS["plover"].order
#: Formats a spreadsheet opens: their text cells are made safe (see the module).
SPREADSHEET_FORMATS = frozenset({"csv", "cameo"})
#: Name under which the coder version asked for is registered, and the events it chooses.
_CODER = "_faultline_batch_coder"
_CODED_BY = (f"SELECT e.id FROM events AS e, {_CODER} AS w WHERE e.coder = w.version "
             "OR list_contains(string_split(e.coder, '+'), w.version)")
#: A spreadsheet runs a cell starting with one of these as a formula.
_FORMULA_START = "^[=+\\-@\\t\\r]"


def export(con: duckdb.DuckDBPyConnection, db: str, format: str, target: Path,
           coder: str | None = None) -> int:
    """Write every event of the database (at path db, open on con) to target in format,
    or with coder only those whose coder version is coder or has it as one of its parts
    ("lexicon-7755564b" of "coder-0.1.0+lexicon-7755564b"); return how many were
    written. OptionError when no event has that version."""
    import pyarrow as pa

    if format not in FORMATS:
        raise OptionError(
            f"unknown export format {format!r}; choose one of {', '.join(EXPORT_FORMATS)}"
        )
    verify(con, db, doing="nothing was exported")
    if coder is None:
        return _copy(con, db, format, target, export_sql(format))
    con.register(_CODER, pa.table({"version": pa.array([coder], pa.string())}))
    try:
        _require_version(con, coder)
        return _copy(con, db, format, target, export_sql(format, where=f"id IN ({_CODED_BY})"))
    finally:
        con.unregister(_CODER)


def _copy(con: duckdb.DuckDBPyConnection, db: str, format: str, target: Path, select: str
          ) -> int:
    """Write the rows of select to target in format; return how many were written."""
    import duckdb

    if format in SPREADSHEET_FORMATS:
        select = spreadsheet_safe(con, select)
    written = _partial(target)
    sql = f"COPY ({select}) TO ? ({FORMATS[format].copy})"
    try:
        ((count,),) = con.execute(sql, [str(written)]).fetchall()
        if written != target:
            os.replace(written, target)
    except (duckdb.Error, OSError) as exc:
        if written != target:
            written.unlink(missing_ok=True)
        raise store_error(exc, db, f"cannot export to {target}") from exc
    log.info("exported %d events to %s (%s)", count, target, format)
    return int(count)


def _require_version(con: duckdb.DuckDBPyConnection, coder: str) -> None:
    """Raise OptionError, naming the stored versions, when no event has this version."""
    if con.execute(f"SELECT count(*) FROM ({_CODED_BY})").fetchall()[0][0]:
        return
    versions = [row[0] for row in con.execute(
        "SELECT DISTINCT coder FROM events WHERE coder IS NOT NULL ORDER BY coder").fetchall()]
    held = ", ".join(versions) if versions else "none"
    raise OptionError(f"no stored event was coded by {coder!r}; the versions stored: {held}")


def verify(con: duckdb.DuckDBPyConnection, db: str, *, doing: str) -> None:
    """Read every table of the database through (every column of every row); raise
    DamagedDatabaseError naming the first that cannot be read, its message ending
    with what was therefore not done."""
    import duckdb

    tables = [row[0] for row in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'main' ORDER BY table_name").fetchall()]
    for table in tables:
        try:
            # hashing the whole row reads every column, so every block is checked
            con.execute(f'SELECT bit_xor(hash(t)) FROM "{table}" AS t').fetchall()
        except duckdb.Error as exc:
            error = store_error(exc, db, f"cannot read table {table} of {db}")
            if isinstance(error, DamagedDatabaseError):
                raise DamagedDatabaseError(
                    str(error).replace(" is damaged (", f" is damaged (table {table}: ", 1)
                    + f"; {doing}") from exc
            raise error from exc


def spreadsheet_safe(con: duckdb.DuckDBPyConnection, select: str) -> str:
    """Return a SELECT of the rows of `select` with every text cell made safe for
    spreadsheets (see the module), in the same order."""
    columns = con.execute(f"DESCRIBE {select}").fetchall()
    cells = []
    for name, kind, *_ in columns:
        column = f'x."{name}"'
        if kind == "VARCHAR":
            bare = f"replace({column}, chr(0), '')"
            column = (f"CASE WHEN regexp_matches({bare}, '{_FORMULA_START}') "
                      f"THEN '''' || {bare} ELSE {bare} END")
        cells.append(f'{column} AS "{name}"')
    return f"SELECT {', '.join(cells)} FROM ({select}) AS x"


def _partial(target: Path) -> Path:
    """Return where to write an export before it is moved to target: beside it, unless
    target is no regular file (a device such as /dev/stdout is written directly)."""
    try:
        if not stat.S_ISREG(target.stat().st_mode):
            return target
    except FileNotFoundError:
        pass
    except OSError:
        return target
    return target.with_name(f"{target.name}.partial")
