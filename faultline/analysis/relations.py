"""Relationship states: a signed, recency-weighted score for every pair of actors, with evidence.

For a pair {A, B} (both directions together) and the events in the window:

    tone(e)      = intensity / 10                    (-1 conflict .. +1 cooperation)
    certainty(e) = confidence ** 2                   (how much the coding is trusted)
    weight(e)    = certainty * 0.5 ** (age / half_life) (age in days before the reference date)
    score        = sum(weight * tone) / (sum(weight) + prior)

The reference date is `until`, else the latest event in the window. The
prior is an imaginary neutral event of that weight: one fresh, certain event
of tone -1 gives -0.5 with the default prior of 1, and old, thin or doubtful
evidence stays near 0. Each direction (A -> B, B -> A) gets the same score on
its own events. `recent` and `earlier` are the scores (by certainty, no
decay) of the events younger and older than one half-life; `trend` is recent
minus earlier, None when either half has no events.

Certainty is the one place where the coder's confidence enters the analyses
(relations, triads and their history, evidence): `certainty_sql`. Confidence
is squared because a wrong coding costs more than a missed one: a miscoded
violent event in a relationship misleads, while a missed event only leaves
the score to the others. An event coded with confidence 0.5 (a clause
inside another, an event noun) counts a quarter, one coded with 0.9 (the
sentence's main verb) 0.81. `Scoring(confidence_power=1)` counts confidence
in proportion, 0 ignores it.

The evidence of a pair is the events that weigh most, counted once more by
their confidence (|weight * tone| * confidence), with their sentences: of
two events that move the score alike, the one the coder is surer of is
shown first, since the evidence is what a reader checks the score by.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from faultline.analysis.base import EVERYTHING, MID_DATE, Record, Scope, pairs_sql, ready

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
    #: An event counts its confidence to this power (see certainty_sql).
    confidence_power: float = 2.0

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
    #: How sure the coder was of the event (0..1).
    confidence: float
    #: certainty * decay: how much the event counts in the score.
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
class Relation(Record):
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


def sign_of(score: float) -> str:
    """Return "+", "-" or "0" for a score."""
    return "+" if score > 0 else "-" if score < 0 else "0"


def certainty_sql(confidence: str = "confidence") -> str:
    """Return the SQL expression of how much an event counts by the coder's confidence:
    confidence ** $power (Scoring.confidence_power; the module's docstring says why)."""
    return f"pow(greatest({confidence}, 0), $power)"


def scored_sql(scope: Scope) -> str:
    """Return a SELECT of every directed pair of every event in scope with tone and weight.

    Columns: cluster_id, event_id, a, b, date, intensity, tone, confidence,
    certainty, weight, recent, n_mentions.
    Self-pairs (domestic events) and events without a date or intensity are
    left out. Parameters: $since, $until, $asof, $half, $power.
    """
    pairs = pairs_sql(scope, "u.id AS event_id, u.date, u.intensity, u.confidence, "
                             f"u.n_mentions, {MID_DATE} AS mid")
    return f"""
    SELECT cluster_id, event_id, a, b, date,
           intensity, intensity / 10.0 AS tone, confidence, certainty, n_mentions,
           certainty * pow(0.5, greatest(date_diff('day', mid, $asof::DATE), 0) / $half)
               AS weight,
           date_diff('day', mid, $asof::DATE) < $half AS recent
    FROM (SELECT *, {certainty_sql()} AS certainty FROM ({pairs})) AS p
    WHERE a <> b AND intensity IS NOT NULL AND date IS NOT NULL
    """


def _score(weights: str, tones: str, condition: str = "true") -> str:
    """Return the SQL score of the stage-1 rows meeting condition: sum(w*t) / (sum(w) + prior)."""
    return (f"sum({tones}) FILTER ({condition}) "
            f"/ (coalesce(sum({weights}) FILTER ({condition}), 0) + $prior)")


def relations_sql(scope: Scope, evidence: int = 0) -> str:
    """Return a SELECT of one row per pair {x, y}: score, directions, trend and dates.

    With evidence > 0, a column `top` lists the pair's `evidence` heaviest
    events (structs of rank, event_id, forward, weight, tone), heaviest first
    (|weight * tone| * confidence: the module's docstring says why).
    """
    # Two stages: plain sums per pair, direction and half (no filtered
    # aggregates over a million rows), then those few rows per pair combined.
    heft = "abs(weight * tone) * confidence"
    # (ties in heft broken by the event's id, so that every reader of the same events,
    # the database or a dataset, picks the same ones)
    top = (f""",
               max_by({{'rank': -{heft}, 'event_id': event_id,
                        'forward': a < b, 'weight': weight, 'tone': tone}},
                      struct_pack(heft := {heft}, event_id := event_id),
                      {int(evidence)}) AS top""" if evidence > 0 else "")
    merged = (f",\n           list_sort(flatten(list(top)))[1:{int(evidence)}] AS top"
              if evidence > 0 else "")
    return f"""
    WITH stage AS (
        SELECT a, b, recent,
               sum(weight) AS w, sum(weight * tone) AS wt,
               sum(certainty) AS c, sum(certainty * tone) AS ct,
               count(*) AS n, sum(n_mentions) AS m, min(date) AS first_date,
               max(date) AS last_date{top}
        FROM ({scored_sql(scope)}) AS p
        GROUP BY a, b, recent
    )
    SELECT least(a, b) AS x, greatest(a, b) AS y,
           {_score('w', 'wt')} AS score,
           sum(n)::BIGINT AS events, sum(m)::BIGINT AS mentions,
           min(first_date) AS first_date, max(last_date) AS last_date,
           coalesce(sum(n) FILTER (forward), 0)::BIGINT AS events_xy,
           coalesce({_score('w', 'wt', 'forward')}, 0) AS score_xy,
           coalesce(sum(n) FILTER (NOT forward), 0)::BIGINT AS events_yx,
           coalesce({_score('w', 'wt', 'NOT forward')}, 0) AS score_yx,
           {_score('c', 'ct', 'recent')} AS recent,
           {_score('c', 'ct', 'NOT recent')} AS earlier{merged}
    FROM (SELECT *, a < b AS forward FROM stage)
    GROUP BY least(a, b), greatest(a, b)
    """


def reference_date(store: Store, scope: Scope) -> dt.date | None:
    """Return the date scores are computed at: `until`, else the latest date any report gives."""
    if scope.until is not None:
        return scope.until
    rows = store.query(
        "SELECT max(date) FROM events WHERE ($since::DATE IS NULL OR date >= $since::DATE)",
        {"since": scope.since},
    )
    value = rows[0][0] if rows else None
    return value if isinstance(value, dt.date) else None


def score_params(scope: Scope, scoring: Scoring, asof: dt.date) -> dict[str, Any]:
    """Return the parameters of scored_sql and relations_sql for a scope and scoring."""
    return {**scope.params(), "asof": asof, "half": float(scoring.half_life_days),
            "prior": float(scoring.prior), "power": float(scoring.confidence_power)}


def relation_table(store: Store, scope: Scope = EVERYTHING,
                   scoring: Scoring = DEFAULT_SCORING) -> pa.Table:
    """Return the relations of every pair as an Arrow table (no evidence), for bulk use."""
    import pyarrow as pa

    asof = reference_date(ready(store), scope)
    if asof is None:
        return pa.table({"x": pa.array([], pa.string()), "y": pa.array([], pa.string())})
    return store.query_arrow(f"SELECT * FROM ({relations_sql(scope)}) ORDER BY x, y",
                             score_params(scope, scoring, asof))


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
    params = {**score_params(scope, scoring, asof), "actor": actor, "min_events": min_events}
    # One row per pair and piece of evidence (the pair's columns repeated),
    # read column by column: far cheaper than lists of structs in SQL or
    # dicts per row in Python.
    table = store.query_arrow(_with_evidence_sql(scope, evidence), params)
    c = {name: table.column(name).to_pylist() for name in table.column_names}
    proof_columns = [c[f"e_{f.name}"] for f in fields(Evidence)]
    out: list[Relation] = []
    proofs: list[Evidence] = []
    for i, (x, y) in enumerate(zip(c["x"], c["y"], strict=True)):
        if not out or out[-1].actors != (x, y):
            proofs = []
            out.append(Relation(
                actors=(x, y), score=c["score"][i], sign=sign_of(c["score"][i]),
                events=c["events"][i], mentions=c["mentions"][i],
                first_date=c["first_date"][i], last_date=c["last_date"][i],
                directions=(Direction(x, y, c["events_xy"][i], c["score_xy"][i]),
                            Direction(y, x, c["events_yx"][i], c["score_yx"][i])),
                recent=c["recent"][i], earlier=c["earlier"][i], trend=c["trend"][i],
                evidence=proofs,  # type: ignore[arg-type]  # made a tuple below
            ))
        if c["e_event_id"][i] is not None:
            proofs.append(Evidence(*(column[i] for column in proof_columns)))
    for relation in out:
        object.__setattr__(relation, "evidence", tuple(relation.evidence))
    return out


# The fields of Evidence (prefixed e_), from a relation row r, one of its top
# structs t, the event u it names and that event's cluster m (if it was
# reported more than once).
_EVIDENCE_FIELDS = """
    coalesce(m.cluster_id, u.id) AS e_cluster_id, u.id AS e_event_id, u.doc_id AS e_doc_id,
    u.date::VARCHAR AS e_date, u.date_precision AS e_date_precision,
    CASE WHEN t.forward THEN r.x ELSE r.y END AS e_source,
    CASE WHEN t.forward THEN r.y ELSE r.x END AS e_target,
    u.event AS e_event, t.tone * 10 AS e_intensity, u.confidence AS e_confidence,
    t.weight AS e_weight,
    t.weight * t.tone AS e_contribution, coalesce(m.n_mentions, 1) AS e_n_mentions,
    u.sentence AS e_sentence
"""


def _with_evidence_sql(scope: Scope, evidence: int) -> str:
    """Return a SELECT of the relations in scope, one row per pair and Evidence struct."""
    if evidence > 0:
        proofs = f"""
        SELECT r.x, r.y, t.rank, {_EVIDENCE_FIELDS}
        FROM (SELECT x, y, unnest(top) AS t FROM r) AS r
        JOIN events AS u ON u.id = t.event_id
        LEFT JOIN (SELECT c.event_id, c.cluster_id, k.n_mentions
                   FROM event_clusters AS c JOIN clusters AS k USING (cluster_id)) AS m
          ON m.event_id = u.id"""
    else:
        proofs = ("SELECT NULL::VARCHAR AS x, NULL::VARCHAR AS y, 0 AS rank, "
                  + ", ".join(f"NULL AS e_{f.name}" for f in fields(Evidence)))
    return f"""
    WITH r AS MATERIALIZED (
        SELECT * FROM ({relations_sql(scope, evidence)})
        WHERE events >= $min_events AND ($actor::VARCHAR IS NULL OR x = $actor OR y = $actor)
    ),
    proofs AS ({proofs})
    SELECT r.x, r.y, r.score, r.events, r.mentions, r.first_date::VARCHAR AS first_date,
           r.last_date::VARCHAR AS last_date, r.events_xy, r.score_xy, r.events_yx,
           r.score_yx, r.recent, r.earlier, r.recent - r.earlier AS trend,
           p.* EXCLUDE (x, y, rank)
    FROM r LEFT JOIN proofs AS p ON p.x = r.x AND p.y = r.y
    ORDER BY r.events DESC, r.x, r.y, p.rank, p.e_event_id
    """
