"""Dyads: what two actors did to each other, per day, week, month, quarter or year, each way."""

from __future__ import annotations

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


def dyad(store: Store, a: str, b: str, *, by: str = "month", scope: Scope = EVERYTHING
         ) -> list[DyadPeriod]:
    """Return the events between a and b ("RUS" or "RUS:GOV") per period and direction.

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
    inner = pairs_sql(Scope(scope.since, scope.until, sectors),
                      "u.date, u.event, u.quad_class, u.intensity, u.n_mentions", among=True)
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
    params = {**scope.params(), "A": key_a, "B": key_b, "by": by, "codes": [code_a, code_b]}
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
