"""Browsing stored events: filtered, sorted pages with cursors, and one document in full.

Every filter is a fixed SQL fragment with `?` parameters; nothing a user typed
becomes SQL text. A page is found in two steps: the ids of its events (one
scan of `events` with the filters, ordered by the sort key and id, after the
cursor), then their records in any export layout (store/formats.py), so that
every format of the web API serves exactly the same events.

Cursors are keyset positions (the last row's sort value and id): a page
never shifts when rows are added before it, and going deeper costs no more.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass, field
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


def event_page(store: Store, f: EventFilter, *, sort: str = "-date",
               cursor: str | None = None, limit: int = 50) -> Page:
    """Return the page of events matching f in sort order after the cursor, at most limit."""
    if sort not in SORTS:
        raise OptionError(f"unknown sort {sort!r}; choose one of {', '.join(SORTS)}")
    column, descending, missing = SORTS[sort]
    condition, params = where(f)
    key = f"coalesce({column}, ?)"
    after, after_params = "true", []
    if cursor:
        value, last_id = decode_cursor(cursor, sort)
        op = "<" if descending else ">"
        after = f"({key} {op} ? OR ({key} = ? AND id {op} ?))"
        after_params = [missing, value, missing, value, last_id]
    direction = "DESC" if descending else "ASC"
    # one scan: the window's count sees every match, QUALIFY then keeps those after
    # the cursor
    rows = store.query(
        f"SELECT id, {key} AS k, count(*) OVER () FROM events WHERE {condition} "
        f"QUALIFY {after} ORDER BY {key} {direction}, id {direction} LIMIT ?",
        [missing, *params, *after_params, missing, limit + 1],
    )
    if rows:
        total = rows[0][2]
    else:
        total = store.query(f"SELECT count(*) FROM events WHERE {condition}", params)[0][0]
    more = len(rows) > limit
    rows = rows[:limit]
    following = encode_cursor(sort, rows[-1][1], rows[-1][0]) if more and rows else None
    return Page(ids=[r[0] for r in rows], next=following, total=int(total))


def event_records(store: Store, ids: list[str]) -> list[dict[str, Any]]:
    """Return the events with these ids in the PLOVER record layout, in the ids' order, each
    with its cluster (cluster_id, n_mentions) and the document's title."""
    if not ids:
        return []
    table = store.query_arrow(
        f"""
        SELECT r.*, coalesce(m.cluster_id, r.id) AS cluster_id,
               coalesce(m.n_mentions, 1) AS n_mentions, d.title AS doc_title
        FROM ({export_sql('plover', ids=True)}) AS r
        LEFT JOIN (SELECT c.event_id, c.cluster_id, k.n_mentions
                   FROM event_clusters AS c JOIN clusters AS k USING (cluster_id)) AS m
          ON m.event_id = r.id
        LEFT JOIN documents AS d ON d.doc_hash = r.doc_hash
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
