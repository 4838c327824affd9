"""Event clusters: each real-world event with every report of it, for browsing.

The clusters themselves are made by the store as events are written
(faultline/store/clusters.py); this module only reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from faultline.analysis.base import Record, actor_key, iso, ready

if TYPE_CHECKING:
    from faultline.store import Store


@dataclass(frozen=True)
class Mention:
    """One report of an event: the stored event row and the document it came from."""

    event_id: str
    doc_id: str
    title: str | None
    published: str | None
    date: str | None
    event_text: str | None
    sentence: str | None


@dataclass(frozen=True)
class Cluster(Record):
    """One real-world event: its representative report's codes and all its mentions."""

    cluster_id: str
    event: str
    source: str | None
    target: str | None
    date: str | None
    date_precision: str | None
    n_mentions: int
    n_documents: int
    mentions: tuple[Mention, ...]


def clusters(store: Store, *, min_mentions: int = 2, cluster_id: str | None = None,
             limit: int | None = None) -> list[Cluster]:
    """Return clusters with at least min_mentions reports (or the one cluster asked for).

    Most reported first; each with its mentions in date order.
    """
    heads = ready(store).query_arrow(
        f"""
        SELECT cluster_id, event, {actor_key('source', False, sep='_')} AS source,
               {actor_key('target', False, sep='_')} AS target, date, date_precision,
               n_mentions, n_documents
        FROM event_units
        WHERE ($id::VARCHAR IS NULL AND n_mentions >= $min) OR cluster_id = $id
        ORDER BY n_mentions DESC, date DESC NULLS LAST, cluster_id
        LIMIT $limit
        """,
        {"id": cluster_id, "min": min_mentions, "limit": limit},
    ).to_pylist()
    if not heads:
        return []
    mentions = store.query_arrow(
        """
        WITH wanted AS (SELECT unnest($ids::VARCHAR[]) AS cluster_id),
        members AS (
            SELECT cluster_id, event_id FROM event_clusters
            WHERE cluster_id IN (SELECT cluster_id FROM wanted)
            UNION ALL  -- an event reported once is its own cluster
            SELECT cluster_id, cluster_id FROM wanted
            WHERE cluster_id NOT IN (SELECT cluster_id FROM event_clusters)
        )
        SELECT m.cluster_id, e.id, e.doc_id, d.title, d.date AS published, e.date,
               e.event_text, e.sentence
        FROM members AS m
        JOIN events AS e ON e.id = m.event_id
        JOIN documents AS d ON d.doc_hash = e.doc_hash
        ORDER BY m.cluster_id, d.date NULLS LAST, e.doc_id, e.span_start, e.id
        """,
        {"ids": [h["cluster_id"] for h in heads]},
    ).to_pylist()
    by_cluster: dict[str, list[Mention]] = {}
    for m in mentions:
        by_cluster.setdefault(m["cluster_id"], []).append(Mention(
            event_id=m["id"], doc_id=m["doc_id"], title=m["title"],
            published=iso(m["published"]), date=iso(m["date"]),
            event_text=m["event_text"], sentence=m["sentence"],
        ))
    return [
        Cluster(
            cluster_id=h["cluster_id"], event=h["event"], source=h["source"],
            target=h["target"], date=iso(h["date"]), date_precision=h["date_precision"],
            n_mentions=h["n_mentions"], n_documents=h["n_documents"],
            mentions=tuple(by_cluster.get(h["cluster_id"], ())),
        )
        for h in heads
    ]
