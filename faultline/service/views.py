"""What the browsing operations of the service return: pages of events, one document with
its marked text, an actor, an upload's outcome. Frozen dataclasses; as_dict() gives
JSON-ready data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from faultline.analysis.base import Record


@dataclass(frozen=True)
class EventPage(Record):
    """One page of stored events in the PLOVER record layout, and how to get the next."""

    events: list[dict[str, Any]]
    #: The cursor of the next page; None on the last page.
    next: str | None
    #: Events matching the filters, on every page.
    total: int
    #: The ids of this page's events, in order (for the other formats).
    ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Mark:
    """A span of a document's text that the coder read as something."""

    start: int
    end: int
    #: sentence (an event's sentence), event (its event words), source, target, date,
    #: place, set_aside (a statement not coded as an event), dependency.
    kind: str
    #: What it was read as: "ASSAULT AZE -> ARM", "2020-09-27", "hypothetical".
    label: str
    #: The event (or statement) it belongs to, if any.
    ref: str | None = None


@dataclass(frozen=True)
class DocumentView(Record):
    """One stored document: its text, every coded span marked, its events, its statements
    of dependence, and what was set aside and why."""

    doc_id: str
    doc_hash: str
    title: str | None
    published: str | None
    url: str | None
    source: str | None
    byline: str | None
    text: str
    #: Non-overlapping or nested spans, by start.
    marks: list[Mark]
    events: list[dict[str, Any]]
    dependencies: list[dict[str, Any]]
    #: What the coder set aside (negated, hypothetical ... statements) with the reason;
    #: found by coding the stored text again (set_aside_coder), since the database keeps
    #: events, not what was left out. None when not asked for.
    set_aside: list[dict[str, Any]] | None
    set_aside_coder: str | None
    #: The coder that made the stored events.
    coder: str | None


@dataclass(frozen=True)
class ActorView(Record):
    """Who an actor is and what the database holds about it."""

    query: str
    #: The actor key the query names (ARM, EU, RUS:GOV) when events have it, else None.
    key: str | None
    #: What the dictionaries say the name stands for, with the roles and their dates.
    explanation: list[str]
    #: The actor registry's people whose name contains the query.
    people: list[dict[str, Any]]
    #: Stored actor mentions whose words or organisation contain the query.
    mentions: list[dict[str, Any]]
    #: For a key: events as source and target, dates, event types, words used for it.
    summary: dict[str, Any] | None
    #: For a key: its relationships, most events first.
    relations: list[dict[str, Any]]


@dataclass(frozen=True)
class Upload(Record):
    """What ingesting uploaded documents stored."""

    documents: int
    new_documents: int
    already_stored: int
    new_events: int
    new_clusters: int
    new_dependencies: int
    #: The ids of the documents read, in order.
    doc_ids: list[str]
    #: Records that could not be read: {record, reason}.
    skipped: list[dict[str, str]]
