"""Triads: every closed triangle of actors whose three relationships all have enough evidence.

Each side's sign is the sign of its relationship score (relations.py). The
kinds follow structural balance theory:

    (+,+,+)  allies                               balanced
    (+,-,-)  two against one (pivot: the one)      balanced
    (+,+,-)  friend of an enemy (pivot: the friend of both)  unbalanced
    (-,-,-)  shared enemy without reconciliation  unbalanced: each pair shares an
             enemy in the third, and still they do not make up
    a side scored exactly 0 makes the triangle "undecided".

Over time: with `by`, each triad also gets its kind in every period (month,
quarter or year) in which all three of its pairs had events, scored from
those events alone (by certainty, relations.py, with the same prior, no decay).
Each organisation the text named is an actor of its own (the EU and the CSTO
are two corners; store/keys.py); an organisation no dictionary names keeps
its generic code (IGO, NGO ...: data/ontology/plover.yaml), and those are
left out, since "IGO" would join unrelated bodies into one corner.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from faultline.analysis.base import (
    EVERYTHING,
    Record,
    Scope,
    check_period,
    iso,
    ready,
)
from faultline.analysis.relations import (
    DEFAULT_SCORING,
    Scoring,
    reference_date,
    relations_sql,
    score_params,
    scored_sql,
    sign_of,
)
from faultline.store.keys import generic_codes

if TYPE_CHECKING:
    import pyarrow as pa

    from faultline.store import Store

#: Kind id -> (label, balanced).
KINDS = {
    "allies": ("allies", True),
    "two_against_one": ("two against one", True),
    "friend_of_an_enemy": ("friend of an enemy", False),
    "shared_enemy_without_reconciliation": ("shared enemy without reconciliation", False),
    "undecided": ("undecided (a relationship scored 0)", False),
}


@dataclass(frozen=True)
class TriadPeriod:
    """A triangle's signs and kind in one period."""

    period: str
    signs: dict[str, str]
    scores: dict[str, float]
    kind: str


@dataclass(frozen=True)
class Triad(Record):
    """One closed triangle: its three actors, each pair's sign, score and evidence, its kind."""

    actors: tuple[str, str, str]
    #: "A-B" -> "+", "-" or "0".
    signs: dict[str, str]
    scores: dict[str, float]
    #: "A-B" -> distinct events between A and B.
    evidence: dict[str, int]
    kind: str
    label: str
    balanced: bool
    #: The actor the kind turns on: the one two others stand against (two against
    #: one), or the friend of two enemies (friend of an enemy); else None.
    pivot: str | None
    history: tuple[TriadPeriod, ...] = field(default_factory=tuple)


def kind_of(ab: float, ac: float, bc: float) -> str:
    """Return the kind id of a triangle from its three scores."""
    if 0 in (ab, ac, bc):
        return "undecided"
    negatives = (ab < 0) + (ac < 0) + (bc < 0)
    return ("allies", "friend_of_an_enemy", "two_against_one",
            "shared_enemy_without_reconciliation")[negatives]


def pivot_of(actors: tuple[str, str, str], ab: float, ac: float, bc: float) -> str | None:
    """Return the actor the triangle turns on, for (+,-,-) and (+,+,-); else None."""
    a, b, c = actors
    # The actor opposite a side is the one not on it.
    opposite = {(a, b): c, (a, c): b, (b, c): a}
    sides = {(a, b): ab, (a, c): ac, (b, c): bc}
    negatives = [s for s, v in sides.items() if v < 0]
    positives = [s for s, v in sides.items() if v > 0]
    if len(negatives) == 1 and len(positives) == 2:
        return opposite[negatives[0]]  # friend of both enemies
    if len(negatives) == 2 and len(positives) == 1:
        return opposite[positives[0]]  # the one the allied pair stands against
    return None


_KIND_SQL = """
CASE WHEN ab = 0 OR ac = 0 OR bc = 0 THEN 'undecided'
     ELSE ['allies', 'friend_of_an_enemy', 'two_against_one',
           'shared_enemy_without_reconciliation'][
          1 + (ab < 0)::INTEGER + (ac < 0)::INTEGER + (bc < 0)::INTEGER]
END"""


#: Best-evidenced triangles first: by the events of their thinnest side.
_ORDER = "ORDER BY least(n_ab, n_ac, n_bc) DESC, a, b, c"


def _triangles_sql(scope: Scope) -> str:
    """Return a SELECT of every closed triangle a < b < c with its three scores and counts."""
    return f"""
    WITH e AS (
        SELECT x, y, score, events FROM ({relations_sql(scope)}) AS r
        WHERE events >= $min_evidence
          AND NOT list_contains($generic, split_part(x, ':', 1))
          AND NOT list_contains($generic, split_part(y, ':', 1))
    ),
    t AS (
        SELECT e1.x AS a, e1.y AS b, e2.y AS c,
               e1.score AS ab, e2.score AS ac, e3.score AS bc,
               e1.events AS n_ab, e2.events AS n_ac, e3.events AS n_bc
        FROM e AS e1
        JOIN e AS e2 ON e2.x = e1.x AND e2.y > e1.y
        JOIN e AS e3 ON e3.x = e1.y AND e3.y = e2.y
        WHERE $actor::VARCHAR IS NULL OR $actor IN (e1.x, e1.y, e2.y)
    )
    SELECT *, {_KIND_SQL} AS kind FROM t
    """


def _params(store: Store, scope: Scope, scoring: Scoring, min_evidence: int,
            actor: str | None, by: str | None) -> dict[str, Any] | None:
    asof = reference_date(ready(store), scope)
    if asof is None:
        return None
    return {**score_params(scope, scoring, asof), "min_evidence": min_evidence,
            "generic": sorted(generic_codes()), "actor": actor, "by": by}


def triad_table(store: Store, scope: Scope = EVERYTHING, scoring: Scoring = DEFAULT_SCORING,
                *, min_evidence: int = 1, actor: str | None = None) -> pa.Table:
    """Return every closed triangle as an Arrow table (a, b, c, ab, ac, bc, n_ab ..., kind)."""
    import pyarrow as pa

    params = _params(store, scope, scoring, min_evidence, actor, None)
    if params is None:
        return pa.table({"a": pa.array([], pa.string())})
    return store.query_arrow(f"{_triangles_sql(scope)} {_ORDER}", params)


def triads(
    store: Store,
    scope: Scope = EVERYTHING,
    scoring: Scoring = DEFAULT_SCORING,
    *,
    min_evidence: int = 1,
    by: str | None = None,
    actor: str | None = None,
    limit: int | None = None,
) -> list[Triad]:
    """Return every closed triangle whose pairs each have min_evidence events or more.

    Best evidenced first (most events on the thinnest side). by ("month",
    "quarter", "year") adds each triangle's history; actor keeps the
    triangles that include it; limit keeps the first ones (and computes the
    history of those alone).
    """
    if by is not None:
        check_period(by)
    params = _params(store, scope, scoring, min_evidence, actor, by)
    if params is None:
        return []
    triangles = _triangles_sql(scope)
    if limit is not None:
        triangles = f"SELECT * FROM ({triangles}) {_ORDER} LIMIT {int(limit)}"
    rows = store.query_arrow(f"SELECT * FROM ({triangles}) {_ORDER}", params).to_pylist()
    history = _history(store, scope, triangles, params) if by is not None and rows else {}
    out = []
    for r in rows:
        actors = (r["a"], r["b"], r["c"])
        label, balanced = KINDS[r["kind"]]
        out.append(Triad(
            actors=actors,
            signs=_sides(actors, sign_of(r["ab"]), sign_of(r["ac"]), sign_of(r["bc"])),
            scores=_sides(actors, r["ab"], r["ac"], r["bc"]),
            evidence=_sides(actors, r["n_ab"], r["n_ac"], r["n_bc"]),
            kind=r["kind"], label=label, balanced=balanced,
            pivot=pivot_of(actors, r["ab"], r["ac"], r["bc"]),
            history=tuple(history.get(actors, ())),
        ))
    return out


def _sides(actors: tuple[str, str, str], ab: Any, ac: Any, bc: Any) -> dict[str, Any]:
    a, b, c = actors
    return {f"{a}-{b}": ab, f"{a}-{c}": ac, f"{b}-{c}": bc}


def _history(store: Store, scope: Scope, triangles: str,
             params: dict[str, Any]) -> dict[tuple[str, str, str], list[TriadPeriod]]:
    """Return each triangle's signs and kind per period in which all three pairs had events."""
    rows = store.query_arrow(
        f"""
        WITH t AS ({triangles}),
        per AS (
            SELECT date_trunc($by, date)::DATE AS period, least(a, b) AS x,
                   greatest(a, b) AS y,
                   sum(certainty * tone) / (sum(certainty) + $prior) AS score
            FROM ({scored_sql(scope)}) AS w
            GROUP BY ALL
        )
        SELECT t.a, t.b, t.c, p1.period, p1.score AS ab, p2.score AS ac, p3.score AS bc
        FROM t
        JOIN per AS p1 ON p1.x = t.a AND p1.y = t.b
        JOIN per AS p2 ON p2.x = t.a AND p2.y = t.c AND p2.period = p1.period
        JOIN per AS p3 ON p3.x = t.b AND p3.y = t.c AND p3.period = p1.period
        ORDER BY t.a, t.b, t.c, p1.period
        """,
        params,
    ).to_pylist()
    out: dict[tuple[str, str, str], list[TriadPeriod]] = {}
    for r in rows:
        actors = (r["a"], r["b"], r["c"])
        out.setdefault(actors, []).append(TriadPeriod(
            period=iso(r["period"]) or "",
            signs=_sides(actors, sign_of(r["ab"]), sign_of(r["ac"]), sign_of(r["bc"])),
            scores=_sides(actors, r["ab"], r["ac"], r["bc"]),
            kind=kind_of(r["ab"], r["ac"], r["bc"]),
        ))
    return out
