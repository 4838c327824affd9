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

    Columns: cluster_id, a, b, x, y (the pair in alphabetical order), date,
    tone, confidence, weight, recent, n_mentions. Self-pairs (domestic events)
    and events without a date or intensity are left out. Parameters: $since,
    $until, $asof, $half.
    """
    pairs = pairs_sql(scope, "u.date, u.date_precision, u.intensity, u.confidence, "
                             f"u.n_mentions, {MID_DATE} AS mid")
    return f"""
    SELECT cluster_id, a, b, least(a, b) AS x, greatest(a, b) AS y, date, date_precision,
           intensity, intensity / 10.0 AS tone, confidence, n_mentions,
           confidence * pow(0.5, greatest(date_diff('day', mid, $asof::DATE), 0) / $half)
               AS weight,
           date_diff('day', mid, $asof::DATE) < $half AS recent
    FROM ({pairs}) AS p
    WHERE a <> b AND intensity IS NOT NULL AND date IS NOT NULL
    """


def _score(weights: str, tones: str, condition: str = "true") -> str:
    return (f"sum({weights} * {tones}) FILTER ({condition}) "
            f"/ (coalesce(sum({weights}) FILTER ({condition}), 0) + $prior)")


def relations_sql(scope: Scope) -> str:
    """Return a SELECT of one row per pair {x, y}: score, directions, trend and dates."""
    return f"""
    SELECT x, y,
           coalesce({_score('weight', 'tone')}, 0) AS score,
           count(*) AS events, sum(n_mentions) AS mentions,
           min(date) AS first_date, max(date) AS last_date,
           count(*) FILTER (a = x) AS events_xy,
           coalesce({_score('weight', 'tone', 'a = x')}, 0) AS score_xy,
           count(*) FILTER (a = y) AS events_yx,
           coalesce({_score('weight', 'tone', 'a = y')}, 0) AS score_yx,
           count(*) FILTER (recent) AS n_recent,
           {_score('confidence', 'tone', 'recent')} AS recent,
           count(*) FILTER (NOT recent) AS n_earlier,
           {_score('confidence', 'tone', 'NOT recent')} AS earlier
    FROM ({scored_sql(scope)}) AS w
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
    params = {**_params(scope, scoring, asof), "actor": actor, "k": evidence,
              "min_events": min_events}
    keep = "($actor::VARCHAR IS NULL OR x = $actor OR y = $actor)"
    rows = store.query_arrow(
        f"SELECT * FROM ({relations_sql(scope)}) "
        f"WHERE events >= $min_events AND {keep} ORDER BY events DESC, x, y",
        params,
    ).to_pylist()
    proofs = _evidence(store, scope, params, keep) if evidence > 0 and rows else {}
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
            evidence=tuple(proofs.get((r["x"], r["y"]), ())),
        ))
    return out


def _evidence(store: Store, scope: Scope, params: dict[str, Any],
              keep: str) -> dict[tuple[str, str], list[Evidence]]:
    """Return the k events that weigh most in each pair, with their sentences."""
    rows = store.query_arrow(
        f"""
        WITH top AS (
            SELECT * FROM ({scored_sql(scope)}) AS w
            WHERE {keep}
            QUALIFY row_number() OVER (
                PARTITION BY x, y ORDER BY abs(weight * tone) DESC, date DESC, cluster_id, a
            ) <= $k
        )
        SELECT top.*, u.id AS event_id, u.doc_id, u.event, u.sentence
        FROM top JOIN event_units AS u USING (cluster_id)
        ORDER BY x, y, abs(weight * tone) DESC, date DESC, cluster_id, a
        """,
        params,
    ).to_pylist()
    out: dict[tuple[str, str], list[Evidence]] = {}
    for r in rows:
        out.setdefault((r["x"], r["y"]), []).append(Evidence(
            cluster_id=r["cluster_id"], event_id=r["event_id"], doc_id=r["doc_id"],
            date=iso(r["date"]), date_precision=r["date_precision"], source=r["a"],
            target=r["b"], event=r["event"], intensity=r["intensity"], weight=r["weight"],
            contribution=r["weight"] * r["tone"], n_mentions=r["n_mentions"],
            sentence=r["sentence"],
        ))
    return out
