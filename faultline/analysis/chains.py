"""Reciprocity: actions of A toward B answered by B toward A within N days, linked into chains.

An event B -> A answers the latest event A -> B dated before it, if that one
is at most `days` days older (found with one ASOF join); of several events
A -> B on that day, the one reported first (by document, then position in
it), so that the chains are the same on every run. Answers are linked
into chains (A -> B, B -> A, A -> B ...): a chain starts at an event that
answers nothing and contains everything that answers it, directly or not.

Each answer is classed against what it answers:
  in_kind        the same PLOVER type (an arrest for an arrest), a hostile act
                 of the same quad class within one point of intensity, or
                 cooperation answered with cooperation
  escalation     more hostile (lower intensity) than a hostile act, or a
                 hostile answer to cooperation
  de_escalation  less hostile than a hostile act, or cooperation answering one

Only events dated to the day take part: a month-precision date cannot say
whether an event came before or after one dated the 12th. An event dated by
its article's publication date because the text gave no date (date_fallback)
happened on or before that day; such steps are marked `approximate`, and
`exact_dates=True` leaves them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from faultline.analysis.base import (
    EVERYTHING,
    Record,
    Scope,
    iso,
    pairs_sql,
    parse_actor,
    ready,
)

if TYPE_CHECKING:
    from faultline.store import Store

RESPONSE_KINDS = ("in_kind", "escalation", "de_escalation")


@dataclass(frozen=True)
class Step:
    """One event of a chain and, unless it opens the chain, how it answers the one before."""

    cluster_id: str
    event_id: str
    doc_id: str
    date: str
    source: str
    target: str
    event: str
    intensity: float | None
    sentence: str | None
    #: The cluster this step answers (None for the first step).
    answers: str | None
    #: in_kind, escalation or de_escalation (None for the first step).
    response: str | None
    #: Days after the step it answers.
    days_after: int | None
    #: The date is the publication date standing in for a date the text did not give.
    approximate: bool


@dataclass(frozen=True)
class Chain(Record):
    """A run of answers between two actors, oldest step first."""

    actors: tuple[str, str]
    start: str
    end: str
    steps: tuple[Step, ...]
    #: Response kind -> number of answers of that kind in the chain.
    responses: dict[str, int]


def chains(
    store: Store,
    a: str | None = None,
    b: str | None = None,
    *,
    days: int = 30,
    scope: Scope = EVERYTHING,
    exact_dates: bool = False,
) -> list[Chain]:
    """Return the reciprocity chains between a and b (or between every pair), longest first."""
    if (a is None) != (b is None):
        raise ValueError("give both actors or neither")
    keys: list[str | None] = [None, None]
    if a is not None and b is not None:
        for i, text in enumerate((a, b)):
            code, sector = parse_actor(text)
            keys[i] = f"{code}:{sector}" if sector else code
    sectors = scope.sectors or any(k and ":" in k for k in keys)
    inner = pairs_sql(Scope(scope.since, scope.until, sectors),
                      "u.id AS event_id, u.doc_id, u.date, u.date_precision, u.date_fallback, "
                      "u.event, u.quad_class, u.intensity, u.sentence, u.span_start")
    sql = f"""
    WITH RECURSIVE p AS (
        SELECT * FROM ({inner}) AS q
        WHERE a <> b AND date IS NOT NULL AND coalesce(date_precision, 'day') = 'day'
          AND NOT ($exact AND coalesce(date_fallback, false))
          AND ($A::VARCHAR IS NULL OR (a = $A AND b = $B) OR (a = $B AND b = $A))
    ),
    answerable AS (  -- of the events one way on one day, the one reported first is answered
        SELECT * FROM p
        QUALIFY row_number() OVER (PARTITION BY a, b, date
                                   ORDER BY doc_id, span_start, cluster_id) = 1
    ),
    r AS (
        SELECT r.*, s.cluster_id AS parent, s.event AS parent_event,
               s.quad_class AS parent_quad, s.intensity AS parent_intensity,
               date_diff('day', s.date, r.date) AS days_after
        FROM p AS r ASOF LEFT JOIN answerable AS s
          ON s.a = r.b AND s.b = r.a AND s.date < r.date
    ),
    linked AS (
        SELECT * REPLACE (
            CASE WHEN days_after <= $days THEN parent END AS parent,
            CASE WHEN days_after <= $days THEN days_after END AS days_after)
        FROM r
    ),
    walk AS (
        SELECT l.cluster_id AS root, l.cluster_id, l.a, l.b
        FROM linked AS l
        WHERE l.parent IS NULL
          AND EXISTS (SELECT 1 FROM linked AS c
                      WHERE c.parent = l.cluster_id AND c.a = l.b AND c.b = l.a)
        UNION ALL
        SELECT w.root, c.cluster_id, c.a, c.b
        FROM walk AS w JOIN linked AS c
          ON c.parent = w.cluster_id AND c.a = w.b AND c.b = w.a
    )
    SELECT w.root, least(w.a, w.b) AS x, greatest(w.a, w.b) AS y, l.*
    FROM walk AS w JOIN linked AS l USING (cluster_id, a, b)
    ORDER BY x, y, w.root, l.date, l.cluster_id, l.b, l.a
    """
    params = {**scope.params(), "A": keys[0], "B": keys[1], "days": days,
              "exact": exact_dates}
    rows = ready(store).query_arrow(sql, params).to_pylist()
    grouped: dict[tuple[str, str, str], list[Step]] = {}
    for r in rows:
        answers = r["parent"]
        grouped.setdefault((r["x"], r["y"], r["root"]), []).append(Step(
            cluster_id=r["cluster_id"], event_id=r["event_id"], doc_id=r["doc_id"],
            date=iso(r["date"]) or "", source=r["a"], target=r["b"], event=r["event"],
            intensity=r["intensity"], sentence=r["sentence"], answers=answers,
            response=None if answers is None else response_kind(
                r["parent_event"], r["parent_quad"], r["parent_intensity"],
                r["event"], r["quad_class"], r["intensity"]),
            days_after=r["days_after"] if answers is not None else None,
            approximate=bool(r["date_fallback"]),
        ))
    out = []
    for (x, y, _), steps in grouped.items():
        counts = {k: sum(1 for s in steps if s.response == k) for k in RESPONSE_KINDS}
        out.append(Chain(actors=(x, y), start=steps[0].date, end=steps[-1].date,
                         steps=tuple(steps), responses=counts))
    out.sort(key=lambda c: (-len(c.steps), c.start, c.actors))
    return out


def response_kind(event: str, quad: int | None, intensity: float | None,
                  answer: str, answer_quad: int | None, answer_intensity: float | None) -> str:
    """Return how an answer relates to what it answers: in_kind, escalation or de_escalation."""
    if answer == event:
        return "in_kind"
    before, after = intensity or 0.0, answer_intensity or 0.0
    if before >= 0 and after >= 0:
        return "in_kind"  # cooperation answered with cooperation
    if before < 0 <= after:
        return "de_escalation"
    if after < 0 <= before:
        return "escalation"
    if quad is not None and quad == answer_quad and abs(after - before) <= 1:
        return "in_kind"
    return "escalation" if after < before else "de_escalation"
