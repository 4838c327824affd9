"""The objects that flow between stages: Document -> Clause -> Event.

Plain frozen dataclasses, so every stage can be tested on its own and the
records serialise to PLOVER-layout JSON without surprises.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

_SPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Return text in NFC with runs of whitespace collapsed, for hashing."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def text_hash(text: str) -> str:
    """Return the document identity: 16 hex digits of SHA-256 of the normalised text."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Document:
    """One news item as read from a source, before any NLP."""

    text: str
    #: Identity used for de-duplication (hash of normalised text).
    doc_hash: str
    #: The id users know: the record's own "id" when given, else doc_hash.
    doc_id: str
    title: str | None = None
    #: Publication date, ISO 8601 (YYYY-MM-DD), when known.
    date: str | None = None
    #: Where the date came from: "record", "text", "metadata", "option" or None.
    date_source: str | None = None
    url: str | None = None
    source: str | None = None
    byline: str | None = None
    #: Where the document was read from: path, path:line, or "-".
    origin: str = ""

    @classmethod
    def from_text(cls, text: str, *, doc_id: str | None = None, **meta: Any) -> Document:
        """Build a Document, computing its hash and defaulting doc_id to it."""
        digest = text_hash(text)
        return cls(text=text, doc_hash=digest, doc_id=doc_id or digest, **meta)


@dataclass(frozen=True)
class Skip:
    """An input that could not be read, with a one-line reason."""

    origin: str
    reason: str


@dataclass(frozen=True)
class Actor:
    """A resolved actor: the words in the text, a country/organisation code, a sector, and
    which organisation it is (code IGO, NGO ... says only what kind)."""

    text: str
    code: str | None
    sector: str | None = None
    #: Token span [start, end) in the spaCy Doc (not serialised).
    start: int = 0
    end: int = 0
    #: True when the code was borrowed from a pronoun's antecedent ("its troops").
    borrowed: bool = False
    #: True when the head is a proper name ("President Bush"), not a common noun.
    named: bool = False
    #: The organisation named ("EU", "CSTO", "Hamas"; data/actors/igos.csv column org),
    #: None for a country's actors.
    org: str | None = None
    #: Where the code came from when the actor's own words name no country ("the
    #: governor"): "scene" (the place the sentence is set in) or "document" (the
    #: document's main country); "place" when the words name only where a thing
    #: is ("the Kabul bombing": never a source); None when its own words or the
    #: other side of a domestic event give it. Not serialised: events weigh such
    #: actors less through their confidence.
    home: str | None = None

    def as_record(self) -> dict[str, Any]:
        """Return PLOVER's actor layout {actorText, code, sector} and the organisation."""
        return {"actorText": self.text, "code": self.code, "sector": self.sector,
                "org": self.org}


@dataclass(frozen=True)
class Location:
    """Where an event happened: a place named in its sentence, or only a country."""

    name: str
    country: str | None
    lat: float | None = None
    lon: float | None = None

    def as_record(self) -> dict[str, Any]:
        """Return the location as {name, country, lat, lon}."""
        return {"name": self.name, "country": self.country, "lat": self.lat, "lon": self.lon}


@dataclass(frozen=True)
class Event:
    """One coded event in PLOVER's record layout plus faultline's extras."""

    id: str
    doc_id: str
    doc_hash: str
    date: str | None
    event: str
    mode: str | None
    context: tuple[str, ...]
    source: tuple[Actor, ...]
    target: tuple[Actor, ...]
    event_text: str
    text: str
    span: tuple[int, int]
    cameo: str | None
    quad_class: int | None
    intensity: float | None
    confidence: float
    #: Lexicon entry that produced the event, e.g. "verbs.yaml:arrest".
    rule: str
    coder: str
    date_precision: str | None = None
    #: True when the text gave no date for the event and the publication date stands in.
    date_fallback: bool = False
    attribution: str | None = None
    location: Location | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_record(self) -> dict[str, Any]:
        """Return the event as one JSON-ready dict in PLOVER's layout."""
        return {
            **_head(self),
            "date_precision": self.date_precision,
            "date_fallback": self.date_fallback,
            "event": self.event,
            "mode": self.mode,
            "context": list(self.context),
            "source": [a.as_record() for a in self.source],
            "target": [a.as_record() for a in self.target],
            "eventText": self.event_text,
            "text": self.text,
            "span": list(self.span),
            "cameo": self.cameo,
            "quad_class": self.quad_class,
            "intensity": self.intensity,
            "confidence": self.confidence,
            "location": self.location.as_record() if self.location else None,
            "attribution": self.attribution,
            "rule": self.rule,
            "coder": self.coder,
        }


@dataclass(frozen=True)
class Dependency:
    """One statement that an actor depends on another for a good ("Russia supplies
    85% of Armenia's gas"): an edge supplier -> dependent, with its evidence."""

    id: str
    doc_id: str
    doc_hash: str
    #: The document's publication date: a dependence is a state, not an act.
    date: str | None
    #: supply, reliance, control, trade, debt, security (from the dependency lexicon).
    kind: str
    #: The good (gas, oil, trade, arms...), None when the text names none.
    good: str | None
    #: The good's wider field: energy, food, security, finance, trade...
    good_sector: str | None
    supplier: Actor
    dependent: Actor
    #: The share of the dependent's need the supplier covers (0..1), when stated.
    share: float | None
    #: Words of degree around the statement: "about", "most", "largely".
    qualifier: str | None
    #: The words that state the dependence ("supplies", "reliant").
    trigger: str
    text: str
    span: tuple[int, int]
    #: Dependency lexicon entry that matched, e.g. "dependencies.yaml:84:supply".
    rule: str
    coder: str

    def as_record(self) -> dict[str, Any]:
        """Return the statement as one JSON-ready dict."""
        return {
            **_head(self),
            "kind": self.kind,
            "good": self.good,
            "good_sector": self.good_sector,
            "supplier": self.supplier.as_record(),
            "dependent": self.dependent.as_record(),
            "share": self.share,
            "qualifier": self.qualifier,
            "trigger": self.trigger,
            "text": self.text,
            "span": list(self.span),
            "rule": self.rule,
            "coder": self.coder,
        }


def _head(record: Event | Dependency) -> dict[str, Any]:
    """Return the fields a record's dict begins with: its id, its document's, its date."""
    return {"id": record.id, "doc_id": record.doc_id, "doc_hash": record.doc_hash,
            "date": record.date}
