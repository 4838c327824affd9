"""Relationship states: a signed, recency-weighted score for every pair of actors, with evidence.

For a pair {A, B} (both directions together) and the events in the window:

    tone(e)   = intensity / 10                       (-1 conflict .. +1 cooperation)
    weight(e) = confidence * 0.5 ** (age / half_life) (age in days before the reference date)
    score     = sum(weight * tone) / (sum(weight) + prior)

The reference date is `until`, else the latest event in the window. The
prior is an imaginary neutral event of that weight: one fresh, certain event
of tone -1 gives -0.5 with the default prior of 1, and old or thin evidence
stays near 0. Each direction (A -> B, B -> A) gets the same score on its own
events. `recent` and `earlier` are the scores (confidence-weighted, no decay)
of the events younger and older than one half-life; `trend` is recent minus
earlier, None when either half has no events. The evidence of a pair is the
events that weigh most, |weight * tone|, with their sentences.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from faultline.analysis.base import EVERYTHING, MID_DATE, Scope, iso, pairs_sql, ready

if TYPE_CHECKING:
    import pyarrow as pa

    from faultline.settings import Settings
    from faultline.store import Store


@dataclass(frozen=True)
class Scoring:
    """How events become a relationship score."""

    #: Days after which an event weighs half as much.
    half_life_days: int = 180
    #: Weight of the imaginary neutral event that pulls thin evidence toward 0.
    prior: float = 1.0

    @classmethod
    def from_settings(cls, settings: Settings) -> Scoring:
        """Return the scoring the settings ask for."""
        return cls(half_life_days=settings.half_life_days, prior=settings.evidence_prior)


DEFAULT_SCORING = Scoring()


@dataclass(frozen=True)
class Evidence:
    """One event that weighs in a relationship, with the words it came from."""

    cluster_id: str
    event_id: str
    doc_id: str
    date: str | None
    date_precision: str | None
    source: str
    target: str
    event: str
    intensity: float
    weight: float
    #: weight * intensity / 10: what the event adds to the score's numerator.
    contribution: float
    n_mentions: int
    sentence: str | None


@dataclass(frozen=True)
class Direction:
    """The events one actor directed at the other, and their score."""

    source: str
    target: str
    events: int
    score: float


@dataclass(frozen=True)
class Relation:
    """The state of one relationship: score, sign, directions, trend, evidence."""

    actors: tuple[str, str]
    score: float
    #: "+", "-" or "0".
    sign: str
    #: Distinct real-world events between the two (both directions).
    events: int
    #: Reports of those events (an event reported by three articles counts three).
    mentions: int
    first_date: str | None
    last_date: str | None
    directions: tuple[Direction, Direction]
    recent: float | None
    earlier: float | None
    trend: float | None
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        """Return the relation as JSON-ready data."""
        return asdict(self)


def sign_of(score: float) -> str:
    """Return "+", "-" or "0" for a score."""
    return "+" if score > 0 else "-" if score < 0 else "0"


def scored_sql(scope: Scope) -> str:
    """Return a SELECT of every directed pair of every event in scope with tone and weight.

    Columns: cluster_id, event_id, a, b, x, y (the pair in alphabetical
    order), date, intensity, tone, confidence, weight, recent, n_mentions.
    Self-pairs (domestic events) and events without a date or intensity are
    left out. Parameters: $since, $until, $asof, $half.
    """
    pairs = pairs_sql(scope, "u.id AS event_id, u.date, u.intensity, u.confidence, "
                             f"u.n_mentions, {MID_DATE} AS mid")
    return f"""
    SELECT cluster_id, event_id, a, b, least(a, b) AS x, greatest(a, b) AS y, date,
           intensity, intensity / 10.0 AS tone, confidence, n_mentions,
           confidence * pow(0.5, greatest(date_diff('day', mid, $asof::DATE), 0) / $half)
               AS weight,
           date_diff('day', mid, $asof::DATE) < $half AS recent
    FROM ({pairs}) AS p
    WHERE a <> b AND intensity IS NOT NULL AND date IS NOT NULL
    """


def _score(weights: str, tones: str, condition: str = "true") -> str:
    """Return the SQL score of the stage-1 rows meeting condition: sum(w*t) / (sum(w) + prior)."""
    return (f"sum({tones}) FILTER ({condition}) "
            f"/ (coalesce(sum({weights}) FILTER ({condition}), 0) + $prior)")


def relations_sql(scope: Scope, evidence: int = 0) -> str:
    """Return a SELECT of one row per pair {x, y}: score, directions, trend and dates.

    With evidence > 0, a column `top` lists the pair's `evidence` heaviest
    events (structs of rank, event_id, weight, tone), heaviest first; the
    stage-1 group (direction) tells which way each went.
    """
    # Two stages: plain sums per pair, direction and half (no filtered
    # aggregates over a million rows), then those few rows per pair combined.
    top = (f""",
               max_by({{'rank': -abs(weight * tone), 'event_id': event_id,
                        'forward': a = x, 'weight': weight, 'tone': tone}},
                      abs(weight * tone), {int(evidence)}) AS top""" if evidence > 0 else "")
    merged = (f",\n           list_sort(flatten(list(top)))[1:{int(evidence)}] AS top"
              if evidence > 0 else "")
    return f"""
    WITH stage AS (
        SELECT x, y, a = x AS forward, recent,
               sum(weight) AS w, sum(weight * tone) AS wt,
               sum(confidence) AS c, sum(confidence * tone) AS ct,
               count(*) AS n, sum(n_mentions) AS m, min(date) AS first_date,
               max(date) AS last_date{top}
        FROM ({scored_sql(scope)}) AS p
        GROUP BY ALL
    )
    SELECT x, y,
           {_score('w', 'wt')} AS score,
           sum(n)::BIGINT AS events, sum(m)::BIGINT AS mentions,
           min(first_date) AS first_date, max(last_date) AS last_date,
           coalesce(sum(n) FILTER (forward), 0)::BIGINT AS events_xy,
           coalesce({_score('w', 'wt', 'forward')}, 0) AS score_xy,
           coalesce(sum(n) FILTER (NOT forward), 0)::BIGINT AS events_yx,
           coalesce({_score('w', 'wt', 'NOT forward')}, 0) AS score_yx,
           {_score('c', 'ct', 'recent')} AS recent,
           {_score('c', 'ct', 'NOT recent')} AS earlier{merged}
    FROM stage
    GROUP BY x, y
    """


def reference_date(store: Store, scope: Scope) -> dt.date | None:
    """Return the date scores are computed at: `until`, else the latest event in scope."""
    if scope.until is not None:
        return scope.until
    rows = store.query(
        "SELECT max(date) FROM event_units WHERE ($since::DATE IS NULL OR date >= $since::DATE)",
        {"since": scope.since},
    )
    value = rows[0][0] if rows else None
    return value if isinstance(value, dt.date) else None


def _params(scope: Scope, scoring: Scoring, asof: dt.date) -> dict[str, Any]:
    return {**scope.params(), "asof": asof, "half": float(scoring.half_life_days),
            "prior": float(scoring.prior)}


def relation_table(store: Store, scope: Scope = EVERYTHING,
                   scoring: Scoring = DEFAULT_SCORING) -> pa.Table:
    """Return the relations of every pair as an Arrow table (no evidence), for bulk use."""
    import pyarrow as pa

    asof = reference_date(ready(store), scope)
    if asof is None:
        return pa.table({"x": pa.array([], pa.string()), "y": pa.array([], pa.string())})
    return store.query_arrow(f"SELECT * FROM ({relations_sql(scope)}) ORDER BY x, y",
                             _params(scope, scoring, asof))


def relations(
    store: Store,
    scope: Scope = EVERYTHING,
    scoring: Scoring = DEFAULT_SCORING,
    *,
    actor: str | None = None,
    evidence: int = 3,
    min_events: int = 1,
) -> list[Relation]:
    """Return the state of every relationship in scope, most events first.

    actor keeps the pairs that include it; evidence is how many events to
    show per pair; min_events drops pairs with fewer events.
    """
    asof = reference_date(ready(store), scope)
    if asof is None:
        return []
    params = {**_params(scope, scoring, asof), "actor": actor, "min_events": min_events}
    rows = store.query_arrow(
        f"SELECT * FROM ({relations_sql(scope, evidence)}) "
        "WHERE events >= $min_events AND ($actor::VARCHAR IS NULL OR x = $actor OR y = $actor) "
        "ORDER BY events DESC, x, y",
        params,
    ).to_pylist()
    details = _details(store, [t["event_id"] for r in rows for t in r.get("top") or ()])
    out = []
    for r in rows:
        recent, earlier = r["recent"], r["earlier"]
        trend = recent - earlier if recent is not None and earlier is not None else None
        out.append(Relation(
            actors=(r["x"], r["y"]),
            score=r["score"],
            sign=sign_of(r["score"]),
            events=r["events"],
            mentions=int(r["mentions"]),
            first_date=iso(r["first_date"]),
            last_date=iso(r["last_date"]),
            directions=(Direction(r["x"], r["y"], r["events_xy"], r["score_xy"]),
                        Direction(r["y"], r["x"], r["events_yx"], r["score_yx"])),
            recent=recent,
            earlier=earlier,
            trend=trend,
            evidence=tuple(_evidence((r["x"], r["y"]), t, details[t["event_id"]])
                           for t in r.get("top") or ()),
        ))
    return out


def _details(store: Store, event_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Return cluster, document, type, date and sentence of the given events, by id."""
    if not event_ids:
        return {}
    rows = store.query_arrow(
        "SELECT id, cluster_id, n_mentions, doc_id, event, date, date_precision, sentence "
        "FROM event_units WHERE id IN (SELECT unnest($ids::VARCHAR[]))",
        {"ids": event_ids},
    ).to_pylist()
    return {r["id"]: r for r in rows}


def _evidence(pair: tuple[str, str], top: dict[str, Any], row: dict[str, Any]) -> Evidence:
    source, target = pair if top["forward"] else (pair[1], pair[0])
    return Evidence(
        cluster_id=row["cluster_id"], event_id=top["event_id"], doc_id=row["doc_id"],
        date=iso(row["date"]), date_precision=row["date_precision"], source=source,
        target=target, event=row["event"], intensity=top["tone"] * 10,
        weight=top["weight"], contribution=top["weight"] * top["tone"],
        n_mentions=row["n_mentions"], sentence=row["sentence"],
    )
