"""What the service returns beyond the analyses' own records: plain frozen dataclasses,
as_dict() giving JSON-ready data (but for Demo, which holds paths and the run report)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from faultline.analysis.base import Record

if TYPE_CHECKING:
    from faultline.analysis.relations import Relation
    from faultline.analysis.triads import Triad
    from faultline.dependencies.edges import DependencyEdge
    from faultline.pipeline import RunReport


@dataclass(frozen=True)
class Summary(Record):
    """What a database holds: counts, the span of event dates, events by type, busiest dyads."""

    documents: int
    #: Event reports stored.
    events: int
    #: Real-world events they report (repeated reports counted once).
    clusters: int
    #: Real-world events reported more than once.
    repeated: int
    first_date: str | None
    last_date: str | None
    #: (PLOVER type, events), most frequent first.
    by_type: list[tuple[str, int]]
    #: (source, target, events) of the busiest directed pairs of actors (codes, or
    #: organisations such as EU).
    top_dyads: list[tuple[str, str, int]]


@dataclass(frozen=True)
class ActorLookup(Record):
    """Who a name stands for and what the database holds about it."""

    query: str | None
    #: What the dictionaries say the name resolves to, and why (one line each).
    explanation: list[str]
    database: str
    #: False when there is no database yet: people and mentions are then empty.
    stored: bool
    #: The actor registry's rows whose name contains the query.
    people: list[dict[str, Any]]
    #: (actor text, code, sector, organisation, mentions) of stored actors whose text
    #: or organisation contains the query.
    mentions: list[tuple[str, str | None, str | None, str | None, int]]


@dataclass(frozen=True)
class ReportData(Record):
    """Everything the HTML report shows about a set of actors, as JSON-ready data."""

    actors: tuple[str, ...]
    documents: int
    events: int
    clusters: int
    first_date: str | None
    last_date: str | None
    relations: list[dict[str, Any]]
    #: {"actors": [A, B], "periods": [DyadPeriod.as_dict(), ...]} of each pair with events.
    timelines: list[dict[str, Any]]
    triads: list[dict[str, Any]]
    chains: list[dict[str, Any]]
    dependencies: list[dict[str, Any]]


@dataclass(frozen=True)
class Demo:
    """The demo's run over the sample corpus and what it found."""

    corpus: Path
    run: RunReport
    summary: Summary
    #: The best-attested dependencies.
    dependencies: list[DependencyEdge]
    #: The relationships with most events, each with the event that weighs most.
    relations: list[Relation]
    triads: list[Triad]
    #: Where every stored event was written as PLOVER JSON lines.
    events: Path
    report: ReportData


@dataclass(frozen=True)
class LexiconCheck(Record):
    """The problems found in lexicon files, and how many entries they hold."""

    files: int
    entries: int
    #: One line each: FILE:LINE: message.
    problems: list[str]
