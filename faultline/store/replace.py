"""Coding stored documents again: which documents have a parse, and swapping their records.

`recode` reads the documents it codes again and their stored parses a batch at
a time (parsed_documents), in the order they were ingested, and writes the
new records of a batch with replace(): in one transaction it deletes the
batch's events, statements of dependence and people and writes the new ones,
so a document never has old and new events at once, and an interrupted run
leaves every batch it did not finish as it was. Clusters stay whole: the
clusters the old events were in are dissolved, and their other members join
clusters again together with the new events (store/clusters.py), which gives
the clusters a grouping of the whole database from scratch gives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from faultline.models import Dependency, Document, Event
from faultline.store import clusters, tables
from faultline.store.clusters import ClusterRules

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

    from faultline.resolve.registry import Sighting

#: Name under which the hashes of a batch's documents are registered.
_HASHES = "_faultline_batch_recode"
#: The documents to code again: those with a parse, in the order they were stored.
_TARGETS = """
SELECT d.doc_hash, p.doc_hash IS NOT NULL AS parsed
FROM documents AS d LEFT JOIN parses AS p USING (doc_hash)
WHERE $since IS NULL OR d.date >= CAST($since AS DATE)
ORDER BY d.rowid
"""
_DOCUMENT_COLUMNS = ("text", "doc_hash", "doc_id", "title", "date_text", "date_source", "url",
                     "source", "byline", "origin")
# The events of the batch, and every other member of their clusters.
_BATCH_EVENTS = f"SELECT id FROM events WHERE doc_hash IN (SELECT doc_hash FROM {_HASHES})"
#: Names under which the new events, and the ids of the stored events that go, are
#: registered; the clusters those were in.
_NEW = "_faultline_batch_recode_events"
_GONE = "_faultline_batch_recode_gone"
_AFFECTED = f"SELECT cluster_id FROM event_clusters WHERE event_id IN (SELECT id FROM {_GONE})"


def targets(con: duckdb.DuckDBPyConnection, since: str | None) -> tuple[list[str], int]:
    """Return the hashes of the stored documents (published on or after since, when given)
    that have a parse, in the order they were stored, and how many have none."""
    rows = con.execute(_TARGETS, {"since": since}).fetchall()
    return [h for h, parsed in rows if parsed], sum(1 for _, parsed in rows if not parsed)


def parsed_documents(con: duckdb.DuckDBPyConnection, hashes: Sequence[str]
                     ) -> list[tuple[Document, bytes]]:
    """Return the stored documents of these hashes with their packed parses, in the order
    of hashes."""
    columns = ", ".join(f"d.{c}" for c in _DOCUMENT_COLUMNS)
    with _registered(con, hashes):
        rows = con.execute(
            f"SELECT {columns}, p.parse FROM documents AS d JOIN parses AS p USING (doc_hash) "
            f"WHERE d.doc_hash IN (SELECT doc_hash FROM {_HASHES})").fetchall()
    found = {row[1]: row for row in rows}
    out = []
    for h in hashes:
        row = found[h]
        text, doc_hash, doc_id, title, date, date_source, url, source, byline, origin = row[:-1]
        document = Document(text=text, doc_hash=doc_hash, doc_id=doc_id, title=title, date=date,
                            date_source=date_source, url=url, source=source, byline=byline,
                            origin=origin or "")
        out.append((document, bytes(row[-1])))
    return out


def replace(
    con: duckdb.DuckDBPyConnection,
    insert: Callable[[str, pa.Table], int],
    documents: Sequence[Document],
    events: Sequence[Event],
    *,
    coder: str,
    people: Sequence[Sighting],
    dependencies: Sequence[Dependency],
    cluster_rules: ClusterRules,
) -> tuple[int, int]:
    """Put these records in place of the stored events, people and statements of
    dependence of these documents, and record `coder` as what read them; return the
    events removed and added. The caller holds the transaction; insert(table, rows)
    writes rows.

    An event stored already with every value the same but its coder version (most of
    them, after a small change to a lexicon) stays where it is, in its cluster, and
    takes the new version; the others go, and the new ones come.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    rows = tables.events_table(events)
    with _registered(con, [d.doc_hash for d in documents]):
        ((removed,),) = con.execute(f"SELECT count(*) FROM ({_BATCH_EVENTS})").fetchall()
        con.register(_NEW, rows)
        try:
            same = " AND ".join(f'e."{c}" IS NOT DISTINCT FROM n."{c}"'
                                for c in rows.column_names if c not in ("id", "coder"))
            kept = [row[0] for row in con.execute(
                f"SELECT n.id FROM {_NEW} AS n JOIN events AS e ON e.id = n.id "
                f"WHERE e.doc_hash IN (SELECT doc_hash FROM {_HASHES}) AND {same}").fetchall()]
        finally:
            con.unregister(_NEW)
        gone = [row[0] for row in con.execute(
            f"SELECT id FROM ({_BATCH_EVENTS}) WHERE id NOT IN (SELECT unnest(?::VARCHAR[]))",
            [kept]).fetchall()]
        con.register(_GONE, pa.table({"id": pa.array(gone, pa.string())}))
        try:
            # the other members of the clusters the events that go were in, clustered again
            members = [row[0] for row in con.execute(
                f"SELECT event_id FROM event_clusters WHERE cluster_id IN ({_AFFECTED}) "
                f"AND event_id NOT IN (SELECT id FROM {_GONE}) ORDER BY event_id").fetchall()]
            con.execute(f"DELETE FROM clusters WHERE cluster_id IN ({_AFFECTED})")
            con.execute(f"DELETE FROM event_clusters WHERE cluster_id IN ({_AFFECTED})")
            for table, key in (("event_words", "event_id"), ("events", "id")):
                con.execute(f"DELETE FROM {table} WHERE {key} IN (SELECT id FROM {_GONE})")
        finally:
            con.unregister(_GONE)
        con.execute("UPDATE events SET coder = ? WHERE id IN (SELECT unnest(?::VARCHAR[])) "
                    "AND coder IS DISTINCT FROM ?", [coder, kept, coder])
        for table in ("dependencies", "person_sightings"):
            con.execute(f"DELETE FROM {table} WHERE doc_hash IN (SELECT doc_hash FROM {_HASHES})")
        con.execute(f"UPDATE documents SET coder = ? WHERE doc_hash IN "
                    f"(SELECT doc_hash FROM {_HASHES})", [coder])
    unique = {(p.doc_hash, p.name): p for p in people}
    if unique:
        insert("person_sightings", tables.sightings_table(list(unique.values())))
    stay = set(kept)
    fresh = [e for e in events if e.id not in stay]
    added = len(kept)
    if fresh:
        added += insert("events", rows.filter(pc.invert(pc.is_in(rows["id"], pa.array(kept,
                                                                                    pa.string())))))
        insert("event_words", clusters.events_words(fresh))
    if dependencies:
        insert("dependencies", tables.dependencies_table(dependencies))
    clusters.assign(con, [*(e.id for e in fresh), *members], cluster_rules)
    return int(removed), added


@contextmanager
def _registered(con: duckdb.DuckDBPyConnection, hashes: Sequence[str]) -> Iterator[None]:
    """Make the hashes readable as table _HASHES on con while the block runs."""
    con.register(_HASHES, tables.hashes_table(list(hashes)))
    try:
        yield
    finally:
        con.unregister(_HASHES)
