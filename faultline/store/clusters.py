"""Event clusters: the reports of one real-world event, grouped as they are stored.

Two stored events are reports of the same event when all of these hold:

- same PLOVER type, same first source and first target actor (both may be
  unknown; an organisation is its own actor, store/keys.py: a report of the EU
  never joins one of the CSTO), and compatible modes (equal, or one of them
  unset);
- the same date precision, and dates that agree: day-precision dates at most
  `days` apart (an event dated by the publication date because the text gave
  none, `date_fallback`, may have happened up to `days` earlier), month- and
  year-precision dates in the same month or year. A month-dated report never
  joins a day-dated one: "in June" could be any of several June events, and
  one vague report must not chain them together;
- compatible places: not in two different countries, not more than `km`
  apart when both have coordinates, else not two different place names;
- similar wording: the content-word stems of their sentences (first five
  letters of each word that is not in data/clusters/stopwords.txt) overlap
  by at least `similarity` (Jaccard index);
- no different people: when both events name people among their actors (an
  actor text ending in two capitalised words, "Russian journalist Pavel
  Sorokin"), they share a surname. Two arrests by the same police on the
  same days differ mostly in who was arrested, which sentence wording alone
  cannot tell;
- not two events of one sentence (two acts named in one breath are two acts).

Clusters are the connected components of that relation. Each batch of new
events is matched against every stored event by one SQL hash join on the
equality columns, so the work per batch grows with the batch and its
candidates, not with the square of the database; the components are then
merged (union-find) over the few matching pairs. A cluster's id is the
smallest event id in it, so the result does not depend on the order in which
documents were ingested. Only events reported more than once are listed in
event_clusters and clusters; every other event is a cluster of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from faultline.models import Event
from faultline.store.keys import node_sql

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

#: Name under which the ids of the events to cluster are registered.
BATCH_IDS = "_faultline_batch_cluster_ids"
_BATCH_MAP = "_faultline_batch_cluster_map"

_TOKEN = re.compile(r"[^\W_]+")
_STEM = 5


@dataclass(frozen=True)
class ClusterRules:
    """When two reports are one event: date window, wording overlap, distance."""

    days: int = 3
    similarity: float = 0.2
    km: float = 100.0


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Return the words left out of wording comparisons."""
    text = resources.files("faultline").joinpath("data", "clusters", "stopwords.txt")
    lines = text.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def stems(sentence: str | None) -> list[str]:
    """Return the sorted distinct content-word stems of a sentence."""
    if not sentence:
        return []
    stop = stopwords()
    out: set[str] = set()
    for token in _TOKEN.findall(sentence.lower()):
        if token in stop:
            continue
        if token.isdigit():
            out.add(token)
        elif len(token) >= 3:
            out.add(token[:_STEM])
    return sorted(out)


def surnames(actor_texts: Iterable[str | None]) -> list[str]:
    """Return the sorted stems of the surnames among actor texts.

    A surname is the last word of a text whose last two words are capitalised
    ("Russian journalist Pavel Sorokin" -> "sorok"); "Putin" alone or "Georgian
    police" name nobody for certain.
    """
    out: set[str] = set()
    for text in actor_texts:
        words = _TOKEN.findall(text or "")
        if len(words) >= 2 and words[-1][:1].isupper() and words[-2][:1].isupper():
            out.add(words[-1].lower()[:_STEM])
    return sorted(out)


def words_table(ids: Sequence[str], sentences: Iterable[str | None],
                actor_texts: Iterable[Iterable[str | None]]) -> pa.Table:
    """Return event_words rows: each event's sentence stems and surnames."""
    import pyarrow as pa

    words = pa.list_(pa.string())
    return pa.table(
        {
            "event_id": pa.array(list(ids), pa.string()),
            "words": pa.array([stems(s) for s in sentences], words),
            "names": pa.array([surnames(texts) for texts in actor_texts], words),
        }
    )


def events_words(events: Sequence[Event]) -> pa.Table:
    """Return the event_words rows of events about to be stored."""
    return words_table([e.id for e in events], (e.text for e in events),
                       ([a.text for a in (*e.source, *e.target)] for e in events))


def table_words(events: pa.Table) -> pa.Table:
    """Return the event_words rows of the rows of `events` about to be stored (an Arrow
    table with its columns id, sentence, sources and targets)."""
    sources, targets = (events.column(side).to_pylist() for side in ("sources", "targets"))
    return words_table(events.column("id").to_pylist(), events.column("sentence").to_pylist(),
                       ([a["text"] for a in (*(s or ()), *(t or ()))]
                        for s, t in zip(sources, targets, strict=True)))


# Pairs of current cluster labels whose events report the same event (the actor
# keys {source} and {target} filled in by _pairs_sql). An
# event's label is its cluster id, or its own id when it was reported once.
# `n` are the events being clustered, `o` every stored event. The equality
# conditions come first so that DuckDB joins on them by hash; `bucket` cuts
# time into slices of 2 * days (a day-dated pair that may match is at most
# that far apart, counting a publication-date stand-in), and each new event
# looks in its own slice and the two next to it, so that the join does not
# pair every event of a busy dyad with every other.
_PAIRS_SQL = f"""
WITH ev AS (
    SELECT e.id, e.doc_hash, e.span_start, e.event, e.mode, {{source}} AS source_key,
           {{target}} AS target_key,
           e.date, coalesce(e.date_precision, 'day') AS precision,
           coalesce(e.date_fallback, false) AS fallback,
           e.location_name AS place, e.location_country AS country,
           e.location_lat AS lat, e.location_lon AS lon,
           coalesce(c.cluster_id, e.id) AS cluster_id, w.words, w.names,
           coalesce(CASE WHEN coalesce(e.date_precision, 'day') = 'day'
                         THEN date_diff('day', DATE '1970-01-01', e.date)
                              // greatest(2 * $days, 1)
                         ELSE date_diff('day', DATE '1970-01-01', e.date) END,
                    -1000000) AS bucket
    FROM events AS e
    JOIN event_words AS w ON w.event_id = e.id
    LEFT JOIN event_clusters AS c ON c.event_id = e.id
),
n AS (
    SELECT * EXCLUDE (bucket), unnest([bucket - 1, bucket, bucket + 1]) AS bucket
    FROM ev WHERE id IN (SELECT event_id FROM {BATCH_IDS})
)
SELECT DISTINCT n.cluster_id AS a, o.cluster_id AS b
FROM n JOIN ev AS o
  ON o.event = n.event
 AND o.source_key IS NOT DISTINCT FROM n.source_key
 AND o.target_key IS NOT DISTINCT FROM n.target_key
 AND o.precision = n.precision
 AND o.bucket = n.bucket
WHERE o.id <> n.id
  AND o.cluster_id <> n.cluster_id
  AND NOT (o.doc_hash = n.doc_hash AND o.span_start IS NOT DISTINCT FROM n.span_start)
  AND (o.mode IS NULL OR n.mode IS NULL OR o.mode = n.mode)
  AND CASE
        WHEN o.date IS NULL OR n.date IS NULL THEN o.date IS NULL AND n.date IS NULL
        WHEN n.precision = 'day' THEN
             o.date - (CASE WHEN o.fallback THEN $days ELSE 0 END) <= n.date + $days
         AND n.date - (CASE WHEN n.fallback THEN $days ELSE 0 END) <= o.date + $days
        ELSE o.date = n.date
      END
  AND NOT coalesce(o.country <> n.country, false)
  AND NOT coalesce(CASE
        WHEN o.lat IS NOT NULL AND n.lat IS NOT NULL THEN
            2 * 6371 * asin(sqrt(
                pow(sin(radians(o.lat - n.lat) / 2), 2)
                + cos(radians(o.lat)) * cos(radians(n.lat))
                  * pow(sin(radians(o.lon - n.lon) / 2), 2)
            )) > $km
        ELSE lower(o.place) <> lower(n.place)
      END, false)
  AND len(list_intersect(o.words, n.words))
      >= $similarity * (len(o.words) + len(n.words) - len(list_intersect(o.words, n.words)))
  AND len(o.words) + len(n.words) > 0
  AND NOT (len(o.names) > 0 AND len(n.names) > 0 AND len(list_intersect(o.names, n.names)) = 0)
"""


@lru_cache(maxsize=1)
def _pairs_sql() -> str:
    """Return _PAIRS_SQL with the actor keys of the first source and target filled in."""
    source, target = (node_sql(f"e.{side}_code", f"e.{side}_org") for side in ("source", "target"))
    return _PAIRS_SQL.format(source=source, target=target)

# The columns of `clusters` after the cluster id, from the members `e` (rows of
# `events`) of one group. The representative is the best-dated report: day
# before month before year, a date from the text before a publication-date
# stand-in, then the most confident, then the smallest id.
SUMMARY_SQL = """
       first(e.id ORDER BY CASE e.date_precision WHEN 'day' THEN 0 WHEN 'month' THEN 1
                                                 WHEN 'year' THEN 2 ELSE 3 END,
                           coalesce(e.date_fallback, false), e.confidence DESC, e.id)
           AS representative,
       count(*)::INTEGER AS n_mentions, count(DISTINCT e.doc_hash)::INTEGER AS n_documents,
       min(e.date) AS first_date, max(e.date) AS last_date
"""

# The cluster rows of the given cluster ids, recomputed from their members.
_REFRESH_SQL = f"""
INSERT INTO clusters
SELECT c.cluster_id, {SUMMARY_SQL}
FROM event_clusters AS c JOIN events AS e ON e.id = c.event_id
WHERE c.cluster_id IN (SELECT label FROM {{view}})
GROUP BY c.cluster_id
"""


def _union(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Return label -> smallest label of its connected component, for labels in pairs."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            low, high = (ra, rb) if ra < rb else (rb, ra)
            parent[high] = low
    return {x: find(x) for x in parent}


def assign(con: duckdb.DuckDBPyConnection, ids: Sequence[str], rules: ClusterRules) -> None:
    """Merge the given stored events into the clusters of the stored events they match.

    Each event must already have its event_words row. Runs inside the
    caller's transaction; updates event_clusters and clusters.
    """
    import pyarrow as pa

    if not ids:
        return
    con.register(BATCH_IDS, pa.table({"event_id": pa.array(list(ids), pa.string())}))
    try:
        pairs = con.execute(
            _pairs_sql(),
            {"days": rules.days, "km": rules.km, "similarity": rules.similarity},
        ).fetchall()
    finally:
        con.unregister(BATCH_IDS)
    roots = _union(pairs)
    if not roots:
        return
    labels = pa.table({"label": pa.array(list(roots), pa.string()),
                       "root": pa.array(list(roots.values()), pa.string())})
    # A label is a cluster's id or, for an event reported once so far, the
    # event's own id: those events join event_clusters now.
    _apply(con, "UPDATE event_clusters SET cluster_id = m.root FROM {view} AS m "
                "WHERE event_clusters.cluster_id = m.label AND m.label <> m.root", labels)
    _apply(con, "INSERT INTO event_clusters SELECT m.label, m.root FROM {view} AS m "
                "WHERE m.label NOT IN (SELECT cluster_id FROM clusters)", labels)
    _apply(con, "DELETE FROM clusters WHERE cluster_id IN (SELECT label FROM {view})", labels)
    final = pa.table({"label": pa.array(sorted(set(roots.values())), pa.string())})
    _apply(con, _REFRESH_SQL, final)


def _apply(con: duckdb.DuckDBPyConnection, sql: str, table: pa.Table) -> None:
    con.register(_BATCH_MAP, table)
    try:
        con.execute(sql.format(view=_BATCH_MAP))
    finally:
        con.unregister(_BATCH_MAP)


def rebuild(con: duckdb.DuckDBPyConnection, rules: ClusterRules, batch_size: int = 50_000) -> None:
    """Cluster every stored event again from scratch (inside the caller's transaction)."""
    for table in ("event_clusters", "clusters", "event_words"):
        con.execute(f"DELETE FROM {table}")
    reader = con.cursor().sql(
        "SELECT id, sentence, list_transform(sources || targets, lambda a: a.text) AS actors "
        "FROM events ORDER BY id"
    )
    assert reader is not None
    ids: list[str] = []
    for batch in reader.to_arrow_reader(batch_size):
        chunk_ids = batch.column("id").to_pylist()
        _apply(con, "INSERT INTO event_words BY NAME SELECT * FROM {view}",
               words_table(chunk_ids, batch.column("sentence").to_pylist(),
                           batch.column("actors").to_pylist()))
        ids.extend(chunk_ids)
    assign(con, ids, rules)


def count_units(con: duckdb.DuckDBPyConnection) -> tuple[int, int, int]:
    """Return (events, distinct real-world events, events reported more than once)."""
    ((events, hidden, repeated),) = con.execute(
        "SELECT (SELECT count(*) FROM events), coalesce(sum(n_mentions - 1), 0), count(*) "
        "FROM clusters"
    ).fetchall()
    return int(events), int(events) - int(hidden), int(repeated)
