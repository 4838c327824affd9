"""The export formats: for each, what it selects from the database and how DuckDB writes it.

One registry, read by Store.export (every stored event) and by the events
endpoint of the web API (one page of events): a new format is one entry.

- plover:  JSON lines in the models.Event.as_record() layout (view event_records)
- csv:     one flat row per event with a header (view events_flat)
- parquet: the events table with its nested actor lists
- cameo:   a GDELT-style tab-separated table: CAMEO root code, quad class and
           Goldstein-like intensity, actors as CAMEO-style codes (country and
           sector, "RUSGOV"), the place of the event, how many reports and
           articles the real-world event had, and the document's URL; with
           faultline's own columns (PLOVER type and mode, document id) at the end
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from faultline.store.keys import generic_codes


@dataclass(frozen=True)
class ExportFormat:
    """How one export format is written."""

    name: str
    #: Returns a SELECT of one row per event, with an `id` column for choosing events
    #: (a function: the cameo layout reads the ontology, which is loaded on first use).
    select: Callable[[], str]
    #: The ORDER BY that makes two exports of the same database byte-identical.
    order: str
    #: The options of DuckDB's COPY.
    copy: str
    #: What HTTP calls the format.
    media_type: str
    #: The file ending.
    suffix: str


def _cameo_actor(side: str, prefix: str) -> str:
    """Return the GDELT-style columns of one side of an event (its first actor)."""
    generic = ", ".join(f"'{c}'" for c in sorted(generic_codes()))
    return f"""
    coalesce(e.{side}_code, '') || coalesce(e.{side}_sector, '') AS {prefix}Code,
    e.{side}_text AS {prefix}Name,
    CASE WHEN e.{side}_code IN ({generic}) THEN NULL ELSE e.{side}_code END
        AS {prefix}CountryCode,
    e.{side}_org AS {prefix}KnownGroupCode,
    e.{side}_sector AS {prefix}Type1Code"""


def _cameo_sql() -> str:
    return f"""
    SELECT e.id AS GLOBALEVENTID, e.id AS id,
           strftime(e.date, '%Y%m%d') AS SQLDATE, strftime(e.date, '%Y%m') AS MonthYear,
           year(e.date) AS "Year", e.date_precision AS DatePrecision,
           {_cameo_actor('source', 'Actor1')},
           {_cameo_actor('target', 'Actor2')},
           e.cameo AS EventCode, e.cameo AS EventBaseCode, e.cameo AS EventRootCode,
           e.quad_class AS QuadClass, e.intensity AS GoldsteinScale,
           coalesce(m.n_mentions, 1) AS NumMentions,
           coalesce(m.n_documents, 1) AS NumArticles,
           e.location_name AS ActionGeo_FullName, e.location_country AS ActionGeo_CountryCode,
           e.location_lat AS ActionGeo_Lat, e.location_lon AS ActionGeo_Long,
           strftime(d.ingested_at, '%Y%m%d%H%M%S') AS DATEADDED, d.url AS SOURCEURL,
           e.event AS PloverEvent, e.mode AS PloverMode, e.doc_id AS DocId,
           e.span_start AS _span
    FROM events AS e
    LEFT JOIN documents AS d ON d.doc_hash = e.doc_hash
    LEFT JOIN (SELECT c.event_id, k.n_mentions, k.n_documents
               FROM event_clusters AS c JOIN clusters AS k USING (cluster_id)) AS m
      ON m.event_id = e.id
    """


# Export order: chronological, then by document and position, so that two exports of
# the same database are byte-identical.
_ORDER_RECORDS = 'ORDER BY "date" NULLS LAST, doc_id, span[1], id'
_ORDER_EVENTS = 'ORDER BY "date" NULLS LAST, doc_id, span_start, id'

FORMATS: dict[str, ExportFormat] = {
    f.name: f for f in (
        ExportFormat("plover", lambda: "SELECT * FROM event_records", _ORDER_RECORDS,
                     "FORMAT json", "application/x-ndjson", "jsonl"),
        ExportFormat("csv", lambda: "SELECT * FROM events_flat", _ORDER_EVENTS,
                     "FORMAT csv, HEADER true", "text/csv; charset=utf-8", "csv"),
        ExportFormat("parquet", lambda: "SELECT * FROM events", _ORDER_EVENTS,
                     "FORMAT parquet, COMPRESSION zstd", "application/vnd.apache.parquet",
                     "parquet"),
        ExportFormat("cameo", _cameo_sql,
                     'ORDER BY SQLDATE NULLS LAST, DocId, _span, GLOBALEVENTID',
                     "FORMAT csv, DELIMITER '\t', HEADER true",
                     "text/tab-separated-values; charset=utf-8", "tsv"),
    )
}

#: The columns a format selects only to choose and order its rows, not to write.
_HIDDEN = {"cameo": ("id", "_span")}


def export_sql(name: str, ids: bool = False, where: str | None = None) -> str:
    """Return the SELECT of format `name` in export order; with ids, only the events whose
    ids are in the list parameter $ids, in that list's order; with where, only the rows
    (of columns id ...) for which that SQL condition holds."""
    fmt = FORMATS[name]
    hidden = _HIDDEN.get(name, ())
    columns = f"* EXCLUDE ({', '.join(hidden)})" if hidden else "*"
    if not ids:
        condition = f" WHERE {where}" if where else ""
        return f"SELECT {columns} FROM ({fmt.select()}){condition} {fmt.order}"
    return (f"SELECT x.{columns} FROM ({fmt.select()}) AS x "
            "JOIN (SELECT unnest($ids::VARCHAR[]) AS id, "
            "generate_subscripts($ids::VARCHAR[], 1) AS i) AS wanted USING (id) "
            "ORDER BY wanted.i")
