"""Hand-made documents and events written through the Store's real write path."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import pytest

from faultline.models import Actor, Document, Event, Location
from faultline.store import ClusterRules, Store

QUAD = {"AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "COOPERATE": 2, "AID": 2, "ACCUSE": 3,
        "REQUEST": 3, "REJECT": 3, "THREATEN": 3, "PROTEST": 4, "SANCTION": 4,
        "COERCE": 4, "ASSAULT": 4}
_counter = itertools.count()


def actor(key: str, text: str | None = None) -> Actor:
    """Return an actor from "RUS", "RUS:GOV" or, for an organisation, "IGO/EU" or
    "IGO/EU:GOV" (code IGO, org EU)."""
    named, _, sector = key.partition(":")
    code, _, org = named.partition("/")
    return Actor(text or f"{org or code} officials", code, sector or None, org=org or None)


def report(
    store: Store,
    sentence: str,
    *,
    source: str | tuple[str, ...],
    target: str | tuple[str, ...],
    event: str,
    intensity: float,
    date: str | None,
    precision: str = "day",
    fallback: bool = False,
    confidence: float = 1.0,
    mode: str | None = None,
    place: Location | None = None,
    source_text: str | None = None,
    target_text: str | None = None,
    published: str | None = None,
    rules: ClusterRules | None = None,
) -> Event:
    """Store one document holding one event and return the event."""
    n = next(_counter)
    doc = Document.from_text(f"Item {n}. {sentence}", date=published or date, origin="tests")
    sources = (source,) if isinstance(source, str) else source
    targets = (target,) if isinstance(target, str) else target
    ev = Event(
        id=f"{doc.doc_hash}-0",
        doc_id=doc.doc_id,
        doc_hash=doc.doc_hash,
        date=date,
        date_precision=precision if date else None,
        date_fallback=fallback,
        event=event,
        mode=mode,
        context=(),
        source=tuple(actor(s, source_text) for s in sources),
        target=tuple(actor(t, target_text) for t in targets),
        event_text=event.lower(),
        text=sentence,
        span=(0, len(sentence)),
        cameo=None,
        quad_class=QUAD[event],
        intensity=intensity,
        confidence=confidence,
        rule="tests",
        coder="tests",
        location=place,
    )
    store.write([doc], [ev], cluster_rules=rules)
    return ev


def write_text(folder: Path, name: str, text: str) -> Path:
    """Write a news item for ingest and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def run(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    """Run `faultline ARGV` in this process; return its exit code."""
    from faultline.cli import main

    monkeypatch.setattr(sys, "argv", ["faultline", *argv])
    try:
        main()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0
