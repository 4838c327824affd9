"""What `faultline watch` keeps in the database between rounds: each source's validators
(ETag, Last-Modified) and the article pages that need not be fetched again.

The tables are the part of schema.sql between its feeds markers; a database made
before they existed gets them the first time a round opens it for writing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from faultline.store.connect import _schema_sql

if TYPE_CHECKING:
    from faultline.store.db import Store

#: The lines of schema.sql between which the feed tables are created.
_FEEDS_MARKER = "-- == feeds =="
_FEEDS_END = "-- == end of feeds =="


@dataclass(frozen=True)
class Validators:
    """What a source's last answer said to send back next time (either may be None)."""

    etag: str | None = None
    last_modified: str | None = None


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def ensure_feed_tables(store: Store) -> None:
    """Create the feed tables in store's database if it has none yet."""
    found = store.query("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' "
                        "AND table_name IN ('feed_sources', 'feed_pages')")
    if found[0][0] < 2:
        schema = _schema_sql()
        store.query(schema[schema.index(_FEEDS_MARKER):schema.index(_FEEDS_END)])


def source_validators(store: Store, urls: Iterable[str]) -> dict[str, Validators]:
    """Return the validators stored for those of the sources at urls that answered before."""
    rows = store.query("SELECT url, etag, last_modified FROM feed_sources "
                       "WHERE url IN (SELECT unnest($urls::VARCHAR[]))", {"urls": list(urls)})
    return {url: Validators(etag, modified) for url, etag, modified in rows}


def save_validators(store: Store, found: Mapping[str, Validators]) -> None:
    """Remember the validators of the sources that answered (replacing what was there)."""
    if not found:
        return
    urls = list(found)
    store.query("INSERT OR REPLACE INTO feed_sources SELECT unnest($urls::VARCHAR[]), "
                "unnest($etags::VARCHAR[]), unnest($modified::VARCHAR[]), $now::TIMESTAMP",
                {"urls": urls, "etags": [found[u].etag for u in urls],
                 "modified": [found[u].last_modified for u in urls], "now": _now()})


def seen_pages(store: Store, urls: Iterable[str], tries: int) -> set[str]:
    """Return those of urls that a round is done with (read, refused for good, or failed
    tries times) or that a stored document came from."""
    wanted = list(dict.fromkeys(urls))
    if not wanted:
        return set()
    rows = store.query("SELECT url FROM feed_pages WHERE url IN (SELECT unnest($urls::VARCHAR[])) "
                       "AND (failures = 0 OR failures >= $tries) "
                       "UNION SELECT url FROM documents "
                       "WHERE url IN (SELECT unnest($urls::VARCHAR[]))",
                       {"urls": wanted, "tries": tries})
    return {row[0] for row in rows}


def mark_pages(store: Store, reasons: Mapping[str, str | None]) -> None:
    """Remember pages done with: url -> why it was refused (None when its text was ingested)."""
    if not reasons:
        return
    urls = list(reasons)
    store.query("INSERT OR REPLACE INTO feed_pages SELECT unnest($urls::VARCHAR[]), "
                "unnest($reasons::VARCHAR[]), 0, $now::TIMESTAMP",
                {"urls": urls, "reasons": [reasons[u] for u in urls], "now": _now()})


def count_failures(store: Store, reasons: Mapping[str, str]) -> None:
    """Count one more failure of each page (url -> why), to be tried again."""
    if not reasons:
        return
    urls = list(reasons)
    store.query("INSERT INTO feed_pages SELECT unnest($urls::VARCHAR[]), "
                "unnest($reasons::VARCHAR[]), 1, $now::TIMESTAMP "
                "ON CONFLICT (url) DO UPDATE SET reason = excluded.reason, "
                "failures = feed_pages.failures + 1, seen_at = excluded.seen_at",
                {"urls": urls, "reasons": [reasons[u] for u in urls], "now": _now()})


def new_event_ids(store: Store, urls: Iterable[str], since: datetime) -> list[str]:
    """Return the ids of the events of documents from urls stored at or after since (UTC),
    oldest date first."""
    wanted = list(dict.fromkeys(urls))
    if not wanted:
        return []
    rows = store.query(
        "SELECT e.id FROM events AS e JOIN documents AS d USING (doc_hash) "
        "WHERE d.url IN (SELECT unnest($urls::VARCHAR[])) AND d.ingested_at >= $since "
        "ORDER BY e.date NULLS LAST, e.doc_id, e.span_start, e.id",
        {"urls": wanted, "since": since.astimezone(UTC).replace(tzinfo=None)})
    return [row[0] for row in rows]
