"""Escalation alerts: relationships whose latest window breaks with their own history.

For every pair of actors {A, B} (both directions together), time is cut into
windows of `days` days ending at the reference date (`until`, else the latest
date any report gives): window 0 is the latest, windows 1..`history` the ones
before it. A window's value is the pair's weighted intensity

    v(w) = sum over the pair's events in w of certainty(e) * intensity(e)

(certainty as in relations.py, each real-world event once; hostile acts are
negative, cooperation positive), 0 for a window without events. Against the
pair's own history (the mean m and standard deviation s of v over the history
windows, counting only windows after the database's first event, since before
it the database knows nothing), the latest window scores

    z = (v(0) - m) / max(s, min_sd)

min_sd (default 5: about one clearly coded hostile act) keeps a quiet history
(s near 0) from turning a single event into an alarm. A pair is an alert when
|z| >= threshold and its latest window has at least min_events events:
`escalation` when z < 0 (more hostile than its history), `easing` when z > 0.
Each alert lists the events of its latest window that weigh most
(|certainty * intensity|), with their sentences: the events that caused it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from faultline.analysis.base import EVERYTHING, MID_DATE, Record, Scope, pairs_sql, ready
from faultline.analysis.relations import DEFAULT_SCORING, Scoring, certainty_sql, reference_date
from faultline.errors import OptionError

if TYPE_CHECKING:
    from faultline.store import Store


@dataclass(frozen=True)
class AlertRule:
    """When a relationship's latest window is an alert (the module's docstring)."""

    #: Length of a window in days.
    days: int = 30
    #: Windows of history the latest one is compared with.
    history: int = 12
    #: |z| at or above which a pair is an alert.
    threshold: float = 2.0
    #: Events the latest window needs.
    min_events: int = 2
    #: The least standard deviation a history is given (intensity units).
    min_sd: float = 5.0

    def __post_init__(self) -> None:
        if self.days <= 0 or self.history <= 0 or self.min_events <= 0:
            raise OptionError("alert window days, history and min_events must be positive")
        if self.threshold <= 0 or self.min_sd <= 0:
            raise OptionError("alert threshold and min_sd must be positive numbers")


@dataclass(frozen=True)
class Alert(Record):
    """One relationship whose latest window breaks with its history, and why."""

    actors: tuple[str, str]
    #: "escalation" (more hostile than usual) or "easing" (friendlier than usual).
    kind: str
    z: float
    #: The latest window: first and last day, events, weighted intensity.
    window_start: str
    window_end: str
    events: int
    intensity: float
    #: The history: windows counted, their mean and standard deviation, events in them.
    history_windows: int
    baseline: float
    sd: float
    history_events: int
    #: The events of the latest window that weigh most (PLOVER records with the
    #: document's title), heaviest first.
    evidence: tuple[dict[str, Any], ...] = field(default_factory=tuple)


def alerts(store: Store, scope: Scope = EVERYTHING, scoring: Scoring = DEFAULT_SCORING,
           rule: AlertRule | None = None, *, actor: str | None = None,
           evidence: int = 5, limit: int | None = None) -> list[Alert]:
    """Return the relationships whose latest window is an alert, the strongest (|z|) first;
    actor keeps the pairs that include it; limit keeps the first ones."""
    from faultline.store.browse import event_records

    rule = rule or AlertRule()
    asof = reference_date(ready(store), scope)
    if asof is None:
        return []
    windows = _history_windows(store, asof, rule)
    if windows == 0:
        return []
    since = asof - dt.timedelta(days=rule.days * (windows + 1) - 1)
    if scope.since is not None and scope.since > since:
        since = scope.since
    window = Scope(since, asof, scope.sectors)
    pairs = pairs_sql(window, f"u.id AS event_id, u.intensity, u.confidence, {MID_DATE} AS mid")
    heft = "abs(certainty * intensity)"
    sql = f"""
    WITH p AS (
        SELECT least(a, b) AS x, greatest(a, b) AS y, event_id, intensity, certainty,
               (greatest(date_diff('day', mid, $asof::DATE), 0) // $days)::INTEGER AS k
        FROM (SELECT *, {certainty_sql()} AS certainty FROM ({pairs}) AS q) AS q
        WHERE a <> b AND intensity IS NOT NULL
          AND ($actor::VARCHAR IS NULL OR a = $actor OR b = $actor)
    ),
    s AS (
        SELECT x, y,
               coalesce(sum(certainty * intensity) FILTER (k = 0), 0) AS latest,
               count(*) FILTER (k = 0) AS n_latest,
               count(*) FILTER (k BETWEEN 1 AND $windows) AS n_history,
               max_by(event_id, {heft}, $evidence) FILTER (k = 0) AS top
        FROM p GROUP BY x, y
        HAVING count(*) FILTER (k = 0) >= $min_events
    ),
    h AS (
        SELECT x, y, sum(v) AS s1, sum(v * v) AS s2 FROM (
            SELECT p.x, p.y, p.k, sum(p.certainty * p.intensity) AS v
            FROM p JOIN s USING (x, y)
            WHERE p.k BETWEEN 1 AND $windows
            GROUP BY p.x, p.y, p.k
        ) GROUP BY x, y
    ),
    judged AS (
        SELECT s.*, coalesce(h.s1, 0) / $windows AS baseline,
               sqrt(greatest(coalesce(h.s2, 0) / $windows
                             - pow(coalesce(h.s1, 0) / $windows, 2), 0)) AS sd
        FROM s LEFT JOIN h USING (x, y)
    )
    SELECT * FROM (SELECT *, (latest - baseline) / greatest(sd, $min_sd) AS z FROM judged)
    WHERE abs(z) >= $threshold
    ORDER BY abs(z) DESC, x, y
    """
    params = {"since": window.since, "until": window.until, "asof": asof, "days": rule.days,
              "windows": windows, "min_events": rule.min_events, "min_sd": rule.min_sd,
              "threshold": rule.threshold, "power": float(scoring.confidence_power),
              "actor": actor, "evidence": max(evidence, 1)}
    rows = store.query_arrow(sql, params).to_pylist()
    if limit is not None:
        rows = rows[:limit]
    start = asof - dt.timedelta(days=rule.days - 1)
    wanted = [i for r in rows for i in (r["top"] or [])[:evidence]]
    records = {r["id"]: r for r in event_records(store, wanted)} if wanted else {}
    return [
        Alert(
            actors=(r["x"], r["y"]), kind="escalation" if r["z"] < 0 else "easing",
            z=float(r["z"]), window_start=start.isoformat(), window_end=asof.isoformat(),
            events=int(r["n_latest"]), intensity=float(r["latest"]),
            history_windows=windows, baseline=float(r["baseline"]), sd=float(r["sd"]),
            history_events=int(r["n_history"]),
            evidence=tuple(records[i] for i in (r["top"] or [])[:evidence] if i in records),
        )
        for r in rows
    ]


def _history_windows(store: Store, asof: dt.date, rule: AlertRule) -> int:
    """Return how many history windows the database covers: those that end after its
    first dated event, at most rule.history."""
    first = store.query("SELECT min(date) FROM events")[0][0]
    if not isinstance(first, dt.date):
        return 0
    # window k covers the days asof - (k+1)*days + 1 .. asof - k*days
    covered = (asof - first).days // rule.days
    return max(0, min(rule.history, covered))
