"""Dyads: what two actors did to each other, per day, week, month, quarter or year, each way.

A dyad reads the directed pairs of every event unit that may hold the two
(pairs_sql with `among`): one scan of the events. A server that answers many
dyads keeps them all instead (index_dyads: every unit's pairs at sector level,
sorted by the two actors' codes), and a dyad then reads only its pair's rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from faultline.analysis.base import (
    EVERYTHING,
    Record,
    Scope,
    check_period,
    iso,
    pairs_sql,
    parse_actor,
    ready,
)

if TYPE_CHECKING:
    from faultline.store import Store


@dataclass(frozen=True)
class DyadPeriod(Record):
    """One direction of a dyad in one period: counts by type and quad class, summed intensity."""

    period: str
    source: str
    target: str
    #: Distinct real-world events (repeated reports counted once).
    events: int
    #: Reports of those events.
    mentions: int
    #: PLOVER type -> events.
    by_type: dict[str, int]
    #: Quad class (1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
    #: 4 material conflict) -> events.
    by_quad: dict[int, int]
    #: Sum of the events' intensities (-10 .. +10 each).
    intensity: float


def _side(param: str, sector: str | None) -> str:
    """Return the SQL condition "actor column matches this side" as a template on {col}."""
    if sector is not None:
        return f"{{col}} = ${param}"
    return f"split_part({{col}}, ':', 1) = ${param}"


#: The columns of a unit that a dyad counts.
_COLUMNS = "u.date, u.event, u.quad_class, u.intensity, u.n_mentions"


def index_dyads(store: Store, table: str) -> None:
    """Make table (a name such as scratch.dyads, in a database that may be written) hold the
    directed pairs of every event unit at sector level with what a dyad counts, and the
    pair's two codes (lo <= hi), sorted by them: dyad(..., index=table) reads it."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?", table):
        raise ValueError(f"not a table name: {table!r}")
    pairs = pairs_sql(Scope(sectors=True), _COLUMNS)
    codes = "split_part(a, ':', 1), split_part(b, ':', 1)"
    ready(store).query(
        f"CREATE TABLE {table} AS SELECT least({codes}) AS lo, greatest({codes}) AS hi, * "
        f"FROM ({pairs}) ORDER BY lo, hi", {"since": None, "until": None})


def dyad(store: Store, a: str, b: str, *, by: str = "month", scope: Scope = EVERYTHING,
         index: str | None = None) -> list[DyadPeriod]:
    """Return the events between a and b ("RUS" or "RUS:GOV") per period and direction
    (with index, a table index_dyads made of the database as it is, read from it).

    Naming a sector on either side compares actors at sector level; a bare
    code then stands for every sector of that country. `dyad(s, "RUS", "RUS")`
    gives Russia's domestic events.
    """
    check_period(by)
    code_a, sector_a = parse_actor(a)
    code_b, sector_b = parse_actor(b)
    sectors = sector_a is not None or sector_b is not None
    key_a = f"{code_a}:{sector_a}" if sector_a else code_a
    key_b = f"{code_b}:{sector_b}" if sector_b else code_b
    side_a, side_b = _side("A", sector_a), _side("B", sector_b)
    ab = f"({side_a.format(col='a')} AND {side_b.format(col='b')})"
    ba = f"({side_b.format(col='a')} AND {side_a.format(col='b')})"
    if index is None:
        inner = pairs_sql(Scope(scope.since, scope.until, sectors), _COLUMNS, among=True)
    else:
        # the index's pairs are at sector level: a bare code's side matches every sector
        # of it (_side), and DISTINCT below counts a unit once per direction
        inner = (f"SELECT * FROM {index} WHERE lo = $lo AND hi = $hi "
                 "AND ($since::DATE IS NULL OR date >= $since::DATE) "
                 "AND ($until::DATE IS NULL OR date <= $until::DATE)")
    sql = f"""
    WITH p AS (
        SELECT DISTINCT cluster_id, date, event, quad_class, intensity, n_mentions,
               {ab} AS forward
        FROM ({inner}) AS q
        WHERE date IS NOT NULL AND ({ab} OR {ba})
    )
    SELECT date_trunc($by, date)::DATE AS period, forward, count(*) AS events,
           sum(n_mentions) AS mentions, histogram(event) AS by_type,
           histogram(quad_class) FILTER (quad_class IS NOT NULL) AS by_quad,
           coalesce(sum(intensity), 0) AS intensity
    FROM p GROUP BY ALL ORDER BY period, forward DESC
    """
    params = {**scope.params(), "A": key_a, "B": key_b, "by": by, "codes": [code_a, code_b],
              "lo": min(code_a, code_b), "hi": max(code_a, code_b)}
    rows = ready(store).query_arrow(sql, params).to_pylist()
    return [
        DyadPeriod(
            period=iso(r["period"]) or "",
            source=key_a if r["forward"] else key_b,
            target=key_b if r["forward"] else key_a,
            events=r["events"],
            mentions=int(r["mentions"]),
            by_type=_mapping(r["by_type"]),
            by_quad={int(k): v for k, v in _mapping(r["by_quad"]).items()},
            intensity=float(r["intensity"]),
        )
        for r in rows
    ]


def _mapping(value: Any) -> dict[Any, int]:
    """Return a DuckDB MAP (Arrow gives a list of (key, value) pairs) as a dict."""
    if value is None:
        return {}
    if isinstance(value, dict):
        return {k: int(v) for k, v in value.items()}
    return {k: int(v) for k, v in value}
