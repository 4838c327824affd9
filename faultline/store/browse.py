"""Browsing stored events: filtered, sorted pages with cursors, and one document in full.

Every filter is a fixed SQL fragment with `?` parameters; nothing a user typed
becomes SQL text. A page is found in two steps: the ids of its events (one
scan of `events` with the filters, ordered by the sort key and id, after the
cursor), then their records in any export layout (store/formats.py), so that
every format of the web API serves exactly the same events.

Cursors are keyset positions (the last row's sort value and id): a page
never shifts when rows are added before it, and going deeper costs no more.

An actor or pair filter tested on every row of `events` is a full scan with
list work per row. A server keeps an EventIndex instead (index_events, once
per database version, in a scratch database in memory): one row per event
and actor key it has, and one per event and pair of keys, sorted by key, with
the columns of the sorts and of the type, quad class and date filters. A
filter on one actor or pair then reads only that key's rows; with other
filters too, those rows are the candidates whose records the full test still
reads. The index only narrows: `where` decides what matches.
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from faultline.errors import OptionError
from faultline.store.formats import export_sql
from faultline.store.keys import generic_codes, node_sql

if TYPE_CHECKING:
    from faultline.store.db import Store

#: Sort orders of an events page: a column and its direction (-: descending). Missing
#: values come last either way.
SORTS: dict[str, tuple[str, bool, Any]] = {
    "date": ("date", False, dt.date(9999, 12, 31)),
    "-date": ("date", True, dt.date(1, 1, 1)),
    "intensity": ("intensity", False, 1e9),
    "-intensity": ("intensity", True, -1e9),
    "confidence": ("confidence", False, 1e9),
    "-confidence": ("confidence", True, -1e9),
}


@dataclass(frozen=True)
class EventFilter:
    """Which stored events to list; every field left None (or empty) keeps everything."""

    #: An actor key on either side: RUS, EU, or with a sector RUS:GOV.
    actor: str | None = None
    #: An organisation on either side, as the text named it (EU, CSTO, Hamas), any case.
    org: str | None = None
    #: Two actor keys: events between them, either way.
    pair: tuple[str, str] | None = None
    #: PLOVER types (any of them).
    types: tuple[str, ...] = ()
    #: Quad classes 1..4 (any of them).
    quads: tuple[int, ...] = ()
    mode: str | None = None
    context: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    #: A place: its name (any case) or the ISO code of its country.
    place: str | None = None
    #: (west, south, east, north) in degrees: events located inside.
    bbox: tuple[float, float, float, float] | None = None
    #: Words every sentence must contain (any case).
    words: tuple[str, ...] = ()
    #: Events of this document (its id or hash).
    doc: str | None = None
    #: Event ids (for events chosen elsewhere, such as an alert's).
    ids: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class EventIndex:
    """The tables of a scratch database that list the events of an actor or a pair."""

    #: (key, sector, first, source, target, ...): one row per event and actor key and
    #: sector it has on either side (source, target: on which); first marks one row per
    #: event and key.
    actors: str
    #: (lo, hi, ...): one row per event and pair of keys {lo <= hi}, one a source's and
    #: the other a target's.
    pairs: str


#: The columns an EventIndex table keeps of each event, besides rid (its rowid in `events`).
_INDEXED = "id, date, intensity, confidence, event, quad_class"


@dataclass(frozen=True)
class Page:
    """One page of events: their ids in order, the cursor of the next page, the total."""

    ids: list[str]
    next: str | None
    total: int


def _side_key(side: str, flat: str, key: str) -> tuple[str, list[Any]]:
    """Return an SQL condition (and its parameters): some actor of side (sources or
    targets; flat: the prefix of its first actor's columns) has this key (keys.py),
    "RUS", "EU" or with a sector "RUS:GOV"."""
    code, _, sector = key.partition(":")
    each = node_sql("x.code", "x.org")
    if sector:
        each = f"{each} || coalesce(':' || x.sector, '')"
    # The first actor's code column decides most rows: the organisation's name is
    # normalised, and the list of actors read, only where they can decide (CASE
    # evaluates its branch for those rows alone).
    if code in generic_codes():
        single, params = f"{node_sql(f'{flat}_code', f'{flat}_org')} = ?", [code]
    else:
        generic = ", ".join(f"'{c}'" for c in sorted(generic_codes()))
        single = (f"({flat}_code = ? OR CASE WHEN {flat}_code IN ({generic}) AND {flat}_org "
                  f"IS NOT NULL THEN {node_sql(f'{flat}_code', f'{flat}_org')} = ? "
                  "ELSE false END)")
        params = [code, code]
    if sector:
        single = f"({single} AND {flat}_sector = ?)"
        params.append(sector)
    return (f"({single} OR CASE WHEN len({side}) > 1 THEN "
            f"list_contains(list_transform({side}, lambda x: {each}), ?) ELSE false END)"), \
        [*params, key]


def _has(side: str, key: str) -> tuple[str, list[Any]]:
    return _side_key(side, "source" if side == "sources" else "target", key)


def _org_on(side: str, flat: str) -> str:
    return (f"(lower({flat}_org) = lower(?) OR (len({side}) > 1 AND "
            f"list_contains(list_transform({side}, lambda x: lower(x.org)), lower(?))))")


def where(f: EventFilter) -> tuple[str, list[Any]]:
    """Return the SQL condition on `events` of a filter and its parameters."""
    parts: list[str] = []
    params: list[Any] = []

    def add(sql: str, *values: Any) -> None:
        parts.append(sql)
        params.extend(values)

    if f.actor:
        (s, sp), (t, tp) = _has("sources", f.actor), _has("targets", f.actor)
        add(f"({s} OR {t})", *sp, *tp)
    if f.pair:
        a, b = f.pair
        (sa, pa_), (tb, pb) = _has("sources", a), _has("targets", b)
        (sb, pb2), (ta, pa2) = _has("sources", b), _has("targets", a)
        add(f"(({sa} AND {tb}) OR ({sb} AND {ta}))", *pa_, *pb, *pb2, *pa2)
    if f.org:
        add(f"({_org_on('sources', 'source')} OR {_org_on('targets', 'target')})",
            *([f.org] * 4))
    if f.types:
        add("event IN (SELECT unnest(?::VARCHAR[]))", list(f.types))
    if f.quads:
        add("quad_class IN (SELECT unnest(?::INTEGER[]))", list(f.quads))
    if f.mode:
        add("mode = ?", f.mode)
    if f.context:
        add("list_contains(context, ?)", f.context)
    if f.since:
        add("date >= ?", f.since)
    if f.until:
        add("date <= ?", f.until)
    if f.place:
        add("(lower(location_name) = lower(?) OR location_country = upper(?))",
            f.place, f.place)
    if f.bbox:
        west, south, east, north = f.bbox
        add("location_lat BETWEEN ? AND ? AND location_lon BETWEEN ? AND ?",
            south, north, west, east)
    for word in f.words:
        add("contains(lower(sentence), lower(?))", word)
    if f.doc:
        add("(doc_id = ? OR doc_hash = ?)", f.doc, f.doc)
    if f.ids:
        add("id IN (SELECT unnest(?::VARCHAR[]))", list(f.ids))
    return (" AND ".join(parts) or "true"), params


_NAME = re.compile(r"[a-z][a-z0-9_]*")
_SCRATCH = itertools.count(1)


def _name(name: str) -> str:
    # names are made here, never taken from a request: check them all the same
    if not _NAME.fullmatch(name):
        raise ValueError(f"not a table name: {name!r}")
    return name


def attach_scratch(store: Store) -> str:
    """Attach a new empty database in memory that every thread of store reads and writes
    (also beside a read-only database); return its name."""
    name = f"faultline_scratch_{next(_SCRATCH)}"
    store.query(f"ATTACH ':memory:' AS {name} (READ_WRITE, COMPRESS)")
    return name


def compact_scratch(store: Store, name: str) -> None:
    """Compress what a scratch database holds (a fifth of the memory, here)."""
    store.query(f"CHECKPOINT {_name(name)}")


def detach_scratch(store: Store, name: str) -> None:
    """Detach a scratch database attach_scratch made, freeing what it held."""
    store.query(f"DETACH DATABASE IF EXISTS {_name(name)}")


def drop_tables(store: Store, names: list[str]) -> None:
    """Drop tables (qualified names such as db.table) of a scratch database."""
    for name in names:
        store.query(f"DROP TABLE IF EXISTS {'.'.join(_name(p) for p in name.split('.'))}")


def _entries(side: str, flat: str) -> str:
    """Return the SQL list of the distinct {key, sector} of one side of an event: what
    _side_key tests (the first actor's flat columns, and every actor when there are more)."""
    x = node_sql("x.code", "x.org")
    return (f"list_distinct(list_concat([{{'key': {node_sql(f'{flat}_code', f'{flat}_org')}, "
            f"'sector': {flat}_sector}}], CASE WHEN len({side}) > 1 THEN "
            f"list_transform({side}, lambda x: {{'key': {x}, 'sector': x.sector}}) "
            "ELSE [] END))")


def _actors_sql() -> str:
    """Return a SELECT of the rows of EventIndex.actors (unsorted)."""
    # Most events have one actor a side, in the flat columns: their rows come from
    # those columns; list work only for the others.
    same = "coalesce(t = s AND ts IS NOT DISTINCT FROM ss, false)"
    return f"""
    WITH one AS (
        SELECT {node_sql('source_code', 'source_org')} AS s, source_sector AS ss,
               {node_sql('target_code', 'target_org')} AS t, target_sector AS ts,
               {_INDEXED}, rowid AS rid
        FROM events WHERE len(sources) <= 1 AND len(targets) <= 1
    ),
    more AS (
        SELECT unnest(list_transform(u, lambda x, i: {{'key': x.key, 'sector': x.sector,
                   'first': i = 1 OR u[i - 1].key IS DISTINCT FROM x.key,
                   'source': list_position(s, x) IS NOT NULL,
                   'target': list_position(t, x) IS NOT NULL}}), recursive := true),
               {_INDEXED}, rid
        FROM (SELECT s, t, list_sort(list_distinct(list_concat(s, t))) AS u, {_INDEXED}, rid
              FROM (SELECT {_entries('sources', 'source')} AS s,
                           {_entries('targets', 'target')} AS t, {_INDEXED}, rowid AS rid
                    FROM events WHERE len(sources) > 1 OR len(targets) > 1))
    )
    SELECT * FROM (
        SELECT s AS key, ss AS sector, true AS first, true AS source, {same} AS target,
               {_INDEXED}, rid FROM one
        UNION ALL
        SELECT t, ts, t IS DISTINCT FROM s, false, true, {_INDEXED}, rid FROM one
        WHERE NOT {same}
        UNION ALL
        SELECT key, sector, first, source, target, {_INDEXED}, rid FROM more
    ) WHERE key IS NOT NULL"""


def _pairs_sql() -> str:
    """Return a SELECT of the rows of EventIndex.pairs (unsorted)."""
    def keys(side: str, flat: str) -> str:
        return f"list_distinct(list_transform({_entries(side, flat)}, lambda x: x.key))"

    s, t = node_sql("source_code", "source_org"), node_sql("target_code", "target_org")
    return f"""
    SELECT least({s}, {t}) AS lo, greatest({s}, {t}) AS hi, {_INDEXED}, rowid AS rid
    FROM events
    WHERE len(sources) <= 1 AND len(targets) <= 1 AND {s} IS NOT NULL AND {t} IS NOT NULL
    UNION ALL
    SELECT p.lo, p.hi, {_INDEXED}, rid FROM (
        SELECT unnest(list_distinct(flatten(list_transform(a, lambda x: list_transform(b,
                   lambda y: {{'lo': least(x, y), 'hi': greatest(x, y)}}))))) AS p,
               {_INDEXED}, rid
        FROM (SELECT {keys('sources', 'source')} AS a, {keys('targets', 'target')} AS b,
                     {_INDEXED}, rowid AS rid
              FROM events WHERE len(sources) > 1 OR len(targets) > 1))"""


def index_events(store: Store, schema: str, tag: str) -> EventIndex:
    """Make the EventIndex of the stored events in a scratch database (attach_scratch),
    its tables named after tag; return it."""
    actors = f"{_name(schema)}.{_name(f'actor_events_{tag}')}"
    pairs = f"{_name(schema)}.{_name(f'pair_events_{tag}')}"
    # sorted by key, a scan for one key skips the row groups of the others
    store.query(f"CREATE TABLE {actors} AS {_actors_sql()} ORDER BY key")
    store.query(f"CREATE TABLE {pairs} AS {_pairs_sql()} ORDER BY lo, hi")
    return EventIndex(actors=actors, pairs=pairs)


def encode_cursor(sort: str, value: Any, event_id: str) -> str:
    """Return the opaque cursor of the position after (value, event_id) in a sort order."""
    if isinstance(value, dt.date):
        value = value.isoformat()
    raw = json.dumps([sort, value, event_id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[Any, str]:
    """Return the (sort value, event id) a cursor of this sort order stands for."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        name, value, event_id = json.loads(raw)
        if name != sort or not isinstance(event_id, str):
            raise ValueError(name)
        column, _, _ = SORTS[sort]
        if column == "date":
            value = dt.date.fromisoformat(value)
        elif not isinstance(value, int | float):
            raise ValueError(value)
    except (ValueError, TypeError, KeyError, UnicodeDecodeError):
        raise OptionError(
            f"cursor {cursor!r} is not one this server gave for sort={sort}; "
            "start again without a cursor"
        ) from None
    return value, event_id


def _covered(f: EventFilter) -> bool:
    """Return whether an EventIndex table can test every field of f itself (its columns
    event, quad_class and date)."""
    return replace(f, types=(), quads=(), since=None, until=None) == EventFilter()


def _costly(f: EventFilter) -> bool:
    """Return whether testing f reads lists or text in every row of `events`."""
    return bool(f.actor or f.org or f.pair or f.place or f.words or f.context)


def _indexed(f: EventFilter, index: EventIndex) -> tuple[str, list[Any]]:
    """Return a SELECT of the index rows (the columns of _INDEXED and rid) of the events
    that f's actor and pair filters keep, and its parameters."""

    def having(key: str, side: str | None = None) -> tuple[str, list[Any]]:
        # the rows of an actor (with a sector: of that sector) on one side or either;
        # on either side and with no sector, one row per event (first)
        code, _, sector = key.partition(":")
        tests = ["key = ?", *(["sector = ?"] if sector else []),
                 side or ("true" if sector else "first")]
        return (f"SELECT * FROM {index.actors} WHERE {' AND '.join(tests)}",
                [code, *([sector] if sector else [])])

    if not f.pair:
        return having(f.actor or "")
    x, y = f.pair
    a, b = x.split(":", 1)[0], y.split(":", 1)[0]
    sql, params = f"SELECT * FROM {index.pairs} WHERE lo = ? AND hi = ?", [min(a, b), max(a, b)]
    if ":" in x + y:
        # a side with a sector: the pair's events where each is on its side
        (xs, p1), (yt, p2) = having(x, "source"), having(y, "target")
        (ys, p3), (xt, p4) = having(y, "source"), having(x, "target")
        sql += (f" AND ((rid IN (SELECT rid FROM ({xs})) AND rid IN (SELECT rid FROM ({yt}))) "
                f"OR (rid IN (SELECT rid FROM ({ys})) AND rid IN (SELECT rid FROM ({xt}))))")
        params += [*p1, *p2, *p3, *p4]
    if f.actor:
        actor, more = having(f.actor)
        sql += f" AND rid IN (SELECT rid FROM ({actor}))"
        params += more
    return sql, params


def _rows(f: EventFilter, index: EventIndex | None) -> tuple[str, str, list[Any], bool]:
    """Return where the events of f are: a table (or subquery), the SQL condition on it,
    their parameters, and whether the condition reads lists or text in every row."""
    if index is None or not (f.actor or f.pair):
        condition, params = where(f)
        return "events", condition, params, _costly(f)
    table, table_params = _indexed(f, index)
    rest = replace(f, actor=None, pair=None)
    condition, params = where(rest)
    if _covered(rest):
        return f"({table})", condition, [*table_params, *params], False
    # the index's events are the candidates the rest of the filter tests
    return ("events", f"rowid IN (SELECT rid FROM ({table})) AND {condition}",
            [*table_params, *params], _costly(rest))


def event_page(store: Store, f: EventFilter, *, sort: str = "-date",
               cursor: str | None = None, limit: int = 50,
               index: EventIndex | None = None) -> Page:
    """Return the page of events matching f in sort order after the cursor, at most limit
    (with index, an actor or pair filter reads only that actor's or pair's rows)."""
    if sort not in SORTS:
        raise OptionError(f"unknown sort {sort!r}; choose one of {', '.join(SORTS)}")
    column, descending, missing = SORTS[sort]
    table, condition, params, costly = _rows(f, index)
    key = f"coalesce({column}, ?)"
    after, after_params = "true", []
    if cursor:
        value, last_id = decode_cursor(cursor, sort)
        op = "<" if descending else ">"
        after = f"({key} {op} ? OR ({key} = ? AND id {op} ?))"
        after_params = [missing, value, missing, value, last_id]
    direction = "DESC" if descending else "ASC"
    order = f"ORDER BY {key} {direction}, id {direction} LIMIT ?"
    if costly:
        # one scan: the window's count sees every match, QUALIFY then keeps those after
        # the cursor
        rows = store.query(
            f"SELECT id, {key} AS k, count(*) OVER () FROM {table} WHERE {condition} "
            f"QUALIFY {after} {order}",
            [missing, *params, *after_params, missing, limit + 1],
        )
    else:
        # a cheap test: counting in a second pass beats keeping every match for the count
        rows = store.query(
            f"SELECT id, {key} AS k, (SELECT count(*) FROM {table} WHERE {condition}) "
            f"FROM {table} WHERE ({condition}) AND {after} {order}",
            [missing, *params, *params, *after_params, missing, limit + 1],
        )
    if rows:
        total = rows[0][2]
    else:
        total = store.query(f"SELECT count(*) FROM {table} WHERE {condition}", params)[0][0]
    more = len(rows) > limit
    rows = rows[:limit]
    following = encode_cursor(sort, rows[-1][1], rows[-1][0]) if more and rows else None
    return Page(ids=[r[0] for r in rows], next=following, total=int(total))


def event_records(store: Store, ids: list[str]) -> list[dict[str, Any]]:
    """Return the events with these ids in the PLOVER record layout, in the ids' order, each
    with its cluster (cluster_id, n_mentions) and the document's title."""
    if not ids:
        return []
    # the page's few rows first, then only their clusters and documents
    table = store.query_arrow(
        f"""
        WITH r AS MATERIALIZED ({export_sql('plover', ids=True)})
        SELECT r.*, coalesce(m.cluster_id, r.id) AS cluster_id,
               coalesce(m.n_mentions, 1) AS n_mentions, d.title AS doc_title
        FROM r
        LEFT JOIN (SELECT c.event_id, c.cluster_id, k.n_mentions
                   FROM event_clusters AS c JOIN clusters AS k USING (cluster_id)
                   WHERE c.event_id IN (SELECT id FROM r)) AS m
          ON m.event_id = r.id
        LEFT JOIN (SELECT doc_hash, title FROM documents
                   WHERE doc_hash IN (SELECT doc_hash FROM r)) AS d ON d.doc_hash = r.doc_hash
        """,
        {"ids": ids},
    )
    found = {row["id"]: row for row in table.to_pylist()}
    return [found[i] for i in ids if i in found]


def write_events(store: Store, format: str, ids: list[str], path: str) -> int:
    """Write the events with these ids, in their order, to path in an export format;
    return how many were written."""
    from faultline.store.formats import FORMATS

    sql = f"COPY ({export_sql(format, ids=True)}) TO $path ({FORMATS[format].copy})"
    rows = store.query(sql, {"ids": ids, "path": path})
    return int(rows[0][0]) if rows else 0


def document(store: Store, doc: str) -> dict[str, Any] | None:
    """Return the stored document whose id (or hash) is doc, with its text, or None."""
    table = store.query_arrow(
        "SELECT doc_hash, doc_id, title, date::VARCHAR AS published, date_text, date_source, "
        "url, source, byline, origin, text, n_chars, coder "
        "FROM documents WHERE doc_id = ? OR doc_hash = ? ORDER BY doc_hash = ? DESC LIMIT 1",
        [doc, doc, doc],
    )
    rows = table.to_pylist()
    return rows[0] if rows else None


def document_dependencies(store: Store, doc_hash: str) -> list[dict[str, Any]]:
    """Return the statements of dependence stored for one document, in text order."""
    table = store.query_arrow(
        "SELECT id, kind, good, supplier_text, supplier_code, dependent_text, dependent_code, "
        "share, trigger, sentence, span_start, span_end FROM dependencies "
        "WHERE doc_hash = ? ORDER BY span_start, id",
        [doc_hash],
    )
    return table.to_pylist()


def documents_page(store: Store, *, words: tuple[str, ...] = (), limit: int = 50,
                   offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """Return documents whose title or text contain every word (newest first) and the number
    of them all."""
    condition = " AND ".join(
        ["(contains(lower(title), lower(?)) OR contains(lower(text), lower(?)))"] * len(words)
    ) or "true"
    params = [w for word in words for w in (word, word)]
    rows = store.query_arrow(
        f"SELECT d.doc_id, d.doc_hash, d.title, d.date::VARCHAR AS published, d.url, "
        f"(SELECT count(*) FROM events AS e WHERE e.doc_hash = d.doc_hash) AS events "
        f"FROM documents AS d WHERE {condition} "
        f"ORDER BY d.date DESC NULLS LAST, d.doc_id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).to_pylist()
    total = store.query(f"SELECT count(*) FROM documents WHERE {condition}", params)[0][0]
    return rows, int(total)


def actor_summary(store: Store, key: str) -> dict[str, Any]:
    """Return what the events say of one actor key: events as source and target, first and
    last dates, its types of event, the words texts use for it and the sectors."""
    source, sp = _has("sources", key)
    target, tp = _has("targets", key)
    ((as_source, as_target, first, last),) = store.query(
        f"SELECT count(*) FILTER ({source}), count(*) FILTER ({target}), "
        f"min(date)::VARCHAR, max(date)::VARCHAR FROM events WHERE {source} OR {target}",
        [*sp, *tp, *sp, *tp],
    )
    by_type = store.query(
        f"SELECT event, count(*) AS n FROM events WHERE {source} OR {target} "
        "GROUP BY event ORDER BY n DESC, event",
        [*sp, *tp],
    )
    node = node_sql("code", "org")
    code = key.split(":", 1)[0]
    names = store.query(
        f"SELECT text, sector, count(*) AS n FROM actors WHERE {node} = ? "
        "GROUP BY text, sector ORDER BY n DESC, text LIMIT 20",
        [code],
    )
    return {
        "key": key, "as_source": int(as_source), "as_target": int(as_target),
        "first_date": first, "last_date": last,
        "by_type": [{"event": t, "events": int(n)} for t, n in by_type],
        "names": [{"text": t, "sector": s, "mentions": int(n)} for t, s, n in names],
    }
